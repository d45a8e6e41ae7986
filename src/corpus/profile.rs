//! Site profiles: the lines a corpus showed to be each site's template.
//!
//! On disk a profile is JSON, written by `newsclean learn` and meant to be
//! read and edited by people:
//!
//! ```json
//! {"format": "newsclean-profile/1", "min_docs": 5, "min_share": 0.05,
//!  "sites": {"valley.example": {"docs": 24,
//!     "lines": [{"text": "tip the newsroom: tips@valley.example", "example": "Tip the newsroom: tips@valley.example", "docs": 24}],
//!     "protected": [ ... same shape: recurring prose kept as story text ... ]}}}
//! ```
//!
//! `text` is the normalised line ([`super::normalize_line`]); it is what
//! matches. `example` and `docs` are for people. Loaded, each site becomes a
//! [`SiteLines`]: a set of line hashes. A block whose hash is in the set of
//! its document's site is dropped with the rule name `profile.<site>`.

use super::lines::line_hash;
use crate::blocks::Block;
use crate::classify::Verdict;
use crate::error::{Error, Result};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The value of the `format` field.
pub const FORMAT: &str = "newsclean-profile/1";

/// One learnt line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearntLine {
    /// The normalised line; this is what matches.
    pub text: String,
    /// One occurrence as it was written, for people.
    #[serde(default)]
    pub example: String,
    /// In how many of the site's documents it occurred.
    #[serde(default)]
    pub docs: u64,
}

/// What was learnt about one site.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteData {
    /// Documents of the site seen while learning.
    pub docs: u64,
    /// Template lines: these are dropped.
    pub lines: Vec<LearntLine>,
    /// Lines that recur as often but read as story prose; kept, listed so
    /// that a person can move one into `lines`.
    #[serde(default)]
    pub protected: Vec<LearntLine>,
}

/// A profile as stored in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileData {
    pub format: String,
    /// The thresholds it was learnt with, for the record.
    pub min_docs: u64,
    pub min_share: f64,
    pub sites: BTreeMap<String, SiteData>,
}

/// The template lines of one site, ready for lookup.
#[derive(Debug, Clone, Default)]
pub struct SiteLines {
    rule: String,
    hashes: FxHashSet<u64>,
}

impl SiteLines {
    /// A site's lines from normalised (or raw) line texts.
    pub fn new<'a>(site: &str, lines: impl IntoIterator<Item = &'a str>) -> SiteLines {
        SiteLines { rule: format!("profile.{site}"), hashes: lines.into_iter().map(line_hash).collect() }
    }

    /// The rule name its drops carry: `profile.<site>`.
    pub fn rule(&self) -> &str {
        &self.rule
    }

    pub fn len(&self) -> usize {
        self.hashes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.hashes.is_empty()
    }

    /// Is `text` (a block, raw) one of the site's template lines?
    pub fn matches(&self, text: &str) -> bool {
        !self.hashes.is_empty() && self.hashes.contains(&line_hash(text))
    }

    /// Mark the blocks that are template lines as dropped, unless an earlier
    /// pass has already decided them. Called by [`crate::Cleaner`] between
    /// the header pass and the classifier.
    pub fn mark(&self, blocks: &[Block], pre: &mut [Option<Verdict>]) {
        for (b, v) in blocks.iter().zip(pre.iter_mut()) {
            if v.is_none() && self.matches(&b.text) {
                *v = Some(Verdict::drop(&self.rule, "profile"));
            }
        }
    }
}

/// A loaded profile: the data plus a lookup per site.
#[derive(Debug, Clone)]
pub struct Profile {
    data: ProfileData,
    index: FxHashMap<String, Arc<SiteLines>>,
}

impl Profile {
    pub fn from_data(data: ProfileData) -> Profile {
        let index = data
            .sites
            .iter()
            .filter(|(_, s)| !s.lines.is_empty())
            .map(|(site, s)| (site.clone(), Arc::new(SiteLines::new(site, s.lines.iter().map(|l| l.text.as_str())))))
            .collect();
        Profile { data, index }
    }

    /// Parse a profile file's text. `origin` names it in errors.
    pub fn from_json(text: &str, origin: &str) -> Result<Profile> {
        let data: ProfileData =
            serde_json::from_str(text).map_err(|e| Error::Json { origin: origin.into(), message: e.to_string() })?;
        if data.format != FORMAT {
            return Err(Error::Json {
                origin: origin.into(),
                message: format!("unknown profile format `{}` (expected `{FORMAT}`)", data.format),
            });
        }
        Ok(Profile::from_data(data))
    }

    /// Read a profile file.
    pub fn load(path: &std::path::Path) -> Result<Profile> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
        Profile::from_json(&text, &path.display().to_string())
    }

    /// The profile as pretty JSON, ending in a newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.data).expect("profile serialises");
        s.push('\n');
        s
    }

    pub fn data(&self) -> &ProfileData {
        &self.data
    }

    /// The template lines of `site`, if the profile has any.
    pub fn site(&self, site: &str) -> Option<Arc<SiteLines>> {
        self.index.get(site).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_looks_up_by_site() {
        let mut sites = BTreeMap::new();
        sites.insert(
            "a.example".to_owned(),
            SiteData {
                docs: 9,
                lines: vec![LearntLine { text: "tip us: news@a.example".into(), example: String::new(), docs: 9 }],
                protected: vec![],
            },
        );
        let p = Profile::from_data(ProfileData { format: FORMAT.into(), min_docs: 5, min_share: 0.05, sites });
        let back = Profile::from_json(&p.to_json(), "t").unwrap();
        let lines = back.site("a.example").unwrap();
        assert_eq!(lines.rule(), "profile.a.example");
        assert!(lines.matches("Tip us:  NEWS@a.example"));
        assert!(!lines.matches("Tip us: news@b.example"));
        assert!(back.site("b.example").is_none());
    }

    #[test]
    fn a_cleaner_with_site_lines_drops_them_first_and_names_the_site() {
        let lines = Arc::new(SiteLines::new("a.example", ["listen · 0 min"]));
        let text = "Listen · 4 min\n\nThe ferry was late again on Monday.\n\nListen · 7 min";
        let c = crate::Cleaner::new().site_profile(Some(lines)).clean_text(text);
        assert_eq!(c.text, "The ferry was late again on Monday.\n");
        assert!(c.removed.iter().all(|r| r.rule == "profile.a.example" && r.kind == "profile"));
        // Without the profile the line stays: no built-in rule names it.
        assert!(crate::Cleaner::new().clean_text(text).text.starts_with("Listen · 4 min"));
    }

    #[test]
    fn bad_files_are_errors() {
        assert!(matches!(Profile::from_json("{", "p.json"), Err(Error::Json { .. })));
        let wrong = r#"{"format":"other","min_docs":1,"min_share":0,"sites":{}}"#;
        assert!(matches!(Profile::from_json(wrong, "p.json"), Err(Error::Json { .. })));
    }
}
