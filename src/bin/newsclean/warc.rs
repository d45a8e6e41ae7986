//! WARC, WET and ARC input (`newsclean crawl.warc.gz`): files detected by
//! content are streamed record by record (`newsclean::corpus::warc`) on a
//! reader thread, in bounded chunks, cleaned in parallel and written in
//! input order as JSON Lines: `url`, `warc_record_id`, `date`,
//! `content_type`, then `clean_text`, `removed` and `metadata` as `--jsonl`
//! writes them. Records without a document (requests, metadata, non-HTML
//! responses) are counted in a summary on stderr; malformed records are
//! reported with their byte offset and the stream goes on.

use crate::args::CleanArgs;
use crate::jsonl::ErrorSink;
use crate::stream;
use anyhow::Result;
use newsclean::corpus::warc::{self, Document, Reader};
use newsclean::corpus::{site_of_url, Profile, Record as JsonRecord};
use newsclean::{Cleaned, Cleaner, InputKind};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

/// Records per chunk, and bytes per chunk (bounded memory).
const CHUNK_RECORDS: usize = 512;
const CHUNK_BYTES: usize = 32 << 20;
/// Chunks read ahead of the one being cleaned.
const READ_AHEAD: usize = 2;

/// Whether `path` is a WARC, WET or ARC file (gzipped or not), by content.
pub fn is_archive(path: &Path) -> bool {
    path.as_os_str() != "-" && path.is_file() && matches!(warc::detect_file(path), Ok(Some(_)))
}

/// One item read from an archive.
pub enum Item {
    /// A record that may hold a document.
    Record { src: usize, rec: warc::Record },
    /// A record of a type without a document.
    Skipped { src: usize, label: String },
    /// A malformed record or a file that cannot be read on.
    Problem { src: usize, message: String },
}

/// Read `paths` on a reader thread and hand chunks of items to `f` in order.
pub fn for_each_chunk(paths: &[PathBuf], max_body: usize, mut f: impl FnMut(Vec<Item>) -> Result<()>) -> Result<()> {
    let (tx, rx) = mpsc::sync_channel::<Vec<Item>>(READ_AHEAD);
    std::thread::scope(|scope| {
        let reader = scope.spawn(move || read_all(paths, max_body, tx));
        let mut result = Ok(());
        for chunk in rx.iter() {
            if let Err(e) = f(chunk) {
                result = Err(e);
                break;
            }
        }
        drop(rx);
        reader.join().expect("reader thread does not panic");
        result
    })
}

fn read_all(paths: &[PathBuf], max_body: usize, tx: mpsc::SyncSender<Vec<Item>>) {
    let mut chunk = Vec::with_capacity(CHUNK_RECORDS);
    let mut bytes = 0;
    for (src, path) in paths.iter().enumerate() {
        let reader = std::fs::File::open(path)
            .map_err(|e| e.to_string())
            .and_then(|f| Reader::new(f, max_body).map_err(|e| e.to_string()));
        let reader = match reader {
            Ok(r) => r,
            Err(message) => {
                chunk.push(Item::Problem { src, message });
                continue;
            }
        };
        for r in reader {
            let item = match r {
                Ok(rec) if rec.kind.may_hold_document() => {
                    bytes += rec.body.len();
                    Item::Record { src, rec }
                }
                Ok(rec) => Item::Skipped { src, label: rec.kind.as_str().to_owned() },
                Err(e) => Item::Problem { src, message: e.to_string() },
            };
            chunk.push(item);
            if chunk.len() >= CHUNK_RECORDS || bytes >= CHUNK_BYTES {
                bytes = 0;
                if tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK_RECORDS))).is_err() {
                    return;
                }
            }
        }
    }
    if !chunk.is_empty() {
        let _ = tx.send(chunk);
    }
}

/// What became of a record.
pub enum Outcome {
    Cleaned(Box<Cleaned>),
    Skipped(String),
    Failed(String),
}

/// Clean the document in a record with the cleaner for its site.
pub fn clean(cleaner: &Cleaner, profile: Option<&Profile>, max_size: usize, rec: &warc::Record) -> Outcome {
    let doc = match rec.document(max_size) {
        Ok(d) => d,
        Err(skip) => return Outcome::Skipped(skip.label()),
    };
    let site = profile.and_then(|p| rec.url().and_then(site_of_url).and_then(|s| p.site(&s)));
    let cleaner = cleaner.clone().site_profile(site);
    let result = match doc {
        Document::Html { page, .. } => cleaner.input_kind(InputKind::Html).clean_bytes(&page),
        Document::Text { text, .. } => cleaner.input_kind(InputKind::Text).clean_bytes(text),
    };
    match result {
        Ok(c) => Outcome::Cleaned(Box::new(c)),
        Err(e) => Outcome::Failed(e.to_string()),
    }
}

/// The output record's leading fields.
fn fields(rec: &warc::Record) -> JsonRecord {
    let ctype = rec.content_type();
    JsonRecord::from_strings([
        ("url", rec.url()),
        ("warc_record_id", rec.record_id()),
        ("date", rec.date()),
        ("content_type", ctype.as_deref()),
    ])
}

/// Counts per source, for the summary.
#[derive(Default)]
struct Stats {
    docs: u64,
    skipped: BTreeMap<String, u64>,
    problems: u64,
}

/// Clean the archives in `paths`, JSON Lines to stdout; returns whether
/// every record was read and cleaned.
pub fn run(a: &CleanArgs, cleaner: &Cleaner, profile: Option<&Profile>, paths: &[PathBuf]) -> Result<bool> {
    if a.out.is_some() || a.explain {
        anyhow::bail!("WARC, WET and ARC input is written as JSON Lines to stdout; --out and --explain do not apply");
    }
    let c = &a.corpus;
    let pool = stream::pool(c.run.jobs)?;
    let pb = stream::progress(None, c.run.quiet);
    let mut errors = ErrorSink::new(c.errors.as_deref(), pb.clone())?;
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut stats: Vec<Stats> = paths.iter().map(|_| Stats::default()).collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let max_size = a.max_size;
    for_each_chunk(paths, max_size, |chunk| {
        let done: Vec<Option<(Vec<u8>, Outcome)>> = pool.install(|| {
            chunk
                .par_iter()
                .map(|item| match item {
                    Item::Record { rec, .. } => {
                        let outcome = clean(cleaner, profile, max_size, rec);
                        let mut line = Vec::new();
                        match &outcome {
                            Outcome::Cleaned(c) => fields(rec).write_cleaned(c, &mut line),
                            Outcome::Failed(m) => fields(rec).write_error(m, &mut line),
                            Outcome::Skipped(_) => {}
                        }
                        Some((line, outcome))
                    }
                    _ => None,
                })
                .collect()
        });
        for (item, r) in chunk.iter().zip(done) {
            match (item, r) {
                (Item::Record { src, rec }, Some((line, outcome))) => {
                    pb.inc(rec.body.len() as u64);
                    out.write_all(&line)?;
                    let s = &mut stats[*src];
                    match outcome {
                        Outcome::Cleaned(_) => s.docs += 1,
                        Outcome::Skipped(label) => *s.skipped.entry(label).or_default() += 1,
                        Outcome::Failed(m) => {
                            s.problems += 1;
                            out.flush()?;
                            let id = rec.record_id().map(|i| serde_json::to_string(i).expect("a string serialises"));
                            let at = format!("record at byte {}: {m}", rec.offset);
                            errors.report(&names[*src], 0, id.as_deref(), &at)?;
                        }
                    }
                }
                (Item::Skipped { src, label }, _) => *stats[*src].skipped.entry(label.clone()).or_default() += 1,
                (Item::Problem { src, message }, _) => {
                    stats[*src].problems += 1;
                    out.flush()?;
                    errors.report(&names[*src], 0, None, message)?;
                }
                (Item::Record { .. }, None) => unreachable!("every record has an outcome"),
            }
        }
        pb.set_message(format!("{} docs", stats.iter().map(|s| s.docs).sum::<u64>()));
        Ok(())
    })?;
    out.flush()?;
    pb.finish_and_clear();
    if !c.run.quiet {
        for (name, s) in names.iter().zip(&stats) {
            eprintln!("newsclean: {name}: {}", summary(s));
        }
    }
    let ok = stats.iter().all(|s| s.problems == 0);
    errors.finish(c.run.quiet)?;
    Ok(ok)
}

fn summary(s: &Stats) -> String {
    let mut line = format!("{} documents cleaned", s.docs);
    let skipped: u64 = s.skipped.values().sum();
    if skipped > 0 {
        let mut by: Vec<(&String, &u64)> = s.skipped.iter().collect();
        by.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = by.iter().map(|(k, n)| format!("{n} {k}")).collect();
        line.push_str(&format!(", {skipped} records skipped ({})", parts.join(", ")));
    }
    if s.problems > 0 {
        line.push_str(&format!(", {} records malformed or failed", s.problems));
    }
    line
}
