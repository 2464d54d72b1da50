//! # lamport
//!
//! Formal specifications of distributed protocols as Rust code: write a `#[lamport::model]`
//! module, model-check it from `cargo test` with TLC's counting and shortest counterexamples,
//! and (see `lamport-tla-export`) hand the same model to TLC as a TLA+ module.
//!
//! See `docs/language.md` for the modelling language and `examples/` for complete models.

pub use lamport_core::model_values;
pub use lamport_core::{
    check, sequence_diagram, sequence_svg, simulate, ActionMeta, ActionModel, Cancel, CheckOptions,
    Definition, FairInstance, LivenessKind, LivenessMeta, LivenessResult, LivenessStatus, Map,
    Model, ModelMeta, ModelValue, NamePair, Outcome, Params, Permutation, Progress, ProgressHook,
    Report, Seq, Set, SimulateOptions, SimulationReport, Sink, StepLabel, Trace, TraceState, Value,
    VarValue,
};
pub use lamport_core::{
    mbt, observe, trace_validation, Difference, Driver, ExhaustiveOptions, Mismatch, MismatchKind,
    Observation, RandomOptions, TestReport, TraceError, TypedAction, ValidateOptions, Validation,
    Verdict,
};
pub use lamport_macros::{model, Value};

/// The intermediate form of models (what the TLA+ exporter reads).
pub use lamport_ir as ir;

/// TLA+ export and the TLC runner.
pub use lamport_tla_export as tla;

/// Exports `model` (with its configuration's constants) as a TLA+ module and `.cfg`.
pub fn export<M: Model>(model: &M) -> Result<tla::Export, tla::ExportError> {
    let ir = model.ir().ok_or_else(|| {
        tla::ExportError::new(0, "this model was not written with #[lamport::model]")
    })?;
    let constants: tla::Constants = model
        .constants()
        .into_iter()
        .map(|(n, v)| (n.to_string(), v))
        .collect();
    let universes: tla::module::Universes = model
        .model_value_universes()
        .into_iter()
        .map(|(t, vs)| (t.to_string(), vs))
        .collect();
    let mut export = tla::export(
        &ir,
        model.config_name(),
        &constants,
        &universes,
        model.source_file(),
    )?;
    attach_refinements(&mut export, &ir, &model.refinement_targets())?;
    Ok(export)
}

/// The `INSTANCE`s and properties of a model's refinements, and the abstract models' modules
/// (each exported with its own refinements).
fn attach_refinements(
    export: &mut tla::Export,
    ir: &ir::Model,
    targets: &[RefinementTarget],
) -> Result<(), tla::ExportError> {
    for t in targets {
        let Some(r) = ir.refinements.iter().find(|r| r.instance == t.instance) else {
            continue;
        };
        let target_ir = t.ir.clone().ok_or_else(|| {
            tla::ExportError::new(
                0,
                "the abstract model was not written with #[lamport::model]",
            )
        })?;
        let constants: tla::Constants = t
            .constants
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        let universes: tla::module::Universes = t
            .universes
            .iter()
            .map(|(n, vs)| (n.to_string(), vs.clone()))
            .collect();
        let mut abstract_export = tla::export(
            &target_ir,
            &t.config_name,
            &constants,
            &universes,
            t.source_file,
        )?;
        attach_refinements(&mut abstract_export, &target_ir, &t.nested)?;
        tla::refinement::attach(export, ir, r, &target_ir, abstract_export)?;
    }
    Ok(())
}

/// The adapter that runs lamport models under stateright's checkers and Explorer.
pub use lamport_core::adapter;

/// Networks as models declare them, and the messages of a trace read through them.
pub use lamport_core::network;

/// `counterexample.html`, the page `verify` writes beside the summary.
pub use lamport_core::page;

/// Diffs of values as traces print them, and those values read back.
pub use lamport_core::{diff, tla_value};

/// Refinement checks: a model implements another under a mapping (`#[refines(..)]`).
pub use lamport_core::refinement;
pub use lamport_core::{RefinementTarget, TlaValue};

#[cfg(feature = "cli")]
pub mod cli;
pub mod equivalence;
#[cfg(feature = "cli")]
pub mod progress;
pub mod tlc_trace;
#[cfg(feature = "cli")]
pub mod verify;

#[doc(hidden)]
pub use lamport_core::__private;

/// Guards an action: unless `cond` holds, the action is not enabled in this state.
///
/// Inside `#[lamport::model]` the macro rewrites it; this definition only exists so that
/// editors resolve the name.
#[macro_export]
macro_rules! require {
    ($cond:expr $(,)?) => {
        if !($cond) {
            return ::core::default::Default::default();
        }
    };
}

/// Guards an action as a TLA+ conjunct that TLC enumerates: the action has one successor per way
/// `cond` holds (each true `||` branch, each element satisfying an `any`; products over `&&` and
/// `all`). Use it where a faithful translation must reproduce TLC's count of states generated.
///
/// Inside `#[lamport::model]` the macro rewrites it; this definition only exists so that
/// editors resolve the name.
#[macro_export]
macro_rules! require_witnesses {
    ($cond:expr $(,)?) => {
        if !($cond) {
            return ::core::default::Default::default();
        }
    };
}

/// Draws a value for the rest of an action: `let x = choose!(set);` is TLA+'s
/// `\E x \in S : <the rest of the action>`; the action has one way through it per element.
///
/// Inside `#[lamport::model]` the macro rewrites it; this definition only exists so that
/// editors resolve the name (outside a model it takes the first element).
#[macro_export]
macro_rules! choose {
    ($domain:expr $(,)?) => {
        match (&$domain).into_iter().next() {
            ::core::option::Option::Some(x) => ::core::clone::Clone::clone(&x),
            ::core::option::Option::None => return ::core::default::Default::default(),
        }
    };
}

/// Alternatives inside an action: `either! { { .. } or { .. } }` is PlusCal's `either`, TLA+'s
/// `\/`, each alternative (with the rest of the action) one way through it.
///
/// Inside `#[lamport::model]` the macro rewrites it; this definition only exists so that
/// editors resolve the name (outside a model it runs the first alternative).
#[macro_export]
macro_rules! either {
    ($first:block $(or $rest:block)*) => {
        $first
    };
}

/// Checking and simulating, as methods on every model.
pub trait ModelExt: Model + Sized {
    /// Checks exhaustively with default options (all cores, no bounds).
    fn check(&self) -> Report {
        lamport_core::check(self, &CheckOptions::default())
    }

    /// Checks exhaustively with `opts`.
    fn check_with(&self, opts: &CheckOptions) -> Report {
        lamport_core::check(self, opts)
    }

    /// Random simulation with `opts`.
    fn simulate(&self, opts: &SimulateOptions) -> SimulationReport {
        lamport_core::simulate(self, opts)
    }
}

impl<M: Model> ModelExt for M {}

/// Testing a real implementation against the model, as methods on every model with typed
/// actions (every `#[lamport::model]`): see docs/testing-implementations.md.
pub trait ActionModelExt: ActionModel + Sized {
    /// Model-based test: every transition within `opts`' bounds, replayed on fresh instances
    /// of the implementation `driver` drives.
    fn test_exhaustive<D: Driver<Self>>(
        &self,
        driver: &mut D,
        opts: &ExhaustiveOptions,
    ) -> TestReport {
        lamport_core::mbt::exhaustive(self, driver, opts)
    }

    /// Model-based test: random behaviours through proptest, a failing one shrunk.
    fn test_random<D: Driver<Self>>(&self, driver: &mut D, opts: &RandomOptions) -> TestReport {
        lamport_core::mbt::random(self, driver, opts)
    }

    /// Trace validation of a recorded execution (JSON lines or ITF). `Err` for a malformed
    /// trace, with its line.
    fn validate_trace(&self, text: &str) -> Result<Validation, TraceError> {
        lamport_core::trace_validation::validate_text(self, text, &ValidateOptions::default())
    }
}

impl<M: ActionModel> ActionModelExt for M {}

/// Everything a model module needs: `use lamport::prelude::*;`.
pub mod prelude {
    pub use crate::{
        choose, either, model_values, require, require_witnesses, ActionModelExt, Map, ModelExt,
        ModelValue, Seq, Set, Value,
    };
}
