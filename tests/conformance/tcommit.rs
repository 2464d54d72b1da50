//! Transaction commit, the abstract specification that two-phase commit implements: Lamport's
//! `TCommit.tla` (tlaplus/Examples, `specifications/transaction_commit`), checked with three
//! resource managers and no deadlock check, as its `TCommit.cfg` does. TLC reports 34 distinct
//! states, 94 generated, depth 7.

use crate::common;

/// Transaction commit.
///
/// Each resource manager (RM) starts `working`. It may prepare; it then decides. It may commit
/// only when every RM is prepared or has already committed, and it may abort (from `working` or
/// `prepared`) only while no RM has committed. There is no transaction manager and no message:
/// the specification says *what* the RMs must agree on, not how.
///
/// TCommit's next-state relation picks an RM and lets it take `Prepare` or `Decide`, and
/// `Decide` is the disjunction of committing and aborting; both disjuncts can be enabled at once
/// (an RM that is prepared while every RM is prepared), and TLC computes a successor for each.
/// Here the decision is the action's second parameter: `Decide(rm, d)` with `d` one of
/// `"committed"` and `"aborted"`, one successor per enabled pair, as TLC counts.
///
/// Properties: `TCTypeOK` (every RM has one of the four states) and `TCConsistent` (no RM has
/// committed while another has aborted). Once every RM has decided nothing is enabled, which is
/// why the configuration does not check for deadlock.
#[lamport::model(check_deadlock = false)]
pub mod t_commit {
    use lamport::prelude::*;

    model_values!(Rm = "r");

    /// The constants of TCommit.
    #[constants]
    pub struct Config {
        /// The participating resource managers (`RM`).
        pub rm: Set<Rm>,
    }

    #[configs]
    impl Config {
        /// `TCommit.cfg`: `RM = {r1, r2, r3}`.
        pub fn rm3() -> Self {
            Config { rm: Rm::values(3) }
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

    #[state]
    pub struct State {
        /// `rmState[r]`: the state of resource manager `r`.
        pub rm_state: Map<Rm, RmState>,
    }

    /// Every RM is prepared or has committed: committing is allowed.
    fn can_commit(s: &State, c: &Config) -> bool {
        c.rm.iter()
            .all(|r| s.rm_state[r] == RmState::Prepared || s.rm_state[r] == RmState::Committed)
    }

    /// No RM has committed: aborting is still allowed.
    fn not_committed(s: &State, c: &Config) -> bool {
        c.rm.iter().all(|r| s.rm_state[r] != RmState::Committed)
    }

    /// Every RM is working.
    #[init]
    fn init(c: &Config) -> State {
        State {
            rm_state: c.rm.iter().map(|r| (r, RmState::Working)).collect(),
        }
    }

    /// Resource manager `rm` prepares.
    #[action(name = "Prepare", rm in c.rm)]
    fn prepare(s: &mut State, c: &Config, rm: Rm) {
        require!(s.rm_state[rm] == RmState::Working);
        s.rm_state[rm] = RmState::Prepared;
    }

    /// Resource manager `rm` decides `d`: to commit (it is prepared and every RM is prepared or
    /// committed) or to abort (it has not decided and no RM has committed).
    #[action(name = "Decide", rm in c.rm, d in [RmState::Committed, RmState::Aborted])]
    fn decide(s: &mut State, c: &Config, rm: Rm, d: RmState) {
        if d == RmState::Committed {
            require!(s.rm_state[rm] == RmState::Prepared && can_commit(s, c));
        } else {
            require!(
                (s.rm_state[rm] == RmState::Working || s.rm_state[rm] == RmState::Prepared)
                    && not_committed(s, c)
            );
        }
        s.rm_state[rm] = d;
    }

    /// Every RM has one of the four states, and exactly the configured RMs have one.
    #[invariant(name = "TCTypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        s.rm_state.domain() == c.rm
    }

    /// No RM has committed while another has aborted.
    #[invariant(name = "TCConsistent")]
    fn consistent(s: &State, c: &Config) -> bool {
        c.rm.iter().all(|r1| {
            c.rm.iter().all(|r2| {
                !(s.rm_state[r1] == RmState::Aborted && s.rm_state[r2] == RmState::Committed)
            })
        })
    }
}

#[test]
fn tcommit_rm3_matches_tlc_reference() {
    common::assert_reference(&t_commit::model(t_commit::Config::rm3()), 34, 94, 7);
}

#[test]
fn tcommit_rm3_tlc_agrees() {
    common::assert_tlc_agrees(&t_commit::model(t_commit::Config::rm3()));
}
