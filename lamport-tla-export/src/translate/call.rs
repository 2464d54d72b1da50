//! Calls: helpers (an operator application; primed when applied to the state after a step;
//! inlined where an action has already changed what the helper reads), and the constructors of
//! `Set`, `Map` and `Seq`.

use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{Expr, ExprKind, Model, Type};

use super::{fail, Cx, Scope, R};

/// Whether a helper parameter of type `ty` takes the whole state or the whole constants (the
/// operator then reads the variables and constants directly, and has no parameter for it).
pub(crate) fn takes_whole(ir: &Model, ty: &Type) -> bool {
    matches!(ty, Type::Named(n) if *n == ir.state.name || *n == ir.constants.name)
}

/// Per helper: the state variables (Rust names) it reads, directly or through the helpers it
/// calls with the state.
pub(crate) fn helper_reads(ir: &Model) -> BTreeMap<String, BTreeSet<String>> {
    let mut direct: BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for h in &ir.helpers {
        let mut vars = BTreeSet::new();
        let mut calls = BTreeSet::new();
        lamport_ir::graph::walk_block(&h.body, &mut |e| match &e.kind {
            ExprKind::Var { field, next: false } => {
                vars.insert(field.clone());
            }
            ExprKind::Helper { name, .. } => {
                calls.insert(name.clone());
            }
            _ => {}
        });
        direct.insert(h.name.clone(), (vars, calls));
    }
    let mut out: BTreeMap<String, BTreeSet<String>> = direct
        .iter()
        .map(|(n, (v, _))| (n.clone(), v.clone()))
        .collect();
    loop {
        let mut changed = false;
        for (n, (_, calls)) in &direct {
            let mut add = BTreeSet::new();
            for c in calls {
                if let Some(vs) = out.get(c) {
                    add.extend(vs.iter().cloned());
                }
            }
            let mine = out.get_mut(n).expect("every helper has an entry");
            let before = mine.len();
            mine.extend(add);
            changed |= mine.len() != before;
        }
        if !changed {
            return out;
        }
    }
}

impl Cx<'_> {
    pub(crate) fn helper_call(&self, e: &Expr, name: &str, args: &[Expr], sc: &Scope) -> R<T> {
        let Some(op) = self.ir.helpers.iter().find(|h| h.name == name) else {
            return fail(e.id, format!("`{name}` is not a helper of this model"));
        };
        let mut primed = false;
        let mut passes_state = false;
        let mut targs = Vec::new();
        for (p, a) in op.params.iter().zip(args) {
            if takes_whole(self.ir, &p.ty) {
                if let ExprKind::State { next } = a.kind {
                    passes_state = true;
                    primed |= next;
                }
                continue;
            }
            targs.push(self.expr(a, sc)?);
        }
        // After an action has changed a variable the helper reads, TLA+'s operator would read
        // the old value: the helper's definition is used in place, over the current values.
        let stale = passes_state
            && !primed
            && self
                .helper_reads
                .get(name)
                .is_some_and(|reads| reads.iter().any(|v| sc.cur.contains_key(v)));
        if stale {
            if self.recursive.contains(name) {
                return fail(e.id, format!("`{name}` reads the state this action has already changed, and it is recursive, so its definition cannot be used in place: call it before the changes, or pass it the values it needs"));
            }
            return self.inline_helper(op, targs, sc);
        }
        // Rust evaluates every argument before the call; TLA+ substitutes them into the body.
        // An argument that may fail by a check of lamport's (`the()`, `min().unwrap()`, a cast,
        // a division), for a parameter the body does not evaluate on every path, is evaluated
        // first (`Evaluated(a)`), so that its fault is TLC's too. A map index or sequence
        // position alone is not: arguments like `q[0]` behind a guard are everywhere in models,
        // and the forced form would be on every such call (docs/export.md).
        let strict = self.strict_params(op);
        let forced: Vec<T> = op
            .params
            .iter()
            .zip(&strict)
            .filter(|(p, _)| !takes_whole(self.ir, &p.ty))
            .zip(&targs)
            .filter(|((_, strict), _)| !**strict)
            .filter(|(_, a)| self.may_fault_by(a, false))
            .filter_map(|(_, a)| self.keep_evaluated(a))
            .collect();
        let call = T::Apply(op.tla.clone(), targs);
        let call = if primed {
            T::Prime(Box::new(call))
        } else {
            call
        };
        Ok(if forced.is_empty() {
            call
        } else if op.ret == Some(Type::Bool) {
            T::and(forced.into_iter().chain([call]).collect())
        } else {
            T::Case(vec![(T::and(forced), call)], None)
        })
    }

    /// Which parameters of helper `op` its body evaluates on every path (`strict_names`).
    fn strict_params(&self, op: &lamport_ir::Operator) -> Vec<bool> {
        let unknown = || vec![false; op.params.len()];
        if let Some(known) = self.strict_params.borrow().get(&op.name) {
            return known.clone().unwrap_or_else(unknown);
        }
        self.strict_params
            .borrow_mut()
            .insert(op.name.clone(), None);
        // Each parameter stands for a name no model can have.
        let marker = |i: usize| format!("param {i}");
        let mut sc = Scope::default();
        for (i, p) in op.params.iter().enumerate() {
            if !takes_whole(self.ir, &p.ty) {
                sc.bind(&p.name, T::name(marker(i)));
            }
        }
        let strict = match self.block_value(&op.body, &sc) {
            Ok(body) => {
                let mut names = BTreeSet::new();
                strict_names(&body, &mut names);
                (0..op.params.len())
                    .map(|i| names.contains(&marker(i)))
                    .collect()
            }
            Err(_) => unknown(),
        };
        self.strict_params
            .borrow_mut()
            .insert(op.name.clone(), Some(strict.clone()));
        strict
    }

    /// The helper's body over the current values of the state: `LET p == arg IN body`.
    fn inline_helper(&self, op: &lamport_ir::Operator, args: Vec<T>, sc: &Scope) -> R<T> {
        let mut inner = Scope {
            cur: sc.cur.clone(),
            bound: sc.bound.clone(),
            ..Scope::default()
        };
        let mut defs = Vec::new();
        let mut args = args.into_iter();
        for p in &op.params {
            if takes_whole(self.ir, &p.ty) {
                continue;
            }
            let a = args.next().unwrap_or(T::Bool(false));
            if super::pattern::is_simple(&a) {
                inner.bind(&p.name, a);
            } else {
                let n = self.bind_fresh(&p.name, &mut inner);
                defs.push((n.clone(), a));
                inner.bind(&p.name, T::name(n));
            }
        }
        let body = self.block_value(&op.body, &inner)?;
        Ok(if defs.is_empty() {
            body
        } else {
            T::Let(defs, Box::new(body))
        })
    }

    pub(crate) fn construct(
        &self,
        e: &Expr,
        container: &str,
        func: &str,
        args: &[Expr],
        sc: &Scope,
    ) -> R<T> {
        let elems = |_: &Scope| -> R<Vec<&Expr>> {
            match args.first().map(|a| &a.kind) {
                Some(ExprKind::Array(items)) => Ok(items.iter().collect()),
                _ => fail(
                    e.id,
                    format!("`{container}::{func}` takes an array literal"),
                ),
            }
        };
        match (container, func) {
            ("Set", "new") => Ok(T::SetEnum(vec![])),
            ("Set", "singleton") => match args.first() {
                Some(a) => Ok(T::SetEnum(vec![self.expr(a, sc)?])),
                None => fail(e.id, "`Set::singleton` takes one value"),
            },
            ("Set", "from") => Ok(T::SetEnum(
                elems(sc)?
                    .into_iter()
                    .map(|x| self.expr(x, sc))
                    .collect::<R<Vec<_>>>()?,
            )),
            ("Seq" | "Map", "new") => Ok(T::empty_tuple()),
            ("Seq", "from") => Ok(T::Tuple(
                elems(sc)?
                    .into_iter()
                    .map(|x| self.expr(x, sc))
                    .collect::<R<Vec<_>>>()?,
            )),
            ("Map", "from") => {
                let mut pairs = Vec::new();
                for it in elems(sc)? {
                    let ExprKind::Tuple(kv) = &it.kind else {
                        return fail(it.id, "`Map::from` takes an array of `(key, value)` pairs");
                    };
                    let (Some(k), Some(v)) = (kv.first(), kv.get(1)) else {
                        return fail(it.id, "`Map::from` takes `(key, value)` pairs");
                    };
                    pairs.push(T::infix(":>", self.expr(k, sc)?, self.expr(v, sc)?));
                }
                if !pairs.is_empty() {
                    self.uses(StdModule::Tlc);
                }
                Ok(pairs
                    .into_iter()
                    .reduce(|a, b| T::infix("@@", a, b))
                    .unwrap_or(T::empty_tuple()))
            }
            ("Map", "functions") => match args {
                [dom, range] => Ok(T::FnSet(
                    Box::new(self.expr(dom, sc)?),
                    Box::new(self.expr(range, sc)?),
                )),
                _ => fail(
                    e.id,
                    "`Map::functions` takes a domain and a range: `Map::functions(dom, range)`",
                ),
            },
            _ => fail(e.id, format!("`{container}::{func}` has no translation")),
        }
    }
}

/// The names TLC evaluates whenever it evaluates `t`: not those only in a branch (`IF`'s, a
/// `CASE` arm, after the first conjunct or disjunct, an implication's consequent), under a
/// binder (a quantifier's, `CHOOSE`'s or a comprehension's body), in a `LET` definition, or in
/// an argument of an operator other than TLA+'s own (operators take their arguments by name).
pub(crate) fn strict_names(t: &T, out: &mut BTreeSet<String>) {
    match t {
        T::Name(n) => {
            out.insert(n.clone());
        }
        T::If(c, _, _) => strict_names(c, out),
        T::Case(arms, _) => {
            if let Some((g, _)) = arms.first() {
                strict_names(g, out);
            }
        }
        T::And(items) | T::Or(items) => {
            if let Some(first) = items.first() {
                strict_names(first, out);
            }
        }
        T::Implies(a, _) => strict_names(a, out),
        T::Let(_, body) => strict_names(body, out),
        T::Forall(_, set, _)
        | T::Exists(_, set, _)
        | T::Choose(_, set, _)
        | T::SetFilter(_, set, _)
        | T::SetMap(_, _, set)
        | T::FnCons(_, set, _) => strict_names(set, out),
        T::ForallMany { .. } => {}
        T::Apply(op, args) => {
            if super::faults::STANDARD_OPERATORS.contains(&op.as_str()) {
                for a in args {
                    strict_names(a, out);
                }
            }
        }
        other => {
            lamport_ir::tla::map_children(other.clone(), &mut |c| {
                strict_names(&c, out);
                c
            });
        }
    }
}
