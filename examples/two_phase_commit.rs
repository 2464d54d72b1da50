//! Two-phase commit, translated from Lamport's `TwoPhase.tla` (tlaplus/Examples,
//! `specifications/transaction_commit`).
//!
//! ```text
//! cargo run --release --example two_phase_commit -- check --config rm3
//! cargo run --release --example two_phase_commit -- check --config bug_commit_early
//! ```

/// Two-phase commit.
///
/// A transaction manager (TM) and a set of resource managers (RMs) decide together whether a
/// transaction commits. Each RM is `working` until it either prepares (sending `Prepared` to the
/// TM) or spontaneously aborts. The TM collects `Prepared` messages; once *every* RM has
/// prepared it may commit, and at any time before deciding it may abort. Its decision is
/// broadcast, and RMs adopt it.
///
/// Fault model, as in the TLA+ original: messages are never lost or duplicated in a way that
/// matters (the message set `msgs` only grows, so a message can be received any number of times
/// and "lost" is indistinguishable from "not yet received"); an RM may abort on its own before
/// preparing; the TM may abort at any point before it commits.
///
/// Properties:
/// - `TPTypeOK`: every variable holds values of the expected kind, for exactly the configured RMs.
/// - `TCConsistent`: no RM has committed while another has aborted (the safety property of
///   transaction commit, from `TCommit.tla`).
/// - `Termination`: every behaviour ends with every RM committed or aborted (`<>`), under weak
///   fairness of the TM's decisions, of preparing and of receiving the decision. An RM's
///   spontaneous abort is not fair: nothing obliges an RM to fail. Configuration
///   `rm3_no_fairness` checks it without fairness, where it fails: a behaviour may stop at once.
///
/// Bug zoo: `bug_commit_early` lets the TM commit once *any* RM has prepared rather than all of
/// them, so an RM that never prepared can abort while another commits.
#[lamport::model]
pub mod two_phase_commit {
    use lamport::prelude::*;

    model_values!(Rm);

    /// The constants of the model.
    #[constants]
    pub struct Config {
        /// The resource managers (`RM` in TwoPhase.tla).
        pub rm: Set<Rm>,
        /// Bug zoo: the TM commits when any RM (not every RM) has prepared.
        pub bug_commit_early: bool,
    }

    #[configs]
    impl Config {
        /// Three RMs: 288 distinct states, as TLC reports for TwoPhase.tla.
        pub fn rm3() -> Self {
            Config {
                rm: Rm::values(3),
                bug_commit_early: false,
            }
        }
        /// Five RMs: 8,832 distinct states.
        pub fn rm5() -> Self {
            Config {
                rm: Rm::values(5),
                bug_commit_early: false,
            }
        }
        /// Seven RMs: 296,448 distinct states.
        pub fn rm7() -> Self {
            Config {
                rm: Rm::values(7),
                bug_commit_early: false,
            }
        }
        /// Eight RMs: 1,745,408 distinct states.
        pub fn rm8() -> Self {
            Config {
                rm: Rm::values(8),
                bug_commit_early: false,
            }
        }
        /// Nine RMs: 10,340,352 distinct states (TLC reports the same).
        pub fn rm9() -> Self {
            Config {
                rm: Rm::values(9),
                bug_commit_early: false,
            }
        }
        /// Ten RMs: 61,515,776 distinct states.
        pub fn rm10() -> Self {
            Config {
                rm: Rm::values(10),
                bug_commit_early: false,
            }
        }
        /// Eleven RMs, the large run of docs/checker.md (hundreds of millions of states: run
        /// it with `--safety-only`; its frontier and trace records go to disk).
        pub fn rm11() -> Self {
            Config {
                rm: Rm::values(11),
                bug_commit_early: false,
            }
        }
        /// Five RMs, symmetric in the RMs: states that differ only by a renaming of the RMs are
        /// one state (TLC's `SYMMETRY Permutations(Rm)`).
        #[symmetry(rm)]
        pub fn rm5_symmetric() -> Self {
            Config::rm5()
        }
        /// Three RMs, with `Termination` checked without the fairness conditions.
        #[no_fairness]
        pub fn rm3_no_fairness() -> Self {
            Config::rm3()
        }
        /// Three RMs and a TM that commits as soon as one RM has prepared.
        pub fn bug_commit_early() -> Self {
            Config {
                rm: Rm::values(3),
                bug_commit_early: true,
            }
        }
    }

    /// The state of a resource manager.
    #[derive(Value)]
    pub enum RmState {
        Working,
        Prepared,
        Committed,
        Aborted,
    }

    /// The state of the transaction manager.
    #[derive(Value)]
    pub enum TmState {
        Init,
        Committed,
        Aborted,
    }

    /// Messages: an RM tells the TM it has prepared; the TM broadcasts its decision.
    #[derive(Value)]
    pub enum Msg {
        Prepared { rm: Rm },
        Commit,
        Abort,
    }

    #[state]
    pub struct State {
        /// `rmState[r]`: the state of resource manager `r`.
        pub rm_state: Map<Rm, RmState>,
        /// The state of the transaction manager.
        pub tm_state: TmState,
        /// The RMs from which the TM has received `Prepared`.
        pub tm_prepared: Set<Rm>,
        /// Every message ever sent.
        #[network(Prepared: rm -> "TM", Commit: "TM" -> c.rm, Abort: "TM" -> c.rm)]
        pub msgs: Set<Msg>,
    }

    /// Every RM working, the TM in its initial state, nothing prepared, no message sent.
    #[init]
    fn init(c: &Config) -> State {
        State {
            rm_state: c.rm.iter().map(|r| (r, RmState::Working)).collect(),
            tm_state: TmState::Init,
            tm_prepared: Set::new(),
            msgs: Set::new(),
        }
    }

    /// The TM receives a `Prepared` message from resource manager `rm`.
    #[action(name = "TMRcvPrepared", rm in c.rm, fair)]
    fn tm_rcv_prepared(s: &mut State, c: &Config, rm: Rm) {
        require!(s.tm_state == TmState::Init);
        require!(s.msgs.contains(&Msg::Prepared { rm }));
        s.tm_prepared.insert(rm);
    }

    /// The TM commits the transaction; enabled once every RM has prepared (any RM, in the bug).
    #[action(name = "TMCommit", fair)]
    fn tm_commit(s: &mut State, c: &Config) {
        require!(s.tm_state == TmState::Init);
        require!(if c.bug_commit_early {
            !s.tm_prepared.is_empty()
        } else {
            s.tm_prepared == c.rm
        });
        s.tm_state = TmState::Committed;
        s.msgs.insert(Msg::Commit);
    }

    /// The TM spontaneously aborts the transaction.
    #[action(name = "TMAbort", fair)]
    fn tm_abort(s: &mut State, c: &Config) {
        require!(s.tm_state == TmState::Init);
        s.tm_state = TmState::Aborted;
        s.msgs.insert(Msg::Abort);
    }

    /// Resource manager `rm` prepares.
    #[action(name = "RMPrepare", rm in c.rm, fair)]
    fn rm_prepare(s: &mut State, c: &Config, rm: Rm) {
        require!(s.rm_state[rm] == RmState::Working);
        s.rm_state[rm] = RmState::Prepared;
        s.msgs.insert(Msg::Prepared { rm });
    }

    /// Resource manager `rm` spontaneously decides to abort.
    #[action(name = "RMChooseToAbort", rm in c.rm)]
    fn rm_choose_to_abort(s: &mut State, c: &Config, rm: Rm) {
        require!(s.rm_state[rm] == RmState::Working);
        s.rm_state[rm] = RmState::Aborted;
    }

    /// Resource manager `rm` is told by the TM to commit.
    #[action(name = "RMRcvCommitMsg", rm in c.rm, fair)]
    fn rm_rcv_commit_msg(s: &mut State, c: &Config, rm: Rm) {
        require!(s.msgs.contains(&Msg::Commit));
        s.rm_state[rm] = RmState::Committed;
    }

    /// Resource manager `rm` is told by the TM to abort.
    #[action(name = "RMRcvAbortMsg", rm in c.rm, fair)]
    fn rm_rcv_abort_msg(s: &mut State, c: &Config, rm: Rm) {
        require!(s.msgs.contains(&Msg::Abort));
        s.rm_state[rm] = RmState::Aborted;
    }

    /// Every variable holds a value of the expected kind for exactly the configured RMs.
    #[invariant(name = "TPTypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        s.rm_state.domain() == c.rm
            && s.tm_prepared.is_subset(&c.rm)
            && s.msgs.iter().all(|m| match m {
                Msg::Prepared { rm } => c.rm.contains(&rm),
                Msg::Commit | Msg::Abort => true,
            })
    }

    /// No resource manager has committed while another has aborted.
    #[invariant(name = "TCConsistent")]
    fn consistent(s: &State, c: &Config) -> bool {
        c.rm.iter().all(|r1| {
            c.rm.iter().all(|r2| {
                !(s.rm_state[r1] == RmState::Aborted && s.rm_state[r2] == RmState::Committed)
            })
        })
    }

    /// Every behaviour reaches a state where every RM has committed or aborted.
    #[eventually(name = "Termination")]
    fn termination(s: &State, c: &Config) -> bool {
        c.rm.iter()
            .all(|r| s.rm_state[r] == RmState::Committed || s.rm_state[r] == RmState::Aborted)
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(two_phase_commit::definition())
}
