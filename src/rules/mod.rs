//! Rules as data: the patterns that name boilerplate, one TOML file per
//! language (embedded from `rules/*.toml`), plus any the user adds with
//! `--rules FILE`.
//!
//! A file has a `language` code, a `stopwords` list (used for language
//! detection and the stopword-density feature) and `[[rule]]` entries. Each
//! rule has a `name`, a `kind` (what it means when it matches, see
//! [`RuleKind`]) and either a regex `pattern` or a list of `phrases` (literal,
//! case-insensitive, matching a whole block). The classifier decides *where* a
//! kind may match; the file only says *what* matches. Every kind of every
//! language is active on every document, because scraped pages mix languages
//! (an English "Advertisement" slot on a Danish site); patterns are anchored
//! and bounded by `max_words`, so a rule from another language cannot fire on
//! story text by accident.

use crate::error::{Error, Result};
use regex::{Regex, RegexSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// What a matching rule means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleKind {
    /// A block that is only an ad marker ("Advertisement", "Annonce").
    Ad,
    /// A photo caption or credit line.
    Caption,
    /// A related-stories header; by default it also opens a teaser run.
    Related,
    /// A relative timestamp ("7 minuten geleden"); the pattern is unanchored,
    /// the classifier anchors it at the start, the end, or the whole block.
    Timestamp,
    /// Calls to action, newsletter, share, cookie, correction and copyright lines.
    Footer,
    /// A header or footer line that is metadata (`Source:`, a date stamp); it
    /// leaves the body and its `value` capture goes to the metadata `field`.
    Metadata,
    /// A line that recurs across a site, learnt from a corpus (`learn`).
    Profile,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Ad => "ad",
            RuleKind::Caption => "caption",
            RuleKind::Related => "related",
            RuleKind::Timestamp => "timestamp",
            RuleKind::Footer => "footer",
            RuleKind::Metadata => "metadata",
            RuleKind::Profile => "profile",
        }
    }

    /// The most words a block may have for this kind to apply, unless the
    /// rule sets its own `max_words`.
    fn default_max_words(self) -> usize {
        match self {
            RuleKind::Ad => 12,
            RuleKind::Caption => 80,
            RuleKind::Related => 12,
            RuleKind::Timestamp => 8,
            RuleKind::Footer => 60,
            RuleKind::Metadata => 30,
            RuleKind::Profile => usize::MAX,
        }
    }
}

/// A rules file as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    language: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    stopwords: String,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: String,
    kind: RuleKind,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    phrases: Vec<String>,
    #[serde(default)]
    max_words: Option<usize>,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    run: Option<bool>,
    #[serde(default)]
    require_repeat: bool,
    #[serde(default)]
    prefix: bool,
    #[serde(default)]
    #[allow(dead_code)]
    description: Option<String>,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `LANG.NAME`, as shown by `--explain` and in JSON output.
    pub name: String,
    pub kind: RuleKind,
    pub max_words: usize,
    /// For `metadata`: which field the `value` capture fills.
    pub field: Option<String>,
    /// For `related`: whether the blocks after the header are a teaser run.
    pub run: bool,
    /// For `caption`: the text before the match must repeat after it.
    pub require_repeat: bool,
    /// For `metadata`: the match is a prefix to strip; the rest of the line stays.
    pub prefix: bool,
    pub regex: Regex,
}

/// All rules of one kind, in file order.
#[derive(Debug)]
struct KindSet {
    rules: Vec<usize>,
    max_words: usize,
    /// The kind's patterns without word boundaries, to match in one pass;
    /// `slot[j]` is rule `rules[j]`'s index among them. Patterns with `\b`
    /// stay out: on non-ASCII text they would drop the whole set to the slow
    /// PikeVM, so they are matched one by one.
    pats: Vec<String>,
    slot: Vec<Option<usize>>,
    /// The set, compiled once the kind has been asked [`SET_AFTER`] times:
    /// compiling costs about a quarter second, which a batch earns back but
    /// a single article does not. Either way the answers are the same.
    set: OnceLock<Option<RegexSet>>,
    uses: AtomicUsize,
}

/// Queries of a kind before its [`KindSet::set`] is compiled.
const SET_AFTER: usize = 400;

impl Clone for KindSet {
    fn clone(&self) -> Self {
        KindSet {
            rules: self.rules.clone(),
            max_words: self.max_words,
            pats: self.pats.clone(),
            slot: self.slot.clone(),
            set: self.set.clone(),
            uses: AtomicUsize::new(self.uses.load(Ordering::Relaxed)),
        }
    }
}

impl KindSet {
    /// Which set patterns match `text`, once the set is worth compiling.
    fn set_matches(&self, text: &str) -> Option<regex::SetMatches> {
        if self.pats.is_empty() || self.uses.fetch_add(1, Ordering::Relaxed) < SET_AFTER {
            return None;
        }
        // Every pattern compiled alone, so the set can only fail on size;
        // then the rules are simply matched one by one.
        let set = self.set.get_or_init(|| {
            regex::RegexSetBuilder::new(&self.pats).size_limit(64 << 20).dfa_size_limit(32 << 20).build().ok()
        });
        set.as_ref().map(|s| s.matches(text))
    }
}

/// The stopword lists of every language, indexed by word.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    langs: Vec<String>,
    names: Vec<String>,
    words: FxHashMap<String, u64>,
}

impl Stopwords {
    /// Language codes in bit order.
    pub fn languages(&self) -> &[String] {
        &self.langs
    }

    /// The English name of a language, where its file gives one.
    pub fn language_name(&self, code: &str) -> Option<&str> {
        let i = self.langs.iter().position(|l| l == code)?;
        Some(self.names[i].as_str()).filter(|n| !n.is_empty())
    }

    /// Bit of a language code, if known.
    pub fn bit(&self, code: &str) -> Option<u64> {
        self.langs.iter().position(|l| l == code).map(|i| 1u64 << i)
    }

    /// Bit mask of the languages in which `lower` (a lower-cased word) is a stopword.
    #[inline]
    pub fn mask(&self, lower: &str) -> u64 {
        self.words.get(lower).copied().unwrap_or(0)
    }

    fn add(&mut self, lang: &str, name: Option<&str>, words: &str) -> Result<()> {
        let i = match self.langs.iter().position(|l| l == lang) {
            Some(i) => i,
            None => {
                if self.langs.len() == 64 {
                    return Err(Error::Rules { origin: lang.into(), message: "more than 64 languages".into() });
                }
                self.langs.push(lang.to_owned());
                self.names.push(String::new());
                self.langs.len() - 1
            }
        };
        if let Some(n) = name {
            self.names[i] = n.to_owned();
        }
        for w in words.split_whitespace() {
            *self.words.entry(w.to_lowercase()).or_default() |= 1u64 << i;
        }
        Ok(())
    }
}

/// The built-in rules files: (language, TOML text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("en", include_str!("../../rules/en.toml")),
    ("da", include_str!("../../rules/da.toml")),
    ("nl", include_str!("../../rules/nl.toml")),
    ("de", include_str!("../../rules/de.toml")),
    ("fr", include_str!("../../rules/fr.toml")),
    ("es", include_str!("../../rules/es.toml")),
    ("sv", include_str!("../../rules/sv.toml")),
    ("no", include_str!("../../rules/no.toml")),
    ("it", include_str!("../../rules/it.toml")),
    ("pt", include_str!("../../rules/pt.toml")),
];

/// A compiled set of rules and stopwords.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    kinds: FxHashMap<RuleKind, KindSet>,
    stopwords: Stopwords,
    /// Timestamp patterns anchored three ways: whole block, start, end.
    ts_whole: Option<Regex>,
    ts_start: Option<Regex>,
    ts_end: Option<Regex>,
}

/// Builds a [`RuleSet`] from rules files.
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    rules: Vec<Rule>,
    stopwords: Stopwords,
    timestamps: Vec<String>,
}

impl RuleSetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder with every built-in language loaded.
    pub fn with_builtin() -> Self {
        let mut b = Self::new();
        for (lang, text) in BUILTIN {
            b.add_toml(text, &format!("built-in {lang}.toml")).expect("built-in rules are valid");
        }
        b
    }

    /// Add one rules file. `origin` names it in errors.
    pub fn add_toml(&mut self, text: &str, origin: &str) -> Result<&mut Self> {
        let file: RulesFile =
            toml::from_str(text).map_err(|e| Error::Rules { origin: origin.into(), message: e.to_string() })?;
        let lang = file.language.trim().to_lowercase();
        if lang.is_empty() {
            return Err(Error::Rules { origin: origin.into(), message: "`language` is empty".into() });
        }
        self.stopwords.add(&lang, file.name.as_deref(), &file.stopwords)?;
        for spec in file.rules {
            let rule = compile(spec, &lang, origin)?;
            if rule.kind == RuleKind::Timestamp {
                self.timestamps.push(rule.regex.as_str().to_owned());
            }
            self.rules.push(rule);
        }
        Ok(self)
    }

    /// Add rules that were made in code (for example from a site profile).
    pub fn add_rule(&mut self, rule: Rule) -> &mut Self {
        self.rules.push(rule);
        self
    }

    pub fn build(self) -> Result<RuleSet> {
        let mut grouped: FxHashMap<RuleKind, Vec<usize>> = FxHashMap::default();
        for (i, r) in self.rules.iter().enumerate() {
            grouped.entry(r.kind).or_default().push(i);
        }
        let mut kinds = FxHashMap::default();
        for (kind, idx) in grouped {
            let max_words = idx.iter().map(|&i| self.rules[i].max_words).max().unwrap_or(0);
            let mut pats = Vec::new();
            let slot: Vec<Option<usize>> = idx
                .iter()
                .map(|&i| {
                    let p = self.rules[i].regex.as_str();
                    (!p.contains("\\b") && !p.contains("\\B")).then(|| {
                        pats.push(p.to_owned());
                        pats.len() - 1
                    })
                })
                .collect();
            kinds.insert(kind, KindSet { rules: idx, max_words, pats, slot, set: OnceLock::new(), uses: AtomicUsize::new(0) });
        }
        let anchored = |fmt: &dyn Fn(&str) -> String| -> Option<Regex> {
            if self.timestamps.is_empty() {
                return None;
            }
            let alt = self.timestamps.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
            Some(Regex::new(&fmt(&alt)).expect("timestamp patterns compiled one by one"))
        };
        let ts_whole = anchored(&|a| format!(r"^[\s\p{{P}}]*(?:{a})[\s\p{{P}}]*$"));
        let ts_start = anchored(&|a| format!(r"^[\s\p{{P}}]*(?:{a})"));
        let ts_end = anchored(&|a| format!(r"(?:{a})[\s\p{{P}}]*$"));
        Ok(RuleSet { rules: self.rules, kinds, stopwords: self.stopwords, ts_whole, ts_start, ts_end })
    }
}

fn compile(spec: RuleSpec, lang: &str, origin: &str) -> Result<Rule> {
    let name = format!("{lang}.{}", spec.name);
    let pattern = match (&spec.pattern, spec.phrases.is_empty()) {
        (Some(p), true) => p.clone(),
        (None, false) => {
            let alts = spec.phrases.iter().map(|p| regex::escape(p.trim())).collect::<Vec<_>>().join("|");
            format!(r"(?i)^[\s\p{{P}}\p{{S}}]*(?:{alts})[\s\p{{P}}\p{{S}}]*$")
        }
        _ => {
            return Err(Error::Rules {
                origin: origin.into(),
                message: format!("rule `{name}` needs exactly one of `pattern` or `phrases`"),
            })
        }
    };
    let regex = regex::RegexBuilder::new(&pattern)
        .size_limit(16 << 20)
        // Room for the lazy DFA of bounded Unicode classes (`[\p{L} ]{2,60}`);
        // when its cache overflows the engine drops to the much slower PikeVM.
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|source| Error::RulePattern { origin: origin.into(), rule: name.clone(), source })?;
    if spec.kind == RuleKind::Metadata && spec.field.is_none() {
        return Err(Error::Rules { origin: origin.into(), message: format!("metadata rule `{name}` needs a `field`") });
    }
    Ok(Rule {
        max_words: spec.max_words.unwrap_or_else(|| spec.kind.default_max_words()),
        run: spec.run.unwrap_or(spec.kind == RuleKind::Related),
        require_repeat: spec.require_repeat,
        prefix: spec.prefix,
        field: spec.field,
        kind: spec.kind,
        name,
        regex,
    })
}

impl RuleSet {
    /// The built-in rules of every language.
    pub fn builtin() -> RuleSet {
        RuleSetBuilder::with_builtin().build().expect("built-in rules are valid")
    }

    pub fn stopwords(&self) -> &Stopwords {
        &self.stopwords
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules of `kind` that match `text` (a block of `words` words), in
    /// file order. Patterns in the kind's set are matched in one pass up
    /// front; the rest one at a time, as the caller asks for the next match.
    pub fn matching<'a, 't>(&'a self, kind: RuleKind, text: &'t str, words: usize) -> impl Iterator<Item = &'a Rule> + 't
    where
        'a: 't,
    {
        let ks = self.kinds.get(&kind).filter(|ks| words <= ks.max_words);
        let hits = ks.and_then(|ks| ks.set_matches(text));
        let (idx, slot): (&'a [usize], &'a [Option<usize>]) = ks.map_or((&[], &[]), |ks| (&ks.rules, &ks.slot));
        idx.iter().zip(slot).filter_map(move |(&i, slot)| {
            let r = &self.rules[i];
            let hit = words <= r.max_words
                && match (slot, &hits) {
                    (Some(k), Some(h)) => h.matched(*k),
                    _ => r.regex.is_match(text),
                };
            hit.then_some(r)
        })
    }

    /// The first rule of `kind` that matches.
    pub fn first(&self, kind: RuleKind, text: &str, words: usize) -> Option<&Rule> {
        self.matching(kind, text, words).next()
    }

    /// Where a relative timestamp sits in `text`.
    pub fn timestamp(&self, text: &str) -> TimestampAt {
        let hit = |r: &Option<Regex>| r.as_ref().is_some_and(|r| r.is_match(text));
        if text.len() > 400 {
            // Only the ends matter; skip the whole-block test for long text.
            return if hit(&self.ts_start) { TimestampAt::Start } else if hit(&self.ts_end) { TimestampAt::End } else { TimestampAt::None };
        }
        if hit(&self.ts_whole) {
            TimestampAt::Whole
        } else if hit(&self.ts_start) {
            TimestampAt::Start
        } else if hit(&self.ts_end) {
            TimestampAt::End
        } else {
            TimestampAt::None
        }
    }
}

/// Where a relative timestamp was found in a block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampAt {
    None,
    /// The block is only a timestamp.
    Whole,
    /// A timestamp opens the block, often glued to a headline.
    Start,
    /// A timestamp closes the block.
    End,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_file_compiles_and_names_its_rules() {
        let rs = RuleSet::builtin();
        assert!(rs.stopwords().languages().len() >= 10);
        for r in rs.rules() {
            assert!(r.name.contains('.'), "{}", r.name);
        }
    }

    #[test]
    fn phrases_match_whole_blocks_only() {
        let mut b = RuleSetBuilder::new();
        b.add_toml("language='xx'\n[[rule]]\nname='ad'\nkind='ad'\nphrases=['Sponsored']", "t").unwrap();
        let rs = b.build().unwrap();
        assert!(rs.first(RuleKind::Ad, "— SPONSORED —", 1).is_some());
        assert!(rs.first(RuleKind::Ad, "Sponsored content was banned.", 4).is_none());
    }

    #[test]
    fn bad_rules_files_are_errors_not_panics() {
        let mut b = RuleSetBuilder::new();
        assert!(matches!(b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='ad'\npattern='('", "f.toml"), Err(Error::RulePattern { .. })));
        assert!(matches!(b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='nope'\npattern='x'", "f.toml"), Err(Error::Rules { .. })));
        assert!(matches!(b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='metadata'\npattern='x'", "f.toml"), Err(Error::Rules { .. })));
    }

    #[test]
    fn the_compiled_set_answers_as_the_single_patterns_do() {
        let rules = RuleSet::builtin();
        let texts = [
            "Photo: Jane Doe/Reuters",
            "Foto: Lars Nielsen/Ritzau Scanpix",
            "Sign up for our newsletter",
            "Advertisement",
            "Read more",
            "The council voted on Tuesday to close the old library for good.",
            "© 2024 Example Media. All rights reserved.",
        ];
        let kinds = [RuleKind::Ad, RuleKind::Caption, RuleKind::Related, RuleKind::Footer, RuleKind::Timestamp, RuleKind::Metadata];
        let names = |r: &RuleSet| -> Vec<Vec<String>> {
            let mut v = Vec::new();
            for k in kinds {
                for t in texts {
                    let w = t.split_whitespace().count();
                    v.push(r.matching(k, t, w).map(|r| r.name.clone()).collect());
                }
            }
            v
        };
        let before = names(&rules);
        // Some texts match, some do not: the comparison has teeth.
        assert!(before.iter().any(|m| !m.is_empty()) && before.iter().any(|m| m.is_empty()));
        for _ in 0..=SET_AFTER / texts.len() {
            names(&rules);
        }
        assert!(rules.kinds.values().any(|ks| ks.set.get().is_some_and(|s| s.is_some())), "set compiled by now");
        assert_eq!(names(&rules), before);
    }
}
