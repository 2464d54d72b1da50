//! Generates the checkable Rust model from a validated module and its IR.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{parse_quote, Attribute, FnArg, Item, ItemFn, Token};

use crate::parse::ModelAst;
use crate::rewrite::{
    requires_to_exits, split_leading_guards, witnesses_to_ways, CheckedArith, IrIndex,
};
use crate::validate::{Checked, Sig, TargetArg};

/// Adds the derives a value type needs, skipping those the user wrote.
fn add_derives(attrs: &mut Vec<Attribute>, wanted: &[&str]) {
    let mut present = Vec::new();
    for a in attrs.iter() {
        if a.path().is_ident("derive") {
            if let Ok(paths) =
                a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                for p in paths {
                    if let Some(last) = p.segments.last() {
                        present.push(last.ident.to_string());
                    }
                }
            }
        }
    }
    let missing: Vec<syn::Ident> = wanted
        .iter()
        .filter(|w| !present.iter().any(|p| p == *w))
        .map(|w| syn::Ident::new(w, Span::call_site()))
        .collect();
    if !missing.is_empty() {
        attrs.push(parse_quote!(#[derive(#(#missing),*)]));
    }
}

fn is_unit_enum(item: &Item) -> bool {
    matches!(item, Item::Enum(e) if e.variants.iter().all(|v| matches!(v.fields, syn::Fields::Unit)))
}

/// Removes `Value` from `#[derive(...)]` lists (in the fallback, where a field type may have been
/// rejected and its impl would only add errors).
fn strip_value_derive(attrs: &mut [Attribute]) {
    for a in attrs.iter_mut() {
        if a.path().is_ident("derive") {
            if let Ok(paths) =
                a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            {
                let kept: Vec<&syn::Path> = paths
                    .iter()
                    .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Value"))
                    .collect();
                *a = parse_quote!(#[derive(#(#kept),*)]);
            }
        }
    }
}

/// The items of the user's module with lamport's attributes removed and derives added: what is
/// emitted on success. On error (`fallback`), no derives are added and bodies are stubbed, so
/// that the only errors are lamport's own.
pub fn user_items(ast: &ModelAst, fallback: bool) -> Vec<Item> {
    let derive = |attrs: &mut Vec<Attribute>, wanted: &[&str]| {
        if fallback {
            strip_value_derive(attrs);
        } else {
            add_derives(attrs, wanted);
        }
    };
    let mut items: Vec<Item> = ast.passthrough.clone();
    // `require!` is rewritten away, so a small model may use nothing else from the prelude.
    for item in &mut items {
        if let Item::Use(u) = item {
            let text = quote::quote!(#u).to_string().replace(' ', "");
            if text.contains("lamport::prelude::*") {
                u.attrs.push(parse_quote!(#[allow(unused_imports)]));
            }
        }
    }
    if let Some(c) = &ast.constants {
        let mut c = c.clone();
        derive(&mut c.attrs, &["Clone", "Debug", "PartialEq", "Eq", "Hash"]);
        items.push(Item::Struct(c));
    }
    if let Some(i) = &ast.configs {
        // `#[symmetry(..)]` is lamport's, not an attribute rustc knows.
        let mut i = i.clone();
        for item in &mut i.items {
            if let syn::ImplItem::Fn(f) = item {
                f.attrs.retain(|a| {
                    !a.path().is_ident("symmetry") && !a.path().is_ident("no_fairness")
                });
            }
        }
        items.push(Item::Impl(i));
    }
    for t in &ast.value_types {
        let mut t = t.clone();
        let copy = is_unit_enum(&t);
        let attrs = match &mut t {
            Item::Struct(s) => &mut s.attrs,
            Item::Enum(e) => &mut e.attrs,
            _ => unreachable!("value types are structs and enums"),
        };
        let mut wanted = vec![
            "Clone",
            "PartialEq",
            "Eq",
            "PartialOrd",
            "Ord",
            "Hash",
            "Debug",
        ];
        if copy {
            wanted.push("Copy");
        }
        derive(attrs, &wanted);
        if fallback {
            crate::value_attr::strip(&mut t);
        }
        items.push(t);
    }
    if let Some(s) = &ast.state {
        let mut s = s.clone();
        derive(&mut s.attrs, &["Clone", "PartialEq", "Eq", "Hash", "Debug"]);
        if !fallback {
            items.push(crate::pack::state(&s));
        }
        items.push(Item::Struct(s));
    }
    if fallback {
        let fns = ast
            .init
            .iter()
            .chain(&ast.actions)
            .chain(&ast.invariants)
            .chain(&ast.constraints)
            .chain(&ast.step_properties)
            .chain(&ast.reachables)
            .map(|rf| rf.item.clone())
            .chain(ast.helpers.iter().cloned());
        for mut f in fns {
            f.block = Box::new(parse_quote!({ ::core::unimplemented!() }));
            items.push(Item::Fn(f));
        }
    }
    items
}

fn arith(mut f: ItemFn) -> ItemFn {
    crate::rewrite::asserts_to_panics(&mut f.block);
    CheckedArith.visit_item_fn_mut(&mut f);
    f
}

/// Opens a `HelperFrame` first thing in a helper: a panic inside names the helper, and a
/// recursion too deep for the stack is a model error rather than a crash.
fn helper_frame(mut f: ItemFn) -> ItemFn {
    let ident = &f.sig.ident;
    let name = ident.to_string();
    let frame: syn::Stmt = syn::parse_quote_spanned! {ident.span()=>
        let __lamport_frame = ::lamport::__private::HelperFrame::enter(#name);
    };
    f.block.stmts.insert(0, frame);
    f
}

fn arith_expr(mut e: syn::Expr) -> syn::Expr {
    CheckedArith.visit_expr_mut(&mut e);
    e
}

/// Call arguments for a role function: state, constants (if taken), then parameters.
fn call_args(sig: &Sig, state: TokenStream, config: &TokenStream) -> Vec<TokenStream> {
    let mut args = Vec::new();
    if sig.state_param.is_some() {
        args.push(state);
    }
    if sig.config_param.is_some() {
        args.push(config.clone());
    }
    for (p, _, _) in &sig.params {
        args.push(quote!(::std::clone::Clone::clone(&#p)));
    }
    args
}

/// `let <user's name for the state> = s; let <user's name for the constants> = c;` so that
/// domain expressions read as the user wrote them.
fn bind_names(sig: &Sig, state: &TokenStream, config: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(s) = &sig.state_param {
        out.extend(quote!(let #s = #state;));
    }
    if let Some(c) = &sig.config_param {
        out.extend(quote!(let #c = #config;));
    }
    out
}

/// Nested loops over the parameters' domains around `body`.
fn param_loops(sig: &Sig, body: TokenStream) -> TokenStream {
    let mut out = body;
    for (p, ty, domain) in sig.params.iter().rev() {
        let domain = domain
            .clone()
            .map(arith_expr)
            .unwrap_or_else(|| parse_quote!(::core::unimplemented!()));
        out = quote! {
            for #p in ::lamport::__private::Domain::elements(&(#domain)) {
                let #p: #ty = #p;
                #out
            }
        };
    }
    out
}

pub fn expand(
    ast: &ModelAst,
    checked: &Checked,
    refinements: crate::refines::Generated,
) -> TokenStream {
    let (items, guard_names) = user_functions(ast, checked);
    let typed_actions = crate::actions::expand(checked);
    let model_struct = model_struct(checked, &refinements);
    let state_ty = &checked.state_name;
    let presentation = presentation_methods(checked);
    let search = search_methods(checked, &guard_names);
    let properties = property_methods(checked, &refinements);
    let refinement_methods = &refinements.methods;
    let temporal = temporal_methods(checked);
    let symmetry = symmetry_methods(checked);
    let module = &ast.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    quote! {
        #(#attrs)*
        #vis mod #ident {
            #(#items)*

            #typed_actions

            #model_struct

            #[allow(unused_variables, clippy::all)]
            impl ::lamport::Model for Model {
                type State = #state_ty;
                #presentation
                #search
                #properties
                #refinement_methods
                #temporal
                #symmetry
            }
        }
    }
}

/// The user's functions as the checker calls them: `init` returning `Option<State>` (`require!`
/// rejects a combination of parameters); each action as `fn(..) -> u64`, how many successors it
/// has here (0: not enabled; otherwise the product of the `require_witnesses!` counts, 1 without
/// any), with a guard function for its leading `require!`s, evaluated before the state is
/// cloned (their names are returned, `None` for an action without); properties and helpers with
/// checked arithmetic. Also the empty constants struct of a model that declares none.
fn user_functions(ast: &ModelAst, checked: &Checked) -> (Vec<Item>, Vec<Option<syn::Ident>>) {
    let mut items = user_items(ast, false);
    let state_ty = &checked.state_name;
    let config_ty = &checked.config_name;
    let disabled_none: syn::Expr = parse_quote!(::core::option::Option::None);

    if !checked.has_constants {
        items.push(parse_quote! {
            /// The model declares no constants.
            #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
            pub struct #config_ty {}
        });
        items.push(parse_quote! {
            impl #config_ty {
                /// The only configuration of a model without constants.
                pub fn default() -> Self { #config_ty {} }
            }
        });
    }

    if let Some(rf) = &ast.init {
        let mut f = rf.item.clone();
        requires_to_exits(&mut f.block, &disabled_none);
        if let Some(syn::Stmt::Expr(tail, None)) = f.block.stmts.last_mut() {
            *tail = parse_quote!(::core::option::Option::Some(#tail));
        }
        f.sig.output = parse_quote!(-> ::core::option::Option<#state_ty>);
        items.push(Item::Fn(arith(f)));
    }

    let mut guard_names = Vec::new();
    let index = IrIndex::new(&checked.ir);
    for (rf, sig) in ast.actions.iter().zip(&checked.actions) {
        let (guards, rest) = split_leading_guards(&rf.item.block);
        let mut f = rf.item.clone();
        f.block = Box::new(rest);
        let ways: syn::Ident = format_ident!("__lamport_ways");
        let zero: syn::Expr = parse_quote!(0);
        let choices = format_ident!("__lamport_choices");
        if crate::rewrite::choices_to_picks(&mut f.block, &choices) {
            f.sig
                .inputs
                .push(parse_quote!(#choices: &mut ::lamport::__private::Choices));
        }
        requires_to_exits(&mut f.block, &zero);
        witnesses_to_ways(&mut f.block, &ways, &sig.witnesses, &index, &checked.nodes);
        f.block
            .stmts
            .insert(0, parse_quote!(let mut #ways: u64 = 1;));
        f.block
            .stmts
            .push(syn::Stmt::Expr(parse_quote!(#ways), None));
        f.sig.output = parse_quote!(-> u64);
        // A parameter or the constants may be read only by the guard or by a domain.
        f.attrs.push(parse_quote!(#[allow(unused_variables)]));
        if guards.is_empty() {
            guard_names.push(None);
        } else {
            let mut g = rf.item.clone();
            g.attrs.retain(|a| !a.path().is_ident("doc"));
            g.sig.ident = format_ident!("__lamport_guard_{}", rf.item.sig.ident);
            if let Some(FnArg::Typed(t)) = g.sig.inputs.first_mut() {
                t.ty = parse_quote!(&#state_ty);
            }
            g.sig.output = parse_quote!(-> bool);
            g.block = Box::new(parse_quote!({ #(if !(#guards) { return false; })* true }));
            g.attrs.push(parse_quote!(#[allow(unused_variables)]));
            guard_names.push(Some(g.sig.ident.clone()));
            items.push(Item::Fn(arith(g)));
        }
        items.push(Item::Fn(arith(f)));
    }
    for rf in ast
        .invariants
        .iter()
        .chain(&ast.constraints)
        .chain(&ast.step_properties)
        .chain(&ast.reachables)
    {
        items.push(Item::Fn(arith(rf.item.clone())));
    }
    for (_, rf) in &ast.liveness {
        let mut f = rf.item.clone();
        // The constants may be read only by a parameter's domain.
        f.attrs.push(parse_quote!(#[allow(unused_variables)]));
        items.push(Item::Fn(arith(f)));
    }
    for h in &ast.helpers {
        items.push(Item::Fn(helper_frame(arith(h.clone()))));
    }

    (items, guard_names)
}

/// `NamePair`s (Rust and TLA+ names) of some of the model's functions.
fn name_pairs(sigs: &[Sig]) -> Vec<TokenStream> {
    sigs.iter()
        .map(|sig| {
            let r = sig.name.to_string();
            let t = &sig.tla;
            quote!(::lamport::NamePair { rust: #r, tla: #t })
        })
        .collect()
}

/// The `Model` struct (a model bound to one configuration) with its metadata, `model()`,
/// `definition()` (the named configurations) and the embedded IR.
fn model_struct(checked: &Checked, refinements: &crate::refines::Generated) -> TokenStream {
    let ir = &checked.ir;
    let config_ty = &checked.config_name;
    let model_name = &ir.name;
    let module_name = &ir.module;
    let check_deadlock = ir.check_deadlock;
    let var_pairs = checked.state_fields.iter().map(|(rust, tla)| {
        let r = rust.to_string();
        quote!(::lamport::NamePair { rust: #r, tla: #tla })
    });
    let action_meta = checked.actions.iter().map(|sig| {
        let r = sig.name.to_string();
        let t = &sig.tla;
        let ps = sig.params.iter().map(|(p, _, _)| p.to_string());
        quote!(::lamport::ActionMeta { rust: #r, tla: #t, params: ::std::vec![#(#ps),*] })
    });
    let invariant_meta = name_pairs(&checked.invariants);
    let constraint_meta = name_pairs(&checked.constraints);
    let mut step_property_meta = name_pairs(&checked.step_properties);
    step_property_meta.extend(refinements.meta.iter().cloned());
    let refinement_items = &refinements.items;
    let reachable_meta = name_pairs(&checked.reachables);
    let liveness_meta = checked.liveness.iter().map(|l| {
        let r = l.sig.name.to_string();
        let t = &l.sig.tla;
        let kind = match l.kind {
            lamport_ir::LivenessKind::Eventually => quote!(Eventually),
            lamport_ir::LivenessKind::AlwaysEventually => quote!(AlwaysEventually),
            lamport_ir::LivenessKind::LeadsTo => quote!(LeadsTo),
        };
        quote!(::lamport::LivenessMeta { rust: #r, tla: #t, kind: ::lamport::LivenessKind::#kind })
    });
    let config_entries = checked.configs.iter().map(|c| {
        let n = c.to_string();
        quote!((#n, || Model::with_config_name(#config_ty::#c(), #n)))
    });
    let ir_json = ir.to_json();
    let config_fns = checked.configs.iter().map(|c| {
        let n = c.to_string();
        quote!((#n, #config_ty::#c as fn() -> #config_ty))
    });
    quote! {
        /// The model bound to one configuration of its constants: what `check()` explores.
        pub struct Model {
            config: #config_ty,
            config_name: &'static str,
            meta: ::lamport::ModelMeta,
            refinements: __Refinements,
        }

        #refinement_items

        impl Model {
            /// The model for `config`, reported under `name`.
            pub fn with_config_name(config: #config_ty, name: &'static str) -> Model {
                Model {
                    config,
                    config_name: name,
                    refinements: ::core::default::Default::default(),
                    meta: ::lamport::ModelMeta {
                        name: #model_name,
                        module: #module_name,
                        variables: ::std::vec![#(#var_pairs),*],
                        actions: ::std::vec![#(#action_meta),*],
                        invariants: ::std::vec![#(#invariant_meta),*],
                        constraints: ::std::vec![#(#constraint_meta),*],
                        step_properties: ::std::vec![#(#step_property_meta),*],
                        reachables: ::std::vec![#(#reachable_meta),*],
                        liveness: ::std::vec![#(#liveness_meta),*],
                        check_deadlock: #check_deadlock,
                    },
                }
            }

            /// The constants this model was built with.
            pub fn config(&self) -> &#config_ty {
                &self.config
            }
        }

        /// The model for `config`, reported under the name of the declared configuration it
        /// equals (`custom` if none).
        pub fn model(config: #config_ty) -> Model {
            let names: &[(&'static str, fn() -> #config_ty)] = &[#(#config_fns),*];
            let name = names.iter().find(|(_, build)| build() == config).map(|(n, _)| *n).unwrap_or("custom");
            Model::with_config_name(config, name)
        }

        /// The model's named configurations, for the command-line runner.
        pub fn definition() -> ::lamport::Definition<Model> {
            ::lamport::Definition { name: #model_name, configs: ::std::vec![#(#config_entries),*] }
        }

        #[doc(hidden)]
        pub const __LAMPORT_IR: &str = #ir_json;

        /// The model's intermediate form, as the TLA+ exporter reads it.
        pub fn ir() -> ::lamport::ir::Model {
            ::lamport::ir::Model::from_json(__LAMPORT_IR).expect("the IR embedded by #[lamport::model] parses")
        }

    }
}

/// `Model`'s methods that name and show things: metadata, constants, a state's variables, the
/// IR and the source file.
fn presentation_methods(checked: &Checked) -> TokenStream {
    let render = checked
        .state_fields
        .iter()
        .map(|(rust, tla)| quote!(::lamport::VarValue::new(#tla, &__s.#rust)));
    let constants = checked
        .constant_fields
        .iter()
        .map(|(rust, tla)| quote!((#tla, ::lamport::Value::tla(&self.config.#rust))));
    let state_ty = &checked.state_name;
    quote! {
        fn meta(&self) -> &::lamport::ModelMeta {
            &self.meta
        }

        fn config_name(&self) -> &str {
            self.config_name
        }

        fn constants(&self) -> ::std::vec::Vec<(&'static str, ::std::string::String)> {
            ::std::vec![#(#constants),*]
        }

        fn render(&self, __s: &#state_ty) -> ::std::vec::Vec<::lamport::VarValue> {
            ::std::vec![#(#render),*]
        }

        fn ir(&self) -> ::core::option::Option<::lamport::ir::Model> {
            ::core::option::Option::Some(ir())
        }

        fn source_file(&self) -> &'static str {
            ::core::file!()
        }
    }
}

/// `init_states` (init's parameters enumerated) and `successors` (every action instance, one
/// successor per witness, as TLC generates them).
fn search_methods(checked: &Checked, guard_names: &[Option<syn::Ident>]) -> TokenStream {
    let state_ty = &checked.state_name;
    let state_in = quote!(__s);
    let config_in = quote!(__c);
    let init_body = match &checked.init {
        Some(sig) => {
            let name = &sig.name;
            let binds = bind_names(sig, &state_in, &config_in);
            let args = call_args(sig, state_in.clone(), &config_in);
            let call = quote! {
                if let ::core::option::Option::Some(__state) = #name(#(#args),*) {
                    __out(__state);
                }
            };
            let loops = param_loops(sig, call);
            quote! { #binds #loops }
        }
        None => quote!(),
    };

    let successor_blocks =
        checked
            .actions
            .iter()
            .zip(guard_names)
            .enumerate()
            .map(|(i, (sig, guard))| {
                let name = &sig.name;
                let binds = bind_names(sig, &state_in, &config_in);
                let params_render = sig
                    .params
                    .iter()
                    .map(|(p, _, _)| quote!(::lamport::__private::render(&#p)));
                let guard_call = match guard {
                    Some(g) => {
                        let args = call_args(sig, state_in.clone(), &config_in);
                        quote!(#g(#(#args),*))
                    }
                    None => quote!(true),
                };
                // An action that chooses (`choose!`, `either!`) runs once per way through it.
                let chooses = checked
                    .ir
                    .actions
                    .get(i)
                    .is_some_and(|op| crate::rewrite::ir_chooses(&op.body));
                let mut effect_args = call_args(sig, quote!(&mut __next), &config_in);
                if chooses {
                    effect_args.push(quote!(&mut __choices));
                }
                let typed = crate::actions::constructor(sig);
                let param_arms = sig.params.iter().enumerate().map(|(k, (p, _, _))| {
                    quote!(#k => ::lamport::__private::render(&#p),)
                });
                let once = quote! {
                        let mut __next = ::std::clone::Clone::clone(__s);
                        let __times: u64 = #name(#(#effect_args),*);
                        // One successor per witness, as TLC generates them (identical states).
                        for _ in 1..__times {
                            __sink.step_typed(#i, &__params, &__param, &__typed, ::std::clone::Clone::clone(&__next));
                        }
                        if __times > 0 {
                            __sink.step_typed(#i, &__params, &__param, &__typed, __next);
                        }
                };
                let run = if chooses {
                    quote! {
                        let mut __choices = ::lamport::__private::Choices::default();
                        loop {
                            #once
                            if !__choices.advance() {
                                break;
                            }
                        }
                    }
                } else {
                    once
                };
                let body = quote! {
                            let __params = || ::std::vec![#(#params_render),*];
                            #[allow(unreachable_code)]
                            let __param = |__k: usize| -> ::std::string::String {
                                match __k { #(#param_arms)* _ => ::std::string::String::new() }
                            };
                            let __typed = #typed;
                            __sink.enter(#i, &__params);
                            if #guard_call {
                        #run
                    }
                };
                let loops = param_loops(sig, body);
                quote! { { #binds #loops } }
            });

    quote! {
        fn init_states(&self, __out: &mut dyn FnMut(#state_ty)) {
            let __c = &self.config;
            let __s = ();
            #init_body
        }

        fn successors(&self, __s: &#state_ty, __sink: &mut dyn ::lamport::Sink<#state_ty>) {
            let __c = &self.config;
            #(#successor_blocks)*
        }
    }
}

/// The safety properties by number: invariants, step properties, reachability conditions and
/// state constraints.
fn property_methods(checked: &Checked, refinements: &crate::refines::Generated) -> TokenStream {
    let state_ty = &checked.state_name;
    let reachable_arms = checked.reachables.iter().enumerate().map(|(i, sig)| {
        let name = &sig.name;
        let args = call_args(sig, quote!(__s), &quote!(&self.config));
        quote!(#i => #name(#(#args),*),)
    });
    let refinement_arms = &refinements.step_arms;
    let step_property_arms = checked.step_properties.iter().enumerate().map(|(i, sig)| {
        let name = &sig.name;
        let mut args = vec![quote!(__s), quote!(__next)];
        if sig.config_param.is_some() {
            args.push(quote!(&self.config));
        }
        quote!(#i => #name(#(#args),*),)
    });

    let invariant_arms = checked.invariants.iter().enumerate().map(|(i, sig)| {
        let name = &sig.name;
        let args = call_args(sig, quote!(__s), &quote!(&self.config));
        quote!(#i => #name(#(#args),*),)
    });
    let constraint_calls: Vec<TokenStream> = checked
        .constraints
        .iter()
        .map(|sig| {
            let name = &sig.name;
            let args = call_args(sig, quote!(__s), &quote!(&self.config));
            quote!(#name(#(#args),*))
        })
        .collect();
    let constraint_arms = constraint_calls
        .iter()
        .enumerate()
        .map(|(i, call)| quote!(#i => ::core::option::Option::Some(#call),));
    let constraint_body = if constraint_calls.is_empty() {
        quote!(true)
    } else {
        quote!(#(#constraint_calls)&&*)
    };

    quote! {
            fn invariant(&self, __i: usize, __s: &#state_ty) -> bool {
                match __i {
                    #(#invariant_arms)*
                    _ => ::core::panic!("no invariant number {}", __i),
                }
            }

            fn step_property(&self, __i: usize, __s: &#state_ty, __next: &#state_ty) -> bool {
                match __i {
                    #(#step_property_arms)*
                    #(#refinement_arms)*
                    _ => ::core::panic!("no step property number {}", __i),
                }
            }

            fn reachable(&self, __i: usize, __s: &#state_ty) -> bool {
                match __i {
                    #(#reachable_arms)*
                    _ => ::core::panic!("no reachability property number {}", __i),
                }
            }

            fn constraint(&self, __s: &#state_ty) -> bool {
                #constraint_body
            }

            fn constraint_at(&self, __i: usize, __s: &#state_ty) -> ::core::option::Option<bool> {
                match __i {
                    #(#constraint_arms)*
                    _ => ::core::option::Option::None,
                }
            }

    }
}

/// Fairness instances and temporal properties: their instances and their state predicates.
fn temporal_methods(checked: &Checked) -> TokenStream {
    let state_ty = &checked.state_name;
    let liveness_eval_arms = checked.liveness.iter().enumerate().map(|(i, l)| {
        let sig = &l.sig;
        let name = &sig.name;
        let binds = bind_names(sig, &quote!(__s), &quote!(&self.config));
        let args = call_args(sig, quote!(__s), &quote!(&self.config));
        let target = l.target.as_ref().map(|(t, targs)| {
            let targs = targs.iter().map(|a| match a {
                TargetArg::State => quote!(__s),
                TargetArg::Config => quote!(&self.config),
                TargetArg::Param(k) => {
                    let p = &sig.params[*k].0;
                    quote!(::std::clone::Clone::clone(&#p))
                }
            });
            quote!(__out.push(#t(#(#targs),*));)
        });
        let body = param_loops(sig, quote! { __out.push(#name(#(#args),*)); #target });
        quote!(#i => { #binds #body })
    });
    let liveness_instance_arms = checked.liveness.iter().enumerate().map(|(i, l)| {
        let sig = &l.sig;
        let binds = bind_names(sig, &quote!(__s), &quote!(&self.config));
        let parts = sig.params.iter().map(|(p, _, _)| {
            let n = p.to_string();
            quote!(::std::format!("{} = {}", #n, ::lamport::__private::render(&#p)))
        });
        let body = param_loops(
            sig,
            quote! {
                let __parts: ::std::vec::Vec<::std::string::String> = ::std::vec![#(#parts),*];
                __out.push(__parts.join(", "));
            },
        );
        quote!(#i => { let __s = (); #binds #body })
    });
    let no_fairness_configs: Vec<String> = checked
        .configs
        .iter()
        .zip(&checked.config_no_fairness)
        .filter(|(_, off)| **off)
        .map(|(c, _)| c.to_string())
        .collect();
    let fairness_blocks = checked.fairness.iter().map(|f| {
        let action = f.action;
        let strong = f.strong;
        let sig = &checked.actions[f.action];
        let binds = match &sig.config_param {
            Some(c) => quote!(let #c = &self.config;),
            None => quote!(),
        };
        let pushes = f
            .per
            .iter()
            .map(|(pos, p, _, _)| quote!((#pos, ::lamport::__private::render(&#p))));
        let mut body = quote! {
            __out.push(::lamport::FairInstance {
                strong: #strong,
                action: #action,
                per: ::std::vec![#(#pushes),*],
                also: ::std::vec::Vec::new(),
            });
        };
        for (_, p, ty, domain) in f.per.iter().rev() {
            let domain = arith_expr(domain.clone());
            body = quote! {
                for #p in ::lamport::__private::Domain::elements(&(#domain)) {
                    let #p: #ty = #p;
                    #body
                }
            };
        }
        quote!({ #binds #body })
    });
    let group_blocks = checked.group_fairness.iter().map(|g| {
        let strong = g.strong;
        let member = |(a, bound): &(usize, Vec<(usize, syn::Ident)>)| {
            let pushes = bound
                .iter()
                .map(|(pos, v)| quote!((#pos, ::lamport::__private::render(&#v))));
            quote!((#a, ::std::vec![#(#pushes),*]))
        };
        let (first, rest) = match g.members.split_first() {
            Some((f, r)) => (member(f), r.iter().map(member).collect::<Vec<_>>()),
            None => return quote!(),
        };
        let mut body = quote! {
            let (__action, __per) = #first;
            __out.push(::lamport::FairInstance {
                strong: #strong,
                action: __action,
                per: __per,
                also: ::std::vec![#(#rest),*],
            });
        };
        for (v, ty, domain, binder) in g.vars.iter().rev() {
            let domain = arith_expr(domain.clone());
            let binds = match &checked.actions[*binder].config_param {
                Some(c) => quote!(let #c = &self.config;),
                None => quote!(),
            };
            body = quote! {
                #binds
                for #v in ::lamport::__private::Domain::elements(&(#domain)) {
                    let #v: #ty = #v;
                    #body
                }
            };
        }
        quote!({ #body })
    });

    quote! {
            fn fairness(&self) -> ::std::vec::Vec<::lamport::FairInstance> {
                let mut __out = ::std::vec::Vec::new();
                if [#(#no_fairness_configs),*].contains(&self.config_name) {
                    return __out;
                }
                #(#fairness_blocks)*
                #(#group_blocks)*
                __out
            }

            #[allow(unreachable_code)]
            fn liveness_instances(&self, __i: usize) -> ::std::vec::Vec<::std::string::String> {
                let mut __out = ::std::vec::Vec::new();
                match __i {
                    #(#liveness_instance_arms)*
                    _ => ::core::panic!("no temporal property number {}", __i),
                }
                __out
            }

            fn liveness_eval(&self, __i: usize, __s: &#state_ty, __out: &mut ::std::vec::Vec<bool>) {
                match __i {
                    #(#liveness_eval_arms)*
                    _ => ::core::panic!("no temporal property number {}", __i),
                }
            }

    }
}

/// Symmetry: the permutations of each configuration's symmetric model-value sets, applying one
/// to a state, and the model-value universes.
fn symmetry_methods(checked: &Checked) -> TokenStream {
    let state_ty = &checked.state_name;
    let const_idents: Vec<&syn::Ident> = checked.constant_fields.iter().map(|(i, _)| i).collect();
    let state_idents: Vec<&syn::Ident> = checked.state_fields.iter().map(|(i, _)| i).collect();
    let symmetry_arms = checked.configs.iter().zip(&checked.config_symmetry).filter(|(_, sym)| !sym.is_empty()).map(|(c, sym)| {
        let n = c.to_string();
        let steps = sym.iter().map(|(field, ty)| {
            quote! {
                let __values: ::std::vec::Vec<u16> = self.config.#field.iter().map(|v| ::lamport::ModelValue::index(v) as u16).collect();
                __group = ::lamport::__private::extend_symmetry(__group, #ty, &__values);
            }
        });
        quote! { #n => { let mut __group = ::std::vec::Vec::new(); #(#steps)* __group } }
    });

    quote! {
            fn symmetries(&self) -> ::std::vec::Vec<::lamport::Permutation> {
                match self.config_name {
                    #(#symmetry_arms)*
                    _ => ::std::vec::Vec::new(),
                }
            }

            fn permute(&self, __s: &#state_ty, __p: &::lamport::Permutation) -> #state_ty {
                #state_ty { #( #state_idents: ::lamport::Value::permute(&__s.#state_idents, __p), )* }
            }

            fn pack_permuted(&self, __s: &#state_ty, __p: &::lamport::Permutation, __out: &mut ::std::vec::Vec<u8>) {
                // The state's `Pack`: its fields in declaration order.
                #( ::lamport::Value::pack_permuted(&__s.#state_idents, __p, __out); )*
            }

            fn model_value_universes(&self) -> ::std::vec::Vec<(&'static str, ::std::vec::Vec<::std::string::String>)> {
                let mut __all = ::std::vec::Vec::new();
                #( ::lamport::Value::model_values(&self.config.#const_idents, &mut __all); )*
                ::lamport::__private::universes(__all)
            }
    }
}

/// What is emitted when the model has errors: the user's items (bodies stubbed, so the IDE still
/// sees every name) and the errors.
pub fn fallback(ast: &ModelAst, errors: TokenStream) -> TokenStream {
    let items = user_items(ast, true);
    let module = &ast.module;
    let attrs = &module.attrs;
    let vis = &module.vis;
    let ident = &module.ident;
    quote! {
        #(#attrs)*
        #[allow(unused, clippy::all)]
        #vis mod #ident {
            #(#items)*
            #errors
        }
    }
}
