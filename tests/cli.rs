//! The `newsclean` command end to end: inputs (stdin, files, folders),
//! outputs (stdout, `--out`, JSON, `--explain`), failures and exit codes,
//! user rules, and `eval`.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const ARTICLE: &str = "The ferry company cancelled all evening crossings on Friday because of the storm.\n\n\
Advertisement\n\n\
Passengers with tickets can travel on Saturday morning at no extra cost, the company said in a statement.\n";

const CLEAN: &str = "The ferry company cancelled all evening crossings on Friday because of the storm.\n\n\
Passengers with tickets can travel on Saturday morning at no extra cost, the company said in a statement.\n";

fn newsclean() -> Command {
    let mut c = Command::cargo_bin("newsclean").unwrap();
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

fn write(dir: &Path, rel: &str, body: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

/// A folder with text in two levels, an HTML page and a hidden file.
fn corpus() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "b.txt", ARTICLE);
    write(d.path(), "a.txt", "The library opens a second branch in the north of the town next year.\n");
    write(d.path(), "sub/c.txt", "Researchers counted more birds along the river this winter than last year.\n");
    write(d.path(), "page.html", "<!doctype html><html><body><p>The museum will reopen its west wing in June after two years of work.</p></body></html>");
    write(d.path(), ".hidden.txt", "Never read.\n");
    write(d.path(), "notes.pdf", "%PDF not walked");
    d
}

#[test]
fn stdin_to_stdout() {
    newsclean().write_stdin(ARTICLE).assert().success().stdout(CLEAN).stderr("");
    newsclean().arg("-").write_stdin(ARTICLE).assert().success().stdout(CLEAN);
}

#[test]
fn a_folder_is_walked_sorted_without_hidden_files() {
    let d = corpus();
    let out = newsclean().arg(d.path()).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    let headers: Vec<&str> = out.lines().filter(|l| l.starts_with("==> ")).collect();
    let root = d.path().display().to_string();
    let expect: Vec<String> =
        ["a.txt", "b.txt", "page.html", "sub/c.txt"].iter().map(|n| format!("==> {root}/{n} <==")).collect();
    assert_eq!(headers, expect);
    assert!(out.contains(CLEAN) && !out.contains("Advertisement"));
    assert!(!out.contains("Never read") && !out.contains("%PDF"));
    // --no-filename drops the headers.
    newsclean().arg(d.path()).arg("--no-filename").assert().success().stdout(predicate::str::contains("==>").not());
}

#[test]
fn out_writes_files_under_relative_names() {
    let d = corpus();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("clean");
    newsclean().arg(d.path()).arg("--out").arg(&target).assert().success().stdout("");
    let mut names: Vec<String> = walk(&target);
    names.sort();
    assert_eq!(names, ["a.txt", "b.txt", "page.txt", "sub/c.txt"]);
    assert_eq!(std::fs::read_to_string(target.join("b.txt")).unwrap(), CLEAN);
}

fn walk(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(root).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            v.extend(walk(&p).into_iter().map(|n| format!("{}/{n}", p.file_name().unwrap().to_string_lossy())));
        } else {
            v.push(p.file_name().unwrap().to_string_lossy().into_owned());
        }
    }
    v
}

#[test]
fn json_is_one_object_per_line() {
    let d = corpus();
    let a = d.path().join("a.txt");
    let b = d.path().join("b.txt");
    let out = newsclean().arg(&a).arg(&b).args(["--format", "json"]).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["path"], a.display().to_string());
    let rec = &lines[1];
    assert_eq!(rec["path"], b.display().to_string());
    assert_eq!(rec["text"], CLEAN);
    assert_eq!(rec["paragraphs"].as_array().unwrap().len(), 2);
    let removed = rec["removed"].as_array().unwrap();
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0]["rule"], "en.ad.marker");
    assert_eq!(removed[0]["kind"], "ad");
    assert_eq!(removed[0]["text"], "Advertisement");
    assert!(rec["metadata"].is_object());
}

#[test]
fn explain_lists_keep_and_drop_without_colour_when_piped() {
    let out = newsclean().arg("--explain").write_stdin(ARTICLE).assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(!out.contains('\x1b'), "no ANSI escapes when stdout is not a terminal: {out:?}");
    assert!(out.starts_with("meta  language=en\n"), "{out}");
    let verdicts: Vec<&str> = out.lines().skip(1).filter_map(|l| l.split_whitespace().nth(1)).collect();
    assert_eq!(verdicts, ["KEEP", "DROP", "KEEP"], "{out}");
    let drop = out.lines().find(|l| l.contains("DROP")).unwrap();
    assert!(drop.contains("en.ad.marker") && drop.contains("Advertisement"), "{drop}");
    // --color always forces escapes.
    newsclean()
        .args(["--explain", "--color", "always"])
        .write_stdin(ARTICLE)
        .assert()
        .success()
        .stdout(predicate::str::contains("\x1b["));
}

#[test]
fn a_missing_file_fails_alone() {
    let d = corpus();
    let missing = d.path().join("gone.txt");
    newsclean()
        .arg(d.path().join("a.txt"))
        .arg(&missing)
        .arg(d.path().join("b.txt"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("gone.txt").and(predicate::str::contains("no such file")))
        .stdout(predicate::str::contains("second branch").and(predicate::str::contains(CLEAN)));
}

/// Links met in a folder are skipped unless `-L`; a loop of links fails
/// for its entry alone, naming it, and the other files are still cleaned.
#[cfg(unix)]
#[test]
fn symbolic_links_in_a_folder_are_followed_with_follow_only() {
    use std::os::unix::fs::symlink;
    let elsewhere = tempfile::tempdir().unwrap();
    write(elsewhere.path(), "linked.txt", "The harbour board approved a new pier for the island ferries on Tuesday.\n");
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.txt", ARTICLE);
    symlink(elsewhere.path().join("linked.txt"), d.path().join("b.txt")).unwrap();
    newsclean().arg(d.path()).assert().success().stdout(predicate::str::contains("new pier").not());
    newsclean().arg(d.path()).arg("-L").assert().success().stdout(predicate::str::contains("new pier"));
    newsclean().arg(d.path()).arg("--follow").assert().success().stdout(predicate::str::contains(CLEAN));
    // A link to the folder itself: a loop, reported for that entry.
    symlink(d.path(), d.path().join("loop")).unwrap();
    newsclean()
        .arg(d.path())
        .arg("-L")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("loop").and(predicate::str::contains("symbolic links")))
        .stdout(predicate::str::contains(CLEAN).and(predicate::str::contains("new pier")));
    // Without -L the loop is never entered.
    newsclean().arg(d.path()).assert().success();
}

#[test]
fn invalid_utf8_is_decoded_refused_with_strict_or_replaced_with_lossy() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "bad.txt", b"The council met on Monday to vote on the caf\xe9 licence for the square.\n");
    let bad = d.path().join("bad.txt");
    newsclean()
        .arg(&bad)
        .assert()
        .success()
        .stdout("The council met on Monday to vote on the café licence for the square.\n");
    newsclean()
        .arg(&bad)
        .arg("--strict-utf8")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.txt").and(predicate::str::contains("UTF-8")))
        .stdout("");
    newsclean()
        .arg(&bad)
        .arg("--lossy")
        .assert()
        .success()
        .stdout("The council met on Monday to vote on the caf\u{fffd} licence for the square.\n");
}

#[test]
fn a_binary_file_is_refused_by_name() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "blob", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00binary");
    write(d.path(), "ok.txt", "The bakery on the corner has changed hands after forty years.\n");
    newsclean()
        .arg(d.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("blob").and(predicate::str::contains("binary")))
        .stdout(predicate::str::contains("The bakery"));
}

#[test]
fn an_empty_file_gives_empty_output() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "empty.txt", "");
    newsclean().arg(d.path().join("empty.txt")).assert().success().stdout("").stderr("");
    newsclean().write_stdin("").assert().success().stdout("");
}

#[test]
fn a_user_rules_file_adds_a_rule() {
    let d = tempfile::tempdir().unwrap();
    let text = "The orchestra plays its last concert of the season on Sunday evening.\n\n\
Tip the newsroom: tips@example.org\n\n\
Tickets are still available at the box office and online.\n";
    write(d.path(), "a.txt", text);
    write(
        d.path(),
        "mine.toml",
        "language = \"en\"\n\n[[rule]]\nname = \"footer.tip-line\"\nkind = \"footer\"\npattern = '^Tip the newsroom:'\n",
    );
    // Without the file the line stays; with it, it goes by the new rule.
    newsclean().arg(d.path().join("a.txt")).assert().success().stdout(predicate::str::contains("Tip the newsroom"));
    let out = newsclean()
        .arg(d.path().join("a.txt"))
        .arg("--rules")
        .arg(d.path().join("mine.toml"))
        .arg("--explain")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let line = out.lines().find(|l| l.contains("Tip the newsroom")).unwrap();
    assert!(line.contains("DROP") && line.contains("footer.tip-line"), "{out}");
    assert_eq!(out.lines().filter(|l| l.contains("KEEP")).count(), 2, "{out}");
}

#[test]
fn a_bad_rules_file_is_a_usage_error_naming_it() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "a.txt", ARTICLE);
    write(
        d.path(),
        "broken.toml",
        "language = \"en\"\n[[rule]]\nname = \"x\"\nkind = \"footer\"\npattern = '(unclosed'\n",
    );
    write(d.path(), "garbage.toml", "this is not toml = = =\n");
    for name in ["broken.toml", "garbage.toml", "absent.toml"] {
        newsclean()
            .arg(d.path().join("a.txt"))
            .arg("--rules")
            .arg(d.path().join(name))
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains(name));
    }
}

#[test]
fn an_unknown_flag_is_a_usage_error() {
    newsclean()
        .arg("--no-such-flag")
        .write_stdin(ARTICLE)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--no-such-flag"));
    newsclean().args(["--format", "yaml"]).write_stdin(ARTICLE).assert().code(2);
}

#[test]
fn eval_scores_a_tiny_gold_folder() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "in/good.txt", ARTICLE);
    write(d.path(), "in/half.txt", "Alpha beta gamma delta.\n");
    write(d.path(), "gold/good.txt", CLEAN);
    write(d.path(), "gold/half.txt", "Alpha beta.\n");
    let json = d.path().join("report.json");
    let out = newsclean()
        .arg("eval")
        .arg("--gold")
        .arg(d.path().join("gold"))
        .arg("--input")
        .arg(d.path().join("in"))
        .arg("--json")
        .arg(&json)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let good = out.lines().find(|l| l.starts_with("good.txt")).unwrap();
    assert!(good.contains("F1=1.000 exact"), "{out}");
    let half = out.lines().find(|l| l.starts_with("half.txt")).unwrap();
    assert!(half.contains("P=0.500 R=1.000 F1=0.667"), "{out}");
    assert!(out.contains("Worst 1:\n  half.txt"), "{out}");
    // 33 gold tokens, all found; 2 extra in the output: P = 33/35, R = 1.
    assert!(out.lines().last().unwrap().starts_with("TOTAL docs=2 exact=1 P=0.943 R=1.000 F1=0.971"), "{out}");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(&json).unwrap()).unwrap();
    assert_eq!(report["layout"], "text");
    assert_eq!(report["total"]["common"], 33);
    assert_eq!(report["docs"].as_array().unwrap().len(), 2);
    // A gold path that does not exist is an error naming it.
    newsclean()
        .args(["eval", "--input", "."])
        .arg("--gold")
        .arg(d.path().join("nope"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope"));
}
