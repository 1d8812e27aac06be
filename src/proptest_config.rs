//! One configuration for every property test. Failures are not saved to files: proptest would
//! write them to a `proptest-regressions/` folder at the top of the repository, which holds
//! nothing but the project's fixed folders. A failure prints its shrunk case; pin it as a unit
//! test beside the property.

use proptest::prelude::ProptestConfig;

pub fn with_cases(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}
