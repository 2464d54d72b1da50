//! The packed form of a model's records, enums and state (`lamport::__private::Pack`): the
//! fields one after another, an enum's variant index first (see lamport-core's `pack`). Called
//! by `#[derive(Value)]` and, for the state struct, by the model's expansion.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{parse_quote, Data, DeriveInput, Fields, GenericParam};

/// `impl Pack` for a struct with named fields or an enum whose variants are units or have named
/// fields (what `#[derive(Value)]` accepts); nothing for anything else, which `#[derive(Value)]`
/// reports.
pub fn derive(input: &DeriveInput) -> TokenStream {
    let name = &input.ident;
    let (pack, unpack) = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(named) => {
                let fields: Vec<_> = named.named.iter().filter_map(|f| f.ident.clone()).collect();
                (
                    quote! { #( ::lamport::__private::Pack::pack(&self.#fields, out); )* },
                    quote! { #name { #( #fields: ::lamport::__private::Pack::unpack(input), )* } },
                )
            }
            _ => return TokenStream::new(),
        },
        Data::Enum(e) => {
            let mut pack_arms = Vec::new();
            let mut unpack_arms = Vec::new();
            for (tag, v) in e.variants.iter().enumerate() {
                let vname = &v.ident;
                let fields: Vec<_> = match &v.fields {
                    Fields::Unit => Vec::new(),
                    Fields::Named(named) => {
                        named.named.iter().filter_map(|f| f.ident.clone()).collect()
                    }
                    Fields::Unnamed(_) => return TokenStream::new(),
                };
                pack_arms.push(quote! {
                    #name::#vname { #(#fields),* } => {
                        ::lamport::__private::pack::write_len(#tag, out);
                        #( ::lamport::__private::Pack::pack(#fields, out); )*
                    }
                });
                unpack_arms.push(quote! {
                    #tag => #name::#vname { #( #fields: ::lamport::__private::Pack::unpack(input), )* },
                });
            }
            let ty = name.to_string();
            (
                quote! {
                    #[allow(unreachable_patterns)]
                    match self { #(#pack_arms)* }
                },
                quote! {
                    match ::lamport::__private::pack::read_len(input) {
                        #(#unpack_arms)*
                        __tag => ::lamport::__private::pack::bad_tag(#ty, __tag),
                    }
                },
            )
        }
        Data::Union(_) => return TokenStream::new(),
    };
    let mut generics = input.generics.clone();
    for param in &mut generics.params {
        if let GenericParam::Type(t) = param {
            t.bounds.push(parse_quote!(
                ::lamport::__private::Pack + ::core::clone::Clone
            ));
        }
    }
    let (impl_g, ty_g, where_g) = generics.split_for_impl();
    quote! {
        impl #impl_g ::lamport::__private::Pack for #name #ty_g #where_g {
            #[inline]
            fn pack(&self, out: &mut ::std::vec::Vec<u8>) {
                #pack
            }
            #[inline]
            fn unpack(input: &mut &[u8]) -> Self {
                #unpack
            }
        }
    }
}

/// `impl Pack` for the model's state struct.
pub fn state(item: &syn::ItemStruct) -> syn::Item {
    let tokens = derive(&DeriveInput::from(item.clone()));
    syn::parse2(tokens).expect("a generated impl parses")
}
