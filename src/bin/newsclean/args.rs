//! Command-line arguments. The help text is the user's manual, so it says
//! what each flag does and shows examples.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  newsclean article.txt                  clean one file to stdout
  curl -s URL | newsclean                clean a page from stdin (HTML is detected)
  newsclean scraped/ --out clean/        clean a folder, one output file per input
  newsclean page.html --format json      text, paragraphs, removed blocks, metadata
  newsclean article.txt --explain        every block with KEEP/DROP and the rule
  newsclean article.txt --rules my.toml  add your own rules (see README, \"Rules files\")
  newsclean --jsonl crawl.jsonl -j 8     clean JSON Lines records in parallel, in order
  newsclean learn crawl.jsonl -o p.json  learn site templates; then --profile p.json
  newsclean train --gold gold/ --input pages/ -o my.json   train a block model; then --model my.json
  newsclean CC-MAIN-….warc.wet.gz        clean a Common Crawl WET (or WARC, ARC) file to JSON Lines
  newsclean snapshot pages/ --store snaps/ --check --rules my.toml   what would my.toml change?

Exit status: 0 all inputs cleaned, 1 some inputs failed (the rest were written), 2 usage error.";

#[derive(Debug, Parser)]
#[command(
    name = "newsclean",
    version,
    about = "Strip boilerplate from scraped news: captions, ads, related-story blocks, footers.",
    long_about = "Strip boilerplate from scraped news text or HTML and print the article alone.\n\n\
        Every block of the input is kept or dropped by a named rule, or, where no rule fires, by a \
        trained block model (see --explain). Rules come from built-in files for en, da, nl, de, fr, \
        es, sv, no, it and pt, all active at once; the model reads the shape of each block and its \
        neighbours, so it works in any language.",
    after_help = EXAMPLES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub clean: CleanArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Learn each site's template lines from a corpus, for --profile.
    Learn(crate::corpus_args::LearnArgs),
    /// Score cleaning against gold data (text folder, Scrapinghub, trafilatura, Readability pages, WCXB).
    Eval(crate::eval::EvalArgs),
    /// Train a block model on labelled pages, with a site-split cross-validation report.
    Train(crate::train::TrainArgs),
    /// Pin the clean output of sample pages in a snapshot folder; --check shows every change as a diff.
    Snapshot(crate::snapshot::SnapshotArgs),
}

/// The block model options, shared by cleaning, `eval` and `learn`.
#[derive(Debug, Clone, Default, Args)]
pub struct ModelArgs {
    /// Use this block model (made by `newsclean train`) instead of the
    /// built-in one for its view (text or HTML); repeat for one of each.
    #[arg(long, value_name = "FILE")]
    pub model: Vec<PathBuf>,

    /// The named rules alone: no block model.
    #[arg(long, conflicts_with = "model")]
    pub no_model: bool,
}

#[derive(Debug, Clone, Args)]
pub struct CleanArgs {
    /// Files or directories to clean. Directories are walked (hidden files
    /// skipped; .txt, .text, .html, .htm and extension-less files read).
    /// `-` or no path reads standard input. A WARC, WET or ARC file
    /// (gzipped or not, detected by content) is cleaned record by record,
    /// written as JSON Lines.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write one file per input into DIR, under the input's relative name
    /// (HTML inputs get .txt, --format json gets .json), instead of stdout.
    #[arg(short, long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Output format. `json` prints one JSON object per input and line:
    /// text, paragraphs, removed blocks with their rules, metadata.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Print every block with KEEP or DROP and the rule that decided it.
    #[arg(long)]
    pub explain: bool,

    /// Language code whose stopwords to use (en, da, nl, de, fr, es, sv, no,
    /// it, pt, or one from --rules). Default: detected per document.
    #[arg(long, value_name = "CODE")]
    pub lang: Option<String>,

    /// Extra rules file in the built-in TOML format; repeat for several.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// How to read input: detect HTML by content, or force text or HTML.
    #[arg(long, value_enum, default_value_t = InputArg::Auto)]
    pub input: InputArg,

    /// Replace invalid UTF-8 with U+FFFD instead of failing the file.
    #[arg(long)]
    pub lossy: bool,

    /// Refuse inputs larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = newsclean::DEFAULT_MAX_SIZE)]
    pub max_size: usize,

    #[command(flatten)]
    pub model: ModelArgs,

    /// Do not print `==> PATH <==` headers when several inputs go to stdout.
    #[arg(long)]
    pub no_filename: bool,

    /// When to colour --explain output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,

    #[command(flatten)]
    pub corpus: crate::corpus_args::CorpusArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputArg {
    Auto,
    Text,
    Html,
}

impl From<InputArg> for newsclean::InputKind {
    fn from(a: InputArg) -> Self {
        match a {
            InputArg::Auto => newsclean::InputKind::Auto,
            InputArg::Text => newsclean::InputKind::Text,
            InputArg::Html => newsclean::InputKind::Html,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}
