//! Pass 3: the model's functions — their signatures checked against their roles, their bodies
//! lowered to the IR.

use std::collections::BTreeSet;

use lamport_ir::naming;
use lamport_ir::{NodeId, Operator, OperatorKind, Param, Type};
use syn::{FnArg, Ident, ItemFn, Pat, ReturnType};

use super::decls::Decls;
use crate::ctxt::Ctxt;
use crate::lower::{BodyKind, Lowerer, Nodes};
use crate::parse::{doc_of, line_of, AttrArg, RoleFn};
use crate::types::{lower_type, path_name, strip_ref};

/// What expansion needs to know about one role function's signature.
pub struct Sig {
    pub name: Ident,
    pub tla: String,
    pub state_param: Option<Ident>,
    pub config_param: Option<Ident>,
    /// Remaining parameters: name, type, domain expression (actions and init).
    pub params: Vec<(Ident, syn::Type, Option<syn::Expr>)>,
    /// The roots of the body's `require_witnesses!` conditions, in source order.
    pub witnesses: Vec<NodeId>,
}

fn ident_of_pat(pat: &Pat) -> Option<Ident> {
    match pat {
        Pat::Ident(p) => Some(p.ident.clone()),
        _ => None,
    }
}

/// Lowers the functions of one model.
pub struct Functions<'a> {
    pub cx: &'a Ctxt,
    pub nodes: &'a Nodes,
    pub decls: &'a Decls,
    pub helper_names: BTreeSet<String>,
}

impl Functions<'_> {
    pub fn lowerer(&self, kind: BodyKind) -> Lowerer<'_> {
        Lowerer {
            cx: self.cx,
            nodes: self.nodes,
            kind,
            helpers: &self.helper_names,
            types: &self.decls.names,
        }
    }

    /// A role function (init, action, invariant, constraint, property): its IR operator and
    /// what expansion needs.
    pub fn role(&self, rf: &RoleFn, kind: OperatorKind) -> (Operator, Sig) {
        let cx = self.cx;
        let known = &self.decls.known;
        let state_name = &self.decls.state_name;
        let config_name = &self.decls.config_name;
        let f = &rf.item;
        common_fn_checks(cx, f);
        let mut name_override: Option<&syn::LitStr> = None;
        let mut domains: Vec<(Ident, syn::Expr)> = Vec::new();
        for arg in &rf.args {
            match arg {
                AttrArg::Name { value, .. } => name_override = Some(value),
                AttrArg::Domain { name, domain } => {
                    if !matches!(
                        kind,
                        OperatorKind::Action | OperatorKind::Init | OperatorKind::Liveness
                    ) {
                        cx.error_spanned_by(
                            name,
                            "only actions, init and temporal properties take parameters drawn from domains",
                        );
                    }
                    domains.push((name.clone(), (**domain).clone()));
                }
                AttrArg::Fair { key, .. } => {
                    if kind != OperatorKind::Action {
                        cx.error_spanned_by(key, format!("`{key}` is a fairness condition on an action: put it in `#[action(..., {key})]`"));
                    }
                }
                AttrArg::Bare(ident) => {
                    // The target of `#[leads_to(target)]` is read by the caller.
                    if kind == OperatorKind::Action {
                        cx.error_spanned_by(ident, format!("unknown key `{ident}`: expected `name = \"TlaName\"`, `<parameter> in <finite domain>`, `fair`, `strong_fair` or `fair(<parameter>, ...)`"));
                    } else if kind != OperatorKind::Liveness {
                        cx.error_spanned_by(ident, format!("unknown key `{ident}`: expected `name = \"TlaName\"` or `<parameter> in <finite domain>`"));
                    }
                }
            }
        }
        let tla = name_override
            .map(|l| l.value())
            .unwrap_or_else(|| naming::pascal_case(&f.sig.ident.to_string()));

        let mut state_param = None;
        let mut next_state_param: Option<Ident> = None;
        let mut config_param = None;
        let mut params = Vec::new();
        let mut ir_params = Vec::new();
        for (i, input) in f.sig.inputs.iter().enumerate() {
            let typed = match input {
                FnArg::Receiver(r) => {
                    cx.error_spanned_by(r, "model functions are free functions: remove `self`");
                    continue;
                }
                FnArg::Typed(t) => t,
            };
            let Some(pname) = ident_of_pat(&typed.pat) else {
                cx.error_spanned_by(&typed.pat, "parameters are plain names (`rm: Rm`)");
                continue;
            };
            let refd = strip_ref(&typed.ty);
            let inner_name = refd.and_then(|(t, _)| path_name(t));
            if i == 0 && kind != OperatorKind::Init {
                let want_mut = kind == OperatorKind::Action;
                let good = matches!(refd, Some((_, m)) if m == want_mut)
                    && inner_name.as_deref() == Some(&state_name.to_string());
                if !good {
                    let what = match kind {
                        OperatorKind::Action => format!("an action takes the state it changes as its first parameter: `s: &mut {state_name}`"),
                        _ => format!("{} reads the state through its first parameter: `s: &{state_name}`", if kind == OperatorKind::Invariant { "an invariant" } else { "a constraint" }),
                    };
                    cx.error_spanned_by(&typed.ty, what);
                }
                state_param = Some(pname);
                continue;
            }
            if i == 1 && kind == OperatorKind::StepProperty {
                let good = matches!(refd, Some((_, false)))
                    && inner_name.as_deref() == Some(&state_name.to_string());
                if !good {
                    cx.error_spanned_by(&typed.ty, format!("a step property reads the state after the step through its second parameter: `next: &{state_name}`"));
                }
                next_state_param = Some(pname);
                continue;
            }
            if config_param.is_none()
                && params.is_empty()
                && inner_name.as_deref() == Some(&config_name.to_string())
            {
                if matches!(refd, Some((_, true))) {
                    cx.error_spanned_by(
                        &typed.ty,
                        format!("the constants never change: take them as `c: &{config_name}`"),
                    );
                }
                config_param = Some(pname);
                continue;
            }
            if refd.is_some() {
                cx.error_spanned_by(
                    &typed.ty,
                    format!("a parameter drawn from a domain is taken by value: `{pname}: T`"),
                );
            }
            if !matches!(
                kind,
                OperatorKind::Action | OperatorKind::Init | OperatorKind::Liveness
            ) {
                cx.error_spanned_by(&typed.pat, format!("{} takes only the state and the constants: `(s: &{state_name}, c: &{config_name})`", if kind == OperatorKind::Invariant { "an invariant" } else { "a constraint" }));
                continue;
            }
            let domain = domains
                .iter()
                .find(|(n, _)| *n == pname)
                .map(|(_, d)| d.clone());
            if domain.is_none() {
                let attr = match kind {
                    OperatorKind::Init => "init",
                    OperatorKind::Action => "action",
                    _ => "eventually",
                };
                cx.error_spanned_by(&typed.pat, format!("parameter `{pname}` has no finite domain: write `#[{attr}({pname} in <set or range>)]`, e.g. `#[{attr}({pname} in c.{pname})]`"));
            }
            let ir_ty = lower_type(cx, known, &typed.ty);
            params.push((pname.clone(), (*typed.ty).clone(), domain.clone()));
            if let Some(ty) = ir_ty {
                ir_params.push((pname, ty, domain));
            }
        }
        if kind == OperatorKind::StepProperty && next_state_param.is_none() {
            cx.error_spanned_by(&f.sig.ident, format!("a step property relates the states before and after a step: `fn {}(s: &{state_name}, next: &{state_name}, c: &{config_name}) -> bool`", f.sig.ident));
        }
        if state_param.is_none() && kind != OperatorKind::Init {
            cx.error_spanned_by(&f.sig.ident, match kind {
                OperatorKind::Action => format!("an action takes the state it changes as its first parameter: `fn {}(s: &mut {state_name}, ...)`", f.sig.ident),
                _ => format!("`{}` reads the state through its first parameter: `fn {}(s: &{state_name}, c: &{config_name}) -> bool`", f.sig.ident, f.sig.ident),
            });
        }
        for (dname, _) in &domains {
            if !params.iter().any(|(p, _, _)| p == dname) {
                cx.error_spanned_by(
                    dname,
                    format!("`{dname}` is not a parameter of `{}`", f.sig.ident),
                );
            }
        }
        // Return types.
        match kind {
            OperatorKind::Action => {
                if let ReturnType::Type(_, t) = &f.sig.output {
                    cx.error_spanned_by(t, "an action returns nothing: it changes `s` and uses `require!` for its guards");
                }
            }
            OperatorKind::Invariant
            | OperatorKind::Constraint
            | OperatorKind::StepProperty
            | OperatorKind::Reachable
            | OperatorKind::Liveness => match &f.sig.output {
                ReturnType::Type(_, t) if path_name(t).as_deref() == Some("bool") => {}
                ReturnType::Type(_, t) => cx.error_spanned_by(t, format!("{} returns `bool`", if kind == OperatorKind::Invariant { "an invariant" } else { "a constraint" })),
                ReturnType::Default => cx.error_spanned_by(&f.sig.ident, format!("{} returns `bool`: `fn {}(s: &{state_name}, c: &{config_name}) -> bool`", if kind == OperatorKind::Invariant { "an invariant" } else { "a constraint" }, f.sig.ident)),
            },
            OperatorKind::Init => match &f.sig.output {
                ReturnType::Type(_, t) if path_name(t).as_deref() == Some(&state_name.to_string()) || path_name(t).as_deref() == Some("Self") => {}
                ReturnType::Type(_, t) => cx.error_spanned_by(t, format!("init returns the initial state: `-> {state_name}`")),
                ReturnType::Default => cx.error_spanned_by(&f.sig.ident, format!("init returns the initial state: `fn {}(c: &{config_name}) -> {state_name}`", f.sig.ident)),
            },
            OperatorKind::Helper => {}
        }

        let body_kind = match kind {
            OperatorKind::Action => BodyKind::Action,
            OperatorKind::Init => BodyKind::Init,
            _ => BodyKind::Pure,
        };
        let pure = self.lowerer(BodyKind::Pure);
        let id = self.nodes.id(&f.sig.ident);
        self.nodes.take_witnesses();
        let body = self.lowerer(body_kind).block(&f.block);
        let witnesses = self.nodes.take_witnesses();
        let op = Operator {
            kind,
            name: f.sig.ident.to_string(),
            tla: tla.clone(),
            doc: doc_of(&f.attrs),
            line: line_of(f.sig.ident.span()),
            id,
            renamed: None,
            state_param: state_param.as_ref().map(|i| i.to_string()),
            config_param: config_param.as_ref().map(|i| i.to_string()),
            next_state_param: next_state_param.as_ref().map(|i| i.to_string()),
            params: ir_params
                .into_iter()
                .map(|(n, ty, d)| Param {
                    name: n.to_string(),
                    ty,
                    domain: d.map(|d| pure.expr(&d)),
                })
                .collect(),
            ret: None,
            body,
        };
        (
            op,
            Sig {
                name: f.sig.ident.clone(),
                tla,
                state_param,
                config_param,
                params,
                witnesses,
            },
        )
    }

    /// A helper function: an operator the other bodies may call.
    pub fn helper(&self, f: &ItemFn) -> Operator {
        let cx = self.cx;
        let known = &self.decls.known;
        common_fn_checks(cx, f);
        let mut params = Vec::new();
        for input in &f.sig.inputs {
            match input {
                FnArg::Receiver(r) => {
                    cx.error_spanned_by(r, "model functions are free functions: remove `self`")
                }
                FnArg::Typed(t) => {
                    let Some(name) = ident_of_pat(&t.pat) else {
                        cx.error_spanned_by(&t.pat, "parameters are plain names (`x: T`)");
                        continue;
                    };
                    let ty = strip_ref(&t.ty).map(|(inner, m)| {
                    if m {
                        cx.error_spanned_by(&t.ty, "a helper computes a value: it cannot take `&mut`; change the state in an action");
                    }
                    inner
                }).unwrap_or(&t.ty);
                    // The model's state and constants structs are allowed as helper parameters.
                    let ty_ir = match path_name(ty) {
                        Some(n) if self.decls.state_name == n || self.decls.config_name == n => {
                            Some(Type::Named(n))
                        }
                        _ => lower_type(cx, known, ty),
                    };
                    if let Some(ty) = ty_ir {
                        params.push(Param {
                            name: name.to_string(),
                            ty,
                            domain: None,
                        });
                    }
                }
            }
        }
        let ret = match &f.sig.output {
            ReturnType::Default => {
                cx.error_spanned_by(
                    &f.sig.ident,
                    format!(
                        "a helper function computes a value: give `{}` a return type",
                        f.sig.ident
                    ),
                );
                None
            }
            ReturnType::Type(_, t) => lower_type(cx, known, t),
        };
        let lowerer = self.lowerer(BodyKind::Pure);
        Operator {
            kind: OperatorKind::Helper,
            name: f.sig.ident.to_string(),
            tla: naming::pascal_case(&f.sig.ident.to_string()),
            doc: doc_of(&f.attrs),
            line: line_of(f.sig.ident.span()),
            id: self.nodes.id(&f.sig.ident),
            renamed: None,
            state_param: None,
            config_param: None,
            next_state_param: None,
            params,
            ret,
            body: lowerer.block(&f.block),
        }
    }
}

fn common_fn_checks(cx: &Ctxt, f: &ItemFn) {
    let sig = &f.sig;
    if let Some(a) = &sig.asyncness {
        cx.error_spanned_by(a, "model functions cannot be `async`");
    }
    if let Some(u) = &sig.unsafety {
        cx.error_spanned_by(u, "model functions cannot be `unsafe`");
    }
    if !sig.generics.params.is_empty() {
        cx.error_spanned_by(
            &sig.generics,
            "model functions cannot be generic: every value has one type",
        );
    }
    if let Some(v) = &sig.variadic {
        cx.error_spanned_by(v, "variadic functions are not supported");
    }
}

/// An operator with nothing in it (where a required function is missing).
pub fn empty_op(kind: OperatorKind) -> Operator {
    Operator {
        kind,
        name: String::new(),
        tla: String::new(),
        doc: String::new(),
        line: 0,
        id: 0,
        renamed: None,
        state_param: None,
        config_param: None,
        next_state_param: None,
        params: Vec::new(),
        ret: None,
        body: Default::default(),
    }
}
