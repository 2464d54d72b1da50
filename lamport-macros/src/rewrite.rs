//! Rewrites of user bodies for the checkable Rust model: `require!` becomes an early exit, and
//! integer arithmetic becomes checked (an overflow is a model error, never a silent wrap).

use quote::quote;
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{parse_quote, parse_quote_spanned, Block, Expr, Stmt};

use crate::lower::is_compound;

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

/// Replaces `require_witnesses!(c);` by `ways = ways * W(c); if ways == 0 { return 0; }`,
/// where `W(c)` counts the ways `c` holds (see [`ways`]).
pub fn witnesses_to_ways(block: &mut Block, counter: &syn::Ident) {
    struct R<'a>(&'a syn::Ident);
    impl VisitMut for R<'_> {
        fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
            let cond = match stmt {
                Stmt::Macro(m) if m.mac.path.is_ident("require_witnesses") => {
                    m.mac.parse_body::<Expr>().ok()
                }
                Stmt::Expr(Expr::Macro(m), _) if m.mac.path.is_ident("require_witnesses") => {
                    m.mac.parse_body::<Expr>().ok()
                }
                _ => None,
            };
            if let Some(cond) = cond {
                let w = ways(&cond);
                let counter = self.0;
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
    R(counter).visit_block_mut(block);
}

/// A `u64` expression counting the ways `e` holds as TLC counts a conjunct: `a || b` adds,
/// `a && b` multiplies (stopping at zero), `it.any(|x| p)` sums over the elements,
/// `it.all(|x| p)` multiplies (stopping at zero), `if c { a } else { b }` takes a branch;
/// anything else holds one way or none. The exporter mirrors this structure (lamport-tla-export's
/// `opaque_leaves`), so TLC counts the same successors.
pub fn ways(e: &Expr) -> Expr {
    match e {
        Expr::Paren(p) => ways(&p.expr),
        Expr::Group(g) => ways(&g.expr),
        // `{ e }`, as rustfmt writes a long closure body: the translation takes its value.
        Expr::Block(b) if b.label.is_none() => match b.block.stmts.as_slice() {
            [Stmt::Expr(inner, None)] => ways(inner),
            _ => atomic(e),
        },
        Expr::Binary(b) if matches!(b.op, syn::BinOp::Or(_)) => {
            let (l, r) = (ways(&b.left), ways(&b.right));
            parse_quote! { (#l) + (#r) }
        }
        Expr::Binary(b) if matches!(b.op, syn::BinOp::And(_)) => {
            let (l, r) = (ways(&b.left), ways(&b.right));
            parse_quote! { { let __w: u64 = #l; if __w == 0 { 0 } else { __w * (#r) } } }
        }
        Expr::MethodCall(m) if (m.method == "any" || m.method == "all") && m.args.len() == 1 => {
            let Expr::Closure(c) = &m.args[0] else {
                return atomic(e);
            };
            let recv = &m.receiver;
            let params = &c.inputs;
            let body = ways(&c.body);
            if m.method == "any" {
                parse_quote! { (#recv).map(|#params| -> u64 { #body }).sum::<u64>() }
            } else {
                parse_quote! {
                    (#recv)
                        .try_fold(1u64, |__acc: u64, #params| {
                            let __w: u64 = #body;
                            if __w == 0 { ::core::option::Option::None } else { ::core::option::Option::Some(__acc * __w) }
                        })
                        .unwrap_or(0)
                }
            }
        }
        Expr::If(i) => {
            let tail_of = |b: &Block| -> Option<Expr> {
                match b.stmts.as_slice() {
                    [Stmt::Expr(e, None)] => Some(e.clone()),
                    _ => None,
                }
            };
            let els = match &i.else_branch {
                Some((_, e)) => match &**e {
                    Expr::Block(b) => tail_of(&b.block),
                    other @ Expr::If(_) => Some(other.clone()),
                    _ => None,
                },
                None => None,
            };
            match (tail_of(&i.then_branch), els) {
                (Some(t), Some(f)) => {
                    let (c, t, f) = (&i.cond, ways(&t), ways(&f));
                    parse_quote! { if #c { #t } else { #f } }
                }
                _ => atomic(e),
            }
        }
        _ => atomic(e),
    }
}

fn atomic(e: &Expr) -> Expr {
    parse_quote! { if #e { 1u64 } else { 0u64 } }
}
