//! `TypeOK`: the invariant that every variable holds a value of its Rust type, generated from
//! the type declarations when the model defines no `TypeOK` of its own.
//!
//! | Rust type | the set it denotes |
//! |---|---|
//! | `bool` | `BOOLEAN` |
//! | `u8`, `u16`, `i8`, `i16` | `0..255`, `0..65535`, `-128..127`, `-32768..32767` |
//! | `u32`, `u64`, `usize` | `Nat` (TLC's integers end at 2^31 - 1) |
//! | `i32`, `i64`, `isize` | `Int` |
//! | model values of `Rm` | the configuration's values of `Rm` (a constant of that name, or `RmValues`) |
//! | unit enum | its variants' strings |
//! | enum with fields, struct | the union of record sets `[type : {"v"}, f : S]`, a record set |
//! | `Set<T>` | `SUBSET S` (or each element checked, when `T` has no set form) |
//! | `Seq<T>` | `Seq(S)` |
//! | tuple | `S1 \X S2` |
//! | `Map<K, V>` | `DOMAIN m \subseteq K /\ \A k \in DOMAIN m : m[k] \in V` |
//! | `Option<T>` | `o = <<>> \/ (DOMAIN o = {1} /\ o[1] \in T)` |
//!
//! Its bound names are fresh: they never capture a variable or constant of the model.

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{Model, Type, TypeKind};

use crate::translate::Cx;

/// TypeOK: membership of values in the sets their Rust types denote.
pub struct Typing<'a> {
    pub ir: &'a Model,
    /// Model-value type → the TLA+ name of its universe.
    pub universes: &'a [(String, String)],
    pub cx: &'a Cx<'a>,
}

impl Typing<'_> {
    /// The conjunction for every state variable.
    pub fn type_ok(&self) -> T {
        let conj: Vec<T> = self
            .ir
            .state
            .fields
            .iter()
            .map(|f| self.member(T::name(&f.tla), &f.ty, &[]))
            .collect();
        T::and(conj)
    }

    /// The standard modules the typing uses.
    pub fn modules(&self) -> Vec<StdModule> {
        let mut out = Vec::new();
        if self.needs(|t| matches!(t, Type::Int(_))) {
            out.push(StdModule::Integers);
        }
        if self.needs(|t| matches!(t, Type::Seq(_))) {
            out.push(StdModule::Sequences);
        }
        out
    }

    /// Whether any state variable's type contains a type matching `pred`.
    fn needs(&self, pred: impl Fn(&Type) -> bool + Copy) -> bool {
        fn walk(ir: &Model, t: &Type, pred: impl Fn(&Type) -> bool + Copy, depth: usize) -> bool {
            if pred(t) {
                return true;
            }
            if depth > 8 {
                return false;
            }
            match t {
                Type::Set(e) | Type::Seq(e) | Type::Option(e) | Type::Iter(e) => {
                    walk(ir, e, pred, depth + 1)
                }
                Type::Map(k, v) => walk(ir, k, pred, depth + 1) || walk(ir, v, pred, depth + 1),
                Type::Tuple(ts) => ts.iter().any(|x| walk(ir, x, pred, depth + 1)),
                Type::Named(n) => match ir.types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
                    Some(TypeKind::Struct(fs)) => {
                        fs.iter().any(|f| walk(ir, &f.ty, pred, depth + 1))
                    }
                    Some(TypeKind::Enum(vs)) => vs
                        .iter()
                        .flat_map(|v| &v.fields)
                        .any(|f| walk(ir, &f.ty, pred, depth + 1)),
                    None => false,
                },
                _ => false,
            }
        }
        self.ir
            .state
            .fields
            .iter()
            .any(|f| walk(self.ir, &f.ty, pred, 0))
    }

    /// The set a type denotes, where it has a readable, finite-or-checkable form.
    fn set_form(&self, ty: &Type) -> Option<T> {
        Some(match ty {
            Type::Bool => T::name("BOOLEAN"),
            Type::Int(n) => match n.as_str() {
                "u8" => T::infix("..", T::Num(0), T::Num(255)),
                "u16" => T::infix("..", T::Num(0), T::Num(65535)),
                "i8" => T::infix("..", T::Neg(Box::new(T::Num(128))), T::Num(127)),
                "i16" => T::infix("..", T::Neg(Box::new(T::Num(32768))), T::Num(32767)),
                "u32" | "u64" | "usize" => T::name("Nat"),
                _ => T::name("Int"),
            },
            Type::Named(n) => {
                if let Some((_, u)) = self.universes.iter().find(|(t, _)| t == n) {
                    return Some(T::name(u));
                }
                let decl = self.ir.types.iter().find(|d| &d.name == n)?;
                match &decl.kind {
                    TypeKind::Enum(vs) if vs.iter().all(|v| v.fields.is_empty()) => T::SetEnum(
                        vs.iter()
                            .map(|v| T::Str(lamport_ir::value_names::variant_tag(v)))
                            .collect(),
                    ),
                    TypeKind::Enum(vs) => {
                        let mut parts = Vec::new();
                        for v in vs {
                            let mut fields = vec![(
                                "type".to_string(),
                                T::SetEnum(vec![T::Str(lamport_ir::value_names::variant_tag(v))]),
                            )];
                            for f in &v.fields {
                                fields.push((f.tla.clone(), self.set_form(&f.ty)?));
                            }
                            parts.push(T::RecordSet(fields));
                        }
                        parts.into_iter().reduce(|a, b| T::infix("\\cup", a, b))?
                    }
                    TypeKind::Struct(fs) => {
                        let mut fields = Vec::new();
                        for f in fs {
                            fields.push((f.tla.clone(), self.set_form(&f.ty)?));
                        }
                        T::RecordSet(fields)
                    }
                }
            }
            Type::Set(e) => T::apply("SUBSET", vec![self.set_form(e)?]),
            Type::Seq(e) => T::apply("Seq", vec![self.set_form(e)?]),
            Type::Tuple(ts) => {
                let parts: Option<Vec<T>> = ts.iter().map(|t| self.set_form(t)).collect();
                parts?.into_iter().reduce(|a, b| T::infix("\\X", a, b))?
            }
            Type::Map(..) | Type::Option(_) | Type::Iter(_) => return None,
        })
    }

    /// `e` is a value of type `ty` (`bound`: the names bound around it).
    fn member(&self, e: T, ty: &Type, bound: &[String]) -> T {
        let fresh = |want: &str| -> String {
            let mut sc = crate::translate::Scope::default();
            for b in bound {
                sc.bound.insert(b.clone());
            }
            self.cx.fresh_name(want, &sc)
        };
        match ty {
            Type::Set(inner) if self.set_form(inner).is_some() => {
                T::infix("\\subseteq", e, self.set_form(inner).expect("checked"))
            }
            Type::Set(inner) => {
                let x = fresh("x");
                let inner_bound = with(bound, &x);
                T::Forall(
                    x.clone(),
                    Box::new(e),
                    Box::new(self.member(T::name(x), inner, &inner_bound)),
                )
            }
            Type::Map(k, v) => {
                let dom = T::apply("DOMAIN", vec![e.clone()]);
                let kn = fresh("k");
                let inner_bound = with(bound, &kn);
                let keys = match self.set_form(k) {
                    Some(s) => T::infix("\\subseteq", dom.clone(), s),
                    None => T::Forall(
                        kn.clone(),
                        Box::new(dom.clone()),
                        Box::new(self.member(T::name(&kn), k, &inner_bound)),
                    ),
                };
                let vals = T::Forall(
                    kn.clone(),
                    Box::new(dom),
                    Box::new(self.member(T::app(e, T::name(&kn)), v, &inner_bound)),
                );
                T::and(vec![keys, vals])
            }
            Type::Option(inner) => T::or(vec![
                T::infix("=", e.clone(), T::empty_tuple()),
                T::and(vec![
                    T::infix(
                        "=",
                        T::apply("DOMAIN", vec![e.clone()]),
                        T::SetEnum(vec![T::Num(1)]),
                    ),
                    self.member(T::app(e, T::Num(1)), inner, bound),
                ]),
            ]),
            other => match self.set_form(other) {
                Some(s) => T::infix("\\in", e, s),
                None => T::Bool(true),
            },
        }
    }
}

fn with(bound: &[String], n: &str) -> Vec<String> {
    let mut v = bound.to_vec();
    v.push(n.to_string());
    v
}
