//! Evidence that only HTML input carries: hidden elements, figure captions,
//! link-heavy blocks and boilerplate words in class names. Text input has no
//! [`DomInfo`](crate::blocks::DomInfo) and passes through untouched.

use crate::blocks::Block;
use crate::classify::Verdict;
use crate::features::Features;

/// Class or id words that mark page furniture.
const FURNITURE: &[&str] = &[
    "caption", "credit", "related", "share", "social", "newsletter", "cookie", "consent", "advert", "ad", "ads",
    "promo", "sponsor", "comment", "comments", "byline", "breadcrumb", "nav", "menu", "footer", "subscribe",
    "signup", "paywall", "teaser", "recommended", "outbrain", "taboola", "tags", "sidebar", "widget",
];

/// Drop blocks the DOM marks as furniture.
pub fn evidence(blocks: &[Block], feats: &[Features], verdicts: &mut [Verdict]) {
    for (i, (b, f)) in blocks.iter().zip(feats).enumerate() {
        let Some(d) = &b.dom else { continue };
        if !verdicts[i].is_keep() {
            continue;
        }
        let v = if d.hidden {
            Some("dom.hidden")
        } else if d.in_figure {
            Some("dom.figure")
        } else if f.link_density > 0.5 && !f.terminal {
            Some("dom.link-list")
        } else if !d.in_main && d.path_tokens.iter().any(|t| FURNITURE.contains(&t.as_str())) {
            Some("dom.furniture-class")
        } else if d.in_chrome && !d.in_main {
            Some("dom.page-chrome")
        } else {
            None
        };
        if let Some(rule) = v {
            verdicts[i] = Verdict::drop(rule, "dom");
        }
    }
}
