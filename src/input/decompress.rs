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
    let mut buf = BufReader::with_capacity(1 << 16, inner);
    let kind = Compression::detect(buf.fill_buf()?);
    let r: Box<dyn Read + 'a> = match kind {
        Compression::None => Box::new(buf),
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(buf)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::with_buffer(buf)?),
    };
    Ok((r, kind))
}

/// Read `inner` to the end, decompressing it if it is compressed, with at
/// most `limit` bytes out. Errors: past the limit,
/// [`Error::DecompressedTooLarge`] (or, uncompressed, [`Error::TooLarge`]
/// with `size` the bytes read so far: `limit + 1`); a corrupt or truncated
/// stream is [`Error::Decompress`]; an uncompressed source that cannot be
/// read is [`ReadError::Io`].
pub fn read_all<R: Read>(inner: R, limit: usize) -> std::result::Result<(Vec<u8>, Compression), ReadError> {
    let (r, kind) = reader(inner).map_err(ReadError::Io)?;
    let mut out = Vec::new();
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
    fn a_truncated_stream_is_an_error() {
        let g = gzip(b"some text that will be cut short");
        assert!(matches!(decompress(&g[..g.len() - 6], 1 << 20), Err(Error::Decompress { format: "gzip", .. })));
    }
}
