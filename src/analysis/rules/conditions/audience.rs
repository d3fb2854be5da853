//! `oidc-audience-qualifier`: `ForAllValues:` or `ForAnyValue:` on an identity provider's
//! `aud` claim (`oidc.eks.REGION.amazonaws.com/id/ID:aud`, `token.actions.githubusercontent.com:aud`).
//! Most providers send one audience, and a set operator then only suggests several; whether
//! this one sends a list is the provider's business, so the finding asks to confirm. The
//! claims the catalogue knows (`accounts.google.com:aud`, `cognito-identity.amazonaws.com:aud`)
//! are single-valued there: `forallvalues-single-valued` reports those.

use crate::analysis::{Code, Finding, Fix};
use crate::catalog::{ConditionOperator, OperatorFamily};
use crate::policy::ConditionBlock;
use crate::syntax::Str;

/// An identity provider's audience key: `HOST:aud`, the host a domain name (service prefixes
/// have no dot).
fn is_audience_key(key: &str) -> bool {
    key.rsplit_once(':').is_some_and(|(host, claim)| {
        claim.eq_ignore_ascii_case("aud") && host.contains('.') && !host.contains(['*', '?'])
    })
}

pub(super) fn check(
    text: &str,
    blocks: &[ConditionBlock],
    index: usize,
    operator: ConditionOperator,
    key: &Str,
) -> Option<Finding> {
    let qualifier = operator.qualifier?;
    if operator.family() == OperatorFamily::Null || !is_audience_key(&key.value) {
        return None;
    }
    let mut finding = Finding::new(
        Code::OidcAudienceQualifier,
        key.range,
        format!(
            "\"{}\" is the token's audience, which most identity providers send as one value: confirm that this one sends a list, or use the operator without {}",
            key.value,
            qualifier.as_str()
        ),
    );
    let without = &blocks[index].operator.value[qualifier.as_str().len()..];
    if blocks[index].entries.len() == 1
        && let Some(edit) = super::rename_operator(text, blocks, index, without)
    {
        finding = finding.fix(Fix::quick(
            format!("Remove {}", qualifier.as_str()),
            vec![edit],
        ));
    }
    Some(finding)
}
