//! A tokenizer of our own in front of html5ever's tree builder: the page's
//! bytes read with `memchr` into html5ever [`Token`]s, fed to the same sink
//! ([`super::parse`]'s caps, then the tree builder) that html5ever's
//! tokenizer feeds, so a page gets the very tree it got before.
//!
//! html5ever's tokenizer reads tags, attribute names and values one
//! character at a time through its `BufferQueue`, appends them to tendrils
//! one character at a time and breaks text at every newline: on news pages
//! that was more than half of all the work of cleaning HTML. Here text
//! between tags is one token, shared with the page's buffer (no copy) unless
//! it holds a character reference, and a tag's name and attributes are
//! sliced out of the bytes.
//!
//! What it reads as the WHATWG tokenizer does (html5ever's version of it,
//! step for step where the two could differ): text with character references
//! (named ones from html5ever's own table, longest match, with the rules for
//! a reference without `;` in an attribute; numeric ones with html5ever's
//! replacements), start and end tags with every shape of attribute
//! (duplicates dropped, names lowercased), comments ending in `-->`, bogus
//! comments (`<?…>`, `<!…>`, `</…>`), `<!DOCTYPE name>` and its `PUBLIC` and
//! `SYSTEM` forms, text after `<` that opens no tag, RCDATA, raw text and
//! script text (with its escapes) as the tree builder asks after each start
//! tag, CDATA sections where the tree builder says they open (foreign
//! content), and line ends (`\r\n` and `\r` read as `\n`, as the tokenizer's
//! input preprocessing does). Its quirk of dropping a byte-order mark right
//! after `</script>` (where [`super::parse`] feeds it anew) is kept too.
//!
//! What it does not read: a NUL byte, `<plaintext>`, a comment ending in
//! `--!>`, a doctype of any other shape (missing name or white space, `>`
//! inside an identifier: they set quirks mode), a tag with more than
//! [`MAX_ATTRS`] attributes (the attribute cap of [`super::feed`] applies
//! there), and any construct the input ends inside (a tag, a comment, a
//! script, …). There [`tokenize`] gives up ([`Bail`]) and the caller parses
//! the whole page again with html5ever's tokenizer, from a fresh tree
//! builder: a page is read by one tokenizer or the other, never by both.
//! NUL bytes are checked before anything is fed; the rest is met on the way.

use super::feed::{script_end, ws, Fed, MAX_ATTRS};
use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{Doctype, Tag, TagKind, Token, TokenSink, TokenSinkResult};
use html5ever::{namespace_url, ns, Attribute, LocalName, QualName};
use memchr::{memchr, memchr3, memmem};
use std::borrow::Cow;

/// Why [`tokenize`] gave a page up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bail {
    /// A NUL byte (the tokenizer replaces or drops it by state).
    Nul,
    /// A comment ending in `--!>`.
    Comment,
    /// A doctype of a shape not read here.
    Doctype,
    /// The input ends inside a tag, comment, raw text or script.
    Eof,
    /// A tag with more than [`MAX_ATTRS`] attributes.
    WideTag,
    /// The sink asked for a state not read here (`plaintext`).
    Sink,
    /// A page of 4 GB or more (tendrils count in `u32`).
    Large,
}

const BOM: &[u8] = "\u{feff}".as_bytes();

/// Tokenize the whole of `html` (its byte-order mark already dropped) into
/// `sink`, ending with `EOFToken` (the caller then calls `sink.end()`).
/// On `Err`, what was fed is to be thrown away.
pub fn tokenize<S: TokenSink>(html: &str, sink: &mut S) -> Result<Fed, Bail> {
    if memchr(0, html.as_bytes()).is_some() {
        return Err(Bail::Nul);
    }
    if html.len() >= u32::MAX as usize {
        return Err(Bail::Large);
    }
    let page: Cow<str> = if memchr(b'\r', html.as_bytes()).is_some() {
        Cow::Owned(html.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(html)
    };
    let mut t = Tok { s: &page, b: page.as_bytes(), page: StrTendril::from_slice(&page), sink, fed: Fed::default() };
    t.data()?;
    Ok(t.fed)
}

/// A character reference at `i` (just past its `&`), read no further than
/// `limit`: its characters and where it ends, or `None` when it is text.
fn char_ref(b: &[u8], s: &str, i: usize, limit: usize, in_attr: bool) -> Option<(char, Option<char>, usize)> {
    let at = |k: usize| if k < limit { b[k] } else { 0 };
    if at(i) == b'#' {
        let (base, mut j) = if matches!(at(i + 1), b'x' | b'X') { (16, i + 2) } else { (10, i + 1) };
        let (mut num, mut too_big, start) = (0u32, false, j);
        while let Some(d) = (at(j) as char).to_digit(base) {
            num = num.wrapping_mul(base);
            too_big |= num > 0x10FFFF;
            num = num.wrapping_add(d);
            j += 1;
        }
        if j == start {
            return None;
        }
        if at(j) == b';' {
            j += 1;
        }
        let c = match num {
            n if n > 0x10FFFF || too_big => '\u{fffd}',
            0 | 0xD800..=0xDFFF => '\u{fffd}',
            0x80..=0x9F => {
                C1_REPLACEMENTS[(num - 0x80) as usize].unwrap_or_else(|| char::from_u32(num).unwrap_or('\u{fffd}'))
            }
            n => char::from_u32(n).unwrap_or('\u{fffd}'),
        };
        return Some((c, None, j));
    }
    if !at(i).is_ascii_alphanumeric() {
        return None;
    }
    // The longest name in the table (which holds every prefix of a name).
    let (mut j, mut best) = (i, None);
    while j < limit && b[j].is_ascii() {
        j += 1;
        match NAMED_ENTITIES.get(&s[i..j]) {
            Some(&m) if m.0 != 0 => best = Some((m, j)),
            Some(_) => {}
            None => break,
        }
    }
    let ((c1, c2), end) = best?;
    if b[end - 1] != b';' && in_attr && b.get(end).is_some_and(|&c| c == b'=' || c.is_ascii_alphanumeric()) {
        return None;
    }
    let c1 = char::from_u32(c1)?;
    let c2 = if c2 == 0 { None } else { Some(char::from_u32(c2)?) };
    Some((c1, c2, end))
}

struct Tok<'a, S> {
    s: &'a str,
    b: &'a [u8],
    /// The page, shared by the tokens sliced from it.
    page: StrTendril,
    sink: &'a mut S,
    fed: Fed,
}

impl<S: TokenSink> Tok<'_, S> {
    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn sub(&self, from: usize, to: usize) -> StrTendril {
        self.page.subtendril(from as u32, (to - from) as u32)
    }

    /// The text from `from` to `to`, its character references decoded if `refs`.
    fn text(&self, from: usize, to: usize, refs: bool, in_attr: bool) -> StrTendril {
        let (b, s) = (self.b, self.s);
        let first = if refs { memchr(b'&', &b[from..to]) } else { None };
        let Some(first) = first else { return self.sub(from, to) };
        let mut t = StrTendril::new();
        let (mut done, mut k) = (from, from + first);
        loop {
            if let Some((c1, c2, end)) = char_ref(b, s, k + 1, to, in_attr) {
                t.push_slice(&s[done..k]);
                t.push_char(c1);
                if let Some(c2) = c2 {
                    t.push_char(c2);
                }
                done = end;
                k = end;
            } else {
                k += 1;
            }
            match memchr(b'&', &b[k..to]) {
                Some(q) => k += q,
                None => break,
            }
        }
        if done == from {
            return self.sub(from, to);
        }
        t.push_slice(&s[done..to]);
        t
    }

    fn emit(&mut self, token: Token) -> TokenSinkResult<S::Handle> {
        self.sink.process_token(token, 1)
    }

    /// Emit a token after which the tokenizer reads on as before.
    fn emit_plain(&mut self, token: Token) -> Result<(), Bail> {
        match self.emit(token) {
            TokenSinkResult::Continue => Ok(()),
            _ => Err(Bail::Sink),
        }
    }

    fn flush(&mut self, from: usize, to: usize, refs: bool) -> Result<(), Bail> {
        if to > from {
            let t = self.text(from, to, refs, false);
            self.emit_plain(Token::CharacterTokens(t))?;
        }
        Ok(())
    }

    /// The data state, to the end of the input.
    fn data(&mut self) -> Result<(), Bail> {
        let b = self.b;
        let (mut i, mut run) = (0, 0);
        while let Some(p) = memchr(b'<', &b[i..]).map(|p| i + p) {
            let c = self.at(p + 1);
            if c.is_ascii_alphabetic() {
                self.flush(run, p, true)?;
                let (tag, end) = self.tag(p + 1, TagKind::StartTag)?;
                let name = tag.name.clone();
                i = match self.emit(Token::TagToken(tag)) {
                    TokenSinkResult::Continue => end,
                    TokenSinkResult::RawData(RawKind::Rcdata) => self.raw(end, &name, true)?,
                    TokenSinkResult::RawData(RawKind::Rawtext) => self.raw(end, &name, false)?,
                    TokenSinkResult::RawData(RawKind::ScriptData) => self.script(end)?,
                    _ => return Err(Bail::Sink),
                };
                run = i;
                continue;
            }
            if p + 1 >= b.len() {
                return Err(Bail::Eof);
            }
            match c {
                b'/' => {
                    let d = self.at(p + 2);
                    self.flush(run, p, true)?;
                    i = if d.is_ascii_alphabetic() {
                        let (tag, end) = self.tag(p + 2, TagKind::EndTag)?;
                        self.end_tag(tag, end)?
                    } else if d == b'>' {
                        p + 3
                    } else if p + 2 >= b.len() {
                        return Err(Bail::Eof);
                    } else {
                        self.bogus_comment(p + 2)?
                    };
                    run = i;
                }
                b'!' => {
                    self.flush(run, p, true)?;
                    i = self.declaration(p)?;
                    run = i;
                }
                b'?' => {
                    self.flush(run, p, true)?;
                    i = self.bogus_comment(p + 1)?;
                    run = i;
                }
                // `<` opening nothing is text.
                _ => i = p + 1,
            }
        }
        self.flush(run, b.len(), true)?;
        self.emit_plain(Token::EOFToken)
    }

    /// Emit an end tag that ends at `end`; where to read on.
    fn end_tag(&mut self, tag: Tag, end: usize) -> Result<usize, Bail> {
        match self.emit(Token::TagToken(tag)) {
            TokenSinkResult::Continue => Ok(end),
            // html5ever's tokenizer returns to its caller after `</script>`,
            // which feeds it anew: a byte-order mark there is dropped.
            TokenSinkResult::Script(_) if self.b[end..].starts_with(BOM) => Ok(end + BOM.len()),
            TokenSinkResult::Script(_) => Ok(end),
            _ => Err(Bail::Sink),
        }
    }

    /// A comment of what runs from `from` to the next `>`.
    fn bogus_comment(&mut self, from: usize) -> Result<usize, Bail> {
        let q = memchr(b'>', &self.b[from..]).ok_or(Bail::Eof)? + from;
        self.emit_plain(Token::CommentToken(self.sub(from, q)))?;
        Ok(q + 1)
    }

    /// `<!` at `p`: a comment, a doctype, a CDATA section or a bogus comment.
    fn declaration(&mut self, p: usize) -> Result<usize, Bail> {
        let b = self.b;
        let rest = &b[p + 2..];
        if rest.starts_with(b"--") {
            return self.comment(p + 4);
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            return self.doctype(p + 9);
        }
        if rest.starts_with(b"[CDATA[") && self.sink.adjusted_current_node_present_but_not_in_html_namespace() {
            let from = p + 9;
            let q = memmem::find(&b[from..], b"]]>").ok_or(Bail::Eof)? + from;
            self.flush(from, q, false)?;
            return Ok(q + 3);
        }
        self.bogus_comment(p + 2)
    }

    /// A comment whose text starts at `j`: it ends at the first `-->`, or
    /// at once (`<!-->`, `<!--->`).
    fn comment(&mut self, j: usize) -> Result<usize, Bail> {
        let b = self.b;
        let (text, end) = if self.at(j) == b'>' {
            ((j, j), j + 1)
        } else if b[j..].starts_with(b"->") {
            ((j, j), j + 2)
        } else {
            let mut i = j;
            loop {
                let q = memchr(b'>', &b[i..]).ok_or(Bail::Eof)? + i;
                let before = &b[j..q];
                if before.ends_with(b"--!") {
                    return Err(Bail::Comment);
                }
                if before.ends_with(b"--") {
                    break ((j, q - 2), q + 1);
                }
                i = q + 1;
            }
        };
        self.emit_plain(Token::CommentToken(self.sub(text.0, text.1)))?;
        Ok(end)
    }

    /// A doctype whose name follows from `j`, in one of the shapes read here.
    fn doctype(&mut self, j: usize) -> Result<usize, Bail> {
        let b = self.b;
        let skip = |mut i: usize| {
            while i < b.len() && ws(b[i]) {
                i += 1;
            }
            i
        };
        if !ws(self.at(j)) {
            return Err(Bail::Doctype);
        }
        let k = skip(j);
        let mut e = k;
        while e < b.len() && !ws(b[e]) && b[e] != b'>' {
            e += 1;
        }
        if e == k || e == b.len() {
            return Err(Bail::Doctype);
        }
        let name = StrTendril::from_slice(&self.s[k..e].to_ascii_lowercase());
        // An identifier in quotes from `i`, with no `>` in it.
        let id = |i: usize| -> Result<(StrTendril, usize), Bail> {
            let quote = b.get(i).copied().filter(|&c| c == b'"' || c == b'\'').ok_or(Bail::Doctype)?;
            let q = memchr(quote, &b[i + 1..]).ok_or(Bail::Doctype)? + i + 1;
            if memchr(b'>', &b[i + 1..q]).is_some() {
                return Err(Bail::Doctype);
            }
            Ok((self.sub(i + 1, q), q + 1))
        };
        let mut i = skip(e);
        let (mut public_id, mut system_id) = (None, None);
        if self.at(i) != b'>' {
            let kw = b.get(i..i + 6).ok_or(Bail::Doctype)?;
            let public = kw.eq_ignore_ascii_case(b"public");
            if !public && !kw.eq_ignore_ascii_case(b"system") {
                return Err(Bail::Doctype);
            }
            if !ws(self.at(i + 6)) {
                return Err(Bail::Doctype);
            }
            let (first, after) = id(skip(i + 6))?;
            i = after;
            if public {
                public_id = Some(first);
                if self.at(i) != b'>' {
                    if !ws(self.at(i)) {
                        return Err(Bail::Doctype);
                    }
                    i = skip(i);
                    if self.at(i) != b'>' {
                        let (second, after) = id(i)?;
                        system_id = Some(second);
                        i = skip(after);
                    }
                }
            } else {
                system_id = Some(first);
                i = skip(i);
            }
            if self.at(i) != b'>' {
                return Err(Bail::Doctype);
            }
        }
        let doctype = Doctype { name: Some(name), public_id, system_id, force_quirks: false };
        self.emit_plain(Token::DoctypeToken(doctype))?;
        Ok(i + 1)
    }

    /// RCDATA (`refs`) or raw text from `i`, then the end tag of `name`.
    fn raw(&mut self, i: usize, name: &LocalName, refs: bool) -> Result<usize, Bail> {
        let b = self.b;
        let name = name.as_bytes();
        let mut k = i;
        while let Some(p) = memmem::find(&b[k..], b"</").map(|p| k + p) {
            let n = p + 2 + name.len();
            if b.get(p + 2..n).is_some_and(|s| s.eq_ignore_ascii_case(name)) && {
                let c = self.at(n);
                ws(c) || c == b'/' || c == b'>'
            } {
                self.flush(i, p, refs)?;
                let (tag, end) = self.tag(p + 2, TagKind::EndTag)?;
                return self.end_tag(tag, end);
            }
            k = p + 2;
        }
        Err(Bail::Eof)
    }

    /// Script text from `from`, then its end tag (see [`script_end`]).
    fn script(&mut self, from: usize) -> Result<usize, Bail> {
        let q = script_end(self.b, from).ok_or(Bail::Eof)?;
        self.flush(from, q, false)?;
        let (tag, end) = self.tag(q + 2, TagKind::EndTag)?;
        self.end_tag(tag, end)
    }

    /// A tag whose name starts at `n`, to just past its `>`.
    fn tag(&mut self, n: usize, kind: TagKind) -> Result<(Tag, usize), Bail> {
        let (b, s) = (self.b, self.s);
        let len = b.len();
        let stop = |c: u8| ws(c) || c == b'/' || c == b'>';
        let mut i = n;
        while i < len && !stop(b[i]) {
            i += 1;
        }
        let name = lowered(&s[n..i]);
        let mut attrs: Vec<Attribute> = Vec::new();
        let (mut started, mut self_closing) = (0, false);
        loop {
            while i < len && ws(b[i]) {
                i += 1;
            }
            let c = *b.get(i).ok_or(Bail::Eof)?;
            if c == b'>' {
                i += 1;
                break;
            }
            if c == b'/' {
                i += 1;
                if *b.get(i).ok_or(Bail::Eof)? == b'>' {
                    self_closing = true;
                    i += 1;
                    break;
                }
                continue;
            }
            // An attribute's name: its first character may be `=`.
            started += 1;
            if started > MAX_ATTRS {
                return Err(Bail::WideTag);
            }
            let ns = i;
            i += 1;
            while i < len && !stop(b[i]) && b[i] != b'=' {
                i += 1;
            }
            let ne = i;
            while i < len && ws(b[i]) {
                i += 1;
            }
            let mut value = (0, 0, false);
            if *b.get(i).ok_or(Bail::Eof)? == b'=' {
                i += 1;
                while i < len && ws(b[i]) {
                    i += 1;
                }
                match *b.get(i).ok_or(Bail::Eof)? {
                    q @ (b'"' | b'\'') => {
                        let e = memchr(q, &b[i + 1..]).ok_or(Bail::Eof)? + i + 1;
                        value = (i + 1, e, true);
                        i = e + 1;
                    }
                    b'>' => {}
                    _ => {
                        let e = memchr3(b'>', b' ', b'\n', &b[i..]).map_or(len, |e| i + e);
                        let e = (i..e).find(|&k| matches!(b[k], b'\t' | b'\x0c')).unwrap_or(e);
                        if e == len {
                            return Err(Bail::Eof);
                        }
                        value = (i, e, true);
                        i = e;
                    }
                }
            }
            let aname = lowered(&s[ns..ne]);
            if !attrs.iter().any(|a| *a.name.local == *aname) {
                let value = if value.2 { self.text(value.0, value.1, true, true) } else { StrTendril::new() };
                attrs.push(Attribute { name: QualName::new(None, ns!(), LocalName::from(&*aname)), value });
            }
        }
        self.fed.widest = self.fed.widest.max(started);
        Ok((Tag { kind, name: LocalName::from(&*name), self_closing, attrs }, i))
    }
}

/// A name as the tokenizer keeps it: ASCII letters lowercased.
fn lowered(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}
