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
                            if let syn::Expr::Macro(m) = &*init.expr {
                                if m.mac.path.is_ident("choose") {
                                    out.stmts.push(self.choose_stmt(pat, &m.mac));
                                    continue;
                                }
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
                    let statement_macro = matches!(e, syn::Expr::Macro(m) if m.mac.path.is_ident("either") || m.mac.path.is_ident("assert"));
                    if last && semi.is_none() && !statement_macro {
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
        if mac.path.is_ident("either") {
            return self.either_stmt(mac);
        }
        if mac.path.is_ident("assert") {
            return self.assert_stmt(mac);
        }
        if mac.path.is_ident("choose") {
            self.cx.error_spanned_by(&mac.path, "`choose!` draws a value for the rest of the action: write `let x = choose!(<set>);`");
            return Stmt::Require(Expr::bool(true));
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
        self.err(&mac.path, format!("macro `{}!` is not part of the modelling language: the macros of a body are `require!(condition)`, `require_witnesses!(condition)`, `assert!(condition, \"message\")`, and in actions `let x = choose!(set);` and `either! {{ {{..}} or {{..}} }}`", mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()))
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

/// The alternatives of `either! { {..} or {..} }`.
struct EitherArms(Vec<syn::Block>);

impl syn::parse::Parse for EitherArms {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let mut arms = vec![input.parse::<syn::Block>()?];
        while !input.is_empty() {
            let or: syn::Ident = input.parse()?;
            if or != "or" {
                return Err(syn::Error::new(
                    or.span(),
                    "write `or` between the alternatives: `either! { { .. } or { .. } }`",
                ));
            }
            arms.push(input.parse()?);
        }
        Ok(EitherArms(arms))
    }
}

/// `assert!(cond, "message")`.
struct AssertArgs {
    cond: syn::Expr,
    msg: Option<syn::LitStr>,
    extra: Option<proc_macro2::TokenStream>,
}

impl syn::parse::Parse for AssertArgs {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let cond = input.parse()?;
        let mut msg = None;
        let mut extra = None;
        if input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
            msg = Some(input.parse()?);
            if !input.is_empty() {
                extra = Some(input.parse()?);
            }
        }
        Ok(AssertArgs { cond, msg, extra })
    }
}

impl Lowerer<'_> {
    fn action_only(&self, mac: &syn::Macro, what: &str) -> bool {
        if self.kind != BodyKind::Action {
            self.cx.error_spanned_by(&mac.path, format!("`{what}` chooses among successors of an action: it belongs in an action's body (init takes its choices as parameters: `#[init(x in S)]`)"));
            return false;
        }
        true
    }

    fn choose_stmt(&self, pat: lamport_ir::Pat, mac: &syn::Macro) -> Stmt {
        self.action_only(mac, "choose!");
        match mac.parse_body::<syn::Expr>() {
            Ok(d) => Stmt::Choose {
                pat,
                domain: self.expr(&d),
            },
            Err(e) => {
                self.cx.push(e);
                Stmt::Require(Expr::bool(true))
            }
        }
    }

    fn either_stmt(&self, mac: &syn::Macro) -> Stmt {
        self.action_only(mac, "either!");
        match mac.parse_body::<EitherArms>() {
            Ok(EitherArms(arms)) if arms.len() >= 2 => Stmt::Either {
                id: self.nodes.id(mac),
                arms: arms.iter().map(|b| self.block(b)).collect(),
            },
            Ok(_) => {
                self.cx.error_spanned_by(mac, "`either!` takes two or more alternatives: `either! { { .. } or { .. } }`; for one, write its statements directly");
                Stmt::Require(Expr::bool(true))
            }
            Err(e) => {
                self.cx.push(e);
                Stmt::Require(Expr::bool(true))
            }
        }
    }

    fn assert_stmt(&self, mac: &syn::Macro) -> Stmt {
        match mac.parse_body::<AssertArgs>() {
            Ok(AssertArgs { msg: None, .. }) => {
                self.cx.error_spanned_by(mac, "an assertion says what failed: `assert!(condition, \"message\")` (TLA+ `Assert(condition, \"message\")`)");
                Stmt::Require(Expr::bool(true))
            }
            Ok(AssertArgs { extra: Some(x), .. }) => {
                self.cx.error_spanned_by(x, "the message of `assert!` is one string literal, without format arguments: TLA+'s `Assert` prints it as written");
                Stmt::Require(Expr::bool(true))
            }
            Ok(AssertArgs {
                cond,
                msg: Some(msg),
                ..
            }) => {
                let text = msg.value();
                if text.contains('{') || text.contains('}') {
                    self.cx.error_spanned_by(&msg, "the message of `assert!` is printed as written: write it without `{` and `}` (no format arguments)");
                }
                Stmt::Assert {
                    cond: self.expr(&cond),
                    msg: text,
                }
            }
            Err(e) => {
                self.cx.push(e);
                Stmt::Require(Expr::bool(true))
            }
        }
    }
}
