//! The statistics behind the statistics page, as pure functions over counts: intervals for
//! rates, tests for pairs that fail together, shrinkage for ranking them, and agreement between
//! raters. Each is checked in its tests against values from the literature or worked by hand.

pub mod agreement;
pub mod fdr;
pub mod fisher;
pub mod krippendorff;
pub mod rule;
pub mod shrinkage;
pub mod wilson;
