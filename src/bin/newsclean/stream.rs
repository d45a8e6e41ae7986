//! Reading in bounded chunks: a reader thread cuts the inputs into chunks
//! of lines (at most [`CHUNK_RECORDS`] records or [`CHUNK_BYTES`] bytes) and
//! hands them over in order ([`Chunks`]); the library's batch engine
//! (`newsclean::batch`) cleans each chunk in parallel and the caller writes
//! it, so memory stays flat whatever the input size. Also: the progress bar.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;
use std::sync::mpsc;

/// Records per chunk: enough to keep every core busy between two writes.
pub const CHUNK_RECORDS: usize = 2048;
/// Bytes per chunk, so that huge records do not pile up.
pub const CHUNK_BYTES: usize = 16 << 20;
/// Chunks read ahead of the one being cleaned.
const READ_AHEAD: usize = 2;

/// The rayon pool for `--jobs` (None or 0: all cores).
pub fn pool(jobs: Option<usize>) -> Result<rayon::ThreadPool> {
    Ok(newsclean::batch::pool(jobs)?)
}

/// A progress bar on stderr counting bytes (MB/s, ETA when `total` is
/// known) with the document count as its message; hidden with `quiet` or
/// when stderr is not a terminal.
pub fn progress(total: Option<u64>, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let target = ProgressDrawTarget::stderr_with_hz(4);
    match total {
        Some(t) => ProgressBar::with_draw_target(Some(t), target).with_style(
            ProgressStyle::with_template(
                "{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
            )
            .expect("valid template")
            .progress_chars("=> "),
        ),
        None => ProgressBar::with_draw_target(None, target).with_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {bytes} {binary_bytes_per_sec} {msg}")
                .expect("valid template"),
        ),
    }
}

/// Size of a file input (0 for stdin or when it cannot be read).
pub fn file_size(input: &crate::inputs::Input) -> u64 {
    match input {
        crate::inputs::Input::File { path, .. } => std::fs::metadata(path).map_or(0, |m| m.len()),
        crate::inputs::Input::Stdin => 0,
    }
}

/// Total size of the inputs when all are files (for the progress bar).
pub fn files_size(inputs: &[crate::inputs::Input]) -> Option<u64> {
    if inputs.iter().any(|i| matches!(i, crate::inputs::Input::Stdin)) {
        return None;
    }
    Some(inputs.iter().map(file_size).sum())
}

/// Where JSON Lines come from.
#[derive(Debug, Clone)]
pub enum Source {
    Stdin,
    File(PathBuf),
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "<stdin>".into(),
            Source::File(p) => p.display().to_string(),
        }
    }

    /// The PATH arguments as sources; none means standard input.
    pub fn from_paths(paths: &[PathBuf]) -> Vec<Source> {
        if paths.is_empty() {
            return vec![Source::Stdin];
        }
        paths.iter().map(|p| if p.as_os_str() == "-" { Source::Stdin } else { Source::File(p.clone()) }).collect()
    }

    /// Total size when every source is a regular file.
    pub fn total_size(sources: &[Source]) -> Option<u64> {
        sources
            .iter()
            .map(|s| match s {
                Source::Stdin => None,
                Source::File(p) => std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| m.len()),
            })
            .sum()
    }
}

/// A chunk of input: the lines' bytes in one buffer (one allocation, not
/// one per line: they are made on the reader thread and freed on another),
/// and the items in input order.
#[derive(Debug, Default)]
pub struct Chunk {
    data: Vec<u8>,
    pub items: Vec<Item>,
}

impl Chunk {
    /// The bytes of a line (empty for a source error).
    pub fn bytes(&self, item: &Item) -> &[u8] {
        match item {
            Item::Line { range, .. } => &self.data[range.clone()],
            Item::SourceError { .. } => &[],
        }
    }
}

/// One line of input, or a problem with a source.
#[derive(Debug)]
pub enum Item {
    Line {
        /// Index into the sources.
        src: usize,
        /// 1-based line number in its source.
        no: u64,
        /// Where its bytes are in [`Chunk`]'s buffer.
        range: std::ops::Range<usize>,
    },
    /// A source could not be opened or read on from this line.
    SourceError { src: usize, no: u64, message: String },
}

/// The chunks of `sources` in order, read line by line on a reader thread
/// that stays [`READ_AHEAD`] chunks ahead. Blank lines are skipped (their
/// numbers still count). Dropping the iterator stops the reader at its next
/// chunk and waits for it.
pub struct Chunks {
    rx: Option<mpsc::Receiver<Chunk>>,
    reader: Option<std::thread::JoinHandle<()>>,
}

impl Chunks {
    pub fn new(sources: &[Source]) -> Chunks {
        let (tx, rx) = mpsc::sync_channel::<Chunk>(READ_AHEAD);
        let sources = sources.to_vec();
        let reader = std::thread::spawn(move || read_all(&sources, tx));
        Chunks { rx: Some(rx), reader: Some(reader) }
    }
}

impl Iterator for Chunks {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        self.rx.as_ref()?.recv().ok()
    }
}

impl Drop for Chunks {
    fn drop(&mut self) {
        // Closing the channel first makes a blocked reader return.
        drop(self.rx.take());
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// Hand the chunks of `sources` to `f` in order; stops at `f`'s first error.
pub fn for_each_chunk(sources: &[Source], mut f: impl FnMut(Chunk) -> Result<()>) -> Result<()> {
    for chunk in Chunks::new(sources) {
        f(chunk)?;
    }
    Ok(())
}

fn read_all(sources: &[Source], tx: mpsc::SyncSender<Chunk>) {
    let new_chunk = |bytes: usize| Chunk { data: Vec::with_capacity(bytes), items: Vec::with_capacity(CHUNK_RECORDS) };
    let mut chunk = new_chunk(1 << 20);
    for (src, source) in sources.iter().enumerate() {
        let reader: Box<dyn Read> = match source {
            Source::Stdin => Box::new(std::io::stdin()),
            Source::File(p) => match std::fs::File::open(p) {
                Ok(f) if f.metadata().is_ok_and(|m| m.is_dir()) => {
                    chunk.items.push(Item::SourceError { src, no: 0, message: "is a directory".into() });
                    continue;
                }
                Ok(f) => Box::new(f),
                Err(e) => {
                    chunk.items.push(Item::SourceError { src, no: 0, message: e.to_string() });
                    continue;
                }
            },
        };
        let mut reader = BufReader::with_capacity(1 << 16, reader);
        let mut no = 0;
        loop {
            let start = chunk.data.len();
            match reader.read_until(b'\n', &mut chunk.data) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    chunk.data.truncate(start);
                    chunk.items.push(Item::SourceError { src, no: no + 1, message: format!("read error: {e}") });
                    break;
                }
            }
            no += 1;
            if chunk.data[start..].iter().all(u8::is_ascii_whitespace) {
                chunk.data.truncate(start);
                continue;
            }
            chunk.items.push(Item::Line { src, no, range: start..chunk.data.len() });
            if chunk.items.len() >= CHUNK_RECORDS || chunk.data.len() >= CHUNK_BYTES {
                // The next chunk is likely the size of this one.
                let next = new_chunk(chunk.data.len() + chunk.data.len() / 8);
                if tx.send(std::mem::replace(&mut chunk, next)).is_err() {
                    return;
                }
            }
        }
    }
    if !chunk.items.is_empty() {
        let _ = tx.send(chunk);
    }
}
