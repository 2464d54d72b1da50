//! IR bodies → TLA+ expressions, with the declared types in hand.
//!
//! Actions are translated by symbolic execution: statements run top to bottom over the current
//! symbolic value of each state variable; the result is the guards (with `LET`s for the body's
//! `let`s) and one `x' = e` per changed variable, `UNCHANGED` for the rest. Every construct has
//! exactly one translation; one without an exact translation is an [`ExportError`] that names it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::{
    naming, Arm, BinOp, Block, Expr, Lit, Model, Operator, Pat, Stmt, Type, TypeKind, UnOp,
};

use crate::ast::{ExceptStep, T};

/// A construct that has no exact TLA+ translation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError(pub String);

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ExportError {}

type R<X> = Result<X, ExportError>;

fn fail<X>(msg: impl Into<String>) -> R<X> {
    Err(ExportError(msg.into()))
}

/// Standard modules a module needs, noted while translating.
#[derive(Default, Clone, Debug)]
pub struct Uses {
    pub integers: bool,
    pub finite_sets: bool,
    pub sequences: bool,
    pub tlc: bool,
}

/// What a Rust name stands for in a body.
#[derive(Clone, Debug)]
enum Bind {
    Val(T, Option<Type>),
    State,
    /// The state after a step (in a step property): its variables are primed.
    NextState,
    Config,
}

/// The translation context of one model.
pub struct Cx<'a> {
    pub ir: &'a Model,
    pub uses: RefCell<Uses>,
    /// Names a fresh bound variable must not take (variables, constants, operators, ...).
    reserved: BTreeSet<String>,
    fresh_counter: RefCell<usize>,
    /// Helpers (by TLA+ name) whose body TLC may take more than one way through in an action.
    branching_helpers: RefCell<BTreeMap<String, bool>>,
    /// Set while translating a `require_witnesses!` guard: `!a || b` must stay a disjunction
    /// there (as an implication TLC would count it differently).
    literal_or: std::cell::Cell<bool>,
}

/// A body's scope: bound names, and the current symbolic value of changed state variables.
#[derive(Clone, Default)]
struct Scope {
    binds: Vec<(String, Bind)>,
    /// Rust field name → current value (only fields changed so far).
    cur: BTreeMap<String, T>,
    /// TLA+ names bound in this scope (for fresh-name generation).
    bound: BTreeSet<String>,
}

impl Scope {
    fn lookup(&self, name: &str) -> Option<&Bind> {
        self.binds
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }

    fn bind(&mut self, name: &str, b: Bind) {
        self.binds.push((name.to_string(), b));
    }
}

/// Items of an action body, in order: guards and `LET` definitions.
enum Item {
    /// A `require!`: one condition (written opaquely if TLC could branch on it).
    Guard(T),
    /// A `require_witnesses!`: a conjunct TLC enumerates; its structure (`\/`, `\E`, `/\`, `\A`,
    /// `IF`) is kept and only its leaves are made opaque, as lamport counts it.
    Witness(T),
    Let(String, T),
}

/// A stream being built from an iterator chain over a finite collection.
struct Stream {
    /// Bound variable.
    var: String,
    /// The set it ranges over.
    domain: T,
    /// Conjuncts over `var`.
    filters: Vec<T>,
    /// The current element, in terms of `var`.
    elem: T,
    elem_ty: Option<Type>,
    /// Whether `var` ranges over the indices of a sequence (`elem` is `s[var]`).
    seq_source: Option<T>,
}

fn int_ty() -> Option<Type> {
    Some(Type::Int("int".into()))
}

fn is_int(t: &Option<Type>) -> bool {
    matches!(t, Some(Type::Int(_)))
}

impl<'a> Cx<'a> {
    pub fn new(ir: &'a Model) -> Cx<'a> {
        let mut reserved: BTreeSet<String> = BTreeSet::new();
        for f in ir.state.fields.iter().chain(&ir.constants.fields) {
            reserved.insert(f.tla.clone());
        }
        for op in ir
            .actions
            .iter()
            .chain(&ir.invariants)
            .chain(&ir.constraints)
            .chain(&ir.helpers)
        {
            reserved.insert(op.tla.clone());
        }
        for mv in &ir.model_values {
            reserved.insert(mv.name.clone());
        }
        for w in [
            "Init",
            "Next",
            "Spec",
            "vars",
            "TypeOK",
            "Len",
            "Append",
            "Head",
            "Tail",
            "Cardinality",
            "SubSeq",
            "Seq",
            "Int",
            "Nat",
            "BOOLEAN",
            "TRUE",
            "FALSE",
            "DOMAIN",
            "SUBSET",
            "UNION",
        ] {
            reserved.insert(w.to_string());
        }
        Cx {
            ir,
            uses: RefCell::new(Uses::default()),
            reserved,
            fresh_counter: RefCell::new(0),
            branching_helpers: RefCell::new(BTreeMap::new()),
            literal_or: std::cell::Cell::new(false),
        }
    }

    /// A TLA+ name for a Rust local `want`, not clashing with anything in scope.
    fn fresh(&self, want: &str, scope: &Scope) -> String {
        let base = if want.is_empty() || want == "_" {
            "x".to_string()
        } else {
            want.to_string()
        };
        if !self.reserved.contains(&base) && !scope.bound.contains(&base) {
            return base;
        }
        loop {
            let mut c = self.fresh_counter.borrow_mut();
            *c += 1;
            let candidate = format!("{base}_{c}");
            if !self.reserved.contains(&candidate) && !scope.bound.contains(&candidate) {
                return candidate;
            }
        }
    }

    fn state_field(&self, name: &str) -> R<&lamport_ir::Field> {
        self.ir
            .state
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ExportError(format!("`{name}` is not a state variable")))
    }

    fn const_field(&self, name: &str) -> R<&lamport_ir::Field> {
        self.ir
            .constants
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ExportError(format!("`{name}` is not a constant")))
    }

    fn type_decl(&self, name: &str) -> Option<&lamport_ir::TypeDecl> {
        self.ir.types.iter().find(|t| t.name == name)
    }

    fn is_unit_enum(&self, name: &str) -> bool {
        matches!(self.type_decl(name).map(|d| &d.kind), Some(TypeKind::Enum(vs)) if vs.iter().all(|v| v.fields.is_empty()))
    }

    fn variant_tag(variant: &str) -> String {
        naming::snake_case(variant)
    }

    /// The value of a unit variant `Enum::V`.
    fn unit_variant(&self, ty: &str, variant: &str) -> R<T> {
        let decl = self
            .type_decl(ty)
            .ok_or_else(|| ExportError(format!("`{ty}` is not a type of this model")))?;
        let TypeKind::Enum(vs) = &decl.kind else {
            return fail(format!("`{ty}` is not an enum"));
        };
        if !vs.iter().any(|v| v.name == variant) {
            return fail(format!("`{ty}` has no variant `{variant}`"));
        }
        let tag = Self::variant_tag(variant);
        if self.is_unit_enum(ty) {
            Ok(T::Str(tag))
        } else {
            Ok(T::Record(vec![("type".into(), T::Str(tag))]))
        }
    }

    /// Which enum declares a variant named `variant` (for unqualified paths).
    fn enum_of_variant(&self, variant: &str) -> Option<&str> {
        self.ir.types.iter().find_map(|t| match &t.kind {
            TypeKind::Enum(vs) if vs.iter().any(|v| v.name == variant) => Some(t.name.as_str()),
            _ => None,
        })
    }

    fn field_type(&self, ty: &Option<Type>, field: &str) -> Option<Type> {
        let Some(Type::Named(n)) = ty else {
            return None;
        };
        match &self.type_decl(n)?.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .find(|f| f.name == field)
                .map(|f| f.ty.clone()),
            TypeKind::Enum(vs) => vs
                .iter()
                .flat_map(|v| &v.fields)
                .find(|f| f.name == field)
                .map(|f| f.ty.clone()),
        }
    }

    // ----- expressions -----

    fn expr(&self, e: &Expr, sc: &Scope, expect: Option<&Type>) -> R<(T, Option<Type>)> {
        match e {
            Expr::Lit(Lit::Bool(b)) => Ok((T::Bool(*b), Some(Type::Bool))),
            Expr::Lit(Lit::Int(n)) => {
                self.uses.borrow_mut().integers = true;
                Ok((
                    T::Num(*n),
                    expect
                        .filter(|t| matches!(t, Type::Int(_)))
                        .cloned()
                        .or_else(int_ty),
                ))
            }
            Expr::Path(p) => self.path(p, sc),
            Expr::Ref(inner) | Expr::Deref(inner) => self.expr(inner, sc, expect),
            Expr::Field(base, f) => self.field(base, f, sc),
            Expr::TupleField(base, i) => {
                let (t, ty) = self.expr(base, sc, None)?;
                let elem = match ty {
                    Some(Type::Tuple(ts)) => ts.get(*i as usize).cloned(),
                    _ => None,
                };
                Ok((
                    T::FnApp(Box::new(t), Box::new(T::Num(*i as i128 + 1))),
                    elem,
                ))
            }
            Expr::Index(base, idx) => {
                let (b, bty) = self.expr(base, sc, None)?;
                match bty {
                    Some(Type::Map(k, v)) => {
                        let (i, _) = self.expr(idx, sc, Some(&k))?;
                        Ok((T::FnApp(Box::new(b), Box::new(i)), Some(*v)))
                    }
                    Some(Type::Seq(v)) => {
                        let (i, _) = self.expr(idx, sc, None)?;
                        self.uses.borrow_mut().integers = true;
                        Ok((
                            T::FnApp(Box::new(b), Box::new(T::infix("+", i, T::Num(1)))),
                            Some(*v),
                        ))
                    }
                    other => fail(format!(
                        "indexing is translated for `Map` and `Seq` only, not {other:?}"
                    )),
                }
            }
            Expr::Unary(UnOp::Not, a) => Ok((
                T::negate(self.expr(a, sc, Some(&Type::Bool))?.0),
                Some(Type::Bool),
            )),
            Expr::Unary(UnOp::Neg, a) => {
                self.uses.borrow_mut().integers = true;
                let (t, ty) = self.expr(a, sc, expect)?;
                Ok((T::Neg(Box::new(t)), ty))
            }
            Expr::Binary(op, a, b) => self.binary(*op, a, b, sc),
            Expr::If { cond, then, els } => {
                let Some(els) = els else {
                    return fail("an `if` without `else` has no value: add an `else` branch");
                };
                let (c, then_sc) = self.condition(cond, sc)?;
                let (t, ty) = self.block_value(then, &then_sc, expect)?;
                let (f, fty) = self.expr(els, sc, expect.or(ty.as_ref()))?;
                Ok((T::If(Box::new(c), Box::new(t), Box::new(f)), ty.or(fty)))
            }
            Expr::LetCond { .. } => {
                fail("`let` conditions are translated only directly in an `if let`")
            }
            Expr::Match { scrutinee, arms } => self.match_expr(scrutinee, arms, sc, expect),
            Expr::Block(b) => self.block_value(b, sc, expect),
            Expr::MethodCall {
                receiver,
                method,
                turbofish,
                args,
            } => self.method(receiver, method, turbofish.as_deref(), args, sc, expect),
            Expr::Call { func, args } => self.call(func, args, sc, expect),
            Expr::Closure { .. } => {
                fail("a closure is translated only as the argument of an iterator method")
            }
            Expr::Struct { path, fields, rest } => {
                self.struct_lit(path, fields, rest.as_deref(), sc)
            }
            Expr::Tuple(items) => {
                let mut ts = Vec::new();
                let mut tys = Vec::new();
                for (i, it) in items.iter().enumerate() {
                    let want = match expect {
                        Some(Type::Tuple(ws)) => ws.get(i),
                        _ => None,
                    };
                    let (t, ty) = self.expr(it, sc, want)?;
                    ts.push(t);
                    tys.push(ty);
                }
                let ty = tys.into_iter().collect::<Option<Vec<_>>>().map(Type::Tuple);
                Ok((T::Tuple(ts), ty))
            }
            Expr::Range {
                from,
                to,
                inclusive,
            } => {
                self.uses.borrow_mut().integers = true;
                let (a, _) = self.expr(from, sc, None)?;
                let (b, _) = self.expr(to, sc, None)?;
                let hi = if *inclusive { b } else { simplify_minus_one(b) };
                Ok((
                    T::infix("..", a, hi),
                    Some(Type::Set(Box::new(Type::Int("int".into())))),
                ))
            }
            Expr::Cast { expr, ty } => {
                let (t, _) = self.expr(expr, sc, None)?;
                Ok((t, Some(Type::Int(ty.clone()))))
            }
            Expr::Array(items) => {
                let mut ts = Vec::new();
                let mut ety = None;
                for it in items {
                    let (t, ty) = self.expr(it, sc, None)?;
                    ts.push(t);
                    ety = ety.or(ty);
                }
                Ok((T::SetEnum(ts), ety.map(|t| Type::Set(Box::new(t)))))
            }
        }
    }

    fn path(&self, p: &[String], sc: &Scope) -> R<(T, Option<Type>)> {
        match p {
            [one] => match sc.lookup(one) {
                Some(Bind::Val(t, ty)) => Ok((t.clone(), ty.clone())),
                Some(Bind::State | Bind::NextState) => fail(format!(
                    "the whole state `{one}` is used as a value: read its fields (`{one}.field`)"
                )),
                Some(Bind::Config) => fail(format!(
                    "the whole constants struct `{one}` is used as a value: read its fields"
                )),
                None if one == "None" => Ok((T::Tuple(vec![]), None)),
                None => match self.enum_of_variant(one) {
                    Some(ty) => Ok((
                        self.unit_variant(ty, one)?,
                        Some(Type::Named(ty.to_string())),
                    )),
                    None => fail(format!("`{one}` is not a name the translation knows")),
                },
            },
            [.., ty, variant] if self.type_decl(ty).is_some() => Ok((
                self.unit_variant(ty, variant)?,
                Some(Type::Named(ty.clone())),
            )),
            _ => fail(format!("path `{}` has no translation", p.join("::"))),
        }
    }

    fn field(&self, base: &Expr, f: &str, sc: &Scope) -> R<(T, Option<Type>)> {
        if let Expr::Path(p) = base {
            if let [one] = p.as_slice() {
                match sc.lookup(one) {
                    Some(Bind::State) => {
                        let fld = self.state_field(f)?;
                        let t = sc.cur.get(f).cloned().unwrap_or_else(|| T::name(&fld.tla));
                        return Ok((t, Some(fld.ty.clone())));
                    }
                    Some(Bind::NextState) => {
                        let fld = self.state_field(f)?;
                        return Ok((T::Primed(fld.tla.clone()), Some(fld.ty.clone())));
                    }
                    Some(Bind::Config) => {
                        let fld = self.const_field(f)?;
                        return Ok((T::name(&fld.tla), Some(fld.ty.clone())));
                    }
                    _ => {}
                }
            }
        }
        let (t, ty) = self.expr(base, sc, None)?;
        let fty = self.field_type(&ty, f);
        Ok((T::Dot(Box::new(t), naming::camel_case(f)), fty))
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, sc: &Scope) -> R<(T, Option<Type>)> {
        use BinOp::*;
        match op {
            Or if !self.literal_or.get() && matches!(a, Expr::Unary(UnOp::Not, _)) => {
                // `!p || q` is the implication `p => q`, as a spec writes it.
                let Expr::Unary(_, p) = a else { unreachable!() };
                let (x, _) = self.expr(p, sc, Some(&Type::Bool))?;
                let (y, _) = self.expr(b, sc, Some(&Type::Bool))?;
                Ok((T::Implies(Box::new(x), Box::new(y)), Some(Type::Bool)))
            }
            And | Or => {
                let (x, _) = self.expr(a, sc, Some(&Type::Bool))?;
                let (y, _) = self.expr(b, sc, Some(&Type::Bool))?;
                Ok((
                    if op == And {
                        T::and(vec![x, y])
                    } else {
                        T::or(vec![x, y])
                    },
                    Some(Type::Bool),
                ))
            }
            Eq | Ne => {
                let (x, xt) = self.expr(a, sc, None)?;
                let (y, _) = self.expr(b, sc, xt.as_ref())?;
                Ok((
                    T::infix(if op == Eq { "=" } else { "#" }, x, y),
                    Some(Type::Bool),
                ))
            }
            Lt | Le | Gt | Ge => {
                let (x, xt) = self.expr(a, sc, None)?;
                let (y, yt) = self.expr(b, sc, xt.as_ref())?;
                if (xt.is_some() && !is_int(&xt)) || (yt.is_some() && !is_int(&yt)) {
                    return fail("`<`, `<=`, `>`, `>=` are translated for integers only (TLA+ has no order on other values)");
                }
                self.uses.borrow_mut().integers = true;
                let sym = match op {
                    Lt => "<",
                    Le => "<=",
                    Gt => ">",
                    _ => ">=",
                };
                Ok((T::infix(sym, x, y), Some(Type::Bool)))
            }
            Add | Sub | Mul | Div | Rem => {
                let (x, xt) = self.expr(a, sc, None)?;
                let (y, yt) = self.expr(b, sc, xt.as_ref())?;
                self.uses.borrow_mut().integers = true;
                let sym = match op {
                    Add => "+",
                    Sub => "-",
                    Mul => "*",
                    Div => "\\div",
                    _ => "%",
                };
                Ok((T::infix(sym, x, y), xt.or(yt)))
            }
        }
    }

    /// A condition, possibly `if let PAT = e`: the TLA+ condition and the scope of the branch.
    fn condition(&self, cond: &Expr, sc: &Scope) -> R<(T, Scope)> {
        if let Expr::LetCond { pat, scrutinee } = cond {
            let (s, sty) = self.expr(scrutinee, sc, None)?;
            let mut inner = sc.clone();
            let c = self.pattern(pat, &s, &sty, &mut inner)?;
            return Ok((c.unwrap_or(T::Bool(true)), inner));
        }
        let (c, _) = self.expr(cond, sc, Some(&Type::Bool))?;
        Ok((c, sc.clone()))
    }

    /// The condition under which `value` matches `pat` (`None`: always), binding the pattern's
    /// names in `sc` to parts of `value`.
    fn pattern(&self, pat: &Pat, value: &T, ty: &Option<Type>, sc: &mut Scope) -> R<Option<T>> {
        match pat {
            Pat::Wild => Ok(None),
            // `None` in a pattern is `Option::None`, not a new name.
            Pat::Ident(x) if x == "None" => {
                Ok(Some(T::infix("=", value.clone(), T::Tuple(vec![]))))
            }
            Pat::Ident(x) => {
                // An unqualified unit variant (`Working`) is a pattern too.
                if let Some(Type::Named(n)) = ty {
                    if let Some(TypeKind::Enum(vs)) = self.type_decl(n).map(|d| &d.kind) {
                        if vs.iter().any(|v| &v.name == x && v.fields.is_empty()) {
                            return self.pattern(
                                &Pat::Path(vec![n.clone(), x.clone()]),
                                value,
                                ty,
                                sc,
                            );
                        }
                    }
                }
                sc.bind(x, Bind::Val(value.clone(), ty.clone()));
                Ok(None)
            }
            Pat::Ref(p) => self.pattern(p, value, ty, sc),
            Pat::Lit(Lit::Int(n)) => Ok(Some(T::infix("=", value.clone(), T::Num(*n)))),
            Pat::Lit(Lit::Bool(b)) => Ok(Some(if *b {
                value.clone()
            } else {
                T::negate(value.clone())
            })),
            Pat::Tuple(ps) => {
                let tys = match ty {
                    Some(Type::Tuple(ts)) => ts.clone(),
                    _ => vec![],
                };
                let mut conds = Vec::new();
                for (i, p) in ps.iter().enumerate() {
                    let part = T::FnApp(Box::new(value.clone()), Box::new(T::Num(i as i128 + 1)));
                    if let Some(c) = self.pattern(p, &part, &tys.get(i).cloned(), sc)? {
                        conds.push(c);
                    }
                }
                Ok(if conds.is_empty() {
                    None
                } else {
                    Some(T::and(conds))
                })
            }
            Pat::Path(p) => {
                let (ety, variant) = match p.as_slice() {
                    [v] if v == "None" => {
                        return Ok(Some(T::infix("=", value.clone(), T::Tuple(vec![]))))
                    }
                    [v] => (self.enum_of_variant(v).map(str::to_string), v.clone()),
                    [.., t, v] => (Some(t.clone()), v.clone()),
                    [] => return fail("empty pattern path"),
                };
                let ety = ety.ok_or_else(|| {
                    ExportError(format!("unknown variant `{variant}` in a pattern"))
                })?;
                let tag = Self::variant_tag(&variant);
                Ok(Some(if self.is_unit_enum(&ety) {
                    T::infix("=", value.clone(), T::Str(tag))
                } else {
                    T::infix(
                        "=",
                        T::Dot(Box::new(value.clone()), "type".into()),
                        T::Str(tag),
                    )
                }))
            }
            Pat::Struct { path, fields, .. } => {
                let (ety, variant) = match path.as_slice() {
                    [.., t, v] => (t.clone(), v.clone()),
                    [v] => match self.enum_of_variant(v) {
                        Some(t) => (t.to_string(), v.clone()),
                        None => {
                            // A struct pattern on a record type: bind its fields.
                            let mut conds = Vec::new();
                            for (f, p) in fields {
                                let part = T::Dot(Box::new(value.clone()), naming::camel_case(f));
                                let fty = self.field_type(&Some(Type::Named(v.clone())), f);
                                if let Some(c) = self.pattern(p, &part, &fty, sc)? {
                                    conds.push(c);
                                }
                            }
                            return Ok(if conds.is_empty() {
                                None
                            } else {
                                Some(T::and(conds))
                            });
                        }
                    },
                    [] => return fail("empty pattern path"),
                };
                let mut conds = vec![T::infix(
                    "=",
                    T::Dot(Box::new(value.clone()), "type".into()),
                    T::Str(Self::variant_tag(&variant)),
                )];
                let decl_fields = match self.type_decl(&ety).map(|d| &d.kind) {
                    Some(TypeKind::Enum(vs)) => vs
                        .iter()
                        .find(|v| v.name == variant)
                        .map(|v| v.fields.clone())
                        .unwrap_or_default(),
                    _ => vec![],
                };
                for (f, p) in fields {
                    let part = T::Dot(Box::new(value.clone()), naming::camel_case(f));
                    let fty = decl_fields
                        .iter()
                        .find(|d| &d.name == f)
                        .map(|d| d.ty.clone());
                    if let Some(c) = self.pattern(p, &part, &fty, sc)? {
                        conds.push(c);
                    }
                }
                Ok(Some(T::and(conds)))
            }
            Pat::TupleStruct { path, elems } => match (path.as_slice(), elems.as_slice()) {
                ([s], [p]) if s == "Some" => {
                    let inner_ty = match ty {
                        Some(Type::Option(t)) => Some((**t).clone()),
                        _ => None,
                    };
                    let part = T::FnApp(Box::new(value.clone()), Box::new(T::Num(1)));
                    let mut conds = vec![T::infix("#", value.clone(), T::Tuple(vec![]))];
                    if let Some(c) = self.pattern(p, &part, &inner_ty, sc)? {
                        conds.push(c);
                    }
                    Ok(Some(T::and(conds)))
                }
                _ => fail(format!(
                    "pattern `{}(..)` has no translation",
                    path.join("::")
                )),
            },
            Pat::Or(ps) => {
                let mut conds = Vec::new();
                for p in ps {
                    let mut probe = sc.clone();
                    let before = probe.binds.len();
                    let c = self.pattern(p, value, ty, &mut probe)?;
                    if probe.binds.len() != before {
                        return fail(
                            "or-patterns that bind names have no translation: write separate arms",
                        );
                    }
                    match c {
                        Some(c) => conds.push(c),
                        None => return Ok(None),
                    }
                }
                Ok(Some(T::or(conds)))
            }
        }
    }

    fn match_expr(
        &self,
        scrutinee: &Expr,
        arms: &[Arm],
        sc: &Scope,
        expect: Option<&Type>,
    ) -> R<(T, Option<Type>)> {
        let (s, sty) = self.expr(scrutinee, sc, None)?;
        // Name a compound scrutinee once.
        let (value, mut outer) = match &s {
            T::Name(_) | T::Dot(..) => (s.clone(), None),
            _ => {
                let n = self.fresh("m", sc);
                (T::name(&n), Some((n, s.clone())))
            }
        };
        let mut case_arms = Vec::new();
        let mut other = None;
        let mut ty = expect.cloned();
        for arm in arms {
            let mut asc = sc.clone();
            if let Some((n, _)) = &outer {
                asc.bound.insert(n.clone());
            }
            let cond = self.pattern(&arm.pat, &value, &sty, &mut asc)?;
            let guard = match &arm.guard {
                Some(g) => Some(self.expr(g, &asc, Some(&Type::Bool))?.0),
                None => None,
            };
            let (body, bty) = self.expr(&arm.body, &asc, ty.as_ref())?;
            ty = ty.or(bty);
            let full = match (cond, guard) {
                (None, None) => None,
                (Some(c), None) => Some(c),
                (None, Some(g)) => Some(g),
                (Some(c), Some(g)) => Some(T::and(vec![c, g])),
            };
            match full {
                None => {
                    other = Some(Box::new(body));
                    break;
                }
                Some(c) => case_arms.push((c, body)),
            }
        }
        let case = if case_arms.is_empty() {
            *other.expect("a match has an arm")
        } else {
            T::Case(case_arms, other)
        };
        Ok((
            match outer.take() {
                Some((n, v)) => T::Let(vec![(n, v)], Box::new(case)),
                None => case,
            },
            ty,
        ))
    }

    /// A block's value: its `let`s become a `LET`.
    fn block_value(&self, b: &Block, sc: &Scope, expect: Option<&Type>) -> R<(T, Option<Type>)> {
        let mut inner = sc.clone();
        let mut defs = Vec::new();
        for st in &b.stmts {
            match st {
                Stmt::Let {
                    pat,
                    container,
                    init,
                } => {
                    let (t, ty) =
                        self.expr(init, &inner, container_type(container.as_deref()).as_ref())?;
                    self.bind_let(pat, t, ty, &mut inner, &mut defs)?;
                }
                _ => {
                    return fail("a block used as a value may contain only `let`s before its value")
                }
            }
        }
        let Some(tail) = &b.tail else {
            return fail("this block has no value: end it with an expression");
        };
        let (t, ty) = self.expr(tail, &inner, expect)?;
        Ok((
            if defs.is_empty() {
                t
            } else {
                T::Let(defs, Box::new(t))
            },
            ty,
        ))
    }

    /// `let pat = t;` as `LET` definitions (for names) and bindings.
    fn bind_let(
        &self,
        pat: &Pat,
        t: T,
        ty: Option<Type>,
        sc: &mut Scope,
        defs: &mut Vec<(String, T)>,
    ) -> R<()> {
        match pat {
            Pat::Ident(x) => {
                let n = self.fresh(x, sc);
                sc.bound.insert(n.clone());
                defs.push((n.clone(), t));
                sc.bind(x, Bind::Val(T::name(n), ty));
                Ok(())
            }
            Pat::Wild => Ok(()),
            Pat::Tuple(_) => {
                let n = self.fresh("t", sc);
                sc.bound.insert(n.clone());
                defs.push((n.clone(), t));
                let c = self.pattern(pat, &T::name(n), &ty, sc)?;
                if c.is_some() {
                    return fail("a `let` pattern must always match");
                }
                Ok(())
            }
            _ => fail("`let` patterns are translated for names and tuples"),
        }
    }

    fn call(
        &self,
        func: &[String],
        args: &[Expr],
        sc: &Scope,
        expect: Option<&Type>,
    ) -> R<(T, Option<Type>)> {
        match func {
            [s] if s == "Some" => {
                let inner = match expect {
                    Some(Type::Option(t)) => Some((**t).clone()),
                    _ => None,
                };
                let (t, ty) = self.expr(&args[0], sc, inner.as_ref())?;
                Ok((T::Tuple(vec![t]), ty.map(|t| Type::Option(Box::new(t)))))
            }
            [name] => {
                let op = self
                    .ir
                    .helpers
                    .iter()
                    .find(|h| &h.name == name)
                    .ok_or_else(|| {
                        ExportError(format!("`{name}` is not a helper of this model"))
                    })?;
                let mut targs = Vec::new();
                // A helper applied to the state after a step is the helper, primed.
                let mut primed = false;
                for (p, a) in op.params.iter().zip(args) {
                    if matches!(&p.ty, Type::Named(n) if n == &self.ir.state.name) {
                        let arg = match a {
                            Expr::Ref(inner) | Expr::Deref(inner) => &**inner,
                            other => other,
                        };
                        if let Expr::Path(path) = arg {
                            if let [one] = path.as_slice() {
                                if matches!(sc.lookup(one), Some(Bind::NextState)) {
                                    primed = true;
                                }
                            }
                        }
                    }
                }
                for (p, a) in op.params.iter().zip(args) {
                    if matches!(&p.ty, Type::Named(n) if n == &self.ir.state.name || n == &self.ir.constants.name)
                    {
                        if matches!(&p.ty, Type::Named(n) if n == &self.ir.state.name)
                            && !sc.cur.is_empty()
                        {
                            return fail(format!("`{name}` reads the state after this action changed it; TLA+ would give it the old values: call it before the changes, or pass the values it needs"));
                        }
                        continue;
                    }
                    targs.push(self.expr(a, sc, Some(&p.ty))?.0);
                }
                let call = T::Apply(op.tla.clone(), targs);
                Ok((
                    if primed {
                        T::Prime(Box::new(call))
                    } else {
                        call
                    },
                    op.ret.clone(),
                ))
            }
            [.., ty, f] => match (ty.as_str(), f.as_str()) {
                ("Set", "new") => Ok((T::SetEnum(vec![]), expect.cloned())),
                ("Set", "singleton") => {
                    let (t, ety) = self.expr(&args[0], sc, None)?;
                    Ok((T::SetEnum(vec![t]), ety.map(|e| Type::Set(Box::new(e)))))
                }
                ("Set", "from") => self.expr(&args[0], sc, expect),
                ("Seq", "new") | ("Map", "new") => Ok((T::Tuple(vec![]), expect.cloned())),
                ("Seq", "from") => match &args[0] {
                    Expr::Array(items) => {
                        let mut ts = Vec::new();
                        for it in items {
                            ts.push(self.expr(it, sc, None)?.0);
                        }
                        Ok((T::Tuple(ts), expect.cloned()))
                    }
                    _ => fail("`Seq::from` is translated for an array literal"),
                },
                ("Map", "from") => match &args[0] {
                    Expr::Array(items) => {
                        self.uses.borrow_mut().tlc = true;
                        let mut pairs = Vec::new();
                        for it in items {
                            let Expr::Tuple(kv) = it else {
                                return fail("`Map::from` takes an array of `(key, value)` pairs");
                            };
                            let (k, _) = self.expr(&kv[0], sc, None)?;
                            let (v, _) = self.expr(&kv[1], sc, None)?;
                            pairs.push(T::infix(":>", k, v));
                        }
                        Ok((
                            pairs
                                .into_iter()
                                .reduce(|a, b| T::infix("@@", a, b))
                                .unwrap_or(T::Tuple(vec![])),
                            expect.cloned(),
                        ))
                    }
                    _ => fail("`Map::from` is translated for an array literal"),
                },
                _ => fail(format!(
                    "`{}` has no translation: model values come from the constants",
                    func.join("::")
                )),
            },
            [] => fail("empty call"),
        }
    }

    fn struct_lit(
        &self,
        path: &[String],
        fields: &[(String, Expr)],
        rest: Option<&Expr>,
        sc: &Scope,
    ) -> R<(T, Option<Type>)> {
        if rest.is_some() {
            return fail("`..rest` in a struct literal has no translation: write every field");
        }
        let (ty, variant) = match path {
            [.., t, v] if self.type_decl(t).is_some() => (t.clone(), Some(v.clone())),
            [.., t] => (t.clone(), None),
            [] => return fail("empty struct path"),
        };
        let decl_fields = match (self.type_decl(&ty).map(|d| &d.kind), &variant) {
            (Some(TypeKind::Struct(fs)), None) => fs.clone(),
            (Some(TypeKind::Enum(vs)), Some(v)) => vs
                .iter()
                .find(|x| &x.name == v)
                .map(|x| x.fields.clone())
                .unwrap_or_default(),
            _ => match self.enum_of_variant(&ty) {
                // `Variant { .. }` with the variant imported.
                Some(e) => {
                    let e = e.to_string();
                    return self.struct_lit(&[e, ty], fields, None, sc);
                }
                None => {
                    return fail(format!(
                        "`{}` is not a record type of this model",
                        path.join("::")
                    ))
                }
            },
        };
        let mut out = Vec::new();
        if let Some(v) = &variant {
            out.push(("type".to_string(), T::Str(Self::variant_tag(v))));
        }
        for (f, e) in fields {
            let fty = decl_fields
                .iter()
                .find(|d| &d.name == f)
                .map(|d| d.ty.clone());
            out.push((naming::camel_case(f), self.expr(e, sc, fty.as_ref())?.0));
        }
        Ok((T::Record(out), Some(Type::Named(ty))))
    }

    // ----- methods and iterator chains -----

    fn method(
        &self,
        receiver: &Expr,
        method: &str,
        turbofish: Option<&str>,
        args: &[Expr],
        sc: &Scope,
        expect: Option<&Type>,
    ) -> R<(T, Option<Type>)> {
        const STREAM_OPS: &[&str] = &[
            "all",
            "any",
            "filter",
            "map",
            "count",
            "collect",
            "min",
            "max",
            "sum",
            "cloned",
            "copied",
            "flat_map",
            "into_iter",
        ];
        if STREAM_OPS.contains(&method) {
            if let Some(st) = self.stream_of(receiver, sc)? {
                return self.stream_op(st, method, turbofish, args, sc, expect);
            }
        }
        // `it.min().unwrap()` over model values: TLC's `CHOOSE` (see `choose_first`).
        if method == "unwrap" {
            if let Expr::MethodCall {
                receiver: inner,
                method: m2,
                args: a2,
                ..
            } = receiver
            {
                if m2 == "min" && a2.is_empty() {
                    if let Some(st) = self.stream_of(inner, sc)? {
                        if self.is_model_value(&st.elem_ty) {
                            let ty = st.elem_ty.clone();
                            return Ok((self.choose_first(st), ty));
                        }
                    }
                }
            }
        }
        let (r, rty) = self.expr(receiver, sc, None)?;
        let arg = |i: usize, want: Option<&Type>| -> R<T> {
            let e = args
                .get(i)
                .ok_or_else(|| ExportError(format!("`{method}` needs an argument")))?;
            Ok(self.expr(e, sc, want)?.0)
        };
        match (&rty, method) {
            (_, "clone") => Ok((r, rty.clone())),
            (Some(Type::Set(e)), "contains") => Ok((T::infix("\\in", arg(0, Some(e))?, r), Some(Type::Bool))),
            (Some(Type::Set(_)), "len") => {
                self.uses.borrow_mut().finite_sets = true;
                Ok((T::Apply("Cardinality".into(), vec![r]), int_ty()))
            }
            (Some(Type::Set(_)), "is_empty") => Ok((T::infix("=", r, T::SetEnum(vec![])), Some(Type::Bool))),
            (Some(Type::Set(_)), "union") => Ok((T::infix("\\cup", r, arg(0, rty.as_ref())?), rty.clone())),
            (Some(Type::Set(_)), "intersection") => Ok((T::infix("\\cap", r, arg(0, rty.as_ref())?), rty.clone())),
            (Some(Type::Set(_)), "difference") => Ok((T::infix("\\", r, arg(0, rty.as_ref())?), rty.clone())),
            (Some(Type::Set(_)), "is_subset") => Ok((T::infix("\\subseteq", r, arg(0, rty.as_ref())?), Some(Type::Bool))),
            (Some(Type::Set(e)), "the") => {
                let x = self.fresh("x", sc);
                Ok((T::Choose(x, Box::new(r), Box::new(T::Bool(true))), Some((**e).clone())))
            }
            (Some(Type::Set(_)), "subsets") => Ok((T::Apply("SUBSET".into(), vec![r]), rty.clone().map(|t| Type::Set(Box::new(t))))),
            (Some(Type::Map(k, _)), "contains_key") => Ok((T::infix("\\in", arg(0, Some(k))?, T::Apply("DOMAIN".into(), vec![r])), Some(Type::Bool))),
            (Some(Type::Map(k, _)), "domain") => Ok((T::Apply("DOMAIN".into(), vec![r]), Some(Type::Set(k.clone())))),
            (Some(Type::Map(..)), "len") => {
                self.uses.borrow_mut().finite_sets = true;
                Ok((T::Apply("Cardinality".into(), vec![T::Apply("DOMAIN".into(), vec![r])]), int_ty()))
            }
            (Some(Type::Map(..)), "is_empty") => Ok((T::infix("=", T::Apply("DOMAIN".into(), vec![r]), T::SetEnum(vec![])), Some(Type::Bool))),
            (Some(Type::Map(k, v)), "get") => {
                let key = arg(0, Some(k))?;
                Ok((T::If(Box::new(T::infix("\\in", key.clone(), T::Apply("DOMAIN".into(), vec![r.clone()]))), Box::new(T::Tuple(vec![T::FnApp(Box::new(r), Box::new(key))])), Box::new(T::Tuple(vec![]))), Some(Type::Option(v.clone()))))
            }
            (Some(Type::Seq(_)), "len") => {
                self.uses.borrow_mut().sequences = true;
                Ok((T::Apply("Len".into(), vec![r]), int_ty()))
            }
            (Some(Type::Seq(_)), "is_empty") => Ok((T::infix("=", r, T::Tuple(vec![])), Some(Type::Bool))),
            (Some(Type::Seq(e)), "first") => {
                self.uses.borrow_mut().sequences = true;
                Ok((T::If(Box::new(T::infix("=", r.clone(), T::Tuple(vec![]))), Box::new(T::Tuple(vec![])), Box::new(T::Tuple(vec![T::Apply("Head".into(), vec![r])]))), Some(Type::Option(e.clone()))))
            }
            (Some(Type::Seq(e)), "last") => {
                self.uses.borrow_mut().sequences = true;
                Ok((T::If(Box::new(T::infix("=", r.clone(), T::Tuple(vec![]))), Box::new(T::Tuple(vec![])), Box::new(T::Tuple(vec![T::FnApp(Box::new(r.clone()), Box::new(T::Apply("Len".into(), vec![r])))]))), Some(Type::Option(e.clone()))))
            }
            (Some(Type::Seq(e)), "get") => {
                self.uses.borrow_mut().sequences = true;
                let i = arg(0, None)?;
                Ok((T::If(Box::new(T::infix("<", i.clone(), T::Apply("Len".into(), vec![r.clone()]))), Box::new(T::Tuple(vec![T::FnApp(Box::new(r), Box::new(T::infix("+", i, T::Num(1))))])), Box::new(T::Tuple(vec![]))), Some(Type::Option(e.clone()))))
            }
            (Some(Type::Seq(e)), "contains") => {
                self.uses.borrow_mut().sequences = true;
                let x = arg(0, Some(e))?;
                let i = self.fresh("i", sc);
                Ok((T::Exists(i.clone(), Box::new(T::infix("..", T::Num(1), T::Apply("Len".into(), vec![r.clone()]))), Box::new(T::infix("=", T::FnApp(Box::new(r), Box::new(T::name(i))), x))), Some(Type::Bool)))
            }
            (Some(Type::Seq(_)), "concat") => {
                self.uses.borrow_mut().sequences = true;
                Ok((T::infix("\\o", r, arg(0, rty.as_ref())?), rty.clone()))
            }
            (Some(Type::Seq(_)), "subseq") => {
                self.uses.borrow_mut().sequences = true;
                let a = arg(0, None)?;
                let b = arg(1, None)?;
                Ok((T::Apply("SubSeq".into(), vec![r, T::infix("+", a, T::Num(1)), b]), rty.clone()))
            }
            (Some(Type::Option(_)), "is_some") => Ok((T::infix("#", r, T::Tuple(vec![])), Some(Type::Bool))),
            (Some(Type::Option(_)), "is_none") => Ok((T::infix("=", r, T::Tuple(vec![])), Some(Type::Bool))),
            (Some(Type::Option(t)), "unwrap") => Ok((T::FnApp(Box::new(r), Box::new(T::Num(1))), Some((**t).clone()))),
            (Some(Type::Option(t)), "unwrap_or") => {
                let d = arg(0, Some(t))?;
                let some = T::FnApp(Box::new(r.clone()), Box::new(T::Num(1)));
                let none = T::infix("=", r, T::Tuple(vec![]));
                Ok((T::If(Box::new(none), Box::new(d), Box::new(some)), Some((**t).clone())))
            }
            (None, m) => fail(format!("cannot tell the type of the receiver of `.{m}()`: give the value a declared type (a state field, a constant, a typed parameter)")),
            (Some(t), m) => {
                let _ = expect;
                fail(format!("`.{m}()` on a value of type {} has no translation", type_name(t)))
            }
        }
    }

    /// The stream a receiver denotes, if it is an iterator source or chain.
    fn stream_of(&self, receiver: &Expr, sc: &Scope) -> R<Option<Stream>> {
        let Expr::MethodCall {
            receiver: inner,
            method,
            args,
            turbofish,
        } = receiver
        else {
            // A range or set used directly as an iterator (`(0..n).all(..)`).
            return match receiver {
                Expr::Range { .. } => {
                    let (d, _) = self.expr(receiver, sc, None)?;
                    let v = self.fresh("i", sc);
                    Ok(Some(Stream {
                        var: v.clone(),
                        domain: d,
                        filters: vec![],
                        elem: T::name(v),
                        elem_ty: int_ty(),
                        seq_source: None,
                    }))
                }
                _ => Ok(None),
            };
        };
        match method.as_str() {
            "iter" | "into_iter" | "keys" | "values" | "cloned" | "copied"
                if matches!(method.as_str(), "cloned" | "copied") =>
            {
                Ok(self.stream_of(inner, sc)?)
            }
            "iter" | "into_iter" | "keys" | "values" => {
                let (r, rty) = self.expr(inner, sc, None)?;
                let v = self.fresh("x", sc);
                let var = T::name(&v);
                Ok(Some(match (rty, method.as_str()) {
                    (Some(Type::Set(e)), "iter" | "into_iter") => Stream {
                        var: v,
                        domain: r,
                        filters: vec![],
                        elem: var,
                        elem_ty: Some(*e),
                        seq_source: None,
                    },
                    (Some(Type::Map(k, _)), "keys") => Stream {
                        var: v,
                        domain: T::Apply("DOMAIN".into(), vec![r]),
                        filters: vec![],
                        elem: var,
                        elem_ty: Some(*k),
                        seq_source: None,
                    },
                    (Some(Type::Map(_, val)), "values") => Stream {
                        var: v,
                        domain: T::Apply("DOMAIN".into(), vec![r.clone()]),
                        filters: vec![],
                        elem: T::FnApp(Box::new(r), Box::new(var)),
                        elem_ty: Some(*val),
                        seq_source: None,
                    },
                    (Some(Type::Map(k, val)), "iter" | "into_iter") => Stream {
                        var: v,
                        domain: T::Apply("DOMAIN".into(), vec![r.clone()]),
                        filters: vec![],
                        elem: T::Tuple(vec![var.clone(), T::FnApp(Box::new(r), Box::new(var))]),
                        elem_ty: Some(Type::Tuple(vec![*k, *val])),
                        seq_source: None,
                    },
                    (Some(Type::Seq(e)), "iter" | "into_iter") => {
                        self.uses.borrow_mut().sequences = true;
                        let i = self.fresh("i", sc);
                        Stream {
                            var: i.clone(),
                            domain: T::infix(
                                "..",
                                T::Num(1),
                                T::Apply("Len".into(), vec![r.clone()]),
                            ),
                            filters: vec![],
                            elem: T::FnApp(Box::new(r.clone()), Box::new(T::name(i))),
                            elem_ty: Some(*e),
                            seq_source: Some(r),
                        }
                    }
                    (other, m) => {
                        return fail(format!(
                            "`.{m}()` on {} is not an iterator source the translation knows",
                            other
                                .as_ref()
                                .map(type_name)
                                .unwrap_or_else(|| "a value of unknown type".into())
                        ))
                    }
                }))
            }
            "filter" | "map" | "flat_map" => {
                let Some(st) = self.stream_of(inner, sc)? else {
                    return Ok(None);
                };
                let _ = turbofish;
                Ok(Some(self.stream_step(st, method, args, sc)?))
            }
            _ => Ok(None),
        }
    }

    /// Applies a closure to the stream's element: the closure body with its parameter bound.
    fn apply_closure(
        &self,
        st: &Stream,
        closure: &Expr,
        sc: &Scope,
        expect: Option<&Type>,
    ) -> R<(T, Option<Type>)> {
        let Expr::Closure { params, body } = closure else {
            return fail("an iterator method takes a closure `|x| ...`");
        };
        let mut inner = sc.clone();
        inner.bound.insert(st.var.clone());
        if let Some(p) = params.first() {
            let c = self.pattern(p, &st.elem, &st.elem_ty, &mut inner)?;
            if c.is_some() {
                return fail("closure parameters are names or tuples of names");
            }
        }
        self.expr(body, &inner, expect)
    }

    fn stream_step(&self, st: Stream, method: &str, args: &[Expr], sc: &Scope) -> R<Stream> {
        let mut st = rename_var(st, args.first(), self, sc);
        let closure = args
            .first()
            .ok_or_else(|| ExportError(format!("`{method}` takes a closure")))?;
        match method {
            "filter" => {
                let (p, _) = self.apply_closure(&st, closure, sc, Some(&Type::Bool))?;
                st.filters.push(p);
                Ok(st)
            }
            "map" => {
                let (e, ety) = self.apply_closure(&st, closure, sc, None)?;
                st.elem = e;
                st.elem_ty = ety;
                Ok(st)
            }
            _ => {
                // flat_map(|x| set): the union of the sets, as a new stream.
                let (e, ety) = self.apply_closure(&st, closure, sc, None)?;
                let union = T::Apply(
                    "UNION".into(),
                    vec![T::SetMap(
                        Box::new(e),
                        st.var.clone(),
                        Box::new(filtered_domain(&st)),
                    )],
                );
                let inner_ty = match ety {
                    Some(Type::Set(t)) => Some(*t),
                    _ => return fail("`flat_map` is translated when the closure returns a `Set`"),
                };
                let v = self.fresh("y", sc);
                Ok(Stream {
                    var: v.clone(),
                    domain: union,
                    filters: vec![],
                    elem: T::name(v),
                    elem_ty: inner_ty,
                    seq_source: None,
                })
            }
        }
    }

    fn stream_op(
        &self,
        st: Stream,
        method: &str,
        turbofish: Option<&str>,
        args: &[Expr],
        sc: &Scope,
        expect: Option<&Type>,
    ) -> R<(T, Option<Type>)> {
        // Prefer the closure's own parameter name for the bound variable when it reads better.
        let st = rename_var(st, args.first(), self, sc);
        match method {
            "cloned" | "copied" | "into_iter" => fail(format!("`.{method}()` must be followed by an iterator method")),
            "filter" | "map" | "flat_map" => {
                // A chain ending in an adaptor is a collection only through `collect`.
                fail(format!("`.{method}(..)` must be followed by `collect`, `count`, `all` or `any`"))
            }
            "all" | "any" => {
                let (p, _) = self.apply_closure(&st, &args[0], sc, Some(&Type::Bool))?;
                let body = if method == "all" {
                    if st.filters.is_empty() { p } else { T::Implies(Box::new(T::and(st.filters.clone())), Box::new(p)) }
                } else {
                    let mut c = st.filters.clone();
                    c.push(p);
                    T::and(c)
                };
                let q = if method == "all" { T::Forall(st.var, Box::new(st.domain), Box::new(body)) } else { T::Exists(st.var, Box::new(st.domain), Box::new(body)) };
                Ok((q, Some(Type::Bool)))
            }
            "count" => {
                self.uses.borrow_mut().finite_sets = true;
                Ok((T::Apply("Cardinality".into(), vec![filtered_domain(&st)]), int_ty()))
            }
            "min" if self.is_model_value(&st.elem_ty) => {
                let some = T::Exists(st.var.clone(), Box::new(st.domain.clone()), Box::new(T::and(st.filters.clone())));
                let ty = st.elem_ty.clone().map(|t| Type::Option(Box::new(t)));
                let chosen = self.choose_first(st);
                Ok((T::If(Box::new(some), Box::new(T::Tuple(vec![chosen])), Box::new(T::Tuple(vec![]))), ty))
            }
            "min" | "max" => {
                if !is_int(&st.elem_ty) {
                    return fail(format!("`.{method}()` is translated for integers only (TLA+ has no order on other values)"));
                }
                self.uses.borrow_mut().integers = true;
                let set = elem_set(&st);
                let (a, b) = (self.fresh("a", sc), self.fresh("b", sc));
                let cmp = if method == "min" { "<=" } else { ">=" };
                let choose = T::Choose(a.clone(), Box::new(set.clone()), Box::new(T::Forall(b.clone(), Box::new(set.clone()), Box::new(T::infix(cmp, T::name(a), T::name(b))))));
                Ok((T::If(Box::new(T::infix("=", set, T::SetEnum(vec![]))), Box::new(T::Tuple(vec![])), Box::new(T::Tuple(vec![choose]))), st.elem_ty.map(|t| Type::Option(Box::new(t)))))
            }
            "sum" => fail("`.sum()` has no direct TLA+ translation yet: count with `filter(..).count()` or keep a running total in the state"),
            "collect" => {
                let target = turbofish.map(str::to_string).or_else(|| expect.map(|t| type_name(t).split('<').next().unwrap_or("").to_string()));
                match target.as_deref() {
                    Some("Set") => Ok((elem_set(&st), st.elem_ty.map(|t| Type::Set(Box::new(t))))),
                    Some("Map") => {
                        let T::Tuple(kv) = &st.elem else { return fail("`collect()` into a `Map` is translated for `.map(|x| (x, value))`") };
                        if kv.len() != 2 || kv[0] != T::name(&st.var) {
                            return fail("`collect()` into a `Map` is translated when each key is the iterated element itself: `.map(|x| (x, value))`");
                        }
                        let ty = match &st.elem_ty {
                            Some(Type::Tuple(ts)) if ts.len() == 2 => Some(Type::Map(Box::new(ts[0].clone()), Box::new(ts[1].clone()))),
                            _ => expect.cloned(),
                        };
                        Ok((T::FnCons(st.var.clone(), Box::new(filtered_domain(&st)), Box::new(kv[1].clone())), ty))
                    }
                    Some("Seq") => match (&st.seq_source, st.filters.is_empty()) {
                        (Some(_), true) => Ok((T::FnCons(st.var.clone(), Box::new(st.domain.clone()), Box::new(st.elem.clone())), st.elem_ty.map(|t| Type::Seq(Box::new(t))))),
                        _ => fail("`collect()` into a `Seq` is translated only from a `Seq` mapped element by element (sets have no order in TLA+)"),
                    },
                    _ => fail("write what `collect()` builds: `collect::<Set<_>>()`, `collect::<Map<_, _>>()`, or annotate the `let`"),
                }
            }
            other => fail(format!("`.{other}()` has no translation on an iterator")),
        }
    }

    fn is_model_value(&self, ty: &Option<Type>) -> bool {
        matches!(ty, Some(Type::Named(n)) if self.ir.model_values.iter().any(|m| &m.name == n))
    }

    /// The least model value of a stream, as `CHOOSE`. Exact: TLC evaluates
    /// `CHOOSE x \in S : P` by enumerating `S` in its order and returning the first `x` with `P`,
    /// and it orders model values by creation, which the exported `.cfg` makes their index order
    /// (each type's values are declared first, in order) — the order Rust's `min` uses.
    fn choose_first(&self, st: Stream) -> T {
        if st.elem == T::name(&st.var) {
            T::Choose(st.var, Box::new(st.domain), Box::new(T::and(st.filters)))
        } else {
            let set = elem_set(&st);
            let x = format!("{}_min", st.var);
            T::Choose(x, Box::new(set), Box::new(T::Bool(true)))
        }
    }

    // ----- operators -----

    fn base_scope(&self, op: &Operator) -> Scope {
        let mut sc = Scope::default();
        if let Some(s) = &op.state_param {
            sc.bind(s, Bind::State);
        }
        if let Some(c) = &op.config_param {
            sc.bind(c, Bind::Config);
        }
        sc
    }

    /// A step property: its body over the states before and after (primed) the step.
    pub fn step_predicate(&self, op: &Operator) -> R<T> {
        let mut sc = self.base_scope(op);
        if let Some(n) = &op.next_state_param {
            sc.bind(n, Bind::NextState);
        }
        Ok(self.block_value(&op.body, &sc, Some(&Type::Bool))?.0)
    }

    /// A temporal property's predicate: its parameters (bound over their domains) and body.
    pub fn quantified_predicate(&self, op: &Operator) -> R<(Vec<(String, T)>, T)> {
        let doms = self.domains(op)?;
        let mut sc = self.base_scope(op);
        for (p, (n, _, _)) in op.params.iter().zip(&doms) {
            sc.bound.insert(n.clone());
            sc.bind(&p.name, Bind::Val(T::name(n), Some(p.ty.clone())));
        }
        let body = self.block_value(&op.body, &sc, Some(&Type::Bool))?.0;
        Ok((doms.into_iter().map(|(n, d, _)| (n, d)).collect(), body))
    }

    /// A predicate operator (invariant, constraint): its body.
    pub fn predicate(&self, op: &Operator) -> R<T> {
        let sc = self.base_scope(op);
        Ok(self.block_value(&op.body, &sc, Some(&Type::Bool))?.0)
    }

    /// A helper: its TLA+ parameters and body.
    pub fn helper(&self, op: &Operator) -> R<(Vec<String>, T)> {
        let mut sc = Scope::default();
        let mut params = Vec::new();
        for p in &op.params {
            match &p.ty {
                Type::Named(n) if n == &self.ir.state.name => sc.bind(&p.name, Bind::State),
                Type::Named(n) if n == &self.ir.constants.name => sc.bind(&p.name, Bind::Config),
                ty => {
                    let n = self.fresh(&p.name, &sc);
                    sc.bound.insert(n.clone());
                    sc.bind(&p.name, Bind::Val(T::name(&n), Some(ty.clone())));
                    params.push(n);
                }
            }
        }
        Ok((params, self.block_value(&op.body, &sc, op.ret.as_ref())?.0))
    }

    /// Binds an action's (or init's) parameters as TLA+ operator parameters.
    fn bind_params(&self, op: &Operator, sc: &mut Scope) -> Vec<String> {
        let mut names = Vec::new();
        for p in &op.params {
            let n = self.fresh(&p.name, sc);
            sc.bound.insert(n.clone());
            sc.bind(&p.name, Bind::Val(T::name(&n), Some(p.ty.clone())));
            names.push(n);
        }
        names
    }

    /// The parameter domains of an action, each in the scope of the parameters before it.
    pub fn domains(&self, op: &Operator) -> R<Vec<(String, T, bool)>> {
        let mut sc = self.base_scope(op);
        let mut out = Vec::new();
        let mut earlier: Vec<String> = Vec::new();
        for p in &op.params {
            let d = p
                .domain
                .as_ref()
                .ok_or_else(|| ExportError(format!("parameter `{}` has no domain", p.name)))?;
            let (t, _) = self.expr(d, &sc, None)?;
            let depends = earlier.iter().any(|e| mentions(&t, e));
            let n = self.fresh(&p.name, &sc);
            sc.bound.insert(n.clone());
            sc.bind(&p.name, Bind::Val(T::name(&n), Some(p.ty.clone())));
            earlier.push(n.clone());
            out.push((n, t, depends));
        }
        Ok(out)
    }

    /// An action: its parameter names and its body (guards, primed assignments, UNCHANGED).
    pub fn action(&self, op: &Operator) -> R<(Vec<String>, T)> {
        let mut sc = self.base_scope(op);
        let params = self.bind_params(op, &mut sc);
        let mut items = Vec::new();
        self.exec_block(&op.body, &mut sc, &mut items, true)?;
        // A trailing `if`, `match` or block without `;` is a statement (executed above); any
        // other trailing expression would be a value.
        if let Some(tail) = &op.body.tail {
            if !matches!(
                **tail,
                Expr::If { .. } | Expr::Match { .. } | Expr::Block(_)
            ) {
                return fail("an action's body ends with a statement, not a value");
            }
        }
        let mut assigns = Vec::new();
        let mut unchanged = Vec::new();
        for f in &self.ir.state.fields {
            match sc.cur.get(&f.name) {
                Some(v) => assigns.push(T::infix("=", T::Primed(f.tla.clone()), v.clone())),
                None => unchanged.push(f.tla.clone()),
            }
        }
        if !unchanged.is_empty() {
            assigns.push(T::Unchanged(unchanged));
        }
        let items = self.opaque_guards(items);
        Ok((params, wrap_items(items, T::and(assigns))))
    }

    /// Init: its parameters and the predicate over the variables.
    pub fn init(&self, op: &Operator) -> R<(Vec<String>, T)> {
        let mut sc = self.base_scope(op);
        let params = self.bind_params(op, &mut sc);
        let mut items = Vec::new();
        for st in &op.body.stmts {
            match st {
                Stmt::Let {
                    pat,
                    container,
                    init,
                } => {
                    let (t, ty) =
                        self.expr(init, &sc, container_type(container.as_deref()).as_ref())?;
                    let mut defs = Vec::new();
                    self.bind_let(pat, t, ty, &mut sc, &mut defs)?;
                    items.extend(defs.into_iter().map(|(n, v)| Item::Let(n, v)));
                }
                Stmt::Require(c) => {
                    items.push(Item::Guard(self.expr(c, &sc, Some(&Type::Bool))?.0))
                }
                _ => {
                    return fail(
                        "init may contain `let`s and `require!`s before the state it returns",
                    )
                }
            }
        }
        let Some(tail) = &op.body.tail else {
            return fail("init ends with the initial state: `State { .. }`");
        };
        let Expr::Struct {
            fields, rest: None, ..
        } = &**tail
        else {
            return fail("init ends with a literal of the state struct, `State { field: value, .. }` with every field");
        };
        let mut conj = Vec::new();
        for f in &self.ir.state.fields {
            let e = fields
                .iter()
                .find(|(n, _)| n == &f.name)
                .map(|(_, e)| e)
                .ok_or_else(|| ExportError(format!("init does not set `{}`", f.name)))?;
            conj.push(T::infix(
                "=",
                T::name(&f.tla),
                self.expr(e, &sc, Some(&f.ty))?.0,
            ));
        }
        let items = self.opaque_guards(items);
        Ok((params, wrap_items(items, T::and(conj))))
    }

    // ----- guards TLC evaluates as one condition -----

    /// A `require!` is one condition: lamport computes one successor when it holds. TLC, computing
    /// the successors of an action, takes every way through a conjunct: one successor per witness
    /// of an `\E` and per true disjunct of a `\/`, descending through `/\`, `\A`, `=>`, the
    /// branches of `IF` and `CASE`, `LET` bodies and the definitions of operators. So a guard
    /// that could be taken more than one way is written `IF g THEN TRUE ELSE FALSE`, which TLC
    /// evaluates as a value (the choices lamport enumerates are the action's parameters, which
    /// `Next` quantifies).
    fn opaque_guards(&self, items: Vec<Item>) -> Vec<Item> {
        let mut branching_lets = BTreeSet::new();
        items
            .into_iter()
            .map(|it| match it {
                Item::Guard(g) => Item::Guard(self.opaque(g, &branching_lets)),
                Item::Witness(g) => Item::Guard(self.opaque_leaves(g, &branching_lets)),
                Item::Let(n, v) => {
                    if self.may_branch(&v, &branching_lets, 0) {
                        branching_lets.insert(n.clone());
                    }
                    Item::Let(n, v)
                }
            })
            .collect()
    }

    /// `g`, written `IF g THEN TRUE ELSE FALSE` if TLC could take it more than one way.
    fn opaque(&self, g: T, lets: &BTreeSet<String>) -> T {
        if self.may_branch(&g, lets, 0) {
            T::If(
                Box::new(g),
                Box::new(T::Bool(true)),
                Box::new(T::Bool(false)),
            )
        } else {
            g
        }
    }

    /// A `require_witnesses!` guard: the structure lamport counts through (`/\`, `\/`, `\E`,
    /// `\A`, the branches of `IF`, the consequent of `=>`) is kept; every other part is made
    /// opaque, so TLC takes exactly the ways lamport's count (`lamport-macros`' `ways`) takes.
    fn opaque_leaves(&self, t: T, lets: &BTreeSet<String>) -> T {
        let rec = |x: T| self.opaque_leaves(x, lets);
        match t {
            T::And(items) => T::And(items.into_iter().map(rec).collect()),
            T::Or(items) => T::Or(items.into_iter().map(rec).collect()),
            T::Exists(x, d, b) => T::Exists(x, d, Box::new(rec(*b))),
            T::Forall(x, d, b) => T::Forall(x, d, Box::new(rec(*b))),
            T::Implies(a, b) => T::Implies(Box::new(self.opaque(*a, lets)), Box::new(rec(*b))),
            T::If(c, a, b) => T::If(c, Box::new(rec(*a)), Box::new(rec(*b))),
            other => self.opaque(other, lets),
        }
    }

    /// Whether TLC could take more than one way through `t` as a conjunct of an action
    /// (`lets`: the `LET` names in scope whose definitions could).
    fn may_branch(&self, t: &T, lets: &BTreeSet<String>, depth: usize) -> bool {
        if depth > 64 {
            return true;
        }
        let go = |x: &T| self.may_branch(x, lets, depth + 1);
        match t {
            T::Exists(..) => true,
            T::Or(items) => items.len() > 1 || items.iter().any(go),
            T::And(items) => items.iter().any(go),
            T::Forall(_, _, b) | T::Implies(_, b) => go(b),
            T::If(_, a, b) => go(a) || go(b),
            T::Case(arms, other) => {
                arms.iter().any(|(_, b)| go(b)) || other.as_deref().is_some_and(go)
            }
            T::Let(defs, body) => {
                let mut inner = lets.clone();
                for (n, v) in defs {
                    if self.may_branch(v, &inner, depth + 1) {
                        inner.insert(n.clone());
                    }
                }
                self.may_branch(body, &inner, depth + 1)
            }
            T::Name(n) => lets.contains(n) || self.helper_may_branch(n, depth),
            T::Apply(op, _) => self.helper_may_branch(op, depth),
            _ => false,
        }
    }

    /// Whether the helper named `name` (TLA+ name) may be taken more than one way (TLC expands
    /// an operator's definition where it is applied in an action).
    fn helper_may_branch(&self, name: &str, depth: usize) -> bool {
        if let Some(b) = self.branching_helpers.borrow().get(name) {
            return *b;
        }
        let Some(h) = self.ir.helpers.iter().find(|h| h.tla == name) else {
            return false;
        };
        // Translating the helper again must not disturb the module's fresh names or imports.
        let counter = *self.fresh_counter.borrow();
        let uses = self.uses.borrow().clone();
        let b = match self.helper(h) {
            Ok((_, body)) => self.may_branch(&body, &BTreeSet::new(), depth + 1),
            Err(_) => true,
        };
        *self.fresh_counter.borrow_mut() = counter;
        *self.uses.borrow_mut() = uses;
        self.branching_helpers
            .borrow_mut()
            .insert(name.to_string(), b);
        b
    }

    // ----- statements (symbolic execution) -----

    fn exec_block(&self, b: &Block, sc: &mut Scope, items: &mut Vec<Item>, top: bool) -> R<()> {
        for st in &b.stmts {
            self.exec(st, sc, items, top)?;
        }
        if let Some(t) = &b.tail {
            self.exec(&Stmt::Expr((**t).clone()), sc, items, top)?;
        }
        Ok(())
    }

    fn exec(&self, st: &Stmt, sc: &mut Scope, items: &mut Vec<Item>, top: bool) -> R<()> {
        match st {
            Stmt::Let {
                pat,
                container,
                init,
            } => {
                let (t, ty) = self.expr(init, sc, container_type(container.as_deref()).as_ref())?;
                if top {
                    let mut defs = Vec::new();
                    self.bind_let(pat, t, ty, sc, &mut defs)?;
                    items.extend(defs.into_iter().map(|(n, v)| Item::Let(n, v)));
                } else {
                    // Inside a branch a `let` is substituted: the branch's value must be closed.
                    let c = self.pattern(pat, &t, &ty, sc)?;
                    if c.is_some() {
                        return fail("a `let` pattern must always match");
                    }
                }
                Ok(())
            }
            Stmt::Require(c) => {
                items.push(Item::Guard(self.expr(c, sc, Some(&Type::Bool))?.0));
                Ok(())
            }
            Stmt::RequireWitnesses(c) => {
                self.literal_or.set(true);
                let t = self.expr(c, sc, Some(&Type::Bool));
                self.literal_or.set(false);
                items.push(Item::Witness(t?.0));
                Ok(())
            }
            Stmt::Assign { place, op, value } => {
                let (root, path, pty) = self.place(place, sc)?;
                let new = match op {
                    None => self.expr(value, sc, pty.as_ref())?.0,
                    Some(op) => {
                        let cur = self.read_place(&root, &path, sc)?;
                        let (v, _) = self.expr(value, sc, pty.as_ref())?;
                        self.uses.borrow_mut().integers = true;
                        let sym = match op {
                            BinOp::Add => "+",
                            BinOp::Sub => "-",
                            BinOp::Mul => "*",
                            BinOp::Div => "\\div",
                            BinOp::Rem => "%",
                            _ => {
                                return fail("only arithmetic compound assignments are translated")
                            }
                        };
                        T::infix(sym, cur, v)
                    }
                };
                self.write_place(&root, path, new, sc)
            }
            Stmt::Expr(Expr::MethodCall {
                receiver,
                method,
                args,
                ..
            }) if matches!(
                method.as_str(),
                "insert" | "remove" | "push" | "pop" | "truncate" | "extend"
            ) =>
            {
                let (root, path, pty) = self.place(receiver, sc)?;
                let cur = self.read_place(&root, &path, sc)?;
                let new = match (&pty, method.as_str()) {
                    (Some(Type::Set(e)), "insert") => T::infix(
                        "\\cup",
                        cur,
                        T::SetEnum(vec![self.expr(&args[0], sc, Some(e))?.0]),
                    ),
                    (Some(Type::Set(e)), "remove") => T::infix(
                        "\\",
                        cur,
                        T::SetEnum(vec![self.expr(&args[0], sc, Some(e))?.0]),
                    ),
                    (Some(Type::Set(_)), "extend") => {
                        T::infix("\\cup", cur, self.expr(&args[0], sc, pty.as_ref())?.0)
                    }
                    (Some(Type::Map(k, v)), "insert") => {
                        self.uses.borrow_mut().tlc = true;
                        let key = self.expr(&args[0], sc, Some(k))?.0;
                        let val = self.expr(&args[1], sc, Some(v))?.0;
                        T::infix("@@", T::infix(":>", key, val), cur)
                    }
                    (Some(Type::Map(k, _)), "remove") => {
                        let key = self.expr(&args[0], sc, Some(k))?.0;
                        let x = self.fresh("k", sc);
                        T::FnCons(
                            x.clone(),
                            Box::new(T::infix(
                                "\\",
                                T::Apply("DOMAIN".into(), vec![cur.clone()]),
                                T::SetEnum(vec![key]),
                            )),
                            Box::new(T::FnApp(Box::new(cur), Box::new(T::name(x)))),
                        )
                    }
                    (Some(Type::Seq(e)), "push") => {
                        self.uses.borrow_mut().sequences = true;
                        T::Apply(
                            "Append".into(),
                            vec![cur, self.expr(&args[0], sc, Some(e))?.0],
                        )
                    }
                    (Some(Type::Seq(_)), "pop") => {
                        self.uses.borrow_mut().sequences = true;
                        T::Apply(
                            "SubSeq".into(),
                            vec![
                                cur.clone(),
                                T::Num(1),
                                T::infix("-", T::Apply("Len".into(), vec![cur]), T::Num(1)),
                            ],
                        )
                    }
                    (Some(Type::Seq(_)), "truncate") => {
                        self.uses.borrow_mut().sequences = true;
                        let n = self.expr(&args[0], sc, None)?.0;
                        T::If(
                            Box::new(T::infix(
                                "<",
                                n.clone(),
                                T::Apply("Len".into(), vec![cur.clone()]),
                            )),
                            Box::new(T::Apply("SubSeq".into(), vec![cur.clone(), T::Num(1), n])),
                            Box::new(cur),
                        )
                    }
                    (t, m) => {
                        return fail(format!(
                            "`.{m}()` on {} has no translation",
                            t.as_ref()
                                .map(type_name)
                                .unwrap_or_else(|| "this value".into())
                        ))
                    }
                };
                self.write_place(&root, path, new, sc)
            }
            Stmt::Expr(Expr::If { cond, then, els }) => {
                let (c, then_sc) = self.condition(cond, sc)?;
                let before = sc.cur.clone();
                let mut t_sc = then_sc;
                let mut t_items = Vec::new();
                self.exec_block(then, &mut t_sc, &mut t_items, false)?;
                let mut e_sc = sc.clone();
                let mut e_items = Vec::new();
                if let Some(e) = els {
                    self.exec(&Stmt::Expr((**e).clone()), &mut e_sc, &mut e_items, false)?;
                }
                // With a `require_witnesses!` in a branch, the merged guard counts its ways too:
                // its plain guards are made opaque here, its witness guards keep their structure.
                let witnessed = t_items
                    .iter()
                    .chain(&e_items)
                    .any(|i| matches!(i, Item::Witness(_)));
                let none = BTreeSet::new();
                let guards = |items: Vec<Item>| -> T {
                    T::and(
                        items
                            .into_iter()
                            .filter_map(|i| match i {
                                Item::Guard(g) if witnessed => Some(self.opaque(g, &none)),
                                Item::Guard(g) | Item::Witness(g) => Some(g),
                                Item::Let(..) => None,
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
                // A branch that is always taken, or whose guard is `FALSE` (a `match` arm or
                // `else` that only disables the action), leaves the action the other branch:
                // `c /\ g` and that branch's assignments, as a hand-written spec says it.
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
                    sc.cur = cur;
                    return Ok(());
                }
                if tg != T::Bool(true) || eg != T::Bool(true) {
                    items.push(merged(match (&tg, &eg) {
                        (_, T::Bool(true)) => T::Implies(Box::new(c.clone()), Box::new(tg)),
                        _ => T::If(Box::new(c.clone()), Box::new(tg), Box::new(eg)),
                    }));
                }
                let changed: BTreeSet<String> = t_sc
                    .cur
                    .keys()
                    .chain(e_sc.cur.keys())
                    .filter(|k| {
                        t_sc.cur.get(*k) != before.get(*k) || e_sc.cur.get(*k) != before.get(*k)
                    })
                    .cloned()
                    .collect();
                for f in changed {
                    let old = before.get(&f).cloned().unwrap_or_else(|| {
                        T::name(
                            self.state_field(&f)
                                .map(|x| x.tla.clone())
                                .unwrap_or_default(),
                        )
                    });
                    let tv = t_sc.cur.get(&f).cloned().unwrap_or_else(|| old.clone());
                    let ev = e_sc.cur.get(&f).cloned().unwrap_or_else(|| old.clone());
                    sc.cur
                        .insert(f, T::If(Box::new(c.clone()), Box::new(tv), Box::new(ev)));
                }
                Ok(())
            }
            Stmt::Expr(Expr::Block(b)) => {
                let mut inner = sc.clone();
                self.exec_block(b, &mut inner, items, false)?;
                sc.cur = inner.cur;
                Ok(())
            }
            Stmt::Expr(Expr::Match { scrutinee, arms }) => {
                // As a chain of `if let`s.
                let mut chain: Option<Expr> = None;
                for arm in arms.iter().rev() {
                    let body = Block {
                        stmts: vec![Stmt::Expr(arm.body.clone())],
                        tail: None,
                    };
                    let cond = Expr::LetCond {
                        pat: arm.pat.clone(),
                        scrutinee: scrutinee.clone(),
                    };
                    let cond =
                        match &arm.guard {
                            Some(_) => return fail(
                                "match guards in statement position have no translation: use `if`",
                            ),
                            None => cond,
                        };
                    chain = Some(Expr::If {
                        cond: Box::new(cond),
                        then: body,
                        els: chain.map(Box::new),
                    });
                }
                match chain {
                    Some(c) => self.exec(&Stmt::Expr(c), sc, items, top),
                    None => Ok(()),
                }
            }
            // A pure expression statement has no effect.
            Stmt::Expr(_) => Ok(()),
        }
    }

    /// A place expression: the state field it is rooted at, the path into it, and its type.
    fn place(&self, e: &Expr, sc: &Scope) -> R<(String, Vec<ExceptStep>, Option<Type>)> {
        match e {
            Expr::Ref(inner) | Expr::Deref(inner) => self.place(inner, sc),
            Expr::Field(base, f) => {
                if let Expr::Path(p) = &**base {
                    if let [one] = p.as_slice() {
                        if let Some(Bind::State) = sc.lookup(one) {
                            let fld = self.state_field(f)?;
                            return Ok((f.clone(), vec![], Some(fld.ty.clone())));
                        }
                    }
                }
                let (root, mut path, ty) = self.place(base, sc)?;
                let fty = self.field_type(&ty, f);
                path.push(ExceptStep::Field(naming::camel_case(f)));
                Ok((root, path, fty))
            }
            Expr::Index(base, idx) => {
                let (root, mut path, ty) = self.place(base, sc)?;
                match ty {
                    Some(Type::Map(k, v)) => {
                        path.push(ExceptStep::Key(self.expr(idx, sc, Some(&k))?.0));
                        Ok((root, path, Some(*v)))
                    }
                    Some(Type::Seq(v)) => {
                        path.push(ExceptStep::Key(T::infix("+", self.expr(idx, sc, None)?.0, T::Num(1))));
                        Ok((root, path, Some(*v)))
                    }
                    _ => fail("only `Map` and `Seq` places can be indexed"),
                }
            }
            _ => fail("assignments are translated to state variables and their parts (`s.f`, `s.f[k]`, `s.f.g`); local variables cannot be reassigned"),
        }
    }

    fn read_place(&self, root: &str, path: &[ExceptStep], sc: &Scope) -> R<T> {
        let fld = self.state_field(root)?;
        let mut t = sc
            .cur
            .get(root)
            .cloned()
            .unwrap_or_else(|| T::name(&fld.tla));
        for step in path {
            t = match step {
                ExceptStep::Key(k) => T::FnApp(Box::new(t), Box::new(k.clone())),
                ExceptStep::Field(f) => T::Dot(Box::new(t), f.clone()),
            };
        }
        Ok(t)
    }

    fn write_place(&self, root: &str, path: Vec<ExceptStep>, new: T, sc: &mut Scope) -> R<()> {
        let fld = self.state_field(root)?;
        let cur = sc
            .cur
            .get(root)
            .cloned()
            .unwrap_or_else(|| T::name(&fld.tla));
        let value = if path.is_empty() {
            new
        } else {
            T::Except(Box::new(cur), path, Box::new(new))
        };
        sc.cur.insert(root.to_string(), value);
        Ok(())
    }
}

/// `b - 1`, folding a literal.
fn simplify_minus_one(b: T) -> T {
    match b {
        T::Num(n) => T::Num(n - 1),
        other => T::infix("-", other, T::Num(1)),
    }
}

/// `{x \in D : filters}` (or `D` without filters).
fn filtered_domain(st: &Stream) -> T {
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

/// The set of the stream's elements.
fn elem_set(st: &Stream) -> T {
    let dom = filtered_domain(st);
    if st.elem == T::name(&st.var) {
        dom
    } else {
        T::SetMap(Box::new(st.elem.clone()), st.var.clone(), Box::new(dom))
    }
}

/// Renames a stream's bound variable to the closure's parameter name when the element is the
/// variable itself, so `c.rm.iter().all(|r| ..)` reads `\A r \in Rm : ..`.
fn rename_var(mut st: Stream, closure: Option<&Expr>, cx: &Cx<'_>, sc: &Scope) -> Stream {
    let Some(Expr::Closure { params, .. }) = closure else {
        return st;
    };
    let Some(Pat::Ident(want)) = params.first() else {
        return st;
    };
    if st.elem != T::name(&st.var) || !st.filters.is_empty() || st.seq_source.is_some() {
        return st;
    }
    let fresh = cx.fresh(want, sc);
    st.var = fresh.clone();
    st.elem = T::name(fresh);
    st
}

fn wrap_items(items: Vec<Item>, tail: T) -> T {
    let mut body = tail;
    let mut pending_lets: Vec<(String, T)> = Vec::new();
    for item in items.into_iter().rev() {
        match item {
            Item::Guard(g) => {
                if !pending_lets.is_empty() {
                    pending_lets.reverse();
                    body = T::Let(std::mem::take(&mut pending_lets), Box::new(body));
                }
                body = T::and(vec![g, body]);
            }
            Item::Witness(g) => {
                // Converted by `opaque_guards`; kept as is if it reaches here.
                if !pending_lets.is_empty() {
                    pending_lets.reverse();
                    body = T::Let(std::mem::take(&mut pending_lets), Box::new(body));
                }
                body = T::and(vec![g, body]);
            }
            Item::Let(n, v) => pending_lets.push((n, v)),
        }
    }
    if !pending_lets.is_empty() {
        pending_lets.reverse();
        body = T::Let(pending_lets, Box::new(body));
    }
    body
}

fn container_type(name: Option<&str>) -> Option<Type> {
    // Only the container matters for `collect`; the element type is unknown here.
    match name {
        Some("Set") => Some(Type::Set(Box::new(Type::Bool))),
        _ => None,
    }
    .filter(|_| false)
    .or(match name {
        Some(n @ ("Set" | "Map" | "Seq")) => Some(Type::Named(format!("{n}<_>"))),
        _ => None,
    })
}

/// A short name of a type for messages (`Set<Rm>`).
pub fn type_name(t: &Type) -> String {
    match t {
        Type::Bool => "bool".into(),
        Type::Int(n) => n.clone(),
        Type::Named(n) => n.clone(),
        Type::Set(e) => format!("Set<{}>", type_name(e)),
        Type::Map(k, v) => format!("Map<{}, {}>", type_name(k), type_name(v)),
        Type::Seq(e) => format!("Seq<{}>", type_name(e)),
        Type::Option(e) => format!("Option<{}>", type_name(e)),
        Type::Tuple(ts) => format!(
            "({})",
            ts.iter().map(type_name).collect::<Vec<_>>().join(", ")
        ),
    }
}

/// Whether `t` mentions the name `n`.
fn mentions(t: &T, n: &str) -> bool {
    crate::print::print(t, 0)
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .any(|w| w == n)
}
