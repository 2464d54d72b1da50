//! Function bodies → IR, refusing every construct outside the modelling language's subset with
//! an error on the offending token that says what to write instead.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::{ops, Arm, BinOp, Block, Expr, ExprKind, Lit, NodeId, Pat, Stmt, UnOp};
use proc_macro2::Span;
use quote::ToTokens;

use crate::ctxt::Ctxt;

/// The source of every IR node of one model: its span (for errors found on the IR), and, for
/// the nodes of `require_witnesses!` conditions, the Rust expression (from which the macro
/// generates the code counting their ways).
#[derive(Default)]
pub struct Nodes {
    /// The first and last token of each node.
    spans: RefCell<Vec<(Span, Span)>>,
    syn: RefCell<BTreeMap<NodeId, syn::Expr>>,
    /// Set while lowering a `require_witnesses!` condition.
    recording: std::cell::Cell<bool>,
    /// The root of each `require_witnesses!` condition, in the order lowered.
    witnesses: RefCell<Vec<NodeId>>,
}

impl Nodes {
    /// A new node id for the tokens of `t`.
    pub fn id<T: ToTokens>(&self, t: &T) -> NodeId {
        let mut tokens = t.to_token_stream().into_iter();
        let first = tokens
            .next()
            .map(|t| t.span())
            .unwrap_or_else(Span::call_site);
        let last = tokens.last().map(|t| t.span()).unwrap_or(first);
        let mut spans = self.spans.borrow_mut();
        spans.push((first, last));
        spans.len() as NodeId
    }

    /// An error on the tokens of node `id` (on the macro call for a synthesized node).
    pub fn error(&self, id: NodeId, msg: impl std::fmt::Display) -> syn::Error {
        let (first, last) = match id {
            0 => (Span::call_site(), Span::call_site()),
            n => self.spans.borrow()[n as usize - 1],
        };
        // `new_spanned` reports from the first token's start to the last token's end.
        let tokens: proc_macro2::TokenStream = [first, last]
            .into_iter()
            .map(|s| proc_macro2::TokenTree::Ident(proc_macro2::Ident::new("x", s)))
            .collect();
        syn::Error::new_spanned(tokens, msg)
    }

    /// The Rust expression of a node of a `require_witnesses!` condition.
    pub fn syn(&self, id: NodeId) -> Option<syn::Expr> {
        self.syn.borrow().get(&id).cloned()
    }

    /// The roots of the `require_witnesses!` conditions lowered since the last call.
    pub fn take_witnesses(&self) -> Vec<NodeId> {
        std::mem::take(&mut self.witnesses.borrow_mut())
    }
}

/// What kind of body is being lowered.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// May assign to the state and use `require!`.
    Action,
    /// `#[init]`: builds a state; may use `require!`.
    Init,
    /// Invariants, constraints, helpers, domains: pure.
    Pure,
}

pub struct Lowerer<'a> {
    pub cx: &'a Ctxt,
    pub nodes: &'a Nodes,
    pub kind: BodyKind,
    /// Helper functions of the module.
    pub helpers: &'a BTreeSet<String>,
    /// Value types of the module (enums, structs, model values).
    pub types: &'a BTreeSet<String>,
}

fn path_segments(path: &syn::Path) -> Vec<String> {
    path.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn binop(cx: &Ctxt, op: &syn::BinOp) -> Option<(BinOp, bool)> {
    use syn::BinOp as B;
    Some(match op {
        B::Add(_) => (BinOp::Add, false),
        B::Sub(_) => (BinOp::Sub, false),
        B::Mul(_) => (BinOp::Mul, false),
        B::Div(_) => (BinOp::Div, false),
        B::Rem(_) => (BinOp::Rem, false),
        B::And(_) => (BinOp::And, false),
        B::Or(_) => (BinOp::Or, false),
        B::Eq(_) => (BinOp::Eq, false),
        B::Ne(_) => (BinOp::Ne, false),
        B::Lt(_) => (BinOp::Lt, false),
        B::Le(_) => (BinOp::Le, false),
        B::Gt(_) => (BinOp::Gt, false),
        B::Ge(_) => (BinOp::Ge, false),
        B::AddAssign(_) => (BinOp::Add, true),
        B::SubAssign(_) => (BinOp::Sub, true),
        B::MulAssign(_) => (BinOp::Mul, true),
        B::DivAssign(_) => (BinOp::Div, true),
        B::RemAssign(_) => (BinOp::Rem, true),
        other => {
            cx.error_spanned_by(other, "bitwise and shift operators are not part of the modelling language: use arithmetic, comparisons, `&&`, `||` and `!`, or a `Set`");
            return None;
        }
    })
}

impl Lowerer<'_> {
    fn err<T: quote::ToTokens>(&self, tokens: T, msg: impl std::fmt::Display) -> Expr {
        self.cx.error_spanned_by(tokens, msg);
        Expr::new(ExprKind::Lit(Lit::Bool(false)))
    }

    /// A node for the Rust expression `e`.
    fn node(&self, e: &syn::Expr, kind: ExprKind) -> Expr {
        let id = self.nodes.id(e);
        if self.nodes.recording.get() {
            self.nodes.syn.borrow_mut().insert(id, e.clone());
        }
        Expr::with_id(id, kind)
    }

    /// Lowers the condition of `require_witnesses!`, keeping the Rust form of its nodes.
    fn witness_condition(&self, e: &syn::Expr) -> Expr {
        let was = self.nodes.recording.replace(true);
        let out = self.expr(e);
        self.nodes.recording.set(was);
        self.nodes.witnesses.borrow_mut().push(out.id);
        out
    }

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

    fn macro_stmt(&self, mac: &syn::Macro) -> Stmt {
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

    fn macro_expr(&self, mac: &syn::Macro) -> Expr {
        self.err(&mac.path, format!("macro `{}!` is not part of the modelling language: the only macros in a body are `require!(condition)` and `require_witnesses!(condition)`", mac.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()))
    }

    /// An expression in statement position: assignments are allowed here (in actions).
    fn stmt_expr(&self, e: &syn::Expr) -> Stmt {
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
    fn check_place(&self, place: &syn::Expr) {
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

    pub fn expr(&self, e: &syn::Expr) -> Expr {
        use syn::Expr as E;
        let k = match e {
            E::Lit(l) => match &l.lit {
                syn::Lit::Bool(b) => ExprKind::Lit(Lit::Bool(b.value)),
                syn::Lit::Int(i) => match i.base10_parse::<i128>() {
                    Ok(v) => ExprKind::Lit(Lit::Int(v)),
                    Err(err) => {
                        self.cx.push(err);
                        ExprKind::Lit(Lit::Int(0))
                    }
                },
                syn::Lit::Str(_) => return self.err(l, "string literals are not values of the modelling language: use a unit enum with `#[derive(Value)]` (its variants render as TLA+ strings)"),
                syn::Lit::Float(_) => return self.err(l, "floating-point numbers have no TLA+ counterpart: use integers"),
                other => return self.err(other, "this literal is not supported: use `true`, `false` or an integer"),
            },
            E::Path(p) => {
                if p.qself.is_some() {
                    return self.err(p, "qualified paths (`<T as Trait>::x`) are not supported");
                }
                ExprKind::Path(path_segments(&p.path))
            }
            E::Paren(p) => return self.expr(&p.expr),
            E::Group(g) => return self.expr(&g.expr),
            E::Field(f) => match &f.member {
                syn::Member::Named(n) => ExprKind::Field(Box::new(self.expr(&f.base)), n.to_string()),
                syn::Member::Unnamed(i) => ExprKind::TupleField(Box::new(self.expr(&f.base)), i.index),
            },
            E::Index(i) => ExprKind::Index(Box::new(self.expr(&i.expr)), Box::new(self.expr(&i.index))),
            E::Unary(u) => match u.op {
                syn::UnOp::Not(_) => ExprKind::Unary(UnOp::Not, Box::new(self.expr(&u.expr))),
                syn::UnOp::Neg(_) => ExprKind::Unary(UnOp::Neg, Box::new(self.expr(&u.expr))),
                syn::UnOp::Deref(_) => ExprKind::Deref(Box::new(self.expr(&u.expr))),
                _ => return self.err(u, "this unary operator is not supported"),
            },
            E::Binary(b) => {
                if is_compound(&b.op) {
                    return self.err(b, "a compound assignment is a statement: write it on its own line in an action");
                }
                match binop(self.cx, &b.op) {
                    Some((op, _)) => ExprKind::Binary(op, Box::new(self.expr(&b.left)), Box::new(self.expr(&b.right))),
                    None => ExprKind::Lit(Lit::Bool(false)),
                }
            }
            E::Reference(r) => {
                if r.mutability.is_some() && self.kind == BodyKind::Pure {
                    return self.err(r, "`&mut` is only for changing the state, in actions");
                }
                ExprKind::Ref(Box::new(self.expr(&r.expr)))
            }
            E::If(i) => {
                let cond = self.expr(&i.cond);
                let then = self.block(&i.then_branch);
                let els = i.else_branch.as_ref().map(|(_, e)| Box::new(self.expr(e)));
                ExprKind::If { cond: Box::new(cond), then, els }
            }
            E::Let(l) => ExprKind::LetCond { pat: self.pat(&l.pat), scrutinee: Box::new(self.expr(&l.expr)) },
            E::Match(m) => ExprKind::Match {
                scrutinee: Box::new(self.expr(&m.expr)),
                arms: m
                    .arms
                    .iter()
                    .map(|a| Arm {
                        pat: self.pat(&a.pat),
                        guard: a.guard.as_ref().map(|(_, g)| self.expr(g)),
                        body: self.expr(&a.body),
                    })
                    .collect(),
            },
            E::Block(b) => {
                if let Some(label) = &b.label {
                    return self.err(label, "labelled blocks are not supported");
                }
                ExprKind::Block(self.block(&b.block))
            }
            E::Tuple(t) => ExprKind::Tuple(t.elems.iter().map(|x| self.expr(x)).collect()),
            E::Array(a) => ExprKind::Array(a.elems.iter().map(|x| self.expr(x)).collect()),
            E::Struct(s) => {
                if s.qself.is_some() {
                    return self.err(s, "qualified paths are not supported");
                }
                ExprKind::Struct {
                    path: path_segments(&s.path),
                    fields: s
                        .fields
                        .iter()
                        .map(|f| {
                            let name = match &f.member {
                                syn::Member::Named(n) => n.to_string(),
                                syn::Member::Unnamed(i) => i.index.to_string(),
                            };
                            (name, self.expr(&f.expr))
                        })
                        .collect(),
                    rest: s.rest.as_ref().map(|r| Box::new(self.expr(r))),
                }
            }
            E::Range(r) => match (&r.start, &r.end) {
                (Some(from), Some(to)) => ExprKind::Range {
                    from: Box::new(self.expr(from)),
                    to: Box::new(self.expr(to)),
                    inclusive: matches!(r.limits, syn::RangeLimits::Closed(_)),
                },
                _ => return self.err(r, "a range needs both ends (`a..b` or `a..=b`) to be a finite domain"),
            },
            E::MethodCall(m) => self.method_call(m),
            E::Call(c) => return self.call(e, c),
            E::Closure(c) => return self.err(c, "a closure may only appear as the argument of `all`, `any`, `filter`, `map` or `flat_map`"),
            E::Macro(m) => {
                if m.mac.path.is_ident("require") {
                    return self.err(&m.mac.path, "`require!` is a statement: write `require!(condition);` on its own line");
                }
                return self.macro_expr(&m.mac);
            }
            E::While(w) => return self.err(w.while_token, "`while` loops are not part of the modelling language: quantify over a finite set with `all`/`any`, build one with `filter`/`map`/`collect`, or make the iteration an action parameter"),
            E::Loop(l) => return self.err(l.loop_token, "`loop` is not part of the modelling language: each loop iteration should be an action step, or use an iterator form over a finite set"),
            E::ForLoop(f) => return self.err(f.for_token, "`for` loops are not supported yet: use an iterator form (`all`, `any`, `filter`, `map`, `count`, `collect`) over a finite set, or make the element an action parameter"),
            E::Return(r) => return self.err(r.return_token, "`return` is not supported: an action is disabled with `require!(condition)`; a function's value is its last expression"),
            E::Break(b) => return self.err(b.break_token, "`break` is not supported: use an iterator form over a finite set"),
            E::Continue(c) => return self.err(c.continue_token, "`continue` is not supported: use `filter` over a finite set"),
            E::Try(t) => return self.err(t.question_token, "the `?` operator is not supported: use `match`, `if let` or `require!`"),
            E::Cast(c) => {
                const INTS: &[&str] = &["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "isize"];
                match &*c.ty {
                    syn::Type::Path(p) if p.path.get_ident().is_some_and(|i| INTS.contains(&i.to_string().as_str())) => ExprKind::Cast {
                        expr: Box::new(self.expr(&c.expr)),
                        ty: p.path.get_ident().expect("checked").to_string(),
                    },
                    other => return self.err(other, "casts are supported between integer types only (`x as i64`); TLA+ has no other conversions"),
                }
            }
            E::Unsafe(u) => return self.err(u.unsafe_token, "`unsafe` has no place in a model"),
            E::Async(a) => return self.err(a.async_token, "`async` has no place in a model"),
            E::Await(a) => return self.err(a.await_token, "`.await` has no place in a model"),
            E::Assign(a) => return self.err(a.eq_token, "an assignment is a statement: write it on its own line in an action"),
            E::Repeat(r) => return self.err(r, "array repetition is not supported: use `Set`, `Map` or `Seq`"),
            other => return self.err(other, "this expression is not part of the modelling language (see docs/language.md for the supported subset)"),
        };
        let mut node = self.node(e, k);
        // `1u8`: the suffix is the literal's type.
        if let E::Lit(syn::ExprLit {
            lit: syn::Lit::Int(i),
            ..
        }) = e
        {
            if !i.suffix().is_empty() {
                node.ty = Some(lamport_ir::Type::Int(i.suffix().to_string()));
            }
        }
        node
    }

    fn method_call(&self, m: &syn::ExprMethodCall) -> ExprKind {
        let name = m.method.to_string();
        if !ops::exists(&name) {
            self.cx.error_spanned_by(&m.method, format!(
                "method `{name}` is not part of the modelling language; the methods of the value types and iterators are {} (docs/language.md lists what each means in TLA+)",
                ops::names(None).iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ));
            return ExprKind::Lit(Lit::Bool(false));
        }
        if ops::mutates(&name) && self.kind == BodyKind::Pure {
            self.cx.error_spanned_by(&m.method, format!("`{name}` changes its receiver: that belongs in an action; here compute a new value instead (e.g. `union`, `difference`)"));
            return ExprKind::Lit(Lit::Bool(false));
        }
        let receiver = self.expr(&m.receiver);
        let args = m
            .args
            .iter()
            .map(|a| match a {
                syn::Expr::Closure(c) if ops::takes_closure(&name) => self.closure(a, c),
                other => self.expr(other),
            })
            .collect();
        let turbofish = m.turbofish.as_ref().and_then(|t| {
            t.args.iter().find_map(|a| match a {
                syn::GenericArgument::Type(ty) => outer_type_name(ty),
                _ => None,
            })
        });
        ExprKind::MethodCall {
            receiver: Box::new(receiver),
            method: name,
            turbofish,
            args,
        }
    }

    fn closure(&self, e: &syn::Expr, c: &syn::ExprClosure) -> Expr {
        if let Some(m) = &c.movability {
            self.cx
                .error_spanned_by(m, "`static` closures are not supported");
        }
        if let Some(a) = &c.asyncness {
            self.cx
                .error_spanned_by(a, "`async` closures are not supported");
        }
        let k = ExprKind::Closure {
            params: c.inputs.iter().map(|p| self.pat(p)).collect(),
            body: Box::new(self.expr(&c.body)),
        };
        self.node(e, k)
    }

    fn call(&self, e: &syn::Expr, c: &syn::ExprCall) -> Expr {
        let args: Vec<Expr> = c.args.iter().map(|a| self.expr(a)).collect();
        let path = match &*c.func {
            syn::Expr::Path(p) if p.qself.is_none() => p.path.clone(),
            other => return self.err(other, "only named functions can be called: a helper function of this module, an enum variant, `Some`, or a value type's constructor"),
        };
        let segs = path_segments(&path);
        let ok = match segs.as_slice() {
            [one] => one == "Some" || self.helpers.contains(one),
            [.., ty, f] => {
                self.types.contains(ty)
                    || (matches!(ty.as_str(), "Set" | "Map" | "Seq")
                        && ops::constructor(ty, f).is_some())
            }
            [] => false,
        };
        if !ok {
            let shown = segs.join("::");
            return self.err(&c.func, format!(
                "call to `{shown}` is not part of the modelling language: a body may call the functions of this model module (they become TLA+ operators), enum variants, `Some(..)`, and `Set::new`/`Set::from`/`Map::new`/`Map::from`/`Seq::new`/`Seq::from`"
            ));
        }
        self.node(e, ExprKind::Call { func: segs, args })
    }

    pub fn pat(&self, p: &syn::Pat) -> Pat {
        use syn::Pat as P;
        match p {
            P::Wild(_) => Pat::Wild,
            P::Ident(i) => {
                if let Some((_, sub)) = &i.subpat {
                    self.cx
                        .error_spanned_by(sub, "`name @ pattern` bindings are not supported");
                }
                Pat::Ident(i.ident.to_string())
            }
            P::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => Pat::Lit(Lit::Int(i.base10_parse().unwrap_or(0))),
                syn::Lit::Bool(b) => Pat::Lit(Lit::Bool(b.value)),
                other => {
                    self.cx.error_spanned_by(
                        other,
                        "only integer and boolean literals can be matched",
                    );
                    Pat::Wild
                }
            },
            P::Tuple(t) => Pat::Tuple(t.elems.iter().map(|x| self.pat(x)).collect()),
            P::Path(p) => Pat::Path(path_segments(&p.path)),
            P::Struct(s) => Pat::Struct {
                path: path_segments(&s.path),
                fields: s
                    .fields
                    .iter()
                    .map(|f| {
                        let name = match &f.member {
                            syn::Member::Named(n) => n.to_string(),
                            syn::Member::Unnamed(i) => i.index.to_string(),
                        };
                        (name, self.pat(&f.pat))
                    })
                    .collect(),
                rest: s.rest.is_some(),
            },
            P::TupleStruct(t) => Pat::TupleStruct {
                path: path_segments(&t.path),
                elems: t.elems.iter().map(|x| self.pat(x)).collect(),
            },
            P::Or(o) => Pat::Or(o.cases.iter().map(|x| self.pat(x)).collect()),
            P::Reference(r) => Pat::Ref(Box::new(self.pat(&r.pat))),
            P::Type(t) => self.pat(&t.pat),
            P::Paren(p) => self.pat(&p.pat),
            other => {
                self.cx.error_spanned_by(other, "this pattern is not supported: use names, `_`, tuples, enum variants and literals");
                Pat::Wild
            }
        }
    }
}

/// `Set` for `Set<_>` or `lamport::Set<T>`.
fn outer_type_name(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

pub fn is_compound(op: &syn::BinOp) -> bool {
    use syn::BinOp as B;
    matches!(
        op,
        B::AddAssign(_)
            | B::SubAssign(_)
            | B::MulAssign(_)
            | B::DivAssign(_)
            | B::RemAssign(_)
            | B::BitAndAssign(_)
            | B::BitOrAssign(_)
            | B::BitXorAssign(_)
            | B::ShlAssign(_)
            | B::ShrAssign(_)
    )
}
