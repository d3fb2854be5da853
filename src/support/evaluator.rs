//! What each statement of a policy does to the Support family's actions: which actions it
//! covers (through `Action` wildcards or everything `NotAction` leaves out), whether it
//! applies to Support requests at all (their resource is `*`), and under which conditions.

use super::index::SupportIndex;
use super::request::ConditionVerdict;
use super::universe::ActionSet;
use crate::catalog;
use crate::policy::{Effect, Policy, Statement, is_intrinsic};
use crate::syntax::{Str, TextRange, Value};

/// How `Action` / `NotAction` select actions.
#[derive(Debug)]
pub(crate) enum Selector<'a> {
    /// `Action`: each token and the universe actions it covers.
    Action(Vec<(&'a Str, ActionSet)>),
    /// `NotAction`: each token and the universe actions it exempts.
    NotAction {
        key: TextRange,
        tokens: Vec<(&'a Str, ActionSet)>,
    },
}

/// Whether the statement's `Resource`/`NotResource` lets it apply to a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Applies (the resource `*` matches).
    Applies,
    /// Applies to some resources only (Trusted Advisor checks scoped by ARN).
    Scoped,
    /// Can never apply.
    Never,
}

pub(crate) struct StatementImpact<'a> {
    /// What the actions' indices refer to.
    support: &'static SupportIndex,
    pub(crate) index: usize,
    pub(crate) statement: &'a Statement<'a>,
    pub(crate) effect: Effect,
    pub(crate) selector: Selector<'a>,
    /// The universe actions the statement covers, before resources and conditions.
    pub(crate) covered: ActionSet,
    /// For actions requested on `*` (everything but Trusted Advisor checks).
    pub(crate) reach_star: Reach,
    /// For actions scoped to Trusted Advisor `checks`.
    pub(crate) reach_checks: Reach,
    pub(crate) condition: ConditionVerdict,
}

/// How certainly a statement takes effect on an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Force {
    Never,
    /// Under conditions, or only for some resources.
    Conditional,
    Always,
}

impl<'a> StatementImpact<'a> {
    /// `None` when the statement has no valid Effect.
    pub(crate) fn new(
        support: &'static SupportIndex,
        index: usize,
        statement: &'a Statement<'a>,
    ) -> Option<Self> {
        let effect = statement.effect()?;
        let universe = &support.universe;
        let selector = match statement.actions() {
            Some(list) if !list.negated => Selector::Action(
                list.items
                    .iter()
                    .map(|token| (*token, universe.matching(&token.value)))
                    .collect(),
            ),
            Some(list) => Selector::NotAction {
                key: list.member.key.range,
                tokens: list
                    .items
                    .iter()
                    .map(|token| (*token, universe.matching(&token.value)))
                    .collect(),
            },
            None => Selector::Action(Vec::new()),
        };
        let covered = match &selector {
            Selector::Action(tokens) => union(tokens),
            Selector::NotAction { tokens, .. } => universe.full_set().minus(&union(tokens)),
        };
        let (reach_star, reach_checks) = reach(statement);
        Some(Self {
            support,
            index,
            statement,
            effect,
            selector,
            covered,
            reach_star,
            reach_checks,
            condition: ConditionVerdict::of(&statement.conditions()),
        })
    }

    /// How certainly this statement takes effect on the universe action `index`.
    pub(crate) fn force_on(&self, index: usize) -> Force {
        if !self.covered.contains(index) || self.condition.is_never() {
            return Force::Never;
        }
        let reach = if self.support.universe.entry(index).has_resource_type {
            self.reach_checks
        } else {
            self.reach_star
        };
        match (reach, &self.condition) {
            (Reach::Never, _) => Force::Never,
            (Reach::Applies, ConditionVerdict::Always) => Force::Always,
            _ => Force::Conditional,
        }
    }

    /// The covered actions on which the statement takes effect at least conditionally.
    pub(crate) fn effective(&self) -> ActionSet {
        let mut set = ActionSet::default();
        for index in self.covered.iter() {
            if self.force_on(index) != Force::Never {
                set.insert(index);
            }
        }
        set
    }

    pub(crate) fn is_conditional(&self) -> bool {
        self.condition.is_conditional()
    }
}

fn union(tokens: &[(&Str, ActionSet)]) -> ActionSet {
    let mut set = ActionSet::default();
    for (_, covered) in tokens {
        set.union_with(covered);
    }
    set
}

/// Support requests are made on the resource `*`; Trusted Advisor check actions on
/// `arn:…:trustedadvisor:…:checks/…` ARNs.
fn reach(statement: &Statement) -> (Reach, Reach) {
    let Some(list) = statement.resources() else {
        // No Resource at all (a trust policy, or a statement being typed): not scoped.
        return (Reach::Applies, Reach::Applies);
    };
    // A CloudFormation intrinsic (`{"Fn::Sub": …}`) may become any resource once deployed.
    if has_intrinsic(list.member.value.as_ref()) {
        return (Reach::Scoped, Reach::Scoped);
    }
    let matches_star = list
        .items
        .iter()
        .any(|p| catalog::glob_match(&p.value, "*"));
    let may_match_checks = list.items.iter().any(|p| could_match_checks_arn(&p.value));
    if list.negated {
        // NotResource: applies to every resource the patterns leave out.
        let star = if matches_star {
            Reach::Never
        } else {
            Reach::Applies
        };
        let checks = match (matches_star, may_match_checks) {
            (true, _) => Reach::Never,
            (false, true) => Reach::Scoped,
            (false, false) => Reach::Applies,
        };
        return (star, checks);
    }
    let star = if matches_star {
        Reach::Applies
    } else {
        Reach::Never
    };
    let checks = match (matches_star, may_match_checks) {
        (true, _) => Reach::Applies,
        (false, true) => Reach::Scoped,
        (false, false) => Reach::Never,
    };
    (star, checks)
}

fn has_intrinsic(value: Option<&Value>) -> bool {
    match value {
        Some(v) if is_intrinsic(v) => true,
        Some(v) => v
            .as_array()
            .is_some_and(|a| a.elements.iter().any(is_intrinsic)),
        None => false,
    }
}

/// Whether a Resource pattern can match some Trusted Advisor check ARN.
pub(crate) fn could_match_checks_arn(pattern: &str) -> bool {
    // `arn:partition:service:region:account:rest`: the first five colons, found with one
    // byte scan and no allocation (this runs for every Resource pattern of every statement).
    let mut colons = [0usize; 5];
    let mut found = 0;
    for (i, b) in pattern.bytes().enumerate() {
        if b == b':' {
            colons[found] = i;
            found += 1;
            if found == colons.len() {
                break;
            }
        }
    }
    if found < colons.len() {
        return false;
    }
    let arn = &pattern[..colons[0]];
    let service = &pattern[colons[1] + 1..colons[2]];
    let rest = &pattern[colons[4] + 1..];
    catalog::glob_match(arn, "arn")
        && catalog::glob_match(service, "trustedadvisor")
        && (catalog::glob_match(rest, "checks/x/y")
            || rest.to_ascii_lowercase().starts_with("checks"))
}

/// Every statement of a policy, evaluated.
pub(crate) fn evaluate<'a>(
    support: &'static SupportIndex,
    policy: &'a Policy<'a>,
) -> Vec<StatementImpact<'a>> {
    policy
        .statements
        .iter()
        .enumerate()
        .filter_map(|(index, statement)| StatementImpact::new(support, index, statement))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn with_statement<R>(statement: &str, f: impl FnOnce(&StatementImpact) -> R) -> R {
        let parse = parse(statement);
        let statement = Statement::new(parse.root.as_ref().unwrap()).unwrap();
        let impact = StatementImpact::new(support(), 0, &statement).unwrap();
        f(&impact)
    }

    fn support() -> &'static SupportIndex {
        crate::support::index::index(catalog::embedded())
    }

    fn index(name: &str) -> usize {
        support()
            .universe
            .index_of(catalog::parse_action(name).unwrap())
            .unwrap()
    }

    fn force(statement: &str, action: &str) -> Force {
        with_statement(statement, |s| s.force_on(index(action)))
    }

    #[test]
    fn action_wildcards_are_case_insensitive() {
        let s = r#"{"Effect": "Deny", "Action": ["SUPPORT:describe*", "support:*ForCase"], "Resource": "*"}"#;
        assert_eq!(force(s, "support:DescribeSupportLevel"), Force::Always);
        assert_eq!(force(s, "support:InitiateChatForCase"), Force::Always);
        assert_eq!(force(s, "support:CreateCase"), Force::Never);
        assert_eq!(force(s, "support:SearchForCases"), Force::Never);
    }

    #[test]
    fn not_action_covers_everything_it_does_not_list() {
        let s = r#"{"Effect": "Deny", "NotAction": ["support:*", "iam:*"], "Resource": "*"}"#;
        assert_eq!(force(s, "support:CreateCase"), Force::Never);
        assert_eq!(force(s, "support-console:GetAccountState"), Force::Always);
        assert_eq!(force(s, "trustedadvisor:DescribeChecks"), Force::Always);
        assert_eq!(force(s, "iam:PassRole"), Force::Never);
    }

    #[test]
    fn resources_decide_whether_support_requests_are_reached() {
        let scoped = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "arn:aws:support::123456789012:case/*"}"#;
        assert_eq!(force(scoped, "support:DescribeCases"), Force::Never);
        let star =
            r#"{"Effect": "Deny", "Action": "support:*", "Resource": ["arn:aws:s3:::b", "*"]}"#;
        assert_eq!(force(star, "support:DescribeCases"), Force::Always);
        let question = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "?"}"#;
        assert_eq!(force(question, "support:DescribeCases"), Force::Always);
        let not_star = r#"{"Effect": "Deny", "Action": "support:*", "NotResource": "*"}"#;
        assert_eq!(force(not_star, "support:DescribeCases"), Force::Never);
        let not_bucket =
            r#"{"Effect": "Deny", "Action": "support:*", "NotResource": "arn:aws:s3:::b"}"#;
        assert_eq!(force(not_bucket, "support:DescribeCases"), Force::Always);
        let no_resource = r#"{"Effect": "Deny", "Action": "support:*"}"#;
        assert_eq!(force(no_resource, "support:DescribeCases"), Force::Always);
    }

    #[test]
    fn trusted_advisor_checks_may_be_scoped_by_arn() {
        let s = r#"{"Effect": "Deny", "Action": "trustedadvisor:*", "Resource": "arn:aws:trustedadvisor:*:*:checks/security/*"}"#;
        assert_eq!(force(s, "trustedadvisor:RefreshCheck"), Force::Conditional);
        assert_eq!(force(s, "trustedadvisor:DescribeAccount"), Force::Never);
        assert!(could_match_checks_arn(
            "arn:aws:trustedadvisor:*:123456789012:checks/*"
        ));
        assert!(could_match_checks_arn("arn:*:*:*:*:*"));
        assert!(!could_match_checks_arn(
            "arn:aws:support::123456789012:case/*"
        ));
        assert!(!could_match_checks_arn("*"));
    }

    proptest::proptest! {
        #[test]
        fn checks_arn_test_splits_like_splitn(pattern in "[arn:*?trustedavisoch/x]{0,24}") {
            let reference = |pattern: &str| {
                let parts: Vec<&str> = pattern.splitn(6, ':').collect();
                let [arn, _, service, _, _, rest] = parts[..] else {
                    return false;
                };
                catalog::glob_match(arn, "arn")
                    && catalog::glob_match(service, "trustedadvisor")
                    && (catalog::glob_match(rest, "checks/x/y")
                        || rest.to_ascii_lowercase().starts_with("checks"))
            };
            proptest::prop_assert_eq!(could_match_checks_arn(&pattern), reference(&pattern));
        }
    }

    #[test]
    fn conditions_make_statements_conditional_or_inert() {
        let region = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:RequestedRegion": "eu-west-1"}}}"#;
        assert_eq!(force(region, "support:CreateCase"), Force::Conditional);
        let tag = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/env": "prod"}}}"#;
        assert_eq!(force(tag, "support:CreateCase"), Force::Never);
        let negated = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "*", "Condition": {"StringNotEquals": {"aws:ResourceTag/env": "prod"}}}"#;
        assert_eq!(force(negated, "support:CreateCase"), Force::Always);
    }

    #[test]
    fn cloudformation_intrinsics_in_resource_may_match_anything() {
        let s = r#"{"Effect": "Deny", "Action": "support:*", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::b"}}"#;
        assert_eq!(force(s, "support:CreateCase"), Force::Conditional);
        let s = r#"{"Effect": "Deny", "Action": "support:*", "Resource": ["arn:aws:s3:::b", {"Ref": "Arn"}]}"#;
        assert_eq!(force(s, "support:CreateCase"), Force::Conditional);
    }

    #[test]
    fn statements_without_a_valid_effect_are_not_evaluated() {
        let parse = parse(r#"{"Effect": "Alow", "Action": "support:*", "Resource": "*"}"#);
        let statement = Statement::new(parse.root.as_ref().unwrap()).unwrap();
        assert!(StatementImpact::new(support(), 0, &statement).is_none());
    }
}
