//! The ARN rules, a snippet at a time: a statement's `Action` and `Resource`, and the findings
//! of the ARN codes (`code severity "token"`). Each finding's case sits beside the nearest one
//! that is right, which gets nothing.

use crate::analysis::rules::spec::{code_severity_token, options};
use crate::analysis::{Code, analyze};

const CODES: &[Code] = &[
    Code::InvalidArn,
    Code::ArnPartition,
    Code::ArnServiceCase,
    Code::ArnRegion,
    Code::ArnAccount,
    Code::ArnResourceFormat,
    Code::ResourceTypeMismatch,
];

/// An identity policy of one statement.
fn policy(action: &str, resource: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {action}, "Resource": {resource}}}]}}"#
    )
}

fn findings(text: &str, declared: Option<&str>) -> Vec<String> {
    code_severity_token(text, declared, CODES)
}

/// The text after the first fix of the only finding of `code`.
fn fixed(text: &str, code: Code) -> String {
    let analysis = analyze(text, &options(None));
    let found: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.code == code)
        .collect();
    assert_eq!(found.len(), 1, "{text}: {found:?}");
    found[0].fixes.first().expect("a fix").apply(text)
}

#[test]
fn arn_formats() {
    let cases: &[(&str, &[&str])] = &[
        // invalid-arn
        (r#""s3:::b""#, &[r#"invalid-arn error "s3:::b""#]),
        (r#""arn:aws:s3:::b""#, &[]),
        (
            r#""arn:aws:s3:b""#,
            &[r#"invalid-arn error "arn:aws:s3:b""#],
        ),
        (
            r#""arn:aws:s3:*""#,
            &[r#"invalid-arn warning "arn:aws:s3:*""#],
        ),
        (
            r#""Arn:aws:s3:::b""#,
            &[r#"invalid-arn warning "Arn:aws:s3:::b""#],
        ),
        (r#""*""#, &[]),
        (r#""arn:${AWS::Partition}:s3:::${Bucket}""#, &[]),
        // arn-partition
        (r#""arn:amazon:s3:::b""#, &["arn-partition warning amazon"]),
        (r#""arn:aws-cn:s3:::b""#, &[]),
        (r#""arn:*:s3:::b""#, &[]),
        // arn-service-case
        (r#""arn:aws:S3:::b""#, &["arn-service-case warning S3"]),
        // arn-region: malformed, or where the resource has none
        (
            r#""arn:aws:ec2:us-east:123456789012:instance/i-1""#,
            &["arn-region warning us-east"],
        ),
        (r#""arn:aws:ec2:us-east-1:123456789012:instance/i-1""#, &[]),
        (
            r#""arn:aws:iam:us-east-1:123456789012:role/r""#,
            &["arn-region warning us-east-1"],
        ),
        (r#""arn:aws:iam::123456789012:role/r""#, &[]),
        (r#""arn:aws:iam:*:123456789012:role/r""#, &[]),
        // arn-region: missing where every resource of the shape has one (issue 14, `aa-cond`)
        (
            r#""arn:aws:dynamodb::123456789012:table/T""#,
            &[r#"arn-region warning "arn:aws:dynamodb::123456789012:table/T""#],
        ),
        (r#""arn:aws:dynamodb:*:123456789012:table/T""#, &[]),
        // Only the template of any service (Backup's) fits: nothing said.
        (r#""arn:aws:waf::*:changetoken/*""#, &[]),
        // S3 objects have no region.
        (r#""arn:aws:s3:::b/*""#, &[]),
        // arn-account: malformed, or where the resource has none
        (
            r#""arn:aws:iam::12345:role/r""#,
            &["arn-account warning 12345"],
        ),
        (
            r#""arn:aws:s3::111122223333:b""#,
            &["arn-account warning 111122223333"],
        ),
        (r#""arn:aws:iam::aws:policy/ReadOnlyAccess""#, &[]),
        (r#""arn:aws:iam::1234567890??:role/r""#, &[]),
        // arn-resource-format: a near miss of a resource type, not a type the catalogue lacks
        (
            r#""arn:aws:dynamodb:us-east-1:123456789012:tabel/T""#,
            &["arn-resource-format warning tabel"],
        ),
        (r#""arn:aws:dynamodb:us-east-1:123456789012:table/T""#, &[]),
        (r#""arn:aws:dynamodb:us-east-1:123456789012:widget/T""#, &[]),
        (r#""arn:aws:quicksight:*:*:vpcconnection/*""#, &[]),
        (
            r#""arn:aws:organizations::111122223333:""#,
            &[r#"arn-resource-format warning "arn:aws:organizations::111122223333:""#],
        ),
        // Policy variables are one field, whatever colons they hold.
        (r#""arn:aws:kms:*:${aws:PrincipalAccount}:key/*""#, &[]),
    ];
    for (resource, expected) in cases {
        let text = policy(r#""*""#, resource);
        assert_eq!(findings(&text, None), *expected, "{resource}");
    }
}

#[test]
fn api_gateway_shorthand_is_not_an_error_where_it_is_valid() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/prod/GET/*"}]}"#;
    assert_eq!(findings(text, None), Vec::<String>::new());
    assert_eq!(
        findings(text, Some("resource:apigateway")),
        Vec::<String>::new()
    );
    assert_eq!(
        findings(text, Some("resource:s3")),
        [r#"invalid-arn error "execute-api:/prod/GET/*""#]
    );
}

#[test]
fn resource_type_mismatch() {
    let cases: &[(&str, &str, &[&str])] = &[
        // The bucket for its objects, and the objects.
        (
            r#""s3:GetObject""#,
            r#""arn:aws:s3:::b""#,
            &[r#"resource-type-mismatch warning "arn:aws:s3:::b""#],
        ),
        (r#""s3:GetObject""#, r#""arn:aws:s3:::b/*""#, &[]),
        // ListBucket uses the bucket; GetObject still gets nothing.
        (
            r#"["s3:ListBucket", "s3:GetObject"]"#,
            r#""arn:aws:s3:::b""#,
            &[r#"resource-type-mismatch warning "arn:aws:s3:::b""#],
        ),
        (
            r#"["s3:ListBucket", "s3:GetObject"]"#,
            r#"["arn:aws:s3:::b", "arn:aws:s3:::b/*"]"#,
            &[],
        ),
        // Another service's ARN, when the statement grants nothing else.
        (
            r#""lambda:InvokeFunction""#,
            r#""arn:aws:s3:::b/*""#,
            &[r#"resource-type-mismatch warning "arn:aws:s3:::b/*""#],
        ),
        (
            r#""lambda:InvokeFunction""#,
            r#""arn:aws:lambda:us-east-1:123456789012:function:f""#,
            &[],
        ),
        // A surplus ARN beside one that feeds the action: the catalogue may lag.
        (
            r#""lambda:InvokeFunction""#,
            r#"["arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:s3:::b/*"]"#,
            &[],
        ),
        // Wildcard actions, actions without resource types, unknown values: nothing.
        (r#""s3:Get*""#, r#""arn:aws:s3:::b""#, &[]),
        (r#""s3:ListAllMyBuckets""#, r#""arn:aws:s3:::b""#, &[]),
        (
            r#""s3:GetObject""#,
            r#""arn:aws:s3:::${aws:username}""#,
            &[],
        ),
        (r#""s3:GetObject""#, r#""arn:aws:s3:::b*""#, &[]),
        (r#""s3:GetObject""#, r#"["arn:aws:s3:::b", "*"]"#, &[]),
        (r#""s3:GetObject""#, r#""arn:aws:s3:::${BucketName}""#, &[]),
        (
            r#"["s3:GetObject", "s3:NoSuchAction"]"#,
            r#""arn:aws:s3:::b""#,
            &[],
        ),
        // Tagging acts on whatever resource of its service.
        (
            r#""aws-marketplace:ListTagsForResource""#,
            r#""arn:aws:aws-marketplace:*:*:AWSMarketplace/*""#,
            &[],
        ),
    ];
    for (action, resource, expected) in cases {
        let text = policy(action, resource);
        assert_eq!(findings(&text, None), *expected, "{action} on {resource}");
    }
}

/// The resource types AWS's managed policies give an action beyond the reference's list
/// (`data/learned-resource-types.tsv`) are the action's too: AWS's own statements get no
/// finding; what nobody learned still does.
#[test]
fn learned_resource_types_are_accepted() {
    let cases: &[(&str, &str, &[&str])] = &[
        // AmazonEKSConnectorServiceRolePolicy, AmazonConnectCampaignsServiceLinkedRolePolicy.
        (
            r#""ssm:DeregisterManagedInstance""#,
            r#""arn:aws:eks:*:*:cluster/*""#,
            &[],
        ),
        (
            r#""connect:GetMetricDataV2""#,
            r#""arn:aws:connect-campaigns:*:*:campaign/*""#,
            &[],
        ),
        // Only the learned type: an EKS node group is still nothing to deregister.
        (
            r#""ssm:DeregisterManagedInstance""#,
            r#""arn:aws:eks:us-east-1:123456789012:nodegroup/c/n/u""#,
            &[
                r#"resource-type-mismatch warning "arn:aws:eks:us-east-1:123456789012:nodegroup/c/n/u""#,
            ],
        ),
        // Only for the learned action.
        (
            r#""ssm:DescribeDocument""#,
            r#""arn:aws:eks:*:*:cluster/*""#,
            &[r#"resource-type-mismatch warning "arn:aws:eks:*:*:cluster/*""#],
        ),
        // The issue's example.
        (
            r#""lambda:InvokeFunction""#,
            r#""arn:aws:s3:::bucket""#,
            &[r#"resource-type-mismatch warning "arn:aws:s3:::bucket""#],
        ),
    ];
    for (action, resource, expected) in cases {
        let text = policy(action, resource);
        assert_eq!(findings(&text, None), *expected, "{action} on {resource}");
    }
}

#[test]
fn fixes() {
    let text = policy(r#""s3:GetObject""#, r#""arn:aws:s3:::b""#);
    assert_eq!(
        fixed(&text, Code::ResourceTypeMismatch),
        policy(r#""s3:GetObject""#, r#""arn:aws:s3:::b/*""#)
    );
    let text = policy(
        r#"["s3:ListBucket", "s3:GetObject"]"#,
        r#"["arn:aws:s3:::b"]"#,
    );
    assert_eq!(
        fixed(&text, Code::ResourceTypeMismatch),
        policy(
            r#"["s3:ListBucket", "s3:GetObject"]"#,
            r#"["arn:aws:s3:::b", "arn:aws:s3:::b/*"]"#
        )
    );
    let text = policy(
        r#""*""#,
        r#""arn:aws:dynamodb:us-east-1:123456789012:tabel/T""#,
    );
    assert_eq!(
        fixed(&text, Code::ArnResourceFormat),
        policy(
            r#""*""#,
            r#""arn:aws:dynamodb:us-east-1:123456789012:table/T""#
        )
    );
    let text = policy(r#""*""#, r#""arn:aws:S3:::b""#);
    assert_eq!(
        fixed(&text, Code::ArnServiceCase),
        policy(r#""*""#, r#""arn:aws:s3:::b""#)
    );
    let text = policy(r#""*""#, r#""arn:aws:iam:us-east-1:123456789012:role/r""#);
    assert_eq!(
        fixed(&text, Code::ArnRegion),
        policy(r#""*""#, r#""arn:aws:iam::123456789012:role/r""#)
    );
}

/// What was found wrong once is found again: only what was right is not checked twice.
#[test]
fn repeated_arns_and_statements() {
    let statement = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::b", "arn:aws:S3:::b/*", "arn:aws:s3:::c/*"]}"#;
    let mismatch = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b"}"#;
    let text = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{statement}, {statement}, {mismatch}, {mismatch}]}}"#
    );
    assert_eq!(
        findings(&text, None),
        [
            "arn-service-case warning S3",
            "arn-service-case warning S3",
            r#"resource-type-mismatch warning "arn:aws:s3:::b""#,
            r#"resource-type-mismatch warning "arn:aws:s3:::b""#,
        ]
    );
}

/// A statement with a resource that could be anything (`"*"` in a list, a wildcard service)
/// gets no `resource-type-mismatch`, however its other ARNs look; the same `Action` on an ARN
/// of the wrong type alone, after them, still does.
#[test]
fn statements_with_resources_that_could_be_anything_are_skipped() {
    let text = r#"{"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]},
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b", "*"]},
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b", "arn:aws:*:::c"]},
        {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["arn:aws:s3:::b"]}]}"#;
    assert_eq!(
        findings(text, None),
        [r#"resource-type-mismatch warning "arn:aws:s3:::b""#]
    );
}
