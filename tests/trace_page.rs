//! `counterexample.html`, the page `verify` writes beside its summary: opened from disk in
//! headless Chromium, it shows the violated property and what it means, the message diagram
//! (SVG drawn by lamport: participants, message labels, the ending), every step with its action
//! and its changes, and a link to the ITF trace; it loads nothing from anywhere. A screenshot is
//! taken in the test and the page's text checked at that moment. The browser part is skipped,
//! with one line, where Chromium or chromedriver is not installed (not under CI).

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

mod browser;

use std::path::PathBuf;

use browser::{png_size, Browser};
use example::two_phase_commit;
use lamport::verify::{verify, VerifyOptions};
use lamport::{CheckOptions, SimulateOptions};

/// Runs `verify` on `config` into a folder of its own (tests run in parallel, two on one
/// configuration); the page's path, valid while the returned folder lives.
fn write_page(config: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix(&format!("trace_page_{config}_"))
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .unwrap();
    let out = tmp.path().join("out");
    let model = two_phase_commit::definition().config(config).unwrap();
    let v = verify(
        &model,
        &VerifyOptions {
            out: out.clone(),
            smoke: SimulateOptions {
                runs: 10,
                depth: 20,
                seed: 0,
            },
            check: CheckOptions::default(),
            // TLC (when TLA2TOOLS_JAR is set) agrees; the page is what this test reads.
            tla2tools: None,
        },
    )
    .unwrap();
    assert_eq!(v.exit_code, 1);
    (tmp, out.join("counterexample.html"))
}

#[test]
fn the_page_is_self_contained() {
    let (_tmp, page) = write_page("bug_commit_early");
    let html = std::fs::read_to_string(page).unwrap();
    // No script, stylesheet, image or font is fetched: every link is to a file beside it.
    for bad in ["<script", "src=", "@import", "url(http", "<link"] {
        assert!(!html.contains(bad), "the page has `{bad}`");
    }
    for href in html.split("href=\"").skip(1) {
        let target = href.split('"').next().unwrap();
        assert!(
            !target.contains(':') && !target.starts_with('/'),
            "a link out of the folder: {target}"
        );
    }
    assert!(html.contains("<svg"), "the diagram is inline SVG");
    assert!(html.contains("href=\"counterexample.itf.json\""));
}

#[test]
fn a_lasso_page_says_how_the_behaviour_repeats() {
    let (_tmp, page) = write_page("rm3_no_fairness");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(
        html.contains("Temporal property Termination is violated by this behaviour"),
        "{html}"
    );
    assert!(
        html.contains("Then state 1 repeats forever (the behaviour stutters)."),
        "{html}"
    );
}

#[test]
fn the_counterexample_page_in_headless_chromium() {
    let (_tmp, page) = write_page("bug_commit_early");
    let Some(browser) = Browser::start(1200, 1000) else {
        return;
    };
    browser.open(&format!("file://{}", page.display()));
    let text =
        browser.wait_for_text("Counterexample: two_phase_commit (configuration bug_commit_early)");
    for needle in [
        "Invariant TCConsistent is violated in state 6.",
        "TCConsistent: No resource manager has committed while another has aborted.",
        "6 states (shortest)",
        "counterexample.itf.json",
        "State 2 RMPrepare(r1)",
        "rm = r1",
        "Resource manager rm prepares.",
        "rmState[r1]: \"working\" → \"prepared\"",
        "msgs: + [type |-> \"prepared\", rm |-> r1]",
        "State 3 TMRcvPrepared(r1)",
        "tmPrepared: + r1",
        "State 6 RMRcvCommitMsg(r1)",
        "rmState[r1]: \"prepared\" → \"committed\"",
    ] {
        assert!(
            text.contains(needle),
            "`{needle}` is not on the page:\n{text}"
        );
    }
    // The diagram: the participants, the messages and the ending, as drawn text.
    let svg_text: Vec<String> = serde_json::from_value(browser.run(
        "return [...document.querySelectorAll('#diagram svg text')].map(t => t.textContent);",
    ))
    .unwrap();
    for needle in [
        "r1",
        "r2",
        "r3",
        "TM",
        "m1 prepared",
        "m2 commit → r1, r2, r3",
        "RMChooseToAbort(r2)",
        "Invariant TCConsistent is violated in state 6.",
    ] {
        assert!(
            svg_text.iter().any(|t| t == needle),
            "`{needle}` is not drawn: {svg_text:?}"
        );
    }
    let arrows = browser.run("return document.querySelectorAll('#diagram svg g.arrow').length;");
    assert_eq!(
        arrows, 2,
        "m1 to the TM, m2 to r1 (the receivers that received them)"
    );
    // Nothing was fetched: the page is one file.
    let loaded = browser.run("return performance.getEntriesByType('resource').length;");
    assert_eq!(loaded, 0);
    // The ITF link leads to the trace beside the page.
    let href =
        browser.run("return document.querySelector('a[href=\"counterexample.itf.json\"]').href;");
    let itf = href
        .as_str()
        .unwrap()
        .strip_prefix("file://")
        .unwrap()
        .to_string();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(itf).unwrap()).unwrap();
    assert_eq!(json["states"].as_array().unwrap().len(), 6);

    let shot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots/counterexample.png");
    let shown = browser.screenshot(&shot);
    let (w, h) = png_size(&shot);
    assert!(w >= 800 && h >= 1000, "screenshot of {w}×{h}");
    for needle in [
        "Invariant TCConsistent is violated in state 6.",
        "Messages",
        "Steps",
        "State 6 RMRcvCommitMsg(r1)",
    ] {
        assert!(
            shown.contains(needle),
            "`{needle}` is not on the screenshot's page:\n{shown}"
        );
    }
    eprintln!("screenshot: {}", shot.display());
}
