//! Differential tests of the translation: Rust and TLA+ agree on every construct.
//!
//! The helpers of the model below cover the expression subset. For each, proptest draws random
//! arguments; the compiled Rust helper computes the result; every case becomes a line
//! `ASSUME Helper(args) = result` appended to the model's own export. Without TLC, every line
//! must parse (tree-sitter-tlaplus). With `TLA2TOOLS_JAR` set, TLC evaluates all the assumptions
//! in one run; if one is false, that helper is re-checked through TLC case by case so proptest
//! shrinks the failure to a minimal one.
//!
//! (Mutations in actions are covered by the TLC-backed model tests, not here.)

use lamport::prelude::*;
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

#[lamport::model]
pub mod exprs {
    use lamport::prelude::*;

    #[derive(Value)]
    pub enum Color {
        Red,
        Green,
        Blue,
    }

    #[derive(Value)]
    pub struct Pt {
        pub x: i64,
        pub color: Color,
    }

    #[derive(Value)]
    pub enum Msg {
        Ping { n: i64, to: i64 },
        Stop,
    }

    #[state]
    pub struct State {
        pub b: bool,
    }

    #[init]
    fn init() -> State {
        State { b: false }
    }

    #[action]
    fn flip(s: &mut State) {
        s.b = !s.b;
    }

    pub fn union(a: Set<i64>, b: Set<i64>) -> Set<i64> {
        a.union(&b)
    }
    pub fn inter(a: Set<i64>, b: Set<i64>) -> Set<i64> {
        a.intersection(&b)
    }
    pub fn minus(a: Set<i64>, b: Set<i64>) -> Set<i64> {
        a.difference(&b)
    }
    pub fn subset(a: Set<i64>, b: Set<i64>) -> bool {
        a.is_subset(&b)
    }
    pub fn member(a: Set<i64>, x: i64) -> bool {
        a.contains(&x) && !a.is_empty()
    }
    pub fn card(a: Set<i64>) -> usize {
        a.len()
    }
    pub fn filter_gt(a: Set<i64>, k: i64) -> Set<i64> {
        a.iter().filter(|x| *x > k).collect::<Set<_>>()
    }
    pub fn map_affine(a: Set<i64>, k: i64) -> Set<i64> {
        a.iter().map(|x| x * 2 - k).collect::<Set<_>>()
    }
    pub fn count_gt(a: Set<i64>, k: i64) -> usize {
        a.iter().filter(|x| *x > k).count()
    }
    pub fn count_mapped(a: Set<i64>) -> usize {
        // Counting after `map` counts elements, not distinct images.
        a.iter().map(|x| x * 0).count()
    }
    pub fn all_lt(a: Set<i64>, k: i64) -> bool {
        a.iter().all(|x| x < k)
    }
    pub fn any_eq(a: Set<i64>, k: i64) -> bool {
        a.iter().any(|x| x == k)
    }
    pub fn nested_quantifiers(a: Set<i64>, b: Set<i64>) -> bool {
        a.iter().all(|x| b.iter().any(|y| x <= y))
    }
    pub fn filtered_all(a: Set<i64>, k: i64) -> bool {
        a.iter().filter(|x| *x > k).all(|x| x > k + 1)
    }
    pub fn arith(x: i64, y: i64) -> i64 {
        (x + y) * 2 - y - -x
    }
    pub fn divmod(x: i64, y: i64) -> (i64, i64) {
        (x / y, x % y)
    }
    // Written out on purpose: the translation of each comparison is under test.
    #[allow(clippy::double_comparisons)]
    pub fn compare(x: i64, y: i64) -> bool {
        x <= y && x != y || x > y + 1
    }
    pub fn distance(x: i64, y: i64) -> i64 {
        if x < y {
            y - x
        } else {
            x - y
        }
    }
    pub fn largest(a: Set<i64>) -> Option<i64> {
        a.iter().max()
    }
    pub fn smallest_or(a: Set<i64>, d: i64) -> i64 {
        a.iter().min().unwrap_or(d)
    }
    pub fn lookup(m: Map<i64, i64>, k: i64) -> i64 {
        if m.contains_key(&k) {
            m[k]
        } else {
            -1
        }
    }
    pub fn keys(m: Map<i64, i64>) -> Set<i64> {
        m.domain()
    }
    pub fn squares(a: Set<i64>) -> Map<i64, i64> {
        a.iter().map(|x| (x, x * x)).collect::<Map<_, _>>()
    }
    pub fn big_values(m: Map<i64, i64>, k: i64) -> usize {
        m.values().filter(|v| *v > k).count()
    }
    pub fn map_size(m: Map<i64, i64>) -> (usize, bool) {
        (m.len(), m.is_empty())
    }
    pub fn seq_shape(s: Seq<i64>) -> (usize, bool) {
        (s.len(), s.is_empty())
    }
    pub fn head_or(s: Seq<i64>, d: i64) -> i64 {
        if s.is_empty() {
            d
        } else {
            s[0]
        }
    }
    pub fn last_index(s: Seq<i64>) -> i64 {
        if s.is_empty() {
            0
        } else {
            s[s.len() - 1]
        }
    }
    pub fn head_tail(s: Seq<i64>, x: i64) -> (i64, Seq<i64>, Seq<i64>) {
        let t = s.append(x);
        (t.head(), t.tail(), t.tail().append(t.head()))
    }
    pub fn concat(a: Seq<i64>, b: Seq<i64>) -> Seq<i64> {
        a.concat(&b)
    }
    pub fn seq_incr(s: Seq<i64>) -> Seq<i64> {
        s.iter().map(|x| x + 1).collect::<Seq<_>>()
    }
    pub fn seq_has(s: Seq<i64>, x: i64) -> bool {
        s.iter().any(|y| y == x)
    }
    pub fn seq_count(s: Seq<i64>, x: i64) -> usize {
        // Duplicates in a sequence count separately.
        s.iter().filter(|y| *y == x).count()
    }
    pub fn is_red(c: Color) -> bool {
        c == Color::Red
    }
    pub fn color_code(c: Color) -> i64 {
        match c {
            Color::Red => 1,
            Color::Green => 2,
            _ => 3,
        }
    }
    pub fn shift(p: Pt, d: i64) -> Pt {
        Pt {
            x: p.x + d,
            color: p.color,
        }
    }
    pub fn msg_weight(m: Msg) -> i64 {
        match m {
            Msg::Ping { n, to } if n > to => n - to,
            Msg::Ping { n, .. } => n,
            Msg::Stop => 0,
        }
    }
    pub fn make_ping(n: i64) -> Msg {
        if n > 0 {
            Msg::Ping { n, to: n + 1 }
        } else {
            Msg::Stop
        }
    }
    pub fn swap(t: (i64, bool)) -> (bool, i64) {
        (t.1, t.0)
    }
    pub fn power(a: Set<i64>) -> Set<Set<i64>> {
        a.subsets()
    }
    // `flat_map` is the construct under test (it becomes UNION).
    #[allow(clippy::flat_map_identity)]
    pub fn flatten(a: Set<Set<i64>>) -> Set<i64> {
        a.iter().flat_map(|s| s).collect::<Set<_>>()
    }
    // A `None` arm first: the pattern under test.
    #[allow(clippy::manual_unwrap_or_default, clippy::manual_unwrap_or)]
    pub fn none_first(o: Option<i64>) -> i64 {
        match o {
            None => 0,
            Some(n) => n,
        }
    }
    pub fn optional(o: Option<i64>, d: i64) -> i64 {
        match o {
            Some(v) => v + d,
            None => d,
        }
    }
    pub fn if_let(o: Option<i64>) -> bool {
        if let Some(v) = o {
            v > 0
        } else {
            o.is_none()
        }
    }
    pub fn wrap(x: i64) -> Option<i64> {
        if x > 0 {
            Some(x)
        } else {
            None
        }
    }
    pub fn lets(x: i64) -> i64 {
        let y = x * 2;
        let z = y + 1;
        z * z
    }
    pub fn range_sum_check(n: i64) -> bool {
        (0..n).all(|i| i < n) && (1..=n).any(|i| i == n)
    }
    pub fn widen(a: Set<i64>, k: i64) -> i64 {
        a.len() as i64 - k
    }
    pub fn uses_helper(a: Set<i64>, b: Set<i64>) -> usize {
        card(union(a, b))
    }
}

use exprs::{Color, Msg, Pt};

/// One case: the TLA+ call and the value the Rust helper computed.
struct Case {
    helper: &'static str,
    call: String,
    expected: String,
}

fn set() -> impl Strategy<Value = Set<i64>> {
    prop::collection::btree_set(-4i64..8, 0..5).prop_map(|s| s.into_iter().collect())
}
fn small_set() -> impl Strategy<Value = Set<i64>> {
    prop::collection::btree_set(0i64..6, 0..4).prop_map(|s| s.into_iter().collect())
}
fn map() -> impl Strategy<Value = Map<i64, i64>> {
    prop::collection::btree_map(-3i64..6, -5i64..9, 0..5).prop_map(|m| m.into_iter().collect())
}
fn seq() -> impl Strategy<Value = Seq<i64>> {
    prop::collection::vec(-3i64..4, 0..5).prop_map(|v| v.into_iter().collect())
}
fn int() -> impl Strategy<Value = i64> {
    -6i64..10
}
fn color() -> impl Strategy<Value = Color> {
    prop_oneof![Just(Color::Red), Just(Color::Green), Just(Color::Blue)]
}
fn pt() -> impl Strategy<Value = Pt> {
    (int(), color()).prop_map(|(x, color)| Pt { x, color })
}
fn msg() -> impl Strategy<Value = Msg> {
    prop_oneof![
        (int(), int()).prop_map(|(n, to)| Msg::Ping { n, to }),
        Just(Msg::Stop)
    ]
}
fn option() -> impl Strategy<Value = Option<i64>> {
    prop::option::of(int())
}

/// Draws one case: the TLA+ call and the value Rust computed.
type Gen = Box<dyn Fn(&mut TestRunner) -> (String, String)>;

/// Re-checks a helper case by case with `agrees`, letting proptest shrink a failure over the
/// helper's own strategy; returns the minimal failing case.
type Shrink = Box<dyn Fn(&dyn Fn(&str, &str) -> bool) -> String>;

fn draw<S: Strategy>(runner: &mut TestRunner, s: &S) -> S::Value {
    s.new_tree(runner).expect("strategy").current()
}

macro_rules! helper {
    ($name:literal, $strat:expr, |$args:pat_param| ($($arg:expr),*) => $result:expr) => {
        ($name, Box::new(move |runner: &mut TestRunner| {
            let $args = draw(runner, &$strat);
            let rendered: Vec<String> = vec![$(lamport::Value::tla(&$arg)),*];
            (format!("{}({})", $name, rendered.join(", ")), lamport::Value::tla(&$result))
        }) as Gen,
        Box::new(move |agrees: &dyn Fn(&str, &str) -> bool| {
            let mut runner = TestRunner::new(proptest::test_runner::Config { cases: 32, failure_persistence: None, ..proptest::test_runner::Config::default() });
            let outcome = runner.run(&$strat, |$args| {
                let rendered: Vec<String> = vec![$(lamport::Value::tla(&$arg)),*];
                let call = format!("{}({})", $name, rendered.join(", "));
                let expected = lamport::Value::tla(&$result);
                if agrees(&call, &expected) {
                    Ok(())
                } else {
                    Err(TestCaseError::fail(format!("{call} = {expected}")))
                }
            });
            match outcome {
                Err(proptest::test_runner::TestError::Fail(reason, _)) => reason.to_string(),
                other => format!("(no failure reproduced while shrinking: {other:?})"),
            }
        }) as Shrink)
    };
}

fn helpers() -> Vec<(&'static str, Gen, Shrink)> {
    use exprs::*;
    vec![
        helper!("Union", (set(), set()), |(a, b)| (a, b) => union(a.clone(), b.clone())),
        helper!("Inter", (set(), set()), |(a, b)| (a, b) => inter(a.clone(), b.clone())),
        helper!("Minus", (set(), set()), |(a, b)| (a, b) => minus(a.clone(), b.clone())),
        helper!("Subset", (small_set(), small_set()), |(a, b)| (a, b) => subset(a.clone(), b.clone())),
        helper!("Member", (set(), int()), |(a, x)| (a, x) => member(a.clone(), x)),
        helper!("Card", set(), |a| (a) => card(a.clone())),
        helper!("FilterGt", (set(), int()), |(a, k)| (a, k) => filter_gt(a.clone(), k)),
        helper!("MapAffine", (set(), int()), |(a, k)| (a, k) => map_affine(a.clone(), k)),
        helper!("CountGt", (set(), int()), |(a, k)| (a, k) => count_gt(a.clone(), k)),
        helper!("CountMapped", set(), |a| (a) => count_mapped(a.clone())),
        helper!("AllLt", (set(), int()), |(a, k)| (a, k) => all_lt(a.clone(), k)),
        helper!("AnyEq", (set(), int()), |(a, k)| (a, k) => any_eq(a.clone(), k)),
        helper!("NestedQuantifiers", (set(), set()), |(a, b)| (a, b) => nested_quantifiers(a.clone(), b.clone())),
        helper!("FilteredAll", (set(), int()), |(a, k)| (a, k) => filtered_all(a.clone(), k)),
        helper!("Arith", (int(), int()), |(x, y)| (x, y) => arith(x, y)),
        helper!("Divmod", (0i64..30, 1i64..7), |(x, y)| (x, y) => divmod(x, y)),
        helper!("Compare", (int(), int()), |(x, y)| (x, y) => compare(x, y)),
        helper!("Distance", (int(), int()), |(x, y)| (x, y) => distance(x, y)),
        helper!("Largest", set(), |a| (a) => largest(a.clone())),
        helper!("SmallestOr", (set(), int()), |(a, d)| (a, d) => smallest_or(a.clone(), d)),
        helper!("Lookup", (map(), int()), |(m, k)| (m, k) => lookup(m.clone(), k)),
        helper!("Keys", map(), |m| (m) => keys(m.clone())),
        helper!("Squares", set(), |a| (a) => squares(a.clone())),
        helper!("BigValues", (map(), int()), |(m, k)| (m, k) => big_values(m.clone(), k)),
        helper!("MapSize", map(), |m| (m) => map_size(m.clone())),
        helper!("SeqShape", seq(), |s| (s) => seq_shape(s.clone())),
        helper!("HeadOr", (seq(), int()), |(s, d)| (s, d) => head_or(s.clone(), d)),
        helper!("LastIndex", seq(), |s| (s) => last_index(s.clone())),
        helper!("HeadTail", (seq(), int()), |(s, x)| (s, x) => head_tail(s.clone(), x)),
        helper!("Concat", (seq(), seq()), |(a, b)| (a, b) => concat(a.clone(), b.clone())),
        helper!("SeqIncr", seq(), |s| (s) => seq_incr(s.clone())),
        helper!("SeqHas", (seq(), int()), |(s, x)| (s, x) => seq_has(s.clone(), x)),
        helper!("SeqCount", (seq(), -3i64..4), |(s, x)| (s, x) => seq_count(s.clone(), x)),
        helper!("IsRed", color(), |c| (c) => is_red(c)),
        helper!("ColorCode", color(), |c| (c) => color_code(c)),
        helper!("Shift", (pt(), int()), |(p, d)| (p, d) => shift(p.clone(), d)),
        helper!("MsgWeight", msg(), |m| (m) => msg_weight(m.clone())),
        helper!("MakePing", int(), |n| (n) => make_ping(n)),
        helper!("Swap", (int(), any::<bool>()), |t| (t) => swap(t)),
        helper!("Power", small_set(), |a| (a) => power(a.clone())),
        helper!("Flatten", prop::collection::btree_set(small_set(), 0..4).prop_map(|s| s.into_iter().collect::<Set<_>>()), |a| (a) => flatten(a.clone())),
        helper!("Optional", (option(), int()), |(o, d)| (o, d) => optional(o, d)),
        helper!("NoneFirst", option(), |o| (o) => none_first(o)),
        helper!("IfLet", option(), |o| (o) => if_let(o)),
        helper!("Wrap", int(), |x| (x) => wrap(x)),
        helper!("Lets", int(), |x| (x) => lets(x)),
        helper!("RangeSumCheck", 1i64..6, |n| (n) => range_sum_check(n)),
        helper!("UsesHelper", (set(), set()), |(a, b)| (a, b) => uses_helper(a.clone(), b.clone())),
        helper!("Widen", (set(), int()), |(a, k)| (a, k) => widen(a.clone(), k)),
    ]
}

const CASES_PER_HELPER: usize = 8;

fn all_cases() -> Vec<Case> {
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let mut cases = Vec::new();
    for (name, gen, _) in helpers() {
        for _ in 0..CASES_PER_HELPER {
            let (call, expected) = gen(&mut runner);
            cases.push(Case {
                helper: name,
                call,
                expected,
            });
        }
    }
    cases
}

/// The model's export with one `ASSUME` per case before the closing line.
fn module_with_assumptions(cases: &[Case]) -> (String, String, Vec<usize>) {
    let export = lamport::export(&exprs::model(exprs::Config {})).expect("the helpers export");
    let mut body = export.tla.trim_end().trim_end_matches('=').to_string();
    // Rendered function values use TLC's `:>` and `@@`.
    if !body
        .lines()
        .any(|l| l.starts_with("EXTENDS") && l.contains("TLC"))
    {
        body = body.replacen("EXTENDS ", "EXTENDS TLC, ", 1);
    }
    let mut tla = body.clone();
    let mut lines = Vec::new();
    for c in cases {
        lines.push(tla.lines().count() + 1);
        tla.push_str(&format!("ASSUME {} = {}\n", c.call, c.expected));
    }
    tla.push_str(&"=".repeat(77));
    tla.push('\n');
    (tla, export.cfg, lines)
}

#[test]
fn every_translated_helper_and_rendered_value_parses() {
    let cases = all_cases();
    assert!(cases.len() >= 300, "{} cases", cases.len());
    let (tla, _, _) = module_with_assumptions(&cases);
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_tlaplus::LANGUAGE.into())
        .unwrap();
    let tree = parser.parse(&tla, None).unwrap();
    assert!(
        !tree.root_node().has_error(),
        "the module with assumptions does not parse:\n{tla}"
    );
}

/// Runs TLC on a module of assumptions; returns the line of a false one, if any.
fn false_assumption(jar: &std::path::Path, tla: &str, cfg: &str, tag: &str) -> Option<usize> {
    use lamport::tla::tlc;
    // Removed when dropped, also when TLC fails to run.
    let dir = tempfile::Builder::new()
        .prefix(&format!("lamport-differential-{tag}-"))
        .tempdir()
        .unwrap();
    let dir = dir.path();
    std::fs::write(dir.join("Exprs.tla"), tla).unwrap();
    std::fs::write(dir.join("Exprs.cfg"), cfg).unwrap();
    let result = tlc::run_tlc(
        &dir.join("Exprs.tla"),
        &dir.join("Exprs.cfg"),
        &tlc::TlcOptions::new(jar),
    )
    .unwrap();
    match &result.outcome {
        tlc::TlcOutcome::Ok => None,
        tlc::TlcOutcome::AssumptionFalse { location } => {
            let line: usize = location
                .split_whitespace()
                .nth(1)
                .and_then(|l| l.trim_end_matches(',').parse().ok())
                .unwrap_or(0);
            Some(line)
        }
        other => panic!(
            "TLC did not evaluate the assumptions: {other}\n{}",
            result.raw
        ),
    }
}

#[test]
fn tlc_evaluates_every_case_as_rust_does() {
    let Some(jar) = lamport::tla::tools::tla2tools() else {
        return;
    };
    let cases = all_cases();
    let (tla, cfg, lines) = module_with_assumptions(&cases);
    let Some(line) = false_assumption(&jar, &tla, &cfg, "batch") else {
        return;
    };
    let failing = lines.iter().position(|l| *l == line).map(|i| &cases[i]);
    let Some(case) = failing else {
        panic!("TLC reports a false assumption at line {line}:\n{tla}")
    };
    // Shrink: re-check this helper through TLC one case at a time, letting proptest minimise.
    let shrink = helpers()
        .into_iter()
        .find(|(n, _, _)| *n == case.helper)
        .map(|(_, _, s)| s)
        .unwrap();
    let agrees = |call: &str, expected: &str| {
        let c = [Case {
            helper: case.helper,
            call: call.to_string(),
            expected: expected.to_string(),
        }];
        let (t, f, _) = module_with_assumptions(&c);
        false_assumption(&jar, &t, &f, "single").is_none()
    };
    let minimal = shrink(&agrees);
    panic!("Rust and TLA+ disagree: TLC finds `{} = {}` (Rust's value) false; minimal failing case: {minimal}", case.call, case.expected);
}
