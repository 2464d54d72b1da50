//! The command-line runner every example hands its model to:
//!
//! ```text
//! cargo run --release --example NAME -- check    [--config C] [--threads N] [--max-depth D] [--max-states S] [--json]
//! cargo run --release --example NAME -- simulate [--config C] [--runs R] [--depth D] [--seed X] [--json]
//! cargo run --release --example NAME -- export   [--config C] --out DIR
//! cargo run --release --example NAME -- tlc      [--config C] [--workers N] [--tla2tools JAR]
//! cargo run --release --example NAME -- verify   [--config C] --out DIR [--runs R] [--depth D] [--seed X]
//! cargo run --release --example NAME -- explore  [--config C] [--port P]
//! cargo run --release --example NAME -- configs
//! ```
//!
//! Exit status: 0 everything holds (for `tlc`: lamport and TLC agree, whatever the verdict); 1 a
//! violation, deadlock or model error was found; 2 bad usage or configuration (one line on
//! stderr); 3 incomplete (a bound was hit); 4 `tlc` found that TLC and lamport disagree.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::{CheckOptions, Definition, Model, ModelExt, Outcome, SimulateOptions};

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
    /// List the named configurations.
    Configs,
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
    #[arg(long)]
    out: std::path::PathBuf,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Folder for the module, its configuration and verification_summary.md.
    #[arg(long)]
    out: std::path::PathBuf,
    /// Random behaviours in the smoke step.
    #[arg(long, default_value_t = 1000)]
    runs: u64,
    /// Steps per behaviour at most in the smoke step.
    #[arg(long, default_value_t = 100)]
    depth: u64,
    /// Seed of the smoke step.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Worker threads of the exhaustive check (default: all cores).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    threads: Option<u64>,
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
    /// Stop after this many distinct states.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    max_states: Option<u64>,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct SimulateArgs {
    #[command(flatten)]
    config: ConfigArg,
    /// Number of random behaviours.
    #[arg(long, default_value_t = 1000)]
    runs: u64,
    /// Steps per behaviour at most.
    #[arg(long, default_value_t = 100)]
    depth: u64,
    /// Seed of the random choices (same seed, same behaviours).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Print one JSON object on stdout instead of text.
    #[arg(long)]
    json: bool,
}

/// A one-line usage error: exit status 2.
fn usage_error(msg: &str) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
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

/// Runs the command line against `def`; returns the process exit status.
pub fn run<M: Model + 'static>(def: Definition<M>) -> ExitCode {
    run_from(def, std::env::args_os())
}

/// [`run`] with explicit arguments (the first is the program name).
pub fn run_from<M: Model + 'static, I, T>(def: Definition<M>, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
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
            // clap's first line names the problem; the rest is usage text.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!("{} (see --help)", first.trim_end());
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Export(a) => {
            let model = match pick(&def, &a.config) {
                Ok(m) => m,
                Err(code) => return code,
            };
            match write_export(&model, &a.out) {
                Ok((tla, cfg)) => {
                    println!("wrote {} and {}", tla.display(), cfg.display());
                    ExitCode::SUCCESS
                }
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
                    print!("{}", v.summary);
                    eprintln!("wrote {}", v.summary_path.display());
                    ExitCode::from(v.exit_code)
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
        Command::Configs => {
            for n in def.config_names() {
                println!("{n}");
            }
            ExitCode::SUCCESS
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
            opts.cancel = crate::progress::ctrl_c();
            let display = (!a.json || std::env::var_os("LAMPORT_PROGRESS").is_some())
                .then(crate::progress::Display::on_stderr);
            opts.on_progress = display.as_ref().map(|d| d.hook());
            let report = model.check_with(&opts);
            if let Some(d) = display {
                d.finish();
            }
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report.to_json()).expect("json")
                );
            } else {
                print!("{}", report.to_text());
            }
            ExitCode::from(report.outcome.exit_code())
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
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&report.to_json()).expect("json")
                );
            } else {
                print!("{}", report.to_text());
            }
            let code = match report.outcome {
                Outcome::Ok => 0,
                ref o => o.exit_code(),
            };
            ExitCode::from(code)
        }
    }
}

/// Writes `DIR/<Module>.tla` and `DIR/<Module>.cfg`.
fn write_export<M: Model>(
    model: &M,
    dir: &std::path::Path,
) -> Result<(std::path::PathBuf, std::path::PathBuf), String> {
    let export = crate::export(model).map_err(|e| format!("cannot export: {e}"))?;
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let tla = dir.join(format!("{}.tla", export.module));
    let cfg = dir.join(format!("{}.cfg", export.module));
    std::fs::write(&tla, &export.tla)
        .map_err(|e| format!("cannot write {}: {e}", tla.display()))?;
    std::fs::write(&cfg, &export.cfg)
        .map_err(|e| format!("cannot write {}: {e}", cfg.display()))?;
    Ok((tla, cfg))
}

fn run_tlc_command<M: Model>(model: &M, a: &TlcArgs) -> ExitCode {
    use crate::tla::tlc;
    let jar = match tlc::find_jar(a.tla2tools.as_deref()) {
        Ok(j) => j,
        Err(e) => return usage_error(&e.to_string()),
    };
    let dir = std::env::temp_dir().join(format!(
        "lamport-tlc-{}-{}",
        std::process::id(),
        model.config_name()
    ));
    let (tla, cfg) = match write_export(model, &dir) {
        Ok(p) => p,
        Err(msg) => return usage_error(&msg),
    };
    let opts = tlc::TlcOptions {
        workers: a.workers as usize,
        ..tlc::TlcOptions::new(jar)
    };
    let result = tlc::run_tlc(&tla, &cfg, &opts);
    let _ = std::fs::remove_dir_all(&dir);
    let result = match result {
        Ok(r) => r,
        Err(e) => return usage_error(&e.to_string()),
    };
    let report = model.check_with(&CheckOptions {
        threads: a.workers as usize,
        ..CheckOptions::default()
    });
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
