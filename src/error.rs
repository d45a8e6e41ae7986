//! Typed errors of the library. The binary wraps them with `anyhow` and adds
//! the file name; the library itself never prints.

use std::path::PathBuf;

/// Everything that can go wrong while reading input or loading rules.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The bytes are not UTF-8 and no lossy decoding was asked for.
    #[error("invalid UTF-8 at byte {offset} (use --lossy to replace bad bytes)")]
    InvalidUtf8 { offset: usize },

    /// The input looks like a binary file (NUL bytes), not text or HTML.
    #[error("binary data (NUL byte at offset {offset}), not text or HTML")]
    Binary { offset: usize },

    /// The input is larger than the configured limit.
    #[error("input is {size} bytes, over the limit of {limit} bytes (raise it with --max-size)")]
    TooLarge { size: usize, limit: usize },

    /// A rules file could not be parsed.
    #[error("rules file {origin}: {message}")]
    Rules { origin: String, message: String },

    /// A rule's regular expression does not compile.
    #[error("rules file {origin}: rule `{rule}`: {source}")]
    RulePattern {
        origin: String,
        rule: String,
        #[source]
        source: regex::Error,
    },

    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// Gold data for `eval` is malformed or of an unknown layout.
    #[error("{path}: {message}")]
    Gold { path: PathBuf, message: String },

    /// A block model file is malformed or was made for other features.
    #[error("model {origin}: {message}")]
    Model { origin: String, message: String },

    /// The worker threads of a batch could not be started.
    #[error("cannot start worker threads: {message}")]
    Threads { message: String },

    /// A JSON document (profile, gold data, record) could not be parsed.
    #[error("{origin}: {message}")]
    Json { origin: String, message: String },
}

/// Shorthand used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;
