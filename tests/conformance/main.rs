//! The conformance corpus: faithful translations of public TLA+ specifications into lamport's
//! language. Each reproduces TLC's figures from REFERENCE.md in-process, and TLC reports the same
//! figures on its export (when `TLA2TOOLS_JAR` is set).

mod common;
mod craq;
mod paxos;
mod simplified_fast_paxos;
mod tcommit;
mod two_pc_with_btm;
mod voting;
