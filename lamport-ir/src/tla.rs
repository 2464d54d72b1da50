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
    map_children(t, &mut |x| replace(x, from, to))
}

/// `t` with `f` applied to each direct subexpression.
pub fn map_children(t: T, f: &mut dyn FnMut(T) -> T) -> T {
    let mut bx = |x: Box<T>| Box::new(f(*x));
    match t {
        T::Name(_) | T::Primed(_) | T::Num(_) | T::Str(_) | T::Bool(_) | T::Unchanged(_) => t,
        T::Prime(a) => T::Prime(bx(a)),
        T::Not(a) => T::Not(bx(a)),
        T::Neg(a) => T::Neg(bx(a)),
        T::Dot(a, n) => T::Dot(bx(a), n),
        T::BoxAction(a) => T::BoxAction(bx(a)),
        T::Eventually(a) => T::Eventually(bx(a)),
        T::AlwaysEventually(a) => T::AlwaysEventually(bx(a)),
        T::Atom(a) => T::Atom(bx(a)),
        T::Lambda(xs, a) => T::Lambda(xs, bx(a)),
        T::Fair { strong, action } => T::Fair {
            strong,
            action: bx(action),
        },
        T::ForallMany {
            binds,
            body,
            break_line,
        } => {
            let binds = binds.into_iter().map(|(n, s)| (n, f(s))).collect();
            T::ForallMany {
                binds,
                body: Box::new(f(*body)),
                break_line,
            }
        }
        T::Apply(op, xs) => T::Apply(op, xs.into_iter().map(&mut *f).collect()),
        T::And(xs) => T::And(xs.into_iter().map(&mut *f).collect()),
        T::Or(xs) => T::Or(xs.into_iter().map(&mut *f).collect()),
        T::SetEnum(xs) => T::SetEnum(xs.into_iter().map(&mut *f).collect()),
        T::Tuple(xs) => T::Tuple(xs.into_iter().map(&mut *f).collect()),
        T::Infix(op, a, b) => {
            let a = f(*a);
            T::Infix(op, Box::new(a), Box::new(f(*b)))
        }
        T::Implies(a, b) => {
            let a = f(*a);
            T::Implies(Box::new(a), Box::new(f(*b)))
        }
        T::FnApp(a, b) => {
            let a = f(*a);
            T::FnApp(Box::new(a), Box::new(f(*b)))
        }
        T::LeadsTo(a, b) => {
            let a = f(*a);
            T::LeadsTo(Box::new(a), Box::new(f(*b)))
        }
        T::If(a, b, c) => {
            let a = f(*a);
            let b = f(*b);
            T::If(Box::new(a), Box::new(b), Box::new(f(*c)))
        }
        T::Case(arms, other) => {
            let arms = arms.into_iter().map(|(g, v)| (f(g), f(v))).collect();
            T::Case(arms, other.map(|o| Box::new(f(*o))))
        }
        T::Let(defs, body) => {
            let defs = defs.into_iter().map(|(n, v)| (n, f(v))).collect();
            T::Let(defs, Box::new(f(*body)))
        }
        T::Forall(x, s, b) => {
            let s = f(*s);
            T::Forall(x, Box::new(s), Box::new(f(*b)))
        }
        T::Exists(x, s, b) => {
            let s = f(*s);
            T::Exists(x, Box::new(s), Box::new(f(*b)))
        }
        T::Choose(x, s, b) => {
            let s = f(*s);
            T::Choose(x, Box::new(s), Box::new(f(*b)))
        }
        T::SetFilter(x, s, b) => {
            let s = f(*s);
            T::SetFilter(x, Box::new(s), Box::new(f(*b)))
        }
        T::FnCons(x, s, b) => {
            let s = f(*s);
            T::FnCons(x, Box::new(s), Box::new(f(*b)))
        }
        T::SetMap(v, x, s) => {
            let v = f(*v);
            T::SetMap(Box::new(v), x, Box::new(f(*s)))
        }
        T::Except(a, clauses) => {
            let a = f(*a);
            let clauses = clauses
                .into_iter()
                .map(|(path, v)| {
                    let path = path
                        .into_iter()
                        .map(|s| match s {
                            ExceptStep::Key(k) => ExceptStep::Key(f(k)),
                            other => other,
                        })
                        .collect();
                    (path, f(v))
                })
                .collect();
            T::Except(Box::new(a), clauses)
        }
        T::Record(fs) => T::Record(fs.into_iter().map(|(n, v)| (n, f(v))).collect()),
        T::RecordSet(fs) => T::RecordSet(fs.into_iter().map(|(n, v)| (n, f(v))).collect()),
        T::FnSet(a, b) => {
            let a = f(*a);
            T::FnSet(Box::new(a), Box::new(f(*b)))
        }
    }
}
