//! Assembles a whole TLA+ module and its `.cfg` from a model's IR and one configuration.
//!
//! In the order hand-written specs use: the header and `EXTENDS`, constants, variables and
//! `vars`, the support operators the translation needed, the helpers (callees first; a recursive
//! group declared `RECURSIVE`), `TypeOK`, `Init`, the actions, `Next`, `Spec`, the fairness
//! conditions and `FairSpec`, the symmetry, then the invariants, constraints and properties.

mod type_ok;

use std::collections::{BTreeMap, BTreeSet};

use lamport_ir::names::StdModule;
use lamport_ir::tla::T;
use lamport_ir::{Model, Operator, Type};

use crate::print::print;
use crate::translate::{support_definition, Cx, ExportError, Params};
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
    /// Other modules the module instantiates (the abstract models of its refinements), as
    /// `(module name, .tla text)`, to be written beside it.
    pub modules: Vec<(String, String)>,
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
fn write_definition(cx: &Cx<'_>, out: &mut String, head: &str, body: &T) {
    let params: Vec<String> = head
        .split_once('(')
        .map(|(_, ps)| {
            ps.trim_end_matches(')')
                .split(',')
                .map(|p| p.trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let body = lamport_ir::hygiene::hygienic(body.clone(), &params, &|n| cx.is_module_name(n));
    let text = print(&body, 4);
    if text.contains('\n') || head.len() + text.len() > 90 {
        out.push_str(&format!("{head} ==\n    {text}\n\n"));
    } else {
        out.push_str(&format!("{head} == {text}\n\n"));
    }
}

fn definition(cx: &Cx<'_>, out: &mut String, source: &str, op: &Operator, head: &str, body: &T) {
    if !op.doc.is_empty() {
        out.push_str(&doc_comment(&op.doc));
        out.push('\n');
    }
    out.push_str(&origin(source, op));
    out.push('\n');
    write_definition(cx, out, head, body);
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

/// One export in progress: the model, its translation context, and where comments point.
struct Writer<'a> {
    ir: &'a Model,
    cx: Cx<'a>,
    source: String,
}

/// The constants an export adds or reads for the configuration.
struct ModelValueSets {
    /// Extra constants holding each model-value type's values, for TypeOK (name, rendering).
    extra: Vec<(String, String)>,
    /// Model-value type → the TLA+ name of the set of its values.
    names: Vec<(String, String)>,
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
    let mut w = Writer {
        ir,
        cx: Cx::new(ir),
        source: normalize_path(source),
    };
    let values = w.universes(constants, universes);
    w.cx.set_full_constants(full_constants(ir, constants, universes));
    let config = ir.configs.iter().find(|c| c.name == config_name);
    let user_has_type_ok = ir.invariants.iter().any(|o| o.tla == "TypeOK");

    // Every definition is translated before the text is assembled: the support operators and
    // standard modules the translations use come first in the module.
    let helpers = w.helpers()?;
    let mut body = String::new();
    let typing = Typing {
        ir,
        universes: &values.names,
        cx: &w.cx,
    };
    if !user_has_type_ok {
        body.push_str("\\* Every variable holds a value of its Rust type (generated from the type declarations).\n");
        write_definition(&w.cx, &mut body, "TypeOK", &typing.type_ok());
    }
    let signatures = w.init_and_actions(&mut body)?;
    let fair = w.fairness(&signatures)?;
    if !fair.is_empty() {
        body.push_str(
            "\\* The fairness conditions of the actions declared `fair` / `strong_fair`.\n",
        );
        write_definition(&w.cx, &mut body, "Fairness", &T::And(fair.clone()));
        body.push_str("FairSpec == Spec /\\ Fairness\n\n");
    }
    let symmetric = w.symmetry(config_name, config, &mut body);
    w.properties(&mut body)?;
    let support = w.support();

    let mut modules: BTreeSet<StdModule> = w.cx.modules();
    if !user_has_type_ok {
        modules.extend(typing.modules());
    }
    let mut tla = w.header(&modules, &values.extra);
    tla.push_str(&support);
    tla.push_str(&helpers);
    tla.push_str(&body);
    tla.push_str(&"=".repeat(77));
    tla.push('\n');

    let cfg = Cfg {
        ir,
        config_name,
        constants,
        values: &values,
        fair: !fair.is_empty(),
        no_fairness: config.is_some_and(|c| c.no_fairness),
        user_has_type_ok,
        symmetric: !symmetric.is_empty(),
    }
    .text();
    Ok(Export {
        module: ir.module.clone(),
        tla,
        cfg,
        modules: Vec::new(),
    })
}

/// The constants holding every model value of their type (Rust names): a key of that type is
/// in them.
fn full_constants(ir: &Model, constants: &Constants, universes: &Universes) -> BTreeSet<String> {
    ir.constants
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
        .collect()
}

impl Writer<'_> {
    /// The sets TypeOK checks model values against: a constant of the type's name holding
    /// exactly its values, or an extra constant.
    fn universes(&mut self, constants: &Constants, universes: &Universes) -> ModelValueSets {
        let ir = self.ir;
        let mut out = ModelValueSets {
            extra: Vec::new(),
            names: Vec::new(),
        };
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
                        self.cx.claim_module_name(&want)
                    } else {
                        want
                    };
                    out.extra.push((n.clone(), rendered));
                    n
                }
            };
            out.names.push((mv.name.clone(), name));
        }
        out
    }

    /// The helpers in the order of the call graph, each recursive group declared first.
    fn helpers(&self) -> Result<String, ExportError> {
        let mut out = String::new();
        for group in lamport_ir::graph::helper_groups(self.ir) {
            let mut defs = Vec::new();
            for &i in &group.members {
                let op = &self.ir.helpers[i];
                let (params, t) = self.cx.helper(op).map_err(|e| at(op, e))?;
                defs.push((op, params, t));
            }
            if group.recursive {
                let decls: Vec<String> = defs
                    .iter()
                    .map(|(op, params, _)| {
                        apply_head(&op.tla, &vec!["_".to_string(); params.len()])
                    })
                    .collect();
                out.push_str(&format!("RECURSIVE {}\n", decls.join(", ")));
            }
            for (op, params, t) in defs {
                definition(
                    &self.cx,
                    &mut out,
                    &self.source,
                    op,
                    &apply_head(&op.tla, &params),
                    &t,
                );
            }
        }
        Ok(out)
    }

    /// `Init`, the actions, `Next` and `Spec`; returns each action's parameters, which its
    /// fairness conditions quantify again.
    fn init_and_actions(&self, body: &mut String) -> Result<BTreeMap<String, Params>, ExportError> {
        let ir = self.ir;
        let (init_params, init) = self.cx.init(&ir.init).map_err(|e| at(&ir.init, e))?;
        definition(
            &self.cx,
            body,
            &self.source,
            &ir.init,
            "Init",
            &quantified(&init_params, init),
        );
        let mut next = Vec::new();
        let mut signatures = BTreeMap::new();
        for op in &ir.actions {
            let (params, t) = self.cx.action(op).map_err(|e| at(op, e))?;
            let names: Vec<String> = params.iter().map(|(n, _, _)| n.clone()).collect();
            definition(
                &self.cx,
                body,
                &self.source,
                op,
                &apply_head(&op.tla, &names),
                &t,
            );
            let call = T::Apply(op.tla.clone(), names.iter().map(T::name).collect());
            next.push(quantified(&params, call));
            signatures.insert(op.name.clone(), params);
        }
        write_definition(&self.cx, body, "Next", &T::or(next));
        body.push_str("Spec == Init /\\ [][Next]_vars\n\n");
        Ok(signatures)
    }

    /// One `WF_vars`/`SF_vars` conjunct per condition, quantified over the values it is per.
    fn fairness(&self, signatures: &BTreeMap<String, Params>) -> Result<Vec<T>, ExportError> {
        let ir = self.ir;
        let mut out = Vec::new();
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
            let inner: Params = params
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
                let per_doms = self.cx.domains(&per_op).map_err(|e| at(op, e))?;
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
            out.push(conj);
        }
        for g in &ir.group_fairness {
            out.push(self.group_fairness(g, signatures)?);
        }
        Ok(out)
    }

    /// `WF_vars(Next)`, or `\A p \in D : WF_vars(A(p) \/ \E q \in Dq : B(p, q))` for a group.
    fn group_fairness(
        &self,
        g: &lamport_ir::GroupFairness,
        signatures: &BTreeMap<String, Params>,
    ) -> Result<T, ExportError> {
        let ir = self.ir;
        let strong = g.kind == lamport_ir::FairnessKind::Strong;
        if g.next {
            return Ok(T::Fair {
                strong,
                action: Box::new(T::name("Next")),
            });
        }
        let find = |name: &str| {
            ir.actions
                .iter()
                .find(|a| a.name == name)
                .ok_or_else(|| ExportError::new(0, format!("fairness on unknown action `{name}`")))
        };
        // Each variable: its TLA+ name and domain, from the first action it is given to.
        let mut vars: Vec<(String, String, T)> = Vec::new();
        for p in &g.per {
            let binder = g
                .members
                .iter()
                .find(|m| m.args.iter().any(|a| a.as_deref() == Some(p.name.as_str())))
                .ok_or_else(|| {
                    ExportError::new(0, format!("`{}` is given to no action", p.name))
                })?;
            let op = find(&binder.action)?;
            let mut per_op = op.clone();
            per_op.params = vec![p.clone()];
            let doms = self.cx.domains(&per_op).map_err(|e| at(op, e))?;
            let (n, d, _) = doms.into_iter().next().expect("one domain");
            vars.push((p.name.clone(), n, d));
        }
        let var_name = |v: &str| -> Option<String> {
            vars.iter()
                .find(|(r, _, _)| r == v)
                .map(|(_, n, _)| n.clone())
        };
        let mut members = Vec::new();
        for m in &g.members {
            let op = find(&m.action)?;
            let params = &signatures[&op.name];
            let mut args = Vec::new();
            let mut inner: Params = Vec::new();
            // The action's parameter names, as its domains mention them, and what replaces them.
            let mut renames: Vec<(T, T)> = Vec::new();
            for (i, (n, d, dep)) in params.iter().enumerate() {
                let d = renames
                    .iter()
                    .fold(d.clone(), |acc, (from, to)| acc.replace(from, to));
                match m.args.get(i).cloned().flatten() {
                    Some(v) => {
                        let to = T::name(var_name(&v).unwrap_or(v));
                        renames.push((T::name(n), to.clone()));
                        args.push(to);
                    }
                    None => {
                        // An inner name must not capture a variable of the condition.
                        let mut fresh = n.clone();
                        let mut k = 1;
                        while vars.iter().any(|(_, vn, _)| *vn == fresh) {
                            fresh = format!("{n}_{k}");
                            k += 1;
                        }
                        if fresh != *n {
                            renames.push((T::name(n), T::name(&fresh)));
                        }
                        args.push(T::name(&fresh));
                        inner.push((fresh, d, *dep));
                    }
                }
            }
            members.push(quantified(&inner, T::Apply(op.tla.clone(), args)));
        }
        let mut conj = T::Fair {
            strong,
            action: Box::new(T::or(members)),
        };
        if !vars.is_empty() {
            conj = T::ForallMany {
                binds: vars.into_iter().map(|(_, n, d)| (n, d)).collect(),
                body: Box::new(conj),
                break_line: false,
            };
        }
        Ok(conj)
    }

    /// The configuration's symmetry: the permutations of each symmetric set, combined with `@@`
    /// (their domains are disjoint) into the product group. Returns the symmetric sets.
    fn symmetry(
        &self,
        config_name: &str,
        config: Option<&lamport_ir::ConfigDecl>,
        body: &mut String,
    ) -> Vec<String> {
        let ir = self.ir;
        let symmetric: Vec<String> = config
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
        if symmetric.is_empty() {
            return symmetric;
        }
        self.cx.note_module(StdModule::Tlc);
        let group = match symmetric.as_slice() {
            [one] => print(&T::apply("Permutations", vec![T::name(one)]), 0),
            many => {
                let mut sc = crate::translate::Scope::default();
                let mut names: Vec<String> = Vec::new();
                for i in 1..=many.len() {
                    let n = self.cx.fresh_name(&format!("p{i}"), &sc);
                    sc.bound.insert(n.clone());
                    names.push(n);
                }
                // `{p1 @@ p2 : p1 \in Permutations(A), p2 \in Permutations(B)}`
                let binds: Vec<String> = names
                    .iter()
                    .zip(many)
                    .map(|(n, s)| {
                        format!(
                            "{n} \\in {}",
                            print(&T::apply("Permutations", vec![T::name(s)]), 0)
                        )
                    })
                    .collect();
                format!("{{{} : {}}}", names.join(" @@ "), binds.join(", "))
            }
        };
        body.push_str(&format!(
            "\\* Configuration `{config_name}` is symmetric in {}: states that differ by a permutation of\n\\* their values are one state.\nSymmetry == {group}\n\n",
            symmetric.join(", ")
        ));
        symmetric
    }

    /// The invariants, constraints, reachability conditions, step and temporal properties.
    fn properties(&self, body: &mut String) -> Result<(), ExportError> {
        let ir = self.ir;
        let source = &self.source;
        for op in ir.invariants.iter().chain(&ir.constraints) {
            let t = self.cx.predicate(op).map_err(|e| at(op, e))?;
            definition(&self.cx, body, source, op, &op.tla, &t);
        }
        for op in &ir.reachables {
            // TLC has no reachability check in its configuration; the condition is defined so a
            // reader (or TLC, as `INVARIANT ~Cond`, expecting a violation) can use it.
            let t = self.cx.predicate(op).map_err(|e| at(op, e))?;
            let mut op = op.clone();
            op.doc = format!(
                "{}\n(Reachability: some reachable state satisfies this; checked by lamport.)",
                op.doc
            )
            .trim()
            .to_string();
            definition(&self.cx, body, source, &op, &op.tla, &t);
        }
        for op in &ir.step_properties {
            let t = self.cx.step_predicate(op).map_err(|e| at(op, e))?;
            definition(
                &self.cx,
                body,
                source,
                op,
                &op.tla,
                &T::BoxAction(Box::new(t)),
            );
        }
        for l in &ir.liveness {
            let op = &l.op;
            let (binds, p) = self.cx.quantified_predicate(op).map_err(|e| at(op, e))?;
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
            definition(&self.cx, body, source, op, &op.tla, &t);
        }
        Ok(())
    }

    /// The support operators, once every use is known.
    fn support(&self) -> String {
        let mut out = String::new();
        for (s, _) in self.cx.supports() {
            let (head, t, recursive, why) = support_definition(&self.cx, &s);
            out.push_str(&format!("\\* {why}\n"));
            if recursive {
                let name = head.split('(').next().unwrap_or(&head);
                let arity = head.matches(',').count() + 1;
                out.push_str(&format!(
                    "RECURSIVE {name}({})\n",
                    vec!["_"; arity].join(", ")
                ));
            }
            write_definition(&self.cx, &mut out, &head, &t);
        }
        out
    }

    /// The module line, its doc, `EXTENDS`, the constants and variables and `vars`.
    fn header(&self, modules: &BTreeSet<StdModule>, extra: &[(String, String)]) -> String {
        let ir = self.ir;
        let extends: Vec<&str> = StdModule::ALL
            .iter()
            .filter(|m| modules.contains(m))
            // Integers extends Naturals.
            .filter(|m| !(**m == StdModule::Naturals && modules.contains(&StdModule::Integers)))
            .map(|m| m.name())
            .collect();
        let mut tla = String::new();
        let rule = "-".repeat(4);
        tla.push_str(&format!("{rule} MODULE {} {rule}\n", ir.module));
        if !ir.doc.is_empty() {
            tla.push_str(&doc_comment(&ir.doc));
            tla.push('\n');
        }
        tla.push_str(&format!(
            "\\* Exported by lamport from the Rust model `{}` ({}).\n",
            ir.name, self.source
        ));
        if !extends.is_empty() {
            tla.push_str(&format!("EXTENDS {}\n", extends.join(", ")));
        }
        tla.push('\n');
        if !ir.constants.fields.is_empty() || !extra.is_empty() {
            for (n, _) in extra {
                tla.push_str(&format!(
                    "\\* The model values of `{n}` in this configuration (for TypeOK).\nCONSTANT {n}\n"
                ));
            }
            for f in &ir.constants.fields {
                declaration(&mut tla, "CONSTANT", "constant", f);
            }
            tla.push('\n');
        }
        for f in &ir.state.fields {
            declaration(&mut tla, "VARIABLE", "state variable", f);
        }
        let vars: Vec<&str> = ir.state.fields.iter().map(|f| f.tla.as_str()).collect();
        tla.push_str(&format!("\nvars == <<{}>>\n\n", vars.join(", ")));
        tla
    }
}

/// `CONSTANT x` / `VARIABLE x` with its doc and, if renamed, why.
fn declaration(out: &mut String, keyword: &str, what: &str, f: &lamport_ir::Field) {
    if !f.doc.is_empty() {
        out.push_str(&doc_comment(&f.doc));
        out.push('\n');
    }
    if let Some(why) = &f.renamed {
        out.push_str(&format!(
            "\\* The {what} `{}`, named `{}` because {why}.\n",
            f.name, f.tla
        ));
    }
    out.push_str(&format!("{keyword} {}\n", f.tla));
}

/// The `.cfg` of one configuration.
struct Cfg<'a> {
    ir: &'a Model,
    config_name: &'a str,
    constants: &'a Constants,
    values: &'a ModelValueSets,
    fair: bool,
    no_fairness: bool,
    user_has_type_ok: bool,
    symmetric: bool,
}

impl Cfg<'_> {
    fn text(&self) -> String {
        let ir = self.ir;
        let mut cfg = format!(
            "\\* Configuration `{}` of the lamport model `{}`.\n",
            self.config_name, ir.name
        );
        if !self.constants.is_empty() || !self.values.extra.is_empty() {
            cfg.push_str("CONSTANTS\n");
            // Each model-value type's universe first: TLC orders model values by their first
            // appearance in the configuration, which is then their index order (as in Rust).
            let is_universe = |n: &String| self.values.names.iter().any(|(_, u)| u == n);
            let ordered = self
                .values
                .extra
                .iter()
                .chain(self.constants.iter().filter(|(n, _)| is_universe(n)))
                .chain(self.constants.iter().filter(|(n, _)| !is_universe(n)));
            for (n, v) in ordered {
                cfg.push_str(&format!("    {n} = {v}\n"));
            }
        }
        if self.fair && !self.no_fairness {
            cfg.push_str("SPECIFICATION FairSpec\n");
        } else if self.fair {
            cfg.push_str("\\* #[no_fairness]: the temporal properties are checked without the fairness conditions.\nSPECIFICATION Spec\n");
        } else {
            cfg.push_str("INIT Init\nNEXT Next\n");
        }
        if !self.user_has_type_ok {
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
        if self.symmetric {
            cfg.push_str("SYMMETRY Symmetry\n");
        }
        if !ir.check_deadlock {
            cfg.push_str("CHECK_DEADLOCK FALSE\n");
        }
        cfg
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
