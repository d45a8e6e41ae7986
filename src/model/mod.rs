//! Stage 4, last pass: a trained block model decides what no named rule
//! named.
//!
//! Named rules keep precedence where they fire: they are explicit, and a
//! user can read and change them. Every other block (see [`in_scope`]) gets
//! a score, the model's probability that it is boilerplate, and is dropped
//! when the score reaches the model's threshold. The threshold is chosen by
//! site-split cross-validation so that the model itself costs at most 1% of
//! the story tokens (recall 0.99 of what reaches it): a dropped story
//! sentence is the worst error.
//!
//! - [`vector`]: the row of features per block (shape, stopwords, rules
//!   fired, DOM evidence, two neighbours each side).
//! - [`gbdt`]: gradient-boosted trees, training and inference.
//! - [`data`]: training examples from gold pages, aligned by tokens.
//! - [`train`]: site-split cross-validation, the threshold, the report.
//!
//! A model is for one view of a page: `text` (scraped text, no markup) or
//! `html` (blocks with DOM evidence). The built-in text model,
//! `models/text.json`, is embedded in the binary; see `models/README.md` for
//! what it was trained on and how it measures.

pub mod data;
pub mod gbdt;
pub mod train;
pub mod vector;

use crate::blocks::Block;
use crate::classify::Verdict;
use crate::error::{Error, Result};
use crate::features::Features;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// The rule name a model decision reports.
pub const RULE: &str = "model";

/// Which input a model is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// Scraped text: blocks from blank-line paragraphs or lines.
    Text,
    /// HTML pages: blocks with their DOM evidence.
    Html,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::Text => "text",
            View::Html => "html",
        }
    }
}

/// A trained block model, as stored in a JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// Format marker, `newsclean-block-model`.
    pub format: String,
    pub view: View,
    /// What it was trained on, with licenses and attribution.
    pub trained_on: String,
    /// Column names of the rows it reads; must equal [`vector::names`].
    pub features: Vec<String>,
    /// A block whose score reaches this is dropped.
    pub threshold: f32,
    pub params: gbdt::Params,
    pub forest: gbdt::Forest,
    /// Mean leaf value below each node, per tree: for explanations.
    pub node_means: Vec<Vec<f32>>,
    /// [`train::fingerprint`] of the examples and settings it was trained
    /// on, so that a test can tell when the code no longer makes that data
    /// (and the shipped model must be trained again). Empty: not recorded.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub data: String,
    /// The trees in one array, for scoring.
    #[serde(skip)]
    packed: gbdt::Packed,
}

/// The format marker of model files.
pub const FORMAT: &str = "newsclean-block-model";

/// A model's decision on one block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    /// Probability that the block is boilerplate.
    pub score: f32,
    /// For a drop: the features that weighed most, strongest first.
    pub top: Vec<Weight>,
}

/// One feature's pull on a decision, in log-odds (positive: towards
/// boilerplate).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weight {
    pub feature: String,
    pub weight: f32,
}

/// How many features an explanation names.
pub const TOP_FEATURES: usize = 3;

impl Model {
    /// Read a model file.
    pub fn load(path: &Path) -> Result<Model> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.into(), source })?;
        Self::from_json(&bytes, &path.display().to_string())
    }

    /// Parse a model from JSON; `origin` names it in errors.
    pub fn from_json(bytes: &[u8], origin: &str) -> Result<Model> {
        let bad = |message: String| Error::Model { origin: origin.into(), message };
        let mut m: Model = serde_json::from_slice(bytes).map_err(|e| bad(format!("not a model file: {e}")))?;
        if m.format != FORMAT {
            return Err(bad(format!("format is {:?}, expected {FORMAT:?}", m.format)));
        }
        if m.features != vector::names() {
            return Err(bad("its features are not the ones this version of newsclean computes; train it again".into()));
        }
        let w = m.features.len() as i32;
        let bad_tree = m.forest.trees.iter().any(|t| {
            let n = t.feature.len();
            [t.threshold.len(), t.left.len(), t.right.len(), t.value.len()].iter().any(|&l| l != n)
                || n == 0
                || t.feature.iter().enumerate().any(|(i, &f)| {
                    f >= w
                        || (f >= 0
                            && (t.left[i] as usize >= n
                                || t.right[i] as usize >= n
                                || t.left[i] as usize <= i
                                || t.right[i] as usize <= i))
                })
        });
        if bad_tree || m.node_means.len() != m.forest.trees.len() {
            return Err(bad("malformed trees".into()));
        }
        m.packed = gbdt::Packed::new(&m.forest);
        Ok(m)
    }

    /// The JSON this model is stored as (stable: same model, same bytes).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).expect("a model serialises");
        s.push('\n');
        s
    }

    /// The built-in model for text input (`models/text.json`, embedded).
    ///
    /// HTML has none by default: the model trained for HTML pages did not
    /// beat the DOM evidence and rules in site-split cross-validation, and
    /// it cost recall on news pages (see `models/README.md`). Train one and
    /// pass it with [`crate::Cleaner::with_model`] where it helps.
    pub fn builtin() -> Arc<Model> {
        static TEXT: OnceLock<Arc<Model>> = OnceLock::new();
        TEXT.get_or_init(|| {
            let json = include_bytes!("../../models/text.json");
            Arc::new(Model::from_json(json, "models/text.json").expect("the built-in model is valid"))
        })
        .clone()
    }

    /// A model from its parts.
    pub fn new(
        view: View,
        trained_on: String,
        threshold: f32,
        params: gbdt::Params,
        forest: gbdt::Forest,
        node_means: Vec<Vec<f32>>,
    ) -> Model {
        let packed = gbdt::Packed::new(&forest);
        Model {
            format: FORMAT.into(),
            view,
            trained_on,
            features: vector::names(),
            threshold,
            params,
            forest,
            node_means,
            data: String::new(),
            packed,
        }
    }

    /// Score one row.
    #[inline]
    pub fn score(&self, row: &[f32]) -> f32 {
        gbdt::sigmoid(self.packed.margin(row))
    }

    /// The `top` features that weighed most in one row's score.
    pub fn reasons(&self, row: &[f32], top: usize) -> Vec<Weight> {
        if self.node_means.len() != self.forest.trees.len() {
            return Vec::new();
        }
        let c = self.forest.contributions(row, self.features.len(), &self.node_means);
        let mut idx: Vec<usize> = (0..c.len()).filter(|&i| c[i] != 0.0).collect();
        // The `top` first in a total order (weight, then column): selected,
        // then only they are sorted (a full sort was most of a drop's cost).
        let order = |a: &usize, b: &usize| c[*b].abs().total_cmp(&c[*a].abs()).then(a.cmp(b));
        if idx.len() > top && top > 0 {
            idx.select_nth_unstable_by(top - 1, order);
        }
        idx.truncate(top);
        idx.sort_by(order);
        idx.into_iter().map(|i| Weight { feature: self.features[i].clone(), weight: c[i] }).collect()
    }
}

/// Per block, from the verdicts before the model: whether the model may
/// never drop it, whatever it scores. These are the shapes of story text
/// that a page's boilerplate rarely has and that the training gold sometimes
/// leaves out (WCXB drops many subheadings and closing lines; the seeds and
/// fixtures keep them, and so does newsclean):
/// - a sentence: three words or more, opening with a capital (or a quote or
///   dash) and ending in `.`, `!` or `?`; the model drops only what is not a
///   sentence (a dropped story sentence is the worst error, and boilerplate
///   sentences are what the named rules are for);
/// - a subheading: a title-shaped block right before kept prose;
/// - a lead-in: a line ending in a colon right before a list;
/// - the headline, guarded apart ([`headline`]).
fn story_shaped(blocks: &[Block], feats: &[Features], verdicts: &[Verdict]) -> Vec<bool> {
    let prose_at = |j: usize| j < feats.len() && verdicts[j].is_keep() && feats[j].words >= 10 && feats[j].terminal;
    (0..feats.len())
        .map(|i| {
            let (f, text) = (&feats[i], blocks[i].text.trim());
            let opens = text
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || matches!(c, '"' | '“' | '„' | '«' | '»' | '-' | '–' | '—'));
            let sentence = f.words >= 3 && opens && f.terminal && !text.ends_with(':');
            let subheading = f.title_like && prose_at(i + 1);
            let lead_in = text.ends_with(':')
                && blocks
                    .get(i + 1)
                    .is_some_and(|b| b.shape == crate::blocks::BlockShape::List && verdicts[i + 1].is_keep());
            sentence || subheading || lead_in
        })
        .collect()
}

/// The headline, when a text states it: of the title-shaped blocks before
/// the first kept prose paragraph, the one that shares most words (of four
/// letters or more, case folded; at least two) with that paragraph. A
/// scraper may start with menus and labels, so the first title-shaped block
/// is not enough; a headline names what its story's first paragraph is about.
/// `None` also when no title-shaped block there is `worth` the search (a
/// headline found among them would change nothing).
fn headline(
    blocks: &[Block],
    feats: &[Features],
    verdicts: &[Verdict],
    worth: impl Fn(usize) -> bool,
) -> Option<usize> {
    let lede = (0..feats.len()).find(|&j| verdicts[j].is_keep() && feats[j].words >= 25 && feats[j].terminal)?;
    let candidate = |i: usize| feats[i].title_like && feats[i].words >= 3;
    if !(0..lede).any(|i| candidate(i) && worth(i)) {
        return None;
    }
    // Folded as `str::to_lowercase` does, without a copy of a word that has
    // no capital (most of them).
    fn key(w: &str) -> Option<std::borrow::Cow<'_, str>> {
        (w.chars().count() >= 4).then(|| {
            if w.chars().any(char::is_uppercase) {
                w.to_lowercase().into()
            } else {
                w.into()
            }
        })
    }
    // Made when the first candidate comes, sized for the lede's words.
    let mut lede_words: Option<rustc_hash::FxHashSet<std::borrow::Cow<str>>> = None;
    let mut best: Option<(usize, usize)> = None;
    for i in 0..lede {
        if !candidate(i) {
            continue;
        }
        let lede_words = lede_words.get_or_insert_with(|| {
            let mut set = rustc_hash::FxHashSet::with_capacity_and_hasher(feats[lede].words, Default::default());
            set.extend(crate::features::words(&blocks[lede].text).filter_map(key));
            set
        });
        let mut seen = rustc_hash::FxHashSet::default();
        let shared = crate::features::words(&blocks[i].text)
            .filter_map(key)
            .filter(|w| lede_words.contains(w) && seen.insert(w.clone()))
            .count();
        if shared >= 2 && best.is_none_or(|(_, b)| shared > b) {
            best = Some((i, shared));
        }
    }
    best.map(|(i, _)| i)
}

/// Documents with fewer blocks are left to the rules: the model reads a
/// block against its neighbours and was trained on whole pages.
pub const MIN_BLOCKS: usize = 4;

/// Whether the model of `view` may decide a block. Never one a named rule
/// dropped. In text, the statistical safety net's drops are the model's to
/// judge again. In HTML, the DOM evidence (outside the main container,
/// hidden, page chrome) stands: the model only drops more. Letting it
/// rescue blocks outside the container was measured: it raised recall on
/// WCXB but cost more precision on news pages (Scrapinghub 0.981 to 0.966).
pub fn in_scope(view: View, v: &Verdict) -> bool {
    match v {
        Verdict::Keep { .. } => true,
        Verdict::Drop { kind, .. } => view == View::Text && *kind == "context",
    }
}

/// What the model pass reports beside its verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// A drop names the features that weighed most.
    pub reasons: bool,
    /// Every block in scope gets its score, also one the model may never
    /// drop (`--explain` shows them). Off, such a block is not scored: its
    /// verdict does not depend on the score, and in a story most blocks
    /// are such blocks.
    pub every_score: bool,
}

/// The model pass: score the blocks in scope, drop those at or above the
/// threshold, and keep the others (also those a statistical pass had
/// dropped). Returns the decision on every block it scored (see
/// [`Report`]).
pub fn pass(
    model: &Model,
    blocks: &[Block],
    feats: &[Features],
    verdicts: &mut [Verdict],
    report: Report,
) -> Vec<Option<Decision>> {
    // Too little context for the neighbour features: the rules alone.
    if blocks.len() < MIN_BLOCKS {
        return Vec::new();
    }
    // The document's longest block is its story's core: never the model's to drop.
    let longest = (0..feats.len()).max_by_key(|&i| (feats[i].words, std::cmp::Reverse(i)));
    let scope: Vec<bool> = verdicts.iter().map(|v| in_scope(model.view, v)).collect();
    let mut droppable = story_shaped(blocks, feats, verdicts);
    for (i, d) in droppable.iter_mut().enumerate() {
        *d = !*d && scope[i] && Some(i) != longest;
    }
    // Guarding the headline changes nothing when no block it could be is droppable.
    if let Some(h) = headline(blocks, feats, verdicts, |i| droppable[i]) {
        droppable[h] = false;
    }
    let scored = |i: usize| scope[i] && (report.every_score || droppable[i]);
    let rows = (0..blocks.len()).any(scored).then(|| vector::Rows::new(blocks, feats, verdicts, scored));
    let mut out = vec![None; blocks.len()];
    let mut row = Vec::with_capacity(vector::width());
    // Every row was made from the verdicts before this pass.
    for (i, v) in verdicts.iter_mut().enumerate() {
        if !scope[i] {
            continue;
        }
        // `None`: kept whatever it scores, and its score is not asked for.
        let score = rows.as_ref().filter(|_| scored(i)).map(|rows| {
            row.clear();
            rows.row_into(i, &mut row);
            model.score(&row)
        });
        match score {
            Some(score) if score >= model.threshold && droppable[i] => {
                *v = Verdict::drop(RULE, "model");
                let top = if report.reasons { model.reasons(&row, TOP_FEATURES) } else { Vec::new() };
                out[i] = Some(Decision { score, top });
            }
            _ => {
                if !v.is_keep() {
                    *v = Verdict::Keep { why: "model" };
                }
                out[i] = score.map(|score| Decision { score, top: Vec::new() });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn headline_of(text: &str) -> Option<String> {
        let rules = RuleSet::builtin();
        let blocks = crate::blocks::segment(text);
        let scan = crate::features::scan(&blocks, rules.stopwords());
        let feats = crate::features::extract(&blocks, &scan, None);
        let verdicts = vec![Verdict::Keep { why: "body" }; blocks.len()];
        headline(&blocks, &feats, &verdicts, |_| true).map(|i| blocks[i].text.clone())
    }

    /// [`headline`] as it was, the lede's words gathered up front: the
    /// reference for the set made on the first candidate.
    fn old_headline(blocks: &[Block], feats: &[Features], verdicts: &[Verdict]) -> Option<usize> {
        let lede = (0..feats.len()).find(|&j| verdicts[j].is_keep() && feats[j].words >= 25 && feats[j].terminal)?;
        let key = |w: &str| (w.chars().count() >= 4).then(|| w.to_lowercase());
        let lede_words: std::collections::HashSet<String> =
            crate::features::words(&blocks[lede].text).filter_map(key).collect();
        let mut best: Option<(usize, usize)> = None;
        for i in 0..lede {
            if !feats[i].title_like || feats[i].words < 3 {
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            let shared = crate::features::words(&blocks[i].text)
                .filter_map(key)
                .filter(|w| lede_words.contains(w) && seen.insert(w.clone()))
                .count();
            if shared >= 2 && best.is_none_or(|(_, b)| shared > b) {
                best = Some((i, shared));
            }
        }
        best.map(|(i, _)| i)
    }

    #[test]
    fn the_headline_is_the_one_the_old_search_found() {
        let rules = RuleSet::builtin();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/text");
        let mut texts: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .collect();
        texts.push(format!("Ærø Østersø Harbour News\n\nHarbour Bridge Plan Approved By ÆRØ Council\n\n{LEDE}"));
        texts.push(String::new());
        let mut found = 0;
        for text in texts {
            let blocks = crate::blocks::segment(&text);
            let scan = crate::features::scan(&blocks, rules.stopwords());
            let feats = crate::features::extract(&blocks, &scan, None);
            let verdicts = vec![Verdict::Keep { why: "body" }; blocks.len()];
            let h = headline(&blocks, &feats, &verdicts, |_| true);
            assert_eq!(h, old_headline(&blocks, &feats, &verdicts), "{text:?}");
            found += h.is_some() as usize;
        }
        assert!(found >= 3, "{found} headlines found");
    }

    const LEDE: &str = "The town council approved the harbour bridge plan on Tuesday evening after a long debate, \
and the builders will start next spring if the money arrives in time, officials said.";

    #[test]
    fn the_headline_is_the_title_that_names_the_lede_not_the_first_label() {
        let text = format!("Main Menu Of The Site\n\nCouncil Approves Harbour Bridge Plan\n\nPosted By\n\n{LEDE}\n\nRelated Stories From The Harbour");
        assert_eq!(headline_of(&text).as_deref(), Some("Council Approves Harbour Bridge Plan"));
        // A title after the lede is not the headline (a teaser can share its words).
        let text = format!("Weather Today In Town\n\n{LEDE}\n\nCouncil Approves Harbour Bridge Plan");
        assert_eq!(headline_of(&text), None);
        // One shared word is not enough.
        let text = format!("Harbour News And Views\n\nSign In\n\n{LEDE}");
        assert_eq!(headline_of(&text), None);
    }

    #[test]
    fn unscored_blocks_keep_the_verdicts_and_drops_keep_their_scores() {
        let cleaner = crate::Cleaner::new();
        let model = Model::builtin();
        let mut texts = crate::rules::fixture_texts();
        // Teasers and a site name that no rule names: the model drops them.
        texts.push("Harbour News Today\n\nCouncil Approves Harbour Bridge Plan\n\nThe town council approved the harbour bridge plan on Tuesday evening after a long debate, and the builders will start next spring if the money arrives in time, officials said.\n\nThe bridge will link the old quarter with the new harbour district, and the mayor said it would cut the traffic on the ring road by a third within two years of its opening.\n\nCritics said the plan was too expensive and that the council had not listened to the fishermen, who fear the works will close the inner harbour for most of a season.\n\nWeather | Traffic | Sport | Culture\n\nFishermen protest at the quay\n\nNew ferry timetable from June\n\nMayor opens the summer market\n\nCopyright Harbour Media Group 2024 all rights reserved\n\nTerms of use | Privacy | Contact".to_owned());
        let (mut unscored, mut dropped) = (0, 0);
        for text in texts {
            let blocks = crate::blocks::segment(&crate::input::normalize(&text));
            let p = cleaner.prepare(blocks, Default::default(), false);
            let every = Report { reasons: true, every_score: true };
            let (mut all, mut some) = (p.verdicts.clone(), p.verdicts.clone());
            let d_all = pass(&model, &p.blocks, &p.feats, &mut all, every);
            let d_some = pass(&model, &p.blocks, &p.feats, &mut some, Report { every_score: false, ..every });
            assert_eq!(all, some, "{text:?}");
            for (i, (a, s)) in d_all.iter().zip(&d_some).enumerate() {
                match s {
                    // Scored either way: the same decision.
                    Some(_) => assert_eq!(a, s),
                    // Not scored: kept, and in scope (it had a decision).
                    None => {
                        assert!(a.is_none() || all[i].is_keep(), "{i} {text:?}");
                        unscored += a.is_some() as usize;
                    }
                }
                dropped += (!all[i].is_keep() && all[i].label() == "model") as usize;
            }
        }
        assert!(unscored > 100 && dropped >= 3, "{unscored} unscored, {dropped} model drops");
    }
}
