//! Expressions: each resolved form of the IR and its one TLA+ translation.

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{BinOp, Block, Expr, ExprKind, Lit, Stmt, Type, UnOp};

use super::{fail, Bind, Cx, Scope, R};

impl Cx<'_> {
    pub(crate) fn expr(&self, e: &Expr, sc: &Scope) -> R<T> {
        match &e.kind {
            ExprKind::Lit(Lit::Bool(b)) => Ok(T::Bool(*b)),
            ExprKind::Lit(Lit::Int(n)) => {
                self.uses(StdModule::Integers);
                Ok(T::Num(*n))
            }
            ExprKind::Local(n) => match sc.lookup(n) {
                Some(Bind::Val(t)) => Ok(t.clone()),
                None => fail(e.id, format!("`{n}` is not bound here")),
            },
            ExprKind::Var { field, next } => {
                let Some(f) = self.state_field(field) else {
                    return fail(e.id, format!("`{field}` is not a state variable"));
                };
                if *next {
                    return Ok(T::Primed(f.tla.clone()));
                }
                self.touched.borrow_mut().push(field.clone());
                Ok(sc
                    .cur
                    .get(field)
                    .cloned()
                    .unwrap_or_else(|| T::name(&f.tla)))
            }
            ExprKind::Const(field) => match self.const_field(field) {
                Some(f) => Ok(T::name(&f.tla)),
                None => fail(e.id, format!("`{field}` is not a constant")),
            },
            ExprKind::State { .. } => fail(
                e.id,
                "the whole state is used as a value: read its fields (`s.field`)",
            ),
            ExprKind::Config => fail(
                e.id,
                "the whole constants struct is used as a value: read its fields (`c.field`)",
            ),
            ExprKind::Variant { ty, variant } => Ok(self.unit_variant(ty, variant)),
            ExprKind::NoneValue => Ok(T::empty_tuple()),
            ExprKind::Field(base, f) => Ok(T::Dot(
                Box::new(self.expr(base, sc)?),
                self.ir.field_name_of(base.ty.as_ref(), f),
            )),
            ExprKind::TupleField(base, i) => {
                Ok(T::app(self.expr(base, sc)?, T::Num(*i as i128 + 1)))
            }
            ExprKind::Index(base, idx) => {
                let b = self.expr(base, sc)?;
                match base.ty {
                    Some(Type::Seq(_)) => {
                        self.uses(StdModule::Integers);
                        Ok(T::app(
                            b,
                            lamport_ir::ops::plus_one(self.seq_index(idx, sc)?),
                        ))
                    }
                    _ => Ok(T::app(b, self.expr(idx, sc)?)),
                }
            }
            ExprKind::Unary(UnOp::Not, a) => Ok(T::negate(self.expr(a, sc)?)),
            ExprKind::Unary(UnOp::Neg, a) => {
                self.uses(StdModule::Integers);
                let t = T::Neg(Box::new(self.expr(a, sc)?));
                Ok(self.checked_int(t, e.ty.as_ref(), false))
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e, sc),
            ExprKind::If { cond, then, els } => {
                let Some(els) = els else {
                    return fail(e.id, "an `if` used as a value needs an `else` branch");
                };
                let (c, then_sc) = self.condition(cond, sc)?;
                let t = self.block_value(then, &then_sc)?;
                let f = self.expr(els, sc)?;
                Ok(T::if_(c, t, f))
            }
            ExprKind::LetCond { .. } => fail(
                e.id,
                "`let` conditions are translated only as the condition of an `if let`",
            ),
            ExprKind::Match { scrutinee, arms } => self.match_expr(scrutinee, arms, sc),
            ExprKind::Block(b) => self.block_value(b, sc),
            ExprKind::MethodCall { .. } => self.method(e, sc),
            ExprKind::Helper { name, args } => self.helper_call(e, name, args, sc),
            ExprKind::Some(a) => Ok(T::Tuple(vec![self.expr(a, sc)?])),
            ExprKind::Construct {
                container,
                func,
                args,
            } => self.construct(e, container, func, args, sc),
            ExprKind::Closure { .. } => fail(
                e.id,
                "a closure is translated only as the argument of an iterator method",
            ),
            ExprKind::Record {
                ty,
                variant,
                fields,
            } => {
                let mut out = Vec::new();
                if let Some(v) = variant {
                    out.push(("type".to_string(), T::Str(self.ir.variant_tag(ty, v))));
                }
                for (f, v) in fields {
                    let name = self.ir.record_field_name(ty, variant.as_deref(), f);
                    out.push((name, self.expr(v, sc)?));
                }
                Ok(T::Record(out))
            }
            ExprKind::Tuple(items) => Ok(T::Tuple(
                items
                    .iter()
                    .map(|it| self.expr(it, sc))
                    .collect::<R<Vec<_>>>()?,
            )),
            ExprKind::Range {
                from,
                to,
                inclusive,
            } => {
                self.uses(StdModule::Integers);
                let a = self.expr(from, sc)?;
                let b = self.expr(to, sc)?;
                let hi = if *inclusive {
                    b
                } else {
                    lamport_ir::ops::minus_one(b)
                };
                Ok(T::infix("..", a, hi))
            }
            ExprKind::Array(items) => Ok(T::SetEnum(
                items
                    .iter()
                    .map(|it| self.expr(it, sc))
                    .collect::<R<Vec<_>>>()?,
            )),
            ExprKind::Cast { expr, .. } => {
                let t = self.expr(expr, sc)?;
                Ok(self.checked_cast(t, expr.ty.as_ref(), e.ty.as_ref()))
            }
            ExprKind::Path(_)
            | ExprKind::Call { .. }
            | ExprKind::Struct { .. }
            | ExprKind::Ref(_)
            | ExprKind::Deref(_) => fail(
                e.id,
                "an unresolved name reached the exporter (a bug in lamport: please report it)",
            ),
        }
    }

    /// A 0-based position into a sequence. A position below zero is outside every sequence,
    /// which TLC reports itself, so a subtraction here needs no range check.
    pub(crate) fn seq_index(&self, idx: &Expr, sc: &Scope) -> R<T> {
        if let ExprKind::Binary(BinOp::Sub, a, b) = &idx.kind {
            self.uses(StdModule::Integers);
            return Ok(T::infix("-", self.expr(a, sc)?, self.expr(b, sc)?));
        }
        self.expr(idx, sc)
    }

    /// The value of a unit variant: a string for an enum of unit variants, a record with only
    /// its `type` for an enum with fields.
    pub(crate) fn unit_variant(&self, ty: &str, variant: &str) -> T {
        let tag = T::Str(self.ir.variant_tag(ty, variant));
        if self.is_unit_enum(ty) {
            tag
        } else {
            T::Record(vec![("type".into(), tag)])
        }
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, whole: &Expr, sc: &Scope) -> R<T> {
        use BinOp::*;
        match op {
            Or if !self.literal_or.get() && matches!(a.kind, ExprKind::Unary(UnOp::Not, _)) => {
                // `!p || q` is the implication `p => q`, as a spec writes it.
                let ExprKind::Unary(_, p) = &a.kind else {
                    unreachable!()
                };
                Ok(T::Implies(
                    Box::new(self.expr(p, sc)?),
                    Box::new(self.expr(b, sc)?),
                ))
            }
            And => Ok(T::and(vec![self.expr(a, sc)?, self.expr(b, sc)?])),
            Or => Ok(T::or(vec![self.expr(a, sc)?, self.expr(b, sc)?])),
            Eq | Ne => Ok(T::infix(
                if op == Eq { "=" } else { "#" },
                self.expr(a, sc)?,
                self.expr(b, sc)?,
            )),
            Lt | Le | Gt | Ge => {
                self.uses(StdModule::Integers);
                let sym = match op {
                    Lt => "<",
                    Le => "<=",
                    Gt => ">",
                    _ => ">=",
                };
                Ok(T::infix(sym, self.expr(a, sc)?, self.expr(b, sc)?))
            }
            Add | Sub | Mul | Div | Rem => {
                self.uses(StdModule::Integers);
                let (x, y) = (self.expr(a, sc)?, self.expr(b, sc)?);
                Ok(self.arith(op, x, y, whole.ty.as_ref()))
            }
        }
    }

    /// A block's value: its `let`s become a `LET`.
    pub(crate) fn block_value(&self, b: &Block, sc: &Scope) -> R<T> {
        let mut inner = sc.clone();
        let mut defs = Vec::new();
        // `assert!`s: each wraps what follows it, with the `LET`s before it.
        let mut checks: Vec<Check> = Vec::new();
        for st in &b.stmts {
            match st {
                Stmt::Let { pat, init, .. } => {
                    let t = self.expr(init, &inner)?;
                    self.bind_let(pat, t, init.id, &mut inner, &mut defs)?;
                }
                Stmt::Assert { cond, msg } => {
                    let c = self.expr(cond, &inner)?;
                    self.uses(StdModule::Tlc);
                    checks.push((std::mem::take(&mut defs), c, msg.clone()));
                }
                other => {
                    return fail(
                        stmt_id(other),
                        "a block used as a value may contain only `let`s and `assert!`s before its value",
                    )
                }
            }
        }
        let Some(tail) = &b.tail else {
            return fail(0, "this block has no value: end it with an expression");
        };
        let t = self.expr(tail, &inner)?;
        let mut value = if defs.is_empty() {
            t
        } else {
            T::Let(defs, Box::new(t))
        };
        // `IF c THEN value ELSE Assert(FALSE, "msg")`: the value where the assertion holds, TLC's
        // assertion failure where it does not.
        for (defs, c, msg) in checks.into_iter().rev() {
            let fail = T::Apply("Assert".into(), vec![T::Bool(false), T::Str(msg)]);
            value = T::if_(c, value, fail);
            if !defs.is_empty() {
                value = T::Let(defs, Box::new(value));
            }
        }
        Ok(value)
    }

    /// A parameter's domain as a TLA+ set: a set as it is, a range `a..b`, an array `{a, b}`
    /// (a set: duplicates count once, as lamport draws each value once), the elements of a
    /// sequence, or the elements an iterator chain yields.
    pub(crate) fn domain_set(&self, d: &Expr, sc: &Scope) -> R<T> {
        match &d.ty {
            Some(Type::Seq(_)) => {
                self.uses(StdModule::Sequences);
                let q = self.expr(d, sc)?;
                let i = self.fresh("i", sc);
                Ok(T::SetMap(
                    Box::new(T::app(q.clone(), T::name(&i))),
                    i,
                    Box::new(T::infix("..", T::Num(1), T::apply("Len", vec![q]))),
                ))
            }
            Some(Type::Iter(_)) if matches!(d.kind, ExprKind::MethodCall { .. }) => {
                match self.stream_of(d, sc)? {
                    Some(st) => Ok(self.elem_set(&st)),
                    None => self.expr(d, sc),
                }
            }
            _ => self.expr(d, sc),
        }
    }
}

/// An `assert!` in a block used as a value: the `LET`s before it, its condition and message.
type Check = (Vec<(String, T)>, T, String);

pub(crate) fn stmt_id(st: &Stmt) -> lamport_ir::NodeId {
    match st {
        Stmt::Let { init, .. } => init.id,
        Stmt::Require(e) | Stmt::RequireWitnesses(e) | Stmt::Expr(e) => e.id,
        Stmt::Assign { place, .. } => place.id,
        Stmt::Choose { domain, .. } => domain.id,
        Stmt::Either { id, .. } => *id,
        Stmt::Assert { cond, .. } => cond.id,
    }
}
