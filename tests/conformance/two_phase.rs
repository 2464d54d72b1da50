//! Lamport's `TwoPhase.tla` (tlaplus/Examples, `specifications/transaction_commit`) with
//! RM = {r1, r2, r3}: TLC reports 288 distinct states, 1,146 generated, depth 11. The model is
//! the shipped example `examples/two_phase_commit.rs`.

use crate::common;

#[allow(dead_code)]
#[path = "../../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;

#[test]
fn two_phase_rm3_matches_tlc_reference() {
    let model = two_phase_commit::definition().config("rm3").unwrap();
    common::assert_reference(&model, 288, 1_146, 11);
}

#[test]
fn two_phase_rm3_tlc_agrees() {
    common::assert_tlc_agrees(&two_phase_commit::definition().config("rm3").unwrap());
}
