//! lamport's breadth-first model checker, with TLC's counting.
//!
//! Why not stateright's checker: its breadth-first search in 0.31 can return a counterexample
//! longer than the shortest, ignores symmetry, and keeps ~140 bytes per state. This search keeps
//! one 64-bit fingerprint and one parent index per distinct state (as TLC does), rebuilds traces
//! by re-executing the model, and explores level by level so that any number of threads gives
//! exactly the result of the sequential search:
//!
//! * every successor gets the key (position of its parent in the level, ordinal among the
//!   parent's successors) — the order a sequential BFS would meet it in;
//! * a state new to this level belongs to its smallest key, which fixes its parent and its place
//!   in the next level; the first error is the one with the smallest key.
//!
//! With symmetry, a state's fingerprint is the least fingerprint of its images under the whole
//! permutation group, so each orbit is one distinct state, exactly.
//!
//! Counting follows TLC (see REFERENCE.md): "generated" is the initial states plus every
//! successor computed, duplicates included; "distinct" counts states that satisfy the state
//! constraints; a successor outside the constraints is generated, has its invariants checked and
//! is never explored; an initial state has depth 1; a state without any successor is a deadlock
//! when deadlock is checked.

use std::hash::{BuildHasherDefault, Hasher};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::fault;
use crate::liveness::{self, set_bit, Graph, LivenessResult, LivenessStatus, Record};
use crate::memory::MemoryBound;
use crate::model::{FairInstance, Model, Params, Sink};
use crate::panics::{mark_model_stack, on_model_stack, run_model_code, MODEL_STACK};
use crate::progress::{Cancel, Progress, ProgressHook, CANCELLED};
use crate::report::{peak_memory_bytes, Outcome, Report, StepLabel, Trace, TraceState};

/// Bounds and resources of a check.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// Worker threads (at least 1). Results are identical for any number.
    pub threads: usize,
    /// Explore no state deeper than this (an initial state has depth 1).
    pub max_depth: Option<u64>,
    /// Stop at the first state that would be distinct beyond this many, as a sequential
    /// breadth-first search meets them; the figures are those of that search at that point
    /// (see docs/checker.md).
    pub max_states: Option<u64>,
    /// Stop, incomplete, before the process's resident memory passes this many bytes (the
    /// level being explored is dropped; see `memory`).
    pub max_memory: Option<u64>,
    /// Print a progress line on stderr every few seconds (unless `on_progress` is set).
    pub progress: bool,
    /// Decide the temporal properties (on by default). Off, they are reported as not checked
    /// and the run is incomplete: a way to time the safety part alone.
    pub liveness: bool,
    /// Called with the figures several times per level (after each chunk of states), instead of
    /// the progress line.
    pub on_progress: Option<ProgressHook>,
    /// Once cancelled, the check stops before its next chunk of states and reports
    /// `Outcome::Incomplete` with the figures of the levels it finished.
    pub cancel: Option<Cancel>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            threads: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            max_depth: None,
            max_states: None,
            max_memory: None,
            progress: false,
            liveness: true,
            on_progress: None,
            cancel: None,
        }
    }
}

const SHARDS: usize = 64;

/// The fingerprint hasher: fixed seeds, so runs are reproducible.
fn fingerprinter() -> ahash::RandomState {
    ahash::RandomState::with_seeds(
        0x243f_6a88_85a3_08d3,
        0x1319_8a2e_0370_7344,
        0xa409_3822_299f_31d0,
        0x082e_fa98_ec4e_6c89,
    )
}

/// Fingerprints are already uniformly distributed: hash them as they are.
#[derive(Default)]
struct IdentityHasher(u64);

impl Hasher for IdentityHasher {
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

type FpSet = hashbrown::HashSet<u64, BuildHasherDefault<IdentityHasher>>;

fn shard_of(fp: u64) -> usize {
    ((fp >> 32) as usize) % SHARDS
}

/// A distinct state: its fingerprint and the index of the state it was first reached from.
#[derive(Clone, Copy)]
struct Node {
    fp: u64,
    parent: u32,
}

const NO_PARENT: u32 = u32::MAX;

struct Candidate<S> {
    key: u64,
    fp: u64,
    parent: u32,
    state: S,
}

enum EventKind<S> {
    Invariant {
        index: usize,
        parent: Option<u32>,
        state: S,
    },
    /// A step from node `parent` to `state` violates step property `index`.
    Step {
        index: usize,
        parent: u32,
        state: S,
    },
    /// Initial state `state` violates the initial condition of step property `index` (a
    /// refinement whose abstract model has no such initial state).
    InitialStep {
        index: usize,
        state: S,
    },
    Deadlock {
        node: u32,
    },
    /// Model code panicked: while computing the successors of `node` (no `state`), or while
    /// evaluating a function of `state`, reached from `node` (`None`: an initial state).
    Panic {
        node: Option<u32>,
        state: Option<S>,
        message: String,
        role: Role,
    },
}

/// Which model function panicked: known where it happened, or found again when reported
/// (see `fault`), so that nothing is paid for naming while nothing goes wrong.
enum Role {
    Known(String),
    /// One of the state's constraints or invariants.
    StateFunctions,
    /// One of the `#[reachable]` conditions.
    Reachables,
    /// An action of the state being expanded (or its parameters' domains).
    Actions,
}

struct Event<S> {
    key: u64,
    kind: EventKind<S>,
}

/// What phase 2 produces for one shard: the new states and the errors found on them.
type ShardOut<S> = (Vec<Candidate<S>>, Vec<Event<S>>);

/// One shard's visited set and its candidate lists, in key order.
type ShardWork<'a, S> = (&'a mut FpSet, Vec<Vec<Candidate<S>>>);

struct ChunkOut<S> {
    buckets: Vec<Vec<Candidate<S>>>,
    events: Vec<Event<S>>,
    generated: u64,
    /// The number of successors of each state of the chunk, in order.
    counts: Vec<u32>,
    /// What liveness checking needs of each expanded state (when the model has properties).
    records: Vec<Record>,
}

/// A fairness condition of one action: its index and the parameter values it is per.
type FairOfAction = (usize, Vec<(usize, String)>);

/// What the search records for liveness: per action, its fairness conditions (index and the
/// parameter values they are per); the widths of the bit sets.
struct LiveCtx {
    per_action: Vec<Vec<FairOfAction>>,
    fair_words: usize,
    pred_words: usize,
    /// The abstract models' fairness conditions (refinements): their bits follow the model's
    /// own conditions, from `abstract_first` on, `abstract_count` of them.
    abstract_first: usize,
    abstract_count: usize,
}

impl LiveCtx {
    fn new(
        actions: usize,
        fair: &[FairInstance],
        abstract_count: usize,
        pred_count: usize,
    ) -> LiveCtx {
        let mut per_action = vec![Vec::new(); actions];
        for (i, f) in fair.iter().enumerate() {
            for (action, per) in f.members() {
                per_action[action].push((i, per.to_vec()));
            }
        }
        LiveCtx {
            per_action,
            fair_words: (fair.len() + abstract_count).div_ceil(64),
            pred_words: pred_count.div_ceil(64),
            abstract_first: fair.len(),
            abstract_count,
        }
    }
}

/// Checks `model` exhaustively (within the bounds of `opts`).
///
/// The search runs on threads with a large stack (`panics::MODEL_STACK`), where a model's
/// recursion that would overflow it is a model error instead.
pub fn check<M: Model>(model: &M, opts: &CheckOptions) -> Report {
    on_model_stack(|| search(model, opts, MAX_NODES))
}

/// The most distinct states a search indexes: a node index is a `u32`, and `u32::MAX` means
/// "no parent". Past it the search stops, incomplete, as at `max_states`.
const MAX_NODES: u64 = u32::MAX as u64 - 1;

/// The most successors one state may have: a successor's key keeps its ordinal in 32 bits,
/// and all ones is a deadlock's.
const MAX_SUCCESSORS: u64 = u32::MAX as u64 - 1;

/// Where a bound cuts the search: it stops at the first state that would have been distinct
/// beyond the bound, in the order a sequential breadth-first search meets them.
fn state_cap(opts: &CheckOptions, max_nodes: u64) -> (u64, String) {
    match opts.max_states {
        Some(max) if max <= max_nodes => (max, format!("state bound {max} reached")),
        _ => (
            max_nodes,
            format!(
                "lamport indexes at most {max_nodes} distinct states (a 32-bit index each); the search stopped there"
            ),
        ),
    }
}

/// The states a successor's key (position of its parent in the level, ordinal among the
/// parent's successors) says were generated before it in the level: all successors of the
/// states before its parent, and its parent's successors before it.
fn generated_before(key: u64, counts: &[u32]) -> u64 {
    let pos = (key >> 32) as usize;
    counts[..pos].iter().map(|&c| u64::from(c)).sum::<u64>() + (key & 0xffff_ffff)
}

fn search<M: Model>(model: &M, opts: &CheckOptions, max_nodes: u64) -> Report {
    let started = Instant::now();
    let threads = opts.threads.max(1);
    let hasher = fingerprinter();
    // Under symmetry a state's fingerprint is the least over its images under the whole group:
    // the same for every state of an orbit, so the search counts orbits, as TLC does.
    let perms = model.symmetries();
    let fp_of = |s: &M::State| {
        if perms.is_empty() {
            hasher.hash_one(s)
        } else {
            perms
                .iter()
                .map(|p| hasher.hash_one(model.permute(s, p)))
                .min()
                .expect("a group has the identity")
        }
    };
    let meta = model.meta();
    let (cap, cap_reason) = state_cap(opts, max_nodes);
    let memory = opts.max_memory.map(MemoryBound::new);

    // Temporal properties: the search records the behaviour graph for them.
    let fair = model.fairness();
    let live_instances = liveness::instances(model);
    let pred_count: usize = live_instances.last().map_or(0, |(i, _, bit)| {
        bit + liveness::bits_per_instance(meta.liveness[*i].kind)
    });
    // The fairness conditions of the abstract models this model refines: decided on the same
    // graph, their bits after the model's own.
    let abstract_fair = model.refinement_fairness();
    let live_ctx = (!meta.liveness.is_empty() || !abstract_fair.is_empty())
        .then(|| LiveCtx::new(meta.actions.len(), &fair, abstract_fair.len(), pred_count));
    let mut records: Vec<Record> = Vec::new();

    let mut nodes: Vec<Node> = Vec::new();
    let mut visited: Vec<FpSet> = (0..SHARDS).map(|_| FpSet::default()).collect();
    let mut generated: u64 = 0;
    let mut frontier: Vec<(u32, M::State)> = Vec::new();
    let mut events: Vec<Event<M::State>> = Vec::new();
    let mut incomplete: Option<String> = None;

    // Initial states: generated, deduplicated, constrained and checked like any successor.
    let mut inits = Vec::new();
    let init_result = run_model_code(|| model.init_states(&mut |s| inits.push(s)));
    if let Err(message) = init_result {
        events.push(Event {
            key: 0,
            kind: EventKind::Panic {
                node: None,
                state: None,
                message,
                role: Role::Known("init".into()),
            },
        });
    }
    let no_initial_state = events.is_empty() && inits.is_empty();
    for (k, s) in inits.into_iter().enumerate() {
        generated += 1;
        let fp = fp_of(&s);
        if visited[shard_of(fp)].contains(&fp) {
            continue;
        }
        let key = k as u64;
        match run_model_code(|| {
            let inside = model.constraint(&s);
            let broken = (0..meta.invariants.len()).find(|&i| !model.invariant(i, &s));
            let initial = (0..meta.step_properties.len()).find(|&i| !model.initial_property(i, &s));
            (inside, broken, initial)
        }) {
            Err(message) => events.push(Event {
                key,
                kind: EventKind::Panic {
                    node: None,
                    state: Some(s.clone()),
                    message,
                    role: Role::StateFunctions,
                },
            }),
            Ok((inside, broken, initial)) => {
                if inside && nodes.len() as u64 >= cap {
                    // One initial state too many: the search stops before it.
                    generated -= 1;
                    incomplete = Some(cap_reason.clone());
                    break;
                }
                if let Some(index) = broken {
                    events.push(Event {
                        key,
                        kind: EventKind::Invariant {
                            index,
                            parent: None,
                            state: s.clone(),
                        },
                    });
                } else if let Some(index) = initial {
                    events.push(Event {
                        key,
                        kind: EventKind::InitialStep {
                            index,
                            state: s.clone(),
                        },
                    });
                }
                if inside {
                    visited[shard_of(fp)].insert(fp);
                    let id = nodes.len() as u32;
                    nodes.push(Node {
                        fp,
                        parent: NO_PARENT,
                    });
                    frontier.push((id, s));
                }
            }
        }
    }

    // Which `#[reachable]` conditions some distinct state satisfies (bit i of word i / 64).
    let n_reach = meta.reachables.len();
    let reached: Vec<AtomicU64> = (0..n_reach.div_ceil(64))
        .map(|_| AtomicU64::new(0))
        .collect();
    let note_reached = |s: &M::State| {
        for i in 0..n_reach {
            let (word, bit) = (&reached[i / 64], 1u64 << (i % 64));
            if word.load(Ordering::Relaxed) & bit == 0 && model.reachable(i, s) {
                word.fetch_or(bit, Ordering::Relaxed);
            }
        }
    };
    for (k, (_, s)) in frontier.iter().enumerate() {
        if let Err(message) = run_model_code(|| note_reached(s)) {
            events.push(Event {
                key: k as u64,
                kind: EventKind::Panic {
                    node: None,
                    state: Some(s.clone()),
                    message,
                    role: Role::Reachables,
                },
            });
        }
    }
    let mut depth: u64 = if frontier.is_empty() { 0 } else { 1 };
    let mut last_progress = Instant::now();

    while events.is_empty() && incomplete.is_none() && !frontier.is_empty() {
        if let Some(max) = opts.max_depth {
            if depth >= max {
                incomplete = Some(format!(
                    "depth bound {max} reached with {} states at depth {depth} not explored",
                    frontier.len()
                ));
                break;
            }
        }
        if let Some(m) = &memory {
            if m.sample() {
                incomplete = Some(m.reason());
                break;
            }
        }

        // Phase 1: successors of every frontier state, in parallel over chunks of the level.
        let chunk_len = (frontier.len() / (threads * 8)).max(1);
        let chunks: Vec<&[(u32, M::State)]> = frontier.chunks(chunk_len).collect();
        let mut outs: Vec<Option<ChunkOut<M::State>>> = (0..chunks.len()).map(|_| None).collect();
        let level_generated = AtomicU64::new(0);
        let level_expanded = AtomicU64::new(0);
        let cancelled = || opts.cancel.as_ref().is_some_and(Cancel::is_cancelled);
        let stop = || cancelled() || memory.as_ref().is_some_and(MemoryBound::reached);
        {
            let next_chunk = AtomicUsize::new(0);
            let visited = &visited;
            let (level_generated, level_expanded) = (&level_generated, &level_expanded);
            let (distinct_before, generated_before, queue) =
                (nodes.len() as u64, generated, frontier.len() as u64);
            let chunks = &chunks;
            let fp_of = &fp_of;
            let stop = &stop;
            let results: Vec<Vec<(usize, ChunkOut<M::State>)>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads.min(chunks.len()))
                    .map(|_| {
                        spawn_worker(scope, || {
                            let mut mine = Vec::new();
                            loop {
                                if stop() {
                                    break;
                                }
                                let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                                if c >= chunks.len() {
                                    break;
                                }
                                let base = (c * chunk_len) as u64;
                                let Some(out) = expand_chunk(
                                    model,
                                    chunks[c],
                                    base,
                                    visited,
                                    fp_of,
                                    live_ctx.as_ref(),
                                    stop,
                                ) else {
                                    break;
                                };
                                if let Some(hook) = &opts.on_progress {
                                    let g = level_generated
                                        .fetch_add(out.generated, Ordering::Relaxed)
                                        + out.generated;
                                    let e = level_expanded
                                        .fetch_add(chunks[c].len() as u64, Ordering::Relaxed)
                                        + chunks[c].len() as u64;
                                    (hook.0)(&Progress {
                                        distinct_states: distinct_before,
                                        generated_states: generated_before + g,
                                        queue: queue - e,
                                        depth,
                                        seconds: started.elapsed().as_secs_f64(),
                                    });
                                }
                                mine.push((c, out));
                            }
                            mine
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().expect("checker worker"))
                    .collect()
            });
            for (c, out) in results.into_iter().flatten() {
                outs[c] = Some(out);
            }
        }
        if outs.iter().any(Option::is_none) {
            // Stopped: this level is dropped, the figures are those of the levels before it.
            incomplete = Some(match (&opts.cancel, &memory) {
                (Some(c), _) if c.is_cancelled() => c.reason(),
                (_, Some(m)) => m.reason(),
                _ => CANCELLED.to_string(),
            });
            break;
        }
        if let Some(m) = &memory {
            // Phases 2 and 3 keep the new states twice over for a moment: stop now rather
            // than pass the bound there.
            let candidates: usize = outs
                .iter()
                .flatten()
                .map(|o| o.buckets.iter().map(Vec::len).sum::<usize>())
                .sum();
            let per = std::mem::size_of::<Candidate<M::State>>() + 2 * std::mem::size_of::<u64>();
            if m.would_pass((candidates * per) as u64) {
                incomplete = Some(m.reason());
                break;
            }
        }

        // Transpose per-chunk buckets into per-shard lists, keeping chunk (= key) order.
        let mut per_shard: Vec<Vec<Vec<Candidate<M::State>>>> = (0..SHARDS)
            .map(|_| Vec::with_capacity(outs.len()))
            .collect();
        let level_generated_before = generated;
        let mut counts: Vec<u32> = Vec::with_capacity(frontier.len());
        for out in outs
            .into_iter()
            .map(|o| o.expect("every chunk was expanded"))
        {
            generated += out.generated;
            counts.extend_from_slice(&out.counts);
            events.extend(out.events);
            records.extend(out.records);
            for (shard, bucket) in out.buckets.into_iter().enumerate() {
                if !bucket.is_empty() {
                    per_shard[shard].push(bucket);
                }
            }
        }

        // Phase 2: per shard, keep the first (smallest-key) copy of each new state and check its
        // invariants.
        let per_shard_new: Vec<ShardOut<M::State>> = {
            let mut work: Vec<ShardWork<'_, M::State>> =
                visited.iter_mut().zip(per_shard).collect();
            let per_thread = SHARDS.div_ceil(threads);
            std::thread::scope(|scope| {
                let handles: Vec<_> = work
                    .chunks_mut(per_thread)
                    .map(|slice| {
                        spawn_worker(scope, move || {
                            slice
                                .iter_mut()
                                .map(|(set, lists)| {
                                    dedup_shard(model, set, std::mem::take(lists), &note_reached)
                                })
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("checker worker"))
                    .collect()
            })
        };

        // Phase 3: the next level, in the order a sequential search would have found it.
        let mut fresh: Vec<Candidate<M::State>> =
            Vec::with_capacity(per_shard_new.iter().map(|(new, _)| new.len()).sum());
        for (new, evs) in per_shard_new {
            fresh.extend(new);
            for mut ev in evs {
                let to_node = |pos: &mut Option<u32>| {
                    if let Some(p) = pos {
                        *p = frontier[*p as usize].0;
                    }
                };
                match &mut ev.kind {
                    EventKind::Invariant { parent, .. } => to_node(parent),
                    EventKind::Panic { node, .. } => to_node(node),
                    EventKind::Deadlock { .. }
                    | EventKind::Step { .. }
                    | EventKind::InitialStep { .. } => {}
                }
                events.push(ev);
            }
        }
        fresh.sort_unstable_by_key(|c| c.key);
        let room = cap.saturating_sub(nodes.len() as u64) as usize;
        if fresh.len() > room {
            // The bound: the search stops at the first state past it. Its figures are those of
            // a sequential search stopped there: what was generated before that state, and the
            // errors found before it.
            let cut = fresh[room].key;
            fresh.truncate(room);
            events.retain(|e| e.key < cut);
            generated = level_generated_before + generated_before(cut, &counts);
            incomplete = Some(cap_reason.clone());
        }
        // The new level takes the place of the candidates (the same allocation).
        let next: Vec<(u32, M::State)> = fresh
            .into_iter()
            .map(|cand| {
                let id = nodes.len() as u32;
                nodes.push(Node {
                    fp: cand.fp,
                    parent: frontier[cand.parent as usize].0,
                });
                (id, cand.state)
            })
            .collect();
        if !next.is_empty() && events.is_empty() {
            depth += 1;
        }
        frontier = next;
        if incomplete.is_some() {
            break;
        }

        if let Some(hook) = &opts.on_progress {
            (hook.0)(&Progress {
                distinct_states: nodes.len() as u64,
                generated_states: generated,
                queue: frontier.len() as u64,
                depth,
                seconds: started.elapsed().as_secs_f64(),
            });
        } else if opts.progress && last_progress.elapsed() >= Duration::from_secs(2) {
            last_progress = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprintln!(
                "lamport: depth {depth}, {} distinct, {generated} generated, {} on queue, {:.0} distinct/s",
                nodes.len(),
                frontier.len(),
                nodes.len() as f64 / secs
            );
        }
    }
    drop(frontier);

    let mut trace = None;
    let mut live_results: Vec<LivenessResult> = Vec::new();
    let mut live_violation: Option<(String, Trace)> = None;
    if !live_instances.is_empty() || !abstract_fair.is_empty() {
        let not_checked = |why: &str| -> Vec<LivenessResult> {
            live_instances
                .iter()
                .map(|(i, label, _)| instance_name(meta.liveness[*i].tla, label))
                .chain(abstract_fair.iter().map(|(name, _)| name.clone()))
                .map(|property| LivenessResult {
                    property,
                    status: LivenessStatus::NotChecked(why.to_string()),
                })
                .collect()
        };
        // The graph takes about as much again as what the search recorded for it.
        let graph_bytes: u64 = records.iter().map(Record::heap_bytes).sum();
        live_results = if !opts.liveness {
            not_checked("liveness checking was switched off")
        } else if !events.is_empty() {
            not_checked("the search stopped at an error")
        } else if incomplete.is_some() {
            not_checked("the search was incomplete")
        } else if memory.as_ref().is_some_and(|m| m.would_pass(graph_bytes)) {
            let why = format!(
                "{}: the behaviour graph would not fit",
                memory.as_ref().expect("a bound").reason()
            );
            not_checked(&why)
        } else {
            // Under symmetry the graph is TLC's: one node per orbit, its edges and predicates
            // those of the state the search expanded. TLC warns that this can miss violations
            // of properties that are not symmetric; so does docs/checker.md.
            let index: hashbrown::HashMap<u64, u32> = nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.fp, i as u32))
                .collect();
            let init: Vec<u32> = (0..nodes.len() as u32)
                .filter(|&i| nodes[i as usize].parent == NO_PARENT)
                .collect();
            let graph = Graph::build(
                nodes.len(),
                std::mem::take(&mut records),
                &|fp| index.get(&fp).copied(),
                fair.len() + abstract_fair.len(),
                pred_count,
                init,
            );
            let mut results = Vec::new();
            for (i, label, bit) in &live_instances {
                let kind = meta.liveness[*i].kind;
                let q = (kind == crate::model::LivenessKind::LeadsTo).then_some(bit + 1);
                let name = instance_name(meta.liveness[*i].tla, label);
                let status = match liveness::violation(&graph, &fair, kind, *bit, q) {
                    None => LivenessStatus::Holds,
                    Some(lasso) => {
                        if live_violation.is_none() {
                            let t = lasso_trace(model, &nodes, &fp_of, &lasso);
                            live_violation = Some((name.clone(), t));
                        }
                        LivenessStatus::Violated
                    }
                };
                results.push(LivenessResult {
                    property: name,
                    status,
                });
            }
            // The abstract models' fairness (`A!FairSpec` of a refinement): every fair
            // behaviour of this model must map to one satisfying it.
            for (k, (name, strong)) in abstract_fair.iter().enumerate() {
                let bit = fair.len() + k;
                let status =
                    match liveness::abstract_fairness_violation(&graph, &fair, bit, *strong) {
                        None => LivenessStatus::Holds,
                        Some(lasso) => {
                            if live_violation.is_none() {
                                let t = lasso_trace(model, &nodes, &fp_of, &lasso);
                                live_violation = Some((name.clone(), t));
                            }
                            LivenessStatus::Violated
                        }
                    };
                results.push(LivenessResult {
                    property: name.clone(),
                    status,
                });
            }
            results
        };
    }
    let reached_all = |i: usize| reached[i / 64].load(Ordering::Relaxed) & (1 << (i % 64)) != 0;
    let outcome = if let Some(first) = events.into_iter().min_by_key(|e| e.key) {
        let (outcome, t) = explain(model, &nodes, &fp_of, first.kind);
        // As TLC does, the depth at an error is that of the state where it was found.
        depth = depth.max(t.len() as u64);
        trace = Some(t);
        outcome
    } else if no_initial_state || (nodes.is_empty() && incomplete.is_none()) {
        Outcome::NoInitialState
    } else if let Some(reason) = incomplete {
        Outcome::Incomplete { reason }
    } else if let Some((property, t)) = live_violation {
        trace = Some(t);
        Outcome::LivenessViolated { property }
    } else if let Some(reason) = live_results.iter().find_map(|r| match &r.status {
        LivenessStatus::NotChecked(why) => Some(why.clone()),
        _ => None,
    }) {
        Outcome::Incomplete { reason }
    } else if let Some(i) = (0..n_reach).find(|&i| !reached_all(i)) {
        // Only a complete search can say that no reachable state satisfies a condition.
        Outcome::Unreachable {
            property: meta.reachables[i].tla.to_string(),
        }
    } else {
        Outcome::Ok
    };

    Report {
        model: meta.name.to_string(),
        config: model.config_name().to_string(),
        outcome,
        distinct_states: nodes.len() as u64,
        generated_states: generated,
        depth,
        seconds: started.elapsed().as_secs_f64(),
        threads,
        peak_memory_bytes: peak_memory_bytes(),
        trace,
        liveness: live_results,
    }
}

/// A worker of the search: a thread with the model's stack (see `panics`).
fn spawn_worker<'scope, 'env, T: Send + 'scope>(
    scope: &'scope std::thread::Scope<'scope, 'env>,
    f: impl FnOnce() -> T + Send + 'scope,
) -> std::thread::ScopedJoinHandle<'scope, T> {
    std::thread::Builder::new()
        .name("lamport-worker".into())
        .stack_size(MODEL_STACK)
        .spawn_scoped(scope, move || {
            mark_model_stack();
            f()
        })
        .expect("a checker thread")
}

/// `Name` or `Name [v = v1]`.
fn instance_name(tla: &str, label: &str) -> String {
    if label.is_empty() {
        tla.to_string()
    } else {
        format!("{tla} [{label}]")
    }
}

/// The states of a lasso, re-executed from an initial state.
fn lasso_trace<M: Model>(
    model: &M,
    nodes: &[Node],
    fp_of: &impl Fn(&M::State) -> u64,
    lasso: &liveness::Lasso,
) -> Trace {
    let path: Vec<u64> = lasso
        .prefix
        .iter()
        .chain(&lasso.cycle)
        .map(|&n| nodes[n as usize].fp)
        .collect();
    let mut first = None;
    let _ = run_model_code(|| {
        model.init_states(&mut |s| {
            if first.is_none() && fp_of(&s) == path[0] {
                first = Some(s);
            }
        })
    });
    let mut states: Vec<(Option<StepLabel>, M::State)> = vec![(
        None,
        first.expect("an initial state with the recorded fingerprint"),
    )];
    for &fp in &path[1..] {
        let prev = &states.last().expect("non-empty").1;
        let (label, next) = find_successor(model, prev, fp_of, fp)
            .expect("a successor with the recorded fingerprint");
        states.push((Some(label), next));
    }
    Trace {
        abstract_states: crate::refinement::abstract_states(model, states.iter().map(|(_, s)| s)),
        states: states
            .into_iter()
            .map(|(action, s)| TraceState {
                action,
                vars: model.render(&s),
            })
            .collect(),
        failing_action: None,
        loop_start: Some(lasso.prefix.len() - 1),
        bags: crate::network::bag_variables(model),
    }
}

/// Successors of one contiguous chunk of the frontier; `None` if `stop` said to stop first.
fn expand_chunk<M: Model>(
    model: &M,
    chunk: &[(u32, M::State)],
    base: u64,
    visited: &[FpSet],
    fp_of: &(impl Fn(&M::State) -> u64 + Sync),
    live: Option<&LiveCtx>,
    stop: &(impl Fn() -> bool + Sync),
) -> Option<ChunkOut<M::State>> {
    /// Collects the successors of one state that are not visited yet.
    struct Collect<'a, M: Model, F> {
        model: &'a M,
        from: &'a M::State,
        node: u32,
        steps_broken: &'a mut Vec<Event<M::State>>,
        key_base: u64,
        ordinal: u64,
        parent: u32,
        visited: &'a [FpSet],
        fp_of: &'a F,
        pending: &'a mut Vec<Candidate<M::State>>,
        /// Fingerprints already collected from this chunk: within a chunk keys only grow, so a
        /// repeat can never be the smallest-key copy and is dropped here rather than in phase 2.
        seen: &'a mut FpSet,
        /// Liveness: the record of the state being expanded, and its fingerprint.
        live: Option<(&'a LiveCtx, &'a mut Record, u64)>,
        row: Vec<u64>,
    }
    impl<M: Model, F: Fn(&M::State) -> u64> Sink<M::State> for Collect<'_, M, F> {
        fn step(&mut self, action: usize, params: Params<'_>, next: M::State) {
            self.step_at(action, params, &|k| params().swap_remove(k), next);
        }

        fn step_at(
            &mut self,
            action: usize,
            _params: Params<'_>,
            param: &dyn Fn(usize) -> String,
            next: M::State,
        ) {
            if self.ordinal >= MAX_SUCCESSORS {
                panic!("a state with more than {MAX_SUCCESSORS} successors: lamport numbers a state's successors in 32 bits");
            }
            let key = self.key_base | self.ordinal;
            self.ordinal += 1;
            // Every step is checked against the step properties, to visited states too.
            let n_steps = self.model.meta().step_properties.len();
            for i in 0..n_steps {
                let kind = match run_model_code(|| self.model.step_property(i, self.from, &next)) {
                    Ok(true) => continue,
                    Ok(false) => EventKind::Step {
                        index: i,
                        parent: self.node,
                        state: next.clone(),
                    },
                    Err(message) => EventKind::Panic {
                        node: Some(self.node),
                        state: Some(next.clone()),
                        message,
                        role: Role::Known(format!(
                            "step property {}",
                            self.model.meta().step_properties[i].tla
                        )),
                    },
                };
                self.steps_broken.push(Event { key, kind });
                break;
            }
            let fp = (self.fp_of)(&next);
            if let Some((ctx, rec, from_fp)) = &mut self.live {
                // A step to another state: an edge of the behaviour graph, which enables (and
                // is a step of) the fairness conditions of its action that match its parameters.
                if fp != *from_fp {
                    self.row.iter_mut().for_each(|w| *w = 0);
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
                    // The abstract models' fairness: whether the step maps to a step of the
                    // condition's abstract action. (A mapping that panics here panicked in the
                    // refinement's step property first, which stops the search.)
                    if ctx.abstract_count > 0 {
                        let mut flags = Vec::with_capacity(ctx.abstract_count);
                        let ok = run_model_code(|| {
                            self.model
                                .refinement_fairness_step(self.from, &next, &mut flags)
                        });
                        if ok.is_ok() {
                            for (k, f) in flags.iter().enumerate() {
                                if *f {
                                    set_bit(&mut self.row, ctx.abstract_first + k);
                                }
                            }
                        }
                    }
                    for (e, r) in rec.enabled.iter_mut().zip(&self.row) {
                        *e |= r;
                    }
                    rec.succ.push(fp);
                    rec.fair_bits.extend_from_slice(&self.row);
                }
            }
            if !self.visited[shard_of(fp)].contains(&fp) && self.seen.insert(fp) {
                self.pending.push(Candidate {
                    key,
                    fp,
                    parent: self.parent,
                    state: next,
                });
            }
        }
    }

    let mut buckets: Vec<Vec<Candidate<M::State>>> = (0..SHARDS).map(|_| Vec::new()).collect();
    let mut pending: Vec<Candidate<M::State>> = Vec::new();
    let mut seen = FpSet::default();
    let mut events = Vec::new();
    let mut generated = 0u64;
    let mut counts = Vec::with_capacity(chunk.len());
    let mut records = Vec::new();
    let mut preds: Vec<bool> = Vec::new();
    let check_deadlock = model.meta().check_deadlock;
    let n_inv = model.meta().invariants.len();
    let constrained = !model.meta().constraints.is_empty();

    for (i, (node, state)) in chunk.iter().enumerate() {
        if i % 64 == 63 && stop() {
            return None;
        }
        let pos = base + i as u64;
        let key_base = pos << 32;
        let mut steps_broken = Vec::new();
        let mut record = live.map(|ctx| Record {
            node: *node,
            succ: Vec::new(),
            fair_bits: Vec::new(),
            enabled: vec![0; ctx.fair_words],
            preds: vec![0; ctx.pred_words],
        });
        let from_fp = if live.is_some() { fp_of(state) } else { 0 };
        let mut sink = Collect {
            model,
            from: state,
            node: *node,
            steps_broken: &mut steps_broken,
            key_base,
            ordinal: 0,
            parent: pos as u32,
            visited,
            fp_of,
            pending: &mut pending,
            seen: &mut seen,
            live: match (live, record.as_mut()) {
                (Some(ctx), Some(r)) => Some((ctx, r, from_fp)),
                _ => None,
            },
            row: vec![0; live.map_or(0, |c| c.fair_words)],
        };
        let result = run_model_code(|| model.successors(state, &mut sink));
        let count = sink.ordinal;
        let mut live_panic = None;
        if let Some(mut rec) = record {
            // The temporal properties' predicates in this state, one property at a time.
            if result.is_ok() {
                preds.clear();
                for p in 0..model.meta().liveness.len() {
                    if let Err(message) =
                        run_model_code(|| model.liveness_eval(p, state, &mut preds))
                    {
                        let role = format!("temporal property {}", model.meta().liveness[p].tla);
                        live_panic = Some((message, role));
                        break;
                    }
                }
                for (b, &v) in preds.iter().enumerate() {
                    if v {
                        set_bit(&mut rec.preds, b);
                    }
                }
            }
            // The abstract models' fairness conditions are enabled where their abstract action
            // is, in the abstract state this one maps to (not where a step maps to one).
            if let Some(ctx) = live.filter(|c| c.abstract_count > 0) {
                for k in 0..ctx.abstract_count {
                    let b = ctx.abstract_first + k;
                    rec.enabled[b / 64] &= !(1u64 << (b % 64));
                }
                let mut flags = Vec::with_capacity(ctx.abstract_count);
                if result.is_ok()
                    && run_model_code(|| model.refinement_fairness_enabled(state, &mut flags))
                        .is_ok()
                {
                    for (k, f) in flags.iter().enumerate() {
                        if *f {
                            set_bit(&mut rec.enabled, ctx.abstract_first + k);
                        }
                    }
                }
            }
            records.push(rec);
        }
        generated += count;
        counts.push(count as u32);
        events.append(&mut steps_broken);
        let failure = match (result, live_panic) {
            (Err(message), _) => Some((message, Role::Actions)),
            (Ok(()), Some((message, role))) => Some((message, Role::Known(role))),
            (Ok(()), None) => None,
        };
        let failed = failure.is_some();
        if let Some((message, role)) = failure {
            // The successors computed before the failure stay: as in TLC, which checks each
            // new state as it computes it, a violation by one of them comes first (its key is
            // smaller than the failure's).
            events.push(Event {
                key: key_base | count,
                kind: EventKind::Panic {
                    node: Some(*node),
                    state: None,
                    message,
                    role,
                },
            });
        }
        if count == 0 && check_deadlock && !failed {
            events.push(Event {
                key: key_base | 0xffff_ffff,
                kind: EventKind::Deadlock { node: *node },
            });
        }
        for cand in pending.drain(..) {
            if !constrained {
                buckets[shard_of(cand.fp)].push(cand);
                continue;
            }
            // A successor outside the constraints is generated and checked, never explored.
            let verdict = run_model_code(|| {
                if model.constraint(&cand.state) {
                    None
                } else {
                    Some((0..n_inv).find(|&inv| !model.invariant(inv, &cand.state)))
                }
            });
            match verdict {
                Ok(None) => buckets[shard_of(cand.fp)].push(cand),
                Ok(Some(None)) => {}
                Ok(Some(Some(index))) => events.push(Event {
                    key: cand.key,
                    kind: EventKind::Invariant {
                        index,
                        parent: Some(*node),
                        state: cand.state,
                    },
                }),
                Err(message) => events.push(Event {
                    key: cand.key,
                    kind: EventKind::Panic {
                        node: Some(*node),
                        state: Some(cand.state),
                        message,
                        role: Role::StateFunctions,
                    },
                }),
            }
        }
    }
    Some(ChunkOut {
        buckets,
        events,
        generated,
        counts,
        records,
    })
}

/// Keeps the first copy of each state not yet visited; checks invariants on it.
fn dedup_shard<M: Model>(
    model: &M,
    set: &mut FpSet,
    lists: Vec<Vec<Candidate<M::State>>>,
    note_reached: &(impl Fn(&M::State) + Sync),
) -> ShardOut<M::State> {
    let n_inv = model.meta().invariants.len();
    let mut fresh = Vec::new();
    let mut events = Vec::new();
    for list in lists {
        for cand in list {
            if !set.insert(cand.fp) {
                continue;
            }
            // `parent` is a frontier position here; `check` maps it to a node.
            let panicked = |message, role| Event {
                key: cand.key,
                kind: EventKind::Panic {
                    node: Some(cand.parent),
                    state: Some(cand.state.clone()),
                    message,
                    role,
                },
            };
            if let Err(message) = run_model_code(|| note_reached(&cand.state)) {
                events.push(panicked(message, Role::Reachables));
            }
            match run_model_code(|| (0..n_inv).find(|&i| !model.invariant(i, &cand.state))) {
                Ok(None) => {}
                Ok(Some(index)) => events.push(Event {
                    key: cand.key,
                    kind: EventKind::Invariant {
                        index,
                        parent: Some(cand.parent),
                        state: cand.state.clone(),
                    },
                }),
                Err(message) => events.push(panicked(message, Role::StateFunctions)),
            }
            fresh.push(cand);
        }
    }
    (fresh, events)
}

/// Turns the first error into an outcome and a trace.
fn explain<M: Model>(
    model: &M,
    nodes: &[Node],
    fp_of: &impl Fn(&M::State) -> u64,
    kind: EventKind<M::State>,
) -> (Outcome, Trace) {
    let meta = model.meta();
    match kind {
        EventKind::Invariant {
            index,
            parent,
            state,
        } => {
            let mut trace = match parent {
                Some(p) => trace_to(model, nodes, fp_of, p),
                None => Trace::default(),
            };
            let fp = fp_of(&state);
            let label = match trace.states.is_empty() {
                true => None,
                false => step_label_to(model, nodes, fp_of, parent.expect("parent"), fp),
            };
            trace.states.push(TraceState {
                action: label,
                vars: model.render(&state),
            });
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            (
                Outcome::InvariantViolated {
                    invariant: meta.invariants[index].tla.to_string(),
                },
                trace,
            )
        }
        EventKind::Step {
            index,
            parent,
            state,
        } => {
            let mut trace = trace_to(model, nodes, fp_of, parent);
            let label = step_label_to(model, nodes, fp_of, parent, fp_of(&state));
            trace.states.push(TraceState {
                action: label,
                vars: model.render(&state),
            });
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            let property = meta.step_properties[index].tla.to_string();
            (Outcome::PropertyViolated { property }, trace)
        }
        EventKind::InitialStep { index, state } => {
            let mut trace = Trace {
                states: vec![TraceState {
                    action: None,
                    vars: model.render(&state),
                }],
                ..Trace::default()
            };
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            let property = meta.step_properties[index].tla.to_string();
            (Outcome::PropertyViolated { property }, trace)
        }
        EventKind::Deadlock { node } => (Outcome::Deadlock, trace_to(model, nodes, fp_of, node)),
        EventKind::Panic {
            node,
            state,
            message,
            role,
        } => {
            let mut trace = match node {
                Some(n) => trace_to(model, nodes, fp_of, n),
                None => Trace::default(),
            };
            let role = match (role, &state) {
                (Role::Known(r), _) => r,
                (Role::StateFunctions, Some(s)) => fault::state_function(model, s),
                (Role::Reachables, Some(s)) => fault::reachable_function(model, s),
                // Panicked computing the successors of the last state: find the action.
                _ => {
                    let last = node.map(|n| rebuild(model, nodes, fp_of, n));
                    if let Some(last) = last.as_ref().and_then(|l| l.last()) {
                        trace.failing_action = fault::failing_action(model, &last.1);
                    }
                    fault::action_role(trace.failing_action.as_ref())
                }
            };
            // Panicked evaluating a function of `state` (reached from node `node`).
            if let Some(s) = state {
                let label = node.and_then(|n| step_label_to(model, nodes, fp_of, n, fp_of(&s)));
                trace.states.push(TraceState {
                    action: label,
                    vars: model.render(&s),
                });
            }
            let message = fault::in_role(&role, &message);
            (Outcome::ModelError { message }, trace)
        }
    }
}

/// The states from an initial state to node `id`, with the steps between them.
fn rebuild<M: Model>(
    model: &M,
    nodes: &[Node],
    fp_of: &impl Fn(&M::State) -> u64,
    id: u32,
) -> Vec<(Option<StepLabel>, M::State)> {
    let mut chain = Vec::new();
    let mut cur = id;
    loop {
        let node = nodes[cur as usize];
        chain.push(node.fp);
        if node.parent == NO_PARENT {
            break;
        }
        cur = node.parent;
    }
    chain.reverse();

    let mut out: Vec<(Option<StepLabel>, M::State)> = Vec::new();
    let mut first = None;
    let _ = run_model_code(|| {
        model.init_states(&mut |s| {
            if first.is_none() && fp_of(&s) == chain[0] {
                first = Some(s);
            }
        })
    });
    out.push((
        None,
        first.expect("an initial state with the recorded fingerprint"),
    ));
    for &fp in &chain[1..] {
        let prev = &out.last().expect("non-empty").1;
        let found = find_successor(model, prev, fp_of, fp)
            .expect("a successor with the recorded fingerprint");
        out.push((Some(found.0), found.1));
    }
    out
}

fn find_successor<M: Model>(
    model: &M,
    state: &M::State,
    fp_of: &impl Fn(&M::State) -> u64,
    target: u64,
) -> Option<(StepLabel, M::State)> {
    struct Find<'a, M: Model, F> {
        model: &'a M,
        fp_of: &'a F,
        target: u64,
        found: Option<(StepLabel, M::State)>,
    }
    impl<M: Model, F: Fn(&M::State) -> u64> Sink<M::State> for Find<'_, M, F> {
        fn step(&mut self, action: usize, params: Params<'_>, next: M::State) {
            if self.found.is_none() && (self.fp_of)(&next) == self.target {
                self.found = Some((fault::label(self.model, action, params), next));
            }
        }
    }
    let mut sink = Find {
        model,
        fp_of,
        target,
        found: None,
    };
    let _ = run_model_code(|| model.successors(state, &mut sink));
    sink.found
}

fn trace_to<M: Model>(
    model: &M,
    nodes: &[Node],
    fp_of: &impl Fn(&M::State) -> u64,
    id: u32,
) -> Trace {
    let path = rebuild(model, nodes, fp_of, id);
    let abstract_states = crate::refinement::abstract_states(model, path.iter().map(|(_, s)| s));
    let states = path
        .into_iter()
        .map(|(action, s)| TraceState {
            action,
            vars: model.render(&s),
        })
        .collect();
    Trace {
        states,
        failing_action: None,
        loop_start: None,
        bags: crate::network::bag_variables(model),
        abstract_states,
    }
}

fn step_label_to<M: Model>(
    model: &M,
    nodes: &[Node],
    fp_of: &impl Fn(&M::State) -> u64,
    parent: u32,
    fp: u64,
) -> Option<StepLabel> {
    let last = rebuild(model, nodes, fp_of, parent).pop()?;
    find_successor(model, &last.1, fp_of, fp).map(|(l, _)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ModelMeta, NamePair, VarValue};

    /// `x` counts from 0 to 99, one step at a time.
    struct Counter(ModelMeta);

    impl Counter {
        fn new() -> Counter {
            Counter(ModelMeta {
                name: "counter",
                module: "Counter",
                variables: vec![NamePair {
                    rust: "x",
                    tla: "x",
                }],
                actions: vec![crate::model::ActionMeta {
                    rust: "incr",
                    tla: "Incr",
                    params: vec![],
                }],
                invariants: vec![],
                constraints: vec![],
                step_properties: vec![],
                reachables: vec![],
                liveness: vec![],
                check_deadlock: false,
            })
        }
    }

    impl Model for Counter {
        type State = u64;
        fn meta(&self) -> &ModelMeta {
            &self.0
        }
        fn config_name(&self) -> &str {
            "default"
        }
        fn constants(&self) -> Vec<(&'static str, String)> {
            Vec::new()
        }
        fn init_states(&self, out: &mut dyn FnMut(u64)) {
            out(0);
        }
        fn successors(&self, s: &u64, sink: &mut dyn Sink<u64>) {
            if *s < 99 {
                sink.step(0, &Vec::new, s + 1);
            }
        }
        fn invariant(&self, _: usize, _: &u64) -> bool {
            true
        }
        fn constraint(&self, _: &u64) -> bool {
            true
        }
        fn render(&self, s: &u64) -> Vec<VarValue> {
            vec![VarValue::new("x", s)]
        }
    }

    #[test]
    fn past_the_node_index_the_search_stops_incomplete_instead_of_wrapping() {
        let opts = CheckOptions {
            threads: 2,
            ..CheckOptions::default()
        };
        // The same path as at 4,294,967,294 states, with room for 5.
        let r = on_model_stack(|| search(&Counter::new(), &opts, 5));
        assert_eq!(
            r.outcome,
            Outcome::Incomplete {
                reason: "lamport indexes at most 5 distinct states (a 32-bit index each); the search stopped there".into()
            }
        );
        assert_eq!((r.distinct_states, r.generated_states, r.depth), (5, 5, 5));
        // A max_states below the index's limit is the bound reported.
        let r = on_model_stack(|| {
            search(
                &Counter::new(),
                &CheckOptions {
                    max_states: Some(3),
                    ..opts.clone()
                },
                5,
            )
        });
        assert_eq!(
            r.outcome,
            Outcome::Incomplete {
                reason: "state bound 3 reached".into()
            }
        );
        // Without a bound it is complete.
        check(&Counter::new(), &opts)
            .assert_ok()
            .assert_counts(100, 100, 100);
        assert_eq!(MAX_NODES, u64::from(u32::MAX) - 1);
        assert_eq!(u64::from(NO_PARENT), MAX_NODES + 1);
    }

    #[test]
    fn a_successor_key_counts_what_was_generated_before_it() {
        let counts = [3, 0, 2, 5];
        assert_eq!(generated_before(0, &counts), 0);
        assert_eq!(generated_before(2, &counts), 2);
        assert_eq!(generated_before(2 << 32, &counts), 3);
        assert_eq!(generated_before((3 << 32) | 4, &counts), 9);
    }
}
