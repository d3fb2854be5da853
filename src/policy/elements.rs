//! The policy language's element names, with what each means (shown on hover).

pub(crate) struct Element {
    pub(crate) name: &'static str,
    pub(crate) summary: &'static str,
}

pub(crate) const POLICY_ELEMENTS: &[Element] = &[
    Element {
        name: "Version",
        summary: "The version of the policy language. Use `2012-10-17`; without it, policy variables such as `${aws:username}` are treated as literal text.",
    },
    Element {
        name: "Id",
        summary: "An optional identifier for the policy. Some services (SQS, SNS) expect a unique value; IAM ignores it.",
    },
    Element {
        name: "Statement",
        summary: "The policy's statements: one statement object or an array of them. Each says which actions on which resources are allowed or denied, and under which conditions.",
    },
];

pub(crate) const STATEMENT_ELEMENTS: &[Element] = &[
    Element {
        name: "Sid",
        summary: "An optional statement identifier: ASCII letters and digits only, unique within the policy.",
    },
    Element {
        name: "Effect",
        summary: "Whether the statement allows or denies: exactly `Allow` or `Deny` (case-sensitive). An explicit Deny overrides every Allow.",
    },
    Element {
        name: "Principal",
        summary: "Who the statement applies to, in resource-based policies (bucket, key, trust policies). Identity policies and SCPs must not have it.",
    },
    Element {
        name: "NotPrincipal",
        summary: "Every principal except the listed ones. Rarely right: AWS recommends conditions on `aws:PrincipalArn` instead.",
    },
    Element {
        name: "Action",
        summary: "The actions the statement covers, as `service:Action` strings. Case-insensitive; `*` and `?` are wildcards.",
    },
    Element {
        name: "NotAction",
        summary: "Every action of every service except the listed ones. With Deny it is an allow-list guardrail; with Allow it grants far more than it seems.",
    },
    Element {
        name: "Resource",
        summary: "The resources the statement covers, as ARNs (wildcards allowed) or `*`. Services without resource-level permissions, such as AWS Support, need `*`.",
    },
    Element {
        name: "NotResource",
        summary: "Every resource except the listed ones. A NotResource of `*` matches nothing, so the statement never applies.",
    },
    Element {
        name: "Condition",
        summary: "When the statement applies: condition operators, each mapping condition keys to the values to compare. All operators and keys must match (values of one key are alternatives).",
    },
];

pub(crate) fn policy_element(name: &str) -> Option<&'static Element> {
    POLICY_ELEMENTS.iter().find(|e| e.name == name)
}

pub(crate) fn statement_element(name: &str) -> Option<&'static Element> {
    STATEMENT_ELEMENTS.iter().find(|e| e.name == name)
}

/// The accepted policy language versions.
pub(crate) const VERSIONS: &[&str] = &["2012-10-17", "2008-10-17"];
