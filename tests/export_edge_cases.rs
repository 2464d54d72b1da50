//! Ordinary model code that once exported TLA+ which SANY rejected or TLC counted differently.
//! Each model here is checked in-process and, on its export, by TLC (the figures, the verdict,
//! and at a fault the step it happens at, must agree); each export must parse, and the renames
//! and structure that make it right are asserted on the text.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{Model, ModelExt, Outcome};

fn export_of<M: Model>(model: &M) -> String {
    common::parsed_export(model).tla
}

/// An init parameter named like the variable it sets.
#[lamport::model(check_deadlock = false)]
pub mod init_parameter_named_like_its_variable {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init(x in 0..3)]
    fn init(x: i64) -> State {
        State { x }
    }

    #[action]
    fn step(s: &mut State) {
        s.x = (s.x + 1) % 4;
    }
}

#[test]
fn an_init_parameter_named_like_its_variable_is_renamed() {
    let m = init_parameter_named_like_its_variable::model(
        init_parameter_named_like_its_variable::Config::default(),
    );
    m.check().assert_ok().assert_counts(4, 7, 2);
    let tla = export_of(&m);
    assert!(tla.contains("x = x_1") && !tla.contains("x_2"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// Helpers and actions named like operators of the standard modules and like the definitions
/// the export generates, and a state variable named like TypeOK's bound variable.
#[lamport::model(check_deadlock = false)]
pub mod names_that_clash {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub len: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { len: 2 }
        }
    }

    #[state]
    pub struct State {
        pub q: Seq<i64>,
        pub k: i64,
        pub m: Map<i64, bool>,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            q: Seq::new(),
            k: 0,
            m: (0..c.len).map(|i| (i, false)).collect::<Map<_, _>>(),
        }
    }

    /// Named like `Sequences`' `Tail`.
    fn tail(q: &Seq<i64>) -> Seq<i64> {
        q.subseq(1, q.len())
    }

    /// Named like `Sequences`' `Head`.
    fn head(q: &Seq<i64>) -> i64 {
        q[0]
    }

    /// Named like `Sequences`' `Len`, with a parameter named like the constant.
    fn len(len: &Seq<i64>) -> usize {
        len.len()
    }

    /// Named like `Sequences`' `Append`.
    fn append(q: &Seq<i64>, x: i64) -> Seq<i64> {
        q.concat(&Seq::from([x]))
    }

    /// An action named like the generated `Next`.
    #[action(x in 0..2)]
    fn next(s: &mut State, c: &Config, x: i64) {
        require!((len(&s.q) as i64) < c.len);
        s.q = append(&s.q, x);
    }

    /// An action renamed to the generated `Spec`.
    #[action(name = "Spec")]
    fn pop(s: &mut State) {
        require!(!s.q.is_empty());
        s.k = head(&s.q);
        s.q = tail(&s.q);
    }

    #[action(i in 0..c.len)]
    fn flip(s: &mut State, c: &Config, i: i64) {
        s.m[i] = !s.m[i];
    }

    #[invariant]
    fn bounded(s: &State, c: &Config) -> bool {
        (len(&s.q) as i64) <= c.len
    }
}

#[test]
fn names_that_clash_with_tla_are_renamed_deterministically() {
    let m = names_that_clash::model(names_that_clash::Config::small());
    let report = m.check();
    report.assert_ok();
    let tla = export_of(&m);
    for renamed in [
        "Tail_1(",
        "Head_1(",
        "Len_2(",
        "Append_1(",
        "Next_1(x)",
        "Spec_1 ==",
    ] {
        assert!(tla.contains(renamed), "{renamed} missing in\n{tla}");
    }
    assert!(
        tla.contains("because `Tail` is an operator of the standard module Sequences"),
        "{tla}"
    );
    // TypeOK's bound variables stay clear of the state variable `k`.
    assert!(!tla.contains("\\A k \\in"), "{tla}");
    // The constant `len` is renamed first (constants are named before helpers).
    assert!(tla.contains("CONSTANT Len_1"), "{tla}");
    // The trace mapping uses the new names.
    assert!(m.meta().actions.iter().any(|a| a.tla == "Next_1"));
    common::assert_tlc_agrees(&m);
}

/// Recursive helpers, alone and mutually recursive, and a helper whose callee has a local
/// named like the caller (definitions are ordered by the real call graph).
#[lamport::model(check_deadlock = false)]
pub mod recursion_and_order {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub n: i64,
        pub votes: Set<i64>,
    }

    #[init]
    fn init() -> State {
        State {
            n: 0,
            votes: Set::new(),
        }
    }

    /// `has_votes` calls `votes`, which has a local named `has_votes`.
    fn has_votes(s: &State) -> bool {
        votes(s) > 0
    }

    fn votes(s: &State) -> usize {
        let has_votes = s.votes.len();
        has_votes + 0
    }

    fn fact(n: i64) -> i64 {
        if n <= 1 {
            1
        } else {
            n * fact(n - 1)
        }
    }

    fn is_even(n: i64) -> bool {
        if n == 0 {
            true
        } else {
            is_odd(n - 1)
        }
    }

    fn is_odd(n: i64) -> bool {
        if n == 0 {
            false
        } else {
            is_even(n - 1)
        }
    }

    #[action]
    fn count(s: &mut State) {
        require!(s.n < 4);
        s.n += 1;
    }

    #[action]
    fn vote(s: &mut State) {
        require!(is_even(s.n));
        s.votes.insert(fact(s.n));
    }

    #[invariant]
    fn votes_are_factorials(s: &State) -> bool {
        !has_votes(s) || s.votes.iter().all(|v| v == 1 || v == 2 || v == 24)
    }
}

#[test]
fn recursive_helpers_are_declared_recursive_and_definitions_follow_the_call_graph() {
    let m = recursion_and_order::model(recursion_and_order::Config::default());
    m.check().assert_ok();
    let tla = export_of(&m);
    assert!(tla.contains("RECURSIVE Fact(_)"), "{tla}");
    assert!(tla.contains("RECURSIVE IsEven(_), IsOdd(_)"), "{tla}");
    let pos = |s: &str| {
        tla.find(s)
            .unwrap_or_else(|| panic!("{s} missing in\n{tla}"))
    };
    assert!(pos("\nVotes ==") < pos("\nHasVotes =="), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// A parameter domain written as a list whose values may repeat: a set, as in TLA+.
#[lamport::model(check_deadlock = false)]
pub mod list_domain {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub a: i64,
        pub b: i64,
    }

    #[init]
    fn init() -> State {
        State { a: 0, b: 0 }
    }

    #[action(v in [s.a, s.b])]
    fn take(s: &mut State, v: i64) {
        s.a = (v + 1) % 3;
    }

    #[action]
    fn bump(s: &mut State) {
        s.b = (s.b + 1) % 3;
    }
}

#[test]
fn a_list_domain_counts_each_value_once() {
    let m = list_domain::model(list_domain::Config::default());
    common::assert_tlc_agrees(&m);
    // From (0, 0) `take` has one successor (v = 0 once, as TLC draws it from {0, 0}).
    m.check().assert_ok().assert_counts(9, 25, 4);
}

/// `s.m[k] += v` with `k` outside the map's domain: a model error in lamport, and an `Assert`
/// in the export (TLC would not evaluate `m[k]` inside `[m EXCEPT ![k] = @ + v]` for such a
/// key, and the `EXCEPT` would change nothing).
#[lamport::model(check_deadlock = false)]
pub mod compound_assignment_outside_the_domain {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub m: Map<i64, i64>,
        pub k: i64,
    }

    #[init]
    fn init() -> State {
        State {
            m: (0i64..2).map(|i| (i, 0)).collect(),
            k: 0,
        }
    }

    #[action]
    fn bump(s: &mut State) {
        require!(s.m[&0] < 2);
        s.m[s.k - 1] += 1;
    }

    #[action]
    fn move_key(s: &mut State) {
        require!(s.k == 0);
        s.k = 2;
    }
}

#[test]
fn a_compound_assignment_outside_the_domain_fails_on_both_sides() {
    let m = compound_assignment_outside_the_domain::model(
        compound_assignment_outside_the_domain::Config::default(),
    );
    let export = lamport::export(&m).unwrap();
    assert!(
        export.tla.contains("Assert(k - 1 \\in DOMAIN m, "),
        "{}",
        export.tla
    );
    let r = m.check();
    assert!(
        matches!(&r.outcome, lamport::Outcome::ModelError { message } if message.contains("not in")),
        "{}",
        r.to_text()
    );
    common::assert_tlc_agrees(&m);
}

/// Initial states violating different invariants: lamport generates them in the domain's order
/// (`working` before `on`), TLC enumerates the exported set of strings in its own order (the
/// order it first met them: `"on"` in the helper `IsOn`, before `"working"`), so each reports
/// another invariant, both with a one-state counterexample.
#[lamport::model(check_deadlock = false)]
pub mod initial_states_in_another_order {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Mode {
        Committed,
        Working,
        On,
    }

    #[state]
    pub struct State {
        pub flag: Mode,
    }

    fn is_on(s: &State) -> bool {
        s.flag == Mode::On
    }

    #[init(start in [Mode::Committed, Mode::Working, Mode::On])]
    fn init(start: Mode) -> State {
        State { flag: start }
    }

    #[action]
    fn stay(s: &mut State) {
        require!(s.flag == Mode::Committed);
    }

    #[invariant]
    fn not_working(s: &State) -> bool {
        s.flag != Mode::Working
    }

    #[invariant]
    fn not_on(s: &State) -> bool {
        !is_on(s)
    }
}

#[test]
fn another_invariant_violated_by_another_initial_state_agrees() {
    let m =
        initial_states_in_another_order::model(initial_states_in_another_order::Config::default());
    let r = m.check();
    assert_eq!(
        r.outcome,
        lamport::Outcome::InvariantViolated {
            invariant: "NotWorking".into()
        },
        "{}",
        r.to_text()
    );
    assert_eq!(r.trace.as_ref().map(|t| t.len()), Some(1));
    assert_eq!(r.initial_invariant_violations, ["NotWorking", "NotOn"]);
    let export = lamport::export(&m).unwrap();
    if let Some(tlc) = common::assert_tlc_agrees_on(&r, &export, "initial states in another order")
    {
        // The case this test is about: TLC met `"on"` first.
        assert_eq!(
            tlc.outcome,
            lamport::tla::tlc::TlcOutcome::InvariantViolated {
                invariant: "NotOn".into()
            },
            "{}",
            tlc.raw
        );
    }
}

/// Values Rust computes that no new value depends on: an assignment overwritten later and an
/// `if` whose branches leave the same values. A fault in them is lamport's, so the export keeps
/// them (`Evaluated(..)`) for TLC to fail too.
#[lamport::model(check_deadlock = false)]
pub mod dropped_values_that_fail {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub overwrite: bool,
    }

    #[configs]
    impl Config {
        pub fn overwrite() -> Self {
            Config { overwrite: true }
        }
        pub fn same_branches() -> Self {
            Config { overwrite: false }
        }
    }

    #[state]
    pub struct State {
        pub x: i32,
        pub seen: Set<i64>,
        pub v: i64,
    }

    #[init]
    fn init() -> State {
        State {
            x: 1,
            seen: Set::from([0]),
            v: 0,
        }
    }

    #[action]
    fn grow(s: &mut State) {
        require!(s.x > -1);
        s.x -= 1;
        s.seen.insert(1);
    }

    #[action]
    fn overwrite(s: &mut State, c: &Config) {
        require!(c.overwrite);
        s.v = s.seen.the();
        s.v = 0;
    }

    #[action]
    fn same_branches(s: &mut State, c: &Config) {
        require!(!c.overwrite);
        s.v = 0;
        if s.x / 2 > 0 {
            s.v = 0;
        }
    }
}

/// `m` fails in-process; its export keeps the failing value (`Evaluated(..)`) and TLC agrees:
/// an error at the same step.
fn fails_on_both_sides<M: lamport::Model>(what: &str, m: &M) {
    let export = lamport::export(m).unwrap();
    assert!(export.tla.contains("Evaluated("), "{what}:\n{}", export.tla);
    let r = m.check();
    assert!(
        matches!(r.outcome, lamport::Outcome::ModelError { .. }),
        "{what}: {}",
        r.to_text()
    );
    common::assert_tlc_agrees(m);
}

#[test]
fn a_dropped_value_that_fails_fails_on_both_sides() {
    for config in ["overwrite", "same_branches"] {
        let m = dropped_values_that_fail::definition()
            .config(config)
            .unwrap();
        fails_on_both_sides(config, &m);
    }
}

/// A helper argument that fails where the helper does not read it: Rust evaluates arguments
/// before the call, TLA+ substitutes them into the operator's body, so the export evaluates
/// such an argument first (`Evaluated(..)`), in an action and in an invariant.
#[lamport::model(check_deadlock = false)]
pub mod arguments_evaluated_before_the_call {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub in_invariant: bool,
    }

    #[configs]
    impl Config {
        pub fn in_action() -> Self {
            Config {
                in_invariant: false,
            }
        }
        pub fn in_invariant() -> Self {
            Config { in_invariant: true }
        }
    }

    #[state]
    pub struct State {
        pub xs: Set<i64>,
        pub n: i64,
    }

    /// Reads `least` only when `n` is large.
    fn small_or_least(n: i64, least: i64) -> bool {
        n < 2 || least > 0
    }

    #[init]
    fn init() -> State {
        State {
            xs: Set::from([1]),
            n: 0,
        }
    }

    #[action]
    fn drain(s: &mut State) {
        require!(!s.xs.is_empty());
        s.xs = Set::new();
    }

    #[action]
    fn count(s: &mut State, c: &Config) {
        require!(!c.in_invariant && s.n < 1);
        if small_or_least(s.n, s.xs.iter().min().unwrap()) {
            s.n += 1;
        }
    }

    #[invariant]
    fn fine(s: &State, c: &Config) -> bool {
        !c.in_invariant || small_or_least(s.n, s.xs.iter().min().unwrap())
    }
}

#[test]
fn a_helper_argument_that_fails_fails_on_both_sides() {
    for config in ["in_action", "in_invariant"] {
        let m = arguments_evaluated_before_the_call::definition()
            .config(config)
            .unwrap();
        fails_on_both_sides(config, &m);
    }
}

/// `.sum()` over a set and over mapped elements, and a helper reading the state after the
/// action changed it.
#[lamport::model(check_deadlock = false)]
pub mod sums_and_stale_reads {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub s: Set<i64>,
        pub total: i64,
    }

    #[init]
    fn init() -> State {
        State {
            s: Set::new(),
            total: 0,
        }
    }

    fn weight(st: &State) -> i64 {
        st.s.iter().sum::<i64>()
    }

    #[action(x in 1..4)]
    fn add(st: &mut State, x: i64) {
        st.s.insert(x);
        // Reads the state after the insert: the export uses the helper's body in place.
        st.total = weight(st);
    }

    #[action(x in 1..4)]
    fn remove(st: &mut State, x: i64) {
        st.s.remove(&x);
        st.total = st.s.iter().map(|y| y * 10).sum::<i64>() / 10;
    }

    #[invariant]
    fn total_is_the_sum(st: &State) -> bool {
        st.total == weight(st)
    }
}

#[test]
fn sums_and_a_helper_after_a_change_export_exactly() {
    let m = sums_and_stale_reads::model(sums_and_stale_reads::Config::default());
    m.check().assert_ok();
    let tla = export_of(&m);
    assert!(tla.contains("RECURSIVE SumOf(_)"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// A map written at a key outside its domain: a fault on both sides, at the same step.
#[lamport::model(check_deadlock = false)]
pub mod write_outside_the_domain {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub m: Map<i64, i64>,
        pub next: i64,
    }

    #[init]
    fn init() -> State {
        State {
            m: Map::from([(0, 0), (1, 0)]),
            next: 0,
        }
    }

    #[action]
    fn write(s: &mut State) {
        let k = s.next;
        s.m[k] = 1;
        s.next += 1;
    }
}

#[test]
fn a_write_outside_a_map_is_a_fault_for_both_at_the_same_step() {
    let m = write_outside_the_domain::model(write_outside_the_domain::Config::default());
    let report = m.check();
    assert!(
        matches!(report.outcome, Outcome::ModelError { .. }),
        "{report:?}"
    );
    assert_eq!(report.trace.as_ref().map(|t| t.len()), Some(3));
    let tla = export_of(&m);
    assert!(tla.contains("Assert(k \\in DOMAIN m"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// An `i8` that overflows: a fault on both sides, at the same step.
#[lamport::model(check_deadlock = false)]
pub mod narrow_overflow {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i8,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn grow(s: &mut State) {
        s.x += 50;
    }
}

#[test]
fn an_integer_leaving_its_type_is_a_fault_for_both_at_the_same_step() {
    let m = narrow_overflow::model(narrow_overflow::Config::default());
    let report = m.check();
    assert!(
        matches!(report.outcome, Outcome::ModelError { .. }),
        "{report:?}"
    );
    assert_eq!(report.trace.as_ref().map(|t| t.len()), Some(3));
    let tla = export_of(&m);
    assert!(tla.contains("CheckedI8(x + 50)"), "{tla}");
    common::assert_tlc_agrees(&m);
}

/// From one state, an earlier action reaches a state that violates an invariant and a later one
/// fails (or, with `fault_first`, the other way round): as TLC, which checks each new state as
/// it computes it, lamport reports whichever comes first in the order of `Next`.
#[lamport::model(check_deadlock = false)]
pub mod fault_and_violation_from_one_state {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub fault_first: bool,
    }

    #[configs]
    impl Config {
        pub fn violation_first() -> Self {
            Config { fault_first: false }
        }
        pub fn fault_first() -> Self {
            Config { fault_first: true }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
        pub m: Map<i64, i64>,
    }

    #[init]
    fn init() -> State {
        State {
            x: 0,
            m: Map::from([(0, 0)]),
        }
    }

    #[action]
    fn early_write(s: &mut State, c: &Config) {
        require!(c.fault_first);
        s.m[5] = 1;
    }

    #[action]
    fn bump(s: &mut State) {
        s.x += 1;
    }

    #[action]
    fn late_write(s: &mut State, c: &Config) {
        require!(!c.fault_first);
        s.m[5] = 1;
    }

    #[invariant]
    fn small(s: &State) -> bool {
        s.x < 1
    }
}

#[test]
fn a_fault_and_a_violation_from_one_state_come_in_tlc_s_order() {
    use fault_and_violation_from_one_state::{model, Config};
    let violation = model(Config::violation_first()).check();
    assert!(
        matches!(&violation.outcome, Outcome::InvariantViolated { invariant } if invariant == "Small"),
        "{violation:?}"
    );
    assert_eq!(violation.trace.as_ref().map(|t| t.len()), Some(2));
    let fault = model(Config::fault_first()).check();
    assert!(
        matches!(fault.outcome, Outcome::ModelError { .. }),
        "{fault:?}"
    );
    assert_eq!(fault.trace.as_ref().map(|t| t.len()), Some(1));
    common::assert_tlc_agrees(&model(Config::violation_first()));
    common::assert_tlc_agrees(&model(Config::fault_first()));
}
