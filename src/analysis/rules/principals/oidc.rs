//! Trust in an OIDC provider: every identity it signs tokens for can assume the role unless a
//! condition names which (`oidc-missing-condition`); GitHub signs tokens for every repository
//! on GitHub with the same audience, so its `sub` claim must name the repository
//! (`github-oidc-sub`).

use super::format::{self, Federated};
use super::{principal_types, restricting_values, strings};
use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::policy::{Effect, Statement};
use crate::syntax::{Str, ValueKind};

const GITHUB: &str = "token.actions.githubusercontent.com";

pub(super) fn check_statement(statement: &Statement, sink: &mut Sink) {
    if statement.effect() != Some(Effect::Allow)
        || !(sink.wants(Code::GithubOidcSub) || sink.wants(Code::OidcMissingCondition))
    {
        return;
    }
    let Some(principal) = statement.principal else {
        return;
    };
    for principal_type in principal_types(principal) {
        if &*principal_type.key.value != "Federated" {
            continue;
        }
        for string in strings(principal_type.value.as_ref()) {
            let (_, Some(Federated::Oidc { host })) = format::federated(string.as_str()) else {
                continue;
            };
            // GitHub Enterprise Cloud's issuer: `token.actions.githubusercontent.com/ENTERPRISE`.
            let issuer = host.split('/').next().unwrap_or(host);
            if issuer.eq_ignore_ascii_case(GITHUB) {
                github(statement, string, sink);
            } else {
                provider(statement, string, host, sink);
            }
        }
    }
}

/// `github-oidc-sub`: no positive condition on the `sub` claim, or one whose wildcard reaches
/// other repositories.
fn github(statement: &Statement, principal: &Str, sink: &mut Sink) {
    if !sink.wants(Code::GithubOidcSub) {
        return;
    }
    let Some(values) = restricting_values(statement, &format!("{GITHUB}:sub")) else {
        sink.push(Finding::new(
            Code::GithubOidcSub,
            principal.range,
            format!(
                "GitHub signs tokens for every repository on GitHub with this issuer: without a condition on `{GITHUB}:sub` naming your repository (\"repo:ORG/REPO:ref:refs/heads/main\"), any GitHub workflow can assume this role"
            ),
        ));
        return;
    };
    for value in values {
        let ValueKind::String(sub) = &value.kind else {
            continue;
        };
        let text = sub.as_str();
        let Some(wildcard) = text.find(['*', '?']) else {
            continue;
        };
        let fixed = &text[..wildcard];
        // `repo:ORG/REPO:` before the wildcard pins the repository.
        let pinned = fixed
            .strip_prefix("repo:")
            .and_then(|rest| rest.split_once('/'))
            .is_some_and(|(org, rest)| {
                !org.is_empty()
                    && rest
                        .split_once(':')
                        .is_some_and(|(repo, _)| !repo.is_empty())
            });
        let finding = if pinned {
            Finding::new(
                Code::GithubOidcSub,
                sub.range,
                "any branch, tag, environment or pull request of this repository can assume this role: name the branch or environment if only one should",
            )
            .severity(Severity::Information)
        } else {
            Finding::new(
                Code::GithubOidcSub,
                sub.range,
                "this wildcard reaches other repositories (GitHub signs tokens for all of them): name the organization and the repository (\"repo:ORG/REPO:…\")",
            )
        };
        sink.push(finding);
    }
}

/// `oidc-missing-condition`: no condition key of the provider's (`HOST:aud`, `HOST:sub`, …).
fn provider(statement: &Statement, principal: &Str, host: &str, sink: &mut Sink) {
    if !sink.wants(Code::OidcMissingCondition) {
        return;
    }
    let prefix = format!("{host}:");
    let restricted = statement.conditions().iter().any(|block| {
        !block.operator.as_str().starts_with("Null")
            && block.entries.iter().any(|entry| {
                entry.key.as_str().len() > prefix.len()
                    && entry.key.as_str()[..prefix.len()].eq_ignore_ascii_case(&prefix)
            })
    });
    if !restricted {
        sink.push(Finding::new(
            Code::OidcMissingCondition,
            principal.range,
            format!(
                "every identity `{host}` signs tokens for can assume this role: add a condition on its claims (`{host}:aud`, `{host}:sub`)"
            ),
        ));
    }
}
