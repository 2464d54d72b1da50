//! The one report type of a check or a simulation, and counterexample traces.

use std::fmt::Write as _;

use serde_json::json;

use crate::model::VarValue;

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every reachable state was explored and every invariant holds (no deadlock, when checked).
    Ok,
    /// An invariant is false in a reachable state.
    InvariantViolated { invariant: String },
    /// A step violates a property of steps (`[][P]_vars`).
    PropertyViolated { property: String },
    /// A fair behaviour violates a temporal property (the trace is a lasso).
    LivenessViolated { property: String },
    /// The search was complete and no reachable state satisfies a `#[reachable]` condition.
    Unreachable { property: String },
    /// A reachable state has no successor and deadlock is checked.
    Deadlock,
    /// Model code panicked while evaluating a state (as TLC reports an evaluation error).
    ModelError { message: String },
    /// The initial predicate holds in no state (`init` rejects every combination): a model
    /// without states proves nothing.
    NoInitialState,
    /// A bound was hit before the state space was exhausted: never a pass.
    Incomplete { reason: String },
}

impl Outcome {
    /// The `outcome` field of the JSON report.
    pub fn keyword(&self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::InvariantViolated { .. }
            | Outcome::PropertyViolated { .. }
            | Outcome::LivenessViolated { .. } => "violation",
            Outcome::Unreachable { .. } => "unreachable",
            Outcome::Deadlock => "deadlock",
            Outcome::ModelError { .. } => "model_error",
            Outcome::NoInitialState => "no_initial_state",
            Outcome::Incomplete { .. } => "incomplete",
        }
    }

    /// The line that ends a counterexample of `states` states: what was violated, and where.
    pub fn ending(&self, states: usize) -> String {
        match self {
            Outcome::InvariantViolated { invariant } => {
                format!("Invariant {invariant} is violated in state {states}.")
            }
            Outcome::PropertyViolated { property } => {
                format!("Step property {property} is violated by the step to state {states}.")
            }
            Outcome::LivenessViolated { property } => format!(
                "Temporal property {property} is violated by this behaviour (it repeats forever as shown)."
            ),
            Outcome::Deadlock => format!("Deadlock: state {states} has no successor."),
            Outcome::ModelError { message } => {
                format!("Model error after state {states}: {message}")
            }
            Outcome::Ok => "No error.".into(),
            Outcome::NoInitialState => NO_INITIAL_STATE.into(),
            Outcome::Unreachable { property } => {
                format!("No reachable state satisfies {property}.")
            }
            Outcome::Incomplete { reason } => format!("Incomplete: {reason}."),
        }
    }

    /// The process exit status of the command-line runner (DESIGN §5).
    pub fn exit_code(&self) -> u8 {
        match self {
            Outcome::Ok => 0,
            Outcome::InvariantViolated { .. }
            | Outcome::PropertyViolated { .. }
            | Outcome::LivenessViolated { .. }
            | Outcome::Unreachable { .. }
            | Outcome::Deadlock
            | Outcome::ModelError { .. }
            | Outcome::NoInitialState => 1,
            Outcome::Incomplete { .. } => 3,
        }
    }
}

/// What a report says when the model has no initial state.
pub const NO_INITIAL_STATE: &str =
    "No initial state: init rejects every combination of its parameters (every `require!` or domain empty), so nothing was checked.";

/// One state of a trace, with the step that reached it.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceState {
    /// `None` for the initial state.
    pub action: Option<StepLabel>,
    pub vars: Vec<VarValue>,
}

/// An action instance: its TLA+ name and rendered parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepLabel {
    pub action: String,
    /// `(parameter name, rendered value)`.
    pub params: Vec<(String, String)>,
}

impl std::fmt::Display for StepLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.action)?;
        if !self.params.is_empty() {
            let vals: Vec<&str> = self.params.iter().map(|(_, v)| v.as_str()).collect();
            write!(f, "({})", vals.join(", "))?;
        }
        Ok(())
    }
}

/// A behaviour from an initial state to the state where something went wrong.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Trace {
    pub states: Vec<TraceState>,
    /// For a model error: the action instance that was being evaluated when the code panicked.
    pub failing_action: Option<StepLabel>,
    /// For a liveness violation, a lasso: the (0-based) state the last state steps back to,
    /// forever. The last state itself means the behaviour stutters there.
    pub loop_start: Option<usize>,
    /// TLA+ names of the variables that are bags (the model's network, when it declares one
    /// of type `Map<Msg, integer>`): their changes read as copies added and removed.
    pub bags: Vec<String>,
    /// For a model that refines others (`#[refines(..)]`): beside each state (same index), the
    /// abstract states it maps to, as `(V!name, value)`; empty otherwise.
    pub abstract_states: Vec<Vec<(String, String)>>,
}

impl Trace {
    /// Number of states (TLC's convention: 6 states for 5 steps).
    pub fn len(&self) -> usize {
        self.states.len()
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty()
    }

    /// A TLC-like text rendering: every variable of the initial state, then per step the action
    /// with its parameters and what it changed, at the level of map entries, set and bag
    /// elements and sequence ends ([`crate::diff`]).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<&TraceState> = None;
        for (i, st) in self.states.iter().enumerate() {
            match (&st.action, prev) {
                (None, _) | (_, None) => {
                    let _ = writeln!(out, "State {}: <Initial predicate>", i + 1);
                    for v in &st.vars {
                        let _ = writeln!(out, "/\\ {} = {}", v.name, v.tla);
                    }
                }
                (Some(label), Some(p)) => {
                    let _ = writeln!(out, "State {}: <{}>", i + 1, label);
                    let mut changed = 0;
                    for line in self.step_changes(p, st) {
                        changed += 1;
                        let _ = writeln!(out, "  {line}");
                    }
                    if changed == 0 {
                        let _ = writeln!(out, "  (no variable changed)");
                    }
                }
            }
            self.abstract_text(i, &mut out);
            out.push('\n');
            prev = Some(st);
        }
        if let Some(label) = &self.failing_action {
            let _ = writeln!(
                out,
                "while evaluating <{label}> in state {}",
                self.states.len()
            );
        }
        if let Some(k) = self.loop_start {
            if k + 1 == self.states.len() {
                let _ = writeln!(out, "State {}: Stuttering", self.states.len() + 1);
            } else {
                let _ = writeln!(
                    out,
                    "Back to state {}: the behaviour repeats from there",
                    k + 1
                );
            }
        }
        out
    }

    /// The abstract state beside state `i` (a refinement's mapping), as TLA+ comments: every
    /// abstract variable at the first state, then those the step changed, or that it is a
    /// stutter of the abstract model.
    fn abstract_text(&self, i: usize, out: &mut String) {
        let Some(now) = self.abstract_states.get(i).filter(|a| !a.is_empty()) else {
            return;
        };
        let before = i.checked_sub(1).and_then(|k| self.abstract_states.get(k));
        let mut changed = 0;
        for (name, value) in now {
            let same = before.is_some_and(|b| b.iter().any(|(n, v)| n == name && v == value));
            if !same {
                changed += 1;
                let _ = writeln!(out, "  \\* {name} = {value}");
            }
        }
        if changed == 0 {
            let _ = writeln!(out, "  \\* (the abstract state does not change: a stutter)");
        }
    }

    /// What the step from `before` to `after` changed, one line per map entry, element or
    /// whole value (see [`crate::diff`]).
    pub fn step_changes(&self, before: &TraceState, after: &TraceState) -> Vec<String> {
        after
            .vars
            .iter()
            .zip(&before.vars)
            .flat_map(|(v, old)| {
                let bag = self.bags.iter().any(|b| b == v.name);
                crate::diff::diff_lines(v.name, &old.tla, &v.tla, bag)
            })
            .collect()
    }

    /// The trace in the ITF JSON format.
    pub fn to_itf(&self, description: &str) -> serde_json::Value {
        let vars: Vec<&str> = self
            .states
            .first()
            .map(|s| s.vars.iter().map(|v| v.name).collect())
            .unwrap_or_default();
        let states: Vec<serde_json::Value> = self
            .states
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let mut obj = serde_json::Map::new();
                let mut meta = serde_json::Map::new();
                meta.insert("index".into(), json!(i));
                if let Some(label) = &st.action {
                    meta.insert("action".into(), json!(label.to_string()));
                }
                obj.insert("#meta".into(), serde_json::Value::Object(meta));
                for v in &st.vars {
                    obj.insert(v.name.to_string(), v.itf.clone());
                }
                serde_json::Value::Object(obj)
            })
            .collect();
        let mut itf = json!({
            "#meta": { "format": "ITF", "source": "lamport", "description": description },
            "vars": vars,
            "states": states,
        });
        if let Some(k) = self.loop_start {
            itf["loop"] = json!(k);
        }
        itf
    }
}

/// The result of a model check.
#[derive(Clone, Debug)]
pub struct Report {
    pub model: String,
    pub config: String,
    pub outcome: Outcome,
    /// States found that satisfy the constraints (TLC's "distinct states found").
    pub distinct_states: u64,
    /// Initial states plus every successor computed, duplicates included (TLC's "states generated").
    pub generated_states: u64,
    /// The largest breadth-first level reached; an initial state has depth 1.
    pub depth: u64,
    pub seconds: f64,
    pub threads: usize,
    /// Peak resident memory of the process, where the platform reports it.
    pub peak_memory_bytes: Option<u64>,
    /// The most bytes the check kept on disk at once (levels and trace records past the
    /// memory they may take; see `CheckOptions::spill_after`).
    pub disk_peak_bytes: u64,
    /// The counterexample, for a violation, deadlock or model error.
    pub trace: Option<Trace>,
    /// Each temporal property (per instance of its parameters) and its verdict.
    pub liveness: Vec<crate::liveness::LivenessResult>,
    /// The invariants violated by initial states (for each such state, the first invariant in
    /// declaration order it violates), in the order the states were generated. The reported
    /// violation is the first; TLC, which orders initial states its own way, may report another
    /// of these (see `equivalence`).
    pub initial_invariant_violations: Vec<String>,
}

impl Report {
    /// Distinct states per second of wall time.
    pub fn states_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.distinct_states as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// Generated states per second of wall time.
    pub fn generated_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.generated_states as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// The name of the violated invariant or step property, if any.
    pub fn violated_invariant(&self) -> Option<&str> {
        match &self.outcome {
            Outcome::InvariantViolated { invariant } => Some(invariant),
            Outcome::PropertyViolated { property } => Some(property),
            Outcome::LivenessViolated { property } => Some(property),
            _ => None,
        }
    }

    /// Panics (with the report) unless every state was explored and everything held.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        if self.outcome != Outcome::Ok {
            panic!("expected the check to pass, got:\n{}", self.to_text());
        }
        self
    }

    /// Panics unless the run explored exactly these numbers (TLC's three figures).
    #[track_caller]
    pub fn assert_counts(&self, distinct: u64, generated: u64, depth: u64) -> &Self {
        let got = (self.distinct_states, self.generated_states, self.depth);
        if got != (distinct, generated, depth) {
            panic!(
                "expected distinct/generated/depth = {distinct}/{generated}/{depth}, got {}/{}/{}\n{}",
                got.0,
                got.1,
                got.2,
                self.to_text()
            );
        }
        self
    }

    /// Panics unless `invariant` was violated with a counterexample of `trace_len` states.
    #[track_caller]
    pub fn assert_violation(&self, invariant: &str, trace_len: usize) -> &Self {
        let ok = self.violated_invariant() == Some(invariant)
            && self.trace.as_ref().map(Trace::len) == Some(trace_len);
        if !ok {
            panic!(
                "expected invariant {invariant} violated with a trace of {trace_len} states, got:\n{}",
                self.to_text()
            );
        }
        self
    }

    /// Panics unless a deadlock was found with a trace of `trace_len` states.
    #[track_caller]
    pub fn assert_deadlock(&self, trace_len: usize) -> &Self {
        let ok = self.outcome == Outcome::Deadlock
            && self.trace.as_ref().map(Trace::len) == Some(trace_len);
        if !ok {
            panic!(
                "expected a deadlock after {trace_len} states, got:\n{}",
                self.to_text()
            );
        }
        self
    }

    /// A human-readable summary, with the trace when there is one.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "model {} (configuration {})", self.model, self.config);
        match &self.outcome {
            Outcome::Ok => {
                let _ = writeln!(out, "Model checking completed. No error has been found.");
            }
            Outcome::InvariantViolated { invariant } => {
                let _ = writeln!(out, "Error: Invariant {invariant} is violated.");
            }
            Outcome::PropertyViolated { property } => {
                let _ = writeln!(out, "Error: Action property {property} is violated.");
            }
            Outcome::LivenessViolated { property } => {
                let _ = writeln!(out, "Error: Temporal property {property} is violated.");
            }
            Outcome::Unreachable { property } => {
                let _ = writeln!(out, "Error: no reachable state satisfies {property}.");
            }
            Outcome::Deadlock => {
                let _ = writeln!(out, "Error: Deadlock reached.");
            }
            Outcome::ModelError { message } => {
                let _ = writeln!(out, "Error: model code panicked {message}");
            }
            Outcome::NoInitialState => {
                let _ = writeln!(out, "Error: {NO_INITIAL_STATE}");
            }
            Outcome::Incomplete { reason } => {
                let _ = writeln!(
                    out,
                    "Incomplete: {reason}. The state space was NOT exhausted."
                );
            }
        }
        for l in &self.liveness {
            let status = match &l.status {
                crate::liveness::LivenessStatus::Holds => "holds".to_string(),
                crate::liveness::LivenessStatus::Violated => "VIOLATED".to_string(),
                crate::liveness::LivenessStatus::NotChecked(why) => format!("not checked: {why}"),
            };
            let _ = writeln!(out, "Temporal property {}: {status}", l.property);
        }
        if let Some(trace) = &self.trace {
            if trace.loop_start.is_some() {
                let _ = writeln!(
                    out,
                    "Error: The following behavior constitutes a counter-example:"
                );
            } else {
                let _ = writeln!(out, "Error: The behavior up to this point is:");
            }
            out.push_str(&trace.to_text());
            let _ = writeln!(out, "{}\n", self.outcome.ending(trace.len()));
        }
        let _ = writeln!(
            out,
            "{} states generated, {} distinct states found.",
            self.generated_states, self.distinct_states
        );
        let _ = writeln!(
            out,
            "The depth of the complete state graph search is {}.",
            self.depth
        );
        let _ = writeln!(
            out,
            "{:.3} s with {} thread(s): {:.0} distinct states/s, {:.0} generated states/s",
            self.seconds,
            self.threads,
            self.states_per_second(),
            self.generated_per_second()
        );
        if let Some(line) = self.memory_line() {
            let _ = writeln!(out, "{line}");
        }
        out
    }

    /// Peak memory, and per distinct state: `Peak memory 97.3 MB (58 bytes per distinct state).`
    pub fn memory_line(&self) -> Option<String> {
        let peak = self.peak_memory_bytes?;
        let per_state = match self.distinct_states {
            0 => String::new(),
            n => format!(" ({} bytes per distinct state)", peak / n),
        };
        Some(format!("Peak memory {}{per_state}.", format_bytes(peak)))
    }

    /// The JSON report printed by `check --json`.
    pub fn to_json(&self) -> serde_json::Value {
        let mut obj = json!({
            "model": self.model,
            "config": self.config,
            "outcome": self.outcome.keyword(),
            "distinct_states": self.distinct_states,
            "generated_states": self.generated_states,
            "depth": self.depth,
            "seconds": self.seconds,
            "states_per_second": self.states_per_second(),
            "generated_per_second": self.generated_per_second(),
            "threads": self.threads,
            "peak_memory_bytes": self.peak_memory_bytes,
            "disk_bytes": self.disk_peak_bytes,
        });
        let map = obj.as_object_mut().expect("object");
        match &self.outcome {
            Outcome::InvariantViolated { invariant } => {
                map.insert("property".into(), json!(invariant));
            }
            Outcome::PropertyViolated { property }
            | Outcome::LivenessViolated { property }
            | Outcome::Unreachable { property } => {
                map.insert("property".into(), json!(property));
            }
            Outcome::ModelError { message } => {
                map.insert("error".into(), json!(message));
            }
            Outcome::Incomplete { reason } => {
                map.insert("reason".into(), json!(reason));
            }
            _ => {}
        }
        if !self.liveness.is_empty() {
            let props: Vec<serde_json::Value> = self
                .liveness
                .iter()
                .map(|r| {
                    let (status, why) = match &r.status {
                        crate::liveness::LivenessStatus::Holds => ("holds", None),
                        crate::liveness::LivenessStatus::Violated => ("violated", None),
                        crate::liveness::LivenessStatus::NotChecked(w) => ("not_checked", Some(w)),
                    };
                    json!({ "property": r.property, "status": status, "reason": why })
                })
                .collect();
            map.insert("liveness".into(), json!(props));
        }
        if let Some(trace) = &self.trace {
            map.insert(
                "counterexample".into(),
                json!({
                    "length": trace.len(),
                    "text": trace.to_text(),
                    "itf": trace.to_itf(&format!("{} {}", self.model, self.outcome.keyword())),
                }),
            );
        }
        obj
    }
}

/// `97.3 MB` (decimal units, as `--max-memory` reads them).
pub fn format_bytes(n: u64) -> String {
    let n = n as f64;
    if n >= 1e9 {
        format!("{:.2} GB", n / 1e9)
    } else if n >= 1e6 {
        format!("{:.1} MB", n / 1e6)
    } else if n >= 1e3 {
        format!("{:.1} kB", n / 1e3)
    } else {
        format!("{n} bytes")
    }
}

/// Peak resident set size of this process (Linux), in bytes.
pub fn peak_memory_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}
