//! Stage 1–2 for HTML input: a raw page in, the same [`Block`]s that text
//! makes out, each with its [`DomInfo`], plus the page's [`Metadata`].
//!
//! 1. [`charset`]: bytes → `str` (BOM, `<meta charset>`, or sniffed).
//! 2. [`parse`](mod@parse): html5ever parses the page as a browser would, so malformed
//!    markup gets the same tree it would get there, with the depth capped
//!    (as browsers do) so that deep nesting costs linear time, into a
//!    [`dom::Dom`] that holds only what the next steps read.
//! 3. `walk`: one linear pass makes a block per paragraph-level element
//!    (`p`, headings, list items merged into a list, `blockquote`, `pre`,
//!    table cells, `div`s with their own text) and a frame per container,
//!    skipping `script`, `style`, `svg`, `iframe` and the like. A hidden
//!    subtree that holds the story while the visible page has none
//!    (streaming server rendering) is read as visible.
//! 4. `main_content`: Readability-style scoring picks the container that
//!    holds the article and sets [`DomInfo::in_main`] (and
//!    [`DomInfo::in_lead`] for what precedes it in the same `<article>`).
//! 5. [`meta`]: metadata from `<meta>`, JSON-LD, `<time>`, `<html lang>`.
//!
//! A [`Walked`] page gives two readings from one parse: with step 4
//! ([`Walked::page`]), and without it ([`Walked::whole_page`]), for the
//! caller's fallback when the chosen container yields little (see
//! [`crate::Cleaner::clean_html_bytes`]).
//!
//! Nothing here drops a block: the classifier
//! ([`crate::classify::dom`] with the shared text rules) decides, so HTML and
//! text go through one pipeline.

pub mod charset;
pub mod dom;
pub mod feed;
mod main_content;
pub mod meta;
pub mod parse;
pub mod path;
pub mod tokenize;
mod walk;

use crate::blocks::{Block, BlockShape, DomInfo};
use crate::classify::Metadata;
use std::sync::Arc;
use walk::{Frame, F_ARTICLE, F_CHROME, F_FIGURE, F_FORM, F_HIDDEN, NONE};

/// A parsed page.
#[derive(Debug, Clone)]
pub struct Page {
    pub blocks: Vec<Block>,
    pub metadata: Metadata,
    /// The charset the page was read in.
    pub encoding: &'static str,
}

/// A page decoded, parsed and walked once. Both readings are made from it,
/// so the fallback does not parse the page a second time.
pub struct Walked {
    walk: walk::Walk,
    encoding: &'static str,
}

/// Decode and walk a page given as bytes in any charset.
pub fn walk_bytes(bytes: &[u8]) -> Walked {
    let (text, enc, _) = charset::decode(bytes);
    Walked { encoding: enc.name(), ..walk_str(&text) }
}

/// Walk a page that is already text.
pub fn walk_str(html: &str) -> Walked {
    let doc = parse::parse_document(html);
    let walk = walk::walk(&doc);
    Walked { walk, encoding: "UTF-8" }
}

impl Walked {
    /// The blocks, with the main container chosen (steps 4 and 5).
    pub fn page(&self) -> Page {
        self.reading(true)
    }

    /// The blocks with no main container chosen: every block counts as
    /// main content. For the fallback when the chosen container held little.
    pub fn whole_page(&self) -> Page {
        self.reading(false)
    }

    fn reading(&self, select_main: bool) -> Page {
        let w = &self.walk;
        // The fallback makes the whole page the main container, so that chrome
        // and comment threads below the page's wrappers are still told apart.
        let in_main = if select_main { main_content::select(w) } else { Some(vec![true; w.frames.len()]) };
        let lead = match (&in_main, select_main) {
            (Some(m), true) => main_content::lead(w, m),
            _ => vec![false; w.frames.len()],
        };
        let blocks = to_blocks(w, in_main.as_deref(), &lead);
        Page { blocks, metadata: w.facts.clone().into_metadata(), encoding: self.encoding }
    }
}

/// Decode, parse and segment a page.
pub fn parse(bytes: &[u8]) -> Page {
    walk_bytes(bytes).page()
}

/// Parse and segment a page that is already text.
pub fn parse_str(html: &str) -> Page {
    walk_str(html).page()
}

fn to_blocks(w: &walk::Walk, in_main: Option<&[bool]>, lead: &[bool]) -> Vec<Block> {
    let (frames, raw, tree) = (&w.frames, &w.blocks, &w.paths);
    let mut out: Vec<Block> = Vec::with_capacity(raw.len());
    let mut i = 0;
    let mut raw = raw.iter().peekable();
    let paths = Paths::new(frames, in_main);
    while let Some(first) = raw.next() {
        if !first.text.chars().any(char::is_alphanumeric) {
            continue;
        }
        let mut b = first.clone();
        let mut shape = BlockShape::Paragraph;
        // A run of items of one list is one block, as a bullet run is in text.
        // An item with no letter or digit (a `|` between links, the `^` of a
        // reference) is no block of its own, but inside a run it stays, so
        // that the block is text the page holds in one piece; at the end of
        // the run it is left out.
        if let Some(list) = b.list {
            let mut n = 1;
            let mut between: Vec<&walk::RawBlock> = Vec::new();
            while let Some(next) = raw.peek() {
                if next.list != Some(list) {
                    break;
                }
                let next = raw.next().expect("peeked");
                if !next.text.chars().any(char::is_alphanumeric) {
                    between.push(next);
                    continue;
                }
                for item in between.drain(..).chain(std::iter::once(next)) {
                    b.text.push('\n');
                    b.text.push_str(&item.text);
                    b.chars += item.chars;
                    b.link_chars += item.link_chars;
                }
                n += 1;
            }
            if n > 1 {
                shape = BlockShape::List;
            }
        }
        let f = &frames[b.frame as usize];
        let heading_level = match f.tag.as_bytes() {
            [b'h', d @ b'1'..=b'6'] => d - b'0',
            _ => 0,
        };
        if heading_level > 0 {
            shape = BlockShape::Heading;
        }
        let (path_tokens, main_tokens, chrome_in_main) = paths.path(tree, frames, b.frame);
        let dom = DomInfo {
            tag: f.tag.to_owned(),
            heading_level,
            link_density: if b.chars == 0 { 0.0 } else { b.link_chars as f32 / b.chars as f32 },
            path_tokens,
            main_tokens,
            in_article: f.flags & F_ARTICLE != 0,
            in_main: in_main.is_none_or(|m| m[b.frame as usize]),
            in_lead: lead[b.frame as usize],
            in_figure: f.flags & F_FIGURE != 0,
            // Inside the main container only chrome below it counts: a page
            // may wrap everything in a `<header>`-less `<form>` or worse.
            in_chrome: if in_main.is_some_and(|m| m[b.frame as usize]) {
                chrome_in_main
            } else {
                f.flags & F_CHROME != 0
            },
            hidden: f.flags & F_HIDDEN != 0,
        };
        out.push(Block { index: i, line: 0, text: b.text, shape, dom: Some(dom) });
        i += 1;
    }
    out
}

/// What every frame inherits from its ancestors, computed once top-down
/// (frames come in document order, parents first), so that a block's
/// evidence costs nothing per ancestor.
struct Paths {
    /// How many tokens on the path to the frame belong to elements strictly
    /// inside the main container, and whether page chrome (`aside`, `nav`,
    /// …) sits there.
    inner: Vec<u32>,
    chrome: Vec<bool>,
}

impl Paths {
    fn new(frames: &[Frame], in_main: Option<&[bool]>) -> Paths {
        let n = frames.len();
        let (mut inner, mut chrome) = (vec![0u32; n], vec![false; n]);
        // The text of the outermost main frame on the path.
        let mut root_chars = vec![0u32; n];
        for (c, fr) in frames.iter().enumerate() {
            let p = fr.parent;
            let m = in_main.is_some_and(|m| m[c]);
            let parent_in = in_main.is_some_and(|m| p != NONE && m[p as usize]);
            let (p_inner, p_chrome, p_root) = if p == NONE {
                (0, false, 0)
            } else {
                let p = p as usize;
                (inner[p], chrome[p], root_chars[p])
            };
            root_chars[c] = if m && !parent_in { fr.chars } else { p_root };
            // Inside the main container, a wrapper that holds most of its text
            // is part of it whatever its class says (Blogger wraps posts in a
            // "widget"); only smaller elements are judged by their class.
            let inside = m && parent_in && fr.chars * 2 < root_chars[c];
            chrome[c] = p_chrome || (inside && fr.own_flags & (F_CHROME | F_FORM) != 0);
            inner[c] = p_inner + if inside { fr.own_tokens } else { 0 };
        }
        Paths { inner, chrome }
    }

    /// Class and id tokens from the root down to `f` (the last
    /// [`path::MAX_PATH_TOKENS`]), how many of the last ones belong to
    /// elements strictly inside the main container, and whether page chrome
    /// sits on the path inside it.
    fn path(&self, tree: &Arc<path::PathTree>, frames: &[Frame], f: u32) -> (path::Path, usize, bool) {
        let path = path::Path::new(Arc::clone(tree), frames[f as usize].path);
        let inner = (self.inner[f as usize] as usize).min(path.len());
        (path, inner, self.chrome[f as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &Page) -> Vec<&str> {
        p.blocks.iter().map(|b| b.text.as_str()).collect()
    }

    #[test]
    fn one_block_per_paragraph_level_element() {
        let p = parse_str(
            "<html><body><h1>Big <em>news</em></h1><p>First   para with <a href=x>a link</a>.</p>\
             <ul><li>one</li><li>two</li></ul><blockquote>Quoted words.</blockquote>\
             <div>Direct text<p>inner</p>tail</div><pre>line 1\n  line 2</pre>\
             <script>var x = 'no';</script><style>p{}</style><table><tr><td>cell a</td><td>cell b</td></tr></table></body></html>",
        );
        assert_eq!(
            texts(&p),
            [
                "Big news",
                "First para with a link.",
                "one\ntwo",
                "Quoted words.",
                "Direct text",
                "inner",
                "tail",
                "line 1\nline 2",
                "cell a",
                "cell b"
            ]
        );
        assert_eq!(p.blocks[0].shape, BlockShape::Heading);
        assert_eq!(p.blocks[0].dom.as_ref().unwrap().heading_level, 1);
        assert_eq!(p.blocks[2].shape, BlockShape::List);
        let ld = p.blocks[1].dom.as_ref().unwrap().link_density;
        assert!(ld > 0.2 && ld < 0.4, "{ld}");
        assert!(p.blocks.iter().enumerate().all(|(i, b)| b.index == i));
    }

    #[test]
    fn dom_info_records_context() {
        let p = parse_str(
            "<body><div class='Page wrap' id=top><article><p>In the story.</p><figure><figcaption>A caption</figcaption></figure></article>\
             <aside><p>Side note</p></aside><p hidden>Secret</p><div style='display: none'>Gone</div></div></body>",
        );
        let d = |i: usize| p.blocks[i].dom.clone().unwrap();
        assert!(d(0).in_article && !d(0).in_figure);
        assert_eq!(d(0).path_tokens.to_vec(), ["page", "wrap", "top"]);
        assert!(d(1).in_figure && d(1).tag == "figcaption");
        assert!(d(2).in_chrome && !d(2).in_article);
        assert!(d(3).hidden && d(4).hidden);
    }

    #[test]
    fn a_table_in_a_figure_is_no_figure_but_one_in_its_caption_is() {
        let p = parse_str(
            "<body><figure><table><tr><td>cell</td></tr></table><figcaption>Caption\
             <table><tr><td>caption cell</td></tr></table></figcaption></figure>\
             <figure><img src=a.png><p>Under the picture</p></figure></body>",
        );
        let fig: Vec<(&str, bool)> =
            p.blocks.iter().map(|b| (b.text.as_str(), b.dom.as_ref().unwrap().in_figure)).collect();
        assert_eq!(fig, [("cell", false), ("Caption", true), ("caption cell", true), ("Under the picture", true)]);
    }

    #[test]
    fn double_br_splits_single_br_wraps() {
        let p = parse_str("<body><div>Line one<br>line two<br><br>Next para</div></body>");
        assert_eq!(texts(&p), ["Line one\nline two", "Next para"]);
    }

    #[test]
    fn ruby_readings_are_skipped_and_cjk_joins_across_elements() {
        let p = parse_str(
            "<body><p><ruby>漢字<rt>かんじ</rt></ruby>の<a href=x><span>読</span></a>み方</p>\
             <p>日本\n語</p><p><span>red</span><span>green</span></p></body>",
        );
        // An element boundary between CJK characters is no word break; a
        // space in the text, or one between Latin words, stays.
        assert_eq!(texts(&p), ["漢字の読み方", "日本 語", "red green"]);
    }

    #[test]
    fn main_container_is_the_prose_one() {
        let prose = "<p>The council met on Tuesday, and after a long debate, it agreed to fund the new bridge, the library and the park.</p>";
        let html = format!(
            "<body><nav><ul><li><a href=/a>Home</a></li><li><a href=/b>World</a></li></ul></nav>\
             <div class=content>{prose}{prose}{prose}</div><div class=sidebar><p>Read more stories about bridges and parks in the city here.</p></div></body>"
        );
        let p = parse_str(&html);
        let main: Vec<bool> = p.blocks.iter().map(|b| b.dom.as_ref().unwrap().in_main).collect();
        assert_eq!(main, [false, true, true, true, false]);
    }

    /// A block's path as it was built: every class and id token of the
    /// frame and its ancestors, root first, the last 128 kept.
    fn old_path(w: &walk::Walk, f: u32) -> Vec<String> {
        let mut chain = Vec::new();
        let mut c = f;
        while c != NONE {
            chain.push(c);
            c = w.frames[c as usize].parent;
        }
        let all: Vec<String> =
            chain.iter().rev().flat_map(|&c| w.own_tokens(&w.frames[c as usize])).map(str::to_owned).collect();
        all[all.len().saturating_sub(path::MAX_PATH_TOKENS)..].to_vec()
    }

    /// Pages to compare on: the HTML fixtures, and deep ones made here.
    fn sample_pages() -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/html");
        let mut pages: Vec<String> = std::fs::read_dir(dir)
            .expect("fixtures")
            .map(|e| String::from_utf8_lossy(&std::fs::read(e.expect("entry").path()).expect("readable")).into_owned())
            .collect();
        pages.sort();
        for n in [1, 50, 300] {
            pages.push(format!(
                "<body>{}Story text.{}</body>",
                "<div class='A b-C Été'>".repeat(n),
                "</div>".repeat(n)
            ));
            pages.push(format!(
                "<body>{}{}</body>",
                (0..n)
                    .map(|i| format!("<div id=I{i} class='{}'><p>Text {i}</p>", "k ".repeat(i % 70)))
                    .collect::<String>(),
                "</div>".repeat(n)
            ));
        }
        pages
    }

    #[test]
    fn shared_paths_hold_the_tokens_each_block_copied() {
        for page in sample_pages() {
            let walked = walk_str(&page);
            let w = &walked.walk;
            for in_main in [None, main_content::select(w)] {
                let paths = Paths::new(&w.frames, in_main.as_deref());
                for f in 0..w.frames.len() as u32 {
                    let (p, inner, _) = paths.path(&w.paths, &w.frames, f);
                    let old = old_path(w, f);
                    assert_eq!(p.to_vec(), old, "frame {f}");
                    assert_eq!(p.len(), old.len());
                    assert_eq!(inner, (paths.inner[f as usize] as usize).min(old.len()));
                }
            }
        }
    }

    #[test]
    fn a_deep_page_stores_its_tokens_once() {
        // Text at every level of a deep page: every block's path is long,
        // but the page stores each element's tokens once.
        let page =
            |n: usize| format!("<body>{}{}</body>", "<div class='a b c'>Text here.".repeat(n), "</div>".repeat(n));
        for n in [1000, 4000] {
            let walked = walk_str(&page(n));
            let w = &walked.walk;
            let with_class = w.frames.iter().filter(|f| f.own_tokens > 0).count();
            assert_eq!(with_class, n);
            assert_eq!(w.paths.node_count(), n);
            assert_eq!(w.paths.token_count(), 3 * n);
            let p = walked.page();
            assert_eq!(p.blocks.len(), n);
            assert!(p.blocks.iter().all(|b| b.dom.as_ref().unwrap().path_tokens.len() <= path::MAX_PATH_TOKENS));
            assert_eq!(p.blocks[n - 1].dom.as_ref().unwrap().path_tokens.len(), path::MAX_PATH_TOKENS);
        }
    }

    #[test]
    fn malformed_and_empty_input_do_not_panic() {
        for s in ["", "<", "<p>unclosed <b>bold <div>mixed</p></b> text", "<table><td>x<tr>y", &"<div>".repeat(5000)] {
            let _ = parse_str(s);
        }
        let p = parse(b"\xff\xfe\x00");
        assert!(p.blocks.is_empty());
    }
}
