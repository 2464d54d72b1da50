//! Refinement of an abstract model that has fairness (`PROPERTY A!FairSpec`): every fair
//! behaviour of the concrete model must map to a behaviour satisfying the abstract model's
//! fairness conditions, decided in-process by the fair-SCC search and, when `TLA2TOOLS_JAR` is
//! set, by TLC on the export (the verdicts agree; the lassos need not be the same).

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{CheckOptions, LivenessStatus, Model, ModelExt, Outcome, Report};

/// Consensus with liveness: a value is eventually chosen (`WF_vars(Choose)`).
#[lamport::model(check_deadlock = false)]
pub mod eventual_choice {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub chosen: Set<Value>,
    }

    #[init]
    fn init() -> State {
        State { chosen: Set::new() }
    }

    /// While nothing is chosen, some value is; fair as a whole.
    #[action(name = "Choose", v in c.value, fair)]
    fn choose(s: &mut State, c: &Config, v: Value) {
        require!(s.chosen.is_empty());
        s.chosen = Set::singleton(v);
    }
}

/// The same with fairness per value: `\A v \in Value : WF_vars(Choose(v))`.
#[lamport::model(check_deadlock = false)]
pub mod choice_per_value {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub chosen: Set<Value>,
    }

    #[init]
    fn init() -> State {
        State { chosen: Set::new() }
    }

    #[action(name = "Choose", v in c.value, fair(v))]
    fn choose(s: &mut State, c: &Config, v: Value) {
        require!(s.chosen.is_empty());
        s.chosen = Set::singleton(v);
    }
}

/// A value is proposed, then decided; what is chosen is the proposal once decided. Fair, it
/// refines both (the decision comes); under `#[no_fairness]` it may stay undecided forever.
#[lamport::model(check_deadlock = false)]
#[refines(crate::eventual_choice, chosen = decided)]
#[refines(crate::choice_per_value, chosen = decided, instance = "P")]
pub mod propose_decide {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }

        /// No fairness: the behaviour that never proposes is one of it.
        #[no_fairness]
        pub fn three_unfair() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub proposal: Set<Value>,
        pub done: bool,
    }

    /// The refinement mapping: the proposal once decided.
    fn decided(s: &State) -> Set<Value> {
        if s.done {
            s.proposal.clone()
        } else {
            Set::new()
        }
    }

    #[init]
    fn init() -> State {
        State {
            proposal: Set::new(),
            done: false,
        }
    }

    #[action(name = "Propose", v in c.value, fair)]
    fn propose(s: &mut State, c: &Config, v: Value) {
        require!(s.proposal.is_empty());
        s.proposal = Set::singleton(v);
    }

    #[action(name = "Decide", fair)]
    fn decide(s: &mut State) {
        require!(!s.proposal.is_empty() && !s.done);
        s.done = true;
    }
}

/// The mutation: deciding is not fair, so a behaviour may propose and then stutter forever,
/// while Consensus's `Choose` stays enabled.
#[lamport::model(check_deadlock = false)]
#[refines(crate::eventual_choice, chosen = decided)]
pub mod lazy_decide {
    use lamport::prelude::*;

    model_values!(Value = "v");

    #[constants]
    pub struct Config {
        pub value: Set<Value>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                value: Value::values(3),
            }
        }
    }

    #[state]
    pub struct State {
        pub proposal: Set<Value>,
        pub done: bool,
    }

    fn decided(s: &State) -> Set<Value> {
        if s.done {
            s.proposal.clone()
        } else {
            Set::new()
        }
    }

    #[init]
    fn init() -> State {
        State {
            proposal: Set::new(),
            done: false,
        }
    }

    #[action(name = "Propose", v in c.value, fair)]
    fn propose(s: &mut State, c: &Config, v: Value) {
        require!(s.proposal.is_empty());
        s.proposal = Set::singleton(v);
    }

    /// Not fair: the bug.
    #[action(name = "Decide")]
    fn decide(s: &mut State) {
        require!(!s.proposal.is_empty() && !s.done);
        s.done = true;
    }
}

/// A switch that flips forever and may finish while up: finishing is strongly fair, so it
/// happens even though flipping keeps disabling it.
#[lamport::model(check_deadlock = false)]
pub mod flicker {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub up: bool,
        pub done: bool,
    }

    #[init]
    fn init() -> State {
        State {
            up: false,
            done: false,
        }
    }

    #[action(name = "Flip", fair)]
    fn flip(s: &mut State) {
        s.up = !s.up;
    }

    #[action(name = "Finish", strong_fair)]
    fn finish(s: &mut State) {
        require!(s.up && !s.done);
        s.done = true;
    }
}

/// The switch with `finish` strongly fair too: it refines `flicker`.
#[lamport::model(check_deadlock = false)]
#[refines(crate::flicker)]
pub mod strong_switch {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub up: bool,
        pub done: bool,
    }

    #[init]
    fn init() -> State {
        State {
            up: false,
            done: false,
        }
    }

    #[action(name = "Flip", fair)]
    fn flip(s: &mut State) {
        s.up = !s.up;
    }

    #[action(name = "Finish", strong_fair)]
    fn finish(s: &mut State) {
        require!(s.up && !s.done);
        s.done = true;
    }
}

/// The mutation: `finish` only weakly fair. Flipping forever never leaves it enabled for good,
/// so a fair behaviour of this model never finishes, which `SF_vars(Finish)` of `flicker` rules
/// out.
#[lamport::model(check_deadlock = false)]
#[refines(crate::flicker)]
pub mod weak_switch {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub up: bool,
        pub done: bool,
    }

    #[init]
    fn init() -> State {
        State {
            up: false,
            done: false,
        }
    }

    #[action(name = "Flip", fair)]
    fn flip(s: &mut State) {
        s.up = !s.up;
    }

    #[action(name = "Finish", fair)]
    fn finish(s: &mut State) {
        require!(s.up && !s.done);
        s.done = true;
    }
}

fn check(model: &impl Model) -> Report {
    model.check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    })
}

/// The verdicts of the abstract fairness conditions, by name.
fn fairness_verdicts(report: &Report) -> Vec<(String, bool)> {
    report
        .liveness
        .iter()
        .map(|r| {
            let holds = match &r.status {
                LivenessStatus::Holds => true,
                LivenessStatus::Violated => false,
                other => panic!("{} not decided: {other:?}", r.property),
            };
            (r.property.clone(), holds)
        })
        .collect()
}

#[test]
fn fair_propose_decide_refines_eventual_choice_and_tlc_agrees() {
    let model = propose_decide::definition().config("three").unwrap();
    let report = check(&model);
    assert_eq!(report.outcome, Outcome::Ok, "{}", report.to_text());
    assert_eq!(
        fairness_verdicts(&report),
        vec![
            (
                "RefinesEventualChoice [E!WF_vars(Choose(_))]".to_string(),
                true
            ),
            (
                "RefinesChoicePerValue [P!WF_vars(Choose(v1))]".to_string(),
                true
            ),
            (
                "RefinesChoicePerValue [P!WF_vars(Choose(v2))]".to_string(),
                true
            ),
            (
                "RefinesChoicePerValue [P!WF_vars(Choose(v3))]".to_string(),
                true
            ),
        ]
    );
    common::assert_tlc_agrees(&model);
}

#[test]
fn unfair_propose_decide_refines_eventual_choice_is_violated_by_stuttering_and_tlc_agrees() {
    let model = propose_decide::definition().config("three_unfair").unwrap();
    let report = check(&model);
    let Outcome::LivenessViolated { property } = &report.outcome else {
        panic!("expected a fairness violation:\n{}", report.to_text());
    };
    assert_eq!(property, "RefinesEventualChoice [E!WF_vars(Choose(_))]");
    // Choose is enabled in the initial state, which may stutter forever.
    let trace = report.trace.as_ref().unwrap();
    assert_eq!(trace.len(), 1, "{}", report.to_text());
    assert_eq!(trace.loop_start, Some(0));
    // Every per-value condition fails too: nothing is ever chosen.
    assert!(fairness_verdicts(&report).iter().all(|(_, holds)| !holds));
    common::assert_tlc_agrees(&model);
}

#[test]
fn lazy_decide_refines_eventual_choice_is_violated_and_tlc_agrees() {
    let model = lazy_decide::model(lazy_decide::Config::three());
    let report = check(&model);
    assert_eq!(
        report.outcome,
        Outcome::LivenessViolated {
            property: "RefinesEventualChoice [E!WF_vars(Choose(_))]".to_string()
        },
        "{}",
        report.to_text()
    );
    // A proposal is made (Propose is fair), then the behaviour stutters undecided.
    let trace = report.trace.as_ref().unwrap();
    assert_eq!(trace.len(), 2, "{}", report.to_text());
    assert_eq!(trace.loop_start, Some(1));
    // The abstract state stays beside each state: nothing chosen.
    assert_eq!(
        trace.abstract_states,
        vec![vec![("E!chosen".to_string(), "{}".to_string())]; 2]
    );
    common::assert_tlc_agrees(&model);
}

/// `--safety-only` on a refinement: the mapping of states and steps is still checked (a
/// safety property), the abstract fairness is not, in-process or in the export, whose property
/// becomes the abstract `Spec`; TLC agrees on the figures of the safety-only export.
#[test]
fn safety_only_checks_lazy_decide_against_the_abstract_spec_on_both_sides() {
    let model = lazy_decide::model(lazy_decide::Config::three());
    let report = model.check_with(&CheckOptions {
        threads: 1,
        safety_only: true,
        ..CheckOptions::default()
    });
    assert_eq!(report.outcome, Outcome::Ok, "{}", report.to_text());
    assert_eq!(report.liveness.len(), 1);
    assert!(
        matches!(&report.liveness[0].status, LivenessStatus::NotChecked(why) if why.contains("safety only")),
        "{:?}",
        report.liveness
    );
    let full = lamport::export(&model).expect("export");
    assert!(
        full.tla.contains("RefinesEventualChoice == E!FairSpec\n"),
        "{}",
        full.tla
    );
    let safety = full.safety_only(&model.ir().expect("IR"));
    assert!(
        safety.tla.contains("RefinesEventualChoice == E!Spec\n"),
        "{}",
        safety.tla
    );
    assert!(!safety.tla.contains("E!FairSpec"), "{}", safety.tla);
    assert!(
        safety.cfg.contains("PROPERTY RefinesEventualChoice\n"),
        "{}",
        safety.cfg
    );

    if let Some(result) = common::assert_tlc_agrees_on(&report, &safety, "lazy_decide, safety only")
    {
        assert_eq!(
            result.outcome,
            lamport::tla::tlc::TlcOutcome::Ok,
            "{}",
            result.raw
        );
    }
}

#[test]
fn strong_switch_refines_flicker_and_tlc_agrees() {
    let model = strong_switch::model(strong_switch::Config::default());
    let report = check(&model);
    assert_eq!(report.outcome, Outcome::Ok, "{}", report.to_text());
    assert_eq!(
        fairness_verdicts(&report),
        vec![
            ("RefinesFlicker [F!WF_vars(Flip)]".to_string(), true),
            ("RefinesFlicker [F!SF_vars(Finish)]".to_string(), true),
        ]
    );
    common::assert_tlc_agrees(&model);
}

#[test]
fn weak_switch_refines_flicker_violates_its_strong_fairness_and_tlc_agrees() {
    let model = weak_switch::model(weak_switch::Config::default());
    let report = check(&model);
    assert_eq!(
        report.outcome,
        Outcome::LivenessViolated {
            property: "RefinesFlicker [F!SF_vars(Finish)]".to_string()
        },
        "{}",
        report.to_text()
    );
    // The lasso flips up and down forever: Finish is enabled on it infinitely often.
    let trace = report.trace.as_ref().unwrap();
    assert!(trace.loop_start.unwrap() + 1 < trace.len());
    assert_eq!(
        fairness_verdicts(&report),
        vec![
            ("RefinesFlicker [F!WF_vars(Flip)]".to_string(), true),
            ("RefinesFlicker [F!SF_vars(Finish)]".to_string(), false),
        ]
    );
    common::assert_tlc_agrees(&model);
}

/// A job runner whose phase is a `#[derive(Value)]` enum with a record variant.
#[lamport::model(check_deadlock = false)]
pub mod runner {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Phase {
        Idle,
        Busy { job: i64 },
    }

    #[derive(Value)]
    pub struct Stats {
        pub runs: i64,
        pub last: Phase,
    }

    #[constants]
    pub struct Config {
        pub jobs: i64,
    }

    #[configs]
    impl Config {
        pub fn two() -> Self {
            Config { jobs: 2 }
        }
    }

    #[state]
    pub struct State {
        pub phase: Phase,
    }

    #[init]
    fn init() -> State {
        State { phase: Phase::Idle }
    }

    #[action(name = "Start", j in 1..=c.jobs)]
    fn start(s: &mut State, c: &Config, j: i64) {
        require!(s.phase == Phase::Idle);
        s.phase = Phase::Busy { job: j };
    }

    #[action(name = "Stop")]
    fn stop(s: &mut State) {
        require!(s.phase != Phase::Idle);
        s.phase = Phase::Idle;
    }
}

/// The same runner written with its own types (the models share no Rust types): it refines
/// `runner`, each phase crossing through its TLA+ rendering.
#[lamport::model(check_deadlock = false)]
#[refines(crate::runner, phase = state)]
pub mod own_runner {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Phase {
        Idle,
        Busy { job: i64 },
    }

    #[constants]
    pub struct Config {
        pub jobs: i64,
    }

    #[configs]
    impl Config {
        pub fn two() -> Self {
            Config { jobs: 2 }
        }
    }

    #[state]
    pub struct State {
        pub state: Phase,
    }

    #[init]
    fn init() -> State {
        State { state: Phase::Idle }
    }

    #[action(name = "Start", j in 1..=c.jobs)]
    fn start(s: &mut State, c: &Config, j: i64) {
        require!(s.state == Phase::Idle);
        s.state = Phase::Busy { job: j };
    }

    #[action(name = "Stop")]
    fn stop(s: &mut State) {
        require!(s.state != Phase::Idle);
        s.state = Phase::Idle;
    }
}

#[test]
fn derived_values_read_back_from_their_rendering() {
    use lamport::{TlaValue, Value};
    use runner::{Phase, Stats};
    let back = |x: &Stats| Stats::from_tla(&TlaValue::parse(&x.tla()).unwrap());
    for last in [Phase::Idle, Phase::Busy { job: 3 }] {
        let x = Stats { runs: 2, last };
        assert_eq!(back(&x), Some(x));
    }
    // Not a value of the type: a missing field, an unknown tag.
    let wrong = TlaValue::parse("[runs |-> 2]").unwrap();
    assert_eq!(Stats::from_tla(&wrong), None);
    let wrong = TlaValue::parse("[type |-> \"done\", job |-> 1]").unwrap();
    assert_eq!(Phase::from_tla(&wrong), None);
}

#[test]
fn own_runner_refines_runner_through_derived_values_and_tlc_agrees() {
    let model = own_runner::model(own_runner::Config::two());
    let report = check(&model);
    assert_eq!(report.outcome, Outcome::Ok, "{}", report.to_text());
    assert_eq!(report.distinct_states, 3);
    common::assert_tlc_agrees(&model);
}
