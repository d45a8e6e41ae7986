//! Line keys for site profiles. A line is reduced the way CCNet reduces lines
//! before deduplication: lower case, every digit folded to `0`, every run of
//! white space folded to one space, trimmed. "Updated 12:05, 3 May" and
//! "updated 09:41, 7 May" then share a key, so a template line with a changing
//! number is still seen as one line.
//!
//! Learning ([`super::learn`]) and lookup ([`super::profile`]) both use
//! [`line_hash`], which hashes the folded characters without building the
//! folded string; [`normalize_line`] builds it, for the profile file.

use rustc_hash::FxHasher;
use std::hash::Hasher;

/// Feed the folded characters of `text` to `emit`.
fn fold(text: &str, mut emit: impl FnMut(char)) {
    let mut space = false;
    let mut started = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = started;
            continue;
        }
        if space {
            emit(' ');
            space = false;
        }
        started = true;
        if c.is_numeric() {
            emit('0');
        } else if c.is_uppercase() {
            c.to_lowercase().for_each(&mut emit);
        } else {
            emit(c);
        }
    }
}

/// The normalised form of a line: lower case, digits as `0`, white space folded.
pub fn normalize_line(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    fold(text, |c| s.push(c));
    s
}

/// Hash of [`normalize_line`]`(text)`, computed without allocating.
/// `line_hash(normalize_line(t)) == line_hash(t)` for every `t`.
pub fn line_hash(text: &str) -> u64 {
    let mut h = FxHasher::default();
    let mut n = 0u32;
    fold(text, |c| {
        h.write_u32(c as u32);
        n += 1;
    });
    // The length keeps short keys apart after FxHash's weak mixing.
    h.write_u32(n);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_digits_and_space() {
        assert_eq!(normalize_line("  Updated 12:05,\t3 MAY  "), "updated 00:00, 0 may");
        assert_eq!(line_hash("Updated 12:05, 3 May"), line_hash("updated 09:41,  7 may"));
    }

    #[test]
    fn keeps_words_and_punctuation_apart() {
        assert_ne!(line_hash("Tip the newsroom"), line_hash("Tip the newsroom."));
        assert_ne!(line_hash("ab"), line_hash("a b"));
    }

    #[test]
    fn hash_of_normalised_equals_hash_of_raw() {
        for t in ["Øresund Bro ÅBNER 2024", "ΣΟΦΊΑ 3", "İstanbul", "  x  y ", ""] {
            assert_eq!(line_hash(&normalize_line(t)), line_hash(t), "{t}");
        }
    }
}
