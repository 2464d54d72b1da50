//! Iterator chains (`s.iter().filter(..).map(..).count()`): a bound variable ranging over a
//! domain, the filters on it, and the element it yields, ended by a quantifier, a count, a
//! `collect`, a `min`/`max` or a `sum`.

use lamport_ir::names::StdModule;
use lamport_ir::ops::{StreamOp, Support, Tla};
use lamport_ir::tla::T;
use lamport_ir::{Expr, ExprKind, Pat, Type};

use super::{fail, Cx, Scope, R};

/// An iterator being translated.
#[derive(Clone)]
pub(crate) struct Stream {
    /// The bound variable.
    pub var: String,
    /// The set it ranges over.
    pub domain: T,
    /// Conjuncts over `var`.
    pub filters: Vec<T>,
    /// The current element, in terms of `var`.
    pub elem: T,
    /// The element's type.
    pub elem_ty: Option<Type>,
    /// Whether `var` ranges over the positions of a sequence (`elem` is `q[var]`): the elements
    /// keep their order and repetitions.
    pub positional: bool,
    /// For a positional stream, the sequence.
    pub seq: Option<T>,
    /// Whether the elements are the union of sets (`flat_map`): an element in several of them
    /// is one element of the TLA+ set, so counting them is refused.
    pub flattened: bool,
    /// The scope with `var` bound.
    pub scope: Scope,
}

impl Cx<'_> {
    /// The stream `e` denotes, if it is an iterator source or an adaptor chain.
    pub(crate) fn stream_of(&self, e: &Expr, sc: &Scope) -> R<Option<Stream>> {
        match &e.kind {
            ExprKind::Range { .. } => {
                let d = self.expr(e, sc)?;
                Ok(Some(self.source(
                    d,
                    e.ty.as_ref().and_then(Type::elem).cloned(),
                    "i",
                    sc,
                )))
            }
            ExprKind::Array(items) => {
                let elems = items
                    .iter()
                    .map(|x| self.expr(x, sc))
                    .collect::<R<Vec<_>>>()?;
                let ety = e.ty.as_ref().and_then(Type::elem).cloned();
                if self.positional_arrays.get() {
                    Ok(Some(self.positional(T::Tuple(elems), ety, sc)))
                } else {
                    Ok(Some(self.source(T::SetEnum(elems), ety, "x", sc)))
                }
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                ..
            } => {
                let m = self.entry(e)?;
                let Tla::Stream(op) = m.tla else {
                    return Ok(None);
                };
                match op {
                    StreamOp::Source => {
                        let r = self.expr(receiver, sc)?;
                        let ety = e.ty.as_ref().and_then(Type::elem).cloned();
                        Ok(Some(match (&receiver.ty, method.as_str()) {
                            (Some(Type::Set(_)), _) => self.source(r, ety, "x", sc),
                            (Some(Type::Map(..)), "keys") => {
                                self.source(T::apply("DOMAIN", vec![r]), ety, "k", sc)
                            }
                            (Some(Type::Map(..)), "values") => {
                                let mut st = self.source(T::apply("DOMAIN", vec![r.clone()]), ety, "k", sc);
                                st.elem = T::app(r, T::name(&st.var));
                                st
                            }
                            (Some(Type::Map(..)), _) => {
                                let mut st = self.source(T::apply("DOMAIN", vec![r.clone()]), ety, "k", sc);
                                st.elem = T::Tuple(vec![T::name(&st.var), T::app(r, T::name(&st.var))]);
                                st
                            }
                            (Some(Type::Seq(_)), _) => self.positional(r, ety, sc),
                            (other, _) => {
                                return fail(
                                    e.id,
                                    format!(
                                        "`.{method}()` on {} is not an iterator source",
                                        other.as_ref().map(Type::display).unwrap_or_default()
                                    ),
                                )
                            }
                        }))
                    }
                    StreamOp::Same => match self.stream_of(receiver, sc)? {
                        Some(st) => Ok(Some(st)),
                        None => fail(e.id, format!("`.{method}()` follows an iterator source (`.iter()`, a range, an array)")),
                    },
                    StreamOp::Filter | StreamOp::Map | StreamOp::FlatMap => {
                        let Some(st) = self.stream_of(receiver, sc)? else {
                            return fail(e.id, format!("`.{method}()` follows an iterator source (`.iter()`, a range, an array)"));
                        };
                        Ok(Some(self.stream_step(st, op, args, e)?))
                    }
                    _ => Ok(None),
                }
            }
            _ => Ok(None),
        }
    }

    /// A stream over the elements of the set `domain`.
    fn source(&self, domain: T, elem_ty: Option<Type>, want: &str, sc: &Scope) -> Stream {
        let mut scope = sc.clone();
        scope.avoid(&[&domain]);
        let var = self.bind_fresh(want, &mut scope);
        Stream {
            elem: T::name(&var),
            var,
            domain,
            filters: Vec::new(),
            elem_ty,
            positional: false,
            seq: None,
            flattened: false,
            scope,
        }
    }

    /// A stream over the positions of the sequence `q`.
    fn positional(&self, q: T, elem_ty: Option<Type>, sc: &Scope) -> Stream {
        self.uses(StdModule::Sequences);
        let mut scope = sc.clone();
        scope.avoid(&[&q]);
        let var = self.bind_fresh("i", &mut scope);
        Stream {
            elem: T::app(q.clone(), T::name(&var)),
            domain: T::infix("..", T::Num(1), T::apply("Len", vec![q.clone()])),
            var,
            filters: Vec::new(),
            elem_ty,
            positional: true,
            seq: Some(q),
            flattened: false,
            scope,
        }
    }

    /// The closure's body with its parameter bound to the stream's element.
    fn apply_closure(&self, st: &Stream, closure: &Expr) -> R<T> {
        let ExprKind::Closure { params, body } = &closure.kind else {
            return fail(closure.id, "an iterator method takes a closure `|x| ...`");
        };
        let mut inner = st.scope.clone();
        if let Some(p) = params.first() {
            if self.pattern(p, &st.elem, &mut inner, closure.id)?.is_some() {
                return fail(
                    closure.id,
                    "closure parameters are names or tuples of names",
                );
            }
        }
        self.expr(body, &inner)
    }

    /// Renames the bound variable to the closure's parameter name when the element is the
    /// variable itself, so `c.rm.iter().all(|r| ..)` reads `\A r \in Rm : ..`.
    pub(crate) fn rename_var(&self, mut st: Stream, closure: Option<&Expr>) -> Stream {
        let Some(ExprKind::Closure { params, .. }) = closure.map(|c| &c.kind) else {
            return st;
        };
        let Some(Pat::Ident(want)) = params.first() else {
            return st;
        };
        if st.elem != T::name(&st.var) || !st.filters.is_empty() || st.positional || st.var == *want
        {
            return st;
        }
        st.scope.bound.remove(&st.var);
        let fresh = self.bind_fresh(want, &mut st.scope);
        st.var = fresh.clone();
        st.elem = T::name(fresh);
        st
    }

    fn stream_step(&self, st: Stream, op: StreamOp, args: &[Expr], e: &Expr) -> R<Stream> {
        let Some(closure) = args.first() else {
            return fail(e.id, "this iterator method takes a closure");
        };
        let mut st = self.rename_var(st, Some(closure));
        match op {
            StreamOp::Filter => {
                let p = self.apply_closure(&st, closure)?;
                st.filters.push(p);
                Ok(st)
            }
            StreamOp::Map => {
                st.elem = self.apply_closure(&st, closure)?;
                st.elem_ty = e.ty.as_ref().and_then(Type::elem).cloned();
                Ok(st)
            }
            _ => {
                // flat_map(|x| set): the union of the sets, as a new stream.
                let sets = self.apply_closure(&st, closure)?;
                let union = T::apply(
                    "UNION",
                    vec![T::SetMap(
                        Box::new(sets),
                        st.var.clone(),
                        Box::new(filtered_domain(&st)),
                    )],
                );
                let mut next = self.source(
                    union,
                    e.ty.as_ref().and_then(Type::elem).cloned(),
                    "y",
                    &st.scope,
                );
                next.flattened = true;
                Ok(next)
            }
        }
    }

    /// `{x \in D : filters}` mapped by the element: the set of the stream's elements.
    pub(crate) fn elem_set(&self, st: &Stream) -> T {
        let dom = filtered_domain(st);
        if st.elem == T::name(&st.var) {
            dom
        } else {
            T::SetMap(Box::new(st.elem.clone()), st.var.clone(), Box::new(dom))
        }
    }

    /// The value of a call ending an iterator chain (`all`, `count`, `collect`, ...).
    pub(crate) fn stream_value(&self, e: &Expr, sc: &Scope) -> R<T> {
        let ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } = &e.kind
        else {
            return fail(e.id, "not a method call");
        };
        let m = self.entry(e)?;
        let Tla::Stream(op) = m.tla else {
            return fail(e.id, "not an iterator method");
        };
        // Counting and summing see every element, repetitions included: an array is then
        // taken by its positions.
        let needs_positions = matches!(op, StreamOp::Count | StreamOp::Sum)
            || (op == StreamOp::Collect && matches!(e.ty, Some(Type::Seq(_))));
        let was = self.positional_arrays.replace(needs_positions);
        let st = self.stream_of(receiver, sc);
        self.positional_arrays.set(was);
        let Some(st) = st? else {
            return fail(
                e.id,
                format!("`.{method}()` ends an iterator chain: write `.iter()` before it"),
            );
        };
        let st = self.rename_var(st, args.first());
        if let Some(module) = m.module {
            self.uses(module);
        }
        match op {
            StreamOp::All | StreamOp::Any => {
                let Some(closure) = args.first() else {
                    return fail(e.id, format!("`.{method}()` takes a closure"));
                };
                let p = self.apply_closure(&st, closure)?;
                Ok(quantify(&st, op == StreamOp::All, p))
            }
            StreamOp::Count => {
                if st.flattened {
                    return fail(e.id, "`.count()` after `flat_map` counts an element once per set holding it, which a TLA+ set cannot: collect the elements into a `Set` first (`.collect::<Set<_>>().len()`), or count per set");
                }
                self.uses(StdModule::FiniteSets);
                Ok(T::apply("Cardinality", vec![filtered_domain(&st)]))
            }
            StreamOp::Sum => {
                if st.flattened {
                    return fail(e.id, "`.sum()` after `flat_map` adds an element once per set holding it, which a TLA+ set cannot: sum per set instead");
                }
                let f = self.use_support(Support::Sum);
                Ok(T::apply(
                    &f,
                    vec![T::FnCons(st.var.clone(), Box::new(filtered_domain(&st)), Box::new(st.elem.clone()))],
                ))
            }
            StreamOp::Collect => match &e.ty {
                Some(Type::Set(_)) => Ok(self.elem_set(&st)),
                Some(Type::Map(..)) => {
                    let T::Tuple(kv) = &st.elem else {
                        return fail(e.id, "`collect()` into a `Map` is translated for `.map(|x| (x, value))`");
                    };
                    if kv.len() == 2 && kv[0] == T::name(&st.var) {
                        return Ok(T::FnCons(st.var.clone(), Box::new(filtered_domain(&st)), Box::new(kv[1].clone())));
                    }
                    // Over a sequence's elements (each key an element, its value a function of
                    // it): the function over the set of the elements.
                    if let (Some(q), true) = (&st.seq, kv.len() == 2) {
                        let at = T::app(q.clone(), T::name(&st.var));
                        if kv[0] == at {
                            let x = self.fresh("x", &st.scope);
                            let value = kv[1].replace(&at, &T::name(&x));
                            if !value.mentions(&st.var) {
                                let keys = self.elem_set(&Stream { elem: at, ..st.clone() });
                                return Ok(T::FnCons(x, Box::new(keys), Box::new(value)));
                            }
                        }
                    }
                    fail(e.id, "`collect()` into a `Map` is translated when each key is the iterated element itself and the value a function of it: `.map(|x| (x, value))`")
                }
                Some(Type::Seq(_)) if st.positional && st.filters.is_empty() => Ok(T::FnCons(
                    st.var.clone(),
                    Box::new(st.domain.clone()),
                    Box::new(st.elem.clone()),
                )),
                Some(Type::Seq(_)) if st.positional => self.select_seq(&st, e),
                Some(Type::Seq(_)) => fail(e.id, "`collect()` into a `Seq` is translated from a `Seq` (or an array): sets have no order in TLA+"),
                _ => fail(e.id, "write what `collect()` builds: `collect::<Set<_>>()`, `collect::<Map<_, _>>()`, or annotate the `let`"),
            },
            StreamOp::Min | StreamOp::Max => {
                let min = op == StreamOp::Min;
                if min && self.is_model_value(st.elem_ty.as_ref()) {
                    let some = T::Exists(st.var.clone(), Box::new(st.domain.clone()), Box::new(T::and(st.filters.clone())));
                    let chosen = self.choose_first(&st);
                    return Ok(T::if_(some, T::Tuple(vec![chosen]), T::empty_tuple()));
                }
                self.uses(StdModule::Integers);
                let (set, def) = self.extreme_set(&st);
                let choose = self.choose_extreme(&st, &set, min);
                let t = T::if_(T::infix("=", set, T::SetEnum(vec![])), T::empty_tuple(), T::Tuple(vec![choose]));
                Ok(with_def(def, t))
            }
            _ => fail(e.id, format!("`.{method}()` is an iterator, not a value: end the chain with `collect`, `count`, `all`, `any`, `min`, `max` or `sum`")),
        }
    }

    /// A sequence filtered (and then mapped element by element): `SelectSeq(q, LAMBDA x : p)`,
    /// mapped as `[j \in 1..Len(S) |-> e]`.
    fn select_seq(&self, st: &Stream, e: &Expr) -> R<T> {
        let refuse = || {
            fail(e.id, "`collect()` into a `Seq` after `filter` is translated when the filters and the mapped element read the sequence's elements, not their positions")
        };
        let Some(q) = &st.seq else { return refuse() };
        self.uses(StdModule::Sequences);
        let at = T::app(q.clone(), T::name(&st.var));
        let x = self.fresh("x", &st.scope);
        let test = T::and(st.filters.clone()).replace(&at, &T::name(&x));
        if test.mentions(&st.var) {
            return refuse();
        }
        let selected = T::apply(
            "SelectSeq",
            vec![q.clone(), T::Lambda(vec![x], Box::new(test))],
        );
        if st.elem == at {
            return Ok(selected);
        }
        let j = self.fresh("j", &st.scope);
        let s = self.fresh("s", &st.scope);
        let elem = st.elem.replace(&at, &T::app(T::name(&s), T::name(&j)));
        if elem.mentions(&st.var) {
            return refuse();
        }
        Ok(T::Let(
            vec![(s.clone(), selected)],
            Box::new(T::FnCons(
                j,
                Box::new(T::infix(
                    "..",
                    T::Num(1),
                    T::apply("Len", vec![T::name(&s)]),
                )),
                Box::new(elem),
            )),
        ))
    }

    /// `it.min().unwrap()`, `it.max().unwrap_or(d)`, ...: the extreme without the `Option` around
    /// it, as a spec writes it (`None` if this is not such a call).
    pub(crate) fn option_of_extreme(&self, e: &Expr, sc: &Scope) -> R<Option<T>> {
        let ExprKind::MethodCall {
            receiver,
            method,
            args,
            ..
        } = &e.kind
        else {
            return Ok(None);
        };
        if method != "unwrap" && method != "unwrap_or" {
            return Ok(None);
        }
        let ExprKind::MethodCall {
            receiver: chain,
            method: m2,
            args: a2,
            ..
        } = &receiver.kind
        else {
            return Ok(None);
        };
        if !(m2 == "min" || m2 == "max") || !a2.is_empty() {
            return Ok(None);
        }
        if !matches!(
            self.entry(receiver)?.tla,
            Tla::Stream(StreamOp::Min | StreamOp::Max)
        ) {
            return Ok(None);
        }
        let Some(st) = self.stream_of(chain, sc)? else {
            return Ok(None);
        };
        let min = m2 == "min";
        if min && self.is_model_value(st.elem_ty.as_ref()) {
            if method == "unwrap" {
                return Ok(Some(self.choose_first(&st)));
            }
            let d = self.expr(&args[0], sc)?;
            let some = T::Exists(
                st.var.clone(),
                Box::new(st.domain.clone()),
                Box::new(T::and(st.filters.clone())),
            );
            return Ok(Some(T::if_(some, self.choose_first(&st), d)));
        }
        self.uses(StdModule::Integers);
        let (set, def) = self.extreme_set(&st);
        let choose = self.choose_extreme(&st, &set, min);
        let t = match method.as_str() {
            "unwrap" => choose,
            _ => {
                let d = self.expr(&args[0], sc)?;
                T::if_(T::infix("=", set, T::SetEnum(vec![])), d, choose)
            }
        };
        Ok(Some(with_def(def, t)))
    }

    /// The set of the stream's elements, named by a `LET` when it is not a plain name.
    fn extreme_set(&self, st: &Stream) -> (T, Option<(String, T)>) {
        let set = self.elem_set(st);
        if super::pattern::is_simple(&set) {
            return (set, None);
        }
        let mut scope = st.scope.clone();
        scope.avoid(&[&set]);
        let n = self.fresh("s", &scope);
        (T::name(&n), Some((n, set)))
    }

    fn choose_extreme(&self, st: &Stream, set: &T, min: bool) -> T {
        let mut scope = st.scope.clone();
        scope.avoid(&[set]);
        let a = self.bind_fresh("a", &mut scope);
        let b = self.bind_fresh("b", &mut scope);
        let cmp = if min { "<=" } else { ">=" };
        T::Choose(
            a.clone(),
            Box::new(set.clone()),
            Box::new(T::Forall(
                b.clone(),
                Box::new(set.clone()),
                Box::new(T::infix(cmp, T::name(a), T::name(b))),
            )),
        )
    }

    /// The least model value of a stream, as `CHOOSE`. Exact: TLC evaluates
    /// `CHOOSE x \in S : P` by enumerating `S` in its order and returning the first `x` with `P`,
    /// and it orders model values by creation, which the exported `.cfg` makes their index order
    /// (each type's values are declared first, in order) — the order Rust's `min` uses.
    fn choose_first(&self, st: &Stream) -> T {
        if st.elem == T::name(&st.var) {
            T::Choose(
                st.var.clone(),
                Box::new(st.domain.clone()),
                Box::new(T::and(st.filters.clone())),
            )
        } else {
            let set = self.elem_set(st);
            let x = self.fresh(&format!("{}_min", st.var), &st.scope);
            T::Choose(x, Box::new(set), Box::new(T::Bool(true)))
        }
    }
}

/// `\A x \in D : filters => p` or `\E x \in D : filters /\ p`.
pub(crate) fn quantify(st: &Stream, all: bool, p: T) -> T {
    if all {
        let body = if st.filters.is_empty() {
            p
        } else {
            T::Implies(Box::new(T::and(st.filters.clone())), Box::new(p))
        };
        T::Forall(st.var.clone(), Box::new(st.domain.clone()), Box::new(body))
    } else {
        let mut c = st.filters.clone();
        c.push(p);
        T::Exists(
            st.var.clone(),
            Box::new(st.domain.clone()),
            Box::new(T::and(c)),
        )
    }
}

/// `{x \in D : filters}` (or `D` without filters).
pub(crate) fn filtered_domain(st: &Stream) -> T {
    if st.filters.is_empty() {
        st.domain.clone()
    } else {
        T::SetFilter(
            st.var.clone(),
            Box::new(st.domain.clone()),
            Box::new(T::and(st.filters.clone())),
        )
    }
}

fn with_def(def: Option<(String, T)>, t: T) -> T {
    match def {
        Some((n, v)) => T::Let(vec![(n, v)], Box::new(t)),
        None => t,
    }
}
