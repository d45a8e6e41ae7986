//! Analysis aid: every block of each HTML page given, with its verdict and
//! DOM evidence, one JSON object per page and line (`{"file", "blocks": [...]}`),
//! for aligning the blocks to gold text outside the repository (see the
//! README, "Where WCXB's F1 goes"). Pages may be gzip or Zstandard files.
//! `cargo run --release --example blockdump -- page.html page2.html.gz ... > blocks.jsonl`
fn main() {
    let c = newsclean::Cleaner::new();
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path).map_err(|e| e.to_string()).and_then(|raw| {
            newsclean::input::decompress::decompress(&raw, 1 << 28).map(|b| b.into_owned()).map_err(|e| e.to_string())
        }) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("blockdump: {path}: {e}");
                continue;
            }
        };
        let out = c.clean_html_bytes(&bytes);
        let blocks: Vec<serde_json::Value> = out
            .blocks
            .iter()
            .map(|(b, v)| {
                let Some(d) = b.dom.as_ref() else { return serde_json::json!({"i": b.index, "text": b.text}) };
                serde_json::json!({
                    "i": b.index, "v": v.label(), "keep": v.is_keep(), "tag": d.tag, "h": d.heading_level,
                    "ld": d.link_density, "path": d.path_tokens, "mt": d.main_tokens, "art": d.in_article,
                    "main": d.in_main, "lead": d.in_lead, "fig": d.in_figure, "chrome": d.in_chrome,
                    "hid": d.hidden, "shape": format!("{:?}", b.shape), "text": b.text,
                })
            })
            .collect();
        println!("{}", serde_json::json!({"file": path, "blocks": blocks}));
    }
}
