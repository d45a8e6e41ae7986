//! Bytes of a page to a `str`: the charset a BOM or a `<meta>` declares, or,
//! with no declaration, UTF-8 when the bytes are valid UTF-8 and otherwise
//! what `chardetng` guesses (as a browser does). A page that declares a
//! single-byte legacy charset but holds valid multi-byte UTF-8 is read as
//! UTF-8: crawlers often re-encode pages and leave the old `<meta>` behind.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use std::borrow::Cow;

/// How far into the page a `<meta charset>` is looked for. The HTML
/// standard's pre-scan reads 1024 bytes; real pages put long `<title>`s and
/// scripts first, so we read further.
const PRESCAN: usize = 8192;

/// How the charset was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Bom,
    Meta,
    /// Valid UTF-8 with nothing declared, or despite a legacy declaration.
    Utf8,
    Sniffed,
}

/// Decode `bytes`; returns the text, the encoding used and how it was chosen.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static Encoding, Source) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc, Source::Bom);
    }
    let declared = declared(&bytes[..bytes.len().min(PRESCAN)]);
    let utf8 = std::str::from_utf8(bytes).ok();
    match (declared, utf8) {
        (Some(enc), Some(s)) if enc.is_ascii_compatible() => {
            // ASCII reads the same in every ASCII-compatible charset; valid
            // UTF-8 with non-ASCII in it is UTF-8 whatever the page says.
            let source = if enc == UTF_8 || s.is_ascii() { Source::Meta } else { Source::Utf8 };
            (Cow::Borrowed(s), if s.is_ascii() { enc } else { UTF_8 }, source)
        }
        (Some(enc), _) => {
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (text, enc, Source::Meta)
        }
        (None, Some(s)) => (Cow::Borrowed(s), UTF_8, Source::Utf8),
        (None, None) => {
            let mut det = chardetng::EncodingDetector::new();
            det.feed(bytes, true);
            let enc = det.guess(None, true);
            let (text, _) = enc.decode_without_bom_handling(bytes);
            (text, enc, Source::Sniffed)
        }
    }
}

/// The charset a `<meta charset=…>` or `<meta http-equiv=Content-Type
/// content="…; charset=…">` names, mapped as the HTML standard says
/// (UTF-16 labels mean UTF-8 in a meta, `x-user-defined` means windows-1252).
pub fn declared(head: &[u8]) -> Option<&'static Encoding> {
    let mut at = 0;
    while let Some(p) = find_ci(&head[at..], b"<meta") {
        let start = at + p + 5;
        let end = head[start..].iter().position(|&b| b == b'>').map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(c) = find_ci(tag, b"charset") {
            let rest = &tag[c + 7..];
            let rest = trim_start(rest);
            if let Some(rest) = rest.strip_prefix(b"=") {
                let rest = trim_start(rest);
                let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
                let len = rest
                    .iter()
                    .position(|&b| matches!(b, b'"' | b'\'' | b';' | b' ' | b'/' | b'>') || b.is_ascii_whitespace())
                    .unwrap_or(rest.len());
                if let Some(enc) = Encoding::for_label(&rest[..len]) {
                    return Some(if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
                        UTF_8
                    } else if enc == encoding_rs::X_USER_DEFINED {
                        WINDOWS_1252
                    } else {
                        enc
                    });
                }
            }
        }
        at = end.min(head.len());
        if at >= head.len() {
            break;
        }
    }
    None
}

fn trim_start(b: &[u8]) -> &[u8] {
    let n = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    &b[n..]
}

/// Case-insensitive search for an ASCII needle.
fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || hay.len() < needle.len() {
        return None;
    }
    let first = needle[0].to_ascii_lowercase();
    (0..=hay.len() - needle.len()).find(|&i| {
        hay[i].to_ascii_lowercase() == first
            && hay[i..i + needle.len()].iter().zip(needle).all(|(a, b)| a.to_ascii_lowercase() == *b)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_windows_1252_is_honoured() {
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\xe9 cr\xe8me \x93quoted\x94</p></body></html>";
        let (text, enc, src) = decode(page);
        assert_eq!(enc, WINDOWS_1252);
        assert_eq!(src, Source::Meta);
        assert!(text.contains("Café crème “quoted”"));
    }

    #[test]
    fn http_equiv_content_type_is_read() {
        let head = b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'>";
        // ISO-8859-1 is windows-1252 by the Encoding Standard.
        assert_eq!(declared(head), Some(WINDOWS_1252));
        assert_eq!(declared(b"<meta name=x content=y><meta charset=utf-16>"), Some(UTF_8));
        assert_eq!(declared(b"<meta name=description content=\"no charset here\">"), None);
    }

    #[test]
    fn valid_utf8_wins_over_a_stale_legacy_declaration() {
        let page = "<meta charset=iso-8859-1><p>Smørrebrød på én gang</p>".as_bytes();
        let (text, enc, src) = decode(page);
        assert_eq!((enc, src), (UTF_8, Source::Utf8));
        assert!(text.contains("Smørrebrød på én gang"));
    }

    #[test]
    fn undeclared_legacy_bytes_are_sniffed() {
        let page = b"<html><body><p>Le gar\xe7on a mang\xe9 une cr\xeape \xe0 la f\xeate du village, pr\xe8s de l'\xe9glise.</p></body></html>";
        let (text, _, src) = decode(page);
        assert_eq!(src, Source::Sniffed);
        assert!(text.contains("garçon a mangé une crêpe à la fête"));
    }

    #[test]
    fn bom_decides_first() {
        let mut page = vec![0xFF, 0xFE];
        page.extend("<p>hé</p>".encode_utf16().flat_map(|u| u.to_le_bytes()));
        let (text, _, src) = decode(&page);
        assert_eq!(src, Source::Bom);
        assert_eq!(text, "<p>hé</p>");
    }
}
