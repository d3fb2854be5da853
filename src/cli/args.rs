//! Command-line arguments, parsed by clap: the same help, errors and exit status (2) for
//! every usage mistake, the conventions users know from other command-line tools.

use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args as ClapArgs, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use crate::policy::{DeclaredType, PolicyType};

#[derive(Debug, Parser)]
#[command(
    name = "iam-policy-lsp",
    about = "Language server and checker for AWS IAM policies",
    long_about = "Language server and checker for AWS IAM policies.\n\n\
                  Without a command (or with --stdio) it serves the Language Server Protocol \
                  on stdin/stdout, as editors start it.",
    disable_help_subcommand = true
)]
pub(crate) struct Args {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// Serve the Language Server Protocol on stdin/stdout (also the default without a command).
    #[arg(long)]
    pub(crate) stdio: bool,

    /// off, error, warn, info, debug or trace, or a filter such as `iam_policy_lsp=debug`
    /// (default: warn; RUST_LOG also works). Logs go to stderr.
    #[arg(long, global = true, value_name = "LEVEL", value_parser = log_filter)]
    pub(crate) log_level: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check policy files, and the *.json files under folders (recursively).
    #[command(
        after_help = "Folders are walked the way ripgrep walks them: files and folders that \
                      .gitignore, .ignore or .git/info/exclude list are skipped, and so are \
                      hidden folders, node_modules/ and target/. A file named on the command \
                      line is always checked.\n\n\
                      Exit status: 0 no errors, 1 error-severity findings, 2 usage or I/O error."
    )]
    Check(CheckArgs),
    /// Per Support Center workflow, what a policy does to it: denied, allowed or untouched.
    #[command(after_help = "Exit status: 0, or 2 when the file cannot be read or holds no policy.")]
    Explain(ExplainArgs),
    /// Print a completion script for a shell, e.g. `iam-policy-lsp completions bash`.
    #[command(
        after_help = "bash: iam-policy-lsp completions bash > ~/.local/share/bash-completion/completions/iam-policy-lsp\n\
                      zsh:  iam-policy-lsp completions zsh > \"${fpath[1]}/_iam-policy-lsp\"\n\
                      fish: iam-policy-lsp completions fish > ~/.config/fish/completions/iam-policy-lsp.fish"
    )]
    Completions(CompletionsArgs),
    /// The catalogue of AWS services, actions and condition keys: update it from AWS, or
    /// see which one is in use.
    #[command(subcommand)]
    Catalog(CatalogCommand),
}

#[derive(Debug, Subcommand)]
pub(crate) enum CatalogCommand {
    /// Fetch AWS's Service Authorization Reference and cache it, so that `check` and the
    /// server know what AWS added since this binary was built.
    #[command(
        after_help = "Reads service-list.json and one <service>/<service>.json per \
                      service, from AWS (https://servicereference.us-east-1.amazonaws.com/v1/) \
                      or from --source, and writes the catalogue cache \
                      ($IAM_POLICY_LSP_CACHE_DIR, else the user's cache folder). Nothing is \
                      written unless every file was read: a failed update leaves the previous \
                      cache in use. This is the only command that uses the network.\n\n\
                      Exit status: 0 updated, 1 the update failed, 2 usage error."
    )]
    Update(CatalogUpdateArgs),
    /// Which catalogue is in use (embedded or cached), where it came from, its date and counts.
    Status(CatalogStatusArgs),
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CatalogUpdateArgs {
    /// A mirror with AWS's layout: a URL, or a folder (for machines without internet
    /// access). Default: AWS's own address.
    #[arg(long, value_name = "URL|DIR")]
    pub(crate) source: Option<String>,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CatalogStatusArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub(crate) format: StatusFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum StatusFormat {
    /// Lines for a person
    Text,
    /// One JSON object
    Json,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct CheckArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub(crate) format: CheckFormat,

    /// Rule settings, e.g. {"rules": {"missing-version": "off"}}.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// The type of every policy checked: identity (or identity:managed, :user, :group, :role),
    /// boundary, resource (or resource:SERVICE: s3, sns, sqs, kms, ecr, lambda,
    /// secretsmanager, apigateway, vpc-endpoint, dynamodb), trust, scp or rcp. Wins over the
    /// configuration's policyTypes and over what the files say.
    #[arg(long, value_name = "TYPE", value_parser = declared_type)]
    pub(crate) policy_type: Option<DeclaredType>,

    /// Also check what ignore files list, and node_modules/ and target/ folders.
    #[arg(long)]
    pub(crate) no_ignore: bool,

    /// Also look inside hidden folders (names starting with a dot).
    #[arg(long)]
    pub(crate) hidden: bool,

    /// Treat the files named as a folder walk treats its files: a file that does not look like
    /// a policy (package.json) is skipped and counted, not checked as one. For hooks and
    /// scripts that pass every `*.json` file of a change.
    #[arg(long)]
    pub(crate) only_policies: bool,

    /// Follow symbolic links in folders (to files and folders; loops are reported).
    #[arg(long, short = 'L')]
    pub(crate) follow: bool,

    /// The least severity that fails the check (exit status 1).
    #[arg(long, value_enum, value_name = "SEVERITY", default_value_t = FailOn::Error)]
    pub(crate) fail_on: FailOn,

    /// Apply every quick fix marked safe, writing each changed file in place (atomically),
    /// then report what is left. Files that are not valid JSON are never touched.
    #[arg(long)]
    pub(crate) fix: bool,

    /// Print the safe fixes as a unified diff instead of writing them (implies --fix; exit
    /// status 1 when a file would change).
    #[arg(long)]
    pub(crate) diff: bool,

    /// Policy files and folders.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, ClapArgs)]
pub(crate) struct ExplainArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Markdown)]
    pub(crate) format: ExplainFormat,

    /// The policy file.
    #[arg(value_name = "FILE")]
    pub(crate) path: PathBuf,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum CheckFormat {
    /// `path:line:column: severity[code] message`, one finding per line
    Text,
    /// An array of findings with ranges, codes and data
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
}

/// What fails a check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum FailOn {
    Error,
    Warning,
    #[value(alias = "information")]
    Info,
    Hint,
    /// Findings never fail the check (I/O and usage errors still do)
    None,
}

impl FailOn {
    /// Whether a finding of `severity` fails the check.
    pub(crate) fn fails(self, severity: crate::analysis::Severity) -> bool {
        use crate::analysis::Severity;
        let rank = |s: Severity| match s {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Information => 2,
            Severity::Hint => 3,
        };
        let threshold = match self {
            FailOn::Error => 0,
            FailOn::Warning => 1,
            FailOn::Info => 2,
            FailOn::Hint => 3,
            FailOn::None => return false,
        };
        rank(severity) <= threshold
    }
}

/// A `--log-level`: levels, or `target=level` directives, comma-separated. A bare word that is
/// not a level would be taken by the filter as a target name (`loud` logs nothing, silently).
fn log_filter(value: &str) -> Result<String, String> {
    const LEVELS: &[&str] = &["off", "error", "warn", "info", "debug", "trace"];
    for directive in value.split(',') {
        let level = match directive.rsplit_once('=') {
            Some((target, level)) if !target.is_empty() => level,
            Some(_) => return Err(format!("\"{directive}\" has no target before '='")),
            None => directive,
        };
        if !LEVELS.iter().any(|l| l.eq_ignore_ascii_case(level)) {
            return Err(format!(
                "\"{level}\" is not a level: use off, error, warn, info, debug or trace, \
                 or a filter such as iam_policy_lsp=debug"
            ));
        }
    }
    tracing_subscriber::EnvFilter::try_new(value)
        .map(|_| value.to_string())
        .map_err(|e| e.to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// A Markdown table per policy
    #[value(alias = "text")]
    Markdown,
    /// The same verdicts as JSON
    Json,
}

fn declared_type(text: &str) -> Result<DeclaredType, String> {
    Ok(DeclaredType {
        types: PolicyType::parse(text)?,
        reason: format!("`--policy-type {text}`"),
    })
}

impl Args {
    /// Parses the process' arguments; on a usage error, `--help` or `--version`, prints what
    /// clap prints and exits (status 2 for errors, 0 otherwise).
    pub(crate) fn from_env() -> Self {
        Self::parse_from_or_exit(std::env::args_os())
    }

    fn parse_from_or_exit<I, T>(args: I) -> Self
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        match Self::try_parse_args(args) {
            Ok(args) => args,
            Err(error) => error.exit(),
        }
    }

    fn try_parse_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut command = Self::versioned_command();
        let matches = command.try_get_matches_from_mut(args)?;
        let args = Self::from_arg_matches(&matches)?;
        // (clap's `args_conflicts_with_subcommands` would also refuse `--log-level` before a
        // command.)
        if args.stdio && args.command.is_some() {
            return Err(command.error(
                ErrorKind::ArgumentConflict,
                "--stdio serves the protocol: it cannot be used with a command",
            ));
        }
        Ok(args)
    }

    /// Writes the completion script for `shell` (the same command tree the parser uses).
    pub(crate) fn write_completions(shell: clap_complete::Shell, out: &mut dyn std::io::Write) {
        clap_complete::generate(shell, &mut Self::versioned_command(), "iam-policy-lsp", out);
    }

    /// The version comes from the catalogue at run time, so it is set on the command here
    /// rather than in the derive attributes.
    fn versioned_command() -> clap::Command {
        Self::command().version(crate::version::long())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(line: &str) -> Result<Args, clap::Error> {
        Args::try_parse_args(std::iter::once("iam-policy-lsp").chain(line.split_whitespace()))
    }

    #[test]
    fn serve_without_a_command_or_with_stdio() {
        for line in [
            "",
            "--stdio",
            "--stdio --log-level debug",
            "--log-level=debug",
            "--log-level=WARN",
            "--log-level=iam_policy_lsp=debug,tower_lsp_server=off",
        ] {
            let args = parse(line).unwrap();
            assert!(args.command.is_none(), "{line}");
        }
        assert_eq!(
            parse("--stdio --log-level debug")
                .unwrap()
                .log_level
                .as_deref(),
            Some("debug")
        );
    }

    #[test]
    fn check_and_explain() {
        let args = parse("check --format json a.json dir --log-level info").unwrap();
        assert_eq!(args.log_level.as_deref(), Some("info"));
        let args = parse("--log-level info check --format json a.json dir").unwrap();
        assert_eq!(args.log_level.as_deref(), Some("info"));
        let Some(Command::Check(check)) = args.command else {
            panic!("{args:?}")
        };
        assert_eq!(check.format, CheckFormat::Json);
        assert_eq!(check.paths, vec![PathBuf::from("a.json"), "dir".into()]);
        assert!(!check.no_ignore && !check.hidden && check.config.is_none());
        assert!(check.policy_type.is_none());
        let Some(Command::Check(check)) = parse("check --policy-type resource:s3 a.json")
            .unwrap()
            .command
        else {
            panic!()
        };
        assert_eq!(
            check.policy_type.map(|d| d.reason),
            Some("`--policy-type resource:s3`".to_string())
        );

        let Some(Command::Explain(explain)) =
            parse("explain --format text p.json").unwrap().command
        else {
            panic!()
        };
        assert_eq!(explain.format, ExplainFormat::Markdown);
        assert_eq!(explain.path, PathBuf::from("p.json"));
    }

    #[test]
    fn catalog_commands() {
        let Some(Command::Catalog(CatalogCommand::Update(update))) =
            parse("catalog update --source ./mirror").unwrap().command
        else {
            panic!()
        };
        assert_eq!(update.source.as_deref(), Some("./mirror"));
        let Some(Command::Catalog(CatalogCommand::Status(status))) =
            parse("catalog status --format json").unwrap().command
        else {
            panic!()
        };
        assert_eq!(status.format, StatusFormat::Json);
        assert_eq!(
            parse("catalog").unwrap_err().kind(),
            ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        );
    }

    #[test]
    fn completion_scripts_name_the_commands_and_their_options() {
        let Some(Command::Completions(completions)) = parse("completions bash").unwrap().command
        else {
            panic!()
        };
        assert_eq!(completions.shell, clap_complete::Shell::Bash);
        for shell in [
            clap_complete::Shell::Bash,
            clap_complete::Shell::Zsh,
            clap_complete::Shell::Fish,
        ] {
            let mut script = Vec::new();
            Args::write_completions(shell, &mut script);
            let script = String::from_utf8(script).unwrap();
            for word in ["check", "explain", "fail-on", "format", "sarif"] {
                assert!(script.contains(word), "{shell}: no {word} in\n{script}");
            }
        }
        assert_eq!(
            parse("completions tcsh").unwrap_err().kind(),
            ErrorKind::InvalidValue
        );
    }

    #[test]
    fn usage_errors() {
        for (line, kind) in [
            ("check", ErrorKind::MissingRequiredArgument),
            ("check --format xml a", ErrorKind::InvalidValue),
            ("check --policy-type admin a", ErrorKind::ValueValidation),
            ("frobnicate", ErrorKind::InvalidSubcommand),
            ("--bogus", ErrorKind::UnknownArgument),
            ("explain a b", ErrorKind::UnknownArgument),
            ("explain", ErrorKind::MissingRequiredArgument),
            ("--stdio check a.json", ErrorKind::ArgumentConflict),
            ("--log-level loud check a.json", ErrorKind::ValueValidation),
            (
                "check --log-level=iam_policy_lsp=loud a",
                ErrorKind::ValueValidation,
            ),
            ("check --log-level =debug a", ErrorKind::ValueValidation),
            ("check --fail-on fatal a", ErrorKind::InvalidValue),
        ] {
            let error = parse(line).unwrap_err();
            assert_eq!(error.kind(), kind, "{line}: {error}");
            assert_eq!(error.exit_code(), 2, "{line}");
        }
    }

    #[test]
    fn help_and_version_exit_0() {
        for line in ["--help", "-h", "check --help", "--version", "-V"] {
            let error = parse(line).unwrap_err();
            assert_eq!(error.exit_code(), 0, "{line}");
        }
        let version = parse("--version").unwrap_err().to_string();
        assert!(
            version.starts_with(&format!(
                "iam-policy-lsp {} (catalogue: ",
                env!("CARGO_PKG_VERSION")
            )),
            "{version}"
        );
    }

    #[test]
    fn the_command_is_well_formed() {
        Args::versioned_command().debug_assert();
    }
}
