//! Progress of long runs on stderr, and Ctrl-C as a way to stop them with a partial report.
//!
//! On a terminal the figures (distinct states, generated states, states per second, queue,
//! depth) are an indicatif spinner line that is cleared at the end; otherwise (CI logs, pipes)
//! one plain line every few seconds. The first Ctrl-C stops the check before its next chunk of
//! states and the runner prints the partial report, marked incomplete (exit status 3); a
//! second Ctrl-C ends the process at once.

use std::io::IsTerminal;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::{Cancel, Progress, ProgressHook};

/// Seconds between two plain progress lines.
const PLAIN_EVERY: Duration = Duration::from_secs(2);

/// The figures as one line of text.
pub fn describe(p: &Progress) -> String {
    let rate = if p.seconds > 0.0 {
        p.distinct_states as f64 / p.seconds
    } else {
        0.0
    };
    format!(
        "{} distinct states, {} generated, {:.0} distinct/s, {} on queue, depth {}",
        p.distinct_states, p.generated_states, rate, p.queue, p.depth
    )
}

/// Where progress goes while a check runs: call [`Display::hook`] for the check's options and
/// [`Display::finish`] when it returns.
pub struct Display {
    bar: Option<ProgressBar>,
}

impl Display {
    /// A spinner when stderr is a terminal, periodic plain lines otherwise.
    pub fn on_stderr() -> Display {
        if !std::io::stderr().is_terminal() {
            return Display { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
            bar.set_style(style);
        }
        bar.set_message("starting");
        bar.enable_steady_tick(Duration::from_millis(120));
        Display { bar: Some(bar) }
    }

    /// The hook to put in `CheckOptions::on_progress`.
    pub fn hook(&self) -> ProgressHook {
        match &self.bar {
            Some(bar) => {
                let bar = bar.clone();
                ProgressHook::new(move |p| bar.set_message(describe(p)))
            }
            None => {
                let last = Mutex::new(Instant::now());
                ProgressHook::new(move |p| {
                    let mut last = last.lock().unwrap_or_else(|e| e.into_inner());
                    if last.elapsed() >= PLAIN_EVERY {
                        *last = Instant::now();
                        eprintln!("lamport: {}", describe(p));
                    }
                })
            }
        }
    }

    /// Removes the spinner line.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

/// The process's Ctrl-C flag: installed on first use, shared by every check the runner starts.
/// `None` when a handler could not be installed (then Ctrl-C keeps its default effect).
pub fn ctrl_c() -> Option<Cancel> {
    static FLAG: OnceLock<Option<Cancel>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let cancel = Cancel::new();
        let in_handler = cancel.clone();
        ctrlc::set_handler(move || {
            if in_handler.is_cancelled() {
                // A second Ctrl-C: the user does not want to wait for the partial report.
                std::process::exit(130);
            }
            eprintln!("\nlamport: Ctrl-C: stopping; the partial report follows (Ctrl-C again to quit now)");
            in_handler.cancel();
        })
        .ok()
        .map(|()| cancel)
    })
    .clone()
}
