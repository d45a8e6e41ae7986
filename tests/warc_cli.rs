//! WARC, WET and ARC input through the built binary, on small archives the
//! tests write themselves, gzipped per record as Common Crawl does: one
//! JSON line per document, skipped records counted, a record with a wrong
//! Content-Length and a truncated file reported without losing the others,
//! and site profiles learnt from the URLs.

use assert_cmd::Command;
use flate2::write::GzEncoder;
use predicates::prelude::*;
use std::io::Write;
use std::path::Path;

fn newsclean() -> Command {
    Command::cargo_bin("newsclean").unwrap()
}

const STORY_A: &str = "The harbour authority opened the new ferry terminal on Tuesday, two years after building began.";
const STORY_B: &str =
    "Travellers will find a larger waiting hall, a café and covered bicycle parking on the east side.";
const STORY_NL: &str = "De gemeente heeft dinsdag besloten om de oude brug over de rivier volgend jaar te vervangen.";

/// One WARC record.
fn record(kind: &str, url: &str, ctype: &str, body: &[u8], id: usize) -> Vec<u8> {
    let mut r = format!(
        "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Target-URI: {url}\r\nWARC-Date: 2024-03-0{}T08:00:00Z\r\n\
         WARC-Record-ID: <urn:uuid:0000-{id}>\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\n\r\n",
        id % 9 + 1,
        body.len()
    )
    .into_bytes();
    r.extend_from_slice(body);
    r.extend_from_slice(b"\r\n\r\n");
    r
}

fn gz(b: &[u8]) -> Vec<u8> {
    let mut e = GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

fn page(title: &str, paras: &[&str]) -> String {
    let body: String = paras.iter().map(|p| format!("<p>{p}</p>")).collect();
    format!(
        "<!doctype html><html><head><title>{title}</title></head><body><nav><a href=/>Home</a> <a href=/n>News</a></nav>\
         <article><h1>{title}</h1>{body}</article><footer>© Harbour Times</footer></body></html>"
    )
}

fn response(url: &str, html: &str, id: usize) -> Vec<u8> {
    let http = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n{html}");
    record("response", url, "application/http; msgtype=response", http.as_bytes(), id)
}

/// A small WARC: warcinfo, then request/response pairs, a metadata record
/// and a PDF response.
fn warc_records() -> Vec<Vec<u8>> {
    let get = b"GET / HTTP/1.1\r\nHost: harbour.example\r\n\r\n";
    vec![
        record("warcinfo", "", "application/warc-fields", b"software: test\r\n", 0),
        record("request", "https://harbour.example/terminal", "application/http; msgtype=request", get, 1),
        response("https://harbour.example/terminal", &page("Terminal opens", &[STORY_A, "Advertisement", STORY_B]), 2),
        record("metadata", "https://harbour.example/terminal", "application/warc-fields", b"fetchTimeMs: 12\r\n", 3),
        record(
            "response",
            "https://harbour.example/report.pdf",
            "application/http; msgtype=response",
            b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4",
            4,
        ),
        response("https://rivier.example/brug", &page("Nieuwe brug", &[STORY_NL, STORY_NL]), 5),
    ]
}

fn write_gz(dir: &Path, name: &str, recs: &[Vec<u8>]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, recs.iter().flat_map(|r| gz(r)).collect::<Vec<u8>>()).unwrap();
    p
}

fn lines(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn warc_responses_become_one_json_line_per_document() {
    let d = tempfile::tempdir().unwrap();
    let path = write_gz(d.path(), "crawl.warc.gz", &warc_records());
    let out = newsclean().arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 2, "{docs:?}");
    assert_eq!(docs[0]["url"], "https://harbour.example/terminal");
    assert_eq!(docs[0]["warc_record_id"], "<urn:uuid:0000-2>");
    assert_eq!(docs[0]["date"], "2024-03-03T08:00:00Z");
    assert_eq!(docs[0]["content_type"], "text/html; charset=UTF-8");
    let text = docs[0]["clean_text"].as_str().unwrap();
    assert!(text.contains(STORY_A) && text.contains(STORY_B), "{text}");
    assert!(!text.contains("Advertisement") && !text.contains("Home"), "{text}");
    assert!(docs[0]["removed"].as_array().unwrap().iter().any(|r| r["rule"] == "en.ad.marker"));
    assert_eq!(docs[1]["url"], "https://rivier.example/brug");
    assert_eq!(docs[1]["metadata"]["language"], "nl");
    let line = String::from_utf8_lossy(&out.stdout).lines().nth(1).unwrap().to_owned();
    let at: Vec<usize> = ["url", "warc_record_id", "date", "content_type", "clean_text", "removed", "metadata"]
        .iter()
        .map(|k| line.find(&format!("\"{k}\":")).unwrap())
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "fields out of order: {line}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 documents cleaned"), "{err}");
    assert!(err.contains("4 records skipped") && err.contains("1 request") && err.contains("1 not HTML"), "{err}");
    // Uncompressed, and with -j1, the same lines.
    let plain = d.path().join("crawl.warc");
    std::fs::write(&plain, warc_records().concat()).unwrap();
    let again = newsclean().args(["-q", "-j1"]).arg(&plain).output().unwrap();
    assert!(again.status.success() && again.stderr.is_empty());
    assert_eq!(again.stdout, out.stdout);
}

#[test]
fn wet_conversion_records_go_through_the_text_path() {
    let d = tempfile::tempdir().unwrap();
    let doc = format!("Terminal opens\n{STORY_A}\nAdvertisement\n{STORY_B}\nShare Tweet Email\n");
    let recs = vec![
        record("warcinfo", "", "application/warc-fields", b"software: test\r\n", 0),
        record("conversion", "https://harbour.example/terminal", "text/plain", doc.as_bytes(), 1),
        record("conversion", "https://rivier.example/brug", "text/plain", STORY_NL.as_bytes(), 2),
    ];
    let path = write_gz(d.path(), "crawl.warc.wet.gz", &recs);
    let out = newsclean().arg(&path).output().unwrap();
    assert!(out.status.success());
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["content_type"], "text/plain");
    let text = docs[0]["clean_text"].as_str().unwrap();
    assert!(text.contains(STORY_A) && text.contains(STORY_B) && !text.contains("Share Tweet"), "{text}");
    assert_eq!(docs[1]["clean_text"], format!("{STORY_NL}\n"));
}

#[test]
fn a_wrong_content_length_is_reported_with_its_offset_and_the_rest_is_kept() {
    let d = tempfile::tempdir().unwrap();
    let recs = warc_records();
    for delta in [-9i64, 25] {
        let mut bad = String::from_utf8(recs[2].clone()).unwrap();
        let len = recs[2].len() - bad.find("\r\n\r\n").unwrap() - 8;
        bad =
            bad.replace(&format!("Content-Length: {len}\r\n"), &format!("Content-Length: {}\r\n", len as i64 + delta));
        let mut all = recs.clone();
        all[2] = bad.into_bytes();
        let offset: usize = recs[..2].iter().map(Vec::len).sum();
        let path = write_gz(d.path(), "bad.warc.gz", &all);
        let out = newsclean().arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{delta}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("bad.warc.gz: malformed record at byte {offset}")), "{delta}: {err}");
        let docs = lines(&out.stdout);
        assert_eq!(docs.len(), 1, "{delta}: {docs:?}");
        assert_eq!(docs[0]["url"], "https://rivier.example/brug");
    }
}

#[test]
fn a_truncated_file_keeps_the_records_before_it() {
    let d = tempfile::tempdir().unwrap();
    let recs = warc_records();
    let path = write_gz(d.path(), "cut.warc.gz", &recs);
    let bytes = std::fs::read(&path).unwrap();
    let last = gz(&recs[5]).len();
    std::fs::write(&path, &bytes[..bytes.len() - last / 2]).unwrap();
    let out = newsclean().arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["url"], "https://harbour.example/terminal");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cut.warc.gz: the file breaks off"), "{err}");
}

#[test]
fn arc_files_are_read() {
    let d = tempfile::tempdir().unwrap();
    let desc = "1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n";
    let http = format!("HTTP/1.0 200 OK\nContent-Type: text/html\n\n{}", page("Terminal opens", &[STORY_A, STORY_B]));
    let arc = format!(
        "filedesc://t.arc 0.0.0.0 20040101000000 text/plain {}\n{desc}\nhttp://harbour.example/old 192.0.2.7 20040102030405 text/html {}\n{http}\n",
        desc.len(),
        http.len()
    );
    let path = d.path().join("old.arc.gz");
    std::fs::write(&path, gz(arc.as_bytes())).unwrap();
    let out = newsclean().arg(&path).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let docs = lines(&out.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["url"], "http://harbour.example/old");
    assert_eq!(docs[0]["date"], "2004-01-02T03:04:05Z");
    assert!(docs[0]["clean_text"].as_str().unwrap().contains(STORY_B));
}

#[test]
fn profiles_are_learnt_from_archives_by_host() {
    let d = tempfile::tempdir().unwrap();
    let template = "Tip the harbour desk: desk@harbour.example";
    let stories = [
        "The council approved a second ferry line to the northern islands on Monday evening.",
        "Fishermen at the old quay say the new breakwater has calmed the water in winter storms.",
        "A local school will teach sailing to every pupil from next year, the headteacher said.",
        "The lighthouse on the point will be repainted in its original red and white this summer.",
    ];
    let recs: Vec<Vec<u8>> = stories
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let doc = format!("{s}\n\n{template}\n");
            record("conversion", &format!("https://www.harbour.example/{i}"), "text/plain", doc.as_bytes(), i)
        })
        .collect();
    let path = write_gz(d.path(), "site.warc.wet.gz", &recs);
    let profile = d.path().join("p.json");
    newsclean().arg("learn").arg(&path).arg("-o").arg(&profile).arg("--min-docs").arg("3").assert().success();
    let p = std::fs::read_to_string(&profile).unwrap();
    assert!(p.contains("harbour.example"), "{p}");
    let out = newsclean().arg("--auto-profile").arg("--min-docs").arg("3").arg(&path).output().unwrap();
    assert!(out.status.success());
    for doc in lines(&out.stdout) {
        let text = doc["clean_text"].as_str().unwrap();
        assert!(!text.contains("Tip the harbour desk") && stories.iter().any(|s| text.contains(s)), "{text}");
        assert!(doc["removed"].as_array().unwrap().iter().any(|r| r["rule"] == "profile.harbour.example"), "{doc}");
    }
}

#[test]
fn not_an_archive_with_a_warc_name_is_read_as_text() {
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("notes.warc");
    std::fs::write(&path, format!("{STORY_A}\n")).unwrap();
    newsclean().arg(&path).assert().success().stdout(predicate::str::contains(STORY_A));
}
