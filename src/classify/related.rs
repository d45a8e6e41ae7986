//! The teaser run after a related-stories header ("Meer uit Buitenland",
//! "Other Topics of Interest", "Læs også").
//!
//! A header is followed by teasers: titles (alone or as a bullet list),
//! repeats of titles, relative timestamps glued to ledes ("7 minuten
//! geledenFORT WORTH (ANP) - …"), and the one lede under a repeated title. The run ends at the first block that
//! is none of these, and the story may go on from there. A title that stands
//! right before the block that ends the run is a subheading of that story and
//! is kept: a heading followed by story text is not boilerplate. The one
//! exception is a headline-length title that is the header's only teaser.

use crate::blocks::{Block, BlockShape};
use crate::classify::Verdict;
use crate::features::{ends_terminal, words, Features, TITLE_MAX_WORDS};
use crate::rules::{class_has, unicode_class, RuleKind, RuleSet, TimestampAt, TimestampRules};
use regex_syntax::hir::ClassUnicode;
use std::cell::OnceCell;

/// A teaser lede is a short paragraph; a longer one is story text.
const LEDE_MAX_WORDS: usize = 90;
/// Subheadings are short; a longer title is headline-length.
const SUBHEADING_MAX_WORDS: usize = 7;

#[derive(Clone, Copy, PartialEq)]
enum Lede {
    /// No lede may come next.
    No,
    /// After a repeated title or a lone timestamp: one lede may come.
    Yes,
    /// Right after the header: a lede may come if the run visibly goes on after it.
    IfRunContinues,
}

/// [`teaser_timestamp`] of each block, worked out once when first asked:
/// [`unnamed_headers`] asks a block for each of up to four headers above it,
/// and the runs ask again. A block the body screen read is not screened
/// again (its candidate timestamp rules were kept).
pub struct Stamps<'a> {
    blocks: &'a [Block],
    feats: &'a [Features],
    rules: &'a RuleSet,
    shapes: Shapes,
    screened: Vec<Option<TimestampRules>>,
    at: Vec<OnceCell<Stamp>>,
}

impl<'a> Stamps<'a> {
    /// `screened[i]`: the timestamp rules the body screen named for block
    /// `i`, `None` if it did not read the block; `shapes`: the timestamps no
    /// rule names.
    pub fn new(
        blocks: &'a [Block],
        feats: &'a [Features],
        rules: &'a RuleSet,
        shapes: Shapes,
        screened: Vec<Option<TimestampRules>>,
    ) -> Self {
        let at = (0..blocks.len()).map(|_| OnceCell::new()).collect();
        Stamps { blocks, feats, rules, shapes, screened, at }
    }

    /// Where a teaser's timestamp sits in block `i`, and whether a rule named it.
    fn at(&self, i: usize) -> Stamp {
        *self.at[i].get_or_init(|| {
            teaser_timestamp(
                self.rules,
                &self.blocks[i].text,
                self.feats[i].words,
                self.screened.get(i).copied().flatten(),
                self.shapes.at(i),
            )
        })
    }
}

/// Drop the teaser run after each header in `starts`.
pub fn teaser_runs(
    blocks: &[Block],
    feats: &[Features],
    rules: &RuleSet,
    stamps: &Stamps<'_>,
    starts: &[usize],
    verdicts: &mut [Verdict],
) {
    for &h in starts {
        let dropped = run(blocks, feats, rules, stamps, h, verdicts);
        lead_in(feats, h, &dropped, verdicts);
    }
}

fn run(
    blocks: &[Block],
    feats: &[Features],
    rules: &RuleSet,
    stamps: &Stamps<'_>,
    h: usize,
    verdicts: &mut [Verdict],
) -> Vec<usize> {
    let n = blocks.len();
    let mut lede = Lede::IfRunContinues;
    let mut dropped = Vec::new();
    let mut pending_title: Option<usize> = None;
    let mut i = h + 1;
    while i < n {
        if let Verdict::Drop { kind, .. } = &verdicts[i] {
            if *kind == "related" {
                break; // the next header runs its own teaser run
            }
            i += 1;
            continue;
        }
        let (f, text) = (&feats[i], blocks[i].text.as_str());
        let Stamp { at: ts, named } = stamps.at(i);
        let ts_rule = || {
            let r = match stamps.screened.get(i).copied().flatten() {
                Some(ts) => rules.first_timestamp_among(ts, text, 1),
                None => rules.first(RuleKind::Timestamp, text, 1),
            };
            r.map_or_else(|| "related.timestamp".to_owned(), |r| r.name.clone())
        };
        let repeat = f.repeats > 1 && f.words <= 30;
        // A title printed twice in a row is a teaser even when it ends in
        // a question mark and so does not look like a title.
        let doubled = repeat && feats.get(i + 1).is_some_and(|g| g.first_index == f.first_index);
        let verdict = match ts {
            TimestampAt::None if is_title_list(&blocks[i]) => {
                lede = Lede::No;
                Some(Verdict::drop("related.teaser-list", "related"))
            }
            TimestampAt::Whole => {
                // A shape alone is the weakest evidence: it never takes a
                // paragraph with it.
                lede = if named { Lede::Yes } else { Lede::No };
                Some(Verdict::drop(ts_rule(), "related"))
            }
            TimestampAt::Start | TimestampAt::End => {
                lede = Lede::No;
                Some(Verdict::drop(ts_rule(), "related"))
            }
            TimestampAt::None if repeat && (f.title_like || f.first_index < i || doubled) => {
                lede = Lede::Yes;
                Some(Verdict::drop("related.teaser-repeat", "related"))
            }
            TimestampAt::None if f.title_like => {
                lede = Lede::No;
                pending_title = Some(i);
                Some(Verdict::drop("related.teaser-title", "related"))
            }
            TimestampAt::None if f.words <= LEDE_MAX_WORDS && lede != Lede::No => {
                let ok = lede == Lede::Yes || run_continues(stamps, i + 1, verdicts);
                lede = Lede::No;
                ok.then(|| Verdict::drop("related.teaser-lede", "related"))
            }
            TimestampAt::None => None,
        };
        match verdict {
            Some(v) => {
                if pending_title != Some(i) {
                    pending_title = None;
                }
                verdicts[i] = v;
                dropped.push(i);
                i += 1;
            }
            None => {
                // The run ends here; a title just before it heads this story,
                // unless it is the header's only teaser: a headline-length
                // title right under the header.
                let only_teaser = |t: usize| dropped.first() == Some(&t) && feats[t].words > SUBHEADING_MAX_WORDS;
                if let Some(t) = pending_title.filter(|&t| t + 1 == i && !only_teaser(t)) {
                    verdicts[t] = Verdict::Keep { why: "heading" };
                    dropped.retain(|&d| d != t);
                }
                break;
            }
        }
    }
    dropped
}

/// A bullet list of teaser titles ("Læs også:" over three headlines): every
/// item is short and none ends like a sentence.
fn is_title_list(block: &Block) -> bool {
    block.shape == BlockShape::List
        && block.text.lines().all(|l| {
            let n = words(l).count();
            n > 0 && n <= TITLE_MAX_WORDS && !ends_terminal(l)
        })
}

/// After a lede right under the header: does the run go on (a timestamp next,
/// or nothing more), so that the lede was a teaser and not the story resuming?
fn run_continues(stamps: &Stamps<'_>, next: usize, verdicts: &[Verdict]) -> bool {
    let Some(j) = (next..verdicts.len()).find(|&j| verdicts[j].is_keep()) else {
        return true;
    };
    matches!(stamps.at(j).at, TimestampAt::Start | TimestampAt::Whole)
}

/// Where a teaser's timestamp sits, and whether a rule named it (or only
/// its shape said so).
#[derive(Clone, Copy)]
struct Stamp {
    at: TimestampAt,
    named: bool,
}

/// Where a teaser's timestamp sits in a block of the run. A timestamp that
/// is part of a sentence ("Two hours ago, police said …", "… founded three
/// years ago.") is story text resuming, not a teaser: a teaser's leading
/// timestamp is glued to a capitalised headline, and a trailing one is not
/// followed by a full stop. `screened`: the candidate timestamp rules, if
/// the body screen read the block; `shape`: where [`Shapes`] found one that
/// no rule names, for when no rule matches.
fn teaser_timestamp(
    rules: &RuleSet,
    text: &str,
    words: usize,
    screened: Option<TimestampRules>,
    shape: TimestampAt,
) -> Stamp {
    let named = |at| Stamp { at, named: true };
    if words > STAMP_MAX_WORDS {
        return named(TimestampAt::None);
    }
    let at = match screened {
        Some(ts) => rules.timestamp_among(ts, text),
        None => rules.timestamp(text),
    };
    match at {
        TimestampAt::None => Stamp { at: shape, named: false },
        TimestampAt::Start => {
            let rest = rules.after_leading_timestamp(text).unwrap_or("").trim_start();
            if rest.starts_with(',') || rest.chars().next().is_some_and(char::is_lowercase) {
                named(TimestampAt::None)
            } else {
                named(TimestampAt::Start)
            }
        }
        TimestampAt::End if text.trim_end().ends_with(['.', '!', '?', '…']) => named(TimestampAt::None),
        at => named(at),
    }
}

/// The longest block that may be a teaser with its timestamp.
const STAMP_MAX_WORDS: usize = LEDE_MAX_WORDS + 8;

/// The relative timestamps of one document that no rule names, found by
/// their shape ([`timestamp_shape`]). A shape counts only where another
/// block of the document has one with the same fixed word: a teaser run's
/// times change their number and unit but keep that word ("temu" in
/// "7 minut temu" and "2 godziny temu", "acum" in "acum 5 minute" and
/// "acum 3 ore"), where quantities in a list ("2 szklanki mąki", "1 łyżka
/// cukru") do not. In a language whose rules name its relative timestamps
/// no shape counts: those rules already said no.
pub struct Shapes {
    /// Per block, where a confirmed shape sits; empty when none counts.
    at: Vec<TimestampAt>,
}

impl Shapes {
    /// The shapes of `blocks`; none when `enabled` is false.
    pub fn new(blocks: &[Block], feats: &[Features], enabled: bool) -> Self {
        if !enabled {
            return Shapes { at: Vec::new() };
        }
        let found: Vec<Option<(TimestampAt, &str)>> = blocks
            .iter()
            .zip(feats)
            .map(|(b, f)| if f.words <= STAMP_MAX_WORDS { unnamed_timestamp(&b.text) } else { None })
            .collect();
        let mut words: Vec<&str> = found.iter().flatten().map(|&(_, w)| w).collect();
        words.sort_unstable();
        // Sorted: a word seen twice sits at its first place and the next.
        let confirmed = |w: &str| words.get(words.partition_point(|&x| x < w) + 1) == Some(&w);
        let at = found
            .iter()
            .map(|f| match f {
                Some((at, w)) if confirmed(w) => *at,
                _ => TimestampAt::None,
            })
            .collect();
        Shapes { at }
    }

    /// Where a relative timestamp sits in block `i` by its shape alone, if
    /// its fixed word is confirmed.
    fn at(&self, i: usize) -> TimestampAt {
        self.at.get(i).copied().unwrap_or(TimestampAt::None)
    }
}

/// A relative timestamp in a language that no rule knows, by its shape: a
/// number of one or two digits with a short lower-case word before it or
/// two after it ("acum 5 minute", "7 minut temu"; see [`timestamp_shape`]),
/// alone in the block or glued to a headline. Glued means
/// no space before the capital ("temuRząd"), a dateline in capitals
/// ("temu WARSZAWA (PAP) - …"), or a rest that is a title (short, no
/// sentence ending): "15 lat temu Kowalski założył firmę, która …" is a
/// sentence and stays. With the place, the timestamp's fixed word (see
/// [`Shapes`]).
fn unnamed_timestamp(text: &str) -> Option<(TimestampAt, &str)> {
    let t = text.trim();
    if !t.starts_with(|c: char| c.is_numeric() || c.is_lowercase() || c.is_ascii_punctuation()) || t.len() > 1000 {
        return None;
    }
    let shape = timestamp_shape(t)?;
    let word = &t[shape.word];
    let Some(glue) = shape.glue else {
        return Some((TimestampAt::Whole, word));
    };
    let rest = &t[glue.end..];
    let dateline = rest.split_whitespace().next().is_some_and(|w| {
        let letters = w.chars().filter(|c| c.is_alphabetic()).count();
        letters >= 3 && w.chars().all(|c| !c.is_lowercase())
    });
    let title = words(rest).count() <= TITLE_MAX_WORDS && !ends_terminal(rest) && !rest.contains('\n');
    (glue.is_empty() || dateline || title).then_some((TimestampAt::Start, word))
}

/// The Unicode classes of [`timestamp_shape`], as the regex crate reads
/// them (`\s` is White_Space, `\d` is Nd).
struct Classes {
    space: ClassUnicode,
    punct: ClassUnicode,
    lower: ClassUnicode,
    upper: ClassUnicode,
    digit: ClassUnicode,
}

fn classes() -> &'static Classes {
    use std::sync::LazyLock;
    static C: LazyLock<Classes> = LazyLock::new(|| Classes {
        space: unicode_class(r"\s"),
        punct: unicode_class(r"\p{P}"),
        lower: unicode_class(r"\p{Ll}"),
        upper: unicode_class(r"\p{Lu}"),
        digit: unicode_class(r"\d"),
    });
    &C
}

/// A relative timestamp's shape in a text: see [`timestamp_shape`].
#[derive(Debug, PartialEq)]
struct Shape {
    /// `None`: the timestamp is the whole text; else the spaces between it
    /// and the capital it is glued to.
    glue: Option<std::ops::Range<usize>>,
    /// The fixed word: the one before the number, else the one after the unit.
    word: std::ops::Range<usize>,
}

/// Whether `t` is a relative timestamp by shape: it matches
/// `^[\s\p{P}]*(?:(\p{Ll}{2,5})\s+\d{1,2}\s*\p{Ll}{1,10}(?:\s+\p{Ll}{1,8})?|\d{1,2}\s*\p{Ll}{1,10}\s+(\p{Ll}{1,8}))`
/// (a word before the number or after the unit: "acum 5 minute", "7 minut
/// temu", never a bare "250 lbs" or "1 pear") and then either `[\s\p{P}]*$`
/// (the whole text) or `\s*\p{Lu}` (glued to a capital). Every part is a
/// run of one class that the next part cannot start with, so one pass
/// decides as the regex would. Written out because those bounded Unicode
/// classes made a regex that cost more to build (50 M instructions) than
/// all its uses in a folder of a thousand texts.
fn timestamp_shape(t: &str) -> Option<Shape> {
    let c = classes();
    let mut at = 0usize;
    // The length in characters of the run of `class` at `at`, moving past it.
    let run = |at: &mut usize, class: &dyn Fn(char) -> bool| {
        let mut n = 0;
        for ch in t[*at..].chars() {
            if !class(ch) {
                break;
            }
            *at += ch.len_utf8();
            n += 1;
        }
        n
    };
    let space =
        |ch: char| if ch.is_ascii() { ch.is_ascii_whitespace() || ch == '\x0b' } else { class_has(&c.space, ch) };
    let lower = |ch: char| if ch.is_ascii() { ch.is_ascii_lowercase() } else { class_has(&c.lower, ch) };
    run(&mut at, &|ch| space(ch) || class_has(&c.punct, ch));
    let prefix_at = at;
    let prefix = run(&mut at, &lower);
    let mut word = prefix_at..at;
    if prefix > 0 && (!(2..=5).contains(&prefix) || run(&mut at, &space) == 0) {
        return None;
    }
    if !(1..=2).contains(&run(&mut at, &|ch| class_has(&c.digit, ch))) {
        return None;
    }
    run(&mut at, &space);
    if !(1..=10).contains(&run(&mut at, &lower)) {
        return None;
    }
    // The second word: taken when there is one, since nothing after the
    // first word may start with a lower-case letter; needed when no word
    // came before the number.
    let mut next = at;
    let mut second = 0;
    if run(&mut next, &space) > 0 {
        let from = next;
        second = run(&mut next, &lower);
        match second {
            0 => {}
            1..=8 => {
                if prefix == 0 {
                    word = from..next;
                }
                at = next;
            }
            _ => return None,
        }
    }
    if prefix == 0 && second == 0 {
        return None;
    }
    let mut end = at;
    run(&mut end, &|ch| space(ch) || class_has(&c.punct, ch));
    if end == t.len() {
        return Some(Shape { glue: None, word });
    }
    let mut glue = at;
    run(&mut glue, &space);
    match t[glue..].chars().next() {
        Some(ch) if class_has(&c.upper, ch) => Some(Shape { glue: Some(at..glue), word }),
        _ => None,
    }
}

/// Related headers that no rule names, by what follows them: a short block
/// (one to four words, no sentence ending) over a run of at least two
/// teasers with relative timestamps, before anything else. They are
/// dropped and added to `starts`, so that [`teaser_runs`] takes their runs.
pub fn unnamed_headers(
    blocks: &[Block],
    feats: &[Features],
    stamps: &Stamps<'_>,
    starts: &mut Vec<usize>,
    verdicts: &mut [Verdict],
) {
    let n = blocks.len();
    let mut found = false;
    for h in 0..n.saturating_sub(2) {
        let f = &feats[h];
        if !verdicts[h].is_keep() || !(1..=4).contains(&f.words) || !f.title_like {
            continue;
        }
        let mut stamped = 0;
        for j in (h + 1..n).filter(|&j| verdicts[j].is_keep()).take(4) {
            match stamps.at(j).at {
                TimestampAt::Start | TimestampAt::Whole => stamped += 1,
                _ if feats[j].title_like => {}
                _ => break,
            }
        }
        if stamped >= 2 {
            verdicts[h] = Verdict::drop("related.unnamed-header", "related");
            starts.push(h);
            found = true;
        }
    }
    if found {
        starts.sort_unstable();
    }
}

/// A title right before the header that the run repeats is the run's first
/// teaser, printed above its header by the page layout.
fn lead_in(feats: &[Features], h: usize, dropped: &[usize], verdicts: &mut [Verdict]) {
    if h == 0 {
        return;
    }
    let p = h - 1;
    let f = &feats[p];
    if verdicts[p].is_keep()
        && f.title_like
        && f.repeats > 1
        && dropped.iter().any(|&d| feats[d].first_index == f.first_index)
    {
        verdicts[p] = Verdict::drop("related.teaser-repeat", "related");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regexes `timestamp_shape` stands for, as the oracle.
    fn oracle(t: &str) -> Option<Shape> {
        use std::sync::LazyLock;
        const STAMP: &str = r"^[\s\p{P}]*(?:(?P<p>\p{Ll}{2,5})\s+\d{1,2}\s*\p{Ll}{1,10}(?:\s+\p{Ll}{1,8})?|\d{1,2}\s*\p{Ll}{1,10}\s+(?P<s>\p{Ll}{1,8}))";
        static WHOLE: LazyLock<regex::Regex> =
            LazyLock::new(|| regex::Regex::new(&format!(r"{STAMP}[\s\p{{P}}]*$")).unwrap());
        static START: LazyLock<regex::Regex> =
            LazyLock::new(|| regex::Regex::new(&format!(r"{STAMP}(?P<glue>\s*)\p{{Lu}}")).unwrap());
        let word = |c: &regex::Captures| c.name("p").or_else(|| c.name("s")).unwrap().range();
        if let Some(c) = WHOLE.captures(t) {
            return Some(Shape { glue: None, word: word(&c) });
        }
        START.captures(t).map(|c| Shape { glue: Some(c.name("glue").unwrap().range()), word: word(&c) })
    }

    #[test]
    fn timestamp_shape_is_the_regex() {
        // Every string over a small alphabet of each class, up to a length,
        // plus written cases: the hand-written pass must agree everywhere.
        let alphabet = ['a', 'ó', 'Z', 'Ż', '5', '٣', ' ', '\u{a0}', '\n', '-', '«', ',', 'ª', 'ⅰ', 'x'];
        let mut cases: Vec<String> = vec![
            "7 minut temu".into(),
            "acum 5 minute".into(),
            "3 órája".into(),
            "– 15 min sitten Helsinki".into(),
            "2 dni temuRząd".into(),
            "12 hours ago WARSZAWA (PAP) - x".into(),
            "1234 min".into(),
            "5 abcdefghijk".into(),
            "5 min abcdefghi".into(),
            "abcdef 5 min".into(),
            "a 5 min".into(),
            "5 min  ".into(),
            "5 min ago. Next".into(),
            String::new(),
        ];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for s in &frontier {
                for ch in alphabet {
                    next.push(format!("{s}{ch}"));
                }
            }
            cases.extend(next.iter().cloned());
            frontier = next;
        }
        let short: Vec<String> = cases[..4000].to_vec();
        for prefix in ["5 ", "ab 12 ", "12"] {
            cases.extend(short.iter().map(|s| format!("{prefix}{s}")));
        }
        for t in &cases {
            assert_eq!(timestamp_shape(t), oracle(t), "{t:?}");
        }
    }
}
