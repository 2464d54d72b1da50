//! A batch of generated models: written as modules of one crate that depends on lamport by path,
//! built once (in a target directory kept between runs, so lamport's own crates are built only
//! when they change), then run: each model checked in-process, exported, and checked by TLC, in
//! a few processes side by side. Each result is classified against the known gaps.

use std::collections::{BTreeMap, BTreeSet};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use super::gaps::Gaps;
use super::model::{Gen, Generated};

/// What a run does, from the environment.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `LAMPORT_GEN_SEED` (default 1).
    pub seed: u64,
    /// `LAMPORT_GEN_MODELS`: how many models (indices `0..models`).
    pub models: u64,
    /// `LAMPORT_GEN_ONLY=3,17`: only these indices.
    pub only: Option<Vec<u64>>,
    /// `LAMPORT_GEN_CHUNK`: models per build (default 100).
    pub chunk: usize,
    /// `LAMPORT_GEN_JOBS`: batch processes side by side (default 2).
    pub jobs: usize,
    /// `LAMPORT_GEN_MAX_STATES`: a model with more distinct states is skipped as too big.
    pub max_states: u64,
    /// `LAMPORT_GEN_KEEP`: keep the generated crate.
    pub keep: bool,
    /// TLA2TOOLS_JAR.
    pub jar: Option<PathBuf>,
    /// `LAMPORT_GEN_FILE=a.rs,b.rs`: run these hand-written models (each a `#[lamport::model]
    /// pub mod gN { ... }` with `Config::small()`, distinct `N`s) alone, through the same
    /// pipeline: the way to check minimised findings.
    pub file: Option<Vec<PathBuf>>,
}

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v}: expected a number")),
        _ => default,
    }
}

impl Settings {
    pub fn from_env(default_models: u64, jar: Option<PathBuf>) -> Settings {
        let only = std::env::var("LAMPORT_GEN_ONLY")
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| {
                v.split(',')
                    .map(|i| {
                        i.trim()
                            .parse()
                            .unwrap_or_else(|_| panic!("LAMPORT_GEN_ONLY={v}: expected indices"))
                    })
                    .collect()
            });
        Settings {
            seed: env_num("LAMPORT_GEN_SEED", 1),
            models: env_num("LAMPORT_GEN_MODELS", default_models),
            only,
            chunk: env_num("LAMPORT_GEN_CHUNK", 100).max(1) as usize,
            jobs: env_num("LAMPORT_GEN_JOBS", 2).max(1) as usize,
            max_states: env_num("LAMPORT_GEN_MAX_STATES", 20_000),
            keep: std::env::var_os("LAMPORT_GEN_KEEP").is_some(),
            jar,
            file: std::env::var("LAMPORT_GEN_FILE")
                .ok()
                .filter(|f| !f.trim().is_empty())
                .map(|f| f.split(',').map(|p| PathBuf::from(p.trim())).collect()),
        }
    }

    pub fn indices(&self) -> Vec<u64> {
        if let Some(files) = &self.file {
            return files.iter().map(|f| hand_written(f).index).collect();
        }
        match &self.only {
            Some(v) => v.clone(),
            None => (0..self.models).collect(),
        }
    }
}

/// How one model ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// lamport and TLC agree (or, without TLC, lamport checked and exported it).
    Agree,
    /// More distinct states than `max_states`: not compared.
    TooBig,
    /// A disagreement of a known gap's fault class.
    Known { finding: &'static str, what: String },
    /// A disagreement, a refused export, a compile error: a bug to look at.
    Fail(String),
}

/// The result of one model.
#[derive(Clone, Debug)]
pub struct ModelResult {
    pub index: u64,
    pub verdict: Verdict,
    /// lamport's verdict (`ok`, `invariant`, `deadlock`, `error`, ...).
    pub lamport: String,
    /// Where its files are (kept for failures).
    pub dir: PathBuf,
    /// Both checkers' verdicts and figures, one line each.
    pub summary: String,
    /// Seconds lamport's check and TLC took.
    pub seconds: (f64, f64),
    /// lamport's distinct states and depth.
    pub size: (u64, u64),
}

/// Everything a run produced.
pub struct BatchReport {
    pub results: Vec<ModelResult>,
    /// Seconds spent building the batches, and running them.
    pub build_seconds: f64,
    pub run_seconds: f64,
    pub features: BTreeMap<&'static str, usize>,
}

/// The base directory: `target/tmp/lamport-gen` (the target directory of the generated crates,
/// and the kept files of failing models).
pub fn base_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lamport-gen")
}

/// Generates, builds and runs the models of `settings`.
pub fn run(settings: &Settings, gaps: &Gaps) -> BatchReport {
    let base = base_dir();
    let runs = match &settings.file {
        Some(_) => base.join("runs").join("files"),
        None => base.join("runs").join(format!("seed-{}", settings.seed)),
    };
    let _ = std::fs::remove_dir_all(&runs);
    std::fs::create_dir_all(&runs).expect("create the runs directory");
    let krate = tempfile::Builder::new()
        .prefix("lamport-gen-batch-")
        .tempdir()
        .expect("a temporary directory");
    let mut results = Vec::new();
    let mut features: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut build_seconds, mut run_seconds) = (0.0, 0.0);
    for chunk in settings.indices().chunks(settings.chunk) {
        let models: Vec<Generated> = match &settings.file {
            Some(files) => files.iter().map(|f| hand_written(f)).collect(),
            None => chunk
                .iter()
                .map(|&i| Gen::generate(settings.seed, i, gaps))
                .collect(),
        };
        for m in &models {
            for f in &m.features {
                *features.entry(f).or_default() += 1;
            }
            let dir = runs.join(&m.module);
            std::fs::create_dir_all(&dir).expect("create a model's directory");
            std::fs::write(dir.join("model.rs"), &m.source).expect("write a model");
        }
        let started = std::time::Instant::now();
        let (binary, compile_errors) = build(krate.path(), &models);
        build_seconds += started.elapsed().as_secs_f64();
        for (index, message) in &compile_errors {
            results.push(ModelResult {
                index: *index,
                verdict: Verdict::Fail(format!("does not compile:\n{message}")),
                lamport: "-".into(),
                dir: runs.join(format!("g{index}")),
                summary: String::new(),
                seconds: (0.0, 0.0),
                size: (0, 0),
            });
        }
        let built: Vec<u64> = models
            .iter()
            .map(|m| m.index)
            .filter(|i| !compile_errors.contains_key(i))
            .collect();
        if let Some(binary) = binary {
            let started = std::time::Instant::now();
            for line in execute(&binary, &built, settings, &runs) {
                results.push(classify(&line, gaps, &runs));
            }
            run_seconds += started.elapsed().as_secs_f64();
        }
    }
    if settings.keep {
        println!("generated crate kept at {}", krate.keep().display());
    }
    results.sort_by_key(|r| r.index);
    // Only the files of models worth looking at are kept.
    for r in &results {
        if matches!(r.verdict, Verdict::Agree | Verdict::TooBig)
            && settings.only.is_none()
            && settings.file.is_none()
        {
            let _ = std::fs::remove_dir_all(&r.dir);
        }
    }
    BatchReport {
        results,
        features,
        build_seconds,
        run_seconds,
    }
}

/// A hand-written model file, as if generated: its module must be named `g<N>`.
fn hand_written(file: &Path) -> Generated {
    let source = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("LAMPORT_GEN_FILE={}: {e}", file.display()));
    let module = source
        .split("pub mod ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .filter(|m| m.starts_with('g') && m[1..].parse::<u64>().is_ok())
        .unwrap_or_else(|| {
            panic!(
                "LAMPORT_GEN_FILE={}: expected `pub mod g<N> {{ ... }}`",
                file.display()
            )
        })
        .to_string();
    Generated {
        index: module[1..].parse().unwrap(),
        module,
        config: "small".into(),
        source,
        features: Default::default(),
    }
}

const MANIFEST: &str = r#"[package]
name = "lamport-gen-batch"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
lamport = { path = "@ROOT@", default-features = false }
serde_json = "1"

[profile.dev]
debug = false
incremental = false

[workspace]
"#;

/// Writes the crate for `models` into `dir` and builds it, leaving out models that do not
/// compile (reported with the compiler's messages). Returns the binary, if anything built.
fn build(dir: &Path, models: &[Generated]) -> (Option<PathBuf>, BTreeMap<u64, String>) {
    let root = env!("CARGO_MANIFEST_DIR");
    std::fs::write(
        dir.join("Cargo.toml"),
        MANIFEST.replace("@ROOT@", &root.replace('\\', "/")),
    )
    .expect("write Cargo.toml");
    let lock = Path::new(root).join("Cargo.lock");
    if lock.is_file() && !dir.join("Cargo.lock").is_file() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).expect("copy Cargo.lock");
    }
    let src = dir.join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(src.join("models")).expect("create src/models");
    std::fs::write(src.join("main.rs"), include_str!("runner.rs")).expect("write main.rs");
    for m in models {
        std::fs::write(
            src.join("models").join(format!("{}.rs", m.module)),
            &m.source,
        )
        .expect("write a model");
    }
    let mut failed: BTreeMap<u64, String> = BTreeMap::new();
    loop {
        let live: Vec<&Generated> = models
            .iter()
            .filter(|m| !failed.contains_key(&m.index))
            .collect();
        if live.is_empty() {
            return (None, failed);
        }
        std::fs::write(src.join("models.rs"), dispatch(&live)).expect("write models.rs");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let out = Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "--message-format=short",
                "--manifest-path",
            ])
            .arg(dir.join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", base_dir().join("target"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("run cargo");
        if out.status.success() {
            return (
                Some(
                    base_dir()
                        .join("target")
                        .join("debug")
                        .join(format!("lamport-gen-batch{}", std::env::consts::EXE_SUFFIX)),
                ),
                failed,
            );
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        let mut blamed: BTreeMap<u64, Vec<String>> = BTreeMap::new();
        for line in stderr.lines() {
            if let Some(i) = blamed_model(line) {
                blamed.entry(i).or_default().push(line.to_string());
            }
        }
        if blamed.is_empty() {
            panic!("the generated batch does not build, and no model is to blame:\n{stderr}");
        }
        for (i, lines) in blamed {
            failed.insert(i, lines.join("\n"));
        }
    }
}

/// The model index named by a compiler message `src/models/g17.rs:3:5: error: ...`.
fn blamed_model(line: &str) -> Option<u64> {
    let at = line.find("src/models/g")?;
    let rest = &line[at + "src/models/g".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    if !line.contains("error") {
        return None;
    }
    digits.parse().ok()
}

/// `models.rs`: one module per model and a dispatch from index to model.
fn dispatch(models: &[&Generated]) -> String {
    let mut out = String::new();
    for m in models {
        out.push_str(&format!("pub mod {};\n", m.module));
    }
    out.push_str(
        "\npub fn run(i: u64, ctx: &crate::Ctx) -> Option<serde_json::Value> {\n    match i {\n",
    );
    for m in models {
        out.push_str(&format!(
            "        {i} => Some(crate::run_model({i}, {g}::{g}::model({g}::{g}::Config::{c}()), ctx)),\n",
            i = m.index,
            g = m.module,
            c = m.config
        ));
    }
    out.push_str("        _ => None,\n    }\n}\n");
    out
}

/// Runs the batch binary on `indices`, split over `settings.jobs` processes; one JSON value per
/// model.
fn execute(binary: &Path, indices: &[u64], settings: &Settings, out: &Path) -> Vec<Value> {
    let jobs = settings.jobs.min(indices.len()).max(1);
    let mut children = Vec::new();
    for j in 0..jobs {
        let mine: Vec<String> = indices
            .iter()
            .skip(j)
            .step_by(jobs)
            .map(|i| i.to_string())
            .collect();
        if mine.is_empty() {
            continue;
        }
        let mut cmd = Command::new(binary);
        cmd.arg("--out")
            .arg(out)
            .args(["--max-states", &settings.max_states.to_string()]);
        if let Some(jar) = &settings.jar {
            cmd.arg("--jar").arg(jar);
        }
        cmd.args(&mine).stdout(Stdio::piped());
        children.push((mine, cmd.spawn().expect("start the batch binary")));
    }
    let mut lines = Vec::new();
    for (mine, mut child) in children {
        let stdout = child.stdout.take().unwrap();
        let mut seen = BTreeSet::new();
        for line in std::io::BufReader::new(stdout).lines() {
            let line = line.expect("read the batch's output");
            let v: Value = serde_json::from_str(&line)
                .unwrap_or_else(|e| panic!("batch output is not JSON ({e}): {line}"));
            seen.insert(v["index"].as_u64().unwrap_or(u64::MAX).to_string());
            lines.push(v);
        }
        let status = child.wait().expect("wait for the batch binary");
        // A crash (a stack overflow, say) loses the rest of that process's models: each is
        // reported.
        for i in mine.iter().filter(|i| !seen.contains(*i)) {
            lines.push(serde_json::json!({
                "index": i.parse::<u64>().unwrap(),
                "panic": format!("the batch process died ({status}) before reporting this model (or while running it)"),
            }));
        }
    }
    lines
}

fn num(v: &Value) -> String {
    v.as_u64()
        .map(|n| n.to_string())
        .unwrap_or_else(|| "-".into())
}

/// Classifies one model's line.
fn classify(v: &Value, gaps: &Gaps, runs: &Path) -> ModelResult {
    let index = v["index"].as_u64().unwrap_or(u64::MAX);
    let dir = runs.join(format!("g{index}"));
    let l = &v["lamport"];
    let lamport = l["verdict"].as_str().unwrap_or("-").to_string();
    let summary = summary(v);
    let verdict = verdict_of(v, gaps);
    ModelResult {
        index,
        verdict,
        lamport,
        dir,
        summary,
        seconds: (
            l["seconds"].as_f64().unwrap_or(0.0),
            v["tlc"]["seconds"].as_f64().unwrap_or(0.0),
        ),
        size: (
            l["distinct"].as_u64().unwrap_or(0),
            l["depth"].as_u64().unwrap_or(0),
        ),
    }
}

fn verdict_of(v: &Value, gaps: &Gaps) -> Verdict {
    if let Some(p) = v["panic"].as_str() {
        return Verdict::Fail(format!("panicked outside model code: {p}"));
    }
    if v["missing"].as_bool() == Some(true) {
        return Verdict::Fail("not in the built batch".into());
    }
    let l = &v["lamport"];
    let lv = l["verdict"].as_str().unwrap_or("-");
    if lv == "incomplete" {
        return Verdict::TooBig;
    }
    if let Some(e) = v["export_error"].as_str() {
        return Verdict::Fail(format!(
            "lamport checks the model ({lv}) but refuses to export it: {e}"
        ));
    }
    if let Some(e) = v["tlc_error"].as_str() {
        return Verdict::Fail(format!("TLC could not be run: {e}"));
    }
    let t = &v["tlc"];
    if t.is_null() {
        return Verdict::Agree;
    }
    let tv = t["verdict"].as_str().unwrap_or("-");
    let figures = |what: &str| format!("{what}\n{}", summary(v));
    if tv == "parse_error" {
        return Verdict::Fail(figures("SANY rejects the export"));
    }
    // What agreeing means is `lamport::equivalence`'s rule, as for the `tlc` command.
    let agree = v["agrees"].as_bool() == Some(true);
    if agree {
        return Verdict::Agree;
    }
    if let Some(k) = gaps.known_disagreement(l, t) {
        return Verdict::Known {
            finding: k.finding,
            what: figures("lamport and TLC disagree"),
        };
    }
    Verdict::Fail(figures("lamport and TLC disagree"))
}

/// Both sides' verdicts and figures.
fn summary(v: &Value) -> String {
    let side = |name: &str, x: &Value| {
        format!(
            "  {name:8} {} {} (distinct {}, generated {}, depth {}, trace {})",
            x["verdict"].as_str().unwrap_or("-"),
            first_lines(x["detail"].as_str().unwrap_or(""), 6),
            num(&x["distinct"]),
            num(&x["generated"]),
            num(&x["depth"]),
            num(&x["trace"]),
        )
    };
    format!(
        "{}\n{}",
        side("lamport:", &v["lamport"]),
        side("TLC:", &v["tlc"])
    )
}

fn first_lines(s: &str, n: usize) -> String {
    s.lines().take(n).collect::<Vec<_>>().join(" | ")
}
