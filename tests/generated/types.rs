//! The value types of generated models, their Rust spelling, and the declarations of the
//! model's own types (unit enums, enums with fields, structs).

/// A Rust integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Width {
    I8,
    I16,
    I32,
    I64,
    Isize,
    U8,
    U16,
    U32,
    U64,
    Usize,
}

impl Width {
    pub const ALL: [Width; 10] = [
        Width::I8,
        Width::I16,
        Width::I32,
        Width::I64,
        Width::Isize,
        Width::U8,
        Width::U16,
        Width::U32,
        Width::U64,
        Width::Usize,
    ];

    pub fn rust(self) -> &'static str {
        match self {
            Width::I8 => "i8",
            Width::I16 => "i16",
            Width::I32 => "i32",
            Width::I64 => "i64",
            Width::Isize => "isize",
            Width::U8 => "u8",
            Width::U16 => "u16",
            Width::U32 => "u32",
            Width::U64 => "u64",
            Width::Usize => "usize",
        }
    }

    /// Whether TypeOK writes this type as a range (`0 .. 255`) rather than `Int` or `Nat`.
    pub fn bounded_in_type_ok(self) -> bool {
        matches!(
            self,
            Width::I8 | Width::I16 | Width::U8 | Width::U16 | Width::U32
        )
    }

    pub fn signed(self) -> bool {
        matches!(
            self,
            Width::I8 | Width::I16 | Width::I32 | Width::I64 | Width::Isize
        )
    }

    /// A literal of this type: always suffixed, so that no expression needs its context to
    /// infer its type. A negative one is written `-3i64` (a checked negation in the model).
    pub fn lit(self, n: i64) -> String {
        let n = if self.signed() { n } else { n.abs() };
        if n < 0 {
            format!("(-{}{})", -n, self.rust())
        } else {
            format!("{n}{}", self.rust())
        }
    }
}

/// A value type of the modelling language.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ty {
    Bool,
    Int(Width),
    /// The model's model-value type (`model_values!(Node)`).
    Node,
    /// A unit-only enum, by index into [`Decls::units`].
    Unit(usize),
    /// An enum with fields, by index into [`Decls::datas`].
    Data(usize),
    /// A struct, by index into [`Decls::recs`].
    Rec(usize),
    Tup(Vec<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>, Box<Ty>),
    Seq(Box<Ty>),
    Opt(Box<Ty>),
}

pub const I64: Ty = Ty::Int(Width::I64);

/// A unit-only enum: `pub enum Phase { Idle, Busy }`.
#[derive(Clone, Debug)]
pub struct UnitDecl {
    pub name: String,
    pub variants: Vec<String>,
}

/// An enum whose variants may have named fields: `pub enum Msg { Ping { n: i64 }, Stop }`.
#[derive(Clone, Debug)]
pub struct DataDecl {
    pub name: String,
    pub variants: Vec<(String, Vec<(String, Ty)>)>,
}

/// A struct with named fields.
#[derive(Clone, Debug)]
pub struct RecDecl {
    pub name: String,
    pub fields: Vec<(String, Ty)>,
}

/// The model's own types.
#[derive(Clone, Debug, Default)]
pub struct Decls {
    /// The model-value type and the constant holding its values, if the model has one.
    pub node: Option<(String, String)>,
    pub units: Vec<UnitDecl>,
    pub datas: Vec<DataDecl>,
    pub recs: Vec<RecDecl>,
}

impl Decls {
    /// The Rust spelling of `t`.
    pub fn rust(&self, t: &Ty) -> String {
        match t {
            Ty::Bool => "bool".into(),
            Ty::Int(w) => w.rust().into(),
            Ty::Node => self.node.as_ref().expect("a model-value type").0.clone(),
            Ty::Unit(i) => self.units[*i].name.clone(),
            Ty::Data(i) => self.datas[*i].name.clone(),
            Ty::Rec(i) => self.recs[*i].name.clone(),
            Ty::Tup(ts) => format!(
                "({})",
                ts.iter()
                    .map(|t| self.rust(t))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Ty::Set(t) => format!("Set<{}>", self.rust(t)),
            Ty::Map(k, v) => format!("Map<{}, {}>", self.rust(k), self.rust(v)),
            Ty::Seq(t) => format!("Seq<{}>", self.rust(t)),
            Ty::Opt(t) => format!("Option<{}>", self.rust(t)),
        }
    }

    /// Whether values of `t` are `Copy` (read without `.clone()`).
    pub fn copy(&self, t: &Ty) -> bool {
        match t {
            Ty::Bool | Ty::Int(_) | Ty::Node | Ty::Unit(_) => true,
            Ty::Tup(ts) => ts.iter().all(|t| self.copy(t)),
            Ty::Opt(t) => self.copy(t),
            Ty::Data(_) | Ty::Rec(_) | Ty::Set(_) | Ty::Map(..) | Ty::Seq(_) => false,
        }
    }

    /// Whether a value of `t` can hold an integer or a collection, that is, can grow without
    /// bound unless the constraint bounds it.
    pub fn grows(&self, t: &Ty) -> bool {
        match t {
            Ty::Bool | Ty::Node | Ty::Unit(_) => false,
            Ty::Int(_) | Ty::Set(_) | Ty::Map(..) | Ty::Seq(_) => true,
            Ty::Tup(ts) => ts.iter().any(|t| self.grows(t)),
            Ty::Opt(t) => self.grows(t),
            Ty::Data(i) => self.datas[*i]
                .variants
                .iter()
                .any(|(_, fs)| fs.iter().any(|(_, t)| self.grows(t))),
            Ty::Rec(i) => self.recs[*i].fields.iter().any(|(_, t)| self.grows(t)),
        }
    }
}
