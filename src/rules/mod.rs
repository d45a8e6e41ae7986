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
//!
//! Nothing is compiled up front: a run that cleans one small file must start
//! in milliseconds, and compiling every pattern of every language took
//! hundreds of milliseconds. A [`Screen`] (multi-pattern automata of the
//! [widened](widen) patterns of a group of rules: those anchored at the
//! start apart, so that per-block states stay few) is compiled when the
//! first block reaches it, and names the rules that may match a block; a
//! rule's own regex is compiled the first time it is a candidate. Users'
//! rules files are compiled when loaded, so that a bad pattern is reported
//! at once.

mod hircode;

use crate::error::{Error, Result};
use regex::Regex;
use regex_syntax::hir::{Hir, HirKind};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

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
    pattern: String,
    /// Compiled on first use, or when a user's file is loaded.
    regex: OnceLock<Regex>,
    screen: ScreenPattern,
    /// For a `phrases` rule: the phrases, trimmed, and their [`PhraseSet`]
    /// once asked (`None` inside: the regex must decide).
    phrases: Option<std::sync::Arc<PhraseCell>>,
}

#[derive(Debug, Default)]
struct PhraseCell {
    phrases: Vec<String>,
    set: OnceLock<Option<PhraseSet>>,
}

/// A `phrases` rule matched without compiling its regex
/// `(?i)^[\s\p{P}\p{S}]*(?:PHRASES)[\s\p{P}\p{S}]*$`: the block with
/// its edge characters (spaces, punctuation, symbols) stripped, every
/// character folded to the smallest of its simple case-fold class, is one of
/// the phrases folded so. The same answer as the regex whenever no phrase
/// starts or ends with an edge character (else the regex decides): the
/// edge class is closed under case folding (tested), so stripping the block
/// stops where the phrase starts.
#[derive(Debug)]
struct PhraseSet {
    keys: rustc_hash::FxHashSet<String>,
}

/// The edge class of a phrases rule, `[\s\p{P}\p{S}]`.
fn edge_class() -> &'static regex_syntax::hir::ClassUnicode {
    static EDGE: OnceLock<regex_syntax::hir::ClassUnicode> = OnceLock::new();
    EDGE.get_or_init(|| match regex_syntax::parse(r"[\s\p{P}\p{S}]").map(|h| h.into_kind()) {
        Ok(HirKind::Class(regex_syntax::hir::Class::Unicode(c))) => c,
        _ => unreachable!("a Unicode class"),
    })
}

fn is_edge(c: char) -> bool {
    edge_class()
        .ranges()
        .binary_search_by(|r| {
            if r.end() < c {
                std::cmp::Ordering::Less
            } else if r.start() > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// The smallest character of `c`'s simple case-fold class (what `(?i)`
/// matches `c` with): ASCII letters fold to their capital.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    class.ranges().first().map_or(c, |r| r.start())
}

fn fold_key(text: &str) -> String {
    text.chars().map(fold_char).collect()
}

impl PhraseSet {
    fn new(phrases: &[String]) -> Option<PhraseSet> {
        let plain = |p: &String| {
            let (first, last) = (p.chars().next(), p.chars().next_back());
            first.is_some_and(|c| !is_edge(c)) && last.is_some_and(|c| !is_edge(c))
        };
        phrases.iter().all(plain).then(|| PhraseSet { keys: phrases.iter().map(|p| fold_key(p)).collect() })
    }

    fn is_match(&self, text: &str) -> bool {
        let core = text.trim_matches(is_edge);
        !core.is_empty() && self.keys.contains(&fold_key(core))
    }
}

/// What a rule contributes to its screen.
#[derive(Debug, Clone, Copy)]
enum ScreenPattern {
    /// Widen the pattern when the screen is compiled (users' rules).
    FromPattern,
    /// Made ahead, from `rules/screen.txt`.
    Given(&'static str),
    /// Always tried.
    Outside,
}

impl Rule {
    /// The rule's regex, compiled the first time it is asked for.
    pub fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| build_regex(&self.pattern).expect("built-in patterns compile (tested)"))
    }

    /// Whether the rule matches `text`: what `self.regex().is_match(text)`
    /// says, without compiling the regex of a plain `phrases` rule.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(cell) = &self.phrases {
            if let Some(set) = cell.set.get_or_init(|| PhraseSet::new(&cell.phrases)) {
                return set.is_match(text);
            }
        }
        self.regex().is_match(text)
    }

    /// The rule's pattern as written (phrases become one anchored pattern).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
}

fn build_regex(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).size_limit(16 << 20).build()
}

/// The rules of one kind, in file order.
#[derive(Debug, Clone)]
struct KindSet {
    rules: Vec<usize>,
    max_words: usize,
}

/// Multi-pattern automata over the [widened](widen) patterns of a group of
/// rules (one per [`Part`]), compiled when first asked. Most blocks match no
/// rule: `is_match` rejects them in one lazy-DFA pass per part. On a hit, one overlapping
/// search names the rules that may match, and only those are tried (and
/// compiled), so a run compiles the rules its documents need.
#[derive(Debug)]
pub struct Screen {
    rules: Vec<usize>,
    compiled: OnceLock<ScreenRe>,
}

impl Clone for Screen {
    fn clone(&self) -> Self {
        let compiled = OnceLock::new();
        if let Some(c) = self.compiled.get() {
            let _ = compiled.set(c.clone());
        }
        Screen { rules: self.rules.clone(), compiled }
    }
}

#[derive(Debug, Clone)]
struct ScreenRe {
    /// The screen's automata, one per [`Part`]; `None` if one did not
    /// compile: every rule is then a candidate.
    re: Option<ScreenParts>,
    /// Per rule index: its pattern in `re`, [`OUTSIDE`] if it is always
    /// tried. Unicode `\b` stops the lazy DFA on non-ASCII text, so one such
    /// pattern in the union would slow every block down; users' rules may
    /// have it, ours avoid it. (A pattern the filter cannot read is left out
    /// too.)
    pattern_of: Vec<u32>,
    any_outside: bool,
}

const OUTSIDE: u32 = u32::MAX;
/// In `pattern_of`: the rule is not in this screen's group.
const ELSEWHERE: u32 = u32::MAX - 1;

/// The rules of a [`Screen`] that may match one text: a rule not named here
/// does not match it.
#[derive(Debug)]
pub struct Candidates<'a> {
    screen: Option<&'a ScreenRe>,
    /// `None`: every rule of the screen is a candidate.
    set: Option<regex_automata::PatternSet>,
}

impl Candidates<'_> {
    /// Whether rule number `rule` (of the screen's group) may match.
    pub fn may(&self, rule: usize) -> bool {
        match (self.screen, &self.set) {
            (Some(s), Some(set)) => match s.pattern_of.get(rule) {
                Some(&OUTSIDE) => true,
                Some(&ELSEWHERE) | None => false,
                Some(&p) => set.contains(regex_automata::PatternID::new_unchecked(p as usize)),
            },
            _ => true,
        }
    }
}

type CachePool = regex_automata::util::pool::Pool<
    regex_automata::hybrid::dfa::Cache,
    Box<
        dyn Fn() -> regex_automata::hybrid::dfa::Cache
            + Send
            + Sync
            + std::panic::RefUnwindSafe
            + std::panic::UnwindSafe,
    >,
>;

/// How a part of a screen searches a block. One unanchored automaton over
/// every pattern of a group builds a new lazy-DFA state for nearly every
/// combination of partial matches it meets, and each state is costly (its
/// NFA set spans all the patterns): on HTML pages, whose text is new to the
/// automaton on every page, building states was most of the rules' cost.
/// So the patterns are split by where a match can start. (A third part,
/// the patterns that close with `$` searched backwards, cut HTML pages'
/// cost by 2% more but cost text 4% more per document: the reverse search
/// reads most of every block.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Patterns that open with `^` are searched anchored at the start: their
    /// threads die within a few bytes of most blocks, and no state of theirs
    /// combines with the unanchored patterns' states.
    Start,
    /// The rest (a caption credit at the end, a toggle or a timestamp
    /// anywhere in the block), unanchored.
    Anywhere,
}

impl Part {
    fn of(hir: &Hir) -> Part {
        if hir.properties().look_set_prefix().contains(regex_syntax::hir::Look::Start) {
            Part::Start
        } else {
            Part::Anywhere
        }
    }
}

/// The automata of a screen: per part, its DFA and the number of its first
/// pattern in the screen's numbering.
#[derive(Debug, Clone)]
struct ScreenParts {
    parts: Vec<(std::sync::Arc<ScreenDfa>, u32)>,
    patterns: usize,
    /// The most patterns of one part.
    widest: usize,
}

impl ScreenParts {
    /// `None`: a lazy DFA gave up (the caller must assume a match).
    fn is_match(&self, text: &str) -> Option<bool> {
        let mut gave_up = false;
        for (dfa, _) in &self.parts {
            match dfa.is_match(text) {
                Some(true) => return Some(true),
                Some(false) => {}
                None => gave_up = true,
            }
        }
        (!gave_up).then_some(false)
    }

    /// Whether a pattern may match `text`, and which ones (`None`: a lazy
    /// DFA gave up, so every pattern may). A part is searched for its
    /// patterns only if it matched: the search for every match is several
    /// times slower than the one that stops at the first.
    fn which(&self, text: &str) -> (bool, Option<regex_automata::PatternSet>) {
        let mut set = regex_automata::PatternSet::new(self.patterns);
        let mut own: Option<regex_automata::PatternSet> = None;
        let mut any = false;
        for (dfa, first) in &self.parts {
            if dfa.is_match(text) == Some(false) {
                continue;
            }
            any = true;
            // One set for every part's own numbering, made on the first hit.
            let own = own.get_or_insert_with(|| regex_automata::PatternSet::new(self.widest));
            own.clear();
            if dfa.which(text, own).is_none() {
                return (true, None);
            }
            for p in own.iter() {
                set.insert(regex_automata::PatternID::new_unchecked(*first as usize + p.as_usize()));
            }
        }
        (any, Some(set))
    }
}

/// One part's automaton: a lazy DFA alone (no prefilter or capture engines
/// to build: a screen only asks "is there a match" and "of which
/// patterns"), with a cache per thread.
struct ScreenDfa {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: CachePool,
    part: Part,
}

impl std::fmt::Debug for ScreenDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenDfa").field("patterns", &self.dfa.pattern_len()).finish()
    }
}

impl ScreenDfa {
    fn input<'t>(&self, text: &'t str) -> regex_automata::Input<'t> {
        let input = regex_automata::Input::new(text);
        match self.part {
            Part::Anywhere => input,
            Part::Start => input.anchored(regex_automata::Anchored::Yes),
        }
    }

    /// `None`: the lazy DFA gave up (the caller must assume a match).
    fn is_match(&self, text: &str) -> Option<bool> {
        let mut cache = self.caches.get();
        let input = self.input(text).earliest(true);
        self.dfa.try_search_fwd(&mut cache, &input).ok().map(|m| m.is_some())
    }

    fn which(&self, text: &str, set: &mut regex_automata::PatternSet) -> Option<()> {
        let mut cache = self.caches.get();
        self.dfa.try_which_overlapping_matches(&mut cache, &self.input(text), set).ok()
    }
}

impl Screen {
    fn new(rules: Vec<usize>) -> Screen {
        Screen { rules, compiled: OnceLock::new() }
    }

    fn get(&self, all: &[Rule]) -> &ScreenRe {
        self.compiled.get_or_init(|| {
            let mut pattern_of = vec![ELSEWHERE; all.len()];
            // Per part, the rules and their patterns.
            let mut hirs: [(Vec<usize>, Vec<Hir>); 2] = Default::default();
            let mut any_outside = false;
            for &i in &self.rules {
                let p = all[i].pattern();
                let hir = match all[i].screen {
                    // Widened and coarsened already, read without the parser.
                    ScreenPattern::Given(s) => hircode::decode(s),
                    ScreenPattern::Outside => None,
                    ScreenPattern::FromPattern => None,
                };
                let hir = hir.or_else(|| match all[i].screen {
                    ScreenPattern::Outside => None,
                    _ if has_word_boundary(p) => None,
                    _ => regex_syntax::parse(p).ok().map(widen),
                });
                match hir {
                    Some(h) => {
                        let part = &mut hirs[Part::of(&h) as usize];
                        part.0.push(i);
                        part.1.push(h);
                    }
                    None => {
                        pattern_of[i] = OUTSIDE;
                        any_outside = true;
                    }
                }
            }
            let mut parts = Vec::new();
            let mut patterns = 0;
            let mut failed = false;
            for (part, (rules, hirs)) in [Part::Start, Part::Anywhere].into_iter().zip(&hirs) {
                if hirs.is_empty() {
                    continue;
                }
                for (k, &i) in rules.iter().enumerate() {
                    pattern_of[i] = (patterns + k) as u32;
                }
                match union_regex(hirs, part) {
                    Some(dfa) => parts.push((dfa, patterns as u32)),
                    None => failed = true,
                }
                patterns += hirs.len();
            }
            let widest = hirs.iter().map(|h| h.1.len()).max().unwrap_or(0);
            let re = (!failed && patterns > 0).then_some(ScreenParts { parts, patterns, widest });
            ScreenRe { re, pattern_of, any_outside }
        })
    }

    /// `false` is certain: no rule of the group matches `text`.
    fn may_match(&self, all: &[Rule], text: &str) -> bool {
        if self.rules.is_empty() {
            return false;
        }
        let s = self.get(all);
        s.any_outside || s.re.as_ref().is_none_or(|r| r.is_match(text) != Some(false))
    }

    /// The rules of the group that may match `text`; `None` if none can.
    fn candidates<'a>(&'a self, all: &[Rule], text: &str) -> Option<Candidates<'a>> {
        if self.rules.is_empty() {
            return None;
        }
        let s = self.get(all);
        let Some(re) = &s.re else {
            return Some(Candidates { screen: Some(s), set: None });
        };
        // `None` inside: a lazy DFA gave up, every rule is a candidate.
        let (any, set) = re.which(text);
        if !any && !s.any_outside {
            return None;
        }
        Some(Candidates { screen: Some(s), set })
    }
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
    /// Every rule of the [`BODY_KINDS`]: one pass clears most blocks of all
    /// of them at once.
    body: Screen,
    /// The rules of each other kind (metadata, profile).
    others: FxHashMap<RuleKind, Screen>,
    /// The timestamp rules alone, for [`RuleSet::timestamp`].
    timestamp_screen: Screen,
    stopwords: Stopwords,
    /// Indices of the `prefix` rules, for [`RuleSet::matching_long_prefix`].
    prefix_rules: Vec<usize>,
    /// Each timestamp rule anchored three ways (whole block, start, end),
    /// compiled when a block first has it as a candidate. A union anchored
    /// so matches a block if and only if one of its patterns does.
    anchored: Vec<(usize, OnceLock<Anchored>)>,
    /// Their union anchored at the start.
    anchored_start: OnceLock<Option<Regex>>,
}

/// One timestamp pattern anchored three ways.
#[derive(Debug, Clone)]
struct Anchored {
    whole: Regex,
    start: Regex,
    end: Regex,
}

/// Builds a [`RuleSet`] from rules files.
#[derive(Debug, Default)]
pub struct RuleSetBuilder {
    rules: Vec<Rule>,
    stopwords: Stopwords,
}

impl RuleSetBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// The builder with every built-in language loaded: the files are read
    /// (their patterns compile when first needed) and added in file order,
    /// so stopword bits and rule order are fixed.
    pub fn with_builtin() -> Self {
        let mut b = Self::new();
        for (lang, text) in BUILTIN {
            let file = compile_file(text, &format!("built-in {lang}.toml"), false).expect("built-in rules are valid");
            b.add_compiled(file).expect("built-in rules are valid");
        }
        attach_screens(&mut b.rules);
        for line in BUILTIN_STOPWORDS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.splitn(3, '\t');
            let (Some(lang), Some(name), Some(words)) = (cols.next(), cols.next(), cols.next()) else {
                panic!("built-in stopwords line is CODE<TAB>Name<TAB>words: {line:.40}");
            };
            b.stopwords.add(lang, Some(name), words).expect("fewer than 64 languages");
        }
        b
    }

    /// Add one rules file; its patterns are compiled now, so that an error
    /// names it. `origin` names it in errors.
    pub fn add_toml(&mut self, text: &str, origin: &str) -> Result<&mut Self> {
        let file = compile_file(text, origin, true)?;
        self.add_compiled(file)
    }

    fn add_compiled(&mut self, file: CompiledFile) -> Result<&mut Self> {
        // A file without stopwords (`neutral.toml`) is no language to detect.
        if !file.stopwords.trim().is_empty() {
            self.stopwords.add(&file.lang, file.name.as_deref(), &file.stopwords)?;
        }
        self.rules.extend(file.rules);
        Ok(self)
    }

    /// Add rules that were made in code (for example from a site profile).
    pub fn add_rule(&mut self, rule: Rule) -> &mut Self {
        self.rules.push(rule);
        self
    }

    /// The rule set. Nothing is compiled here (see the module's doc).
    pub fn build(self) -> Result<RuleSet> {
        let mut kinds: FxHashMap<RuleKind, KindSet> = FxHashMap::default();
        for (i, r) in self.rules.iter().enumerate() {
            let k = kinds.entry(r.kind).or_insert(KindSet { rules: Vec::new(), max_words: 0 });
            k.rules.push(i);
            k.max_words = k.max_words.max(r.max_words);
        }
        let of = |pick: &dyn Fn(RuleKind) -> bool| {
            Screen::new((0..self.rules.len()).filter(|&i| pick(self.rules[i].kind)).collect())
        };
        let body = of(&|k| BODY_KINDS.contains(&k));
        let timestamp_screen = of(&|k| k == RuleKind::Timestamp);
        let others =
            [RuleKind::Metadata, RuleKind::Profile].into_iter().map(|kind| (kind, of(&|k| k == kind))).collect();
        let prefix_rules = (0..self.rules.len()).filter(|&i| self.rules[i].prefix).collect();
        let anchored = (0..self.rules.len())
            .filter(|&i| self.rules[i].kind == RuleKind::Timestamp)
            .map(|i| (i, OnceLock::new()))
            .collect();
        Ok(RuleSet {
            rules: self.rules,
            kinds,
            body,
            others,
            timestamp_screen,
            stopwords: self.stopwords,
            prefix_rules,
            anchored,
            anchored_start: OnceLock::new(),
        })
    }
}

/// The kinds that the classifier tests on every block of the body.
pub const BODY_KINDS: [RuleKind; 5] =
    [RuleKind::Ad, RuleKind::Related, RuleKind::Footer, RuleKind::Caption, RuleKind::Timestamp];

/// Compile a part of a screen: one pattern per rule, every match reported
/// (a large lazy-DFA cache: the unions are big).
fn union_regex(hirs: &[Hir], part: Part) -> Option<std::sync::Arc<ScreenDfa>> {
    use regex_automata::{hybrid::dfa::DFA, nfa::thompson};
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new().which_captures(thompson::WhichCaptures::None).nfa_size_limit(Some(256 << 20)),
        )
        .build_many_from_hir(hirs)
        .ok()?;
    let config = DFA::config().match_kind(regex_automata::MatchKind::All).cache_capacity(64 << 20);
    let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
    let for_caches = dfa.clone();
    let caches: CachePool = regex_automata::util::pool::Pool::new(Box::new(move || for_caches.create_cache()));
    Some(std::sync::Arc::new(ScreenDfa { dfa, caches, part }))
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
        HirKind::Class(c) => Hir::class(coarsen(c)),
        HirKind::Look(l) => Hir::look(l),
    }
}

/// A class with more than this many ranges outside ASCII is widened to all
/// of them: `\p{L}` has hundreds, and compiling them into UTF-8 automata was
/// most of a screen's cost. A letter and its other case (`[Éé]`) stay.
const SMALL_CLASS: usize = 4;

/// A class made into a superset that compiles cheaply: its ASCII part
/// exactly, and, if it has many ranges beyond ASCII, every non-ASCII
/// character. On ASCII text the screen is as precise as before.
fn coarsen(c: regex_syntax::hir::Class) -> regex_syntax::hir::Class {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange};
    let Class::Unicode(u) = c else { return c };
    let beyond = u.ranges().iter().filter(|r| r.end() > '\x7f').count();
    if beyond <= SMALL_CLASS {
        return Class::Unicode(u);
    }
    let mut ranges: Vec<ClassUnicodeRange> = (u.ranges().iter())
        .filter(|r| r.start() <= '\x7f')
        .map(|r| ClassUnicodeRange::new(r.start(), r.end().min('\x7f')))
        .collect();
    ranges.push(ClassUnicodeRange::new('\u{80}', char::MAX));
    Class::Unicode(ClassUnicode::new(ranges))
}

/// A rule's pattern as its screen reads it ([widened](widen)), in the
/// text form of [`hircode`]; `None` for a rule that stays outside the screen.
pub fn screen_pattern(pattern: &str) -> Option<String> {
    if has_word_boundary(pattern) {
        return None;
    }
    hircode::encode(&widen(regex_syntax::parse(pattern).ok()?))
}

/// The hash of a rule's pattern in `rules/screen.txt`, so that a stale line
/// is never used.
fn pattern_hash(pattern: &str) -> u64 {
    word_hash(pattern)
}

/// `rules/screen.txt`: the built-in rules' [`screen_pattern`]s, made ahead
/// so that a run does not parse every pattern of every language (with their
/// Unicode classes) before its first block. One line per rule, in rule
/// order: `NAME<TAB>HASH<TAB>PATTERN` (an empty pattern: outside). A test
/// checks that it is current and rewrites it with `NEWSCLEAN_WRITE_SCREEN=1`.
pub const BUILTIN_SCREEN: &str = include_str!("../../rules/screen.txt");

/// The text of `rules/screen.txt` for these rules.
pub fn screen_file(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Generated from rules/*.toml by `NEWSCLEAN_WRITE_SCREEN=1 cargo test --lib screen_file`; do not edit.\n",
    );
    for r in rules {
        let p = screen_pattern(r.pattern()).unwrap_or_default();
        out.push_str(&format!("{}\t{:016x}\t{p}\n", r.name, pattern_hash(r.pattern())));
    }
    out
}

/// Give the built-in rules their screen patterns from [`BUILTIN_SCREEN`],
/// where a line names the rule and its pattern's hash.
fn attach_screens(rules: &mut [Rule]) {
    let lines = BUILTIN_SCREEN.lines().filter(|l| !l.starts_with('#'));
    for (r, line) in rules.iter_mut().zip(lines) {
        let mut cols = line.splitn(3, '\t');
        let (Some(name), Some(hash), Some(p)) = (cols.next(), cols.next(), cols.next()) else { continue };
        if name == r.name && u64::from_str_radix(hash, 16).ok() == Some(pattern_hash(r.pattern())) {
            r.screen = if p.is_empty() { ScreenPattern::Outside } else { ScreenPattern::Given(p) };
        }
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

/// Read a rules file; with `eager`, compile its patterns now (users' files,
/// so that an error names the file when it is loaded).
fn compile_file(text: &str, origin: &str, eager: bool) -> Result<CompiledFile> {
    let file: RulesFile =
        toml::from_str(text).map_err(|e| Error::Rules { origin: origin.into(), message: e.to_string() })?;
    let lang = file.language.trim().to_lowercase();
    if lang.is_empty() {
        return Err(Error::Rules { origin: origin.into(), message: "`language` is empty".into() });
    }
    let rules = file.rules.into_iter().map(|spec| compile(spec, &lang, origin, eager)).collect::<Result<Vec<_>>>()?;
    Ok(CompiledFile { lang, name: file.name, stopwords: file.stopwords, rules })
}

fn compile(spec: RuleSpec, lang: &str, origin: &str, eager: bool) -> Result<Rule> {
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
    let regex = OnceLock::new();
    if eager {
        let re = build_regex(&pattern).map_err(|source| Error::RulePattern {
            origin: origin.into(),
            rule: name.clone(),
            source,
        })?;
        let _ = regex.set(re);
    }
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
        pattern,
        regex,
        screen: ScreenPattern::FromPattern,
        phrases: (!spec.phrases.is_empty()).then(|| {
            let phrases = spec.phrases.iter().map(|p| p.trim().to_owned()).collect();
            std::sync::Arc::new(PhraseCell { phrases, set: OnceLock::new() })
        }),
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

    /// The screen that covers the rules of `kind`.
    fn screen(&self, kind: RuleKind) -> Option<&Screen> {
        if BODY_KINDS.contains(&kind) {
            Some(&self.body)
        } else {
            self.others.get(&kind)
        }
    }

    /// The rules of `kind`'s screen that may match `text` (`None`: none
    /// can). The classifier asks once per block and passes the answer to
    /// [`RuleSet::first_in`] for each kind.
    pub fn candidates(&self, kind: RuleKind, text: &str) -> Option<Candidates<'_>> {
        self.screen(kind)?.candidates(&self.rules, text)
    }

    /// The rules of `kind` that match `text` (a block of `words` words), in
    /// file order.
    pub fn matching<'a>(&'a self, kind: RuleKind, text: &'a str, words: usize) -> impl Iterator<Item = &'a Rule> + 'a {
        let within = self.kinds.get(&kind).is_some_and(|ks| words <= ks.max_words);
        let c = if within { self.candidates(kind, text) } else { None };
        self.among(
            self.kind_rules(kind, words),
            move |i| c.as_ref().is_some_and(|c| c.may(i)),
            move |r| words <= r.max_words && r.is_match(text),
        )
    }

    /// The rules of `kind` that match `text`, among the `candidates` of its
    /// screen, in file order.
    pub fn matching_in<'a>(
        &'a self,
        candidates: &'a Candidates<'a>,
        kind: RuleKind,
        text: &'a str,
        words: usize,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.among(
            self.kind_rules(kind, words),
            |i| candidates.may(i),
            move |r| words <= r.max_words && r.is_match(text),
        )
    }

    /// The indices of `kind`'s rules, none when a block of `words` words is
    /// longer than every one of them allows.
    fn kind_rules(&self, kind: RuleKind, words: usize) -> &[usize] {
        match self.kinds.get(&kind) {
            Some(ks) if words <= ks.max_words => &ks.rules,
            _ => &[],
        }
    }

    /// The rules at `idx` that the screen says `may` match and that `keep`
    /// accepts, in file order: the one loop behind every `matching*` method.
    fn among<'a>(
        &'a self,
        idx: &'a [usize],
        may: impl Fn(usize) -> bool + 'a,
        keep: impl Fn(&Rule) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        idx.iter().filter(move |&&i| may(i)).map(move |&i| &self.rules[i]).filter(move |r| keep(r))
    }

    /// The first rule of `kind` that matches, among `candidates`.
    pub fn first_in<'a>(
        &'a self,
        candidates: &'a Candidates<'a>,
        kind: RuleKind,
        text: &'a str,
        words: usize,
    ) -> Option<&'a Rule> {
        self.matching_in(candidates, kind, text, words).next()
    }

    /// Whether a rule of `kind` may match `text`, whatever its length: `false`
    /// is certain (neither [`RuleSet::matching`] nor
    /// [`RuleSet::matching_long_prefix`] yields a rule), `true` says "maybe".
    pub fn may_match(&self, kind: RuleKind, text: &str) -> bool {
        self.kinds.contains_key(&kind) && self.screen(kind).is_some_and(|s| s.may_match(&self.rules, text))
    }

    /// The largest `max_words` of the rules of `kind` (0 if it has none).
    pub fn max_words(&self, kind: RuleKind) -> usize {
        self.kinds.get(&kind).map_or(0, |ks| ks.max_words)
    }

    /// Whether a rule of one of the [`BODY_KINDS`] may match `text`. `false`
    /// is certain (no such rule matches); `true` says only "maybe".
    pub fn may_match_body(&self, text: &str) -> bool {
        self.body.may_match(&self.rules, text)
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
        let any = self.prefix_rules.iter().any(|&i| self.rules[i].kind == kind && words > self.rules[i].max_words);
        let c = if any { self.candidates(kind, text) } else { None };
        self.among(
            &self.prefix_rules,
            move |i| c.as_ref().is_some_and(|c| c.may(i)),
            move |r| r.kind == kind && words > r.max_words && r.is_match(text),
        )
    }

    /// [`RuleSet::matching_long_prefix`] among the `candidates` of `kind`'s screen.
    pub fn matching_long_prefix_in<'a>(
        &'a self,
        candidates: &'a Candidates<'a>,
        kind: RuleKind,
        text: &'a str,
        words: usize,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.among(
            &self.prefix_rules,
            |i| candidates.may(i),
            move |r| r.kind == kind && words > r.max_words && r.is_match(text),
        )
    }

    /// The first rule of `kind` that matches.
    pub fn first<'a>(&'a self, kind: RuleKind, text: &'a str, words: usize) -> Option<&'a Rule> {
        self.matching(kind, text, words).next()
    }

    /// The union of the timestamp patterns anchored at the start, compiled
    /// on first use: [`RuleSet::after_leading_timestamp`] needs the match
    /// of the whole alternation, as written.
    fn anchored_start(&self) -> Option<&Regex> {
        self.anchored_start
            .get_or_init(|| {
                let ts: Vec<&str> =
                    self.rules.iter().filter(|r| r.kind == RuleKind::Timestamp).map(|r| r.pattern()).collect();
                if ts.is_empty() {
                    return None;
                }
                let alt = ts.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
                Some(Regex::new(&format!(r"^[\s\p{{P}}]*(?:{alt})")).expect("timestamp patterns compile one by one"))
            })
            .as_ref()
    }

    /// The text after a relative timestamp that opens `text`, if one does.
    pub fn after_leading_timestamp<'t>(&self, text: &'t str) -> Option<&'t str> {
        // No timestamp pattern matches anywhere: none opens the text.
        if !self.timestamp_screen.may_match(&self.rules, text) {
            return None;
        }
        self.anchored_start()?.find(text).map(|m| &text[m.end()..])
    }

    /// Where a relative timestamp sits in `text`.
    pub fn timestamp(&self, text: &str) -> TimestampAt {
        match self.timestamp_screen.candidates(&self.rules, text) {
            Some(c) => self.timestamp_in(&c, text),
            None => TimestampAt::None,
        }
    }

    /// [`RuleSet::timestamp`] for a text whose `candidates` (of the body or
    /// of the timestamp screen) are known. A block is a timestamp, or opens
    /// or closes with one, if one timestamp pattern anchored so matches it:
    /// only the candidates' anchored patterns are compiled and tried.
    pub fn timestamp_in(&self, candidates: &Candidates<'_>, text: &str) -> TimestampAt {
        let (mut whole, mut start, mut end) = (false, false, false);
        let long = text.len() > 400;
        for (rule, cell) in &self.anchored {
            if !candidates.may(*rule) {
                continue;
            }
            let a = cell.get_or_init(|| {
                let p = self.rules[*rule].pattern();
                let re = |p: String| Regex::new(&p).expect("timestamp patterns compile one by one");
                Anchored {
                    whole: re(format!(r"^[\s\p{{P}}]*(?:{p})[\s\p{{P}}]*$")),
                    start: re(format!(r"^[\s\p{{P}}]*(?:{p})")),
                    end: re(format!(r"(?:{p})[\s\p{{P}}]*$")),
                }
            });
            // Only the ends matter in a long text; skip the whole-block test.
            whole = whole || (!long && a.whole.is_match(text));
            start = start || a.start.is_match(text);
            end = end || a.end.is_match(text);
        }
        if whole {
            TimestampAt::Whole
        } else if start {
            TimestampAt::Start
        } else if end {
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
    fn each_part_of_a_screen_names_its_rules() {
        // Rules anchored at the start, at the end, neither, and both: the
        // screen names exactly the rules that match.
        let mut b = RuleSetBuilder::new();
        b.add_toml(
            "language='xx'\n[[rule]]\nname='s'\nkind='footer'\npattern='^(?i)read more'\n\
             [[rule]]\nname='e'\nkind='footer'\npattern='all rights kept\\.?$'\n\
             [[rule]]\nname='a'\nkind='footer'\npattern='\\sshow more\\s'\n\
             [[rule]]\nname='se'\nkind='footer'\npattern='^x+ y$'",
            "t",
        )
        .unwrap();
        let rs = b.build().unwrap();
        let named = |t: &str| -> Vec<String> { rs.matching(RuleKind::Footer, t, 3).map(|r| r.name.clone()).collect() };
        let screened = |t: &str| -> Vec<usize> {
            rs.candidates(RuleKind::Footer, t).map_or(vec![], |c| (0..4).filter(|&i| c.may(i)).collect())
        };
        assert_eq!(named("READ MORE of it, all rights kept."), ["xx.s", "xx.e"]);
        assert_eq!(screened("READ MORE of it, all rights kept."), [0, 1]);
        assert_eq!(screened("a show more b"), [2]);
        assert_eq!(named("a show more b"), ["xx.a"]);
        assert_eq!(screened("xxx y"), [3]);
        // Not at the anchor: no part names it.
        assert!(screened("so read more, all rights kept here").is_empty());
        assert!(rs.candidates(RuleKind::Footer, "nothing at all").is_none());
        assert!(!rs.may_match(RuleKind::Footer, "zxx y") && rs.may_match(RuleKind::Footer, "the end: all rights kept"));
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
    fn the_screen_file_is_current() {
        let mut b = RuleSetBuilder::new();
        for (lang, text) in BUILTIN {
            b.add_compiled(compile_file(text, lang, true).unwrap()).unwrap();
        }
        let want = screen_file(&b.rules);
        if std::env::var_os("NEWSCLEAN_WRITE_SCREEN").is_some() {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/screen.txt");
            std::fs::write(path, &want).unwrap();
        } else {
            assert!(
                BUILTIN_SCREEN == want,
                "rules/screen.txt is stale: run NEWSCLEAN_WRITE_SCREEN=1 cargo test --lib screen_file"
            );
        }
        // Every built-in rule takes its screen from the file.
        let rs = RuleSet::builtin();
        assert!(rs.rules().iter().all(|r| !matches!(r.screen, ScreenPattern::FromPattern)));
    }

    #[test]
    fn phrases_match_as_their_regex_does() {
        // The proof of `PhraseSet` needs the edge class closed under folding.
        let mut folded = edge_class().clone();
        folded.case_fold_simple();
        assert_eq!(&folded, edge_class());
        let mut b = RuleSetBuilder::new();
        b.add_toml(
            "language='xx'\n[[rule]]\nname='a'\nkind='ad'\nphrases=['Reklamní sdělení', 'Στρατός', 'straße', 'Ad']",
            "t",
        )
        .unwrap();
        let rs = b.build().unwrap();
        let r = &rs.rules()[0];
        for t in [
            "Reklamní sdělení",
            "— REKLAMNÍ SDĚLENÍ —",
            "  «στρατός» ",
            "ΣΤΡΑΤΌΣ",
            "ΣΤΡΑΤΟΣ",
            "STRAẞE",
            "Strasse",
            "ſtraße",
            "ad",
            "(Ad)",
            "Ad:",
            "Ads",
            "Reklamní  sdělení",
            "Reklamní sdělení jest",
            "",
            "—",
            "A d",
            "\u{212A}",
        ] {
            assert_eq!(r.is_match(t), r.regex().is_match(t), "{t:?}");
        }
        assert!(r.is_match("— REKLAMNÍ SDĚLENÍ —") && !r.is_match("Reklamní sdělení jest"));
        // A phrase that opens with an edge character is left to the regex.
        assert!(PhraseSet::new(&["¿Qué?".to_owned()]).is_none());
    }

    #[test]
    fn coarse_classes_match_more_never_less() {
        let p = screen_pattern(r"^\p{Lu}\p{Ll}{1,6}[:.] (?i:é)$").unwrap();
        let w = regex_automata::meta::Regex::builder().build_from_hir(&hircode::decode(&p).unwrap()).unwrap();
        let exact = Regex::new(r"^\p{Lu}\p{Ll}{1,6}[:.] (?i:é)$").unwrap();
        for t in ["Fot. é", "Źródło: É", "Kép: é"] {
            assert!(exact.is_match(t) && w.is_match(t), "{t}");
        }
        // ASCII stays exact; the small class of É and é stays exact.
        assert!(!w.is_match("fot. é") && !w.is_match("Fot. e") && w.is_match("Ö—. é"));
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
