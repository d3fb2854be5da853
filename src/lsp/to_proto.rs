//! Conversions from the analysis' types to protocol types: every protocol response the server
//! builds is built here (positions themselves are converted by `position`).

use std::collections::HashMap;
use std::str::FromStr;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand,
    CodeActionProviderCapability, CodeActionResponse, CodeDescription, CompletionItem,
    CompletionItemKind, CompletionList, CompletionOptions, CompletionResponse, CompletionTextEdit,
    Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, DiagnosticTag, Documentation,
    ExecuteCommandOptions, Hover, HoverContents, HoverProviderCapability, InitializeResult,
    InsertTextFormat, Location, MarkupContent, MarkupKind, NumberOrString, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextEdit, Uri, WorkspaceEdit,
};

use super::position::{Encoding, Positions, range_to_lsp};
use crate::analysis::{Code, Finding, Fix, FixKind, Severity};
use crate::ide::completion::{self, Completions, ItemKind};
use crate::ide::hover::HoverInfo;

/// The answer to `initialize`: what the server implements, in the negotiated encoding.
pub(crate) fn initialize_result(encoding: Encoding) -> InitializeResult {
    InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "iam-policy-lsp".into(),
            version: Some(crate::version::long()),
        }),
        offset_encoding: None,
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
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: super::catalog_command::commands(),
            ..ExecuteCommandOptions::default()
        }),
        ..ServerCapabilities::default()
    }
}

pub(crate) fn diagnostics(
    findings: &[Finding],
    uri: &Uri,
    rope: &Rope,
    encoding: Encoding,
) -> Vec<Diagnostic> {
    // Findings come sorted by position: one cursor follows them, another their related
    // locations (which point back, often to one entry for many findings).
    let mut positions = Positions::new(rope, encoding);
    let mut related = Positions::new(rope, encoding);
    // The documentation link of each code met, parsed once.
    let mut described: Vec<(Code, Option<CodeDescription>)> = Vec::new();
    findings
        .iter()
        .map(|finding| {
            let description = match described.iter().find(|(code, _)| *code == finding.code) {
                Some((_, description)) => description.clone(),
                None => {
                    let description = code_description(finding.code);
                    described.push((finding.code, description.clone()));
                    description
                }
            };
            diagnostic(finding, uri, &mut positions, &mut related, description)
        })
        .collect()
}

pub(crate) const SOURCE: &str = "iam-policy-lsp";

fn code_description(code: Code) -> Option<CodeDescription> {
    Some(code.url())
        .filter(|url| !url.is_empty())
        .and_then(|url| Uri::from_str(url).ok())
        .map(|href| CodeDescription { href })
}

fn diagnostic(
    finding: &Finding,
    uri: &Uri,
    positions: &mut Positions,
    related_positions: &mut Positions,
    code_description: Option<CodeDescription>,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), related_positions.range(r.range)),
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: positions.range(finding.range),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description,
        source: Some(SOURCE.to_string()),
        message: finding.message.clone(),
        related_information: (!related.is_empty()).then_some(related),
        tags: finding.deprecated.then(|| vec![DiagnosticTag::DEPRECATED]),
        data: finding.data.clone(),
    }
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Information => DiagnosticSeverity::INFORMATION,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}

fn code_action(
    fix: &Fix,
    diagnostic: Option<Diagnostic>,
    uri: &Uri,
    rope: &Rope,
    encoding: Encoding,
) -> CodeAction {
    let edits = fix
        .edits
        .iter()
        .map(|e| TextEdit::new(range_to_lsp(rope, e.range, encoding), e.new_text.clone()))
        .collect();
    CodeAction {
        title: fix.title.clone(),
        kind: Some(code_action_kind(fix.kind)),
        diagnostics: diagnostic.map(|d| vec![d]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..WorkspaceEdit::default()
        }),
        command: None,
        is_preferred: fix.preferred.then_some(true),
        disabled: None,
        data: None,
    }
}

fn code_action_kind(kind: FixKind) -> CodeActionKind {
    match kind {
        FixKind::QuickFix => CodeActionKind::QUICKFIX,
        FixKind::Rewrite => CodeActionKind::REFACTOR_REWRITE,
    }
}

/// Whether a client that asked only for `only` kinds wants fixes of `kind` (`refactor` covers
/// `refactor.rewrite`).
pub(crate) fn kind_requested(kind: FixKind, only: Option<&[CodeActionKind]>) -> bool {
    let Some(only) = only else { return true };
    let kind = code_action_kind(kind);
    only.iter().any(|wanted| {
        let (kind, wanted) = (kind.as_str(), wanted.as_str());
        kind == wanted
            || kind
                .strip_prefix(wanted)
                .is_some_and(|rest| rest.starts_with('.'))
    })
}

fn completion_item(
    item: &completion::CompletionItem,
    rope: &Rope,
    encoding: Encoding,
) -> CompletionItem {
    CompletionItem {
        label: item.label.clone(),
        kind: Some(match item.kind {
            ItemKind::Element => CompletionItemKind::PROPERTY,
            ItemKind::Value => CompletionItemKind::VALUE,
            ItemKind::Operator => CompletionItemKind::OPERATOR,
            ItemKind::ConditionKey => CompletionItemKind::FIELD,
            ItemKind::Service => CompletionItemKind::MODULE,
            ItemKind::Action => CompletionItemKind::FUNCTION,
            ItemKind::Wildcard => CompletionItemKind::REFERENCE,
        }),
        detail: item.detail.clone(),
        documentation: item.documentation.as_ref().map(|text| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text.clone(),
            })
        }),
        deprecated: item.deprecated.then_some(true),
        sort_text: item.sort_text.clone(),
        filter_text: item.filter_text.clone(),
        insert_text_format: Some(if item.snippet {
            InsertTextFormat::SNIPPET
        } else {
            InsertTextFormat::PLAIN_TEXT
        }),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
            range_to_lsp(rope, item.range, encoding),
            item.new_text.clone(),
        ))),
        ..CompletionItem::default()
    }
}

/// A completion list; marked incomplete when the client must ask again as the user types.
pub(crate) fn completion_response(
    list: Completions,
    rope: &Rope,
    encoding: Encoding,
) -> CompletionResponse {
    let items = list
        .items
        .iter()
        .map(|item| completion_item(item, rope, encoding))
        .collect();
    if list.incomplete {
        CompletionResponse::List(CompletionList {
            is_incomplete: true,
            items,
        })
    } else {
        CompletionResponse::Array(items)
    }
}

pub(crate) fn hover(info: HoverInfo, rope: &Rope, encoding: Encoding) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: info.markdown,
        }),
        range: Some(range_to_lsp(rope, info.range, encoding)),
    }
}

/// The code actions for a range: the fixes of the findings there (each with its diagnostic),
/// then the rewrites offered at the cursor, of the kinds the client asked for.
pub(crate) fn code_actions(
    findings: &[&Finding],
    rewrites: &[Fix],
    only: Option<&[CodeActionKind]>,
    uri: &Uri,
    rope: &Rope,
    encoding: Encoding,
) -> CodeActionResponse {
    let mut actions = Vec::new();
    for finding in findings {
        let diagnostic = diagnostic(
            finding,
            uri,
            &mut Positions::new(rope, encoding),
            &mut Positions::new(rope, encoding),
            code_description(finding.code),
        );
        for fix in finding
            .fixes
            .iter()
            .filter(|f| kind_requested(f.kind, only))
        {
            actions.push(CodeActionOrCommand::CodeAction(code_action(
                fix,
                Some(diagnostic.clone()),
                uri,
                rope,
                encoding,
            )));
        }
    }
    for fix in rewrites {
        actions.push(CodeActionOrCommand::CodeAction(code_action(
            fix, None, uri, rope, encoding,
        )));
    }
    actions
}
