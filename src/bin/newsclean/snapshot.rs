//! `newsclean snapshot DIR --store SNAPDIR`: pin the clean output of a
//! sample of pages and see every change when rules, a profile or a model
//! move. One readable file per input, `SNAPDIR/REL.snap`: a header, the
//! metadata, the clean text and the removed blocks with their rules.
//! `--check` compares with the store and prints a unified diff per changed
//! document (exit 1 on any change, missing or stale snapshot); `--accept`
//! writes the new output and removes stale snapshots.

use crate::args::CleanArgs;
use crate::inputs::{self, Input};
use crate::stream;
use anyhow::{Context, Result};
use clap::Args;
use newsclean::corpus::{site_of_path, Profile};
use newsclean::Cleaned;
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `newsclean snapshot`: snapshot tests of clean output, for users' pages.
#[derive(Debug, Clone, Args)]
// Output options of plain cleaning do not apply to snapshots.
#[command(
    mut_arg("out", |a| a.hide(true)),
    mut_arg("format", |a| a.hide(true)),
    mut_arg("explain", |a| a.hide(true)),
    mut_arg("no_filename", |a| a.hide(true)),
    mut_arg("color", |a| a.hide(true)),
    mut_arg("jsonl", |a| a.hide(true)),
    mut_arg("errors", |a| a.hide(true)),
    mut_arg("auto_profile", |a| a.hide(true)),
    mut_arg("text_field", |a| a.hide(true)),
    mut_arg("html_field", |a| a.hide(true)),
    mut_arg("url_field", |a| a.hide(true)),
    mut_arg("min_docs", |a| a.hide(true)),
    mut_arg("min_share", |a| a.hide(true)),
    mut_arg("paths", |a| a.help("Files or directories of sample pages (text or HTML), walked as the clean command walks them"))
)]
#[command(after_help = "\
Examples:
  newsclean snapshot samples/ --store snaps/                     write a snapshot per input
  newsclean snapshot samples/ --store snaps/ --check --rules new.toml   what would new.toml change?
  newsclean snapshot samples/ --store snaps/ --accept --rules new.toml  take the new output

Exit status: 0 written (or, with --check, nothing changed), 1 a document changed, a snapshot is
missing or stale, or an input failed, 2 usage error.")]
pub struct SnapshotArgs {
    /// Folder of snapshots: one `REL.snap` per input, under the input's
    /// name relative to its PATH argument.
    #[arg(long, value_name = "SNAPDIR")]
    pub store: PathBuf,

    /// Compare the clean output with the store instead of writing it: print
    /// a unified diff for each changed document, list missing and stale
    /// snapshots, exit 1 on any difference.
    #[arg(long, conflicts_with = "accept")]
    pub check: bool,

    /// Write the output of every input that changed or is new, and remove
    /// the snapshots of inputs that are gone; list what changed.
    #[arg(long)]
    pub accept: bool,

    /// Every cleaning option applies (--rules, --profile, --model, --lang,
    /// --input, ...), so a change can be checked before it is used.
    #[command(flatten)]
    pub clean: CleanArgs,
}

/// The snapshot text of one document.
pub fn render(rel: &Path, c: &Cleaned) -> String {
    let mut s = format!("newsclean snapshot: {}\n", rel.display());
    let meta = serde_json::to_string(&c.metadata).expect("metadata serialises");
    s.push_str(&format!("metadata: {meta}\n--- clean text ---\n"));
    s.push_str(&c.text);
    s.push_str("--- removed ---\n");
    for r in &c.removed {
        let text = r.text.replace('\n', "\\n");
        s.push_str(&format!("{:>4} {:<32} {text}\n", r.index, r.rule));
    }
    s
}

/// Where an input's snapshot lives.
fn snap_path(store: &Path, rel: &Path) -> PathBuf {
    let mut name = store.join(rel).into_os_string();
    name.push(".snap");
    PathBuf::from(name)
}

/// Every `.snap` file under the store.
fn stored(store: &Path) -> Result<Vec<PathBuf>> {
    if !store.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(store).sort_by_file_name() {
        let entry = entry.with_context(|| format!("cannot walk {}", store.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "snap") {
            out.push(entry.path().to_path_buf());
        }
    }
    Ok(out)
}

#[derive(Default)]
struct Counts {
    same: u64,
    changed: u64,
    new: u64,
    stale: u64,
    failed: u64,
}

pub fn run(a: &SnapshotArgs) -> Result<bool> {
    let c = &a.clean;
    if c.corpus.auto_profile || c.corpus.jsonl || c.out.is_some() || c.explain {
        anyhow::bail!(
            "snapshot writes to its --store; --out, --explain, --jsonl and --auto-profile do not apply (use --profile)"
        );
    }
    let cleaner = crate::build_cleaner(c)?;
    let profile = match &c.corpus.profile {
        Some(p) => Some(Profile::load(p).map_err(|e| anyhow::anyhow!("cannot load profile: {e}"))?),
        None => None,
    };
    let inputs = inputs::collect(&c.paths, c.corpus.run.follow)?;
    if inputs.iter().any(|i| matches!(i, Input::Stdin)) {
        anyhow::bail!("snapshot needs files or folders to name its snapshots, not standard input");
    }
    if inputs.is_empty() {
        anyhow::bail!("no input files found in the given paths");
    }
    let pool = stream::pool(c.corpus.run.jobs)?;
    let quiet = c.corpus.run.quiet;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut n = Counts::default();
    let mut expected = BTreeSet::new();
    let clean_one = |input: &Input| -> Result<String> {
        let Input::File { path, rel, .. } = input else { unreachable!("no stdin") };
        let site = profile.as_ref().and_then(|p| site_of_path(path).and_then(|s| p.site(&s)));
        let bytes = input.read(c.max_size)?;
        Ok(render(rel, &cleaner.clone().site_profile(site).clean_bytes(&bytes)?))
    };
    for batch in inputs.chunks(256) {
        let results: Vec<Result<String>> = pool.install(|| batch.par_iter().map(clean_one).collect());
        for (input, result) in batch.iter().zip(results) {
            let rel = input.relative_name();
            let snap = snap_path(&a.store, &rel);
            expected.insert(snap.clone());
            let now = match result {
                Ok(s) => s,
                Err(e) => {
                    eprintln!("newsclean: {}: {e:#}", input.display());
                    n.failed += 1;
                    continue;
                }
            };
            let old = match std::fs::read(&snap) {
                Ok(b) => Some(String::from_utf8_lossy(&b).into_owned()),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(e) => return Err(e).with_context(|| format!("{}: cannot read snapshot", snap.display())),
            };
            match &old {
                Some(o) if *o == now => {
                    n.same += 1;
                    continue;
                }
                Some(_) => n.changed += 1,
                None => n.new += 1,
            }
            if a.check {
                match &old {
                    Some(o) => {
                        let diff = similar::TextDiff::from_lines(o.as_str(), now.as_str());
                        let stored = format!("{} (stored)", snap.display());
                        let fresh = format!("{} (now)", input.display());
                        write!(out, "{}", diff.unified_diff().context_radius(3).header(&stored, &fresh))?;
                        out.flush()?;
                        eprintln!("newsclean: {}: changed (see the diff)", input.display());
                    }
                    None => eprintln!("newsclean: {}: no snapshot yet ({})", input.display(), snap.display()),
                }
                continue;
            }
            if let Some(parent) = snap.parent() {
                std::fs::create_dir_all(parent).with_context(|| format!("{}: cannot create", parent.display()))?;
            }
            std::fs::write(&snap, &now).with_context(|| format!("{}: cannot write snapshot", snap.display()))?;
            if a.accept && !quiet {
                let what = if old.is_some() { "updated" } else { "added" };
                eprintln!("newsclean: {what} {}", snap.display());
            }
        }
    }
    out.flush()?;
    for snap in stored(&a.store)? {
        if expected.contains(&snap) {
            continue;
        }
        n.stale += 1;
        if a.accept {
            std::fs::remove_file(&snap).with_context(|| format!("{}: cannot remove", snap.display()))?;
            if !quiet {
                eprintln!("newsclean: removed {} (its input is gone)", snap.display());
            }
        } else {
            eprintln!("newsclean: {}: stale snapshot (no such input; --accept removes it)", snap.display());
        }
    }
    if !quiet {
        let verb = if a.check { "differ" } else { "written" };
        eprintln!(
            "newsclean: snapshot {}: {} unchanged, {} changed, {} new, {} stale{}; {} {verb}",
            a.store.display(),
            n.same,
            n.changed,
            n.new,
            n.stale,
            if n.failed > 0 { format!(", {} inputs failed", n.failed) } else { String::new() },
            if a.check { n.changed + n.new + n.stale } else { n.changed + n.new },
        );
    }
    Ok(n.failed == 0 && (!a.check || n.changed + n.new + n.stale == 0))
}
