//! Checks the shape of a classified model and lowers it to the IR, in passes with one concern
//! each: [`decls`] (model values, value types, state, constants), [`configs`] (named
//! configurations), [`functions`] (signatures and bodies), [`fairness`], [`liveness`] (temporal
//! properties), [`naming`] (clash-free TLA+ names) and [`bodies`] (names and types resolved,
//! and everything the export could not translate refused).

mod bodies;
mod configs;
mod decls;
mod fairness;
mod functions;
mod group_fairness;
mod liveness;
mod naming;

use std::collections::BTreeSet;

use lamport_ir::naming as case;
use lamport_ir::{Model, OperatorKind};
use syn::Ident;

use crate::ctxt::Ctxt;
use crate::lower::Nodes;
use crate::parse::ModelAst;

pub use fairness::FairSig;
pub use functions::Sig;
pub use group_fairness::GroupSig;
pub use liveness::{LiveSig, TargetArg};

pub struct Checked {
    pub ir: Model,
    /// The source of every IR node.
    pub nodes: Nodes,
    pub state_name: Ident,
    pub config_name: Ident,
    /// Whether the user declared a constants struct (otherwise an empty one is generated).
    pub has_constants: bool,
    pub state_fields: Vec<(Ident, String)>,
    pub constant_fields: Vec<(Ident, String)>,
    pub configs: Vec<Ident>,
    /// Per configuration (same order): the symmetric constants fields and their model-value types.
    pub config_symmetry: Vec<Vec<(Ident, String)>>,
    pub init: Option<Sig>,
    pub actions: Vec<Sig>,
    pub invariants: Vec<Sig>,
    pub constraints: Vec<Sig>,
    pub step_properties: Vec<Sig>,
    pub reachables: Vec<Sig>,
    /// Per configuration (same order): whether its temporal properties are checked without the
    /// fairness conditions (`#[no_fairness]`).
    pub config_no_fairness: Vec<bool>,
    pub fairness: Vec<FairSig>,
    /// Fairness on groups of actions (`fair!(..)` items).
    pub group_fairness: Vec<GroupSig>,
    pub liveness: Vec<LiveSig>,
}

pub fn validate(cx: &Ctxt, ast: &ModelAst) -> Checked {
    let module_name = ast.module.ident.to_string();
    let nodes = Nodes::default();
    let d = decls::declarations(cx, ast);
    let configs = configs::configurations(cx, ast, &d);
    let state_name = d.state_name.clone();
    let config_name = d.config_name.clone();

    let fns = functions::Functions {
        cx,
        nodes: &nodes,
        decls: &d,
        helper_names: ast
            .helpers
            .iter()
            .map(|f| f.sig.ident.to_string())
            .collect::<BTreeSet<String>>(),
    };
    let (init, init_sig) = match &ast.init {
        Some(rf) => {
            let (op, sig) = fns.role(rf, OperatorKind::Init);
            (op, Some(sig))
        }
        None => {
            cx.error_spanned_by(&ast.module.ident, format!("a model needs an initial state: add `#[init] fn init(c: &{config_name}) -> {state_name} {{ ... }}`"));
            (functions::empty_op(OperatorKind::Init), None)
        }
    };
    if ast.actions.is_empty() && ast.state.is_some() {
        cx.error_spanned_by(&ast.module.ident, format!("a model needs at least one action: `#[action] fn step(s: &mut {state_name}, c: &{config_name}) {{ ... }}`"));
    }
    let roles = |fs: &[crate::parse::RoleFn], kind: OperatorKind| -> (Vec<_>, Vec<_>) {
        fs.iter().map(|rf| fns.role(rf, kind)).unzip()
    };
    let (actions, mut action_sigs) = roles(&ast.actions, OperatorKind::Action);
    let (invariants, mut invariant_sigs) = roles(&ast.invariants, OperatorKind::Invariant);
    let (constraints, mut constraint_sigs) = roles(&ast.constraints, OperatorKind::Constraint);
    let (step_properties, mut step_property_sigs) =
        roles(&ast.step_properties, OperatorKind::StepProperty);
    let (reachables, mut reachable_sigs) = roles(&ast.reachables, OperatorKind::Reachable);
    let (fairness, fair_sigs) = fairness::conditions(&fns, ast, &action_sigs);
    let (group_fairness, group_sigs) = group_fairness::conditions(&fns, ast, &action_sigs);
    let (liveness, mut live_sigs) = liveness::properties(&fns, ast);
    let helpers = ast.helpers.iter().map(|f| fns.helper(f)).collect();

    let mut ir = Model {
        name: module_name.clone(),
        module: case::pascal_case(&module_name),
        doc: crate::parse::doc_of(&ast.module.attrs),
        check_deadlock: ast.args.check_deadlock,
        model_values: d.model_values.clone(),
        types: d.types.clone(),
        constants: d.constants.clone(),
        configs: configs.decls,
        state: d.state.clone(),
        init,
        actions,
        invariants,
        constraints,
        step_properties,
        reachables,
        fairness,
        group_fairness,
        liveness,
        helpers,
        network: None,
        refinements: Vec::new(),
    };

    naming::assign(&mut ir);
    let sync = |sigs: &mut [Sig], ops: &[lamport_ir::Operator]| {
        for (s, o) in sigs.iter_mut().zip(ops) {
            s.tla = o.tla.clone();
        }
    };
    sync(&mut action_sigs, &ir.actions);
    sync(&mut invariant_sigs, &ir.invariants);
    sync(&mut constraint_sigs, &ir.constraints);
    sync(&mut step_property_sigs, &ir.step_properties);
    sync(&mut reachable_sigs, &ir.reachables);
    for (s, l) in live_sigs.iter_mut().zip(&ir.liveness) {
        s.sig.tla = l.op.tla.clone();
    }
    let tla_of = |fields: &[(Ident, String)], decl: &[lamport_ir::Field]| -> Vec<(Ident, String)> {
        fields
            .iter()
            .map(|(i, t)| {
                let tla = decl
                    .iter()
                    .find(|f| *i == f.name.as_str())
                    .map(|f| f.tla.clone())
                    .unwrap_or_else(|| t.clone());
                (i.clone(), tla)
            })
            .collect()
    };
    let state_fields = tla_of(&d.state_fields, &ir.state.fields);
    let constant_fields = tla_of(&d.constant_fields, &ir.constants.fields);

    bodies::resolve(cx, &nodes, &mut ir);

    Checked {
        ir,
        nodes,
        state_name,
        config_name,
        has_constants: ast.constants.is_some(),
        state_fields,
        constant_fields,
        configs: configs.idents,
        config_symmetry: configs.symmetry,
        init: init_sig,
        actions: action_sigs,
        invariants: invariant_sigs,
        constraints: constraint_sigs,
        step_properties: step_property_sigs,
        reachables: reachable_sigs,
        config_no_fairness: configs.no_fairness,
        fairness: fair_sigs,
        group_fairness: group_sigs,
        liveness: live_sigs,
    }
}
