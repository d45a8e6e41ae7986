//! html5ever's parser with the bounds that keep hostile pages linear: a
//! depth cap, a cap on active formatting elements, and (through
//! [`super::feed`]) a cap on attributes per tag.
//!
//! The page is read by [`super::tokenize`], a tokenizer of our own, into
//! html5ever's tree builder; where that tokenizer gives a page up (a NUL
//! byte, `<plaintext>`, an odd doctype, a tag past the attribute cap, …) the
//! whole page is parsed again, from a fresh tree builder, by html5ever's
//! own tokenizer through [`super::feed`]. Both feed the same `Cap` sink,
//! so the caps below hold on either path.
//!
//! The HTML tree builder searches its stack of open elements on every start
//! tag ("is there a `p` in button scope?"), so 100,000 nested `<div>`s cost
//! 10^10 steps. Browsers and other parsers bound the tree instead: Chromium
//! attaches elements deeper than 512 levels to the 512th ancestor, libxml2
//! (lxml, hence trafilatura) stops at 256. This module caps at 256, far
//! deeper than real pages go, and does it
//! between html5ever's tokenizer and its tree builder:
//!
//! - the [`TreeSink`] that builds the page's [`Dom`] records the depth of
//!   every element it is asked to append;
//! - when a start tag made an element deeper than [`MAX_DEPTH`], an end tag
//!   for it follows at once, so what it holds lands in its parent (text is
//!   never lost, and stays in document order), and the page's own end tag
//!   for it is dropped later.
//!
//! Elements whose content is never read (`script`, `template`, `svg`, …)
//! are left in place a little past the cap, so their content stays unread.
//!
//! The list of active formatting elements (`b`, `i`, `font`, `a`, … left
//! open) is the other unbounded thing in the tree builder: each formatting
//! start tag compares itself with every entry (cloning and sorting both
//! attribute lists), and text after a closed block re-creates every entry
//! not open. The spec's Noah's Ark clause keeps three entries alike, but
//! entries with distinct attributes pile up: 100,000 `<b id=N>` took
//! seconds, and `<div><b id=N>x</div>` made 250 elements per 20 bytes. A
//! formatting start tag is dropped (its text stays, in its parent; inside
//! `svg` or `math` a `span` stands in for it, so that it still closes the
//! foreign elements as the spec has it) when
//! [`MAX_FORMATTING`] formatting elements may already be active: the count
//! is taken from the tree builder's own handles
//! ([`TreeBuilder::trace_handles`]: the stack of open elements, then the
//! list), as the formatting elements at the end of that sequence, which
//! counts every list entry and the formatting elements open at the top of
//! the stack.
//!
//! Pages shallower than the caps get the tree `scraper::Html::parse_document`
//! would give them (the tests compare the two), but for the text of elements
//! no one reads (`script`, `style`, …: see `DepthSink::unread_text`), which
//! is not kept. Depths are tracked as elements are appended; the adoption agency
//! and foster parenting move subtrees without updating them, which only
//! makes the cap approximate on pages that are malformed that deep.

use super::dom::{Data, Dom, Element, NodeId};
use super::feed::{self, ReadOn};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts, TokenizerResult,
};
use html5ever::tree_builder::{
    ElementFlags, NextParserState, NodeOrText, QuirksMode, Tracer, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{expanded_name, local_name, namespace_url, ns, Attribute, ExpandedName, LocalName, QualName};
use rustc_hash::{FxHashMap, FxHashSet};
use std::borrow::Cow;
use std::cell::RefCell;

/// The deepest element kept where the page puts it (libxml2's limit).
pub const MAX_DEPTH: u32 = 256;

/// The most formatting elements that may be active when another one starts.
pub const MAX_FORMATTING: usize = 16;

/// Parse a whole document, as `scraper::Html::parse_document` does, with the caps.
pub fn parse_document(html: &str) -> Dom {
    run(html, false).0
}

/// How many elements the depth cap moved up while parsing `html` (for tests).
pub fn capped_elements(html: &str) -> usize {
    run(html, false).1.capped_depth
}

/// What the caps did while parsing a page, and how much work it made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Elements the depth cap closed at once.
    pub capped_depth: usize,
    /// Tags whose attributes past [`feed::MAX_ATTRS`] were cut.
    pub capped_attrs: usize,
    /// The most attributes a tag had (duplicates included).
    pub widest_tag: usize,
    /// Formatting start tags dropped by [`MAX_FORMATTING`].
    pub dropped_formatting: usize,
    /// Elements the tree builder created (those the page names, and those
    /// it re-creates for formatting left open).
    pub elements: usize,
    /// The most formatting elements counted active at a formatting start tag
    /// (they are counted when a bound on them reaches the cap).
    pub max_formatting: usize,
}

/// Parse `html` and say what the caps did (for tests and measurements).
pub fn stats(html: &str) -> Stats {
    run(html, false).1
}

/// Which tokenizer reads the page into the tree builder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// [`super::tokenize`], falling back to html5ever's where it gives up.
    Fast,
    /// html5ever's tokenizer, through [`feed::drive`].
    Html5ever,
}

/// Parse `html` with one tokenizer, keeping the text no one reads (for
/// tests): `None` when the fast one gives the page up.
pub fn parse_with(html: &str, reader: Reader) -> Option<(Dom, Stats)> {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    match reader {
        Reader::Fast => run_fast(html, true).ok(),
        Reader::Html5ever => Some(run_html5ever(html, true)),
    }
}

/// Why the fast tokenizer gives `html` up, if it does (for tests and measurements).
pub fn fast_bail(html: &str) -> Option<super::tokenize::Bail> {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    run_fast(html, false).err()
}

/// Parse `html`; `keep_unread` keeps the text no one reads (for tests).
fn run(html: &str, keep_unread: bool) -> (Dom, Stats) {
    let html = html.strip_prefix('\u{feff}').unwrap_or(html);
    run_fast(html, keep_unread).unwrap_or_else(|_| run_html5ever(html, keep_unread))
}

/// The caps and the tree builder, fresh, for `html`.
fn new_cap(html: &str, keep_unread: bool) -> Cap {
    let none = QualName::new(None, ns!(), local_name!(""));
    // About one node per `<` (an element and the text after its start tag,
    // none for its end tag): room for them at once, where growing the nodes
    // one doubling at a time copied them again and again.
    let nodes = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let sink = DepthSink { dom: Dom::with_capacity(nodes), too_deep: None, created: 0, none, keep_unread };
    let tb = TreeBuilder::new(sink, TreeBuilderOpts::default());
    Cap {
        tb,
        swallow: FxHashMap::default(),
        read_on: ReadOn::Data,
        run: RefCell::new(Vec::new()),
        active_bound: 0,
        stats: Stats::default(),
    }
}

fn finish(cap: Cap, seen: feed::Fed) -> (Dom, Stats) {
    let stats = Stats { capped_attrs: seen.cut, widest_tag: seen.widest, elements: cap.tb.sink.created, ..cap.stats };
    (cap.tb.sink.dom, stats)
}

/// Parse `html` (no byte-order mark in front) with [`super::tokenize`].
fn run_fast(html: &str, keep_unread: bool) -> Result<(Dom, Stats), super::tokenize::Bail> {
    let mut cap = new_cap(html, keep_unread);
    let seen = super::tokenize::tokenize(html, &mut cap)?;
    cap.end();
    Ok(finish(cap, seen))
}

/// Parse `html` (no byte-order mark in front) with html5ever's tokenizer.
fn run_html5ever(html: &str, keep_unread: bool) -> (Dom, Stats) {
    let cap = new_cap(html, keep_unread);
    // The tokenizer drops a byte-order mark at the front of what each `feed`
    // call sees, not only at the input's start: `Fed` does it for it, where
    // one `feed` of the whole page would have.
    let opts = TokenizerOpts { discard_bom: false, ..TokenizerOpts::default() };
    let mut fed = Fed { tok: Tokenizer::new(cap, opts), input: BufferQueue::default(), bom_may_follow: false };
    let seen = feed::drive(html, &mut fed);
    fed.tok.end();
    finish(fed.tok.sink, seen)
}

/// The tokenizer as [`feed::drive`] feeds it.
struct Fed {
    tok: Tokenizer<Cap>,
    input: BufferQueue,
    /// A script just ended: one `feed` of the whole page would be called
    /// again now, and drop a byte-order mark that comes next.
    bom_may_follow: bool,
}

impl feed::Tokenizer for Fed {
    fn feed(&mut self, piece: &str) {
        self.input.push_back(StrTendril::from_slice(piece));
        loop {
            if self.bom_may_follow {
                match self.input.peek() {
                    None => return,
                    Some(c) => {
                        if c == '\u{feff}' {
                            self.input.next();
                        }
                        self.bom_may_follow = false;
                    }
                }
            }
            match self.tok.feed(&mut self.input) {
                TokenizerResult::Script(_) => self.bom_may_follow = true,
                TokenizerResult::Done => return,
            }
        }
    }
    fn read_on(&mut self) -> ReadOn {
        self.tok.sink.read_on
    }
    fn cdata_allowed(&mut self) -> bool {
        self.tok.sink.tb.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The elements the list of active formatting elements holds.
fn formatting(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("b")
            | local_name!("big")
            | local_name!("code")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("nobr")
            | local_name!("s")
            | local_name!("small")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("tt")
            | local_name!("u")
    )
}

/// Collects the formatting elements at the end of the handles the tree
/// builder traces: its stack of open elements, then its list of active
/// formatting elements (markers are not traced), then its `head` and `form`
/// pointers, which do not break the run.
struct TrailingFormatting<'a> {
    dom: &'a Dom,
    run: &'a RefCell<Vec<NodeId>>,
}

impl Tracer for TrailingFormatting<'_> {
    type Handle = NodeId;
    fn trace_handle(&self, node: &NodeId) {
        let name = self.dom.element(*node).map(|e| &e.name.local);
        match name {
            Some(n) if formatting(n) => self.run.borrow_mut().push(*node),
            Some(&local_name!("head") | &local_name!("form")) => {}
            _ => self.run.borrow_mut().clear(),
        }
    }
}

/// How far past the cap an element whose content is never read may sit.
const UNREAD_SLACK: u32 = 32;

/// Elements that never have content: no end tag follows them.
fn void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "keygen"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "basefont"
            | "bgsound"
            | "frame"
    )
}

/// Between the tokenizer and the tree builder: closes elements that went
/// too deep and drops the page's end tags for them; drops formatting start
/// tags past [`MAX_FORMATTING`].
struct Cap {
    tb: TreeBuilder<NodeId, DepthSink>,
    /// End tags still to drop, by name.
    swallow: FxHashMap<LocalName, u32>,
    /// How the tokenizer reads on after the last start tag.
    read_on: ReadOn,
    /// The formatting elements at the end of the tree builder's handles.
    run: RefCell<Vec<NodeId>>,
    /// At least as many as the active formatting elements.
    active_bound: usize,
    stats: Stats,
}

impl Cap {
    /// A formatting start tag in foreign content that leaves it: every one
    /// but `a` and a `font` with none of `color`, `face`, `size` (the spec's
    /// rule). At an integration point (`foreignObject`, `mi`, …) the tag
    /// would not leave, and the `span` that stands in lands inside the
    /// foreign element, whose text is not read either.
    fn breaks_out(&self, token: &Token) -> bool {
        let Token::TagToken(tag) = token else { return false };
        tag.name != local_name!("a")
            && self.tb.adjusted_current_node_present_but_not_in_html_namespace()
            && (tag.name != local_name!("font")
                || tag.attrs.iter().any(|a| {
                    a.name.ns == ns!()
                        && matches!(a.name.local, local_name!("color") | local_name!("face") | local_name!("size"))
                }))
    }

    /// At most how many formatting elements are active: the run of them at
    /// the end of the tree builder's handles holds every active one, and
    /// those open at the top of the stack, which are most often active too,
    /// so appear twice.
    fn active_formatting(&self) -> usize {
        self.run.borrow_mut().clear();
        self.tb.trace_handles(&TrailingFormatting { dom: &self.tb.sink.dom, run: &self.run });
        let run = self.run.borrow();
        if run.len() < MAX_FORMATTING {
            return run.len();
        }
        // An element traced twice is open and active: it is counted once.
        run.iter().copied().collect::<FxHashSet<NodeId>>().len()
    }
}

impl TokenSink for Cap {
    type Handle = NodeId;

    fn process_token(&mut self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        let mut start = false;
        if let Token::TagToken(Tag { kind, name, .. }) = &token {
            if *kind == TagKind::EndTag {
                if let Some(n) = self.swallow.get_mut(name).filter(|n| **n > 0) {
                    *n -= 1;
                    return TokenSinkResult::Continue;
                }
            } else {
                start = true;
                if formatting(name) {
                    // Each formatting start tag adds at most one entry: the
                    // handles are counted only when the bound reaches the cap.
                    if self.active_bound >= MAX_FORMATTING {
                        self.active_bound = self.active_formatting();
                        self.stats.max_formatting = self.stats.max_formatting.max(self.active_bound);
                    }
                    if self.active_bound >= MAX_FORMATTING {
                        self.stats.dropped_formatting += 1;
                        self.read_on = ReadOn::Data;
                        if !self.breaks_out(&token) {
                            return TokenSinkResult::Continue;
                        }
                        // In `svg` or `math` the tag would have closed the
                        // foreign elements, and what follows is page text: a
                        // `span` (no formatting element) closes them instead.
                        let span = Tag {
                            kind: TagKind::StartTag,
                            name: local_name!("span"),
                            self_closing: false,
                            attrs: Vec::new(),
                        };
                        return self.process_token(Token::TagToken(span), line);
                    }
                    self.active_bound += 1;
                }
            }
        }
        let r = self.tb.process_token(token, line);
        if start {
            self.read_on = match r {
                TokenSinkResult::RawData(RawKind::Rcdata) => ReadOn::Rcdata,
                TokenSinkResult::RawData(RawKind::Rawtext) => ReadOn::Rawtext,
                TokenSinkResult::RawData(_) => ReadOn::Script,
                TokenSinkResult::Plaintext => ReadOn::Plaintext,
                _ => ReadOn::Data,
            };
        }
        let too_deep = self.tb.sink.too_deep.take();
        // The tokenizer now reads the element's content as raw text
        // (`script`, `style`, `textarea`): it holds no elements, so it may stay.
        if let Some(name) = too_deep.filter(|_| matches!(r, TokenSinkResult::Continue)) {
            self.stats.capped_depth += 1;
            let end = Tag { kind: TagKind::EndTag, name: name.clone(), self_closing: false, attrs: Vec::new() };
            // The synthetic end tag may itself insert (a `</p>` with no `p`
            // open makes one); what it does is not capped again.
            let _ = self.tb.process_token(Token::TagToken(end), line);
            self.tb.sink.too_deep = None;
            *self.swallow.entry(name).or_insert(0) += 1;
        }
        r
    }

    fn end(&mut self) {
        self.tb.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.tb.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// The tree builder's sink: builds the [`Dom`], with element depths.
struct DepthSink {
    dom: Dom,
    /// An element was just appended deeper than [`MAX_DEPTH`].
    too_deep: Option<LocalName>,
    /// Elements created.
    created: usize,
    /// The name given for a handle that is no element (never asked for).
    none: QualName,
    /// Keep the text of elements whose text is never read.
    keep_unread: bool,
}

impl DepthSink {
    fn placed(&mut self, child: &NodeOrText<NodeId>, depth: u32) {
        if let NodeOrText::AppendNode(id) = child {
            self.dom.node_mut(*id).depth = depth;
            if depth > MAX_DEPTH {
                // Comments and processing instructions are appended too.
                let el = self.dom.element(*id);
                // An element whose content is never read stays where it is
                // (a little past the cap), so that its content stays unread.
                let unread = |n: &str| super::walk::skipped(n) && depth <= MAX_DEPTH + UNREAD_SLACK;
                if let Some(el) = el.filter(|e| !void(e.name()) && !unread(e.name())) {
                    self.too_deep = Some(el.name.local.clone());
                }
            }
        }
    }

    fn depth_of(&self, id: &NodeId) -> u32 {
        self.dom.node(*id).depth
    }

    /// A text node after `prev` takes `text` (adjacent text is one node).
    fn merged(&mut self, prev: Option<NodeId>, text: &StrTendril) -> bool {
        match prev.map(|p| &mut self.dom.node_mut(p).data) {
            Some(Data::Text(t)) => {
                t.push_tendril(text);
                true
            }
            _ => false,
        }
    }

    /// Text in `parent` is never read: the walk skips the element, and
    /// [`super::meta`] reads only a `title`'s and a JSON-LD `script`'s. Scripts
    /// and styles are most of a page's bytes, and their text comes in one
    /// piece per line.
    fn unread_text(&self, parent: NodeId) -> bool {
        !self.keep_unread
            && self.dom.element(parent).is_some_and(|e| {
                let n = e.name();
                super::walk::skipped(n)
                    && n != "title"
                    && !(n == "script"
                        && e.attrs().any(|(a, v)| a == "type" && v.trim().eq_ignore_ascii_case("application/ld+json")))
            })
    }

    fn append_child(&mut self, parent: NodeId, child: NodeOrText<NodeId>) {
        match child {
            NodeOrText::AppendNode(id) => self.dom.append(parent, id),
            NodeOrText::AppendText(_) if self.unread_text(parent) => {}
            NodeOrText::AppendText(text) => {
                if !self.merged(self.dom.last_child(parent), &text) {
                    let t = self.dom.orphan(Data::Text(text));
                    self.dom.append(parent, t);
                }
            }
        }
    }

    fn insert_before(&mut self, sibling: NodeId, new_node: NodeOrText<NodeId>) {
        if let NodeOrText::AppendNode(id) = new_node {
            self.dom.detach(id);
        }
        if self.dom.parent(sibling).is_none() {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(id) => self.dom.insert_before(sibling, id),
            NodeOrText::AppendText(text) => {
                if !self.merged(self.dom.prev_sibling(sibling), &text) {
                    let t = self.dom.orphan(Data::Text(text));
                    self.dom.insert_before(sibling, t);
                }
            }
        }
    }
}

impl TreeSink for DepthSink {
    type Handle = NodeId;
    type Output = Dom;

    fn finish(self) -> Dom {
        self.dom
    }
    fn parse_error(&mut self, _msg: Cow<'static, str>) {}
    fn get_document(&mut self) -> NodeId {
        Dom::ROOT
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> ExpandedName<'a> {
        self.dom.element(*target).map_or(&self.none, |e| &e.name).expanded()
    }
    fn create_element(&mut self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> NodeId {
        self.created += 1;
        let template = name.expanded() == expanded_name!(html "template");
        let id = self.dom.orphan(Data::Element(Element { name, attrs }));
        if template {
            let contents = self.dom.orphan(Data::Fragment);
            self.dom.append(id, contents);
        }
        id
    }
    fn create_comment(&mut self, _text: StrTendril) -> NodeId {
        self.dom.orphan(Data::Comment)
    }
    fn create_pi(&mut self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.dom.orphan(Data::Comment)
    }
    fn append(&mut self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let d = self.depth_of(parent) + 1;
        self.placed(&child, d);
        self.append_child(*parent, child)
    }
    fn append_based_on_parent_node(&mut self, element: &NodeId, prev: &NodeId, child: NodeOrText<NodeId>) {
        let d = self.depth_of(element).max(self.depth_of(prev) + 1);
        self.placed(&child, d);
        if self.dom.parent(*element).is_some() {
            self.insert_before(*element, child)
        } else {
            self.append_child(*prev, child)
        }
    }
    fn append_doctype_to_document(&mut self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {
        let d = self.dom.orphan(Data::Doctype);
        self.dom.append(Dom::ROOT, d);
    }
    fn mark_script_already_started(&mut self, _node: &NodeId) {}
    fn pop(&mut self, _node: &NodeId) {}
    fn get_template_contents(&mut self, target: &NodeId) -> NodeId {
        // The fragment made with the template, as `scraper` finds it.
        let c = self.dom.first_child(*target).unwrap_or(*target);
        let d = self.depth_of(target);
        self.dom.node_mut(c).depth = d;
        c
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }
    fn set_quirks_mode(&mut self, _mode: QuirksMode) {}
    fn append_before_sibling(&mut self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let d = self.depth_of(sibling);
        self.placed(&new_node, d);
        self.insert_before(*sibling, new_node)
    }
    fn add_attrs_if_missing(&mut self, target: &NodeId, attrs: Vec<Attribute>) {
        if let Data::Element(e) = &mut self.dom.node_mut(*target).data {
            for a in attrs {
                if !e.attrs.iter().any(|b| b.name == a.name) {
                    e.attrs.push(a);
                }
            }
        }
    }
    fn associate_with_form(&mut self, _target: &NodeId, _form: &NodeId, _nodes: (&NodeId, Option<&NodeId>)) {}
    fn remove_from_parent(&mut self, target: &NodeId) {
        self.dom.detach(*target)
    }
    fn reparent_children(&mut self, node: &NodeId, new_parent: &NodeId) {
        self.dom.reparent_append(*new_parent, *node)
    }
    fn is_mathml_annotation_xml_integration_point(&self, _handle: &NodeId) -> bool {
        false
    }
    fn set_current_line(&mut self, _line: u64) {}
    fn complete_script(&mut self, _node: &NodeId) -> NextParserState {
        NextParserState::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use super::super::dom::Edge;
    use super::super::walk;

    /// The tree as a string: every node, attributes sorted, in document order.
    fn serialized(doc: &Dom) -> String {
        let mut s = String::new();
        for e in doc.traverse(Dom::ROOT) {
            match (
                e,
                &doc.node(match e {
                    Edge::Open(n) | Edge::Close(n) => n,
                })
                .data,
            ) {
                (Edge::Open(_), Data::Element(el)) => {
                    let mut a: Vec<String> =
                        el.attrs.iter().map(|a| format!(" {:?}={:?}", a.name, &*a.value)).collect();
                    a.sort();
                    s += &format!("<{:?}{}>", el.name, a.concat());
                }
                (Edge::Close(_), Data::Element(el)) => s += &format!("</{}>", el.name()),
                (Edge::Open(_), Data::Text(t)) => s += &format!("[{}]", &**t),
                (Edge::Open(_), d) => s += &format!("{{{d:?}}}"),
                _ => {}
            }
        }
        s
    }

    /// The same of `scraper`'s tree.
    fn scraper_serialized(doc: &scraper::Html) -> String {
        use ego_tree::iter::Edge as E;
        use scraper::Node;
        let mut s = String::new();
        for e in doc.tree.root().traverse() {
            match e {
                E::Open(n) => match n.value() {
                    Node::Element(el) => {
                        let mut a: Vec<String> = el.attrs.iter().map(|(k, v)| format!(" {k:?}={:?}", &**v)).collect();
                        a.sort();
                        s += &format!("<{:?}{}>", el.name, a.concat());
                    }
                    Node::Text(t) => s += &format!("[{}]", &**t),
                    Node::Document => s += "{Document}",
                    Node::Fragment => s += "{Fragment}",
                    Node::Doctype(_) => s += "{Doctype}",
                    Node::Comment(_) | Node::ProcessingInstruction(_) => s += "{Comment}",
                },
                E::Close(n) => {
                    if let Node::Element(el) = n.value() {
                        s += &format!("</{}>", el.name());
                    }
                }
            }
        }
        s
    }

    #[test]
    fn shallow_pages_parse_as_scraper_does() {
        for s in [
            "<p>one<p>two<div>three</div><table><td>x<tr>y</table><b>bold<i>both</b>italic</i>",
            "<!doctype html><html><head><title>T</title></head><body><template><p>t</p></template><svg><g><text>s</text></g></svg></body>",
            "<ul><li>a<li>b</ul><select><option>o</select><a href=x><div>block in link</div></a>",
            // Pieces fed apart (after raw-text start tags, before CDATA) parse as one.
            "<style>\u{feff}a{}</style><script>x<!--<script></script>--></script>\u{feff}<p>bom<title>t</title>",
            "<svg><![CDATA[<p>c]]></svg><p><![CDATA[x]]><textarea>\n<b>t</textarea><plaintext></plaintext><p>",
            // Formatting left open, misnested, and alike (the Noah's Ark clause).
            "<p><b class=x>1<i>2</b>3</i><font size=2>4<p>5<b><b><b><b>6</b></b><div>7</div>8<table><td><i>9</table>",
            // Text that is read (a title, JSON-LD) and text that is not.
            "<head><title>T &amp; U</title><script type=' application/LD+JSON'>{\"headline\": \"H\"}</script>\
             <script>var a = 1;\nvar b = 2;</script><style>p{}\n</style></head><body><select><option>o</select>\
             <noscript><p>n</noscript><textarea>t</textarea><p>read",
        ] {
            assert_eq!(serialized(&run(s, true).0), scraper_serialized(&scraper::Html::parse_document(s)), "{s}");
            // Without the text no one reads, the page reads the same.
            let (kept, cut) = (walk::walk(&run(s, true).0), walk::walk(&parse_document(s)));
            assert_eq!(format!("{:?}", (kept.blocks, kept.facts)), format!("{:?}", (cut.blocks, cut.facts)), "{s}");
            assert_eq!(capped_elements(s), 0);
        }
    }

    /// The words of each text node (of the document, as of its root element).
    fn words(doc: &Dom) -> Vec<String> {
        texts(doc).iter().flat_map(|t| t.split_whitespace()).map(str::to_owned).collect()
    }

    fn texts(doc: &Dom) -> Vec<String> {
        nodes(doc)
            .filter_map(|n| match &doc.node(n).data {
                Data::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect()
    }

    fn nodes(doc: &Dom) -> impl Iterator<Item = NodeId> + '_ {
        doc.traverse(Dom::ROOT).filter_map(|e| match e {
            Edge::Open(n) => Some(n),
            Edge::Close(_) => None,
        })
    }

    #[test]
    fn text_no_one_reads_is_not_kept() {
        let s =
            "<title>t</title><script>a\nb\nc</script><style>s</style><script type=application/ld+json>{}</script><p>x";
        let text_under = |doc: &Dom, name: &str| -> usize {
            nodes(doc)
                .filter(|&n| matches!(doc.node(n).data, Data::Text(_)))
                .filter(|&n| doc.parent(n).and_then(|p| doc.element(p)).is_some_and(|e| e.name() == name))
                .count()
        };
        let (all, read) = (run(s, true).0, parse_document(s));
        assert_eq!(["title", "script", "style", "p"].map(|n| text_under(&all, n)), [1, 2, 1, 1]);
        assert_eq!(["title", "script", "style", "p"].map(|n| text_under(&read, n)), [1, 1, 0, 1]);
    }

    #[test]
    fn a_wide_tag_keeps_its_first_attributes() {
        let names: Vec<String> = (0..5000).map(|i| format!("data-a{i}")).collect();
        let html = format!("<body><p {}>story</p><p>more</p>", names.join(" "));
        let doc = parse_document(&html);
        let p = nodes(&doc).filter_map(|n| doc.element(n)).find(|e| e.name() == "p").unwrap();
        let mut kept: Vec<&str> = p.attrs().map(|(k, _)| k).collect();
        kept.sort_unstable();
        let mut want: Vec<&str> = names[..feed::MAX_ATTRS].iter().map(String::as_str).collect();
        want.sort_unstable();
        assert_eq!(kept, want);
        assert_eq!(words(&doc), ["story", "more"]);
        let st = stats(&html);
        assert_eq!((st.capped_attrs, st.widest_tag), (1, 5000));
    }

    #[test]
    fn formatting_left_open_is_capped_and_keeps_every_word_in_order() {
        let n = 3000;
        for unit in ["<b id={i}>w{i} ", "<font size={i}><p>w{i}", "<div><i class=c{i}>w{i}</div>"] {
            let html: String = (0..n).map(|i| unit.replace("{i}", &i.to_string())).collect();
            let want: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
            assert_eq!(words(&parse_document(&html)), want, "{unit}");
            let st = stats(&html);
            assert!(st.dropped_formatting > n - 100, "{unit}: {st:?}");
            assert!(st.max_formatting <= MAX_FORMATTING, "{unit}: {st:?}");
        }
    }

    #[test]
    fn the_work_grows_linearly_on_formatting_left_open() {
        // Text after a closed block re-creates every active formatting element:
        // before the cap, `<div><b id=N>x</div>` made 250 elements per unit.
        for unit in ["<div><b id={i}>x</div>", "<b id={i}><p>x", "<div><u id={i}><span></div>", "<a href={i}>x"] {
            let page = |n: usize| -> String { (0..n).map(|i| unit.replace("{i}", &i.to_string())).collect() };
            let (small, large) = (stats(&page(1000)).elements, stats(&page(4000)).elements);
            assert!(large <= 4 * small + 1000, "{unit}: {small} then {large}");
            assert!(large <= (MAX_FORMATTING + 4) * 4000, "{unit}: {large}");
        }
    }

    #[test]
    fn deep_nesting_is_capped_and_keeps_every_word_in_order() {
        let n = 3000;
        let html = format!("{}{}", (0..n).map(|i| format!("<div>w{i} ")).collect::<String>(), "</div>".repeat(n));
        assert_eq!(capped_elements(&html), n - MAX_DEPTH as usize + 2);
        let doc = parse_document(&html);
        let text: Vec<String> = texts(&doc).iter().map(|t| t.trim().to_owned()).collect();
        let want: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
        assert_eq!(text, want);
        let ancestors = |mut n: NodeId| {
            let mut k = 0;
            while let Some(p) = doc.parent(n) {
                (n, k) = (p, k + 1);
            }
            k
        };
        let deepest = nodes(&doc).map(ancestors).max().unwrap_or(0);
        assert!(deepest <= MAX_DEPTH as usize + 2, "{deepest}");
    }
}
