//! End to end through the real server: policies inside a CloudFormation YAML template get
//! diagnostics at their place in the YAML, hovers, completion and quick fixes written in YAML.

mod common;

use common::{Client, summarize};
use serde_json::json;

const YAML_URI: &str = "file:///work/template.yaml";
const TEMPLATE: &str = "Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Allow
            Principal: {Service: !Sub 'lambda.${AWS::URLSuffix}'}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: !Sub '${AWS::StackName}-read'
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action:
                  - s3:GetObjekt
                  - s3:ListBuck
                Resource: !GetAtt Bucket.Arn
";

#[test]
fn yaml_template_diagnostics_hover_completion_and_fix() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(YAML_URI, 1, TEMPLATE);
    let diagnostics = client.diagnostics(YAML_URI, 1);
    assert_eq!(
        summarize(&diagnostics),
        vec![
            ("unknown-action".into(), 17, 20, 17, 32),
            ("unknown-action".into(), 18, 20, 18, 31),
        ]
    );

    // The quick fix replaces the plain scalar with a plain scalar.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": YAML_URI}, "range": diagnostics[0]["range"], "context": {"diagnostics": [diagnostics[0].clone()]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    let edits = fix["edit"]["changes"][YAML_URI].as_array().unwrap();
    assert_eq!(edits.len(), 1);
    assert_eq!(edits[0]["newText"], "s3:GetObject");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 17, "character": 20})
    );
    assert_eq!(
        edits[0]["range"]["end"],
        json!({"line": 17, "character": 32})
    );
    client.change(
        YAML_URI,
        2,
        json!([{"range": edits[0]["range"], "text": "s3:GetObject"}]),
    );
    assert_eq!(
        summarize(&client.diagnostics(YAML_URI, 2)),
        vec![("unknown-action".into(), 18, 20, 18, 31)]
    );

    // Hover on an action in a plain scalar.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": YAML_URI}, "position": {"line": 17, "character": 25}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("GetObject"), "{markdown}");
    assert_eq!(
        hover["range"]["start"],
        json!({"line": 17, "character": 20})
    );

    // Completion inside the half-typed plain scalar replaces it without quotes.
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": YAML_URI}, "position": {"line": 18, "character": 31}}),
    );
    let items = result
        .get("items")
        .and_then(|i| i.as_array())
        .or_else(|| result.as_array())
        .expect("completion items");
    let bucket = items
        .iter()
        .find(|i| i["label"] == "s3:ListBucket" || i["label"] == "ListBucket")
        .unwrap_or_else(|| panic!("s3:ListBucket offered: {result}"));
    let edit = &bucket["textEdit"];
    let new_text = edit["newText"].as_str().unwrap();
    assert!(
        !new_text.contains('"'),
        "no quotes in a plain scalar: {new_text}"
    );
    assert_eq!(edit["range"]["start"], json!({"line": 18, "character": 20}));
    assert!(client.shutdown().success());
}

#[test]
fn yaml_without_policies_and_broken_yaml_stay_silent() {
    let (mut client, _) = Client::initialized(json!({}));
    let workflow = "file:///work/.github/workflows/ci.yml";
    client.open(
        workflow,
        1,
        "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps: [\n",
    );
    assert!(client.diagnostics(workflow, 1).is_empty());
    let half = "file:///work/half.yaml";
    client.open(
        half,
        1,
        "Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [ \"s3:GetObject\",\n            Resource: '*'\n  Other: {\n",
    );
    let found = client.diagnostics(half, 1);
    assert!(
        found.iter().all(|d| d["code"] != "json-syntax"),
        "{found:?}"
    );
    assert!(client.shutdown().success());
}

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn check(args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(common::server_path())
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn cli_checks_templates_in_folders_and_by_name() {
    let dir = scratch("iac-cli");
    std::fs::create_dir_all(dir.join("infra")).unwrap();
    let template = dir.join("infra/stack.yml");
    std::fs::write(
        &template,
        TEMPLATE.replace(
            "Effect: Allow\n                Action",
            "Effect: Alow\n                Action",
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("infra/compose.yaml"),
        "services:\n  web:\n    image: nginx\n",
    )
    .unwrap();
    std::fs::write(dir.join("infra/notes.txt"), "Statement: x\n").unwrap();

    let (status, out, err) = check(&[dir.to_str().unwrap()]);
    assert_eq!(status, Some(1), "{out}{err}");
    let path = template.display();
    assert_eq!(
        out,
        format!(
            "{path}:16:25: error[invalid-effect] Effect must be \"Allow\" or \"Deny\" (case-sensitive), not \"Alow\"\n\
             {path}:18:21: warning[unknown-action] \"s3:GetObjekt\" is not an action of s3 (Amazon S3); did you mean \"s3:GetObject\"?\n\
             {path}:19:21: warning[unknown-action] \"s3:ListBuck\" is not an action of s3 (Amazon S3); did you mean \"s3:ListBucket\"?\n"
        )
    );
    assert!(
        err.contains("checked 1 file (1 other file skipped: no IAM policy)"),
        "{err}"
    );

    let (status, out, _) = check(&["--format", "json", template.to_str().unwrap()]);
    assert_eq!(status, Some(1));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json[0]["code"], "invalid-effect");
    assert_eq!(json[0]["range"]["start"]["line"], 16);
    assert_eq!(json[0]["range"]["start"]["column"], 25);

    // A YAML file named on the command line is not a policy for that.
    let (status, _, err) = check(&[dir.join("infra/compose.yaml").to_str().unwrap()]);
    assert_eq!(status, Some(0), "{err}");
}

const TF_URI: &str = "file:///work/main.tf";
const TERRAFORM: &str = r#"data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObjekt"]
    resources = ["arn:aws:s3:::b/*"]
  }
}

resource "aws_iam_role_policy" "inline" {
  role = aws_iam_role.r.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sqs:SendMesage", Resource = aws_sqs_queue.q.arn }]
  })
}
"#;

#[test]
fn terraform_diagnostics_hover_completion_and_fix() {
    let (mut client, _) = Client::initialized(json!({}));
    client.open(TF_URI, 1, TERRAFORM);
    let diagnostics = client.diagnostics(TF_URI, 1);
    assert_eq!(
        summarize(&diagnostics),
        vec![
            ("unknown-action".into(), 2, 17, 2, 31),
            ("unknown-action".into(), 11, 46, 11, 62),
        ]
    );

    // The fix edits inside the HCL string.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": TF_URI}, "range": diagnostics[1]["range"], "context": {"diagnostics": [diagnostics[1].clone()]}}),
    );
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .expect("a quick fix");
    let edits = fix["edit"]["changes"][TF_URI].as_array().unwrap();
    assert_eq!(edits[0]["newText"], "sqs:SendMessage");
    assert_eq!(
        edits[0]["range"]["start"],
        json!({"line": 11, "character": 47})
    );
    client.change(
        TF_URI,
        2,
        json!([{"range": edits[0]["range"], "text": "sqs:SendMessage"}]),
    );
    assert_eq!(
        summarize(&client.diagnostics(TF_URI, 2)),
        vec![("unknown-action".into(), 2, 17, 2, 31)]
    );

    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": TF_URI}, "position": {"line": 11, "character": 50}}),
    );
    let markdown = hover["contents"]["value"].as_str().unwrap();
    assert!(markdown.contains("SendMessage"), "{markdown}");

    // Half-typed: an action being typed in an unclosed string, the rest of the file intact.
    client.change(
        TF_URI,
        3,
        json!([{"range": {"start": {"line": 2, "character": 17}, "end": {"line": 2, "character": 32}}, "text": "\"s3:ListBuck"}]),
    );
    let diagnostics = client.diagnostics(TF_URI, 3);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let result = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": TF_URI}, "position": {"line": 2, "character": 29}}),
    );
    let items = result
        .get("items")
        .and_then(|i| i.as_array())
        .or_else(|| result.as_array())
        .expect("completion items");
    let bucket = items
        .iter()
        .find(|i| i["label"] == "s3:ListBucket" || i["label"] == "ListBucket")
        .unwrap_or_else(|| panic!("s3:ListBucket offered: {result}"));
    assert_eq!(
        bucket["textEdit"]["range"]["start"],
        json!({"line": 2, "character": 18})
    );
    assert!(client.shutdown().success());
}

#[test]
fn cli_checks_terraform() {
    let dir = scratch("iac-cli-tf");
    std::fs::write(dir.join("main.tf"), TERRAFORM).unwrap();
    std::fs::write(dir.join("variables.tf"), "variable \"x\" {}\n").unwrap();
    let (status, out, err) = check(&[dir.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{out}{err}");
    let path = dir.join("main.tf");
    assert_eq!(
        out,
        format!(
            "{p}:3:18: warning[unknown-action] \"s3:GetObjekt\" is not an action of s3 (Amazon S3); did you mean \"s3:GetObject\"?\n\
             {p}:12:47: warning[unknown-action] \"sqs:SendMesage\" is not an action of sqs (Amazon SQS); did you mean \"sqs:SendMessage\"?\n",
            p = path.display()
        )
    );
    assert!(
        err.contains("checked 1 file (1 other file skipped: no IAM policy)"),
        "{err}"
    );
}

#[test]
fn an_untitled_document_is_read_in_its_language() {
    let (mut client, _) = Client::initialized(json!({}));
    let uri = "untitled:Untitled-1";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": TEMPLATE}}),
    );
    assert_eq!(
        summarize(&client.diagnostics(uri, 1)),
        vec![
            ("unknown-action".into(), 17, 20, 17, 32),
            ("unknown-action".into(), 18, 20, 18, 31),
        ]
    );
    let tf = "untitled:Untitled-2";
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": tf, "languageId": "terraform", "version": 1, "text": TERRAFORM}}),
    );
    assert_eq!(
        summarize(&client.diagnostics(tf, 1)),
        vec![
            ("unknown-action".into(), 2, 17, 2, 31),
            ("unknown-action".into(), 11, 46, 11, 62),
        ]
    );
    assert!(client.shutdown().success());
}
