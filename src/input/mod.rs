//! Stage 1 of the pipeline: bytes in, normalised text out.
//!
//! Compressed input is inflated first ([`decompress`]). Text input is decoded
//! here (BOM, UTF-16, UTF-8, or the legacy encoding `chardetng` detects; or
//! strict or lossy UTF-8), its mojibake repaired ([`mojibake`]), and
//! normalised so that later stages see one kind of line break and one kind of
//! space. HTML input is recognised here by content ([`sniff`], also after
//! leading junk) and handed to [`crate::html`], which turns the DOM into the
//! same [`crate::blocks::Block`]s that text makes.

pub mod decompress;
pub mod mojibake;

use crate::error::{Error, Result};

/// What kind of document the bytes hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InputKind {
    /// Decide from the content (see [`sniff`]).
    #[default]
    Auto,
    /// Plain scraped text.
    Text,
    /// A raw HTML page.
    Html,
}

/// How to read text bytes that are not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Utf8Mode {
    /// Find the encoding: a BOM, then valid UTF-8, then `chardetng`'s guess
    /// (a Windows-1252 or Latin-1 file is decoded, not refused).
    #[default]
    Detect,
    /// Fail with [`Error::InvalidUtf8`] (no BOM: UTF-8 or nothing).
    Strict,
    /// Replace each bad UTF-8 sequence with U+FFFD and go on.
    Lossy,
}

/// Text input decoded: the normalised text, the encoding it was read in,
/// and how many characters [`mojibake::fix`] repaired.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static encoding_rs::Encoding,
    pub mojibake_fixed: usize,
}

/// How far into a document [`sniff`] looks.
const SNIFF_DOCUMENT_BYTES: usize = 16 << 10;

/// A UTF-8 BOM that was decoded as Windows-1252 and encoded again (`ï»¿`).
const DOUBLE_BOM: &[u8] = b"\xC3\xAF\xC2\xBB\xC2\xBF";

/// `bytes` without leading byte-order marks, plain or encoded twice.
pub fn strip_boms(mut bytes: &[u8]) -> &[u8] {
    loop {
        if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF").or_else(|| bytes.strip_prefix(DOUBLE_BOM)) {
            bytes = rest;
        } else {
            return bytes;
        }
    }
}

/// Decide whether `bytes` hold HTML, by content.
///
/// Leading byte-order marks (also one encoded twice, `ï»¿`) and blanks are
/// skipped; UTF-16 (with a BOM, or ASCII-heavy without one) is decoded
/// first. Then, in the first 16 KB:
///
/// - opening with a doctype or a top-level tag (`<html`, `<head`, `<meta `,
///   `<script`, …) is HTML, and so is a fragment that opens with an element
///   and closes it (`<table>…</table>`, `<svg>…</svg>`, `<span>…</span>`);
/// - a doctype (also garbled: `<!DOCTYP`, `< !doctype`) or an `<html>`,
///   `<head>` or `<body>` tag that starts a line, or follows a short junk
///   prefix (`?`, a `<text id=…>` wrapper, server warnings) or another tag, is
///   HTML;
/// - otherwise markup density decides: at least [`MIN_TAGS`] known tags
///   (`<div`, `<p`, `<a href`, `</…>`, …) that make up at least a fifth of the
///   bytes, so an article that mentions `<b>` or quotes a tag stays text.
pub fn sniff(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(SNIFF_DOCUMENT_BYTES)];
    if let Some((enc, body)) = utf16(head) {
        return sniff_utf8(enc.decode_without_bom_handling(body).0.as_bytes());
    }
    sniff_utf8(head)
}

fn utf16_bom(enc: &'static encoding_rs::Encoding) -> [u8; 2] {
    if enc == encoding_rs::UTF_16LE {
        [0xFF, 0xFE]
    } else {
        [0xFE, 0xFF]
    }
}

/// UTF-16 input (see [`utf16_encoding`]): its encoding and the bytes after
/// the BOM, if any.
pub fn utf16(bytes: &[u8]) -> Option<(&'static encoding_rs::Encoding, &[u8])> {
    let enc = utf16_encoding(bytes)?;
    Some((enc, bytes.strip_prefix(&utf16_bom(enc)[..]).unwrap_or(bytes)))
}

/// UTF-16 from its BOM, or from the NUL bytes of ASCII-heavy UTF-16 without
/// one: nearly every second byte NUL, and the others not.
fn utf16_encoding(bytes: &[u8]) -> Option<&'static encoding_rs::Encoding> {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return (enc != encoding_rs::UTF_8).then_some(enc);
    }
    let head = &bytes[..bytes.len().min(2048)];
    // Text with no NUL byte at all, nearly every input, is told at once.
    memchr::memchr(0, head)?;
    let pairs = head.chunks_exact(2);
    let n = pairs.len();
    if n < 8 {
        return None;
    }
    let (mut le, mut be) = (0, 0);
    for p in pairs {
        match (p[0], p[1]) {
            (0, 0) => return None,
            (_, 0) => le += 1,
            (0, _) => be += 1,
            _ => {}
        }
    }
    // 90 %: a binary file has NULs, but rarely in so regular a pattern.
    if le * 10 >= n * 9 {
        Some(encoding_rs::UTF_16LE)
    } else if be * 10 >= n * 9 {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Known tags a page has and prose has not, counted by [`sniff`].
const MIN_TAGS: usize = 5;

fn sniff_utf8(head: &[u8]) -> InputKind {
    let head = strip_boms(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let head = &head[start..];
    // Every HTML signal below has a `<`: plain text is told at once.
    let Some(first_lt) = memchr::memchr(b'<', head) else {
        return InputKind::Text;
    };
    if first_lt == 0 {
        let lower: Vec<u8> = head.iter().take(1024).map(|b| b.to_ascii_lowercase()).collect();
        const OPENERS: [&[u8]; 11] = [
            b"<!doctype html",
            b"<html",
            b"<head",
            b"<body",
            b"<?xml",
            b"<!--",
            b"<meta ",
            b"<link ",
            b"<style",
            b"<script",
            b"<title>",
        ];
        if OPENERS.iter().any(|o| lower.starts_with(o)) {
            return InputKind::Html;
        }
        // Fragments: several block-level tags early on.
        let tags = [&b"<div"[..], b"<p>", b"<p ", b"<article", b"<section", b"<meta ", b"<script"];
        if tags.iter().filter(|t| lower.windows(t.len()).any(|w| w == **t)).count() >= 2 {
            return InputKind::Html;
        }
        if opens_and_closes_element(&lower, head) {
            return InputKind::Html;
        }
    }
    let scan = scan_markup(head);
    if (scan.document && scan.tags >= 2) || (scan.tags >= MIN_TAGS && scan.tag_bytes * 5 >= head.len()) {
        InputKind::Html
    } else {
        InputKind::Text
    }
}

/// Elements a fragment may open with: block-level and table elements,
/// drawings and `span`; not the inline formatting that prose quotes
/// (`<b>Warning</b>: …` stays text).
#[rustfmt::skip]
const FRAGMENT_OPENERS: [&[u8]; 47] = [
    b"article", b"aside", b"audio", b"blockquote", b"caption", b"center", b"dd", b"details", b"div", b"dl", b"dt",
    b"figcaption", b"figure", b"footer", b"form", b"h1", b"h2", b"h3", b"h4", b"h5", b"h6", b"header", b"iframe",
    b"li", b"main", b"math", b"nav", b"noscript", b"ol", b"p", b"picture", b"pre", b"section", b"span", b"summary",
    b"svg", b"table", b"tbody", b"td", b"tfoot", b"th", b"thead", b"tr", b"ul", b"video", b"dialog", b"fieldset",
];

/// A fragment that opens with an element and closes it later: `<table>…
/// </table>`, `<svg …>…</svg>`, `<span>…</span>`. `lower` is the start of
/// `head` lower-cased; the end tag is looked for in all of `head`.
fn opens_and_closes_element(lower: &[u8], head: &[u8]) -> bool {
    let (name, after) = tag_name(&lower[1..]);
    let len = name.len();
    if !FRAGMENT_OPENERS.contains(&name) || !matches!(after, Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')) {
        return false;
    }
    memchr::memmem::find_iter(head, b"</").any(|at| {
        let t = &head[at + 2..];
        t.len() > len && t[..len].eq_ignore_ascii_case(name) && matches!(t[len], b'>' | b' ' | b'\t' | b'\n' | b'\r')
    })
}

/// The tag name that `bytes` (what follows a `<` or `</`) opens with, a run
/// of ASCII letters and digits, and the byte after it.
fn tag_name(bytes: &[u8]) -> (&[u8], Option<u8>) {
    let len = bytes.iter().position(|b| !b.is_ascii_alphanumeric()).unwrap_or(bytes.len());
    (&bytes[..len], bytes.get(len).copied())
}

/// What [`scan_markup`] found.
#[derive(Debug, Default, Clone, Copy)]
struct Markup {
    /// Known tags (open or close) and doctypes.
    tags: usize,
    /// Bytes inside them, `<` to `>`.
    tag_bytes: usize,
    /// A doctype or `<html>`/`<head>`/`<body>` where a page would have it.
    document: bool,
}

/// Names of tags that real pages are made of (lowercase).
const TAG_NAMES: [&[u8]; 40] = [
    b"a",
    b"abbr",
    b"article",
    b"aside",
    b"b",
    b"body",
    b"br",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"head",
    b"header",
    b"hr",
    b"html",
    b"i",
    b"iframe",
    b"img",
    b"input",
    b"li",
    b"link",
    b"meta",
    b"nav",
    b"noscript",
    b"ol",
    b"p",
    b"script",
    b"section",
    b"span",
    b"strong",
    b"style",
    b"ul",
];

/// One linear pass over the `<`s of `bytes`: known tags, their bytes, and
/// whether a document-level tag stands where a page would have it.
fn scan_markup(bytes: &[u8]) -> Markup {
    let mut m = Markup::default();
    let (mut line_start, mut seen) = (0, 0);
    let mut last_tag_end = usize::MAX;
    for lt in memchr::memchr_iter(b'<', bytes) {
        // Only the bytes since the last `<` are searched: linear.
        if let Some(nl) = memchr::memrchr(b'\n', &bytes[seen..lt]) {
            line_start = seen + nl + 1;
        }
        seen = lt;
        let rest = &bytes[lt + 1..];
        // A tag ends at the first `>` within 512 bytes, before another `<`.
        let window = &rest[..rest.len().min(512)];
        let Some(gt) = memchr::memchr2(b'>', b'<', window).filter(|&g| window[g] == b'>') else {
            continue;
        };
        let inner = &window[..gt];
        let is_doctype = {
            let t = trim_ascii_start(inner);
            t.first() == Some(&b'!')
                && trim_ascii_start(&t[1..]).get(..5).is_some_and(|d| d.eq_ignore_ascii_case(b"docty"))
        };
        let (name, after) = tag_name(inner.strip_prefix(b"/").unwrap_or(inner));
        let known = !name.is_empty()
            && matches!(after, None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'/'))
            && TAG_NAMES.iter().any(|t| t.eq_ignore_ascii_case(name));
        if !(known || is_doctype) {
            continue;
        }
        m.tags += 1;
        m.tag_bytes += gt + 2;
        let top = is_doctype
            || (!inner.starts_with(b"/")
                && [&b"html"[..], b"head", b"body"].iter().any(|t| t.eq_ignore_ascii_case(name)));
        if top {
            // Where a page would have it: at a line start, after a short
            // junk prefix (`?`, `ï»¿`), or right after another tag.
            let prefix = trim_ascii_start(&bytes[line_start..lt]);
            let junk = (prefix.len() <= 8 && !prefix.iter().any(u8::is_ascii_whitespace))
                || last_tag_end == lt
                || prefix.ends_with(b">");
            m.document |= junk;
        }
        last_tag_end = lt + gt + 2;
    }
    m
}

fn trim_ascii_start(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    &b[n..]
}

/// Where the page starts in decoded HTML: past junk before the doctype
/// (`?`, server warnings, `ï»¿`) and past a garbled doctype (`< !doctype`,
/// `<!DOCTYP`), which a parser would print as text. 0 when the page opens
/// with its doctype or has none in the first 16 KB.
pub fn page_start(html: &str) -> usize {
    let head = &html.as_bytes()[..html.len().min(SNIFF_DOCUMENT_BYTES)];
    for lt in memchr::memchr_iter(b'<', head) {
        let rest = &head[lt + 1..];
        let t = trim_ascii_start(rest);
        if t.first() != Some(&b'!') {
            continue;
        }
        let spaced = t.len() != rest.len();
        let d = trim_ascii_start(&t[1..]);
        let spaced = spaced || d.len() + 1 != t.len();
        if !d.get(..5).is_some_and(|w| w.eq_ignore_ascii_case(b"docty")) {
            continue;
        }
        let well_formed = !spaced && d.get(..8).is_some_and(|w| w.eq_ignore_ascii_case(b"doctype "));
        let junk_before = head[..lt].iter().any(|b| !b.is_ascii_whitespace());
        return match (well_formed, junk_before) {
            (true, false) => 0,
            (true, true) => lt,
            // Cut the garbled doctype itself, up to its `>`.
            (false, _) => memchr::memchr(b'>', rest).map_or(lt, |g| lt + 1 + g + 1),
        };
    }
    0
}

/// Whether cleaned text is still markup: tags make up a fifth of it. The
/// guard after text cleaning (see [`crate::Cleaner::clean_bytes`]) uses it
/// so that no page comes out as its own source.
pub fn looks_like_markup(text: &str) -> bool {
    let m = scan_markup(text.as_bytes());
    m.tags >= MIN_TAGS && m.tag_bytes * 5 >= text.len()
}

/// Decode text input to a `String` and normalise it (see [`normalize`]).
///
/// Handles a UTF-8 BOM, UTF-16 with a BOM, and rejects binary data. Invalid
/// UTF-8 is an error in [`Utf8Mode::Strict`], replaced in [`Utf8Mode::Lossy`]
/// and read in the detected encoding in [`Utf8Mode::Detect`]. No mojibake
/// repair (see [`decode`]).
pub fn decode_text(bytes: &[u8], mode: Utf8Mode) -> Result<String> {
    decode(bytes, mode, false).map(|d| d.text)
}

/// Decode text input: a BOM (UTF-8, UTF-16, or a UTF-8 BOM encoded twice),
/// then ASCII-heavy UTF-16 without a BOM, then (after the binary check:
/// NUL bytes) valid UTF-8, then as `mode` says. With `fix_mojibake`,
/// [`mojibake::fix`] runs before [`normalize`] (which would drop the soft
/// hyphen of `Ã­`, an `í`).
pub fn decode(bytes: &[u8], mode: Utf8Mode, fix_mojibake: bool) -> Result<Decoded> {
    let finish = |text: std::borrow::Cow<'_, str>, encoding| match fix_mojibake.then(|| mojibake::fix(&text)).flatten()
    {
        Some((fixed, n)) => Decoded { text: normalized(fixed.into()), encoding, mojibake_fixed: n },
        None => Decoded { text: normalized(text), encoding, mojibake_fixed: 0 },
    };
    if let Some((enc, body)) = utf16(bytes) {
        return Ok(finish(enc.decode_without_bom_handling(body).0, enc));
    }
    let bytes = strip_boms(bytes);
    if let Some(offset) = memchr_nul(bytes) {
        return Err(Error::Binary { offset });
    }
    let (text, enc) = match valid_utf8(bytes) {
        Ok(s) => (std::borrow::Cow::Borrowed(s), encoding_rs::UTF_8),
        Err(e) => match mode {
            Utf8Mode::Strict => return Err(Error::InvalidUtf8 { offset: e.valid_up_to() }),
            Utf8Mode::Lossy => (String::from_utf8_lossy(bytes), encoding_rs::UTF_8),
            Utf8Mode::Detect => {
                let mut det = chardetng::EncodingDetector::new();
                det.feed(bytes, true);
                let enc = det.guess(None, false);
                (enc.decode_without_bom_handling(bytes).0, enc)
            }
        },
    };
    Ok(finish(text, enc))
}

/// [`std::str::from_utf8`], checked by `encoding_rs`'s SIMD validator
/// first (a tenth of the instructions on non-ASCII text); std's answer
/// gives the error and its offset.
fn valid_utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(std::borrow::Cow::Borrowed(s)) => Ok(s),
        _ => std::str::from_utf8(bytes),
    }
}

/// [`normalize`] that reuses an owned `text` when nothing changes.
fn normalized(text: std::borrow::Cow<'_, str>) -> String {
    let changed = match normalize_cow(&text) {
        std::borrow::Cow::Owned(n) => Some(n),
        std::borrow::Cow::Borrowed(_) => None,
    };
    changed.unwrap_or_else(|| text.into_owned())
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(0, bytes)
}

/// Normalise line breaks and spaces: CRLF and CR become LF; tabs, NBSP and
/// the other Unicode spaces become a plain space; zero-width characters and
/// soft hyphens go. Everything else is left exactly as it was.
pub fn normalize(text: &str) -> String {
    normalize_cow(text).into_owned()
}

/// [`normalize`], borrowing `text` when nothing changes.
///
/// Every character rewritten is `\r`, `\t` or a non-ASCII character whose
/// UTF-8 form starts with one of the bytes in [`SPECIAL_LEAD`]; the scan looks
/// at bytes and decodes a character only there, so plain prose is one pass.
pub fn normalize_cow(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        // Eight bytes at a time past plain ASCII without `\t` or `\r`.
        if let Some(chunk) = bytes.get(i..i + 8) {
            // Non-ASCII prose (`é`, `ø`, `č`) has lead bytes that are not
            // special: the eight bytes are looked up before one at a time.
            if !maybe_special(u64::from_le_bytes(chunk.try_into().expect("eight bytes")))
                || !chunk.iter().any(|&b| SPECIAL_LEAD[b as usize])
            {
                i += 8;
                continue;
            }
        }
        let b = bytes[i];
        if !SPECIAL_LEAD[b as usize] {
            i += 1;
            continue;
        }
        // `i` is a char boundary: continuation bytes are never special.
        let c = text[i..].chars().next().expect("char at boundary");
        let len = c.len_utf8();
        let with = match c {
            '\r' => {
                if bytes.get(i + 1) == Some(&b'\n') {
                    ""
                } else {
                    "\n"
                }
            }
            '\t' | '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => " ",
            '\u{2028}' | '\u{2029}' | '\u{0085}' => "\n",
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => "",
            _ => {
                i += len;
                continue;
            }
        };
        let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
        o.push_str(&text[run..i]);
        o.push_str(with);
        i += len;
        run = i;
    }
    match out {
        None => std::borrow::Cow::Borrowed(text),
        Some(mut o) => {
            o.push_str(&text[run..]);
            std::borrow::Cow::Owned(o)
        }
    }
}

/// Whether eight bytes may hold a [`SPECIAL_LEAD`] byte: any byte of 0x80 or
/// more, a `\t` or a `\r`. `false` is certain.
#[inline]
fn maybe_special(v: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Some byte of `x` is zero (exact, with no false positives as a whole).
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    v & HIGH != 0 || has_zero(v ^ (ONES * u64::from(b'\t'))) || has_zero(v ^ (ONES * u64::from(b'\r')))
}

/// Bytes that may open a character [`normalize_cow`] rewrites: `\t`, `\r`,
/// and the UTF-8 lead bytes of U+0080–U+00BF (0xC2), U+1680 (0xE1),
/// U+2000–U+206F (0xE2), U+3000 (0xE3) and U+FEFF (0xEF).
const SPECIAL_LEAD: [bool; 256] = {
    let mut t = [false; 256];
    t[b'\t' as usize] = true;
    t[b'\r' as usize] = true;
    t[0xC2] = true;
    t[0xE1] = true;
    t[0xE2] = true;
    t[0xE3] = true;
    t[0xEF] = true;
    t
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_rewrites_only_the_special_characters() {
        assert_eq!(normalize("a\r\r\nb\u{2028}c\u{AD}d\u{3000}é\u{200B}ø\tz\r"), "a\n\nb\ncd éø z\n");
        // Every lead byte of the fast scan: C2 (U+0085, U+00A0), E1 (U+1680),
        // E2 (U+202F, U+205F, U+2060), EF (U+FEFF); lookalikes stay.
        assert_eq!(
            normalize("1\u{85}2\u{a0}3\u{1680}4\u{202f}5\u{205f}6\u{2060}7\u{feff}8 ©½ “€” ｆ"),
            "1\n2 3 4 5 678 ©½ “€” ｆ"
        );
        assert!(matches!(normalize_cow("plain “quoted” æøå"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(normalize("“Plain” text — no change."), "“Plain” text — no change.");
    }

    #[test]
    fn the_eight_byte_skip_misses_no_special_byte() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut chunk = *b"abcdefgh";
                chunk[at] = b;
                let special = SPECIAL_LEAD[b as usize] || b >= 0x80;
                assert_eq!(maybe_special(u64::from_le_bytes(chunk)), special, "{b:#x} at {at}");
            }
        }
    }

    /// [`normalize`] a character at a time: the reference for the skips.
    fn normalize_by_chars(text: &str) -> String {
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' if chars.peek() == Some(&'\n') => {}
                '\r' | '\u{2028}' | '\u{2029}' | '\u{0085}' => out.push('\n'),
                '\t' | '\u{00A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
                    out.push(' ')
                }
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn normalize_rewrites_as_a_character_at_a_time_does() {
        let alphabet: Vec<char> =
            "ab \n\r\t.æøåéčŁ€“”—\u{85}\u{a0}\u{ad}\u{1680}\u{2003}\u{200b}\u{2028}\u{202f}\u{2060}\u{3000}\u{feff}ｆ𝔘©"
                .chars()
                .collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut texts = vec![String::new(), "æ".repeat(100_000) + "\u{a0}x", "Ærø næste.\r\n".repeat(3_000)];
        for len in 0..600 {
            let mut t = String::new();
            // Mostly prose letters, so that runs of eight clean bytes occur.
            for _ in 0..len % 61 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let k = (x % (3 * alphabet.len() as u64)) as usize;
                t.push(if k < alphabet.len() { alphabet[k] } else { ['e', 'ø', 'é'][k % 3] });
            }
            texts.push(t);
        }
        for t in texts {
            let want = normalize_by_chars(&t);
            let got = normalize_cow(&t);
            assert_eq!(got, want, "{t:?}");
            assert_eq!(matches!(got, std::borrow::Cow::Borrowed(_)), want == t, "{t:?}");
        }
    }

    #[test]
    fn utf8_is_validated_as_std_validates_it() {
        let mut texts: Vec<Vec<u8>> = vec![Vec::new(), "æøå € 𝔘 plain".repeat(40).into_bytes()];
        // Every byte, and every pair after a lead byte, at each end of a
        // text long enough for the SIMD path and in a short one.
        for b in 0..=255u8 {
            for c in [0x80u8, 0x9F, 0xA0, 0xBF, 0xC0, b'a'] {
                for pad in [3usize, 70, 130] {
                    let mut t = vec![b'x'; pad];
                    t.extend([b, c]);
                    texts.push(t.clone());
                    t.reverse();
                    texts.push(t);
                }
            }
        }
        texts.push("\u{10FFFF}\u{D7FF}\u{E000}".repeat(30).into_bytes());
        texts.push(b"\xED\xA0\x80 surrogate \xF4\x90\x80\x80 too big \xC0\xAF overlong".repeat(5).to_vec());
        for t in texts {
            let (got, want) = (valid_utf8(&t), std::str::from_utf8(&t));
            assert_eq!(got.map_err(|e| e.valid_up_to()), want.map_err(|e| e.valid_up_to()), "{t:?}");
        }
    }

    #[test]
    fn sniff_tells_text_that_does_not_open_with_a_tag() {
        assert_eq!(sniff(b"  The <p> tag is not HTML here, <div> neither."), InputKind::Text);
        assert_eq!(sniff(b"\xEF\xBB\xBF\n <!DOCTYPE html><p>x"), InputKind::Html);
    }

    #[test]
    fn sniffs_pages_after_leading_junk() {
        let body = "<html><head><title>t</title></head><body><p>Story.</p></body></html>";
        for prefix in [
            "<text id=\"doc-7\" url=\"https://x.example/a\">\n<!DOCTYPE html>",
            "<text id=\"doc-7\"><!doctype html>",
            "?<!DOCTYPE html>",
            "?\n<!DOCTYPE html>",
            "\u{FEFF}\u{FEFF}<!DOCTYPE html>",
            "\u{EF}\u{BB}\u{BF}<!DOCTYPE html>",
            "\u{EF}\u{BB}\u{BF}\u{EF}\u{BB}\u{BF}?",
            "<!DOCTYP html>",
            "< !doctype html>",
            "<! DOCTYPE HTML>",
            "Warning: mysql_connect() failed in /srv/db.php on line 3\n<!DOCTYPE html>",
        ] {
            assert_eq!(sniff(format!("{prefix}{body}").as_bytes()), InputKind::Html, "{prefix:?}");
        }
        let mut le = vec![0xFF, 0xFE];
        le.extend(format!("?{body}").encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&le), InputKind::Html);
        let no_bom: Vec<u8> = body.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(sniff(&no_bom), InputKind::Html);
        // Dense markup after junk, with no document tags at all.
        let fragment = "--\n<div><p>One.</p><p>Two.</p><a href=\"/x\">x</a><span>y</span></div>";
        assert_eq!(sniff(fragment.as_bytes()), InputKind::Html);
    }

    #[test]
    fn fragments_that_open_and_close_an_element_are_html() {
        for page in [
            "<table><tr><td>Name</td><td>Value</td></tr><tr><td>Alpha beta.</td><td>12</td></tr></table>",
            "<svg width=\"10\"><circle r=\"4\"/></svg><p>Some words of a story go here.</p>",
            "<span class=\"x\">Hello there</span><span>The story is told here.</span>",
            "<TD>One cell</TD>",
        ] {
            assert_eq!(sniff(page.as_bytes()), InputKind::Html, "{page}");
        }
        // Their near-misses are in the next test.
    }

    #[test]
    fn text_that_quotes_tags_is_not_sniffed_as_html() {
        for text in [
            "A line can hold <b>bold</b> words, and <i>more</i>.",
            "Use <html> first.\nThen <head> and <body>.",
            "The <!DOCTYPE html> line comes first, the editor wrote in a long explanation of the web.",
            "Readers asked about <div> and <span>: both are containers, said the tutor, and <p> is a paragraph.",
            // Opening with a bracketed word, a tag never closed, or one
            // element name closed as another.
            "<Reuters> The story is told here, and </Reuters> is how the wire signs off.",
            "<b> marks bold text, the tutor said, and it is all one line of prose.",
            "<tr> and <td> are table tags; </th> closes a heading cell.",
            "<",
            "<table",
        ] {
            assert_eq!(sniff(text.as_bytes()), InputKind::Text, "{text}");
        }
    }

    #[test]
    fn markup_left_in_cleaned_text_is_seen() {
        assert!(looks_like_markup("<div><a href=\"/\">Home</a></div>\n<div><span>News</span></div>"));
        assert!(!looks_like_markup("A story that mentions <b> once, in passing, with plenty of prose around it."));
        assert!(!looks_like_markup(""));
    }

    #[test]
    fn legacy_text_is_detected_unless_strict_or_lossy() {
        let bytes = b"Der B\xe4cker an der Ecke schlie\xdft nach vierzig Jahren, sagt die Gemeinde.";
        let d = decode(bytes, Utf8Mode::Detect, true).unwrap();
        assert_eq!(d.text, "Der Bäcker an der Ecke schließt nach vierzig Jahren, sagt die Gemeinde.");
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
        assert!(matches!(decode(bytes, Utf8Mode::Strict, true), Err(Error::InvalidUtf8 { offset: 5 })));
        assert!(decode(bytes, Utf8Mode::Lossy, true).unwrap().text.contains("B\u{FFFD}cker"));
        // A twice-encoded BOM goes, and the mojibake after it is repaired.
        let d = decode("\u{EF}\u{BB}\u{BF}Caf\u{C3}\u{A9}".as_bytes(), Utf8Mode::Detect, true).unwrap();
        assert_eq!((d.text.as_str(), d.mojibake_fixed), ("Café", 1));
    }

    #[test]
    fn the_page_starts_at_its_doctype_past_junk_or_past_a_garbled_one() {
        assert_eq!(page_start("<!DOCTYPE html><p>x"), 0);
        assert_eq!(page_start("?<!DOCTYPE html><p>x"), 1);
        assert_eq!(page_start("?< !doctype html>\n<p>x"), 17);
        assert_eq!(page_start("<!DOCTYP html><p>x"), 14);
        assert_eq!(page_start("<p>No doctype</p>"), 0);
        assert_eq!(page_start("<!-- c --><html>"), 0);
    }

    #[test]
    fn strips_bom_and_normalises_breaks_and_spaces() {
        let t = decode_text(b"\xEF\xBB\xBFa\r\nb\rc\xC2\xA0d\te", Utf8Mode::Strict).unwrap();
        assert_eq!(t, "a\nb\nc d e");
    }

    #[test]
    fn decodes_utf16_with_bom() {
        let bytes: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("hé".encode_utf16().flat_map(|u| u.to_le_bytes())).collect();
        assert_eq!(decode_text(&bytes, Utf8Mode::Strict).unwrap(), "hé");
    }

    #[test]
    fn invalid_utf8_is_an_error_or_replaced() {
        let bytes = b"ok \xFF bad";
        assert!(matches!(decode_text(bytes, Utf8Mode::Strict), Err(Error::InvalidUtf8 { offset: 3 })));
        assert_eq!(decode_text(bytes, Utf8Mode::Lossy).unwrap(), "ok \u{FFFD} bad");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(decode_text(b"PK\x03\x04\x00\x00", Utf8Mode::Lossy), Err(Error::Binary { offset: 4 })));
    }

    #[test]
    fn sniffs_html_by_content_not_mentions() {
        assert_eq!(sniff(b"  <!DOCTYPE html><html>"), InputKind::Html);
        assert_eq!(sniff(b"<div class=a><p>Hi</p></div>"), InputKind::Html);
        assert_eq!(sniff(b"The <b> tag makes text bold."), InputKind::Text);
        assert_eq!(sniff(b"Plain story."), InputKind::Text);
    }

    #[test]
    fn sniffs_pages_with_leading_warnings_or_head_tags() {
        let warned = b"<br />\n<b>Warning</b>: something failed in <b>/www/x.php</b> on line <b>9</b><br />\n\
                       <!DOCTYPE html>\n<html><body><p>Story.</p></body></html>";
        assert_eq!(sniff(warned), InputKind::Html);
        assert_eq!(sniff(b"<style>p { color: red }</style><div>x</div>"), InputKind::Html);
        assert_eq!(sniff(b"\t<meta property=\"og:type\" content=\"article\" />"), InputKind::Html);
        // Text that opens with a tag-like word and never becomes a page stays text.
        assert_eq!(sniff(b"<b>Warning</b>: the bridge is closed. Drivers should use the ferry."), InputKind::Text);
    }
}
