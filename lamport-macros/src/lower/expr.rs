//! Expressions, method calls, closures and calls.

use lamport_ir::{ops, Arm, Expr, ExprKind, Lit, UnOp};

use super::{binop, is_compound, outer_type_name, path_segments, BodyKind, Lowerer};

impl Lowerer<'_> {
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

    pub(super) fn method_call(&self, m: &syn::ExprMethodCall) -> ExprKind {
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

    pub(super) fn closure(&self, e: &syn::Expr, c: &syn::ExprClosure) -> Expr {
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

    pub(super) fn call(&self, e: &syn::Expr, c: &syn::ExprCall) -> Expr {
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
}
