//! Refinement: a model implements another (abstract) model under a mapping from its state and
//! constants to the abstract model's, as `Spec => A!Spec` in TLA+.
//!
//! The concrete model computes each abstract variable and constant in its own types (a state
//! variable, a constant or a helper of the same name, or the one `#[refines(..)]` names); the
//! value crosses to the abstract model's types through its one TLA+ rendering
//! ([`Value::from_tla`](crate::Value::from_tla)), so the two models share no Rust types, exactly
//! as two TLA+ modules share only values.
//!
//! The check runs inside the concrete model's search: every initial state must map to an initial
//! state of the abstract model, and every step to a step of one of its action instances or to a
//! stutter (the same abstract state). The abstract successors of each abstract state are
//! computed once and kept.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::model::{FairInstance, Model, Params, Sink};
use crate::tla_value::TlaValue;

/// Reads one abstract variable or constant, by its Rust name, as the concrete model maps it.
pub type Getter<'a> = &'a dyn Fn(&str) -> Result<TlaValue, String>;

/// Builds a value of the abstract model's types (its state or its constants) from its fields.
pub type Build<T> = fn(Getter<'_>) -> Result<T, String>;

/// The value of a mapped expression as a TLA+ value (the form in which it crosses models).
pub fn tla_value<T: crate::Value>(v: &T) -> TlaValue {
    let text = v.tla();
    TlaValue::parse(&text)
        .unwrap_or_else(|| panic!("lamport cannot read back its own rendering `{text}`"))
}

/// One refinement of a concrete model: the abstract model (built for the mapped constants), its
/// initial states, and its successors per abstract state, computed on demand.
pub struct Refinement<A: Model> {
    /// The abstract model, bound to the mapped constants.
    pub target: A,
    /// The TLA+ name of the instance (`V` in `V == INSTANCE Voting`).
    pub instance: String,
    build_state: Build<A::State>,
    init: HashSet<A::State>,
    successors: Mutex<SuccessorCache<A::State>>,
    /// The abstract model's fairness conditions (for its configuration).
    fairness: Vec<FairInstance>,
    /// Per abstract state met so far: its successors (other than itself), each with the
    /// fairness conditions whose action produces it.
    fair_steps: Mutex<FairCache<A::State>>,
}

/// Per abstract state, its successors other than itself, each with one flag per fairness
/// condition of the abstract model (whether an instance of the condition's action leads there).
type FairCache<S> = hashbrown::HashMap<S, Arc<Vec<(S, Vec<bool>)>>>;

/// Whether an abstract step by `action` with parameters rendered by `param` is a step of
/// fairness condition `f`.
fn is_step_of(f: &FairInstance, action: usize, param: &mut dyn FnMut(usize) -> String) -> bool {
    // A condition on a group of actions (`fair!(a | b)`) is taken by a step of any member.
    f.members()
        .any(|(a, per)| a == action && per.iter().all(|(pos, v)| param(*pos) == *v))
}

struct CollectFair<'a, S> {
    from: &'a S,
    fairness: &'a [FairInstance],
    out: &'a mut Vec<(S, Vec<bool>)>,
}

impl<S: Eq + Clone> Sink<S> for CollectFair<'_, S> {
    fn step(&mut self, action: usize, params: Params<'_>, next: S) {
        if next == *self.from {
            return;
        }
        let mut rendered: Option<Vec<String>> = None;
        let flags = self
            .fairness
            .iter()
            .map(|f| {
                is_step_of(f, action, &mut |k| {
                    rendered.get_or_insert_with(params)[k].clone()
                })
            })
            .collect();
        self.out.push((next, flags));
    }
}

/// The abstract successors of each abstract state met so far.
type SuccessorCache<S> = hashbrown::HashMap<S, Arc<HashSet<S>>>;

struct Collect<'a, S>(&'a mut HashSet<S>);

impl<S: Eq + std::hash::Hash> Sink<S> for Collect<'_, S> {
    fn step(&mut self, _action: usize, _params: Params<'_>, next: S) {
        self.0.insert(next);
    }
}

impl<A: Model> Refinement<A> {
    /// The refinement into `target`, whose states `build_state` makes from their variables.
    pub fn new(target: A, instance: &str, build_state: Build<A::State>) -> Self {
        let mut init = HashSet::new();
        target.init_states(&mut |s| {
            init.insert(s);
        });
        let fairness = target.fairness();
        Refinement {
            target,
            fairness,
            fair_steps: Mutex::new(hashbrown::HashMap::new()),
            instance: instance.to_string(),
            build_state,
            init,
            successors: Mutex::new(hashbrown::HashMap::new()),
        }
    }

    /// The name of the property a violation is reported under (`V!Spec`).
    pub fn property(&self) -> String {
        format!("{}!Spec", self.instance)
    }

    /// The abstract state a concrete state maps to.
    pub fn map(&self, get: Getter<'_>) -> A::State {
        (self.build_state)(get).unwrap_or_else(|e| {
            panic!(
                "the refinement mapping to {} does not give a state of {}: {e}",
                self.instance,
                self.target.meta().module
            )
        })
    }

    /// Whether a concrete initial state maps to an initial state of the abstract model.
    pub fn initial(&self, get: Getter<'_>) -> bool {
        self.init.contains(&self.map(get))
    }

    /// Whether a concrete step maps to a stutter or to a step of the abstract model.
    pub fn step(&self, from: Getter<'_>, to: Getter<'_>) -> bool {
        let a = self.map(from);
        let b = self.map(to);
        if a == b {
            return true;
        }
        self.abstract_successors(&a).contains(&b)
    }

    fn abstract_successors(&self, a: &A::State) -> Arc<HashSet<A::State>> {
        if let Some(found) = self.successors.lock().unwrap().get(a) {
            return found.clone();
        }
        let mut out = HashSet::new();
        self.target.successors(a, &mut Collect(&mut out));
        let out = Arc::new(out);
        self.successors
            .lock()
            .unwrap()
            .insert(a.clone(), out.clone());
        out
    }

    /// The abstract model's fairness conditions, as `(V!WF_vars(A), strong)`.
    pub fn fairness_names(&self) -> Vec<(String, bool)> {
        let meta = self.target.meta();
        self.fairness
            .iter()
            .map(|f| (format!("{}!{}", self.instance, f.describe(meta)), f.strong))
            .collect()
    }

    fn fair_steps(&self, a: &A::State) -> Arc<Vec<(A::State, Vec<bool>)>> {
        if let Some(found) = self.fair_steps.lock().unwrap().get(a) {
            return found.clone();
        }
        let mut out = Vec::new();
        self.target.successors(
            a,
            &mut CollectFair {
                from: a,
                fairness: &self.fairness,
                out: &mut out,
            },
        );
        let out = Arc::new(out);
        self.fair_steps
            .lock()
            .unwrap()
            .insert(a.clone(), out.clone());
        out
    }

    /// Per fairness condition of the abstract model: whether its action is enabled (a step that
    /// changes the abstract state) in the abstract state the concrete one maps to.
    pub fn fair_enabled(&self, get: Getter<'_>, out: &mut Vec<bool>) {
        let steps = self.fair_steps(&self.map(get));
        out.extend((0..self.fairness.len()).map(|i| steps.iter().any(|(_, f)| f[i])));
    }

    /// Per fairness condition of the abstract model: whether the concrete step maps to a step
    /// of its action that changes the abstract state.
    pub fn fair_step(&self, from: Getter<'_>, to: Getter<'_>, out: &mut Vec<bool>) {
        let a = self.map(from);
        let b = self.map(to);
        let steps = self.fair_steps(&a);
        out.extend((0..self.fairness.len()).map(|i| steps.iter().any(|(n, f)| f[i] && *n == b)));
    }

    /// The abstract model as the exporter needs it.
    pub fn target_info(&self) -> crate::model::RefinementTarget {
        crate::model::RefinementTarget {
            instance: self.instance.clone(),
            ir: self.target.ir(),
            config_name: self.target.config_name().to_string(),
            constants: self.target.constants(),
            universes: self.target.model_value_universes(),
            source_file: self.target.source_file(),
            nested: self.target.refinement_targets(),
        }
    }

    /// The abstract state beside a concrete one, rendered (`V!votes = ...`), for traces.
    pub fn render(&self, get: Getter<'_>) -> Vec<(String, String)> {
        let a = self.map(get);
        self.target
            .render(&a)
            .into_iter()
            .map(|v| (format!("{}!{}", self.instance, v.name), v.tla))
            .collect()
    }
}

/// Reads field `name` of an abstract state or constants through `get`, into its Rust type.
pub fn field<T: crate::Value>(get: Getter<'_>, name: &str) -> Result<T, String> {
    let v = get(name)?;
    T::from_tla(&v).ok_or_else(|| {
        format!(
            "`{name}` is mapped to {}, which is not a value of its type `{}`",
            v.render(),
            std::any::type_name::<T>()
        )
    })
}

/// The abstract states beside the states of a trace of `model` (empty when it refines nothing,
/// or when the mapping fails on one of them: the trace then shows how).
pub(crate) fn abstract_states<'a, M: Model + 'a>(
    model: &M,
    states: impl Iterator<Item = &'a M::State>,
) -> Vec<Vec<(String, String)>> {
    let mut out = Vec::new();
    for s in states {
        match crate::panics::run_model_code(|| model.refinement_render(s)) {
            Ok(a) if !a.is_empty() => out.push(a),
            _ => return Vec::new(),
        }
    }
    out
}

/// Adds the abstract state beside `s`, the state just pushed on `trace` (if every state before
/// it has one).
pub(crate) fn push_abstract_state<M: Model>(
    model: &M,
    trace: &mut crate::report::Trace,
    s: &M::State,
) {
    if trace.abstract_states.len() + 1 != trace.states.len() {
        return;
    }
    match crate::panics::run_model_code(|| model.refinement_render(s)) {
        Ok(a) if !a.is_empty() => trace.abstract_states.push(a),
        _ => trace.abstract_states.clear(),
    }
}
