//! A compact text form of the screens' syntax trees (`rules/screen.txt`),
//! read back without the regex parser: parsing the built-in patterns, with
//! their Unicode classes and case folding, was most of a run's start-up.
//!
//! Prefix notation, one tree per line: `E` empty, `L<hex bytes>;` literal,
//! `C<lo>-<hi>,…;` Unicode class (code points in hex; `<lo>` alone for a
//! range of one), `B<lo>-<hi>,…;` byte class, `A<look>;` look-around (its `regex-syntax` repr),
//! `R<min>,<max|*>,<greedy 0|1>` then the repeated tree, `S<n>;` concat and
//! `|<n>;` alternation of the next `n` trees. Captures never occur (the
//! screens drop them).

use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look};
use std::fmt::Write;

/// The tree in its text form; `None` if it holds a capture.
pub fn encode(hir: &Hir) -> Option<String> {
    let mut out = String::new();
    enc(hir, &mut out)?;
    Some(out)
}

fn enc(hir: &Hir, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => out.push('E'),
        HirKind::Literal(l) => {
            out.push('L');
            for b in l.0.iter() {
                let _ = write!(out, "{b:02x}");
            }
            out.push(';');
        }
        HirKind::Class(Class::Unicode(c)) => {
            out.push('C');
            for (i, r) in c.ranges().iter().enumerate() {
                let sep = if i == 0 { "" } else { "," };
                let (lo, hi) = (r.start() as u32, r.end() as u32);
                let _ = if lo == hi { write!(out, "{sep}{lo:x}") } else { write!(out, "{sep}{lo:x}-{hi:x}") };
            }
            out.push(';');
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push('B');
            for (i, r) in c.ranges().iter().enumerate() {
                let sep = if i == 0 { "" } else { "," };
                let (lo, hi) = (r.start(), r.end());
                let _ = if lo == hi { write!(out, "{sep}{lo:x}") } else { write!(out, "{sep}{lo:x}-{hi:x}") };
            }
            out.push(';');
        }
        HirKind::Look(l) => {
            let _ = write!(out, "A{};", l.as_repr());
        }
        HirKind::Repetition(r) => {
            let max = r.max.map_or("*".to_owned(), |m| m.to_string());
            let _ = write!(out, "R{},{max},{}", r.min, u8::from(r.greedy));
            enc(&r.sub, out)?;
        }
        HirKind::Capture(_) => return None,
        HirKind::Concat(v) | HirKind::Alternation(v) => {
            let tag = if matches!(hir.kind(), HirKind::Concat(_)) { 'S' } else { '|' };
            let _ = write!(out, "{tag}{};", v.len());
            for h in v {
                enc(h, out)?;
            }
        }
    }
    Some(())
}

/// The tree of a text made by [`encode`]; `None` if it is malformed.
pub fn decode(text: &str) -> Option<Hir> {
    let mut r = Reader { s: text.as_bytes(), i: 0 };
    let h = r.tree(0)?;
    (r.i == r.s.len()).then_some(h)
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.s.get(self.i)?;
        self.i += 1;
        Some(b)
    }

    /// Hex or decimal digits up to (and past) one of `ends`; returns the
    /// number and the end byte.
    fn number(&mut self, radix: u32, ends: &[u8]) -> Option<(u32, u8)> {
        let start = self.i;
        while self.s.get(self.i).is_some_and(|b| !ends.contains(b)) {
            self.i += 1;
        }
        let digits = std::str::from_utf8(&self.s[start..self.i]).ok()?;
        let end = self.byte()?;
        Some((u32::from_str_radix(digits, radix).ok()?, end))
    }

    fn ranges(&mut self) -> Option<Vec<(u32, u32)>> {
        let mut v = Vec::new();
        if self.s.get(self.i) == Some(&b';') {
            self.i += 1;
            return Some(v);
        }
        loop {
            let (lo, mut end) = self.number(16, b"-,;")?;
            let mut hi = lo;
            if end == b'-' {
                (hi, end) = self.number(16, b",;")?;
            }
            v.push((lo, hi));
            if end == b';' {
                return Some(v);
            }
        }
    }

    fn tree(&mut self, depth: usize) -> Option<Hir> {
        if depth > 256 {
            return None;
        }
        Some(match self.byte()? {
            b'E' => Hir::empty(),
            b'L' => {
                let mut bytes = Vec::new();
                while self.s.get(self.i) != Some(&b';') {
                    let hex = std::str::from_utf8(self.s.get(self.i..self.i + 2)?).ok()?;
                    bytes.push(u8::from_str_radix(hex, 16).ok()?);
                    self.i += 2;
                }
                self.i += 1;
                Hir::literal(bytes)
            }
            b'C' => {
                let rs = self.ranges()?;
                let rs: Option<Vec<_>> = (rs.into_iter())
                    .map(|(a, b)| Some(ClassUnicodeRange::new(char::from_u32(a)?, char::from_u32(b)?)))
                    .collect();
                Hir::class(Class::Unicode(ClassUnicode::new(rs?)))
            }
            b'B' => {
                let rs: Option<Vec<_>> = (self.ranges()?.into_iter())
                    .map(|(a, b)| Some(ClassBytesRange::new(u8::try_from(a).ok()?, u8::try_from(b).ok()?)))
                    .collect();
                Hir::class(Class::Bytes(ClassBytes::new(rs?)))
            }
            b'A' => Hir::look(Look::from_repr(self.number(10, b";")?.0)?),
            b'R' => {
                let (min, _) = self.number(10, b",")?;
                let max = if self.s.get(self.i) == Some(&b'*') {
                    self.i += 2;
                    None
                } else {
                    Some(self.number(10, b",")?.0)
                };
                let greedy = self.byte()? == b'1';
                let sub = Box::new(self.tree(depth + 1)?);
                Hir::repetition(regex_syntax::hir::Repetition { min, max, greedy, sub })
            }
            t @ (b'S' | b'|') => {
                let (n, _) = self.number(10, b";")?;
                let v = (0..n).map(|_| self.tree(depth + 1)).collect::<Option<Vec<_>>>()?;
                if t == b'S' {
                    Hir::concat(v)
                } else {
                    Hir::alternation(v)
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trees_survive_the_round_trip() {
        for p in [r"(?i)^[\s\p{P}]*(?:ad|advert)\.?$", r"a{2,5}?b*|\bx(?-u:\xFF)[^\n]+", "", r"(?m)^é$"] {
            let h = regex_syntax::ParserBuilder::new().utf8(false).build().parse(p).unwrap();
            let text = encode(&h).unwrap();
            assert_eq!(decode(&text).as_ref(), Some(&h), "{p}: {text}");
        }
        assert!(encode(&regex_syntax::parse("(a)").unwrap()).is_none());
        assert!(decode("S2;E").is_none() && decode("Lzz;").is_none() && decode("E;").is_none());
    }
}
