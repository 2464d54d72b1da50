//! lamport models as stateright models, so stateright's Explorer and checkers run on them.
//!
//! stateright's checkers are not used for lamport's verdicts (see `check`); this adapter exists
//! for its Explorer web UI ([`Explorer`]) and for cross-checking state counts against an
//! independent search ([`Stateright`]).

use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::model::{Model, Params, Sink, VarValue};
use crate::report::StepLabel;

/// Wraps a lamport [`Model`] as a [`stateright::Model`].
pub struct Stateright<M>(pub M);

/// A stateright action: the action instance's label and its position among the successors.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Step {
    pub label: String,
    pub ordinal: usize,
}

/// As a trace shows it: `RMPrepare(r1)` (the Explorer lists actions by this).
impl std::fmt::Debug for Step {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

impl<M: Model> Stateright<M> {
    pub(crate) fn successors(&self, s: &M::State) -> Vec<(StepLabel, M::State)> {
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

/// Wraps a lamport [`Model`] for stateright's Explorer web UI, with states shown in lamport's
/// notation (the one traces use): `/\ rmState = (r1 :> "working" @@ ...)`, one line per
/// variable, and after a step the variables it changed marked with their old values.
///
/// ```no_run
/// # fn serve<M: lamport_core::Model + 'static>(model: M) {
/// use stateright::Model as _;
/// lamport_core::adapter::Explorer::new(model).checker().serve("127.0.0.1:3000");
/// # }
/// ```
pub struct Explorer<M>(Stateright<M>);

impl<M: Model> Explorer<M> {
    pub fn new(model: M) -> Explorer<M> {
        Explorer(Stateright(model))
    }

    /// Serves the Explorer on `address`; returns only if the server stops. stateright panics
    /// when it cannot listen there.
    pub fn serve(self, address: std::net::SocketAddr)
    where
        M: 'static,
    {
        use stateright::Model as _;
        self.checker().serve(address);
    }

    fn show(&self, state: M::State) -> Shown<M::State> {
        let vars = self.0 .0.render(&state);
        Shown {
            state,
            vars: vars.into(),
        }
    }
}

/// A state with its rendering, computed once: what the Explorer prints for it.
#[derive(Clone)]
pub struct Shown<S> {
    pub state: S,
    vars: Arc<[VarValue]>,
}

impl<S> Shown<S> {
    /// The state in lamport's notation, one `/\ name = value` line per variable.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for v in self.vars.iter() {
            let _ = writeln!(out, "/\\ {} = {}", v.name, v.tla);
        }
        out
    }
}

impl<S: Hash> Hash for Shown<S> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.state.hash(h);
    }
}

impl<S: PartialEq> PartialEq for Shown<S> {
    fn eq(&self, other: &Self) -> bool {
        self.state == other.state
    }
}

impl<S: Eq> Eq for Shown<S> {}

impl<S> std::fmt::Debug for Shown<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text())
    }
}

impl<M: Model + 'static> stateright::Model for Explorer<M> {
    type State = Shown<M::State>;
    type Action = Step;

    fn init_states(&self) -> Vec<Self::State> {
        let mut out = Vec::new();
        self.0 .0.init_states(&mut |s| out.push(s));
        out.into_iter().map(|s| self.show(s)).collect()
    }

    fn actions(&self, state: &Self::State, actions: &mut Vec<Self::Action>) {
        stateright::Model::actions(&self.0, &state.state, actions)
    }

    fn next_state(&self, last: &Self::State, action: Self::Action) -> Option<Self::State> {
        stateright::Model::next_state(&self.0, &last.state, action).map(|s| self.show(s))
    }

    fn properties(&self) -> Vec<stateright::Property<Self>> {
        self.0
             .0
            .meta()
            .invariants
            .iter()
            .enumerate()
            .map(|(i, inv)| stateright::Property::always(inv.tla, shown_invariant_fn::<M>(i)))
            .collect()
    }

    fn within_boundary(&self, state: &Self::State) -> bool {
        self.0 .0.constraint(&state.state)
    }

    /// The step as a trace shows it: the action, then every variable, the changed ones with
    /// their old values.
    fn format_step(&self, last: &Self::State, action: Self::Action) -> Option<String> {
        let label = action.label.clone();
        let next = self.next_state(last, action)?;
        let mut out = format!("{label}\n");
        for (v, old) in next.vars.iter().zip(last.vars.iter()) {
            if v.tla == old.tla {
                let _ = writeln!(out, "/\\ {} = {}", v.name, v.tla);
            } else {
                let _ = writeln!(out, "/\\ {} = {}    (was {})", v.name, v.tla, old.tla);
            }
        }
        Some(out)
    }
}

fn shown_invariant_fn<M: Model + 'static>(i: usize) -> fn(&Explorer<M>, &Shown<M::State>) -> bool {
    macro_rules! nth {
        ($($n:literal)*) => {
            match i {
                $($n => |m: &Explorer<M>, s: &Shown<M::State>| m.0 .0.invariant($n, &s.state),)*
                _ => panic!("the stateright adapter supports at most 16 invariants"),
            }
        };
    }
    nth!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
}
