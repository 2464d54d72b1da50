//! Function bodies → IR, refusing every construct outside the modelling language's subset with
//! an error on the offending token that says what to write instead: statements ([`stmt`]),
//! expressions ([`expr`]) and patterns ([`pat`]), each node with the span of its tokens
//! ([`Nodes`]).

mod expr;
mod pat;
mod stmt;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::{BinOp, Expr, ExprKind, Lit, NodeId};
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
