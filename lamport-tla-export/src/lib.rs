//! lamport-tla-export: the TLA+ side of lamport.
//!
//! [`module::export`] turns a model's IR (see `lamport-ir`) and one configuration's constants into
//! a `.tla` module and a `.cfg` file that TLC checks with the same numbers as lamport's checker;
//! [`tlc`] runs TLC and SANY and parses their output; [`tools`] is how tests find TLC and the
//! other tools they need.

/// The TLA+ expression tree (defined in `lamport-ir`, whose operations table builds it).
pub use lamport_ir::tla as ast;
pub mod module;
pub mod print;
pub mod refinement;
mod safety;
#[cfg(feature = "syntax")]
pub mod syntax;
pub mod tlc;
pub mod tools;
pub mod translate;

pub use module::{export, Constants, Export};
pub use translate::ExportError;
