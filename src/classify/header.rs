//! Metadata lines at the edges of a document: a ` date 2023-09 ` stamp glued
//! to the first line, a `Source:` or byline line. They are removed from the
//! body, whole or as a prefix, and their value is kept as [`Metadata`]. A
//! prefix rule applies whatever the length of the block it opens: only the
//! prefix goes, the rest of the paragraph stays.

use crate::blocks::Block;
use crate::classify::Verdict;
use crate::features::words;
use crate::rules::{Rule, RuleKind, RuleSet};
use serde::Serialize;
use std::collections::BTreeMap;
use std::ops::Range;

/// Blocks at the top in which metadata rules may match.
const HEAD: usize = 4;
/// Blocks at the bottom in which metadata rules may match.
const TAIL: usize = 3;

/// Facts about the document that are not article text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct Metadata {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Any other field a rule names.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, String>,
    /// The encoding the input bytes were read in (absent for input that was
    /// a string already).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// Mojibake sequences repaired (see [`crate::input::mojibake`]).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub mojibake_fixed: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Metadata {
    /// Set `field` unless it already has a value.
    pub fn set(&mut self, field: &str, value: &str) {
        let value = value.trim().to_owned();
        if value.is_empty() {
            return;
        }
        let slot = match field {
            "language" => &mut self.language,
            "title" => &mut self.title,
            "date" => &mut self.date,
            "author" => &mut self.author,
            "source" => &mut self.source,
            "site_name" => &mut self.site_name,
            "url" => &mut self.url,
            other => {
                self.extra.entry(other.to_owned()).or_insert(value);
                return;
            }
        };
        slot.get_or_insert(value);
    }
}

/// A prefix cut from a kept block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trim {
    pub index: usize,
    pub text: String,
    pub rule: String,
}

/// Apply metadata rules to the edge blocks. Returns a verdict per block
/// (`Some` for blocks dropped whole) and the prefixes trimmed.
pub fn strip(blocks: &mut [Block], rules: &RuleSet, meta: &mut Metadata) -> (Vec<Option<Verdict>>, Vec<Trim>) {
    let n = blocks.len();
    let mut verdicts = vec![None; n];
    let mut trims = Vec::new();
    let edge = (0..n.min(HEAD)).chain(n.saturating_sub(TAIL).max(HEAD.min(n))..n);
    // Every word bound of a metadata rule is at most the kind's: counting
    // one word past it answers each `words <= max_words` the same.
    let count_to = rules.max_words(RuleKind::Metadata).saturating_add(1);
    let count = |t: &str| words(t).take(count_to).count();
    for i in edge {
        let b = &mut blocks[i];
        // Only a match from the block's start applies, so the screen is
        // searched from there alone: most blocks are cleared within a few
        // bytes, before their words are counted.
        let Some(c) = rules.candidates_at_start(RuleKind::Metadata, &b.text) else {
            continue;
        };
        let found = match rules.lone_prefix(&c, RuleKind::Metadata) {
            Some(r) => applies(r, &b.text),
            None => {
                let w = count(&b.text);
                let candidates = rules.named_in(&c, RuleKind::Metadata, w.max(1));
                // Past the rules' word bounds, prefix rules still apply.
                let long = rules.long_prefix_named_in(&c, RuleKind::Metadata, w);
                candidates.chain(long).find_map(|r| applies(r, &b.text))
            }
        };
        if let Some(found) = found {
            apply(&mut b.text, i, found, meta, &mut verdicts, &mut trims);
        }
    }
    (verdicts, trims)
}

/// A metadata rule's match that applies to a block (the whole block, or a
/// prefix rule's match at its start): the rule's name and field, owned, so
/// that the block may be cut while the rules' iterator borrows it. A rule
/// that does not match from the start does not apply: one anchored search
/// answers for it (no match test first).
struct Found {
    name: String,
    field: Option<String>,
    whole: bool,
    value: String,
    end: usize,
}

fn applies(rule: &Rule, text: &str) -> Option<Found> {
    applying(rule, text, rule.find_value_at_start(text)?)
}

/// [`applies`], given the rule's match and its value's span.
fn applying(rule: &Rule, text: &str, (m, value): (Range<usize>, Range<usize>)) -> Option<Found> {
    let whole = m.start == 0 && m.end == text.len();
    (whole || (rule.prefix && m.start == 0)).then(|| Found {
        name: rule.name.clone(),
        field: rule.field.clone(),
        whole,
        value: text[value].to_owned(),
        end: m.end,
    })
}

/// Fill `meta` from what [`applies`] found in `b` (block `i`), and drop
/// the block or cut the prefix from it.
fn apply(
    text: &mut String,
    i: usize,
    Found { name, field, whole, value, end }: Found,
    meta: &mut Metadata,
    verdicts: &mut [Option<Verdict>],
    trims: &mut Vec<Trim>,
) {
    meta.set(field.as_deref().unwrap_or("extra"), &value);
    let rest = text[end..].trim_start();
    if whole || rest.is_empty() {
        verdicts[i] = Some(Verdict::drop(name, "metadata"));
    } else {
        trims.push(Trim { index: i, text: text[..end].trim().to_owned(), rule: name });
        *text = rest.to_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`strip`] without screens: every metadata rule tried in file order,
    /// then the prefix rules past their word bound, as `strip` orders them;
    /// each matched unanchored, as before the start screen.
    fn unscreened(blocks: &mut [Block], rules: &RuleSet, meta: &mut Metadata) -> (Vec<Option<Verdict>>, Vec<Trim>) {
        let n = blocks.len();
        let (mut verdicts, mut trims) = (vec![None; n], Vec::new());
        let meta_rules: Vec<_> = rules.rules().iter().filter(|r| r.kind == RuleKind::Metadata).collect();
        for i in (0..n.min(HEAD)).chain(n.saturating_sub(TAIL).max(HEAD.min(n))..n) {
            let b = &mut blocks[i];
            let w = words(&b.text).count();
            let within = meta_rules.iter().filter(|r| w.max(1) <= r.max_words && r.is_match(&b.text));
            let long = meta_rules.iter().filter(|r| r.prefix && w > r.max_words && r.is_match(&b.text));
            let found = within.chain(long).find_map(|r| applying(r, &b.text, r.find_value(&b.text)?));
            if let Some(found) = found {
                apply(&mut b.text, i, found, meta, &mut verdicts, &mut trims);
            }
        }
        (verdicts, trims)
    }

    #[test]
    fn long_edge_blocks_screened_within_their_words_strip_as_unscreened() {
        let rules = RuleSet::builtin();
        let mut docs = crate::rules::fixture_texts();
        let long = "Die Hafenbrücke wurde am Montag nach zwei Jahren Bauzeit eröffnet. ".repeat(12);
        for head in
            ["Date: 2023-09-14 ", "date 2023-09 ", "DATE : 2023-09-14T10:30 ", "Source: ", "By Jane Doe ", "", "©"]
        {
            docs.push(format!("{head}{long}\n\nBy Anna Nowak\n\nSource: Reuters\n\n{head}{}", long.repeat(40)));
            docs.push(format!("{head}\n\n{long}\n\nPublished: 14 September 2023"));
        }
        docs.push(String::new());
        let mut stripped = 0;
        for d in &docs {
            let blocks = crate::blocks::segment(&crate::input::normalize(d));
            let (mut a, mut b) = (blocks.clone(), blocks);
            let (mut ma, mut mb) = (Metadata::default(), Metadata::default());
            let got = strip(&mut a, &rules, &mut ma);
            let want = unscreened(&mut b, &rules, &mut mb);
            stripped += want.0.iter().filter(|v| v.is_some()).count() + want.1.len();
            assert_eq!(got, want, "{:.80}", d);
            assert_eq!(ma, mb);
            assert!(a.iter().zip(&b).all(|(x, y)| x.text == y.text));
        }
        assert!(stripped > 10, "the documents exercise the rules ({stripped})");
    }

    #[test]
    fn users_rules_unanchored_strip_as_unscreened() {
        let mut b = crate::rules::RuleSetBuilder::with_builtin();
        let file = r#"
language = "xx"
[[rule]]
name = "via"
kind = "metadata"
field = "source"
pattern = '(?i)via\s+(?P<value>\w+)$'
[[rule]]
name = "tag"
kind = "metadata"
field = "tag"
prefix = true
max_words = 3
pattern = '\[(?P<value>[a-z]+)\]\s*'
[[rule]]
name = "note"
kind = "metadata"
field = "note"
pattern = '(?i)\bnote\b:\s*(?P<value>.+)'
"#;
        b.add_toml(file, "test").unwrap();
        let rules = b.build().unwrap();
        let texts = [
            "via Reuters\n\nThe bridge opened on Monday after two years of work.\n\nPhoto via Reuters",
            "[news] The bridge opened on Monday after two years of building work.\n\nNote: the toll is free.",
            "The bridge [news] opened.\n\nA note: nothing here\n\nnote: café ouvert\n\nSource: Reuters",
            "Via Ærø\n\n[x] y\n\nBy Jane Doe\n\n[tag]",
            "Paris, 14 septembre 2023\n\nLe pont a ouvert lundi.\n\nJean Dupont avec AFP",
            "Berlin – 3. Oktober 2023 um 10:30 Uhr\n\nDie Brücke.\n\n14 September 2023, 10.30 CET",
        ];
        for d in texts {
            let blocks = crate::blocks::segment(&crate::input::normalize(d));
            let (mut a, mut b) = (blocks.clone(), blocks);
            let (mut ma, mut mb) = (Metadata::default(), Metadata::default());
            let got = strip(&mut a, &rules, &mut ma);
            let want = unscreened(&mut b, &rules, &mut mb);
            assert!(want.0.iter().any(Option::is_some) || !want.1.is_empty(), "{d:?} strips something");
            assert_eq!(got, want, "{d:?}");
            assert_eq!(ma, mb);
            assert!(a.iter().zip(&b).all(|(x, y)| x.text == y.text));
        }
    }
}
