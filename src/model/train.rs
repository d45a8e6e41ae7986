//! Training a block model, and measuring it honestly.
//!
//! Cross-validation splits by **site**, never by page: pages of one site
//! share a template, and a model that saw the template would look better
//! than it is on a site it never saw. A page's fold is a hash of its site.
//!
//! The threshold is chosen without looking at the pages it is reported on.
//! Each fold *k* is scored by the model trained without it; the threshold
//! for *k* is the lowest that keeps the story-token recall of the *other*
//! folds' out-of-fold scores at the target. The model trained without *k*
//! then cleans fold *k* with that threshold, and that is what the report
//! counts. The shipped model is trained on every page, with the threshold
//! chosen on all the out-of-fold scores.

use crate::eval::{score_tokens, TokenScore};
use crate::model::data::{Doc, PageInput};
use crate::model::gbdt::{self, Forest, Matrix, Packed, Params};
use crate::model::{vector, Model, View};
use crate::Cleaner;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// How to train.
#[derive(Debug, Clone)]
pub struct Options {
    pub view: View,
    pub folds: usize,
    /// Story-token recall the threshold must hold, 0–1.
    pub recall: f64,
    pub params: Params,
    /// Written into the model: what it was trained on.
    pub trained_on: String,
}

impl Options {
    pub fn new(view: View) -> Self {
        Options { view, folds: 5, recall: 0.99, params: Params::default(), trained_on: String::new() }
    }
}

/// The fold of a site.
pub fn fold_of(site: &str, folds: usize) -> usize {
    let mut h = rustc_hash::FxHasher::default();
    site.hash(&mut h);
    (h.finish() % folds.max(1) as u64) as usize
}

/// How much an example weighs: errors on long blocks cost more tokens, but a
/// long block must not outweigh a page.
fn weight(tokens: usize) -> f32 {
    (1.0 + tokens as f32).sqrt()
}

/// The in-scope blocks of `docs` as training rows: label 1 is boilerplate.
fn examples(docs: &[&Doc]) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let w = vector::width();
    let (mut x, mut y, mut wt) = (Vec::new(), Vec::new(), Vec::new());
    for d in docs {
        for i in 0..d.scope.len() {
            if d.scope[i] {
                x.extend_from_slice(&d.rows[i * w..(i + 1) * w]);
                y.push(if d.story[i] { 0.0 } else { 1.0 });
                wt.push(weight(d.tokens[i]));
            }
        }
    }
    (x, y, wt)
}

fn fit(docs: &[&Doc], params: &Params) -> Forest {
    let (x, y, w) = examples(docs);
    gbdt::train(&Matrix { rows: &x, width: vector::width() }, &y, &w, params)
}

/// Scores of every in-scope block of `doc`, by the code the cleaner scores with.
fn scores(forest: &Packed, doc: &Doc) -> Vec<Option<f32>> {
    let w = vector::width();
    (0..doc.scope.len())
        .map(|i| doc.scope[i].then(|| gbdt::sigmoid(forest.margin(&doc.rows[i * w..(i + 1) * w]))))
        .collect()
}

/// The lowest threshold at which the model keeps `recall` of the story
/// tokens that reach it (those a named rule or the DOM evidence dropped
/// are not the model's to lose). Above 1 when no threshold can (the model
/// then never drops).
pub fn pick_threshold(docs: &[(&Doc, &[Option<f32>])], recall: f64) -> f32 {
    let mut story: Vec<(f32, usize)> = Vec::new();
    for &(d, s) in docs {
        for ((&is_story, score), &tokens) in d.story.iter().zip(s).zip(&d.tokens) {
            if let (true, Some(score)) = (is_story, score) {
                story.push((*score, tokens));
            }
        }
    }
    let total: usize = story.iter().map(|s| s.1).sum();
    let budget = (total as f64 * (1.0 - recall)).floor() as usize;
    story.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut lost = 0usize;
    for (score, tokens) in &story {
        lost += tokens;
        if lost > budget {
            // Blocks scoring at or above the threshold are dropped: it must
            // sit just above this one.
            return next_up(*score);
        }
    }
    story.last().map_or(1.5, |s| s.0)
}

fn next_up(x: f32) -> f32 {
    f32::from_bits(x.to_bits() + 1)
}

fn fold_docs<'a>(docs: &'a [Doc], folds: &[usize], pick: impl Fn(usize) -> bool) -> Vec<&'a Doc> {
    docs.iter().zip(folds).filter(|(_, &f)| pick(f)).map(|(d, _)| d).collect()
}

/// Out-of-fold results of a cross-validation.
#[derive(Debug, Clone)]
pub struct CrossValidation {
    /// Per document: its fold.
    pub folds: Vec<usize>,
    /// Per fold: the threshold chosen on the inner folds.
    pub thresholds: Vec<f32>,
    /// Per fold: the model trained without it.
    pub forests: Vec<Forest>,
    /// Per document, per block: the out-of-fold score.
    pub scores: Vec<Vec<Option<f32>>>,
}

/// Site-split cross-validation (see the module doc).
pub fn cross_validate(docs: &[Doc], o: &Options) -> CrossValidation {
    let k = o.folds.max(2);
    let folds: Vec<usize> = docs.iter().map(|d| fold_of(&d.site, k)).collect();
    let mut forests = Vec::with_capacity(k);
    let mut scores = vec![Vec::new(); docs.len()];
    for held in 0..k {
        let forest = fit(&fold_docs(docs, &folds, |f| f != held), &o.params);
        let packed = Packed::new(&forest);
        for (i, d) in docs.iter().enumerate() {
            if folds[i] == held {
                scores[i] = self::scores(&packed, d);
            }
        }
        forests.push(forest);
    }
    // Each fold's threshold from the out-of-fold scores of the others.
    let thresholds = (0..k)
        .map(|held| {
            let others: Vec<(&Doc, &[Option<f32>])> = docs
                .iter()
                .zip(&scores)
                .zip(&folds)
                .filter(|(_, &f)| f != held)
                .map(|((d, s), _)| (d, s.as_slice()))
                .collect();
            pick_threshold(&others, o.recall)
        })
        .collect();
    CrossValidation { folds, thresholds, forests, scores }
}

/// A model from a forest and a threshold.
pub fn model(o: &Options, forest: Forest, threshold: f32, node_means: Vec<Vec<f32>>) -> Model {
    Model::new(o.view, o.trained_on.clone(), threshold, o.params, forest, node_means)
}

/// The cleaner training reads pages with: `base` (the rules), no model, and
/// the input read as it was when the built-in models were made (invalid
/// UTF-8 replaced, no mojibake repair), so that `models/train.sh` stays
/// byte-identical.
pub fn reading(base: Cleaner) -> Cleaner {
    base.without_model().utf8_mode(crate::Utf8Mode::Lossy).fix_mojibake(false)
}

/// A hash of everything training reads: each document's site (its fold),
/// rows, scope, labels and token weights, and the settings. Recorded in the
/// shipped model ([`Model::data`]); equal fingerprints train equal models.
pub fn fingerprint(docs: &[Doc], o: &Options) -> String {
    let mut h = rustc_hash::FxHasher::default();
    (o.view.as_str(), o.folds, o.recall.to_bits(), format!("{:?}", o.params)).hash(&mut h);
    for d in docs {
        d.site.hash(&mut h);
        d.scored.hash(&mut h);
        d.rows.iter().map(|r| r.to_bits()).for_each(|b| b.hash(&mut h));
        (&d.scope, &d.story, &d.tokens).hash(&mut h);
    }
    format!("{:016x}", h.finish())
}

/// Train the model to ship: every document, the threshold from the
/// cross-validation's out-of-fold scores.
pub fn fit_final(docs: &[Doc], cv: &CrossValidation, o: &Options) -> Model {
    let scored: Vec<(&Doc, &[Option<f32>])> = docs.iter().zip(&cv.scores).map(|(d, s)| (d, s.as_slice())).collect();
    let threshold = pick_threshold(&scored, o.recall);
    let all: Vec<&Doc> = docs.iter().collect();
    let (x, y, w) = examples(&all);
    let m = Matrix { rows: &x, width: vector::width() };
    let forest = gbdt::train(&m, &y, &w, &o.params);
    let means = gbdt::node_means(&forest, &m);
    let mut shipped = model(o, forest, threshold, means);
    shipped.data = fingerprint(docs, o);
    shipped
}

/// Every block with its label and out-of-fold score, as tab-separated
/// lines (`source name fold block story scope score threshold text`): what
/// the model got wrong, for reading.
pub fn dump_blocks(docs: &[Doc], cv: &CrossValidation) -> String {
    let mut out = String::from("source\tname\tfold\tblock\tstory\tscope\tscore\tthreshold\ttokens\ttext\n");
    for (d, (s, &fold)) in docs.iter().zip(cv.scores.iter().zip(&cv.folds)) {
        for i in 0..d.story.len() {
            let text: String =
                d.texts.get(i).map_or("", |t| t.as_str()).replace(['\t', '\n'], " ").chars().take(160).collect();
            let score = s.get(i).copied().flatten().map_or(String::new(), |v| format!("{v:.4}"));
            out.push_str(&format!(
                "{}\t{}\t{fold}\t{i}\t{}\t{}\t{score}\t{:.4}\t{}\t{text}\n",
                d.source, d.name, d.story[i] as u8, d.scope[i] as u8, cv.thresholds[fold], d.tokens[i]
            ));
        }
    }
    out
}

// ---------------------------------------------------------------- report

/// Summed token counts and exact documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Tally {
    pub docs: usize,
    pub exact: usize,
    pub common: usize,
    pub gold_tokens: usize,
    pub out_tokens: usize,
}

impl Tally {
    fn add(&mut self, s: &TokenScore) {
        self.docs += 1;
        self.exact += s.exact as usize;
        self.common += s.common;
        self.gold_tokens += s.gold_tokens;
        self.out_tokens += s.out_tokens;
    }
    pub fn precision(&self) -> f64 {
        if self.out_tokens == 0 {
            1.0
        } else {
            self.common as f64 / self.out_tokens as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.gold_tokens == 0 {
            1.0
        } else {
            self.common as f64 / self.gold_tokens as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Left as is, the rules alone, and rules plus model, over one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Row {
    pub as_is: Tally,
    pub rules: Tally,
    pub model: Tally,
}

/// The cross-validation report of one view.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub view: View,
    pub folds: usize,
    pub recall_target: f64,
    pub thresholds: Vec<f32>,
    pub total: Row,
    pub by_source: BTreeMap<String, Row>,
    pub by_language: BTreeMap<String, Row>,
    /// Per document: source, name, site, fold, language, F1 rules, F1 model.
    pub docs: Vec<DocLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocLine {
    pub source: String,
    pub name: String,
    pub site: String,
    pub fold: usize,
    pub language: Option<String>,
    pub rules_f1: f64,
    pub model_f1: f64,
}

fn input_text(input: &PageInput) -> String {
    match input {
        PageInput::Text(t) => t.clone(),
        PageInput::Html(b) => crate::eval::html_text(&String::from_utf8_lossy(b)),
    }
}

/// Clean every document with the rules alone and with its fold's model,
/// and score both against the gold.
pub fn report(docs: &[Doc], cv: &CrossValidation, o: &Options, rules: &Cleaner) -> Report {
    let plain = rules.clone().without_model();
    let fold_cleaners: Vec<Cleaner> = cv
        .forests
        .iter()
        .zip(&cv.thresholds)
        .map(|(f, &t)| plain.clone().with_model(Arc::new(model(o, f.clone(), t, Vec::new()))))
        .collect();
    let lines: Vec<(TokenScore, TokenScore, TokenScore, DocLine)> = docs
        .par_iter()
        .zip(&cv.folds)
        .filter(|(d, _)| d.scored)
        .map(|(d, &fold)| {
            let clean = |c: &Cleaner| match &d.input {
                PageInput::Text(t) => c.clean_text(t).text,
                PageInput::Html(b) => c.clean_html_bytes(b).text,
            };
            let as_is = score_tokens(&d.gold, &input_text(&d.input));
            let r = score_tokens(&d.gold, &clean(&plain));
            let m = score_tokens(&d.gold, &clean(&fold_cleaners[fold]));
            let line = DocLine {
                source: d.source.clone(),
                name: d.name.clone(),
                site: d.site.clone(),
                fold,
                language: d.language.clone(),
                rules_f1: r.f1,
                model_f1: m.f1,
            };
            (as_is, r, m, line)
        })
        .collect();
    let mut total = Row::default();
    let mut by_source: BTreeMap<String, Row> = BTreeMap::new();
    let mut by_language: BTreeMap<String, Row> = BTreeMap::new();
    let mut out = Vec::with_capacity(lines.len());
    for (a, r, m, line) in lines {
        for row in [
            &mut total,
            by_source.entry(line.source.clone()).or_default(),
            by_language.entry(line.language.clone().unwrap_or_else(|| "unknown".into())).or_default(),
        ] {
            row.as_is.add(&a);
            row.rules.add(&r);
            row.model.add(&m);
        }
        out.push(line);
    }
    Report {
        view: o.view,
        folds: cv.thresholds.len(),
        recall_target: o.recall,
        thresholds: cv.thresholds.clone(),
        total,
        by_source,
        by_language,
        docs: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(story: Vec<bool>, tokens: Vec<usize>, scope: Vec<bool>) -> Doc {
        Doc {
            source: "t".into(),
            name: "d".into(),
            site: "s".into(),
            scored: true,
            input: PageInput::Text(String::new()),
            gold: String::new(),
            language: None,
            rows: Vec::new(),
            scope,
            story,
            tokens,
            texts: Vec::new(),
        }
    }

    #[test]
    fn threshold_holds_the_recall_target() {
        // Story blocks of 50, 30, 20 tokens (scores 0.9, 0.5, 0.1) and junk.
        let d = doc(vec![true, true, true, false], vec![50, 30, 20, 10], vec![true; 4]);
        let s = [Some(0.9), Some(0.5), Some(0.1), Some(0.95)];
        // Recall 0.99 of 100 tokens: nothing may be lost, so the threshold sits above 0.9.
        let t = pick_threshold(&[(&d, &s)], 0.99);
        assert!(t > 0.9 && t < 0.95, "{t}");
        // Recall 0.5: the 50-token block may go, not the next one.
        let t = pick_threshold(&[(&d, &s)], 0.5);
        assert!(t > 0.5 && t <= 0.9, "{t}");
        // What a rule dropped is not the model's to lose: of the 50 tokens
        // that reach it, it may lose 10% (5), so not the block.
        let d2 = doc(vec![true, true], vec![50, 50], vec![false, true]);
        let t = pick_threshold(&[(&d2, &[None, Some(0.2)])], 0.9);
        assert!(t > 0.2 && t < 0.21, "{t}");
        // No story reaches the model: it never drops.
        assert!(pick_threshold(&[(&d2, &[None, None])], 0.9) > 1.0);
    }

    #[test]
    fn folds_split_by_site() {
        let a = fold_of("news.example", 5);
        assert_eq!(a, fold_of("news.example", 5));
        assert!(a < 5);
        let spread: std::collections::BTreeSet<usize> = (0..50).map(|i| fold_of(&format!("s{i}.example"), 5)).collect();
        assert_eq!(spread.len(), 5);
    }
}
