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
use regex::Regex;
use regex_syntax::hir::{Hir, HirKind};
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

/// The rules of one kind. Most blocks match no rule, so one alternation of
/// all the kind's patterns, [widened](widen), rejects them in a single
/// lazy-DFA pass; only on a hit are the rules tried one by one to name the
/// match. (Naming the candidates with one overlapping search of the widened
/// patterns was measured: it costs more than it saves.)
#[derive(Debug, Clone)]
struct KindSet {
    rules: Vec<usize>,
    /// Per rule: left out of `any` and always tried. Unicode `\b` stops the
    /// lazy DFA on non-ASCII text, so one such pattern in the union would
    /// slow every block down; users' rules may have it, ours avoid it.
    /// (A pattern the filter cannot read would be left out too.)
    outside: Vec<bool>,
    /// Whether any rule is `outside`.
    any_outside: bool,
    max_words: usize,
    /// `None` if there is none or it did not compile: every rule is then tried.
    any: Option<regex_automata::meta::Regex>,
}

/// The stopword lists of every language, indexed by word.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    langs: Vec<String>,
    names: Vec<String>,
    /// (word hash, language mask), by [`word_hash`], so that a caller that has
    /// the hash already does not hash the word again.
    /// The word itself is not kept: 32 languages make ~9,500 words, and a
    /// string behind a pointer to compare on every hit cost more than the
    /// 64-bit hash, whose false matches are vanishingly rare.
    words: hashbrown::HashTable<(u64, u64)>,
    /// Longest stopword in bytes: longer words skip the look-up.
    max_len: usize,
}

/// The hash of a lower-cased word used by [`Stopwords`].
#[inline]
pub fn word_hash(word: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(word.as_bytes());
    h.finish()
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
        if lower.len() > self.max_len {
            return 0;
        }
        self.mask_hashed(lower, word_hash(lower))
    }

    /// [`Stopwords::mask`] for a word whose [`word_hash`] is `hash`.
    #[inline]
    pub fn mask_hashed(&self, lower: &str, hash: u64) -> u64 {
        if lower.len() > self.max_len {
            return 0;
        }
        self.words.find(hash, |&(h, _)| h == hash).map_or(0, |&(_, m)| m)
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
            let w = w.to_lowercase();
            self.max_len = self.max_len.max(w.len());
            let h = word_hash(&w);
            let entry = self.words.entry(h, |&(k, _)| k == h, |&(k, _)| k);
            entry.or_insert((h, 0)).into_mut().1 |= 1u64 << i;
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
    // Last, so that a language's own rule names a match first.
    ("neutral", include_str!("../../rules/neutral.toml")),
];

/// Stopwords of the languages without a rules file, from stopwords-iso
/// (MIT; source, filter and licence in `rules/stopwords/`): one language a
/// line, `CODE<TAB>Name<TAB>words`. They come after the rules files, so the
/// ten tuned languages keep bits 0–9 and their own lists.
pub const BUILTIN_STOPWORDS: &str = include_str!("../../rules/stopwords/stopwords.txt");

/// A compiled set of rules and stopwords.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    kinds: FxHashMap<RuleKind, KindSet>,
    /// The widened union of every rule of the [`BODY_KINDS`]: one pass that
    /// clears most blocks of all of them at once. `None` (no screening) if
    /// one of them has a `\b` or it did not compile.
    body_screen: Option<regex_automata::meta::Regex>,
    stopwords: Stopwords,
    /// Indices of the `prefix` rules, for [`RuleSet::matching_long_prefix`].
    prefix_rules: Vec<usize>,
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

    /// The builder with every built-in language loaded. The files compile in
    /// parallel (it is most of a run's start-up) and are added in file order,
    /// so stopword bits and rule order do not depend on the threads.
    pub fn with_builtin() -> Self {
        use rayon::prelude::*;
        let compiled: Vec<CompiledFile> = BUILTIN
            .par_iter()
            .map(|(lang, text)| compile_file(text, &format!("built-in {lang}.toml")).expect("built-in rules are valid"))
            .collect();
        let mut b = Self::new();
        for file in compiled {
            b.add_compiled(file).expect("built-in rules are valid");
        }
        for line in BUILTIN_STOPWORDS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.splitn(3, '\t');
            let (Some(lang), Some(name), Some(words)) = (cols.next(), cols.next(), cols.next()) else {
                panic!("built-in stopwords line is CODE<TAB>Name<TAB>words: {line:.40}");
            };
            b.stopwords.add(lang, Some(name), words).expect("fewer than 64 languages");
        }
        b
    }

    /// Add one rules file. `origin` names it in errors.
    pub fn add_toml(&mut self, text: &str, origin: &str) -> Result<&mut Self> {
        let file = compile_file(text, origin)?;
        self.add_compiled(file)
    }

    fn add_compiled(&mut self, file: CompiledFile) -> Result<&mut Self> {
        // A file without stopwords (`neutral.toml`) is no language to detect.
        if !file.stopwords.trim().is_empty() {
            self.stopwords.add(&file.lang, file.name.as_deref(), &file.stopwords)?;
        }
        for rule in file.rules {
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
        // The unions are the other half of start-up: every one compiles in
        // parallel with the others.
        use rayon::prelude::*;
        // Each rule's pattern widened for the filters, once; `None` for a
        // rule that is always tried instead.
        let widened: Vec<Option<Hir>> = self
            .rules
            .par_iter()
            .map(|r| r.regex.as_str())
            .map(|p| if has_word_boundary(p) { None } else { regex_syntax::parse(p).ok().map(widen) })
            .collect();
        let kinds = || -> FxHashMap<RuleKind, KindSet> {
            grouped
                .into_par_iter()
                .map(|(kind, idx)| {
                    let max_words = idx.iter().map(|&i| self.rules[i].max_words).max().unwrap_or(0);
                    let outside: Vec<bool> = idx.iter().map(|&i| widened[i].is_none()).collect();
                    let alts: Vec<Hir> = idx.iter().filter_map(|&i| widened[i].clone()).collect();
                    let any = if alts.is_empty() { None } else { union_regex(Hir::alternation(alts)) };
                    let any_outside = outside.contains(&true);
                    (kind, KindSet { rules: idx, outside, any_outside, max_words, any })
                })
                .collect()
        };
        let body_screen = || {
            let body: Option<Vec<Hir>> = (self.rules.iter().zip(&widened))
                .filter(|(r, _)| BODY_KINDS.contains(&r.kind))
                .map(|(_, w)| w.clone())
                .collect();
            body.filter(|b| !b.is_empty()).and_then(|b| union_regex(Hir::alternation(b)))
        };
        let anchored = |fmt: &(dyn Fn(&str) -> String + Sync)| -> Option<Regex> {
            if self.timestamps.is_empty() {
                return None;
            }
            let alt = self.timestamps.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
            Some(Regex::new(&fmt(&alt)).expect("timestamp patterns compiled one by one"))
        };
        let ((kinds, body_screen), (ts_whole, (ts_start, ts_end))) = rayon::join(
            || rayon::join(kinds, body_screen),
            || {
                rayon::join(
                    || anchored(&|a| format!(r"^[\s\p{{P}}]*(?:{a})[\s\p{{P}}]*$")),
                    || {
                        rayon::join(
                            || anchored(&|a| format!(r"^[\s\p{{P}}]*(?:{a})")),
                            || anchored(&|a| format!(r"(?:{a})[\s\p{{P}}]*$")),
                        )
                    },
                )
            },
        );
        let prefix_rules = (0..self.rules.len()).filter(|&i| self.rules[i].prefix).collect();
        Ok(RuleSet {
            rules: self.rules,
            kinds,
            body_screen,
            stopwords: self.stopwords,
            prefix_rules,
            ts_whole,
            ts_start,
            ts_end,
        })
    }
}

/// The kinds that the classifier tests on every block of the body.
pub const BODY_KINDS: [RuleKind; 5] =
    [RuleKind::Ad, RuleKind::Related, RuleKind::Footer, RuleKind::Caption, RuleKind::Timestamp];

/// Compile a filter union (a large lazy-DFA cache: the unions are big).
fn union_regex(hir: Hir) -> Option<regex_automata::meta::Regex> {
    let config = regex_automata::meta::Config::new().nfa_size_limit(Some(256 << 20)).hybrid_cache_capacity(64 << 20);
    regex_automata::meta::Builder::new().configure(config).build_from_hir(&hir).ok()
}

/// A pattern made into a cheap filter for a kind's union: what it matches
/// and more, never less. A counted repetition (`[^\n]{1,89}`) becomes
/// unbounded (`+`, or `*` from zero), since the lazy DFA would otherwise
/// count every position and build new states on nearly every byte (3x
/// slower); the rule's own pattern still decides. Capture groups become
/// plain groups, as group names would clash in one union.
fn widen(hir: Hir) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(mut r) => {
            if r.max.is_none_or(|max| max > 1) {
                r.min = r.min.min(1);
                r.max = None;
            }
            r.sub = Box::new(widen(*r.sub));
            Hir::repetition(r)
        }
        HirKind::Capture(c) => widen(*c.sub),
        HirKind::Concat(v) => Hir::concat(v.into_iter().map(widen).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.into_iter().map(widen).collect()),
        HirKind::Empty => Hir::empty(),
        HirKind::Literal(l) => Hir::literal(l.0),
        HirKind::Class(c) => Hir::class(c),
        HirKind::Look(l) => Hir::look(l),
    }
}

/// Does a pattern use `\b` or `\B` (not an escaped backslash before a `b`)?
fn has_word_boundary(pattern: &str) -> bool {
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped && (c == 'b' || c == 'B') {
            return true;
        }
        escaped = !escaped && c == '\\';
    }
    false
}

/// A rules file parsed and its patterns compiled, not yet added.
struct CompiledFile {
    lang: String,
    name: Option<String>,
    stopwords: String,
    rules: Vec<Rule>,
}

fn compile_file(text: &str, origin: &str) -> Result<CompiledFile> {
    let file: RulesFile =
        toml::from_str(text).map_err(|e| Error::Rules { origin: origin.into(), message: e.to_string() })?;
    let lang = file.language.trim().to_lowercase();
    if lang.is_empty() {
        return Err(Error::Rules { origin: origin.into(), message: "`language` is empty".into() });
    }
    let rules = file.rules.into_iter().map(|spec| compile(spec, &lang, origin)).collect::<Result<Vec<_>>>()?;
    Ok(CompiledFile { lang, name: file.name, stopwords: file.stopwords, rules })
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
    /// file order.
    pub fn matching<'a>(&'a self, kind: RuleKind, text: &'a str, words: usize) -> impl Iterator<Item = &'a Rule> + 'a {
        let (idx, outside, union_hit): (&[usize], &[bool], bool) = match self.kinds.get(&kind) {
            Some(ks) if words <= ks.max_words => {
                let hit = ks.any.as_ref().is_none_or(|a| a.is_match(text));
                if hit || ks.any_outside {
                    (&ks.rules, &ks.outside, hit)
                } else {
                    (&[], &[], false)
                }
            }
            _ => (&[], &[], false),
        };
        idx.iter()
            .zip(outside)
            .filter(move |(_, &out)| union_hit || out)
            .map(move |(&i, _)| &self.rules[i])
            .filter(move |r| words <= r.max_words && r.regex.is_match(text))
    }

    /// Whether a rule of `kind` may match `text`, whatever its length: `false`
    /// is certain (neither [`RuleSet::matching`] nor
    /// [`RuleSet::matching_long_prefix`] yields a rule), `true` says "maybe".
    pub fn may_match(&self, kind: RuleKind, text: &str) -> bool {
        self.kinds.get(&kind).is_some_and(|ks| ks.any_outside || ks.any.as_ref().is_none_or(|a| a.is_match(text)))
    }

    /// The largest `max_words` of the rules of `kind` (0 if it has none).
    pub fn max_words(&self, kind: RuleKind) -> usize {
        self.kinds.get(&kind).map_or(0, |ks| ks.max_words)
    }

    /// Whether a rule of one of the [`BODY_KINDS`] may match `text`. `false`
    /// is certain (no such rule matches); `true` says only "maybe".
    pub fn may_match_body(&self, text: &str) -> bool {
        self.body_screen.as_ref().is_none_or(|s| s.is_match(text))
    }

    /// The `prefix` rules of `kind` that match `text` although it has more
    /// than their `max_words` words, which [`RuleSet::matching`] leaves out:
    /// a prefix is cut and the rest stays, so the rest's length must not
    /// bound it (a 60-word first paragraph would keep its date stamp).
    pub fn matching_long_prefix<'a>(
        &'a self,
        kind: RuleKind,
        text: &'a str,
        words: usize,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        (self.prefix_rules.iter().map(move |&i| &self.rules[i]))
            .filter(move |r| r.kind == kind && words > r.max_words && r.regex.is_match(text))
    }

    /// The first rule of `kind` that matches.
    pub fn first<'a>(&'a self, kind: RuleKind, text: &'a str, words: usize) -> Option<&'a Rule> {
        self.matching(kind, text, words).next()
    }

    /// The text after a relative timestamp that opens `text`, if one does.
    pub fn after_leading_timestamp<'t>(&self, text: &'t str) -> Option<&'t str> {
        self.ts_start.as_ref()?.find(text).map(|m| &text[m.end()..])
    }

    /// Where a relative timestamp sits in `text`.
    pub fn timestamp(&self, text: &str) -> TimestampAt {
        let hit = |r: &Option<Regex>| r.as_ref().is_some_and(|r| r.is_match(text));
        if text.len() > 400 {
            // Only the ends matter; skip the whole-block test for long text.
            return if hit(&self.ts_start) {
                TimestampAt::Start
            } else if hit(&self.ts_end) {
                TimestampAt::End
            } else {
                TimestampAt::None
            };
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
    fn word_boundary_rules_still_match_outside_the_union() {
        assert!(has_word_boundary(r"(?i)\bcookies\b") && !has_word_boundary(r"a\\b") && !has_word_boundary("abc"));
        let mut b = RuleSetBuilder::new();
        b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='footer'\npattern='^zzz$'\n[[rule]]\nname='b'\nkind='footer'\npattern='(?i)\\bwe use cookies\\b'", "t").unwrap();
        let rs = b.build().unwrap();
        assert_eq!(rs.first(RuleKind::Footer, "Yes, we use cookies – é", 5).map(|r| r.name.as_str()), Some("xx.b"));
        assert_eq!(rs.first(RuleKind::Footer, "zzz", 1).map(|r| r.name.as_str()), Some("xx.a"));
        assert!(rs.first(RuleKind::Footer, "we used cookiesque", 3).is_none());
    }

    #[test]
    fn widened_patterns_match_more_never_less() {
        let widened = |p: &str| {
            let hir = widen(regex_syntax::parse(p).unwrap());
            regex_automata::meta::Regex::builder().build_from_hir(&hir).unwrap()
        };
        let (exact, w) = (Regex::new(r"^(?P<value>a{2,3})-x{0,2}$").unwrap(), widened(r"^(?P<value>a{2,3})-x{0,2}$"));
        for t in ["aa-", "aaa-xx", "aa-x"] {
            assert!(exact.is_match(t));
            assert!(w.is_match(t), "{t}");
        }
        // The bounds are gone, the anchors and literals are not.
        assert!(w.is_match("a-xxxxx") && w.is_match("aaaaaa-"));
        assert!(!w.is_match("-x") && !w.is_match("aa-y") && !w.is_match("baa-"));
        // Group names are gone, so two patterns with one name can share a union.
        let both = widen(regex_syntax::parse(r"(?P<value>x)|(?P<value2>y)").unwrap());
        assert_eq!(both.properties().explicit_captures_len(), 0);
    }

    #[test]
    fn the_body_screen_never_hides_a_rule() {
        let rs = RuleSet::builtin();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
        let mut blocks = Vec::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            blocks.extend(crate::blocks::segment(&crate::input::normalize(&text)));
        }
        let mut hits = 0;
        for b in &blocks {
            for kind in BODY_KINDS {
                if rs.first(kind, &b.text, 1).is_some() {
                    hits += 1;
                    assert!(rs.may_match_body(&b.text), "{kind:?} rule matches but the screen says no: {:?}", b.text);
                }
            }
        }
        assert!(hits > 100, "the fixtures exercise the rules ({hits} hits)");
        assert!(blocks.iter().any(|b| !rs.may_match_body(&b.text)), "the screen clears some blocks");
    }

    #[test]
    fn bad_rules_files_are_errors_not_panics() {
        let mut b = RuleSetBuilder::new();
        assert!(matches!(
            b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='ad'\npattern='('", "f.toml"),
            Err(Error::RulePattern { .. })
        ));
        assert!(matches!(
            b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='nope'\npattern='x'", "f.toml"),
            Err(Error::Rules { .. })
        ));
        assert!(matches!(
            b.add_toml("language='xx'\n[[rule]]\nname='a'\nkind='metadata'\npattern='x'", "f.toml"),
            Err(Error::Rules { .. })
        ));
    }
}
