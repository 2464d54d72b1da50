//! Checks the shape of a classified model (one state, an init, well-formed signatures, finite
//! domains, supported types) and lowers its declarations and bodies to the IR.

use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::naming;
use lamport_ir::{
    ConfigDecl, Field, Model, ModelValueDecl, Operator, OperatorKind, Param, Record, Type,
    TypeDecl, TypeKind, Variant,
};
use proc_macro2::Span;
use syn::{FnArg, Ident, Item, ItemFn, Pat, ReturnType};

use crate::ctxt::Ctxt;
use crate::lower::{BodyKind, Lowerer};
use crate::parse::{doc_of, line_of, AttrArg, ModelAst, RoleFn};
use crate::types::{lower_type, path_name, strip_ref, Known};

/// What expansion needs to know about one role function's signature.
pub struct Sig {
    pub name: Ident,
    pub tla: String,
    pub state_param: Option<Ident>,
    pub config_param: Option<Ident>,
    /// Remaining parameters: name, type, domain expression (actions and init).
    pub params: Vec<(Ident, syn::Type, Option<syn::Expr>)>,
}

pub struct Checked {
    pub ir: Model,
    pub state_name: Ident,
    pub config_name: Ident,
    /// Whether the user declared a constants struct (otherwise an empty one is generated).
    pub has_constants: bool,
    pub state_fields: Vec<(Ident, String)>,
    pub constant_fields: Vec<(Ident, String)>,
    pub configs: Vec<Ident>,
    /// Per configuration (same order): the symmetric constants fields and their model-value types.
    pub config_symmetry: Vec<Vec<(Ident, String)>>,
    pub init: Option<Sig>,
    pub actions: Vec<Sig>,
    pub invariants: Vec<Sig>,
    pub constraints: Vec<Sig>,
    pub step_properties: Vec<Sig>,
    pub reachables: Vec<Sig>,
    /// Per configuration (same order): whether its temporal properties are checked without the
    /// fairness conditions (`#[no_fairness]`).
    pub config_no_fairness: Vec<bool>,
    pub fairness: Vec<FairSig>,
    pub liveness: Vec<LiveSig>,
}

/// A fairness condition as expansion needs it.
pub struct FairSig {
    pub strong: bool,
    /// Index of the action.
    pub action: usize,
    /// The parameters it is per: position among the action's parameters, name, type, and the
    /// domain of constants the values range over.
    pub per: Vec<(usize, Ident, syn::Type, syn::Expr)>,
}

/// A temporal property as expansion needs it.
pub struct LiveSig {
    pub kind: lamport_ir::LivenessKind,
    pub sig: Sig,
    /// `#[leads_to(target)]`: the target helper and, per its parameter, what to pass.
    pub target: Option<(Ident, Vec<TargetArg>)>,
}

/// What a `~>` target helper takes in each parameter position.
pub enum TargetArg {
    State,
    Config,
    /// The property's parameter number `i`.
    Param(usize),
}

fn ident_of_pat(pat: &Pat) -> Option<Ident> {
    match pat {
        Pat::Ident(p) => Some(p.ident.clone()),
        _ => None,
    }
}

pub fn validate(cx: &Ctxt, ast: &ModelAst) -> Checked {
    let module_name = ast.module.ident.to_string();

    // Declared value types.
    let mut names = BTreeSet::new();
    let mut prefixes: BTreeMap<String, Span> = BTreeMap::new();
    let mut model_values = Vec::new();
    for (name, prefix) in &ast.model_values {
        let p = prefix
            .as_ref()
            .map(|l| l.value())
            .unwrap_or_else(|| naming::model_value_prefix(&name.to_string()));
        if let Some(_first) = prefixes.get(&p) {
            cx.error_spanned_by(name, format!("model values of `{name}` would render with the prefix `{p}`, which another model-value set already uses: give one of them its own prefix, e.g. `model_values!({name} = \"{}\")`", name.to_string().to_lowercase()));
        }
        prefixes.insert(p.clone(), name.span());
        if !names.insert(name.to_string()) {
            cx.error_spanned_by(name, format!("`{name}` is declared twice"));
        }
        model_values.push(ModelValueDecl {
            name: name.to_string(),
            prefix: p,
        });
    }
    for item in &ast.value_types {
        let ident = match item {
            Item::Struct(s) => &s.ident,
            Item::Enum(e) => &e.ident,
            _ => continue,
        };
        if !names.insert(ident.to_string()) {
            cx.error_spanned_by(ident, format!("`{ident}` is declared twice"));
        }
    }
    let known = Known {
        names: names.clone(),
    };

    let fields_of = |fields: &syn::Fields, camel: bool| -> Vec<Field> {
        fields
            .iter()
            .filter_map(|f| {
                let name = f.ident.as_ref()?.to_string();
                let ty = lower_type(cx, &known, &f.ty)?;
                let tla = if camel {
                    naming::camel_case(&name)
                } else {
                    naming::pascal_case(&name)
                };
                Some(Field {
                    name,
                    tla,
                    ty,
                    doc: doc_of(&f.attrs),
                })
            })
            .collect()
    };

    let mut types = Vec::new();
    for item in &ast.value_types {
        match item {
            Item::Struct(s) => {
                if !matches!(s.fields, syn::Fields::Named(_)) {
                    cx.error_spanned_by(&s.ident, "a `#[derive(Value)]` struct has named fields (it renders as a TLA+ record)");
                }
                types.push(TypeDecl {
                    name: s.ident.to_string(),
                    doc: doc_of(&s.attrs),
                    kind: TypeKind::Struct(fields_of(&s.fields, true)),
                });
            }
            Item::Enum(e) => {
                let mut variants = Vec::new();
                for v in &e.variants {
                    if matches!(v.fields, syn::Fields::Unnamed(_)) {
                        cx.error_spanned_by(&v.fields, format!("variant `{}` has unnamed fields: name them (`{} {{ field: T }}`), they become the fields of a TLA+ record", v.ident, v.ident));
                    }
                    if let Some((_, d)) = &v.discriminant {
                        cx.error_spanned_by(d, "explicit discriminants are not supported");
                    }
                    variants.push(Variant {
                        name: v.ident.to_string(),
                        fields: fields_of(&v.fields, true),
                    });
                }
                if variants.is_empty() {
                    cx.error_spanned_by(&e.ident, "an enum without variants has no values");
                }
                types.push(TypeDecl {
                    name: e.ident.to_string(),
                    doc: doc_of(&e.attrs),
                    kind: TypeKind::Enum(variants),
                });
            }
            _ => {}
        }
    }

    // State and constants.
    let state_struct = match &ast.state {
        Some(s) => Some(s),
        None => {
            cx.error_spanned_by(&ast.module.ident, "a model needs a state: add a struct marked `#[state]` whose fields are the state variables");
            None
        }
    };
    let record_of =
        |s: &syn::ItemStruct, camel: bool, what: &str| -> (Record, Vec<(Ident, String)>) {
            if !matches!(s.fields, syn::Fields::Named(_)) {
                cx.error_spanned_by(&s.ident, format!("the {what} struct has named fields"));
            }
            if !s.generics.params.is_empty() {
                cx.error_spanned_by(&s.generics, format!("the {what} struct cannot be generic"));
            }
            let fields = fields_of(&s.fields, camel);
            let idents = s
                .fields
                .iter()
                .filter_map(|f| f.ident.clone())
                .map(|i| {
                    let tla = if camel {
                        naming::camel_case(&i.to_string())
                    } else {
                        naming::pascal_case(&i.to_string())
                    };
                    (i, tla)
                })
                .collect();
            (
                Record {
                    name: s.ident.to_string(),
                    doc: doc_of(&s.attrs),
                    fields,
                },
                idents,
            )
        };
    let (state_rec, state_fields) = match state_struct {
        Some(s) => record_of(s, true, "#[state]"),
        None => (
            Record {
                name: "State".into(),
                doc: String::new(),
                fields: Vec::new(),
            },
            Vec::new(),
        ),
    };
    if let Some(s) = state_struct {
        if s.fields.is_empty() {
            cx.error_spanned_by(
                &s.ident,
                "the state needs at least one field (a state variable)",
            );
        }
    }
    let (const_rec, constant_fields) = match &ast.constants {
        Some(s) => record_of(s, false, "#[constants]"),
        None => (
            Record {
                name: "Config".into(),
                doc: String::new(),
                fields: Vec::new(),
            },
            Vec::new(),
        ),
    };
    let state_name = state_struct
        .map(|s| s.ident.clone())
        .unwrap_or_else(|| Ident::new("State", Span::call_site()));
    let config_name = ast
        .constants
        .as_ref()
        .map(|s| s.ident.clone())
        .unwrap_or_else(|| Ident::new("Config", Span::call_site()));

    // Configurations.
    let mut configs = Vec::new();
    let mut config_decls = Vec::new();
    let mut config_symmetry: Vec<Vec<(Ident, String)>> = Vec::new();
    let mut config_no_fairness: Vec<bool> = Vec::new();
    if let Some(imp) = &ast.configs {
        if path_name(&imp.self_ty).as_deref() != Some(&config_name.to_string()) {
            cx.error_spanned_by(
                &imp.self_ty,
                format!("#[configs] goes on `impl {config_name}`: the constants struct"),
            );
        }
        let mut seen = BTreeSet::new();
        for item in &imp.items {
            if let syn::ImplItem::Fn(f) = item {
                if !f.sig.inputs.is_empty() {
                    cx.error_spanned_by(
                        &f.sig.inputs,
                        format!(
                            "a configuration takes no arguments: `fn {}() -> Self`",
                            f.sig.ident
                        ),
                    );
                }
                if !seen.insert(f.sig.ident.to_string()) {
                    cx.error_spanned_by(&f.sig.ident, "duplicate configuration name");
                }
                // `#[symmetry(a, b)]`: each names a constants field holding a set of model values.
                let mut symmetric: Vec<(Ident, String)> = Vec::new();
                for attr in f.attrs.iter().filter(|a| a.path().is_ident("symmetry")) {
                    let names = match attr.parse_args_with(
                        syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated,
                    ) {
                        Ok(n) => n,
                        Err(e) => {
                            cx.push(syn::Error::new(e.span(), "write `#[symmetry(field, ...)]` with the constants fields (sets of model values) the configuration is symmetric in"));
                            continue;
                        }
                    };
                    for n in names {
                        let field = const_rec.fields.iter().find(|fl| n == fl.name.as_str());
                        match field.map(|fl| &fl.ty) {
                            Some(lamport_ir::Type::Set(inner)) if matches!(&**inner, lamport_ir::Type::Named(t) if model_values.iter().any(|m: &ModelValueDecl| &m.name == t)) => {
                                let lamport_ir::Type::Named(t) = &**inner else { unreachable!() };
                                if symmetric.iter().any(|(_, ty)| ty == t) {
                                    cx.error_spanned_by(&n, format!("two symmetric sets of `{t}`: declare one set of each model-value type"));
                                }
                                symmetric.push((n.clone(), t.clone()));
                            }
                            Some(_) => cx.error_spanned_by(&n, format!("`{n}` is not a set of model values: symmetry permutes the values of a `Set<T>` constant whose `T` is declared with `model_values!`")),
                            None => cx.error_spanned_by(&n, format!("`{n}` is not a field of the constants struct")),
                        }
                    }
                }
                // `#[no_fairness]`: temporal properties without the fairness conditions.
                let mut no_fairness = false;
                for attr in f.attrs.iter().filter(|a| a.path().is_ident("no_fairness")) {
                    if !matches!(attr.meta, syn::Meta::Path(_)) {
                        cx.error_spanned_by(attr, "write `#[no_fairness]`: it takes no arguments");
                    }
                    no_fairness = true;
                }
                configs.push(f.sig.ident.clone());
                config_decls.push(ConfigDecl {
                    name: f.sig.ident.to_string(),
                    doc: doc_of(&f.attrs),
                    line: line_of(f.sig.ident.span()),
                    symmetry: symmetric.iter().map(|(n, _)| n.to_string()).collect(),
                    no_fairness,
                });
                config_symmetry.push(symmetric);
                config_no_fairness.push(no_fairness);
            }
        }
        if configs.is_empty() {
            cx.error_spanned_by(&imp.self_ty, "the #[configs] block declares no configuration: add `pub fn small() -> Self { ... }`");
        }
    } else if ast.constants.is_some() {
        cx.error_spanned_by(ast.constants.as_ref().map(|s| &s.ident).expect("constants"), "the constants need named configurations: add `#[configs] impl Config { pub fn small() -> Self { ... } }`");
    }
    if ast.constants.is_none() {
        configs.push(Ident::new("default", Span::call_site()));
        config_decls.push(ConfigDecl {
            name: "default".into(),
            doc: String::new(),
            line: 0,
            symmetry: Vec::new(),
            no_fairness: false,
        });
        config_symmetry.push(Vec::new());
        config_no_fairness.push(false);
    }

    // Functions.
    let helper_names: BTreeSet<String> = ast
        .helpers
        .iter()
        .map(|f| f.sig.ident.to_string())
        .collect();
    // TLA+ name → the Rust name of the function that has it. Duplicate Rust names are reported
    // by `parse`. Helpers take their names first, so an action named like a helper is reported.
    let mut tla_names: BTreeMap<String, String> = ast
        .helpers
        .iter()
        .map(|h| {
            (
                naming::pascal_case(&h.sig.ident.to_string()),
                h.sig.ident.to_string(),
            )
        })
        .collect();
    // Constants and state variables are TLA+ names too: an operator may not take one.
    for f in &const_rec.fields {
        tla_names
            .entry(f.tla.clone())
            .or_insert_with(|| format!("the constant `{}`", f.name));
    }
    for f in &state_rec.fields {
        tla_names
            .entry(f.tla.clone())
            .or_insert_with(|| format!("the state variable `{}`", f.name));
    }

    let lower_role = |rf: &RoleFn,
                      kind: OperatorKind,
                      tla_names: &mut BTreeMap<String, String>|
     -> (Operator, Sig) {
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
        if kind != OperatorKind::Init {
            if let Some(first) = tla_names.get(&tla) {
                let msg = if first.starts_with("the ") {
                    format!("`{}` would be named `{tla}` in TLA+, which is already {first}: give the function another name with `name = \"...\"`", f.sig.ident)
                } else {
                    format!("`{}` and `{first}` would both be named `{tla}` in TLA+: give one of them another name with `name = \"...\"`", f.sig.ident)
                };
                match name_override {
                    Some(lit) => cx.error_spanned_by(lit, msg),
                    None => cx.error_spanned_by(&f.sig.ident, msg),
                }
            } else {
                tla_names.insert(tla.clone(), f.sig.ident.to_string());
            }
        }

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
            let ir_ty = lower_type(cx, &known, &typed.ty);
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
        let lowerer = Lowerer {
            cx,
            kind: body_kind,
            helpers: &helper_names,
            types: &names,
        };
        let pure = Lowerer {
            kind: BodyKind::Pure,
            ..Lowerer {
                cx,
                kind: body_kind,
                helpers: &helper_names,
                types: &names,
            }
        };
        let body = lowerer.block(&f.block);
        let op = Operator {
            kind,
            name: f.sig.ident.to_string(),
            tla: tla.clone(),
            doc: doc_of(&f.attrs),
            line: line_of(f.sig.ident.span()),
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
            },
        )
    };

    let (init_op, init_sig) = match &ast.init {
        Some(rf) => {
            let (op, sig) = lower_role(rf, OperatorKind::Init, &mut tla_names);
            (op, Some(sig))
        }
        None => {
            cx.error_spanned_by(&ast.module.ident, format!("a model needs an initial state: add `#[init] fn init(c: &{config_name}) -> {state_name} {{ ... }}`"));
            (empty_op(OperatorKind::Init), None)
        }
    };
    let mut actions = Vec::new();
    let mut action_sigs = Vec::new();
    for rf in &ast.actions {
        let (op, sig) = lower_role(rf, OperatorKind::Action, &mut tla_names);
        actions.push(op);
        action_sigs.push(sig);
    }
    if ast.actions.is_empty() && ast.state.is_some() {
        cx.error_spanned_by(&ast.module.ident, format!("a model needs at least one action: `#[action] fn step(s: &mut {state_name}, c: &{config_name}) {{ ... }}`"));
    }
    let mut invariants = Vec::new();
    let mut invariant_sigs = Vec::new();
    for rf in &ast.invariants {
        let (op, sig) = lower_role(rf, OperatorKind::Invariant, &mut tla_names);
        invariants.push(op);
        invariant_sigs.push(sig);
    }
    let mut constraints = Vec::new();
    let mut constraint_sigs = Vec::new();
    for rf in &ast.constraints {
        let (op, sig) = lower_role(rf, OperatorKind::Constraint, &mut tla_names);
        constraints.push(op);
        constraint_sigs.push(sig);
    }
    let mut step_properties = Vec::new();
    let mut step_property_sigs = Vec::new();
    for rf in &ast.step_properties {
        let (op, sig) = lower_role(rf, OperatorKind::StepProperty, &mut tla_names);
        step_properties.push(op);
        step_property_sigs.push(sig);
    }
    let mut reachables = Vec::new();
    let mut reachable_sigs = Vec::new();
    for rf in &ast.reachables {
        let (op, sig) = lower_role(rf, OperatorKind::Reachable, &mut tla_names);
        reachables.push(op);
        reachable_sigs.push(sig);
    }
    // Fairness conditions, from the `fair` / `strong_fair` arguments of the actions.
    let mut fairness = Vec::new();
    let mut fair_sigs = Vec::new();
    let pure = Lowerer {
        cx,
        kind: BodyKind::Pure,
        helpers: &helper_names,
        types: &names,
    };
    for (i, rf) in ast.actions.iter().enumerate() {
        let Some(sig) = action_sigs.get(i) else {
            continue;
        };
        for arg in &rf.args {
            let AttrArg::Fair {
                key,
                strong,
                per,
                empty_parens,
            } = arg
            else {
                continue;
            };
            if *empty_parens {
                cx.error_spanned_by(key, format!("write `{key}` for the action as a whole, or `{key}(<parameter>, ...)` for each value of those parameters"));
                continue;
            }
            let mut per_sig = Vec::new();
            let mut per_ir = Vec::new();
            for (pname, restrict) in per {
                let Some(pos) = sig.params.iter().position(|(p, _, _)| p == pname) else {
                    cx.error_spanned_by(pname, format!("`{pname}` is not a parameter of `{}`: `{key}(p)` names the parameters whose every value gets its own fairness condition", sig.name));
                    continue;
                };
                let (_, ty, own) = &sig.params[pos];
                let Some(domain) = restrict.clone().or_else(|| own.clone()) else {
                    continue;
                };
                // The values a condition exists for must not depend on the state or on other
                // parameters: TLA+ quantifies them outside `WF_vars`.
                let mut mentioned = BTreeSet::new();
                collect_idents(quote::quote!(#domain), &mut mentioned);
                let bad = sig
                    .state_param
                    .iter()
                    .chain(sig.params.iter().map(|(p, _, _)| p))
                    .find(|n| mentioned.contains(&n.to_string()));
                if let Some(bad) = bad {
                    let what = if Some(bad) == sig.state_param.as_ref() {
                        "the state".to_string()
                    } else {
                        format!("the parameter `{bad}`")
                    };
                    cx.error_spanned_by(&domain, format!("a fairness condition per `{pname}` needs the values of `{pname}` from the constants, but this domain reads {what}: write `{key}({pname} in c.<set>)` with a constant set, or `{key}` for the action as a whole"));
                    continue;
                }
                if let Some(ir_ty) = lower_type(cx, &known, ty) {
                    per_ir.push(Param {
                        name: pname.to_string(),
                        ty: ir_ty,
                        domain: Some(pure.expr(&domain)),
                    });
                }
                per_sig.push((pos, pname.clone(), ty.clone(), domain));
            }
            fairness.push(lamport_ir::Fairness {
                kind: if *strong {
                    lamport_ir::FairnessKind::Strong
                } else {
                    lamport_ir::FairnessKind::Weak
                },
                action: sig.name.to_string(),
                per: per_ir,
            });
            fair_sigs.push(FairSig {
                strong: *strong,
                action: i,
                per: per_sig,
            });
        }
    }

    // Temporal properties.
    let mut liveness = Vec::new();
    let mut live_sigs = Vec::new();
    for (kind, rf) in &ast.liveness {
        let (op, sig) = lower_role(rf, OperatorKind::Liveness, &mut tla_names);
        // A property's parameters are quantified outside the temporal operator: their values
        // come from the constants, never from a state.
        for (p, _, domain) in &sig.params {
            let Some(domain) = domain else { continue };
            let mut mentioned = BTreeSet::new();
            collect_idents(quote::quote!(#domain), &mut mentioned);
            if sig
                .state_param
                .as_ref()
                .is_some_and(|st| mentioned.contains(&st.to_string()))
            {
                cx.error_spanned_by(domain, format!("the values of `{p}` must come from the constants: a temporal property is quantified over them outside `<>`/`~>`, where there is no current state; write `{p} in c.<set>` or a range"));
            }
        }
        let bare: Vec<&Ident> = rf
            .args
            .iter()
            .filter_map(|a| match a {
                AttrArg::Bare(i) => Some(i),
                _ => None,
            })
            .collect();
        let mut target = None;
        match (kind, bare.as_slice()) {
            (lamport_ir::LivenessKind::LeadsTo, [t]) => {
                match ast.helpers.iter().find(|h| h.sig.ident == **t) {
                    None => cx.error_spanned_by(t, format!("`{t}` is not a function of the model: `#[leads_to({t})]` names the plain function that says what `{}` leads to, e.g. `fn {t}(s: &{state_name}, c: &{config_name}) -> bool`", sig.name)),
                    Some(h) => {
                        let mut args = Vec::new();
                        let mut k = 0;
                        for input in &h.sig.inputs {
                            let FnArg::Typed(typed) = input else { continue };
                            let inner = strip_ref(&typed.ty).and_then(|(t, _)| path_name(t));
                            if inner.as_deref() == Some(&state_name.to_string()) {
                                args.push(TargetArg::State);
                            } else if inner.as_deref() == Some(&config_name.to_string()) {
                                args.push(TargetArg::Config);
                            } else {
                                args.push(TargetArg::Param(k));
                                k += 1;
                            }
                        }
                        if k != sig.params.len() {
                            let names: Vec<String> = sig.params.iter().map(|(p, _, _)| p.to_string()).collect();
                            cx.error_spanned_by(t, format!("`{t}` must take the parameters of `{}` ({}) after the state and the constants: `P ~> Q` quantifies both over the same values", sig.name, if names.is_empty() { "none".to_string() } else { names.join(", ") }));
                        }
                        target = Some(((*t).clone(), args));
                    }
                }
            }
            (lamport_ir::LivenessKind::LeadsTo, _) => cx.error_spanned_by(&rf.item.sig.ident, format!("`#[leads_to(target)]` names the function `{}` leads to: e.g. `#[leads_to(committed)]` with `fn committed(s: &{state_name}, c: &{config_name}) -> bool`", sig.name)),
            (_, [t, ..]) => cx.error_spanned_by(t, format!("unknown key `{t}`: a target is only for `#[leads_to({t})]`")),
            (_, []) => {}
        }
        liveness.push(lamport_ir::Liveness {
            kind: *kind,
            op,
            target: target.as_ref().map(|(t, _)| t.to_string()),
        });
        live_sigs.push(LiveSig {
            kind: *kind,
            sig,
            target,
        });
    }

    let helpers = ast
        .helpers
        .iter()
        .map(|f| lower_helper(cx, f, &known, &helper_names, &names))
        .collect();

    let ir = Model {
        name: module_name.clone(),
        module: naming::pascal_case(&module_name),
        doc: doc_of(&ast.module.attrs),
        check_deadlock: ast.args.check_deadlock,
        model_values,
        types,
        constants: const_rec,
        configs: config_decls,
        state: state_rec,
        init: init_op,
        actions,
        invariants,
        constraints,
        step_properties,
        reachables,
        fairness,
        liveness,
        helpers,
        network: None,
    };
    Checked {
        ir,
        state_name,
        config_name,
        has_constants: ast.constants.is_some(),
        state_fields,
        constant_fields,
        configs,
        config_symmetry,
        init: init_sig,
        actions: action_sigs,
        invariants: invariant_sigs,
        constraints: constraint_sigs,
        step_properties: step_property_sigs,
        reachables: reachable_sigs,
        config_no_fairness,
        fairness: fair_sigs,
        liveness: live_sigs,
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

fn empty_op(kind: OperatorKind) -> Operator {
    Operator {
        kind,
        name: String::new(),
        tla: String::new(),
        doc: String::new(),
        line: 0,
        state_param: None,
        config_param: None,
        next_state_param: None,
        params: Vec::new(),
        ret: None,
        body: Default::default(),
    }
}

fn lower_helper(
    cx: &Ctxt,
    f: &ItemFn,
    known: &Known,
    helpers: &BTreeSet<String>,
    types: &BTreeSet<String>,
) -> Operator {
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
                // The state and constants structs are allowed as helper parameters.
                let ty_ir = match path_name(ty) {
                    Some(n) if n == "State" || n == "Config" || n == "Self" => Some(Type::Named(n)),
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
    let lowerer = Lowerer {
        cx,
        kind: BodyKind::Pure,
        helpers,
        types,
    };
    Operator {
        kind: OperatorKind::Helper,
        name: f.sig.ident.to_string(),
        tla: naming::pascal_case(&f.sig.ident.to_string()),
        doc: doc_of(&f.attrs),
        line: line_of(f.sig.ident.span()),
        state_param: None,
        config_param: None,
        next_state_param: None,
        params,
        ret,
        body: lowerer.block(&f.block),
    }
}

/// Every identifier in a token stream.
fn collect_idents(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}
