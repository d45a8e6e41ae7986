//! Stage 3 of the pipeline: measurements per [`Block`], which the classifier
//! reads. Nothing here decides anything.
//!
//! The features are the ones jusText and Readability found useful: length in
//! words, stopword density in the document's language, whether the block ends
//! like a sentence, where it sits, and whether the same text recurs in the
//! document (teaser titles and captions are often printed twice).

use crate::blocks::{Block, BlockShape};
use crate::rules::Stopwords;
use rustc_hash::FxHashMap;
use std::cell::Cell;
use std::hash::Hasher;

/// What the classifier knows about one block.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Features {
    pub chars: usize,
    pub words: usize,
    /// Stopwords of the document's language among the words, 0–1.
    pub stopword_density: f32,
    /// Ends with sentence punctuation (or a closing quote after it).
    pub terminal: bool,
    /// Short, starts with a capital or digit, and does not end like a
    /// sentence: a headline, a subheading or a teaser title.
    pub title_like: bool,
    /// How many blocks of the document have this text (1 = unique).
    pub repeats: usize,
    /// Index of the first block with this text.
    pub first_index: usize,
    /// Relative position, 0 at the first block and 1 at the last.
    pub position: f32,
    /// Share of characters inside links (HTML only).
    pub link_density: f32,
    /// Character classes counted in the word pass, for the model's rows.
    #[serde(skip)]
    pub shape: Shape,
}

/// Character counts of a block's text, made in the same pass over its bytes
/// as the words (the model's rows read them; a second pass per block cost as
/// much as the word scan itself).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    pub chars: usize,
    /// Neither letter, digit nor white space.
    pub punct: usize,
    /// Numeric characters that are not letters.
    pub digits: usize,
    /// Upper-case letters.
    pub upper: usize,
    pub letters: usize,
    pub commas: usize,
    /// Separators: `|` `·` `•` `»` `›` `>` `/` `–` `—`.
    pub separators: usize,
    /// Sentence ends: `.` `!` `?` before white space or the end.
    pub sentences: usize,
    pub lines: usize,
    /// Words that start with a capital.
    pub capitalised: usize,
}

/// A block is short enough to be a title up to this many words.
pub const TITLE_MAX_WORDS: usize = 20;

/// Iterate over the words of `text`: runs of letters and digits.
pub fn words(text: &str) -> Words<'_> {
    Words { text, pos: 0 }
}

/// The iterator of [`words`]. It reads bytes and decodes a character only
/// where a byte is not ASCII: the same words as splitting on
/// `!char::is_alphanumeric`, at a fraction of the cost on European text.
#[derive(Debug, Clone)]
pub struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// The character at byte `i` of `text` (a char boundary), with its length.
#[inline]
fn char_at(text: &str, i: usize) -> (char, usize) {
    let c = text[i..].chars().next().unwrap_or('\u{FFFD}');
    (c, c.len_utf8())
}

/// Whether the character at byte `i` of `text` (not ASCII, a char
/// boundary) is a letter or digit, and its length; Latin-1 (`C3 xx`) from
/// the second byte.
#[inline]
fn alnum_at(text: &str, i: usize) -> (bool, usize) {
    let bytes = text.as_bytes();
    if bytes[i] == 0xC3 {
        // U+00C0–U+00FF: letters but `×` (`C3 97`) and `÷` (`C3 B7`).
        let b2 = bytes.get(i + 1).copied().unwrap_or(0);
        return (b2 != 0x97 && b2 != 0xB7, 2);
    }
    let (c, len) = char_at(text, i);
    (is_alphanumeric(c), len)
}

/// Byte classes for [`Words`]: 0 neither letter nor digit, 1 lower-case
/// letter or digit, 2 capital letter (all ASCII, as [`ASCII_FLAGS`] has
/// them), 3 not ASCII (decode it).
const CLASS: [u8; 256] = {
    let mut t = [3u8; 256];
    let mut b = 0;
    while b < 128 {
        let f = ASCII_FLAGS[b];
        t[b] = if f & UPPER != 0 {
            2
        } else if f & (ALPHA | DIGIT) != 0 {
            1
        } else {
            0
        };
        b += 1;
    }
    t
};

impl<'a> Words<'a> {
    /// The next word, and whether it is plain: ASCII with no capital, so
    /// already lower case.
    #[inline]
    pub fn next_word(&mut self) -> Option<(&'a str, bool)> {
        let bytes = self.text.as_bytes();
        let n = bytes.len();
        let mut i = self.pos;
        // Skip to the first letter or digit.
        while i < n {
            match CLASS[bytes[i] as usize] {
                0 => i += 1,
                3 => {
                    let (alnum, len) = alnum_at(self.text, i);
                    if alnum {
                        break;
                    }
                    i += len;
                }
                _ => break,
            }
        }
        if i >= n {
            self.pos = n;
            return None;
        }
        let start = i;
        let mut seen = 0u8;
        while i < n {
            let k = CLASS[bytes[i] as usize];
            match k {
                0 => break,
                3 => {
                    let (alnum, len) = alnum_at(self.text, i);
                    if !alnum {
                        break;
                    }
                    i += len;
                }
                1 if bytes[i].is_ascii_lowercase() => i = lower_run_end(bytes, i + 1),
                _ => i += 1,
            }
            seen |= k;
        }
        self.pos = i;
        Some((&self.text[start..i], seen <= 1))
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    #[inline]
    fn next(&mut self) -> Option<&'a str> {
        self.next_word().map(|(w, _)| w)
    }
}

/// Fill `buf` with `word` lower-cased and return it; avoids allocating for
/// words that are lower case already.
#[inline]
pub fn lower<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return word;
        }
        return ascii_lowered(word, buf);
    }
    let has_upper = word.chars().any(|c| match latin1_letter(c) {
        Some(upper) => upper,
        None => {
            if c.is_ascii() {
                c.is_ascii_uppercase()
            } else {
                c.is_uppercase()
            }
        }
    });
    if !has_upper {
        return word;
    }
    lowered(word, buf)
}

/// `word` (ASCII) lower-cased into `buf`.
#[inline]
fn ascii_lowered<'a>(word: &str, buf: &'a mut String) -> &'a str {
    buf.clear();
    buf.push_str(word);
    buf.make_ascii_lowercase();
    buf.as_str()
}

/// `word` lower-cased into `buf`, as `chars().flat_map(char::to_lowercase)`,
/// with ASCII and the Latin-1 capitals (`À`–`Þ`, one code point below their
/// small letters) mapped without the case tables.
#[inline]
fn lowered<'a>(word: &str, buf: &'a mut String) -> &'a str {
    buf.clear();
    for c in word.chars() {
        if c.is_ascii() {
            buf.push(c.to_ascii_lowercase());
        } else if latin1_letter(c) == Some(true) {
            buf.push(char::from_u32(c as u32 + 0x20).unwrap_or(c));
        } else {
            buf.extend(c.to_lowercase());
        }
    }
    buf.as_str()
}

/// Text reduced for repeat detection: lower case, letters and digits only.
pub fn repeat_key(text: &str) -> String {
    let mut k = String::with_capacity(text.len());
    for w in words(text) {
        if !k.is_empty() {
            k.push(' ');
        }
        k.extend(w.chars().flat_map(char::to_lowercase));
    }
    k
}

/// Does `text` end like a sentence?
pub fn ends_terminal(text: &str) -> bool {
    let t = text.trim_end_matches(|c: char| {
        matches!(c, '"' | '\'' | '»' | '«' | '”' | '“' | '’' | ')' | ']' | '*') || c.is_whitespace()
    });
    t.ends_with(['.', '!', '?', '…', ':', ';'])
}

/// What one pass over a block's words finds: the inputs of both language
/// detection and the stopword feature, so the words are read only once.
#[derive(Debug, Clone, Default)]
pub struct BlockWords {
    pub words: usize,
    /// Words that are a stopword in some language.
    pub any_stop: usize,
    /// Hash of the lower-cased words (the key [`repeat_key`] spells out).
    hash: u64,
    /// Where this block's stopword masks start in [`WordScan::masks`].
    masks_start: u32,
    pub shape: Shape,
}

/// Character flags of [`pass`].
const ALPHA: u16 = 1;
const DIGIT: u16 = 2;
const UPPER: u16 = 4;
const SPACE: u16 = 8;
const NEWLINE: u16 = 16;
const COMMA: u16 = 32;
const SEPARATOR: u16 = 64;
const END: u16 = 128;
const NOT_ASCII: u16 = 256;

/// The flags of every ASCII byte.
const ASCII_FLAGS: [u16; 128] = {
    let mut t = [0u16; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_uppercase() {
            ALPHA | UPPER
        } else if c.is_ascii_alphabetic() {
            ALPHA
        } else if c.is_ascii_digit() {
            DIGIT
        } else if c.is_ascii_whitespace() || c == 0x0B {
            if c == b'\n' {
                SPACE | NEWLINE
            } else {
                SPACE
            }
        } else {
            match c {
                b',' => COMMA,
                b'|' | b'>' | b'/' => SEPARATOR,
                b'.' | b'!' | b'?' => END,
                _ => 0,
            }
        };
        b += 1;
    }
    t
};

/// Whether `c` (not ASCII) is a Latin-1 letter, `À`–`ÿ` but `×` and `÷`,
/// and whether it is a capital (up to `Þ`): the Unicode properties of
/// these characters, without the look-up in the tables (which cost a
/// hundred instructions and more per `æ`, `ö` or `é`).
#[inline]
fn latin1_letter(c: char) -> Option<bool> {
    (('\u{c0}'..='\u{ff}').contains(&c) && c != '×' && c != '÷').then_some(c <= '\u{de}')
}

/// [`char::is_alphanumeric`], with Latin-1 letters known at once.
#[inline]
fn is_alphanumeric(c: char) -> bool {
    latin1_letter(c).is_some() || c.is_alphanumeric()
}

/// The flags of a character that is not ASCII.
#[inline]
fn flags_of(c: char) -> u16 {
    match latin1_letter(c) {
        Some(true) => ALPHA | UPPER | NOT_ASCII,
        Some(false) => ALPHA | NOT_ASCII,
        None => flags_by_tables(c),
    }
}

/// [`flags_of`] from the Unicode tables.
#[cold]
fn flags_by_tables(c: char) -> u16 {
    let f = if c.is_alphabetic() {
        if c.is_uppercase() {
            ALPHA | UPPER
        } else {
            ALPHA
        }
    } else if c.is_numeric() {
        DIGIT
    } else if c.is_whitespace() {
        SPACE
    } else if matches!(c, '·' | '•' | '»' | '›' | '–' | '—') {
        SEPARATOR
    } else {
        0
    };
    f | NOT_ASCII
}

/// The end of the run of ASCII lower-case letters from byte `i`: eight bytes
/// at a time while they are all `a`–`z` (prose is mostly such runs, and a
/// byte at a time was a sixth of the pass).
#[inline]
fn lower_run_end(bytes: &[u8], mut i: usize) -> usize {
    const HI: u64 = 0x8080_8080_8080_8080;
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let x = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // Per byte, with the top bit cleared (so no sum carries into the
        // next byte): + 0x1f sets it from `a` (0x61), + 0x05 from past `z`
        // (0x7b); a byte with the top bit set is not ASCII.
        let y = x & LO7;
        let lower = (y + 0x1f1f_1f1f_1f1f_1f1f) & !(y + 0x0505_0505_0505_0505) & !x & HI;
        if lower != HI {
            return i + ((!lower & HI).trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && bytes[i].is_ascii_lowercase() {
        i += 1;
    }
    i
}

/// The top bit of every byte.
const HI: u64 = 0x8080_8080_8080_8080;
/// One in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The top bit of each byte of `x` in `lo..=hi`, for the bytes below `0x80`
/// from the lowest up to the first one that is not (a carry only runs up,
/// into that byte and past it).
#[inline(always)]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    x.wrapping_add(ONES * (0x80 - lo) as u64) & !x.wrapping_add(ONES * (0x7f - hi) as u64) & HI
}

/// [`in_range`] of one byte value.
#[inline(always)]
fn equal(x: u64, c: u8) -> u64 {
    !(x ^ (ONES * c as u64)).wrapping_add(ONES * 0x7f) & HI
}

/// How many bytes of `m` (top bits only) are set: a sum by one multiply
/// (no `popcnt` in the baseline x86-64 target).
#[inline(always)]
fn count(m: u64) -> usize {
    ((m >> 7).wrapping_mul(ONES) >> 56) as usize
}

/// One pass over `text`: its [`Shape`], and the bounds of its words (runs of
/// letters and digits, as [`words`] gives them) written to `bounds`, each
/// word's start and end in turn, the start or-ed with [`NOT_ASCII_WORD`] if
/// the word is not ASCII; how many bounds were written. `bounds` must hold
/// [`bounds_for`] of the text's length; bounds past its end are not written.
///
/// The ASCII bytes are read eight at a time, each class a mask of the top
/// bits of its bytes (most chunks of prose hold only small letters and
/// spaces, and take a shorter way); a character that is not ASCII is
/// classed on its own, Latin-1 letters (`C3 xx` in UTF-8) from their second
/// byte, without decoding.
#[inline]
fn pass(text: &str, bounds: &mut [usize]) -> (Shape, usize) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut p = Pass { s: Shape { lines: 1, ..Shape::default() }, lanes: [0; 2], nb: 0, prev_end: false, bounds };
    let mut i = 0;
    while i < n {
        // The lanes count 16 bits: flushed at least every 0xfff0 bytes.
        let stop = n.min(i + 0xfff0);
        while i < stop {
            // The ASCII bytes from `i`, up to eight and within the text.
            let (x, k) = match bytes.get(i..i + 8) {
                Some(c) => {
                    let x = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
                    (x, (x & HI).trailing_zeros() as usize / 8)
                }
                None => {
                    let x = tail_chunk(bytes, i);
                    (x, ((x & HI).trailing_zeros() as usize / 8).min(n - i))
                }
            };
            if k == 8 {
                // The common case, with the mask of valid bytes a constant.
                p.chunk(x, HI, 8, i);
            } else if k > 0 {
                p.chunk(x, HI >> (64 - 8 * k), k, i);
            } else {
                i += p.other(text, i);
                continue;
            }
            i += k;
        }
        p.flush();
    }
    if p.nb & 1 == 1 {
        p.bound(n);
    }
    p.s.sentences += p.prev_end as usize;
    let nb = p.nb.min(p.bounds.len()) & !1;
    (p.s, nb)
}

/// The room [`pass`] needs for the bounds of a text of `len` bytes: two for
/// each word, which is a byte or more after the last, and eight to spare
/// (a chunk's are written without a check each).
fn bounds_for(len: usize) -> usize {
    len + 9
}

/// The flag of a word's start in [`pass`]'s bounds: the word is not ASCII.
/// (The end less the flagged start is then no small length.)
const NOT_ASCII_WORD: usize = 1 << (usize::BITS - 1);

/// The state of [`pass`].
struct Pass<'a> {
    s: Shape,
    /// Counts of the ASCII bytes other than small letters and spaces, four
    /// 16-bit lanes a word, as [`LANES`] adds them.
    lanes: [u64; 2],
    /// Bounds written (odd: a word is open).
    nb: usize,
    /// Whether the last character ends a sentence.
    prev_end: bool,
    bounds: &'a mut [usize],
}

/// What each ASCII byte adds to [`Pass::lanes`]: capitals, digits, other
/// (not space), commas; separators, newlines. Small letters and spaces are
/// counted by masks, not here.
const LANES: [[u64; 2]; 128] = {
    let mut t = [[0u64; 2]; 128];
    let mut b = 0;
    while b < 128 {
        let f = ASCII_FLAGS[b];
        let other = f & (ALPHA | DIGIT | SPACE) == 0;
        t[b][0] = (f & UPPER != 0) as u64
            | ((f & DIGIT != 0) as u64) << 16
            | (other as u64) << 32
            | ((f & COMMA != 0) as u64) << 48;
        t[b][1] = (f & SEPARATOR != 0) as u64 | ((f & NEWLINE != 0) as u64) << 16;
        b += 1;
    }
    t
};

impl Pass<'_> {
    /// A word starts or ends at byte `at`.
    #[inline(always)]
    fn bound(&mut self, at: usize) {
        if let Some(b) = self.bounds.get_mut(self.nb) {
            *b = at;
        }
        self.nb += 1;
    }

    /// The `k` ASCII bytes of `x` from byte `i` (`valid`: the top bits of
    /// those bytes).
    #[inline(always)]
    fn chunk(&mut self, x: u64, valid: u64, k: usize, i: usize) {
        let lower = in_range(x, b'a', b'z') & valid;
        let space = equal(x, b' ') & valid;
        let in_word = (self.nb as u64 & 1) << 7;
        let mut rest = valid & !(lower | space);
        let alnum;
        if rest == 0 {
            // Small letters and spaces only (most chunks of prose): a
            // sentence ends only before a first space.
            alnum = lower;
            self.s.sentences += (self.prev_end && space & 0x80 != 0) as usize;
            self.prev_end = false;
        } else {
            // The other bytes one at a time: their counts into the lanes,
            // their flags into the bytes of `flags`.
            let mut flags = 0u64;
            while rest != 0 {
                let at = rest.trailing_zeros() & !7;
                let b = (x >> at) as usize & 0x7f;
                self.lanes[0] += LANES[b][0];
                self.lanes[1] += LANES[b][1];
                flags |= ((ASCII_FLAGS[b] & 0xff) as u64) << at;
                rest &= rest - 1;
            }
            // Each flag bit moved up to the top bit of its byte.
            let upper = flags << 5 & HI;
            alnum = lower | ((flags << 7 | flags << 6) & HI);
            let end = flags & HI;
            self.s.capitalised += count(upper & !(alnum << 8 | in_word));
            let space = space | (flags << 4 & HI);
            self.s.sentences += count((end << 8 | (self.prev_end as u64) << 7) & space);
            // The end flag of the last byte.
            self.prev_end = end & !(valid >> 8) != 0;
        }
        self.s.letters += count(lower);
        self.s.chars += k;
        // Words start and end where a byte's class differs from the one before.
        let mut changes = (alnum ^ (alnum << 8 | in_word)) & valid;
        if changes == 0 {
            return;
        }
        // Eight bounds at most: written without a check each.
        if let Some(out) = self.bounds.get_mut(self.nb..self.nb + 8) {
            for o in out {
                *o = i + changes.trailing_zeros() as usize / 8;
                self.nb += 1;
                changes &= changes - 1;
                if changes == 0 {
                    break;
                }
            }
        }
    }

    /// Add the lanes to the counts.
    fn flush(&mut self) {
        let [a, b] = std::mem::take(&mut self.lanes);
        let lane = |x: u64, k: u32| (x >> (16 * k) & 0xffff) as usize;
        self.s.upper += lane(a, 0);
        self.s.letters += lane(a, 0);
        self.s.digits += lane(a, 1);
        self.s.punct += lane(a, 2);
        self.s.commas += lane(a, 3);
        self.s.separators += lane(b, 0);
        self.s.lines += lane(b, 1);
    }

    /// The character at byte `i` of `text`, not ASCII; its length.
    #[inline(always)]
    fn other(&mut self, text: &str, i: usize) -> usize {
        let bytes = text.as_bytes();
        let (f, len) = if bytes[i] == 0xC3 {
            // U+00C0–U+00FF; `str` guarantees the second byte.
            let b2 = bytes.get(i + 1).copied().unwrap_or(0);
            let f = if b2 >= 0x9F && b2 != 0xB7 {
                // `ß`–`ÿ` but `÷`.
                ALPHA | NOT_ASCII
            } else if b2 == 0x97 || b2 == 0xB7 {
                // `×` and `÷`: neither letter nor digit.
                NOT_ASCII
            } else {
                ALPHA | UPPER | NOT_ASCII
            };
            (f, 2)
        } else {
            let (c, len) = char_at(text, i);
            (flags_of(c), len)
        };
        let s = &mut self.s;
        s.chars += 1;
        if f & ALPHA != 0 {
            s.letters += 1;
            if f & UPPER != 0 {
                s.upper += 1;
                s.capitalised += self.nb & 1 ^ 1;
            }
        } else if f & DIGIT != 0 {
            s.digits += 1;
        } else if f & SPACE == 0 {
            s.punct += 1;
            s.separators += (f & SEPARATOR != 0) as usize;
        }
        s.sentences += (self.prev_end && f & SPACE != 0) as usize;
        self.prev_end = false;
        // A word starts or ends here, or the open word is not ASCII.
        if f & (ALPHA | DIGIT) == 0 {
            if self.nb & 1 == 1 {
                self.bound(i);
            }
        } else if self.nb & 1 == 0 {
            self.bound(i | NOT_ASCII_WORD);
        } else if let Some(b) = self.bounds.get_mut(self.nb - 1) {
            *b |= NOT_ASCII_WORD;
        }
        len
    }
}

/// Add one to `counts[b]` for every bit `b` set in each of `masks`. The
/// masks are summed first in bit-sliced counters (plane `p` holds bit `p`
/// of every language's count), a few operations a mask instead of a few a
/// set bit: a stopword is one in four languages on average.
fn count_bits(masks: &[u64], counts: &mut [u32]) {
    // 2^15 - 1 masks at most per round, so no plane overflows.
    for chunk in masks.chunks((1 << 15) - 1) {
        let mut planes = [0u64; 15];
        // Plane 0 in a register, two masks at a time by a full adder: one
        // carry into the planes above for every two masks.
        let mut ones = 0u64;
        let mut pairs = chunk.chunks_exact(2);
        let add = |planes: &mut [u64; 15], mut carry: u64| {
            for p in planes[1..].iter_mut() {
                if carry == 0 {
                    break;
                }
                let next = *p & carry;
                *p ^= carry;
                carry = next;
            }
        };
        for pair in &mut pairs {
            let (a, b) = (pair[0], pair[1]);
            let half = ones ^ a;
            add(&mut planes, (ones & a) | (half & b));
            ones = half ^ b;
        }
        if let [a] = pairs.remainder() {
            add(&mut planes, ones & a);
            ones ^= a;
        }
        planes[0] = ones;
        for (k, &p) in planes.iter().enumerate() {
            let mut bits = p;
            while bits != 0 {
                if let Some(c) = counts.get_mut(bits.trailing_zeros() as usize) {
                    *c += 1 << k;
                }
                bits &= bits - 1;
            }
        }
    }
}

/// The word counts of every block, with the stopword masks of each block's
/// stopwords, and stopword counts per language over the detection sample.
///
/// Only the sample (the first blocks up to [`SAMPLE_WORDS`] words, which
/// [`crate::lang::detect_scanned`] reads) is counted for every language;
/// after detection only one language's count per block is asked for, which
/// [`WordScan::stopwords_in`] takes from the stored masks.
#[derive(Debug, Clone, Default)]
pub struct WordScan {
    pub blocks: Vec<BlockWords>,
    /// The language mask of every stopword, in block order.
    masks: Vec<u64>,
    /// Stopwords per language (by bit index) in the sample blocks.
    sample: Vec<u32>,
    /// How many blocks the sample holds, and their words.
    sampled: usize,
    sample_words: usize,
}

/// How many words language detection reads (whole blocks, so a little more).
pub const SAMPLE_WORDS: usize = 400;

impl WordScan {
    /// Stopwords of language number `lang` (its bit index) in block `i`.
    pub fn stopwords_in(&self, i: usize, lang: usize) -> u32 {
        let start = self.blocks[i].masks_start as usize;
        let end = self.blocks.get(i + 1).map_or(self.masks.len(), |b| b.masks_start as usize);
        self.masks[start..end].iter().filter(|&&m| m >> lang & 1 == 1).count() as u32
    }

    /// Stopwords of every language in the sample blocks, by bit index.
    pub fn sample_counts(&self) -> &[u32] {
        &self.sample
    }

    /// Blocks in the sample (the first blocks until [`SAMPLE_WORDS`] words).
    pub fn sampled(&self) -> usize {
        self.sampled
    }

    /// Words in the sample blocks.
    pub fn sample_words(&self) -> usize {
        self.sample_words
    }

    pub fn languages(&self) -> usize {
        self.sample.len()
    }
}

/// The [`crate::rules::stop_hash`] of the lower-cased word at
/// `text[start..end]` (`start` flagged as [`pass`] gives it): a word of up
/// to eight ASCII bytes from one load, lower-cased by or-ing `0x20` into
/// every byte (letters and digits all have it set once small).
#[inline(always)]
fn word_key(text: &str, start: usize, end: usize, buf: &mut String) -> u64 {
    let bytes = text.as_bytes();
    let len = end.wrapping_sub(start);
    if len.wrapping_sub(1) < 8 {
        let x = match bytes.get(start..start + 8) {
            Some(c) => u64::from_le_bytes(c.try_into().unwrap_or([0; 8])),
            None => tail_chunk(bytes, start),
        };
        return crate::rules::stop_mix(0, (x | FOLD) & u64::MAX >> (64 - 8 * len));
    }
    long_word_key(text, start, end, buf)
}

/// [`word_key`] of a word longer than eight bytes or not ASCII: an ASCII
/// word eight bytes a load, as [`crate::rules::stop_hash_folded`] reads it.
#[inline(never)]
fn long_word_key(text: &str, start: usize, end: usize, buf: &mut String) -> u64 {
    if start & NOT_ASCII_WORD == 0 && start < end {
        let bytes = text.as_bytes();
        let load = |at: usize| match bytes.get(at..at + 8) {
            Some(c) => u64::from_le_bytes(c.try_into().unwrap_or([0; 8])),
            None => tail_chunk(bytes, at),
        };
        let (mut h, mut at) = (0, start);
        while end - at > 8 {
            h = crate::rules::stop_mix(h, load(at) | FOLD);
            at += 8;
        }
        return crate::rules::stop_mix(h, (load(at) | FOLD) & u64::MAX >> (64 - 8 * (end - at)));
    }
    text.get(start & !NOT_ASCII_WORD..end).map_or(0, |w| crate::rules::stop_hash(lower(w, buf)))
}

/// Every byte `0x20`: or-ed into an ASCII word it lower-cases it.
const FOLD: u64 = 0x2020_2020_2020_2020;

/// The bytes of `bytes` from `start` (fewer than eight of them), as a
/// little-endian chunk padded with zeros.
#[cold]
fn tail_chunk(bytes: &[u8], start: usize) -> u64 {
    let rest = bytes.get(start..).unwrap_or_default();
    rest.iter().take(8).rev().fold(0, |x, &b| x << 8 | b as u64)
}

/// Read the words of every block once: count them, keep the stopword masks,
/// count stopwords per language in the detection sample, and hash the
/// lower-cased words for repeat detection.
///
/// The pass only lists the words (start, length and flags); a second loop
/// hashes and looks them up. A call per word from the pass was a third of
/// the cost: the pass's state spilled around it.
pub fn scan(blocks: &[Block], stopwords: &Stopwords) -> WordScan {
    let langs = stopwords.languages().len();
    let mut out = WordScan { blocks: Vec::with_capacity(blocks.len()), sample: vec![0; langs], ..Default::default() };
    let mut buf = String::new();
    // Kept from document to document (zeroing it again was 3 M instructions
    // on 4,000 files).
    let mut bounds = BOUNDS.with(Cell::take);
    // The sample's blocks come first, so their masks are a prefix.
    let mut sample_masks = 0;
    for b in blocks {
        let in_sample = out.sample_words < SAMPLE_WORDS;
        let mut bw = BlockWords { masks_start: out.masks.len() as u32, ..Default::default() };
        if bounds.len() < bounds_for(b.text.len()) {
            bounds.resize(bounds_for(b.text.len()), 0);
        }
        let (shape, nb) = pass(&b.text, &mut bounds);
        bw.shape = shape;
        let mut hasher = rustc_hash::FxHasher::default();
        let mut any_stop = 0;
        for w in bounds[..nb].chunks_exact(2) {
            let (start, end) = (w[0], w[1]);
            // One hash of the word serves the repeat key and the look-up.
            let h = word_key(&b.text, start, end, &mut buf);
            hasher.write_u64(h);
            let mask = stopwords.mask_hashed(h);
            if mask != 0 {
                any_stop += 1;
                out.masks.push(mask);
            }
        }
        bw.words = nb / 2;
        bw.any_stop = any_stop;
        if in_sample {
            sample_masks = out.masks.len();
            out.sampled += 1;
            out.sample_words += bw.words;
        }
        bw.hash = hasher.finish();
        out.blocks.push(bw);
    }
    count_bits(&out.masks[..sample_masks], &mut out.sample);
    BOUNDS.with(|c| c.set(bounds));
    out
}

thread_local! {
    /// [`scan`]'s bounds buffer, between documents.
    static BOUNDS: Cell<Vec<usize>> = const { Cell::new(Vec::new()) };
}

/// Measure every block. `lang` is the bit index of the document's language
/// in the stopword lists (`None`: a stopword of any language counts).
pub fn extract(blocks: &[Block], scan: &WordScan, lang: Option<usize>) -> Vec<Features> {
    let n = blocks.len();
    // Repeats are counted for short blocks only (long paragraphs do not
    // repeat as teasers do).
    let mut first: FxHashMap<u64, (usize, usize)> = FxHashMap::with_capacity_and_hasher(n, Default::default());
    let mut keys: Vec<Option<u64>> = Vec::with_capacity(n);
    let mut feats = Vec::with_capacity(n);
    for (i, (b, bw)) in blocks.iter().zip(&scan.blocks).enumerate() {
        let nwords = bw.words;
        let nstop = match lang {
            Some(l) => scan.stopwords_in(i, l) as usize,
            None => bw.any_stop,
        };
        let terminal = ends_terminal(&b.text);
        let starts = b.text.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().next();
        let title_like = b.shape != BlockShape::List
            && nwords > 0
            && nwords <= TITLE_MAX_WORDS
            && !terminal
            && !b.text.contains('\n')
            && starts.is_some_and(|c| c.is_uppercase() || c.is_numeric());
        let key = (nwords > 0 && nwords <= 60).then_some(bw.hash);
        if let Some(k) = key {
            first.entry(k).or_insert((i, 0)).1 += 1;
        }
        keys.push(key);
        feats.push(Features {
            chars: bw.shape.chars,
            words: nwords,
            stopword_density: if nwords == 0 { 0.0 } else { nstop as f32 / nwords as f32 },
            terminal,
            title_like,
            repeats: 1,
            first_index: i,
            position: if n > 1 { i as f32 / (n - 1) as f32 } else { 0.0 },
            link_density: b.dom.as_ref().map_or(0.0, |d| d.link_density),
            shape: bw.shape,
        });
    }
    for (f, k) in feats.iter_mut().zip(keys) {
        if let Some(k) = k {
            if let Some(&(fi, count)) = first.get(&k) {
                f.first_index = fi;
                f.repeats = count;
            }
        }
    }
    feats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::segment;
    use crate::rules::RuleSet;

    #[test]
    fn words_are_runs_of_letters_and_digits() {
        let t = "Ærø's 2 «bröd»—café,x\u{00A0}y 3.5 ½ naïve 𝔘𝔫𝔦 e\u{301}";
        let want: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        assert_eq!(words(t).collect::<Vec<_>>(), want);
        assert_eq!(words("").count(), 0);
        assert_eq!(words(" ... ").count(), 0);
    }

    #[test]
    fn latin1_letters_have_the_flags_of_the_tables() {
        for c in ('\u{80}'..='\u{2ff}').chain(['€', '–', '»', 'Ā', 'ſ']) {
            assert_eq!(flags_of(c), flags_by_tables(c), "{c:?}");
            assert_eq!(is_alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
        assert_eq!((latin1_letter('Þ'), latin1_letter('ß'), latin1_letter('×')), (Some(true), Some(false), None));
    }

    #[test]
    fn lower_maps_each_character_as_to_lowercase_does() {
        let mut buf = String::new();
        for w in
            ["plain", "Rusland", "PRÆSIDENT", "ønsker", "Øst", "ǅemal", "aǅ", "İstanbul", "ΣΟΦΟΣ", "straẞe", "x1Ⅻ", ""]
        {
            let want: String = w.chars().flat_map(char::to_lowercase).collect();
            // Unchanged when no character is upper case (`ǅ` is title case).
            let want = if w.chars().any(char::is_uppercase) { want } else { w.to_owned() };
            assert_eq!(lower(w, &mut buf), want, "{w}");
        }
    }

    #[test]
    fn lower_runs_end_at_the_first_other_byte() {
        // Every byte after runs of each length up to past two chunks.
        for len in 0..20 {
            for b in 0..=255u8 {
                let mut t = vec![b'q'; len];
                t.push(b);
                t.extend_from_slice(b"abc");
                let want = t.iter().position(|c| !c.is_ascii_lowercase()).unwrap_or(t.len());
                assert_eq!(lower_run_end(&t, 0), want, "{len} then {b:#x}");
            }
        }
        assert_eq!(lower_run_end(b"", 0), 0);
        assert_eq!(lower_run_end(b"abcdefghijklmnopqrstuvwxyz", 3), 26);
    }

    #[test]
    fn measures_titles_terminals_and_repeats() {
        let rs = RuleSet::builtin();
        let en = rs.stopwords().bit("en").unwrap().trailing_zeros() as usize;
        let bs = segment("A Short Title\n\nThe story is told in a sentence.\n\nA Short Title\n\n“Quoted,” she said.”");
        let f = extract(&bs, &scan(&bs, rs.stopwords()), Some(en));
        assert!(f[0].title_like && !f[0].terminal);
        assert!(f[1].terminal && !f[1].title_like);
        assert!(f[1].stopword_density > 0.3);
        assert_eq!((f[0].repeats, f[2].repeats, f[2].first_index), (2, 2, 0));
        assert!(f[3].terminal);
    }

    /// The shape and words of `text` a character at a time, from the
    /// Unicode tables: the definition the byte pass must meet.
    fn shape_by_chars(text: &str) -> (Shape, Vec<String>) {
        let mut s = Shape { lines: 1, ..Shape::default() };
        let flags = |c: char| if c.is_ascii() { ASCII_FLAGS[c as usize] } else { flags_by_tables(c) };
        let mut prev = 0u16;
        for (k, c) in text.chars().enumerate() {
            let f = flags(c);
            let in_word = prev & (ALPHA | DIGIT) != 0;
            s.chars += 1;
            if f & ALPHA != 0 {
                s.letters += 1;
                s.upper += (f & UPPER != 0) as usize;
                s.capitalised += (f & UPPER != 0 && !in_word) as usize;
            } else if f & DIGIT != 0 {
                s.digits += 1;
            } else if f & SPACE == 0 {
                s.punct += 1;
                s.commas += (f & COMMA != 0) as usize;
                s.separators += (f & SEPARATOR != 0) as usize;
            } else {
                s.lines += (f & NEWLINE != 0) as usize;
            }
            s.sentences += (k > 0 && prev & END != 0 && f & SPACE != 0) as usize;
            prev = f;
        }
        s.sentences += (prev & END != 0) as usize;
        let words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(old_lower).collect();
        (s, words)
    }

    /// `lower` as it was, without the Latin-1 shortcuts.
    fn old_lower(word: &str) -> String {
        if !word.chars().any(char::is_uppercase) {
            return word.to_owned();
        }
        word.chars().flat_map(char::to_lowercase).collect()
    }

    /// Texts that reach every branch of the pass: the fixtures, Latin-1
    /// letters and symbols next to every ASCII byte, other scripts, and
    /// random mixes of them.
    fn sample_texts() -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/text"))
            .unwrap()
            .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
            .collect();
        v.push(String::new());
        let latin: String = ('\u{80}'..='\u{ff}').collect();
        let ascii: String = (0u8..128).map(char::from).collect();
        v.push(latin.clone() + &ascii + &latin);
        for c in ('\u{80}'..='\u{ff}').chain(['Ā', 'ſ', 'İ', 'Σ', 'ǅ', 'Ⅻ', 'ẞ', '𝔘', '–', '»', '\u{a0}'])
        {
            for b in 0u8..128 {
                v.push(format!("{c}{}{c}x{c}. {c}", char::from(b)));
            }
        }
        let alphabet: Vec<char> = "aZ z.,!?|/>\n\t1 ÆæØøÅåÉéÿ×÷ÞßÀ·•»›–—İΣσǅⅫẞ𝔘\u{a0}\u{301}ČčŁ€".chars().collect();
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..400 {
            let mut t = String::new();
            for _ in 0..len % 97 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                t.push(alphabet[(x % alphabet.len() as u64) as usize]);
            }
            v.push(t);
        }
        v.push("Ærø næste Østersø. ".repeat(20_000));
        v
    }

    #[test]
    fn the_pass_finds_the_shape_and_lowered_words_a_char_at_a_time_would() {
        for t in sample_texts() {
            let (old_shape, old_words) = shape_by_chars(&t);
            let (mut new_words, mut buf) = (Vec::new(), String::new());
            let mut bounds = vec![0; bounds_for(t.len())];
            let (new_shape, nb) = pass(&t, &mut bounds);
            for w in bounds[..nb].chunks_exact(2) {
                let word = &t[w[0] & !NOT_ASCII_WORD..w[1]];
                assert_eq!(w[0] & NOT_ASCII_WORD == 0, word.is_ascii(), "{word:?}");
                new_words.push(lower(word, &mut buf).to_owned());
            }
            assert_eq!(new_shape, old_shape, "{t:?}");
            assert_eq!(new_words, old_words, "{t:?}");
            let want: Vec<&str> = t.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
            assert_eq!(words(&t).collect::<Vec<_>>(), want, "{t:?}");
            let mut buf = String::new();
            for w in &want {
                assert_eq!(lower(w, &mut buf), old_lower(w), "{w:?}");
            }
        }
    }

    #[test]
    fn word_keys_are_the_stop_hash_of_the_lowered_word() {
        let mut buf = String::new();
        for t in sample_texts() {
            let mut bounds = vec![0; bounds_for(t.len())];
            let (_, nb) = pass(&t, &mut bounds);
            for w in bounds[..nb].chunks_exact(2) {
                let word = &t[w[0] & !NOT_ASCII_WORD..w[1]];
                let want = crate::rules::stop_hash(&old_lower(word));
                assert_eq!(word_key(&t, w[0], w[1], &mut buf), want, "{word:?}");
            }
        }
    }

    /// [`scan`] as it was: a word at a time from [`words`], lowered by
    /// [`old_lower`] and looked up by [`Stopwords::mask`]; the repeat key
    /// spelled out.
    fn old_scan(blocks: &[Block], stopwords: &Stopwords) -> Vec<(usize, usize, Vec<u64>, String)> {
        let scanned = blocks.iter().map(|b| {
            let lowered: Vec<String> = words(&b.text).map(old_lower).collect();
            let masks: Vec<u64> = lowered.iter().map(|w| stopwords.mask(w)).filter(|&m| m != 0).collect();
            (lowered.len(), masks.len(), masks, lowered.join(" "))
        });
        scanned.collect()
    }

    #[test]
    fn the_scan_counts_and_keys_as_a_word_at_a_time_did() {
        let rs = RuleSet::builtin();
        let sw = rs.stopwords();
        let mut texts = crate::rules::fixture_texts();
        texts.extend(sample_texts().into_iter().take(3000));
        // Repeated blocks and ones differing only in case or spacing.
        texts.push("The Cat sat\n\nthe cat SAT\n\nthe  cat sat.\n\nthecat sat\n\nFør Året\n\nfør året".into());
        for t in texts {
            let bs = segment(&crate::input::normalize(&t));
            let (new, old) = (scan(&bs, sw), old_scan(&bs, sw));
            let mut sample = vec![0u32; sw.languages().len()];
            for (i, (bw, (nwords, any_stop, masks, key))) in new.blocks.iter().zip(&old).enumerate() {
                assert_eq!((bw.words, bw.any_stop), (*nwords, *any_stop), "{key:?}");
                for (lang, c) in sample.iter_mut().enumerate() {
                    let n = masks.iter().filter(|&&m| m >> lang & 1 == 1).count() as u32;
                    assert_eq!(new.stopwords_in(i, lang), n, "{key:?}");
                    *c += if i < new.sampled() { n } else { 0 };
                }
                for (bw2, (_, _, _, key2)) in new.blocks.iter().zip(&old) {
                    assert_eq!(bw.hash == bw2.hash, key == key2, "{key:?} {key2:?}");
                }
            }
            assert_eq!(new.sample_counts(), sample);
        }
    }

    #[test]
    fn bit_counts_are_the_counts_of_each_bit() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for n in [0usize, 1, 2, 3, 7, 100, 1000, 40_000] {
            let masks: Vec<u64> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    if i % 3 == 0 {
                        u64::MAX
                    } else {
                        x & (x >> 3)
                    }
                })
                .collect();
            let mut want = vec![0u32; 64];
            for &m in &masks {
                for (b, c) in want.iter_mut().enumerate() {
                    *c += (m >> b & 1) as u32;
                }
            }
            let mut got = vec![0u32; 64];
            count_bits(&masks, &mut got);
            assert_eq!(got, want, "{n}");
            // Languages past the end of `counts` are not counted.
            let mut few = vec![0u32; 5];
            count_bits(&masks, &mut few);
            assert_eq!(few, want[..5]);
        }
    }
}
