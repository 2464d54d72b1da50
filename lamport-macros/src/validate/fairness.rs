//! Pass 4: the fairness conditions, from the `fair` / `strong_fair` arguments of the actions.

use std::collections::BTreeSet;

use lamport_ir::Param;
use syn::Ident;

use super::functions::{Functions, Sig};
use crate::lower::BodyKind;
use crate::parse::{AttrArg, ModelAst};
use crate::types::lower_type;

/// A fairness condition as expansion needs it.
pub struct FairSig {
    pub strong: bool,
    /// Index of the action.
    pub action: usize,
    /// The parameters it is per: position among the action's parameters, name, type, and the
    /// domain of constants the values range over.
    pub per: Vec<(usize, Ident, syn::Type, syn::Expr)>,
}

pub fn conditions(
    fns: &Functions<'_>,
    ast: &ModelAst,
    action_sigs: &[Sig],
) -> (Vec<lamport_ir::Fairness>, Vec<FairSig>) {
    let cx = fns.cx;
    let known = &fns.decls.known;
    let mut fairness = Vec::new();
    let mut fair_sigs = Vec::new();
    let pure = fns.lowerer(BodyKind::Pure);
    for (i, rf) in ast.actions.iter().enumerate() {
        let Some(sig) = action_sigs.get(i) else {
            continue;
        };
        for arg in &rf.args {
            let AttrArg::Fair {
                key,
                strong,
                per,
                empty_parens,
            } = arg
            else {
                continue;
            };
            if *empty_parens {
                cx.error_spanned_by(key, format!("write `{key}` for the action as a whole, or `{key}(<parameter>, ...)` for each value of those parameters"));
                continue;
            }
            let mut per_sig = Vec::new();
            let mut per_ir = Vec::new();
            for (pname, restrict) in per {
                let Some(pos) = sig.params.iter().position(|(p, _, _)| p == pname) else {
                    cx.error_spanned_by(pname, format!("`{pname}` is not a parameter of `{}`: `{key}(p)` names the parameters whose every value gets its own fairness condition", sig.name));
                    continue;
                };
                let (_, ty, own) = &sig.params[pos];
                let Some(domain) = restrict.clone().or_else(|| own.clone()) else {
                    continue;
                };
                // The values a condition exists for must not depend on the state or on other
                // parameters: TLA+ quantifies them outside `WF_vars`.
                let mut mentioned = BTreeSet::new();
                collect_idents(quote::quote!(#domain), &mut mentioned);
                let bad = sig
                    .state_param
                    .iter()
                    .chain(sig.params.iter().map(|(p, _, _)| p))
                    .find(|n| mentioned.contains(&n.to_string()));
                if let Some(bad) = bad {
                    let what = if Some(bad) == sig.state_param.as_ref() {
                        "the state".to_string()
                    } else {
                        format!("the parameter `{bad}`")
                    };
                    cx.error_spanned_by(&domain, format!("a fairness condition per `{pname}` needs the values of `{pname}` from the constants, but this domain reads {what}: write `{key}({pname} in c.<set>)` with a constant set, or `{key}` for the action as a whole"));
                    continue;
                }
                if let Some(ir_ty) = lower_type(cx, known, ty) {
                    per_ir.push(Param {
                        name: pname.to_string(),
                        ty: ir_ty,
                        domain: Some(pure.expr(&domain)),
                    });
                }
                per_sig.push((pos, pname.clone(), ty.clone(), domain));
            }
            fairness.push(lamport_ir::Fairness {
                kind: if *strong {
                    lamport_ir::FairnessKind::Strong
                } else {
                    lamport_ir::FairnessKind::Weak
                },
                action: sig.name.to_string(),
                per: per_ir,
            });
            fair_sigs.push(FairSig {
                strong: *strong,
                action: i,
                per: per_sig,
            });
        }
    }

    (fairness, fair_sigs)
}

/// Every identifier in a token stream.
pub fn collect_idents(tokens: proc_macro2::TokenStream, out: &mut BTreeSet<String>) {
    for t in tokens {
        match t {
            proc_macro2::TokenTree::Ident(i) => {
                out.insert(i.to_string());
            }
            proc_macro2::TokenTree::Group(g) => collect_idents(g.stream(), out),
            _ => {}
        }
    }
}
