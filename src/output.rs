//! Stage 5 of the pipeline: the kept blocks in input order become the clean
//! text; the dropped ones are reported with the rule that dropped them.

use crate::blocks::Block;
use crate::classify::{Metadata, Trim, Verdict};
use crate::model::{Decision, Weight};
use serde::Serialize;

/// A block (or a prefix of one) that was removed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Removed {
    /// Index of the block in the document.
    pub index: usize,
    /// 1-based source line (0 for HTML).
    pub line: usize,
    pub text: String,
    /// The rule that removed it, as `--explain` shows it.
    pub rule: String,
    /// The rule's kind: ad, caption, related, timestamp, footer, metadata, profile, dom, context, model.
    pub kind: String,
    /// For a model decision: the model's score (probability of boilerplate).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// For a model decision: the features that weighed most.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub features: Vec<Weight>,
}

/// The result of cleaning one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cleaned {
    /// The article: kept blocks joined by a blank line, ending in a newline
    /// (empty when nothing was kept).
    pub text: String,
    /// The kept blocks, one paragraph each.
    pub paragraphs: Vec<String>,
    /// Everything removed, in input order.
    pub removed: Vec<Removed>,
    pub metadata: Metadata,
    /// Every block with its verdict, for `--explain`.
    #[serde(skip)]
    pub blocks: Vec<(Block, Verdict)>,
    /// Per block: the block model's decision, where it scored the block
    /// (empty when no model ran; a block it may not drop is scored only with
    /// [`crate::Cleaner::model_every_score`]).
    #[serde(skip)]
    pub decisions: Vec<Option<Decision>>,
}

impl Cleaned {
    /// Copy the model's score and top features into `removed`.
    pub(crate) fn attach_decisions(&mut self) {
        for r in &mut self.removed {
            if r.kind != "model" {
                continue;
            }
            if let Some(Some(d)) = self.decisions.get(r.index) {
                r.score = Some(d.score);
                r.features = d.top.clone();
            }
        }
    }
}

/// Put the pieces together.
pub fn assemble(blocks: Vec<Block>, verdicts: Vec<Verdict>, trims: Vec<Trim>, metadata: Metadata) -> Cleaned {
    let mut paragraphs = Vec::new();
    let mut removed: Vec<Removed> = trims
        .into_iter()
        .map(|t| Removed {
            index: t.index,
            line: blocks[t.index].line,
            text: t.text,
            rule: t.rule,
            kind: "metadata".into(),
            score: None,
            features: Vec::new(),
        })
        .collect();
    for (b, v) in blocks.iter().zip(&verdicts) {
        match v {
            Verdict::Keep { .. } => paragraphs.push(b.text.clone()),
            Verdict::Drop { rule, kind } => removed.push(Removed {
                index: b.index,
                line: b.line,
                text: b.text.clone(),
                rule: rule.clone(),
                kind: (*kind).to_owned(),
                score: None,
                features: Vec::new(),
            }),
        }
    }
    removed.sort_by_key(|r| r.index);
    let mut text = paragraphs.join("\n\n");
    if !text.is_empty() {
        text.push('\n');
    }
    Cleaned {
        text,
        paragraphs,
        removed,
        metadata,
        blocks: blocks.into_iter().zip(verdicts).collect(),
        decisions: Vec::new(),
    }
}
