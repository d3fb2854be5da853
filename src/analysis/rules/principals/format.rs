//! What a principal string is, by principal type (`AWS`, `Service`, `Federated`,
//! `CanonicalUser`): the shapes IAM accepts, after the Principal element's reference page.

use crate::policy::arn::{ArnText, PARTITIONS, has_host_placeholder, is_account_id, parse_arn};

/// What is wrong with a principal string, if anything.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    Valid,
    /// A host placeholder or a `<fill-in>`: nothing can be said.
    Unknown,
    /// `*` or `?` in a value other than the whole `"*"` of `AWS`.
    Wildcard,
    /// A role or user unique ID (`AROA…`, `AIDA…`), or an access key ID (`AKIA…`, `ASIA…`).
    UniqueId {
        access_key: bool,
    },
    /// Not a value of this principal type; why, and a replacement when one is certain.
    Invalid {
        why: &'static str,
        fix: Option<String>,
    },
}

fn invalid(why: &'static str) -> Verdict {
    Verdict::Invalid { why, fix: None }
}

/// What no rule can judge: a value a host or a reader fills in (`${…}`, `<account-id>`,
/// `(account_infra)` of a sample: IAM names and ARNs have neither brackets nor parentheses).
fn unknown(text: &str) -> bool {
    let fill_in =
        |open: char, close: char| text.find(open).is_some_and(|at| text[at..].contains(close));
    has_host_placeholder(text) || text.contains("${") || fill_in('<', '>') || fill_in('(', ')')
}

/// `AWS`: an account ID, an IAM user or role, the account's root, an STS session or federated
/// user, a CloudFront origin access identity, or `*`.
pub(super) fn aws(text: &str) -> Verdict {
    if text == "*" {
        return Verdict::Valid;
    }
    if unknown(text) {
        return Verdict::Unknown;
    }
    if text.contains(['*', '?']) {
        return Verdict::Wildcard;
    }
    if is_account_id(text) {
        return Verdict::Valid;
    }
    if let Some(access_key) = unique_id(text) {
        return Verdict::UniqueId { access_key };
    }
    if !text.starts_with("arn:") {
        let digits: String = text.chars().filter(|c| *c != '-' && *c != ' ').collect();
        return Verdict::Invalid {
            why: "an AWS principal is an account ID (12 digits), an IAM role or user ARN, an STS session ARN or \"*\"",
            fix: is_account_id(&digits).then_some(digits),
        };
    }
    let ArnText::Arn(arn) = parse_arn(text) else {
        return invalid("an ARN has six fields (arn:partition:service:region:account:resource)");
    };
    if !arn.partition().text.is_empty() && !PARTITIONS.contains(&arn.partition().text) {
        return invalid("the partition is not one of AWS's");
    }
    if !arn.region().text.is_empty() {
        return invalid("IAM and STS principal ARNs have no region");
    }
    let (account, resource) = (arn.account().text, arn.resource().text);
    match arn.service().text {
        "iam" if account == "cloudfront" => {
            if resource.starts_with("user/CloudFront Origin Access Identity ") {
                Verdict::Valid
            } else {
                invalid(
                    "the account `cloudfront` names CloudFront origin access identities only (user/CloudFront Origin Access Identity ID)",
                )
            }
        }
        _ if !is_account_id(account) => invalid("the account of a principal ARN is 12 digits"),
        "iam" => {
            if resource == "root" || named(resource, "role/") || named(resource, "user/") {
                Verdict::Valid
            } else if resource.starts_with("group/") {
                invalid("a group is not a principal: name its users or roles")
            } else {
                invalid("an IAM principal ARN names `root`, a `role/` or a `user/`")
            }
        }
        "sts" => {
            let session = resource
                .strip_prefix("assumed-role/")
                .and_then(|rest| rest.split_once('/'))
                .is_some_and(|(role, session)| !role.is_empty() && !session.is_empty());
            if session || named(resource, "federated-user/") {
                Verdict::Valid
            } else {
                invalid(
                    "an STS principal ARN names an `assumed-role/ROLE/SESSION` or a `federated-user/`",
                )
            }
        }
        _ => invalid("an AWS principal ARN is of IAM (`arn:aws:iam::…`) or STS (`arn:aws:sts::…`)"),
    }
}

/// `prefix` followed by a non-empty name.
fn named(resource: &str, prefix: &str) -> bool {
    resource
        .strip_prefix(prefix)
        .is_some_and(|name| !name.is_empty())
}

/// `Some(is an access key)` for unique IDs (four upper-case letters of a known kind, then 16
/// or 17 upper-case letters and digits).
fn unique_id(text: &str) -> Option<bool> {
    let (kind, rest) = (text.get(..4)?, text.get(4..)?);
    let access_key = match kind {
        "AROA" | "AIDA" => false,
        "AKIA" | "ASIA" => true,
        _ => return None,
    };
    ((16..=17).contains(&rest.len())
        && rest
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()))
    .then_some(access_key)
}

/// `Service`: `NAME.amazonaws.com` (a few are regional, a few under `amazon.com`, China's
/// under `amazonaws.com.cn`).
pub(super) fn service(text: &str) -> Verdict {
    if unknown(text) {
        return Verdict::Unknown;
    }
    if text.contains(['*', '?']) {
        return Verdict::Wildcard;
    }
    let lower = text.to_ascii_lowercase();
    let well_formed = |t: &str| {
        [".amazonaws.com", ".amazonaws.com.cn", ".amazon.com"]
            .iter()
            .filter_map(|suffix| t.strip_suffix(suffix))
            .any(|name| {
                !name.is_empty()
                    && name.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'
                    })
            })
    };
    if well_formed(text) {
        Verdict::Valid
    } else if well_formed(&lower) {
        Verdict::Invalid {
            why: "service principals are lower case",
            fix: Some(lower),
        }
    } else if !lower.is_empty()
        && lower
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        Verdict::Invalid {
            why: "a service principal is the service's domain name",
            fix: Some(format!("{lower}.amazonaws.com")),
        }
    } else {
        invalid("a service principal is a domain name such as ec2.amazonaws.com")
    }
}

/// The web identity providers IAM knows by domain name.
pub(super) const WEB_IDENTITY_DOMAINS: &[&str] = &[
    "cognito-identity.amazonaws.com",
    "www.amazon.com",
    "graph.facebook.com",
    "accounts.google.com",
];

/// What a `Federated` principal is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Federated<'t> {
    Saml,
    /// An OIDC provider or a web identity domain, by the host its condition keys start with.
    Oidc {
        host: &'t str,
    },
}

/// `Federated`: a SAML or OIDC provider ARN, or a web identity provider's domain.
pub(super) fn federated(text: &str) -> (Verdict, Option<Federated<'_>>) {
    if unknown(text) {
        return (Verdict::Unknown, None);
    }
    if text.contains(['*', '?']) {
        return (Verdict::Wildcard, None);
    }
    if WEB_IDENTITY_DOMAINS.contains(&text) {
        return (Verdict::Valid, Some(Federated::Oidc { host: text }));
    }
    if !text.starts_with("arn:") {
        return (
            Verdict::Invalid {
                why: "a federated principal is a SAML or OIDC provider ARN (arn:aws:iam::ACCOUNT:saml-provider/NAME, …:oidc-provider/HOST) or one of cognito-identity.amazonaws.com, www.amazon.com, graph.facebook.com, accounts.google.com",
                fix: None,
            },
            None,
        );
    }
    let ArnText::Arn(arn) = parse_arn(text) else {
        return (
            invalid("an ARN has six fields (arn:partition:service:region:account:resource)"),
            None,
        );
    };
    let resource = arn.resource().text;
    let kind = if arn.service().text != "iam" || !arn.region().text.is_empty() {
        None
    } else if named(resource, "saml-provider/") {
        Some(Federated::Saml)
    } else {
        resource
            .strip_prefix("oidc-provider/")
            .filter(|host| !host.is_empty())
            .map(|host| Federated::Oidc { host })
    };
    match kind {
        Some(_) if !is_account_id(arn.account().text) => {
            (invalid("the account of a provider ARN is 12 digits"), None)
        }
        Some(kind) => (Verdict::Valid, Some(kind)),
        None => (
            invalid("a federated principal ARN names an IAM `saml-provider/` or `oidc-provider/`"),
            None,
        ),
    }
}

/// `CanonicalUser`: 64 hexadecimal digits (S3's canonical user ID).
pub(super) fn canonical_user(text: &str) -> Verdict {
    if unknown(text) {
        return Verdict::Unknown;
    }
    if text.contains(['*', '?']) {
        return Verdict::Wildcard;
    }
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Verdict::Valid
    } else {
        invalid("a canonical user ID is 64 hexadecimal digits")
    }
}
