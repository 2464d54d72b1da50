//! The export for a safety-only check (`export --safety-only`, `tlc --safety-only`): the same
//! module, and a configuration without the temporal properties (no `PROPERTY` line for them)
//! and without the fairness conditions they needed. Invariants, constraints, step properties
//! (`PROPERTY` of a `[][A]_vars` formula, which TLC checks as safety) and deadlock stay.

use lamport_ir::Model;

use crate::Export;

impl Export {
    /// This export, its configuration checking safety only (see the module documentation).
    pub fn safety_only(&self, ir: &Model) -> Export {
        let temporal: Vec<String> = ir
            .liveness
            .iter()
            .map(|l| format!("PROPERTY {}", l.op.tla))
            .collect();
        let cfg: String = self
            .cfg
            .lines()
            .filter(|line| !temporal.iter().any(|t| t == line))
            .filter(|line| !line.starts_with("\\* #[no_fairness]"))
            .map(|line| match line {
                // The fairness conditions matter only to the temporal properties.
                "SPECIFICATION FairSpec" => "SPECIFICATION Spec",
                other => other,
            })
            .fold(String::new(), |mut cfg, line| {
                cfg.push_str(line);
                cfg.push('\n');
                cfg
            });
        // A refinement checked against the abstract model's `FairSpec` is checked against its
        // `Spec`: the abstract fairness is a temporal property (in-process too).
        let tla = self
            .tla
            .lines()
            .map(|line| match line.strip_suffix("!FairSpec") {
                Some(head)
                    if head.split_once(" == ").is_some_and(|(name, instance)| {
                        cfg.lines().any(|l| l == format!("PROPERTY {name}"))
                            && is_identifier(instance)
                    }) =>
                {
                    format!("{head}!Spec")
                }
                _ => line.to_string(),
            })
            .fold(String::new(), |mut tla, line| {
                tla.push_str(&line);
                tla.push('\n');
                tla
            });
        Export {
            module: self.module.clone(),
            tla,
            cfg,
            modules: self.modules.clone(),
        }
    }
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
