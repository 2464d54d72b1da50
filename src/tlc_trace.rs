//! TLC's counterexamples in lamport's trace form: per step the action with its parameters and
//! only the variables that changed (old → new), then what was violated.
//!
//! TLC prints every variable of every state; the `tlc` command (and `verify`, when TLC runs)
//! turns that into a [`Trace`] over the model's own variables, so that both checkers'
//! counterexamples read alike and can be compared line by line.

use crate::tla::tlc::{TlcLoop, TlcOutcome, TlcTrace};
use crate::{StepLabel, Trace, TraceState, VarValue};

/// `RMPrepare(r1)` → `RMPrepare` with the parameters `r1`, named after `param_names` (TLC
/// prints values only); `None` for the initial state.
fn step_label(action: &str, param_names: &dyn Fn(&str) -> Vec<&'static str>) -> StepLabel {
    let (name, args) = match action.split_once('(') {
        Some((name, rest)) if rest.ends_with(')') => {
            (name.trim(), split_args(&rest[..rest.len() - 1]))
        }
        _ => (action.trim(), Vec::new()),
    };
    let names = param_names(name);
    StepLabel {
        action: name.to_string(),
        params: args
            .into_iter()
            .enumerate()
            .map(|(i, v)| {
                let n = names
                    .get(i)
                    .map_or_else(|| format!("p{}", i + 1), |n| n.to_string());
                (n, v)
            })
            .collect(),
    }
}

/// Splits `a, <<b, c>>, "d, e"` at its top-level commas.
fn split_args(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut cur) = (0i32, false, String::new());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' | '{' if !quoted => depth += 1,
            ')' | ']' | '}' if !quoted => depth -= 1,
            '<' if !quoted && chars.peek() == Some(&'<') => depth += 1,
            '>' if !quoted && chars.peek() == Some(&'>') => depth -= 1,
            ',' if !quoted && depth == 0 => {
                out.push(cur.trim().to_string());
                cur.clear();
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        out.push(cur.trim().to_string());
    }
    out
}

/// TLC's behaviour as a lamport [`Trace`] over `variables` (TLA+ names, in the order lamport
/// prints them); `param_names` gives an action's parameter names. Variables TLC printed that
/// are not in `variables` are left out (an export of a lamport model has no others).
pub fn trace_from_tlc(
    t: &TlcTrace,
    variables: &[&'static str],
    param_names: &dyn Fn(&str) -> Vec<&'static str>,
) -> Trace {
    let states = t
        .states
        .iter()
        .map(|st| TraceState {
            action: st.action.as_deref().map(|a| step_label(a, param_names)),
            vars: variables
                .iter()
                .map(|name| VarValue {
                    name,
                    tla: st
                        .vars
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| v.clone())
                        .unwrap_or_else(|| "(not printed by TLC)".into()),
                    itf: serde_json::Value::Null,
                })
                .collect(),
        })
        .collect();
    Trace {
        states,
        failing_action: None,
        // How a lasso continues is said by `tlc_ending`, in TLC's own terms.
        loop_start: None,
        bags: Vec::new(),
        abstract_states: Vec::new(),
    }
}

/// The last lines of TLC's counterexample: how a lasso continues, and what was violated.
pub fn tlc_ending(t: &TlcTrace, outcome: &TlcOutcome) -> String {
    let n = t.states.len();
    let mut out = match t.ends_in {
        Some(TlcLoop::Stuttering) => format!("Then state {n} stutters forever.\n"),
        Some(TlcLoop::BackTo(k)) => format!("Then back to state {k}.\n"),
        None => String::new(),
    };
    out.push_str(&match outcome {
        TlcOutcome::InvariantViolated { invariant } => {
            format!("Invariant {invariant} is violated in state {n}.")
        }
        TlcOutcome::PropertyViolated { property } if property.is_empty() => {
            "A temporal property is violated.".to_string()
        }
        TlcOutcome::PropertyViolated { property } => format!("Property {property} is violated."),
        TlcOutcome::Deadlock => format!("Deadlock: state {n} has no successor."),
        other => format!("TLC: {other}."),
    });
    out
}

/// The whole counterexample as text: the trace in lamport's form and its ending.
pub fn render_tlc_trace<M: crate::Model>(model: &M, t: &TlcTrace, outcome: &TlcOutcome) -> String {
    let meta = model.meta();
    let variables: Vec<&'static str> = meta.variables.iter().map(|v| v.tla).collect();
    let params = |action: &str| {
        meta.actions
            .iter()
            .find(|a| a.tla == action)
            .map(|a| a.params.clone())
            .unwrap_or_default()
    };
    let mut trace = trace_from_tlc(t, &variables, &params);
    trace.bags = crate::network::bag_variables(model);
    format!("{}{}\n", trace.to_text(), tlc_ending(t, outcome))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_split_at_top_level_commas() {
        assert_eq!(
            split_args(r#"r1, <<1, 2>>, [a |-> 1, b |-> 2], "x, y""#),
            ["r1", "<<1, 2>>", "[a |-> 1, b |-> 2]", r#""x, y""#]
        );
        assert!(split_args("").is_empty());
    }

    #[test]
    fn labels_take_the_model_s_parameter_names() {
        let names = |a: &str| {
            if a == "Send" {
                vec!["from", "to"]
            } else {
                vec![]
            }
        };
        let l = step_label("Send(a1, a2)", &names);
        assert_eq!(l.action, "Send");
        assert_eq!(
            l.params,
            [("from".into(), "a1".into()), ("to".into(), "a2".into())]
        );
        assert_eq!(step_label("Tick", &names).to_string(), "Tick");
        assert_eq!(step_label("Other(3)", &names).params[0].0, "p1");
    }
}
