//! Actions of other services in resource policies whose resource is known: each case is a
//! statement, the type declared for its policy (or none), and the findings.

use crate::analysis::{Code, Options, analyze};
use crate::policy::{DeclaredType, PolicyType, Selection};

fn findings(text: &str, declared: Option<&str>) -> Vec<String> {
    let options = Options {
        selection: Selection::Always,
        policy_type: declared.map(|d| DeclaredType {
            types: PolicyType::parse(d).expect("a type"),
            reason: format!("`--policy-type {d}`"),
        }),
        ..Options::default()
    };
    analyze(text, &options)
        .findings
        .iter()
        .filter(|f| f.code == Code::UnsupportedActionInResourcePolicy)
        .map(|f| format!("{} {}", f.severity.as_str(), &text[f.range.as_usize()]))
        .collect()
}

fn policy(actions: &str, resource: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "111122223333"}}, "Action": {actions}, "Resource": "{resource}"}}]}}"#
    )
}

#[test]
fn actions_of_other_services_in_a_known_resource_policy() {
    let bucket = "arn:aws:s3:::b/*";
    let cases: &[(String, Option<&str>, &[&str])] = &[
        (
            policy(r#"["s3:GetObject", "kms:Decrypt"]"#, bucket),
            Some("resource:s3"),
            &[r#"warning "kms:Decrypt""#],
        ),
        (
            policy(r#""sqs:SendMessage""#, "*"),
            Some("resource:sns"),
            &[r#"warning "sqs:SendMessage""#],
        ),
        (
            policy(r#""s3:GetObject""#, "*"),
            Some("resource:kms"),
            &[r#"warning "s3:GetObject""#],
        ),
        // API Gateway's policy shows its service by its resources.
        (
            policy(r#"["execute-api:Invoke", "lambda:InvokeFunction"]"#, "execute-api:/*"),
            None,
            &[r#"warning "lambda:InvokeFunction""#],
        ),
        // The nearest right ones.
        (
            policy(r#"["s3:GetObject", "S3:PutObject", "s3express:CreateSession"]"#, bucket),
            Some("resource:s3"),
            &[],
        ),
        (
            policy(r#"["SQS:*", "sqs:SendMessage"]"#, "*"),
            Some("resource:sqs"),
            &[],
        ),
        (
            policy(r#"["ecr-public:BatchCheckLayerAvailability"]"#, "*"),
            Some("resource:ecr"),
            &[],
        ),
        // Any resource policy, or one whose resource's service is not known: not judged.
        (policy(r#""kms:Decrypt""#, bucket), None, &[]),
        (policy(r#""kms:Decrypt""#, bucket), Some("resource"), &[]),
        (policy(r#""s3:GetObject""#, "*"), Some("resource:vpc-endpoint"), &[]),
        (policy(r#""kms:Decrypt""#, "*"), Some("resource:other"), &[]),
        // Wildcards that may be the service, unknown services, placeholders, NotAction.
        (policy(r#"["*", "s*:Get*"]"#, bucket), Some("resource:s3"), &[]),
        (policy(r#""notaservice:Get""#, bucket), Some("resource:s3"), &[]),
        (policy(r#""${Service}:Get""#, bucket), Some("resource:s3"), &[]),
        (
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "NotAction": "kms:*", "Resource": "*"}]}"#
                .to_string(),
            Some("resource:s3"),
            &[],
        ),
    ];
    for (text, declared, expected) in cases {
        assert_eq!(
            findings(text, *declared),
            *expected,
            "{text} as {declared:?}"
        );
    }
}

#[test]
fn the_resource_is_known_from_where_the_policy_sits() {
    let template = |action: &str| {
        format!(
            r#"{{"Resources": {{"P": {{"Type": "AWS::S3::BucketPolicy", "Properties": {{"Bucket": "b", "PolicyDocument": {{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "111122223333"}}, "Action": "{action}", "Resource": "arn:aws:s3:::b/*"}}]}}}}}}}}}}"#
        )
    };
    let text = template("kms:Decrypt");
    assert_eq!(findings(&text, None), [r#"warning "kms:Decrypt""#]);
    let message = analyze(&text, &Options::default())
        .findings
        .into_iter()
        .find(|f| f.code == Code::UnsupportedActionInResourcePolicy)
        .expect("a finding")
        .message;
    assert!(message.contains("an S3 bucket"), "{message}");
    assert_eq!(
        findings(&template("s3:GetObject"), None),
        Vec::<String>::new()
    );
}
