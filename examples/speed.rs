//! One-core throughput of `Cleaner::clean_bytes` over a folder of documents
//! (text or HTML; `.md` files, such as a folder's README, are skipped), repeated until about MB megabytes have been cleaned.
//!
//! It reports MB/s and documents/s of this thread's CPU time (from
//! `/proc/thread-self/stat`), so other load on the machine does not count;
//! wall time is printed beside it. The README's figures come from here:
//!
//! ```text
//! cargo run --release --example speed -- ../shared/seeds 50
//! cargo run --release --example speed -- tests/fixtures/text 50
//! cargo run --release --example speed -- ../shared/eval/scrapinghub-aeb/html 100
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(dir), mb) = (args.next(), args.next()) else {
        eprintln!("usage: speed DIR [MB] [--no-model]   (MB defaults to 50; --no-model: the rules alone)");
        return ExitCode::from(2);
    };
    let Ok(mb) = mb.as_deref().unwrap_or("50").parse::<f64>() else {
        eprintln!("speed: MB must be a number");
        return ExitCode::from(2);
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
            .collect(),
        Err(e) => {
            eprintln!("speed: {dir}: {e}");
            return ExitCode::from(1);
        }
    };
    files.sort();
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let size: usize = docs.iter().map(Vec::len).sum();
    if size == 0 {
        eprintln!("speed: {dir}: no documents");
        return ExitCode::from(1);
    }
    let reps = (mb * 1e6) as usize / size + 1;
    let no_model = args.any(|a| a == "--no-model");
    let cleaner = if no_model { newsclean::Cleaner::new().without_model() } else { newsclean::Cleaner::new() };
    // One untimed pass: compiles the rules and warms the regex caches.
    for d in &docs {
        let _ = cleaner.clean_bytes(d);
    }
    let (cpu0, wall) = (thread_cpu_seconds(), std::time::Instant::now());
    let mut kept = 0;
    for _ in 0..reps {
        for d in &docs {
            kept += cleaner.clean_bytes(d).map_or(0, |c| c.text.len());
        }
    }
    let (cpu, wall) = (thread_cpu_seconds() - cpu0, wall.elapsed().as_secs_f64());
    let total = (size * reps) as f64;
    println!(
        "{dir}: {} documents, {:.1} KB each on average; {:.1} MB cleaned in {cpu:.2} s CPU ({wall:.2} s wall): \
         {:.1} MB/s, {:.0} documents/s, {:.1} % of the bytes kept",
        docs.len(),
        size as f64 / docs.len() as f64 / 1e3,
        total / 1e6,
        total / 1e6 / cpu,
        (docs.len() * reps) as f64 / cpu,
        100.0 * kept as f64 / total,
    );
    ExitCode::SUCCESS
}

/// CPU seconds of this thread: utime + stime from /proc, in 10 ms ticks.
fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}
