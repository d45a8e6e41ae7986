//! The parsed page as [`super::parse`](mod@super::parse) builds it and `walk` reads
//! it: one `Vec` of nodes linked by index, holding only what the walk and
//! [`super::meta`] read (element names, attributes as the tokenizer made
//! them, text). It replaces `scraper::Html`, whose elements copy their
//! attributes into a map and whose parse errors are collected as strings.
//!
//! The tree operations are those of `ego_tree` 0.6, which `scraper` uses,
//! step for step (including `reparent` updating the parent of the first and
//! last child only, and `detach` trusting a node's recorded parent), so that
//! a page, however malformed, gets the very tree, and the same blocks, it
//! got through `scraper`.

use html5ever::tendril::StrTendril;
use html5ever::{namespace_url, ns, Attribute, QualName};

/// A node's index in the [`Dom`]'s nodes.
pub type NodeId = u32;

/// No node.
pub const NIL: NodeId = u32::MAX;

/// What a node is.
#[derive(Debug)]
pub enum Data {
    Document,
    /// A `template`'s contents (its first child, as in `scraper`).
    Fragment,
    Doctype,
    /// Comments and processing instructions: never read, kept as nodes
    /// because text on either side of one is not merged.
    Comment,
    Text(StrTendril),
    Element(Element),
}

/// An element: its name and its attributes, in the tokenizer's order.
#[derive(Debug)]
pub struct Element {
    pub name: QualName,
    pub attrs: Vec<Attribute>,
}

impl Element {
    /// The local name (`svg`'s `title` is `title`).
    pub fn name(&self) -> &str {
        &self.name.local
    }

    /// The value of the attribute `name` in no namespace.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|a| a.name.ns == ns!() && &*a.name.local == name).map(|a| &*a.value)
    }

    /// Every attribute as (local name, value).
    pub fn attrs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.attrs.iter().map(|a| (&*a.name.local, &*a.value))
    }
}

#[derive(Debug)]
pub struct Node {
    parent: NodeId,
    prev: NodeId,
    next: NodeId,
    /// First and last child; `NIL` both when there is none.
    first: NodeId,
    last: NodeId,
    /// How deep the parser placed it (for its depth cap).
    pub(super) depth: u32,
    pub data: Data,
}

/// One step of a document-order walk: a node opened, or closed after its children.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    Open(NodeId),
    Close(NodeId),
}

/// A parsed page; node 0 is the document.
#[derive(Debug)]
pub struct Dom {
    nodes: Vec<Node>,
}

impl Default for Dom {
    fn default() -> Self {
        Dom::new()
    }
}

impl Dom {
    pub fn new() -> Dom {
        Dom::with_capacity(1)
    }

    /// A page with room for `nodes` nodes, so that the tree builder does
    /// not copy the nodes each time the `Vec` grows.
    pub fn with_capacity(nodes: usize) -> Dom {
        let mut d = Dom { nodes: Vec::with_capacity(nodes.max(1)) };
        d.orphan(Data::Document);
        d
    }

    pub const ROOT: NodeId = 0;

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub(super) fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn element(&self, id: NodeId) -> Option<&Element> {
        match &self.node(id).data {
            Data::Element(e) => Some(e),
            _ => None,
        }
    }

    pub fn parent(&self, id: NodeId) -> Option<NodeId> {
        Some(self.node(id).parent).filter(|&p| p != NIL)
    }

    pub fn first_child(&self, id: NodeId) -> Option<NodeId> {
        Some(self.node(id).first).filter(|&c| c != NIL)
    }

    pub fn last_child(&self, id: NodeId) -> Option<NodeId> {
        Some(self.node(id).last).filter(|&c| c != NIL)
    }

    pub fn prev_sibling(&self, id: NodeId) -> Option<NodeId> {
        Some(self.node(id).prev).filter(|&c| c != NIL)
    }

    pub fn next_sibling(&self, id: NodeId) -> Option<NodeId> {
        Some(self.node(id).next).filter(|&c| c != NIL)
    }

    pub fn has_children(&self, id: NodeId) -> bool {
        self.node(id).first != NIL
    }

    /// A new node with no parent.
    pub(super) fn orphan(&mut self, data: Data) -> NodeId {
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node { parent: NIL, prev: NIL, next: NIL, first: NIL, last: NIL, depth: 0, data });
        id
    }

    /// Unlink `id` from its recorded parent (`ego_tree`'s `detach`).
    pub(super) fn detach(&mut self, id: NodeId) {
        let parent = self.node(id).parent;
        if parent == NIL {
            return;
        }
        let (prev, next) = (self.node(id).prev, self.node(id).next);
        let n = self.node_mut(id);
        (n.parent, n.prev, n.next) = (NIL, NIL, NIL);
        if prev != NIL {
            self.node_mut(prev).next = next;
        }
        if next != NIL {
            self.node_mut(next).prev = prev;
        }
        let p = self.node_mut(parent);
        if p.first == NIL {
            // `ego_tree` would panic here; a recorded parent with no
            // children only follows a `reparent` (see the module doc).
            return;
        }
        if p.first == p.last {
            (p.first, p.last) = (NIL, NIL);
        } else if p.first == id {
            p.first = next;
        } else if p.last == id {
            p.last = prev;
        }
    }

    /// Make `child` the last child of `parent` (`append_id`).
    pub(super) fn append(&mut self, parent: NodeId, child: NodeId) {
        let last = self.node(parent).last;
        self.detach(child);
        let c = self.node_mut(child);
        c.parent = parent;
        c.prev = last;
        if last != NIL {
            self.node_mut(last).next = child;
        }
        let p = self.node_mut(parent);
        if p.first == NIL {
            p.first = child;
        }
        p.last = child;
    }

    /// Put `new` just before `sibling`, which has a parent (`insert_id_before`).
    pub(super) fn insert_before(&mut self, sibling: NodeId, new: NodeId) {
        let parent = self.node(sibling).parent;
        let prev = self.node(sibling).prev;
        self.detach(new);
        let n = self.node_mut(new);
        (n.parent, n.prev, n.next) = (parent, prev, sibling);
        if prev != NIL {
            self.node_mut(prev).next = new;
        }
        self.node_mut(sibling).prev = new;
        let p = self.node_mut(parent);
        if p.first == sibling {
            p.first = new;
        }
    }

    /// Move the children of `from` to the end of `to`'s (`reparent_from_id_append`).
    pub(super) fn reparent_append(&mut self, to: NodeId, from: NodeId) {
        let f = self.node_mut(from);
        let (first, last) = (f.first, f.last);
        if first == NIL {
            return;
        }
        (f.first, f.last) = (NIL, NIL);
        self.node_mut(first).parent = to;
        self.node_mut(last).parent = to;
        let old_last = self.node(to).last;
        if old_last == NIL {
            let t = self.node_mut(to);
            (t.first, t.last) = (first, last);
            return;
        }
        self.node_mut(old_last).next = first;
        self.node_mut(first).prev = old_last;
        self.node_mut(to).last = last;
    }

    /// The nodes under `root` and `root` itself, in document order, each
    /// opened and then closed after its children (`ego_tree`'s `traverse`).
    pub fn traverse(&self, root: NodeId) -> Traverse<'_> {
        Traverse { dom: self, root, edge: None }
    }

    /// The text of the text nodes under `id`, joined.
    pub fn text_of(&self, id: NodeId) -> String {
        let mut s = String::new();
        for e in self.traverse(id) {
            if let Edge::Open(n) = e {
                if let Data::Text(t) = &self.node(n).data {
                    s.push_str(t);
                }
            }
        }
        s
    }
}

/// See [`Dom::traverse`].
pub struct Traverse<'a> {
    dom: &'a Dom,
    root: NodeId,
    edge: Option<Edge>,
}

impl Iterator for Traverse<'_> {
    type Item = Edge;
    fn next(&mut self) -> Option<Edge> {
        self.edge = match self.edge {
            None => Some(Edge::Open(self.root)),
            Some(Edge::Open(n)) => Some(self.dom.first_child(n).map_or(Edge::Close(n), Edge::Open)),
            Some(Edge::Close(n)) if n == self.root => None,
            Some(Edge::Close(n)) => match self.dom.next_sibling(n) {
                Some(s) => Some(Edge::Open(s)),
                None => self.dom.parent(n).map(Edge::Close),
            },
        };
        self.edge
    }
}
