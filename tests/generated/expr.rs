//! Expressions of a given type, drawn from every form of docs/language.md that yields that type:
//! literals and names, arithmetic and comparisons, `if` and `match`, helper calls, the methods of
//! the value types, and the iterator forms (`all`, `any`, `filter`, `map`, `count`, `collect`,
//! `min`, `max`, `sum`, `the`, `flat_map`, `subsets`).
//!
//! Every expression is well typed Rust on its own: integer literals carry their suffix, and an
//! empty collection (`Set::new()`, `None`) appears only where the context fixes its type.

use super::gaps::Gap;
use super::model::Gen;
use super::scope::{Access, Scope};
use super::types::{Ty, Width, I64};

const CLOSURE_VARS: &[&str] = &["e", "y", "z", "u", "el", "w", "j"];

impl Gen<'_> {
    /// An expression of type `ty`, at most `d` levels deep. `typed`: the context fixes the
    /// expression's type, so it may be an empty collection or `None`.
    pub fn expr(&mut self, sc: &Scope, ty: &Ty, d: u32, typed: bool) -> String {
        let vars = sc.of_type(ty).len();
        let calls = self.calls_returning(sc, ty);
        let d0 = d > 0;
        // Common forms first; the type's own forms after.
        let common = [
            if vars > 0 { 12 } else { 0 },
            if d0 { 1 } else { 0 },
            if d0 && !self.decls.units.is_empty() {
                1
            } else {
                0
            },
            if d0 && !calls.is_empty() { 2 } else { 0 },
            if d0 && self.has_container_of(sc, ty) {
                2
            } else {
                0
            },
        ];
        let own = self.own_weight(ty, d);
        let mut weights = common.to_vec();
        weights.push(own);
        match self.d.weighted(&weights) {
            0 => {
                let b = (*self.d.pick(&sc.of_type(ty))).clone();
                b.read(&self.decls)
            }
            1 => {
                let c = self.expr(sc, &Ty::Bool, d - 1, false);
                let a = self.expr(sc, ty, d - 1, typed);
                let b = self.expr(sc, ty, d - 1, true);
                self.feature("if expression");
                format!("(if {c} {{ {a} }} else {{ {b} }})")
            }
            2 => self.match_unit_expr(sc, ty, d, typed),
            3 => {
                let h = *self.d.pick(&calls);
                self.call(sc, h, d - 1)
            }
            4 => self.container_access(sc, ty, d),
            _ => self.own_form(sc, ty, d, typed),
        }
    }

    /// The weight of the type-specific forms (literals at depth 0).
    fn own_weight(&self, _ty: &Ty, d: u32) -> u32 {
        if d == 0 {
            3
        } else {
            10
        }
    }

    fn own_form(&mut self, sc: &Scope, ty: &Ty, d: u32, typed: bool) -> String {
        if d == 0 {
            return self.leaf(sc, ty, typed);
        }
        match ty {
            Ty::Bool => self.bool_form(sc, d),
            Ty::Int(w) => self.int_form(sc, *w, d, typed),
            Ty::Node => self.node_form(sc, d),
            Ty::Unit(_) => self.leaf(sc, ty, typed),
            Ty::Data(i) => self.data_value(sc, *i, d),
            Ty::Rec(i) => self.rec_value(sc, *i, d),
            Ty::Tup(ts) => {
                let parts: Vec<String> = ts
                    .clone()
                    .iter()
                    .map(|t| self.expr(sc, t, d - 1, typed))
                    .collect();
                format!("({})", parts.join(", "))
            }
            Ty::Set(t) => self.set_form(sc, t, d, typed),
            Ty::Map(k, v) => self.map_form(sc, k, v, d, typed),
            Ty::Seq(t) => self.seq_form(sc, t, d, typed),
            Ty::Opt(t) => self.opt_form(sc, t, d, typed),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Leaves

    /// A literal-like value of `ty`: no operators, a constructor at most.
    pub fn leaf(&mut self, sc: &Scope, ty: &Ty, typed: bool) -> String {
        match ty {
            Ty::Bool => self.d.chance(0.5).to_string(),
            Ty::Int(w) => {
                let n = self.d.int(-1, self.bound);
                w.lit(n)
            }
            Ty::Node => {
                let nodes = sc.of_type(&Ty::Node);
                if !nodes.is_empty() && self.d.chance(0.7) {
                    let b = (*self.d.pick(&nodes)).clone();
                    b.read(&self.decls)
                } else {
                    let (_, c) = self.decls.node.clone().expect("a model-value type");
                    self.feature("min() of model values");
                    format!("c.{c}.iter().min().unwrap()")
                }
            }
            Ty::Unit(i) => {
                let u = &self.decls.units[*i];
                let v = self.d.pick(&u.variants).clone();
                format!("{}::{v}", u.name)
            }
            Ty::Data(i) => self.data_value(sc, *i, 0),
            Ty::Rec(i) => self.rec_value(sc, *i, 0),
            Ty::Tup(ts) => {
                let parts: Vec<String> = ts.iter().map(|t| self.leaf(sc, t, typed)).collect();
                format!("({})", parts.join(", "))
            }
            Ty::Set(t) => {
                if typed && self.d.chance(0.5) {
                    "Set::new()".into()
                } else {
                    let x = self.leaf(sc, t, typed);
                    format!("Set::from([{x}])")
                }
            }
            Ty::Map(k, v) => {
                if typed && self.d.chance(0.6) {
                    "Map::new()".into()
                } else {
                    let a = self.leaf(sc, k, typed);
                    let b = self.leaf(sc, v, typed);
                    self.feature("Map::from");
                    format!("Map::from([({a}, {b})])")
                }
            }
            Ty::Seq(t) => {
                if typed && self.d.chance(0.5) {
                    "Seq::new()".into()
                } else {
                    let x = self.leaf(sc, t, typed);
                    format!("Seq::from([{x}])")
                }
            }
            Ty::Opt(t) => {
                if typed && self.d.chance(0.5) {
                    "None".into()
                } else {
                    let x = self.leaf(sc, t, typed);
                    format!("Some({x})")
                }
            }
        }
    }

    fn data_value(&mut self, sc: &Scope, i: usize, d: u32) -> String {
        let dd = self.decls.datas[i].clone();
        let (v, fields) = self.d.pick(&dd.variants).clone();
        if fields.is_empty() {
            return format!("{}::{v}", dd.name);
        }
        let fs: Vec<String> = fields
            .iter()
            .map(|(f, t)| {
                let e = if d == 0 {
                    self.leaf(sc, t, true)
                } else {
                    self.expr(sc, t, d - 1, true)
                };
                format!("{f}: {e}")
            })
            .collect();
        self.feature("enum variant with fields");
        format!("({}::{v} {{ {} }})", dd.name, fs.join(", "))
    }

    fn rec_value(&mut self, sc: &Scope, i: usize, d: u32) -> String {
        let r = self.decls.recs[i].clone();
        let fs: Vec<String> = r
            .fields
            .iter()
            .map(|(f, t)| {
                let e = if d == 0 {
                    self.leaf(sc, t, true)
                } else {
                    self.expr(sc, t, d - 1, true)
                };
                format!("{f}: {e}")
            })
            .collect();
        self.feature("struct value");
        format!("({} {{ {} }})", r.name, fs.join(", "))
    }

    // -----------------------------------------------------------------------------------------
    // Forms shared by all types

    fn match_unit_expr(&mut self, sc: &Scope, ty: &Ty, d: u32, typed: bool) -> String {
        let ui = self.d.below(self.decls.units.len());
        let u = self.decls.units[ui].clone();
        let Some(scrutinee) = self.scrutinee(sc, &Ty::Unit(ui), d - 1) else {
            return self.leaf(sc, ty, typed);
        };
        let mut arms = Vec::new();
        let wildcard = self.d.chance(0.5);
        let listed = if wildcard {
            1 + self.d.below(u.variants.len() - 1)
        } else {
            u.variants.len()
        };
        for (j, v) in u.variants.iter().take(listed).enumerate() {
            let e = self.expr(sc, ty, d - 1, typed || j > 0);
            arms.push(format!("{}::{v} => {e}", u.name));
        }
        if wildcard {
            let e = self.expr(sc, ty, d - 1, true);
            arms.push(format!("_ => {e}"));
        }
        self.feature("match expression");
        format!("(match {scrutinee} {{ {} }})", arms.join(", "))
    }

    /// The value a `match` examines: any expression, or (while the export's `LET` for it is a
    /// known gap) a name whose value the action has not changed.
    pub fn scrutinee(&mut self, sc: &Scope, ty: &Ty, d: u32) -> Option<String> {
        if !self.gaps.avoid(Gap::MatchScrutinee) {
            return Some(self.expr(sc, ty, d, false));
        }
        let names: Vec<String> = sc
            .of_type(ty)
            .iter()
            .filter(|b| !(b.access == Access::State && self.mutated))
            .map(|b| b.read(&self.decls))
            .collect();
        if names.is_empty() {
            None
        } else {
            Some(self.d.pick(&names).clone())
        }
    }

    /// Helpers callable here that return `ty`.
    fn calls_returning(&self, sc: &Scope, ty: &Ty) -> Vec<usize> {
        sc.callable
            .iter()
            .copied()
            .filter(|&h| {
                let helper = &self.helpers[h];
                &helper.ret == ty
                    && !sc.shadowed.contains(&helper.name)
                    && (!helper.reads_state
                        || (sc.state
                            && !(self.mutated && self.gaps.avoid(Gap::StateHelperAfterChange))))
            })
            .collect()
    }

    /// A call of helper `h` with arguments drawn in `sc`.
    pub fn call(&mut self, sc: &Scope, h: usize, d: u32) -> String {
        let helper = self.helpers[h].clone();
        let mut args = Vec::new();
        if helper.reads_state {
            args.push("s".to_string());
            if self.mutated {
                self.feature("state helper called after a change");
            }
        }
        args.push("c".to_string());
        for (_, t) in &helper.params {
            args.push(self.expr(sc, t, d, true));
        }
        self.feature("helper call");
        format!("{}({})", helper.name, args.join(", "))
    }

    /// Whether some name in scope holds a value of `ty` inside it (map value, sequence element,
    /// field, tuple component, option).
    fn has_container_of(&self, sc: &Scope, ty: &Ty) -> bool {
        sc.binds
            .iter()
            .any(|b| self.parts_of(&b.ty).contains(&ty.clone()))
    }

    /// The types directly reachable inside a value of `t` by one access.
    fn parts_of(&self, t: &Ty) -> Vec<Ty> {
        match t {
            Ty::Map(_, v) => vec![(**v).clone()],
            Ty::Seq(e) | Ty::Opt(e) => vec![(**e).clone()],
            Ty::Tup(ts) => ts.clone(),
            Ty::Rec(i) => self.decls.recs[*i]
                .fields
                .iter()
                .map(|(_, t)| t.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// `m[k]`, `q[i]`, `r.f`, `t.0`, `o.unwrap_or(..)`: a part of a named value.
    fn container_access(&mut self, sc: &Scope, ty: &Ty, d: u32) -> String {
        let holders: Vec<_> = sc
            .binds
            .iter()
            .filter(|b| self.parts_of(&b.ty).contains(ty))
            .cloned()
            .collect();
        let b = self.d.pick(&holders).clone();
        let clone = if self.decls.copy(ty) { "" } else { ".clone()" };
        let place = b.place();
        match &b.ty {
            Ty::Map(k, _) => {
                let key = if **k == Ty::Bool && self.gaps.avoid(Gap::MembershipIndex) {
                    self.leaf(sc, k, true)
                } else if self.d.chance(0.7) {
                    self.map_key_in_domain(sc, &b.place(), k)
                } else {
                    self.expr(sc, k, d - 1, true)
                };
                self.feature("map index");
                if self.gaps.avoid(Gap::MapWriteOutsideDomain) || self.d.chance(0.7) {
                    // Mostly guarded: a read outside the domain is a fault (in both), which ends
                    // the search; some are left unguarded to compare the faults.
                    let dflt = self.expr(sc, ty, d - 1, true);
                    format!("(if {place}.contains_key(&{key}) {{ {place}[{key}]{clone} }} else {{ {dflt} }})")
                } else {
                    format!("{place}[{key}]{clone}")
                }
            }
            Ty::Seq(_) => {
                self.feature("sequence index");
                if self.d.chance(0.8) {
                    let dflt = self.expr(sc, ty, d - 1, true);
                    let last = self.d.chance(0.5);
                    if last {
                        format!("(if {place}.is_empty() {{ {dflt} }} else {{ {place}[{place}.len() - 1]{clone} }})")
                    } else {
                        format!("(if {place}.len() > 0usize {{ {place}[0usize]{clone} }} else {{ {dflt} }})")
                    }
                } else {
                    self.feature("sequence index that may be out of range");
                    format!("{place}[0usize]{clone}")
                }
            }
            Ty::Tup(ts) => {
                let at: Vec<usize> = (0..ts.len()).filter(|i| &ts[*i] == ty).collect();
                let i = *self.d.pick(&at);
                self.feature("tuple field");
                format!("{place}.{i}{clone}")
            }
            Ty::Rec(r) => {
                let fs: Vec<String> = self.decls.recs[*r]
                    .fields
                    .iter()
                    .filter(|(_, t)| t == ty)
                    .map(|(f, _)| f.clone())
                    .collect();
                let f = self.d.pick(&fs).clone();
                self.feature("struct field");
                format!("{place}.{f}{clone}")
            }
            Ty::Opt(_) => {
                if self.d.chance(0.9) {
                    let dflt = self.expr(sc, ty, d - 1, true);
                    self.feature("unwrap_or");
                    format!("{place}{clone}.unwrap_or({dflt})")
                } else {
                    self.feature("unwrap (may fail)");
                    format!("{place}{clone}.unwrap()")
                }
            }
            _ => unreachable!(),
        }
    }

    /// A key of the map at `place`: for integer keys often the least of its domain, else any
    /// small key (model values, as the maps built by init cover them all).
    fn map_key_in_domain(&mut self, sc: &Scope, place: &str, k: &Ty) -> String {
        if matches!(k, Ty::Int(_)) && self.d.chance(0.5) {
            self.feature("min() of a map's domain");
            let dflt = self.leaf(sc, k, true);
            return format!("{place}.domain().iter().min().unwrap_or({dflt})");
        }
        self.expr(sc, k, 0, true)
    }

    // -----------------------------------------------------------------------------------------
    // Receivers and iteration sources

    /// An expression of type `ty` in receiver position: a name, or (unless the exporter's
    /// receiver types are a known gap) a parenthesised expression whose type does not depend on
    /// the context. `None` when neither is possible here.
    pub fn recv(&mut self, sc: &Scope, ty: &Ty, d: u32) -> Option<String> {
        let untyped_ok = !self.gaps.avoid(Gap::UntypedReceiver);
        let named: Vec<String> = if untyped_ok {
            sc.of_type(ty).iter().map(|b| b.place()).collect()
        } else {
            sc.known_of_type(ty).iter().map(|b| b.place()).collect()
        };
        if !named.is_empty() && (d == 0 || !untyped_ok || self.d.chance(0.75)) {
            return Some(self.d.pick(&named).clone());
        }
        if !untyped_ok {
            return None;
        }
        self.feature("receiver built by an expression");
        let e = self.expr(sc, ty, d, false);
        Some(format!("({e})"))
    }

    /// A receiver of some type satisfying `pred`: a name of such a type, or (unless receiver types
    /// are a known gap) an expression of a random such type.
    fn recv_where(
        &mut self,
        sc: &Scope,
        d: u32,
        pred: impl Fn(&Ty) -> bool,
    ) -> Option<(String, Ty)> {
        let untyped_ok = !self.gaps.avoid(Gap::UntypedReceiver);
        let named: Vec<(String, Ty)> = sc
            .binds
            .iter()
            .filter(|b| pred(&b.ty) && (b.known || untyped_ok))
            .map(|b| (b.place(), b.ty.clone()))
            .collect();
        if !named.is_empty() && (!untyped_ok || self.d.chance(0.75)) {
            return Some(self.d.pick(&named).clone());
        }
        if !untyped_ok {
            return None;
        }
        for _ in 0..20 {
            let t = self.ty(2);
            if pred(&t) {
                let x = self.recv(sc, &t, d)?;
                return Some((x, t));
            }
        }
        None
    }

    /// An iterator yielding owned values of `elem`: over a named collection, a range, or a
    /// collection built here. `None` where none of these is possible (only while receiver types
    /// are a known gap).
    pub fn source(&mut self, sc: &Scope, elem: &Ty, d: u32) -> Option<String> {
        self.source_of(sc, elem, d, false)
    }

    /// An iterator over a set, a sequence, a range or a map's keys: never a map's values (for a
    /// `Map` collected from it, while that is a known gap).
    fn set_source(&mut self, sc: &Scope, elem: &Ty, d: u32) -> Option<String> {
        let no_values = self.gaps.avoid(Gap::MapFromSeq);
        self.source_of(sc, elem, d, no_values)
    }

    fn source_of(&mut self, sc: &Scope, elem: &Ty, d: u32, no_values: bool) -> Option<String> {
        let untyped_ok = !self.gaps.avoid(Gap::UntypedReceiver);
        let mut named: Vec<String> = Vec::new();
        for b in sc.binds.iter().filter(|b| b.known || untyped_ok) {
            match &b.ty {
                Ty::Set(t) if **t == *elem => named.push(format!("{}.iter()", b.place())),
                Ty::Seq(t) if **t == *elem => named.push(format!("{}.iter()", b.place())),
                Ty::Map(k, _) if **k == *elem => named.push(format!("{}.keys()", b.place())),
                Ty::Map(_, v) if **v == *elem && !no_values => {
                    named.push(format!("{}.values()", b.place()))
                }
                _ => {}
            }
        }
        let range = matches!(elem, Ty::Int(_));
        let built = d > 0 && untyped_ok;
        // `Set::from([x])` has a type the exporter knows when `x` has one.
        let singleton = untyped_ok || !has_seq_or_map(elem);
        let w = [
            if named.is_empty() { 0 } else { 6 },
            if range { 3 } else { 0 },
            if built { 2 } else { 0 },
            if singleton { 1 } else { 0 },
        ];
        if w.iter().all(|x| *x == 0) {
            return None;
        }
        Some(match self.d.weighted(&w) {
            0 => {
                let s = self.d.pick(&named).clone();
                if s.contains(".keys()") || s.contains(".values()") {
                    self.feature("keys()/values() of a map");
                }
                s
            }
            1 => {
                let Ty::Int(w) = elem else { unreachable!() };
                self.feature("range");
                let lo = self.d.int(0, 1);
                let hi = self.d.int(1, self.bound);
                let limit = sc
                    .binds
                    .iter()
                    .find(|b| b.access == Access::Const && b.ty == I64)
                    .map(|b| b.place());
                match (self.d.below(3), limit) {
                    (0, Some(l)) if *w == Width::I64 => format!("({}..={l})", w.lit(lo)),
                    (1, _) => format!("({}..={})", w.lit(lo), w.lit(hi)),
                    _ => format!("({}..{})", w.lit(lo), w.lit(hi)),
                }
            }
            2 => {
                let coll = if self.d.chance(0.7) {
                    Ty::Set(Box::new(elem.clone()))
                } else {
                    Ty::Seq(Box::new(elem.clone()))
                };
                let e = self.expr(sc, &coll, d - 1, false);
                format!("({e}).iter()")
            }
            _ => {
                let x = self.leaf(sc, elem, false);
                format!("Set::from([{x}]).iter()")
            }
        })
    }

    /// The element type of some collection worth iterating over here.
    pub fn some_elem_ty(&mut self, sc: &Scope) -> Ty {
        let mut tys: Vec<Ty> = Vec::new();
        for b in &sc.binds {
            match &b.ty {
                Ty::Set(t) | Ty::Seq(t) => tys.push((**t).clone()),
                Ty::Map(k, v) => {
                    tys.push((**k).clone());
                    tys.push((**v).clone());
                }
                _ => {}
            }
        }
        if !tys.is_empty() && self.d.chance(0.8) {
            self.d.pick(&tys).clone()
        } else if self.d.chance(0.5) {
            I64
        } else {
            self.scalar_ty()
        }
    }

    /// A closure variable name.
    fn closure_var(&mut self, sc: &Scope) -> String {
        self.bound_name(CLOSURE_VARS, sc, Gap::ClosureNamedLikeVariable, 0.15, 0.05)
    }

    /// `|x| body` over `elem`, where `body` of type `body_ty` is drawn with `x` in scope (by
    /// reference for `filter`).
    fn closure(&mut self, sc: &Scope, elem: &Ty, by_ref: bool, body_ty: &Ty, d: u32) -> String {
        let x = self.closure_var(sc);
        let access = if by_ref { Access::Ref } else { Access::Owned };
        let mut inner = sc.with(&x, elem.clone(), access);
        inner.in_closure = true;
        let body = self.expr(&inner, body_ty, d, false);
        format!("|{x}| {body}")
    }

    // -----------------------------------------------------------------------------------------
    // Booleans

    fn bool_form(&mut self, sc: &Scope, d: u32) -> String {
        let n = d - 1;
        match self.d.weighted(&[1, 2, 3, 4, 3, 3, 1, 2, 1, 4, 1, 1]) {
            0 => self.leaf(sc, &Ty::Bool, false),
            1 => {
                let a = self.expr(sc, &Ty::Bool, n, false);
                format!("(!{a})")
            }
            2 => {
                let a = self.expr(sc, &Ty::Bool, n, false);
                let b = self.expr(sc, &Ty::Bool, n, false);
                let op = if self.d.chance(0.5) { "&&" } else { "||" };
                format!("({a} {op} {b})")
            }
            3 => {
                let w = if self.d.chance(0.7) {
                    Width::I64
                } else {
                    self.int_width()
                };
                let w = self.int_width_in_scope(sc).unwrap_or(w);
                let a = self.var_or_expr(sc, &Ty::Int(w), n);
                let b = self.expr(sc, &Ty::Int(w), n, false);
                let op = *self.d.pick(&["<", "<=", ">", ">="]);
                format!("({a} {op} {b})")
            }
            4 => {
                let t = if self.d.chance(0.5) {
                    self.scalar_ty()
                } else {
                    self.ty(1)
                };
                let t = self.type_in_scope(sc).unwrap_or(t);
                let a = self.var_or_expr(sc, &t, n);
                let b = self.expr(sc, &t, n, true);
                let op = if self.d.chance(0.7) { "==" } else { "!=" };
                self.feature("equality");
                format!("({a} {op} {b})")
            }
            5 => {
                let Some((set, Ty::Set(t))) = self.recv_where(sc, n, is_set) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                let x = self.expr(sc, &t, n, true);
                self.feature("contains");
                format!("{set}.contains(&{x})")
            }
            6 => {
                let Some((m, Ty::Map(k, _))) = self.recv_where(sc, n, is_map) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                let x = self.expr(sc, &k, n, true);
                self.feature("contains_key");
                format!("{m}.contains_key(&{x})")
            }
            7 => {
                let Some((x, _)) = self.recv_where(sc, n, is_collection) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                self.feature("is_empty");
                format!("{x}.is_empty()")
            }
            8 => {
                let Some((a, t)) = self.recv_where(sc, n, is_set) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                let b = self.expr(sc, &t, n, true);
                self.feature("is_subset");
                format!("{a}.is_subset(&{b})")
            }
            9 => {
                let t = self.some_elem_ty(sc);
                let Some(src) = self.source(sc, &t, n) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                let f = self.closure(sc, &t, false, &Ty::Bool, n);
                let q = if self.d.chance(0.5) { "all" } else { "any" };
                self.feature(if q == "all" { "all" } else { "any" });
                if self.d.chance(0.2) {
                    let g = self.closure(sc, &t, true, &Ty::Bool, n);
                    self.feature("filter then all/any");
                    format!("{src}.filter({g}).{q}({f})")
                } else {
                    format!("{src}.{q}({f})")
                }
            }
            10 => {
                let Some((o, _)) = self.recv_where(sc, n, |t| matches!(t, Ty::Opt(_))) else {
                    return self.leaf(sc, &Ty::Bool, false);
                };
                let m = if self.d.chance(0.5) {
                    "is_some"
                } else {
                    "is_none"
                };
                self.feature("is_some/is_none");
                format!("{o}.{m}()")
            }
            _ => {
                if self.decls.datas.is_empty() {
                    return self.leaf(sc, &Ty::Bool, false);
                }
                self.match_data_expr(sc, &Ty::Bool, d)
            }
        }
    }

    /// A name of type `t` (most often), else an expression whose type does not depend on the
    /// context.
    fn var_or_expr(&mut self, sc: &Scope, t: &Ty, d: u32) -> String {
        let named: Vec<String> = sc.of_type(t).iter().map(|b| b.read(&self.decls)).collect();
        if !named.is_empty() && self.d.chance(0.75) {
            self.d.pick(&named).clone()
        } else {
            self.expr(sc, t, d, false)
        }
    }

    /// The type of some name in scope (most often), so that comparisons read the state.
    fn type_in_scope(&mut self, sc: &Scope) -> Option<Ty> {
        let tys: Vec<Ty> = sc
            .binds
            .iter()
            .filter(|b| b.access != Access::Const)
            .map(|b| b.ty.clone())
            .collect();
        if tys.is_empty() || self.d.chance(0.2) {
            None
        } else {
            Some(self.d.pick(&tys).clone())
        }
    }

    /// The width of some integer name in scope.
    fn int_width_in_scope(&mut self, sc: &Scope) -> Option<Width> {
        let ws: Vec<Width> = sc
            .binds
            .iter()
            .filter_map(|b| match b.ty {
                Ty::Int(w) => Some(w),
                _ => None,
            })
            .collect();
        if ws.is_empty() || self.d.chance(0.2) {
            None
        } else {
            Some(*self.d.pick(&ws))
        }
    }

    /// `match e { V { f, .. } => .., W => .. }` on an enum with fields.
    pub fn match_data_expr(&mut self, sc: &Scope, ty: &Ty, d: u32) -> String {
        let i = self.d.below(self.decls.datas.len());
        let dd = self.decls.datas[i].clone();
        let Some(scrutinee) = self.scrutinee(sc, &Ty::Data(i), d - 1) else {
            return self.leaf(sc, ty, true);
        };
        let mut arms = Vec::new();
        let wildcard = self.d.chance(0.4);
        let listed = if wildcard {
            1 + self.d.below(dd.variants.len() - 1)
        } else {
            dd.variants.len()
        };
        for (v, fields) in dd.variants.iter().take(listed) {
            let mut inner = sc.clone();
            let pat = if fields.is_empty() {
                format!("{}::{v}", dd.name)
            } else {
                let take = 1 + self.d.below(fields.len());
                let mut parts = Vec::new();
                for (f, t) in fields.iter().take(take) {
                    inner.add(f, t.clone(), Access::Owned);
                    parts.push(f.clone());
                }
                if take < fields.len() {
                    parts.push("..".into());
                }
                format!("{}::{v} {{ {} }}", dd.name, parts.join(", "))
            };
            let e = self.expr(&inner, ty, d - 1, true);
            arms.push(format!("{pat} => {e}"));
        }
        if wildcard {
            let e = self.expr(sc, ty, d - 1, true);
            arms.push(format!("_ => {e}"));
        }
        self.feature("match on an enum with fields");
        format!("(match {scrutinee} {{ {} }})", arms.join(", "))
    }

    // -----------------------------------------------------------------------------------------
    // Integers

    fn int_form(&mut self, sc: &Scope, w: Width, d: u32, typed: bool) -> String {
        let t = Ty::Int(w);
        let n = d - 1;
        let sum = !self.gaps.avoid(Gap::Sum);
        let the = 1;
        match self.d.weighted(&[
            2,
            5,
            if w.signed() { 1 } else { 0 },
            1,
            1,
            3,
            2,
            2,
            if sum { 1 } else { 0 },
            the,
        ]) {
            0 => self.leaf(sc, &t, typed),
            1 => {
                let op = *self.d.pick(&["+", "+", "-", "*"]);
                let (a, b) = if op == "*" && self.gaps.avoid(Gap::PrinterParentheses) {
                    (self.atom(sc, w), self.atom(sc, w))
                } else {
                    (self.expr(sc, &t, n, false), self.expr(sc, &t, n, false))
                };
                self.feature("arithmetic");
                format!("({a} {op} {b})")
            }
            2 => {
                let a = self.expr(sc, &t, n, false);
                self.feature("negation");
                format!("(-{a})")
            }
            3 => {
                let a = if self.gaps.avoid(Gap::PrinterParentheses) {
                    self.atom(sc, w)
                } else {
                    self.expr(sc, &t, n, false)
                };
                let k = w.lit(self.d.int(1, 2));
                let rem_ok = !self.gaps.avoid(Gap::PrinterParentheses);
                let op = if !rem_ok || self.d.chance(0.5) {
                    "/"
                } else {
                    "%"
                };
                self.feature("division");
                format!("({a} {op} {k})")
            }
            4 => {
                let from = self.int_width();
                let a = self.expr(sc, &Ty::Int(from), n, false);
                self.feature("cast between integer types");
                format!("({a} as {})", w.rust())
            }
            5 => {
                let Some((x, _)) = self.recv_where(sc, n, is_collection) else {
                    return self.leaf(sc, &t, typed);
                };
                self.feature("len");
                self.as_width(format!("{x}.len()"), w)
            }
            6 => {
                let e = self.some_elem_ty(sc);
                let Some(src) = self.source(sc, &e, n) else {
                    return self.leaf(sc, &t, typed);
                };
                let f = self.closure(sc, &e, true, &Ty::Bool, n);
                self.feature("filter().count()");
                self.as_width(format!("{src}.filter({f}).count()"), w)
            }
            7 => {
                let Some(src) = self.source(sc, &t, n) else {
                    return self.leaf(sc, &t, typed);
                };
                // A default that is itself a `min`/`max` nests the export's `LET s` (F31).
                let dflt = if self.gaps.avoid(Gap::NestedMinMax) {
                    self.leaf(sc, &t, true)
                } else {
                    self.expr(sc, &t, n, true)
                };
                let m = if self.d.chance(0.5) { "max" } else { "min" };
                self.feature("min()/max() of integers");
                format!("{src}.{m}().unwrap_or({dflt})")
            }
            8 if sc.in_closure && self.gaps.avoid(Gap::ExportBinderClash) => {
                self.leaf(sc, &t, typed)
            }
            8 => {
                let Some(src) = self.source(sc, &t, n) else {
                    return self.leaf(sc, &t, typed);
                };
                self.feature("sum");
                format!("{src}.sum::<{}>()", w.rust())
            }
            _ => {
                let Some(set) = self.recv(sc, &Ty::Set(Box::new(t.clone())), n) else {
                    return self.leaf(sc, &t, typed);
                };
                self.feature("the");
                format!("{set}.the()")
            }
        }
    }

    /// An integer that prints as a name or a non-negative number (an operand of `*`, `\div`
    /// and `%` while the printer's parentheses are a known gap).
    pub fn atom(&mut self, sc: &Scope, w: Width) -> String {
        let named: Vec<String> = sc
            .of_type(&Ty::Int(w))
            .iter()
            .map(|b| b.read(&self.decls))
            .collect();
        if !named.is_empty() && self.d.chance(0.6) {
            self.d.pick(&named).clone()
        } else {
            w.lit(self.d.int(0, 2))
        }
    }

    /// A `usize` expression as an integer of width `w`.
    fn as_width(&mut self, e: String, w: Width) -> String {
        if w == Width::Usize {
            e
        } else {
            format!("({e} as {})", w.rust())
        }
    }

    // -----------------------------------------------------------------------------------------
    // Model values

    fn node_form(&mut self, sc: &Scope, d: u32) -> String {
        if self.d.chance(0.85) {
            return self.leaf(sc, &Ty::Node, false);
        }
        let Some(src) = self.source(sc, &Ty::Node, d - 1) else {
            return self.leaf(sc, &Ty::Node, false);
        };
        let f = self.closure(sc, &Ty::Node, true, &Ty::Bool, d - 1);
        self.feature("filter().min() of model values (may fail)");
        format!("{src}.filter({f}).min().unwrap()")
    }

    // -----------------------------------------------------------------------------------------
    // Collections

    fn set_form(&mut self, sc: &Scope, t: &Ty, d: u32, typed: bool) -> String {
        let st = Ty::Set(Box::new(t.clone()));
        let n = d - 1;
        let maps_with_key: Vec<Ty> = sc
            .binds
            .iter()
            .filter_map(|b| match &b.ty {
                Ty::Map(k, _) if **k == *t => Some(b.ty.clone()),
                _ => None,
            })
            .collect();
        let subsets = matches!(t, Ty::Set(_));
        match self.d.weighted(&[
            2,
            3,
            4,
            3,
            3,
            if maps_with_key.is_empty() { 0 } else { 2 },
            if subsets { 1 } else { 0 },
            1,
        ]) {
            0 => self.leaf(sc, &st, typed),
            1 => {
                let k = 1 + self.d.below(2);
                let xs: Vec<String> = (0..k).map(|_| self.expr(sc, t, n, typed)).collect();
                format!("Set::from([{}])", xs.join(", "))
            }
            2 => {
                let (a, b) = if self.gaps.avoid(Gap::SetOpChain) {
                    // Operands that print as names or braces, never as `x \cup y`.
                    let names: Vec<String> = sc
                        .binds
                        .iter()
                        .filter(|b| {
                            b.ty == st
                                && b.known
                                && !(b.access == Access::State && self.changed.contains(&b.name))
                        })
                        .map(|b| b.place())
                        .collect();
                    if names.is_empty() {
                        return self.leaf(sc, &st, typed);
                    }
                    let a = self.d.pick(&names).clone();
                    let b = if self.d.chance(0.5) {
                        format!("{}.clone()", self.d.pick(&names))
                    } else {
                        self.leaf(sc, &st, true)
                    };
                    (a, b)
                } else {
                    let Some(a) = self.recv(sc, &st, n) else {
                        return self.leaf(sc, &st, typed);
                    };
                    (a, self.expr(sc, &st, n, true))
                };
                let op = *self.d.pick(&["union", "intersection", "difference"]);
                self.feature("union/intersection/difference");
                format!("{a}.{op}(&{b})")
            }
            3 => {
                let Some(src) = self.source(sc, t, n) else {
                    return self.leaf(sc, &st, typed);
                };
                let f = self.closure(sc, t, true, &Ty::Bool, n);
                self.feature("filter().collect()");
                format!("{src}.filter({f}).collect::<Set<_>>()")
            }
            // `{a \in b : x \in S}` reads as a filter (F33): no set of booleans by `map`.
            4 if *t == Ty::Bool && self.gaps.avoid(Gap::MembershipElement) => {
                self.leaf(sc, &st, typed)
            }
            4 => {
                let e = self.some_elem_ty(sc);
                let Some(src) = self.source(sc, &e, n) else {
                    return self.leaf(sc, &st, typed);
                };
                let f = self.closure(sc, &e, false, t, n);
                self.feature("map().collect()");
                format!("{src}.map({f}).collect::<Set<_>>()")
            }
            5 => {
                let m = self.d.pick(&maps_with_key).clone();
                let Some(x) = self.recv(sc, &m, n) else {
                    return self.leaf(sc, &st, typed);
                };
                self.feature("domain()");
                format!("{x}.domain()")
            }
            6 => {
                let Ty::Set(inner) = t else { unreachable!() };
                let Some(x) = self.recv(sc, &Ty::Set(inner.clone()), n) else {
                    return self.leaf(sc, &st, typed);
                };
                self.feature("subsets()");
                format!("{x}.subsets()")
            }
            _ => {
                let ss = Ty::Set(Box::new(st.clone()));
                let Some(x) = self.recv(sc, &ss, n) else {
                    return self.leaf(sc, &st, typed);
                };
                self.feature("flat_map()");
                format!("{x}.iter().flat_map(|xs| xs).collect::<Set<_>>()")
            }
        }
    }

    fn map_form(&mut self, sc: &Scope, k: &Ty, v: &Ty, d: u32, typed: bool) -> String {
        let mt = Ty::Map(Box::new(k.clone()), Box::new(v.clone()));
        if self.d.chance(0.3) {
            return self.leaf(sc, &mt, typed);
        }
        let Some(src) = self.set_source(sc, k, d - 1) else {
            return self.leaf(sc, &mt, typed);
        };
        if sc.in_closure && self.gaps.avoid(Gap::ExportBinderClash) {
            return self.leaf(sc, &mt, typed);
        }
        let x = self.closure_var(sc);
        let mut inner = sc.with(&x, k.clone(), Access::Owned);
        inner.in_closure = true;
        let e = self.expr(&inner, v, d - 1, false);
        self.feature("map().collect() into a Map");
        format!("{src}.map(|{x}| ({x}, {e})).collect::<Map<_, _>>()")
    }

    fn seq_form(&mut self, sc: &Scope, t: &Ty, d: u32, typed: bool) -> String {
        let qt = Ty::Seq(Box::new(t.clone()));
        let n = d - 1;
        let filter = !self.gaps.avoid(Gap::SeqFilter);
        match self.d.weighted(&[2, 3, 2, 2, if filter { 1 } else { 0 }]) {
            0 => self.leaf(sc, &qt, typed),
            1 => {
                let k = 1 + self.d.below(2);
                let xs: Vec<String> = (0..k).map(|_| self.expr(sc, t, n, typed)).collect();
                format!("Seq::from([{}])", xs.join(", "))
            }
            2 => {
                let Some(a) = self.recv(sc, &qt, n) else {
                    return self.leaf(sc, &qt, typed);
                };
                let b = self.expr(sc, &qt, n, true);
                self.feature("concat");
                format!("{a}.concat(&{b})")
            }
            3 => {
                let Some((q, Ty::Seq(e))) = self.recv_where(sc, n, |t| matches!(t, Ty::Seq(_)))
                else {
                    return self.leaf(sc, &qt, typed);
                };
                let f = self.closure(sc, &e, false, t, n);
                self.feature("map() over a sequence");
                format!("{q}.iter().map({f}).collect::<Seq<_>>()")
            }
            _ => {
                let Some(q) = self.recv(sc, &qt, n) else {
                    return self.leaf(sc, &qt, typed);
                };
                let f = self.closure(sc, t, true, &Ty::Bool, n);
                self.feature("filter() over a sequence");
                format!("{q}.iter().filter({f}).collect::<Seq<_>>()")
            }
        }
    }

    fn opt_form(&mut self, sc: &Scope, t: &Ty, d: u32, typed: bool) -> String {
        let ot = Ty::Opt(Box::new(t.clone()));
        let int = matches!(t, Ty::Int(_));
        match self.d.weighted(&[2, 3, if int { 2 } else { 0 }]) {
            0 => self.leaf(sc, &ot, typed),
            1 => {
                let x = self.expr(sc, t, d - 1, typed);
                format!("Some({x})")
            }
            _ => {
                let Some(src) = self.source(sc, t, d - 1) else {
                    return self.leaf(sc, &ot, typed);
                };
                let m = if self.d.chance(0.5) { "max" } else { "min" };
                self.feature("min()/max() as an Option");
                format!("{src}.{m}()")
            }
        }
    }
}

fn is_set(t: &Ty) -> bool {
    matches!(t, Ty::Set(_))
}

fn is_map(t: &Ty) -> bool {
    matches!(t, Ty::Map(..))
}

fn is_collection(t: &Ty) -> bool {
    matches!(t, Ty::Set(_) | Ty::Seq(_) | Ty::Map(..))
}

/// Whether a value of `t` holds a `Seq` or a `Map` (whose literals have no type of their own in
/// the export).
fn has_seq_or_map(t: &Ty) -> bool {
    match t {
        Ty::Seq(_) | Ty::Map(..) => true,
        Ty::Set(t) | Ty::Opt(t) => has_seq_or_map(t),
        Ty::Tup(ts) => ts.iter().any(has_seq_or_map),
        _ => false,
    }
}
