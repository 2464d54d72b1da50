//! The export of a refinement (`#[refines(..)]`): `A == INSTANCE Abstract WITH x <- e, ...` in
//! the concrete module, a definition `RefinesAbstract == A!Spec` checked as a `PROPERTY`, and the
//! abstract model's module written beside the concrete one.

use lamport_ir::{Model, Refinement};

use crate::module::Export;
use crate::translate::ExportError;

/// What the concrete model's name for `name` is in TLA+: its state variable, constant or helper.
fn concrete_name(ir: &Model, name: &str) -> Option<String> {
    ir.state
        .fields
        .iter()
        .chain(&ir.constants.fields)
        .find(|f| f.name == name)
        .map(|f| f.tla.clone())
        .or_else(|| {
            ir.helpers
                .iter()
                .find(|h| h.name == name)
                .map(|h| h.tla.clone())
        })
}

/// The constants of `cfg`'s `CONSTANTS` block, as `(name, value)`.
fn cfg_constants(cfg: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in cfg.lines() {
        if line.starts_with("CONSTANTS") {
            inside = true;
            continue;
        }
        if inside {
            if let Some(rest) = line.strip_prefix("    ") {
                if let Some((n, v)) = rest.split_once(" = ") {
                    out.push((n.trim().to_string(), v.trim().to_string()));
                    continue;
                }
            }
            inside = false;
        }
    }
    out
}

/// The name of the property a refinement is checked under (`RefinesVoting`).
pub fn property_name(target: &Model) -> String {
    format!("Refines{}", target.module)
}

/// Adds refinement `r` of `ir` into the abstract model `target` (its IR and its export for the
/// mapped constants) to `export`: the `INSTANCE`, the property and the abstract modules.
pub fn attach(
    export: &mut Export,
    ir: &Model,
    r: &Refinement,
    target: &Model,
    abstract_export: Export,
) -> Result<(), ExportError> {
    let mut with = Vec::new();
    let mut extra_decls = String::new();
    let mut extra_cfg = Vec::new();
    let mapped = |name: &str| -> Result<String, ExportError> {
        let mine = r
            .with
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, c)| c.as_str())
            .unwrap_or(name);
        concrete_name(ir, mine).ok_or_else(|| {
            ExportError::new(
                0,
                format!(
                    "{} has no state variable, constant or helper `{mine}` for `{name}` of {}: map it in #[refines(.., {name} = ..)]",
                    ir.name, target.name
                ),
            )
        })
    };
    for f in &target.state.fields {
        with.push(format!("{} <- {}", f.tla, mapped(&f.name)?));
    }
    for f in &target.constants.fields {
        with.push(format!("{} <- {}", f.tla, mapped(&f.name)?));
    }
    // Constants the abstract export adds (the sets of model values its TypeOK reads): declared
    // here too, and given the same values.
    for (n, v) in cfg_constants(&abstract_export.cfg) {
        if target.constants.fields.iter().any(|f| f.tla == n) {
            continue;
        }
        let mine = format!("{}_{n}", r.instance);
        extra_decls.push_str(&format!("CONSTANT {mine}\n"));
        extra_cfg.push(format!("    {mine} = {v}"));
        with.push(format!("{n} <- {mine}"));
    }
    let property = property_name(target);
    let text = format!(
        "\\* {} implements {} under this mapping (from `#[refines({})]`, line {}).\n{extra_decls}{} == INSTANCE {} WITH\n    {}\n\n{property} == {}!{}\n\n",
        ir.module,
        target.module,
        r.path,
        r.line,
        r.instance,
        target.module,
        with.join(",\n    "),
        r.instance,
        if abstract_export.tla.contains("\nFairSpec == ") {
            "FairSpec"
        } else {
            "Spec"
        }
    );
    let end = export
        .tla
        .rfind("\n=====")
        .map(|i| i + 1)
        .unwrap_or(export.tla.len());
    export.tla.insert_str(end, &text);
    if !extra_cfg.is_empty() {
        export
            .cfg
            .push_str(&format!("CONSTANTS\n{}\n", extra_cfg.join("\n")));
    }
    export.cfg.push_str(&format!("PROPERTY {property}\n"));
    for m in abstract_export.modules {
        if !export.modules.iter().any(|(n, _)| *n == m.0) {
            export.modules.push(m);
        }
    }
    if !export
        .modules
        .iter()
        .any(|(n, _)| *n == abstract_export.module)
    {
        export
            .modules
            .push((abstract_export.module, abstract_export.tla));
    }
    Ok(())
}
