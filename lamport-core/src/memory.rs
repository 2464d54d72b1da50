//! The process's memory, and the bound `CheckOptions::max_memory` puts on a search.
//!
//! The bound is on the resident set (what the operating system counts against the machine's
//! memory, and what `peak_memory_bytes` reports at the end). The search samples it at most
//! every millisecond while it expands states, and stops once it reaches [`STOP_AT`] of the
//! bound: the rest is the room the search needs to wind down (its last level is dropped, see
//! `check`), so that the peak stays near the bound rather than past it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The fraction of the bound at which the search stops.
pub const STOP_AT: f64 = 0.95;

/// Resident memory of this process now, in bytes (Linux; `None` elsewhere).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size())
}

#[cfg(unix)]
fn page_size() -> u64 {
    use std::sync::OnceLock;
    static SIZE: OnceLock<u64> = OnceLock::new();
    // SAFETY: sysconf has no preconditions.
    *SIZE.get_or_init(|| match unsafe { libc::sysconf(libc::_SC_PAGESIZE) } {
        n if n > 0 => n as u64,
        _ => 4096,
    })
}

#[cfg(not(unix))]
fn page_size() -> u64 {
    4096
}

/// A memory bound shared by the search's threads.
pub struct MemoryBound {
    limit: u64,
    started: Instant,
    /// Microseconds after `started` of the last sample.
    last_sample: AtomicU64,
    hit: AtomicBool,
    /// The resident size seen when the bound was hit.
    seen: AtomicU64,
}

impl MemoryBound {
    pub fn new(limit: u64) -> MemoryBound {
        MemoryBound {
            limit,
            started: Instant::now(),
            last_sample: AtomicU64::new(0),
            hit: AtomicBool::new(false),
            seen: AtomicU64::new(0),
        }
    }

    fn stop_at(&self) -> u64 {
        (self.limit as f64 * STOP_AT) as u64
    }

    /// Whether the bound is reached: cheap, and samples the resident size at most every
    /// millisecond whichever thread asks.
    pub fn reached(&self) -> bool {
        if self.hit.load(Ordering::Relaxed) {
            return true;
        }
        let now = self.started.elapsed().as_micros() as u64;
        let last = self.last_sample.load(Ordering::Relaxed);
        if now.saturating_sub(last) < 1000
            || self
                .last_sample
                .compare_exchange(last, now, Ordering::Relaxed, Ordering::Relaxed)
                .is_err()
        {
            return false;
        }
        self.sample()
    }

    /// Samples now: whether the bound is reached.
    pub fn sample(&self) -> bool {
        if let Some(rss) = resident_bytes() {
            if rss >= self.stop_at() {
                self.seen.store(rss, Ordering::Relaxed);
                self.hit.store(true, Ordering::Relaxed);
            }
        }
        self.hit.load(Ordering::Relaxed)
    }

    /// Whether `extra` more bytes would take the process past the bound.
    pub fn would_pass(&self, extra: u64) -> bool {
        match resident_bytes() {
            Some(rss) if rss.saturating_add(extra) >= self.stop_at() => {
                self.seen.store(rss, Ordering::Relaxed);
                self.hit.store(true, Ordering::Relaxed);
                true
            }
            _ => self.hit.load(Ordering::Relaxed),
        }
    }

    /// The reason an incomplete report gives.
    pub fn reason(&self) -> String {
        format!(
            "memory bound {} reached (resident {}); the last level was dropped",
            crate::report::format_bytes(self.limit),
            crate::report::format_bytes(self.seen.load(Ordering::Relaxed))
        )
    }
}

/// Parses `100MB`, `1.5GB`, `512MiB`, `2G`, `1000000` (bytes): what `--max-memory` takes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("`{text}` is not a size: write e.g. 100MB, 1.5GB or 512MiB"))?;
    let factor: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        "t" | "tb" => 1e12,
        "kib" => 1024.0,
        "mib" => 1024.0 * 1024.0,
        "gib" => 1024.0 * 1024.0 * 1024.0,
        "tib" => 1024.0f64.powi(4),
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{text}`: use B, kB, MB, GB, TB, KiB, MiB, GiB or TiB"
            ))
        }
    };
    let bytes = value * factor;
    if !(bytes >= 1.0 && bytes < u64::MAX as f64) {
        return Err(format!("`{text}` is not a positive size"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("100MB"), Ok(100_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("512MiB"), Ok(512 << 20));
        assert_eq!(parse_size("2g"), Ok(2_000_000_000));
        assert_eq!(parse_size("4096"), Ok(4096));
        assert!(parse_size("0").is_err());
        assert!(parse_size("ten MB").is_err());
        assert!(parse_size("10 parsecs").is_err());
    }

    #[test]
    fn the_resident_size_is_known_on_linux() {
        if cfg!(target_os = "linux") {
            let rss = resident_bytes().expect("/proc/self/statm");
            assert!(rss > 100_000, "{rss}");
        }
    }
}
