//! lamport's breadth-first model checker, with TLC's counting.
//!
//! Why not stateright's checker: its breadth-first search in 0.31 can return a counterexample
//! longer than the shortest, ignores symmetry, and keeps ~140 bytes per state. This search keeps
//! one 64-bit fingerprint per distinct state in open-addressing tables (`fpset`), and the
//! states of the level being explored and of the next one packed (`pack`, `store`: in memory,
//! then on disk); per distinct state it records its fingerprint and its parent (`store::Nodes`,
//! on disk past a size) and rebuilds traces by re-executing the model (`explain`), as TLC does.
//!
//! It explores level by level, each level in segments, so that any number of threads gives
//! exactly the result of the sequential search:
//!
//! * every successor gets the key (position of its parent in the level, ordinal among the
//!   parent's successors) — the order a sequential BFS would meet it in;
//! * phase 1 (`expand`) computes the successors of chunks of the segment in parallel and keeps
//!   those not visited before as candidates, with the errors found on them;
//! * phase 2 (`dedup`, TLC's `isSeenState`) inserts the candidates into the visited set, one
//!   thread per fingerprint table, in key order: the first copy of a state is the one with the
//!   smallest key, which fixes its parent and its place in the next level;
//! * phase 3 (`commit`) appends the first copies to the next level in key order, and keeps the
//!   errors of steps, of the expanded states and of first copies; the first error reported is
//!   the one with the smallest key.
//!
//! With symmetry, a state's fingerprint is the least fingerprint of its images under the whole
//! permutation group, so each orbit is one distinct state, exactly.
//!
//! Counting follows TLC (see REFERENCE.md): "generated" is the initial states plus every
//! successor computed, duplicates included; "distinct" counts states that satisfy the state
//! constraints; a successor outside the constraints is generated, has its invariants checked and
//! is never explored; an initial state has depth 1; a state without any successor is a deadlock
//! when deadlock is checked.

mod events;
mod expand;
mod explain;
mod fingerprint;
pub mod fpset;
mod live;
mod store;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::liveness::{self, LivenessResult, LivenessStatus};
use crate::memory::MemoryBound;
use crate::model::Model;
use crate::pack::Pack;
use crate::panics::{mark_model_stack, on_model_stack, run_model_code, MODEL_STACK};
use crate::progress::{Cancel, Progress, ProgressHook, CANCELLED};
use crate::report::{peak_memory_bytes, Outcome, Report, Trace};

use events::{Event, EventKind, Role};
use expand::{expand_chunk, ChunkOut, Ctx};
use fingerprint::Fingerprinter;
use fpset::{FpSet, Table, SHARDS};
use live::{LiveCtx, LiveLog};
use store::{Level, Nodes, Segment, SpillPolicy, NO_PARENT};

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
    /// Check safety only: invariants, step properties, deadlock and `#[reachable]` conditions.
    /// The temporal properties are neither recorded nor decided, and are reported as not
    /// checked; unlike `liveness: false` the run is complete (`check --safety-only`).
    pub safety_only: bool,
    /// The folder for the files a large search keeps on disk (default: the system's
    /// temporary folder). They are removed when the check ends.
    pub spill_dir: Option<PathBuf>,
    /// The bytes a level's packed states, and the trace records, keep in memory before they
    /// continue on disk (default 256 MiB each, at most an eighth of `max_memory`).
    pub spill_after: Option<u64>,
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
            safety_only: false,
            spill_dir: None,
            spill_after: None,
            on_progress: None,
            cancel: None,
        }
    }
}

/// What stays in memory by default before it continues on disk (per level; trace records).
const DEFAULT_SPILL_AFTER: u64 = 256 << 20;

/// The states of a level expanded between two deduplications: what bounds the memory the
/// candidates take.
const SEGMENT: usize = 1 << 18;

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
/// parent's successors) says were generated before it in its segment, whose first state is at
/// position `first`: all successors of the states before its parent, and its parent's
/// successors before it.
fn generated_before(key: u64, first: u64, counts: &[u32]) -> u64 {
    let pos = ((key >> 32) - first) as usize;
    counts[..pos].iter().map(|&c| u64::from(c)).sum::<u64>() + (key & 0xffff_ffff)
}

/// Why a search stopped before its end.
enum Stop {
    /// An error was found: the level is complete, the report explains the first error.
    Error,
    /// A bound, a signal or a failure: the reason for the report.
    Incomplete(String),
}

/// The figures when a level began: what is reported when the level is dropped.
#[derive(Clone, Copy)]
struct Mark {
    distinct: u64,
    generated: u64,
    events: usize,
}

/// One search: what it has found so far and what it keeps.
struct Search<'a, M: Model> {
    model: &'a M,
    opts: &'a CheckOptions,
    threads: usize,
    started: Instant,
    fingerprints: Fingerprinter<'a, M>,
    visited: FpSet,
    nodes: Nodes,
    generated: u64,
    depth: u64,
    events: Vec<Event<M::State>>,
    /// The distinct states reported (less than `nodes` while a dropped level is undone).
    distinct: u64,
    cap: u64,
    cap_reason: String,
    memory: Option<MemoryBound>,
    spill: SpillPolicy,
    /// Which `#[reachable]` conditions some distinct state satisfies (bit i of word i / 64).
    reached: Vec<AtomicU64>,
    live_ctx: Option<LiveCtx>,
    live_log: Option<LiveLog>,
    /// The invariants initial states violate (each state's first), in the order met.
    initial_violations: Vec<String>,
    /// The most bytes the search kept on disk at once.
    disk_peak: u64,
    last_progress: Instant,
}

fn search<M: Model>(model: &M, opts: &CheckOptions, max_nodes: u64) -> Report {
    let mut s = Search::new(model, opts, max_nodes);
    let (first, no_initial_state) = s.initial_level();
    let stop = match first {
        Ok(level) => s.explore(level),
        Err(stop) => Some(stop),
    };
    s.report(stop, no_initial_state)
}

impl<'a, M: Model> Search<'a, M> {
    fn new(model: &'a M, opts: &'a CheckOptions, max_nodes: u64) -> Self {
        let meta = model.meta();
        let (cap, cap_reason) = state_cap(opts, max_nodes);
        // The fairness conditions of the abstract models this model refines are decided on
        // the same graph, their bits after the model's own.
        let abstract_count = model.refinement_fairness().len();
        let temporal = (!meta.liveness.is_empty() || abstract_count > 0) && !opts.safety_only;
        let (live_ctx, live_log) = if temporal {
            let fair = model.fairness();
            let pred_count = pred_count(model);
            (
                Some(LiveCtx::new(
                    meta.actions.len(),
                    &fair,
                    abstract_count,
                    pred_count,
                )),
                Some(LiveLog::new(fair.len() + abstract_count, pred_count)),
            )
        } else {
            (None, None)
        };
        let in_memory = opts
            .spill_after
            .unwrap_or(DEFAULT_SPILL_AFTER)
            .min(opts.max_memory.map_or(u64::MAX, |m| m / 8));
        Search {
            model,
            opts,
            threads: opts.threads.max(1),
            started: Instant::now(),
            fingerprints: Fingerprinter::new(model),
            visited: FpSet::default(),
            // The behaviour graph needs every node's record in memory.
            nodes: Nodes::new(!temporal),
            generated: 0,
            depth: 0,
            events: Vec::new(),
            distinct: 0,
            cap,
            cap_reason,
            memory: opts.max_memory.map(MemoryBound::new),
            spill: SpillPolicy {
                dir: opts.spill_dir.clone().unwrap_or_else(std::env::temp_dir),
                in_memory,
            },
            reached: (0..meta.reachables.len().div_ceil(64))
                .map(|_| AtomicU64::new(0))
                .collect(),
            live_ctx,
            live_log,
            initial_violations: Vec::new(),
            disk_peak: 0,
            last_progress: Instant::now(),
        }
    }

    /// The initial states: generated, deduplicated, constrained and checked like any
    /// successor. The first level, and whether there was no initial state at all.
    fn initial_level(&mut self) -> (Result<Level, Stop>, bool) {
        let model = self.model;
        let meta = model.meta();
        let mut inits = Vec::new();
        if let Err(message) = run_model_code(|| model.init_states(&mut |s| inits.push(s))) {
            self.events.push(Event::new(
                0,
                EventKind::Panic {
                    node: None,
                    state: None,
                    message,
                    role: Role::Known("init".into()),
                },
            ));
        }
        let no_initial_state = self.events.is_empty() && inits.is_empty();
        let mut level = Level::new();
        let mut kept: Vec<(u64, M::State)> = Vec::new();
        let mut packed = Vec::new();
        let mut stop = None;
        for (k, s) in inits.into_iter().enumerate() {
            self.generated += 1;
            packed.clear();
            s.pack(&mut packed);
            let fp = self.fingerprints.of(&s, &packed, &mut Vec::new());
            if self.visited.contains(fp) {
                continue;
            }
            let key = k as u64;
            let verdict = run_model_code(|| {
                let inside = model.constraint(&s);
                let broken = (0..meta.invariants.len()).find(|&i| !model.invariant(i, &s));
                let initial =
                    (0..meta.step_properties.len()).find(|&i| !model.initial_property(i, &s));
                (inside, broken, initial)
            });
            let (inside, broken, initial) = match verdict {
                Err(message) => {
                    self.events.push(Event::new(
                        key,
                        EventKind::Panic {
                            node: None,
                            state: Some(s),
                            message,
                            role: Role::StateFunctions,
                        },
                    ));
                    continue;
                }
                Ok(v) => v,
            };
            if inside && self.nodes.len() >= self.cap {
                // One initial state too many: the search stops before it.
                self.generated -= 1;
                stop = Some(Stop::Incomplete(self.cap_reason.clone()));
                break;
            }
            if let Some(index) = broken {
                let name = meta.invariants[index].tla;
                if !self.initial_violations.iter().any(|n| n == name) {
                    self.initial_violations.push(name.to_string());
                }
                self.events.push(Event::new(
                    key,
                    EventKind::Invariant {
                        index,
                        parent: None,
                        state: s.clone(),
                    },
                ));
            } else if let Some(index) = initial {
                self.events.push(Event::new(
                    key,
                    EventKind::InitialStep {
                        index,
                        state: s.clone(),
                    },
                ));
            }
            if inside {
                self.visited.insert(fp);
                self.nodes.push(fp, NO_PARENT);
                if let Err(reason) = level.push(&packed, &self.spill) {
                    stop = Some(Stop::Incomplete(reason));
                    break;
                }
                kept.push((key, s));
            }
        }
        self.distinct = self.nodes.len();
        for (k, (_, s)) in kept.iter().enumerate() {
            let cx = self.ctx();
            match run_model_code(|| expand::reachables_met(&cx, s)) {
                Ok(Some(bits)) => self.note_reached(&bits),
                Ok(None) => {}
                Err(message) => self.events.push(Event::new(
                    k as u64,
                    EventKind::Panic {
                        node: None,
                        state: Some(s.clone()),
                        message,
                        role: Role::Reachables,
                    },
                )),
            }
        }
        self.depth = u64::from(!level.is_empty());
        match stop {
            Some(stop) => (Err(stop), no_initial_state),
            None => (Ok(level), no_initial_state),
        }
    }

    /// What the chunks of a level share.
    fn ctx(&self) -> Ctx<'_, M> {
        Ctx {
            model: self.model,
            fingerprints: &self.fingerprints,
            visited: &self.visited,
            live: self.live_ctx.as_ref(),
            reached: &self.reached,
        }
    }

    fn note_reached(&self, bits: &[u64]) {
        for (w, b) in self.reached.iter().zip(bits) {
            w.fetch_or(*b, Ordering::Relaxed);
        }
    }

    /// Level after level until the state space is exhausted, an error is found or the search
    /// stops; why it stopped, `None` when it was exhausted.
    fn explore(&mut self, mut level: Level) -> Option<Stop> {
        // The node of the level's first state.
        let mut first_id = 0u64;
        loop {
            if !self.events.is_empty() {
                return Some(Stop::Error);
            }
            if level.is_empty() {
                return None;
            }
            if let Some(reason) = self.before_level(&level) {
                return Some(Stop::Incomplete(reason));
            }
            let next_first = self.nodes.len();
            let (next, capped) = match self.next_level(level, first_id) {
                Ok(done) => done,
                Err(stop) => return Some(stop),
            };
            if !next.is_empty() && self.events.is_empty() {
                self.depth += 1;
            }
            self.distinct = self.nodes.len();
            if capped {
                return Some(Stop::Incomplete(self.cap_reason.clone()));
            }
            level = next;
            first_id = next_first;
            if let Err(reason) = self.nodes.maybe_spill(&self.spill) {
                return Some(Stop::Incomplete(reason));
            }
            self.report_progress(level.len());
        }
    }

    /// The bounds checked before a level: depth and memory.
    fn before_level(&self, level: &Level) -> Option<String> {
        if let Some(max) = self.opts.max_depth {
            if self.depth >= max {
                return Some(format!(
                    "depth bound {max} reached with {} states at depth {} not explored",
                    level.len(),
                    self.depth
                ));
            }
        }
        match &self.memory {
            Some(m) if m.sample() => Some(m.reason()),
            _ => None,
        }
    }

    fn cancelled(&self) -> bool {
        self.opts.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }

    fn stop_requested(&self) -> bool {
        self.cancelled() || self.memory.as_ref().is_some_and(MemoryBound::reached)
    }

    /// Why a level was dropped.
    fn stop_reason(&self) -> String {
        match (&self.opts.cancel, &self.memory) {
            (Some(c), _) if c.is_cancelled() => c.reason(),
            (_, Some(m)) => m.reason(),
            _ => CANCELLED.to_string(),
        }
    }

    /// Explores one level, segment after segment, and returns the next, and whether the state
    /// bound cut it. A level stopped by a signal, by memory or by a failing disk is dropped:
    /// the figures go back to those of its start.
    fn next_level(&mut self, level: Level, first_id: u64) -> Result<(Level, bool), Stop> {
        let mark = Mark {
            distinct: self.distinct,
            generated: self.generated,
            events: self.events.len(),
        };
        let size = level.len();
        let mut reader = level.into_reader(&self.spill).map_err(Stop::Incomplete)?;
        let mut next = Level::new();
        let mut seg = Segment::default();
        let mut pos = 0u64;
        while reader.left() > 0 {
            let drop_level = |s: &mut Self, reason: String| {
                s.distinct = mark.distinct;
                s.generated = mark.generated;
                s.events.truncate(mark.events);
                Stop::Incomplete(reason)
            };
            if let Err(e) = reader.next_segment(SEGMENT, &mut seg) {
                let reason = format!("cannot read the frontier back: {e}");
                return Err(drop_level(self, reason));
            }
            let Some(outs) = self.expand_segment(&seg, pos, first_id, size - pos) else {
                let reason = self.stop_reason();
                return Err(drop_level(self, reason));
            };
            if let Some(reason) = self.memory_for_dedup(&outs) {
                return Err(drop_level(self, reason));
            }
            let winners = self.dedup(&outs);
            if let Some(reason) = self.memory_for_commit(&outs, &winners, &next) {
                return Err(drop_level(self, reason));
            }
            let done = self.commit(outs, &winners, pos, first_id, &mut next);
            self.disk_peak = self
                .disk_peak
                .max(next.disk_bytes() + self.nodes.disk_bytes() + reader.disk_bytes());
            match done {
                Ok(false) => {}
                Ok(true) => return Ok((next, true)),
                Err(reason) => return Err(drop_level(self, reason)),
            }
            pos += seg.len() as u64;
        }
        Ok((next, false))
    }

    /// Phase 1: the successors of the segment's states, in parallel over chunks; `None` if the
    /// search was asked to stop first. `queue` is what was left of the level.
    fn expand_segment(
        &self,
        seg: &Segment,
        pos: u64,
        first_id: u64,
        queue: u64,
    ) -> Option<Vec<ChunkOut<M::State>>> {
        let threads = self.threads;
        let chunk_len = (seg.len() / (threads * 8)).max(1);
        let chunks = seg.len().div_ceil(chunk_len);
        let mut outs: Vec<Option<ChunkOut<M::State>>> = (0..chunks).map(|_| None).collect();
        let next_chunk = AtomicUsize::new(0);
        let (level_generated, level_expanded) = (AtomicU64::new(0), AtomicU64::new(0));
        let cx = self.ctx();
        let stop = || self.stop_requested();
        let work = || {
            let mut mine = Vec::new();
            let mut seen = Table::default();
            loop {
                if stop() {
                    break;
                }
                let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                if c >= chunks {
                    break;
                }
                let range = c * chunk_len..((c + 1) * chunk_len).min(seg.len());
                let (states, start) = (range.len() as u64, range.start as u64);
                let id_base = (first_id + pos + start) as u32;
                let Some(out) =
                    expand_chunk(&cx, seg, range, pos + start, id_base, &mut seen, &stop)
                else {
                    break;
                };
                if let Some(hook) = &self.opts.on_progress {
                    let g =
                        level_generated.fetch_add(out.generated, Ordering::Relaxed) + out.generated;
                    let e = level_expanded.fetch_add(states, Ordering::Relaxed) + states;
                    (hook.0)(&Progress {
                        distinct_states: self.nodes.len(),
                        generated_states: self.generated + g,
                        queue: queue - e,
                        depth: self.depth,
                        seconds: self.started.elapsed().as_secs_f64(),
                    });
                }
                mine.push((c, out));
            }
            mine
        };
        let results: Vec<(usize, ChunkOut<M::State>)> = if threads == 1 || chunks == 1 {
            work()
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads.min(chunks))
                    .map(|_| spawn_worker(scope, work))
                    .collect();
                handles
                    .into_iter()
                    .flat_map(|h| h.join().expect("checker worker"))
                    .collect()
            })
        };
        for (c, out) in results {
            outs[c] = Some(out);
        }
        outs.into_iter().collect()
    }

    /// Before the candidates are deduplicated: stop now if the visited set could grow past
    /// the memory bound (as if every candidate were new).
    fn memory_for_dedup(&self, outs: &[ChunkOut<M::State>]) -> Option<String> {
        let m = self.memory.as_ref()?;
        let candidates: usize = outs.iter().map(ChunkOut::len).sum();
        let grow = self.visited.growth_for(candidates, self.threads);
        m.would_pass(grow as u64).then(|| m.reason())
    }

    /// Before the new states are committed: stop now if the next level and the trace records
    /// would grow past the memory bound. (A level dropped here leaves its fingerprints in the
    /// visited set, which no longer matters: the search stops.)
    fn memory_for_commit(
        &self,
        outs: &[ChunkOut<M::State>],
        winners: &[Vec<u64>],
        next: &Level,
    ) -> Option<String> {
        let m = self.memory.as_ref()?;
        let (mut new, mut bytes) = (0usize, 0usize);
        for (out, bits) in outs.iter().zip(winners) {
            for i in 0..out.len() {
                if bits[i / 64] & (1 << (i % 64)) != 0 {
                    new += 1;
                    // The packed state and its length (at most 2 bytes below 16 KiB).
                    bytes += out.state(i).len() + 2;
                }
            }
        }
        let in_memory = next.memory_bytes() as usize;
        let room_next = (in_memory + bytes).min(self.spill.in_memory as usize);
        let grow = room_next.saturating_sub(in_memory) + new * 12;
        m.would_pass(grow as u64).then(|| m.reason())
    }

    /// Phase 2 (TLC's `isSeenState`): inserts the candidates into the visited set in key
    /// order, each fingerprint table on one thread; which candidates were new (a bit each).
    fn dedup(&mut self, outs: &[ChunkOut<M::State>]) -> Vec<Vec<u64>> {
        let winners: Vec<Vec<AtomicU64>> = outs
            .iter()
            .map(|o| {
                (0..o.len().div_ceil(64))
                    .map(|_| AtomicU64::new(0))
                    .collect()
            })
            .collect();
        let total: usize = outs.iter().map(ChunkOut::len).sum();
        let groups = if total < 4096 { 1 } else { self.threads };
        let per = SHARDS.div_ceil(groups);
        let insert_group = |g: usize, tables: &mut [fpset::Table]| {
            // How far ahead the slots of later candidates are loaded.
            const AHEAD: usize = 8;
            for (out, bits) in outs.iter().zip(&winners) {
                for i in 0..out.len() {
                    if let Some(&ahead) = out.shards.get(i + AHEAD) {
                        let ahead = ahead as usize;
                        if ahead / per == g {
                            tables[ahead - g * per].prefetch(out.fps[i + AHEAD]);
                        }
                    }
                    let shard = out.shards[i] as usize;
                    if shard / per != g {
                        continue;
                    }
                    if tables[shard - g * per].insert(out.fps[i]) {
                        bits[i / 64].fetch_or(1 << (i % 64), Ordering::Relaxed);
                    }
                }
            }
        };
        if groups == 1 {
            insert_group(0, &mut self.visited.tables);
        } else {
            std::thread::scope(|scope| {
                for (g, tables) in self.visited.tables.chunks_mut(per).enumerate() {
                    let insert_group = &insert_group;
                    scope.spawn(move || insert_group(g, tables));
                }
            });
        }
        winners
            .into_iter()
            .map(|w| w.into_iter().map(AtomicU64::into_inner).collect())
            .collect()
    }

    /// Phase 3: the segment's new states go to the next level in key order, up to the state
    /// bound; its errors are kept, but those of a candidate only if it was new. Whether the
    /// state bound cut the level; `Err` if the next level cannot be written.
    fn commit(
        &mut self,
        outs: Vec<ChunkOut<M::State>>,
        winners: &[Vec<u64>],
        pos: u64,
        first_id: u64,
        next: &mut Level,
    ) -> Result<bool, String> {
        let generated_before_segment = self.generated;
        let counts: Vec<u32> = outs.iter().flat_map(|o| o.counts.iter().copied()).collect();
        let mut cut: Option<u64> = None;
        for (out, bits) in outs.into_iter().zip(winners) {
            let is_new = |i: usize| bits[i / 64] & (1 << (i % 64)) != 0;
            self.generated += out.generated;
            for i in 0..out.len() {
                if !is_new(i) {
                    continue;
                }
                if self.nodes.len() >= self.cap {
                    cut = Some(out.keys[i]);
                    break;
                }
                let parent = (first_id + (out.keys[i] >> 32)) as u32;
                self.nodes.push(out.fps[i], parent);
                next.push(out.state(i), &self.spill)?;
            }
            for (c, bits) in &out.reach {
                if is_new(*c as usize) && cut.is_none_or(|k| out.keys[*c as usize] < k) {
                    self.note_reached(bits);
                }
            }
            self.events.extend(
                out.events
                    .into_iter()
                    .filter(|e| e.candidate.is_none_or(|c| is_new(c as usize))),
            );
            if let (Some(log), Some(chunk)) = (self.live_log.as_mut(), out.live) {
                log.append(chunk);
            }
            if cut.is_some() {
                break;
            }
        }
        if let Some(cut) = cut {
            // The bound: the search stops at the first state past it. Its figures are those
            // of a sequential search stopped there: what was generated before that state,
            // and the errors found before it.
            self.events.retain(|e| e.key < cut);
            self.generated = generated_before_segment + generated_before(cut, pos, &counts);
            return Ok(true);
        }
        Ok(false)
    }

    fn report_progress(&mut self, queue: u64) {
        if let Some(hook) = &self.opts.on_progress {
            (hook.0)(&Progress {
                distinct_states: self.nodes.len(),
                generated_states: self.generated,
                queue,
                depth: self.depth,
                seconds: self.started.elapsed().as_secs_f64(),
            });
        } else if self.opts.progress && self.last_progress.elapsed() >= Duration::from_secs(2) {
            self.last_progress = Instant::now();
            let secs = self.started.elapsed().as_secs_f64();
            eprintln!(
                "lamport: depth {}, {} distinct, {} generated, {queue} on queue, {:.0} distinct/s",
                self.depth,
                self.nodes.len(),
                self.generated,
                self.nodes.len() as f64 / secs
            );
        }
    }

    /// The temporal properties' verdicts (each instance), and the first violation's lasso.
    fn decide_liveness(
        &mut self,
        stop: &Option<Stop>,
    ) -> (Vec<LivenessResult>, Option<(String, Trace)>) {
        let model = self.model;
        let meta = model.meta();
        let instances = liveness::instances(model);
        let abstract_fair = model.refinement_fairness();
        let not_checked = |why: &str| -> Vec<LivenessResult> {
            instances
                .iter()
                .map(|(i, label, _)| instance_name(meta.liveness[*i].tla, label))
                .chain(abstract_fair.iter().map(|(name, _)| name.clone()))
                .map(|property| LivenessResult {
                    property,
                    status: LivenessStatus::NotChecked(why.to_string()),
                })
                .collect()
        };
        if instances.is_empty() && abstract_fair.is_empty() {
            return (Vec::new(), None);
        }
        if self.opts.safety_only {
            return (not_checked("safety only (--safety-only)"), None);
        }
        let graph_bytes = self
            .live_log
            .as_ref()
            .map_or(0, |log| log.graph_bytes(self.nodes.len()));
        let why = match stop {
            _ if !self.opts.liveness => Some("liveness checking was switched off".to_string()),
            Some(Stop::Error) => Some("the search stopped at an error".to_string()),
            Some(Stop::Incomplete(_)) => Some("the search was incomplete".to_string()),
            None => match &self.memory {
                Some(m) if m.would_pass(graph_bytes) => {
                    Some(format!("{}: the behaviour graph would not fit", m.reason()))
                }
                _ => None,
            },
        };
        if let Some(why) = why {
            return (not_checked(&why), None);
        }
        let log = self
            .live_log
            .take()
            .expect("recorded for temporal properties");
        // Under symmetry the graph is TLC's: one node per orbit, its edges and predicates
        // those of the state the search expanded. TLC warns that this can miss violations
        // of properties that are not symmetric; so does docs/checker.md.
        // The search is over: the visited set is not needed any more, and its room is the
        // graph's.
        self.visited = FpSet::default();
        let fair = model.fairness();
        let graph = log.into_graph(self.nodes.fps(), self.nodes.parents(), self.threads);
        // Each property instance's verdict, then each abstract fairness condition's (`A!FairSpec`
        // of a refinement: every fair behaviour of this model must map to one satisfying it).
        let decisions = instances
            .iter()
            .map(|(i, label, bit)| {
                let kind = meta.liveness[*i].kind;
                let q = (kind == crate::model::LivenessKind::LeadsTo).then_some(bit + 1);
                let name = instance_name(meta.liveness[*i].tla, label);
                (name, liveness::violation(&graph, &fair, kind, *bit, q))
            })
            .chain(abstract_fair.iter().enumerate().map(|(k, (name, strong))| {
                let bit = fair.len() + k;
                let lasso = liveness::abstract_fairness_violation(&graph, &fair, bit, *strong);
                (name.clone(), lasso)
            }));
        let mut results = Vec::new();
        let mut violation = None;
        for (name, lasso) in decisions {
            let status = match lasso {
                None => LivenessStatus::Holds,
                Some(lasso) => {
                    if violation.is_none() {
                        let fp_of = |s: &M::State| self.fingerprints.of_state(s);
                        let t = explain::lasso_trace(model, &self.nodes, &fp_of, &lasso);
                        violation = Some((name.clone(), t));
                    }
                    LivenessStatus::Violated
                }
            };
            results.push(LivenessResult {
                property: name,
                status,
            });
        }
        (results, violation)
    }

    /// The report: the first error explained, or why the search stopped, or the verdicts.
    fn report(mut self, stop: Option<Stop>, no_initial_state: bool) -> Report {
        let model = self.model;
        let meta = model.meta();
        let (live_results, live_violation) = self.decide_liveness(&stop);
        let mut trace = None;
        let reached_all =
            |i: usize| self.reached[i / 64].load(Ordering::Relaxed) & (1 << (i % 64)) != 0;
        let events = std::mem::take(&mut self.events);
        let mut depth = self.depth;
        let outcome = if let Some(first) = events.into_iter().min_by_key(|e| e.key) {
            let fp_of = |s: &M::State| self.fingerprints.of_state(s);
            let (outcome, t) = explain::explain(model, &self.nodes, &fp_of, first.kind);
            // As TLC does, the depth at an error is that of the state where it was found.
            depth = depth.max(t.len() as u64);
            trace = Some(t);
            outcome
        } else if no_initial_state || (self.distinct == 0 && stop.is_none()) {
            Outcome::NoInitialState
        } else if let Some(Stop::Incomplete(reason)) = stop {
            Outcome::Incomplete { reason }
        } else if let Some((property, t)) = live_violation {
            trace = Some(t);
            Outcome::LivenessViolated { property }
        } else if let Some(reason) = live_results.iter().find_map(|r| match &r.status {
            LivenessStatus::NotChecked(why) if !self.opts.safety_only => Some(why.clone()),
            _ => None,
        }) {
            Outcome::Incomplete { reason }
        } else if let Some(i) = (0..meta.reachables.len()).find(|&i| !reached_all(i)) {
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
            distinct_states: self.distinct,
            generated_states: self.generated,
            depth,
            seconds: self.started.elapsed().as_secs_f64(),
            threads: self.threads,
            peak_memory_bytes: peak_memory_bytes(),
            disk_peak_bytes: self.disk_peak,
            trace,
            liveness: live_results,
            initial_invariant_violations: std::mem::take(&mut self.initial_violations),
        }
    }
}

/// The number of predicate bits the temporal properties' instances take.
fn pred_count<M: Model>(model: &M) -> usize {
    let meta = model.meta();
    liveness::instances(model).last().map_or(0, |(i, _, bit)| {
        bit + liveness::bits_per_instance(meta.liveness[*i].kind)
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ModelMeta, NamePair, Sink, VarValue};

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
        assert_eq!(generated_before(0, 0, &counts), 0);
        assert_eq!(generated_before(2, 0, &counts), 2);
        assert_eq!(generated_before(2 << 32, 0, &counts), 3);
        assert_eq!(generated_before((3 << 32) | 4, 0, &counts), 9);
        // In a segment whose first state is at position 10 of its level.
        assert_eq!(generated_before((13 << 32) | 4, 10, &counts), 9);
    }
}
