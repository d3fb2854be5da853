//! End-to-end over stdio: completion, hover, diagnostics and code actions that read the action
//! catalogue, in a complete policy and in half-typed ones.

mod common;

use common::{Client, summarize};
use iam_policy_lsp::catalog;
use serde_json::{Value, json};

const URI: &str = "file:///work/support.json";

/// The LSP position (UTF-16; these documents are ASCII) of `needle`'s start plus `delta`.
fn position(text: &str, needle: &str, delta: usize) -> Value {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in the text"))
        + delta;
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let character = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": character})
}

fn client_with(text: &str) -> Client {
    let (mut client, _) = Client::initialized(json!({
        "textDocument": {"completion": {"completionItem": {"snippetSupport": true}}}
    }));
    client.open(URI, 1, text);
    client
}

fn complete(client: &mut Client, at: Value) -> (Vec<Value>, bool) {
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": URI}, "position": at}),
    );
    match result {
        Value::Array(items) => (items, false),
        Value::Object(list) => (
            list["items"].as_array().cloned().unwrap_or_default(),
            list["isIncomplete"] == true,
        ),
        other => panic!("unexpected completion result {other}"),
    }
}

fn labels(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["label"].as_str().unwrap_or("").to_string())
        .collect()
}

fn names(prefix: &str) -> Vec<String> {
    catalog::service(prefix)
        .expect("service")
        .actions()
        .map(|a| a.to_string())
        .collect()
}

const COMPLETE: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"support:\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";
const HALF_TYPED: &str = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"support:";

#[test]
fn every_support_action_after_the_prefix_complete_and_half_typed() {
    for text in [COMPLETE, HALF_TYPED] {
        let mut client = client_with(text);
        let at = position(text, "support:", "support:".len());
        let (items, incomplete) = complete(&mut client, at.clone());
        assert!(!incomplete);
        let got = labels(&items);
        let expected = names("support");
        assert_eq!(expected.len(), 39);
        for name in &expected {
            let item = items
                .iter()
                .find(|i| i["label"] == name.as_str())
                .unwrap_or_else(|| panic!("{name} missing from {got:?}"));
            assert_eq!(item["kind"], 3, "function");
            let doc = item["documentation"]["value"].as_str().unwrap_or("");
            assert_eq!(item["documentation"]["kind"], "markdown");
            assert!(
                doc.contains("Access level:") && doc.contains(catalog::data_version()),
                "{doc}"
            );
            assert!(item["detail"].is_string());
            let edit = &item["textEdit"];
            assert_eq!(
                edit["range"]["end"], at,
                "replaces up to the end of the token"
            );
            let closing = if text == HALF_TYPED { "\"" } else { "" };
            assert_eq!(edit["newText"], format!("{name}{closing}"));
        }
        assert!(got.contains(&"support:Describe*".to_string()), "{got:?}");
        assert!(client.shutdown().success());
    }
}

#[test]
fn typed_prefix_narrows_and_support_console_has_its_13() {
    for (text, needle, prefix, count) in [
        (
            COMPLETE.replace("support:", "trustedadvisor:Desc"),
            "trustedadvisor:Desc",
            "trustedadvisor:Describe",
            16,
        ),
        (
            format!(
                "{}\n",
                HALF_TYPED.replace("support:", "trustedadvisor:Desc")
            ),
            "trustedadvisor:Desc",
            "trustedadvisor:Describe",
            16,
        ),
        (
            COMPLETE.replace("support:", "support-console:"),
            "support-console:",
            "support-console:",
            13,
        ),
        (
            HALF_TYPED.replace("support:", "support-console:"),
            "support-console:",
            "support-console:",
            13,
        ),
    ] {
        let mut client = client_with(&text);
        let (items, _) = complete(&mut client, position(&text, needle, needle.len()));
        let got = labels(&items);
        let actions: Vec<&String> = got.iter().filter(|l| !l.ends_with('*')).collect();
        assert_eq!(actions.len(), count, "{got:?}");
        assert!(actions.iter().all(|l| l.starts_with(prefix)), "{got:?}");
        if prefix.starts_with("support-console") {
            let expected = names("support-console");
            assert_eq!(actions, expected.iter().collect::<Vec<_>>());
        }
        assert!(client.shutdown().success());
    }
}

#[test]
fn abbreviations_come_as_an_incomplete_list() {
    let text = COMPLETE.replace("support:", "sup:desclev");
    let mut client = client_with(&text);
    let (items, incomplete) = complete(&mut client, position(&text, "sup:desclev", 11));
    assert!(incomplete);
    let item = items
        .iter()
        .find(|i| i["label"] == "support:DescribeSupportLevel")
        .expect("found by abbreviation");
    assert_eq!(item["filterText"], "sup:desclev");
    // README's example: the action whose words the abbreviation starts comes first.
    assert_eq!(items[0]["label"], "support:DescribeSupportLevel");
    assert!(client.shutdown().success());
}

#[test]
fn hover_on_a_wildcard_lists_exactly_what_it_matches() {
    for text in [
        COMPLETE.replace("support:", "support:Describe*"),
        HALF_TYPED.replace("support:", "support:Describe*\", \"s3:"),
    ] {
        let mut client = client_with(&text);
        let hover = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": URI}, "position": position(&text, "Describe*", 3)}),
        );
        let markdown = hover["contents"]["value"].as_str().unwrap_or("");
        let expected: Vec<String> = catalog::matching_actions("support:Describe*")
            .map(|a| format!("`{}`", a.name()))
            .collect();
        assert_eq!(expected.len(), 17);
        assert!(
            markdown.starts_with("**`support:Describe*`** matches 17 actions"),
            "{markdown}"
        );
        let listed: Vec<&str> = markdown
            .split([',', '\n', ':'])
            .map(str::trim)
            .filter(|s| s.starts_with("`Describe"))
            .collect();
        assert_eq!(listed, expected, "{markdown}");
        assert!(markdown.contains(catalog::data_version()));
        assert_eq!(
            hover["range"]["start"],
            position(&text, "\"support:Describe*", 0)
        );
        assert!(client.shutdown().success());
    }
}

/// A misspelled action is underlined (a warning, exactly on its token) and the preferred quick
/// fix repairs it.
#[test]
fn misspelled_action_quick_fix_complete_and_half_typed() {
    let complete_doc = COMPLETE.replace("support:", "support:DescribeSupportLevle");
    let half = format!(
        "{}\n",
        HALF_TYPED.replace(
            "support:",
            "support:DescribeSupportLevle\", \"s3:GetObject\""
        )
    );
    for text in [complete_doc, half] {
        let mut client = client_with(&text);
        let diagnostics = client.diagnostics(URI, 1);
        let start = position(&text, "\"support:DescribeSupportLevle\"", 0);
        let end = position(&text, "\"support:DescribeSupportLevle\"", 30);
        let ours: Vec<&Value> = diagnostics
            .iter()
            .filter(|d| d["code"] == "unknown-action")
            .collect();
        assert_eq!(ours.len(), 1, "{:?}", summarize(&diagnostics));
        let d = ours[0];
        assert_eq!(d["severity"], 2, "a warning: IAM accepts unknown actions");
        assert_eq!(d["range"]["start"], start);
        assert_eq!(d["range"]["end"], end);
        assert!(
            d["message"]
                .as_str()
                .unwrap_or("")
                .contains("did you mean \"support:DescribeSupportLevel\"")
        );
        assert!(
            d["codeDescription"]["href"]
                .as_str()
                .unwrap_or("")
                .contains("service-authorization")
        );
        let actions = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": URI}, "range": d["range"], "context": {"diagnostics": [d], "only": ["quickfix"]}}),
        );
        let fix = actions
            .as_array()
            .and_then(|a| a.iter().find(|a| a["isPreferred"] == true))
            .expect("a preferred quick fix");
        assert_eq!(fix["kind"], "quickfix");
        assert_eq!(fix["title"], "Change to \"support:DescribeSupportLevel\"");
        let edit = &fix["edit"]["changes"][URI][0];
        client.change(
            URI,
            2,
            json!([{"range": edit["range"], "text": edit["newText"]}]),
        );
        let after = client.diagnostics(URI, 2);
        assert!(
            after.iter().all(|d| d["code"] != "unknown-action"),
            "{:?}",
            summarize(&after)
        );
        assert!(client.shutdown().success());
    }
}

#[test]
fn expand_wildcard_is_a_refactoring_at_the_cursor() {
    let text = COMPLETE.replace("support:", "support:*ForCase");
    let mut client = client_with(&text);
    let at = position(&text, "*ForCase", 2);
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at}, "context": {"diagnostics": [], "only": ["refactor"]}}),
    );
    let actions = actions.as_array().cloned().unwrap_or_default();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "refactor.rewrite");
    assert_eq!(
        actions[0]["title"],
        "Expand \"support:*ForCase\" into the 4 actions it matches"
    );
    let edit = &actions[0]["edit"]["changes"][URI][0];
    client.change(
        URI,
        2,
        json!([{"range": edit["range"], "text": edit["newText"]}]),
    );
    let expected: Vec<String> = catalog::matching_actions("support:*ForCase")
        .map(|a| format!("\"{a}\""))
        .collect();
    assert_eq!(edit["newText"], expected.join(", "));
    let after = client.diagnostics(URI, 2);
    assert!(
        after
            .iter()
            .all(|d| d["code"] != "json-syntax" && d["severity"] != 1),
        "{:?}",
        summarize(&after)
    );
    // Only quick fixes asked for: no rewrite.
    let quick = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": {"start": at, "end": at}, "context": {"diagnostics": [], "only": ["quickfix"]}}),
    );
    assert_eq!(quick, json!([]));
    assert!(client.shutdown().success());
}

/// More than twenty actions in other case than AWS's: one hint on the list's key, and its
/// quick fix (one edit from the first action to the last) writes every one as AWS does.
#[test]
fn many_case_differences_are_one_hint_whose_fix_rewrites_the_list() {
    let lower: Vec<String> = names("support")
        .iter()
        .take(25)
        .map(|n| format!("\"{}\"", n.to_ascii_lowercase()))
        .collect();
    let text = COMPLETE.replace("\"support:\"", &lower.join(",\n        "));
    let mut client = client_with(&text);
    let diagnostics = client.diagnostics(URI, 1);
    let hints: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["code"] == "action-case")
        .collect();
    assert_eq!(hints.len(), 1, "{:?}", summarize(&diagnostics));
    let hint = hints[0];
    assert_eq!(hint["range"]["start"], position(&text, "\"Action\"", 0));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": URI}, "range": hint["range"], "context": {"diagnostics": [hint], "only": ["quickfix"]}}),
    );
    let fix = actions
        .as_array()
        .and_then(|a| a.iter().find(|a| a["isPreferred"] == true))
        .expect("a preferred quick fix");
    assert_eq!(fix["title"], "Write the 25 actions as AWS does");
    let edits = fix["edit"]["changes"][URI].as_array().expect("edits");
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0]["range"]["start"], position(&text, "support:", 0));
    let canonical: Vec<String> = names("support").into_iter().take(25).collect();
    assert_eq!(edits[0]["newText"], canonical.join("\",\n        \""));
    client.change(
        URI,
        2,
        json!([{"range": edits[0]["range"], "text": edits[0]["newText"]}]),
    );
    let after = client.diagnostics(URI, 2);
    assert!(
        after.iter().all(|d| d["code"] != "action-case"),
        "{:?}",
        summarize(&after)
    );
    assert!(client.shutdown().success());
}
