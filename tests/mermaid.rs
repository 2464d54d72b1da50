//! The Mermaid sequence diagram of a counterexample: its exact text for two-phase commit, the
//! messages it finds in Paxos and chain replication, none for CRAQ (no message variable), and
//! that Mermaid itself renders it (with mermaid-cli, when installed).

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
#[path = "../examples/two_phase_commit.rs"]
mod two_phase;

use lamport::{Model, ModelExt};

/// The diagram of `model`'s shortest counterexample, ending with the violated invariant.
fn diagram<M: Model>(model: M) -> Option<String> {
    let report = model.check();
    let trace = report.trace.as_ref().expect("a counterexample");
    let end = lamport::verify::ending(&report.outcome, trace.len());
    lamport::sequence_diagram(&model.ir().expect("ir"), trace, Some(&end))
}

fn two_phase_commit_diagram() -> String {
    diagram(
        two_phase::two_phase_commit::definition()
            .config("bug_commit_early")
            .unwrap(),
    )
    .expect("two-phase commit has a message set")
}

#[test]
fn two_phase_commit_counterexample_as_a_sequence_diagram() {
    assert_eq!(
        two_phase_commit_diagram(),
        "\
sequenceDiagram
    participant P1 as r1
    participant P2 as msgs
    participant P3 as TM
    participant P4 as r2
    P1->>P2: prepared(rm: r1)
    P2-->>P3: prepared(rm: r1) from r1
    P3->>P2: commit
    Note over P4: RMChooseToAbort(r2)
    P2-->>P1: commit from TM
    Note over P1,P4: Invariant TCConsistent is violated in state 6.
"
    );
}

#[test]
fn paxos_messages_are_sent_by_ballots_and_acceptors() {
    let d = diagram(
        paxos_example::paxos::definition()
            .config("bug_disjoint_quorums")
            .unwrap(),
    )
    .unwrap();
    // Leaders are named by their ballot, acceptors by their model value; a message taken as the
    // action's parameter `m in s.msgs` is received by the acceptor.
    for line in [
        "participant P1 as b=0",
        "participant P2 as msgs",
        "P1->>P2: phase1a(bal: 0)",
        "P2-->>P4: phase1a(bal: 0) from b=0",
        "P4->>P2: phase1b(acc: a1, bal: 0, mbal: -1, mval: ⟨⟩)",
        "Note over P1,P5: Invariant Agreement is violated in state 9.",
    ] {
        assert!(d.contains(line), "missing `{line}` in\n{d}");
    }
    assert_eq!(d.matches("->>P2:").count(), 8, "eight messages sent:\n{d}");
    assert_eq!(d.matches("P2-->>").count(), 4, "four received:\n{d}");
}

#[test]
fn chain_replication_updates_travel_on_the_links_between_servers() {
    let d = diagram(
        chain::chain_replication::definition()
            .config("bug_no_resend")
            .unwrap(),
    )
    .unwrap();
    assert!(d.contains("participant P2 as n=1"), "{d}");
    assert!(d.contains("participant P3 as n=2"), "{d}");
    // Server 1 forwards update 1 into server 2's inbox, then (after 2 crashed) update 2 to 3.
    assert!(d.contains("P2->>P3: 1\n"), "{d}");
    assert!(d.contains("Note over P3: Crash(2)"), "{d}");
    assert!(d.contains("P2->>P4: 2\n"), "{d}");
}

#[test]
fn craq_has_no_message_variable_and_no_diagram() {
    assert_eq!(
        diagram(
            craq_example::craq::definition()
                .config("bug_serve_dirty")
                .unwrap()
        ),
        None
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
        "prepared(rm: r1)",
        "commit from TM",
        "RMChooseToAbort(r2)",
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
