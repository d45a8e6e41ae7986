//! The model's input: a row of numbers per block, made from the block, its
//! [`Features`], the verdicts of the passes before the model, and two
//! neighbours on each side. The same function makes the rows for training
//! and for inference, so the model sees at run time exactly what it learnt
//! from.
//!
//! The features are language-free shape (length, punctuation, capitals,
//! digits, separators such as `|` `·` `»`, sentence ending, title shape,
//! repeats, position), stopword density in the document's language, which
//! rules fired (on the block and around it), and, for HTML, the DOM evidence
//! (tag, link density, main container, figure, chrome, class names).

use crate::blocks::{Block, BlockShape};
use crate::classify::dom::furniture_token;
use crate::classify::Verdict;
use crate::features::Features;

/// Per-block measurements, before the neighbours are added.
const BASE: &[&str] = &[
    "ln_words",
    "ln_chars",
    "stopwords_vs_prose",
    "terminal",
    "title_like",
    "repeats",
    "punct_share",
    "capitalised_words",
    "digit_share",
    "upper_share",
    "commas_per_word",
    "separators",
    "sentences",
    "mean_word_len",
    "lines",
    "shape",
    "opens_quote_or_dash",
    "ends_colon",
    "url_or_handle",
    "verdict",
    "verdict_kind",
    "starts_digit",
    "words_vs_longest",
    "link_density",
    "tag",
    "heading_level",
    "in_article",
    "in_main",
    "in_lead",
    "in_figure",
    "in_chrome",
    "hidden",
    "furniture_tokens",
    "path_depth",
    "comment_path",
    "class_content",
    "class_nav",
    "class_side",
    "class_related",
    "class_share",
    "class_byline",
    "class_promo",
    "class_caption",
    "class_tags",
    "class_signup",
    "main_span",
];

/// Class and id words by what they usually name. Class names are written in
/// English on most sites whatever the page's language, so these generalise
/// across languages; the model learns how much each group weighs.
const CLASS_GROUPS: &[&[&str]] = &[
    &["content", "article", "post", "entry", "story", "body", "text", "main", "prose", "richtext"],
    &["nav", "menu", "breadcrumb", "header", "footer", "masthead", "toolbar", "skip"],
    &["sidebar", "aside", "widget", "rail", "column"],
    &["related", "recommend", "more", "teaser", "trending", "popular", "latest", "next", "card", "list"],
    &["share", "social", "sharing", "follow", "print", "email"],
    &["author", "byline", "bio", "meta", "date", "time", "dateline", "profile"],
    &["ad", "ads", "advert", "promo", "sponsor", "banner", "partner", "commercial", "affiliate"],
    &["caption", "figure", "credit", "photo", "image", "gallery", "media", "video"],
    &["tag", "tags", "category", "categories", "topic", "topics", "label", "keywords"],
    &["newsletter", "subscribe", "signup", "cookie", "consent", "paywall", "login", "register", "cta"],
];

/// The first DOM column of [`BASE`] (`link_density`): text input has -1 there.
const DOM_FIRST: usize = 23;

/// What a neighbour contributes (its index in [`BASE`]).
const NEIGHBOUR: &[usize] = &[0, 2, 3, 4, 13, 19, 20, 23, 24, 27];
/// Neighbour offsets.
const OFFSETS: &[isize] = &[-2, -1, 1, 2];
/// How far a row reads the [`BASE`] columns of other blocks (`ln_words[±3]`).
const READ_AROUND: usize = 3;
/// Document-level and run features.
const DOC: &[&str] = &[
    "ln_blocks",
    "story_words_before",
    "share_of_words",
    "ln_dist_prose_before",
    "ln_dist_prose_after",
    "dropped_within_3",
    "story_words_after",
    "prose_blocks_before",
    "prose_blocks_after",
    "ln_words[-3]",
    "ln_words[+3]",
    "same_shape_run",
];

/// The names of the row's columns, in order.
pub fn names() -> Vec<String> {
    let mut v: Vec<String> = BASE.iter().map(|s| s.to_string()).collect();
    for o in OFFSETS {
        for &i in NEIGHBOUR {
            v.push(format!("{}[{o:+}]", BASE[i]));
        }
    }
    v.extend(DOC.iter().map(|s| s.to_string()));
    v
}

/// The width of a row.
pub fn width() -> usize {
    BASE.len() + OFFSETS.len() * NEIGHBOUR.len() + DOC.len()
}

fn kind_code(v: &Verdict) -> (f32, f32) {
    match v {
        Verdict::Keep { .. } => (0.0, 0.0),
        Verdict::Drop { kind, .. } => {
            let code = match *kind {
                "ad" => 1.0,
                "caption" => 2.0,
                "related" => 3.0,
                "timestamp" => 4.0,
                "footer" => 5.0,
                "metadata" => 6.0,
                "profile" => 7.0,
                "dom" => 8.0,
                "context" => 9.0,
                _ => 10.0,
            };
            (if code >= 8.0 { 2.0 } else { 1.0 }, code)
        }
    }
}

fn tag_code(tag: &str) -> f32 {
    match tag {
        "p" => 1.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => 2.0,
        "li" => 3.0,
        "div" => 4.0,
        "td" | "th" => 5.0,
        "blockquote" => 6.0,
        "pre" => 7.0,
        "figcaption" => 8.0,
        "dd" | "dt" => 9.0,
        "span" | "a" | "strong" | "em" | "b" => 10.0,
        _ => 11.0,
    }
}

/// `ln(1 + x)` for the counts the rows hold: from a table below 1024 (the
/// same values `ln_1p` gives; it is a quarter of a row's cost otherwise).
#[inline]
fn ln1(x: usize) -> f32 {
    static TABLE: std::sync::OnceLock<Vec<f32>> = std::sync::OnceLock::new();
    let t = TABLE.get_or_init(|| (0..1024).map(|i| (i as f32).ln_1p()).collect());
    match t.get(x) {
        Some(&v) => v,
        None => (x as f32).ln_1p(),
    }
}

/// What the document tells about one block.
struct Doc {
    longest: usize,
    /// Mean stopword density of the document's long blocks: stopword lists
    /// differ in length from language to language, so a block's density is
    /// read against its own document's prose.
    prose_stopwords: f32,
}

/// Fills a row front to back.
struct Put<'a> {
    row: &'a mut [f32],
    k: usize,
}

impl Put<'_> {
    #[inline]
    fn put(&mut self, v: f32) {
        self.row[self.k] = v;
        self.k += 1;
    }
}

/// An `@`, a `#`, `http` or `www.` in the text. The searchers are built
/// once: `str::contains` sets one up per call, which cost more than the
/// search on a short block.
fn url_or_handle(text: &str) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    static HTTP: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("http"));
    static WWW: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("www."));
    let b = text.as_bytes();
    memchr::memchr2(b'@', b'#', b).is_some() || HTTP.find(b).is_some() || WWW.find(b).is_some()
}

/// Write the [`BASE`] columns of block `i` into `row`.
fn base(row: &mut [f32], b: &Block, f: &Features, v: &Verdict, doc: &Doc) {
    let longest = doc.longest;
    let text = b.text.as_str();
    let c = &f.shape;
    let words = f.words.max(1) as f32;
    let first = text.chars().next().unwrap_or(' ');
    let (verdict, kind) = kind_code(v);
    let chars = f.chars.max(1) as f32;
    let mut p = Put { row, k: 0 };
    for v in [
        ln1(f.words),
        ln1(f.chars),
        f.stopword_density / doc.prose_stopwords,
        f.terminal as u8 as f32,
        f.title_like as u8 as f32,
        f.repeats.min(5) as f32,
        c.punct as f32 / chars,
        c.capitalised as f32 / words,
        c.digits as f32 / chars,
        c.upper as f32 / c.letters.max(1) as f32,
        c.commas as f32 / words,
        c.separators.min(20) as f32,
        c.sentences.min(50) as f32,
        c.letters as f32 / words,
        c.lines.min(50) as f32,
        match b.shape {
            BlockShape::Paragraph => 0.0,
            BlockShape::List => 1.0,
            BlockShape::Heading => 2.0,
        },
        matches!(first, '-' | '–' | '—' | '"' | '“' | '„' | '«' | '»' | '\'') as u8 as f32,
        text.trim_end().ends_with(':') as u8 as f32,
        url_or_handle(text) as u8 as f32,
        verdict,
        kind,
        first.is_numeric() as u8 as f32,
        f.words as f32 / longest.max(1) as f32,
    ] {
        p.put(v);
    }
    match &b.dom {
        None => {
            for _ in 0..12 + CLASS_GROUPS.len() {
                p.put(-1.0);
            }
        }
        Some(d) => {
            let furniture = d.path_tokens.nearest_first().filter(|t| furniture_token(t)).count();
            for v in [
                d.link_density,
                tag_code(&d.tag),
                d.heading_level as f32,
                d.in_article as u8 as f32,
                d.in_main as u8 as f32,
                d.in_lead as u8 as f32,
                d.in_figure as u8 as f32,
                d.in_chrome as u8 as f32,
                d.hidden as u8 as f32,
                furniture.min(20) as f32,
                d.path_tokens.len().min(50) as f32,
                d.path_tokens.nearest_first().any(|t| t.contains("comment")) as u8 as f32,
            ] {
                p.put(v);
            }
            for group in CLASS_GROUPS {
                let hits = d
                    .path_tokens
                    .nearest_first()
                    .filter(|t| t.split(|c: char| !c.is_ascii_alphanumeric()).any(|part| group.contains(&part)))
                    .count();
                p.put(hits.min(10) as f32);
            }
        }
    }
    // Filled in by `rows`, which sees the whole page.
    p.put(-1.0);
    debug_assert_eq!(p.k, BASE.len());
}

/// A story paragraph for the distance features: long and ending like a sentence.
fn prose(f: &Features) -> bool {
    f.words >= 25 && f.terminal
}

/// The rows of every block of a document, row-major, [`width`] columns.
pub fn rows(blocks: &[Block], feats: &[Features], verdicts: &[Verdict]) -> Vec<f32> {
    let rows = Rows::new(blocks, feats, verdicts, |_| true);
    let mut out = Vec::with_capacity(blocks.len() * width());
    for i in 0..blocks.len() {
        rows.row_into(i, &mut out);
    }
    out
}

/// A document's rows, made one at a time: the [`BASE`] columns of every
/// block (its neighbours' rows read them) and the document's running counts
/// are worked out once, and [`Rows::row_into`] puts one block's row
/// together. The model pass asks only for the blocks it may drop (most
/// blocks of a story it may not), and only their neighbourhoods' columns
/// are made.
pub struct Rows<'a> {
    feats: &'a [Features],
    /// Each block's verdict before the model: kept or not.
    kept: Vec<bool>,
    bases: Vec<f32>,
    /// [`NEIGHBOUR`] columns of a block past the document's edge.
    edge: Vec<f32>,
    prose_before: Vec<usize>,
    story_before: Vec<usize>,
    dist_before: Vec<usize>,
    dist_after: Vec<usize>,
    /// Blocks of the same shape in a row (a run of teaser titles, a list of
    /// links), counted through each block.
    run: Vec<usize>,
    total_words: usize,
}

impl<'a> Rows<'a> {
    /// `wanted(i)`: whether [`Rows::row_into`] may be asked for block `i`'s
    /// row; the [`BASE`] columns are made for those blocks and the blocks
    /// their rows read (three on each side).
    pub fn new(blocks: &[Block], feats: &'a [Features], verdicts: &[Verdict], wanted: impl Fn(usize) -> bool) -> Self {
        let n = blocks.len();
        let longest = feats.iter().map(|f| f.words).max().unwrap_or(0);
        let (mut sw, mut words) = (0.0f32, 0usize);
        for f in feats.iter().filter(|f| f.words >= 15) {
            sw += f.stopword_density * f.words as f32;
            words += f.words;
        }
        let prose_stopwords = if words > 0 { (sw / words as f32).max(0.05) } else { 0.3 };
        let doc = Doc { longest, prose_stopwords };
        let nb = BASE.len();
        // Within reach of a wanted row: one wanted among the three on each side.
        let mut near = vec![false; n];
        for i in (0..n).filter(|&i| wanted(i)) {
            near[i.saturating_sub(READ_AROUND)..(i + READ_AROUND + 1).min(n)].fill(true);
        }
        let mut bases = vec![0.0f32; n * nb];
        for (i, row) in bases.chunks_exact_mut(nb).enumerate().filter(|(i, _)| near[*i]) {
            base(row, &blocks[i], &feats[i], &verdicts[i], &doc);
        }
        // Where the block sits against the main container: 0 before its first
        // block, 1 inside its span, 2 after (HTML only).
        let in_main = |b: &Block| b.dom.as_ref().is_some_and(|d| d.in_main);
        if let (Some(first), Some(last)) = (blocks.iter().position(in_main), blocks.iter().rposition(in_main)) {
            let span = BASE.len() - 1;
            for (i, row) in bases.chunks_exact_mut(nb).enumerate() {
                row[span] = if i < first {
                    0.0
                } else if i <= last {
                    1.0
                } else {
                    2.0
                };
            }
        }
        let mut prose_before = vec![0usize; n + 1];
        for i in 0..n {
            prose_before[i + 1] = prose_before[i] + prose(&feats[i]) as usize;
        }
        let shape_of = |i: usize| (feats[i].title_like, feats[i].terminal, feats[i].words.min(40) / 8);
        let mut run = vec![1usize; n];
        for i in 1..n {
            if shape_of(i) == shape_of(i - 1) {
                run[i] = run[i - 1] + 1;
            }
        }
        for i in (0..n.saturating_sub(1)).rev() {
            if shape_of(i) == shape_of(i + 1) {
                run[i] = run[i].max(run[i + 1]);
            }
        }
        let total_words: usize = feats.iter().map(|f| f.words).sum::<usize>().max(1);
        let mut story_before = vec![0usize; n + 1];
        for i in 0..n {
            let story = verdicts[i].is_keep() && prose(&feats[i]);
            story_before[i + 1] = story_before[i] + if story { feats[i].words } else { 0 };
        }
        let mut last_prose: Option<usize> = None;
        let mut dist_before = vec![usize::MAX; n];
        for i in 0..n {
            if let Some(p) = last_prose {
                dist_before[i] = i - p;
            }
            if prose(&feats[i]) {
                last_prose = Some(i);
            }
        }
        let mut next_prose: Option<usize> = None;
        let mut dist_after = vec![usize::MAX; n];
        for i in (0..n).rev() {
            if let Some(p) = next_prose {
                dist_after[i] = p - i;
            }
            if prose(&feats[i]) {
                next_prose = Some(i);
            }
        }
        // Past the edge is an empty kept block: where a text starts says
        // nothing of its first block (scrapers start anywhere).
        let html = blocks.iter().any(|b| b.dom.is_some());
        let edge = NEIGHBOUR.iter().map(|&k| if k >= DOM_FIRST && !html { -1.0 } else { 0.0 }).collect();
        let kept = verdicts.iter().map(Verdict::is_keep).collect();
        Rows { feats, kept, bases, edge, prose_before, story_before, dist_before, dist_after, run, total_words }
    }

    /// Append the row of block `i` ([`width`] columns) to `out`.
    pub fn row_into(&self, i: usize, out: &mut Vec<f32>) {
        let (n, nb, bases) = (self.feats.len(), BASE.len(), &self.bases);
        let (story_before, prose_before, total_words) = (&self.story_before, &self.prose_before, self.total_words);
        out.extend_from_slice(&bases[i * nb..(i + 1) * nb]);
        for &o in OFFSETS {
            let j = i as isize + o;
            if j < 0 || j >= n as isize {
                out.extend_from_slice(&self.edge);
            } else {
                let row = &bases[j as usize * nb..(j as usize + 1) * nb];
                out.extend(NEIGHBOUR.iter().map(|&k| row[k]));
            }
        }
        let dropped = (i.saturating_sub(3)..(i + 4).min(n)).filter(|&j| j != i && !self.kept[j]).count();
        let dist = |d: usize| if d == usize::MAX { 10.0 } else { ln1(d) };
        out.extend([
            ln1(n),
            story_before[i] as f32 / total_words as f32,
            self.feats[i].words as f32 / total_words as f32,
            dist(self.dist_before[i]),
            dist(self.dist_after[i]),
            dropped as f32,
            (story_before[n] - story_before[i + 1]) as f32 / total_words as f32,
            ln1(prose_before[i]),
            ln1(prose_before[n] - prose_before[i + 1]),
            if i >= 3 { bases[(i - 3) * nb] } else { 0.0 },
            if i + 3 < n { bases[(i + 3) * nb] } else { 0.0 },
            self.run[i].min(20) as f32,
        ]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    #[test]
    fn byte_counts_equal_char_counts() {
        let rules = RuleSet::builtin();
        for t in ["Ærø's 2 «bröd»—café, x\u{00A0}y 3.5 ½ naïve.\nNext | line! E\u{301}", "", " \t\x0b\x0c\r.", "ÀB. Cd"]
        {
            let block = Block { text: t.to_string(), ..crate::blocks::segment("x").remove(0) };
            let scan = crate::features::scan(std::slice::from_ref(&block), rules.stopwords());
            let c = crate::features::extract(std::slice::from_ref(&block), &scan, None)[0].shape;
            assert_eq!(c.chars, t.chars().count());
            let letters = t.chars().filter(|c| c.is_alphabetic()).count();
            let upper = t.chars().filter(|c| c.is_alphabetic() && c.is_uppercase()).count();
            let digits = t.chars().filter(|c| !c.is_alphabetic() && c.is_numeric()).count();
            let punct = t.chars().filter(|c| !c.is_alphanumeric() && !c.is_whitespace()).count();
            let caps = crate::features::words(t).filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
            assert_eq!(
                (c.letters, c.upper, c.digits, c.punct, c.capitalised),
                (letters, upper, digits, punct, caps),
                "{t:?}"
            );
            let cs: Vec<char> = t.chars().collect();
            let seps = cs.iter().filter(|c| "|·•»›>/–—".contains(**c)).count();
            let ends = (0..cs.len())
                .filter(|&i| matches!(cs[i], '.' | '!' | '?') && cs.get(i + 1).is_none_or(|c| c.is_whitespace()))
                .count();
            assert_eq!(
                (c.commas, c.separators, c.sentences, c.lines, scan.blocks[0].words),
                (t.matches(',').count(), seps, ends, 1 + t.matches('\n').count(), crate::features::words(t).count()),
                "{t:?}"
            );
        }
    }

    #[test]
    fn a_wanted_row_is_the_row_made_with_every_block() {
        let rules = RuleSet::builtin();
        let mut checked = 0;
        for text in crate::rules::fixture_texts() {
            let blocks = crate::blocks::segment(&crate::input::normalize(&text));
            let scan = crate::features::scan(&blocks, rules.stopwords());
            let feats = crate::features::extract(&blocks, &scan, None);
            let verdicts: Vec<Verdict> = (0..blocks.len())
                .map(|i| if i % 5 == 2 { Verdict::drop("x", "ad") } else { Verdict::Keep { why: "body" } })
                .collect();
            let all = rows(&blocks, &feats, &verdicts);
            let w = width();
            // Every seventh block wanted, the first and the last among them.
            let wanted = |i: usize| i % 7 == 0 || i + 1 == blocks.len();
            let some = Rows::new(&blocks, &feats, &verdicts, wanted);
            for i in (0..blocks.len()).filter(|&i| wanted(i)) {
                let mut row = Vec::new();
                some.row_into(i, &mut row);
                assert_eq!(row, all[i * w..(i + 1) * w], "block {i} of {text:.60?}");
                checked += 1;
            }
        }
        assert!(checked > 50, "{checked} rows checked");
    }

    #[test]
    fn names_match_the_width_and_rows_have_it() {
        assert_eq!(names().len(), width());
        assert_eq!(BASE[DOM_FIRST], "link_density");
        let rules = RuleSet::builtin();
        let blocks = crate::blocks::segment("A title\n\nThe story is told here, in a sentence.\n\nShare | Tweet");
        let scan = crate::features::scan(&blocks, rules.stopwords());
        let feats = crate::features::extract(&blocks, &scan, None);
        let verdicts = vec![Verdict::Keep { why: "body" }; 3];
        let r = rows(&blocks, &feats, &verdicts);
        assert_eq!(r.len(), 3 * width());
        let sep = names().iter().position(|n| n == "separators").unwrap();
        assert_eq!(r[2 * width() + sep], 1.0);
        assert_eq!(r[sep], 0.0);
    }
}
