//! The incremental findings against the reference, `analyze`, after every edit of random edit
//! sequences on templates; and what it reuses.

use proptest::prelude::*;

use super::{IncrementalAnalysis, Outcome, Update};
use crate::analysis::{Config, Finding, Options, analyze};
use crate::host::Host;

fn options() -> Options {
    Options {
        host: Host::Yaml,
        ..Options::default()
    }
}

/// A template with a policy of every shape the reader knows, and findings in several of them
/// (an effect, actions, a JSON syntax error in a block scalar, a duplicate Sid, a
/// non-ASCII key whose one-byte anchor is widened), `copies` times over.
fn template(copies: usize) -> String {
    let mut text = String::from(
        "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nParameters:\n  Op: {Type: String}\nResources:\n",
    );
    for i in 0..copies {
        text.push_str(&format!(
            "  Role{i}:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: 2012-10-17
        Statement:
          - Effect: Alow
            Principal:
              Service: lambda.amazonaws.com
            Action: sts:AssumeRole
      Policies:
        - PolicyName: !Sub '${{AWS::StackName}}-p{i}'
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Sid: Same
                Effect: Allow
                Action:
                  - s3:GetObjekt
                  - \"dynamodb:GetItem\"
                  - !Sub 's3:${{Op}}'
                Resource: !GetAtt Bucket{i}.Arn
              - Sid: Same
                Effect: Deny
                Action: support:*
                Resource: '*'
  Bucket{i}:
    Type: AWS::S3::Bucket
  BucketPolicy{i}:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket{i}
      PolicyDocument: |
        {{\"Version\": \"2012-10-17\", \"Statement\": [{{\"Effect\": \"Allow\", \"Principal\": \"*\",
          \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\", \"Ünknown\": 1}}]}}
  Managed{i}:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          Effect: Allow
          Action: [iam:PassRole, ec2:DescribeInstancs]
          Resource: '*'
  Function{i}:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - S3ReadPolicy: {{BucketName: b}}
        - Statement:
            - Effect: Allow
              Action: logs:CreateLogGroup
              Resource: '*'
"
        ));
    }
    text.push_str("Outputs:\n  RoleArn:\n    Value: !GetAtt Role0.Arn\n");
    text
}

fn findings_of(outcome: Option<Outcome>) -> Vec<Finding> {
    match outcome.expect("nothing stops these updates") {
        Outcome::Findings(findings) => findings,
        Outcome::Analysis(analysis) => analysis.findings,
    }
}

/// Updates with `text` and checks the findings against the reference.
fn update_and_compare(engine: &mut IncrementalAnalysis, text: &str, options: &Options) -> Update {
    let incremental = findings_of(engine.update(text.to_string(), options, &|| false));
    let reference = analyze(text, options).findings;
    assert_eq!(incremental, reference, "after the edit, in:\n{text}");
    engine.last_update()
}

/// An edit: where (a fraction of the text), how many bytes go, what comes in.
#[derive(Clone, Debug)]
struct Edit {
    at: f64,
    remove: usize,
    insert: &'static str,
}

const INSERTS: &[&str] = &[
    "",
    "a",
    "s",
    " ",
    "  ",
    "\n",
    "\n  ",
    ":",
    ": ",
    "-",
    "- ",
    "'",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    "#",
    "|",
    "!Sub ",
    "*",
    "é",
    "Effect: Deny",
    "Action: s3:GetObjekt",
    "\n          - Effect: Allow\n            Action: s3:*\n            Resource: '*'",
    "Statement",
    "Resources",
    "  X:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement: [{Effect: Alow, Action: s3:x, Resource: '*'}]\n",
];

fn apply(text: &str, edit: &Edit) -> String {
    let mut at = ((text.len() as f64) * edit.at) as usize;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let mut end = (at + edit.remove).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    format!("{}{}{}", &text[..at], edit.insert, &text[end..])
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        0.0..1.0f64,
        prop_oneof![Just(0usize), 1..4usize, 0..40usize],
        0..INSERTS.len(),
    )
        .prop_map(|(at, remove, insert)| Edit {
            at,
            remove,
            insert: INSERTS[insert],
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_edits_give_the_findings_of_a_whole_analysis(
        edits in prop::collection::vec(edit(), 1..24),
    ) {
        let options = options();
        let mut engine = IncrementalAnalysis::default();
        let mut text = template(3);
        update_and_compare(&mut engine, &text, &options);
        for edit in &edits {
            text = apply(&text, edit);
            update_and_compare(&mut engine, &text, &options);
        }
    }

    /// Versions the server skipped (superseded before their analysis) are skipped here too:
    /// the engine only ever sees some of the texts.
    #[test]
    fn skipped_versions_and_given_up_updates(
        edits in prop::collection::vec((edit(), 0..3u8), 1..16),
    ) {
        let options = options();
        let mut engine = IncrementalAnalysis::default();
        let mut text = template(2);
        update_and_compare(&mut engine, &text, &options);
        for (edit, what) in &edits {
            text = apply(&text, edit);
            match what {
                0 => {}
                // Given up at once: only an update with nothing to check completes.
                1 => {
                    if let Some(outcome) = engine.update(text.clone(), &options, &|| true) {
                        prop_assert_eq!(engine.last_update().checked, 0);
                        prop_assert_eq!(findings_of(Some(outcome)), analyze(&text, &options).findings);
                    }
                }
                _ => { update_and_compare(&mut engine, &text, &options); }
            }
        }
        update_and_compare(&mut engine, &text, &options);
    }
}

#[test]
fn typing_in_one_policy_checks_that_entry_only() {
    let options = options();
    let mut engine = IncrementalAnalysis::default();
    let mut text = template(4);
    let first = update_and_compare(&mut engine, &text, &options);
    // The template's entries: 3 at the top, 5 resources per copy, `Outputs`.
    assert_eq!(first.checked, 3 + 5 * 4 + 1);
    assert!(!analyze(&text, &options).findings.is_empty());
    // Typing a letter at a time inside the third role's action.
    let at = text.match_indices("s3:GetObjekt").nth(2).unwrap().0 + "s3:GetObje".len();
    let line_end = at + text[at..].find('\n').unwrap();
    for (at, remove, insert) in [
        (at, 1, "c"),
        (at + 2, 0, "s"),
        (at + 2, 1, ""),
        // A new line in the list, and a letter typed on it.
        (line_end, 0, "\n                  - s3:PutObject"),
        (line_end + 25, 0, "x"),
        (line_end, 34, ""),
    ] {
        text.replace_range(at..at + remove, insert);
        let update = update_and_compare(&mut engine, &text, &options);
        assert_eq!(
            (update.whole, update.parsed, update.checked, update.kept),
            (false, false, 1, 23),
            "{insert:?}"
        );
    }
    // A line outside the resources: the new entry and the one on the line the edit ends on
    // are checked, the others move.
    text.insert_str(0, "Description: the second copy\n");
    let update = update_and_compare(&mut engine, &text, &options);
    assert_eq!(
        (update.whole, update.parsed, update.checked, update.kept),
        (false, false, 2, 23)
    );
    // A comment between two resources: the resource before it (whose list it could
    // continue) and the one on the line the edit ends on.
    let at = text.find("  Bucket1:").unwrap();
    text.insert_str(at, "  # the bucket\n");
    let update = update_and_compare(&mut engine, &text, &options);
    assert!(
        !update.whole && !update.parsed && update.checked == 2,
        "{update:?}"
    );
    // Nor does the same text again.
    let update = update_and_compare(&mut engine, &text, &options);
    assert_eq!((update.checked, update.kept), (0, 25));
}

#[test]
fn other_settings_check_everything_again() {
    let mut engine = IncrementalAnalysis::default();
    let text = template(1);
    update_and_compare(&mut engine, &text, &options());
    let (config, problems) =
        Config::from_json(&serde_json::json!({"rules": {"unknown-action": "off"}}));
    assert!(problems.is_empty());
    let quiet = Options {
        config,
        ..options()
    };
    let update = update_and_compare(&mut engine, &text, &quiet);
    assert_eq!((update.checked, update.kept), (9, 0));
}

#[test]
fn over_the_findings_limit_the_whole_analysis_decides() {
    let (config, problems) = Config::from_json(&serde_json::json!({"limits": {"maxFindings": 5}}));
    assert!(problems.is_empty());
    let options = Options {
        config,
        ..options()
    };
    let mut engine = IncrementalAnalysis::default();
    let update = update_and_compare(&mut engine, &template(2), &options);
    assert!(update.whole);
}

#[test]
fn documents_that_are_no_template_get_the_whole_analysis() {
    let mut engine = IncrementalAnalysis::default();
    for text in [
        "Version: '2012-10-17'\nStatement:\n  - Effect: Alow\n    Action: s3:GetObject\n    Resource: '*'\n",
        "{\"Version\": \"2012-10-17\", \"Statement\": []}",
        "- just\n- a list\n",
        "",
    ] {
        let update = update_and_compare(&mut engine, text, &options());
        assert!(update.whole, "{text}");
    }
    // And a template after them is read by entries again.
    let update = update_and_compare(&mut engine, &template(1), &options());
    assert!(!update.whole);
}

/// Real templates (`IAC_CORPUS`, other people's files read in place; skipped when unset):
/// each, then edits spread over it — a letter typed, a line added, a character deleted — gets
/// the findings of a whole analysis.
#[test]
fn edits_of_real_templates_give_the_findings_of_a_whole_analysis() {
    let Some(dir) = std::env::var_os("IAC_CORPUS").map(std::path::PathBuf::from) else {
        println!("skipped: IAC_CORPUS is not set (the folder of real templates)");
        return;
    };
    let mut files: Vec<std::path::PathBuf> = ["cloudformation-yaml", "sam"]
        .iter()
        .filter_map(|kind| std::fs::read_dir(dir.join(kind)).ok())
        .flatten()
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| Host::from_path(&path.to_string_lossy()) == Some(Host::Yaml))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no YAML template under {}",
        dir.display()
    );
    let options = options();
    let mut local = 0;
    for path in &files {
        let Ok(original) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut engine = IncrementalAnalysis::default();
        update_and_compare(&mut engine, &original, &options);
        for step in 1..12 {
            let at = step as f64 / 12.0;
            for (remove, insert) in [(0, "x"), (0, "\n      "), (1, ""), (0, "\n")] {
                let text = apply(&original, &Edit { at, remove, insert });
                let update = update_and_compare(&mut engine, &text, &options);
                local += usize::from(!update.parsed);
                update_and_compare(&mut engine, &original, &options);
            }
        }
    }
    println!(
        "{} templates, {local} edits read by their lines alone",
        files.len()
    );
    assert!(local > 0);
}
