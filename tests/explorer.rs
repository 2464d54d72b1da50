//! `explore`: lamport's explorer page on a model, driven in headless Chromium through
//! chromedriver: the page names the model and the configuration, lists every property (the
//! temporal one included), offers the enabled actions in trace notation, follows one (showing
//! what it changed), and runs the check from the page, whose verdicts include the temporal
//! property's. A screenshot is taken in the test and the page's text checked at that moment.
//! Skipped, with one line, where Chromium or chromedriver is not installed (not under CI).

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

mod browser;

use std::net::{TcpListener, TcpStream};
use std::process::{Command, ExitCode, Stdio};

use browser::{free_port, http, png_size, wait_for, Browser, Reaped};
use example::two_phase_commit;

fn run(args: &str) -> ExitCode {
    let args = std::iter::once("two_phase_commit").chain(args.split(' '));
    lamport::cli::run_from(two_phase_commit::definition(), args)
}

#[test]
fn bad_ports_are_usage_errors() {
    for bad in ["70000", "0", "-1", "http"] {
        assert_eq!(
            run(&format!("explore --port {bad}")),
            ExitCode::from(2),
            "{bad}"
        );
    }
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    assert_eq!(run(&format!("explore --port {port}")), ExitCode::from(2));
    assert_eq!(
        run("explore --config nope --port 3000"),
        ExitCode::from(2),
        "an unknown configuration"
    );
}

/// The child process of the other tests: serves the explorer on `LAMPORT_EXPLORE_PORT`.
#[test]
#[ignore = "the child process of another test, run by it with --ignored"]
fn explorer_child() {
    let Ok(port) = std::env::var("LAMPORT_EXPLORE_PORT") else {
        return;
    };
    let config = std::env::var("LAMPORT_EXPLORE_CONFIG").unwrap_or_else(|_| "rm3".into());
    run(&format!("explore --config {config} --port {port}"));
}

fn serve(config: &str) -> (Reaped, u16) {
    let port = free_port();
    let child = Reaped(
        Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "explorer_child", "--nocapture"])
            .env("LAMPORT_EXPLORE_PORT", port.to_string())
            .env("LAMPORT_EXPLORE_CONFIG", config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    wait_for(60, "the explorer", || {
        TcpStream::connect(("127.0.0.1", port)).ok()
    });
    (child, port)
}

/// The JSON API the page is built on: every property with its kind, and states by number.
#[test]
fn the_api_describes_the_model_and_its_states() {
    let (_child, port) = serve("rm3");
    let model = http(port, "GET", "/api/model", None).unwrap();
    assert_eq!(model["model"], "two_phase_commit");
    assert_eq!(model["config"], "rm3");
    assert_eq!(model["module"], "TwoPhaseCommit");
    let props: Vec<(String, String)> = model["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        props,
        [
            ("TPTypeOK".to_string(), "invariant".to_string()),
            ("TCConsistent".into(), "invariant".into()),
            ("Termination".into(), "temporal (<>P: eventually)".into()),
            ("deadlock".into(), "no deadlock".into()),
        ]
    );
    let init = http(port, "GET", "/api/init", None).unwrap();
    let id = init[0]["id"].as_u64().unwrap();
    let state = http(port, "GET", &format!("/api/state?id={id}"), None).unwrap();
    let labels: Vec<&str> = state["successors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "TMAbort",
            "RMPrepare(r1)",
            "RMPrepare(r2)",
            "RMPrepare(r3)",
            "RMChooseToAbort(r1)",
            "RMChooseToAbort(r2)",
            "RMChooseToAbort(r3)"
        ]
    );
    let check = http(port, "POST", "/api/check", None).unwrap();
    assert_eq!(check["distinct"], 288);
    assert_eq!(check["generated"], 1146);
    assert_eq!(check["verdicts"]["Termination"], "holds");
    assert_eq!(check["verdicts"]["TCConsistent"], "holds");
}

#[test]
fn the_explorer_page_in_headless_chromium() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let (_child, port) = serve("rm3");
    browser.open(&format!("http://127.0.0.1:{port}/"));
    browser.wait_for_text("Model two_phase_commit, configuration rm3");
    // The enabled actions are the last part the page fills in.
    let text = browser.wait_for_text("RMChooseToAbort(r3)");
    for needle in [
        "TLA+ module TwoPhaseCommit",
        "Constants: Rm = {r1, r2, r3}, BugCommitEarly = FALSE",
        "TPTypeOK",
        "TCConsistent",
        "Termination",
        "temporal (<>P: eventually)",
        "Every behaviour reaches a state where every RM has committed or aborted.",
        "RMPrepare(r1)",
        "RMChooseToAbort(r3)",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` is not on the page:\n{text}"
        );
    }
    assert!(!text.contains("Init 0"), "{text}");

    // Follow an action: the path shows the step and what it changed.
    browser.click("//a[@class='action' and normalize-space(.)='RMPrepare(r1)']");
    let text = browser.wait_for_text("State 2: <RMPrepare(r1)>");
    for needle in [
        "rmState[r1]: \"working\" → \"prepared\"",
        "msgs: + [type |-> \"prepared\", rm |-> r1]",
        "TMRcvPrepared(r1)",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` is not on the page:\n{text}"
        );
    }

    // Check from the page: every property gets a verdict, the temporal one included.
    browser.click("//button[@id='check']");
    browser.wait_for_text("288 distinct states");
    // Columns: the property, in the current state, by the check.
    let cell =
        |name: &str, col: u8| browser.text(&format!("//tr[@data-property='{name}']/td[{col}]"));
    assert_eq!(cell("Termination", 3), "holds");
    assert_eq!(
        cell("Termination", 2),
        "",
        "a temporal property has no value in a state"
    );
    assert_eq!(
        (cell("TCConsistent", 2), cell("TCConsistent", 3)),
        ("holds".into(), "holds".into())
    );
    assert_eq!(cell("deadlock", 3), "holds");

    // Everything the page loaded came from the explorer itself.
    let foreign = browser.run(&format!(
        "return performance.getEntriesByType('resource').map(e => e.name).filter(n => !n.startsWith('http://127.0.0.1:{port}/'));"
    ));
    assert_eq!(foreign, serde_json::json!([]), "resources from elsewhere");

    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots/explorer.png");
    let shown = browser.screenshot(&shot);
    let (w, h) = png_size(&shot);
    assert!(w >= 800 && h >= 400, "screenshot of {w}×{h}");
    for needle in [
        "Model two_phase_commit, configuration rm3",
        "State 2: <RMPrepare(r1)>",
        "Every property holds.",
    ] {
        assert!(
            shown.contains(needle),
            "`{needle}` is not on the screenshot's page:\n{shown}"
        );
    }
    eprintln!("screenshot: {}", shot.display());
}

/// A violation found from the page can be followed step by step.
#[test]
fn a_counterexample_is_followed_in_the_page() {
    let Some(browser) = Browser::start(1400, 1000) else {
        return;
    };
    let (_child, port) = serve("bug_commit_early");
    browser.open(&format!("http://127.0.0.1:{port}/"));
    browser.wait_for_text("configuration bug_commit_early");
    browser.click("//button[@id='check']");
    browser.wait_for_text("Invariant TCConsistent is violated in state 6.");
    browser.click("//button[@id='follow']");
    let text = browser.wait_for_text("State 6: <");
    for needle in [
        "State 2: <RMPrepare(r1)>",
        "State 4: <TMCommit>",
        "tmPrepared: + r1",
        "tmState: \"init\" → \"committed\"",
        "rmState[r1]: \"prepared\" → \"committed\"",
        "VIOLATED",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` is not on the page:\n{text}"
        );
    }
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("screenshots/explorer_counterexample.png");
    let shown = browser.screenshot(&shot);
    assert!(shown.contains("State 6: <"), "{shown}");
}
