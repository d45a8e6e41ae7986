//! `newsclean eval`: clean a benchmark's inputs and score them against its
//! gold data with [`newsclean::eval`]; prints per-document and total scores
//! and the worst documents, optionally the whole report as JSON.

use anyhow::{Context, Result};
use clap::Args;
use newsclean::eval::{evaluate, DocResult, DocScore, GoldSet, Report, Source};
use newsclean::Cleaner;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Gold layouts (detected from --gold):
  DIR of .txt files or one FILE   matched to inputs by stem (gold/a.txt <-> input/a.html or a.txt)
  ground-truth.json (or its DIR)  Scrapinghub: {id: {articleBody}}, inputs html/<id>.html
  evaldata.json (or its DIR)      trafilatura: {url: {file, with, without}}, inputs cache/ or eval/
  DIR of page folders             Mozilla Readability's test pages: NAME/expected.html (gold),
                                  NAME/source.html (input)
  DIR with ground-truth/          WCXB: ground-truth/ID.json (ground_truth.main_content),
                                  inputs html/ID.html.gz or html/ID.html

Text gold (and the text of expected.html) is scored by bag of \\w+ tokens (NFC,
lower case), micro-averaged, as tools/score.py does; trafilatura gold by with/without
snippets found in the output.

Examples:
  newsclean eval --gold expected/ --input seeds/
  newsclean eval --gold bench/ground-truth.json --input bench/ --worst 20 --json report.json
  newsclean eval --gold expected/ --input clean/ --cleaned
  newsclean eval --gold readability/test-pages --input readability/test-pages")]
pub struct EvalArgs {
    /// Gold data: a folder of text files, one text file, ground-truth.json
    /// or evaldata.json (or the folder holding one of them), or a folder of
    /// Readability test pages.
    #[arg(long, value_name = "DIR_OR_FILE")]
    pub gold: PathBuf,

    /// Folder of the raw documents (HTML or text) to clean and score.
    #[arg(long, value_name = "DIR")]
    pub input: PathBuf,

    /// The --input files are already-cleaned output: score them as they are.
    #[arg(long)]
    pub cleaned: bool,

    /// Write the whole report (totals and every document) as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// List this many worst-scoring documents.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub worst: usize,

    /// Print only the totals and the worst documents.
    #[arg(short, long)]
    pub quiet: bool,

    /// Language code whose stopwords to use (as for cleaning).
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// Extra rules file in the built-in TOML format; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// How to read the inputs: detect HTML by content, or force text or HTML.
    #[arg(long, value_enum, default_value_t = crate::args::InputArg::Auto, value_name = "KIND")]
    pub input_kind: crate::args::InputArg,

    /// Replace invalid UTF-8 with U+FFFD instead of failing the file.
    #[arg(long)]
    pub lossy: bool,

    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = newsclean::DEFAULT_MAX_SIZE)]
    pub max_size: usize,

    #[command(flatten)]
    pub model: crate::args::ModelArgs,
}

/// The cleaner the flags describe; the same options as the clean command.
fn build_cleaner(a: &EvalArgs) -> Result<Cleaner> {
    let utf8 = if a.lossy { newsclean::Utf8Mode::Lossy } else { newsclean::Utf8Mode::Detect };
    crate::make_cleaner(&a.rules, a.lang.clone(), a.input_kind, utf8, a.max_size, &a.model)
}

/// Run the evaluation and print it. Errors (bad gold, missing input folder)
/// are usage-level: the caller exits 2.
pub fn run(a: &EvalArgs) -> Result<bool> {
    let gold = GoldSet::load(&a.gold)?;
    let cleaner;
    let source = if a.cleaned {
        Source::Cleaned
    } else {
        cleaner = build_cleaner(a)?;
        Source::Clean(&cleaner)
    };
    let report = evaluate(&gold, &a.input, source)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if !a.quiet {
        for d in &report.docs {
            writeln!(out, "{}", line(d))?;
        }
    }
    let worst = report.worst(a.worst);
    if !worst.is_empty() && !a.quiet {
        writeln!(out)?;
    }
    if !worst.is_empty() {
        writeln!(out, "Worst {}:", worst.len())?;
        for d in worst {
            writeln!(out, "  {}", line(d))?;
        }
    }
    writeln!(out, "{}", total_line(&report))?;
    out.flush()?;
    if let Some(path) = &a.json {
        let body = serde_json::to_vec_pretty(&report)?;
        std::fs::write(path, body).with_context(|| format!("{}: cannot write JSON report", path.display()))?;
    }
    Ok(true)
}

fn line(d: &DocResult) -> String {
    let score = match d.score {
        DocScore::Tokens(t) => {
            format!("P={:.3} R={:.3} F1={:.3}{}", t.precision, t.recall, t.f1, if t.exact { " exact" } else { "" })
        }
        DocScore::Snippets(s) => format!("tp={} fp={} fn={} tn={} F1={:.3}", s.tp, s.fp, s.fn_, s.tn, s.f1()),
    };
    let err = d.error.as_deref().map(|e| format!("  ({e})")).unwrap_or_default();
    format!("{:<48} {score}{err}", d.name)
}

fn total_line(r: &Report) -> String {
    let t = &r.total;
    match t.snippets {
        Some(s) => format!(
            "TOTAL docs={} skipped={} tp={} fp={} fn={} tn={} P={:.3} R={:.3} F1={:.3}",
            t.docs, t.skipped, s.tp, s.fp, s.fn_, s.tn, t.precision, t.recall, t.f1
        ),
        None => format!(
            "TOTAL docs={} exact={} P={:.3} R={:.3} F1={:.3}",
            t.docs,
            t.exact.unwrap_or(0),
            t.precision,
            t.recall,
            t.f1
        ),
    }
}
