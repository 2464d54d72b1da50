//! Model-based testing and trace validation on a second model, with model values and enums as
//! parameters and map keys: two-phase commit against a small transaction coordinator written
//! here. It also shows, executably, what model-based testing cannot see (an implementation that
//! can do more than the model allows) and how trace validation of its runs catches it.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::collections::BTreeSet;

use example::two_phase_commit::{self, Action, RmState, State, TmState};
use lamport::prelude::*;
use lamport::{Driver, ExhaustiveOptions, Observation, RandomOptions};

/// A coordinator and its participants, written the way a service would be: participants vote,
/// the coordinator collects votes over a mailbox and decides.
#[derive(Clone, Debug)]
struct Transaction {
    participants: Vec<Participant>,
    decision: Option<bool>,
    votes: BTreeSet<usize>,
    /// Messages sent: votes (`Some(i)`), and the decision (`None`).
    mailbox: BTreeSet<Option<usize>>,
    /// The bug: commit as soon as one participant voted yes.
    commit_on_first_vote: bool,
    log: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Participant {
    Working,
    Prepared,
    Committed,
    Aborted,
}

impl Transaction {
    fn new(n: usize, commit_on_first_vote: bool) -> Self {
        Transaction {
            participants: vec![Participant::Working; n],
            decision: None,
            votes: BTreeSet::new(),
            mailbox: BTreeSet::new(),
            commit_on_first_vote,
            log: vec![r#"{"state": {"tm_state": "init"}}"#.to_string()],
        }
    }

    fn record(&mut self, action: &str, rm: Option<usize>, state: String) {
        let params = rm
            .map(|i| format!(r#", "params": {{"rm": "r{}"}}"#, i + 1))
            .unwrap_or_default();
        self.log.push(format!(
            r#"{{"action": "{action}"{params}, "state": {{{state}}}}}"#
        ));
    }

    fn participant_state(&self, i: usize) -> String {
        let s = match self.participants[i] {
            Participant::Working => "working",
            Participant::Prepared => "prepared",
            Participant::Committed => "committed",
            Participant::Aborted => "aborted",
        };
        format!(r#""rm_state[r{}]": "{s}""#, i + 1)
    }

    fn prepare(&mut self, i: usize) -> Result<(), String> {
        if self.participants[i] != Participant::Working {
            return Err(format!("participant {i} is not working"));
        }
        self.participants[i] = Participant::Prepared;
        self.mailbox.insert(Some(i));
        let st = self.participant_state(i);
        self.record("RMPrepare", Some(i), st);
        Ok(())
    }

    fn give_up(&mut self, i: usize) -> Result<(), String> {
        if self.participants[i] != Participant::Working {
            return Err(format!("participant {i} is not working"));
        }
        self.participants[i] = Participant::Aborted;
        let st = self.participant_state(i);
        self.record("RMChooseToAbort", Some(i), st);
        Ok(())
    }

    fn collect_vote(&mut self, i: usize) -> Result<(), String> {
        if self.decision.is_some() || !self.mailbox.contains(&Some(i)) {
            return Err(format!("no vote of {i} to collect"));
        }
        self.votes.insert(i);
        self.record("TMRcvPrepared", Some(i), String::new());
        Ok(())
    }

    /// Whether the coordinator would commit now.
    fn may_commit(&self) -> bool {
        self.decision.is_none()
            && if self.commit_on_first_vote {
                !self.votes.is_empty()
            } else {
                self.votes.len() == self.participants.len()
            }
    }

    fn decide(&mut self, commit: bool) -> Result<(), String> {
        if self.decision.is_some() || (commit && !self.may_commit()) {
            return Err("cannot decide".into());
        }
        self.decision = Some(commit);
        self.mailbox.insert(None);
        let (action, st) = if commit {
            ("TMCommit", "committed")
        } else {
            ("TMAbort", "aborted")
        };
        self.record(action, None, format!(r#""tm_state": "{st}""#));
        Ok(())
    }

    fn learn(&mut self, i: usize, commit: bool) -> Result<(), String> {
        if self.decision != Some(commit) {
            return Err("no such decision".into());
        }
        self.participants[i] = if commit {
            Participant::Committed
        } else {
            Participant::Aborted
        };
        let st = self.participant_state(i);
        let action = if commit {
            "RMRcvCommitMsg"
        } else {
            "RMRcvAbortMsg"
        };
        self.record(action, Some(i), st);
        Ok(())
    }
}

struct Coordinator {
    commit_on_first_vote: bool,
}

impl Driver<two_phase_commit::Model> for Coordinator {
    type System = Transaction;

    fn start(&mut self, init: &State) -> Transaction {
        Transaction::new(init.rm_state.len(), self.commit_on_first_vote)
    }

    fn step(&mut self, t: &mut Transaction, action: &Action) -> Result<(), String> {
        let i = |rm: &two_phase_commit::Rm| rm.index() - 1;
        match action {
            Action::TmRcvPrepared { rm } => t.collect_vote(i(rm)),
            Action::TmCommit => t.decide(true),
            Action::TmAbort => t.decide(false),
            Action::RmPrepare { rm } => t.prepare(i(rm)),
            Action::RmChooseToAbort { rm } => t.give_up(i(rm)),
            Action::RmRcvCommitMsg { rm } => t.learn(i(rm), true),
            Action::RmRcvAbortMsg { rm } => t.learn(i(rm), false),
        }
    }

    /// The participants' and the coordinator's states and the votes collected; not the
    /// messages (the mailbox is the transport's).
    fn observe(&mut self, t: &Transaction) -> Observation {
        let tm = match t.decision {
            None => TmState::Init,
            Some(true) => TmState::Committed,
            Some(false) => TmState::Aborted,
        };
        let mut o = Observation::new().var("tm_state", &tm).var(
            "tm_prepared",
            &t.votes
                .iter()
                .map(|&i| two_phase_commit::Rm::nth(i + 1))
                .collect::<Set<_>>(),
        );
        for (i, p) in t.participants.iter().enumerate() {
            let s = match p {
                Participant::Working => RmState::Working,
                Participant::Prepared => RmState::Prepared,
                Participant::Committed => RmState::Committed,
                Participant::Aborted => RmState::Aborted,
            };
            o = o.entry("rm_state", &two_phase_commit::Rm::nth(i + 1), &s);
        }
        o
    }
}

fn rm3() -> two_phase_commit::Model {
    two_phase_commit::definition().config("rm3").unwrap()
}

#[test]
fn every_transition_of_rm3_agrees_with_the_coordinator() {
    let r = rm3().test_exhaustive(
        &mut Coordinator {
            commit_on_first_vote: false,
        },
        &ExhaustiveOptions {
            max_steps: None,
            max_states: None,
        },
    );
    println!("{}", r.to_text());
    r.assert_ok();
    // TLC: 288 distinct states, 1,146 generated (the initial state and 1,145 successors).
    assert_eq!((r.states, r.transitions, r.complete), (288, 1_145, true));
    rm3()
        .test_random(
            &mut Coordinator {
                commit_on_first_vote: false,
            },
            &RandomOptions::default(),
        )
        .assert_ok();
}

#[test]
fn model_based_testing_cannot_see_an_implementation_that_does_more_than_the_model() {
    // The buggy coordinator could commit early, but the driver only asks it to commit where the
    // model does: every transition agrees.
    rm3()
        .test_exhaustive(
            &mut Coordinator {
                commit_on_first_vote: true,
            },
            &ExhaustiveOptions::default(),
        )
        .assert_ok();
}

#[test]
fn trace_validation_catches_it_in_a_run_of_the_implementation() {
    // Left to itself, the buggy coordinator commits after the first vote; its log says so.
    let mut t = Transaction::new(3, true);
    t.prepare(0).unwrap();
    t.collect_vote(0).unwrap();
    assert!(t.may_commit());
    t.decide(true).unwrap();
    t.learn(0, true).unwrap();
    let log = t.log.join("\n");
    let v = rm3().validate_trace(&log).unwrap();
    let u = v.assert_unexplained();
    println!("{}", v.to_text());
    assert_eq!(u.line, 4, "the TMCommit line");
    assert!(u.reason.contains("TMCommit is not enabled"), "{}", u.reason);
    // The bug-zoo configuration of the model allows exactly this.
    two_phase_commit::definition()
        .config("bug_commit_early")
        .unwrap()
        .validate_trace(&log)
        .unwrap()
        .assert_explained();
    // A correct run, with values written plainly: model values and enum variants as strings.
    let mut t = Transaction::new(3, false);
    for i in 0..3 {
        t.prepare(i).unwrap();
        t.collect_vote(i).unwrap();
    }
    t.decide(true).unwrap();
    for i in 0..3 {
        t.learn(i, true).unwrap();
    }
    rm3()
        .validate_trace(&t.log.join("\n"))
        .unwrap()
        .assert_explained();
}
