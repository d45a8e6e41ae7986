//! Corpus benchmark: generates a JSON Lines corpus of synthetic news sites
//! (texts written for this repository, in five languages, with site
//! templates; see tests/common/corpus_gen.rs) and pipes it through the built
//! `newsclean --jsonl` with 1 job on one core (pinned with `taskset`) and
//! with all cores, reporting docs/s, MB/s and the scaling factor. Nothing is committed: the corpus goes to a
//! temporary file.
//!
//! ```text
//! cargo bench --bench corpus                       # 100,000 records, 1 and N jobs
//! cargo bench --bench corpus -- --records 400000 --repeat 3
//! cargo bench --bench corpus -- --generate /tmp/c.jsonl --records 400000   # only write it
//! ```

#[path = "../tests/common/corpus_gen.rs"]
mod corpus_gen;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Instant;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let records: usize = arg(&args, "--records").map_or(100_000, |v| v.parse().expect("--records N"));
    let sites: usize = arg(&args, "--sites").map_or(40, |v| v.parse().expect("--sites N"));
    let repeat: usize = arg(&args, "--repeat").map_or(1, |v| v.parse().expect("--repeat N"));
    let path = match arg(&args, "--generate") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::temp_dir().join(format!("newsclean-corpus-bench-{}.jsonl", std::process::id())),
    };
    let t = Instant::now();
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).expect("create corpus file"));
    corpus_gen::jsonl(records, sites, 42, |l| w.write_all(l.as_bytes()).expect("write corpus"));
    w.flush().unwrap();
    drop(w);
    let bytes = std::fs::metadata(&path).unwrap().len();
    eprintln!(
        "corpus: {records} records, {sites} sites, {:.1} MB in {:.1?} -> {}",
        bytes as f64 / 1e6,
        t.elapsed(),
        path.display()
    );
    if args.iter().any(|a| a == "--generate") {
        return;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    // The one-core baseline runs under `taskset -c 0` where it exists: with
    // `-j 1` alone, the reader and writer threads would still use a second
    // core, and the scaling would be measured against more than one core.
    let pinned = Command::new("taskset").args(["-c", "0", "true"]).status().is_ok_and(|s| s.success());
    if !pinned {
        eprintln!("taskset not found: the 1-job run is not pinned to one core");
    }
    let mut runs = Vec::new();
    for jobs in [1, cores] {
        let mut times = Vec::new();
        for _ in 0..repeat {
            let mut cmd = if jobs == 1 && pinned {
                let mut c = Command::new("taskset");
                c.args(["-c", "0", env!("CARGO_BIN_EXE_newsclean")]);
                c
            } else {
                Command::new(env!("CARGO_BIN_EXE_newsclean"))
            };
            let t = Instant::now();
            let st = cmd
                .args(["--jsonl", "-q", "-j", &jobs.to_string(), path.to_str().unwrap()])
                .stdout(Stdio::null())
                .status()
                .expect("run newsclean");
            assert!(st.success(), "newsclean failed");
            times.push(t.elapsed().as_secs_f64());
        }
        let mut sorted = times.clone();
        sorted.sort_by(f64::total_cmp);
        let (best, median) = (sorted[0], sorted[sorted.len() / 2]);
        let on = if jobs == 1 && pinned { "1 core".to_owned() } else { format!("{cores} cores") };
        println!(
            "jobs={jobs} on {on}: best {:.0} docs/s, {:.2} MB/s; median {:.0} docs/s, {:.2} MB/s (of {repeat}: {:?} s)",
            records as f64 / best,
            bytes as f64 / 1e6 / best,
            records as f64 / median,
            bytes as f64 / 1e6 / median,
            times.iter().map(|t| format!("{t:.2}")).collect::<Vec<_>>()
        );
        runs.push((best, median));
    }
    if cores > 1 {
        let (one, all) = (runs[0], runs[1]);
        println!("scaling {cores} jobs vs 1: {:.2}x best, {:.2}x median", one.0 / all.0, one.1 / all.1);
    }
    let _ = std::fs::remove_file(&path);
}
