//! What the search records for temporal properties, in flat arrays: per expanded state, its
//! steps to other states (the successor's fingerprint and a label naming the fairness
//! conditions the step belongs to), which conditions it enables, and the properties'
//! predicates in it. After a complete search the log becomes the behaviour graph
//! (`liveness::Graph`), its fingerprints mapped to nodes in parallel.

use std::collections::HashMap;

use crate::liveness::{set_bit, Bits, Graph, Labels as EdgeLabels};
use crate::model::{FairInstance, Model};
use crate::panics::run_model_code;

use super::store::NO_PARENT;

/// A fairness condition of one action: its index and the parameter values it is per.
type FairOfAction = (usize, Vec<(usize, String)>);

/// The model's fairness conditions per action, and the widths of the bit sets.
pub(crate) struct LiveCtx {
    per_action: Vec<Vec<FairOfAction>>,
    /// Whether the action has a condition per parameter value (its steps' parameters must
    /// be rendered to match them).
    per_param: Vec<bool>,
    pub fair_words: usize,
    pub pred_words: usize,
    /// The abstract models' fairness conditions (refinements): their bits follow the model's
    /// own conditions, from `abstract_first` on, `abstract_count` of them.
    pub abstract_first: usize,
    pub abstract_count: usize,
}

impl LiveCtx {
    pub fn new(
        actions: usize,
        fair: &[FairInstance],
        abstract_count: usize,
        pred_count: usize,
    ) -> LiveCtx {
        let mut per_action = vec![Vec::new(); actions];
        for (i, f) in fair.iter().enumerate() {
            // A group condition (`fair!(a | b)`) is one bit that steps of each member set.
            for (action, per) in f.members() {
                per_action[action].push((i, per.to_vec()));
            }
        }
        let per_param = per_action
            .iter()
            .map(|conds: &Vec<FairOfAction>| conds.iter().any(|(_, per)| !per.is_empty()))
            .collect();
        LiveCtx {
            per_action,
            per_param,
            fair_words: (fair.len() + abstract_count).div_ceil(64),
            pred_words: pred_count.div_ceil(64),
            abstract_first: fair.len(),
            abstract_count,
        }
    }
}

/// Interned rows of fairness bits: a step's label is the index of its row.
#[derive(Default)]
struct Labels {
    rows: Vec<u64>,
    index: HashMap<Vec<u64>, u32>,
}

impl Labels {
    fn intern(&mut self, row: &[u64]) -> u32 {
        if let Some(&l) = self.index.get(row) {
            return l;
        }
        let l = self.index.len() as u32;
        self.rows.extend_from_slice(row);
        self.index.insert(row.to_vec(), l);
        l
    }
}

/// The records of one chunk's states, in order.
#[derive(Default)]
pub(crate) struct LiveChunk {
    succ: Vec<u64>,
    labels: Vec<u32>,
    /// Where each state's steps end in `succ`.
    ends: Vec<u32>,
    enabled: Vec<u64>,
    preds: Vec<u64>,
    local: Labels,
    row: Vec<u64>,
    /// The labels of the actions whose conditions do not depend on parameters.
    by_action: HashMap<usize, u32>,
    values: Vec<bool>,
}

impl LiveChunk {
    pub fn begin_state(&mut self, ctx: &LiveCtx) {
        self.enabled.extend(std::iter::repeat_n(0, ctx.fair_words));
        self.preds.extend(std::iter::repeat_n(0, ctx.pred_words));
    }

    /// A step to another state (an edge of the behaviour graph): it enables, and is a step
    /// of, the fairness conditions of its action that match its parameters.
    pub fn record_step(
        &mut self,
        ctx: &LiveCtx,
        action: usize,
        param: &dyn Fn(usize) -> String,
        fp: u64,
        abstract_steps: &[bool],
    ) {
        // A step of an abstract model's fairness condition depends on the states, not only
        // on the action: such a step's label is not cached per action.
        let abstract_step = abstract_steps.iter().any(|&f| f);
        let label = match self.by_action.get(&action) {
            Some(&l) if !ctx.per_param[action] && !abstract_step => l,
            _ => {
                self.row.clear();
                self.row.resize(ctx.fair_words, 0);
                // Each needed parameter is rendered once per step.
                let mut rendered: Vec<Option<String>> = Vec::new();
                for (cond, per) in &ctx.per_action[action] {
                    let matches = per.iter().all(|(pos, v)| {
                        if rendered.len() <= *pos {
                            rendered.resize(*pos + 1, None);
                        }
                        rendered[*pos].get_or_insert_with(|| param(*pos)) == v
                    });
                    if matches {
                        set_bit(&mut self.row, *cond);
                    }
                }
                for (k, &f) in abstract_steps.iter().enumerate() {
                    if f {
                        set_bit(&mut self.row, ctx.abstract_first + k);
                    }
                }
                let l = self.local.intern(&self.row);
                if !ctx.per_param[action] && !abstract_step {
                    self.by_action.insert(action, l);
                }
                l
            }
        };
        let w = ctx.fair_words;
        let state_row = self.enabled.len() - w;
        for k in 0..w {
            self.enabled[state_row + k] |= self.local.rows[label as usize * w + k];
        }
        self.succ.push(fp);
        self.labels.push(label);
    }

    /// The end of a state's steps: evaluates the properties' predicates in it; the message and
    /// the function when one panics.
    pub fn end_state<M: Model>(
        &mut self,
        ctx: &LiveCtx,
        model: &M,
        state: &M::State,
    ) -> Option<(String, String)> {
        self.ends.push(self.succ.len() as u32);
        self.values.clear();
        let mut failure = None;
        for p in 0..model.meta().liveness.len() {
            if let Err(message) = run_model_code(|| model.liveness_eval(p, state, &mut self.values))
            {
                let role = format!("temporal property {}", model.meta().liveness[p].tla);
                failure = Some((message, role));
                break;
            }
        }
        let row = self.preds.len() - ctx.pred_words;
        for (b, &v) in self.values.iter().enumerate() {
            if v {
                set_bit(&mut self.preds[row..], b);
            }
        }
        // The abstract models' fairness conditions are enabled where their abstract action
        // is, in the abstract state this one maps to (not where a step maps to one).
        if ctx.abstract_count > 0 {
            let row = self.enabled.len() - ctx.fair_words;
            for k in 0..ctx.abstract_count {
                let b = ctx.abstract_first + k;
                self.enabled[row + b / 64] &= !(1u64 << (b % 64));
            }
            self.values.clear();
            if run_model_code(|| model.refinement_fairness_enabled(state, &mut self.values)).is_ok()
            {
                for (k, &f) in self.values.iter().enumerate() {
                    if f {
                        set_bit(&mut self.enabled[row..], ctx.abstract_first + k);
                    }
                }
            }
        }
        failure
    }

    /// The end of a state whose successors could not be computed.
    pub fn end_state_unevaluated(&mut self) {
        self.ends.push(self.succ.len() as u32);
    }
}

/// The records of the whole search, in node order.
pub(crate) struct LiveLog {
    /// Each step's successor fingerprint, split into its low and high halves: when the
    /// graph is built, `succ_lo` becomes the targets in place and `succ_hi` is freed first.
    succ_lo: Vec<u32>,
    succ_hi: Vec<u32>,
    labels: EdgeLabels,
    offsets: Vec<u64>,
    enabled: Bits,
    preds: Bits,
    global: Labels,
    fair_words: usize,
}

impl LiveLog {
    pub fn new(fair_count: usize, pred_count: usize) -> LiveLog {
        LiveLog {
            succ_lo: Vec::new(),
            succ_hi: Vec::new(),
            labels: EdgeLabels::default(),
            offsets: vec![0],
            enabled: Bits::new(fair_count),
            preds: Bits::new(pred_count),
            global: Labels::default(),
            fair_words: fair_count.div_ceil(64),
        }
    }

    /// The number of states recorded.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Appends the next chunk's records (chunks arrive in node order).
    pub fn append(&mut self, chunk: LiveChunk) {
        let w = self.fair_words;
        let map: Vec<u32> = (0..chunk.local.index.len())
            .map(|l| self.global.intern(&chunk.local.rows[l * w..(l + 1) * w]))
            .collect();
        let base = self.succ_lo.len() as u64;
        self.succ_lo.extend(chunk.succ.iter().map(|&fp| fp as u32));
        self.succ_hi
            .extend(chunk.succ.iter().map(|&fp| (fp >> 32) as u32));
        for &l in &chunk.labels {
            self.labels.push(map[l as usize]);
        }
        self.offsets
            .extend(chunk.ends.iter().map(|&e| base + u64::from(e)));
        self.enabled.data.extend_from_slice(&chunk.enabled);
        self.preds.data.extend_from_slice(&chunk.preds);
    }

    /// What building the graph of `nodes` nodes takes on top of the log, at most: the index
    /// from fingerprints to nodes (a hash table of 16-byte entries, at least an eighth of them
    /// free, plus a control byte each, and its rounding up to a power of two: under 40 bytes a
    /// node) and the initial nodes. The targets and labels are the log's arrays, compacted in
    /// place.
    pub fn graph_bytes(&self, nodes: u64) -> u64 {
        nodes * 44
    }

    /// The behaviour graph: nodes are the distinct states `fps` (in order, `parents[i] ==
    /// NO_PARENT` for the initial ones); a step to a fingerprint that is not a node (a state
    /// outside the constraints) is no edge.
    pub fn into_graph(self, fps: &[u64], parents: &[u32], threads: usize) -> Graph {
        let n = fps.len();
        assert_eq!(self.len(), n, "a record per distinct state");
        let LiveLog {
            mut succ_lo,
            succ_hi,
            labels,
            offsets,
            enabled,
            preds,
            global,
            fair_words,
        } = self;
        let index: hashbrown::HashMap<u64, u32, IdentityBuild> = fps
            .iter()
            .enumerate()
            .map(|(i, &fp)| (fp, i as u32))
            .collect();
        // Each step's target, in place of its fingerprint's low half, in parallel over blocks
        // of steps; `u32::MAX` where the successor is no node (node ids are below `u32::MAX`).
        let block = succ_lo.len().div_ceil(threads.max(1)).max(1 << 16);
        std::thread::scope(|scope| {
            for (lo, hi) in succ_lo.chunks_mut(block).zip(succ_hi.chunks(block)) {
                let index = &index;
                scope.spawn(move || {
                    for (t, &h) in lo.iter_mut().zip(hi) {
                        let fp = u64::from(h) << 32 | u64::from(*t);
                        *t = index.get(&fp).copied().unwrap_or(u32::MAX);
                    }
                });
            }
        });
        drop(index);
        drop(succ_hi);
        let (targets, labels, offsets) = compact(succ_lo, labels, offsets);
        let init = (0..n as u32)
            .filter(|&i| parents[i as usize] == NO_PARENT)
            .collect();
        Graph {
            n,
            offsets,
            targets,
            edge_labels: labels,
            label_bits: global.rows,
            fair_words,
            enabled,
            preds,
            init,
        }
    }
}

/// Removes the steps whose target is `u32::MAX` (no edge), in place, keeping the order; the
/// offsets become those of the kept steps. The arrays' spare room is given back.
fn compact(
    mut targets: Vec<u32>,
    mut labels: EdgeLabels,
    offsets: Vec<u64>,
) -> (Vec<u32>, EdgeLabels, Vec<usize>) {
    let mut kept = 0;
    let mut start = 0;
    // The offsets are rewritten in place (`u64` and `usize` have the same size here).
    let mut offsets: Vec<usize> = offsets.into_iter().map(|o| o as usize).collect();
    for offset in offsets.iter_mut().skip(1) {
        let end = *offset;
        for e in start..end {
            if targets[e] != u32::MAX {
                targets[kept] = targets[e];
                labels.copy(e, kept);
                kept += 1;
            }
        }
        start = end;
        *offset = kept;
    }
    targets.truncate(kept);
    targets.shrink_to_fit();
    labels.truncate(kept);
    (targets, labels, offsets)
}

/// Fingerprints are uniformly distributed already: hash them as they are.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 fingerprints are hashed")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type IdentityBuild = std::hash::BuildHasherDefault<IdentityHasher>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_drops_the_steps_that_are_no_edges_in_place() {
        const X: u32 = u32::MAX;
        // Node 0: steps to 1, X, 2; node 1: none; node 2: X, X; node 3: X, 0.
        let targets = vec![1, X, 2, X, X, X, 0];
        let offsets = vec![0, 3, 3, 5, 7];
        let narrow = EdgeLabels::Narrow(vec![10, 11, 12, 13, 14, 15, 16]);
        let (t, l, o) = compact(targets.clone(), narrow, offsets.clone());
        assert_eq!(t, vec![1, 2, 0]);
        assert_eq!(l, EdgeLabels::Narrow(vec![10, 12, 16]));
        assert_eq!(o, vec![0, 2, 2, 2, 3]);
        let wide = EdgeLabels::Wide(vec![10, 11, 12, 13, 14, 15, 1 << 20]);
        let (_, l, _) = compact(targets, wide, offsets);
        assert_eq!(l, EdgeLabels::Wide(vec![10, 12, 1 << 20]));
    }

    #[test]
    fn labels_are_u16_until_one_does_not_fit() {
        let mut labels = EdgeLabels::default();
        labels.push(3);
        labels.push(65535);
        assert!(matches!(labels, EdgeLabels::Narrow(_)));
        labels.push(65536);
        labels.push(7);
        assert_eq!(labels, EdgeLabels::Wide(vec![3, 65535, 65536, 7]));
        assert_eq!(labels.get(2), 65536);
    }

    #[test]
    fn a_step_outside_the_constraints_is_no_edge() {
        let ctx = LiveCtx::new(1, &[], 0, 0);
        let mut log = LiveLog::new(0, 0);
        // Fingerprints that differ only in their high halves, and one that is no node.
        let fps = [7u64, 7 | 1 << 32, 7 | 2 << 32];
        let outside = 7 | 3 << 32;
        let mut chunk = LiveChunk::default();
        for succ in [&[fps[1], outside, fps[2]][..], &[outside], &[fps[0]]] {
            chunk.begin_state(&ctx);
            for &fp in succ {
                chunk.record_step(&ctx, 0, &|_| String::new(), fp, &[]);
            }
            chunk.end_state_unevaluated();
        }
        log.append(chunk);
        let g = log.into_graph(&fps, &[NO_PARENT, 0, 0], 2);
        assert_eq!(g.offsets, vec![0, 2, 2, 3]);
        assert_eq!(g.targets, vec![1, 2, 0]);
        assert_eq!(g.edge_labels, EdgeLabels::Narrow(vec![0, 0, 0]));
        assert_eq!(g.init, vec![0]);
    }
}
