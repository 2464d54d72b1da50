//! Fault injection: the command line run as a careless or hostile user runs it. Each test
//! provokes one fault (issue 11) and asserts the exit status, the report, and that nothing an
//! earlier run wrote is lost or contradicted.
//!
//! The command lines run in child processes: this test binary itself, started with
//! `--ignored --exact cli_child` and the model and arguments in environment variables.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::path::Path;
use std::process::{Command, Stdio};

use example::two_phase_commit;
use lamport::{CheckOptions, Model, ModelExt, Outcome, Params, Sink};

/// A counter to 3 (where it stops) whose configuration picks the one function that fails (an overflow of `u8`,
/// or a map applied outside its domain, once `x` is 2), or none. Each failing line carries a
/// `fault:` comment the tests find it by.
#[lamport::model(check_deadlock = false)]
mod faulty {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub fault: i64,
    }

    #[configs]
    impl Config {
        pub fn none() -> Self {
            Config { fault: 0 }
        }
        pub fn in_init() -> Self {
            Config { fault: 1 }
        }
        pub fn in_action() -> Self {
            Config { fault: 2 }
        }
        pub fn in_invariant() -> Self {
            Config { fault: 3 }
        }
        pub fn in_constraint() -> Self {
            Config { fault: 4 }
        }
        pub fn in_step_property() -> Self {
            Config { fault: 5 }
        }
        pub fn in_temporal_property() -> Self {
            Config { fault: 6 }
        }
        pub fn in_helper() -> Self {
            Config { fault: 7 }
        }
        pub fn deep_recursion() -> Self {
            Config { fault: 8 }
        }
        pub fn in_reachable() -> Self {
            Config { fault: 9 }
        }
        pub fn missing_key() -> Self {
            Config { fault: 10 }
        }
    }

    #[state]
    pub struct State {
        pub x: u8,
        pub seen: Map<u8, bool>,
    }

    #[init]
    fn init(c: &Config) -> State {
        let start: u8 = if c.fault == 1 {
            255 + c.fault as u8 // fault: init
        } else {
            0
        };
        State {
            x: start,
            seen: Map::new(),
        }
    }

    #[action(fair)]
    fn incr(s: &mut State, c: &Config) {
        require!(s.x < 3);
        s.x = if c.fault == 2 && s.x == 2 {
            s.x + 254 // fault: action
        } else {
            s.x + 1
        };
    }

    #[invariant(name = "Small")]
    fn small(s: &State, c: &Config) -> bool {
        if c.fault == 3 {
            s.x + 254 > 0 // fault: invariant
        } else {
            s.x <= 3
        }
    }

    #[invariant(name = "Helped")]
    fn helped(s: &State, c: &Config) -> bool {
        c.fault != 7 || bump(s.x) > 0
    }

    #[invariant(name = "Deep")]
    fn deep(s: &State, c: &Config) -> bool {
        // Ten million levels: more than any build's stack holds (the million may fit
        // in an optimised build).
        c.fault != 8 || (depth(10_000_000) > 0 && s.x < 9)
    }

    #[invariant(name = "Known")]
    fn known(s: &State, c: &Config) -> bool {
        c.fault != 10 || s.x < 2 || s.seen[&s.x] // fault: missing key
    }

    #[constraint(name = "Bounded")]
    fn bounded(s: &State, c: &Config) -> bool {
        if c.fault == 4 {
            s.x + 254 > 0 // fault: constraint
        } else {
            s.x <= 3
        }
    }

    #[step_property(name = "Grows")]
    fn grows(s: &State, next: &State, c: &Config) -> bool {
        if c.fault == 5 {
            next.x + 254 > s.x // fault: step property
        } else {
            next.x > s.x
        }
    }

    #[eventually(name = "ReachesThree")]
    fn reaches_three(s: &State, c: &Config) -> bool {
        if c.fault == 6 {
            s.x + 254 > 0 // fault: temporal property
        } else {
            s.x == 3
        }
    }

    #[reachable(name = "Three")]
    fn three(s: &State, c: &Config) -> bool {
        if c.fault == 9 && s.x == 2 {
            s.x + 254 > 0 // fault: reachable
        } else {
            s.x == 3
        }
    }

    fn bump(x: u8) -> u8 {
        x + 254 // fault: helper
    }

    fn depth(n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            depth(n - 1) + 1
        }
    }
}

/// `init`'s `require!` rejects every combination: no initial state.
#[lamport::model]
mod no_init {
    use lamport::prelude::*;

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init(x in 0..3)]
    fn init(x: i64) -> State {
        require!(x > 5);
        State { x }
    }

    #[action]
    fn incr(s: &mut State) {
        require!(s.x < 9);
        s.x += 1;
    }
}

/// The state and constants structs under names of the user's choosing, used as helper
/// parameter types.
#[lamport::model(check_deadlock = false)]
mod own_names {
    use lamport::prelude::*;

    #[constants]
    pub struct Limits {
        pub top: i64,
    }

    #[configs]
    impl Limits {
        pub fn small() -> Self {
            Limits { top: 4 }
        }
    }

    #[state]
    pub struct Vars {
        pub x: i64,
    }

    #[init]
    fn init() -> Vars {
        Vars { x: 0 }
    }

    #[action]
    fn incr(s: &mut Vars, c: &Limits) {
        require!(below_top(s, c));
        s.x += 1;
    }

    #[invariant]
    fn bounded(s: &Vars, c: &Limits) -> bool {
        s.x <= c.top
    }

    fn below_top(s: &Vars, c: &Limits) -> bool {
        s.x < c.top
    }
}

/// 66 reachability conditions; only the 65th (`R64`) is never met.
#[rustfmt::skip]
#[lamport::model(check_deadlock = false)]
mod many_reachables {
    use lamport::prelude::*;

    #[state]
    pub struct State { pub x: i64 }

    #[init]
    fn init() -> State { State { x: 0 } }

    #[action]
    fn incr(s: &mut State) { require!(s.x < 2); s.x += 1; }

    #[reachable] fn r00(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r01(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r02(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r03(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r04(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r05(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r06(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r07(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r08(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r09(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r10(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r11(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r12(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r13(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r14(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r15(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r16(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r17(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r18(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r19(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r20(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r21(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r22(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r23(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r24(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r25(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r26(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r27(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r28(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r29(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r30(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r31(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r32(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r33(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r34(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r35(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r36(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r37(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r38(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r39(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r40(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r41(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r42(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r43(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r44(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r45(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r46(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r47(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r48(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r49(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r50(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r51(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r52(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r53(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r54(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r55(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r56(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r57(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r58(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r59(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r60(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r61(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r62(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r63(s: &State) -> bool { s.x >= 0 }
    #[reachable] fn r64(s: &State) -> bool { s.x > 2 }
    #[reachable] fn r65(s: &State) -> bool { s.x == 2 }
}

// ---------------------------------------------------------------------------------------------
// Running the command line in a child process.

/// The child process: runs the command line given in `LAMPORT_CLI_ARGS` (one argument a line)
/// against the model named in `LAMPORT_CLI_MODEL`.
#[test]
#[ignore = "the child process of the other tests, run by them with --ignored"]
fn cli_child() {
    let (Ok(model), Ok(args)) = (
        std::env::var("LAMPORT_CLI_MODEL"),
        std::env::var("LAMPORT_CLI_ARGS"),
    ) else {
        return;
    };
    if std::env::var_os("LAMPORT_CLI_STDOUT").is_some() {
        // Standard output becomes a pipe whose reading end is already closed.
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for two descriptors; fd 1 is replaced by the writing end.
        unsafe {
            assert_eq!(libc::pipe(fds.as_mut_ptr()), 0);
            libc::close(fds[0]);
            assert_eq!(libc::dup2(fds[1], 1), 1);
        }
    }
    let args = std::iter::once(model.clone()).chain(args.lines().map(str::to_string));
    let code = match model.as_str() {
        "two_phase_commit" => lamport::cli::run_from(two_phase_commit::definition(), args),
        "faulty" => lamport::cli::run_from(faulty::definition(), args),
        "no_init" => lamport::cli::run_from(no_init::definition(), args),
        other => panic!("no model {other}"),
    };
    // ExitCode has no accessor before Rust 1.86 (the crate's minimum is 1.85): find its number.
    let n = (0..=255u8)
        .find(|&k| std::process::ExitCode::from(k) == code)
        .unwrap_or(99);
    std::process::exit(i32::from(n));
}

struct Run {
    code: Option<i32>,
    /// The signal that ended the process, if one did.
    signal: Option<i32>,
    stdout: String,
    stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {:?} (signal {:?})\n--- stdout:\n{}\n--- stderr:\n{}",
            self.code, self.signal, self.stdout, self.stderr
        )
    }
}

/// The command that runs `args` against `model` in a child process; with `wrap`, through
/// `bash -c '<wrap>; exec "$0" "$@"'` (e.g. `ulimit -f 4`).
fn command(model: &str, args: &[&str], wrap: Option<&str>) -> Command {
    let exe = std::env::current_exe().unwrap();
    let child_args = [
        "--ignored",
        "--exact",
        "cli_child",
        "--nocapture",
        "--test-threads",
        "1",
    ];
    let mut cmd = match wrap {
        None => Command::new(&exe),
        Some(w) => {
            let mut c = Command::new("bash");
            c.arg("-c")
                .arg(format!("{w}; exec \"$0\" \"$@\""))
                .arg(&exe);
            c
        }
    };
    cmd.args(child_args)
        .env("LAMPORT_CLI_MODEL", model)
        .env("LAMPORT_CLI_ARGS", args.join("\n"))
        // Progress lines on stderr with --json too: the signal tests wait for the first.
        .env("LAMPORT_PROGRESS", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// What the child printed, without the test harness's own lines before it.
fn child_stdout(raw: &[u8]) -> String {
    let text = String::from_utf8_lossy(raw);
    const HARNESS: &str = "test cli_child ... ";
    match text.find(HARNESS) {
        Some(at) => text[at + HARNESS.len()..].to_string(),
        None => text.into_owned(),
    }
}

fn finish(out: std::process::Output) -> Run {
    use std::os::unix::process::ExitStatusExt;
    Run {
        code: out.status.code(),
        signal: out.status.signal(),
        stdout: child_stdout(&out.stdout),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn run(model: &str, args: &[&str]) -> Run {
    finish(command(model, args, None).output().unwrap())
}

fn run_wrapped(model: &str, args: &[&str], wrap: &str) -> Run {
    finish(command(model, args, Some(wrap)).output().unwrap())
}

/// Runs `args`, sends `signal` once the check is under way (its first progress line on
/// stderr), and returns how the process ended.
fn run_and_signal(model: &str, args: &[&str], signal: &str) -> Run {
    run_and_signals(model, args, None, &[signal])
}

/// Runs `args` (through `wrap`, see [`command`]) and sends `signals` one after the other, half
/// a second apart, once the check is under way.
fn run_and_signals(model: &str, args: &[&str], wrap: Option<&str>, signals: &[&str]) -> Run {
    use std::io::{BufRead, Read};
    let mut child = command(model, args, wrap).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let out_reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        child_stdout(&s)
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
    for (k, signal) in signals.iter().enumerate() {
        if k > 0 {
            std::thread::sleep(std::time::Duration::from_millis(500));
            assert!(
                child.try_wait().unwrap().is_none(),
                "ended by SIG{}",
                signals[k - 1]
            );
        }
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal}");
    }
    let status = child.wait().unwrap();
    use std::os::unix::process::ExitStatusExt;
    Run {
        code: status.code(),
        signal: status.signal(),
        stdout: out_reader.join().unwrap(),
        stderr: err_reader.join().unwrap(),
    }
}

/// A fresh, empty folder for one test, removed when dropped.
struct TempDir(tempfile::TempDir);

impl TempDir {
    fn new(name: &str) -> TempDir {
        TempDir(
            tempfile::Builder::new()
                .prefix(&format!("lamport-faults-{name}-"))
                .tempdir()
                .unwrap(),
        )
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn arg(&self) -> &str {
        self.0.path().to_str().unwrap()
    }
}

/// Every file of `dir` (not its subfolders) and its content.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

fn names(files: &[(String, Vec<u8>)]) -> Vec<&str> {
    files.iter().map(|(n, _)| n.as_str()).collect()
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_default()
}

const SUMMARY: &str = "verification_summary.md";
const CFG: &str = "TwoPhaseCommit.cfg";
const ITF: &str = "counterexample.itf.json";

// ---------------------------------------------------------------------------------------------
// verify's output folder

#[test]
fn verify_never_leaves_an_earlier_counterexample_beside_a_summary_that_says_all_holds() {
    let d = TempDir::new("stale");
    let r = run(
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "bug_commit_early",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
    );
    assert_eq!(r.code, Some(1), "{r}");
    assert!(d.path().join(ITF).exists(), "{r}");
    let r = run(
        "two_phase_commit",
        &["verify", "--config", "rm3", "--runs", "5", "--out", d.arg()],
    );
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        read(d.path(), SUMMARY).contains("**Result: every property holds.**"),
        "{r}"
    );
    assert!(
        !d.path().join(ITF).exists(),
        "a counterexample of the earlier run is left beside a summary saying every property holds"
    );
    assert_eq!(
        names(&snapshot(d.path())),
        [
            ".lamport-files",
            "TwoPhaseCommit.cfg",
            "TwoPhaseCommit.tla",
            SUMMARY
        ]
    );
    assert!(read(d.path(), CFG).contains("Configuration `rm3`"));
}

#[test]
fn a_verify_killed_midway_leaves_the_earlier_run_whole() {
    let d = TempDir::new("killed");
    let r = run(
        "two_phase_commit",
        &["verify", "--config", "rm3", "--runs", "5", "--out", d.arg()],
    );
    assert_eq!(r.code, Some(0), "{r}");
    let before = snapshot(d.path());
    // rm8 runs far longer than the first progress line, two seconds in.
    let r = run_and_signal(
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "rm8",
            "--threads",
            "1",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
        "KILL",
    );
    assert_eq!(r.signal, Some(9), "{r}");
    // The new configuration was written (to the staging folder only): the folder's files are
    // the earlier run's, every one of them.
    assert_eq!(snapshot(d.path()), before);
    // The next run clears the staging folder the killed one left.
    let r = run(
        "two_phase_commit",
        &["verify", "--config", "rm3", "--runs", "5", "--out", d.arg()],
    );
    assert_eq!(r.code, Some(0), "{r}");
    let left: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_verify_stopped_by_sigterm_leaves_a_summary_marked_incomplete_and_no_earlier_files() {
    let d = TempDir::new("sigterm-verify");
    let r = run(
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "bug_commit_early",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
    );
    assert_eq!(r.code, Some(1), "{r}");
    let r = run_and_signal(
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "rm8",
            "--threads",
            "1",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
        "TERM",
    );
    assert_eq!(r.code, Some(3), "{r}");
    let summary = read(d.path(), SUMMARY);
    assert!(
        summary.contains("**Result: incomplete: the search stopped early, nothing is proved.**"),
        "{summary}"
    );
    assert!(
        summary.contains("| check | incomplete: stopped on request (SIGTERM)"),
        "{summary}"
    );
    assert!(!d.path().join(ITF).exists());
    assert!(
        read(d.path(), CFG).contains("Configuration `rm8`"),
        "the new run's configuration"
    );
}

#[test]
fn a_full_disk_for_verify_is_one_line_and_loses_nothing_earlier() {
    let d = TempDir::new("full-disk");
    let r = run(
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "bug_commit_early",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
    );
    assert_eq!(r.code, Some(1), "{r}");
    let before = snapshot(d.path());
    // Files of at most 4 KiB: the module fits, the summary does not.
    let r = run_wrapped(
        "two_phase_commit",
        &["verify", "--config", "rm3", "--runs", "5", "--out", d.arg()],
        "ulimit -f 4",
    );
    assert_eq!(r.code, Some(2), "{r}");
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("error:"))
        .unwrap_or("");
    assert!(
        line.contains("cannot write") && line.contains("File too large"),
        "{r}"
    );
    assert_eq!(
        snapshot(d.path()),
        before,
        "the earlier run's files are intact"
    );
    assert!(
        !std::fs::read_dir(d.path())
            .unwrap()
            .flatten()
            .any(|e| e.path().is_dir()),
        "no staging folder is left"
    );
}

#[test]
fn a_full_disk_for_export_is_one_line_and_keeps_the_earlier_pair() {
    let d = TempDir::new("full-disk-export");
    let r = run(
        "two_phase_commit",
        &["export", "--config", "rm3", "--out", d.arg()],
    );
    assert_eq!(r.code, Some(0), "{r}");
    let before = snapshot(d.path());
    // The module (about 4 KiB) fits in 8 KiB, its configuration too; a limit of 2 KiB lets
    // neither through.
    let r = run_wrapped(
        "two_phase_commit",
        &["export", "--config", "rm5", "--out", d.arg()],
        "ulimit -f 2",
    );
    assert_eq!(r.code, Some(2), "{r}");
    assert_eq!(r.stderr.lines().count(), 1, "{r}");
    assert!(
        r.stderr.contains("cannot write") && r.stderr.contains("File too large"),
        "{r}"
    );
    assert_eq!(
        snapshot(d.path()),
        before,
        "the earlier module and configuration"
    );
}

#[test]
fn a_report_that_cannot_be_written_is_not_a_silent_success() {
    let d = TempDir::new("full-stdout");
    let file = d.path().join("report.json");
    // One KiB: room for the test harness's first line, not for a report with a counterexample.
    let wrap = format!("ulimit -f 1; exec > {}", file.display());
    let r = run_wrapped(
        "two_phase_commit",
        &["check", "--config", "bug_commit_early", "--json"],
        &wrap,
    );
    assert_eq!(r.code, Some(2), "{r}");
    assert!(
        r.stderr
            .contains("error: cannot write the report to standard output: File too large"),
        "{r}"
    );
    // And a pipe nobody reads any more (`| head -c 10` that has exited): the same.
    let r = finish(
        command("two_phase_commit", &["check", "--config", "rm3"], None)
            .env("LAMPORT_CLI_STDOUT", "closed pipe")
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, Some(2), "{r}");
    assert!(
        r.stderr
            .contains("error: cannot write the report to standard output: Broken pipe"),
        "{r}"
    );
}

/// Runs `args` with `dir` read-only: by its permissions, or (for root, whom permissions do
/// not stop) through a read-only bind mount in a mount namespace of its own. `None` where
/// neither is possible.
fn run_read_only(dir: &Path, model: &str, args: &[&str]) -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let probe = dir.join(".probe");
    let privileged = std::fs::write(&probe, "").is_ok();
    let _ = std::fs::remove_file(&probe);
    let r = if !privileged {
        run(model, args)
    } else {
        let d = dir.display();
        let mount = format!(
            "unshare -m bash -c 'mount --bind {d} {d} && mount -o remount,ro,bind {d} && exec \"$0\" \"$@\"'"
        );
        let ok = Command::new("unshare")
            .args(["-m", "true"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            return None;
        }
        // `exec unshare ... bash -c ...` with the child's command line after it.
        let exe = std::env::current_exe().unwrap();
        let out = Command::new("bash")
            .arg("-c")
            .arg(format!("{mount} \"$0\" \"$@\""))
            .arg(&exe)
            .args([
                "--ignored",
                "--exact",
                "cli_child",
                "--nocapture",
                "--test-threads",
                "1",
            ])
            .env("LAMPORT_CLI_MODEL", model)
            .env("LAMPORT_CLI_ARGS", args.join("\n"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        finish(out)
    };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    Some(r)
}

#[test]
fn a_read_only_output_folder_is_one_line_and_loses_nothing_earlier() {
    let d = TempDir::new("read-only");
    let r = run(
        "two_phase_commit",
        &["verify", "--config", "rm3", "--runs", "5", "--out", d.arg()],
    );
    assert_eq!(r.code, Some(0), "{r}");
    let before = snapshot(d.path());
    let Some(r) = run_read_only(
        d.path(),
        "two_phase_commit",
        &[
            "verify",
            "--config",
            "bug_commit_early",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
    ) else {
        println!("skipped: no way to make a folder read-only here (root without mount namespaces)");
        return;
    };
    assert_eq!(r.code, Some(2), "{r}");
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{r}");
    assert!(errors[0].contains("cannot write into"), "{r}");
    assert_eq!(snapshot(d.path()), before);
    let Some(r) = run_read_only(
        d.path(),
        "two_phase_commit",
        &["export", "--config", "rm5", "--out", d.arg()],
    ) else {
        return;
    };
    assert_eq!(r.code, Some(2), "{r}");
    assert!(r.stderr.starts_with("error: cannot write"), "{r}");
    assert_eq!(snapshot(d.path()), before);
}

// ---------------------------------------------------------------------------------------------
// Signals

#[test]
fn sigterm_stops_check_with_the_partial_report() {
    let r = run_and_signal(
        "two_phase_commit",
        &["check", "--config", "rm8", "--threads", "1"],
        "TERM",
    );
    assert_eq!(r.code, Some(3), "{r}");
    assert!(
        r.stdout.contains(
            "Incomplete: stopped on request (SIGTERM). The state space was NOT exhausted."
        ),
        "{r}"
    );
    assert!(r.stdout.contains("distinct states found."), "{r}");
    assert!(r.stderr.contains("lamport: SIGTERM: stopping"), "{r}");
}

#[test]
fn sighup_and_sigint_stop_check_with_the_partial_report_in_json() {
    for (signal, name) in [("HUP", "SIGHUP"), ("INT", "Ctrl-C")] {
        let r = run_and_signal(
            "two_phase_commit",
            &["check", "--config", "rm8", "--threads", "1", "--json"],
            signal,
        );
        assert_eq!(r.code, Some(3), "{r}");
        let json: serde_json::Value = serde_json::from_str(&r.stdout).expect("one JSON object");
        assert_eq!(json["outcome"], "incomplete", "{r}");
        assert_eq!(
            json["reason"],
            format!("stopped on request ({name})"),
            "{r}"
        );
        assert!(json["distinct_states"].as_u64() > Some(0), "{r}");
    }
}

#[test]
fn a_signal_the_process_was_started_ignoring_stays_ignored() {
    // As under `nohup`: SIGHUP is ignored, SIGTERM still stops the check.
    let r = run_and_signals(
        "two_phase_commit",
        &["check", "--config", "rm8", "--threads", "1"],
        Some("trap '' HUP"),
        &["HUP", "TERM"],
    );
    assert_eq!(r.code, Some(3), "{r}");
    assert!(r.stdout.contains("stopped on request (SIGTERM)"), "{r}");
    assert!(!r.stderr.contains("SIGHUP"), "{r}");
}

// ---------------------------------------------------------------------------------------------
// Model errors: located at the model's own line, with the function named

/// `tests/faults.rs:LINE:` of the line marked `// fault: <what>` above.
fn located(what: &str) -> String {
    let source = include_str!("faults.rs");
    let marker = format!("// fault: {what}");
    let line = source
        .lines()
        .position(|l| l.trim_end().ends_with(&marker))
        .unwrap_or_else(|| panic!("no line marked {marker}"))
        + 1;
    format!("(at tests/faults.rs:{line}:")
}

/// Checks the `faulty` configuration `config` on the command line: a model error (exit 1) in
/// `role`, located at the line marked `marker`, after a trace of `states` states.
fn assert_model_error(config: &str, role: &str, marker: &str, states: usize) -> Run {
    let r = run("faulty", &["check", "--config", config]);
    assert_eq!(r.code, Some(1), "{r}");
    let first = r.stdout.lines().nth(1).unwrap_or("");
    assert!(
        first.starts_with(&format!("Error: model code panicked in {role}: ")),
        "{r}"
    );
    assert!(first.contains(&located(marker)), "{r}");
    assert!(
        !r.stdout.contains("No error has been found"),
        "nothing contradicts the error: {r}"
    );
    if states > 0 {
        assert!(r.stdout.contains(&format!("State {states}:")), "{r}");
        assert!(!r.stdout.contains(&format!("State {}:", states + 1)), "{r}");
        assert!(
            r.stdout
                .contains(&format!("Model error after state {states}:")),
            "{r}"
        );
    }
    r
}

#[test]
fn a_panic_in_init_is_located_and_named() {
    let r = assert_model_error("in_init", "init", "init", 0);
    assert!(r.stdout.contains("integer overflow: 255 + 1"), "{r}");
}

#[test]
fn a_panic_in_an_action_is_located_and_named_with_its_trace() {
    let r = assert_model_error("in_action", "action Incr", "action", 3);
    assert!(
        r.stdout.contains("while evaluating <Incr> in state 3"),
        "{r}"
    );
    assert!(r.stdout.contains("integer overflow: 2 + 254"), "{r}");
}

#[test]
fn a_panic_in_an_invariant_is_located_and_named_with_its_trace() {
    assert_model_error("in_invariant", "invariant Small", "invariant", 3);
}

#[test]
fn a_panic_in_a_constraint_is_located_and_named_with_its_trace() {
    assert_model_error("in_constraint", "state constraint Bounded", "constraint", 3);
}

#[test]
fn a_panic_in_a_step_property_is_located_and_named_with_the_step() {
    assert_model_error(
        "in_step_property",
        "step property Grows",
        "step property",
        3,
    );
}

#[test]
fn a_panic_in_a_temporal_property_is_located_and_named_with_its_trace() {
    let r = assert_model_error(
        "in_temporal_property",
        "temporal property ReachesThree",
        "temporal property",
        3,
    );
    assert!(
        r.stdout.contains(
            "Temporal property ReachesThree: not checked: the search stopped at an error"
        ),
        "{r}"
    );
}

#[test]
fn a_panic_in_a_reachability_condition_is_reported_not_ignored() {
    assert_model_error(
        "in_reachable",
        "reachability condition Three",
        "reachable",
        3,
    );
}

#[test]
fn a_panic_in_a_helper_names_the_helper_and_the_invariant_that_called_it() {
    let r = assert_model_error("in_helper", "invariant Helped", "helper", 3);
    assert!(r.stdout.contains(", in helper `bump`)"), "{r}");
}

#[test]
fn a_map_applied_outside_its_domain_is_located_at_the_model_line() {
    let r = assert_model_error("missing_key", "invariant Known", "missing key", 3);
    assert!(
        r.stdout.contains("function applied outside its domain"),
        "{r}"
    );
}

#[test]
fn a_recursion_a_million_levels_deep_is_a_model_error_not_a_crash() {
    let r = run("faulty", &["check", "--config", "deep_recursion"]);
    assert_eq!(r.code, Some(1), "{r}");
    assert!(
        r.stdout
            .contains("Error: model code panicked in invariant Deep: recursion too deep: `depth`"),
        "{r}"
    );
    assert!(r.stdout.contains("in helper `depth`)"), "{r}");
    // The invariant fails in the initial state: a trace of one state.
    assert!(r.stdout.contains("Model error after state 1:"), "{r}");
    // The same in a simulation.
    let r = run(
        "faulty",
        &["simulate", "--config", "deep_recursion", "--runs", "2"],
    );
    assert_eq!(r.code, Some(1), "{r}");
    assert!(r.stdout.contains("recursion too deep"), "{r}");
}

#[test]
fn simulation_names_the_function_that_panicked_too() {
    for (config, role) in [
        ("in_action", "action Incr"),
        ("in_invariant", "invariant Small"),
        ("in_step_property", "step property Grows"),
        ("in_init", "init"),
    ] {
        let r = run("faulty", &["simulate", "--config", config, "--runs", "3"]);
        assert_eq!(r.code, Some(1), "{config}: {r}");
        assert!(
            r.stdout
                .contains(&format!("Error: model code panicked in {role}: ")),
            "{config}: {r}"
        );
    }
}

#[test]
fn the_unfaulty_model_passes() {
    let r = run("faulty", &["check", "--config", "none"]);
    assert_eq!(r.code, Some(0), "{r}");
    assert!(
        r.stdout.contains("Temporal property ReachesThree: holds"),
        "{r}"
    );
}

// ---------------------------------------------------------------------------------------------
// Models that prove nothing, and bad arguments

#[test]
fn no_initial_state_is_an_error_not_a_pass() {
    let r = run("no_init", &["check"]);
    assert_eq!(r.code, Some(1), "{r}");
    assert!(r.stdout.contains("Error: No initial state"), "{r}");
    assert!(!r.stdout.contains("No error"), "{r}");
    let r = run("no_init", &["check", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["outcome"], "no_initial_state");
    let r = run("no_init", &["simulate"]);
    assert_eq!(r.code, Some(1), "{r}");
    assert!(r.stdout.contains("Error: No initial state"), "{r}");
}

#[test]
fn simulate_with_zero_runs_or_depth_is_a_usage_error() {
    for arg in ["--runs", "--depth"] {
        let r = run("two_phase_commit", &["simulate", arg, "0"]);
        assert_eq!(r.code, Some(2), "{r}");
        assert_eq!(r.stderr.lines().count(), 1, "{r}");
        assert!(r.stderr.contains(arg), "{r}");
        assert!(r.stdout.is_empty(), "{r}");
    }
}

#[test]
fn export_and_verify_without_out_name_the_missing_argument() {
    for command in ["export", "verify"] {
        let r = run("two_phase_commit", &[command]);
        assert_eq!(r.code, Some(2), "{r}");
        assert_eq!(r.stderr.lines().count(), 1, "{r}");
        assert!(r.stderr.contains("--out <DIR>"), "{r}");
    }
}

#[test]
fn max_memory_takes_a_size_or_says_what_it_wants() {
    let r = run("two_phase_commit", &["check", "--max-memory", "lots"]);
    assert_eq!(r.code, Some(2), "{r}");
    assert!(r.stderr.contains("100MB"), "{r}");
    let r = run(
        "two_phase_commit",
        &["check", "--config", "rm5", "--max-memory", "1MB", "--json"],
    );
    assert_eq!(r.code, Some(3), "{r}");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        json["reason"]
            .as_str()
            .is_some_and(|s| s.starts_with("memory bound 1.0 MB reached")),
        "{r}"
    );
}

#[test]
fn the_text_report_gives_peak_memory_and_bytes_per_state() {
    let r = run("two_phase_commit", &["check", "--config", "rm5"]);
    assert_eq!(r.code, Some(0), "{r}");
    let line = r
        .stdout
        .lines()
        .find(|l| l.starts_with("Peak memory "))
        .unwrap_or_else(|| panic!("{r}"));
    assert!(line.ends_with(" bytes per distinct state)."), "{line}");
}

// ---------------------------------------------------------------------------------------------
// Bounds: a consistent prefix of the search

/// TLC's counting, sequentially: stops at the first state that would be distinct beyond
/// `max`, and returns (distinct, generated, depth) at that point.
fn sequential_prefix<M: Model>(model: &M, max: u64) -> (u64, u64, u64) {
    struct All<S>(Vec<S>);
    impl<S> Sink<S> for All<S> {
        fn step(&mut self, _: usize, _: Params<'_>, next: S) {
            self.0.push(next);
        }
    }
    let mut seen = std::collections::HashSet::new();
    let mut generated = 0;
    let mut depth = 0;
    let mut level = Vec::new();
    let mut inits = Vec::new();
    model.init_states(&mut |s| inits.push(s));
    for s in inits {
        if !seen.contains(&s) {
            if seen.len() as u64 == max {
                return (max, generated, depth);
            }
            seen.insert(s.clone());
            level.push(s);
            depth = 1;
        }
        generated += 1;
    }
    // `level` holds the states at depth `d`.
    let mut d = 1;
    while !level.is_empty() {
        let mut next = Vec::new();
        for s in &level {
            let mut all = All(Vec::new());
            model.successors(s, &mut all);
            for t in all.0 {
                if !seen.contains(&t) {
                    if seen.len() as u64 == max {
                        return (max, generated, depth);
                    }
                    seen.insert(t.clone());
                    next.push(t);
                    depth = d + 1;
                }
                generated += 1;
            }
        }
        level = next;
        d += 1;
    }
    (seen.len() as u64, generated, depth)
}

#[test]
fn max_states_reports_the_figures_of_one_prefix_of_the_search_for_any_thread_count() {
    let model = two_phase_commit::definition().config("rm5").unwrap();
    // Inside a level, at a level's first state, and one short of the whole space (8,832).
    for max in [1, 2, 100, 1_000, 5_000, 8_831] {
        let expected = sequential_prefix(&model, max);
        for threads in [1, 2, 3] {
            let r = model.check_with(&CheckOptions {
                threads,
                max_states: Some(max),
                ..CheckOptions::default()
            });
            assert_eq!(
                r.outcome,
                Outcome::Incomplete {
                    reason: format!("state bound {max} reached")
                },
                "{}",
                r.to_text()
            );
            assert_eq!(
                (r.distinct_states, r.generated_states, r.depth),
                expected,
                "max {max}, {threads} threads"
            );
        }
    }
    // A bound the whole space fits in is no bound at all.
    let r = model.check_with(&CheckOptions {
        threads: 2,
        max_states: Some(8_832),
        ..CheckOptions::default()
    });
    r.assert_ok().assert_counts(8_832, 58_146, 17);
}

#[test]
fn the_cli_max_states_figures_are_the_prefix_figures() {
    let model = two_phase_commit::definition().config("rm5").unwrap();
    let (distinct, generated, depth) = sequential_prefix(&model, 4_000);
    let r = run(
        "two_phase_commit",
        &["check", "--config", "rm5", "--max-states", "4000", "--json"],
    );
    assert_eq!(r.code, Some(3), "{r}");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["distinct_states"], distinct);
    assert_eq!(json["generated_states"], generated);
    assert_eq!(json["depth"], depth);
}

// ---------------------------------------------------------------------------------------------
// The modelling language

#[test]
fn more_than_64_reachability_conditions_are_all_decided() {
    let r = many_reachables::model(many_reachables::Config {}).check();
    assert_eq!(
        r.outcome,
        Outcome::Unreachable {
            property: "R64".into()
        },
        "{}",
        r.to_text()
    );
    assert_eq!(r.outcome.exit_code(), 1);
}

#[test]
fn helpers_take_the_state_and_constants_under_the_names_the_model_gives_them() {
    own_names::model(own_names::Limits::small())
        .check()
        .assert_ok()
        .assert_counts(5, 5, 5);
    let export = lamport::export(&own_names::model(own_names::Limits::small())).unwrap();
    assert!(export.tla.contains("BelowTop"), "{}", export.tla);
}

#[test]
fn verify_summarises_a_model_error_and_a_model_without_states_as_such() {
    let d = TempDir::new("verify-model-error");
    let r = run(
        "faulty",
        &[
            "verify",
            "--config",
            "in_invariant",
            "--runs",
            "5",
            "--out",
            d.arg(),
        ],
    );
    assert_eq!(r.code, Some(1), "{r}");
    let summary = read(d.path(), SUMMARY);
    assert!(
        summary.contains("**Result: model code panicked (trace below).**"),
        "{summary}"
    );
    assert!(
        summary.contains("| check | model error in invariant Small: integer overflow"),
        "{summary}"
    );
    assert!(!summary.contains("| Small | holds"), "{summary}");
    let d = TempDir::new("verify-no-init");
    let r = run("no_init", &["verify", "--runs", "5", "--out", d.arg()]);
    assert_eq!(r.code, Some(1), "{r}");
    let summary = read(d.path(), SUMMARY);
    assert!(
        summary.contains("**Result: the model has no initial state: nothing was checked.**"),
        "{summary}"
    );
}

#[test]
fn max_memory_stops_with_a_partial_report_near_the_bound() {
    // rm7 takes about 160 MB in all; 40 MB stops it a third of the way (docs/checker.md gives
    // rm8 at 100 MB in a release build).
    let r = run(
        "two_phase_commit",
        &["check", "--config", "rm7", "--max-memory", "40MB", "--json"],
    );
    assert_eq!(r.code, Some(3), "{r}");
    let json: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        json["reason"]
            .as_str()
            .is_some_and(|s| s.starts_with("memory bound 40.0 MB reached (resident ")),
        "{r}"
    );
    let distinct = json["distinct_states"].as_u64().unwrap();
    assert!(distinct > 1_000 && distinct < 296_448, "{r}");
    let peak = json["peak_memory_bytes"].as_u64().unwrap();
    assert!(
        (36_000_000..=44_000_000).contains(&peak),
        "peak {peak} is not within 10% of the bound\n{r}"
    );
}
