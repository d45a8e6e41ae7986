//! Scoring cleaned output against gold data, for `newsclean eval` and the
//! evaluation tests. Sits beside the pipeline, not in it: it runs a
//! [`Cleaner`] (or reads already-cleaned files) and compares the text.
//!
//! Two metrics, each the exact definition of a reference scorer:
//!
//! - **tokens** (`shared/tools/score.py`): bag of `\w+` tokens of the NFC,
//!   lower-cased text; precision, recall, F1 per document and micro-averaged
//!   over tokens; plus whether the paragraphs match exactly.
//! - **snippets** (trafilatura's `evaldata.json`): each `with` snippet found
//!   in the whitespace-normalised output is a true positive (else a false
//!   negative), each `without` snippet found is a false positive (else a true
//!   negative); scores over the summed counts.
//!
//! Four gold layouts are read, detected from the `--gold` path
//! ([`GoldSet::load`]): a folder of `.txt` files (or one file), Scrapinghub's
//! `ground-truth.json`, trafilatura's `evaldata.json`, and Mozilla
//! Readability's test pages (a folder per page, `expected.html` as gold).

use crate::error::{Error, Result};
use crate::Cleaner;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

// ---------------------------------------------------------------- tokens

/// Python's `re` `\w` for `str` is `str.isalnum()` or `_`: the letter and
/// number categories. (Rust's `\w` also takes combining marks and connector
/// punctuation, which would split some tokens differently.)
fn token_regex() -> &'static regex::Regex {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"[\p{L}\p{N}_]+").expect("valid token pattern"))
}

/// The tokens of `text` as score.py sees them: NFC, lower case, `\w+`.
pub fn tokens(text: &str) -> Vec<String> {
    let norm = text.nfc().collect::<String>().to_lowercase();
    token_regex().find_iter(&norm).map(|m| m.as_str().to_owned()).collect()
}

/// Paragraphs as score.py compares them: lines with whitespace folded,
/// blank lines dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split('\n')
        .map(|l| l.split(is_py_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Python's `str.split()` whitespace: Unicode White_Space plus the four
/// ASCII separator controls.
fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\x1c'..='\x1f').contains(&c)
}

/// Token scores of one document (score.py's `score`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TokenScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// The output's paragraphs equal the gold's, whitespace folded.
    pub exact: bool,
    /// Tokens in both (multiset intersection).
    pub common: usize,
    pub gold_tokens: usize,
    pub out_tokens: usize,
}

/// Score `out` against `gold` by bag of tokens.
pub fn score_tokens(gold: &str, out: &str) -> TokenScore {
    let mut g: FxHashMap<String, usize> = FxHashMap::default();
    for t in tokens(gold) {
        *g.entry(t).or_default() += 1;
    }
    let gold_tokens: usize = g.values().sum();
    let mut out_tokens = 0;
    let mut common = 0;
    for t in tokens(out) {
        out_tokens += 1;
        if let Some(n) = g.get_mut(&t) {
            if *n > 0 {
                *n -= 1;
                common += 1;
            }
        }
    }
    let precision = if out_tokens > 0 {
        common as f64 / out_tokens as f64
    } else if gold_tokens == 0 {
        1.0
    } else {
        0.0
    };
    let recall = if gold_tokens > 0 { common as f64 / gold_tokens as f64 } else { 1.0 };
    TokenScore {
        precision,
        recall,
        f1: f1(precision, recall),
        exact: paragraphs(gold) == paragraphs(out),
        common,
        gold_tokens,
        out_tokens,
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    }
}

// -------------------------------------------------------------- snippets

/// Confusion counts of snippet matching.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SnippetCounts {
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub tn: usize,
}

impl SnippetCounts {
    pub fn add(&mut self, o: SnippetCounts) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
        self.tn += o.tn;
    }
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn accuracy(&self) -> f64 {
        ratio(self.tp + self.tn, self.tp + self.tn + self.fp + self.fn_)
    }
    /// `2tp / (2tp + fp + fn)`, as trafilatura computes it.
    pub fn f1(&self) -> f64 {
        ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b > 0 {
        a as f64 / b as f64
    } else {
        0.0
    }
}

/// trafilatura's `norm`: runs of whitespace become one space, ends trimmed.
pub fn norm_space(text: &str) -> String {
    text.split(is_py_space).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Count `with` snippets found (tp) and missed (fn), `without` snippets
/// found (fp) and absent (tn), by case-sensitive substring match after
/// whitespace normalisation. `None` output (a failure) finds nothing.
pub fn score_snippets(with: &[String], without: &[String], out: Option<&str>) -> SnippetCounts {
    let (tp, fp) = match out {
        Some(out) if !out.is_empty() => {
            let o = norm_space(out);
            let found = |s: &String| o.contains(&norm_space(s));
            (with.iter().filter(|s| found(s)).count(), without.iter().filter(|s| found(s)).count())
        }
        _ => (0, 0),
    };
    SnippetCounts { tp, fp, fn_: with.len() - tp, tn: without.len() - fp }
}

// ------------------------------------------------------------------ gold

/// Which gold format a [`GoldSet`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// A folder of gold `.txt` files (or one file), matched to inputs by stem.
    Text,
    /// Scrapinghub's `ground-truth.json`; inputs are `html/<id>.html`.
    Scrapinghub,
    /// trafilatura's `evaldata.json`; inputs are `cache/FILE` or `eval/FILE`.
    Trafilatura,
    /// Mozilla Readability's test pages: a folder per page, holding
    /// `source.html` (the input) and `expected.html` (the gold, whose text
    /// is scored by tokens).
    Readability,
    /// WCXB (the Web Content eXtraction Benchmark): `ground-truth/ID.json`
    /// with `ground_truth.main_content` as the gold, inputs `html/ID.html.gz`
    /// (or `html/ID.html`), sites from `metadata.json`.
    Wcxb,
}

/// What a document should contain.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    /// The whole clean text.
    Text(String),
    /// Snippets that must and must not appear.
    Snippets { with: Vec<String>, without: Vec<String> },
}

/// One gold document.
#[derive(Debug, Clone, PartialEq)]
pub struct GoldDoc {
    /// The gold name: file name, id, or trafilatura's `file`.
    pub name: String,
    pub expected: Expected,
    /// The site the page comes from (its host or domain), where the gold
    /// says: cross-validation splits by it.
    pub site: Option<String>,
    /// The headline, where the gold gives it apart from the text (WCXB).
    pub title: Option<String>,
}

/// Gold data for a set of documents.
#[derive(Debug, Clone)]
pub struct GoldSet {
    pub layout: Layout,
    /// Sorted by name.
    pub docs: Vec<GoldDoc>,
}

impl GoldSet {
    /// Read gold data, telling the layout from the path: a folder holding
    /// `ground-truth.json` or `evaldata.json`, such a JSON file (recognised by
    /// its content), a folder of page folders with `expected.html`, a folder
    /// of text files, or one text file.
    pub fn load(path: &Path) -> Result<GoldSet> {
        if path.is_dir() {
            for name in ["ground-truth.json", "evaldata.json"] {
                let p = path.join(name);
                if p.is_file() {
                    return Self::load_json(&p);
                }
            }
            if path.join(WCXB_GOLD).is_dir() {
                return Self::load_wcxb_dir(path);
            }
            if let Some(set) = Self::load_readability_dir(path)? {
                return Ok(set);
            }
            return Self::load_text_dir(path);
        }
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.into(), source })?;
        if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) {
            return Self::parse_json(&bytes, path);
        }
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        Ok(GoldSet {
            layout: Layout::Text,
            docs: vec![GoldDoc { name, expected: Expected::Text(read_like_python(&bytes)), site: None, title: None }],
        })
    }

    fn load_json(path: &Path) -> Result<GoldSet> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.into(), source })?;
        Self::parse_json(&bytes, path)
    }

    /// Parse a Scrapinghub or trafilatura JSON file; the layout is told by
    /// the fields of its records (`articleBody` or `with`/`without`).
    pub fn parse_json(bytes: &[u8], path: &Path) -> Result<GoldSet> {
        let bad = |message: String| Error::Gold { path: path.into(), message };
        let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(format!("invalid JSON: {e}")))?;
        let obj = value.as_object().ok_or_else(|| bad("expected a JSON object of records".into()))?;
        let first = obj.values().next().ok_or_else(|| bad("no records".into()))?;
        let layout = if first.get("articleBody").is_some() {
            Layout::Scrapinghub
        } else if first.get("with").is_some() || first.get("without").is_some() {
            Layout::Trafilatura
        } else {
            return Err(bad("unknown gold format: records have neither `articleBody` (Scrapinghub) nor `with`/`without` (trafilatura)".into()));
        };
        let mut docs = Vec::with_capacity(obj.len());
        for (key, rec) in obj {
            let doc = match layout {
                Layout::Scrapinghub => {
                    let body = rec.get("articleBody").and_then(|v| v.as_str());
                    let body =
                        body.ok_or_else(|| bad(format!("record {key}: `articleBody` missing or not a string")))?;
                    GoldDoc {
                        name: key.clone(),
                        expected: Expected::Text(body.to_owned()),
                        site: rec.get("url").and_then(|u| u.as_str()).and_then(crate::corpus::site_of_url),
                        title: None,
                    }
                }
                _ => {
                    let file = rec.get("file").and_then(|v| v.as_str()).filter(|f| !f.is_empty());
                    let file = file.ok_or_else(|| bad(format!("record {key}: `file` missing or empty")))?;
                    let list = |field: &str| -> Result<Vec<String>> {
                        match rec.get(field) {
                            None => Ok(Vec::new()),
                            Some(v) => v
                                .as_array()
                                .and_then(|a| {
                                    a.iter().map(|s| s.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>()
                                })
                                .ok_or_else(|| bad(format!("record {key}: `{field}` must be a list of strings"))),
                        }
                    };
                    GoldDoc {
                        name: file.to_owned(),
                        expected: Expected::Snippets { with: list("with")?, without: list("without")? },
                        site: rec.get("url").and_then(|u| u.as_str()).and_then(crate::corpus::site_of_url),
                        title: None,
                    }
                }
            };
            docs.push(doc);
        }
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(GoldSet { layout, docs })
    }

    /// Readability's layout: every subfolder of `dir` that holds an
    /// `expected.html`, named by the subfolder. `None` if there is none.
    fn load_readability_dir(dir: &Path) -> Result<Option<GoldSet>> {
        let io = |source| Error::Io { path: dir.into(), source };
        let mut docs = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let gold = entry.path().join(READABILITY_GOLD);
            if !gold.is_file() {
                continue;
            }
            let bytes = std::fs::read(&gold).map_err(|source| Error::Io { path: gold.clone(), source })?;
            let text = html_text(&String::from_utf8_lossy(&bytes));
            docs.push(GoldDoc {
                name: entry.file_name().to_string_lossy().into_owned(),
                expected: Expected::Text(text),
                site: None,
                title: None,
            });
        }
        if docs.is_empty() {
            return Ok(None);
        }
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(Some(GoldSet { layout: Layout::Readability, docs }))
    }

    /// WCXB's layout: `ground-truth/ID.json` per page. A page whose
    /// `main_content` is missing or null has no gold and is left out.
    fn load_wcxb_dir(dir: &Path) -> Result<GoldSet> {
        let gdir = dir.join(WCXB_GOLD);
        let io = |source| Error::Io { path: gdir.clone(), source };
        let meta_path = dir.join("metadata.json");
        let domains: FxHashMap<String, String> = match std::fs::read(&meta_path) {
            Ok(bytes) => {
                let v: serde_json::Value = serde_json::from_slice(&bytes)
                    .map_err(|e| Error::Gold { path: meta_path.clone(), message: format!("invalid JSON: {e}") })?;
                v.get("files")
                    .and_then(|f| f.as_object())
                    .map(|files| {
                        files
                            .iter()
                            .filter_map(|(id, r)| Some((id.clone(), r.get("domain")?.as_str()?.to_owned())))
                            .collect()
                    })
                    .unwrap_or_default()
            }
            Err(_) => FxHashMap::default(),
        };
        let mut docs = Vec::new();
        for entry in std::fs::read_dir(&gdir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
            let v: serde_json::Value = serde_json::from_slice(&bytes)
                .map_err(|e| Error::Gold { path: path.clone(), message: format!("invalid JSON: {e}") })?;
            let Some(text) = v.pointer("/ground_truth/main_content").and_then(|t| t.as_str()) else {
                continue;
            };
            let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let site = domains
                .get(&name)
                .cloned()
                .or_else(|| v.get("url").and_then(|u| u.as_str()).and_then(crate::corpus::site_of_url));
            let title = v.pointer("/ground_truth/title").and_then(|t| t.as_str()).map(str::to_owned);
            docs.push(GoldDoc { name, expected: Expected::Text(text.to_owned()), site, title });
        }
        if docs.is_empty() {
            return Err(Error::Gold { path: gdir, message: "no WCXB ground-truth records".into() });
        }
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(GoldSet { layout: Layout::Wcxb, docs })
    }

    /// Every non-hidden file directly in `dir`, as score.py lists them.
    fn load_text_dir(dir: &Path) -> Result<GoldSet> {
        let io = |source| Error::Io { path: dir.into(), source };
        let mut docs = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let entry = entry.map_err(io)?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if name.starts_with('.') || !path.is_file() {
                continue;
            }
            let bytes = std::fs::read(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
            docs.push(GoldDoc { name, expected: Expected::Text(read_like_python(&bytes)), site: None, title: None });
        }
        if docs.is_empty() {
            return Err(Error::Gold { path: dir.into(), message: "no gold files in this folder".into() });
        }
        docs.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(GoldSet { layout: Layout::Text, docs })
    }
}

/// WCXB's gold folder.
const WCXB_GOLD: &str = "ground-truth";

/// The gold and input files of a Readability test page.
const READABILITY_GOLD: &str = "expected.html";
const READABILITY_SOURCE: &str = "source.html";

/// The text of an HTML fragment given as gold: a line per block element,
/// white space folded, script and style left out.
pub fn html_text(html: &str) -> String {
    use ego_tree::iter::Edge;
    use scraper::Node;
    const BLOCK: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ];
    let doc = scraper::Html::parse_fragment(html);
    let (mut out, mut hidden) = (String::new(), 0usize);
    for edge in doc.root_element().traverse() {
        let (open, node) = match edge {
            Edge::Open(n) => (true, n),
            Edge::Close(n) => (false, n),
        };
        match node.value() {
            Node::Text(t) if open && hidden == 0 => out.push_str(t),
            Node::Element(e) if matches!(e.name(), "script" | "style" | "template") => {
                hidden = if open { hidden + 1 } else { hidden.saturating_sub(1) };
            }
            Node::Element(e) if BLOCK.contains(&e.name()) => out.push('\n'),
            _ => {}
        }
    }
    out.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Decode as Python's `open(encoding="utf-8", errors="replace")` does:
/// bad bytes replaced, `\r\n` and `\r` read as `\n`.
fn read_like_python(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace("\r\n", "\n").replace('\r', "\n")
}

/// Extensions tried for a raw input, after the exact name.
const RAW_EXTS: &[&str] = &["html", "htm", "xhtml", "shtml", "txt", "text"];

/// Find the input file for a gold document under `dir`.
///
/// Raw inputs: the gold name itself, then the same stem with an HTML or text
/// extension, then the bare stem. Cleaned inputs (`cleaned`): `STEM.txt`
/// first, as `newsclean --out` writes it. Scrapinghub inputs may sit in
/// `html/`, trafilatura's in `cache/` then `eval/` (its own order). A
/// Readability page's input is `NAME/source.html` (cleaned: `NAME/source.txt`,
/// as `newsclean --out` writes it, or `NAME.txt`).
pub fn find_input(dir: &Path, layout: Layout, name: &str, cleaned: bool) -> Option<PathBuf> {
    let stem = Path::new(name).file_stem().map_or_else(|| name.to_owned(), |s| s.to_string_lossy().into_owned());
    let subdirs: &[&str] = match layout {
        Layout::Text => &[""],
        Layout::Scrapinghub => &["html", ""],
        Layout::Wcxb => {
            let base = dir.join("html");
            let candidates: Vec<PathBuf> = if cleaned {
                vec![base.join(format!("{stem}.txt")), dir.join(format!("{stem}.txt"))]
            } else {
                vec![base.join(format!("{stem}.html.gz")), base.join(format!("{stem}.html"))]
            };
            return candidates.into_iter().find(|p| p.is_file());
        }
        Layout::Trafilatura => &["cache", "eval", ""],
        Layout::Readability => {
            let page = dir.join(name);
            let candidates = if cleaned {
                vec![page.join(READABILITY_SOURCE).with_extension("txt"), dir.join(format!("{name}.txt"))]
            } else {
                vec![page.join(READABILITY_SOURCE)]
            };
            return candidates.into_iter().find(|p| p.is_file());
        }
    };
    let mut names = Vec::new();
    if cleaned {
        names.push(format!("{stem}.txt"));
        names.push(name.to_owned());
    } else {
        names.push(name.to_owned());
        names.extend(RAW_EXTS.iter().map(|e| format!("{stem}.{e}")));
    }
    names.push(stem);
    for sub in subdirs {
        let base = dir.join(sub);
        for n in &names {
            let p = base.join(n);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

// ---------------------------------------------------------------- report

/// Where the scored text comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// Clean each raw input with this cleaner.
    Clean(&'a Cleaner),
    /// The inputs are already-cleaned text.
    Cleaned,
}

/// The score of one document, by the gold's metric.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum DocScore {
    Tokens(TokenScore),
    Snippets(SnippetCounts),
}

impl DocScore {
    /// F1 of this document alone.
    pub fn f1(&self) -> f64 {
        match self {
            DocScore::Tokens(t) => t.f1,
            DocScore::Snippets(s) => s.f1(),
        }
    }
    /// How much is wrong (missed plus extra tokens or snippets); ranks ties.
    pub fn errors(&self) -> usize {
        match self {
            DocScore::Tokens(t) => (t.gold_tokens - t.common) + (t.out_tokens - t.common),
            DocScore::Snippets(s) => s.fp + s.fn_,
        }
    }
}

/// One document's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocResult {
    pub name: String,
    /// The input file scored, if one was found.
    pub input: Option<PathBuf>,
    /// Why there is no output (missing input, unreadable, clean failed);
    /// such a document counts as empty output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(flatten)]
    pub score: DocScore,
}

/// Totals over all documents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Total {
    pub docs: usize,
    /// trafilatura only: gold records without an input file, left out as
    /// trafilatura's own scorer leaves them out.
    pub skipped: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Token metric: documents whose paragraphs match exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exact: Option<usize>,
    /// Token metric: summed counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub common: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gold_tokens: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_tokens: Option<usize>,
    /// Snippet metric: summed counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippets: Option<SnippetCounts>,
}

/// The whole evaluation.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub layout: Layout,
    /// `tokens` or `snippets`.
    pub metric: &'static str,
    pub total: Total,
    /// In gold order (sorted by name).
    pub docs: Vec<DocResult>,
}

impl Report {
    /// The `n` lowest-scoring imperfect documents, worst first (lower F1,
    /// then more errors, then name).
    pub fn worst(&self, n: usize) -> Vec<&DocResult> {
        let mut v: Vec<&DocResult> = self.docs.iter().filter(|d| d.score.errors() > 0 || d.error.is_some()).collect();
        v.sort_by(|a, b| {
            a.score
                .f1()
                .total_cmp(&b.score.f1())
                .then(b.score.errors().cmp(&a.score.errors()))
                .then(a.name.cmp(&b.name))
        });
        v.truncate(n);
        v
    }
}

/// Score every gold document against its input under `input_dir`, in
/// parallel. A missing or failing input scores as empty output (for
/// trafilatura, a missing input is skipped, as its scorer does).
pub fn evaluate(gold: &GoldSet, input_dir: &Path, source: Source<'_>) -> Result<Report> {
    if !input_dir.is_dir() {
        let source = std::io::Error::new(std::io::ErrorKind::NotFound, "input folder not found");
        return Err(Error::Io { path: input_dir.into(), source });
    }
    let cleaned = matches!(source, Source::Cleaned);
    let results: Vec<Option<DocResult>> = gold
        .docs
        .par_iter()
        .map(|doc| {
            let input = find_input(input_dir, gold.layout, &doc.name, cleaned);
            if input.is_none() && gold.layout == Layout::Trafilatura {
                return None;
            }
            let (out, error) = match &input {
                None => (None, Some("no input file found".to_owned())),
                Some(path) => match produce(path, source) {
                    Ok(text) => (Some(text), None),
                    Err(e) => (None, Some(e.to_string())),
                },
            };
            let score = match &doc.expected {
                Expected::Text(g) => DocScore::Tokens(score_tokens(g, out.as_deref().unwrap_or(""))),
                Expected::Snippets { with, without } => {
                    DocScore::Snippets(score_snippets(with, without, out.as_deref()))
                }
            };
            Some(DocResult { name: doc.name.clone(), input, error, score })
        })
        .collect();
    let skipped = results.iter().filter(|r| r.is_none()).count();
    let docs: Vec<DocResult> = results.into_iter().flatten().collect();
    let metric =
        if gold.docs.iter().any(|d| matches!(d.expected, Expected::Snippets { .. })) { "snippets" } else { "tokens" };
    let total = if metric == "tokens" { token_total(&docs, skipped) } else { snippet_total(&docs, skipped) };
    Ok(Report { layout: gold.layout, metric, total, docs })
}

/// Read an input file, unpacking it when its name ends in `.gz` (WCXB ships
/// its pages compressed).
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io { path: path.into(), source };
    let bytes = std::fs::read(path).map_err(io)?;
    if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("gz")) {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(&bytes[..]), &mut out).map_err(io)?;
        return Ok(out);
    }
    Ok(bytes)
}

fn produce(path: &Path, source: Source<'_>) -> Result<String> {
    let bytes = read_input(path)?;
    match source {
        Source::Cleaned => Ok(read_like_python(&bytes)),
        Source::Clean(c) => Ok(c.clean_bytes(&bytes)?.text),
    }
}

/// score.py's totals: micro-averaged over tokens.
fn token_total(docs: &[DocResult], skipped: usize) -> Total {
    let (mut common, mut gt, mut ot, mut exact) = (0, 0, 0, 0);
    for d in docs {
        if let DocScore::Tokens(t) = d.score {
            common += t.common;
            gt += t.gold_tokens;
            ot += t.out_tokens;
            exact += usize::from(t.exact);
        }
    }
    let (p, r) = (ratio(common, ot), ratio(common, gt));
    Total {
        docs: docs.len(),
        skipped,
        precision: p,
        recall: r,
        f1: f1(p, r),
        exact: Some(exact),
        common: Some(common),
        gold_tokens: Some(gt),
        out_tokens: Some(ot),
        snippets: None,
    }
}

fn snippet_total(docs: &[DocResult], skipped: usize) -> Total {
    let mut sum = SnippetCounts::default();
    for d in docs {
        if let DocScore::Snippets(s) = d.score {
            sum.add(s);
        }
    }
    Total {
        docs: docs.len(),
        skipped,
        precision: sum.precision(),
        recall: sum.recall(),
        f1: sum.f1(),
        exact: None,
        common: None,
        gold_tokens: None,
        out_tokens: None,
        snippets: Some(sum),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn tokens_follow_python_word_chars() {
        // Decomposed accents compose under NFC; hyphens split; `_` and
        // non-decimal numbers belong to words; case folds.
        let t = tokens("Ca\u{301}fe\u{301} co-op, naïve_x 2½ ²³ ÆBLE Øl ñ");
        assert_eq!(t, s(&["cáfé", "co", "op", "naïve_x", "2½", "²³", "æble", "øl", "ñ"]));
        // Full lower-casing: dotted İ leaves a combining dot, which is not a
        // word char in Python and so splits the token; final sigma.
        assert_eq!(tokens("İstanbul ΟΔΟΣ straße"), s(&["i", "stanbul", "οδος", "straße"]));
        assert_eq!(tokens("ΟΔΟΣ").last().unwrap().chars().last(), Some('ς'));
        // Combining vowel signs split Devanagari words, as in Python.
        assert_eq!(tokens("क्षत्रिय"), s(&["क", "षत", "र", "य"]));
        assert!(tokens(" .,;!? — «»").is_empty());
    }

    #[test]
    fn token_score_is_a_multiset_intersection() {
        let sc = score_tokens("the cat the dog", "The the THE cat bird.");
        assert_eq!((sc.common, sc.gold_tokens, sc.out_tokens), (3, 4, 5));
        assert!((sc.precision - 0.6).abs() < 1e-12);
        assert!((sc.recall - 0.75).abs() < 1e-12);
        assert!((sc.f1 - 2.0 / 3.0).abs() < 1e-12);
        assert!(!sc.exact);
        // NFC makes composed and decomposed forms the same token.
        let sc = score_tokens("Caf\u{e9} ol\u{e9}", "cafe\u{301} OLE\u{301}");
        assert_eq!((sc.common, sc.f1), (2, 1.0));
    }

    #[test]
    fn token_score_edge_cases_match_score_py() {
        let e = score_tokens("", "");
        assert_eq!((e.precision, e.recall, e.f1, e.exact), (1.0, 1.0, 1.0, true));
        let missed = score_tokens("word", "");
        assert_eq!((missed.precision, missed.recall, missed.f1), (0.0, 0.0, 0.0));
        let extra = score_tokens("", "word");
        assert_eq!((extra.precision, extra.recall, extra.f1), (0.0, 1.0, 0.0));
    }

    #[test]
    fn exact_compares_paragraphs_with_whitespace_folded() {
        assert_eq!(paragraphs("  a \t b \n\n\u{a0}\nc\x1fd\r\n"), s(&["a b", "c d"]));
        assert!(score_tokens("One  two.\n\nThree.", "One two.\nThree.\n").exact);
        assert!(!score_tokens("One two.\nThree.", "One two. Three.").exact);
    }

    #[test]
    fn snippets_count_found_and_missed() {
        let with = s(&["the first  line", "Missing bit"]);
        let without = s(&["Imprint", "Share this"]);
        let out = "The first\nline of text and the first line.\n\nShare this article";
        let c = score_snippets(&with, &without, Some(out));
        // case-sensitive: "The first line" is not "the first line", but the
        // second occurrence is.
        assert_eq!(c, SnippetCounts { tp: 1, fp: 1, fn_: 1, tn: 1 });
        let none = score_snippets(&with, &without, None);
        assert_eq!(none, SnippetCounts { tp: 0, fp: 0, fn_: 2, tn: 2 });
        let mut sum = c;
        sum.add(SnippetCounts { tp: 3, fp: 0, fn_: 0, tn: 2 });
        assert_eq!((sum.precision(), sum.recall()), (0.8, 0.8));
        assert!((sum.f1() - 0.8).abs() < 1e-12);
        assert!((sum.accuracy() - 7.0 / 9.0).abs() < 1e-12);
        assert_eq!(SnippetCounts::default().f1(), 0.0);
    }

    fn write(dir: &Path, rel: &str, body: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, body).unwrap();
    }

    #[test]
    fn text_folder_gold_matches_inputs_by_stem() {
        let gold = tempfile::tempdir().unwrap();
        let input = tempfile::tempdir().unwrap();
        write(gold.path(), "a.txt", "Alpha beta gamma.\r\n");
        write(gold.path(), "b.txt", "Delta epsilon.\n");
        write(gold.path(), ".hidden", "ignored");
        write(input.path(), "a.html", "<html><body><p>Alpha beta gamma.</p></body></html>");
        write(input.path(), "b.txt", "Delta epsilon.\n");
        let g = GoldSet::load(gold.path()).unwrap();
        assert_eq!(g.layout, Layout::Text);
        assert_eq!(g.docs.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["a.txt", "b.txt"]);
        assert_eq!(g.docs[0].expected, Expected::Text("Alpha beta gamma.\n".into()));
        assert_eq!(find_input(input.path(), Layout::Text, "a.txt", false), Some(input.path().join("a.html")));
        assert_eq!(find_input(input.path(), Layout::Text, "b.txt", false), Some(input.path().join("b.txt")));
        assert_eq!(find_input(input.path(), Layout::Text, "c.txt", false), None);

        let r = evaluate(&g, input.path(), Source::Cleaned).unwrap();
        assert_eq!(r.metric, "tokens");
        // a.txt's input is the raw HTML page, scored as if it were clean.
        let DocScore::Tokens(b) = r.docs[1].score else { panic!("token score") };
        assert!(b.exact && b.f1 == 1.0);
        assert_eq!(r.total.exact, Some(1));
    }

    #[test]
    fn missing_input_counts_as_empty_output() {
        let gold = tempfile::tempdir().unwrap();
        let input = tempfile::tempdir().unwrap();
        write(gold.path(), "a.txt", "one two");
        write(gold.path(), "b.txt", "three four");
        write(input.path(), "a.txt", "one two");
        let r = evaluate(&GoldSet::load(gold.path()).unwrap(), input.path(), Source::Clean(&Cleaner::new())).unwrap();
        assert_eq!(r.docs[1].error.as_deref(), Some("no input file found"));
        assert_eq!((r.total.common, r.total.gold_tokens, r.total.out_tokens), (Some(2), Some(4), Some(2)));
        assert_eq!((r.total.precision, r.total.recall), (1.0, 0.5));
        assert_eq!(r.worst(1)[0].name, "b.txt");
        // a.txt is perfect, so it is not among the worst.
        assert_eq!(r.worst(5).len(), 1);
        assert!(evaluate(&GoldSet::load(gold.path()).unwrap(), &input.path().join("nope"), Source::Cleaned).is_err());
    }

    #[test]
    fn one_gold_file_is_a_text_layout() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "g/x.txt", "Some words here.");
        let g = GoldSet::load(&dir.path().join("g/x.txt")).unwrap();
        assert_eq!((g.layout, g.docs.len(), g.docs[0].name.as_str()), (Layout::Text, 1, "x.txt"));
    }

    #[test]
    fn scrapinghub_gold_reads_article_bodies() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "ground-truth.json",
            r#"{"b2": {"articleBody": "Second body.", "url": "http://x/2"}, "a1": {"articleBody": "First body.", "url": "http://x/1"}}"#,
        );
        write(dir.path(), "html/a1.html", "<p>x</p>");
        write(dir.path(), "out/html/a1.txt", "First body.\n");
        let g = GoldSet::load(dir.path()).unwrap();
        assert_eq!(g.layout, Layout::Scrapinghub);
        assert_eq!(
            g.docs[0],
            GoldDoc {
                name: "a1".into(),
                expected: Expected::Text("First body.".into()),
                site: Some("x".into()),
                title: None
            }
        );
        assert_eq!(find_input(dir.path(), Layout::Scrapinghub, "a1", false), Some(dir.path().join("html/a1.html")));
        assert_eq!(
            find_input(&dir.path().join("out"), Layout::Scrapinghub, "a1", true),
            Some(dir.path().join("out/html/a1.txt"))
        );
        // The JSON file itself works too.
        assert_eq!(GoldSet::load(&dir.path().join("ground-truth.json")).unwrap().docs.len(), 2);
    }

    #[test]
    fn trafilatura_gold_reads_snippets_and_skips_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "evaldata.json",
            r#"{"http://a": {"file": "a.site.html", "with": ["Kept sentence"], "without": ["Menu"], "title": "t"},
                "http://b": {"file": "b.site.html", "with": ["Other"], "without": ["Footer"]}}"#,
        );
        write(dir.path(), "eval/a.site.html", "x");
        write(dir.path(), "out/eval/a.site.txt", "Kept   sentence here.\n\nMenu\n");
        let g = GoldSet::load(dir.path()).unwrap();
        assert_eq!(g.layout, Layout::Trafilatura);
        assert_eq!(g.docs[0].expected, Expected::Snippets { with: s(&["Kept sentence"]), without: s(&["Menu"]) });
        assert_eq!(
            find_input(dir.path(), Layout::Trafilatura, "a.site.html", false),
            Some(dir.path().join("eval/a.site.html"))
        );
        let r = evaluate(&g, &dir.path().join("out"), Source::Cleaned).unwrap();
        assert_eq!((r.metric, r.total.docs, r.total.skipped), ("snippets", 1, 1));
        assert_eq!(r.total.snippets, Some(SnippetCounts { tp: 1, fp: 1, fn_: 0, tn: 0 }));
    }

    #[test]
    fn bad_gold_errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "broken.json", "{not json");
        write(dir.path(), "odd.json", r#"{"k": {"text": "x"}}"#);
        write(dir.path(), "t.json", r#"{"k": {"file": "f.html", "with": [1]}}"#);
        for (name, needle) in
            [("broken.json", "invalid JSON"), ("odd.json", "unknown gold format"), ("t.json", "`with` must be")]
        {
            let err = GoldSet::load(&dir.path().join(name)).unwrap_err().to_string();
            assert!(err.contains(name) && err.contains(needle), "{err}");
        }
        let err = GoldSet::load(&dir.path().join("absent.txt")).unwrap_err().to_string();
        assert!(err.contains("absent.txt"), "{err}");
        let empty = tempfile::tempdir().unwrap();
        assert!(GoldSet::load(empty.path()).unwrap_err().to_string().contains("no gold files"));
    }

    #[test]
    fn readability_pages_are_folders_with_expected_and_source() {
        let dir = tempfile::tempdir().unwrap();
        let page = dir.path().join("harbour");
        std::fs::create_dir(&page).unwrap();
        std::fs::write(
            page.join("expected.html"),
            "<div><h2>Bridge <em>vote</em></h2><p>The council voted.</p><script>var x;</script><p>Work starts in May.</p></div>",
        )
        .unwrap();
        std::fs::write(
            page.join("source.html"),
            "<html><body><article><h2>Bridge vote</h2><p>The council voted.</p><p>Work starts in May.</p></article>\
             <aside class=\"related\"><a href=\"/x\">Other news</a></aside></body></html>",
        )
        .unwrap();
        // A folder without expected.html is not a page.
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        let gold = GoldSet::load(dir.path()).unwrap();
        assert_eq!(gold.layout, Layout::Readability);
        assert_eq!(gold.docs.len(), 1);
        assert_eq!(gold.docs[0].name, "harbour");
        // Inline elements stay inside their line; script text is not gold.
        let want = Expected::Text("Bridge vote\nThe council voted.\nWork starts in May.".into());
        assert_eq!(gold.docs[0].expected, want);
        assert_eq!(find_input(dir.path(), Layout::Readability, "harbour", false), Some(page.join("source.html")));
        assert_eq!(find_input(dir.path(), Layout::Readability, "harbour", true), None);
        let report = evaluate(&gold, dir.path(), Source::Clean(&Cleaner::new())).unwrap();
        assert_eq!(report.metric, "tokens");
        assert!(report.total.f1 > 0.99, "{:?}", report.total);
    }
}
