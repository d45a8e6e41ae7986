//! Scaling of the batch engine (`newsclean::batch`): `Cleaner::clean_many`
//! over a folder of documents repeated to DOCS documents, on a pool of 1
//! thread and on one of 2, interleaved REPEAT times. Prints wall time and the
//! process's CPU time (user + system, from `/proc/self/stat`) of each run and
//! the best speed-up; the Python package's `clean_many` runs the same engine.
//!
//! ```text
//! cargo run --release --example batch -- ../shared/seeds 20000 5
//! ```

use std::process::ExitCode;
use std::time::Instant;

/// This process's user + system CPU time in seconds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = after.split_whitespace().collect();
    // Fields 14 and 15 (utime, stime, in clock ticks of 1/100 s) are the 12th and 13th after the name.
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(dir) = args.first() else {
        eprintln!("usage: batch DIR [DOCS] [REPEAT]   (DOCS defaults to 20000, REPEAT to 3)");
        return ExitCode::from(2);
    };
    let docs: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
    let repeat: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let mut files: Vec<Vec<u8>> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        Err(e) => {
            eprintln!("batch: {dir}: {e}");
            return ExitCode::from(2);
        }
    };
    files.sort();
    if files.is_empty() {
        eprintln!("batch: {dir}: no documents");
        return ExitCode::from(2);
    }
    let corpus: Vec<&[u8]> = (0..docs).map(|i| files[i % files.len()].as_slice()).collect();
    let cleaner = newsclean::Cleaner::new();
    let pools = [newsclean::batch::pool(Some(1)).expect("pool"), newsclean::batch::pool(Some(2)).expect("pool")];
    let mut best = [f64::INFINITY; 2];
    for run in 1..=repeat {
        for (k, pool) in pools.iter().enumerate() {
            let (t, c) = (Instant::now(), cpu_seconds());
            let out = cleaner.clean_many_in(pool, &corpus);
            let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - c);
            assert_eq!(out.len(), corpus.len());
            drop(out);
            best[k] = best[k].min(wall);
            println!("run {run} jobs={}: {wall:.2} s wall, {cpu:.2} s CPU, {:.0} docs/s", k + 1, docs as f64 / wall);
        }
    }
    println!(
        "best: jobs=1 {:.0} docs/s, jobs=2 {:.0} docs/s, speed-up {:.2}x",
        docs as f64 / best[0],
        docs as f64 / best[1],
        best[0] / best[1]
    );
    ExitCode::SUCCESS
}
