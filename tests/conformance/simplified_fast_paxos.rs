//! Paxos without explicit leaders or learners, translated from `Paxos.tla` of tlaplus/Examples
//! (`specifications/SimplifiedFastPaxos`, by Lim Ngian Xin Terry and Gaurav Gandhi) and checked
//! with the constants of its `Paxos.cfg`: replicas `r1..r4`, values `v1..v3`, ballots
//! `{0, 1, 2}`, the four quorums of three replicas.
//!
//! `Paxos.cfg` also declares `SYMMETRY PaxosSymmetry` (permutations of values and of replicas),
//! and TLC's recorded 1,207 distinct states / 13,290 generated / depth 22 are counted under that
//! symmetry reduction: configuration `paxos_symmetric` (`#[symmetry(replicas, values)]`)
//! reproduces them. Without symmetry (`paxos`) lamport and TLC, on the unmodified spec without
//! the `SYMMETRY` line, both find 48,514 distinct states, 491,173 generated, depth 22.
//! `Paxos.cfg`'s `PROPERTY PaxosConsistency` (`[][decision = none]_<<decision>>`, an action
//! property) has no counterpart in the language yet and is not checked here.

use crate::common;

/// Single-decree Paxos in which any replica may propose, accept and decide.
///
/// `messages` is the set of every message ever sent, so messages may be lost, duplicated and
/// reordered. A proposer sends `P1a` (prepare) for a ballot `b > 0`. A replica whose
/// `maxBallot` is below `b` promises (`P1b`), reporting the ballot and value it last accepted.
/// Once every member of a quorum has promised for `b` and no `P2a` for `b` exists, a proposer
/// sends `P2a` (accept) for `b` with any value if no promise reports a value, and otherwise with
/// the value of the promise with the highest `maxVBallot` (`ForcedValue`). A replica accepts a
/// `P2a` whose ballot is at least its `maxBallot`, and sends `P2b`. When every member of a
/// quorum has accepted in one ballot, `decision` may be set to the value one of them accepted.
///
/// `none` is `None`: the initial `decision` and `maxValue`. The model value `any` of the spec
/// (a `P2a` value in `PaxosTypeOK`) is never sent by this spec; `P2a` values are `Value`s and
/// `PaxosAccepted` keeps the spec's `m.value \in Values` guard.
///
/// How TLC counts: the `\E` of each action is a conjunct, so TLC computes one successor per
/// witness: the parameters `b`; `a, m`; `b, q, v`; `a, m`; and `b, q` here. `PaxosDecide` ends
/// in `\E m \in M : decision' = m.value`, one successor per accepting message of the quorum:
/// its parameter `m`. `PaxosAccept`'s `\/` of "no promise reports a value" and
/// `v = ForcedValue(M)` is a single condition here; TLC takes each true disjunct, but the two
/// exclude each other (when no promise reports a value, `ForcedValue(M)` is `none`, which is not
/// a value), so the counts agree. `ForcedValue`'s `CHOOSE` among the promises with the highest
/// `maxVBallot` is the least such message (`min`).
///
/// Properties: `PaxosTypeOK` and `PaxosNontriviality` (only a proposed value is decided, and a
/// promise reports a value exactly when it reports a ballot above 0).
#[lamport::model]
pub mod simplified_fast_paxos {
    use lamport::prelude::*;

    model_values!(Replica = "r", Value = "v");

    /// The constants of `Paxos.cfg`.
    #[constants]
    pub struct Config {
        /// The replicas (each a proposer, acceptor and learner).
        pub replicas: Set<Replica>,
        /// The values that can be proposed.
        pub values: Set<Value>,
        /// The ballot numbers, `0` among them.
        pub ballots: Set<i64>,
        /// The quorums: sets of more than half of the replicas.
        pub quorums: Set<Set<Replica>>,
    }

    #[configs]
    impl Config {
        /// `Paxos.cfg`: replicas `r1..r4`, values `v1..v3`, ballots `{0, 1, 2}`, quorums of three.
        pub fn paxos() -> Self {
            let replicas = Replica::values(4);
            let quorums = replicas.subsets().iter().filter(|q| q.len() == 3).collect();
            Config {
                replicas,
                values: Value::values(3),
                ballots: (0..=2).collect(),
                quorums,
            }
        }

        /// `Paxos.cfg` checked up to renaming of replicas and of values (the product of the two
        /// permutation groups).
        #[symmetry(replicas, values)]
        pub fn paxos_symmetric() -> Self {
            Config::paxos()
        }
    }

    /// The messages (`P1aMessage`, ..., `P2bMessage`).
    #[derive(Value)]
    pub enum Message {
        #[value(rename = "P1a")]
        P1a { ballot: i64 },
        #[value(rename = "P1b")]
        P1b {
            ballot: i64,
            acceptor: Replica,
            max_v_ballot: i64,
            max_value: Option<Value>,
        },
        #[value(rename = "P2a")]
        P2a { ballot: i64, value: Value },
        #[value(rename = "P2b")]
        P2b {
            ballot: i64,
            acceptor: Replica,
            value: Value,
        },
    }

    #[state]
    pub struct State {
        /// Every message sent.
        pub messages: Set<Message>,
        /// The decided value (`None`: none yet).
        pub decision: Option<Value>,
        /// The highest ballot each replica has seen.
        pub max_ballot: Map<Replica, i64>,
        /// The highest ballot in which each replica has accepted a value.
        pub max_v_ballot: Map<Replica, i64>,
        /// The value each replica accepted in `maxVBallot` (`None`: none).
        pub max_value: Map<Replica, Option<Value>>,
    }

    /// The `P1a` messages sent.
    fn p1a_messages(s: &State) -> Set<Message> {
        s.messages
            .iter()
            .filter(|m| match m {
                Message::P1a { .. } => true,
                Message::P1b { .. } | Message::P2a { .. } | Message::P2b { .. } => false,
            })
            .collect::<Set<_>>()
    }

    /// The `P1b` messages sent.
    fn p1b_messages(s: &State) -> Set<Message> {
        s.messages
            .iter()
            .filter(|m| match m {
                Message::P1b { .. } => true,
                Message::P1a { .. } | Message::P2a { .. } | Message::P2b { .. } => false,
            })
            .collect::<Set<_>>()
    }

    /// The `P2a` messages sent.
    fn p2a_messages(s: &State) -> Set<Message> {
        s.messages
            .iter()
            .filter(|m| match m {
                Message::P2a { .. } => true,
                Message::P1a { .. } | Message::P1b { .. } | Message::P2b { .. } => false,
            })
            .collect::<Set<_>>()
    }

    /// The `P2b` messages sent.
    fn p2b_messages(s: &State) -> Set<Message> {
        s.messages
            .iter()
            .filter(|m| match m {
                Message::P2b { .. } => true,
                Message::P1a { .. } | Message::P1b { .. } | Message::P2a { .. } => false,
            })
            .collect::<Set<_>>()
    }

    /// The ballot of any message.
    fn ballot_of(m: &Message) -> i64 {
        match *m {
            Message::P1a { ballot } => ballot,
            Message::P1b { ballot, .. } => ballot,
            Message::P2a { ballot, .. } => ballot,
            Message::P2b { ballot, .. } => ballot,
        }
    }

    /// Whether `m` is a `P1b` or `P2b` message sent by a replica of `q`.
    fn from_one_of(m: &Message, q: Set<Replica>) -> bool {
        match *m {
            Message::P1b { acceptor, .. } => q.contains(&acceptor),
            Message::P2b { acceptor, .. } => q.contains(&acceptor),
            Message::P1a { .. } | Message::P2a { .. } => false,
        }
    }

    /// The `maxVBallot` a `P1b` message reports (applied to `P1b` messages only).
    fn reported_ballot(m: &Message) -> i64 {
        match *m {
            Message::P1b { max_v_ballot, .. } => max_v_ballot,
            Message::P1a { .. } | Message::P2a { .. } | Message::P2b { .. } => 0,
        }
    }

    /// The `maxValue` a `P1b` message reports (applied to `P1b` messages only).
    fn reported_value(m: &Message) -> Option<Value> {
        match *m {
            Message::P1b { max_value, .. } => max_value,
            Message::P1a { .. } | Message::P2a { .. } | Message::P2b { .. } => None,
        }
    }

    /// The value of a `P2a` or `P2b` message (applied to those only).
    fn value_of(m: &Message) -> Option<Value> {
        match *m {
            Message::P2a { value, .. } => Some(value),
            Message::P2b { value, .. } => Some(value),
            Message::P1a { .. } | Message::P1b { .. } => None,
        }
    }

    /// Every member of `q` sent one of the messages `mm`.
    fn all_sent(q: Set<Replica>, mm: Set<Message>) -> bool {
        q.iter()
            .all(|a| mm.iter().any(|m| from_one_of(&m, Set::singleton(a))))
    }

    /// The value reported by the promise of `mm` with the highest `maxVBallot`. The spec
    /// `CHOOSE`s one such message; all of them report the same value (one value per ballot),
    /// so the value is `the()` one in the set of reported values — a model error otherwise.
    fn forced_value(mm: Set<Message>) -> Option<Value> {
        mm.iter()
            .filter(|m| mm.iter().all(|n| reported_ballot(&n) <= reported_ballot(m)))
            .map(|m| reported_value(&m))
            .collect::<Set<_>>()
            .the()
    }

    /// No message, nothing decided, every replica at ballot 0 with no accepted value.
    #[init]
    fn init(c: &Config) -> State {
        State {
            messages: Set::new(),
            decision: None,
            max_ballot: c.replicas.iter().map(|r| (r, 0)).collect(),
            max_v_ballot: c.replicas.iter().map(|r| (r, 0)).collect(),
            max_value: c.replicas.iter().map(|r| (r, None)).collect(),
        }
    }

    /// Phase 1a: a proposer sends a prepare message for ballot `b > 0`.
    #[action(name = "PaxosPrepare", b in c.ballots.difference(&Set::singleton(0)))]
    fn paxos_prepare(s: &mut State, c: &Config, b: i64) {
        s.messages.insert(Message::P1a { ballot: b });
    }

    /// Phase 1b: replica `a` promises on the prepare message `m` if its ballot is higher than any
    /// it has seen, reporting its last accepted ballot and value.
    #[action(name = "PaxosPromise", a in c.replicas, m in p1a_messages(s))]
    fn paxos_promise(s: &mut State, c: &Config, a: Replica, m: Message) {
        require!(s.max_ballot[a] < ballot_of(&m));
        s.max_ballot[a] = ballot_of(&m);
        s.messages.insert(Message::P1b {
            ballot: ballot_of(&m),
            acceptor: a,
            max_v_ballot: s.max_v_ballot[a],
            max_value: s.max_value[a],
        });
    }

    /// Phase 2a: with promises for ballot `b` from every member of quorum `q`, and no accept
    /// message for `b` yet, a proposer asks to accept `v`: any value if no promise reports one,
    /// otherwise the forced value.
    #[action(name = "PaxosAccept", b in c.ballots, q in c.quorums, v in c.values)]
    fn paxos_accept(s: &mut State, c: &Config, b: i64, q: Set<Replica>, v: Value) {
        require!(p2a_messages(s).iter().all(|m| ballot_of(&m) != b));
        let mm = p1b_messages(s)
            .iter()
            .filter(|m| ballot_of(m) == b && from_one_of(m, q.clone()))
            .collect::<Set<_>>();
        require!(all_sent(q.clone(), mm.clone()));
        require!(
            mm.iter().all(|m| reported_value(&m).is_none()) || Some(v) == forced_value(mm.clone())
        );
        s.messages.insert(Message::P2a {
            ballot: b,
            value: v,
        });
    }

    /// Phase 2b: replica `a` accepts the accept message `m` if its ballot is at least the highest
    /// it has seen, and announces it.
    #[action(name = "PaxosAccepted", a in c.replicas, m in p2a_messages(s))]
    fn paxos_accepted(s: &mut State, c: &Config, a: Replica, m: Message) {
        require!(value_of(&m).is_some() && c.values.contains(&value_of(&m).unwrap()));
        require!(s.max_ballot[a] <= ballot_of(&m));
        s.max_ballot[a] = ballot_of(&m);
        s.max_v_ballot[a] = ballot_of(&m);
        s.max_value[a] = value_of(&m);
        s.messages.insert(Message::P2b {
            ballot: ballot_of(&m),
            acceptor: a,
            value: value_of(&m).unwrap(),
        });
    }

    /// Decide: every member of quorum `q` accepted in ballot `b`; the decision becomes the value
    /// of one of their acceptances, `m`.
    #[action(
        name = "PaxosDecide",
        b in c.ballots,
        q in c.quorums,
        m in p2b_messages(s)
            .iter()
            .filter(|m| ballot_of(m) == b && from_one_of(m, q.clone()))
            .collect::<Set<_>>()
    )]
    fn paxos_decide(s: &mut State, c: &Config, b: i64, q: Set<Replica>, m: Message) {
        require!(all_sent(
            q.clone(),
            p2b_messages(s)
                .iter()
                .filter(|n| ballot_of(n) == b && from_one_of(n, q.clone()))
                .collect::<Set<_>>()
        ));
        s.decision = value_of(&m);
    }

    /// Every message is well formed over the constants, and every variable holds a value of the
    /// right kind.
    #[invariant(name = "PaxosTypeOK")]
    fn paxos_type_ok(s: &State, c: &Config) -> bool {
        s.messages.iter().all(|m| match m {
            Message::P1a { ballot } => ballot != 0 && c.ballots.contains(&ballot),
            Message::P1b {
                ballot,
                acceptor,
                max_v_ballot,
                max_value,
            } => {
                c.ballots.contains(&ballot)
                    && c.replicas.contains(&acceptor)
                    && c.ballots.contains(&max_v_ballot)
                    && (max_value.is_none() || c.values.contains(&max_value.unwrap()))
            }
            Message::P2a { ballot, value } => {
                c.ballots.contains(&ballot) && c.values.contains(&value)
            }
            Message::P2b {
                ballot,
                acceptor,
                value,
            } => {
                c.ballots.contains(&ballot)
                    && c.replicas.contains(&acceptor)
                    && c.values.contains(&value)
            }
        }) && (s.decision.is_none() || c.values.contains(&s.decision.unwrap()))
            && s.max_ballot.domain() == c.replicas
            && c.replicas
                .iter()
                .all(|r| c.ballots.contains(&s.max_ballot[r]))
            && s.max_v_ballot.domain() == c.replicas
            && c.replicas
                .iter()
                .all(|r| c.ballots.contains(&s.max_v_ballot[r]))
            && s.max_value.domain() == c.replicas
            && c.replicas
                .iter()
                .all(|r| s.max_value[r].is_none() || c.values.contains(&s.max_value[r].unwrap()))
    }

    /// Only a proposed value is decided; a promise reports a value exactly when it reports a
    /// ballot above 0.
    #[invariant(name = "PaxosNontriviality")]
    fn paxos_nontriviality(s: &State, c: &Config) -> bool {
        (s.decision.is_none() || p2a_messages(s).iter().any(|m| value_of(&m) == s.decision))
            && p1b_messages(s).iter().all(|m| {
                (reported_value(&m).is_some() && c.values.contains(&reported_value(&m).unwrap())
                    || 0 == reported_ballot(&m))
                    && (reported_value(&m).is_none() || 0 < reported_ballot(&m))
            })
    }
}

#[test]
fn paxos_matches_tlc_reference_under_symmetry() {
    common::assert_reference(
        &simplified_fast_paxos::definition()
            .config("paxos_symmetric")
            .unwrap(),
        1_207,
        13_290,
        22,
    );
}

#[test]
fn paxos_matches_tlc_without_symmetry() {
    common::assert_reference(
        &simplified_fast_paxos::model(simplified_fast_paxos::Config::paxos()),
        48_514,
        491_173,
        22,
    );
}

/// TLC on the export agrees (checked without symmetry: the export's `SYMMETRY` is the product
/// group, exact in both checkers; `paxos_symmetric` is checked in-process above).
#[test]
fn paxos_tlc_agrees() {
    common::assert_tlc_agrees(&simplified_fast_paxos::model(
        simplified_fast_paxos::Config::paxos(),
    ));
}

/// TLC agrees under symmetry too: the export's `SYMMETRY` is the product of the permutation
/// groups of replicas and values.
#[test]
fn paxos_symmetric_tlc_agrees() {
    common::assert_tlc_agrees(
        &simplified_fast_paxos::definition()
            .config("paxos_symmetric")
            .unwrap(),
    );
}
