//! Conversions from the analysis' types to protocol types.

use std::collections::HashMap;
use std::str::FromStr;

use ropey::Rope;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeDescription, CompletionItem, CompletionItemKind,
    CompletionTextEdit, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DiagnosticTag, Documentation, InsertTextFormat, Location, MarkupContent, MarkupKind,
    NumberOrString, TextEdit, Uri, WorkspaceEdit,
};

use super::position::{Encoding, range_to_lsp};
use crate::analysis::{Finding, Fix, FixKind, Severity};
use crate::ide::completion::{self, ItemKind};

pub(crate) const SOURCE: &str = "iam-policy-lsp";

pub(crate) fn diagnostic(
    finding: &Finding,
    uri: &Uri,
    rope: &Rope,
    encoding: Encoding,
) -> Diagnostic {
    let related: Vec<DiagnosticRelatedInformation> = finding
        .related
        .iter()
        .map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), range_to_lsp(rope, r.range, encoding)),
            message: r.message.clone(),
        })
        .collect();
    Diagnostic {
        range: range_to_lsp(rope, finding.range, encoding),
        severity: Some(severity(finding.severity)),
        code: Some(NumberOrString::String(finding.code.as_str().to_string())),
        code_description: Uri::from_str(finding.code.url())
            .ok()
            .map(|href| CodeDescription { href }),
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

pub(crate) fn code_action(
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

pub(crate) fn completion_item(
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
