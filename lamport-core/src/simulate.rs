//! Seeded random simulation: many random behaviours, each checked as it goes (TLC's `-simulate`).

use std::time::Instant;

use crate::fault;
use crate::model::{Model, Params, Sink};
use crate::panics::run_model_code;
use crate::report::{Outcome, StepLabel, Trace, TraceState};

/// How to simulate.
#[derive(Clone, Debug)]
pub struct SimulateOptions {
    /// Number of behaviours.
    pub runs: u64,
    /// Steps per behaviour at most.
    pub depth: u64,
    pub seed: u64,
}

impl Default for SimulateOptions {
    fn default() -> Self {
        SimulateOptions {
            runs: 1000,
            depth: 100,
            seed: 0,
        }
    }
}

/// What the simulation saw.
#[derive(Clone, Debug)]
pub struct SimulationReport {
    pub model: String,
    pub config: String,
    /// `Ok` when no behaviour broke an invariant or deadlocked; never a proof.
    pub outcome: Outcome,
    pub runs: u64,
    pub steps: u64,
    pub seed: u64,
    pub seconds: f64,
    /// Per action (TLA+ name): how many times it was taken.
    pub coverage: Vec<(String, u64)>,
    pub trace: Option<Trace>,
}

impl SimulationReport {
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "model": self.model,
            "config": self.config,
            "mode": "simulate",
            "outcome": self.outcome.keyword(),
            "runs": self.runs,
            "steps": self.steps,
            "seed": self.seed,
            "seconds": self.seconds,
            "coverage": self.coverage.iter().map(|(a, n)| serde_json::json!({"action": a, "taken": n})).collect::<Vec<_>>(),
        });
        if let Outcome::InvariantViolated { invariant } = &self.outcome {
            v["property"] = serde_json::json!(invariant);
        }
        if let Outcome::ModelError { message } = &self.outcome {
            v["error"] = serde_json::json!(message);
        }
        if let Some(t) = &self.trace {
            v["counterexample"] = serde_json::json!({"length": t.len(), "text": t.to_text()});
        }
        v
    }

    pub fn to_text(&self) -> String {
        let mut out = format!(
            "simulated {} behaviours ({} steps) of {} (configuration {}), seed {}, in {:.3} s\n",
            self.runs, self.steps, self.model, self.config, self.seed, self.seconds
        );
        match &self.outcome {
            Outcome::Ok => out.push_str("No error found (simulation is not a proof).\n"),
            Outcome::InvariantViolated { invariant } => {
                out.push_str(&format!("Error: Invariant {invariant} is violated.\n"))
            }
            Outcome::PropertyViolated { property } => {
                out.push_str(&format!("Error: Action property {property} is violated.\n"))
            }
            Outcome::LivenessViolated { property } => out.push_str(&format!(
                "Error: Temporal property {property} is violated.\n"
            )),
            Outcome::Unreachable { property } => out.push_str(&format!(
                "Error: no reachable state satisfies {property}.\n"
            )),
            Outcome::Deadlock => out.push_str("Error: Deadlock reached.\n"),
            Outcome::ModelError { message } => {
                out.push_str(&format!("Error: model code panicked {message}\n"))
            }
            Outcome::NoInitialState => {
                out.push_str(&format!("Error: {}\n", crate::report::NO_INITIAL_STATE))
            }
            Outcome::Incomplete { reason } => out.push_str(&format!("Incomplete: {reason}\n")),
        }
        if let Some(t) = &self.trace {
            out.push_str(&t.to_text());
            out.push_str(&format!("{}\n\n", self.outcome.ending(t.len())));
        }
        out.push_str("coverage (action: times taken):\n");
        for (a, n) in &self.coverage {
            let note = if *n == 0 { "   <- never taken" } else { "" };
            out.push_str(&format!("  {a}: {n}{note}\n"));
        }
        out
    }
}

/// SplitMix64: small, seedable, and good enough to pick successors.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Runs `opts.runs` random behaviours of at most `opts.depth` steps each (on a thread with the
/// model's stack, see `panics`).
pub fn simulate<M: Model>(model: &M, opts: &SimulateOptions) -> SimulationReport {
    crate::panics::on_model_stack(|| simulate_here(model, opts))
}

fn simulate_here<M: Model>(model: &M, opts: &SimulateOptions) -> SimulationReport {
    struct All<'a, M: Model> {
        model: &'a M,
        out: Vec<(usize, StepLabel, M::State)>,
    }
    impl<M: Model> Sink<M::State> for All<'_, M> {
        fn step(&mut self, action: usize, params: Params<'_>, next: M::State) {
            let meta = &self.model.meta().actions[action];
            let label = StepLabel {
                action: meta.tla.to_string(),
                params: meta
                    .params
                    .iter()
                    .map(|p| p.to_string())
                    .zip(params())
                    .collect(),
            };
            self.out.push((action, label, next));
        }
    }

    let started = Instant::now();
    let meta = model.meta();
    let mut rng = Rng(opts.seed ^ 0x5eed_1a4b_0b7c_d00d);
    let mut coverage = vec![0u64; meta.actions.len()];
    let mut steps = 0;
    let mut outcome = Outcome::Ok;
    let mut trace = None;
    let mut runs_done = 0;

    let mut inits = Vec::new();
    if let Err(message) = run_model_code(|| model.init_states(&mut |s| inits.push(s))) {
        outcome = Outcome::ModelError {
            message: fault::in_role("init", &message),
        };
    } else if inits.is_empty() {
        outcome = Outcome::NoInitialState;
    }

    let bags = crate::network::bag_variables(model);
    'runs: for _ in 0..opts.runs {
        if inits.is_empty() || outcome != Outcome::Ok {
            break;
        }
        runs_done += 1;
        let mut state = inits[rng.below(inits.len())].clone();
        let mut path: Vec<(Option<StepLabel>, M::State)> = vec![(None, state.clone())];
        let to_trace = |path: &[(Option<StepLabel>, M::State)]| Trace {
            states: path
                .iter()
                .map(|(a, s)| TraceState {
                    action: a.clone(),
                    vars: model.render(s),
                })
                .collect(),
            failing_action: None,
            loop_start: None,
            bags: bags.clone(),
            abstract_states: crate::refinement::abstract_states(model, path.iter().map(|(_, s)| s)),
        };
        for _ in 0..=opts.depth {
            let verdict = run_model_code(|| {
                let broken = (0..meta.invariants.len()).find(|&i| !model.invariant(i, &state));
                // An initial state also meets the initial conditions of the step properties (a
                // refinement: it maps to an initial state of the abstract model).
                let initial = if path.len() == 1 {
                    (0..meta.step_properties.len()).find(|&i| !model.initial_property(i, &state))
                } else {
                    None
                };
                (broken, model.constraint(&state), initial)
            });
            match verdict {
                Err(message) => {
                    let role = fault::state_function(model, &state);
                    outcome = Outcome::ModelError {
                        message: fault::in_role(&role, &message),
                    };
                    trace = Some(to_trace(&path));
                    break 'runs;
                }
                Ok((Some(i), _, _)) => {
                    outcome = Outcome::InvariantViolated {
                        invariant: meta.invariants[i].tla.to_string(),
                    };
                    trace = Some(to_trace(&path));
                    break 'runs;
                }
                Ok((None, _, Some(i))) => {
                    outcome = Outcome::PropertyViolated {
                        property: meta.step_properties[i].tla.to_string(),
                    };
                    trace = Some(to_trace(&path));
                    break 'runs;
                }
                Ok((None, false, None)) => break,
                Ok((None, true, None)) => {}
            }
            if path.len() as u64 > opts.depth {
                break;
            }
            let mut sink = All {
                model,
                out: Vec::new(),
            };
            if let Err(message) = run_model_code(|| model.successors(&state, &mut sink)) {
                let mut t = to_trace(&path);
                t.failing_action = fault::failing_action(model, &state);
                outcome = Outcome::ModelError {
                    message: fault::in_role(
                        &fault::action_role(t.failing_action.as_ref()),
                        &message,
                    ),
                };
                trace = Some(t);
                break 'runs;
            }
            if sink.out.is_empty() {
                if meta.check_deadlock {
                    outcome = Outcome::Deadlock;
                    trace = Some(to_trace(&path));
                    break 'runs;
                }
                break;
            }
            let pick = rng.below(sink.out.len());
            let (action, label, next) = sink.out.swap_remove(pick);
            for i in 0..meta.step_properties.len() {
                let property = meta.step_properties[i].tla;
                outcome = match run_model_code(|| model.step_property(i, &state, &next)) {
                    Ok(true) => continue,
                    Ok(false) => Outcome::PropertyViolated {
                        property: property.to_string(),
                    },
                    Err(message) => Outcome::ModelError {
                        message: fault::in_role(&format!("step property {property}"), &message),
                    },
                };
                path.push((Some(label), next));
                trace = Some(to_trace(&path));
                break 'runs;
            }
            coverage[action] += 1;
            steps += 1;
            state = next;
            path.push((Some(label), state.clone()));
        }
    }

    SimulationReport {
        model: meta.name.to_string(),
        config: model.config_name().to_string(),
        outcome,
        runs: runs_done,
        steps,
        seed: opts.seed,
        seconds: started.elapsed().as_secs_f64(),
        coverage: meta
            .actions
            .iter()
            .map(|a| a.tla.to_string())
            .zip(coverage)
            .collect(),
        trace,
    }
}
