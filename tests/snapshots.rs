//! Snapshot tests over the text fixture corpus (`tests/fixtures/text`):
//! hand-written articles in every rule language, each with the boilerplate
//! real scrapers leave behind and near-misses that must survive. For each
//! fixture two snapshots are kept in the top-level `snapshots/` directory: the
//! clean text, and a listing of what was removed by which rule (plus the
//! metadata found). Review both by hand when they change.

use newsclean::{Cleaned, Cleaner};

/// One line per removed block: `rule | text`, line breaks shown as `⏎`.
fn removed_listing(out: &Cleaned) -> String {
    let mut s = String::new();
    let meta = serde_json::to_string(&out.metadata).expect("metadata serialises");
    s.push_str(&format!("metadata: {meta}\n"));
    for r in &out.removed {
        s.push_str(&format!("{:<34} | {}\n", r.rule, r.text.replace('\n', " ⏎ ")));
    }
    s
}

#[test]
fn text_fixtures() {
    let cleaner = Cleaner::new();
    insta::with_settings!({snapshot_path => "../snapshots", prepend_module_to_snapshot => false}, {
        insta::glob!("fixtures/text/*.txt", |path| {
            let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let out = cleaner.clean_bytes(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            insta::assert_snapshot!("clean", out.text);
            insta::assert_snapshot!("removed", removed_listing(&out));
        });
    });
}
