//! A Mermaid sequence diagram of the messages in a trace: who sent what to whom.
//!
//! Which variables hold messages is decided from the model's declared types (the IR), and
//! what happened to messages from the difference between consecutive states:
//!
//! * **A message pool** is a state variable of type `Set<T>` or `Seq<T>` where `T` is a
//!   `#[derive(Value)]` enum or struct of the model (messages carry structure), or any set or
//!   sequence whose name says it holds messages (`msgs`, `messages`, `network`, `inbox`,
//!   `channel`, `mailbox`, `queue`, `link`, singular or plural). It is drawn as its own lane.
//! * **Channels** are a variable of type `Map<K, Set<T>>` or `Map<K, Seq<T>>` with such an
//!   element type or name: the link into participant `k` is the entry at key `k`.
//! * **The actor** of a step is the value of its action's first parameter that is a model value
//!   (`r1`) or an integer (a server number, a ballot), shown as `name=value` for integers,
//!   skipping parameters that only select the message received (below). An
//!   action without such a parameter is taken by the participant named by the first word of its
//!   TLA+ name: `TMCommit` → `TM`, `ClientUpdate` → `Client`.
//! * **Sent**: an element new in a pool, drawn `actor ->> pool`; or new on the channel to `k`,
//!   drawn `actor ->> k`.
//! * **Received**: a pool message the step's action takes as a parameter (`m in s.msgs`), or
//!   tests for with `s.msgs.contains(&Msg::Variant { field: param, .. })`, drawn
//!   `pool -->> actor` with its sender; an element gone from the channel of `k` is a note over
//!   `k`.
//! * A step that neither sends nor receives is a note over its actor; the violated property
//!   ends the diagram as a note.
//!
//! Models without such a variable (or traces without a message) get no diagram.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lamport_ir::{Block, Expr, ExprKind, Lit, Model as Ir, Operator, Type, TypeKind};

use crate::report::{StepLabel, Trace};

/// Where a model keeps its messages.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Carrier {
    /// One set or sequence of messages everybody reads from.
    Pool { element: Type },
    /// `Map<destination, collection of messages>`.
    Channels,
}

#[derive(Clone, Debug)]
struct MessageVar {
    /// Rust name (as the IR's action bodies refer to it).
    rust: String,
    /// TLA+ name (as traces name it).
    tla: String,
    carrier: Carrier,
}

const MESSAGE_WORDS: &[&str] = &[
    "msg", "message", "network", "net", "inbox", "outbox", "channel", "mailbox", "queue", "link",
];

fn names_messages(rust_name: &str) -> bool {
    rust_name.split('_').any(|w| {
        let w = w.to_ascii_lowercase();
        let stems = [
            w.as_str(),
            w.strip_suffix("es").unwrap_or(""),
            w.strip_suffix('s').unwrap_or(""),
        ];
        stems.iter().any(|s| MESSAGE_WORDS.contains(s))
    })
}

fn is_declared(ir: &Ir, t: &Type) -> bool {
    matches!(t, Type::Named(n) if ir.types.iter().any(|d| &d.name == n))
}

fn message_vars(ir: &Ir) -> Vec<MessageVar> {
    let mut out = Vec::new();
    for f in &ir.state.fields {
        let by_name = names_messages(&f.name);
        let carrier = match &f.ty {
            Type::Set(e) | Type::Seq(e) if by_name || is_declared(ir, e) => Carrier::Pool {
                element: (**e).clone(),
            },
            Type::Map(_, v) => match &**v {
                Type::Set(e) | Type::Seq(e) if by_name || is_declared(ir, e) => Carrier::Channels,
                _ => continue,
            },
            _ => continue,
        };
        out.push(MessageVar {
            rust: f.name.clone(),
            tla: f.tla.clone(),
            carrier,
        });
    }
    out
}

/// Splits `s` at every top-level `sep` (outside brackets, `<< >>` and strings).
fn split_top<'a>(s: &'a str, sep: &str) -> Vec<&'a str> {
    let b = s.as_bytes();
    let mut parts = Vec::new();
    let (mut depth, mut start, mut i, mut quoted) = (0i32, 0usize, 0usize, false);
    while i < b.len() {
        let c = b[i];
        if quoted {
            if c == b'\\' {
                i += 1;
            } else if c == b'"' {
                quoted = false;
            }
        } else if c == b'"' {
            quoted = true;
        } else if s[i..].starts_with("<<") {
            depth += 1;
            i += 2;
            continue;
        } else if s[i..].starts_with(">>") && depth > 0 {
            depth -= 1;
            i += 2;
            continue;
        } else if matches!(c, b'(' | b'[' | b'{') {
            depth += 1;
        } else if matches!(c, b')' | b']' | b'}') {
            depth -= 1;
        } else if depth == 0 && s[i..].starts_with(sep) {
            parts.push(&s[start..i]);
            i += sep.len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(&s[start..]);
    parts
}

/// The elements of a rendered set `{a, b}` or sequence `<<a, b>>`.
fn elements(tla: &str) -> Vec<String> {
    let t = tla.trim();
    let inner = t
        .strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| t.strip_prefix("<<").and_then(|r| r.strip_suffix(">>")))
        .unwrap_or("");
    if inner.trim().is_empty() {
        return Vec::new();
    }
    split_top(inner, ", ")
        .into_iter()
        .map(|e| e.trim().to_string())
        .collect()
}

/// The entries of a rendered function `(k1 :> v1 @@ k2 :> v2)` (`<<>>` when empty).
fn entries(tla: &str) -> Vec<(String, String)> {
    let t = tla.trim();
    let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return Vec::new();
    };
    split_top(inner, " @@ ")
        .into_iter()
        .filter_map(|e| {
            let kv = split_top(e, " :> ");
            (kv.len() == 2).then(|| (kv[0].trim().to_string(), kv[1].trim().to_string()))
        })
        .collect()
}

/// `a` minus `b`, as multisets, in `a`'s order.
fn minus(a: &[String], b: &[String]) -> Vec<String> {
    let mut left: BTreeMap<&str, usize> = BTreeMap::new();
    for x in b {
        *left.entry(x).or_default() += 1;
    }
    a.iter()
        .filter(|x| match left.get_mut(x.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

/// A message as a short label: `[type |-> "prepared", rm |-> r1]` → `prepared(rm: r1)`.
pub fn message_label(tla: &str) -> String {
    let t = tla.trim();
    let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) else {
        return mermaid_text(t);
    };
    let mut tag = String::new();
    let mut fields = Vec::new();
    for f in split_top(inner, ", ") {
        let Some((name, value)) = f.split_once(" |-> ") else {
            return mermaid_text(t);
        };
        if name.trim() == "type" && tag.is_empty() && fields.is_empty() {
            tag = value.trim().trim_matches('"').to_string();
        } else {
            fields.push(format!("{}: {}", name.trim(), value.trim()));
        }
    }
    let label = if fields.is_empty() {
        tag
    } else {
        format!("{tag}({})", fields.join(", "))
    };
    mermaid_text(&label)
}

/// Text that Mermaid shows as written: no statement separators, comments, entity codes or
/// things an HTML sanitizer would take for tags.
fn mermaid_text(s: &str) -> String {
    s.replace("<<", "⟨")
        .replace(">>", "⟩")
        .replace(';', ",")
        .replace('#', "no. ")
        .replace('"', "")
        .replace('<', "‹")
        .replace('>', "›")
        .replace('\n', " ")
}

/// The first word of an action's TLA+ name: an acronym (`TMCommit` → `TM`) or a capitalised
/// word (`ClientUpdate` → `Client`).
fn first_word(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let caps = chars.iter().take_while(|c| c.is_ascii_uppercase()).count();
    if caps >= 2 {
        // `TMCommit`: the last capital starts the next word, unless the name is all capitals.
        let end = if caps < chars.len() { caps - 1 } else { caps };
        return chars[..end].iter().collect();
    }
    let end = chars
        .iter()
        .skip(1)
        .position(|c| c.is_ascii_uppercase())
        .map_or(chars.len(), |p| p + 1);
    chars[..end].iter().collect()
}

/// The rendering `value` would have as an element of a message pool, for the argument of a
/// `contains` test: a variant or struct literal whose fields are parameters or literals.
fn render_literal(ir: &Ir, e: &Expr, params: &BTreeMap<&str, &str>) -> Option<String> {
    match &e.kind {
        ExprKind::Lit(Lit::Int(n)) => Some(n.to_string()),
        ExprKind::Lit(Lit::Bool(b)) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
        ExprKind::Local(p) => params.get(p.as_str()).map(|v| v.to_string()),
        ExprKind::Variant { ty, variant } => {
            let decl = ir.types.iter().find(|d| &d.name == ty)?;
            let TypeKind::Enum(variants) = &decl.kind else {
                return None;
            };
            let tag = lamport_ir::naming::snake_case(variant);
            if variants.iter().all(|v| v.fields.is_empty()) {
                Some(format!("\"{tag}\""))
            } else {
                Some(format!("[type |-> \"{tag}\"]"))
            }
        }
        ExprKind::Record {
            ty,
            variant,
            fields,
        } => {
            let decl = ir.types.iter().find(|d| &d.name == ty)?;
            let (tag, decl_fields) = match (&decl.kind, variant) {
                (TypeKind::Enum(variants), Some(v)) => {
                    let vd = variants.iter().find(|x| &x.name == v)?;
                    (Some(lamport_ir::naming::snake_case(v)), &vd.fields)
                }
                (TypeKind::Struct(fs), None) => (None, fs),
                _ => return None,
            };
            let mut parts = Vec::new();
            if let Some(tag) = tag {
                parts.push(format!("type |-> \"{tag}\""));
            }
            for df in decl_fields {
                let (_, value) = fields.iter().find(|(n, _)| n == &df.name)?;
                parts.push(format!(
                    "{} |-> {}",
                    df.tla,
                    render_literal(ir, value, params)?
                ));
            }
            Some(format!("[{}]", parts.join(", ")))
        }
        _ => None,
    }
}

/// Every argument of `s.<var>.contains(arg)` in `block`.
fn contains_args<'a>(block: &'a Block, var: &str, out: &mut Vec<&'a Expr>) {
    lamport_ir::graph::walk_block(block, &mut |e| {
        if let ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } = &e.kind
        {
            let on_var =
                matches!(&receiver.kind, ExprKind::Var { field, next: false } if field == var);
            if method == "contains" && args.len() == 1 && on_var {
                out.push(&args[0]);
            }
        }
    });
}

/// The participants of a diagram, in order of first appearance.
#[derive(Default)]
struct Lanes {
    /// `(id, label)`.
    lanes: Vec<(String, String)>,
}

impl Lanes {
    fn id(&mut self, label: &str) -> String {
        if let Some((id, _)) = self.lanes.iter().find(|(_, l)| l == label) {
            return id.clone();
        }
        let id = format!("P{}", self.lanes.len() + 1);
        self.lanes.push((id.clone(), label.to_string()));
        id
    }
}

/// Parameter names `e` mentions.
fn mentioned(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Local(p) => out.push(p.clone()),
        ExprKind::Record { fields, .. } => fields.iter().for_each(|(_, v)| mentioned(v, out)),
        _ => {}
    }
}

/// The `contains` tests of `op` on the message variable `var`.
fn receipts<'a>(op: &'a Operator, var: &str) -> Vec<&'a Expr> {
    let mut args = Vec::new();
    contains_args(&op.body, var, &mut args);
    args
}

/// The actor of a step (see the module documentation) as a participant label. Parameters that
/// only say which message is received (`rm` in `s.msgs.contains(&Msg::Prepared { rm })`) are
/// not the actor: the receiver is.
fn actor(ir: &Ir, vars: &[MessageVar], op: Option<&Operator>, label: &StepLabel) -> String {
    let model_value =
        |t: &Type| matches!(t, Type::Named(n) if ir.model_values.iter().any(|m| &m.name == n));
    if let Some(op) = op {
        let mut selectors = Vec::new();
        for v in vars {
            for e in receipts(op, &v.rust) {
                mentioned(e, &mut selectors);
            }
        }
        let candidates = op
            .params
            .iter()
            .zip(&label.params)
            .filter(|(p, _)| !selectors.contains(&p.name));
        for (p, (_, value)) in candidates {
            if model_value(&p.ty) {
                return mermaid_text(value);
            }
            if matches!(p.ty, Type::Int(_)) {
                return mermaid_text(&format!("{}={value}", p.name));
            }
        }
    }
    mermaid_text(&first_word(&label.action))
}

/// The sequence diagram of `trace` (Mermaid source, without the surrounding fence), or `None`
/// when the model has no message variable or no message is sent or received in the trace.
/// `ending` (e.g. "TCConsistent violated") becomes a note after the last step.
pub fn sequence_diagram(ir: &Ir, trace: &Trace, ending: Option<&str>) -> Option<String> {
    let vars = message_vars(ir);
    if vars.is_empty() || trace.states.is_empty() {
        return None;
    }
    let value_of = |i: usize, name: &str| -> Option<&str> {
        trace.states[i]
            .vars
            .iter()
            .find(|v| v.name == name)
            .map(|v| v.tla.as_str())
    };
    // Integer participants are named after the parameter that introduced them (`n=2`); a
    // channel's key is the same participant.
    let mut int_names: BTreeMap<String, String> = BTreeMap::new();
    let actors: Vec<Option<String>> = trace
        .states
        .iter()
        .map(|st| {
            let label = st.action.as_ref()?;
            let op = ir.actions.iter().find(|a| a.tla == label.action);
            let who = actor(ir, &vars, op, label);
            if let Some((name, value)) = who.split_once('=') {
                int_names
                    .entry(value.to_string())
                    .or_insert_with(|| format!("{name}={value}"));
            }
            Some(who)
        })
        .collect();
    let mut lanes = Lanes::default();
    let mut lines: Vec<String> = Vec::new();
    let mut messages = 0usize;
    // Who sent each pool message, by its rendering.
    let mut sender: BTreeMap<String, String> = BTreeMap::new();

    for (i, who) in actors.iter().enumerate().skip(1) {
        let Some(label) = &trace.states[i].action else {
            continue;
        };
        let op = ir.actions.iter().find(|a| a.tla == label.action);
        let who = who.clone().unwrap_or_default();
        let params: BTreeMap<&str, &str> = op
            .map(|op| {
                op.params
                    .iter()
                    .zip(&label.params)
                    .map(|(p, (_, v))| (p.name.as_str(), v.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let mut step_lines = Vec::new();
        for var in &vars {
            let (Some(old), Some(new)) = (value_of(i - 1, &var.tla), value_of(i, &var.tla)) else {
                continue;
            };
            match &var.carrier {
                Carrier::Pool { element } => {
                    let lane_label = mermaid_text(&var.tla);
                    let (before, after) = (elements(old), elements(new));
                    // Received: a parameter drawn from the pool, or a `contains` test on it.
                    let mut taken: Vec<String> = Vec::new();
                    if let Some(op) = op {
                        for (p, (_, v)) in op.params.iter().zip(&label.params) {
                            if &p.ty == element && before.contains(v) {
                                taken.push(v.clone());
                            }
                        }
                        for a in receipts(op, &var.rust) {
                            if let Some(m) = render_literal(ir, a, &params) {
                                if before.contains(&m) && !taken.contains(&m) {
                                    taken.push(m);
                                }
                            }
                        }
                    }
                    for m in &taken {
                        let from = sender
                            .get(m)
                            .map(|s| format!(" from {s}"))
                            .unwrap_or_default();
                        let (pool, me) = (lanes.id(&lane_label), lanes.id(&who));
                        step_lines.push(format!("{pool}-->>{me}: {}{from}", message_label(m)));
                        messages += 1;
                    }
                    for m in minus(&after, &before) {
                        let (me, pool) = (lanes.id(&who), lanes.id(&lane_label));
                        step_lines.push(format!("{me}->>{pool}: {}", message_label(&m)));
                        sender.insert(m, who.clone());
                        messages += 1;
                    }
                }
                Carrier::Channels => {
                    let (before, after) = (entries(old), entries(new));
                    let at = |es: &[(String, String)], k: &str| {
                        es.iter()
                            .find(|(key, _)| key == k)
                            .map(|(_, v)| elements(v))
                            .unwrap_or_default()
                    };
                    let keys: Vec<&String> = after.iter().chain(&before).map(|(k, _)| k).fold(
                        Vec::new(),
                        |mut ks, k| {
                            if !ks.contains(&k) {
                                ks.push(k);
                            }
                            ks
                        },
                    );
                    for k in keys {
                        let (b, a) = (at(&before, k), at(&after, k));
                        let to_label = int_names.get(k).cloned().unwrap_or_else(|| mermaid_text(k));
                        for m in minus(&b, &a) {
                            let to = lanes.id(&to_label);
                            step_lines.push(format!(
                                "Note over {to}: {} takes {}",
                                mermaid_text(&label.to_string()),
                                message_label(&m)
                            ));
                            messages += 1;
                        }
                        for m in minus(&a, &b) {
                            let (me, to) = (lanes.id(&who), lanes.id(&to_label));
                            step_lines.push(format!("{me}->>{to}: {}", message_label(&m)));
                            messages += 1;
                        }
                    }
                }
            }
        }
        if step_lines.is_empty() {
            let me = lanes.id(&who);
            step_lines.push(format!(
                "Note over {me}: {}",
                mermaid_text(&label.to_string())
            ));
        }
        lines.extend(step_lines);
    }
    if messages == 0 {
        return None;
    }
    if let Some(end) = ending {
        let first = lanes.lanes.first().map(|l| l.0.clone())?;
        let last = lanes.lanes.last().map(|l| l.0.clone())?;
        let span = if first == last {
            first
        } else {
            format!("{first},{last}")
        };
        lines.push(format!("Note over {span}: {}", mermaid_text(end)));
    }
    let mut out = String::from("sequenceDiagram\n");
    for (id, label) in &lanes.lanes {
        let _ = writeln!(out, "    participant {id} as {label}");
    }
    for l in lines {
        let _ = writeln!(out, "    {l}");
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderings_split_at_the_top_level_only() {
        assert_eq!(
            elements(r#"{[type |-> "commit"], [type |-> "prepared", rm |-> r1]}"#),
            [
                r#"[type |-> "commit"]"#,
                r#"[type |-> "prepared", rm |-> r1]"#
            ]
        );
        assert_eq!(
            elements("<<1, <<2, 3>>, \"a, b\">>"),
            ["1", "<<2, 3>>", "\"a, b\""]
        );
        assert!(elements("{}").is_empty() && elements("<<>>").is_empty());
        assert_eq!(
            entries("(1 :> <<>> @@ 2 :> <<1, 2>>)"),
            [("1".into(), "<<>>".into()), ("2".into(), "<<1, 2>>".into())]
        );
        assert!(entries("<<>>").is_empty());
    }

    #[test]
    fn messages_become_short_labels() {
        assert_eq!(
            message_label(r#"[type |-> "prepared", rm |-> r1]"#),
            "prepared(rm: r1)"
        );
        assert_eq!(message_label(r#"[type |-> "commit"]"#), "commit");
        assert_eq!(
            message_label(r#"[type |-> "phase1b", acc |-> a1, mval |-> <<>>]"#),
            "phase1b(acc: a1, mval: ⟨⟩)"
        );
        assert_eq!(
            message_label("[bal |-> 1, val |-> v1]"),
            "(bal: 1, val: v1)"
        );
        assert_eq!(message_label("3"), "3");
    }

    #[test]
    fn the_first_word_of_an_action_names_its_actor() {
        assert_eq!(first_word("TMCommit"), "TM");
        assert_eq!(first_word("ClientUpdate"), "Client");
        assert_eq!(first_word("Phase1a"), "Phase1a");
        assert_eq!(first_word("TM"), "TM");
        assert_eq!(first_word("Tick"), "Tick");
    }

    #[test]
    fn message_variables_are_recognised_by_name() {
        assert!(names_messages("msgs") && names_messages("inbox") && names_messages("inboxes"));
        assert!(names_messages("net") && names_messages("in_flight_messages"));
        assert!(!names_messages("hist") && !names_messages("tm_prepared"));
    }
}
