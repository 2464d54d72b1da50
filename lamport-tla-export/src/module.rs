//! Assembles a whole TLA+ module and its `.cfg` from a model's IR and one configuration.

use lamport_ir::{Model, Operator};

use crate::ast::T;
use crate::print::print;
use crate::translate::{Cx, ExportError};

/// One configuration's constants, as the checker renders them (`("Rm", "{r1, r2, r3}")`).
pub type Constants = Vec<(String, String)>;

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
    source: &str,
) -> Result<Export, ExportError> {
    let cx = Cx::new(ir);
    let mut body = String::new();

    // Helpers first (TLA+ needs definitions before use): in an order where callees come first.
    for op in helper_order(ir) {
        let (params, t) = cx.helper(op).map_err(|e| at(op, e))?;
        definition(&mut body, source, op, &apply_head(&op.tla, &params), &t);
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
    for op in &ir.actions {
        let (params, t) = cx.action(op).map_err(|e| at(op, e))?;
        definition(&mut body, source, op, &apply_head(&op.tla, &params), &t);
        let doms = cx.domains(op).map_err(|e| at(op, e))?;
        let call = T::Apply(op.tla.clone(), params.iter().map(T::name).collect());
        let disjunct = doms.into_iter().rev().fold(call, |acc, (n, d, _)| {
            T::Exists(n, Box::new(d), Box::new(acc))
        });
        next.push(disjunct);
    }
    body.push_str(&format!("Next ==\n    {}\n\n", print(&T::or(next), 4)));
    body.push_str("Spec == Init /\\ [][Next]_vars\n\n");

    for op in ir.invariants.iter().chain(&ir.constraints) {
        let t = cx.predicate(op).map_err(|e| at(op, e))?;
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
    if !ir.constants.fields.is_empty() {
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
    if !constants.is_empty() {
        cfg.push_str("CONSTANTS\n");
        for (n, v) in constants {
            cfg.push_str(&format!("    {n} = {v}\n"));
        }
    }
    cfg.push_str("INIT Init\nNEXT Next\n");
    for op in &ir.invariants {
        cfg.push_str(&format!("INVARIANT {}\n", op.tla));
    }
    for op in &ir.constraints {
        cfg.push_str(&format!("CONSTRAINT {}\n", op.tla));
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
