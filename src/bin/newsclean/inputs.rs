//! Turning PATH arguments into a list of inputs: files as given,
//! directories walked in sorted order, `-` for standard input.

use anyhow::{Context, Result};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Extensions read when walking a directory (plus files without one).
const EXTENSIONS: &[&str] = &["txt", "text", "html", "htm", "xhtml", "shtml"];

/// One document to clean.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    File {
        path: PathBuf,
        /// The name relative to the directory argument it was found under.
        rel: PathBuf,
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

    pub fn read(&self) -> Result<Vec<u8>> {
        match self {
            Input::Stdin => {
                let mut buf = Vec::new();
                std::io::stdin().lock().read_to_end(&mut buf).context("cannot read standard input")?;
                Ok(buf)
            }
            Input::File { path, .. } => std::fs::read(path).map_err(|e| anyhow::anyhow!(describe_io(&e))),
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
pub fn collect(paths: &[PathBuf]) -> Result<Vec<Input>> {
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
            walk(p, &mut out)?;
        } else {
            let rel = p.file_name().map(PathBuf::from).unwrap_or_else(|| p.clone());
            out.push(Input::File { path: p.clone(), rel });
        }
    }
    Ok(out)
}

fn walk(root: &Path, out: &mut Vec<Input>) -> Result<()> {
    let walker = walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(|n| n.starts_with('.')));
    for entry in walker {
        let entry = entry.with_context(|| format!("cannot walk {}", root.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.path();
        let wanted = match path.extension().and_then(|e| e.to_str()) {
            None => true,
            Some(ext) => EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        };
        if wanted {
            let rel = path.strip_prefix(root).unwrap_or(path).to_path_buf();
            out.push(Input::File { path: path.to_path_buf(), rel });
        }
    }
    Ok(())
}
