//! `require_witnesses!`: a guard counted as TLC counts a conjunct, one successor per way it
//! holds. Each model here is checked in-process and, with `TLA2TOOLS_JAR` set, against TLC on its
//! export.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::prelude::*;
use lamport::CheckOptions;

/// `/\ x = 0 /\ \A i \in S : i = 1 \/ \E j \in T : j > 0 /\ x' = 1` with S = {1,2}, T = {1,2,3}:
/// TLC generates 1 + 4 * 3 = 13 states (i = 1 holds four ways, i = 2 three).
#[lamport::model(check_deadlock = false)]
mod product_of_sums {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub s: Set<i64>,
        pub t: Set<i64>,
        pub witnesses: bool,
    }

    #[configs]
    impl Config {
        pub fn witnesses() -> Self {
            Config {
                s: Set::from([1, 2]),
                t: Set::from([1, 2, 3]),
                witnesses: true,
            }
        }
        pub fn single() -> Self {
            Config {
                witnesses: false,
                ..Config::witnesses()
            }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn step_witnessed(s: &mut State, c: &Config) {
        require!(c.witnesses);
        require!(s.x == 0);
        require_witnesses!(c.s.iter().all(|i| i == 1 || c.t.iter().any(|j| j > 0)));
        s.x = 1;
    }

    #[action]
    fn step_single(s: &mut State, c: &Config) {
        require!(!c.witnesses);
        require!(s.x == 0);
        require!(c.s.iter().all(|i| i == 1 || c.t.iter().any(|j| j > 0)));
        s.x = 1;
    }
}

/// Witnesses in branches, under filters, with negations and a helper, after an assignment.
#[lamport::model(check_deadlock = false)]
mod mixed {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub vals: Set<i64>,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config {
                vals: Set::from([0, 1, 2, 3]),
            }
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

    fn big(v: i64) -> bool {
        v > 1 || v == 0
    }

    // `!(w == 3)` on purpose: a negation is one way or none, whatever is inside.
    #[allow(clippy::nonminimal_bool)]
    #[action(v in c.vals)]
    fn visit(s: &mut State, c: &Config, v: i64) {
        require!(!s.seen.contains(&v));
        s.seen.insert(v);
        if v % 2 == 0 {
            require_witnesses!(c
                .vals
                .iter()
                .filter(|w| *w > v)
                .any(|w| !(w == 3) || big(w)));
            s.x += 1;
        } else {
            require_witnesses!(s.x == 0 || c.vals.iter().all(|w| w < 4 && (w != v || s.x > 0)));
        }
    }
}

fn one_thread() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    }
}

#[test]
fn witnesses_multiply_successors_as_tlc_does() {
    let def = product_of_sums::definition();
    let w = def.config("witnesses").unwrap();
    w.check_with(&one_thread())
        .assert_ok()
        .assert_counts(2, 13, 2);
    common::assert_tlc_agrees(&w);
    let single = def.config("single").unwrap();
    single
        .check_with(&one_thread())
        .assert_ok()
        .assert_counts(2, 2, 2);
    common::assert_tlc_agrees(&single);
}

#[test]
fn witnesses_in_branches_and_filters_agree_with_tlc() {
    let m = mixed::definition().config("small").unwrap();
    let r = m.check_with(&one_thread());
    r.assert_ok();
    assert!(r.generated_states > r.distinct_states);
    common::assert_tlc_agrees(&m);
}
