//! Metadata lines at the edges of a document: a ` date 2023-09 ` stamp glued
//! to the first line, a `Source:` or byline line. They are removed from the
//! body, whole or as a prefix, and their value is kept as [`Metadata`]. A
//! prefix rule applies whatever the length of the block it opens: only the
//! prefix goes, the rest of the paragraph stays.

use crate::blocks::Block;
use crate::classify::Verdict;
use crate::features::words;
use crate::rules::{RuleKind, RuleSet};
use serde::Serialize;
use std::collections::BTreeMap;

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
    for i in edge {
        let b = &mut blocks[i];
        // Most edge blocks are cleared by the kind's union alone, before
        // their words are counted.
        let Some(c) = rules.candidates(RuleKind::Metadata, &b.text) else {
            continue;
        };
        let w = words(&b.text).take(count_to).count();
        let candidates = rules.matching_in(&c, RuleKind::Metadata, &b.text, w.max(1));
        // Past the rules' word bounds, prefix rules still apply.
        let long = rules.matching_long_prefix_in(&c, RuleKind::Metadata, &b.text, w);
        let Some((rule, whole, value, end)) = candidates.chain(long).find_map(|r| {
            let (m, value) = r.find_value(&b.text)?;
            let whole = m.start == 0 && m.end == b.text.len();
            let value = b.text[value].to_owned();
            (whole || (r.prefix && m.start == 0)).then_some((r, whole, value, m.end))
        }) else {
            continue;
        };
        meta.set(rule.field.as_deref().unwrap_or("extra"), &value);
        let rest = b.text[end..].trim_start();
        if whole || rest.is_empty() {
            verdicts[i] = Some(Verdict::drop(&rule.name, "metadata"));
        } else {
            trims.push(Trim { index: i, text: b.text[..end].trim().to_owned(), rule: rule.name.clone() });
            b.text = rest.to_owned();
        }
    }
    (verdicts, trims)
}
