//! `--explain`: every block with its verdict and rule, one line each,
//! coloured when writing to a terminal.

use crate::args::ColorArg;
use crate::inputs::Input;
use anstyle::{AnsiColor, Style};
use newsclean::{Cleaned, Verdict};
use std::io::{IsTerminal, Write};

const KEEP: Style = AnsiColor::Green.on_default().bold();
const DROP: Style = AnsiColor::Red.on_default().bold();
const DIM: Style = Style::new().dimmed();
/// Characters of block text shown per line.
const PREVIEW: usize = 110;

pub fn print(out: &mut impl Write, input: &Input, c: &Cleaned, header: bool, color: ColorArg) -> std::io::Result<()> {
    let color = match color {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let paint = |s: Style, t: &str| {
        if color {
            format!("{s}{t}{s:#}")
        } else {
            t.to_owned()
        }
    };
    if header {
        writeln!(out, "==> {} <==", input.display())?;
    }
    let meta = serde_json::to_value(&c.metadata).unwrap_or_default();
    if let Some(obj) = meta.as_object().filter(|o| !o.is_empty()) {
        let parts: Vec<String> = obj
            .iter()
            // UTF-8, the usual case, is not worth a word; another encoding is.
            .filter(|(k, v)| !(k.as_str() == "encoding" && v.as_str() == Some("UTF-8")))
            .map(|(k, v)| format!("{k}={}", v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
            .collect();
        if !parts.is_empty() {
            writeln!(out, "{}", paint(DIM, &format!("meta  {}", parts.join("  "))))?;
        }
    }
    for r in
        c.removed.iter().filter(|r| r.kind == "metadata" && c.blocks.get(r.index).is_some_and(|(_, v)| v.is_keep()))
    {
        writeln!(out, "{:>4} {} {:<34} {}", r.index, paint(DROP, "TRIM"), r.rule, preview(&r.text))?;
    }
    for (b, v) in &c.blocks {
        let (tag, style) = match v {
            Verdict::Keep { .. } => ("KEEP", KEEP),
            Verdict::Drop { .. } => ("DROP", DROP),
        };
        // A model decision shows its score; a model drop, what weighed most.
        let label = match c.decisions.get(b.index).and_then(Option::as_ref) {
            Some(d) if v.label() == "model" || !v.is_keep() || d.score >= 0.5 => {
                format!("{} {:.2}", v.label(), d.score)
            }
            _ => v.label().to_owned(),
        };
        writeln!(out, "{:>4} {} {:<34} {}", b.index, paint(style, tag), label, preview(&b.text))?;
        if let Some(Some(d)) = c.decisions.get(b.index).filter(|_| !v.is_keep()) {
            if !d.top.is_empty() {
                let why: Vec<String> = d.top.iter().map(|w| format!("{} {:+.2}", w.feature, w.weight)).collect();
                writeln!(out, "{:>4}      {}", "", paint(DIM, &format!("model: {}", why.join(", "))))?;
            }
        }
    }
    Ok(())
}

fn preview(text: &str) -> String {
    let flat = text.replace('\n', " ⏎ ");
    if flat.chars().count() <= PREVIEW {
        flat
    } else {
        let cut: String = flat.chars().take(PREVIEW - 1).collect();
        format!("{cut}…")
    }
}
