//! `#[refines(..)]`: the model implements another lamport model (TLA+'s `Spec => A!Spec`).
//!
//! ```text
//! #[lamport::model]
//! #[refines(super::voting, ballot = ballots)]
//! pub mod paxos { ... }
//! ```
//!
//! The attribute goes on the module, after `#[lamport::model]`, and is taken off before the
//! module is parsed. Its first argument is the path of the abstract model's module; then
//! `instance = "V"` (the TLA+ instance name; the capitalized first letter of the abstract
//! module's name by default) and mappings `abstract_name = name`: the abstract model's state
//! variable or constant `abstract_name` is this model's state variable, constant or helper
//! `name` (a helper taking only the state and the constants). An abstract name not mapped is the
//! one of this model of the same name, as in TLA+'s `INSTANCE ... WITH`.
//!
//! Every model also gets the two functions by which it can be the abstract side of a refinement
//! (its state and constants built from TLA+ values).

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::spanned::Spanned;
use syn::{FnArg, Ident, ItemFn, ItemMod, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::parse::{line_of, ModelAst};
use crate::types::{path_name, strip_ref};
use crate::validate::Checked;

/// One `#[refines(..)]` as written.
pub struct Decl {
    attr: Span,
    path: syn::Path,
    instance: Option<LitStr>,
    with: Vec<(Ident, Ident)>,
}

struct Args {
    path: syn::Path,
    instance: Option<LitStr>,
    with: Vec<(Ident, Ident)>,
}

impl Parse for Args {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let path: syn::Path = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected the path of the abstract model's module first: `#[refines(super::voting)]`",
            )
        })?;
        let mut instance = None;
        let mut with = Vec::new();
        while !input.is_empty() {
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
            let key: Ident = input.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "expected `instance = \"V\"` or a mapping `abstract_name = name`",
                )
            })?;
            input.parse::<Token![=]>().map_err(|e| {
                // At the end of the attribute, the error points at the name.
                let span = if input.is_empty() { key.span() } else { e.span() };
                syn::Error::new(span, format!("expected `{key} = name`: the state variable, constant or helper of this model that the abstract `{key}` is"))
            })?;
            if key == "instance" {
                instance = Some(input.parse::<LitStr>().map_err(|e| {
                    syn::Error::new(
                        e.span(),
                        "the instance's TLA+ name is a string: `instance = \"V\"`",
                    )
                })?);
            } else {
                let value: Ident = input.parse().map_err(|e| {
                    syn::Error::new(e.span(), format!("map `{key}` to the name of a state variable, constant or helper of this model (`{key} = name`); an expression goes in a helper `fn name(s: &State, c: &Config) -> T`"))
                })?;
                if !input.is_empty() && !input.peek(Token![,]) {
                    return Err(syn::Error::new(
                        input.span(),
                        format!("map `{key}` to a name, not an expression: compute it in a helper `fn mapped_{key}(s: &State, c: &Config) -> T` and write `{key} = mapped_{key}`"),
                    ));
                }
                with.push((key, value));
            }
        }
        Ok(Args {
            path,
            instance,
            with,
        })
    }
}

/// Takes every `#[refines(..)]` off the module.
pub fn extract(cx: &Ctxt, module: &mut ItemMod) -> Vec<Decl> {
    let (refines, keep): (Vec<_>, Vec<_>) = module
        .attrs
        .drain(..)
        .partition(|a| a.path().is_ident("refines"));
    module.attrs = keep;
    let mut out = Vec::new();
    for attr in refines {
        let parsed = match &attr.meta {
            syn::Meta::List(list) => syn::parse2::<Args>(list.tokens.clone()),
            _ => Err(syn::Error::new(
                attr.span(),
                "expected `#[refines(path::to::abstract_model, abstract_name = name, ..)]`",
            )),
        };
        match parsed {
            Ok(a) => out.push(Decl {
                attr: attr.span(),
                path: a.path,
                instance: a.instance,
                with: a.with,
            }),
            Err(e) => cx.push(e),
        }
    }
    out
}

/// How a helper can be called with only the state and the constants: the argument of each
/// parameter, or `None` if it takes anything else.
fn helper_args(f: &ItemFn, state: &Ident, config: &Ident) -> Option<Vec<bool>> {
    f.sig
        .inputs
        .iter()
        .map(|input| match input {
            FnArg::Typed(t) => {
                let (inner, m) = strip_ref(&t.ty)?;
                let n = path_name(inner)?;
                if m {
                    None
                } else if *state == n {
                    Some(true)
                } else if *config == n {
                    Some(false)
                } else {
                    None
                }
            }
            FnArg::Receiver(_) => None,
        })
        .collect()
}

/// The TLA+ names this model's module defines (after the naming pass), which an instance or a
/// refinement property must not take.
fn module_names(ir: &lamport_ir::Model) -> Vec<String> {
    let fields = ir.constants.fields.iter().chain(&ir.state.fields);
    let ops = ir
        .helpers
        .iter()
        .chain(&ir.actions)
        .chain(&ir.invariants)
        .chain(&ir.constraints)
        .chain(&ir.step_properties)
        .chain(&ir.reachables)
        .chain(ir.liveness.iter().map(|l| &l.op));
    fields
        .map(|f| f.tla.clone())
        .chain(ops.map(|o| o.tla.clone()))
        .chain(ir.model_values.iter().map(|m| m.name.clone()))
        .chain(ir.types.iter().map(|t| t.name.clone()))
        .collect()
}

/// Checks the declarations against the model and stores them in the IR.
pub fn attach(cx: &Ctxt, ast: &ModelAst, checked: &mut Checked, decls: &[Decl]) {
    let mut instances: Vec<String> = Vec::new();
    let taken = module_names(&checked.ir);
    for d in decls {
        let instance = match &d.instance {
            Some(l) => {
                let v = l.value();
                let ok = v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if !ok {
                    cx.error_spanned_by(l, "the instance's name is a TLA+ identifier: letters, digits and `_`, starting with a letter (`instance = \"V\"`)");
                }
                v
            }
            None => default_instance(&d.path),
        };
        let clash = lamport_ir::names::reservation(&instance).or_else(|| {
            taken
                .contains(&instance)
                .then(|| format!("`{instance}` is already a name of this model's TLA+ module"))
        });
        if let Some(why) = clash {
            let msg = format!("the refinement instance cannot be named `{instance}`: {why}; name it with `instance = \"..\"`");
            match &d.instance {
                Some(l) => cx.error_spanned_by(l, msg),
                None => cx.error_spanned_by(&d.path, msg),
            }
        }
        let property = format!("Refines{}", module_of(&d.path));
        if taken.contains(&property) {
            cx.error_spanned_by(&d.path, format!("the refinement is checked as the property `{property}`, which is already a name of this model's TLA+ module: rename that one"));
        }
        if instances.contains(&instance) {
            cx.error_at(d.attr, format!("a second refinement instance named `{instance}`: name it with `instance = \"..\"`"));
        }
        instances.push(instance.clone());
        let mut seen: Vec<String> = Vec::new();
        for (key, value) in &d.with {
            if seen.contains(&key.to_string()) {
                cx.error_spanned_by(key, format!("`{key}` is mapped twice"));
            }
            seen.push(key.to_string());
            let v = value.to_string();
            let is_state = checked.state_fields.iter().any(|(i, _)| *i == v);
            let is_const = checked.constant_fields.iter().any(|(i, _)| *i == v);
            let helper = ast.helpers.iter().find(|h| h.sig.ident == v);
            if is_state || is_const {
                continue;
            }
            match helper {
                None => cx.error_spanned_by(value, format!("`{value}` is not a state variable, constant or helper of this model: map `{key}` to one, or compute it in a helper `fn {value}(s: &{}, c: &{}) -> T`", checked.state_name, checked.config_name)),
                Some(h) => {
                    if helper_args(h, &checked.state_name, &checked.config_name).is_none() {
                        cx.error_spanned_by(&h.sig.inputs, format!("`{value}` maps the abstract `{key}`, so it is a function of the state and the constants only: `fn {value}(s: &{}, c: &{}) -> T`", checked.state_name, checked.config_name));
                    }
                }
            }
        }
        checked.ir.refinements.push(lamport_ir::Refinement {
            path: {
                let p = &d.path;
                quote!(#p)
            }
            .to_string()
            .replace(' ', ""),
            instance,
            with: d
                .with
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            line: line_of(d.attr) as u32,
        });
    }
}

/// `Voting` for `super::voting`: the abstract TLA+ module's name.
fn module_of(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| lamport_ir::naming::pascal_case(&s.ident.to_string()))
        .unwrap_or_default()
}

/// `V` for `super::voting`: the abstract module's capitalized first letter, as TLA+ specs name
/// their instances.
fn default_instance(path: &syn::Path) -> String {
    path.segments
        .last()
        .and_then(|s| s.ident.to_string().chars().next())
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_else(|| "A".to_string())
}

/// What the generated model gains from its refinements.
pub struct Generated {
    /// Items of the module (the builders every model has; the lookup and the cache).
    pub items: TokenStream,
    /// The step properties' metadata entries, after the model's own.
    pub meta: Vec<TokenStream>,
    /// `step_property` arms, numbered after the model's own step properties.
    pub step_arms: Vec<TokenStream>,
    /// Methods of the `lamport::Model` impl.
    pub methods: TokenStream,
}

pub fn expand(ast: &ModelAst, checked: &Checked, decls: &[Decl]) -> Generated {
    let state_ty = &checked.state_name;
    let config_ty = &checked.config_name;
    let state_idents: Vec<&Ident> = checked.state_fields.iter().map(|(i, _)| i).collect();
    let state_names: Vec<String> = state_idents.iter().map(|i| i.to_string()).collect();
    let const_idents: Vec<&Ident> = checked.constant_fields.iter().map(|(i, _)| i).collect();
    let const_names: Vec<String> = const_idents.iter().map(|i| i.to_string()).collect();
    let mut all_names = state_names.clone();
    all_names.extend(const_names.iter().cloned());
    let builders = quote! {
        /// This model's state from the values of its variables (Rust names): how a refining
        /// model's mapped state becomes a state of this model.
        #[doc(hidden)]
        #[allow(dead_code)]
        pub fn __lamport_state_from_tla(__get: ::lamport::refinement::Getter<'_>) -> ::core::result::Result<#state_ty, ::std::string::String> {
            ::core::result::Result::Ok(#state_ty { #( #state_idents: ::lamport::refinement::field(__get, #state_names)?, )* })
        }

        /// This model's constants from their values (Rust names).
        #[doc(hidden)]
        #[allow(dead_code)]
        pub fn __lamport_config_from_tla(__get: ::lamport::refinement::Getter<'_>) -> ::core::result::Result<#config_ty, ::std::string::String> {
            ::core::result::Result::Ok(#config_ty { #( #const_idents: ::lamport::refinement::field(__get, #const_names)?, )* })
        }

        /// The names of this model's state variables and constants.
        #[doc(hidden)]
        pub const __LAMPORT_NAMES: &[&str] = &[#(#all_names),*];

        /// The names of this model's constants.
        #[doc(hidden)]
        pub const __LAMPORT_CONSTANTS: &[&str] = &[#(#const_names),*];
    };
    let cells: Vec<TokenStream> = decls
        .iter()
        .enumerate()
        .map(|(k, d)| {
            let path = &d.path;
            let cell = format_ident!("refinement_{}", k);
            quote!(#cell: ::std::sync::OnceLock<::lamport::refinement::Refinement<#path::Model>>,)
        })
        .collect();
    let builders = quote! {
        #builders

        /// The refinement checks, built when first needed.
        #[doc(hidden)]
        #[derive(Default)]
        pub struct __Refinements { #(#cells)* }
    };
    if decls.is_empty() {
        return Generated {
            items: builders,
            meta: Vec::new(),
            step_arms: Vec::new(),
            methods: quote!(),
        };
    }

    // The values this model gives, by name: state variables, constants and helpers of the state
    // and the constants.
    let mut arms = Vec::new();
    for (i, n) in state_idents.iter().zip(&state_names) {
        arms.push(quote! {
            #n => match __s {
                ::core::option::Option::Some(__s) => ::core::result::Result::Ok(::lamport::refinement::tla_value(&__s.#i)),
                ::core::option::Option::None => ::core::result::Result::Err(::std::format!("`{}` is a state variable of {}, which a constant cannot be mapped to", #n, ::core::module_path!())),
            },
        });
    }
    for (i, n) in const_idents.iter().zip(&const_names) {
        arms.push(
            quote!(#n => ::core::result::Result::Ok(::lamport::refinement::tla_value(&__c.#i)),),
        );
    }
    for h in &ast.helpers {
        let Some(args) = helper_args(h, state_ty, config_ty) else {
            continue;
        };
        let name = &h.sig.ident;
        let n = name.to_string();
        if all_names.contains(&n) {
            continue;
        }
        let reads_state = args.iter().any(|a| *a);
        let call_args = args
            .iter()
            .map(|a| if *a { quote!(__st) } else { quote!(__c) });
        let call = quote!(::core::result::Result::Ok(::lamport::refinement::tla_value(&#name(#(#call_args),*))));
        if reads_state {
            arms.push(quote! {
                #n => match __s {
                    ::core::option::Option::Some(__st) => #call,
                    ::core::option::Option::None => ::core::result::Result::Err(::std::format!("`{}` reads the state, so a constant cannot be mapped to it", #n)),
                },
            });
        } else {
            arms.push(quote!(#n => #call,));
        }
    }

    // The names an abstract variable or constant can be matched by here, and those of them
    // that read the state (which no abstract constant can be).
    let mut mine: Vec<String> = all_names.clone();
    let mut reads_state: Vec<String> = state_names.clone();
    for h in &ast.helpers {
        if let Some(args) = helper_args(h, state_ty, config_ty) {
            let n = h.sig.ident.to_string();
            if !mine.contains(&n) {
                if args.iter().any(|a| *a) {
                    reads_state.push(n.clone());
                }
                mine.push(n);
            }
        }
    }

    let mut getters = Vec::new();
    let mut meta = Vec::new();
    let mut step_arms = Vec::new();
    let mut initial_arms = Vec::new();
    let mut targets = Vec::new();
    let mut checks = Vec::new();
    let mut fair_names = Vec::new();
    let mut fair_enabled = Vec::new();
    let mut fair_steps = Vec::new();
    let mut renders = Vec::new();
    let first = checked.step_properties.len();
    for (k, (d, r)) in decls.iter().zip(&checked.ir.refinements).enumerate() {
        let path = &d.path;
        let cell = format_ident!("refinement_{}", k);
        let instance = &r.instance;
        let module = module_of(&d.path);
        let property = format!("Refines{module}");
        let rust = format!("refines {}", r.path);
        let renames = d.with.iter().map(|(a, c)| {
            let a = a.to_string();
            let c = c.to_string();
            quote!(#a => #c,)
        });
        for (a, c) in &d.with {
            let n = a.to_string();
            let msg = format!("`{n}` is not a state variable or constant of the abstract model");
            checks.push(quote_spanned! {a.span()=>
                const _: () = ::core::assert!(::lamport::__private::contains_name(#path::__LAMPORT_NAMES, #n), #msg);
            });
            if reads_state.contains(&c.to_string()) {
                let msg = format!("`{n}` is a constant of the abstract model, so it is a constant of this model or a helper of the constants only (`fn {n}(c: &{config_ty}) -> T`), not `{c}`, which reads the state");
                checks.push(quote_spanned! {c.span()=>
                    const _: () = ::core::assert!(!::lamport::__private::contains_name(#path::__LAMPORT_CONSTANTS, #n), #msg);
                });
            }
        }
        let mapped: Vec<String> = d.with.iter().map(|(a, _)| a.to_string()).collect();
        let msg = format!("a state variable or constant of the abstract model has no counterpart here: this model has no state variable, constant or helper of its name; map it with `#[refines({}, name = ..)]` (see {}::__LAMPORT_NAMES)", r.path, r.path);
        checks.push(quote_spanned! {path.span()=>
            const _: () = ::core::assert!(::lamport::__private::all_matched(#path::__LAMPORT_NAMES, &[#(#mapped),*], &[#(#mine),*]), #msg);
        });
        let msg = format!("a constant of the abstract model is matched here by a state variable or a helper that reads the state, of the same name: map it to a constant or a helper of the constants with `#[refines({}, name = ..)]`", r.path);
        checks.push(quote_spanned! {path.span()=>
            const _: () = ::core::assert!(!::lamport::__private::any_unmapped_in(#path::__LAMPORT_CONSTANTS, &[#(#mapped),*], &[#(#reads_state),*]), #msg);
        });
        getters.push(quote! {
            fn #cell(&self) -> &::lamport::refinement::Refinement<#path::Model> {
                self.refinements.#cell.get_or_init(|| {
                    let __c = &self.config;
                    let __get = |__n: &str| {
                        let __mine = match __n { #(#renames)* __other => __other };
                        __lamport_lookup(__mine, ::core::option::Option::None, __c)
                    };
                    let __config = #path::__lamport_config_from_tla(&__get).unwrap_or_else(|e| {
                        ::core::panic!("the refinement mapping to {} does not give its constants: {}", #instance, e)
                    });
                    ::lamport::refinement::Refinement::new(#path::model(__config), #instance, #path::__lamport_state_from_tla)
                })
            }
        });
        let renames2 = d.with.iter().map(|(a, c)| {
            let a = a.to_string();
            let c = c.to_string();
            quote!(#a => #c,)
        });
        let map_fn = format_ident!("refinement_{}_value", k);
        getters.push(quote! {
            fn #map_fn(&self, __st: &#state_ty, __n: &str) -> ::core::result::Result<::lamport::TlaValue, ::std::string::String> {
                let __mine = match __n { #(#renames2)* __other => __other };
                __lamport_lookup(__mine, ::core::option::Option::Some(__st), &self.config)
            }
        });
        meta.push(quote!(::lamport::NamePair { rust: #rust, tla: #property }));
        let i = first + k;
        step_arms.push(quote! {
            #i => self.#cell().step(&|__n| self.#map_fn(__s, __n), &|__n| self.#map_fn(__next, __n)),
        });
        initial_arms.push(quote! {
            #i => self.#cell().initial(&|__n| self.#map_fn(__s, __n)),
        });
        targets.push(quote!(self.#cell().target_info()));
        fair_names.push(quote! {
            for (__n, __strong) in self.#cell().fairness_names() {
                __out.push((::std::format!("{} [{}]", #property, __n), __strong));
            }
        });
        fair_enabled.push(quote! {
            self.#cell().fair_enabled(&|__n| self.#map_fn(__s, __n), __out);
        });
        fair_steps.push(quote! {
            self.#cell().fair_step(&|__n| self.#map_fn(__s, __n), &|__n| self.#map_fn(__next, __n), __out);
        });
        renders.push(quote! {
            __out.extend(self.#cell().render(&|__n| self.#map_fn(__s, __n)));
        });
    }

    let items = quote! {
        #builders

        /// The values this model gives the abstract models it refines, by name.
        #[doc(hidden)]
        #[allow(unused_variables, clippy::all)]
        fn __lamport_lookup(__n: &str, __s: ::core::option::Option<&#state_ty>, __c: &#config_ty) -> ::core::result::Result<::lamport::TlaValue, ::std::string::String> {
            match __n {
                #(#arms)*
                _ => ::core::result::Result::Err(::std::format!("{} has no state variable, constant or helper `{}` to map it to: map it in #[refines(.., {} = name)]", ::core::module_path!(), __n, __n)),
            }
        }

        #(#checks)*

        impl Model {
            #(#getters)*
        }
    };
    let methods = quote! {
        fn initial_property(&self, __i: usize, __s: &#state_ty) -> bool {
            match __i {
                #(#initial_arms)*
                _ => true,
            }
        }

        fn refinement_targets(&self) -> ::std::vec::Vec<::lamport::RefinementTarget> {
            ::std::vec![#(#targets),*]
        }

        fn refinement_fairness(&self) -> ::std::vec::Vec<(::std::string::String, bool)> {
            let mut __out = ::std::vec::Vec::new();
            #(#fair_names)*
            __out
        }

        fn refinement_fairness_enabled(&self, __s: &#state_ty, __out: &mut ::std::vec::Vec<bool>) {
            #(#fair_enabled)*
        }

        fn refinement_fairness_step(&self, __s: &#state_ty, __next: &#state_ty, __out: &mut ::std::vec::Vec<bool>) {
            #(#fair_steps)*
        }

        fn refinement_render(&self, __s: &#state_ty) -> ::std::vec::Vec<(::std::string::String, ::std::string::String)> {
            let mut __out = ::std::vec::Vec::new();
            #(#renders)*
            __out
        }
    };
    Generated {
        items,
        meta,
        step_arms,
        methods,
    }
}
