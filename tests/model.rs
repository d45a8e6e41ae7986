//! The block model: the built-in models load and decide what no rule names,
//! keeping story text; `newsclean train` makes a model deterministically
//! from a user's own labelled pages; `--model` uses it, and `--explain` and
//! the JSON `removed[]` show the model's score and the features that
//! weighed most; bad model files are clear errors.

use assert_cmd::Command;
use newsclean::model::{vector, View};
use newsclean::{Cleaner, Model};
use std::path::Path;

fn newsclean() -> Command {
    let mut c = Command::cargo_bin("newsclean").unwrap();
    c.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
    c
}

#[test]
fn the_built_in_model_is_valid_and_says_what_it_was_trained_on() {
    {
        let m = Model::builtin();
        assert_eq!(m.view, View::Text);
        assert_eq!(m.features, vector::names());
        assert!(m.forest.trees.len() >= 50, "{} trees", m.forest.trees.len());
        assert!(m.threshold > 0.0 && m.threshold < 1.0, "threshold {}", m.threshold);
        assert!(m.trained_on.contains("WCXB") && m.trained_on.contains("CC-BY-4.0"), "{}", m.trained_on);
    }
}

/// A story in Polish (no rules file) with the boilerplate of a news page.
/// Every story paragraph, the headline and the one-sentence paragraph must
/// stay; the navigation and share lines must go.
const POLISH: &str = "Strona główna | Wiadomości | Sport | Pogoda | Kultura\n\n\
Rada miasta zatwierdziła budowę nowego mostu\n\n\
Radni głosowali w czwartek wieczorem i większością głosów zdecydowali, że nowy most dla pieszych powstanie nad starym portem, \
choć projekt od lat budził spory w mieście.\n\n\
Budowa ma się rozpocząć jesienią i potrwać trzy lata, a koszt inwestycji szacuje się na ponad sto milionów złotych, \
z czego część pokryją fundusze unijne.\n\n\
Przeciwnicy projektu twierdzą, że pieniądze lepiej byłoby wydać na szkoły i przychodnie, które w wielu dzielnicach wymagają remontu.\n\n\
To była długa debata.\n\n\
Burmistrz zapowiedział, że pierwsze prace przygotowawcze ruszą jeszcze przed końcem roku, a mieszkańcy będą mogli śledzić postępy na stronie miasta.\n\n\
Udostępnij | Facebook | Twitter | E-mail\n\n\
Polityka prywatności | Regulamin | Kontakt | Reklama\n";

#[test]
fn the_text_model_keeps_every_story_sentence_in_a_language_without_rules() {
    let out = Cleaner::new().clean_text(POLISH);
    for p in POLISH.split("\n\n").skip(1).take(7) {
        assert!(out.paragraphs.iter().any(|k| k == p.trim()), "story paragraph lost: {p}\n{}", out.text);
    }
    for junk in ["Udostępnij | Facebook | Twitter | E-mail", "Polityka prywatności | Regulamin | Kontakt | Reklama"] {
        assert!(!out.paragraphs.iter().any(|k| k == junk), "kept: {junk}\n{}", out.text);
    }
    // Rules alone remove none of it: the model did.
    let plain = Cleaner::new().without_model().clean_text(POLISH);
    assert!(plain.paragraphs.len() > out.paragraphs.len());
    assert!(out.removed.iter().any(|r| r.rule == "model" && r.score.is_some_and(|s| s >= 0.5)));
}

fn write(dir: &Path, rel: &str, body: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, body).unwrap();
}

/// A user's labelled pages: gold text files and scraped inputs of the same
/// name, on twelve sites.
fn labelled_set() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    let towns = ["Northport", "Eastham", "Westbury", "Southby", "Kingsford", "Lakeside"];
    let things = ["bridge", "library", "park", "school", "harbour", "station"];
    for i in 0..12 {
        let (town, thing) = (towns[i % 6], things[(i * 5) % 6]);
        let story = [
            format!("{town} council approves the new {thing}"),
            format!(
                "The council of {town} voted on Thursday to build the new {thing}, after a debate that lasted \
                 most of the evening and ended with a clear majority."
            ),
            format!(
                "Work on the {thing} is due to start in the spring, and the council expects it to take about \
                 two years, if the weather allows it."
            ),
            format!("Residents who opposed the plan said they would keep asking questions about its cost to {town}."),
        ];
        let junk_top = format!("Home | News | {town} | Sport | Weather");
        let junk_end =
            ["Share | Tweet | Email".to_owned(), format!("More from {town}"), "Contact | Privacy | Terms".into()];
        let input = std::iter::once(junk_top)
            .chain(story.iter().cloned())
            .chain(junk_end.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n\n");
        write(d.path(), &format!("gold/site{i}_story.txt"), &story.join("\n\n"));
        write(d.path(), &format!("pages/site{i}_story.txt"), &input);
    }
    d
}

#[test]
fn train_is_deterministic_and_its_model_is_used_and_explained() {
    let d = labelled_set();
    let (gold, pages) = (d.path().join("gold"), d.path().join("pages"));
    let m1 = d.path().join("m1.json");
    let m2 = d.path().join("m2.json");
    for m in [&m1, &m2] {
        newsclean()
            .args(["train", "--folds", "2", "--trees", "20", "--gold"])
            .arg(&gold)
            .arg("--input")
            .arg(&pages)
            .arg("-o")
            .arg(m)
            .assert()
            .success()
            .stdout(predicates::str::contains("text view, 2-fold cross-validation split by site"))
            .stdout(predicates::str::contains("rules+model"));
    }
    let (a, b) = (std::fs::read(&m1).unwrap(), std::fs::read(&m2).unwrap());
    assert_eq!(a, b, "the same pages must give the same model, byte for byte");
    let model = Model::load(&m1).unwrap();
    assert_eq!(model.view, View::Text);

    let page = pages.join("site3_story.txt");
    let out = newsclean().arg("--model").arg(&m1).arg("--format").arg("json").arg(&page).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let removed = v["removed"].as_array().unwrap();
    let by_model: Vec<&serde_json::Value> = removed.iter().filter(|r| r["rule"] == "model").collect();
    assert!(!by_model.is_empty(), "{v}");
    for r in &by_model {
        assert_eq!(r["kind"], "model");
        assert!(r["score"].as_f64().unwrap() >= model.threshold as f64);
        assert!(!r["features"].as_array().unwrap().is_empty(), "{r}");
        assert!(r["features"][0]["feature"].is_string() && r["features"][0]["weight"].is_number());
    }
    let gold_text = std::fs::read_to_string(gold.join("site3_story.txt")).unwrap();
    let kept: Vec<&str> = v["paragraphs"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    for p in gold_text.split("\n\n") {
        assert!(kept.contains(&p), "story lost: {p}");
    }
    let explain = newsclean().arg("--model").arg(&m1).arg("--explain").arg(&page).assert().success();
    let explain = String::from_utf8(explain.get_output().stdout.clone()).unwrap();
    assert!(explain.lines().any(|l| l.contains("DROP model 0.") || l.contains("DROP model 1.")), "{explain}");
    assert!(explain.lines().any(|l| l.trim_start().starts_with("model: ")), "{explain}");

    // --no-model: the rules alone.
    let plain = newsclean().arg("--no-model").arg("--format").arg("json").arg(&page).assert().success();
    let v: serde_json::Value = serde_json::from_slice(&plain.get_output().stdout).unwrap();
    assert!(v["removed"].as_array().unwrap().iter().all(|r| r["rule"] != "model"));
}

#[test]
fn bad_model_files_are_clear_errors() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("missing.json");
    newsclean()
        .arg("--model")
        .arg(&missing)
        .write_stdin("Some text.")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing.json"));
    let junk = d.path().join("junk.json");
    std::fs::write(&junk, "{\"not\": \"a model\"}").unwrap();
    newsclean()
        .arg("--model")
        .arg(&junk)
        .write_stdin("Some text.")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("junk.json").and(predicates::str::contains("not a model file")));
    // A model made for other features.
    let mut m: serde_json::Value = serde_json::from_str(&Model::builtin().to_json()).unwrap();
    m["features"].as_array_mut().unwrap().pop();
    let old = d.path().join("old.json");
    std::fs::write(&old, m.to_string()).unwrap();
    newsclean()
        .arg("--model")
        .arg(&old)
        .write_stdin("Some text.")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("train it again"));
    // Two models for one view.
    let t = d.path().join("t.json");
    std::fs::write(&t, Model::builtin().to_json()).unwrap();
    newsclean()
        .arg("--model")
        .arg(&t)
        .arg("--model")
        .arg(&t)
        .write_stdin("Some text.")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("a second --model for text input"));
    // Training needs full-text gold.
    newsclean()
        .args(["train", "--gold"])
        .arg(d.path().join("nowhere"))
        .arg("-o")
        .arg(d.path().join("x.json"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("nowhere"));
}

use predicates::prelude::PredicateBooleanExt;
