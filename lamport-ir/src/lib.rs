//! The one intermediate form of a lamport model.
//!
//! `#[lamport::model]` parses a Rust module once, validates it and lowers it to [`Model`]. The
//! macro then emits two things from that single value: the checkable Rust model, and this IR
//! serialized as JSON inside the generated module, which the TLA+ exporter reads back. Nothing
//! re-parses Rust source at run time, so what is checked and what is exported cannot drift apart.
//!
//! Bodies are kept close to their Rust syntax (already restricted to the supported subset by the
//! macro), but every name in them is resolved and every expression typed by [`resolve`], which the
//! macro runs before embedding the IR: the exporter reads what a name is and what type a value
//! has, and never infers either again.
//!
//! The meaning of the language lives here, once: the supported operations and their TLA+ forms
//! ([`ops`]), the rule by which `require_witnesses!` counts successors ([`witness`]), the names
//! TLA+ reserves and how clashes are renamed ([`names`]), and the call graph of helpers
//! ([`graph`]).

pub mod graph;
pub mod hygiene;
pub mod names;
pub mod naming;
pub mod network;
pub mod ops;
pub mod resolve;
pub mod tla;
pub mod value_names;
pub mod witness;

use serde::{Deserialize, Serialize};

/// A whole model: declarations in source order, plus the bodies of its functions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The Rust module name (`two_phase_commit`).
    pub name: String,
    /// The TLA+ module name (`TwoPhaseCommit`).
    pub module: String,
    /// The module's doc comment.
    pub doc: String,
    /// Whether reachable states without successors are errors (TLC's `CHECK_DEADLOCK`).
    pub check_deadlock: bool,
    pub model_values: Vec<ModelValueDecl>,
    pub types: Vec<TypeDecl>,
    /// Name of the constants struct and its fields.
    pub constants: Record,
    pub configs: Vec<ConfigDecl>,
    /// Name of the state struct and its fields (the state variables).
    pub state: Record,
    pub init: Operator,
    pub actions: Vec<Operator>,
    pub invariants: Vec<Operator>,
    pub constraints: Vec<Operator>,
    /// Properties of steps: `#[step_property]`, `[][P]_vars` in TLA+.
    #[serde(default)]
    pub step_properties: Vec<Operator>,
    /// `#[reachable]`: some reachable state satisfies each (a sanity check against vacuity).
    #[serde(default)]
    pub reachables: Vec<Operator>,
    /// Fairness conditions on actions (`fair`, `strong_fair` in `#[action(...)]`): conjuncts of
    /// the fair specification.
    #[serde(default)]
    pub fairness: Vec<Fairness>,
    /// Fairness conditions on groups of actions (`fair!(a | b)`, `fair!(Next)`).
    #[serde(default)]
    pub group_fairness: Vec<GroupFairness>,
    /// Temporal properties (`#[eventually]`, `#[always_eventually]`, `#[leads_to(..)]`), checked
    /// under the fairness conditions.
    #[serde(default)]
    pub liveness: Vec<Liveness>,
    /// Plain functions of the module: operators the other bodies may call.
    pub helpers: Vec<Operator>,
    /// The network, if the model declares one (`#[network(...)]` on a state field).
    #[serde(default)]
    pub network: Option<network::Network>,
    /// The abstract models this model refines (`#[refines(..)]` on the module).
    #[serde(default)]
    pub refinements: Vec<Refinement>,
}

/// `#[refines(path, x = y, ..)]`: this model implements the abstract model at `path` under a
/// mapping of its variables and constants; `INSTANCE` and `PROPERTY A!Spec` in TLA+.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Refinement {
    /// The abstract model's Rust path, as written (`super::voting`).
    pub path: String,
    /// The instance's TLA+ name (`V` in `V == INSTANCE Voting`).
    pub instance: String,
    /// The explicit mappings: an abstract variable or constant (Rust name) and the state
    /// variable, constant or helper of this model (Rust name) it is. An abstract name not listed
    /// is the name of this model's state variable, constant or helper of the same name.
    pub with: Vec<(String, String)>,
    /// Source line of the attribute.
    pub line: u32,
}

/// Identifies one expression or function of the model for error messages: the macro keeps the
/// source span of each, so an error found on the IR points at the offending token. `0` is a node
/// the macro synthesized (no span of its own).
pub type NodeId = u32;

/// A set of model values declared with `model_values!(Rm)`, rendered `r1, r2, ...`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelValueDecl {
    pub name: String,
    pub prefix: String,
}

/// A value type declared with `#[derive(Value)]` in the model module.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeDecl {
    pub name: String,
    pub doc: String,
    pub kind: TypeKind,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeKind {
    Struct(Vec<Field>),
    Enum(Vec<Variant>),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    /// Named fields; a unit variant has none.
    pub fields: Vec<Field>,
    /// The TLA+ string given with `#[value(rename = "..")]`; without one the tag is the
    /// variant's name in snake_case (see `value_names`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rename: Option<String>,
}

/// A struct with named fields: the constants or the state.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub name: String,
    pub doc: String,
    pub fields: Vec<Field>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// TLA+ name.
    pub tla: String,
    pub ty: Type,
    pub doc: String,
    /// Why the TLA+ name differs from the naming rule's (a clash it avoids), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed: Option<String>,
}

/// The value types a model may use.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Type {
    Bool,
    /// A Rust integer type, by name (`i64`, `u8`, ...).
    Int(String),
    /// A model-value set (`Rm`) or a `#[derive(Value)]` type declared in the model.
    Named(String),
    Set(Box<Type>),
    Map(Box<Type>, Box<Type>),
    Seq(Box<Type>),
    Option(Box<Type>),
    Tuple(Vec<Type>),
    /// Not a value type: what an iterator, a range or an array literal yields, in order (given
    /// by the resolver to `s.iter()`, `0..n`, `[a, b]` and iterator chains).
    Iter(Box<Type>),
}

impl Type {
    /// An integer literal whose Rust type the context does not fix (`1` in `x == 1` is given the
    /// type of `x`; alone it is Rust's default).
    pub fn int_literal() -> Type {
        Type::Int("{integer}".into())
    }

    pub fn is_int(&self) -> bool {
        matches!(self, Type::Int(_))
    }

    /// The element type of a set, a sequence, or an iterator.
    pub fn elem(&self) -> Option<&Type> {
        match self {
            Type::Set(e) | Type::Seq(e) | Type::Iter(e) => Some(e),
            _ => None,
        }
    }

    /// A short name for messages (`Set<Rm>`).
    pub fn display(&self) -> String {
        match self {
            Type::Bool => "bool".into(),
            Type::Int(n) if n == "{integer}" => "an integer".into(),
            Type::Int(n) => n.clone(),
            Type::Named(n) => n.clone(),
            Type::Set(e) => format!("Set<{}>", e.display()),
            Type::Map(k, v) => format!("Map<{}, {}>", k.display(), v.display()),
            Type::Seq(e) => format!("Seq<{}>", e.display()),
            Type::Option(e) => format!("Option<{}>", e.display()),
            Type::Tuple(ts) => format!(
                "({})",
                ts.iter().map(Type::display).collect::<Vec<_>>().join(", ")
            ),
            Type::Iter(e) => format!("an iterator of {}", e.display()),
        }
    }
}

/// A named configuration: a function returning the constants.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ConfigDecl {
    pub name: String,
    pub doc: String,
    pub line: usize,
    /// Constants fields (sets of model values) this configuration is symmetric in:
    /// `#[symmetry(rm)]`. TLC's `SYMMETRY` over the product of their permutation groups.
    #[serde(default)]
    pub symmetry: Vec<String>,
    /// `#[no_fairness]`: this configuration checks the temporal properties without the fairness
    /// conditions (the specification is `Init /\ [][Next]_vars`).
    #[serde(default)]
    pub no_fairness: bool,
}

/// Weak (`WF_vars`) or strong (`SF_vars`) fairness.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FairnessKind {
    Weak,
    Strong,
}

/// A fairness condition on one action.
///
/// Without `per`, one condition for the action as a whole (any parameter values):
/// `WF_vars(\E p \in D : A(p))`. With `per`, one condition for each value of those parameters,
/// drawn from the given domains (the action's own domain, or a constant subset of it):
/// `\A p \in D' : WF_vars(\E q \in Dq : A(p, q))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fairness {
    pub kind: FairnessKind,
    /// Rust name of the action.
    pub action: String,
    /// The parameters the condition is per, with their domains.
    pub per: Vec<Param>,
}

/// A fairness condition on a group of actions, or on the whole next-state relation:
/// `WF_vars(A \/ B)`, `WF_vars(Next)`, `\A p \in D : WF_vars(A(p) \/ \E q \in Dq : B(p, q))`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupFairness {
    pub kind: FairnessKind,
    /// The variables the condition is per (each bound to parameters of the members), with their
    /// domains.
    #[serde(default)]
    pub per: Vec<Param>,
    /// The actions, each with what it is given per parameter; empty with `next`.
    #[serde(default)]
    pub members: Vec<FairMember>,
    /// `WF_vars(Next)`: the whole next-state relation.
    #[serde(default)]
    pub next: bool,
}

/// One action of a group fairness condition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FairMember {
    /// Rust name of the action.
    pub action: String,
    /// Per parameter of the action: the variable of the condition it is bound to, or `None`
    /// (any value, quantified inside the condition).
    pub args: Vec<Option<String>>,
}

/// Which temporal form a liveness property has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LivenessKind {
    /// `<>P`: every behaviour eventually reaches a state satisfying P.
    Eventually,
    /// `[]<>P`: every behaviour satisfies P infinitely often.
    AlwaysEventually,
    /// `P ~> Q`: every state satisfying P is followed (now or later) by one satisfying Q.
    LeadsTo,
}

/// A temporal property: its predicate (an operator of the state, the constants and parameters
/// quantified over their domains), and for `~>` the helper that is its target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Liveness {
    pub kind: LivenessKind,
    pub op: Operator,
    /// `LeadsTo`: the Rust name of the target helper, called with the same parameters.
    pub target: Option<String>,
}

/// What role an operator plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperatorKind {
    Init,
    Action,
    Invariant,
    Constraint,
    /// A property of every step (`[][P]_vars`).
    StepProperty,
    /// A condition some reachable state must satisfy (checked by lamport).
    Reachable,
    /// The predicate of a temporal property.
    Liveness,
    Helper,
}

/// A function of the model: init, an action, an invariant, a constraint or a helper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Operator {
    pub kind: OperatorKind,
    /// Rust name.
    pub name: String,
    /// TLA+ operator name.
    pub tla: String,
    pub doc: String,
    /// 1-based line of the `fn` in the Rust source.
    pub line: usize,
    /// The function's name in the source, for errors about the function as a whole.
    #[serde(default)]
    pub id: NodeId,
    /// Why the TLA+ name differs from the naming rule's (a clash it avoids), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renamed: Option<String>,
    /// Name the body uses for the state (`s`), if it takes the state.
    pub state_param: Option<String>,
    /// Name the body uses for the constants (`c`), if it takes them.
    pub config_param: Option<String>,
    /// For a step property: the name of its second state (the state after the step).
    #[serde(default)]
    pub next_state_param: Option<String>,
    /// The remaining parameters. For actions and init each has a finite domain.
    pub params: Vec<Param>,
    /// Result type, for helpers; `None` for actions and init.
    pub ret: Option<Type>,
    pub body: Block,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub ty: Type,
    /// The finite domain the parameter is drawn from (actions and init).
    pub domain: Option<Expr>,
}

/// A block: statements, then an optional tail expression (its value).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub tail: Option<Box<Expr>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Stmt {
    /// `let pat = init;` or `let pat: T = init;` (`container`: the annotation's outer type name,
    /// e.g. `Set` for `Set<_>`, which fixes what a `collect()` builds).
    Let {
        pat: Pat,
        container: Option<String>,
        init: Expr,
    },
    /// `require!(cond);` — the action is not enabled unless `cond` holds.
    Require(Expr),
    /// `require_witnesses!(cond);` — as `require!`, but the action has one successor per way
    /// `cond` holds, as TLC counts a conjunct: each true `||` branch, each element satisfying an
    /// `any`, products over `&&` and `all`.
    RequireWitnesses(Expr),
    /// `place = value;` or `place op= value;` (`op` is `+`, `-`, `*`, ...).
    Assign {
        place: Expr,
        op: Option<BinOp>,
        value: Expr,
    },
    /// An expression evaluated for its effect (e.g. `s.msgs.insert(m)`) or a block-like expression.
    Expr(Expr),
    /// `let pat = choose!(domain);` in an action: one way through the rest of the action per
    /// element of `domain`, each a successor if it completes (TLA+ `\E x \in S :` over the rest).
    Choose { pat: Pat, domain: Expr },
    /// `either! { {..} or {..} }` in an action: one way through the rest of the action per
    /// alternative (TLA+ `\/`); `id` is the macro's node.
    Either { id: NodeId, arms: Vec<Block> },
    /// `assert!(cond, "msg");`: a model error with `msg` when `cond` is false (TLC's `Assert`).
    Assert { cond: Expr, msg: String },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Lit {
    Bool(bool),
    Int(i128),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UnOp {
    Not,
    Neg,
}

/// An expression: where it came from, its type (set by [`resolve`]), and what it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Expr {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub id: NodeId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ty: Option<Type>,
    pub kind: ExprKind,
}

fn is_zero(n: &NodeId) -> bool {
    *n == 0
}

impl Expr {
    /// An expression without a source position of its own, not yet typed.
    pub fn new(kind: ExprKind) -> Expr {
        Expr {
            id: 0,
            ty: None,
            kind,
        }
    }

    pub fn with_id(id: NodeId, kind: ExprKind) -> Expr {
        Expr { id, ty: None, kind }
    }

    pub fn bool(b: bool) -> Expr {
        Expr {
            id: 0,
            ty: Some(Type::Bool),
            kind: ExprKind::Lit(Lit::Bool(b)),
        }
    }

    /// Whether two expressions are the same, whatever their source positions and types.
    pub fn same_as(&self, other: &Expr) -> bool {
        fn strip(v: &mut serde_json::Value) {
            match v {
                serde_json::Value::Object(m) => {
                    m.remove("id");
                    m.remove("ty");
                    m.values_mut().for_each(strip);
                }
                serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                _ => {}
            }
        }
        let (mut a, mut b) = match (serde_json::to_value(self), serde_json::to_value(other)) {
            (Ok(a), Ok(b)) => (a, b),
            _ => return false,
        };
        strip(&mut a);
        strip(&mut b);
        a == b
    }

    /// This expression without the `&`, `*`, `.clone()` and single-expression blocks around
    /// it, which carry no meaning in TLA+.
    pub fn peeled(&self) -> &Expr {
        match &self.kind {
            ExprKind::Ref(inner) | ExprKind::Deref(inner) => inner.peeled(),
            ExprKind::MethodCall {
                receiver,
                method,
                args,
                ..
            } if method == "clone" && args.is_empty() => receiver.peeled(),
            ExprKind::Block(b) if b.stmts.is_empty() => match &b.tail {
                Some(t) => t.peeled(),
                None => self,
            },
            _ => self,
        }
    }
}

/// What an expression is. Lowering produces the syntactic forms (`Path`, `Call`, `Struct`);
/// [`resolve`] replaces each by what it names (`Local`, `Var`, `Const`, `Variant`, `Helper`,
/// `Construct`, `Record`, ...), so that the consumers of a resolved IR never see them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ExprKind {
    Lit(Lit),
    /// A path as written: a local, a parameter, an enum variant (`RmState::Working`), `None`.
    Path(Vec<String>),
    /// A name bound in the body: a parameter, a `let`, a closure parameter, a pattern binding.
    Local(String),
    /// A state variable (its Rust field name) read through the state parameter: `s.f`; `next`
    /// for the state after a step (a step property's second state).
    Var {
        field: String,
        next: bool,
    },
    /// A constants field (its Rust name): `c.f`.
    Const(String),
    /// The whole state (`s`, or the state after a step), as the argument of a helper taking it.
    State {
        next: bool,
    },
    /// The whole constants struct, as the argument of a helper taking it.
    Config,
    /// A unit variant of an enum of the model: `RmState::Working`, `Msg::Commit`.
    Variant {
        ty: String,
        variant: String,
    },
    /// `None`.
    NoneValue,
    Field(Box<Expr>, String),
    /// `t.0`
    TupleField(Box<Expr>, u32),
    Index(Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `&e` and `*e` carry no meaning in TLA+ (removed by resolution).
    Ref(Box<Expr>),
    Deref(Box<Expr>),
    If {
        cond: Box<Expr>,
        then: Block,
        els: Option<Box<Expr>>,
    },
    /// `if let pat = scrutinee { .. } else { .. }` condition part.
    LetCond {
        pat: Pat,
        scrutinee: Box<Expr>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
    },
    Block(Block),
    /// A method of a value type or an iterator; its meaning is the entry of [`ops`] for the
    /// receiver's type and this name.
    MethodCall {
        receiver: Box<Expr>,
        method: String,
        /// The outer type name of a turbofish: `Set` for `collect::<Set<_>>()`.
        turbofish: Option<String>,
        args: Vec<Expr>,
    },
    /// A call as written: a helper, `Some`, or a value type's constructor.
    Call {
        func: Vec<String>,
        args: Vec<Expr>,
    },
    /// A call of a helper function of the model (its Rust name).
    Helper {
        name: String,
        args: Vec<Expr>,
    },
    /// `Some(e)`.
    Some(Box<Expr>),
    /// An associated function of `Set`, `Map` or `Seq` (`Set::new()`, `Seq::from([..])`): an
    /// entry of [`ops::CONSTRUCTORS`].
    Construct {
        container: String,
        func: String,
        args: Vec<Expr>,
    },
    /// Only as the argument of an iterator method.
    Closure {
        params: Vec<Pat>,
        body: Box<Expr>,
    },
    /// A struct literal as written.
    Struct {
        path: Vec<String>,
        fields: Vec<(String, Expr)>,
        rest: Option<Box<Expr>>,
    },
    /// A value of a `#[derive(Value)]` struct (`variant: None`) or of an enum variant with
    /// fields, every field given (Rust field names).
    Record {
        ty: String,
        variant: Option<String>,
        fields: Vec<(String, Expr)>,
    },
    Tuple(Vec<Expr>),
    Range {
        from: Box<Expr>,
        to: Box<Expr>,
        inclusive: bool,
    },
    /// `[a, b, c]`: a domain, or the argument of `Set::from` and friends.
    Array(Vec<Expr>),
    /// `e as T` between integer types (`ty` names the target): the identity on TLA+'s
    /// unbounded integers; in Rust a value that does not fit is a model error.
    Cast {
        expr: Box<Expr>,
        ty: String,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    pub pat: Pat,
    pub guard: Option<Expr>,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Pat {
    Wild,
    Ident(String),
    Lit(Lit),
    Tuple(Vec<Pat>),
    /// A unit variant or constant: `RmState::Working`, `None`.
    Path(Vec<String>),
    /// `Msg::Prepared { rm, .. }`
    Struct {
        path: Vec<String>,
        fields: Vec<(String, Pat)>,
        rest: bool,
    },
    /// `Some(x)`, `Msg::Vote(a, b)`
    TupleStruct {
        path: Vec<String>,
        elems: Vec<Pat>,
    },
    Or(Vec<Pat>),
    /// `&pat`
    Ref(Box<Pat>),
}

impl Model {
    /// Reads the IR that `#[lamport::model]` embedded in a generated module.
    pub fn from_json(json: &str) -> Result<Model, serde_json::Error> {
        serde_json::from_str(json)
    }

    /// The JSON form embedded in generated code.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("the IR always serializes")
    }
}
