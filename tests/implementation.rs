//! The `chain_replication` model tested against a real implementation, the chain-replicated
//! key-value store in `impls/chain-kv`: model-based testing (every transition of the `ci`
//! configuration, and random behaviours through proptest) and trace validation of the store's
//! event logs. With one of the model's bug-zoo bugs reintroduced in the store, both kinds of
//! model-based test fail with a short behaviour, and trace validation rejects the log at its
//! first wrong event. See docs/testing-implementations.md.

#[allow(dead_code)]
#[path = "../examples/chain_replication.rs"]
mod example;

use std::process::ExitCode;

use chain_kv::{Bug, Cluster, Operation, Options, ServerId};
use example::chain_replication::{self, Action, State};
use lamport::prelude::*;
use lamport::{CheckOptions, Driver, ExhaustiveOptions, MismatchKind, Observation, RandomOptions};

/// Drives the store with the model's actions and abstracts it to the model's variables.
struct Store {
    bug: Option<Bug>,
}

fn server(n: i64) -> ServerId {
    ServerId(n as u32)
}

fn updates(ids: impl Iterator<Item = u64>) -> Set<usize> {
    ids.map(|u| u as usize).collect()
}

impl Driver<chain_replication::Model> for Store {
    type System = Cluster;

    fn start(&mut self, init: &State) -> Cluster {
        Cluster::new(&Options {
            servers: init.alive.len() as u32,
            bug: self.bug,
        })
    }

    fn step(&mut self, c: &mut Cluster, action: &Action) -> Result<(), String> {
        let done = match *action {
            Action::ClientUpdate => c.client_update("k", "v").map(drop),
            Action::Forward { n } => c.forward(server(n)).map(drop),
            Action::Receive { n } => c.deliver_next_to(server(n)).map(drop),
            Action::TailAck { u } => c.deliver_ack(u as u64),
            Action::Read { n } => {
                let read = c.client_read().map_err(|e| e.to_string())?;
                if read.server != server(n) {
                    return Err(format!(
                        "the read was served by {}, not by {}",
                        read.server,
                        server(n)
                    ));
                }
                Ok(())
            }
            Action::Crash { n } => c.crash(server(n)),
        };
        done.map_err(|e| e.to_string())
    }

    /// Everything but the servers' forward pointers (`sent`, an internal of each server) and
    /// what concerns crashed servers (their logs and incoming links are gone with them).
    fn observe(&mut self, c: &Cluster) -> Observation {
        let mut o = Observation::new()
            .var(
                "alive",
                &c.chain().iter().map(|s| s.0 as i64).collect::<Set<i64>>(),
            )
            .var("next_update", &(c.client().next_id() as usize))
            .var("acked", &updates(c.client().acked().iter().copied()))
            .var("read_seen", &updates(c.client().seen().iter().copied()))
            .var("reads_ok", &c.client().reads_consistent())
            .var("failures", &(c.manager().failures() as i64));
        for &s in c.chain() {
            let hist: Seq<usize> = c
                .server(s)
                .expect("a server in the chain")
                .applied()
                .map(|u| u as usize)
                .collect();
            let inbox: Seq<usize> = c
                .network()
                .in_flight_to(chain_kv::Endpoint::Server(s))
                .filter_map(|e| match &e.message {
                    chain_kv::Message::Update(u) => Some(u.id as usize),
                    chain_kv::Message::Ack(_) => None,
                })
                .collect();
            o = o
                .entry("hist", &(s.0 as i64), &hist)
                .entry("inbox", &(s.0 as i64), &inbox);
        }
        o
    }
}

fn config(name: &str) -> chain_replication::Model {
    chain_replication::definition()
        .config(name)
        .expect("configuration")
}

/// The length (in states) of the model checker's shortest counterexample for a bug-zoo config.
fn shortest_counterexample(name: &str) -> usize {
    let r = config(name).check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    });
    r.trace.expect("the bug-zoo configuration fails").len()
}

fn whole_state_space() -> ExhaustiveOptions {
    ExhaustiveOptions {
        max_steps: None,
        max_states: None,
    }
}

fn random(seed: u64) -> RandomOptions {
    RandomOptions {
        behaviours: 256,
        max_steps: 30,
        seed,
    }
}

/// "A few steps longer" than the model's shortest counterexample, at most.
const FEW: usize = 2;

#[test]
fn every_transition_of_the_ci_configuration_agrees_with_the_store() {
    let report = config("ci").test_exhaustive(&mut Store { bug: None }, &whole_state_space());
    println!("{}", report.to_text());
    report.assert_ok();
    assert!(report.complete);
    // The whole reachable state space (TLC: 523 distinct states, 1,307 generated, depth 15):
    // every state, and every transition (the 1,306 states generated after the initial one), at
    // depth up to 14 steps.
    assert_eq!(report.states, 523);
    assert_eq!(report.transitions, 1_306);
    assert_eq!(report.max_steps, 14);
    assert_eq!(report.behaviours, 1_306);
}

#[test]
fn exhaustive_to_a_depth_bound_says_it_is_incomplete() {
    let report = config("ci").test_exhaustive(
        &mut Store { bug: None },
        &ExhaustiveOptions {
            max_steps: Some(6),
            max_states: None,
        },
    );
    println!("{}", report.to_text());
    report.assert_ok();
    assert!(!report.complete);
    assert!(report.transitions < 1_306 && report.transitions > 100);
}

#[test]
fn random_behaviours_agree_with_the_store() {
    let report = config("ci").test_random(&mut Store { bug: None }, &random(7));
    println!("{}", report.to_text());
    report.assert_ok();
    assert_eq!(report.behaviours, 256);
    assert!(report.transitions > 200, "{}", report.transitions);
}

#[test]
fn exhaustive_testing_finds_the_missing_resend() {
    let shortest = shortest_counterexample("bug_no_resend");
    assert_eq!(shortest, 6);
    let report = config("ci").test_exhaustive(
        &mut Store {
            bug: Some(Bug::NoResend),
        },
        &whole_state_space(),
    );
    let m = report.assert_mismatch();
    println!("{}", m.to_text());
    assert!(m.len() <= shortest + FEW, "{}", m.len());
    assert!(
        m.actions().contains(&"Crash(2)".to_string()),
        "{:?}",
        m.actions()
    );
    // The ITF form carries the model's states and the implementation's observations.
    let itf = m.to_itf("no resend");
    assert_eq!(itf["states"].as_array().unwrap().len(), m.len());
    assert_eq!(
        itf["states"][0]["#meta"]["implementation"]["alive"],
        serde_json::json!({"#set": [{"#bigint": "1"}, {"#bigint": "2"}, {"#bigint": "3"}]})
    );
}

#[test]
fn random_testing_finds_the_missing_resend_and_shrinks_it() {
    let shortest = shortest_counterexample("bug_no_resend");
    let report = config("ci").test_random(
        &mut Store {
            bug: Some(Bug::NoResend),
        },
        &random(7),
    );
    let m = report.assert_mismatch();
    println!(
        "shrunk to {} states: {:?}\n{}",
        m.len(),
        m.actions(),
        m.to_text()
    );
    assert!(
        m.len() <= shortest + FEW,
        "shrunk to {} states, the model's shortest counterexample has {shortest}",
        m.len()
    );
    assert!(
        m.actions().contains(&"Crash(2)".to_string()),
        "{:?}",
        m.actions()
    );
}

#[test]
fn both_kinds_of_test_find_reads_served_by_the_head() {
    let shortest = shortest_counterexample("bug_read_non_tail");
    assert_eq!(shortest, 3);
    let buggy = || Store {
        bug: Some(Bug::ReadFromHead),
    };
    let exhaustive = config("ci").test_exhaustive(&mut buggy(), &whole_state_space());
    let random = config("ci").test_random(&mut buggy(), &random(3));
    for m in [exhaustive.assert_mismatch(), random.assert_mismatch()] {
        println!("{}", m.summary());
        assert!(m.len() <= shortest + FEW, "{}", m.len());
        assert!(
            matches!(&m.kind, MismatchKind::Refused { reason } if reason.contains("served by s1")),
            "{:?}",
            m.kind
        );
    }
}

/// A small deterministic random source for the schedules (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A random schedule's next operation on `c`, within the `large` configuration's bounds (three
/// updates, two crashes); `None` when the run is over.
fn choose(c: &Cluster, rng: &mut Rng) -> Option<Operation> {
    let ops: Vec<Operation> = c
        .possible_operations()
        .into_iter()
        .filter(|op| match op {
            Operation::ClientUpdate => c.client().next_id() <= 3,
            // Crashes and losses now and then, not as often as the protocol's own steps.
            Operation::Crash(_) => c.manager().failures() < 2 && rng.below(4) == 0,
            Operation::Lose(_) => rng.below(4) == 0,
            _ => true,
        })
        .collect();
    (!ops.is_empty()).then(|| ops[rng.below(ops.len())])
}

/// The log of a random run of the store with four servers.
fn random_run(seed: u64, bug: Option<Bug>) -> Cluster {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut c = Cluster::new(&Options { servers: 4, bug });
    let steps = 10 + rng.below(40);
    for _ in 0..steps {
        match choose(&c, &mut rng) {
            Some(op) => c.perform(op).expect("a possible operation"),
            None => break,
        }
    }
    c
}

#[test]
fn validate_trace_explains_a_hundred_logs_of_the_correct_store() {
    let model = config("large");
    let (mut events, mut crashes, mut widest, mut widest_unobserved) = (0, 0, 0, 0);
    for seed in 0..100 {
        let log = random_run(seed, None).log().to_jsonl();
        let v = model.validate_trace(&log).expect("a well-formed log");
        if !v.is_explained() {
            panic!("seed {seed}: {}\n{log}", v.to_text());
        }
        assert_eq!(v.explained, v.events);
        // With only the actions' names logged, the search keeps every state that fits.
        let names_only: String = log
            .lines()
            .filter_map(|l| {
                let e: serde_json::Value = serde_json::from_str(l).unwrap();
                e.get("action").map(|a| format!("{{\"action\": {a}}}\n"))
            })
            .collect();
        let thin = model
            .validate_trace(&names_only)
            .expect("a well-formed log");
        if !thin.is_explained() {
            panic!("seed {seed}, names only: {}\n{names_only}", thin.to_text());
        }
        widest_unobserved = widest_unobserved.max(thin.widest);
        events += v.events;
        crashes += log.matches("\"Crash\"").count();
        widest = widest.max(v.widest);
    }
    println!(
        "100 logs, {events} events, {crashes} crashes; at most {widest} model state(s) at once \
         with the logs' parameters and observations, {widest_unobserved} with the actions' names only"
    );
    assert!(
        events > 2_000 && crashes > 50,
        "{events} events, {crashes} crashes"
    );
    assert_eq!(widest, 1, "the logs pin the behaviour down");
    assert!(widest_unobserved > 1);
}

/// A buggy run, and the first line of its log (1-based) that a correct store, given the same
/// operations, would not have written.
fn buggy_run_and_first_wrong_line(seed: u64, bug: Bug) -> (Cluster, Option<usize>) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut buggy = Cluster::new(&Options {
        servers: 4,
        bug: Some(bug),
    });
    let mut correct = Cluster::new(&Options {
        servers: 4,
        bug: None,
    });
    let mut first_wrong = None;
    let steps = 10 + rng.below(40);
    for _ in 0..steps {
        let Some(op) = choose(&buggy, &mut rng) else {
            break;
        };
        buggy.perform(op).expect("a possible operation");
        if first_wrong.is_none() {
            let _ = correct.perform(op);
            let (b, c) = (buggy.log().lines(), correct.log().lines());
            first_wrong = (0..b.len())
                .find(|&i| c.get(i) != Some(&b[i]))
                .map(|i| i + 1);
        }
    }
    (buggy, first_wrong)
}

#[test]
fn validate_trace_rejects_logs_of_the_buggy_store_at_the_first_wrong_event() {
    let model = config("large");
    for bug in [Bug::NoResend, Bug::ReadFromHead] {
        let mut rejected = 0;
        for seed in 0..100 {
            let (run, first_wrong) = buggy_run_and_first_wrong_line(seed, bug);
            let log = run.log().to_jsonl();
            let v = model.validate_trace(&log).expect("a well-formed log");
            if let Some(line) = first_wrong {
                let u = v.assert_unexplained();
                assert_eq!(
                    u.line,
                    line,
                    "seed {seed}, {bug:?}:\n{}\n{log}",
                    v.to_text()
                );
                rejected += 1;
            } else {
                // The bug did not show in this run: the log is a correct store's.
                v.assert_explained();
            }
        }
        println!("{bug:?}: {rejected} of 100 logs rejected, each at the first wrong event");
        assert!(
            rejected >= 10,
            "{bug:?}: only {rejected} runs showed the bug"
        );
    }
}

fn cli(args: &[&str]) -> ExitCode {
    let args = std::iter::once("chain_replication").chain(args.iter().copied());
    lamport::cli::run_from(chain_replication::definition(), args)
}

/// A file holding `text` in a temporary folder, removed when the folder is dropped.
fn temp_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::Builder::new()
        .prefix("lamport-implementation-")
        .tempdir()
        .unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

#[test]
fn the_command_line_validates_logs_with_exit_codes() {
    let good = random_run(1, None).log().to_jsonl();
    let (_dir, path) = temp_file("good.jsonl", &good);
    let trace = path.to_str().unwrap();
    assert_eq!(
        cli(&["validate-trace", "--config", "large", "--trace", trace]),
        ExitCode::SUCCESS
    );
    let (bad_run, first_wrong) = (0..100)
        .map(|seed| buggy_run_and_first_wrong_line(seed, Bug::NoResend))
        .find(|(_, w)| w.is_some())
        .expect("a run that shows the bug");
    let (_dir, path) = temp_file("bad.jsonl", &bad_run.log().to_jsonl());
    assert_eq!(
        cli(&[
            "validate-trace",
            "--config",
            "large",
            "--trace",
            path.to_str().unwrap()
        ]),
        ExitCode::from(1),
        "rejected at line {first_wrong:?}"
    );
    // `ci` has three servers: no initial state explains the log's first line (four).
    assert_eq!(
        cli(&["validate-trace", "--config", "ci", "--trace", trace]),
        ExitCode::from(1)
    );
    assert_eq!(
        cli(&["validate-trace", "--config", "nope", "--trace", trace]),
        ExitCode::from(2)
    );
}

#[test]
fn a_malformed_trace_is_exit_2_with_its_line_number() {
    let mut lines: Vec<String> = random_run(2, None).log().lines().to_vec();
    lines.truncate(4);
    lines.insert(
        2,
        "{\"action\": \"Forward\", \"params\": {\"n\": 1},".into(),
    );
    let text = lines.join("\n");
    let e = config("large").validate_trace(&text).unwrap_err();
    assert_eq!(e.line, 3, "{e}");
    assert!(e.message.contains("not valid JSON"), "{e}");
    let (_dir, path) = temp_file("malformed.jsonl", &text);
    assert_eq!(
        cli(&[
            "validate-trace",
            "--config",
            "large",
            "--trace",
            path.to_str().unwrap()
        ]),
        ExitCode::from(2)
    );
    // Names the model does not have are bad input too, at their line.
    let e = config("large")
        .validate_trace("{\"state\": {\"alive\": [1, 2, 3, 4]}}\n{\"action\": \"Foward\", \"params\": {\"n\": 1}}\n")
        .unwrap_err();
    assert_eq!(e.line, 2);
    assert!(e.message.contains("no action `Foward`"), "{e}");
    let e = config("large")
        .validate_trace("{\"action\": \"Forward\", \"params\": {\"m\": 1}}\n")
        .unwrap_err();
    assert!(e.message.contains("no parameter `m`"), "{e}");
    let e = config("large")
        .validate_trace("{\"state\": {\"alvie\": []}}\n")
        .unwrap_err();
    assert!(e.message.contains("no variable `alvie`"), "{e}");
    assert_eq!(
        cli(&[
            "validate-trace",
            "--config",
            "large",
            "--trace",
            "/nonexistent/trace.jsonl"
        ]),
        ExitCode::from(2)
    );
}

#[test]
fn an_itf_counterexample_is_a_trace_too() {
    let r = config("bug_no_resend").check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    });
    let itf = r.trace.unwrap().to_itf("bug_no_resend");
    let text = serde_json::to_string_pretty(&itf).unwrap();
    config("bug_no_resend")
        .validate_trace(&text)
        .unwrap()
        .assert_explained();
    // The correct model does not explain it: after Crash(2), s1 resends update 1 first.
    let v = config("ci").validate_trace(&text).unwrap();
    let u = v.assert_unexplained();
    assert_eq!(u.place, "ITF state 4", "{}", v.to_text());
}

#[test]
fn unobserved_parameters_and_variables_leave_the_search_several_states() {
    // Only actions, no parameters and no state: every interleaving that fits is kept.
    let text = "{\"action\": \"ClientUpdate\"}\n{\"action\": \"Crash\"}\n{\"action\": \"Read\"}\n";
    let v = config("ci").validate_trace(text).unwrap();
    v.assert_explained();
    assert_eq!(v.widest, 3, "a crash of any of the three servers");
    // A read that saw update 1 right after it was written: the tail has it only if it is the
    // head, which takes two crashes, and `ci` allows one. Nothing explains it.
    let text = "{\"action\": \"ClientUpdate\"}\n{\"action\": \"Crash\"}\n{\"action\": \"Read\", \"state\": {\"read_seen\": [1]}}\n";
    let v = config("ci").validate_trace(text).unwrap();
    let u = v.assert_unexplained();
    assert_eq!(u.line, 3);
    assert_eq!(u.states_before, 3);
    assert!(!u.closest.is_empty());
}
