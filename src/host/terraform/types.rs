//! The type of a policy in a Terraform configuration, from the resource and attribute it is
//! the value of (`aws_iam_role`'s `assume_role_policy` is a trust policy).

use crate::policy::{IdentityKind, PolicyType, ResourceService, TypeHint};

/// Attributes whose value may be a policy (read only when it is one: a JSON object with
/// `Statement`).
pub(super) const POLICY_ATTRIBUTES: &[&str] = &[
    "policy",
    "assume_role_policy",
    "content",
    "access_policies",
    "access_policy",
    "inline_policy",
    "resource_policy",
];

const TYPES: &[(&str, &str, PolicyType)] = &[
    ("aws_iam_role", "assume_role_policy", PolicyType::Trust),
    (
        "aws_iam_role",
        "policy",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "aws_iam_role_policy",
        "policy",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "aws_iam_user_policy",
        "policy",
        PolicyType::Identity(IdentityKind::User),
    ),
    (
        "aws_iam_group_policy",
        "policy",
        PolicyType::Identity(IdentityKind::Group),
    ),
    (
        "aws_iam_policy",
        "policy",
        PolicyType::Identity(IdentityKind::Managed),
    ),
    (
        "aws_s3_bucket_policy",
        "policy",
        PolicyType::Resource(ResourceService::S3),
    ),
    (
        "aws_s3_bucket",
        "policy",
        PolicyType::Resource(ResourceService::S3),
    ),
    (
        "aws_s3_access_point",
        "policy",
        PolicyType::Resource(ResourceService::S3),
    ),
    (
        "aws_sqs_queue_policy",
        "policy",
        PolicyType::Resource(ResourceService::Sqs),
    ),
    (
        "aws_sqs_queue",
        "policy",
        PolicyType::Resource(ResourceService::Sqs),
    ),
    (
        "aws_sns_topic_policy",
        "policy",
        PolicyType::Resource(ResourceService::Sns),
    ),
    (
        "aws_sns_topic",
        "policy",
        PolicyType::Resource(ResourceService::Sns),
    ),
    (
        "aws_kms_key",
        "policy",
        PolicyType::Resource(ResourceService::Kms),
    ),
    (
        "aws_kms_key_policy",
        "policy",
        PolicyType::Resource(ResourceService::Kms),
    ),
    (
        "aws_ecr_repository_policy",
        "policy",
        PolicyType::Resource(ResourceService::Ecr),
    ),
    (
        "aws_lambda_function",
        "policy",
        PolicyType::Resource(ResourceService::Lambda),
    ),
    (
        "aws_secretsmanager_secret_policy",
        "policy",
        PolicyType::Resource(ResourceService::SecretsManager),
    ),
    (
        "aws_secretsmanager_secret",
        "policy",
        PolicyType::Resource(ResourceService::SecretsManager),
    ),
    (
        "aws_api_gateway_rest_api_policy",
        "policy",
        PolicyType::Resource(ResourceService::ApiGateway),
    ),
    (
        "aws_api_gateway_rest_api",
        "policy",
        PolicyType::Resource(ResourceService::ApiGateway),
    ),
    (
        "aws_vpc_endpoint",
        "policy",
        PolicyType::Resource(ResourceService::VpcEndpoint),
    ),
    (
        "aws_vpc_endpoint_policy",
        "policy",
        PolicyType::Resource(ResourceService::VpcEndpoint),
    ),
    (
        "aws_dynamodb_resource_policy",
        "policy",
        PolicyType::Resource(ResourceService::DynamoDb),
    ),
    (
        "aws_elasticsearch_domain",
        "access_policies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_elasticsearch_domain_policy",
        "access_policies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_opensearch_domain",
        "access_policies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_opensearch_domain_policy",
        "access_policies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_backup_vault_policy",
        "policy",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_glacier_vault",
        "access_policy",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_cloudwatch_event_bus_policy",
        "policy",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "aws_efs_file_system_policy",
        "policy",
        PolicyType::Resource(ResourceService::Other),
    ),
];

/// The hint for the policy under `attribute` of a resource of `resource_type`, inside the
/// nested blocks `path` (`aws_iam_role`'s `inline_policy { policy = … }`).
pub(super) fn hint(
    resource_type: &str,
    path: &[String],
    attribute: &str,
    organizations_type: Option<&str>,
) -> Option<TypeHint> {
    if resource_type == "aws_organizations_policy" && attribute == "content" && path.is_empty() {
        // The provider's default `type` is SERVICE_CONTROL_POLICY.
        let policy_type = match organizations_type.unwrap_or("SERVICE_CONTROL_POLICY") {
            "SERVICE_CONTROL_POLICY" => PolicyType::Scp,
            "RESOURCE_CONTROL_POLICY" => PolicyType::Rcp,
            _ => return None,
        };
        return Some(TypeHint {
            policy_type,
            reason: format!(
                "the `content` of an `aws_organizations_policy` of type {}",
                organizations_type.unwrap_or("SERVICE_CONTROL_POLICY (the default)")
            ),
        });
    }
    let nested = path.join(".");
    let (_, _, policy_type) = TYPES.iter().find(|(t, a, _)| {
        *t == resource_type
            && *a == attribute
            && (path.is_empty() || (resource_type == "aws_iam_role" && nested == "inline_policy"))
    })?;
    let place = if path.is_empty() {
        format!("`{attribute}`")
    } else {
        format!("`{nested}.{attribute}`")
    };
    Some(TypeHint {
        policy_type: *policy_type,
        reason: format!("the {place} of an `{resource_type}`"),
    })
}

/// Places whose JSON is not an IAM policy even when it has a `Statement` (tag, backup and AI
/// opt-out policies of AWS Organizations).
pub(super) fn not_iam(
    resource_type: &str,
    attribute: &str,
    organizations_type: Option<&str>,
) -> bool {
    resource_type == "aws_organizations_policy"
        && attribute == "content"
        && organizations_type
            .is_some_and(|t| t != "SERVICE_CONTROL_POLICY" && t != "RESOURCE_CONTROL_POLICY")
}
