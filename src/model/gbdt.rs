//! Gradient-boosted decision trees for binary classification: a small,
//! deterministic implementation of the method XGBoost and LightGBM share
//! (second-order boosting of the logistic loss, histogram splits on
//! quantile bins, L2-regularised leaf values), and the inference the
//! classifier runs per block.
//!
//! Why not a crate: the published GBDT crates either pull in a large
//! dependency tree or cannot promise byte-identical models from the same
//! data. Here training is a fixed sequence of floating-point operations
//! (features are binned from sorted values, histograms are summed in row
//! order, ties go to the lower feature and bin), so the same examples give
//! the same JSON, byte for byte, on any machine and any thread count.

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Params {
    pub trees: usize,
    pub max_depth: usize,
    pub learning_rate: f64,
    /// L2 penalty on leaf values (XGBoost's `lambda`).
    pub lambda: f64,
    /// A split needs at least this hessian sum on each side.
    pub min_child_weight: f64,
    /// Quantile bins per feature.
    pub bins: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params { trees: 40, max_depth: 4, learning_rate: 0.15, lambda: 1.0, min_child_weight: 2.0, bins: 64 }
    }
}

/// One tree, as parallel arrays. Node 0 is the root; a node with
/// `feature[n] < 0` is a leaf whose value is `value[n]`; otherwise rows with
/// `x[feature] <= threshold` go to `left`, the others to `right`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub feature: Vec<i32>,
    pub threshold: Vec<f32>,
    pub left: Vec<u32>,
    pub right: Vec<u32>,
    pub value: Vec<f32>,
}

impl Tree {
    #[inline]
    fn eval(&self, x: &[f32]) -> f32 {
        let mut n = 0usize;
        loop {
            let f = self.feature[n];
            if f < 0 {
                return self.value[n];
            }
            n = if x[f as usize] <= self.threshold[n] { self.left[n] } else { self.right[n] } as usize;
        }
    }

    fn push_leaf(&mut self, value: f32) -> u32 {
        self.feature.push(-1);
        self.threshold.push(0.0);
        self.left.push(0);
        self.right.push(0);
        self.value.push(value);
        (self.feature.len() - 1) as u32
    }
}

/// A trained ensemble: `sigmoid(base + Σ trees)` is the probability of the
/// positive class.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub base: f32,
    pub trees: Vec<Tree>,
}

impl Forest {
    /// The raw margin (log-odds) of one row, tree by tree: the reference
    /// that [`Packed`], which scores for the cleaner and for training, is
    /// tested against.
    #[cfg(test)]
    fn margin(&self, x: &[f32]) -> f32 {
        let mut sum = self.base;
        for t in &self.trees {
            sum += t.eval(x);
        }
        sum
    }

    #[cfg(test)]
    fn predict(&self, x: &[f32]) -> f32 {
        sigmoid(self.margin(x))
    }

    /// How much each feature moved this row's margin: the change in the
    /// expected leaf value along its path through every tree (Saabas'
    /// attribution). Sums, with the base, to the margin's distance from the
    /// root values. Used to explain a decision.
    pub fn contributions(&self, x: &[f32], n_features: usize, node_means: &[Vec<f32>]) -> Vec<f32> {
        let mut out = vec![0.0f32; n_features];
        for (t, means) in self.trees.iter().zip(node_means) {
            let mut n = 0usize;
            loop {
                let f = t.feature[n];
                if f < 0 {
                    break;
                }
                let next = if x[f as usize] <= t.threshold[n] { t.left[n] } else { t.right[n] } as usize;
                out[f as usize] += means[next] - means[n];
                n = next;
            }
        }
        out
    }
}

/// One node of a [`Packed`] forest: a split, or a leaf (`feature < 0`)
/// whose value is `threshold`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Node {
    feature: i32,
    threshold: f32,
    left: u32,
    right: u32,
}

/// A forest laid out for scoring. Trees up to [`COMPLETE_MAX_DEPTH`] deep
/// are stored as complete binary trees of the forest's depth (a shallower
/// leaf is repeated below dummy splits), so a row takes the same number of
/// steps down every tree and each step is an index computation, not a
/// pointer to follow. Deeper forests keep every node in one array with
/// children indexed in it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Packed {
    base: f32,
    layout: Layout,
}

/// The deepest forest laid out complete: 2^10 leaves per tree.
const COMPLETE_MAX_DEPTH: usize = 10;

#[derive(Debug, Clone, PartialEq)]
enum Layout {
    /// Per tree, `2^depth - 1` splits (heap order: the children of `p` are
    /// `2p + 1` and `2p + 2`), then `2^depth` leaves.
    Complete {
        depth: usize,
        feature: Vec<u32>,
        threshold: Vec<f32>,
        leaves: Vec<f32>,
    },
    Nodes {
        nodes: Vec<Node>,
        roots: Vec<u32>,
    },
}

impl Default for Layout {
    fn default() -> Self {
        Layout::Nodes { nodes: Vec::new(), roots: Vec::new() }
    }
}

/// The depth of a tree (a lone leaf: 0). Children come after their parent
/// (as trained, and as `Model::from_json` checks), so one pass from the last
/// node back gives every subtree's depth, however the nodes are shared.
fn depth_of(t: &Tree) -> usize {
    let mut depth = vec![0usize; t.feature.len()];
    for n in (0..t.feature.len()).rev() {
        if t.feature[n] >= 0 {
            depth[n] = 1 + depth[t.left[n] as usize].max(depth[t.right[n] as usize]);
        }
    }
    depth.first().copied().unwrap_or(0)
}

impl Packed {
    pub fn new(f: &Forest) -> Packed {
        let depth = f.trees.iter().map(depth_of).max().unwrap_or(0);
        if depth <= COMPLETE_MAX_DEPTH {
            let (splits, leaves_per_tree) = ((1usize << depth) - 1, 1usize << depth);
            let mut feature = vec![0u32; splits * f.trees.len()];
            let mut threshold = vec![0f32; splits * f.trees.len()];
            let mut leaves = vec![0f32; leaves_per_tree * f.trees.len()];
            for (k, t) in f.trees.iter().enumerate() {
                if t.feature.is_empty() {
                    continue;
                }
                let mut stack = vec![(0usize, 0usize)];
                while let Some((n, p)) = stack.pop() {
                    if p >= splits {
                        leaves[k * leaves_per_tree + p - splits] = t.value[n];
                    } else if t.feature[n] < 0 {
                        // A leaf above the forest's depth: the same value
                        // whichever way the dummy split below it goes.
                        stack.push((n, 2 * p + 1));
                        stack.push((n, 2 * p + 2));
                    } else {
                        feature[k * splits + p] = t.feature[n] as u32;
                        threshold[k * splits + p] = t.threshold[n];
                        stack.push((t.left[n] as usize, 2 * p + 1));
                        stack.push((t.right[n] as usize, 2 * p + 2));
                    }
                }
            }
            return Packed { base: f.base, layout: Layout::Complete { depth, feature, threshold, leaves } };
        }
        let mut nodes = Vec::new();
        let mut roots = Vec::with_capacity(f.trees.len());
        for t in &f.trees {
            let off = nodes.len() as u32;
            roots.push(off);
            for i in 0..t.feature.len() {
                let leaf = t.feature[i] < 0;
                nodes.push(Node {
                    feature: t.feature[i],
                    threshold: if leaf { t.value[i] } else { t.threshold[i] },
                    left: off + t.left[i],
                    right: off + t.right[i],
                });
            }
        }
        Packed { base: f.base, layout: Layout::Nodes { nodes, roots } }
    }

    #[inline]
    pub fn margin(&self, x: &[f32]) -> f32 {
        match &self.layout {
            // A literal depth lets the walk's steps unroll.
            Layout::Complete { depth, feature, threshold, leaves } => match depth {
                // Trees that are a lone leaf each: no split to walk.
                0 => leaves.iter().fold(self.base, |sum, l| sum + l),
                4 => complete(4, self.base, x, feature, threshold, leaves),
                3 => complete(3, self.base, x, feature, threshold, leaves),
                5 => complete(5, self.base, x, feature, threshold, leaves),
                6 => complete(6, self.base, x, feature, threshold, leaves),
                &d => complete(d, self.base, x, feature, threshold, leaves),
            },
            Layout::Nodes { nodes, roots } => {
                let mut sum = self.base;
                for &root in roots {
                    let mut n = &nodes[root as usize];
                    while n.feature >= 0 {
                        let go = if x[n.feature as usize] <= n.threshold { n.left } else { n.right };
                        n = &nodes[go as usize];
                    }
                    sum += n.threshold;
                }
                sum
            }
        }
    }
}

/// The margin over complete trees of `depth` (at least 1). Only `x <= t` goes left, as
/// in [`Tree::eval`] (a NaN goes right). Inlined into each call of
/// [`Packed::margin`], whose literal depths unroll the steps.
#[inline(always)]
fn complete(depth: usize, base: f32, x: &[f32], feature: &[u32], threshold: &[f32], leaves: &[f32]) -> f32 {
    let splits = (1usize << depth) - 1;
    let mut sum = base;
    for ((f, t), l) in
        feature.chunks_exact(splits).zip(threshold.chunks_exact(splits)).zip(leaves.chunks_exact(splits + 1))
    {
        let mut p = 0usize;
        for _ in 0..depth {
            let left = x[f[p] as usize] <= t[p];
            p = 2 * p + 2 - left as usize;
        }
        sum += l[p - splits];
    }
    sum
}

#[inline]
pub fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

/// Row-major training rows of equal width.
pub struct Matrix<'a> {
    pub rows: &'a [f32],
    pub width: usize,
}

impl Matrix<'_> {
    pub fn len(&self) -> usize {
        self.rows.len().checked_div(self.width).unwrap_or(0)
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    #[inline]
    pub fn row(&self, i: usize) -> &[f32] {
        &self.rows[i * self.width..(i + 1) * self.width]
    }
}

/// Cut points of one feature: a value `v` falls in the first bin `b` with
/// `v <= cuts[b]`, or in the last bin (`cuts.len()`).
fn cut_points(values: &mut [f32], bins: usize) -> Vec<f32> {
    values.sort_by(f32::total_cmp);
    let mut cuts: Vec<f32> = Vec::new();
    let n = values.len();
    for q in 1..bins {
        let v = values[(q * n / bins).min(n - 1)];
        // A cut at the largest value would leave the last bin empty.
        if v < values[n - 1] && cuts.last().is_none_or(|&c| v > c) {
            cuts.push(v);
        }
    }
    cuts
}

/// Rows per chunk of a histogram: chunks are summed in parallel and added
/// in chunk order, so the sums do not depend on the thread count.
const CHUNK: usize = 4096;

/// Train on `x` with labels `y` (0 or 1) and example weights `w`.
pub fn train(x: &Matrix<'_>, y: &[f32], w: &[f32], p: &Params) -> Forest {
    let n = x.len();
    let nf = x.width;
    assert!(y.len() == n && w.len() == n, "labels and weights must match the rows");
    assert!(p.bins <= 256, "at most 256 bins");
    if n == 0 {
        return Forest::default();
    }
    // Bin every feature once.
    let cuts: Vec<Vec<f32>> = (0..nf)
        .into_par_iter()
        .map(|f| {
            let mut v: Vec<f32> = (0..n).map(|i| x.row(i)[f]).collect();
            cut_points(&mut v, p.bins)
        })
        .collect();
    // Row-major bin codes: one pass over a row fills every feature's histogram.
    let mut codes = vec![0u8; n * nf];
    codes.par_chunks_mut(nf).enumerate().for_each(|(i, row)| {
        for (f, c) in row.iter_mut().enumerate() {
            *c = cuts[f].partition_point(|&cut| cut < x.row(i)[f]) as u8;
        }
    });
    let offsets: Vec<usize> = cuts
        .iter()
        .scan(0, |acc, c| {
            let o = *acc;
            *acc += c.len() + 1;
            Some(o)
        })
        .collect();
    let total_bins = offsets.last().copied().unwrap_or(0) + cuts.last().map_or(0, |c| c.len() + 1);
    let wsum: f64 = w.iter().map(|&v| v as f64).sum();
    let pos: f64 = y.iter().zip(w).map(|(&y, &w)| (y * w) as f64).sum();
    let prior = (pos / wsum).clamp(1e-6, 1.0 - 1e-6);
    let base = (prior / (1.0 - prior)).ln() as f32;
    let mut margin = vec![base as f64; n];
    let mut forest = Forest { base, trees: Vec::with_capacity(p.trees) };
    let mut gh = vec![(0.0f64, 0.0f64); n];
    for _ in 0..p.trees {
        for i in 0..n {
            let pr = 1.0 / (1.0 + (-margin[i]).exp());
            gh[i] = ((pr - y[i] as f64) * w[i] as f64, (pr * (1.0 - pr)).max(1e-12) * w[i] as f64);
        }
        let grower = Grower { codes: &codes, nf, cuts: &cuts, offsets: &offsets, total_bins, gh: &gh, p };
        let rows: Vec<u32> = (0..n as u32).collect();
        let hist = grower.histogram(&rows);
        let mut tree = Tree::default();
        grower.grow(&mut tree, rows, hist, 0);
        for (i, m) in margin.iter_mut().enumerate() {
            *m += tree.eval(x.row(i)) as f64;
        }
        forest.trees.push(tree);
    }
    forest
}

struct Grower<'a> {
    codes: &'a [u8],
    nf: usize,
    cuts: &'a [Vec<f32>],
    /// Where each feature's bins start in a histogram.
    offsets: &'a [usize],
    total_bins: usize,
    gh: &'a [(f64, f64)],
    p: &'a Params,
}

struct Split {
    gain: f64,
    feature: usize,
    bin: usize,
}

type Hist = Vec<(f64, f64)>;

impl Grower<'_> {
    fn leaf_value(&self, g: f64, h: f64) -> f32 {
        (-g / (h + self.p.lambda) * self.p.learning_rate) as f32
    }

    /// Gradient and hessian sums per feature bin over `rows`.
    fn histogram(&self, rows: &[u32]) -> Hist {
        let part = |chunk: &[u32]| {
            let mut h = vec![(0.0f64, 0.0f64); self.total_bins];
            for &r in chunk {
                let r = r as usize;
                let (g, hh) = self.gh[r];
                let row = &self.codes[r * self.nf..(r + 1) * self.nf];
                for (f, &c) in row.iter().enumerate() {
                    let e = &mut h[self.offsets[f] + c as usize];
                    e.0 += g;
                    e.1 += hh;
                }
            }
            h
        };
        if rows.len() <= CHUNK {
            return part(rows);
        }
        let parts: Vec<Hist> = rows.par_chunks(CHUNK).map(part).collect();
        let mut it = parts.into_iter();
        let mut acc = it.next().unwrap_or_default();
        for h in it {
            for (a, b) in acc.iter_mut().zip(h) {
                a.0 += b.0;
                a.1 += b.1;
            }
        }
        acc
    }

    /// Grow the subtree for `rows`, whose histogram is `hist`; returns its node index.
    fn grow(&self, tree: &mut Tree, rows: Vec<u32>, hist: Hist, depth: usize) -> u32 {
        let (gs, hs) =
            rows.iter().fold((0.0, 0.0), |(a, b), &r| (a + self.gh[r as usize].0, b + self.gh[r as usize].1));
        let split = if depth < self.p.max_depth { self.best_split(&hist, gs, hs) } else { None };
        let Some(s) = split else {
            return tree.push_leaf(self.leaf_value(gs, hs));
        };
        let node = tree.push_leaf(0.0) as usize;
        let (l, r): (Vec<u32>, Vec<u32>) =
            rows.into_iter().partition(|&i| (self.codes[i as usize * self.nf + s.feature] as usize) <= s.bin);
        // Sum the smaller child; the larger one is the parent minus it.
        let (small, small_is_left) = if l.len() <= r.len() { (&l, true) } else { (&r, false) };
        let hs_small = self.histogram(small);
        let mut hs_large = hist;
        for (a, b) in hs_large.iter_mut().zip(&hs_small) {
            a.0 -= b.0;
            a.1 -= b.1;
        }
        let (hl, hr) = if small_is_left { (hs_small, hs_large) } else { (hs_large, hs_small) };
        let left = self.grow(tree, l, hl, depth + 1);
        let right = self.grow(tree, r, hr, depth + 1);
        tree.feature[node] = s.feature as i32;
        tree.threshold[node] = self.cuts[s.feature][s.bin];
        tree.left[node] = left;
        tree.right[node] = right;
        node as u32
    }

    fn best_split(&self, hist: &Hist, gs: f64, hs: f64) -> Option<Split> {
        let lambda = self.p.lambda;
        let parent = gs * gs / (hs + lambda);
        let mut best: Option<Split> = None;
        for f in 0..self.nf {
            let nb = self.cuts[f].len() + 1;
            let h = &hist[self.offsets[f]..self.offsets[f] + nb];
            let (mut gl, mut hl) = (0.0, 0.0);
            for (b, &(g, hh)) in h.iter().enumerate().take(nb - 1) {
                gl += g;
                hl += hh;
                let (gr, hr) = (gs - gl, hs - hl);
                if hl < self.p.min_child_weight || hr < self.p.min_child_weight {
                    continue;
                }
                let gain = gl * gl / (hl + lambda) + gr * gr / (hr + lambda) - parent;
                // Ties go to the lower feature and bin (strictly greater wins).
                if gain > 1e-9 && best.as_ref().is_none_or(|s| gain > s.gain) {
                    best = Some(Split { gain, feature: f, bin: b });
                }
            }
        }
        best
    }
}

/// The hessian-weighted mean leaf value below every node of every tree, for
/// [`Forest::contributions`]. `x` are rows that pass through the trees (the
/// training rows; node means from them are stored with the model).
pub fn node_means(forest: &Forest, x: &Matrix<'_>) -> Vec<Vec<f32>> {
    forest
        .trees
        .iter()
        .map(|t| {
            let mut sum = vec![0.0f64; t.feature.len()];
            let mut cnt = vec![0.0f64; t.feature.len()];
            for i in 0..x.len() {
                let row = x.row(i);
                let mut path = vec![0usize];
                let mut n = 0usize;
                while t.feature[n] >= 0 {
                    n = if row[t.feature[n] as usize] <= t.threshold[n] { t.left[n] } else { t.right[n] } as usize;
                    path.push(n);
                }
                for &p in &path {
                    sum[p] += t.value[n] as f64;
                    cnt[p] += 1.0;
                }
            }
            sum.iter().zip(&cnt).map(|(s, c)| if *c > 0.0 { (s / c) as f32 } else { 0.0 }).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> (Vec<f32>, Vec<f32>) {
        // y = 1 when x0 > 0.5 or (x1 > 0.8); x2 is noise.
        let mut x = Vec::new();
        let mut y = Vec::new();
        let mut s = 12345u64;
        let mut rnd = || {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (s >> 40) as f32 / (1u64 << 24) as f32
        };
        for _ in 0..2000 {
            let (a, b, c) = (rnd(), rnd(), rnd());
            x.extend([a, b, c]);
            y.push(if a > 0.5 || b > 0.8 { 1.0 } else { 0.0 });
        }
        (x, y)
    }

    #[test]
    fn learns_a_separable_rule_and_is_deterministic() {
        let (x, y) = data();
        let m = Matrix { rows: &x, width: 3 };
        let w = vec![1.0; y.len()];
        let f = train(&m, &y, &w, &Params { trees: 30, ..Params::default() });
        let wrong = (0..m.len()).filter(|&i| (f.predict(m.row(i)) > 0.5) != (y[i] > 0.5)).count();
        assert!(wrong < 20, "{wrong} of 2000 wrong");
        assert!(f.predict(&[0.9, 0.1, 0.5]) > 0.9);
        assert!(f.predict(&[0.1, 0.1, 0.5]) < 0.1);
        assert!(f.predict(&[0.1, 0.95, 0.5]) > 0.9);
        let packed = Packed::new(&f);
        for i in 0..m.len() {
            assert_eq!(packed.margin(m.row(i)), f.margin(m.row(i)));
        }
        let again = train(&m, &y, &w, &Params { trees: 30, ..Params::default() });
        assert_eq!(serde_json::to_string(&f).unwrap(), serde_json::to_string(&again).unwrap());
    }

    #[test]
    fn every_layout_scores_as_the_trees_do() {
        // Depths that take the unrolled walks, the general complete walk,
        // and the node array; the data make some leaves shallower than the
        // forest's depth, and a NaN must go right as the trees send it.
        let (x, y) = data();
        let m = Matrix { rows: &x, width: 3 };
        let mut scored = x.clone();
        for i in (0..scored.len()).step_by(97) {
            scored[i] = f32::NAN;
        }
        let s = Matrix { rows: &scored, width: 3 };
        let w = vec![1.0; y.len()];
        for depth in [1, 3, 4, 5, 6, 7, 11] {
            let f =
                train(&m, &y, &w, &Params { trees: 12, max_depth: depth, min_child_weight: 8.0, ..Params::default() });
            let deepest = f.trees.iter().map(depth_of).max().unwrap();
            let leaves = |t: &Tree| t.feature.iter().filter(|&&f| f < 0).count();
            let short = f.trees.iter().any(|t| leaves(t) < 1 << deepest);
            assert!(deepest <= depth);
            if depth == 4 {
                assert!(
                    short,
                    "the test needs a leaf above the forest depth {deepest}: {:?}",
                    f.trees.iter().map(leaves).collect::<Vec<_>>()
                );
            }
            let packed = Packed::new(&f);
            assert_eq!(matches!(packed.layout, Layout::Complete { .. }), deepest <= COMPLETE_MAX_DEPTH);
            for i in 0..s.len() {
                assert_eq!(packed.margin(s.row(i)).to_bits(), f.margin(s.row(i)).to_bits(), "depth {depth} row {i}");
            }
        }
        assert_eq!(Packed::new(&Forest { base: 0.25, trees: Vec::new() }).margin(&[0.0]), 0.25);
        // Trees that are a lone leaf each (a constant target).
        let lone = |v: f32| {
            let mut t = Tree::default();
            t.push_leaf(v);
            t
        };
        let flat = Forest { base: 0.25, trees: vec![lone(0.5), lone(-0.125)] };
        assert_eq!(Packed::new(&flat).margin(&[0.0]).to_bits(), flat.margin(&[0.0]).to_bits());
        // A chain deeper than the complete layout takes: split k sends
        // x <= k left to a leaf worth k, and the rest on down.
        let mut t = Tree::default();
        for k in 0..12u32 {
            t.feature.extend([0, -1]);
            t.threshold.extend([k as f32, 0.0]);
            t.left.extend([2 * k + 1, 0]);
            t.right.extend([2 * k + 2, 0]);
            t.value.extend([0.0, k as f32]);
        }
        t.push_leaf(100.0);
        let chain = Forest { base: 0.0, trees: vec![t] };
        let packed = Packed::new(&chain);
        assert!(matches!(packed.layout, Layout::Nodes { .. }));
        for v in [-1.0, 0.5, 3.0, 11.0, 11.5, 50.0, f32::NAN] {
            assert_eq!(packed.margin(&[v]).to_bits(), chain.margin(&[v]).to_bits(), "{v}");
        }
    }

    #[test]
    fn contributions_name_the_deciding_feature() {
        let (x, y) = data();
        let m = Matrix { rows: &x, width: 3 };
        let f = train(&m, &y, &vec![1.0; y.len()], &Params { trees: 20, ..Params::default() });
        let means = node_means(&f, &m);
        let c = f.contributions(&[0.9, 0.1, 0.5], 3, &means);
        assert!(c[0] > c[1].abs() && c[0] > c[2].abs(), "{c:?}");
    }

    #[test]
    fn empty_and_constant_inputs_train() {
        let f = train(&Matrix { rows: &[], width: 2 }, &[], &[], &Params::default());
        assert!(f.trees.is_empty());
        let f = train(&Matrix { rows: &[1.0, 1.0, 1.0, 1.0], width: 2 }, &[1.0, 0.0], &[1.0, 1.0], &Params::default());
        assert!((f.predict(&[1.0, 1.0]) - 0.5).abs() < 1e-3);
    }
}
