//! End-to-end: the key-type, date, region, placement and redundancy rules of issue 14's
//! `aa-cond` branch through the real server binary, with the exact token each diagnostic
//! covers, and two quick fixes (a date rewritten, a redundant statement removed) applied
//! through `textDocument/codeAction`.

mod common;

use common::{Client, summarize};
use serde_json::{Value, json};

const URI: &str = "file:///work/aa-cond.json";

const CODES: [&str; 9] = [
    "missing-set-operator",
    "condition-operator-type",
    "ambiguous-date",
    "redundant-condition-value",
    "redundant-statement",
    "wildcard-in-service",
    "variable-not-allowed",
    "unknown-region",
    "arn-region",
];

const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["*code*:Get*", "s3:${aws:username}"],
      "Resource": ["arn:aws:ec2:us-east-9:123456789012:instance/*", "arn:aws:dynamodb::123456789012:table/T"],
      "Condition": {
        "StringEquals": {"aws:TagKeys": "env", "aws:RequestedRegion": "eu-wset-1"},
        "NumericLessThan": {"aws:username": "5", "aws:MultiFactorAuthAge": ["2700", "3600"]},
        "DateLessThan": {"aws:CurrentTime": "1735689600"}
      }
    },
    {
      "Effect": "Allow",
      "Action": "s3:GetObject",
      "Resource": "arn:aws:s3:::b/*"
    },
    {
      "Effect": "Allow",
      "Action": ["S3:getobject"],
      "Resource": ["arn:aws:s3:::b/*"]
    }
  ]
}"#;

/// (code, start line, start character, end line, end character) of `needle`, the first at or
/// after `from` (the text is ASCII: characters are bytes).
fn at(code: &str, needle: &str, from: &str) -> (String, u64, u64, u64, u64) {
    let start = POLICY.find(from).expect(from);
    let begin = start + POLICY[start..].find(needle).expect(needle);
    let end = begin + needle.len();
    let position = |offset: usize| {
        let line = POLICY[..offset].matches('\n').count() as u64;
        let column = offset - POLICY[..offset].rfind('\n').map_or(0, |n| n + 1);
        (line, column as u64)
    };
    let (l1, c1) = position(begin);
    let (l2, c2) = position(end);
    (code.to_string(), l1, c1, l2, c2)
}

/// The text of the third statement, from its `{` to its `}`.
fn third_statement() -> &'static str {
    let inside = POLICY.find(r#""Action": ["S3:getobject"]"#).unwrap();
    let start = POLICY[..inside].rfind('{').unwrap();
    let end = inside + POLICY[inside..].find('}').unwrap() + 1;
    &POLICY[start..end]
}

fn ours(diagnostics: &[Value]) -> Vec<(String, u64, u64, u64, u64)> {
    let mut got: Vec<_> = summarize(diagnostics)
        .into_iter()
        .filter(|d| CODES.contains(&d.0.as_str()))
        .collect();
    got.sort_by_key(|d| (d.1, d.2));
    got
}

/// Applies the code action titled `title` offered for the first diagnostic of `code`.
fn apply_fix(client: &mut Client, diagnostics: &[Value], code: &str, title: &str, version: i64) {
    let diagnostic = diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code}"));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": diagnostic["range"], "context": {"diagnostics": [diagnostic]}}),
    );
    let action = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .unwrap_or_else(|| panic!("no {title:?} in {actions:#}"));
    let changes: Vec<_> = action["edit"]["changes"][URI]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!({"range": e["range"], "text": e["newText"]}))
        .collect();
    client.change(URI, version, json!(changes));
}

#[test]
fn each_rule_covers_its_token_and_two_fixes_apply() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(URI, 1, POLICY);
    let diagnostics = client.diagnostics(URI, 1);
    let mut want = vec![
        at("wildcard-in-service", "*code*", "\"Action\""),
        at("variable-not-allowed", "${aws:username}", "\"Action\""),
        at("unknown-region", "us-east-9", "\"Resource\""),
        at(
            "arn-region",
            r#""arn:aws:dynamodb::123456789012:table/T""#,
            "\"Resource\"",
        ),
        at("missing-set-operator", r#""aws:TagKeys""#, "StringEquals"),
        at("unknown-region", r#""eu-wset-1""#, "StringEquals"),
        at(
            "condition-operator-type",
            r#""aws:username""#,
            "NumericLessThan",
        ),
        at("redundant-condition-value", r#""2700""#, "NumericLessThan"),
        at("ambiguous-date", r#""1735689600""#, "DateLessThan"),
        at(
            "redundant-statement",
            third_statement(),
            "\"arn:aws:s3:::b/*\"",
        ),
    ];
    want.sort_by_key(|d| (d.1, d.2));
    assert_eq!(ours(&diagnostics), want, "{diagnostics:#?}");
    let severity = |code: &str| {
        diagnostics
            .iter()
            .find(|d| d["code"] == code)
            .map(|d| d["severity"].clone())
    };
    assert_eq!(severity("redundant-statement"), Some(json!(4)), "a hint");
    assert_eq!(severity("ambiguous-date"), Some(json!(3)), "information");
    assert_eq!(severity("unknown-region"), Some(json!(2)), "a warning");

    apply_fix(
        &mut client,
        &diagnostics,
        "ambiguous-date",
        "Change to \"2025-01-01T00:00:00Z\"",
        2,
    );
    let after = client.diagnostics(URI, 2);
    assert!(
        ours(&after).iter().all(|d| d.0 != "ambiguous-date"),
        "{after:#?}"
    );
    apply_fix(
        &mut client,
        &after,
        "redundant-statement",
        "Remove statement 3",
        3,
    );
    let after = client.diagnostics(URI, 3);
    let left = ours(&after);
    assert!(
        left.iter().all(|d| d.0 != "redundant-statement"),
        "{left:?}"
    );
    assert_eq!(left.len(), want.len() - 2, "{left:?}");
    assert!(client.shutdown().success());
}
