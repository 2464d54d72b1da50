//! The consensus problem as Lamport specifies it in `Consensus.tla` (tlaplus/Examples,
//! `specifications/PaxosHowToWinATuringAward`), checked as its `MCConsensus` model does: three
//! values, no deadlock check, the invariant `Inv`. TLC reports 4 distinct states, 4 generated,
//! depth 2. (MCConsensus names its model values `a, b, c`; here they are `v1, v2, v3`, the names
//! `Voting` uses, so that Voting's values are values of this model under the refinement.)

use crate::common;

/// The most abstract specification of consensus: the set of chosen values starts empty, may
/// become a single value, and never changes after that. Processes are abstracted away, and so
/// is liveness: nothing requires a value ever to be chosen.
///
/// Property: `Inv`, at most one value is chosen (with `TypeOK`: the chosen values are values).
#[lamport::model(check_deadlock = false)]
pub mod consensus {
    use lamport::prelude::*;

    model_values!(Value = "v");

    /// The constants of MCConsensus.
    #[constants]
    pub struct Config {
        /// The values that can be chosen.
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        /// MCConsensus: three values.
        pub fn mc_consensus() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        /// The values that have been chosen.
        pub chosen: Set<Value>,
    }

    /// Nothing is chosen.
    #[init]
    fn init() -> State {
        State {
            chosen: Set::new(),
        }
    }

    /// While nothing is chosen, value `v` is chosen.
    #[action(name = "Choose", v in c.value)]
    fn choose(s: &mut State, c: &Config, v: Value) {
        require!(s.chosen.is_empty());
        s.chosen = Set::singleton(v);
    }

    /// `Inv`: the chosen values are values (TypeOK), and at most one is chosen.
    #[invariant(name = "Inv")]
    fn inv(s: &State, c: &Config) -> bool {
        s.chosen.is_subset(&c.value) && s.chosen.len() <= 1
    }
}

#[test]
fn mc_consensus_matches_tlc_reference() {
    common::assert_reference(
        &consensus::model(consensus::Config::mc_consensus()),
        4,
        4,
        2,
    );
}

#[test]
fn mc_consensus_tlc_agrees() {
    common::assert_tlc_agrees(&consensus::model(consensus::Config::mc_consensus()));
}
