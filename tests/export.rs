//! The TLA+ export: every configuration's module parses (tree-sitter-tlaplus), reads as reviewed
//! (insta snapshots), and — where TLC is available — TLC reports exactly lamport's numbers.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use common::syntax_errors;
use example::two_phase_commit;

#[test]
fn the_grammar_rejects_broken_tla() {
    // The parse check below could not fail if the grammar accepted anything.
    assert!(!syntax_errors("---- MODULE M ----\nInit == /\\ x = \nNext == ]\n====\n").is_empty());
}

#[test]
fn every_configuration_exports_to_tla_that_parses() {
    let def = two_phase_commit::definition();
    for name in def.config_names() {
        let model = def.config(name).unwrap();
        let export = lamport::export(&model).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(export.module, "TwoPhaseCommit");
        let errors = syntax_errors(&export.tla);
        assert!(
            errors.is_empty(),
            "{name}: syntax errors {errors:?} in\n{}",
            export.tla
        );
    }
}

#[test]
fn the_export_reads_like_twophase_tla() {
    let model = two_phase_commit::definition().config("rm3").unwrap();
    let export = lamport::export(&model).unwrap();
    insta::assert_snapshot!("two_phase_commit.tla", export.tla);
    insta::assert_snapshot!("two_phase_commit_rm3.cfg", export.cfg);
    let bug = lamport::export(
        &two_phase_commit::definition()
            .config("bug_commit_early")
            .unwrap(),
    )
    .unwrap();
    insta::assert_snapshot!("two_phase_commit_bug_commit_early.cfg", bug.cfg);
    assert_eq!(
        bug.tla, export.tla,
        "configurations differ only in the .cfg"
    );
}

/// TLC on the export of `config` agrees with the in-process check (skipped without the jar).
fn agrees_with_tlc(config: &str) {
    common::assert_tlc_agrees(&two_phase_commit::definition().config(config).unwrap());
}

#[test]
fn tlc_agrees_on_rm3() {
    agrees_with_tlc("rm3");
}

#[test]
fn tlc_agrees_on_rm5() {
    agrees_with_tlc("rm5");
}

#[test]
fn tlc_agrees_under_symmetry() {
    let export = lamport::export(
        &two_phase_commit::definition()
            .config("rm5_symmetric")
            .unwrap(),
    )
    .unwrap();
    assert!(
        export.tla.contains("Symmetry == Permutations(Rm)"),
        "{}",
        export.tla
    );
    assert!(export.cfg.contains("SYMMETRY Symmetry"), "{}", export.cfg);
    agrees_with_tlc("rm5_symmetric");
}

#[test]
fn tlc_agrees_on_the_commit_early_bug() {
    agrees_with_tlc("bug_commit_early");
}
