//! Properties of steps (`[][P]_vars`): checked on every step the search computes, reported
//! with the trace that ends in the offending step, and exported as TLC `PROPERTY`s.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::prelude::*;
use lamport::{CheckOptions, Outcome};

/// A counter that wraps around from 3 to 0 (`bug`) or stops at 3.
#[lamport::model(check_deadlock = false)]
mod counter {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub wraps: bool,
    }

    #[configs]
    impl Config {
        pub fn stops() -> Self {
            Config { wraps: false }
        }
        pub fn wraps() -> Self {
            Config { wraps: true }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
        pub seen: Set<i64>,
    }

    #[init]
    fn init() -> State {
        State {
            x: 0,
            seen: Set::new(),
        }
    }

    fn grown(s: &State) -> i64 {
        s.seen.len() as i64
    }

    #[action]
    fn tick(s: &mut State, c: &Config) {
        require!(s.x < 3 || c.wraps);
        let x = s.x;
        s.seen.insert(x);
        s.x = if s.x < 3 { s.x + 1 } else { 0 };
    }

    /// The counter never goes down.
    #[step_property(name = "NeverDecreases")]
    fn never_decreases(s: &State, next: &State) -> bool {
        next.x >= s.x
    }

    /// What has been seen is never forgotten (a helper applied to the next state).
    #[step_property(name = "SeenGrows")]
    fn seen_grows(s: &State, next: &State) -> bool {
        grown(next) >= grown(s) && s.seen.is_subset(&next.seen)
    }
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn a_step_property_that_holds() {
    let m = counter::definition().config("stops").unwrap();
    m.check_with(&one_thread())
        .assert_ok()
        .assert_counts(4, 4, 4);
    common::assert_tlc_agrees(&m);
}

#[test]
fn a_violated_step_property_ends_the_trace_with_the_offending_step() {
    let m = counter::definition().config("wraps").unwrap();
    let r = m.check_with(&one_thread());
    assert_eq!(
        r.outcome,
        Outcome::PropertyViolated {
            property: "NeverDecreases".into()
        }
    );
    let trace = r.trace.as_ref().unwrap();
    assert_eq!(trace.len(), 5, "{}", trace.to_text());
    assert_eq!(trace.states[4].vars[0].tla, "0");
    assert_eq!(r.outcome.exit_code(), 1);
    common::assert_tlc_agrees(&m);
    let export = lamport::export(&m).unwrap();
    assert!(export.tla.contains("[][x' >= x]_vars"), "{}", export.tla);
    assert!(export.tla.contains("(Grown)' >= Grown"), "{}", export.tla);
    assert!(
        export.cfg.contains("PROPERTY NeverDecreases"),
        "{}",
        export.cfg
    );
}

/// Reachability: a condition some reachable state must satisfy.
#[lamport::model(check_deadlock = false)]
mod reach {
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
    fn step(s: &mut State) {
        require!(s.x < 3);
        s.x += 1;
    }

    /// The counter reaches 3.
    #[reachable(name = "ReachesThree")]
    fn reaches_three(s: &State) -> bool {
        s.x == 3
    }

    /// The counter never reaches 4.
    #[reachable(name = "ReachesFour")]
    fn reaches_four(s: &State) -> bool {
        s.x == 4
    }
}

#[test]
fn an_unreachable_condition_is_reported_only_after_a_complete_search() {
    let m = reach::model(reach::Config {});
    let r = m.check_with(&one_thread());
    assert_eq!(
        r.outcome,
        Outcome::Unreachable {
            property: "ReachesFour".into()
        }
    );
    assert_eq!(r.outcome.exit_code(), 1);
    assert!(r.trace.is_none());
    assert_eq!((r.distinct_states, r.generated_states, r.depth), (4, 4, 4));
    // A bounded search decides nothing about reachability.
    let bounded = m.check_with(&CheckOptions {
        max_depth: Some(2),
        ..one_thread()
    });
    assert!(
        matches!(bounded.outcome, Outcome::Incomplete { .. }),
        "{:?}",
        bounded.outcome
    );
    // TLC does not check reachability; on everything it checks it agrees.
    common::assert_tlc_agrees(&m);
    assert!(lamport::export(&m)
        .unwrap()
        .tla
        .contains("ReachesFour == x = 4"));
}
