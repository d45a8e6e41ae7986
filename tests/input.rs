//! Input end to end: HTML detected after leading junk (and never printed as
//! text), legacy encodings decoded, mojibake repaired, gzip and Zstandard
//! read transparently. Fixtures in `tests/fixtures/input` were written for
//! this repository: `*.txt` in Latin-1, Windows-1252 or mojibake, each with
//! its `*.expected` UTF-8 text.

use assert_cmd::Command;
use newsclean::input::{self, InputKind, Utf8Mode};
use newsclean::Cleaner;
use predicates::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

fn newsclean() -> Command {
    let mut c = Command::cargo_bin("newsclean").unwrap();
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/input")
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn zstd(data: &[u8]) -> Vec<u8> {
    zstd::stream::encode_all(data, 3).unwrap()
}

const STORY: &str =
    "The harbour authority will dredge the northern channel this summer so that larger ferries can dock.";
const STORY2: &str =
    "Fishermen say the work should have started years ago, when the first sandbanks appeared near the pier.";

/// A page in the shape crawlers store, after `prefix`.
fn page(prefix: &str) -> String {
    format!(
        "{prefix}<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Channel</title>\
         <link rel=\"stylesheet\" href=\"/s.css\"></head>\n<body><nav><a href=\"/\">Home</a> <a href=\"/news\">News</a></nav>\
         <article><h1>Dredging to start</h1><p>{STORY}</p><p>{STORY2}</p></article>\
         <footer><p>Copyright The Coast Paper</p></footer></body></html>\n"
    )
}

// ---- 1. HTML detection ------------------------------------------------------

/// Every junk shape before a page, and the page with a garbled doctype.
fn junk_pages() -> Vec<(&'static str, Vec<u8>)> {
    let mut v: Vec<(&'static str, Vec<u8>)> = vec![
        ("text wrapper", page("<text id=\"crawl-0042\" url=\"https://coast.example/a\">\n").into_bytes()),
        ("stray ?", page("?").into_bytes()),
        ("junk line", page("HTTP/1.1 200 OK\n\n").into_bytes()),
        ("double BOM", page("\u{EF}\u{BB}\u{BF}").into_bytes()),
        ("BOM", page("\u{FEFF}").into_bytes()),
        ("server warning", page("<br />\n<b>Notice</b>: Undefined index in <b>/srv/x.php</b><br />\n").into_bytes()),
    ];
    for garbled in ["<!DOCTYP html>", "< !doctype html>", "<!doctype HTML>", "<!DocType html>", "<! DOCTYPE html>"] {
        v.push(("garbled doctype", page("?").replace("<!DOCTYPE html>", garbled).into_bytes()));
    }
    // Without any doctype or <html>: a fragment after junk.
    v.push((
        "fragment",
        format!(
            "]]>\n<div class=\"story\"><h1>Dredging</h1><p>{STORY}</p><p>{STORY2}</p><a href=\"/more\">More</a></div>"
        )
        .into_bytes(),
    ));
    let mut le = vec![0xFF, 0xFE];
    le.extend(page("").encode_utf16().flat_map(u16::to_le_bytes));
    v.push(("UTF-16LE BOM", le));
    let mut be = vec![0xFE, 0xFF];
    be.extend(page("").encode_utf16().flat_map(u16::to_be_bytes));
    v.push(("UTF-16BE BOM", be));
    v.push(("UTF-16LE without BOM", page("").encode_utf16().flat_map(u16::to_le_bytes).collect()));
    v
}

#[test]
fn pages_after_leading_junk_are_html_and_come_out_as_text() {
    let cleaner = Cleaner::new();
    for (shape, bytes) in junk_pages() {
        assert_eq!(input::sniff(&bytes), InputKind::Html, "{shape}");
        let out = cleaner.clean_bytes(&bytes).unwrap_or_else(|e| panic!("{shape}: {e}"));
        assert!(out.text.contains(STORY) && out.text.contains(STORY2), "{shape}: {}", out.text);
        assert!(!out.text.contains('<') && !out.text.contains("ï»¿"), "{shape}: {}", out.text);
    }
}

#[test]
fn text_that_mentions_tags_stays_text() {
    for text in [
        "Use the <b> tag for bold and <i> for italics; the <p> tag makes a paragraph.",
        "The <html> element wraps a page. Our reporter explains why <div> soup is slow to load.",
        "Readers wrote in: <a href> links in the comments were removed, said the editor.\n\nThe rest stays.",
        "Use <html> first.\nThen <head> and <body>, our tutorial says.",
    ] {
        assert_eq!(input::sniff(text.as_bytes()), InputKind::Text, "{text}");
        let out = Cleaner::new().clean_bytes(text.as_bytes()).unwrap();
        // Kept as text, tags and all: nothing of the article lost.
        assert!(out.text.contains("<b>") || out.text.contains("<html>") || out.text.contains("<a href>"), "{text}");
    }
}

#[test]
fn the_markup_guard_re_reads_a_page_that_detection_missed() {
    // Prose first and markup after it: not sniffed as HTML (a long prose
    // line and no doctype), but what the text reader keeps is mostly tags.
    let mut doc =
        String::from("Archived copy of the page follows, as fetched by the crawler at 06:00 this morning.\n\n");
    for _ in 0..40 {
        doc.push_str("<div class=\"row\"><span class=\"cell\"><a href=\"/x\">x</a></span></div>\n");
    }
    doc.push_str(&format!("<div><p>{STORY}</p><p>{STORY2}</p></div>\n"));
    assert!(input::looks_like_markup(&doc));
    let out = Cleaner::new().clean_bytes(doc.as_bytes()).unwrap();
    assert!(out.text.contains(STORY), "{}", out.text);
    assert!(!input::looks_like_markup(&out.text) && !out.text.contains("<div"), "{}", out.text);
    // Forced text stays text: the user asked for it.
    let forced = Cleaner::new().input_kind(InputKind::Text).clean_bytes(doc.as_bytes()).unwrap();
    assert!(forced.text.contains("<div"));
    assert!(!input::looks_like_markup(&format!("{STORY}\n\n{STORY2} The <b> tag is bold.")));
}

#[test]
fn cli_cleans_junk_prefixed_pages_as_html() {
    let d = tempfile::tempdir().unwrap();
    for (i, (_, bytes)) in junk_pages().into_iter().enumerate() {
        std::fs::write(d.path().join(format!("p{i:02}.html")), bytes).unwrap();
    }
    let out = newsclean().arg(d.path()).arg("--no-filename").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches(STORY).count(), junk_pages().len(), "{out}");
    assert!(!out.contains('<'), "{out}");
}

// ---- 2. Encodings -----------------------------------------------------------

fn fixture_pairs(filter: &str) -> Vec<(PathBuf, String)> {
    let mut v: Vec<(PathBuf, String)> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt") && p.to_string_lossy().contains(filter))
        .map(|p| {
            let expected = std::fs::read_to_string(p.with_extension("expected")).unwrap();
            (p, expected)
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no fixtures for {filter}");
    v
}

#[test]
fn latin1_and_cp1252_text_is_decoded_and_named() {
    let pairs: Vec<_> =
        fixture_pairs("_").into_iter().filter(|(p, _)| !p.to_string_lossy().contains("mojibake")).collect();
    assert!(pairs.len() >= 6);
    for (path, expected) in pairs {
        let bytes = std::fs::read(&path).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err(), "{}: fixture should not be UTF-8", path.display());
        let d = input::decode(&bytes, Utf8Mode::Detect, true).unwrap();
        assert_eq!(d.text, expected, "{}", path.display());
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252, "{}", path.display());
        let out = Cleaner::new().clean_bytes(&bytes).unwrap();
        assert_eq!(out.metadata.encoding.as_deref(), Some("windows-1252"));
        assert_eq!(out.paragraphs.len(), 2, "{}: {:?}", path.display(), out.paragraphs);
        assert!(expected.contains(&out.paragraphs[1]));
        // Strict refuses, naming the offset; lossy replaces.
        assert!(matches!(input::decode(&bytes, Utf8Mode::Strict, true), Err(newsclean::Error::InvalidUtf8 { .. })));
        assert!(input::decode(&bytes, Utf8Mode::Lossy, true).unwrap().text.contains('\u{FFFD}'));
    }
}

#[test]
fn utf8_text_and_utf16_without_bom_are_named() {
    let out = Cleaner::new().clean_bytes(format!("{STORY}\n\n{STORY2}\n").as_bytes()).unwrap();
    assert_eq!(out.metadata.encoding.as_deref(), Some("UTF-8"));
    let utf16: Vec<u8> = format!("{STORY} Ærø.\n").encode_utf16().flat_map(u16::to_le_bytes).collect();
    let out = Cleaner::new().clean_bytes(&utf16).unwrap();
    assert_eq!(out.metadata.encoding.as_deref(), Some("UTF-16LE"));
    assert!(out.text.contains("Ærø."));
    // A binary file is still binary.
    assert!(matches!(
        Cleaner::new().clean_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        Err(newsclean::Error::Binary { .. })
    ));
}

#[test]
fn cli_detects_refuses_with_strict_or_replaces_with_lossy() {
    let path = fixtures().join("fr_cp1252.txt");
    let expected = std::fs::read_to_string(fixtures().join("fr_cp1252.expected")).unwrap();
    let out = newsclean().arg(&path).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("rénovation du marché couvert, fermé depuis l’été dernier"), "{out}");
    assert!(expected.starts_with(out.lines().next().unwrap()));
    newsclean()
        .arg(&path)
        .arg("--strict-utf8")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fr_cp1252.txt").and(predicate::str::contains("invalid UTF-8 at byte")))
        .stdout("");
    newsclean().arg(&path).arg("--lossy").assert().success().stdout(predicate::str::contains("r\u{FFFD}novation"));
    newsclean().arg(&path).args(["--lossy", "--strict-utf8"]).assert().code(2);
    let json = newsclean().arg(&path).args(["--format", "json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert_eq!(v["metadata"]["encoding"], "windows-1252");
}

#[test]
fn html_encoding_is_reported() {
    let page =
        b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>Caf\xe9 cr\xe8me on the pier.</p></body></html>";
    let out = Cleaner::new().clean_bytes(page).unwrap();
    assert_eq!(out.metadata.encoding.as_deref(), Some("windows-1252"));
    assert!(out.text.contains("Café crème"));
}

// ---- 3. Mojibake ------------------------------------------------------------

#[test]
fn mojibake_fixtures_are_repaired_and_counted() {
    for (path, expected) in fixture_pairs("mojibake") {
        let bytes = std::fs::read(&path).unwrap();
        let d = input::decode(&bytes, Utf8Mode::Detect, true).unwrap();
        assert_eq!(d.text, expected, "{}", path.display());
        assert!(d.mojibake_fixed > 0);
        let out = Cleaner::new().clean_bytes(&bytes).unwrap();
        assert!(out.metadata.mojibake_fixed > 0);
        assert!(expected.contains(&out.paragraphs[0]), "{}: {:?}", path.display(), out.paragraphs);
        // Turned off, the text stays as it came.
        let off = Cleaner::new().fix_mojibake(false).clean_bytes(&bytes).unwrap();
        assert_eq!(off.metadata.mojibake_fixed, 0);
        assert!(off.text.contains('Ã'));
    }
}

#[test]
fn mojibake_in_html_and_in_entities_is_repaired() {
    let page = "<!doctype html><html><body><p>The cafÃ© reopened â€“ itâ€™s the third time.</p>\
                <p>Prices rose by 5 &Atilde;&copy; no.</p></body></html>";
    let out = Cleaner::new().clean_bytes(page.as_bytes()).unwrap();
    assert!(out.text.contains("The café reopened – it’s the third time."), "{}", out.text);
    assert!(out.text.contains("Prices rose by 5 é no."), "{}", out.text);
    assert_eq!(out.metadata.mojibake_fixed, 4);
    // clean_text repairs too.
    let out = Cleaner::new().clean_text("Die BrÃ¼cke ist gesperrt.");
    assert_eq!(out.text, "Die Brücke ist gesperrt.\n");
    assert_eq!(out.metadata.mojibake_fixed, 1);
}

#[test]
fn cli_no_fix_mojibake_keeps_the_text() {
    let path = fixtures().join("es_mojibake.txt");
    newsclean().arg(&path).assert().success().stdout(predicate::str::contains("señaló la alcaldesa"));
    newsclean().arg(&path).arg("--no-fix-mojibake").assert().success().stdout(predicate::str::contains("seÃ±alÃ³"));
    let json = newsclean().arg(&path).args(["--format", "json"]).assert().success().get_output().stdout.clone();
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    assert!(v["metadata"]["mojibake_fixed"].as_u64().unwrap() > 0);
}

// ---- 8. Compressed inputs ---------------------------------------------------

#[test]
fn gz_and_zst_are_read_by_magic_in_the_library() {
    let text = format!("{STORY}\n\nAdvertisement\n\n{STORY2}\n");
    let plain = Cleaner::new().clean_bytes(text.as_bytes()).unwrap();
    for packed in [gzip(text.as_bytes()), zstd(text.as_bytes()), gzip(page("").as_bytes())] {
        let out = Cleaner::new().clean_bytes(&packed).unwrap();
        assert!(out.text.contains(STORY) && !out.text.contains("Advertisement") && !out.text.contains('<'));
        if !out.text.contains("Dredging") {
            assert_eq!(out.text, plain.text);
        }
    }
    // The size limit applies to the decompressed bytes.
    let bomb = gzip(&vec![b'a'; 1 << 20]);
    assert!(matches!(
        Cleaner::new().max_size(1 << 16).clean_bytes(&bomb),
        Err(newsclean::Error::DecompressedTooLarge { limit: 65536 })
    ));
}

#[test]
fn cli_reads_compressed_files_walks_them_and_names_outputs() {
    let d = tempfile::tempdir().unwrap();
    let src = d.path().join("in");
    std::fs::create_dir_all(&src).unwrap();
    let text = format!("{STORY}\n\nAdvertisement\n\n{STORY2}\n");
    std::fs::write(src.join("a.txt.gz"), gzip(text.as_bytes())).unwrap();
    std::fs::write(src.join("b.html.zst"), zstd(page("?").as_bytes())).unwrap();
    std::fs::write(src.join("c.html.gz"), gzip(page("").as_bytes())).unwrap();
    std::fs::write(src.join("d.pdf.gz"), gzip(b"%PDF not walked")).unwrap();
    // Compressed under a plain name: told by magic bytes.
    std::fs::write(src.join("e.txt"), zstd(text.as_bytes())).unwrap();
    let out = newsclean().arg(&src).arg("--no-filename").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(out.matches(STORY).count(), 4, "{out}");
    assert!(!out.contains("Advertisement") && !out.contains("%PDF") && !out.contains('<'), "{out}");

    let dst = d.path().join("out");
    newsclean().arg(&src).arg("--out").arg(&dst).assert().success();
    let mut names: Vec<String> =
        std::fs::read_dir(&dst).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt", "e.txt"]);
    newsclean().arg(&src).arg("--out").arg(d.path().join("json")).args(["--format", "json"]).assert().success();
    assert!(d.path().join("json/b.json").exists() && d.path().join("json/a.json").exists());

    // Standard input too.
    newsclean().write_stdin(gzip(text.as_bytes())).assert().success().stdout(predicate::str::contains(STORY2));
}

#[test]
fn cli_decompression_bombs_stop_at_max_size() {
    let d = tempfile::tempdir().unwrap();
    let bomb = d.path().join("bomb.txt.gz");
    std::fs::write(&bomb, gzip(&vec![b'a'; 4 << 20])).unwrap();
    newsclean().arg(&bomb).args(["--max-size", "100000"]).assert().code(1).stderr(
        predicate::str::contains("bomb.txt.gz").and(predicate::str::contains("decompresses to more than 100000")),
    );
    let truncated = d.path().join("cut.txt.gz");
    let g = gzip(STORY.as_bytes());
    std::fs::write(&truncated, &g[..g.len() - 5]).unwrap();
    newsclean()
        .arg(&truncated)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cut.txt.gz").and(predicate::str::contains("decompress")));
}

#[test]
fn cli_jsonl_reads_gz_and_zst() {
    let d = tempfile::tempdir().unwrap();
    let lines =
        format!("{{\"id\":1,\"text\":\"{STORY}\\n\\nAdvertisement\"}}\n{{\"id\":2,\"html\":\"<p>{STORY2}</p>\"}}\n");
    let plain = newsclean().arg("--jsonl").write_stdin(lines.clone()).assert().success().get_output().stdout.clone();
    for (name, bytes) in [("crawl.jsonl.gz", gzip(lines.as_bytes())), ("crawl.jsonl.zst", zstd(lines.as_bytes()))] {
        let p = d.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        newsclean().arg("--jsonl").arg(&p).assert().success().stdout(plain.clone());
        // `learn` tells JSON Lines by the name under the compression.
        newsclean().arg("learn").arg(&p).arg("-o").arg(d.path().join("p.json")).arg("-q").assert().success();
    }
    let mut two = gzip(lines.as_bytes());
    two.extend(gzip(lines.as_bytes()));
    let out = newsclean().arg("--jsonl").write_stdin(two).assert().success().get_output().stdout.clone();
    assert_eq!(out, [plain.clone(), plain].concat());
}
