//! Patterns.

use lamport_ir::{Lit, Pat};

use super::{path_segments, Lowerer};

impl Lowerer<'_> {
    pub fn pat(&self, p: &syn::Pat) -> Pat {
        use syn::Pat as P;
        match p {
            P::Wild(_) => Pat::Wild,
            P::Ident(i) => {
                if let Some((_, sub)) = &i.subpat {
                    self.cx
                        .error_spanned_by(sub, "`name @ pattern` bindings are not supported");
                }
                Pat::Ident(i.ident.to_string())
            }
            P::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => Pat::Lit(Lit::Int(i.base10_parse().unwrap_or(0))),
                syn::Lit::Bool(b) => Pat::Lit(Lit::Bool(b.value)),
                other => {
                    self.cx.error_spanned_by(
                        other,
                        "only integer and boolean literals can be matched",
                    );
                    Pat::Wild
                }
            },
            P::Tuple(t) => Pat::Tuple(t.elems.iter().map(|x| self.pat(x)).collect()),
            P::Path(p) => Pat::Path(path_segments(&p.path)),
            P::Struct(s) => Pat::Struct {
                path: path_segments(&s.path),
                fields: s
                    .fields
                    .iter()
                    .map(|f| {
                        let name = match &f.member {
                            syn::Member::Named(n) => n.to_string(),
                            syn::Member::Unnamed(i) => i.index.to_string(),
                        };
                        (name, self.pat(&f.pat))
                    })
                    .collect(),
                rest: s.rest.is_some(),
            },
            P::TupleStruct(t) => Pat::TupleStruct {
                path: path_segments(&t.path),
                elems: t.elems.iter().map(|x| self.pat(x)).collect(),
            },
            P::Or(o) => Pat::Or(o.cases.iter().map(|x| self.pat(x)).collect()),
            P::Reference(r) => Pat::Ref(Box::new(self.pat(&r.pat))),
            P::Type(t) => self.pat(&t.pat),
            P::Paren(p) => self.pat(&p.pat),
            other => {
                self.cx.error_spanned_by(other, "this pattern is not supported: use names, `_`, tuples, enum variants and literals");
                Pat::Wild
            }
        }
    }
}
