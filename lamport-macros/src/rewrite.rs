//! Rewrites of user bodies for the checkable Rust model: `require!` becomes an early exit,
//! `require_witnesses!` a count of the ways its condition holds, and integer arithmetic becomes
//! checked (an overflow is a model error, never a silent wrap).

use std::collections::BTreeMap;

use lamport_ir::witness::{self, Shape};
use lamport_ir::NodeId;
use quote::quote;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, parse_quote_spanned, Block, Expr, Stmt};

use crate::lower::{is_compound, Nodes};

/// Replaces `require!(c);` statements by `if !(c) { return <disabled>; }`.
pub fn requires_to_exits(block: &mut Block, disabled: &Expr) {
    struct R<'a>(&'a Expr);
    impl VisitMut for R<'_> {
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            let cond = match stmt {
                Stmt::Macro(m) if m.mac.path.is_ident("require") => m.mac.parse_body::<Expr>().ok(),
                Stmt::Expr(Expr::Macro(m), _) if m.mac.path.is_ident("require") => {
                    m.mac.parse_body::<Expr>().ok()
                }
                _ => None,
            };
            if let Some(cond) = cond {
                let disabled = self.0;
                *stmt = parse_quote! { if !(#cond) { return #disabled; } };
            }
            visit_mut::visit_stmt_mut(self, stmt);
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    }
    R(disabled).visit_block_mut(block);
}

/// Rewrites `a + b` to `::lamport::__private::add(a, b)` and so on, and `x += e` to
/// `x = add(x, e)`.
pub struct CheckedArith;

impl VisitMut for CheckedArith {
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        visit_mut::visit_expr_mut(self, e);
        let replacement: Option<Expr> = match e {
            Expr::Binary(b) => {
                // `(a + b) * c` becomes `mul(add(a, b), c)`: the parentheses are no longer needed
                // and would warn (unused_parens) against the user's code.
                let unparen = |e: &Expr| -> Expr {
                    match e {
                        Expr::Paren(p) => (*p.expr).clone(),
                        other => other.clone(),
                    }
                };
                let (l, r) = (unparen(&b.left), unparen(&b.right));
                let f = match b.op {
                    syn::BinOp::Add(_) | syn::BinOp::AddAssign(_) => Some(quote!(add)),
                    syn::BinOp::Sub(_) | syn::BinOp::SubAssign(_) => Some(quote!(sub)),
                    syn::BinOp::Mul(_) | syn::BinOp::MulAssign(_) => Some(quote!(mul)),
                    syn::BinOp::Div(_) | syn::BinOp::DivAssign(_) => Some(quote!(div)),
                    syn::BinOp::Rem(_) | syn::BinOp::RemAssign(_) => Some(quote!(rem)),
                    _ => None,
                };
                // Spanned on the operator: an overflow is reported at the user's line.
                let at = b.op.span();
                f.map(|f| {
                    if is_compound(&b.op) {
                        let place = &b.left;
                        parse_quote_spanned! {at=> #place = ::lamport::__private::#f(#l, #r) }
                    } else {
                        parse_quote_spanned! {at=> ::lamport::__private::#f(#l, #r) }
                    }
                })
            }
            // `x as T` between integers: a checked conversion (a value that does not fit is a
            // model error, as TLA+'s integers never wrap).
            Expr::Cast(c) => {
                let inner = &c.expr;
                let ty = &c.ty;
                let at = c.as_token.span();
                Some(parse_quote_spanned! {at=> ::lamport::__private::cast::<#ty, _>(#inner) })
            }
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                let inner = &u.expr;
                let at = u.op.span();
                Some(parse_quote_spanned! {at=> ::lamport::__private::neg(#inner) })
            }
            _ => None,
        };
        if let Some(r) = replacement {
            *e = r;
        }
    }

    // Arithmetic inside `require!(..)` is rewritten after the macro has become an `if`.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// Splits an action body into its leading guards (`require!` statements before anything else)
/// and the rest. The guards are checked on the unchanged state before it is cloned.
pub fn split_leading_guards(block: &Block) -> (Vec<Expr>, Block) {
    let mut guards = Vec::new();
    let mut rest = block.clone();
    let mut taken = 0;
    for stmt in &block.stmts {
        let cond = match stmt {
            Stmt::Macro(m) if m.mac.path.is_ident("require") => m.mac.parse_body::<Expr>().ok(),
            _ => None,
        };
        match cond {
            Some(c) => {
                guards.push(c);
                taken += 1;
            }
            None => break,
        }
    }
    rest.stmts.drain(..taken);
    (guards, rest)
}

/// Replaces the `require_witnesses!(c);` statements, in source order, by
/// `ways = ways * W(c); if ways == 0 { return 0; }`, where `W(c)` counts the ways `c` holds by
/// the language's one counting rule (`lamport_ir::witness`), applied to the IR of `c` (its
/// `roots`, in the same order).
pub fn witnesses_to_ways(
    block: &mut Block,
    counter: &syn::Ident,
    roots: &[NodeId],
    ir: &IrIndex,
    nodes: &Nodes,
) {
    struct R<'a> {
        counter: &'a syn::Ident,
        roots: std::slice::Iter<'a, NodeId>,
        ir: &'a IrIndex<'a>,
        nodes: &'a Nodes,
    }
    impl VisitMut for R<'_> {
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            let is_witness = match stmt {
                Stmt::Macro(m) => m.mac.path.is_ident("require_witnesses"),
                Stmt::Expr(Expr::Macro(m), _) => m.mac.path.is_ident("require_witnesses"),
                _ => false,
            };
            if is_witness {
                let w = match self.roots.next().and_then(|id| self.ir.get(*id)) {
                    Some(root) => ways(root, self.nodes),
                    None => parse_quote!(1u64),
                };
                let counter = self.counter;
                *stmt = parse_quote! {
                    {
                        #counter = #counter * (#w);
                        if #counter == 0 {
                            return 0;
                        }
                    }
                };
                return;
            }
            visit_mut::visit_stmt_mut(self, stmt);
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    }
    R {
        counter,
        roots: roots.iter(),
        ir,
        nodes,
    }
    .visit_block_mut(block);
}

/// The IR expressions of a model by node id.
pub struct IrIndex<'a> {
    by_id: BTreeMap<NodeId, &'a lamport_ir::Expr>,
}

impl<'a> IrIndex<'a> {
    pub fn new(ir: &'a lamport_ir::Model) -> IrIndex<'a> {
        let mut by_id = BTreeMap::new();
        for op in &ir.actions {
            lamport_ir::graph::walk_block(&op.body, &mut |e| {
                if e.id != 0 {
                    by_id.insert(e.id, e);
                }
            });
        }
        IrIndex { by_id }
    }

    fn get(&self, id: NodeId) -> Option<&'a lamport_ir::Expr> {
        self.by_id.get(&id).copied()
    }
}

/// A `u64` expression counting the ways `e` holds (see `lamport_ir::witness`), built from the
/// Rust source of its parts.
fn ways(e: &lamport_ir::Expr, nodes: &Nodes) -> Expr {
    let rust = |e: &lamport_ir::Expr| -> Expr {
        nodes.syn(e.id).unwrap_or_else(|| {
            parse_quote!(::core::unreachable!(
                "require_witnesses: no source for a part of the condition"
            ))
        })
    };
    match witness::shape(e) {
        Shape::Or(a, b) => {
            let (l, r) = (ways(a, nodes), ways(b, nodes));
            parse_quote! { (#l) + (#r) }
        }
        Shape::And(a, b) => {
            let (l, r) = (ways(a, nodes), ways(b, nodes));
            parse_quote! { { let __w: u64 = #l; if __w == 0 { 0 } else { __w * (#r) } } }
        }
        Shape::Quantifier { all, iter, closure } => {
            let recv = rust(iter);
            let (params, body) = match (nodes.syn(closure.id), &closure.kind) {
                (Some(Expr::Closure(c)), lamport_ir::ExprKind::Closure { body, .. }) => {
                    (c.inputs.clone(), ways(body, nodes))
                }
                _ => return atomic(&rust(e)),
            };
            if all {
                parse_quote! {
                    (#recv)
                        .try_fold(1u64, |__acc: u64, #params| {
                            let __w: u64 = #body;
                            if __w == 0 { ::core::option::Option::None } else { ::core::option::Option::Some(__acc * __w) }
                        })
                        .unwrap_or(0)
                }
            } else {
                parse_quote! { (#recv).map(|#params| -> u64 { #body }).sum::<u64>() }
            }
        }
        Shape::If { cond, then, els } => {
            let (c, t, f) = (rust(cond), ways(then, nodes), ways(els, nodes));
            parse_quote! { if #c { #t } else { #f } }
        }
        Shape::Atom(a) => atomic(&rust(a)),
    }
}

fn atomic(e: &Expr) -> Expr {
    parse_quote! { if #e { 1u64 } else { 0u64 } }
}

/// Replaces `let p = choose!(S);` by a draw from `S` through `choices` (returning 0, no
/// successor, when `S` is empty) and `either! { {a} or {b} }` by a `match` on the alternative
/// `choices` picks. Returns whether the block chooses.
pub fn choices_to_picks(block: &mut Block, choices: &syn::Ident) -> bool {
    struct R<'a> {
        choices: &'a syn::Ident,
        found: bool,
    }
    impl VisitMut for R<'_> {
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            let choices = self.choices;
            match stmt {
                Stmt::Local(local) => {
                    if let Some(init) = &mut local.init {
                        if let Expr::Macro(m) = &*init.expr {
                            if m.mac.path.is_ident("choose") {
                                if let Ok(d) = m.mac.parse_body::<Expr>() {
                                    self.found = true;
                                    *init.expr = parse_quote! {
                                        match ::lamport::__private::choose(#choices, &(#d)) {
                                            ::core::option::Option::Some(__v) => __v,
                                            ::core::option::Option::None => return 0,
                                        }
                                    };
                                }
                            }
                        }
                    }
                }
                Stmt::Macro(m) if m.mac.path.is_ident("either") => {
                    if let Some(e) = either_match(&m.mac, choices) {
                        self.found = true;
                        *stmt = Stmt::Expr(e, None);
                    }
                }
                Stmt::Expr(Expr::Macro(m), _) if m.mac.path.is_ident("either") => {
                    if let Some(e) = either_match(&m.mac, choices) {
                        self.found = true;
                        *stmt = Stmt::Expr(e, None);
                    }
                }
                _ => {}
            }
            visit_mut::visit_stmt_mut(self, stmt);
        }
        fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}
    }
    let mut r = R {
        choices,
        found: false,
    };
    r.visit_block_mut(block);
    r.found
}

/// `match pick(choices, n) { Some(0) => {a} .. _ => return 0 }` for `either! { {a} or .. }`.
fn either_match(mac: &syn::Macro, choices: &syn::Ident) -> Option<Expr> {
    let arms = mac
        .parse_body_with(|input: syn::parse::ParseStream| {
            let mut arms = vec![input.parse::<Block>()?];
            while !input.is_empty() {
                input.parse::<syn::Ident>()?;
                arms.push(input.parse::<Block>()?);
            }
            Ok(arms)
        })
        .ok()?;
    let n = arms.len();
    let cases = arms
        .iter()
        .enumerate()
        .map(|(i, b)| quote!(::core::option::Option::Some(#i) => #b));
    Some(parse_quote! {
        match ::lamport::__private::Choices::pick(#choices, #n) {
            #(#cases)*
            _ => return 0,
        }
    })
}

/// Replaces `assert!(c, "msg")` by `if !(c) { panic!("{}", "msg") }`, so that its arithmetic
/// is checked like the rest of the body and its failure is a model error with `msg`.
pub fn asserts_to_panics(block: &mut Block) {
    struct R;
    impl VisitMut for R {
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            let mac = match stmt {
                Stmt::Macro(m) if m.mac.path.is_ident("assert") => Some(m.mac.clone()),
                Stmt::Expr(Expr::Macro(m), _) if m.mac.path.is_ident("assert") => {
                    Some(m.mac.clone())
                }
                _ => None,
            };
            if let Some(mac) = mac {
                let parsed = mac.parse_body_with(|input: syn::parse::ParseStream| {
                    let c: Expr = input.parse()?;
                    input.parse::<syn::Token![,]>()?;
                    let m: syn::LitStr = input.parse()?;
                    Ok((c, m))
                });
                if let Ok((c, m)) = parsed {
                    *stmt = parse_quote! { if !(#c) { ::core::panic!("{}", #m); } };
                }
            }
            visit_mut::visit_stmt_mut(self, stmt);
        }
    }
    R.visit_block_mut(block);
}

/// Whether an action's body (in the IR) chooses: a `choose!` or `either!` among its statements,
/// at any depth of its blocks.
pub fn ir_chooses(b: &lamport_ir::Block) -> bool {
    use lamport_ir::{ExprKind, Stmt as S};
    fn expr(e: &lamport_ir::Expr) -> bool {
        match &e.kind {
            ExprKind::If { then, els, .. } => ir_chooses(then) || els.as_deref().is_some_and(expr),
            ExprKind::Match { arms, .. } => arms.iter().any(|a| expr(&a.body)),
            ExprKind::Block(b) => ir_chooses(b),
            _ => false,
        }
    }
    b.stmts.iter().any(|st| match st {
        S::Choose { .. } | S::Either { .. } => true,
        S::Expr(e) => expr(e),
        _ => false,
    }) || b.tail.as_deref().is_some_and(expr)
}
