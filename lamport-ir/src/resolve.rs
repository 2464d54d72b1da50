//! Resolution: gives every name in every body what it names (a local, a state variable, a
//! constant, a helper, an enum variant, ...) and every expression its type.
//!
//! The macro runs this on the lowered IR and reports each [`Diag`] as a compile error on the
//! offending token; the IR it embeds is resolved, so the exporter reads names and types and never
//! infers them. Rust's own rules (borrowing, exact integer types) are left to rustc, which
//! compiles the same bodies: the types here are the ones the translation needs.

use std::collections::BTreeMap;

use crate::ops::{self, Arg, Recv, Ret};
use crate::{
    Block, Expr, ExprKind, Lit, Model, NodeId, Operator, OperatorKind, Pat, Stmt, Type, TypeDecl,
    TypeKind, UnOp,
};

/// An error found on the IR: the node it is about, and what to write instead.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diag {
    pub node: NodeId,
    pub msg: String,
}

/// Resolves and types every body of `model` in place; returns the errors found.
pub fn resolve(model: &mut Model) -> Vec<Diag> {
    let mut cx = Cx::new(model);
    let state_name = model.state.name.clone();
    cx.operator(&mut model.init, Role::Init);
    for op in &mut model.actions {
        cx.operator(op, Role::Action);
    }
    for op in model
        .invariants
        .iter_mut()
        .chain(&mut model.constraints)
        .chain(&mut model.reachables)
    {
        cx.operator(op, Role::Predicate);
    }
    for op in &mut model.step_properties {
        cx.operator(op, Role::Predicate);
    }
    for l in &mut model.liveness {
        cx.operator(&mut l.op, Role::Predicate);
    }
    for op in &mut model.helpers {
        cx.operator(op, Role::Helper);
    }
    // Fairness conditions per parameter: their domains read only the constants.
    let action_scopes: BTreeMap<String, Scope> = model
        .actions
        .iter()
        .map(|a| (a.name.clone(), cx.base_scope(a, false)))
        .collect();
    for f in &mut model.fairness {
        let sc = action_scopes.get(&f.action).cloned().unwrap_or_default();
        for p in &mut f.per {
            if let Some(d) = &mut p.domain {
                cx.domain(d, &sc);
            }
        }
    }
    // Group conditions: each variable's domain is that of the first action it is given to.
    for g in &mut model.group_fairness {
        for p in &mut g.per {
            let binder = g
                .members
                .iter()
                .find(|m| m.args.iter().any(|a| a.as_deref() == Some(p.name.as_str())))
                .map(|m| m.action.clone())
                .unwrap_or_default();
            let sc = action_scopes.get(&binder).cloned().unwrap_or_default();
            if let Some(d) = &mut p.domain {
                cx.domain(d, &sc);
            }
        }
    }
    let _ = state_name;
    cx.diags
}

/// What a function is, for resolving its body.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Init,
    Action,
    /// Invariants, constraints, step and temporal properties, reachability conditions.
    Predicate,
    Helper,
}

/// What a name in a body stands for.
#[derive(Clone, Debug)]
enum Bind {
    Local(Option<Type>),
    State { next: bool },
    Config,
}

#[derive(Clone, Debug, Default)]
struct Scope {
    binds: Vec<(String, Bind)>,
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

/// What the context expects of an expression's type.
#[derive(Clone, Copy)]
enum Want<'a> {
    Any,
    Ty(&'a Type),
    /// A container named by a `let` annotation or a turbofish (`Set<_>`): what `collect` builds.
    Container(&'a str),
}

impl<'a> Want<'a> {
    fn ty(self) -> Option<&'a Type> {
        match self {
            Want::Ty(t) => Some(t),
            _ => None,
        }
    }

    fn of(t: &'a Option<Type>) -> Want<'a> {
        match t {
            Some(t) => Want::Ty(t),
            None => Want::Any,
        }
    }
}

/// A helper's signature: what each parameter takes, and the result.
#[derive(Clone, Debug)]
enum ParamKind {
    State,
    Config,
    Value(Type),
}

struct Cx {
    types: Vec<TypeDecl>,
    model_values: Vec<String>,
    state_name: String,
    config_name: String,
    state_fields: Vec<(String, Type)>,
    const_fields: Vec<(String, Type)>,
    helpers: BTreeMap<String, (Vec<ParamKind>, Option<Type>)>,
    diags: Vec<Diag>,
}

impl Cx {
    fn new(m: &Model) -> Cx {
        let state_name = m.state.name.clone();
        let config_name = m.constants.name.clone();
        let helpers = m
            .helpers
            .iter()
            .map(|h| {
                let params = h
                    .params
                    .iter()
                    .map(|p| match &p.ty {
                        Type::Named(n) if *n == state_name => ParamKind::State,
                        Type::Named(n) if *n == config_name => ParamKind::Config,
                        t => ParamKind::Value(t.clone()),
                    })
                    .collect();
                (h.name.clone(), (params, h.ret.clone()))
            })
            .collect();
        Cx {
            types: m.types.clone(),
            model_values: m.model_values.iter().map(|v| v.name.clone()).collect(),
            state_fields: m
                .state
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.clone()))
                .collect(),
            const_fields: m
                .constants
                .fields
                .iter()
                .map(|f| (f.name.clone(), f.ty.clone()))
                .collect(),
            state_name,
            config_name,
            helpers,
            diags: Vec::new(),
        }
    }

    fn err(&mut self, node: NodeId, msg: impl Into<String>) {
        self.diags.push(Diag {
            node,
            msg: msg.into(),
        });
    }

    fn decl(&self, name: &str) -> Option<&TypeDecl> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The enum declaring a variant named `variant`, if exactly one does.
    fn enum_of_variant(&self, variant: &str) -> Option<String> {
        let mut found = self.types.iter().filter(|t| match &t.kind {
            TypeKind::Enum(vs) => vs.iter().any(|v| v.name == variant),
            _ => false,
        });
        let first = found.next()?;
        if found.next().is_some() {
            return None;
        }
        Some(first.name.clone())
    }

    fn variant_fields(&self, ty: &str, variant: &str) -> Option<Vec<(String, Type)>> {
        match &self.decl(ty)?.kind {
            TypeKind::Enum(vs) => vs.iter().find(|v| v.name == variant).map(|v| {
                v.fields
                    .iter()
                    .map(|f| (f.name.clone(), f.ty.clone()))
                    .collect()
            }),
            TypeKind::Struct(_) => None,
        }
    }

    fn struct_fields(&self, ty: &str) -> Option<Vec<(String, Type)>> {
        if ty == self.state_name {
            return Some(self.state_fields.clone());
        }
        match &self.decl(ty)?.kind {
            TypeKind::Struct(fs) => {
                Some(fs.iter().map(|f| (f.name.clone(), f.ty.clone())).collect())
            }
            TypeKind::Enum(_) => None,
        }
    }

    // ----- operators -----

    fn base_scope(&self, op: &Operator, with_params: bool) -> Scope {
        let mut sc = Scope::default();
        if let Some(s) = &op.state_param {
            sc.bind(s, Bind::State { next: false });
        }
        if let Some(n) = &op.next_state_param {
            sc.bind(n, Bind::State { next: true });
        }
        if let Some(c) = &op.config_param {
            sc.bind(c, Bind::Config);
        }
        if with_params {
            for p in &op.params {
                sc.bind(&p.name, Bind::Local(Some(p.ty.clone())));
            }
        }
        sc
    }

    fn operator(&mut self, op: &mut Operator, role: Role) {
        let mut sc = self.base_scope(op, false);
        match role {
            Role::Helper => {
                for p in &op.params {
                    let b = match &p.ty {
                        Type::Named(n) if *n == self.state_name => Bind::State { next: false },
                        Type::Named(n) if *n == self.config_name => Bind::Config,
                        t => Bind::Local(Some(t.clone())),
                    };
                    sc.bind(&p.name, b);
                }
            }
            _ => {
                // Each domain sees the parameters before it.
                for p in &mut op.params {
                    if let Some(d) = &mut p.domain {
                        self.domain(d, &sc);
                    }
                    sc.bind(&p.name, Bind::Local(Some(p.ty.clone())));
                }
            }
        }
        let want = match role {
            Role::Predicate => Some(Type::Bool),
            Role::Helper => op.ret.clone(),
            Role::Init => Some(Type::Named(self.state_name.clone())),
            Role::Action => None,
        };
        self.block(&mut op.body, &sc, Want::of(&want));
    }

    /// A parameter's domain: a set, a range, an array or a sequence of its values.
    fn domain(&mut self, d: &mut Expr, sc: &Scope) {
        let t = self.expr(d, sc, Want::Any);
        match t {
            Some(Type::Set(_) | Type::Iter(_) | Type::Seq(_)) | None => {}
            Some(other) => self.err(
                d.id,
                format!(
                    "a domain is a finite collection of values: a `Set`, a range (`0..n`), an array (`[a, b]`) or a `Seq`, not {}",
                    other.display()
                ),
            ),
        }
    }

    // ----- statements -----

    fn block(&mut self, b: &mut Block, sc: &Scope, want: Want) -> Option<Type> {
        let mut inner = sc.clone();
        for st in &mut b.stmts {
            self.stmt(st, &mut inner);
        }
        match &mut b.tail {
            Some(t) => self.expr(t, &inner, want),
            None => None,
        }
    }

    fn stmt(&mut self, st: &mut Stmt, sc: &mut Scope) {
        match st {
            Stmt::Let {
                pat,
                container,
                init,
            } => {
                let want = match container.as_deref() {
                    Some(c) => Want::Container(c),
                    None => Want::Any,
                };
                let t = self.expr(init, sc, want);
                self.pat(pat, t.as_ref(), sc, init.id);
            }
            Stmt::Require(c) | Stmt::RequireWitnesses(c) => {
                self.expr(c, sc, Want::Ty(&Type::Bool));
            }
            Stmt::Assign { place, op, value } => {
                let pt = self.expr(place, sc, Want::Any);
                self.check_place(place);
                if op.is_some() && pt.as_ref().is_some_and(|t| !t.is_int()) {
                    self.err(
                        place.id,
                        "compound assignment (`+=`, `-=`, ...) works on integers",
                    );
                }
                self.expr(value, sc, Want::of(&pt));
            }
            Stmt::Expr(e) => {
                self.expr(e, sc, Want::Any);
            }
            Stmt::Choose { pat, domain } => {
                let t = self.expr(domain, sc, Want::Any);
                let elem = match t {
                    Some(Type::Set(t) | Type::Iter(t) | Type::Seq(t)) => Some(*t),
                    None => None,
                    Some(other) => {
                        self.err(
                            domain.id,
                            format!(
                                "`choose!` draws from a finite collection: a `Set`, a range (`0..n`), an array (`[a, b]`) or a `Seq`, not {}",
                                other.display()
                            ),
                        );
                        None
                    }
                };
                self.pat(pat, elem.as_ref(), sc, domain.id);
            }
            Stmt::Either { arms, .. } => {
                for a in arms {
                    self.block(a, sc, Want::Any);
                }
            }
            Stmt::Assert { cond, .. } => {
                self.expr(cond, sc, Want::Ty(&Type::Bool));
            }
        }
    }

    /// An assignment or a changing method must reach into a state variable.
    fn check_place(&mut self, place: &Expr) {
        let mut root = place;
        loop {
            root = match &root.kind {
                ExprKind::Field(b, _) | ExprKind::Index(b, _) | ExprKind::TupleField(b, _) => b,
                _ => break,
            };
        }
        match &root.kind {
            ExprKind::Var { next: false, .. } => {}
            ExprKind::Local(n) => self.err(
                place.id,
                format!("`{n}` is a local name: TLA+ has no assignment to names, so a model changes only the state (`s.field = ...`); compute a new value with `let` instead"),
            ),
            _ => self.err(
                place.id,
                "assign to a state variable or a part of one: `s.field = ...`, `s.map[k] = ...`, `s.record.field = ...`",
            ),
        }
    }

    // ----- patterns -----

    /// Binds the names of `pat`, matched against a value of type `ty`.
    fn pat(&mut self, pat: &mut Pat, ty: Option<&Type>, sc: &mut Scope, node: NodeId) {
        match pat {
            Pat::Wild | Pat::Lit(_) => {}
            Pat::Ident(x) if x == "None" => *pat = Pat::Path(vec!["None".into()]),
            Pat::Ident(x) => {
                // A unit variant of the scrutinee's enum is a pattern, not a new name.
                if let Some(Type::Named(n)) = ty {
                    if self.variant_fields(n, x).is_some_and(|fs| fs.is_empty()) {
                        *pat = Pat::Path(vec![n.clone(), x.clone()]);
                        return;
                    }
                }
                sc.bind(x, Bind::Local(ty.cloned()));
            }
            Pat::Ref(inner) => {
                let mut p = std::mem::replace(&mut **inner, Pat::Wild);
                self.pat(&mut p, ty, sc, node);
                *pat = p;
            }
            Pat::Tuple(ps) => {
                let tys: Vec<Type> = match ty {
                    Some(Type::Tuple(ts)) => ts.clone(),
                    _ => Vec::new(),
                };
                for (i, p) in ps.iter_mut().enumerate() {
                    self.pat(p, tys.get(i), sc, node);
                }
            }
            Pat::Path(path) => match self.qualify_variant(path, ty, node) {
                Some(p) => *path = p,
                None => {
                    if path.len() == 1 {
                        self.err(
                            node,
                            format!("`{}` is not a variant of the model's enums", path[0]),
                        );
                    }
                }
            },
            Pat::Struct { path, fields, .. } => {
                let (qualified, decl_fields) = match self.qualify_variant(path, ty, node) {
                    Some(q) if q.len() == 2 => {
                        let fs = self.variant_fields(&q[0], &q[1]).unwrap_or_default();
                        (q, fs)
                    }
                    _ => {
                        match path.last().and_then(|n| self.struct_fields(n)) {
                            Some(fs) => (vec![path.last().cloned().unwrap_or_default()], fs),
                            None => {
                                self.err(node, format!("`{}` is neither an enum variant nor a record of this model", path.join("::")));
                                return;
                            }
                        }
                    }
                };
                *path = qualified;
                for (f, p) in fields.iter_mut() {
                    let fty = decl_fields
                        .iter()
                        .find(|(n, _)| n == f)
                        .map(|(_, t)| t.clone());
                    self.pat(p, fty.as_ref(), sc, node);
                }
            }
            Pat::TupleStruct { path, elems } => {
                if path.len() == 1 && path[0] == "Some" && elems.len() == 1 {
                    let inner = match ty {
                        Some(Type::Option(t)) => Some((**t).clone()),
                        _ => None,
                    };
                    self.pat(&mut elems[0], inner.as_ref(), sc, node);
                } else {
                    self.err(node, format!("the pattern `{}(..)` has no TLA+ translation: match `Some(x)`, unit variants and variants with named fields (`Msg::Vote {{ from, .. }}`)", path.join("::")));
                }
            }
            Pat::Or(ps) => {
                let before = sc.binds.len();
                for p in ps.iter_mut() {
                    self.pat(p, ty, sc, node);
                }
                if sc.binds.len() != before {
                    self.err(node, "an or-pattern (`A | B`) that binds names has no TLA+ translation: write one arm per alternative");
                }
            }
        }
    }

    /// `[V]` or `[.., E, V]` as `[E, V]` when `V` is a variant (of `ty`'s enum if it is one);
    /// `None` stays `[None]`.
    fn qualify_variant(
        &mut self,
        path: &[String],
        ty: Option<&Type>,
        node: NodeId,
    ) -> Option<Vec<String>> {
        match path {
            [v] if v == "None" => Some(path.to_vec()),
            [v] => {
                let e = match ty {
                    Some(Type::Named(n)) if self.variant_fields(n, v).is_some() => Some(n.clone()),
                    _ => self.enum_of_variant(v),
                };
                e.map(|e| vec![e, v.clone()])
            }
            [.., e, v] => {
                if self.variant_fields(e, v).is_none() {
                    if self.decl(e).is_some() {
                        self.err(node, format!("`{e}` has no variant `{v}`"));
                    }
                    return None;
                }
                Some(vec![e.clone(), v.clone()])
            }
            [] => None,
        }
    }

    // ----- expressions -----

    /// Resolves `e` and sets its type; returns the type (`None` where the context does not tell
    /// and nothing needs it).
    fn expr(&mut self, e: &mut Expr, sc: &Scope, want: Want) -> Option<Type> {
        self.resolve_syntax(e, sc);
        let t = self.type_of(e, sc, want);
        e.ty = t.clone();
        t
    }

    /// Replaces the syntactic forms of `e` (not of its children) by what they name.
    fn resolve_syntax(&mut self, e: &mut Expr, sc: &Scope) {
        loop {
            match &mut e.kind {
                ExprKind::Ref(inner) | ExprKind::Deref(inner) => {
                    let inner = std::mem::replace(&mut **inner, Expr::bool(false));
                    *e = inner;
                }
                ExprKind::Block(b) if b.stmts.is_empty() && b.tail.is_some() => {
                    // `{ s.x }` as rustfmt writes a long closure body: the value itself.
                    let inner = *b.tail.take().expect("checked");
                    *e = inner;
                }
                _ => break,
            }
        }
        let id = e.id;
        let new_kind = match &mut e.kind {
            ExprKind::Path(p) => Some(self.resolve_path(p, sc, id)),
            ExprKind::Field(base, f) => {
                self.resolve_syntax(base, sc);
                match &base.kind {
                    ExprKind::State { next } => {
                        let next = *next;
                        if !self.state_fields.iter().any(|(n, _)| n == f) {
                            self.err(id, format!("`{f}` is not a state variable: the state struct `{}` has the fields {}", self.state_name, self.state_fields.iter().map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")));
                        }
                        Some(ExprKind::Var {
                            field: f.clone(),
                            next,
                        })
                    }
                    ExprKind::Config => {
                        if !self.const_fields.iter().any(|(n, _)| n == f) {
                            self.err(
                                id,
                                format!(
                                    "`{f}` is not a field of the constants struct `{}`",
                                    self.config_name
                                ),
                            );
                        }
                        Some(ExprKind::Const(f.clone()))
                    }
                    _ => None,
                }
            }
            ExprKind::Call { func, args } => {
                let func = func.clone();
                let args = std::mem::take(args);
                Some(self.resolve_call(&func, args, id))
            }
            ExprKind::Struct { path, fields, rest } => {
                if let Some(r) = rest {
                    self.err(
                        r.id.max(id),
                        "`..rest` in a struct literal has no TLA+ translation: give every field",
                    );
                }
                let path = path.clone();
                let fields = std::mem::take(fields);
                Some(self.resolve_struct(&path, fields, id))
            }
            _ => None,
        };
        if let Some(k) = new_kind {
            e.kind = k;
        }
    }

    fn resolve_path(&mut self, p: &[String], sc: &Scope, id: NodeId) -> ExprKind {
        match p {
            [one] => match sc.lookup(one) {
                Some(Bind::Local(_)) => ExprKind::Local(one.clone()),
                Some(Bind::State { next }) => ExprKind::State { next: *next },
                Some(Bind::Config) => ExprKind::Config,
                None if one == "None" => ExprKind::NoneValue,
                None => match self.enum_of_variant(one) {
                    Some(ty) => self.unit_variant(&ty, one, id),
                    None => {
                        self.err(id, format!("`{one}` is not a name of this body: a body reads its parameters, its `let`s, the state and constants through their parameters (`s.x`, `c.n`), and the enums of the model; a Rust `const` or `static` is not part of the model (use a constants field or a literal)"));
                        ExprKind::Local(one.clone())
                    }
                },
            },
            [.., ty, variant] if self.decl(ty).is_some() => self.unit_variant(ty, variant, id),
            _ => {
                self.err(id, format!("`{}` is not a value of the model: paths name unit variants of the model's enums (`RmState::Working`)", p.join("::")));
                ExprKind::Lit(Lit::Bool(false))
            }
        }
    }

    fn unit_variant(&mut self, ty: &str, variant: &str, id: NodeId) -> ExprKind {
        match self.variant_fields(ty, variant) {
            Some(fs) if fs.is_empty() => ExprKind::Variant {
                ty: ty.to_string(),
                variant: variant.to_string(),
            },
            Some(_) => {
                self.err(id, format!("`{ty}::{variant}` has fields: write `{ty}::{variant} {{ field: value, .. }}`"));
                ExprKind::Variant {
                    ty: ty.to_string(),
                    variant: variant.to_string(),
                }
            }
            None => {
                self.err(id, format!("`{ty}` has no unit variant `{variant}`"));
                ExprKind::Lit(Lit::Bool(false))
            }
        }
    }

    fn resolve_call(&mut self, func: &[String], args: Vec<Expr>, id: NodeId) -> ExprKind {
        match func {
            [s] if s == "Some" => match <[Expr; 1]>::try_from(args) {
                Ok([a]) => ExprKind::Some(Box::new(a)),
                Err(_) => {
                    self.err(id, "`Some` takes one value");
                    ExprKind::NoneValue
                }
            },
            [name] if self.helpers.contains_key(name) => ExprKind::Helper {
                name: name.clone(),
                args,
            },
            [.., c, f] if matches!(c.as_str(), "Set" | "Map" | "Seq") => {
                if ops::constructor(c, f).is_none() {
                    self.err(
                        id,
                        format!(
                            "`{c}::{f}` is not part of the modelling language: use {}",
                            ops::CONSTRUCTORS
                                .iter()
                                .filter(|k| k.container == c)
                                .map(|k| format!("`{}`", k.rust))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
                ExprKind::Construct {
                    container: c.clone(),
                    func: f.clone(),
                    args,
                }
            }
            [.., ty, f] if self.model_values.contains(ty) => {
                self.err(id, format!("`{ty}::{f}` has no TLA+ translation in a body: model values come from the constants (`c.{}`); `{ty}::values(n)` belongs in a configuration", ty.to_lowercase()));
                ExprKind::Helper {
                    name: String::new(),
                    args,
                }
            }
            _ => {
                self.err(id, format!("`{}` is not a function of this model: a body calls the model's own functions (they become TLA+ operators), `Some(..)`, and `Set::new`/`Set::from`/`Map::new`/`Map::from`/`Seq::new`/`Seq::from`", func.join("::")));
                ExprKind::Helper {
                    name: String::new(),
                    args,
                }
            }
        }
    }

    fn resolve_struct(
        &mut self,
        path: &[String],
        fields: Vec<(String, Expr)>,
        id: NodeId,
    ) -> ExprKind {
        let (ty, variant) = match path {
            [.., e, v] if self.variant_fields(e, v).is_some() => (e.clone(), Some(v.clone())),
            [.., s] if self.struct_fields(s).is_some() => (s.clone(), None),
            [v] if self.enum_of_variant(v).is_some() => {
                (self.enum_of_variant(v).expect("checked"), Some(v.clone()))
            }
            _ => {
                self.err(
                    id,
                    format!(
                        "`{}` is not a record type or variant of this model",
                        path.join("::")
                    ),
                );
                return ExprKind::Record {
                    ty: String::new(),
                    variant: None,
                    fields,
                };
            }
        };
        ExprKind::Record {
            ty,
            variant,
            fields,
        }
    }

    /// The type of a resolved node (resolving and typing its children).
    fn type_of(&mut self, e: &mut Expr, sc: &Scope, want: Want) -> Option<Type> {
        let id = e.id;
        match &mut e.kind {
            ExprKind::Lit(Lit::Bool(_)) => Some(Type::Bool),
            ExprKind::Lit(Lit::Int(_)) => Some(match (&e.ty, want.ty()) {
                // A suffix (`1u8`) fixes the type.
                (Some(t), _) if concrete_int(t) => t.clone(),
                (_, Some(t @ Type::Int(_))) => t.clone(),
                _ => Type::int_literal(),
            }),
            ExprKind::Local(n) => match sc.lookup(n) {
                Some(Bind::Local(t)) => t.clone(),
                _ => None,
            },
            ExprKind::Var { field, .. } => self
                .state_fields
                .iter()
                .find(|(n, _)| n == field)
                .map(|(_, t)| t.clone()),
            ExprKind::Const(f) => self
                .const_fields
                .iter()
                .find(|(n, _)| n == f)
                .map(|(_, t)| t.clone()),
            ExprKind::State { .. } => {
                self.err(id, "the whole state is used as a value: read its fields (`s.field`), or pass it to a helper that takes the state");
                Some(Type::Named(self.state_name.clone()))
            }
            ExprKind::Config => {
                self.err(id, "the whole constants struct is used as a value: read its fields (`c.field`), or pass it to a helper that takes the constants");
                Some(Type::Named(self.config_name.clone()))
            }
            ExprKind::Variant { ty, .. } => Some(Type::Named(ty.clone())),
            ExprKind::NoneValue => match want.ty() {
                Some(t @ Type::Option(_)) => Some(t.clone()),
                _ => None,
            },
            ExprKind::Path(_)
            | ExprKind::Call { .. }
            | ExprKind::Struct { .. }
            | ExprKind::Ref(_)
            | ExprKind::Deref(_) => None,
            ExprKind::Field(base, f) => {
                let bt = self.expr(base, sc, Want::Any);
                match &bt {
                    Some(Type::Named(n)) => match self.struct_fields(n) {
                        Some(fs) => match fs.iter().find(|(x, _)| x == f) {
                            Some((_, t)) => Some(t.clone()),
                            None => {
                                self.err(id, format!("`{n}` has no field `{f}`"));
                                None
                            }
                        },
                        None => {
                            self.err(id, format!("the fields of `{n}` are read with a `match` on its variants (`{n}::Variant {{ {f}, .. }} => ...`)"));
                            None
                        }
                    },
                    Some(other) => {
                        self.err(
                            id,
                            format!(
                                "`.{f}` reads a field of a record; this value is {}",
                                other.display()
                            ),
                        );
                        None
                    }
                    None => None,
                }
            }
            ExprKind::TupleField(base, i) => {
                let bt = self.expr(base, sc, Want::Any);
                match bt {
                    Some(Type::Tuple(ts)) => ts.get(*i as usize).cloned(),
                    _ => None,
                }
            }
            ExprKind::Index(base, idx) => {
                let bt = self.expr(base, sc, Want::Any);
                match bt {
                    Some(Type::Map(k, v)) => {
                        self.expr(idx, sc, Want::Ty(&k));
                        Some(*v)
                    }
                    Some(Type::Seq(v)) => {
                        self.expr(idx, sc, Want::Ty(&Type::Int("usize".into())));
                        Some(*v)
                    }
                    Some(other) => {
                        self.expr(idx, sc, Want::Any);
                        self.err(
                            id,
                            format!(
                                "indexing (`x[i]`) reads a `Map` or a `Seq`; this value is {}",
                                other.display()
                            ),
                        );
                        None
                    }
                    None => {
                        self.expr(idx, sc, Want::Any);
                        self.err(id, "cannot tell the type of the indexed value: give it a declared type (a state variable, a constant, a typed parameter or `let`)");
                        None
                    }
                }
            }
            ExprKind::Unary(UnOp::Not, a) => {
                self.expr(a, sc, Want::Ty(&Type::Bool));
                Some(Type::Bool)
            }
            ExprKind::Unary(UnOp::Neg, a) => self.expr(a, sc, want),
            ExprKind::Binary(op, a, b) => {
                let op = *op;
                self.binary(op, a, b, sc, want, id)
            }
            ExprKind::If { cond, then, els } => {
                let mut inner = sc.clone();
                self.condition(cond, &mut inner);
                let tt = self.block(then, &inner, want);
                let et = match els {
                    Some(e) => {
                        let w = match (&tt, want) {
                            (_, Want::Ty(t)) => Some(t.clone()),
                            (Some(t), _) => Some(t.clone()),
                            _ => None,
                        };
                        self.expr(e, sc, Want::of(&w))
                    }
                    None => None,
                };
                tt.or(et)
            }
            ExprKind::LetCond { pat, scrutinee } => {
                let st = self.expr(scrutinee, sc, Want::Any);
                let mut probe = sc.clone();
                self.pat(pat, st.as_ref(), &mut probe, id);
                Some(Type::Bool)
            }
            ExprKind::Match { scrutinee, arms } => {
                let st = self.expr(scrutinee, sc, Want::Any);
                let mut ty: Option<Type> = want.ty().cloned();
                for arm in arms.iter_mut() {
                    let mut inner = sc.clone();
                    self.pat(&mut arm.pat, st.as_ref(), &mut inner, arm.body.id);
                    if let Some(g) = &mut arm.guard {
                        self.expr(g, &inner, Want::Ty(&Type::Bool));
                    }
                    let w = ty.clone();
                    let bt = self.expr(&mut arm.body, &inner, Want::of(&w));
                    if ty.is_none() {
                        ty = bt;
                    }
                }
                ty
            }
            ExprKind::Block(b) => self.block(b, sc, want),
            ExprKind::MethodCall { .. } => self.method(e, sc, want),
            ExprKind::Helper { name, args } => {
                let Some((params, ret)) = self.helpers.get(name.as_str()).cloned() else {
                    for a in args.iter_mut() {
                        self.expr(a, sc, Want::Any);
                    }
                    return None;
                };
                if params.len() != args.len() {
                    self.err(id, format!("`{name}` takes {} argument(s)", params.len()));
                }
                for (p, a) in params.iter().zip(args.iter_mut()) {
                    match p {
                        ParamKind::State => {
                            self.resolve_syntax(a, sc);
                            if !matches!(a.kind, ExprKind::State { .. }) {
                                self.err(a.id.max(id), format!("`{name}` takes the whole state: pass the state parameter (`s`, or the state after the step in a step property)"));
                            }
                            a.ty = Some(Type::Named(self.state_name.clone()));
                        }
                        ParamKind::Config => {
                            self.resolve_syntax(a, sc);
                            if !matches!(a.kind, ExprKind::Config) {
                                self.err(a.id.max(id), format!("`{name}` takes the constants: pass the constants parameter (`c`)"));
                            }
                            a.ty = Some(Type::Named(self.config_name.clone()));
                        }
                        ParamKind::Value(t) => {
                            self.expr(a, sc, Want::Ty(t));
                        }
                    }
                }
                ret
            }
            ExprKind::Some(a) => {
                let inner = match want.ty() {
                    Some(Type::Option(t)) => Some((**t).clone()),
                    _ => None,
                };
                let t = self.expr(a, sc, Want::of(&inner));
                t.or(inner).map(|t| Type::Option(Box::new(t)))
            }
            ExprKind::Construct {
                container,
                func,
                args,
            } => {
                let (container, func) = (container.clone(), func.clone());
                self.construct(&container, &func, args, sc, want, id)
            }
            ExprKind::Closure { .. } => {
                self.err(id, "a closure is only the argument of an iterator method (`all`, `any`, `filter`, `map`, `flat_map`)");
                None
            }
            ExprKind::Record {
                ty,
                variant,
                fields,
            } => {
                if ty.is_empty() {
                    return None;
                }
                let decl = match variant {
                    Some(v) => self.variant_fields(ty, v),
                    None => self.struct_fields(ty),
                }
                .unwrap_or_default();
                for (f, v) in fields.iter_mut() {
                    match decl.iter().find(|(n, _)| n == f) {
                        Some((_, t)) => {
                            let t = t.clone();
                            self.expr(v, sc, Want::Ty(&t));
                        }
                        None => {
                            self.expr(v, sc, Want::Any);
                            self.err(v.id.max(id), format!("`{ty}` has no field `{f}`"));
                        }
                    }
                }
                let missing: Vec<&String> = decl
                    .iter()
                    .map(|(n, _)| n)
                    .filter(|n| !fields.iter().any(|(f, _)| f == *n))
                    .collect();
                if !missing.is_empty() {
                    self.err(
                        id,
                        format!(
                            "every field is given in a TLA+ record: add {}",
                            missing
                                .iter()
                                .map(|n| format!("`{n}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                }
                Some(Type::Named(ty.clone()))
            }
            ExprKind::Tuple(items) => {
                let wants: Vec<Type> = match want.ty() {
                    Some(Type::Tuple(ts)) => ts.clone(),
                    _ => Vec::new(),
                };
                let mut tys = Vec::new();
                for (i, it) in items.iter_mut().enumerate() {
                    let w = wants.get(i).cloned();
                    tys.push(self.expr(it, sc, Want::of(&w)));
                }
                tys.into_iter().collect::<Option<Vec<_>>>().map(Type::Tuple)
            }
            ExprKind::Range { from, to, .. } => {
                let w = match want.ty().and_then(Type::elem) {
                    Some(t @ Type::Int(_)) => Some(t.clone()),
                    _ => None,
                };
                let ft = self.expr(from, sc, Want::of(&w));
                let tt = self.expr(to, sc, Want::of(&ft.clone().filter(concrete_int)));
                let elem = [ft, tt, w]
                    .into_iter()
                    .flatten()
                    .find(concrete_int)
                    .unwrap_or_else(Type::int_literal);
                if !elem.is_int() {
                    self.err(id, "a range goes between integers");
                }
                Some(Type::Iter(Box::new(elem)))
            }
            ExprKind::Array(items) => {
                let w = want.ty().and_then(Type::elem).cloned();
                let mut elem = w.clone();
                for it in items.iter_mut() {
                    let want_e = elem.clone();
                    let t = self.expr(it, sc, Want::of(&want_e));
                    if elem.is_none() {
                        elem = t;
                    }
                }
                elem.map(|e| Type::Iter(Box::new(e)))
            }
            ExprKind::Cast { expr, ty } => {
                let target = Type::Int(ty.clone());
                let t = self.expr(expr, sc, Want::Any);
                if t.as_ref().is_some_and(|t| !t.is_int()) {
                    self.err(id, "casts convert between integer types only");
                }
                Some(target)
            }
        }
    }

    /// A condition: `if let PAT = e` binds the pattern's names in the branch.
    fn condition(&mut self, cond: &mut Expr, sc: &mut Scope) {
        if let ExprKind::LetCond { pat, scrutinee } = &mut cond.kind {
            let st = self.expr(scrutinee, sc, Want::Any);
            self.pat(pat, st.as_ref(), sc, cond.id);
            cond.ty = Some(Type::Bool);
        } else {
            self.expr(cond, sc, Want::Ty(&Type::Bool));
        }
    }

    fn binary(
        &mut self,
        op: crate::BinOp,
        a: &mut Expr,
        b: &mut Expr,
        sc: &Scope,
        want: Want,
        id: NodeId,
    ) -> Option<Type> {
        use crate::BinOp::*;
        match op {
            And | Or => {
                self.expr(a, sc, Want::Ty(&Type::Bool));
                self.expr(b, sc, Want::Ty(&Type::Bool));
                Some(Type::Bool)
            }
            Eq | Ne => {
                let ta = self.expr(a, sc, Want::Any);
                let tb = self.expr(
                    b,
                    sc,
                    Want::of(&ta.clone().filter(|t| *t != Type::int_literal())),
                );
                // `Set::new() == s.x`, `1 == s.n`: the left side takes the right's type.
                if let Some(tb) = tb.filter(|t| *t != Type::int_literal()) {
                    if ta.is_none() || ta == Some(Type::int_literal()) {
                        self.expr(a, sc, Want::Ty(&tb));
                    }
                }
                Some(Type::Bool)
            }
            Lt | Le | Gt | Ge => {
                let t = self.arith_operands(a, b, sc, Want::Any);
                if let Some(t) = t.filter(|t| !t.is_int()) {
                    self.err(id, format!("`<`, `<=`, `>` and `>=` compare integers: TLA+ has no order on other values (this is {})", t.display()));
                }
                Some(Type::Bool)
            }
            Add | Sub | Mul | Div | Rem => {
                let w = match want.ty() {
                    Some(t @ Type::Int(_)) => Want::Ty(t),
                    _ => Want::Any,
                };
                let t = self.arith_operands(a, b, sc, w);
                if let Some(t) = t.as_ref().filter(|t| !t.is_int()) {
                    self.err(
                        id,
                        format!("arithmetic works on integers; this is {}", t.display()),
                    );
                }
                t
            }
        }
    }

    /// Types two integer operands alike: a literal takes the other side's type.
    fn arith_operands(
        &mut self,
        a: &mut Expr,
        b: &mut Expr,
        sc: &Scope,
        want: Want,
    ) -> Option<Type> {
        let ta = self.expr(a, sc, want);
        let wb = ta.clone().filter(concrete_int);
        let tb = self.expr(
            b,
            sc,
            match &wb {
                Some(t) => Want::Ty(t),
                None => want,
            },
        );
        if !ta.as_ref().is_some_and(concrete_int) {
            if let Some(t) = tb.clone().filter(concrete_int) {
                self.expr(a, sc, Want::Ty(&t));
                return Some(t);
            }
        }
        ta.or(tb)
    }

    fn construct(
        &mut self,
        container: &str,
        func: &str,
        args: &mut [Expr],
        sc: &Scope,
        want: Want,
        id: NodeId,
    ) -> Option<Type> {
        let wanted = want.ty().filter(|t| match container {
            "Set" => matches!(t, Type::Set(_)),
            "Map" => matches!(t, Type::Map(..)),
            _ => matches!(t, Type::Seq(_)),
        });
        if (container, func) == ("Map", "functions") {
            return self.function_set(args, sc, want, id);
        }
        match (container, func) {
            (_, "new") => wanted.cloned(),
            ("Set", "singleton") => {
                let w = wanted.and_then(Type::elem).cloned();
                let t = args
                    .first_mut()
                    .and_then(|a| self.expr(a, sc, Want::of(&w)));
                t.or(w).map(|t| Type::Set(Box::new(t)))
            }
            ("Set" | "Seq", "from") => {
                let w = wanted
                    .and_then(Type::elem)
                    .map(|e| Type::Iter(Box::new(e.clone())));
                let t = args
                    .first_mut()
                    .and_then(|a| self.expr(a, sc, Want::of(&w)));
                let elem = t
                    .as_ref()
                    .and_then(Type::elem)
                    .cloned()
                    .or_else(|| wanted.and_then(Type::elem).cloned());
                if !args
                    .first()
                    .is_some_and(|a| matches!(a.kind, ExprKind::Array(_)))
                {
                    self.err(id, format!("`{container}::from` takes an array literal: `{container}::from([a, b])`"));
                }
                elem.map(|e| {
                    if container == "Set" {
                        Type::Set(Box::new(e))
                    } else {
                        Type::Seq(Box::new(e))
                    }
                })
            }
            ("Map", "from") => {
                let w = match wanted {
                    Some(Type::Map(k, v)) => Some(Type::Iter(Box::new(Type::Tuple(vec![
                        (**k).clone(),
                        (**v).clone(),
                    ])))),
                    _ => None,
                };
                let t = args
                    .first_mut()
                    .and_then(|a| self.expr(a, sc, Want::of(&w)));
                let pairs_ok = args.first().is_some_and(|a| match &a.kind {
                    ExprKind::Array(items) => items
                        .iter()
                        .all(|i| matches!(&i.kind, ExprKind::Tuple(kv) if kv.len() == 2)),
                    _ => false,
                });
                if !pairs_ok {
                    self.err(id, "`Map::from` takes an array of `(key, value)` pairs: `Map::from([(k1, v1), (k2, v2)])`");
                }
                match t.as_ref().and_then(Type::elem) {
                    Some(Type::Tuple(kv)) if kv.len() == 2 => {
                        Some(Type::Map(Box::new(kv[0].clone()), Box::new(kv[1].clone())))
                    }
                    _ => wanted.cloned(),
                }
            }
            _ => None,
        }
    }

    /// `Map::functions(dom, range)`, TLA+'s `[dom -> range]`: a set of maps, whose key and value
    /// types are the element types of the two sets.
    fn function_set(
        &mut self,
        args: &mut [Expr],
        sc: &Scope,
        want: Want,
        id: NodeId,
    ) -> Option<Type> {
        let (wk, wv) = match want.ty() {
            Some(Type::Set(m)) => match &**m {
                Type::Map(k, v) => (Some(Type::Set(k.clone())), Some(Type::Set(v.clone()))),
                _ => (None, None),
            },
            _ => (None, None),
        };
        let [dom, range] = args else {
            self.err(id, "`Map::functions` takes a domain and a range: `Map::functions(dom, range)`, TLA+'s `[dom -> range]`");
            return None;
        };
        let k = self.expr(dom, sc, Want::of(&wk)).or(wk);
        let v = self.expr(range, sc, Want::of(&wv)).or(wv);
        let elem = |t: Option<Type>, what: &str, this: &mut Self, at: NodeId| match t {
            Some(Type::Set(e) | Type::Iter(e)) => Some(*e),
            Some(other) => {
                this.err(at, format!("the {what} of `Map::functions` is a set (a `Set`, a range or an array), not `{}`", other.display()));
                None
            }
            None => None,
        };
        let (dom_id, range_id) = (dom.id, range.id);
        let k = elem(k, "domain", self, dom_id)?;
        let v = elem(v, "range", self, range_id)?;
        Some(Type::Set(Box::new(Type::Map(Box::new(k), Box::new(v)))))
    }

    /// A method call: looked up in the table of operations by the receiver's type.
    fn method(&mut self, e: &mut Expr, sc: &Scope, want: Want) -> Option<Type> {
        let id = e.id;
        let ExprKind::MethodCall {
            receiver,
            method,
            turbofish,
            args,
        } = &mut e.kind
        else {
            return None;
        };
        // What the context wants of this call says what its receiver yields: `collect` into a
        // `Map<K, V>` wants `(K, V)` pairs, `unwrap_or` of a `T` an `Option<T>`, ...
        let receiver_want: Option<Type> = match (method.as_str(), want.ty()) {
            ("collect", Some(Type::Set(e) | Type::Seq(e))) => Some(Type::Iter(e.clone())),
            ("collect", Some(Type::Map(k, v))) => Some(Type::Iter(Box::new(Type::Tuple(vec![
                (**k).clone(),
                (**v).clone(),
            ])))),
            ("sum", Some(t @ Type::Int(_))) => Some(Type::Iter(Box::new(t.clone()))),
            ("min" | "max", Some(Type::Option(t))) => Some(Type::Iter(t.clone())),
            ("unwrap" | "unwrap_or", Some(t)) => Some(Type::Option(Box::new(t.clone()))),
            ("filter" | "cloned" | "copied" | "into_iter", Some(t @ Type::Iter(_))) => {
                Some(t.clone())
            }
            _ => None,
        };
        let rt = self.expr(receiver, sc, Want::of(&receiver_want));
        let Some(rt) = rt else {
            for a in args.iter_mut() {
                if !matches!(a.kind, ExprKind::Closure { .. }) {
                    self.expr(a, sc, Want::Any);
                }
            }
            self.err(id, format!("cannot tell the type of the receiver of `.{method}()`: give the value a declared type (a state variable, a constant, a typed parameter, or `let x: Set<T> = ...`)"));
            return None;
        };
        let Some(m) = ops::lookup(&rt, method) else {
            let kind = [Recv::Set, Recv::Map, Recv::Seq, Recv::Option, Recv::Iter]
                .into_iter()
                .find(|k| k.accepts(&rt));
            let list = kind.map(|k| {
                ops::names(Some(k))
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            });
            let hint = match (method.as_str(), &rt) {
                ("remove", Type::Seq(_)) | ("skip", _) | ("split_off", Type::Seq(_)) => " (the rest of a sequence after its first element is `q.tail()`, TLA+'s `Tail(q)`: write `s.q = s.q.tail();` to take the first element out, and read it first with `q.head()`; other slices are `q.subseq(from, to)`)".to_string(),
                ("insert", Type::Seq(_)) => " (a sequence grows at its end: `q.push(x);`, or `q.append(x)` for a new sequence; TLA+'s `Append(q, x)`)".to_string(),
                _ => String::new(),
            };
            self.err(id, match list {
                Some(l) => format!("`.{method}()` on {} is not part of the modelling language{hint}; its methods are {l}", rt.display()),
                None => format!("`.{method}()` is not part of the modelling language on {}", rt.display()),
            });
            for a in args.iter_mut() {
                if !matches!(a.kind, ExprKind::Closure { .. }) {
                    self.expr(a, sc, Want::Any);
                }
            }
            return None;
        };
        if m.args.len() != args.len() {
            self.err(
                id,
                format!(
                    "`.{method}()` takes {} argument(s): `{}`",
                    m.args.len(),
                    m.rust
                ),
            );
        }
        let elem: Option<Type> = match &rt {
            Type::Set(e) | Type::Seq(e) | Type::Iter(e) | Type::Option(e) => Some((**e).clone()),
            _ => None,
        };
        let (key, value) = match &rt {
            Type::Map(k, v) => (Some((**k).clone()), Some((**v).clone())),
            _ => (None, None),
        };
        let mut closure_result: Option<Type> = None;
        for (kind, a) in m.args.iter().zip(args.iter_mut()) {
            match kind {
                Arg::Elem => {
                    self.expr(a, sc, Want::of(&elem));
                }
                Arg::Key => {
                    self.expr(a, sc, Want::of(&key));
                }
                Arg::Value => {
                    self.expr(a, sc, Want::of(&value));
                }
                Arg::Same => {
                    self.expr(a, sc, Want::Ty(&rt));
                }
                Arg::Index => {
                    self.expr(a, sc, Want::Ty(&Type::Int("usize".into())));
                }
                Arg::Pred | Arg::Fun | Arg::SetFun => {
                    let body_want = match kind {
                        Arg::Pred => Some(Type::Bool),
                        Arg::Fun => want.ty().and_then(Type::elem).cloned(),
                        _ => None,
                    };
                    closure_result = self.closure(a, elem.as_ref(), sc, Want::of(&body_want));
                    if *kind == Arg::SetFun && !matches!(closure_result, Some(Type::Set(_)) | None)
                    {
                        self.err(a.id.max(id), "`flat_map` is translated when its closure returns a `Set` (TLA+'s `UNION`)");
                    }
                }
            }
        }
        let r = match m.ret {
            Ret::Bool => Some(Type::Bool),
            Ret::Usize => Some(Type::Int("usize".into())),
            Ret::Same => Some(rt.clone()),
            Ret::Elem => elem.clone(),
            Ret::OptElem => elem.clone().map(|t| Type::Option(Box::new(t))),
            Ret::OptValue => value.map(|t| Type::Option(Box::new(t))),
            Ret::KeySet => key.clone().map(|t| Type::Set(Box::new(t))),
            Ret::Subsets => Some(Type::Set(Box::new(rt.clone()))),
            Ret::Unit => None,
            Ret::IterElem => elem.clone().map(|t| Type::Iter(Box::new(t))),
            Ret::IterKeys => key.clone().map(|t| Type::Iter(Box::new(t))),
            Ret::IterValues => value.map(|t| Type::Iter(Box::new(t))),
            Ret::IterPairs => match &rt {
                Type::Map(k, v) => Some(Type::Iter(Box::new(Type::Tuple(vec![
                    (**k).clone(),
                    (**v).clone(),
                ])))),
                _ => None,
            },
            Ret::IterMapped => closure_result.map(|t| Type::Iter(Box::new(t))),
            Ret::IterFlat => closure_result
                .and_then(|t| t.elem().cloned())
                .map(|t| Type::Iter(Box::new(t))),
            Ret::Collected => {
                let target = turbofish.clone().or_else(|| match want {
                    Want::Container(c) => Some(c.to_string()),
                    Want::Ty(Type::Set(_)) => Some("Set".into()),
                    Want::Ty(Type::Map(..)) => Some("Map".into()),
                    Want::Ty(Type::Seq(_)) => Some("Seq".into()),
                    _ => None,
                });
                match (target.as_deref(), elem.clone()) {
                    (Some("Set"), Some(e)) => Some(Type::Set(Box::new(e))),
                    (Some("Seq"), Some(e)) => Some(Type::Seq(Box::new(e))),
                    (Some("Map"), Some(Type::Tuple(kv))) if kv.len() == 2 => {
                        Some(Type::Map(Box::new(kv[0].clone()), Box::new(kv[1].clone())))
                    }
                    (Some("Map"), _) => {
                        self.err(id, "`collect()` into a `Map` takes `(key, value)` pairs: `.map(|x| (x, value)).collect::<Map<_, _>>()`");
                        None
                    }
                    (Some(other @ ("Set" | "Seq")), None) => {
                        let _ = other;
                        want.ty().cloned()
                    }
                    (Some(other), _) => {
                        self.err(
                            id,
                            format!(
                                "`collect()` builds a `Set`, a `Map` or a `Seq`, not `{other}`"
                            ),
                        );
                        None
                    }
                    (None, _) => {
                        self.err(id, "write what `collect()` builds: `collect::<Set<_>>()`, `collect::<Map<_, _>>()`, `collect::<Seq<_>>()`, or annotate the `let`");
                        None
                    }
                }
            }
        };
        if matches!(method.as_str(), "min" | "max" | "sum") {
            let ok = match (method.as_str(), &elem) {
                (_, Some(Type::Int(_))) => true,
                ("min", Some(Type::Named(n))) => self.model_values.contains(n),
                (_, None) => true,
                _ => false,
            };
            if !ok {
                let what = if method == "min" {
                    "integers and model values"
                } else {
                    "integers"
                };
                self.err(id, format!("`.{method}()` is translated for {what} only: TLA+ has no order on other values (use `the()` when the chosen value is unique)"));
            }
        }
        r
    }

    /// A closure applied to the elements of an iterator: its parameter bound to the element.
    fn closure(
        &mut self,
        c: &mut Expr,
        elem: Option<&Type>,
        sc: &Scope,
        want: Want,
    ) -> Option<Type> {
        let id = c.id;
        let ExprKind::Closure { params, body } = &mut c.kind else {
            self.err(id, "an iterator method takes a closure `|x| ...`");
            self.expr(c, sc, Want::Any);
            return None;
        };
        let mut inner = sc.clone();
        match params.as_mut_slice() {
            [p] => self.pat(p, elem, &mut inner, id),
            _ => self.err(id, "the closure takes one parameter: the element (`|x| ...`, or `|(k, v)| ...` for pairs)"),
        }
        let t = self.expr(body, &inner, want);
        c.ty = None;
        t
    }
}

fn concrete_int(t: &Type) -> bool {
    t.is_int() && *t != Type::int_literal()
}

/// Every node id of `op` whose resolved kind is still syntactic (a bug in resolution if any).
pub fn unresolved(op: &Operator) -> Vec<NodeId> {
    let mut out = Vec::new();
    crate::graph::walk_block(&op.body, &mut |e| {
        if matches!(
            e.kind,
            ExprKind::Path(_)
                | ExprKind::Call { .. }
                | ExprKind::Struct { .. }
                | ExprKind::Ref(_)
                | ExprKind::Deref(_)
        ) {
            out.push(e.id);
        }
    });
    out
}

impl OperatorKind {
    /// Whether the operator's parameters are drawn from domains.
    pub fn has_domains(self) -> bool {
        matches!(
            self,
            OperatorKind::Action | OperatorKind::Init | OperatorKind::Liveness
        )
    }
}
