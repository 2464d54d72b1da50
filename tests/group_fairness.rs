//! Fairness on groups of actions (`fair!(a | b)`, per parameter value, `fair!(Next)`, strong):
//! every verdict pinned here and, with `TLA2TOOLS_JAR` set, compared with TLC's on the export
//! (verdicts, lassos and figures), which writes the same `WF_vars`/`SF_vars` of the disjunction.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{CheckOptions, LivenessStatus, Model, ModelExt, Report};

fn check<M: Model>(model: &M) -> Report {
    model.check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    })
}

fn verdicts(r: &Report) -> Vec<(String, &'static str)> {
    r.liveness
        .iter()
        .map(|l| {
            let v = match l.status {
                LivenessStatus::Holds => "holds",
                LivenessStatus::Violated => "violated",
                LivenessStatus::NotChecked(_) => "not checked",
            };
            (l.property.clone(), v)
        })
        .collect()
}

/// The text with every run of whitespace one space.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn pairs(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    v.iter().map(|(p, s)| (p.to_string(), *s)).collect()
}

/// Processes that go from 0 to 1, may go back, and finish at 2. Going and finishing are fair
/// together, per process: `\A p : WF_vars(Go(p) \/ Finish(p))`; going back is not fair.
#[lamport::model(check_deadlock = false)]
mod grouped {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub n: i64,
    }

    #[configs]
    impl Config {
        pub fn two() -> Self {
            Config { n: 2 }
        }
        #[no_fairness]
        pub fn unfair() -> Self {
            Config { n: 2 }
        }
    }

    #[state]
    pub struct State {
        pub pc: Map<i64, i64>,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            pc: (0..c.n).map(|p| (p, 0)).collect::<Map<_, _>>(),
        }
    }

    #[action(p in 0..c.n)]
    fn go(s: &mut State, c: &Config, p: i64) {
        require!(s.pc[&p] == 0);
        s.pc[&p] = 1;
    }

    #[action(p in 0..c.n)]
    fn back(s: &mut State, c: &Config, p: i64) {
        require!(s.pc[&p] == 1);
        s.pc[&p] = 0;
    }

    #[action(p in 0..c.n, q in 0..c.n)]
    fn finish(s: &mut State, c: &Config, p: i64, q: i64) {
        require!(s.pc[&p] == 1 && q <= p);
        s.pc[&p] = 2;
    }

    fair!(go(p) | finish(p, _));

    /// Every process leaves 0: its group is enabled until it does.
    #[eventually(p in 0..c.n)]
    fn leaves_zero(s: &State, c: &Config, p: i64) -> bool {
        s.pc[&p] != 0
    }

    /// Violated: going and going back forever takes the group infinitely often.
    #[eventually]
    fn all_done(s: &State, c: &Config) -> bool {
        (0..c.n).all(|p| s.pc[&p] == 2)
    }
}

#[test]
fn a_group_per_parameter_value_is_one_condition_per_value() {
    let m = grouped::definition().config("two").unwrap();
    let r = check(&m);
    assert_eq!(
        verdicts(&r),
        pairs(&[
            ("LeavesZero [p = 0]", "holds"),
            ("LeavesZero [p = 1]", "holds"),
            ("AllDone", "violated"),
        ])
    );
    let f = m.fairness();
    assert_eq!(f.len(), 2);
    assert_eq!(f[0].describe(m.meta()), "WF_vars(Go(0) \\/ Finish(0, _))");
    let tla = flat(&common::parsed_export(&m).tla);
    assert!(
        tla.contains(
            "\\A p \\in 0 .. N - 1 : WF_vars(\\/ Go(p) \\/ \\E q \\in 0 .. N - 1 : Finish(p, q))"
        ),
        "{tla}"
    );
    common::assert_tlc_agrees(&m);
    let unfair = grouped::definition().config("unfair").unwrap();
    assert_eq!(
        verdicts(&check(&unfair)),
        pairs(&[
            ("LeavesZero [p = 0]", "violated"),
            ("LeavesZero [p = 1]", "violated"),
            ("AllDone", "violated"),
        ])
    );
    common::assert_tlc_agrees(&unfair);
}

/// `WF_vars(Next)`: the system keeps taking steps, but which is not said.
#[lamport::model(check_deadlock = false)]
mod whole_next {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
        pub b: bool,
    }

    #[init]
    fn init() -> State {
        State { x: 0, b: false }
    }

    #[action]
    fn inc(s: &mut State) {
        require!(s.x < 3);
        s.x += 1;
    }

    #[action]
    fn wobble(s: &mut State) {
        s.b = !s.b;
    }

    fair!(Next);

    /// Holds: some step is taken forever, and every step of `wobble` flips `b`.
    #[always_eventually]
    fn b_again(s: &State) -> bool {
        s.b
    }

    /// Violated: wobbling forever is fair to `Next`.
    #[eventually]
    fn reaches_three(s: &State) -> bool {
        s.x == 3
    }
}

#[test]
fn fairness_on_the_next_state_relation() {
    let m = whole_next::model(whole_next::Config::default());
    assert_eq!(
        verdicts(&check(&m)),
        pairs(&[("BAgain", "holds"), ("ReachesThree", "violated")])
    );
    let tla = common::parsed_export(&m).tla;
    assert!(tla.contains("WF_vars(Next)"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// Strong fairness on a group enabled only now and then: `SF_vars(A \/ B)` forces it, where
/// weak fairness would not.
#[lamport::model(check_deadlock = false)]
mod strong_group {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub phase: i64,
        pub done: bool,
    }

    #[init]
    fn init() -> State {
        State {
            phase: 0,
            done: false,
        }
    }

    #[action(fair)]
    fn tick(s: &mut State) {
        s.phase = (s.phase + 1) % 3;
    }

    #[action]
    fn a(s: &mut State) {
        require!(s.phase == 1 && !s.done);
        s.done = true;
    }

    #[action]
    fn b(s: &mut State) {
        require!(s.phase == 2 && !s.done);
        s.done = true;
    }

    strong_fair!(a | b);
    fair!(a | b);

    #[eventually]
    fn finished(s: &State) -> bool {
        s.done
    }
}

#[test]
fn strong_fairness_on_a_group() {
    let m = strong_group::model(strong_group::Config::default());
    assert_eq!(verdicts(&check(&m)), pairs(&[("Finished", "holds")]));
    let tla = flat(&common::parsed_export(&m).tla);
    assert!(tla.contains("SF_vars(\\/ A \\/ B)"), "{tla}");
    common::assert_tlc_agrees(&m);
}
