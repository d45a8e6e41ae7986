//! Where the CPU time of HTML pages goes, stage by stage, on one core:
//! decoding, html5ever's tokenizer alone (a sink that only switches it to
//! raw text after `script`, `style`, … as the tree builder would), newsclean's
//! own tokenizer alone (`fast`, the same sink; pages it gives up count no
//! tokens), the whole parse into newsclean's DOM (its tokenizer or, on pages
//! it gives up, html5ever's; the tree builder; the caps), the same parse with
//! html5ever's tokenizer on every page (`parse-h5e`, the text no one reads
//! kept), the parse and the walk to blocks, and the whole cleaning.
//!
//! ```sh
//! cargo run --release --example html_stages -- ../shared/eval/scrapinghub-aeb/html 5
//! # one stage only, for instruction counts:
//! valgrind --tool=callgrind target/release/examples/html_stages DIR 1 tokenize
//! ```
//!
//! Each stage runs over every page REPS times (default 5); the figure is
//! this thread's CPU time per pass over the folder (10 ms ticks).
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use newsclean::html::charset;

/// Counts tokens, and reads raw text where the tree builder would have it read.
struct Tokens(usize);

impl TokenSink for Tokens {
    type Handle = ();
    fn process_token(&mut self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0 += 1;
        match token {
            Token::TagToken(t) if t.kind == TagKind::StartTag => match &*t.name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            },
            _ => TokenSinkResult::Continue,
        }
    }
}

fn tokenize(page: &str) -> usize {
    let mut tok = Tokenizer::new(Tokens(0), TokenizerOpts::default());
    let mut input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(page));
    let _ = tok.feed(&mut input);
    tok.end();
    tok.sink.0
}

fn fast_tokenize(page: &str) -> usize {
    let mut sink = Tokens(0);
    let page = page.strip_prefix('\u{feff}').unwrap_or(page);
    match newsclean::html::tokenize::tokenize(page, &mut sink) {
        Ok(_) => sink.0,
        Err(_) => 0,
    }
}

fn thread_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let tick = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().unwrap_or_else(|| "../shared/eval/scrapinghub-aeb/html".into());
    let reps: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5).max(1);
    let only = args.next();
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(d) => d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect(),
        Err(e) => {
            eprintln!("error: {dir}: {e}");
            std::process::exit(2);
        }
    };
    paths.sort();
    let raw: Vec<Vec<u8>> = paths.iter().filter_map(|p| std::fs::read(p).ok()).collect();
    let pages: Vec<String> = raw.iter().map(|b| charset::decode(b).0.into_owned()).collect();
    let mb = raw.iter().map(Vec::len).sum::<usize>() as f64 / 1e6;
    println!("{dir}: {} pages, {mb:.1} MB, {reps} passes each", raw.len());
    let cleaner = newsclean::Cleaner::new();
    let h5e = newsclean::html::parse::Reader::Html5ever;
    let stages: [(&str, &dyn Fn() -> usize); 7] = [
        ("decode", &|| raw.iter().map(|b| charset::decode(b).0.len()).sum()),
        ("tokenize", &|| pages.iter().map(|p| tokenize(p)).sum()),
        ("fast", &|| pages.iter().map(|p| fast_tokenize(p)).sum()),
        ("parse", &|| pages.iter().map(|p| newsclean::html::parse::parse_document(p).len()).sum()),
        ("parse-h5e", &|| {
            pages.iter().filter_map(|p| newsclean::html::parse::parse_with(p, h5e)).map(|(d, _)| d.len()).sum()
        }),
        ("walk", &|| pages.iter().map(|p| newsclean::html::walk_str(p).page().blocks.len()).sum()),
        ("clean", &|| raw.iter().map(|b| cleaner.clean_html_bytes(b).blocks.len()).sum()),
    ];
    for (name, stage) in stages {
        if only.as_deref().is_some_and(|o| o != name) {
            continue;
        }
        let t = thread_cpu_seconds();
        let mut n = 0;
        for _ in 0..reps {
            n = std::hint::black_box(stage());
        }
        let s = (thread_cpu_seconds() - t) / reps as f64;
        println!("{name:<9} {s:7.3} s CPU per pass  {:6.1} MB/s  ({n} items)", mb / s);
    }
}
