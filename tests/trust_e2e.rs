//! End-to-end: the role trust, service principal and resource policy checks after IAM Access
//! Analyzer's, through the real server binary: each code's diagnostic at its token, with its
//! severity, and the quick fixes applied through `codeAction` until the finding is gone.

mod common;

use common::{Client, summarize};
use serde_json::{Value, json};

const CODES: &[&str] = &[
    "trust-principal-star",
    "trust-action-mismatch",
    "roles-anywhere-actions",
    "service-principal-no-source",
    "redundant-principal",
    "oidc-audience-qualifier",
    "missing-paired-key",
    "notaction-tag-condition",
    "unsupported-action-in-resource-policy",
];

/// `(code, line, start, line, end)` of the first `needle` after `from` in `text` (ASCII).
fn at(text: &str, code: &str, needle: &str, from: &str) -> (String, u64, u64, u64, u64) {
    let start = text.find(from).unwrap_or_else(|| panic!("{from}"));
    let offset = start
        + text[start..]
            .find(needle)
            .unwrap_or_else(|| panic!("{needle}"));
    let line = text[..offset].matches('\n').count() as u64;
    let column = (offset - text[..offset].rfind('\n').map_or(0, |n| n + 1)) as u64;
    (
        code.to_string(),
        line,
        column,
        line,
        column + needle.len() as u64,
    )
}

/// The diagnostics of these codes, as the server publishes them for `text` at `uri`.
fn ours(client: &mut Client, uri: &str, version: i64) -> Vec<Value> {
    client
        .diagnostics(uri, version)
        .into_iter()
        .filter(|d| CODES.contains(&d["code"].as_str().unwrap_or("")))
        .collect()
}

/// Applies the preferred quick fix for `diagnostic` as the editor would, as version `version`.
fn apply_fix(client: &mut Client, uri: &str, diagnostic: &Value, version: i64) {
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == diagnostic["code"] && a["edit"].is_object())
        .unwrap_or_else(|| panic!("a fix in {actions}"))
        .clone();
    let edits: Vec<Value> = action["edit"]["changes"][uri]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!({"range": e["range"], "text": e["newText"]}))
        .collect();
    client.change(uri, version, Value::Array(edits));
}

#[test]
fn trust_policy_findings_and_their_fixes() {
    const URI: &str = "file:///work/trust.json";
    let text = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"},
{"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": ["sts:AssumeRole"]},
{"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app", "arn:aws:sts::111122223333:assumed-role/app/s1"]}, "Action": "sts:AssumeRole"},
{"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity",
 "Condition": {"ForAnyValue:StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}}
]}"#;
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, text);
    let found = ours(&mut client, URI, 1);
    assert_eq!(
        summarize(&found),
        [
            at(text, "trust-principal-star", r#""*""#, "Principal"),
            at(
                text,
                "trust-action-mismatch",
                r#""sts:AssumeRoleWithWebIdentity""#,
                "saml-provider"
            ),
            at(
                text,
                "roles-anywhere-actions",
                r#""rolesanywhere.amazonaws.com""#,
                "Service"
            ),
            at(
                text,
                "redundant-principal",
                r#""arn:aws:sts::111122223333:assumed-role/app/s1""#,
                "role/app"
            ),
            at(
                text,
                "oidc-audience-qualifier",
                r#""oidc.eks.us-east-1.amazonaws.com/id/ABC:aud""#,
                "ForAnyValue"
            ),
        ]
    );
    let severities: Vec<&Value> = found.iter().map(|d| &d["severity"]).collect();
    // Warning, warning, warning, hint, information.
    assert_eq!(
        severities,
        [&json!(2), &json!(2), &json!(2), &json!(4), &json!(3)]
    );
    // Each fix, applied through the editor's code action, removes its finding.
    let mut version = 1;
    let mut current = found;
    for code in [
        "trust-action-mismatch",
        "roles-anywhere-actions",
        "redundant-principal",
        "oidc-audience-qualifier",
    ] {
        let diagnostic = current
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("{code} in {current:?}"))
            .clone();
        version += 1;
        apply_fix(&mut client, URI, &diagnostic, version);
        current = ours(&mut client, URI, version);
        assert!(
            current.iter().all(|d| d["code"] != code),
            "{code}: {current:?}"
        );
    }
    let left: Vec<&Value> = current.iter().map(|d| &d["code"]).collect();
    assert_eq!(left, [&json!("trust-principal-star")]);
    assert!(client.shutdown().success());
}

#[test]
fn resource_policy_and_condition_findings() {
    const URI: &str = "file:///work/api-policy.json";
    // An API Gateway resource policy (its `execute-api:/` resources say so).
    let api = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": ["execute-api:Invoke", "lambda:InvokeFunction"], "Resource": "execute-api:/*"},
{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
 "Condition": {"IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}
]}"#;
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, api);
    let found = ours(&mut client, URI, 1);
    assert_eq!(
        summarize(&found),
        [
            at(
                api,
                "unsupported-action-in-resource-policy",
                r#""lambda:InvokeFunction""#,
                "execute-api:Invoke"
            ),
            at(
                api,
                "service-principal-no-source",
                r#""events.amazonaws.com""#,
                "Service"
            ),
            at(
                api,
                "missing-paired-key",
                r#""aws:VpcSourceIp""#,
                "Condition"
            ),
        ]
    );
    assert!(found.iter().all(|d| d["severity"] == 2), "{found:?}");
    // An SCP-style Deny with NotAction and a tag key.
    const SCP: &str = "file:///work/scp.json";
    let scp = r#"{"Version": "2012-10-17", "Statement": [
{"Effect": "Deny", "NotAction": "iam:*", "Resource": "*",
 "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}
]}"#;
    client.open(SCP, 1, scp);
    let found = ours(&mut client, SCP, 1);
    assert_eq!(
        summarize(&found),
        [at(
            scp,
            "notaction-tag-condition",
            r#""aws:ResourceTag/env""#,
            "StringEquals"
        )]
    );
    assert_eq!(found[0]["severity"], 2);
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("does not deny them"),
        "{found:?}"
    );
    assert!(client.shutdown().success());
}
