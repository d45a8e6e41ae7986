//! Cleaning throughput: MB/s of text over a repeated corpus of small news
//! articles, and of HTML over the Scrapinghub benchmark pages when
//! `../shared` is present. The bar for text is 50 MB/s on one core.
//! Text is measured on two corpora: the repo's fixtures (short and dense
//! with boilerplate, the worst case) and the real scraped seeds.
//!
//! The text corpus is the repo's own `tests/fixtures/text/` when it exists,
//! else the articles below (written for this bench, several languages, each
//! with the boilerplate newsclean removes).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsclean::Cleaner;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Stand-in articles with captions, ad markers, related blocks, timestamps,
/// bylines and footers, in English, Danish, Dutch, German, French, Spanish.
const ARTICLES: &[&str] = &[
    "By Jane Porter, Transport Correspondent\nPublished 14 March 2024\n\n\
The city council approved a plan on Tuesday to rebuild the old harbour bridge, ending a debate that has lasted almost ten years.\n\n\
Work is expected to begin next spring and will close the bridge to cars for at least eighteen months, officials said.\n\n\
Photo: Mark Ellis/Reuters\n\n\
Advertisement\n\n\
\"We have waited long enough,\" said the deputy mayor, who has pushed for the project since she was elected. \"People cross this bridge every day and they deserve something that will last.\"\n\n\
Opponents argued that the money would be better spent on buses and on repairing smaller roads in the outer districts, where residents have complained about potholes for years.\n\n\
The council will publish the full budget for the project later this month, after a final review by independent engineers.\n\n\
Related stories\n\n\
Harbour traffic reaches record high\n\n\
3 hours ago\n\n\
Why the council keeps delaying road repairs\n\n\
Yesterday\n\n\
Sign up for our morning newsletter\n\n\
© 2024 Example Media. All rights reserved.",
    "Af Søren Holm\n\n\
Regeringen vil hæve støtten til de små skoler på landet, oplyser undervisningsministeren mandag.\n\n\
Forslaget skal sikre, at skoler med færre end hundrede elever ikke lukker, fordi kommunerne mangler penge til lærere og bygninger.\n\n\
Foto: Lars Nielsen/Ritzau Scanpix\n\n\
Annonce\n\n\
Flere borgmestre har i længere tid klaget over, at de må vælge mellem at spare på skolerne eller på ældreplejen, og de tager godt imod planen.\n\n\
Oppositionen mener dog, at pengene ikke rækker, og at regeringen burde have fundet dem i finansloven i stedet for at tage dem fra andre puljer.\n\n\
Læs også\n\n\
Skolelærere kræver mindre klasser\n\n\
For 2 timer siden\n\n\
Del artiklen\n\n\
Tilmeld dig vores nyhedsbrev",
    "Door Pieter de Vries\n\n\
Het kabinet wil de huren in de vrije sector de komende drie jaar aan een maximum binden, zo maakte de minister van Volkshuisvesting dinsdag bekend.\n\n\
Huurders klagen al lange tijd dat ze een te groot deel van hun inkomen kwijt zijn aan wonen, vooral in de grote steden.\n\n\
Foto: ANP / Remko de Waal\n\n\
Advertentie\n\n\
Verhuurders waarschuwen dat zij minder zullen bouwen als hun inkomsten worden beperkt, en dat het tekort aan woningen daardoor juist groter wordt.\n\n\
De Tweede Kamer bespreekt het voorstel na het zomerreces; een meerderheid lijkt voor te zijn.\n\n\
Lees ook\n\n\
Woningtekort loopt verder op\n\n\
5 uur geleden\n\n\
Volg ons op Facebook en Instagram",
    "Von Anna Schmidt\n\n\
Die Landesregierung will die Zahl der Busverbindungen in ländlichen Regionen bis zum Jahr 2027 verdoppeln, teilte das Verkehrsministerium am Mittwoch mit.\n\n\
Viele Dörfer sind bisher nur zweimal am Tag an den Nahverkehr angeschlossen, was vor allem für ältere Menschen und Schüler ein Problem ist.\n\n\
Foto: dpa / Bernd Weißbrod\n\n\
Anzeige\n\n\
Die Kommunen begrüßen den Plan grundsätzlich, fordern aber eine dauerhafte Finanzierung, damit die neuen Linien nicht nach wenigen Jahren wieder eingestellt werden.\n\n\
Mehr zum Thema\n\n\
Pendler stehen täglich im Stau\n\n\
vor 4 Stunden\n\n\
Artikel teilen",
    "Par Claire Dubois\n\n\
Le gouvernement a présenté jeudi un projet de loi visant à protéger les petits commerces des centres-villes face à la concurrence des grandes surfaces.\n\n\
Le texte prévoit notamment une baisse des loyers commerciaux dans les communes de moins de vingt mille habitants.\n\n\
Photo : AFP / Jean Martin\n\n\
Publicité\n\n\
Les associations de commerçants saluent une « première étape », mais estiment que les mesures arrivent trop tard pour de nombreuses boutiques déjà fermées.\n\n\
Lire aussi\n\n\
Les centres-villes se vident peu à peu\n\n\
il y a 2 heures\n\n\
Abonnez-vous à notre newsletter",
    "Por Lucía Fernández\n\n\
El Ayuntamiento aprobó el lunes un plan para plantar diez mil árboles en los barrios con menos zonas verdes de la ciudad.\n\n\
Los vecinos llevaban años pidiendo más sombra en las calles, donde las temperaturas superan con frecuencia los cuarenta grados en verano.\n\n\
Foto: EFE / Carlos Ruiz\n\n\
Publicidad\n\n\
Los primeros árboles se plantarán en otoño, cuando el clima es más favorable, y el proyecto se completará en un plazo de cuatro años.\n\n\
Te puede interesar\n\n\
La ciudad registra el verano más caluroso\n\n\
hace 3 horas\n\n\
Síguenos en Twitter",
];

/// Documents of the text corpus.
fn text_corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/text");
    let mut docs: Vec<String> = files(&dir)
        .iter()
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .collect();
    if docs.is_empty() {
        docs = ARTICLES.iter().map(|s| s.to_string()).collect();
    }
    repeat_to_a_mebibyte(docs)
}

/// Repeat to roughly 1 MiB so one iteration is long enough to time well.
fn repeat_to_a_mebibyte(docs: Vec<String>) -> Vec<String> {
    let size: usize = docs.iter().map(String::len).sum();
    let reps = (1 << 20) / size.max(1) + 1;
    docs.iter().cycle().take(docs.len() * reps).cloned().collect()
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    v.sort();
    v
}

fn text(c: &mut Criterion) {
    let cleaner = Cleaner::new();
    let mut g = c.benchmark_group("text");
    // Short, boilerplate-dense articles: the per-block costs dominate.
    bench_docs(&mut g, &cleaner, "fixtures", text_corpus());
    // Real scraped articles, when `../shared` is beside the checkout.
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    let docs: Vec<String> = files(&seeds).iter().filter_map(|p| std::fs::read_to_string(p).ok()).collect();
    if docs.is_empty() {
        eprintln!("text/seeds skipped: {} not found", seeds.display());
    } else {
        bench_docs(&mut g, &cleaner, "seeds", repeat_to_a_mebibyte(docs));
    }
    g.finish();
}

fn bench_docs(
    g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    cleaner: &Cleaner,
    name: &str,
    docs: Vec<String>,
) {
    let bytes: usize = docs.iter().map(String::len).sum();
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function(name, |b| {
        b.iter(|| {
            let mut kept = 0;
            for d in &docs {
                kept += cleaner.clean_bytes(d.as_bytes()).map_or(0, |c| c.text.len());
            }
            kept
        })
    });
}

fn html(c: &mut Criterion) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/eval/scrapinghub-aeb/html");
    // A fixed subset keeps one iteration near a second.
    let pages: Vec<Vec<u8>> = files(&dir).iter().take(40).filter_map(|p| std::fs::read(p).ok()).collect();
    if pages.is_empty() {
        eprintln!("html bench skipped: {} not found", dir.display());
        return;
    }
    let cleaner = Cleaner::new();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut g = c.benchmark_group("html");
    g.sample_size(10).measurement_time(Duration::from_secs(15));
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("scrapinghub_pages", |b| {
        b.iter(|| pages.iter().map(|p| cleaner.clean_bytes(p).map_or(0, |c| c.text.len())).sum::<usize>())
    });
    g.finish();
}

criterion_group!(benches, text, html);
criterion_main!(benches);
