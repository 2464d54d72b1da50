//! lamport models as stateright models, so stateright's Explorer and checkers run on them.
//!
//! stateright's checkers are not used for lamport's verdicts (see `check`); this adapter exists
//! for its Explorer web UI and for cross-checking state counts against an independent search.

use crate::model::{Model, Params, Sink};
use crate::report::StepLabel;

/// Wraps a lamport [`Model`] as a [`stateright::Model`].
pub struct Stateright<M>(pub M);

/// A stateright action: the action instance's label and its position among the successors.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    pub label: String,
    pub ordinal: usize,
}

impl<M: Model> Stateright<M> {
    fn successors(&self, s: &M::State) -> Vec<(StepLabel, M::State)> {
        struct All<'a, M: Model>(&'a M, Vec<(StepLabel, M::State)>);
        impl<M: Model> Sink<M::State> for All<'_, M> {
            fn step(&mut self, action: usize, params: Params<'_>, next: M::State) {
                let meta = &self.0.meta().actions[action];
                let label = StepLabel {
                    action: meta.tla.to_string(),
                    params: meta
                        .params
                        .iter()
                        .map(|p| p.to_string())
                        .zip(params())
                        .collect(),
                };
                self.1.push((label, next));
            }
        }
        let mut sink = All(&self.0, Vec::new());
        self.0.successors(s, &mut sink);
        sink.1
    }
}

impl<M: Model + 'static> stateright::Model for Stateright<M> {
    type State = M::State;
    type Action = Step;

    fn init_states(&self) -> Vec<Self::State> {
        let mut out = Vec::new();
        self.0.init_states(&mut |s| out.push(s));
        out
    }

    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>) {
        for (ordinal, (label, _)) in self.successors(state).into_iter().enumerate() {
            actions.push(Step {
                label: label.to_string(),
                ordinal,
            });
        }
    }

    fn next_state(&self, last: &Self::State, action: Self::Action) -> Option<Self::State> {
        self.successors(last)
            .into_iter()
            .nth(action.ordinal)
            .map(|(_, s)| s)
    }

    fn properties(&self) -> Vec<stateright::Property<Self>> {
        self.0
            .meta()
            .invariants
            .iter()
            .enumerate()
            .map(|(i, inv)| {
                // stateright wants a plain fn pointer; dispatch on the name's position.
                stateright::Property::always(inv.tla, invariant_fn::<M>(i))
            })
            .collect()
    }

    fn within_boundary(&self, state: &Self::State) -> bool {
        self.0.constraint(state)
    }

    fn format_step(&self, last: &Self::State, action: Self::Action) -> Option<String> {
        self.next_state(last, action.clone()).map(|s| {
            let vars: Vec<String> = self
                .0
                .render(&s)
                .into_iter()
                .map(|v| format!("/\\ {} = {}", v.name, v.tla))
                .collect();
            format!("{}\n{}", action.label, vars.join("\n"))
        })
    }
}

fn invariant_fn<M: Model + 'static>(i: usize) -> fn(&Stateright<M>, &M::State) -> bool {
    macro_rules! nth {
        ($($n:literal)*) => {
            match i {
                $($n => |m: &Stateright<M>, s: &M::State| m.0.invariant($n, s),)*
                _ => panic!("the stateright adapter supports at most 16 invariants"),
            }
        };
    }
    nth!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
}
