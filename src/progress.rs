//! Progress of long runs on stderr, and Ctrl-C as a way to stop them with a partial report.
//!
//! On a terminal the figures (distinct states, generated states, states per second, queue,
//! depth) are an indicatif spinner line that is cleared at the end; otherwise (CI logs, pipes)
//! one plain line every few seconds. The first Ctrl-C stops the check before its next chunk of
//! states and the runner prints the partial report, marked incomplete (exit status 3); a
//! second Ctrl-C ends the process at once. SIGTERM and SIGHUP do the same as Ctrl-C.

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

/// The process's stop flag: installed on first use, shared by every check the runner starts.
/// Ctrl-C (SIGINT), SIGTERM and SIGHUP all stop a check with its partial report; a second
/// signal ends the process at once (status 128 + the signal's number). `None` when the
/// handlers could not be installed (then the signals keep their default effect).
pub fn ctrl_c() -> Option<Cancel> {
    static FLAG: OnceLock<Option<Cancel>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let cancel = Cancel::new();
        let in_handler = cancel.clone();
        signals::install(move |name, number| {
            if in_handler.is_cancelled() {
                // A second signal: the user does not want to wait for the partial report.
                std::process::exit(128 + number);
            }
            eprintln!("\nlamport: {name}: stopping; the partial report follows ({name} again to quit now)");
            in_handler.cancel_because(&format!("stopped on request ({name})"));
        })
        .then_some(cancel)
    })
    .clone()
}

/// Writing past the file-size limit (`ulimit -f`) kills a process by default (SIGXFSZ); the
/// runner ignores that signal, so the write fails with an error it reports instead.
pub fn no_signal_on_file_size() {
    #[cfg(unix)]
    // SAFETY: setting a signal's disposition to "ignore" has no preconditions.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

#[cfg(unix)]
mod signals {
    //! SIGINT, SIGTERM and SIGHUP through a pipe: the handler only writes the signal's
    //! number into it (all a signal handler may safely do); a thread reads it and acts.
    use std::sync::atomic::{AtomicI32, Ordering};

    static PIPE: AtomicI32 = AtomicI32::new(-1);

    extern "C" fn on_signal(sig: libc::c_int) {
        let byte = sig as u8;
        let fd = PIPE.load(Ordering::Relaxed);
        // SAFETY: write(2) is async-signal-safe; the buffer is one valid byte.
        unsafe {
            libc::write(fd, std::ptr::addr_of!(byte).cast(), 1);
        }
    }

    fn name(sig: i32) -> &'static str {
        match sig {
            libc::SIGINT => "Ctrl-C",
            libc::SIGTERM => "SIGTERM",
            libc::SIGHUP => "SIGHUP",
            _ => "a signal",
        }
    }

    /// Calls `act(name, number)` on a thread of its own for each signal received.
    pub fn install(act: impl Fn(&'static str, i32) + Send + 'static) -> bool {
        let mut fds = [0 as libc::c_int; 2];
        // SAFETY: `fds` has room for the two descriptors.
        if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
            return false;
        }
        let (read_end, write_end) = (fds[0], fds[1]);
        PIPE.store(write_end, Ordering::Relaxed);
        let spawned = std::thread::Builder::new()
            .name("lamport-signals".into())
            .spawn(move || loop {
                let mut byte = 0u8;
                // SAFETY: reads one byte into a valid buffer.
                let n = unsafe { libc::read(read_end, std::ptr::addr_of_mut!(byte).cast(), 1) };
                if n == 1 {
                    act(name(i32::from(byte)), i32::from(byte));
                } else if n == 0 {
                    return;
                }
            });
        if spawned.is_err() {
            return false;
        }
        for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            // SAFETY: a zeroed sigaction with a handler of the right type and an empty mask;
            // the current disposition is read into a zeroed one.
            unsafe {
                // A signal the process was started ignoring (`nohup`, a background job) stays
                // ignored.
                let mut current: libc::sigaction = std::mem::zeroed();
                if libc::sigaction(sig, std::ptr::null(), &mut current) == 0
                    && current.sa_sigaction == libc::SIG_IGN
                {
                    continue;
                }
                let mut sa: libc::sigaction = std::mem::zeroed();
                sa.sa_sigaction =
                    on_signal as extern "C" fn(libc::c_int) as *const () as libc::sighandler_t;
                sa.sa_flags = libc::SA_RESTART;
                libc::sigemptyset(&mut sa.sa_mask);
                if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
                    return false;
                }
            }
        }
        true
    }
}

#[cfg(not(unix))]
mod signals {
    /// Ctrl-C only, through the `ctrlc` crate.
    pub fn install(act: impl Fn(&'static str, i32) + Send + 'static) -> bool {
        ctrlc::set_handler(move || act("Ctrl-C", 2)).is_ok()
    }
}
