//! Specifications of the condition rules of issue 14's `aa-cond` branch: set operators on
//! multivalued keys, operators against key types, ambiguous dates, redundant numeric bounds.

use expect_test::expect;

use crate::analysis::Code;
use crate::analysis::rules::spec::{allow_if, silent, spec};

const CODES: [Code; 4] = [
    Code::MissingSetOperator,
    Code::ConditionOperatorType,
    Code::AmbiguousDate,
    Code::RedundantConditionValue,
];

fn s3(condition: &str) -> String {
    allow_if(r#""s3:GetObject""#, condition)
}

#[test]
fn a_multivalued_key_without_a_set_operator() {
    spec(
        &CODES,
        &s3(r#"{"StringEquals": {"aws:TagKeys": ["env", "team"]}}"#),
        expect![[r#"
            missing-set-operator warning "\"aws:TagKeys\"": "aws:TagKeys" is multivalued (a request may carry several values): IAM requires ForAllValues: (every value in the request must match) or ForAnyValue: (at least one must) before StringEquals, and without one the condition does not say which it means [fixes: Change to "ForAnyValue:StringEquals" | Change to "ForAllValues:StringEquals"]
        "#]],
        &s3(r#"{"ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]}}"#),
    );
    // With other keys under the operator, adding a qualifier would change them too: no fix.
    spec(
        &CODES,
        &s3(
            r#"{"StringLikeIfExists": {"aws:CalledVia": "athena.amazonaws.com", "aws:username": "a"}}"#,
        ),
        expect![[r#"
            missing-set-operator warning "\"aws:CalledVia\"": "aws:CalledVia" is multivalued (a request may carry several values): IAM requires ForAllValues: (every value in the request must match) or ForAnyValue: (at least one must) before StringLikeIfExists, and without one the condition does not say which it means
        "#]],
        &s3(
            r#"{"ForAnyValue:StringLikeIfExists": {"aws:CalledVia": "athena.amazonaws.com"}, "StringLikeIfExists": {"aws:username": "a"}}"#,
        ),
    );
}

#[test]
fn set_operators_are_not_asked_of_null_nor_of_single_valued_keys() {
    silent(
        &CODES,
        &[
            s3(r#"{"Null": {"aws:TagKeys": "false"}}"#),
            s3(r#"{"StringEquals": {"aws:ResourceTag/env": ["a", "b"]}}"#),
            s3(r#"{"ForAnyValue:StringEquals": {"aws:TagKeys": "env"}}"#),
            // Unknown keys have no known type.
            s3(r#"{"StringEquals": {"s3:NoSuchKey": "x"}}"#),
        ],
    );
}

#[test]
fn an_operator_of_another_type_than_its_key() {
    spec(
        &CODES,
        &s3(
            r#"{"NumericLessThan": {"aws:username": "5"}, "DateGreaterThan": {"aws:MultiFactorAuthAge": "2025-01-01T00:00:00Z"}, "Bool": {"aws:SourceIp": "true"}, "IpAddress": {"aws:CurrentTime": "203.0.113.0/24"}}"#,
        ),
        expect![[r#"
            condition-operator-type warning "\"aws:username\"": "aws:username" is of type String and NumericLessThan compares Numeric values: the request's value cannot be compared that way, so the condition does not work as written; use a String operator (StringEquals, StringLike, …)
            condition-operator-type warning "\"aws:MultiFactorAuthAge\"": "aws:MultiFactorAuthAge" is of type Numeric and DateGreaterThan compares Date values: the request's value cannot be compared that way, so the condition does not work as written; use a Numeric operator (NumericEquals, NumericLessThan, …)
            condition-operator-type warning "\"aws:SourceIp\"": "aws:SourceIp" is of type IPAddress and Bool compares Boolean values: the request's value cannot be compared that way, so the condition does not work as written; use IpAddress or NotIpAddress
            condition-operator-type warning "\"aws:CurrentTime\"": "aws:CurrentTime" is of type Date and IpAddress compares IP address values: the request's value cannot be compared that way, so the condition does not work as written; use a Date operator (DateGreaterThan, DateLessThan, …)
        "#]],
        &s3(
            r#"{"StringEquals": {"aws:username": "5"}, "NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}, "Bool": {"aws:SecureTransport": "true"}, "IpAddress": {"aws:SourceIp": "203.0.113.0/24"}}"#,
        ),
    );
    // A String operator on a typed key compares text: a hint.
    spec(
        &CODES,
        &s3(r#"{"StringEquals": {"aws:SecureTransport": "true"}}"#),
        expect![[r#"
            condition-operator-type hint "\"aws:SecureTransport\"": "aws:SecureTransport" is of type Boolean and StringEquals compares String values: it compares the request's value as text, so only that exact spelling matches; use Bool
        "#]],
        &s3(r#"{"Bool": {"aws:SecureTransport": "true"}}"#),
    );
}

#[test]
fn operator_types_that_aws_documents_or_uses() {
    silent(
        &CODES,
        &[
            // aws:EpochTime is a date that also takes Numeric operators.
            s3(r#"{"NumericGreaterThan": {"aws:EpochTime": "1735689600"}}"#),
            s3(r#"{"DateGreaterThan": {"aws:EpochTime": "1735689600"}}"#),
            // String operators on ARN keys; ARN operators on String keys holding ARNs.
            s3(r#"{"StringLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/x"}}"#),
            s3(r#"{"ArnLike": {"aws:username": "arn:aws:iam::*:user/x"}}"#),
            s3(r#"{"Null": {"aws:MultiFactorAuthAge": "true"}}"#),
            // Comparing with another key's value takes a String operator (IAM User Guide's
            // aws:Ec2InstanceSourcePrivateIPv4 example).
            s3(
                r#"{"StringNotEquals": {"aws:Ec2InstanceSourcePrivateIPv4": "${aws:VpcSourceIp}"}}"#,
            ),
        ],
    );
}

#[test]
fn dates_that_may_not_resolve_as_expected() {
    spec(
        &CODES,
        &s3(
            r#"{"DateLessThan": {"aws:CurrentTime": ["1735689600", 1735689600, "2021", "2025-06-01T12:00:00"]}}"#,
        ),
        expect![[r#"
            ambiguous-date info "\"1735689600\"": 1735689600 is epoch seconds, which may not resolve as expected: AWS recommends the W3C date format (2025-01-01T00:00:00Z) [fixes: Change to "2025-01-01T00:00:00Z"]
            ambiguous-date info "1735689600": 1735689600 is epoch seconds, which may not resolve as expected: AWS recommends the W3C date format (2025-01-01T00:00:00Z) [fixes: Change to "2025-01-01T00:00:00Z"]
            ambiguous-date info "\"2021\"": "2021" may be read as the year 2021 or as 2021 seconds after 1970-01-01 (epoch time): write the date in full [fixes: Change to "2021-01-01T00:00:00Z"]
            ambiguous-date info "\"2025-06-01T12:00:00\"": "2025-06-01T12:00:00" has a time but no time zone, so the instant it names is not certain: add Z (UTC) or an offset such as +01:00 [fixes: Change to "2025-06-01T12:00:00Z"]
        "#]],
        &s3(
            r#"{"DateLessThan": {"aws:CurrentTime": ["2025-01-01T00:00:00Z", "2021-01-01", "2025-06-01T12:00:00+02:00"]}}"#,
        ),
    );
    silent(
        &CODES,
        &[
            // Epoch seconds are aws:EpochTime's own form; a non-date is condition-value-type's.
            s3(r#"{"DateLessThan": {"aws:EpochTime": "1735689600"}}"#),
            s3(r#"{"DateLessThan": {"aws:CurrentTime": "not-a-date"}}"#),
            s3(r#"{"StringLike": {"aws:username": "2021"}}"#),
        ],
    );
}

#[test]
fn numeric_bounds_made_redundant_by_a_looser_one() {
    spec(
        &CODES,
        &s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["2700", 3600, "1200"]}}"#),
        expect![[r#"
            redundant-condition-value hint "\"2700\"": NumericLessThan holds when "aws:MultiFactorAuthAge" is less than any of its values, so "2700" adds nothing next to 3600: keep only the greatest value [fixes: Remove "2700"]
            redundant-condition-value hint "\"1200\"": NumericLessThan holds when "aws:MultiFactorAuthAge" is less than any of its values, so "1200" adds nothing next to 3600: keep only the greatest value [fixes: Remove "1200"]
        "#]],
        &s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}"#),
    );
    spec(
        &CODES,
        &s3(r#"{"NumericGreaterThanEquals": {"s3:max-keys": ["10", "5", "5"]}}"#),
        expect![[r#"
            redundant-condition-value hint "\"10\"": NumericGreaterThanEquals holds when "s3:max-keys" is greater than any of its values, so "10" adds nothing next to "5": keep only the least value [fixes: Remove "10"]
            redundant-condition-value hint "\"5\"": NumericGreaterThanEquals holds when "s3:max-keys" is greater than any of its values, so "5" adds nothing next to "5": keep only the least value [fixes: Remove "5"]
        "#]],
        &s3(r#"{"NumericGreaterThanEquals": {"s3:max-keys": ["5"]}}"#),
    );
    silent(
        &CODES,
        &[
            // Equality tests each value: none is redundant.
            s3(r#"{"NumericEquals": {"s3:max-keys": ["10", "5"]}}"#),
            // A value that is no number is not compared.
            s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "${aws:x}"]}}"#),
        ],
    );
}

// `condition-value-type`, narrowed for rows 11 and 61 of docs/access-analyzer.md.

const VALUE_TYPE: [Code; 1] = [Code::ConditionValueType];

#[test]
fn values_of_one_key_that_mix_json_types() {
    spec(
        &VALUE_TYPE,
        &s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": [3600, "7200"]}}"#),
        expect![[r#"
            condition-value-type info "\"aws:MultiFactorAuthAge\"": the values of "aws:MultiFactorAuthAge" mix JSON types (number and string), which IAM Access Analyzer reports as an error ("Invalid condition data type"); IAM reads numbers and Booleans as their text, so write them all as strings [fixes: Write every value as a string]
        "#]],
        &s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": ["3600", "7200"]}}"#),
    );
    silent(
        &VALUE_TYPE,
        &[
            s3(r#"{"NumericLessThan": {"aws:MultiFactorAuthAge": [3600, 7200]}}"#),
            s3(r#"{"Bool": {"aws:SecureTransport": true}}"#),
        ],
    );
}

#[test]
fn values_that_name_services() {
    spec(
        &VALUE_TYPE,
        &allow_if(
            r#""iam:PassRole""#,
            r#"{"StringEquals": {"iam:PassedToService": ["ec2", "lambda.amazonaws.com"]}}"#,
        ),
        expect![[r#"
            condition-value-type warning "\"ec2\"": "ec2" is not a service principal such as ec2.amazonaws.com: iam:PassedToService never has this value [fixes: Change to "ec2.amazonaws.com"]
        "#]],
        &allow_if(
            r#""iam:PassRole""#,
            r#"{"StringEquals": {"iam:PassedToService": ["ec2.amazonaws.com", "lambda.amazonaws.com"]}}"#,
        ),
    );
    spec(
        &VALUE_TYPE,
        &allow_if(
            r#""kms:Decrypt""#,
            r#"{"StringEquals": {"kms:ViaService": "s3.amazonaws.com"}}"#,
        ),
        expect![[r#"
            condition-value-type warning "\"s3.amazonaws.com\"": "s3.amazonaws.com" is not SERVICE.REGION.amazonaws.com (e.g. s3.us-east-1.amazonaws.com): kms:ViaService never has this value
        "#]],
        &allow_if(
            r#""kms:Decrypt""#,
            r#"{"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}}"#,
        ),
    );
    silent(
        &VALUE_TYPE,
        &[allow_if(
            r#""kms:Decrypt""#,
            r#"{"StringLike": {"kms:ViaService": "secretsmanager.*.amazonaws.com", "iam:PassedToService": "*.amazonaws.com"}, "Null": {"kms:ViaService": "true"}}"#,
        )],
    );
}
