//! Statements: `let`, `require!`, `require_witnesses!`, assignments, expression statements.

use lamport_ir::{Block, Expr, Stmt};

use super::{binop, is_compound, outer_type_name, BodyKind, Lowerer};

impl Lowerer<'_> {
    pub fn block(&self, block: &syn::Block) -> Block {
        let mut out = Block::default();
        let n = block.stmts.len();
        for (i, stmt) in block.stmts.iter().enumerate() {
            let last = i + 1 == n;
            match stmt {
                syn::Stmt::Local(local) => {
                    let (pat, container) = match &local.pat {
                        syn::Pat::Type(t) => (self.pat(&t.pat), outer_type_name(&t.ty)),
                        other => (self.pat(other), None),
                    };
                    match &local.init {
                        None => {
                            self.cx.error_spanned_by(
                                local,
                                "a `let` needs a value: write `let x = <expression>;`",
                            );
                        }
                        Some(init) => {
                            if let Some((_, diverge)) = &init.diverge {
                                self.cx.error_spanned_by(diverge, "`let ... else` is not supported: use `require!(matches!(..))` or a `match`");
                            }
                            if let syn::Expr::Closure(c) = &*init.expr {
                                self.cx.error_spanned_by(c, "a closure may not be stored in a variable: write it directly as the argument of `all`, `any`, `filter`, `map` or `flat_map`, or define a function in the module");
                                continue;
                            }
                            let init = self.expr(&init.expr);
                            out.stmts.push(Stmt::Let {
                                pat,
                                container,
                                init,
                            });
                        }
                    }
                }
                syn::Stmt::Item(item) => {
                    self.cx.error_spanned_by(item, "items inside function bodies are not supported: declare them at the module level");
                }
                syn::Stmt::Macro(m) => out.stmts.push(self.macro_stmt(&m.mac)),
                syn::Stmt::Expr(e, semi) => {
                    if last && semi.is_none() {
                        out.tail = Some(Box::new(self.expr(e)));
                    } else {
                        out.stmts.push(self.stmt_expr(e));
                    }
                }
            }
        }
        out
    }

    pub(super) fn macro_stmt(&self, mac: &syn::Macro) -> Stmt {
        if mac.path.is_ident("require_witnesses") {
            if self.kind != BodyKind::Action {
                self.cx.error_spanned_by(&mac.path, "`require_witnesses!` counts an action's successors: it belongs in an action; elsewhere use `require!` or a `bool`");
            }
            return match mac.parse_body::<syn::Expr>() {
                Ok(e) => Stmt::RequireWitnesses(self.witness_condition(&e)),
                Err(e) => {
                    self.cx.push(e);
                    Stmt::Require(Expr::bool(true))
                }
            };
        }
        if mac.path.is_ident("require") {
            if self.kind == BodyKind::Pure {
                self.cx.error_spanned_by(&mac.path, "`require!` is a guard: it belongs in an action or init; an invariant, constraint or helper returns a `bool` instead");
            }
            match mac.parse_body::<syn::Expr>() {
                Ok(e) => Stmt::Require(self.expr(&e)),
                Err(e) => {
                    self.cx.push(e);
                    Stmt::Require(Expr::bool(true))
                }
            }
        } else {
            Stmt::Expr(self.macro_expr(mac))
        }
    }

    pub(super) fn macro_expr(&self, mac: &syn::Macro) -> Expr {
        self.err(&mac.path, format!("macro `{}!` is not part of the modelling language: the only macros in a body are `require!(condition)` and `require_witnesses!(condition)`", mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()))
    }

    /// An expression in statement position: assignments are allowed here (in actions).
    pub(super) fn stmt_expr(&self, e: &syn::Expr) -> Stmt {
        match e {
            syn::Expr::Assign(a) => {
                self.check_place(&a.left);
                Stmt::Assign {
                    place: self.expr(&a.left),
                    op: None,
                    value: self.expr(&a.right),
                }
            }
            syn::Expr::Binary(b) if is_compound(&b.op) => {
                self.check_place(&b.left);
                let op = binop(self.cx, &b.op).map(|(op, _)| op);
                Stmt::Assign {
                    place: self.expr(&b.left),
                    op,
                    value: self.expr(&b.right),
                }
            }
            syn::Expr::Macro(m) => self.macro_stmt(&m.mac),
            other => Stmt::Expr(self.expr(other)),
        }
    }

    /// Assignments: only in actions and init, to the state or to a local.
    pub(super) fn check_place(&self, place: &syn::Expr) {
        if self.kind == BodyKind::Pure {
            self.cx.error_spanned_by(place, "assignments belong in actions: an invariant, constraint or helper only computes a value");
        }
        let mut root = place;
        loop {
            root = match root {
                syn::Expr::Field(f) => &f.base,
                syn::Expr::Index(i) => &i.expr,
                syn::Expr::Paren(p) => &p.expr,
                syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => &u.expr,
                _ => break,
            };
        }
        if !matches!(root, syn::Expr::Path(_)) {
            self.cx.error_spanned_by(place, "assign to a state variable (`s.field = ...`, `s.map[k] = ...`) or a local variable");
        }
    }
}
