//! html5ever's parser with a depth cap, so that deep nesting costs linear time.
//!
//! The HTML tree builder searches its stack of open elements on every start
//! tag ("is there a `p` in button scope?"), so 100,000 nested `<div>`s cost
//! 10^10 steps. Browsers and other parsers bound the tree instead: Chromium
//! attaches elements deeper than 512 levels to the 512th ancestor, libxml2
//! (lxml, hence trafilatura) stops at 256. This module caps at 256, far
//! deeper than real pages go, and does it
//! between html5ever's tokenizer and its tree builder:
//!
//! - a [`TreeSink`] around `scraper::Html` records the depth of every
//!   element it is asked to append;
//! - when a start tag made an element deeper than [`MAX_DEPTH`], an end tag
//!   for it follows at once, so what it holds lands in its parent (text is
//!   never lost, and stays in document order), and the page's own end tag
//!   for it is dropped later.
//!
//! Elements whose content is never read (`script`, `template`, `svg`, …)
//! are left in place a little past the cap, so their content stays unread.
//!
//! Pages shallower than the cap parse exactly as `Html::parse_document`
//! would. Depths are tracked as elements are appended; the adoption agency
//! and foster parenting move subtrees without updating them, which only
//! makes the cap approximate on pages that are malformed that deep.

use ego_tree::NodeId;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts, TokenizerResult,
};
use html5ever::tree_builder::{
    ElementFlags, NextParserState, NodeOrText, QuirksMode, TreeBuilder, TreeBuilderOpts, TreeSink,
};
use html5ever::{Attribute, ExpandedName, LocalName, QualName};
use rustc_hash::FxHashMap;
use scraper::Html;
use std::borrow::Cow;

/// The deepest element kept where the page puts it (libxml2's limit).
pub const MAX_DEPTH: u32 = 256;

/// Parse a whole document, as `Html::parse_document` does, with the cap.
pub fn parse_document(html: &str) -> Html {
    run(html).0
}

/// How many elements the cap moved up while parsing `html` (for tests).
pub fn capped_elements(html: &str) -> usize {
    run(html).1
}

fn run(html: &str) -> (Html, usize) {
    let sink = DepthSink { html: Html::new_document(), depth: FxHashMap::default(), too_deep: None };
    let tb = TreeBuilder::new(sink, TreeBuilderOpts::default());
    let mut tok = Tokenizer::new(Cap { tb, swallow: FxHashMap::default(), capped: 0 }, TokenizerOpts::default());
    let mut input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    while let TokenizerResult::Script(_) = tok.feed(&mut input) {}
    tok.end();
    let capped = tok.sink.capped;
    (tok.sink.tb.sink.html, capped)
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
/// too deep and drops the page's end tags for them.
struct Cap {
    tb: TreeBuilder<NodeId, DepthSink>,
    /// End tags still to drop, by name.
    swallow: FxHashMap<LocalName, u32>,
    capped: usize,
}

impl TokenSink for Cap {
    type Handle = NodeId;

    fn process_token(&mut self, token: Token, line: u64) -> TokenSinkResult<NodeId> {
        if let Token::TagToken(Tag { kind: TagKind::EndTag, name, .. }) = &token {
            if let Some(n) = self.swallow.get_mut(name).filter(|n| **n > 0) {
                *n -= 1;
                return TokenSinkResult::Continue;
            }
        }
        let r = self.tb.process_token(token, line);
        let too_deep = self.tb.sink.too_deep.take();
        // The tokenizer now reads the element's content as raw text
        // (`script`, `style`, `textarea`): it holds no elements, so it may stay.
        if let Some(name) = too_deep.filter(|_| matches!(r, TokenSinkResult::Continue)) {
            self.capped += 1;
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

/// `scraper::Html` as the tree builder sees it, with element depths.
struct DepthSink {
    html: Html,
    depth: FxHashMap<NodeId, u32>,
    /// An element was just appended deeper than [`MAX_DEPTH`].
    too_deep: Option<LocalName>,
}

impl DepthSink {
    fn placed(&mut self, child: &NodeOrText<NodeId>, depth: u32) {
        if let NodeOrText::AppendNode(id) = child {
            self.depth.insert(*id, depth);
            if depth > MAX_DEPTH {
                // Comments and processing instructions are appended too.
                let el = self.html.tree.get(*id).and_then(|n| n.value().as_element());
                // An element whose content is never read stays where it is
                // (a little past the cap), so that its content stays unread.
                let unread = |n: &str| super::walk::skipped(n) && depth <= MAX_DEPTH + UNREAD_SLACK;
                if let Some(name) = el.map(|e| e.name()).filter(|n| !void(n) && !unread(n)) {
                    self.too_deep = Some(LocalName::from(name));
                }
            }
        }
    }

    fn depth_of(&self, id: &NodeId) -> u32 {
        self.depth.get(id).copied().unwrap_or(0)
    }
}

impl TreeSink for DepthSink {
    type Handle = NodeId;
    type Output = Html;

    fn finish(self) -> Html {
        self.html
    }
    fn parse_error(&mut self, msg: Cow<'static, str>) {
        self.html.parse_error(msg)
    }
    fn get_document(&mut self) -> NodeId {
        self.html.get_document()
    }
    fn elem_name<'a>(&'a self, target: &'a NodeId) -> ExpandedName<'a> {
        self.html.elem_name(target)
    }
    fn create_element(&mut self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> NodeId {
        self.html.create_element(name, attrs, flags)
    }
    fn create_comment(&mut self, text: StrTendril) -> NodeId {
        self.html.create_comment(text)
    }
    fn create_pi(&mut self, target: StrTendril, data: StrTendril) -> NodeId {
        self.html.create_pi(target, data)
    }
    fn append(&mut self, parent: &NodeId, child: NodeOrText<NodeId>) {
        let d = self.depth_of(parent) + 1;
        self.placed(&child, d);
        self.html.append(parent, child)
    }
    fn append_based_on_parent_node(&mut self, element: &NodeId, prev: &NodeId, child: NodeOrText<NodeId>) {
        let d = self.depth_of(element).max(self.depth_of(prev) + 1);
        self.placed(&child, d);
        self.html.append_based_on_parent_node(element, prev, child)
    }
    fn append_doctype_to_document(&mut self, name: StrTendril, public_id: StrTendril, system_id: StrTendril) {
        self.html.append_doctype_to_document(name, public_id, system_id)
    }
    fn mark_script_already_started(&mut self, node: &NodeId) {
        self.html.mark_script_already_started(node)
    }
    fn pop(&mut self, node: &NodeId) {
        self.html.pop(node)
    }
    fn get_template_contents(&mut self, target: &NodeId) -> NodeId {
        let c = self.html.get_template_contents(target);
        let d = self.depth_of(target);
        self.depth.insert(c, d);
        c
    }
    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        self.html.same_node(x, y)
    }
    fn set_quirks_mode(&mut self, mode: QuirksMode) {
        self.html.set_quirks_mode(mode)
    }
    fn append_before_sibling(&mut self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let d = self.depth_of(sibling);
        self.placed(&new_node, d);
        self.html.append_before_sibling(sibling, new_node)
    }
    fn add_attrs_if_missing(&mut self, target: &NodeId, attrs: Vec<Attribute>) {
        self.html.add_attrs_if_missing(target, attrs)
    }
    fn associate_with_form(&mut self, target: &NodeId, form: &NodeId, nodes: (&NodeId, Option<&NodeId>)) {
        self.html.associate_with_form(target, form, nodes)
    }
    fn remove_from_parent(&mut self, target: &NodeId) {
        self.html.remove_from_parent(target)
    }
    fn reparent_children(&mut self, node: &NodeId, new_parent: &NodeId) {
        self.html.reparent_children(node, new_parent)
    }
    fn is_mathml_annotation_xml_integration_point(&self, handle: &NodeId) -> bool {
        self.html.is_mathml_annotation_xml_integration_point(handle)
    }
    fn set_current_line(&mut self, line: u64) {
        self.html.set_current_line(line)
    }
    fn complete_script(&mut self, node: &NodeId) -> NextParserState {
        self.html.complete_script(node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serialized(doc: &Html) -> String {
        doc.root_element().html()
    }

    #[test]
    fn shallow_pages_parse_as_scraper_does() {
        for s in [
            "<p>one<p>two<div>three</div><table><td>x<tr>y</table><b>bold<i>both</b>italic</i>",
            "<!doctype html><html><head><title>T</title></head><body><template><p>t</p></template><svg><g><text>s</text></g></svg></body>",
            "<ul><li>a<li>b</ul><select><option>o</select><a href=x><div>block in link</div></a>",
        ] {
            assert_eq!(serialized(&parse_document(s)), serialized(&Html::parse_document(s)), "{s}");
            assert_eq!(capped_elements(s), 0);
        }
    }

    #[test]
    fn deep_nesting_is_capped_and_keeps_every_word_in_order() {
        let n = 3000;
        let html = format!("{}{}", (0..n).map(|i| format!("<div>w{i} ")).collect::<String>(), "</div>".repeat(n));
        assert_eq!(capped_elements(&html), n - MAX_DEPTH as usize + 2);
        let doc = parse_document(&html);
        let text: Vec<String> = doc.root_element().text().map(|t| t.trim().to_owned()).collect();
        let want: Vec<String> = (0..n).map(|i| format!("w{i}")).collect();
        assert_eq!(text, want);
        let deepest = doc.tree.nodes().map(|n| n.ancestors().count()).max().unwrap_or(0);
        assert!(deepest <= MAX_DEPTH as usize + 2, "{deepest}");
    }
}
