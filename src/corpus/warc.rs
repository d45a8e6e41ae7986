//! Web archives as input: WARC (1.0, 1.1), Common Crawl's WET files (WARC
//! `conversion` records holding plain text) and the older ARC format, plain
//! or gzipped (one gzip member per record, as Common Crawl ships them, or
//! one for the whole file).
//!
//! [`Reader`] streams the records of one archive; [`Record::document`] says
//! what a record holds for cleaning: an HTML page (a `response` with HTML,
//! the HTTP headers stripped, chunked and gzip bodies decoded, and the HTTP
//! charset applied), plain text (a WET `conversion`), or nothing, with the
//! reason it is skipped (`request`, `metadata`, a PDF response, ...).
//!
//! The format is detected by content, after gunzip: `WARC/1.0`, `WARC/1.1`,
//! or an ARC `filedesc://` line. A malformed record is an error naming its
//! byte offset (in the decompressed stream) and the reader goes on at the
//! next `WARC/` line: a Content-Length that is too long is caught when the
//! body holds the next record's header, one that is too short when the
//! record does not end with its blank lines. A file that breaks off (a
//! truncated download, a bad gzip member) ends the stream with an error;
//! the records before it were already read.
//!
//! Hand-written rather than the `warc` crate (0.4, the maintained one): that
//! crate has no ARC reader and no way to resynchronise after a record with a
//! wrong length, and it inflates with `libflate`. Reading a synthetic
//! 41 MB WET file (44,026 records, gzip per record) took 0.65 s of CPU here
//! against 2.5 s with the crate, which also read one record fewer and
//! reported an error (`cargo run --release --example warcread`; README,
//! "Common Crawl"). The format is small: header lines, a length, the body,
//! two line breaks; `flate2`'s `MultiGzDecoder` reads the gzip members.

use flate2::read::{GzDecoder, MultiGzDecoder, ZlibDecoder};
use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

/// The most bytes of header lines a record may have.
pub const MAX_HEADER: usize = 64 << 10;

/// What kind of archive a stream holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Warc,
    Arc,
}

/// Errors of archive reading. Offsets are bytes into the decompressed stream.
#[derive(Debug, thiserror::Error)]
pub enum WarcError {
    #[error("not a WARC or ARC file (after gunzip it should start with `WARC/1.0`, `WARC/1.1` or `filedesc://`)")]
    NotArchive,
    /// A record that cannot be read; the reader goes on after it.
    #[error("malformed record at byte {offset}: {message}")]
    Malformed { offset: u64, message: String },
    /// A record larger than the limit, skipped.
    #[error(
        "record at byte {offset} is {size} bytes, over the limit of {limit} bytes (raise it with --max-size); skipped"
    )]
    TooLarge { offset: u64, size: u64, limit: usize },
    /// The stream breaks off: the reader stops.
    #[error("the file breaks off in the record at byte {offset} (truncated?): {cause}")]
    Truncated { offset: u64, cause: String },
}

impl WarcError {
    /// Whether the reader stops after this error.
    pub fn is_fatal(&self) -> bool {
        matches!(self, WarcError::Truncated { .. } | WarcError::NotArchive)
    }
}

/// The format the first bytes of a (decompressed) stream announce.
pub fn detect(head: &[u8]) -> Option<Format> {
    if head.starts_with(b"WARC/1.0") || head.starts_with(b"WARC/1.1") {
        Some(Format::Warc)
    } else if head.starts_with(b"filedesc://") {
        Some(Format::Arc)
    } else {
        None
    }
}

/// Whether bytes open a gzip member.
pub fn is_gzip(head: &[u8]) -> bool {
    head.starts_with(&[0x1f, 0x8b])
}

/// The format of a file by its content (gunzipping its start when it is
/// gzip); `Ok(None)` for any other file.
pub fn detect_file(path: &std::path::Path) -> io::Result<Option<Format>> {
    let mut f = std::fs::File::open(path)?;
    let mut head = [0u8; 16];
    let n = read_up_to(&mut f, &mut head)?;
    if !is_gzip(&head[..n]) {
        return Ok(detect(&head[..n]));
    }
    let f = std::fs::File::open(path)?;
    let mut gz = MultiGzDecoder::new(f);
    // A gzip file that is not an archive, or is broken at once, is not ours.
    Ok(read_up_to(&mut gz, &mut head).ok().and_then(|n| detect(&head[..n])))
}

fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// The WARC record types (ARC records are `Response`, its `filedesc` record
/// `Warcinfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Warcinfo,
    Response,
    Resource,
    Request,
    Metadata,
    Revisit,
    Conversion,
    Continuation,
    Other(String),
}

impl Kind {
    fn parse(s: &str) -> Kind {
        match s.to_ascii_lowercase().as_str() {
            "warcinfo" => Kind::Warcinfo,
            "response" => Kind::Response,
            "resource" => Kind::Resource,
            "request" => Kind::Request,
            "metadata" => Kind::Metadata,
            "revisit" => Kind::Revisit,
            "conversion" => Kind::Conversion,
            "continuation" => Kind::Continuation,
            other => Kind::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            Kind::Warcinfo => "warcinfo",
            Kind::Response => "response",
            Kind::Resource => "resource",
            Kind::Request => "request",
            Kind::Metadata => "metadata",
            Kind::Revisit => "revisit",
            Kind::Conversion => "conversion",
            Kind::Continuation => "continuation",
            Kind::Other(s) => s,
        }
    }

    /// Whether records of this kind can hold a document.
    pub fn may_hold_document(&self) -> bool {
        matches!(self, Kind::Response | Kind::Resource | Kind::Conversion)
    }
}

/// One archive record.
#[derive(Debug, Clone)]
pub struct Record {
    /// Byte offset of the record in the decompressed stream.
    pub offset: u64,
    pub kind: Kind,
    /// The WARC named fields in order (for ARC, made from its header line).
    pub headers: Vec<(String, String)>,
    /// The record block: for a response, the HTTP response with its headers.
    pub body: Vec<u8>,
}

/// What a record holds for cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Document<'a> {
    /// An HTML page, decoded as its HTTP headers say (a page in a legacy
    /// charset named by HTTP comes as UTF-8 behind a byte-order mark, which
    /// the HTML reader honours before any `<meta charset>`).
    Html { page: Cow<'a, [u8]>, content_type: Option<String> },
    /// Plain text (a WET conversion record).
    Text { text: &'a [u8], content_type: Option<String> },
}

/// Why a record holds nothing to clean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// A record of a type without a document (request, metadata, ...).
    Type(String),
    /// A response or resource that is not HTML (or not text, for WET).
    NotHtml,
    /// An HTTP status other than 2xx (redirects, errors).
    Status,
    /// A body in a content or transfer encoding that cannot be decoded.
    Encoding,
    /// A response whose HTTP head cannot be read.
    BadHttp,
}

impl Skip {
    /// A short label for the summary counts.
    pub fn label(&self) -> String {
        match self {
            Skip::Type(t) => t.clone(),
            Skip::NotHtml => "not HTML".into(),
            Skip::Status => "HTTP status not 2xx".into(),
            Skip::Encoding => "undecodable content-encoding".into(),
            Skip::BadHttp => "unreadable HTTP head".into(),
        }
    }
}

impl Record {
    /// A named field (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// `WARC-Target-URI` (WARC 1.0 allowed it in angle brackets).
    pub fn url(&self) -> Option<&str> {
        self.header("WARC-Target-URI").map(|u| u.trim_start_matches('<').trim_end_matches('>'))
    }

    pub fn record_id(&self) -> Option<&str> {
        self.header("WARC-Record-ID")
    }

    pub fn date(&self) -> Option<&str> {
        self.header("WARC-Date")
    }

    /// Whether the block is an HTTP message (a response record).
    fn is_http(&self) -> bool {
        self.header("Content-Type").is_some_and(|t| t.to_ascii_lowercase().starts_with("application/http"))
            || (self.kind == Kind::Response && self.body.starts_with(b"HTTP/"))
    }

    /// The document's media type: the HTTP `Content-Type` of a response,
    /// else the record's own.
    pub fn content_type(&self) -> Option<String> {
        if self.is_http() {
            HttpHead::parse(&self.body).and_then(|h| h.content_type)
        } else {
            self.header("Content-Type").map(str::to_owned)
        }
    }

    /// The document in the record, or why there is none. `max_size` bounds
    /// a decompressed body.
    pub fn document(&self, max_size: usize) -> Result<Document<'_>, Skip> {
        let warc_type = self.header("Content-Type").map(str::to_ascii_lowercase);
        match self.kind {
            Kind::Conversion => {
                if warc_type.as_deref().is_some_and(|t| !t.starts_with("text/")) {
                    return Err(Skip::NotHtml);
                }
                Ok(Document::Text { text: &self.body, content_type: self.header("Content-Type").map(str::to_owned) })
            }
            Kind::Response | Kind::Resource => {
                let (ctype, payload) = if self.is_http() {
                    let head = HttpHead::parse(&self.body).ok_or(Skip::BadHttp)?;
                    if !(200..300).contains(&head.status) {
                        return Err(Skip::Status);
                    }
                    let payload = decode_body(&self.body[head.len..], &head, max_size)?;
                    (head.content_type, payload)
                } else {
                    (self.header("Content-Type").map(str::to_owned), Cow::Borrowed(&self.body[..]))
                };
                let html = match ctype.as_deref().map(str::to_ascii_lowercase) {
                    Some(t) => t.contains("html"),
                    None => crate::input::sniff(&payload) == crate::InputKind::Html,
                };
                if !html {
                    return Err(Skip::NotHtml);
                }
                let page = apply_charset(payload, ctype.as_deref().and_then(charset_param));
                Ok(Document::Html { page, content_type: ctype })
            }
            ref k => Err(Skip::Type(k.as_str().to_owned())),
        }
    }
}

/// The parts of an HTTP response head that cleaning needs.
#[derive(Debug)]
struct HttpHead {
    status: u16,
    content_type: Option<String>,
    transfer_encoding: Option<String>,
    content_encoding: Option<String>,
    /// Length of the head with its blank line.
    len: usize,
}

impl HttpHead {
    fn parse(b: &[u8]) -> Option<HttpHead> {
        let end = memchr::memmem::find(&b[..b.len().min(MAX_HEADER)], b"\n\r\n")
            .map(|p| p + 3)
            .or_else(|| memchr::memmem::find(&b[..b.len().min(MAX_HEADER)], b"\n\n").map(|p| p + 2))
            .unwrap_or(b.len());
        let head = String::from_utf8_lossy(&b[..end]);
        let mut lines = head.lines();
        let status_line = lines.next()?;
        let status = status_line.strip_prefix("HTTP/")?.split_whitespace().nth(1)?.parse().ok()?;
        let mut h = HttpHead { status, content_type: None, transfer_encoding: None, content_encoding: None, len: end };
        for line in lines {
            let Some((k, v)) = line.split_once(':') else { continue };
            let v = Some(v.trim().to_owned());
            match k.trim().to_ascii_lowercase().as_str() {
                "content-type" => h.content_type = v,
                "transfer-encoding" => h.transfer_encoding = v,
                "content-encoding" => h.content_encoding = v,
                _ => {}
            }
        }
        Some(h)
    }
}

/// The payload with transfer and content encodings undone. Common Crawl
/// stores payloads decoded (and renames the headers), so this is for other
/// crawlers' archives.
fn decode_body<'a>(body: &'a [u8], head: &HttpHead, max_size: usize) -> Result<Cow<'a, [u8]>, Skip> {
    let mut payload = Cow::Borrowed(body);
    if head.transfer_encoding.as_deref().is_some_and(|t| t.to_ascii_lowercase().contains("chunked")) {
        // A body that does not parse as chunks was stored de-chunked already.
        if let Some(d) = dechunk(body) {
            payload = Cow::Owned(d);
        }
    }
    let enc = head.content_encoding.as_deref().map(|e| e.trim().to_ascii_lowercase());
    match enc.as_deref() {
        None | Some("" | "identity") => Ok(payload),
        Some("gzip" | "x-gzip") => inflate(GzDecoder::new(&payload[..]), max_size).map(Cow::Owned),
        Some("deflate") => inflate(ZlibDecoder::new(&payload[..]), max_size)
            .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&payload[..]), max_size))
            .map(Cow::Owned),
        Some(_) => Err(Skip::Encoding),
    }
}

fn inflate(r: impl Read, max_size: usize) -> Result<Vec<u8>, Skip> {
    let mut out = Vec::new();
    r.take(max_size as u64 + 1).read_to_end(&mut out).map_err(|_| Skip::Encoding)?;
    if out.len() > max_size {
        return Err(Skip::Encoding);
    }
    Ok(out)
}

/// Undo `Transfer-Encoding: chunked`; `None` when the body is not chunked.
fn dechunk(mut b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    loop {
        let nl = memchr::memchr(b'\n', b)?;
        let line = std::str::from_utf8(&b[..nl]).ok()?.trim();
        let size = usize::from_str_radix(line.split(';').next()?.trim(), 16).ok()?;
        b = &b[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(b.get(..size)?);
        b = &b[size..];
        b = b.strip_prefix(b"\r\n").or_else(|| b.strip_prefix(b"\n"))?;
    }
}

/// The `charset=` parameter of a Content-Type.
fn charset_param(ctype: &str) -> Option<&'static encoding_rs::Encoding> {
    let lower = ctype.to_ascii_lowercase();
    let at = lower.find("charset=")? + 8;
    let v = ctype[at..].split(';').next()?.trim().trim_matches(['"', '\'']);
    encoding_rs::Encoding::for_label(v.as_bytes())
}

/// Decode a page in the charset its HTTP header names, as browsers do (the
/// HTTP charset beats `<meta>`, a byte-order mark beats both). The result
/// goes to the HTML reader as UTF-8 behind a BOM. As the HTML reader does for
/// `<meta>`, a legacy charset on a page that is valid UTF-8 is not believed.
fn apply_charset<'a>(page: Cow<'a, [u8]>, http: Option<&'static encoding_rs::Encoding>) -> Cow<'a, [u8]> {
    let Some(enc) = http else { return page };
    if encoding_rs::Encoding::for_bom(&page).is_some() || std::str::from_utf8(&page).is_ok() {
        return page;
    }
    let (text, _) = enc.decode_without_bom_handling(&page);
    let mut out = Vec::with_capacity(text.len() + 3);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    out.extend_from_slice(text.as_bytes());
    Cow::Owned(out)
}

/// Bytes with a push-back buffer in front, and the offset read so far.
struct Input {
    inner: Box<dyn BufRead + Send>,
    back: Vec<u8>,
    pos: usize,
    offset: u64,
}

impl Input {
    fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut v = bytes.to_vec();
        v.extend_from_slice(&self.back[self.pos..]);
        self.back = v;
        self.pos = 0;
        self.offset -= bytes.len() as u64;
    }

    /// Append one line (with its `\n`) to `out`, at most `max` bytes.
    /// Returns the bytes read (0 at the end).
    fn read_line(&mut self, out: &mut Vec<u8>, max: usize) -> io::Result<usize> {
        let start = out.len();
        while out.len() - start < max {
            let avail: &[u8] = if self.pos < self.back.len() {
                &self.back[self.pos..]
            } else {
                if !self.back.is_empty() {
                    self.back.clear();
                    self.pos = 0;
                }
                self.inner.fill_buf()?
            };
            if avail.is_empty() {
                break;
            }
            let room = max - (out.len() - start);
            let (n, done) = match memchr::memchr(b'\n', &avail[..avail.len().min(room)]) {
                Some(i) => (i + 1, true),
                None => (avail.len().min(room), false),
            };
            out.extend_from_slice(&avail[..n]);
            self.consume(n);
            if done {
                break;
            }
        }
        Ok(out.len() - start)
    }

    fn consume(&mut self, n: usize) {
        if self.pos < self.back.len() {
            self.pos += n;
        } else {
            self.inner.consume(n);
        }
        self.offset += n as u64;
    }

    /// Append up to `n` bytes to `out`; fewer only at the end of the stream.
    fn read_n(&mut self, n: u64, out: &mut Vec<u8>) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail: &[u8] =
                if self.pos < self.back.len() { &self.back[self.pos..] } else { self.inner.fill_buf()? };
            if avail.is_empty() {
                break;
            }
            let k = avail.len().min(left.min(usize::MAX as u64) as usize);
            out.extend_from_slice(&avail[..k]);
            self.consume(k);
            left -= k as u64;
        }
        Ok(n - left)
    }

    /// Skip up to `n` bytes; returns how many were skipped.
    fn skip_n(&mut self, n: u64) -> io::Result<u64> {
        let mut left = n;
        while left > 0 {
            let avail =
                if self.pos < self.back.len() { self.back.len() - self.pos } else { self.inner.fill_buf()?.len() };
            if avail == 0 {
                break;
            }
            let k = avail.min(left.min(usize::MAX as u64) as usize);
            self.consume(k);
            left -= k as u64;
        }
        Ok(n - left)
    }
}

/// Streams the records of one archive.
pub struct Reader {
    input: Input,
    format: Format,
    max_body: usize,
    done: bool,
    line: Vec<u8>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader").field("format", &self.format).field("offset", &self.input.offset).finish()
    }
}

fn truncated(offset: u64, e: &io::Error) -> WarcError {
    WarcError::Truncated { offset, cause: e.to_string() }
}

impl Reader {
    /// Open an archive, gzipped or not, and detect its format. Records over
    /// `max_body` bytes are skipped with [`WarcError::TooLarge`].
    pub fn new(r: impl Read + Send + 'static, max_body: usize) -> Result<Reader, WarcError> {
        let mut raw = BufReader::with_capacity(1 << 16, r);
        let head = raw.fill_buf().map_err(|e| truncated(0, &e))?;
        let inner: Box<dyn BufRead + Send> = if is_gzip(head) {
            Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(raw)))
        } else {
            Box::new(raw)
        };
        let mut input = Input { inner, back: Vec::new(), pos: 0, offset: 0 };
        let mut first = Vec::new();
        input.read_line(&mut first, 64).map_err(|e| truncated(0, &e))?;
        let format = detect(&first).ok_or(WarcError::NotArchive)?;
        input.unread(&first);
        Ok(Reader { input, format, max_body, done: false, line: Vec::new() })
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// Bytes of the decompressed stream read so far.
    pub fn offset(&self) -> u64 {
        self.input.offset
    }

    /// Read one line into `self.line`; `Ok(false)` at the end.
    fn line(&mut self) -> io::Result<bool> {
        self.line.clear();
        Ok(self.input.read_line(&mut self.line, MAX_HEADER)? > 0)
    }

    /// Skip to the next line that `starts` a record (left unread). Returns
    /// whether one was found.
    fn resync(&mut self, starts: fn(&[u8]) -> bool) -> io::Result<bool> {
        loop {
            if !self.line()? {
                return Ok(false);
            }
            if starts(&self.line) {
                let l = std::mem::take(&mut self.line);
                self.input.unread(&l);
                return Ok(true);
            }
        }
    }

    fn malformed(&mut self, offset: u64, message: String) -> Result<Record, WarcError> {
        let starts = match self.format {
            Format::Warc => is_warc_line,
            Format::Arc => is_arc_line,
        };
        self.resync(starts).map_err(|e| truncated(offset, &e))?;
        Err(WarcError::Malformed { offset, message })
    }

    fn next_record(&mut self) -> Option<Result<Record, WarcError>> {
        if self.done {
            return None;
        }
        let r = match self.format {
            Format::Warc => self.next_warc(),
            Format::Arc => self.next_arc(),
        };
        match r {
            Ok(Some(rec)) => Some(Ok(rec)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done |= e.is_fatal();
                Some(Err(e))
            }
        }
    }

    /// Skip blank lines; the offset of the next line, or `None` at the end.
    fn skip_blank(&mut self) -> Result<Option<u64>, WarcError> {
        loop {
            let at = self.input.offset;
            if !self.line().map_err(|e| truncated(at, &e))? {
                return Ok(None);
            }
            if !self.line.iter().all(u8::is_ascii_whitespace) {
                return Ok(Some(at));
            }
        }
    }

    fn next_warc(&mut self) -> Result<Option<Record>, WarcError> {
        let Some(offset) = self.skip_blank()? else { return Ok(None) };
        if !is_warc_line(&self.line) {
            let found = preview(&self.line);
            return self.malformed(offset, format!("expected a `WARC/1.x` line, found `{found}`")).map(Some);
        }
        let mut headers: Vec<(String, String)> = Vec::new();
        let mut size = 0;
        loop {
            if !self.line().map_err(|e| truncated(offset, &e))? {
                return Err(WarcError::Truncated { offset, cause: "the stream ends in the header".into() });
            }
            size += self.line.len();
            if self.line == b"\r\n" || self.line == b"\n" {
                break;
            }
            if size > MAX_HEADER {
                return self.malformed(offset, format!("header over {MAX_HEADER} bytes")).map(Some);
            }
            let text = String::from_utf8_lossy(&self.line);
            if is_warc_line(&self.line) {
                // A new record begins: this one had no blank line after its header.
                let l = std::mem::take(&mut self.line);
                self.input.unread(&l);
                return Err(WarcError::Malformed { offset, message: "header without an end".into() });
            }
            if text.starts_with([' ', '\t']) {
                if let Some((_, v)) = headers.last_mut() {
                    v.push(' ');
                    v.push_str(text.trim());
                    continue;
                }
            }
            match text.split_once(':') {
                Some((k, v)) => headers.push((k.trim().to_owned(), v.trim().to_owned())),
                None => {
                    let found = preview(&self.line);
                    return self.malformed(offset, format!("header line without a colon: `{found}`")).map(Some);
                }
            }
        }
        let find = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str());
        let Some(len) = find("Content-Length").and_then(|v| v.parse::<u64>().ok()) else {
            return self.malformed(offset, "no valid Content-Length".into()).map(Some);
        };
        let kind = Kind::parse(find("WARC-Type").unwrap_or(""));
        let body = self.body(offset, len, is_warc_line)?;
        Ok(Some(Record { offset, kind, headers, body }))
    }

    /// Read a record body of `len` bytes and check that the record ends
    /// there (blank lines, then the end or a line that `starts` a record).
    fn body(&mut self, offset: u64, len: u64, starts: fn(&[u8]) -> bool) -> Result<Vec<u8>, WarcError> {
        if len > self.max_body as u64 {
            let got = self.input.skip_n(len).map_err(|e| truncated(offset, &e))?;
            if got < len {
                return Err(WarcError::Truncated { offset, cause: "the stream ends in the record body".into() });
            }
            return Err(WarcError::TooLarge { offset, size: len, limit: self.max_body });
        }
        let mut body = Vec::with_capacity(len as usize);
        let got = self.input.read_n(len, &mut body).map_err(|e| truncated(offset, &e))?;
        if got < len {
            // A length past the end: the body may have swallowed records.
            if let Some(p) = find_record_start(&body, starts) {
                self.input.unread(&body[p..]);
                return Err(WarcError::Malformed {
                    offset,
                    message: format!("Content-Length {len} runs past the end of the file, into the records after it"),
                });
            }
            return Err(WarcError::Truncated { offset, cause: "the stream ends in the record body".into() });
        }
        // The record must end here: a line break (the next record, or the
        // end, may follow at once). What comes after is the next call's.
        let mut tail = Vec::new();
        self.input.read_line(&mut tail, MAX_HEADER).map_err(|e| truncated(offset, &e))?;
        if tail.iter().all(u8::is_ascii_whitespace) {
            return Ok(body);
        }
        if starts(&tail) {
            self.input.unread(&tail);
            return Ok(body);
        }
        // Too long: the next record starts inside what was read.
        body.extend_from_slice(&tail);
        if let Some(p) = find_record_start(&body, starts) {
            self.input.unread(&body[p..]);
            return Err(WarcError::Malformed {
                offset,
                message: format!("Content-Length {len} runs into the next record"),
            });
        }
        // Too short: skip to the next record.
        self.input.unread(&body[len as usize..]);
        self.malformed(offset, format!("the record does not end where its Content-Length ({len}) says")).map(|_| body)
    }

    fn next_arc(&mut self) -> Result<Option<Record>, WarcError> {
        let Some(offset) = self.skip_blank()? else { return Ok(None) };
        let line = String::from_utf8_lossy(&self.line).trim_end().to_owned();
        let Some(f) = arc_fields(&line) else {
            let found = preview(&self.line);
            return self.malformed(offset, format!("expected an ARC header line, found `{found}`")).map(Some);
        };
        let filedesc = f.url.starts_with("filedesc://");
        let kind = if filedesc {
            Kind::Warcinfo
        } else if f.url.starts_with("http") {
            Kind::Response
        } else {
            Kind::Other(f.url.split(':').next().unwrap_or("").to_owned())
        };
        let mut headers = vec![("WARC-Target-URI".to_owned(), f.url.to_owned())];
        if let Some(d) = arc_date(f.date) {
            headers.push(("WARC-Date".into(), d));
        }
        headers.push(("Content-Length".into(), f.len.to_string()));
        let body = self.body(offset, f.len, is_arc_line)?;
        Ok(Some(Record { offset, kind, headers, body }))
    }
}

impl Iterator for Reader {
    type Item = Result<Record, WarcError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_record()
    }
}

fn is_warc_line(l: &[u8]) -> bool {
    l.starts_with(b"WARC/1.") || l.starts_with(b"WARC/0.")
}

fn is_arc_line(l: &[u8]) -> bool {
    std::str::from_utf8(l).ok().and_then(|s| arc_fields(s.trim_end())).is_some()
}

/// Where a line that starts a record begins inside `body` (after a line
/// break), if anywhere.
fn find_record_start(body: &[u8], starts: fn(&[u8]) -> bool) -> Option<usize> {
    let mut at = 0;
    while let Some(i) = memchr::memchr(b'\n', &body[at..]) {
        let p = at + i + 1;
        let end = memchr::memchr(b'\n', &body[p..]).map_or(body.len(), |e| p + e + 1);
        if p < body.len() && starts(&body[p..end]) {
            return Some(p);
        }
        at = p;
    }
    None
}

struct ArcFields<'a> {
    url: &'a str,
    date: &'a str,
    len: u64,
}

/// An ARC header line: `URL IP DATE TYPE LENGTH` (version 1) or with more
/// fields before the length (version 2).
fn arc_fields(line: &str) -> Option<ArcFields<'_>> {
    let parts: Vec<&str> = line.split(' ').collect();
    if parts.len() < 5 || !parts[0].contains(':') {
        return None;
    }
    let len = parts.last()?.parse().ok()?;
    Some(ArcFields { url: parts[0], date: parts[2], len })
}

/// An ARC date `YYYYMMDDhhmmss` as ISO 8601.
fn arc_date(d: &str) -> Option<String> {
    if d.len() != 14 || !d.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(format!("{}-{}-{}T{}:{}:{}Z", &d[..4], &d[4..6], &d[6..8], &d[8..10], &d[10..12], &d[12..14]))
}

fn preview(line: &[u8]) -> String {
    let s = String::from_utf8_lossy(line);
    let s = s.trim_end();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    fn warc(kind: &str, url: &str, ctype: &str, body: &[u8]) -> Vec<u8> {
        let mut r = format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-05-01T10:00:00Z\r\n\
             WARC-Record-ID: <urn:uuid:{kind}-{}>\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
            url.len(),
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body);
        r.extend_from_slice(b"\r\n\r\n");
        r
    }

    fn gz(b: &[u8]) -> Vec<u8> {
        let mut e = GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(b).unwrap();
        e.finish().unwrap()
    }

    fn read(bytes: Vec<u8>) -> Vec<Result<Record, WarcError>> {
        Reader::new(io::Cursor::new(bytes), 1 << 20).unwrap().collect()
    }

    const PAGE: &str = "<html><body><article><p>The ferry sailed at dawn.</p></article></body></html>";

    fn response(url: &str, extra: &str, body: &[u8]) -> Vec<u8> {
        let mut http = format!("HTTP/1.1 200 OK\r\n{extra}\r\n").into_bytes();
        http.extend_from_slice(body);
        warc("response", url, "application/http; msgtype=response", &http)
    }

    #[test]
    fn reads_records_gzipped_per_record_and_plain() {
        let recs = [
            warc("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
            warc("request", "https://a.example/1", "application/http; msgtype=request", b"GET /1 HTTP/1.1\r\n\r\n"),
            response("https://a.example/1", "Content-Type: text/html; charset=utf-8\r\n", PAGE.as_bytes()),
            warc("conversion", "https://b.example/2", "text/plain", "Río arriba.\nSecond line.".as_bytes()),
        ];
        let plain: Vec<u8> = recs.concat();
        let zipped: Vec<u8> = recs.iter().flat_map(|r| gz(r)).collect();
        for bytes in [plain, zipped] {
            let got: Vec<Record> = read(bytes).into_iter().map(Result::unwrap).collect();
            let kinds: Vec<&str> = got.iter().map(|r| r.kind.as_str()).collect();
            assert_eq!(kinds, ["warcinfo", "request", "response", "conversion"]);
            assert_eq!(got[2].url(), Some("https://a.example/1"));
            assert_eq!(got[2].record_id(), Some("<urn:uuid:response-19>"));
            match got[2].document(1 << 20).unwrap() {
                Document::Html { page, content_type } => {
                    assert_eq!(&page[..], PAGE.as_bytes());
                    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
                }
                d => panic!("{d:?}"),
            }
            assert_eq!(
                got[3].document(100).unwrap(),
                Document::Text {
                    text: "Río arriba.\nSecond line.".as_bytes(),
                    content_type: Some("text/plain".into())
                }
            );
            assert_eq!(got[1].document(100), Err(Skip::Type("request".into())));
            assert_eq!(got[0].document(100), Err(Skip::Type("warcinfo".into())));
        }
    }

    #[test]
    fn wrong_lengths_are_reported_and_reading_goes_on() {
        let good = |n: usize| warc("conversion", &format!("https://c.example/{n}"), "text/plain", b"Story text.");
        for delta in [-4i64, 7, 1000] {
            let mut bad = good(1);
            let s = String::from_utf8(bad.clone()).unwrap();
            let fixed = s.replace("Content-Length: 11", &format!("Content-Length: {}", 11 + delta));
            bad = fixed.into_bytes();
            let bytes = [good(0), bad, good(2), good(3)].concat();
            let got = read(bytes);
            let urls: Vec<String> =
                got.iter().filter_map(|r| r.as_ref().ok()).map(|r| r.url().unwrap().to_owned()).collect();
            assert!(urls.contains(&"https://c.example/0".to_owned()), "{delta}: {urls:?}");
            assert!(urls.contains(&"https://c.example/3".to_owned()), "{delta}: {urls:?}");
            let errs: Vec<&WarcError> = got.iter().filter_map(|r| r.as_ref().err()).collect();
            assert_eq!(errs.len(), 1, "{delta}: {errs:?}");
            let offset = good(0).len() as u64;
            assert!(matches!(errs[0], WarcError::Malformed { offset: o, .. } if *o == offset), "{errs:?}");
            // A long length that ends inside record 2 loses at most that one.
            assert!(urls.len() >= 3, "{delta}: {urls:?}");
        }
    }

    #[test]
    fn garbage_between_records_is_skipped() {
        let bytes = [
            warc("conversion", "https://d.example/1", "text/plain", b"One."),
            b"this is not a record\r\nnor this\r\n".to_vec(),
            warc("conversion", "https://d.example/2", "text/plain", b"Two."),
        ]
        .concat();
        let got = read(bytes);
        assert_eq!(got.len(), 3);
        assert!(got[1].is_err() && got[2].as_ref().unwrap().url() == Some("https://d.example/2"));
    }

    #[test]
    fn truncated_gzip_keeps_the_records_before() {
        let recs: Vec<Vec<u8>> = (0..3)
            .map(|n| gz(&warc("conversion", &format!("https://e.example/{n}"), "text/plain", &[b'x'; 3000])))
            .collect();
        let mut bytes = recs.concat();
        bytes.truncate(recs[0].len() + recs[1].len() + recs[2].len() / 2);
        let got = read(bytes);
        assert_eq!(got.len(), 3, "{got:?}");
        assert!(got[0].is_ok() && got[1].is_ok());
        assert!(matches!(got[2], Err(WarcError::Truncated { .. })), "{:?}", got[2]);
    }

    #[test]
    fn not_an_archive() {
        assert!(matches!(Reader::new(io::Cursor::new(b"hello\n".to_vec()), 10), Err(WarcError::NotArchive)));
        assert!(matches!(Reader::new(io::Cursor::new(Vec::new()), 10), Err(WarcError::NotArchive)));
        assert_eq!(detect(b"WARC/1.1\r\n"), Some(Format::Warc));
        assert_eq!(detect(b"filedesc://x.arc"), Some(Format::Arc));
    }

    #[test]
    fn http_bodies_status_charset_and_encodings() {
        let chunked = b"6\r\n<p>Hel\r\n5\r\nlo</p\r\n1\r\n>\r\n0\r\n\r\n";
        let r =
            read(response("https://f.example/", "Content-Type: text/html\r\nTransfer-Encoding: chunked\r\n", chunked));
        match r[0].as_ref().unwrap().document(1000).unwrap() {
            Document::Html { page, .. } => assert_eq!(&page[..], b"<p>Hello</p>"),
            d => panic!("{d:?}"),
        }
        let r = read(response(
            "https://f.example/",
            "Content-Type: text/html\r\nContent-Encoding: gzip\r\n",
            &gz(PAGE.as_bytes()),
        ));
        match r[0].as_ref().unwrap().document(1000).unwrap() {
            Document::Html { page, .. } => assert_eq!(&page[..], PAGE.as_bytes()),
            d => panic!("{d:?}"),
        }
        let latin = b"<p>Caf\xe9 cr\xe8me</p>";
        let r = read(response("https://f.example/", "Content-Type: text/html; charset=ISO-8859-1\r\n", latin));
        match r[0].as_ref().unwrap().document(1000).unwrap() {
            Document::Html { page, .. } => assert_eq!(&page[..], "\u{feff}<p>Café crème</p>".as_bytes()),
            d => panic!("{d:?}"),
        }
        let r = read(response("https://f.example/", "Content-Type: application/pdf\r\n", b"%PDF-1.4"));
        assert_eq!(r[0].as_ref().unwrap().document(1000), Err(Skip::NotHtml));
        let r = read(response("https://f.example/", "Content-Encoding: br\r\n", b"\x00\x01"));
        assert_eq!(r[0].as_ref().unwrap().document(1000), Err(Skip::Encoding));
        let mut moved = warc("response", "https://f.example/", "application/http", b"HTTP/1.1 301 Moved\r\n\r\n");
        moved.extend(warc("response", "https://f.example/", "application/http", b"no status line"));
        let r = read(moved);
        assert_eq!(r[0].as_ref().unwrap().document(1000), Err(Skip::Status));
        assert_eq!(r[1].as_ref().unwrap().document(1000), Err(Skip::BadHttp));
    }

    #[test]
    fn arc_files() {
        let http = format!("HTTP/1.0 200 OK\nContent-Type: text/html\n\n{PAGE}");
        let desc = "1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
        let arc = format!(
            "filedesc://test.arc 0.0.0.0 20080101120000 text/plain {}\n{desc}\n\
             http://g.example/a 192.0.2.1 20080102030405 text/html {}\n{http}\n\
             dns:g.example 192.0.2.1 20080102030405 text/dns 9\n192.0.2.1\n",
            desc.len(),
            http.len()
        );
        let got: Vec<Record> = read(gz(arc.as_bytes())).into_iter().map(Result::unwrap).collect();
        assert_eq!(got.len(), 3);
        assert_eq!(got[1].url(), Some("http://g.example/a"));
        assert_eq!(got[1].date(), Some("2008-01-02T03:04:05Z"));
        assert!(matches!(got[1].document(1000), Ok(Document::Html { .. })));
        assert_eq!(got[2].document(1000), Err(Skip::Type("dns".into())));
    }

    #[test]
    fn oversized_records_are_skipped() {
        let bytes = [
            warc("conversion", "https://h.example/1", "text/plain", &[b'y'; 500]),
            warc("conversion", "https://h.example/2", "text/plain", b"Small."),
        ]
        .concat();
        let got: Vec<_> = Reader::new(io::Cursor::new(bytes), 100).unwrap().collect();
        assert!(matches!(got[0], Err(WarcError::TooLarge { size: 500, .. })));
        assert_eq!(got[1].as_ref().unwrap().url(), Some("https://h.example/2"));
    }
}
