//! newsclean: the article alone, out of scraped news text or HTML.
//!
//! The pipeline reads top-down, one module a stage:
//!
//! 1. [`input`]: bytes → normalised text (or, for HTML, [`html`] → blocks)
//! 2. [`blocks`]: text → [`Block`]s (paragraphs, lines, lists)
//! 3. [`features`]: a [`Features`] record per block
//! 4. [`classify`]: a [`Verdict`] per block, from the named [`rules`] (data
//!    files, one per language), the teaser-run logic and a safety net; then
//!    [`model`], a trained block model, decides what no named rule named
//! 5. [`output`]: the kept blocks as [`Cleaned`] text, with what was removed
//!
//! [`batch`] cleans many documents in parallel, in input order, for the
//! binary's corpus modes and the Python package.
//!
//! ```
//! let cleaner = newsclean::Cleaner::new();
//! let out = cleaner.clean_text("The mayor resigned on Monday.\n\nAdvertisement\n\nShe will stay until May.");
//! assert_eq!(out.text, "The mayor resigned on Monday.\n\nShe will stay until May.\n");
//! assert_eq!(out.removed[0].rule, "en.ad.marker");
//! ```
//!
//! The library never prints; the `newsclean` binary is the glue around it.

pub mod batch;
pub mod blocks;
pub mod classify;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod features;
pub mod html;
pub mod input;
pub mod lang;
pub mod model;
pub mod output;
pub mod rules;

pub use blocks::Block;
pub use classify::{Metadata, Verdict};
pub use error::{Error, Result};
pub use features::Features;
pub use input::{InputKind, Utf8Mode};
pub use model::{Model, View};
pub use output::{Cleaned, Removed};
pub use rules::{Rule, RuleKind, RuleSet, RuleSetBuilder};

use std::sync::{Arc, OnceLock};

/// Largest input accepted by default (64 MiB); a news article is far smaller,
/// and a larger file is almost always a mistake (a dump, an archive).
pub const DEFAULT_MAX_SIZE: usize = 64 << 20;

/// An HTML result shorter than this (in characters) is checked against the
/// whole-page fallback (trafilatura's `min_extracted_size` is 250; its
/// fallbacks run up to twice that).
pub const POOR_HTML_CHARS: usize = 500;

/// How many times longer the fallback must be to replace a poor result.
pub const FALLBACK_GAIN: usize = 3;

/// Cleans documents. Build one and reuse it: it holds the compiled rules.
#[derive(Debug, Clone)]
pub struct Cleaner {
    rules: Arc<RuleSet>,
    lang: Option<String>,
    input: InputKind,
    utf8: Utf8Mode,
    fix_mojibake: bool,
    max_size: usize,
    /// Template lines of the document's site, learnt from a corpus.
    site: Option<Arc<corpus::SiteLines>>,
    /// The block model for text input and for HTML input; `None`: rules alone.
    text_model: Option<Arc<Model>>,
    html_model: Option<Arc<Model>>,
    /// What the model pass reports beside its verdicts.
    report: model::Report,
}

/// A document after the stages before the model: what the model pass reads,
/// and what [`output::assemble`] turns into [`Cleaned`].
#[derive(Debug, Clone)]
pub struct Prepared {
    pub blocks: Vec<Block>,
    pub feats: Vec<Features>,
    pub verdicts: Vec<Verdict>,
    pub trims: Vec<classify::Trim>,
    pub meta: Metadata,
}

impl Default for Cleaner {
    fn default() -> Self {
        Self::new()
    }
}

fn builtin_rules() -> Arc<RuleSet> {
    static RULES: OnceLock<Arc<RuleSet>> = OnceLock::new();
    RULES.get_or_init(|| Arc::new(RuleSet::builtin())).clone()
}

impl Cleaner {
    /// A cleaner with the built-in rules of every language.
    pub fn new() -> Self {
        Self::with_rules(builtin_rules())
    }

    /// A cleaner with the given rules (see [`RuleSetBuilder`]).
    pub fn with_rules(rules: impl Into<Arc<RuleSet>>) -> Self {
        Cleaner {
            rules: rules.into(),
            lang: None,
            input: InputKind::Auto,
            utf8: Utf8Mode::Detect,
            fix_mojibake: true,
            max_size: DEFAULT_MAX_SIZE,
            site: None,
            text_model: Some(Model::builtin()),
            html_model: None,
            report: model::Report { reasons: true, every_score: false },
        }
    }

    /// Use this block model for its view (text or HTML) instead of the
    /// built-in text model or the rules alone for HTML.
    pub fn with_model(mut self, model: Arc<Model>) -> Self {
        match model.view {
            View::Text => self.text_model = Some(model),
            View::Html => self.html_model = Some(model),
        }
        self
    }

    /// The named rules alone: no block model for either view.
    pub fn without_model(mut self) -> Self {
        self.text_model = None;
        self.html_model = None;
        self
    }

    /// The block model used for a view, if any.
    pub fn model(&self, view: View) -> Option<&Model> {
        match view {
            View::Text => self.text_model.as_deref(),
            View::Html => self.html_model.as_deref(),
        }
    }

    /// Use this language's stopwords instead of detecting the language.
    pub fn language(mut self, lang: Option<String>) -> Self {
        self.lang = lang.map(|l| l.to_lowercase());
        self
    }

    /// Treat input as text, HTML, or decide by content (the default).
    pub fn input_kind(mut self, kind: InputKind) -> Self {
        self.input = kind;
        self
    }

    /// How to read text that is not valid UTF-8: detect its encoding (the
    /// default), fail, or replace the bad bytes.
    pub fn utf8_mode(mut self, mode: Utf8Mode) -> Self {
        self.utf8 = mode;
        self
    }

    /// Repair mojibake (UTF-8 read as Windows-1252 or Latin-1) in text and
    /// HTML input: on by default (see [`input::mojibake`]).
    pub fn fix_mojibake(mut self, on: bool) -> Self {
        self.fix_mojibake = on;
        self
    }

    /// Whether a model drop in [`Cleaned::removed`] names the features that
    /// weighed most (on by default). Off, it still has its score; the
    /// features' attribution is a tenth of the cleaning of boilerplate-dense
    /// text, wasted where only the text is kept.
    pub fn model_reasons(mut self, on: bool) -> Self {
        self.report.reasons = on;
        self
    }

    /// Whether [`Cleaned::decisions`] holds the model's score for every block
    /// in its scope (`--explain` shows them). Off (the default), a block the
    /// model may never drop (a sentence, a subheading, the headline, the
    /// longest block) is not scored and has no decision: on story text that
    /// is most blocks, and the model pass costs a fraction. The text and
    /// [`Cleaned::removed`] are the same either way.
    pub fn model_every_score(mut self, on: bool) -> Self {
        self.report.every_score = on;
        self
    }

    /// Reject inputs larger than this many bytes.
    pub fn max_size(mut self, bytes: usize) -> Self {
        self.max_size = bytes;
        self
    }

    /// Drop the template lines of the document's site (from a
    /// [`corpus::Profile`]) before any other rule; `None` for none.
    pub fn site_profile(mut self, lines: Option<Arc<corpus::SiteLines>>) -> Self {
        self.site = lines;
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Clean raw bytes: text or HTML, as [`Cleaner::input_kind`] says.
    ///
    /// gzip and Zstandard bytes are decompressed first (by their magic
    /// bytes; [`input::decompress`]); the size limit applies to the
    /// decompressed bytes. Text is decoded as [`Cleaner::utf8_mode`] says
    /// and `metadata.encoding` names the encoding used. When HTML was not
    /// detected but the cleaned text is still mostly tags
    /// ([`input::looks_like_markup`]), the input is cleaned as HTML after all:
    /// no page comes out as its own markup.
    pub fn clean_bytes(&self, bytes: &[u8]) -> Result<Cleaned> {
        let bytes = input::decompress::decompress(bytes, self.max_size)?;
        if bytes.len() > self.max_size {
            return Err(Error::TooLarge { size: bytes.len(), limit: self.max_size });
        }
        let kind = match self.input {
            InputKind::Auto => input::sniff(&bytes),
            k => k,
        };
        if kind == InputKind::Html {
            return Ok(self.clean_html_bytes(&bytes));
        }
        // `decode` normalises already.
        let d = input::decode(&bytes, self.utf8, self.fix_mojibake)?;
        let mut out = self.clean_blocks(blocks::segment(&d.text), Metadata::default());
        if self.input == InputKind::Auto && input::looks_like_markup(&out.text) {
            return Ok(self.clean_html_bytes(&bytes));
        }
        out.metadata.encoding = Some(d.encoding.name().to_owned());
        out.metadata.mojibake_fixed = d.mojibake_fixed;
        Ok(out)
    }

    /// Clean text that is already a `str` (mojibake is repaired unless
    /// [`Cleaner::fix_mojibake`] is off).
    pub fn clean_text(&self, text: &str) -> Cleaned {
        let fixed = if self.fix_mojibake { input::mojibake::fix(text) } else { None };
        let (text, n) = match &fixed {
            Some((t, n)) => (t.as_str(), *n),
            None => (text, 0),
        };
        let mut out = self.clean_blocks(blocks::segment(&input::normalize_cow(text)), Metadata::default());
        out.metadata.mojibake_fixed = n;
        out
    }

    /// Clean an HTML page given as bytes in any charset: the page becomes
    /// blocks with DOM evidence ([`html::parse`]) and goes through the same
    /// stages as text.
    ///
    /// As trafilatura does, a poor result (under [`POOR_HTML_CHARS`]) is
    /// checked against a fallback: the whole page without a main container,
    /// reduced to prose runs as jusText would ([`classify::dom::prose_runs`]).
    /// The fallback wins when it holds [`FALLBACK_GAIN`] times the text: the
    /// container vote went to a small box with a good class name, or
    /// everything in it was furniture.
    ///
    /// Mojibake is repaired in the decoded page before it is parsed (markup
    /// is ASCII, so only text changes); junk before the doctype and a
    /// garbled doctype are cut ([`input::page_start`]); `metadata.encoding`
    /// names the charset.
    pub fn clean_html_bytes(&self, bytes: &[u8]) -> Cleaned {
        let (text, enc) = match input::utf16(bytes) {
            // UTF-16 without a BOM is valid UTF-8 (NULs and ASCII) to the
            // charset reader.
            Some((enc, body)) => (enc.decode_without_bom_handling(body).0, enc),
            None => {
                let (text, enc, _) = html::charset::decode(bytes);
                (text, enc)
            }
        };
        let fixed = if self.fix_mojibake { input::mojibake::fix(&text) } else { None };
        let (page_text, n) = match &fixed {
            Some((t, n)) => (t.as_str(), *n),
            None => (&*text, 0),
        };
        let walked = html::walk_str(&page_text[input::page_start(page_text)..]);
        let mut out = self.clean_walked(&walked);
        out.metadata.encoding = Some(enc.name().to_owned());
        out.metadata.mojibake_fixed += n;
        out
    }

    fn clean_walked(&self, walked: &html::Walked) -> Cleaned {
        let mut page = walked.page();
        let fixed = self.fix_blocks(&mut page.blocks);
        let mut main = self.clean_blocks(page.blocks, page.metadata);
        main.metadata.mojibake_fixed += fixed;
        let main_chars = main.text.chars().count();
        if main_chars >= POOR_HTML_CHARS {
            return main;
        }
        let mut whole = walked.whole_page();
        let fixed = self.fix_blocks(&mut whole.blocks);
        let mut fallback = self.run(whole.blocks, whole.metadata, true);
        fallback.metadata.mojibake_fixed += fixed;
        if fallback.text.chars().count() > FALLBACK_GAIN * main_chars {
            fallback
        } else {
            main
        }
    }

    /// Mojibake that character references made (`&Atilde;&copy;`), which
    /// the repair of the page source before parsing cannot see.
    fn fix_blocks(&self, blocks: &mut [Block]) -> usize {
        if !self.fix_mojibake {
            return 0;
        }
        let mut n = 0;
        for b in blocks {
            if let Some((text, k)) = input::mojibake::fix(&b.text) {
                b.text = text;
                n += k;
            }
        }
        n
    }

    /// Run stages 3–5 on blocks made by [`blocks::segment`] or the HTML stage.
    pub fn clean_blocks(&self, blocks: Vec<Block>, meta: Metadata) -> Cleaned {
        self.run(blocks, meta, false)
    }

    fn run(&self, blocks: Vec<Block>, meta: Metadata, prose_only: bool) -> Cleaned {
        let view = if blocks.first().is_some_and(|b| b.dom.is_some()) { View::Html } else { View::Text };
        let mut p = self.prepare(blocks, meta, prose_only);
        let decisions = match self.model(view) {
            Some(m) => model::pass(m, &p.blocks, &p.feats, &mut p.verdicts, self.report),
            None => Vec::new(),
        };
        let mut out = output::assemble(p.blocks, p.verdicts, p.trims, p.meta);
        out.decisions = decisions;
        out.attach_decisions();
        out
    }

    /// Stages 3 and 4 up to the model: features and the verdicts of the
    /// header pass, the named rules and the statistical passes. Training
    /// reads documents at this point.
    pub fn prepare(&self, mut blocks: Vec<Block>, mut meta: Metadata, prose_only: bool) -> Prepared {
        let stopwords = self.rules.stopwords();
        let (mut pre, trims) = classify::header::strip(&mut blocks, &self.rules, &mut meta);
        if let Some(site) = &self.site {
            site.mark(&blocks, &mut pre);
        }
        let words = features::scan(&blocks, stopwords);
        // The words on the page beat a template's `lang` attribute.
        let detected = lang::detect_scanned(&blocks, &words, stopwords);
        if detected.is_some() && meta.language.is_some() {
            meta.language.clone_from(&detected);
        }
        let lang = self.lang.clone().or_else(|| meta.language.clone()).or(detected);
        let lang_bit = lang.as_deref().and_then(|l| stopwords.bit(l)).map(|b| b.trailing_zeros() as usize);
        let feats = features::extract(&blocks, &words, lang_bit);
        let verdicts = classify::classify_with(&blocks, &feats, &self.rules, pre, prose_only, lang.as_deref());
        if meta.language.is_none() {
            meta.language = lang;
        }
        Prepared { blocks, feats, verdicts, trims, meta }
    }
}
