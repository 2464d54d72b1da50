//! Reports: the first error as an outcome and a trace, rebuilt by re-executing the model from
//! an initial state along the fingerprints of the recorded parents (as TLC rebuilds traces).

use crate::fault;
use crate::liveness;
use crate::model::{Model, Params, Sink};
use crate::panics::run_model_code;
use crate::report::{Outcome, StepLabel, Trace, TraceState};

use super::events::{EventKind, Role};
use super::store::{Nodes, NO_PARENT};

/// Turns the first error into an outcome and a trace.
pub(crate) fn explain<M: Model>(
    model: &M,
    nodes: &Nodes,
    fp_of: &impl Fn(&M::State) -> u64,
    kind: EventKind<M::State>,
) -> (Outcome, Trace) {
    let meta = model.meta();
    match kind {
        EventKind::Invariant {
            index,
            parent,
            state,
        } => {
            let mut trace = match parent {
                Some(p) => trace_to(model, nodes, fp_of, p),
                None => Trace::default(),
            };
            let fp = fp_of(&state);
            let label = match trace.states.is_empty() {
                true => None,
                false => step_label_to(model, nodes, fp_of, parent.expect("parent"), fp),
            };
            trace.states.push(TraceState {
                action: label,
                vars: model.render(&state),
            });
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            (
                Outcome::InvariantViolated {
                    invariant: meta.invariants[index].tla.to_string(),
                },
                trace,
            )
        }
        EventKind::Step {
            index,
            parent,
            state,
        } => {
            let mut trace = trace_to(model, nodes, fp_of, parent);
            let label = step_label_to(model, nodes, fp_of, parent, fp_of(&state));
            trace.states.push(TraceState {
                action: label,
                vars: model.render(&state),
            });
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            let property = meta.step_properties[index].tla.to_string();
            (Outcome::PropertyViolated { property }, trace)
        }
        EventKind::InitialStep { index, state } => {
            let mut trace = Trace {
                states: vec![TraceState {
                    action: None,
                    vars: model.render(&state),
                }],
                ..Trace::default()
            };
            crate::refinement::push_abstract_state(model, &mut trace, &state);
            let property = meta.step_properties[index].tla.to_string();
            (Outcome::PropertyViolated { property }, trace)
        }
        EventKind::Deadlock { node } => (Outcome::Deadlock, trace_to(model, nodes, fp_of, node)),
        EventKind::Panic {
            node,
            state,
            message,
            role,
        } => {
            let mut trace = match node {
                Some(n) => trace_to(model, nodes, fp_of, n),
                None => Trace::default(),
            };
            let role = match (role, &state) {
                (Role::Known(r), _) => r,
                (Role::StateFunctions, Some(s)) => fault::state_function(model, s),
                (Role::Reachables, Some(s)) => fault::reachable_function(model, s),
                // Panicked computing the successors of the last state: find the action.
                _ => {
                    let last = node.map(|n| rebuild(model, nodes, fp_of, n));
                    if let Some(last) = last.as_ref().and_then(|l| l.last()) {
                        trace.failing_action = fault::failing_action(model, &last.1);
                    }
                    fault::action_role(trace.failing_action.as_ref())
                }
            };
            // Panicked evaluating a function of `state` (reached from node `node`).
            if let Some(s) = state {
                let label = node.and_then(|n| step_label_to(model, nodes, fp_of, n, fp_of(&s)));
                trace.states.push(TraceState {
                    action: label,
                    vars: model.render(&s),
                });
            }
            let message = fault::in_role(&role, &message);
            (Outcome::ModelError { message }, trace)
        }
    }
}

/// The states from an initial state to node `id`, with the steps between them.
fn rebuild<M: Model>(
    model: &M,
    nodes: &Nodes,
    fp_of: &impl Fn(&M::State) -> u64,
    id: u32,
) -> Vec<(Option<StepLabel>, M::State)> {
    let mut chain = Vec::new();
    let mut cur = id;
    loop {
        let (fp, parent) = nodes.get(cur);
        chain.push(fp);
        if parent == NO_PARENT {
            break;
        }
        cur = parent;
    }
    chain.reverse();

    let mut out: Vec<(Option<StepLabel>, M::State)> = Vec::new();
    let mut first = None;
    let _ = run_model_code(|| {
        model.init_states(&mut |s| {
            if first.is_none() && fp_of(&s) == chain[0] {
                first = Some(s);
            }
        })
    });
    out.push((
        None,
        first.expect("an initial state with the recorded fingerprint"),
    ));
    for &fp in &chain[1..] {
        let prev = &out.last().expect("non-empty").1;
        let found = find_successor(model, prev, fp_of, fp)
            .expect("a successor with the recorded fingerprint");
        out.push((Some(found.0), found.1));
    }
    out
}

fn find_successor<M: Model>(
    model: &M,
    state: &M::State,
    fp_of: &impl Fn(&M::State) -> u64,
    target: u64,
) -> Option<(StepLabel, M::State)> {
    struct Find<'a, M: Model, F> {
        model: &'a M,
        fp_of: &'a F,
        target: u64,
        found: Option<(StepLabel, M::State)>,
    }
    impl<M: Model, F: Fn(&M::State) -> u64> Sink<M::State> for Find<'_, M, F> {
        fn step(&mut self, action: usize, params: Params<'_>, next: M::State) {
            if self.found.is_none() && (self.fp_of)(&next) == self.target {
                self.found = Some((fault::label(self.model, action, params), next));
            }
        }
    }
    let mut sink = Find {
        model,
        fp_of,
        target,
        found: None,
    };
    let _ = run_model_code(|| model.successors(state, &mut sink));
    sink.found
}

fn trace_to<M: Model>(
    model: &M,
    nodes: &Nodes,
    fp_of: &impl Fn(&M::State) -> u64,
    id: u32,
) -> Trace {
    let path = rebuild(model, nodes, fp_of, id);
    let abstract_states = crate::refinement::abstract_states(model, path.iter().map(|(_, s)| s));
    let states = path
        .into_iter()
        .map(|(action, s)| TraceState {
            action,
            vars: model.render(&s),
        })
        .collect();
    Trace {
        states,
        failing_action: None,
        loop_start: None,
        bags: crate::network::bag_variables(model),
        abstract_states,
    }
}

fn step_label_to<M: Model>(
    model: &M,
    nodes: &Nodes,
    fp_of: &impl Fn(&M::State) -> u64,
    parent: u32,
    fp: u64,
) -> Option<StepLabel> {
    let last = rebuild(model, nodes, fp_of, parent).pop()?;
    find_successor(model, &last.1, fp_of, fp).map(|(l, _)| l)
}

/// The states of a lasso, re-executed from an initial state.
pub(crate) fn lasso_trace<M: Model>(
    model: &M,
    nodes: &Nodes,
    fp_of: &impl Fn(&M::State) -> u64,
    lasso: &liveness::Lasso,
) -> Trace {
    let path: Vec<u64> = lasso
        .prefix
        .iter()
        .chain(&lasso.cycle)
        .map(|&n| nodes.get(n).0)
        .collect();
    let mut first = None;
    let _ = run_model_code(|| {
        model.init_states(&mut |s| {
            if first.is_none() && fp_of(&s) == path[0] {
                first = Some(s);
            }
        })
    });
    let mut states: Vec<(Option<StepLabel>, M::State)> = vec![(
        None,
        first.expect("an initial state with the recorded fingerprint"),
    )];
    for &fp in &path[1..] {
        let prev = &states.last().expect("non-empty").1;
        let (label, next) = find_successor(model, prev, fp_of, fp)
            .expect("a successor with the recorded fingerprint");
        states.push((Some(label), next));
    }
    Trace {
        abstract_states: crate::refinement::abstract_states(model, states.iter().map(|(_, s)| s)),
        states: states
            .into_iter()
            .map(|(action, s)| TraceState {
                action,
                vars: model.render(&s),
            })
            .collect(),
        failing_action: None,
        loop_start: Some(lasso.prefix.len() - 1),
        bags: crate::network::bag_variables(model),
    }
}
