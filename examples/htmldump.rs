//! Debug aid: every block of an HTML page with its verdict and DOM evidence.
//! `cargo run --release --example htmldump -- page.html`
fn main() {
    let path = std::env::args().nth(1).expect("usage: htmldump PAGE.html");
    let bytes = std::fs::read(&path).expect("readable file");
    let c = newsclean::Cleaner::new().clean_html_bytes(&bytes);
    for (b, v) in &c.blocks {
        let d = b.dom.as_ref().expect("html blocks carry dom info");
        let n = d.path_tokens.len();
        let inner = &d.path_tokens[n - d.main_tokens.min(n)..];
        let text: String = b.text.replace('\n', " | ").chars().take(90).collect();
        println!(
            "{:>4} {:<28} {:<10} main={} ld={:.2} inner={:?}\n      {}",
            b.index,
            v.label(),
            d.tag,
            d.in_main as u8,
            d.link_density,
            inner,
            text
        );
    }
}
