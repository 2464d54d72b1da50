//! Whether lamport's checker and TLC (on lamport's export) agree on a model.
//!
//! What is compared follows DESIGN §1: when both pass, the three figures (distinct states,
//! states generated, depth); at a violation or deadlock, its kind, the invariant, and the length
//! of the shortest counterexample (the counts printed at a stop depend on where in a level the
//! search stopped, so they are not compared). At a violated temporal property, the verdict
//! (both found a lasso) and the three figures, both checkers deciding liveness on the complete
//! graph; the lassos' lengths are not compared, as neither checker promises a shortest one.
//! When initial states violate different invariants, each checker reports the first initial
//! state in its own order: TLC's invariant agrees if lamport found it violated by an initial
//! state too.

use std::fmt::Write as _;

use crate::tla::tlc::{TlcOutcome, TlcResult};
use crate::{Outcome, Report};

/// One compared figure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub what: &'static str,
    pub lamport: String,
    pub tlc: String,
}

impl Row {
    pub fn agrees(&self) -> bool {
        self.lamport == self.tlc
    }
}

/// The side-by-side comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agreement {
    pub rows: Vec<Row>,
}

impl Agreement {
    pub fn agrees(&self) -> bool {
        self.rows.iter().all(Row::agrees)
    }

    pub fn to_text(&self) -> String {
        let mut out = format!("{:<22} {:>32} {:>32}\n", "", "lamport", "TLC");
        for r in &self.rows {
            let mark = if r.agrees() { "" } else { "   <-- differs" };
            let _ = writeln!(out, "{:<22} {:>32} {:>32}{mark}", r.what, r.lamport, r.tlc);
        }
        out.push_str(if self.agrees() {
            "lamport and TLC agree.\n"
        } else {
            "lamport and TLC DISAGREE.\n"
        });
        out
    }
}

/// The verdict when the initial predicate holds in no state.
const NO_STATES: &str = "no initial state";

fn verdict_of(o: &Outcome) -> String {
    match o {
        Outcome::Ok => "ok".into(),
        Outcome::InvariantViolated { invariant } => format!("invariant {invariant} violated"),
        Outcome::PropertyViolated { property } => format!("property {property} violated"),
        Outcome::LivenessViolated { .. } => "temporal property violated (lasso)".into(),
        // Reachability is checked by lamport alone: as far as TLC's checks go, all held.
        Outcome::Unreachable { .. } => "ok".into(),
        Outcome::Deadlock => "deadlock".into(),
        Outcome::ModelError { .. } => "evaluation error".into(),
        Outcome::NoInitialState => NO_STATES.into(),
        Outcome::Incomplete { .. } => "incomplete".into(),
    }
}

fn tlc_verdict(tlc: &TlcResult) -> String {
    let lasso = tlc.trace.as_ref().is_some_and(|t| t.ends_in.is_some());
    match &tlc.outcome {
        // TLC names the temporal properties its one counterexample violates (possibly several);
        // lamport names the first property with a fair violating behaviour. Both are lassos.
        TlcOutcome::PropertyViolated { .. } if lasso => "temporal property violated (lasso)".into(),
        // TLC passes a model without initial states; lamport calls it an error (it proves
        // nothing). The two say the same thing about the model.
        TlcOutcome::Ok if tlc.distinct_states == Some(0) => NO_STATES.into(),
        TlcOutcome::Ok => "ok".into(),
        TlcOutcome::InvariantViolated { invariant } => format!("invariant {invariant} violated"),
        TlcOutcome::PropertyViolated { property } => format!("property {property} violated"),
        TlcOutcome::Deadlock => "deadlock".into(),
        TlcOutcome::EvaluationError { .. } => "evaluation error".into(),
        other => format!("{other}"),
    }
}

/// TLC names a violated refinement `RefinesM == A!Spec` by the part of `M`'s `Spec` that fails:
/// its initial predicate (`Property Init is violated by the initial state`) or its
/// `[][Next]_vars` (`Action property line .. of module M`). Either is lamport's `RefinesM`.
fn refinement_verdict(report: &Report, tlc: &TlcResult) -> Option<String> {
    let Outcome::PropertyViolated { property } = &report.outcome else {
        return None;
    };
    let module = property.strip_prefix("Refines")?;
    let TlcOutcome::PropertyViolated { property: theirs } = &tlc.outcome else {
        return None;
    };
    (theirs == "Init" || theirs.ends_with(&format!(" of module {module}")))
        .then(|| verdict_of(&report.outcome))
}

fn opt(n: Option<u64>) -> String {
    n.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// Several initial states violate invariants: lamport reports the first in its order of the
/// initial states (the domains' order), TLC the first in its own (for strings, the order in
/// which it first met them while parsing). Both are counterexamples of one state; TLC's is
/// lamport's too when lamport found an initial state whose first violated invariant is TLC's.
fn other_initial_violation(report: &Report, tlc: &TlcResult) -> Option<String> {
    let Outcome::InvariantViolated { invariant: ours } = &report.outcome else {
        return None;
    };
    let TlcOutcome::InvariantViolated { invariant: theirs } = &tlc.outcome else {
        return None;
    };
    let tlc_len = match &tlc.trace {
        Some(t) => t.states.len(),
        None if tlc.constant_invariant_false() => 1,
        None => 0,
    };
    (ours != theirs
        && report.trace.as_ref().is_some_and(|t| t.len() == 1)
        && tlc_len == 1
        && report.initial_invariant_violations.contains(theirs))
    .then(|| format!("invariant {theirs} violated"))
}

/// Compares a lamport report with TLC's result on the export of the same configuration.
pub fn compare(report: &Report, tlc: &TlcResult) -> Agreement {
    let mut rows = vec![Row {
        what: "verdict",
        lamport: other_initial_violation(report, tlc)
            .unwrap_or_else(|| verdict_of(&report.outcome)),
        tlc: refinement_verdict(report, tlc).unwrap_or_else(|| tlc_verdict(tlc)),
    }];
    match report.outcome {
        // A temporal property is decided on the complete graph by both (lamport always; TLC
        // with `-lncheck final`, as `run_tlc` runs it), so at a liveness violation the figures
        // are final too. The lassos are not compared: neither checker promises a shortest one.
        Outcome::Ok | Outcome::Unreachable { .. } | Outcome::LivenessViolated { .. } => {
            rows.push(Row {
                what: "distinct states",
                lamport: report.distinct_states.to_string(),
                tlc: opt(tlc.distinct_states),
            });
            rows.push(Row {
                what: "states generated",
                lamport: report.generated_states.to_string(),
                tlc: opt(tlc.generated_states),
            });
            rows.push(Row {
                what: "depth",
                lamport: report.depth.to_string(),
                tlc: opt(tlc.depth),
            });
        }
        // A fault (an evaluation error) is the same fault only at the same step: the export
        // checks what lamport's Rust code checks (docs/export.md, "Faults"). TLC 2.15 prints
        // no behaviour for some evaluation errors (an `Assert` failing in an action); then only
        // the verdicts are compared.
        Outcome::ModelError { .. } if tlc.trace.is_none() => {}
        Outcome::NoInitialState => rows.push(Row {
            what: "distinct states",
            lamport: report.distinct_states.to_string(),
            tlc: opt(tlc.distinct_states),
        }),
        Outcome::InvariantViolated { .. }
        | Outcome::PropertyViolated { .. }
        | Outcome::Deadlock
        | Outcome::ModelError { .. } => {
            let ours = report
                .trace
                .as_ref()
                .map(|t| t.len().to_string())
                .unwrap_or_else(|| "-".into());
            let theirs = match &tlc.trace {
                Some(t) => t.states.len().to_string(),
                // An invariant TLC found FALSE before any state: violated by the first initial
                // state, as lamport finds it.
                None if tlc.constant_invariant_false() => "1".into(),
                None => "-".into(),
            };
            rows.push(Row {
                what: "counterexample states",
                lamport: ours,
                tlc: theirs,
            });
        }
        _ => {}
    }
    Agreement { rows }
}
