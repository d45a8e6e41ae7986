//! The literal screens' Aho-Corasick automaton as a plain transition table,
//! so that the built-in screens' tables can be made ahead into
//! `rules/nfa.bin` and only read back: building aho-corasick's DFA of the
//! ~900 built-in literals cost ~70 M instructions a process, a twentieth of
//! cleaning 4,000 small files. The table is the DFA's own (every state the
//! search can reach, bytes grouped into classes that no state tells apart),
//! so a search finds what the DFA finds; users' literals get the same table,
//! built from the DFA at run time.
//!
//! Form, little-endian u32s: `NCLIT1` as the magic word pair, state count,
//! class count, start, the count of match states (they come first), the
//! 256 byte classes, each match state's literal count and literals, the
//! start state's row (a next state per class), then per state the cells in
//! which its row differs from the start's, as a count and `class, next`
//! pairs: most of an Aho-Corasick DFA's transitions lead where the start's
//! do, so the body screen's 5,564 × 103 table is 30,400 such cells.

use rustc_hash::FxHashMap;

const MAGIC: [u32; 2] = [u32::from_le_bytes(*b"NCLI"), u32::from_le_bytes(*b"T1\n\0")];

/// A DFA over bytes that reports every occurrence of its literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LitDfa {
    classes: [u8; 256],
    stride: usize,
    /// Premultiplied: state `s` is `s * stride`.
    start: u32,
    /// States below this (premultiplied) are match states.
    match_end: u32,
    /// Per match state, its literals (indices into the strings built from).
    matches: Vec<Vec<u32>>,
    /// The rows, then zeros up to a power of two: `mask + 1` cells.
    table: Vec<u32>,
    /// The cells of the rows, and the table's length less one.
    cells: usize,
    mask: usize,
}

impl LitDfa {
    /// The table of a [`MatchKind::Standard`](aho_corasick::MatchKind) DFA of
    /// `strings`, ASCII letters in either case; `None` if it cannot be built.
    pub fn build(strings: &[Vec<u8>]) -> Option<LitDfa> {
        use aho_corasick::automaton::Automaton;
        use aho_corasick::Anchored;
        let dfa = aho_corasick::dfa::DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(strings)
            .ok()?;
        let start = dfa.start_state(Anchored::No).ok()?;
        // Every reachable state, breadth first, with its 256 next states.
        let mut index: FxHashMap<aho_corasick::automaton::StateID, usize> = FxHashMap::default();
        let mut order = vec![start];
        index.insert(start, 0);
        let mut rows: Vec<[usize; 256]> = Vec::new();
        let mut k = 0;
        while k < order.len() {
            let sid = order[k];
            let mut row = [0usize; 256];
            for (b, next) in row.iter_mut().enumerate() {
                let n = dfa.next_state(Anchored::No, sid, b as u8);
                *next = *index.entry(n).or_insert_with(|| {
                    order.push(n);
                    order.len() - 1
                });
            }
            rows.push(row);
            k += 1;
        }
        if order.iter().any(|&s| dfa.is_dead(s)) || order.len() > (u32::MAX as usize) / 256 {
            return None;
        }
        // Bytes that every state sends alike share a class.
        let mut classes = [0u8; 256];
        let mut first_of: Vec<usize> = Vec::new();
        let mut columns: FxHashMap<Vec<usize>, u8> = FxHashMap::default();
        for (b, class) in classes.iter_mut().enumerate() {
            let column: Vec<usize> = rows.iter().map(|r| r[b]).collect();
            *class = *columns.entry(column).or_insert_with(|| {
                first_of.push(b);
                (first_of.len() - 1) as u8
            });
        }
        // Match states first, so that one comparison tells them.
        let is_match: Vec<bool> = order.iter().map(|&s| dfa.is_match(s)).collect();
        let mut renum = vec![0usize; order.len()];
        let mut next = 0;
        for pass in [true, false] {
            for (i, &m) in is_match.iter().enumerate() {
                if m == pass {
                    renum[i] = next;
                    next += 1;
                }
            }
        }
        let stride = first_of.len();
        let n_match = is_match.iter().filter(|&&m| m).count();
        let mut table = vec![0u32; order.len() * stride];
        let mut matches = vec![Vec::new(); n_match];
        for (i, row) in rows.iter().enumerate() {
            let s = renum[i];
            for (c, &b) in first_of.iter().enumerate() {
                table[s * stride + c] = (renum[row[b]] * stride) as u32;
            }
            if is_match[i] {
                let sid = order[i];
                matches[s] = (0..dfa.match_len(sid)).map(|j| dfa.match_pattern(sid, j).as_u32()).collect();
            }
        }
        Some(LitDfa::new(classes, stride, (renum[0] * stride) as u32, (n_match * stride) as u32, matches, table))
    }

    /// The table of these parts, `table` padded with zeros to a power of two.
    fn new(
        classes: [u8; 256],
        stride: usize,
        start: u32,
        match_end: u32,
        matches: Vec<Vec<u32>>,
        table: Vec<u32>,
    ) -> LitDfa {
        let cells = table.len();
        // A zeroed allocation, not `resize`: the padding's pages are never
        // written, so they never become resident (`resize` wrote them: +1.3 MB
        // peak RSS for every run).
        let mut padded = vec![0u32; cells.next_power_of_two()];
        padded[..cells].copy_from_slice(&table);
        let table = padded;
        let mask = table.len() - 1;
        LitDfa { classes, stride, start, match_end, matches, table, cells, mask }
    }

    /// Every literal that occurs in `b`, once per occurrence (as an
    /// overlapping search reports them). The bytes are run by
    /// [`LitDfa::run`], which knows nothing of `found`: inlined into the
    /// loop, the report's registers (the screen's candidates) spilled the
    /// state, twice the instructions a byte.
    #[inline]
    pub fn each(&self, b: &[u8], mut found: impl FnMut(usize)) {
        let mut report = |sid: u32| {
            for &k in &self.matches[sid as usize / self.stride] {
                found(k as usize);
            }
        };
        let mut sid = self.start;
        if sid < self.match_end {
            report(sid);
        }
        let mut at = 0;
        while let Some(next) = self.run(b, at, &mut sid) {
            report(sid);
            at = next;
        }
    }

    /// From state `sid` at `b[at..]`, on to the next byte that enters a
    /// match state: where the search goes on after it (`sid` is then the
    /// match state), `None` at the end of `b`.
    #[inline(never)]
    fn run(&self, b: &[u8], at: usize, sid: &mut u32) -> Option<usize> {
        let (classes, match_end) = (&self.classes, self.match_end);
        // A length of `mask + 1` and every index masked: no bounds check (a
        // compare and branch a byte). The mask changes no index: a state
        // plus a class is a cell of the table.
        let mask = self.mask;
        let table = &self.table[..=mask];
        let next = |s: u32, c: u8| table[(s as usize + usize::from(classes[usize::from(c)])) & mask];
        let mut s = *sid;
        let mut i = at;
        // Four bytes a round: the loop's own count and test once per four.
        let mut rounds = b.get(at..)?.chunks_exact(4);
        for q in &mut rounds {
            for (k, &c) in q.iter().enumerate() {
                s = next(s, c);
                if s < match_end {
                    *sid = s;
                    return Some(i + k + 1);
                }
            }
            i += 4;
        }
        for &c in rounds.remainder() {
            s = next(s, c);
            i += 1;
            if s < match_end {
                *sid = s;
                return Some(i);
            }
        }
        *sid = s;
        None
    }

    /// The form described in the module's doc.
    pub fn encode(&self) -> Vec<u8> {
        let mut w: Vec<u32> = MAGIC.to_vec();
        let states = (self.cells / self.stride) as u32;
        w.extend([states, self.stride as u32, self.start / self.stride as u32, self.matches.len() as u32]);
        w.extend(self.classes.iter().map(|&c| u32::from(c)));
        for m in &self.matches {
            w.push(m.len() as u32);
            w.extend(m);
        }
        let stride = self.stride as u32;
        let start = &self.table[self.start as usize..][..self.stride];
        w.extend(start.iter().map(|&s| s / stride));
        for row in self.table[..self.cells].chunks_exact(self.stride) {
            let differ: Vec<(usize, u32)> = row.iter().copied().enumerate().filter(|&(c, s)| s != start[c]).collect();
            w.push(differ.len() as u32);
            w.extend(differ.into_iter().flat_map(|(c, s)| [c as u32, s / stride]));
        }
        w.iter().flat_map(|x| x.to_le_bytes()).collect()
    }

    /// The table of a form made by [`LitDfa::encode`]; `None` if it is
    /// malformed (every next state is checked to be a state).
    pub fn decode(bytes: &[u8]) -> Option<LitDfa> {
        if bytes.len() % 4 != 0 {
            return None;
        }
        let mut w = bytes.chunks_exact(4).map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        let mut next = || w.next();
        if [next()?, next()?] != MAGIC {
            return None;
        }
        let (states, stride, start, n_match) = (next()? as usize, next()? as usize, next()?, next()? as usize);
        // Every row takes at least one word of the form, and a premultiplied
        // state must fit a u32.
        let cells = states.checked_mul(stride).filter(|&n| n <= u32::MAX as usize);
        if stride == 0 || stride > 256 || n_match > states || states > bytes.len() / 4 || cells.is_none() {
            return None;
        }
        let mut classes = [0u8; 256];
        for c in classes.iter_mut() {
            *c = u8::try_from(next()?).ok().filter(|&c| usize::from(c) < stride)?;
        }
        let mut matches = Vec::with_capacity(n_match);
        for _ in 0..n_match {
            let n = next()? as usize;
            matches.push((0..n).map(|_| next()).collect::<Option<Vec<u32>>>()?);
        }
        // A state, premultiplied, if it is one.
        // (`then`, not `then_some`: a garbled state must not be multiplied.)
        let state = |s: u32| ((s as usize) < states).then(|| s * stride as u32);
        let start_row = (0..stride).map(|_| state(next()?)).collect::<Option<Vec<u32>>>()?;
        let mut table = Vec::with_capacity(cells?);
        for _ in 0..states {
            let row = table.len();
            table.extend_from_slice(&start_row);
            for _ in 0..next()? {
                let c = next()? as usize;
                *table[row..].get_mut(c).filter(|_| c < stride)? = state(next()?)?;
            }
        }
        let start = start.checked_mul(stride as u32).filter(|&s| (s as usize) < table.len())?;
        if w.next().is_some() || table[start as usize..][..stride] != start_row[..] {
            return None;
        }
        Some(LitDfa::new(classes, stride, start, (n_match * stride) as u32, matches, table))
    }
}

/// The key of the table of `strings` in `rules/nfa.bin`.
pub fn key(strings: &[Vec<u8>]) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(b"literal dfa\0");
    for s in strings {
        h.write_usize(s.len());
        h.write(s);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the screens searched before: aho-corasick's DFA, overlapping.
    fn old(strings: &[Vec<u8>], b: &[u8]) -> Vec<usize> {
        let ac = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .build(strings)
            .unwrap();
        let mut v: Vec<usize> = ac.find_overlapping_iter(b).map(|m| m.pattern().as_usize()).collect();
        v.sort_unstable();
        v
    }

    fn new(d: &LitDfa, b: &[u8]) -> Vec<usize> {
        let mut v = Vec::new();
        d.each(b, |k| v.push(k));
        v.sort_unstable();
        v
    }

    #[test]
    fn the_table_finds_what_the_automaton_finds() {
        let strings: Vec<Vec<u8>> =
            ["share", "sha", "advert", "©", "/", "fot.", "zdjęcie", "ab", "b", "straße", "\u{1F600}x"]
                .iter()
                .map(|s| s.as_bytes().to_vec())
                .collect();
        let d = LitDfa::build(&strings).unwrap();
        let back = LitDfa::decode(&d.encode()).unwrap();
        assert_eq!(back, d);
        let huge = "Share this ADVERT / © Fot. Zdjęcie abab STRAßE \u{1F600}x ".repeat(3000);
        let texts = ["", "a", "b", "SHARE", "shAre sha", "xyzzy", "Zdjęcie: Ę", "\u{1F600}X \u{1F600}x", &huge];
        for t in texts {
            assert_eq!(new(&d, t.as_bytes()), old(&strings, t.as_bytes()), "{t:.40}");
            assert_eq!(new(&back, t.as_bytes()), old(&strings, t.as_bytes()));
        }
        // Every byte pair.
        let pairs: Vec<u8> = (0..=255u8).flat_map(|a| (0..=255u8).flat_map(move |b| [a, b, b'h', b'a'])).collect();
        assert_eq!(new(&d, &pairs), old(&strings, &pairs));
        // A cut or garbled form is no table.
        let e = d.encode();
        assert!(LitDfa::decode(&e[..e.len() - 4]).is_none() && LitDfa::decode(&e[4..]).is_none());
        let mut bad = e.clone();
        let n = bad.len();
        bad[n - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(LitDfa::decode(&bad).is_none() && LitDfa::decode(&[]).is_none());
        // A header that claims more states than the form can hold, or more
        // cells than a u32 can number, is refused before anything is sized.
        for (states, stride) in [(u32::MAX, 256u32), (1 << 24, 256), (e.len() as u32, 1)] {
            let mut big = e.clone();
            big[8..12].copy_from_slice(&states.to_le_bytes());
            big[12..16].copy_from_slice(&stride.to_le_bytes());
            assert!(LitDfa::decode(&big).is_none(), "{states} x {stride}");
        }
        assert_ne!(key(&strings), key(&strings[1..]));
    }
}
