//! Faults mean the same on both sides: what is a model error in lamport is an error of TLC on
//! the export, at the same step (through `Assert` of the TLC module).
//!
//! - An integer leaving its Rust type: the result of `+`, `-`, `*`, unary `-` and `as` is
//!   checked where TLC would not fail by itself: all of them for `i8`, `i16`, `u8`, `u16`; going
//!   below zero for `u32`, `u64`, `usize`. (`i32` has TLC's own range, whose overflow TLC
//!   reports; `i64` and `isize` values beyond TLC's 32-bit integers are an error of TLC only.)
//! - `/` and `%` on signed types: lamport requires a non-negative dividend and a positive
//!   divisor (where Rust's and TLA+'s meanings agree). On unsigned types only a zero divisor
//!   remains, which TLC reports itself.
//! - Writing a map entry outside the map's domain, or a sequence position past its end: a
//!   conjunct `Assert(k \in DOMAIN m, ..)` before the write (`EXCEPT` alone would change nothing).
//! - `s.the()` on a set without exactly one element, `q.subseq(a, b)` out of range: the support
//!   operators `TheOnly` and `Slice`.
//! - Reading a missing map key, a position past a sequence's end, `unwrap()` of `None`: TLC
//!   reports these itself (a function applied outside its domain).
//! - A value Rust computes but TLA+ would not evaluate — one no new value depends on (an
//!   assignment overwritten later, the condition of an `if` whose branches agree), or a helper's
//!   argument its body does not evaluate on every path — is kept as `Evaluated(v)` where it may
//!   fail (`may_fault`; for arguments, not for a bare function application).

use lamport_ir::names::StdModule;
use lamport_ir::ops::Support;
use lamport_ir::tla::T;
use lamport_ir::{BinOp, Expr, Type};

use super::{Cx, Scope};

/// The operators of TLA+'s standard modules the export applies with `Op(args)`: TLC evaluates
/// their arguments first (unlike a defined operator's, which are substituted).
pub const STANDARD_OPERATORS: &[&str] = &[
    "Cardinality",
    "Len",
    "DOMAIN",
    "SUBSET",
    "UNION",
    "Append",
    "Head",
    "Tail",
    "SubSeq",
    "Seq",
];

/// Those of `STANDARD_OPERATORS` that fail on some arguments (an empty sequence, a range out
/// of bounds).
pub const PARTIAL_STANDARD_OPERATORS: &[&str] = &["Head", "Tail", "SubSeq"];

/// The Rust integer types whose values the export checks.
pub const CHECKED_INT_TYPES: &[&str] = &["i8", "i16", "u8", "u16", "u32", "u64", "usize"];

/// The range of a Rust integer type the export checks, with `None` for "no upper bound here".
fn checked_range(ty: &str) -> Option<(i128, Option<i128>)> {
    Some(match ty {
        "i8" => (i8::MIN as i128, Some(i8::MAX as i128)),
        "i16" => (i16::MIN as i128, Some(i16::MAX as i128)),
        "u8" => (0, Some(u8::MAX as i128)),
        "u16" => (0, Some(u16::MAX as i128)),
        "u32" | "u64" | "usize" => (0, None),
        _ => return None,
    })
}

fn is_signed(ty: &str) -> bool {
    ty.starts_with('i')
}

/// The name a support operator has unless something else has it.
pub fn support_base_name(s: &Support) -> String {
    match s {
        Support::The => "TheOnly".into(),
        Support::Sum => "SumOf".into(),
        Support::Slice => "Slice".into(),
        Support::Quotient => "Quotient".into(),
        Support::Remainder => "Remainder".into(),
        Support::Evaluated => "Evaluated".into(),
        Support::Range(ty) => format!("Checked{}", lamport_ir::naming::pascal_case(ty)),
    }
}

/// The standard modules a support operator's definition uses.
pub fn support_modules(s: &Support) -> Vec<StdModule> {
    match s {
        Support::The => vec![StdModule::FiniteSets, StdModule::Tlc],
        Support::Sum => vec![StdModule::Integers],
        Support::Slice => vec![StdModule::Sequences, StdModule::Integers, StdModule::Tlc],
        Support::Quotient | Support::Remainder | Support::Range(_) => {
            vec![StdModule::Integers, StdModule::Tlc]
        }
        Support::Evaluated => vec![],
    }
}

fn assert_false(msg: &str) -> T {
    T::apply("Assert", vec![T::Bool(false), T::Str(msg.to_string())])
}

/// A support operator's definition: its head (`TheOnly(S)`), its body, whether it is recursive,
/// and a comment saying why it is there.
pub fn support_definition(cx: &Cx<'_>, s: &Support) -> (String, T, bool, String) {
    let name = cx.support_name(s);
    let sc = Scope::default();
    let mut sc1 = sc.clone();
    let mut fresh = |want: &str| cx.bind_fresh(want, &mut sc1);
    match s {
        Support::The => {
            let set = fresh("S");
            let x = fresh("x");
            let body = T::if_(
                T::infix("=", T::apply("Cardinality", vec![T::name(&set)]), T::Num(1)),
                T::Choose(x, Box::new(T::name(&set)), Box::new(T::Bool(true))),
                assert_false("the(): the set does not have exactly one element"),
            );
            (format!("{name}({set})"), body, false, "The one element of a set, as `s.the()` is in lamport: an error unless the set has exactly one.".into())
        }
        Support::Sum => {
            let f = fresh("f");
            let k = fresh("k");
            let j = fresh("j");
            let dom = T::apply("DOMAIN", vec![T::name(&f)]);
            let rest = T::FnCons(
                j.clone(),
                Box::new(T::infix("\\", dom.clone(), T::SetEnum(vec![T::name(&k)]))),
                Box::new(T::app(T::name(&f), T::name(&j))),
            );
            let body = T::if_(
                T::infix("=", dom.clone(), T::SetEnum(vec![])),
                T::Num(0),
                T::Let(
                    vec![(
                        k.clone(),
                        T::Choose(k.clone(), Box::new(dom), Box::new(T::Bool(true))),
                    )],
                    Box::new(T::infix(
                        "+",
                        T::app(T::name(&f), T::name(&k)),
                        T::apply(&name, vec![rest]),
                    )),
                ),
            );
            (format!("{name}({f})"), body, true, "The sum of a function's values, each element of its domain once: `.sum()` in lamport.".into())
        }
        Support::Slice => {
            let q = fresh("s");
            let from = fresh("from");
            let to = fresh("to");
            let body = T::if_(
                T::and(vec![
                    T::infix("<=", T::name(&from), T::name(&to)),
                    T::infix("<=", T::name(&to), T::apply("Len", vec![T::name(&q)])),
                ]),
                T::apply(
                    "SubSeq",
                    vec![
                        T::name(&q),
                        T::infix("+", T::name(&from), T::Num(1)),
                        T::name(&to),
                    ],
                ),
                assert_false("subseq(from, to): out of range"),
            );
            (format!("{name}({q}, {from}, {to})"), body, false, "The elements at 0-based positions from..to, as `q.subseq(from, to)` in lamport: an error out of range.".into())
        }
        Support::Evaluated => {
            let v = fresh("v");
            let body = T::infix("=", T::name(&v), T::name(&v));
            (format!("{name}({v})"), body, false, "TRUE once `v` is evaluated: a value lamport computes (Rust evaluates every statement) that no new value depends on, so that a fault in it is TLC's too.".into())
        }
        Support::Quotient | Support::Remainder => {
            let a = fresh("a");
            let b = fresh("b");
            let (op, what) = if *s == Support::Quotient {
                ("\\div", "/")
            } else {
                ("%", "%")
            };
            let body = T::if_(
                T::and(vec![T::infix(">=", T::name(&a), T::Num(0)), T::infix(">", T::name(&b), T::Num(0))]),
                T::infix(op, T::name(&a), T::name(&b)),
                assert_false(&format!("{what}: lamport's integer {} needs a non-negative dividend and a positive divisor", if *s == Support::Quotient { "division" } else { "remainder" })),
            );
            (format!("{name}({a}, {b})"), body, false, format!("`a {what} b` on signed integers, where Rust's and TLA+'s meanings agree (otherwise an error, as in lamport)."))
        }
        Support::Range(ty) => {
            let n = fresh("n");
            let (lo, hi) = checked_range(ty).unwrap_or((0, None));
            let cond = match hi {
                Some(hi) => T::infix("\\in", T::name(&n), T::infix("..", num(lo), num(hi))),
                None => T::infix(">=", T::name(&n), num(lo)),
            };
            let body = T::if_(
                cond,
                T::name(&n),
                assert_false(&format!("the value leaves the Rust type {ty}")),
            );
            (
                format!("{name}({n})"),
                body,
                false,
                format!("A value of Rust's `{ty}`: an error outside its range, as in lamport."),
            )
        }
    }
}

fn num(n: i128) -> T {
    if n < 0 {
        T::Neg(Box::new(T::Num(-n)))
    } else {
        T::Num(n)
    }
}

impl Cx<'_> {
    /// `x op y` of Rust type `ty`, checked where the type's range needs it.
    pub(crate) fn arith(&self, op: BinOp, x: T, y: T, ty: Option<&Type>) -> T {
        let int = match ty {
            Some(Type::Int(n)) => n.as_str(),
            _ => "",
        };
        match op {
            BinOp::Div | BinOp::Rem if is_signed(int) => {
                let s = if op == BinOp::Div {
                    Support::Quotient
                } else {
                    Support::Remainder
                };
                let f = self.use_support(s);
                T::apply(&f, vec![x, y])
            }
            BinOp::Div => T::infix("\\div", x, y),
            BinOp::Rem => T::infix("%", x, y),
            _ => {
                let sym = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    _ => "*",
                };
                let t = T::infix(sym, x, y);
                self.checked_int(t, ty, op == BinOp::Sub)
            }
        }
    }

    /// `t`, a result of Rust type `ty`, checked to stay in the type (`may_go_negative`: for the
    /// types without an upper bound here, whether it can leave them at all).
    pub(crate) fn checked_int(&self, t: T, ty: Option<&Type>, may_go_negative: bool) -> T {
        let Some(Type::Int(n)) = ty else { return t };
        match checked_range(n) {
            Some((_, Some(_))) => {
                let f = self.use_support(Support::Range(n.clone()));
                T::apply(&f, vec![t])
            }
            Some((_, None)) if may_go_negative => {
                let f = self.use_support(Support::Range(n.clone()));
                T::apply(&f, vec![t])
            }
            _ => t,
        }
    }

    /// `t as to`, from Rust type `from`.
    pub(crate) fn checked_cast(&self, t: T, from: Option<&Type>, to: Option<&Type>) -> T {
        let (Some(Type::Int(f)), Some(Type::Int(n))) = (from, to) else {
            return t;
        };
        let fits = match (checked_range(f), checked_range(n)) {
            (_, None) => true,
            (Some((flo, Some(fhi))), Some((lo, Some(hi)))) => flo >= lo && fhi <= hi,
            (Some((flo, _)), Some((lo, None))) => flo >= lo,
            (None, Some((lo, None))) => !is_signed(f) && f != "{integer}" && lo == 0,
            _ => false,
        };
        if fits {
            t
        } else {
            let f = self.use_support(Support::Range(n.clone()));
            T::apply(&f, vec![t])
        }
    }

    /// Whether evaluating `t` can be an error of TLC: a function applied (outside its domain),
    /// `CHOOSE` (from a set without a fitting element), `\div`, `%`, `Assert`, a support
    /// operator that checks a fault, `Head`/`Tail`/`SubSeq`, or a call of one of the model's
    /// helpers whose body can.
    pub(crate) fn may_fault(&self, t: &T) -> bool {
        self.may_fault_by(t, true)
    }

    /// `may_fault`, counting a function applied as a possible error only if `applications`.
    pub(crate) fn may_fault_by(&self, t: &T, applications: bool) -> bool {
        let mut found = false;
        t.visit(&mut |u| match u {
            T::FnApp(..) if applications => found = true,
            T::Choose(..) => found = true,
            T::Infix(op, ..) if *op == "\\div" || *op == "%" => found = true,
            T::Apply(op, _) if !found => {
                let harmless = (STANDARD_OPERATORS.contains(&op.as_str())
                    && !PARTIAL_STANDARD_OPERATORS.contains(&op.as_str()))
                    || *op == self.support_name(&Support::Evaluated);
                if !harmless {
                    found = match self.ir.helpers.iter().find(|h| h.tla == *op) {
                        Some(h) => self.helper_may_fault(h),
                        None => true,
                    };
                }
            }
            _ => {}
        });
        found
    }

    fn helper_may_fault(&self, h: &lamport_ir::Operator) -> bool {
        if let Some(&known) = self.helper_may_fault.borrow().get(&h.tla) {
            return known;
        }
        self.helper_may_fault
            .borrow_mut()
            .insert(h.tla.clone(), false);
        let answer = match self.helper(h) {
            Ok((_, body)) => self.may_fault(&body),
            Err(_) => true,
        };
        self.helper_may_fault
            .borrow_mut()
            .insert(h.tla.clone(), answer);
        answer
    }

    /// `Evaluated(t)` as a conjunct where `t` may fault (see `may_fault`), else nothing.
    pub(crate) fn keep_evaluated(&self, t: &T) -> Option<T> {
        self.may_fault(t)
            .then(|| T::apply(&self.use_support(Support::Evaluated), vec![t.clone()]))
    }

    /// `Assert(k \in DOMAIN f, ..)`: a write at key `k` of `f` must be inside its domain.
    pub(crate) fn domain_check(&self, k: T, f: T, place: &Expr, ty: Option<&Type>) -> T {
        self.uses(StdModule::Tlc);
        let what = match ty {
            Some(Type::Seq(_)) => "a position past the end of the sequence",
            _ => "a key outside the map's domain",
        };
        let rust = place_text(place);
        T::apply(
            "Assert",
            vec![
                T::infix("\\in", k, T::apply("DOMAIN", vec![f])),
                T::Str(format!("{rust} = ..: {what}")),
            ],
        )
    }
}

/// A short Rust rendering of a place, for messages (`rmState[..]`).
fn place_text(e: &Expr) -> String {
    match &e.kind {
        lamport_ir::ExprKind::Var { field, .. } => format!("s.{field}"),
        lamport_ir::ExprKind::Field(b, f) => format!("{}.{f}", place_text(b)),
        lamport_ir::ExprKind::Index(b, _) => format!("{}[..]", place_text(b)),
        _ => "the place".into(),
    }
}
