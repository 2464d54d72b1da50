//! A small TLA+ expression tree: what the translation builds and the exporter's printer writes.
//! It lives in the IR crate because the table of operations ([`crate::ops`]) gives each
//! operation's TLA+ form as a builder of this tree.

/// A TLA+ expression.
#[derive(Clone, Debug, PartialEq)]
pub enum T {
    /// A name: variable, constant, bound variable, operator without arguments.
    Name(String),
    /// `x'`
    Primed(String),
    /// `(e)'`: `e` evaluated in the state after the step.
    Prime(Box<T>),
    Num(i128),
    Str(String),
    Bool(bool),
    /// `Op(a, b)`
    Apply(String, Vec<T>),
    /// An infix operator (`+`, `=`, `\in`, `\cup`, `:>`, ...).
    Infix(&'static str, Box<T>, Box<T>),
    /// `~e`
    Not(Box<T>),
    /// `-e`
    Neg(Box<T>),
    /// A conjunction list, printed as `/\` bullets when it has several items.
    And(Vec<T>),
    /// A disjunction list, printed as `\/` bullets.
    Or(Vec<T>),
    /// `e1 => e2`
    Implies(Box<T>, Box<T>),
    If(Box<T>, Box<T>, Box<T>),
    /// `CASE g1 -> e1 [] g2 -> e2 [] OTHER -> e`
    Case(Vec<(T, T)>, Option<Box<T>>),
    /// `LET d1 == e1 ... IN body`
    Let(Vec<(String, T)>, Box<T>),
    /// `\A x \in S : body`
    Forall(String, Box<T>, Box<T>),
    /// `\A x \in S, y \in U : body`; with `break_line`, the body starts on the next line,
    /// indented (as a quantified temporal formula is laid out).
    ForallMany {
        binds: Vec<(String, T)>,
        body: Box<T>,
        break_line: bool,
    },
    /// `\E x \in S : body`
    Exists(String, Box<T>, Box<T>),
    /// `CHOOSE x \in S : body`
    Choose(String, Box<T>, Box<T>),
    /// `{a, b}`
    SetEnum(Vec<T>),
    /// `{x \in S : p}`
    SetFilter(String, Box<T>, Box<T>),
    /// `{e : x \in S}`
    SetMap(Box<T>, String, Box<T>),
    /// `[x \in S |-> e]`
    FnCons(String, Box<T>, Box<T>),
    /// `f[a]`
    FnApp(Box<T>, Box<T>),
    /// `[f EXCEPT ![a] = e, ![b].c = d]`: clauses, each a path of keys (`Key`) and fields
    /// (`Field`) and the new value there.
    Except(Box<T>, Vec<(Vec<ExceptStep>, T)>),
    /// `[a |-> 1, b |-> 2]`
    Record(Vec<(String, T)>),
    /// `r.f`
    Dot(Box<T>, String),
    /// `<<a, b>>`
    Tuple(Vec<T>),
    /// `UNCHANGED <<x, y>>`
    Unchanged(Vec<String>),
    /// `[f1 : S1, f2 : S2]`: the set of records with those fields.
    RecordSet(Vec<(String, T)>),
    /// `[S -> U]`: the set of functions from `S` to `U`.
    FnSet(Box<T>, Box<T>),
    /// `[][P]_vars`
    BoxAction(Box<T>),
    /// `<>(P)`
    Eventually(Box<T>),
    /// `[]<>(P)`
    AlwaysEventually(Box<T>),
    /// `(P) ~> Q`
    LeadsTo(Box<T>, Box<T>),
    /// `LAMBDA x, y : body`
    Lambda(Vec<String>, Box<T>),
    /// `WF_vars(A)` / `SF_vars(A)`
    Fair {
        strong: bool,
        action: Box<T>,
    },
    /// A part of a `require_witnesses!` condition that TLC must take exactly one way: the
    /// exporter writes it as is, or as `IF e THEN TRUE ELSE FALSE` where TLC could take it
    /// several ways. Never printed as such.
    Atom(Box<T>),
}

/// One step of an `EXCEPT` path.
#[derive(Clone, Debug, PartialEq)]
pub enum ExceptStep {
    Key(T),
    Field(String),
}

impl T {
    pub fn name(s: impl Into<String>) -> T {
        T::Name(s.into())
    }

    pub fn infix(op: &'static str, a: T, b: T) -> T {
        T::Infix(op, Box::new(a), Box::new(b))
    }

    /// `a /\ b`, flattening nested conjunctions and dropping `TRUE`.
    pub fn and(items: Vec<T>) -> T {
        let mut flat = Vec::new();
        for it in items {
            match it {
                T::And(inner) => flat.extend(inner),
                T::Bool(true) => {}
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => T::Bool(true),
            1 => flat.pop().expect("one"),
            _ => T::And(flat),
        }
    }

    /// `a \/ b`, flattening nested disjunctions.
    pub fn or(items: Vec<T>) -> T {
        let mut flat = Vec::new();
        for it in items {
            match it {
                T::Or(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        match flat.len() {
            0 => T::Bool(false),
            1 => flat.pop().expect("one"),
            _ => T::Or(flat),
        }
    }

    /// `<<>>`: the empty sequence, `None`, the empty function.
    pub fn empty_tuple() -> T {
        T::Tuple(Vec::new())
    }

    /// `f[a]`
    pub fn app(f: T, a: T) -> T {
        T::FnApp(Box::new(f), Box::new(a))
    }

    /// `IF c THEN a ELSE b`
    pub fn if_(c: T, a: T, b: T) -> T {
        T::If(Box::new(c), Box::new(a), Box::new(b))
    }

    /// `Op(args)`
    pub fn apply(op: &str, args: Vec<T>) -> T {
        T::Apply(op.to_string(), args)
    }

    /// Whether the name `n` occurs in `self` (as a name, a primed variable or an operator).
    pub fn mentions(&self, n: &str) -> bool {
        let mut found = false;
        self.visit(&mut |t| match t {
            T::Name(x) | T::Primed(x) | T::Apply(x, _) if x == n => found = true,
            T::Unchanged(vs) if vs.iter().any(|v| v == n) => found = true,
            _ => {}
        });
        found
    }

    /// `self` with every occurrence of `from` replaced by `to`.
    pub fn replace(&self, from: &T, to: &T) -> T {
        replace(self.clone(), from, to)
    }

    /// The names `self` binds anywhere inside it (`\A x`, `CHOOSE x`, `{x \in S : ..}`,
    /// `LET x == ..`, `LAMBDA x : ..`, ...). TLA+ forbids binding a name again inside its scope,
    /// so a name bound around a term must not be among these.
    pub fn binders(&self) -> std::collections::BTreeSet<String> {
        let mut out = std::collections::BTreeSet::new();
        self.visit(&mut |t| match t {
            T::Forall(x, ..)
            | T::Exists(x, ..)
            | T::Choose(x, ..)
            | T::SetFilter(x, ..)
            | T::SetMap(_, x, _)
            | T::FnCons(x, ..) => {
                out.insert(x.clone());
            }
            T::Let(defs, _) => out.extend(defs.iter().map(|(n, _)| n.clone())),
            T::Lambda(xs, _) => out.extend(xs.iter().cloned()),
            T::ForallMany { binds, .. } => out.extend(binds.iter().map(|(n, _)| n.clone())),
            _ => {}
        });
        out
    }

    /// How many times `sub` occurs in `self`.
    pub fn occurrences(&self, sub: &T) -> usize {
        let mut n = 0;
        self.visit(&mut |t| {
            if t == sub {
                n += 1;
            }
        });
        n
    }

    /// Calls `f` on `self` and every subexpression.
    pub fn visit(&self, f: &mut dyn FnMut(&T)) {
        f(self);
        match self {
            T::Name(_) | T::Primed(_) | T::Num(_) | T::Str(_) | T::Bool(_) | T::Unchanged(_) => {}
            T::Prime(a)
            | T::Not(a)
            | T::Neg(a)
            | T::Dot(a, _)
            | T::BoxAction(a)
            | T::Eventually(a)
            | T::AlwaysEventually(a)
            | T::Atom(a)
            | T::Lambda(_, a) => a.visit(f),
            T::Fair { action, .. } => action.visit(f),
            T::ForallMany { binds, body, .. } => {
                for (_, s) in binds {
                    s.visit(f);
                }
                body.visit(f);
            }
            T::Apply(_, xs) | T::And(xs) | T::Or(xs) | T::SetEnum(xs) | T::Tuple(xs) => {
                xs.iter().for_each(|x| x.visit(f))
            }
            T::Infix(_, a, b) | T::Implies(a, b) | T::FnApp(a, b) | T::LeadsTo(a, b) => {
                a.visit(f);
                b.visit(f);
            }
            T::If(a, b, c) => {
                a.visit(f);
                b.visit(f);
                c.visit(f);
            }
            T::Case(arms, other) => {
                for (g, v) in arms {
                    g.visit(f);
                    v.visit(f);
                }
                if let Some(o) = other {
                    o.visit(f);
                }
            }
            T::Let(defs, body) => {
                for (_, v) in defs {
                    v.visit(f);
                }
                body.visit(f);
            }
            T::Forall(_, s, b)
            | T::Exists(_, s, b)
            | T::Choose(_, s, b)
            | T::SetFilter(_, s, b)
            | T::FnCons(_, s, b) => {
                s.visit(f);
                b.visit(f);
            }
            T::SetMap(v, _, s) => {
                v.visit(f);
                s.visit(f);
            }
            T::Except(a, clauses) => {
                a.visit(f);
                for (path, v) in clauses {
                    for step in path {
                        if let ExceptStep::Key(k) = step {
                            k.visit(f);
                        }
                    }
                    v.visit(f);
                }
            }
            T::Record(fs) | T::RecordSet(fs) => fs.iter().for_each(|(_, x)| x.visit(f)),
            T::FnSet(a, b) => {
                a.visit(f);
                b.visit(f);
            }
        }
    }

    pub fn negate(e: T) -> T {
        match e {
            T::Not(inner) => *inner,
            T::Bool(b) => T::Bool(!b),
            other => T::Not(Box::new(other)),
        }
    }
}

/// `t` with every occurrence of `from` replaced by `to`.
fn replace(t: T, from: &T, to: &T) -> T {
    if t == *from {
        return to.clone();
    }
    let r = |x: T| replace(x, from, to);
    let rb = |x: Box<T>| Box::new(replace(*x, from, to));
    match t {
        T::Prime(a) => T::Prime(rb(a)),
        T::Apply(op, xs) => T::Apply(op, xs.into_iter().map(r).collect()),
        T::Infix(op, a, b) => T::Infix(op, rb(a), rb(b)),
        T::Not(a) => T::Not(rb(a)),
        T::Neg(a) => T::Neg(rb(a)),
        T::And(xs) => T::And(xs.into_iter().map(r).collect()),
        T::Or(xs) => T::Or(xs.into_iter().map(r).collect()),
        T::Implies(a, b) => T::Implies(rb(a), rb(b)),
        T::If(a, b, c) => T::If(rb(a), rb(b), rb(c)),
        T::Case(arms, o) => T::Case(
            arms.into_iter().map(|(g, v)| (r(g), r(v))).collect(),
            o.map(rb),
        ),
        T::Let(defs, b) => T::Let(defs.into_iter().map(|(n, v)| (n, r(v))).collect(), rb(b)),
        T::Forall(x, s, b) => T::Forall(x, rb(s), rb(b)),
        T::Exists(x, s, b) => T::Exists(x, rb(s), rb(b)),
        T::Choose(x, s, b) => T::Choose(x, rb(s), rb(b)),
        T::SetEnum(xs) => T::SetEnum(xs.into_iter().map(r).collect()),
        T::SetFilter(x, s, b) => T::SetFilter(x, rb(s), rb(b)),
        T::SetMap(v, x, s) => T::SetMap(rb(v), x, rb(s)),
        T::FnCons(x, s, v) => T::FnCons(x, rb(s), rb(v)),
        T::FnApp(f, a) => T::FnApp(rb(f), rb(a)),
        T::Except(f, clauses) => T::Except(
            rb(f),
            clauses
                .into_iter()
                .map(|(p, v)| {
                    let p = p
                        .into_iter()
                        .map(|s| match s {
                            ExceptStep::Key(k) => ExceptStep::Key(r(k)),
                            f => f,
                        })
                        .collect();
                    (p, r(v))
                })
                .collect(),
        ),
        T::Record(fs) => T::Record(fs.into_iter().map(|(n, v)| (n, r(v))).collect()),
        T::Dot(a, f) => T::Dot(rb(a), f),
        T::Tuple(xs) => T::Tuple(xs.into_iter().map(r).collect()),
        T::Atom(a) => T::Atom(rb(a)),
        other => other,
    }
}
