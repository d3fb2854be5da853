//! Policies inside CloudFormation and SAM YAML: each snippet marks with `⟦…⟧` the tokens the
//! findings must point at (ranges in the YAML file), with their codes; its nearest valid form
//! gets no finding.

use iam_policy_lsp::host::Host;

mod iac_support;

fn findings(text: &str) -> Vec<(String, usize, usize)> {
    iac_support::findings(Host::Yaml, text)
}

/// `marked` gives exactly `codes` at its marks; `valid` gives nothing.
fn case(marked: &str, codes: &[&str], valid: &str) {
    let (text, ranges) = iac_support::unmark(marked);
    let expected: Vec<(String, usize, usize)> = codes
        .iter()
        .zip(&ranges)
        .map(|(code, (s, e))| (code.to_string(), *s, *e))
        .collect();
    assert_eq!(codes.len(), ranges.len(), "one mark per code in {marked}");
    assert_eq!(findings(&text), expected, "in:\n{text}");
    assert_eq!(findings(valid), vec![], "valid:\n{valid}");
}

fn role(properties: &str) -> String {
    format!(
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n{properties}"
    )
}

#[test]
fn trust_policy_and_inline_policies_of_a_role() {
    let props = "      AssumeRolePolicyDocument:\n        Version: 2012-10-17\n        Statement:\n          - Effect: ⟦Alow⟧\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action:\n                  - ⟦s3:GetObjekt⟧\n                  - \"⟦dynamodb:GetItem⟧\"\n                  - ⟦'sqs:SendMesage'⟧\n                Resource: '*'\n";
    let fixed = props
        .replace("⟦Alow⟧", "Allow")
        .replace("⟦s3:GetObjekt⟧", "s3:GetObject")
        .replace("⟦dynamodb:GetItem⟧", "dynamodb:GetItem")
        .replace("⟦'sqs:SendMesage'⟧", "'sqs:SendMessage'");
    // `dynamodb:GetItem` is right: its mark is checked to be absent below.
    let marked = role(&props.replace("⟦dynamodb:GetItem⟧", "dynamodb:GetItem"));
    case(
        &marked,
        &["invalid-effect", "unknown-action", "unknown-action"],
        &role(&fixed),
    );
}

#[test]
fn intrinsics_short_and_long_are_unknown_values() {
    let body = |action: &str| {
        role(&format!(
            "      Policies:\n        - PolicyName: !Sub '${{AWS::StackName}}-p'\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action:\n                  - !Sub 's3:${{Op}}'\n                  - !Ref ActionParam\n                  - Fn::Join: [':', [s3, !Ref Op]]\n                  - {action}\n                Resource:\n                  - !GetAtt Bucket.Arn\n                  - !Join ['', [!GetAtt Bucket.Arn, '/*']]\n                  - Fn::Sub: arn:${{AWS::Partition}}:s3:::${{B}}/*\n                Condition:\n                  StringEquals:\n                    aws:SourceAccount: !Ref AWS::AccountId\n"
        ))
    };
    case(
        &body("⟦s3:GetObjekt⟧"),
        &["unknown-action"],
        &body("s3:GetObject"),
    );
}

#[test]
fn each_branch_of_if_is_checked() {
    let body = |a: &str, b: &str| {
        role(&format!(
            "      Policies:\n        - PolicyName: p\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Effect: Allow\n                Action: !If [IsProd, {a}, {b}]\n                Resource: '*'\n              - !If\n                - IsProd\n                - Effect: Allow\n                  Action: {a}\n                  Resource: '*'\n                - !Ref AWS::NoValue\n              - Fn::If:\n                  - IsProd\n                  - Effect: Deny\n                    Action: [{b}]\n                    Resource: '*'\n                  - !Ref AWS::NoValue\n"
        ))
    };
    case(
        &body("⟦s3:GetObjekt⟧", "⟦s3:PutObjekt⟧")
            .replacen("Action: s3:GetObjekt", "Action: ⟦s3:GetObjekt⟧", 1)
            .replacen("Action: [s3:PutObjekt]", "Action: [⟦s3:PutObjekt⟧]", 1),
        &[
            "unknown-action",
            "unknown-action",
            "unknown-action",
            "unknown-action",
        ],
        &body("s3:GetObject", "s3:PutObject"),
    );
}

#[test]
fn resource_policies_keys_scps_and_sam() {
    let template = |action: &str| {
        format!(
            "Transform: AWS::Serverless-2016-10-31\nResources:\n  BucketPolicy:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref B\n      PolicyDocument:\n        Version: 2012-10-17\n        Statement:\n          - Effect: Deny\n            Principal: '*'\n            Action: {action}\n            Resource: !Sub '${{B.Arn}}/*'\n            Condition:\n              Bool:\n                aws:SecureTransport: false\n  Topic:\n    Type: AWS::SNS::TopicPolicy\n    Properties:\n      Topics: [!Ref T]\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal: {{Service: events.amazonaws.com}}\n            Action: sns:Publish\n            Resource: !Ref T\n            Condition:\n              StringEquals:\n                aws:SourceAccount: !Ref AWS::AccountId\n  Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n        Version: '2012-10-17'\n        Statement:\n          - Sid: Root\n            Effect: Allow\n            Principal:\n              AWS: !Sub arn:aws:iam::${{AWS::AccountId}}:root\n            Action: kms:*\n            Resource: '*'\n  Scp:\n    Type: AWS::Organizations::Policy\n    Properties:\n      Type: SERVICE_CONTROL_POLICY\n      Name: deny-leave\n      Content:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Deny\n            Action: organizations:LeaveOrganization\n            Resource: '*'\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Policies:\n        - AWSLambdaExecute\n        - S3ReadPolicy:\n            BucketName: !Ref B\n        - Version: '2012-10-17'\n          Statement:\n            - Effect: Allow\n              Action: [sqs:ReceiveMessage]\n              Resource: '*'\n"
        )
    };
    case(
        &template("⟦s3:*Objekt⟧"),
        &["wildcard-matches-nothing"],
        &template("s3:*Object"),
    );
}

#[test]
fn json_policy_in_a_block_scalar() {
    let template = |action: &str| {
        format!(
            "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: !Sub |\n        {{\n          \"Version\": \"2012-10-17\",\n          \"Statement\": [{{\"Effect\": \"Allow\", \"Action\": [\"{action}\", \"s3:${{Op}}\"],\n            \"Resource\": \"arn:aws:s3:::${{Bucket}}/*\"}}]\n        }}\n"
        )
    };
    let (text, _) = iac_support::unmark(&template("⟦s3:GetObjekt⟧"));
    let start = text.find("s3:GetObjekt").unwrap() - 1;
    assert_eq!(
        findings(&text),
        vec![("unknown-action".to_string(), start, start + 14)],
        "the JSON string's range, quotes included, in the YAML file"
    );
    assert_eq!(findings(&template("s3:GetObject")), vec![]);
}

#[test]
fn silent_on_yaml_without_policies_and_on_broken_yaml() {
    let quiet = [
        "name: CI\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  Version: '1'\n",
        "version: '3'\nservices:\n  web:\n    image: nginx\n",
        "",
        "- [\n",
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action: [ \"sts:AssumeRole\",\n            Principal: {Service: !Sub \"lambda.${AWS::URLSuffix}\"\n",
        "Resources:\n  R:\n    Type: AWS::IAM::Policy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Action:\n            Resource:\n",
        "key: *alias\n? complex\n: value\n%TAG ! tag:x\n---\n...\n\t\tbad: [}\n",
    ];
    for text in quiet {
        let found = findings(text);
        assert!(
            found.iter().all(|(code, ..)| code != "json-syntax"),
            "no YAML syntax errors from us: {found:?} in\n{text}"
        );
        if !text.contains("Statement") {
            assert_eq!(found, vec![], "in\n{text}");
        }
    }
}

#[test]
fn policy_types_come_from_where_the_policy_sits() {
    // A Principal is required in a trust policy: missing it is an error only there.
    let trust = role(
        "      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: sts:AssumeRole\n",
    );
    let found = findings(&trust);
    assert!(
        found.iter().any(|(code, ..)| code == "missing-principal"),
        "{found:?}"
    );
}
