//! The catalogue commands of `workspace/executeCommand`:
//!
//! * `iam-policy-lsp.updateCatalog` (optional argument `{"source": URL or folder}`): reads
//!   AWS's service reference (or the mirror), writes the catalogue cache as `iam-policy-lsp
//!   catalog update` does, then uses it;
//! * `iam-policy-lsp.reloadCatalog`: uses the cached catalogue when it is newer than the one
//!   in use (after `catalog update` ran in a terminal).
//!
//! Either way every open document is analysed again with the new catalogue and its
//! diagnostics published, without a restart. Only `updateCatalog` touches the network, and
//! only when a user runs it.

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{ExecuteCommandParams, MessageType};
use tracing::info;

use crate::catalog::{self, Catalog, cache, update};

pub(crate) const UPDATE: &str = "iam-policy-lsp.updateCatalog";
pub(crate) const RELOAD: &str = "iam-policy-lsp.reloadCatalog";

/// The commands the server advertises.
pub(crate) fn commands() -> Vec<String> {
    vec![UPDATE.to_string(), RELOAD.to_string()]
}

/// One update at a time: a second waits for the first.
static UPDATING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Runs a catalogue command; `Ok(None)` for a command that is not one of them.
pub(crate) async fn execute(
    params: &ExecuteCommandParams,
    client: &tower_lsp_server::Client,
) -> Result<Option<Value>> {
    let _one_at_a_time = UPDATING.lock().await;
    match params.command.as_str() {
        UPDATE => {
            let source = params
                .arguments
                .first()
                .and_then(|a| a.get("source"))
                .and_then(Value::as_str)
                .map(str::to_string);
            client
                .log_message(
                    MessageType::INFO,
                    format!(
                        "updating the IAM catalogue from {}",
                        source.as_deref().unwrap_or(update::DEFAULT_SOURCE)
                    ),
                )
                .await;
            let Some(dir) = cache::cache_dir() else {
                return Err(failure(format!(
                    "no cache folder ({} is set, or this platform has none)",
                    cache::NO_CACHE_VAR
                )));
            };
            let path = cache::cache_file(&dir);
            let updated = tokio::task::spawn_blocking(move || {
                update::update(source.as_deref(), &path, &|_, _| {})
            })
            .await
            .map_err(|e| failure(format!("the update stopped: {e}")))?;
            match updated {
                Ok(updated) => {
                    catalog::install_static(updated.catalog);
                    let message = format!(
                        "IAM catalogue updated from {}: {} services, {} actions ({} new since the embedded catalogue of {})",
                        updated.source,
                        updated.services,
                        updated.actions,
                        updated.new_actions,
                        catalog::embedded_date()
                    );
                    info!("{message}");
                    client.show_message(MessageType::INFO, &message).await;
                    Ok(Some(summary(updated.catalog, true)))
                }
                Err(problem) => {
                    let message = format!(
                        "IAM catalogue update failed: {problem}; the catalogue in use is unchanged"
                    );
                    client.show_message(MessageType::ERROR, &message).await;
                    Err(failure(message))
                }
            }
        }
        RELOAD => {
            let Some(dir) = cache::cache_dir() else {
                return Ok(Some(summary(catalog::current(), false)));
            };
            let path = cache::cache_file(&dir);
            let loaded = tokio::task::spawn_blocking(move || cache::load(&path))
                .await
                .map_err(|e| failure(format!("the reload stopped: {e}")))?
                .map_err(|problem| {
                    failure(format!("the cached catalogue cannot be used: {problem}"))
                })?;
            // The rule of the start-up: the cache when it is at least as new as the
            // embedded catalogue (a cache only ever gets newer).
            match loaded {
                Some(cached) if cached.date() >= catalog::embedded_date() => {
                    Ok(Some(summary(catalog::install(cached), true)))
                }
                _ => Ok(Some(summary(catalog::current(), false))),
            }
        }
        _ => Ok(None),
    }
}

/// What the command answers: the catalogue in use, and whether it changed.
fn summary(catalog: &'static Catalog, changed: bool) -> Value {
    json!({
        "changed": changed,
        "dataVersion": catalog.data_version(),
        "date": catalog.date(),
        "counts": catalog.counts(),
    })
}

fn failure(message: String) -> Error {
    Error {
        code: ErrorCode::InternalError,
        message: message.into(),
        data: None,
    }
}
