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
        State { chosen: Set::new() }
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

/// A broken implementation of consensus: a value may be chosen while another already is (the
/// guard allows two). Its steps do not all map to steps of Consensus.
#[lamport::model(check_deadlock = false)]
#[refines(crate::consensus::consensus)]
pub mod second_choice {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub chosen: Set<Value>,
    }

    #[init]
    fn init() -> State {
        State { chosen: Set::new() }
    }

    /// Chooses `v` while fewer than two values are chosen (the bug: Consensus allows one).
    #[action(name = "Choose", v in c.value)]
    fn choose(s: &mut State, c: &Config, v: Value) {
        require!(s.chosen.len() < 2);
        s.chosen.insert(v);
    }
}

/// A mutated refinement mapping: Consensus's `chosen` mapped to every value, which is no initial
/// state of Consensus.
#[lamport::model(check_deadlock = false)]
#[refines(crate::consensus::consensus, chosen = every_value)]
pub mod wrong_mapping {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub chosen: Set<Value>,
    }

    /// The mutated mapping: every value, chosen or not.
    fn every_value(c: &Config) -> Set<Value> {
        c.value.clone()
    }

    #[init]
    fn init() -> State {
        State { chosen: Set::new() }
    }

    #[action(name = "Choose", v in c.value)]
    fn choose(s: &mut State, c: &Config, v: Value) {
        require!(s.chosen.is_empty());
        s.chosen = Set::singleton(v);
    }
}

/// Asserts that `report` is a violation of `property` with a counterexample of `len` states.
fn assert_refinement_violated(report: &lamport::Report, property: &str, len: usize) {
    match &report.outcome {
        lamport::Outcome::PropertyViolated { property: p } if p == property => {}
        other => panic!(
            "expected {property} violated, got {other:?}\n{}",
            report.to_text()
        ),
    }
    assert_eq!(
        report.trace.as_ref().map(|t| t.len()),
        Some(len),
        "{}",
        report.to_text()
    );
}

#[test]
fn second_choice_refines_consensus_is_violated_and_tlc_agrees() {
    use lamport::ModelExt;
    let model = second_choice::model(second_choice::Config::three());
    // Choose v1, then Choose v1 again is a stutter of Consensus, Choose v2 is no step of it.
    let report = model.check();
    assert_refinement_violated(&report, "RefinesConsensus", 3);
    // Beside each state, the state of Consensus it maps to: the last is none of Consensus's.
    let trace = report.trace.as_ref().unwrap();
    let chosen = |v: &str| vec![("C!chosen".to_string(), v.to_string())];
    assert_eq!(
        trace.abstract_states,
        vec![chosen("{}"), chosen("{v1}"), chosen("{v1, v2}")]
    );
    let text = trace.to_text();
    assert!(text.contains("  \\* C!chosen = {v1, v2}\n"), "{text}");
    common::assert_tlc_agrees(&model);
}

#[test]
fn wrong_mapping_refines_consensus_is_violated_initially_and_tlc_agrees() {
    use lamport::ModelExt;
    let model = wrong_mapping::model(wrong_mapping::Config::three());
    assert_refinement_violated(&model.check(), "RefinesConsensus", 1);
    // Simulation checks the initial condition too.
    let sim = lamport::simulate(
        &model,
        &lamport::SimulateOptions {
            runs: 3,
            depth: 5,
            seed: 1,
        },
    );
    assert_eq!(
        sim.outcome,
        lamport::Outcome::PropertyViolated {
            property: "RefinesConsensus".to_string()
        }
    );
    common::assert_tlc_agrees(&model);
}
