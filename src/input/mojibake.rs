//! Mojibake repair: UTF-8 that was decoded as Windows-1252 or Latin-1 (once
//! or twice) and saved again, so that `é` reads `Ã©`, `’` reads `â€™` and
//! `©` reads `Â©` (or, twice, `ÃƒÂ©`).
//!
//! Done the way ftfy's `fix_encoding` does it, conservatively: find each
//! sequence of characters that, encoded back as Windows-1252 (or Latin-1, for
//! the C1 controls), is one valid multi-byte UTF-8 character, and replace it
//! with that character when the result is plausible:
//!
//! - the character is one European text uses (Latin-1 and Latin Extended-A
//!   letters and signs, Romanian `ș ț`, Greek, Cyrillic, the general
//!   punctuation, `€`, `™`); so `É»` in a French quote, which would decode to
//!   the IPA letter `ɻ`, stays;
//! - a two-byte sequence whose second character is common punctuation after a
//!   letter (a no-break space, `« » … ’ ” – —`) is repaired only with more
//!   evidence: a letter right after it, a lower-case letter before it (`Ã` is
//!   upper case, so `irmÃ…` is mojibake while `IRMÃ…` may be Portuguese), or
//!   another, unambiguous repair in the same text;
//! - a run of mojibake between quotes or brackets (`"Ã©"`, a text about
//!   mojibake) is left alone.
//!
//! Passes repeat (at most three) so that text encoded twice comes out right.
//! Every mojibake lead character is U+00C2–U+00F4, whose UTF-8 form opens
//! with the byte 0xC3: text without that byte (all ASCII, and most text in
//! languages without those letters) is skipped with one `memchr` scan.

/// Windows-1252's characters for the bytes 0x80–0x9F; the five bytes it
/// leaves undefined decode to the C1 control of the same number (WHATWG).
const CP1252_HIGH: [char; 32] = [
    '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž', '\u{8F}', '\u{90}', '‘', '’',
    '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}', 'ž', 'Ÿ',
];

/// Passes at most: twice-encoded text needs two; a third catches a rare
/// triple encoding.
const MAX_PASSES: usize = 3;

/// Repair mojibake in `text`. Returns the repaired text and the number of
/// sequences repaired in the first pass, or `None` when nothing changed.
pub fn fix(text: &str) -> Option<(String, usize)> {
    let (mut out, count) = fix_pass(text)?;
    for _ in 1..MAX_PASSES {
        match fix_pass(&out) {
            Some((next, _)) => out = next,
            None => break,
        }
    }
    Some((out, count))
}

/// The continuation byte (0x80–0xBF) a character stands for when UTF-8 was
/// read as Windows-1252 or Latin-1.
fn cont_byte(c: char) -> Option<u8> {
    let u = c as u32;
    if u < 0x80 {
        return None;
    }
    if u <= 0xBF {
        return Some(u as u8);
    }
    CP1252_HIGH.iter().position(|&h| h == c).map(|i| 0x80 + i as u8)
}

/// Length of the UTF-8 sequence a lead character (read as Latin-1) opens.
fn lead_len(c: char) -> Option<usize> {
    match c as u32 {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// Characters European text uses, which a repair may produce (with every
/// character Windows-1252 has, which a first pass of two makes).
fn plausible(c: char) -> bool {
    matches!(c as u32,
        0xA0..=0x17F | 0x192 | 0x218..=0x21B | 0x2C6 | 0x2DC | 0x370..=0x3FF | 0x400..=0x45F
        | 0x2010..=0x2027 | 0x2030..=0x203A | 0x20AC | 0x2122 | 0xFEFF)
}

/// Punctuation that legitimately follows a letter, so a lead letter followed
/// by it (`Ã»`, `Ä…`) may be real text.
fn common_after_letter(c: char) -> bool {
    matches!(
        c,
        '\u{A0}'
            | '«'
            | '»'
            | '°'
            | '·'
            | '…'
            | '‘'
            | '’'
            | '“'
            | '”'
            | '‚'
            | '„'
            | '–'
            | '—'
            | '•'
            | '‹'
            | '›'
    )
}

fn opening(c: Option<char>) -> bool {
    matches!(c, Some('"' | '\'' | '“' | '„' | '«' | '»' | '‘' | '‚' | '(' | '[' | '`'))
}

fn closing(c: Option<char>) -> bool {
    matches!(c, Some('"' | '\'' | '”' | '“' | '»' | '«' | '’' | ')' | ']' | '`'))
}

/// A sequence that decodes to one character.
struct Candidate {
    start: usize,
    end: usize,
    fixed: char,
    /// Needs no more evidence.
    strong: bool,
    /// Has that evidence from its neighbours.
    context: bool,
}

fn fix_pass(text: &str) -> Option<(String, usize)> {
    let bytes = text.as_bytes();
    memchr::memchr(0xC3, bytes)?;
    let mut cands: Vec<Candidate> = Vec::new();
    let mut next_free = 0;
    for pos in memchr::memchr_iter(0xC3, bytes) {
        if pos < next_free {
            continue;
        }
        // 0xC3 only ever opens a character, so `pos` is a boundary.
        let Some(lead) = text[pos..].chars().next() else { continue };
        let Some(n) = lead_len(lead) else { continue };
        let mut buf = [lead as u8, 0, 0, 0];
        let mut end = pos + lead.len_utf8();
        let mut second = None;
        let mut ok = true;
        for slot in buf.iter_mut().take(n).skip(1) {
            match text[end..].chars().next().and_then(|c| cont_byte(c).map(|b| (c, b))) {
                Some((c, b)) => {
                    *slot = b;
                    second.get_or_insert(c);
                    end += c.len_utf8();
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if !ok {
            continue;
        }
        let Some(fixed) = std::str::from_utf8(&buf[..n]).ok().and_then(|s| s.chars().next()) else { continue };
        // A C1 control is what the first of two passes makes of Latin-1
        // read twice (`Â\u{82}` → U+0082); the text had a control already.
        let c1 = |c: char| ('\u{80}'..='\u{9F}').contains(&c);
        if !(plausible(fixed) || (c1(fixed) && second.is_some_and(c1))) {
            continue;
        }
        let before = text[..pos].chars().next_back();
        let after = text[end..].chars().next();
        let strong = n >= 3 || !second.is_some_and(common_after_letter);
        let context = after.is_some_and(char::is_alphabetic)
            || before.is_some_and(char::is_lowercase)
            // A no-break space before a space: `voilÃ  la` is `voilà la`.
            || (second == Some('\u{A0}') && after == Some(' '));
        cands.push(Candidate { start: pos, end, fixed, strong, context });
        next_free = end;
    }
    // Runs of adjacent candidates between quotes are quoted on purpose.
    let mut keep = vec![true; cands.len()];
    let mut i = 0;
    while i < cands.len() {
        let mut j = i;
        while j + 1 < cands.len() && cands[j + 1].start == cands[j].end {
            j += 1;
        }
        if opening(text[..cands[i].start].chars().next_back()) && closing(text[cands[j].end..].chars().next()) {
            keep[i..=j].iter_mut().for_each(|k| *k = false);
        }
        i = j + 1;
    }
    let evidence = cands.iter().zip(&keep).any(|(c, &k)| k && c.strong);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    let mut count = 0;
    for (c, &k) in cands.iter().zip(&keep) {
        if k && (c.strong || c.context || evidence) {
            out.push_str(&text[at..c.start]);
            out.push(c.fixed);
            at = c.end;
            count += 1;
        }
    }
    if count == 0 {
        return None;
    }
    out.push_str(&text[at..]);
    Some((out, count))
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::WINDOWS_1252;

    /// `s` as UTF-8 bytes read as Windows-1252 (the C1 bytes it leaves
    /// undefined become C1 controls, as browsers and encoding_rs do).
    fn as_cp1252(s: &str) -> String {
        WINDOWS_1252.decode_without_bom_handling(s.as_bytes()).0.into_owned()
    }

    /// `s` as UTF-8 bytes read as Latin-1 (ISO-8859-1 proper: every byte is
    /// the code point of the same number).
    fn as_latin1(s: &str) -> String {
        s.bytes().map(char::from).collect()
    }

    fn fixed(s: &str) -> String {
        fix(s).map_or_else(|| s.to_owned(), |(t, _)| t)
    }

    /// The accented letters of the European alphabets newsclean reads.
    const ALPHABETS: &[(&str, &str)] = &[
        ("da/no", "æøåÆØÅ"),
        ("nl", "éëïöüèÉËÏÖÜ"),
        ("de", "äöüßÄÖÜ"),
        ("fr", "àâæçéèêëîïôœùûüÿÀÂÆÇÉÈÊËÎÏÔŒÙÛÜŸ"),
        ("es", "áéíñóúüÁÉÍÑÓÚÜ¿¡"),
        ("sv", "åäöÅÄÖ"),
        ("it", "àèéìíîòóùúÀÈÉÌÍÎÒÓÙÚ"),
        ("pt", "áâãàçéêíóôõúÁÂÃÀÇÉÊÍÓÔÕÚ"),
        ("pl", "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ"),
        ("cs", "áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"),
        ("sk", "äĺľôŕÄĹĽÔŔ"),
        ("fi/et", "äöåšžõÄÖÅŠŽÕ"),
        ("hu", "áéíóöőúüűÁÉÍÓÖŐÚÜŰ"),
        ("ro", "ăâîșțĂÂÎȘȚ"),
        ("is", "áðéíóúýþæöÁÐÉÍÓÚÝÞÆÖ"),
        ("tr", "çğıöşüÇĞİÖŞÜ"),
        ("hr/sl/lv/lt", "čćđšžČĆĐŠŽāēīūļņķģĀĒĪŪąęėįųĄĘĖĮŲ"),
        ("el", "αβγδεζηθικλμνξοπρστυφχψωάέήίόύώΑΒΓΔΕΖΗΘΛΞΠΣΦΨΩ"),
        ("ru/bg/uk", "абвгдежзийклмнопрстуфхцчшщъыьэюяАБВЖЗЯ"),
        ("punctuation", "’‘“”„–—…•€™©®°«»"),
    ];

    #[test]
    fn every_accented_letter_is_repaired_once_and_twice() {
        for (lang, letters) in ALPHABETS {
            for ch in letters.chars() {
                // In a word, at the start of one, and alone between spaces
                // (where `Ã…` may be Portuguese, so the repair of the
                // unambiguous `café` is the evidence).
                for text in [format!("ab{ch}cd"), format!("{ch}bcd efg"), format!("one {ch} two, café")] {
                    for (how, garbled) in [
                        ("cp1252", as_cp1252(&text)),
                        ("latin1", as_latin1(&text)),
                        ("cp1252 twice", as_cp1252(&as_cp1252(&text))),
                        ("latin1 twice", as_latin1(&as_latin1(&text))),
                    ] {
                        assert_eq!(fixed(&garbled), text, "{lang} {ch:?} {how}: {garbled:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn sentences_are_repaired_and_counted() {
        let text = "Le cafÃ© de la rue est fermÃ© â€“ Â« câ€™est la vie Â», dit-il. Â© 2024";
        let (out, n) = fix(text).unwrap();
        assert_eq!(out, "Le café de la rue est fermé – « c’est la vie », dit-il. © 2024");
        assert_eq!(n, 7);
        assert_eq!(fixed("Ele Ã© o melhor jogador do paÃ\u{AD}s."), "Ele é o melhor jogador do país.");
    }

    #[test]
    fn real_text_that_looks_like_mojibake_stays() {
        for text in [
            // Portuguese capitals: Ã before a letter or a space is not a lead.
            "SÃO PAULO e MARANHÃO",
            "A IRMÃ» disse; IRMÃ… e AMANHÃ – tudo em maiúsculas.",
            // French and Romanian capitals.
            "L'ÂGE D'OR, «L'ÉTÉ» et ÎNTÂMPLAREA",
            "«ÇA» et «ÉTÉ»",
            // A text about mojibake quotes it.
            "Broken pages show \"Ã©\" instead of \"é\", or «â€™» for an apostrophe.",
            // Plain text with accents, symbols and punctuation.
            "Smørrebrød, crème brûlée, Ærø — “quoted” … 20 °C · © Reuters",
            "Ω, ä, ß, ÿ, naïve café",
        ] {
            assert_eq!(fix(text), None, "{text}");
        }
    }

    #[test]
    fn correct_text_in_every_alphabet_is_left_alone() {
        assert_eq!(fix("Plain ASCII text."), None);
        for (lang, letters) in ALPHABETS {
            for ch in letters.chars() {
                for text in [format!("ab{ch}cd"), format!("{ch}bcd efg"), format!("one {ch} two")] {
                    assert_eq!(fix(&text), None, "{lang} {text:?}");
                }
            }
            let all: String = letters.chars().flat_map(|c| [c, ' ']).collect();
            assert_eq!(fix(&all), None, "{lang} {all:?}");
        }
    }
}
