//! `deprecated-condition-key`: global keys that AWS no longer documents. IAM still evaluates
//! them where a service sets them, so none is an error; `unknown-condition-key` leaves them to
//! this rule.

use crate::analysis::{Code, Finding, Fix, Severity};
use crate::policy::ConditionEntry;
use crate::syntax::Str;

pub(crate) struct DeprecatedKey {
    pub(crate) name: &'static str,
    severity: Severity,
    /// What to write instead (each a fix), when AWS documents a successor.
    replacements: &'static [&'static str],
    why: &'static str,
}

const DEPRECATED: [DeprecatedKey; 3] = [
    DeprecatedKey {
        name: "aws:ARN",
        severity: Severity::Warning,
        replacements: &["aws:PrincipalArn", "aws:SourceArn"],
        why: "IAM Access Analyzer reports it as unsupported; use aws:PrincipalArn for the caller or aws:SourceArn for the calling resource",
    },
    DeprecatedKey {
        name: "aws:SourceOwner",
        severity: Severity::Hint,
        replacements: &[],
        why: "an older form of aws:SourceAccount that only some services still set (SNS's default topic policy uses it); prefer aws:SourceAccount in new policies",
    },
    DeprecatedKey {
        name: "aws:PrincipalOrgMasterAccountId",
        severity: Severity::Hint,
        replacements: &[],
        why: "the account ID of the organization's management (formerly \"master\") account; AWS's table of global keys no longer lists it, though AWS's own policies (AWSSSOServiceRolePolicy) still use it",
    },
];

/// The deprecated global key `name` (case-insensitively), if it is one.
pub(crate) fn deprecated_key(name: &str) -> Option<&'static DeprecatedKey> {
    DEPRECATED
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(name))
}

pub(super) fn check(key: &Str, siblings: &[ConditionEntry]) -> Option<Finding> {
    let deprecated = deprecated_key(&key.value)?;
    let mut finding = Finding::new(
        Code::DeprecatedConditionKey,
        key.range,
        format!(
            "\"{}\" is a global condition key AWS no longer documents: {}",
            key.value, deprecated.why
        ),
    )
    .severity(deprecated.severity);
    for &replacement in deprecated.replacements {
        // Renaming to a key the operator already has would make a duplicate key.
        if siblings
            .iter()
            .any(|e| e.key.value.eq_ignore_ascii_case(replacement))
        {
            continue;
        }
        finding = finding.fix(Fix::replace(
            format!("Change to \"{replacement}\""),
            key.content_range(),
            replacement,
        ));
    }
    Some(finding)
}
