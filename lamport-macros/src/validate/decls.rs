//! Pass 1: the model's declarations — model values, value types, the state and the constants.

use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::naming;
use lamport_ir::{Field, ModelValueDecl, Record, TypeDecl, TypeKind, Variant};
use proc_macro2::Span;
use syn::{Ident, Item};

use crate::ctxt::Ctxt;
use crate::parse::{doc_of, ModelAst};
use crate::types::{lower_type, Known};

/// What the later passes need to know about the declarations.
pub struct Decls {
    pub model_values: Vec<ModelValueDecl>,
    /// Names of the value types (model values and `#[derive(Value)]` types).
    pub names: BTreeSet<String>,
    pub known: Known,
    pub types: Vec<TypeDecl>,
    pub state: Record,
    pub constants: Record,
    pub state_name: Ident,
    pub config_name: Ident,
    /// Rust field ident and TLA+ name of each state variable.
    pub state_fields: Vec<(Ident, String)>,
    pub constant_fields: Vec<(Ident, String)>,
}

pub fn declarations(cx: &Ctxt, ast: &ModelAst) -> Decls {
    let (model_values, mut names) = model_values(cx, ast);
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
    let types = value_types(cx, ast, &known);

    let state_struct = match &ast.state {
        Some(s) => Some(s),
        None => {
            cx.error_spanned_by(&ast.module.ident, "a model needs a state: add a struct marked `#[state]` whose fields are the state variables");
            None
        }
    };
    let (state, state_fields) = match state_struct {
        Some(s) => record_of(cx, &known, s, true, "#[state]"),
        None => (empty_record("State"), Vec::new()),
    };
    if let Some(s) = state_struct {
        if s.fields.is_empty() {
            cx.error_spanned_by(
                &s.ident,
                "the state needs at least one field (a state variable)",
            );
        }
    }
    let (constants, constant_fields) = match &ast.constants {
        Some(s) => record_of(cx, &known, s, false, "#[constants]"),
        None => (empty_record("Config"), Vec::new()),
    };
    let state_name = state_struct
        .map(|s| s.ident.clone())
        .unwrap_or_else(|| Ident::new("State", Span::call_site()));
    let config_name = ast
        .constants
        .as_ref()
        .map(|s| s.ident.clone())
        .unwrap_or_else(|| Ident::new("Config", Span::call_site()));
    Decls {
        model_values,
        names,
        known,
        types,
        state,
        constants,
        state_name,
        config_name,
        state_fields,
        constant_fields,
    }
}

fn model_values(cx: &Ctxt, ast: &ModelAst) -> (Vec<ModelValueDecl>, BTreeSet<String>) {
    let mut names = BTreeSet::new();
    let mut prefixes: BTreeMap<String, Span> = BTreeMap::new();
    let mut out = Vec::new();
    for (name, prefix) in &ast.model_values {
        let p = prefix
            .as_ref()
            .map(|l| l.value())
            .unwrap_or_else(|| naming::model_value_prefix(&name.to_string()));
        if prefixes.contains_key(&p) {
            cx.error_spanned_by(name, format!("model values of `{name}` would render with the prefix `{p}`, which another model-value set already uses: give one of them its own prefix, e.g. `model_values!({name} = \"{}\")`", name.to_string().to_lowercase()));
        }
        prefixes.insert(p.clone(), name.span());
        if !names.insert(name.to_string()) {
            cx.error_spanned_by(name, format!("`{name}` is declared twice"));
        }
        out.push(ModelValueDecl {
            name: name.to_string(),
            prefix: p,
        });
    }
    (out, names)
}

/// The fields of a struct or variant; `camel`: TLA+ names in lowerCamelCase (record fields,
/// variables) rather than PascalCase (constants).
pub fn fields_of(cx: &Ctxt, known: &Known, fields: &syn::Fields, camel: bool) -> Vec<Field> {
    fields
        .iter()
        .filter_map(|f| {
            let name = f.ident.as_ref()?.to_string();
            let ty = lower_type(cx, known, &f.ty)?;
            let tla = if camel {
                crate::value_attr::field_name(f)
            } else {
                naming::pascal_case(&name)
            };
            Some(Field {
                name,
                tla,
                ty,
                doc: doc_of(&f.attrs),
                renamed: None,
            })
        })
        .collect()
}

fn value_types(cx: &Ctxt, ast: &ModelAst, known: &Known) -> Vec<TypeDecl> {
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
                    kind: TypeKind::Struct(fields_of(cx, known, &s.fields, true)),
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
                        fields: fields_of(cx, known, &v.fields, true),
                        rename: crate::value_attr::rename(&v.attrs, false)
                            .ok()
                            .flatten()
                            .map(|l| l.value()),
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
    types
}

fn empty_record(name: &str) -> Record {
    Record {
        name: name.into(),
        doc: String::new(),
        fields: Vec::new(),
    }
}

fn record_of(
    cx: &Ctxt,
    known: &Known,
    s: &syn::ItemStruct,
    camel: bool,
    what: &str,
) -> (Record, Vec<(Ident, String)>) {
    if !matches!(s.fields, syn::Fields::Named(_)) {
        cx.error_spanned_by(&s.ident, format!("the {what} struct has named fields"));
    }
    if !s.generics.params.is_empty() {
        cx.error_spanned_by(&s.generics, format!("the {what} struct cannot be generic"));
    }
    let fields = fields_of(cx, known, &s.fields, camel);
    let idents = s
        .fields
        .iter()
        .filter_map(|f| f.ident.clone())
        .map(|i| {
            let tla = if camel {
                lamport_ir::value_names::default_field_name(&i.to_string())
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
}
