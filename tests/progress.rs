//! Progress reports and stopping a check early: through the library's `Cancel` flag, and with
//! Ctrl-C (SIGINT) on the command line, which prints the partial report marked incomplete and
//! exits with status 3.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::sync::{Arc, Mutex};

use example::two_phase_commit;
use lamport::{Cancel, CheckOptions, ModelExt, Outcome, Progress, ProgressHook};

fn rm5() -> two_phase_commit::Model {
    two_phase_commit::definition().config("rm5").unwrap()
}

#[test]
fn a_cancelled_check_reports_incomplete_with_the_levels_it_finished() {
    let cancel = Cancel::new();
    let seen: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let (c, s) = (cancel.clone(), Arc::clone(&seen));
    let opts = CheckOptions {
        threads: 1,
        cancel: Some(cancel),
        on_progress: Some(ProgressHook::new(move |p| {
            s.lock().unwrap().push(*p);
            if p.distinct_states > 1000 {
                c.cancel();
            }
        })),
        ..CheckOptions::default()
    };
    let report = rm5().check_with(&opts);
    assert_eq!(
        report.outcome,
        Outcome::Incomplete {
            reason: "stopped on request (Ctrl-C)".into()
        },
        "{}",
        report.to_text()
    );
    // rm5 has 8,832 distinct states; the check stopped in the level after the one that
    // passed 1,000.
    assert!(
        report.distinct_states > 1000 && report.distinct_states < 8832,
        "{}",
        report.to_text()
    );
    assert!(report.trace.is_none());
    let seen = seen.lock().unwrap();
    assert!(
        seen.len() > 10,
        "progress was reported {} times",
        seen.len()
    );
    assert!(
        seen.windows(2)
            .all(|w| w[0].generated_states <= w[1].generated_states && w[0].depth <= w[1].depth),
        "figures never go backwards"
    );
    assert!(seen.iter().all(|p| p.queue <= 8832));
}

#[test]
fn a_check_cancelled_before_it_starts_explores_nothing_past_the_initial_state() {
    let cancel = Cancel::new();
    cancel.cancel();
    let report = rm5().check_with(&CheckOptions {
        threads: 2,
        cancel: Some(cancel),
        ..CheckOptions::default()
    });
    assert_eq!(report.outcome.keyword(), "incomplete");
    assert_eq!(report.outcome.exit_code(), 3);
    assert_eq!(
        (report.distinct_states, report.generated_states),
        (1, 1),
        "{}",
        report.to_text()
    );
}

#[test]
fn an_uncancelled_check_with_a_hook_gets_the_full_counts() {
    let last: Arc<Mutex<Option<Progress>>> = Arc::default();
    let l = Arc::clone(&last);
    let report = rm5().check_with(&CheckOptions {
        threads: 2,
        cancel: Some(Cancel::new()),
        on_progress: Some(ProgressHook::new(move |p| *l.lock().unwrap() = Some(*p))),
        ..CheckOptions::default()
    });
    report.assert_ok().assert_counts(8832, 58146, 17);
    let last = last.lock().unwrap().expect("progress was reported");
    assert_eq!(
        (last.distinct_states, last.generated_states, last.queue),
        (8832, 58146, 0)
    );
}

/// The child process of the Ctrl-C tests: runs the command line given in `LAMPORT_CLI_ARGS`.
#[test]
#[ignore = "the child process of another test, run by it with --ignored"]
fn cli_child() {
    let Ok(args) = std::env::var("LAMPORT_CLI_ARGS") else {
        return;
    };
    let args = std::iter::once("two_phase_commit").chain(args.split(' '));
    let code = lamport::cli::run_from(two_phase_commit::definition(), args);
    // ExitCode has no accessor before Rust 1.86 (the crate's minimum is 1.85): find its number.
    let n = (0..=255u8)
        .find(|&k| std::process::ExitCode::from(k) == code)
        .unwrap_or(99);
    std::process::exit(i32::from(n));
}

/// Runs `args` in a child process, interrupts it with SIGINT once it has printed its first
/// progress line (so the check is under way and the handler installed), and returns its exit
/// status and output.
fn interrupt(args: &str) -> (Option<i32>, String, String) {
    use std::io::{BufRead, Read};
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "cli_child",
            "--nocapture",
            "--test-threads",
            "1",
        ])
        .env("LAMPORT_CLI_ARGS", args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if line.starts_with("lamport: ") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    rx.recv_timeout(std::time::Duration::from_secs(120))
        .expect("a progress line within two minutes");
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -INT");
    let code = child.wait().unwrap().code();
    (code, out_reader.join().unwrap(), err_reader.join().unwrap())
}

#[test]
fn ctrl_c_stops_check_with_a_partial_report_and_exit_status_3() {
    // rm8 has 1,745,408 distinct states: far more than a test build explores before the
    // first progress line, two seconds in.
    let (code, stdout, stderr) = interrupt("check --config rm8 --threads 1");
    assert_eq!(code, Some(3), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.contains(
            "Incomplete: stopped on request (Ctrl-C). The state space was NOT exhausted."
        ),
        "{stdout}"
    );
    assert!(stderr.contains("lamport: Ctrl-C: stopping"), "{stderr}");
    // stderr is a pipe here: progress comes as plain lines every two seconds.
    assert!(
        stderr.contains("distinct states") && stderr.contains("on queue, depth"),
        "{stderr}"
    );
}

#[test]
fn ctrl_c_stops_verify_with_a_summary_marked_incomplete() {
    let tmp = tempfile::Builder::new()
        .prefix("lamport-ctrlc-")
        .tempdir()
        .unwrap();
    let dir = tmp.path().join("out");
    let (code, stdout, stderr) = interrupt(&format!(
        "verify --config rm8 --threads 1 --runs 5 --out {}",
        dir.display()
    ));
    assert_eq!(code, Some(3), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let summary = std::fs::read_to_string(dir.join("verification_summary.md")).unwrap();
    assert!(
        summary.contains("**Result: incomplete: the search stopped early, nothing is proved.**"),
        "{summary}"
    );
    assert!(
        summary.contains("| check | incomplete: stopped on request (Ctrl-C)"),
        "{summary}"
    );
    assert!(
        summary.contains("| TCConsistent | not violated in the explored states (incomplete) |"),
        "{summary}"
    );
}
