//! Generated models, differential: random whole models — state variables of every value type,
//! actions with parameters, guards, updates through every operation of docs/language.md,
//! helpers (recursive ones too), init with parameters, invariants, a constraint, and names
//! chosen to collide with TLA+ reserved words and standard-module operators — each checked
//! in-process and by TLC on its export, which must agree on the verdict and on the figures
//! (distinct states, states generated, depth; the counterexample's length at a violation, a
//! deadlock or an evaluation error).
//!
//! The models are generated from a seed: `LAMPORT_GEN_SEED` (default 1), `LAMPORT_GEN_MODELS`
//! (default 30; the long run is `LAMPORT_GEN_MODELS=2000`), `LAMPORT_GEN_ONLY=17` to regenerate
//! one model alone. A failing model's source, export and TLC output are kept under
//! `target/tmp/lamport-gen/runs/seed-S/gI/`. Constructs of known gaps (`generated/gaps.rs`) are
//! not generated while they are listed; `LAMPORT_GEN_ALLOW=all` generates them anyway.

mod generated;

use generated::batch::{self, Settings, Verdict};
use generated::gaps::Gaps;

#[test]
fn generated_models_agree_with_tlc() {
    // Without TLC: one line, or a failure under CI=true.
    let Some(jar) = lamport::tla::tools::tla2tools() else {
        return;
    };
    let settings = Settings::from_env(30, Some(jar));
    let gaps = Gaps::from_env();
    let report = batch::run(&settings, &gaps);
    let mut counts = std::collections::BTreeMap::new();
    let mut failures = Vec::new();
    let mut known = Vec::new();
    for r in &report.results {
        *counts.entry(r.lamport.clone()).or_insert(0usize) += 1;
        match &r.verdict {
            Verdict::Agree | Verdict::TooBig => {}
            Verdict::Known { finding, what } => {
                known.push(format!("  g{} (known gap {finding}): {what}", r.index))
            }
            Verdict::Fail(why) => failures.push(format!(
                "model g{i} (seed {s}, index {i}): {why}\n  files: {d}\n  again: LAMPORT_GEN_SEED={s} LAMPORT_GEN_ONLY={i} cargo test --test generated_differential -- --nocapture",
                i = r.index,
                s = settings.seed,
                d = r.dir.display(),
            )),
        }
    }
    let agree = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::Agree)
        .count();
    let too_big = report
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::TooBig)
        .count();
    println!(
        "seed {}: {} models: {agree} agree, {} known gaps, {too_big} too big (over {} states), {} failures; lamport verdicts {counts:?}",
        settings.seed,
        report.results.len(),
        known.len(),
        settings.max_states,
        failures.len(),
    );
    let lamport_s: f64 = report.results.iter().map(|r| r.seconds.0).sum();
    let tlc_s: f64 = report.results.iter().map(|r| r.seconds.1).sum();
    println!(
        "building {:.0} s; running {:.0} s ({} processes): lamport {lamport_s:.1} s, TLC {tlc_s:.1} s in all",
        report.build_seconds, report.run_seconds, settings.jobs
    );
    let mut sizes: Vec<(u64, u64)> = report.results.iter().map(|r| r.size).collect();
    sizes.sort();
    if let (Some(first), Some(last)) = (sizes.first(), sizes.last()) {
        println!(
            "distinct states per model: {} to {} (median {}); deepest search {}",
            first.0,
            last.0,
            sizes[sizes.len() / 2].0,
            sizes.iter().map(|s| s.1).max().unwrap_or(0)
        );
    }
    println!("constructs generated (models using each):");
    for (f, n) in &report.features {
        println!("  {n:5}  {f}");
    }
    for k in &known {
        println!("{k}");
    }
    if settings.only.is_some()
        || settings.file.is_some()
        || std::env::var_os("LAMPORT_GEN_VERBOSE").is_some()
    {
        for r in &report.results {
            println!(
                "g{}: {:?}\n{}\n  files: {}",
                r.index,
                r.verdict,
                r.summary,
                r.dir.display()
            );
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} generated models fail:\n\n{}",
        failures.len(),
        report.results.len(),
        failures.join("\n\n")
    );
}
