//! `--jsonl`: clean JSON Lines records in parallel, streaming, writing each
//! record back in input order with `clean_text`, `removed` and `metadata`
//! added (see `newsclean::corpus::record`).
//!
//! Failures never stop the batch: a line that is not a JSON object is left
//! out of the output and reported; a record without a usable text field is
//! written with an `error` field and reported. Reports go to stderr as
//! `newsclean: FILE:LINE: message`, or with `--errors FILE` as JSON Lines
//! `{"file", "line", "id", "error"}`.

use crate::args::CleanArgs;
use crate::stream::{self, Chunk, Item, Source};
use anyhow::{Context, Result};
use indicatif::ProgressBar;
use newsclean::corpus::record::Body;
use newsclean::corpus::{Profile, Record, RecordOptions};
use newsclean::{Cleaned, Cleaner, InputKind};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::{self, Write};

/// What the parallel stage needs to clean one record.
pub struct Ctx<'a> {
    pub cleaner: &'a Cleaner,
    pub profile: Option<&'a Profile>,
    pub fields: RecordOptions,
    pub lossy: bool,
    pub max_size: usize,
}

/// Why a record failed: its `id` as the record had it (if it parsed), and
/// the message.
struct Failure {
    id: Option<String>,
    message: String,
}

/// Decode and parse a line (without its line break).
pub fn parse_line(bytes: &[u8], lossy: bool) -> Result<Record, String> {
    let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) if lossy => String::from_utf8_lossy(bytes),
        Err(e) => return Err(format!("invalid UTF-8 at byte {} (use --lossy to replace bad bytes)", e.valid_up_to())),
    };
    Record::parse(&text)
}

/// Clean a record's body with the cleaner for its site.
pub fn clean_record(ctx: &Ctx, rec: &Record) -> Result<Cleaned, String> {
    let body = rec.body(&ctx.fields)?;
    let len = match &body {
        Body::Text(t) | Body::Html(t) => t.len(),
    };
    if len > ctx.max_size {
        return Err(newsclean::Error::TooLarge { size: len, limit: ctx.max_size }.to_string());
    }
    let site = ctx.profile.and_then(|p| rec.site(&ctx.fields).and_then(|s| p.site(&s)));
    let cleaner = ctx.cleaner.clone().site_profile(site);
    match body {
        Body::Text(t) => Ok(cleaner.clean_text(&t)),
        Body::Html(h) => cleaner.input_kind(InputKind::Html).clean_bytes(h.as_bytes()).map_err(|e| e.to_string()),
    }
}

/// Clean one JSON line and append its output record to `out`: the record
/// with its clean text, or with an `error` (then also returned). A line that
/// is not a record writes nothing.
fn clean_line(ctx: &Ctx, bytes: &[u8], out: &mut Vec<u8>) -> Result<(), Failure> {
    let rec = parse_line(bytes, ctx.lossy).map_err(|message| Failure { id: None, message })?;
    match clean_record(ctx, &rec) {
        Ok(c) => {
            rec.write_cleaned(&c, out);
            Ok(())
        }
        Err(message) => {
            rec.write_error(&message, out);
            Err(Failure { id: rec.raw_field("id").map(str::to_owned), message })
        }
    }
}

/// Records cleaned by one task: output is written per batch, not per
/// record, so that the thread that writes frees one buffer, not one per
/// record. (16 was measured too: no better at the end of a chunk, and
/// slower overall.)
const BATCH: usize = 64;

/// The output of one batch of a chunk.
struct Batch {
    out: Vec<u8>,
    /// Failed records, by their index in the batch.
    failed: Vec<(usize, Failure)>,
}

fn clean_batch(ctx: &Ctx, chunk: &Chunk, items: &[Item]) -> Batch {
    let bytes: usize = items.iter().map(|i| chunk.bytes(i).len()).sum();
    let mut b = Batch { out: Vec::with_capacity(bytes * 2 + 64 * items.len()), failed: Vec::new() };
    for (k, item) in items.iter().enumerate() {
        if let Item::Line { .. } = item {
            if let Err(f) = clean_line(ctx, chunk.bytes(item), &mut b.out) {
                b.failed.push((k, f));
            }
        }
    }
    b
}

/// Where failures are reported.
pub struct ErrorSink {
    file: Option<(String, io::BufWriter<std::fs::File>)>,
    pb: ProgressBar,
    pub count: u64,
}

impl ErrorSink {
    pub fn new(path: Option<&std::path::Path>, pb: ProgressBar) -> Result<ErrorSink> {
        let file = match path {
            Some(p) => {
                let f =
                    std::fs::File::create(p).with_context(|| format!("{}: cannot create errors file", p.display()))?;
                Some((p.display().to_string(), io::BufWriter::new(f)))
            }
            None => None,
        };
        Ok(ErrorSink { file, pb, count: 0 })
    }

    /// Report a failure at `line` (0: the whole source) of `source`.
    pub fn report(&mut self, source: &str, line: u64, id: Option<&str>, message: &str) -> Result<()> {
        self.count += 1;
        match &mut self.file {
            Some((name, w)) => {
                let mut rec = format!("{{\"file\":{},\"line\":{line}", serde_json::to_string(source)?);
                if let Some(id) = id {
                    rec.push_str(",\"id\":");
                    rec.push_str(id);
                }
                rec.push_str(&format!(",\"error\":{}}}\n", serde_json::to_string(message)?));
                w.write_all(rec.as_bytes()).with_context(|| format!("{name}: cannot write"))?;
            }
            None => {
                let at = if line > 0 { format!("{source}:{line}") } else { source.to_owned() };
                self.pb.suspend(|| eprintln!("newsclean: {at}: {message}"));
            }
        }
        Ok(())
    }

    /// Flush the errors file and say where the errors went.
    pub fn finish(mut self, quiet: bool) -> Result<()> {
        if let Some((name, w)) = &mut self.file {
            w.flush().with_context(|| format!("{name}: cannot write"))?;
            if self.count > 0 && !quiet {
                eprintln!("newsclean: {} records failed (see {name})", self.count);
            }
        }
        Ok(())
    }
}

/// Clean JSON Lines from `sources`; returns whether every record succeeded.
pub fn run(a: &CleanArgs, cleaner: &Cleaner, profile: Option<&Profile>, sources: &[Source]) -> Result<bool> {
    let c = &a.corpus;
    let pool = stream::pool(c.run.jobs)?;
    let pb = stream::progress(Source::total_size(sources), c.run.quiet);
    let mut errors = ErrorSink::new(c.errors.as_deref(), pb.clone())?;
    let ctx = Ctx { cleaner, profile, fields: c.fields.options(), lossy: a.lossy, max_size: a.max_size };
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let mut docs = 0u64;
    // Not locked: the lock cannot move to the writer thread; the buffer
    // takes it once per MiB.
    let mut out = io::BufWriter::with_capacity(1 << 20, io::stdout());
    // The engine writes each chunk on a thread of its own while the workers
    // clean the next one.
    newsclean::batch::pipeline(
        &pool,
        stream::Chunks::new(sources),
        |chunk: &Chunk| chunk.items.par_chunks(BATCH).map(|items| clean_batch(&ctx, chunk, items)).collect::<Vec<_>>(),
        |chunk, batches| -> Result<()> {
            for (items, batch) in chunk.items.chunks(BATCH).zip(batches) {
                out.write_all(&batch.out)?;
                let mut failed = batch.failed.into_iter().peekable();
                for (k, item) in items.iter().enumerate() {
                    match item {
                        Item::SourceError { src, no, message } => errors.report(&names[*src], *no, None, message)?,
                        Item::Line { src, no, range } => {
                            pb.inc(range.len() as u64);
                            docs += 1;
                            if let Some((_, f)) = failed.next_if(|(at, _)| *at == k) {
                                errors.report(&names[*src], *no, f.id.as_deref(), &f.message)?;
                            }
                        }
                    }
                }
            }
            pb.set_message(format!("{docs} docs"));
            Ok(())
        },
    )?;
    out.flush()?;
    pb.finish_and_clear();
    let ok = errors.count == 0;
    errors.finish(c.run.quiet)?;
    Ok(ok)
}
