//! The type of a policy embedded in a CloudFormation template, from the resource type and
//! property it is the value of (`AWS::IAM::Role`'s `AssumeRolePolicyDocument` is a trust
//! policy). The template's tree is the same whatever its format, so the YAML host reads the
//! same table.

use super::kind::TypeHint;
use super::policy_type::{IdentityKind, PolicyType, ResourceService};
use crate::syntax::Object;

/// (resource type, the key whose value is the policy, the policy's type). `AWS::Organizations::Policy`
/// is apart: its `Type` property says SCP or RCP.
const PROPERTIES: &[(&str, &str, PolicyType)] = &[
    (
        "AWS::IAM::Role",
        "AssumeRolePolicyDocument",
        PolicyType::Trust,
    ),
    (
        "AWS::IAM::Role",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "AWS::IAM::User",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::User),
    ),
    (
        "AWS::IAM::Group",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Group),
    ),
    (
        "AWS::IAM::ManagedPolicy",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Managed),
    ),
    (
        "AWS::IAM::Policy",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Unspecified),
    ),
    (
        "AWS::IAM::RolePolicy",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "AWS::IAM::UserPolicy",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::User),
    ),
    (
        "AWS::IAM::GroupPolicy",
        "PolicyDocument",
        PolicyType::Identity(IdentityKind::Group),
    ),
    // SAM: the inline statements among a function's or state machine's `Policies` (the other
    // entries are managed policy names and policy templates, not policies).
    (
        "AWS::Serverless::Function",
        "Policies",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "AWS::Serverless::StateMachine",
        "Policies",
        PolicyType::Identity(IdentityKind::Role),
    ),
    (
        "AWS::SSO::PermissionSet",
        "InlinePolicy",
        PolicyType::Identity(IdentityKind::Unspecified),
    ),
    (
        "AWS::S3::BucketPolicy",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::S3),
    ),
    (
        "AWS::S3::AccessPoint",
        "Policy",
        PolicyType::Resource(ResourceService::S3),
    ),
    (
        "AWS::SQS::QueuePolicy",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::Sqs),
    ),
    (
        "AWS::SQS::QueueInlinePolicy",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::Sqs),
    ),
    (
        "AWS::SNS::TopicPolicy",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::Sns),
    ),
    (
        "AWS::SNS::TopicInlinePolicy",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::Sns),
    ),
    (
        "AWS::KMS::Key",
        "KeyPolicy",
        PolicyType::Resource(ResourceService::Kms),
    ),
    (
        "AWS::KMS::ReplicaKey",
        "KeyPolicy",
        PolicyType::Resource(ResourceService::Kms),
    ),
    (
        "AWS::ECR::Repository",
        "RepositoryPolicyText",
        PolicyType::Resource(ResourceService::Ecr),
    ),
    (
        "AWS::ECR::PublicRepository",
        "RepositoryPolicyText",
        PolicyType::Resource(ResourceService::Ecr),
    ),
    (
        "AWS::Lambda::Function",
        "Policy",
        PolicyType::Resource(ResourceService::Lambda),
    ),
    (
        "AWS::SecretsManager::ResourcePolicy",
        "ResourcePolicy",
        PolicyType::Resource(ResourceService::SecretsManager),
    ),
    (
        "AWS::ApiGateway::RestApi",
        "Policy",
        PolicyType::Resource(ResourceService::ApiGateway),
    ),
    (
        "AWS::EC2::VPCEndpoint",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::VpcEndpoint),
    ),
    (
        "AWS::DynamoDB::Table",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::DynamoDb),
    ),
    (
        "AWS::DynamoDB::GlobalTable",
        "PolicyDocument",
        PolicyType::Resource(ResourceService::DynamoDb),
    ),
    (
        "AWS::OpenSearchService::Domain",
        "AccessPolicies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "AWS::Elasticsearch::Domain",
        "AccessPolicies",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "AWS::EFS::FileSystem",
        "FileSystemPolicy",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "AWS::Backup::BackupVault",
        "AccessPolicy",
        PolicyType::Resource(ResourceService::Other),
    ),
    (
        "AWS::Events::EventBusPolicy",
        "Statement",
        PolicyType::Resource(ResourceService::Other),
    ),
];

/// The hint for a policy that is the value of `key` inside the CloudFormation resource
/// `resource` (an object with `Type` and `Properties`), if the table knows the place.
pub(crate) fn hint(resource: &Object, key: &str) -> Option<TypeHint> {
    let resource_type = string_member(resource, "Type")?;
    if resource_type == "AWS::Organizations::Policy" && key == "Content" {
        let properties = resource.get("Properties")?.value.as_ref()?.as_object()?;
        let policy_type = match string_member(properties, "Type")? {
            "SERVICE_CONTROL_POLICY" => PolicyType::Scp,
            "RESOURCE_CONTROL_POLICY" => PolicyType::Rcp,
            _ => return None,
        };
        return Some(TypeHint {
            policy_type,
            reason: format!(
                "the `Content` of an `AWS::Organizations::Policy` of `Type` {}",
                if policy_type == PolicyType::Scp {
                    "`SERVICE_CONTROL_POLICY`"
                } else {
                    "`RESOURCE_CONTROL_POLICY`"
                }
            ),
        });
    }
    let (_, _, policy_type) = PROPERTIES
        .iter()
        .find(|(t, k, _)| *t == resource_type && *k == key)?;
    Some(TypeHint {
        policy_type: *policy_type,
        reason: format!("the `{key}` of an `{resource_type}`"),
    })
}

/// The hint for a policy under `key` outside a CloudFormation resource: the answer of `aws iam
/// get-role` has the role's trust policy under the same name.
pub(crate) fn hint_outside_resources(key: &str) -> Option<TypeHint> {
    (key == "AssumeRolePolicyDocument").then(|| TypeHint {
        policy_type: PolicyType::Trust,
        reason: "an `AssumeRolePolicyDocument`".to_string(),
    })
}

/// SAM's `Auth.ResourcePolicy.CustomStatements`: statements of the API's resource policy.
pub(crate) fn sam_custom_statements_hint() -> TypeHint {
    TypeHint {
        policy_type: PolicyType::Resource(ResourceService::ApiGateway),
        reason: "a statement of SAM's `CustomStatements` (an API's resource policy)".to_string(),
    }
}

/// Whether `object` is a CloudFormation resource: a `Type` `AWS::…` and `Properties`.
pub(crate) fn is_resource(object: &Object) -> bool {
    string_member(object, "Type").is_some_and(|t| t.starts_with("AWS::"))
        && object.has_key("Properties")
}

fn string_member<'a>(object: &'a Object, key: &str) -> Option<&'a str> {
    Some(object.get(key)?.value.as_ref()?.as_str()?.as_str())
}
