//! Message diagrams of counterexamples, drawn from the network each model declares
//! (`#[network(...)]`): for every shipped bug configuration, the participants (values of the
//! node sets, and fixed names like the TM) and one arrow per message sent (per receiver, for a
//! message to every value of a set) are pinned; CRAQ, which has no messages, has no diagram;
//! and Mermaid itself renders a diagram (with mermaid-cli, when installed).

#[allow(dead_code)]
#[path = "../examples/chain_replication.rs"]
mod chain;
#[allow(dead_code)]
#[path = "../examples/craq.rs"]
mod craq_example;
#[allow(dead_code)]
#[path = "../examples/paxos.rs"]
mod paxos_example;
#[allow(dead_code)]
#[path = "../examples/raft.rs"]
mod raft_example;
#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod two_phase;

use lamport::{Model, ModelExt};

/// The diagram of `model`'s shortest counterexample, ending with the violated property.
fn diagram<M: Model>(model: M) -> Option<String> {
    let report = model.check();
    let trace = report.trace.as_ref().expect("a counterexample");
    let end = lamport::verify::ending(&report.outcome, trace.len());
    lamport::sequence_diagram(
        &model.ir().expect("ir"),
        &model.constants(),
        trace,
        Some(&end),
    )
}

/// The participants' names, and the arrows as `from -> to: label`.
fn participants_and_arrows(d: &str) -> (Vec<String>, Vec<String>) {
    let mut names = std::collections::BTreeMap::new();
    let mut participants = Vec::new();
    let mut arrows = Vec::new();
    for line in d.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("participant ") {
            let (id, name) = rest.split_once(" as ").expect("`participant P as name`");
            names.insert(id.to_string(), name.to_string());
            participants.push(name.to_string());
        } else if let Some((ends, label)) = line.split_once(": ") {
            if let Some((from, to)) = ends.split_once("->>") {
                arrows.push(format!("{} -> {}: {label}", names[from], names[to]));
            }
        }
    }
    (participants, arrows)
}

#[track_caller]
fn assert_diagram<M: Model>(model: M, participants: &[&str], arrows: &[&str]) -> String {
    let name = model.config_name().to_string();
    let d = diagram(model).unwrap_or_else(|| panic!("{name}: no diagram"));
    let (p, a) = participants_and_arrows(&d);
    assert_eq!(p, participants, "{name}: participants of\n{d}");
    assert_eq!(a, arrows, "{name}: arrows of\n{d}");
    d
}

fn two_phase_commit_diagram() -> String {
    diagram(
        two_phase::two_phase_commit::definition()
            .config("bug_commit_early")
            .unwrap(),
    )
    .expect("two-phase commit declares its network")
}

#[test]
fn two_phase_commit_counterexample_as_a_sequence_diagram() {
    assert_eq!(
        two_phase_commit_diagram(),
        "\
sequenceDiagram
    participant P1 as r1
    participant P2 as r2
    participant P3 as r3
    participant P4 as TM
    P1->>P4: m1 prepared
    Note over P4: TMRcvPrepared(r1) ← m1
    P4->>P1: m2 commit
    P4->>P2: m2 commit
    P4->>P3: m2 commit
    Note over P2: RMChooseToAbort(r2)
    Note over P1: RMRcvCommitMsg(r1) ← m2
    Note over P1,P4: Invariant TCConsistent is violated in state 6.
"
    );
}

fn paxos(config: &str) -> paxos_example::paxos::Model {
    paxos_example::paxos::definition().config(config).unwrap()
}

const PAXOS: [&str; 6] = ["ballot 0", "ballot 1", "a1", "a2", "a3", "learners"];
const PHASE1A_0: [&str; 3] = [
    "ballot 0 -> a1: m1 phase1a",
    "ballot 0 -> a2: m1 phase1a",
    "ballot 0 -> a3: m1 phase1a",
];

#[test]
fn paxos_leaders_are_ballots_and_acceptors_answer_them() {
    let d = assert_diagram(
        paxos("bug_disjoint_quorums"),
        &PAXOS,
        &[
            PHASE1A_0.as_slice(),
            &[
                "ballot 1 -> a1: m2 phase1a",
                "ballot 1 -> a2: m2 phase1a",
                "ballot 1 -> a3: m2 phase1a",
                "a1 -> ballot 0: m3 phase1b(mbal: -1, mval: ⟨⟩)",
                "a1 -> ballot 1: m4 phase1b(mbal: -1, mval: ⟨⟩)",
                "ballot 0 -> a1: m5 phase2a(val: v1)",
                "ballot 0 -> a2: m5 phase2a(val: v1)",
                "ballot 0 -> a3: m5 phase2a(val: v1)",
                "ballot 1 -> a1: m6 phase2a(val: v2)",
                "ballot 1 -> a2: m6 phase2a(val: v2)",
                "ballot 1 -> a3: m6 phase2a(val: v2)",
                "a1 -> learners: m7 phase2b(bal: 1, val: v2)",
                "a2 -> learners: m8 phase2b(bal: 0, val: v1)",
            ],
        ]
        .concat()
        .iter()
        .map(|s| &**s)
        .collect::<Vec<_>>(),
    );
    // An acceptor receives the message its action takes as a parameter (`m in s.msgs`).
    assert!(d.contains("Note over P3: Phase1b(a1, m1)\n"), "{d}");
    assert!(d.contains("Note over P4: Phase2b(a2, m5)\n"), "{d}");
}

#[test]
fn every_paxos_bug_has_its_messages_drawn() {
    let phase1b =
        |a: &str, b: u8, m: u8, vote: &str| format!("{a} -> ballot {b}: m{m} phase1b({vote})");
    let none = "mbal: -1, mval: ⟨⟩";
    assert_diagram(
        paxos("bug_forgetful_acceptor"),
        &["ballot 0", "a1", "a2", "a3"],
        &[
            PHASE1A_0[0],
            PHASE1A_0[1],
            PHASE1A_0[2],
            &phase1b("a1", 0, 2, none),
        ],
    );
    let shared = [
        phase1b("a1", 0, 2, none),
        phase1b("a2", 0, 3, none),
        "ballot 0 -> a1: m4 phase2a(val: v1)".into(),
        "ballot 0 -> a2: m4 phase2a(val: v1)".into(),
        "ballot 0 -> a3: m4 phase2a(val: v1)".into(),
        "ballot 0 -> a1: m5 phase2a(val: v2)".into(),
        "ballot 0 -> a2: m5 phase2a(val: v2)".into(),
        "ballot 0 -> a3: m5 phase2a(val: v2)".into(),
    ];
    let mut arrows: Vec<&str> = PHASE1A_0.to_vec();
    arrows.extend(shared.iter().map(String::as_str));
    assert_diagram(
        paxos("bug_shared_ballot"),
        &["ballot 0", "a1", "a2", "a3"],
        &arrows,
    );
    let first = [
        "ballot 1 -> a1: m2 phase1a".to_string(),
        "ballot 1 -> a2: m2 phase1a".into(),
        "ballot 1 -> a3: m2 phase1a".into(),
        phase1b("a1", 0, 3, none),
        phase1b("a1", 1, 4, none),
        phase1b("a2", 0, 5, none),
        "ballot 0 -> a1: m6 phase2a(val: v1)".into(),
        "ballot 0 -> a2: m6 phase2a(val: v1)".into(),
        "ballot 0 -> a3: m6 phase2a(val: v1)".into(),
    ];
    let mut below: Vec<String> = PHASE1A_0.iter().map(|s| s.to_string()).collect();
    below.extend(first.iter().cloned());
    below.push("a1 -> learners: m7 phase2b(bal: 0, val: v1)".into());
    assert_diagram(
        paxos("bug_vote_below_promise"),
        &PAXOS,
        &below.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let mut ignored: Vec<String> = PHASE1A_0.iter().map(|s| s.to_string()).collect();
    ignored.extend(first.iter().cloned());
    ignored.extend([
        "a2 -> learners: m7 phase2b(bal: 0, val: v1)".to_string(),
        phase1b("a2", 1, 8, "mbal: 0, mval: ⟨v1⟩"),
        "ballot 1 -> a1: m9 phase2a(val: v2)".into(),
        "ballot 1 -> a2: m9 phase2a(val: v2)".into(),
        "ballot 1 -> a3: m9 phase2a(val: v2)".into(),
    ]);
    assert_diagram(
        paxos("bug_ignore_reported_votes"),
        &PAXOS,
        &ignored.iter().map(String::as_str).collect::<Vec<_>>(),
    );
}

#[test]
fn chain_replication_updates_travel_between_servers() {
    let d = assert_diagram(
        chain::chain_replication::definition()
            .config("bug_no_resend")
            .unwrap(),
        &["server 1", "server 2", "server 3"],
        // Server 1 forwards update 1 to server 2, then (after 2 crashed) update 2 to 3.
        &["server 1 -> server 2: m1 1", "server 1 -> server 3: m2 2"],
    );
    assert!(d.contains("Note over P2: Crash(2)"), "{d}");
    // A read at the head sends no message: no diagram rather than an empty one.
    assert_eq!(
        diagram(
            chain::chain_replication::definition()
                .config("bug_read_non_tail")
                .unwrap()
        ),
        None
    );
}

fn raft(config: &str) -> raft_example::raft::Model {
    raft_example::raft::definition().config(config).unwrap()
}

const RVQ: &str = "request_vote_request(term: 2, lastLogTerm: 0, lastLogIndex: 0)";
const RVR: &str = "request_vote_response(term: 2, granted: TRUE)";

#[test]
fn raft_votes_and_appends_travel_between_servers() {
    let d = assert_diagram(
        raft("bug_vote_without_log_check"),
        &["s1", "s2", "s3"],
        &[
            &format!("s2 -> s3: m1 {RVQ}"),
            &format!("s3 -> s2: m2 {RVR}"),
            "s2 -> s3: m3 append_entries_request(term: 2, prevLogIndex: 0, prevLogTerm: 0, entry: ⟨[term |-› 2, value |-› v1]⟩, commitIndex: 0)",
            "s3 -> s2: m4 append_entries_response(term: 2, success: TRUE, matchIndex: 1)",
            "s1 -> s2: m5 request_vote_request(term: 3, lastLogTerm: 0, lastLogIndex: 0)",
            "s2 -> s1: m6 request_vote_response(term: 3, granted: TRUE)",
        ],
    );
    // A server sees the request's term first (the message stays in flight), then handles it.
    assert!(d.contains("Note over P3: UpdateTerm(m1)\n    Note over P3: HandleRequestVoteRequest(m1)\n    P3->>P2"), "{d}");
    assert!(d.contains("Note over P2: BecomeLeader(s2)"), "{d}");
    assert!(
        d.ends_with("Note over P1,P3: Invariant LeaderCompleteness is violated in state 19.\n"),
        "{d}"
    );
    assert_diagram(
        raft("bug_forget_voted_for"),
        &["s1", "s2", "s3"],
        &[
            &format!("s1 -> s3: m1 {RVQ}"),
            &format!("s3 -> s1: m2 {RVR}"),
            &format!("s2 -> s3: m3 {RVQ}"),
            &format!("s3 -> s2: m4 {RVR}"),
        ],
    );
}

#[test]
#[ignore = "369,758 states: cargo test --release --test mermaid -- --ignored"]
fn raft_figure_8_as_a_diagram() {
    let d = diagram(raft("bug_commit_previous_term")).expect("a diagram");
    let (participants, arrows) = participants_and_arrows(&d);
    assert_eq!(participants, ["s1", "s2", "s3"], "{d}");
    assert!(arrows.iter().all(|a| a.starts_with('s')), "{d}");
    assert!(
        arrows.iter().any(|a| a.contains("append_entries_request")),
        "{d}"
    );
    assert!(
        arrows.iter().any(|a| a.contains("request_vote_request")),
        "{d}"
    );
}

#[test]
fn craq_has_no_messages_and_no_diagram() {
    for config in [
        "bug_serve_dirty",
        "bug_serve_before_resync",
        "bug_stale_config",
    ] {
        assert_eq!(
            diagram(craq_example::craq::definition().config(config).unwrap()),
            None,
            "{config}"
        );
    }
}

/// A loss and a duplicate are marked where they happen, in Raft's bag of messages.
#[test]
fn losses_and_duplicates_are_marked() {
    use lamport::{StepLabel, Trace, TraceState, VarValue};
    let model = raft("ci");
    let ir = model.ir().unwrap();
    let rvq = "[type |-> \"request_vote_request\", term |-> 2, lastLogTerm |-> 0, lastLogIndex |-> 0, source |-> s1, dest |-> s2]";
    let state = |msgs: String, action: Option<(&str, Vec<(&str, &str)>)>| {
        let mut vars: Vec<VarValue> = model
            .render(&{
                let mut first = None;
                model.init_states(&mut |s| first = first.clone().or(Some(s)));
                first.unwrap()
            })
            .into_iter()
            .collect();
        for v in &mut vars {
            if v.name == "msgs" {
                v.tla = msgs.clone();
            }
        }
        TraceState {
            action: action.map(|(a, ps)| StepLabel {
                action: a.into(),
                params: ps.into_iter().map(|(n, v)| (n.into(), v.into())).collect(),
            }),
            vars,
        }
    };
    let trace = Trace {
        states: vec![
            state("<<>>".into(), None),
            state(
                format!("({rvq} :> 1)"),
                Some(("RequestVote", vec![("i", "s1"), ("j", "s2")])),
            ),
            state(
                format!("({rvq} :> 2)"),
                Some(("DuplicateMessage", vec![("m", rvq)])),
            ),
            state(
                format!("({rvq} :> 1)"),
                Some(("DropMessage", vec![("m", rvq)])),
            ),
            state(
                "<<>>".into(),
                Some(("HandleRequestVoteRequest", vec![("m", rvq)])),
            ),
        ],
        ..Trace::default()
    };
    let d = lamport::sequence_diagram(&ir, &model.constants(), &trace, None).unwrap();
    assert_eq!(
        d,
        "\
sequenceDiagram
    participant P1 as s1
    participant P2 as s2
    participant P3 as s3
    P1->>P2: m1 request_vote_request(term: 2, lastLogTerm: 0, lastLogIndex: 0)
    Note over P2: m1 duplicated (DuplicateMessage(m1))
    Note over P2: m1 lost (DropMessage(m1))
    Note over P2: HandleRequestVoteRequest(m1)
"
    );
}

/// mermaid-cli (`mmdc`) from `LAMPORT_MMDC` or PATH, with Chromium from
/// `PUPPETEER_EXECUTABLE_PATH` or /usr/bin/chromium.
fn mmdc() -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let mmdc = std::env::var_os("LAMPORT_MMDC")
        .map(std::path::PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join("mmdc"))
                .find(|p| p.exists())
        })
        .filter(|p| p.exists())
        .ok_or("set LAMPORT_MMDC to mmdc, or put it on PATH (npm: @mermaid-js/mermaid-cli)")?;
    let chromium = std::env::var_os("PUPPETEER_EXECUTABLE_PATH")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| "/usr/bin/chromium".into());
    if !chromium.exists() {
        return Err(format!(
            "no Chromium at {} (set PUPPETEER_EXECUTABLE_PATH)",
            chromium.display()
        ));
    }
    Ok((mmdc, chromium))
}

/// Renders `source` to SVG with mermaid-cli; `Err` with its output when Mermaid rejects it.
fn render(
    mmdc: &std::path::Path,
    chromium: &std::path::Path,
    name: &str,
    source: &str,
) -> Result<String, String> {
    let tmp = tempfile::Builder::new()
        .prefix("lamport-mermaid-")
        .tempdir()
        .unwrap();
    let dir = tmp.path();
    let config = dir.join("puppeteer.json");
    std::fs::write(
        &config,
        format!(
            r#"{{"executablePath": {:?}, "args": ["--no-sandbox", "--headless=new"]}}"#,
            chromium.display().to_string()
        ),
    )
    .unwrap();
    let (input, output) = (
        dir.join(format!("{name}.mmd")),
        dir.join(format!("{name}.svg")),
    );
    std::fs::write(&input, source).unwrap();
    let out = std::process::Command::new(mmdc)
        .arg("-i")
        .arg(&input)
        .arg("-o")
        .arg(&output)
        .arg("-p")
        .arg(&config)
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(std::fs::read_to_string(&output).unwrap())
}

#[test]
fn mermaid_renders_the_diagram() {
    let Some((mmdc, chromium)) = lamport::tla::tools::require("mermaid-cli", mmdc()) else {
        return;
    };
    let svg = render(&mmdc, &chromium, "two_phase", &two_phase_commit_diagram())
        .unwrap_or_else(|e| panic!("Mermaid rejected the diagram:\n{e}"));
    assert!(svg.contains("<svg"), "{svg}");
    for text in [
        "m1 prepared",
        "m2 commit",
        "RMChooseToAbort(r2)",
        "TMRcvPrepared(r1) ← m1",
        "Invariant TCConsistent is violated in state 6.",
    ] {
        assert!(svg.contains(text), "`{text}` is not in the rendered SVG");
    }
    // The same tool refuses a broken diagram: this test can fail.
    assert!(render(
        &mmdc,
        &chromium,
        "broken",
        "sequenceDiagram\n    P1-->>>: x\n"
    )
    .is_err());
}
