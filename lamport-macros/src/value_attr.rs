//! `#[value(rename = "..")]` on a variant or a field of a `#[derive(Value)]` type: the TLA+
//! spelling a translation keeps from its original spec. Read by the derive (which also reports
//! its misuse) and by the model macro (which records it in the IR for the exporter).

use syn::spanned::Spanned;

/// The rename given on an item's attributes, if any. Misuse is an error on its token.
pub fn rename(attrs: &[syn::Attribute], field: bool) -> syn::Result<Option<syn::LitStr>> {
    let mut out: Option<syn::LitStr> = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("value")) {
        attr.parse_nested_meta(|meta| {
            if !meta.path.is_ident("rename") {
                return Err(meta.error(
                    "`#[value(..)]` takes only `rename = \"..\"`: the TLA+ spelling to keep",
                ));
            }
            let lit: syn::LitStr = meta.value()?.parse()?;
            let s = lit.value();
            if out.is_some() {
                return Err(syn::Error::new(lit.span(), "this is renamed twice: keep one `rename`"));
            }
            if field {
                let ident = !s.is_empty()
                    && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && s.chars().any(|c| c.is_ascii_alphabetic());
                if !ident {
                    return Err(syn::Error::new(lit.span(), format!("`{s}` is not a TLA+ field name: write letters, digits and `_`, with at least one letter (e.g. `rename = \"maxBal\"`)")));
                }
                if lamport_ir::names::is_reserved(&s) {
                    return Err(syn::Error::new(lit.span(), format!("`{s}` is a reserved word of TLA+ and cannot name a record field: choose another spelling")));
                }
            } else if s.is_empty() || s.contains(['"', '\\']) {
                return Err(syn::Error::new(lit.span(), "a variant's TLA+ string is not empty and has no `\"` or `\\`: e.g. `rename = \"YES\"`"));
            }
            out = Some(lit);
            Ok(())
        })?;
    }
    Ok(out)
}

/// An error on every `#[value(..)]` found where it has no meaning (on the type itself).
pub fn misplaced(attrs: &[syn::Attribute]) -> Option<syn::Error> {
    attrs.iter().find(|a| a.path().is_ident("value")).map(|a| {
        syn::Error::new_spanned(
            a,
            "`#[value(rename = \"..\")]` goes on a variant or a field, not on the type: the type's own name is not part of its TLA+ rendering",
        )
    })
}

/// The TLA+ name of a named field: its rename, or the naming rule (`r#type` → `type`).
pub fn field_name(f: &syn::Field) -> String {
    match rename(&f.attrs, true) {
        Ok(Some(l)) => l.value(),
        _ => lamport_ir::value_names::default_field_name(
            &f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default(),
        ),
    }
}

/// The tag of a variant: its rename, or the naming rule (`DecideNB` → `decide_n_b`).
pub fn variant_tag(v: &syn::Variant) -> String {
    match rename(&v.attrs, false) {
        Ok(Some(l)) => l.value(),
        _ => lamport_ir::naming::snake_case(&v.ident.to_string()),
    }
}

/// Every misuse of `#[value(..)]` on a derived type, and the renderings it would make ambiguous:
/// two variants with one tag, two fields of a record with one name, a variant's field named
/// `type` (the tag's field).
pub fn check(input: &syn::DeriveInput) -> Option<proc_macro2::TokenStream> {
    let mut errors: Vec<syn::Error> = Vec::new();
    errors.extend(misplaced(&input.attrs));
    let fields_of = |fields: &syn::Fields, tagged: bool, errors: &mut Vec<syn::Error>| {
        let mut seen: Vec<String> = Vec::new();
        for f in fields.iter().filter(|f| f.ident.is_some()) {
            let span = match rename(&f.attrs, true) {
                Err(e) => {
                    errors.push(e);
                    continue;
                }
                Ok(Some(lit)) => lit.span(),
                Ok(None) => f.ident.span(),
            };
            let n = field_name(f);
            if tagged && n == "type" {
                errors.push(syn::Error::new(span, "a variant's field cannot render as `type`: the variant's tag is its `type` field (`[type |-> \"tag\", ..]`); rename the field"));
            } else if seen.contains(&n) {
                errors.push(syn::Error::new(span, format!("two fields render as `{n}` in TLA+: rename one with `#[value(rename = \"..\")]`")));
            }
            seen.push(n);
        }
    };
    match &input.data {
        syn::Data::Struct(s) => fields_of(&s.fields, false, &mut errors),
        syn::Data::Enum(e) => {
            let mut tags: Vec<String> = Vec::new();
            for v in &e.variants {
                let span = match rename(&v.attrs, false) {
                    Err(e) => {
                        errors.push(e);
                        continue;
                    }
                    Ok(Some(lit)) => lit.span(),
                    Ok(None) => v.ident.span(),
                };
                let t = variant_tag(v);
                if tags.contains(&t) {
                    errors.push(syn::Error::new(span, format!("two variants render as `\"{t}\"` in TLA+: give one another `#[value(rename = \"..\")]`")));
                }
                tags.push(t);
                fields_of(&v.fields, true, &mut errors);
            }
        }
        syn::Data::Union(_) => {}
    }
    let mut it = errors.into_iter();
    let mut first = it.next()?;
    for e in it {
        first.combine(e);
    }
    Some(first.to_compile_error())
}

/// Removes `#[value(..)]` from a value type's variants and fields: in the fallback output, where
/// `#[derive(Value)]` (which owns the attribute) is taken off.
pub fn strip(item: &mut syn::Item) {
    let keep = |a: &syn::Attribute| !a.path().is_ident("value");
    let fields = |fs: &mut syn::Fields| {
        for f in fs.iter_mut() {
            f.attrs.retain(keep);
        }
    };
    match item {
        syn::Item::Struct(s) => {
            s.attrs.retain(keep);
            fields(&mut s.fields);
        }
        syn::Item::Enum(e) => {
            e.attrs.retain(keep);
            for v in e.variants.iter_mut() {
                v.attrs.retain(keep);
                fields(&mut v.fields);
            }
        }
        _ => {}
    }
}
