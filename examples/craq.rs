//! CRAQ: chain replication with apportioned queries (Terrace and Freedman, USENIX ATC 2009), the
//! read protocol of DeepSeek's 3FS storage chains, with failures, reconfiguration and resync.
//!
//! ```text
//! cargo run --release --example craq -- check --config ci
//! cargo run --release --example craq -- check --config bug_serve_dirty
//! ```

/// CRAQ for one chunk.
///
/// Servers form a chain. A write enters at the head, which gives it the next version number and
/// keeps it as its *dirty* version; each server passes the dirty version to its successor. The
/// tail commits it (its *clean* version), and the acknowledgement flows back up the chain, each
/// server making the version clean as the ack passes. The client's write completes when the ack
/// reaches the head. Any serving server answers reads: with its clean version when it has no
/// dirty one, otherwise by asking the tail for the committed version (the apportioned query).
/// One write is pending at a time (as 3FS allows one pending update per chunk).
///
/// Fault model: servers crash (fail-stop), at most `max_failures` times; the chain manager
/// removes a crashed server and its neighbours close the gap (the predecessor passes on whatever
/// the new successor lacks). Servers learn each new chain configuration asynchronously
/// (`LearnConfig`) and take part in writes only on the current one (an epoch check). A crashed server may rejoin at the tail end of the chain as
/// *syncing*: it copies the tail's state (resync) before it serves reads or takes part in writes.
/// Servers are numbered in their original chain order; a rejoined server gets a position after
/// every current one.
///
/// Properties:
/// - `ReadsLinearizable`: no read returned a version older than a write that completed before
///   it, nor a version never committed.
/// - `CleanNotAheadOfDirty`: a serving server's clean version is at most its dirty version,
///   which is at most the last version issued. (That versions never decrease is a property of
///   steps, which lamport cannot state yet.)
/// - `NotBehindPredecessor`: along the chain, each server's dirty version is at most its
///   predecessor's, and its clean version at least its predecessor's (writes flow down, acks up).
/// - `OnePendingVersion`: every server holding an uncommitted version holds the same one.
/// - `CommittedSurvives`: a committed version is held (as clean or dirty) by every serving server
///   after any single failure, i.e. always, in configurations with at most one failure.
/// - `CompletedWasCommitted`: a write completes only after it was committed at the tail.
///
/// Bug zoo:
/// - `bug_serve_dirty`: a server with a dirty version answers with it, without asking the tail:
///   a read returns a version that is not committed (and may never be).
/// - `bug_serve_before_resync`: a rejoining server answers reads before its resync: it returns
///   its stale version, older than a completed write.
/// - `bug_stale_config`: a tail that has not learned of a reconfiguration still acts as tail:
///   after a rejoined server became the tail, the old tail commits a version the new tail has not
///   committed (`NotBehindPredecessor` fails), so a write can complete that a read at the new
///   tail does not see.
#[lamport::model(check_deadlock = false)]
pub mod craq {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        /// The servers, numbered in their original chain order.
        pub nodes: Set<i64>,
        /// Writes the clients issue (versions `1..=max_version`).
        pub max_version: i64,
        /// Crashes at most.
        pub max_failures: i64,
        /// Whether crashed servers may rejoin (after a resync).
        pub rejoin_allowed: bool,
        /// Bug zoo: a dirty server serves its dirty version.
        pub bug_serve_dirty: bool,
        /// Bug zoo: a syncing server serves reads.
        pub bug_serve_before_resync: bool,
        /// Bug zoo: a tail acts on a stale chain configuration.
        pub bug_stale_config: bool,
    }

    #[configs]
    impl Config {
        /// Three servers, two writes, one crash, rejoin allowed.
        pub fn ci() -> Self {
            Config {
                nodes: (1..=3).collect(),
                max_version: 2,
                max_failures: 1,
                rejoin_allowed: true,
                bug_serve_dirty: false,
                bug_serve_before_resync: false,
                bug_stale_config: false,
            }
        }
        /// Four servers, three writes, two crashes, rejoin allowed.
        pub fn large() -> Self {
            Config {
                nodes: (1..=4).collect(),
                max_version: 3,
                max_failures: 2,
                ..Config::ci()
            }
        }
        /// A dirty server serves its dirty version.
        pub fn bug_serve_dirty() -> Self {
            Config {
                bug_serve_dirty: true,
                ..Config::ci()
            }
        }
        /// A rejoining server serves before its resync.
        pub fn bug_serve_before_resync() -> Self {
            Config {
                bug_serve_before_resync: true,
                ..Config::ci()
            }
        }
        /// A tail commits and acknowledges on a stale chain configuration.
        pub fn bug_stale_config() -> Self {
            Config {
                bug_stale_config: true,
                ..Config::ci()
            }
        }
    }

    #[state]
    pub struct State {
        /// Servers in the chain (serving).
        pub members: Set<i64>,
        /// Crashed servers that rejoined and are copying the tail's state.
        pub syncing: Set<i64>,
        /// Each server's position in the chain (a rejoined server goes after all others).
        pub pos: Map<i64, i64>,
        /// `clean[n]`: the newest version `n` knows to be committed.
        pub clean: Map<i64, i64>,
        /// `dirty[n]`: the newest version `n` holds (equal to `clean[n]` when nothing pends).
        pub dirty: Map<i64, i64>,
        /// The newest version the tail has committed.
        pub committed: i64,
        /// The newest write whose acknowledgement reached the head (completed).
        pub completed: i64,
        /// The next version a write gets.
        pub next_version: i64,
        /// False once a read returned an out-of-date or uncommitted version.
        pub reads_ok: bool,
        /// Crashes so far.
        pub failures: i64,
        /// `view[n]`: the chain (its members) as server `n` last learned it from the manager.
        pub view: Map<i64, Set<i64>>,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            members: c.nodes.clone(),
            syncing: Set::new(),
            pos: c.nodes.iter().map(|n| (n, n)).collect::<Map<_, _>>(),
            clean: c.nodes.iter().map(|n| (n, 0)).collect::<Map<_, _>>(),
            dirty: c.nodes.iter().map(|n| (n, 0)).collect::<Map<_, _>>(),
            committed: 0,
            completed: 0,
            next_version: 1,
            reads_ok: true,
            failures: 0,
            view: c
                .nodes
                .iter()
                .map(|n| (n, c.nodes.clone()))
                .collect::<Map<_, _>>(),
        }
    }

    /// The chain position of the head (the least), or 0.
    fn head_pos(s: &State) -> i64 {
        s.members.iter().map(|m| s.pos[m]).min().unwrap_or(0)
    }

    /// The chain position of the tail (the greatest), or 0.
    fn tail_pos(s: &State) -> i64 {
        s.members.iter().map(|m| s.pos[m]).max().unwrap_or(0)
    }

    /// Whether `n` is the head.
    fn is_head(s: &State, n: i64) -> bool {
        s.members.contains(&n) && s.pos[n] == head_pos(s)
    }

    /// Whether `n` is the tail.
    fn is_tail(s: &State, n: i64) -> bool {
        s.members.contains(&n) && s.pos[n] == tail_pos(s)
    }

    /// Whether `m` follows `n` directly in the chain.
    fn is_succ(s: &State, n: i64, m: i64) -> bool {
        s.members.contains(&n)
            && s.members.contains(&m)
            && s.pos[n] < s.pos[m]
            && s.members
                .iter()
                .all(|k| !(s.pos[n] < s.pos[k] && s.pos[k] < s.pos[m]))
    }

    /// A client's write reaches the head, which makes it its dirty version.
    #[action(name = "Write", h in c.nodes)]
    fn write(s: &mut State, c: &Config, h: i64) {
        require!(s.next_version <= c.max_version);
        require!(is_head(s, h));
        require!(s.view[h] == s.members);
        require!(s.clean[h] == s.dirty[h]);
        let v = s.next_version;
        s.dirty[h] = v;
        s.next_version += 1;
    }

    /// Server `n` passes its dirty version to its successor `m`.
    #[action(name = "Propagate", n in c.nodes, m in c.nodes)]
    fn propagate(s: &mut State, c: &Config, n: i64, m: i64) {
        require!(is_succ(s, n, m));
        require!(s.view[n] == s.members && s.view[m] == s.members);
        require!(s.dirty[m] < s.dirty[n]);
        s.dirty[m] = s.dirty[n];
    }

    /// The tail commits its dirty version. It must know the current chain (the epoch check);
    /// in the bug it acts on its own, possibly stale, view of the chain.
    #[action(name = "Commit", t in c.nodes)]
    fn commit(s: &mut State, c: &Config, t: i64) {
        require!(s.members.contains(&t));
        require!(if c.bug_stale_config {
            s.view[t]
                .iter()
                .all(|k| !s.members.contains(&k) || s.pos[k] <= s.pos[t])
        } else {
            is_tail(s, t) && s.view[t] == s.members
        });
        require!(s.clean[t] < s.dirty[t]);
        s.clean[t] = s.dirty[t];
        s.committed = s.dirty[t];
    }

    /// The acknowledgement passes from server `m` to its predecessor `n`, which makes the
    /// version clean; at the head the client's write completes.
    #[action(name = "Ack", n in c.nodes, m in c.nodes)]
    fn ack(s: &mut State, c: &Config, n: i64, m: i64) {
        require!(s.view[n] == s.members || c.bug_stale_config);
        require!(is_succ(s, n, m));
        require!(s.clean[n] < s.clean[m]);
        let v = s.clean[m];
        let head = is_head(s, n);
        s.clean[n] = v;
        if head {
            s.completed = v;
        }
    }

    /// A client reads from server `n`: its clean version, or the tail's when `n` is dirty.
    #[action(name = "Read", n in c.nodes, t in c.nodes)]
    fn read(s: &mut State, c: &Config, n: i64, t: i64) {
        require!(s.members.contains(&n) || (c.bug_serve_before_resync && s.syncing.contains(&n)));
        require!(is_tail(s, t));
        let result = if s.clean[n] == s.dirty[n] {
            s.clean[n]
        } else if c.bug_serve_dirty {
            s.dirty[n]
        } else {
            s.clean[t]
        };
        s.reads_ok = s.reads_ok && s.completed <= result && result <= s.committed;
    }

    /// Server `n` crashes; the chain manager removes it.
    #[action(name = "Crash", n in c.nodes)]
    fn crash(s: &mut State, c: &Config, n: i64) {
        require!(s.failures < c.max_failures);
        require!(s.members.contains(&n) && s.members.len() > 1);
        s.members.remove(&n);
        s.failures += 1;
    }

    /// Crashed server `n` rejoins at the tail end, as syncing.
    #[action(name = "Rejoin", n in c.nodes)]
    fn rejoin(s: &mut State, c: &Config, n: i64) {
        require!(c.rejoin_allowed);
        require!(!s.members.contains(&n) && !s.syncing.contains(&n));
        s.syncing.insert(n);
    }

    /// Server `n` learns the current chain from the chain manager.
    #[action(name = "LearnConfig", n in c.nodes)]
    fn learn_config(s: &mut State, c: &Config, n: i64) {
        require!(s.members.contains(&n));
        require!(s.view[n] != s.members);
        s.view[n] = s.members.clone();
    }

    /// Syncing server `n` copies the tail `t`'s state and joins the chain after it.
    #[action(name = "Resync", n in c.nodes, t in c.nodes)]
    fn resync(s: &mut State, c: &Config, n: i64, t: i64) {
        require!(s.syncing.contains(&n));
        require!(is_tail(s, t));
        require!(s.view[t] == s.members);
        // Writes go on during a resync: the new server copies the pending version too.
        let p = tail_pos(s) + 1;
        s.clean[n] = s.clean[t];
        s.dirty[n] = s.dirty[t];
        s.pos[n] = p;
        s.syncing.remove(&n);
        s.members.insert(n);
    }

    /// No read returned an out-of-date or uncommitted version.
    #[invariant(name = "ReadsLinearizable")]
    fn reads_linearizable(s: &State) -> bool {
        s.reads_ok
    }

    /// Every serving server's clean version is at most its dirty version.
    #[invariant(name = "CleanNotAheadOfDirty")]
    fn clean_not_ahead_of_dirty(s: &State) -> bool {
        s.members
            .iter()
            .all(|n| 0 <= s.clean[n] && s.clean[n] <= s.dirty[n] && s.dirty[n] < s.next_version)
    }

    /// Along the chain, writes flow down and acks flow up.
    #[invariant(name = "NotBehindPredecessor")]
    fn not_behind_predecessor(s: &State) -> bool {
        s.members.iter().all(|n| {
            s.members.iter().all(|m| {
                !is_succ(s, n, m) || (s.dirty[m] <= s.dirty[n] && s.clean[n] <= s.clean[m])
            })
        })
    }

    /// At most one version is pending: every serving server holding an uncommitted version
    /// holds the same one (a version lost with a crashed head leaves a gap in the numbers).
    #[invariant(name = "OnePendingVersion")]
    fn one_pending_version(s: &State) -> bool {
        s.members.iter().all(|n| {
            s.members.iter().all(|m| {
                s.dirty[n] <= s.committed || s.dirty[m] <= s.committed || s.dirty[n] == s.dirty[m]
            })
        })
    }

    /// Every serving server holds the committed version.
    #[invariant(name = "CommittedSurvives")]
    fn committed_survives(s: &State) -> bool {
        s.members.iter().all(|n| s.dirty[n] >= s.committed)
    }

    /// A write completes only after the tail committed it.
    #[invariant(name = "CompletedWasCommitted")]
    fn completed_was_committed(s: &State) -> bool {
        s.completed <= s.committed
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(craq::definition())
}
