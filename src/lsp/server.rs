//! The `LanguageServer` implementation.
//!
//! tower-lsp-server runs handlers concurrently. Every handler that changes a document applies
//! the change synchronously, under the state's `std::sync::Mutex`, before its first `.await`,
//! so edits are applied in the order they arrive. The lock guards short critical sections only
//! (apply an edit, take a document's current snapshot): analyses run outside it (a large
//! document's on a blocking thread; see `snapshot` and `publisher`), so that a request on one
//! document is answered while another is analysed.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, warn};

use super::catalog_command;
use super::connection::{MessageLimit, Outbox};
use super::document::Document;
use super::position::{Encoding, position_to_offset};
use super::publisher;
use super::snapshot::{Snapshot, Supersede};
use super::to_proto;
use crate::analysis::incremental::IncrementalAnalysis;
use crate::analysis::{Analysis, Config, FixKind, Options};
use crate::host::Host;
use crate::ide::{code_actions, completion, hover};
use crate::syntax::TextRange;

pub(crate) struct State {
    encoding: Encoding,
    options: Arc<Options>,
    snippets: bool,
    pub(crate) documents: HashMap<Uri, OpenDocument>,
    /// The revision of the snapshot last published per document: never publish an older
    /// one. (Revisions, not versions: a client that sends a lower version number still gets
    /// the diagnostics of the text it has.)
    pub(crate) published: HashMap<Uri, u64>,
    /// The documents whose analyses are kept, the most recently used last (see
    /// `keep_analysis`).
    recent: VecDeque<Uri>,
    /// The format of open documents whose name does not say it, from their language id.
    languages: HashMap<Uri, Host>,
    next_revision: u64,
}

/// An analysis (the tree above all) costs about ten times its text: the analyses of the
/// documents used last are kept, up to this many documents and this much text (the one
/// used last always), and the others' are forgotten, to be computed again when a request
/// needs them. So an open document costs about its text (its rope), not ten times it.
const KEPT_ANALYSES: usize = 16;
const KEPT_ANALYSES_TEXT: usize = 16 * 1024 * 1024;

pub(crate) struct OpenDocument {
    document: Document,
    pub(crate) current: Arc<Snapshot>,
    /// Snapshots replaced since the last publication, dropped (with their analyses) once the
    /// current diagnostics are out, outside the lock: freeing a large policy's tree takes a
    /// tenth of a millisecond the next diagnostics need not wait for.
    pub(crate) outdated: Vec<Arc<Snapshot>>,
    /// A YAML document's kept tree and per-entry findings, shared by its snapshots.
    incremental: Arc<Mutex<IncrementalAnalysis>>,
}

/// Analyses and incremental states the server let go of, to be freed outside its lock.
#[must_use]
pub(crate) struct Forgotten {
    _analyses: Vec<Arc<Analysis>>,
    _incremental: Vec<IncrementalAnalysis>,
}

impl State {
    fn next_revision(&mut self) -> u64 {
        self.next_revision += 1;
        self.next_revision
    }

    /// The options for a document: the settings, with the policy type they give its path.
    fn options_for(&self, uri: &Uri) -> Arc<Options> {
        let path = uri.to_file_path();
        let options = match &path {
            Some(path) => Options::for_path(&self.options, &path.to_string_lossy()),
            None => Arc::clone(&self.options),
        };
        let named = path.is_some_and(|p| Host::from_path(&p.to_string_lossy()).is_some());
        match self.languages.get(uri) {
            Some(&host) if !named && host != options.host => Arc::new(Options {
                host,
                ..Options::clone(&options)
            }),
            _ => options,
        }
    }

    /// Takes a new snapshot of an open document after it (or the settings) changed; the one
    /// it replaces is superseded.
    fn refresh(&mut self, uri: &Uri) -> Option<Arc<Snapshot>> {
        let revision = self.next_revision();
        let options = self.options_for(uri);
        let open = self.documents.get_mut(uri)?;
        let snapshot = Arc::new(Snapshot::of(
            revision,
            &open.document,
            self.encoding,
            &options,
            &open.incremental,
        ));
        open.current.supersede();
        let replaced = std::mem::replace(&mut open.current, Arc::clone(&snapshot));
        open.outdated.push(replaced);
        Some(snapshot)
    }

    /// Notes that `uri`'s analysis was just used, and forgets the analyses (and the kept
    /// trees of incremental analyses) of the documents used longest ago beyond the limits
    /// above; they are returned, to be freed outside the lock.
    pub(crate) fn keep_analysis(&mut self, uri: &Uri) -> Forgotten {
        let documents = &self.documents;
        self.recent
            .retain(|kept| kept != uri && documents.contains_key(kept));
        if documents.contains_key(uri) {
            self.recent.push_back(uri.clone());
        }
        // From the one used last: keep while within the limits.
        let mut text = 0;
        let mut cut = 0;
        for (i, kept) in self.recent.iter().enumerate().rev() {
            text += documents[kept].current.rope.len_bytes();
            let count = self.recent.len() - i;
            if count > 1 && (count > KEPT_ANALYSES || text > KEPT_ANALYSES_TEXT) {
                cut = i + 1;
                break;
            }
        }
        let mut analyses = Vec::new();
        let mut incremental = Vec::new();
        for uri in self.recent.drain(..cut) {
            let open = &documents[&uri];
            analyses.extend(open.current.forget_analysis());
            analyses.extend(open.outdated.iter().filter_map(|s| s.forget_analysis()));
            // One being updated is in use: it is forgotten next time.
            if let Ok(mut kept) = open.incremental.try_lock() {
                incremental.push(std::mem::take(&mut *kept));
            }
        }
        Forgotten {
            _analyses: analyses,
            _incremental: incremental,
        }
    }
}

/// The state, and the order of publications.
pub(crate) struct Shared {
    state: Mutex<State>,
    /// Held from the check that a publication is for the current version to its send, so
    /// that publications go out one at a time and never for a version older than one out.
    pub(crate) publishing: tokio::sync::Mutex<()>,
}

impl Shared {
    /// Locks the state even if a handler panicked while holding it: the state stays usable
    /// (every mutation is a single assignment, insertion or rope edit).
    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub(crate) struct Backend {
    client: Client,
    outbox: Outbox,
    /// The largest message the transport reads (`limits.maxMessageBytes`).
    message_limit: MessageLimit,
    shared: Arc<Shared>,
    /// Set by `shutdown`: the process then exits with status 0, otherwise 1.
    shut_down: Arc<AtomicBool>,
}

/// What a request needs of a document: the snapshot of its current version, and the
/// client's preferences.
struct Request {
    snapshot: Arc<Snapshot>,
    snippets: bool,
}

impl Backend {
    pub(crate) fn new(
        client: Client,
        outbox: Outbox,
        message_limit: MessageLimit,
        shut_down: Arc<AtomicBool>,
    ) -> Self {
        let state = State {
            encoding: Encoding::Utf16,
            options: Arc::new(Options::default()),
            snippets: false,
            documents: HashMap::new(),
            published: HashMap::new(),
            recent: VecDeque::new(),
            languages: HashMap::new(),
            next_revision: 0,
        };
        let shared = Arc::new(Shared {
            state: Mutex::new(state),
            publishing: tokio::sync::Mutex::new(()),
        });
        Self {
            client,
            outbox,
            message_limit,
            shared,
            shut_down,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.shared.state()
    }

    fn publish(&self, uri: Uri, snapshot: Arc<Snapshot>) {
        publisher::publish(self.outbox.clone(), Arc::clone(&self.shared), uri, snapshot);
    }

    /// Reads the settings from `{"rules": …, "limits": …, "policyTypes": …}` or the same under
    /// `iamPolicyLsp`.
    fn configure(&self, settings: &serde_json::Value) -> Vec<String> {
        let settings = settings.get("iamPolicyLsp").unwrap_or(settings);
        let (config, problems) = Config::from_json(settings);
        self.message_limit.set(config.limits.max_message_bytes);
        let snapshots: Vec<(Uri, Arc<Snapshot>)> = {
            let mut state = self.state();
            state.options = Arc::new(Options {
                config,
                ..Options::clone(&state.options)
            });
            let uris: Vec<Uri> = state.documents.keys().cloned().collect();
            uris.into_iter()
                .filter_map(|uri| state.refresh(&uri).map(|snapshot| (uri, snapshot)))
                .collect()
        };
        for (uri, snapshot) in snapshots {
            self.publish(uri, snapshot);
        }
        problems
    }

    /// Analyses every open document again (after the catalogue changed) and publishes.
    fn reanalyse_all(&self) {
        let snapshots: Vec<(Uri, Arc<Snapshot>)> = {
            let mut state = self.state();
            let uris: Vec<Uri> = state.documents.keys().cloned().collect();
            uris.into_iter()
                .filter_map(|uri| state.refresh(&uri).map(|snapshot| (uri, snapshot)))
                .collect()
        };
        for (uri, snapshot) in snapshots {
            self.publish(uri, snapshot);
        }
    }

    /// One message for all the problems of one settings change (a client that sends ten
    /// thousand unknown rules gets one message, not ten thousand); each is in the log.
    async fn report_settings_problems(&self, problems: Vec<String>) {
        if let Some(message) = settings_message(&problems) {
            for problem in &problems {
                warn!("settings: {problem}");
            }
            self.client
                .show_message(MessageType::WARNING, message)
                .await;
        }
    }

    /// The current snapshot of a document, taken under the lock.
    fn request(&self, uri: &Uri) -> Result<Request> {
        let state = self.state();
        let open = state
            .documents
            .get(uri)
            .ok_or_else(|| Error::invalid_params(format!("document not open: {}", uri.as_str())))?;
        Ok(Request {
            snapshot: Arc::clone(&open.current),
            snippets: state.snippets,
        })
    }

    /// The analysis of the version a request is about, computed if the publisher has not yet
    /// (or is at it: then this waits for its result).
    async fn analysis(&self, uri: &Uri, snapshot: &Arc<Snapshot>) -> Result<Arc<Analysis>> {
        let analysis = snapshot
            .analysis(Supersede::Finish)
            .await
            .ok_or_else(Error::internal_error)?;
        let forgotten = self.state().keep_analysis(uri);
        drop(forgotten);
        Ok(analysis)
    }

    /// A request at a position: its document's current snapshot, that version's analysis and
    /// the position's byte offset.
    async fn at(
        &self,
        position: &TextDocumentPositionParams,
    ) -> Result<(Request, Arc<Analysis>, u32)> {
        let request = self.request(&position.text_document.uri)?;
        let analysis = self
            .analysis(&position.text_document.uri, &request.snapshot)
            .await?;
        let Snapshot { rope, encoding, .. } = &*request.snapshot;
        let offset = to_u32(position_to_offset(rope, position.position, *encoding));
        Ok((request, analysis, offset))
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let encoding = Encoding::negotiate(offered);
        let snippets = params
            .capabilities
            .text_document
            .as_ref()
            .and_then(|t| t.completion.as_ref())
            .and_then(|c| c.completion_item.as_ref())
            .and_then(|i| i.snippet_support)
            .unwrap_or(false);
        {
            let mut state = self.state();
            state.encoding = encoding;
            state.snippets = snippets;
        }
        if let Some(options) = &params.initialization_options {
            let problems = self.configure(options);
            for problem in problems {
                warn!("initializationOptions: {problem}");
            }
        }
        debug!(?encoding, snippets, "initialized");
        Ok(to_proto::initialize_result(encoding))
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let opened = params.text_document;
        // Built before taking the lock: a large document takes milliseconds to read.
        let document = Document::new(&opened.text, opened.version);
        let (snapshot, reopened) = {
            let mut state = self.state();
            match Host::from_language_id(&opened.language_id) {
                Some(host) => state.languages.insert(opened.uri.clone(), host),
                None => state.languages.remove(&opened.uri),
            };
            let revision = state.next_revision();
            let incremental = Arc::default();
            let snapshot = Arc::new(Snapshot::of(
                revision,
                &document,
                state.encoding,
                &state.options_for(&opened.uri),
                &incremental,
            ));
            state.published.remove(&opened.uri);
            let open = OpenDocument {
                document,
                current: Arc::clone(&snapshot),
                outdated: Vec::new(),
                incremental,
            };
            let reopened = state.documents.insert(opened.uri.clone(), open);
            (snapshot, reopened)
        };
        if let Some(reopened) = &reopened {
            reopened.current.supersede();
        }
        self.publish(opened.uri, snapshot);
        drop(reopened);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        let snapshot = {
            let mut state = self.state();
            let encoding = state.encoding;
            let Some(open) = state.documents.get_mut(&uri) else {
                warn!(
                    uri = uri.as_str(),
                    "didChange for a document that is not open; ignored"
                );
                return;
            };
            let document = &mut open.document;
            if params.text_document.version <= document.version {
                warn!(
                    uri = uri.as_str(),
                    old = document.version,
                    new = params.text_document.version,
                    "didChange did not increase the version; applied anyway"
                );
            }
            for change in &params.content_changes {
                for problem in document.apply_change(change, encoding) {
                    warn!(uri = uri.as_str(), ?problem, range = ?change.range, "odd change range");
                }
            }
            document.version = params.text_document.version;
            state.refresh(&uri)
        };
        if let Some(snapshot) = snapshot {
            self.publish(uri, snapshot);
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        let closed = {
            let mut state = self.state();
            state.languages.remove(&uri);
            state.documents.remove(&uri)
        };
        match &closed {
            Some(closed) => closed.current.supersede(),
            None => warn!(
                uri = uri.as_str(),
                "didClose for a document that is not open"
            ),
        }
        publisher::clear(self.outbox.clone(), Arc::clone(&self.shared), uri);
        // Its analyses are freed here, outside the lock.
        drop(closed);
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let problems = self.configure(&params.settings);
        self.report_settings_problems(problems).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let (request, analysis, offset) = self.at(&params.text_document_position).await?;
        let caps = completion::Capabilities {
            snippets: request.snippets,
        };
        let list = completion::complete_list(&analysis, offset, caps);
        let Snapshot { rope, encoding, .. } = &*request.snapshot;
        Ok(Some(to_proto::completion_response(list, rope, *encoding)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let (request, analysis, offset) = self.at(&params.text_document_position_params).await?;
        let Snapshot { rope, encoding, .. } = &*request.snapshot;
        Ok(hover::hover(&analysis, offset).map(|info| to_proto::hover(info, rope, *encoding)))
    }

    async fn execute_command(&self, params: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        match catalog_command::execute(&params, &self.client).await? {
            Some(answer) => {
                if answer.get("changed") == Some(&serde_json::Value::Bool(true)) {
                    self.reanalyse_all();
                }
                Ok(Some(answer))
            }
            None => Err(Error::invalid_params(format!(
                "unknown command {}",
                params.command
            ))),
        }
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let request = self.request(&uri)?;
        let analysis = self.analysis(&uri, &request.snapshot).await?;
        let Snapshot { rope, encoding, .. } = &*request.snapshot;
        let start = position_to_offset(rope, params.range.start, *encoding);
        let end = position_to_offset(rope, params.range.end, *encoding);
        let requested = TextRange::from_usize(start.min(end)..start.max(end));
        let only = params.context.only.as_deref();
        let findings: Vec<_> = analysis
            .findings
            .iter()
            .filter(|f| f.range.intersects(requested))
            .collect();
        // Rewrites offered where the cursor is, not tied to a diagnostic.
        let rewrites = if to_proto::kind_requested(FixKind::Rewrite, only) {
            code_actions::code_actions(&analysis, &rope.to_string(), requested)
        } else {
            Vec::new()
        };
        Ok(Some(to_proto::code_actions(
            &findings, &rewrites, only, &uri, rope, *encoding,
        )))
    }
}

/// How many problems a settings message names; the others are counted.
const NAMED_PROBLEMS: usize = 3;

fn settings_message(problems: &[String]) -> Option<String> {
    let named = problems[..problems.len().min(NAMED_PROBLEMS)].join("; ");
    match problems.len() {
        0 => None,
        1 => Some(format!("iam-policy-lsp settings: {named}")),
        n if n <= NAMED_PROBLEMS => Some(format!("iam-policy-lsp settings, {n} problems: {named}")),
        n => Some(format!(
            "iam-policy-lsp settings, {n} problems: {named}; and {} more (all in the server's log)",
            n - NAMED_PROBLEMS
        )),
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_settings_message_names_three_problems_and_counts_the_others() {
        let problems = |n: usize| -> Vec<String> {
            (0..n).map(|i| format!("unknown rule \"r{i}\"")).collect()
        };
        assert_eq!(settings_message(&problems(0)), None);
        assert_eq!(
            settings_message(&problems(1)).unwrap(),
            "iam-policy-lsp settings: unknown rule \"r0\""
        );
        assert_eq!(
            settings_message(&problems(2)).unwrap(),
            "iam-policy-lsp settings, 2 problems: unknown rule \"r0\"; unknown rule \"r1\""
        );
        assert_eq!(
            settings_message(&problems(10_000)).unwrap(),
            "iam-policy-lsp settings, 10000 problems: unknown rule \"r0\"; unknown rule \"r1\"; unknown rule \"r2\"; and 9997 more (all in the server's log)"
        );
    }
}
