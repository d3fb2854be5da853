//! The command line: the server (no command, or `--stdio`), `check`, `explain` and
//! `catalog`, and their output formats. `src/main.rs` only picks the allocator and calls
//! [`main`].

mod args;
mod catalog;
mod check;
mod explain;
mod fix;
mod line_index;
mod output;
mod read;
mod report;
mod sarif;
mod walk;

use std::path::Path;
use std::process::ExitCode;

use args::{Args, CatalogCommand, CheckArgs, Command, ExplainArgs};
use line_index::LineIndex;
use walk::WalkOptions;

use crate::analysis::Config;

/// The whole program: parses the arguments (usage errors exit with status 2), then serves
/// the protocol or runs a command.
pub fn main() -> ExitCode {
    // The newest of the embedded and the cached catalogue, before anything (`--version`
    // names it) asks the catalogue.
    let cache = crate::catalog::cache::select();
    let args = Args::from_env();
    init_logging(args.log_level.as_deref());
    if let Some(warning) = cache.warning() {
        tracing::warn!("{warning}");
    }
    let stdout = std::io::stdout();
    match args.command {
        None => serve(),
        Some(Command::Check(check)) => ExitCode::from(run_check(check)),
        Some(Command::Explain(explain)) => ExitCode::from(run_explain(explain)),
        Some(Command::Catalog(CatalogCommand::Update(update))) => ExitCode::from(
            catalog::run_update(&update, &mut stdout.lock(), &mut std::io::stderr()),
        ),
        Some(Command::Catalog(CatalogCommand::Status(status))) => {
            ExitCode::from(catalog::run_status(&status, &mut stdout.lock()))
        }
        Some(Command::Completions(completions)) => run_completions(completions.shell),
    }
}

fn serve() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("iam-policy-lsp: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let shut_down = runtime.block_on(crate::lsp::serve_stdio());
    // Do not wait for blocked stdin reads: the client asked us to exit.
    runtime.shutdown_background();
    // The specification: 0 when `shutdown` came before `exit`, 1 otherwise.
    if shut_down {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn run_completions(shell: clap_complete::Shell) -> ExitCode {
    let mut script = Vec::new();
    Args::write_completions(shell, &mut script);
    let mut stdout = std::io::stdout().lock();
    match std::io::Write::write_all(&mut stdout, &script)
        .and_then(|()| std::io::Write::flush(&mut stdout))
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("iam-policy-lsp: cannot write the completion script: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_check(args: CheckArgs) -> u8 {
    let config = match args.config.as_deref().map(load_config).transpose() {
        Ok(config) => config.unwrap_or_default(),
        Err(message) => {
            eprintln!("iam-policy-lsp: {message}");
            return 2;
        }
    };
    let fix = if args.diff {
        check::FixMode::Diff
    } else if args.fix {
        check::FixMode::Write
    } else {
        check::FixMode::Off
    };
    let options = check::CheckOptions {
        format: args.format,
        config,
        walk: WalkOptions {
            respect_ignores: !args.no_ignore,
            hidden: args.hidden,
            follow: args.follow,
            only_policies: args.only_policies,
        },
        fail_on: args.fail_on,
        fix,
        policy_type: args.policy_type,
    };
    // `Report` buffers stdout itself, and flushes it before each line on stderr.
    check::run(
        &args.paths,
        &options,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
    )
}

fn run_explain(args: ExplainArgs) -> u8 {
    explain::run(
        &args.path,
        args.format,
        &mut std::io::stdout().lock(),
        &mut std::io::stderr(),
    )
}

fn load_config(path: &Path) -> Result<Config, String> {
    let decoded = read::read_limited(path)
        .and_then(|bytes| read::decode(&bytes))
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&decoded.text)
        .map_err(|e| format!("{}: not valid JSON: {e}", path.display()))?;
    let (config, problems) = Config::from_json(&value);
    for problem in problems {
        eprintln!("{}: warning: {problem}", path.display());
    }
    Ok(config)
}

/// Logs go to stderr (stdout carries the protocol): `--log-level`, else `RUST_LOG`, else warn.
fn init_logging(level: Option<&str>) {
    use tracing_subscriber::EnvFilter;
    let filter = match level {
        Some(level) => EnvFilter::try_new(level).ok(),
        None => EnvFilter::try_from_default_env().ok(),
    }
    .unwrap_or_else(|| EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}
