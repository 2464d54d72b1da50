//! Model-based testing: behaviours of the model replayed on fresh instances of a real
//! implementation through a [`Driver`], the implementation's observed state compared with the
//! model's after every step.
//!
//! Two ways to choose the behaviours: [`exhaustive`] exercises every transition (every enabled
//! action instance out of every reachable state) within a bound on the number of steps or
//! states, each by replaying the shortest behaviour to its source state and then taking it;
//! [`random`] (feature `proptest`) runs random behaviours through proptest, which shrinks a
//! failing one to a minimal one. Either way a failure is a [`Mismatch`]: the model's behaviour,
//! what the implementation showed at each of its states, and the first state where they differ.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::time::Instant;

use serde_json::json;

use crate::model::{ActionModel, Model};
use crate::observe::{Difference, Observation};
use crate::panics::run_model_code;
use crate::report::{Trace, TraceState};

/// Connects a model to the implementation it describes: starts a fresh instance, performs each
/// action instance of the model on it, and abstracts its state to (a part of) the model's.
///
/// ```ignore
/// impl Driver<chain_replication::Model> for KvDriver {
///     type System = Cluster;
///     fn start(&mut self, _init: &chain_replication::State) -> Cluster { Cluster::new(3) }
///     fn step(&mut self, c: &mut Cluster, a: &chain_replication::Action) -> Result<(), String> {
///         match a {
///             Action::ClientUpdate => c.client_write("k", "v").map(drop),
///             Action::Forward { n } => c.send_next(*n),
///             // ...
///         }
///     }
///     fn observe(&mut self, c: &Cluster) -> Observation {
///         Observation::new().var("alive", &c.live_nodes())
///     }
/// }
/// ```
pub trait Driver<M: ActionModel> {
    /// One running instance of the implementation.
    type System;

    /// A fresh instance, in the state that corresponds to the model's initial state `init`.
    fn start(&mut self, init: &M::State) -> Self::System;

    /// Performs `action` on `system`. `Err` says why the implementation cannot: a mismatch,
    /// since the model can take the action here.
    fn step(&mut self, system: &mut Self::System, action: &M::Action) -> Result<(), String>;

    /// What can be seen of `system`, in the model's variables: all of them (a complete
    /// abstraction, e.g. [`Observation::of_state`]) or some, or single entries of maps.
    fn observe(&mut self, system: &Self::System) -> Observation;
}

/// Why the implementation and the model part ways.
#[derive(Clone, Debug, PartialEq)]
pub enum MismatchKind {
    /// The observed state differs from the model's: the differences from the closest state the
    /// model could be in.
    Differs { differences: Vec<Difference> },
    /// The driver could not perform the action the model took.
    Refused { reason: String },
    /// The implementation (or the driver) panicked.
    Panicked { message: String },
    /// The model's own code panicked.
    ModelError { message: String },
    /// The driver's observation names a variable the model does not have.
    BadObservation { message: String },
}

/// A behaviour on which the implementation and the model differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Mismatch {
    /// The model's behaviour, up to and including the state where they differ.
    pub trace: Trace,
    /// What the implementation showed at each state of `trace` (where it got that far).
    pub observed: Vec<Observation>,
    pub kind: MismatchKind,
}

impl Mismatch {
    /// Number of states of the behaviour (steps + 1), the length a counterexample has.
    pub fn len(&self) -> usize {
        self.trace.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trace.is_empty()
    }

    /// The action instances of the behaviour, as traces show them.
    pub fn actions(&self) -> Vec<String> {
        self.trace
            .states
            .iter()
            .filter_map(|s| s.action.as_ref().map(|a| a.to_string()))
            .collect()
    }

    /// What went wrong, in one line.
    pub fn summary(&self) -> String {
        let n = self.trace.len();
        let at = match self.trace.states.last().and_then(|s| s.action.as_ref()) {
            Some(a) => format!("state {n} (after {a})"),
            None => "the initial state".to_string(),
        };
        match &self.kind {
            MismatchKind::Differs { differences } => {
                let ds: Vec<String> = differences.iter().map(|d| d.to_string()).collect();
                format!(
                    "the implementation differs from the model in {at}: {}",
                    ds.join("; ")
                )
            }
            MismatchKind::Refused { reason } => {
                format!("the implementation cannot take the step to {at}: {reason}")
            }
            MismatchKind::Panicked { message } => {
                format!("the implementation panicked on the way to {at}: {message}")
            }
            MismatchKind::ModelError { message } => {
                format!("model code panicked after {at}: {message}")
            }
            MismatchKind::BadObservation { message } => {
                format!("the driver's observation in {at} does not fit the model: {message}")
            }
        }
    }

    /// The model's behaviour as a trace (each step with the variables it changed), then what the
    /// implementation showed where they differ.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "The model's behaviour ({} states) up to the first difference:\n",
            self.trace.len()
        );
        out.push_str(&self.trace.to_text());
        if let MismatchKind::Differs { differences } = &self.kind {
            let _ = writeln!(
                out,
                "In state {}, the implementation's observed state differs:",
                self.trace.len()
            );
            for d in differences {
                let _ = writeln!(
                    out,
                    "  {:<20} model {:<30} implementation {}",
                    d.path, d.model, d.observed
                );
            }
        }
        if let Some(obs) = self.observed.get(self.trace.len().wrapping_sub(1)) {
            let _ = writeln!(
                out,
                "The implementation's observed state in state {}:",
                self.trace.len()
            );
            for o in obs.entries() {
                let _ = writeln!(
                    out,
                    "  {} = {}",
                    o.path(),
                    crate::observe::itf_text(&o.value)
                );
            }
        }
        let _ = writeln!(out, "{}", self.summary());
        out
    }

    /// The behaviour in ITF: the model's states, each with what the implementation showed
    /// under `#meta.implementation`, the differences under `#meta.differences` of the last.
    pub fn to_itf(&self, description: &str) -> serde_json::Value {
        let mut itf = self.trace.to_itf(description);
        if let Some(states) = itf["states"].as_array_mut() {
            for (i, st) in states.iter_mut().enumerate() {
                if let Some(o) = self.observed.get(i) {
                    st["#meta"]["implementation"] = o.to_json();
                }
            }
            if let (Some(last), MismatchKind::Differs { differences }) =
                (states.last_mut(), &self.kind)
            {
                last["#meta"]["differences"] = json!(differences
                    .iter()
                    .map(
                        |d| json!({"path": d.path, "model": d.model, "implementation": d.observed})
                    )
                    .collect::<Vec<_>>());
            }
        }
        itf["#meta"]["mismatch"] = json!(self.summary());
        itf
    }
}

/// The result of a model-based test.
#[derive(Clone, Debug)]
pub struct TestReport {
    pub model: String,
    pub config: String,
    /// `exhaustive` or `random`.
    pub mode: &'static str,
    /// Fresh implementation instances started (one per behaviour replayed).
    pub behaviours: u64,
    /// Steps performed on implementations, in all.
    pub steps: u64,
    /// Distinct model transitions (a state and an enabled action instance in it) exercised.
    pub transitions: u64,
    /// Distinct model states the implementation was compared with.
    pub states: u64,
    /// Exhaustive mode: whether every transition out of every reachable state was exercised
    /// (false when the step or state bound left some out). Always false in random mode.
    pub complete: bool,
    /// The bound on steps per behaviour.
    pub max_steps: u64,
    /// Random mode: the seed.
    pub seed: Option<u64>,
    pub seconds: f64,
    /// The first (exhaustive: a shortest; random: a shrunk) behaviour on which the
    /// implementation and the model differ.
    pub mismatch: Option<Mismatch>,
}

impl TestReport {
    pub fn passed(&self) -> bool {
        self.mismatch.is_none()
    }

    /// Panics, with the mismatch, unless the implementation agreed with the model throughout.
    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        if !self.passed() {
            panic!(
                "expected the implementation to agree with the model, got:\n{}",
                self.to_text()
            );
        }
        self
    }

    /// The mismatch; panics if the implementation agreed with the model.
    #[track_caller]
    pub fn assert_mismatch(&self) -> &Mismatch {
        match &self.mismatch {
            Some(m) => m,
            None => panic!(
                "expected the implementation to differ from the model, got:\n{}",
                self.to_text()
            ),
        }
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "model-based test ({}) of {} (configuration {}){}",
            self.mode,
            self.model,
            self.config,
            self.seed.map(|s| format!(", seed {s}")).unwrap_or_default()
        );
        let _ = writeln!(
            out,
            "{} model transitions exercised ({} distinct states), {} behaviours of at most {} steps, {} implementation steps, {:.3} s",
            self.transitions, self.states, self.behaviours, self.max_steps, self.steps, self.seconds
        );
        match &self.mismatch {
            None if self.complete => {
                let _ = writeln!(
                    out,
                    "The implementation agrees with the model on every transition of every reachable state."
                );
            }
            None => {
                let _ = writeln!(
                    out,
                    "The implementation agrees with the model on every behaviour tried (not every behaviour)."
                );
            }
            Some(m) => {
                let _ = writeln!(out, "Error: {}\n", m.summary());
                out.push_str(&m.to_text());
            }
        }
        out
    }

    pub fn to_json(&self) -> serde_json::Value {
        let mut v = json!({
            "model": self.model,
            "config": self.config,
            "mode": self.mode,
            "outcome": if self.passed() { "ok" } else { "mismatch" },
            "behaviours": self.behaviours,
            "steps": self.steps,
            "transitions": self.transitions,
            "states": self.states,
            "complete": self.complete,
            "max_steps": self.max_steps,
            "seed": self.seed,
            "seconds": self.seconds,
        });
        if let Some(m) = &self.mismatch {
            v["mismatch"] = json!({
                "length": m.len(),
                "summary": m.summary(),
                "text": m.to_text(),
                "itf": m.to_itf(&format!("{} mismatch", self.model)),
            });
        }
        v
    }
}

/// The bounds of an exhaustive model-based test.
#[derive(Clone, Debug)]
pub struct ExhaustiveOptions {
    /// Exercise the transitions out of states reachable in fewer than this many steps (so no
    /// behaviour replayed is longer); `None`: every reachable state.
    pub max_steps: Option<u64>,
    /// Stop exploring new states after this many distinct ones; `None`: no bound.
    pub max_states: Option<u64>,
}

impl Default for ExhaustiveOptions {
    fn default() -> Self {
        ExhaustiveOptions {
            max_steps: None,
            max_states: Some(100_000),
        }
    }
}

/// One behaviour in progress: a running implementation and the model states it may be in.
struct Replay<'a, M: ActionModel, D: Driver<M>> {
    model: &'a M,
    driver: &'a mut D,
    system: D::System,
    /// The model states consistent with every observation so far (one, unless the model has
    /// several successors for one action instance); the first is the one the trace shows.
    here: Vec<M::State>,
    /// The behaviour so far: each step's action and the model state the trace shows (rendered
    /// only if the behaviour fails).
    path: Vec<(Option<M::Action>, M::State)>,
    observed: Vec<Observation>,
}

/// A mismatch on its way out (boxed: it is large, and the way out is rare).
type Failed = Box<Mismatch>;

/// Panics of the implementation or driver come back as messages.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    run_model_code(f)
}

impl<'a, M: ActionModel, D: Driver<M>> Replay<'a, M, D> {
    fn fail(&self, kind: MismatchKind) -> Failed {
        Box::new(Mismatch {
            trace: Trace {
                states: self
                    .path
                    .iter()
                    .map(|(a, st)| TraceState {
                        action: a.as_ref().map(|a| self.model.action_label(a)),
                        vars: self.model.render(st),
                    })
                    .collect(),
                ..Trace::default()
            },
            observed: self.observed.clone(),
            kind,
        })
    }

    /// Starts the implementation for initial state `init` and compares.
    fn begin(model: &'a M, driver: &'a mut D, init: &M::State) -> Result<Self, Failed> {
        let start = guarded(|| driver.start(init));
        let system = match start {
            Ok(s) => s,
            Err(message) => {
                return Err(Box::new(Mismatch {
                    trace: Trace {
                        states: vec![TraceState {
                            action: None,
                            vars: model.render(init),
                        }],
                        ..Trace::default()
                    },
                    observed: Vec::new(),
                    kind: MismatchKind::Panicked { message },
                }))
            }
        };
        let mut r = Replay {
            model,
            driver,
            system,
            here: Vec::new(),
            path: Vec::new(),
            observed: Vec::new(),
        };
        r.compare(None, vec![init.clone()], Some(init))?;
        Ok(r)
    }

    /// Observes the implementation and keeps the `candidates` it matches; the trace shows
    /// `planned` if it is one of them.
    fn compare(
        &mut self,
        action: Option<&M::Action>,
        candidates: Vec<M::State>,
        planned: Option<&M::State>,
    ) -> Result<(), Failed> {
        let system = &self.system;
        let driver = &mut *self.driver;
        let obs = match guarded(|| driver.observe(system)) {
            Ok(o) => o,
            Err(message) => return Err(self.fail(MismatchKind::Panicked { message })),
        };
        let meta = self.model.meta();
        // The candidates the observation matches (the planned one first), and the closest.
        let mut matching: Vec<M::State> = Vec::new();
        let mut closest: Option<(Vec<Difference>, M::State)> = None;
        for c in candidates {
            let diffs = match obs.differences(meta, &self.model.render(&c)) {
                Ok(d) => d,
                Err(message) => {
                    self.observed.push(obs);
                    return Err(self.fail(MismatchKind::BadObservation { message }));
                }
            };
            if diffs.is_empty() {
                if Some(&c) == planned {
                    matching.insert(0, c);
                } else {
                    matching.push(c);
                }
            } else if closest.as_ref().is_none_or(|(d, _)| diffs.len() < d.len()) {
                closest = Some((diffs, c));
            }
        }
        let shown = matching
            .first()
            .or(closest.as_ref().map(|(_, s)| s))
            .or(planned);
        if let Some(st) = shown {
            self.path.push((action.cloned(), st.clone()));
        }
        self.observed.push(obs);
        if matching.is_empty() {
            let differences = closest.map(|(d, _)| d).unwrap_or_default();
            return Err(self.fail(MismatchKind::Differs { differences }));
        }
        self.here = matching;
        Ok(())
    }

    /// Takes `action` on the implementation and in the model; `Ok(true)` when the model state
    /// the implementation is now consistent with includes `planned`.
    fn advance(&mut self, action: &M::Action, planned: &M::State) -> Result<bool, Failed> {
        let model = self.model;
        let here = std::mem::take(&mut self.here);
        let successors = run_model_code(|| {
            let mut out: Vec<M::State> = Vec::new();
            for s in &here {
                model.next_steps(s, &mut |a, next| {
                    if a == *action && !out.contains(&next) {
                        out.push(next);
                    }
                });
            }
            out
        });
        let successors = match successors {
            Ok(s) => s,
            Err(message) => return Err(self.fail(MismatchKind::ModelError { message })),
        };
        let system = &mut self.system;
        let driver = &mut *self.driver;
        let stepped = guarded(|| driver.step(system, action));
        let refused = match stepped {
            Ok(Ok(())) => None,
            Ok(Err(reason)) => Some(MismatchKind::Refused { reason }),
            Err(message) => Some(MismatchKind::Panicked { message }),
        };
        if let Some(kind) = refused {
            self.path.push((Some(action.clone()), planned.clone()));
            return Err(self.fail(kind));
        }
        self.compare(Some(action), successors, Some(planned))?;
        Ok(self.here.first() == Some(planned))
    }
}

/// The model's initial states, or the model error evaluating them.
fn initial_states<M: Model>(model: &M) -> Result<Vec<M::State>, String> {
    let mut inits = Vec::new();
    run_model_code(|| {
        model.init_states(&mut |s| {
            if !inits.contains(&s) {
                inits.push(s)
            }
        })
    })?;
    Ok(inits)
}

fn model_error_mismatch(message: String) -> Failed {
    Box::new(Mismatch {
        trace: Trace::default(),
        observed: Vec::new(),
        kind: MismatchKind::ModelError { message },
    })
}

/// Exercises every transition of the model within `opts`' bounds on the implementation: for
/// each reachable state (breadth-first, so the first mismatch is on a shortest behaviour) and
/// each action instance enabled in it, a fresh instance replays the shortest behaviour to that
/// state, then takes the action; the observed state is compared after every step. The state
/// constraint bounds the exploration as it bounds the checker's.
pub fn exhaustive<M: ActionModel, D: Driver<M>>(
    model: &M,
    driver: &mut D,
    opts: &ExhaustiveOptions,
) -> TestReport {
    let started = Instant::now();
    let mut report = TestReport {
        model: model.meta().name.to_string(),
        config: model.config_name().to_string(),
        mode: "exhaustive",
        behaviours: 0,
        steps: 0,
        transitions: 0,
        states: 0,
        complete: true,
        max_steps: opts.max_steps.unwrap_or(0),
        seed: None,
        seconds: 0.0,
        mismatch: None,
    };
    let finish = |mut r: TestReport, mismatch: Option<Failed>| {
        r.mismatch = mismatch.map(|m| *m);
        r.seconds = started.elapsed().as_secs_f64();
        r
    };
    let inits = match initial_states(model) {
        Ok(i) => i,
        Err(message) => return finish(report, Some(model_error_mismatch(message))),
    };

    // The states found, each with the step that first reached it (breadth-first: a shortest).
    struct Node<S, A> {
        state: S,
        parent: Option<(usize, A)>,
        depth: u64,
    }
    let mut nodes: Vec<Node<M::State, M::Action>> = Vec::new();
    let mut index: HashMap<M::State, usize> = HashMap::new();
    let mut queue: VecDeque<usize> = VecDeque::new();
    for s in inits {
        index.insert(s.clone(), nodes.len());
        queue.push_back(nodes.len());
        nodes.push(Node {
            state: s,
            parent: None,
            depth: 0,
        });
    }
    let mut deepest = 0;

    while let Some(n) = queue.pop_front() {
        let depth = nodes[n].depth;
        deepest = deepest.max(depth);
        // Every state found is compared (as the target of the transition that found it).
        report.states += 1;
        if !model.constraint(&nodes[n].state) {
            continue;
        }
        let mut steps: Vec<(M::Action, M::State)> = Vec::new();
        if let Err(message) =
            run_model_code(|| model.next_steps(&nodes[n].state, &mut |a, s| steps.push((a, s))))
        {
            return finish(report, Some(model_error_mismatch(message)));
        }
        if opts.max_steps.is_some_and(|m| depth >= m) {
            // Compared as the target of the step that found it; its own steps are cut off.
            report.complete &= steps.is_empty();
            continue;
        }
        if steps.is_empty() && nodes[n].parent.is_none() {
            // An initial state without steps is still compared.
            report.behaviours += 1;
            if let Err(m) = Replay::begin(model, driver, &nodes[n].state) {
                return finish(report, Some(m));
            }
        }
        // The shortest behaviour to this state.
        let mut path: Vec<(M::Action, usize)> = Vec::new();
        let mut at = n;
        while let Some((p, a)) = &nodes[at].parent {
            path.push((a.clone(), at));
            at = *p;
        }
        path.reverse();
        let root = at;
        for (action, next) in steps {
            report.behaviours += 1;
            let mut replay = match Replay::begin(model, driver, &nodes[root].state) {
                Ok(r) => r,
                Err(m) => return finish(report, Some(m)),
            };
            // Where the model has several successors for one action instance, the
            // implementation may take another (consistent) one than the behaviour planned: then
            // this transition cannot be reached this way and is not exercised.
            let mut on_plan = true;
            for (a, target) in &path {
                report.steps += 1;
                match replay.advance(a, &nodes[*target].state) {
                    Err(m) => return finish(report, Some(m)),
                    Ok(true) => {}
                    Ok(false) => {
                        on_plan = false;
                        break;
                    }
                }
            }
            if on_plan {
                report.steps += 1;
                match replay.advance(&action, &next) {
                    Err(m) => return finish(report, Some(m)),
                    Ok(reached) => on_plan = reached,
                }
            }
            if !on_plan {
                report.complete = false;
                continue;
            }
            report.transitions += 1;
            if !index.contains_key(&next) {
                if opts.max_states.is_some_and(|m| nodes.len() as u64 >= m) {
                    report.complete = false;
                    continue;
                }
                index.insert(next.clone(), nodes.len());
                queue.push_back(nodes.len());
                nodes.push(Node {
                    state: next,
                    parent: Some((n, action)),
                    depth: depth + 1,
                });
            }
        }
    }
    if opts.max_steps.is_none() {
        report.max_steps = deepest;
    }
    finish(report, None)
}

/// Runs one behaviour chosen by `choices` (each picks among the action instances enabled at its
/// step, modulo their number; the first picks the initial state if there are several), and
/// records the transitions it exercised.
fn run_choices<M: ActionModel, D: Driver<M>>(
    model: &M,
    driver: &mut D,
    inits: &[M::State],
    choices: &[u32],
    seen: &mut Coverage<M>,
) -> Result<(), Failed> {
    let mut choices = choices.iter().copied();
    let init = if inits.len() > 1 {
        &inits[choices.next().unwrap_or(0) as usize % inits.len()]
    } else {
        &inits[0]
    };
    seen.behaviours += 1;
    let mut replay = Replay::begin(model, driver, init)?;
    seen.states.insert(init.clone());
    for c in choices {
        let here = replay.here[0].clone();
        if !model.constraint(&here) {
            break;
        }
        let mut steps: Vec<(M::Action, M::State)> = Vec::new();
        run_model_code(|| model.next_steps(&here, &mut |a, s| steps.push((a, s))))
            .map_err(|message| replay.fail(MismatchKind::ModelError { message }))?;
        if steps.is_empty() {
            break;
        }
        let (action, next) = &steps[c as usize % steps.len()];
        seen.steps += 1;
        if replay.advance(action, next)? {
            seen.transitions.insert((here, action.clone()));
            seen.states.insert(next.clone());
        }
    }
    Ok(())
}

struct Coverage<M: ActionModel> {
    behaviours: u64,
    steps: u64,
    transitions: HashSet<(M::State, M::Action)>,
    states: HashSet<M::State>,
}

/// The bounds and seed of a random model-based test.
#[derive(Clone, Debug)]
pub struct RandomOptions {
    /// Random behaviours to run (proptest's cases).
    pub behaviours: u32,
    /// Steps per behaviour at most.
    pub max_steps: u64,
    /// Same seed, same behaviours (and the same shrunk failure).
    pub seed: u64,
}

impl Default for RandomOptions {
    fn default() -> Self {
        RandomOptions {
            behaviours: 256,
            max_steps: 30,
            seed: 0,
        }
    }
}

/// Runs random behaviours of the model on fresh instances of the implementation, through
/// proptest: a behaviour is a list of choices among the enabled action instances, and a failing
/// one is shrunk (fewer steps, earlier choices) to a minimal failing one before it is reported.
#[cfg(feature = "proptest")]
pub fn random<M: ActionModel, D: Driver<M>>(
    model: &M,
    driver: &mut D,
    opts: &RandomOptions,
) -> TestReport {
    use proptest::strategy::Strategy;
    use proptest::test_runner::{
        Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner,
    };
    use std::cell::RefCell;

    let started = Instant::now();
    let mut report = TestReport {
        model: model.meta().name.to_string(),
        config: model.config_name().to_string(),
        mode: "random",
        behaviours: 0,
        steps: 0,
        transitions: 0,
        states: 0,
        complete: false,
        max_steps: opts.max_steps,
        seed: Some(opts.seed),
        seconds: 0.0,
        mismatch: None,
    };
    let inits = match initial_states(model) {
        Ok(i) if !i.is_empty() => i,
        Ok(_) => {
            report.seconds = started.elapsed().as_secs_f64();
            return report;
        }
        Err(message) => {
            report.mismatch = Some(*model_error_mismatch(message));
            report.seconds = started.elapsed().as_secs_f64();
            return report;
        }
    };
    let extra = usize::from(inits.len() > 1);
    let len = 1..=(opts.max_steps as usize + extra).max(1);
    let strategy = proptest::collection::vec(proptest::num::u32::ANY, len).boxed();
    let config = Config {
        cases: opts.behaviours,
        failure_persistence: None,
        fork: false,
        timeout: 0,
        ..Config::default()
    };
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&opts.seed.to_le_bytes());
    let mut runner =
        TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
    let cell = RefCell::new((
        driver,
        Coverage::<M> {
            behaviours: 0,
            steps: 0,
            transitions: HashSet::new(),
            states: HashSet::new(),
        },
    ));
    let outcome = runner.run(&strategy, |choices| {
        let mut guard = cell.borrow_mut();
        let (driver, seen) = &mut *guard;
        run_choices(model, &mut **driver, &inits, &choices, seen)
            .map_err(|m| TestCaseError::fail(m.summary()))
    });
    let (driver, seen) = cell.into_inner();
    if let Err(TestError::Fail(_, minimal)) = outcome {
        let mut again = Coverage::<M> {
            behaviours: 0,
            steps: 0,
            transitions: HashSet::new(),
            states: HashSet::new(),
        };
        report.mismatch = match run_choices(model, driver, &inits, &minimal, &mut again) {
            Err(m) => Some(*m),
            // The implementation failed on this behaviour before and passes it now.
            Ok(()) => Some(Mismatch {
                trace: Trace::default(),
                observed: Vec::new(),
                kind: MismatchKind::Panicked {
                    message: format!(
                        "the implementation is not deterministic: the shrunk behaviour {minimal:?} failed once and passes when replayed"
                    ),
                },
            }),
        };
    }
    report.behaviours = seen.behaviours;
    report.steps = seen.steps;
    report.transitions = seen.transitions.len() as u64;
    report.states = seen.states.len() as u64;
    report.seconds = started.elapsed().as_secs_f64();
    report
}
