//! Differential test of the liveness check: random transition systems, random fairness, one
//! random temporal property each, decided in-process and (with `TLA2TOOLS_JAR` set) by TLC on
//! the export. The verdicts must agree case by case; a disagreement is shrunk by proptest to a
//! minimal system. Without TLC every case still checks that the verdict is independent of the
//! number of threads and that a violation comes with a well-formed lasso.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{CheckOptions, LivenessStatus, Model, ModelExt, Outcome};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A system of states `0..4` (initially 0) and four actions, each a set of edges encoded as
/// `10 * from + to`: `weak` is weakly fair, `strong` strongly fair, `per_edge` weakly fair per
/// edge, `free` not fair. `kind` selects the one property that is not trivially true.
#[lamport::model(check_deadlock = false)]
pub mod graph {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub weak_edges: Set<i64>,
        pub strong_edges: Set<i64>,
        pub per_edge_edges: Set<i64>,
        pub free_edges: Set<i64>,
        /// 0: `<>(x = p)`; 1: `[]<>(x = p)`; 2: `(x = p) ~> (x = q)`.
        pub kind: i64,
        pub p: i64,
        pub q: i64,
    }

    #[configs]
    impl Config {
        pub fn example() -> Self {
            Config {
                weak_edges: [1, 12].into_iter().collect(),
                strong_edges: [23].into_iter().collect(),
                per_edge_edges: [30].into_iter().collect(),
                free_edges: Set::new(),
                kind: 0,
                p: 3,
                q: 0,
            }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action(e in c.weak_edges, fair)]
    fn weak(s: &mut State, c: &Config, e: i64) {
        require!(e / 10 == s.x);
        s.x = e % 10;
    }

    #[action(e in c.strong_edges, strong_fair)]
    fn strong(s: &mut State, c: &Config, e: i64) {
        require!(e / 10 == s.x);
        s.x = e % 10;
    }

    #[action(e in c.per_edge_edges, fair(e))]
    fn per_edge(s: &mut State, c: &Config, e: i64) {
        require!(e / 10 == s.x);
        s.x = e % 10;
    }

    #[action(e in c.free_edges)]
    fn free(s: &mut State, c: &Config, e: i64) {
        require!(e / 10 == s.x);
        s.x = e % 10;
    }

    fn at_q(s: &State, c: &Config) -> bool {
        c.kind != 2 || s.x == c.q
    }

    #[eventually]
    fn reaches(s: &State, c: &Config) -> bool {
        c.kind != 0 || s.x == c.p
    }

    #[always_eventually]
    fn recurs(s: &State, c: &Config) -> bool {
        c.kind != 1 || s.x == c.p
    }

    #[leads_to(at_q)]
    fn responds(s: &State, c: &Config) -> bool {
        c.kind == 2 && s.x == c.p
    }
}

fn edges() -> impl Strategy<Value = Vec<i64>> {
    proptest::collection::vec((0i64..4, 0i64..4), 0..5)
        .prop_map(|v| v.into_iter().map(|(a, b)| 10 * a + b).collect())
}

fn systems() -> impl Strategy<Value = graph::Config> {
    (
        edges(),
        edges(),
        edges(),
        edges(),
        0i64..3,
        0i64..4,
        0i64..4,
    )
        .prop_map(|(weak, strong, per_edge, free, kind, p, q)| graph::Config {
            weak_edges: weak.into_iter().collect(),
            strong_edges: strong.into_iter().collect(),
            per_edge_edges: per_edge.into_iter().collect(),
            free_edges: free.into_iter().collect(),
            kind,
            p,
            q,
        })
}

fn violated(r: &lamport::Report) -> bool {
    matches!(r.outcome, Outcome::LivenessViolated { .. })
}

#[test]
fn random_systems_get_tlcs_verdicts() {
    // Without TLC (outside CI) the in-process half still runs.
    let jar = lamport::tla::tools::tla2tools();
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: std::env::var("LAMPORT_LIVENESS_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(if jar.is_some() { 40 } else { 200 }),
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let seen = std::cell::RefCell::new([0usize; 2]);
    let result = runner.run(&systems(), |config| {
        let model = graph::model(config);
        let one = model.check_with(&CheckOptions {
            threads: 1,
            ..CheckOptions::default()
        });
        let two = model.check_with(&CheckOptions {
            threads: 2,
            ..CheckOptions::default()
        });
        prop_assert_eq!(&one.outcome, &two.outcome);
        prop_assert!(one
            .liveness
            .iter()
            .all(|l| !matches!(l.status, LivenessStatus::NotChecked(_))));
        if violated(&one) {
            let t = one.trace.as_ref().expect("a lasso");
            let k = t.loop_start.expect("a loop");
            prop_assert!(k < t.len());
        } else {
            prop_assert_eq!(&one.outcome, &Outcome::Ok);
        }
        seen.borrow_mut()[violated(&one) as usize] += 1;
        if jar.is_some() {
            let tlc = tlc_verdict(&model);
            prop_assert_eq!(
                violated(&one),
                tlc,
                "lamport {:?}, TLC violated = {}\n{}",
                one.outcome,
                tlc,
                lamport::export(&model).unwrap().cfg
            );
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // Both verdicts occur, so the comparison is not vacuous.
    let seen = seen.into_inner();
    println!("verdicts: {} hold, {} violated", seen[0], seen[1]);
    assert!(seen[0] > 0 && seen[1] > 0, "verdicts drawn: {seen:?}");
    assert!(temp_left().is_empty(), "left behind: {:?}", temp_left());
}

/// The names of this process's temporary folders begin with it.
fn temp_prefix() -> String {
    format!("lamport-liveness-differential-{}", std::process::id())
}

/// This process's temporary folders that are still there.
fn temp_left() -> Vec<std::path::PathBuf> {
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&temp_prefix()))
        .map(|e| e.path())
        .collect()
}

/// Whether TLC finds a temporal property of the export violated.
fn tlc_verdict<M: Model>(model: &M) -> bool {
    use lamport::tla::tlc;
    let export = lamport::export(model).unwrap();
    let jar = tlc::find_jar(None).expect("the jar was found before");
    // Removed when dropped, also when an assertion below fails.
    let dir = tempfile::Builder::new()
        .prefix(&temp_prefix())
        .tempdir()
        .unwrap();
    let tla = dir.path().join(format!("{}.tla", export.module));
    let cfg = dir.path().join(format!("{}.cfg", export.module));
    std::fs::write(&tla, &export.tla).unwrap();
    std::fs::write(&cfg, &export.cfg).unwrap();
    let result = tlc::run_tlc(&tla, &cfg, &tlc::TlcOptions::new(jar)).unwrap();
    match result.outcome {
        tlc::TlcOutcome::Ok => false,
        tlc::TlcOutcome::PropertyViolated { .. } => {
            assert!(
                result.trace.as_ref().is_some_and(|t| t.ends_in.is_some()),
                "TLC's counterexample is not a lasso:\n{}",
                result.raw
            );
            true
        }
        other => panic!("TLC: {other}\n{}", result.raw),
    }
}
