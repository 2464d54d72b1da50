//! Classifies the items of a `#[lamport::model]` module by their lamport attributes.

use proc_macro2::Span;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Attribute, Expr, Ident, Item, ItemFn, ItemImpl, ItemMod, ItemStruct, LitStr, Token};

use crate::ctxt::Ctxt;

/// Arguments of `#[lamport::model(...)]`.
pub struct ModelArgs {
    pub check_deadlock: bool,
}

impl ModelArgs {
    pub fn parse(cx: &Ctxt, tokens: proc_macro2::TokenStream) -> ModelArgs {
        let mut args = ModelArgs {
            check_deadlock: true,
        };
        if tokens.is_empty() {
            return args;
        }
        let parsed = syn::parse::Parser::parse2(
            Punctuated::<syn::MetaNameValue, Token![,]>::parse_terminated,
            tokens,
        );
        match parsed {
            Err(e) => cx.error_at(
                e.span(),
                "expected `#[lamport::model]` or `#[lamport::model(check_deadlock = false)]`",
            ),
            Ok(list) => {
                for nv in list {
                    if nv.path.is_ident("check_deadlock") {
                        match &nv.value {
                            Expr::Lit(syn::ExprLit {
                                lit: syn::Lit::Bool(b),
                                ..
                            }) => args.check_deadlock = b.value,
                            other => cx.error_spanned_by(other, "expected `true` or `false`"),
                        }
                    } else {
                        cx.error_spanned_by(
                            &nv.path,
                            "unknown key in #[lamport::model]: the only key is `check_deadlock = true|false`",
                        );
                    }
                }
            }
        }
        args
    }
}

/// One entry of `#[action(...)]`, `#[init(...)]`, `#[invariant(...)]`, `#[leads_to(...)]`, ...
pub enum AttrArg {
    /// `rm in c.rm`
    Domain { name: Ident, domain: Box<Expr> },
    /// `name = "TMRcvPrepared"`
    Name { value: LitStr },
    /// `fair`, `strong_fair`, `fair(rm)`, `fair(b in c.fair_ballots)`.
    Fair {
        key: Ident,
        strong: bool,
        per: Vec<(Ident, Option<Expr>)>,
        /// Written `fair()`: refused by validation (a parse error here would hide the other
        /// arguments of the attribute).
        empty_parens: bool,
    },
    /// A bare name: the target of `#[leads_to(target)]`.
    Bare(Ident),
}

const ARG_HELP: &str = "expected `name = \"TlaName\"`, `<parameter> in <finite domain>`, `fair`, `strong_fair`, `fair(<parameter>, ...)`, or (in #[leads_to]) the name of the target function";

impl Parse for AttrArg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if input.peek(Token![in]) {
            input.parse::<Token![in]>()?;
            let domain: Expr = input.parse()?;
            Ok(AttrArg::Domain {
                name: key,
                domain: Box::new(domain),
            })
        } else if input.peek(Token![=]) {
            input.parse::<Token![=]>()?;
            if key == "name" {
                Ok(AttrArg::Name {
                    value: input.parse()?,
                })
            } else {
                Err(syn::Error::new(
                    key.span(),
                    format!("unknown key `{key}`: {ARG_HELP}"),
                ))
            }
        } else if key == "fair" || key == "strong_fair" {
            let strong = key == "strong_fair";
            let mut per = Vec::new();
            let mut empty_parens = false;
            if input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in input);
                let items = Punctuated::<PerParam, Token![,]>::parse_terminated(&content)?;
                empty_parens = items.is_empty();
                per = items.into_iter().map(|p| (p.name, p.domain)).collect();
            }
            Ok(AttrArg::Fair {
                key,
                strong,
                per,
                empty_parens,
            })
        } else if input.is_empty() || input.peek(Token![,]) {
            Ok(AttrArg::Bare(key))
        } else {
            Err(syn::Error::new(
                key.span(),
                format!("unknown key `{key}`: {ARG_HELP}"),
            ))
        }
    }
}

/// One parameter of `fair(...)`: `rm` (every value of its domain) or `b in c.fair_ballots`.
struct PerParam {
    name: Ident,
    domain: Option<Expr>,
}

impl Parse for PerParam {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        let domain = if input.peek(Token![in]) {
            input.parse::<Token![in]>()?;
            Some(input.parse()?)
        } else {
            None
        };
        Ok(PerParam { name, domain })
    }
}

/// Which lamport role an item has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Role {
    Constants,
    Configs,
    State,
    Init,
    Action,
    Invariant,
    Constraint,
    StepProperty,
    Reachable,
    Eventually,
    AlwaysEventually,
    LeadsTo,
}

impl Role {
    fn from_ident(name: &str) -> Option<Role> {
        Some(match name {
            "constants" => Role::Constants,
            "configs" => Role::Configs,
            "state" => Role::State,
            "init" => Role::Init,
            "action" => Role::Action,
            "invariant" => Role::Invariant,
            "constraint" => Role::Constraint,
            "step_property" => Role::StepProperty,
            "reachable" => Role::Reachable,
            "eventually" => Role::Eventually,
            "always_eventually" => Role::AlwaysEventually,
            "leads_to" => Role::LeadsTo,
            _ => return None,
        })
    }

    pub fn attr(self) -> &'static str {
        match self {
            Role::Constants => "#[constants]",
            Role::Configs => "#[configs]",
            Role::State => "#[state]",
            Role::Init => "#[init]",
            Role::Action => "#[action]",
            Role::Invariant => "#[invariant]",
            Role::Constraint => "#[constraint]",
            Role::StepProperty => "#[step_property]",
            Role::Reachable => "#[reachable]",
            Role::Eventually => "#[eventually]",
            Role::AlwaysEventually => "#[always_eventually]",
            Role::LeadsTo => "#[leads_to]",
        }
    }
}

/// A function with a lamport role and its attribute arguments.
pub struct RoleFn {
    pub item: ItemFn,
    pub args: Vec<AttrArg>,
}

/// A `model_values!(A, B = "b")` declaration.
pub struct ModelValues {
    pub names: Vec<(Ident, Option<LitStr>)>,
}

impl Parse for ModelValues {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut names = Vec::new();
        while !input.is_empty() {
            let name: Ident = input.parse()?;
            let prefix = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(input.parse::<LitStr>()?)
            } else {
                None
            };
            names.push((name, prefix));
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
        }
        Ok(ModelValues { names })
    }
}

/// The classified module.
pub struct ModelAst {
    pub module: ItemMod,
    pub args: ModelArgs,
    pub model_values: Vec<(Ident, Option<LitStr>)>,
    pub constants: Option<ItemStruct>,
    pub configs: Option<ItemImpl>,
    /// Structs and enums with `#[derive(Value)]`.
    pub value_types: Vec<Item>,
    pub state: Option<ItemStruct>,
    pub init: Option<RoleFn>,
    pub actions: Vec<RoleFn>,
    pub invariants: Vec<RoleFn>,
    pub constraints: Vec<RoleFn>,
    pub step_properties: Vec<RoleFn>,
    pub reachables: Vec<RoleFn>,
    /// Temporal properties, with their kind.
    pub liveness: Vec<(lamport_ir::LivenessKind, RoleFn)>,
    /// Plain functions: helper operators.
    pub helpers: Vec<ItemFn>,
    /// Everything else, emitted unchanged (`use`, nested `mod`, `const`, `model_values!`).
    pub passthrough: Vec<Item>,
    /// `fair!(..)` / `strong_fair!(..)` items: fairness on groups of actions (removed from the
    /// output; read by `validate::group_fairness`).
    pub fair_groups: Vec<syn::ItemMacro>,
}

fn role_of(cx: &Ctxt, attrs: &mut Vec<Attribute>) -> Option<(Role, Attribute)> {
    let mut found: Option<(Role, Attribute)> = None;
    let mut keep = Vec::with_capacity(attrs.len());
    for attr in attrs.drain(..) {
        let role = attr
            .path()
            .get_ident()
            .and_then(|i| Role::from_ident(&i.to_string()));
        match (role, &found) {
            (Some(r), None) => found = Some((r, attr)),
            (Some(r), Some((first, _))) => {
                cx.error_spanned_by(
                    &attr,
                    format!(
                        "an item has one lamport role: it is already {}, so it cannot also be {}; remove this attribute, or write a separate function for it",
                        first.attr(),
                        r.attr()
                    ),
                );
            }
            (None, _) => keep.push(attr),
        }
    }
    *attrs = keep;
    found
}

fn parse_role_args(cx: &Ctxt, role: Role, attr: &Attribute) -> Vec<AttrArg> {
    match &attr.meta {
        syn::Meta::Path(_) => Vec::new(),
        syn::Meta::List(list) if matches!(role, Role::Constants | Role::Configs | Role::State) => {
            cx.error_spanned_by(
                &list.tokens,
                format!(
                    "{} takes no arguments: write `{}`",
                    role.attr(),
                    role.attr()
                ),
            );
            Vec::new()
        }
        syn::Meta::NameValue(nv)
            if matches!(role, Role::Constants | Role::Configs | Role::State) =>
        {
            cx.error_spanned_by(
                &nv.value,
                format!(
                    "{} takes no arguments: write `{}`",
                    role.attr(),
                    role.attr()
                ),
            );
            Vec::new()
        }
        syn::Meta::List(list) => {
            match list.parse_args_with(Punctuated::<AttrArg, Token![,]>::parse_terminated) {
                Ok(args) => args.into_iter().collect(),
                Err(e) => {
                    cx.push(e);
                    Vec::new()
                }
            }
        }
        syn::Meta::NameValue(nv) => {
            cx.error_spanned_by(
                nv,
                format!(
                    "write {}(...) with parentheses",
                    role.attr().trim_end_matches(']')
                ),
            );
            Vec::new()
        }
    }
}

pub fn has_derive_value(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("derive")
            && a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .map(|paths| {
                    paths
                        .iter()
                        .any(|p| p.segments.last().is_some_and(|s| s.ident == "Value"))
                })
                .unwrap_or(false)
    })
}

pub fn parse(cx: &Ctxt, args: ModelArgs, mut module: ItemMod) -> ModelAst {
    let items = match module.content.take() {
        Some((_, items)) => items,
        None => {
            cx.error_spanned_by(
                &module,
                "#[lamport::model] needs an inline module: `mod name { ... }`",
            );
            Vec::new()
        }
    };
    let mut ast = ModelAst {
        module,
        args,
        model_values: Vec::new(),
        constants: None,
        configs: None,
        value_types: Vec::new(),
        state: None,
        init: None,
        actions: Vec::new(),
        invariants: Vec::new(),
        constraints: Vec::new(),
        step_properties: Vec::new(),
        reachables: Vec::new(),
        liveness: Vec::new(),
        helpers: Vec::new(),
        passthrough: Vec::new(),
        fair_groups: Vec::new(),
    };

    // Function names seen so far: a duplicate is reported here and dropped, so that the fallback
    // expansion does not define the name twice (which rustc would report too).
    let mut fn_names = std::collections::BTreeSet::new();
    for item in items {
        match item {
            Item::Fn(f) if !fn_names.insert(f.sig.ident.to_string()) => {
                cx.error_spanned_by(&f.sig.ident, format!("`{}` is defined twice: every action, invariant, constraint and helper needs its own name", f.sig.ident));
            }
            Item::Fn(mut f) => match role_of(cx, &mut f.attrs) {
                None => ast.helpers.push(f),
                Some((role, attr)) => {
                    let attr_span = attr.span();
                    let args = parse_role_args(cx, role, &attr);
                    let rf = RoleFn { item: f, args };
                    match role {
                        Role::Init => {
                            if let Some(first) = &ast.init {
                                cx.error_spanned_by(&rf.item.sig.ident, format!("a model has one #[init] function; `{}` is already the init", first.item.sig.ident));
                            } else {
                                ast.init = Some(rf);
                            }
                        }
                        Role::Action => ast.actions.push(rf),
                        Role::Invariant => ast.invariants.push(rf),
                        Role::Constraint => ast.constraints.push(rf),
                        Role::StepProperty => ast.step_properties.push(rf),
                        Role::Reachable => ast.reachables.push(rf),
                        Role::Eventually => ast
                            .liveness
                            .push((lamport_ir::LivenessKind::Eventually, rf)),
                        Role::AlwaysEventually => ast
                            .liveness
                            .push((lamport_ir::LivenessKind::AlwaysEventually, rf)),
                        Role::LeadsTo => ast.liveness.push((lamport_ir::LivenessKind::LeadsTo, rf)),
                        other => cx.error_at(
                            attr_span,
                            format!(
                                "{} belongs on a {}, not on a function",
                                other.attr(),
                                if other == Role::Configs {
                                    "`impl` block"
                                } else {
                                    "struct"
                                }
                            ),
                        ),
                    }
                }
            },
            Item::Struct(mut s) => match role_of(cx, &mut s.attrs) {
                Some((Role::State, attr)) => {
                    parse_role_args(cx, Role::State, &attr);
                    if let Some(first) = &ast.state {
                        cx.error_spanned_by(&s.ident, format!("a model has one #[state] struct; `{}` is already the state: put every state variable in it", first.ident));
                    } else {
                        ast.state = Some(s);
                    }
                }
                Some((Role::Constants, attr)) => {
                    parse_role_args(cx, Role::Constants, &attr);
                    if let Some(first) = &ast.constants {
                        cx.error_spanned_by(&s.ident, format!("a model has one #[constants] struct; `{}` is already the constants", first.ident));
                    } else {
                        ast.constants = Some(s);
                    }
                }
                Some((role, attr)) => {
                    cx.error_spanned_by(
                        &attr,
                        format!("{} belongs on a function, not on a struct", role.attr()),
                    );
                }
                None if has_derive_value(&s.attrs) => ast.value_types.push(Item::Struct(s)),
                None => ast.passthrough.push(Item::Struct(s)),
            },
            Item::Enum(mut e) => {
                if let Some((role, attr)) = role_of(cx, &mut e.attrs) {
                    cx.error_spanned_by(&attr, format!("{} cannot be put on an enum", role.attr()));
                }
                if has_derive_value(&e.attrs) {
                    ast.value_types.push(Item::Enum(e));
                } else {
                    ast.passthrough.push(Item::Enum(e));
                }
            }
            Item::Impl(mut i) => {
                match role_of(cx, &mut i.attrs) {
                    Some((Role::Configs, attr)) => {
                        parse_role_args(cx, Role::Configs, &attr);
                        if ast.configs.is_some() {
                            cx.error_spanned_by(&i.self_ty, "a model has one #[configs] impl block: put every configuration in it");
                        } else {
                            ast.configs = Some(i);
                        }
                    }
                    Some((role, attr)) => cx.error_spanned_by(
                        &attr,
                        format!("{} cannot be put on an impl block", role.attr()),
                    ),
                    None => {
                        cx.error_spanned_by(&i.self_ty, "impl blocks are not part of the modelling language (except the #[configs] block): write a free function in the module instead; it becomes a TLA+ operator");
                    }
                }
            }
            Item::Macro(m) if m.mac.path.is_ident("fair") || m.mac.path.is_ident("strong_fair") => {
                ast.fair_groups.push(m);
            }
            Item::Macro(m) if m.mac.path.is_ident("model_values") => {
                match m.mac.parse_body::<ModelValues>() {
                    Ok(mv) => ast.model_values.extend(mv.names),
                    Err(e) => cx.push(e),
                }
                ast.passthrough.push(Item::Macro(m));
            }
            other => ast.passthrough.push(other),
        }
    }
    ast
}

/// The `#[doc]` text of an item, one line per attribute.
pub fn doc_of(attrs: &[Attribute]) -> String {
    let mut lines = Vec::new();
    for attr in attrs {
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if nv.path.is_ident("doc") {
                if let Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) = &nv.value
                {
                    lines.push(
                        s.value()
                            .strip_prefix(' ')
                            .map(str::to_string)
                            .unwrap_or_else(|| s.value()),
                    );
                }
            }
        }
    }
    lines.join("\n")
}

/// 1-based line of a span in the user's source (0 when the compiler does not tell).
pub fn line_of(span: Span) -> usize {
    span.start().line
}
