//! What a running check tells its caller: progress figures, and a flag that stops it early.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Figures of a check in progress.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    /// Distinct states found so far.
    pub distinct_states: u64,
    /// States generated so far (duplicates included).
    pub generated_states: u64,
    /// States found but not yet explored.
    pub queue: u64,
    /// The breadth-first level being explored (an initial state has depth 1).
    pub depth: u64,
    /// Seconds since the check started.
    pub seconds: f64,
}

/// A function a check calls with its progress, several times per breadth-first level.
#[derive(Clone)]
pub struct ProgressHook(pub Arc<dyn Fn(&Progress) + Send + Sync>);

impl ProgressHook {
    pub fn new(f: impl Fn(&Progress) + Send + Sync + 'static) -> ProgressHook {
        ProgressHook(Arc::new(f))
    }
}

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook(..)")
    }
}

/// A flag that stops a running check (e.g. from a Ctrl-C handler): the check then returns a
/// report with outcome [`Incomplete`](crate::Outcome::Incomplete) and the figures so far.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>, Arc<OnceLock<String>>);

impl Cancel {
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Asks the check to stop; it does so before the next chunk of states it would explore.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// As [`cancel`](Cancel::cancel), with the reason the report gives (the first one given
    /// is kept), e.g. `stopped on request (SIGTERM)`.
    pub fn cancel_because(&self, reason: &str) {
        let _ = self.1.set(reason.to_string());
        self.cancel();
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Why the check was stopped: the reason given, or [`CANCELLED`].
    pub fn reason(&self) -> String {
        self.1
            .get()
            .cloned()
            .unwrap_or_else(|| CANCELLED.to_string())
    }
}

/// The reason an incomplete report gives when the check was cancelled.
pub const CANCELLED: &str = "stopped on request (Ctrl-C)";
