//! `newsclean snapshot`: store, check, change a rule, see the diff, accept.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn newsclean() -> Command {
    Command::cargo_bin("newsclean").unwrap()
}

const VOTE: &str = "The regional assembly voted on Wednesday to keep the night trains running until 2030.";
const COST: &str = "Keeping the service will cost about nine million euros a year, the transport office said.";

fn samples(dir: &Path) {
    let site = dir.join("pages/rail");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("trains.txt"), format!("{VOTE}\n\nAdvertisement\n\n{COST}\n")).unwrap();
    std::fs::write(
        site.join("stations.txt"),
        "Two stations on the coast line will close for repairs in March, the operator said on Monday.\n\n\
         Share Tweet Email\n",
    )
    .unwrap();
}

#[test]
fn store_check_change_accept() {
    let d = tempfile::tempdir().unwrap();
    samples(d.path());
    let pages = d.path().join("pages");
    let store = d.path().join("snaps");
    newsclean().arg("snapshot").arg(&pages).arg("--store").arg(&store).arg("-q").assert().success();
    let snap = std::fs::read_to_string(store.join("rail/trains.txt.snap")).unwrap();
    assert!(snap.contains(VOTE) && snap.contains(COST), "{snap}");
    assert!(snap.contains("--- removed ---") && snap.contains("en.ad.marker") && snap.contains("Advertisement"));
    assert!(store.join("rail/stations.txt.snap").is_file());

    newsclean()
        .arg("snapshot")
        .arg(&pages)
        .arg("--store")
        .arg(&store)
        .arg("--check")
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("2 unchanged, 0 changed"));

    // A rules file that drops a story line changes one document.
    let rules = d.path().join("extra.toml");
    std::fs::write(
        &rules,
        "language = \"en\"\n[[rule]]\nname = \"cost-line\"\nkind = \"footer\"\npattern = '^Keeping the service'\n",
    )
    .unwrap();
    let check = |extra: &[&str]| {
        newsclean()
            .arg("snapshot")
            .arg(&pages)
            .arg("--store")
            .arg(&store)
            .arg("--rules")
            .arg(&rules)
            .args(extra)
            .output()
            .unwrap()
    };
    let out = check(&["--check"]);
    assert_eq!(out.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&out.stdout);
    assert!(diff.contains("rail/trains.txt.snap (stored)") && diff.contains("trains.txt (now)"), "{diff}");
    assert!(diff.contains(&format!("-{COST}")) && diff.contains("+") && diff.contains("en.cost-line"), "{diff}");
    assert!(!diff.contains("stations.txt"), "{diff}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("trains.txt: changed"));

    // Accepted, the store holds the new output and the check passes.
    assert!(check(&["--accept", "-q"]).status.success());
    let snap = std::fs::read_to_string(store.join("rail/trains.txt.snap")).unwrap();
    let (text, removed) = snap.split_once("--- removed ---").unwrap();
    assert!(!text.contains(COST) && removed.contains(COST), "{snap}");
    assert!(check(&["--check"]).status.success());
}

#[test]
fn missing_and_stale_snapshots_fail_the_check() {
    let d = tempfile::tempdir().unwrap();
    samples(d.path());
    let pages = d.path().join("pages");
    let store = d.path().join("snaps");
    newsclean().arg("snapshot").arg(&pages).arg("--store").arg(&store).assert().success();
    std::fs::rename(pages.join("rail/stations.txt"), pages.join("rail/depots.txt")).unwrap();
    newsclean()
        .arg("snapshot")
        .arg(&pages)
        .arg("--store")
        .arg(&store)
        .arg("--check")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("depots.txt: no snapshot yet").and(predicate::str::contains("stale")));
    newsclean().arg("snapshot").arg(&pages).arg("--store").arg(&store).arg("--accept").assert().success();
    assert!(!store.join("rail/stations.txt.snap").exists() && store.join("rail/depots.txt.snap").exists());
    newsclean().arg("snapshot").arg(&pages).arg("--store").arg(&store).arg("--check").assert().success();
}

#[test]
fn standard_input_is_a_usage_error() {
    newsclean().args(["snapshot", "-", "--store", "x"]).write_stdin("text").assert().code(2);
}
