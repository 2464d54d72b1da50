//! The one rule by which `require_witnesses!(c)` counts an action's successors, as TLC counts
//! the ways a conjunct holds: `a || b` adds, `a && b` multiplies, `it.any(|x| p)` sums over the
//! elements, `it.all(|x| p)` multiplies over them, `if c { a } else { b }` takes a branch, and
//! anything else holds one way or none.
//!
//! The macro generates the counting code from [`shape`], and the exporter writes the conjunct
//! from it (keeping this structure and making every atom opaque to TLC), so both count alike.

use crate::{BinOp, Block, Expr, ExprKind};

/// How one expression of a `require_witnesses!` condition counts.
#[derive(Debug)]
pub enum Shape<'a> {
    /// The ways of `a` plus the ways of `b`.
    Or(&'a Expr, &'a Expr),
    /// The ways of `a` times the ways of `b` (`b` not evaluated when `a` has none).
    And(&'a Expr, &'a Expr),
    /// Over the elements of `iter`, the sum (`any`) or the product (`all`) of the ways of the
    /// closure's body.
    Quantifier {
        all: bool,
        iter: &'a Expr,
        closure: &'a Expr,
    },
    /// The ways of `then` if `cond`, else of `els`.
    If {
        cond: &'a Expr,
        then: &'a Expr,
        els: &'a Expr,
    },
    /// One way if it holds, none otherwise.
    Atom(&'a Expr),
}

/// The counting shape of `e` (a resolved expression, seen through `&`, `*` and blocks that are
/// just a value).
pub fn shape(e: &Expr) -> Shape<'_> {
    let e = e.peeled();
    match &e.kind {
        ExprKind::Binary(BinOp::Or, a, b) => Shape::Or(a, b),
        ExprKind::Binary(BinOp::And, a, b) => Shape::And(a, b),
        ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } if (method == "any" || method == "all")
            && args.len() == 1
            && matches!(args[0].kind, ExprKind::Closure { .. }) =>
        {
            Shape::Quantifier {
                all: method == "all",
                iter: receiver,
                closure: &args[0],
            }
        }
        ExprKind::If {
            cond,
            then,
            els: Some(els),
        } => match (value_of(then), value_of_expr(els)) {
            (Some(t), Some(f)) => Shape::If {
                cond,
                then: t,
                els: f,
            },
            _ => Shape::Atom(e),
        },
        _ => Shape::Atom(e),
    }
}

/// The value of a block that is only a value.
fn value_of(b: &Block) -> Option<&Expr> {
    if b.stmts.is_empty() {
        b.tail.as_deref()
    } else {
        None
    }
}

fn value_of_expr(e: &Expr) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Block(b) => value_of(b),
        _ => Some(e),
    }
}
