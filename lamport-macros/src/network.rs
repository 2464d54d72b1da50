//! `#[network(...)]`: the model says which state field holds its messages and who sends each
//! message to whom. The attribute is taken off the state field before the module is parsed,
//! checked against the lowered model, and stored in the IR (`Model::network`), where message
//! diagrams read it.
//!
//! ```text
//! #[network(source -> dest, loses = drop_message, duplicates = duplicate_message)]
//! pub msgs: Map<Msg, i64>,
//!
//! #[network(Prepared: rm -> "TM", Commit: "TM" -> c.rm, Abort: "TM" -> c.rm)]
//! pub msgs: Set<Msg>,
//!
//! #[network(param(n) as "server" -> key as "server", loses = crash)]
//! pub inbox: Map<i64, Seq<usize>>,
//! ```
//!
//! A route is `sender -> receiver`, for every message or, prefixed by `Variant:`, for one
//! variant of an enum message. An endpoint is a field of the message (`source`), the channel's
//! key (`key`, `key.0`), a participant that is not a value of the model (`"TM"`), every value of
//! a constants field (`c.rm`, receivers only), or a parameter of the action that sends or
//! receives the message (`param(n)`); `as "word"` names integer participants (`server 2`).

use lamport_ir::network::{Endpoint, Network, NetworkKind, Route};
use lamport_ir::{Model, Type, TypeKind};
use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::{Ident, Item, ItemMod, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;

/// One `#[network(...)]` as written, with the spans errors point at.
pub struct Decl {
    field: Ident,
    attr: Span,
    routes: Vec<RouteDecl>,
    loses: Vec<Ident>,
    duplicates: Vec<Ident>,
}

struct RouteDecl {
    variant: Option<Ident>,
    sender: EndpointDecl,
    receiver: EndpointDecl,
}

enum EndpointDecl {
    Field(Ident, Option<LitStr>),
    Key(Ident, Option<LitInt>, Option<LitStr>),
    Fixed(LitStr),
    Every(Ident),
    Param(Ident, Option<LitStr>),
}

struct Args {
    routes: Vec<RouteDecl>,
    loses: Vec<Ident>,
    duplicates: Vec<Ident>,
}

fn label(input: ParseStream) -> syn::Result<Option<LitStr>> {
    if input.peek(Token![as]) {
        input.parse::<Token![as]>()?;
        return Ok(Some(input.parse()?));
    }
    Ok(None)
}

impl Parse for EndpointDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(LitStr) {
            return Ok(EndpointDecl::Fixed(input.parse()?));
        }
        let id: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected an endpoint: a message field (`source`), `key`, `key.0`, `c.field`, `param(name)` or a participant's name in quotes (`\"TM\"`)",
            )
        })?;
        if id == "param" && input.peek(syn::token::Paren) {
            let inner;
            syn::parenthesized!(inner in input);
            let name: Ident = inner.parse()?;
            return Ok(EndpointDecl::Param(name, label(input)?));
        }
        if input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            if id == "key" {
                let index: LitInt = input.parse()?;
                return Ok(EndpointDecl::Key(id, Some(index), label(input)?));
            }
            let field: Ident = input.parse()?;
            if input.peek(Token![as]) {
                return Err(input.error(
                    "every value of a constants field is a participant of its own: drop `as \"...\"`",
                ));
            }
            return Ok(EndpointDecl::Every(field));
        }
        if id == "key" {
            return Ok(EndpointDecl::Key(id, None, label(input)?));
        }
        Ok(EndpointDecl::Field(id, label(input)?))
    }
}

fn action_list(input: ParseStream) -> syn::Result<Vec<Ident>> {
    if input.peek(syn::token::Bracket) {
        let inner;
        syn::bracketed!(inner in input);
        let names = inner.parse_terminated(Ident::parse, Token![,])?;
        return Ok(names.into_iter().collect());
    }
    Ok(vec![input.parse()?])
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut args = Args {
            routes: Vec::new(),
            loses: Vec::new(),
            duplicates: Vec::new(),
        };
        while !input.is_empty() {
            let is_list = |kw: &str| {
                input.fork().parse::<Ident>().is_ok_and(|i| i == kw) && input.peek2(Token![=])
            };
            if is_list("loses") || is_list("duplicates") {
                let kw: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                let names = action_list(input)?;
                if kw == "loses" {
                    args.loses.extend(names);
                } else {
                    args.duplicates.extend(names);
                }
            } else {
                let variant =
                    if input.peek(Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
                        let v: Ident = input.parse()?;
                        input.parse::<Token![:]>()?;
                        Some(v)
                    } else {
                        None
                    };
                let sender: EndpointDecl = input.parse()?;
                if !input.peek(Token![->]) {
                    return Err(input
                        .error("expected `->` and the receiver: a route is `sender -> receiver`"));
                }
                input.parse::<Token![->]>()?;
                let receiver: EndpointDecl = input.parse()?;
                args.routes.push(RouteDecl {
                    variant,
                    sender,
                    receiver,
                });
            }
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(args)
    }
}

/// Takes every `#[network(...)]` off the module's items; those on a field of the `#[state]`
/// struct are returned, the others are errors.
pub fn extract(cx: &Ctxt, module: &mut ItemMod) -> Vec<Decl> {
    let mut decls = Vec::new();
    let Some((_, items)) = &mut module.content else {
        return decls;
    };
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let is_state = s.attrs.iter().any(|a| a.path().is_ident("state"));
        for f in s.fields.iter_mut() {
            let (network, keep): (Vec<_>, Vec<_>) = f
                .attrs
                .drain(..)
                .partition(|a| a.path().is_ident("network"));
            f.attrs = keep;
            for attr in network {
                if !is_state {
                    cx.error_spanned_by(
                        &attr,
                        "#[network] goes on the field of the #[state] struct that holds the messages",
                    );
                    continue;
                }
                let Some(field) = f.ident.clone() else {
                    continue;
                };
                let parsed = match &attr.meta {
                    syn::Meta::List(list) => syn::parse2::<Args>(list.tokens.clone()),
                    _ => Err(syn::Error::new_spanned(
                        &attr,
                        "#[network] says who sends each message to whom: write `#[network(sender -> receiver)]`, e.g. `#[network(source -> dest)]`",
                    )),
                };
                match parsed {
                    Ok(args) => decls.push(Decl {
                        field,
                        attr: attr.path().segments[0].ident.span(),
                        routes: args.routes,
                        loses: args.loses,
                        duplicates: args.duplicates,
                    }),
                    Err(e) => cx.push(e),
                }
            }
        }
    }
    decls
}

/// A record of the message type: its enum variant (`None` for a struct) and field names.
type RecordFields = (Option<String>, Vec<String>);

/// The message type's name and records (one per enum variant), or `None` when messages are not
/// records.
fn records(ir: &Model, message: &Type) -> Option<(String, Vec<RecordFields>)> {
    let Type::Named(name) = message else {
        return None;
    };
    let decl = ir.types.iter().find(|d| &d.name == name)?;
    let names = |fs: &[lamport_ir::Field]| fs.iter().map(|f| f.name.clone()).collect();
    Some((
        name.clone(),
        match &decl.kind {
            TypeKind::Struct(fs) => vec![(None, names(fs))],
            TypeKind::Enum(vs) => vs
                .iter()
                .map(|v| (Some(v.name.clone()), names(&v.fields)))
                .collect(),
        },
    ))
}

fn kind_of(ty: &Type) -> Option<(NetworkKind, Type, Option<Type>)> {
    match ty {
        Type::Set(m) => Some((NetworkKind::Set, (**m).clone(), None)),
        Type::Seq(m) => Some((NetworkKind::Queue, (**m).clone(), None)),
        Type::Map(m, n) if matches!(**n, Type::Int(_)) => {
            Some((NetworkKind::Bag, (**m).clone(), None))
        }
        Type::Map(k, v) => match &**v {
            Type::Seq(m) => Some((NetworkKind::Channels, (**m).clone(), Some((**k).clone()))),
            Type::Set(m) => Some((NetworkKind::ChannelSets, (**m).clone(), Some((**k).clone()))),
            _ => None,
        },
        _ => None,
    }
}

/// Checks the declarations against the lowered model and stores the network in its IR.
pub fn attach(cx: &Ctxt, ir: &mut Model, decls: Vec<Decl>) {
    let mut decls = decls.into_iter();
    let Some(decl) = decls.next() else { return };
    for extra in decls {
        cx.error_at(
            extra.attr,
            format!(
                "a model has one network, and `{}` is already it: keep every message in one field",
                decl.field
            ),
        );
    }
    let Some(field) = ir
        .state
        .fields
        .iter()
        .find(|f| decl.field == f.name.as_str())
    else {
        return;
    };
    let Some((kind, message, key)) = kind_of(&field.ty) else {
        cx.error_spanned_by(
            &decl.field,
            format!(
                "#[network] goes on the field that holds the messages: a set `Set<Msg>`, a bag `Map<Msg, i64>`, a queue `Seq<Msg>`, or channels `Map<K, Seq<Msg>>` or `Map<K, Set<Msg>>`; `{}` is none of these",
                decl.field
            ),
        );
        return;
    };
    let records = records(ir, &message);
    let checker = Checker {
        cx,
        ir,
        key: key.as_ref(),
        records: records.as_ref(),
    };
    let mut routes = Vec::new();
    for r in &decl.routes {
        let variant = r.variant.as_ref().map(|v| v.to_string());
        // The records this route covers: its variant, or every variant without a route.
        let covered: Vec<RecordFields> = match (&records, &r.variant) {
            (Some((ty, rs)), Some(v)) => match rs
                .iter()
                .find(|(n, _)| n.as_deref() == Some(&v.to_string()))
            {
                Some(rec) => vec![rec.clone()],
                None => {
                    let names: Vec<String> = rs.iter().filter_map(|(n, _)| n.clone()).collect();
                    let what = if names.is_empty() {
                        format!("`{ty}` is a struct, so every message takes the same route: drop `{v}:`")
                    } else {
                        format!(
                            "`{v}` is not a variant of `{ty}`; its variants are {}",
                            names.join(", ")
                        )
                    };
                    cx.error_spanned_by(v, what);
                    continue;
                }
            },
            (None, Some(v)) => {
                cx.error_spanned_by(v, "only the variants of an enum message take routes of their own: drop the `Variant:` prefix");
                continue;
            }
            (Some((_, rs)), None) => rs
                .iter()
                .filter(|(n, _)| {
                    !decl
                        .routes
                        .iter()
                        .any(|o| o.variant.as_ref().map(|v| v.to_string()) == *n && n.is_some())
                })
                .cloned()
                .collect(),
            (None, None) => Vec::new(),
        };
        let (Some(sender), Some(receiver)) = (
            checker.endpoint(&r.sender, &covered, true),
            checker.endpoint(&r.receiver, &covered, false),
        ) else {
            continue;
        };
        routes.push(Route {
            variant,
            sender,
            receiver,
        });
    }
    // Every message has a route.
    if !decl.routes.iter().any(|r| r.variant.is_none()) {
        match &records {
            Some((_, rs)) if rs.iter().all(|(n, _)| n.is_some()) => {
                let missing: Vec<&str> = rs
                    .iter()
                    .filter_map(|(n, _)| n.as_deref())
                    .filter(|n| {
                        !decl
                            .routes
                            .iter()
                            .any(|r| r.variant.as_ref().is_some_and(|v| v == n))
                    })
                    .collect();
                if let Some(first) = missing.first() {
                    let list: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
                    cx.error_at(
                        decl.attr,
                        format!(
                            "no route for {}: add `{first}: sender -> receiver`, or a route for every message (`sender -> receiver`)",
                            list.join(", ")
                        ),
                    );
                }
            }
            _ => cx.error_at(
                decl.attr,
                "#[network] needs a route for the messages: `sender -> receiver`, e.g. `#[network(source -> dest)]`",
            ),
        }
    }
    let actions: Vec<&str> = ir.actions.iter().map(|a| a.name.as_str()).collect();
    for a in decl.loses.iter().chain(&decl.duplicates) {
        if !actions.iter().any(|n| a == n) {
            cx.error_spanned_by(
                a,
                format!(
                    "`{a}` is not an action of the model; `loses` and `duplicates` name #[action] functions: {}",
                    actions.join(", ")
                ),
            );
        }
    }
    ir.network = Some(Network {
        field: field.name.clone(),
        tla: field.tla.clone(),
        kind,
        message,
        routes,
        loses: decl.loses.iter().map(Ident::to_string).collect(),
        duplicates: decl.duplicates.iter().map(Ident::to_string).collect(),
    });
}

struct Checker<'a> {
    cx: &'a Ctxt,
    ir: &'a Model,
    key: Option<&'a Type>,
    records: Option<&'a (String, Vec<RecordFields>)>,
}

impl Checker<'_> {
    fn endpoint(
        &self,
        e: &EndpointDecl,
        covered: &[RecordFields],
        sender: bool,
    ) -> Option<Endpoint> {
        let cx = self.cx;
        let label = |l: &Option<LitStr>| l.as_ref().map(LitStr::value);
        match e {
            EndpointDecl::Fixed(s) => Some(Endpoint::Fixed(s.value())),
            EndpointDecl::Field(f, l) => {
                let Some((ty, _)) = self.records else {
                    cx.error_spanned_by(f, format!("these messages are not records, so `{f}` is not one of their fields: name the endpoint by `key`, `param(name)`, `c.field` or a participant's name in quotes"));
                    return None;
                };
                let lacking: Vec<String> = covered
                    .iter()
                    .filter(|(_, fields)| !fields.iter().any(|x| f == x))
                    .map(|(v, _)| {
                        v.clone()
                            .map_or_else(|| ty.clone(), |v| format!("{ty}::{v}"))
                    })
                    .collect();
                if !lacking.is_empty() {
                    cx.error_spanned_by(f, format!("`{f}` is not a field of {}: give {} a route of its own (`Variant: sender -> receiver`)", lacking.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "), if lacking.len() == 1 { "it" } else { "each" }));
                    return None;
                }
                Some(Endpoint::Field {
                    name: f.to_string(),
                    label: label(l),
                })
            }
            EndpointDecl::Key(k, index, l) => {
                let Some(key) = self.key else {
                    cx.error_spanned_by(k, "`key` is the channel of a `Map<K, Seq<Msg>>` network; this network has no channels");
                    return None;
                };
                let index = match index {
                    None => None,
                    Some(i) => {
                        let n: u32 = i.base10_parse().ok()?;
                        match key {
                            Type::Tuple(ts) if (n as usize) < ts.len() => Some(n),
                            _ => {
                                cx.error_spanned_by(i, "the channel key is not a tuple with this component: write `key`, or `key.0` for the first component of a tuple key");
                                return None;
                            }
                        }
                    }
                };
                Some(Endpoint::Key {
                    index,
                    label: label(l),
                })
            }
            EndpointDecl::Every(c) => {
                if sender {
                    cx.error_spanned_by(c, "a message has one sender: name it by a field, `key`, `param(name)` or in quotes; `c.field` (every value of a set) is for receivers");
                    return None;
                }
                match self
                    .ir
                    .constants
                    .fields
                    .iter()
                    .find(|f| c == f.name.as_str())
                {
                    Some(f) if matches!(f.ty, Type::Set(_)) => Some(Endpoint::Every {
                        constant: c.to_string(),
                    }),
                    _ => {
                        let sets: Vec<&str> = self
                            .ir
                            .constants
                            .fields
                            .iter()
                            .filter(|f| matches!(f.ty, Type::Set(_)))
                            .map(|f| f.name.as_str())
                            .collect();
                        cx.error_spanned_by(c, format!("`c.{c}` names every value of a set of the constants; the constants' sets are: {}", sets.join(", ")));
                        None
                    }
                }
            }
            EndpointDecl::Param(p, l) => {
                if !self
                    .ir
                    .actions
                    .iter()
                    .any(|a| a.params.iter().any(|x| p == x.name.as_str()))
                {
                    cx.error_spanned_by(p, format!("no action has a parameter `{p}`: `param(name)` is the parameter of the action that sends or receives a message"));
                    return None;
                }
                Some(Endpoint::Param {
                    name: p.to_string(),
                    label: label(l),
                })
            }
        }
    }
}
