//! The statistical safety net, after jusText's context-sensitive pass: a run
//! of short, non-prose blocks (few words, no sentence ending, few stopwords)
//! enclosed by dropped blocks (other than metadata lines) is dropped too,
//! because navigation fragments cluster with the boilerplate around them. A
//! run at the very end counts as enclosed when the block before it was dropped. Story text is never short
//! and stopword-free at once, so this pass cannot reach a sentence.

use crate::blocks::{Block, BlockShape};
use crate::classify::Verdict;
use crate::features::Features;

/// A fragment has at most this many words.
const FRAGMENT_MAX_WORDS: usize = 10;
/// A fragment has fewer stopwords than this share.
const FRAGMENT_MAX_STOPWORDS: f32 = 0.2;

fn is_fragment(b: &Block, f: &Features) -> bool {
    f.words > 0
        && f.words <= FRAGMENT_MAX_WORDS
        && !f.terminal
        && f.stopword_density < FRAGMENT_MAX_STOPWORDS
        && b.shape != BlockShape::List
        && b.shape != BlockShape::Heading
}

/// Whether a dropped neighbour makes a fragment boilerplate. Metadata lines
/// (a byline, a `Source:` line) sit next to the headline by design, so a
/// short headline between an ad slot and a byline is still the headline.
fn encloses(v: &Verdict) -> bool {
    matches!(v, Verdict::Drop { kind, .. } if *kind != "metadata")
}

/// Drop fragment runs enclosed by dropped blocks.
pub fn safety_net(blocks: &[Block], feats: &[Features], verdicts: &mut [Verdict]) {
    let n = blocks.len();
    let mut i = 0;
    while i < n {
        if !(verdicts[i].is_keep() && is_fragment(&blocks[i], &feats[i])) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && verdicts[i].is_keep() && is_fragment(&blocks[i], &feats[i]) {
            i += 1;
        }
        let before = start > 0 && encloses(&verdicts[start - 1]);
        let after = i == n || encloses(&verdicts[i]);
        if before && after {
            for v in &mut verdicts[start..i] {
                *v = Verdict::drop("context.enclosed-fragment", "context");
            }
        }
    }
}
