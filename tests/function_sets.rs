//! Function sets, TLA+'s `[S -> T]` (`Map::functions(dom, range)`): as the domain of an init's
//! and an action's parameter (one initial state or successor per function, as TLC counts them),
//! and as a value in invariants (`f \in [S -> T]`, `Cardinality([{} -> T]) = 1`); TLC agrees on
//! the export.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::ModelExt;

#[lamport::model(check_deadlock = false)]
pub mod votes {
    use lamport::prelude::*;

    model_values!(Proc);

    #[constants]
    pub struct Config {
        pub procs: Set<Proc>,
        pub nobody: Set<Proc>,
        pub no_ints: Set<i64>,
    }

    #[configs]
    impl Config {
        pub fn three() -> Self {
            Config {
                procs: Proc::values(3),
                nobody: Set::new(),
                no_ints: Set::new(),
            }
        }
    }

    #[state]
    pub struct State {
        pub vote: Map<Proc, i64>,
        pub rounds: i64,
    }

    // `c` names the constants in the domain only.
    #[allow(unused_variables)]
    #[init(v in Map::functions(c.procs.clone(), 0..2))]
    fn init(c: &Config, v: Map<Proc, i64>) -> State {
        State { vote: v, rounds: 0 }
    }

    #[action(w in Map::functions(c.procs.clone(), [1, 2]))]
    fn revote(s: &mut State, c: &Config, w: Map<Proc, i64>) {
        require!(s.rounds < 1);
        s.vote = w;
        s.rounds += 1;
    }

    #[invariant(name = "TypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        Map::functions(c.procs.clone(), 0..3).contains(&s.vote)
            && Map::functions(c.procs.clone(), 1..3).contains(&s.vote)
                != (s.rounds == 0 && c.procs.iter().any(|p| s.vote[&p] == 0))
    }

    #[invariant(name = "EdgeCases")]
    fn edge_cases(s: &State, c: &Config) -> bool {
        let _ = s.rounds;
        Map::functions(c.nobody.clone(), 0..3).len() == 1
            && Map::functions(c.procs.clone(), c.no_ints.clone()).is_empty()
            && Map::functions(c.procs.clone(), [true, false]).len() == 8
    }
}

#[test]
fn function_sets_as_domains_and_values_count_as_tlc_does() {
    let m = votes::model(votes::Config::three());
    m.check().assert_ok().assert_counts(16, 72, 2);
    let tla = common::parsed_export(&m).tla;
    for want in [
        "v \\in [Procs -> 0 .. 1]",
        "[Procs -> {1, 2}]",
        "vote \\in [Procs -> 0 .. 2]",
    ] {
        assert!(tla.contains(want), "`{want}` missing from\n{tla}");
    }
    common::assert_tlc_agrees(&m);
}
