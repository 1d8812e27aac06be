//! Reading the user's folders: never writes to them.

pub mod exif_text;
pub mod legacy_config;
pub mod manifest;
pub mod png_text;
pub mod probe;
pub mod resolve;
pub mod scan;
