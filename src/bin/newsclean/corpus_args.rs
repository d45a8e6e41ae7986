//! Flags of corpus mode: JSON Lines, parallel jobs, progress, site profiles,
//! and the `learn` subcommand. Kept apart from args.rs so that the main
//! flags stay readable.

use clap::Args;
use std::path::PathBuf;

/// Flags for cleaning many documents (flattened into the main flags).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Corpus mode")]
pub struct CorpusArgs {
    /// Read JSON Lines: one record per line, `{"id", "url", "text" | "html", ...}`,
    /// from the PATHs or standard input (`-` or none). Each record is written
    /// back to stdout, in input order, with `clean_text`, `removed` and
    /// `metadata` added and every other field untouched. A bad line is
    /// reported with its file and line number and the batch goes on.
    #[arg(long)]
    pub jsonl: bool,

    #[command(flatten)]
    pub fields: FieldArgs,

    /// With --jsonl: write failed records as JSON Lines error records
    /// `{"file", "line", "id", "error"}` to FILE instead of to stderr.
    #[arg(long, value_name = "FILE")]
    pub errors: Option<PathBuf>,

    #[command(flatten)]
    pub run: RunArgs,

    /// Drop the site template lines learnt by `newsclean learn` (rule name
    /// `profile.SITE`). The site is the host of a record's URL, or the folder
    /// a file sits in.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// Learn the site profile from the inputs first, then clean them with it
    /// (two passes; standard input is spooled to a temporary file).
    #[arg(long, conflicts_with = "profile")]
    pub auto_profile: bool,

    #[command(flatten)]
    pub thresholds: Thresholds,
}

/// Which record fields hold what.
#[derive(Debug, Clone, Args)]
pub struct FieldArgs {
    /// JSON field with plain text; used when a record has it.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,

    /// JSON field with raw HTML; used when a record has no text field.
    #[arg(long, value_name = "NAME", default_value = "html")]
    pub html_field: String,

    /// JSON field with the page URL; its host names the site for profiles.
    #[arg(long, value_name = "NAME", default_value = "url")]
    pub url_field: String,
}

impl FieldArgs {
    pub fn options(&self) -> newsclean::corpus::RecordOptions {
        newsclean::corpus::RecordOptions {
            text_field: self.text_field.clone(),
            html_field: self.html_field.clone(),
            url_field: self.url_field.clone(),
        }
    }
}

/// Parallelism and progress.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Documents cleaned at once (threads). Default: all cores.
    #[arg(short = 'j', long, value_name = "N")]
    pub jobs: Option<usize>,

    /// No progress bar (it is shown only when stderr is a terminal anyway).
    #[arg(short, long)]
    pub quiet: bool,

    /// Follow symbolic links when walking folders (a link given as a PATH
    /// is always followed). Without it, links met in a folder are skipped,
    /// as ripgrep does; a loop of links is an error for that entry only.
    #[arg(short = 'L', long)]
    pub follow: bool,
}

/// When a recurring line is a template line.
#[derive(Debug, Clone, Args)]
pub struct Thresholds {
    /// A template line recurs in at least K documents of its site.
    #[arg(long, value_name = "K", default_value_t = newsclean::corpus::learn::DEFAULT_MIN_DOCS)]
    pub min_docs: u64,

    /// … and in at least this share (0-1) of the site's documents.
    #[arg(long, value_name = "SHARE", default_value_t = newsclean::corpus::learn::DEFAULT_MIN_SHARE)]
    pub min_share: f64,
}

impl Thresholds {
    pub fn options(&self) -> newsclean::corpus::LearnOptions {
        newsclean::corpus::LearnOptions { min_docs: self.min_docs, min_share: self.min_share, ..Default::default() }
    }
}

/// `newsclean learn`: learn site templates from a corpus.
#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Examples:
  newsclean learn crawl.jsonl -o profile.json         sites from each record's url
  newsclean learn corpus/ -o profile.json             one folder per site: corpus/SITE/*.txt
  newsclean --jsonl --profile profile.json crawl.jsonl > clean.jsonl")]
pub struct LearnArgs {
    /// JSON Lines files (.jsonl, .ndjson, or any file with --jsonl), `-` for
    /// JSON Lines on standard input, or folders of text/HTML files, one
    /// sub-folder per site.
    #[arg(value_name = "CORPUS", required = true)]
    pub paths: Vec<PathBuf>,

    /// Where to write the profile (JSON).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Read every file as JSON Lines, whatever its extension.
    #[arg(long)]
    pub jsonl: bool,

    #[command(flatten)]
    pub fields: FieldArgs,

    #[command(flatten)]
    pub run: RunArgs,

    #[command(flatten)]
    pub thresholds: Thresholds,
}
