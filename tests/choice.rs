//! Choice inside an action (`let x = choose!(S);`, `either! { {..} or {..} }`) and assertions
//! (`assert!(cond, "msg")`): each model is checked in-process with its figures pinned and, with
//! `TLA2TOOLS_JAR` set, by TLC on its export (`\E`/`\/` in place, `Assert`), which must agree on
//! the figures, the verdict and the step of a failure.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{ModelExt, Outcome};

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// PlusCal's `either` and `with` in one action, with guards after the choice and statements
/// after the `either` that read what each way changed.
#[lamport::model(check_deadlock = false)]
pub mod chooser {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub top: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { top: 4 }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
        pub y: i64,
        pub moves: i64,
    }

    #[init]
    fn init() -> State {
        State {
            x: 0,
            y: 0,
            moves: 0,
        }
    }

    #[action]
    fn step(s: &mut State, c: &Config) {
        require!(s.moves < 3);
        either! {
            {
                s.x += 1;
            }
            or {
                let d = choose!(1..=2);
                require!(s.x + d <= c.top);
                s.x += d;
            }
            or {
                // The same successor as the first way where y is already 1: counted twice.
                s.y = 1;
                s.x += 1;
            }
        }
        s.moves += 1;
        require!(s.x <= c.top);
    }

    #[action(v in 0..2)]
    fn toggle(s: &mut State, v: i64) {
        require!(s.moves < 3);
        if s.y == v {
            let z = choose!([0, 1, 1]);
            s.y = z;
        } else {
            s.x += 0;
        }
        s.moves += 1;
    }

    #[invariant]
    fn bounded(s: &State, c: &Config) -> bool {
        s.x <= c.top
    }
}

#[test]
fn either_and_choose_count_each_way_as_tlc_does() {
    let m = chooser::definition().config("small").unwrap();
    // TLC's figures on the export (compared below).
    m.check().assert_ok().assert_counts(25, 100, 4);
    if std::env::var("SHOW").is_ok() {
        println!("{}", common::parsed_export(&m).tla);
    }
    let tla = flat(&common::parsed_export(&m).tla);
    assert!(tla.contains("\\E d \\in 1 .. 2 :"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// An assertion in an action and one in a helper: a model error with the message, at the step
/// TLC reports it.
#[lamport::model(check_deadlock = false)]
pub mod asserted {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    fn next_value(x: i64) -> i64 {
        assert!(x < 5, "the helper is called below 5");
        x + 1
    }

    #[action]
    fn inc(s: &mut State) {
        s.x = next_value(s.x);
        assert!(s.x != 3, "x never reaches 3");
    }
}

#[test]
fn an_assertion_fails_at_the_step_tlc_reports() {
    let m = asserted::model(asserted::Config::default());
    let r = m.check();
    match &r.outcome {
        Outcome::ModelError { message } => {
            assert!(message.contains("x never reaches 3"), "{message}")
        }
        other => panic!("expected the assertion to fail, got {other:?}"),
    }
    let tla = common::parsed_export(&m).tla;
    assert!(tla.contains("Assert("), "{tla}");
    common::assert_tlc_agrees(&m);
}
