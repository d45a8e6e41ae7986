//! Corpus mode through the built binary: JSON Lines in and out, parallel and
//! split runs that must equal a single run byte for byte, and site profiles
//! learnt from a fixture site.

#[path = "common/corpus_gen.rs"]
mod corpus_gen;

use corpus_gen::{article, json_str, site, Rng};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_newsclean"))
}

/// Run the binary with `stdin` piped in.
fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child =
        bin().args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

fn corpus(n: usize, sites: usize) -> String {
    let mut s = String::new();
    corpus_gen::jsonl(n, sites, 7, |l| s.push_str(l));
    s
}

#[test]
fn records_pass_through_in_order_with_clean_fields_added() {
    let input = concat!(
        r#"{"id":1,"url":"https://a.example/1","text":"The mayor spoke on Monday.\n\nAdvertisement\n\nShe will stay.","extra":{"k":[1, 2.50]}}"#,
        "\n",
        "{\"zeta\":true,\"id\":\"two\",\"text\":\"Only one line of story text here.\"}\n",
    );
    let out = run(&["--jsonl", "-"], input.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    // Input fields first, in their order, with their exact value text.
    assert!(lines[0].starts_with(r#"{"id":1,"url":"https://a.example/1","text":"The mayor spoke on Monday.\n\nAdvertisement\n\nShe will stay.","extra":{"k":[1, 2.50]},"clean_text":"The mayor spoke on Monday.\n\nShe will stay.\n","removed":[{"#));
    assert!(lines[0].contains(r#""rule":"en.ad.marker""#));
    assert!(lines[1].starts_with(r#"{"zeta":true,"id":"two","#));
    let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(v["clean_text"], "Only one line of story text here.\n");
    assert_eq!(v["removed"], serde_json::json!([]));
}

#[test]
fn bad_lines_are_reported_with_file_and_line_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    std::fs::write(&a, "{\"id\":1,\"text\":\"First story sentence.\"}\n{\"id\":2,\"text\":\n\n{\"id\":3}\n{\"id\":4,\"text\":\"Fourth story.\"}\n").unwrap();
    std::fs::write(&b, b"\xff\xfe not utf8\n{\"id\":5,\"html\":\"<p>Fifth story.</p>\"}\n").unwrap();
    let missing = dir.path().join("missing.jsonl");
    let errors = dir.path().join("errors.jsonl");
    let args = [a.to_str().unwrap(), missing.to_str().unwrap(), b.to_str().unwrap()];

    let out = run(&[&["--jsonl"][..], &args].concat(), b"");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<serde_json::Value> =
        stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].clone()).collect();
    // Line 2 is not JSON (left out); id 3 has no text (written with `error`).
    assert_eq!(ids, [1, 3, 4, 5].map(serde_json::Value::from));
    assert!(stdout.lines().nth(1).unwrap().ends_with(r#""error":"record has neither a `text` nor an `html` field"}"#));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains(&format!("{}:2: invalid JSON record", a.display())), "{stderr}");
    assert!(stderr.contains(&format!("{}:4: record has neither", a.display())), "{stderr}");
    assert!(stderr.contains(&format!("{}: ", missing.display())), "{stderr}");
    assert!(stderr.contains(&format!("{}:1: invalid UTF-8", b.display())), "{stderr}");

    // The same with --errors: JSON Lines error records, same stdout.
    let out2 = run(&[&["--jsonl", "--errors", errors.to_str().unwrap()][..], &args].concat(), b"");
    assert_eq!(out2.status.code(), Some(1));
    assert_eq!(String::from_utf8(out2.stdout).unwrap(), stdout);
    let errs: Vec<serde_json::Value> =
        std::fs::read_to_string(&errors).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(errs.len(), 4);
    assert_eq!((errs[0]["line"].as_u64(), errs[0].get("id")), (Some(2), None));
    assert_eq!((errs[1]["line"].as_u64(), errs[1]["id"].as_u64()), (Some(4), Some(3)));
    assert_eq!(errs[2]["file"], missing.display().to_string());

    // All good: exit 0.
    let ok = run(&["--jsonl"], b"{\"text\":\"Fine.\"}\n\n");
    assert_eq!(ok.status.code(), Some(0));
}

/// Records are cleaned in batches inside chunks of thousands of lines; a
/// failure far from the first batch still names its own line and record.
#[test]
fn failures_past_batch_and_chunk_boundaries_name_their_lines() {
    let bad_at = [65usize, 130, 2049, 2050, 4500];
    let mut input = String::new();
    for no in 1..=5000usize {
        if no == 2050 {
            input.push_str("not json\n");
        } else if bad_at.contains(&no) {
            input.push_str(&format!("{{\"id\":{no}}}\n"));
        } else {
            input.push_str(&format!("{{\"id\":{no},\"text\":\"Story number {no} is told here.\"}}\n"));
        }
    }
    let out = run(&["--jsonl", "-j", "2"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let ids: Vec<u64> =
        stdout.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].as_u64().unwrap()).collect();
    // Every record but the non-JSON line, in input order.
    assert_eq!(ids, (1..=5000).filter(|&n| n != 2050).collect::<Vec<u64>>());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{stderr}");
    for (line, no) in lines.iter().zip(bad_at) {
        assert!(line.starts_with(&format!("newsclean: <stdin>:{no}: ")), "{line}");
    }
    assert!(lines[3].contains("invalid JSON record"), "{}", lines[3]);
}

#[test]
fn output_is_the_same_for_any_number_of_jobs() {
    let input = corpus(3000, 7);
    let one = run(&["--jsonl", "-j", "1"], input.as_bytes());
    let two = run(&["--jsonl", "-j", "2", "-"], input.as_bytes());
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout.iter().filter(|&&b| b == b'\n').count(), 3000);
    assert!(one.stdout == two.stdout, "--jobs 1 and --jobs 2 differ");
}

/// The map step of a distributed run: the corpus split in two, each half
/// cleaned by its own process, the outputs joined, equals one run.
#[test]
fn a_split_corpus_cleaned_in_two_processes_equals_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = corpus(2500, 5);
    let whole = dir.path().join("whole.jsonl");
    std::fs::write(&whole, &input).unwrap();
    let profile = dir.path().join("profile.json");
    let learnt =
        bin().args(["learn", whole.to_str().unwrap(), "-o", profile.to_str().unwrap(), "-q"]).output().unwrap();
    assert!(learnt.status.success(), "{}", String::from_utf8_lossy(&learnt.stderr));

    let cut = input.match_indices('\n').nth(1199).unwrap().0 + 1;
    let (first, second) = input.split_at(cut);
    for extra in [&[][..], &["--profile", profile.to_str().unwrap()][..]] {
        let args = [&["--jsonl", "-q"][..], extra].concat();
        let single = run(&args, input.as_bytes());
        let a = run(&args, first.as_bytes());
        let b = run(&args, second.as_bytes());
        assert!(single.status.success() && a.status.success() && b.status.success());
        let joined = [a.stdout, b.stdout].concat();
        assert!(joined == single.stdout, "split run differs from single run (args {args:?})");
    }
}

/// Write a fixture site of `n` articles as one folder per site, and as JSON
/// Lines. Besides the site's template, four articles share a story
/// subheading and six carry a seasonal promo.
struct Fixture {
    story: Vec<Vec<String>>,
    template: Vec<String>,
    signoff: String,
}

const SUBHEAD: &str = "What happens next";
const PROMO: &str = "Win two tickets to the Harvest Fair – enter by Friday";

fn fixture_site(dir: &Path, n: usize) -> Fixture {
    let s = site(0);
    let mut rng = Rng::new(3);
    let folder = dir.join("docs").join(&s.host);
    std::fs::create_dir_all(&folder).unwrap();
    let mut jsonl = String::new();
    let mut story = Vec::new();
    for i in 0..n {
        let a = article(&s, i, &mut rng);
        let mut st = a.story.clone();
        let mut text = a.text.clone();
        if i % 6 == 1 {
            // A story subheading shared by a few articles of a series.
            let at = text.find(&st[2]).unwrap();
            text.insert_str(at, &format!("{SUBHEAD}\n\n"));
            st.insert(2, SUBHEAD.to_owned());
        }
        if i % 4 == 3 {
            text.push_str(&format!("\n{PROMO}\n"));
        }
        std::fs::write(folder.join(format!("{i:02}.txt")), &text).unwrap();
        jsonl.push_str(&format!(
            "{{\"id\":{i},\"url\":{},\"text\":{}}}\n",
            json_str(&format!("https://www.{}/a/{i}", s.host)),
            json_str(&text)
        ));
        story.push(st);
    }
    std::fs::write(dir.join("site.jsonl"), jsonl).unwrap();
    let mut template: Vec<String> = s.head.iter().chain(&s.foot).cloned().collect();
    template.push(PROMO.to_owned());
    Fixture { story, template, signoff: s.signoff.unwrap() }
}

fn clean_jsonl(args: &[&str]) -> Vec<serde_json::Value> {
    let out = bin().args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

fn paragraphs(v: &serde_json::Value) -> Vec<String> {
    v["clean_text"].as_str().unwrap().split("\n\n").map(|p| p.trim_end().to_owned()).filter(|p| !p.is_empty()).collect()
}

#[test]
fn learnt_profile_removes_the_site_template_and_keeps_story_text() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture_site(dir.path(), 24);
    let jsonl = dir.path().join("site.jsonl");
    let jsonl = jsonl.to_str().unwrap();

    // Without a profile no built-in rule names the template lines.
    // The rules alone: this is the profile's test (the block model would
    // drop the sign-off at the end of every record, see tests/model.rs).
    let plain = clean_jsonl(&["--jsonl", "--no-model", jsonl]);
    for line in &fx.template {
        assert!(plain.iter().any(|r| paragraphs(r).contains(line)), "a built-in rule already drops {line:?}");
    }

    let profile = dir.path().join("profile.json");
    let out = bin().args(["learn", jsonl, "-o", profile.to_str().unwrap()]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let p: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
    let site = &p["sites"]["valley-courier0.example"];
    assert_eq!(site["docs"], 24);
    let learnt: Vec<&str> = site["lines"].as_array().unwrap().iter().map(|l| l["example"].as_str().unwrap()).collect();
    let protected: Vec<&str> =
        site["protected"].as_array().unwrap().iter().map(|l| l["example"].as_str().unwrap()).collect();
    assert_eq!(protected, [fx.signoff.as_str()]);
    let mut expected: Vec<&str> = fx.template.iter().map(String::as_str).collect();
    let mut got = learnt.clone();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "learnt lines");

    let cleaned = clean_jsonl(&["--jsonl", "--no-model", "--profile", profile.to_str().unwrap(), jsonl]);
    for (r, story) in cleaned.iter().zip(&fx.story) {
        assert_eq!(&paragraphs(r), story, "record {}", r["id"]);
        let rules: Vec<&str> = r["removed"].as_array().unwrap().iter().map(|x| x["rule"].as_str().unwrap()).collect();
        assert!(rules.iter().all(|&x| x == "profile.valley-courier0.example"), "{rules:?}");
    }

    // --auto-profile does both passes, with the same result.
    assert_eq!(clean_jsonl(&["--jsonl", "--auto-profile", jsonl]), cleaned);

    // Folder mode: the site is the folder; --explain names the rule.
    let docs = dir.path().join("docs");
    let fprofile = dir.path().join("fprofile.json");
    assert!(bin()
        .args(["learn", docs.to_str().unwrap(), "-o", fprofile.to_str().unwrap(), "-q"])
        .status()
        .unwrap()
        .success());
    assert_eq!(std::fs::read_to_string(&fprofile).unwrap(), std::fs::read_to_string(&profile).unwrap());
    let first = docs.join("valley-courier0.example").join("00.txt");
    let explain = bin()
        .args(["--profile", fprofile.to_str().unwrap(), "--explain", "--color", "never", first.to_str().unwrap()])
        .output()
        .unwrap();
    let explain = String::from_utf8(explain.stdout).unwrap();
    assert!(
        explain.lines().any(|l| l.contains("DROP profile.valley-courier0.example") && l.contains("Tip the newsroom")),
        "{explain}"
    );
    assert!(
        explain.lines().any(|l| l.contains("KEEP") && l.contains("This reporting is part of our series")),
        "{explain}"
    );
}

/// The measurement behind the default `--min-docs`: on the fixture site,
/// the template lines recur in 24 (or, the promo, 6) of 24 articles and a
/// story subheading in 4. K from 5 to 6 takes the whole template and no
/// story line; the default must lie in that window.
#[test]
fn min_docs_window_on_the_fixture_site() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture_site(dir.path(), 24);
    let jsonl = dir.path().join("site.jsonl");
    let mut good = Vec::new();
    for k in 2..=8u64 {
        let profile = dir.path().join(format!("p{k}.json"));
        let st = bin()
            .args([
                "learn",
                jsonl.to_str().unwrap(),
                "-o",
                profile.to_str().unwrap(),
                "-q",
                "--min-docs",
                &k.to_string(),
                "--min-share",
                "0",
            ])
            .status()
            .unwrap();
        assert!(st.success());
        let p: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&profile).unwrap()).unwrap();
        let learnt: Vec<String> = p["sites"]["valley-courier0.example"]["lines"]
            .as_array()
            .map(|a| a.iter().map(|l| l["example"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        let caught = fx.template.iter().filter(|t| learnt.contains(t)).count();
        let story_lost = learnt.iter().filter(|l| !fx.template.contains(l)).count();
        eprintln!("K={k}: template lines learnt {caught}/{}, story lines learnt {story_lost}", fx.template.len());
        if caught == fx.template.len() && story_lost == 0 {
            good.push(k);
        }
    }
    assert_eq!(good, [5, 6]);
    assert!(good.contains(&newsclean::corpus::learn::DEFAULT_MIN_DOCS));
}

#[test]
fn folder_mode_runs_in_parallel_and_keeps_order_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let fx = fixture_site(dir.path(), 30);
    let folder = dir.path().join("docs");
    let missing = dir.path().join("nope.txt");
    let args = |j: &str| {
        vec![folder.to_str().unwrap().to_owned(), missing.to_str().unwrap().to_owned(), "-j".into(), j.into()]
    };
    let one = bin().args(args("1")).output().unwrap();
    let two = bin().args(args("2")).output().unwrap();
    assert_eq!((one.status.code(), two.status.code()), (Some(1), Some(1)));
    assert!(one.stdout == two.stdout);
    let out = String::from_utf8(two.stdout).unwrap();
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("==> ")).collect();
    assert_eq!(headers.len(), fx.story.len());
    assert!(headers.windows(2).all(|w| w[0] < w[1]), "files out of order");
    assert!(String::from_utf8(two.stderr).unwrap().contains("nope.txt: no such file"));
}
