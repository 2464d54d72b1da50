//! CRAQ on one chain of storage targets, translated from `CRAQ.tla` of the Lamport Agent
//! repository (`lemmy/lamport-agent`, `spec/CRAQ/`, the 3FS CRAQ spec), checked with its own
//! `CRAQ.cfg` (targets `t1..t3`, head `t1`, middle `t2`, tail `t3`, chunks `c1, c2`, its three
//! invariants, no deadlock check) plus one added state constraint, `Len(eventLog) <= 4`, because
//! every strict read appends to the event log and the published spec is unbounded. TLC reports
//! 272,976 distinct states, 664,094 generated, depth 27.

use crate::common;

/// CRAQ (chain replication with apportioned queries), simplified to one chain and one client.
///
/// The chain is `HeadT -> MidT -> TailT` (`succ`). A client picks a chunk and writes it: the write
/// enters at the head, and at every serving target it reaches it leaves a pending version
/// (`committed + 1`) and moves on to the target's effective successor (the successor, unless
/// that one is offline). Once it has left the chain, the write commits: every serving target
/// adopts the head's committed version plus one and clears its pending version, and the commit
/// is logged. A strict read returns the committed version of a serving target and is logged too.
/// Any serving target may fail (go offline); a failed target can be detached from its
/// predecessor. The repair path of the spec (`AttachAsTail`, `ResyncStep`, `FinishResync`) only
/// applies to targets in state `waiting` or `syncing`, which no action produces, so it is never
/// enabled; it is translated all the same.
///
/// Versions are integers with `0` standing for "no pending version" (`None == 0` in the spec).
/// A successor pointer or the in-flight write's position is `None` where the spec has `None`.
///
/// How TLC counts, and the parameters that say so here: the `\E t \in Targets : IsServing(t)`
/// conjunct of `CommitWrite` and of `ClientStrictRead`, the `\E t` of `AttachAsTail` and the
/// `\E p` of `ResyncStep` are conjuncts of their actions, so TLC computes one successor per
/// witness. They are the action parameters `t` and `p` (otherwise unused beyond their guard). The
/// `CHOOSE` that follows each of them is a separate deterministic choice, the least element
/// (`min`) here, which is the element TLC's `CHOOSE` picks from a set of model values.
/// `FinishResync`'s `\A c : \E p : ...` is a single condition here; TLC would enumerate its
/// witnesses, but the action is never enabled (see above), so no count depends on it.
///
/// Properties, as in the spec: `InvVersions` (versions stay in `0..2`, and a pending version is
/// the committed one plus one), `InvServingUpToDate` (a serving target is never behind a serving
/// predecessor) and `NoStaleStrictRead` (no read in the log returns a version older than a commit
/// of the same chunk logged before it).
#[lamport::model(check_deadlock = false)]
pub mod craq {
    use lamport::prelude::*;

    model_values!(Target = "t", Chunk = "c");

    /// The constants of `CRAQ.cfg`.
    #[constants]
    pub struct Config {
        /// The storage targets of the chain.
        pub targets: Set<Target>,
        /// The chunks a client can write and read.
        pub chunks: Set<Chunk>,
        /// The head of the chain.
        pub head_t: Target,
        /// The middle target.
        pub mid_t: Target,
        /// The tail of the chain.
        pub tail_t: Target,
    }

    #[configs]
    impl Config {
        /// `CRAQ.cfg`: targets `t1..t3` chained `t1 -> t2 -> t3`, chunks `c1, c2`.
        pub fn craq() -> Self {
            Config {
                targets: Target::values(3),
                chunks: Chunk::values(2),
                head_t: Target::nth(1),
                mid_t: Target::nth(2),
                tail_t: Target::nth(3),
            }
        }
    }

    /// The state of a storage target (`TargetStates`).
    #[derive(Value)]
    pub enum TargetState {
        Offline,
        Waiting,
        Syncing,
        Serving,
        /// In `TargetStates`, but no action of the spec enters it.
        #[allow(dead_code)]
        Lastsrv,
    }

    /// The client's state machine.
    #[derive(Value)]
    pub enum ClientPhase {
        Idle,
        Writing,
    }

    /// An entry of the event log: a committed write or a strict read of a chunk, with its version.
    #[derive(Value)]
    pub enum Event {
        Commit { chunk: Chunk, version: i64 },
        Read { chunk: Chunk, version: i64 },
    }

    #[state]
    pub struct State {
        /// The state of each target.
        pub state: Map<Target, TargetState>,
        /// `committed[t][c]`: the committed version of chunk `c` at target `t`.
        pub committed: Map<Target, Map<Chunk, i64>>,
        /// `pending[t][c]`: the pending version of chunk `c` at target `t` (`0`: none).
        pub pending: Map<Target, Map<Chunk, i64>>,
        /// Each target's successor pointer.
        pub succ: Map<Target, Option<Target>>,
        /// Whether the client is idle or writing.
        pub client_phase: ClientPhase,
        /// The chunk the client is operating on.
        pub client_chunk: Chunk,
        /// The version the client's latest strict read observed.
        pub client_version_seen: i64,
        /// The target where the in-flight write resides (`None`: it has left the chain).
        pub cur_writer: Option<Target>,
        /// Every commit and strict read, in order.
        pub event_log: Seq<Event>,
    }

    /// The marker for "no pending version" (`None == 0` in the spec).
    fn none() -> i64 {
        0
    }

    /// The bounded version domain.
    fn version() -> Set<i64> {
        (0..=2).collect::<Set<_>>()
    }

    /// Target `t` is serving.
    fn is_serving(s: &State, t: Target) -> bool {
        s.state[t] == TargetState::Serving
    }

    /// Target `t` is waiting for or undergoing a resync.
    fn is_rebuilding(s: &State, t: Target) -> bool {
        s.state[t] == TargetState::Waiting || s.state[t] == TargetState::Syncing
    }

    /// `p` precedes `t` in the initial chain `HeadT -> MidT -> TailT`.
    fn predecessor(c: &Config, p: Target, t: Target) -> bool {
        (p == c.head_t && t == c.mid_t) || (p == c.mid_t && t == c.tail_t)
    }

    /// The successor a write or read follows from `t`: `succ[t]`, unless it is offline.
    fn effective_succ(s: &State, t: Target) -> Option<Target> {
        if s.succ[t].is_none() || s.state[s.succ[t].unwrap()] == TargetState::Offline {
            None
        } else {
            s.succ[t]
        }
    }

    /// All targets serving with nothing committed or pending, chained head to tail; the client
    /// idle on either chunk; an empty log.
    #[init(ch in c.chunks)]
    fn init(c: &Config, ch: Chunk) -> State {
        State {
            state: c
                .targets
                .iter()
                .map(|t| (t, TargetState::Serving))
                .collect(),
            committed: c
                .targets
                .iter()
                .map(|t| (t, c.chunks.iter().map(|k| (k, 0)).collect::<Map<_, _>>()))
                .collect(),
            pending: c
                .targets
                .iter()
                .map(|t| {
                    (
                        t,
                        c.chunks.iter().map(|k| (k, none())).collect::<Map<_, _>>(),
                    )
                })
                .collect(),
            succ: c
                .targets
                .iter()
                .map(|t| {
                    (
                        t,
                        if t == c.head_t {
                            Some(c.mid_t)
                        } else if t == c.mid_t {
                            Some(c.tail_t)
                        } else {
                            None
                        },
                    )
                })
                .collect(),
            client_phase: ClientPhase::Idle,
            client_chunk: ch,
            client_version_seen: 0,
            cur_writer: None,
            event_log: Seq::new(),
        }
    }

    /// The idle client starts a write of chunk `ch` at the head.
    #[action(name = "ClientStartWrite", ch in c.chunks)]
    fn client_start_write(s: &mut State, c: &Config, ch: Chunk) {
        require!(s.client_phase == ClientPhase::Idle);
        s.client_chunk = ch;
        s.client_phase = ClientPhase::Writing;
        s.cur_writer = Some(c.head_t);
    }

    /// The in-flight write, residing at serving target `t`, leaves a pending version there and
    /// moves on to `t`'s effective successor.
    #[action(name = "WriteAtTarget", t in c.targets)]
    fn write_at_target(s: &mut State, c: &Config, t: Target) {
        require!(s.client_phase == ClientPhase::Writing);
        require!(s.cur_writer == Some(t));
        require!(is_serving(s, t));
        require!(s.pending[t][s.client_chunk] == none());
        require!(s.committed[t][s.client_chunk] < 2);
        let cc = s.client_chunk;
        let nxt = effective_succ(s, t);
        s.pending[t][cc] = s.committed[t][cc] + 1;
        s.cur_writer = nxt;
    }

    /// The write has left the chain: every serving target commits the head's version plus one
    /// and clears its pending version, and the commit is logged. `t` is the witness of "some
    /// target is serving".
    #[action(name = "CommitWrite", t in c.targets)]
    fn commit_write(s: &mut State, c: &Config, t: Target) {
        require!(s.client_phase == ClientPhase::Writing);
        require!(s.cur_writer.is_none());
        require!(is_serving(s, t));
        require!(c
            .targets
            .iter()
            .all(|u| !is_serving(s, u) || s.pending[u][s.client_chunk] != none()));
        let cc = s.client_chunk;
        let v = s.committed[c.head_t][cc] + 1;
        let committed = c
            .targets
            .iter()
            .map(|u| {
                (
                    u,
                    c.chunks
                        .iter()
                        .map(|k| {
                            (
                                k,
                                if is_serving(s, u) && k == cc {
                                    v
                                } else {
                                    s.committed[u][k]
                                },
                            )
                        })
                        .collect::<Map<_, _>>(),
                )
            })
            .collect::<Map<_, _>>();
        let pending = c
            .targets
            .iter()
            .map(|u| {
                (
                    u,
                    c.chunks
                        .iter()
                        .map(|k| {
                            (
                                k,
                                if is_serving(s, u) && k == cc {
                                    none()
                                } else {
                                    s.pending[u][k]
                                },
                            )
                        })
                        .collect::<Map<_, _>>(),
                )
            })
            .collect::<Map<_, _>>();
        s.committed = committed;
        s.pending = pending;
        s.event_log.push(Event::Commit {
            chunk: cc,
            version: v,
        });
        s.client_phase = ClientPhase::Idle;
        s.cur_writer = None;
    }

    /// The idle client reads its chunk from a serving target (the one `CHOOSE` picks) and logs
    /// the read. `t` is the witness of "some target is serving".
    #[action(name = "ClientStrictRead", t in c.targets)]
    fn client_strict_read(s: &mut State, c: &Config, t: Target) {
        require!(s.client_phase == ClientPhase::Idle);
        require!(is_serving(s, t));
        let r = c
            .targets
            .iter()
            .filter(|u| is_serving(s, *u))
            .min()
            .unwrap();
        let version = s.committed[r][s.client_chunk];
        s.client_version_seen = version;
        s.event_log.push(Event::Read {
            chunk: s.client_chunk,
            version,
        });
    }

    /// Serving target `t` fails.
    #[action(name = "FailTarget", t in c.targets)]
    fn fail_target(s: &mut State, c: &Config, t: Target) {
        require!(is_serving(s, t));
        s.state[t] = TargetState::Offline;
    }

    /// Repair step 1: the predecessor `p` of failed target `f` skips it.
    #[action(name = "DetachFailedFromPred", p in c.targets, f in c.targets)]
    fn detach_failed_from_pred(s: &mut State, c: &Config, p: Target, f: Target) {
        require!(s.succ[p] == Some(f));
        require!(s.state[f] == TargetState::Offline);
        s.succ[p] = s.succ[f];
    }

    /// Repair step 2: rebuilding target `f` is attached behind the current tail (the target
    /// `CHOOSE` picks among those without a successor). `t` is the witness that one exists.
    #[action(name = "AttachAsTail", f in c.targets, t in c.targets)]
    fn attach_as_tail(s: &mut State, c: &Config, f: Target, t: Target) {
        require!(is_rebuilding(s, f));
        require!(s.succ[f].is_none());
        require!(s.succ[t].is_none() && t != f);
        let tail = c
            .targets
            .iter()
            .filter(|u| s.succ[*u].is_none() && *u != f)
            .min()
            .unwrap();
        s.succ[tail] = Some(f);
    }

    /// Resync: rebuilding target `t` copies chunk `ch`'s committed version from its predecessor
    /// (the one `CHOOSE` picks) and drops its pending version. `p` is the witness that `t` has
    /// a predecessor.
    #[action(name = "ResyncStep", t in c.targets, ch in c.chunks, p in c.targets)]
    fn resync_step(s: &mut State, c: &Config, t: Target, ch: Chunk, p: Target) {
        require!(is_rebuilding(s, t));
        require!(predecessor(c, p, t));
        let q = c
            .targets
            .iter()
            .filter(|u| predecessor(c, *u, t))
            .min()
            .unwrap();
        s.committed[t][ch] = s.committed[q][ch];
        s.pending[t][ch] = none();
    }

    /// A rebuilding target `t` that agrees with its predecessor on every chunk serves again.
    #[action(name = "FinishResync", t in c.targets)]
    fn finish_resync(s: &mut State, c: &Config, t: Target) {
        require!(is_rebuilding(s, t));
        require!(c.chunks.iter().all(|k| c
            .targets
            .iter()
            .any(|p| predecessor(c, p, t) && s.committed[t][k] == s.committed[p][k])));
        s.state[t] = TargetState::Serving;
    }

    /// Committed and pending versions stay in the version domain, and a pending version is the
    /// committed one plus one.
    #[invariant(name = "InvVersions")]
    fn inv_versions(s: &State, c: &Config) -> bool {
        s.committed.domain() == c.targets
            && c.targets.iter().all(|t| {
                s.committed[t].domain() == c.chunks
                    && c.chunks
                        .iter()
                        .all(|k| version().contains(&s.committed[t][k]))
            })
            && s.pending.domain() == c.targets
            && c.targets.iter().all(|t| {
                s.pending[t].domain() == c.chunks
                    && c.chunks.iter().all(|k| {
                        version()
                            .union(&Set::singleton(none()))
                            .contains(&s.pending[t][k])
                    })
            })
            && c.targets.iter().all(|t| {
                c.chunks
                    .iter()
                    .all(|k| s.pending[t][k] == none() || s.pending[t][k] == s.committed[t][k] + 1)
            })
    }

    /// A serving target never has an older committed version than its serving predecessor.
    #[invariant(name = "InvServingUpToDate")]
    fn inv_serving_up_to_date(s: &State, c: &Config) -> bool {
        c.targets.iter().all(|t| {
            c.chunks.iter().all(|k| {
                c.targets.iter().all(|p| {
                    !(predecessor(c, p, t) && is_serving(s, t) && is_serving(s, p))
                        || s.committed[t][k] >= s.committed[p][k]
                })
            })
        })
    }

    /// Every read in the log returns at least the version of every commit of its chunk logged
    /// at or before it.
    #[invariant(name = "NoStaleStrictRead")]
    fn no_stale_strict_read(s: &State) -> bool {
        (0..s.event_log.len()).all(|i| match s.event_log[i] {
            Event::Read { chunk, version } => (0..=i).all(|j| match s.event_log[j] {
                Event::Commit {
                    chunk: cj,
                    version: vj,
                } => cj != chunk || vj <= version,
                Event::Read { .. } => true,
            }),
            Event::Commit { .. } => true,
        })
    }

    /// The added bound: at most four logged events.
    #[constraint(name = "EventLogBound")]
    fn event_log_bound(s: &State) -> bool {
        s.event_log.len() <= 4
    }
}

#[test]
fn craq_matches_tlc_reference() {
    common::assert_reference(&craq::model(craq::Config::craq()), 272_976, 664_094, 27);
}

/// TLC on the export agrees. The spec's `CHOOSE`s are `.filter(..).min().unwrap()` over
/// targets, exported as `CHOOSE`, which TLC evaluates in the same order.
#[test]
fn craq_tlc_agrees() {
    common::assert_tlc_agrees(&craq::model(craq::Config::craq()));
}
