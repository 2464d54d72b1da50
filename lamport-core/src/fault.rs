//! Naming the model function whose code panicked.
//!
//! The search evaluates several functions of a state in one protected call (its invariants,
//! its constraints) and pays nothing for naming them while nothing goes wrong. When the call
//! panics, the functions are evaluated again one at a time, in the same order: model code is
//! deterministic, so the first that panics is the one that did.

use crate::model::{Model, Params, Sink};
use crate::panics::run_model_code;
use crate::report::StepLabel;

/// `in invariant TCConsistent: <message>`: the text of a model error.
pub(crate) fn in_role(role: &str, message: &str) -> String {
    format!("in {role}: {message}")
}

/// The constraint or invariant of `s` whose code panics (constraints are evaluated first, as
/// the search does).
pub(crate) fn state_function<M: Model>(model: &M, s: &M::State) -> String {
    let meta = model.meta();
    if run_model_code(|| model.constraint(s)).is_err() {
        let one = (0..meta.constraints.len())
            .find(|&i| run_model_code(|| model.constraint_at(i, s)).is_err());
        return match one {
            Some(i) => format!("state constraint {}", meta.constraints[i].tla),
            None if meta.constraints.len() == 1 => {
                format!("state constraint {}", meta.constraints[0].tla)
            }
            None => "a state constraint".to_string(),
        };
    }
    match (0..meta.invariants.len()).find(|&i| run_model_code(|| model.invariant(i, s)).is_err()) {
        Some(i) => format!("invariant {}", meta.invariants[i].tla),
        None => "an invariant or constraint".to_string(),
    }
}

/// The reachability condition of `s` whose code panics.
pub(crate) fn reachable_function<M: Model>(model: &M, s: &M::State) -> String {
    let meta = model.meta();
    match (0..meta.reachables.len()).find(|&i| run_model_code(|| model.reachable(i, s)).is_err()) {
        Some(i) => format!("reachability condition {}", meta.reachables[i].tla),
        None => "a reachability condition".to_string(),
    }
}

/// The action instance whose code panics when the successors of `state` are computed.
pub(crate) fn failing_action<M: Model>(model: &M, state: &M::State) -> Option<StepLabel> {
    struct Diag<'a, M: Model> {
        model: &'a M,
        current: Option<StepLabel>,
    }
    impl<M: Model> Sink<M::State> for Diag<'_, M> {
        fn enter(&mut self, action: usize, params: Params<'_>) {
            self.current = Some(label(self.model, action, params));
        }
        fn step(&mut self, _: usize, _: Params<'_>, _: M::State) {}
    }
    let mut sink = Diag {
        model,
        current: None,
    };
    match run_model_code(|| model.successors(state, &mut sink)) {
        Err(_) => sink.current,
        Ok(()) => None,
    }
}

/// The label of an action instance: its TLA+ name and rendered parameters.
pub(crate) fn label<M: Model>(model: &M, action: usize, params: Params<'_>) -> StepLabel {
    let meta = &model.meta().actions[action];
    StepLabel {
        action: meta.tla.to_string(),
        params: meta
            .params
            .iter()
            .map(|p| p.to_string())
            .zip(params())
            .collect(),
    }
}

/// `action AddThree`, or `the actions` when none was entered yet (a parameter's domain).
pub(crate) fn action_role(label: Option<&StepLabel>) -> String {
    match label {
        Some(l) => format!("action {l}"),
        None => "the actions' parameter domains".to_string(),
    }
}
