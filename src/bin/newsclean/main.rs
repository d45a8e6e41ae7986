//! The `newsclean` command: argument parsing, walking inputs, writing
//! results. All cleaning happens in the library; this file is glue.
//!
//! Results go to stdout (or `--out DIR`), errors and progress to stderr.
//! Exit codes: 0 all inputs cleaned, 1 some inputs failed (the others were
//! still written), 2 usage error.

mod args;
mod corpus_args;
mod eval;
mod explain;
mod inputs;
mod jsonl;
mod learn;
mod snapshot;
mod stream;
mod train;
mod warc;

use anyhow::{Context, Result};
use args::{Cli, Command, Format};
use clap::Parser;
use inputs::Input;
use newsclean::{corpus::Profile, Cleaned, Cleaner, RuleSetBuilder, Utf8Mode};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

// Many small allocations per block (lines, blocks, rows, output), freed on
// another thread than the one that made them: mimalloc does both cheaply.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Some(Command::Learn(a)) => learn::run_learn(&a),
        Some(Command::Eval(a)) => eval::run(&a),
        Some(Command::Train(a)) => train::run(&a),
        Some(Command::Snapshot(a)) => snapshot::run(&a),
        None => learn::run_clean_corpus(&cli.clean),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsclean: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe))
}

/// Build the cleaner the flags describe.
pub fn build_cleaner(a: &args::CleanArgs) -> Result<Cleaner> {
    let utf8 = if a.lossy {
        Utf8Mode::Lossy
    } else if a.strict_utf8 {
        Utf8Mode::Strict
    } else {
        Utf8Mode::Detect
    };
    let cleaner = make_cleaner(&a.rules, a.lang.clone(), a.input, utf8, a.max_size, &a.model)?;
    // Only --explain shows the scores of blocks the model may not drop.
    Ok(cleaner.fix_mojibake(!a.no_fix_mojibake).model_every_score(a.explain))
}

/// The cleaner for the cleaning options that the clean and eval commands share.
pub fn make_cleaner(
    rules: &[PathBuf],
    lang: Option<String>,
    input: args::InputArg,
    utf8: Utf8Mode,
    max_size: usize,
    model: &args::ModelArgs,
) -> Result<Cleaner> {
    let cleaner = if rules.is_empty() {
        Cleaner::new()
    } else {
        let mut b = RuleSetBuilder::with_builtin();
        for path in rules {
            let text =
                std::fs::read_to_string(path).with_context(|| format!("{}: cannot read rules file", path.display()))?;
            b.add_toml(&text, &path.display().to_string())?;
        }
        Cleaner::with_rules(b.build()?)
    };
    let mut cleaner = if model.no_model { cleaner.without_model() } else { cleaner };
    let mut seen = Vec::new();
    for path in &model.model {
        let m = newsclean::Model::load(path)?;
        if seen.contains(&m.view) {
            anyhow::bail!("{}: a second --model for {} input (give one per view)", path.display(), m.view.as_str());
        }
        seen.push(m.view);
        cleaner = cleaner.with_model(std::sync::Arc::new(m));
    }
    Ok(cleaner.language(lang).input_kind(input.into()).utf8_mode(utf8).max_size(max_size))
}

/// Clean every input, `--jobs` at a time, writing in input order; returns
/// whether all succeeded. With a profile, a file's site is its folder.
pub fn run_clean(a: &args::CleanArgs, cleaner: &Cleaner, profile: Option<&Profile>) -> Result<bool> {
    // Plain text shows no model reasons: do not work them out.
    let quiet_model;
    let cleaner = if a.format == Format::Text && !a.explain {
        quiet_model = cleaner.clone().model_reasons(false);
        &quiet_model
    } else {
        cleaner
    };
    let inputs = inputs::collect(&a.paths, a.corpus.run.follow)?;
    if inputs.is_empty() {
        anyhow::bail!(
            "no input files found in the given paths (looked for .txt, .html, .htm and files without an extension)"
        );
    }
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create output directory", dir.display()))?;
    }
    // One input is cleaned on this thread: a pool's threads (and their
    // malloc arenas) cost more than the cleaning of a small file.
    let pool = if inputs.len() > 1 { Some(stream::pool(a.corpus.run.jobs)?) } else { None };
    // The bar is hidden unless stderr is a terminal; only a visible bar
    // needs the files' sizes (a stat per file).
    let quiet = a.corpus.run.quiet || !io::IsTerminal::is_terminal(&io::stderr());
    let pb = stream::progress(if quiet { None } else { stream::files_size(&inputs) }, quiet);
    let stdout = io::stdout();
    let mut out = io::BufWriter::with_capacity(256 << 10, stdout.lock());
    let headers = inputs.len() > 1 && !a.no_filename;
    let mut ok = true;
    let mut first = true;
    let mut docs = 0u64;
    let clean_one = |input: &Input| -> Result<Cleaned> {
        let site = match (profile, input) {
            (Some(p), Input::File { path, .. }) => newsclean::corpus::site_of_path(path).and_then(|s| p.site(&s)),
            _ => None,
        };
        let bytes = input.read(a.max_size)?;
        // Only a file with a site profile needs its own cleaner.
        Ok(match site {
            Some(s) => cleaner.clone().site_profile(Some(s)).clean_bytes(&bytes)?,
            None => cleaner.clean_bytes(&bytes)?,
        })
    };
    // Bounded batches keep memory flat; each is cleaned in parallel and
    // written in order.
    type Batch<'a> = (&'a [Input], Vec<Result<Cleaned>>);
    let batches: Box<dyn Iterator<Item = Batch>> = match &pool {
        Some(pool) => Box::new(newsclean::batch::chunked(pool, &inputs, 256, clean_one)),
        None => Box::new(std::iter::once((&inputs[..], inputs.iter().map(clean_one).collect()))),
    };
    for (batch, results) in batches {
        for (input, result) in batch.iter().zip(results) {
            docs += 1;
            if !pb.is_hidden() {
                pb.inc(stream::file_size(input));
                pb.set_message(format!("{docs} docs"));
            }
            let cleaned = match result {
                Ok(c) => c,
                Err(e) => {
                    out.flush()?;
                    pb.suspend(|| eprintln!("newsclean: {}: {e:#}", input.display()));
                    ok = false;
                    continue;
                }
            };
            if let Some(dir) = &a.out {
                if let Err(e) = write_out(dir, input, &cleaned, a) {
                    pb.suspend(|| eprintln!("newsclean: {}: {e:#}", input.display()));
                    ok = false;
                }
                continue;
            }
            if a.explain {
                explain::print(&mut out, input, &cleaned, headers, a.color)?;
            } else {
                match a.format {
                    Format::Text => {
                        if headers {
                            if !first {
                                writeln!(out)?;
                            }
                            writeln!(out, "==> {} <==", input.display())?;
                        }
                        out.write_all(cleaned.text.as_bytes())?;
                    }
                    Format::Json => {
                        serde_json::to_writer(&mut out, &json_record(input, &cleaned))?;
                        writeln!(out)?;
                    }
                }
            }
            first = false;
        }
    }
    out.flush()?;
    pb.finish_and_clear();
    Ok(ok)
}

fn json_record<'a>(input: &'a Input, c: &'a Cleaned) -> serde_json::Value {
    let mut v = serde_json::to_value(c).expect("Cleaned serialises");
    v.as_object_mut().expect("object").insert("path".into(), input.display().to_string().into());
    v
}

fn write_out(dir: &Path, input: &Input, c: &Cleaned, a: &args::CleanArgs) -> Result<()> {
    let rel = input.relative_name();
    let target: PathBuf = dir.join(out_name(&rel, a.format));
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let body = match a.format {
        Format::Text => c.text.clone().into_bytes(),
        Format::Json => {
            let mut s = serde_json::to_vec(&json_record(input, c))?;
            s.push(b'\n');
            s
        }
    };
    std::fs::write(&target, body).with_context(|| format!("cannot write {}", target.display()))
}

/// The output file name for an input's relative name: a `.gz` or `.zst`
/// extension goes, HTML pages become `.txt`, JSON output gets `.json`, text
/// keeps its name.
fn out_name(rel: &Path, format: Format) -> PathBuf {
    let rel = &inputs::without_compression(rel);
    let ext = rel.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match (format, ext.as_deref()) {
        (Format::Json, _) => rel.with_extension("json"),
        (Format::Text, Some("html" | "htm" | "xhtml" | "shtml")) => rel.with_extension("txt"),
        (Format::Text, _) => rel.to_path_buf(),
    }
}
