//! The class and id tokens on the path from the root to each block, stored
//! once per page: a tree of nodes, one per element that has tokens, each
//! linked to the nearest ancestor that has some. A block holds its node and
//! a handle on the page's tree, so memory is linear in the page, not in
//! blocks times depth, and a block's tokens are read nearest first by
//! following the links.

use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::sync::Arc;

/// No node: a path with no tokens.
pub const NO_NODE: u32 = u32::MAX;

/// At most this many class and id tokens per block, the nearest ones: the
/// classifier reads those of the main container and the last few.
pub const MAX_PATH_TOKENS: usize = 128;

#[derive(Debug, Clone, Copy)]
struct Node {
    /// The nearest ancestor node, or [`NO_NODE`].
    parent: u32,
    /// This element's tokens: `first..end` in the token list.
    first: u32,
    end: u32,
    /// Tokens from the root down to this element, its own included
    /// (saturating).
    depth: u32,
}

/// Every token of a page, lower-cased, in one string, and the nodes.
#[derive(Debug, Default)]
pub struct PathTree {
    text: String,
    /// Where token `i` ends in `text`; it starts where token `i - 1` ends.
    ends: Vec<u32>,
    nodes: Vec<Node>,
}

impl PathTree {
    /// Start the tokens of a new element below `parent` (a node or
    /// [`NO_NODE`]); [`PathTree::push_str`] and [`PathTree::push_lower`] add them,
    /// [`PathTree::finish`] closes the element.
    pub fn begin(&mut self, parent: u32) -> Builder<'_> {
        let first = self.ends.len() as u32;
        Builder { tree: self, parent, first }
    }

    /// The tokens of one node, in the order the element gave them.
    pub fn own(&self, node: u32) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        let (first, end) = if node == NO_NODE {
            (0, 0)
        } else {
            let n = self.nodes[node as usize];
            (n.first, n.end)
        };
        (first..end).map(move |i| self.token(i))
    }

    /// How many tokens a node has.
    pub fn own_len(&self, node: u32) -> usize {
        if node == NO_NODE {
            return 0;
        }
        let n = self.nodes[node as usize];
        (n.end - n.first) as usize
    }

    /// How many nodes are stored (for tests that count work).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// How many tokens are stored.
    pub fn token_count(&self) -> usize {
        self.ends.len()
    }

    fn token(&self, i: u32) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i as usize - 1] as usize };
        &self.text[start..self.ends[i as usize] as usize]
    }

    fn depth(&self, node: u32) -> u32 {
        if node == NO_NODE {
            0
        } else {
            self.nodes[node as usize].depth
        }
    }
}

/// The tokens of one element being added; see [`PathTree::begin`].
pub struct Builder<'a> {
    tree: &'a mut PathTree,
    parent: u32,
    first: u32,
}

impl Builder<'_> {
    /// Add a token as it is.
    pub fn push_str(&mut self, t: &str) {
        self.tree.text.push_str(t);
        self.tree.ends.push(self.tree.text.len() as u32);
    }

    /// Add a token, ASCII lower-cased.
    pub fn push_lower(&mut self, t: &str) {
        let start = self.tree.text.len();
        self.tree.text.push_str(t);
        self.tree.text[start..].make_ascii_lowercase();
        self.tree.ends.push(self.tree.text.len() as u32);
    }

    /// How many tokens were added so far.
    pub fn len(&self) -> usize {
        self.tree.ends.len() - self.first as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Of the tokens added from the `from`-th on, keep those for which
    /// `keep` says yes.
    pub fn retain_from(&mut self, from: usize, keep: impl Fn(&str) -> bool) {
        let from = self.first + from as u32;
        let start = if from == 0 { 0 } else { self.tree.ends[from as usize - 1] as usize };
        let kept: Vec<String> = (from..self.tree.ends.len() as u32)
            .map(|i| self.tree.token(i))
            .filter(|t| keep(t))
            .map(str::to_owned)
            .collect();
        self.tree.text.truncate(start);
        self.tree.ends.truncate(from as usize);
        for t in kept {
            self.push_str(&t);
        }
    }

    /// Close the element: its node, or the parent when it added no token
    /// (an element without tokens needs no node of its own).
    pub fn finish(self) -> u32 {
        let end = self.tree.ends.len() as u32;
        if end == self.first {
            return self.parent;
        }
        let depth = self.tree.depth(self.parent).saturating_add(end - self.first);
        self.tree.nodes.push(Node { parent: self.parent, first: self.first, end, depth });
        (self.tree.nodes.len() - 1) as u32
    }
}

/// The class and id tokens from the root down to a block (the last
/// [`MAX_PATH_TOKENS`] of them), lower-cased. Cloning copies a handle.
#[derive(Clone)]
pub struct Path {
    tree: Arc<PathTree>,
    node: u32,
}

impl Default for Path {
    fn default() -> Self {
        static EMPTY: std::sync::LazyLock<Arc<PathTree>> = std::sync::LazyLock::new(Arc::default);
        Path { tree: Arc::clone(&EMPTY), node: NO_NODE }
    }
}

impl Path {
    /// The path ending at `node` (or [`NO_NODE`]) of `tree`.
    pub fn new(tree: Arc<PathTree>, node: u32) -> Path {
        Path { tree, node }
    }

    /// How many tokens: at most [`MAX_PATH_TOKENS`].
    pub fn len(&self) -> usize {
        (self.tree.depth(self.node) as usize).min(MAX_PATH_TOKENS)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The tokens, the nearest (the block's own element) first.
    pub fn nearest_first(&self) -> Tokens<'_> {
        let (node, next) = match self.node {
            NO_NODE => (NO_NODE, 0),
            n => (n, self.tree.nodes[n as usize].end),
        };
        Tokens { tree: &self.tree, node, next, left: self.len() }
    }

    /// The last `k` tokens (all of them when there are fewer), nearest first.
    pub fn last(&self, k: usize) -> std::iter::Take<Tokens<'_>> {
        self.nearest_first().take(k)
    }

    /// The tokens from the root down, copied (for display).
    pub fn to_vec(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.nearest_first().collect();
        v.reverse();
        v
    }
}

/// A [`Path`]'s tokens, nearest first.
pub struct Tokens<'a> {
    tree: &'a PathTree,
    node: u32,
    /// The token after the next one to give, in `node`.
    next: u32,
    left: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.left == 0 {
            return None;
        }
        // Nodes have at least one token, so one step up is enough.
        let n = self.tree.nodes[self.node as usize];
        if self.next == n.first {
            self.node = n.parent;
            self.next = self.tree.nodes[self.node as usize].end;
        }
        self.left -= 1;
        self.next -= 1;
        Some(self.tree.token(self.next))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Tokens<'_> {}

impl std::fmt::Debug for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.to_vec()).finish()
    }
}

/// Two paths are equal when they hold the same tokens.
impl PartialEq for Path {
    fn eq(&self, other: &Path) -> bool {
        self.len() == other.len() && self.nearest_first().eq(other.nearest_first())
    }
}

/// A list of strings, from the root down.
impl Serialize for Path {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let v = self.to_vec();
        let mut seq = s.serialize_seq(Some(v.len()))?;
        for t in v {
            seq.serialize_element(t)?;
        }
        seq.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition: every token from the root down, the last
    /// [`MAX_PATH_TOKENS`] kept (what `Vec<Arc<str>>` per block held).
    fn naive(chains: &[Vec<String>]) -> Vec<String> {
        let all: Vec<String> = chains.iter().flatten().cloned().collect();
        all[all.len().saturating_sub(MAX_PATH_TOKENS)..].to_vec()
    }

    #[test]
    fn paths_hold_the_last_tokens_from_the_root_down() {
        // Elements nested in one chain, with 0..=70 tokens each (some with
        // none, some non-ASCII), read at every depth.
        let mut tree = PathTree::default();
        let mut node = NO_NODE;
        let mut chains: Vec<Vec<String>> = Vec::new();
        let mut ends = Vec::new();
        for d in 0..300usize {
            let n = [0, 1, 3, 0, 70, 2, 0, 0, 5][d % 9];
            let own: Vec<String> = (0..n).map(|k| format!("t{d}-{k}{}", if k % 4 == 0 { "é" } else { "" })).collect();
            let mut b = tree.begin(node);
            for t in &own {
                b.push_str(t);
            }
            node = b.finish();
            chains.push(own);
            ends.push(node);
        }
        let tree = Arc::new(tree);
        for (d, &node) in ends.iter().enumerate() {
            let p = Path::new(Arc::clone(&tree), node);
            let want = naive(&chains[..=d]);
            assert_eq!(p.len(), want.len(), "depth {d}");
            assert_eq!(p.to_vec(), want, "depth {d}");
            let mut rev = want.clone();
            rev.reverse();
            assert_eq!(p.last(3).collect::<Vec<_>>(), rev.iter().take(3).map(String::as_str).collect::<Vec<_>>());
        }
        assert!(Path::default().is_empty() && Path::default().to_vec().is_empty());
        assert_eq!(Path::default(), Path::new(Arc::clone(&tree), NO_NODE));
    }

    #[test]
    fn push_lower_and_retain() {
        let mut tree = PathTree::default();
        let mut b = tree.begin(NO_NODE);
        b.push_lower("Hidden");
        b.push_lower("MD:Block");
        b.push_str("ÉTÉ");
        b.retain_from(0, |t| t != "hidden");
        b.push_lower("HIDDEN");
        b.retain_from(2, |t| t != "hidden");
        let n = b.finish();
        assert_eq!(tree.own(n).collect::<Vec<_>>(), ["md:block", "ÉTÉ"]);
        let mut b = tree.begin(n);
        b.push_str("x");
        b.retain_from(0, |_| false);
        assert_eq!(b.finish(), n);
        assert_eq!(serde_json::to_string(&Path::new(Arc::new(tree), n)).unwrap(), r#"["md:block","ÉTÉ"]"#);
    }
}
