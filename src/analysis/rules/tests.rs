//! Which rules run: the family table names every code once, a family whose codes are all off
//! does not run, and a code turned off is neither computed (`Sink::push` asserts it in the
//! families that gate each code) nor reported, while every other finding stays as it was.

use std::cell::RefCell;

use serde_json::json;

use super::Family;
use crate::analysis::{ALL_CODES, Code, Config, Finding, Options, analyze};
use crate::policy::Selection;

thread_local! {
    static RAN: RefCell<Vec<Family>> = const { RefCell::new(Vec::new()) };
}

/// Called by `Family::runs` in test builds.
pub(super) fn ran(family: Family) {
    RAN.with(|ran| ran.borrow_mut().push(family));
}

fn config_with_off(codes: &[Code]) -> Config {
    let rules: serde_json::Map<String, serde_json::Value> = codes
        .iter()
        .map(|code| (code.as_str().to_string(), json!("off")))
        .collect();
    let (config, problems) = Config::from_json(&json!({ "rules": rules }));
    assert!(problems.is_empty(), "{problems:?}");
    config
}

fn findings(text: &str, config: &Config) -> Vec<Finding> {
    let options = Options {
        selection: Selection::Always,
        config: config.clone(),
        ..Options::default()
    };
    analyze(text, &options).findings
}

/// The families that ran on any of `samples`, in the order of `Family::ALL`.
fn families_run(samples: &[String], config: &Config) -> Vec<Family> {
    RAN.with(|ran| ran.borrow_mut().clear());
    for text in samples {
        findings(text, config);
    }
    let ran = RAN.with(|ran| ran.take());
    Family::ALL
        .into_iter()
        .filter(|family| ran.contains(family))
        .collect()
}

/// Documents that, together, have findings of every code.
fn samples() -> Vec<String> {
    let mut samples: Vec<String> = [
        include_str!("../../../examples/typos.json"),
        include_str!("../../../examples/action-typos.json"),
        include_str!("../../../examples/cloudformation-role.json"),
        include_str!("../../../examples/deny-support-describe.json"),
        include_str!("../../../examples/region-guardrail-scp.json"),
        include_str!("../../../examples/support-engineer.json"),
        r#"{"Statement": [{"Sid": "A", "Action": "s3:*", "NotAction": "iam:*"}, {"Effect": "Allow", "Resource": "*", "NotResource": "x"}]}"#,
        r#"{"Version": 2012, "Id": 7, "Statement": [{"Sid": 1, "Effect": true, "Action": [], "Resource": ["*", 5], "Condition": {"StringEquals": {"aws:PrincipalTag/x": []}}}, "oops"]}"#,
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "S1", "Effect": "Allow", "effect": "Deny", "Action": "a:b", "Action": "c:d", "Resource": "*"}, {"Sid": "S1", "Effect": "Deny", "Action": "a:b", "Resource": "*", "Condition": {"StringEquals": {"aws:SourceVpc": "v", "AWS:sourcevpc": "w"}}}]}"#,
        r#"{"Version": "2012-10-18", "Statement": [{"Sid": "Allow reads-1", "Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringEqual": {"aws:SourceVpc": "v"}}}]}"#,
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","NotPrincipal":{"AWS":"x"},"Action":["s3 GetObject","support:*"],"Resource":"*"},{"Effect":"Deny","Action":"trustedadvisor:*","Resource":"*"}]}"#,
        r#"{"Version": "2008-10-17", "Statement": [}"#,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#,
        r#"{"Resources": {
            "P": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*"}]}}},
            "R": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole", "Resource": "*"}]}}}}}"#,
        r#"{"Version": "2012-10-17"}"#,
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["deepracer:ListModels", "payments:GetPaymentPreferences"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgMasterAccountId": "111122223333", "lakeformation:GlueARN": "x"}}}]}"#,
        // Security warnings
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "iam:CreateServiceLinkedRole"], "Resource": "*"}]}"#,
        // Principals
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "NotPrincipal": {"AWS": ["alice", "arn:aws:iam::111122223333:role/*", "AROAEXAMPLEID12345678"], "Service": "cloudfront", "Federated": "arn:aws:iam::111122223333:role/x"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}, {"Effect": "Allow", "Principal": {"Federated": ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com", "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"]}, "Action": "sts:AssumeRoleWithWebIdentity"}]}"#,
        // ARNs
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": ["s3:::b", "arn:amazon:s3:::b", "arn:aws:S3:::b", "arn:aws:iam:us-east-1:123456789012:role/r", "arn:aws:iam::12345:role/r", "arn:aws:dynamodb:us-east-1:123456789012:tabel/T"]}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket"}]}"#,
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["ec2:RunInstances", "ec2:RunInstances"], "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/${ aws:username}"], "Condition": {"StringLike": {"s3:prefix": "x"}, "DateLessThan": {"aws:CurrentTime": "not-a-date"}, "ForAllValues:StringEquals": {"aws:username": "a"}, "StringEquals": {"aws:PrincipalTag/job": "admin-*"}, "IpAddress": {"aws:SourceIp": "10.0.0.0/8"}, "ArnLike": {"aws:ARN": "arn:aws:iam::111122223333:role/*"}}},
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b/*", "arn:aws:s3:::b/x"], "Condition": {}},
            {"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {"ForAnyValue:Null": {"aws:TagKeys": "true"}, "Bool": {"aws:SecureTransport": ["true", "false"]}, "StringEquals": {"aws:SourceVpc": "vpc-1"}, "IpAddress": {"aws:SourceIp": "203.0.113.5/24"}}}]}"#,
        // Trust policies, service principals and resource policies.
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:saml-provider/Okta"}, "Action": "sts:AssumeRoleWithWebIdentity"},
            {"Effect": "Allow", "Principal": {"Service": "rolesanywhere.amazonaws.com"}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::111122223333:role/app", "arn:aws:sts::111122223333:assumed-role/app/s"]}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC"}, "Action": "sts:AssumeRoleWithWebIdentity", "Condition": {"ForAnyValue:StringEquals": {"oidc.eks.us-east-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com"}}}]}"#,
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": ["execute-api:Invoke", "lambda:InvokeFunction"], "Resource": "execute-api:/*"}]}"#,
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "NotAction": "iam:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}, "IpAddress": {"aws:VpcSourceIp": "10.0.0.0/16"}}}]}"#,
        // Key types, dates, regions, variables, wildcards, redundant values and statements.
        r#"{"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["*code*:Get*", "s3:${aws:username}"], "Resource": ["arn:aws:ec2:us-east-9:123456789012:instance/*", "arn:aws:dynamodb::123456789012:table/T"], "Condition": {"StringEquals": {"aws:TagKeys": "env"}, "NumericLessThan": {"aws:username": "5", "aws:MultiFactorAuthAge": ["2700", "3600"]}, "DateLessThan": {"aws:CurrentTime": "1735689600"}}},
            {"Effect": "Allow", "Action": ["*code*:Get*", "s3:${aws:username}"], "Resource": ["arn:aws:ec2:us-east-9:123456789012:instance/*", "arn:aws:dynamodb::123456789012:table/T"], "Condition": {"StringEquals": {"aws:TagKeys": "env"}, "NumericLessThan": {"aws:username": "5", "aws:MultiFactorAuthAge": ["2700", "3600"]}, "DateLessThan": {"aws:CurrentTime": "1735689600"}}}]}"#,
    ]
    .map(String::from)
    .into();
    // More findings than `limits.maxFindings` lets through (10,000 by default).
    samples.push(format!(
        r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#,
        ",".repeat(10_001)
    ));
    let actions: Vec<String> = (0..700).map(|i| format!("\"s3:GetObject{i}\"")).collect();
    samples.push(format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": "*"}}]}}"#,
        actions.join(", ")
    ));
    samples
}

#[test]
fn every_family_reports_some_code() {
    for family in Family::ALL {
        assert!(family.codes().next().is_some(), "{family:?}");
    }
    let listed: usize = Family::ALL
        .iter()
        .map(|family| family.codes().count())
        .sum();
    assert_eq!(listed, ALL_CODES.len());
}

#[test]
fn the_samples_have_findings_of_every_code() {
    let default = Config::default();
    let found: Vec<Code> = samples()
        .iter()
        .flat_map(|text| findings(text, &default))
        .map(|finding| finding.code)
        .collect();
    for code in ALL_CODES {
        assert!(
            found.contains(code),
            "no sample has a {} finding",
            code.as_str()
        );
    }
}

#[test]
fn a_code_turned_off_is_not_reported_and_nothing_else_changes() {
    let samples = samples();
    let default = Config::default();
    let expected: Vec<Vec<Finding>> = samples
        .iter()
        .map(|text| findings(text, &default))
        .collect();
    for &code in ALL_CODES {
        let config = config_with_off(&[code]);
        for (text, expected) in samples.iter().zip(&expected) {
            // Over `limits.maxFindings`, a code turned off makes room for others.
            if expected.iter().any(|f| f.code == Code::TooManyFindings) {
                continue;
            }
            let expected: Vec<&Finding> = expected.iter().filter(|f| f.code != code).collect();
            let got = findings(text, &config);
            assert_eq!(
                got.iter().collect::<Vec<_>>(),
                expected,
                "{code:?} off in {text}"
            );
        }
    }
}

#[test]
fn a_family_runs_only_when_one_of_its_codes_is_on() {
    let samples = samples();
    assert_eq!(
        families_run(&samples, &Config::default()),
        Family::ALL,
        "every family runs by default"
    );
    for family in Family::ALL {
        let codes: Vec<Code> = family.codes().collect();
        let others: Vec<Family> = Family::ALL.into_iter().filter(|f| *f != family).collect();
        assert_eq!(
            families_run(&samples, &config_with_off(&codes)),
            others,
            "{family:?} with its codes off"
        );
        // One code of the family on is enough for it to run.
        let ran = families_run(&samples, &config_with_off(&codes[1..]));
        assert!(ran.contains(&family), "{family:?} with {:?} on", codes[0]);
    }
}
