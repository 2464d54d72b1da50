//! Single-decree Paxos (Lamport), with a bug zoo of five documented mistakes.
//!
//! ```text
//! cargo run --release --example paxos -- check --config tiny --json
//! cargo run --release --example paxos -- check --config bug_ignore_reported_votes
//! ```

/// Single-decree Paxos, after Lamport's `Paxos.tla` (PaxosHowToWinATuringAward).
///
/// Proposers (one per ballot) and acceptors agree on one value. In phase 1 a proposer asks the
/// acceptors to join its ballot (1a); an acceptor joins if it has not joined a higher ballot,
/// promising to ignore lower ones, and reports its latest vote (1b). In phase 2, once a quorum
/// has joined, the proposer proposes (2a) the value of the highest-ballot vote its quorum
/// reported — or any value if none voted — and acceptors that have not joined a higher ballot
/// vote for it (2b). A value is chosen when a quorum votes for it in one ballot.
///
/// Fault model: `msgs` is every message ever sent, so messages may be lost, duplicated,
/// delayed and reordered; any number of proposers may act at any time; acceptors fail by
/// stopping (a stopped acceptor simply takes no more steps). Configuration `tiny` is Lamport's
/// MCPaxosTiny, with TLC's figures.
///
/// Properties:
/// - `TypeOK`: the variables and messages have their types.
/// - `Agreement`: at most one value is chosen.
/// - `Validity`: a chosen value was proposed.
/// - `OneValuePerBallot`: one proposal per ballot.
/// - `OneVote`: an acceptor votes once per ballot.
/// - `PromiseRespected`: an acceptor never goes back on a promise or vote it has sent.
/// - `SafeProposals`: every proposal is safe at its ballot (a quorum shows it).
/// - `ChosenStable`: once chosen, a value stays chosen (a property of steps, `[][..]_vars`).
/// - `ValueCanBeChosen`: a value can be chosen at all (reachability, checked by lamport).
/// - `EventuallyChosen`: every behaviour chooses a value (`<>`), under the liveness assumption
///   of Lamport's Paxos: the proposer of the top ballot (`fair_ballots`) and a quorum of
///   acceptors (`fair_acceptors`) keep taking the steps they can take (weak fairness, per
///   ballot and per acceptor). Other proposers and acceptors may stop at any time. Paxos does
///   not promise progress without such a distinguished proposer: configuration
///   `no_distinguished_proposer` makes only ballot 0's proposer fair, and the check finds the
///   duel: ballot 1's proposer takes the quorum over from ballot 0 (whose proposal can then
///   no longer be voted for) and stops.
///
/// Bug zoo (each a configuration `bug_*`):
/// - `bug_ignore_reported_votes`: the proposer picks its own value although its quorum reported
///   a vote (the classic mistake): `SafeProposals` fails, and `Agreement` with it.
/// - `bug_forgetful_acceptor`: an acceptor restarts without its durable state (promise and
///   vote), as when they are not written to disk before replying: `PromiseRespected` fails.
/// - `bug_vote_below_promise`: an acceptor votes in a ballot below its promise.
/// - `bug_shared_ballot`: two proposers use the same ballot number, so one ballot gets two
///   proposals: `OneValuePerBallot` fails.
/// - `bug_disjoint_quorums`: quorums that do not intersect (single acceptors).
#[lamport::model]
pub mod paxos {
    use lamport::prelude::*;

    model_values!(Acceptor = "a", Value = "v");

    /// The constants of MCPaxos, and the switches of the bug zoo.
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
        /// Bug zoo: a proposer proposes any value, ignoring the votes its quorum reported.
        pub bug_ignore_reported_votes: bool,
        /// Bug zoo: an acceptor may crash and restart having forgotten its promise and vote.
        pub bug_forgetful_acceptor: bool,
        /// Bug zoo: an acceptor votes in a ballot below the one it promised.
        pub bug_vote_below_promise: bool,
        /// Bug zoo: two proposers share a ballot, so it may get two 2a messages.
        pub bug_shared_ballot: bool,
        /// Liveness: the ballots whose proposer is fair (the distinguished proposer).
        pub fair_ballots: Set<i64>,
        /// Liveness: the acceptors that are fair (a quorum, for progress).
        pub fair_acceptors: Set<Acceptor>,
    }

    #[configs]
    impl Config {
        /// MCPaxosTiny: acceptors `a1..a3`, values `v1, v2`, majority quorums, `MaxBallot = 1`
        /// (TLC: 3,921 distinct states, 23,563 generated, depth 17).
        pub fn tiny() -> Self {
            let acceptor = Acceptor::values(3);
            let quorum = acceptor.subsets().iter().filter(|q| q.len() == 2).collect();
            Config {
                value: Value::values(2),
                fair_acceptors: acceptor.iter().take(2).collect(),
                acceptor,
                quorum,
                max_ballot: 1,
                bug_ignore_reported_votes: false,
                bug_forgetful_acceptor: false,
                bug_vote_below_promise: false,
                bug_shared_ballot: false,
                fair_ballots: Set::singleton(1),
            }
        }
        /// The configuration `cargo test` checks: MCPaxosTiny.
        pub fn ci() -> Self {
            Config::tiny()
        }
        /// MCPaxosSmall: as `tiny` with `MaxBallot = 2` (TLC: 185,369 / 1,361,380 / 25).
        pub fn large() -> Self {
            Config {
                max_ballot: 2,
                fair_ballots: Set::singleton(2),
                ..Config::tiny()
            }
        }
        /// Liveness without a distinguished proposer at the top ballot: only ballot 0's
        /// proposer is fair, and `EventuallyChosen` fails with a lasso.
        pub fn no_distinguished_proposer() -> Self {
            Config {
                fair_ballots: Set::singleton(0),
                ..Config::tiny()
            }
        }
        /// A proposer ignores the highest-ballot vote its quorum reported.
        pub fn bug_ignore_reported_votes() -> Self {
            Config {
                bug_ignore_reported_votes: true,
                ..Config::tiny()
            }
        }
        /// Acceptors forget their promise and vote when they restart.
        pub fn bug_forgetful_acceptor() -> Self {
            Config {
                bug_forgetful_acceptor: true,
                ..Config::tiny()
            }
        }
        /// An acceptor votes below its promise.
        pub fn bug_vote_below_promise() -> Self {
            Config {
                bug_vote_below_promise: true,
                ..Config::tiny()
            }
        }
        /// Two proposers use the same ballot.
        pub fn bug_shared_ballot() -> Self {
            Config {
                bug_shared_ballot: true,
                ..Config::tiny()
            }
        }
        /// Quorums that do not intersect: every single acceptor is a quorum.
        pub fn bug_disjoint_quorums() -> Self {
            let acceptor = Acceptor::values(3);
            let quorum = acceptor.iter().map(Set::singleton).collect();
            Config {
                quorum,
                ..Config::tiny()
            }
        }
    }

    /// The messages of the algorithm.
    #[derive(Value)]
    pub enum Msg {
        /// A leader asks the acceptors to join ballot `bal`.
        Phase1a { bal: i64 },
        /// Acceptor `acc` joins ballot `bal`; its latest vote was for `mval` in `mbal`
        /// (`-1` and `None`: it has not voted).
        Phase1b {
            acc: Acceptor,
            bal: i64,
            mbal: i64,
            mval: Option<Value>,
        },
        /// The leader of ballot `bal` asks the acceptors to vote for `val`.
        Phase2a { bal: i64, val: Value },
        /// Acceptor `acc` votes for `val` in ballot `bal`.
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
        #[network(
            Phase1a: bal as "ballot" -> c.acceptor,
            Phase1b: acc -> bal as "ballot",
            Phase2a: bal as "ballot" -> c.acceptor,
            Phase2b: acc -> "learners",
        )]
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
    fn phase2a_enabled(s: &State, c: &Config, q: Set<Acceptor>, b: i64) -> bool {
        (c.bug_shared_ballot
            || !s.msgs.iter().any(|m| match m {
                Msg::Phase2a { bal, .. } => bal == b,
                _ => false,
            }))
            && q.iter().all(|a| {
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
    #[action(name = "Phase1a", b in 0..=c.max_ballot, fair(b in c.fair_ballots))]
    fn phase1a(s: &mut State, c: &Config, b: i64) {
        s.msgs.insert(Msg::Phase1a { bal: b });
    }

    /// Acceptor `a` receives the 1a message `m` for a ballot above its `maxBal`, joins it, and
    /// answers with its latest vote.
    #[action(name = "Phase1b", a in c.acceptor, m in s.msgs, fair(a in c.fair_acceptors))]
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
    #[action(name = "Phase2aNoVotes", b in 0..=c.max_ballot, v in c.value, q in c.quorum, fair(b in c.fair_ballots))]
    fn phase2a_no_votes(s: &mut State, c: &Config, b: i64, v: Value, q: Set<Acceptor>) {
        require!(phase2a_enabled(s, c, q.clone(), b));
        require!(c.bug_ignore_reported_votes || q1bv(q1b(s, q.clone(), b)).is_empty());
        s.msgs.insert(Msg::Phase2a { bal: b, val: v });
    }

    /// `Phase2a(b, v)` with quorum `q` and the report `m`: `m` is a 1b message for `b` from a
    /// member of `q` reporting a vote for `v` in the highest ballot any member of `q` reported.
    #[action(name = "Phase2aVoted", b in 0..=c.max_ballot, v in c.value, q in c.quorum, m in s.msgs, fair(b in c.fair_ballots))]
    fn phase2a_voted(s: &mut State, c: &Config, b: i64, v: Value, q: Set<Acceptor>, m: Msg) {
        require!(phase2a_enabled(s, c, q.clone(), b));
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
    #[action(name = "Phase2b", a in c.acceptor, m in s.msgs, fair(a in c.fair_acceptors))]
    fn phase2b(s: &mut State, c: &Config, a: Acceptor, m: Msg) {
        match m {
            Msg::Phase2a { bal, val } => {
                require!(c.bug_vote_below_promise || bal >= s.max_bal[a]);
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

    /// Bug zoo: acceptor `a` crashes and restarts with its promise and vote forgotten (its
    /// messages stay sent).
    #[action(name = "ForgetfulRestart", a in c.acceptor)]
    fn forgetful_restart(s: &mut State, c: &Config, a: Acceptor) {
        require!(c.bug_forgetful_acceptor);
        require!(s.max_bal[a] >= 0);
        s.max_bal[a] = -1;
        s.max_v_bal[a] = -1;
        s.max_val[a] = None;
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

    /// Agreement: at most one value is chosen.
    #[invariant(name = "Agreement")]
    fn agreement(s: &State, c: &Config) -> bool {
        chosen(s, c).len() <= 1
    }

    /// Validity: a chosen value was proposed (sent in a 2a message).
    #[invariant(name = "Validity")]
    fn validity(s: &State, c: &Config) -> bool {
        chosen(s, c).iter().all(|v| {
            s.msgs.iter().any(|m| match m {
                Msg::Phase2a { val, .. } => val == v,
                _ => false,
            })
        })
    }

    /// At most one value is proposed in each ballot.
    #[invariant(name = "OneValuePerBallot")]
    fn one_value_per_ballot(s: &State) -> bool {
        s.msgs.iter().all(|m1| match m1 {
            Msg::Phase2a { bal: b1, val: v1 } => s.msgs.iter().all(|m2| match m2 {
                Msg::Phase2a { bal: b2, val: v2 } => b1 != b2 || v1 == v2,
                _ => true,
            }),
            _ => true,
        })
    }

    /// An acceptor votes for at most one value in each ballot.
    #[invariant(name = "OneVote")]
    fn one_vote(s: &State) -> bool {
        s.msgs.iter().all(|m1| match m1 {
            Msg::Phase2b {
                acc: a1,
                bal: b1,
                val: v1,
            } => s.msgs.iter().all(|m2| match m2 {
                Msg::Phase2b {
                    acc: a2,
                    bal: b2,
                    val: v2,
                } => a1 != a2 || b1 != b2 || v1 == v2,
                _ => true,
            }),
            _ => true,
        })
    }

    /// An acceptor never stands below a promise or a vote it has sent.
    #[invariant(name = "PromiseRespected")]
    fn promise_respected(s: &State) -> bool {
        s.msgs.iter().all(|m| match m {
            Msg::Phase1b { acc, bal, .. } => s.max_bal[acc] >= bal,
            Msg::Phase2b { acc, bal, .. } => s.max_bal[acc] >= bal && s.max_v_bal[acc] >= bal,
            _ => true,
        })
    }

    /// Some behaviour chooses a value (so the properties above are not vacuous).
    #[reachable(name = "ValueCanBeChosen")]
    fn value_can_be_chosen(s: &State, c: &Config) -> bool {
        !chosen(s, c).is_empty()
    }

    /// Once chosen, a value stays chosen (a property of every step).
    #[step_property(name = "ChosenStable")]
    fn chosen_stable(s: &State, next: &State, c: &Config) -> bool {
        chosen(s, c).is_subset(&chosen(next, c))
    }

    /// Every behaviour eventually chooses a value (under the fairness of the distinguished
    /// proposer and a quorum of acceptors).
    #[eventually(name = "EventuallyChosen")]
    fn eventually_chosen(s: &State, c: &Config) -> bool {
        !chosen(s, c).is_empty()
    }

    /// Every proposal is safe: a quorum shows its value is safe at its ballot (Voting's
    /// `ShowsSafeAt`), the heart of the algorithm.
    #[invariant(name = "SafeProposals")]
    fn safe_proposals(s: &State, c: &Config) -> bool {
        s.msgs.iter().all(|m| match m {
            Msg::Phase2a { bal, val } => c.quorum.iter().any(|q| shows_safe_at(s, c, q, bal, val)),
            _ => true,
        })
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(paxos::definition())
}
