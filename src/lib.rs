//! # lamport
//!
//! Formal specifications of distributed protocols as Rust code: write a `#[lamport::model]`
//! module, model-check it from `cargo test` with TLC's counting and shortest counterexamples,
//! and (see `lamport-tla-export`) hand the same model to TLC as a TLA+ module.
//!
//! See `docs/language.md` for the modelling language and `examples/` for complete models.

pub use lamport_core::model_values;
pub use lamport_core::{
    check, sequence_diagram, sequence_svg, simulate, ActionMeta, Cancel, CheckOptions, Definition,
    FairInstance, LivenessKind, LivenessMeta, LivenessResult, LivenessStatus, Map, Model,
    ModelMeta, ModelValue, NamePair, Outcome, Params, Permutation, Progress, ProgressHook, Report,
    Seq, Set, SimulateOptions, SimulationReport, Sink, StepLabel, Trace, TraceState, Value,
    VarValue,
};
pub use lamport_macros::{model, Value};

/// The intermediate form of models (what the TLA+ exporter reads).
pub use lamport_ir as ir;

/// TLA+ export and the TLC runner.
pub use lamport_tla_export as tla;

/// Exports `model` (with its configuration's constants) as a TLA+ module and `.cfg`.
pub fn export<M: Model>(model: &M) -> Result<tla::Export, tla::ExportError> {
    let ir = model.ir().ok_or_else(|| {
        tla::ExportError("this model was not written with #[lamport::model]".into())
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
    tla::export(
        &ir,
        model.config_name(),
        &constants,
        &universes,
        model.source_file(),
    )
}

/// The adapter that runs lamport models under stateright's checkers and Explorer.
pub use lamport_core::adapter;

/// Networks as models declare them, and the messages of a trace read through them.
pub use lamport_core::network;

/// `counterexample.html`, the page `verify` writes beside the summary.
pub use lamport_core::page;

/// Diffs of values as traces print them, and those values read back.
pub use lamport_core::{diff, tla_value};

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

/// Everything a model module needs: `use lamport::prelude::*;`.
pub mod prelude {
    pub use crate::{
        model_values, require, require_witnesses, Map, ModelExt, ModelValue, Seq, Set, Value,
    };
}
