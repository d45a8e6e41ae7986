//! Debug aid: every block of an HTML page with its verdict and DOM evidence.
//! `cargo run --release --example htmldump -- page.html`
fn main() {
    let path = std::env::args().nth(1).expect("usage: htmldump PAGE.html");
    let bytes = std::fs::read(&path).expect("readable file");
    let c = newsclean::Cleaner::new().clean_html_bytes(&bytes);
    for (b, v) in &c.blocks {
        let d = b.dom.as_ref().expect("html blocks carry dom info");
        let mut inner: Vec<&str> = d.path_tokens.last(d.main_tokens).collect();
        inner.reverse();
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
