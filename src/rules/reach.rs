//! The characters a text can hold, and patterns cut down to them. Most of
//! a built-in rule's NFA is its Unicode classes (`\p{L}`, `\w`, case
//! folding) compiled into UTF-8 automata, and almost all of those states
//! are for scripts a European news text never has. A text whose characters
//! all lie in a small [`Reach`] is matched exactly by the pattern with every
//! class and literal cut down to that reach, whose NFA is a fraction of the
//! size: cheaper to read from `rules/nfa.bin`, to run lazily and to compile
//! for captures. A text beyond every small reach gets the whole pattern.
//!
//! Why the answer is the same: the text is valid UTF-8, so a path of the
//! NFA that consumes one character of a class consumes one whole character
//! of the text, and that character is in the reach. Cutting the classes
//! removes only paths that no such text can take, and keeps the order of
//! the others, so the matches, their priority (leftmost-first) and their
//! capture groups are those of the whole pattern (tested rule by rule in
//! `rules`). Byte classes (`(?-u)`) are kept whole.

use regex_syntax::hir::{Capture, Class, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Repetition};

/// A set of characters a text may be confined to, smallest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// U+0000–U+007F.
    Ascii,
    /// Two-byte UTF-8 (up to U+07FF: Latin, Greek, Cyrillic…) and
    /// U+2000–U+21FF (punctuation such as “ ” – — …, currency such as €,
    /// ™, arrows): the text of every European language.
    Latin,
    /// Anything.
    Full,
}

impl Reach {
    /// The smallest reach that holds every character of `text`.
    pub fn of(text: &str) -> Reach {
        let b = text.as_bytes();
        if b.is_ascii() {
            return Reach::Ascii;
        }
        // Lead bytes of three- and four-byte characters: only E2 80–87
        // (U+2000–U+21FF) is in `Latin`.
        let mut i = 0;
        while let Some(j) = lead_of_three_from(b, i) {
            if b[j] != 0xe2 || !matches!(b.get(j + 1), Some(0x80..=0x87)) {
                return Reach::Full;
            }
            i = j + 1;
        }
        Reach::Latin
    }

    /// The characters of this reach as a class; `None` for [`Reach::Full`].
    pub fn class(self) -> Option<ClassUnicode> {
        let r = ClassUnicodeRange::new;
        match self {
            Reach::Ascii => Some(ClassUnicode::new([r('\0', '\x7f')])),
            Reach::Latin => Some(ClassUnicode::new([r('\0', '\u{7ff}'), r('\u{2000}', '\u{21ff}')])),
            Reach::Full => None,
        }
    }

    /// Its short name, in the keys of `rules/nfa.bin`.
    pub fn tag(self) -> &'static [u8] {
        match self {
            Reach::Ascii => b"ascii",
            Reach::Latin => b"latin",
            Reach::Full => b"",
        }
    }
}

/// `hir` with every Unicode class and literal cut down to `within`: on a
/// text all of whose characters are in `within` it matches exactly where
/// `hir` does (see the module's doc). Linear in the tree.
pub fn restrict(hir: &Hir, within: &ClassUnicode) -> Hir {
    match hir.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut c = c.clone();
            c.intersect(within);
            Hir::class(Class::Unicode(c))
        }
        HirKind::Literal(l) => match std::str::from_utf8(&l.0) {
            Ok(s) if s.chars().all(|c| super::class_has(within, c)) => hir.clone(),
            Ok(_) => Hir::fail(),
            // Bytes of a `(?-u)` literal: kept, as byte classes are.
            Err(_) => hir.clone(),
        },
        HirKind::Class(Class::Bytes(_)) | HirKind::Empty | HirKind::Look(_) => hir.clone(),
        HirKind::Repetition(r) => Hir::repetition(Repetition { sub: Box::new(restrict(&r.sub, within)), ..r.clone() }),
        HirKind::Capture(c) => Hir::capture(Capture { sub: Box::new(restrict(&c.sub, within)), ..c.clone() }),
        HirKind::Concat(v) => Hir::concat(v.iter().map(|h| restrict(h, within)).collect()),
        HirKind::Alternation(v) => Hir::alternation(v.iter().map(|h| restrict(h, within)).collect()),
    }
}

/// The first byte from `i` on that is `E0` or above (a lead byte of a
/// three- or four-byte character), eight bytes at a time: this runs before
/// every rule's search, on every block.
#[inline]
fn lead_of_three_from(b: &[u8], mut i: usize) -> Option<usize> {
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // Bit 7 of each byte, and-ed with its bits 6 and 5 shifted up (the
        // bits shifted in from the byte below land outside `HI`).
        let lead = x & (x << 1) & (x << 2) & HI;
        if lead != 0 {
            return Some(i + (lead.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b.get(i..)?.iter().position(|&c| c >= 0xe0).map(|at| i + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_bytes_are_found_as_a_byte_at_a_time() {
        let mut texts: Vec<Vec<u8>> = Vec::new();
        for len in 0..20 {
            for b in [0x41u8, 0x7f, 0x80, 0xc3, 0xdf, 0xe0, 0xe2, 0xef, 0xf0, 0xff] {
                for at in 0..len {
                    let mut t = vec![b'a'; len];
                    t[at] = b;
                    texts.push(t);
                }
            }
        }
        for t in &texts {
            for i in 0..=t.len() {
                let want = t[i..].iter().position(|&c| c >= 0xe0).map(|at| i + at);
                assert_eq!(lead_of_three_from(t, i), want, "{t:?} from {i}");
            }
        }
    }

    #[test]
    fn a_text_has_the_smallest_reach_that_holds_it() {
        for (t, r) in [
            ("", Reach::Ascii),
            ("Storm closes the bridge", Reach::Ascii),
            ("Grüße aus Köln – “gut” … 5 €", Reach::Latin),
            ("Ελλάδα, Россия, ™ →", Reach::Latin),
            ("a\u{7ff}b\u{2000}\u{21ff}", Reach::Latin),
            ("a\u{800}", Reach::Full),
            ("\u{1fff}", Reach::Full),
            ("x\u{2200}", Reach::Full),
            ("日本", Reach::Full),
            ("emoji 😀", Reach::Full),
            ("\u{feff}BOM", Reach::Full),
        ] {
            assert_eq!(Reach::of(t), r, "{t:?}");
            if let Some(c) = r.class() {
                assert!(t.chars().all(|ch| super::super::class_has(&c, ch)), "{t:?}");
            }
        }
    }

    #[test]
    fn a_restricted_pattern_matches_as_the_whole_within_its_reach() {
        let cases = [
            r"(?i)^(?:by|von)\s+(?P<value>\p{Lu}\p{L}+(?:\s+\p{Lu}\p{L}+)*)$",
            r"^[\s\p{P}]*(?:©|\(c\))\s*\d{4}\b",
            r"(?i)straße|ſtop|kelvin",
            r"(?-u:\w)+x|é+|[^\n]{2,5}",
        ];
        let texts = [
            "By Jane Doe",
            "von Jürgen Groß",
            "VON ÅSA ÖBERG",
            "© 2024 x",
            "(C) 2024",
            "STRASSE",
            "straße",
            "stop",
            "KELVIN",
            "éé",
            "ab",
            "",
            "日本",
        ];
        for p in cases {
            let whole = regex_automata::meta::Regex::new(p).unwrap();
            let hir = regex_syntax::parse(p).unwrap();
            for reach in [Reach::Ascii, Reach::Latin] {
                let cut = regex_automata::meta::Regex::builder()
                    .build_from_hir(&restrict(&hir, &reach.class().unwrap()))
                    .unwrap();
                for t in texts.iter().filter(|t| Reach::of(t) <= reach) {
                    let (mut a, mut b) = (whole.create_captures(), cut.create_captures());
                    whole.captures(*t, &mut a);
                    cut.captures(*t, &mut b);
                    let spans = |c: &regex_automata::util::captures::Captures| {
                        (0..c.group_len()).map(|g| c.get_group(g)).collect::<Vec<_>>()
                    };
                    assert_eq!(spans(&a), spans(&b), "{p} on {t:?}");
                }
            }
        }
    }
}
