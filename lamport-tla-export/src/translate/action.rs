//! Actions and init, by symbolic execution: the statements run top to bottom over the current
//! symbolic value of each state variable; the result is the guards (with `LET`s for the body's
//! `let`s) and one `x' = e` per changed variable, `UNCHANGED` for the rest.
//!
//! As a hand-written spec reads: an `if` whose branches change variables that nothing after it
//! reads or changes becomes `IF c THEN /\ x' = a /\ y' = b ELSE ...` in place; otherwise each
//! variable it changes gets `x' = IF c THEN a ELSE b`. A variable changed twice has its
//! intermediate value named by a `LET` when the second change reads it, or gets one `EXCEPT`
//! with several clauses when it does not.

use std::collections::BTreeSet;

use lamport_ir::ops;
use lamport_ir::tla::{ExceptStep, T};
use lamport_ir::{BinOp, Block, Expr, ExprKind, Operator, Stmt, Type};

use super::expr::stmt_id;
use super::{fail, Cx, Scope, R};

/// One part of an action body, in order.
pub(crate) enum Item {
    /// A `require!`: one condition (written opaquely if TLC could branch on it).
    Guard(T),
    /// A `require_witnesses!`: a conjunct TLC enumerates, its atoms marked.
    Witness(T),
    Let(String, T),
    /// A conjunct that checks a fault (an `Assert`): never branching.
    Check(T),
    /// An `if` that changes variables, kept as branches when nothing after it reads or changes
    /// them (decided at the end).
    Branch(Box<Branch>),
}

pub(crate) struct Branch {
    cond: T,
    then_guard: T,
    else_guard: T,
    /// Each variable the `if` changes, with its value after each branch.
    values: Vec<(String, T, T)>,
    /// Where the log of variables read and written stood after the `if`.
    mark: usize,
}

impl Cx<'_> {
    pub(crate) fn action_body(&self, op: &Operator, mut sc: Scope) -> R<T> {
        if super::choice::block_chooses(&op.body) {
            return self.choice_body(op, sc);
        }
        let mark = self.touched.borrow().len();
        let mut items = Vec::new();
        self.exec_block(&op.body, &mut sc, &mut items, true)?;
        // A trailing `if`, `match` or block without `;` is a statement (executed above); any
        // other trailing expression would be a value.
        if let Some(tail) = &op.body.tail {
            if !matches!(
                tail.kind,
                ExprKind::If { .. }
                    | ExprKind::Match { .. }
                    | ExprKind::Block(_)
                    | ExprKind::MethodCall { .. }
            ) {
                return fail(
                    tail.id,
                    "an action's body ends with a statement, not a value",
                );
            }
        }
        let touched: Vec<String> = self.touched.borrow()[mark..].to_vec();
        let mut in_branches: BTreeSet<String> = BTreeSet::new();
        let mut resolved = Vec::new();
        for item in items {
            match item {
                Item::Branch(b) => {
                    let kept = !touched[b.mark - mark..]
                        .iter()
                        .any(|v| b.values.iter().any(|(n, _, _)| n == v));
                    if kept {
                        in_branches.extend(b.values.iter().map(|(n, _, _)| n.clone()));
                        resolved.push(Item::Branch(b));
                    } else if let Some(g) = merged_guard(b.cond, b.then_guard, b.else_guard) {
                        resolved.push(Item::Guard(g));
                    }
                }
                other => resolved.push(other),
            }
        }
        let mut assigns = Vec::new();
        let mut unchanged = Vec::new();
        for f in &self.ir.state.fields {
            if in_branches.contains(&f.name) {
                continue;
            }
            match sc.cur.get(&f.name) {
                Some(v) => assigns.push(T::infix("=", T::Primed(f.tla.clone()), v.clone())),
                None => unchanged.push(f.tla.clone()),
            }
        }
        if !unchanged.is_empty() {
            assigns.push(T::Unchanged(unchanged));
        }
        let items = self.finish_items(resolved);
        Ok(wrap_items(items, T::and(assigns)))
    }

    pub(crate) fn init_body(&self, op: &Operator, mut sc: Scope) -> R<T> {
        let mut items = Vec::new();
        for st in &op.body.stmts {
            match st {
                Stmt::Let { pat, init, .. } => {
                    let t = self.expr(init, &sc)?;
                    let mut defs = Vec::new();
                    self.bind_let(pat, t, init.id, &mut sc, &mut defs)?;
                    items.extend(defs.into_iter().map(|(n, v)| Item::Let(n, v)));
                }
                Stmt::Require(c) => items.push(Item::Guard(self.expr(c, &sc)?)),
                other => {
                    return fail(
                        stmt_id(other),
                        "init may contain `let`s and `require!`s before the state it returns",
                    )
                }
            }
        }
        let Some(tail) = &op.body.tail else {
            return fail(op.id, "init ends with the initial state: `State { .. }`");
        };
        let ExprKind::Record { fields, .. } = &tail.kind else {
            return fail(tail.id, "init ends with a literal of the state struct, `State { field: value, .. }` with every field");
        };
        let mut conj = Vec::new();
        for f in &self.ir.state.fields {
            let Some((_, e)) = fields.iter().find(|(n, _)| *n == f.name) else {
                return fail(tail.id, format!("init does not set `{}`", f.name));
            };
            conj.push(T::infix("=", T::name(&f.tla), self.expr(e, &sc)?));
        }
        let items = self.finish_items(items);
        Ok(wrap_items(items, T::and(conj)))
    }

    /// One statement of an action body, at its top level (see `choice`).
    pub(crate) fn exec_stmt(&self, st: &Stmt, sc: &mut Scope, items: &mut Vec<Item>) -> R<()> {
        self.exec(st, sc, items, true)
    }

    /// The items before a choice or the end of one way through a choosing action: every `if`
    /// written as the values it gives the variables, since each way assigns all of them.
    pub(crate) fn finish_choice_items(&self, items: Vec<Item>) -> Vec<Item> {
        let mut resolved = Vec::new();
        for item in items {
            match item {
                Item::Branch(b) => {
                    if let Some(g) = merged_guard(b.cond, b.then_guard, b.else_guard) {
                        resolved.push(Item::Guard(g));
                    }
                }
                other => resolved.push(other),
            }
        }
        self.finish_items(resolved)
    }

    /// Guards made opaque where TLC could branch (knowing which `LET`s could), witness atoms
    /// resolved, kept branches written out.
    fn finish_items(&self, items: Vec<Item>) -> Vec<Item> {
        let mut lets = BTreeSet::new();
        items
            .into_iter()
            .map(|it| match it {
                Item::Guard(g) => Item::Guard(self.opaque(g, &lets)),
                Item::Witness(g) => Item::Guard(self.resolve_atoms(g, &lets)),
                Item::Let(n, v) => {
                    if self.may_branch(&v, &lets, 0) {
                        lets.insert(n.clone());
                    }
                    Item::Let(n, v)
                }
                Item::Check(c) => Item::Check(c),
                Item::Branch(b) => Item::Guard(self.branch_tla(*b, &lets)),
            })
            .collect()
    }

    /// `IF c THEN /\ g /\ x' = a ... ELSE ...`
    fn branch_tla(&self, b: Branch, lets: &BTreeSet<String>) -> T {
        let arm = |guard: T, pick: &dyn Fn(&(String, T, T)) -> T| -> T {
            let mut conj = vec![self.opaque(guard, lets)];
            let mut unchanged = Vec::new();
            for v in &b.values {
                let tla = self
                    .state_field(&v.0)
                    .map(|f| f.tla.clone())
                    .unwrap_or_default();
                let value = pick(v);
                if value == T::name(&tla) {
                    unchanged.push(tla);
                } else {
                    conj.push(T::infix("=", T::Primed(tla), value));
                }
            }
            if !unchanged.is_empty() {
                conj.push(T::Unchanged(unchanged));
            }
            T::and(conj)
        };
        let t = arm(b.then_guard, &|v| v.1.clone());
        let e = arm(b.else_guard, &|v| v.2.clone());
        T::if_(b.cond, t, e)
    }

    pub(crate) fn exec_block(
        &self,
        b: &Block,
        sc: &mut Scope,
        items: &mut Vec<Item>,
        top: bool,
    ) -> R<()> {
        for st in &b.stmts {
            self.exec(st, sc, items, top)?;
        }
        if let Some(t) = &b.tail {
            self.exec_expr(t, sc, items, top)?;
        }
        Ok(())
    }

    fn exec(&self, st: &Stmt, sc: &mut Scope, items: &mut Vec<Item>, top: bool) -> R<()> {
        match st {
            Stmt::Let { pat, init, .. } => {
                let t = self.expr(init, sc)?;
                note_strict_reads(init, sc);
                if top {
                    let mut defs = Vec::new();
                    self.bind_let(pat, t, init.id, sc, &mut defs)?;
                    items.extend(defs.into_iter().map(|(n, v)| Item::Let(n, v)));
                } else if self.pattern(pat, &t, sc, init.id)?.is_some() {
                    // Inside a branch a `let` is substituted: the branch's value must be closed.
                    return fail(init.id, "a `let` pattern must always match");
                }
                Ok(())
            }
            Stmt::Require(c) => {
                items.push(Item::Guard(self.expr(c, sc)?));
                note_strict_reads(c, sc);
                Ok(())
            }
            Stmt::RequireWitnesses(c) => {
                items.push(Item::Witness(self.witness_tla(c, sc)?));
                Ok(())
            }
            Stmt::Assign { place, op, value } => {
                // Rust evaluates the value first (and, for `+=`, reads the place). The place's
                // own read is noted only after the write: in the export it is inside the
                // `EXCEPT`'s new value, which TLC does not evaluate for a key outside the
                // domain, so it vouches for nothing and the write keeps its domain check.
                note_strict_reads(value, sc);
                let (root, path) = self.place(place, sc)?;
                let new = match op {
                    None => self.expr(value, sc)?,
                    Some(op) => {
                        let cur = self.read_place(&root, &path, sc);
                        let v = self.expr(value, sc)?;
                        if !matches!(
                            op,
                            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
                        ) {
                            return fail(
                                place.id,
                                "only arithmetic compound assignments are translated",
                            );
                        }
                        self.uses(lamport_ir::names::StdModule::Integers);
                        self.arith(*op, cur, v, place.ty.as_ref())
                    }
                };
                self.write_place(&root, path, new, place, sc, items, top)?;
                if op.is_some() {
                    note_strict_reads(place, sc);
                }
                Ok(())
            }
            Stmt::Expr(e) => self.exec_expr(e, sc, items, top),
            Stmt::Assert { cond, msg } => {
                note_strict_reads(cond, sc);
                items.push(Item::Check(self.assertion(cond, msg, sc)?));
                Ok(())
            }
            Stmt::Choose { domain, .. } => fail(
                domain.id,
                "`choose!` belongs in the statements of an action, not in a block used as a value",
            ),
            Stmt::Either { id, .. } => fail(
                *id,
                "`either!` belongs in the statements of an action, not in a block used as a value",
            ),
        }
    }

    fn exec_expr(&self, e: &Expr, sc: &mut Scope, items: &mut Vec<Item>, top: bool) -> R<()> {
        match &e.kind {
            ExprKind::MethodCall { receiver, .. } if self.entry(e).is_ok_and(|m| m.mutates) => {
                let (root, path) = self.place(receiver, sc)?;
                if matches!(receiver.ty, Some(Type::Map(..))) {
                    // Keys added or removed: what was read before no longer vouches for a key.
                    sc.read_keys.retain(|(v, _)| *v != root);
                }
                let cur = self.read_place(&root, &path, sc);
                let new = self.mutation(e, cur, sc)?;
                self.write_place(&root, path, new, receiver, sc, items, top)
            }
            ExprKind::If { cond, then, els } => {
                self.exec_if(cond, then, els.as_deref(), sc, items, top)
            }
            ExprKind::Block(b) => {
                let mut inner = sc.clone();
                self.exec_block(b, &mut inner, items, false)?;
                sc.inner_binders.extend(inner.inner_binders);
                sc.cur = inner.cur;
                Ok(())
            }
            ExprKind::Match { scrutinee, arms } => {
                // As a chain of `if let`s.
                let mut chain: Option<Expr> = None;
                for arm in arms.iter().rev() {
                    if arm.guard.is_some() {
                        return fail(
                            arm.body.id,
                            "match guards in statement position have no translation: use `if`",
                        );
                    }
                    let body = Block {
                        stmts: vec![Stmt::Expr(arm.body.clone())],
                        tail: None,
                    };
                    let cond = Expr {
                        id: arm.body.id,
                        ty: Some(Type::Bool),
                        kind: ExprKind::LetCond {
                            pat: arm.pat.clone(),
                            scrutinee: scrutinee.clone(),
                        },
                    };
                    chain = Some(Expr {
                        id: e.id,
                        ty: None,
                        kind: ExprKind::If {
                            cond: Box::new(cond),
                            then: body,
                            els: chain.map(Box::new),
                        },
                    });
                }
                match chain {
                    Some(c) => self.exec_expr(&c, sc, items, top),
                    None => Ok(()),
                }
            }
            // A pure expression statement has no effect.
            _ => Ok(()),
        }
    }

    fn exec_if(
        &self,
        cond: &Expr,
        then: &Block,
        els: Option<&Expr>,
        sc: &mut Scope,
        items: &mut Vec<Item>,
        top: bool,
    ) -> R<()> {
        let (c, then_sc) = self.condition(cond, sc)?;
        let before = sc.cur.clone();
        let mut t_sc = then_sc;
        let mut t_items = Vec::new();
        self.exec_block(then, &mut t_sc, &mut t_items, false)?;
        let mut e_sc = sc.clone();
        let mut e_items = Vec::new();
        if let Some(e) = els {
            self.exec_expr(e, &mut e_sc, &mut e_items, false)?;
        }
        // With a `require_witnesses!` in a branch, the merged guard counts its ways too: its
        // plain guards are atoms, its witness guards keep their structure.
        let witnessed = t_items
            .iter()
            .chain(&e_items)
            .any(|i| matches!(i, Item::Witness(_)));
        let guards = |items: Vec<Item>| -> T {
            T::and(
                items
                    .into_iter()
                    .filter_map(|i| match i {
                        Item::Guard(g) if witnessed => Some(T::Atom(Box::new(g))),
                        Item::Guard(g) | Item::Witness(g) | Item::Check(g) => Some(g),
                        Item::Let(..) | Item::Branch(_) => None,
                    })
                    .collect(),
            )
        };
        let merged = |g: T| {
            if witnessed {
                Item::Witness(g)
            } else {
                Item::Guard(g)
            }
        };
        let (tg, eg) = (guards(t_items), guards(e_items));
        // A branch that is always taken, or whose guard is `FALSE` (a `match` arm or `else`
        // that only disables the action), leaves the action the other branch: `c /\ g` and that
        // branch's assignments, as a hand-written spec says it.
        let only = if c == T::Bool(true) {
            Some((tg.clone(), t_sc.cur.clone()))
        } else if eg == T::Bool(false) {
            Some((T::and(vec![c.clone(), tg.clone()]), t_sc.cur.clone()))
        } else if tg == T::Bool(false) {
            Some((
                T::and(vec![T::negate(c.clone()), eg.clone()]),
                e_sc.cur.clone(),
            ))
        } else {
            None
        };
        if let Some((guard, cur)) = only {
            if guard != T::Bool(true) {
                items.push(merged(guard));
            }
            for v in cur.values() {
                sc.inner_binders.extend(v.binders());
            }
            sc.cur = cur;
            return Ok(());
        }
        let changed: BTreeSet<String> = t_sc
            .cur
            .keys()
            .chain(e_sc.cur.keys())
            .filter(|k| t_sc.cur.get(*k) != before.get(*k) || e_sc.cur.get(*k) != before.get(*k))
            .cloned()
            .collect();
        let old = |f: &str| -> T {
            before.get(f).cloned().unwrap_or_else(|| {
                T::name(
                    self.state_field(f)
                        .map(|x| x.tla.clone())
                        .unwrap_or_default(),
                )
            })
        };
        let mut values = Vec::new();
        for f in &changed {
            let tv = t_sc.cur.get(f).cloned().unwrap_or_else(|| old(f));
            let ev = e_sc.cur.get(f).cloned().unwrap_or_else(|| old(f));
            sc.set_current(f, T::if_(c.clone(), tv.clone(), ev.clone()));
            values.push((f.clone(), tv, ev));
        }
        let structured = top
            && !witnessed
            && !changed.is_empty()
            && (changed.len() >= 2 || tg != T::Bool(true) || eg != T::Bool(true));
        if structured {
            items.push(Item::Branch(Box::new(Branch {
                cond: c,
                then_guard: tg,
                else_guard: eg,
                values,
                mark: self.touched.borrow().len(),
            })));
        } else if tg != T::Bool(true) || eg != T::Bool(true) {
            items.push(merged(match &eg {
                T::Bool(true) => T::Implies(Box::new(c), Box::new(tg)),
                _ => T::if_(c, tg, eg),
            }));
        } else if changed.is_empty() {
            // Nothing depends on the condition (both branches leave the same values), but
            // Rust evaluated it: a fault in it is TLC's too.
            if let Some(e) = self.keep_evaluated(&c) {
                items.push(Item::Check(e));
            }
        }
        Ok(())
    }

    /// A place expression: the state variable (Rust name) it is rooted at, and the path into it
    /// (each step with the type it steps into, and for a key its expression).
    fn place<'e>(&self, e: &'e Expr, sc: &Scope) -> R<(String, Path<'e>)> {
        match &e.kind {
            ExprKind::Var { field, next: false } => Ok((field.clone(), vec![])),
            ExprKind::Field(base, f) => {
                let (root, mut path) = self.place(base, sc)?;
                path.push((ExceptStep::Field(self.ir.field_name_of(base.ty.as_ref(), f)), base.ty.clone(), None));
                Ok((root, path))
            }
            ExprKind::Index(base, idx) => {
                let (root, mut path) = self.place(base, sc)?;
                let k = match base.ty {
                    Some(Type::Seq(_)) => ops::plus_one(self.seq_index(idx, sc)?),
                    _ => self.expr(idx, sc)?,
                };
                path.push((ExceptStep::Key(k), base.ty.clone(), Some(&**idx)));
                Ok((root, path))
            }
            _ => fail(e.id, "assignments are translated to state variables and their parts (`s.f`, `s.f[k]`, `s.f.g`); local variables cannot be reassigned"),
        }
    }

    fn read_place(&self, root: &str, path: &Path<'_>, sc: &Scope) -> T {
        let mut t = self.current(root, sc);
        for (step, _, _) in path {
            t = match step {
                ExceptStep::Key(k) => T::app(t, k.clone()),
                ExceptStep::Field(f) => T::Dot(Box::new(t), f.clone()),
            };
        }
        t
    }

    fn current(&self, root: &str, sc: &Scope) -> T {
        sc.cur.get(root).cloned().unwrap_or_else(|| {
            T::name(
                self.state_field(root)
                    .map(|f| f.tla.clone())
                    .unwrap_or_default(),
            )
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn write_place(
        &self,
        root: &str,
        path: Path<'_>,
        new: T,
        place: &Expr,
        sc: &mut Scope,
        items: &mut Vec<Item>,
        top: bool,
    ) -> R<()> {
        self.touched.borrow_mut().push(root.to_string());
        // Writing an entry outside a map's domain (or past a sequence's end) is a model error in
        // lamport; TLA+'s EXCEPT would leave the function unchanged, so the export checks it.
        let mut prefix = self.current(root, sc);
        // The map depth of each step, while the path goes through map keys only.
        let mut depth = Some(0);
        let mut keys: Vec<&Expr> = Vec::new();
        for (step, ty, key) in &path {
            if let Some(k) = key {
                keys.push(k);
            }
            if let (ExceptStep::Key(k), Some(Type::Map(..) | Type::Seq(_))) = (step, ty) {
                let safe = matches!(ty, Some(Type::Map(..)))
                    && depth.is_some_and(|d| self.key_in_fixed_domain(root, d, *key, &keys, sc));
                if !safe {
                    items.push(Item::Check(self.domain_check(
                        k.clone(),
                        prefix.clone(),
                        place,
                        ty.as_ref(),
                    )));
                }
            }
            depth = match (step, ty) {
                (ExceptStep::Key(_), Some(Type::Map(..))) => depth.map(|d| d + 1),
                _ => None,
            };
            prefix = match step {
                ExceptStep::Key(k) => T::app(prefix, k.clone()),
                ExceptStep::Field(f) => T::Dot(Box::new(prefix), f.clone()),
            };
        }
        // A whole new value vouches for nothing read before; an entry just written exists.
        if path.is_empty() {
            sc.read_keys.retain(|(v, _)| v != root);
        } else if path
            .iter()
            .all(|(_, ty, key)| key.is_some() && matches!(ty, Some(Type::Map(..))))
        {
            sc.read_keys.push((
                root.to_string(),
                keys.iter().map(|k| (*k).clone()).collect(),
            ));
        }
        let path: Vec<ExceptStep> = path.into_iter().map(|(s, _, _)| s).collect();
        let cur = self.current(root, sc);
        // A whole new value drops the one this action gave the variable before, unless it reads
        // it: Rust computed that value, so a fault in it is kept for TLC (`Evaluated`).
        if path.is_empty() && sc.cur.contains_key(root) && !contains_term(&new, &cur) {
            if let Some(e) = self.keep_evaluated(&cur) {
                items.push(Item::Check(e));
            }
        }
        let value = if path.is_empty() {
            new
        } else {
            match (&cur, sc.cur.contains_key(root)) {
                // A second change of a variable that does not read the first: one more clause.
                (T::Except(base, clauses), true) if !mentions_term(&new, &path, &cur) => {
                    let mut clauses = clauses.clone();
                    clauses.push((path, new));
                    T::Except(base.clone(), clauses)
                }
                // One that reads it: the intermediate value is named.
                (T::Except(..), true) if top => {
                    let tla = self
                        .state_field(root)
                        .map(|f| f.tla.clone())
                        .unwrap_or_default();
                    let n = self.bind_fresh(&tla, sc);
                    items.push(Item::Let(n.clone(), cur.clone()));
                    let named = T::name(&n);
                    let new = new.replace(&cur, &named);
                    let path = path
                        .into_iter()
                        .map(|s| match s {
                            ExceptStep::Key(k) => ExceptStep::Key(k.replace(&cur, &named)),
                            f => f,
                        })
                        .collect();
                    T::Except(Box::new(named), vec![(path, new)])
                }
                _ => T::Except(Box::new(cur), vec![(path, new)]),
            }
        };
        sc.set_current(root, value);
        Ok(())
    }
}

/// A path into a state variable: each step, the type it steps into, and a key's expression.
type Path<'e> = Vec<(ExceptStep, Option<Type>, Option<&'e Expr>)>;

impl Cx<'_> {
    /// Whether `key` is an action parameter drawn from the domain `root` always has at `depth`.
    ///
    /// Also when the key is a parameter drawn from the map's own keys (`m in s.msgs.domain()`)
    /// that this action has not changed yet, or when the map's domain is a constant holding
    /// every model value of the key's type.
    fn key_in_fixed_domain(
        &self,
        root: &str,
        depth: usize,
        key: Option<&Expr>,
        path_keys: &[&Expr],
        sc: &Scope,
    ) -> bool {
        let Some(key) = key.map(Expr::peeled) else {
            return false;
        };
        if read_before(root, depth, path_keys, sc) {
            return true;
        }
        let param_domain = |p: &str| -> Option<&Expr> {
            sc.params.iter().find_map(|(rust, tla, d)| {
                (rust == p
                    && matches!(sc.lookup(p), Some(super::Bind::Val(T::Name(n))) if n == tla))
                .then_some(d)
            })
        };
        if depth == 0 && !sc.cur.contains_key(root) {
            if let ExprKind::Local(p) = &key.kind {
                let own_keys = param_domain(p).is_some_and(|d| matches!(&d.peeled().kind, ExprKind::MethodCall { receiver, method, .. } if (method == "domain" || method == "keys") && matches!(&receiver.kind, ExprKind::Var { field, next: false } if field == root)));
                if own_keys {
                    return true;
                }
            }
        }
        let Some(domain) = self.map_domains.known(root, depth) else {
            return false;
        };
        if let ExprKind::Const(c) = &domain.peeled().kind {
            let elem = self.const_field(c).and_then(|f| f.ty.elem().cloned());
            if self.full_constants.contains(c) && elem.is_some() && key.ty == elem {
                return true;
            }
        }
        match &key.kind {
            ExprKind::Local(p) => param_domain(p).is_some_and(|d| super::domains::same(d, domain)),
            _ => false,
        }
    }
}

/// Whether the entry at `keys` (the first `depth + 1` of them) of `root` was read before.
fn read_before(root: &str, depth: usize, keys: &[&Expr], sc: &Scope) -> bool {
    if keys.len() < depth + 1 {
        return false;
    }
    sc.read_keys.iter().any(|(v, read)| {
        v == root
            && read.len() > depth
            && keys[..=depth]
                .iter()
                .zip(read)
                .all(|(a, b)| super::domains::same(a, b))
    })
}

/// Notes in `sc` the map entries `e` reads wherever it is evaluated: not under `&&`'s or `||`'s
/// right side, a branch, a closure or a helper's body.
fn note_strict_reads(e: &Expr, sc: &mut Scope) {
    fn entry(e: &Expr) -> Option<(String, Vec<Expr>)> {
        match &e.kind {
            ExprKind::Var { field, next: false } => Some((field.clone(), Vec::new())),
            ExprKind::Index(b, k) if matches!(b.ty, Some(Type::Map(..))) => {
                entry(b).map(|(v, mut ks)| {
                    ks.push((**k).clone());
                    (v, ks)
                })
            }
            _ => None,
        }
    }
    fn walk(e: &Expr, out: &mut Vec<(String, Vec<Expr>)>) {
        match &e.kind {
            ExprKind::Index(b, k) => {
                if let Some(found) = entry(e) {
                    out.push(found);
                }
                walk(b, out);
                walk(k, out);
            }
            ExprKind::Binary(lamport_ir::BinOp::And | lamport_ir::BinOp::Or, a, _) => walk(a, out),
            ExprKind::Binary(_, a, b) => {
                walk(a, out);
                walk(b, out);
            }
            ExprKind::Unary(_, a)
            | ExprKind::Field(a, _)
            | ExprKind::TupleField(a, _)
            | ExprKind::Some(a)
            | ExprKind::Cast { expr: a, .. } => walk(a, out),
            ExprKind::If { cond, .. } => walk(cond, out),
            ExprKind::Match { scrutinee, .. } => walk(scrutinee, out),
            ExprKind::MethodCall { receiver, args, .. } => {
                walk(receiver, out);
                for a in args {
                    if !matches!(a.kind, ExprKind::Closure { .. }) {
                        walk(a, out);
                    }
                }
            }
            ExprKind::Helper { args, .. }
            | ExprKind::Tuple(args)
            | ExprKind::Array(args)
            | ExprKind::Construct { args, .. } => args.iter().for_each(|a| walk(a, out)),
            ExprKind::Record { fields, .. } => fields.iter().for_each(|(_, v)| walk(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(e, &mut found);
    sc.read_keys.extend(found);
}

/// Whether the new value or the keys of a change mention the variable's current value.
fn mentions_term(new: &T, path: &[ExceptStep], cur: &T) -> bool {
    new.occurrences(cur) > 0
        || path
            .iter()
            .any(|s| matches!(s, ExceptStep::Key(k) if k.occurrences(cur) > 0))
}

/// The guard of an `if` written without its branches: `c => g`, `IF c THEN g1 ELSE g2`.
fn merged_guard(c: T, tg: T, eg: T) -> Option<T> {
    match (&tg, &eg) {
        (T::Bool(true), T::Bool(true)) => None,
        (_, T::Bool(true)) => Some(T::Implies(Box::new(c), Box::new(tg))),
        _ => Some(T::if_(c, tg, eg)),
    }
}

/// The items around the final conjunction: guards as conjuncts, `let`s as `LET`s enclosing
/// what follows them.
pub(crate) fn wrap_items(items: Vec<Item>, tail: T) -> T {
    let mut body = tail;
    let mut pending_lets: Vec<(String, T)> = Vec::new();
    for item in items.into_iter().rev() {
        match item {
            Item::Let(n, v) => pending_lets.push((n, v)),
            Item::Guard(g) | Item::Witness(g) | Item::Check(g) => {
                if !pending_lets.is_empty() {
                    pending_lets.reverse();
                    body = T::Let(std::mem::take(&mut pending_lets), Box::new(body));
                }
                body = T::and(vec![g, body]);
            }
            Item::Branch(_) => unreachable!("branches are written out before wrapping"),
        }
    }
    if !pending_lets.is_empty() {
        pending_lets.reverse();
        body = T::Let(pending_lets, Box::new(body));
    }
    body
}

/// Whether `part` occurs in `t`.
fn contains_term(t: &T, part: &T) -> bool {
    let mut found = false;
    t.visit(&mut |u| found |= u == part);
    found
}
