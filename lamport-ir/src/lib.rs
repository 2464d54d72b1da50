//! The one intermediate form of a lamport model.
//!
//! `#[lamport::model]` parses a Rust module once, validates it and lowers it to [`Model`]. The
//! macro then emits two things from that single value: the checkable Rust model, and this IR
//! serialized as JSON inside the generated module, which the TLA+ exporter reads back. Nothing
//! re-parses Rust source at run time, so what is checked and what is exported cannot drift apart.
//!
//! Bodies are kept close to their Rust syntax (already restricted to the supported subset by the
//! macro); the exporter gives them their TLA+ meaning with the declared types in hand.

pub mod naming;
pub mod network;

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
    /// Temporal properties (`#[eventually]`, `#[always_eventually]`, `#[leads_to(..)]`), checked
    /// under the fairness conditions.
    #[serde(default)]
    pub liveness: Vec<Liveness>,
    /// Plain functions of the module: operators the other bodies may call.
    pub helpers: Vec<Operator>,
    /// The network, if the model declares one (`#[network(...)]` on a state field).
    #[serde(default)]
    pub network: Option<network::Network>,
}

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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Lit(Lit),
    /// A path: a local, a parameter, a constant, an enum variant (`RmState::Working`), `None`.
    Path(Vec<String>),
    Field(Box<Expr>, String),
    /// `t.0`
    TupleField(Box<Expr>, u32),
    Index(Box<Expr>, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `&e` and `*e` carry no meaning in TLA+; kept so the exporter sees the source shape.
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
    MethodCall {
        receiver: Box<Expr>,
        method: String,
        /// The outer type name of a turbofish: `Set` for `collect::<Set<_>>()`.
        turbofish: Option<String>,
        args: Vec<Expr>,
    },
    /// A call of a helper operator, an enum tuple variant, `Some`, or a value-type constructor.
    Call {
        func: Vec<String>,
        args: Vec<Expr>,
    },
    /// Only as the argument of an iterator method.
    Closure {
        params: Vec<Pat>,
        body: Box<Expr>,
    },
    Struct {
        path: Vec<String>,
        fields: Vec<(String, Expr)>,
        rest: Option<Box<Expr>>,
    },
    Tuple(Vec<Expr>),
    Range {
        from: Box<Expr>,
        to: Box<Expr>,
        inclusive: bool,
    },
    /// `[a, b, c]`, as an argument of `Set::from` and friends.
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
