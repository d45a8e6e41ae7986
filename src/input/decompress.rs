//! Compressed input, read transparently: gzip (also several concatenated
//! members, as `cat a.gz b.gz` makes) and Zstandard, told by the file's
//! magic bytes (`1f 8b`, `28 b5 2f fd`), whatever its name. The same reader
//! serves files, standard input and JSON Lines, and any later reader of
//! gzip-framed archives.
//!
//! Decompression bombs are guarded: [`read_all`] stops at a limit on the
//! *decompressed* size and reports it, so a 1 MB file that would inflate to
//! 10 GB costs at most the limit.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read};

/// How bytes are compressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    /// Told by the magic bytes at the start of `head`.
    pub fn detect(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// Told by a file name's last extension (`.gz`, `.zst`); for naming
    /// outputs and walking folders, where the content is not read yet.
    pub fn from_extension(path: &std::path::Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("gz" | "gzip") => Compression::Gzip,
            Some("zst" | "zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "none",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// A reader that decompresses `inner` when its first bytes are a gzip or
/// Zstandard magic number, and passes it through otherwise.
pub fn reader<'a, R: Read + 'a>(inner: R) -> std::io::Result<(Box<dyn Read + 'a>, Compression)> {
    let (buf, kind) = buffered(inner)?;
    Ok((boxed(buf, kind)?, kind))
}

/// The reader's buffer: its first fill also tells the compression.
const READ_BUFFER: usize = 1 << 16;

/// `inner` behind the reader's buffer, filled once, and what that first
/// fill says the compression is.
fn buffered<R: Read>(inner: R) -> std::io::Result<(BufReader<R>, Compression)> {
    let mut buf = BufReader::with_capacity(READ_BUFFER, inner);
    let kind = Compression::detect(buf.fill_buf()?);
    Ok((buf, kind))
}

fn boxed<'a, R: Read + 'a>(buf: BufReader<R>, kind: Compression) -> std::io::Result<Box<dyn Read + 'a>> {
    Ok(match kind {
        Compression::None => Box::new(buf),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buf)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buf)?),
    })
}

/// Read `inner` to the end, decompressing it if it is compressed, with at
/// most `limit` bytes out. Errors: past the limit,
/// [`Error::DecompressedTooLarge`] (or, uncompressed, [`Error::TooLarge`]
/// with `size` the bytes read so far: `limit + 1`); a corrupt or truncated
/// stream is [`Error::Decompress`]; an uncompressed source that cannot be
/// read is [`ReadError::Io`].
pub fn read_all<R: Read>(inner: R, limit: usize) -> std::result::Result<(Vec<u8>, Compression), ReadError> {
    read_all_sized(inner, limit, || None)
}

/// [`read_all`], with the output sized once instead of grown by doubling:
/// an uncompressed source whose first read fills less than the reader's
/// buffer has ended there; only a longer one asks `len` for its length (a
/// file's metadata), so a folder of small files costs no extra system call.
pub fn read_all_sized<R: Read>(
    inner: R,
    limit: usize,
    len: impl FnOnce() -> Option<u64>,
) -> std::result::Result<(Vec<u8>, Compression), ReadError> {
    let (buf, kind) = buffered(inner).map_err(ReadError::Io)?;
    let mut out = Vec::new();
    if kind == Compression::None {
        let first = buf.buffer().len();
        let size = if first < READ_BUFFER { Some(first as u64) } else { len() };
        // A length is only a hint (the file may grow): the limit still rules.
        out.reserve_exact(size.unwrap_or(0).min(limit as u64 + 1) as usize);
    }
    let r = boxed(buf, kind).map_err(ReadError::Io)?;
    // One byte past the limit tells "at the limit" from "over it".
    let read = r.take(limit as u64 + 1).read_to_end(&mut out);
    match read {
        Ok(_) if out.len() > limit && kind == Compression::None => {
            Err(ReadError::Lib(Error::TooLarge { size: out.len(), limit }))
        }
        Ok(_) if out.len() > limit => Err(ReadError::Lib(Error::DecompressedTooLarge { limit })),
        Ok(_) => Ok((out, kind)),
        Err(e) if kind == Compression::None => Err(ReadError::Io(e)),
        Err(e) => Err(ReadError::Lib(Error::Decompress { format: kind.name(), message: e.to_string() })),
    }
}

/// Decompress bytes already in memory (see [`read_all`]); uncompressed
/// bytes are returned as they are, without a copy.
pub fn decompress(bytes: &[u8], limit: usize) -> Result<std::borrow::Cow<'_, [u8]>> {
    if Compression::detect(bytes) == Compression::None {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    match read_all(bytes, limit) {
        Ok((out, _)) => Ok(std::borrow::Cow::Owned(out)),
        Err(ReadError::Lib(e)) => Err(e),
        Err(ReadError::Io(e)) => Err(Error::Decompress { format: "input", message: e.to_string() }),
    }
}

/// Why [`read_all`] failed: the source could not be read, or its content
/// is bad (corrupt, or over the limit).
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Lib(Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_members_and_zstd_are_read_by_magic() {
        let mut two = gzip(b"first member, ");
        two.extend(gzip(b"second member"));
        assert_eq!(read_all(&two[..], 1 << 20).unwrap(), (b"first member, second member".to_vec(), Compression::Gzip));
        let z = zstd::stream::encode_all(&b"zstandard text"[..], 3).unwrap();
        assert_eq!(decompress(&z, 1 << 20).unwrap().as_ref(), b"zstandard text");
        assert!(matches!(decompress(b"plain", 10).unwrap(), std::borrow::Cow::Borrowed(b"plain")));
    }

    #[test]
    fn the_limit_applies_to_the_decompressed_size() {
        let bomb = gzip(&vec![b'a'; 1 << 20]);
        assert!(bomb.len() < 4096);
        assert!(matches!(decompress(&bomb, 1000), Err(Error::DecompressedTooLarge { limit: 1000 })));
        assert!(matches!(read_all(&b"12345"[..], 4), Err(ReadError::Lib(Error::TooLarge { size: 5, limit: 4 }))));
        assert_eq!(decompress(&bomb, 1 << 20).unwrap().len(), 1 << 20);
    }

    #[test]
    fn sized_reads_give_what_unsized_reads_give() {
        // Empty, small, at and around the buffer's size, huge; non-ASCII;
        // compressed; with right, wrong and missing lengths; under limits.
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for n in [0, 1, 31, 32, 33, 4095, READ_BUFFER - 1, READ_BUFFER, READ_BUFFER + 1, 3 * READ_BUFFER + 7, 5 << 20] {
            inputs.push("é日a".bytes().cycle().take(n).collect());
        }
        inputs.push(gzip(&inputs[8]));
        for data in &inputs {
            let n = data.len() as u64;
            for limit in [0, 10, READ_BUFFER, 16 << 20] {
                let want = format!("{:?}", read_all(&data[..], limit));
                for hint in [Some(n), Some(0), Some(n / 2), Some(n * 3 + 5), Some(u64::MAX), None] {
                    let asked = std::cell::Cell::new(false);
                    let got = read_all_sized(&data[..], limit, || {
                        asked.set(true);
                        hint
                    });
                    assert_eq!(format!("{got:?}"), want, "{n} bytes, limit {limit}, hint {hint:?}");
                    // Short sources are sized from their first read.
                    assert!(!asked.get() || n >= READ_BUFFER as u64, "{n}");
                }
            }
        }
        // The length sizes the output once.
        let big = &inputs[9];
        let (out, _) = read_all_sized(&big[..], 1 << 30, || Some(big.len() as u64)).unwrap();
        assert_eq!(out.capacity(), big.len());
        let (out, _) = read_all(&inputs[5][..], 1 << 30).unwrap();
        assert_eq!(out.capacity(), 4095);
    }

    #[test]
    fn a_truncated_stream_is_an_error() {
        let g = gzip(b"some text that will be cut short");
        assert!(matches!(decompress(&g[..g.len() - 6], 1 << 20), Err(Error::Decompress { format: "gzip", .. })));
    }
}
