//! Pass 6: the TLA+ names of the model's variables, constants and operators, clash-free.
//!
//! Each name follows the naming rule (`lamport_ir::naming`) or the function's `name = ".."`,
//! and is then claimed in a fixed order — constants, state variables, helpers, actions,
//! invariants, constraints, step properties, reachability conditions, temporal properties — from
//! the module's scope ([`lamport_ir::names::Names`]): a name reserved by TLA+, defined by a
//! standard module or the export itself, or claimed before, is renamed `Name_1`, `Name_2`, ...,
//! with the reason kept for the export's comment. The trace mapping (`ModelMeta`) uses the
//! final names, so TLC's traces read back. One exception: an invariant the model names
//! `TypeOK` keeps that name, and the export then generates no `TypeOK` of its own.

use lamport_ir::names::Names;
use lamport_ir::{Field, Model, Operator};

pub fn assign(ir: &mut Model) {
    let mut names = Names::module();
    let claim_field = |names: &mut Names, f: &mut Field| {
        let (tla, why) = names.claim(&f.tla);
        f.tla = tla;
        f.renamed = why;
    };
    for f in &mut ir.constants.fields {
        claim_field(&mut names, f);
    }
    for f in &mut ir.state.fields {
        claim_field(&mut names, f);
    }
    let claim_op = |names: &mut Names, op: &mut Operator| {
        let (tla, why) = names.claim(&op.tla);
        op.tla = tla;
        op.renamed = why;
    };
    let user_type_ok = ir.invariants.iter().position(|o| o.tla == "TypeOK");
    for op in ir.helpers.iter_mut().chain(&mut ir.actions) {
        claim_op(&mut names, op);
    }
    for (i, op) in ir.invariants.iter_mut().enumerate() {
        if Some(i) != user_type_ok {
            claim_op(&mut names, op);
        }
    }
    for op in ir
        .constraints
        .iter_mut()
        .chain(&mut ir.step_properties)
        .chain(&mut ir.reachables)
    {
        claim_op(&mut names, op);
    }
    for l in &mut ir.liveness {
        claim_op(&mut names, &mut l.op);
    }
    ir.init.tla = "Init".into();
}
