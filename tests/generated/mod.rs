//! The generator of whole small lamport models for the differential test against TLC
//! (`tests/generated_differential.rs`).

pub mod batch;
pub mod draw;
pub mod expr;
pub mod gaps;
pub mod items;
pub mod model;
pub mod scope;
pub mod stmt;
pub mod types;
