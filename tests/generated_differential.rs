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
//! one model alone, `LAMPORT_GEN_FILE=model.rs` to run a hand-written one. A failing model's
//! source, export and TLC output are kept under `target/tmp/lamport-gen/runs/seed-S/gI/`.
//! Constructs of known gaps (`generated/gaps.rs`) are not generated while they are listed;
//! `LAMPORT_GEN_ALLOW=all` generates them anyway. See docs/export.md.

mod generated;

use std::collections::BTreeMap;

use generated::batch::{self, BatchReport, Settings, Verdict};
use generated::gaps::Gaps;

#[test]
fn generated_models_agree_with_tlc() {
    // Without TLC: one line, or a failure under CI=true.
    let Some(jar) = lamport::tla::tools::tla2tools() else {
        return;
    };
    let settings = Settings::from_env(30, Some(jar));
    let report = batch::run(&settings, &Gaps::from_env());
    print_summary(&settings, &report);
    let failures: Vec<String> = report
        .results
        .iter()
        .filter_map(|r| match &r.verdict {
            Verdict::Fail(why) => Some(format!(
                "model g{i} (seed {s}, index {i}): {why}\n  files: {d}\n  again: LAMPORT_GEN_SEED={s} LAMPORT_GEN_ONLY={i} cargo test --test generated_differential -- --nocapture",
                i = r.index,
                s = settings.seed,
                d = r.dir.display(),
            )),
            _ => None,
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} generated models fail:\n\n{}",
        failures.len(),
        report.results.len(),
        failures.join("\n\n")
    );
}

/// The batch in a few lines: how many agree, the known gaps met, the time spent, the sizes of
/// the models and the constructs they used (every model's figures too, when asked or when only
/// a few models run).
fn print_summary(settings: &Settings, report: &BatchReport) {
    let results = &report.results;
    let count = |f: &dyn Fn(&Verdict) -> bool| results.iter().filter(|r| f(&r.verdict)).count();
    let mut verdicts: BTreeMap<&str, usize> = BTreeMap::new();
    for r in results {
        *verdicts.entry(r.lamport.as_str()).or_default() += 1;
    }
    println!(
        "seed {}: {} models: {} agree, {} known gaps, {} too big (over {} states), {} failures; lamport's verdicts {verdicts:?}",
        settings.seed,
        results.len(),
        count(&|v| *v == Verdict::Agree),
        count(&|v| matches!(v, Verdict::Known { .. })),
        count(&|v| *v == Verdict::TooBig),
        settings.max_states,
        count(&|v| matches!(v, Verdict::Fail(_))),
    );
    let lamport_s: f64 = results.iter().map(|r| r.seconds.0).sum();
    let tlc_s: f64 = results.iter().map(|r| r.seconds.1).sum();
    println!(
        "building {:.0} s; running {:.0} s ({} processes): lamport {lamport_s:.1} s, TLC {tlc_s:.1} s in all",
        report.build_seconds, report.run_seconds, settings.jobs
    );
    let mut sizes: Vec<(u64, u64)> = results.iter().map(|r| r.size).collect();
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
    for r in results {
        if let Verdict::Known { finding, what } = &r.verdict {
            println!("  g{} (known gap {finding}): {what}", r.index);
        }
    }
    let verbose = settings.only.is_some()
        || settings.file.is_some()
        || std::env::var_os("LAMPORT_GEN_VERBOSE").is_some();
    if verbose {
        for r in results {
            println!(
                "g{}: {:?}\n{}\n  files: {}",
                r.index,
                r.verdict,
                r.summary,
                r.dir.display()
            );
        }
    }
}
