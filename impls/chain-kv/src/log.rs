//! The event log: one JSON object per line, each a step of the store named after the action of
//! the `chain_replication` specification it implements, with what the component taking the step
//! observed of its own state afterwards (the trace format of lamport's `validate-trace`).
//!
//! Instrumentation follows the specification's vocabulary on purpose: `Forward` is a server
//! sending its next update down the chain, `Receive` one applying an update from its link,
//! `TailAck` the client receiving an acknowledgement, `Crash` the chain manager removing a
//! server. Steps that change nothing the specification describes (a duplicate acknowledgement,
//! a lost datagram) are not logged.

use serde_json::{json, Map, Value};

/// The recorded steps of one run.
#[derive(Clone, Debug, Default)]
pub struct EventLog {
    lines: Vec<String>,
}

impl EventLog {
    pub fn new() -> Self {
        EventLog::default()
    }

    /// An observation without a step (the initial state).
    pub(crate) fn observe(&mut self, state: Map<String, Value>) {
        self.lines.push(json!({ "state": state }).to_string());
    }

    /// A step: the action, its parameters, and the state observed after it.
    pub(crate) fn step(
        &mut self,
        action: &str,
        params: Map<String, Value>,
        state: Map<String, Value>,
    ) {
        let mut event = Map::new();
        event.insert("action".into(), json!(action));
        if !params.is_empty() {
            event.insert("params".into(), Value::Object(params));
        }
        event.insert("state".into(), Value::Object(state));
        self.lines.push(Value::Object(event).to_string());
    }

    /// The events, one JSON object each.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// The log as a JSON-lines document.
    pub fn to_jsonl(&self) -> String {
        let mut out = String::new();
        for l in &self.lines {
            out.push_str(l);
            out.push('\n');
        }
        out
    }

    /// Writes the log to `path`.
    pub fn write_to(&self, path: &std::path::Path) -> std::io::Result<()> {
        std::fs::write(path, self.to_jsonl())
    }
}

/// `{"k": v, ...}` from pairs.
pub(crate) fn fields<const N: usize>(pairs: [(&str, Value); N]) -> Map<String, Value> {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}
