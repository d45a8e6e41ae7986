//! Corpus mode: cleaning many documents, and learning each site's template
//! from the corpus itself.
//!
//! A single article does not show which of its lines are the site's template
//! ("Tip us off: news@…", a masthead slogan); a thousand articles of the same
//! site do. This module holds what the `newsclean learn` command and the
//! `--jsonl`/`--profile` modes of the binary need, all of it pure (no
//! printing, no threads):
//!
//! - [`lines`]: the CCNet-style line normalisation and its hash, shared by
//!   learning and lookup so that both see the same key.
//! - [`site`]: the site a document belongs to (host of its URL).
//! - [`learn`]: counts normalised lines per site over many cleaned documents
//!   and keeps those that recur in enough of a site's documents, except long
//!   well-formed prose (see [`learn::ProseGuard`]).
//! - [`profile`]: the learnt lines as a JSON file and as a per-site hash set
//!   that [`crate::Cleaner::site_profile`] consults before every other rule;
//!   its drops are named `profile.<site>`.
//! - [`record`]: one JSON Lines record: parse, read the text field, and write
//!   it back with the clean text added and every other field untouched.
//! - [`warc`]: WARC, WET and ARC archives (Common Crawl), record by record,
//!   and the HTML page or text each record holds.
//!
//! The pipeline itself is unchanged: a profile only marks blocks as dropped
//! before the classifier's rules pass runs, the way metadata lines are.

pub mod learn;
pub mod lines;
pub mod profile;
pub mod record;
pub mod site;
pub mod warc;

pub use learn::{DocLines, LearnOptions, Learner, ProseGuard};
pub use lines::{line_hash, normalize_line};
pub use profile::{Profile, SiteLines};
pub use record::{Record, RecordOptions};
pub use site::{site_of_path, site_of_url};
