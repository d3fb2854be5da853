//! End to end through the real server: a CloudFormation YAML template edited as an editor
//! edits it — lines added above its policies, two changes in one notification, a resource
//! added, the whole text replaced — gets after each edit the diagnostics of its new text (the
//! server checks again only the entries an edit touched: `analysis::incremental`).

mod common;

use common::{Client, summarize};
use serde_json::json;

const URI: &str = "file:///work/stack.yaml";
const TEMPLATE: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Reader:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Allow
            Principal: {Service: lambda.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: read
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: s3:GetObjekt
                Resource: '*'
  Writer:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Version: '2012-10-17'
        Statement:
          - Effect: Alow
            Action: s3:PutObject
            Resource: '*'
";

/// The (line, character) of a byte offset of ASCII text.
fn position(text: &str, offset: usize) -> (u64, u64) {
    let before = &text[..offset];
    let line = before.matches('\n').count() as u64;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, (offset - start) as u64)
}

/// `(code, range)` of the `nth` occurrence of `token` in `text`.
fn at(text: &str, code: &str, token: &str, nth: usize) -> (String, u64, u64, u64, u64) {
    let start = text.match_indices(token).nth(nth).expect(token).0;
    let (l0, c0) = position(text, start);
    let (l1, c1) = position(text, start + token.len());
    (code.to_string(), l0, c0, l1, c1)
}

/// Replaces `remove` bytes at the `nth` occurrence of `anchor` (plus `skip` bytes) with
/// `insert`, in `text` and as a change for the server.
fn change(
    text: &mut String,
    anchor: &str,
    nth: usize,
    skip: usize,
    remove: usize,
    insert: &str,
) -> serde_json::Value {
    let start = text.match_indices(anchor).nth(nth).expect(anchor).0 + skip;
    let (l0, c0) = position(text, start);
    let (l1, c1) = position(text, start + remove);
    text.replace_range(start..start + remove, insert);
    json!({"range": {"start": {"line": l0, "character": c0}, "end": {"line": l1, "character": c1}}, "text": insert})
}

#[test]
fn each_edit_of_a_template_gets_the_diagnostics_of_its_new_text() {
    let (mut client, _) = Client::initialized(json!({}));
    let mut text = TEMPLATE.to_string();
    client.open(URI, 1, &text);
    assert_eq!(
        summarize(&client.diagnostics(URI, 1)),
        vec![
            at(&text, "unknown-action", "s3:GetObjekt", 0),
            at(&text, "invalid-effect", "Alow", 0),
        ]
    );

    // Two lines above every policy: the findings move down.
    let edit = change(
        &mut text,
        "Resources:",
        0,
        0,
        0,
        "Description: two roles\n# and a comment\n",
    );
    client.change(URI, 2, json!([edit]));
    let expected = vec![
        at(&text, "unknown-action", "s3:GetObjekt", 0),
        at(&text, "invalid-effect", "Alow", 0),
    ];
    assert_eq!(expected[0].1, 19);
    assert_eq!(summarize(&client.diagnostics(URI, 2)), expected);

    // One notification, two changes in two resources: the effect fixed, a typo typed on a
    // new line of the trust policy.
    let fix = change(&mut text, "Alow", 0, 2, 0, "l");
    let typo = change(
        &mut text,
        "sts:AssumeRole",
        0,
        14,
        0,
        "\n            Condition: {Bool: {aws:SecureTransport: 'true'}}\n            NotAction: sts:AssumeRoel",
    );
    client.change(URI, 3, json!([fix, typo]));
    assert_eq!(
        summarize(&client.diagnostics(URI, 3)),
        vec![
            at(&text, "action-and-notaction", "NotAction", 0),
            at(&text, "unknown-action", "sts:AssumeRoel", 0),
            at(&text, "unknown-action", "s3:GetObjekt", 0),
        ]
    );

    // A resource with a policy, added between the two, and a letter typed in it.
    let extra = "  Extra:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyName: extra\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement: [{Effect: Deny, Action: 'ec2:Describ*', Resource: '*'}]\n";
    let edit = change(&mut text, "  Writer:", 0, 0, 0, extra);
    client.change(URI, 4, json!([edit]));
    let before = summarize(&client.diagnostics(URI, 4));
    let edit = change(&mut text, "ec2:Describ*", 0, 7, 1, "x");
    client.change(URI, 5, json!([edit]));
    let after = summarize(&client.diagnostics(URI, 5));
    assert_eq!(after.len(), before.len() + 1, "{after:?}");
    let (_, line, ..) = at(&text, "", "ec2:Desxrib*", 0);
    assert!(after.iter().any(|d| d.1 == line), "{after:?}");

    // The whole text replaced by a policy written in YAML: no template any more.
    let policy = "Version: '2012-10-17'\nStatement:\n  - Effect: Allow\n    Action: iam:PassRol\n    Resource: '*'\n";
    client.change(URI, 6, json!([{"text": policy}]));
    assert_eq!(
        summarize(&client.diagnostics(URI, 6)),
        vec![at(policy, "unknown-action", "iam:PassRol", 0)]
    );
    client.shutdown();
}
