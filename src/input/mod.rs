//! Stage 1 of the pipeline: bytes in, normalised text out.
//!
//! Text input is decoded here (BOM, UTF-16, strict or lossy UTF-8) and
//! normalised so that later stages see one kind of line break and one kind of
//! space. HTML input is recognised here and handed to [`crate::html`], which
//! turns the DOM into the same [`crate::blocks::Block`]s that text makes.

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

/// How to treat bytes that are not valid UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Utf8Mode {
    /// Fail with [`Error::InvalidUtf8`].
    #[default]
    Strict,
    /// Replace each bad sequence with U+FFFD and go on.
    Lossy,
}

/// How far into a document that opens with a tag [`sniff`] looks for the
/// doctype or `<html>`.
const SNIFF_DOCUMENT_BYTES: usize = 16 << 10;

/// Decide whether `bytes` hold HTML. Looks at the first non-blank bytes for a
/// doctype or a common top-level tag (or, when they open with some other tag,
/// for a doctype or `<html>` further on), so an article that merely mentions
/// `<b>` is still text.
pub fn sniff(bytes: &[u8]) -> InputKind {
    let head = &bytes[..bytes.len().min(SNIFF_DOCUMENT_BYTES)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    // Every HTML signal below starts with `<`: plain text is told at once.
    if head.get(start) != Some(&b'<') {
        return InputKind::Text;
    }
    let lower: Vec<u8> = head[start..].iter().take(1024).map(|b| b.to_ascii_lowercase()).collect();
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
    // A page whose server printed warnings (`<br /><b>Warning</b>: …`) or
    // injected markup before the doctype is still a page.
    let rest = &head[start..];
    const DOCUMENT: [&[u8]; 2] = [b"<!doctype html", b"<html"];
    if DOCUMENT.iter().any(|d| rest.windows(d.len()).any(|w| w.eq_ignore_ascii_case(d))) {
        return InputKind::Html;
    }
    // Fragments: several block-level tags early on.
    let tags = [&b"<div"[..], b"<p>", b"<p ", b"<article", b"<section", b"<meta ", b"<script"];
    let hits = tags.iter().filter(|t| lower.windows(t.len()).any(|w| w == **t)).count();
    if lower.starts_with(b"<") && hits >= 2 {
        InputKind::Html
    } else {
        InputKind::Text
    }
}

/// Decode text input to a `String` and normalise it (see [`normalize`]).
///
/// Handles a UTF-8 BOM, UTF-16 with a BOM, and rejects binary data. Invalid
/// UTF-8 is an error in [`Utf8Mode::Strict`] and replaced in
/// [`Utf8Mode::Lossy`].
pub fn decode_text(bytes: &[u8], mode: Utf8Mode) -> Result<String> {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        if enc != encoding_rs::UTF_8 {
            return Ok(normalized(enc.decode_without_bom_handling(&bytes[bom_len..]).0));
        }
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Some(offset) = memchr_nul(bytes) {
        return Err(Error::Binary { offset });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => match mode {
            Utf8Mode::Strict => return Err(Error::InvalidUtf8 { offset: e.valid_up_to() }),
            Utf8Mode::Lossy => String::from_utf8_lossy(bytes),
        },
    };
    Ok(normalized(text))
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
            if !maybe_special(u64::from_le_bytes(chunk.try_into().expect("eight bytes"))) {
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

    #[test]
    fn sniff_tells_text_that_does_not_open_with_a_tag() {
        assert_eq!(sniff(b"  The <p> tag is not HTML here, <div> neither."), InputKind::Text);
        assert_eq!(sniff(b"\xEF\xBB\xBF\n <!DOCTYPE html><p>x"), InputKind::Html);
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
