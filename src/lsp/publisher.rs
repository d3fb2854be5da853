//! Publishes diagnostics: one task per change, which analyses the new version outside the
//! state's lock (a large document on a blocking thread, see `Snapshot::analysis`) and publishes
//! it unless a newer version has replaced it in the meantime.
//!
//! - A superseded version is not analysed, or stops being analysed (its snapshot is marked
//!   superseded, which the analysis checks between rule families), and is never published:
//!   a burst of edits is published for its last version.
//! - Publications go out one at a time (the `publishing` lock, held from the check that the
//!   version is current to the send), so that a document's diagnostics never go back to an
//!   older version, and a document's diagnostics are cleared after any publication of it.
//! - A large document's analysis holds up neither requests nor other documents' diagnostics.

use std::sync::Arc;

use tower_lsp_server::ls_types::{PublishDiagnosticsParams, Uri};

use super::connection::Outbox;
use super::server::Shared;
use super::snapshot::{Snapshot, Supersede};
use super::to_proto;

/// Analyses `snapshot` and publishes its diagnostics if it is still the document's current
/// version by then.
pub(crate) fn publish(outbox: Outbox, shared: Arc<Shared>, uri: Uri, snapshot: Arc<Snapshot>) {
    tokio::spawn(async move {
        if snapshot.is_superseded() {
            return;
        }
        let Some(diagnosed) = snapshot.diagnostics(Supersede::GiveUp).await else {
            // Superseded: the newer version's own task publishes.
            return;
        };
        let diagnostics = to_proto::diagnostics(
            diagnosed.findings(),
            &uri,
            &snapshot.rope,
            snapshot.encoding,
        );
        // The diagnostics are all a publication needs: the analysis is kept only if the
        // document is among those used last (so that a burst of documents opened at once does
        // not hold all of their trees while they wait for their turn to be published).
        drop(diagnosed);
        let forgotten = shared.state().keep_analysis(&uri);
        drop(forgotten);
        let in_order = shared.publishing.lock().await;
        {
            let mut state = shared.state();
            let current = state.documents.get(&uri).map(|open| open.current.revision);
            if current != Some(snapshot.revision)
                || state
                    .published
                    .get(&uri)
                    .is_some_and(|published| *published > snapshot.revision)
            {
                return;
            }
            state.published.insert(uri.clone(), snapshot.revision);
        }
        let params =
            PublishDiagnosticsParams::new(uri.clone(), diagnostics, Some(snapshot.version));
        outbox
            .notify("textDocument/publishDiagnostics", &params)
            .await;
        drop(params);
        drop(in_order);
        // Now that the diagnostics are out, free the document's outdated analyses (outside
        // the lock).
        let outdated = shared
            .state()
            .documents
            .get_mut(&uri)
            .map(|open| std::mem::take(&mut open.outdated));
        drop(outdated);
    });
}

/// Clears the diagnostics of a closed document (unless it was opened again since: its own
/// publication follows).
pub(crate) fn clear(outbox: Outbox, shared: Arc<Shared>, uri: Uri) {
    tokio::spawn(async move {
        let _in_order = shared.publishing.lock().await;
        {
            let mut state = shared.state();
            if state.documents.contains_key(&uri) {
                return;
            }
            state.published.remove(&uri);
        }
        let params = PublishDiagnosticsParams::new(uri, Vec::new(), None);
        outbox
            .notify("textDocument/publishDiagnostics", &params)
            .await;
    });
}
