//! Statements of actions: guards (`require!`, `require_witnesses!`), assignments to state
//! variables and their parts, compound assignments, set insert/remove, map index assignment and
//! insert/remove, sequence push/pop, `let`, `if`/`else`, `match` and `if let`.

use super::gaps::Gap;
use super::model::Gen;
use super::scope::{Access, Scope};
use super::types::{Ty, Width};

const LOCALS: &[&str] = &["v", "w", "h", "tmp", "cnt", "nxt", "old", "sz"];

impl Gen<'_> {
    /// Up to `n` statements of an action, at nesting `depth` (0: no more blocks).
    pub fn stmts(&mut self, sc: &mut Scope, n: usize, depth: u32, indent: usize) -> Vec<String> {
        let mut out = Vec::new();
        for _ in 0..n {
            self.stmt(sc, depth, indent, &mut out);
        }
        out
    }

    fn fields_where(&self, f: impl Fn(&Ty) -> bool) -> Vec<(String, Ty)> {
        self.fields.iter().filter(|(_, t)| f(t)).cloned().collect()
    }

    fn stmt(&mut self, sc: &mut Scope, depth: u32, indent: usize, out: &mut Vec<String>) {
        if self.gaps.avoid(Gap::ChangedValueCapture) {
            let tainted = &self.tainted;
            sc.binds
                .retain(|b| !(b.access == Access::State && tainted.contains(&b.name)));
        }
        let before = out.len();
        self.stmt_inner(sc, depth, indent, out);
        self.after_stmt(&out[before..]);
    }

    /// Notes what the statement `lines` did: whether it may fail, and which variables now hold
    /// a value with a binder of the export.
    pub fn after_stmt(&mut self, lines: &[String]) {
        for line in lines {
            let t = line.trim_start();
            // A statement that may fail: no guard may follow it (while that is a known gap).
            if !t.starts_with("require") && may_fail(t) {
                self.risky = true;
            }
            // A changed variable whose new value holds a binder of the export.
            if let Some(rest) = t.strip_prefix("s.") {
                let f: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if has_binder(t) {
                    self.tainted.insert(f);
                }
            }
        }
    }

    fn stmt_inner(&mut self, sc: &mut Scope, depth: u32, indent: usize, out: &mut Vec<String>) {
        let pad = " ".repeat(indent);
        let ints = self.fields_where(|t| matches!(t, Ty::Int(_)));
        let maps = self.fields_where(|t| matches!(t, Ty::Map(..)));
        let int_maps =
            self.fields_where(|t| matches!(t, Ty::Map(_, v) if matches!(**v, Ty::Int(_))));
        let mut sets = self.fields_where(|t| matches!(t, Ty::Set(_)));
        if self.gaps.avoid(Gap::SetOpChain) {
            // `set \cup {x} \ {y}`: a second change of a set prints unparenthesised.
            sets.retain(|(f, _)| !self.changed.contains(f));
        }
        let seqs = self.fields_where(|t| matches!(t, Ty::Seq(_)));
        let recs = self.fields_where(|t| matches!(t, Ty::Rec(_)));
        let b = depth > 0;
        let after_fault = self.risky && self.gaps.avoid(Gap::FaultBeforeGuard);
        let nested = depth == 0 && self.gaps.avoid(Gap::NestedGuard);
        let guards = !after_fault && !nested;
        let w = [
            if guards { 4 } else { 0 },
            if guards { 1 } else { 0 },
            3,
            if ints.is_empty() { 0 } else { 2 },
            if maps.is_empty() { 0 } else { 3 },
            if maps.is_empty() { 0 } else { 1 },
            if sets.is_empty() { 0 } else { 3 },
            if seqs.is_empty() { 0 } else { 3 },
            if recs.is_empty() { 0 } else { 1 },
            2,
            if b { 2 } else { 0 },
            if b && !self.decls.units.is_empty() {
                1
            } else {
                0
            },
            if b { 1 } else { 0 },
            if b && !self.decls.datas.is_empty() {
                1
            } else {
                0
            },
        ];
        let mut w = w.to_vec();
        w.push(20);
        match self.d.weighted(&w) {
            14 => self.progress(sc, &pad, out),
            0 => {
                let c = self.state_condition(sc);
                self.feature("require!");
                out.push(format!("{pad}require!({c});"));
            }
            1 => {
                let c = self.witness_guard(sc, 2);
                self.feature("require_witnesses!");
                out.push(format!("{pad}require_witnesses!({c});"));
            }
            2 => {
                let (f, t) = self.d.pick(&self.fields.clone()).clone();
                let e = self.expr(sc, &t, 2, true);
                self.changed(&f);
                self.feature("assignment");
                out.push(format!("{pad}s.{f} = {e};"));
            }
            3 => {
                let (f, t) = self.d.pick(&ints).clone();
                let op = *self.d.pick(&["+=", "+=", "-=", "*="]);
                let e = match t {
                    // `x' = x * -1` would print without its parentheses.
                    Ty::Int(w) if op == "*=" && self.gaps.avoid(Gap::PrinterParentheses) => {
                        self.atom(sc, w)
                    }
                    _ => self.expr(sc, &t, 1, false),
                };
                self.changed(&f);
                self.feature("compound assignment");
                out.push(format!("{pad}s.{f} {op} {e};"));
            }
            4 => {
                let (f, t) = if !int_maps.is_empty() && self.d.chance(0.5) {
                    self.d.pick(&int_maps).clone()
                } else {
                    self.d.pick(&maps).clone()
                };
                let Ty::Map(k, v) = &t else { unreachable!() };
                // Rust borrows the map for the assignment: key and value do not read it.
                let inner = without(sc, &f);
                // `m[a \in b]` reads as a function constructor (F34): such keys are plain.
                let key = if **k == Ty::Bool && self.gaps.avoid(Gap::MembershipIndex) {
                    self.leaf(&inner, k, true)
                } else {
                    self.expr(&inner, k, 1, true)
                };
                let compound = matches!(**v, Ty::Int(_)) && self.d.chance(0.5);
                let e = if compound {
                    self.expr(&inner, v, 1, false)
                } else {
                    self.expr(&inner, v, 2, true)
                };
                self.changed(&f);
                self.feature("map index assignment");
                let op = if compound { "+=" } else { "=" };
                self.map_write(&pad, &f, &key, op, &e, out);
            }
            5 => {
                let (f, t) = self.d.pick(&maps).clone();
                let Ty::Map(k, v) = &t else { unreachable!() };
                let inner = without(sc, &f);
                let key = if **k == Ty::Bool && self.gaps.avoid(Gap::MembershipIndex) {
                    self.leaf(&inner, k, true)
                } else {
                    self.expr(&inner, k, 1, true)
                };
                self.changed(&f);
                if self.d.chance(0.6) {
                    let e = self.expr(&inner, v, 2, true);
                    self.feature("map insert");
                    out.push(format!("{pad}s.{f}.insert({key}, {e});"));
                } else {
                    self.feature("map remove");
                    out.push(format!("{pad}s.{f}.remove(&{key});"));
                }
            }
            6 => {
                let (f, t) = self.d.pick(&sets).clone();
                let Ty::Set(e) = &t else { unreachable!() };
                let x = self.expr(&without(sc, &f), e, 2, true);
                self.changed(&f);
                if self.d.chance(0.7) {
                    self.feature("set insert");
                    out.push(format!("{pad}s.{f}.insert({x});"));
                } else {
                    self.feature("set remove");
                    out.push(format!("{pad}s.{f}.remove(&{x});"));
                }
            }
            7 => {
                let (f, t) = self.d.pick(&seqs).clone();
                let Ty::Seq(e) = &t else { unreachable!() };
                self.changed(&f);
                if self.d.chance(0.65) {
                    let x = self.expr(&without(sc, &f), e, 2, true);
                    self.feature("seq push");
                    out.push(format!("{pad}s.{f}.push({x});"));
                } else {
                    self.feature("seq pop");
                    out.push(format!("{pad}s.{f}.pop();"));
                }
            }
            8 => {
                let (f, t) = self.d.pick(&recs).clone();
                let Ty::Rec(r) = t else { unreachable!() };
                let (field, ft) = self.d.pick(&self.decls.recs[r].fields.clone()).clone();
                let e = self.expr(sc, &ft, 2, true);
                self.changed(&f);
                self.feature("struct field assignment");
                out.push(format!("{pad}s.{f}.{field} = {e};"));
            }
            9 => {
                let t = if self.d.chance(0.5) {
                    self.scalar_ty()
                } else {
                    self.ty(1)
                };
                let mut e = self.expr(sc, &t, 2, false);
                if self.gaps.avoid(Gap::FaultBeforeGuard) {
                    // TLA+'s LET is lazy: a failing local that is never used fails in Rust only.
                    for _ in 0..5 {
                        if !may_fail(&e) {
                            break;
                        }
                        e = self.expr(sc, &t, 2, false);
                    }
                    if may_fail(&e) {
                        return;
                    }
                }
                let name = self.local_name(sc);
                self.feature("let");
                out.push(format!("{pad}let {name} = {e};"));
                sc.add_local(&name, t);
            }
            10 => {
                let c = self.expr(sc, &Ty::Bool, 2, false);
                let k = 1 + self.d.below(2);
                let then = self.stmts(&mut sc.clone(), k, depth - 1, indent + 4);
                self.feature("if in an action");
                out.push(format!("{pad}if {c} {{"));
                out.extend(then);
                if self.d.chance(0.6) {
                    let k = 1 + self.d.below(2);
                    let other = self.stmts(&mut sc.clone(), k, depth - 1, indent + 4);
                    out.push(format!("{pad}}} else {{"));
                    out.extend(other);
                }
                out.push(format!("{pad}}}"));
            }
            11 => {
                let ui = self.d.below(self.decls.units.len());
                let u = self.decls.units[ui].clone();
                let Some(scrutinee) = self.scrutinee(sc, &Ty::Unit(ui), 1) else {
                    return;
                };
                self.feature("match in an action");
                out.push(format!("{pad}match {scrutinee} {{"));
                let listed = 1 + self.d.below(u.variants.len());
                for v in u.variants.iter().take(listed) {
                    let k = self.d.below(3);
                    let body = self.stmts(&mut sc.clone(), k, depth - 1, indent + 8);
                    out.push(format!("{pad}    {}::{v} => {{", u.name));
                    out.extend(body);
                    out.push(format!("{pad}    }}"));
                }
                if listed < u.variants.len() {
                    let k = self.d.below(2);
                    let body = self.stmts(&mut sc.clone(), k, depth - 1, indent + 8);
                    out.push(format!("{pad}    _ => {{"));
                    out.extend(body);
                    out.push(format!("{pad}    }}"));
                }
                out.push(format!("{pad}}}"));
            }
            12 => {
                let t = self.scalar_ty();
                let o = self.expr(sc, &Ty::Opt(Box::new(t.clone())), 1, false);
                let v = self.local_name(sc);
                let k = 1 + self.d.below(2);
                let mut inner = sc.clone();
                inner.add_local(&v, t);
                let then = self.stmts(&mut inner, k, depth - 1, indent + 4);
                let k = self.d.below(2);
                let other = self.stmts(&mut sc.clone(), k, depth - 1, indent + 4);
                if self.d.chance(0.5) {
                    self.feature("if let in an action");
                    out.push(format!("{pad}if let Some({v}) = {o} {{"));
                    out.extend(then);
                    out.push(format!("{pad}}} else {{"));
                    out.extend(other);
                    out.push(format!("{pad}}}"));
                } else {
                    self.feature("match on an Option in an action");
                    out.push(format!("{pad}match {o} {{"));
                    out.push(format!("{pad}    Some({v}) => {{"));
                    out.extend(then.iter().map(|l| format!("    {l}")));
                    out.push(format!("{pad}    }}"));
                    out.push(format!("{pad}    None => {{"));
                    out.extend(other.iter().map(|l| format!("    {l}")));
                    out.push(format!("{pad}    }}"));
                    out.push(format!("{pad}}}"));
                }
            }
            _ => {
                let i = self.d.below(self.decls.datas.len());
                let dd = self.decls.datas[i].clone();
                let Some(scrutinee) = self.scrutinee(sc, &Ty::Data(i), 1) else {
                    return;
                };
                self.feature("match on an enum with fields in an action");
                out.push(format!("{pad}match {scrutinee} {{"));
                let listed = 1 + self.d.below(dd.variants.len());
                for (v, fields) in dd.variants.iter().take(listed) {
                    let mut inner = sc.clone();
                    let pat = if fields.is_empty() {
                        format!("{}::{v}", dd.name)
                    } else {
                        let mut parts = Vec::new();
                        for (f, t) in fields {
                            inner.add(f, t.clone(), Access::Owned);
                            parts.push(f.clone());
                        }
                        format!("{}::{v} {{ {} }}", dd.name, parts.join(", "))
                    };
                    let k = self.d.below(3);
                    let body = self.stmts(&mut inner, k, depth - 1, indent + 8);
                    out.push(format!("{pad}    {pat} => {{"));
                    out.extend(body);
                    out.push(format!("{pad}    }}"));
                }
                if listed < dd.variants.len() {
                    out.push(format!("{pad}    _ => {{}}"));
                }
                out.push(format!("{pad}}}"));
            }
        }
    }

    /// `s.f[key] op e;`, mostly inside `if s.f.contains_key(&key)` (always while writing outside
    /// the domain is a known gap): a write outside the domain is a fault, which ends the search.
    fn map_write(
        &mut self,
        pad: &str,
        f: &str,
        key: &str,
        op: &str,
        e: &str,
        out: &mut Vec<String>,
    ) {
        if self.gaps.avoid(Gap::MapWriteOutsideDomain) || self.d.chance(0.7) {
            out.push(format!("{pad}if s.{f}.contains_key(&{key}) {{"));
            out.push(format!("{pad}    s.{f}[{key}] {op} {e};"));
            out.push(format!("{pad}}}"));
        } else {
            out.push(format!("{pad}s.{f}[{key}] {op} {e};"));
        }
    }

    /// A condition that reads the state (or a parameter), where possible.
    pub fn state_condition(&mut self, sc: &Scope) -> String {
        let mut c = String::new();
        for _ in 0..6 {
            c = self.expr(sc, &Ty::Bool, 2, false);
            if c.contains("s.")
                || sc
                    .binds
                    .iter()
                    .any(|b| b.access == Access::Owned && c.contains(&b.name))
            {
                break;
            }
        }
        c
    }

    /// A typical update of one state variable, with the action's parameters where they fit:
    /// counters, flags, insert/remove, push/pop, map entries, fields.
    pub fn progress(&mut self, sc: &mut Scope, pad: &str, out: &mut Vec<String>) {
        let mut fields = self.fields.clone();
        if self.gaps.avoid(Gap::SetOpChain) {
            fields.retain(|(f, t)| !(matches!(t, Ty::Set(_)) && self.changed.contains(f)));
        }
        if fields.is_empty() {
            return;
        }
        let (f, t) = self.d.pick(&fields).clone();
        self.changed(&f);
        self.feature("typical update");
        match &t {
            Ty::Bool => out.push(format!("{pad}s.{f} = !s.{f};")),
            Ty::Int(w) => {
                let d = self.param_or_leaf(sc, &t);
                let op = if w.signed() && self.d.chance(0.3) {
                    "-="
                } else {
                    "+="
                };
                if self.d.chance(0.7) {
                    out.push(format!("{pad}s.{f} {op} {};", w.lit(1)));
                } else {
                    out.push(format!("{pad}s.{f} = {d};"));
                }
            }
            Ty::Set(e) => {
                let x = self.param_or_leaf(sc, e);
                if self.d.chance(0.75) {
                    out.push(format!("{pad}s.{f}.insert({x});"));
                } else {
                    out.push(format!("{pad}s.{f}.remove(&{x});"));
                }
            }
            Ty::Seq(e) => {
                if self.d.chance(0.7) {
                    let x = self.param_or_leaf(sc, e);
                    out.push(format!("{pad}s.{f}.push({x});"));
                } else {
                    out.push(format!("{pad}s.{f}.pop();"));
                }
            }
            Ty::Map(k, v) => {
                let key = self.param_or_leaf(sc, k);
                let x = self.param_or_leaf(sc, v);
                if self.d.chance(0.5) {
                    out.push(format!("{pad}s.{f}.insert({key}, {x});"));
                } else {
                    self.map_write(pad, &f, &key, "=", &x, out);
                }
            }
            Ty::Opt(e) => {
                if self.d.chance(0.7) {
                    let x = self.param_or_leaf(sc, e);
                    out.push(format!("{pad}s.{f} = Some({x});"));
                } else {
                    out.push(format!("{pad}s.{f} = None;"));
                }
            }
            Ty::Rec(r) => {
                let (field, ft) = self.d.pick(&self.decls.recs[*r].fields.clone()).clone();
                let x = self.param_or_leaf(sc, &ft);
                out.push(format!("{pad}s.{f}.{field} = {x};"));
            }
            Ty::Tup(ts) => {
                let parts: Vec<String> = ts.iter().map(|t| self.param_or_leaf(sc, t)).collect();
                out.push(format!("{pad}s.{f} = ({});", parts.join(", ")));
            }
            _ => {
                let x = self.param_or_leaf(sc, &t);
                out.push(format!("{pad}s.{f} = {x};"));
            }
        }
    }

    /// A parameter (or local) of type `t` if there is one, else a small value.
    fn param_or_leaf(&mut self, sc: &Scope, t: &Ty) -> String {
        let owned: Vec<String> = sc
            .binds
            .iter()
            .filter(|b| &b.ty == t && b.access == Access::Owned)
            .map(|b| b.read(&self.decls))
            .collect();
        if !owned.is_empty() && self.d.chance(0.8) {
            self.d.pick(&owned).clone()
        } else {
            self.leaf(sc, t, true)
        }
    }

    /// Records that the action changed state variable `f`.
    fn changed(&mut self, f: &str) {
        self.mutated = true;
        self.changed.insert(f.to_string());
    }

    /// A name for a local variable.
    fn local_name(&mut self, sc: &Scope) -> String {
        self.bound_name(LOCALS, sc, Gap::BoundNamedLikeVariable, 0.15, 0.1)
    }

    /// A guard that TLC may satisfy several ways: disjunctions and `any` at the top.
    fn witness_guard(&mut self, sc: &Scope, d: u32) -> String {
        match self.d.below(3) {
            0 => {
                let a = self.expr(sc, &Ty::Bool, d - 1, false);
                let b = self.expr(sc, &Ty::Bool, d - 1, false);
                format!("{a} || {b}")
            }
            1 => {
                let t = self.some_elem_ty(sc);
                let Some(src) = self.source(sc, &t, d - 1) else {
                    return self.expr(sc, &Ty::Bool, d, false);
                };
                let x = self.bound_name(
                    &["e", "y", "z"],
                    sc,
                    Gap::ClosureNamedLikeVariable,
                    0.1,
                    0.0,
                );
                let inner = sc.with(&x, t, Access::Owned);
                let body = self.witness_or_plain(&inner, d - 1);
                format!("{src}.any(|{x}| {body})")
            }
            _ => {
                let a = self.witness_or_plain(sc, d - 1);
                let b = self.witness_or_plain(sc, d - 1);
                format!("({a}) && ({b})")
            }
        }
    }

    fn witness_or_plain(&mut self, sc: &Scope, d: u32) -> String {
        if d > 0 && self.d.chance(0.4) {
            format!("({})", self.witness_guard(sc, d))
        } else {
            self.expr(sc, &Ty::Bool, d, false)
        }
    }

    /// A parameter domain whose values fit some state variable (a counter's increment, a set's
    /// element, a map's key, ...), so that updates use the parameter; else any domain.
    pub fn useful_domain(&mut self, sc: &Scope, state: bool) -> (String, Ty) {
        let fields = self.fields.clone();
        let (_, t) = self.d.pick(&fields).clone();
        let target = match &t {
            Ty::Set(e) | Ty::Seq(e) | Ty::Opt(e) => (**e).clone(),
            Ty::Map(k, v) => {
                if self.d.chance(0.6) {
                    (**k).clone()
                } else {
                    (**v).clone()
                }
            }
            other => other.clone(),
        };
        if self.d.chance(0.85) {
            if let Some(dom) = self.domain_of(sc, &target) {
                return (dom, target);
            }
        }
        self.domain(sc, state)
    }

    /// A constant domain of values of `t`, if `t` has one: `[false, true]`, a range, the model
    /// values, the variants of a unit enum.
    fn domain_of(&mut self, sc: &Scope, t: &Ty) -> Option<String> {
        Some(match t {
            Ty::Bool => "[false, true]".into(),
            Ty::Int(w) => {
                let lo = self.d.int(0, 1);
                let hi = self.d.int(1, 2);
                format!("{}..={}", w.lit(lo), w.lit(hi))
            }
            Ty::Node => {
                let (_, nodes) = self.decls.node.clone()?;
                sc.binds
                    .iter()
                    .find(|b| b.access == Access::Const && b.name == nodes)?;
                format!("c.{nodes}")
            }
            Ty::Unit(i) => {
                let u = self.decls.units[*i].clone();
                let vs: Vec<String> = u
                    .variants
                    .iter()
                    .map(|v| format!("{}::{v}", u.name))
                    .collect();
                format!("[{}]", vs.join(", "))
            }
            _ => return None,
        })
    }

    /// A parameter domain for a value of a random type: a set of the constants or the state, a
    /// range, or an array (with duplicates where allowed). Returns the domain and element type.
    pub fn domain(&mut self, sc: &Scope, state: bool) -> (String, Ty) {
        let mut sets: Vec<(String, Ty)> = Vec::new();
        for b in &sc.binds {
            let usable = match b.access {
                Access::Const => true,
                Access::State => state,
                _ => false,
            };
            if let (true, Ty::Set(t)) = (usable, &b.ty) {
                sets.push((b.place(), (**t).clone()));
            }
        }
        let units = self.decls.units.len();
        match self.d.weighted(&[
            if sets.is_empty() { 0 } else { 3 },
            3,
            2,
            1,
            if units > 0 { 1 } else { 0 },
        ]) {
            0 => self.d.pick(&sets).clone(),
            1 => {
                let w = if self.d.chance(0.8) {
                    Width::I64
                } else {
                    self.int_width()
                };
                let lo = self.d.int(0, 1);
                let hi = self.d.int(1, 2);
                self.feature("range domain");
                let limit = sc
                    .binds
                    .iter()
                    .find(|b| b.access == Access::Const && b.ty == Ty::Int(Width::I64))
                    .map(|b| b.place());
                let dom = match (self.d.below(3), limit) {
                    (0, Some(l)) if w == Width::I64 => format!("{}..={l}", w.lit(lo)),
                    (1, _) => format!("{}..={}", w.lit(lo), w.lit(hi)),
                    _ => format!("{}..{}", w.lit(lo), w.lit(hi + 1)),
                };
                (dom, Ty::Int(w))
            }
            2 => {
                let w = Width::I64;
                let k = 1 + self.d.below(3);
                let mut xs: Vec<String> =
                    (0..k).map(|_| w.lit(self.d.int(0, self.bound))).collect();
                let ints: Vec<String> = sc
                    .binds
                    .iter()
                    .filter(|b| b.ty == Ty::Int(w) && (state || b.access != Access::State))
                    .map(|b| b.read(&self.decls))
                    .collect();
                if !ints.is_empty() && self.allow(Gap::DuplicateDomain, 0.3) {
                    // `[s.a, s.b]`: equal elements whenever the variables are.
                    xs = (0..2).map(|_| self.d.pick(&ints).clone()).collect();
                    self.feature("array domain of variables");
                } else if self.allow(Gap::DuplicateDomain, 0.4) {
                    let x = xs[0].clone();
                    xs.push(x);
                    self.feature("array domain with duplicates");
                } else if self.gaps.avoid(Gap::DuplicateDomain) {
                    xs.sort();
                    xs.dedup();
                }
                self.feature("array domain");
                (format!("[{}]", xs.join(", ")), Ty::Int(w))
            }
            3 => ("[false, true]".into(), Ty::Bool),
            _ => {
                let ui = self.d.below(units);
                let u = self.decls.units[ui].clone();
                let k = 1 + self.d.below(u.variants.len());
                let mut vs: Vec<String> = self.d.shuffled(&u.variants)[..k]
                    .iter()
                    .map(|v| format!("{}::{v}", u.name))
                    .collect();
                if self.allow(Gap::DuplicateDomain, 0.3) {
                    let x = vs[0].clone();
                    vs.push(x);
                    self.feature("array domain with duplicates");
                }
                self.feature("array domain");
                (format!("[{}]", vs.join(", ")), Ty::Unit(ui))
            }
        }
    }
}

/// Whether Rust text would export with a binder (a quantifier, a set comprehension, `CHOOSE`,
/// or the `LET` of a `match`).
fn has_binder(text: &str) -> bool {
    [
        ".iter()",
        ".keys()",
        ".values()",
        ".min()",
        ".max()",
        ".the()",
        "match ",
        ".any(",
        ".all(",
        ".filter(",
        ".map(",
        "..",
        ".subsets()",
        ".sum",
    ]
    .iter()
    .any(|b| text.contains(b))
}

/// Whether a statement's Rust text may fail at run time (a model error): `unwrap`, `the()`,
/// indexing, arithmetic, casts.
pub fn may_fail(text: &str) -> bool {
    [
        ".unwrap()",
        ".the()",
        "[",
        " + ",
        " - ",
        " * ",
        " / ",
        " % ",
        " as ",
        "(-",
        "+=",
        "-=",
        "*=",
    ]
    .iter()
    .any(|b| text.contains(b))
}

/// `sc` without the state variable `f`: the arguments of a method changing `f` do not read it
/// (Rust borrows `f` mutably for the call).
fn without(sc: &Scope, f: &str) -> Scope {
    let mut inner = sc.clone();
    // Nor does a helper of the whole state.
    inner.state = false;
    inner
        .binds
        .retain(|b| !(b.access == Access::State && b.name == f));
    inner
}
