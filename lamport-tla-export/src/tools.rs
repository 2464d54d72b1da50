//! External tools that tests rely on — TLC, and for lamport's own tests a headless browser and a
//! Mermaid renderer — and what a test does when one is missing.
//!
//! Outside CI a test whose tool is missing prints one `skipped: …` line and passes, so that
//! `cargo test` needs nothing but a Rust toolchain. Under `CI=true` (set by CI services and by
//! `.ci/run`) it fails instead: a CI run that silently skipped TLC would prove nothing.
//!
//! When the environment variable `LAMPORT_TOOL_LOG` names a file, every test that found its tool
//! appends a line `TOOL<TAB>TEST NAME` to it, so that a CI log can list the tests that really
//! ran TLC, the browser or the renderer (libtest captures the tests' own output).

use std::io::Write as _;
use std::path::PathBuf;

use crate::tlc::{find_jar, TlcError};

/// The environment variable of the log of tests that found their tool.
pub const TOOL_LOG_ENV: &str = "LAMPORT_TOOL_LOG";

/// Whether a missing tool fails a test rather than skipping it: `CI` is `true` (or `1`).
pub fn required() -> bool {
    std::env::var("CI").is_ok_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// `Some(tool)` when it was found (and the test is logged as run with `what`); otherwise,
/// with `Err(why)`, a panic under `CI=true`, else one `skipped: …` line and `None`.
pub fn require<T>(what: &str, found: Result<T, String>) -> Option<T> {
    match found {
        Ok(tool) => {
            log_use(what);
            Some(tool)
        }
        Err(why) if required() => panic!("{what} is required under CI=true: {why}"),
        Err(why) => {
            println!("skipped: {what} not found: {why}");
            None
        }
    }
}

/// `tla2tools.jar` for a TLC-backed test, from `TLA2TOOLS_JAR` (see [`require`] for a missing
/// one). A configured path that is not a TLC jar always fails the test: someone asked for TLC.
pub fn tla2tools() -> Option<PathBuf> {
    let found = match find_jar(None) {
        Ok(jar) => Ok(jar),
        Err(e @ TlcError::NoJar(_))
            if std::env::var_os(crate::tlc::JAR_ENV).is_none_or(|v| v.is_empty()) =>
        {
            Err(e.to_string())
        }
        Err(e) => panic!("TLA2TOOLS_JAR does not name TLC's jar: {e}"),
    };
    require("TLC", found)
}

/// Appends `what<TAB>test name` to the file named by `LAMPORT_TOOL_LOG`, if set (libtest names
/// each test's thread after the test).
fn log_use(what: &str) {
    let Some(path) = std::env::var_os(TOOL_LOG_ENV) else {
        return;
    };
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("(unnamed)");
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    // `differential-01a3…`: the test binary, without cargo's hash.
    let binary = exe.rsplit_once('-').map_or(exe.as_str(), |(b, _)| b);
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(f, "{what}\t{binary}::{test}");
    }
}
