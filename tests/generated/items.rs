//! The functions of a generated model: helpers (of values, of the state, recursive), init (with
//! parameters), actions (with parameters), invariants, and the constraint that keeps the state
//! space finite.

use super::gaps::Gap;
use super::model::{Gen, Helper};
use super::scope::Access;
use super::types::{Ty, Width, I64};

const HELPER_PARAMS: &[&str] = &["a", "b", "xs", "n2", "q2", "arg"];
const ACTIONS: &[&str] = &[
    "step", "send", "recv", "grow", "shrink", "flip", "advance", "reset", "tick", "move_to",
    "drop_one", "take",
];
const ACTION_PARAMS: &[&str] = &["p", "r", "d", "j", "a", "who", "val2"];
const INIT_PARAMS: &[&str] = &["p0", "v0", "w0", "start"];
const INVARIANTS: &[&str] = &[
    "safe",
    "inv",
    "consistent",
    "no_dup",
    "sane",
    "holds",
    "agreement",
];
const CONSTRAINTS: &[&str] = &["bounded", "limit_states", "finite"];

/// Whether Rust text reads the state (`s.` not inside a longer name).
fn reads_state(text: &str) -> bool {
    text.match_indices("s.").any(|(i, _)| {
        i == 0 || {
            let c = text.as_bytes()[i - 1] as char;
            !(c.is_alphanumeric() || c == '_')
        }
    })
}

impl Gen<'_> {
    fn doc(&mut self) -> String {
        if self.d.chance(0.2) {
            let text = *self.d.pick(&[
                "Generated: `x` (* not a comment *) and \\* not one either.",
                "==== a line of equals signs ====",
                "A doc comment with a backslash \\ and quotes \"\".",
            ]);
            self.feature("doc comment with TLA+ comment markers");
            format!("    /// {text}\n")
        } else {
            String::new()
        }
    }

    /// A helper: of values, of the state, or recursive.
    pub fn helper(&mut self, name: String) -> String {
        let recursive = self.allow(Gap::RecursiveHelper, 0.25);
        if recursive {
            return self.recursive_helper(name);
        }
        let reads_state = self.d.chance(0.4);
        let ret = if self.d.chance(0.6) {
            self.scalar_ty()
        } else {
            self.ty(1)
        };
        let mut sc = self.base_scope(reads_state);
        sc.shadowed.insert(name.clone());
        let mut params = Vec::new();
        for _ in 0..self.d.below(3) {
            let t = if self.d.chance(0.6) {
                self.scalar_ty()
            } else {
                self.ty(1)
            };
            // A parameter may be named like a state variable: it is bound in the operator.
            let p = self.bound_name(HELPER_PARAMS, &sc, Gap::ClosureNamedLikeVariable, 0.25, 0.0);
            sc.add(&p, t.clone(), Access::Owned);
            params.push((p, t));
        }
        let mut body = String::new();
        if self.d.chance(0.3) {
            let t = self.scalar_ty();
            let e = self.expr(&sc, &t, 2, false);
            // TLA+'s LET is lazy: an unused local that fails would fail in Rust only.
            let lazy_gap = self.gaps.avoid(Gap::FaultBeforeGuard) && super::stmt::may_fail(&e);
            let v = self.bound_name(
                &["v", "tmp", "acc"],
                &sc,
                Gap::LocalNamedLikeHelper,
                0.0,
                0.3,
            );
            if !lazy_gap {
                body.push_str(&format!("        let {v} = {e};\n"));
                sc.add_local(&v, t);
            }
        }
        let e = self.expr(&sc, &ret, 3, true);
        body.push_str(&format!("        {e}\n"));
        let mut sig = Vec::new();
        if reads_state {
            sig.push("s: &State".to_string());
        }
        sig.push("c: &Config".to_string());
        for (p, t) in &params {
            sig.push(format!("{p}: {}", self.decls.rust(t)));
        }
        self.helpers.push(Helper {
            name: name.clone(),
            params,
            ret: ret.clone(),
            reads_state,
        });
        self.feature(if reads_state {
            "helper of the state"
        } else {
            "helper of values"
        });
        format!(
            "{}    fn {name}({}) -> {} {{\n{body}    }}\n",
            self.doc(),
            sig.join(", "),
            self.decls.rust(&ret)
        )
    }

    /// `fn f(c, n: i64, a: T) -> R { if n <= 0 { base } else { .. f(c, n - 1, a) .. } }`.
    fn recursive_helper(&mut self, name: String) -> String {
        let ret = match self.d.below(3) {
            0 => I64,
            1 => Ty::Bool,
            _ => Ty::Set(Box::new(I64)),
        };
        let mut sc = self.base_scope(false);
        sc.shadowed.insert(name.clone());
        sc.add("n", I64, Access::Owned);
        let t = self.scalar_ty();
        let a = self.bound_name(HELPER_PARAMS, &sc, Gap::ClosureNamedLikeVariable, 0.2, 0.0);
        sc.add(&a, t.clone(), Access::Owned);
        let base = self.expr(&sc, &ret, 2, true);
        let e = self.expr(&sc, &ret, 2, false);
        let arg = if self.decls.copy(&t) {
            a.clone()
        } else {
            format!("{a}.clone()")
        };
        let rec = format!("{name}(c, (n - 1i64), {arg})");
        let step = match &ret {
            Ty::Bool => format!("({e} || {rec})"),
            Ty::Set(_) => format!("({e}).union(&{rec})"),
            _ => format!("({e} + {rec})"),
        };
        self.helpers.push(Helper {
            name: name.clone(),
            params: vec![("n".into(), I64), (a.clone(), t.clone())],
            ret: ret.clone(),
            reads_state: false,
        });
        self.feature("recursive helper");
        format!(
            "{}    fn {name}(c: &Config, n: i64, {a}: {}) -> {} {{\n        if n <= 0i64 {{\n            {base}\n        }} else {{\n            {step}\n        }}\n    }}\n",
            self.doc(),
            self.decls.rust(&t),
            self.decls.rust(&ret)
        )
    }

    /// The init function, with parameters drawn from finite domains.
    pub fn init(&mut self) -> String {
        let name = {
            let taken = self.fn_names.clone();
            self.fresh(&["init", "initial", "start_state"], &taken)
        };
        self.fn_names.insert(name.clone());
        let mut sc = self.base_scope(false);
        let mut attr = Vec::new();
        let mut params = Vec::new();
        let mut param_binds: Vec<(String, Ty)> = Vec::new();
        for _ in 0..self.d.weighted(&[4, 3, 1]) {
            let (dom, t) = self.useful_domain(&sc, false);
            let p = self.bound_name(INIT_PARAMS, &sc, Gap::InitParamNamedLikeVariable, 0.3, 0.0);
            attr.push(format!("{p} in {dom}"));
            params.push(format!("{p}: {}", self.decls.rust(&t)));
            param_binds.push((p.clone(), t.clone()));
            sc.add(&p, t, Access::Owned);
            self.feature("init parameter");
        }
        let mut body = String::new();
        if !params.is_empty() && self.d.chance(0.15) {
            // A guard on a parameter, which rules out some of its values (rarely all).
            let (p, t) = self.d.pick(&param_binds).clone();
            let x = self.leaf(&sc, &t, true);
            let c = if self.d.chance(0.7) {
                format!("{p} != {x}")
            } else {
                let e = self.expr(&sc, &Ty::Bool, 1, false);
                format!("{p} != {x} || {e}")
            };
            body.push_str(&format!("        require!({c});\n"));
            self.feature("require! in init");
        }
        body.push_str("        State {\n");
        for (f, t) in self.fields.clone() {
            // Small values, often empty: room to grow within the constraint's bounds.
            let e = if self.d.chance(0.6) {
                self.zero(&sc, &t)
            } else {
                self.expr(&sc, &t, 1, true)
            };
            body.push_str(&format!("            {f}: {e},\n"));
        }
        body.push_str("        }\n");
        let attr = if attr.is_empty() {
            "#[init]".to_string()
        } else {
            format!("#[init({})]", attr.join(", "))
        };
        let mut sig = vec!["c: &Config".to_string()];
        sig.extend(params);
        format!(
            "    {attr}\n    fn {name}({}) -> State {{\n{body}    }}\n",
            sig.join(", ")
        )
    }

    /// The smallest value of `t`: empty, zero, false, the first variant, or a parameter.
    fn zero(&mut self, sc: &super::scope::Scope, t: &Ty) -> String {
        let params: Vec<String> = sc
            .binds
            .iter()
            .filter(|b| &b.ty == t && b.access == Access::Owned)
            .map(|b| b.read(&self.decls))
            .collect();
        if !params.is_empty() && self.d.chance(0.7) {
            return self.d.pick(&params).clone();
        }
        let elem_param = |t: &Ty| -> Vec<String> {
            sc.binds
                .iter()
                .filter(|b| &b.ty == t && b.access == Access::Owned)
                .map(|b| b.read(&self.decls))
                .collect()
        };
        match t {
            Ty::Set(e) | Ty::Seq(e) | Ty::Opt(e)
                if !elem_param(e).is_empty() && self.d.chance(0.5) =>
            {
                let p = self.d.pick(&elem_param(e)).clone();
                return match t {
                    Ty::Set(_) => format!("Set::from([{p}])"),
                    Ty::Seq(_) => format!("Seq::from([{p}])"),
                    _ => format!("Some({p})"),
                };
            }
            _ => {}
        }
        match t {
            Ty::Bool => "false".into(),
            Ty::Int(w) => w.lit(0),
            Ty::Set(_) => "Set::new()".into(),
            Ty::Seq(_) => "Seq::new()".into(),
            Ty::Map(k, v) => {
                // A total map over the model values, else empty.
                if **k == Ty::Node && self.d.chance(0.7) {
                    let (_, nodes) = self.decls.node.clone().expect("model values");
                    let z = self.zero(sc, v);
                    format!("c.{nodes}.iter().map(|n| (n, {z})).collect::<Map<_, _>>()")
                } else {
                    "Map::new()".into()
                }
            }
            Ty::Opt(_) => "None".into(),
            Ty::Unit(i) => format!(
                "{}::{}",
                self.decls.units[*i].name, self.decls.units[*i].variants[0]
            ),
            Ty::Tup(ts) => {
                let parts: Vec<String> = ts.clone().iter().map(|t| self.zero(sc, t)).collect();
                format!("({})", parts.join(", "))
            }
            _ => self.leaf(sc, t, true),
        }
    }

    /// An action with parameters, guards and updates.
    pub fn action(&mut self) -> String {
        let name = self.fn_name(ACTIONS);
        let mut sc = self.base_scope(true);
        sc.shadowed.insert(name.clone());
        let mut attr = Vec::new();
        let mut params = Vec::new();
        for _ in 0..self.d.weighted(&[1, 4, 3]) {
            let (dom, t) = self.useful_domain(&sc, true);
            let p = self.bound_name(ACTION_PARAMS, &sc, Gap::BoundNamedLikeVariable, 0.2, 0.05);
            attr.push(format!("{p} in {dom}"));
            params.push(format!("{p}: {}", self.decls.rust(&t)));
            sc.add(&p, t, Access::Owned);
            self.feature("action parameter");
        }
        if let Some(n) = self.tla_name_arg() {
            attr.insert(0, n);
        }
        self.mutated = false;
        self.changed.clear();
        self.tainted.clear();
        self.risky = false;
        let n = 1 + self.d.below(4);
        let mut lines = self.stmts(&mut sc, n, 2, 8);
        // Most actions make progress somewhere (a counter, an insert, a push, ...), last, after
        // their guards.
        if self.d.chance(0.7) {
            self.progress(&mut sc, "        ", &mut lines);
        }
        self.mutated = false;
        self.changed.clear();
        self.tainted.clear();
        let attr = if attr.is_empty() {
            "#[action]".to_string()
        } else {
            format!("#[action({})]", attr.join(", "))
        };
        let mut sig = vec!["s: &mut State".to_string(), "c: &Config".to_string()];
        sig.extend(params);
        format!(
            "{}    {attr}\n    fn {name}({}) {{\n{}\n    }}\n",
            self.doc(),
            sig.join(", "),
            lines.join("\n")
        )
    }

    /// An invariant: a random condition (often violated), or a disjunction (more often true).
    pub fn invariant(&mut self) -> String {
        let name = self.fn_name(INVARIANTS);
        let mut sc = self.base_scope(true);
        sc.shadowed.insert(name.clone());
        // An invariant reads the state: a constant one is refused by TLC (F18) and tests
        // little. A disjunction of several conditions holds more often than one.
        let mut e = String::new();
        if self.d.chance(0.8) {
            return self.bound_invariant(name, &sc);
        }
        for _ in 0..10 {
            e = if self.d.chance(0.35) {
                self.expr(&sc, &Ty::Bool, 3, false)
            } else {
                let k = 2 + self.d.below(3);
                let parts: Vec<String> = (0..k)
                    .map(|_| self.expr(&sc, &Ty::Bool, 2, false))
                    .collect();
                parts.join(" || ")
            };
            if reads_state(&e) {
                break;
            }
        }
        let attr = match self.tla_name_arg() {
            Some(n) => format!("#[invariant({n})]"),
            None => "#[invariant]".into(),
        };
        format!(
            "{}    {attr}\n    fn {name}(s: &State, c: &Config) -> bool {{\n        {e}\n    }}\n",
            self.doc()
        )
    }

    /// An invariant that likely holds at first and may fail after some steps: a bound on a
    /// counter or a collection's size, or the absence of one value.
    fn bound_invariant(&mut self, name: String, sc: &super::scope::Scope) -> String {
        let (f, t) = self.d.pick(&self.fields.clone()).clone();
        let k = self.d.int(self.bound - 1, self.bound);
        let e = match &t {
            Ty::Int(w) => format!("s.{f} <= {}", w.lit(k.max(1))),
            Ty::Set(e) => {
                if self.d.chance(0.5) {
                    format!("s.{f}.len() <= {}", Width::Usize.lit(k.min(self.max_len)))
                } else {
                    let x = self.unlike_zero(sc, e);
                    format!("!s.{f}.contains(&{x})")
                }
            }
            Ty::Seq(_) | Ty::Map(..) => {
                format!("s.{f}.len() <= {}", Width::Usize.lit(k.min(self.max_len)))
            }
            Ty::Opt(e) => {
                let x = self.unlike_zero(sc, e);
                format!("s.{f} != Some({x})")
            }
            Ty::Bool => format!("!s.{f}"),
            _ => {
                let x = self.unlike_zero(sc, &t);
                format!("s.{f} != {x}")
            }
        };
        self.feature("invariant bounding a variable");
        let attr = match self.tla_name_arg() {
            Some(n) => format!("#[invariant({n})]"),
            None => "#[invariant]".into(),
        };
        format!(
            "{}    {attr}\n    fn {name}(s: &State, c: &Config) -> bool {{\n        {e}\n    }}\n",
            self.doc()
        )
    }

    /// A small value of `t` other than the one init most often gives (so that an invariant
    /// excluding it holds at first).
    fn unlike_zero(&mut self, sc: &super::scope::Scope, t: &Ty) -> String {
        let zero = match t {
            Ty::Int(w) => w.lit(0),
            Ty::Bool => "false".into(),
            Ty::Unit(i) => format!(
                "{}::{}",
                self.decls.units[*i].name, self.decls.units[*i].variants[0]
            ),
            _ => String::new(),
        };
        let mut x = self.leaf(sc, t, true);
        for _ in 0..4 {
            if x != zero && !x.contains(".min()") {
                break;
            }
            x = self.leaf(sc, t, true);
        }
        x
    }

    /// The constraint: every integer of the state within `-bound..=bound` and every collection
    /// at most `max_len` long, so the state space is finite; sometimes one more condition.
    pub fn constraint(&mut self) -> String {
        let name = self.fn_name(CONSTRAINTS);
        let mut parts = Vec::new();
        for (f, t) in self.fields.clone() {
            if let Some(p) = self.bounded(&t, &format!("s.{f}"), 0) {
                parts.push(p);
            }
        }
        if self.d.chance(0.15) {
            // A condition of the state, mostly true: a disjunction.
            let sc = self.base_scope(true);
            let mut e = String::new();
            for _ in 0..10 {
                let a = self.expr(&sc, &Ty::Bool, 2, false);
                let b = self.expr(&sc, &Ty::Bool, 2, false);
                e = format!("({a} || {b})");
                if reads_state(&e) {
                    break;
                }
            }
            parts.push(e);
            self.feature("constraint with a random condition");
        }
        if parts.is_empty() {
            parts.push("true".into());
        }
        self.feature("constraint");
        format!(
            "    #[constraint]\n    fn {name}(s: &State, c: &Config) -> bool {{\n        {}\n    }}\n",
            parts.join("\n            && ")
        )
    }

    /// The condition that keeps the value at `place` (of type `t`) small, if it can grow.
    fn bounded(&self, t: &Ty, place: &str, level: usize) -> Option<String> {
        if !self.decls.grows(t) {
            return None;
        }
        let k = self.bound;
        let x = format!("b{level}");
        let all = |inner: &Ty| self.bounded(inner, &x, level + 1);
        Some(match t {
            Ty::Int(w) => {
                if w.signed() {
                    format!("({place} <= {} && {place} >= {})", w.lit(k), w.lit(-k))
                } else {
                    format!("{place} <= {}", w.lit(k))
                }
            }
            Ty::Set(e) | Ty::Seq(e) => {
                let len = format!("{place}.len() <= {}", Width::Usize.lit(self.max_len));
                match all(e) {
                    Some(p) => format!("({len} && {place}.iter().all(|{x}| {p}))"),
                    None => len,
                }
            }
            Ty::Map(kt, vt) => {
                let mut ps = vec![format!(
                    "{place}.len() <= {}",
                    Width::Usize.lit(self.max_len + 1)
                )];
                if let Some(p) = all(kt) {
                    ps.push(format!("{place}.keys().all(|{x}| {p})"));
                }
                if let Some(p) = all(vt) {
                    ps.push(format!("{place}.values().all(|{x}| {p})"));
                }
                format!("({})", ps.join(" && "))
            }
            Ty::Opt(e) => {
                let inner = if self.decls.copy(e) {
                    format!("{place}.unwrap()")
                } else {
                    format!("{place}.clone().unwrap()")
                };
                let p = self.bounded(e, &inner, level + 1)?;
                format!("({place}.is_none() || {p})")
            }
            Ty::Tup(ts) => {
                let ps: Vec<String> = ts
                    .iter()
                    .enumerate()
                    .filter_map(|(i, t)| self.bounded(t, &format!("{place}.{i}"), level + 1))
                    .collect();
                format!("({})", ps.join(" && "))
            }
            Ty::Rec(r) => {
                let ps: Vec<String> = self.decls.recs[*r]
                    .fields
                    .iter()
                    .filter_map(|(f, t)| self.bounded(t, &format!("{place}.{f}"), level + 1))
                    .collect();
                format!("({})", ps.join(" && "))
            }
            Ty::Data(i) => {
                let dd = &self.decls.datas[*i];
                let mut arms = Vec::new();
                for (v, fields) in &dd.variants {
                    let ps: Vec<String> = fields
                        .iter()
                        .filter_map(|(f, t)| self.bounded(t, f, level + 1))
                        .collect();
                    if ps.is_empty() {
                        continue;
                    }
                    let names: Vec<String> = fields.iter().map(|(f, _)| f.clone()).collect();
                    arms.push(format!(
                        "{}::{v} {{ {} }} => {}",
                        dd.name,
                        names.join(", "),
                        ps.join(" && ")
                    ));
                }
                arms.push("_ => true".into());
                format!("(match {place}.clone() {{ {} }})", arms.join(", "))
            }
            Ty::Bool | Ty::Node | Ty::Unit(_) => unreachable!(),
        })
    }
}
