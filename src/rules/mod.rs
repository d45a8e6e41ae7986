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
//! hundreds of milliseconds. A [`Screen`] is built when the first block
//! reaches it, and names the rules of a group that may match a block: most
//! by their [required literals](literals), found in one pass over the block
//! ([`LiteralScreen`]), the plain `phrases` rules by a look-up, the rest by
//! multi-pattern lazy automata of their [widened](widen) patterns. A
//! candidate is matched by forward lazy DFAs (of its widened pattern, then
//! of its own), its regex compiled only for captures. Metadata rules,
//! which apply only from a block's start, have a [`StartScreen`] of their
//! own: automata anchored at the start (or, for a whole-block rule with no
//! keyword to open with, at the end) that die within a few bytes, and one
//! anchored capture search per candidate. For the built-in
//! rules the NFAs are read from `rules/nfa.bin` ([`nfacode`]) rather than
//! compiled, the files themselves from `rules/builtin.json` rather than
//! parsed, and the stopword table from `rules/stopwords.bin` rather than
//! hashed word by word. Users' rules files are compiled when loaded, so that
//! a bad pattern is reported at once.

mod hircode;
mod litdfa;
mod literals;
mod nfacode;
mod reach;

use crate::error::{Error, Result};
use reach::Reach;
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
#[derive(Debug, Deserialize, Serialize)]
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

#[derive(Debug, Deserialize, Serialize)]
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
    /// Forward lazy DFAs from the pattern's NFAs in `rules/nfa.bin`, whole
    /// and cut down to each [`Reach`], for [`Rule::is_match`] while `regex`
    /// is not compiled.
    fwd: ByReach,
    /// For [`Rule::find_value`] on a text of a small [`Reach`]: the
    /// pattern cut down to it, compiled with its captures for a PikeVM
    /// (`None` inside: the regex decides).
    caps: [OnceLock<Option<std::sync::Arc<CaptureVm>>>; 2],
    /// A forward lazy DFA of the [widened](widen) pattern made ahead, asked
    /// first: it matches more, never less, and its NFA is a fraction of the
    /// exact one (whose Unicode classes were most of reading a rule), so a
    /// rule the literal screen only guessed is cleared cheaply.
    wide: OnceLock<Option<std::sync::Arc<ScreenDfa>>>,
    /// For a pattern whose every match ends at the end of the text (`…$`),
    /// on a text within [`Reach::Latin`]: the lazy DFA of its reverse NFA
    /// made ahead, searched back from the end, where it dies within the last
    /// few characters; the forward automata read the whole block to find
    /// that no match ends there.
    rev: OnceLock<Option<std::sync::Arc<ScreenDfa>>>,
    screen: ScreenPattern,
    /// The [required literals](literals) made ahead, hex strings joined by
    /// `,` (empty: none worth searching); `None`: not made ahead, found
    /// from the pattern when the screen is built.
    given_literals: Option<&'static str>,
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

/// The Unicode class a regex class such as `\p{Ll}` or `[\s\p{P}]` stands
/// for, from the regex crate's own tables: code that tests characters one by
/// one answers as the regex would.
pub(crate) fn unicode_class(pattern: &str) -> regex_syntax::hir::ClassUnicode {
    match regex_syntax::parse(pattern).map(|h| h.into_kind()) {
        Ok(HirKind::Class(regex_syntax::hir::Class::Unicode(c))) => c,
        _ => unreachable!("{pattern} is a Unicode class"),
    }
}

/// Whether `class` holds `c` (its ranges are sorted and apart).
pub(crate) fn class_has(class: &regex_syntax::hir::ClassUnicode, c: char) -> bool {
    class
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

/// The edge class of a phrases rule, `[\s\p{P}\p{S}]`.
fn edge_class() -> &'static (regex_syntax::hir::ClassUnicode, u128) {
    static EDGE: OnceLock<(regex_syntax::hir::ClassUnicode, u128)> = OnceLock::new();
    EDGE.get_or_init(|| {
        let class = unicode_class(r"[\s\p{P}\p{S}]");
        // The ASCII members as a mask: most edges are ASCII, and the binary
        // search was most of trimming a block.
        let ascii = (0..128u8).filter(|&b| class_has(&class, b as char)).fold(0u128, |m, b| m | 1 << b);
        (class, ascii)
    })
}

fn is_edge(c: char) -> bool {
    let (class, ascii) = edge_class();
    if c.is_ascii() {
        return ascii >> c as u32 & 1 == 1;
    }
    class_has(class, c)
}

/// The smallest character of `c`'s simple case-fold class (what `(?i)`
/// matches `c` with): ASCII letters fold to their capital.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_uppercase();
    }
    // Each character below `FOLD_MEMO`'s end is folded once per process:
    // the class built to fold it cost a thousand instructions, and European
    // letters (é, ø, ł) are asked again and again.
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    static FOLD_MEMO: [AtomicU32; 0x2200] = [const { AtomicU32::new(0) }; 0x2200];
    let memo = FOLD_MEMO.get(c as usize);
    if let Some(f) = memo.and_then(|m| char::from_u32(m.load(Relaxed).wrapping_sub(1))) {
        return f;
    }
    use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    class.case_fold_simple();
    let f = class.ranges().first().map_or(c, |r| r.start());
    if let Some(m) = memo {
        m.store(f as u32 + 1, Relaxed);
    }
    f
}

fn fold_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    key.extend(text.chars().map(fold_char));
    key
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
    /// says, without compiling the regex of a plain `phrases` rule, nor of a
    /// built-in rule whose NFA was made ahead.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(cell) = &self.phrases {
            if let Some(set) = cell.set.get_or_init(|| PhraseSet::new(&cell.phrases)) {
                return set.is_match(text);
            }
        }
        if let Some(re) = self.regex.get() {
            return re.is_match(text);
        }
        let reach = Reach::of(text);
        if reach <= Reach::Latin {
            if let Some(m) = self.rev.get_or_init(|| MadeAhead::Reversed(&self.pattern).dfa()).as_ref() {
                if let Some(m) = m.is_match(text) {
                    return m;
                }
            }
        }
        let wide = self.wide.get_or_init(|| match self.screen {
            ScreenPattern::Given(p) => MadeAhead::Widened(p).dfa(),
            _ => None,
        });
        if wide.as_ref().and_then(|d| d.is_match(text)) == Some(false) {
            return false;
        }
        match self.fwd.get(&self.pattern, reach).and_then(|d| d.is_match(text)) {
            Some(m) => m,
            None => self.regex().is_match(text),
        }
    }

    /// The leftmost-first match of the rule in `text` and the span of its
    /// `value` group (the match's, if the group did not take part): what
    /// `self.regex().captures(text)` says. On a text of a small [`Reach`]
    /// the pattern cut down to it is compiled instead of the regex: a
    /// fraction of the cost (the two metadata rules a small file fires cost
    /// 7.8 M instructions as regexes).
    pub fn find_value(&self, text: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let reach = Reach::of(text);
        let vm = match reach {
            Reach::Ascii | Reach::Latin => self.caps[reach as usize].get_or_init(|| capture_vm(&self.pattern, reach)),
            Reach::Full => &None,
        };
        if let Some(vm) = vm {
            let mut caps = vm.vm.create_captures();
            vm.vm.captures(&mut vm.caches.get(), text, &mut caps);
            let m = caps.get_match()?.range();
            let value = caps.get_group_by_name("value").map_or(m.clone(), |v| v.range());
            return Some((m, value));
        }
        let caps = self.regex().captures(text)?;
        let m = caps.get(0)?.range();
        let value = caps.name("value").map_or(m.clone(), |v| v.range());
        Some((m, value))
    }

    /// [`Rule::find_value`] of a match that starts at the start of `text`,
    /// `None` if no match does: one anchored search, which stops where no
    /// match from the start can go on (the leftmost-first match, when it
    /// starts there, is the anchored search's).
    pub fn find_value_at_start(&self, text: &str) -> Option<(std::ops::Range<usize>, std::ops::Range<usize>)> {
        let reach = Reach::of(text);
        let vm = match reach {
            Reach::Ascii | Reach::Latin => self.caps[reach as usize].get_or_init(|| capture_vm(&self.pattern, reach)),
            Reach::Full => &None,
        };
        let Some(vm) = vm else {
            // Beyond the small reaches the captures need the whole regex,
            // costly to compile: the lazy DFA says first whether it is needed.
            if !self.is_match(text) {
                return None;
            }
            return self.find_value(text).filter(|(m, _)| m.start == 0);
        };
        let mut caps = vm.vm.create_captures();
        let input = regex_automata::Input::new(text).anchored(regex_automata::Anchored::Yes);
        // The backtracker first: on a short block it is a fraction of the
        // PikeVM's cost. It declines a text too long for its visited set.
        let tried = (text.len() <= BACKTRACK_MAX)
            .then(|| vm.bt.as_ref().and_then(|b| b.bt.try_captures(&mut b.caches.get(), input.clone(), &mut caps).ok()))
            .flatten();
        if tried.is_none() {
            vm.vm.captures(&mut vm.caches.get(), input, &mut caps);
        }
        let m = caps.get_match()?.range();
        let value = vm.value.and_then(|g| caps.get_group(g)).map_or(m.clone(), |v| v.range());
        Some((m, value))
    }

    /// The rule's pattern as written (phrases become one anchored pattern).
    pub fn pattern(&self) -> &str {
        &self.pattern
    }
}

/// A cache per thread: a fresh cache per search (its active-state sets
/// allocated and zeroed) cost as much as the search.
type PoolOf<C> = regex_automata::util::pool::Pool<
    C,
    Box<dyn Fn() -> C + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>,
>;

/// A PikeVM, and a bounded backtracker of the same NFA for anchored
/// searches of short texts (see [`Rule::find_value_at_start`]).
struct CaptureVm {
    vm: regex_automata::nfa::thompson::pikevm::PikeVM,
    caches: PoolOf<regex_automata::nfa::thompson::pikevm::Cache>,
    bt: Option<Backtracker>,
    /// The index of the `value` group (looked up by name per search, it
    /// was a tenth of a short one).
    value: Option<usize>,
}

struct Backtracker {
    bt: regex_automata::nfa::thompson::backtrack::BoundedBacktracker,
    caches: PoolOf<regex_automata::nfa::thompson::backtrack::Cache>,
}

/// The longest text searched by the backtracker: its visited set (a bit per
/// NFA state and byte) is cleared on every search.
const BACKTRACK_MAX: usize = 1024;

impl std::fmt::Debug for CaptureVm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureVm").finish_non_exhaustive()
    }
}

/// The PikeVM of `pattern` cut down to `reach`, with its captures.
fn capture_vm(pattern: &str, reach: Reach) -> Option<std::sync::Arc<CaptureVm>> {
    use regex_automata::nfa::thompson;
    let hir = reach::restrict(&regex_syntax::parse(pattern).ok()?, &reach.class()?);
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().nfa_size_limit(Some(16 << 20)))
        .build_from_hir(&hir)
        .ok()?;
    let bt = thompson::backtrack::BoundedBacktracker::new_from_nfa(nfa.clone()).ok().map(|bt| {
        let for_caches = bt.clone();
        let caches = regex_automata::util::pool::Pool::new(Box::new(move || for_caches.create_cache()) as Box<_>);
        Backtracker { bt, caches }
    });
    let value = nfa.group_info().to_index(regex_automata::PatternID::ZERO, "value");
    let vm = thompson::pikevm::PikeVM::new_from_nfa(nfa).ok()?;
    let for_caches = vm.clone();
    let caches = regex_automata::util::pool::Pool::new(Box::new(move || for_caches.create_cache()) as Box<_>);
    Some(std::sync::Arc::new(CaptureVm { vm, caches, bt, value }))
}

fn build_regex(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).size_limit(16 << 20).build()
}

/// The rules of one kind, in file order.
#[derive(Debug, Clone)]
struct KindSet {
    rules: Vec<usize>,
    max_words: usize,
    /// `rules` as a set, so that a screen's candidates of the kind are
    /// found a word of bits at a time, not by asking about every rule (that
    /// was a tenth of the rules pass).
    mask: Bits,
}

/// The screen of a group of rules, built when first asked: a rule's
/// literals, its phrases, or its [widened](widen) pattern in a
/// multi-pattern automaton say whether it may match a block. Most blocks
/// match no rule and are cleared at once; on a hit only the rules named are
/// tried (and compiled), so a run compiles the rules its documents need.
#[derive(Debug, Clone)]
pub struct Screen {
    rules: Vec<usize>,
    compiled: OnceLock<ScreenRe>,
}

/// A screen's automata. Its patterns that can match only at the start of
/// a text (`^…`, the `phrases` rules and most labels) are searched apart,
/// anchored there: in one unanchored union their partial matches at each
/// block's start multiplied the lazy DFA's states, and every state carried
/// their threads. Apart, the anchored search dies within a few bytes and the
/// unanchored union is a third of the size. The patterns whose every match
/// ends at the end of the text (`…$`) are searched backwards from there,
/// anchored, for the same reason: forwards, one such pattern scanned every
/// block to its end (a tenth of a folder's instructions), backwards it dies
/// within the block's last words.
#[derive(Debug, Clone)]
struct ScreenRe {
    /// The patterns matched anywhere, those anchored at the start, and those
    /// anchored at the end (a reverse automaton); `None` when a group has none.
    re: Option<std::sync::Arc<ScreenDfa>>,
    anchored: Option<std::sync::Arc<ScreenDfa>>,
    at_end: Option<std::sync::Arc<ScreenDfa>>,
    /// A part did not compile: every rule is then a candidate.
    broken: bool,
    any_outside: bool,
    /// Per part (unanchored, anchored, phrases, literals, at the end): each
    /// pattern's rule index, read backwards from the `pattern_of` the screen
    /// was made with (per rule index: its pattern in `re`, or [`IN_ANCHORED`]
    /// with its pattern in `anchored`, [`AT_END`] in `at_end`, [`OUTSIDE`] if it is always tried; Unicode
    /// `\b` stops the lazy DFA on non-ASCII text, so one such pattern in the
    /// union would slow every block down; users' rules may have it, ours
    /// avoid it; a pattern the filter cannot read is left out too). And the
    /// rules always tried.
    rule_of: [Vec<u32>; PARTS],
    outside: Bits,
    /// Per part, the most words a block may have for one of its rules to
    /// match it (see [`Screen::candidates_within`]).
    bounds: [usize; PARTS],
    /// The plain `phrases` rules (see [`PhraseSet`]), screened exactly by
    /// one look-up of the block's folded core instead of by an automaton:
    /// they were most of the anchored patterns and most of its NFA.
    phrases: std::sync::Arc<PhraseScreen>,
    /// The rules with [required literals](literals), screened by one pass
    /// over the block for their literals: most patterns are keyword
    /// alternations, and in one union automaton their partial matches
    /// multiplied the lazy DFA's states on every new text.
    literals: std::sync::Arc<LiteralScreen>,
}

impl ScreenRe {
    /// The screen of its parts: the automata (unanchored, anchored, at the
    /// end), and the `pattern_of` its rules were sorted by.
    fn new(
        [re, anchored, at_end]: [Option<std::sync::Arc<ScreenDfa>>; 3],
        broken: bool,
        any_outside: bool,
        pattern_of: &[u32],
        all: &[Rule],
        phrases: PhraseScreen,
        lits: LiteralScreen,
    ) -> ScreenRe {
        let (phrases, literals) = (std::sync::Arc::new(phrases), std::sync::Arc::new(lits.build()));
        let (rule_of, outside, bounds) = reverse(pattern_of, all);
        ScreenRe { re, anchored, at_end, broken, any_outside, rule_of, outside, bounds, phrases, literals }
    }
}

/// The required literals of a screen's rules: a rule is a candidate when
/// the block holds one of its literals (ASCII case-insensitively). A rule
/// named nowhere else does not match.
///
/// The first [`CORPUS_SEARCHES`] searches are hand-written, not
/// aho-corasick: building an automaton of the ~900 built-in literals cost
/// 11–17 M instructions, more than all of a small file's screening. Here a
/// literal of three bytes or more is found by its first three bytes, one
/// table look-up per byte of the block behind a 64 Kbit filter; the few
/// shorter ones (`/`, `©`) by `memchr`. Both are linear in the block. Past
/// them the process is cleaning a corpus, and the automaton is read: the
/// built-in screens' from `rules/nfa.bin` ([`litdfa`]), others built.
#[derive(Debug, Default)]
struct LiteralScreen {
    /// Each distinct literal, once (ASCII letters in lower case), and the
    /// rules (numbers in [`LITERAL`] entries of `pattern_of`) that need it.
    strings: Vec<Vec<u8>>,
    owners: Vec<Vec<u32>>,
    index: FxHashMap<Vec<u8>, usize>,
    rules: usize,
    /// The literals of three bytes or more by their first three, and a
    /// filter of those heads by [`head_bit`].
    by_head: FxHashMap<u32, Vec<u32>>,
    heads: Vec<u64>,
    /// The shorter literals.
    short: Vec<u32>,
    /// Searches so far, until [`CORPUS_SEARCHES`].
    searches: std::sync::atomic::AtomicUsize,
    /// The literals as one Aho-Corasick automaton's table, read or built
    /// once this screen has searched [`CORPUS_SEARCHES`] blocks (`None` if it
    /// could not be). A table of our own, not `AhoCorasick`: behind that
    /// every byte of a search was a dynamic call.
    automaton: OnceLock<Option<litdfa::LitDfa>>,
}

/// After this many blocks a process is cleaning a corpus, not one file, and
/// the literals' automaton pays for itself: it costs ~15 M instructions to
/// build (more than all of a small file's screening, so a one-file run never
/// builds it), then finds every literal in one pass of a few instructions a
/// byte, where the scan below costs some fifteen.
const CORPUS_SEARCHES: usize = 2048;

/// Whether `b` holds one of [`literals::FOLDS_TO_ASCII`] (`ſ` is C5 BF,
/// `K` E2 84 AA in UTF-8), found through their first bytes.
fn folds_to_ascii(b: &[u8]) -> bool {
    memchr::memchr2_iter(0xc5, 0xe2, b).any(|i| b[i + 1..].starts_with(b"\xbf") || b[i + 1..].starts_with(b"\x84\xaa"))
}

/// The bit of a three-byte head in [`LiteralScreen::heads`].
#[inline]
fn head_bit(head: u32) -> usize {
    (head.wrapping_mul(0x9E37_79B1) >> 16) as usize
}

impl LiteralScreen {
    fn add(&mut self, set: Vec<Vec<u8>>) -> u32 {
        let n = self.rules as u32;
        for s in set {
            let k = match self.index.get(&s) {
                Some(&k) => k,
                None => {
                    let k = self.strings.len();
                    self.index.insert(s.clone(), k);
                    self.strings.push(s);
                    self.owners.push(Vec::new());
                    k
                }
            };
            self.owners[k].push(n);
        }
        self.rules += 1;
        n
    }

    fn build(mut self) -> LiteralScreen {
        self.index = FxHashMap::default();
        self.heads = vec![0; 1 << 10];
        for (k, s) in self.strings.iter().enumerate() {
            if let [a, b, c, ..] = s[..] {
                let head = u32::from_be_bytes([0, a, b, c]);
                self.by_head.entry(head).or_default().push(k as u32);
                let bit = head_bit(head);
                self.heads[bit >> 6] |= 1 << (bit & 63);
            } else {
                self.short.push(k as u32);
            }
        }
        self
    }

    /// The automaton of the literals, once this screen has searched
    /// [`CORPUS_SEARCHES`] blocks. It finds what the scan finds: every
    /// literal, ASCII letters in either case, the other bytes as they are.
    fn automaton(&self) -> Option<&litdfa::LitDfa> {
        use std::sync::atomic::Ordering::Relaxed;
        if let Some(ac) = self.automaton.get() {
            return ac.as_ref();
        }
        if self.searches.fetch_add(1, Relaxed) < CORPUS_SEARCHES {
            return None;
        }
        self.automaton
            .get_or_init(|| {
                let made = nfacode::Table(BUILTIN_NFA).get(litdfa::key(&self.strings));
                made.and_then(litdfa::LitDfa::decode).or_else(|| litdfa::LitDfa::build(&self.strings))
            })
            .as_ref()
    }

    /// The rules one of whose literals `text` holds.
    fn matches(&self, text: &str) -> Bits {
        let mut set = Bits::default();
        self.each_match(text, |r| set.insert(r));
        set
    }

    /// [`LiteralScreen::matches`], each rule told to `rule` (once or more),
    /// so that the screen inserts them into its candidates straight away.
    #[inline]
    fn each_match(&self, text: &str, mut rule: impl FnMut(usize)) {
        if self.rules == 0 {
            return;
        }
        let mut found = |k: usize| {
            for &r in &self.owners[k] {
                rule(r as usize);
            }
        };
        // The literals are folded so; a text with such a letter is not screened.
        let b = text.as_bytes();
        if folds_to_ascii(b) {
            (0..self.strings.len()).for_each(found);
            return;
        }
        if let Some(dfa) = self.automaton() {
            dfa.each(b, found);
            return;
        }
        let at = |i: usize, s: &[u8]| b.get(i..i + s.len()).is_some_and(|w| w.eq_ignore_ascii_case(s));
        if b.len() >= 3 && !self.by_head.is_empty() {
            let mut head = u32::from_be_bytes([0, 0, b[0].to_ascii_lowercase(), b[1].to_ascii_lowercase()]);
            for (i, &c) in b.iter().enumerate().skip(2) {
                head = ((head << 8) | u32::from(c.to_ascii_lowercase())) & 0xff_ffff;
                let bit = head_bit(head);
                if self.heads[bit >> 6] & (1 << (bit & 63)) == 0 {
                    continue;
                }
                for &k in self.by_head.get(&head).into_iter().flatten() {
                    if at(i - 2, &self.strings[k as usize]) {
                        found(k as usize);
                    }
                }
            }
        }
        for &k in &self.short {
            let s = &self.strings[k as usize];
            let Some(&lo) = s.first() else { continue };
            let up = lo.to_ascii_uppercase();
            if memchr::memchr2_iter(lo, up, b).any(|i| at(i, s)) {
                found(k as usize);
            }
        }
    }
}

/// Every literal of `dfa` (a [`MatchKind::Standard`](aho_corasick::MatchKind)
/// automaton) that occurs in `b`, once per occurrence: what an overlapping
/// search reports, in a loop over the DFA's own transitions that the
/// compiler sees whole (a few instructions a byte, where `AhoCorasick`'s
/// overlapping iterator cost some twenty). Not inlined: inside the screen
/// its loop had the registers of the whole screen to share, and spilled
/// (eleven instructions a byte). What the screens searched before
/// [`litdfa`], kept to test it against.
#[cfg(test)]
#[inline(never)]
fn each_literal(dfa: &aho_corasick::dfa::DFA, b: &[u8], mut found: impl FnMut(usize)) {
    use aho_corasick::automaton::Automaton;
    use aho_corasick::Anchored;
    let Ok(mut sid) = dfa.start_state(Anchored::No) else {
        // Not built for unanchored search (it is): every literal may occur.
        (0..dfa.patterns_len()).for_each(found);
        return;
    };
    let mut report = |sid| {
        for i in 0..dfa.match_len(sid) {
            found(dfa.match_pattern(sid, i).as_usize());
        }
    };
    if dfa.is_match(sid) {
        report(sid);
    }
    // One byte; `false` at a dead state. Match (and dead) states are the
    // special ones.
    let mut step = |sid: &mut aho_corasick::automaton::StateID, c: u8| {
        *sid = dfa.next_state(Anchored::No, *sid, c);
        if dfa.is_special(*sid) {
            if dfa.is_dead(*sid) {
                return false;
            }
            if dfa.is_match(*sid) {
                report(*sid);
            }
        }
        true
    };
    // Four bytes a round: the loop's own count and test once per four.
    let mut rounds = b.chunks_exact(4);
    for q in &mut rounds {
        if !(step(&mut sid, q[0]) && step(&mut sid, q[1]) && step(&mut sid, q[2]) && step(&mut sid, q[3])) {
            return;
        }
    }
    for &c in rounds.remainder() {
        if !step(&mut sid, c) {
            return;
        }
    }
}

/// Hex strings joined by `,`: the literals column of `rules/screen.txt`.
fn encode_literals(set: &[Vec<u8>]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for (i, s) in set.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        for b in s {
            let _ = write!(out, "{b:02x}");
        }
    }
    out
}

fn decode_literals(col: &str) -> Option<Vec<Vec<u8>>> {
    if col.is_empty() {
        return None;
    }
    // By hand: `u8::from_str_radix` per byte was most of building the screens.
    let digit = |d: u8| (d as char).to_digit(16);
    col.split(',')
        .map(|h| {
            let h = h.as_bytes();
            (h.len() % 2 == 0 && !h.is_empty())
                .then(|| h.chunks_exact(2).map(|p| Some((digit(p[0])? * 16 + digit(p[1])?) as u8)).collect())
                .flatten()
        })
        .collect()
}

/// The rule's required literals, from `rules/screen.txt` or its pattern;
/// `None` when it has no set worth searching for.
fn literal_set(rule: &Rule) -> Option<Vec<Vec<u8>>> {
    // A prefix rule is asked of blocks of any length: in the automaton
    // anchored at the start it is cleared within a few bytes, where its
    // literals kept a long block's literal pass (`rules/screen.txt` has none
    // for it either).
    if rule.prefix {
        return None;
    }
    match rule.given_literals {
        Some(col) => decode_literals(col),
        None => literals::required(&regex_syntax::parse(rule.pattern()).ok()?),
    }
}

/// The phrases of a screen's plain `phrases` rules: folded phrase → the
/// rules (their number in [`PHRASED`] entries of `pattern_of`) that have it.
#[derive(Debug, Default)]
struct PhraseScreen {
    keys: FxHashMap<String, Vec<u32>>,
    rules: usize,
    /// The most characters a phrase has.
    max_chars: usize,
}

impl PhraseScreen {
    fn add(&mut self, set: &PhraseSet) -> u32 {
        let n = self.rules as u32;
        for k in &set.keys {
            self.max_chars = self.max_chars.max(k.chars().count());
            self.keys.entry(k.clone()).or_default().push(n);
        }
        self.rules += 1;
        n
    }

    /// The rules whose phrase `text` is, as [`PhraseSet::is_match`] says.
    fn matches(&self, text: &str) -> Bits {
        let mut set = Bits::default();
        self.each_match(text, |r| set.insert(r));
        set
    }

    /// [`PhraseScreen::matches`], each rule told to `rule`.
    #[inline]
    fn each_match(&self, text: &str, mut rule: impl FnMut(usize)) {
        if self.keys.is_empty() {
            return;
        }
        let core = text.trim_matches(is_edge);
        // Folding keeps the number of characters, and a character has at
        // least one byte (and at most four): no count needed when the bytes
        // are few enough.
        if core.is_empty() || core.len() > 4 * self.max_chars {
            return;
        }
        if core.len() <= self.max_chars || core.chars().count() <= self.max_chars {
            for &r in self.keys.get(&fold_key(core)).into_iter().flatten() {
                rule(r as usize);
            }
        }
    }
}

/// The rule's [`PhraseSet`], if it is a plain `phrases` rule.
fn phrase_set(rule: &Rule) -> Option<&PhraseSet> {
    let cell = rule.phrases.as_ref()?;
    cell.set.get_or_init(|| PhraseSet::new(&cell.phrases)).as_ref()
}

const OUTSIDE: u32 = u32::MAX;
/// In `pattern_of`: the rule is not in this screen's group.
const ELSEWHERE: u32 = u32::MAX - 1;
/// In `pattern_of`: the pattern is in the anchored automaton.
const IN_ANCHORED: u32 = 1 << 30;
/// In `pattern_of`: a plain `phrases` rule, screened by [`PhraseScreen`].
const PHRASED: u32 = 1 << 29;
/// In `pattern_of`: a rule screened by its literals, in [`LiteralScreen`].
const LITERAL: u32 = 1 << 28;
/// In `pattern_of`: the pattern is in the automaton searched back from the end.
const AT_END: u32 = 1 << 27;
/// A screen's parts: unanchored, anchored, phrases, literals, at the end.
const PARTS: usize = 5;

/// Whether every match of a screen pattern ends at the end of the text.
fn ends_anchored(hir: &Hir) -> bool {
    hir.properties().look_set_suffix().contains(regex_syntax::hir::Look::End)
}

/// Which of a screen's automata a pattern goes in: 0 unanchored, 1 anchored
/// at the start, 2 at the end (searched backwards). A pattern anchored at
/// both ends goes in the start's.
fn automaton_of(hir: &Hir) -> usize {
    if starts_anchored(hir) {
        1
    } else if ends_anchored(hir) {
        2
    } else {
        0
    }
}

/// In `pattern_of`, the mark of a pattern in each of [`automaton_of`]'s automata.
const AUTOMATON_FLAG: [u32; 3] = [0, IN_ANCHORED, AT_END];

/// Whether every match of a screen pattern starts at the start of the text.
fn starts_anchored(hir: &Hir) -> bool {
    hir.properties().look_set_prefix().contains(regex_syntax::hir::Look::Start)
}

/// A set of pattern numbers: the first 256 in place, the rest (users'
/// rules) behind a pointer, so that screening a block allocates nothing
/// (a `PatternSet` per part and block was a tenth of the screen's cost).
#[derive(Debug, Default, Clone)]
struct Bits {
    low: [u64; 4],
    high: Vec<u64>,
}

impl Bits {
    #[inline]
    fn insert(&mut self, i: usize) {
        match self.low.get_mut(i / 64) {
            Some(w) => *w |= 1 << (i % 64),
            None => {
                let k = i / 64 - self.low.len();
                if self.high.len() <= k {
                    self.high.resize(k + 1, 0);
                }
                self.high[k] |= 1 << (i % 64);
            }
        }
    }

    #[inline]
    fn contains(&self, i: usize) -> bool {
        let w = match self.low.get(i / 64) {
            Some(&w) => w,
            None => self.high.get(i / 64 - self.low.len()).copied().unwrap_or(0),
        };
        w >> (i % 64) & 1 == 1
    }

    fn is_empty(&self) -> bool {
        self.low.iter().chain(&self.high).all(|&w| w == 0)
    }

    /// Word `k` of the set (members `64 k` to `64 k + 63`), `None` past its end.
    #[inline]
    fn word(&self, k: usize) -> Option<u64> {
        match self.low.get(k) {
            Some(&w) => Some(w),
            None => self.high.get(k - self.low.len()).copied(),
        }
    }

    /// Each member, in increasing order.
    #[cfg(test)]
    fn for_each(&self, mut f: impl FnMut(usize)) {
        for (k, &w) in self.low.iter().chain(&self.high).enumerate() {
            let mut w = w;
            while w != 0 {
                f(k * 64 + w.trailing_zeros() as usize);
                w &= w - 1;
            }
        }
    }

    #[cfg(test)]
    fn from_set(set: &regex_automata::PatternSet) -> Bits {
        let mut b = Bits::default();
        for p in set.iter() {
            b.insert(p.as_usize());
        }
        b
    }
}

static NO_BITS: Bits = Bits { low: [0; 4], high: Vec::new() };

/// The members of `of` that are in `within` too (`None`: all of them), in
/// increasing order.
struct Among<'a> {
    within: Option<&'a Bits>,
    of: &'a Bits,
    next_word: usize,
    word: u64,
}

impl Iterator for Among<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.word == 0 {
            let k = self.next_word;
            let w = self.of.word(k)?;
            self.word = w & self.within.map_or(u64::MAX, |a| a.word(k).unwrap_or(0));
            self.next_word += 1;
        }
        let bit = self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        Some((self.next_word - 1) * 64 + bit)
    }
}

/// A screen's `pattern_of` read backwards: per part, each pattern's rule
/// index, and the rules outside every part; and per part the largest word
/// bound of its rules, none for a timestamp or `prefix` rule (those are
/// asked of longer blocks too).
fn reverse(pattern_of: &[u32], all: &[Rule]) -> ([Vec<u32>; PARTS], Bits, [usize; PARTS]) {
    let (mut rule_of, mut outside) = (<[Vec<u32>; PARTS]>::default(), Bits::default());
    let mut bounds = [0usize; PARTS];
    for (i, &p) in pattern_of.iter().enumerate() {
        let (part, n) = match p {
            OUTSIDE => {
                outside.insert(i);
                continue;
            }
            ELSEWHERE => continue,
            p if p & LITERAL != 0 => (3, p & !LITERAL),
            p if p & PHRASED != 0 => (2, p & !PHRASED),
            p if p & IN_ANCHORED != 0 => (1, p & !IN_ANCHORED),
            p if p & AT_END != 0 => (4, p & !AT_END),
            p => (0, p),
        };
        let v = &mut rule_of[part];
        if v.len() <= n as usize {
            v.resize(n as usize + 1, u32::MAX);
        }
        v[n as usize] = i as u32;
        let r = &all[i];
        let bound = if r.kind == RuleKind::Timestamp || r.prefix { usize::MAX } else { r.max_words };
        // A phrase matches a block of as many words as itself (folding keeps
        // letters letters, tested): "Back to top" bounds no block to 60.
        let bound = match (part, &r.phrases) {
            (2, Some(cell)) => {
                bound.min(cell.phrases.iter().map(|p| crate::features::words(p).count().max(1)).max().unwrap_or(1))
            }
            _ => bound,
        };
        bounds[part] = bounds[part].max(bound);
    }
    (rule_of, outside, bounds)
}

/// The rules of a [`Screen`] that may match one text: a rule not named here
/// does not match it.
#[derive(Debug)]
pub struct Candidates<'a> {
    /// By rule index; `None`: every rule of the screen is a candidate.
    rules: Option<Bits>,
    screen: std::marker::PhantomData<&'a ScreenRe>,
}

impl Candidates<'_> {
    fn all() -> Self {
        Candidates { rules: None, screen: std::marker::PhantomData }
    }

    #[cfg(test)]
    fn none() -> Self {
        Candidates { rules: Some(Bits::default()), screen: std::marker::PhantomData }
    }

    /// Whether rule number `rule` (of the screen's group) may match.
    #[inline]
    pub fn may(&self, rule: usize) -> bool {
        self.rules.as_ref().is_none_or(|r| r.contains(rule))
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

/// A screen's automaton: a forward lazy DFA alone (no reverse automaton,
/// prefilter or capture engines to build: a screen only asks "is there a
/// match" and "of which patterns"), with a cache per thread. `anchored`:
/// searches start at the start of the text only. `reverse`: the DFA of a
/// reverse NFA, searched backwards from the end of the text, anchored there.
struct ScreenDfa {
    dfa: regex_automata::hybrid::dfa::DFA,
    caches: CachePool,
    anchored: bool,
    reverse: bool,
}

impl std::fmt::Debug for ScreenDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenDfa").field("patterns", &self.dfa.pattern_len()).finish()
    }
}

impl ScreenDfa {
    fn pattern_len(&self) -> usize {
        self.dfa.pattern_len()
    }

    fn input<'h>(&self, text: &'h str) -> regex_automata::Input<'h> {
        let input = regex_automata::Input::new(text);
        if self.anchored || self.reverse {
            input.anchored(regex_automata::Anchored::Yes)
        } else {
            input
        }
    }

    /// `None`: the lazy DFA gave up (the caller must assume a match).
    fn is_match(&self, text: &str) -> Option<bool> {
        let mut cache = self.caches.get();
        let input = self.input(text).earliest(true);
        let found = if self.reverse {
            self.dfa.try_search_rev(&mut cache, &input)
        } else {
            self.dfa.try_search_fwd(&mut cache, &input)
        };
        found.ok().map(|m| m.is_some())
    }

    /// The end of the leftmost-first match (the start is known when the
    /// pattern is anchored); `None` if the lazy DFA gave up.
    fn find_end(&self, text: &str) -> Option<Option<usize>> {
        debug_assert!(!self.reverse);
        let mut cache = self.caches.get();
        self.dfa.try_search_fwd(&mut cache, &self.input(text)).ok().map(|m| m.map(|m| m.offset()))
    }

    fn which(&self, text: &str, set: &mut regex_automata::PatternSet) -> Option<()> {
        let mut cache = self.caches.get();
        if !self.reverse {
            return self.dfa.try_which_overlapping_matches(&mut cache, &self.input(text), set).ok();
        }
        // What `try_which_overlapping_matches` does forwards, backwards.
        let input = self.input(text);
        let mut state = regex_automata::hybrid::dfa::OverlappingState::start();
        while !set.is_full() {
            self.dfa.try_search_overlapping_rev(&mut cache, &input, &mut state).ok()?;
            match state.get_match() {
                Some(m) => set.insert(m.pattern()),
                None => break,
            };
        }
        Some(())
    }
}

impl Screen {
    fn new(rules: Vec<usize>) -> Screen {
        Screen { rules, compiled: OnceLock::new() }
    }

    fn get(&self, all: &[Rule]) -> &ScreenRe {
        self.compiled.get_or_init(|| {
            if let Some(s) = self.made_ahead(all) {
                return s;
            }
            let mut pattern_of = vec![ELSEWHERE; all.len()];
            let mut parts = <[Vec<Hir>; 3]>::default();
            let mut any_outside = false;
            let mut phrases = PhraseScreen::default();
            let mut lits = LiteralScreen::default();
            for &i in &self.rules {
                if let Some(set) = phrase_set(&all[i]) {
                    pattern_of[i] = PHRASED | phrases.add(set);
                    continue;
                }
                if let Some(set) = literal_set(&all[i]) {
                    pattern_of[i] = LITERAL | lits.add(set);
                    continue;
                }
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
                        let k = automaton_of(&h);
                        pattern_of[i] = AUTOMATON_FLAG[k] | parts[k].len() as u32;
                        parts[k].push(h);
                    }
                    None => {
                        pattern_of[i] = OUTSIDE;
                        any_outside = true;
                    }
                }
            }
            let part = |hirs: &[Hir], anchored: bool, reverse: bool| {
                if hirs.is_empty() {
                    return (None, false);
                }
                let dfa = union_nfa(hirs, reverse).and_then(|nfa| screen_dfa(nfa, anchored));
                let broken = dfa.is_none();
                (dfa, broken)
            };
            let [un, an, en] = &parts;
            let ((re, b1), (anchored, b2)) = (part(un, false, false), part(an, true, false));
            let (at_end, b3) = part(en, true, true);
            ScreenRe::new([re, anchored, at_end], b1 || b2 || b3, any_outside, &pattern_of, all, phrases, lits)
        })
    }

    /// The key of this screen's NFAs in `rules/nfa.bin`: a hash of its
    /// rules' screen patterns as made ahead and of `part` (0: which patterns
    /// are anchored, 1: the unanchored NFA, 2: the anchored one, 3: the
    /// reverse NFA of those anchored at the end); `None` when
    /// a pattern was not made ahead (users' rules).
    fn snapshot_key(&self, all: &[Rule], part: u8) -> Option<u64> {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(b"screen\0");
        h.write_u8(part);
        for &i in &self.rules {
            match (all[i].given_literals, all[i].screen) {
                // Screened by its literals, in no NFA.
                (Some(l), _) if !l.is_empty() => {
                    h.write(b"\x02");
                    h.write(l.as_bytes());
                }
                (_, s) => match s {
                    ScreenPattern::Given(s) => h.write(s.as_bytes()),
                    ScreenPattern::Outside => h.write(b"\x01"),
                    ScreenPattern::FromPattern => return None,
                },
            }
            h.write(b"\n");
        }
        Some(h.finish())
    }

    /// The screen from its NFAs made ahead: every `Given` pattern is in one
    /// of them, in rule order (as [`Screen::hirs`] splits them), and the
    /// entry of part 0 holds a byte per `Given` pattern, 1 if anchored at the
    /// start, 2 at the end.
    fn made_ahead(&self, all: &[Rule]) -> Option<ScreenRe> {
        let table = nfacode::Table(BUILTIN_NFA);
        let which = table.get(self.snapshot_key(all, 0)?)?;
        let mut pattern_of = vec![ELSEWHERE; all.len()];
        let (mut n, mut counts, mut any_outside) = (0, [0u32; 3], false);
        let mut phrases = PhraseScreen::default();
        let mut lits = LiteralScreen::default();
        for &i in &self.rules {
            if let Some(set) = phrase_set(&all[i]) {
                pattern_of[i] = PHRASED | phrases.add(set);
            } else if let Some(set) = literal_set(&all[i]) {
                pattern_of[i] = LITERAL | lits.add(set);
            } else if matches!(all[i].screen, ScreenPattern::Given(_)) {
                let a = *which.get(n)? as usize;
                let c = counts.get_mut(a)?;
                pattern_of[i] = AUTOMATON_FLAG[a] | *c;
                *c += 1;
                n += 1;
            } else {
                pattern_of[i] = OUTSIDE;
                any_outside = true;
            }
        }
        // Part `k` of the file holds the patterns marked `k - 1` in part 0.
        let part = |k: u8| -> Option<Option<std::sync::Arc<ScreenDfa>>> {
            let count = counts[usize::from(k - 1)] as usize;
            if count == 0 {
                return Some(None);
            }
            let nfa = nfacode::decode(table.get(self.snapshot_key(all, k)?)?)?;
            (nfa.pattern_len() == count && nfa.is_reverse() == (k == 3))
                .then(|| screen_dfa(nfa, k != 1))
                .flatten()
                .map(Some)
        };
        let automata = [part(1)?, part(2)?, part(3)?];
        (n == which.len()).then(|| ScreenRe::new(automata, false, any_outside, &pattern_of, all, phrases, lits))
    }

    /// The decoded trees of a screen made ahead, in rule order, split into
    /// the unanchored ones, those anchored at the start and those anchored at
    /// the end, for `rules/nfa.bin`; `None` if a rule has no screen line or
    /// one does not decode.
    #[allow(clippy::type_complexity)]
    fn hirs(&self, all: &[Rule]) -> Option<([Vec<Hir>; 3], Vec<u8>)> {
        let (mut parts, mut which) = (<[Vec<Hir>; 3]>::default(), Vec::new());
        for &i in &self.rules {
            if phrase_set(&all[i]).is_some() || literal_set(&all[i]).is_some() {
                continue;
            }
            match all[i].screen {
                ScreenPattern::Given(s) => {
                    let h = hircode::decode(s)?;
                    let k = automaton_of(&h);
                    which.push(k as u8);
                    parts[k].push(h);
                }
                ScreenPattern::Outside => {}
                ScreenPattern::FromPattern => return None,
            }
        }
        Some((parts, which))
    }

    /// `false` is certain: no rule of the group matches `text`.
    fn may_match(&self, all: &[Rule], text: &str) -> bool {
        if self.rules.is_empty() {
            return false;
        }
        let s = self.get(all);
        let hit = |d: &Option<std::sync::Arc<ScreenDfa>>| d.as_ref().is_some_and(|d| d.is_match(text) != Some(false));
        s.any_outside
            || s.broken
            || !s.phrases.matches(text).is_empty()
            || !s.literals.matches(text).is_empty()
            || hit(&s.anchored)
            || hit(&s.at_end)
            || hit(&s.re)
    }

    /// The rules of the group that may match `text`; `None` if none can.
    fn candidates<'a>(&'a self, all: &[Rule], text: &str) -> Option<Candidates<'a>> {
        self.candidates_within(all, text, None)
    }

    /// [`Screen::candidates`] for a block of `words` words, if given, asked
    /// only about rules whose `max_words` it is within (and about timestamp
    /// and `prefix` rules): a part (automaton, phrases, literals) none of
    /// whose rules allows so many words is not run (the union of the rules
    /// without literals scanned every block to its end, and the literal pass
    /// every long block).
    fn candidates_within<'a>(&'a self, all: &[Rule], text: &str, words: Option<usize>) -> Option<Candidates<'a>> {
        if self.rules.is_empty() {
            return None;
        }
        let s = self.get(all);
        if s.broken {
            return Some(Candidates::all());
        }
        let within = |k: usize| words.is_none_or(|w| w <= s.bounds[k]);
        // By rule index, so that asking about a rule is one bit test. Each
        // part's patterns go in as they are found (a set per part, mapped
        // after, was a third of the screen's own instructions).
        let mut rules = s.outside.clone();
        for (d, k) in [(&s.anchored, 1), (&s.at_end, 4), (&s.re, 0)] {
            let Some(d) = d.as_ref().filter(|_| within(k)) else { continue };
            if d.is_match(text) == Some(false) {
                continue;
            }
            let mut set = regex_automata::PatternSet::new(d.pattern_len());
            if d.which(text, &mut set).is_none() {
                // A lazy DFA gave up: every rule is a candidate.
                return Some(Candidates::all());
            }
            set.iter().for_each(|p| rules.insert(s.rule_of[k][p.as_usize()] as usize));
        }
        // The phrases and literals by the same bounds.
        if within(2) {
            s.phrases.each_match(text, |p| rules.insert(s.rule_of[2][p] as usize));
        }
        if within(3) {
            s.literals.each_match(text, |p| rules.insert(s.rule_of[3][p] as usize));
        }
        if rules.is_empty() {
            return None;
        }
        Some(Candidates { rules: Some(rules), screen: std::marker::PhantomData })
    }
}

/// The screen of a kind whose rules count only where their match starts at
/// the start of a block (metadata: a line or prefix is cut from there). A
/// match elsewhere is of no use, so every rule's pattern ([`start_pattern`]),
/// `^` or not, goes in one automaton searched anchored at the start: on
/// most blocks it dies within a few bytes, where a screen for matches
/// anywhere read each block whole (a literal pass, then its automata). A
/// rule that is not a `prefix` applies only to a whole block, so a match
/// must end at the block's end too: one whose start reads as no keyword
/// (`\p{Lu}[\p{L} ]+…`, which read most blocks to their first comma) is
/// searched backwards from the end instead, anchored there, where it dies
/// at the last few characters.
#[derive(Debug, Clone)]
struct StartScreen {
    rules: Vec<usize>,
    compiled: OnceLock<StartRe>,
}

#[derive(Clone)]
struct StartRe {
    /// Anchored at the start, and at the end (a reverse automaton), every
    /// pattern's matches reported; `None`: no patterns.
    dfa: [Option<std::sync::Arc<ScreenDfa>>; 2],
    /// Both automata's caches, one pool (a look-up per block, not two).
    caches: std::sync::Arc<PoolOf<[Option<regex_automata::hybrid::dfa::Cache>; 2]>>,
    /// Per automaton, a bit per byte that a match from its anchored end
    /// may open with: a block whose first (last) byte is none is cleared
    /// without a search, most blocks for the automaton from the end (they
    /// end with a full stop). `None`: not known.
    opening: [Option<[u64; 4]>; 2],
    /// Per automaton, each pattern's rule index.
    rule_of: [Vec<u32>; 2],
    /// The rules always tried (Unicode `\b`, which stops the lazy DFA on
    /// non-ASCII text).
    outside: Bits,
    /// An automaton did not compile: every rule is a candidate.
    broken: bool,
}

/// The bytes that a match of `nfa` (anchored) can open with: those of
/// the transitions reached from its anchored start without consuming a
/// byte (any look-around taken as passed: a byte too many is only a search
/// more). `None` if a pattern matches the empty text (a match need not
/// open with a byte).
fn opening_bytes(nfa: &regex_automata::nfa::thompson::NFA) -> Option<[u64; 4]> {
    use regex_automata::nfa::thompson::State;
    if nfa.has_empty() {
        return None;
    }
    let mut set = [0u64; 4];
    let mut add = |lo: u8, hi: u8| (lo..=hi).for_each(|c| set[usize::from(c >> 6)] |= 1 << (c & 63));
    let mut seen = vec![false; nfa.states().len()];
    let mut stack = vec![nfa.start_anchored()];
    while let Some(id) = stack.pop() {
        if std::mem::replace(seen.get_mut(id.as_usize())?, true) {
            continue;
        }
        match nfa.state(id) {
            State::ByteRange { trans } => add(trans.start, trans.end),
            State::Sparse(sparse) => sparse.transitions.iter().for_each(|t| add(t.start, t.end)),
            State::Dense(dense) => {
                for (c, next) in (0..=255u8).zip(dense.transitions.iter()) {
                    if *next != regex_automata::util::primitives::StateID::ZERO {
                        add(c, c);
                    }
                }
            }
            State::Look { next, .. } | State::Capture { next, .. } => stack.push(*next),
            State::Union { alternates } => stack.extend(alternates.iter().copied()),
            State::BinaryUnion { alt1, alt2 } => stack.extend([*alt1, *alt2]),
            State::Fail => {}
            State::Match { .. } => return None,
        }
    }
    Some(set)
}

impl std::fmt::Debug for StartRe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StartRe").field("dfa", &self.dfa).field("rule_of", &self.rule_of).finish_non_exhaustive()
    }
}

/// Whether a [`StartScreen`] searches `rule` back from the end: it is not a
/// `prefix` rule, and its pattern does not open with a literal letter or
/// digit (after `^` and `(?i:`). Read from the text of the pattern, not
/// parsed (a run reads the built-in screen made ahead); either way the
/// screen names every rule that can apply, this only says which reads less.
fn from_end(rule: &Rule) -> bool {
    if rule.prefix {
        return false;
    }
    let p = rule.pattern.strip_prefix('^').unwrap_or(&rule.pattern);
    let p = ["(?i:", "(?i)"].iter().find_map(|f| p.strip_prefix(f)).unwrap_or(p);
    !p.starts_with(|c: char| c.is_alphanumeric())
}

impl StartScreen {
    fn new(rules: Vec<usize>) -> StartScreen {
        StartScreen { rules, compiled: OnceLock::new() }
    }

    fn get(&self, all: &[Rule]) -> &StartRe {
        self.compiled.get_or_init(|| {
            let (mut rule_of, mut outside) = (<[Vec<u32>; 2]>::default(), Bits::default());
            for &i in &self.rules {
                match has_word_boundary(&all[i].pattern) {
                    true => outside.insert(i),
                    false => rule_of[usize::from(from_end(&all[i]))].push(i as u32),
                }
            }
            let table = nfacode::Table(BUILTIN_NFA);
            let (mut dfa, mut broken) = (<[Option<std::sync::Arc<ScreenDfa>>; 2]>::default(), false);
            for (k, rules) in rule_of.iter().enumerate() {
                if rules.is_empty() {
                    continue;
                }
                // Made ahead for the built-in rules, else compiled now.
                let made = table.get(start_key(all, &self.rules, k as u8)).and_then(nfacode::decode);
                let nfa = match made.filter(|n| n.pattern_len() == rules.len() && n.is_reverse() == (k == 1)) {
                    Some(nfa) => Some(nfa),
                    None => {
                        let hirs: Option<Vec<Hir>> = rules.iter().map(|&i| start_pattern(&all[i as usize])).collect();
                        hirs.and_then(|h| union_nfa(&h, k == 1))
                    }
                };
                dfa[k] = nfa.and_then(|nfa| screen_dfa(nfa, true));
                broken |= dfa[k].is_none();
            }
            let for_caches = dfa.clone();
            let caches: PoolOf<[Option<regex_automata::hybrid::dfa::Cache>; 2]> =
                regex_automata::util::pool::Pool::new(Box::new(move || {
                    for_caches.clone().map(|d| d.map(|d| d.dfa.create_cache()))
                }) as Box<_>);
            let opening = dfa.each_ref().map(|d| d.as_ref().and_then(|d| opening_bytes(d.dfa.get_nfa())));
            StartRe { dfa, caches: std::sync::Arc::new(caches), opening, rule_of, outside, broken }
        })
    }

    /// The rules that may match `text` at its start; `None` if none can.
    fn candidates<'a>(&'a self, all: &[Rule], text: &str) -> Option<Candidates<'a>> {
        use regex_automata::hybrid::dfa::OverlappingState;
        if self.rules.is_empty() {
            return None;
        }
        let s = self.get(all);
        if s.broken {
            return Some(Candidates::all());
        }
        let mut rules = s.outside.clone();
        let mut caches = None;
        let b = text.as_bytes();
        for (k, d) in s.dfa.iter().enumerate() {
            let Some(d) = d else { continue };
            let edge = if k == 0 { b.first() } else { b.last() };
            if let (Some(set), Some(&c)) = (&s.opening[k], edge) {
                if set[usize::from(c >> 6)] >> (c & 63) & 1 == 0 {
                    continue;
                }
            }
            let Some(cache) = caches.get_or_insert_with(|| s.caches.get())[k].as_mut() else { continue };
            let input = d.input(text);
            let mut state = OverlappingState::start();
            loop {
                let searched = if k == 0 {
                    d.dfa.try_search_overlapping_fwd(cache, &input, &mut state)
                } else {
                    d.dfa.try_search_overlapping_rev(cache, &input, &mut state)
                };
                if searched.is_err() {
                    // The lazy DFA gave up: every rule is a candidate.
                    return Some(Candidates::all());
                }
                match state.get_match() {
                    Some(m) => rules.insert(s.rule_of[k][m.pattern().as_usize()] as usize),
                    None => break,
                }
            }
        }
        if rules.is_empty() {
            return None;
        }
        Some(Candidates { rules: Some(rules), screen: std::marker::PhantomData })
    }
}

/// The key of a [`StartScreen`]'s NFA in `rules/nfa.bin` (`part` 0: the
/// one searched from the start, 1: from the end): a hash of its rules'
/// patterns and flags.
fn start_key(all: &[Rule], rules: &[usize], part: u8) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(b"start\0");
    h.write_u32(START_COUNT);
    h.write_u8(part);
    for &i in rules {
        h.write_u8(u8::from(all[i].prefix));
        h.write(all[i].pattern.as_bytes());
        h.write(b"\n");
    }
    h.finish()
}

/// The longest counted repetition a [`StartScreen`] pattern keeps.
const START_COUNT: u32 = 32;

/// A rule's pattern in a [`StartScreen`]: its classes [coarsened](coarsen),
/// its short counted repetitions kept (searched from the start only, a
/// count adds a chain of states, not new states at every byte, and it stops
/// the search where the rule's own pattern stops: widened, `[\p{L} .]{1,30}`
/// read most blocks to their first comma); longer ones [widened](widen),
/// as their chains made the NFA slow to read (`[^\n]{0,58}` after a
/// keyword, where the search has mostly died already). `None` if it does
/// not parse.
fn start_pattern(rule: &Rule) -> Option<Hir> {
    regex_syntax::parse(&rule.pattern).ok().map(|h| widen_past(h, START_COUNT))
}

/// The text and language fixtures, whole (for tests).
#[cfg(test)]
pub(crate) fn fixture_texts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let files = ["text", "lang"].into_iter().flat_map(|sub| std::fs::read_dir(dir.join(sub)).unwrap());
    files.filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok()).collect()
}

/// Every block of [`fixture_texts`].
#[cfg(test)]
fn fixture_blocks() -> Vec<String> {
    let blocks = fixture_texts().into_iter().flat_map(|t| crate::blocks::segment(&crate::input::normalize(&t)));
    blocks.map(|b| b.text).collect()
}

/// The stopword lists of every language, indexed by word.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    langs: Vec<String>,
    names: Vec<String>,
    /// Language masks by [`stop_hash`], so that a caller that has the hash
    /// already does not hash the word again.
    /// The word itself is not kept: 32 languages make ~9,500 words, and a
    /// string behind a pointer to compare on every hit cost more than the
    /// 64-bit hash, whose false matches are vanishingly rare (and, for words
    /// of up to eight bytes, impossible).
    words: StopTable,
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

/// The odd multiplier of [`stop_mix`].
const STOP_K: u64 = 0x9e37_79b9_7f4a_7c15;

/// One step of [`stop_hash`]: `chunk` (eight bytes, little-endian) mixed
/// into `h`. From `h = 0` it is one multiply by an odd constant, a
/// bijection: words of up to eight bytes never share a hash.
#[inline(always)]
pub fn stop_mix(h: u64, chunk: u64) -> u64 {
    (h.rotate_left(29) ^ chunk).wrapping_mul(STOP_K)
}

/// The hash of a lower-cased word that [`Stopwords`] is indexed by: its
/// bytes eight at a time, the last chunk padded with zeros, each mixed in by
/// [`stop_mix`]. [`crate::features::scan`] computes it from the text in
/// place, with ASCII capitals folded in the loaded chunks.
#[inline]
pub fn stop_hash(word: &str) -> u64 {
    stop_hash_folded(word.as_bytes(), 0)
}

/// [`stop_hash`] of `word` with each byte or-ed with the same byte of
/// `fold` (`0x20` in every byte lower-cases an ASCII word of letters and
/// digits; `0` leaves the bytes as they are).
#[inline]
pub fn stop_hash_folded(word: &[u8], fold: u64) -> u64 {
    let mut h = 0;
    let mut chunks = word.chunks_exact(8);
    for c in &mut chunks {
        h = stop_mix(h, u64::from_le_bytes(c.try_into().unwrap_or([0; 8])) | fold);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // A byte at a time: a copy of a few bytes was a call to memcpy.
        let x = rest.iter().rev().fold(0, |x, &b| x << 8 | b as u64);
        h = stop_mix(h, (x | fold) & u64::MAX >> (64 - 8 * rest.len()));
    }
    h
}

/// (hash, mask) slots, a power of two of them and at most a quarter full,
/// probed linearly from the hash's top bits: one or two slots a look-up,
/// where hashbrown's group probe was a score of instructions (half full,
/// two look-ups in three went on past the first slot). An empty slot
/// is `(0, 0)`; every word has a mask other than 0, so a probe stops there.
#[derive(Debug, Clone)]
struct StopTable {
    slots: Vec<(u64, u64)>,
    len: usize,
    /// 64 less log2 of the slot count.
    shift: u32,
}

impl Default for StopTable {
    fn default() -> Self {
        Self { slots: vec![(0, 0); 16], len: 0, shift: 60 }
    }
}

impl StopTable {
    /// The mask under `hash`, 0 if none.
    #[inline]
    fn get(&self, hash: u64) -> u64 {
        let m = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
        loop {
            let Some(&(k, v)) = self.slots.get(i & m) else { return 0 };
            // An empty slot is (0, 0): a hash of 0 finds its mask of 0.
            if k == hash {
                return v;
            }
            if v == 0 {
                return 0;
            }
            i += 1;
        }
    }

    /// Or `mask` into the mask under `hash`.
    fn add(&mut self, hash: u64, mask: u64) {
        if mask == 0 {
            return;
        }
        if (self.len + 1) * 4 > self.slots.len() {
            self.grow(self.slots.len() * 2);
        }
        let m = self.slots.len() - 1;
        let mut i = (hash >> self.shift) as usize;
        loop {
            let Some(slot) = self.slots.get_mut(i & m) else { return };
            if slot.1 == 0 {
                *slot = (hash, mask);
                self.len += 1;
                return;
            }
            if slot.0 == hash {
                slot.1 |= mask;
                return;
            }
            i += 1;
        }
    }

    /// Room for `n` words without growing.
    fn reserve(&mut self, n: usize) {
        let want = n.saturating_mul(4).next_power_of_two().max(16);
        if want > self.slots.len() {
            self.grow(want);
        }
    }

    /// Move the words into `size` slots (a power of two).
    fn grow(&mut self, size: usize) {
        let old = std::mem::replace(&mut self.slots, vec![(0, 0); size]);
        self.shift = 64 - size.trailing_zeros();
        self.len = 0;
        for (h, m) in old {
            self.add(h, m);
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.slots.iter().copied().filter(|&(_, m)| m != 0)
    }
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
        self.words.get(stop_hash(lower))
    }

    /// [`Stopwords::mask`] for a word whose [`stop_hash`] is `hash`. A word
    /// longer than every stopword is looked up too (the length check cost
    /// more than the look-ups it saved); only a 64-bit collision, which no
    /// two words of up to eight bytes have, could make it match.
    #[inline]
    pub fn mask_hashed(&self, hash: u64) -> u64 {
        self.words.get(hash)
    }

    fn add(&mut self, lang: &str, name: Option<&str>, words: &str) -> Result<()> {
        let i = self.language(lang, name)?;
        self.add_words(i, words);
        Ok(())
    }

    /// The bit number of `lang`, given one if it is new; `name` names it.
    fn language(&mut self, lang: &str, name: Option<&str>) -> Result<usize> {
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
        Ok(i)
    }

    /// Mark each of `words` a stopword of language number `i`.
    fn add_words(&mut self, i: usize, words: &str) {
        // ASCII letters answer without the case tables.
        let lower_already = |c: char| if c.is_ascii() { !c.is_ascii_uppercase() } else { c.to_lowercase().eq([c]) };
        for w in words.split_whitespace() {
            // Most lists are lower case already: no string per word then.
            let lower;
            let w = if w.chars().all(lower_already) {
                w
            } else {
                lower = w.to_lowercase();
                &lower
            };
            self.max_len = self.max_len.max(w.len());
            self.words.add(stop_hash(w), 1u64 << i);
        }
    }

    /// The word table in the form [`Stopwords::read_table`] reads, under
    /// `key` (what [`stopword_key`] gives for the lists it was made from).
    #[cfg(test)]
    fn table(&self, key: u64) -> Vec<u8> {
        let mut rows: Vec<(u64, u64)> = self.words.iter().collect();
        rows.sort_unstable();
        let mut out = STOPWORD_MAGIC.to_vec();
        out.extend(key.to_le_bytes());
        out.extend((self.max_len as u64).to_le_bytes());
        out.extend((rows.len() as u64).to_le_bytes());
        for (h, m) in rows {
            out.extend(h.to_le_bytes());
            out.extend(m.to_le_bytes());
        }
        out
    }

    /// Fill the word table from `bytes` (made by [`Stopwords::table`]) if it
    /// was made under `key`; `false`, and nothing added, if not.
    fn read_table(&mut self, bytes: &[u8], key: u64) -> bool {
        let num = |b: &[u8]| u64::from_le_bytes(b.try_into().unwrap_or([0xff; 8]));
        let Some(rest) = bytes.strip_prefix(STOPWORD_MAGIC) else { return false };
        let (Some(head), Some(rows)) = (rest.get(..24), rest.get(24..)) else { return false };
        let n = num(&head[16..24]) as usize;
        if num(&head[..8]) != key || rows.len() != n.saturating_mul(16) || !self.words.is_empty() {
            return false;
        }
        self.max_len = num(&head[8..16]) as usize;
        self.words.reserve(n);
        for row in rows.chunks_exact(16) {
            self.words.add(num(&row[..8]), num(&row[8..]));
        }
        true
    }
}

const STOPWORD_MAGIC: &[u8] = b"NCSW2\n";

/// The built-in stopword table made ahead (see [`Stopwords::table`]):
/// hashing and case-checking every word of 32 lists was a third of the
/// start-up of an empty file. Rewritten with the screen file.
const BUILTIN_STOPWORD_TABLE: &[u8] = include_bytes!("../../rules/stopwords.bin");

/// The key of a table made from these lists (language number, words), in
/// this order: a table made from other lists is never read.
fn stopword_key(lists: &[(usize, std::borrow::Cow<'_, str>)]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(STOPWORD_MAGIC);
    for (bit, words) in lists {
        h.write_usize(*bit);
        h.write(words.as_bytes());
        h.write_u8(0xff);
    }
    h.finish()
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
    /// The metadata rules again, for matches at the start of a block only.
    metadata_start: StartScreen,
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
    anchored_start: OnceLock<Option<Forward>>,
}

/// One timestamp pattern anchored three ways.
#[derive(Debug, Clone)]
struct Anchored {
    whole: Forward,
    start: Forward,
    end: Forward,
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
        Self::builtin_with_table(BUILTIN_STOPWORD_TABLE).0
    }

    /// [`RuleSetBuilder::with_builtin`], the stopwords read from `table` if
    /// it is current; and the key of the lists (for writing the table).
    fn builtin_with_table(table: &[u8]) -> (Self, u64) {
        let mut b = Self::new();
        let mut parsed: Vec<Option<ParsedEntry>> = serde_json::from_str::<Vec<ParsedEntry>>(BUILTIN_PARSED)
            .map(|v| v.into_iter().map(Some).collect())
            .unwrap_or_default();
        // The languages are numbered as the lists come; their words are
        // added at the end, from `rules/stopwords.bin` when it is current.
        let mut lists: Vec<(usize, std::borrow::Cow<'static, str>)> = Vec::new();
        for (i, (lang, text)) in BUILTIN.iter().enumerate() {
            let mut file =
                builtin_file(&mut parsed, i, text, &format!("built-in {lang}.toml")).expect("built-in rules are valid");
            let words = std::mem::take(&mut file.stopwords);
            // A file without stopwords (`neutral.toml`) is no language to detect.
            if !words.trim().is_empty() {
                let bit = b.stopwords.language(&file.lang, file.name.as_deref()).expect("fewer than 64 languages");
                lists.push((bit, words.into()));
            }
            b.add_compiled(file).expect("built-in rules are valid");
        }
        attach_screens(&mut b.rules, BUILTIN_SCREEN);
        for line in BUILTIN_STOPWORDS.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()) {
            let mut cols = line.splitn(3, '\t');
            let (Some(lang), Some(name), Some(words)) = (cols.next(), cols.next(), cols.next()) else {
                panic!("built-in stopwords line is CODE<TAB>Name<TAB>words: {line:.40}");
            };
            let bit = b.stopwords.language(lang, Some(name)).expect("fewer than 64 languages");
            lists.push((bit, words.into()));
        }
        let key = stopword_key(&lists);
        if !b.stopwords.read_table(table, key) {
            // Room for every word at once (the lists hold about one word per
            // five bytes), rather than the table rehashed each time it doubles.
            b.stopwords.words.reserve(BUILTIN_STOPWORDS.len() / 4);
            for (bit, words) in &lists {
                b.stopwords.add_words(*bit, words);
            }
        }
        (b, key)
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
            let k = kinds.entry(r.kind).or_insert(KindSet { rules: Vec::new(), max_words: 0, mask: Bits::default() });
            k.rules.push(i);
            k.mask.insert(i);
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
        let metadata_start =
            StartScreen::new((0..self.rules.len()).filter(|&i| self.rules[i].kind == RuleKind::Metadata).collect());
        let anchored = (0..self.rules.len())
            .filter(|&i| self.rules[i].kind == RuleKind::Timestamp)
            .map(|i| (i, OnceLock::new()))
            .collect();
        Ok(RuleSet {
            rules: self.rules,
            kinds,
            body,
            others,
            metadata_start,
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

/// Compile a screen: one pattern per rule, every match reported (a large
/// lazy-DFA cache: the unions are big).
fn screen_dfa(nfa: regex_automata::nfa::thompson::NFA, anchored: bool) -> Option<std::sync::Arc<ScreenDfa>> {
    lazy_dfa(nfa, regex_automata::MatchKind::All, 64 << 20, anchored)
}

/// The NFA of a screen: one pattern per tree, no captures; `reverse`: the
/// NFA that reads the text backwards.
fn union_nfa(hirs: &[Hir], reverse: bool) -> Option<regex_automata::nfa::thompson::NFA> {
    use regex_automata::nfa::thompson;
    thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .which_captures(thompson::WhichCaptures::None)
                .nfa_size_limit(Some(256 << 20))
                .reverse(reverse)
                // Made ahead, so the slower compile of the smaller NFA is
                // free (reversed UTF-8 classes are large without it).
                .shrink(reverse),
        )
        .build_many_from_hir(hirs)
        .ok()
}

/// A forward lazy DFA over `nfa`, with a cache per thread.
fn lazy_dfa(
    nfa: regex_automata::nfa::thompson::NFA,
    kind: regex_automata::MatchKind,
    cache_capacity: usize,
    anchored: bool,
) -> Option<std::sync::Arc<ScreenDfa>> {
    use regex_automata::hybrid::dfa::DFA;
    let config = DFA::config().match_kind(kind).cache_capacity(cache_capacity);
    let reverse = nfa.is_reverse();
    let dfa = DFA::builder().configure(config).build_from_nfa(nfa).ok()?;
    let for_caches = dfa.clone();
    let caches: CachePool = regex_automata::util::pool::Pool::new(Box::new(move || for_caches.create_cache()));
    Some(std::sync::Arc::new(ScreenDfa { dfa, caches, anchored, reverse }))
}

/// The NFAs made ahead (see [`nfacode`]); rewritten with the screen file.
/// A `static`, not a `const`: a `const` is copied into every codegen unit
/// that uses it (two uses made the binary 5 MB larger).
pub static BUILTIN_NFA: &[u8] = include_bytes!("../../rules/nfa.bin");

/// What `rules/nfa.bin` keys its NFAs by: a rule's exact pattern, or the
/// text of a screen pattern (a [widened](widen) tree in [`hircode`]'s form).
#[derive(Debug, Clone, Copy)]
enum MadeAhead<'a> {
    Pattern(&'a str),
    Widened(&'a str),
    /// A rule's pattern cut down to a small [`Reach`].
    Within(&'a str, Reach),
    /// A pattern anchored at the end (`$` ends every match), cut down to
    /// [`Reach::Latin`] and reversed (whole, the reversed UTF-8 classes
    /// doubled `rules/nfa.bin`).
    Reversed(&'a str),
}

impl MadeAhead<'_> {
    /// Its key in `rules/nfa.bin`.
    fn key(self) -> u64 {
        use std::hash::Hasher;
        let (prefix, text): (&[u8], &str) = match self {
            MadeAhead::Pattern(p) => (b"fwd\0", p),
            MadeAhead::Widened(w) => (b"wide\0", w),
            MadeAhead::Within(p, r) => (r.tag(), p),
            MadeAhead::Reversed(p) => (b"rev\0", p),
        };
        let mut h = rustc_hash::FxHasher::default();
        if let MadeAhead::Within(..) = self {
            h.write(b"fwd-");
        }
        h.write(prefix);
        h.write(text.as_bytes());
        h.finish()
    }

    /// Its NFA (no captures; forward, or reverse for [`MadeAhead::Reversed`]),
    /// compiled: what `rules/nfa.bin` holds for it. `None` for a tree the
    /// lazy DFA cannot run (Unicode `\b`), which the regex keeps, and for a
    /// reversed pattern with a match that need not end at the end, or that
    /// must start at the start.
    fn compile(self) -> Option<regex_automata::nfa::thompson::NFA> {
        use regex_automata::nfa::thompson;
        let hir = match self {
            MadeAhead::Pattern(p) => regex_syntax::parse(p).ok()?,
            MadeAhead::Widened(w) => hircode::decode(w)?,
            MadeAhead::Within(p, r) => reach::restrict(&regex_syntax::parse(p).ok()?, &r.class()?),
            MadeAhead::Reversed(p) => {
                // Anchored at the start too, the forward search dies as early.
                let hir = regex_syntax::parse(p).ok().filter(|h| automaton_of(h) == 2)?;
                reach::restrict(&hir, &Reach::Latin.class()?)
            }
        };
        let reverse = matches!(self, MadeAhead::Reversed(_));
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new().which_captures(thompson::WhichCaptures::None).reverse(reverse).shrink(reverse),
            )
            .build_from_hir(&hir)
            .ok()?;
        (!nfa.look_set_any().contains_word_unicode()).then_some(nfa)
    }

    /// A forward lazy DFA from its NFA made ahead; `None` if `rules/nfa.bin`
    /// has none (a stale file, users' patterns).
    fn dfa(self) -> Option<std::sync::Arc<ScreenDfa>> {
        let nfa = nfacode::decode(nfacode::Table(BUILTIN_NFA).get(self.key())?)?;
        lazy_dfa(nfa, regex_automata::MatchKind::LeftmostFirst, 2 << 20, false)
    }
}

/// The forward lazy DFAs of one pattern, by the [`Reach`] of the text
/// searched, each read from `rules/nfa.bin` when first asked. A reach whose
/// cut-down NFA was not made ahead (it saved too little) shares the DFA of
/// the next larger reach.
#[derive(Debug, Clone, Default)]
struct ByReach([OnceLock<Option<std::sync::Arc<ScreenDfa>>>; 3]);

impl ByReach {
    /// The DFA for texts within `reach`; `None`: no NFA made ahead.
    fn get(&self, pattern: &str, reach: Reach) -> Option<&ScreenDfa> {
        self.cell(pattern, reach).as_deref()
    }

    fn cell(&self, pattern: &str, reach: Reach) -> &Option<std::sync::Arc<ScreenDfa>> {
        self.0[reach as usize].get_or_init(|| match reach {
            Reach::Full => MadeAhead::Pattern(pattern).dfa(),
            Reach::Ascii | Reach::Latin => MadeAhead::Within(pattern, reach).dfa().or_else(|| {
                let wider = if reach == Reach::Ascii { Reach::Latin } else { Reach::Full };
                self.cell(pattern, wider).clone()
            }),
        })
    }
}

/// A pattern that is only asked whether it matches and where a match
/// ends: the lazy DFA of its NFA made ahead, else its regex, each made when
/// first needed.
#[derive(Debug, Clone)]
struct Forward {
    pattern: String,
    dfa: ByReach,
    /// As [`Rule`]'s: for a pattern anchored at the end only, searched back
    /// on a text within [`Reach::Latin`].
    rev: OnceLock<Option<std::sync::Arc<ScreenDfa>>>,
    re: OnceLock<Regex>,
}

impl Forward {
    fn new(pattern: String) -> Forward {
        Forward { pattern, dfa: ByReach::default(), rev: OnceLock::new(), re: OnceLock::new() }
    }

    fn dfa(&self, text: &str) -> Option<&ScreenDfa> {
        self.dfa.get(&self.pattern, Reach::of(text))
    }

    fn re(&self) -> &Regex {
        self.re.get_or_init(|| Regex::new(&self.pattern).expect("timestamp patterns compile one by one"))
    }

    /// Whether the pattern matches `text`, whose [`Reach`] is `reach`.
    fn is_match(&self, text: &str, reach: Reach) -> bool {
        let rev = (reach <= Reach::Latin).then(|| self.rev.get_or_init(|| MadeAhead::Reversed(&self.pattern).dfa()));
        let fwd = || self.dfa.get(&self.pattern, reach).and_then(|d| d.is_match(text));
        match rev.and_then(Option::as_ref).and_then(|d| d.is_match(text)).or_else(fwd) {
            Some(m) => m,
            None => self.re().is_match(text),
        }
    }

    /// The end of the leftmost-first match, for a pattern anchored at the start.
    fn anchored_end(&self, text: &str) -> Option<usize> {
        match self.dfa(text).and_then(|d| d.find_end(text)) {
            Some(end) => end,
            None => self.re().find(text).map(|m| m.end()),
        }
    }
}

/// The three anchored forms of a timestamp pattern (whole block, start, end).
fn anchored_forms(p: &str) -> [String; 3] {
    [format!(r"^[\s\p{{P}}]*(?:{p})[\s\p{{P}}]*$"), format!(r"^[\s\p{{P}}]*(?:{p})"), format!(r"(?:{p})[\s\p{{P}}]*$")]
}

/// The union of the timestamp patterns, anchored at the start.
fn anchored_start_pattern(ts: &[&str]) -> String {
    let alt = ts.iter().map(|p| format!("(?:{p})")).collect::<Vec<_>>().join("|");
    format!(r"^[\s\p{{P}}]*(?:{alt})")
}

/// `rules/nfa.bin` for these rules (the built-in ones): each screen's NFA,
/// and the forward NFA of every pattern whose regex may be asked only
/// whether it matches.
pub fn nfa_file(rs: &RuleSet) -> Vec<u8> {
    let mut entries = Vec::new();
    let screens = [&rs.body, &rs.timestamp_screen].into_iter().chain(rs.others.values());
    for s in screens {
        let Some(([un, an, en], which)) = s.hirs(&rs.rules) else { continue };
        let key = |part| s.snapshot_key(&rs.rules, part).expect("made ahead, as `hirs` says");
        let nfa = |hirs: &[Hir], rev| union_nfa(hirs, rev).as_ref().and_then(nfacode::encode);
        let parts = [(1, &un), (2, &an), (3, &en)].map(|(k, h)| (k, h.is_empty(), nfa(h, k == 3)));
        // A part that cannot be made ahead leaves the whole screen to run time.
        if parts.iter().any(|(_, empty, e)| !empty && e.is_none()) {
            continue;
        }
        entries.push((key(0), which));
        entries.extend(parts.into_iter().filter(|(_, empty, _)| !empty).filter_map(|(k, _, e)| Some((key(k), e?))));
    }
    // The start screen's automaton.
    let start = &rs.metadata_start;
    for k in 0..2u8 {
        let hirs: Option<Vec<Hir>> = (start.rules.iter().map(|&i| &rs.rules[i]))
            .filter(|r| !has_word_boundary(&r.pattern) && from_end(r) == (k == 1))
            .map(start_pattern)
            .collect();
        let nfa = hirs.filter(|h| !h.is_empty()).and_then(|h| union_nfa(&h, k == 1));
        if let Some(e) = nfa.as_ref().and_then(nfacode::encode) {
            entries.push((start_key(&rs.rules, &start.rules, k), e));
        }
    }
    // The literal screens' tables.
    for s in [&rs.body, &rs.timestamp_screen].into_iter().chain(rs.others.values()) {
        let strings = &s.get(&rs.rules).literals.strings;
        if let Some(d) = litdfa::LitDfa::build(strings).filter(|_| !strings.is_empty()) {
            entries.push((litdfa::key(strings), d.encode()));
        }
    }
    let mut patterns: Vec<String> = Vec::new();
    for r in &rs.rules {
        let plain = r.phrases.as_ref().is_some_and(|c| PhraseSet::new(&c.phrases).is_some());
        if !plain {
            patterns.push(r.pattern.clone());
            if let ScreenPattern::Given(p) = r.screen {
                if let Some(e) = MadeAhead::Widened(p).compile().as_ref().and_then(nfacode::encode) {
                    entries.push((MadeAhead::Widened(p).key(), e));
                }
            }
        }
    }
    let ts: Vec<&str> = rs.rules.iter().filter(|r| r.kind == RuleKind::Timestamp).map(|r| r.pattern()).collect();
    patterns.extend(ts.iter().flat_map(|p| anchored_forms(p)));
    if !ts.is_empty() {
        patterns.push(anchored_start_pattern(&ts));
    }
    for p in patterns {
        let Some(whole) = MadeAhead::Pattern(&p).compile() else { continue };
        if let Some(e) = nfacode::encode(&whole) {
            entries.push((MadeAhead::Pattern(&p).key(), e));
        }
        let back = MadeAhead::Reversed(&p);
        if let Some(e) = back.compile().as_ref().and_then(nfacode::encode) {
            entries.push((back.key(), e));
        }
        // The cut-down NFAs that save at least a quarter of the states.
        for reach in [Reach::Ascii, Reach::Latin] {
            let within = MadeAhead::Within(&p, reach);
            let cut = within.compile().filter(|n| n.states().len() * 4 <= whole.states().len() * 3);
            if let Some(e) = cut.as_ref().and_then(nfacode::encode) {
                entries.push((within.key(), e));
            }
        }
    }
    nfacode::table(entries)
}

/// A pattern made into a cheap filter for a kind's union: what it matches
/// and more, never less. A counted repetition (`[^\n]{1,89}`) becomes
/// unbounded (`+`, or `*` from zero), since the lazy DFA would otherwise
/// count every position and build new states on nearly every byte (3x
/// slower); the rule's own pattern still decides. Capture groups become
/// plain groups, as group names would clash in one union.
fn widen(hir: Hir) -> Hir {
    widen_past(hir, 1)
}

/// [`widen`], keeping the counted repetitions of at most `keep`.
fn widen_past(hir: Hir, keep: u32) -> Hir {
    match hir.into_kind() {
        HirKind::Repetition(mut r) => {
            if r.max.is_none_or(|max| max > keep) {
                r.min = r.min.min(1);
                r.max = None;
            }
            r.sub = Box::new(widen_past(*r.sub, keep));
            Hir::repetition(r)
        }
        HirKind::Capture(c) => widen_past(*c.sub, keep),
        HirKind::Concat(v) => Hir::concat(v.into_iter().map(|h| widen_past(h, keep)).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.into_iter().map(|h| widen_past(h, keep)).collect()),
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
/// order: `NAME<TAB>HASH<TAB>PATTERN<TAB>LITERALS` (an empty pattern:
/// outside; the [required literals](literals) in hex, joined by `,`). A test
/// checks that it is current and rewrites it with `NEWSCLEAN_WRITE_SCREEN=1`.
pub const BUILTIN_SCREEN: &str = include_str!("../../rules/screen.txt");

/// The text of `rules/screen.txt` for these rules.
pub fn screen_file(rules: &[Rule]) -> String {
    let mut out = String::from(
        "# Generated from rules/*.toml by `NEWSCLEAN_WRITE_SCREEN=1 cargo test --lib screen_file`; do not edit.\n",
    );
    for r in rules {
        let p = screen_pattern(r.pattern()).unwrap_or_default();
        let lits = regex_syntax::parse(r.pattern()).ok().filter(|_| !r.prefix).and_then(|h| literals::required(&h));
        let lits = lits.map_or_else(String::new, |l| encode_literals(&l));
        out.push_str(&format!("{}\t{:016x}\t{p}\t{lits}\n", r.name, pattern_hash(r.pattern())));
    }
    out
}

/// Give the built-in rules their screen patterns from [`BUILTIN_SCREEN`],
/// where a line names the rule and its pattern's hash.
fn attach_screens(rules: &mut [Rule], screen: &'static str) {
    let lines = screen.lines().filter(|l| !l.starts_with('#'));
    for (r, line) in rules.iter_mut().zip(lines) {
        let mut cols = line.splitn(4, '\t');
        let (Some(name), Some(hash), Some(p), Some(lits)) = (cols.next(), cols.next(), cols.next(), cols.next()) else {
            continue;
        };
        if name == r.name && u64::from_str_radix(hash, 16).ok() == Some(pattern_hash(r.pattern())) {
            r.screen = if p.is_empty() { ScreenPattern::Outside } else { ScreenPattern::Given(p) };
            r.given_literals = Some(lits);
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
    compile_parsed(file, origin, eager)
}

/// The built-in rules files parsed ahead (`rules/builtin.json`), so that a
/// run does not parse their TOML (8 M instructions, a seventh of a small
/// file's start-up): one entry per [`BUILTIN`] file, in order, with the
/// hash of the TOML text it was parsed from. A stale entry is never used.
pub const BUILTIN_PARSED: &str = include_str!("../../rules/builtin.json");

#[derive(Deserialize, Serialize)]
struct ParsedEntry {
    hash: String,
    file: RulesFile,
}

/// `rules/builtin.json` for the [`BUILTIN`] files.
pub fn parsed_file() -> String {
    let entries: Vec<String> = BUILTIN
        .iter()
        .map(|(lang, text)| {
            let file = toml::from_str(text).unwrap_or_else(|e| panic!("built-in {lang}.toml: {e}"));
            let e = ParsedEntry { hash: format!("{:016x}", word_hash(text)), file };
            serde_json::to_string(&e).expect("rules serialize")
        })
        .collect();
    format!("[\n{}\n]\n", entries.join(",\n"))
}

/// A built-in file, from [`BUILTIN_PARSED`] where its entry is current,
/// else from its TOML.
fn builtin_file(parsed: &mut [Option<ParsedEntry>], i: usize, text: &str, origin: &str) -> Result<CompiledFile> {
    match parsed.get_mut(i).and_then(Option::take) {
        Some(e) if e.hash == format!("{:016x}", word_hash(text)) => compile_parsed(e.file, origin, false),
        _ => compile_file(text, origin, false),
    }
}

fn compile_parsed(file: RulesFile, origin: &str, eager: bool) -> Result<CompiledFile> {
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
        fwd: ByReach::default(),
        caps: Default::default(),
        wide: OnceLock::new(),
        rev: OnceLock::new(),
        screen: ScreenPattern::FromPattern,
        given_literals: None,
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

    /// [`RuleSet::candidates`] for a block of `words` words, for callers that
    /// ask only about rules whose `max_words` the block is within (and
    /// about timestamp and `prefix` rules, whatever its length): the
    /// others may be left out.
    pub fn candidates_within(&self, kind: RuleKind, text: &str, words: usize) -> Option<Candidates<'_>> {
        self.screen(kind)?.candidates_within(&self.rules, text, Some(words))
    }

    /// The rules of `kind` that may match `text` with a match that starts at
    /// its start (`None`: none can); a match elsewhere may go unnamed. For
    /// kinds without a screen of their own, [`RuleSet::candidates`].
    pub fn candidates_at_start(&self, kind: RuleKind, text: &str) -> Option<Candidates<'_>> {
        match kind {
            RuleKind::Metadata => self.metadata_start.candidates(&self.rules, text),
            _ => self.candidates(kind, text),
        }
    }

    /// The rules of `kind` among `candidates` that a block of `words` words
    /// is within, in file order, not matched yet: the rules
    /// [`RuleSet::matching_in`] would try.
    pub fn named_in<'a>(
        &'a self,
        candidates: &'a Candidates<'a>,
        kind: RuleKind,
        words: usize,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        // The kind's rules (in file order, which is index order) that the
        // screen named, a word of bits at a time.
        let of = self.kinds.get(&kind).filter(|ks| words <= ks.max_words).map_or(&NO_BITS, |ks| &ks.mask);
        Among { within: candidates.rules.as_ref(), of, next_word: 0, word: 0 }
            .map(move |i| &self.rules[i])
            .filter(move |r| words <= r.max_words)
    }

    /// The one rule of `kind` among `candidates`, if there is one only and
    /// it is a `prefix` rule allowing a word or more: whatever the block's
    /// length, [`RuleSet::named_in`] or [`RuleSet::long_prefix_named_in`]
    /// names it, and nothing else, so its words need not be counted.
    pub fn lone_prefix<'a>(&'a self, candidates: &Candidates<'_>, kind: RuleKind) -> Option<&'a Rule> {
        let of = self.kinds.get(&kind).map_or(&NO_BITS, |ks| &ks.mask);
        let mut named = Among { within: candidates.rules.as_ref(), of, next_word: 0, word: 0 };
        let r = &self.rules[named.next()?];
        (named.next().is_none() && r.prefix && r.max_words >= 1).then_some(r)
    }

    /// The `prefix` rules of `kind` among `candidates` that a block of
    /// `words` words is longer than, not matched yet: the rules
    /// [`RuleSet::matching_long_prefix_in`] would try.
    pub fn long_prefix_named_in<'a>(
        &'a self,
        candidates: &'a Candidates<'a>,
        kind: RuleKind,
        words: usize,
    ) -> impl Iterator<Item = &'a Rule> + 'a {
        self.among(&self.prefix_rules, |i| candidates.may(i), move |r| r.kind == kind && words > r.max_words)
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
        self.named_in(candidates, kind, words).filter(move |r| r.is_match(text))
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

    /// Whether a rules file of the language `lang` has timestamp rules of its
    /// own (rule names are `LANG.NAME`): its relative timestamps are named,
    /// so a shape that no rule matched is not one.
    pub fn knows_timestamps(&self, lang: &str) -> bool {
        self.kinds.get(&RuleKind::Timestamp).is_some_and(|ks| {
            ks.rules.iter().any(|&i| self.rules[i].name.split_once('.').is_some_and(|(l, _)| l == lang))
        })
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
        self.long_prefix_named_in(candidates, kind, words).filter(move |r| r.is_match(text))
    }

    /// The first rule of `kind` that matches.
    pub fn first<'a>(&'a self, kind: RuleKind, text: &'a str, words: usize) -> Option<&'a Rule> {
        self.matching(kind, text, words).next()
    }

    /// The union of the timestamp patterns anchored at the start, compiled
    /// on first use: [`RuleSet::after_leading_timestamp`] needs the match
    /// of the whole alternation, as written.
    fn anchored_start(&self) -> Option<&Forward> {
        self.anchored_start
            .get_or_init(|| {
                let ts: Vec<&str> =
                    self.rules.iter().filter(|r| r.kind == RuleKind::Timestamp).map(|r| r.pattern()).collect();
                (!ts.is_empty()).then(|| Forward::new(anchored_start_pattern(&ts)))
            })
            .as_ref()
    }

    /// The text after a relative timestamp that opens `text`, if one does.
    pub fn after_leading_timestamp<'t>(&self, text: &'t str) -> Option<&'t str> {
        // No screen first: the anchored search dies within a few bytes where
        // no timestamp opens the text, sooner than a screen pass.
        self.anchored_start()?.anchored_end(text).map(|end| &text[end..])
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
        self.timestamp_forms(|_, rule| candidates.may(rule), text, false)
    }

    /// Whether the block is only a relative timestamp: [`Self::timestamp_in`]
    /// is [`TimestampAt::Whole`], without trying (or building) the start
    /// and end forms.
    pub fn timestamp_whole_in(&self, candidates: &Candidates<'_>, text: &str) -> bool {
        self.timestamp_forms(|_, rule| candidates.may(rule), text, true) == TimestampAt::Whole
    }

    /// The timestamp rules that `candidates` (of the body screen) name, kept
    /// after the candidates are gone; `None` when there are too many rules
    /// for the mask.
    pub fn timestamp_rules(&self, candidates: &Candidates<'_>) -> Option<TimestampRules> {
        (self.anchored.len() <= 64).then(|| {
            let mut mask = 0u64;
            for (k, (rule, _)) in self.anchored.iter().enumerate() {
                mask |= u64::from(candidates.may(*rule)) << k;
            }
            TimestampRules(mask)
        })
    }

    /// [`RuleSet::timestamp`] of a text whose candidate timestamp rules are
    /// known: the same answer, without screening the text again.
    pub fn timestamp_among(&self, rules: TimestampRules, text: &str) -> TimestampAt {
        if rules == TimestampRules::NONE {
            return TimestampAt::None;
        }
        self.timestamp_forms(|k, _| rules.0 >> k & 1 == 1, text, false)
    }

    /// [`RuleSet::first`] of the timestamp rules, for a text whose candidate
    /// timestamp rules are known: the same rule, without a screen.
    pub fn first_timestamp_among(&self, rules: TimestampRules, text: &str, words: usize) -> Option<&Rule> {
        if self.kinds.get(&RuleKind::Timestamp).is_none_or(|ks| words > ks.max_words) {
            return None;
        }
        self.anchored
            .iter()
            .enumerate()
            .filter(|&(k, _)| rules.0 >> k & 1 == 1)
            .map(|(_, (rule, _))| &self.rules[*rule])
            .find(|r| words <= r.max_words && r.is_match(text))
    }

    /// `may(k, rule)`: whether timestamp rule number `k` (rule `rule` of the
    /// set) is a candidate.
    fn timestamp_forms(&self, may: impl Fn(usize, usize) -> bool, text: &str, only_whole: bool) -> TimestampAt {
        let (mut whole, mut start, mut end) = (false, false, false);
        let long = text.len() > 400;
        let reach = Reach::of(text);
        for (k, (rule, cell)) in self.anchored.iter().enumerate() {
            // The forms are searched from the end they are anchored at,
            // where a text that is no match fails within a few characters
            // (the pattern itself, asked first, was a search of the whole
            // text for every rule the literal screen guessed).
            if !may(k, *rule) {
                continue;
            }
            let a = cell.get_or_init(|| {
                let [whole, start, end] = anchored_forms(self.rules[*rule].pattern()).map(Forward::new);
                Anchored { whole, start, end }
            });
            // Only the ends matter in a long text; skip the whole-block test.
            // A form that can no longer change the answer is not tried (nor
            // its automaton read): whole beats start, start beats end.
            if !long && a.whole.is_match(text, reach) {
                whole = true;
                break;
            }
            if only_whole {
                continue;
            }
            start = start || a.start.is_match(text, reach);
            end = end || (!start && a.end.is_match(text, reach));
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

/// The timestamp rules that a screen named as candidates for one text, a
/// bit per rule (see [`RuleSet::timestamp_rules`]): a block screened once by
/// the body screen is asked again where a timestamp sits without a second
/// screen. The timestamp forms depend only on which rules match, so any
/// set of candidates that holds those gives the same answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampRules(u64);

impl TimestampRules {
    /// A text that the screen cleared of every timestamp rule.
    pub const NONE: TimestampRules = TimestampRules(0);
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
    fn the_screen_files_stopword_table_is_current_and_read_as_made() {
        let (slow, key) = RuleSetBuilder::builtin_with_table(&[]);
        let want = slow.stopwords.table(key);
        if std::env::var_os("NEWSCLEAN_WRITE_SCREEN").is_some() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
            std::fs::write(dir.join("stopwords.bin"), &want).unwrap();
        } else {
            assert!(
                BUILTIN_STOPWORD_TABLE == want,
                "rules/stopwords.bin is stale: run NEWSCLEAN_WRITE_SCREEN=1 cargo test --lib screen_file"
            );
        }
        let fast = RuleSetBuilder::builtin_with_table(&want).0.stopwords;
        assert!(!slow.stopwords.words.is_empty() && fast.table(key) == want);
        assert_eq!(
            (&fast.langs, &fast.names, fast.max_len),
            (&slow.stopwords.langs, &slow.stopwords.names, slow.stopwords.max_len)
        );
        // A table made from other lists, or cut short, is not read.
        let mut s = Stopwords::default();
        assert!(!s.read_table(&want, key ^ 1) && !s.read_table(&want[..want.len() - 1], key) && s.words.is_empty());
        assert!(s.read_table(&want, key) && s.mask("the") != 0);
    }

    #[test]
    fn literal_columns_round_trip_and_reject_garbage() {
        let set = vec![b"ad".to_vec(), vec![0x00, 0xc3, 0xa9, 0xff], b"X".to_vec()];
        let col = encode_literals(&set);
        assert_eq!(col, "6164,00c3a9ff,58");
        assert_eq!(decode_literals(&col), Some(set));
        assert_eq!(decode_literals("6F,AB"), Some(vec![vec![0x6f], vec![0xab]]));
        for bad in ["", "6", "61,", "6g", "+f", "é1", "61,,62"] {
            assert_eq!(decode_literals(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_stop_table_answers_as_a_map_does() {
        let mut t = StopTable::default();
        let mut want = std::collections::HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        // A hash of 0, top bits alike (one probe run), and growth past 16.
        let hashes: Vec<u64> = [0, 1, 2, 3]
            .into_iter()
            .chain((0..3000).map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            }))
            .collect();
        for (i, &h) in hashes.iter().enumerate() {
            let m = 1u64 << (i % 7);
            t.add(h, m);
            *want.entry(h).or_insert(0) |= m;
            if i % 3 == 0 {
                t.add(h, 1 << 40);
                *want.entry(h).or_insert(0) |= 1 << 40;
            }
        }
        assert_eq!(t.len, want.len());
        for (&h, &m) in &want {
            assert_eq!(t.get(h), m);
            assert_eq!(t.get(h ^ 1 << 63), want.get(&(h ^ 1 << 63)).copied().unwrap_or(0));
        }
        assert_eq!(StopTable::default().get(0), 0);
        let mut rows: Vec<_> = t.iter().collect();
        rows.sort_unstable();
        let mut want: Vec<_> = want.into_iter().collect();
        want.sort_unstable();
        assert_eq!(rows, want);
    }

    #[test]
    fn stop_hashes_of_short_words_are_distinct_and_chunked() {
        assert_eq!(stop_hash("a"), u64::from(b'a').wrapping_mul(STOP_K));
        assert_ne!(stop_hash("abcdefgh"), stop_hash("abcdefgh\0"));
        assert_eq!(stop_hash_folded(b"HeLLo9", 0x2020_2020_2020_2020), stop_hash("hello9"));
        assert_eq!(stop_hash_folded(b"ABCDEFGHIJKLMNOPQ", 0x2020_2020_2020_2020), stop_hash("abcdefghijklmnopq"));
    }

    #[test]
    fn stopwords_fold_ascii_and_other_letters_alike() {
        let mut s = Stopwords::default();
        s.add("xx", None, "The und ÉTÉ été ǅ").unwrap();
        for w in ["the", "und", "été", "ǆ"] {
            assert_eq!(s.mask(w), 1, "{w:?}");
        }
        assert_eq!(s.mask("The"), 0);
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
        // A block's word count leaves out only rules that it is too long for:
        // the first rule of each kind, and the timestamp forms, are the same.
        let mut left_out = 0usize;
        for b in &blocks {
            let w = crate::features::words(&b.text).count().max(1);
            let (all, within) = (rs.candidates(RuleKind::Ad, &b.text), rs.candidates_within(RuleKind::Ad, &b.text, w));
            left_out += usize::from(all.is_some() && within.is_none());
            let Some(all) = all else {
                assert!(within.is_none());
                continue;
            };
            let within = within.unwrap_or_else(Candidates::none);
            for kind in BODY_KINDS {
                let name = |c| rs.first_in(c, kind, &b.text, w).map(|r| r.name.clone());
                assert_eq!(name(&all), name(&within), "{kind:?}: {:?}", b.text);
            }
            assert_eq!(rs.timestamp_in(&all, &b.text), rs.timestamp_in(&within, &b.text), "{:?}", b.text);
            let ts = rs.timestamp_rules(&within).unwrap();
            assert_eq!(rs.timestamp_among(ts, &b.text), rs.timestamp(&b.text), "{:?}", b.text);
            let first = rs.first(RuleKind::Timestamp, &b.text, 1).map(|r| &r.name);
            assert_eq!(rs.first_timestamp_among(ts, &b.text, 1).map(|r| &r.name), first, "{:?}", b.text);
        }
        assert!(left_out < blocks.len());
        // A 70-word block that opens like a correction request (a rule of
        // at most 40 words, screened by an automaton): named by the screen,
        // left out for its length, matched by neither.
        let text = format!("Spotted an error in the report on {}", "the harbour works and the new bridge ".repeat(9));
        let w = crate::features::words(&text).count();
        let rule = rs.rules().iter().position(|r| r.name == "en.footer.correction").unwrap();
        assert!(w > rs.rules()[rule].max_words && w <= 80, "{w} words");
        assert!(rs.candidates(RuleKind::Ad, &text).is_some_and(|c| c.may(rule)));
        assert!(!rs.candidates_within(RuleKind::Ad, &text, w).is_some_and(|c| c.may(rule)));
        assert!(rs.first(RuleKind::Footer, &text, w).is_none());
    }

    #[test]
    fn screens_searched_back_from_the_end_answer_as_forwards() {
        // The patterns anchored at the end, searched as they were before (one
        // forward unanchored union) and as now (backwards from the end),
        // give the same answer and the same patterns on every text.
        let rs = RuleSet::builtin();
        let mut texts = fixture_blocks();
        let credits = ["Fot. Jan Kowalski/PAP", "Kuva: Matti Virtanen / Lehtikuva", "Snímek: Petr Novák, ČTK"];
        for c in credits {
            texts.extend([c.to_owned(), format!("Ein Bild vom Hafen. {c}"), format!("{c}."), format!("{c} ")]);
            texts.extend([format!("Ünd dann. {c}"), format!("{}{c}", "Lorem ipsum dolor sit amet. ".repeat(4000))]);
        }
        texts.extend(["", " ", "/", ".", "É", "Foto: ", "a. Bc: D/E", "\u{1F600}. Ab: Ø/ÆØ"].map(str::to_owned));
        let n = texts.len();
        for i in 0..n {
            // Tails of each block (char boundaries), so that a credit closing
            // a text is met in many contexts.
            let t = texts[i].clone();
            if t.len() > 2000 {
                continue;
            }
            texts.extend(t.char_indices().step_by(7).map(|(k, _)| t[k..].to_owned()));
        }
        let mut checked = 0;
        for screen in [&rs.body, &rs.timestamp_screen].into_iter().chain(rs.others.values()) {
            let Some(([_, _, at_end], _)) = screen.hirs(&rs.rules) else { continue };
            if at_end.is_empty() {
                continue;
            }
            let forward = screen_dfa(union_nfa(&at_end, false).unwrap(), false).unwrap();
            let back = screen_dfa(union_nfa(&at_end, true).unwrap(), true).unwrap();
            let made = screen.get(&rs.rules).at_end.clone().expect("read from rules/nfa.bin");
            assert!(made.reverse && back.reverse && !forward.reverse);
            let (mut hits, len) = (0, at_end.len());
            for t in &texts {
                let want = forward.is_match(t).unwrap();
                hits += usize::from(want);
                let mut set = regex_automata::PatternSet::new(len);
                forward.which(t, &mut set).unwrap();
                for d in [&back, &made] {
                    assert_eq!(d.is_match(t), Some(want), "{t:?}");
                    let mut got = regex_automata::PatternSet::new(len);
                    d.which(t, &mut got).unwrap();
                    assert_eq!(got, set, "{t:?}");
                }
            }
            assert!(hits > 10 && hits < texts.len() / 2, "{hits} of {} texts", texts.len());
            checked += 1;
        }
        assert!(checked >= 1, "the body screen has patterns anchored at the end");
    }

    #[test]
    fn literal_tables_made_ahead_find_what_the_automaton_found() {
        // Each built-in literal screen's table is read from `rules/nfa.bin`
        // and finds, on every fixture block, what aho-corasick's DFA found.
        let rs = RuleSet::builtin();
        let mut texts = fixture_blocks();
        texts.extend([String::new(), "©/".into(), "Ünïcødé ſ K".into(), "Share ".repeat(20000)]);
        for s in [&rs.body, &rs.timestamp_screen, &rs.others[&RuleKind::Metadata]] {
            let strings = &s.get(&rs.rules).literals.strings;
            let made = litdfa::LitDfa::decode(nfacode::Table(BUILTIN_NFA).get(litdfa::key(strings)).unwrap()).unwrap();
            let old = aho_corasick::dfa::DFA::builder()
                .ascii_case_insensitive(true)
                .match_kind(aho_corasick::MatchKind::Standard)
                .build(strings)
                .unwrap();
            let mut hits = 0;
            for t in &texts {
                let (mut a, mut b) = (Vec::new(), Vec::new());
                each_literal(&old, t.as_bytes(), |k| a.push(k));
                made.each(t.as_bytes(), |k| b.push(k));
                hits += a.len();
                assert_eq!(a, b, "{t:.60}");
            }
            assert!(hits > 100, "{hits}");
        }
    }

    #[test]
    fn the_screen_file_is_current() {
        let mut b = RuleSetBuilder::new();
        for (lang, text) in BUILTIN {
            b.add_compiled(compile_file(text, lang, true).unwrap()).unwrap();
        }
        let want = screen_file(&b.rules);
        // The NFAs of the screens as they will be read, from `want`.
        let mut fresh = RuleSetBuilder { rules: b.rules.clone(), stopwords: Stopwords::default() };
        attach_screens(&mut fresh.rules, Box::leak(want.clone().into_boxed_str()));
        let want_nfa = nfa_file(&fresh.build().unwrap());
        let want_parsed = parsed_file();
        if std::env::var_os("NEWSCLEAN_WRITE_SCREEN").is_some() {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
            std::fs::write(dir.join("screen.txt"), &want).unwrap();
            std::fs::write(dir.join("nfa.bin"), &want_nfa).unwrap();
            std::fs::write(dir.join("builtin.json"), &want_parsed).unwrap();
        } else {
            assert!(
                BUILTIN_SCREEN == want && BUILTIN_NFA == want_nfa && BUILTIN_PARSED == want_parsed,
                "rules/screen.txt, rules/nfa.bin or rules/builtin.json is stale: \
                 run NEWSCLEAN_WRITE_SCREEN=1 cargo test --lib screen_file"
            );
        }
        // The files parsed ahead are read as their TOML is.
        let mut parsed: Vec<Option<ParsedEntry>> =
            serde_json::from_str::<Vec<ParsedEntry>>(&want_parsed).unwrap().into_iter().map(Some).collect();
        for (i, (lang, text)) in BUILTIN.iter().enumerate() {
            let (a, b) = (builtin_file(&mut parsed, i, text, lang).unwrap(), compile_file(text, lang, false).unwrap());
            assert_eq!((&a.lang, &a.name, &a.stopwords), (&b.lang, &b.name, &b.stopwords));
            let key = |r: &Rule| {
                format!(
                    "{} {:?} {} {:?} {} {} {} {}",
                    r.name, r.kind, r.max_words, r.field, r.run, r.require_repeat, r.prefix, r.pattern
                )
            };
            assert_eq!(a.rules.iter().map(key).collect::<Vec<_>>(), b.rules.iter().map(key).collect::<Vec<_>>());
        }
        // Every built-in rule takes its screen from the file.
        let rs = RuleSet::builtin();
        assert!(rs.rules().iter().all(|r| !matches!(r.screen, ScreenPattern::FromPattern)));
        // And every screen of theirs, and the timestamp forms, from `rules/nfa.bin`.
        for s in [&rs.body, &rs.timestamp_screen, &rs.others[&RuleKind::Metadata]] {
            assert!(s.made_ahead(&rs.rules).is_some());
        }
        let start = &rs.metadata_start;
        for k in 0..2 {
            let key = start_key(&rs.rules, &start.rules, k);
            assert!(nfacode::Table(BUILTIN_NFA).get(key).and_then(nfacode::decode).is_some());
        }
        let ts: Vec<&str> = rs.rules.iter().filter(|r| r.kind == RuleKind::Timestamp).map(|r| r.pattern()).collect();
        assert!(MadeAhead::Pattern(&anchored_start_pattern(&ts)).dfa().is_some());
        assert!(ts.iter().flat_map(|p| anchored_forms(p)).all(|p| MadeAhead::Pattern(&p).dfa().is_some()));
    }

    #[test]
    fn whole_timestamp_answers_as_timestamp_in() {
        let rules = RuleSet::builtin();
        let mut wholes = 0;
        for t in [
            "7 minutes ago",
            "3 hours ago Storm closes the bridge",
            "Storm closes the bridge 3 hours ago",
            "7 minuten geleden",
            "for 2 timer siden",
            "il y a 5 minutes",
            "vor 3 Stunden",
            "hace 2 horas",
            "The bridge closed 3 hours ago, the police said.",
            "",
        ] {
            let Some(c) = rules.candidates(RuleKind::Timestamp, t) else { continue };
            let whole = rules.timestamp_in(&c, t) == TimestampAt::Whole;
            wholes += whole as usize;
            assert_eq!(rules.timestamp_whole_in(&c, t), whole, "{t:?}");
        }
        assert!(wholes >= 4, "the cases must include whole timestamps ({wholes})");
    }

    #[test]
    fn dfas_made_ahead_answer_as_the_regexes_do() {
        let rs = RuleSet::builtin();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
        let mut texts = vec![String::new(), "é".into(), "3 hours ago".into(), " — 12 min. siden".into()];
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            texts.extend(crate::blocks::segment(&crate::input::normalize(&text)).into_iter().map(|b| b.text));
        }
        // The same blocks of each larger reach: a dash makes them Latin, a
        // CJK character Full (the fixtures have blocks of every reach).
        let n = texts.len();
        for i in 0..n {
            texts.push(format!("{} —", texts[i]));
            texts.push(format!("日 {}", texts[i]));
        }
        let reaches = |r: Reach| texts.iter().filter(|t| Reach::of(t) == r).count();
        assert!([Reach::Ascii, Reach::Latin, Reach::Full].iter().all(|&r| reaches(r) > 100));
        let (mut with_dfa, mut hits, mut cut) = (0, 0, [0, 0]);
        for r in rs.rules() {
            // The NFAs cut down to a reach answer as the regex within it.
            let re = Regex::new(r.pattern()).unwrap();
            for reach in [Reach::Ascii, Reach::Latin] {
                let Some(d) = MadeAhead::Within(r.pattern(), reach).dfa() else { continue };
                cut[reach as usize] += 1;
                for t in texts.iter().filter(|t| Reach::of(t) <= reach) {
                    assert_eq!(d.is_match(t), Some(re.is_match(t)), "{} within {reach:?}: {t:?}", r.name);
                }
            }
            let Some(d) = MadeAhead::Pattern(r.pattern()).dfa() else { continue };
            with_dfa += 1;
            let wide = match r.screen {
                ScreenPattern::Given(p) => MadeAhead::Widened(p).dfa(),
                _ => None,
            };
            assert!(wide.is_some(), "{}: no widened DFA made ahead", r.name);
            for t in &texts {
                let m = re.is_match(t);
                hits += usize::from(m);
                assert_eq!(d.is_match(t), Some(m), "{}: {t:?}", r.name);
                assert!(!m || wide.as_ref().and_then(|w| w.is_match(t)) != Some(false), "{}: {t:?}", r.name);
                assert_eq!(r.is_match(t), m, "{}: {t:?}", r.name);
            }
        }
        assert!(with_dfa > 100 && hits > 50, "{with_dfa} rules, {hits} matches");
        assert!(cut[0] > 100 && cut[1] > 100, "cut-down NFAs made ahead: {cut:?}");
        // The union anchored at the start: the same match end.
        let ts: Vec<&str> = rs.rules.iter().filter(|r| r.kind == RuleKind::Timestamp).map(|r| r.pattern()).collect();
        let p = anchored_start_pattern(&ts);
        let (f, re) = (Forward::new(p.clone()), Regex::new(&p).unwrap());
        assert!(["", "—", "日"].iter().all(|t| f.dfa(t).is_some()));
        let mut ends = 0;
        for t in &texts {
            let want = re.find(t).map(|m| m.end());
            ends += usize::from(want.is_some());
            assert_eq!(f.anchored_end(t), want, "{t:?}");
        }
        assert!(ends > 5, "{ends} texts open with a timestamp");
        // The reverse NFAs of the patterns anchored at the end only (rules'
        // and the timestamps' end forms), searched back from the end: the
        // regex's answer on every text within their reach, a credit or a
        // timestamp that ends the text found, one followed by more text not.
        texts.extend(
            ["Photo: Jane Doe/Reuters", "JANE DOE / AFP", "Posted 3 hours ago.", "Siden 3 timer siden", "x 2 godziny temu"]
                .into_iter()
                .flat_map(|t| [t.to_owned(), format!("{t} and the minister said more"), format!("{t}\n")]),
        );
        let forms = ts.iter().flat_map(|p| anchored_forms(p));
        let (mut reversed, mut hits) = (0, 0);
        for p in rs.rules().iter().map(|r| r.pattern().to_owned()).chain(forms) {
            let re = Regex::new(&p).unwrap();
            let Some(d) = MadeAhead::Reversed(&p).dfa() else {
                // Only a pattern anchored at the end only is reversed.
                let h = regex_syntax::parse(&p).unwrap();
                assert!(automaton_of(&h) != 2 || has_word_boundary(&p), "{p}: not reversed");
                continue;
            };
            reversed += 1;
            for t in texts.iter().filter(|t| Reach::of(t) <= Reach::Latin) {
                let m = re.is_match(t);
                hits += usize::from(m);
                assert_eq!(d.is_match(t), Some(m), "{p} reversed: {t:?}");
            }
        }
        assert!(reversed > 30 && hits > 50, "{reversed} reversed, {hits} matches");
    }

    #[test]
    fn opening_bytes_hold_the_first_byte_of_every_match() {
        let nfa = |ps: &[&str], rev: bool| {
            union_nfa(&ps.iter().map(|p| regex_syntax::parse(p).unwrap()).collect::<Vec<_>>(), rev).unwrap()
        };
        let has = |set: &[u64; 4], c: u8| set[usize::from(c >> 6)] >> (c & 63) & 1 == 1;
        let (fwd, rev) = ([r"^(?i:by)\s+\p{Lu}", r"(?i:source):", r"\bÆ"], [r"^\p{Lu}[\p{L} ]{1,30}\s+avec\s+AFP$"]);
        let (opens, closes) = (opening_bytes(&nfa(&fwd, false)).unwrap(), opening_bytes(&nfa(&rev, true)).unwrap());
        for t in ["By Jane", "bY X", "Source:", "sOURCE:", "Ærø", "ſource:"] {
            assert!(fwd.iter().any(|p| Regex::new(p).unwrap().is_match(t)), "{t}");
            assert!(has(&opens, t.as_bytes()[0]), "{t}");
        }
        for t in ["Jean Dupont avec AFP", "Élise avec  AFP"] {
            assert!(Regex::new(rev[0]).unwrap().is_match(t), "{t}");
            assert!(has(&closes, *t.as_bytes().last().unwrap()), "{t}");
        }
        assert!(!has(&opens, b'T') && !has(&opens, b' ') && !has(&closes, b'.') && !has(&closes, b'p'));
        // A pattern that matches the empty text opens with no byte in particular.
        assert_eq!(opening_bytes(&nfa(&["^x*"], false)), None);
    }

    #[test]
    fn metadata_rules_without_a_keyword_are_searched_from_the_end() {
        let rs = RuleSet::builtin();
        let back: Vec<&str> = rs
            .rules()
            .iter()
            .filter(|r| r.kind == RuleKind::Metadata && from_end(r))
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(back, ["en.metadata.dateline", "fr.metadata.source-avec"]);
    }

    #[test]
    fn find_value_answers_as_the_regex_captures() {
        let rs = RuleSet::builtin();
        let mut texts: Vec<String> = [
            "By Jane Doe",
            "Af Søren Ørsted",
            "Par Jérôme Dupont — AFP",
            "Von 日本 Tanaka",
            "By 日本 Tanaka",
            "Source: 日本 Times 😀",
            "",
        ]
        .map(String::from)
        .to_vec();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
        for e in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
            let blocks = crate::blocks::segment(&crate::input::normalize(&text));
            // The edge blocks, where metadata rules are asked.
            let n = blocks.len();
            texts.extend(blocks.into_iter().enumerate().filter(|(i, _)| *i < 4 || i + 3 >= n).map(|(_, b)| b.text));
        }
        let (mut found, mut valued) = (0, 0);
        for r in rs.rules().iter().filter(|r| r.kind == RuleKind::Metadata) {
            for t in &texts {
                let want = r.regex().captures(t).map(|c| {
                    let m = c.get(0).unwrap().range();
                    (m.clone(), c.name("value").map_or(m, |v| v.range()))
                });
                found += usize::from(want.is_some());
                valued += usize::from(want.as_ref().is_some_and(|(m, v)| m != v));
                assert_eq!(r.find_value(t), want, "{}: {t:?}", r.name);
                let at_start = want.clone().filter(|(m, _)| m.start == 0);
                assert_eq!(r.find_value_at_start(t), at_start, "{}: {t:?} from the start", r.name);
            }
        }
        assert!(found > 20 && valued > 10, "{found} matches, {valued} with a value");
    }

    #[test]
    fn among_lists_the_common_members_in_order() {
        let set = |v: &[usize]| {
            let mut b = Bits::default();
            v.iter().for_each(|&i| b.insert(i));
            b
        };
        let (of, within) = (set(&[0, 3, 63, 64, 200, 255, 256, 300, 700]), set(&[3, 64, 65, 256, 700, 900]));
        let among = |w: Option<&Bits>| Among { within: w, of: &of, next_word: 0, word: 0 }.collect::<Vec<_>>();
        assert_eq!(among(None), [0, 3, 63, 64, 200, 255, 256, 300, 700]);
        assert_eq!(among(Some(&within)), [3, 64, 256, 700]);
        assert_eq!(among(Some(&NO_BITS)), Vec::<usize>::new());
        assert_eq!(Among { within: None, of: &NO_BITS, next_word: 0, word: 0 }.count(), 0);
    }

    /// What [`Screen::candidates_within`] was before its parts inserted
    /// into the candidates directly: a set per part, mapped after. `None`:
    /// no candidate; `Some(None)`: every rule.
    fn old_candidates_within(screen: &Screen, all: &[Rule], text: &str, words: Option<usize>) -> Option<Option<Bits>> {
        if screen.rules.is_empty() {
            return None;
        }
        let s = screen.get(all);
        if s.broken {
            return Some(None);
        }
        let part = |d: &Option<std::sync::Arc<ScreenDfa>>, k: usize| -> Option<Bits> {
            match d {
                _ if words.is_some_and(|w| w > s.bounds[k]) => Some(Bits::default()),
                Some(d) => match d.is_match(text) {
                    Some(false) => Some(Bits::default()),
                    _ => {
                        let mut set = regex_automata::PatternSet::new(d.pattern_len());
                        d.which(text, &mut set).map(|()| Bits::from_set(&set))
                    }
                },
                None => Some(Bits::default()),
            }
        };
        let (an, en, un) = (part(&s.anchored, 1), part(&s.at_end, 4), part(&s.re, 0));
        let Some(((an, en), un)) = an.zip(en).zip(un) else {
            return Some(None);
        };
        let within = |k: usize| words.is_none_or(|w| w <= s.bounds[k]);
        let ph = if within(2) { s.phrases.matches(text) } else { Bits::default() };
        let lit = if within(3) { s.literals.matches(text) } else { Bits::default() };
        let mut rules = s.outside.clone();
        for (part, set) in [un, an, ph, lit, en].iter().enumerate() {
            set.for_each(|p| rules.insert(s.rule_of[part][p] as usize));
        }
        (!rules.is_empty()).then_some(Some(rules))
    }

    /// Texts made of the screens' own literals and phrases, cased and cut
    /// at random, among words, digits, punctuation and non-ASCII letters
    /// (`ſ` and the Kelvin sign fold to ASCII).
    fn screen_texts(rs: &RuleSet, n: usize) -> Vec<String> {
        let mut pieces: Vec<String> = ["Share", "Foto:", "By Jane Doe", "af", "12:30", "2024-01-05", "–", "»", "©"]
            .iter()
            .chain(&["ſ", "\u{212a}", "ü", "Ę", " ", "  ", "\n", ".", "/", "|", "(", "Czytaj też", "Źródło: PAP", "x"])
            .map(|s| s.to_string())
            .collect();
        for screen in [&rs.body, &rs.timestamp_screen, &rs.others[&RuleKind::Metadata]] {
            let s = screen.get(&rs.rules);
            pieces.extend(s.literals.strings.iter().filter_map(|l| String::from_utf8(l.clone()).ok()));
            pieces.extend(s.phrases.keys.keys().cloned());
        }
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n)
            .map(|_| {
                let mut t = String::new();
                for _ in 0..next() % 12 {
                    let p = &pieces[next() as usize % pieces.len()];
                    let p = match next() % 4 {
                        0 => p.to_uppercase(),
                        1 => p.chars().skip(1).collect(),
                        _ => p.clone(),
                    };
                    t.push_str(&p);
                    if next() % 3 > 0 {
                        t.push(' ');
                    }
                }
                t
            })
            .collect()
    }

    #[test]
    fn screens_name_the_candidates_the_old_screens_named() {
        let rs = RuleSet::builtin();
        let mut texts = fixture_blocks();
        texts.extend(screen_texts(&rs, 3000));
        texts.extend([String::new(), " ".into(), "ſ".into(), "Share ".repeat(200), "Foto: Jan Kowalski/PAP".into()]);
        let screens = [&rs.body, &rs.timestamp_screen, &rs.others[&RuleKind::Metadata]];
        let list = |c: Option<Option<Bits>>| {
            c.map(|c| {
                c.map(|b| {
                    let mut v = Vec::new();
                    b.for_each(|i| v.push(i));
                    v
                })
            })
        };
        let (mut named, mut all) = (0, 0);
        // Twice: before and after the literal screens' automata take over.
        for round in 0..2 {
            for t in &texts {
                for s in screens {
                    for words in [None, Some(1), Some(8), Some(13), Some(21), Some(41), Some(61), Some(90)] {
                        let new = s.candidates_within(&rs.rules, t, words).map(|c| c.rules);
                        let old = old_candidates_within(s, &rs.rules, t, words);
                        named += usize::from(new.as_ref().is_some_and(|c| c.is_some()));
                        all += usize::from(new.as_ref().is_some_and(|c| c.is_none()));
                        assert_eq!(list(new), list(old), "round {round}, {words:?}: {t:.80?}");
                    }
                }
            }
            assert!(screens.iter().all(|s| s.get(&rs.rules).literals.automaton.get().is_some()), "{round}");
        }
        assert!(named > 5000 && all == 0, "{named} named, {all} all");
    }

    #[test]
    fn the_literal_screen_finds_every_literal() {
        let mut s = LiteralScreen::default();
        let (a, b) = (s.add(vec![b"photo".to_vec(), b"/".to_vec()]), s.add(vec!["©".into(), b"reuters".to_vec()]));
        let s = s.build();
        let hit = |t: &str| {
            let m = s.matches(t);
            let has = |r: u32| m.contains(r as usize);
            (has(a), has(b))
        };
        assert_eq!(hit("A PHOTO here"), (true, false));
        assert_eq!(hit("REUTERS/Jane"), (true, true));
        assert_eq!(hit("© Jane"), (false, true));
        assert_eq!(hit("pho to, reuter"), (false, false));
        assert_eq!(hit("ph"), (false, false));
        assert_eq!(hit(""), (false, false));
        // A letter that folds to ASCII: every rule is a candidate.
        assert_eq!((hit("ſ"), hit("x \u{212a}")), ((true, true), (true, true)));
        assert!(literals::FOLDS_TO_ASCII.iter().all(|c| folds_to_ascii(c.to_string().as_bytes())));
        assert!(!folds_to_ascii("Å ’ “ ĕ".as_bytes()));
        // Matches no more than a substring search of the folded text says.
        let texts = ["photograph", "xphotox", "a/b", "Reut", "Photo\u{a9}", "PhOtO ReUtErS", "p/h", "REUTERS"];
        let want = |t: &str| {
            let low = t.to_ascii_lowercase();
            (low.contains("photo") || low.contains('/'), low.contains('©') || low.contains("reuters"))
        };
        for t in texts {
            assert_eq!(hit(t), want(t), "{t:?}");
        }
        // Past CORPUS_SEARCHES the automaton answers, and answers the same.
        assert!(s.automaton.get().is_none());
        for _ in 0..CORPUS_SEARCHES {
            hit("Photo");
        }
        for t in texts.iter().chain(&["A PHOTO here", "© Jane", "pho to, reuter", "ph", ""]) {
            assert_eq!(hit(t), want(t), "{t:?}");
        }
        assert!(s.automaton.get().is_some_and(|a| a.is_some()), "the automaton was built");
        assert_eq!((hit("ſ"), hit("x \u{212a}")), ((true, true), (true, true)));
    }

    #[test]
    fn folding_remembered_answers_as_the_class_does() {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let slow = |c: char| {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            class.ranges().first().map_or(c, |r| r.start())
        };
        // Asked twice: once worked out, once remembered; and past the memo.
        let chars = (0x80..0x2300).filter_map(char::from_u32).chain(['\u{10400}', '\u{1e900}', '\u{ff21}']);
        for c in chars {
            assert_eq!((fold_char(c), fold_char(c)), (slow(c), slow(c)), "{c:?}");
        }
    }

    #[test]
    fn phrases_bound_the_phrase_screen_by_their_words() {
        // The screen asks the phrases only of blocks of as many words as
        // the longest phrase: a block equal to a phrase once folded has its
        // words, as folding maps no letter or digit to anything else.
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            assert_eq!(fold_char(c).is_alphanumeric(), c.is_alphanumeric(), "{c:?}");
        }
        let rs = RuleSet::builtin();
        let s = rs.body.get(&rs.rules);
        assert!(s.bounds[2] < 20, "{:?}", s.bounds);
        // "Back to top" is named in a block of its three words (the rule
        // allows 60), and not asked of a four-word block.
        let nav = rs.rules().iter().position(|r| r.name == "en.footer.nav").unwrap();
        assert!(rs.rules()[nav].max_words >= 20);
        let words = |t: &str| crate::features::words(t).count();
        let named = |t: &str| rs.candidates_within(RuleKind::Footer, t, words(t)).is_some_and(|c| c.may(nav));
        assert!(named("— BACK TO TOP ↑"));
        assert_eq!(rs.first(RuleKind::Footer, "— BACK TO TOP ↑", 3).map(|r| r.name.as_str()), Some("en.footer.nav"));
        assert!(!named("Back to top stories"));
        // A phrase of no words (all its characters neither edge nor letter)
        // still bounds the screen at one word, the least a block is given.
        let mut b = RuleSetBuilder::new();
        let mark = "\u{301}\u{301}";
        b.add_toml(&format!("language='xx'\n[[rule]]\nname='a'\nkind='ad'\nmax_words=5\nphrases=['{mark}']"), "t")
            .unwrap();
        let rs = b.build().unwrap();
        assert!(PhraseSet::new(&["\u{301}".to_owned()]).is_some() && crate::features::words(mark).count() == 0);
        assert!(rs.candidates_within(RuleKind::Ad, mark, 1).is_some_and(|c| c.may(0)));
        assert!(rs.first(RuleKind::Ad, mark, 1).is_some());
    }

    #[test]
    fn phrases_match_as_their_regex_does() {
        // The proof of `PhraseSet` needs the edge class closed under folding.
        let mut folded = edge_class().0.clone();
        folded.case_fold_simple();
        assert_eq!(folded, edge_class().0);
        // The ASCII mask is the class's ASCII part.
        for b in 0..128u8 {
            assert_eq!(is_edge(b as char), class_has(&edge_class().0, b as char), "{b}");
        }
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
