//! Turning PATH arguments into a list of inputs: files as given,
//! directories walked in sorted order, `-` for standard input; and reading
//! them, decompressed when they are gzip or Zstandard (by magic bytes,
//! whatever the name), with the size limit on the decompressed bytes.

use anyhow::{Context, Result};
use newsclean::input::decompress::{self, Compression, ReadError};
use std::path::{Path, PathBuf};

/// Extensions read when walking a directory (plus files without one), also
/// under a `.gz` or `.zst` extension (`a.html.gz`).
const EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "xhtml", "shtml"];

/// `path` without a `.gz` or `.zst` extension (`a.html.gz` → `a.html`).
pub fn without_compression(path: &Path) -> PathBuf {
    match Compression::from_extension(path) {
        Compression::None => path.to_path_buf(),
        _ => path.with_extension(""),
    }
}

/// One document to clean.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The name relative to the directory argument it was found under.
        rel: PathBuf,
        /// Why the folder walk could not reach this entry (a folder it may
        /// not list, a loop of links): reported as this input's error, in
        /// turn, while the other files are still cleaned.
        unwalkable: Option<String>,
    },
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Stdin => "<stdin>".into(),
            Input::File { path, .. } => path.display().to_string(),
        }
    }

    pub fn relative_name(&self) -> PathBuf {
        match self {
            Input::Stdin => PathBuf::from("stdin.txt"),
            Input::File { rel, .. } => rel.clone(),
        }
    }

    /// The input's bytes, decompressed, at most `limit` of them (an error
    /// past it, naming the size when the file is not compressed).
    pub fn read(&self, limit: usize) -> Result<Vec<u8>> {
        let result = match self {
            Input::Stdin => decompress::read_all(std::io::stdin().lock(), limit),
            Input::File { unwalkable: Some(why), .. } => return Err(anyhow::anyhow!("{why}")),
            Input::File { path, .. } => {
                let f = std::fs::File::open(path).map_err(|e| anyhow::anyhow!(describe_io(&e)))?;
                // The size is asked only for a file past the reader's first
                // 64 KiB and for the error: a stat per file of a folder of
                // small ones is a tenth of their system calls.
                match decompress::read_all_sized(&f, limit, || f.metadata().ok().map(|m| m.len())) {
                    Err(ReadError::Lib(newsclean::Error::TooLarge { .. })) => {
                        let size = f.metadata().map_or(0, |m| m.len() as usize);
                        Err(ReadError::Lib(newsclean::Error::TooLarge { size, limit }))
                    }
                    r => r,
                }
            }
        };
        match result {
            Ok((bytes, _)) => Ok(bytes),
            Err(ReadError::Io(e)) if matches!(self, Input::Stdin) => Err(e).context("cannot read standard input"),
            Err(ReadError::Io(e)) => Err(anyhow::anyhow!(describe_io(&e))),
            Err(ReadError::Lib(e)) => Err(e.into()),
        }
    }
}

fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if e.raw_os_error() == Some(21) => "is a directory".into(),
        _ => e.to_string(),
    }
}

/// Expand the PATH arguments. A missing path is kept as a file input so that
/// its error is reported in turn, naming it, while the others still run.
pub fn collect(paths: &[PathBuf], follow: bool) -> Result<Vec<Input>> {
    if paths.is_empty() {
        if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
            anyhow::bail!("no input: give a PATH, or pipe text into standard input (see --help)");
        }
        return Ok(vec![Input::Stdin]);
    }
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Input::Stdin);
        } else if p.is_dir() {
            walk(p, follow, &mut out);
        } else {
            let rel = p.file_name().map(PathBuf::from).unwrap_or_else(|| p.clone());
            out.push(Input::File { path: p.clone(), rel, unwalkable: None });
        }
    }
    Ok(out)
}

/// The file name of an entry below a walked folder, as `sort_by_file_name`
/// compares siblings: on Unix the bytes after the last `/` (walkdir joins
/// each name to its folder), without `Path::file_name`'s parse of the path's
/// components, which made sorting a 4,000-file folder 29 M instructions.
#[cfg(unix)]
fn sibling_name(path: &Path) -> &[u8] {
    use std::os::unix::ffi::OsStrExt;
    let b = path.as_os_str().as_bytes();
    match memchr::memrchr(b'/', b) {
        Some(i) if i + 1 < b.len() => &b[i + 1..],
        _ => path.file_name().map_or(b, |n| n.as_bytes()),
    }
}

#[cfg(not(unix))]
fn sibling_name(path: &Path) -> &std::ffi::OsStr {
    path.file_name().unwrap_or(path.as_os_str())
}

fn walk(root: &Path, follow: bool, out: &mut Vec<Input>) {
    let walker = walkdir::WalkDir::new(root)
        .follow_links(follow)
        .sort_by(|a, b| sibling_name(a.path()).cmp(sibling_name(b.path())))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.')));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(root).to_path_buf();
                let why = match (e.loop_ancestor(), e.io_error()) {
                    (Some(a), _) => format!("a loop of symbolic links (back to {})", a.display()),
                    (None, Some(io)) => format!("cannot walk: {}", describe_io(io)),
                    (None, None) => format!("cannot walk: {e}"),
                };
                let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                out.push(Input::File { path, rel, unwalkable: Some(why) });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let wanted = match without_compression(path).extension().and_then(|e| e.to_str()) {
            None => true,
            Some(ext) => EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        };
        if wanted {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            out.push(Input::File { path: path.to_path_buf(), rel, unwalkable: None });
        }
    }
}
