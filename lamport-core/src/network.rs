//! The messages of a trace, read through the network the model declares (`#[network(...)]`,
//! see `lamport_ir::network`): who sent which message to whom at which step, and which step
//! received, lost or duplicated it. Message diagrams ([`crate::sequence`]) draw this and nothing
//! else; a model without a declaration has no message flow.
//!
//! What happens to messages is read from the network's field in consecutive states and from
//! the steps' actions:
//! - **sent**: a message (or a copy, in a bag or a queue) is new after the step; in an action
//!   the declaration lists under `duplicates`, a new copy of a message in flight is a duplicate;
//! - **received**: a message taken out of the network by a step (in an action listed under
//!   `loses`, it is lost instead), or one the step's action reads without taking it out: a
//!   parameter drawn from the network (`m in s.msgs`), or a `s.msgs.contains(&Msg::V { .. })`
//!   test whose fields are parameters or literals. A set of messages keeps every message, so
//!   the same message may be received many times.
//!
//! The sender and receiver of each message come from its route: a field of the message, the
//! channel's key, a fixed participant, every value of a set of the constants (a message to
//! all of them), or a parameter of the sending action.

use std::collections::{BTreeMap, VecDeque};

use lamport_ir::graph::{walk_block, walk_expr};
use lamport_ir::network::{Endpoint, Network, NetworkKind};
use lamport_ir::{Expr, ExprKind, Lit, Model as Ir, Operator, Type, TypeKind};

use crate::report::Trace;
use crate::tla_value::TlaValue;

/// TLA+ names of the variables that are bags: the model's network, when it is one.
pub fn bag_variables<M: crate::Model + ?Sized>(model: &M) -> Vec<String> {
    model
        .ir()
        .and_then(|ir| ir.network)
        .filter(|n| n.kind == NetworkKind::Bag)
        .map(|n| vec![n.tla])
        .unwrap_or_default()
}

/// The messages of one trace.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    /// Participant labels, in the order a diagram shows them.
    pub participants: Vec<String>,
    pub messages: Vec<Message>,
    /// One entry per step (per state after the first), in order.
    pub steps: Vec<FlowStep>,
}

/// A message: `m1`, `m2`, ... in order of sending.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Its short label: the variant and the fields that are not its endpoints
    /// (`request_vote_request(term: 2, lastLogTerm: 0, lastLogIndex: 0)`).
    pub label: String,
    /// The message as the trace prints it.
    pub value: String,
    /// Participant index of the sender.
    pub from: usize,
    /// Participant indexes it is addressed to (several for a message to every value of a set).
    pub to: Vec<usize>,
    /// The step (index into `Flow::steps`) that sent it; `None` if it was in the network from
    /// the initial state on.
    pub sent: Option<usize>,
}

/// What one step did with messages.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowStep {
    /// The state it leads to (1-based, as traces number states).
    pub state: usize,
    /// The action with its parameters, a message among them shown by its number:
    /// `HandleRequestVoteRequest(m1)`.
    pub action: String,
    /// The action with its parameters as the trace prints them.
    pub full_action: String,
    /// The messages (indexes) among the action's parameters.
    pub param_messages: Vec<usize>,
    pub events: Vec<Event>,
    /// The participant taking a step that sends and receives nothing, if a parameter says
    /// which (a value of a node set, or the declaration's `param(..)`).
    pub actor: Option<usize>,
}

/// Something a step did with a message (an index into `Flow::messages`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Send {
        message: usize,
    },
    /// Received by participant `by`; `kept`: the message stays in the network (a set, or a
    /// read without taking it out).
    Receive {
        message: usize,
        by: usize,
        kept: bool,
    },
    Lose {
        message: usize,
    },
    Duplicate {
        message: usize,
    },
}

impl Flow {
    /// Number of messages sent in the trace.
    pub fn sent(&self) -> usize {
        self.messages.iter().filter(|m| m.sent.is_some()).count()
    }
}

/// The message flow of `trace` under the model's declared network; `None` without a
/// declaration, or when no message is sent or received in the trace. `constants` are the
/// configuration's constants as `(TLA+ name, printed value)`.
pub fn message_flow(ir: &Ir, constants: &[(&str, String)], trace: &Trace) -> Option<Flow> {
    let net = ir.network.as_ref()?;
    let mut b = Builder {
        ir,
        net,
        constants,
        participants: Vec::new(),
        messages: Vec::new(),
        in_flight: BTreeMap::new(),
    };
    let value_at = |i: usize| -> Option<TlaValue> {
        let v = trace.states[i].vars.iter().find(|v| v.name == net.tla)?;
        TlaValue::parse(&v.tla)
    };
    let mut steps = Vec::new();
    let mut before = value_at(0)?;
    b.note_initial(&before);
    for i in 1..trace.states.len() {
        let Some(label) = &trace.states[i].action else {
            continue;
        };
        let after = value_at(i)?;
        let op = ir.actions.iter().find(|a| a.tla == label.action);
        let params: Vec<(String, TlaValue)> = label
            .params
            .iter()
            .filter_map(|(n, v)| Some((n.clone(), TlaValue::parse(v)?)))
            .collect();
        let step = b.step(steps.len(), op, &params, &before, &after);
        // A parameter that is a message this step handles is shown by its number.
        let touched: Vec<usize> = step
            .iter()
            .filter_map(|e| match *e {
                Event::Receive { message, .. }
                | Event::Lose { message }
                | Event::Duplicate { message } => Some(message),
                Event::Send { .. } => None,
            })
            .collect();
        let mut param_messages = Vec::new();
        let shown: Vec<String> = label
            .params
            .iter()
            .zip(&params)
            .map(|((_, text), (_, v))| {
                let rendered = v.render();
                match touched.iter().find(|&&m| b.messages[m].value == rendered) {
                    Some(&m) => {
                        param_messages.push(m);
                        format!("m{}", m + 1)
                    }
                    None => text.clone(),
                }
            })
            .collect();
        let action = if shown.is_empty() || shown.len() != label.params.len() {
            label.to_string()
        } else {
            format!("{}({})", label.action, shown.join(", "))
        };
        steps.push(FlowStep {
            state: i + 1,
            action,
            full_action: label.to_string(),
            param_messages,
            actor: if step.is_empty() {
                b.actor(op, &params)
            } else {
                None
            },
            events: step,
        });
        before = after;
    }
    if b.messages.is_empty() {
        return None;
    }
    Some(b.finish(steps))
}

/// A message in the network: its channel (for channels) and its value.
type Slot = (Option<TlaValue>, TlaValue);

struct Builder<'a> {
    ir: &'a Ir,
    net: &'a Network,
    constants: &'a [(&'a str, String)],
    /// `(group, value, label)`: a group orders participants (model values of one type, or
    /// integers of one label), in order of first appearance.
    participants: Vec<Participant>,
    messages: Vec<Message>,
    /// The messages in the network, by slot: their ids, oldest first.
    in_flight: BTreeMap<Slot, VecDeque<usize>>,
}

#[derive(Clone, Debug)]
struct Participant {
    group: String,
    order: (i128, String),
    label: String,
}

/// The messages (with multiplicity) in a network value, by slot.
fn slots(kind: NetworkKind, v: &TlaValue) -> Vec<Slot> {
    let mut out = Vec::new();
    match kind {
        NetworkKind::Set | NetworkKind::Queue => {
            for m in v.elements().unwrap_or_default() {
                out.push((None, m.clone()));
            }
        }
        NetworkKind::Bag => {
            if let TlaValue::Func(es) = v {
                for (m, n) in es {
                    for _ in 0..n.as_int().unwrap_or(0).max(0) {
                        out.push((None, m.clone()));
                    }
                }
            }
        }
        NetworkKind::Channels | NetworkKind::ChannelSets => {
            for (k, ms) in v.entries().unwrap_or_default() {
                for m in ms.elements().unwrap_or_default() {
                    out.push((Some(k.clone()), m.clone()));
                }
            }
        }
    }
    out
}

/// `a` minus `b`, as multisets, in `a`'s order.
fn minus(a: &[Slot], b: &[Slot]) -> Vec<Slot> {
    let mut left: BTreeMap<&Slot, usize> = BTreeMap::new();
    for x in b {
        *left.entry(x).or_default() += 1;
    }
    a.iter()
        .filter(|x| match left.get_mut(x) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        })
        .cloned()
        .collect()
}

impl Builder<'_> {
    fn participant(&mut self, group: &str, order: (i128, String), label: String) -> usize {
        if let Some(i) = self.participants.iter().position(|p| p.label == label) {
            return i;
        }
        self.participants.push(Participant {
            group: group.to_string(),
            order,
            label,
        });
        self.participants.len() - 1
    }

    /// The participant a value denotes: a model value is itself (`s1`), an integer is named by
    /// the endpoint's label or name (`server 2`), a string is unquoted.
    fn node(&mut self, v: &TlaValue, word: &str) -> usize {
        match v {
            TlaValue::Atom(a) if a.parse::<i128>().is_ok() => {
                let n: i128 = a.parse().unwrap_or(0);
                self.participant(word, (n, String::new()), format!("{word} {a}"))
            }
            TlaValue::Atom(a) if a.starts_with('"') => {
                let s = a.trim_matches('"').to_string();
                self.participant(&s, (0, s.clone()), s.clone())
            }
            TlaValue::Atom(a) => {
                // `s12`: group `s`, ordered by its number.
                let digits = a.trim_start_matches(|c: char| !c.is_ascii_digit());
                let prefix = &a[..a.len() - digits.len()];
                let n = digits.parse().unwrap_or(0);
                self.participant(prefix, (n, a.clone()), a.clone())
            }
            other => {
                let s = other.render();
                self.participant(&s, (0, s.clone()), s.clone())
            }
        }
    }

    /// The enum variant a message value is of (`None` for a struct message, or no match).
    fn variant(&self, m: &TlaValue) -> Option<String> {
        let Type::Named(name) = &self.net.message else {
            return None;
        };
        let decl = self.ir.types.iter().find(|d| &d.name == name)?;
        let TypeKind::Enum(vs) = &decl.kind else {
            return None;
        };
        let tag = match m {
            TlaValue::Atom(a) => a.trim_matches('"').to_string(),
            TlaValue::Record(_) => match m.field("type")? {
                TlaValue::Atom(a) => a.trim_matches('"').to_string(),
                _ => return None,
            },
            _ => return None,
        };
        vs.iter()
            .find(|v| lamport_ir::value_names::variant_tag(v) == tag)
            .map(|v| v.name.clone())
    }

    /// The TLA+ name of field `rust` of the message's record.
    fn field_tla(&self, variant: Option<&str>, rust: &str) -> Option<String> {
        let Type::Named(name) = &self.net.message else {
            return None;
        };
        let decl = self.ir.types.iter().find(|d| &d.name == name)?;
        let fields = match (&decl.kind, variant) {
            (TypeKind::Struct(fs), _) => fs,
            (TypeKind::Enum(vs), Some(v)) => &vs.iter().find(|x| x.name == v)?.fields,
            _ => return None,
        };
        fields
            .iter()
            .find(|f| f.name == rust)
            .map(|f| f.tla.clone())
    }

    /// The values of constants field `rust` (a set).
    fn constant_set(&self, rust: &str) -> Vec<TlaValue> {
        let Some(f) = self.ir.constants.fields.iter().find(|f| f.name == rust) else {
            return Vec::new();
        };
        self.constants
            .iter()
            .find(|(n, _)| *n == f.tla)
            .and_then(|(_, v)| TlaValue::parse(v))
            .and_then(|v| v.elements().map(<[TlaValue]>::to_vec))
            .unwrap_or_default()
    }

    /// The participants an endpoint denotes for message `m` on channel `key` sent or received
    /// in a step with `params`.
    fn endpoint(
        &mut self,
        e: &Endpoint,
        m: &TlaValue,
        variant: Option<&str>,
        key: Option<&TlaValue>,
        params: &[(String, TlaValue)],
    ) -> Vec<usize> {
        let word = |name: &str| e.label().unwrap_or(name).to_string();
        match e {
            Endpoint::Fixed(name) => vec![self.participant(name, (0, name.clone()), name.clone())],
            Endpoint::Field { name, .. } => {
                let Some(v) = self
                    .field_tla(variant, name)
                    .and_then(|tla| m.field(&tla).cloned())
                else {
                    return Vec::new();
                };
                vec![self.node(&v, &word(name))]
            }
            Endpoint::Key { index, .. } => {
                let k = match (key, index) {
                    (Some(k), None) => Some(k.clone()),
                    (Some(TlaValue::Seq(ks)), Some(i)) => ks.get(*i as usize).cloned(),
                    _ => None,
                };
                k.map(|k| vec![self.node(&k, &word("key"))])
                    .unwrap_or_default()
            }
            Endpoint::Every { constant } => {
                let values = self.constant_set(constant);
                values.iter().map(|v| self.node(v, constant)).collect()
            }
            Endpoint::Param { name, .. } => params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| vec![self.node(v, &word(name))])
                .unwrap_or_default(),
        }
    }

    /// A new message in `slot`, sent at `step` (or before the trace).
    fn new_message(
        &mut self,
        slot: &Slot,
        step: Option<usize>,
        params: &[(String, TlaValue)],
    ) -> usize {
        let (key, m) = slot;
        let variant = self.variant(m);
        let route = self.net.route(variant.as_deref()).cloned();
        let (from, to) = match &route {
            Some(r) => (
                self.endpoint(&r.sender, m, variant.as_deref(), key.as_ref(), params),
                self.endpoint(&r.receiver, m, variant.as_deref(), key.as_ref(), params),
            ),
            None => (Vec::new(), Vec::new()),
        };
        let from = match from.first() {
            Some(&f) => f,
            None => self.participant("?", (0, String::new()), "?".into()),
        };
        let label = self.label(m, variant.as_deref(), route.as_ref());
        self.messages.push(Message {
            label,
            value: m.render(),
            from,
            to,
            sent: step,
        });
        let id = self.messages.len() - 1;
        self.in_flight
            .entry(slot.clone())
            .or_default()
            .push_back(id);
        id
    }

    /// `prepared`, `request_vote_request(term: 2, lastLogTerm: 0)`: the variant and the fields
    /// that are not the message's endpoints.
    fn label(
        &self,
        m: &TlaValue,
        variant: Option<&str>,
        route: Option<&lamport_ir::network::Route>,
    ) -> String {
        let endpoint_fields: Vec<String> = route
            .into_iter()
            .flat_map(|r| [&r.sender, &r.receiver])
            .filter_map(|e| match e {
                Endpoint::Field { name, .. } => self.field_tla(variant, name),
                _ => None,
            })
            .collect();
        match m {
            TlaValue::Record(fs) => {
                let mut tag = String::new();
                let mut rest = Vec::new();
                for (k, v) in fs {
                    if k == "type" && variant.is_some() {
                        tag = v.render().trim_matches('"').to_string();
                    } else if !endpoint_fields.contains(k) {
                        rest.push(format!("{k}: {v}"));
                    }
                }
                if rest.is_empty() {
                    tag
                } else {
                    format!("{tag}({})", rest.join(", "))
                }
            }
            TlaValue::Atom(a) => a.trim_matches('"').to_string(),
            other => other.render(),
        }
    }

    fn note_initial(&mut self, v: &TlaValue) {
        for slot in slots(self.net.kind, v) {
            self.new_message(&slot, None, &[]);
        }
    }

    /// The id of a message in flight in `slot` (the oldest), or a new one for a message the
    /// trace never showed being sent.
    fn in_flight_id(&mut self, slot: &Slot) -> usize {
        match self.in_flight.get(slot).and_then(|q| q.front()) {
            Some(&id) => id,
            None => self.new_message(slot, None, &[]),
        }
    }

    /// Who receives message `id` in a step with `params`: its addressee, or, for a message to
    /// several, the one a parameter of the step names.
    fn receiver(&self, id: usize, params: &[(String, TlaValue)]) -> Option<usize> {
        let to = &self.messages[id].to;
        if to.len() == 1 {
            return Some(to[0]);
        }
        params.iter().find_map(|(_, v)| {
            let label = match v {
                TlaValue::Atom(a) => a.clone(),
                _ => return None,
            };
            to.iter()
                .copied()
                .find(|&p| self.participants[p].label == label)
        })
    }

    fn step(
        &mut self,
        index: usize,
        op: Option<&Operator>,
        params: &[(String, TlaValue)],
        before: &TlaValue,
        after: &TlaValue,
    ) -> Vec<Event> {
        let kind = self.net.kind;
        let (old, new) = (slots(kind, before), slots(kind, after));
        let action = op.map(|o| o.name.as_str()).unwrap_or("");
        let loses = self.net.loses.iter().any(|a| a == action);
        let duplicates = self.net.duplicates.iter().any(|a| a == action);
        let mut events = Vec::new();
        let mut received: Vec<usize> = Vec::new();
        // Messages the action reads (before any is taken out of the network); the network's
        // own actions (losing, duplicating) read messages without receiving them.
        let network_action = loses || duplicates;
        let read: Vec<usize> = self
            .read(op, params, &old)
            .iter()
            .map(|slot| self.in_flight_id(slot))
            .collect();
        for slot in minus(&old, &new) {
            let id = self.in_flight_id(&slot);
            if let Some(q) = self.in_flight.get_mut(&slot) {
                q.pop_front();
            }
            if loses {
                events.push(Event::Lose { message: id });
            } else if let Some(by) = self.receiver(id, params) {
                events.push(Event::Receive {
                    message: id,
                    by,
                    kept: false,
                });
                received.push(id);
            }
        }
        // Messages the action reads without taking them out.
        for id in read {
            if network_action || received.contains(&id) {
                continue;
            }
            if let Some(by) = self.receiver(id, params) {
                events.push(Event::Receive {
                    message: id,
                    by,
                    kept: true,
                });
                received.push(id);
            }
        }
        for slot in minus(&new, &old) {
            let present = old.contains(&slot);
            if duplicates && present {
                let id = self.in_flight_id(&slot);
                self.in_flight.entry(slot).or_default().push_back(id);
                events.push(Event::Duplicate { message: id });
            } else {
                let id = self.new_message(&slot, Some(index), params);
                events.push(Event::Send { message: id });
            }
        }
        events
    }

    /// The messages of the network before the step that its action reads: parameters drawn
    /// from the network, and `contains` tests on it.
    fn read(
        &self,
        op: Option<&Operator>,
        params: &[(String, TlaValue)],
        old: &[Slot],
    ) -> Vec<Slot> {
        let Some(op) = op else { return Vec::new() };
        if op.state_param.is_none() {
            return Vec::new();
        }
        let field = self.net.field.as_str();
        let mut out = Vec::new();
        let mut push = |m: TlaValue| {
            if let Some(slot) = old.iter().find(|(_, x)| *x == m) {
                if !out.contains(slot) {
                    out.push(slot.clone());
                }
            }
        };
        for p in &op.params {
            let drawn = p
                .domain
                .as_ref()
                .is_some_and(|d| mentions(d, &mut |e| is_field(e, field)));
            if drawn {
                if let Some((_, v)) = params.iter().find(|(n, _)| n == &p.name) {
                    push(v.clone());
                }
            }
        }
        let rendered: BTreeMap<&str, String> = params
            .iter()
            .map(|(n, v)| (n.as_str(), v.render()))
            .collect();
        let mut args = Vec::new();
        walk_block(&op.body, &mut |e| {
            if let ExprKind::MethodCall {
                receiver,
                method,
                args: a,
                ..
            } = &e.kind
            {
                if method == "contains" && a.len() == 1 && is_field(receiver, field) {
                    args.push(a[0].clone());
                }
            }
        });
        for a in &args {
            if let Some(m) = render_literal(self.ir, a, &rendered).and_then(|s| TlaValue::parse(&s))
            {
                push(m);
            }
        }
        out
    }

    /// The participant of a step without messages: its first parameter that is a value of a
    /// node type (a model-value type some route names) or the declaration's `param(..)`.
    fn actor(&mut self, op: Option<&Operator>, params: &[(String, TlaValue)]) -> Option<usize> {
        let op = op?;
        let node_types = self.node_types();
        let param_names: Vec<(String, String)> = self
            .net
            .routes
            .iter()
            .flat_map(|r| [&r.sender, &r.receiver])
            .filter_map(|e| match e {
                Endpoint::Param { name, label } => {
                    Some((name.clone(), label.clone().unwrap_or_else(|| name.clone())))
                }
                _ => None,
            })
            .collect();
        for p in &op.params {
            let Some((_, v)) = params.iter().find(|(n, _)| n == &p.name) else {
                continue;
            };
            if let Some((_, word)) = param_names.iter().find(|(n, _)| n == &p.name) {
                return Some(self.node(v, word));
            }
            if matches!(&p.ty, Type::Named(t) if node_types.contains(t)) {
                return Some(self.node(v, &p.name));
            }
        }
        None
    }

    /// Model-value types whose values are participants: those of message fields and constants
    /// sets that routes name.
    fn node_types(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mv = |t: &Type| match t {
            Type::Named(n) if self.ir.model_values.iter().any(|m| &m.name == n) => Some(n.clone()),
            _ => None,
        };
        for r in &self.net.routes {
            for e in [&r.sender, &r.receiver] {
                let ty = match e {
                    Endpoint::Field { name, .. } => self.field_type(r.variant.as_deref(), name),
                    Endpoint::Every { constant } => self
                        .ir
                        .constants
                        .fields
                        .iter()
                        .find(|f| &f.name == constant)
                        .and_then(|f| match &f.ty {
                            Type::Set(t) => Some((**t).clone()),
                            _ => None,
                        }),
                    _ => None,
                };
                if let Some(t) = ty.as_ref().and_then(mv) {
                    if !out.contains(&t) {
                        out.push(t);
                    }
                }
            }
        }
        out
    }

    fn field_type(&self, variant: Option<&str>, rust: &str) -> Option<Type> {
        let Type::Named(name) = &self.net.message else {
            return None;
        };
        let decl = self.ir.types.iter().find(|d| &d.name == name)?;
        let fields: Vec<&lamport_ir::Field> = match &decl.kind {
            TypeKind::Struct(fs) => fs.iter().collect(),
            TypeKind::Enum(vs) => vs
                .iter()
                .filter(|v| variant.is_none_or(|x| x == v.name))
                .flat_map(|v| &v.fields)
                .collect(),
        };
        fields.iter().find(|f| f.name == rust).map(|f| f.ty.clone())
    }

    /// Orders participants: groups by first appearance, values within a group by number.
    fn finish(mut self, mut steps: Vec<FlowStep>) -> Flow {
        // Every value of a node type in the constants is a participant, mentioned or not.
        for t in self.node_types() {
            let sets: Vec<String> = self
                .ir
                .constants
                .fields
                .iter()
                .filter(|f| matches!(&f.ty, Type::Set(e) if **e == Type::Named(t.clone())))
                .map(|f| f.name.clone())
                .collect();
            for s in sets {
                for v in self.constant_set(&s) {
                    self.node(&v, &s);
                }
            }
        }
        let groups: Vec<String> = self.participants.iter().fold(Vec::new(), |mut g, p| {
            if !g.contains(&p.group) {
                g.push(p.group.clone());
            }
            g
        });
        let mut order: Vec<usize> = (0..self.participants.len()).collect();
        order.sort_by_key(|&i| {
            let p = &self.participants[i];
            (
                groups.iter().position(|g| g == &p.group),
                p.order.clone(),
                i,
            )
        });
        let mut new_index = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let participants = order
            .iter()
            .map(|&i| self.participants[i].label.clone())
            .collect();
        for m in &mut self.messages {
            m.from = new_index[m.from];
            for t in &mut m.to {
                *t = new_index[*t];
            }
        }
        for s in &mut steps {
            s.actor = s.actor.map(|a| new_index[a]);
            for e in &mut s.events {
                if let Event::Receive { by, .. } = e {
                    *by = new_index[*by];
                }
            }
        }
        Flow {
            participants,
            messages: self.messages,
            steps,
        }
    }
}

/// `e` is `<state>.<field>` (through references).
fn is_field(e: &Expr, field: &str) -> bool {
    matches!(&e.kind, ExprKind::Var { field: f, next: false } if f == field)
}

/// Whether `pred` holds of `e` or of a subexpression.
fn mentions(e: &Expr, pred: &mut dyn FnMut(&Expr) -> bool) -> bool {
    let mut found = false;
    walk_expr(e, &mut |x| found = found || pred(x));
    found
}

/// The printed form of the argument of a `contains` test, when it is a variant or struct
/// literal whose fields are parameters (of the step, `params`) or literals.
fn render_literal(ir: &Ir, e: &Expr, params: &BTreeMap<&str, String>) -> Option<String> {
    let variants_of = |ty: &str| -> Option<&Vec<lamport_ir::Variant>> {
        let decl = ir.types.iter().find(|d| d.name == ty)?;
        match &decl.kind {
            TypeKind::Enum(variants) => Some(variants),
            _ => None,
        }
    };
    match &e.kind {
        ExprKind::Ref(x) | ExprKind::Deref(x) => render_literal(ir, x, params),
        ExprKind::Lit(Lit::Int(n)) => Some(n.to_string()),
        ExprKind::Lit(Lit::Bool(b)) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
        ExprKind::Local(name) => params.get(name.as_str()).cloned(),
        ExprKind::Path(p) if p.len() == 1 => params.get(p[0].as_str()).cloned(),
        ExprKind::Variant { ty, variant } => {
            let variants = variants_of(ty)?;
            let v = variants.iter().find(|v| &v.name == variant)?;
            let tag = lamport_ir::value_names::variant_tag(v);
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
            let (tag, decl_fields) = match variant {
                Some(variant) => {
                    let v = variants_of(ty)?.iter().find(|v| &v.name == variant)?;
                    (Some(lamport_ir::value_names::variant_tag(v)), &v.fields)
                }
                None => {
                    let decl = ir.types.iter().find(|d| &d.name == ty)?;
                    let TypeKind::Struct(fs) = &decl.kind else {
                        return None;
                    };
                    (None, fs)
                }
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
