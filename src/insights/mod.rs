//! Machine help for the next run, built on the statistics and the KO predictor: the prompts
//! like an image's that worked (`like_this`), and the files a generator reads (`export`). The
//! drop / keep rule itself is `analytics::recommend`. See docs/insights.md.

pub mod export;
pub mod like_this;
