//! Chang and Roberts' leader election on a unidirectional ring, in PlusCal: Stephan Merz's
//! `ChangRoberts.tla` (tlaplus/Examples, `specifications/chang_roberts`), checked as its
//! `MCChangRoberts.cfg` does: `N = 3`, `Id == [i \in 1..N |-> i]`, invariants `TypeOK` and
//! `Correctness`, no deadlock check. TLC reports 137 distinct states, 227 generated, depth 10
//! (TLC 2.15 and current, on the original).
//!
//! The spec is a `fair process` (`\A self \in Node : WF_vars(node(self))`, where `node(self)`
//! is `n0(self) \/ n1(self)`): fairness on a group of actions per process, `fair!(n0(p) |
//! n1(p))`. Its step `n1` receives a message with `with (id \in msgs[self])`: a choice inside
//! the action, `let id = choose!(s.msgs[&p].clone());`.

use crate::common;

/// Chang–Roberts leader election.
///
/// Every node may be an initiator (`initiator \in [Node -> BOOLEAN]`, `Map::functions`: one
/// initial state per function); an initiator sends its own identity to its successor. A node that
/// has lost forwards what it receives; a candidate that receives a smaller identity loses and
/// forwards it; a candidate that receives its own identity has won. The original's
/// `Terminating` disjunct (stuttering once every process is `Done`) is never enabled: the
/// processes loop forever at `n1`.
///
/// Properties: `TypeOK`, `Correctness` (a winner is the initiator with the smallest identity,
/// and every other node has lost) and `Liveness`, `(\E n : state[n] = "cand") => <>(\E n :
/// state[n] = "won")`; lamport states it as `leads_to` (`[](P => <>Q)`), which implies it.
#[lamport::model(check_deadlock = false)]
pub mod chang_roberts {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        /// The number of nodes, `N`; `Node == 1..N`.
        pub n: i64,
    }

    #[configs]
    impl Config {
        /// `MCChangRoberts.cfg`.
        pub fn mc() -> Self {
            Config { n: 3 }
        }
    }

    /// The PlusCal labels, and `"Done"` (named in `TypeOK`; never reached).
    #[derive(Value)]
    pub enum Pc {
        N0,
        N1,
        #[allow(dead_code)]
        #[value(rename = "Done")]
        Done,
    }

    #[derive(Value)]
    pub enum NodeState {
        Cand,
        Lost,
        Won,
    }

    #[state]
    pub struct State {
        /// `msgs[n]`: the identities waiting to be received by node `n`.
        pub msgs: Map<i64, Set<i64>>,
        pub pc: Map<i64, Pc>,
        pub initiator: Map<i64, bool>,
        pub state: Map<i64, NodeState>,
    }

    /// `Id == [i \in 1..N |-> i]` (MCChangRoberts).
    fn id(i: i64) -> i64 {
        i
    }

    /// The successor along the ring.
    fn succ(c: &Config, n: i64) -> i64 {
        if n == c.n {
            1
        } else {
            n + 1
        }
    }

    #[init(initiator in Map::functions(1..=c.n, [false, true]))]
    fn init(c: &Config, initiator: Map<i64, bool>) -> State {
        State {
            msgs: (1..=c.n).map(|n| (n, Set::new())).collect::<Map<_, _>>(),
            pc: (1..=c.n).map(|n| (n, Pc::N0)).collect::<Map<_, _>>(),
            initiator: initiator.clone(),
            state: (1..=c.n)
                .map(|n| {
                    (
                        n,
                        if initiator[&n] {
                            NodeState::Cand
                        } else {
                            NodeState::Lost
                        },
                    )
                })
                .collect::<Map<_, _>>(),
        }
    }

    /// `n0`: an initiator sends its own identity to its neighbour.
    #[action(p in 1..=c.n)]
    fn n0(s: &mut State, c: &Config, p: i64) {
        require!(s.pc[&p] == Pc::N0);
        if s.initiator[&p] {
            s.msgs[&succ(c, p)].insert(id(p));
        }
        s.pc[&p] = Pc::N1;
    }

    /// `n1`: handle some incoming message, `with (id \in msgs[self])`.
    #[action(p in 1..=c.n)]
    fn n1(s: &mut State, c: &Config, p: i64) {
        require!(s.pc[&p] == Pc::N1);
        let m = choose!(s.msgs[&p].clone());
        s.msgs[&p].remove(&m);
        if s.state[&p] == NodeState::Lost {
            s.msgs[&succ(c, p)].insert(m);
        } else if m < id(p) {
            s.state[&p] = NodeState::Lost;
            s.msgs[&succ(c, p)].insert(m);
        } else if m == id(p) {
            s.state[&p] = NodeState::Won;
        }
    }

    // `fair process (node \in Node)`: `\A self \in Node : WF_vars(n0(self) \/ n1(self))`.
    fair!(n0(p) | n1(p));

    // The modelling language takes a closure in `map`, not a function's name.
    #[allow(clippy::redundant_closure)]
    #[invariant(name = "TypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        let ids = (1..=c.n).map(|n| id(n)).collect::<Set<i64>>();
        Map::functions(1..=c.n, [Pc::N0, Pc::N1, Pc::Done]).contains(&s.pc)
            && Map::functions(1..=c.n, ids.subsets()).contains(&s.msgs)
            && Map::functions(1..=c.n, [false, true]).contains(&s.initiator)
            && Map::functions(1..=c.n, [NodeState::Cand, NodeState::Lost, NodeState::Won])
                .contains(&s.state)
    }

    #[invariant(name = "Correctness")]
    fn correctness(s: &State, c: &Config) -> bool {
        (1..=c.n).all(|n| {
            s.state[&n] != NodeState::Won
                || (s.initiator[&n]
                    && (1..=c.n).all(|m| {
                        m == n
                            || (s.state[&m] == NodeState::Lost
                                && (!s.initiator[&m] || id(m) > id(n)))
                    }))
        })
    }

    fn some_won(s: &State, c: &Config) -> bool {
        (1..=c.n).any(|n| s.state[&n] == NodeState::Won)
    }

    #[leads_to(some_won, name = "Liveness")]
    fn some_candidate(s: &State, c: &Config) -> bool {
        (1..=c.n).any(|n| s.state[&n] == NodeState::Cand)
    }
}

#[test]
fn chang_roberts_mc_matches_tlc_reference() {
    let m = chang_roberts::definition().config("mc").unwrap();
    common::assert_reference(&m, 137, 227, 10);
}

#[test]
fn chang_roberts_mc_tlc_agrees() {
    common::assert_tlc_agrees(&chang_roberts::definition().config("mc").unwrap());
}
