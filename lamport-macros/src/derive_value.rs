//! `#[derive(Value)]`: the one TLA+ and ITF rendering of a model's records and enums.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

pub fn derive(input: DeriveInput) -> TokenStream {
    let name = &input.ident;
    let rename_errors = crate::value_attr::check(&input);
    let (impl_g, ty_g, where_g) = input.generics.split_for_impl();
    let body = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => record(
                None,
                named
                    .named
                    .iter()
                    .map(|f| f.ident.clone().expect("named"))
                    .collect(),
                named
                    .named
                    .iter()
                    .map(crate::value_attr::field_name)
                    .collect(),
                quote!(&self.),
            ),
            _ => {
                return syn::Error::new_spanned(name, "`#[derive(Value)]` on a struct needs named fields (it renders as a TLA+ record)").to_compile_error();
            }
        },
        Data::Enum(e) => {
            let unit_only = e.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
            let mut tla_arms = Vec::new();
            let mut itf_arms = Vec::new();
            for v in &e.variants {
                let vname = &v.ident;
                let tag = crate::value_attr::variant_tag(v);
                match &v.fields {
                    Fields::Unit if unit_only => {
                        let quoted = format!("\"{tag}\"");
                        tla_arms.push(quote! { #name::#vname => out.push_str(#quoted), });
                        itf_arms.push(quote! { #name::#vname => ::lamport::__private::serde_json::Value::String(#tag.to_string()), });
                    }
                    Fields::Unit => {
                        let (t, i) = record(Some(&tag), Vec::new(), Vec::new(), quote!());
                        tla_arms.push(quote! { #name::#vname => { #t } });
                        itf_arms.push(quote! { #name::#vname => { #i } });
                    }
                    Fields::Named(named) => {
                        let idents: Vec<_> = named
                            .named
                            .iter()
                            .map(|f| f.ident.clone().expect("named"))
                            .collect();
                        let names = named
                            .named
                            .iter()
                            .map(crate::value_attr::field_name)
                            .collect();
                        let (t, i) = record(Some(&tag), idents.clone(), names, quote!());
                        tla_arms.push(quote! { #name::#vname { #(#idents),* } => { #t } });
                        itf_arms.push(quote! { #name::#vname { #(#idents),* } => { #i } });
                    }
                    Fields::Unnamed(_) => {
                        return syn::Error::new_spanned(&v.fields, "name the fields of this variant (`Variant { field: T }`): they become the fields of a TLA+ record").to_compile_error();
                    }
                }
            }
            (
                quote! { match self { #(#tla_arms)* } },
                quote! { match self { #(#itf_arms)* } },
            )
        }
        Data::Union(_) => {
            return syn::Error::new_spanned(name, "unions cannot be values").to_compile_error()
        }
    };
    let (tla, itf) = body;
    let mv = model_values_body(&input);
    let perm = permute_body(&input);
    let permuted = permuted_pack(&input);
    let from = from_tla_body(&input);
    let pack = crate::pack::derive(&input);
    quote! {
        #rename_errors
        #pack

        impl #impl_g ::lamport::Value for #name #ty_g #where_g {
            fn write_tla(&self, out: &mut ::std::string::String) {
                #tla
            }
            fn to_itf(&self) -> ::lamport::__private::serde_json::Value {
                #itf
            }
            fn model_values(&self, out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) {
                #mv
            }
            fn permute(&self, __lamport_perm: &::lamport::Permutation) -> Self {
                #perm
            }
            #permuted
            fn from_tla(v: &::lamport::TlaValue) -> ::core::option::Option<Self> {
                #from
            }
        }
    }
}

/// Rendering of a record `[tag |-> .., f |-> ..]`; `access` prefixes field names (`&self.` for a
/// struct; nothing for a variant, whose fields are bound by reference in a `match`).
fn record(
    tag: Option<&str>,
    fields: Vec<syn::Ident>,
    names: Vec<String>,
    access: TokenStream,
) -> (TokenStream, TokenStream) {
    let mut tla = Vec::new();
    let mut itf = Vec::new();
    let mut first = true;
    if let Some(tag) = tag {
        let lit = format!("type |-> \"{tag}\"");
        tla.push(quote! { out.push_str(#lit); });
        itf.push(quote! { obj.insert("type".to_string(), ::lamport::__private::serde_json::Value::String(#tag.to_string())); });
        first = false;
    }
    for (f, tla_name) in fields.iter().zip(names) {
        let sep = if first {
            format!("{tla_name} |-> ")
        } else {
            format!(", {tla_name} |-> ")
        };
        first = false;
        tla.push(quote! { out.push_str(#sep); ::lamport::Value::write_tla(#access #f, out); });
        itf.push(
            quote! { obj.insert(#tla_name.to_string(), ::lamport::Value::to_itf(#access #f)); },
        );
    }
    (
        quote! { out.push('['); #(#tla)* out.push(']'); },
        quote! {
            let mut obj = ::lamport::__private::serde_json::Map::new();
            #(#itf)*
            ::lamport::__private::serde_json::Value::Object(obj)
        },
    )
}

/// `model_values`: visit every field.
fn model_values_body(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    match &input.data {
        Data::Struct(s) => {
            let fields = s.fields.iter().filter_map(|f| f.ident.clone());
            quote! { #( ::lamport::Value::model_values(&self.#fields, out); )* }
        }
        Data::Enum(e) => {
            let arms = e.variants.iter().map(|v| {
                let vname = &v.ident;
                match &v.fields {
                    Fields::Named(named) => {
                        let idents: Vec<_> = named.named.iter().filter_map(|f| f.ident.clone()).collect();
                        quote! { #name::#vname { #(#idents),* } => { #( ::lamport::Value::model_values(#idents, out); )* } }
                    }
                    _ => quote! { _ => {} },
                }
            });
            quote! {
                #[allow(unreachable_patterns)]
                match self { #(#arms)* _ => {} }
            }
        }
        Data::Union(_) => quote! {},
    }
}

/// `permute`: rebuild the value with every field permuted.
fn permute_body(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    match &input.data {
        Data::Struct(s) => {
            let fields: Vec<_> = s.fields.iter().filter_map(|f| f.ident.clone()).collect();
            quote! { #name { #( #fields: ::lamport::Value::permute(&self.#fields, __lamport_perm), )* } }
        }
        Data::Enum(e) => {
            let arms = e.variants.iter().map(|v| {
                let vname = &v.ident;
                match &v.fields {
                    Fields::Named(named) => {
                        let idents: Vec<_> = named.named.iter().filter_map(|f| f.ident.clone()).collect();
                        quote! { #name::#vname { #(#idents),* } => #name::#vname { #( #idents: ::lamport::Value::permute(#idents, __lamport_perm), )* }, }
                    }
                    _ => quote! { #name::#vname => #name::#vname, },
                }
            });
            quote! { match self { #(#arms)* } }
        }
        Data::Union(_) => quote! { ::core::clone::Clone::clone(self) },
    }
}

/// `moved_by` (whether a field of some type can change under the permutation) and
/// `pack_permuted` (the packed form of the permuted value, written as `Pack` writes it, field
/// by field, without building the value; see lamport-macros' `pack`). Nothing for a generic
/// type or a shape `Pack` is not derived for: the trait's defaults hold there.
fn permuted_pack(input: &DeriveInput) -> TokenStream {
    if input.generics.type_params().next().is_some() {
        return TokenStream::new();
    }
    let name = &input.ident;
    let (types, body): (Vec<&syn::Type>, TokenStream) = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => {
                let idents: Vec<_> = named.named.iter().filter_map(|f| f.ident.clone()).collect();
                (
                    named.named.iter().map(|f| &f.ty).collect(),
                    quote! { #( ::lamport::Value::pack_permuted(&self.#idents, __lamport_perm, out); )* },
                )
            }
            _ => return TokenStream::new(),
        },
        Data::Enum(e) => {
            let mut types = Vec::new();
            let mut arms = Vec::new();
            for (tag, v) in e.variants.iter().enumerate() {
                let vname = &v.ident;
                let idents: Vec<_> = match &v.fields {
                    Fields::Unit => Vec::new(),
                    Fields::Named(named) => {
                        types.extend(named.named.iter().map(|f| &f.ty));
                        named.named.iter().filter_map(|f| f.ident.clone()).collect()
                    }
                    Fields::Unnamed(_) => return TokenStream::new(),
                };
                arms.push(quote! {
                    #name::#vname { #(#idents),* } => {
                        ::lamport::__private::pack::write_len(#tag, out);
                        #( ::lamport::Value::pack_permuted(#idents, __lamport_perm, out); )*
                    }
                });
            }
            (
                types,
                quote! {
                    #[allow(unreachable_patterns)]
                    match self { #(#arms)* }
                },
            )
        }
        Data::Union(_) => return TokenStream::new(),
    };
    quote! {
        fn moved_by(__lamport_perm: &::lamport::Permutation) -> bool {
            false #( || <#types as ::lamport::Value>::moved_by(__lamport_perm) )*
        }
        fn pack_permuted(&self, __lamport_perm: &::lamport::Permutation, out: &mut ::std::vec::Vec<u8>) {
            if !<Self as ::lamport::Value>::moved_by(__lamport_perm) {
                ::lamport::__private::Pack::pack(self, out);
                return;
            }
            #body
        }
    }
}

/// `from_tla`: the inverse of the rendering (how a value crosses from one model to another
/// under a refinement mapping). A unit variant is matched by its own rendering; a record by
/// its field names (and its `type` tag for a variant), as `record` writes them.
fn from_tla_body(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    // Each field's identifier and its name in the rendering (`#[value(rename)]` or its
    // default).
    let named = |fields: &Fields| -> Vec<(syn::Ident, String)> {
        fields
            .iter()
            .filter_map(|f| Some((f.ident.clone()?, crate::value_attr::field_name(f))))
            .collect()
    };
    let fields_of = |fields: &[(syn::Ident, String)], tag: Option<&str>| {
        let n = fields.len() + usize::from(tag.is_some());
        let reads = fields.iter().map(|(f, tla_name)| {
            quote! { #f: ::lamport::Value::from_tla(::lamport::__private::record_field(__fs, #tla_name)?)? }
        });
        let tag_check = tag.map(|t| {
            let quoted = format!("\"{t}\"");
            quote! {
                match ::lamport::__private::record_field(__fs, "type")? {
                    ::lamport::TlaValue::Atom(__a) if __a == #quoted => {}
                    _ => return ::core::option::Option::None,
                }
            }
        });
        (n, reads.collect::<Vec<_>>(), tag_check)
    };
    match &input.data {
        Data::Struct(s) => {
            let (n, reads, _) = fields_of(&named(&s.fields), None);
            quote! {
                match v {
                    ::lamport::TlaValue::Record(__fs) if __fs.len() == #n => {
                        ::core::option::Option::Some(#name { #(#reads,)* })
                    }
                    _ => ::core::option::Option::None,
                }
            }
        }
        Data::Enum(e) => {
            let unit_only = e.variants.iter().all(|v| matches!(v.fields, Fields::Unit));
            let mut tries = Vec::new();
            for v in &e.variants {
                let vname = &v.ident;
                let tag = crate::value_attr::variant_tag(v);
                if unit_only {
                    tries.push(quote! {
                        if let ::lamport::TlaValue::Atom(__a) = v {
                            if *__a == ::lamport::Value::tla(&#name::#vname) {
                                return ::core::option::Option::Some(#name::#vname);
                            }
                        }
                    });
                    continue;
                }
                let (n, reads, tag_check) = fields_of(&named(&v.fields), Some(&tag));
                let build = match &v.fields {
                    Fields::Named(_) => quote!(#name::#vname { #(#reads,)* }),
                    _ => quote!(#name::#vname),
                };
                tries.push(quote! {
                    if let ::lamport::TlaValue::Record(__fs) = v {
                        if __fs.len() == #n {
                            let __try = || -> ::core::option::Option<Self> {
                                #tag_check
                                ::core::option::Option::Some(#build)
                            };
                            if let ::core::option::Option::Some(__x) = __try() {
                                return ::core::option::Option::Some(__x);
                            }
                        }
                    }
                });
            }
            quote! { #(#tries)* ::core::option::Option::None }
        }
        Data::Union(_) => quote! { ::core::option::Option::None },
    }
}
