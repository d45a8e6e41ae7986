//! What html5ever's tokenizer is fed: the page, with a tag's attributes past
//! the 256th cut, so that wide tags cost linear time.
//!
//! The tokenizer checks every new attribute against the ones the tag already
//! has (duplicates are dropped), so one tag with 100,000 attributes costs
//! 5·10^9 comparisons. Browsers do the same; Gumbo (Nokogiri's HTML5 parser)
//! refuses a tag past 400 attributes. Here an element keeps the first
//! [`MAX_ATTRS`] attributes it would have had (duplicates still count once):
//! the bytes from the end of the last attribute kept to the end of the tag's
//! last attribute are replaced by one space, so the tag keeps its end
//! (`>` or `/>`) and each later attribute costs at most 256 comparisons.
//!
//! To know where tags are, [`drive`] runs a shadow of the tokenizer's own
//! state machine (data, tags and attributes, comments, doctypes, raw text,
//! script escapes) over the bytes, and feeds the real tokenizer in step with
//! it. The two states the tokenizer takes from the tree builder are asked of
//! the tree builder itself, after feeding up to that point: how a `script`,
//! `style`, `title`, `textarea`, … start tag makes it read on, and whether
//! `<![CDATA[` opens a CDATA section (in SVG and MathML only). A page with no
//! tag past the cap is fed unchanged, in a few pieces, so it parses as it
//! always did; the scan is one pass over the bytes, with `memchr` between the
//! bytes that matter.

use memchr::{memchr, memchr2, memchr3, memmem};
use rustc_hash::FxHashSet;

/// The most attributes an element keeps.
pub const MAX_ATTRS: usize = 256;

/// How the tokenizer reads on after a start tag, as the tree builder said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOn {
    /// Markup, as usual.
    Data,
    /// Text up to the element's end tag, character references decoded (`title`, `textarea`).
    Rcdata,
    /// Text up to the element's end tag (`style`, `xmp`, `iframe`, `noembed`, `noframes`, `noscript`).
    Rawtext,
    /// Script text, with its comment-like escapes.
    Script,
    /// Text to the end of the input (`plaintext`).
    Plaintext,
}

/// The real tokenizer, as [`drive`] feeds it.
pub trait Tokenizer {
    /// Tokenize this piece of the (possibly cut) page.
    fn feed(&mut self, piece: &str);
    /// How the tokenizer reads on after the start tag just fed.
    fn read_on(&mut self) -> ReadOn;
    /// Whether `<![CDATA[` opens a CDATA section here (in foreign content).
    fn cdata_allowed(&mut self) -> bool;
}

/// What [`drive`] saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fed {
    /// Tags whose attributes were cut.
    pub cut: usize,
    /// The most attributes a tag had (duplicates included).
    pub widest: usize,
}

/// Feed `html` to `tok`, cutting each tag's attributes past [`MAX_ATTRS`].
pub fn drive(html: &str, tok: &mut impl Tokenizer) -> Fed {
    let mut s = Shadow {
        html,
        b: html.as_bytes(),
        tok,
        flushed: 0,
        fed: Fed::default(),
        attrs: Vec::new(),
        names: FxHashSet::default(),
    };
    s.run();
    s.flush(html.len());
    s.fed
}

/// Start tags after which the tree builder may switch the tokenizer to raw text.
fn may_read_raw(name: &[u8]) -> bool {
    const RAW: [&[u8]; 10] = [
        b"script",
        b"style",
        b"title",
        b"textarea",
        b"noscript",
        b"iframe",
        b"xmp",
        b"noembed",
        b"noframes",
        b"plaintext",
    ];
    RAW.iter().any(|r| r.eq_ignore_ascii_case(name))
}

/// HTML's white space (the tokenizer's, not Unicode's).
pub(super) fn ws(c: u8) -> bool {
    matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

/// Is there `<script` (or `</script`) at `p`, followed by what ends a tag name?
fn script_tag(b: &[u8], p: usize) -> bool {
    let n = p + 1 + 6;
    b.get(p + 1..n).is_some_and(|s| s.eq_ignore_ascii_case(b"script"))
        && b.get(n).is_some_and(|&c| ws(c) || c == b'/' || c == b'>')
}

/// Where the script text from `i` ends: the `<` of the `</script` that
/// closes it, `None` if the input ends first. `<!--` escapes the text,
/// `<script` inside the escape escapes it twice (a `</script>` there does
/// not end it), `-->` ends the escape. Shared by the scan here and by
/// [`super::tokenize`].
pub(super) fn script_end(b: &[u8], mut i: usize) -> Option<usize> {
    let (mut escaped, mut double) = (false, false);
    loop {
        // `>` matters only in an escape (`-->`).
        let next = if escaped { memchr2(b'<', b'>', &b[i..]) } else { memchr(b'<', &b[i..]) };
        let q = i + next?;
        if b[q] == b'>' {
            if escaped && b[..q].ends_with(b"--") {
                (escaped, double) = (false, false);
            }
            i = q + 1;
            continue;
        }
        if b.get(q + 1) == Some(&b'/') && script_tag(b, q + 1) {
            if !double {
                return Some(q);
            }
            double = false;
            i = q + 8;
        } else if !escaped && b[q + 1..].starts_with(b"!--") {
            escaped = true;
            // The dashes of `<!--` count towards `-->`.
            i = q + 4;
        } else if escaped && !double && script_tag(b, q) {
            double = true;
            i = q + 7;
        } else {
            i = q + 1;
        }
    }
}

/// An attribute as scanned: its name, and where it ends (after its value).
#[derive(Debug, Clone, Copy)]
struct Attr {
    name: (usize, usize),
    end: usize,
}

/// A tag as scanned.
struct Tag {
    name: (usize, usize),
    /// Just past its `>`, or the input's end.
    end: usize,
    closed: bool,
}

struct Shadow<'a, T> {
    html: &'a str,
    b: &'a [u8],
    tok: &'a mut T,
    /// Bytes before this one have been fed.
    flushed: usize,
    fed: Fed,
    attrs: Vec<Attr>,
    names: FxHashSet<Vec<u8>>,
}

impl<T: Tokenizer> Shadow<'_, T> {
    fn flush(&mut self, to: usize) {
        if to > self.flushed {
            self.tok.feed(&self.html[self.flushed..to]);
            self.flushed = to;
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// Index just past the next `>` from `i`, or the input's end.
    fn past_gt(&self, i: usize) -> usize {
        self.b.get(i..).and_then(|r| memchr(b'>', r)).map_or(self.b.len(), |p| i + p + 1)
    }

    /// The data state, from `i` to the end of the input.
    fn run(&mut self) {
        let b = self.b;
        let mut i = 0;
        while let Some(p) = b.get(i..).and_then(|r| memchr(b'<', r)).map(|p| i + p) {
            let c = self.at(p + 1);
            i = match c {
                c if c.is_ascii_alphabetic() => {
                    let tag = self.tag(p + 1);
                    if tag.closed && may_read_raw(&b[tag.name.0..tag.name.1]) {
                        self.flush(tag.end);
                        match self.tok.read_on() {
                            ReadOn::Data => tag.end,
                            ReadOn::Plaintext => return,
                            ReadOn::Script => self.script(tag.end),
                            ReadOn::Rcdata | ReadOn::Rawtext => self.raw_text(tag.end, tag.name),
                        }
                    } else {
                        tag.end
                    }
                }
                b'/' => match self.at(p + 2) {
                    c if c.is_ascii_alphabetic() => self.tag(p + 2).end,
                    b'>' => p + 3,
                    _ if p + 2 >= b.len() => b.len(),
                    _ => self.past_gt(p + 2),
                },
                b'!' => self.declaration(p),
                b'?' => self.past_gt(p + 2),
                _ => p + 1,
            };
        }
    }

    /// `<!` at `p`: a comment, a doctype, a CDATA section or a bogus comment.
    fn declaration(&mut self, p: usize) -> usize {
        let rest = &self.b[p + 2..];
        if rest.starts_with(b"--") {
            return self.comment(p + 4);
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            // Every doctype state ends at `>`.
            return self.past_gt(p + 9);
        }
        if rest.starts_with(b"[CDATA[") {
            self.flush(p);
            if self.tok.cdata_allowed() {
                return memmem::find(&self.b[p + 9..], b"]]>").map_or(self.b.len(), |q| p + 9 + q + 3);
            }
        }
        self.past_gt(p + 2)
    }

    /// A comment whose text starts at `j`: it ends at the first `>` after
    /// `--` or `--!`, or at once (`<!-->`, `<!--->`).
    fn comment(&self, j: usize) -> usize {
        let b = self.b;
        if self.at(j) == b'>' {
            return j + 1;
        }
        if b[j..].starts_with(b"->") {
            return j + 2;
        }
        let mut i = j;
        while let Some(q) = memchr(b'>', &b[i..]).map(|q| i + q) {
            let before = &b[j..q];
            if before.ends_with(b"--") || before.ends_with(b"--!") {
                return q + 1;
            }
            i = q + 1;
        }
        b.len()
    }

    /// Raw text or RCDATA from `i`, up to the end tag of the element `name`.
    fn raw_text(&mut self, mut i: usize, name: (usize, usize)) -> usize {
        let b = self.b;
        let name = &b[name.0..name.1];
        while let Some(p) = memmem::find(&b[i..], b"</").map(|p| i + p) {
            if self.end_tag_of(p, name) {
                return self.tag(p + 2).end;
            }
            i = p + 2;
        }
        b.len()
    }

    /// Is there `</name` at `p`, followed by what ends a tag name?
    fn end_tag_of(&self, p: usize, name: &[u8]) -> bool {
        let b = self.b;
        let n = p + 2 + name.len();
        b.get(p + 2..n).is_some_and(|s| s.eq_ignore_ascii_case(name)) && {
            let c = self.at(n);
            ws(c) || c == b'/' || c == b'>'
        }
    }

    /// Script text from `i`, then its end tag.
    fn script(&mut self, i: usize) -> usize {
        match script_end(self.b, i) {
            Some(q) => self.tag(q + 2).end,
            None => self.b.len(),
        }
    }

    /// A tag whose name starts at `n`: scanned to its end; its attributes
    /// past the cap are cut.
    fn tag(&mut self, n: usize) -> Tag {
        let b = self.b;
        let name_end = (n..b.len()).find(|&i| ws(b[i]) || b[i] == b'/' || b[i] == b'>').unwrap_or(b.len());
        self.attrs.clear();
        let (end, closed) = scan_attrs(b, name_end, &mut self.attrs);
        self.fed.widest = self.fed.widest.max(self.attrs.len());
        if self.attrs.len() > MAX_ATTRS {
            self.cap();
        }
        Tag { name: (n, name_end), end, closed }
    }

    /// Cut the scanned attributes from the first one past the cap on.
    fn cap(&mut self) {
        self.names.clear();
        let mut kept_end = None;
        for (k, a) in self.attrs.iter().enumerate() {
            let name = normalise(&self.b[a.name.0..a.name.1]);
            if !self.names.contains(&name) {
                if self.names.len() == MAX_ATTRS {
                    kept_end = Some(self.attrs[k - 1].end);
                    break;
                }
                self.names.insert(name);
            }
        }
        let (Some(from), Some(last)) = (kept_end, self.attrs.last()) else { return };
        let to = last.end;
        self.flush(from);
        self.tok.feed(" ");
        self.flushed = to;
        self.fed.cut += 1;
    }
}

/// An attribute name as the tokenizer stores it.
fn normalise(name: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(name.len());
    for &c in name {
        match c {
            0 => v.extend_from_slice("\u{fffd}".as_bytes()),
            c => v.push(c.to_ascii_lowercase()),
        }
    }
    v
}

/// The attribute states of the tokenizer, from just past a tag's name.
/// Returns where the tag ends and whether it was closed by `>` (a tag cut
/// short by the input's end is dropped by the tokenizer).
fn scan_attrs(b: &[u8], from: usize, attrs: &mut Vec<Attr>) -> (usize, bool) {
    #[derive(Clone, Copy)]
    enum S {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Unquoted,
        AfterQuoted,
        SelfClosing,
    }
    let mut s = S::BeforeName;
    let (mut ns, mut ne) = (0, 0);
    let mut i = from;
    while i < b.len() {
        let c = b[i];
        match s {
            S::BeforeName => match c {
                c if ws(c) => {}
                b'/' => s = S::SelfClosing,
                b'>' => return (i + 1, true),
                // Anything else (`=` too) starts a name.
                _ => {
                    ns = i;
                    s = S::Name;
                }
            },
            S::Name => match c {
                c if ws(c) => {
                    ne = i;
                    s = S::AfterName;
                }
                b'/' => {
                    attrs.push(Attr { name: (ns, i), end: i });
                    s = S::SelfClosing;
                }
                b'>' => {
                    attrs.push(Attr { name: (ns, i), end: i });
                    return (i + 1, true);
                }
                b'=' => {
                    ne = i;
                    s = S::BeforeValue;
                }
                _ => {}
            },
            S::AfterName => match c {
                c if ws(c) => {}
                b'/' => {
                    attrs.push(Attr { name: (ns, ne), end: ne });
                    s = S::SelfClosing;
                }
                b'=' => s = S::BeforeValue,
                b'>' => {
                    attrs.push(Attr { name: (ns, ne), end: ne });
                    return (i + 1, true);
                }
                _ => {
                    attrs.push(Attr { name: (ns, ne), end: ne });
                    ns = i;
                    s = S::Name;
                }
            },
            S::BeforeValue => match c {
                c if ws(c) => {}
                b'"' | b'\'' => {
                    let Some(q) = memchr(c, &b[i + 1..]) else { break };
                    i += 1 + q;
                    attrs.push(Attr { name: (ns, ne), end: i + 1 });
                    s = S::AfterQuoted;
                }
                b'>' => {
                    attrs.push(Attr { name: (ns, ne), end: i });
                    return (i + 1, true);
                }
                _ => s = S::Unquoted,
            },
            S::Unquoted => {
                // Runs to white space or `>`.
                let q = memchr3(b'>', b' ', b'\n', &b[i..]).map_or(b.len(), |q| i + q);
                let q = (i..q).find(|&k| matches!(b[k], b'\t' | b'\x0c' | b'\r')).unwrap_or(q);
                attrs.push(Attr { name: (ns, ne), end: q });
                if q == b.len() {
                    return (q, false);
                }
                if b[q] == b'>' {
                    return (q + 1, true);
                }
                i = q;
                s = S::BeforeName;
            }
            S::AfterQuoted => match c {
                c if ws(c) => s = S::BeforeName,
                b'/' => s = S::SelfClosing,
                b'>' => return (i + 1, true),
                _ => {
                    s = S::BeforeName;
                    continue;
                }
            },
            S::SelfClosing => match c {
                b'>' => return (i + 1, true),
                _ => {
                    s = S::BeforeName;
                    continue;
                }
            },
        }
        i += 1;
    }
    // The input ended inside the tag: the attribute being read counts.
    match s {
        S::Name => attrs.push(Attr { name: (ns, b.len()), end: b.len() }),
        S::AfterName | S::BeforeValue => attrs.push(Attr { name: (ns, ne), end: b.len() }),
        _ => {}
    }
    (b.len(), false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Collects what is fed; reads on after a start tag as the tree builder
    /// does in a body.
    #[derive(Default)]
    struct Collect {
        fed: String,
        pieces: usize,
    }

    impl Tokenizer for Collect {
        fn feed(&mut self, piece: &str) {
            self.fed.push_str(piece);
            self.pieces += 1;
        }
        fn read_on(&mut self) -> ReadOn {
            let last = self.fed.rfind('<').map_or("", |i| &self.fed[i + 1..]);
            let name: String = last.chars().take_while(char::is_ascii_alphabetic).collect();
            match name.to_ascii_lowercase().as_str() {
                "script" => ReadOn::Script,
                "title" | "textarea" => ReadOn::Rcdata,
                "plaintext" => ReadOn::Plaintext,
                "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => ReadOn::Rawtext,
                _ => ReadOn::Data,
            }
        }
        fn cdata_allowed(&mut self) -> bool {
            self.fed.contains("<svg")
        }
    }

    fn fed(html: &str) -> (String, Fed) {
        let mut c = Collect::default();
        let f = drive(html, &mut c);
        (c.fed, f)
    }

    fn attrs(n: usize) -> String {
        (0..n).map(|i| format!(" a{i}=\"v{i}\"")).collect()
    }

    #[test]
    fn pages_within_the_cap_are_fed_unchanged() {
        let page = format!(
            "<!DOCTYPE html><title>a<b</title><script>if (a<b) x = '<p {}>';</script><!-- <p{}> --><p{}>text",
            attrs(300),
            attrs(300),
            attrs(MAX_ATTRS)
        );
        let (out, f) = fed(&page);
        assert_eq!(out, page);
        assert_eq!(f, Fed { cut: 0, widest: MAX_ATTRS });
    }

    #[test]
    fn a_wide_tag_keeps_its_first_attributes_and_its_end() {
        let page = format!("<p{} />after", attrs(1000));
        let (out, f) = fed(&page);
        assert_eq!(out, format!("<p{}  />after", attrs(MAX_ATTRS)));
        assert_eq!(f, Fed { cut: 1, widest: 1000 });
    }

    #[test]
    fn duplicates_count_once_as_the_tokenizer_drops_them() {
        // 600 attributes, 300 names: the cut comes after the 256th name.
        let dup: String = (0..300).map(|i| format!(" A{i} a{i}=x")).collect();
        let (out, f) = fed(&format!("<div{dup}>x"));
        let kept: String = (0..MAX_ATTRS).map(|i| format!(" A{i} a{i}=x")).collect();
        assert_eq!(out, format!("<div{kept} >x"));
        assert_eq!(f.cut, 1);
        // Within the cap once duplicates are counted once: nothing cut.
        let dup: String = (0..200).map(|i| format!(" a{i} a{i}")).collect();
        assert_eq!(fed(&format!("<div{dup}>")).1.cut, 0);
    }

    #[test]
    fn every_attribute_shape_is_one_attribute() {
        // Unquoted, quoted with `>` inside, no value, `=` before a name, glued
        // after a quote, split by `/`: 300 shapes of attributes.
        let shapes = [" u=1", " q='>'", " =eq", " bare", " g=\"1\"h", "/s", " sp = 'v' "];
        let many: String = (0..300)
            .map(|i| shapes[i % shapes.len()].replace(['u', 'q', 'b', 'e', 'g', 's'], &format!("n{i}")))
            .collect();
        let (_, f) = fed(&format!("<div{many}>x"));
        // `g="1"h` is two attributes (`g` and `h`).
        let two = (0..300).filter(|i| i % shapes.len() == 4).count();
        assert_eq!(f.widest, 300 + two);
        assert_eq!(f.cut, 1);
    }

    #[test]
    fn end_tags_and_unclosed_tags_are_cut_too() {
        let (out, f) = fed(&format!("<p>x</p{}>y<div{}", attrs(300), attrs(300)));
        assert_eq!(out, format!("<p>x</p{} >y<div{} ", attrs(MAX_ATTRS), attrs(MAX_ATTRS)));
        assert_eq!(f.cut, 2);
    }

    #[test]
    fn raw_text_comments_and_script_escapes_hold_no_tags() {
        for page in [
            format!("<textarea><p{}></textarea>", attrs(300)),
            format!("<style></stylex><p{}></style>", attrs(300)),
            format!("<script><!--<script></script><p{}>--></script>", attrs(300)),
            format!("<!-- --!-><p{}> -->", attrs(300)),
            format!("<plaintext></plaintext><p{}>", attrs(300)),
            format!("<svg><![CDATA[<p{}>]]></svg>", attrs(300)),
            format!("<?pi <p{}>", attrs(300)),
        ] {
            let (out, f) = fed(&page);
            assert_eq!((out.as_str(), f.cut), (page.as_str(), 0));
        }
        // …until they end.
        for page in [
            format!("<script><!--</script><p{}>", attrs(300)),
            format!("<script><!--<script>--></script><p{}>", attrs(300)),
            format!("<!--><p{}>", attrs(300)),
            format!("<!-- --!><p{}>", attrs(300)),
            format!("<p><![CDATA[x]]><p{}>", attrs(300)),
        ] {
            assert_eq!(fed(&page).1.cut, 1, "{page}");
        }
    }
}
