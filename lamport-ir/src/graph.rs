//! The call graph of a model's helpers, from the resolved IR: which helpers each body calls,
//! which are recursive, and an order in which every helper comes after the helpers it calls
//! (TLA+ requires a definition before its use; a recursive group is declared `RECURSIVE` first).

use std::collections::{BTreeMap, BTreeSet};

use crate::{Block, Expr, ExprKind, Model, Operator, Stmt};

/// Every helper called (directly) in `block`.
pub fn callees(block: &Block) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    walk_block(block, &mut |e| {
        if let ExprKind::Helper { name, .. } = &e.kind {
            out.insert(name.clone());
        }
    });
    out
}

/// Every helper called (directly) by `op`: in its body and its parameters' domains.
pub fn operator_callees(op: &Operator) -> BTreeSet<String> {
    let mut out = callees(&op.body);
    for p in &op.params {
        if let Some(d) = &p.domain {
            walk_expr(d, &mut |e| {
                if let ExprKind::Helper { name, .. } = &e.kind {
                    out.insert(name.clone());
                }
            });
        }
    }
    out
}

/// Calls `f` on every expression of `block`, outer before inner.
pub fn walk_block<'a>(block: &'a Block, f: &mut dyn FnMut(&'a Expr)) {
    for st in &block.stmts {
        match st {
            Stmt::Let { init, .. } => walk_expr(init, f),
            Stmt::Require(e) | Stmt::RequireWitnesses(e) | Stmt::Expr(e) => walk_expr(e, f),
            Stmt::Assign { place, value, .. } => {
                walk_expr(place, f);
                walk_expr(value, f);
            }
            Stmt::Choose { domain, .. } => walk_expr(domain, f),
            Stmt::Either { arms, .. } => arms.iter().for_each(|b| walk_block(b, f)),
            Stmt::Assert { cond, .. } => walk_expr(cond, f),
        }
    }
    if let Some(t) = &block.tail {
        walk_expr(t, f);
    }
}

/// Calls `f` on `e` and every expression inside it, outer before inner.
pub fn walk_expr<'a>(e: &'a Expr, f: &mut dyn FnMut(&'a Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Lit(_)
        | ExprKind::Path(_)
        | ExprKind::Local(_)
        | ExprKind::Var { .. }
        | ExprKind::Const(_)
        | ExprKind::State { .. }
        | ExprKind::Config
        | ExprKind::Variant { .. }
        | ExprKind::NoneValue => {}
        ExprKind::Field(a, _)
        | ExprKind::TupleField(a, _)
        | ExprKind::Unary(_, a)
        | ExprKind::Ref(a)
        | ExprKind::Deref(a)
        | ExprKind::Some(a)
        | ExprKind::Cast { expr: a, .. } => walk_expr(a, f),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            walk_expr(a, f);
            walk_expr(b, f);
        }
        ExprKind::Range { from, to, .. } => {
            walk_expr(from, f);
            walk_expr(to, f);
        }
        ExprKind::If { cond, then, els } => {
            walk_expr(cond, f);
            walk_block(then, f);
            if let Some(e) = els {
                walk_expr(e, f);
            }
        }
        ExprKind::LetCond { scrutinee, .. } => walk_expr(scrutinee, f),
        ExprKind::Match { scrutinee, arms } => {
            walk_expr(scrutinee, f);
            for a in arms {
                if let Some(g) = &a.guard {
                    walk_expr(g, f);
                }
                walk_expr(&a.body, f);
            }
        }
        ExprKind::Block(b) => walk_block(b, f),
        ExprKind::MethodCall { receiver, args, .. } => {
            walk_expr(receiver, f);
            args.iter().for_each(|a| walk_expr(a, f));
        }
        ExprKind::Call { args, .. }
        | ExprKind::Helper { args, .. }
        | ExprKind::Construct { args, .. }
        | ExprKind::Tuple(args)
        | ExprKind::Array(args) => args.iter().for_each(|a| walk_expr(a, f)),
        ExprKind::Closure { body, .. } => walk_expr(body, f),
        ExprKind::Struct { fields, rest, .. } => {
            fields.iter().for_each(|(_, v)| walk_expr(v, f));
            if let Some(r) = rest {
                walk_expr(r, f);
            }
        }
        ExprKind::Record { fields, .. } => fields.iter().for_each(|(_, v)| walk_expr(v, f)),
    }
}

/// The helpers in definition order: strongly connected components of the call graph, callees
/// before callers, each component in source order. A component of several helpers, or of one
/// that calls itself, is recursive.
pub fn helper_groups(ir: &Model) -> Vec<Group> {
    let index: BTreeMap<&str, usize> = ir
        .helpers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = ir
        .helpers
        .iter()
        .map(|h| {
            operator_callees(h)
                .iter()
                .filter_map(|c| index.get(c.as_str()).copied())
                .collect()
        })
        .collect();
    // Tarjan's algorithm emits components callees-first (a component is finished only after
    // every component it reaches).
    let mut comps = tarjan(&edges);
    for c in &mut comps {
        c.sort_unstable();
    }
    comps
        .into_iter()
        .map(|members| {
            let recursive = members.len() > 1 || edges[members[0]].contains(&members[0]);
            Group { members, recursive }
        })
        .collect()
}

/// One strongly connected component of the helpers' call graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Indices into `Model::helpers`, in source order.
    pub members: Vec<usize>,
    /// Whether the members call each other (or the one member calls itself).
    pub recursive: bool,
}

/// Names of the helpers that are recursive (alone or with others).
pub fn recursive_helpers(ir: &Model) -> BTreeSet<String> {
    helper_groups(ir)
        .into_iter()
        .filter(|g| g.recursive)
        .flat_map(|g| g.members)
        .map(|i| ir.helpers[i].name.clone())
        .collect()
}

fn tarjan(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    struct St<'a> {
        edges: &'a [Vec<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(st: &mut St<'_>, v: usize) {
        st.index[v] = Some(st.next);
        st.low[v] = st.next;
        st.next += 1;
        st.stack.push(v);
        st.on[v] = true;
        for &w in &st.edges[v] {
            match st.index[w] {
                None => {
                    visit(st, w);
                    st.low[v] = st.low[v].min(st.low[w]);
                }
                Some(iw) if st.on[w] => st.low[v] = st.low[v].min(iw),
                _ => {}
            }
        }
        if Some(st.low[v]) == st.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = st.stack.pop().expect("on the stack");
                st.on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            st.out.push(comp);
        }
    }
    let n = edges.len();
    let mut st = St {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if st.index[v].is_none() {
            visit(&mut st, v);
        }
    }
    st.out
}

#[cfg(test)]
mod tests {
    use super::tarjan;

    #[test]
    fn components_come_callees_first() {
        // 0 -> 1 -> 2 -> 1, 3 -> 3, 4 alone
        let edges = vec![vec![1], vec![2], vec![1], vec![3], vec![]];
        let mut comps = tarjan(&edges);
        for c in &mut comps {
            c.sort();
        }
        assert_eq!(comps, vec![vec![1, 2], vec![0], vec![3], vec![4]]);
    }
}
