//! Read every record of WARC/WET/ARC files without cleaning them: the cost
//! of the archive reader alone (gunzip and parsing), to compare with other
//! readers. `cargo run --release --example warcread -- FILE...`
use newsclean::corpus::warc::Reader;
use std::time::Instant;

fn main() {
    for path in std::env::args().skip(1) {
        let t = Instant::now();
        let (mut records, mut bytes, mut errors) = (0u64, 0u64, 0u64);
        let reader =
            Reader::new(std::fs::File::open(&path).expect("open"), newsclean::DEFAULT_MAX_SIZE).expect("archive");
        for r in reader {
            match r {
                Ok(rec) => {
                    records += 1;
                    bytes += rec.body.len() as u64;
                }
                Err(_) => errors += 1,
            }
        }
        let s = t.elapsed().as_secs_f64();
        println!("{path}: {records} records, {errors} errors, {:.1} MB of bodies in {s:.2} s", bytes as f64 / 1e6);
    }
}
