//! Which type a policy is, and why: declared by the user (`--policy-type`, the `policyTypes`
//! setting), given by where the policy sits (a host format's [`TypeHint`]), or read from the
//! policy itself.
//!
//! What is known is a set of types the policy may still be. Content alone narrows it the way
//! AWS's grammar allows (spec: a Principal means a resource-based, trust or resource control
//! policy, none means an identity policy, a boundary or an SCP; only a trust policy lets
//! principals assume a role without naming a resource) and never tells an SCP, RCP or boundary
//! from the others. Rules ask the set: an error holds only if it holds for every type the
//! policy may be ([`PolicyKind::mildest`]).

use super::policy_type::{IdentityKind, ParsedType, PolicyType, ResourceService};
use super::{Policy, Statement, StringList, is_everyone, is_intrinsic};

/// A type the user declared for a document, and where: `--policy-type scp`, the setting
/// `"scp/**": "scp"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclaredType {
    pub types: ParsedType,
    /// For hovers: `` `--policy-type scp` ``.
    pub reason: String,
}

/// The type a host format gives a policy by where it sits, and why (for hovers): a
/// CloudFormation `AssumeRolePolicyDocument` is a trust policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeHint {
    pub policy_type: PolicyType,
    /// `` the `AssumeRolePolicyDocument` of an `AWS::IAM::Role` ``.
    pub reason: String,
}

/// Why a policy has the types it has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Set by the user; the text says where.
    Declared(String),
    /// Given by where the policy sits in its host document.
    Host(String),
    /// Read from the policy's content; the text says from what.
    Content(&'static str),
}

/// The types a policy may be, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyKind {
    types: TypeSet,
    /// Which identity policy, when the set has one.
    identity: IdentityKind,
    origin: Origin,
}

/// A set of policy types, one bit each (the resource-based policy of each service apart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct TypeSet(u16);

const IDENTITY: u16 = 1 << 0;
const BOUNDARY: u16 = 1 << 1;
const TRUST: u16 = 1 << 2;
const SCP: u16 = 1 << 3;
const RCP: u16 = 1 << 4;
const RESOURCE_SHIFT: u32 = 5;
const ANY_RESOURCE: u16 = ((1 << ResourceService::ALL.len()) - 1) << RESOURCE_SHIFT;
const WITHOUT_PRINCIPAL: u16 = IDENTITY | BOUNDARY | SCP;
const WITH_PRINCIPAL: u16 = ANY_RESOURCE | TRUST | RCP;
const ALL: u16 = WITHOUT_PRINCIPAL | WITH_PRINCIPAL;

impl TypeSet {
    fn of(policy_type: PolicyType) -> TypeSet {
        TypeSet(match policy_type {
            PolicyType::Identity(_) => IDENTITY,
            PolicyType::Boundary => BOUNDARY,
            PolicyType::Trust => TRUST,
            PolicyType::Scp => SCP,
            PolicyType::Rcp => RCP,
            PolicyType::Resource(service) => 1 << (RESOURCE_SHIFT + service as u32),
        })
    }

    /// The types, in the order of [`PolicyType`]'s variants.
    fn iter(self, identity: IdentityKind) -> impl Iterator<Item = PolicyType> {
        let identity_based = [PolicyType::Identity(identity), PolicyType::Boundary];
        let resources = ResourceService::ALL.map(PolicyType::Resource);
        let others = [PolicyType::Trust, PolicyType::Scp, PolicyType::Rcp];
        identity_based
            .into_iter()
            .chain(resources)
            .chain(others)
            .filter(move |t| self.0 & TypeSet::of(*t).0 != 0)
    }
}

impl PolicyKind {
    /// The policy's kind: `declared` by the user if set, else the type its host gives it, else
    /// what its content says.
    pub(crate) fn infer(
        policy: &Policy,
        hint: Option<&TypeHint>,
        declared: Option<&DeclaredType>,
    ) -> PolicyKind {
        if let Some(declared) = declared {
            let origin = Origin::Declared(declared.reason.clone());
            return match declared.types {
                ParsedType::One(t) => PolicyKind::exactly_one(t, origin),
                ParsedType::AnyResource => PolicyKind {
                    types: TypeSet(ANY_RESOURCE),
                    identity: IdentityKind::Unspecified,
                    origin,
                },
            };
        }
        if let Some(hint) = hint {
            return PolicyKind::exactly_one(hint.policy_type, Origin::Host(hint.reason.clone()));
        }
        from_content(policy)
    }

    /// Nothing known: any type.
    pub(crate) fn unknown() -> PolicyKind {
        PolicyKind::content(ALL, "nothing in the policy tells its type yet")
    }

    fn exactly_one(policy_type: PolicyType, origin: Origin) -> PolicyKind {
        let identity = match policy_type {
            PolicyType::Identity(kind) => kind,
            _ => IdentityKind::Unspecified,
        };
        PolicyKind {
            types: TypeSet::of(policy_type),
            identity,
            origin,
        }
    }

    fn content(bits: u16, why: &'static str) -> PolicyKind {
        PolicyKind {
            types: TypeSet(bits),
            identity: IdentityKind::Unspecified,
            origin: Origin::Content(why),
        }
    }

    /// Every type the policy may be (each service's resource-based policy apart).
    pub(crate) fn types(&self) -> impl Iterator<Item = PolicyType> + '_ {
        self.types.iter(self.identity)
    }

    /// The type, when only one is possible.
    pub(crate) fn exactly(&self) -> Option<PolicyType> {
        let mut types = self.types();
        match (types.next(), types.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// Whether every type the policy may be satisfies `test`: for what must hold whatever the
    /// policy is (the errors).
    pub(crate) fn must_be(&self, test: impl Fn(PolicyType) -> bool) -> bool {
        self.types().all(test)
    }

    /// Whether some type the policy may be satisfies `test`: for advice that is wrong only
    /// for the types excluded.
    pub(crate) fn may_be(&self, test: impl Fn(PolicyType) -> bool) -> bool {
        self.types().any(test)
    }

    /// The mildest of `verdict` over the types the policy may be: `None` as soon as one type
    /// has none (what some type allows is never reported). `T` orders from the strictest up,
    /// as [`Enforcement`](super::policy_type::Enforcement) does.
    pub(crate) fn mildest<T: Ord>(&self, verdict: impl Fn(PolicyType) -> Option<T>) -> Option<T> {
        let mut mildest = None;
        for t in self.types() {
            let v = verdict(t)?;
            mildest = Some(match mildest {
                Some(m) if m >= v => m,
                _ => v,
            });
        }
        mildest
    }

    #[cfg(test)]
    pub(crate) fn origin(&self) -> &Origin {
        &self.origin
    }

    /// What the policy is, in words: `an SCP`, `an identity policy, a permissions boundary or
    /// an SCP`, `a resource-based policy, a role trust policy or an RCP`.
    pub(crate) fn summary(&self) -> String {
        let mut names: Vec<&str> = Vec::new();
        let resources = self.types.0 & ANY_RESOURCE;
        for t in self.types() {
            let name = match t {
                PolicyType::Resource(_) if resources.count_ones() > 1 => "resource-based policy",
                t => t.name(),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let with_article: Vec<String> = names.iter().map(|n| article(n)).collect();
        match with_article.as_slice() {
            [] => "a policy".into(),
            [only] => only.clone(),
            [init @ .., last] => format!("{} or {last}", init.join(", ")),
        }
    }

    /// One line for hovers: `**SCP** — set by \`--policy-type scp\``.
    pub(crate) fn explanation(&self) -> String {
        let what = self.summary();
        match &self.origin {
            Origin::Declared(reason) => format!("Checked as {what}: set by {reason}."),
            Origin::Host(reason) => format!("Checked as {what}: it is {reason}."),
            Origin::Content(why) if self.exactly().is_some() => {
                format!("Checked as {what}: {why}.")
            }
            Origin::Content(why) => format!(
                "Checked as {what}: {why}. Rules that depend on the type report only what is wrong for all of them; say which with the `policyTypes` setting or `check --policy-type`."
            ),
        }
    }
}

/// `an SCP`, `a KMS key policy`: the article goes by the sound of the first word.
fn article(name: &str) -> String {
    const AN: &[&str] = &["identity", "SCP", "RCP", "S3", "SNS", "SQS", "ECR", "API"];
    let first = name.split(' ').next().unwrap_or_default();
    if AN.contains(&first) {
        format!("an {name}")
    } else {
        format!("a {name}")
    }
}

/// The actions a role trust policy grants (to assume the role, and what comes with it).
const TRUST_ACTIONS: &[&str] = &[
    "sts:AssumeRole",
    "sts:AssumeRoleWithSAML",
    "sts:AssumeRoleWithWebIdentity",
    "sts:TagSession",
    "sts:SetSourceIdentity",
    "sts:SetContext",
];

/// Whether an action string is one of a trust policy's (or a wildcard over them, `sts:*`).
pub(crate) fn is_trust_action(action: &str) -> bool {
    action.len() > 4
        && action[..4].eq_ignore_ascii_case("sts:")
        && TRUST_ACTIONS
            .iter()
            .any(|t| crate::catalog::glob_match(action, t))
}

/// What the statements say of the type.
fn from_content(policy: &Policy) -> PolicyKind {
    let statements = &policy.statements;
    if statements.is_empty() {
        return PolicyKind::unknown();
    }
    let has_principal = |s: &Statement| s.principal.is_some() || s.not_principal.is_some();
    if !statements.iter().any(has_principal) {
        return PolicyKind::content(
            WITHOUT_PRINCIPAL,
            "no statement has a Principal, so it is an identity policy, a permissions boundary or an SCP",
        );
    }
    let grants_assume_role = statements.iter().all(|s| {
        s.action.is_some_and(|member| {
            let list = StringList::new(member, false);
            !list.items.is_empty() && list.items.iter().all(|a| is_trust_action(a.as_str()))
        })
    });
    let names_resources = statements
        .iter()
        .any(|s| s.resource.is_some() || s.not_resource.is_some());
    if grants_assume_role && !names_resources {
        return PolicyKind::content(
            TRUST,
            "its statements let principals assume a role (sts:AssumeRole…) and name no Resource, as only a role trust policy does",
        );
    }
    if let Some(kind) = resource_service_signal(policy) {
        return kind;
    }
    let mut bits = WITH_PRINCIPAL;
    if !grants_assume_role {
        bits &= !TRUST;
    }
    if !statements.iter().all(could_be_rcp) {
        bits &= !RCP;
    }
    let why = match (bits & TRUST != 0, bits & RCP != 0) {
        (true, true) => "its statements have a Principal",
        (false, true) => {
            "its statements have a Principal and name actions other than sts:AssumeRole…"
        }
        (true, false) => {
            "its statements have a Principal other than \"*\" (an RCP's must be \"*\")"
        }
        (false, false) => {
            "its statements have a Principal other than \"*\" (an RCP's must be \"*\") and name actions other than sts:AssumeRole…"
        }
    };
    PolicyKind::content(bits, why)
}

/// A resource policy that shows its service: API Gateway's `execute-api:/…` resources, the
/// default topic policy SNS writes (`"Id": "__default_policy_ID"` and only `sns:` actions).
fn resource_service_signal(policy: &Policy) -> Option<PolicyKind> {
    let resources = || {
        policy
            .statements
            .iter()
            .filter_map(|s| s.resource.map(|m| StringList::new(m, false)))
            .flat_map(|list| list.items)
    };
    if resources().any(|r| r.as_str().starts_with("execute-api:/")) {
        return Some(PolicyKind::content(
            TypeSet::of(PolicyType::Resource(ResourceService::ApiGateway)).0,
            "its resources are written `execute-api:/…`, as only an API Gateway resource policy accepts",
        ));
    }
    let id = policy
        .id
        .and_then(|m| m.value.as_ref())
        .and_then(|v| v.as_str());
    let only_sns = policy.statements.iter().all(|s| {
        s.action.is_some_and(|m| {
            let list = StringList::new(m, false);
            !list.items.is_empty()
                && list
                    .items
                    .iter()
                    .all(|a| a.as_str().len() > 4 && a.as_str()[..4].eq_ignore_ascii_case("sns:"))
        })
    });
    if id.is_some_and(|id| &*id.value == "__default_policy_ID") && only_sns {
        return Some(PolicyKind::content(
            TypeSet::of(PolicyType::Resource(ResourceService::Sns)).0,
            "it is shaped like the topic policy SNS writes (`\"Id\": \"__default_policy_ID\"`, sns: actions)",
        ));
    }
    None
}

/// An RCP statement's Principal is `"*"` (or `{"AWS": "*"}`), and it has no `NotPrincipal` or
/// `NotAction`.
fn could_be_rcp(statement: &Statement) -> bool {
    statement.not_principal.is_none()
        && statement.not_action.is_none()
        && statement
            .principal
            .and_then(|m| m.value.as_ref())
            .is_none_or(|v| is_everyone(v) || is_intrinsic(v))
}

#[cfg(test)]
mod tests;
