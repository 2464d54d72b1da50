//! The verification pipeline of the TLA+ workflow, as one command: export and parse → smoke
//! (seeded random simulation with action coverage) → exhaustive check → TLC on the export when
//! it is available, then `verification_summary.md` beside the exported module.
//!
//! Each step that fails stops the pipeline, and the summary says which step and why.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::tla::tlc;

mod publish;
use crate::{CheckOptions, Model, ModelExt, Outcome, Report, SimulateOptions};

/// How to run the pipeline.
#[derive(Clone, Debug)]
pub struct VerifyOptions {
    /// Folder for `<Module>.tla`, `<Module>.cfg`, `verification_summary.md` and, on a
    /// counterexample, `counterexample.itf.json` and `counterexample.html`.
    pub out: PathBuf,
    pub smoke: SimulateOptions,
    pub check: CheckOptions,
    /// `tla2tools.jar`, if TLC should run (otherwise `TLA2TOOLS_JAR`, otherwise skipped).
    pub tla2tools: Option<PathBuf>,
}

/// What the pipeline concluded.
#[derive(Clone, Debug)]
pub struct Verification {
    /// Process exit status, as `check`'s (4 when TLC disagrees, 2 when a step could not run).
    pub exit_code: u8,
    pub summary_path: PathBuf,
    pub summary: String,
}

struct Step {
    name: &'static str,
    status: String,
}

/// Runs the pipeline on `model` and writes the summary.
///
/// The files are written to a staging folder inside `opts.out` first and moved into place at
/// the end, the summary last; lamport's files of an earlier run that this run does not write
/// (a counterexample, a module of another name) are removed first. So `opts.out` never holds a
/// summary beside files of another run: a run that fails to write leaves the earlier run's
/// files as they were, and one killed while moving its files leaves no summary at all.
pub fn verify<M: Model>(model: &M, opts: &VerifyOptions) -> Result<Verification, String> {
    // A jar asked for (--tla2tools or TLA2TOOLS_JAR) but unusable is an error, before anything
    // is written; with none configured, SANY and TLC are skipped.
    let configured =
        opts.tla2tools.is_some() || std::env::var_os(tlc::JAR_ENV).is_some_and(|v| !v.is_empty());
    if configured {
        tlc::find_jar(opts.tla2tools.as_deref()).map_err(|e| e.to_string())?;
    }
    let staging = publish::stage(&opts.out)?;
    let result = run_steps(model, opts, &staging);
    let published = match result {
        Ok(v) => publish::publish(&staging, &opts.out).map(|()| v),
        Err(e) => Err(e),
    };
    let _ = std::fs::remove_dir_all(&staging);
    let mut v = published?;
    v.summary_path = summary_path(&opts.out);
    Ok(v)
}

/// Writes `dir/name`; an error names the file in the output folder `out`.
fn write_in(dir: &Path, out: &Path, name: &str, contents: &str) -> Result<PathBuf, String> {
    let path = dir.join(name);
    std::fs::write(&path, contents)
        .map_err(|e| format!("cannot write {}: {e}", out.join(name).display()))?;
    Ok(path)
}

fn run_steps<M: Model>(
    model: &M,
    opts: &VerifyOptions,
    dir: &Path,
) -> Result<Verification, String> {
    let mut steps: Vec<Step> = Vec::new();
    let mut body = String::new();
    let mut exit_code = 0u8;
    let mut tlc_result: Option<tlc::TlcResult> = None;

    // 1. Export and parse.
    let export = match crate::export(model) {
        Ok(e) => e,
        Err(e) => {
            return finish(
                model,
                opts,
                dir,
                vec![Step {
                    name: "export",
                    status: format!("failed: {e}"),
                }],
                String::new(),
                2,
                None,
                None,
            )
        }
    };
    let tla_path = write_in(
        dir,
        &opts.out,
        &format!("{}.tla", export.module),
        &export.tla,
    )?;
    let cfg_path = write_in(
        dir,
        &opts.out,
        &format!("{}.cfg", export.module),
        &export.cfg,
    )?;
    let errors = crate::tla::syntax::syntax_errors(&export.tla);
    if !errors.is_empty() {
        steps.push(Step {
            name: "parse",
            status: format!("failed: {}", errors.join("; ")),
        });
        return finish(model, opts, dir, steps, body, 2, None, None);
    }
    let jar = tlc::find_jar(opts.tla2tools.as_deref()).ok();
    match &jar {
        Some(jar) => match tlc::sany(jar, &tla_path) {
            Ok(()) => steps.push(Step {
                name: "parse",
                status: "ok (tree-sitter-tlaplus and SANY)".into(),
            }),
            Err(e) => {
                steps.push(Step {
                    name: "parse",
                    status: format!("failed: SANY: {e}"),
                });
                return finish(model, opts, dir, steps, body, 2, None, None);
            }
        },
        None => steps.push(Step {
            name: "parse",
            status: "ok (tree-sitter-tlaplus; SANY skipped: TLA2TOOLS_JAR is not set)".into(),
        }),
    }

    // 2. Smoke: random behaviours, with how often each action fired.
    let sim = model.simulate(&opts.smoke);
    let never: Vec<&str> = sim
        .coverage
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(a, _)| a.as_str())
        .collect();
    let _ = writeln!(body, "## Smoke: random simulation\n");
    let _ = writeln!(
        body,
        "{} behaviours of at most {} steps (seed {}), {} steps in all, {:.2} s.\n",
        sim.runs, opts.smoke.depth, sim.seed, sim.steps, sim.seconds
    );
    let _ = writeln!(body, "| action | times taken |\n|---|---|");
    for (a, n) in &sim.coverage {
        let _ = writeln!(
            body,
            "| {a} | {n}{} |",
            if *n == 0 { " — never taken" } else { "" }
        );
    }
    body.push('\n');
    if sim.outcome != Outcome::Ok {
        steps.push(Step {
            name: "smoke",
            status: format!("found: {}", outcome_text(&sim.outcome)),
        });
        if let Some(t) = &sim.trace {
            let _ = writeln!(
                body,
                "Counterexample found by simulation ({} states):\n\n```\n{}{}\n```\n",
                t.len(),
                t.to_text(),
                ending(&sim.outcome, t.len())
            );
        }
        // A random behaviour is not a shortest one: the exhaustive check still runs and
        // reports the shortest counterexample.
    } else if never.is_empty() {
        steps.push(Step {
            name: "smoke",
            status: "ok (every action taken)".into(),
        });
    } else {
        steps.push(Step {
            name: "smoke",
            status: format!("ok; never taken: {}", never.join(", ")),
        });
    }

    // 3. Exhaustive check.
    let r = model.check_with(&opts.check);
    exit_code = exit_code.max(r.outcome.exit_code());
    steps.push(Step {
        name: "check",
        status: format!(
            "{} ({} distinct / {} generated / depth {}, {:.2} s)",
            outcome_text(&r.outcome),
            r.distinct_states,
            r.generated_states,
            r.depth,
            r.seconds
        ),
    });
    if let Some(t) = &r.trace {
        let json = t.to_itf(&format!("{} {}", r.model, r.outcome.keyword()));
        write_in(
            dir,
            &opts.out,
            "counterexample.itf.json",
            &serde_json::to_string_pretty(&json).expect("json"),
        )?;
        write_in(
            dir,
            &opts.out,
            "counterexample.html",
            &trace_page(model, &r, t, &export.module),
        )?;
    }
    let incomplete = matches!(r.outcome, Outcome::Incomplete { .. });
    let report = Some(r);

    // 4. TLC on the export.
    if incomplete {
        steps.push(Step {
            name: "TLC",
            status: "not run: the exhaustive check was incomplete".into(),
        });
    } else if let Some(jar) = jar {
        let tlc_opts = tlc::TlcOptions::new(jar);
        match tlc::run_tlc(&tla_path, &cfg_path, &tlc_opts) {
            Ok(t) => {
                let agreement = crate::equivalence::compare(report.as_ref().expect("checked"), &t);
                if agreement.agrees() {
                    steps.push(Step {
                        name: "TLC",
                        status: "agrees with lamport".into(),
                    });
                } else {
                    steps.push(Step {
                        name: "TLC",
                        status: "DISAGREES with lamport (a bug in lamport)".into(),
                    });
                    exit_code = 4;
                }
                let _ = writeln!(
                    body,
                    "## TLC on the export\n\n```\n{}```\n",
                    agreement.to_text()
                );
                if let Some(trace) = &t.trace {
                    let _ = writeln!(
                        body,
                        "TLC's counterexample ({} states), in the same form:\n\n```\n{}```\n",
                        trace.states.len(),
                        crate::tlc_trace::render_tlc_trace(model, trace, &t.outcome)
                    );
                }
                tlc_result = Some(t);
            }
            Err(e) => steps.push(Step {
                name: "TLC",
                status: format!("could not run: {e}"),
            }),
        }
    } else {
        steps.push(Step {
            name: "TLC",
            status: "skipped: TLA2TOOLS_JAR is not set".into(),
        });
    }
    finish(model, opts, dir, steps, body, exit_code, report, tlc_result)
}

fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Ok => "ok".into(),
        Outcome::InvariantViolated { invariant } => format!("invariant {invariant} violated"),
        Outcome::PropertyViolated { property } => format!("step property {property} violated"),
        Outcome::LivenessViolated { property } => {
            format!("temporal property {property} violated")
        }
        Outcome::Unreachable { property } => format!("{property} is never reached"),
        Outcome::Deadlock => "deadlock".into(),
        Outcome::ModelError { message } => format!("model error {message}"),
        Outcome::NoInitialState => "no initial state: nothing was checked".into(),
        Outcome::Incomplete { reason } => format!("incomplete: {reason}"),
    }
}

/// The last line of a counterexample: what went wrong, and where.
pub fn ending(outcome: &Outcome, states: usize) -> String {
    outcome.ending(states)
}

#[allow(clippy::too_many_arguments)]
fn finish<M: Model>(
    model: &M,
    opts: &VerifyOptions,
    dir: &Path,
    steps: Vec<Step>,
    body: String,
    exit_code: u8,
    report: Option<Report>,
    tlc_result: Option<tlc::TlcResult>,
) -> Result<Verification, String> {
    let meta = model.meta();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Verification summary: {} (configuration `{}`)\n",
        meta.name,
        model.config_name()
    );
    let outcome = report.as_ref().map(|r| &r.outcome);
    let verdict = match exit_code {
        0 => "every property holds",
        1 if outcome == Some(&Outcome::NoInitialState) => {
            "the model has no initial state: nothing was checked"
        }
        1 if matches!(outcome, Some(Outcome::ModelError { .. })) => {
            "model code panicked (trace below)"
        }
        1 => "a property is violated (counterexample below, if it has one)",
        3 => "incomplete: the search stopped early, nothing is proved",
        4 => "lamport and TLC disagree",
        _ => "the pipeline stopped (see the steps)",
    };
    let _ = writeln!(s, "**Result: {verdict}.**\n");
    let _ = writeln!(
        s,
        "TLA+ module `{}` and its configuration are beside this file.\n",
        meta.module
    );
    let _ = writeln!(
        s,
        "Constants: {}\n",
        model
            .constants()
            .iter()
            .map(|(n, v)| format!("`{n} = {v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(s, "## Steps\n\n| step | result |\n|---|---|");
    for st in &steps {
        let _ = writeln!(s, "| {} | {} |", st.name, st.status);
    }
    s.push('\n');
    if let Some(r) = &report {
        let tlc_ok = tlc_result
            .as_ref()
            .map(|t| crate::equivalence::compare(r, t).agrees());
        let backend = match tlc_ok {
            Some(true) => "lamport, TLC",
            Some(false) => "lamport (TLC disagrees)",
            None => "lamport",
        };
        let _ = writeln!(
            s,
            "## Properties\n\n| property | verdict | checked by |\n|---|---|---|"
        );
        let violated = r.violated_invariant();
        // The search explored every reachable state: what was not found violated holds.
        let complete = matches!(
            r.outcome,
            Outcome::Ok | Outcome::Unreachable { .. } | Outcome::LivenessViolated { .. }
        );
        let invariants = meta.invariants.iter().map(|i| (i.tla, ""));
        let steps = meta
            .step_properties
            .iter()
            .map(|p| (p.tla, " (step property)"));
        for (name, kind) in invariants.chain(steps) {
            let verdict = match (&r.outcome, violated) {
                (_, Some(v)) if v == name => "**violated**",
                _ if complete => "holds",
                (Outcome::Incomplete { .. }, _) => {
                    "not violated in the explored states (incomplete)"
                }
                _ => "not violated before the search stopped",
            };
            let _ = writeln!(s, "| {name}{kind} | {verdict} | {backend} |");
        }
        for p in &meta.reachables {
            let verdict = match &r.outcome {
                Outcome::Unreachable { property } if property == p.tla => "**never reached**",
                Outcome::Ok | Outcome::Unreachable { .. } => "reached",
                Outcome::LivenessViolated { .. } => "not reported (a temporal property failed)",
                _ => "not decided (the search stopped early)",
            };
            let _ = writeln!(s, "| {} (reachability) | {verdict} | lamport |", p.tla);
        }
        for l in &r.liveness {
            let verdict = match &l.status {
                lamport_core::LivenessStatus::Holds => "holds".to_string(),
                lamport_core::LivenessStatus::Violated => "**violated** (lasso)".to_string(),
                lamport_core::LivenessStatus::NotChecked(why) => format!("not checked: {why}"),
            };
            let _ = writeln!(s, "| {} (temporal) | {verdict} | {backend} |", l.property);
        }
        let deadlock = if !meta.check_deadlock {
            "not checked (check_deadlock = false)"
        } else if r.outcome == Outcome::Deadlock {
            "**deadlock reached**"
        } else if complete {
            "none"
        } else {
            "none before the search stopped"
        };
        let _ = writeln!(s, "| deadlock | {deadlock} | {backend} |\n");
        let _ = writeln!(
            s,
            "## Exhaustive check\n\n{} distinct states, {} states generated, depth {}, in {:.2} s with {} thread(s) ({:.0} distinct states/s).\n",
            r.distinct_states, r.generated_states, r.depth, r.seconds, r.threads, r.states_per_second()
        );
        if let Some(t) = &r.trace {
            let end = ending(&r.outcome, t.len());
            let shape = if t.loop_start.is_some() {
                "a lasso: a prefix, then a cycle repeated forever"
            } else {
                "shortest"
            };
            let _ = writeln!(s, "## Counterexample ({} states, {shape})\n\nEach step shows the action and what it changed: the map entries (`old → new`), the elements added to (`+`) or removed from (`-`) a set, bag or sequence, or the whole value where that is shorter. The same trace is in `counterexample.itf.json`, and drawn in `counterexample.html`.\n\n```\n{}{end}\n```\n", t.len(), t.to_text());
            let constants = model.constants();
            if let Some(d) = model
                .ir()
                .and_then(|ir| crate::sequence_diagram(&ir, &constants, t, Some(&end)))
            {
                let _ = writeln!(s, "### Messages\n\nWho sent what to whom in the counterexample, through the network the model declares (`#[network]`, see docs/language.md).\n\n```mermaid\n{d}```\n");
            }
        }
    }
    s.push_str(&body);
    let summary_path = write_in(dir, &opts.out, SUMMARY, &s)?;
    Ok(Verification {
        exit_code,
        summary_path,
        summary: s,
    })
}

/// `counterexample.html` for the trace `t` of report `r`: self-contained, with the message
/// diagram as SVG, every step and its changes, and links to the files beside it.
pub fn trace_page<M: Model>(model: &M, r: &Report, t: &crate::Trace, module: &str) -> String {
    let ir = model.ir();
    let constants = model.constants();
    let ending = r.outcome.ending(t.len());
    let svg = ir
        .as_ref()
        .and_then(|ir| crate::sequence_svg(ir, &constants, t, Some(&ending)));
    crate::page::counterexample_html(&crate::page::CounterexamplePage {
        report: r,
        trace: t,
        ir: ir.as_ref(),
        constants: &constants,
        svg,
        links: vec![
            (
                "counterexample.itf.json".into(),
                "the same trace as ITF JSON".into(),
            ),
            (
                "verification_summary.md".into(),
                "every step of the verification and every property's verdict".into(),
            ),
            (format!("{module}.tla"), "the TLA+ module".into()),
        ],
    })
}

/// Where the summary goes for `--out DIR`.
pub fn summary_path(dir: &Path) -> PathBuf {
    dir.join(SUMMARY)
}

const SUMMARY: &str = "verification_summary.md";
