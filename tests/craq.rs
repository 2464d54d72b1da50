//! CRAQ: pinned figures, the bug zoo, and agreement with TLC on the export.

#[allow(dead_code)]
#[path = "../examples/craq.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use example::craq;
use lamport::prelude::*;
use lamport::CheckOptions;

fn config(name: &str) -> craq::Model {
    craq::definition().config(name).expect("configuration")
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn ci_holds_with_pinned_figures() {
    // TLC on the export: 2791 states generated, 661 distinct states found, depth 18.
    config("ci")
        .check_with(&one_thread())
        .assert_ok()
        .assert_counts(661, 2_791, 18);
}

#[test]
fn the_bug_zoo_fails_as_expected() {
    config("bug_serve_dirty")
        .check_with(&one_thread())
        .assert_violation("ReadsLinearizable", 3);
    let r = config("bug_serve_before_resync").check_with(&one_thread());
    r.assert_violation("ReadsLinearizable", 10);
    let actions: Vec<String> = r.trace.unwrap().states[1..]
        .iter()
        .map(|s| s.action.as_ref().unwrap().action.clone())
        .collect();
    assert!(
        actions.contains(&"Rejoin".to_string()) && actions.last().unwrap() == "Read",
        "{actions:?}"
    );
    let r = config("bug_stale_config").check_with(&one_thread());
    r.assert_violation("NotBehindPredecessor", 8);
    let last = r
        .trace
        .unwrap()
        .states
        .last()
        .unwrap()
        .action
        .clone()
        .unwrap()
        .to_string();
    assert_eq!(last, "Commit(2)", "the old tail commits on its stale view");
}

#[test]
fn tlc_agrees_on_ci_and_every_bug() {
    for name in [
        "ci",
        "bug_serve_dirty",
        "bug_serve_before_resync",
        "bug_stale_config",
    ] {
        common::assert_tlc_agrees(&config(name));
    }
}

#[test]
fn the_export_reads_as_reviewed() {
    common::assert_export_snapshot(&config("ci"));
}
