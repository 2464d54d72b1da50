//! Two-phase commit reproduces TLC's figures for TwoPhase.tla (REFERENCE.md).

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use example::two_phase_commit::{self, Config};
use lamport::prelude::*;
use lamport::{CheckOptions, SimulateOptions};

fn threads(n: usize) -> CheckOptions {
    CheckOptions {
        threads: n,
        ..CheckOptions::default()
    }
}

#[test]
fn a_model_built_from_a_declared_configuration_carries_its_name() {
    use lamport::Model;
    assert_eq!(two_phase_commit::model(Config::rm3()).config_name(), "rm3");
    let custom = Config {
        bug_commit_early: true,
        ..Config::rm5()
    };
    assert_eq!(two_phase_commit::model(custom).config_name(), "custom");
}

#[test]
fn rm3_matches_tlc() {
    // TLC: 1146 states generated, 288 distinct states found, depth 11.
    two_phase_commit::model(Config::rm3())
        .check()
        .assert_ok()
        .assert_counts(288, 1146, 11);
}

#[test]
fn rm5_matches_tlc_with_any_number_of_threads() {
    // TLC: 58146 states generated, 8832 distinct states found, depth 17.
    for n in [1, 2, 3] {
        two_phase_commit::model(Config::rm5())
            .check_with(&threads(n))
            .assert_ok()
            .assert_counts(8832, 58146, 17);
    }
}

#[test]
fn symmetry_in_the_rms_counts_orbits_as_tlc_does() {
    // TLC on the export (SYMMETRY Permutations(Rm)): 2048 generated, 314 distinct, depth 17.
    let def = two_phase_commit::definition();
    for n in [1, 2] {
        def.config("rm5_symmetric")
            .unwrap()
            .check_with(&threads(n))
            .assert_ok()
            .assert_counts(314, 2048, 17);
    }
}

#[test]
fn commit_early_breaks_consistency_with_the_shortest_trace() {
    // TLC on the same bug: TCConsistent violated, 6 states (5 steps).
    let def = two_phase_commit::definition();
    let one = def
        .config("bug_commit_early")
        .unwrap()
        .check_with(&threads(1));
    one.assert_violation("TCConsistent", 6);
    let two = def
        .config("bug_commit_early")
        .unwrap()
        .check_with(&threads(2));
    assert_eq!(
        one.trace, two.trace,
        "the counterexample does not depend on the thread count"
    );
    let text = one.trace.as_ref().unwrap().to_text();
    assert!(text.contains("State 4: <TMCommit>"), "{text}");
    // Only changed variables are shown after the initial state.
    assert!(
        text.contains("  tmState: \"init\" → \"committed\"\n"),
        "{text}"
    );
}

#[test]
fn the_json_report_and_itf_trace_have_the_documented_fields() {
    let r = two_phase_commit::definition()
        .config("bug_commit_early")
        .unwrap()
        .check();
    let j = r.to_json();
    assert_eq!(j["outcome"], "violation");
    assert_eq!(j["property"], "TCConsistent");
    assert_eq!(j["counterexample"]["length"], 6);
    let itf = &j["counterexample"]["itf"];
    assert_eq!(
        itf["vars"],
        serde_json::json!(["rmState", "tmState", "tmPrepared", "msgs"])
    );
    let states = itf["states"].as_array().unwrap();
    assert_eq!(states.len(), 6);
    assert_eq!(states[0]["tmState"], "init");
    assert_eq!(states[0]["tmPrepared"], serde_json::json!({"#set": []}));
    assert_eq!(states[5]["#meta"]["action"], "RMRcvCommitMsg(r1)");
}

#[test]
fn the_ir_names_every_part_as_the_tla_original_does() {
    let ir = two_phase_commit::ir();
    assert_eq!(ir.module, "TwoPhaseCommit");
    let actions: Vec<&str> = ir.actions.iter().map(|a| a.tla.as_str()).collect();
    assert_eq!(
        actions,
        [
            "TMRcvPrepared",
            "TMCommit",
            "TMAbort",
            "RMPrepare",
            "RMChooseToAbort",
            "RMRcvCommitMsg",
            "RMRcvAbortMsg"
        ]
    );
    let vars: Vec<&str> = ir.state.fields.iter().map(|f| f.tla.as_str()).collect();
    assert_eq!(vars, ["rmState", "tmState", "tmPrepared", "msgs"]);
    let invs: Vec<&str> = ir.invariants.iter().map(|a| a.tla.as_str()).collect();
    assert_eq!(invs, ["TPTypeOK", "TCConsistent"]);
}

#[test]
fn simulation_is_reproducible_by_seed_and_finds_the_bug() {
    let def = two_phase_commit::definition();
    // Uniform random choice rarely commits (the TM may abort at every step before all RMs
    // prepared): about 1 behaviour in 200 does, so 2000 behaviours reach every action.
    let opts = SimulateOptions {
        runs: 2000,
        depth: 30,
        seed: 7,
    };
    let a = def.config("rm3").unwrap().simulate(&opts);
    let b = def.config("rm3").unwrap().simulate(&opts);
    assert_eq!(a.outcome, lamport::Outcome::Ok);
    assert_eq!(a.steps, b.steps);
    assert_eq!(a.coverage, b.coverage);
    assert!(
        a.coverage.iter().all(|(_, n)| *n > 0),
        "every action fires: {:?}",
        a.coverage
    );
    let bug = def
        .config("bug_commit_early")
        .unwrap()
        .simulate(&SimulateOptions {
            runs: 2000,
            depth: 30,
            seed: 1,
        });
    assert_eq!(
        bug.outcome,
        lamport::Outcome::InvariantViolated {
            invariant: "TCConsistent".into()
        }
    );
}

#[test]
fn stateright_explores_the_same_state_space_through_the_adapter() {
    use stateright::{Checker, Model as _};
    let checker = lamport::adapter::Stateright(two_phase_commit::model(Config::rm3()))
        .checker()
        .spawn_bfs()
        .join();
    assert_eq!(checker.unique_state_count(), 288);
    checker.assert_properties();
}

/// Termination: every RM ends committed or aborted under weak fairness, and not without it; TLC
/// agrees on both (a lasso that stutters in the initial state).
#[test]
fn termination_needs_fairness() {
    let r = two_phase_commit::definition()
        .config("rm3")
        .unwrap()
        .check_with(&threads(1));
    r.assert_ok();
    assert_eq!(r.liveness[0].property, "Termination");
    assert_eq!(r.liveness[0].status, lamport::LivenessStatus::Holds);
    common::assert_tlc_agrees(&two_phase_commit::definition().config("rm3").unwrap());

    let unfair = two_phase_commit::definition()
        .config("rm3_no_fairness")
        .unwrap();
    let r = unfair.check_with(&threads(1));
    assert_eq!(
        r.outcome,
        lamport::Outcome::LivenessViolated {
            property: "Termination".into()
        }
    );
    let t = r.trace.as_ref().unwrap();
    assert_eq!((t.len(), t.loop_start), (1, Some(0)));
    common::assert_tlc_agrees(&unfair);
}
