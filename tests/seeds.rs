//! The five real scraped seeds must come out exactly as their expected files
//! (trailing newline aside). The seeds live outside the repo in `../shared`;
//! CI must have them, a local checkout may not.

use newsclean::Cleaner;
use std::path::Path;

fn shared() -> Option<&'static Path> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    if dir.join("seeds").is_dir() && dir.join("expected").is_dir() {
        return Some(dir);
    }
    assert!(std::env::var_os("CI").is_none(), "CI is set but {} has no seeds/ and expected/", dir.display());
    eprintln!("skipping: {} is missing (seeds and expected output live outside the repo)", dir.display());
    None
}

#[test]
fn every_seed_matches_its_expected_output_exactly() {
    let Some(dir) = shared() else { return };
    let cleaner = Cleaner::new();
    let mut names: Vec<_> = std::fs::read_dir(dir.join("seeds"))
        .expect("read seeds dir")
        .map(|e| e.expect("dir entry").file_name())
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no seeds in {}", dir.join("seeds").display());
    let mut failures = Vec::new();
    for name in &names {
        let input = std::fs::read(dir.join("seeds").join(name)).expect("read seed");
        let expected = std::fs::read_to_string(dir.join("expected").join(name))
            .unwrap_or_else(|e| panic!("{}: no expected output: {e}", name.to_string_lossy()));
        let got = cleaner.clean_bytes(&input).unwrap_or_else(|e| panic!("{}: {e}", name.to_string_lossy()));
        if got.text.trim_end_matches('\n') != expected.trim_end_matches('\n') {
            failures.push(format!(
                "{}:\n--- expected\n{}\n--- got\n{}",
                name.to_string_lossy(),
                expected.trim_end(),
                got.text.trim_end()
            ));
        }
    }
    assert!(failures.is_empty(), "{} of {} seeds differ:\n{}", failures.len(), names.len(), failures.join("\n\n"));
}
