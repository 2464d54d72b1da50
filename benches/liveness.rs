//! The cost of liveness checking: two-phase commit with its temporal property `Termination`
//! decided (behaviour graph recorded during the search, then the fair-component search),
//! against the same search with liveness switched off (safety alone). Same model, same states.
//!
//! ```text
//! cargo bench --bench liveness              # rm5 and rm7, 5 runs each, 1 thread
//! cargo bench --bench liveness -- rm5 --json
//! ```

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;
use lamport::{CheckOptions, LivenessStatus, ModelExt, Report};

const RUNS: usize = 5;

fn run(config: &str, liveness: bool) -> Report {
    let model = two_phase_commit::definition()
        .config(config)
        .expect("config");
    model.check_with(&CheckOptions {
        threads: 1,
        liveness,
        ..CheckOptions::default()
    })
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.total_cmp(b));
    xs[xs.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let json = args.iter().any(|a| a == "--json");
    let mut configs: Vec<&str> = ["rm5", "rm7"]
        .into_iter()
        .filter(|c| args.iter().any(|a| a == c))
        .collect();
    if configs.is_empty() {
        configs = vec!["rm5", "rm7"];
    }
    for config in configs {
        let mut safety = Vec::new();
        let mut full = Vec::new();
        let mut last = None;
        for _ in 0..RUNS {
            let s = run(config, false);
            assert!(s.trace.is_none(), "{}", s.to_text());
            safety.push(s.seconds);
            let f = run(config, true);
            f.assert_ok();
            assert!(
                f.liveness.iter().all(|l| l.status == LivenessStatus::Holds),
                "{}",
                f.to_text()
            );
            assert_eq!(
                (s.distinct_states, s.generated_states),
                (f.distinct_states, f.generated_states)
            );
            full.push(f.seconds);
            last = Some(f);
        }
        let f = last.expect("runs");
        let (ts, tf) = (median(safety), median(full));
        if json {
            println!(
                "{}",
                serde_json::json!({"model": "two_phase_commit", "config": config,
                    "distinct_states": f.distinct_states, "generated_states": f.generated_states,
                    "safety_seconds": ts, "liveness_seconds": tf, "ratio": tf / ts,
                    "peak_memory_bytes": f.peak_memory_bytes})
            );
        } else {
            println!(
                "two_phase_commit {config}: {} distinct, {} generated; safety {ts:.3} s, with Termination {tf:.3} s: {:.2}x (median of {RUNS}, 1 thread)",
                f.distinct_states,
                f.generated_states,
                tf / ts
            );
        }
    }
}
