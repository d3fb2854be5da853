use std::io::Write;
use std::process::ExitCode;

use iam_policy_lsp::analysis::Config;
use iam_policy_lsp::cli::args::{self, Command};
use iam_policy_lsp::{cli, lsp, version};

// The analysis allocates a tree node per JSON value on every keystroke; glibc's allocator
// spent a fifth of the analysis of large policies in malloc/free, mimalloc a third of that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = match args::parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("iam-policy-lsp: {message}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    init_logging(args.log_level.as_deref());
    match args.command {
        Command::Help => {
            print!("{}", args::USAGE);
            ExitCode::SUCCESS
        }
        Command::Version => {
            println!("iam-policy-lsp {}", version::long());
            ExitCode::SUCCESS
        }
        Command::Serve => serve(),
        Command::Check {
            format,
            config,
            paths,
        } => {
            let config = match config.map(|path| load_config(&path)).transpose() {
                Ok(config) => config.unwrap_or_default(),
                Err(message) => {
                    eprintln!("iam-policy-lsp: {message}");
                    return ExitCode::from(2);
                }
            };
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let report = cli::check(&paths, format, config, &mut out, &mut std::io::stderr());
            let _ = out.flush();
            ExitCode::from(report.exit_code as u8)
        }
        Command::Explain { format, path } => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            let status = cli::explain(&path, format, &mut out, &mut std::io::stderr());
            let _ = out.flush();
            ExitCode::from(status as u8)
        }
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
    let shut_down = runtime.block_on(lsp::serve_stdio());
    // Do not wait for blocked stdin reads: the client asked us to exit.
    runtime.shutdown_background();
    // The specification: 0 when `shutdown` came before `exit`, 1 otherwise.
    if shut_down {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn load_config(path: &std::path::Path) -> Result<Config, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
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
