//! The TLA+ export: every configuration's module parses (tree-sitter-tlaplus), reads as reviewed
//! (insta snapshots), and — where TLC is available — TLC reports exactly lamport's numbers.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;
use lamport::prelude::*;
use lamport::{CheckOptions, Model};

/// Parses `source` with the tree-sitter TLA+ grammar; returns the text of every error node.
fn syntax_errors(source: &str) -> Vec<String> {
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_tlaplus::LANGUAGE.into())
        .expect("the TLA+ grammar loads");
    let tree = parser
        .parse(source, None)
        .expect("tree-sitter returns a tree");
    let mut errors = Vec::new();
    let mut stack = vec![tree.root_node()];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            let start = node.start_position();
            errors.push(format!(
                "line {}, column {}: {:?}",
                start.row + 1,
                start.column + 1,
                &source[node.byte_range()]
            ));
        }
        let mut cursor = node.walk();
        stack.extend(node.children(&mut cursor));
    }
    errors
}

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

/// Runs TLC on the export of `config` and asserts it agrees with the in-process check.
fn agrees_with_tlc(config: &str) {
    use lamport::tla::tlc;
    let Ok(jar) = tlc::find_jar(None) else {
        println!("skipped: TLA2TOOLS_JAR is not set (path to tla2tools.jar; see README)");
        return;
    };
    let model = two_phase_commit::definition().config(config).unwrap();
    let export = lamport::export(&model).unwrap();
    let dir = std::env::temp_dir().join(format!(
        "lamport-export-test-{}-{config}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let tla = dir.join(format!("{}.tla", export.module));
    let cfg = dir.join(format!("{}.cfg", export.module));
    std::fs::write(&tla, &export.tla).unwrap();
    std::fs::write(&cfg, &export.cfg).unwrap();
    tlc::sany(&jar, &tla).unwrap_or_else(|e| panic!("SANY rejects the export: {e}"));
    let result = tlc::run_tlc(&tla, &cfg, &tlc::TlcOptions::new(jar)).unwrap();
    let report = model.check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    });
    let agreement = lamport::equivalence::compare(&report, &result);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        agreement.agrees(),
        "{} {}\n{}\nTLC said:\n{}",
        model.meta().name,
        config,
        agreement.to_text(),
        result.raw
    );
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
fn tlc_agrees_on_the_commit_early_bug() {
    agrees_with_tlc("bug_commit_early");
}
