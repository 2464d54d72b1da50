//! lamport's ITF counterexamples load with the `itf` crate (the format Apalache and Quint tools
//! read), into ordinary typed Rust values.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::collections::{BTreeMap, BTreeSet};

use example::two_phase_commit;
use lamport::prelude::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Msg {
    Prepared { rm: String },
    Commit,
    Abort,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct State {
    rm_state: BTreeMap<String, String>,
    tm_state: String,
    tm_prepared: BTreeSet<String>,
    msgs: BTreeSet<Msg>,
}

#[test]
fn the_counterexample_loads_with_the_itf_crate() {
    let report = two_phase_commit::definition()
        .config("bug_commit_early")
        .unwrap()
        .check();
    let itf_json = report.to_json()["counterexample"]["itf"].to_string();
    let trace: itf::Trace<State> = itf::trace_from_str(&itf_json).expect("lamport's ITF loads");
    assert_eq!(trace.vars, ["rmState", "tmState", "tmPrepared", "msgs"]);
    assert_eq!(trace.states.len(), 6);
    let first = &trace.states[0].value;
    assert_eq!(first.tm_state, "init");
    assert!(first.rm_state.values().all(|s| s == "working"));
    assert!(first.msgs.is_empty());
    let last = &trace.states[5].value;
    assert_eq!(last.tm_state, "committed");
    assert_eq!(last.rm_state["r1"], "committed");
    assert_eq!(last.rm_state["r2"], "aborted");
    assert!(last.msgs.contains(&Msg::Commit));
    assert!(last.msgs.contains(&Msg::Prepared { rm: "r1".into() }));
    assert_eq!(last.tm_prepared, BTreeSet::from(["r1".to_string()]));
}

/// A liveness counterexample is a lasso: the `itf` crate reads its `loop` index.
#[test]
fn a_lasso_loads_with_its_loop() {
    let report = two_phase_commit::definition()
        .config("rm3_no_fairness")
        .unwrap()
        .check();
    let itf_json = report.to_json()["counterexample"]["itf"].to_string();
    let trace: itf::Trace<State> = itf::trace_from_str(&itf_json).expect("lamport's ITF loads");
    // Stuttering forever in the initial state.
    assert_eq!(trace.states.len(), 1);
    assert_eq!(trace.loop_index, Some(0));
    assert!(trace.states[0].value.msgs.is_empty());
}
