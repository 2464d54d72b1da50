//! Choice inside an action (`let x = choose!(S);`, `either! { {..} or {..} }`) and `assert!`.
//!
//! A choice takes the rest of the action with it: `let x = choose!(S); rest` is
//! `\E x \in S : rest` and `either! { {a} or {b} }; rest` is `\/ (a; rest) \/ (b; rest)`, each
//! written where the choice is, after the guards and `LET`s before it (the state as changed so
//! far carried into each way). A choice inside an `if` takes the rest after the `if` into each
//! branch, so the `if` is written in place as `IF c THEN .. ELSE ..` with each branch complete.
//! TLC then counts one successor per witness of the `\E` and per true disjunct, as lamport
//! runs the action once per way through it.

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{Block, Expr, ExprKind, Operator, Pat, Stmt};

use super::action::wrap_items;
use super::{fail, Cx, Scope, R};

/// Whether a block chooses: a `choose!` or `either!` in it, or in an `if`/`match`/block of it.
pub(crate) fn block_chooses(b: &Block) -> bool {
    b.stmts.iter().any(stmt_chooses) || b.tail.as_deref().is_some_and(expr_chooses)
}

fn stmt_chooses(st: &Stmt) -> bool {
    match st {
        Stmt::Choose { .. } | Stmt::Either { .. } => true,
        Stmt::Expr(e) => expr_chooses(e),
        _ => false,
    }
}

fn expr_chooses(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::If { then, els, .. } => {
            block_chooses(then) || els.as_deref().is_some_and(expr_chooses)
        }
        ExprKind::Match { arms, .. } => arms.iter().any(|a| expr_chooses(&a.body)),
        ExprKind::Block(b) => block_chooses(b),
        _ => false,
    }
}

/// `rest` appended to the statements of `b` (its tail, a statement, first).
fn then_rest(b: &Block, rest: &Block) -> Block {
    let mut stmts = b.stmts.clone();
    if let Some(t) = &b.tail {
        stmts.push(Stmt::Expr((**t).clone()));
    }
    stmts.extend(rest.stmts.iter().cloned());
    Block {
        stmts,
        tail: rest.tail.clone(),
    }
}

fn expr_block(e: &Expr) -> Block {
    match &e.kind {
        ExprKind::Block(b) => b.clone(),
        _ => Block {
            stmts: vec![Stmt::Expr(e.clone())],
            tail: None,
        },
    }
}

impl Cx<'_> {
    /// An action whose body chooses: each way through it written out where it forks.
    pub(crate) fn choice_body(&self, op: &Operator, sc: Scope) -> R<T> {
        self.complete(&op.body, sc)
    }

    /// A block run to the end of the action: its guards and `LET`s, then at the first choice
    /// the ways through the rest, or the assignments and `UNCHANGED` at the end.
    fn complete(&self, b: &Block, mut sc: Scope) -> R<T> {
        let mut items = Vec::new();
        let mut stmts: Vec<Stmt> = b.stmts.clone();
        if let Some(t) = &b.tail {
            stmts.push(Stmt::Expr((**t).clone()));
        }
        for (i, st) in stmts.iter().enumerate() {
            let rest = Block {
                stmts: stmts[i + 1..].to_vec(),
                tail: None,
            };
            let fork = match st {
                Stmt::Choose { pat, domain } => {
                    let d = self.domain_set(domain, &sc)?;
                    let mut inner = sc.clone();
                    let (n, pending) =
                        match pat {
                            Pat::Ident(x) => {
                                let n = self.bind_fresh(x, &mut inner);
                                inner.bind(x, T::name(&n));
                                (n, None)
                            }
                            Pat::Wild => (self.bind_fresh("x", &mut inner), None),
                            Pat::Tuple(_) => {
                                let n = self.bind_fresh("t", &mut inner);
                                (n.clone(), Some(T::name(n)))
                            }
                            _ => return fail(
                                domain.id,
                                "`choose!` binds a name or a tuple of names: `let x = choose!(S);`",
                            ),
                        };
                    if let Some(t) = pending {
                        if self.pattern(pat, &t, &mut inner, domain.id)?.is_some() {
                            return fail(domain.id, "a `choose!` pattern must always match");
                        }
                    }
                    let body = self.complete(&rest, inner)?;
                    Some(T::Exists(n, Box::new(d), Box::new(body)))
                }
                Stmt::Either { arms, .. } => {
                    let ways = arms
                        .iter()
                        .map(|a| self.complete(&then_rest(a, &rest), sc.clone()))
                        .collect::<R<Vec<T>>>()?;
                    Some(T::Or(ways))
                }
                Stmt::Expr(e) if expr_chooses(e) => Some(self.fork_expr(e, &rest, &sc)?),
                other => {
                    self.exec_stmt(other, &mut sc, &mut items)?;
                    None
                }
            };
            if let Some(tail) = fork {
                let items = self.finish_choice_items(items);
                return Ok(wrap_items(items, tail));
            }
        }
        let items = self.finish_choice_items(items);
        Ok(wrap_items(items, self.assignments(&sc)))
    }

    /// An `if`, `match` or block that chooses, with the rest of the action in each branch.
    fn fork_expr(&self, e: &Expr, rest: &Block, sc: &Scope) -> R<T> {
        match &e.kind {
            ExprKind::If { cond, then, els } => {
                let (c, then_sc) = self.condition(cond, sc)?;
                let t = self.complete(&then_rest(then, rest), then_sc)?;
                let els_block = match els {
                    Some(x) => then_rest(&expr_block(x), rest),
                    None => rest.clone(),
                };
                let f = self.complete(&els_block, sc.clone())?;
                Ok(T::if_(c, t, f))
            }
            ExprKind::Match { scrutinee, arms } => {
                // As a chain of `if let`s, each arm with the rest.
                let mut chain: Option<T> = None;
                for arm in arms.iter().rev() {
                    if arm.guard.is_some() {
                        return fail(
                            arm.body.id,
                            "match guards in statement position have no translation: use `if`",
                        );
                    }
                    let cond = Expr {
                        id: arm.body.id,
                        ty: Some(lamport_ir::Type::Bool),
                        kind: ExprKind::LetCond {
                            pat: arm.pat.clone(),
                            scrutinee: scrutinee.clone(),
                        },
                    };
                    let (c, arm_sc) = self.condition(&cond, sc)?;
                    let body = self.complete(&then_rest(&expr_block(&arm.body), rest), arm_sc)?;
                    chain = Some(match chain {
                        None => T::and(vec![c, body]),
                        Some(other) => T::if_(c, body, other),
                    });
                }
                Ok(chain.unwrap_or(T::Bool(false)))
            }
            ExprKind::Block(b) => self.complete(&then_rest(b, rest), sc.clone()),
            _ => fail(e.id, "this statement cannot choose"),
        }
    }

    /// `x' = e` for each changed variable, `UNCHANGED` for the rest.
    fn assignments(&self, sc: &Scope) -> T {
        let mut assigns = Vec::new();
        let mut unchanged = Vec::new();
        for f in &self.ir.state.fields {
            match sc.cur.get(&f.name) {
                Some(v) => assigns.push(T::infix("=", T::Primed(f.tla.clone()), v.clone())),
                None => unchanged.push(f.tla.clone()),
            }
        }
        if !unchanged.is_empty() {
            assigns.push(T::Unchanged(unchanged));
        }
        T::and(assigns)
    }

    /// `Assert(cond, "msg")`: a conjunct of an action (never branching).
    pub(crate) fn assertion(&self, cond: &Expr, msg: &str, sc: &Scope) -> R<T> {
        let c = self.expr(cond, sc)?;
        self.uses(StdModule::Tlc);
        Ok(T::Apply("Assert".into(), vec![c, T::Str(msg.to_string())]))
    }
}
