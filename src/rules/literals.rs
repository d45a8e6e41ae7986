//! Required literals of a rule pattern, for the screens' aho-corasick
//! prefilter (see [`super::Screen`]): a set of strings one of which every
//! match of the pattern contains, found by a walk over its syntax tree.
//!
//! Strings are kept with ASCII letters in lower case and searched ASCII
//! case-insensitively, so `(?i:photo)` is the one string `photo`. The two
//! characters outside ASCII that simple case folding maps to ASCII letters
//! (`ſ` to `s`, the Kelvin sign `K` to `k`, see [`FOLDS_TO_ASCII`]) are
//! folded too; a text that holds one of them is not prefiltered at all.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The characters outside ASCII whose simple case-fold class holds an ASCII
/// letter (tested against the fold tables).
/// Read by the tests: the scan finds these two by their UTF-8 bytes.
#[allow(dead_code)]
pub const FOLDS_TO_ASCII: [char; 2] = ['\u{17f}', '\u{212a}'];

/// The most strings a set of exact strings may hold (cross products grow fast).
const MAX_EXACT: usize = 64;
/// The most strings a required set may hold.
const MAX_REQUIRED: usize = 256;
/// The most characters a class may have to count as a set of strings.
const MAX_CLASS: usize = 16;

/// A set of strings, ASCII letters in lower case, sorted and deduplicated.
type Set = Vec<Vec<u8>>;

/// What the walk knows of a subtree.
struct Info {
    /// Every string the subtree matches, if few.
    exact: Option<Set>,
    /// Strings one of which every match contains; none of them empty.
    required: Option<Set>,
}

/// The required literals of `hir`, if it has a set worth searching for:
/// each string at least [`MIN_RARITY`] rare, none holding another.
pub fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let set = minimal(walk(hir).required?);
    (score(&set).0 >= MIN_RARITY).then_some(set)
}

fn fold_byte(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

fn fold(c: char) -> char {
    match c {
        '\u{17f}' => 's',
        '\u{212a}' => 'k',
        c => c.to_ascii_lowercase(),
    }
}

fn normal(mut set: Set) -> Set {
    set.sort_unstable();
    set.dedup();
    set
}

/// A set worth requiring: not empty, no empty string.
fn usable(set: Set) -> Option<Set> {
    (!set.is_empty() && set.iter().all(|s| !s.is_empty())).then_some(set)
}

fn cross(a: &Set, b: &Set, max: usize) -> Option<Set> {
    if a.len().saturating_mul(b.len()) > max {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(normal(out))
}

/// How rare a string is in text, roughly, in tenths: letters and digits
/// 10 a byte, spaces and sentence punctuation less, other symbols and bytes
/// beyond ASCII more (`/`, `|`, `©` are rare in prose, `. ` is everywhere).
fn rarity(s: &[u8]) -> usize {
    s.iter()
        .map(|&b| match b {
            b'a'..=b'z' | b'0'..=b'9' => 10,
            b' ' | b'\t' | b'\n' | b'\r' => 3,
            b'.' | b',' | b':' | b';' | b'-' | b'\'' | b'"' | b'!' | b'?' => 5,
            0x80.. => 15,
            _ => 30,
        })
        .sum()
}

/// [`required`]'s bar: a set whose rarest-to-find string is rarer than
/// this (a three-letter word) is worth searching for.
pub const MIN_RARITY: usize = 30;

/// How good a required set is as a prefilter: its commonest string as rare
/// as possible (short ones occur everywhere), then fewer strings.
fn score(set: &Set) -> (usize, std::cmp::Reverse<usize>) {
    let commonest = set.iter().map(|s| rarity(s)).min().unwrap_or(0);
    (commonest.min(80), std::cmp::Reverse(set.len()))
}

/// The set without the strings that hold another of its strings (a text
/// with `photo credit` holds `photo`).
fn minimal(set: Set) -> Set {
    let mut by_len = set;
    by_len.sort_by_key(Vec::len);
    let mut out: Set = Vec::new();
    for s in by_len {
        if !out.iter().any(|o| memchr::memmem::find(&s, o).is_some()) {
            out.push(s);
        }
    }
    normal(out)
}

fn better(best: Option<Set>, other: Option<Set>) -> Option<Set> {
    match (best, other) {
        (Some(a), Some(b)) => Some(if score(&b) > score(&a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

fn class_set(class: &Class) -> Option<Set> {
    let mut out = Vec::new();
    match class {
        Class::Unicode(c) => {
            let mut n = 0usize;
            for r in c.ranges() {
                n += (r.end() as usize) - (r.start() as usize) + 1;
                if n > MAX_CLASS {
                    return None;
                }
                for c in r.start()..=r.end() {
                    let mut buf = [0; 4];
                    out.push(fold(c).encode_utf8(&mut buf).as_bytes().to_vec());
                }
            }
        }
        Class::Bytes(c) => {
            let mut n = 0usize;
            for r in c.ranges() {
                n += usize::from(r.end() - r.start()) + 1;
                if n > MAX_CLASS {
                    return None;
                }
                out.extend((r.start()..=r.end()).map(|b| vec![fold_byte(b)]));
            }
        }
    }
    Some(normal(out))
}

fn walk(hir: &Hir) -> Info {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Info { exact: Some(vec![Vec::new()]), required: None },
        HirKind::Literal(l) => {
            let s: Vec<u8> = match std::str::from_utf8(&l.0) {
                Ok(t) => t.chars().map(fold).collect::<String>().into_bytes(),
                Err(_) => l.0.iter().map(|&b| fold_byte(b)).collect(),
            };
            let set = vec![s];
            Info { required: usable(set.clone()), exact: Some(set) }
        }
        HirKind::Class(c) => {
            let exact = class_set(c);
            Info { required: exact.clone().and_then(usable), exact }
        }
        HirKind::Capture(c) => walk(&c.sub),
        HirKind::Repetition(r) => {
            let sub = walk(&r.sub);
            let exact = match (r.min, r.max) {
                (1, Some(1)) => sub.exact,
                (0, Some(1)) => sub.exact.map(|mut s| {
                    s.push(Vec::new());
                    normal(s)
                }),
                (0, Some(0)) => Some(vec![Vec::new()]),
                _ => None,
            };
            let required = if r.min >= 1 { sub.required } else { None };
            Info { exact, required }
        }
        HirKind::Alternation(alts) => {
            let infos: Vec<Info> = alts.iter().map(walk).collect();
            // One set per branch, all known, or none: their union.
            let union = |set: fn(&Info) -> Option<&Set>, max: usize| {
                infos
                    .iter()
                    .map(set)
                    .collect::<Option<Vec<_>>>()
                    .map(|sets| normal(sets.into_iter().flatten().cloned().collect()))
                    .filter(|s| s.len() <= max)
            };
            Info {
                exact: union(|i| i.exact.as_ref(), MAX_EXACT),
                required: union(|i| i.required.as_ref(), MAX_REQUIRED),
            }
        }
        HirKind::Concat(parts) => {
            let infos: Vec<Info> = parts.iter().map(walk).collect();
            let mut exact = Some(vec![Vec::new()]);
            let mut best = None;
            // The run of exact parts that ends at the current part, as one set.
            let mut run: Option<Set> = None;
            for info in infos {
                exact = match (exact, &info.exact) {
                    (Some(a), Some(b)) => cross(&a, b, MAX_EXACT),
                    _ => None,
                };
                match info.exact {
                    Some(e) => {
                        run = match run.take() {
                            Some(r) => match cross(&r, &e, MAX_REQUIRED) {
                                Some(x) => Some(x),
                                None => {
                                    best = better(best, usable(r));
                                    Some(e)
                                }
                            },
                            None => Some(e),
                        };
                    }
                    None => {
                        best = better(best, run.take().and_then(usable));
                    }
                }
                best = better(best, info.required);
            }
            best = better(best, run.and_then(usable));
            Info { exact, required: best }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(p: &str) -> Option<Vec<String>> {
        required(&regex_syntax::parse(p).unwrap())
            .map(|v| v.into_iter().map(|s| String::from_utf8(s).unwrap()).collect())
    }

    #[test]
    fn every_match_holds_a_required_literal() {
        assert_eq!(req(r"(?i)\d+\s*min(?:ute)?s?\s+ago"), Some(vec!["ago".into()]));
        assert_eq!(
            req(r"^(?i:photo|image)s?:\s"),
            Some(vec!["image:".into(), "images:".into(), "photo:".into(), "photos:".into()])
        );
        assert_eq!(req(r"\p{L}+\s+\d+"), None);
        assert_eq!(req(r"a?b*"), None);
        assert_eq!(req(r"x|\p{L}+"), None);
        assert_eq!(req(r"(?i:é)clair"), Some(vec!["Éclair".into(), "éclair".into()]));
        // A filter: every match holds a literal (the reverse need not hold).
        let re = regex::Regex::new(r"^(?i:photo|image)s?:").unwrap();
        let lits = req(r"^(?i:photo|image)s?:").unwrap();
        let (mut matched, mut held) = (0, 0);
        for s in ["Photo: x", "IMAGES: y", "images:z", "a photo: no", "Photos z", "photoS:"] {
            let hit = lits.iter().any(|l| s.to_ascii_lowercase().contains(l.as_str()));
            assert!(!re.is_match(s) || hit, "{s}");
            matched += usize::from(re.is_match(s));
            held += usize::from(hit);
        }
        assert_eq!((matched, held), (2, 5));
    }

    #[test]
    fn only_two_characters_beyond_ascii_fold_to_ascii_letters() {
        use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
        let mut found = Vec::new();
        for c in ('a'..='z').chain('A'..='Z') {
            let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
            class.case_fold_simple();
            for r in class.ranges() {
                found.extend((r.start()..=r.end()).filter(|c| !c.is_ascii()));
            }
        }
        found.sort_unstable();
        found.dedup();
        assert_eq!(found, FOLDS_TO_ASCII);
    }
}
