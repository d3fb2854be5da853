//! `iam-policy-lsp catalog update` and `catalog status`: the terminal side of
//! `catalog::update` and `catalog::cache`.

use std::io::{IsTerminal, Write};

use serde_json::json;

use super::args::{CatalogStatusArgs, CatalogUpdateArgs, StatusFormat};
use crate::catalog::cache::{self, CacheState, Counts};
use crate::catalog::{self, update};

/// Exit status: 0 updated, 1 the update failed.
pub(crate) fn run_update(
    args: &CatalogUpdateArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> u8 {
    let Some(dir) = cache::cache_dir() else {
        let _ = writeln!(
            err,
            "iam-policy-lsp: no cache folder: {} is set, or this platform has no cache folder (set {})",
            cache::NO_CACHE_VAR,
            cache::CACHE_DIR_VAR
        );
        return 1;
    };
    let path = cache::cache_file(&dir);
    let terminal = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if terminal {
            eprint!("\rreading the service reference: {done}/{total} services");
            if done == total {
                eprintln!();
            }
        }
    };
    let source = args.source.as_deref();
    if terminal {
        eprintln!(
            "updating the catalogue from {}",
            source.unwrap_or(update::DEFAULT_SOURCE)
        );
    }
    match update::update(source, &path, &progress) {
        Ok(updated) => {
            let _ = writeln!(
                out,
                "updated the catalogue cache {} ({} KB) from {} in {:.1} s:\n  {} services, {} actions; {} services and {} actions that the embedded catalogue ({}) lacks; {} services and {} actions of it that AWS no longer lists",
                updated.path.display(),
                updated.bytes / 1024,
                updated.source,
                updated.elapsed.as_secs_f64(),
                updated.services,
                updated.actions,
                updated.new_services,
                updated.new_actions,
                catalog::embedded_date(),
                updated.gone_services,
                updated.gone_actions,
            );
            0
        }
        Err(problem) => {
            if terminal {
                eprintln!();
            }
            let kept = if path.exists() {
                format!("the cached catalogue {} is unchanged", path.display())
            } else {
                "no catalogue was cached".to_string()
            };
            let _ = writeln!(
                err,
                "iam-policy-lsp: catalog update failed: {problem}; {kept}"
            );
            1
        }
    }
}

pub(crate) fn run_status(args: &CatalogStatusArgs, out: &mut impl Write) -> u8 {
    let state = cache::selected().cloned().unwrap_or(CacheState::Off);
    let current = catalog::current();
    let embedded = catalog::embedded();
    let in_use = if current.is_embedded() {
        "embedded"
    } else {
        "cached"
    };
    let (cache_state, cache_path, problem) = match &state {
        CacheState::Off => ("off", None, None),
        CacheState::Absent(path) => ("absent", Some(path), None),
        CacheState::InUse(path) => ("in-use", Some(path), None),
        CacheState::Older { path, date } => (
            "older",
            Some(path),
            Some(format!("fetched {date}, older than the embedded catalogue")),
        ),
        CacheState::Broken { path, problem } => ("broken", Some(path), Some(problem.clone())),
    };
    match args.format {
        StatusFormat::Json => {
            let describe = |c: &'static catalog::Catalog| {
                json!({
                    "data_version": c.data_version(),
                    "date": c.date(),
                    "source": c.info("source"),
                    "fetched_at": c.info("fetched_at"),
                    "counts": c.counts(),
                })
            };
            let value = json!({
                "in_use": in_use,
                "catalogue": describe(current),
                "embedded": describe(embedded),
                "cache": {
                    "state": cache_state,
                    "path": cache_path.map(|p| p.display().to_string()),
                    "problem": problem,
                },
                "curated": catalog::curated_counts(),
            });
            let _ = writeln!(out, "{value:#}");
        }
        StatusFormat::Text => {
            let _ = writeln!(
                out,
                "catalogue in use: {in_use}, dated {}\n  {}\n  {}",
                current.date(),
                current.data_version(),
                counts_line(current.counts())
            );
            if !current.is_embedded() {
                let _ = writeln!(
                    out,
                    "embedded catalogue: dated {}\n  {}\n  {}",
                    embedded.date(),
                    embedded.data_version(),
                    counts_line(embedded.counts())
                );
            }
            let cache_line = match (&state, cache_path) {
                (CacheState::Off, _) => format!(
                    "cache: off ({} is set, or no cache folder)",
                    cache::NO_CACHE_VAR
                ),
                (CacheState::Absent(_), Some(path)) => format!(
                    "cache: none at {} (`iam-policy-lsp catalog update` writes it)",
                    path.display()
                ),
                (_, Some(path)) => match &problem {
                    Some(problem) => format!("cache: {} not used: {problem}", path.display()),
                    None => format!("cache: {}", path.display()),
                },
                (_, None) => String::new(),
            };
            let curated = catalog::curated_counts();
            let _ = writeln!(
                out,
                "{cache_line}\nembedded lists: {} removed actions, {} retired services, {} undocumented actions, {} undocumented condition keys",
                curated["removed_actions"],
                curated["removed_services"],
                curated["undocumented_actions"],
                curated["undocumented_condition_keys"]
            );
        }
    }
    0
}

fn counts_line(c: Counts) -> String {
    format!(
        "{} services, {} actions, {} resource types, {} service condition keys",
        c.services, c.actions, c.resource_types, c.condition_keys
    )
}
