//! Patterns: `if let`, `match` and `let` destructuring. Resolution has qualified every variant
//! path (`[Enum, Variant]`), so a pattern says directly what it tests.

use lamport_ir::tla::T;
use lamport_ir::{Arm, Expr, ExprKind, Lit, NodeId, Pat};

use super::{fail, Cx, Scope, R};

impl Cx<'_> {
    /// A condition, possibly `if let PAT = e`: the TLA+ condition and the scope of the branch.
    pub(crate) fn condition(&self, cond: &Expr, sc: &Scope) -> R<(T, Scope)> {
        if let ExprKind::LetCond { pat, scrutinee } = &cond.kind {
            let s = self.expr(scrutinee, sc)?;
            let mut inner = sc.clone();
            let c = self.pattern(pat, &s, &mut inner, cond.id)?;
            return Ok((c.unwrap_or(T::Bool(true)), inner));
        }
        Ok((self.expr(cond, sc)?, sc.clone()))
    }

    /// The condition under which `value` matches `pat` (`None`: always), binding the pattern's
    /// names in `sc` to parts of `value`.
    pub(crate) fn pattern(
        &self,
        pat: &Pat,
        value: &T,
        sc: &mut Scope,
        node: NodeId,
    ) -> R<Option<T>> {
        match pat {
            Pat::Wild => Ok(None),
            Pat::Ident(x) => {
                sc.bind(x, value.clone());
                Ok(None)
            }
            Pat::Ref(p) => self.pattern(p, value, sc, node),
            Pat::Lit(Lit::Int(n)) => Ok(Some(T::infix("=", value.clone(), T::Num(*n)))),
            Pat::Lit(Lit::Bool(b)) => Ok(Some(if *b {
                value.clone()
            } else {
                T::negate(value.clone())
            })),
            Pat::Tuple(ps) => {
                let mut conds = Vec::new();
                for (i, p) in ps.iter().enumerate() {
                    let part = T::app(value.clone(), T::Num(i as i128 + 1));
                    if let Some(c) = self.pattern(p, &part, sc, node)? {
                        conds.push(c);
                    }
                }
                Ok(and_opt(conds))
            }
            Pat::Path(p) => match p.as_slice() {
                [none] if none == "None" => {
                    Ok(Some(T::infix("=", value.clone(), T::empty_tuple())))
                }
                [ty, variant] => Ok(Some(self.variant_test(ty, variant, value))),
                _ => fail(
                    node,
                    format!("the pattern `{}` names no variant", p.join("::")),
                ),
            },
            Pat::Struct { path, fields, .. } => {
                let mut conds = Vec::new();
                if let [ty, variant] = path.as_slice() {
                    conds.push(self.variant_test(ty, variant, value));
                }
                let (ty, variant) = match path.as_slice() {
                    [ty, variant] => (ty.as_str(), Some(variant.as_str())),
                    [ty] => (ty.as_str(), None),
                    _ => ("", None),
                };
                for (f, p) in fields {
                    let name = self.ir.record_field_name(ty, variant, f);
                    let part = T::Dot(Box::new(value.clone()), name);
                    if let Some(c) = self.pattern(p, &part, sc, node)? {
                        conds.push(c);
                    }
                }
                Ok(and_opt(conds))
            }
            Pat::TupleStruct { path, elems } => match (path.as_slice(), elems.as_slice()) {
                ([s], [p]) if s == "Some" => {
                    let part = T::app(value.clone(), T::Num(1));
                    let mut conds = vec![T::infix("#", value.clone(), T::empty_tuple())];
                    if let Some(c) = self.pattern(p, &part, sc, node)? {
                        conds.push(c);
                    }
                    Ok(Some(T::and(conds)))
                }
                _ => fail(
                    node,
                    format!("the pattern `{}(..)` has no translation", path.join("::")),
                ),
            },
            Pat::Or(ps) => {
                let mut conds = Vec::new();
                for p in ps {
                    match self.pattern(p, value, sc, node)? {
                        Some(c) => conds.push(c),
                        None => return Ok(None),
                    }
                }
                Ok(Some(T::or(conds)))
            }
        }
    }

    /// `value` is the variant `ty::variant`.
    fn variant_test(&self, ty: &str, variant: &str, value: &T) -> T {
        let tag = T::Str(self.ir.variant_tag(ty, variant));
        if self.is_unit_enum(ty) {
            T::infix("=", value.clone(), tag)
        } else {
            T::infix("=", T::Dot(Box::new(value.clone()), "type".into()), tag)
        }
    }

    pub(crate) fn match_expr(&self, scrutinee: &Expr, arms: &[Arm], sc: &Scope) -> R<T> {
        let s = self.expr(scrutinee, sc)?;
        let mut outer = sc.clone();
        // A compound scrutinee is named once.
        let (value, def) = match s {
            T::Name(_) | T::Dot(..) => (s, None),
            other => {
                let n = self.bind_fresh("m", &mut outer);
                (T::name(&n), Some((n, other)))
            }
        };
        let mut case_arms = Vec::new();
        let mut other = None;
        for arm in arms {
            let mut asc = outer.clone();
            let cond = self.pattern(&arm.pat, &value, &mut asc, arm.body.id)?;
            let guard = match &arm.guard {
                Some(g) => Some(self.expr(g, &asc)?),
                None => None,
            };
            let body = self.expr(&arm.body, &asc)?;
            let full = match (cond, guard) {
                (None, None) => None,
                (Some(c), None) => Some(c),
                (None, Some(g)) => Some(g),
                (Some(c), Some(g)) => Some(T::and(vec![c, g])),
            };
            match full {
                None => {
                    other = Some(Box::new(body));
                    break;
                }
                Some(c) => case_arms.push((c, body)),
            }
        }
        let case = if case_arms.is_empty() {
            match other {
                Some(o) => *o,
                None => return fail(scrutinee.id, "a `match` needs an arm"),
            }
        } else {
            T::Case(case_arms, other)
        };
        Ok(match def {
            Some((n, v)) => T::Let(vec![(n, v)], Box::new(case)),
            None => case,
        })
    }

    /// `let pat = t;` as `LET` definitions (for names) and bindings.
    pub(crate) fn bind_let(
        &self,
        pat: &Pat,
        t: T,
        node: NodeId,
        sc: &mut Scope,
        defs: &mut Vec<(String, T)>,
    ) -> R<()> {
        match pat {
            Pat::Ident(x) => {
                let n = self.bind_fresh(x, sc);
                defs.push((n.clone(), t));
                sc.bind(x, T::name(n));
                Ok(())
            }
            Pat::Wild => Ok(()),
            Pat::Tuple(_) => {
                let n = self.bind_fresh("t", sc);
                defs.push((n.clone(), t));
                if self.pattern(pat, &T::name(n), sc, node)?.is_some() {
                    return fail(node, "a `let` pattern must always match");
                }
                Ok(())
            }
            _ => fail(node, "`let` patterns are translated for names and tuples"),
        }
    }
}

fn and_opt(conds: Vec<T>) -> Option<T> {
    if conds.is_empty() {
        None
    } else {
        Some(T::and(conds))
    }
}

/// A name, a constant, or a field or entry of one: cheap and clear to repeat.
pub(crate) fn is_simple(t: &T) -> bool {
    match t {
        T::Name(_) | T::Primed(_) | T::Num(_) | T::Str(_) | T::Bool(_) => true,
        T::Dot(b, _) => is_simple(b),
        T::FnApp(f, a) => is_simple(f) && is_simple(a),
        T::Tuple(xs) => xs.is_empty(),
        _ => false,
    }
}
