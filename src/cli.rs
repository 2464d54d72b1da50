//! The command-line runner every example hands its model to:
//!
//! ```text
//! cargo run --release --example NAME -- check    [--config C] [--threads N] [--max-depth D] [--max-states S] [--safety-only] [--json]
//! cargo run --release --example NAME -- simulate [--config C] [--runs R] [--depth D] [--seed X] [--json]
//! cargo run --release --example NAME -- export   [--config C] --out DIR [--safety-only]
//! cargo run --release --example NAME -- tlc      [--config C] [--workers N] [--tla2tools JAR] [--safety-only]
//! cargo run --release --example NAME -- verify   [--config C] --out DIR [--runs R] [--depth D] [--seed X]
//! cargo run --release --example NAME -- explore  [--config C] [--port P]
//! cargo run --release --example NAME -- validate-trace [--config C] --trace FILE [--max-states N] [--json]
//! cargo run --release --example NAME -- configs
//! ```
//!
//! Exit status: 0 everything holds (for `tlc`: lamport and TLC agree, whatever the verdict); 1 a
//! violation, deadlock or model error was found; 2 bad usage or configuration (one line on
//! stderr); 3 incomplete (a bound was hit); 4 `tlc` found that TLC and lamport disagree.
//! `validate-trace`: 0 the trace is explained, 1 it is not, 2 bad usage or a malformed trace
//! (with its line), 3 incomplete.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::{ActionModel, CheckOptions, Definition, Model, ModelExt, Outcome, SimulateOptions};

#[derive(Parser, Debug)]
#[command(about = "Model-check a lamport model", disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Exhaustive breadth-first check of every reachable state.
    Check(CheckArgs),
    /// Random behaviours, each checked as it goes (finds bugs fast; proves nothing).
    Simulate(SimulateArgs),
    /// Write the model as a TLA+ module and .cfg: DIR/<Module>.tla and DIR/<Module>.cfg.
    Export(ExportArgs),
    /// Check with lamport and with TLC on the export, and compare the results.
    Tlc(TlcArgs),
    /// The whole pipeline: export and parse, smoke simulation, exhaustive check, TLC when
    /// available; writes DIR/<Module>.tla, .cfg and verification_summary.md.
    Verify(VerifyArgs),
    /// Serve a web page for the model on 127.0.0.1:PORT: walk through states one action at a
    /// time (in trace notation), see every property, and run the check from the page.
    Explore(ExploreArgs),
    /// Decide whether a recorded execution (JSON lines or ITF) is a behaviour of the model:
    /// exit 0 explained, 1 not (the first unexplained event is shown), 2 malformed.
    ValidateTrace(ValidateTraceArgs),
    /// List the named configurations.
    Configs,
}

#[derive(Args, Debug)]
struct ValidateTraceArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// The trace: one JSON event per line, or an ITF trace (see docs/testing-implementations.md).
    #[arg(long)]
    trace: std::path::PathBuf,
    /// Give up (exit 3) when more model states than this explain a prefix of the trace.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_states: u64,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ExploreArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// TCP port on 127.0.0.1 to serve the Explorer on.
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u16).range(1..))]
    port: u16,
}

#[derive(Args, Debug)]
struct ExportArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Folder to write the module and configuration into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: std::path::PathBuf,
    /// Safety only: the configuration has no PROPERTY line for the temporal properties (and
    /// checks `Spec`, without fairness); invariants, step properties and deadlock stay.
    #[arg(long)]
    safety_only: bool,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Folder for the module, its configuration and verification_summary.md.
    #[arg(long, value_name = "DIR")]
    out: std::path::PathBuf,
    /// Random behaviours in the smoke step.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    /// Steps per behaviour at most in the smoke step.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    depth: u64,
    /// Seed of the smoke step.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads of the exhaustive check (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Stop the exhaustive check, incomplete, before the process uses this much memory
    /// (e.g. 100MB, 8GB, 512MiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Path to tla2tools.jar (default: the TLA2TOOLS_JAR environment variable; without it TLC
    /// is skipped).
    #[arg(long)]
    tla2tools: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
struct TlcArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// TLC worker threads (lamport uses as many).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=1024))]
    workers: u64,
    /// Safety only, on both sides: TLC's configuration has no PROPERTY line for the temporal
    /// properties, and lamport's check is `check --safety-only`.
    #[arg(long)]
    safety_only: bool,
    /// Path to tla2tools.jar (default: the TLA2TOOLS_JAR environment variable).
    #[arg(long)]
    tla2tools: Option<std::path::PathBuf>,
}

#[derive(Args, Debug)]
struct ConfigArg {
    /// Named configuration of the model's constants (default: the first declared).
    #[arg(long, short)]
    config: Option<String>,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Worker threads (default: all cores). Results are identical for any number.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
    /// Explore no state deeper than this (an initial state has depth 1).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_depth: Option<u64>,
    /// Stop at the first state found beyond this many distinct states (the figures are those
    /// of a sequential breadth-first search stopped there, for any number of threads).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_states: Option<u64>,
    /// Stop, incomplete, before the process uses this much memory (e.g. 100MB, 8GB, 512MiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Check invariants, step properties and deadlock only: the temporal properties are
    /// skipped (reported as not checked), which makes the search cheaper.
    #[arg(long)]
    safety_only: bool,
    /// Folder for the files of a large search: the frontier and the trace records past the
    /// memory they may take (default: the system's temporary folder).
    #[arg(long, value_name = "DIR")]
    spill_dir: Option<std::path::PathBuf>,
    /// Memory the frontier (and, apart, the trace records) may take before they continue on
    /// disk (default 256MiB; e.g. 64MB, 1GiB).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    spill_after: Option<u64>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct SimulateArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Number of random behaviours.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    runs: u64,
    /// Steps per behaviour at most.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..))]
    depth: u64,
    /// Seed of the random choices (same seed, same behaviours).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
}

fn parse_size(text: &str) -> Result<u64, String> {
    lamport_core::memory::parse_size(text)
}

/// A one-line usage error: exit status 2.
fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

/// clap's error in one line: its first line names the problem, except for missing arguments,
/// which it lists on the lines after.
fn one_line_error(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let rendered = e.render().to_string();
    let first = rendered
        .lines()
        .next()
        .unwrap_or("invalid arguments")
        .trim_end();
    if e.kind() == ErrorKind::MissingRequiredArgument {
        if let Some(ContextValue::Strings(missing)) = e.get(ContextKind::InvalidArg) {
            let what = if missing.len() == 1 {
                "argument was"
            } else {
                "arguments were"
            };
            return format!(
                "error: the following required {what} not provided: {}",
                missing.join(", ")
            );
        }
    }
    first.to_string()
}

fn pick<M: Model>(def: &Definition<M>, arg: &ConfigArg) -> Result<M, ExitCode> {
    let names = def.config_names();
    let name = match &arg.config {
        Some(n) => n.clone(),
        None => names.first().map(|s| s.to_string()).unwrap_or_default(),
    };
    def.config(&name).ok_or_else(|| {
        usage_error(&format!(
            "unknown configuration `{name}` for model {}; available: {}",
            def.name,
            names.join(", ")
        ))
    })
}

/// Prints a report on stdout and returns `code`; when stdout cannot take it (a full disk, a
/// closed pipe), says so on stderr and returns 2: a run whose report is lost must not look
/// like one that reported.
fn emit(text: &str, code: ExitCode) -> ExitCode {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) => {
            eprintln!("error: cannot write the report to standard output: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command line against `def`; returns the process exit status.
pub fn run<M: ActionModel + 'static>(def: Definition<M>) -> ExitCode {
    run_from(def, std::env::args_os())
}

/// [`run`] with explicit arguments (the first is the program name).
pub fn run_from<M: ActionModel + 'static, I, T>(def: Definition<M>, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    crate::progress::no_signal_on_file_size();
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
                    | ErrorKind::DisplayVersion
            ) {
                let _ = e.print();
                return if e.kind() == ErrorKind::DisplayHelp {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::from(2)
                };
            }
            eprintln!("{} (see --help)", one_line_error(&e));
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Export(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            match write_export(&model, &a.out, a.safety_only) {
                Ok((tla, cfg)) => emit(
                    &format!("wrote {} and {}\n", tla.display(), cfg.display()),
                    ExitCode::SUCCESS,
                ),
                Err(msg) => usage_error(&msg),
            }
        }
        Command::Tlc(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            run_tlc_command(&model, &a)
        }
        Command::Verify(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let mut check = CheckOptions::default();
            if let Some(t) = a.threads {
                check.threads = t as usize;
            }
            check.max_memory = a.max_memory;
            check.cancel = crate::progress::ctrl_c();
            let display = crate::progress::Display::on_stderr();
            check.on_progress = Some(display.hook());
            let opts = crate::verify::VerifyOptions {
                out: a.out,
                smoke: SimulateOptions {
                    runs: a.runs,
                    depth: a.depth,
                    seed: a.seed,
                },
                check,
                tla2tools: a.tla2tools,
            };
            let result = crate::verify::verify(&model, &opts);
            display.finish();
            match result {
                Ok(v) => {
                    eprintln!("wrote {}", v.summary_path.display());
                    emit(&v.summary, ExitCode::from(v.exit_code))
                }
                Err(msg) => usage_error(&msg),
            }
        }
        Command::Explore(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            explore(model, a.port)
        }
        Command::ValidateTrace(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            validate_trace_command(&model, &a)
        }
        Command::Configs => {
            let names: String = def
                .config_names()
                .iter()
                .map(|n| format!("{n}\n"))
                .collect();
            emit(&names, ExitCode::SUCCESS)
        }
        Command::Check(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let mut opts = CheckOptions::default();
            if let Some(t) = a.threads {
                opts.threads = t as usize;
            }
            opts.max_depth = a.max_depth;
            opts.max_states = a.max_states;
            opts.max_memory = a.max_memory;
            opts.safety_only = a.safety_only;
            opts.spill_dir = a.spill_dir;
            opts.spill_after = a.spill_after;
            opts.cancel = crate::progress::ctrl_c();
            let display = (!a.json || std::env::var_os("LAMPORT_PROGRESS").is_some())
                .then(crate::progress::Display::on_stderr);
            opts.on_progress = display.as_ref().map(|d| d.hook());
            let report = model.check_with(&opts);
            if let Some(d) = display {
                d.finish();
            }
            let text = if a.json {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report.to_json()).expect("json")
                )
            } else {
                report.to_text()
            };
            emit(&text, ExitCode::from(report.outcome.exit_code()))
        }
        Command::Simulate(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            let report = model.simulate(&SimulateOptions {
                runs: a.runs,
                depth: a.depth,
                seed: a.seed,
            });
            let text = if a.json {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report.to_json()).expect("json")
                )
            } else {
                report.to_text()
            };
            let code = match report.outcome {
                Outcome::Ok => 0,
                ref o => o.exit_code(),
            };
            emit(&text, ExitCode::from(code))
        }
    }
}

fn validate_trace_command<M: ActionModel>(model: &M, a: &ValidateTraceArgs) -> ExitCode {
    use crate::trace_validation::{validate_text, ValidateOptions};
    let text = match std::fs::read_to_string(&a.trace) {
        Ok(t) => t,
        Err(e) => return usage_error(&format!("cannot read {}: {e}", a.trace.display())),
    };
    let opts = ValidateOptions {
        max_states: a.max_states as usize,
    };
    match validate_text(model, &text, &opts) {
        Err(e) if e.line > 0 => {
            usage_error(&format!("{}:{}: {}", a.trace.display(), e.line, e.message))
        }
        Err(e) => usage_error(&format!("{}: {}", a.trace.display(), e.message)),
        Ok(v) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&v.to_json()).expect("json")
                );
            } else {
                print!("{}", v.to_text());
            }
            ExitCode::from(v.exit_code())
        }
    }
}

/// Writes `DIR/<Module>.tla` and `DIR/<Module>.cfg`.
fn write_export<M: Model>(
    model: &M,
    dir: &std::path::Path,
    safety_only: bool,
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let export = crate::export(model).map_err(|e| format!("cannot export: {e}"))?;
    let export = match model.ir() {
        Some(ir) if safety_only => export.safety_only(&ir),
        _ => export,
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tla = dir.join(format!("{}.tla", export.module));
    let cfg = dir.join(format!("{}.cfg", export.module));
    // Both written under temporary names first, then renamed: a failed write (a full disk)
    // leaves the earlier pair as it was, never a new module beside an old configuration.
    let staged = |path: &std::path::Path| {
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".lamport-{}", std::process::id()));
        std::path::PathBuf::from(name)
    };
    let (tla_tmp, cfg_tmp) = (staged(&tla), staged(&cfg));
    let written = std::fs::write(&tla_tmp, &export.tla)
        .map_err(|e| format!("cannot write {}: {e}", tla.display()))
        .and_then(|()| {
            std::fs::write(&cfg_tmp, &export.cfg)
                .map_err(|e| format!("cannot write {}: {e}", cfg.display()))
        })
        .and_then(|()| {
            std::fs::rename(&tla_tmp, &tla)
                .and_then(|()| std::fs::rename(&cfg_tmp, &cfg))
                .map_err(|e| format!("cannot write {}: {e}", dir.display()))
        });
    let written = written.and_then(|()| {
        // The modules it instantiates (the abstract models of its refinements).
        export.modules.iter().try_for_each(|(name, text)| {
            let path = dir.join(format!("{name}.tla"));
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        })
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&tla_tmp);
        let _ = std::fs::remove_file(&cfg_tmp);
    }
    written.map(|()| (tla, cfg))
}

/// `tlc`: TLC on the export, then lamport's check, and the comparison.
///
/// Exit status: 0 the two agree; 4 they disagree, or TLC rejects what lamport exported (both are
/// lamport bugs); 2 TLC could not be run or reached no verdict (no jar, not a TLC jar, no Java,
/// TLC crashed or ran out of memory); 3 interrupted (Ctrl-C or SIGTERM): TLC's process is
/// stopped and the temporary files are removed.
fn run_tlc_command<M: Model>(model: &M, a: &TlcArgs) -> ExitCode {
    use crate::tla::tlc;
    let jar = match tlc::find_jar(a.tla2tools.as_deref()) {
        Ok(j) => j,
        Err(e) => return usage_error(&e.to_string()),
    };
    let cancel = crate::progress::ctrl_c();
    let stopped = || cancel.as_ref().is_some_and(crate::Cancel::is_cancelled);
    // The export and everything TLC writes live in one temporary folder, removed when this
    // function returns (or when an interruption unwinds it).
    let dir = match tempfile::Builder::new().prefix("lamport-tlc-").tempdir() {
        Ok(d) => d,
        Err(e) => {
            return usage_error(&format!(
                "cannot create a temporary folder in {}: {e}",
                std::env::temp_dir().display()
            ))
        }
    };
    let export = match crate::export(model) {
        Ok(e) => e,
        Err(e) => return usage_error(&format!("cannot export: {e}")),
    };
    let (tla, cfg) = match write_export(model, dir.path(), a.safety_only) {
        Ok(p) => p,
        Err(msg) => return usage_error(&msg),
    };
    let opts = tlc::TlcOptions {
        workers: a.workers as usize,
        ..tlc::TlcOptions::new(jar)
    };
    let show = |line: &str| {
        if is_tlc_progress(line) {
            eprintln!("TLC: {line}");
        }
    };
    let control = tlc::TlcControl {
        stop: Some(&stopped),
        on_line: Some(&show),
    };
    let result = tlc::run_tlc_with(&tla, &cfg, &opts, &control);
    let result = match result {
        Ok(r) => r,
        Err(tlc::TlcError::Interrupted) => {
            drop(dir);
            return interrupted("TLC was stopped before it finished");
        }
        Err(e) => return usage_error(&e.to_string()),
    };
    drop(dir);
    if let Some(failure) = result.failure() {
        return tlc_failure(model, &export, &failure);
    }
    let display = crate::progress::Display::on_stderr();
    let report = model.check_with(&CheckOptions {
        threads: a.workers as usize,
        safety_only: a.safety_only,
        cancel: cancel.clone(),
        on_progress: Some(display.hook()),
        ..CheckOptions::default()
    });
    display.finish();
    if stopped() {
        return interrupted("TLC finished, lamport's check was stopped");
    }
    let agreement = crate::equivalence::compare(&report, &result);
    println!(
        "model {} (configuration {}), TLC with {} worker(s)",
        report.model, report.config, a.workers
    );
    print!("{}", agreement.to_text());
    if let Some(trace) = &result.trace {
        println!(
            "\nTLC's counterexample ({} states), each step with only the variables it changed:\n",
            trace.states.len()
        );
        print!(
            "{}",
            crate::tlc_trace::render_tlc_trace(model, trace, &result.outcome)
        );
    }
    if !agreement.agrees() {
        eprintln!("TLC's output:\n{}", result.raw);
        return ExitCode::from(4);
    }
    // `tlc` answers whether the two checkers agree; the verdict itself is in the table (and
    // `check` gives it as an exit status).
    ExitCode::SUCCESS
}

/// TLC's lines worth showing while it runs: its phases and periodic figures.
fn is_tlc_progress(line: &str) -> bool {
    [
        "Starting...",
        "Computing initial states",
        "Finished computing initial states",
        "Progress(",
        "Checking ",
    ]
    .iter()
    .any(|p| line.starts_with(p))
}

/// The one-line report of an interrupted `tlc` (exit status 3).
fn interrupted(what: &str) -> ExitCode {
    println!("Interrupted: {what}; nothing was compared. Temporary files removed.");
    ExitCode::from(3)
}

/// TLC reached no verdict: a rejected export is lamport's bug (exit status 4), anything else a
/// failure to run TLC (exit status 2).
fn tlc_failure<M: Model>(
    model: &M,
    export: &crate::tla::Export,
    failure: &crate::tla::tlc::TlcFailure,
) -> ExitCode {
    use crate::tla::tlc::{sany_excerpt, sany_summary, TlcFailure};
    let what = format!(
        "{} (configuration {})",
        model.meta().name,
        model.config_name()
    );
    match failure {
        TlcFailure::ModuleRejected { message } => {
            eprintln!(
                "error: lamport bug: SANY rejects the export of {what}: {}",
                sany_summary(message)
            );
            eprint!("{}", sany_excerpt(&export.tla, &export.module, message, 3));
            eprintln!(
                "(write the export with `export --config {} --out DIR` to see all of it)",
                model.config_name()
            );
            ExitCode::from(4)
        }
        TlcFailure::ConfigRejected { message } => {
            eprintln!(
                "error: lamport bug: TLC rejects the configuration exported for {what}: {}",
                message.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            ExitCode::from(4)
        }
        TlcFailure::NoVerdict { .. } => {
            eprintln!("error: TLC did not finish on {what}, so nothing was compared: {failure}");
            ExitCode::from(2)
        }
    }
}

/// Serves the Explorer until the process is stopped.
fn explore<M: Model + 'static>(model: M, port: u16) -> ExitCode {
    let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
    let listener = match std::net::TcpListener::bind(address) {
        Ok(listener) => listener,
        Err(e) => return usage_error(&format!("cannot listen on {address}: {e}")),
    };
    eprintln!(
        "Explorer for {} (configuration {}) on http://{address}/ (Ctrl-C to stop)",
        model.meta().name,
        model.config_name()
    );
    lamport_core::explorer::serve(model, listener);
    ExitCode::SUCCESS
}
