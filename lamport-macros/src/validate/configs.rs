//! Pass 2: the named configurations, with their symmetry and `#[no_fairness]` markers.

use std::collections::BTreeSet;

use lamport_ir::{ConfigDecl, ModelValueDecl, Type};
use proc_macro2::Span;
use syn::Ident;

use super::decls::Decls;
use crate::ctxt::Ctxt;
use crate::parse::{doc_of, line_of, ModelAst};
use crate::types::path_name;

/// The configurations as expansion needs them, in declaration order.
pub struct Configs {
    pub decls: Vec<ConfigDecl>,
    pub idents: Vec<Ident>,
    /// The symmetric constants fields and their model-value types.
    pub symmetry: Vec<Vec<(Ident, String)>>,
    /// Whether temporal properties are checked without the fairness conditions.
    pub no_fairness: Vec<bool>,
}

pub fn configurations(cx: &Ctxt, ast: &ModelAst, d: &Decls) -> Configs {
    let mut out = Configs {
        decls: Vec::new(),
        idents: Vec::new(),
        symmetry: Vec::new(),
        no_fairness: Vec::new(),
    };
    let config_name = &d.config_name;
    if let Some(imp) = &ast.configs {
        if path_name(&imp.self_ty).as_deref() != Some(&config_name.to_string()) {
            cx.error_spanned_by(
                &imp.self_ty,
                format!("#[configs] goes on `impl {config_name}`: the constants struct"),
            );
        }
        let mut seen = BTreeSet::new();
        for item in &imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
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
            let symmetric = symmetry(cx, f, d);
            let no_fairness = no_fairness(cx, f);
            out.idents.push(f.sig.ident.clone());
            out.decls.push(ConfigDecl {
                name: f.sig.ident.to_string(),
                doc: doc_of(&f.attrs),
                line: line_of(f.sig.ident.span()),
                symmetry: symmetric.iter().map(|(n, _)| n.to_string()).collect(),
                no_fairness,
            });
            out.symmetry.push(symmetric);
            out.no_fairness.push(no_fairness);
        }
        if out.idents.is_empty() {
            cx.error_spanned_by(&imp.self_ty, "the #[configs] block declares no configuration: add `pub fn small() -> Self { ... }`");
        }
    } else if let Some(c) = &ast.constants {
        cx.error_spanned_by(&c.ident, "the constants need named configurations: add `#[configs] impl Config { pub fn small() -> Self { ... } }`");
    }
    if ast.constants.is_none() {
        out.idents.push(Ident::new("default", Span::call_site()));
        out.decls.push(ConfigDecl {
            name: "default".into(),
            doc: String::new(),
            line: 0,
            symmetry: Vec::new(),
            no_fairness: false,
        });
        out.symmetry.push(Vec::new());
        out.no_fairness.push(false);
    }
    out
}

/// `#[symmetry(a, b)]`: each names a constants field holding a set of model values.
fn symmetry(cx: &Ctxt, f: &syn::ImplItemFn, d: &Decls) -> Vec<(Ident, String)> {
    let mut symmetric: Vec<(Ident, String)> = Vec::new();
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("symmetry")) {
        let names = match attr
            .parse_args_with(syn::punctuated::Punctuated::<Ident, syn::Token![,]>::parse_terminated)
        {
            Ok(n) => n,
            Err(e) => {
                cx.push(syn::Error::new(e.span(), "write `#[symmetry(field, ...)]` with the constants fields (sets of model values) the configuration is symmetric in"));
                continue;
            }
        };
        for n in names {
            let field = d.constants.fields.iter().find(|fl| n == fl.name.as_str());
            let model_value_type = |t: &Type| match t {
                Type::Named(t) if d.model_values.iter().any(|m: &ModelValueDecl| &m.name == t) => {
                    Some(t.clone())
                }
                _ => None,
            };
            match field.map(|fl| &fl.ty) {
                Some(Type::Set(inner)) if model_value_type(inner).is_some() => {
                    let t = model_value_type(inner).expect("checked");
                    if symmetric.iter().any(|(_, ty)| *ty == t) {
                        cx.error_spanned_by(&n, format!("two symmetric sets of `{t}`: declare one set of each model-value type"));
                    }
                    symmetric.push((n.clone(), t));
                }
                Some(_) => cx.error_spanned_by(&n, format!("`{n}` is not a set of model values: symmetry permutes the values of a `Set<T>` constant whose `T` is declared with `model_values!`")),
                None => cx.error_spanned_by(&n, format!("`{n}` is not a field of the constants struct")),
            }
        }
    }
    symmetric
}

/// `#[no_fairness]`: temporal properties without the fairness conditions.
fn no_fairness(cx: &Ctxt, f: &syn::ImplItemFn) -> bool {
    let mut on = false;
    for attr in f.attrs.iter().filter(|a| a.path().is_ident("no_fairness")) {
        if !matches!(attr.meta, syn::Meta::Path(_)) {
            cx.error_spanned_by(attr, "write `#[no_fairness]`: it takes no arguments");
        }
        on = true;
    }
    on
}
