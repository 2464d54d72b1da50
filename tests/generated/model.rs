//! One whole generated model: its types, constants, state, helpers, init, actions, invariants
//! and constraint, drawn at random and written out as a `#[lamport::model]` module.
//!
//! Names are drawn from pools that include, on purpose, TLA+ reserved words, operators of the
//! standard modules, names the export defines itself, and the names of other items in scope
//! (an init parameter named like a state variable, a local named like a helper, ...). Where such
//! a collision is a known gap (see `gaps.rs`), it is not drawn while the gap is listed.

use std::collections::BTreeSet;

use super::draw::Draw;
use super::gaps::{Gap, Gaps};
use super::scope::{Access, Scope};
use super::types::{DataDecl, Decls, RecDecl, Ty, UnitDecl, Width, I64};

/// A generated model: its index in the batch, module name, and Rust source.
pub struct Generated {
    pub index: u64,
    /// The Rust module name (`g17`); the TLA+ module is its PascalCase (`G17`).
    pub module: String,
    /// The configuration function (`Config::small()`).
    pub config: String,
    pub source: String,
    /// The constructs it uses, for the batch's coverage summary.
    pub features: BTreeSet<&'static str>,
}

/// A helper's signature, for calls.
#[derive(Clone, Debug)]
pub struct Helper {
    pub name: String,
    /// Parameters after `s` (if it reads the state) and `c`.
    pub params: Vec<(String, Ty)>,
    pub ret: Ty,
    pub reads_state: bool,
}

/// The generator of one model.
pub struct Gen<'a> {
    pub d: Draw,
    pub gaps: &'a Gaps,
    pub decls: Decls,
    /// Constants: name, type, Rust value in the configuration.
    pub consts: Vec<(String, Ty, String)>,
    pub fields: Vec<(String, Ty)>,
    pub helpers: Vec<Helper>,
    pub features: BTreeSet<&'static str>,
    /// Every function name of the module (one Rust namespace).
    pub fn_names: BTreeSet<String>,
    /// Integers of the state stay within `-bound..=bound` (the constraint says so).
    pub bound: i64,
    /// Collections of the state have at most this many elements (the constraint says so).
    pub max_len: i64,
    /// The action being generated has changed the state.
    pub mutated: bool,
    /// The names of the model's helpers, drawn before their bodies.
    pub helper_names: Vec<String>,
    /// The state variables the action being generated has changed so far.
    pub changed: BTreeSet<String>,
    /// ... and those whose new value holds a binder of the export.
    pub tainted: BTreeSet<String>,
    /// The action being generated has a statement that may fail.
    pub risky: bool,
}

/// Names the generator never draws: the state and constants parameters, and names the macro
/// defines in the module.
const RESERVED: &[&str] = &["s", "c", "model", "definition", "ir", "next_state"];

/// Helper names (besides the clashing ones).
const HELPER_NAMES: &[&str] = &[
    "total",
    "size",
    "score",
    "weight",
    "depth",
    "fits",
    "bump",
    "pick_one",
    "votes",
    "has_votes",
    "count_of",
    "level",
];

/// Operators of the standard modules and names the export defines, as Rust function names whose
/// PascalCase is that name.
const CLASHING_FNS: &[&str] = &[
    "tail",
    "head",
    "len",
    "append",
    "cardinality",
    "seq",
    "sub_seq",
    "select_seq",
    "is_finite_set",
    "print",
    "assert",
    "permutations",
    "any",
    "nat",
    "int",
    "to_string",
    "sort_seq",
    "next",
    "init",
    "spec",
    "fairness",
    "fair_spec",
    "symmetry",
];

/// TLA+ names set with `name = "..."` that clash with the export's own definitions, the
/// standard modules, or TLA+'s reserved words.
const CLASHING_TLA_NAMES: &[&str] = &[
    "Next",
    "Init",
    "Spec",
    "TypeOK",
    "vars",
    "Fairness",
    "Tail",
    "Len",
    "Seq",
    "Nat",
    "Cardinality",
    "SelectSeq",
    "Print",
    "CHOOSE",
    "DOMAIN",
    "ENABLED",
    "EXCEPT",
    "SUBSET",
    "UNION",
    "UNCHANGED",
    "OTHER",
    "BOOLEAN",
    "TRUE",
];

impl<'a> Gen<'a> {
    pub fn new(seed: u64, index: u64, gaps: &'a Gaps) -> Gen<'a> {
        Gen {
            d: Draw::new(seed, index),
            gaps,
            decls: Decls::default(),
            consts: Vec::new(),
            fields: Vec::new(),
            helpers: Vec::new(),
            features: BTreeSet::new(),
            fn_names: BTreeSet::new(),
            bound: 2,
            max_len: 2,
            mutated: false,
            helper_names: Vec::new(),
            changed: BTreeSet::new(),
            tainted: BTreeSet::new(),
            risky: false,
        }
    }

    pub fn feature(&mut self, f: &'static str) {
        self.features.insert(f);
    }

    /// Whether a construct of `gap` may be drawn now (drawn with probability `p` when allowed).
    pub fn allow(&mut self, gap: Gap, p: f64) -> bool {
        !self.gaps.avoid(gap) && self.d.chance(p)
    }

    /// A name from `pool` not in `taken` (numbered if the pool is exhausted).
    pub fn fresh(&mut self, pool: &[&str], taken: &BTreeSet<String>) -> String {
        let free: Vec<&str> = pool
            .iter()
            .copied()
            .filter(|n| !taken.contains(*n) && !RESERVED.contains(n))
            .collect();
        if free.is_empty() {
            let base = self.d.pick(pool).to_string();
            (2..)
                .map(|i| format!("{base}{i}"))
                .find(|n| !taken.contains(n))
                .unwrap()
        } else {
            self.d.pick(&free).to_string()
        }
    }

    /// A new function name: from `pool`, or (when allowed) one that clashes in TLA+.
    pub fn fn_name(&mut self, pool: &[&str]) -> String {
        let taken = self.fn_names.clone();
        let name = if self.allow(Gap::NameClash, 0.2) {
            self.feature("name clashing with a TLA+ or standard-module name");
            self.fresh(CLASHING_FNS, &taken)
        } else {
            self.fresh(pool, &taken)
        };
        self.fn_names.insert(name.clone());
        name
    }

    /// An optional `name = "..."` argument of an operator attribute: a TLA+ name that clashes
    /// with the export's own or a standard module's, but with no other name of the model (the
    /// macro refuses two operators of one name, rightly).
    pub fn tla_name_arg(&mut self) -> Option<String> {
        if !self.allow(Gap::NameClash, 0.1) {
            return None;
        }
        let taken: BTreeSet<String> = self
            .fn_names
            .iter()
            .map(|f| pascal(f))
            .chain(self.fields.iter().map(|(f, _)| f.clone()))
            .collect();
        let free: Vec<&str> = CLASHING_TLA_NAMES
            .iter()
            .copied()
            .filter(|n| !taken.contains(*n))
            .collect();
        if free.is_empty() {
            return None;
        }
        let name = self.d.pick(&free).to_string();
        // No later function may take this name either.
        self.fn_names.insert(snake(&name));
        self.fn_names.insert(name.clone());
        self.feature("name = \"...\" clashing with a TLA+ name");
        Some(format!("name = \"{name}\""))
    }

    fn state_names(&self) -> BTreeSet<String> {
        self.fields.iter().map(|(n, _)| n.clone()).collect()
    }

    fn const_names(&self) -> BTreeSet<String> {
        self.consts.iter().map(|(n, _, _)| n.clone()).collect()
    }

    /// A name for a parameter, local or closure variable: from `pool`, or (with probability
    /// `p_var`, unless the gap is known) the name of a state variable or constant, or (with
    /// `p_fn`) the name of a helper of the model.
    pub fn bound_name(
        &mut self,
        pool: &[&str],
        sc: &Scope,
        var_gap: Gap,
        p_var: f64,
        p_fn: f64,
    ) -> String {
        let in_scope: BTreeSet<String> = sc
            .binds
            .iter()
            .filter(|b| matches!(b.access, Access::Owned | Access::Ref))
            .map(|b| b.name.clone())
            .collect();
        let mut others: Vec<String> = self
            .state_names()
            .into_iter()
            .chain(self.const_names())
            .filter(|n| !in_scope.contains(n))
            .collect();
        others.sort();
        if !others.is_empty() && self.allow(var_gap, p_var) {
            self.feature("bound name equal to a state variable or constant");
            return self.d.pick(&others).clone();
        }
        // Any helper's name, a later one's too: a helper whose local is named like the helper
        // that calls it is the case that ordering definitions by text search gets wrong.
        let helpers: Vec<String> = self
            .helper_names
            .iter()
            .filter(|n| !in_scope.contains(*n))
            .cloned()
            .collect();
        if !helpers.is_empty() && self.allow(Gap::LocalNamedLikeHelper, p_fn) {
            self.feature("bound name equal to a helper");
            return self.d.pick(&helpers).clone();
        }
        let mut taken = in_scope;
        taken.extend(self.fn_names.iter().cloned());
        taken.extend(self.state_names());
        taken.extend(self.const_names());
        self.fresh(pool, &taken)
    }

    // -----------------------------------------------------------------------------------------
    // Types

    pub fn int_width(&mut self) -> Width {
        let u32_ok = !self.gaps.avoid(Gap::U32TooBigForTlc);
        let w = [8, 1, 1, 1, 1, 1, 1, if u32_ok { 1 } else { 0 }, 1, 1];
        match self.d.weighted(&w) {
            0 => Width::I64,
            i => Width::ALL[[0, 1, 2, 4, 5, 6, 7, 8, 9][i - 1]],
        }
    }

    /// A type without collections.
    pub fn scalar_ty(&mut self) -> Ty {
        let w = [
            3,
            5,
            if self.decls.node.is_some() { 3 } else { 0 },
            if self.decls.units.is_empty() { 0 } else { 2 },
            if self.decls.datas.is_empty() { 0 } else { 1 },
            if self.decls.recs.is_empty() { 0 } else { 1 },
        ];
        match self.d.weighted(&w) {
            0 => Ty::Bool,
            1 => Ty::Int(self.int_width()),
            2 => Ty::Node,
            3 => Ty::Unit(self.d.below(self.decls.units.len())),
            4 => Ty::Data(self.d.below(self.decls.datas.len())),
            _ => Ty::Rec(self.d.below(self.decls.recs.len())),
        }
    }

    /// A type whose values are few: map keys.
    pub fn key_ty(&mut self) -> Ty {
        let w = [
            1,
            3,
            if self.decls.node.is_some() { 5 } else { 0 },
            if self.decls.units.is_empty() { 0 } else { 2 },
        ];
        match self.d.weighted(&w) {
            0 => Ty::Bool,
            1 => Ty::Int(if self.d.chance(0.8) {
                Width::I64
            } else {
                self.int_width()
            }),
            2 => Ty::Node,
            _ => Ty::Unit(self.d.below(self.decls.units.len())),
        }
    }

    /// A value type nested at most `depth` collections deep.
    pub fn ty(&mut self, depth: u32) -> Ty {
        if depth == 0 {
            return self.scalar_ty();
        }
        match self.d.weighted(&[5, 3, 3, 2, 1, 1]) {
            0 => self.scalar_ty(),
            1 => Ty::Set(Box::new(self.ty(depth - 1))),
            2 => Ty::Map(Box::new(self.key_ty()), Box::new(self.ty(depth - 1))),
            3 => Ty::Seq(Box::new(self.ty(depth - 1))),
            4 => Ty::Opt(Box::new(self.ty(depth - 1))),
            _ => {
                let mut parts = vec![self.scalar_ty(), self.scalar_ty()];
                if self.gaps.avoid(Gap::TypeOkTupleParentheses) {
                    // Components whose TypeOK set is a range or a union.
                    for p in &mut parts {
                        match p {
                            Ty::Int(w) if w.bounded_in_type_ok() => *p = I64,
                            Ty::Data(_) => *p = Ty::Bool,
                            _ => {}
                        }
                    }
                }
                Ty::Tup(parts)
            }
        }
    }

    // -----------------------------------------------------------------------------------------
    // Declarations

    fn draw_decls(&mut self) {
        if self.d.chance(0.7) {
            let ty = self.d.pick(&["Node", "Proc", "Server"]).to_string();
            let constant = if self.allow(Gap::NameClash, 0.15) {
                self.feature("constant named like its model-value type");
                ty.to_lowercase()
            } else {
                format!("{}s", ty.to_lowercase())
            };
            self.decls.node = Some((ty, constant));
        }
        if self.d.chance(0.6) {
            let (name, pool) = *self.d.pick(&[
                ("Phase", &["Idle", "Busy", "Done", "Init", "Next"][..]),
                (
                    "Mode",
                    &["Off", "On", "Working", "Committed", "Aborted"][..],
                ),
                ("Color", &["Red", "Green", "Blue", "Type", "Domain"][..]),
            ]);
            let n = 2 + self.d.below(2);
            let variants = self.d.shuffled(pool)[..n]
                .iter()
                .map(|v| v.to_string())
                .collect();
            self.decls.units.push(UnitDecl {
                name: name.into(),
                variants,
            });
        }
        if self.d.chance(0.5) {
            let name = self.d.pick(&["Msg", "Event", "Cmd"]).to_string();
            let names = self.d.shuffled(&["Ping", "Ack", "Stop", "Put", "Get"]);
            let mut variants = Vec::new();
            for (i, v) in names.iter().take(2 + self.d.below(2)).enumerate() {
                let nfields = if i == 0 {
                    1 + self.d.below(2)
                } else {
                    self.d.below(2)
                };
                let fnames = self.d.shuffled(&["n", "to", "val", "flag", "k", "x"]);
                let fields = fnames[..nfields]
                    .iter()
                    .map(|f| (f.to_string(), self.field_ty()))
                    .collect();
                variants.push((v.to_string(), fields));
            }
            self.decls.datas.push(DataDecl { name, variants });
        }
        if self.d.chance(0.5) {
            let name = self.d.pick(&["Pt", "Entry", "Slot"]).to_string();
            let fnames = self.d.shuffled(&["a", "b", "flag", "val", "k", "owner"]);
            let n = 1 + self.d.below(2);
            let fields = fnames[..n]
                .iter()
                .map(|f| (f.to_string(), self.field_ty()))
                .collect();
            self.decls.recs.push(RecDecl { name, fields });
        }
    }

    /// The type of a field of an enum variant or struct: a scalar other than those types.
    fn field_ty(&mut self) -> Ty {
        let w = [
            2,
            4,
            if self.decls.node.is_some() { 2 } else { 0 },
            if self.decls.units.is_empty() { 0 } else { 1 },
        ];
        match self.d.weighted(&w) {
            0 => Ty::Bool,
            1 => Ty::Int(self.int_width()),
            2 => Ty::Node,
            _ => Ty::Unit(0),
        }
    }

    fn draw_consts(&mut self) {
        if let Some((ty, name)) = self.decls.node.clone() {
            let n = if self.d.chance(0.8) { 2 } else { 3 };
            self.consts.push((
                name,
                Ty::Set(Box::new(Ty::Node)),
                format!("{ty}::values({n})"),
            ));
        }
        let clash = |g: &mut Gen, normal: &'static str| -> String {
            if g.allow(Gap::NameClash, 0.15) {
                g.feature("constant named like a standard-module operator");
                let taken = g.const_names();
                g.fresh(&["seq", "int", "nat", "len", "append"], &taken)
            } else {
                normal.to_string()
            }
        };
        if self.d.chance(0.6) {
            let name = clash(self, "limit");
            let v = self.d.int(1, 2);
            self.consts.push((name, I64, format!("{v}i64")));
        }
        if self.d.chance(0.4) {
            let name = clash(self, "vals");
            let mut vs: Vec<i64> = (0..3).filter(|_| self.d.chance(0.6)).collect();
            if vs.is_empty() {
                vs.push(1);
            }
            let items: Vec<String> = vs.iter().map(|v| format!("{v}i64")).collect();
            self.consts.push((
                name,
                Ty::Set(Box::new(I64)),
                format!("Set::from([{}])", items.join(", ")),
            ));
        }
        if self.d.chance(0.3) {
            let name = clash(self, "enabled");
            let v = self.d.chance(0.5);
            self.consts.push((name, Ty::Bool, v.to_string()));
        }
    }

    fn draw_fields(&mut self) {
        let n = 2 + self.d.below(4);
        for _ in 0..n {
            let ty = self.ty(2);
            let mut taken = self.state_names();
            taken.extend(self.const_names());
            let mut pool = vec![
                "y", "n", "m", "q", "flag", "count", "msgs", "log", "seen", "votes", "round",
                "mode", "pt", "acc", "pending", "val", "i", "v",
            ];
            if self.allow(Gap::TypeOkCapture, 0.3) {
                pool = vec!["k", "x", "k2", "x2"];
                self.feature("state variable named like TypeOK's bound variables");
            } else if !self.gaps.avoid(Gap::TypeOkCapture) {
                pool.extend(["k", "x"]);
            }
            if self.allow(Gap::NameClash, 0.05) {
                pool = vec!["vars"];
                self.feature("state variable named vars");
            }
            let name = self.fresh(&pool, &taken);
            self.fields.push((name, ty));
        }
    }

    // -----------------------------------------------------------------------------------------
    // The model

    /// The scope of a function reading the state (`s`) or not, with the constants.
    pub fn base_scope(&self, state: bool) -> Scope {
        let mut sc = Scope::new(state);
        for (n, t, _) in &self.consts {
            sc.add(n, t.clone(), Access::Const);
        }
        if state {
            for (n, t) in &self.fields {
                sc.add(n, t.clone(), Access::State);
            }
        }
        sc.callable = (0..self.helpers.len()).collect();
        sc
    }

    /// Generates model `index` of `seed`.
    pub fn generate(seed: u64, index: u64, gaps: &Gaps) -> Generated {
        let mut g = Gen::new(seed, index, gaps);
        g.bound = 3;
        g.max_len = 3;
        g.draw_decls();
        g.draw_consts();
        g.draw_fields();
        let mut items: Vec<String> = Vec::new();
        let helpers = g.d.below(4);
        g.helper_names = (0..helpers).map(|_| g.fn_name(HELPER_NAMES)).collect();
        for i in 0..helpers {
            let name = g.helper_names[i].clone();
            items.push(g.helper(name));
        }
        // Helpers in a random order: the export must order definitions by their calls.
        let items = g.d.shuffled(&items);
        let init = g.init();
        let mut actions = Vec::new();
        for _ in 0..2 + g.d.below(4) {
            actions.push(g.action());
        }
        let mut invariants = Vec::new();
        for _ in 0..g.d.below(4) {
            invariants.push(g.invariant());
        }
        let constraint = g.constraint();
        let check_deadlock = g.d.chance(0.5);
        let module = format!("g{index}");
        let source = g.render(
            &module,
            check_deadlock,
            &items,
            &init,
            &actions,
            &invariants,
            &constraint,
        );
        Generated {
            index,
            module,
            config: "small".into(),
            source,
            features: g.features,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn render(
        &self,
        module: &str,
        check_deadlock: bool,
        helpers: &[String],
        init: &str,
        actions: &[String],
        invariants: &[String],
        constraint: &str,
    ) -> String {
        let mut out = String::new();
        out.push_str(if check_deadlock {
            "#[lamport::model]\n"
        } else {
            "#[lamport::model(check_deadlock = false)]\n"
        });
        out.push_str(&format!(
            "pub mod {module} {{\n    use lamport::prelude::*;\n\n"
        ));
        if let Some((ty, _)) = &self.decls.node {
            out.push_str(&format!("    model_values!({ty});\n\n"));
        }
        out.push_str("    #[constants]\n    pub struct Config {\n");
        for (n, t, _) in &self.consts {
            out.push_str(&format!("        pub {n}: {},\n", self.decls.rust(t)));
        }
        out.push_str("    }\n\n    #[configs]\n    impl Config {\n        pub fn small() -> Self {\n            Config {\n");
        for (n, _, v) in &self.consts {
            out.push_str(&format!("                {n}: {v},\n"));
        }
        out.push_str("            }\n        }\n    }\n\n");
        for u in &self.decls.units {
            out.push_str(&format!(
                "    #[derive(Value)]\n    pub enum {} {{\n        {},\n    }}\n\n",
                u.name,
                u.variants.join(",\n        ")
            ));
        }
        for dd in &self.decls.datas {
            let vs: Vec<String> = dd
                .variants
                .iter()
                .map(|(v, fs)| {
                    if fs.is_empty() {
                        v.clone()
                    } else {
                        let fs: Vec<String> = fs
                            .iter()
                            .map(|(f, t)| format!("{f}: {}", self.decls.rust(t)))
                            .collect();
                        format!("{v} {{ {} }}", fs.join(", "))
                    }
                })
                .collect();
            out.push_str(&format!(
                "    #[derive(Value)]\n    pub enum {} {{\n        {},\n    }}\n\n",
                dd.name,
                vs.join(",\n        ")
            ));
        }
        for r in &self.decls.recs {
            let fs: Vec<String> = r
                .fields
                .iter()
                .map(|(f, t)| format!("        pub {f}: {},\n", self.decls.rust(t)))
                .collect();
            out.push_str(&format!(
                "    #[derive(Value)]\n    pub struct {} {{\n{}    }}\n\n",
                r.name,
                fs.concat()
            ));
        }
        out.push_str("    #[state]\n    pub struct State {\n");
        for (n, t) in &self.fields {
            out.push_str(&format!("        pub {n}: {},\n", self.decls.rust(t)));
        }
        out.push_str("    }\n\n");
        for item in helpers
            .iter()
            .map(String::as_str)
            .chain([init])
            .chain(actions.iter().map(String::as_str))
            .chain(invariants.iter().map(String::as_str))
            .chain([constraint])
        {
            out.push_str(item);
            out.push('\n');
        }
        out.push_str("}\n");
        out
    }
}

/// `type_ok` → `TypeOk`: how the export names an operator without `name = "..."`.
fn pascal(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// `TypeOK` → `type_ok`: the Rust function whose TLA+ name would be this one.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_uppercase() {
            let prev_upper = i > 0 && name.chars().nth(i - 1).is_some_and(char::is_uppercase);
            if i > 0 && !prev_upper {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}
