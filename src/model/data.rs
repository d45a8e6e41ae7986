//! Training data from gold pages: every block labelled story or
//! boilerplate by aligning the page's blocks to its gold text.
//!
//! Labels come from an in-order alignment by tokens (a patience diff of the
//! blocks' `\w+` tokens against the gold's), never from substring search: a
//! short "Share" block is not story text because the gold contains the word
//! somewhere. A block is story when at least half its tokens align (all of
//! them, for a block of three tokens or fewer). A page whose gold aligns
//! below [`MIN_COVERAGE`] (gold drafted from content the page loads by
//! script, partial gold) is left out and counted.
//!
//! Each HTML page gives two views:
//! - **html**: the blocks of the page with their DOM evidence, as
//!   [`crate::Cleaner`] reads them;
//! - **text**: the *scraped text* a scraper would return: the page's
//!   visible text blocks in order, from two blocks before the first gold
//!   block to six after the last, with every caption, teaser, share line, ad
//!   label and footer in that span; only single non-gold blocks over 400
//!   characters (whole-page junk) are left out. Its gold is the text of its
//!   story blocks, so a perfect cleaner scores 1.0 on it.
//!
//! A text page (seeds with their expected text) gives the text view only.
//!
//! newsclean keeps the headline; most benchmarks' gold leaves it out (WCXB
//! gives it as a separate field, Scrapinghub not at all). The headline (the
//! gold's title, else the page's own `<title>` or `og:title`) is put before
//! the gold text, so that the block that states it aligns as story.

use crate::blocks::Block;
use crate::classify::Metadata;
use crate::eval::{self, Expected, GoldSet, Layout};
use crate::model::View;
use crate::Cleaner;
use rayon::prelude::*;
use std::hash::{Hash, Hasher};
use std::path::Path;

/// Pages whose gold aligns below this share of its tokens are left out.
pub const MIN_COVERAGE: f64 = 0.9;

/// Blocks kept before the first and after the last gold block in the
/// scraped-text view that is scored. Training also reads each page with
/// none ([`Lead::Story`]): with always two blocks of boilerplate first, a
/// model learns that a text's first block is never story, and a scraper
/// that starts at the headline proves it wrong.
const BEFORE: usize = 2;
const AFTER: usize = 6;
/// A non-gold block longer than this (characters) is left out of the
/// scraped-text view.
const JUNK_CHARS: usize = 400;

/// A page with its gold, as read from a benchmark or a user's folder.
#[derive(Debug, Clone)]
pub struct GoldPage {
    /// Which set it came from (the gold folder's name).
    pub source: String,
    pub name: String,
    /// The site, for splitting: the gold's host or domain, else the name.
    pub site: String,
    pub input: PageInput,
    pub gold: String,
}

#[derive(Debug, Clone)]
pub enum PageInput {
    Html(Vec<u8>),
    Text(String),
}

/// One document of one view, ready for training and for scoring.
#[derive(Debug, Clone)]
pub struct Doc {
    pub source: String,
    pub name: String,
    pub site: String,
    /// Whether the report scores it (a document made only for training is not).
    pub scored: bool,
    /// What the cleaner reads when the document is scored (the scraped
    /// text with the full lead and tail, or the page).
    pub input: PageInput,
    /// What a perfect cleaner returns for `input` (text view: its story
    /// blocks; html view: the benchmark's gold).
    pub gold: String,
    /// The language the cleaner detected.
    pub language: Option<String>,
    /// Rows of [`crate::model::vector::rows`], one per block.
    pub rows: Vec<f32>,
    /// Per block: may the model decide it ([`crate::model::in_scope`]).
    pub scope: Vec<bool>,
    /// Per block: story text.
    pub story: Vec<bool>,
    /// Per block: its token count (the weight of its errors).
    pub tokens: Vec<usize>,
    /// Per block: its text, for inspecting labels and errors.
    pub texts: Vec<String>,
}

/// What reading a set gave: the documents and what was left out.
#[derive(Debug, Clone, Default)]
pub struct Built {
    pub docs: Vec<Doc>,
    /// Pages read.
    pub pages: usize,
    /// Pages left out because their gold aligned below [`MIN_COVERAGE`].
    pub unaligned: usize,
    /// Summed gold tokens and aligned gold tokens of the pages kept.
    pub gold_tokens: usize,
    pub aligned_tokens: usize,
}

/// Read a gold set and its inputs (`input_dir`, the same folder for the
/// public benchmarks). Snippet gold (trafilatura's) has no full text and is
/// refused.
pub fn read_pages(gold_path: &Path, input_dir: &Path) -> crate::Result<Vec<GoldPage>> {
    let set = GoldSet::load(gold_path)?;
    let source = gold_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| gold_path.display().to_string());
    let mut out = Vec::new();
    for doc in &set.docs {
        let Expected::Text(gold) = &doc.expected else {
            return Err(crate::Error::Gold {
                path: gold_path.into(),
                message: "snippet gold (with/without) cannot train a model: it needs the full clean text".into(),
            });
        };
        let Some(path) = eval::find_input(input_dir, set.layout, &doc.name, false) else {
            continue;
        };
        let bytes = eval::read_input(&path)?;
        let html = match set.layout {
            Layout::Text => crate::input::sniff(&bytes) == crate::InputKind::Html,
            _ => true,
        };
        let input = if html {
            PageInput::Html(bytes)
        } else {
            PageInput::Text(crate::input::decode_text(&bytes, crate::Utf8Mode::Lossy)?)
        };
        let title = match (&doc.title, &input) {
            (Some(t), _) => Some(t.clone()),
            (None, PageInput::Html(bytes)) => crate::html::walk_bytes(bytes).page().metadata.title,
            (None, PageInput::Text(_)) => None,
        };
        let gold = match title.filter(|t| !t.trim().is_empty()) {
            Some(t) => format!("{}\n\n{gold}", t.trim()),
            None => gold.clone(),
        };
        out.push(GoldPage {
            source: source.clone(),
            name: doc.name.clone(),
            site: doc.site.clone().unwrap_or_else(|| doc.name.clone()),
            input,
            gold,
        });
    }
    Ok(out)
}

fn token_hashes(text: &str) -> Vec<u64> {
    eval::tokens(text)
        .iter()
        .map(|t| {
            let mut h = rustc_hash::FxHasher::default();
            t.hash(&mut h);
            h.finish()
        })
        .collect()
}

/// Align blocks to the gold in order. Returns, per block, how many of its
/// tokens align, and how many gold tokens align in all.
pub fn align(blocks: &[Vec<u64>], gold: &[u64]) -> (Vec<usize>, usize) {
    let mut stream = Vec::new();
    let mut owner = Vec::new();
    for (i, b) in blocks.iter().enumerate() {
        stream.extend_from_slice(b);
        owner.extend(std::iter::repeat_n(i, b.len()));
    }
    let mut matched = vec![0usize; blocks.len()];
    let mut total = 0;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    for op in similar::capture_diff_slices_deadline(similar::Algorithm::Patience, &stream, gold, Some(deadline)) {
        if let similar::DiffOp::Equal { old_index, len, .. } = op {
            for &o in &owner[old_index..old_index + len] {
                matched[o] += 1;
            }
            total += len;
        }
    }
    (matched, total)
}

/// The gold's short lines (three tokens or fewer: subheadings, datelines),
/// as token sequences.
fn short_lines(gold: &str) -> Vec<Vec<u64>> {
    gold.lines().map(token_hashes).filter(|t| !t.is_empty() && t.len() <= 3).collect()
}

/// A page's gold as the alignment reads it.
struct Gold {
    tokens: Vec<u64>,
    /// [`short_lines`].
    short: Vec<Vec<u64>>,
}

impl Gold {
    fn new(text: &str) -> Gold {
        Gold { tokens: token_hashes(text), short: short_lines(text) }
    }
}

/// Story labels from an alignment. A block of three tokens or fewer is story
/// only when it aligns whole and the gold has it as a line of its own: an
/// alignment cannot tell a "Share" button from the first word of a gold
/// sentence that starts with it.
fn labels(tokens: &[Vec<u64>], matched: &[usize], short: &[Vec<u64>]) -> Vec<bool> {
    tokens
        .iter()
        .zip(matched)
        .map(|(t, &m)| !t.is_empty() && if t.len() <= 3 { m == t.len() && short.contains(t) } else { m * 2 >= t.len() })
        .collect()
}

/// The stages before the model, for one view of one input.
fn prepared(cleaner: &Cleaner, input: &PageInput) -> crate::Prepared {
    match input {
        PageInput::Html(bytes) => {
            let walked = crate::html::walk_bytes(bytes);
            let page = walked.page();
            cleaner.prepare(page.blocks, page.metadata, false)
        }
        PageInput::Text(text) => {
            cleaner.prepare(crate::blocks::segment(&crate::input::normalize_cow(text)), Metadata::default(), false)
        }
    }
}

/// How much boilerplate the scraped-text view takes around the story.
#[derive(Debug, Clone, Copy)]
enum Lead {
    /// [`BEFORE`] and [`AFTER`] blocks: the documents that are scored.
    Full,
    /// From the first to the last gold block, with the boilerplate between
    /// them: trained on only.
    Story,
}

/// The scraped-text views of an HTML page, from one walk and one alignment.
struct Scraped {
    /// With [`Lead::Full`]: what is scored.
    full: String,
    /// With [`Lead::Story`]: trained on only.
    story: String,
}

/// The scraped-text views of an HTML page, or `None` when nothing aligns.
fn scraped_text(bytes: &[u8], gold: &Gold) -> Option<Scraped> {
    let walked = crate::html::walk_bytes(bytes);
    let blocks: Vec<Block> =
        walked.whole_page().blocks.into_iter().filter(|b| !b.dom.as_ref().is_some_and(|d| d.hidden)).collect();
    let toks: Vec<Vec<u64>> = blocks.iter().map(|b| token_hashes(&b.text)).collect();
    let (matched, _) = align(&toks, &gold.tokens);
    let story = labels(&toks, &matched, &gold.short);
    let first = story.iter().position(|&s| s)?;
    let last = story.iter().rposition(|&s| s)?;
    let view = |lead: Lead| {
        let (before, after) = match lead {
            Lead::Full => (BEFORE, AFTER),
            Lead::Story => (0, 0),
        };
        let from = first.saturating_sub(before);
        let to = (last + after + 1).min(blocks.len());
        let parts: Vec<&str> = (from..to)
            .filter(|&i| story[i] || blocks[i].text.chars().count() <= JUNK_CHARS)
            .map(|i| blocks[i].text.as_str())
            .collect();
        parts.join("\n\n")
    };
    Some(Scraped { full: view(Lead::Full), story: view(Lead::Story) })
}

/// The text of the story blocks, as a perfect cleaner returns it.
fn story_text(blocks: &[Block], story: &[bool]) -> String {
    let parts: Vec<&str> = blocks.iter().zip(story).filter(|(_, &s)| s).map(|(b, _)| b.text.as_str()).collect();
    parts.join("\n\n")
}

/// One input cut into blocks, up to the model, with its labels.
struct Labelled {
    doc: Doc,
    covered: usize,
}

fn labelled(cleaner: &Cleaner, p: &GoldPage, input: PageInput, gold: &Gold, view: View, scored: bool) -> Labelled {
    let prep = prepared(cleaner, &input);
    let toks: Vec<Vec<u64>> = prep.blocks.iter().map(|b| token_hashes(&b.text)).collect();
    let (matched, covered) = align(&toks, &gold.tokens);
    let story = labels(&toks, &matched, &gold.short);
    let gold_text = match view {
        View::Html => p.gold.clone(),
        View::Text => story_text(&prep.blocks, &story),
    };
    let rows = crate::model::vector::rows(&prep.blocks, &prep.feats, &prep.verdicts);
    let doc = Doc {
        source: p.source.clone(),
        name: p.name.clone(),
        site: p.site.clone(),
        scored,
        input,
        gold: gold_text,
        language: prep.meta.language.clone(),
        rows,
        scope: prep.verdicts.iter().map(|v| crate::model::in_scope(view, v)).collect(),
        story,
        tokens: toks.iter().map(Vec::len).collect(),
        texts: prep.blocks.into_iter().map(|b| b.text).collect(),
    };
    Labelled { doc, covered }
}

/// Make the documents of one view from gold pages, in parallel, in page
/// order. `cleaner` gives the rules (its model is not used). An HTML page
/// in the text view gives two documents: its scraped text with the full
/// lead and tail (scored and trained on), and the story span alone
/// (trained on only; see [`BEFORE`]).
pub fn build(pages: &[GoldPage], view: View, cleaner: &Cleaner) -> Built {
    let results: Vec<Option<(Vec<Doc>, usize, usize)>> = pages
        .par_iter()
        .map(|p| {
            let gold = Gold::new(&p.gold);
            let n = gold.tokens.len();
            if n == 0 {
                return Some((Vec::new(), 0, 0));
            }
            let mut docs = Vec::new();
            let main = match (view, &p.input) {
                (View::Html, PageInput::Text(_)) => return None,
                (View::Html, _) | (View::Text, PageInput::Text(_)) => {
                    labelled(cleaner, p, p.input.clone(), &gold, view, true)
                }
                (View::Text, PageInput::Html(bytes)) => {
                    let Some(scraped) = scraped_text(bytes, &gold) else {
                        return Some((Vec::new(), n, 0));
                    };
                    if scraped.story != scraped.full {
                        docs.push(labelled(cleaner, p, PageInput::Text(scraped.story), &gold, view, false).doc);
                    }
                    labelled(cleaner, p, PageInput::Text(scraped.full), &gold, view, true)
                }
            };
            if (main.covered as f64) < MIN_COVERAGE * n as f64 {
                return Some((Vec::new(), n, main.covered));
            }
            docs.insert(0, main.doc);
            Some((docs, n, main.covered))
        })
        .collect();
    let mut built = Built::default();
    for (docs, g, c) in results.into_iter().flatten() {
        built.pages += 1;
        if docs.is_empty() {
            built.unaligned += 1;
        } else {
            built.gold_tokens += g;
            built.aligned_tokens += c;
            built.docs.extend(docs);
        }
    }
    built
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(text: &str) -> Vec<u64> {
        token_hashes(text)
    }

    #[test]
    fn alignment_is_in_order_not_by_substring() {
        let text =
            "Bridge vote\nThe council voted on Thursday to build the bridge. Share your views at the meeting, it said.";
        let gold = h(text);
        let blocks = [
            h("Share"),
            h("The council voted on Thursday to build the bridge."),
            h("Share"),
            h("Share your views at the meeting, it said."),
            h("Share"),
        ];
        let (m, covered) = align(&blocks, &gold);
        let l = labels(&blocks, &m, &short_lines(text));
        assert_eq!(l, [false, true, false, true, false]);
        assert_eq!(covered, gold.len() - 2);
        // A short gold line of its own (a subheading) is story.
        let blocks = [h("Share"), h("Bridge vote"), h("The council voted on Thursday to build the bridge.")];
        let (m, _) = align(&blocks, &gold);
        assert_eq!(labels(&blocks, &m, &short_lines(text)), [false, true, true]);
    }

    #[test]
    fn scraped_text_spans_the_story_with_its_boilerplate() {
        let page = "<html><body><nav><a href=/>Home</a> <a href=/n>News</a></nav><p>Menu two</p><p>Menu three</p>\
            <h1>Bridge approved</h1><p>The council voted on Thursday to build the bridge across the harbour.</p>\
            <figure><figcaption>The old wall. Photo: A. Person</figcaption></figure>\
            <p>Work starts in the autumn and takes three years, the council said.</p><p>Share</p><p>Read more</p>\
            <p>Teaser one</p><p>Teaser two</p><p>Teaser three</p><p>Teaser four</p><p>Teaser five</p><p>Far away</p></body></html>";
        let gold = h("Bridge approved\n\nThe council voted on Thursday to build the bridge across the harbour.\n\n\
            Work starts in the autumn and takes three years, the council said.");
        let gold = Gold { tokens: gold, short: short_lines("Bridge approved") };
        let Scraped { full: text, story } = scraped_text(page.as_bytes(), &gold).unwrap();
        let (_, covered) = align(&[h(&text)], &gold.tokens);
        assert!(story.starts_with("Bridge approved") && story.ends_with("the council said."), "{story}");
        assert!(story.contains("The old wall. Photo: A. Person"));
        assert_eq!(covered, gold.tokens.len());
        let blocks: Vec<&str> = text.split("\n\n").collect();
        assert_eq!(blocks.first(), Some(&"Menu two"));
        assert!(blocks.contains(&"The old wall. Photo: A. Person"));
        assert_eq!(blocks.last(), Some(&"Teaser four"));
        assert!(!text.contains("Home News") && !text.contains("Far away"));
    }
}
