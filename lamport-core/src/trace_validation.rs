//! Trace validation: does some behaviour of the model explain a recorded execution of the real
//! system?
//!
//! A trace is a list of events, each an action instance (its name, and some or all of its
//! parameters) with an optional partial observation of the state after it, or an observation
//! alone. The search follows the trace: it keeps every model state that explains the events so
//! far (a set, since unlogged parameters and unobserved variables leave several possible), and
//! moves that set forward one event at a time. The first event that no state of the set can
//! take is reported with the closest candidates. Two input formats: JSON lines (one event per
//! line, documented in docs/testing-implementations.md) and ITF (each state after the first is
//! one step; lamport's own `#meta.action` and quint's `mbt::actionTaken`/`mbt::nondetPicks`
//! name the action when present).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::time::Instant;

use serde_json::{json, Value as Json};

use crate::model::{ActionModel, ModelMeta};
use crate::observe::{itf_matches, itf_text_as, parse_path, Difference, Key, Observation};
use crate::panics::run_model_code;
use crate::report::{StepLabel, Trace, TraceState};

/// A trace that cannot be read: where (1-based line; 0 when the format has no lines for it),
/// and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TraceError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for TraceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for TraceError {}

fn bad(line: usize, message: impl Into<String>) -> TraceError {
    TraceError {
        line,
        message: message.into(),
    }
}

/// The parameters an event gives for its action.
#[derive(Clone, Debug, PartialEq)]
pub enum EventParams {
    /// By name; parameters not listed are unobserved.
    Named(Vec<(String, Json)>),
    /// In the action's order; parameters past the end are unobserved.
    Positional(Vec<Json>),
    /// Rendered as a whole, as lamport's traces show a step: `Forward(1)`.
    Rendered(String),
}

/// Which step an event records.
#[derive(Clone, Debug, PartialEq)]
pub enum EventStep {
    /// No step: an observation of the current state (the initial one, before any step).
    None,
    /// Some step, of any action (an ITF state without an action name).
    Any,
    /// A step of the named action (Rust or TLA+ name).
    Action { name: String, params: EventParams },
}

/// One event of a recorded execution.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Where it was read from: a 1-based line (JSON lines), 0 for ITF.
    pub line: usize,
    /// How reports name it: `line 7`, `ITF state 3`.
    pub place: String,
    /// The event as written.
    pub text: String,
    pub step: EventStep,
    /// What was observed of the state after the step.
    pub state: Observation,
}

/// Reads a trace: ITF (one JSON object with `states`) or JSON lines.
pub fn parse_trace(text: &str) -> Result<Vec<Event>, TraceError> {
    let first_line_is_json = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| serde_json::from_str::<Json>(l).is_ok());
    match serde_json::from_str::<Json>(text) {
        Ok(v) if v.get("states").is_some() => parse_itf(&v),
        // A JSON document over several lines (ITF) that does not parse: say where.
        Err(e) if !first_line_is_json && text.trim_start().starts_with('{') => Err(bad(
            e.line(),
            format!(
                "not valid JSON at column {}: {}",
                e.column(),
                json_reason(&e)
            ),
        )),
        _ => parse_json_lines(text),
    }
}

/// The JSON-lines form: one object per line with `action`, `params`, `state` and `label`.
pub fn parse_json_lines(text: &str) -> Result<Vec<Event>, TraceError> {
    let mut events = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let v: Json = serde_json::from_str(l).map_err(|e| {
            bad(
                line,
                format!(
                    "not valid JSON at column {}: {}; each line is one object such as {{\"action\": \"Forward\", \"params\": {{\"n\": 1}}}}",
                    e.column(),
                    json_reason(&e)
                ),
            )
        })?;
        let Json::Object(obj) = v else {
            return Err(bad(
                line,
                "expected a JSON object such as {\"action\": \"Forward\", \"params\": {\"n\": 1}}",
            ));
        };
        for k in obj.keys() {
            if !["action", "params", "state", "label"].contains(&k.as_str()) {
                return Err(bad(
                    line,
                    format!("unknown field `{k}`; an event has `action`, `params`, `state` and `label` (free text, ignored)"),
                ));
            }
        }
        let step = match obj.get("action") {
            None => {
                if obj.contains_key("params") {
                    return Err(bad(line, "`params` without `action`: name the action"));
                }
                if !obj.contains_key("state") {
                    return Err(bad(
                        line,
                        "an event needs `action` (a step) or `state` (an observation)",
                    ));
                }
                EventStep::None
            }
            Some(Json::String(name)) if !name.trim().is_empty() => {
                let params =
                    match obj.get("params") {
                        None | Some(Json::Null) => EventParams::Named(Vec::new()),
                        Some(Json::Object(p)) => EventParams::Named(
                            p.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                        ),
                        Some(Json::Array(p)) => EventParams::Positional(p.clone()),
                        Some(_) => return Err(bad(
                            line,
                            "`params` is an object by name ({\"n\": 1}) or an array in order ([1])",
                        )),
                    };
                EventStep::Action {
                    name: name.trim().to_string(),
                    params,
                }
            }
            Some(_) => return Err(bad(line, "`action` is the action's name, a string")),
        };
        let mut state = Observation::new();
        match obj.get("state") {
            None => {}
            Some(Json::Object(s)) => {
                for (path, value) in s {
                    let (var, key) = parse_path(path).map_err(|m| bad(line, m))?;
                    state.push(&var, key.map(Key::Text), value.clone());
                }
            }
            Some(_) => return Err(bad(
                line,
                "`state` is an object of observed variables: {\"alive\": [1, 2], \"hist[3]\": [1]}",
            )),
        }
        events.push(Event {
            line,
            place: format!("line {line}"),
            text: l.to_string(),
            step,
            state,
        });
    }
    Ok(events)
}

/// serde_json's message without its position (a line of the trace is not the line it counts).
fn json_reason(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The ITF form: `{"vars": [...], "states": [{...}, ...]}`.
pub fn parse_itf(itf: &Json) -> Result<Vec<Event>, TraceError> {
    let states = itf
        .get("states")
        .and_then(Json::as_array)
        .ok_or_else(|| bad(0, "an ITF trace has `states`, an array of states"))?;
    let mut events = Vec::new();
    for (i, st) in states.iter().enumerate() {
        let place = format!("ITF state {i}");
        let Json::Object(obj) = st else {
            return Err(bad(0, format!("{place}: a state is a JSON object")));
        };
        let mut state = Observation::new();
        let mut name: Option<String> = None;
        let mut rendered: Option<String> = None;
        let mut picks: Vec<(String, Json)> = Vec::new();
        for (k, v) in obj {
            match k.as_str() {
                "#meta" => {
                    if let Some(Json::String(a)) = v.get("action") {
                        rendered = Some(a.clone());
                    }
                }
                "mbt::actionTaken" => match v {
                    Json::String(a) => name = Some(a.clone()),
                    _ => return Err(bad(0, format!("{place}: `mbt::actionTaken` is a string"))),
                },
                "mbt::nondetPicks" => {
                    let Json::Object(p) = v else {
                        return Err(bad(0, format!("{place}: `mbt::nondetPicks` is a record")));
                    };
                    for (param, pick) in p {
                        // quint writes each pick as an Option variant.
                        match (pick.get("tag").and_then(Json::as_str), pick.get("value")) {
                            (Some("Some"), Some(value)) => {
                                picks.push((param.clone(), value.clone()))
                            }
                            (Some("None"), _) => {}
                            _ => picks.push((param.clone(), pick.clone())),
                        }
                    }
                }
                var => state.push(var, None, v.clone()),
            }
        }
        let step = if i == 0 {
            EventStep::None
        } else if let Some(name) = name.filter(|n| !n.is_empty() && n != "init" && n != "step") {
            EventStep::Action {
                name,
                params: EventParams::Named(picks),
            }
        } else if let Some(r) = rendered {
            let name = r.split('(').next().unwrap_or("").trim().to_string();
            EventStep::Action {
                name,
                params: EventParams::Rendered(r),
            }
        } else {
            EventStep::Any
        };
        events.push(Event {
            line: 0,
            place,
            text: serde_json::to_string(st).unwrap_or_default(),
            step,
            state,
        });
    }
    if events.is_empty() {
        return Err(bad(0, "the ITF trace has no states"));
    }
    Ok(events)
}

/// How far to search.
#[derive(Clone, Debug)]
pub struct ValidateOptions {
    /// Give up (incomplete) when more model states than this explain a prefix of the trace.
    pub max_states: usize,
}

impl Default for ValidateOptions {
    fn default() -> Self {
        ValidateOptions {
            max_states: 1_000_000,
        }
    }
}

/// A candidate that came closest to explaining an event.
#[derive(Clone, Debug, PartialEq)]
pub struct Near {
    /// The model state it starts from, as a behaviour from an initial state.
    pub from: Trace,
    /// The action instance it takes (none for an observation, or when the action is not
    /// enabled there).
    pub action: Option<StepLabel>,
    /// Parameters the event gives that this instance does not have.
    pub params: Vec<Difference>,
    /// Observed values the state after it does not have.
    pub differences: Vec<Difference>,
    /// When the event's action is not enabled there: the instances that are.
    pub enabled: Vec<String>,
}

/// The first event no behaviour of the model explains.
#[derive(Clone, Debug, PartialEq)]
pub struct Unexplained {
    /// 0-based index among the events.
    pub event: usize,
    pub line: usize,
    pub place: String,
    pub text: String,
    /// How many model states explained every event before it.
    pub states_before: usize,
    pub reason: String,
    /// Up to three closest candidates.
    pub closest: Vec<Near>,
}

/// The verdict of trace validation.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Some behaviour of the model explains every event.
    Explained,
    Unexplained(Box<Unexplained>),
    /// The search gave up: too many model states explain a prefix.
    Incomplete {
        reason: String,
    },
}

/// The result of validating one trace.
#[derive(Clone, Debug)]
pub struct Validation {
    pub model: String,
    pub config: String,
    pub events: usize,
    /// Events explained before the verdict (all of them when explained).
    pub explained: usize,
    pub verdict: Verdict,
    /// The most model states that explained some prefix at once (1 when the trace pins the
    /// behaviour down).
    pub widest: usize,
    /// A behaviour of the model that explains the events explained.
    pub behaviour: Trace,
    pub seconds: f64,
}

impl Validation {
    pub fn is_explained(&self) -> bool {
        self.verdict == Verdict::Explained
    }

    /// 0 explained, 1 not explained, 3 incomplete (bad input is 2, before any search).
    pub fn exit_code(&self) -> u8 {
        match self.verdict {
            Verdict::Explained => 0,
            Verdict::Unexplained(_) => 1,
            Verdict::Incomplete { .. } => 3,
        }
    }

    /// The unexplained event; panics if the trace was explained.
    #[track_caller]
    pub fn assert_unexplained(&self) -> &Unexplained {
        match &self.verdict {
            Verdict::Unexplained(u) => u,
            _ => panic!("expected an unexplained event, got:\n{}", self.to_text()),
        }
    }

    /// Panics unless the trace was explained.
    #[track_caller]
    pub fn assert_explained(&self) -> &Self {
        if !self.is_explained() {
            panic!(
                "expected the trace to be explained, got:\n{}",
                self.to_text()
            );
        }
        self
    }

    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "trace validation against {} (configuration {}): {} events, at most {} model state(s) at once, {:.3} s",
            self.model, self.config, self.events, self.widest, self.seconds
        );
        match &self.verdict {
            Verdict::Explained => {
                let _ = writeln!(
                    out,
                    "Explained: a behaviour of the model ({} states) matches every event.",
                    self.behaviour.len()
                );
            }
            Verdict::Incomplete { reason } => {
                let _ = writeln!(out, "Incomplete: {reason}.");
            }
            Verdict::Unexplained(u) => {
                let _ = writeln!(
                    out,
                    "Not explained: {} is the first event no behaviour of the model explains ({} explained before it).",
                    u.place, self.explained
                );
                let _ = writeln!(out, "  {}", u.text);
                let _ = writeln!(out, "{}", u.reason);
                for (k, n) in u.closest.iter().enumerate() {
                    let same = k > 0 && u.closest[..k].iter().any(|p| p.from == n.from);
                    if same {
                        let _ = writeln!(
                            out,
                            "\nClosest candidate {}: from a state shown above, {} states in,",
                            k + 1,
                            n.from.len()
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "\nClosest candidate {}: from the state reached by\n",
                            k + 1
                        );
                        out.push_str(&n.from.to_text());
                    }
                    match &n.action {
                        Some(a) => {
                            let _ = writeln!(out, "taking <{a}>:");
                        }
                        None if !n.enabled.is_empty() => {
                            let _ = writeln!(out, "enabled there: {}", n.enabled.join(", "));
                        }
                        None => {}
                    }
                    for d in n.params.iter().chain(&n.differences) {
                        let _ = writeln!(
                            out,
                            "  {:<20} model {:<30} trace {}",
                            d.path, d.model, d.observed
                        );
                    }
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> Json {
        let mut v = json!({
            "model": self.model,
            "config": self.config,
            "outcome": match self.verdict {
                Verdict::Explained => "explained",
                Verdict::Unexplained(_) => "unexplained",
                Verdict::Incomplete { .. } => "incomplete",
            },
            "events": self.events,
            "explained": self.explained,
            "widest": self.widest,
            "seconds": self.seconds,
            "behaviour": self.behaviour.to_itf("a behaviour of the model explaining the trace"),
        });
        match &self.verdict {
            Verdict::Unexplained(u) => {
                v["unexplained"] = json!({
                    "event": u.event,
                    "line": u.line,
                    "place": u.place,
                    "text": u.text,
                    "reason": u.reason,
                    "states_before": u.states_before,
                });
            }
            Verdict::Incomplete { reason } => v["reason"] = json!(reason),
            Verdict::Explained => {}
        }
        v
    }
}

/// An event with its names resolved against the model.
struct Resolved {
    /// The action's index, for a step of a named action.
    action: Option<usize>,
    any_step: bool,
    params: Vec<(usize, Json)>,
    rendered: Option<String>,
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Checks every name in `events` against the model: actions, parameters, variables.
fn resolve(meta: &ModelMeta, events: &[Event]) -> Result<Vec<Resolved>, TraceError> {
    let actions: Vec<&str> = meta.actions.iter().map(|a| a.tla).collect();
    events
        .iter()
        .map(|e| {
            let at = |m: String| {
                if e.line > 0 {
                    bad(e.line, m)
                } else {
                    bad(0, format!("{}: {m}", e.place))
                }
            };
            e.state.check_names(meta).map_err(at)?;
            match &e.step {
                EventStep::None => Ok(Resolved {
                    action: None,
                    any_step: false,
                    params: Vec::new(),
                    rendered: None,
                }),
                EventStep::Any => Ok(Resolved {
                    action: None,
                    any_step: true,
                    params: Vec::new(),
                    rendered: None,
                }),
                EventStep::Action { name, params } => {
                    let i = meta
                        .actions
                        .iter()
                        .position(|a| a.tla == name || a.rust == name)
                        .ok_or_else(|| {
                            at(format!(
                                "model {} has no action `{name}`; its actions are {}",
                                meta.name,
                                actions.join(", ")
                            ))
                        })?;
                    let declared = &meta.actions[i].params;
                    let mut out = Vec::new();
                    let mut rendered = None;
                    match params {
                        EventParams::Named(ps) => {
                            for (p, v) in ps {
                                let k = declared.iter().position(|d| d == p).ok_or_else(|| {
                                    at(format!(
                                        "action {} has no parameter `{p}`; its parameters are {}",
                                        meta.actions[i].tla,
                                        if declared.is_empty() {
                                            "none".to_string()
                                        } else {
                                            declared.join(", ")
                                        }
                                    ))
                                })?;
                                out.push((k, v.clone()));
                            }
                        }
                        EventParams::Positional(ps) => {
                            if ps.len() > declared.len() {
                                return Err(at(format!(
                                    "action {} has {} parameter(s), the event gives {}",
                                    meta.actions[i].tla,
                                    declared.len(),
                                    ps.len()
                                )));
                            }
                            out.extend(ps.iter().cloned().enumerate());
                        }
                        EventParams::Rendered(r) => rendered = Some(squash(r)),
                    }
                    Ok(Resolved {
                        action: Some(i),
                        any_step: false,
                        params: out,
                        rendered,
                    })
                }
            }
        })
        .collect()
}

/// The states that explain a prefix of the trace, each with the step that reached it.
struct Arena<S, A> {
    nodes: Vec<(S, Option<(usize, A)>)>,
}

impl<S: Clone, A: Clone> Arena<S, A> {
    fn behaviour<M: ActionModel<State = S, Action = A>>(&self, model: &M, mut at: usize) -> Trace {
        let mut states = Vec::new();
        loop {
            let (s, parent) = &self.nodes[at];
            states.push(TraceState {
                action: parent.as_ref().map(|(_, a)| model.action_label(a)),
                vars: model.render(s),
            });
            match parent {
                Some((p, _)) => at = *p,
                None => break,
            }
        }
        states.reverse();
        Trace {
            states,
            ..Trace::default()
        }
    }
}

/// A candidate step (or state) that does not fit an event, and how far off it is.
struct Miss<A> {
    distance: usize,
    /// The arena index of the state it starts from.
    from: usize,
    action: Option<A>,
    params: Vec<Difference>,
    differences: Vec<Difference>,
}

/// How many closest candidates a report shows.
const CLOSEST: usize = 3;

/// Keeps the `CLOSEST` nearest misses, nearest first (the first found among equals).
fn keep_closest<A>(near: &mut Vec<Miss<A>>, miss: Miss<A>) {
    let at = near.partition_point(|m| m.distance <= miss.distance);
    if at < CLOSEST {
        near.insert(at, miss);
        near.truncate(CLOSEST);
    }
}

/// How an action instance differs from what the event gives of it.
fn param_differences<M: ActionModel>(model: &M, a: &M::Action, r: &Resolved) -> Vec<Difference> {
    let values = model.action_params(a);
    let mut out = Vec::new();
    if let Some(text) = &r.rendered {
        let label = model.action_label(a).to_string();
        if squash(&label) != *text {
            out.push(Difference {
                path: "(action)".into(),
                model: label,
                observed: text.clone(),
            });
        }
        return out;
    }
    for (k, v) in &r.params {
        let m = &values[*k];
        if !itf_matches(&m.itf, v) {
            out.push(Difference {
                path: format!("parameter {}", m.name),
                model: m.tla.clone(),
                observed: itf_text_as(v, &m.itf),
            });
        }
    }
    out
}

/// Decides whether some behaviour of `model` explains `events`. `Err` for a trace that names
/// actions, parameters or variables the model does not have (bad input).
pub fn validate<M: ActionModel>(
    model: &M,
    events: &[Event],
    opts: &ValidateOptions,
) -> Result<Validation, TraceError> {
    let started = Instant::now();
    let meta = model.meta();
    let resolved = resolve(meta, events)?;
    let mut v = Validation {
        model: meta.name.to_string(),
        config: model.config_name().to_string(),
        events: events.len(),
        explained: 0,
        verdict: Verdict::Explained,
        widest: 0,
        behaviour: Trace::default(),
        seconds: 0.0,
    };
    let mut arena: Arena<M::State, M::Action> = Arena { nodes: Vec::new() };
    let mut inits = Vec::new();
    if let Err(message) = run_model_code(|| model.init_states(&mut |s| inits.push(s))) {
        v.verdict = Verdict::Incomplete {
            reason: format!("model code panicked computing the initial states: {message}"),
        };
        return Ok(v);
    }
    // The frontier: indices into the arena of distinct states explaining the events so far.
    let mut frontier: Vec<usize> = Vec::new();
    {
        let mut seen: HashMap<M::State, ()> = HashMap::new();
        for s in inits {
            if seen.insert(s.clone(), ()).is_none() {
                frontier.push(arena.nodes.len());
                arena.nodes.push((s, None));
            }
        }
    }
    v.widest = frontier.len();
    let bad_obs = |e: &Event, m: String| {
        if e.line > 0 {
            bad(e.line, m)
        } else {
            bad(0, format!("{}: {m}", e.place))
        }
    };

    for (i, (e, r)) in events.iter().zip(&resolved).enumerate() {
        let mut next: Vec<usize> = Vec::new();
        let mut seen: HashMap<M::State, ()> = HashMap::new();
        // The candidates that fail, with how far off they are, for the report.
        let mut near: Vec<Miss<M::Action>> = Vec::new();
        let step = r.action.is_some() || r.any_step;
        if !step {
            for &n in &frontier {
                let diffs = e
                    .state
                    .differences(meta, &model.render(&arena.nodes[n].0))
                    .map_err(|m| bad_obs(e, m))?;
                if diffs.is_empty() {
                    next.push(n);
                } else {
                    keep_closest(
                        &mut near,
                        Miss {
                            distance: diffs.len(),
                            from: n,
                            action: None,
                            params: Vec::new(),
                            differences: diffs,
                        },
                    );
                }
            }
        } else {
            let mut any_enabled = false;
            for &n in &frontier {
                let mut steps: Vec<(M::Action, M::State)> = Vec::new();
                let here = arena.nodes[n].0.clone();
                if let Err(message) =
                    run_model_code(|| model.next_steps(&here, &mut |a, s| steps.push((a, s))))
                {
                    v.verdict = Verdict::Incomplete {
                        reason: format!("model code panicked at {}: {message}", e.place),
                    };
                    v.seconds = started.elapsed().as_secs_f64();
                    return Ok(v);
                }
                for (a, s) in steps {
                    if r.action.is_some_and(|want| model.action_index(&a) != want) {
                        continue;
                    }
                    any_enabled = true;
                    let pd = param_differences(model, &a, r);
                    let od = e
                        .state
                        .differences(meta, &model.render(&s))
                        .map_err(|m| bad_obs(e, m))?;
                    if pd.is_empty() && od.is_empty() {
                        if seen.insert(s.clone(), ()).is_none() {
                            next.push(arena.nodes.len());
                            arena.nodes.push((s, Some((n, a))));
                        }
                    } else {
                        keep_closest(
                            &mut near,
                            Miss {
                                distance: pd.len() + od.len(),
                                from: n,
                                action: Some(a),
                                params: pd,
                                differences: od,
                            },
                        );
                    }
                }
            }
            if next.is_empty() && !any_enabled {
                let name = r
                    .action
                    .map(|k| meta.actions[k].tla)
                    .unwrap_or("any action");
                let mut closest = Vec::new();
                for &n in frontier.iter().take(3) {
                    let mut enabled = Vec::new();
                    let here = arena.nodes[n].0.clone();
                    let _ = run_model_code(|| {
                        model.next_steps(&here, &mut |a, _| {
                            enabled.push(model.action_label(&a).to_string())
                        })
                    });
                    closest.push(Near {
                        from: arena.behaviour(model, n),
                        action: None,
                        params: Vec::new(),
                        differences: Vec::new(),
                        enabled,
                    });
                }
                v.verdict = Verdict::Unexplained(Box::new(Unexplained {
                    event: i,
                    line: e.line,
                    place: e.place.clone(),
                    text: e.text.clone(),
                    states_before: frontier.len(),
                    reason: format!(
                        "{name} is not enabled in any of the {} model state(s) that explain the events before it.",
                        frontier.len()
                    ),
                    closest,
                }));
                break;
            }
        }
        if next.is_empty() {
            let closest: Vec<Near> = near
                .into_iter()
                .map(|m| Near {
                    from: arena.behaviour(model, m.from),
                    action: m.action.as_ref().map(|a| model.action_label(a)),
                    params: m.params,
                    differences: m.differences,
                    enabled: Vec::new(),
                })
                .collect();
            let reason = if step {
                format!(
                    "No step of the model from the {} state(s) that explain the events before it has the parameters and the observed state this event records.",
                    frontier.len()
                )
            } else {
                format!(
                    "None of the {} model state(s) that explain the events before it has the observed state this event records.",
                    frontier.len()
                )
            };
            v.verdict = Verdict::Unexplained(Box::new(Unexplained {
                event: i,
                line: e.line,
                place: e.place.clone(),
                text: e.text.clone(),
                states_before: frontier.len(),
                reason,
                closest,
            }));
            break;
        }
        v.explained = i + 1;
        v.widest = v.widest.max(next.len());
        if next.len() > opts.max_states {
            v.verdict = Verdict::Incomplete {
                reason: format!(
                    "{} model states explain the events up to {}, more than the bound of {}; observe more of the state, or raise the bound",
                    next.len(),
                    e.place,
                    opts.max_states
                ),
            };
            frontier = next;
            break;
        }
        frontier = next;
    }
    if let Some(&n) = frontier.first() {
        v.behaviour = arena.behaviour(model, n);
    }
    v.seconds = started.elapsed().as_secs_f64();
    Ok(v)
}

/// Reads and validates the trace in `text` (ITF or JSON lines).
pub fn validate_text<M: ActionModel>(
    model: &M,
    text: &str,
    opts: &ValidateOptions,
) -> Result<Validation, TraceError> {
    let events = parse_trace(text)?;
    validate(model, &events, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_errors_name_the_line() {
        let e = parse_json_lines("{\"action\": \"A\"}\n\n{\"action\": \"B\",}\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("not valid JSON"), "{e}");
        let e = parse_json_lines("{\"action\": \"A\", \"parms\": {}}").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(e.message.contains("unknown field `parms`"), "{e}");
        let e = parse_json_lines("[1]").unwrap_err();
        assert!(e.message.contains("expected a JSON object"), "{e}");
        let e = parse_json_lines("{\"label\": \"x\"}").unwrap_err();
        assert!(e.message.contains("needs `action`"), "{e}");
        let e = parse_json_lines("{\"state\": {\"hist[\": 1}}").unwrap_err();
        assert!(e.message.contains("`hist[`"), "{e}");
    }

    #[test]
    fn json_lines_events() {
        let ev = parse_trace(
            "{\"state\": {\"alive\": [1, 2]}}\n{\"action\": \"Forward\", \"params\": {\"n\": 1}, \"state\": {\"sent[1]\": 1}, \"label\": \"node 1\"}\n{\"action\": \"Read\", \"params\": [3]}\n",
        )
        .unwrap();
        assert_eq!(ev.len(), 3);
        assert_eq!(ev[0].step, EventStep::None);
        assert_eq!(ev[1].line, 2);
        assert_eq!(
            ev[1].step,
            EventStep::Action {
                name: "Forward".into(),
                params: EventParams::Named(vec![("n".into(), json!(1))])
            }
        );
        assert_eq!(ev[1].state.entries()[0].path(), "sent[1]");
        assert_eq!(
            ev[2].step,
            EventStep::Action {
                name: "Read".into(),
                params: EventParams::Positional(vec![json!(3)])
            }
        );
    }

    #[test]
    fn itf_states_are_steps() {
        let itf = json!({
            "vars": ["x"],
            "states": [
                {"#meta": {"index": 0}, "x": {"#bigint": "0"}},
                {"#meta": {"index": 1, "action": "Inc(1)"}, "x": {"#bigint": "1"}},
                {"#meta": {"index": 2}, "x": {"#bigint": "2"}},
                {"mbt::actionTaken": "Inc", "mbt::nondetPicks": {"by": {"tag": "Some", "value": {"#bigint": "1"}}}, "x": {"#bigint": "3"}}
            ]
        });
        let ev = parse_trace(&serde_json::to_string_pretty(&itf).unwrap()).unwrap();
        assert_eq!(ev.len(), 4);
        assert_eq!(ev[0].step, EventStep::None);
        assert_eq!(
            ev[1].step,
            EventStep::Action {
                name: "Inc".into(),
                params: EventParams::Rendered("Inc(1)".into())
            }
        );
        assert_eq!(ev[2].step, EventStep::Any);
        assert_eq!(
            ev[3].step,
            EventStep::Action {
                name: "Inc".into(),
                params: EventParams::Named(vec![("by".into(), json!({"#bigint": "1"}))])
            }
        );
        assert_eq!(ev[3].state.entries().len(), 1);
    }
}
