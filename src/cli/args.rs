//! Command-line arguments (small enough to parse by hand).

use std::path::PathBuf;

#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    Serve,
    Check {
        format: Format,
        config: Option<PathBuf>,
        paths: Vec<PathBuf>,
    },
    Explain {
        format: Format,
        path: PathBuf,
    },
    Version,
    Help,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, PartialEq, Eq)]
pub struct Args {
    pub command: Command,
    pub log_level: Option<String>,
}

pub const USAGE: &str = "\
iam-policy-lsp — language server and checker for AWS IAM policies

Usage:
  iam-policy-lsp [--stdio]                    serve the Language Server Protocol on stdin/stdout
  iam-policy-lsp check [OPTIONS] PATH...      check policy files and folders (*.json, recursively)
  iam-policy-lsp explain [--format F] FILE    which Support Center workflows the policy allows or denies
  iam-policy-lsp --version                    print the version and the catalogue's data version

Options:
  --format text|json    output format (default: text)
  --config FILE         rule settings, e.g. {\"rules\": {\"missing-version\": \"off\"}}
  --log-level LEVEL     error, warn, info, debug or trace (default: warn; RUST_LOG also works)

Exit status of check: 0 no errors, 1 error-severity findings, 2 usage or I/O error.
";

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut args = args.into_iter().peekable();
    let mut log_level = None;
    let mut format = Format::Text;
    let mut config = None;
    let mut positional = Vec::new();
    let mut subcommand: Option<String> = None;
    let mut version = false;
    let mut help = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stdio" => {}
            "--version" | "-V" => version = true,
            "--help" | "-h" => help = true,
            "--log-level" => log_level = Some(value_of(&mut args, "--log-level")?),
            "--format" => {
                format = match value_of(&mut args, "--format")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => {
                        return Err(format!("unknown format '{other}' (expected text or json)"));
                    }
                }
            }
            "--config" => config = Some(PathBuf::from(value_of(&mut args, "--config")?)),
            _ if arg.starts_with("--log-level=") => {
                log_level = Some(arg["--log-level=".len()..].to_string())
            }
            _ if arg.starts_with('-') && arg.len() > 1 => {
                return Err(format!("unknown option '{arg}'"));
            }
            _ if subcommand.is_none() && positional.is_empty() => subcommand = Some(arg),
            _ => positional.push(PathBuf::from(arg)),
        }
    }
    let command = if help {
        Command::Help
    } else if version {
        Command::Version
    } else {
        match subcommand.as_deref() {
            None => Command::Serve,
            Some("check") if positional.is_empty() => {
                return Err("check needs at least one file or folder".into());
            }
            Some("check") => Command::Check {
                format,
                config,
                paths: positional,
            },
            Some("explain") => match <[PathBuf; 1]>::try_from(positional) {
                Ok([path]) => Command::Explain { format, path },
                Err(_) => return Err("explain needs exactly one file".into()),
            },
            Some(other) => return Err(format!("unknown command '{other}'")),
        }
    };
    Ok(Args { command, log_level })
}

fn value_of(args: &mut impl Iterator<Item = String>, option: &str) -> Result<String, String> {
    args.next().ok_or_else(|| format!("{option} needs a value"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_line(line: &str) -> Result<Args, String> {
        parse(line.split_whitespace().map(String::from))
    }

    #[test]
    fn commands() {
        assert_eq!(parse_line("").unwrap().command, Command::Serve);
        assert_eq!(
            parse_line("--stdio --log-level debug")
                .unwrap()
                .log_level
                .as_deref(),
            Some("debug")
        );
        assert_eq!(parse_line("--version").unwrap().command, Command::Version);
        assert_eq!(
            parse_line("check --format json a.json dir")
                .unwrap()
                .command,
            Command::Check {
                format: Format::Json,
                config: None,
                paths: vec!["a.json".into(), "dir".into()]
            }
        );
        assert!(parse_line("check").is_err());
        assert!(parse_line("check --format xml a").is_err());
        assert!(parse_line("frobnicate").is_err());
        assert!(parse_line("--bogus").is_err());
        assert!(parse_line("explain a b").is_err());
    }
}
