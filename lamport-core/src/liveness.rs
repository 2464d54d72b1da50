//! Temporal properties under fairness, decided on the behaviour graph of a complete search.
//!
//! The graph is the one TLC builds for liveness: a node per distinct state inside the state
//! constraints, an edge per step between two such states, and at every node a stuttering step
//! (a behaviour may stop changing). Successors outside the constraints are not nodes, so their
//! edges are absent; they still count for `ENABLED`, which TLC evaluates on the state itself.
//!
//! A property fails when some behaviour satisfies every fairness condition and violates it. A
//! behaviour that ends up staying in a strongly connected set `C` of nodes and using each of its
//! edges infinitely often satisfies
//!
//! * `WF_vars(A)` iff some node of `C` does not enable `A`, or some edge of `C` is an `A` step
//!   that changes the state (`<<A>>_vars`); if the whole of a strongly connected component fails
//!   this, every part of it fails too;
//! * `SF_vars(A)` iff no node of `C` enables `A`, or some edge of `C` is an `A` step; when it
//!   fails, a fair behaviour inside `C` can only avoid the nodes enabling `A`, so the search
//!   continues in the components of what is left (the classic Streett-automaton emptiness check).
//!
//! The negated property picks the nodes such a behaviour may stay in and where it may start:
//!
//! * `<>P`: it starts in an initial state and never meets `P`;
//! * `[]<>P`: from some point on it never meets `P`;
//! * `P ~> Q`: it reaches a state with `P /\ ~Q` and from there never meets `Q`.
//!
//! The counterexample is a lasso: a shortest prefix to the component, then a cycle through it
//! that visits a witness of every fairness condition (or stuttering, when staying put is fair).

use std::collections::VecDeque;

use crate::model::{FairInstance, LivenessKind, Model};

/// Fixed-width bit sets stored back to back: `words` 64-bit words per row.
#[derive(Clone, Debug, Default)]
pub(crate) struct Bits {
    pub words: usize,
    pub data: Vec<u64>,
}

impl Bits {
    pub fn new(bits: usize) -> Bits {
        Bits {
            words: bits.div_ceil(64),
            data: Vec::new(),
        }
    }
    pub fn get(&self, row: usize, bit: usize) -> bool {
        self.data[row * self.words + bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// Each edge's label: `u16`s while every label fits one (one label per combination of fairness
/// conditions a step is a step of, usually a few), `u32`s from the first that does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Labels {
    Narrow(Vec<u16>),
    Wide(Vec<u32>),
}

impl Default for Labels {
    fn default() -> Labels {
        Labels::Narrow(Vec::new())
    }
}

impl Labels {
    #[inline]
    pub fn get(&self, e: usize) -> u32 {
        match self {
            Labels::Narrow(v) => u32::from(v[e]),
            Labels::Wide(v) => v[e],
        }
    }

    pub fn push(&mut self, l: u32) {
        match self {
            Labels::Narrow(v) => match u16::try_from(l) {
                Ok(l) => v.push(l),
                Err(_) => {
                    let mut wide: Vec<u32> = v.iter().map(|&l| u32::from(l)).collect();
                    wide.push(l);
                    *self = Labels::Wide(wide);
                }
            },
            Labels::Wide(v) => v.push(l),
        }
    }

    /// Copies label `from` over label `to`.
    #[inline]
    pub fn copy(&mut self, from: usize, to: usize) {
        match self {
            Labels::Narrow(v) => v[to] = v[from],
            Labels::Wide(v) => v[to] = v[from],
        }
    }

    /// Keeps the first `len` labels and gives the spare room back.
    pub fn truncate(&mut self, len: usize) {
        match self {
            Labels::Narrow(v) => {
                v.truncate(len);
                v.shrink_to_fit();
            }
            Labels::Wide(v) => {
                v.truncate(len);
                v.shrink_to_fit();
            }
        }
    }
}

pub(crate) fn set_bit(row: &mut [u64], bit: usize) {
    row[bit / 64] |= 1 << (bit % 64);
}

/// How a run's temporal properties fared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LivenessStatus {
    Holds,
    Violated,
    /// Not decided (the search was incomplete, stopped at an error, or ran under symmetry).
    NotChecked(String),
}

/// A temporal property (one instance of its quantified parameters) and its verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LivenessResult {
    /// TLA+ name, with the instance (`Terminates`, `ValueCommitted [v = v1]`).
    pub property: String,
    pub status: LivenessStatus,
}

/// The behaviour graph in compressed rows (built by the search, see `check::live`).
pub(crate) struct Graph {
    pub n: usize,
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
    /// Per edge, the label of its fairness bits: row `edge_labels.get(e)` of `label_bits`.
    pub edge_labels: Labels,
    /// Rows of `fair_words` words: which fairness conditions a step is a step of.
    pub label_bits: Vec<u64>,
    pub fair_words: usize,
    pub enabled: Bits,
    pub preds: Bits,
    pub init: Vec<u32>,
}

impl Graph {
    /// The same graph without the edges that have fairness bit `bit`.
    fn without_edges(&self, bit: usize) -> Graph {
        let mut offsets = Vec::with_capacity(self.n + 1);
        let mut targets = Vec::new();
        let mut edge_labels = Labels::default();
        for u in 0..self.n as u32 {
            offsets.push(targets.len());
            for (e, v) in self.edges(u) {
                if !self.edge_has(e, bit) {
                    targets.push(v);
                    edge_labels.push(self.edge_labels.get(e));
                }
            }
        }
        offsets.push(targets.len());
        Graph {
            n: self.n,
            offsets,
            targets,
            edge_labels,
            label_bits: self.label_bits.clone(),
            fair_words: self.fair_words,
            enabled: self.enabled.clone(),
            preds: self.preds.clone(),
            init: self.init.clone(),
        }
    }

    fn edges(&self, u: u32) -> impl Iterator<Item = (usize, u32)> + '_ {
        let (a, b) = (self.offsets[u as usize], self.offsets[u as usize + 1]);
        (a..b).map(move |e| (e, self.targets[e]))
    }

    fn edge_has(&self, e: usize, bit: usize) -> bool {
        let row = self.edge_labels.get(e) as usize * self.fair_words;
        self.label_bits[row + bit / 64] & (1 << (bit % 64)) != 0
    }
}

/// The strongly connected components of the subgraph induced by `inside` (iterative Tarjan).
fn components(g: &Graph, inside: &[bool], roots: &[u32]) -> Vec<Vec<u32>> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; g.n];
    let mut low = vec![0u32; g.n];
    let mut on_stack = vec![false; g.n];
    let mut stack: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    let mut next = 0u32;
    // (node, position in its edge list)
    let mut call: Vec<(u32, usize)> = Vec::new();
    for &root in roots {
        if !inside[root as usize] || index[root as usize] != UNSEEN {
            continue;
        }
        call.push((root, g.offsets[root as usize]));
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        while let Some(&mut (u, ref mut pos)) = call.last_mut() {
            let end = g.offsets[u as usize + 1];
            let mut descended = false;
            while *pos < end {
                let v = g.targets[*pos];
                *pos += 1;
                if !inside[v as usize] {
                    continue;
                }
                if index[v as usize] == UNSEEN {
                    index[v as usize] = next;
                    low[v as usize] = next;
                    next += 1;
                    stack.push(v);
                    on_stack[v as usize] = true;
                    call.push((v, g.offsets[v as usize]));
                    descended = true;
                    break;
                } else if on_stack[v as usize] {
                    low[u as usize] = low[u as usize].min(index[v as usize]);
                }
            }
            if descended {
                continue;
            }
            call.pop();
            if let Some(&(parent, _)) = call.last() {
                low[parent as usize] = low[parent as usize].min(low[u as usize]);
            }
            if low[u as usize] == index[u as usize] {
                let mut comp = Vec::new();
                loop {
                    let w = stack.pop().expect("tarjan stack");
                    on_stack[w as usize] = false;
                    comp.push(w);
                    if w == u {
                        break;
                    }
                }
                out.push(comp);
            }
        }
    }
    out
}

/// The strongly connected sets in which a behaviour can stay forever satisfying every fairness
/// condition, among the nodes `allowed` (the region reachable for a violation).
fn fair_components(g: &Graph, fair: &[FairInstance], allowed: &[bool]) -> Vec<Vec<u32>> {
    let mut found = Vec::new();
    let roots: Vec<u32> = (0..g.n as u32).filter(|&u| allowed[u as usize]).collect();
    let mut work: Vec<Vec<u32>> = vec![roots];
    let mut inside = vec![false; g.n];
    while let Some(set) = work.pop() {
        for &u in &set {
            inside[u as usize] = true;
        }
        let comps = components(g, &inside, &set);
        for &u in &set {
            inside[u as usize] = false;
        }
        for comp in comps {
            for &u in &comp {
                inside[u as usize] = true;
            }
            // Per condition: some node of the component enables it / does not; some edge inside
            // the component takes it.
            let mut some_enabled = vec![false; fair.len()];
            let mut some_disabled = vec![false; fair.len()];
            let mut taken = vec![false; fair.len()];
            for &u in &comp {
                for (i, e) in some_enabled.iter_mut().enumerate() {
                    if g.enabled.get(u as usize, i) {
                        *e = true;
                    } else {
                        some_disabled[i] = true;
                    }
                }
                for (e, v) in g.edges(u) {
                    if inside[v as usize] && v != u {
                        for (i, t) in taken.iter_mut().enumerate() {
                            if !*t && g.edge_has(e, i) {
                                *t = true;
                            }
                        }
                    }
                }
            }
            for &u in &comp {
                inside[u as usize] = false;
            }
            let weak_ok = fair
                .iter()
                .enumerate()
                .all(|(i, f)| f.strong || some_disabled[i] || taken[i]);
            if !weak_ok {
                continue;
            }
            let failing: Vec<usize> = fair
                .iter()
                .enumerate()
                .filter(|(i, f)| f.strong && some_enabled[*i] && !taken[*i])
                .map(|(i, _)| i)
                .collect();
            if failing.is_empty() {
                found.push(comp);
                continue;
            }
            let rest: Vec<u32> = comp
                .into_iter()
                .filter(|&u| !failing.iter().any(|&i| g.enabled.get(u as usize, i)))
                .collect();
            if !rest.is_empty() {
                work.push(rest);
            }
        }
    }
    found
}

/// Breadth-first search from `sources` through nodes with `ok`; the path (sources first) to
/// the first node with `goal`.
fn path(
    g: &Graph,
    sources: &[u32],
    ok: &dyn Fn(u32) -> bool,
    goal: &dyn Fn(u32) -> bool,
) -> Option<Vec<u32>> {
    let mut parent = vec![u32::MAX; g.n];
    let mut seen = vec![false; g.n];
    let mut queue = VecDeque::new();
    for &s in sources {
        if ok(s) && !seen[s as usize] {
            seen[s as usize] = true;
            queue.push_back(s);
        }
    }
    while let Some(u) = queue.pop_front() {
        if goal(u) {
            let mut p = vec![u];
            let mut cur = u;
            while parent[cur as usize] != u32::MAX {
                cur = parent[cur as usize];
                p.push(cur);
            }
            p.reverse();
            return Some(p);
        }
        for (_, v) in g.edges(u) {
            if ok(v) && !seen[v as usize] {
                seen[v as usize] = true;
                parent[v as usize] = u;
                queue.push_back(v);
            }
        }
    }
    None
}

/// Nodes reachable from `sources` through nodes with `ok`.
fn reach(g: &Graph, sources: &[u32], ok: &dyn Fn(u32) -> bool) -> Vec<bool> {
    let mut seen = vec![false; g.n];
    let mut stack: Vec<u32> = sources.iter().copied().filter(|&s| ok(s)).collect();
    for &s in &stack {
        seen[s as usize] = true;
    }
    while let Some(u) = stack.pop() {
        for (_, v) in g.edges(u) {
            if ok(v) && !seen[v as usize] {
                seen[v as usize] = true;
                stack.push(v);
            }
        }
    }
    seen
}

/// A counterexample lasso: `prefix` ends at the first node of the cycle; `cycle` continues from
/// there and returns to it (empty: the behaviour stutters there forever).
pub(crate) struct Lasso {
    pub prefix: Vec<u32>,
    pub cycle: Vec<u32>,
}

/// Decides one property instance: `p` and `q` are its predicate bits in `Graph::preds`.
pub(crate) fn violation(
    g: &Graph,
    fair: &[FairInstance],
    kind: LivenessKind,
    p: usize,
    q: Option<usize>,
) -> Option<Lasso> {
    let pred = |u: u32, bit: usize| g.preds.get(u as usize, bit);
    // The nodes a violating behaviour may stay in forever, and the region reachable for it.
    let (stay_bit, allowed) = match kind {
        LivenessKind::Eventually => (p, reach(g, &g.init, &|u| !pred(u, p))),
        LivenessKind::AlwaysEventually => (p, (0..g.n as u32).map(|u| !pred(u, p)).collect()),
        LivenessKind::LeadsTo => {
            let q = q.expect("a leads-to property has a target");
            let starts: Vec<u32> = (0..g.n as u32)
                .filter(|&u| pred(u, p) && !pred(u, q))
                .collect();
            (q, reach(g, &starts, &|u| !pred(u, q)))
        }
    };
    let comps = fair_components(g, fair, &allowed);
    if comps.is_empty() {
        return None;
    }
    let mut comp_of = vec![u32::MAX; g.n];
    for (c, comp) in comps.iter().enumerate() {
        for &u in comp {
            comp_of[u as usize] = c as u32;
        }
    }
    let in_any = |u: u32| comp_of[u as usize] != u32::MAX;

    // The prefix: a shortest way from an initial state into a fair component, through the
    // region the property allows.
    let in_comp = |u: u32| in_any(u);
    let prefix = match kind {
        LivenessKind::Eventually => path(g, &g.init, &|u| !pred(u, stay_bit), &|u| in_comp(u))?,
        LivenessKind::AlwaysEventually => path(g, &g.init, &|_| true, &|u| in_comp(u))?,
        LivenessKind::LeadsTo => {
            let q = stay_bit;
            // The trigger: a state with P /\ ~Q from which the component is reachable
            // without meeting Q; the one a shortest prefix reaches first.
            let to_comp = |s: u32| path(g, &[s], &|u| !pred(u, q), &|u| in_comp(u));
            let head = path(g, &g.init, &|_| true, &|u| {
                pred(u, p) && !pred(u, q) && to_comp(u).is_some()
            })?;
            let trigger = *head.last().expect("non-empty path");
            let tail = to_comp(trigger)?;
            head.into_iter().chain(tail.into_iter().skip(1)).collect()
        }
    };
    let entry = *prefix.last().expect("non-empty prefix");
    let chosen = comp_of[entry as usize];
    let comp = &comps[chosen as usize];
    let in_comp: Vec<bool> = comp_of.iter().map(|&c| c == chosen).collect();
    let cycle = cycle_through(g, fair, comp, &in_comp, entry, None);
    Some(Lasso { prefix, cycle })
}

/// Decides whether every fair behaviour satisfies the fairness condition of an abstract model
/// (a refinement's `WF`/`SF`), given as bit `bit`: in `Graph::enabled`, whether the abstract
/// action is enabled in the abstract state the node maps to; on an edge, whether the step maps
/// to a step of it that changes the abstract state. A violation is a fair behaviour that, from
/// some point on, takes no such step while the abstract action stays enabled (weak) or is
/// enabled infinitely often (strong): a fair component of the graph without those edges, all
/// of whose nodes enable it (weak), or one of whose nodes does (strong).
pub(crate) fn abstract_fairness_violation(
    g: &Graph,
    fair: &[FairInstance],
    bit: usize,
    strong: bool,
) -> Option<Lasso> {
    let without = g.without_edges(bit);
    let enabled = |u: u32| g.enabled.get(u as usize, bit);
    let allowed: Vec<bool> = (0..g.n as u32).map(|u| strong || enabled(u)).collect();
    let comps: Vec<Vec<u32>> = fair_components(&without, fair, &allowed)
        .into_iter()
        .filter(|c| !strong || c.iter().any(|&u| enabled(u)))
        .collect();
    if comps.is_empty() {
        return None;
    }
    let mut comp_of = vec![u32::MAX; g.n];
    for (c, comp) in comps.iter().enumerate() {
        for &u in comp {
            comp_of[u as usize] = c as u32;
        }
    }
    // The prefix may take any step, the abstract action's included.
    let prefix = path(g, &g.init, &|_| true, &|u| comp_of[u as usize] != u32::MAX)?;
    let entry = *prefix.last().expect("non-empty prefix");
    let chosen = comp_of[entry as usize];
    let comp = &comps[chosen as usize];
    let in_comp: Vec<bool> = comp_of.iter().map(|&c| c == chosen).collect();
    // A strong condition is violated only by a cycle through a state enabling it.
    let extra = if strong {
        comp.iter().copied().find(|&u| enabled(u))
    } else {
        None
    };
    let cycle = cycle_through(&without, fair, comp, &in_comp, entry, extra);
    Some(Lasso { prefix, cycle })
}

/// The cycle of a lasso from `entry` inside component `comp` (`in_comp` its nodes): through a
/// witness of every fairness condition, and through `extra` if given; written up to (excluding)
/// its return to `entry`, empty when staying at `entry` is fair.
fn cycle_through(
    g: &Graph,
    fair: &[FairInstance],
    comp: &[u32],
    in_comp: &[bool],
    entry: u32,
    extra: Option<u32>,
) -> Vec<u32> {
    // The cycle: through a witness of every fairness condition the component satisfies by a
    // step or by a state where the action is disabled.
    let mut waypoints: Vec<(u32, Option<u32>)> = Vec::new();
    for (i, f) in fair.iter().enumerate() {
        let edge = comp.iter().find_map(|&u| {
            g.edges(u)
                .find(|&(e, v)| in_comp[v as usize] && v != u && g.edge_has(e, i))
                .map(|(_, v)| (u, Some(v)))
        });
        // A state that disables the action: the entry itself if it does.
        let disabled = std::iter::once(&entry)
            .chain(comp.iter())
            .find(|&&u| !g.enabled.get(u as usize, i))
            .map(|&u| (u, None));
        let w = if f.strong {
            // A strong condition holds here either because no node enables it, or by a step.
            if comp.iter().any(|&u| g.enabled.get(u as usize, i)) {
                edge
            } else {
                None
            }
        } else {
            disabled.or(edge)
        };
        if let Some(w) = w {
            if w != (entry, None) {
                waypoints.push(w);
            }
        }
    }
    if let Some(x) = extra {
        if x != entry {
            waypoints.push((x, None));
        }
    }
    let mut cycle = Vec::new();
    let mut cur = entry;
    let inside = |u: u32| in_comp[u as usize];
    for (at, then) in waypoints {
        let leg = path(g, &[cur], &inside, &|u| u == at).expect("strongly connected");
        cycle.extend(leg.into_iter().skip(1));
        cur = at;
        if let Some(v) = then {
            cycle.push(v);
            cur = v;
        }
    }
    if !cycle.is_empty() {
        if cur != entry {
            // Back to the entry: a shortest path, which exists inside the component.
            cycle.extend(shortest_return(g, cur, entry, &inside));
        }
        // The cycle is written up to (excluding) its return to the entry.
        cycle.pop();
    }
    cycle
}

/// A shortest path from `from` to `to` through `inside` nodes, without `from`, ending in `to`.
fn shortest_return(g: &Graph, from: u32, to: u32, inside: &dyn Fn(u32) -> bool) -> Vec<u32> {
    let mut parent = vec![u32::MAX; g.n];
    let mut seen = vec![false; g.n];
    let mut queue = VecDeque::from([from]);
    seen[from as usize] = true;
    while let Some(u) = queue.pop_front() {
        for (_, v) in g.edges(u) {
            if !inside(v) {
                continue;
            }
            if v == to {
                let mut p = vec![to];
                let mut cur = u;
                while cur != from {
                    p.push(cur);
                    cur = parent[cur as usize];
                }
                p.reverse();
                return p;
            }
            if !seen[v as usize] {
                seen[v as usize] = true;
                parent[v as usize] = u;
                queue.push_back(v);
            }
        }
    }
    unreachable!("the component is strongly connected")
}

/// How many predicate bits each property uses per instance.
pub(crate) fn bits_per_instance(kind: LivenessKind) -> usize {
    match kind {
        LivenessKind::LeadsTo => 2,
        _ => 1,
    }
}

/// The properties' instances: (property index, instance label, first predicate bit).
pub(crate) fn instances<M: Model>(model: &M) -> Vec<(usize, String, usize)> {
    let mut out = Vec::new();
    let mut bit = 0;
    for (i, meta) in model.meta().liveness.iter().enumerate() {
        for label in model.liveness_instances(i) {
            out.push((i, label, bit));
            bit += bits_per_instance(meta.kind);
        }
    }
    out
}
