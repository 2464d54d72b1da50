//! Procedural macros of lamport: `#[lamport::model]` and `#[derive(Value)]`.
//!
//! The model macro works in four steps, each a module: [`parse`] classifies the module's items by
//! their attributes, [`validate`] checks their shape and lowers declarations and bodies (through
//! [`lower`]) into the one IR of `lamport-ir`, and [`expand`] generates the checkable Rust model
//! and embeds the IR for the TLA+ exporter. Every error of one model is reported in one build.

mod actions;
mod ctxt;
mod derive_value;
mod expand;
mod lower;
mod network;
mod pack;
mod parse;
mod refines;
mod rewrite;
mod types;
mod validate;
mod value_attr;

use proc_macro::TokenStream;

/// Turns a module into a lamport model. See the crate `lamport` for the language.
#[proc_macro_attribute]
pub fn model(args: TokenStream, input: TokenStream) -> TokenStream {
    let module = match syn::parse::<syn::ItemMod>(input) {
        Ok(m) => m,
        Err(e) => {
            return syn::Error::new(
                e.span(),
                "#[lamport::model] goes on a module: `#[lamport::model] mod name { ... }`",
            )
            .to_compile_error()
            .into()
        }
    };
    let mut module = module;
    let cx = ctxt::Ctxt::new();
    let args = parse::ModelArgs::parse(&cx, args.into());
    let network = network::extract(&cx, &mut module);
    let refines = refines::extract(&cx, &mut module);
    let ast = parse::parse(&cx, args, module);
    let mut checked = validate::validate(&cx, &ast);
    actions::check_names(&cx, &ast);
    network::attach(&cx, &mut checked.ir, network);
    refines::attach(&cx, &ast, &mut checked, &refines);
    match cx.check() {
        Ok(()) => {
            let refinements = refines::expand(&ast, &checked, &refines);
            expand::expand(&ast, &checked, refinements).into()
        }
        Err(errors) => expand::fallback(&ast, errors).into(),
    }
}

/// Implements `lamport::Value` (the TLA+ and ITF renderings) for a record or an enum.
#[proc_macro_derive(Value, attributes(value))]
pub fn derive_value(input: TokenStream) -> TokenStream {
    match syn::parse::<syn::DeriveInput>(input) {
        Ok(d) => derive_value::derive(d).into(),
        Err(e) => e.to_compile_error().into(),
    }
}
