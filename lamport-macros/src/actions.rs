//! The model's action instances as one Rust type: the generated `Action` enum (one variant per
//! action, its parameters as named fields) and the `lamport::ActionModel` impl through which
//! model-based testing and trace validation drive and read the model.
//!
//! The checker's successor function builds an `Action` value only when a sink asks for it (the
//! closure `constructor` returns is passed to `Sink::step_typed`), so the model-checking hot
//! path pays nothing for it and there is one successor relation, not two.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use syn::{Ident, Item};

use crate::ctxt::Ctxt;
use crate::parse::ModelAst;
use crate::validate::{Checked, Sig};

/// The name of the generated enum.
const ENUM: &str = "Action";

/// `client_update` → `ClientUpdate`.
fn pascal_case(snake: &str) -> String {
    let mut out = String::new();
    for part in snake.trim_start_matches("r#").split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// The variant an action's instances are.
fn variant(sig: &Sig) -> Ident {
    Ident::new(&pascal_case(&sig.name.to_string()), sig.name.span())
}

/// Reports a user item that takes the generated enum's name, and two actions whose variants
/// would have the same name.
pub fn check_names(cx: &Ctxt, ast: &ModelAst) {
    let mut taken: Vec<&Ident> = Vec::new();
    for item in ast.value_types.iter().chain(&ast.passthrough) {
        match item {
            Item::Struct(s) => taken.push(&s.ident),
            Item::Enum(e) => taken.push(&e.ident),
            Item::Type(t) => taken.push(&t.ident),
            Item::Trait(t) => taken.push(&t.ident),
            Item::Union(u) => taken.push(&u.ident),
            _ => {}
        }
    }
    taken.extend(ast.state.iter().map(|s| &s.ident));
    taken.extend(ast.constants.iter().map(|c| &c.ident));
    taken.extend(ast.model_values.iter().map(|(i, _)| i));
    for ident in taken {
        if ident == ENUM {
            cx.error_spanned_by(
                ident,
                "`Action` is the name #[lamport::model] gives the enum of the model's action \
                 instances (one variant per action); rename this item, e.g. `Step` or `Op`",
            );
        }
    }
    let mut seen: Vec<(String, &Ident)> = Vec::new();
    for rf in &ast.actions {
        let ident = &rf.item.sig.ident;
        let v = pascal_case(&ident.to_string());
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == v) {
            cx.error_spanned_by(
                ident,
                format!(
                    "actions `{first}` and `{ident}` would both be `Action::{v}` in the generated \
                     enum of action instances; rename one of them"
                ),
            );
        } else {
            seen.push((v, ident));
        }
    }
}

/// A closure expression building this action instance, boxed as `Any`, from the parameters in
/// scope: what a successor block hands to `Sink::step_typed`.
pub fn constructor(sig: &Sig) -> TokenStream {
    let v = variant(sig);
    let fields = sig.params.iter().map(|(p, _, _)| p);
    let value = if sig.params.is_empty() {
        quote!(Action::#v)
    } else {
        quote!(Action::#v { #(#fields: ::std::clone::Clone::clone(&#fields)),* })
    };
    quote! {
        || -> ::std::boxed::Box<dyn ::std::any::Any> { ::std::boxed::Box::new(#value) }
    }
}

/// The `Action` enum and the `ActionModel` impl of the generated `Model`.
pub fn expand(checked: &Checked) -> TokenStream {
    let state_ty = &checked.state_name;
    let enum_ident = Ident::new(ENUM, Span::call_site());
    let variants = checked.actions.iter().map(|sig| {
        let v = variant(sig);
        let doc = format!(
            "An instance of the action `{}` (`{}` in TLA+).",
            sig.name, sig.tla
        );
        if sig.params.is_empty() {
            quote!(#[doc = #doc] #v)
        } else {
            let fields = sig.params.iter().map(|(p, ty, _)| quote!(#p: #ty));
            quote!(#[doc = #doc] #v { #(#fields),* })
        }
    });
    let pattern = |sig: &Sig| {
        let v = variant(sig);
        if sig.params.is_empty() {
            quote!(#enum_ident::#v)
        } else {
            let fields = sig.params.iter().map(|(p, _, _)| p);
            quote!(#enum_ident::#v { #(#fields),* })
        }
    };
    let index_arms = checked.actions.iter().enumerate().map(|(i, sig)| {
        let v = variant(sig);
        if sig.params.is_empty() {
            quote!(#enum_ident::#v => #i,)
        } else {
            quote!(#enum_ident::#v { .. } => #i,)
        }
    });
    let param_arms = checked.actions.iter().map(|sig| {
        let pat = pattern(sig);
        let values = sig.params.iter().map(|(p, _, _)| {
            let name = p.to_string();
            quote!(::lamport::VarValue::new(#name, #p))
        });
        quote!(#pat => ::std::vec![#(#values),*],)
    });
    // An action-less model still has a (then uninhabited) action type.
    let uninhabited = checked
        .actions
        .is_empty()
        .then(|| quote!(_ => match *__a {},));
    quote! {
        /// An instance of one of the model's actions, with its parameters: what a model-based
        /// test's driver performs on the implementation and what a validated trace records.
        #[derive(Clone, Debug, PartialEq, Eq, Hash)]
        pub enum #enum_ident {
            #(#variants),*
        }

        #[allow(unused_variables, unreachable_patterns, clippy::all)]
        impl ::lamport::ActionModel for Model {
            type Action = #enum_ident;

            fn next_steps(
                &self,
                __s: &#state_ty,
                __out: &mut dyn FnMut(#enum_ident, #state_ty),
            ) {
                ::lamport::__private::typed_successors::<Self, #enum_ident>(self, __s, __out)
            }

            fn action_index(&self, __a: &#enum_ident) -> usize {
                match __a {
                    #(#index_arms)*
                    #uninhabited
                }
            }

            fn action_params(&self, __a: &#enum_ident) -> ::std::vec::Vec<::lamport::VarValue> {
                match __a {
                    #(#param_arms)*
                    #uninhabited
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pascal_case;

    #[test]
    fn variant_names() {
        assert_eq!(pascal_case("client_update"), "ClientUpdate");
        assert_eq!(pascal_case("tm_rcv_prepared"), "TmRcvPrepared");
        assert_eq!(pascal_case("read"), "Read");
        assert_eq!(pascal_case("r#match"), "Match");
    }
}
