//! Specifications of `unknown-region`.

use expect_test::expect;

use crate::analysis::Code;
use crate::analysis::rules::spec::{allow_if, policy, silent, spec};

const CODES: [Code; 1] = [Code::UnknownRegion];

fn resources(list: &str) -> String {
    policy(&format!(
        r#"{{"Effect": "Allow", "Action": "*", "Resource": {list}}}"#
    ))
}

#[test]
fn arn_regions_of_no_partition_or_of_another() {
    spec(
        &CODES,
        &resources(
            r#"["arn:aws:ec2:us-east-9:123456789012:instance/i-1", "arn:aws:ec2:cn-north-1:123456789012:instance/i-1", "arn:aws-us-gov:s3:us-gov-wset-1:123456789012:accesspoint/a", "arn:aws:ec2:xx-east-1:123456789012:instance/i-1"]"#,
        ),
        expect![[r#"
            unknown-region warning "us-east-9": `us-east-9` is not a region of the aws partition (botocore 1.43.11): this ARN never matches
            unknown-region warning "cn-north-1": `cn-north-1` is a region of the aws-cn partition, not of aws: this ARN never matches; write arn:aws-cn:… or a region of aws
            unknown-region warning "us-gov-wset-1": `us-gov-wset-1` is not a region of the aws-us-gov partition (botocore 1.43.11): this ARN never matches; did you mean us-gov-west-1?
            unknown-region warning "xx-east-1": `xx-east-1` is not a region of the aws partition (botocore 1.43.11): this ARN never matches
        "#]],
        &resources(
            r#"["arn:aws:ec2:us-east-1:123456789012:instance/i-1", "arn:aws-cn:ec2:cn-north-1:123456789012:instance/i-1", "arn:aws-us-gov:s3:us-gov-west-1:123456789012:accesspoint/a", "arn:aws:ec2:*:123456789012:instance/i-1"]"#,
        ),
    );
}

#[test]
fn region_valued_condition_keys() {
    spec(
        &CODES,
        &allow_if(
            r#""ec2:*""#,
            r#"{"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-wset-1"], "ec2:Region": "us-east-9"}}"#,
        ),
        expect![[r#"
            unknown-region warning "\"eu-wset-1\"": "eu-wset-1" is not an AWS region (botocore 1.43.11): aws:RequestedRegion never has this value; did you mean eu-west-1?
            unknown-region warning "\"us-east-9\"": "us-east-9" is not an AWS region (botocore 1.43.11): ec2:Region never has this value
        "#]],
        &allow_if(
            r#""ec2:*""#,
            r#"{"StringEquals": {"aws:RequestedRegion": ["eu-west-1", "eu-west-2"], "ec2:Region": "us-east-1"}}"#,
        ),
    );
}

#[test]
fn patterns_variables_and_placeholders_are_not_judged() {
    silent(
        &CODES,
        &[
            allow_if(
                r#""ec2:*""#,
                r#"{"StringLike": {"aws:RequestedRegion": "eu-*"}, "StringEquals": {"aws:RequestedRegion": "${aws:PrincipalTag/region}"}}"#,
            ),
            resources(
                r#"["arn:aws:ec2:${AWS::Region}:123456789012:instance/*", "arn:aws:ec2:us-east-?:123456789012:instance/*"]"#,
            ),
            // A malformed region is arn-region's; an unknown partition is arn-partition's.
            resources(
                r#"["arn:aws:ec2:useast1:123456789012:instance/*", "arn:amazon:ec2:us-east-1:123456789012:instance/*"]"#,
            ),
            // Other keys may hold region-like text.
            allow_if(
                r#""s3:*""#,
                r#"{"StringEquals": {"aws:PrincipalTag/home": "xx-east-9"}}"#,
            ),
        ],
    );
}
