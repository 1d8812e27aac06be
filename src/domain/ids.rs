//! Typed row ids, so an image id can never be passed where a session id is meant. They live in
//! the domain, which names images and sessions by them; `db::ids` re-exports them, and the
//! `DieselNewType` derive is what lets the queries store them as plain integers.

use diesel_derive_newtype::DieselNewType;
use serde::{Deserialize, Serialize};

macro_rules! row_id {
    ($name:ident) => {
        #[derive(
            Debug,
            Clone,
            Copy,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            DieselNewType,
            Serialize,
            Deserialize,
            utoipa::ToSchema,
        )]
        #[serde(transparent)]
        pub struct $name(pub i32);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(SessionId);
row_id!(ImageId);
row_id!(UserId);
row_id!(TokenId);
row_id!(VariationId);
row_id!(PromptId);
