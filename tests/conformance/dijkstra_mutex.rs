//! Dijkstra's mutual exclusion algorithm (1965), in PlusCal: Leslie Lamport's
//! `DijkstraMutex.tla` (tlaplus/Examples, `specifications/dijkstra-mutex`), checked as its
//! toolbox models do with two processes: `Proc = {p1, p2}`, `Spec` (weak fairness of each
//! process), invariant `MutualExclusion`, property `DeadlockFree`. TLC (current, on the
//! original, `-deadlock`) reports 660 distinct states, 1,322 generated, depth 29, no error; with
//! three processes (the toolbox models' `Proc`), 90,882 distinct, 282,810 generated, depth 54,
//! no error (an ignored test: `cargo test --release --test conformance -- --ignored dijkstra`).
//!
//! The spec is a process per element of `Proc` with weak fairness on the whole process,
//! `\A self \in Proc : WF_vars(P(self))` where `P(self)` is the disjunction of its thirteen
//! label actions: `fair!(li0(p) | li1(p) | .. | ncs(p))`. Its label `Li4b` examines the other
//! processes in any order, `with (j \in temp)`: a choice inside the action, `choose!`. The
//! spec's comment offers `cs: assert \A j \in Proc \ {self} : pc[j] # "cs"` as an equivalent
//! check of mutual exclusion; the translation's `cs` makes it (`assert!`), next to the invariant.
//! The labels keep their spelling (`#[value(rename = "Li0")]`).
//!
//! `temp` holds a process at `Li3a`/`Li3b` and a set of processes at `Li4a`/`Li4b` (and the
//! model value `defaultInitValue` initially): the enum `Temp` gives each its variant, a
//! one-to-one image of the original's values, so the figures are the same.

use crate::common;

// The actions name the constants `c` for their domain (`p in c.procs`); most bodies do not
// read them.
#[allow(unused_variables)]
#[lamport::model]
pub mod dijkstra_mutex {
    use lamport::prelude::*;

    model_values!(Proc);

    #[constants]
    pub struct Config {
        /// `Proc`: the processes.
        pub procs: Set<Proc>,
    }

    #[configs]
    impl Config {
        /// `Proc = {p1, p2}`.
        pub fn two() -> Self {
            Config {
                procs: Proc::values(2),
            }
        }
        /// `Proc = {p1, p2, p3}`, the toolbox models' size.
        pub fn three() -> Self {
            Config {
                procs: Proc::values(3),
            }
        }
    }

    /// The PlusCal labels, as the spec spells them.
    #[derive(Value)]
    pub enum Pc {
        #[value(rename = "Li0")]
        Li0,
        #[value(rename = "Li1")]
        Li1,
        #[value(rename = "Li2")]
        Li2,
        #[value(rename = "Li3a")]
        Li3a,
        #[value(rename = "Li3b")]
        Li3b,
        #[value(rename = "Li3c")]
        Li3c,
        #[value(rename = "Li3d")]
        Li3d,
        #[value(rename = "Li4a")]
        Li4a,
        #[value(rename = "Li4b")]
        Li4b,
        Cs,
        #[value(rename = "Li5")]
        Li5,
        #[value(rename = "Li6")]
        Li6,
        Ncs,
    }

    /// The process-local `temp`: `defaultInitValue`, a process, or a set of processes.
    #[derive(Value)]
    pub enum Temp {
        Default,
        One { p: Proc },
        Many { procs: Set<Proc> },
    }

    #[state]
    pub struct State {
        pub b: Map<Proc, bool>,
        pub c: Map<Proc, bool>,
        pub k: Proc,
        pub pc: Map<Proc, Pc>,
        pub temp: Map<Proc, Temp>,
    }

    #[init(k in c.procs)]
    fn init(c: &Config, k: Proc) -> State {
        State {
            b: c.procs.iter().map(|i| (i, true)).collect::<Map<_, _>>(),
            c: c.procs.iter().map(|i| (i, true)).collect::<Map<_, _>>(),
            k,
            pc: c.procs.iter().map(|i| (i, Pc::Li0)).collect::<Map<_, _>>(),
            temp: c
                .procs
                .iter()
                .map(|i| (i, Temp::Default))
                .collect::<Map<_, _>>(),
        }
    }

    #[action(p in c.procs)]
    fn li0(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li0);
        s.b[p] = false;
        s.pc[p] = Pc::Li1;
    }

    #[action(p in c.procs)]
    fn li1(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li1);
        s.pc[p] = if s.k != p { Pc::Li2 } else { Pc::Li4a };
    }

    #[action(p in c.procs)]
    fn li2(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li2);
        s.c[p] = true;
        s.pc[p] = Pc::Li3a;
    }

    #[action(p in c.procs)]
    fn li3a(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li3a);
        s.temp[p] = Temp::One { p: s.k };
        s.pc[p] = Pc::Li3b;
    }

    #[action(p in c.procs)]
    fn li3b(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li3b);
        let t = match s.temp[p].clone() {
            Temp::One { p: q } => q,
            _ => p,
        };
        s.pc[p] = if s.b[t] { Pc::Li3c } else { Pc::Li3d };
    }

    #[action(p in c.procs)]
    fn li3c(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li3c);
        s.k = p;
        s.pc[p] = Pc::Li3d;
    }

    #[action(p in c.procs)]
    fn li3d(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li3d);
        s.pc[p] = Pc::Li1;
    }

    #[action(p in c.procs)]
    fn li4a(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li4a);
        s.c[p] = false;
        s.temp[p] = Temp::Many {
            procs: c.procs.difference(&Set::singleton(p)),
        };
        s.pc[p] = Pc::Li4b;
    }

    /// `while (temp # {}) { with (j \in temp) { .. } }`: one other process examined per step.
    #[action(p in c.procs)]
    fn li4b(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li4b);
        let rest = match s.temp[p].clone() {
            Temp::Many { procs } => procs,
            _ => Set::new(),
        };
        if !rest.is_empty() {
            let j = choose!(rest.clone());
            s.temp[p] = Temp::Many {
                procs: rest.difference(&Set::singleton(j)),
            };
            s.pc[p] = if !s.c[j] { Pc::Li1 } else { Pc::Li4b };
        } else {
            s.pc[p] = Pc::Cs;
        }
    }

    /// The critical section, with the check the spec's comment offers.
    #[action(p in c.procs)]
    fn cs(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Cs);
        assert!(
            c.procs.iter().all(|j| j == p || s.pc[j] != Pc::Cs),
            "another process is in its critical section"
        );
        s.pc[p] = Pc::Li5;
    }

    #[action(p in c.procs)]
    fn li5(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li5);
        s.c[p] = true;
        s.pc[p] = Pc::Li6;
    }

    #[action(p in c.procs)]
    fn li6(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Li6);
        s.b[p] = true;
        s.pc[p] = Pc::Ncs;
    }

    #[action(p in c.procs)]
    fn ncs(s: &mut State, c: &Config, p: Proc) {
        require!(s.pc[p] == Pc::Ncs);
        s.pc[p] = Pc::Li0;
    }

    // `\A self \in Proc : WF_vars(P(self))`.
    fair!(
        li0(p)
            | li1(p)
            | li2(p)
            | li3a(p)
            | li3b(p)
            | li3c(p)
            | li3d(p)
            | li4a(p)
            | li4b(p)
            | cs(p)
            | li5(p)
            | li6(p)
            | ncs(p)
    );

    #[invariant(name = "MutualExclusion")]
    fn mutual_exclusion(s: &State, c: &Config) -> bool {
        c.procs.iter().all(|i| {
            c.procs
                .iter()
                .all(|j| i == j || !(s.pc[i] == Pc::Cs && s.pc[j] == Pc::Cs))
        })
    }

    fn some_in_cs(s: &State, c: &Config, _i: Proc) -> bool {
        c.procs.iter().any(|j| s.pc[j] == Pc::Cs)
    }

    /// `DeadlockFree == \A i \in Proc : (pc[i] = "Li0") ~> (\E j \in Proc : pc[j] = "cs")`.
    #[leads_to(some_in_cs, i in c.procs, name = "DeadlockFree")]
    fn trying(s: &State, c: &Config, i: Proc) -> bool {
        s.pc[i] == Pc::Li0
    }
}

#[test]
fn dijkstra_mutex_two_matches_tlc_reference() {
    let m = dijkstra_mutex::definition().config("two").unwrap();
    common::assert_reference(&m, 660, 1_322, 29);
}

#[test]
fn dijkstra_mutex_two_tlc_agrees() {
    common::assert_tlc_agrees(&dijkstra_mutex::definition().config("two").unwrap());
}

#[test]
#[ignore = "90,882 states with liveness: cargo test --release --test conformance -- --ignored dijkstra"]
fn dijkstra_mutex_three_matches_tlc_reference() {
    let m = dijkstra_mutex::definition().config("three").unwrap();
    common::assert_reference(&m, 90_882, 282_810, 54);
}
