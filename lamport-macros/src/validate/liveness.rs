//! Pass 5: the temporal properties, and the targets of `#[leads_to(..)]`.

use std::collections::BTreeSet;

use lamport_ir::OperatorKind;
use syn::{FnArg, Ident};

use super::fairness::collect_idents;
use super::functions::{Functions, Sig};
use crate::parse::{AttrArg, ModelAst};
use crate::types::{path_name, strip_ref};

/// A temporal property as expansion needs it.
pub struct LiveSig {
    pub kind: lamport_ir::LivenessKind,
    pub sig: Sig,
    /// `#[leads_to(target)]`: the target helper and, per its parameter, what to pass.
    pub target: Option<(Ident, Vec<TargetArg>)>,
}

/// What a `~>` target helper takes in each parameter position.
pub enum TargetArg {
    State,
    Config,
    /// The property's parameter number `i`.
    Param(usize),
}

pub fn properties(
    fns: &Functions<'_>,
    ast: &ModelAst,
) -> (Vec<lamport_ir::Liveness>, Vec<LiveSig>) {
    let cx = fns.cx;
    let state_name = &fns.decls.state_name;
    let config_name = &fns.decls.config_name;
    let mut liveness = Vec::new();
    let mut live_sigs = Vec::new();
    for (kind, rf) in &ast.liveness {
        let (op, sig) = fns.role(rf, OperatorKind::Liveness);
        // A property's parameters are quantified outside the temporal operator: their values
        // come from the constants, never from a state.
        for (p, _, domain) in &sig.params {
            let Some(domain) = domain else { continue };
            let mut mentioned = BTreeSet::new();
            collect_idents(quote::quote!(#domain), &mut mentioned);
            if sig
                .state_param
                .as_ref()
                .is_some_and(|st| mentioned.contains(&st.to_string()))
            {
                cx.error_spanned_by(domain, format!("the values of `{p}` must come from the constants: a temporal property is quantified over them outside `<>`/`~>`, where there is no current state; write `{p} in c.<set>` or a range"));
            }
        }
        let bare: Vec<&Ident> = rf
            .args
            .iter()
            .filter_map(|a| match a {
                AttrArg::Bare(i) => Some(i),
                _ => None,
            })
            .collect();
        let mut target = None;
        match (kind, bare.as_slice()) {
            (lamport_ir::LivenessKind::LeadsTo, [t]) => {
                match ast.helpers.iter().find(|h| h.sig.ident == **t) {
                    None => cx.error_spanned_by(t, format!("`{t}` is not a function of the model: `#[leads_to({t})]` names the plain function that says what `{}` leads to, e.g. `fn {t}(s: &{state_name}, c: &{config_name}) -> bool`", sig.name)),
                    Some(h) => {
                        let mut args = Vec::new();
                        let mut k = 0;
                        for input in &h.sig.inputs {
                            let FnArg::Typed(typed) = input else { continue };
                            let inner = strip_ref(&typed.ty).and_then(|(t, _)| path_name(t));
                            if inner.as_deref() == Some(&state_name.to_string()) {
                                args.push(TargetArg::State);
                            } else if inner.as_deref() == Some(&config_name.to_string()) {
                                args.push(TargetArg::Config);
                            } else {
                                args.push(TargetArg::Param(k));
                                k += 1;
                            }
                        }
                        if k != sig.params.len() {
                            let names: Vec<String> = sig.params.iter().map(|(p, _, _)| p.to_string()).collect();
                            cx.error_spanned_by(t, format!("`{t}` must take the parameters of `{}` ({}) after the state and the constants: `P ~> Q` quantifies both over the same values", sig.name, if names.is_empty() { "none".to_string() } else { names.join(", ") }));
                        }
                        target = Some(((*t).clone(), args));
                    }
                }
            }
            (lamport_ir::LivenessKind::LeadsTo, _) => cx.error_spanned_by(&rf.item.sig.ident, format!("`#[leads_to(target)]` names the function `{}` leads to: e.g. `#[leads_to(committed)]` with `fn committed(s: &{state_name}, c: &{config_name}) -> bool`", sig.name)),
            (_, [t, ..]) => cx.error_spanned_by(t, format!("unknown key `{t}`: a target is only for `#[leads_to({t})]`")),
            (_, []) => {}
        }
        liveness.push(lamport_ir::Liveness {
            kind: *kind,
            op,
            target: target.as_ref().map(|(t, _)| t.to_string()),
        });
        live_sigs.push(LiveSig {
            kind: *kind,
            sig,
            target,
        });
    }

    (liveness, live_sigs)
}
