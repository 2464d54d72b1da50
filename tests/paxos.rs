//! Paxos: the `ci` configuration reproduces TLC's MCPaxosTiny figures, each bug-zoo
//! configuration fails with its invariant and pinned shortest counterexample, and TLC agrees.

#[allow(dead_code)]
#[path = "../examples/paxos.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use example::paxos;
use lamport::prelude::*;
use lamport::CheckOptions;

fn config(name: &str) -> paxos::Model {
    paxos::definition().config(name).expect("configuration")
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn ci_is_mc_paxos_tiny() {
    // TLC on MCPaxosTiny: 23563 states generated, 3921 distinct states found, depth 17.
    config("ci")
        .check_with(&one_thread())
        .assert_ok()
        .assert_counts(3_921, 23_563, 17);
}

#[test]
fn the_bug_zoo_fails_as_expected() {
    for (name, invariant, length) in [
        ("bug_ignore_reported_votes", "SafeProposals", 10),
        ("bug_forgetful_acceptor", "PromiseRespected", 4),
        ("bug_vote_below_promise", "PromiseRespected", 8),
        ("bug_shared_ballot", "OneValuePerBallot", 6),
        ("bug_disjoint_quorums", "Agreement", 9),
    ] {
        config(name)
            .check_with(&one_thread())
            .assert_violation(invariant, length);
    }
}

#[test]
fn tlc_agrees_on_ci_and_every_bug() {
    for name in [
        "ci",
        "bug_ignore_reported_votes",
        "bug_forgetful_acceptor",
        "bug_vote_below_promise",
        "bug_shared_ballot",
        "bug_disjoint_quorums",
    ] {
        common::assert_tlc_agrees(&config(name));
    }
}

#[test]
fn the_export_reads_as_reviewed() {
    common::assert_export_snapshot(&config("ci"));
}

/// Liveness (Lamport's assumption): with the top ballot's proposer and a quorum of acceptors
/// fair, a value is eventually chosen; with only a lower ballot's proposer fair, it is not: a
/// lasso in which ballot 1 preempts ballot 0 and then stops.
#[test]
fn a_value_is_eventually_chosen_only_with_a_distinguished_proposer() {
    let r = config("ci").check_with(&one_thread());
    r.assert_ok();
    assert_eq!(r.liveness.len(), 1);
    assert_eq!(r.liveness[0].status, lamport::LivenessStatus::Holds);

    let r = config("no_distinguished_proposer").check_with(&one_thread());
    assert_eq!(
        r.outcome,
        lamport::Outcome::LivenessViolated {
            property: "EventuallyChosen".into()
        }
    );
    let t = r.trace.as_ref().expect("a lasso");
    assert!(t.loop_start.is_some());
    let text = t.to_text();
    // The duel: ballot 1's proposer asks the acceptors to join, preempting ballot 0.
    assert!(
        text.contains("<Phase1a(0)>") && text.contains("<Phase1a(1)>"),
        "{text}"
    );
    // Same state space as the safety check.
    assert_eq!((r.distinct_states, r.generated_states), (3_921, 23_563));
    common::assert_tlc_agrees(&config("no_distinguished_proposer"));
}

/// `check --safety-only` and `export`/`tlc --safety-only`: the temporal property is neither
/// decided nor exported, the run is complete and ok where the full check finds a lasso, and TLC
/// on the safety-only configuration agrees on the figures.
#[test]
fn safety_only_skips_the_temporal_property_on_both_sides() {
    let model = config("no_distinguished_proposer");
    let r = model.check_with(&CheckOptions {
        safety_only: true,
        ..one_thread()
    });
    r.assert_ok();
    assert_eq!(r.liveness.len(), 1);
    assert!(
        matches!(&r.liveness[0].status, lamport::LivenessStatus::NotChecked(why) if why.contains("safety only")),
        "{:?}",
        r.liveness
    );
    assert_eq!(
        (r.distinct_states, r.generated_states, r.depth),
        (3_921, 23_563, 17)
    );

    let full = lamport::export(&model).expect("export");
    assert!(
        full.cfg.contains("PROPERTY EventuallyChosen\n"),
        "{}",
        full.cfg
    );
    let ir = lamport::Model::ir(&model).expect("IR");
    let safety = full.safety_only(&ir);
    assert_eq!(safety.tla, full.tla);
    assert!(!safety.cfg.contains("EventuallyChosen"), "{}", safety.cfg);
    assert!(!safety.cfg.contains("FairSpec"), "{}", safety.cfg);
    assert!(
        safety.cfg.contains("SPECIFICATION Spec\n"),
        "{}",
        safety.cfg
    );
    for line in full.cfg.lines().filter(|l| l.starts_with("INVARIANT")) {
        assert!(safety.cfg.lines().any(|l| l == line), "{line} kept");
    }

    if let Some(result) = common::assert_tlc_agrees_on(&r, &safety, "paxos, safety only") {
        assert_eq!(
            result.outcome,
            lamport::tla::tlc::TlcOutcome::Ok,
            "{}",
            result.raw
        );
    }
}
