//! Raft (Ongaro and Ousterhout, USENIX ATC 2014): leader election and log replication over a
//! network that loses, duplicates and reorders messages, with restarts that keep only the
//! persistent state.
//!
//! ```text
//! cargo run --release --example raft -- check --config ci --json
//! cargo run --release --example raft -- check --config bug_commit_previous_term
//! ```

/// Raft's leader election and log replication, in the shape of Ongaro's `raft.tla`.
///
/// Each server is a follower, a candidate or a leader, and keeps a current term, the candidate
/// it voted for in that term, and a log of entries (a term and a client value); these three are
/// persistent. A follower that hears from no leader times out (`Timeout`): it starts a new term
/// as a candidate, votes for itself, and asks each other server for its vote (`RequestVote`). A
/// server grants its vote at most once per term, and only to a candidate whose log is at least
/// as up to date as its own (a later last term, or the same last term and at least as long).
/// A candidate with the votes of a majority becomes leader (`BecomeLeader`). A leader appends
/// client values to its log (`ClientRequest`) and sends each follower at most one entry at a
/// time (`AppendEntries`), with the index and term of the entry before it; a follower whose
/// log holds that entry accepts, replacing a conflicting entry, and otherwise refuses so that
/// the leader retries one index lower. The leader commits the highest index that a majority
/// holds, but only if the entry there is from its own term (`AdvanceCommitIndex`), and passes
/// its commit index on with its requests. A server that sees a higher term adopts it and
/// becomes a follower (`UpdateTerm`); responses from older terms are dropped
/// (`DropStaleResponse`).
///
/// Fault model. Messages travel in a bag (`msgs`, each in-flight message with its number of
/// copies), so they are delivered in any order; a message identical to one in flight adds no
/// copy (the network may always lose a message, and this keeps the bag finite). The network
/// may lose a message (`DropMessage`, at most `MaxDrops` times in a run) or duplicate one
/// (`DuplicateMessage`, at most `MaxDuplicates` times). A server may crash and restart
/// (`Restart`, at most `MaxRestarts` times): it keeps its current term, vote and log and loses
/// everything else (role, votes received, commit index, the leader's next and match indexes).
///
/// Bounds. Terms are bounded by `MaxTerm` (a server does not time out at `MaxTerm`), logs by
/// `MaxLogLen`, and the network's load: a server starts a new request (`RequestVote`,
/// `AppendEntries`) only while fewer than `MaxInFlight` distinct messages are in flight and no
/// request of the same kind to the same server, nor its response, is still in flight. Replies
/// are always sent.
///
/// Where `raft.tla` takes several steps to handle one message (a candidate returning to
/// follower, removing a conflicting entry, appending), this model takes one; a candidate's vote
/// for itself is part of its timeout; a follower never lowers its commit index on an old
/// request. Volatile state that only a leader or a candidate uses is cleared when a server steps
/// down, so that states differ only in what matters. Two history variables record every
/// election won (`elected`) and every entry a leader committed, with the term it was committed
/// in (`committed`).
///
/// Properties:
/// - `ElectionSafety`: at most one server is ever elected leader in a given term (over the
///   history of elections).
/// - `OneLeaderPerTerm`: no two servers are leaders of the same term at the same time.
/// - `LogMatching`: if two logs hold an entry with the same index and term, they are
///   identical up to that index.
/// - `LeaderCompleteness`: an entry committed in a term is in the log of every leader of a
///   later term.
/// - `StateMachineSafety`: the committed prefixes of any two servers agree, so no two servers
///   apply different entries at the same index.
/// - `CommittedReachesMajority`: every committed entry is held by a majority of servers.
/// - `CommitIndexInLog`: a server's commit index never exceeds the length of its log.
/// - `LeaderAppendOnly`: a leader never overwrites or deletes entries in its log (a property
///   of steps).
/// - `CommitIndexMonotone`: a commit index never decreases, except when its server restarts
///   (a property of steps).
/// - `ValueCanBeCommitted`: some run commits an entry (reachability, against vacuity).
/// - `AcceptedValueCommitted`: once no restarts remain, a value that the leader of the last
///   term has accepted in that term is eventually committed (`~>`, for each value).
///
/// Fairness, for `AcceptedValueCommitted`: the protocol's own steps are weakly fair (a vote
/// request, becoming leader, a client request, advancing the commit index, handling each kind
/// of message); a leader's `AppendEntries` to each follower is strongly fair. Timeouts,
/// restarts, losses and duplicates are not fair: they may happen, nothing forces them. Weak
/// fairness of `AppendEntries` is not enough here, and both lamport and TLC show why: with one
/// message in flight, a candidate that keeps asking a follower for the vote it refused takes the
/// network whenever the leader could send, so the leader's request is enabled only now and
/// then, and never sent. The stronger `<>` "some value is committed" does not hold in a bounded
/// model at all: elections in the last term may split the vote, and no later term may begin.
/// `ci_no_fairness` checks the property without fairness, where it fails at once (a behaviour
/// may stop after the leader accepts the value).
///
/// Bug zoo (each a configuration `bug_*`):
/// - `bug_commit_previous_term`: a leader commits an entry from an earlier term once a majority
///   holds it (Raft paper §5.4.2, Figure 8). With three servers: s1 leads term 2 and appends
///   an entry it does not replicate, s2 leads term 3 and appends another at the same index, s1
///   leads term 4, copies its entry to s3 and commits it, and s2, whose last term (3) beats
///   that of the entry's holders (2), wins term 5 without it: `LeaderCompleteness` fails (and
///   `StateMachineSafety` once s2 commits its own entry over it).
/// - `bug_vote_without_log_check`: votes are granted without the up-to-date check (Raft paper
///   §5.4.1, the election restriction): a server with an empty log is elected after an entry
///   was committed: `LeaderCompleteness` fails.
/// - `bug_forget_voted_for`: `votedFor` is not persisted, so a restarted server votes a second
///   time in the same term (Raft paper Figure 2: currentTerm, votedFor and log are updated on
///   stable storage before responding): two leaders are elected in one term and
///   `ElectionSafety` fails.
///
/// Configurations, all with three servers, one value, logs of one entry and symmetric in the
/// servers: `ci` (terms up to 2, one message in flight, one restart, one loss, one duplicate) is
/// checked exhaustively in `cargo test`; `large` is `ci` with terms up to 3 (a second round of
/// elections); `two_in_flight` is `ci` with two messages in flight, so that they overtake each
/// other. Each bug has its own bounds, just enough for its counterexample, with one message in
/// flight and no loss or duplication: terms up to 5 for Figure 8, 3 for the vote without the log
/// check, 2 and one restart for the forgotten vote. Deadlock is not checked: at the bounds a run
/// may simply stop.
#[lamport::model(check_deadlock = false)]
pub mod raft {
    use lamport::prelude::*;

    model_values!(Server = "s", Value = "v");

    /// The servers, the client values, the bounds of the exploration, and the bug switches.
    #[constants]
    pub struct Config {
        /// The servers.
        pub server: Set<Server>,
        /// The values clients ask to have replicated.
        pub value: Set<Value>,
        /// The highest term a server may start by timing out.
        pub max_term: i64,
        /// The longest log a leader may extend by a client request.
        pub max_log_len: usize,
        /// A server starts a new request only while fewer distinct messages are in flight.
        pub max_in_flight: usize,
        /// Restarts at most, over a run.
        pub max_restarts: i64,
        /// Lost messages at most, over a run.
        pub max_drops: i64,
        /// Duplicated messages at most, over a run.
        pub max_duplicates: i64,
        /// Bug zoo: commit an entry from an earlier term by counting its replicas (Figure 8).
        pub bug_commit_previous_term: bool,
        /// Bug zoo: grant votes without checking that the candidate's log is up to date.
        pub bug_vote_without_log_check: bool,
        /// Bug zoo: a restart forgets `votedFor`.
        pub bug_forget_voted_for: bool,
    }

    #[configs]
    impl Config {
        /// Three servers, one value, terms up to 2, logs of one entry, one message in flight
        /// (besides duplicates and replies), one restart, one lost and one duplicated message.
        #[symmetry(server)]
        pub fn ci() -> Self {
            Config {
                server: Server::values(3),
                value: Value::values(1),
                max_term: 2,
                max_log_len: 1,
                max_in_flight: 1,
                max_restarts: 1,
                max_drops: 1,
                max_duplicates: 1,
                bug_commit_previous_term: false,
                bug_vote_without_log_check: false,
                bug_forget_voted_for: false,
            }
        }
        /// As `ci` with terms up to 3: a second round of elections.
        #[symmetry(server)]
        pub fn large() -> Self {
            Config {
                max_term: 3,
                ..Config::ci()
            }
        }
        /// As `ci` with two messages in flight, so that requests and replies overtake each
        /// other.
        #[symmetry(server)]
        pub fn two_in_flight() -> Self {
            Config {
                max_in_flight: 2,
                ..Config::ci()
            }
        }
        /// Figure 8: a leader counts replicas of an entry from an earlier term. Five terms;
        /// no faults are needed.
        #[symmetry(server)]
        pub fn bug_commit_previous_term() -> Self {
            Config {
                max_term: 5,
                max_restarts: 0,
                max_drops: 0,
                max_duplicates: 0,
                bug_commit_previous_term: true,
                ..Config::ci()
            }
        }
        /// Votes without the up-to-date check on the candidate's log.
        #[symmetry(server)]
        pub fn bug_vote_without_log_check() -> Self {
            Config {
                max_term: 3,
                max_restarts: 0,
                max_drops: 0,
                max_duplicates: 0,
                bug_vote_without_log_check: true,
                ..Config::ci()
            }
        }
        /// `ci` with `AcceptedValueCommitted` checked without the fairness conditions, where it
        /// fails: a behaviour may stop with the value accepted and not yet replicated.
        #[symmetry(server)]
        #[no_fairness]
        pub fn ci_no_fairness() -> Self {
            Config::ci()
        }
        /// A restart forgets the vote cast in the current term.
        #[symmetry(server)]
        pub fn bug_forget_voted_for() -> Self {
            Config {
                max_drops: 0,
                max_duplicates: 0,
                bug_forget_voted_for: true,
                ..Config::ci()
            }
        }
    }

    /// A server's role.
    #[derive(Value)]
    pub enum Role {
        Follower,
        Candidate,
        Leader,
    }

    /// A log entry: the term it was created in and the client's value.
    #[derive(Value)]
    pub struct Entry {
        pub term: i64,
        pub value: Value,
    }

    /// An election won: `leader` became leader of `term`.
    #[derive(Value)]
    pub struct Election {
        pub term: i64,
        pub leader: Server,
    }

    /// An entry committed by a leader: `entry` at `index`, committed in term `term`.
    #[derive(Value)]
    pub struct Commit {
        pub index: usize,
        pub entry: Entry,
        pub term: i64,
    }

    /// The messages between servers.
    #[derive(Value)]
    pub enum Msg {
        /// Candidate `source` asks `dest` for its vote in `term`; its log ends with an entry of
        /// term `last_log_term` at index `last_log_index` (0 and 0 when empty).
        RequestVoteRequest {
            term: i64,
            last_log_term: i64,
            last_log_index: usize,
            source: Server,
            dest: Server,
        },
        /// `source` answers the vote request of `dest`, in its own current term.
        RequestVoteResponse {
            term: i64,
            granted: bool,
            source: Server,
            dest: Server,
        },
        /// Leader `source` of `term` sends `dest` the entry (if any) after index
        /// `prev_log_index`, whose entry has term `prev_log_term`, and its commit index.
        AppendEntriesRequest {
            term: i64,
            prev_log_index: usize,
            prev_log_term: i64,
            entry: Option<Entry>,
            commit_index: usize,
            source: Server,
            dest: Server,
        },
        /// `source` answers `dest`'s append request: on success, its log matches the leader's
        /// up to `match_index`.
        AppendEntriesResponse {
            term: i64,
            success: bool,
            match_index: usize,
            source: Server,
            dest: Server,
        },
    }

    #[state]
    pub struct State {
        /// `currentTerm[i]` (persistent).
        pub current_term: Map<Server, i64>,
        /// `votedFor[i]`: the candidate `i` voted for in its current term (persistent).
        pub voted_for: Map<Server, Option<Server>>,
        /// `log[i]` (persistent).
        pub log: Map<Server, Seq<Entry>>,
        /// `state[i]`: follower, candidate or leader.
        pub role: Map<Server, Role>,
        /// `commitIndex[i]`: the highest index `i` knows to be committed.
        pub commit_index: Map<Server, usize>,
        /// `votesGranted[i]`: the servers that voted for candidate `i` in its current term.
        pub votes_granted: Map<Server, Set<Server>>,
        /// `nextIndex[i][j]`: the next entry leader `i` sends to `j`.
        pub next_index: Map<Server, Map<Server, usize>>,
        /// `matchIndex[i][j]`: the highest index leader `i` knows `j`'s log to match its own.
        pub match_index: Map<Server, Map<Server, usize>>,
        /// The network: each message in flight and its number of copies.
        #[network(source -> dest, loses = drop_message, duplicates = duplicate_message)]
        pub msgs: Map<Msg, i64>,
        /// History: every election won.
        pub elected: Set<Election>,
        /// History: every entry a leader committed, with the term of the commit.
        pub committed: Set<Commit>,
        /// Restarts so far.
        pub restarts: i64,
        /// Messages lost so far.
        pub drops: i64,
        /// Messages duplicated so far.
        pub duplicates: i64,
    }

    /// Every server is a follower in term 1 with an empty log; nothing is in flight.
    #[init]
    fn init(c: &Config) -> State {
        State {
            current_term: c.server.iter().map(|i| (i, 1)).collect::<Map<_, _>>(),
            voted_for: c.server.iter().map(|i| (i, None)).collect::<Map<_, _>>(),
            log: c
                .server
                .iter()
                .map(|i| (i, Seq::new()))
                .collect::<Map<_, _>>(),
            role: c
                .server
                .iter()
                .map(|i| (i, Role::Follower))
                .collect::<Map<_, _>>(),
            commit_index: c.server.iter().map(|i| (i, 0)).collect::<Map<_, _>>(),
            votes_granted: c
                .server
                .iter()
                .map(|i| (i, Set::new()))
                .collect::<Map<_, _>>(),
            next_index: c
                .server
                .iter()
                .map(|i| (i, no_next_index(c)))
                .collect::<Map<_, _>>(),
            match_index: c
                .server
                .iter()
                .map(|i| (i, no_match_index(c)))
                .collect::<Map<_, _>>(),
            msgs: Map::new(),
            elected: Set::new(),
            committed: Set::new(),
            restarts: 0,
            drops: 0,
            duplicates: 0,
        }
    }

    /// The next indexes of a server that is not leader.
    fn no_next_index(c: &Config) -> Map<Server, usize> {
        c.server.iter().map(|j| (j, 1)).collect::<Map<_, _>>()
    }

    /// The match indexes of a server that is not leader.
    fn no_match_index(c: &Config) -> Map<Server, usize> {
        c.server.iter().map(|j| (j, 0)).collect::<Map<_, _>>()
    }

    /// `q` is a majority of the servers.
    fn is_quorum(c: &Config, q: Set<Server>) -> bool {
        q.len() * 2 > c.server.len()
    }

    /// The term of the last entry of `log`, or 0 when it is empty.
    fn last_term(log: Seq<Entry>) -> i64 {
        if log.is_empty() {
            0
        } else {
            log[log.len() - 1].term
        }
    }

    /// `a` is a prefix of `b`.
    fn is_prefix(a: Seq<Entry>, b: Seq<Entry>) -> bool {
        a.len() <= b.len() && (0..a.len()).all(|n| a[n] == b[n])
    }

    /// The server a message is addressed to.
    fn dest_of(m: Msg) -> Server {
        match m.clone() {
            Msg::RequestVoteRequest { dest, .. } => dest,
            Msg::RequestVoteResponse { dest, .. } => dest,
            Msg::AppendEntriesRequest { dest, .. } => dest,
            Msg::AppendEntriesResponse { dest, .. } => dest,
        }
    }

    /// The term a message was sent in.
    fn term_of(m: Msg) -> i64 {
        match m.clone() {
            Msg::RequestVoteRequest { term, .. } => term,
            Msg::RequestVoteResponse { term, .. } => term,
            Msg::AppendEntriesRequest { term, .. } => term,
            Msg::AppendEntriesResponse { term, .. } => term,
        }
    }

    /// The servers whose logs leader `i` knows to hold its entry at `index` (itself included).
    fn agree(s: &State, c: &Config, i: Server, index: usize) -> Set<Server> {
        c.server
            .iter()
            .filter(|k| *k == i || s.match_index[i][*k] >= index)
            .collect::<Set<_>>()
    }

    /// A request from `i` to `j`, or its response from `j` to `i`, is in flight: of a vote
    /// exchange if `votes`, otherwise of an append exchange.
    fn exchange_in_flight(s: &State, i: Server, j: Server, votes: bool) -> bool {
        s.msgs.domain().iter().any(|m| match m {
            Msg::RequestVoteRequest { source, dest, .. } => votes && source == i && dest == j,
            Msg::RequestVoteResponse { source, dest, .. } => votes && source == j && dest == i,
            Msg::AppendEntriesRequest { source, dest, .. } => !votes && source == i && dest == j,
            Msg::AppendEntriesResponse { source, dest, .. } => !votes && source == j && dest == i,
        })
    }

    /// The bag `msgs` with `m` added, unless a copy of `m` is already in flight (`Send`).
    fn send(msgs: Map<Msg, i64>, m: Msg) -> Map<Msg, i64> {
        msgs.domain()
            .union(&Set::singleton(m))
            .iter()
            .map(|k| (k.clone(), if msgs.contains_key(&k) { msgs[k] } else { 1 }))
            .collect::<Map<_, _>>()
    }

    /// The bag `msgs` with one copy of `m` taken out (`Discard`).
    fn discard(msgs: Map<Msg, i64>, m: Msg) -> Map<Msg, i64> {
        msgs.domain()
            .iter()
            .filter(|k| *k != m || msgs[k.clone()] > 1)
            .map(|k| (k.clone(), if k == m { msgs[k] - 1 } else { msgs[k] }))
            .collect::<Map<_, _>>()
    }

    /// Whether `i` may vote for a candidate whose log ends with an entry of term `last_log_term`
    /// at index `last_log_index`: that log is at least as up to date as `i`'s.
    fn log_ok(s: &State, c: &Config, i: Server, last_log_term: i64, last_log_index: usize) -> bool {
        let mine = last_term(s.log[i].clone());
        c.bug_vote_without_log_check
            || last_log_term > mine
            || (last_log_term == mine && last_log_index >= s.log[i].len())
    }

    /// Whether `i`'s log holds an entry of term `term` at index `index` (always, for index 0).
    fn holds_entry(s: &State, i: Server, index: usize, term: i64) -> bool {
        index == 0 || (index <= s.log[i].len() && s.log[i][index - 1].term == term)
    }

    /// `log` with `e` stored at index `index + 1`: unchanged if an entry of the same term is
    /// there already, otherwise cut after index `index` and extended by `e`.
    fn store(log: Seq<Entry>, index: usize, e: Entry) -> Seq<Entry> {
        if log.len() > index && log[index].term == e.term {
            log
        } else {
            log.subseq(0, index).append(e)
        }
    }

    /// Server `i` restarts: it keeps its current term, vote and log, and forgets the rest.
    #[action(name = "Restart", i in c.server)]
    fn restart(s: &mut State, c: &Config, i: Server) {
        require!(s.restarts < c.max_restarts);
        s.role[i] = Role::Follower;
        s.votes_granted[i] = Set::new();
        s.next_index[i] = no_next_index(c);
        s.match_index[i] = no_match_index(c);
        s.commit_index[i] = 0;
        if c.bug_forget_voted_for {
            s.voted_for[i] = None;
        }
        s.restarts += 1;
    }

    /// Server `i` hears from no leader, starts a new term as a candidate and votes for itself.
    #[action(name = "Timeout", i in c.server)]
    fn timeout(s: &mut State, c: &Config, i: Server) {
        require!(s.role[i] != Role::Leader);
        require!(s.current_term[i] < c.max_term);
        s.current_term[i] += 1;
        s.role[i] = Role::Candidate;
        s.voted_for[i] = Some(i);
        s.votes_granted[i] = Set::singleton(i);
    }

    /// Candidate `i` asks `j` for its vote.
    #[action(name = "RequestVote", i in c.server, j in c.server, fair)]
    fn request_vote(s: &mut State, c: &Config, i: Server, j: Server) {
        require!(i != j);
        require!(s.role[i] == Role::Candidate);
        require!(!s.votes_granted[i].contains(&j));
        require!(s.msgs.len() < c.max_in_flight);
        require!(!exchange_in_flight(s, i, j, true));
        let m = Msg::RequestVoteRequest {
            term: s.current_term[i],
            last_log_term: last_term(s.log[i].clone()),
            last_log_index: s.log[i].len(),
            source: i,
            dest: j,
        };
        s.msgs = send(s.msgs.clone(), m);
    }

    /// Candidate `i` has the votes of a majority and becomes leader of its term.
    #[action(name = "BecomeLeader", i in c.server, fair)]
    fn become_leader(s: &mut State, c: &Config, i: Server) {
        require!(s.role[i] == Role::Candidate);
        require!(is_quorum(c, s.votes_granted[i].clone()));
        let next = s.log[i].len() + 1;
        s.role[i] = Role::Leader;
        s.votes_granted[i] = Set::new();
        s.next_index[i] = c.server.iter().map(|j| (j, next)).collect::<Map<_, _>>();
        s.match_index[i] = no_match_index(c);
        s.elected.insert(Election {
            term: s.current_term[i],
            leader: i,
        });
    }

    /// Leader `i` appends the client value `v` to its log.
    #[action(name = "ClientRequest", i in c.server, v in c.value, fair)]
    fn client_request(s: &mut State, c: &Config, i: Server, v: Value) {
        require!(s.role[i] == Role::Leader);
        require!(s.log[i].len() < c.max_log_len);
        let e = Entry {
            term: s.current_term[i],
            value: v,
        };
        s.log[i].push(e);
    }

    /// Leader `i` commits the highest index a majority holds, if its entry is from the
    /// leader's own term (in the Figure-8 bug: whatever its term).
    #[action(name = "AdvanceCommitIndex", i in c.server, fair)]
    fn advance_commit_index(s: &mut State, c: &Config, i: Server) {
        require!(s.role[i] == Role::Leader);
        let agreed = (1..=s.log[i].len())
            .filter(|n| is_quorum(c, agree(s, c, i, *n)))
            .collect::<Set<_>>();
        require!(!agreed.is_empty());
        let top = agreed.iter().max().unwrap();
        require!(top > s.commit_index[i]);
        require!(c.bug_commit_previous_term || s.log[i][top - 1].term == s.current_term[i]);
        let newly = (s.commit_index[i] + 1..=top)
            .map(|n| Commit {
                index: n,
                entry: s.log[i][n - 1].clone(),
                term: s.current_term[i],
            })
            .collect::<Set<_>>();
        s.committed = s.committed.union(&newly);
        s.commit_index[i] = top;
    }

    /// Leader `i` sends `j` the entry at `nextIndex[i][j]` (none if `j` is up to date), with
    /// the entry before it and its commit index.
    #[action(name = "AppendEntries", i in c.server, j in c.server, strong_fair(i, j))]
    fn append_entries(s: &mut State, c: &Config, i: Server, j: Server) {
        require!(i != j);
        require!(s.role[i] == Role::Leader);
        require!(s.msgs.len() < c.max_in_flight);
        require!(!exchange_in_flight(s, i, j, false));
        let prev = s.next_index[i][j] - 1;
        let prev_term = if prev > 0 { s.log[i][prev - 1].term } else { 0 };
        let has_entry = prev < s.log[i].len();
        let last = if has_entry { prev + 1 } else { prev };
        let m = Msg::AppendEntriesRequest {
            term: s.current_term[i],
            prev_log_index: prev,
            prev_log_term: prev_term,
            entry: if has_entry {
                Some(s.log[i][prev].clone())
            } else {
                None
            },
            commit_index: if s.commit_index[i] < last {
                s.commit_index[i]
            } else {
                last
            },
            source: i,
            dest: j,
        };
        s.msgs = send(s.msgs.clone(), m);
    }

    /// A server receives a message of a term above its own: it adopts the term and becomes a
    /// follower (the message stays in flight, to be handled in the new term).
    #[action(name = "UpdateTerm", m in s.msgs.domain(), fair)]
    fn update_term(s: &mut State, c: &Config, m: Msg) {
        let i = dest_of(m.clone());
        let t = term_of(m);
        require!(t > s.current_term[i]);
        s.current_term[i] = t;
        s.role[i] = Role::Follower;
        s.voted_for[i] = None;
        s.votes_granted[i] = Set::new();
        s.next_index[i] = no_next_index(c);
        s.match_index[i] = no_match_index(c);
    }

    /// Server `dest` answers a vote request of its term or an older one: it grants its vote if
    /// the request is of its term, it has not voted for another candidate in it, and the
    /// candidate's log is at least as up to date as its own.
    #[action(name = "HandleRequestVoteRequest", m in s.msgs.domain(), fair)]
    fn handle_request_vote_request(s: &mut State, c: &Config, m: Msg) {
        match m.clone() {
            Msg::RequestVoteRequest {
                term,
                last_log_term,
                last_log_index,
                source,
                dest,
            } => {
                require!(term <= s.current_term[dest]);
                let grant = term == s.current_term[dest]
                    && log_ok(s, c, dest, last_log_term, last_log_index)
                    && (s.voted_for[dest].is_none() || s.voted_for[dest] == Some(source));
                s.msgs = discard(s.msgs.clone(), m.clone());
                if grant {
                    s.voted_for[dest] = Some(source);
                }
                let reply = Msg::RequestVoteResponse {
                    term: s.current_term[dest],
                    granted: grant,
                    source: dest,
                    dest: source,
                };
                s.msgs = send(s.msgs.clone(), reply);
            }
            _ => {
                require!(false);
            }
        }
    }

    /// Candidate `dest` counts a vote response of its term.
    #[action(name = "HandleRequestVoteResponse", m in s.msgs.domain(), fair)]
    fn handle_request_vote_response(s: &mut State, m: Msg) {
        match m.clone() {
            Msg::RequestVoteResponse {
                term,
                granted,
                source,
                dest,
            } => {
                require!(term == s.current_term[dest]);
                require!(s.role[dest] == Role::Candidate);
                s.msgs = discard(s.msgs.clone(), m.clone());
                if granted {
                    s.votes_granted[dest].insert(source);
                }
            }
            _ => {
                require!(false);
            }
        }
    }

    /// Server `dest` handles an append request of its term or an older one. It refuses one of
    /// an older term, or one whose previous entry its log does not hold; otherwise (a candidate
    /// first returning to follower) it stores the entry, replacing a conflicting one and what
    /// follows, and adopts the leader's commit index if it is higher than its own.
    #[action(name = "HandleAppendEntriesRequest", m in s.msgs.domain(), fair)]
    fn handle_append_entries_request(s: &mut State, m: Msg) {
        match m.clone() {
            Msg::AppendEntriesRequest {
                term,
                prev_log_index,
                prev_log_term,
                entry,
                commit_index,
                source,
                dest,
            } => {
                require!(term <= s.current_term[dest]);
                // Only a leader of another term can be the sender: one of the same term would
                // be a second leader, which `ElectionSafety` reports first.
                require!(term < s.current_term[dest] || s.role[dest] != Role::Leader);
                let accept = term == s.current_term[dest]
                    && holds_entry(s, dest, prev_log_index, prev_log_term);
                s.msgs = discard(s.msgs.clone(), m.clone());
                if term == s.current_term[dest] {
                    s.role[dest] = Role::Follower;
                    s.votes_granted[dest] = Set::new();
                }
                if accept && entry.is_some() {
                    s.log[dest] =
                        store(s.log[dest].clone(), prev_log_index, entry.clone().unwrap());
                }
                if accept && commit_index > s.commit_index[dest] {
                    s.commit_index[dest] = commit_index;
                }
                let reply = Msg::AppendEntriesResponse {
                    term: s.current_term[dest],
                    success: accept,
                    match_index: if !accept {
                        0
                    } else if entry.is_some() {
                        prev_log_index + 1
                    } else {
                        prev_log_index
                    },
                    source: dest,
                    dest: source,
                };
                s.msgs = send(s.msgs.clone(), reply);
            }
            _ => {
                require!(false);
            }
        }
    }

    /// Leader `dest` handles an append response of its term: on success it records how far
    /// `source`'s log matches its own; on refusal it retries one index lower.
    #[action(name = "HandleAppendEntriesResponse", m in s.msgs.domain(), fair)]
    fn handle_append_entries_response(s: &mut State, m: Msg) {
        match m.clone() {
            Msg::AppendEntriesResponse {
                term,
                success,
                match_index,
                source,
                dest,
            } => {
                require!(term == s.current_term[dest]);
                require!(s.role[dest] == Role::Leader);
                s.msgs = discard(s.msgs.clone(), m.clone());
                if success {
                    s.next_index[dest][source] = match_index + 1;
                    s.match_index[dest][source] = match_index;
                } else if s.next_index[dest][source] > 1 {
                    s.next_index[dest][source] -= 1;
                }
            }
            _ => {
                require!(false);
            }
        }
    }

    /// A server drops a response it has no use for: one of an older term, or one of its term
    /// that it no longer needs (vote responses once it is no longer a candidate, append
    /// responses once it is no longer leader).
    #[action(name = "DropStaleResponse", m in s.msgs.domain(), fair)]
    fn drop_stale_response(s: &mut State, m: Msg) {
        let stale = match m.clone() {
            Msg::RequestVoteResponse { term, dest, .. } => {
                term < s.current_term[dest]
                    || (term == s.current_term[dest] && s.role[dest] != Role::Candidate)
            }
            Msg::AppendEntriesResponse { term, dest, .. } => {
                term < s.current_term[dest]
                    || (term == s.current_term[dest] && s.role[dest] != Role::Leader)
            }
            _ => false,
        };
        require!(stale);
        s.msgs = discard(s.msgs.clone(), m);
    }

    /// The network duplicates message `m`.
    #[action(name = "DuplicateMessage", m in s.msgs.domain())]
    fn duplicate_message(s: &mut State, c: &Config, m: Msg) {
        require!(s.duplicates < c.max_duplicates);
        s.msgs[m.clone()] += 1;
        s.duplicates += 1;
    }

    /// The network loses one copy of message `m`.
    #[action(name = "DropMessage", m in s.msgs.domain())]
    fn drop_message(s: &mut State, c: &Config, m: Msg) {
        require!(s.drops < c.max_drops);
        s.msgs = discard(s.msgs.clone(), m);
        s.drops += 1;
    }

    /// At most one server is ever elected leader in a given term.
    #[invariant(name = "ElectionSafety")]
    fn election_safety(s: &State) -> bool {
        s.elected.iter().all(|a| {
            s.elected
                .iter()
                .all(|b| a.term != b.term || a.leader == b.leader)
        })
    }

    /// No two servers are leaders of the same term at the same time.
    #[invariant(name = "OneLeaderPerTerm")]
    fn one_leader_per_term(s: &State, c: &Config) -> bool {
        c.server.iter().all(|i| {
            c.server.iter().all(|j| {
                i == j
                    || s.role[i] != Role::Leader
                    || s.role[j] != Role::Leader
                    || s.current_term[i] != s.current_term[j]
            })
        })
    }

    /// Two logs with an entry of the same index and term are identical up to that index.
    #[invariant(name = "LogMatching")]
    fn log_matching(s: &State, c: &Config) -> bool {
        c.server.iter().all(|i| {
            c.server.iter().all(|j| {
                (0..s.log[i].len()).all(|n| {
                    n >= s.log[j].len()
                        || s.log[i][n].term != s.log[j][n].term
                        || s.log[i].subseq(0, n + 1) == s.log[j].subseq(0, n + 1)
                })
            })
        })
    }

    /// An entry committed in some term is in the log of every leader of a later term.
    #[invariant(name = "LeaderCompleteness")]
    fn leader_completeness(s: &State, c: &Config) -> bool {
        s.committed.iter().all(|k| {
            c.server.iter().all(|l| {
                s.role[l] != Role::Leader
                    || s.current_term[l] <= k.term
                    || (s.log[l].len() >= k.index && s.log[l][k.index - 1] == k.entry)
            })
        })
    }

    /// The committed prefixes of any two servers agree: no two servers apply different entries
    /// at the same index.
    #[invariant(name = "StateMachineSafety")]
    fn state_machine_safety(s: &State, c: &Config) -> bool {
        c.server.iter().all(|i| {
            c.server.iter().all(|j| {
                (0..s.commit_index[i]).all(|n| {
                    n >= s.commit_index[j]
                        || n >= s.log[i].len()
                        || n >= s.log[j].len()
                        || s.log[i][n] == s.log[j][n]
                })
            })
        })
    }

    /// Every committed entry is held by a majority of servers.
    #[invariant(name = "CommittedReachesMajority")]
    fn committed_reaches_majority(s: &State, c: &Config) -> bool {
        s.committed.iter().all(|k| {
            is_quorum(
                c,
                c.server
                    .iter()
                    .filter(|j| s.log[*j].len() >= k.index && s.log[*j][k.index - 1] == k.entry)
                    .collect::<Set<_>>(),
            )
        })
    }

    /// A server's commit index is at most the length of its log.
    #[invariant(name = "CommitIndexInLog")]
    fn commit_index_in_log(s: &State, c: &Config) -> bool {
        c.server.iter().all(|i| s.commit_index[i] <= s.log[i].len())
    }

    /// A leader only appends to its log: its log before a step is a prefix of its log after.
    #[step_property(name = "LeaderAppendOnly")]
    fn leader_append_only(s: &State, next: &State, c: &Config) -> bool {
        c.server
            .iter()
            .all(|i| s.role[i] != Role::Leader || is_prefix(s.log[i].clone(), next.log[i].clone()))
    }

    /// A commit index never decreases, except in a restart of its server.
    #[step_property(name = "CommitIndexMonotone")]
    fn commit_index_monotone(s: &State, next: &State, c: &Config) -> bool {
        next.restarts != s.restarts
            || c.server
                .iter()
                .all(|i| next.commit_index[i] >= s.commit_index[i])
    }

    /// Value `v` is in a committed entry.
    fn value_committed(s: &State, v: Value) -> bool {
        s.committed.iter().any(|k| k.entry.value == v)
    }

    /// Once no restarts remain, a value the leader of the last term has accepted in that term
    /// is eventually committed (under the fairness of the protocol's steps).
    #[leads_to(value_committed, v in c.value)]
    fn accepted_value_committed(s: &State, c: &Config, v: Value) -> bool {
        s.restarts == c.max_restarts
            && c.server.iter().any(|i| {
                s.role[i] == Role::Leader
                    && s.current_term[i] == c.max_term
                    && (0..s.log[i].len())
                        .any(|n| s.log[i][n].term == c.max_term && s.log[i][n].value == v)
            })
    }

    /// Some run commits an entry.
    #[reachable(name = "ValueCanBeCommitted")]
    fn value_can_be_committed(s: &State) -> bool {
        !s.committed.is_empty()
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(raft::definition())
}
