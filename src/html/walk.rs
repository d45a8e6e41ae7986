//! One pass over the DOM: paragraph-level text becomes raw blocks, every
//! block-level element becomes a [`Frame`] (the container tree that
//! main-content scoring works on), and `<head>` facts are gathered for
//! [`super::meta`]. The walk is iterative (no recursion, so deep malformed
//! trees cannot overflow the stack) and linear in the size of the DOM.

use super::dom::{Data, Dom, Edge, NodeId};
use super::meta::Facts;
use super::path::{Builder, PathTree, NO_NODE};
use std::sync::Arc;

/// No frame: the parent of the root.
pub const NONE: u32 = u32::MAX;

pub const F_ARTICLE: u8 = 1;
pub const F_FIGURE: u8 = 2;
pub const F_CHROME: u8 = 4;
pub const F_HIDDEN: u8 = 8;
/// Readability's "unlikely candidate": class or id says comment, sidebar, …
pub const F_UNLIKELY: u8 = 16;
/// A `<form>`: page chrome when nested in the article, but some sites wrap
/// the whole page in one, so it never marks content by itself.
pub const F_FORM: u8 = 32;
/// Inside a `<figcaption>`.
pub const F_CAPTION: u8 = 64;

/// A block-level element.
#[derive(Debug, Clone)]
pub struct Frame {
    pub parent: u32,
    pub tag: &'static str,
    /// The `class` attribute as written (for Readability's same-class test).
    pub class: Box<str>,
    /// The node of [`Walk::paths`] that holds this element's class and id
    /// tokens, lower-cased, or the nearest ancestor's when it has none.
    pub path: u32,
    /// How many tokens the element has itself.
    pub own_tokens: u32,
    /// Own flags and those inherited from ancestors (`F_*`).
    pub flags: u8,
    /// The flags this element sets itself.
    pub own_flags: u8,
    /// Readability's class weight of this element alone.
    pub class_weight: f32,
    /// Text characters and linked characters in the subtree (filled after the walk).
    pub chars: u32,
    pub link_chars: u32,
    /// Blocks directly owned by the frame.
    pub own_blocks: u32,
    pub children: u32,
}

impl Walk {
    /// The class and id tokens of a frame's own element.
    pub fn own_tokens(&self, f: &Frame) -> impl Iterator<Item = &str> {
        let node = if f.own_tokens == 0 { NO_NODE } else { f.path };
        self.paths.own(node)
    }
}

/// A paragraph-level run of text before it becomes a [`crate::Block`].
#[derive(Debug, Clone)]
pub struct RawBlock {
    pub frame: u32,
    pub text: String,
    /// Non-space characters, and those inside links.
    pub chars: u32,
    pub link_chars: u32,
    /// A list item, with the frame of its list, for merging runs of items.
    pub list: Option<u32>,
}

pub struct Walk {
    pub frames: Vec<Frame>,
    /// The frames' class and id tokens, shared with the blocks' paths.
    pub paths: Arc<PathTree>,
    pub blocks: Vec<RawBlock>,
    pub facts: Facts,
}

/// Class tokens kept per element: no real element has more.
const MAX_CLASS_TOKENS: usize = 64;

/// Elements whose content is never article text.
pub(crate) fn skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "iframe"
            | "object"
            | "embed"
            | "video"
            | "audio"
            | "canvas"
            | "select"
            | "textarea"
            | "button"
            | "map"
            | "math"
            | "title"
            | "option"
            | "dialog"
            // Ruby annotations: the reading of the characters they gloss.
            | "rt"
            | "rp"
    )
}

/// Elements that start a new block (and a frame). Everything else is inline.
fn block_tag(tag: &str) -> Option<&'static str> {
    Some(match tag {
        "html" => "html",
        "body" => "body",
        "article" => "article",
        "main" => "main",
        "section" => "section",
        "div" => "div",
        "p" => "p",
        "h1" => "h1",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "ul" => "ul",
        "ol" => "ol",
        "li" => "li",
        "dl" => "dl",
        "dt" => "dt",
        "dd" => "dd",
        "blockquote" => "blockquote",
        "pre" => "pre",
        "table" => "table",
        "thead" => "thead",
        "tbody" => "tbody",
        "tfoot" => "tfoot",
        "tr" => "tr",
        "td" => "td",
        "th" => "th",
        "caption" => "caption",
        "figure" => "figure",
        "figcaption" => "figcaption",
        "aside" => "aside",
        "nav" => "nav",
        "header" => "header",
        "footer" => "footer",
        "form" => "form",
        "fieldset" => "fieldset",
        "address" => "address",
        "details" => "details",
        "summary" => "summary",
        "center" => "center",
        "hr" => "hr",
        "menu" => "menu",
        "hgroup" => "hgroup",
        "legend" => "legend",
        _ => return None,
    })
}

/// Readability's class-name evidence, as substrings of the lower-cased
/// `class` and `id`.
const NEGATIVE: &[&str] = &[
    "-ad-",
    "hidden",
    "banner",
    "combx",
    "comment",
    "com-",
    "contact",
    "footer",
    "footnote",
    "gdpr",
    "masthead",
    "media",
    "meta",
    "outbrain",
    "promo",
    "related",
    "scroll",
    "share",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "sponsor",
    "shopping",
    "tags",
    "widget",
    "taboola",
    "newsletter",
    "cookie",
    "consent",
    "caption",
    "byline",
];
const POSITIVE: &[&str] =
    &["article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog", "story"];
const UNLIKELY: &[&str] = &[
    "-ad-",
    "ai2html",
    "banner",
    "breadcrumbs",
    "combx",
    "comment",
    "community",
    "cover-wrap",
    "disqus",
    "extra",
    "footer",
    "gdpr",
    "header",
    "legends",
    "menu",
    "related",
    "remark",
    "replies",
    "rss",
    "shoutbox",
    "sidebar",
    "skyscraper",
    "social",
    "sponsor",
    "supplemental",
    "ad-break",
    "agegate",
    "pagination",
    "pager",
    "popup",
    "yom-remote",
    "cookie",
    "newsletter",
    "outbrain",
    "taboola",
];
const MAYBE: &[&str] = &["and", "article", "body", "column", "content", "main", "shadow"];

/// Display values of the utility classes of Tailwind (`md:flex`) and
/// Bootstrap (`d-md-flex`) that show an element.
const SHOWING_DISPLAY: &[&str] = &[
    "block",
    "inline",
    "inline-block",
    "flex",
    "inline-flex",
    "grid",
    "inline-grid",
    "table",
    "table-row",
    "table-cell",
    "contents",
    "flow-root",
    "list-item",
];

/// A class token that hides an element at every width unless a
/// breakpoint class shows it again (Tailwind's `hidden`, Bootstrap's `d-none`).
fn base_hiding(t: &str) -> bool {
    t.eq_ignore_ascii_case("hidden") || t.eq_ignore_ascii_case("d-none")
}

/// Whether the responsive utility classes of a `class` value show the
/// element (`Some(true)`) or hide it (`Some(false)`) on a desktop screen,
/// 1280 pixels wide, as the readers a page is scored for see it; `None`
/// when they say nothing. The class at the widest breakpoint up to that
/// width wins, as in the frameworks' style sheets: Tailwind's `sm`, `md`,
/// `lg`, `xl` (640–1280 px; `2xl` is 1536) and Bootstrap's `sm`, `md`,
/// `lg`, `xl` (576–1200; `xxl` is 1400). Elementor's `elementor-hidden-desktop`
/// and Webflow's `w-condition-invisible` hide an element on desktop too
/// (their mobile twins, `elementor-hidden-mobile`, show it there).
/// Only a breakpoint class decides: `hidden` alone is left to the class
/// lists, since scripts open such boxes (tabs, accordions).
#[cfg(test)]
fn desktop_display(class: &str) -> Option<bool> {
    let mut d = Display::default();
    for t in class.split_ascii_whitespace().take(MAX_CLASS_TOKENS) {
        d.token(&lower(t));
    }
    d.shown()
}

/// A token ASCII lower-cased; most class names are already, and are not copied.
fn lower(t: &str) -> std::borrow::Cow<'_, str> {
    if t.bytes().any(|b| b.is_ascii_uppercase()) {
        t.to_ascii_lowercase().into()
    } else {
        t.into()
    }
}

/// [`desktop_display`] fed one lower-cased class token at a time, so that
/// the walk reads a `class` value once for it, the path and the class lists.
#[derive(Default)]
struct Display {
    /// (breakpoint level, shown); the base class is level 0.
    best: Option<(u8, bool)>,
    responsive: bool,
    /// A class that hides the element on desktop whatever follows.
    hidden_on_desktop: bool,
}

impl Display {
    fn token(&mut self, t: &str) {
        let level = |bp: &str| match bp {
            "sm" => Some(1u8),
            "md" => Some(2),
            "lg" => Some(3),
            "xl" => Some(4),
            _ => None,
        };
        if self.hidden_on_desktop {
            return;
        }
        if t == "elementor-hidden-desktop" || t == "w-condition-invisible" {
            self.hidden_on_desktop = true;
            return;
        }
        let found = if let Some((bp, v)) = t.split_once(':') {
            // Tailwind: `md:hidden`, `lg:block`.
            level(bp).and_then(|l| {
                if v == "hidden" {
                    Some((l, false))
                } else {
                    SHOWING_DISPLAY.contains(&v).then_some((l, true))
                }
            })
        } else if let Some(rest) = t.strip_prefix("d-") {
            // Bootstrap: `d-none`, `d-lg-none`, `d-md-block`.
            let (l, v) = rest.split_once('-').and_then(|(bp, v)| level(bp).map(|l| (l, v))).unwrap_or((0, rest));
            if v == "none" {
                Some((l, false))
            } else {
                SHOWING_DISPLAY.contains(&v).then_some((l, true))
            }
        } else if t == "hidden" {
            Some((0, false))
        } else {
            None
        };
        if let Some((l, shown)) = found {
            self.responsive |= l > 0;
            if self.best.is_none_or(|(b, _)| l >= b) {
                self.best = Some((l, shown));
            }
        }
    }

    fn shown(&self) -> Option<bool> {
        if self.hidden_on_desktop {
            return Some(false);
        }
        self.best.filter(|_| self.responsive).map(|(_, shown)| shown)
    }
}

/// Read a `class` value in one pass: each token feeds the desktop display,
/// the path (the first [`MAX_CLASS_TOKENS`], lower-cased) and `attrs_lc`
/// (every token, lower-cased, each followed by a space, for the class
/// lists). True when the classes hide the element on a desktop screen.
fn read_class(value: &str, tokens: &mut Builder<'_>, attrs_lc: &mut String) -> bool {
    let from = tokens.len();
    let mut display = Display::default();
    // A base class that hides (`hidden`, `d-none`) is left out of the
    // lists until the display says whether it counts.
    let (mut hidden, mut d_none) = (false, false);
    for (k, t) in value.split_ascii_whitespace().enumerate() {
        let t = lower(t);
        if k < MAX_CLASS_TOKENS {
            display.token(&t);
            tokens.push_str(&t);
        }
        match &*t {
            "hidden" => hidden = true,
            "d-none" => d_none = true,
            t => {
                attrs_lc.push_str(t);
                attrs_lc.push(' ');
            }
        }
    }
    let desktop = display.shown();
    if desktop == Some(true) {
        // Shown at desktop width: the base class that hides it on phones
        // is no evidence of hiding or of furniture.
        if hidden || d_none {
            tokens.retain_from(from, |t| !base_hiding(t));
        }
    } else {
        if hidden {
            attrs_lc.push_str("hidden ");
        }
        if d_none {
            attrs_lc.push_str("d-none ");
        }
    }
    desktop == Some(false)
}

/// Characters that take no room and are dropped from text: zero-width
/// spaces and joiners, the byte-order mark, the soft hyphen.
fn invisible(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}')
}

/// Han ideographs, kana and CJK punctuation: scripts written without spaces.
fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF01..=0xFF60)
}

/// Short words that join the words of a heading, not those of a class name.
const SLUG_JOINERS: &[&str] = &[
    "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "by", "from", "is", "are", "how", "what",
    "why", "when", "your", "you", "we", "it", "der", "die", "das", "und", "mit", "von", "zu", "im", "ein", "eine",
    "le", "la", "les", "et", "des", "du", "de", "el", "los", "las", "y", "en", "het", "een", "og", "och", "il", "di",
];

/// An id made from a heading's words (`sharing-with-a-single-developer`, a
/// section anchor): five words or more, one of them a joining word.
fn heading_slug(token: &str) -> bool {
    if token.contains("__") || token.contains("--") {
        return false;
    }
    let parts: Vec<&str> = token.split(['-', '_']).filter(|p| !p.is_empty()).collect();
    parts.len() >= 5 && parts.iter().any(|p| SLUG_JOINERS.contains(p))
}

/// Bits of [`class_lists`]: which word lists a class or id string holds.
const IN_NEGATIVE: u8 = 1;
const IN_POSITIVE: u8 = 2;
const IN_UNLIKELY: u8 = 4;
const IN_MAYBE: u8 = 8;

/// Which of [`NEGATIVE`], [`POSITIVE`], [`UNLIKELY`] and [`MAYBE`] have a
/// word in `hay`, as `IN_*` bits: one automaton over every word of the four
/// lists reads the string once, where a substring search per word read it
/// ninety times (on every element with a class or id).
fn class_lists(hay: &str) -> u8 {
    static AC: std::sync::OnceLock<(aho_corasick::AhoCorasick, Vec<u8>)> = std::sync::OnceLock::new();
    let (ac, bits) = AC.get_or_init(|| {
        let mut words: Vec<&str> = Vec::new();
        let mut bits: Vec<u8> = Vec::new();
        for (list, bit) in
            [(NEGATIVE, IN_NEGATIVE), (POSITIVE, IN_POSITIVE), (UNLIKELY, IN_UNLIKELY), (MAYBE, IN_MAYBE)]
        {
            for w in list {
                match words.iter().position(|x| x == w) {
                    Some(i) => bits[i] |= bit,
                    None => {
                        words.push(w);
                        bits.push(bit);
                    }
                }
            }
        }
        (aho_corasick::AhoCorasick::new(&words).expect("a few short words"), bits)
    });
    let mut found = 0;
    for m in ac.find_overlapping_iter(hay) {
        found |= bits[m.pattern().as_usize()];
    }
    found
}

struct Walker {
    frames: Vec<Frame>,
    paths: PathTree,
    /// The buffer `open` gathers class and id words in, kept between elements.
    attrs_lc: String,
    blocks: Vec<RawBlock>,
    facts: Facts,
    cur: u32,
    buf: String,
    chars: u32,
    link_chars: u32,
    pending_space: bool,
    /// The pending space comes from an element boundary, not from the text.
    soft_space: bool,
    link_depth: u32,
    pre_depth: u32,
}

impl Walker {
    fn new() -> Walker {
        Walker {
            frames: Vec::new(),
            paths: PathTree::default(),
            attrs_lc: String::new(),
            blocks: Vec::new(),
            facts: Facts::default(),
            cur: NONE,
            buf: String::new(),
            chars: 0,
            link_chars: 0,
            pending_space: false,
            soft_space: false,
            link_depth: 0,
            pre_depth: 0,
        }
    }

    fn flush(&mut self) {
        if self.chars > 0 {
            let text = if self.buf.contains('\n') {
                self.buf.split('\n').map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
            } else {
                self.buf.trim().to_owned()
            };
            let f = self.cur;
            let list = (self.frames[f as usize].tag == "li")
                .then(|| self.frames[f as usize].parent)
                .filter(|&p| p != NONE && matches!(self.frames[p as usize].tag, "ul" | "ol"));
            self.blocks.push(RawBlock { frame: f, text, chars: self.chars, link_chars: self.link_chars, list });
            let fr = &mut self.frames[f as usize];
            fr.own_blocks += 1;
            fr.chars += self.chars;
            fr.link_chars += self.link_chars;
        }
        self.buf.clear();
        self.chars = 0;
        self.link_chars = 0;
        self.pending_space = false;
    }

    fn text(&mut self, t: &str) {
        if self.pre_depth > 0 {
            for c in t.chars() {
                match c {
                    '\n' => {
                        self.buf.push('\n');
                        self.pending_space = false;
                    }
                    '\r' => {}
                    c if invisible(c) => {}
                    c if c.is_whitespace() => self.buf.push(' '),
                    c => self.push_char(c),
                }
            }
            return;
        }
        let b = t.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_graphic() {
                // A run of printable ASCII, pushed at once: no CJK to join
                // and nothing to drop in it.
                let run = b[i..].iter().position(|c| !c.is_ascii_graphic()).map_or(b.len(), |n| i + n);
                self.space_before(b[i] as char);
                self.buf.push_str(&t[i..run]);
                let n = (run - i) as u32;
                self.chars += n;
                if self.link_depth > 0 {
                    self.link_chars += n;
                }
                i = run;
                continue;
            }
            let c = t[i..].chars().next().expect("a character at a boundary");
            i += c.len_utf8();
            match c {
                c if invisible(c) => {}
                c if c.is_whitespace() => {
                    self.pending_space = true;
                    self.soft_space = false;
                }
                c => {
                    self.space_before(c);
                    self.push_char(c);
                }
            }
        }
    }

    /// The pending space, if any, before the character `c` is pushed.
    #[inline]
    fn space_before(&mut self, c: char) {
        if self.pending_space {
            // Chinese and Japanese put no spaces between words: an element
            // boundary there is no word break.
            let cjk_join = self.soft_space && is_cjk(c) && self.buf.chars().next_back().is_some_and(is_cjk);
            if !self.buf.is_empty() && !self.buf.ends_with('\n') && !cjk_join {
                self.buf.push(' ');
            }
            self.pending_space = false;
        }
    }

    #[inline]
    fn push_char(&mut self, c: char) {
        self.buf.push(c);
        self.chars += 1;
        if self.link_depth > 0 {
            self.link_chars += 1;
        }
    }

    fn br(&mut self) {
        // Two breaks in a row separate paragraphs on pages without <p>.
        if self.buf.trim_end_matches(' ').ends_with('\n') {
            self.flush();
        } else if self.chars > 0 {
            self.buf.push('\n');
            self.pending_space = false;
        }
    }

    fn open(&mut self, tag: &'static str, el: &super::dom::Element) {
        self.flush();
        let parent = self.cur;
        let mut inherited = if parent == NONE { 0 } else { self.frames[parent as usize].flags };
        // Editors wrap a data table in a `<figure>` (WordPress's
        // `wp-block-table`): the table is content, its caption is not.
        if tag == "table" && inherited & (F_FIGURE | F_CAPTION) == F_FIGURE {
            inherited &= !F_FIGURE;
        }
        let mut flags = 0;
        let mut class = Box::<str>::default();
        let parent_path = if parent == NONE { NO_NODE } else { self.frames[parent as usize].path };
        let mut tokens = self.paths.begin(parent_path);
        // The lower-cased class and id words, each followed by a space, for
        // the class lists; in no set order, since no listed word holds a space.
        let mut attrs_lc = std::mem::take(&mut self.attrs_lc);
        attrs_lc.clear();
        // Class and id are gathered apart and joined class first, whatever
        // the order the page wrote them in.
        let mut id_lc: Option<String> = None;
        for (name, value) in el.attrs() {
            match name {
                "class" => {
                    class = value.into();
                    if read_class(value, &mut tokens, &mut attrs_lc) {
                        flags |= F_HIDDEN;
                    }
                }
                "id" => {
                    let v = value.trim();
                    // A section anchor names its heading, not a box.
                    if !v.is_empty() {
                        let v = v.to_ascii_lowercase();
                        if !heading_slug(&v) {
                            id_lc = Some(v);
                        }
                    }
                }
                "hidden" => flags |= F_HIDDEN,
                "aria-hidden" if value.trim().eq_ignore_ascii_case("true") => flags |= F_HIDDEN,
                "style" => {
                    let s: String =
                        value.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
                    if s.contains("display:none") || s.contains("visibility:hidden") {
                        flags |= F_HIDDEN;
                    }
                }
                "itemprop" if value.contains("articleBody") => flags |= F_ARTICLE,
                "role" => match value.trim() {
                    "main" | "article" => flags |= F_ARTICLE,
                    "navigation" | "complementary" | "contentinfo" | "banner" | "menu" | "menubar" | "dialog"
                    | "alertdialog" => flags |= F_CHROME | F_UNLIKELY,
                    _ => {}
                },
                _ => {}
            }
        }
        if let Some(id) = id_lc {
            attrs_lc.push_str(&id);
            attrs_lc.push(' ');
            tokens.push_str(&id);
        }
        let own_tokens = tokens.len() as u32;
        let path = tokens.finish();
        match tag {
            "article" | "main" => flags |= F_ARTICLE,
            "figure" => flags |= F_FIGURE,
            "figcaption" => flags |= F_FIGURE | F_CAPTION,
            "aside" | "nav" | "footer" | "header" => flags |= F_CHROME,
            "form" => flags |= F_FORM,
            _ => {}
        }
        let mut class_weight = 0.0;
        if !attrs_lc.is_empty() {
            let lists = class_lists(&attrs_lc);
            if lists & IN_NEGATIVE != 0 {
                class_weight -= 25.0;
            }
            if lists & IN_POSITIVE != 0 {
                class_weight += 25.0;
            }
            if !matches!(tag, "body" | "html" | "article" | "main") && lists & IN_UNLIKELY != 0 && lists & IN_MAYBE == 0
            {
                flags |= F_UNLIKELY;
            }
        }
        self.attrs_lc = attrs_lc;
        if matches!(tag, "aside" | "nav" | "footer") {
            flags |= F_UNLIKELY;
        }
        if parent != NONE {
            self.frames[parent as usize].children += 1;
        }
        self.frames.push(Frame {
            parent,
            tag,
            class,
            path,
            own_tokens,
            flags: flags | inherited,
            own_flags: flags,
            class_weight,
            chars: 0,
            link_chars: 0,
            own_blocks: 0,
            children: 0,
        });
        self.cur = (self.frames.len() - 1) as u32;
        if tag == "pre" {
            self.pre_depth += 1;
        }
    }

    fn close(&mut self) {
        self.flush();
        if self.cur == NONE {
            return;
        }
        if self.frames[self.cur as usize].tag == "pre" {
            self.pre_depth = self.pre_depth.saturating_sub(1);
        }
        self.cur = self.frames[self.cur as usize].parent;
    }
}

/// Walk a parsed document.
pub fn walk(doc: &Dom) -> Walk {
    let mut w = Walker::new();
    let mut skip: Option<NodeId> = None;
    for edge in doc.traverse(Dom::ROOT) {
        match edge {
            Edge::Open(node) => {
                if skip.is_some() {
                    continue;
                }
                match &doc.node(node).data {
                    Data::Text(t) => w.text(t),
                    Data::Element(el) => {
                        let name = el.name();
                        w.facts.element(name, el, doc, node);
                        if skipped(name) {
                            if doc.has_children(node) {
                                skip = Some(node);
                            }
                            continue;
                        }
                        if name == "br" {
                            w.br();
                        } else if name == "a" {
                            w.link_depth += 1;
                        } else if let Some(tag) = block_tag(name) {
                            w.open(tag, el);
                        } else if name == "img" {
                            if !w.pending_space {
                                w.soft_space = true;
                            }
                            w.pending_space = true;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skip {
                    if id == node {
                        skip = None;
                    }
                    continue;
                }
                if let Some(el) = doc.element(node) {
                    let name = el.name();
                    if name == "a" {
                        w.link_depth = w.link_depth.saturating_sub(1);
                    } else if block_tag(name).is_some() {
                        w.close();
                    } else if matches!(name, "td" | "th" | "li" | "span" | "label") {
                        if !w.pending_space {
                            w.soft_space = true;
                        }
                        w.pending_space = true;
                    }
                }
            }
        }
    }
    w.flush();
    // Subtree totals: children come after their parent in document order.
    for i in (0..w.frames.len()).rev() {
        let p = w.frames[i].parent;
        if p != NONE {
            let (c, l) = (w.frames[i].chars, w.frames[i].link_chars);
            w.frames[p as usize].chars += c;
            w.frames[p as usize].link_chars += l;
        }
    }
    reveal_hidden_story(&mut w.frames, &w.blocks);
    Walk { frames: w.frames, paths: Arc::new(w.paths), blocks: w.blocks, facts: w.facts }
}

/// A block this long, with few links, is prose for [`reveal_hidden_story`].
const PROSE_BLOCK_CHARS: u32 = 80;
/// A hidden subtree is revealed when it holds at least this much prose…
const MIN_HIDDEN_STORY: u32 = 500;
/// …and this many times the prose of the visible page.
const HIDDEN_STORY_GAIN: u32 = 3;

/// Streaming server-rendered pages (React 18, Next.js) send the story in
/// `<div hidden id="S:0">` and reveal it with a script (`$RC("B:0","S:0")`)
/// that swaps it in for a placeholder. We run no script, so a hidden subtree
/// counts as visible when it holds a story ([`MIN_HIDDEN_STORY`] characters
/// of prose) and the visible page has under a third of that: the reader
/// would see it. Hidden boxes that the template marks as chrome or unlikely
/// (a cookie dialog, a menu) stay hidden, and so does everything hidden when
/// the visible page has its story. Elements hidden inside a revealed subtree
/// stay hidden. Cost: two passes over the frames and one over the blocks.
fn reveal_hidden_story(frames: &mut [Frame], blocks: &[RawBlock]) {
    if !frames.iter().any(|f| f.own_flags & F_HIDDEN != 0) {
        return;
    }
    // The outermost hidden frame above each frame, if any.
    let mut root = vec![NONE; frames.len()];
    for i in 0..frames.len() {
        let p = frames[i].parent;
        let p_root = if p == NONE { NONE } else { root[p as usize] };
        root[i] = if p_root != NONE {
            p_root
        } else if frames[i].own_flags & F_HIDDEN != 0 {
            i as u32
        } else {
            NONE
        };
    }
    let mut visible = 0u32;
    let mut hidden = rustc_hash::FxHashMap::<u32, u32>::default();
    for b in blocks {
        if b.frame == NONE || b.chars < PROSE_BLOCK_CHARS || b.link_chars * 2 > b.chars {
            continue;
        }
        let f = &frames[b.frame as usize];
        if f.flags & (F_CHROME | F_UNLIKELY) != 0 && f.flags & F_ARTICLE == 0 {
            continue;
        }
        match root[b.frame as usize] {
            NONE => visible += b.chars,
            r => *hidden.entry(r).or_insert(0) += b.chars,
        }
    }
    let reveal: rustc_hash::FxHashSet<u32> = hidden
        .into_iter()
        .filter(|&(r, chars)| {
            chars >= MIN_HIDDEN_STORY
                && chars > HIDDEN_STORY_GAIN * visible
                && frames[r as usize].flags & (F_CHROME | F_UNLIKELY) == 0
        })
        .map(|(r, _)| r)
        .collect();
    if reveal.is_empty() {
        return;
    }
    // Top-down: a frame is shown when it is a revealed root, or its parent
    // is shown and it does not hide itself.
    let mut shown = vec![false; frames.len()];
    for i in 0..frames.len() {
        let p = frames[i].parent;
        shown[i] =
            reveal.contains(&(i as u32)) || (p != NONE && shown[p as usize] && frames[i].own_flags & F_HIDDEN == 0);
        if shown[i] {
            frames[i].flags &= !F_HIDDEN;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The class branch of `open` as it was: the value read three times
    /// (display on its own, tokens, lists). Hidden, tokens, the string for
    /// the lists. The display's own reading is checked by the test above.
    fn old_read_class(value: &str) -> (bool, Vec<String>, String) {
        let desktop = desktop_display(value);
        let shown = desktop == Some(true);
        let mut tokens = Vec::new();
        for t in value.split_ascii_whitespace().take(MAX_CLASS_TOKENS) {
            if shown && base_hiding(t) {
                continue;
            }
            tokens.push(t.to_ascii_lowercase());
        }
        let mut attrs_lc = String::new();
        if shown {
            for t in value.split_ascii_whitespace().filter(|t| !base_hiding(t)) {
                attrs_lc.push_str(&t.to_ascii_lowercase());
                attrs_lc.push(' ');
            }
        } else {
            attrs_lc.push_str(&value.to_ascii_lowercase());
            attrs_lc.push(' ');
        }
        (desktop == Some(false), tokens, attrs_lc)
    }

    /// Class values of every kind: breakpoint classes in every order,
    /// upper case, non-ASCII, blank, odd white space, past the token cap.
    fn class_values() -> Vec<String> {
        let pool = [
            "hidden",
            "HIDDEN",
            "d-none",
            "D-None",
            "md:block",
            "lg:hidden",
            "d-lg-block",
            "d-md-none",
            "xl:flex",
            "2xl:block",
            "sm:grid",
            "elementor-hidden-desktop",
            "W-Condition-Invisible",
            "comment-list",
            "Sidebar",
            "article-body",
            "x-ad-slot",
            "ÉTÉ-Box",
            "nbsp\u{a0}inside",
            "shadow-column",
            "plain",
        ];
        let seps = [" ", "\t", "\n  ", "\r\x0c"];
        let mut out: Vec<String> = vec![String::new(), " ".into(), " \t\n".into()];
        for (i, a) in pool.iter().enumerate() {
            for (j, b) in pool.iter().enumerate() {
                let sep = seps[(i + j) % seps.len()];
                out.push(format!("{a}{sep}{b}"));
                out.push(format!(" {b}{sep}{a}{sep}{}  ", pool[(i * 7 + j) % pool.len()]));
            }
        }
        // Past the token cap, with the deciding class before or after it.
        for k in [60usize, 63, 64, 65, 70, 1000] {
            let filler: Vec<String> = (0..k).map(|i| format!("C{i}")).collect();
            let f = filler.join(" ");
            for d in [
                "hidden md:block",
                "md:block hidden",
                "lg:hidden",
                "elementor-hidden-desktop",
                "d-none d-lg-flex comment",
            ] {
                out.push(format!("{f} {d}"));
                out.push(format!("{d} {f}"));
            }
        }
        out
    }

    /// `Walker::text` outside `<pre>` as it was: one character at a time.
    fn old_text(w: &mut Walker, t: &str) {
        for c in t.chars().filter(|&c| !invisible(c)) {
            if c.is_whitespace() {
                w.pending_space = true;
                w.soft_space = false;
            } else {
                if w.pending_space {
                    let cjk_join = w.soft_space && is_cjk(c) && w.buf.chars().next_back().is_some_and(is_cjk);
                    if !w.buf.is_empty() && !w.buf.ends_with('\n') && !cjk_join {
                        w.buf.push(' ');
                    }
                    w.pending_space = false;
                }
                w.push_char(c);
            }
        }
    }

    #[test]
    fn text_runs_of_ascii_read_as_one_character_at_a_time() {
        let pieces = [
            "",
            " ",
            "plain words, and more.",
            "  lead\tand\ninner  ",
            "x\u{b}y\u{c}z\u{1c}\u{7f}",
            "zero\u{200b}width\u{ad}shy\u{feff}",
            "nbsp\u{a0}and\u{3000}ideographic",
            "漢字の読み方",
            "日本 語",
            "Ünïcödé — “quotes” …",
            "a",
            "\n",
        ];
        for a in pieces {
            for b in pieces {
                for (soft, link, buf) in [(false, 0, ""), (true, 0, "漢"), (true, 1, "x\n"), (false, 2, "word")] {
                    let mut new = Walker::new();
                    let mut old = Walker::new();
                    for w in [&mut new, &mut old] {
                        w.buf.push_str(buf);
                        w.link_depth = link;
                        w.pending_space = soft;
                        w.soft_space = soft;
                    }
                    new.text(a);
                    old_text(&mut old, a);
                    // An element boundary between the two pieces.
                    for w in [&mut new, &mut old] {
                        if !w.pending_space {
                            w.soft_space = true;
                        }
                        w.pending_space = true;
                    }
                    new.text(b);
                    old_text(&mut old, b);
                    let state = |w: &Walker| (w.buf.clone(), w.chars, w.link_chars, w.pending_space, w.soft_space);
                    assert_eq!(state(&new), state(&old), "{a:?} {b:?} {soft} {link} {buf:?}");
                }
            }
        }
        let long = "word ".repeat(10_000);
        let (mut new, mut old) = (Walker::new(), Walker::new());
        new.text(&long);
        old_text(&mut old, &long);
        assert_eq!((new.buf, new.chars), (old.buf, old.chars));
    }

    #[test]
    fn one_pass_over_a_class_reads_what_three_did() {
        for value in class_values() {
            let (hidden, tokens, attrs_lc) = old_read_class(&value);
            let mut tree = PathTree::default();
            let mut b = tree.begin(NO_NODE);
            b.push_str("before");
            let mut attrs = String::new();
            assert_eq!(read_class(&value, &mut b, &mut attrs), hidden, "{value:?}");
            let node = b.finish();
            let got: Vec<&str> = tree.own(node).skip(1).collect();
            assert_eq!(got, tokens, "{value:?}");
            assert_eq!(class_lists(&attrs), class_lists(&attrs_lc), "{value:?}");
        }
    }

    #[test]
    fn class_lists_find_what_a_search_per_word_finds() {
        let naive = |hay: &str| {
            let lists = [(NEGATIVE, IN_NEGATIVE), (POSITIVE, IN_POSITIVE), (UNLIKELY, IN_UNLIKELY), (MAYBE, IN_MAYBE)];
            lists.iter().filter(|(list, _)| list.iter().any(|w| hay.contains(w))).fold(0, |m, (_, bit)| m | bit)
        };
        for hay in [
            "",
            "x-ad-slot ",
            "comments-main ",
            "sidebar ",
            "article-body story ",
            "post-content hentry h-entry ",
            "site-header masthead ",
            "mainmenu breadcrumbs ",
            "plain box ",
            "shadow-column ",
        ] {
            assert_eq!(class_lists(hay), naive(hay), "{hay:?}");
        }
        assert_eq!(class_lists("x-ad-slot "), IN_NEGATIVE | IN_UNLIKELY);
        assert_eq!(class_lists("plain box "), 0);
    }

    #[test]
    fn section_anchors_are_told_from_class_names() {
        for t in ["sharing-with-a-single-developer", "how_to_share_the_cost", "die-zukunft-der-arbeit-mit-ki"] {
            assert!(heading_slug(t), "{t}");
        }
        for t in ["share-bar", "related-posts-widget-area-wrapper", "c-share__item--is-active", "with-sidebar-layout"] {
            assert!(!heading_slug(t), "{t}");
        }
    }

    #[test]
    fn desktop_display_reads_the_widest_breakpoint_up_to_a_desktop_screen() {
        for (class, want) in [
            ("hidden md:block", Some(true)),
            ("box hidden lg:flex", Some(true)),
            ("d-none d-lg-block", Some(true)),
            ("d-none d-md-inline-block", Some(true)),
            ("lg:hidden", Some(false)),
            ("block md:hidden", Some(false)),
            ("hidden md:block xl:hidden", Some(false)),
            ("d-lg-none", Some(false)),
            ("d-block d-xl-none", Some(false)),
            ("Elementor-Hidden-Desktop", Some(false)),
            ("w-condition-invisible", Some(false)),
            // Nothing said at a breakpoint, or only past a desktop width.
            ("hidden", None),
            ("d-none", None),
            ("hidden 2xl:block", None),
            ("d-none d-xxl-block", None),
            ("elementor-hidden-mobile elementor-hidden-tablet", None),
            ("hidden group-hover:block", None),
            ("md:ml-1 lg:grid-cols-2", None),
            ("d-print-none", None),
        ] {
            assert_eq!(desktop_display(class), want, "{class:?}");
        }
        assert!(base_hiding("hidden") && base_hiding("d-none") && !base_hiding("md:hidden"));
    }
}
