//! Stage 2 of the pipeline: normalised text in, [`Block`]s out.
//!
//! A block is the unit that is kept or dropped, and one output paragraph.
//! When a text has blank lines, a block is a blank-line paragraph, except that
//! a paragraph whose lines are separate units (a headline over a `Source:`
//! line, a teaser title over a section header) is split into one block per
//! line, while hard-wrapped prose stays one block. Without blank lines every
//! line is a block. A run of bullet lines is always one block.

use serde::Serialize;
use std::borrow::Cow;

/// What shape a block has in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BlockShape {
    /// Prose or a single line.
    Paragraph,
    /// A run of bullet or numbered lines.
    List,
    /// A heading marked up as such (HTML `h1`–`h6`).
    Heading,
}

/// Evidence about a block that only HTML input has.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DomInfo {
    /// The element that holds the block (`p`, `li`, `h2`, `figcaption`, …).
    pub tag: String,
    /// Heading level 1–6, or 0.
    pub heading_level: u8,
    /// Share of the block's characters that sit inside links, 0–1.
    pub link_density: f32,
    /// Class and id tokens on the path from the root, lower-cased (shared
    /// by the blocks of one page, not copied per block).
    pub path_tokens: crate::html::path::Path,
    /// How many of the last `path_tokens` come from elements strictly inside
    /// the main container (furniture there is judged by them).
    pub main_tokens: usize,
    /// Inside `article`, `main` or `[itemprop=articleBody]`.
    pub in_article: bool,
    /// Inside the container picked as the main content.
    pub in_main: bool,
    /// Outside it, but before it in the same `<article>` (a standfirst).
    pub in_lead: bool,
    /// Inside `figure` or `figcaption`.
    pub in_figure: bool,
    /// Inside `aside`, `nav`, `footer`, `header` or `form`.
    pub in_chrome: bool,
    /// Hidden with `hidden`, `aria-hidden` or `display:none`.
    pub hidden: bool,
}

/// One unit of the document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// Position among the document's blocks, from 0.
    pub index: usize,
    /// 1-based line of the source where the block starts (0 for HTML).
    pub line: usize,
    /// The text, lines trimmed and inner white space folded; lines of a list
    /// or of wrapped prose are joined with `\n`.
    pub text: String,
    pub shape: BlockShape,
    /// Present for blocks that came from HTML.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dom: Option<DomInfo>,
}

/// Split normalised text into blocks.
pub fn segment(text: &str) -> Vec<Block> {
    // A line with no unfolded white space in it is only trimmed, borrowed
    // until its block is made: one search of the whole text for such white
    // space instead of one per line, and no copy of a line that is joined.
    let dirty = unfolded_at(text);
    let mut d = 0;
    let lines: Vec<(usize, Cow<'_, str>)> = lines_of(text)
        .enumerate()
        .map(|(i, l)| {
            let start = l.as_ptr() as usize - text.as_ptr() as usize;
            while dirty.get(d).is_some_and(|&p| p < start) {
                d += 1;
            }
            let clean = dirty.get(d).is_none_or(|&p| p >= start + l.len());
            (i + 1, if clean { Cow::Borrowed(l.trim()) } else { Cow::Owned(fold_spaces(l)) })
        })
        .collect();
    let has_blank_separators = {
        let mut seen_text = false;
        let mut blank_after_text = false;
        let mut found = false;
        for (_, l) in &lines {
            if l.is_empty() {
                blank_after_text = seen_text;
            } else {
                if blank_after_text {
                    found = true;
                    break;
                }
                seen_text = true;
            }
        }
        found
    };

    // A group (the lines between blank lines) is a slice of `lines`.
    let mut lines = lines;
    let mut blocks = Vec::with_capacity(lines.iter().filter(|(_, l)| !l.is_empty()).count());
    let mut rest = &mut lines[..];
    while !rest.is_empty() {
        let len = rest.iter().position(|(_, l)| l.is_empty()).unwrap_or(rest.len());
        let (group, after) = std::mem::take(&mut rest).split_at_mut(len);
        if !group.is_empty() {
            push_group(&mut blocks, group, has_blank_separators);
        }
        rest = after.get_mut(1..).unwrap_or_default();
    }
    for (i, b) in blocks.iter_mut().enumerate() {
        b.index = i;
    }
    blocks
}

/// `text.split('\n')`, each line end found by `memchr` (std's split
/// searches a byte at a time on short lines: 200 instructions a line).
fn lines_of(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes()).chain(std::iter::once(text.len())).map(move |end| {
        let line = &text[start..end];
        start = end + 1;
        line
    })
}

/// The lines joined with `\n`, in one string.
fn join(lines: &[(usize, Cow<'_, str>)]) -> String {
    let mut text = String::with_capacity(lines.iter().map(|(_, l)| l.len() + 1).sum());
    for (k, (_, l)) in lines.iter().enumerate() {
        if k > 0 {
            text.push('\n');
        }
        text.push_str(l);
    }
    text
}

fn push_group(out: &mut Vec<Block>, group: &mut [(usize, Cow<'_, str>)], paragraphs: bool) {
    if paragraphs && group.len() > 1 && is_wrapped(group) {
        out.push(new_block(group[0].0, join(group), BlockShape::Paragraph));
        return;
    }
    // One block per line, with consecutive bullet lines merged into a list
    // (`list..k`: the bullet lines so far).
    let mut list = 0;
    for k in 0..group.len() {
        let line = &group[k].1;
        if is_bullet(line) && (k > list || starts_list(line)) {
            continue;
        }
        flush_list(out, &mut group[list..k]);
        let (no, line) = &mut group[k];
        out.push(new_block(*no, std::mem::take(line).into_owned(), BlockShape::Paragraph));
        list = k + 1;
    }
    flush_list(out, &mut group[list..]);
}

fn flush_list(out: &mut Vec<Block>, list: &mut [(usize, Cow<'_, str>)]) {
    match list {
        [] => {}
        [(no, line)] => out.push(new_block(*no, std::mem::take(line).into_owned(), BlockShape::Paragraph)),
        _ => out.push(new_block(list[0].0, join(list), BlockShape::List)),
    }
}

fn new_block(line: usize, text: String, shape: BlockShape) -> Block {
    Block { index: 0, line, text, shape, dom: None }
}

/// A line that opens with a bullet glyph or a list number.
pub fn is_bullet(line: &str) -> bool {
    let mut chars = line.chars();
    match chars.next() {
        Some('•' | '◦' | '▪' | '▸' | '►' | '·' | '*' | '‣' | '●' | '■' | '-' | '–' | '—') => {
            chars.next().is_some_and(char::is_whitespace)
        }
        Some(c) if c.is_ascii_digit() => {
            let rest = line.trim_start_matches(|c: char| c.is_ascii_digit());
            line.len() - rest.len() <= 2 && (rest.starts_with(". ") || rest.starts_with(") "))
        }
        _ => false,
    }
}

/// Dashes open quotes in Nordic news as often as they open lists, so a dash
/// line only joins a list that a real bullet glyph has opened.
fn starts_list(line: &str) -> bool {
    !matches!(line.chars().next(), Some('-' | '–' | '—'))
}

/// Hard-wrapped prose: most line breaks fall inside a sentence.
fn is_wrapped(group: &[(usize, Cow<'_, str>)]) -> bool {
    let breaks = group.len() - 1;
    let inside = group
        .windows(2)
        .filter(|w| {
            let (a, b) = (&w[0].1, &w[1].1);
            // A capital after an open line is as likely a new unit (a
            // headline over a `Source:` line) as a wrapped sentence, so only
            // a lower-case start or a trailing comma or hyphen counts.
            let ends_open = !a.ends_with(['.', '!', '?', ':', '"', '»', '”', '…']);
            let next_lower = b.chars().next().is_some_and(|c| c.is_lowercase());
            a.chars().count() >= 30 && ends_open && (next_lower || a.ends_with([',', '-']))
        })
        .count();
    inside * 2 > breaks
}

/// Has `text` no white space but single plain spaces? Each check is a SIMD
/// byte search; a character is decoded only at the UTF-8 lead bytes of the
/// Unicode spaces (0xC2, 0xE1, 0xE2, 0xE3), which curly quotes share.
fn is_folded(text: &str) -> bool {
    static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let bytes = text.as_bytes();
    let controls =
        |b: &[u8]| memchr::memchr3(b'\t', b'\n', b'\r', b).is_some() || memchr::memchr2(0x0B, 0x0C, b).is_some();
    if DOUBLE_SPACE.find(bytes).is_some() || controls(bytes) {
        return false;
    }
    let unicode_space = |i: usize| text[i..].chars().next().is_some_and(char::is_whitespace);
    !memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes).chain(memchr::memchr_iter(0xE1, bytes)).any(unicode_space)
}

/// The byte offsets in `text` (lines split at `\n`) of every unfolded bit
/// of white space, sorted: the start of a double space, a control such as
/// `\t`, a Unicode space. A line that holds none of them is folded once
/// trimmed ([`is_folded`] says yes): a double space or a control inside the
/// trimmed line is found here, as a Unicode space is.
fn unfolded_at(text: &str) -> Vec<usize> {
    static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new("  "));
    let bytes = text.as_bytes();
    let mut at: Vec<usize> = DOUBLE_SPACE.find_iter(bytes).collect();
    at.extend(memchr::memchr2_iter(b'\t', b'\r', bytes));
    at.extend(memchr::memchr2_iter(0x0B, 0x0C, bytes));
    let unicode_space = |&i: &usize| text[i..].chars().next().is_some_and(char::is_whitespace);
    at.extend(
        memchr::memchr3_iter(0xC2, 0xE2, 0xE3, bytes).chain(memchr::memchr_iter(0xE1, bytes)).filter(unicode_space),
    );
    at.sort_unstable();
    at
}

/// Trim a line and fold every run of white space into one space.
pub fn fold_spaces(line: &str) -> String {
    let trimmed = line.trim();
    if is_folded(trimmed) {
        return trimmed.to_owned();
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut space = false;
    for c in trimmed.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(bs: &[Block]) -> Vec<&str> {
        bs.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn lines_are_the_pieces_split_gives() {
        let long = "ø".repeat(50_000) + "\n" + &"a\n".repeat(1_000);
        for t in ["", "\n", "\n\n", "a", "a\n", "\na", "æ\nø\n\nå\r\n", "x\u{2028}y\n€", long.as_str()] {
            assert_eq!(lines_of(t).collect::<Vec<_>>(), t.split('\n').collect::<Vec<_>>(), "{t:?}");
        }
    }

    #[test]
    fn blank_line_paragraphs() {
        let bs = segment("First para.\n\n  Second   para.  \n\n\n");
        assert_eq!(texts(&bs), ["First para.", "Second para."]);
        assert_eq!(bs[1].line, 3);
    }

    #[test]
    fn no_blank_lines_means_one_block_per_line() {
        let bs = segment("Headline\nBody one.\nBody two.");
        assert_eq!(texts(&bs), ["Headline", "Body one.", "Body two."]);
    }

    #[test]
    fn bullets_stay_one_block() {
        let bs = segment("Intro.\n\n • one\n • two\n • three\n\nAfter.");
        assert_eq!(texts(&bs), ["Intro.", "• one\n• two\n• three", "After."]);
        assert_eq!(bs[1].shape, BlockShape::List);
    }

    #[test]
    fn dash_quotes_are_not_a_list() {
        let bs = segment("- First quote, says she.\n- Second quote, he adds.");
        assert_eq!(bs.len(), 2);
        assert!(bs.iter().all(|b| b.shape == BlockShape::Paragraph));
    }

    #[test]
    fn separate_units_in_a_paragraph_are_split() {
        let bs = segment("A headline here\nSource: Agency\n\nBody text.");
        assert_eq!(texts(&bs), ["A headline here", "Source: Agency", "Body text."]);
    }

    #[test]
    fn wrapped_prose_stays_one_block() {
        let t = "This is a long sentence that was wrapped by the\nscraper at a fixed width, so it continues on the\nnext line.\n\nNext.";
        let bs = segment(t);
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].text.lines().count(), 3);
    }

    #[test]
    fn fold_spaces_fast_path_agrees_with_the_definition() {
        let slow = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
        for l in [
            "plain words",
            "  two  spaces ",
            "tab\there",
            "nbsp\u{a0}here",
            "thin\u{2009}space",
            "ideographic\u{3000}space",
            "ogham\u{1680}mark",
            "“curly” ‘quotes’ — dash … ½ ©",
            "vt\u{b}ff\u{c}",
            "",
            " ",
        ] {
            assert_eq!(fold_spaces(l), slow(l), "{l:?}");
        }
    }

    #[test]
    fn segment_folds_each_line_as_fold_spaces_does() {
        // Lines whose unfolded white space sits inside, at an edge, or
        // nowhere, in every order: the one search of the whole text must
        // send each line that needs it to `fold_spaces`.
        let lines = [
            "plain words",
            "  lead and  inner",
            "trail\t",
            "\ttab\tinside",
            "nbsp\u{a0}here",
            "“curly” — no space",
            "thin\u{2009}space",
            "edge\u{3000}",
            "vt\u{b}ff\u{c}x",
            "cr\rx",
            "ends  ",
        ];
        for a in lines {
            for b in lines {
                for c in lines {
                    let text = format!("{a}\n\n{b}\n\n{c}");
                    let want: Vec<String> = [a, b, c].iter().map(|l| fold_spaces(l)).collect();
                    assert_eq!(texts(&segment(&text)), want, "{text:?}");
                }
            }
        }
    }
}
