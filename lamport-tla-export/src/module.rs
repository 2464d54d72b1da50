//! Assembles a whole TLA+ module and its `.cfg` from a model's IR and one configuration.

use lamport_ir::{Model, Operator, Type, TypeKind};

use crate::ast::T;
use crate::print::print;
use crate::translate::{Cx, ExportError};

/// One configuration's constants, as the checker renders them (`("Rm", "{r1, r2, r3}")`).
pub type Constants = Vec<(String, String)>;

/// Each model-value type's values in one configuration (`("Rm", ["r1", "r2", "r3"])`).
pub type Universes = Vec<(String, Vec<String>)>;

/// An exported module: the `.tla` text, the `.cfg` text, and the module's name.
#[derive(Clone, Debug, PartialEq)]
pub struct Export {
    pub module: String,
    pub tla: String,
    pub cfg: String,
}

/// Where an operator came from, as a comment pointing back to the Rust source.
fn origin(source: &str, op: &Operator) -> String {
    format!("\\* From `{}` ({}:{}).", op.name, source, op.line)
}

/// A doc comment as TLA+ comment lines.
fn doc_comment(doc: &str) -> String {
    doc.lines()
        .map(|l| {
            if l.is_empty() {
                "\\*".to_string()
            } else {
                format!("\\* {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn definition(out: &mut String, source: &str, op: &Operator, head: &str, body: &T) {
    if !op.doc.is_empty() {
        out.push_str(&doc_comment(&op.doc));
        out.push('\n');
    }
    out.push_str(&origin(source, op));
    out.push('\n');
    let text = print(body, 4);
    if text.contains('\n') || head.len() + text.len() > 90 {
        out.push_str(&format!("{head} ==\n    {text}\n\n"));
    } else {
        out.push_str(&format!("{head} == {text}\n\n"));
    }
}

fn apply_head(name: &str, params: &[String]) -> String {
    if params.is_empty() {
        name.to_string()
    } else {
        format!("{name}({})", params.join(", "))
    }
}

/// Exports `ir` with the constants of one configuration. `source` names the Rust file for the
/// comments that point back to it.
pub fn export(
    ir: &Model,
    config_name: &str,
    constants: &Constants,
    universes: &Universes,
    source: &str,
) -> Result<Export, ExportError> {
    let source = &normalize_path(source);
    let cx = Cx::new(ir);
    let mut body = String::new();

    // The sets TypeOK checks model values against: a constant of the type's name holding
    // exactly its values, or an extra constant.
    let mut extra_constants: Vec<(String, String)> = Vec::new();
    let mut universe_names: Vec<(String, String)> = Vec::new();
    for mv in &ir.model_values {
        let values = universes
            .iter()
            .find(|(t, _)| t == &mv.name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let rendered = format!("{{{}}}", values.join(", "));
        let same = ir.constants.fields.iter().any(|f| {
            f.tla == mv.name
                && f.ty == Type::Set(Box::new(Type::Named(mv.name.clone())))
                && constants.iter().any(|(n, v)| n == &f.tla && v == &rendered)
        });
        let taken = |n: &str| {
            ir.constants.fields.iter().any(|f| f.tla == n)
                || ir.state.fields.iter().any(|f| f.tla == n)
                || ir
                    .actions
                    .iter()
                    .chain(&ir.invariants)
                    .chain(&ir.constraints)
                    .chain(&ir.helpers)
                    .any(|o| o.tla == n)
        };
        let name = if same {
            mv.name.clone()
        } else {
            let mut n = mv.name.clone();
            if taken(&n) {
                n = format!("{}Values", mv.name);
            }
            extra_constants.push((n.clone(), rendered));
            n
        };
        universe_names.push((mv.name.clone(), name));
    }
    let type_ok_name = "TypeOK";
    let user_has_type_ok = ir.invariants.iter().any(|o| o.tla == type_ok_name);
    let typing = Typing {
        ir,
        universes: &universe_names,
    };

    // Helpers first (TLA+ needs definitions before use): in an order where callees come first.
    for op in helper_order(ir) {
        let (params, t) = cx.helper(op).map_err(|e| at(op, e))?;
        definition(&mut body, source, op, &apply_head(&op.tla, &params), &t);
    }

    if !user_has_type_ok {
        let conj: Vec<T> = ir
            .state
            .fields
            .iter()
            .map(|f| typing.member(T::name(&f.tla), &f.ty))
            .collect();
        body.push_str("\\* Every variable holds a value of its Rust type (generated from the type declarations).\n");
        body.push_str(&format!(
            "{type_ok_name} ==\n    {}\n\n",
            print(&T::and(conj), 4)
        ));
        let mut uses = cx.uses.borrow_mut();
        uses.integers |= typing_needs(ir, |t| matches!(t, Type::Int(_)));
        uses.sequences |= typing_needs(ir, |t| matches!(t, Type::Seq(_)));
    }

    let (init_params, init) = cx.init(&ir.init).map_err(|e| at(&ir.init, e))?;
    let init_body = if init_params.is_empty() {
        init
    } else {
        let doms = cx.domains(&ir.init).map_err(|e| at(&ir.init, e))?;
        doms.into_iter().rev().fold(init, |acc, (n, d, _)| {
            T::Exists(n, Box::new(d), Box::new(acc))
        })
    };
    let mut init_op = ir.init.clone();
    init_op.name = ir.init.name.clone();
    definition(&mut body, source, &init_op, "Init", &init_body);

    let mut next = Vec::new();
    // Each action's parameter names and domains, again needed by its fairness conditions.
    let mut signatures = std::collections::BTreeMap::new();
    for op in &ir.actions {
        let (params, t) = cx.action(op).map_err(|e| at(op, e))?;
        definition(&mut body, source, op, &apply_head(&op.tla, &params), &t);
        let doms = cx.domains(op).map_err(|e| at(op, e))?;
        let call = T::Apply(op.tla.clone(), params.iter().map(T::name).collect());
        let disjunct = doms.iter().rev().fold(call, |acc, (n, d, _)| {
            T::Exists(n.clone(), Box::new(d.clone()), Box::new(acc))
        });
        next.push(disjunct);
        signatures.insert(op.name.clone(), (params, doms));
    }
    body.push_str(&format!("Next ==\n    {}\n\n", print(&T::or(next), 4)));
    body.push_str("Spec == Init /\\ [][Next]_vars\n\n");

    // Fairness: one conjunct per condition, quantified over the values it is per.
    let mut fair_conj = Vec::new();
    for f in &ir.fairness {
        let op = ir
            .actions
            .iter()
            .find(|a| a.name == f.action)
            .ok_or_else(|| ExportError(format!("fairness on unknown action `{}`", f.action)))?;
        let (params, doms) = &signatures[&op.name];
        let call = T::Apply(op.tla.clone(), params.iter().map(T::name).collect());
        // The parameters the condition is not per stay existentially quantified inside.
        let per_names: Vec<usize> = f
            .per
            .iter()
            .filter_map(|p| op.params.iter().position(|q| q.name == p.name))
            .collect();
        let inner = doms
            .iter()
            .enumerate()
            .rev()
            .filter(|(i, _)| !per_names.contains(i))
            .fold(call, |acc, (_, (n, d, _))| {
                T::Exists(n.clone(), Box::new(d.clone()), Box::new(acc))
            });
        let kind = match f.kind {
            lamport_ir::FairnessKind::Weak => "WF_vars",
            lamport_ir::FairnessKind::Strong => "SF_vars",
        };
        let mut conj = format!("{kind}({})", print(&inner, 8));
        // Per-parameter conditions: `\A p \in D : WF_vars(...)`, with the declared domain.
        if !f.per.is_empty() {
            let mut per_op = op.clone();
            per_op.params = f.per.clone();
            let per_doms = cx.domains(&per_op).map_err(|e| at(op, e))?;
            let binds: Vec<String> = per_names
                .iter()
                .zip(&per_doms)
                .map(|(&i, (_, d, _))| format!("{} \\in {}", doms[i].0, print(d, 8)))
                .collect();
            conj = format!("\\A {} : {conj}", binds.join(", "));
        }
        fair_conj.push(conj);
    }
    let no_fairness = ir
        .configs
        .iter()
        .find(|c| c.name == config_name)
        .is_some_and(|c| c.no_fairness);
    if !fair_conj.is_empty() {
        body.push_str(
            "\\* The fairness conditions of the actions declared `fair` / `strong_fair`.\n",
        );
        body.push_str(&format!(
            "Fairness ==\n    /\\ {}\n\n",
            fair_conj.join("\n    /\\ ")
        ));
        body.push_str("FairSpec == Spec /\\ Fairness\n\n");
    }

    // The configuration's symmetry: the permutations of each symmetric set, combined with `@@`
    // (their domains are disjoint) into the product group.
    let symmetric: Vec<String> = ir
        .configs
        .iter()
        .find(|c| c.name == config_name)
        .map(|c| c.symmetry.clone())
        .unwrap_or_default();
    let symmetric_tla: Vec<String> = symmetric
        .iter()
        .filter_map(|f| {
            ir.constants
                .fields
                .iter()
                .find(|x| &x.name == f)
                .map(|x| x.tla.clone())
        })
        .collect();
    if !symmetric_tla.is_empty() {
        cx.uses.borrow_mut().tlc = true;
        let group = match symmetric_tla.as_slice() {
            [one] => format!("Permutations({one})"),
            many => {
                let vars: Vec<String> = (1..=many.len()).map(|i| format!("p{i}")).collect();
                let binds: Vec<String> = vars
                    .iter()
                    .zip(many)
                    .map(|(v, s)| format!("{v} \\in Permutations({s})"))
                    .collect();
                format!("{{{} : {}}}", vars.join(" @@ "), binds.join(", "))
            }
        };
        body.push_str(&format!(
            "\\* Configuration `{config_name}` is symmetric in {}: states that differ by a permutation of\n\\* their values are one state.\nSymmetry == {group}\n\n",
            symmetric_tla.join(", ")
        ));
    }

    for op in ir.invariants.iter().chain(&ir.constraints) {
        let t = cx.predicate(op).map_err(|e| at(op, e))?;
        definition(&mut body, source, op, &op.tla, &t);
    }
    for op in &ir.reachables {
        // TLC has no reachability check in its configuration; the condition is defined so a
        // reader (or TLC, as `INVARIANT ~Cond`, expecting a violation) can use it.
        let t = cx.predicate(op).map_err(|e| at(op, e))?;
        let mut op = op.clone();
        op.doc = format!(
            "{}\n(Reachability: some reachable state satisfies this; checked by lamport.)",
            op.doc
        )
        .trim()
        .to_string();
        definition(&mut body, source, &op, &op.tla, &t);
    }
    for op in &ir.step_properties {
        let t = cx.step_predicate(op).map_err(|e| at(op, e))?;
        let boxed = T::Apply(format!("[][{}]_vars", print(&t, 0)), vec![]);
        definition(&mut body, source, op, &op.tla, &boxed);
    }
    for l in &ir.liveness {
        let op = &l.op;
        let (binds, p) = cx.quantified_predicate(op).map_err(|e| at(op, e))?;
        let args: Vec<T> = binds.iter().map(|(n, _)| T::name(n)).collect();
        // Laid out for `definition`, which starts a multi-line body in column 4: junction lists
        // inside the formula stay aligned.
        let quantified_col = if binds.is_empty() { 4 } else { 8 };
        let formula = |col: usize| -> Result<String, ExportError> {
            Ok(match l.kind {
                lamport_ir::LivenessKind::Eventually => format!("<>({})", print(&p, col + 3)),
                lamport_ir::LivenessKind::AlwaysEventually => {
                    format!("[]<>({})", print(&p, col + 5))
                }
                lamport_ir::LivenessKind::LeadsTo => {
                    let target = l.target.as_deref().unwrap_or_default();
                    let helper = ir
                        .helpers
                        .iter()
                        .find(|h| h.name == target)
                        .ok_or_else(|| {
                            at(
                                op,
                                ExportError(format!(
                                    "the leads-to target `{target}` is not a helper"
                                )),
                            )
                        })?;
                    let q = T::Apply(helper.tla.clone(), args.clone());
                    let left = print(&p, col + 1);
                    if left.contains('\n') {
                        format!("({left})\n{}~> {}", " ".repeat(col), print(&q, col + 3))
                    } else {
                        format!("({left}) ~> {}", print(&q, col))
                    }
                }
            })
        };
        let quantified = if binds.is_empty() {
            formula(quantified_col)?
        } else {
            let b: Vec<String> = binds
                .iter()
                .map(|(n, d)| format!("{n} \\in {}", print(d, 4)))
                .collect();
            format!(
                "\\A {} :\n{}{}",
                b.join(", "),
                " ".repeat(quantified_col),
                formula(quantified_col)?
            )
        };
        let t = T::Apply(quantified, vec![]);
        definition(&mut body, source, op, &op.tla, &t);
    }

    // Header.
    let uses = cx.uses.borrow().clone();
    let mut extends = Vec::new();
    if uses.integers {
        extends.push("Integers");
    }
    if uses.finite_sets {
        extends.push("FiniteSets");
    }
    if uses.sequences {
        extends.push("Sequences");
    }
    if uses.tlc {
        extends.push("TLC");
    }
    let module = ir.module.clone();
    let mut tla = String::new();
    let rule = "-".repeat(4);
    tla.push_str(&format!("{rule} MODULE {module} {rule}\n"));
    if !ir.doc.is_empty() {
        tla.push_str(&doc_comment(&ir.doc));
        tla.push('\n');
    }
    tla.push_str(&format!(
        "\\* Exported by lamport from the Rust model `{}` ({source}).\n",
        ir.name
    ));
    if !extends.is_empty() {
        tla.push_str(&format!("EXTENDS {}\n", extends.join(", ")));
    }
    tla.push('\n');
    if !ir.constants.fields.is_empty() || !extra_constants.is_empty() {
        for (n, _) in &extra_constants {
            tla.push_str(&format!(
                "\\* The model values of `{n}` in this configuration (for TypeOK).\nCONSTANT {n}\n"
            ));
        }
        for f in &ir.constants.fields {
            if !f.doc.is_empty() {
                tla.push_str(&doc_comment(&f.doc));
                tla.push('\n');
            }
            tla.push_str(&format!("CONSTANT {}\n", f.tla));
        }
        tla.push('\n');
    }
    for f in &ir.state.fields {
        if !f.doc.is_empty() {
            tla.push_str(&doc_comment(&f.doc));
            tla.push('\n');
        }
        tla.push_str(&format!("VARIABLE {}\n", f.tla));
    }
    let vars: Vec<&str> = ir.state.fields.iter().map(|f| f.tla.as_str()).collect();
    tla.push_str(&format!("\nvars == <<{}>>\n\n", vars.join(", ")));
    tla.push_str(&body);
    tla.push_str(&"=".repeat(77));
    tla.push('\n');

    // The configuration.
    let mut cfg = format!(
        "\\* Configuration `{config_name}` of the lamport model `{}`.\n",
        ir.name
    );
    if !constants.is_empty() || !extra_constants.is_empty() {
        cfg.push_str("CONSTANTS\n");
        // Each model-value type's universe first: TLC orders model values by their first
        // appearance in the configuration, which is then their index order (as in Rust).
        let is_universe = |n: &String| universe_names.iter().any(|(_, u)| u == n);
        let ordered = extra_constants
            .iter()
            .chain(constants.iter().filter(|(n, _)| is_universe(n)))
            .chain(constants.iter().filter(|(n, _)| !is_universe(n)));
        for (n, v) in ordered {
            cfg.push_str(&format!("    {n} = {v}\n"));
        }
    }
    if !fair_conj.is_empty() && !no_fairness {
        cfg.push_str("SPECIFICATION FairSpec\n");
    } else if !fair_conj.is_empty() {
        cfg.push_str("\\* #[no_fairness]: the temporal properties are checked without the fairness conditions.\nSPECIFICATION Spec\n");
    } else {
        cfg.push_str("INIT Init\nNEXT Next\n");
    }
    if !user_has_type_ok {
        cfg.push_str(&format!("INVARIANT {type_ok_name}\n"));
    }
    for op in &ir.invariants {
        cfg.push_str(&format!("INVARIANT {}\n", op.tla));
    }
    for op in &ir.constraints {
        cfg.push_str(&format!("CONSTRAINT {}\n", op.tla));
    }
    for op in &ir.step_properties {
        cfg.push_str(&format!("PROPERTY {}\n", op.tla));
    }
    for l in &ir.liveness {
        cfg.push_str(&format!("PROPERTY {}\n", l.op.tla));
    }
    if !symmetric_tla.is_empty() {
        cfg.push_str("SYMMETRY Symmetry\n");
    }
    if !ir.check_deadlock {
        cfg.push_str("CHECK_DEADLOCK FALSE\n");
    }
    Ok(Export { module, tla, cfg })
}

fn at(op: &Operator, e: ExportError) -> ExportError {
    let what = if op.name.is_empty() {
        "init".to_string()
    } else {
        format!("`{}`", op.name)
    };
    ExportError(format!("{what} (line {}): {}", op.line, e.0))
}

/// Helpers ordered so that each comes after the helpers it calls.
fn helper_order(ir: &Model) -> Vec<&Operator> {
    let mut done: Vec<&Operator> = Vec::new();
    let mut left: Vec<&Operator> = ir.helpers.iter().collect();
    while !left.is_empty() {
        let before = left.len();
        left.retain(|op| {
            let text = format!("{:?}", op.body);
            let waits = ir.helpers.iter().any(|h| {
                h.name != op.name
                    && text.contains(&format!("\"{}\"", h.name))
                    && !done.iter().any(|d| d.name == h.name)
            });
            if waits {
                true
            } else {
                done.push(op);
                false
            }
        });
        if left.len() == before {
            // Mutual recursion: TLA+ would need RECURSIVE; keep source order and let SANY say so.
            done.append(&mut left);
        }
    }
    done
}

/// Whether any state variable's type contains a type matching `pred`.
fn typing_needs(ir: &Model, pred: impl Fn(&Type) -> bool + Copy) -> bool {
    fn walk(ir: &Model, t: &Type, pred: impl Fn(&Type) -> bool + Copy, depth: usize) -> bool {
        if pred(t) {
            return true;
        }
        if depth > 8 {
            return false;
        }
        match t {
            Type::Set(e) | Type::Seq(e) | Type::Option(e) => walk(ir, e, pred, depth + 1),
            Type::Map(k, v) => walk(ir, k, pred, depth + 1) || walk(ir, v, pred, depth + 1),
            Type::Tuple(ts) => ts.iter().any(|x| walk(ir, x, pred, depth + 1)),
            Type::Named(n) => match ir.types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
                Some(TypeKind::Struct(fs)) => fs.iter().any(|f| walk(ir, &f.ty, pred, depth + 1)),
                Some(TypeKind::Enum(vs)) => vs
                    .iter()
                    .flat_map(|v| &v.fields)
                    .any(|f| walk(ir, &f.ty, pred, depth + 1)),
                None => false,
            },
            _ => false,
        }
    }
    ir.state.fields.iter().any(|f| walk(ir, &f.ty, pred, 0))
}

/// TypeOK: membership of values in the sets their Rust types denote.
struct Typing<'a> {
    ir: &'a Model,
    /// Model-value type → the TLA+ name of its universe.
    universes: &'a [(String, String)],
}

impl Typing<'_> {
    /// The set a type denotes, where it has a readable, finite-or-checkable form.
    fn set_form(&self, ty: &Type) -> Option<T> {
        Some(match ty {
            Type::Bool => T::name("BOOLEAN"),
            Type::Int(n) => match n.as_str() {
                "u8" => T::infix("..", T::Num(0), T::Num(255)),
                "u16" => T::infix("..", T::Num(0), T::Num(65535)),
                "u32" => T::infix("..", T::Num(0), T::Num(4_294_967_295)),
                "i8" => T::infix("..", T::Num(-128), T::Num(127)),
                "i16" => T::infix("..", T::Num(-32768), T::Num(32767)),
                "u64" | "usize" => T::name("Nat"),
                _ => T::name("Int"),
            },
            Type::Named(n) => {
                if let Some((_, u)) = self.universes.iter().find(|(t, _)| t == n) {
                    return Some(T::name(u));
                }
                let decl = self.ir.types.iter().find(|d| &d.name == n)?;
                match &decl.kind {
                    TypeKind::Enum(vs) if vs.iter().all(|v| v.fields.is_empty()) => T::SetEnum(
                        vs.iter()
                            .map(|v| T::Str(lamport_ir::naming::snake_case(&v.name)))
                            .collect(),
                    ),
                    TypeKind::Enum(vs) => {
                        let mut parts = Vec::new();
                        for v in vs {
                            let mut fields = vec![(
                                "type".to_string(),
                                T::SetEnum(vec![T::Str(lamport_ir::naming::snake_case(&v.name))]),
                            )];
                            for f in &v.fields {
                                fields.push((f.tla.clone(), self.set_form(&f.ty)?));
                            }
                            parts.push(record_set(fields));
                        }
                        parts.into_iter().reduce(|a, b| T::infix("\\cup", a, b))?
                    }
                    TypeKind::Struct(fs) => {
                        let mut fields = Vec::new();
                        for f in fs {
                            fields.push((f.tla.clone(), self.set_form(&f.ty)?));
                        }
                        record_set(fields)
                    }
                }
            }
            Type::Set(e) => T::Apply("SUBSET".into(), vec![self.set_form(e)?]),
            Type::Seq(e) => T::Apply("Seq".into(), vec![self.set_form(e)?]),
            Type::Tuple(ts) => {
                let parts: Option<Vec<T>> = ts.iter().map(|t| self.set_form(t)).collect();
                parts?.into_iter().reduce(|a, b| T::infix("\\X", a, b))?
            }
            Type::Map(..) | Type::Option(_) => return None,
        })
    }

    /// `e` is a value of type `ty`.
    fn member(&self, e: T, ty: &Type) -> T {
        self.member_at(e, ty, 0)
    }

    /// `member`, with bound names numbered by nesting depth so inner ones never shadow outer ones.
    fn member_at(&self, e: T, ty: &Type, depth: usize) -> T {
        let bound = |base: &str| {
            if depth == 0 {
                base.to_string()
            } else {
                format!("{base}{}", depth + 1)
            }
        };
        match ty {
            Type::Set(inner) if self.set_form(inner).is_some() => {
                T::infix("\\subseteq", e, self.set_form(inner).expect("checked"))
            }
            Type::Set(inner) => {
                let x = bound("x");
                T::Forall(
                    x.clone(),
                    Box::new(e),
                    Box::new(self.member_at(T::name(x), inner, depth + 1)),
                )
            }
            Type::Map(k, v) => {
                let dom = T::Apply("DOMAIN".into(), vec![e.clone()]);
                let kn = bound("k");
                let keys = match self.set_form(k) {
                    Some(s) => T::infix("\\subseteq", dom.clone(), s),
                    None => T::Forall(
                        kn.clone(),
                        Box::new(dom.clone()),
                        Box::new(self.member_at(T::name(&kn), k, depth + 1)),
                    ),
                };
                let vals = T::Forall(
                    kn.clone(),
                    Box::new(dom),
                    Box::new(self.member_at(
                        T::FnApp(Box::new(e), Box::new(T::name(&kn))),
                        v,
                        depth + 1,
                    )),
                );
                T::and(vec![keys, vals])
            }
            Type::Option(inner) => T::or(vec![
                T::infix("=", e.clone(), T::Tuple(vec![])),
                T::and(vec![
                    T::infix(
                        "=",
                        T::Apply("DOMAIN".into(), vec![e.clone()]),
                        T::SetEnum(vec![T::Num(1)]),
                    ),
                    self.member_at(T::FnApp(Box::new(e), Box::new(T::Num(1))), inner, depth + 1),
                ]),
            ]),
            other => match self.set_form(other) {
                Some(s) => T::infix("\\in", e, s),
                None => T::Bool(true),
            },
        }
    }
}

/// `[f1 : S1, f2 : S2]`, printed through a record of sets.
fn record_set(fields: Vec<(String, T)>) -> T {
    T::Apply(
        format!(
            "[{}]",
            fields
                .iter()
                .map(|(n, s)| format!("{n} : {}", print(s, 0)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        vec![],
    )
}

/// `tests/../examples/a.rs` → `examples/a.rs` (as `file!()` reports an included module).
fn normalize_path(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    #[test]
    fn normalize_path() {
        assert_eq!(
            super::normalize_path("tests/../examples/a.rs"),
            "examples/a.rs"
        );
        assert_eq!(super::normalize_path("../x/./y.rs"), "../x/y.rs");
    }
}
