//! Lamport's Paxos consensus algorithm, translated from `Paxos.tla` (tlaplus/Examples,
//! `specifications/PaxosHowToWinATuringAward`) and checked as its `MCPaxos` wrapper does with
//! `MCPaxosTiny.cfg`: three acceptors, two values, majority quorums, `MaxBallot = 1`. TLC reports
//! 3,921 distinct states, 23,563 generated, depth 17.

use crate::common;

/// The Paxos consensus algorithm (single decree), in which acceptors implement the Voting
/// algorithm by exchanging messages.
///
/// `msgs` is the set of every message ever sent: a message is never removed, so it can be
/// received any number of times, and a lost message is one never received. A leader starts
/// ballot `b` by sending a 1a message (`Phase1a`). An acceptor answers a 1a for a ballot above
/// its `maxBal` with a 1b carrying its latest vote (`maxVBal`, `maxVal`, or `-1`/`None` if it has
/// not voted) and raises `maxBal` (`Phase1b`). Once every member of a quorum `Q` has answered
/// ballot `b`, the leader may send a 2a message for `(b, v)` (`Phase2a`): any value if no member
/// of `Q` reported a vote, otherwise the value of the vote with the highest ballot among the
/// reports. At most one 2a message is sent per ballot. An acceptor votes on a 2a for a ballot
/// `>= maxBal` by sending a 2b message (`Phase2b`).
///
/// In `Phase2a` the quorum `Q` and the reported vote `m` are existentials in the action's
/// conjuncts: TLC computes one successor for each witness, so they are the parameters `q` and
/// `m` here. Its disjunction (`Q1bv = {}`, or some `m` in `Q1bv` carries the highest vote) is
/// taken one disjunct at a time by TLC, so it is two actions: `Phase2aNoVotes` and
/// `Phase2aVoted`. The messages `m` that `Phase1b` and `Phase2b` receive are parameters as well.
///
/// Ballots are `0..MaxBallot` (MCPaxos overrides `Ballot == Nat` with it); `None` is the
/// `Option` value `None`.
///
/// Properties: `TypeOK` and `Inv`, the invariant MCPaxos checks (it explains why Paxos
/// implements Voting under the mapping `votes[a] = {<<m.bal, m.val>> : 2b messages m from a}`),
/// and `ChosenAtMostOne`: under that mapping at most one value is chosen (Voting's `chosen`,
/// bounded by Consensus's `Inv`).
#[lamport::model]
#[refines(crate::voting::voting, ballot = ballots)]
pub mod paxos {
    use lamport::prelude::*;

    model_values!(Acceptor = "a", Value = "v");

    /// The constants of MCPaxos.
    #[constants]
    pub struct Config {
        /// The values that can be chosen.
        pub value: Set<Value>,
        /// The acceptors.
        pub acceptor: Set<Acceptor>,
        /// The quorums: sets of acceptors, any two of which intersect.
        pub quorum: Set<Set<Acceptor>>,
        /// The largest ballot number: ballots are `0..MaxBallot`.
        pub max_ballot: i64,
    }

    #[configs]
    impl Config {
        /// MCPaxosTiny: acceptors `a1..a3`, values `v1, v2`, majority quorums, `MaxBallot = 1`.
        pub fn mc_paxos_tiny() -> Self {
            let acceptor = Acceptor::values(3);
            let quorum = acceptor.subsets().iter().filter(|q| q.len() == 2).collect();
            Config {
                value: Value::values(2),
                acceptor,
                quorum,
                max_ballot: 1,
            }
        }
    }

    /// The messages of the algorithm.
    #[derive(Value)]
    pub enum Msg {
        /// A leader asks the acceptors to join ballot `bal`.
        #[value(rename = "1a")]
        Phase1a { bal: i64 },
        /// Acceptor `acc` joins ballot `bal`; its latest vote was for `mval` in `mbal`
        /// (`-1` and `None`: it has not voted).
        #[value(rename = "1b")]
        Phase1b {
            acc: Acceptor,
            bal: i64,
            mbal: i64,
            mval: Option<Value>,
        },
        /// The leader of ballot `bal` asks the acceptors to vote for `val`.
        #[value(rename = "2a")]
        Phase2a { bal: i64, val: Value },
        /// Acceptor `acc` votes for `val` in ballot `bal`.
        #[value(rename = "2b")]
        Phase2b { acc: Acceptor, bal: i64, val: Value },
    }

    #[state]
    pub struct State {
        /// `maxBal[a]`: the highest ballot acceptor `a` has joined (`-1` initially).
        pub max_bal: Map<Acceptor, i64>,
        /// `maxVBal[a]`: the highest ballot in which `a` has voted (`-1` if none).
        pub max_v_bal: Map<Acceptor, i64>,
        /// `maxVal[a]`: the value `a` voted for in ballot `maxVBal[a]` (`None` if none).
        pub max_val: Map<Acceptor, Option<Value>>,
        /// Every message ever sent.
        pub msgs: Set<Msg>,
    }

    /// `b` is a ballot number.
    fn is_ballot(c: &Config, b: i64) -> bool {
        0 <= b && b <= c.max_ballot
    }

    /// Acceptor `a` has voted for `v` in ballot `b` (`<<b, v>> \in votes[a]` of the mapping to
    /// Voting): it has sent that 2b message.
    fn voted_for(s: &State, a: Acceptor, b: i64, v: Value) -> bool {
        s.msgs.contains(&Msg::Phase2b {
            acc: a,
            bal: b,
            val: v,
        })
    }

    /// Voting's `votes` under the refinement mapping (Paxos's `votes`): the votes `<<b, v>>` of
    /// the 2b messages acceptor `a` has sent.
    fn votes(s: &State, c: &Config) -> Map<Acceptor, Set<(i64, Value)>> {
        c.acceptor
            .iter()
            .map(|a| {
                (
                    a,
                    c.value
                        .iter()
                        .flat_map(|v| {
                            (0..=c.max_ballot)
                                .filter(|b| voted_for(s, a, *b, v))
                                .map(|b| (b, v))
                                .collect::<Set<_>>()
                        })
                        .collect::<Set<_>>(),
                )
            })
            .collect()
    }

    /// Voting's `Ballot` under the refinement mapping: MCPaxos's `0..MaxBallot`.
    fn ballots(c: &Config) -> Set<i64> {
        (0..=c.max_ballot).collect()
    }

    /// Acceptor `a` has not voted in ballot `b`.
    fn did_not_vote_at(s: &State, c: &Config, a: Acceptor, b: i64) -> bool {
        c.value.iter().all(|v| !voted_for(s, a, b, v))
    }

    /// Voting's `ShowsSafeAt(Q, b, v)`: quorum `q` shows that `v` is safe at ballot `b`.
    fn shows_safe_at(s: &State, c: &Config, q: Set<Acceptor>, b: i64, v: Value) -> bool {
        q.iter().all(|a| s.max_bal[a] >= b)
            && (-1..b).any(|cb| {
                (cb == -1 || q.iter().any(|a| voted_for(s, a, cb, v)))
                    && (cb + 1..b).all(|d| q.iter().all(|a| did_not_vote_at(s, c, a, d)))
            })
    }

    /// A quorum has voted for `v` in ballot `b`.
    fn chosen_at(s: &State, c: &Config, b: i64, v: Value) -> bool {
        c.quorum
            .iter()
            .any(|q| q.iter().all(|a| voted_for(s, a, b, v)))
    }

    /// The chosen values (Voting's `chosen`).
    fn chosen(s: &State, c: &Config) -> Set<Value> {
        c.value
            .iter()
            .filter(|v| (0..=c.max_ballot).any(|b| chosen_at(s, c, b, *v)))
            .collect::<Set<_>>()
    }

    /// The 1b messages for ballot `b` from members of `q` (`Q1b`).
    fn q1b(s: &State, q: Set<Acceptor>, b: i64) -> Set<Msg> {
        s.msgs
            .iter()
            .filter(|m| match m {
                Msg::Phase1b { acc, bal, .. } => q.contains(acc) && *bal == b,
                _ => false,
            })
            .collect::<Set<_>>()
    }

    /// The 1b messages of `q1b` that report a vote (`Q1bv`).
    fn q1bv(q1b: Set<Msg>) -> Set<Msg> {
        q1b.iter()
            .filter(|m| match m {
                Msg::Phase1b { mbal, .. } => *mbal >= 0,
                _ => false,
            })
            .collect::<Set<_>>()
    }

    /// The common enabling conditions of `Phase2a(b, v)` for quorum `q`: no 2a message has been
    /// sent for `b`, and every member of `q` has sent a 1b message for `b`.
    fn phase2a_enabled(s: &State, q: Set<Acceptor>, b: i64) -> bool {
        !s.msgs.iter().any(|m| match m {
            Msg::Phase2a { bal, .. } => bal == b,
            _ => false,
        }) && q.iter().all(|a| {
            q1b(s, q.clone(), b).iter().any(|m| match m {
                Msg::Phase1b { acc, .. } => acc == a,
                _ => false,
            })
        })
    }

    /// Every acceptor has joined no ballot and cast no vote; no message has been sent.
    #[init]
    fn init(c: &Config) -> State {
        State {
            max_bal: c.acceptor.iter().map(|a| (a, -1)).collect(),
            max_v_bal: c.acceptor.iter().map(|a| (a, -1)).collect(),
            max_val: c.acceptor.iter().map(|a| (a, None)).collect(),
            msgs: Set::new(),
        }
    }

    /// The leader of ballot `b` sends a 1a message (again: a stuttering step).
    #[action(name = "Phase1a", b in 0..=c.max_ballot)]
    fn phase1a(s: &mut State, c: &Config, b: i64) {
        s.msgs.insert(Msg::Phase1a { bal: b });
    }

    /// Acceptor `a` receives the 1a message `m` for a ballot above its `maxBal`, joins it, and
    /// answers with its latest vote.
    #[action(name = "Phase1b", a in c.acceptor, m in s.msgs)]
    fn phase1b(s: &mut State, c: &Config, a: Acceptor, m: Msg) {
        match m {
            Msg::Phase1a { bal } => {
                require!(bal > s.max_bal[a]);
                s.max_bal[a] = bal;
                s.msgs.insert(Msg::Phase1b {
                    acc: a,
                    bal,
                    mbal: s.max_v_bal[a],
                    mval: s.max_val[a],
                });
            }
            _ => {
                require!(false);
            }
        }
    }

    /// `Phase2a(b, v)` with quorum `q` when no member of `q` reported a vote: any value `v`
    /// may be proposed.
    #[action(name = "Phase2aNoVotes", b in 0..=c.max_ballot, v in c.value, q in c.quorum)]
    fn phase2a_no_votes(s: &mut State, c: &Config, b: i64, v: Value, q: Set<Acceptor>) {
        require!(phase2a_enabled(s, q.clone(), b));
        require!(q1bv(q1b(s, q.clone(), b)).is_empty());
        s.msgs.insert(Msg::Phase2a { bal: b, val: v });
    }

    /// `Phase2a(b, v)` with quorum `q` and the report `m`: `m` is a 1b message for `b` from a
    /// member of `q` reporting a vote for `v` in the highest ballot any member of `q` reported.
    #[action(name = "Phase2aVoted", b in 0..=c.max_ballot, v in c.value, q in c.quorum, m in s.msgs)]
    fn phase2a_voted(s: &mut State, c: &Config, b: i64, v: Value, q: Set<Acceptor>, m: Msg) {
        require!(phase2a_enabled(s, q.clone(), b));
        let reports = q1bv(q1b(s, q.clone(), b));
        require!(reports.contains(&m));
        match m {
            Msg::Phase1b { mbal, mval, .. } => {
                require!(mval == Some(v));
                require!(reports.iter().all(|mm| match mm {
                    Msg::Phase1b { mbal: other, .. } => mbal >= other,
                    _ => true,
                }));
            }
            _ => {
                require!(false);
            }
        }
        s.msgs.insert(Msg::Phase2a { bal: b, val: v });
    }

    /// Acceptor `a` receives the 2a message `m` for a ballot `>= maxBal` and votes for its
    /// value.
    #[action(name = "Phase2b", a in c.acceptor, m in s.msgs)]
    fn phase2b(s: &mut State, c: &Config, a: Acceptor, m: Msg) {
        match m {
            Msg::Phase2a { bal, val } => {
                require!(bal >= s.max_bal[a]);
                s.max_bal[a] = bal;
                s.max_v_bal[a] = bal;
                s.max_val[a] = Some(val);
                s.msgs.insert(Msg::Phase2b { acc: a, bal, val });
            }
            _ => {
                require!(false);
            }
        }
    }

    /// Every variable has its type: ballots in `Ballot ∪ {-1}`, values in `Value ∪ {None}`,
    /// and every message one of the four kinds with fields of the right sets.
    #[invariant(name = "TypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        s.max_bal.domain() == c.acceptor
            && s.max_v_bal.domain() == c.acceptor
            && s.max_val.domain() == c.acceptor
            && c.acceptor.iter().all(|a| {
                (s.max_bal[a] == -1 || is_ballot(c, s.max_bal[a]))
                    && (s.max_v_bal[a] == -1 || is_ballot(c, s.max_v_bal[a]))
                    && match s.max_val[a] {
                        Some(v) => c.value.contains(&v),
                        None => true,
                    }
            })
            && s.msgs.iter().all(|m| match m {
                Msg::Phase1a { bal } => is_ballot(c, bal),
                Msg::Phase1b {
                    acc,
                    bal,
                    mbal,
                    mval,
                } => {
                    c.acceptor.contains(&acc)
                        && is_ballot(c, bal)
                        && (mbal == -1 || is_ballot(c, mbal))
                        && match mval {
                            Some(v) => c.value.contains(&v),
                            None => true,
                        }
                }
                Msg::Phase2a { bal, val } => is_ballot(c, bal) && c.value.contains(&val),
                Msg::Phase2b { acc, bal, val } => {
                    c.acceptor.contains(&acc) && is_ballot(c, bal) && c.value.contains(&val)
                }
            })
    }

    /// Paxos's `Inv` (without its `TypeOK` conjunct, checked on its own): what the variables and
    /// messages mean in terms of the votes of the Voting algorithm.
    #[invariant(name = "Inv")]
    fn inv(s: &State, c: &Config) -> bool {
        c.acceptor.iter().all(|a| s.max_bal[a] >= s.max_v_bal[a])
            && c.acceptor.iter().all(|a| {
                if s.max_v_bal[a] == -1 {
                    s.max_val[a].is_none()
                } else {
                    match s.max_val[a] {
                        Some(v) => voted_for(s, a, s.max_v_bal[a], v),
                        None => false,
                    }
                }
            })
            && s.msgs.iter().all(|m| match m {
                Msg::Phase1b {
                    acc,
                    bal,
                    mbal,
                    mval,
                } => {
                    s.max_bal[acc] >= bal
                        && (mbal < 0
                            || match mval {
                                Some(v) => voted_for(s, acc, mbal, v),
                                None => false,
                            })
                }
                Msg::Phase2a { bal, val } => {
                    c.quorum.iter().any(|q| shows_safe_at(s, c, q, bal, val))
                        && s.msgs.iter().all(|mm| match mm {
                            Msg::Phase2a { bal: b2, val: v2 } => b2 != bal || v2 == val,
                            _ => true,
                        })
                }
                Msg::Phase2b { acc, bal, val } => {
                    s.max_v_bal[acc] >= bal && s.msgs.contains(&Msg::Phase2a { bal, val })
                }
                Msg::Phase1a { .. } => true,
            })
    }

    /// At most one value is chosen.
    #[invariant(name = "ChosenAtMostOne")]
    fn chosen_at_most_one(s: &State, c: &Config) -> bool {
        chosen(s, c).len() <= 1
    }
}

#[test]
fn mc_paxos_tiny_refines_voting_matches_tlc_reference() {
    common::assert_reference(
        &paxos::model(paxos::Config::mc_paxos_tiny()),
        3_921,
        23_563,
        17,
    );
}

#[test]
fn mc_paxos_tiny_refines_voting_tlc_agrees() {
    common::assert_tlc_agrees(&paxos::model(paxos::Config::mc_paxos_tiny()));
}
