//! Publishes diagnostics from one task, in the order the documents changed.
//!
//! Handlers only enqueue (a synchronous send, inside their critical section), so publications
//! can never overtake each other, and a burst of edits to one document is published once,
//! for its latest version.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{Diagnostic, Uri};

use super::server::{State, lock};
use super::to_proto;

#[derive(Debug, Clone)]
pub(crate) enum Job {
    /// Analyse the document (if still open) and publish its diagnostics.
    Publish(Uri),
    /// The document was closed: clear its diagnostics.
    Clear(Uri),
}

impl Job {
    fn uri(&self) -> &Uri {
        match self {
            Job::Publish(uri) | Job::Clear(uri) => uri,
        }
    }
}

pub(crate) fn start(client: Client, state: Arc<Mutex<State>>) -> UnboundedSender<Job> {
    let (sender, receiver) = unbounded_channel();
    tokio::spawn(run(client, state, receiver));
    sender
}

async fn run(client: Client, state: Arc<Mutex<State>>, mut receiver: UnboundedReceiver<Job>) {
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while let Ok(job) = receiver.try_recv() {
            batch.push(job);
        }
        for job in coalesce(batch) {
            let Some((uri, diagnostics, version)) = prepare(&state, job) else {
                continue;
            };
            client
                .publish_diagnostics(uri.clone(), diagnostics, version)
                .await;
            // Now that the diagnostics are out, free the document's outdated analyses.
            let outdated = lock(&state)
                .documents
                .get_mut(&uri)
                .map(|document| document.take_outdated());
            drop(outdated);
        }
    }
}

/// Keeps the last job per document, in the order documents last changed.
fn coalesce(batch: Vec<Job>) -> Vec<Job> {
    let mut last: HashMap<Uri, usize> = HashMap::new();
    for (index, job) in batch.iter().enumerate() {
        last.insert(job.uri().clone(), index);
    }
    batch
        .into_iter()
        .enumerate()
        .filter(|(index, job)| last.get(job.uri()) == Some(index))
        .map(|(_, job)| job)
        .collect()
}

type Publication = (Uri, Vec<Diagnostic>, Option<i32>);

fn prepare(state: &Mutex<State>, job: Job) -> Option<Publication> {
    let mut state = lock(state);
    match job {
        Job::Clear(uri) => {
            if state.documents.contains_key(&uri) {
                // Reopened since: its own Publish job follows.
                return None;
            }
            state.published.remove(&uri);
            Some((uri, Vec::new(), None))
        }
        Job::Publish(uri) => {
            let encoding = state.encoding;
            let options = state.options.clone();
            let document = state.documents.get_mut(&uri)?;
            let version = document.version;
            let analysis = document.analysis(&options);
            let rope = document.rope.clone();
            let diagnostics: Vec<Diagnostic> = analysis
                .findings
                .iter()
                .map(|f| to_proto::diagnostic(f, &uri, &rope, encoding))
                .collect();
            if state
                .published
                .get(&uri)
                .is_some_and(|published| *published > version)
            {
                return None;
            }
            state.published.insert(uri.clone(), version);
            Some((uri, diagnostics, Some(version)))
        }
    }
}
