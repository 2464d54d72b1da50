//! Shared checks of the conformance corpus.

use lamport::{CheckOptions, Model, ModelExt};

/// Checks `model` in-process with one thread and asserts TLC's figures from REFERENCE.md.
pub fn assert_reference<M: Model>(model: &M, distinct: u64, generated: u64, depth: u64) {
    model
        .check_with(&CheckOptions {
            threads: 1,
            ..CheckOptions::default()
        })
        .assert_ok()
        .assert_counts(distinct, generated, depth);
}

/// The position and text of every syntax error in `source` (tree-sitter-tlaplus).
pub fn syntax_errors(source: &str) -> Vec<String> {
    lamport::tla::syntax::syntax_errors(source)
}

/// The export of `model`, which must parse (tree-sitter-tlaplus) without error nodes.
pub fn parsed_export<M: Model>(model: &M) -> lamport::tla::Export {
    let export = lamport::export(model).unwrap_or_else(|e| panic!("export failed: {e}"));
    let errors = syntax_errors(&export.tla);
    assert!(
        errors.is_empty(),
        "the export of {} does not parse: {errors:?}\n{}",
        model.meta().name,
        export.tla
    );
    export
}

/// Exports `model`, checks the export parses, and — when `TLA2TOOLS_JAR` is set — runs SANY and
/// TLC on it and asserts TLC agrees with the in-process check (verdict, and the three figures or
/// the counterexample length). Without the jar it prints one line and returns.
pub fn assert_tlc_agrees<M: Model>(model: &M) {
    let export = parsed_export(model);
    let report = model.check_with(&CheckOptions {
        threads: 1,
        ..CheckOptions::default()
    });
    let what = format!("{} ({})", model.meta().name, model.config_name());
    assert_tlc_agrees_on(&report, &export, &what);
}

/// Runs SANY and TLC on `export` (its modules written beside it) and asserts TLC agrees with
/// `report`; TLC's result. Without `TLA2TOOLS_JAR` it prints one line and returns `None`
/// (under `CI=true` it fails).
pub fn assert_tlc_agrees_on(
    report: &lamport::Report,
    export: &lamport::tla::Export,
    what: &str,
) -> Option<lamport::tla::tlc::TlcResult> {
    use lamport::tla::tlc;
    let jar = lamport::tla::tools::tla2tools()?;
    // Removed when dropped, also when an assertion below fails.
    let dir = tempfile::Builder::new()
        .prefix(&format!("lamport-conformance-{}-", export.module))
        .tempdir()
        .unwrap();
    let tla = dir.path().join(format!("{}.tla", export.module));
    let cfg = dir.path().join(format!("{}.cfg", export.module));
    std::fs::write(&tla, &export.tla).unwrap();
    std::fs::write(&cfg, &export.cfg).unwrap();
    for (name, text) in &export.modules {
        std::fs::write(dir.path().join(format!("{name}.tla")), text).unwrap();
    }
    if let Err(e) = tlc::sany(&jar, &tla) {
        panic!("SANY rejects the export of {what}: {e}\n{}", export.tla);
    }
    let result = tlc::run_tlc(&tla, &cfg, &tlc::TlcOptions::new(jar)).unwrap();
    let agreement = lamport::equivalence::compare(report, &result);
    assert!(
        agreement.agrees(),
        "{what}:\n{}\nTLC said:\n{}\nexport:\n{}",
        agreement.to_text(),
        result.raw,
        export.tla
    );
    Some(result)
}

/// The export of `model` (module and configuration), parsed, as a reviewed insta snapshot.
pub fn assert_export_snapshot<M: Model>(model: &M) {
    let export = parsed_export(model);
    let name = format!("{}_{}", model.meta().name, model.config_name());
    insta::assert_snapshot!(format!("{name}.tla"), export.tla);
    insta::assert_snapshot!(format!("{name}.cfg"), export.cfg);
}
