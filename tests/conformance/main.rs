//! The conformance corpus: faithful translations of public TLA+ specifications into lamport's
//! language. Each reproduces TLC's figures from REFERENCE.md in-process, and TLC reports the same
//! figures on its export (when `TLA2TOOLS_JAR` is set).

mod chang_roberts;
mod common;
mod consensus;
mod craq;
mod dijkstra_mutex;
mod paxos;
mod simplified_fast_paxos;
mod tcommit;
mod two_pc_with_btm;
mod two_phase;
mod voting;

/// Every corpus model's export reads as reviewed (insta snapshots under `snapshots/`).
#[test]
fn exports_are_reviewed() {
    common::assert_export_snapshot(&paxos::paxos::definition().config("mc_paxos_tiny").unwrap());
    common::assert_export_snapshot(&voting::voting::definition().config("mc_voting").unwrap());
    common::assert_export_snapshot(&tcommit::t_commit::definition().config("rm3").unwrap());
    common::assert_export_snapshot(
        &dijkstra_mutex::dijkstra_mutex::definition()
            .config("two")
            .unwrap(),
    );
    common::assert_export_snapshot(
        &two_pc_with_btm::two_pc_with_btm::definition()
            .config("rm3")
            .unwrap(),
    );
    common::assert_export_snapshot(&craq::craq::definition().config("craq").unwrap());
    common::assert_export_snapshot(
        &chang_roberts::chang_roberts::definition()
            .config("mc")
            .unwrap(),
    );
    common::assert_export_snapshot(
        &simplified_fast_paxos::simplified_fast_paxos::definition()
            .config("paxos_symmetric")
            .unwrap(),
    );
}
