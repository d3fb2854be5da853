//! The `LanguageServer` implementation.
//!
//! tower-lsp-server runs handlers concurrently. Every handler that changes a document
//! applies the change synchronously, under a `std::sync::Mutex`, before its first `.await`,
//! so edits are applied in the order they arrive; diagnostics are published by one task
//! (see `publisher`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc::UnboundedSender;
use tower_lsp_server::jsonrpc::{Error, Result};
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer};
use tracing::{debug, warn};

use super::document::Document;
use super::position::{Encoding, position_to_offset, range_to_lsp};
use super::publisher::{self, Job};
use super::to_proto;
use crate::analysis::{Config, FixKind, Options};
use crate::ide::{code_actions, completion, hover};

pub(crate) struct State {
    pub(crate) encoding: Encoding,
    pub(crate) options: Options,
    pub(crate) snippets: bool,
    pub(crate) documents: HashMap<Uri, Document>,
    /// The last version published per document: never publish an older one.
    pub(crate) published: HashMap<Uri, i32>,
}

/// Locks the state even if a handler panicked while holding it: the state stays usable
/// (every mutation is a single assignment or rope edit).
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) struct Backend {
    client: Client,
    state: Arc<Mutex<State>>,
    jobs: UnboundedSender<Job>,
    /// Set by `shutdown`: the process then exits with status 0, otherwise 1.
    shut_down: Arc<AtomicBool>,
}

impl Backend {
    pub(crate) fn new(client: Client, shut_down: Arc<AtomicBool>) -> Self {
        let state = Arc::new(Mutex::new(State {
            encoding: Encoding::Utf16,
            options: Options::default(),
            snippets: false,
            documents: HashMap::new(),
            published: HashMap::new(),
        }));
        let jobs = publisher::start(client.clone(), Arc::clone(&state));
        Self {
            client,
            state,
            jobs,
            shut_down,
        }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    fn enqueue(&self, job: Job) {
        if self.jobs.send(job).is_err() {
            warn!("the diagnostics publisher has stopped");
        }
    }

    /// Reads rule settings from `{"rules": …}` or `{"iamPolicyLsp": {"rules": …}}`.
    fn configure(&self, settings: &serde_json::Value) -> Vec<String> {
        let settings = settings.get("iamPolicyLsp").unwrap_or(settings);
        let (config, problems) = Config::from_json(settings);
        let uris: Vec<Uri> = {
            let mut state = self.state();
            state.options.config = config;
            for document in state.documents.values_mut() {
                document.invalidate();
            }
            state.documents.keys().cloned().collect()
        };
        for uri in uris {
            self.enqueue(Job::Publish(uri));
        }
        problems
    }

    async fn report_settings_problems(&self, problems: Vec<String>) {
        for problem in problems {
            self.client
                .show_message(
                    MessageType::WARNING,
                    format!("iam-policy-lsp settings: {problem}"),
                )
                .await;
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..TextDocumentSyncOptions::default()
            },
        )),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ":".into()]),
            ..CompletionOptions::default()
        }),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::REFACTOR_REWRITE,
            ]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
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
        Ok(InitializeResult {
            capabilities: capabilities(encoding),
            server_info: Some(ServerInfo {
                name: "iam-policy-lsp".into(),
                version: Some(crate::version::long()),
            }),
            offset_encoding: None,
        })
    }

    async fn shutdown(&self) -> Result<()> {
        self.shut_down.store(true, Ordering::SeqCst);
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        {
            let mut state = self.state();
            state.published.remove(&document.uri);
            state.documents.insert(
                document.uri.clone(),
                Document::new(&document.text, document.version),
            );
            self.enqueue(Job::Publish(document.uri));
        }
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.state();
            let encoding = state.encoding;
            let Some(document) = state.documents.get_mut(&uri) else {
                warn!(
                    uri = uri.as_str(),
                    "didChange for a document that is not open; ignored"
                );
                return;
            };
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
            document.set_version(params.text_document.version);
            self.enqueue(Job::Publish(uri));
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        {
            let mut state = self.state();
            if state.documents.remove(&uri).is_none() {
                warn!(
                    uri = uri.as_str(),
                    "didClose for a document that is not open"
                );
            }
            self.enqueue(Job::Clear(uri));
        }
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        let problems = self.configure(&params.settings);
        self.report_settings_problems(problems).await;
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let position = params.text_document_position;
        let (analysis, rope, encoding, snippets) = self.snapshot(&position.text_document.uri)?;
        let offset = position_to_offset(&rope, position.position, encoding);
        let caps = completion::Capabilities { snippets };
        let list = completion::complete_list(&analysis, to_u32(offset), caps);
        let items = list
            .items
            .iter()
            .map(|item| to_proto::completion_item(item, &rope, encoding))
            .collect();
        Ok(Some(if list.incomplete {
            CompletionResponse::List(CompletionList {
                is_incomplete: true,
                items,
            })
        } else {
            CompletionResponse::Array(items)
        }))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let position = params.text_document_position_params;
        let (analysis, rope, encoding, _) = self.snapshot(&position.text_document.uri)?;
        let offset = position_to_offset(&rope, position.position, encoding);
        Ok(hover::hover(&analysis, to_u32(offset)).map(|info| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: info.markdown,
            }),
            range: Some(range_to_lsp(&rope, info.range, encoding)),
        }))
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        let uri = params.text_document.uri;
        let (analysis, rope, encoding, _) = self.snapshot(&uri)?;
        let start = position_to_offset(&rope, params.range.start, encoding);
        let end = position_to_offset(&rope, params.range.end, encoding);
        let requested = crate::syntax::TextRange::from_usize(start.min(end)..start.max(end));
        let only = params.context.only.as_deref();
        let mut actions = Vec::new();
        for finding in analysis
            .findings
            .iter()
            .filter(|f| f.range.intersects(requested))
        {
            let diagnostic = to_proto::diagnostic(finding, &uri, &rope, encoding);
            for fix in finding
                .fixes
                .iter()
                .filter(|f| to_proto::kind_requested(f.kind, only))
            {
                actions.push(CodeActionOrCommand::CodeAction(to_proto::code_action(
                    fix,
                    Some(diagnostic.clone()),
                    &uri,
                    &rope,
                    encoding,
                )));
            }
        }
        // Rewrites offered where the cursor is, not tied to a diagnostic.
        if to_proto::kind_requested(FixKind::Rewrite, only) {
            let text = rope.to_string();
            for fix in code_actions::code_actions(&analysis, &text, requested) {
                actions.push(CodeActionOrCommand::CodeAction(to_proto::code_action(
                    &fix, None, &uri, &rope, encoding,
                )));
            }
        }
        Ok(Some(actions))
    }
}

impl Backend {
    /// The answer to a frame whose body was not JSON (see `transport`).
    pub(crate) async fn parse_error(&self) -> Result<()> {
        Err(Error::parse_error())
    }

    /// The answer to a frame whose body was JSON but no JSON-RPC message (see `transport`).
    pub(crate) async fn invalid_request(&self) -> Result<()> {
        Err(Error::invalid_request())
    }

    /// The current analysis of a document, computed if needed, with what is needed to
    /// convert positions; the lock is released before the caller works with them.
    fn snapshot(
        &self,
        uri: &Uri,
    ) -> Result<(Arc<crate::analysis::Analysis>, ropey::Rope, Encoding, bool)> {
        let mut state = self.state();
        let encoding = state.encoding;
        let snippets = state.snippets;
        let options = state.options.clone();
        let document = state
            .documents
            .get_mut(uri)
            .ok_or_else(|| Error::invalid_params(format!("document not open: {}", uri.as_str())))?;
        Ok((
            document.analysis(&options),
            document.rope.clone(),
            encoding,
            snippets,
        ))
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
