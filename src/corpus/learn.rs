//! Learning site templates: count, per site, in how many documents each
//! normalised line occurs, and keep the lines that recur in at least
//! `min_docs` documents and in at least `min_share` of the site's documents.
//!
//! Only blocks that the built-in rules *kept* are counted: a line that a
//! built-in rule already drops needs no profile entry, and its built-in rule
//! name stays the one `--explain` shows.
//!
//! Work splits in two so that callers can run the expensive half in
//! parallel: [`DocLines::from_cleaned`] (pure, per document) and
//! [`Learner::add`] (cheap, in input order). Counting is exact up to
//! `max_lines_per_site` distinct lines per site; past that the lines seen in
//! the fewest documents are forgotten (a template line, seen in a large share
//! of documents, is not among them), so memory stays bounded on any corpus.
//!
//! **Protected prose.** A line that recurs across a site may still be story
//! text: a standard sign-off ("This reporting was supported by …"), a
//! recurring explanation in a series. Such a line is kept when it reads as
//! prose ([`ProseGuard`]): enough words, a sentence ending, and a normal
//! share of stopwords. The trade-off: a long, well-written call to action
//! that recurs is kept too; short template lines ("Tip us: …", "Listen to
//! this article") are not prose and go. Dropping story text is the worse
//! error, so the guard errs towards keeping.

use super::lines::{line_hash, normalize_line};
use super::profile::{LearntLine, Profile, ProfileData, SiteData, FORMAT};
use crate::features::{ends_terminal, lower, words};
use crate::output::Cleaned;
use crate::rules::Stopwords;
use rustc_hash::{FxHashMap, FxHashSet};

/// Blocks longer than this (in bytes) are not counted: templates are lines,
/// not essays, and the cap bounds what a document costs to learn from.
pub const MAX_LINE_BYTES: usize = 1000;

/// When a line that recurs across a site is story prose, not template.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProseGuard {
    /// At least this many words …
    pub min_words: usize,
    /// … a sentence ending, and at least this share of stopwords (of any
    /// built-in language).
    pub min_stopword_density: f32,
}

impl Default for ProseGuard {
    fn default() -> Self {
        // 12 words: longer than any template line in the fixture site and than
        // the built-in footer phrases; 0.25: story prose in the built-in
        // languages sits at 0.35–0.55, lists of names and addresses near 0.
        ProseGuard { min_words: 12, min_stopword_density: 0.25 }
    }
}

impl ProseGuard {
    /// Does `text` read as story prose?
    pub fn is_prose(&self, text: &str, stopwords: &Stopwords) -> bool {
        if !ends_terminal(text) {
            return false;
        }
        let mut buf = String::new();
        let (mut n, mut stop) = (0usize, 0usize);
        for w in words(text) {
            n += 1;
            if stopwords.mask(lower(w, &mut buf)) != 0 {
                stop += 1;
            }
        }
        n >= self.min_words && stop as f32 >= self.min_stopword_density * n as f32
    }
}

/// Thresholds for [`Learner`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LearnOptions {
    /// A line must occur in at least this many documents of its site.
    pub min_docs: u64,
    /// … and in at least this share of the site's documents (0–1).
    pub min_share: f64,
    /// Distinct lines remembered per site before the rarest are forgotten.
    pub max_lines_per_site: usize,
    pub guard: ProseGuard,
}

/// Default `min_docs`; chosen on the fixture site (see `docs/corpus.md`).
pub const DEFAULT_MIN_DOCS: u64 = 5;
/// Default `min_share`.
pub const DEFAULT_MIN_SHARE: f64 = 0.05;

impl Default for LearnOptions {
    fn default() -> Self {
        LearnOptions {
            min_docs: DEFAULT_MIN_DOCS,
            min_share: DEFAULT_MIN_SHARE,
            max_lines_per_site: 200_000,
            guard: ProseGuard::default(),
        }
    }
}

/// The distinct lines of one document, hashed.
#[derive(Debug, Clone, Default)]
pub struct DocLines {
    lines: Vec<(u64, String)>,
}

impl DocLines {
    /// The kept blocks of a cleaned document, one entry per distinct line.
    pub fn from_cleaned(c: &Cleaned) -> DocLines {
        let mut seen = FxHashSet::default();
        let lines = c
            .blocks
            .iter()
            .filter(|(b, v)| v.is_keep() && b.text.len() <= MAX_LINE_BYTES)
            .filter_map(|(b, _)| {
                let h = line_hash(&b.text);
                seen.insert(h).then(|| (h, b.text.clone()))
            })
            .collect();
        DocLines { lines }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

#[derive(Debug, Default)]
struct Count {
    docs: u64,
    /// The first occurrence, stored from the second document on (a line seen
    /// once is never learnt, and most lines are seen once).
    example: Option<Box<str>>,
}

#[derive(Debug, Default)]
struct SiteCounts {
    docs: u64,
    lines: FxHashMap<u64, Count>,
}

/// Accumulates line counts per site.
#[derive(Debug, Default)]
pub struct Learner {
    opts: LearnOptions,
    sites: FxHashMap<String, SiteCounts>,
}

impl Learner {
    pub fn new(opts: LearnOptions) -> Learner {
        Learner { opts, sites: FxHashMap::default() }
    }

    /// Count one document of `site`.
    pub fn add(&mut self, site: &str, doc: DocLines) {
        let cap = self.opts.max_lines_per_site.max(16);
        let s = match self.sites.get_mut(site) {
            Some(s) => s,
            None => self.sites.entry(site.to_owned()).or_default(),
        };
        s.docs += 1;
        for (h, text) in doc.lines {
            let c = s.lines.entry(h).or_default();
            c.docs += 1;
            if c.docs == 2 {
                c.example = Some(text.into_boxed_str());
            }
        }
        if s.lines.len() > cap {
            forget_rarest(&mut s.lines, cap / 2);
        }
    }

    /// Documents counted so far.
    pub fn docs(&self) -> u64 {
        self.sites.values().map(|s| s.docs).sum()
    }

    /// The profile: per site, the lines over both thresholds, minus prose.
    pub fn finish(&self, stopwords: &Stopwords) -> Profile {
        let o = &self.opts;
        let mut sites = std::collections::BTreeMap::new();
        for (site, s) in &self.sites {
            let need = o.min_docs.max((o.min_share * s.docs as f64).ceil() as u64).max(2);
            let mut data = SiteData { docs: s.docs, ..SiteData::default() };
            for c in s.lines.values().filter(|c| c.docs >= need) {
                let Some(example) = c.example.as_deref() else {
                    continue;
                };
                let line = LearntLine { text: normalize_line(example), example: example.to_owned(), docs: c.docs };
                if o.guard.is_prose(example, stopwords) {
                    data.protected.push(line);
                } else {
                    data.lines.push(line);
                }
            }
            if data.lines.is_empty() && data.protected.is_empty() {
                continue;
            }
            // Most frequent first; ties by text, so the file is deterministic.
            for v in [&mut data.lines, &mut data.protected] {
                v.sort_by(|a, b| b.docs.cmp(&a.docs).then_with(|| a.text.cmp(&b.text)));
            }
            sites.insert(site.clone(), data);
        }
        Profile::from_data(ProfileData { format: FORMAT.into(), min_docs: o.min_docs, min_share: o.min_share, sites })
    }
}

/// Forget the lines seen in the fewest documents until at most `keep` remain.
fn forget_rarest(lines: &mut FxHashMap<u64, Count>, keep: usize) {
    let mut floor = 1;
    while lines.len() > keep {
        lines.retain(|_, c| c.docs > floor);
        floor += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, RuleSet};

    fn doc(c: &Cleaner, text: &str) -> DocLines {
        DocLines::from_cleaned(&c.clean_text(text))
    }

    #[test]
    fn learns_lines_over_both_thresholds_only() {
        let cleaner = Cleaner::new();
        let mut l = Learner::new(LearnOptions { min_docs: 3, min_share: 0.5, ..LearnOptions::default() });
        for i in 0..6 {
            let once = format!("Story number {i} is about the harbour and the ferry that was late.");
            let twice = if i < 2 { "A line in two documents" } else { "Something else entirely" };
            l.add("a.example", doc(&cleaner, &format!("Valley Courier tip line 555-0100\n\n{once}\n\n{twice}")));
        }
        let p = l.finish(RuleSet::builtin().stopwords());
        let site = &p.data().sites["a.example"];
        let texts: Vec<&str> = site.lines.iter().map(|l| l.text.as_str()).collect();
        // "Something else entirely" is in 4 of 6 docs: over 3 and over 50 %.
        assert_eq!(texts, ["valley courier tip line 000-0000", "something else entirely"]);
        assert_eq!(site.docs, 6);
    }

    #[test]
    fn recurring_prose_is_protected() {
        let cleaner = Cleaner::new();
        let mut l = Learner::new(LearnOptions { min_docs: 2, ..LearnOptions::default() });
        let signoff = "This story was produced with support from the Coastal Reporting Fund, which has no say over what we write.";
        for day in ["Monday", "Tuesday", "Friday", "Sunday"] {
            l.add(
                "s",
                doc(
                    &cleaner,
                    &format!(
                        "The weather report was filed on {day}, and it was long.\n\n{signoff}\n\nListen to this story"
                    ),
                ),
            );
        }
        let p = l.finish(RuleSet::builtin().stopwords());
        let site = &p.data().sites["s"];
        assert_eq!(site.lines.iter().map(|l| l.example.as_str()).collect::<Vec<_>>(), ["Listen to this story"]);
        assert_eq!(site.protected[0].example, signoff);
    }

    #[test]
    fn prose_guard_needs_length_ending_and_stopwords() {
        let sw = RuleSet::builtin();
        let g = ProseGuard::default();
        assert!(g.is_prose(
            "The council said on Tuesday that it would review the plan again before the vote in the spring.",
            sw.stopwords()
        ));
        assert!(!g.is_prose("Tip the newsroom: tips@valley.example", sw.stopwords()));
        assert!(!g.is_prose(
            "Harbour Street 12, Valley Town, Northshire, phone 555 0100, fax 555 0101, open Monday to Friday 9-17.",
            sw.stopwords()
        ));
        assert!(!g.is_prose(
            "The council said on Tuesday that it would review the plan again before the vote",
            sw.stopwords()
        ));
    }

    #[test]
    fn memory_is_bounded_and_frequent_lines_survive() {
        let mut l = Learner::new(LearnOptions { min_docs: 2, max_lines_per_site: 64, ..LearnOptions::default() });
        for i in 0..500u64 {
            let lines = vec![(line_hash("template"), "Template".to_owned()), (i + 1000, format!("unique {i}"))];
            l.add("s", DocLines { lines });
            assert!(l.sites["s"].lines.len() <= 65);
        }
        let p = l.finish(RuleSet::builtin().stopwords());
        assert_eq!(p.data().sites["s"].lines[0].docs, 500);
    }
}
