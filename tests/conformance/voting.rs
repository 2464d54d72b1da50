//! Lamport's Voting algorithm, translated from `Voting.tla` (tlaplus/Examples,
//! `specifications/PaxosHowToWinATuringAward`) and checked as its `MCVoting` model does: three
//! acceptors, two values, majority quorums, ballots `0..2`, no deadlock check. TLC reports 6,752
//! distinct states, 41,017 generated, depth 16.

use crate::common;

/// The Voting algorithm: the abstraction of Paxos in which acceptors vote directly, without
/// messages.
///
/// Acceptors cast votes `(b, v)`: a vote for value `v` in ballot `b`. A value is chosen when
/// every acceptor of some quorum has voted for it in the same ballot. An acceptor may raise its
/// `maxBal` (the ballot below which it will never vote again) at any time. It votes for `v` in
/// ballot `b` only if it has not voted in `b` yet, nobody has voted for another value in `b`, and
/// some quorum `Q` shows `v` safe at `b` (`ShowsSafeAt(Q, b, v)`): every member of `Q` has
/// `maxBal >= b`, and for some ballot `c < b` (or `c = -1`) a member of `Q` voted for `v` in `c`
/// (when `c >= 0`) while no member of `Q` voted in any ballot strictly between `c` and `b`.
///
/// The choice of the quorum, of `c` and of the member of `Q` who voted in `c` are existentials in
/// the conjuncts of `VoteFor`, and TLC computes one successor for each witness. They are the
/// parameters `q`, `cb` and `w` here. The `c = -1` case has no voter witness, so it is its own
/// action, `VoteForNoEarlierVote`; `VoteForAfterVote` is the `c >= 0` case.
///
/// Ballots are bounded by the constant `Ballot` (the wrapper's override of `Ballot == Nat`);
/// `maxBal` is `-1` before an acceptor has seen any ballot.
///
/// Properties: `TypeOK`, `VotesSafe` and `OneValuePerBallot` (the conjuncts of Voting's `Inv`,
/// which MCVoting checks), and `ChosenAtMostOne`: at most one value is chosen (`Inv` of
/// `Consensus.tla`, through the refinement `C == INSTANCE Consensus`).
#[lamport::model(check_deadlock = false)]
#[refines(crate::consensus::consensus)]
pub mod voting {
    use lamport::prelude::*;

    model_values!(Acceptor = "a", Value = "v");

    /// The constants of MCVoting.
    #[constants]
    pub struct Config {
        /// The values that can be chosen.
        pub value: Set<Value>,
        /// The acceptors.
        pub acceptor: Set<Acceptor>,
        /// The quorums: sets of acceptors, any two of which intersect.
        pub quorum: Set<Set<Acceptor>>,
        /// The ballot numbers (`Nat` in Voting.tla, `0..2` in MCVoting).
        pub ballot: Set<i64>,
    }

    #[configs]
    impl Config {
        /// MCVoting: acceptors `a1..a3`, values `v1, v2`, majority quorums, ballots `0..2`.
        pub fn mc_voting() -> Self {
            let acceptor = Acceptor::values(3);
            let quorum = acceptor.subsets().iter().filter(|q| q.len() == 2).collect();
            Config {
                value: Value::values(2),
                acceptor,
                quorum,
                ballot: (0..=2).collect(),
            }
        }
    }

    #[state]
    pub struct State {
        /// `votes[a]`: the votes `(ballot, value)` acceptor `a` has cast.
        pub votes: Map<Acceptor, Set<(i64, Value)>>,
        /// `maxBal[a]`: acceptor `a` never votes in a ballot below it (`-1` initially).
        pub max_bal: Map<Acceptor, i64>,
    }

    /// Acceptor `a` has voted for `v` in ballot `b`.
    fn voted_for(s: &State, a: Acceptor, b: i64, v: Value) -> bool {
        s.votes[a].contains(&(b, v))
    }

    /// A quorum has voted for `v` in ballot `b`.
    fn chosen_at(s: &State, c: &Config, b: i64, v: Value) -> bool {
        c.quorum
            .iter()
            .any(|q| q.iter().all(|a| voted_for(s, a, b, v)))
    }

    /// The chosen values.
    fn chosen(s: &State, c: &Config) -> Set<Value> {
        c.value
            .iter()
            .filter(|v| c.ballot.iter().any(|b| chosen_at(s, c, b, *v)))
            .collect::<Set<_>>()
    }

    /// Acceptor `a` has not voted in ballot `b`.
    fn did_not_vote_at(s: &State, c: &Config, a: Acceptor, b: i64) -> bool {
        c.value.iter().all(|v| !voted_for(s, a, b, v))
    }

    /// Acceptor `a` has not voted in ballot `b` and never will.
    fn cannot_vote_at(s: &State, c: &Config, a: Acceptor, b: i64) -> bool {
        s.max_bal[a] > b && did_not_vote_at(s, c, a, b)
    }

    /// No value other than `v` has been or can ever be chosen in ballot `b`.
    fn none_other_choosable_at(s: &State, c: &Config, b: i64, v: Value) -> bool {
        c.quorum.iter().any(|q| {
            q.iter()
                .all(|a| voted_for(s, a, b, v) || cannot_vote_at(s, c, a, b))
        })
    }

    /// No value other than `v` has been or can ever be chosen in a ballot below `b`.
    fn safe_at(s: &State, c: &Config, b: i64, v: Value) -> bool {
        (0..b).all(|d| none_other_choosable_at(s, c, d, v))
    }

    /// No member of `q` voted in a ballot from `from` to `to - 1`.
    fn quorum_silent(s: &State, c: &Config, q: Set<Acceptor>, from: i64, to: i64) -> bool {
        (from..to).all(|d| q.iter().all(|a| did_not_vote_at(s, c, a, d)))
    }

    /// The conjuncts of `VoteFor(a, b, v)` before its choice of a quorum.
    fn can_vote_for(s: &State, c: &Config, a: Acceptor, b: i64, v: Value) -> bool {
        s.max_bal[a] <= b
            && s.votes[a].iter().all(|vt| vt.0 != b)
            && c.acceptor
                .difference(&Set::singleton(a))
                .iter()
                .all(|o| s.votes[o].iter().all(|vt| vt.0 != b || vt.1 == v))
    }

    /// Every acceptor voted for nothing and has seen no ballot.
    #[init]
    fn init(c: &Config) -> State {
        State {
            votes: c.acceptor.iter().map(|a| (a, Set::new())).collect(),
            max_bal: c.acceptor.iter().map(|a| (a, -1)).collect(),
        }
    }

    /// Acceptor `a` promises never to vote in a ballot below `b`.
    #[action(name = "IncreaseMaxBal", a in c.acceptor, b in c.ballot)]
    fn increase_max_bal(s: &mut State, c: &Config, a: Acceptor, b: i64) {
        require!(b > s.max_bal[a]);
        s.max_bal[a] = b;
    }

    /// `VoteFor(a, b, v)` where quorum `q` shows `v` safe at `b` with `c = -1`: every member of
    /// `q` has `maxBal >= b` and none has voted in a ballot below `b`.
    #[action(name = "VoteForNoEarlierVote", a in c.acceptor, b in c.ballot, v in c.value, q in c.quorum)]
    fn vote_for_no_earlier_vote(
        s: &mut State,
        c: &Config,
        a: Acceptor,
        b: i64,
        v: Value,
        q: Set<Acceptor>,
    ) {
        require!(can_vote_for(s, c, a, b, v));
        require!(q.iter().all(|x| s.max_bal[x] >= b));
        require!(quorum_silent(s, c, q.clone(), 0, b));
        s.votes[a].insert((b, v));
        s.max_bal[a] = b;
    }

    /// `VoteFor(a, b, v)` where quorum `q` shows `v` safe at `b` with ballot `cb >= 0`: every
    /// member of `q` has `maxBal >= b`, member `w` of `q` voted for `v` in `cb`, and no member of
    /// `q` voted in a ballot between `cb` and `b`.
    #[allow(clippy::too_many_arguments)]
    #[action(name = "VoteForAfterVote", a in c.acceptor, b in c.ballot, v in c.value, q in c.quorum, cb in 0..b, w in q)]
    fn vote_for_after_vote(
        s: &mut State,
        c: &Config,
        a: Acceptor,
        b: i64,
        v: Value,
        q: Set<Acceptor>,
        cb: i64,
        w: Acceptor,
    ) {
        require!(can_vote_for(s, c, a, b, v));
        require!(q.iter().all(|x| s.max_bal[x] >= b));
        require!(voted_for(s, w, cb, v));
        require!(quorum_silent(s, c, q.clone(), cb + 1, b));
        s.votes[a].insert((b, v));
        s.max_bal[a] = b;
    }

    /// Every acceptor has a set of votes in `Ballot × Value` and a `maxBal` in `Ballot ∪ {-1}`.
    #[invariant(name = "TypeOK")]
    fn type_ok(s: &State, c: &Config) -> bool {
        s.votes.domain() == c.acceptor
            && c.acceptor.iter().all(|a| {
                s.votes[a]
                    .iter()
                    .all(|vt| c.ballot.contains(&vt.0) && c.value.contains(&vt.1))
            })
            && s.max_bal.domain() == c.acceptor
            && c.acceptor
                .iter()
                .all(|a| s.max_bal[a] == -1 || c.ballot.contains(&s.max_bal[a]))
    }

    /// Every vote is for a value safe at its ballot.
    #[invariant(name = "VotesSafe")]
    fn votes_safe(s: &State, c: &Config) -> bool {
        c.acceptor.iter().all(|a| {
            c.ballot.iter().all(|b| {
                c.value
                    .iter()
                    .all(|v| !voted_for(s, a, b, v) || safe_at(s, c, b, v))
            })
        })
    }

    /// No two votes in the same ballot are for different values.
    #[invariant(name = "OneValuePerBallot")]
    fn one_value_per_ballot(s: &State, c: &Config) -> bool {
        c.acceptor.iter().all(|a1| {
            c.acceptor.iter().all(|a2| {
                c.ballot.iter().all(|b| {
                    c.value.iter().all(|v1| {
                        c.value.iter().all(|v2| {
                            !(voted_for(s, a1, b, v1) && voted_for(s, a2, b, v2)) || v1 == v2
                        })
                    })
                })
            })
        })
    }

    /// At most one value is chosen.
    #[invariant(name = "ChosenAtMostOne")]
    fn chosen_at_most_one(s: &State, c: &Config) -> bool {
        chosen(s, c).len() <= 1
    }
}

#[test]
fn mc_voting_refines_consensus_matches_tlc_reference() {
    common::assert_reference(
        &voting::model(voting::Config::mc_voting()),
        6_752,
        41_017,
        16,
    );
}

#[test]
fn mc_voting_refines_consensus_tlc_agrees() {
    common::assert_tlc_agrees(&voting::model(voting::Config::mc_voting()));
}
