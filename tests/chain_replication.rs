//! Chain replication: pinned figures, the bug zoo, and agreement with TLC on the export.

#[allow(dead_code)]
#[path = "../examples/chain_replication.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use example::chain_replication;
use lamport::prelude::*;
use lamport::CheckOptions;

fn config(name: &str) -> chain_replication::Model {
    chain_replication::definition()
        .config(name)
        .expect("configuration")
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn ci_holds_with_pinned_figures() {
    // TLC on the export: 1307 states generated, 523 distinct states found, depth 15.
    config("ci")
        .check_with(&one_thread())
        .assert_ok()
        .assert_counts(523, 1307, 15);
}

#[test]
fn reading_from_a_non_tail_server_returns_an_uncommitted_update() {
    let r = config("bug_read_non_tail").check_with(&one_thread());
    r.assert_violation("TailReadsLinearizable", 3);
    let trace = r.trace.unwrap();
    assert_eq!(
        trace.states[2].action.as_ref().unwrap().to_string(),
        "Read(1)"
    );
}

#[test]
fn a_predecessor_that_does_not_resend_skips_an_update() {
    let r = config("bug_no_resend").check_with(&one_thread());
    r.assert_violation("InFlightConsistent", 6);
    let actions: Vec<String> = r.trace.unwrap().states[1..]
        .iter()
        .map(|s| s.action.as_ref().unwrap().to_string())
        .collect();
    assert_eq!(
        actions,
        [
            "ClientUpdate",
            "ClientUpdate",
            "Forward(1)",
            "Crash(2)",
            "Forward(1)"
        ]
    );
}

#[test]
fn tlc_agrees_on_every_small_configuration() {
    for name in ["ci", "bug_read_non_tail", "bug_no_resend"] {
        common::assert_tlc_agrees(&config(name));
    }
}

#[test]
fn the_export_reads_as_reviewed() {
    common::assert_export_snapshot(&config("ci"));
    common::assert_export_snapshot(&config("bug_no_resend"));
}
