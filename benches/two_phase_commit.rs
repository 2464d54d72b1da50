//! Throughput of two-phase commit: the lamport model on lamport's checker, next to a
//! hand-written stateright `Model` of the same protocol on stateright's own breadth-first checker.
//! The ratio of the two is the cost (or gain) of writing the model in lamport's language.
//!
//! ```text
//! cargo bench --bench two_phase_commit              # rm7 and rm8
//! cargo bench --bench two_phase_commit -- rm7 --json
//! ```
//!
//! TLC's figures on the same machine (REFERENCE.md, 1 worker): rm7 12.3 s (~24 K distinct/s,
//! ~223 K generated/s); rm8 58.7 s (~30 K distinct/s, ~315 K generated/s).

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::collections::BTreeSet;
use std::time::Instant;

use example::two_phase_commit;
use lamport::{CheckOptions, ModelExt};
use stateright::{Checker, Model, Property};

/// Two-phase commit written directly against stateright's `Model` trait, in the style of
/// stateright's own examples: one `Vec` slot per RM, a set of messages.
struct HandWritten {
    rms: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum RmState {
    Working,
    Prepared,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum TmState {
    Init,
    Committed,
    Aborted,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Msg {
    Prepared(usize),
    Commit,
    Abort,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct State {
    rm_state: Vec<RmState>,
    tm_state: TmState,
    tm_prepared: Vec<bool>,
    msgs: BTreeSet<Msg>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Action {
    TmRcvPrepared(usize),
    TmCommit,
    TmAbort,
    RmPrepare(usize),
    RmChooseToAbort(usize),
    RmRcvCommitMsg(usize),
    RmRcvAbortMsg(usize),
}

impl Model for HandWritten {
    type State = State;
    type Action = Action;

    fn init_states(&self) -> Vec<State> {
        vec![State {
            rm_state: vec![RmState::Working; self.rms],
            tm_state: TmState::Init,
            tm_prepared: vec![false; self.rms],
            msgs: BTreeSet::new(),
        }]
    }

    fn actions(&self, s: &State, actions: &mut Vec<Action>) {
        if s.tm_state == TmState::Init {
            if s.tm_prepared.iter().all(|p| *p) {
                actions.push(Action::TmCommit);
            }
            actions.push(Action::TmAbort);
        }
        for rm in 0..self.rms {
            if s.tm_state == TmState::Init && s.msgs.contains(&Msg::Prepared(rm)) {
                actions.push(Action::TmRcvPrepared(rm));
            }
            if s.rm_state[rm] == RmState::Working {
                actions.push(Action::RmPrepare(rm));
                actions.push(Action::RmChooseToAbort(rm));
            }
            if s.msgs.contains(&Msg::Commit) {
                actions.push(Action::RmRcvCommitMsg(rm));
            }
            if s.msgs.contains(&Msg::Abort) {
                actions.push(Action::RmRcvAbortMsg(rm));
            }
        }
    }

    fn next_state(&self, s: &State, a: Action) -> Option<State> {
        let mut n = s.clone();
        match a {
            Action::TmRcvPrepared(rm) => n.tm_prepared[rm] = true,
            Action::TmCommit => {
                n.tm_state = TmState::Committed;
                n.msgs.insert(Msg::Commit);
            }
            Action::TmAbort => {
                n.tm_state = TmState::Aborted;
                n.msgs.insert(Msg::Abort);
            }
            Action::RmPrepare(rm) => {
                n.rm_state[rm] = RmState::Prepared;
                n.msgs.insert(Msg::Prepared(rm));
            }
            Action::RmChooseToAbort(rm) => n.rm_state[rm] = RmState::Aborted,
            Action::RmRcvCommitMsg(rm) => n.rm_state[rm] = RmState::Committed,
            Action::RmRcvAbortMsg(rm) => n.rm_state[rm] = RmState::Aborted,
        }
        Some(n)
    }

    fn properties(&self) -> Vec<Property<Self>> {
        vec![Property::always(
            "consistent",
            |_: &HandWritten, s: &State| {
                !(s.rm_state.contains(&RmState::Aborted)
                    && s.rm_state.contains(&RmState::Committed))
            },
        )]
    }
}

struct Row {
    what: String,
    rms: usize,
    threads: usize,
    distinct: u64,
    generated: u64,
    seconds: f64,
    peak: Option<u64>,
}

impl Row {
    fn print(&self, json: bool) {
        let dps = self.distinct as f64 / self.seconds;
        let gps = self.generated as f64 / self.seconds;
        if json {
            println!(
                "{}",
                serde_json::json!({"checker": self.what, "rms": self.rms, "threads": self.threads,
                    "distinct_states": self.distinct, "generated_states": self.generated,
                    "seconds": self.seconds, "distinct_per_second": dps, "generated_per_second": gps,
                    "peak_memory_bytes": self.peak})
            );
        } else {
            println!(
                "{:<34} rm{} {} thr  {:>9} distinct {:>10} generated  {:>7.2} s  {:>9.0} distinct/s {:>10.0} generated/s",
                self.what, self.rms, self.threads, self.distinct, self.generated, self.seconds, dps, gps
            );
        }
    }
}

fn lamport_row(config: &str, rms: usize, threads: usize) -> Row {
    let model = two_phase_commit::definition()
        .config(config)
        .expect("config");
    // Safety alone, as the hand-written model checks (its `Termination` costs are measured in
    // benches/liveness.rs).
    let r = model.check_with(&CheckOptions {
        threads,
        liveness: false,
        ..CheckOptions::default()
    });
    assert!(r.trace.is_none(), "{}", r.to_text());
    Row {
        what: "lamport model, lamport checker".into(),
        rms,
        threads,
        distinct: r.distinct_states,
        generated: r.generated_states,
        seconds: r.seconds,
        peak: r.peak_memory_bytes,
    }
}

fn stateright_row(rms: usize, threads: usize) -> Row {
    let started = Instant::now();
    let checker = HandWritten { rms }
        .checker()
        .threads(threads)
        .spawn_bfs()
        .join();
    let seconds = started.elapsed().as_secs_f64();
    checker.assert_properties();
    Row {
        what: "hand-written model, stateright BFS".into(),
        rms,
        threads,
        distinct: checker.unique_state_count() as u64,
        generated: checker.state_count() as u64,
        seconds,
        peak: lamport_core_peak(),
    }
}

fn lamport_core_peak() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: u64 = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb * 1024)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let json = args.iter().any(|a| a == "--json");
    let mut sizes: Vec<(&str, usize)> = Vec::new();
    for (name, n) in [("rm7", 7), ("rm8", 8)] {
        if args.iter().any(|a| a == name) {
            sizes.push((name, n));
        }
    }
    if sizes.is_empty() {
        sizes = vec![("rm7", 7), ("rm8", 8)];
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    for (config, rms) in sizes {
        // The peak-memory figure is per process: run the lamport checker first.
        let mine = lamport_row(config, rms, 1);
        mine.print(json);
        let mine_all = lamport_row(config, rms, threads);
        mine_all.print(json);
        let theirs = stateright_row(rms, 1);
        theirs.print(json);
        let ratio =
            (mine.distinct as f64 / mine.seconds) / (theirs.distinct as f64 / theirs.seconds);
        if json {
            println!(
                "{}",
                serde_json::json!({"rms": rms, "lamport_over_stateright_throughput_1_thread": ratio})
            );
        } else {
            println!(
                "rm{rms}: lamport/stateright throughput ratio, 1 thread each: {ratio:.2}x (above 1: the language costs nothing)\n"
            );
        }
    }
}
