//! Temporal properties under fairness: `<>P`, `[]<>P` and `P ~> Q`, with weak and strong
//! fairness on whole actions and per parameter value. Every verdict is pinned here and, with
//! `TLA2TOOLS_JAR` set, compared with TLC's on the export (verdict, lasso, and the figures).

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{CheckOptions, LivenessStatus, Model, ModelExt, Outcome, Report};

fn check<M: Model>(model: &M) -> Report {
    model.check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    })
}

/// The verdict of each temporal property, in declaration order.
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

fn pairs(v: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    v.iter().map(|(p, s)| (p.to_string(), *s)).collect()
}

/// A counter that counts up to 3 and is reset to 0: a cycle of four states.
#[lamport::model(check_deadlock = false)]
mod ring {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub top: i64,
    }

    #[configs]
    impl Config {
        /// Both actions weakly fair.
        pub fn fair() -> Self {
            Config { top: 3 }
        }
        /// No fairness: a behaviour may stop anywhere.
        #[no_fairness]
        pub fn unfair() -> Self {
            Config { top: 3 }
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

    #[action(fair)]
    fn inc(s: &mut State, c: &Config) {
        require!(s.x < c.top);
        s.x += 1;
    }

    #[action(fair)]
    fn reset(s: &mut State, c: &Config) {
        require!(s.x == c.top);
        s.x = 0;
    }

    fn at_zero(s: &State) -> bool {
        s.x == 0
    }

    /// The counter eventually reaches the top.
    #[eventually]
    fn reaches_top(s: &State, c: &Config) -> bool {
        s.x == c.top
    }

    /// The counter is at zero infinitely often.
    #[always_eventually]
    fn back_to_zero(s: &State) -> bool {
        s.x == 0
    }

    /// Once at 1, the counter is later at 0 again.
    #[leads_to(at_zero)]
    fn one_leads_to_zero(s: &State) -> bool {
        s.x == 1
    }
}

/// As `ring`, but only counting up is fair: the reset may never happen.
#[lamport::model(check_deadlock = false)]
mod ring_lazy_reset {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action(fair)]
    fn inc(s: &mut State) {
        require!(s.x < 3);
        s.x += 1;
    }

    #[action]
    fn reset(s: &mut State) {
        require!(s.x == 3);
        s.x = 0;
    }

    /// The counter eventually reaches 3.
    #[eventually]
    fn reaches_top(s: &State) -> bool {
        s.x == 3
    }

    /// The counter is at zero infinitely often.
    #[always_eventually]
    fn back_to_zero(s: &State) -> bool {
        s.x == 0
    }
}

/// A flag that flips forever, and a `finish` that is enabled only while the flag is up: weak
/// fairness does not force `finish` (it is disabled infinitely often); strong fairness does.
#[lamport::model(check_deadlock = false)]
mod flicker {
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

    #[action(fair)]
    fn flip(s: &mut State) {
        s.up = !s.up;
    }

    #[action(fair)]
    fn finish_weak(s: &mut State) {
        require!(s.up && !s.done);
        s.done = true;
    }

    /// Eventually done.
    #[eventually]
    fn finishes(s: &State) -> bool {
        s.done
    }
}

/// `flicker` with `finish` strongly fair.
#[lamport::model(check_deadlock = false)]
mod flicker_strong {
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

    #[action(fair)]
    fn flip(s: &mut State) {
        s.up = !s.up;
    }

    #[action(strong_fair)]
    fn finish_strong(s: &mut State) {
        require!(s.up && !s.done);
        s.done = true;
    }

    /// Eventually done.
    #[eventually]
    fn finishes(s: &State) -> bool {
        s.done
    }
}

/// Workers `0..n`: worker 0 spins forever, the others each finish once. Fairness is per worker,
/// for the workers in `fair_workers`.
#[lamport::model(check_deadlock = false)]
mod workers {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub n: i64,
        pub fair_workers: Set<i64>,
    }

    #[configs]
    impl Config {
        /// Every worker is fair: each one that can finish does.
        pub fn all_fair() -> Self {
            Config {
                n: 3,
                fair_workers: [0, 1, 2].into_iter().collect(),
            }
        }
        /// Only the spinner is fair: the others may wait forever.
        pub fn spinner_fair() -> Self {
            Config {
                n: 3,
                fair_workers: [0].into_iter().collect(),
            }
        }
    }

    #[state]
    pub struct State {
        pub spin: bool,
        pub done: Set<i64>,
    }

    #[init]
    fn init() -> State {
        State {
            spin: false,
            done: Set::new(),
        }
    }

    #[action(w in 0..c.n, fair(w in c.fair_workers))]
    fn work(s: &mut State, c: &Config, w: i64) {
        if w == 0 {
            s.spin = !s.spin;
        } else {
            require!(!s.done.contains(&w));
            s.done.insert(w);
        }
    }

    /// Every worker other than the spinner eventually finishes.
    #[eventually(w in 1..c.n)]
    fn finished(s: &State, c: &Config, w: i64) -> bool {
        s.done.contains(&w)
    }
}

/// `workers` with one fairness condition for the action as a whole: the spinner alone
/// satisfies it, so the others may wait forever.
#[lamport::model(check_deadlock = false)]
mod workers_whole {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub spin: bool,
        pub done: Set<i64>,
    }

    #[init]
    fn init() -> State {
        State {
            spin: false,
            done: Set::new(),
        }
    }

    #[action(w in 0..3, fair)]
    fn work(s: &mut State, w: i64) {
        if w == 0 {
            s.spin = !s.spin;
        } else {
            require!(!s.done.contains(&w));
            s.done.insert(w);
        }
    }

    /// Every worker other than the spinner eventually finishes.
    #[eventually(w in 1..3)]
    fn finished(s: &State, w: i64) -> bool {
        s.done.contains(&w)
    }
}

#[test]
fn fair_ring_satisfies_all_three_forms() {
    let r = check(&ring::model(ring::Config::fair()));
    r.assert_ok().assert_counts(4, 5, 4);
    assert_eq!(
        verdicts(&r),
        pairs(&[
            ("ReachesTop", "holds"),
            ("BackToZero", "holds"),
            ("OneLeadsToZero", "holds")
        ])
    );
}

#[test]
fn without_fairness_the_ring_may_stop_at_once() {
    let r = check(&ring::definition().config("unfair").unwrap());
    assert_eq!(
        r.outcome,
        Outcome::LivenessViolated {
            property: "ReachesTop".into()
        }
    );
    assert_eq!(
        verdicts(&r),
        pairs(&[
            ("ReachesTop", "violated"),
            ("BackToZero", "violated"),
            ("OneLeadsToZero", "violated")
        ])
    );
    // The lasso: the initial state, stuttering forever. Same figures as the safety check.
    let t = r.trace.as_ref().unwrap();
    assert_eq!((t.len(), t.loop_start), (1, Some(0)));
    assert!(
        t.to_text().contains("State 2: Stuttering"),
        "{}",
        t.to_text()
    );
    assert_eq!((r.distinct_states, r.generated_states, r.depth), (4, 5, 4));
}

#[test]
fn an_unfair_reset_breaks_recurrence_but_not_progress() {
    let r = check(&ring_lazy_reset::model(ring_lazy_reset::Config::default()));
    assert_eq!(
        verdicts(&r),
        pairs(&[("ReachesTop", "holds"), ("BackToZero", "violated")])
    );
    // Stuck at 3: a prefix 0 → 1 → 2 → 3, then stuttering.
    let t = r.trace.as_ref().unwrap();
    assert_eq!((t.len(), t.loop_start), (4, Some(3)));
    let itf = t.to_itf("lasso");
    assert_eq!(itf["loop"], 3);
}

#[test]
fn weak_fairness_does_not_force_an_intermittently_enabled_action() {
    let r = check(&flicker::model(flicker::Config::default()));
    assert_eq!(verdicts(&r), pairs(&[("Finishes", "violated")]));
    // A real cycle: the flag flips up and down forever while `finish` is never taken.
    let t = r.trace.as_ref().unwrap();
    let k = t.loop_start.unwrap();
    assert!(
        k + 1 < t.len(),
        "expected a cycle, not stuttering:\n{}",
        t.to_text()
    );
    assert!(t.to_text().contains("Back to state"), "{}", t.to_text());
    assert!(t.states.iter().all(|s| s.vars[1].tla == "FALSE"));
}

#[test]
fn strong_fairness_does() {
    let r = check(&flicker_strong::model(flicker_strong::Config::default()));
    r.assert_ok();
    assert_eq!(verdicts(&r), pairs(&[("Finishes", "holds")]));
}

#[test]
fn fairness_per_parameter_value() {
    let r = check(&workers::definition().config("all_fair").unwrap());
    r.assert_ok();
    assert_eq!(
        verdicts(&r),
        pairs(&[("Finished [w = 1]", "holds"), ("Finished [w = 2]", "holds")])
    );
    let r = check(&workers::definition().config("spinner_fair").unwrap());
    assert_eq!(
        verdicts(&r),
        pairs(&[
            ("Finished [w = 1]", "violated"),
            ("Finished [w = 2]", "violated")
        ])
    );
    let r = check(&workers_whole::model(workers_whole::Config::default()));
    assert_eq!(
        verdicts(&r),
        pairs(&[
            ("Finished [w = 1]", "violated"),
            ("Finished [w = 2]", "violated")
        ])
    );
    // The spinner spins forever: a cycle, not stuttering (stopping would be unfair).
    let t = r.trace.as_ref().unwrap();
    assert!(t.loop_start.unwrap() + 1 < t.len(), "{}", t.to_text());
}

#[test]
fn the_export_states_fairness_and_properties() {
    let e = lamport::export(&workers::definition().config("spinner_fair").unwrap()).unwrap();
    assert!(
        e.tla.contains("\\A w \\in FairWorkers : WF_vars(Work(w))"),
        "{}",
        e.tla
    );
    assert!(e.tla.contains("FairSpec == Spec /\\ Fairness"), "{}", e.tla);
    assert!(e.cfg.contains("SPECIFICATION FairSpec"), "{}", e.cfg);
    assert!(e.cfg.contains("PROPERTY Finished"), "{}", e.cfg);
    let e = lamport::export(&ring::definition().config("unfair").unwrap()).unwrap();
    assert!(e.cfg.contains("SPECIFICATION Spec\n"), "{}", e.cfg);
    assert!(e.tla.contains("(x = 1) ~> AtZero"), "{}", e.tla);
    let e = lamport::export(&flicker_strong::model(flicker_strong::Config::default())).unwrap();
    assert!(e.tla.contains("SF_vars(FinishStrong)"), "{}", e.tla);
}

#[test]
fn tlc_agrees_on_every_verdict() {
    common::assert_tlc_agrees(&ring::definition().config("fair").unwrap());
    common::assert_tlc_agrees(&ring::definition().config("unfair").unwrap());
    common::assert_tlc_agrees(&ring_lazy_reset::model(ring_lazy_reset::Config::default()));
    common::assert_tlc_agrees(&flicker::model(flicker::Config::default()));
    common::assert_tlc_agrees(&flicker_strong::model(flicker_strong::Config::default()));
    common::assert_tlc_agrees(&workers::definition().config("all_fair").unwrap());
    common::assert_tlc_agrees(&workers::definition().config("spinner_fair").unwrap());
    common::assert_tlc_agrees(&workers_whole::model(workers_whole::Config::default()));
}

/// A counter bounded by a state constraint: states past the bound are not part of the behaviour
/// graph, but an action leading there is still enabled (TLC evaluates ENABLED on the state).
#[lamport::model(check_deadlock = false)]
mod bounded {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub bound: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { bound: 2 }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
        pub y: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0, y: 0 }
    }

    #[action(fair)]
    fn inc(s: &mut State) {
        require!(s.x < 5);
        s.x += 1;
    }

    #[action(fair)]
    fn wobble(s: &mut State) {
        s.y = 1 - s.y;
    }

    #[constraint]
    fn within_bound(s: &State, c: &Config) -> bool {
        s.x <= c.bound
    }

    /// The counter eventually passes the bound (it cannot, inside the model).
    #[eventually]
    fn passes_bound(s: &State, c: &Config) -> bool {
        s.x > c.bound
    }

    /// y is 1 infinitely often.
    #[always_eventually]
    fn y_recurs(s: &State) -> bool {
        s.y == 1
    }
}

#[test]
fn constraints_cut_the_graph_but_not_enabledness() {
    let r = check(&bounded::definition().config("small").unwrap());
    // At the bound, `inc` is enabled but its step leaves the model: staying there is unfair to
    // `inc` under weak fairness, so no fair behaviour stays at the bound; before it, `inc` is
    // taken. PassesBound is violated only if a fair behaviour avoids it: none exists inside.
    assert_eq!(
        verdicts(&r),
        pairs(&[("PassesBound", "holds"), ("YRecurs", "holds")])
    );
    common::assert_tlc_agrees(&bounded::definition().config("small").unwrap());
}
