//! End to end over the real server: typing a Deny that breaks Support Center raises the
//! diagnostic on the action token, with its data and related information; its quick fix,
//! applied as an editor applies it, makes the diagnostic go away.

mod common;

use common::Client;
use serde_json::{Value, json};

const URI: &str = "file:///work/support.json";

fn by_code<'d>(diagnostics: &'d [Value], code: &str) -> Vec<&'d Value> {
    diagnostics.iter().filter(|d| d["code"] == code).collect()
}

#[test]
fn typing_a_deny_raises_the_diagnostic_and_the_quick_fix_removes_it() {
    let (mut client, _) = Client::initialized(json!({}));
    let start = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\"Effect\": \"Allow\", \"Action\": [\"support:*\", \"support-console:*\"], \"Resource\": \"*\"}\n  ]\n}\n";
    client.open(URI, 1, start);
    assert!(client.diagnostics(URI, 1).is_empty());

    // Type a second statement after the first one, one character at a time.
    let typed =
        ",\n    {\"Effect\": \"Deny\", \"Action\": \"support:Describe*\", \"Resource\": \"*\"}";
    let (mut line, mut character) = (3u32, start.lines().nth(3).unwrap().len() as u32);
    let mut version = 1;
    for ch in typed.chars() {
        version += 1;
        let at = json!({"line": line, "character": character});
        client.change(
            URI,
            version,
            json!([{"range": {"start": at, "end": at}, "text": ch.to_string()}]),
        );
        if ch == '\n' {
            (line, character) = (line + 1, 0);
        } else {
            character += 1;
        }
    }
    let diagnostics = client.diagnostics(URI, version);
    let breaks = by_code(&diagnostics, "deny-breaks-support-center");
    assert_eq!(breaks.len(), 1, "{diagnostics:#?}");
    let d = breaks[0];
    let token_start = "    {\"Effect\": \"Deny\", \"Action\": ".len() as u64;
    assert_eq!(
        d["range"],
        json!({"start": {"line": 4, "character": token_start}, "end": {"line": 4, "character": token_start + 19}})
    );
    assert_eq!(d["severity"], 2);
    assert!(d["message"].as_str().unwrap().starts_with("Deny \"support:Describe*\" breaks Support Center: DescribeSupportLevel (identify the support plan)"));
    assert_eq!(d["data"]["conditional"], false);
    assert!(
        d["data"]["workflows"]
            .as_array()
            .unwrap()
            .contains(&json!("open-support-center"))
    );
    assert!(
        d["codeDescription"]["href"]
            .as_str()
            .unwrap()
            .contains("accessing-support")
    );
    let related = &d["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    assert_eq!(
        related["location"]["range"]["start"],
        json!({"line": 3, "character": 35})
    );

    // Ask for code actions on the diagnostic, and apply the preferred one like an editor.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| {
            a["isPreferred"] == true && a["diagnostics"][0]["code"] == "deny-breaks-support-center"
        })
        .expect("a preferred quick fix");
    assert_eq!(fix["kind"], "quickfix");
    let edits = fix["edit"]["changes"][URI].as_array().unwrap().clone();
    version += 1;
    client.change(
        URI,
        version,
        Value::Array(
            edits
                .iter()
                .map(|e| json!({"range": e["range"], "text": e["newText"]}))
                .collect(),
        ),
    );
    let after = client.diagnostics(URI, version);
    assert!(
        by_code(&after, "deny-breaks-support-center").is_empty(),
        "{after:#?}"
    );
    assert!(by_code(&after, "json-syntax").is_empty(), "{after:#?}");
    assert!(client.shutdown().success());
}

#[test]
fn hover_on_statement_summarises_the_workflows() {
    let (mut client, _) = Client::initialized(json!({}));
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "NotAction": ["iam:*"], "Resource": "*"}]}"#;
    client.open(URI, 1, text);
    let diagnostics = client.diagnostics(URI, 1);
    assert_eq!(
        by_code(&diagnostics, "deny-breaks-support-center")[0]["severity"],
        3,
        "Information: the whole of Support Center"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 30}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains("| Create a support case | **denied** | by statement 1;"),
        "{value}"
    );
    assert!(client.shutdown().success());
}

/// Issue 18: the diagnostic and the hover word a negated condition as what it means.
#[test]
fn a_negated_condition_is_worded_as_what_it_means() {
    let (mut client, _) = Client::initialized(json!({}));
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {"StringNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/OrgAdmin"}}}]}"#;
    let meaning = "for every principal except those whose aws:PrincipalArn is like arn:aws:iam::*:role/OrgAdmin";
    client.open(URI, 1, text);
    let diagnostics = client.diagnostics(URI, 1);
    let message = by_code(&diagnostics, "deny-breaks-support-center")[0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        message.ends_with(&format!("(conditional: {meaning})")),
        "{message}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": URI}, "position": {"line": 0, "character": 30}}),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(
        value.contains(&format!(
            "| Create a support case | **denied under conditions** | by statement 1; {meaning}; denies "
        )),
        "{value}"
    );
    assert!(
        value.contains("| Trusted Advisor Priority | not affected |  |"),
        "{value}"
    );
    assert!(client.shutdown().success());
}
