//! Policy types end to end: the type comes from `check --policy-type`, the `policyTypes`
//! setting (CLI configuration, editor settings) or the policy itself, and the type-dependent
//! rules follow it, through the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::Client;
use serde_json::json;

/// A deny-everything policy with a Principal: valid as a resource-based policy, not as an SCP.
const WITH_PRINCIPAL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Deny all", "Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*"}]}"#;

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(args: &[&str]) -> Output {
    Command::new(common::server_path())
        .arg("check")
        .args(args)
        .output()
        .expect("run the binary")
}

/// The `[code]`s of `check`'s text output, in order.
fn codes(output: &Output) -> Vec<String> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| Some(l.split_once('[')?.1.split_once(']')?.0.to_string()))
        .collect()
}

#[test]
fn the_flag_and_the_configuration_give_the_type() {
    let dir = scratch("policy-types-cli");
    std::fs::create_dir_all(dir.join("scp")).unwrap();
    std::fs::write(dir.join("bucket.json"), WITH_PRINCIPAL).unwrap();
    std::fs::write(dir.join("scp/guardrail.json"), WITH_PRINCIPAL).unwrap();
    let config = dir.join("config.json");
    std::fs::write(&config, r#"{"policyTypes": {"scp/**": "scp"}}"#).unwrap();
    let path = |p: &str| dir.join(p).to_string_lossy().into_owned();

    // What the content says: a resource-based policy or an RCP; nothing wrong with either.
    let output = check(&[&path("bucket.json")]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(codes(&output), Vec::<String>::new());

    // The flag: an SCP has no Principal, and letters and digits only in a Sid.
    let output = check(&["--policy-type", "scp", &path("bucket.json")]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(codes(&output), ["invalid-sid", "principal-not-allowed"]);

    // The configuration, by path.
    let output = check(&["--config", &path("config.json"), &dir.to_string_lossy()]);
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.lines().all(|l| l.contains("guardrail.json")),
        "only the SCP: {text}"
    );
    assert_eq!(codes(&output), ["invalid-sid", "principal-not-allowed"]);

    // A bad type is a usage error.
    let output = check(&["--policy-type", "admin", &path("bucket.json")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a policy type"));
}

#[test]
fn the_server_reads_policy_types_from_its_settings() {
    let mut client = Client::spawn();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {},
               "initializationOptions": {"policyTypes": {"scp/**": "scp"}}}),
    );
    client.notify("initialized", json!({}));
    let scp = "file:///work/org/scp/guardrail.json";
    let bucket = "file:///work/org/buckets/logs.json";
    client.open(scp, 1, WITH_PRINCIPAL);
    client.open(bucket, 1, WITH_PRINCIPAL);
    let codes = |diagnostics: Vec<serde_json::Value>| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_eq!(
        codes(client.diagnostics(scp, 1)),
        ["invalid-sid", "principal-not-allowed"]
    );
    assert_eq!(codes(client.diagnostics(bucket, 1)), Vec::<String>::new());

    // The hover on the policy's opening brace says which type and why.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": scp}, "position": {"line": 0, "character": 0}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        markdown.contains("Checked as an SCP: set by the `policyTypes` setting"),
        "{markdown}"
    );

    // New settings re-check the open documents.
    client.notify(
        "workspace/didChangeConfiguration",
        json!({"settings": {"policyTypes": {"buckets/*.json": "resource:s3"}}}),
    );
    assert_eq!(codes(client.diagnostics(scp, 1)), Vec::<String>::new());
    assert!(client.shutdown().success());
}
