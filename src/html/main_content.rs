//! Which container holds the article: Readability's candidate scoring over
//! the frame tree, with trafilatura's and jusText's lessons added.
//!
//! - Readability: every paragraph of 25+ characters scores `1 + commas +
//!   min(chars / 100, 3)`, given in full to its parent, half to its
//!   grandparent and `1 / (3 · level)` further up (five levels). A container
//!   starts from a tag base (div +5, td/pre/blockquote +3, lists and forms −3,
//!   headings −5) and ±25 for positive or negative class words, and its total
//!   is scaled by `1 − link density`. The best container may give way to an
//!   ancestor that several near-best candidates share, or to a parent that
//!   scores higher; siblings that score at least a fifth of it join it.
//! - trafilatura: explicit article-body markup (`itemprop=articleBody`,
//!   `article-body`, `entry-content`, …) is trusted; it earns a bonus here.
//! - [`widen`]: a story cut into boxes by a page builder (one section or
//!   widget per part) wins the vote with one part, or loses it to a list
//!   of sources; the container gives way to the nearest ancestor, up to
//!   eight levels up, holding twice its prose.
//! - Content in `<nav>`, `<aside>`, `<footer>`, hidden elements and
//!   "unlikely" classes (comments, sidebars, …) does not vote.
//! - [`lead`]: what comes before the chosen container inside the same
//!   `<article>` (its header, a standfirst) is marked, so that the
//!   classifier can keep a standfirst that the vote left out.
//!
//! Cost: one pass over the blocks (each adding to at most five ancestors)
//! and a few over the frames.

use super::walk::{Frame, RawBlock, Walk, F_ARTICLE, F_CHROME, F_HIDDEN, F_UNLIKELY, NONE};

/// A paragraph shorter than this does not vote (Readability's 25).
const MIN_VOTE_CHARS: u32 = 25;
/// A container with less text than this is no article when others have more.
const MIN_CANDIDATE_CHARS: u32 = 200;
/// How many ancestors a paragraph votes for.
const VOTE_LEVELS: usize = 5;

/// Class or id words with which sites mark the article body itself.
const BODY_MARKERS: &[&str] = &[
    "articlebody",
    "article-body",
    "article-content",
    "article-text",
    "articletext",
    "entry-content",
    "post-content",
    "postcontent",
    "post-body",
    "post-text",
    "story-body",
    "storycontent",
    "story-content",
    "body-text",
    "field-body",
    "text-content",
    "article-main",
    "content-body",
    "main-content",
    "content-main",
];

fn tag_base(tag: &str) -> f32 {
    match tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// Does a class or id token of the frame hold a [`BODY_MARKERS`] word, with
/// `_` read as `-` (`article_text` is `article-text`)? No marker is spelt
/// with `_`: BEM's `article__body` read as a marker made two Scrapinghub
/// pages pick a wider container (F1 0.982 to 0.981, WCXB unchanged).
fn is_body_marker(w: &Walk, f: &Frame) -> bool {
    w.own_tokens(f).any(|t| body_markers().is_match(t))
}

/// One automaton for [`is_body_marker`] that reads a token as it is: each
/// marker spelt with every mix of `-` and `_` where it has `-`, so that no
/// token is copied to replace its `_`.
fn body_markers() -> &'static aho_corasick::AhoCorasick {
    static AC: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    AC.get_or_init(|| {
        let mut words: Vec<String> = Vec::new();
        for m in BODY_MARKERS {
            let mut spellings = vec![String::new()];
            for c in m.chars() {
                let alts: &[char] = if c == '-' { &['-', '_'] } else { &[c] };
                spellings = spellings.iter().flat_map(|s| alts.iter().map(move |&a| format!("{s}{a}"))).collect();
            }
            words.extend(spellings);
        }
        aho_corasick::AhoCorasick::new(words).expect("a few short words")
    })
}

fn commas(text: &str) -> usize {
    let ascii = text.bytes().filter(|&b| b == b',').count();
    if text.is_ascii() {
        return ascii;
    }
    text.chars().filter(|&c| matches!(c, ',' | '،' | '、' | '，' | '﹐' | '︐' | '︑' | '⸴' | '⸲')).count()
}

/// A main content shorter than this makes Readability try again without
/// discarding "unlikely" containers (its `charThreshold`).
const MIN_MAIN_CHARS: u32 = 500;

/// The frames chosen as the main content: `in_main[f]` for every frame.
/// `None` when nothing on the page votes (no paragraph is long enough).
///
/// As Readability does, a first attempt ignores "unlikely" containers; when
/// it finds less than [`MIN_MAIN_CHARS`] of text (a layout class such as
/// `with-sidebar-layout` can mark the whole story unlikely), a second attempt
/// lets them vote and the attempt with more text wins.
pub fn select(w: &Walk) -> Option<Vec<bool>> {
    let first = attempt(w, true);
    match first {
        Some((_, chars)) if chars >= MIN_MAIN_CHARS => first.map(|(m, _)| m),
        _ => {
            let second = attempt(w, false);
            match (first, second) {
                (Some(a), Some(b)) => Some(if b.1 > a.1 { b.0 } else { a.0 }),
                (a, b) => a.or(b).map(|(m, _)| m),
            }
        }
    }
}

fn attempt(w: &Walk, strip_unlikely: bool) -> Option<(Vec<bool>, u32)> {
    let skip = if strip_unlikely { F_HIDDEN | F_UNLIKELY } else { F_HIDDEN };
    let frames = &w.frames;
    let n = frames.len();
    let mut score = vec![0f32; n];
    let mut seen = vec![false; n];
    for b in &w.blocks {
        if b.chars < MIN_VOTE_CHARS || b.frame == NONE {
            continue;
        }
        let own = &frames[b.frame as usize];
        // Readability does not score `h1`: the page title sits beside the
        // story, and a vote would make its wrapper a candidate.
        if own.flags & skip != 0 || (own.flags & F_CHROME != 0 && own.flags & F_ARTICLE == 0) || own.tag == "h1" {
            continue;
        }
        let vote = vote(b);
        let mut f = own.parent;
        for level in 0..VOTE_LEVELS {
            if f == NONE {
                break;
            }
            let fi = f as usize;
            if !seen[fi] {
                seen[fi] = true;
                score[fi] = tag_base(frames[fi].tag)
                    + frames[fi].class_weight
                    + if is_body_marker(w, &frames[fi]) { 25.0 } else { 0.0 };
            }
            let div = match level {
                0 => 1.0,
                1 => 2.0,
                l => l as f32 * 3.0,
            };
            score[fi] += vote / div;
            f = frames[fi].parent;
        }
    }
    // Scale by link density: a link farm does not hold the article.
    let mut cands: Vec<u32> = Vec::new();
    for (i, fr) in frames.iter().enumerate() {
        if !seen[i] || matches!(fr.tag, "html") {
            continue;
        }
        let ld = if fr.chars == 0 { 0.0 } else { fr.link_chars as f32 / fr.chars as f32 };
        score[i] *= 1.0 - ld;
        cands.push(i as u32);
    }
    if cands.is_empty() {
        return None;
    }
    // A class name can outvote the text (a tiny "content-box" with +25):
    // containers with almost no text stand back when others have some.
    if cands.iter().any(|&c| frames[c as usize].chars >= MIN_CANDIDATE_CHARS) {
        cands.retain(|&c| frames[c as usize].chars >= MIN_CANDIDATE_CHARS);
    }
    cands.sort_by(|&a, &b| score[b as usize].total_cmp(&score[a as usize]).then(a.cmp(&b)));
    let mut top = cands[0] as usize;
    let best = top;
    if score[top] <= 0.0 {
        return None;
    }

    // Readability: when three near-best candidates share an ancestor with
    // the best, the article is that ancestor (a story split into sections).
    let alts: Vec<u32> =
        cands[1..cands.len().min(5)].iter().copied().filter(|&c| score[c as usize] >= 0.75 * score[top]).collect();
    if alts.len() >= 3 {
        let mut p = frames[top].parent;
        while p != NONE && frames[p as usize].tag != "body" {
            let sharing = alts.iter().filter(|&&a| is_ancestor(frames, p, a)).count();
            if sharing >= 3 {
                top = p as usize;
                break;
            }
            p = frames[p as usize].parent;
        }
    }
    // Readability: climb while a parent scores higher than the best.
    let threshold = score[top] / 3.0;
    let mut last = score[top];
    let mut p = frames[top].parent;
    while p != NONE && frames[p as usize].tag != "body" {
        let pi = p as usize;
        if seen[pi] {
            if score[pi] < threshold {
                break;
            }
            if score[pi] > last {
                top = pi;
                break;
            }
            last = score[pi];
        }
        p = frames[pi].parent;
    }
    // A lone child says no more than its parent.
    while frames[top].parent != NONE
        && frames[frames[top].parent as usize].tag != "body"
        && frames[frames[top].parent as usize].children == 1
    {
        top = frames[top].parent as usize;
    }

    let top = widen(w, top, skip);
    let mut chosen = vec![false; n];
    chosen[top] = true;
    // Siblings that score well, or plain paragraphs of prose, join.
    let parent = frames[top].parent;
    if parent != NONE {
        let sib_threshold = (score[top] * 0.2).max(10.0);
        let own_blocks = blocks_by_frame(w);
        for (i, fr) in frames.iter().enumerate().skip(top + 1) {
            if fr.parent != parent || fr.flags & skip != 0 {
                continue;
            }
            let bonus = if !fr.class.is_empty() && fr.class == frames[top].class { score[top] * 0.2 } else { 0.0 };
            let mut join = seen[i] && score[i] + bonus >= sib_threshold;
            if !join && fr.tag == "p" {
                let ld = if fr.chars == 0 { 1.0 } else { fr.link_chars as f32 / fr.chars as f32 };
                let text = own_blocks.get(&(i as u32)).map_or("", |s| s.as_str());
                join = (fr.chars > 80 && ld < 0.25)
                    || (fr.chars > 0 && fr.chars <= 80 && ld == 0.0 && crate::features::ends_terminal(text));
            }
            chosen[i] = join;
        }
        // Siblings before the top candidate too.
        for (i, fr) in frames.iter().enumerate().take(top).skip(parent as usize + 1) {
            if fr.parent != parent || fr.flags & skip != 0 {
                continue;
            }
            let bonus = if !fr.class.is_empty() && fr.class == frames[top].class { score[top] * 0.2 } else { 0.0 };
            let mut join = seen[i] && score[i] + bonus >= sib_threshold;
            if !join && fr.tag == "p" {
                let ld = if fr.chars == 0 { 1.0 } else { fr.link_chars as f32 / fr.chars as f32 };
                let text = own_blocks.get(&(i as u32)).map_or("", |s| s.as_str());
                join = (fr.chars > 80 && ld < 0.25)
                    || (fr.chars > 0 && fr.chars <= 80 && ld == 0.0 && crate::features::ends_terminal(text));
            }
            chosen[i] = join;
        }
    }
    // A story split into several containers of the article body's class
    // (one per section between inline ads) is one story.
    if !frames[best].class.is_empty() {
        let sib_threshold = (score[best] * 0.2).max(10.0);
        for &c in &cands {
            let c = c as usize;
            if score[c] >= sib_threshold && frames[c].class == frames[best].class && frames[c].flags & skip == 0 {
                chosen[c] = true;
            }
        }
    }
    // Frames come in document order, so a parent is decided before its children.
    let mut in_main = vec![false; n];
    let mut chars = 0;
    for i in 0..n {
        let p = frames[i].parent;
        in_main[i] = chosen[i] || (p != NONE && in_main[p as usize]);
        if chosen[i] && !(p != NONE && in_main[p as usize]) {
            chars += frames[i].chars;
        }
    }
    Some((in_main, chars))
}

/// A block of prose for [`widen`]: long, ending like a sentence, few links.
const PROSE_CHARS: u32 = 150;
/// How many levels above the container [`widen`] looks. Page builders nest
/// each part of a story in a stack of boxes (section, column, widget,
/// wrapper, …); eight levels was picked on one half of WCXB's sites (split
/// by a hash of the host), where six, eight, ten and sixteen were tried.
const WIDEN_LEVELS: usize = 8;
/// An ancestor takes the container's place when it holds this many times its prose.
const WIDEN_RATIO: u32 = 2;
/// ... and at least this much more prose than it (characters).
const WIDEN_MIN_CHARS: u32 = 1000;

/// A story that a page builder cut into boxes (a column, a section or a
/// widget per part) wins the vote with one box; the others sit beside an
/// ancestor of it, deeper than the sibling test reaches. The container gives
/// way to the nearest ancestor (a few levels up, never the body or page
/// chrome) that holds at least [`WIDEN_RATIO`] times its prose, counted in
/// long, sentence-ending, link-poor blocks that vote. What comes in with it
/// is judged by the DOM evidence inside the container (furniture classes,
/// link lists) and the rules.
fn widen(w: &Walk, top: usize, skip: u8) -> usize {
    let frames = &w.frames;
    // Explicit article-body markup is trusted, as in the vote.
    if is_body_marker(w, &frames[top]) || matches!(frames[top].tag, "article" | "main") {
        return top;
    }
    let mut prose = vec![0u32; frames.len()];
    for b in &w.blocks {
        if b.frame == NONE || b.chars < PROSE_CHARS || b.link_chars * 5 > b.chars {
            continue;
        }
        let own = &frames[b.frame as usize];
        if own.flags & (skip | F_CHROME) != 0 || !crate::features::ends_terminal(&b.text) {
            continue;
        }
        prose[b.frame as usize] += b.chars;
    }
    // Children come after their parents: one backward pass sums subtrees.
    for i in (1..frames.len()).rev() {
        let p = frames[i].parent;
        if p != NONE {
            prose[p as usize] += prose[i];
        }
    }
    let base = prose[top];
    let mut a = frames[top].parent;
    for _ in 0..WIDEN_LEVELS {
        if a == NONE {
            break;
        }
        let f = &frames[a as usize];
        if matches!(f.tag, "body" | "html") || f.flags & (skip | F_CHROME) != 0 {
            break;
        }
        if prose[a as usize] >= WIDEN_RATIO * base.max(1) && prose[a as usize] - base >= WIDEN_MIN_CHARS {
            return a as usize;
        }
        a = f.parent;
    }
    top
}

/// Frames before the main container inside the same `<article>` element: the
/// standfirst or intro that many templates set beside the body. Only when the
/// article holds few links outside the container (no teaser list).
pub fn lead(w: &Walk, in_main: &[bool]) -> Vec<bool> {
    let frames = &w.frames;
    let mut lead = vec![false; frames.len()];
    let root = |i: usize| in_main[i] && (frames[i].parent == NONE || !in_main[frames[i].parent as usize]);
    let Some(top) = (0..frames.len()).find(|&i| root(i)) else {
        return lead;
    };
    let mut a = frames[top].parent;
    while a != NONE && !matches!(frames[a as usize].tag, "article" | "body") {
        a = frames[a as usize].parent;
    }
    if a == NONE || frames[a as usize].tag != "article" || frames[a as usize].flags & (F_HIDDEN | F_UNLIKELY) != 0 {
        return lead;
    }
    let (art, main) = (&frames[a as usize], &frames[top]);
    let extra = art.chars.saturating_sub(main.chars);
    if art.link_chars.saturating_sub(main.link_chars) as f32 >= MAX_LEAD_LINK_DENSITY * extra.max(1) as f32 {
        return lead;
    }
    // Document order: the frames between the article and the container are
    // inside the article, and those that do not hold the container end before it.
    let mut holds_main = vec![false; frames.len()];
    let mut f = frames[top].parent;
    while f != a {
        holds_main[f as usize] = true;
        f = frames[f as usize].parent;
    }
    for i in a as usize + 1..top {
        let p = frames[i].parent as usize;
        lead[i] = lead[p] || !holds_main[i];
    }
    lead
}

/// Above this share of links, what an article holds beside its body is a
/// teaser list, not a lead.
const MAX_LEAD_LINK_DENSITY: f32 = 0.3;

fn vote(b: &RawBlock) -> f32 {
    1.0 + commas(&b.text) as f32 + (b.chars / 100).min(3) as f32
}

fn is_ancestor(frames: &[Frame], anc: u32, mut f: u32) -> bool {
    while f != NONE {
        if f == anc {
            return true;
        }
        f = frames[f as usize].parent;
    }
    false
}

fn blocks_by_frame(w: &Walk) -> rustc_hash::FxHashMap<u32, String> {
    let mut m = rustc_hash::FxHashMap::default();
    for b in &w.blocks {
        m.entry(b.frame).or_insert_with(|| b.text.clone());
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_markers_match_as_the_copy_with_dashes_did() {
        let old = |t: &str| {
            let t = t.replace('_', "-");
            BODY_MARKERS.iter().any(|m| t.contains(m))
        };
        // A marker with `_` could never match the copy with dashes.
        assert!(BODY_MARKERS.iter().all(|m| !m.contains('_')));
        for t in [
            "",
            "article-body",
            "article_body",
            "article__body",
            "c-article_body__inner",
            "post_content",
            "postcontent",
            "entry-content-wrap",
            "main_content",
            "content_main",
            "x-main-content_y",
            "storybody",
            "story_content",
            "body_text",
            "ärticle-body",
            "article-bodé",
            "sidebar",
            "article-main-body_text",
        ] {
            assert_eq!(body_markers().is_match(t), old(t), "{t:?}");
        }
    }

    #[test]
    fn commas_count_as_a_pass_over_every_character_did() {
        let old = |t: &str| {
            t.chars().filter(|&c| matches!(c, ',' | '،' | '、' | '，' | '﹐' | '︐' | '︑' | '⸴' | '⸲')).count()
        };
        for t in ["", "a, b, c", ",,,", "日本、中国，韓国", "a، b", "﹐︐︑⸴⸲,", "no commas here", "é, è"]
        {
            assert_eq!(commas(t), old(t), "{t:?}");
        }
    }
}
