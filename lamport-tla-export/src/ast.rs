//! A small TLA+ expression tree: what the translation builds and the printer writes.

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
    /// `[f EXCEPT ![a] = e]`, with a path of keys (`Key`) and fields (`Field`).
    Except(Box<T>, Vec<ExceptStep>, Box<T>),
    /// `[a |-> 1, b |-> 2]`
    Record(Vec<(String, T)>),
    /// `r.f`
    Dot(Box<T>, String),
    /// `<<a, b>>`
    Tuple(Vec<T>),
    /// `UNCHANGED <<x, y>>`
    Unchanged(Vec<String>),
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

    pub fn negate(e: T) -> T {
        match e {
            T::Not(inner) => *inner,
            T::Bool(b) => T::Bool(!b),
            other => T::Not(Box::new(other)),
        }
    }
}
