//! The typed row ids, defined in `domain::ids` (the domain names images and sessions by them)
//! and re-exported here, where the queries use them.

pub use crate::domain::ids::{ImageId, PromptId, SessionId, TokenId, UserId, VariationId};
