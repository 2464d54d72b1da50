//! Rust types of the modelling language → IR types.

use std::collections::BTreeSet;

use lamport_ir::Type;
use syn::{GenericArgument, PathArguments};

use crate::ctxt::Ctxt;

pub const SUPPORTED_TYPES: &str = "bool, an integer type (i8..i64, u8..u64, usize, isize), a model-value set declared with `model_values!`, a `#[derive(Value)]` type of this module, `Set<T>`, `Map<K, V>`, `Seq<T>`, `Option<T>`, or a tuple of these";

const INTS: &[&str] = &[
    "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize",
];

/// Names of the value types a model declares (model values and `#[derive(Value)]` types).
pub struct Known {
    pub names: BTreeSet<String>,
}

/// Converts `ty`; reports an error on the offending token and returns `None` if unsupported.
pub fn lower_type(cx: &Ctxt, known: &Known, ty: &syn::Type) -> Option<Type> {
    match ty {
        syn::Type::Paren(p) => lower_type(cx, known, &p.elem),
        syn::Type::Group(g) => lower_type(cx, known, &g.elem),
        syn::Type::Tuple(t) => {
            if t.elems.is_empty() {
                cx.error_spanned_by(
                    ty,
                    format!("`()` is not a value type: use {SUPPORTED_TYPES}"),
                );
                return None;
            }
            let elems: Option<Vec<_>> = t.elems.iter().map(|e| lower_type(cx, known, e)).collect();
            elems.map(Type::Tuple)
        }
        syn::Type::Path(p) if p.qself.is_none() => {
            let seg = p.path.segments.last()?;
            let name = seg.ident.to_string();
            let args: Vec<&syn::Type> = match &seg.arguments {
                PathArguments::AngleBracketed(a) => a
                    .args
                    .iter()
                    .filter_map(|g| match g {
                        GenericArgument::Type(t) => Some(t),
                        _ => None,
                    })
                    .collect(),
                PathArguments::None => Vec::new(),
                PathArguments::Parenthesized(_) => {
                    cx.error_spanned_by(
                        ty,
                        format!("function types are not value types: use {SUPPORTED_TYPES}"),
                    );
                    return None;
                }
            };
            let arity = |n: usize| -> bool {
                if args.len() != n {
                    cx.error_spanned_by(ty, format!("`{name}` takes {n} type argument(s)"));
                    false
                } else {
                    true
                }
            };
            match name.as_str() {
                "bool" if args.is_empty() => Some(Type::Bool),
                n if INTS.contains(&n) && args.is_empty() => Some(Type::Int(name)),
                "Set" => arity(1)
                    .then(|| lower_type(cx, known, args[0]).map(|t| Type::Set(Box::new(t))))?,
                "Seq" => arity(1)
                    .then(|| lower_type(cx, known, args[0]).map(|t| Type::Seq(Box::new(t))))?,
                "Option" => arity(1)
                    .then(|| lower_type(cx, known, args[0]).map(|t| Type::Option(Box::new(t))))?,
                "Map" => {
                    if !arity(2) {
                        return None;
                    }
                    let k = lower_type(cx, known, args[0]);
                    let v = lower_type(cx, known, args[1]);
                    Some(Type::Map(Box::new(k?), Box::new(v?)))
                }
                n if known.names.contains(n) && args.is_empty() => Some(Type::Named(name)),
                "Vec" => {
                    cx.error_spanned_by(
                        ty,
                        "`Vec` is not a value type: use `Seq<T>` (a TLA+ sequence) or `Set<T>`",
                    );
                    None
                }
                "HashMap" | "BTreeMap" => {
                    cx.error_spanned_by(
                        ty,
                        format!("`{name}` is not a value type: use `Map<K, V>` (a TLA+ function)"),
                    );
                    None
                }
                "HashSet" | "BTreeSet" => {
                    cx.error_spanned_by(ty, format!("`{name}` is not a value type: use `Set<T>`"));
                    None
                }
                "String" | "str" => {
                    cx.error_spanned_by(ty, "strings are not value types: use a unit enum with `#[derive(Value)]` (its variants render as TLA+ strings) or model values");
                    None
                }
                "f32" | "f64" => {
                    cx.error_spanned_by(
                        ty,
                        "floating-point numbers have no TLA+ counterpart: use an integer type",
                    );
                    None
                }
                _ => {
                    cx.error_spanned_by(
                        ty,
                        format!("type `{name}` is not a value type of this model: declare it in the module with `#[derive(Value)]` or `model_values!`, or use {SUPPORTED_TYPES}"),
                    );
                    None
                }
            }
        }
        _ => {
            cx.error_spanned_by(
                ty,
                format!("this type is not a value type: use {SUPPORTED_TYPES}"),
            );
            None
        }
    }
}

/// `&T` → `Some(T)`, `&mut T` → `Some(T)` with `mutable` set.
pub fn strip_ref(ty: &syn::Type) -> Option<(&syn::Type, bool)> {
    match ty {
        syn::Type::Reference(r) => Some((&r.elem, r.mutability.is_some())),
        _ => None,
    }
}

/// The last path segment's name of a plain path type (`State` for `State` or `self::State`).
pub fn path_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| s.ident.to_string())
        }
        _ => None,
    }
}
