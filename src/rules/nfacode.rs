//! Compiled Thompson NFAs of the built-in rules, made ahead into
//! `rules/nfa.bin` and rebuilt state by state with `thompson::Builder`, so
//! that a run does not compile them: translating the patterns' Unicode
//! classes and case folding into UTF-8 automata was most of a small file's
//! start-up. The screens' lazy DFAs, and the forward lazy DFAs that answer a
//! rule's `is_match`, are built from these NFAs; the `regex` of a rule is
//! still compiled where captures or match starts are needed.
//!
//! The file is a table of entries keyed by a 64-bit hash of what the NFA was
//! compiled from (a rule's pattern, a screen's patterns), so a stale entry is
//! never found and the NFA is then compiled at run time as before. Layout,
//! little-endian: `NCNFA1\n`, entry count (u32), that many `(key u64, offset
//! u32, len u32)` sorted by key, then the entries. An entry: a flag byte (1:
//! UTF-8, 2: reverse), then unsigned LEB128 numbers: state count, anchored
//! and unanchored start, pattern count and each pattern's start, and per
//! state a tag and its fields (transitions as `start end next`).

use regex_automata::nfa::thompson::{Builder, State, Transition, NFA};
use regex_automata::util::look::Look;
use regex_automata::util::primitives::StateID;

const MAGIC: &[u8] = b"NCNFA1\n";

/// The NFA in its binary form; `None` for what the form does not hold
/// (captures, dense states, another line terminator).
pub fn encode(nfa: &NFA) -> Option<Vec<u8>> {
    if nfa.look_matcher().get_line_terminator() != b'\n' {
        return None;
    }
    let mut out = vec![u8::from(nfa.is_utf8()) | u8::from(nfa.is_reverse()) << 1];
    put(&mut out, nfa.states().len());
    put(&mut out, nfa.start_anchored().as_usize());
    put(&mut out, nfa.start_unanchored().as_usize());
    put(&mut out, nfa.pattern_len());
    for pid in nfa.patterns() {
        put(&mut out, nfa.start_pattern(pid)?.as_usize());
    }
    let trans = |out: &mut Vec<u8>, t: &Transition| {
        out.extend([t.start, t.end]);
        put(out, t.next.as_usize());
    };
    for s in nfa.states() {
        match s {
            State::ByteRange { trans: t } => {
                out.push(0);
                trans(&mut out, t);
            }
            State::Sparse(sp) => {
                out.push(1);
                put(&mut out, sp.transitions.len());
                for t in sp.transitions.iter() {
                    trans(&mut out, t);
                }
            }
            State::Look { look, next } => {
                out.push(2);
                put(&mut out, look.as_repr() as usize);
                put(&mut out, next.as_usize());
            }
            State::Union { alternates } => {
                out.push(3);
                put(&mut out, alternates.len());
                for a in alternates.iter() {
                    put(&mut out, a.as_usize());
                }
            }
            State::BinaryUnion { alt1, alt2 } => {
                out.push(4);
                put(&mut out, alt1.as_usize());
                put(&mut out, alt2.as_usize());
            }
            State::Fail => out.push(5),
            State::Match { pattern_id } => {
                out.push(6);
                put(&mut out, pattern_id.as_usize());
            }
            State::Dense(_) | State::Capture { .. } => return None,
        }
    }
    Some(out)
}

fn put(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

struct Reader<'a> {
    s: &'a [u8],
    i: usize,
    /// State count: every state ID read must be below it.
    states: usize,
}

impl Reader<'_> {
    #[inline]
    fn byte(&mut self) -> Option<u8> {
        let b = *self.s.get(self.i)?;
        self.i += 1;
        Some(b)
    }

    #[inline]
    fn num(&mut self) -> Option<usize> {
        // Most numbers are state IDs of one or two bytes: read those inline.
        let b = self.byte()?;
        if b & 0x80 == 0 {
            return Some(usize::from(b));
        }
        let mut n = usize::from(b & 0x7f);
        let mut shift = 7;
        while shift < 64 {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
            shift += 7;
        }
        None
    }

    fn id(&mut self) -> Option<StateID> {
        let n = self.num()?;
        (n < self.states).then(|| StateID::new(n).ok()).flatten()
    }

    fn trans(&mut self) -> Option<Transition> {
        let (start, end) = (self.byte()?, self.byte()?);
        Some(Transition { start, end, next: self.id()? })
    }

    fn ids(&mut self) -> Option<Vec<StateID>> {
        let n = self.num()?;
        let mut v = Vec::with_capacity(n.min(self.states));
        for _ in 0..n {
            v.push(self.id()?);
        }
        Some(v)
    }
}

/// The NFA of a form made by [`encode`]; `None` if it is malformed. Each
/// state is added in order, none of them empty, so the builder keeps every
/// state ID and the NFA is the one encoded (tested).
pub fn decode(bytes: &[u8]) -> Option<NFA> {
    let mut r = Reader { s: bytes, i: 0, states: 0 };
    let flags = r.byte()?;
    if flags > 3 {
        return None;
    }
    r.states = r.num()?;
    let (anchored, unanchored) = (r.id()?, r.id()?);
    let starts = r.ids()?;
    let mut b = Builder::new();
    b.set_utf8(flags & 1 == 1);
    b.set_reverse(flags & 2 == 2);
    for i in 0..r.states {
        let id = match r.byte()? {
            0 => b.add_range(r.trans()?),
            1 => {
                let n = r.num()?;
                let mut ts = Vec::with_capacity(n.min(256));
                for _ in 0..n {
                    ts.push(r.trans()?);
                }
                // One transition or none would become another state.
                if ts.len() < 2 {
                    return None;
                }
                b.add_sparse(ts)
            }
            2 => {
                let look = Look::from_repr(u32::try_from(r.num()?).ok()?)?;
                b.add_look(r.id()?, look)
            }
            3 => {
                let alts = r.ids()?;
                if alts.len() < 3 {
                    return None;
                }
                b.add_union(alts)
            }
            4 => {
                let (a, c) = (r.id()?, r.id()?);
                b.add_union(vec![a, c])
            }
            5 => b.add_fail(),
            6 => {
                let pid = r.num()?;
                if b.start_pattern().ok()?.as_usize() != pid {
                    return None;
                }
                let id = b.add_match();
                b.finish_pattern(*starts.get(pid)?).ok()?;
                id
            }
            _ => return None,
        }
        .ok()?;
        if id.as_usize() != i {
            return None;
        }
    }
    if r.i != bytes.len() || b.pattern_len() != starts.len() {
        return None;
    }
    b.build(anchored, unanchored).ok()
}

/// The table of `rules/nfa.bin` (or of a buffer made by [`table`]).
pub struct Table<'a>(pub &'a [u8]);

impl<'a> Table<'a> {
    /// The entry under `key`, if the table has it.
    pub fn get(&self, key: u64) -> Option<&'a [u8]> {
        let s = self.0.strip_prefix(MAGIC)?;
        let n = u32::from_le_bytes(s.get(..4)?.try_into().ok()?) as usize;
        let index = s.get(4..4 + n.checked_mul(16)?)?;
        let row = |i: usize| -> Option<(u64, usize, usize)> {
            let e = index.get(i * 16..i * 16 + 16)?;
            let k = u64::from_le_bytes(e[..8].try_into().ok()?);
            let off = u32::from_le_bytes(e[8..12].try_into().ok()?) as usize;
            let len = u32::from_le_bytes(e[12..16].try_into().ok()?) as usize;
            Some((k, off, len))
        };
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let (k, off, len) = row(mid)?;
            match k.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    let data = s.get(4 + n * 16..)?;
                    return data.get(off..off.checked_add(len)?);
                }
            }
        }
        None
    }
}

/// A table of `(key, entry)` pairs in the layout [`Table`] reads.
pub fn table(mut entries: Vec<(u64, Vec<u8>)>) -> Vec<u8> {
    entries.sort_by_key(|e| e.0);
    entries.dedup_by_key(|e| e.0);
    let mut out = MAGIC.to_vec();
    out.extend((entries.len() as u32).to_le_bytes());
    let mut off = 0u32;
    for (k, e) in &entries {
        out.extend(k.to_le_bytes());
        out.extend(off.to_le_bytes());
        out.extend((e.len() as u32).to_le_bytes());
        off += e.len() as u32;
    }
    for (_, e) in &entries {
        out.extend(e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::nfa::thompson::{Compiler, Config, WhichCaptures};

    #[test]
    fn nfas_survive_the_round_trip() {
        let mut c = Compiler::new();
        c.configure(Config::new().which_captures(WhichCaptures::None));
        for p in [r"(?i)^[\s\p{P}]*(?:ad|advert)\.?$", r"a{2,5}?b*|x?[^\n]+", "", r"(?m)^é$", r"\p{L}+$"] {
            let nfa = c.build(p).unwrap();
            let back = decode(&encode(&nfa).unwrap()).unwrap();
            assert_eq!(format!("{back:?}"), format!("{nfa:?}"), "{p}");
        }
        let many = c.build_many(&["abc", "(?i)straße", r"^\d+ min"]).unwrap();
        assert_eq!(format!("{:?}", decode(&encode(&many).unwrap()).unwrap()), format!("{many:?}"));
        // A reverse NFA (the screens' patterns anchored at the end) stays one.
        let mut rc = Compiler::new();
        rc.configure(Config::new().which_captures(WhichCaptures::None).reverse(true));
        let rev = rc.build_many(&[r"(?:^|[.!?]\s+)\p{Lu}\p{Ll}{1,6}[:.]\s*\w+$", r"/\s*[A-Z]+$"]).unwrap();
        let back = decode(&encode(&rev).unwrap()).unwrap();
        assert!(back.is_reverse() && !decode(&encode(&many).unwrap()).unwrap().is_reverse());
        assert_eq!(format!("{back:?}"), format!("{rev:?}"));
        // Captures are not held; a cut or garbled form is no NFA.
        assert!(encode(&Compiler::new().build("(a)").unwrap()).is_none());
        let e = encode(&many).unwrap();
        assert!(decode(&e[..e.len() - 1]).is_none() && decode(&[1, 200]).is_none() && decode(&[]).is_none());
    }

    #[test]
    fn the_table_finds_its_entries() {
        let t = table(vec![(7, vec![1, 2]), (3, vec![]), (9, vec![5])]);
        let t = Table(&t);
        assert_eq!(
            (t.get(7), t.get(3), t.get(9), t.get(4)),
            (Some(&[1u8, 2][..]), Some(&[][..]), Some(&[5u8][..]), None)
        );
        assert!(Table(b"NCNFA1\n\xff").get(7).is_none());
    }
}
