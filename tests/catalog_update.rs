//! `iam-policy-lsp catalog update` through the real binary: from a mirror folder and from an
//! HTTP server on 127.0.0.1 (this test's own), both in AWS's layout, with a service and an
//! action the embedded catalogue lacks; then `check` and the server (after its update
//! command) know them. Broken sources (an HTTP error, a missing service file, a connection
//! dropped mid-body, truncated JSON) fail with a message naming what failed, and the previous
//! cache still serves. Nothing here reaches an address other than 127.0.0.1.

mod common;
#[path = "catalog_update/mirror.rs"]
mod mirror;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use catalog_format::{Action, InfoEntry, Model, Service, image};
use common::Client;
use mirror::{
    ACTIONS, Fault, MirrorServer, NEW_ACTION, NEW_SERVICE_ACTION, REMOVED_ACTION, SERVICES, TYPO,
    copy_fixture,
};
use serde_json::{Value, json};

/// A fresh folder under the target directory for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with its catalogue cache in `cache` (and no proxy: the test server is local).
fn binary(cache: &Path) -> Command {
    let mut command = Command::new(common::server_path());
    command
        .env("IAM_POLICY_LSP_CACHE_DIR", cache)
        .env_remove("IAM_POLICY_LSP_NO_CACHE");
    for proxy in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(proxy);
    }
    command
}

fn run(cache: &Path, args: &[&str]) -> Output {
    binary(cache).args(args).output().expect("run the binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A policy naming the new actions, the removed one, a current one and a typo.
fn policy() -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [NEW_ACTION, NEW_SERVICE_ACTION, REMOVED_ACTION, "s3:GetObject", TYPO], "Resource": "*"}]}).to_string()
}

/// `check --format json` of `file`: (code, the flagged string, message) of the findings.
fn check(cache: &Path, file: &Path) -> Vec<(String, String, String)> {
    let output = run(
        cache,
        &["check", "--format", "json", file.to_str().unwrap()],
    );
    let findings: Vec<Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&output.stderr)));
    let source = std::fs::read_to_string(file).unwrap();
    findings
        .iter()
        .map(|f| {
            let (start, end) = (
                f["range"]["start"]["offset"].as_u64().unwrap() as usize,
                f["range"]["end"]["offset"].as_u64().unwrap() as usize,
            );
            let token: String = serde_json::from_str(&source[start..end]).unwrap_or_default();
            (
                f["code"].as_str().unwrap().to_string(),
                token,
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn codes_of(findings: &[(String, String, String)], token: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|(_, t, _)| t == token)
        .map(|(c, _, _)| c.clone())
        .collect()
}

/// What `check` says of the new and removed actions: before an update, after one.
fn assert_knows_the_later_reference(cache: &Path, file: &Path, knows: bool) {
    let findings = check(cache, file);
    if knows {
        assert!(codes_of(&findings, NEW_ACTION).is_empty(), "{findings:?}");
        assert!(
            codes_of(&findings, NEW_SERVICE_ACTION).is_empty(),
            "{findings:?}"
        );
        let removed = findings
            .iter()
            .find(|(_, t, _)| t == REMOVED_ACTION)
            .unwrap_or_else(|| panic!("{findings:?}"));
        assert_eq!(removed.0, "removed-action");
        assert!(
            removed.2.contains("removed after 2026-09-26"),
            "{}",
            removed.2
        );
    } else {
        assert_eq!(codes_of(&findings, NEW_ACTION), ["unknown-action"]);
        assert_eq!(codes_of(&findings, NEW_SERVICE_ACTION), ["unknown-service"]);
        assert!(
            codes_of(&findings, REMOVED_ACTION).is_empty(),
            "{findings:?}"
        );
    }
    assert!(codes_of(&findings, "s3:GetObject").is_empty());
    // A typo stays a typo, whichever catalogue is in use.
    let typo = findings
        .iter()
        .find(|(_, t, _)| t == TYPO)
        .unwrap_or_else(|| panic!("{findings:?}"));
    assert_eq!(typo.0, "unknown-action");
    assert!(typo.2.contains("s3:GetObject"), "{}", typo.2);
}

fn status(cache: &Path) -> Value {
    let output = run(cache, &["catalog", "status", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("JSON")
}

#[test]
fn an_update_from_a_mirror_folder_teaches_check_what_aws_added_and_removed() {
    let dir = scratch("catalog-update-folder");
    let (cache, mirror) = (dir.join("cache"), dir.join("mirror"));
    // AWS's layout one folder down (`v1/`), as a mirror of its whole address has it.
    copy_fixture(&mirror);
    let file = dir.join("policy.json");
    std::fs::write(&file, policy()).unwrap();

    assert_knows_the_later_reference(&cache, &file, false);
    assert_eq!(status(&cache)["in_use"], "embedded");
    assert_eq!(status(&cache)["cache"]["state"], "absent");

    let output = run(
        &cache,
        &["catalog", "update", "--source", mirror.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let said = text(&output.stdout);
    assert!(
        said.contains(&format!("{SERVICES} services, {ACTIONS} actions; 1 services and 1 actions that the embedded catalogue (2026-09-26) lacks;")),
        "{said}"
    );

    assert_knows_the_later_reference(&cache, &file, true);
    let status = status(&cache);
    assert_eq!(status["in_use"], "cached");
    assert_eq!(status["cache"]["state"], "in-use");
    assert_eq!(status["catalogue"]["counts"]["services"], SERVICES);
    assert_eq!(status["catalogue"]["counts"]["actions"], ACTIONS);
    assert_eq!(status["embedded"]["counts"]["actions"], 22_091);
    let source = status["catalogue"]["source"].as_str().unwrap();
    assert!(source.ends_with("v1"), "{source}");
    let version = text(&run(&cache, &["--version"]).stdout);
    assert!(
        version.contains("(catalogue: AWS service reference fetched 20"),
        "{version}"
    );
    // The cache off: the embedded catalogue again.
    let off = binary(&cache)
        .env("IAM_POLICY_LSP_NO_CACHE", "1")
        .args(["catalog", "status", "--format", "json"])
        .output()
        .unwrap();
    let off: Value = serde_json::from_slice(&off.stdout).unwrap();
    assert_eq!(off["in_use"], "embedded");
    assert_eq!(off["cache"]["state"], "off");
}

#[test]
fn an_update_over_http_and_broken_sources_that_keep_the_previous_cache() {
    let dir = scratch("catalog-update-http");
    let (cache, root) = (dir.join("cache"), dir.join("root"));
    copy_fixture(&root);
    let file = dir.join("policy.json");
    std::fs::write(&file, policy()).unwrap();
    let server = MirrorServer::start(root);

    let output = run(&cache, &["catalog", "update", "--source", &server.url()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_knows_the_later_reference(&cache, &file, true);
    let cached = std::fs::read(cache.join(format!("catalog.v{}.image", image::VERSION)))
        .expect("the cache file");

    for (path, fault, named) in [
        (
            "/v1/service-list.json",
            Fault::Status(500),
            "service-list.json: HTTP 500",
        ),
        (
            "/v1/s3/s3.json",
            Fault::Status(404),
            "/v1/s3/s3.json: HTTP 404",
        ),
        (
            "/v1/quantumledger/quantumledger.json",
            Fault::DropMidBody,
            "/v1/quantumledger/quantumledger.json",
        ),
        ("/v1/iam/iam.json", Fault::Truncated, "/v1/iam/iam.json"),
    ] {
        server.heal();
        server.fail(path, fault);
        let output = run(&cache, &["catalog", "update", "--source", &server.url()]);
        let said = text(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{path}: {said}");
        assert!(said.contains("catalog update failed"), "{said}");
        assert!(said.contains(named), "{path} {fault:?}: {said}");
        assert!(said.contains("is unchanged"), "{said}");
        let after =
            std::fs::read(cache.join(format!("catalog.v{}.image", image::VERSION))).unwrap();
        assert!(after == cached, "{path}: the cache changed");
        assert_knows_the_later_reference(&cache, &file, true);
    }
    // Nothing listens there.
    let output = run(
        &cache,
        &["catalog", "update", "--source", "http://127.0.0.1:9/"],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("GET http://127.0.0.1:9/"),
        "{}",
        text(&output.stderr)
    );
    assert_knows_the_later_reference(&cache, &file, true);
}

#[test]
fn a_broken_mirror_folder_writes_nothing() {
    let dir = scratch("catalog-update-broken-folder");
    let (cache, mirror) = (dir.join("cache"), dir.join("mirror"));
    copy_fixture(&mirror);
    let mirror = mirror.join("v1");
    let s3 = mirror.join("s3/s3.json");
    let whole = std::fs::read(&s3).unwrap();
    std::fs::write(&s3, &whole[..whole.len() / 2]).unwrap();
    let output = run(
        &cache,
        &["catalog", "update", "--source", mirror.to_str().unwrap()],
    );
    let said = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(
        said.contains("s3.json: not a service reference file"),
        "{said}"
    );
    assert!(said.contains("no catalogue was cached"), "{said}");
    assert!(!cache.exists() || std::fs::read_dir(&cache).unwrap().next().is_none());

    std::fs::write(&s3, &whole).unwrap();
    std::fs::remove_file(mirror.join("iam/iam.json")).unwrap();
    let output = run(
        &cache,
        &["catalog", "update", "--source", mirror.to_str().unwrap()],
    );
    let said = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains("iam.json: no such file"), "{said}");
    assert_eq!(status(&cache)["in_use"], "embedded");
}

#[test]
fn a_broken_or_older_cache_is_not_used() {
    let dir = scratch("catalog-update-bad-cache");
    let cache = dir.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    let path = cache.join(format!("catalog.v{}.image", image::VERSION));
    let file = dir.join("policy.json");
    std::fs::write(&file, policy()).unwrap();

    std::fs::write(&path, b"IAMCATLG but not an image").unwrap();
    let output = run(&cache, &["check", file.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "warnings only");
    assert!(
        text(&output.stderr).contains("cannot be used"),
        "{}",
        text(&output.stderr)
    );
    assert_eq!(status(&cache)["cache"]["state"], "broken");
    assert_knows_the_later_reference(&cache, &file, false);

    // A valid image dated before the embedded catalogue: a binary newer than the update.
    let mut model = Model {
        services: vec![Service {
            prefix: "s3".into(),
            name: String::new(),
        }],
        actions: vec![Action {
            prefix: "s3".into(),
            name: "GetObject".into(),
            level: "Read".into(),
            resource_types: Vec::new(),
            condition_keys: Vec::new(),
            dependent_actions: Vec::new(),
        }],
        ..Model::default()
    };
    model.sort_service_tables();
    model.info.data_version = "an old update".into();
    model.info.extra = vec![InfoEntry {
        key: "data_date".into(),
        value: "2020-01-01".into(),
    }];
    std::fs::write(&path, image::write(&model).unwrap()).unwrap();
    let status = status(&cache);
    assert_eq!(status["in_use"], "embedded");
    assert_eq!(status["cache"]["state"], "older");
    assert_knows_the_later_reference(&cache, &file, false);
}

#[test]
fn the_server_updates_its_catalogue_without_a_restart() {
    let dir = scratch("catalog-update-server");
    let (cache, mirror) = (dir.join("cache"), dir.join("mirror"));
    copy_fixture(&mirror);
    let mut client = Client::spawn_command(binary(&cache));
    let initialized = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let commands = &initialized["capabilities"]["executeCommandProvider"]["commands"];
    assert_eq!(
        *commands,
        json!([
            "iam-policy-lsp.updateCatalog",
            "iam-policy-lsp.reloadCatalog"
        ])
    );

    let uri = "file:///catalog-update/policy.json";
    let text = policy();
    client.open(uri, 1, &text);
    let codes = |diagnostics: &[Value]| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap_or("").to_string())
            .collect()
    };
    let before = client.diagnostics(uri, 1);
    assert_eq!(
        codes(&before),
        ["unknown-action", "unknown-service", "unknown-action"],
        "{before:?}"
    );

    let answer = client.request(
        "workspace/executeCommand",
        json!({"command": "iam-policy-lsp.updateCatalog", "arguments": [{"source": mirror}]}),
    );
    assert_eq!(answer["changed"], true, "{answer}");
    assert_eq!(answer["counts"]["actions"], ACTIONS);
    let after = client.diagnostics(uri, 1);
    assert_eq!(
        codes(&after),
        ["removed-action", "unknown-action"],
        "{after:?}"
    );
    // The hover names the new catalogue.
    let column = text.find(NEW_ACTION).unwrap() + 3;
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": column}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap_or_default();
    assert!(
        markdown.contains(&format!("**{NEW_ACTION}** — Write")),
        "{markdown}"
    );
    assert!(
        markdown.contains("AWS service reference fetched"),
        "{markdown}"
    );

    // A failing update leaves the catalogue in use.
    let failed = client.request_raw(
        "workspace/executeCommand",
        json!({"command": "iam-policy-lsp.updateCatalog", "arguments": [{"source": dir.join("nowhere")}]}),
    );
    let message = failed["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nowhere"), "{failed}");
    let reload = client.request(
        "workspace/executeCommand",
        json!({"command": "iam-policy-lsp.reloadCatalog"}),
    );
    assert_eq!(reload["counts"]["actions"], ACTIONS, "{reload}");
    assert!(client.shutdown().success());
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = scratch("catalog-update-progress");
    let (cache, mirror) = (dir.join("cache"), dir.join("mirror"));
    copy_fixture(&mirror);
    let piped = run(
        &cache,
        &["catalog", "update", "--source", mirror.to_str().unwrap()],
    );
    assert_eq!(piped.status.code(), Some(0), "{}", text(&piped.stderr));
    assert!(
        !text(&piped.stderr).contains("reading the service reference"),
        "{}",
        text(&piped.stderr)
    );
    // `script` (util-linux) runs the command on a pseudo-terminal.
    let line = format!(
        "'{}' catalog update --source '{}'",
        common::server_path(),
        mirror.display()
    );
    let Ok(on_terminal) = Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .env("IAM_POLICY_LSP_CACHE_DIR", &cache)
        .env_remove("IAM_POLICY_LSP_NO_CACHE")
        .output()
    else {
        common::skip_unless_required(
            "progress_shows_on_a_terminal_only",
            "`script` (util-linux) is not installed",
        );
        return;
    };
    let shown = text(&on_terminal.stdout);
    assert_eq!(on_terminal.status.code(), Some(0), "{shown}");
    assert!(
        shown.contains(&format!(
            "reading the service reference: {SERVICES}/{SERVICES} services"
        )),
        "{shown}"
    );
}
