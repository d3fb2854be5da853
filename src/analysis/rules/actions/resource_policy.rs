//! `unsupported-action-in-resource-policy`: an action of another service in a resource-based
//! policy whose resource is known (from where the policy sits, a setting, or its shape). The
//! policy governs requests to its own resource, and those are actions of the resource's
//! service: `kms:Decrypt` in a bucket policy never applies to anything (Access Analyzer's
//! "Unsupported action in policy", whose example this is). Only where the service is known
//! and its resource policies hold its actions alone: not VPC endpoint policies, which govern
//! the actions of the service behind the endpoint, nor resource policies of other services.

use crate::analysis::rules::Sink;
use crate::analysis::{Code, Finding};
use crate::catalog::Catalog;
use crate::policy::{Policy, PolicyType, ResourceService, StringList};

/// The action prefixes a resource policy of `service` can use, and the resource in words.
fn accepted(service: ResourceService) -> Option<(&'static [&'static str], &'static str)> {
    Some(match service {
        // Directory buckets take `s3express:` actions.
        ResourceService::S3 => (&["s3", "s3express"], "an S3 bucket or access point"),
        ResourceService::Sns => (&["sns"], "an SNS topic"),
        ResourceService::Sqs => (&["sqs"], "an SQS queue"),
        ResourceService::Kms => (&["kms"], "a KMS key"),
        // Public repositories take `ecr-public:` actions.
        ResourceService::Ecr => (&["ecr", "ecr-public"], "an ECR repository"),
        ResourceService::Lambda => (&["lambda"], "a Lambda function"),
        ResourceService::SecretsManager => (&["secretsmanager"], "a Secrets Manager secret"),
        ResourceService::ApiGateway => (&["execute-api"], "an API Gateway API"),
        ResourceService::DynamoDb => (&["dynamodb"], "a DynamoDB table or stream"),
        ResourceService::VpcEndpoint | ResourceService::Other => return None,
    })
}

pub(crate) fn check(catalog: &'static Catalog, policy: &Policy, sink: &mut Sink) {
    let Some(PolicyType::Resource(service)) = policy.kind.exactly() else {
        return;
    };
    let Some((prefixes, resource)) = accepted(service) else {
        return;
    };
    for statement in &policy.statements {
        let Some(member) = statement.action else {
            continue;
        };
        for string in StringList::new(member, false).items {
            let text = string.as_str();
            if !string.terminated || text.contains("${") {
                continue;
            }
            let Some((prefix, _)) = text.split_once(':') else {
                continue;
            };
            // `*`, `s*:…`: may be the resource's service; an unknown one is `unknown-service`'s.
            if prefix.contains(['*', '?'])
                || prefixes.iter().any(|p| p.eq_ignore_ascii_case(prefix))
                || catalog.service(prefix).is_none()
            {
                continue;
            }
            sink.push(Finding::new(
                Code::UnsupportedActionInResourcePolicy,
                string.range,
                format!(
                    "`{text}` cannot apply to {resource}: this policy governs requests to its own resource, which are {} actions; grant `{text}` in an identity policy or in the resource policy of its own service",
                    prefixes
                        .iter()
                        .map(|p| format!("{p}:"))
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests;
