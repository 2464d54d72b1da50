//! Guards TLC must take the way lamport counts them.
//!
//! A `require!` is one condition: lamport computes one successor when it holds. TLC, computing
//! the successors of an action, takes every way through a conjunct: one successor per witness of
//! an `\E` and per true disjunct of a `\/`, descending through `/\`, `\A`, `=>`, the branches of
//! `IF` and `CASE`, `LET` bodies and the definitions of operators. So a guard that could be taken
//! more than one way is written `IF g THEN TRUE ELSE FALSE`, which TLC evaluates as a value (the
//! choices lamport enumerates are the action's parameters, which `Next` quantifies).
//!
//! A `require_witnesses!` condition is written by the language's counting rule
//! (`lamport_ir::witness`), the rule the macro generates lamport's count from: its structure is
//! kept and each atom made opaque, so TLC takes exactly the ways lamport counts.

use std::collections::BTreeSet;

use lamport_ir::tla::T;
use lamport_ir::witness::{self, Shape};
use lamport_ir::{Expr, ExprKind};

use super::stream::quantify;
use super::{fail, Cx, Scope, R};

impl Cx<'_> {
    /// A `require_witnesses!` condition, its atoms marked (`T::Atom`) for [`Cx::resolve_atoms`].
    pub(crate) fn witness_tla(&self, e: &Expr, sc: &Scope) -> R<T> {
        match witness::shape(e) {
            Shape::Or(a, b) => Ok(T::or(vec![
                self.witness_tla(a, sc)?,
                self.witness_tla(b, sc)?,
            ])),
            Shape::And(a, b) => Ok(T::and(vec![
                self.witness_tla(a, sc)?,
                self.witness_tla(b, sc)?,
            ])),
            Shape::Quantifier { all, iter, closure } => {
                let Some(st) = self.stream_of(iter, sc)? else {
                    return fail(
                        iter.id,
                        "`any`/`all` follow an iterator (`.iter()`, a range)",
                    );
                };
                let mut st = self.rename_var(st, Some(closure));
                // A filter holds one way or none, as lamport counts it.
                st.filters = st
                    .filters
                    .into_iter()
                    .map(|f| T::Atom(Box::new(f)))
                    .collect();
                let ExprKind::Closure { params, body } = &closure.kind else {
                    return fail(closure.id, "`any`/`all` take a closure");
                };
                let mut inner = st.scope.clone();
                if let Some(p) = params.first() {
                    self.pattern(p, &st.elem, &mut inner, closure.id)?;
                }
                let p = self.witness_tla(body, &inner)?;
                Ok(quantify(&st, all, p))
            }
            Shape::If { cond, then, els } => {
                let (c, then_sc) = self.condition(cond, sc)?;
                Ok(T::if_(
                    c,
                    self.witness_tla(then, &then_sc)?,
                    self.witness_tla(els, sc)?,
                ))
            }
            Shape::Atom(a) => {
                let was = self.literal_or.replace(true);
                let t = self.expr(a, sc);
                self.literal_or.set(was);
                Ok(T::Atom(Box::new(t?)))
            }
        }
    }

    /// Replaces each atom of a witness condition by itself, opaque where TLC could branch.
    pub(crate) fn resolve_atoms(&self, t: T, lets: &BTreeSet<String>) -> T {
        let rec = |x: T| self.resolve_atoms(x, lets);
        match t {
            T::Atom(a) => self.opaque(*a, lets),
            T::And(items) => T::And(items.into_iter().map(rec).collect()),
            T::Or(items) => T::Or(items.into_iter().map(rec).collect()),
            T::Exists(x, d, b) => T::Exists(x, d, Box::new(rec(*b))),
            T::Forall(x, d, b) => T::Forall(x, d, Box::new(rec(*b))),
            T::Implies(a, b) => T::Implies(Box::new(self.opaque(*a, lets)), Box::new(rec(*b))),
            T::If(c, a, b) => T::If(c, Box::new(rec(*a)), Box::new(rec(*b))),
            other => other,
        }
    }

    /// `g`, written `IF g THEN TRUE ELSE FALSE` if TLC could take it more than one way.
    pub(crate) fn opaque(&self, g: T, lets: &BTreeSet<String>) -> T {
        if self.may_branch(&g, lets, 0) {
            T::if_(g, T::Bool(true), T::Bool(false))
        } else {
            g
        }
    }

    /// Whether TLC could take more than one way through `t` as a conjunct of an action
    /// (`lets`: the `LET` names in scope whose definitions could).
    pub(crate) fn may_branch(&self, t: &T, lets: &BTreeSet<String>, depth: usize) -> bool {
        if depth > 64 {
            return true;
        }
        let go = |x: &T| self.may_branch(x, lets, depth + 1);
        match t {
            T::Exists(..) => true,
            T::Or(items) => items.len() > 1 || items.iter().any(go),
            T::And(items) => items.iter().any(go),
            T::Forall(_, _, b) | T::Implies(_, b) => go(b),
            T::If(_, a, b) => go(a) || go(b),
            T::Case(arms, other) => {
                arms.iter().any(|(_, b)| go(b)) || other.as_deref().is_some_and(go)
            }
            T::Let(defs, body) => {
                let mut inner = lets.clone();
                for (n, v) in defs {
                    if self.may_branch(v, &inner, depth + 1) {
                        inner.insert(n.clone());
                    }
                }
                self.may_branch(body, &inner, depth + 1)
            }
            T::Atom(a) => go(a),
            T::Name(n) => lets.contains(n) || self.helper_may_branch(n, depth),
            T::Apply(op, _) => self.helper_may_branch(op, depth),
            _ => false,
        }
    }

    /// Whether the helper named `name` (TLA+ name) may be taken more than one way (TLC expands
    /// an operator's definition where it is applied in an action).
    fn helper_may_branch(&self, name: &str, depth: usize) -> bool {
        if let Some(b) = self.branching_helpers.borrow().get(name) {
            return *b;
        }
        let Some(h) = self.ir.helpers.iter().find(|h| h.tla == name) else {
            return false;
        };
        // A recursive helper reached again while deciding is taken as not branching here; its
        // other parts decide.
        self.branching_helpers
            .borrow_mut()
            .insert(name.to_string(), false);
        // Translating the helper again must not disturb the module's imports or supports.
        let uses = self.uses.borrow().clone();
        let supports = self.supports_used.borrow().clone();
        let b = match self.helper(h) {
            Ok((_, body)) => self.may_branch(&body, &BTreeSet::new(), depth + 1),
            Err(_) => true,
        };
        *self.uses.borrow_mut() = uses;
        *self.supports_used.borrow_mut() = supports;
        self.branching_helpers
            .borrow_mut()
            .insert(name.to_string(), b);
        b
    }
}
