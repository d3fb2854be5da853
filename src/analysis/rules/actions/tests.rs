//! Specifications of the catalogue rules: a statement, the findings it must produce (code,
//! severity, the exact text flagged, message), and every fix applied and re-analysed.

use expect_test::{Expect, expect};

use crate::analysis::{Code, Finding, Options, analyze};

/// A policy with one statement `{"Effect": effect, key: value, "Resource": "*"}`.
fn policy(effect: &str, key: &str, value: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "{effect}", "{key}": {value}, "Resource": "*"}}]}}"#
    )
}

fn with_condition(condition: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {condition}}}]}}"#
    )
}

/// The findings of these rules (other rules, such as the Support Center ones, have their own
/// specifications).
fn findings(text: &str) -> Vec<Finding> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::InvalidActionFormat
                    | Code::UnknownService
                    | Code::UnknownAction
                    | Code::WildcardMatchesNothing
                    | Code::RemovedAction
                    | Code::RemovedService
                    | Code::UndocumentedAction
                    | Code::UndocumentedConditionKey
                    | Code::ActionCase
                    | Code::UnknownConditionKey
            )
        })
        .collect()
}

fn render(text: &str) -> String {
    let mut out = String::new();
    for f in findings(text) {
        let fixes: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
        out.push_str(&format!(
            "{} {} {:?}{}: {}{}\n",
            f.code.as_str(),
            f.severity.as_str(),
            &text[f.range.as_usize()],
            if f.deprecated { " (deprecated)" } else { "" },
            f.message,
            if fixes.is_empty() {
                String::new()
            } else {
                format!(" [fixes: {}]", fixes.join(" | "))
            }
        ));
    }
    out
}

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&render(text));
}

/// Applies every fix of every finding, one at a time; each result must be valid JSON with no
/// finding left at the fixed place.
fn every_fix_repairs(text: &str) -> usize {
    let mut applied = 0;
    for finding in findings(text) {
        for fix in &finding.fixes {
            let out = fix.apply(text);
            assert!(
                serde_json::from_str::<serde_json::Value>(&out).is_ok(),
                "{}: not JSON: {out}",
                fix.title
            );
            let left: Vec<Finding> = findings(&out)
                .into_iter()
                .filter(|f| f.range.start == finding.range.start)
                .collect();
            assert!(left.is_empty(), "{} left {left:?} in {out}", fix.title);
            applied += 1;
        }
    }
    applied
}

#[test]
fn known_actions_wildcards_and_case_are_never_unknown() {
    for value in [
        r#""*""#,
        r#""support:*""#,
        r#""SUPPORT:describe*""#,
        r#""s3:Get?bject""#,
        r#""*:Describe*""#,
        r#""iam:List*Tags""#,
        r#""support*:Describe*""#,
        r#"["support:DescribeSupportLevel", "trustedadvisor:RefreshCheck", "support-console:GetBanner"]"#,
        r#""vpc-lattice:AssociateViaAWSService-EventsAndStates""#,
        r#""${AWS::Partition}:GetObject""#,
        r#""freetier:List*""#,
    ] {
        for key in ["Action", "NotAction"] {
            let text = policy("Deny", key, value);
            assert_eq!(render(&text), "", "{key}: {value}");
        }
    }
    // Case differences are a hint, never an unknown action.
    check(
        &policy(
            "Allow",
            "Action",
            r#"["support:describesupportlevel", "S3:GetObject"]"#,
        ),
        expect![[r#"
            action-case hint "\"support:describesupportlevel\"": AWS writes this action "support:DescribeSupportLevel" (IAM ignores case) [fixes: Change to "support:DescribeSupportLevel"]
            action-case hint "\"S3:GetObject\"": AWS writes this action "s3:GetObject" (IAM ignores case) [fixes: Change to "s3:GetObject"]
        "#]],
    );
}

#[test]
fn unknown_actions_suggest_the_closest_of_their_service() {
    let text = policy(
        "Allow",
        "Action",
        r#"["support:DescribeSupportLevle", "trustedadvisor:DescribeChek", "s3:GetObjet", "support:NoSuchThingAtAll"]"#,
    );
    check(
        &text,
        expect![[r#"
            unknown-action warning "\"support:DescribeSupportLevle\"": "support:DescribeSupportLevle" is not an action of support (AWS Support); did you mean "support:DescribeSupportLevel"? [fixes: Change to "support:DescribeSupportLevel"]
            unknown-action warning "\"trustedadvisor:DescribeChek\"": "trustedadvisor:DescribeChek" is not an action of trustedadvisor (AWS Trusted Advisor); did you mean "trustedadvisor:DescribeChecks"? [fixes: Change to "trustedadvisor:DescribeChecks"]
            unknown-action warning "\"s3:GetObjet\"": "s3:GetObjet" is not an action of s3 (Amazon S3); did you mean "s3:GetObject"? [fixes: Change to "s3:GetObject"]
            unknown-action warning "\"support:NoSuchThingAtAll\"": "support:NoSuchThingAtAll" is not an action of support (AWS Support)
        "#]],
    );
    assert_eq!(every_fix_repairs(&text), 3);
    let f = findings(&text);
    assert!(f[0].fixes[0].preferred);
    assert_eq!(
        f[0].data,
        Some(serde_json::json!({"suggestions": ["support:DescribeSupportLevel"]}))
    );
}

#[test]
fn not_action_typos_say_what_they_cost() {
    check(
        &policy(
            "Deny",
            "NotAction",
            r#"["support:DescribeCasess", "iam:*"]"#,
        ),
        expect![[r#"
            unknown-action warning "\"support:DescribeCasess\"": "support:DescribeCasess" is not an action of support (AWS Support); did you mean "support:DescribeCases"? — in NotAction this matters more: IAM accepts it silently, so the exception you meant does not exist and this Deny also denies the action you meant to exempt [fixes: Change to "support:DescribeCases"]
        "#]],
    );
    check(
        &policy("Allow", "NotAction", r#""supprot:*""#),
        expect![[r#"
            unknown-service warning "\"supprot:*\"": unknown service prefix "supprot" in "supprot:*"; did you mean "support:*"? — in NotAction this matters more: IAM accepts it silently, so nothing is excluded and this Allow also grants the action you meant to exclude [fixes: Change to "support:*"]
        "#]],
    );
}

#[test]
fn unknown_services() {
    let text = policy(
        "Allow",
        "Action",
        r#"["supprot:DescribeCases", "efs:CreateFileSystem", "deepcomposer:ListModels", "a:b"]"#,
    );
    check(
        &text,
        expect![[r#"
            unknown-service warning "\"supprot:DescribeCases\"": unknown service prefix "supprot" in "supprot:DescribeCases"; did you mean "support:DescribeCases"? [fixes: Change to "support:DescribeCases"]
            unknown-service warning "\"efs:CreateFileSystem\"": unknown service prefix "efs" in "efs:CreateFileSystem"; did you mean "elasticfilesystem:CreateFileSystem"? [fixes: Change to "elasticfilesystem:CreateFileSystem"]
            removed-service info "\"deepcomposer:ListModels\"" (deprecated): "deepcomposer:ListModels" matches nothing: AWS retired the service deepcomposer (AWS DeepComposer) and its prefix "deepcomposer" left the Service Authorization Reference after 2025-12-06
            unknown-service warning "\"a:b\"": unknown service prefix "a" in "a:b"
        "#]],
    );
    assert_eq!(every_fix_repairs(&text), 2);
}

#[test]
fn wildcards_that_match_nothing() {
    let text = policy(
        "Allow",
        "Action",
        r#"["support:Descrbe*", "*:NoSuch*Thing", "s3:*Objekt", "support:Describe*"]"#,
    );
    check(
        &text,
        expect![[r#"
            wildcard-matches-nothing warning "\"support:Descrbe*\"": "support:Descrbe*" matches no action
            wildcard-matches-nothing warning "\"*:NoSuch*Thing\"": "*:NoSuch*Thing" matches no action
            wildcard-matches-nothing warning "\"s3:*Objekt\"": "s3:*Objekt" matches no action
        "#]],
    );
}

#[test]
fn what_aws_retired_or_never_documented_is_not_a_typo() {
    // Retired services (with a wildcard and with one of their old actions), an action of a
    // current service that left the reference, actions AWS's managed policies grant without
    // the reference listing them (a whole undocumented prefix too), and typos of each, which
    // stay unknown with their did-you-mean.
    let text = policy(
        "Allow",
        "Action",
        r#"["deepracer:ListModels", "iot1click:Get*", "cloud9:ValidateEnvironmentName", "payments:GetPaymentPreferences", "BUDGETS:updatebudget", "zocalo:Describe*", "builderid:CreateInvitation", "payments:GetPaymentPreference", "budgets:UpdateBudgets", "buildrid:CreateInvitation"]"#,
    );
    check(
        &text,
        expect![[r#"
            removed-service info "\"deepracer:ListModels\"" (deprecated): "deepracer:ListModels" matches nothing: AWS retired the service deepracer (AWS DeepRacer) and its prefix "deepracer" left the Service Authorization Reference after 2025-12-06
            removed-service info "\"iot1click:Get*\"" (deprecated): "iot1click:Get*" matches nothing: AWS retired the service iot1click (AWS IoT 1-Click) and its prefix "iot1click" left the Service Authorization Reference after 2024-11-20
            removed-action warning "\"cloud9:ValidateEnvironmentName\"" (deprecated): "cloud9:ValidateEnvironmentName" no longer exists: AWS removed after 2025-02-13
            undocumented-action info "\"payments:GetPaymentPreferences\"": "payments:GetPaymentPreferences" is not in the Service Authorization Reference, but the AWS managed policy AWSManagedSettingsAdminAccess uses it: AWS uses it without documenting it (IAM accepts any action name), so it is not a typo; check that it does what you expect
            undocumented-action info "\"BUDGETS:updatebudget\"": "BUDGETS:updatebudget" is not in the Service Authorization Reference, but the AWS managed policy AWSManagedSettingsAdminAccess uses it: AWS uses it without documenting it (IAM accepts any action name), so it is not a typo; check that it does what you expect
            undocumented-action info "\"zocalo:Describe*\"": "zocalo:Describe*" is not in the Service Authorization Reference, but the AWS managed policy AmazonZocaloReadOnlyAccess uses it: AWS uses it without documenting it (IAM accepts any action name), so it is not a typo; check that it does what you expect
            undocumented-action info "\"builderid:CreateInvitation\"": "builderid:CreateInvitation" is not in the Service Authorization Reference, but the AWS managed policy AWSManagedSettingsAdminAccess uses it: AWS uses it without documenting it (IAM accepts any action name), so it is not a typo; check that it does what you expect
            unknown-action warning "\"payments:GetPaymentPreference\"": "payments:GetPaymentPreference" is not an action of payments (AWS Payments); did you mean "payments:GetPaymentPreferences"? [fixes: Change to "payments:GetPaymentPreferences"]
            unknown-action warning "\"budgets:UpdateBudgets\"": "budgets:UpdateBudgets" is not an action of budgets (AWS Budget Service); did you mean "budgets:UpdateBudget"? [fixes: Change to "budgets:UpdateBudget"]
            unknown-service warning "\"buildrid:CreateInvitation\"": unknown service prefix "buildrid" in "buildrid:CreateInvitation"; did you mean "builderid:CreateInvitation"? [fixes: Change to "builderid:CreateInvitation"]
        "#]],
    );
}

#[test]
fn condition_keys_aws_uses_without_documenting_them() {
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "iam:CreateRole", "Resource": "*", "Condition": {"StringNotEquals": {"aws:PrincipalOrgMasterAccountId": "${aws:PrincipalAccount}", "aws:PrincipalOrgMasterAcountId": "x"}, "Null": {"lakeformation:GlueARN": "true", "deepracer:UserToken": "true"}}}]}"#;
    check(
        text,
        expect![[r#"
            unknown-condition-key warning "\"aws:PrincipalOrgMasterAcountId\"": "aws:PrincipalOrgMasterAcountId" is not a known global condition key: IAM accepts it, but a key absent from the request context never matches; did you mean "aws:PrincipalOrgMasterAccountId"? [fixes: Change to "aws:PrincipalOrgMasterAccountId"]
            undocumented-condition-key info "\"lakeformation:GlueARN\"": "lakeformation:GlueARN" is not in the Service Authorization Reference, but the AWS managed policy AmazonDataZoneGlueManageAccessRolePolicy uses it: AWS uses it without documenting it, and documents no replacement for it; a key absent from the request context never matches
            removed-service info "\"deepracer:UserToken\"" (deprecated): "deepracer:UserToken" is a condition key of deepracer (AWS DeepRacer), a service AWS retired: it left the Service Authorization Reference after 2025-12-06, and no request carries this key
        "#]],
    );
}

#[test]
fn removed_actions_say_where_they_went() {
    let text = policy(
        "Allow",
        "Action",
        r#"["trustedadvisor:CreateEngagement", "trustedadvisor:UpdateEngagementStatus", "trustedadvisor:*Engagement*", "supportrecommendations:StartSupportTroubleshooting", "supportrecommendations:*", "quicksight:ListAutomationGroups"]"#,
    );
    check(
        &text,
        expect![[r#"
            removed-action warning "\"trustedadvisor:CreateEngagement\"" (deprecated): "trustedadvisor:CreateEngagement" no longer exists: AWS removed on 2026-04-28; its function moved to "partnercentral", which has "partnercentral:CreateEngagement" [fixes: Change to "partnercentral:CreateEngagement"]
            removed-action warning "\"trustedadvisor:UpdateEngagementStatus\"" (deprecated): "trustedadvisor:UpdateEngagementStatus" no longer exists: AWS removed on 2026-04-28; its function moved to "partnercentral"
            removed-action warning "\"trustedadvisor:*Engagement*\"" (deprecated): "trustedadvisor:*Engagement*" matches only actions AWS removed (trustedadvisor:CreateEngagement, trustedadvisor:CreateEngagementAttachment, trustedadvisor:CreateEngagementCommunication, trustedadvisor:GetEngagement, trustedadvisor:GetEngagementAttachment and 6 more); their functions moved to "partnercentral"
            removed-action warning "\"supportrecommendations:StartSupportTroubleshooting\"" (deprecated): "supportrecommendations:StartSupportTroubleshooting" no longer exists: AWS removed on 2025
            removed-service info "\"supportrecommendations:*\"" (deprecated): "supportrecommendations:*" matches nothing: AWS retired the service supportrecommendations (AWS Support Recommendations) and its prefix "supportrecommendations" left the Service Authorization Reference after 2025-02-13
            removed-action warning "\"quicksight:ListAutomationGroups\"" (deprecated): "quicksight:ListAutomationGroups" no longer exists: AWS removed after 2026-08-21
        "#]],
    );
    assert_eq!(every_fix_repairs(&text), 1);
}

#[test]
fn malformed_action_strings() {
    let text = policy(
        "Allow",
        "Action",
        r#"["support:", "s3GetObject", "s3:Get:Object", "", "s3: GetObject", ":Describe", "s3:Get/Object", "日本:*", "s3:Gét😀"]"#,
    );
    check(
        &text,
        expect![[r#"
            invalid-action-format warning "\"support:\"": the action "support:" has no action name after the `:`: it can never match an action
            invalid-action-format error "\"s3GetObject\"": the action "s3GetObject" has no service prefix: write it as `service:Action` (or `*`): IAM rejects the policy
            invalid-action-format error "\"s3:Get:Object\"": the action "s3:Get:Object" has more than one `:`: IAM rejects the policy
            invalid-action-format error "\"\"": the action "" is empty: IAM rejects the policy
            invalid-action-format warning "\"s3: GetObject\"": the action "s3: GetObject" contains whitespace: it can never match an action [fixes: Change to "s3:GetObject"]
            invalid-action-format warning "\":Describe\"": the action ":Describe" has an empty service prefix before the `:`: it can never match an action
            invalid-action-format warning "\"s3:Get/Object\"": the action "s3:Get/Object" contains `/`, which no service prefix or action name has: it can never match an action
            invalid-action-format warning "\"日本:*\"": the action "日本:*" contains `日`, which no service prefix or action name has: it can never match an action
            invalid-action-format warning "\"s3:Gét😀\"": the action "s3:Gét😀" contains `é`, which no service prefix or action name has: it can never match an action
        "#]],
    );
    assert_eq!(every_fix_repairs(&text), 1);
}

#[test]
fn half_typed_strings_are_left_alone() {
    let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"s3:GetObjet\", \"supp\n";
    let rendered = render(text);
    assert!(
        rendered.contains("unknown-action warning \"\\\"s3:GetObjet\\\"\""),
        "{rendered}"
    );
    assert!(!rendered.contains("supp\\\""), "{rendered}");
    assert!(!rendered.contains("unknown-service"), "{rendered}");
}

#[test]
fn condition_keys() {
    let known = with_condition(
        r#"{"StringEquals": {"aws:SourceVpc": "v", "AWS:PRINCIPALTAG/team": "x", "aws:ResourceTag/Owner": "o", "s3:prefix": "p", "kms:EncryptionContext:Dept": "d", "secretsmanager:ResourceTag/aws:secretsmanager:owningService": "s", "ec2:ResourceTag/env": "e"}}"#,
    );
    assert_eq!(render(&known), "");
    let providers = with_condition(
        r#"{"StringEquals": {"token.actions.githubusercontent.com:sub": "repo:o/r:*", "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "accounts.google.com:aud": "a", "cognito-identity.amazonaws.com:aud": "c", "graph.facebook.com:id": "f", "www.amazon.com:user_id": "w", "saml:aud": "s", "saml:edupersonaffiliation": "e", "saml:anything": "x", "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:x", "auth.example.com/:aud": "y", "${Provider}:sub": "z", "<OIDC_provider>:sub": "z"}}"#,
    );
    assert_eq!(render(&providers), "");
    let text = with_condition(
        r#"{"StringEquals": {"aws:SorceIp": "1.2.3.4", "s3:prefx": "p", "aws:NoSuchKeyAnywhere": "x", "nosuchservice:Thing": "y", "aws_SourceIp": "z"}}"#,
    );
    check(
        &text,
        expect![[r#"
            unknown-condition-key warning "\"aws:SorceIp\"": "aws:SorceIp" is not a known global condition key: IAM accepts it, but a key absent from the request context never matches; did you mean "aws:SourceIp"? [fixes: Change to "aws:SourceIp"]
            unknown-condition-key warning "\"s3:prefx\"": "s3:prefx" is not a known condition key of s3 (Amazon S3): IAM accepts it, but a key absent from the request context never matches; did you mean "s3:prefix"? [fixes: Change to "s3:prefix"]
            unknown-condition-key warning "\"aws:NoSuchKeyAnywhere\"": "aws:NoSuchKeyAnywhere" is not a known global condition key: IAM accepts it, but a key absent from the request context never matches
            unknown-condition-key warning "\"nosuchservice:Thing\"": "nosuchservice:Thing" is not a known condition key (no service has the prefix "nosuchservice"): IAM accepts it, but a key absent from the request context never matches
            unknown-condition-key warning "\"aws_SourceIp\"": "aws_SourceIp" is not a known condition key (it has no service prefix): IAM accepts it, but a key absent from the request context never matches; did you mean "aws:SourceIp"? [fixes: Change to "aws:SourceIp"]
        "#]],
    );
    every_fix_repairs(&text);
}

#[test]
fn many_case_differences_in_one_list_make_one_hint() {
    let support = crate::catalog::service("support").expect("support");
    let lower: Vec<String> = support
        .actions()
        .take(25)
        .map(|a| format!("\"support:{}\"", a.name().to_ascii_lowercase()))
        .collect();
    let text = policy(
        "Allow",
        "Action",
        &format!("[{}, \"s3:GetObjet\"]", lower.join(", ")),
    );
    check(
        &text,
        expect![[r#"
            action-case hint "\"Action\"": 25 actions of this list are written in other case than AWS's canonical names, such as "support:AddAttachmentsToSet" (IAM ignores case) [fixes: Write the 25 actions as AWS does]
            unknown-action warning "\"s3:GetObjet\"": "s3:GetObjet" is not an action of s3 (Amazon S3); did you mean "s3:GetObject"? [fixes: Change to "s3:GetObject"]
        "#]],
    );
    assert_eq!(every_fix_repairs(&text), 2);
    // Twenty or fewer: one hint each, on its token.
    let text = policy("Allow", "Action", &format!("[{}]", lower[..20].join(", ")));
    assert_eq!(findings(&text).len(), 20);
}

#[test]
fn the_one_case_fix_writes_every_action_as_aws_does() {
    // Prefix, name, both, and an escaped string (replaced whole), among more than twenty.
    let written = [
        r#""SUPPORT:DescribeCases""#,
        r#""support:describecases""#,
        r#""Support:DESCRIBECASES""#,
        r#""support:describ\u0065cases""#,
    ];
    let canonical = r#""support:DescribeCases""#;
    let list: Vec<&str> = written.iter().cycle().take(24).copied().collect();
    let text = policy("Allow", "Action", &format!("[{}]", list.join(", ")));
    let found = findings(&text);
    let [finding] = found.as_slice() else {
        panic!("expected one hint, got {found:?}")
    };
    // One edit over the list (editors apply it at once), leaving the text between alone.
    assert_eq!(finding.fixes[0].edits.len(), 1);
    let out = finding.fixes[0].apply(&text);
    let expected = policy(
        "Allow",
        "Action",
        &format!("[{}]", vec![canonical; 24].join(", ")),
    );
    assert_eq!(out, expected);
}

#[test]
fn every_service_wildcard_of_the_catalogue_is_known() {
    // `service:*` is settled by the service lookup alone; every service of the catalogue has
    // actions, in any case.
    for service in crate::catalog::services() {
        assert!(service.action_count() > 0, "{}", service.prefix());
        for prefix in [
            service.prefix().to_string(),
            service.prefix().to_ascii_uppercase(),
        ] {
            let text = policy("Deny", "NotAction", &format!(r#"["{prefix}:*"]"#));
            assert_eq!(render(&text), "", "{prefix}:*");
        }
    }
}

#[test]
fn trailing_wildcards_match_when_an_action_starts_with_their_literal_part() {
    // Settled by one search of the service's actions: the answer must be the wildcard rule's.
    for prefix in ["support", "ec2", "trustedadvisor", "s3"] {
        let service = crate::catalog::service(prefix).expect("in the catalogue");
        let mut literals = vec!["Zz".to_string(), "Describex".to_string(), "9".to_string()];
        for action in service.actions().step_by(7) {
            let name = action.name();
            literals.push(name[..name.len().min(3)].to_string());
            literals.push(name.to_ascii_uppercase());
            literals.push(format!("{name}x"));
        }
        for literal in literals {
            let matches = service.actions().any(|a| {
                a.name().len() >= literal.len()
                    && a.name()[..literal.len()].eq_ignore_ascii_case(&literal)
            });
            let text = policy("Allow", "Action", &format!(r#""{prefix}:{literal}*""#));
            let expected = if matches {
                String::new()
            } else {
                format!(
                    "wildcard-matches-nothing warning \"\\\"{prefix}:{literal}*\\\"\": \"{prefix}:{literal}*\" matches no action\n"
                )
            };
            assert_eq!(render(&text), expected, "{prefix}:{literal}*");
        }
    }
}

#[test]
fn case_hints_follow_each_string_in_a_run_of_one_service() {
    // The prefix is compared once per run of strings that write it the same way.
    let text = policy(
        "Allow",
        "Action",
        r#"["s3:GetObject", "S3:GetObject", "S3:PutObject", "s3:PutObject", "s3:getobject"]"#,
    );
    check(
        &text,
        expect![[r#"
            action-case hint "\"S3:GetObject\"": AWS writes this action "s3:GetObject" (IAM ignores case) [fixes: Change to "s3:GetObject"]
            action-case hint "\"S3:PutObject\"": AWS writes this action "s3:PutObject" (IAM ignores case) [fixes: Change to "s3:PutObject"]
            action-case hint "\"s3:getobject\"": AWS writes this action "s3:GetObject" (IAM ignores case) [fixes: Change to "s3:GetObject"]
        "#]],
    );
}
