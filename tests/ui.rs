//! Compile-fail tests of `#[lamport::model]`: every rule of the modelling language that the macro
//! enforces is refused with one error on the offending token. One rule per case, grouped by
//! category under `tests/ui/<category>/`.
//!
//! Regenerate the expected output with `TRYBUILD=overwrite cargo test --test ui`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*/*.rs");
}
