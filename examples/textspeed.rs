//! Debug aid: one-core text throughput over a folder of texts, repeated.
fn main() {
    let dir = std::env::args().nth(1).expect("usage: textspeed DIR [MB]");
    let mb: f64 = std::env::args().nth(2).map_or(50.0, |s| s.parse().unwrap());
    let mut files: Vec<_> =
        std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect();
    files.sort();
    let docs: Vec<Vec<u8>> = files.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let size: usize = docs.iter().map(Vec::len).sum();
    let reps = (mb * 1e6) as usize / size + 1;
    let c = newsclean::Cleaner::new();
    for d in &docs {
        let _ = c.clean_bytes(d);
    }
    let cpu0 = cpu();
    let t = std::time::Instant::now();
    let mut kept = 0;
    for _ in 0..reps {
        for d in &docs {
            kept += c.clean_bytes(d).map_or(0, |c| c.text.len());
        }
    }
    let wall = t.elapsed().as_secs_f64();
    let s = cpu() - cpu0;
    eprintln!("wall {wall:.2}s cpu {s:.2}s");
    let total = (size * reps) as f64;
    println!(
        "{:.1} MB in {s:.2}s = {:.1} MB/s, {:.0} docs/s (kept {kept})",
        total / 1e6,
        total / 1e6 / s,
        (docs.len() * reps) as f64 / s
    );
}

/// CPU seconds of this thread (utime + stime from /proc, 10 ms ticks).
fn cpu() -> f64 {
    let st = std::fs::read_to_string("/proc/thread-self/stat").unwrap();
    let f: Vec<&str> = st.rsplit(')').next().unwrap().split_whitespace().collect();
    (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
}
