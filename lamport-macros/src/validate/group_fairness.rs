//! Pass 4b: fairness on groups of actions, from the module's `fair!(..)` / `strong_fair!(..)`
//! items: `fair!(a | b)` is `WF_vars(A \/ B)`, `fair!(Next)` is `WF_vars(Next)`, and a name in a
//! member's arguments makes one condition per value of it:
//! `fair!(enter(p) | exit(p, _))` is `\A p \in D : WF_vars(Enter(p) \/ \E q \in Dq : Exit(p, q))`.

use std::collections::BTreeSet;

use lamport_ir::{FairMember, FairnessKind, GroupFairness, Param};
use quote::ToTokens;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Token};

use super::fairness::collect_idents;
use super::functions::{Functions, Sig};
use crate::lower::BodyKind;
use crate::parse::ModelAst;
use crate::types::lower_type;

/// A group condition as expansion needs it.
pub struct GroupSig {
    pub strong: bool,
    /// Each variable of the condition: its name, type, domain, and the index of the action whose
    /// parameter domain it takes (whose constants parameter the domain reads).
    pub vars: Vec<(Ident, syn::Type, syn::Expr, usize)>,
    /// Each action (index) with the positions of its parameters bound to variables.
    pub members: Vec<(usize, Vec<(usize, Ident)>)>,
}

/// One member as written: `name` or `name(p, _, ..)`.
struct MemberAst {
    name: Ident,
    args: Option<(syn::token::Paren, Vec<Option<Ident>>)>,
}

impl Parse for MemberAst {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        if !input.peek(syn::token::Paren) {
            return Ok(MemberAst { name, args: None });
        }
        let content;
        let paren = syn::parenthesized!(content in input);
        let mut args = Vec::new();
        let list = Punctuated::<syn::Pat, Token![,]>::parse_terminated_with(
            &content,
            syn::Pat::parse_single,
        )?;
        for p in list {
            match p {
                syn::Pat::Wild(_) => args.push(None),
                syn::Pat::Ident(i) if i.by_ref.is_none() && i.mutability.is_none() && i.subpat.is_none() => {
                    args.push(Some(i.ident))
                }
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "write `_` (any value of this parameter) or a name (one condition per value of it)",
                    ))
                }
            }
        }
        Ok(MemberAst {
            name,
            args: Some((paren, args)),
        })
    }
}

struct GroupAst {
    members: Vec<MemberAst>,
}

impl Parse for GroupAst {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let list = Punctuated::<MemberAst, Token![|]>::parse_separated_nonempty(input)?;
        if !input.is_empty() {
            return Err(input.error("expected `|` between the actions of the group"));
        }
        Ok(GroupAst {
            members: list.into_iter().collect(),
        })
    }
}

pub fn conditions(
    fns: &Functions<'_>,
    ast: &ModelAst,
    action_sigs: &[Sig],
) -> (Vec<GroupFairness>, Vec<GroupSig>) {
    let cx = fns.cx;
    let pure = fns.lowerer(BodyKind::Pure);
    let mut out = Vec::new();
    let mut sigs = Vec::new();
    for item in &ast.fair_groups {
        let mac = &item.mac;
        let key = mac.path.to_token_stream().to_string();
        let strong = key == "strong_fair";
        let kind = if strong {
            FairnessKind::Strong
        } else {
            FairnessKind::Weak
        };
        let usage = format!("write `{key}!(a | b)` for the actions `a` and `b` together, `{key}!(a(p, _) | b(p))` for each value of `p`, or `{key}!(Next)` for every action");
        if mac.tokens.is_empty() {
            cx.error_spanned_by(mac, usage);
            continue;
        }
        if !matches!(mac.delimiter, syn::MacroDelimiter::Paren(_)) || item.semi_token.is_none() {
            cx.error_spanned_by(mac, format!("{usage}, with parentheses and a `;`"));
            continue;
        }
        let group: GroupAst = match mac.parse_body() {
            Ok(g) => g,
            Err(e) => {
                cx.push(e);
                continue;
            }
        };
        // `Next`: every action, as a whole.
        if group.members.len() == 1
            && group.members[0].name == "Next"
            && !action_sigs.iter().any(|s| s.name == "Next")
        {
            if let Some((paren, _)) = &group.members[0].args {
                cx.error_at(
                    paren.span.join(),
                    format!(
                        "`Next` takes no arguments: `{key}!(Next)` is `{}_vars(Next)`",
                        if strong { "SF" } else { "WF" }
                    ),
                );
                continue;
            }
            out.push(GroupFairness {
                kind,
                per: Vec::new(),
                members: Vec::new(),
                next: true,
            });
            sigs.push(GroupSig {
                strong,
                vars: Vec::new(),
                members: (0..action_sigs.len()).map(|i| (i, Vec::new())).collect(),
            });
            continue;
        }
        let mut ok = true;
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut members_ir = Vec::new();
        let mut members_sig = Vec::new();
        let mut vars: Vec<(Ident, syn::Type, syn::Expr, usize)> = Vec::new();
        let mut per_ir: Vec<Param> = Vec::new();
        for m in &group.members {
            let Some(ai) = action_sigs.iter().position(|s| s.name == m.name) else {
                let hint = if m.name == "Next" {
                    " (`Next` stands for every action only on its own: `fair!(Next)`)"
                } else {
                    ""
                };
                cx.error_spanned_by(
                    &m.name,
                    format!(
                        "`{}` is not an action of the model: a fairness group lists actions{hint}",
                        m.name
                    ),
                );
                ok = false;
                continue;
            };
            if !seen.insert(m.name.to_string()) {
                cx.error_spanned_by(&m.name, format!("`{}` is already in this group: list each action once, with `_` for the parameters it is not per", m.name));
                ok = false;
                continue;
            }
            let sig = &action_sigs[ai];
            let mut bound = Vec::new();
            let mut args_ir = vec![None; sig.params.len()];
            if let Some((paren, args)) = &m.args {
                if args.len() != sig.params.len() {
                    let want: Vec<String> = sig.params.iter().map(|_| "_".to_string()).collect();
                    cx.error_at(paren.span.join(), format!("`{}` has {} parameter(s): give each a name (one condition per value) or `_` (any value), e.g. `{}({})`, or write `{}` alone for any values", m.name, sig.params.len(), m.name, want.join(", "), m.name));
                    ok = false;
                    continue;
                }
                for (pos, a) in args.iter().enumerate() {
                    let Some(v) = a else { continue };
                    let (pname, ty, dom) = &sig.params[pos];
                    let Some(dom) = dom.clone() else {
                        ok = false;
                        continue;
                    };
                    // The values must come from the constants: TLA+ quantifies them outside.
                    let mut mentioned = BTreeSet::new();
                    collect_idents(dom.to_token_stream(), &mut mentioned);
                    let bad = sig
                        .state_param
                        .iter()
                        .chain(sig.params.iter().map(|(p, _, _)| p))
                        .find(|n| mentioned.contains(&n.to_string()));
                    if let Some(bad) = bad {
                        cx.error_spanned_by(v, format!("a condition per `{v}` needs the values of `{}`'s parameter `{pname}` from the constants, but its domain reads `{bad}`: write `_` here (any value)", m.name));
                        ok = false;
                        continue;
                    }
                    match vars.iter().find(|(n, _, _, _)| n == v) {
                        Some((_, vty, vdom, _)) => {
                            let same_dom = vdom.to_token_stream().to_string()
                                == dom.to_token_stream().to_string();
                            let same_ty = vty.to_token_stream().to_string()
                                == ty.to_token_stream().to_string();
                            if !same_dom || !same_ty {
                                cx.error_spanned_by(v, format!("`{v}` is given to parameters with different domains or types (`{}` here): a variable of the condition ranges over one set; write `_` here or use another name", dom.to_token_stream()));
                                ok = false;
                                continue;
                            }
                        }
                        None => {
                            if let Some(ir_ty) = lower_type(cx, &fns.decls.known, ty) {
                                per_ir.push(Param {
                                    name: v.to_string(),
                                    ty: ir_ty,
                                    domain: Some(pure.expr(&dom)),
                                });
                            }
                            vars.push((v.clone(), ty.clone(), dom, ai));
                        }
                    }
                    bound.push((pos, v.clone()));
                    args_ir[pos] = Some(v.to_string());
                }
            }
            members_ir.push(FairMember {
                action: sig.name.to_string(),
                args: args_ir,
            });
            members_sig.push((ai, bound));
        }
        if !ok {
            continue;
        }
        out.push(GroupFairness {
            kind,
            per: per_ir,
            members: members_ir,
            next: false,
        });
        sigs.push(GroupSig {
            strong,
            vars,
            members: members_sig,
        });
    }
    (out, sigs)
}
