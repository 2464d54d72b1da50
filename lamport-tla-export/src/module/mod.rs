//! Assembles a whole TLA+ module and its `.cfg` from a model's IR and one configuration.
//!
//! In the order hand-written specs use: the header and `EXTENDS`, constants, variables and
//! `vars`, the support operators the translation needed, the helpers (callees first; a recursive
//! group declared `RECURSIVE`), `TypeOK`, `Init`, the actions, `Next`, `Spec`, the fairness
//! conditions and `FairSpec`, the symmetry, then the invariants, constraints and properties.

mod type_ok;

use std::collections::BTreeSet;

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{Model, Operator, Type};

use crate::print::print;
use crate::translate::{support_definition, Cx, ExportError};
use type_ok::Typing;

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

/// Where an operator came from, as a comment pointing back to the Rust source, and why its name
/// differs from the naming rule's, if it does.
fn origin(source: &str, op: &Operator) -> String {
    let mut s = format!("\\* From `{}` ({}:{}).", op.name, source, op.line);
    if let Some(why) = &op.renamed {
        s.push_str(&format!(" Named `{}` because {why}.", op.tla));
    }
    s
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

/// `head == body`, on one line when it fits.
fn write_definition(out: &mut String, head: &str, body: &T) {
    let text = print(body, 4);
    if text.contains('\n') || head.len() + text.len() > 90 {
        out.push_str(&format!("{head} ==\n    {text}\n\n"));
    } else {
        out.push_str(&format!("{head} == {text}\n\n"));
    }
}

fn definition(out: &mut String, source: &str, op: &Operator, head: &str, body: &T) {
    if !op.doc.is_empty() {
        out.push_str(&doc_comment(&op.doc));
        out.push('\n');
    }
    out.push_str(&origin(source, op));
    out.push('\n');
    write_definition(out, head, body);
}

fn apply_head(name: &str, params: &[String]) -> String {
    if params.is_empty() {
        name.to_string()
    } else {
        format!("{name}({})", params.join(", "))
    }
}

/// `\E p \in D, ... : body` over the parameters.
fn quantified(params: &[(String, T, bool)], body: T) -> T {
    params.iter().rev().fold(body, |acc, (n, d, _)| {
        T::Exists(n.clone(), Box::new(d.clone()), Box::new(acc))
    })
}

fn at(op: &Operator, e: ExportError) -> ExportError {
    let what = if op.name.is_empty() {
        "init".to_string()
    } else {
        format!("`{}`", op.name)
    };
    ExportError::new(e.node, format!("{what} (line {}): {}", op.line, e.msg))
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
    let mut cx = Cx::new(ir);

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
        let same = ir.constants.fields.iter().find(|f| {
            f.ty == Type::Set(Box::new(Type::Named(mv.name.clone())))
                && constants.iter().any(|(n, v)| n == &f.tla && v == &rendered)
                && f.tla == mv.name
        });
        let name = match same {
            Some(f) => f.tla.clone(),
            None => {
                let taken_by_model = ir.constants.fields.iter().any(|f| f.tla == mv.name)
                    || ir.state.fields.iter().any(|f| f.tla == mv.name);
                let want = if taken_by_model {
                    format!("{}Values", mv.name)
                } else {
                    mv.name.clone()
                };
                let n = if taken_by_model || lamport_ir::names::is_reserved(&want) {
                    cx.claim_module_name(&want)
                } else {
                    want
                };
                extra_constants.push((n.clone(), rendered));
                n
            }
        };
        universe_names.push((mv.name.clone(), name));
    }
    // The constants holding every model value of their type: a key of that type is in them.
    let full: BTreeSet<String> = ir
        .constants
        .fields
        .iter()
        .filter(|f| match &f.ty {
            Type::Set(e) => match &**e {
                Type::Named(t) => universes.iter().any(|(u, values)| {
                    u == t
                        && constants
                            .iter()
                            .any(|(n, v)| n == &f.tla && *v == format!("{{{}}}", values.join(", ")))
                }),
                _ => false,
            },
            _ => false,
        })
        .map(|f| f.name.clone())
        .collect();
    cx.set_full_constants(full);
    let cx = cx;
    let user_has_type_ok = ir.invariants.iter().any(|o| o.tla == "TypeOK");

    // Every definition is translated before the text is assembled: the support operators and
    // standard modules the translations use come first in the module.
    let mut helpers = String::new();
    for group in lamport_ir::graph::helper_groups(ir) {
        let mut defs = Vec::new();
        for &i in &group.members {
            let op = &ir.helpers[i];
            let (params, t) = cx.helper(op).map_err(|e| at(op, e))?;
            defs.push((op, params, t));
        }
        if group.recursive {
            let decls: Vec<String> = defs
                .iter()
                .map(|(op, params, _)| {
                    let holes = vec!["_"; params.len()];
                    apply_head(
                        &op.tla,
                        &holes.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
                    )
                })
                .collect();
            helpers.push_str(&format!("RECURSIVE {}\n", decls.join(", ")));
        }
        for (op, params, t) in defs {
            definition(&mut helpers, source, op, &apply_head(&op.tla, &params), &t);
        }
    }

    let mut body = String::new();
    let typing = Typing {
        ir,
        universes: &universe_names,
        cx: &cx,
    };
    if !user_has_type_ok {
        body.push_str("\\* Every variable holds a value of its Rust type (generated from the type declarations).\n");
        body.push_str(&format!(
            "TypeOK ==\n    {}\n\n",
            print(&typing.type_ok(), 4)
        ));
    }

    let (init_params, init) = cx.init(&ir.init).map_err(|e| at(&ir.init, e))?;
    definition(
        &mut body,
        source,
        &ir.init,
        "Init",
        &quantified(&init_params, init),
    );

    let mut next = Vec::new();
    // Each action's parameter names and domains, again needed by its fairness conditions.
    let mut signatures = std::collections::BTreeMap::new();
    for op in &ir.actions {
        let (params, t) = cx.action(op).map_err(|e| at(op, e))?;
        let names: Vec<String> = params.iter().map(|(n, _, _)| n.clone()).collect();
        definition(&mut body, source, op, &apply_head(&op.tla, &names), &t);
        let call = T::Apply(op.tla.clone(), names.iter().map(T::name).collect());
        next.push(quantified(&params, call));
        signatures.insert(op.name.clone(), params);
    }
    write_definition(&mut body, "Next", &T::or(next));
    body.push_str("Spec == Init /\\ [][Next]_vars\n\n");

    // Fairness: one conjunct per condition, quantified over the values it is per.
    let mut fair_conj = Vec::new();
    for f in &ir.fairness {
        let Some(op) = ir.actions.iter().find(|a| a.name == f.action) else {
            return Err(ExportError::new(
                0,
                format!("fairness on unknown action `{}`", f.action),
            ));
        };
        let params = &signatures[&op.name];
        let call = T::Apply(
            op.tla.clone(),
            params.iter().map(|(n, _, _)| T::name(n)).collect(),
        );
        // The parameters the condition is not per stay existentially quantified inside.
        let per_index: Vec<usize> = f
            .per
            .iter()
            .filter_map(|p| op.params.iter().position(|q| q.name == p.name))
            .collect();
        let inner: Vec<(String, T, bool)> = params
            .iter()
            .enumerate()
            .filter(|(i, _)| !per_index.contains(i))
            .map(|(_, p)| p.clone())
            .collect();
        let mut conj = T::Fair {
            strong: f.kind == lamport_ir::FairnessKind::Strong,
            action: Box::new(quantified(&inner, call)),
        };
        // Per-parameter conditions: `\A p \in D : WF_vars(...)`, with the declared domain.
        if !f.per.is_empty() {
            let mut per_op = op.clone();
            per_op.params = f.per.clone();
            let per_doms = cx.domains(&per_op).map_err(|e| at(op, e))?;
            let binds = per_index
                .iter()
                .zip(&per_doms)
                .map(|(&i, (_, d, _))| (params[i].0.clone(), d.clone()))
                .collect();
            conj = T::ForallMany {
                binds,
                body: Box::new(conj),
                break_line: false,
            };
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
        write_definition(&mut body, "Fairness", &T::And(fair_conj.clone()));
        body.push_str("FairSpec == Spec /\\ Fairness\n\n");
    }

    // The configuration's symmetry: the permutations of each symmetric set, combined with `@@`
    // (their domains are disjoint) into the product group.
    let symmetric_tla: Vec<String> = ir
        .configs
        .iter()
        .find(|c| c.name == config_name)
        .map(|c| c.symmetry.clone())
        .unwrap_or_default()
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
        cx_uses(&cx, StdModule::Tlc);
        let group = match symmetric_tla.as_slice() {
            [one] => T::apply("Permutations", vec![T::name(one)]),
            many => {
                let sc = crate::translate::Scope::default();
                let mut names: Vec<String> = Vec::new();
                for i in 1..=many.len() {
                    let mut s = sc.clone();
                    for n in &names {
                        s.bound.insert(n.clone());
                    }
                    names.push(cx.fresh_name(&format!("p{i}"), &s));
                }
                let union = names
                    .iter()
                    .map(T::name)
                    .reduce(|a, b| T::infix("@@", a, b))
                    .expect("several sets");
                // `{p1 @@ p2 : p1 \in Permutations(A), p2 \in Permutations(B)}`
                names.iter().zip(many).rev().fold(union, |acc, (n, s)| {
                    T::SetMap(
                        Box::new(acc),
                        n.clone(),
                        Box::new(T::apply("Permutations", vec![T::name(s)])),
                    )
                })
            }
        };
        let group = flatten_set_map(group);
        body.push_str(&format!(
            "\\* Configuration `{config_name}` is symmetric in {}: states that differ by a permutation of\n\\* their values are one state.\nSymmetry == {}\n\n",
            symmetric_tla.join(", "),
            group
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
        definition(&mut body, source, op, &op.tla, &T::BoxAction(Box::new(t)));
    }
    for l in &ir.liveness {
        let op = &l.op;
        let (binds, p) = cx.quantified_predicate(op).map_err(|e| at(op, e))?;
        let args: Vec<T> = binds.iter().map(|(n, _)| T::name(n)).collect();
        let formula = match l.kind {
            lamport_ir::LivenessKind::Eventually => T::Eventually(Box::new(p)),
            lamport_ir::LivenessKind::AlwaysEventually => T::AlwaysEventually(Box::new(p)),
            lamport_ir::LivenessKind::LeadsTo => {
                let target = l.target.as_deref().unwrap_or_default();
                let Some(helper) = ir.helpers.iter().find(|h| h.name == target) else {
                    return Err(at(
                        op,
                        ExportError::new(
                            0,
                            format!("the leads-to target `{target}` is not a helper"),
                        ),
                    ));
                };
                T::LeadsTo(Box::new(p), Box::new(T::Apply(helper.tla.clone(), args)))
            }
        };
        let t = if binds.is_empty() {
            formula
        } else {
            T::ForallMany {
                binds,
                body: Box::new(formula),
                break_line: true,
            }
        };
        definition(&mut body, source, op, &op.tla, &t);
    }

    // The support operators, now that every use is known.
    let mut support = String::new();
    for (s, _) in cx.supports() {
        let (head, t, recursive, why) = support_definition(&cx, &s);
        support.push_str(&format!("\\* {why}\n"));
        if recursive {
            let name = head.split('(').next().unwrap_or(&head);
            let arity = head.matches(',').count() + 1;
            support.push_str(&format!(
                "RECURSIVE {name}({})\n",
                vec!["_"; arity].join(", ")
            ));
        }
        write_definition(&mut support, &head, &t);
    }

    // Header.
    let mut modules: BTreeSet<StdModule> = cx.modules();
    if !user_has_type_ok {
        modules.extend(typing.modules());
    }
    let extends: Vec<&str> = StdModule::ALL
        .iter()
        .filter(|m| modules.contains(m))
        .filter(|m| {
            // Integers extends Naturals; TLC extends Naturals, Sequences and FiniteSets.
            !(**m == StdModule::Naturals && modules.contains(&StdModule::Integers))
        })
        .map(|m| m.name())
        .collect();
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
            if let Some(why) = &f.renamed {
                tla.push_str(&format!(
                    "\\* The constant `{}`, named `{}` because {why}.\n",
                    f.name, f.tla
                ));
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
        if let Some(why) = &f.renamed {
            tla.push_str(&format!(
                "\\* The state variable `{}`, named `{}` because {why}.\n",
                f.name, f.tla
            ));
        }
        tla.push_str(&format!("VARIABLE {}\n", f.tla));
    }
    let vars: Vec<&str> = ir.state.fields.iter().map(|f| f.tla.as_str()).collect();
    tla.push_str(&format!("\nvars == <<{}>>\n\n", vars.join(", ")));
    tla.push_str(&support);
    tla.push_str(&helpers);
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
        cfg.push_str("INVARIANT TypeOK\n");
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

fn cx_uses(cx: &Cx<'_>, m: StdModule) {
    cx.note_module(m);
}

/// Prints `{p1 @@ p2 : p1 \in A, p2 \in B}` from nested set maps.
fn flatten_set_map(t: T) -> String {
    let mut binds = Vec::new();
    let mut cur = t;
    loop {
        match cur {
            T::SetMap(v, x, s) => {
                binds.push(format!("{x} \\in {}", print(&s, 0)));
                cur = *v;
            }
            other => {
                if binds.is_empty() {
                    return print(&other, 0);
                }
                return format!("{{{} : {}}}", print(&other, 0), binds.join(", "));
            }
        }
    }
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
