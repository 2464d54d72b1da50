//! The operations of the modelling language: one table, read by the macro (which methods exist,
//! which change their receiver, which take a closure), by the resolver (their argument and result
//! types) and by the exporter (their TLA+ form and the standard module it needs). The docs'
//! table of methods (docs/language.md) is generated from it and checked by a test.
//!
//! An operation's Rust behaviour is the method of the same name on lamport's value types
//! (`lamport-core`); the generated-model differential test runs every entry both ways.

use crate::names::StdModule;
use crate::tla::T;
use crate::Type;

/// What a method is called on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recv {
    Set,
    Map,
    Seq,
    Option,
    /// An iterator, a range or an array.
    Iter,
    /// Any value.
    Any,
}

impl Recv {
    /// Whether a receiver of type `t` is of this kind.
    pub fn accepts(self, t: &Type) -> bool {
        matches!(
            (self, t),
            (Recv::Set, Type::Set(_))
                | (Recv::Map, Type::Map(..))
                | (Recv::Seq, Type::Seq(_))
                | (Recv::Option, Type::Option(_))
                | (Recv::Iter, Type::Iter(_))
                | (Recv::Any, _)
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            Recv::Set => "Set",
            Recv::Map => "Map",
            Recv::Seq => "Seq",
            Recv::Option => "Option",
            Recv::Iter => "iterator",
            Recv::Any => "any value",
        }
    }
}

/// What an argument must be, in terms of the receiver's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arg {
    /// An element of the set, sequence or iterator (`x` in `s.contains(&x)`).
    Elem,
    /// A key of the map.
    Key,
    /// A value of the map.
    Value,
    /// A value of the receiver's own type (`s.union(&t)`).
    Same,
    /// A `usize` position or length.
    Index,
    /// A closure from an element to `bool` (`filter`, `all`, `any`).
    Pred,
    /// A closure from an element to any value (`map`).
    Fun,
    /// A closure from an element to a `Set` (`flat_map`).
    SetFun,
}

/// The result type, in terms of the receiver's type and the arguments'.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ret {
    Bool,
    Usize,
    /// The receiver's own type.
    Same,
    /// An element (of a set or an iterator), or the value inside an `Option`.
    Elem,
    /// `Option` of an element.
    OptElem,
    /// `Option` of a map's value.
    OptValue,
    /// The set of a map's keys.
    KeySet,
    /// The set of the receiver's subsets.
    Subsets,
    /// Nothing (a method that changes its receiver).
    Unit,
    /// An iterator of the receiver's elements (of a set, a sequence, an iterator).
    IterElem,
    IterKeys,
    IterValues,
    /// An iterator of `(key, value)` pairs.
    IterPairs,
    /// An iterator of what the closure returns.
    IterMapped,
    /// An iterator of the elements of the sets the closure returns.
    IterFlat,
    /// What the context or the turbofish says `collect` builds.
    Collected,
}

/// The value-level operations the exporter's iterator translation implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StreamOp {
    /// `iter`, `into_iter`, `keys`, `values` on a collection: the elements to range over.
    Source,
    /// `cloned`, `copied`, `into_iter` on an iterator: the same elements.
    Same,
    Filter,
    Map,
    FlatMap,
    All,
    Any,
    Count,
    Collect,
    Min,
    Max,
    Sum,
}

/// Gives a TLA+ builder fresh bound names and the module's support operators.
pub trait TlaCx {
    /// A bound name based on `want`, free in the current scope.
    fn fresh(&mut self, want: &str) -> String;
    /// The name of a support operator the module defines once (see [`Support`]).
    fn support(&mut self, s: Support) -> String;
}

/// Operators an export defines once, when a translation needs them. Each makes a fault of the
/// Rust model a fault of TLC too (through `Assert` of the TLC module), or gives TLA+ a fold it
/// lacks.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Support {
    /// `TheOnly(S)`: the one element of `S`; an error unless `S` has exactly one.
    The,
    /// `SumOf(f)`: the sum of the values of a function (each element of its domain once).
    Sum,
    /// `Checked<Type>(n)`: `n`, an error unless it is a value of the Rust integer type.
    Range(String),
    /// `Slice(s, from, to)`: the 0-based positions `from..to` of a sequence, an error when out
    /// of range (as Rust's slicing is).
    Slice,
    /// `Quotient(a, b)`: `a \div b`, an error unless `a >= 0` and `b > 0` (where Rust's `/` and
    /// TLA+'s `\div` agree).
    Quotient,
    /// `Remainder(a, b)`: `a % b`, under the same condition.
    Remainder,
    /// `Evaluated(v)`: `TRUE`, once `v` is evaluated — a value Rust computes but the export's
    /// result does not depend on (an assignment overwritten later, an `if` whose branches write
    /// the same), kept so that a fault in it is TLC's too.
    Evaluated,
}

/// How an operation is written in TLA+.
#[derive(Clone, Copy)]
pub enum Tla {
    /// Built from the receiver's translation and the arguments' (for a method that changes its
    /// receiver: the receiver's current value, and the result is its new value).
    Build(fn(&mut dyn TlaCx, T, Vec<T>) -> T),
    /// An iterator form: the exporter's stream translation.
    Stream(StreamOp),
    /// The value itself (`clone`).
    Identity,
}

/// One operation of the language.
#[derive(Clone, Copy)]
pub struct Method {
    pub name: &'static str,
    pub on: Recv,
    pub args: &'static [Arg],
    pub ret: Ret,
    /// Whether it changes its receiver (only in actions, on the state).
    pub mutates: bool,
    /// How it reads in Rust, for the docs.
    pub rust: &'static str,
    /// How it reads in TLA+, for the docs.
    pub tla_doc: &'static str,
    pub module: Option<StdModule>,
    pub tla: Tla,
}

fn infix(op: &'static str, a: T, b: T) -> T {
    T::infix(op, a, b)
}

fn arg(args: &mut Vec<T>) -> T {
    if args.is_empty() {
        T::Bool(false)
    } else {
        args.remove(0)
    }
}

fn dom(t: T) -> T {
    T::apply("DOMAIN", vec![t])
}

fn some(t: T) -> T {
    T::Tuple(vec![t])
}

fn len(t: T) -> T {
    T::apply("Len", vec![t])
}

/// `n + 1`, folding a literal and `m - 1 + 1`.
pub fn plus_one(n: T) -> T {
    match n {
        T::Num(k) => T::Num(k + 1),
        T::Infix("-", m, one) if *one == T::Num(1) => *m,
        other => T::infix("+", other, T::Num(1)),
    }
}

/// `n - 1`, folding a literal.
pub fn minus_one(n: T) -> T {
    match n {
        T::Num(k) => T::Num(k - 1),
        other => T::infix("-", other, T::Num(1)),
    }
}

use Arg as A;
use Recv as On;

macro_rules! method {
    ($name:literal, $on:expr, [$($a:expr),*], $ret:expr, $rust:literal, $tla_doc:literal, $module:expr, $tla:expr) => {
        Method { name: $name, on: $on, args: &[$($a),*], ret: $ret, mutates: false, rust: $rust, tla_doc: $tla_doc, module: $module, tla: $tla }
    };
}

macro_rules! mutator {
    ($name:literal, $on:expr, [$($a:expr),*], $rust:literal, $tla_doc:literal, $module:expr, $tla:expr) => {
        Method { name: $name, on: $on, args: &[$($a),*], ret: Ret::Unit, mutates: true, rust: $rust, tla_doc: $tla_doc, module: $module, tla: $tla }
    };
}

const FS: Option<StdModule> = Some(StdModule::FiniteSets);
const SQ: Option<StdModule> = Some(StdModule::Sequences);
const TLC: Option<StdModule> = Some(StdModule::Tlc);
const INT: Option<StdModule> = Some(StdModule::Integers);

/// Every method of the language. Looked up by receiver kind and name ([`lookup`]).
pub const METHODS: &[Method] = &[
    // ----- Set -----
    method!("contains", On::Set, [A::Elem], Ret::Bool, "s.contains(&x)", "x \\in s", None,
        Tla::Build(|_, r, mut a| infix("\\in", arg(&mut a), r))),
    method!("len", On::Set, [], Ret::Usize, "s.len()", "Cardinality(s)", FS,
        Tla::Build(|_, r, _| T::apply("Cardinality", vec![r]))),
    method!("is_empty", On::Set, [], Ret::Bool, "s.is_empty()", "s = {}", None,
        Tla::Build(|_, r, _| infix("=", r, T::SetEnum(vec![])))),
    method!("union", On::Set, [A::Same], Ret::Same, "a.union(&b)", "a \\cup b", None,
        Tla::Build(|_, r, mut a| infix("\\cup", r, arg(&mut a)))),
    method!("intersection", On::Set, [A::Same], Ret::Same, "a.intersection(&b)", "a \\cap b", None,
        Tla::Build(|_, r, mut a| infix("\\cap", r, arg(&mut a)))),
    method!("difference", On::Set, [A::Same], Ret::Same, "a.difference(&b)", "a \\ b", None,
        Tla::Build(|_, r, mut a| infix("\\", r, arg(&mut a)))),
    method!("is_subset", On::Set, [A::Same], Ret::Bool, "a.is_subset(&b)", "a \\subseteq b", None,
        Tla::Build(|_, r, mut a| infix("\\subseteq", r, arg(&mut a)))),
    method!("the", On::Set, [], Ret::Elem, "s.the()", "TheOnly(s): CHOOSE x \\in s : TRUE, an error unless s has exactly one element", FS,
        Tla::Build(|cx, r, _| { let op = cx.support(Support::The); T::apply(&op, vec![r]) })),
    method!("subsets", On::Set, [], Ret::Subsets, "s.subsets()", "SUBSET s", None,
        Tla::Build(|_, r, _| T::apply("SUBSET", vec![r]))),
    method!("iter", On::Set, [], Ret::IterElem, "s.iter()", "the elements of s", None, Tla::Stream(StreamOp::Source)),
    method!("into_iter", On::Set, [], Ret::IterElem, "s.into_iter()", "the elements of s", None, Tla::Stream(StreamOp::Source)),
    mutator!("insert", On::Set, [A::Elem], "s.insert(x);", "s' = s \\cup {x}", None,
        Tla::Build(|_, r, mut a| infix("\\cup", r, T::SetEnum(vec![arg(&mut a)])))),
    mutator!("remove", On::Set, [A::Elem], "s.remove(&x);", "s' = s \\ {x}", None,
        Tla::Build(|_, r, mut a| infix("\\", r, T::SetEnum(vec![arg(&mut a)])))),
    mutator!("extend", On::Set, [A::Same], "s.extend(t);", "s' = s \\cup t", None,
        Tla::Build(|_, r, mut a| infix("\\cup", r, arg(&mut a)))),
    // ----- Map -----
    method!("contains_key", On::Map, [A::Key], Ret::Bool, "m.contains_key(&k)", "k \\in DOMAIN m", None,
        Tla::Build(|_, r, mut a| infix("\\in", arg(&mut a), dom(r)))),
    method!("get", On::Map, [A::Key], Ret::OptValue, "m.get(&k)", "IF k \\in DOMAIN m THEN <<m[k]>> ELSE <<>>", None,
        Tla::Build(|_, r, mut a| { let k = arg(&mut a); T::if_(infix("\\in", k.clone(), dom(r.clone())), some(T::app(r, k)), T::empty_tuple()) })),
    method!("domain", On::Map, [], Ret::KeySet, "m.domain()", "DOMAIN m", None,
        Tla::Build(|_, r, _| dom(r))),
    method!("len", On::Map, [], Ret::Usize, "m.len()", "Cardinality(DOMAIN m)", FS,
        Tla::Build(|_, r, _| T::apply("Cardinality", vec![dom(r)]))),
    method!("is_empty", On::Map, [], Ret::Bool, "m.is_empty()", "DOMAIN m = {}", None,
        Tla::Build(|_, r, _| infix("=", dom(r), T::SetEnum(vec![])))),
    method!("keys", On::Map, [], Ret::IterKeys, "m.keys()", "the elements of DOMAIN m", None, Tla::Stream(StreamOp::Source)),
    method!("values", On::Map, [], Ret::IterValues, "m.values()", "m[k] for each k \\in DOMAIN m", None, Tla::Stream(StreamOp::Source)),
    method!("iter", On::Map, [], Ret::IterPairs, "m.iter()", "<<k, m[k]>> for each k \\in DOMAIN m", None, Tla::Stream(StreamOp::Source)),
    method!("into_iter", On::Map, [], Ret::IterPairs, "m.into_iter()", "<<k, m[k]>> for each k \\in DOMAIN m", None, Tla::Stream(StreamOp::Source)),
    mutator!("insert", On::Map, [A::Key, A::Value], "m.insert(k, v);", "m' = (k :> v) @@ m", TLC,
        Tla::Build(|_, r, mut a| { let k = arg(&mut a); let v = arg(&mut a); infix("@@", infix(":>", k, v), r) })),
    mutator!("remove", On::Map, [A::Key], "m.remove(&k);", "m' = [x \\in DOMAIN m \\ {k} |-> m[x]]", None,
        Tla::Build(|cx, r, mut a| { let k = arg(&mut a); let x = cx.fresh("x"); T::FnCons(x.clone(), Box::new(infix("\\", dom(r.clone()), T::SetEnum(vec![k]))), Box::new(T::app(r, T::name(x)))) })),
    // ----- Seq -----
    method!("len", On::Seq, [], Ret::Usize, "q.len()", "Len(q)", SQ,
        Tla::Build(|_, r, _| len(r))),
    method!("is_empty", On::Seq, [], Ret::Bool, "q.is_empty()", "q = <<>>", None,
        Tla::Build(|_, r, _| infix("=", r, T::empty_tuple()))),
    method!("first", On::Seq, [], Ret::OptElem, "q.first()", "IF q = <<>> THEN <<>> ELSE <<Head(q)>>", SQ,
        Tla::Build(|_, r, _| T::if_(infix("=", r.clone(), T::empty_tuple()), T::empty_tuple(), some(T::apply("Head", vec![r]))))),
    method!("last", On::Seq, [], Ret::OptElem, "q.last()", "IF q = <<>> THEN <<>> ELSE <<q[Len(q)]>>", SQ,
        Tla::Build(|_, r, _| T::if_(infix("=", r.clone(), T::empty_tuple()), T::empty_tuple(), some(T::app(r.clone(), len(r)))))),
    method!("get", On::Seq, [A::Index], Ret::OptElem, "q.get(i)", "IF i < Len(q) THEN <<q[i + 1]>> ELSE <<>>", SQ,
        Tla::Build(|_, r, mut a| { let i = arg(&mut a); T::if_(infix("<", i.clone(), len(r.clone())), some(T::app(r, plus_one(i))), T::empty_tuple()) })),
    method!("contains", On::Seq, [A::Elem], Ret::Bool, "q.contains(&x)", "\\E i \\in 1..Len(q) : q[i] = x", SQ,
        Tla::Build(|cx, r, mut a| { let x = arg(&mut a); let i = cx.fresh("i"); T::Exists(i.clone(), Box::new(infix("..", T::Num(1), len(r.clone()))), Box::new(infix("=", T::app(r, T::name(i)), x))) })),
    method!("head", On::Seq, [], Ret::Elem, "q.head()", "Head(q) (an error for <<>>, as in TLC)", SQ,
        Tla::Build(|_, r, _| T::apply("Head", vec![r]))),
    method!("tail", On::Seq, [], Ret::Same, "q.tail()", "Tail(q) (an error for <<>>, as in TLC); `s.q = s.q.tail();` takes the first element out", SQ,
        Tla::Build(|_, r, _| T::apply("Tail", vec![r]))),
    method!("append", On::Seq, [A::Elem], Ret::Same, "q.append(x)", "Append(q, x) (a new sequence; `q.push(x);` changes q)", SQ,
        Tla::Build(|_, r, mut a| T::apply("Append", vec![r, arg(&mut a)]))),
    method!("concat", On::Seq, [A::Same], Ret::Same, "a.concat(&b)", "a \\o b", SQ,
        Tla::Build(|_, r, mut a| infix("\\o", r, arg(&mut a)))),
    method!("subseq", On::Seq, [A::Index, A::Index], Ret::Same, "q.subseq(from, to)", "SubSeq(q, from + 1, to); Tail(q) for q.subseq(1, q.len()); an error out of range", SQ,
        Tla::Build(|cx, r, mut a| {
            let from = arg(&mut a);
            let to = arg(&mut a);
            // Where TLA+'s operator fails exactly where Rust's slicing does, it is used as is.
            if from == T::Num(0) {
                return T::apply("SubSeq", vec![r, T::Num(1), to]);
            }
            if from == T::Num(1) && to == len(r.clone()) {
                return T::apply("Tail", vec![r]);
            }
            let op = cx.support(Support::Slice);
            T::apply(&op, vec![r, from, to])
        })),
    method!("iter", On::Seq, [], Ret::IterElem, "q.iter()", "q[i] for each i \\in 1..Len(q), in order", SQ, Tla::Stream(StreamOp::Source)),
    method!("into_iter", On::Seq, [], Ret::IterElem, "q.into_iter()", "q[i] for each i \\in 1..Len(q), in order", SQ, Tla::Stream(StreamOp::Source)),
    mutator!("push", On::Seq, [A::Elem], "q.push(x);", "q' = Append(q, x)", SQ,
        Tla::Build(|_, r, mut a| T::apply("Append", vec![r, arg(&mut a)]))),
    mutator!("pop", On::Seq, [], "q.pop();", "q' = SubSeq(q, 1, Len(q) - 1)", SQ,
        Tla::Build(|_, r, _| T::apply("SubSeq", vec![r.clone(), T::Num(1), minus_one(len(r))]))),
    mutator!("truncate", On::Seq, [A::Index], "q.truncate(n);", "q' = IF n < Len(q) THEN SubSeq(q, 1, n) ELSE q", SQ,
        Tla::Build(|_, r, mut a| { let n = arg(&mut a); T::if_(infix("<", n.clone(), len(r.clone())), T::apply("SubSeq", vec![r.clone(), T::Num(1), n]), r) })),
    // ----- Option -----
    method!("is_some", On::Option, [], Ret::Bool, "o.is_some()", "o # <<>>", None,
        Tla::Build(|_, r, _| infix("#", r, T::empty_tuple()))),
    method!("is_none", On::Option, [], Ret::Bool, "o.is_none()", "o = <<>>", None,
        Tla::Build(|_, r, _| infix("=", r, T::empty_tuple()))),
    method!("unwrap", On::Option, [], Ret::Elem, "o.unwrap()", "o[1] (an error for <<>>, as in Rust)", None,
        Tla::Build(|_, r, _| T::app(r, T::Num(1)))),
    method!("unwrap_or", On::Option, [A::Elem], Ret::Elem, "o.unwrap_or(d)", "IF o = <<>> THEN d ELSE o[1]", None,
        Tla::Build(|_, r, mut a| T::if_(infix("=", r.clone(), T::empty_tuple()), arg(&mut a), T::app(r, T::Num(1))))),
    // ----- iterators -----
    method!("iter", On::Iter, [], Ret::IterElem, "it.iter()", "the same elements", None, Tla::Stream(StreamOp::Same)),
    method!("into_iter", On::Iter, [], Ret::IterElem, "it.into_iter()", "the same elements", None, Tla::Stream(StreamOp::Same)),
    method!("cloned", On::Iter, [], Ret::IterElem, "it.cloned()", "the same elements", None, Tla::Stream(StreamOp::Same)),
    method!("copied", On::Iter, [], Ret::IterElem, "it.copied()", "the same elements", None, Tla::Stream(StreamOp::Same)),
    method!("filter", On::Iter, [A::Pred], Ret::IterElem, "it.filter(|x| p)", "the elements x with p", None, Tla::Stream(StreamOp::Filter)),
    method!("map", On::Iter, [A::Fun], Ret::IterMapped, "it.map(|x| e)", "e for each element x", None, Tla::Stream(StreamOp::Map)),
    method!("flat_map", On::Iter, [A::SetFun], Ret::IterFlat, "it.flat_map(|x| set)", "UNION {set : x \\in ...}", None, Tla::Stream(StreamOp::FlatMap)),
    method!("all", On::Iter, [A::Pred], Ret::Bool, "s.iter().all(|x| p)", "\\A x \\in s : p", None, Tla::Stream(StreamOp::All)),
    method!("any", On::Iter, [A::Pred], Ret::Bool, "s.iter().any(|x| p)", "\\E x \\in s : p", None, Tla::Stream(StreamOp::Any)),
    method!("count", On::Iter, [], Ret::Usize, "s.iter().filter(|x| p).count()", "Cardinality({x \\in s : p})", FS, Tla::Stream(StreamOp::Count)),
    method!("collect", On::Iter, [], Ret::Collected, "s.iter().map(|x| e).collect::<Set<_>>()", "{e : x \\in s}; into a Map: [x \\in s |-> e] for .map(|x| (x, e)); into a Seq from a Seq: [i \\in 1..Len(q) |-> e]; a Seq filtered into a Seq: SelectSeq(q, LAMBDA x : p)", None, Tla::Stream(StreamOp::Collect)),
    method!("min", On::Iter, [], Ret::OptElem, "s.iter().min()", "the least element as an Option: CHOOSE x \\in s : \\A y \\in s : x <= y (integers); over model values, the first in their order", INT, Tla::Stream(StreamOp::Min)),
    method!("max", On::Iter, [], Ret::OptElem, "s.iter().max()", "the greatest integer as an Option: CHOOSE x \\in s : \\A y \\in s : x >= y", INT, Tla::Stream(StreamOp::Max)),
    method!("sum", On::Iter, [], Ret::Elem, "s.iter().map(|x| e).sum::<i64>()", "SumOf([x \\in s |-> e]): each element counted once, as Rust sums the elements", INT, Tla::Stream(StreamOp::Sum)),
    // ----- any value -----
    method!("clone", On::Any, [], Ret::Same, "v.clone()", "v", None, Tla::Identity),
];

/// An associated function of a container type.
#[derive(Clone, Copy)]
pub struct Constructor {
    /// `Set`, `Map` or `Seq`.
    pub container: &'static str,
    pub name: &'static str,
    pub rust: &'static str,
    pub tla_doc: &'static str,
    pub module: Option<StdModule>,
}

/// `Set::new()` and friends. Their translation is structural (the argument is an array literal
/// whose elements the exporter lists), so the table gives only what exists and how it reads.
pub const CONSTRUCTORS: &[Constructor] = &[
    Constructor {
        container: "Set",
        name: "new",
        rust: "Set::new()",
        tla_doc: "{}",
        module: None,
    },
    Constructor {
        container: "Set",
        name: "from",
        rust: "Set::from([a, b])",
        tla_doc: "{a, b}",
        module: None,
    },
    Constructor {
        container: "Set",
        name: "singleton",
        rust: "Set::singleton(a)",
        tla_doc: "{a}",
        module: None,
    },
    Constructor {
        container: "Map",
        name: "new",
        rust: "Map::new()",
        tla_doc: "<<>> (the empty function)",
        module: None,
    },
    Constructor {
        container: "Map",
        name: "from",
        rust: "Map::from([(k, v), ..])",
        tla_doc: "(k :> v) @@ ...",
        module: TLC,
    },
    Constructor {
        container: "Map",
        name: "functions",
        rust: "Map::functions(dom, range)",
        tla_doc: "[dom -> range] (every function from dom to range: a domain of parameters, or `.contains(&f)` for f \\in [dom -> range])",
        module: None,
    },
    Constructor {
        container: "Seq",
        name: "new",
        rust: "Seq::new()",
        tla_doc: "<<>>",
        module: None,
    },
    Constructor {
        container: "Seq",
        name: "from",
        rust: "Seq::from([a, b])",
        tla_doc: "<<a, b>>",
        module: None,
    },
];

/// The method `name` on a receiver of type `recv`.
pub fn lookup(recv: &Type, name: &str) -> Option<&'static Method> {
    METHODS
        .iter()
        .find(|m| m.name == name && m.on != Recv::Any && m.on.accepts(recv))
        .or_else(|| METHODS.iter().find(|m| m.name == name && m.on == Recv::Any))
}

/// Whether some receiver has a method `name`.
pub fn exists(name: &str) -> bool {
    METHODS.iter().any(|m| m.name == name)
}

/// Whether every method named `name` changes its receiver.
pub fn mutates(name: &str) -> bool {
    let mut it = METHODS.iter().filter(|m| m.name == name).peekable();
    it.peek().is_some() && it.all(|m| m.mutates)
}

/// Whether a method `name` takes a closure.
pub fn takes_closure(name: &str) -> bool {
    METHODS.iter().any(|m| {
        m.name == name
            && m.args
                .iter()
                .any(|a| matches!(a, Arg::Pred | Arg::Fun | Arg::SetFun))
    })
}

/// The constructor `Container::name`.
pub fn constructor(container: &str, name: &str) -> Option<&'static Constructor> {
    CONSTRUCTORS
        .iter()
        .find(|c| c.container == container && c.name == name)
}

/// The names of the methods on `recv` (or all, for messages), sorted and without repetitions.
pub fn names(recv: Option<Recv>) -> Vec<&'static str> {
    let mut v: Vec<&'static str> = METHODS
        .iter()
        .filter(|m| recv.is_none_or(|r| m.on == r))
        .map(|m| m.name)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The methods table of docs/language.md, as Markdown rows.
pub fn docs_table() -> String {
    let mut out = String::from("| on | Rust | TLA+ | module |\n|---|---|---|---|\n");
    let esc = |s: &str| s.replace('|', "\\|");
    for m in METHODS {
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} |\n",
            m.on.name(),
            esc(m.rust),
            esc(m.tla_doc),
            m.module.map(StdModule::name).unwrap_or("")
        ));
    }
    for c in CONSTRUCTORS {
        out.push_str(&format!(
            "| {} | `{}` | `{}` | {} |\n",
            c.container,
            esc(c.rust),
            esc(c.tla_doc),
            c.module.map(StdModule::name).unwrap_or("")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_dispatches_on_the_receiver() {
        let set = Type::Set(Box::new(Type::Bool));
        let seq = Type::Seq(Box::new(Type::Bool));
        assert_eq!(lookup(&set, "len").unwrap().module, FS);
        assert_eq!(lookup(&seq, "len").unwrap().module, SQ);
        assert!(lookup(&set, "push").is_none());
        assert_eq!(lookup(&seq, "clone").unwrap().on, Recv::Any);
        assert!(mutates("insert") && mutates("push") && !mutates("len"));
        assert!(takes_closure("filter") && !takes_closure("count"));
    }

    #[test]
    fn every_method_has_one_entry_per_receiver() {
        for (i, a) in METHODS.iter().enumerate() {
            for b in &METHODS[i + 1..] {
                assert!(
                    !(a.name == b.name && a.on == b.on),
                    "`{}` on {} is listed twice",
                    a.name,
                    a.on.name()
                );
            }
        }
    }
}
