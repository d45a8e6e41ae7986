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
}

/// A block is short enough to be a title up to this many words.
pub const TITLE_MAX_WORDS: usize = 20;

/// Iterate over the words of `text`: runs of letters and digits.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty())
}

/// Fill `buf` with `word` lower-cased and return it; avoids allocating for
/// words that are lower case already.
#[inline]
pub fn lower<'a>(word: &'a str, buf: &'a mut String) -> &'a str {
    if word.is_ascii() {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return word;
        }
        buf.clear();
        buf.push_str(word);
        buf.make_ascii_lowercase();
        return buf.as_str();
    }
    if word.chars().any(char::is_uppercase) {
        buf.clear();
        buf.extend(word.chars().flat_map(char::to_lowercase));
        buf.as_str()
    } else {
        word
    }
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

/// Measure every block. `lang_bit` selects the stopword list (0 = union of all).
pub fn extract(blocks: &[Block], stopwords: &Stopwords, lang_bit: u64) -> Vec<Features> {
    let n = blocks.len();
    // Repeats are counted for short blocks only (long paragraphs do not
    // repeat as teasers do), by a hash of their lower-cased words, the same
    // key `repeat_key` spells out.
    let mut first: FxHashMap<u64, (usize, usize)> = FxHashMap::default();
    let mut keys: Vec<Option<u64>> = Vec::with_capacity(n);
    let mut feats = Vec::with_capacity(n);
    let mut buf = String::new();
    for (i, b) in blocks.iter().enumerate() {
        let mut nwords = 0;
        let mut nstop = 0;
        let mut hasher = rustc_hash::FxHasher::default();
        for w in words(&b.text) {
            nwords += 1;
            let lw = lower(w, &mut buf);
            hasher.write(lw.as_bytes());
            hasher.write_u8(b' ');
            let mask = stopwords.mask(lw);
            if mask != 0 && (lang_bit == 0 || mask & lang_bit != 0) {
                nstop += 1;
            }
        }
        let terminal = ends_terminal(&b.text);
        let starts = b.text.trim_start_matches(|c: char| !c.is_alphanumeric()).chars().next();
        let title_like = b.shape != BlockShape::List
            && nwords > 0
            && nwords <= TITLE_MAX_WORDS
            && !terminal
            && !b.text.contains('\n')
            && starts.is_some_and(|c| c.is_uppercase() || c.is_numeric());
        let key = (nwords > 0 && nwords <= 60).then(|| hasher.finish());
        if let Some(k) = key {
            first.entry(k).or_insert((i, 0)).1 += 1;
        }
        keys.push(key);
        feats.push(Features {
            chars: b.text.chars().count(),
            words: nwords,
            stopword_density: if nwords == 0 { 0.0 } else { nstop as f32 / nwords as f32 },
            terminal,
            title_like,
            repeats: 1,
            first_index: i,
            position: if n > 1 { i as f32 / (n - 1) as f32 } else { 0.0 },
            link_density: b.dom.as_ref().map_or(0.0, |d| d.link_density),
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
    fn measures_titles_terminals_and_repeats() {
        let rs = RuleSet::builtin();
        let bit = rs.stopwords().bit("en").unwrap();
        let bs = segment("A Short Title\n\nThe story is told in a sentence.\n\nA Short Title\n\n“Quoted,” she said.”");
        let f = extract(&bs, rs.stopwords(), bit);
        assert!(f[0].title_like && !f[0].terminal);
        assert!(f[1].terminal && !f[1].title_like);
        assert!(f[1].stopword_density > 0.3);
        assert_eq!((f[0].repeats, f[2].repeats, f[2].first_index), (2, 2, 0));
        assert!(f[3].terminal);
    }
}
