//! Which map entries an action may write without a check: where the map's domain never
//! changes and the key is drawn from that very domain.
//!
//! Writing a map entry outside the map's domain is a model error in lamport, while TLA+'s
//! `[m EXCEPT ![k] = v]` would leave `m` unchanged; so the export checks such a write with
//! `Assert(k \in DOMAIN m, ..)` — unless it cannot fail. It cannot when, at the map's nesting
//! depth, every value the variable ever holds has the same constant domain `D` (init builds it as
//! `D.iter().map(|x| (x, ..)).collect()`, directly or through a helper, no action inserts or
//! removes keys there, and every whole value written there is built the same way), and the key
//! is an action parameter drawn from `D` itself. That is how protocols index their per-node
//! state, and the export then reads as a hand-written spec.

use std::collections::BTreeMap;

use lamport_ir::{Expr, ExprKind, Model, Stmt, Type};

/// The constant domain of each map variable at each nesting depth, where it never changes.
pub(crate) struct MapDomains {
    fixed: BTreeMap<String, Vec<Expr>>,
}

impl MapDomains {
    pub fn new(ir: &Model) -> MapDomains {
        let mut fixed = BTreeMap::new();
        let init_fields = match ir.init.body.tail.as_deref().map(|t| &t.kind) {
            Some(ExprKind::Record { fields, .. }) => fields.clone(),
            _ => Vec::new(),
        };
        for f in &ir.state.fields {
            if !matches!(f.ty, Type::Map(..)) {
                continue;
            }
            let Some((_, init)) = init_fields.iter().find(|(n, _)| *n == f.name) else {
                continue;
            };
            let domains = domains_of(ir, init, 0);
            if !domains.is_empty() {
                fixed.insert(f.name.clone(), domains);
            }
        }
        let mut out = MapDomains { fixed };
        for op in &ir.actions {
            out.scan_block(ir, &op.body);
        }
        out
    }

    /// The constant domain of `var` at `depth`, if it never changes.
    pub fn known(&self, var: &str, depth: usize) -> Option<&Expr> {
        self.fixed.get(var).and_then(|d| d.get(depth))
    }

    fn truncate(&mut self, var: &str, depth: usize) {
        if let Some(d) = self.fixed.get_mut(var) {
            d.truncate(depth);
        }
    }

    fn scan_block(&mut self, ir: &Model, b: &lamport_ir::Block) {
        for st in &b.stmts {
            match st {
                Stmt::Assign { place, op, value } => {
                    if let Some((var, depth)) = map_place(place) {
                        if op.is_none() {
                            let kept = domains_of(ir, value, 0);
                            let have: Vec<Expr> = self
                                .fixed
                                .get(&var)
                                .map(|d| d[depth.min(d.len())..].to_vec())
                                .unwrap_or_default();
                            let agree = have
                                .iter()
                                .zip(&kept)
                                .take_while(|(a, b)| same(a, b))
                                .count();
                            self.truncate(&var, depth + agree.min(have.len()));
                        }
                    }
                    self.scan_expr(ir, value);
                }
                Stmt::Let { init: e, .. }
                | Stmt::Require(e)
                | Stmt::RequireWitnesses(e)
                | Stmt::Expr(e) => self.scan_expr(ir, e),
                Stmt::Choose { domain, .. } => self.scan_expr(ir, domain),
                Stmt::Assert { cond, .. } => self.scan_expr(ir, cond),
                Stmt::Either { arms, .. } => {
                    for a in arms {
                        self.scan_block(ir, a);
                    }
                }
            }
        }
        if let Some(t) = &b.tail {
            self.scan_expr(ir, t);
        }
    }

    fn scan_expr(&mut self, ir: &Model, e: &Expr) {
        match &e.kind {
            ExprKind::MethodCall {
                receiver, method, ..
            } if matches!(receiver.ty, Some(Type::Map(..))) && lamport_ir::ops::mutates(method) => {
                if let Some((var, depth)) = map_place(receiver) {
                    self.truncate(&var, depth);
                }
            }
            ExprKind::If { then, els, .. } => {
                self.scan_block(ir, then);
                if let Some(e) = els {
                    self.scan_expr(ir, e);
                }
            }
            ExprKind::Block(b) => self.scan_block(ir, b),
            ExprKind::Match { arms, .. } => {
                for a in arms {
                    self.scan_expr(ir, &a.body);
                }
            }
            _ => {}
        }
    }
}

/// The variable a place is rooted at and how many map keys deep it is, for places reached
/// through map keys only.
fn map_place(e: &Expr) -> Option<(String, usize)> {
    match &e.kind {
        ExprKind::Var { field, next: false } => Some((field.clone(), 0)),
        ExprKind::Index(base, _) if matches!(base.ty, Some(Type::Map(..))) => {
            map_place(base).map(|(v, d)| (v, d + 1))
        }
        _ => None,
    }
}

/// The constant domains, per nesting depth, of the maps a value expression builds:
/// `D.iter().map(|x| (x, v)).collect()` has `D` and then `v`'s; a helper call, its body's.
fn domains_of(ir: &Model, e: &Expr, depth: usize) -> Vec<Expr> {
    if depth > 8 {
        return Vec::new();
    }
    let e = e.peeled();
    match &e.kind {
        ExprKind::MethodCall {
            receiver, method, ..
        } if method == "collect" => {
            let ExprKind::MethodCall {
                receiver: source,
                method: map,
                args,
                ..
            } = &receiver.kind
            else {
                return Vec::new();
            };
            if map != "map" {
                return Vec::new();
            }
            let ExprKind::MethodCall {
                receiver: set,
                method: iter,
                ..
            } = &source.kind
            else {
                return Vec::new();
            };
            if iter != "iter" || !matches!(set.ty, Some(Type::Set(_))) || !constant(set) {
                return Vec::new();
            }
            let Some(ExprKind::Closure { params, body }) = args.first().map(|a| &a.kind) else {
                return Vec::new();
            };
            let Some(lamport_ir::Pat::Ident(x)) = params.first() else {
                return Vec::new();
            };
            let ExprKind::Tuple(kv) = &body.peeled().kind else {
                return Vec::new();
            };
            if kv.len() != 2 || !matches!(&kv[0].peeled().kind, ExprKind::Local(k) if k == x) {
                return Vec::new();
            }
            let mut out = vec![(**set).clone()];
            out.extend(domains_of(ir, &kv[1], depth + 1));
            out
        }
        ExprKind::Helper { name, .. } => match ir.helpers.iter().find(|h| &h.name == name) {
            Some(h) if h.body.stmts.is_empty() => match &h.body.tail {
                Some(t) => domains_of(ir, t, depth + 1),
                None => Vec::new(),
            },
            _ => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Whether `e` reads only constants and literals.
fn constant(e: &Expr) -> bool {
    let mut ok = true;
    lamport_ir::graph::walk_expr(e, &mut |x| {
        if matches!(
            x.kind,
            ExprKind::Var { .. }
                | ExprKind::Local(_)
                | ExprKind::State { .. }
                | ExprKind::Helper { .. }
        ) {
            ok = false;
        }
    });
    ok
}

/// Whether two expressions are the same, whatever their source positions.
pub(crate) fn same(a: &Expr, b: &Expr) -> bool {
    a.peeled().same_as(b.peeled())
}
