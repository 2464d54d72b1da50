//! Resolved IR bodies → TLA+ expressions.
//!
//! The IR the macro embeds is resolved (`lamport_ir::resolve`): every name says what it is and
//! every expression has its type, so the translation reads both and infers neither. Each
//! construct has exactly one translation: expressions ([`expr`]), patterns and conditions
//! ([`pattern`]), helper calls and constructors ([`call`]), the methods of the operations table
//! ([`method`]), iterator chains ([`stream`]), actions by symbolic execution ([`action`]), the
//! guards TLC must take one way ([`guards`]), and the checks that make a fault of the Rust model
//! a fault of TLC ([`faults`]). The macro runs this translation on every model it compiles, so a
//! construct without a translation is a compile error on its token, never an export-time surprise.

mod action;
mod call;
mod choice;
mod domains;
mod expr;
mod faults;
mod guards;
mod method;
mod pattern;
mod stream;

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::names::{Names, StdModule};
use lamport_ir::ops::Support;
use lamport_ir::tla::T;
use lamport_ir::{Model, NodeId, Operator, Type};

pub use faults::support_definition;

/// A construct that has no exact TLA+ translation, and the node it is about (`0`: the operator
/// as a whole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportError {
    pub node: NodeId,
    pub msg: String,
}

impl ExportError {
    pub fn new(node: NodeId, msg: impl Into<String>) -> ExportError {
        ExportError {
            node,
            msg: msg.into(),
        }
    }
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg)
    }
}

impl std::error::Error for ExportError {}

pub(crate) type R<X> = Result<X, ExportError>;

/// An operator's parameters as TLA+ binds them: the name, the domain, and whether the domain
/// depends on an earlier parameter.
pub type Params = Vec<(String, T, bool)>;

pub(crate) fn fail<X>(node: NodeId, msg: impl Into<String>) -> R<X> {
    Err(ExportError::new(node, msg))
}

/// What a Rust local stands for in TLA+.
#[derive(Clone, Debug)]
pub(crate) enum Bind {
    /// A value: a bound name, a `LET` name, or an expression substituted for the local.
    Val(T),
}

/// A body's scope: the locals, the current symbolic value of each state variable changed so
/// far (in an action), and the TLA+ names bound around the point of translation.
#[derive(Clone, Default)]
pub struct Scope {
    locals: Vec<(String, Bind)>,
    /// Rust field name → current value (only the fields changed so far).
    pub(crate) cur: BTreeMap<String, T>,
    /// TLA+ names bound here (for fresh names).
    pub bound: BTreeSet<String>,
    /// The names bound inside the terms this scope may substitute somewhere (the values of its
    /// locals, of the variables changed so far): a name bound later must not be one of them,
    /// or the substituted term would bind it again inside its scope.
    pub(crate) inner_binders: BTreeSet<String>,
    /// The operator's parameters: Rust name, TLA+ name, domain.
    pub(crate) params: Vec<(String, String, lamport_ir::Expr)>,
    /// Map entries read so far wherever the body passes (a state variable and the keys into
    /// it): writing one of them again cannot be outside the map's domain, or the read would have
    /// failed first, in lamport and in TLC alike.
    pub(crate) read_keys: Vec<(String, Vec<lamport_ir::Expr>)>,
}

impl Scope {
    pub(crate) fn lookup(&self, name: &str) -> Option<&Bind> {
        self.locals
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b)
    }

    pub(crate) fn bind(&mut self, name: &str, value: T) {
        self.inner_binders.extend(value.binders());
        self.locals.push((name.to_string(), Bind::Val(value)));
    }

    /// Sets the current value of a changed state variable.
    pub(crate) fn set_current(&mut self, field: &str, value: T) {
        self.inner_binders.extend(value.binders());
        self.cur.insert(field.to_string(), value);
    }

    /// Notes that terms holding these binders will be placed in this scope.
    pub(crate) fn avoid(&mut self, terms: &[&T]) {
        for t in terms {
            self.inner_binders.extend(t.binders());
        }
    }
}

/// The translation context of one model.
pub struct Cx<'a> {
    pub ir: &'a Model,
    uses: RefCell<BTreeSet<StdModule>>,
    /// Every module-level name: reserved, the model's, the support operators'.
    module_names: Names,
    /// The name each support operator has in this module.
    support_names: BTreeMap<String, String>,
    supports_used: RefCell<BTreeSet<Support>>,
    /// Helpers (by Rust name) whose body TLC may take more than one way through in an action.
    branching_helpers: RefCell<BTreeMap<String, bool>>,
    /// Per helper, which of its parameters its body evaluates on every path (`None` while being
    /// worked out: a recursive call counts as not evaluating them). See `call::strict_names`.
    strict_params: RefCell<BTreeMap<String, Option<Vec<bool>>>>,
    /// Per helper (by its TLA+ name), whether evaluating a call can be an error of TLC (`false`
    /// while being worked out: the least answer of a recursive helper). See `faults::may_fault`.
    helper_may_fault: RefCell<BTreeMap<String, bool>>,
    /// Per helper taking the state: the state variables it reads, through the helpers it calls.
    helper_reads: BTreeMap<String, BTreeSet<String>>,
    recursive: BTreeSet<String>,
    map_domains: domains::MapDomains,
    /// The constants (Rust names) holding every model value of their type in the configuration
    /// being exported: any value of that type is one of theirs.
    full_constants: BTreeSet<String>,
    /// The state variables read or written, in order (an `if` kept as branches must be the last
    /// to touch its variables).
    touched: RefCell<Vec<String>>,
    /// Set while translating an atom of a `require_witnesses!` condition: `!a || b` stays a
    /// disjunction there (as an implication TLC would count it differently).
    literal_or: std::cell::Cell<bool>,
    /// Set while translating a chain ending in `count`, `sum` or `collect::<Seq<_>>`: an array
    /// is taken by its positions, repetitions included.
    positional_arrays: std::cell::Cell<bool>,
}

/// Every support operator a module may define, in the order their names are claimed.
fn all_supports() -> Vec<Support> {
    let mut v = vec![
        Support::The,
        Support::Sum,
        Support::Slice,
        Support::Quotient,
        Support::Remainder,
        Support::Evaluated,
    ];
    for t in faults::CHECKED_INT_TYPES {
        v.push(Support::Range((*t).to_string()));
    }
    v
}

impl<'a> Cx<'a> {
    pub fn new(ir: &'a Model) -> Cx<'a> {
        let mut module_names = Names::module();
        for f in ir.state.fields.iter().chain(&ir.constants.fields) {
            module_names.reserve(&f.tla);
        }
        for op in ir
            .actions
            .iter()
            .chain(&ir.invariants)
            .chain(&ir.constraints)
            .chain(&ir.step_properties)
            .chain(&ir.reachables)
            .chain(&ir.helpers)
            .chain(ir.liveness.iter().map(|l| &l.op))
        {
            module_names.reserve(&op.tla);
        }
        for mv in &ir.model_values {
            module_names.reserve(&mv.name);
        }
        let mut support_names = BTreeMap::new();
        for s in all_supports() {
            let (n, _) = module_names.claim(&faults::support_base_name(&s));
            support_names.insert(format!("{s:?}"), n);
        }
        Cx {
            ir,
            uses: RefCell::new(BTreeSet::new()),
            module_names,
            support_names,
            supports_used: RefCell::new(BTreeSet::new()),
            branching_helpers: RefCell::new(BTreeMap::new()),
            strict_params: RefCell::new(BTreeMap::new()),
            helper_may_fault: RefCell::new(BTreeMap::new()),
            helper_reads: call::helper_reads(ir),
            recursive: lamport_ir::graph::recursive_helpers(ir),
            map_domains: domains::MapDomains::new(ir),
            full_constants: BTreeSet::new(),
            touched: RefCell::new(Vec::new()),
            literal_or: std::cell::Cell::new(false),
            positional_arrays: std::cell::Cell::new(false),
        }
    }

    /// Notes that the module uses `m`.
    pub(crate) fn uses(&self, m: StdModule) {
        self.uses.borrow_mut().insert(m);
    }

    /// Says which constants hold every model value of their type (in the configuration being
    /// exported).
    pub fn set_full_constants(&mut self, names: BTreeSet<String>) {
        self.full_constants = names;
    }

    /// Notes that the module uses `m` (for what the module assembly adds itself).
    pub fn note_module(&self, m: StdModule) {
        self.uses(m);
    }

    /// Whether `n` is a name of the module (a variable, constant, definition or standard-module
    /// operator), which no bound name may take.
    pub fn is_module_name(&self, n: &str) -> bool {
        self.module_names.is_taken(n)
    }

    /// A bound name wanted as `want`, free at module level and in `scope`.
    pub fn fresh_name(&self, want: &str, scope: &Scope) -> String {
        self.fresh(want, scope)
    }

    /// The standard modules the translation used so far.
    pub fn modules(&self) -> BTreeSet<StdModule> {
        self.uses.borrow().clone()
    }

    /// The support operators the translation used so far, with their names in this module.
    pub fn supports(&self) -> Vec<(Support, String)> {
        self.supports_used
            .borrow()
            .iter()
            .map(|s| (s.clone(), self.support_name(s)))
            .collect()
    }

    pub(crate) fn support_name(&self, s: &Support) -> String {
        self.support_names
            .get(&format!("{s:?}"))
            .cloned()
            .unwrap_or_else(|| faults::support_base_name(s))
    }

    pub(crate) fn use_support(&self, s: Support) -> String {
        for m in faults::support_modules(&s) {
            self.uses(m);
        }
        let n = self.support_name(&s);
        self.supports_used.borrow_mut().insert(s);
        n
    }

    /// A module-level name for something the export adds (a universe constant), claimed so that
    /// nothing else takes it.
    pub fn claim_module_name(&mut self, want: &str) -> String {
        self.module_names.claim(want).0
    }

    /// A TLA+ name for a bound variable (or `LET` name) wanted as `want`, clashing with no
    /// module-level name and no name bound in `scope`.
    pub(crate) fn fresh(&self, want: &str, scope: &Scope) -> String {
        let base =
            if want.is_empty() || want == "_" || !want.chars().any(|c| c.is_ascii_alphabetic()) {
                "x".to_string()
            } else {
                want.to_string()
            };
        let free = |n: &str| {
            !self.module_names.is_taken(n)
                && !scope.bound.contains(n)
                && !scope.inner_binders.contains(n)
        };
        if free(&base) {
            base
        } else {
            (1..)
                .map(|i| format!("{base}_{i}"))
                .find(|c| free(c))
                .expect("some name is free")
        }
    }

    /// Binds a fresh name for `want` in `sc` and returns it.
    pub(crate) fn bind_fresh(&self, want: &str, sc: &mut Scope) -> String {
        let n = self.fresh(want, sc);
        sc.bound.insert(n.clone());
        n
    }

    fn state_field(&self, name: &str) -> Option<&lamport_ir::Field> {
        self.ir.state.fields.iter().find(|f| f.name == name)
    }

    fn const_field(&self, name: &str) -> Option<&lamport_ir::Field> {
        self.ir.constants.fields.iter().find(|f| f.name == name)
    }

    fn is_model_value(&self, ty: Option<&Type>) -> bool {
        matches!(ty, Some(Type::Named(n)) if self.ir.model_values.iter().any(|m| &m.name == n))
    }

    fn is_unit_enum(&self, name: &str) -> bool {
        matches!(self.ir.types.iter().find(|t| t.name == name).map(|d| &d.kind), Some(lamport_ir::TypeKind::Enum(vs)) if vs.iter().all(|v| v.fields.is_empty()))
    }

    // ----- operators -----

    fn base_scope(&self, op: &Operator) -> Scope {
        let _ = op;
        Scope::default()
    }

    /// A step property: its body over the states before and after (primed) the step.
    pub fn step_predicate(&self, op: &Operator) -> R<T> {
        let sc = self.base_scope(op);
        self.block_value(&op.body, &sc)
    }

    /// A temporal property's predicate: its parameters (bound over their domains) and body.
    pub fn quantified_predicate(&self, op: &Operator) -> R<(Vec<(String, T)>, T)> {
        let mut sc = self.base_scope(op);
        let doms = self.bind_domains(op, &mut sc)?;
        let body = self.block_value(&op.body, &sc)?;
        Ok((doms.into_iter().map(|(n, d, _)| (n, d)).collect(), body))
    }

    /// A predicate operator (invariant, constraint, reachability condition): its body.
    pub fn predicate(&self, op: &Operator) -> R<T> {
        let sc = self.base_scope(op);
        self.block_value(&op.body, &sc)
    }

    /// A helper: its TLA+ parameters and body (a parameter taking the state or the constants
    /// has none: the operator reads the variables and constants directly).
    pub fn helper(&self, op: &Operator) -> R<(Vec<String>, T)> {
        let mut sc = Scope::default();
        let mut params = Vec::new();
        for p in &op.params {
            if call::takes_whole(self.ir, &p.ty) {
                continue;
            }
            let n = self.bind_fresh(&p.name, &mut sc);
            sc.bind(&p.name, T::name(&n));
            params.push(n);
        }
        Ok((params, self.block_value(&op.body, &sc)?))
    }

    /// The parameter domains of an action (or init, or a temporal property), each in the scope
    /// of the parameters before it: the bound name, the domain, and whether it depends on an
    /// earlier parameter.
    pub fn domains(&self, op: &Operator) -> R<Params> {
        let mut sc = self.base_scope(op);
        self.bind_domains(op, &mut sc)
    }

    fn bind_domains(&self, op: &Operator, sc: &mut Scope) -> R<Params> {
        let mut out = Vec::new();
        let mut earlier: Vec<String> = Vec::new();
        for p in &op.params {
            let Some(d) = &p.domain else {
                return fail(op.id, format!("parameter `{}` has no domain", p.name));
            };
            let t = self.domain_set(d, sc)?;
            let depends = earlier.iter().any(|e| t.mentions(e));
            let n = self.bind_fresh(&p.name, sc);
            sc.bind(&p.name, T::name(&n));
            sc.params.push((p.name.clone(), n.clone(), d.clone()));
            earlier.push(n.clone());
            out.push((n, t, depends));
        }
        Ok(out)
    }

    /// An action: its parameters (the operator's parameter names, each with its domain and
    /// whether it depends on an earlier one) and its body (guards, primed assignments,
    /// UNCHANGED).
    pub fn action(&self, op: &Operator) -> R<(Params, T)> {
        let mut sc = self.base_scope(op);
        let params = self.bind_domains(op, &mut sc)?;
        Ok((params, self.action_body(op, sc)?))
    }

    /// Init: its parameters, as for an action, and the predicate over the variables.
    pub fn init(&self, op: &Operator) -> R<(Params, T)> {
        let mut sc = self.base_scope(op);
        let params = self.bind_domains(op, &mut sc)?;
        Ok((params, self.init_body(op, sc)?))
    }

    /// Checks that every function of the model translates: what the macro runs at compile time.
    pub fn check_model(ir: &Model) -> Vec<ExportError> {
        let cx = Cx::new(ir);
        let mut errors = Vec::new();
        let mut keep = |r: Result<(), ExportError>| {
            if let Err(e) = r {
                errors.push(e);
            }
        };
        for h in &ir.helpers {
            keep(cx.helper(h).map(|_| ()));
        }
        if !ir.init.name.is_empty() {
            keep(cx.init(&ir.init).map(|_| ()));
        }
        for a in &ir.actions {
            keep(cx.action(a).map(|_| ()));
        }
        for op in ir
            .invariants
            .iter()
            .chain(&ir.constraints)
            .chain(&ir.reachables)
        {
            keep(cx.predicate(op).map(|_| ()));
        }
        for op in &ir.step_properties {
            keep(cx.step_predicate(op).map(|_| ()));
        }
        for l in &ir.liveness {
            keep(cx.quantified_predicate(&l.op).map(|_| ()));
        }
        for f in &ir.fairness {
            if let Some(a) = ir.actions.iter().find(|a| a.name == f.action) {
                let mut per = a.clone();
                per.params = f.per.clone();
                keep(cx.domains(&per).map(|_| ()));
            }
        }
        for g in &ir.group_fairness {
            for p in &g.per {
                let binder = g
                    .members
                    .iter()
                    .find(|m| m.args.iter().any(|a| a.as_deref() == Some(p.name.as_str())));
                if let Some(a) = binder.and_then(|m| ir.actions.iter().find(|a| a.name == m.action))
                {
                    let mut per = a.clone();
                    per.params = vec![p.clone()];
                    keep(cx.domains(&per).map(|_| ()));
                }
            }
        }
        errors
    }
}
