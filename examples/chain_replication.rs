//! Chain replication (van Renesse and Schneider, OSDI 2004), with head, middle and tail failures.
//!
//! ```text
//! cargo run --release --example chain_replication -- check --config ci
//! cargo run --release --example chain_replication -- check --config bug_read_non_tail
//! ```

/// Chain replication.
///
/// Servers form a chain. A client's update enters at the head, which applies it and forwards it
/// to its successor over a FIFO link; each server applies what it receives and forwards it on.
/// The tail acknowledges an update once it has applied it, and reads are served by the tail
/// alone, so a read sees exactly the updates that are acknowledged or about to be.
///
/// Fault model: servers fail by crashing (fail-stop), at most `max_failures` times; a master
/// removes the failed server from the chain. When the head fails its successor becomes head (an
/// update the old head had not forwarded is lost, but it was never acknowledged); when the tail
/// fails its predecessor becomes tail (its history contains the old tail's); when a middle server
/// fails, its predecessor resends to its new successor every update that successor has not
/// applied (the paper's `Sent` list). Links are reliable and FIFO between live servers; the link
/// out of a crashed server is lost with it (so a new head never applies a stale update from its
/// old predecessor after accepting new ones). Servers are numbered `1..=n` in chain order, so the
/// chain is the set of live servers in order.
///
/// Properties:
/// - `UpdatePropagation`: each server's history is a prefix of its predecessor's.
/// - `InFlightConsistent`: a server's history followed by its incoming updates is a prefix of its
///   predecessor's history (nothing is skipped or reordered on a link).
/// - `NoAckedWriteLost`: every acknowledged update is in the history of every live server.
/// - `TailReadsLinearizable`: every update a read has returned is in the current tail's history
///   (no read returned an update that could still be lost).
/// - `ReadsSeeAcknowledgedWrites`: every read returned every update acknowledged before it.
/// - `HistoriesIncreasing`: each history holds updates in increasing order, each once (updates
///   lost with a crashed head leave gaps, never reorderings).
/// - `AckedWereIssued`: only issued updates are acknowledged.
/// - `ChainNotEmpty`: at least one server is live.
///
/// Bug zoo:
/// - `bug_read_non_tail`: reads are served by any server. A read at the head returns an update
///   the tail does not have, which a crash of the head would lose for good:
///   `TailReadsLinearizable` fails.
/// - `bug_no_resend`: after a middle server fails, its predecessor does not resend the updates
///   it had sent to the failed server, so the new successor misses one: `InFlightConsistent`
///   fails.
#[lamport::model]
pub mod chain_replication {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        /// The servers, numbered in chain order.
        pub nodes: Set<i64>,
        /// Updates the client issues, numbered `1..=max_updates`.
        pub max_updates: usize,
        /// Crashes at most.
        pub max_failures: i64,
        /// Bug zoo: any server serves reads.
        pub bug_read_non_tail: bool,
        /// Bug zoo: no resend to the new successor after a middle failure.
        pub bug_no_resend: bool,
    }

    #[configs]
    impl Config {
        /// Three servers, two updates, one crash: checked exhaustively in `cargo test`.
        pub fn ci() -> Self {
            Config {
                nodes: (1..=3).collect(),
                max_updates: 2,
                max_failures: 1,
                bug_read_non_tail: false,
                bug_no_resend: false,
            }
        }
        /// Four servers, three updates, two crashes: for benchmarks and the command line.
        pub fn large() -> Self {
            Config {
                nodes: (1..=4).collect(),
                max_updates: 3,
                max_failures: 2,
                bug_read_non_tail: false,
                bug_no_resend: false,
            }
        }
        /// Reads served by any server.
        pub fn bug_read_non_tail() -> Self {
            Config {
                bug_read_non_tail: true,
                ..Config::ci()
            }
        }
        /// No resend after a middle failure.
        pub fn bug_no_resend() -> Self {
            Config {
                bug_no_resend: true,
                ..Config::ci()
            }
        }
    }

    #[state]
    pub struct State {
        /// The live servers; the chain is this set in increasing order.
        pub alive: Set<i64>,
        /// `hist[n]`: the updates server `n` has applied, in order.
        pub hist: Map<i64, Seq<usize>>,
        /// `inbox[n]`: updates on the link into server `n`, oldest first.
        #[network(param(n) as "server" -> key as "server", loses = crash)]
        pub inbox: Map<i64, Seq<usize>>,
        /// `sent[n]`: how many of its updates server `n` has sent to its successor.
        pub sent: Map<i64, usize>,
        /// The number the client's next update gets.
        pub next_update: usize,
        /// Updates the tail has acknowledged to the client.
        pub acked: Set<usize>,
        /// Every update some read has returned.
        pub read_seen: Set<usize>,
        /// False once a read missed an update acknowledged before it.
        pub reads_ok: bool,
        /// Crashes so far.
        pub failures: i64,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            alive: c.nodes.clone(),
            hist: c
                .nodes
                .iter()
                .map(|n| (n, Seq::new()))
                .collect::<Map<_, _>>(),
            inbox: c
                .nodes
                .iter()
                .map(|n| (n, Seq::new()))
                .collect::<Map<_, _>>(),
            sent: c.nodes.iter().map(|n| (n, 0)).collect::<Map<_, _>>(),
            next_update: 1,
            acked: Set::new(),
            read_seen: Set::new(),
            reads_ok: true,
            failures: 0,
        }
    }

    /// The head of the chain.
    fn head_node(s: &State) -> i64 {
        s.alive.iter().min().unwrap_or(0)
    }

    /// The tail of the chain.
    fn tail_node(s: &State) -> i64 {
        s.alive.iter().max().unwrap_or(0)
    }

    /// The live server after `n` in the chain, or 0.
    fn succ(s: &State, n: i64) -> i64 {
        s.alive.iter().filter(|m| *m > n).min().unwrap_or(0)
    }

    /// The live server before `n` in the chain, or 0.
    fn pred(s: &State, n: i64) -> i64 {
        s.alive.iter().filter(|m| *m < n).max().unwrap_or(0)
    }

    /// Whether `a` is a prefix of `b`.
    fn is_prefix(a: Seq<usize>, b: Seq<usize>) -> bool {
        a.len() <= b.len() && (0..a.len()).all(|i| a[i] == b[i])
    }

    /// The client sends its next update to the head, which applies it.
    #[action(name = "ClientUpdate")]
    fn client_update(s: &mut State, c: &Config) {
        require!(s.next_update <= c.max_updates);
        let h = head_node(s);
        let u = s.next_update;
        s.hist[h].push(u);
        s.next_update += 1;
    }

    /// Server `n` sends the next update it has not yet sent to its successor.
    #[action(name = "Forward", n in c.nodes)]
    fn forward(s: &mut State, c: &Config, n: i64) {
        require!(s.alive.contains(&n));
        let m = succ(s, n);
        require!(m != 0);
        require!(s.sent[n] < s.hist[n].len());
        let u = s.hist[n][s.sent[n]];
        s.inbox[m].push(u);
        s.sent[n] += 1;
    }

    /// Server `n` applies the oldest update on its incoming link.
    #[action(name = "Receive", n in c.nodes)]
    fn receive(s: &mut State, c: &Config, n: i64) {
        require!(s.alive.contains(&n));
        require!(!s.inbox[n].is_empty());
        let u = s.inbox[n].head();
        s.hist[n].push(u);
        s.inbox[n] = s.inbox[n].tail();
    }

    /// The tail acknowledges update `u` to the client.
    #[action(name = "TailAck", u in 1..=c.max_updates)]
    fn tail_ack(s: &mut State, c: &Config, u: usize) {
        let t = tail_node(s);
        require!(s.hist[t].iter().any(|x| x == u));
        require!(!s.acked.contains(&u));
        s.acked.insert(u);
    }

    /// The client reads from server `n`: the tail (any server, in the bug).
    #[action(name = "Read", n in c.nodes)]
    fn read(s: &mut State, c: &Config, n: i64) {
        require!(s.alive.contains(&n));
        require!(c.bug_read_non_tail || n == tail_node(s));
        let seen = s.hist[n].iter().collect::<Set<_>>();
        s.reads_ok = s.reads_ok && s.acked.is_subset(&seen);
        s.read_seen = s.read_seen.union(&seen);
    }

    /// Server `n` crashes; the master removes it from the chain.
    #[action(name = "Crash", n in c.nodes)]
    fn crash(s: &mut State, c: &Config, n: i64) {
        require!(s.failures < c.max_failures);
        require!(s.alive.contains(&n) && s.alive.len() > 1);
        let p = pred(s, n);
        let m = succ(s, n);
        s.alive.remove(&n);
        s.failures += 1;
        if m != 0 {
            // The link out of the crashed server is gone.
            s.inbox[m] = Seq::new();
            if p != 0 && !c.bug_no_resend {
                // The predecessor resends what its new successor has not applied.
                s.sent[p] = s.hist[m].len();
            }
        }
    }

    /// Each server's history is a prefix of its predecessor's.
    #[invariant(name = "UpdatePropagation")]
    fn update_propagation(s: &State) -> bool {
        s.alive.iter().all(|n| {
            let p = pred(s, n);
            p == 0 || is_prefix(s.hist[n].clone(), s.hist[p].clone())
        })
    }

    /// A server's history and incoming updates form a prefix of its predecessor's history.
    #[invariant(name = "InFlightConsistent")]
    fn in_flight_consistent(s: &State) -> bool {
        s.alive.iter().all(|n| {
            let p = pred(s, n);
            p == 0 || is_prefix(s.hist[n].concat(&s.inbox[n]), s.hist[p].clone())
        })
    }

    /// Every acknowledged update is in every live server's history.
    #[invariant(name = "NoAckedWriteLost")]
    fn no_acked_write_lost(s: &State) -> bool {
        s.acked
            .iter()
            .all(|u| s.alive.iter().all(|n| s.hist[n].iter().any(|x| x == u)))
    }

    /// Every update a read returned is in the tail's history.
    #[invariant(name = "TailReadsLinearizable")]
    fn tail_reads_linearizable(s: &State) -> bool {
        let t = tail_node(s);
        s.read_seen.iter().all(|u| s.hist[t].iter().any(|x| x == u))
    }

    /// Every read returned every update acknowledged before it.
    #[invariant(name = "ReadsSeeAcknowledgedWrites")]
    fn reads_see_acknowledged_writes(s: &State) -> bool {
        s.reads_ok
    }

    /// Histories hold updates in increasing order, each once.
    #[invariant(name = "HistoriesIncreasing")]
    fn histories_increasing(s: &State) -> bool {
        s.alive
            .iter()
            .all(|n| (1..s.hist[n].len()).all(|i| s.hist[n][i - 1] < s.hist[n][i]))
    }

    /// Only issued updates are acknowledged.
    #[invariant(name = "AckedWereIssued")]
    fn acked_were_issued(s: &State) -> bool {
        s.acked.iter().all(|u| 1 <= u && u < s.next_update)
    }

    /// At least one server is live.
    #[invariant(name = "ChainNotEmpty")]
    fn chain_not_empty(s: &State) -> bool {
        !s.alive.is_empty()
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(chain_replication::definition())
}
