//! The kinds of IAM policy, and what AWS's grammar allows each of them: the facts the
//! type-dependent rules ask about (Sid characters, Principal, Resource, size quotas).
//!
//! Sources: the IAM user guide (grammar, Sid, Principal, quotas), the Organizations guide (SCP
//! and RCP syntax and quotas) and each service's guide for its resource policies; see
//! `docs/rules.md` for the figures and what is not verified. Where AWS does not say, the facts
//! here are the permissive ones: a rule never reports what a type might allow.

use std::fmt;

/// One kind of policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyType {
    /// An identity-based policy: managed, or inline in a user, group or role.
    Identity(IdentityKind),
    /// A permissions boundary (a managed policy used as one).
    Boundary,
    /// A resource-based policy other than a role's trust policy.
    Resource(ResourceService),
    /// A role's trust policy (`AssumeRolePolicyDocument`).
    Trust,
    /// An AWS Organizations service control policy.
    Scp,
    /// An AWS Organizations resource control policy.
    Rcp,
}

/// Where an identity policy is kept: its size quota depends on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// Not said.
    Unspecified,
    /// A customer managed policy.
    Managed,
    /// Inline in a user, a group or a role (the quota is the identity's total).
    User,
    Group,
    Role,
}

/// The resource a resource-based policy is attached to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResourceService {
    S3,
    Sns,
    Sqs,
    Kms,
    Ecr,
    Lambda,
    SecretsManager,
    ApiGateway,
    VpcEndpoint,
    DynamoDb,
    /// Any other service's resource policy (OpenSearch, Glue, EventBridge, …).
    Other,
}

impl ResourceService {
    pub(crate) const ALL: [ResourceService; 11] = [
        ResourceService::S3,
        ResourceService::Sns,
        ResourceService::Sqs,
        ResourceService::Kms,
        ResourceService::Ecr,
        ResourceService::Lambda,
        ResourceService::SecretsManager,
        ResourceService::ApiGateway,
        ResourceService::VpcEndpoint,
        ResourceService::DynamoDb,
        ResourceService::Other,
    ];

    /// The name in `resource:NAME` (the service's IAM prefix, where it has one).
    pub(crate) fn name(self) -> &'static str {
        match self {
            ResourceService::S3 => "s3",
            ResourceService::Sns => "sns",
            ResourceService::Sqs => "sqs",
            ResourceService::Kms => "kms",
            ResourceService::Ecr => "ecr",
            ResourceService::Lambda => "lambda",
            ResourceService::SecretsManager => "secretsmanager",
            ResourceService::ApiGateway => "apigateway",
            ResourceService::VpcEndpoint => "vpc-endpoint",
            ResourceService::DynamoDb => "dynamodb",
            ResourceService::Other => "other",
        }
    }

    fn from_name(name: &str) -> Option<ResourceService> {
        let name = name.to_ascii_lowercase();
        let aliases = [
            ("execute-api", ResourceService::ApiGateway),
            ("vpce", ResourceService::VpcEndpoint),
            ("secrets-manager", ResourceService::SecretsManager),
        ];
        Self::ALL
            .into_iter()
            .find(|s| s.name() == name)
            .or_else(|| aliases.iter().find(|(a, _)| *a == name).map(|(_, s)| *s))
    }
}

/// The characters a type allows in a `Sid`, and how bad another one is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SidCharacters {
    /// ASCII letters and digits (IAM: `[0-9A-Za-z]*`).
    Alphanumeric,
    /// Letters, digits, `-` and `_`, 1 to 100 of them (Lambda's `StatementId`).
    LambdaStatementId,
    /// Anything but whitespace (Secrets Manager, from a third-party report).
    NoSpaces,
    /// Whatever the service accepts is not restricted here (KMS, S3, SNS, SQS, ECR allow spaces
    /// or underscores; the others are undocumented).
    Any,
}

impl SidCharacters {
    pub(crate) fn allows(self, sid: &str) -> bool {
        match self {
            SidCharacters::Alphanumeric => sid.bytes().all(|b| b.is_ascii_alphanumeric()),
            SidCharacters::LambdaStatementId => {
                (1..=100).contains(&sid.len())
                    && sid
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            }
            SidCharacters::NoSpaces => !sid.chars().any(char::is_whitespace),
            SidCharacters::Any => true,
        }
    }

    /// What the type allows, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            SidCharacters::Alphanumeric => "only ASCII letters and digits",
            SidCharacters::LambdaStatementId => {
                "1 to 100 ASCII letters, digits, hyphens and underscores"
            }
            SidCharacters::NoSpaces => "no spaces",
            SidCharacters::Any => "any characters",
        }
    }
}

/// Whether a type's statements must, may or must not have an element.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Presence {
    Required,
    Optional,
    Forbidden,
}

/// How AWS counts a policy's size against a quota.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Counted {
    /// Characters, without the whitespace between tokens.
    Compact,
    /// Every character as written (what the API keeps).
    Written,
}

/// What AWS does with a policy that breaks one of a type's rules, as far as the project knows:
/// the rules make errors of what AWS rejects and warnings of the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Enforcement {
    /// AWS documents that it rejects the policy.
    Rejected,
    /// AWS probably rejects it, or the statement has no effect; not verified.
    Unverified,
    /// A default quota the account can have raised.
    Adjustable,
}

/// A size quota of a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct SizeQuota {
    pub(crate) limit: usize,
    pub(crate) counted: Counted,
    pub(crate) enforcement: Enforcement,
    /// For messages: `a customer managed policy (6,144)`.
    pub(crate) name: &'static str,
}

impl PolicyType {
    /// Reads `identity`, `identity:managed|user|group|role`, `boundary`, `resource`,
    /// `resource:SERVICE`, `trust`, `scp` or `rcp` (case-insensitive). `resource` alone is
    /// `None` as a service: any resource policy.
    pub fn parse(text: &str) -> Result<ParsedType, String> {
        let lower = text.trim().to_ascii_lowercase();
        let (base, detail) = match lower.split_once(':') {
            Some((base, detail)) => (base, Some(detail)),
            None => (lower.as_str(), None),
        };
        let single = |t| Ok(ParsedType::One(t));
        match (base, detail) {
            ("identity", None) => single(PolicyType::Identity(IdentityKind::Unspecified)),
            ("identity", Some(kind)) => match kind {
                "managed" => single(PolicyType::Identity(IdentityKind::Managed)),
                "user" => single(PolicyType::Identity(IdentityKind::User)),
                "group" => single(PolicyType::Identity(IdentityKind::Group)),
                "role" => single(PolicyType::Identity(IdentityKind::Role)),
                _ => Err(format!(
                    "\"{text}\": an identity policy is identity:managed, identity:user, identity:group or identity:role"
                )),
            },
            ("boundary" | "permissions-boundary", None) => single(PolicyType::Boundary),
            ("resource", None) => Ok(ParsedType::AnyResource),
            ("resource", Some(service)) => match ResourceService::from_name(service) {
                Some(service) => single(PolicyType::Resource(service)),
                None => Err(format!(
                    "\"{text}\": unknown resource policy; use resource or resource:SERVICE with SERVICE one of {}",
                    ResourceService::ALL.map(ResourceService::name).join(", ")
                )),
            },
            ("trust", None) => single(PolicyType::Trust),
            ("scp", None) => single(PolicyType::Scp),
            ("rcp", None) => single(PolicyType::Rcp),
            _ => Err(format!(
                "\"{text}\" is not a policy type: use identity, boundary, resource[:SERVICE], trust, scp or rcp"
            )),
        }
    }

    /// Whether statements must, may or must not have `Principal`.
    pub(crate) fn principal(self) -> Presence {
        match self {
            PolicyType::Identity(_) | PolicyType::Boundary | PolicyType::Scp => Presence::Forbidden,
            PolicyType::Resource(_) | PolicyType::Trust | PolicyType::Rcp => Presence::Required,
        }
    }

    /// What AWS does with a statement without `Principal`, where the type requires one: IAM,
    /// Organizations and the services that document it (S3, SNS, SQS, KMS, VPC endpoints)
    /// reject the policy.
    pub(crate) fn missing_principal(self) -> Option<Enforcement> {
        match self {
            PolicyType::Trust
            | PolicyType::Rcp
            | PolicyType::Resource(
                ResourceService::S3
                | ResourceService::Sns
                | ResourceService::Sqs
                | ResourceService::Kms
                | ResourceService::VpcEndpoint,
            ) => Some(Enforcement::Rejected),
            PolicyType::Resource(_) => Some(Enforcement::Unverified),
            PolicyType::Identity(_) | PolicyType::Boundary | PolicyType::Scp => None,
        }
    }

    /// Whether statements must, may or must not have `Resource` or `NotResource`.
    pub(crate) fn resource(self) -> Presence {
        match self {
            PolicyType::Trust => Presence::Forbidden,
            // The repository is the resource; CDK skips the check for exactly this.
            PolicyType::Resource(ResourceService::Ecr) => Presence::Optional,
            _ => Presence::Required,
        }
    }

    /// What AWS does with a statement without `Resource` or `NotResource`, where the type
    /// requires one: IAM and Organizations reject the policy; a resource policy's service may
    /// accept it (KMS does: the statement then has no effect).
    pub(crate) fn missing_resource(self) -> Option<Enforcement> {
        match (self, self.resource()) {
            (_, Presence::Optional | Presence::Forbidden) => None,
            (PolicyType::Resource(_), Presence::Required) => Some(Enforcement::Unverified),
            (_, Presence::Required) => Some(Enforcement::Rejected),
        }
    }

    /// The characters a Sid may have, and what AWS does with another one.
    pub(crate) fn sid_characters(self) -> (SidCharacters, Enforcement) {
        match self {
            PolicyType::Identity(_) | PolicyType::Boundary | PolicyType::Scp => {
                (SidCharacters::Alphanumeric, Enforcement::Rejected)
            }
            // Probably the same rule; not verified.
            PolicyType::Trust | PolicyType::Rcp => {
                (SidCharacters::Alphanumeric, Enforcement::Unverified)
            }
            PolicyType::Resource(ResourceService::Lambda) => {
                (SidCharacters::LambdaStatementId, Enforcement::Unverified)
            }
            PolicyType::Resource(ResourceService::SecretsManager) => {
                (SidCharacters::NoSpaces, Enforcement::Unverified)
            }
            PolicyType::Resource(_) => (SidCharacters::Any, Enforcement::Unverified),
        }
    }

    /// What AWS does with two statements of one Sid: IAM, Organizations, SNS, SQS and Lambda
    /// reject it; other services do not document it.
    pub(crate) fn duplicate_sid(self) -> Enforcement {
        match self {
            PolicyType::Resource(
                ResourceService::Sns | ResourceService::Sqs | ResourceService::Lambda,
            ) => Enforcement::Rejected,
            PolicyType::Resource(_) => Enforcement::Unverified,
            _ => Enforcement::Rejected,
        }
    }

    /// The size quotas of the type, largest first (none: not known).
    pub(crate) fn size_quotas(self) -> &'static [SizeQuota] {
        use Counted::{Compact, Written};
        use Enforcement::{Adjustable, Rejected, Unverified};
        const fn quota(
            limit: usize,
            counted: Counted,
            enforcement: Enforcement,
            name: &'static str,
        ) -> SizeQuota {
            SizeQuota {
                limit,
                counted,
                enforcement,
                name,
            }
        }
        const MANAGED: &[SizeQuota] = &[quota(
            6_144,
            Compact,
            Rejected,
            "a customer managed policy (6,144)",
        )];
        const USER: &[SizeQuota] = &[quota(
            2_048,
            Compact,
            Rejected,
            "a user's inline policies (2,048)",
        )];
        const GROUP: &[SizeQuota] = &[quota(
            5_120,
            Compact,
            Rejected,
            "a group's inline policies (5,120)",
        )];
        const ROLE: &[SizeQuota] = &[quota(
            10_240,
            Compact,
            Rejected,
            "a role's inline policies (10,240)",
        )];
        const TRUST: &[SizeQuota] = &[
            quota(
                8_192,
                Compact,
                Rejected,
                "a role trust policy (8,192 at most)",
            ),
            quota(
                2_048,
                Compact,
                Adjustable,
                "a role trust policy (2,048 unless the account's quota was raised)",
            ),
        ];
        const ORGANIZATIONS: &[SizeQuota] = &[
            quota(5_120, Compact, Rejected, "an SCP or RCP (5,120)"),
            quota(
                5_120,
                Written,
                Unverified,
                "an SCP or RCP saved through the API or CLI, which keep whitespace (5,120)",
            ),
        ];
        const S3: &[SizeQuota] = &[quota(
            20_480,
            Compact,
            Unverified,
            "a bucket policy (20 KB)",
        )];
        const SNS: &[SizeQuota] = &[quota(30_720, Compact, Unverified, "a topic policy (30 KB)")];
        const SQS: &[SizeQuota] = &[quota(
            8_192,
            Compact,
            Unverified,
            "a queue policy (8,192 bytes)",
        )];
        const KMS: &[SizeQuota] = &[quota(
            32_768,
            Compact,
            Unverified,
            "a key policy (32,768 bytes)",
        )];
        const VPC_ENDPOINT: &[SizeQuota] = &[quota(
            20_480,
            Written,
            Unverified,
            "a VPC endpoint policy (20,480, whitespace included)",
        )];
        const DYNAMODB: &[SizeQuota] = &[quota(
            20_480,
            Written,
            Unverified,
            "a DynamoDB resource policy (20 KB, whitespace included)",
        )];
        match self {
            PolicyType::Identity(IdentityKind::Unspecified) => &[],
            PolicyType::Identity(IdentityKind::Managed) | PolicyType::Boundary => MANAGED,
            PolicyType::Identity(IdentityKind::User) => USER,
            PolicyType::Identity(IdentityKind::Group) => GROUP,
            PolicyType::Identity(IdentityKind::Role) => ROLE,
            PolicyType::Trust => TRUST,
            PolicyType::Scp | PolicyType::Rcp => ORGANIZATIONS,
            PolicyType::Resource(service) => match service {
                ResourceService::S3 => S3,
                ResourceService::Sns => SNS,
                ResourceService::Sqs => SQS,
                ResourceService::Kms => KMS,
                ResourceService::VpcEndpoint => VPC_ENDPOINT,
                ResourceService::DynamoDb => DYNAMODB,
                _ => &[],
            },
        }
    }

    /// A name for messages and hovers: `SCP`, `S3 bucket policy`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            PolicyType::Identity(kind) => match kind {
                IdentityKind::Unspecified => "identity policy",
                IdentityKind::Managed => "customer managed policy",
                IdentityKind::User => "user's inline policy",
                IdentityKind::Group => "group's inline policy",
                IdentityKind::Role => "role's inline policy",
            },
            PolicyType::Boundary => "permissions boundary",
            PolicyType::Resource(service) => match service {
                ResourceService::S3 => "S3 bucket policy",
                ResourceService::Sns => "SNS topic policy",
                ResourceService::Sqs => "SQS queue policy",
                ResourceService::Kms => "KMS key policy",
                ResourceService::Ecr => "ECR repository policy",
                ResourceService::Lambda => "Lambda function policy",
                ResourceService::SecretsManager => "Secrets Manager secret policy",
                ResourceService::ApiGateway => "API Gateway resource policy",
                ResourceService::VpcEndpoint => "VPC endpoint policy",
                ResourceService::DynamoDb => "DynamoDB resource policy",
                ResourceService::Other => "resource-based policy",
            },
            PolicyType::Trust => "role trust policy",
            PolicyType::Scp => "SCP",
            PolicyType::Rcp => "RCP",
        }
    }

    /// The text `parse` reads back: `identity:role`, `resource:s3`.
    #[cfg(test)]
    pub(crate) fn setting(self) -> String {
        match self {
            PolicyType::Identity(IdentityKind::Unspecified) => "identity".into(),
            PolicyType::Identity(IdentityKind::Managed) => "identity:managed".into(),
            PolicyType::Identity(IdentityKind::User) => "identity:user".into(),
            PolicyType::Identity(IdentityKind::Group) => "identity:group".into(),
            PolicyType::Identity(IdentityKind::Role) => "identity:role".into(),
            PolicyType::Boundary => "boundary".into(),
            PolicyType::Resource(service) => format!("resource:{}", service.name()),
            PolicyType::Trust => "trust".into(),
            PolicyType::Scp => "scp".into(),
            PolicyType::Rcp => "rcp".into(),
        }
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a type setting names: one type, or any resource-based policy (`resource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParsedType {
    One(PolicyType),
    AnyResource,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_back() {
        for t in [
            PolicyType::Identity(IdentityKind::Unspecified),
            PolicyType::Identity(IdentityKind::Role),
            PolicyType::Boundary,
            PolicyType::Trust,
            PolicyType::Scp,
            PolicyType::Rcp,
        ]
        .into_iter()
        .chain(ResourceService::ALL.map(PolicyType::Resource))
        {
            assert_eq!(PolicyType::parse(&t.setting()), Ok(ParsedType::One(t)));
        }
        assert_eq!(PolicyType::parse("Resource"), Ok(ParsedType::AnyResource));
        assert_eq!(
            PolicyType::parse("resource:execute-api"),
            Ok(ParsedType::One(PolicyType::Resource(
                ResourceService::ApiGateway
            )))
        );
        for bad in ["", "idenity", "resource:nosuch", "identity:admin", "scp:x"] {
            assert!(PolicyType::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sid_characters() {
        let cases = [
            ("AllowS3", SidCharacters::Alphanumeric, true),
            ("Allow S3", SidCharacters::Alphanumeric, false),
            ("", SidCharacters::Alphanumeric, true),
            ("__default_statement_ID", SidCharacters::Any, true),
            ("lambda-invoke_1", SidCharacters::LambdaStatementId, true),
            ("", SidCharacters::LambdaStatementId, false),
            ("a b", SidCharacters::LambdaStatementId, false),
            ("a_b", SidCharacters::NoSpaces, true),
            ("a b", SidCharacters::NoSpaces, false),
        ];
        for (sid, characters, allowed) in cases {
            assert_eq!(characters.allows(sid), allowed, "{sid:?} {characters:?}");
        }
    }
}
