//! lamport-core: the value types of lamport's modelling language, the interface models implement,
//! the breadth-first checker with TLC's counting, random simulation, traces and reports.

pub mod adapter;
pub mod check;
pub mod diff;
pub mod explorer;
mod fault;
pub mod liveness;
pub mod mbt;
pub mod memory;
pub mod model;
pub mod network;
pub mod observe;
pub mod pack;
pub mod page;
mod panics;
#[doc(hidden)]
pub mod private;
pub mod progress;
pub mod refinement;
pub mod report;
pub mod sequence;
pub mod simulate;
pub mod tla_value;
pub mod trace_validation;
pub mod value;

pub use check::{check, CheckOptions};
pub use liveness::{LivenessResult, LivenessStatus};
pub use mbt::{Driver, ExhaustiveOptions, Mismatch, MismatchKind, RandomOptions, TestReport};
pub use model::{
    ActionMeta, ActionModel, Definition, FairInstance, LivenessKind, LivenessMeta, Model,
    ModelMeta, NamePair, Params, RefinementTarget, Sink, TypedAction, VarValue,
};
pub use observe::{Difference, Observation};
pub use pack::Pack;
pub use progress::{Cancel, Progress, ProgressHook};
pub use report::{Outcome, Report, StepLabel, Trace, TraceState};
pub use sequence::{sequence_diagram, sequence_svg};
pub use simulate::{simulate, SimulateOptions, SimulationReport};
pub use tla_value::TlaValue;
pub use trace_validation::{TraceError, ValidateOptions, Validation, Verdict};
pub use value::{Map, ModelValue, Permutation, Seq, Set, Value};

/// The path `model_values!` expands through.
#[doc(hidden)]
pub use private as __private;
