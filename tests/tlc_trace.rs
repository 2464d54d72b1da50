//! TLC's counterexamples rendered in lamport's trace form (only the changed variables per
//! step, the violated property last): from recorded TLC output, and from a live TLC run on the
//! export when `TLA2TOOLS_JAR` is set.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;
use lamport::tla::tlc;
use lamport::tlc_trace::{render_tlc_trace, tlc_ending, trace_from_tlc};
use lamport::{Model, ModelExt};

fn fixture(name: &str) -> tlc::TlcResult {
    let path = format!(
        "{}/lamport-tla-export/tests/fixtures/tlc/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let code = name.split(".rc").nth(1).and_then(|r| r.split('.').next());
    let text = std::fs::read_to_string(&path).unwrap();
    tlc::parse_tlc_output(&text, code.and_then(|c| c.parse().ok()))
}

#[test]
fn tlc_s_two_phase_commit_counterexample_in_lamport_s_form() {
    // TwoPhase.tla with TMCommit's guard weakened, as lamport's bug_commit_early; TLC prints
    // every variable of every state, in the spec's order (msgs first).
    let result = fixture("twophase_broken_invariant.rc12.out");
    let model = two_phase_commit::definition()
        .config("bug_commit_early")
        .unwrap();
    let text = render_tlc_trace(&model, result.trace.as_ref().unwrap(), &result.outcome);
    assert_eq!(
        text,
        r#"State 1: <Initial predicate>
/\ rmState = (r1 :> "working" @@ r2 :> "working" @@ r3 :> "working")
/\ tmState = "init"
/\ tmPrepared = {}
/\ msgs = {}

State 2: <RMPrepare(r1)>
  rmState[r1]: "working" → "prepared"
  msgs: + [type |-> "Prepared", rm |-> r1]

State 3: <TMRcvPrepared(r1)>
  tmPrepared: + r1

State 4: <TMCommit>
  tmState: "init" → "committed"
  msgs: + [type |-> "Commit"]

State 5: <RMRcvCommitMsg(r1)>
  rmState[r1]: "prepared" → "committed"

State 6: <RMChooseToAbort(r2)>
  rmState[r2]: "working" → "aborted"

Invariant TCConsistentInv is violated in state 6.
"#
    );
}

#[test]
fn parameters_get_the_model_s_names() {
    let result = fixture("twophase_broken_invariant.rc12.out");
    let model = two_phase_commit::definition().config("rm3").unwrap();
    let meta = model.meta();
    let vars: Vec<&'static str> = meta.variables.iter().map(|v| v.tla).collect();
    let names = |a: &str| {
        meta.actions
            .iter()
            .find(|x| x.tla == a)
            .map(|x| x.params.clone())
            .unwrap_or_default()
    };
    let trace = trace_from_tlc(result.trace.as_ref().unwrap(), &vars, &names);
    let step = trace.states[1].action.as_ref().unwrap();
    assert_eq!(step.action, "RMPrepare");
    assert_eq!(step.params, [("rm".to_string(), "r1".to_string())]);
    assert_eq!(trace.states[0].vars[0].name, "rmState");
}

#[test]
fn a_deadlock_and_a_lasso_end_as_tlc_says() {
    let dead = fixture("deadlock.rc11.out");
    let t = dead.trace.as_ref().unwrap();
    assert_eq!(t.states.len(), 4);
    let trace = trace_from_tlc(t, &["x"], &|_| Vec::new());
    assert!(
        trace.to_text().contains("State 2: <"),
        "{}",
        trace.to_text()
    );
    assert_eq!(
        tlc_ending(t, &dead.outcome),
        "Deadlock: state 4 has no successor."
    );

    let lasso = fixture("liveness_back_to.rc13.out");
    let t = lasso.trace.as_ref().unwrap();
    let trace = trace_from_tlc(t, &["x", "y"], &|_| vec!["k"]);
    let text = trace.to_text();
    // y never changes, so no step mentions it.
    assert!(
        text.contains("State 2: <Step(1)>\n  x: 0 → 1\n\n"),
        "{text}"
    );
    assert_eq!(text.matches("/\\ y = ").count(), 1, "{text}");
    assert!(!text.contains("  y: "), "{text}");
    assert_eq!(
        tlc_ending(t, &lasso.outcome),
        "Then back to state 1.\nProperty Reaches5 is violated."
    );
}

#[test]
fn a_live_tlc_counterexample_reads_like_lamport_s() {
    let Some(jar) = lamport::tla::tools::tla2tools() else {
        return;
    };
    let model = two_phase_commit::definition()
        .config("bug_commit_early")
        .unwrap();
    let export = lamport::export(&model).unwrap();
    // Removed when dropped, also when TLC fails to run.
    let tmp = tempfile::Builder::new()
        .prefix("lamport-tlc-trace-")
        .tempdir()
        .unwrap();
    let dir = tmp.path();
    let (tla, cfg) = (
        dir.join(format!("{}.tla", export.module)),
        dir.join(format!("{}.cfg", export.module)),
    );
    std::fs::write(&tla, &export.tla).unwrap();
    std::fs::write(&cfg, &export.cfg).unwrap();
    let result = tlc::run_tlc(&tla, &cfg, &tlc::TlcOptions::new(jar)).unwrap();
    drop(tmp);
    let theirs = render_tlc_trace(&model, result.trace.as_ref().unwrap(), &result.outcome);
    let ours = model.check().trace.unwrap().to_text();
    // The same steps with the same changes: diffs read TLC's printed values back, so the order
    // in which TLC lists the elements of a set does not matter (each step's lines are compared
    // as a set; the initial states are printed whole, in each checker's order).
    let steps = |t: &str| -> Vec<Vec<String>> {
        t.split("\n\n")
            .filter(|b| b.starts_with("State ") && !b.contains("<Initial predicate>"))
            .map(|b| {
                let mut lines: Vec<String> = b.lines().map(str::to_string).collect();
                lines[1..].sort();
                lines
            })
            .collect()
    };
    // TLC 2.15 (2020) prints an action's name without its arguments (`<RMPrepare line …>`):
    // with it, the steps' headers are compared by action name; current TLCs print `RMPrepare(r1)`.
    let trace = result.trace.as_ref().unwrap();
    let tlc_prints_arguments = trace
        .states
        .iter()
        .any(|s| s.action.as_deref().is_some_and(|a| a.contains('(')));
    let expected: Vec<Vec<String>> = steps(&ours)
        .into_iter()
        .map(|mut lines| {
            if !tlc_prints_arguments {
                if let Some((name, _)) = lines[0].split_once('(') {
                    lines[0] = format!("{name}>");
                }
            }
            lines
        })
        .collect();
    assert_eq!(steps(&theirs).len(), 5, "{theirs}");
    assert_eq!(steps(&theirs), expected, "TLC:\n{theirs}\nlamport:\n{ours}");
    assert!(
        theirs.ends_with("Invariant TCConsistent is violated in state 6.\n"),
        "{theirs}"
    );
}
