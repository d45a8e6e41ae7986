//! Stage 4 of the pipeline: a [`Verdict`] for every block.
//!
//! The passes run in this order, each seeing the verdicts of the ones before:
//! 1. [`header`]: metadata lines at the top or bottom (`Source:`, a date
//!    stamp) leave the body and fill [`Metadata`]. This pass may trim a
//!    block, so it runs before features are measured.
//! 2. [`dom`]: evidence that only HTML has (outside the main content,
//!    hidden, class names, link density). It runs before the rules so that
//!    the page furniture of HTML input costs no rule matching.
//! 3. [`rules`](self::rules_pass): each block against the named rules of every
//!    kind, and a caption glued to its own repeat by any short toggle
//!    ([`glued_repeat`], for languages whose "Show more" no rule names).
//! 4. [`related`]: the teaser run that follows a related-stories header,
//!    named by a rule or known by its run: a short block over two or more
//!    teasers with relative timestamps, in any language
//!    ([`related::unnamed_headers`]).
//! 5. [`context`]: the statistical safety net for what no rule names. It
//!    drops only short non-prose blocks enclosed by boilerplate.
//! 6. Only for an HTML page read without a main container (the fallback,
//!    see [`crate::Cleaner::clean_html_bytes`]): [`dom::prose_runs`] keeps
//!    prose and what it encloses.
//!
//! A block that no pass drops is kept. Dropping story text is the worst
//! error, so every pass needs positive evidence to drop.

pub mod context;
pub mod dom;
pub mod header;
pub mod related;

use crate::blocks::Block;
use crate::features::{repeat_key, Features};
use crate::rules::{Candidates, RuleKind, RuleSet, TimestampRules};
use serde::Serialize;

pub use header::{Metadata, Trim};

/// What happens to a block, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "lowercase")]
pub enum Verdict {
    /// The block is article text. `why` names the evidence.
    Keep { why: &'static str },
    /// The block is boilerplate, removed by the named rule.
    Drop { rule: String, kind: &'static str },
}

impl Verdict {
    pub fn is_keep(&self) -> bool {
        matches!(self, Verdict::Keep { .. })
    }

    pub fn drop(rule: impl Into<String>, kind: &'static str) -> Verdict {
        Verdict::Drop { rule: rule.into(), kind }
    }

    /// The rule name for a drop, or the reason for a keep.
    pub fn label(&self) -> &str {
        match self {
            Verdict::Keep { why } => why,
            Verdict::Drop { rule, .. } => rule,
        }
    }
}

const KEEP_BODY: Verdict = Verdict::Keep { why: "body" };

/// Classify measured blocks. `pre` holds verdicts already given by the header pass.
pub fn classify(blocks: &[Block], feats: &[Features], rules: &RuleSet, pre: Vec<Option<Verdict>>) -> Vec<Verdict> {
    classify_with(blocks, feats, rules, pre, false, None)
}

/// [`classify`], and with `prose_only` the jusText pass ([`dom::prose_runs`])
/// last, for an HTML page read without a main container. `lang` is the
/// document's language: where its rules file names relative timestamps, the
/// teaser runs do not guess them by shape ([`related::Shapes`]).
pub fn classify_with(
    blocks: &[Block],
    feats: &[Features],
    rules: &RuleSet,
    pre: Vec<Option<Verdict>>,
    prose_only: bool,
    lang: Option<&str>,
) -> Vec<Verdict> {
    let mut verdicts: Vec<Verdict> = pre.into_iter().map(|v| v.unwrap_or(KEEP_BODY)).collect();
    dom::evidence(blocks, feats, &mut verdicts, prose_only);
    let (mut run_starts, screened) = rules_pass(blocks, feats, rules, &mut verdicts);
    let shapes = related::Shapes::new(blocks, feats, !lang.is_some_and(|l| rules.knows_timestamps(l)));
    let stamps = related::Stamps::new(blocks, feats, rules, shapes, screened);
    related::unnamed_headers(blocks, feats, &stamps, &mut run_starts, &mut verdicts);
    related::teaser_runs(blocks, feats, rules, &stamps, &run_starts, &mut verdicts);
    context::safety_net(blocks, feats, &mut verdicts);
    if prose_only {
        dom::prose_runs(blocks, feats, &mut verdicts);
    }
    for (v, f) in verdicts.iter_mut().zip(feats) {
        if *v == KEEP_BODY && f.title_like {
            *v = Verdict::Keep { why: "heading" };
        }
    }
    verdicts
}

/// Match every kept block against the rules. Returns the indices of related
/// headers that open a teaser run, and per block the timestamp rules its
/// body screen named (`None`: not screened), so that the teaser passes ask
/// where a timestamp sits without screening the block a second time.
fn rules_pass(
    blocks: &[Block],
    feats: &[Features],
    rules: &RuleSet,
    verdicts: &mut [Verdict],
) -> (Vec<usize>, Vec<Option<TimestampRules>>) {
    let mut run_starts = Vec::new();
    let mut screened = vec![None; blocks.len()];
    // Without profile rules (no site profile) the look-up is skipped.
    let profile = rules.max_words(RuleKind::Profile) > 0;
    // A block longer than every rule of the kinds below (and than a lone
    // timestamp) can match none of them: no screen needed.
    let body_bound = [RuleKind::Ad, RuleKind::Related, RuleKind::Footer, RuleKind::Caption]
        .into_iter()
        .map(|k| rules.max_words(k))
        .fold(TIMESTAMP_MAX_WORDS, usize::max);
    for (i, (b, f)) in blocks.iter().zip(feats).enumerate() {
        if !verdicts[i].is_keep() {
            continue;
        }
        let text = b.text.as_str();
        let w = f.words.max(1);
        let by_profile = if profile { rules.first(RuleKind::Profile, text, w) } else { None };
        if let Some(r) = by_profile {
            verdicts[i] = Verdict::drop(&r.name, "profile");
        } else if w > body_bound {
            // Longer than any rule of the kinds below.
        } else if let Some(c) = screen(rules, text, w, &mut screened[i]) {
            // One pass over the body screen cleared most blocks of every kind
            // below, and named the rules that may match the others.
            if let Some(r) = rules.first_in(&c, RuleKind::Ad, text, w) {
                verdicts[i] = Verdict::drop(&r.name, "ad");
            } else if let Some(r) = rules.first_in(&c, RuleKind::Related, text, w) {
                verdicts[i] = Verdict::drop(&r.name, "related");
                if r.run {
                    run_starts.push(i);
                }
            } else if let Some(r) = rules.first_in(&c, RuleKind::Footer, text, w) {
                verdicts[i] = Verdict::drop(&r.name, "footer");
            } else if let Some(r) = caption_rule(rules, &c, text, w) {
                verdicts[i] = Verdict::drop(r, "caption");
            } else if f.words <= TIMESTAMP_MAX_WORDS && rules.timestamp_whole_in(&c, text) {
                let r = rules.first_in(&c, RuleKind::Timestamp, text, w).map_or("timestamp", |r| r.name.as_str());
                verdicts[i] = Verdict::drop(r, "timestamp");
            }
        }
        // Past the body screen too: the toggle is in no rule.
        if verdicts[i].is_keep() && f.words <= GLUED_MAX_WORDS && glued_repeat(text) {
            verdicts[i] = Verdict::drop("caption.glued-repeat", "caption");
        }
    }
    (run_starts, screened)
}

/// The body screen's candidates for `text`, noting in `ts` which timestamp
/// rules they name ([`TimestampRules::NONE`] when the screen cleared it).
fn screen<'a>(rules: &'a RuleSet, text: &str, words: usize, ts: &mut Option<TimestampRules>) -> Option<Candidates<'a>> {
    // Every use below bounds a rule by its `max_words`, but for timestamps.
    let c = rules.candidates_within(RuleKind::Ad, text, words);
    *ts = match &c {
        Some(c) => rules.timestamp_rules(c),
        None => Some(TimestampRules::NONE),
    };
    c
}

/// A block that is only a relative timestamp has at most this many words.
const TIMESTAMP_MAX_WORDS: usize = 8;

/// The first caption rule that applies. A `require_repeat` rule (a "Show
/// more" glue) applies only when the text on both sides of the match is the
/// same caption, so the phrase alone never removes anything.
fn caption_rule<'a>(rules: &'a RuleSet, c: &'a Candidates<'a>, text: &'a str, words: usize) -> Option<&'a str> {
    rules
        .matching_in(c, RuleKind::Caption, text, words)
        .find(|r| {
            if !r.require_repeat {
                return true;
            }
            r.regex().find_iter(text).any(|m| {
                let (a, b) = (repeat_key(&text[..m.start()]), repeat_key(&text[m.end()..]));
                same_caption(&a, &b)
            })
        })
        .map(|r| r.name.as_str())
}

/// Two sides of a glue are one caption printed twice: at least 12
/// characters, and equal, or one cut short to no less than 4/5 of the other.
fn same_caption(a: &str, b: &str) -> bool {
    a.len() >= 12
        && (a == b || (b.starts_with(a) || a.starts_with(b)) && a.len().min(b.len()) * 5 >= a.len().max(b.len()) * 4)
}

/// A glued caption has at most this many words (two copies and the toggle).
const GLUED_MAX_WORDS: usize = 80;
/// The toggle between the copies has at most this many words.
const GLUE_MAX_WORDS: usize = 3;

/// A caption glued to its own repeat by a toggle of one to three words in
/// any language ("… Fot. Jan Nowak/PAP Pokaż więcej … Fot. Jan Nowak/PAP"),
/// where no rule names the toggle. The block is `A glue A'` with `A` and
/// `A'` the [same caption](same_caption); story text never repeats itself
/// inside one paragraph. Most blocks leave at the first test: the block's
/// opening bytes must occur again in it.
fn glued_repeat(text: &str) -> bool {
    let text = text.trim();
    let mut head = text.len().min(10);
    while !text.is_char_boundary(head) {
        head += 1;
    }
    let bytes = text.as_bytes();
    // The opening bytes again, found through their first byte (mostly a
    // capital, rare in the text): no searcher to build per block.
    let again = |p: &[u8]| memchr::memchr_iter(p[0], &bytes[head..]).any(|i| bytes[head + i..].starts_with(p));
    if text.len() < 27 || !again(&bytes[..head]) {
        return false;
    }
    let ws: Vec<(usize, usize)> = crate::features::words(text)
        .map(|w| {
            let start = w.as_ptr() as usize - text.as_ptr() as usize;
            (start, start + w.len())
        })
        .collect();
    if ws.len() < 5 {
        return false;
    }
    let first = &text[ws[0].0..ws[0].1];
    // `j` is where the second copy starts; the glue is the 1–3 words before it.
    (2..ws.len()).filter(|&j| &text[ws[j].0..ws[j].1] == first).any(|j| {
        (1..=GLUE_MAX_WORDS.min(j - 1)).any(|g| {
            let a_end = ws[j - g - 1].1;
            // From the toggle to the second copy: the first copy may end in a
            // full stop, the toggle may not.
            let glue = &text[ws[j - g].0..ws[j].0];
            // A toggle is short words, no sentence of its own.
            glue.len() <= 30
                && !glue.contains(['.', '!', '?'])
                && same_caption(&repeat_key(&text[..a_end]), &repeat_key(&text[ws[j].0..]))
        })
    })
}
