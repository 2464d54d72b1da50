//! The `verify` pipeline writes the module, its configuration and a summary that lists every
//! property's verdict, the counts, the smoke coverage and any counterexample.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;
use lamport::verify::{verify, VerifyOptions};
use lamport::{CheckOptions, SimulateOptions};

fn options(dir: &std::path::Path) -> VerifyOptions {
    VerifyOptions {
        out: dir.to_path_buf(),
        smoke: SimulateOptions {
            runs: 200,
            depth: 30,
            seed: 1,
        },
        check: CheckOptions {
            threads: 1,
            ..CheckOptions::default()
        },
        tla2tools: None,
    }
}

/// A temporary folder (removed when dropped, however the test ends) for one test.
fn temp(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("lamport-verify-{name}-"))
        .tempdir()
        .unwrap()
}

#[test]
fn a_model_that_holds_gets_a_summary_of_holding_properties() {
    let tmp = temp("rm3");
    let dir = tmp.path().join("out");
    let v = verify(
        &two_phase_commit::definition().config("rm3").unwrap(),
        &options(&dir),
    )
    .unwrap();
    assert_eq!(v.exit_code, 0, "{}", v.summary);
    assert!(dir.join("TwoPhaseCommit.tla").exists() && dir.join("TwoPhaseCommit.cfg").exists());
    let summary = std::fs::read_to_string(dir.join("verification_summary.md")).unwrap();
    assert_eq!(summary, v.summary);
    assert!(
        summary.contains("**Result: every property holds.**"),
        "{summary}"
    );
    assert!(summary.contains("| TPTypeOK | holds |"), "{summary}");
    assert!(summary.contains("| TCConsistent | holds |"), "{summary}");
    assert!(
        summary.contains("288 distinct states, 1146 states generated, depth 11"),
        "{summary}"
    );
    assert!(
        summary.contains("| RMPrepare |"),
        "the smoke coverage is listed: {summary}"
    );
}

#[test]
fn a_violation_gets_its_shortest_counterexample_and_an_itf_file() {
    let tmp = temp("bug");
    let dir = tmp.path().join("out");
    let v = verify(
        &two_phase_commit::definition()
            .config("bug_commit_early")
            .unwrap(),
        &options(&dir),
    )
    .unwrap();
    assert_eq!(v.exit_code, 1, "{}", v.summary);
    assert!(
        v.summary.contains("| TCConsistent | **violated** |"),
        "{}",
        v.summary
    );
    assert!(
        v.summary.contains("## Counterexample (6 states, shortest)"),
        "{}",
        v.summary
    );
    assert!(v.summary.contains("State 4: <TMCommit>"), "{}", v.summary);
    // Only the changed variables, old values beside them, and the violated invariant last.
    assert!(
        v.summary
            .contains("State 3: <TMRcvPrepared(r1)>\n  tmPrepared: + r1\n\n"),
        "{}",
        v.summary
    );
    assert!(
        v.summary
            .contains("Invariant TCConsistent is violated in state 6.\n```\n"),
        "{}",
        v.summary
    );
    assert!(
        v.summary
            .contains("```mermaid\nsequenceDiagram\n    participant P1 as r1\n"),
        "{}",
        v.summary
    );
    let itf = std::fs::read_to_string(dir.join("counterexample.itf.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&itf).unwrap();
    assert_eq!(json["states"].as_array().unwrap().len(), 6);
}

#[test]
fn an_unwritable_folder_is_a_one_line_error() {
    let err = verify(
        &two_phase_commit::definition().config("rm3").unwrap(),
        &options(std::path::Path::new("/proc/lamport-cannot-write-here")),
    )
    .unwrap_err();
    assert!(err.starts_with("cannot create"), "{err}");
    assert!(!err.contains('\n'));
}

/// A violated temporal property: the search was complete, so the invariants hold; the summary
/// shows the lasso, and the ITF trace says where it loops.
#[test]
fn a_liveness_violation_is_summarised_as_a_lasso() {
    let tmp = temp("rm3-no-fairness");
    let dir = tmp.path().join("out");
    let v = verify(
        &two_phase_commit::definition()
            .config("rm3_no_fairness")
            .unwrap(),
        &options(&dir),
    )
    .unwrap();
    assert_eq!(v.exit_code, 1, "{}", v.summary);
    let summary = &v.summary;
    assert!(summary.contains("| TPTypeOK | holds |"), "{summary}");
    assert!(summary.contains("| TCConsistent | holds |"), "{summary}");
    assert!(
        summary.contains("| Termination (temporal) | **violated** (lasso) |"),
        "{summary}"
    );
    assert!(summary.contains("| deadlock | none |"), "{summary}");
    assert!(summary.contains("State 2: Stuttering"), "{summary}");
    let itf: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("counterexample.itf.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(itf["loop"], 0);
}
