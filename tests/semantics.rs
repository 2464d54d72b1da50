//! The checker follows TLC's semantics: each test is a small spec whose TLC figures are known
//! (REFERENCE.md, "TLC semantics that the in-process checker must match").

use lamport::prelude::*;
use lamport::{CheckOptions, Outcome};

/// `x' = x + 1` from `x = 0` with `CONSTRAINT x <= 3`.
#[lamport::model]
mod counter {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn incr(s: &mut State) {
        s.x += 1;
    }

    #[constraint]
    fn bounded(s: &State) -> bool {
        s.x <= 3
    }
}

/// The same, with `INVARIANT x <= 3`.
#[lamport::model]
mod counter_inv {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn incr(s: &mut State) {
        s.x += 1;
    }

    #[invariant(name = "Small")]
    fn small(s: &State) -> bool {
        s.x <= 3
    }

    #[constraint]
    fn bounded(s: &State) -> bool {
        s.x <= 3
    }
}

/// Counts to 3 and stops: a deadlock at `x = 3`.
#[lamport::model]
mod stops {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn incr(s: &mut State) {
        require!(s.x < 3);
        s.x += 1;
    }
}

/// The same, with deadlock checking switched off.
#[lamport::model(check_deadlock = false)]
mod stops_no_deadlock {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn incr(s: &mut State) {
        require!(s.x < 3);
        s.x += 1;
    }
}

/// `/\ x = 0 /\ \E p \in {1,2,3} : p > 0 /\ x' = 1` (one successor per witness) against
/// `/\ x = 0 /\ IF \E p \in {1,2,3} : p > 0 THEN ... ` (one successor).
#[lamport::model(check_deadlock = false)]
mod witnesses {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub per_witness: bool,
    }

    #[configs]
    impl Config {
        pub fn parameter() -> Self {
            Config { per_witness: true }
        }
        pub fn any_guard() -> Self {
            Config { per_witness: false }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init(_c: &Config) -> State {
        State { x: 0 }
    }

    #[action(p in 1..=3)]
    fn by_parameter(s: &mut State, c: &Config, p: i64) {
        require!(c.per_witness);
        require!(s.x == 0 && p > 0);
        s.x = 1;
    }

    #[action]
    fn by_any(s: &mut State, c: &Config) {
        require!(!c.per_witness);
        require!(s.x == 0 && (1..=3).any(|p: i64| p > 0));
        s.x = 1;
    }
}

/// A `u8` counter that overflows: a model error, not a wrap.
#[lamport::model]
mod overflow {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: u8,
    }

    #[init]
    fn init() -> State {
        State { x: 250 }
    }

    #[action]
    fn add_three(s: &mut State) {
        s.x += 3;
    }
}

/// A cast that does not fit: a model error, not a truncation.
#[lamport::model]
mod narrowing {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub wide: i64,
        pub narrow: u8,
    }

    #[init]
    fn init() -> State {
        State {
            wide: 250,
            narrow: 0,
        }
    }

    #[action]
    fn grow(s: &mut State) {
        s.wide += 25;
        s.narrow = s.wide as u8;
    }
}

/// Nondeterministic init and two-parameter actions.
#[lamport::model(check_deadlock = false)]
mod grid {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
        pub y: i64,
    }

    #[init(x in 0..2)]
    fn init(x: i64) -> State {
        State { x, y: 0 }
    }

    #[action(dx in 0..=1, dy in 0..=1)]
    fn step(s: &mut State, dx: i64, dy: i64) {
        require!(dx + dy == 1);
        require!(s.x + dx <= 2 && s.y + dy <= 2);
        s.x += dx;
        s.y += dy;
    }
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn constraint_successors_are_generated_not_distinct_and_not_deadlocks() {
    // TLC: 5 states generated, 4 distinct states found, depth 4; no deadlock at x = 3.
    counter::model(counter::Config {})
        .check()
        .assert_ok()
        .assert_counts(4, 5, 4);
}

#[test]
fn invariants_are_checked_on_states_outside_the_constraint() {
    // TLC reports the violation at x = 4, a state it never explores.
    let r = counter_inv::model(counter_inv::Config {}).check();
    r.assert_violation("Small", 5);
    let last = r.trace.as_ref().unwrap().states.last().unwrap();
    assert_eq!(last.vars[0].tla, "4");
    assert_eq!(last.action.as_ref().unwrap().action, "Incr");
}

#[test]
fn deadlock_is_checked_by_default_and_can_be_switched_off() {
    let r = stops::model(stops::Config {}).check();
    r.assert_deadlock(4);
    assert_eq!(
        r.trace.as_ref().unwrap().states.last().unwrap().vars[0].tla,
        "3"
    );
    stops_no_deadlock::model(stops_no_deadlock::Config {})
        .check()
        .assert_ok()
        .assert_counts(4, 4, 4);
}

#[test]
fn an_action_parameter_yields_one_successor_per_witness_and_any_yields_one() {
    let def = witnesses::definition();
    def.config("parameter")
        .unwrap()
        .check()
        .assert_ok()
        .assert_counts(2, 4, 2);
    def.config("any_guard")
        .unwrap()
        .check()
        .assert_ok()
        .assert_counts(2, 2, 2);
}

#[test]
fn overflow_is_a_model_error_with_the_trace_that_reached_it() {
    let r = overflow::model(overflow::Config {}).check();
    match &r.outcome {
        Outcome::ModelError { message } => {
            assert!(message.contains("integer overflow: 253 + 3"), "{message}")
        }
        other => panic!("expected a model error, got {other:?}"),
    }
    let trace = r.trace.as_ref().unwrap();
    assert_eq!(trace.len(), 2, "{}", trace.to_text());
    assert_eq!(trace.states[1].vars[0].tla, "253");
    assert_eq!(trace.failing_action.as_ref().unwrap().action, "AddThree");
    assert_eq!(r.outcome.exit_code(), 1);
}

#[test]
fn a_cast_that_does_not_fit_is_a_model_error() {
    let r = narrowing::model(narrowing::Config {}).check();
    match &r.outcome {
        Outcome::ModelError { message } => {
            assert!(message.contains("275 does not fit u8"), "{message}")
        }
        other => panic!("expected a model error, got {other:?}"),
    }
    let trace = r.trace.unwrap();
    assert_eq!(trace.states.last().unwrap().vars[0].tla, "250");
    assert_eq!(trace.failing_action.unwrap().action, "Grow");
}

#[test]
fn nondeterministic_init_and_multi_parameter_actions() {
    // x in {0,1} initially, y = 0; steps right or up within 0..=2.
    // Reachable: all (x, y) with x in 0..=2, y in 0..=2 → 9 states.
    let r = grid::model(grid::Config {}).check_with(&one_thread());
    r.assert_ok();
    assert_eq!(r.distinct_states, 9);
    // Generated: 2 initial + one successor per enabled (dx, dy) in each of the 9 states:
    // moves right from x < 2 (6 states) and up from y < 2 (6 states).
    assert_eq!(r.generated_states, 2 + 12);
    // (0,0) and (1,0) at depth 1; (2,2) is 3 steps from (1,0).
    assert_eq!(r.depth, 4);
}

#[test]
fn bounds_end_a_run_as_incomplete_never_as_a_pass() {
    let m = counter::model(counter::Config {});
    let r = m.check_with(&CheckOptions {
        max_depth: Some(2),
        ..one_thread()
    });
    assert!(
        matches!(r.outcome, Outcome::Incomplete { .. }),
        "{:?}",
        r.outcome
    );
    assert_eq!(r.depth, 2);
    assert_eq!(r.outcome.exit_code(), 3);
    let r = m.check_with(&CheckOptions {
        max_states: Some(3),
        ..one_thread()
    });
    assert!(
        matches!(r.outcome, Outcome::Incomplete { .. }),
        "{:?}",
        r.outcome
    );
    assert_eq!(r.distinct_states, 3);
}
