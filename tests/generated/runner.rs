// The `main` of the generated batch crate (copied there as `src/main.rs`; not compiled as part of
// the test). For each model index on the command line: checks the model in-process, exports it,
// runs TLC on the export when a jar is given, and prints one JSON line with both results.
//
// Usage: lamport-gen-batch --out DIR [--jar JAR] [--max-states N] INDEX...
#![allow(warnings)]

mod models;

use std::path::{Path, PathBuf};

use lamport::tla::tlc::{self, TlcOutcome};
use lamport::{CheckOptions, Model, ModelExt, Outcome};
use serde_json::{json, Value};

pub struct Ctx {
    pub out: PathBuf,
    pub jar: Option<PathBuf>,
    pub max_states: u64,
}

fn verdict(o: &Outcome) -> (&'static str, String) {
    match o {
        Outcome::Ok => ("ok", String::new()),
        Outcome::InvariantViolated { invariant } => ("invariant", invariant.clone()),
        Outcome::PropertyViolated { property } => ("property", property.clone()),
        Outcome::LivenessViolated { property } => ("liveness", property.clone()),
        Outcome::Unreachable { property } => ("ok", property.clone()),
        Outcome::Deadlock => ("deadlock", String::new()),
        Outcome::ModelError { message } => ("error", message.clone()),
        Outcome::Incomplete { reason } => ("incomplete", reason.clone()),
        Outcome::NoInitialState => ("no_initial", String::new()),
    }
}

fn tlc_verdict(o: &TlcOutcome) -> (&'static str, String) {
    match o {
        TlcOutcome::Ok => ("ok", String::new()),
        TlcOutcome::InvariantViolated { invariant } => ("invariant", invariant.clone()),
        TlcOutcome::PropertyViolated { property } => ("property", property.clone()),
        TlcOutcome::Deadlock => ("deadlock", String::new()),
        TlcOutcome::EvaluationError { message } => ("error", message.clone()),
        TlcOutcome::AssumptionFalse { location } => ("assumption", location.clone()),
        TlcOutcome::ParseError { message } => ("parse_error", message.clone()),
        TlcOutcome::Other { message } => ("other", message.clone()),
    }
}

/// Checks, exports and (with a jar) runs TLC on one model; one JSON object.
pub fn run_model<M: Model>(index: u64, model: M, ctx: &Ctx) -> Value {
    let started = std::time::Instant::now();
    let report = model.check_with(&CheckOptions {
        threads: 1,
        max_states: Some(ctx.max_states),
        ..CheckOptions::default()
    });
    let (kind, detail) = verdict(&report.outcome);
    let mut result = json!({
        "index": index,
        "lamport": {
            "verdict": kind,
            "detail": detail,
            "distinct": report.distinct_states,
            "generated": report.generated_states,
            "depth": report.depth,
            "trace": report.trace.as_ref().map(|t| t.len()),
            "seconds": started.elapsed().as_secs_f64(),
        },
    });
    let dir = ctx.out.join(format!("g{index}"));
    let _ = std::fs::create_dir_all(&dir);
    if let Some(t) = &report.trace {
        let _ = std::fs::write(dir.join("lamport-trace.txt"), t.to_text());
    }
    let export = match lamport::export(&model) {
        Ok(e) => e,
        Err(e) => {
            result["export_error"] = json!(e.to_string());
            return result;
        }
    };
    let tla = dir.join(format!("{}.tla", export.module));
    let cfg = dir.join(format!("{}.cfg", export.module));
    std::fs::write(&tla, &export.tla).expect("write the export");
    std::fs::write(&cfg, &export.cfg).expect("write the configuration");
    result["module"] = json!(export.module);
    let Some(jar) = &ctx.jar else {
        return result;
    };
    if kind == "incomplete" {
        return result;
    }
    let started = std::time::Instant::now();
    let mut opts = tlc::TlcOptions::new(jar);
    // Short runs: the JIT's second tier costs more than it saves.
    opts.extra_java_args.push("-XX:TieredStopAtLevel=1".into());
    match tlc::run_tlc(&tla, &cfg, &opts) {
        Err(e) => result["tlc_error"] = json!(e.to_string()),
        Ok(r) => {
            let _ = std::fs::write(dir.join("tlc.out"), &r.raw);
            let (kind, detail) = tlc_verdict(&r.outcome);
            result["tlc"] = json!({
                "verdict": kind,
                "detail": detail,
                "distinct": r.distinct_states,
                "generated": r.generated_states,
                "depth": r.depth,
                // An invariant TLC finds FALSE before any state (it reads no variable) is
                // violated by the first initial state, as lamport reports it.
                "trace": r.trace.as_ref().map(|t| t.states.len())
                    .or(r.constant_invariant_false().then_some(1)),
                "seconds": started.elapsed().as_secs_f64(),
            });
            let agreement = lamport::equivalence::compare(&report, &r);
            result["agrees"] = json!(agreement.agrees());
            result["agreement"] = json!(agreement.to_text());
        }
    }
    result
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut jar = None;
    let mut max_states = 20_000;
    let mut indices = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => out = args.next().map(PathBuf::from),
            "--jar" => jar = args.next().map(PathBuf::from),
            "--max-states" => max_states = args.next().and_then(|n| n.parse().ok()).unwrap(),
            n => indices.push(n.parse::<u64>().expect("a model index")),
        }
    }
    let ctx = Ctx {
        out: out.expect("--out DIR"),
        jar,
        max_states,
    };
    // A panic outside model code (in the export, say) is reported for its model, not the batch.
    for i in indices {
        let run = std::panic::AssertUnwindSafe(|| models::run(i, &ctx));
        let line = match std::panic::catch_unwind(run) {
            Ok(Some(v)) => v,
            Ok(None) => json!({ "index": i, "missing": true }),
            Err(p) => {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                json!({ "index": i, "panic": msg })
            }
        };
        println!("{line}");
    }
}
