//! `newsclean train`: read labelled pages, cross-validate a block model by
//! site, print the report, and write the model trained on every page. The
//! work is [`newsclean::model::train`]; this file reads flags and prints.

use anyhow::{bail, Context, Result};
use clap::Args;
use newsclean::model::data::{self, GoldPage};
use newsclean::model::train::{self, Options, Report, Row, Tally};
use newsclean::model::View;
use newsclean::Cleaner;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Each --gold is read as `newsclean eval` reads it (a folder of .txt gold files matched to
inputs by name, Scrapinghub's ground-truth.json, Readability's test pages, WCXB); snippet
gold cannot train. --input gives the folder of its pages; leave it out when the pages sit
in the gold folder (as in the public benchmarks), or give one --input per --gold.

Every page is cut into blocks and each block is labelled story or boilerplate by aligning
its tokens to the gold text in order. HTML pages train the html view as they are, and the
text view as the scraped text a scraper would return (the page's text blocks around the
story). Pages whose gold aligns below 90% are left out.

The report is a site-split cross-validation: pages of one site never sit on both sides,
and each fold's threshold is chosen on the other folds' out-of-fold scores. The model written is
trained on every page, with the threshold that holds --recall on the out-of-fold scores.

Examples:
  newsclean train --gold gold/ --input pages/ -o my-sites.json
  newsclean train --view html --gold bench/ground-truth.json --input bench/ -o html.json
  newsclean --model my-sites.json scraped/ --out clean/
  models/train.sh                       the built-in models, from ../shared/eval")]
pub struct TrainArgs {
    /// Gold data (repeatable): see below.
    #[arg(long, value_name = "DIR_OR_FILE", required = true)]
    pub gold: Vec<PathBuf>,

    /// Folder of the pages of each --gold, in the same order.
    #[arg(long, value_name = "DIR")]
    pub input: Vec<PathBuf>,

    /// Which model to train: for text input or for HTML pages.
    #[arg(long, value_enum, default_value_t = ViewArg::Text)]
    pub view: ViewArg,

    /// Write the model here.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Write the cross-validation report as JSON here.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Cross-validation folds (split by site).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=20))]
    pub folds: u32,

    /// Story-token recall the threshold must hold (0.5-1).
    #[arg(long, default_value_t = 0.99)]
    pub recall: f64,

    /// Boosting rounds (trees).
    #[arg(long, default_value_t = 40)]
    pub trees: usize,

    /// Depth of each tree.
    #[arg(long, default_value_t = 4)]
    pub depth: usize,

    /// Text written into the model: what it was trained on (sources, licenses).
    #[arg(long, value_name = "TEXT")]
    pub trained_on: Option<String>,

    /// Extra rules file (their verdicts are features); repeat for several.
    #[arg(long, value_name = "FILE")]
    pub rules: Vec<PathBuf>,

    /// Write every block with its label and out-of-fold score as TSV here
    /// (to read what the model gets wrong).
    #[arg(long, value_name = "FILE")]
    pub dump: Option<PathBuf>,

    /// Print only the totals.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ViewArg {
    Text,
    Html,
}

pub fn run(a: &TrainArgs) -> Result<bool> {
    if !a.input.is_empty() && a.input.len() != a.gold.len() {
        bail!("give one --input per --gold ({} --gold, {} --input), or none", a.gold.len(), a.input.len());
    }
    if !(0.5..=1.0).contains(&a.recall) {
        bail!("--recall must be between 0.5 and 1, not {}", a.recall);
    }
    if a.output.is_none() && a.report.is_none() && a.dump.is_none() {
        bail!("nothing to write: give -o FILE for the model (and/or --report FILE, --dump FILE)");
    }
    let view = match a.view {
        ViewArg::Text => View::Text,
        ViewArg::Html => View::Html,
    };
    let no_model = crate::args::ModelArgs { model: Vec::new(), no_model: true };
    let cleaner: Cleaner = train::reading(crate::make_cleaner(
        &a.rules,
        None,
        crate::args::InputArg::Auto,
        newsclean::Utf8Mode::Lossy,
        newsclean::DEFAULT_MAX_SIZE,
        &no_model,
    )?);
    let mut pages: Vec<GoldPage> = Vec::new();
    for (i, g) in a.gold.iter().enumerate() {
        let input = a.input.get(i).unwrap_or(g);
        let input = if input.is_file() { input.parent().map(PathBuf::from).unwrap_or_default() } else { input.clone() };
        let p = data::read_pages(g, &input).with_context(|| format!("{}: cannot read training pages", g.display()))?;
        if !a.quiet {
            eprintln!("newsclean: {}: {} pages", g.display(), p.len());
        }
        pages.extend(p);
    }
    let started = std::time::Instant::now();
    let built = data::build(&pages, view, &cleaner);
    if !a.quiet {
        eprintln!("newsclean: labelled the pages in {:.1} s", started.elapsed().as_secs_f64());
    }
    if built.docs.iter().filter(|d| d.scored).count() < a.folds as usize * 2 {
        bail!(
            "only {} pages could be aligned to their gold; too few to train with {} folds",
            built.docs.len(),
            a.folds
        );
    }
    let blocks: usize = built.docs.iter().map(|d| d.story.len()).sum();
    let scored = built.docs.iter().filter(|d| d.scored).count();
    eprintln!(
        "newsclean: {} view: {} pages, {} aligned ({} documents, {} blocks), {} left out (gold aligned below {:.0}%); \
         gold-token coverage of the kept pages {:.3}",
        view.as_str(),
        built.pages,
        scored,
        built.docs.len(),
        blocks,
        built.unaligned,
        data::MIN_COVERAGE * 100.0,
        built.aligned_tokens as f64 / built.gold_tokens.max(1) as f64
    );
    let mut o = Options::new(view);
    o.folds = a.folds as usize;
    o.recall = a.recall;
    o.params.trees = a.trees;
    o.params.max_depth = a.depth;
    o.trained_on = a.trained_on.clone().unwrap_or_else(|| {
        let names: Vec<String> = a.gold.iter().map(|g| g.display().to_string()).collect();
        format!("{} pages of {}", scored, names.join(", "))
    });
    let started = std::time::Instant::now();
    let cv = train::cross_validate(&built.docs, &o);
    if !a.quiet {
        eprintln!("newsclean: cross-validation trained {} models in {:.1} s", o.folds, started.elapsed().as_secs_f64());
    }
    let report = train::report(&built.docs, &cv, &o, &cleaner);
    print_report(&report, a.quiet)?;
    if let Some(path) = &a.report {
        std::fs::write(path, serde_json::to_vec_pretty(&report)?)
            .with_context(|| format!("{}: cannot write the report", path.display()))?;
    }
    if let Some(path) = &a.dump {
        std::fs::write(path, train::dump_blocks(&built.docs, &cv))
            .with_context(|| format!("{}: cannot write the block dump", path.display()))?;
    }
    if let Some(path) = &a.output {
        let model = train::fit_final(&built.docs, &cv, &o);
        std::fs::write(path, model.to_json()).with_context(|| format!("{}: cannot write the model", path.display()))?;
        eprintln!(
            "newsclean: wrote {} (threshold {:.4}, {} trees)",
            path.display(),
            model.threshold,
            model.forest.trees.len()
        );
    }
    Ok(true)
}

fn cells(t: &Tally) -> String {
    format!("P={:.3} R={:.3} F1={:.3} exact={}", t.precision(), t.recall(), t.f1(), t.exact)
}

fn row_line(name: &str, r: &Row) -> String {
    format!(
        "{name:<24} docs={:<4} as-is F1={:.3} | rules {} | rules+model {}",
        r.rules.docs,
        r.as_is.f1(),
        cells(&r.rules),
        cells(&r.model)
    )
}

fn print_report(r: &Report, quiet: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let th: Vec<String> = r.thresholds.iter().map(|t| format!("{t:.3}")).collect();
    writeln!(
        out,
        "{} view, {}-fold cross-validation split by site; recall target {}; fold thresholds {}",
        r.view.as_str(),
        r.folds,
        r.recall_target,
        th.join(" ")
    )?;
    if !quiet {
        writeln!(out, "by source:")?;
        for (k, v) in &r.by_source {
            writeln!(out, "  {}", row_line(k, v))?;
        }
        writeln!(out, "by language:")?;
        for (k, v) in &r.by_language {
            writeln!(out, "  {}", row_line(k, v))?;
        }
    }
    writeln!(out, "{}", row_line("TOTAL", &r.total))?;
    out.flush()?;
    Ok(())
}
