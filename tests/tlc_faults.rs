//! `tlc` tells a disagreement from a failure to run: each way of failing, run as a user would
//! (the command line in a child process), with its message and exit status. 2: TLC could not be
//! run or reached no verdict (no jar, not a TLC jar, no Java, TLC crashed); 4: lamport's bug (the
//! export is rejected by SANY or TLC); 3: interrupted (Ctrl-C, SIGTERM), with TLC's process
//! stopped and no temporary file left.
//!
//! Most cases stand TLC in with a fake `java` (a shell script first on PATH) and a fake jar (a
//! file that passes the jar check), so they run without TLC; one Ctrl-C case runs the real TLC.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use example::two_phase_commit;

/// The child process: runs the command line given in `LAMPORT_CLI_ARGS` (`|`-separated).
#[test]
#[ignore = "the child process of the other tests, run by them with --ignored"]
fn cli_child() {
    let Ok(args) = std::env::var("LAMPORT_CLI_ARGS") else {
        return;
    };
    let args = std::iter::once("two_phase_commit").chain(args.split('|'));
    let code = lamport::cli::run_from(two_phase_commit::definition(), args);
    // ExitCode has no accessor before Rust 1.86 (the crate's minimum is 1.85): find its number.
    let n = (0..=255u8)
        .find(|&k| std::process::ExitCode::from(k) == code)
        .unwrap_or(99);
    std::process::exit(i32::from(n));
}

/// A scratch folder: the fake tools, and the child's TMPDIR (which must be empty at the end).
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = tempfile::Builder::new()
            .prefix("lamport-tlc-faults-")
            .tempdir()
            .unwrap();
        for sub in ["bin", "tmp", "empty"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// The child's temporary directory.
    fn tmp(&self) -> PathBuf {
        self.path("tmp")
    }

    /// A file that passes the jar check (a zip header, and TLC's class named in it); only a
    /// fake `java` can run it.
    fn fake_jar(&self) -> PathBuf {
        let jar = self.path("fake-tla2tools.jar");
        let mut bytes = b"PK\x03\x04".to_vec();
        bytes.extend([0u8; 26]);
        bytes.extend(b"tlc2/TLC.class");
        std::fs::write(&jar, bytes).unwrap();
        jar
    }

    /// A `java` on PATH that runs `script` (sh).
    fn fake_java(&self, script: &str) {
        use std::os::unix::fs::PermissionsExt;
        let java = self.path("bin/java");
        std::fs::write(&java, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&java, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// PATH with the fake tools first.
    fn path_with_fakes(&self) -> std::ffi::OsString {
        let mut paths = vec![self.path("bin")];
        paths.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        std::env::join_paths(paths).unwrap()
    }

    fn assert_tmp_empty(&self) {
        let left: Vec<_> = std::fs::read_dir(self.tmp())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "temporary files left behind: {left:?}");
    }
}

fn cli(args: &[&str], path: &std::ffi::OsStr, scratch: &Scratch) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--ignored",
        "--exact",
        "cli_child",
        "--nocapture",
        "--test-threads",
        "1",
    ])
    .env("LAMPORT_CLI_ARGS", args.join("|"))
    .env("PATH", path)
    .env("TMPDIR", scratch.tmp())
    .env_remove("TLA2TOOLS_JAR");
    cmd
}

/// Runs `tlc ARGS` to its end: (exit status, stdout, stderr).
fn run(args: &[&str], path: &std::ffi::OsStr, scratch: &Scratch) -> (Option<i32>, String, String) {
    let out = cli(args, path, scratch).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `error: …` lines of the CLI's stderr (libtest adds none under --nocapture, but a
/// backtrace or a panic would show up here).
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.starts_with("error")).collect()
}

#[test]
fn a_file_that_is_not_a_jar_is_a_setup_error() {
    let s = Scratch::new();
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", "/etc/passwd"],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        [
            "error: /etc/passwd (from --tla2tools) is not a jar (not a zip archive): set \
          TLA2TOOLS_JAR or pass --tla2tools <path to tla2tools.jar>; TLC also needs Java 17 or \
          newer on PATH"
        ],
        "{stderr}"
    );
    assert!(!stdout.contains("DISAGREE"), "{stdout}");
    s.assert_tmp_empty();
}

#[test]
fn verify_refuses_a_jar_that_is_not_tlc_rather_than_skipping_tlc() {
    let s = Scratch::new();
    let out = s.path("out");
    let (code, stdout, stderr) = run(
        &[
            "verify",
            "--tla2tools",
            "/etc/passwd",
            "--out",
            out.to_str().unwrap(),
        ],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        [
            "error: /etc/passwd (from --tla2tools) is not a jar (not a zip archive): set \
          TLA2TOOLS_JAR or pass --tla2tools <path to tla2tools.jar>; TLC also needs Java 17 or \
          newer on PATH"
        ],
        "{stderr}"
    );
    assert!(
        !out.exists(),
        "nothing is written before the jar is checked"
    );
}

#[test]
fn a_jar_without_tlc_is_a_setup_error() {
    let s = Scratch::new();
    let jar = s.path("empty.jar");
    let mut bytes = b"PK\x05\x06".to_vec();
    bytes.extend([0u8; 18]);
    std::fs::write(&jar, bytes).unwrap();
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    let lines = error_lines(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains("is a jar without TLC (no tlc2/TLC.class)"),
        "{stderr}"
    );
}

#[test]
fn a_missing_or_unconfigured_jar_is_a_setup_error() {
    let s = Scratch::new();
    let (code, _, stderr) = run(
        &["tlc", "--tla2tools", "/nonexistent/tla2tools.jar"],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        error_lines(&stderr)[0].starts_with(
            "error: tla2tools.jar not found at /nonexistent/tla2tools.jar (from --tla2tools)"
        ),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["tlc"], &s.path_with_fakes(), &s);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        error_lines(&stderr)[0].starts_with("error: tla2tools.jar is not configured"),
        "{stderr}"
    );
}

#[test]
fn java_missing_from_path_is_a_setup_error() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    let empty = s.path("empty").into_os_string();
    let (code, stdout, stderr) = run(&["tlc", "--tla2tools", jar.to_str().unwrap()], &empty, &s);
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        ["error: `java` was not found on PATH; TLC needs Java 17 or newer"],
        "{stderr}"
    );
    s.assert_tmp_empty();
}

#[test]
fn tlc_running_out_of_memory_is_a_failure_to_run_not_a_disagreement() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    s.fake_java(
        "echo 'TLC2 Version 2026.11.23.211056 (rev: cc6b616)'\n\
         echo 'Starting... (2026-11-30 23:44:15)'\n\
         echo 'Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space' >&2\n\
         exit 1",
    );
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        [
            "error: TLC did not finish on two_phase_commit (configuration rm3), so nothing was \
          compared: TLC exited with code 1 (error) without reporting a result: Exception in \
          thread \"main\" java.lang.OutOfMemoryError: Java heap space"
        ],
        "{stderr}"
    );
    assert!(!stdout.contains("DISAGREE"), "{stdout}");
    s.assert_tmp_empty();
}

#[test]
fn tlc_killed_by_a_signal_is_a_failure_to_run() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    s.fake_java("echo 'Starting... (2026-11-30 23:44:15)'\nkill -SEGV $$");
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    let lines = error_lines(&stderr);
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].ends_with(
            "TLC was killed by a signal before reporting a result: Starting... \
             (2026-11-30 23:44:15)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_export_sany_rejects_is_a_lamport_bug_shown_at_its_line() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    let model = two_phase_commit::definition().config("rm3").unwrap();
    let export = lamport::export(&model).unwrap();
    // SANY's report (its exact form) of an unknown operator in the line that defines TMCommit.
    let (n, text) = export
        .tla
        .lines()
        .enumerate()
        .find(|(_, l)| l.starts_with("TMCommit =="))
        .map(|(i, l)| (i + 1, l))
        .unwrap();
    s.fake_java(&format!(
        "cat <<'EOF'\n\
         Parsing file /tmp/x/TwoPhaseCommit.tla\n\
         Semantic processing of module TwoPhaseCommit\n\
         Semantic errors:\n\n*** Errors: 1\n\n\
         line {n}, col 1 to line {n}, col 8 of module TwoPhaseCommit\n\n\
         Unknown operator: `Bogus'.\n\n\n\
         Starting... (2026-11-30 23:44:15)\n\
         Error: Parsing or semantic analysis failed.\n\
         EOF\n\
         exit 150"
    ));
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(4), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        [format!(
            "error: lamport bug: SANY rejects the export of two_phase_commit (configuration \
             rm3): line {n}, col 1 to line {n}, col 8 of module TwoPhaseCommit Unknown \
             operator: `Bogus'."
        )
        .as_str()],
        "{stderr}"
    );
    let head = format!("  TwoPhaseCommit.tla:{n}:1: ");
    assert!(
        stderr.contains(&format!("{head}{text}\n{}^\n", " ".repeat(head.len()))),
        "the offending line with a caret under column 1:\n{stderr}"
    );
    assert!(!stdout.contains("DISAGREE"), "{stdout}");
    s.assert_tmp_empty();
}

#[test]
fn a_configuration_tlc_rejects_is_a_lamport_bug() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    s.fake_java(
        "echo 'Starting... (2026-11-30 23:44:15)'\n\
         echo 'Error: The invariant Bogus specified in the configuration file'\n\
         echo 'is not defined in the specification.'\n\
         exit 151",
    );
    let (code, stdout, stderr) = run(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
    );
    assert_eq!(code, Some(4), "{stdout}{stderr}");
    assert_eq!(
        error_lines(&stderr),
        [
            "error: lamport bug: TLC rejects the configuration exported for two_phase_commit \
          (configuration rm3): The invariant Bogus specified in the configuration file is not \
          defined in the specification."
        ],
        "{stderr}"
    );
}

/// Starts `tlc ARGS`, waits for the first `TLC: …` line that `ready` accepts, sends `signal`,
/// and returns (exit status, stdout, stderr).
fn interrupt(
    args: &[&str],
    path: &std::ffi::OsStr,
    scratch: &Scratch,
    ready: fn(&str) -> bool,
    signal: &str,
    on_ready: &dyn Fn(),
) -> (Option<i32>, String, String) {
    let mut child = cli(args, path, scratch)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
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
            if line.strip_prefix("TLC: ").is_some_and(ready) {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    if rx.recv_timeout(Duration::from_secs(120)).is_err() {
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "TLC showed no progress within two minutes:\n{}",
            err_reader.join().unwrap()
        );
    }
    on_ready();
    let status = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill {signal}");
    let code = child.wait().unwrap().code();
    (code, out_reader.join().unwrap(), err_reader.join().unwrap())
}

/// A fake TLC that starts, writes its process id to `pid`, and then runs for five minutes.
fn slow_fake_java(s: &Scratch) -> PathBuf {
    let pid = s.path("java.pid");
    s.fake_java(&format!(
        "echo 'Starting... (2026-11-30 23:44:15)'\n\
         echo $$ > {}\n\
         exec sleep 300",
        pid.display()
    ));
    pid
}

fn assert_gone(pid: &str) {
    let pid = pid.trim();
    assert!(!pid.is_empty());
    assert!(
        !Path::new(&format!("/proc/{pid}")).exists(),
        "TLC's process {pid} is still there"
    );
}

fn assert_interrupted(code: Option<i32>, stdout: &str, stderr: &str) {
    assert_eq!(code, Some(3), "stdout:\n{stdout}\nstderr:\n{stderr}");
    // What the command printed, after libtest's header of the child's one test.
    let printed = stdout
        .split_once("test cli_child ... ")
        .map_or(stdout, |(_, printed)| printed);
    assert_eq!(
        printed,
        "Interrupted: TLC was stopped before it finished; nothing was compared. Temporary \
         files removed.\n"
    );
}

#[test]
fn ctrl_c_stops_tlc_and_removes_its_files() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    let pid = slow_fake_java(&s);
    let (code, stdout, stderr) = interrupt(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
        |l| l.starts_with("Starting..."),
        "-INT",
        &|| {},
    );
    assert_interrupted(code, &stdout, &stderr);
    assert_gone(&std::fs::read_to_string(pid).unwrap());
    s.assert_tmp_empty();
}

#[test]
fn sigterm_stops_tlc_as_ctrl_c_does() {
    let s = Scratch::new();
    let jar = s.fake_jar();
    let pid = slow_fake_java(&s);
    let (code, stdout, stderr) = interrupt(
        &["tlc", "--tla2tools", jar.to_str().unwrap()],
        &s.path_with_fakes(),
        &s,
        |l| l.starts_with("Starting..."),
        "-TERM",
        &|| {},
    );
    assert_interrupted(code, &stdout, &stderr);
    assert_gone(&std::fs::read_to_string(pid).unwrap());
    s.assert_tmp_empty();
}

/// The process ids whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        if let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) {
            if String::from_utf8_lossy(&cmdline).contains(needle) {
                found.push(name);
            }
        }
    }
    found
}

#[test]
fn ctrl_c_stops_a_real_tlc_in_the_middle_of_its_search() {
    let Some(jar) = lamport::tla::tools::tla2tools() else {
        return;
    };
    let s = Scratch::new();
    // rm8: 1,745,408 distinct states, a minute or more of TLC; it is interrupted as soon as
    // TLC has its initial state, in the middle of its search.
    let tmp = s.tmp().display().to_string();
    let java = std::sync::Mutex::new(Vec::new());
    let (code, stdout, stderr) = interrupt(
        &[
            "tlc",
            "--config",
            "rm8",
            "--tla2tools",
            jar.to_str().unwrap(),
        ],
        &std::env::var_os("PATH").unwrap_or_default(),
        &s,
        |l| l.starts_with("Finished computing initial states"),
        "-INT",
        // TLC's java runs with -Djava.io.tmpdir inside the child's TMPDIR.
        &|| *java.lock().unwrap() = processes_mentioning(&tmp),
    );
    assert_interrupted(code, &stdout, &stderr);
    assert!(
        stderr.contains("TLC: Finished computing initial states"),
        "{stderr}"
    );
    let java = java.into_inner().unwrap();
    assert_eq!(java.len(), 1, "one java process was running: {java:?}");
    assert_gone(&java[0]);
    assert_eq!(processes_mentioning(&tmp), Vec::<String>::new());
    s.assert_tmp_empty();
}
