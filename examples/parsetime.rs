//! Debug aid: time the HTML stage alone over a folder of pages.
fn main() {
    let dir = std::env::args().nth(1).expect("usage: parsetime DIR");
    let files: Vec<Vec<u8>> =
        std::fs::read_dir(dir).expect("dir").filter_map(|e| std::fs::read(e.ok()?.path()).ok()).collect();
    let total: usize = files.iter().map(Vec::len).sum();
    let t = std::time::Instant::now();
    let mut n = 0;
    for f in &files {
        n += newsclean::html::parse(f).blocks.len();
    }
    let parse = t.elapsed().as_secs_f64();
    let c = newsclean::Cleaner::new();
    let _ = c.clean_text("warm up the rules");
    let t = std::time::Instant::now();
    for f in &files {
        n += c.clean_html_bytes(f).paragraphs.len();
    }
    let all = t.elapsed().as_secs_f64();
    println!(
        "{} MB, {n} blocks; parse {parse:.2}s = {:.1} MB/s; full {all:.2}s = {:.1} MB/s",
        total / 1_000_000,
        total as f64 / 1e6 / parse,
        total as f64 / 1e6 / all
    );
}
