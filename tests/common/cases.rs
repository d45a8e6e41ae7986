//! How many cases a property test runs: its own count, or `PROPTEST_CASES`
//! when set. A count in `ProptestConfig::with_cases` overrides the variable,
//! so a longer run (`PROPTEST_CASES=200000 cargo test --test corpus_properties
//! hostile`) would otherwise have to loop the test binary.

use proptest::test_runner::Config;

/// The config of a property: `default` cases unless `PROPTEST_CASES` says.
pub fn cases(default: u32) -> Config {
    let n = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Config::with_cases(n)
}
