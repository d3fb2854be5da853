//! The stable codes of every rule, with the rule family that reports each, its default
//! severity, documentation page and one-line summary (the code's doc comment).
//! `docs/rules.md` documents each; a test keeps the two in step.

use super::finding::Severity;
use super::rules::Family;

macro_rules! rules {
    ($($variant:ident = $name:literal, $family:ident, $severity:ident, $page:literal,
       $summary:literal;)*) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(#[doc = $summary] $variant,)*
        }

        /// Every rule, in documentation order.
        pub const ALL_CODES: &[Code] = &[$(Code::$variant,)*];

        impl Code {
            /// The rule family that reports it (see `rules`).
            pub(crate) fn family(self) -> Family {
                match self {
                    $(Code::$variant => Family::$family,)*
                }
            }

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)*
                }
            }

            pub(crate) fn default_severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)*
                }
            }

            /// The AWS documentation page that explains what the rule checks (empty for the
            /// server's own limits).
            pub(crate) fn url(self) -> &'static str {
                match self {
                    $(Code::$variant => $page,)*
                }
            }

            /// One line: what the rule reports (SARIF's rule descriptions).
            pub(crate) fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

rules! {
    JsonSyntax = "json-syntax", Syntax, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html", "The document is not valid JSON.";
    MissingVersion = "missing-version", Grammar, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html", "The policy has no Version; policy variables will not be substituted.";
    InvalidVersion = "invalid-version", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html", "Version is not 2012-10-17 or 2008-10-17.";
    OldVersion = "old-version", Grammar, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html", "Version 2008-10-17 does not support policy variables.";
    MissingStatement = "missing-statement", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html", "The policy has no Statement, or an empty one.";
    MissingEffect = "missing-effect", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html", "A statement has no Effect.";
    InvalidEffect = "invalid-effect", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html", "Effect is not exactly Allow or Deny.";
    MissingAction = "missing-action", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "A statement has neither Action nor NotAction.";
    ActionAndNotAction = "action-and-notaction", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html", "A statement has both Action and NotAction.";
    MissingResource = "missing-resource", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html", "A statement without Principal has neither Resource nor NotResource.";
    ResourceAndNotResource = "resource-and-notresource", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html", "A statement has both Resource and NotResource.";
    PrincipalAndNotPrincipal = "principal-and-notprincipal", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html", "A statement has both Principal and NotPrincipal.";
    MissingPrincipal = "missing-principal", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html", "A statement of a resource-based, trust or resource control policy without Principal.";
    PrincipalNotAllowed = "principal-not-allowed", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html", "Principal, NotPrincipal or a principal type where the policy's type does not support it.";
    ResourceNotAllowed = "resource-not-allowed", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user.html", "Resource or NotResource in a role trust policy.";
    UnknownElement = "unknown-element", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html", "A key that is not an element of the policy language at this place.";
    WrongType = "wrong-type", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html", "A value of the wrong JSON type (a number where a string is required, …).";
    EmptyArray = "empty-array", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html", "An empty array where IAM needs at least one value.";
    DuplicateKey = "duplicate-key", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html", "The same key twice in one object (also keys that differ only in case).";
    DuplicateSid = "duplicate-sid", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html", "Two statements of one policy share a Sid.";
    InvalidSid = "invalid-sid", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html", "A Sid with characters other than ASCII letters and digits.";
    InvalidConditionOperator = "invalid-condition-operator", Grammar, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html", "A condition operator IAM does not know.";
    InvalidActionFormat = "invalid-action-format", Actions, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "An action string that is not `service:Action` (or `*`): no or several colons, an empty part, whitespace.";
    UnknownService = "unknown-service", Actions, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An action whose service prefix no AWS service has.";
    UnknownAction = "unknown-action", Actions, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An action its service does not have (with the closest existing actions).";
    WildcardMatchesNothing = "wildcard-matches-nothing", Actions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "An action wildcard that matches no current action.";
    RemovedAction = "removed-action", Actions, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An action (or a wildcard matching only actions) that AWS removed; says where it went when known.";
    RemovedService = "removed-service", Actions, Information, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An action or condition key of a service that AWS retired: says which service, and when it left the Service Authorization Reference.";
    UndocumentedAction = "undocumented-action", Actions, Information, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An action that the Service Authorization Reference does not list but AWS's own managed policies use (names one of them).";
    UndocumentedConditionKey = "undocumented-condition-key", Actions, Information, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html", "A condition key that AWS does not document but its own managed policies use (names one of them).";
    ActionCase = "action-case", Actions, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "An action written in other case than AWS's canonical name.";
    UnknownConditionKey = "unknown-condition-key", Actions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html", "A condition key that is neither a global key nor a key of a service.";
    DenyBreaksSupportCenter = "deny-breaks-support-center", SupportCenter, Warning, "https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html", "A Deny removes actions that Support Center workflows need.";
    SupportConsoleNotExempt = "support-console-not-exempt", SupportCenter, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssupportconsole.html", "A NotAction Deny exempts support:* but not support-console:* or trustedadvisor:*.";
    MissingSupportConsole = "missing-support-console", SupportCenter, Warning, "https://docs.aws.amazon.com/awssupport/latest/user/support-interaction-perm-custom-policy.html", "An Allow grants Support Center workflows but not the support-console actions the console needs.";
    SupportResourceNotStar = "support-resource-not-star", SupportCenter, Warning, "https://docs.aws.amazon.com/awssupport/latest/user/accessing-support.html", "Support actions with a Resource that cannot match \"*\": the statement never applies to them.";
    TrustedAdvisorNamespace = "trusted-advisor-namespace", SupportCenter, Information, "https://docs.aws.amazon.com/awssupport/latest/user/security-trusted-advisor.html", "A Deny blocks Trusted Advisor through one namespace only.";
    IncompleteSupportWorkflow = "incomplete-support-workflow", SupportCenter, Hint, "https://docs.aws.amazon.com/awssupport/latest/user/support-interaction-perm-custom-policy.html", "An Allow grants a workflow's main action but not the actions it also needs.";
    PolicyTooLarge = "policy-too-large", Size, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html", "The policy exceeds AWS's size quotas for managed policies, SCPs or inline policies.";
    // ARNs, principals and security warnings (the checks of IAM Access Analyzer that need no
    // account data).
    InvalidArn = "invalid-arn", Arns, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html", "A Resource that is neither \"*\" nor an ARN with six fields.";
    ArnPartition = "arn-partition", Arns, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", "An ARN whose partition is not an AWS partition.";
    ArnServiceCase = "arn-service-case", Arns, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", "An ARN whose service has upper-case letters: it never matches.";
    ArnRegion = "arn-region", Arns, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", "An ARN's region is malformed, or present where the resource has none.";
    ArnAccount = "arn-account", Arns, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html", "An ARN's account is not 12 digits, or present where the resource has none.";
    ArnResourceFormat = "arn-resource-format", Arns, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "An ARN whose resource part fits no resource type of its service.";
    ResourceTypeMismatch = "resource-type-mismatch", Arns, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "A Resource ARN that no action of its statement applies to.";
    InvalidPrincipal = "invalid-principal", Principals, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html", "An AWS or CanonicalUser principal that is not an account, an IAM user or role, an STS session or a canonical user ID.";
    PrincipalWildcard = "principal-wildcard", Principals, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html", "A wildcard inside a principal (other than the whole \"*\" of AWS).";
    PrincipalUniqueId = "principal-unique-id", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids", "A role or user unique ID (a deleted principal) or an access key ID as a principal.";
    InvalidServicePrincipal = "invalid-service-principal", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services", "A Service principal that is not a service's domain name.";
    InvalidFederatedPrincipal = "invalid-federated-principal", Principals, Error, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-federated-users", "A Federated principal that is neither a SAML or OIDC provider ARN nor a web identity domain.";
    AllowWithNotPrincipal = "allow-with-notprincipal", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html", "Allow with NotPrincipal, which AWS does not support and which can grant anonymous access.";
    OidcMissingCondition = "oidc-missing-condition", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html", "An OIDC provider trusted without a condition on its claims.";
    GithubOidcSub = "github-oidc-sub", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html#idp_oidc_Create_GitHub", "GitHub's OIDC provider trusted without a sub condition naming the repository.";
    PassRoleStar = "pass-role-star", Security, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html", "An Allow grants iam:PassRole on every role, without a condition on iam:PassedToService.";
    CreateSlrStar = "create-slr-star", Security, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create-service-linked-role.html", "An Allow grants iam:CreateServiceLinkedRole for every service, without a condition on iam:AWSServiceName.";
    TooManyFindings = "too-many-findings", Limits, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html", "The document has more findings than the `limits.maxFindings` setting lets through: the most severe are reported, and this says how many were left out.";
    // Conditions and suggestions.
    ConditionKeyNotApplicable = "condition-key-not-applicable", Conditions, Warning, "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html", "A condition key that no action of the statement supports: the condition never holds (or never restricts).";
    ConditionValueType = "condition-value-type", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html", "A condition value that cannot be of the operator's or the key's type (date, number, boolean, IP address or range, base64, ARN).";
    ForAllValuesSingleValued = "forallvalues-single-valued", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html", "ForAllValues: or ForAnyValue: with a single-valued condition key.";
    WildcardWithoutLike = "wildcard-without-like", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String", "A * or ? in a value of a StringEquals-family operator, where it is a literal character.";
    InvalidPolicyVariable = "invalid-policy-variable", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html", "A malformed policy variable: no closing brace, empty, spaces in the name, or an unquoted default.";
    PrivateSourceIp = "private-source-ip", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip", "A private IP range in aws:SourceIp, which only ever holds public addresses.";
    DeprecatedConditionKey = "deprecated-condition-key", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html", "A global condition key that AWS no longer documents (aws:ARN, aws:SourceOwner, aws:PrincipalOrgMasterAccountId).";
    NullWithSetOperator = "null-with-set-operator", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html", "ForAllValues:Null (always true) or ForAnyValue:Null (always false).";
    MultipleBoolValues = "multiple-bool-values", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Boolean", "A Bool condition key with several values.";
    InvalidVpcId = "invalid-vpc-id", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpc", "An aws:SourceVpc or aws:SourceVpce value that is not a VPC or VPC endpoint ID.";
    IpHostBits = "ip-host-bits", Conditions, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IPAddress", "A CIDR block with host bits set, which IAM ignores.";
    RedundantAction = "redundant-action", Redundancy, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "An action already covered by another action or wildcard of the same list.";
    RedundantResource = "redundant-resource", Redundancy, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html", "A resource already covered by another resource or wildcard of the same list.";
    EmptySid = "empty-sid", Redundancy, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_sid.html", "\"Sid\": \"\", which says nothing.";
    EmptyObject = "empty-object", Redundancy, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html", "An empty Condition, condition operator or Principal object.";
    // Trust policies, service principals and type-dependent checks (Access Analyzer rows
    // 45/67, 71, 75, 76, 108, 110, 111/135, 134, 137, 138).
    TrustPrincipalStar = "trust-principal-star", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous", "A role trust policy lets everyone (\"*\") assume the role.";
    TrustActionMismatch = "trust-action-mismatch", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp.html", "An AssumeRole action that none of the statement's principals can call (a SAML provider with sts:AssumeRoleWithWebIdentity, …), or a principal that none of its actions serves.";
    RolesAnywhereActions = "roles-anywhere-actions", Principals, Warning, "https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html", "IAM Roles Anywhere trusted without sts:AssumeRole, sts:TagSession and sts:SetSourceIdentity, which it needs to vend credentials.";
    ServicePrincipalNoSource = "service-principal-no-source", Principals, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html", "A resource-based policy allows a service principal without aws:SourceArn, aws:SourceAccount, aws:SourceOrgID or aws:SourceOrgPaths (the confused deputy).";
    RedundantPrincipal = "redundant-principal", Principals, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-role-session", "An assumed-role session principal listed next to its role, which already covers it.";
    OidcAudienceQualifier = "oidc-audience-qualifier", Conditions, Information, "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-idp_oidc.html", "ForAllValues: or ForAnyValue: on an identity provider's aud claim, which most providers send as one value.";
    MissingPairedKey = "missing-paired-key", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-vpcsourceip", "aws:VpcSourceIp without aws:SourceVpc or aws:SourceVpce: the same private address exists in every VPC.";
    NotActionTagCondition = "notaction-tag-condition", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html", "NotAction with a tag condition key: the actions it reaches that do not support the key are not denied (Deny) or not allowed (Allow) as written.";
    UnsupportedActionInResourcePolicy = "unsupported-action-in-resource-policy", Actions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_identity-vs-resource.html", "An action of another service in a resource-based policy whose resource is known: it can never apply to that resource.";
    // Condition key types, dates, regions, variables and wildcards where IAM does not read
    // them, redundant values and statements.
    MissingSetOperator = "missing-set-operator", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html", "A multivalued condition key (ArrayOf… in the catalogue) used without ForAllValues: or ForAnyValue:.";
    ConditionOperatorType = "condition-operator-type", Conditions, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html", "A condition operator whose type does not fit its key's type (NumericLessThan on aws:username).";
    AmbiguousDate = "ambiguous-date", Conditions, Information, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date", "A date condition value in epoch seconds, a bare year, or a time without a time zone: it may not resolve as expected.";
    RedundantConditionValue = "redundant-condition-value", Conditions, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Numeric", "A value of a NumericLessThan/GreaterThan key that another value of the same key makes redundant.";
    RedundantStatement = "redundant-statement", Redundancy, Hint, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_statement.html", "A statement equal to an earlier one (ignoring Sid, order, case of actions).";
    WildcardInService = "wildcard-in-service", Placement, Information, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html", "A wildcard in the service name of an action or ARN (*code*:Get*), which reaches services with similar names.";
    VariableNotAllowed = "variable-not-allowed", Placement, Warning, "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html", "A policy variable where IAM does not substitute it: Action, Principal, a condition key, an ARN before its resource part.";
    UnknownRegion = "unknown-region", Regions, Warning, "https://docs.aws.amazon.com/general/latest/gr/rande.html", "A region (in an ARN or a region-valued condition key) that is not one of its partition's regions.";
}

impl Code {
    pub(crate) fn from_name(name: &str) -> Option<Code> {
        ALL_CODES.iter().copied().find(|c| c.as_str() == name)
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A set of codes, one bit each: the rules that are on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CodeSet(u128);

const _: () = assert!(ALL_CODES.len() <= 128, "CodeSet holds 128 codes");

impl CodeSet {
    pub(crate) const ALL: CodeSet = CodeSet(u128::MAX >> (128 - ALL_CODES.len()));

    pub(crate) fn contains(self, code: Code) -> bool {
        self.0 & Self::bit(code) != 0
    }

    pub(crate) fn without(self, code: Code) -> CodeSet {
        CodeSet(self.0 & !Self::bit(code))
    }

    fn bit(code: Code) -> u128 {
        1 << code as u32
    }
}
