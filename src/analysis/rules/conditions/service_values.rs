//! `condition-value-type` for keys whose values are service principals (IAM Access Analyzer's
//! "Invalid service principal format", for condition keys): `iam:PassedToService`,
//! `iam:AWSServiceName`, `aws:PrincipalServiceName`, `aws:PrincipalServiceNamesList` hold
//! `NAME.amazonaws.com` (a few `NAME.amazon.com`, China's `NAME.amazonaws.com.cn`), and
//! `kms:ViaService` holds `NAME.REGION.amazonaws.com`. A value of another shape never equals
//! the request's. Wildcards, variables and placeholders are left alone.

use crate::analysis::{Code, Finding, Fix};
use crate::catalog::{ConditionOperator, OperatorFamily};
use crate::policy::ConditionEntry;
use crate::policy::arn::is_region;

const PRINCIPAL_KEYS: &[&str] = &[
    "iam:PassedToService",
    "iam:AWSServiceName",
    "aws:PrincipalServiceName",
    "aws:PrincipalServiceNamesList",
];

const SUFFIXES: &[&str] = &[".amazonaws.com", ".amazonaws.com.cn", ".amazon.com"];

pub(super) fn check(
    operator: ConditionOperator,
    entry: &ConditionEntry,
    push: &mut dyn FnMut(Finding),
) {
    // String operators compare service names; `Null` takes true or false.
    if operator.family() != OperatorFamily::String {
        return;
    }
    let key = &*entry.key.value;
    let via_service = key.eq_ignore_ascii_case("kms:ViaService");
    if !via_service && !PRINCIPAL_KEYS.iter().any(|k| k.eq_ignore_ascii_case(key)) {
        return;
    }
    for value in &entry.values {
        let Some(s) = value.as_str() else { continue };
        let text = &*s.value;
        if !s.terminated || text.is_empty() || text.contains(['*', '?', '$', '<', '{']) {
            continue;
        }
        let (valid, expected) = if via_service {
            (
                is_via_service(text),
                "SERVICE.REGION.amazonaws.com (e.g. s3.us-east-1.amazonaws.com)",
            )
        } else {
            (
                is_service_principal(text),
                "a service principal such as ec2.amazonaws.com",
            )
        };
        if valid {
            continue;
        }
        let mut finding = Finding::new(
            Code::ConditionValueType,
            s.range,
            format!("\"{text}\" is not {expected}: {key} never has this value"),
        );
        let bare_name = text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !via_service && bare_name {
            let fixed = format!("{text}.amazonaws.com");
            finding = finding.fix(Fix::replace(
                format!("Change to \"{fixed}\""),
                s.content_range(),
                fixed,
            ));
        }
        push(finding);
    }
}

/// `NAME.amazonaws.com` and the like: lower-case letters, digits, `-` and `.` before a suffix.
fn is_service_principal(text: &str) -> bool {
    SUFFIXES
        .iter()
        .filter_map(|s| text.strip_suffix(s))
        .any(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        })
}

/// `NAME.REGION.amazonaws.com` (or `.amazonaws.com.cn`).
fn is_via_service(text: &str) -> bool {
    let Some(name) = [".amazonaws.com", ".amazonaws.com.cn"]
        .iter()
        .find_map(|s| text.strip_suffix(s))
    else {
        return false;
    };
    match name.rsplit_once('.') {
        Some((service, region)) => {
            !service.is_empty()
                && service
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
                && is_region(region)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        for ok in [
            "ec2.amazonaws.com",
            "ecs-tasks.amazonaws.com",
            "alexa-appkit.amazon.com",
            "ec2.amazonaws.com.cn",
            "custom-resource.application-autoscaling.amazonaws.com",
        ] {
            assert!(is_service_principal(ok), "{ok}");
        }
        for bad in [
            "ec2",
            "EC2.amazonaws.com",
            "ec2.amazonaws",
            "arn:aws:iam::1:role/x",
            ".amazonaws.com",
        ] {
            assert!(!is_service_principal(bad), "{bad}");
        }
        assert!(is_via_service("s3.us-east-1.amazonaws.com"));
        assert!(is_via_service("secretsmanager.cn-north-1.amazonaws.com.cn"));
        assert!(!is_via_service("s3.amazonaws.com"));
        assert!(!is_via_service("s3.useast1.amazonaws.com"));
    }
}
