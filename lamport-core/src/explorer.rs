//! `explore`: a web page for walking through a model by hand, served on 127.0.0.1.
//!
//! The page names the model, its TLA+ module and the configuration, lists every property
//! (invariants, properties of steps, reachability conditions and temporal properties, with what
//! each means), and shows the current state, the path that reached it (each step with what it
//! changed, as traces print it) and the actions enabled there in trace notation
//! (`TMRcvPrepared(r1)`). "Check" runs lamport's exhaustive check on the configuration and gives
//! every property's verdict, temporal ones included; a counterexample can then be followed step
//! by step. Everything is served from memory: the page fetches nothing from elsewhere.
//!
//! The server works on a model through [`Explorable`], which hides the state type, so that its
//! code is compiled once rather than once per model.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value as Json};

use crate::model::{LivenessKind, Model, Params, Sink, VarValue};
use crate::report::{Outcome, StepLabel, Trace, TraceState};

/// A model as the explorer sees it: states by number, in the order it meets them.
pub trait Explorable: Send + Sync {
    /// Names, constants and properties, as the page's header shows them.
    fn describe(&self) -> Json;
    /// The initial states.
    fn initial(&self) -> Vec<usize>;
    /// The variables of state `id`.
    fn vars(&self, id: usize) -> Option<Vec<VarValue>>;
    /// Whether each invariant holds in state `id`, in declaration order.
    fn invariants(&self, id: usize) -> Vec<(&'static str, bool)>;
    /// Whether each step property holds of the step from `from` to `to`.
    fn step_properties(&self, from: usize, to: usize) -> Vec<(&'static str, bool)>;
    /// The successors of state `id`: each action instance and the state it leads to. `Err`
    /// with the panic message when model code panics.
    fn successors(&self, id: usize) -> Result<Vec<(StepLabel, usize)>, String>;
    /// Runs the exhaustive check of the configuration; the verdicts as JSON, with the
    /// counterexample as a path of state numbers.
    fn check(&self) -> Json;
    /// TLA+ names of bag variables (their changes read as copies added and removed).
    fn bags(&self) -> Vec<String>;
}

struct Explored<M: Model> {
    model: M,
    states: Mutex<Arena<M::State>>,
}

struct Arena<S> {
    states: Vec<S>,
    ids: HashMap<S, usize>,
}

impl<S: Clone + Eq + std::hash::Hash> Arena<S> {
    fn id(&mut self, s: S) -> usize {
        if let Some(&id) = self.ids.get(&s) {
            return id;
        }
        self.states.push(s.clone());
        self.ids.insert(s, self.states.len() - 1);
        self.states.len() - 1
    }
}

fn kind_name(k: LivenessKind) -> &'static str {
    match k {
        LivenessKind::Eventually => "temporal (<>P: eventually)",
        LivenessKind::AlwaysEventually => "temporal ([]<>P: infinitely often)",
        LivenessKind::LeadsTo => "temporal (P ~> Q: leads to)",
    }
}

impl<M: Model> Explored<M> {
    fn state(&self, id: usize) -> Option<M::State> {
        self.states.lock().ok()?.states.get(id).cloned()
    }

    fn doc(&self, tla: &str) -> String {
        self.model
            .ir()
            .and_then(|ir| crate::page::property_doc(&ir, tla))
            .unwrap_or_default()
    }

    /// The path of state numbers a trace of this model follows.
    fn path_of(&self, t: &Trace) -> Vec<usize> {
        let mut path = Vec::new();
        let Some(first) = t.states.first() else {
            return path;
        };
        let Some(&init) = self
            .initial()
            .iter()
            .find(|&&i| self.vars(i).is_some_and(|v| same_vars(&v, first)))
        else {
            return path;
        };
        path.push(init);
        for st in &t.states[1..] {
            let cur = *path.last().expect("non-empty");
            let Ok(next) = self.successors(cur) else {
                break;
            };
            let found = next.into_iter().find(|(l, id)| {
                Some(l) == st.action.as_ref() && self.vars(*id).is_some_and(|v| same_vars(&v, st))
            });
            match found {
                Some((_, id)) => path.push(id),
                None => break,
            }
        }
        path
    }
}

fn same_vars(v: &[VarValue], st: &TraceState) -> bool {
    v.len() == st.vars.len() && v.iter().zip(&st.vars).all(|(a, b)| a.tla == b.tla)
}

impl<M: Model> Explorable for Explored<M> {
    fn describe(&self) -> Json {
        let meta = self.model.meta();
        let mut props = Vec::new();
        for p in &meta.invariants {
            props.push(json!({"name": p.tla, "kind": "invariant", "doc": self.doc(p.tla)}));
        }
        for p in &meta.step_properties {
            props.push(json!({"name": p.tla, "kind": "step property", "doc": self.doc(p.tla)}));
        }
        for p in &meta.reachables {
            props.push(json!({"name": p.tla, "kind": "reachability", "doc": self.doc(p.tla)}));
        }
        for p in &meta.liveness {
            props.push(json!({"name": p.tla, "kind": kind_name(p.kind), "doc": self.doc(p.tla)}));
        }
        if meta.check_deadlock {
            props.push(json!({"name": "deadlock", "kind": "no deadlock", "doc": "Every reachable state has a successor (TLC's CHECK_DEADLOCK)."}));
        }
        let fairness: Vec<String> = self
            .model
            .fairness()
            .iter()
            .map(|f| f.describe(meta))
            .collect();
        let actions: Vec<Json> = meta
            .actions
            .iter()
            .map(|a| {
                let doc = self
                    .model
                    .ir()
                    .and_then(|ir| crate::page::action_doc(&ir, a.tla))
                    .unwrap_or_default();
                json!({"name": a.tla, "params": a.params, "doc": doc})
            })
            .collect();
        json!({
            "model": meta.name,
            "module": meta.module,
            "config": self.model.config_name(),
            "constants": self.model.constants().iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "properties": props,
            "actions": actions,
            "fairness": fairness,
        })
    }

    fn initial(&self) -> Vec<usize> {
        let mut inits = Vec::new();
        let _ = crate::panics::run_model_code(|| self.model.init_states(&mut |s| inits.push(s)));
        let Ok(mut arena) = self.states.lock() else {
            return Vec::new();
        };
        inits.into_iter().map(|s| arena.id(s)).collect()
    }

    fn vars(&self, id: usize) -> Option<Vec<VarValue>> {
        let s = self.state(id)?;
        Some(self.model.render(&s))
    }

    fn invariants(&self, id: usize) -> Vec<(&'static str, bool)> {
        let Some(s) = self.state(id) else {
            return Vec::new();
        };
        let meta = self.model.meta();
        (0..meta.invariants.len())
            .map(|i| {
                let holds = crate::panics::run_model_code(|| self.model.invariant(i, &s));
                (meta.invariants[i].tla, holds.unwrap_or(false))
            })
            .collect()
    }

    fn step_properties(&self, from: usize, to: usize) -> Vec<(&'static str, bool)> {
        let (Some(a), Some(b)) = (self.state(from), self.state(to)) else {
            return Vec::new();
        };
        let meta = self.model.meta();
        (0..meta.step_properties.len())
            .map(|i| {
                let holds = crate::panics::run_model_code(|| self.model.step_property(i, &a, &b));
                (meta.step_properties[i].tla, holds.unwrap_or(false))
            })
            .collect()
    }

    fn successors(&self, id: usize) -> Result<Vec<(StepLabel, usize)>, String> {
        let Some(s) = self.state(id) else {
            return Ok(Vec::new());
        };
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
        let mut sink = All(&self.model, Vec::new());
        crate::panics::run_model_code(|| self.model.successors(&s, &mut sink))?;
        let mut arena = self.states.lock().map_err(|e| e.to_string())?;
        Ok(sink.1.into_iter().map(|(l, n)| (l, arena.id(n))).collect())
    }

    fn check(&self) -> Json {
        let r = crate::check(&self.model, &crate::CheckOptions::default());
        let meta = self.model.meta();
        let violated = r.violated_invariant().map(str::to_string);
        let complete = matches!(
            r.outcome,
            Outcome::Ok | Outcome::Unreachable { .. } | Outcome::LivenessViolated { .. }
        );
        let safety = |name: &str| -> &'static str {
            if violated.as_deref() == Some(name) {
                "violated"
            } else if complete {
                "holds"
            } else {
                "not decided (the search stopped)"
            }
        };
        let mut verdicts = serde_json::Map::new();
        for p in meta.invariants.iter().chain(&meta.step_properties) {
            verdicts.insert(p.tla.into(), json!(safety(p.tla)));
        }
        for p in &meta.reachables {
            let v = match &r.outcome {
                Outcome::Unreachable { property } if property == p.tla => "never reached",
                Outcome::Ok | Outcome::Unreachable { .. } => "reached",
                _ => "not decided (the search stopped)",
            };
            verdicts.insert(p.tla.into(), json!(v));
        }
        for p in &meta.liveness {
            let instances: Vec<&crate::LivenessResult> = r
                .liveness
                .iter()
                .filter(|l| l.property.split(" [").next() == Some(p.tla))
                .collect();
            let v = if instances.is_empty() {
                "not decided (the search stopped)".to_string()
            } else if let Some(bad) = instances
                .iter()
                .find(|l| l.status == crate::LivenessStatus::Violated)
            {
                format!("violated ({})", bad.property)
            } else if let Some(nc) = instances.iter().find_map(|l| match &l.status {
                crate::LivenessStatus::NotChecked(why) => Some(why.clone()),
                _ => None,
            }) {
                format!("not checked: {nc}")
            } else {
                "holds".to_string()
            };
            verdicts.insert(p.tla.into(), json!(v));
        }
        if meta.check_deadlock {
            let v = if r.outcome == Outcome::Deadlock {
                "violated"
            } else if complete {
                "holds"
            } else {
                "not decided (the search stopped)"
            };
            verdicts.insert("deadlock".into(), json!(v));
        }
        let path = r.trace.as_ref().map(|t| self.path_of(t));
        json!({
            "outcome": r.outcome.keyword(),
            "summary": match &r.trace {
                Some(t) => r.outcome.ending(t.len()),
                None => match &r.outcome {
                    Outcome::Ok => "Every property holds.".to_string(),
                    o => o.ending(0),
                },
            },
            "distinct": r.distinct_states,
            "generated": r.generated_states,
            "depth": r.depth,
            "seconds": r.seconds,
            "verdicts": verdicts,
            "path": path,
            "loop": r.trace.as_ref().and_then(|t| t.loop_start),
        })
    }

    fn bags(&self) -> Vec<String> {
        crate::network::bag_variables(&self.model)
    }
}

/// Serves the explorer for `model` on `listener` until the process ends.
pub fn serve<M: Model + 'static>(model: M, listener: TcpListener) {
    let ex: Arc<dyn Explorable> = Arc::new(Explored {
        model,
        states: Mutex::new(Arena {
            states: Vec::new(),
            ids: HashMap::new(),
        }),
    });
    serve_dyn(ex, listener);
}

fn serve_dyn(ex: Arc<dyn Explorable>, listener: TcpListener) {
    for stream in listener.incoming().flatten() {
        let ex = Arc::clone(&ex);
        std::thread::spawn(move || {
            let _ = handle(&*ex, stream);
        });
    }
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(body)?;
    stream.flush()
}

fn handle(ex: &dyn Explorable, mut stream: TcpStream) -> std::io::Result<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.len() > 64 * 1024 {
            return respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                "text/plain",
                b"",
            );
        }
    }
    let head = String::from_utf8_lossy(&buf);
    let mut words = head.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let arg = |name: &str| -> Option<usize> {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
    };
    let json_ok = |stream: &mut TcpStream, v: Json| {
        respond(
            stream,
            "200 OK",
            "application/json; charset=utf-8",
            v.to_string().as_bytes(),
        )
    };
    match (method, path) {
        ("GET", "/") | ("GET", "/index.html") => respond(
            &mut stream,
            "200 OK",
            "text/html; charset=utf-8",
            page().as_bytes(),
        ),
        ("GET", "/api/model") => json_ok(&mut stream, ex.describe()),
        ("GET", "/api/init") => {
            let states: Vec<Json> = ex
                .initial()
                .into_iter()
                .map(|id| json!({"id": id, "vars": vars_json(ex, id)}))
                .collect();
            json_ok(&mut stream, json!(states))
        }
        ("GET", "/api/state") => {
            let Some(id) = arg("id") else {
                return respond(&mut stream, "400 Bad Request", "text/plain", b"id?");
            };
            json_ok(&mut stream, state_json(ex, id, arg("from")))
        }
        ("POST", "/api/check") | ("GET", "/api/check") => json_ok(&mut stream, ex.check()),
        _ => respond(&mut stream, "404 Not Found", "text/plain", b"not found"),
    }
}

fn vars_json(ex: &dyn Explorable, id: usize) -> Json {
    json!(ex
        .vars(id)
        .unwrap_or_default()
        .iter()
        .map(|v| json!({"name": v.name, "value": v.tla}))
        .collect::<Vec<_>>())
}

/// A state, what holds in it, and its successors with what each step changes.
fn state_json(ex: &dyn Explorable, id: usize, from: Option<usize>) -> Json {
    let Some(vars) = ex.vars(id) else {
        return json!({"error": format!("no state {id}")});
    };
    let trace = Trace {
        bags: ex.bags(),
        ..Trace::default()
    };
    let here = TraceState {
        action: None,
        vars: vars.clone(),
    };
    let (successors, error) = match ex.successors(id) {
        Ok(next) => (
            next.into_iter()
                .map(|(label, to)| {
                    let after = TraceState {
                        action: None,
                        vars: ex.vars(to).unwrap_or_default(),
                    };
                    json!({
                        "label": label.to_string(),
                        "id": to,
                        "changes": trace.step_changes(&here, &after),
                    })
                })
                .collect::<Vec<_>>(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e)),
    };
    let invariants: Vec<Json> = ex
        .invariants(id)
        .into_iter()
        .map(|(n, h)| json!({"name": n, "holds": h}))
        .collect();
    let steps: Vec<Json> = from
        .map(|f| ex.step_properties(f, id))
        .unwrap_or_default()
        .into_iter()
        .map(|(n, h)| json!({"name": n, "holds": h}))
        .collect();
    let changes = from.and_then(|f| {
        let before = TraceState {
            action: None,
            vars: ex.vars(f)?,
        };
        Some(trace.step_changes(&before, &here))
    });
    json!({
        "id": id,
        "vars": vars.iter().map(|v| json!({"name": v.name, "value": v.tla})).collect::<Vec<_>>(),
        "invariants": invariants,
        "step_properties": steps,
        "successors": successors,
        "changes": changes,
        "error": error,
    })
}

/// The page: markup, style and script in one document.
fn page() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>lamport explorer</title>\n<style>{}{}</style>\n</head>\n<body>\n{}\n<script>{}</script>\n</body>\n</html>\n",
        crate::page::STYLE,
        EXPLORER_STYLE,
        EXPLORER_BODY,
        EXPLORER_SCRIPT
    )
}

const EXPLORER_STYLE: &str = r#"
.cols { display: grid; grid-template-columns: minmax(280px, 1fr) minmax(320px, 1.2fr) minmax(280px, 1fr); gap: 16px; }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin-top: 10px; }
.panel h2 { margin-top: 0; }
button, .action { font: inherit; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 5px; padding: 6px 14px; cursor: pointer; }
button:disabled { opacity: 0.5; }
.list { list-style: none; padding: 0; margin: 0; }
.list li { border-top: 1px solid var(--line); padding: 6px 2px; }
.list li:first-child { border-top: 0; }
a.action, a.step { color: var(--accent); text-decoration: none; cursor: pointer; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
a.action:hover, a.step:hover { text-decoration: underline; }
.small { font-size: 12px; color: var(--muted); }
.kind { font-size: 12px; color: var(--muted); }
#path li.current { background: #eef3fb; }
"#;

const EXPLORER_BODY: &str = r#"<header>
<h1 id="title">lamport explorer</h1>
<p class="meta" id="subtitle"></p>
<p class="meta" id="constants"></p>
<p class="meta" id="fairness"></p>
</header>
<main>
<div class="cols">
<section class="panel" id="properties-panel"><h2>Properties</h2>
<p class="small">"here": in the current state (invariants) or on the last step (step properties). "check": lamport's exhaustive check of this configuration.</p>
<table class="props" id="properties"><thead><tr><th>property</th><th>here</th><th>check</th></tr></thead><tbody></tbody></table>
<p><button id="check">Check</button> <span class="small" id="check-status"></span></p>
<p id="counterexample"></p>
</section>
<section class="panel"><h2>Path</h2>
<p class="small">The steps that reached the current state; pick one to go back to it.</p>
<ol class="list" id="path"></ol>
<h2>Current state</h2>
<pre id="state"></pre>
</section>
<section class="panel"><h2>Enabled actions</h2>
<p class="small">Each action instance enabled in the current state, with what it would change.</p>
<ul class="list" id="actions"></ul>
</section>
</div>
</main>"#;

const EXPLORER_SCRIPT: &str = r##"
"use strict";
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) { if (k === "class") e.className = v; else if (k.startsWith("on")) e[k] = v; else e.setAttribute(k, v); }
  for (const k of kids) e.append(k);
  return e;
};
let model = null, path = [], verdicts = {};
async function get(url, opts) { const r = await fetch(url, opts); return r.json(); }
function renderProperties(state) {
  const here = {};
  for (const p of (state && state.invariants) || []) here[p.name] = p.holds ? "holds" : "VIOLATED";
  for (const p of (state && state.step_properties) || []) here[p.name] = p.holds ? "holds" : "VIOLATED";
  if (state && state.successors && state.successors.length === 0) here["deadlock"] = "no successor";
  const body = document.querySelector("#properties tbody");
  body.replaceChildren();
  for (const p of model.properties) {
    const h = here[p.name] || "", v = verdicts[p.name] || "not checked yet";
    const cls = s => s.startsWith("holds") || s === "reached" ? "holds" : (s.startsWith("VIOLATED") || s.startsWith("violated") || s === "never reached" || s === "no successor" ? "violated" : "unknown");
    body.append(el("tr", {"data-property": p.name},
      el("td", {}, el("b", {}, p.name), el("div", {class: "kind"}, p.kind), el("div", {class: "small"}, p.doc)),
      el("td", {class: cls(h)}, h), el("td", {class: cls(v)}, v)));
  }
}
async function show() {
  const cur = path[path.length - 1];
  const from = path.length > 1 ? path[path.length - 2].id : null;
  const state = await get("/api/state?id=" + cur.id + (from === null ? "" : "&from=" + from));
  cur.changes = state.changes;
  const list = document.getElementById("path");
  list.replaceChildren();
  path.forEach((st, i) => {
    const label = i === 0 ? "State 1: <Initial predicate>" : "State " + (i + 1) + ": <" + st.label + ">";
    const item = el("li", {class: i === path.length - 1 ? "current" : ""}, el("a", {class: "step", onclick: () => { path = path.slice(0, i + 1); show(); }}, label));
    if (i > 0) item.append(el("pre", {class: "small"}, (st.changes || []).join("\n") || "(no variable changed)"));
    list.append(item);
  });
  document.getElementById("state").textContent = state.vars.map(v => "/\\ " + v.name + " = " + v.value).join("\n");
  const actions = document.getElementById("actions");
  actions.replaceChildren();
  if (state.error) actions.append(el("li", {class: "violated"}, "Model code panicked: " + state.error));
  else if (state.successors.length === 0) actions.append(el("li", {class: "small"}, "No action is enabled here (a deadlock, unless the model allows it)."));
  for (const s of state.successors) {
    actions.append(el("li", {}, el("a", {class: "action", onclick: () => { path.push({id: s.id, label: s.label, changes: s.changes}); show(); }}, s.label),
      el("pre", {class: "small"}, s.changes.join("\n") || "(no variable changed)")));
  }
  renderProperties(state);
}
async function start() {
  model = await get("/api/model");
  document.title = model.model + " (" + model.config + ") — lamport explorer";
  document.getElementById("title").textContent = "Model " + model.model + ", configuration " + model.config;
  document.getElementById("subtitle").textContent = "TLA+ module " + model.module + "; " + model.actions.length + " actions: " + model.actions.map(a => a.name + (a.params.length ? "(" + a.params.join(", ") + ")" : "")).join(", ");
  document.getElementById("constants").textContent = "Constants: " + model.constants.map(c => c[0] + " = " + c[1]).join(", ");
  document.getElementById("fairness").textContent = model.fairness.length ? "Fairness: " + model.fairness.join(", ") : "";
  const inits = await get("/api/init");
  path = [{id: inits[0].id, label: null}];
  if (inits.length > 1) document.getElementById("subtitle").textContent += "; " + inits.length + " initial states (the first is shown)";
  await show();
  document.getElementById("check").onclick = async () => {
    const b = document.getElementById("check");
    b.disabled = true;
    document.getElementById("check-status").textContent = "checking...";
    const r = await get("/api/check", {method: "POST"});
    verdicts = r.verdicts;
    document.getElementById("check-status").textContent = r.summary + " " + r.distinct + " distinct states, " + r.generated + " generated, depth " + r.depth + ".";
    const ce = document.getElementById("counterexample");
    ce.replaceChildren();
    if (r.path && r.path.length) {
      ce.append(el("button", {id: "follow", onclick: async () => {
        const p = [{id: r.path[0], label: null}];
        for (let i = 1; i < r.path.length; i++) {
          const s = await get("/api/state?id=" + r.path[i - 1]);
          const step = s.successors.find(x => x.id === r.path[i]);
          p.push({id: r.path[i], label: step ? step.label : "?", changes: step ? step.changes : []});
        }
        path = p;
        await show();
      }}, "Follow the counterexample"));
    }
    b.disabled = false;
    await show();
  };
}
start();
"##;
