//! The fast tokenizer (`src/html/tokenize.rs`) against html5ever's: on every
//! page it accepts, the tree (every node, attribute and text, the text no one
//! reads included) and the caps' counts must be those html5ever's tokenizer
//! gives. Checked on small pages written here, one or more per construct and
//! per reason to give a page up, on random malformed HTML, and on every page
//! of the benchmarks in `../shared/eval` (skipped when they are not there).

use newsclean::html::dom::{Data, Dom, Edge};
use newsclean::html::parse::{self, Reader};
use newsclean::html::tokenize::Bail;
use proptest::prelude::*;

#[path = "common/cases.rs"]
mod cases;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The tree as a string: every node, attributes in the tokenizer's order.
fn tree(doc: &Dom) -> String {
    let mut s = String::new();
    for e in doc.traverse(Dom::ROOT) {
        match e {
            Edge::Open(n) => match &doc.node(n).data {
                Data::Element(el) => {
                    s += &format!("<{:?}", el.name);
                    for a in &el.attrs {
                        s += &format!(" {:?}={:?}", a.name, &*a.value);
                    }
                    s += ">";
                }
                Data::Text(t) => s += &format!("[{:?}]", &**t),
                d => s += &format!("{{{d:?}}}"),
            },
            Edge::Close(n) => {
                if let Some(el) = doc.element(n) {
                    s += &format!("</{}>", el.name());
                }
            }
        }
    }
    s
}

/// `Ok(())` if the fast path gives `html` up or parses it as html5ever's
/// tokenizer does; the reason it gave up, if it did.
fn check(html: &str) -> Result<Option<Bail>, String> {
    let (slow, slow_stats) = parse::parse_with(html, Reader::Html5ever).expect("html5ever always parses");
    match parse::parse_with(html, Reader::Fast) {
        None => Ok(Some(parse::fast_bail(html).expect("gave up"))),
        Some((fast, fast_stats)) => {
            let (a, b) = (tree(&fast), tree(&slow));
            if a != b {
                let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
                let from = at.saturating_sub(200);
                return Err(format!(
                    "trees differ at byte {at}:\n fast: {}\n html5ever: {}",
                    a.get(from..(at + 200).min(a.len())).unwrap_or(&a),
                    b.get(from..(at + 200).min(b.len())).unwrap_or(&b)
                ));
            }
            if fast_stats != slow_stats {
                return Err(format!("stats differ: {fast_stats:?} vs {slow_stats:?}"));
            }
            Ok(None)
        }
    }
}

fn accepted(html: &str) {
    assert_eq!(check(html), Ok(None), "{html:?}");
}

#[test]
fn each_construct_is_read_as_html5ever_reads_it() {
    for page in [
        // Text, tags, attributes of every shape, duplicates, case.
        "<p>one<p class=x id='y' data-z=\"w\">two<br/>three</p>",
        "<DIV Class=A cLASS=b =eq a=1 b = 2 c d='x'e f=\"q\"/g>t</DIV>",
        "<p a=\"with > inside\" b='and \" this' c=un\"quo'ted<=`>x",
        "<p a=x/>self-closing-looking</p><br / ><img src=a.png alt=''/>",
        "<div\n\tclass\n=\n\"a\"\x0cid=b>white space everywhere</div>",
        "<p>a < b, c <3 d, e<>f, <1, </ p>, </>gone",
        "<p>é ß 中文 <span title=\"ünï\">ünï</span></p>",
        // Character references: named, legacy without `;`, in attributes, numeric.
        "<p>&amp; &lt;&gt; &nbsp;&copy &notit; &notin; &eacute;&Eacute &bogus; &; & &#233;&#x20AC;&#X41</p>",
        "<p>&#0; &#xD800; &#x110000; &#99999999999; &#128; &#x9F; &#x81; &#13; &#; &#x; &#xZ &amp</p>",
        "<a href='?a=1&copy=2&amp;b=3&lt&gt=&notx &not; &not'>x</a><a href=&copy &nbsp=1 t=&amp>y</a>",
        "<p>&acE; &NotEqualTilde; &fjlig; two characters</p>",
        // Line ends.
        "<p>a\r\nb\rc\n\r</p>\r\n<pre>\r\nx</pre><textarea>\r\n\r\nt</textarea>",
        "<pre>\nkept\n</pre><pre>\n\nsecond</pre><listing>\nl</listing>",
        // Comments, bogus comments, CDATA.
        "<!-- c --><p>a<!---->b<!-- a -- b --->c<!--<!-- nested -->d<!-->e<!--->f</p>",
        "<?xml version='1.0'?><!bogus><p>x</p></ bogus><svg><![CDATA[<in>]]]></svg><p><![CDATA[x]]>",
        // Doctypes.
        "<!DOCTYPE html><p>standards",
        "<!doctype HTML ><table><p>in table",
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\"><p><table>",
        "<!DOCTYPE HTML PUBLIC '-//W3C//DTD HTML 4.01 Transitional//EN'><p><table>quirks",
        "<!DOCTYPE html SYSTEM \"about:legacy-compat\"><p>x",
        "<p>no doctype: quirks<table><tr><td>x</table>",
        // Raw text, RCDATA, script escapes; the tree builder's answers.
        "<title>a &amp; <b>b</b></title><style>p > a { }</style></stylex></style><textarea><p>&lt;t</textarea>",
        "<script>if (a < b && c > d) x = '</p>';</script><script>a<!--b<script>c</script>d-->e</script>x",
        "<script><!--</script><p>after</p><script><!--<script>--></script><p>out",
        "<noscript><p>n</p></noscript><iframe><p>i</iframe><xmp><b>x</xmp><noembed>e</noembed><noframes>f</noframes>",
        "<svg><title>svg title <b>bold</b></title><style>s</style></svg><math><mi>x</mi></math>",
        "<script type=application/ld+json>{\"a\": \"<b>\"}</script><title>T</TITLE ><p>",
        "<script>x</script>\u{feff}<p>after a byte-order mark</p><script>y</script ><p>z",
        "<TITLE>t</title a=b><textarea>t</textarea/><p>",
        // Tree builder's own repairs: tables, formatting, foster parenting.
        "<table>text<tr><td>x</td>more</tr></table><b><i>bi</b>i</i><p>1<p>2",
        "<table> <tr> <td>x</td> </tr> </table><select> <option>o</select>",
        "<frameset><frame></frameset>",
        "\n \t<html> <head> <title>t</title> </head> <body> x </body> </html> ",
        // Names past ASCII, references that stop short, case.
        "<p\u{e9} data-\u{c9}=1>x</P\u{c9}><SCRIPT>a</SCRIPT><Style>b</STYLE >",
        "<p>&ampx &amp;x &AMP; &Amp; &lt&gt &LT</p><a title='&notin' b='&not;in' c=&notit d='&amp'>x</a>",
        "<img src=x alt=a/b/><input value=\"a\"b=c><p/x>y",
        "<!DOCTYPE html SYSTEM 'about:legacy-compat' ><svg><![CDATA[a]]b]]></svg>",
        "<table><tr><td>a</td></tr>\n</table><table>\n<caption>c</caption>x</table>",
        "",
        "just text",
    ] {
        accepted(page);
    }
}

#[test]
fn what_it_does_not_read_goes_through_html5ever() {
    let wide: String = (0..300).map(|i| format!(" a{i}=v")).collect();
    for (page, why) in [
        ("<p>a\0b</p>".to_owned(), Bail::Nul),
        ("<p>x<!-- y --!>z".to_owned(), Bail::Comment),
        ("<!DOCTYPE><p>".to_owned(), Bail::Doctype),
        ("<!DOCTYPEhtml><p>".to_owned(), Bail::Doctype),
        ("<!DOCTYPE html PUBLIC \"a>b\"><p>".to_owned(), Bail::Doctype),
        ("<!DOCTYPE html BOGUS><p>".to_owned(), Bail::Doctype),
        ("<p>x<b class=".to_owned(), Bail::Eof),
        ("<p>x<!-- y".to_owned(), Bail::Eof),
        ("<script>x".to_owned(), Bail::Eof),
        ("<p>x<".to_owned(), Bail::Eof),
        (format!("<p{wide}>x"), Bail::WideTag),
        ("<p><plaintext><b>x".to_owned(), Bail::Sink),
    ] {
        assert_eq!(check(&page), Ok(Some(why)), "{page}");
        // The page is parsed all the same (by html5ever's tokenizer).
        assert!(parse::parse_document(&page).len() > 1, "{page}");
    }
}

#[test]
fn the_caps_hold_on_the_fast_path() {
    // Depth and formatting caps live in the sink, after either tokenizer.
    let deep = format!("{}x{}", "<div>".repeat(3000), "</div>".repeat(3000));
    let fmt: String = (0..3000).map(|i| format!("<b id={i}>w{i} ")).collect();
    for page in [deep, fmt] {
        accepted(&page);
    }
}

/// Pieces of malformed HTML, glued at random.
const PIECES: &[&str] = &[
    "<p>",
    "</p>",
    "<div class=a>",
    "</div>",
    "<b>",
    "</b>",
    "<i id='x'>",
    "<table>",
    "<tr>",
    "<td>",
    "</table>",
    "<pre>",
    "\n",
    "\r\n",
    "\r",
    " ",
    "text",
    "é",
    "<",
    ">",
    "</",
    "&",
    "&amp;",
    "&amp",
    "&not",
    "&notin;",
    "&#",
    "&#x41;",
    "&#128",
    "&#0;",
    ";",
    "=",
    "\"",
    "'",
    "`",
    "/",
    "<!--",
    "-->",
    "--!>",
    "<!",
    "<?",
    "<![CDATA[",
    "]]>",
    "<svg>",
    "</svg>",
    "<math>",
    "<script>",
    "</script>",
    "<!--<script>",
    "<style>",
    "</style>",
    "<title>",
    "</title>",
    "<textarea>",
    "</textarea>",
    "<select>",
    "<option>",
    "<template>",
    "</template>",
    "<frameset>",
    "<!DOCTYPE html>",
    "<!doctype html public 'x' 'y'>",
    "<html>",
    "<head>",
    "<body>",
    "</body>",
    "a=b",
    " c ",
    "<a href=x&y>",
    "</a>",
    "<br/>",
    "<img src=x>",
    "\u{feff}",
    "<noscript>",
    "</noscript>",
    "<li>",
    "<ul>",
    "<form>",
    "</form>",
    "<h1>",
    "</h1>",
    "<font size=1>",
    "<nobr>",
    "<xmp>",
    "</xmp>",
    "\t",
];

proptest! {
    #![proptest_config(cases::cases(3000))]

    #[test]
    fn random_malformed_html_is_given_up_or_read_as_html5ever_reads_it(
        ps in prop::collection::vec(prop::sample::select(PIECES), 0..40)
    ) {
        let page = ps.concat();
        prop_assert_eq!(check(&page).map(|_| ()), Ok(()), "{:?}", page);
    }
}

#[test]
fn random_pages_are_often_taken_by_the_fast_path() {
    // The property above holds whether the fast path takes a page or not:
    // here a fixed sample of the same pages shows it takes enough of them
    // for the comparison to mean something.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let (n, mut taken) = (1000, 0);
    for _ in 0..n {
        let len = next() % 40;
        let page: String = (0..len).map(|_| PIECES[(next() % PIECES.len() as u64) as usize]).collect();
        match check(&page) {
            Ok(None) => taken += 1,
            Ok(Some(_)) => {}
            Err(e) => panic!("{page:?}: {e}"),
        }
    }
    eprintln!("{taken} of {n} random pages taken by the fast path");
    assert!(taken * 4 > n, "{taken} of {n}");
}

fn pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            pages(&p, out);
        } else if p.extension().is_some_and(|x| x == "html" || x == "htm" || x == "gz") {
            out.push(p);
        }
    }
}

#[test]
fn every_benchmark_page_is_given_up_or_read_as_html5ever_reads_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared/eval");
    if !shared.is_dir() {
        eprintln!("skipping: {} not found (benchmarks live in ../shared beside the checkout)", shared.display());
        return;
    }
    let mut files = Vec::new();
    for d in ["scrapinghub-aeb/html", "wcxb-dev/html", "trafilatura-eval/eval", "readability-testpages"] {
        pages(&shared.join(d), &mut files);
    }
    pages(&root.join("tests/fixtures/html"), &mut files);
    files.retain(|p| !p.to_string_lossy().contains("expected"));
    files.sort();
    let (mut taken, mut bails) = (0, std::collections::BTreeMap::<String, usize>::new());
    let mut wrong = Vec::new();
    for f in &files {
        let mut raw = std::fs::read(f).unwrap();
        if f.extension().is_some_and(|x| x == "gz") {
            let mut d = Vec::new();
            flate2::read::GzDecoder::new(&raw[..]).read_to_end(&mut d).unwrap();
            raw = d;
        }
        let page = newsclean::html::charset::decode(&raw).0.into_owned();
        match check(&page) {
            Ok(None) => taken += 1,
            Ok(Some(b)) => *bails.entry(format!("{b:?}")).or_default() += 1,
            Err(e) => wrong.push(format!("{}: {e}", f.display())),
        }
    }
    eprintln!("{} pages: {taken} read by the fast tokenizer, given up: {bails:?}", files.len());
    assert!(wrong.is_empty(), "{} pages differ:\n{}", wrong.len(), wrong.join("\n"));
    assert!(taken * 100 > files.len() * 95, "only {taken} of {} pages taken", files.len());
}
