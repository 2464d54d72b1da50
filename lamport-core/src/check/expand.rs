//! Phase 1 of a level: the successors of a chunk of its states, on one thread.
//!
//! Each state is unpacked and expanded; each successor is checked against the step properties,
//! packed, fingerprinted and, unless it was visited before or already met in this chunk, kept
//! as a candidate for the next level, once its constraints, `#[reachable]` conditions and
//! invariants have been evaluated. Whether a candidate is the first copy of its state in the
//! level is decided later (`dedup`), so the errors found on it are tied to it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::{Model, Params, Sink};
use crate::pack::Pack;
use crate::panics::run_model_code;

use super::events::{Event, EventKind, Role};
use super::fingerprint::Fingerprinter;
use super::fpset::{shard_of, FpSet, Table};
use super::live::{LiveChunk, LiveCtx};
use super::store::Segment;
use super::MAX_SUCCESSORS;

/// What every chunk of a search shares.
pub(crate) struct Ctx<'a, M: Model> {
    pub model: &'a M,
    pub fingerprints: &'a Fingerprinter<'a, M>,
    pub visited: &'a FpSet,
    pub live: Option<&'a LiveCtx>,
    /// Which `#[reachable]` conditions some distinct state satisfies, so far.
    pub reached: &'a [AtomicU64],
}

/// The candidates of one chunk and what was found on the way, in key order.
pub(crate) struct ChunkOut<S> {
    pub keys: Vec<u64>,
    pub fps: Vec<u64>,
    /// The candidates' packed states, back to back; `ends[i]` is where candidate `i` ends.
    pub bytes: Vec<u8>,
    pub ends: Vec<u32>,
    /// The fingerprint table (`fpset::shard_of`) of each candidate.
    pub shards: Vec<u8>,
    /// Candidates that satisfy `#[reachable]` conditions not reached before: candidate and
    /// condition bits.
    pub reach: Vec<(u32, Vec<u64>)>,
    pub events: Vec<Event<S>>,
    pub generated: u64,
    /// The number of successors of each state of the chunk, in order.
    pub counts: Vec<u32>,
    /// What liveness checking needs of each state of the chunk (when the model has temporal
    /// properties).
    pub live: Option<LiveChunk>,
}

impl<S> ChunkOut<S> {
    fn new(live: Option<&LiveCtx>) -> Self {
        ChunkOut {
            keys: Vec::new(),
            fps: Vec::new(),
            bytes: Vec::new(),
            ends: Vec::new(),
            shards: Vec::new(),
            reach: Vec::new(),
            events: Vec::new(),
            generated: 0,
            counts: Vec::new(),
            live: live.map(|_| LiveChunk::default()),
        }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// The packed bytes of candidate `i`.
    pub fn state(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.bytes[start..self.ends[i] as usize]
    }

    fn push(&mut self, key: u64, fp: u64, packed: &[u8]) -> u32 {
        let i = self.keys.len() as u32;
        self.keys.push(key);
        self.fps.push(fp);
        self.bytes.extend_from_slice(packed);
        self.ends.push(self.bytes.len() as u32);
        self.shards.push(shard_of(fp) as u8);
        i
    }
}

/// A successor not visited before, waiting for its state's expansion to finish.
struct Pending<S> {
    key: u64,
    fp: u64,
    state: S,
    /// Its packed bytes in `Expansion::packed`.
    bytes: std::ops::Range<usize>,
}

/// The successors of the state being expanded.
struct Expansion<'c, 'a, M: Model> {
    cx: &'c Ctx<'a, M>,
    from: &'c M::State,
    node: u32,
    key_base: u64,
    ordinal: u64,
    steps_broken: Vec<Event<M::State>>,
    pending: Vec<Pending<M::State>>,
    packed: Vec<u8>,
    scratch: Vec<u8>,
    /// Fingerprints already met by this worker in this segment (see `expand_chunk`).
    seen: &'c mut Table,
    /// Liveness: the chunk's records and the fingerprint of the state being expanded.
    live: Option<(&'c LiveCtx, &'c mut LiveChunk, u64)>,
    /// Scratch: which abstract fairness conditions a step is a step of (refinements).
    abstract_steps: Vec<bool>,
}

impl<M: Model> Sink<M::State> for Expansion<'_, '_, M> {
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
        self.check_step_properties(key, &next);
        let start = self.packed.len();
        next.pack(&mut self.packed);
        let fp = self
            .cx
            .fingerprints
            .of(&next, &self.packed[start..], &mut self.scratch);
        if let Some((ctx, chunk, from_fp)) = &mut self.live {
            if fp != *from_fp {
                // The abstract models' fairness: whether the step maps to a step of the
                // condition's abstract action. (A mapping that panics here panicked in the
                // refinement's step property first, which stops the search.)
                self.abstract_steps.clear();
                if ctx.abstract_count > 0 {
                    let (model, from, flags) = (self.cx.model, self.from, &mut self.abstract_steps);
                    if run_model_code(|| model.refinement_fairness_step(from, &next, flags))
                        .is_err()
                    {
                        flags.clear();
                    }
                }
                chunk.record_step(ctx, action, param, fp, &self.abstract_steps);
            }
        }
        // Whether it was visited is looked up once the state's expansion is done
        // (`Expansion::screen_visited`): the lookup's memory access, started here, then
        // overlaps the computation of the next successors instead of stalling this one.
        self.cx.visited.prefetch(fp);
        self.pending.push(Pending {
            key,
            fp,
            state: next,
            bytes: start..self.packed.len(),
        });
    }
}

impl<M: Model> Expansion<'_, '_, M> {
    /// Keeps, in order, the successors that were not visited before and not met before in
    /// this chunk.
    fn screen_visited(&mut self) {
        let (visited, seen) = (self.cx.visited, &mut *self.seen);
        self.pending
            .retain(|p| !visited.contains(p.fp) && seen.insert(p.fp));
    }

    /// Every step is checked against the step properties, to visited states too.
    fn check_step_properties(&mut self, key: u64, next: &M::State) {
        let model = self.cx.model;
        for i in 0..model.meta().step_properties.len() {
            let kind = match run_model_code(|| model.step_property(i, self.from, next)) {
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
                        model.meta().step_properties[i].tla
                    )),
                },
            };
            self.steps_broken.push(Event::new(key, kind));
            break;
        }
    }
}

/// The most fingerprints a worker's `seen` table keeps before it starts again (about 16 MB):
/// forgetting only lets a repeat through to the deduplication, which drops it there.
const SEEN_MAX: usize = 1 << 20;

/// Expands states `range` of `seg`, whose first is at position `pos_base` of its level and is
/// node `id_base`; `None` if `stop` said to stop first.
///
/// `seen` holds the fingerprints of the successors this worker kept from the chunks of the
/// segment it expanded before this one. A worker takes the chunks of a segment in increasing
/// order, so the keys of its successors only grow: a repeat can never be the first copy of
/// its state in the level, and is dropped here instead of becoming a candidate whose
/// invariants are evaluated only for the deduplication to drop it.
pub(crate) fn expand_chunk<M: Model>(
    cx: &Ctx<'_, M>,
    seg: &Segment,
    range: std::ops::Range<usize>,
    pos_base: u64,
    id_base: u32,
    seen: &mut Table,
    stop: &(impl Fn() -> bool + Sync),
) -> Option<ChunkOut<M::State>> {
    let mut out = ChunkOut::new(cx.live);
    out.counts.reserve(range.len());
    if seen.len() > SEEN_MAX {
        *seen = Table::default();
    }
    let mut packed = Vec::new();
    let mut scratch = Vec::new();
    let mut pending = Vec::new();
    for (i, at) in range.enumerate() {
        if i % 64 == 63 && stop() {
            return None;
        }
        let state = M::State::unpack(&mut seg.state(at));
        let node = id_base + i as u32;
        let key_base = (pos_base + i as u64) << 32;
        let from_fp = match cx.live {
            Some(_) => cx.fingerprints.of(&state, seg.state(at), &mut scratch),
            None => 0,
        };
        if let (Some(ctx), Some(chunk)) = (cx.live, out.live.as_mut()) {
            chunk.begin_state(ctx);
        }
        let mut x = Expansion {
            cx,
            from: &state,
            node,
            key_base,
            ordinal: 0,
            steps_broken: Vec::new(),
            pending: std::mem::take(&mut pending),
            packed: std::mem::take(&mut packed),
            scratch: std::mem::take(&mut scratch),
            seen: &mut *seen,
            live: match (cx.live, out.live.as_mut()) {
                (Some(ctx), Some(chunk)) => Some((ctx, chunk, from_fp)),
                _ => None,
            },
            abstract_steps: Vec::new(),
        };
        let result = run_model_code(|| cx.model.successors(&state, &mut x));
        x.screen_visited();
        let Expansion {
            ordinal: count,
            mut steps_broken,
            pending: p,
            packed: b,
            scratch: s,
            ..
        } = x;
        (pending, packed, scratch) = (p, b, s);
        let live_panic = match (result.is_ok(), out.live.as_mut()) {
            (true, Some(chunk)) => chunk.end_state(cx.live.expect("live"), cx.model, &state),
            (false, Some(chunk)) => {
                chunk.end_state_unevaluated();
                None
            }
            (_, None) => None,
        };
        out.generated += count;
        out.counts.push(count as u32);
        out.events.append(&mut steps_broken);
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
            out.events.push(Event::new(
                key_base | count,
                EventKind::Panic {
                    node: Some(node),
                    state: None,
                    message,
                    role,
                },
            ));
        }
        if count == 0 && cx.model.meta().check_deadlock && !failed {
            out.events.push(Event::new(
                key_base | 0xffff_ffff,
                EventKind::Deadlock { node },
            ));
        }
        for cand in pending.drain(..) {
            screen_candidate(cx, node, cand, &packed, &mut out);
        }
        packed.clear();
    }
    Some(out)
}

/// A successor outside the constraints is generated and has its invariants checked, and is
/// never explored; one inside is kept as a candidate, with its `#[reachable]` conditions and
/// its invariants evaluated (errors tied to it).
fn screen_candidate<M: Model>(
    cx: &Ctx<'_, M>,
    node: u32,
    cand: Pending<M::State>,
    packed: &[u8],
    out: &mut ChunkOut<M::State>,
) {
    let model = cx.model;
    let n_inv = model.meta().invariants.len();
    if !model.meta().constraints.is_empty() {
        let verdict = run_model_code(|| {
            if model.constraint(&cand.state) {
                None
            } else {
                Some((0..n_inv).find(|&inv| !model.invariant(inv, &cand.state)))
            }
        });
        match verdict {
            Ok(None) => {}
            Ok(Some(None)) => return,
            Ok(Some(Some(index))) => {
                out.events.push(Event::new(
                    cand.key,
                    EventKind::Invariant {
                        index,
                        parent: Some(node),
                        state: cand.state,
                    },
                ));
                return;
            }
            Err(message) => {
                out.events.push(Event::new(
                    cand.key,
                    EventKind::Panic {
                        node: Some(node),
                        state: Some(cand.state),
                        message,
                        role: Role::StateFunctions,
                    },
                ));
                return;
            }
        }
    }
    let c = out.push(cand.key, cand.fp, &packed[cand.bytes.clone()]);
    let panicked = |message, role| {
        Event::of_candidate(
            cand.key,
            c,
            EventKind::Panic {
                node: Some(node),
                state: Some(cand.state.clone()),
                message,
                role,
            },
        )
    };
    match run_model_code(|| reachables_met(cx, &cand.state)) {
        Ok(Some(bits)) => out.reach.push((c, bits)),
        Ok(None) => {}
        Err(message) => out.events.push(panicked(message, Role::Reachables)),
    }
    match run_model_code(|| (0..n_inv).find(|&i| !model.invariant(i, &cand.state))) {
        Ok(None) => {}
        Ok(Some(index)) => out.events.push(Event::of_candidate(
            cand.key,
            c,
            EventKind::Invariant {
                index,
                parent: Some(node),
                state: cand.state.clone(),
            },
        )),
        Err(message) => out.events.push(panicked(message, Role::StateFunctions)),
    }
}

/// The `#[reachable]` conditions not reached so far that `s` satisfies, if any.
pub(crate) fn reachables_met<M: Model>(cx: &Ctx<'_, M>, s: &M::State) -> Option<Vec<u64>> {
    let n = cx.model.meta().reachables.len();
    let mut bits: Option<Vec<u64>> = None;
    for i in 0..n {
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        if cx.reached[word].load(Ordering::Relaxed) & bit == 0 && cx.model.reachable(i, s) {
            bits.get_or_insert_with(|| vec![0; n.div_ceil(64)])[word] |= bit;
        }
    }
    bits
}
