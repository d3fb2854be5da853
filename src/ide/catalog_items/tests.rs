//! Completion over the catalogue, table-driven: `$0` marks the cursor, in complete and in
//! half-typed documents; accepted items are applied and the result checked.

use super::*;
use crate::analysis::{Options, analyze};
use crate::ide::completion::complete_list;
use crate::ide::completion::tests::apply;

const SNIPPETS: Capabilities = Capabilities { snippets: true };
const PLAIN: Capabilities = Capabilities { snippets: false };

fn complete_marked(marked: &str, caps: Capabilities) -> (String, Completions) {
    let offset = marked.find("$0").expect("cursor marker") as u32;
    let text = marked.replace("$0", "");
    let analysis = analyze(&text, &Options::default());
    (text, complete_list(&analysis, offset, caps))
}

fn labels(marked: &str) -> Vec<String> {
    complete_marked(marked, PLAIN)
        .1
        .items
        .into_iter()
        .map(|i| i.label)
        .collect()
}

fn find<'a>(completions: &'a Completions, label: &str) -> &'a CompletionItem {
    completions
        .items
        .iter()
        .find(|i| i.label == label)
        .unwrap_or_else(|| panic!("no item {label}"))
}

/// A statement whose `Action` value is `value` (with `$0`), in a complete policy.
fn complete_doc(key: &str, value: &str) -> String {
    format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "{key}": {value}, "Resource": "*"}}]}}"#
    )
}

/// The same, typed up to the cursor: the document ends there.
fn half_typed(key: &str, value: &str) -> String {
    let full = complete_doc(key, value);
    let end = full.find("$0").expect("marker") + 2;
    format!("{}\n", &full[..end])
}

#[test]
fn every_support_action_after_the_prefix() {
    for key in ["Action", "NotAction"] {
        for marked in [
            complete_doc(key, r#"["support:$0"]"#),
            complete_doc(key, r#""support:$0""#),
            half_typed(key, r#"["support:$0"#),
            half_typed(key, r#""support:$0"#),
        ] {
            let (text, list) = complete_marked(&marked, PLAIN);
            let actions: Vec<&CompletionItem> = list
                .items
                .iter()
                .filter(|i| i.kind == ItemKind::Action)
                .collect();
            assert_eq!(actions.len(), 39, "{marked}");
            assert!(!list.incomplete, "{marked}");
            for item in &actions {
                assert!(item.label.starts_with("support:"), "{}", item.label);
                let doc = item.documentation.as_deref().unwrap_or("");
                assert!(doc.contains("Access level:"), "{doc}");
                assert!(doc.contains(catalog::data_version()), "{doc}");
                assert!(item.detail.is_some());
            }
            let level = find(&list, "support:DescribeSupportLevel");
            assert_eq!(level.detail.as_deref(), Some("Read"));
            assert!(
                level
                    .documentation
                    .as_deref()
                    .is_some_and(|d| d.contains("Console only: yes"))
            );
            let applied = apply(&text, level);
            if marked.ends_with('\n') {
                assert!(
                    applied.ends_with("support:DescribeSupportLevel\"\n"),
                    "closes the string: {applied:?}"
                );
            } else {
                let json: serde_json::Value =
                    serde_json::from_str(&applied).expect("valid JSON after accepting");
                let value = &json["Statement"][0][key];
                assert!(
                    value == "support:DescribeSupportLevel"
                        || value[0] == "support:DescribeSupportLevel",
                    "{applied}"
                );
            }
            let wildcard = find(&list, "support:Describe*");
            assert_eq!(wildcard.kind, ItemKind::Wildcard);
            assert_eq!(wildcard.detail.as_deref(), Some("matches 17 actions"));
            assert_eq!(
                find(&list, "support:*").detail.as_deref(),
                Some("matches 39 actions")
            );
        }
    }
}

#[test]
fn typed_name_narrows() {
    for marked in [
        complete_doc("Action", r#"["trustedadvisor:Desc$0"]"#),
        half_typed("Action", r#"["trustedadvisor:Desc$0"#),
        complete_doc("Action", r#"["TRUSTEDADVISOR:desc$0"]"#),
    ] {
        let got = labels(&marked);
        let (actions, wildcards): (Vec<&String>, Vec<&String>) =
            got.iter().partition(|l| !l.ends_with('*'));
        assert_eq!(actions.len(), 16, "{got:?}");
        assert!(
            actions
                .iter()
                .all(|l| l.starts_with("trustedadvisor:Describe")),
            "{got:?}"
        );
        assert_eq!(wildcards, ["trustedadvisor:Describe*"], "{got:?}");
    }
    assert_eq!(
        labels(&complete_doc("Action", r#""support-console:$0""#))
            .iter()
            .filter(|l| !l.ends_with('*'))
            .count(),
        13
    );
}

#[test]
fn the_whole_token_is_replaced() {
    let (text, list) = complete_marked(
        &complete_doc("Action", r#"["support:Desc$0ribeCasesTypo"]"#),
        PLAIN,
    );
    let item = find(&list, "support:DescribeCases");
    assert_eq!(
        &text[item.range.as_usize()],
        "support:DescribeCasesTypo",
        "the range is the string's whole content"
    );
    let (text, list) = complete_marked(&complete_doc("Action", "[$0]"), PLAIN);
    assert!(
        list.items.len() > 400,
        "every service in an empty array slot"
    );
    assert_eq!(list.items[0].label, "*");
    let support = find(&list, "support");
    assert_eq!(apply(&text, support), text.replace("[]", "[\"support:]"));
    let (text, list) = complete_marked(&complete_doc("Action", "[$0]"), SNIPPETS);
    let support = find(&list, "support");
    assert!(support.snippet);
    assert_eq!(
        apply(&text, support),
        text.replace("[]", "[\"support:$0\"]")
    );
    let (text, list) = complete_marked(&complete_doc("Action", "[$0]"), PLAIN);
    let star = find(&list, "*");
    assert_eq!(apply(&text, star), text.replace("[]", "[\"*\"]"));
    let (text, list) = complete_marked(&complete_doc("Action", r#"["$0"]"#), PLAIN);
    assert_eq!(
        apply(&text, find(&list, "trustedadvisor")),
        complete_doc("Action", r#"["trustedadvisor:"]"#)
    );
}

#[test]
fn services_first_and_support_first_where_ambiguous() {
    assert_eq!(
        labels(&complete_doc("Action", r#"["sup$0"]"#)),
        [
            "support",
            "support-console",
            "supportapp",
            "supportauthz",
            "supportplans"
        ]
    );
    let all = labels(&complete_doc("Action", r#"["$0"]"#));
    assert_eq!(
        all[..4],
        ["*", "support", "trustedadvisor", "support-console"]
    );
    assert_eq!(all.len(), catalog::service_count() + 1);
    assert_eq!(
        labels(&complete_doc("Action", r#"["supcon$0"]"#))[0],
        "support-console"
    );
    assert!(labels(&complete_doc("Action", r#"["nosuchservicehere$0"]"#)).is_empty());
}

#[test]
fn abbreviations_find_actions() {
    let (_, list) = complete_marked(&complete_doc("Action", r#"["sup:desclev$0"]"#), PLAIN);
    // The action whose words the abbreviation starts, first (README's example).
    assert_eq!(list.items[0].label, "support:DescribeSupportLevel");
    let item = find(&list, "support:DescribeSupportLevel");
    assert_eq!(item.filter_text.as_deref(), Some("sup:desclev"));
    assert!(
        list.incomplete,
        "the client must ask again as the user types"
    );
    let got = labels(&complete_doc("Action", r#"["support:desclev$0"]"#));
    assert!(
        got.contains(&"support:DescribeSupportLevel".to_string()),
        "{got:?}"
    );
    // Prefix matches win: no abbreviation noise once the typed text starts names.
    let got = labels(&complete_doc("Action", r#"["sup:Describe$0"]"#));
    assert!(got.iter().all(|l| l.contains(":Describe")), "{got:?}");
    assert!(
        got.contains(&"support:DescribeCases".to_string()),
        "{got:?}"
    );
}

#[test]
fn wildcards_removed_actions_and_odd_input() {
    let (_, list) = complete_marked(&complete_doc("Action", r#"["support:*ForCase$0"]"#), PLAIN);
    assert_eq!(list.items.len(), 1);
    assert_eq!(list.items[0].detail.as_deref(), Some("matches 4 actions"));
    // Removed actions are not offered (the diagnostics report them).
    let got = labels(&complete_doc("Action", r#"["trustedadvisor:CreateEng$0"]"#));
    assert!(got.is_empty(), "{got:?}");
    let got = labels(&complete_doc("Action", r#"["trustedadvisor:$0"]"#));
    assert!(!got.iter().any(|l| l.contains("Engagement")), "{got:?}");
    for marked in [
        complete_doc("Action", r#"["日本:$0"]"#),
        complete_doc("Action", r#"["s3:Gét😀$0"]"#),
        complete_doc("Action", r#"["a:b:$0"]"#),
        complete_doc("Action", r#"["\u0073upport:$0"]"#),
        complete_doc("Action", r#"["😀$0"]"#),
    ] {
        let _ = labels(&marked);
    }
}

#[test]
fn condition_keys_of_the_statement_and_global_keys() {
    let doc = |actions: &str, inside: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": "*", "Condition": {{"StringEquals": {inside}}}}}]}}"#
        )
    };
    let got = labels(&doc(r#""s3:GetObject""#, r#"{"$0"}"#));
    assert_eq!(
        got.first().map(String::as_str),
        Some("s3:AccessGrantsInstanceArn")
    );
    assert!(
        got.contains(&"s3:ExistingObjectTag/<key>".to_string()),
        "{got:?}"
    );
    assert!(
        !got.contains(&"s3:prefix".to_string()),
        "ListBucket's key: {got:?}"
    );
    assert!(got.contains(&"aws:SourceIp".to_string()), "{got:?}");
    assert!(
        !got.contains(&"aws:SourceOwner".to_string()),
        "legacy keys are not offered"
    );
    // Tag keys only where an action carries them: none on s3:GetObject, the resource's tags
    // on a network firewall policy (a key its resource type lists, not its action row).
    assert!(
        !got.iter()
            .any(|k| k.starts_with("aws:RequestTag") || k == "aws:TagKeys"),
        "{got:?}"
    );
    let got = labels(&doc(
        r#""network-firewall:DeleteFirewallPolicy""#,
        r#"{"$0"}"#,
    ));
    assert!(
        got.contains(&"aws:ResourceTag/${TagKey}".to_string()),
        "{got:?}"
    );
    let got = labels(&doc(r#""iam:TagRole""#, r#"{"$0"}"#));
    assert!(got.contains(&"aws:TagKeys".to_string()), "{got:?}");
    let got = labels(&doc(r#""s3:List*""#, r#"{"$0"}"#));
    assert!(
        got.contains(&"s3:prefix".to_string()),
        "wildcards count: {got:?}"
    );
    let got = labels(&doc(r#""support:*""#, r#"{"aws:SourceIp": "x", "$0"}"#));
    assert!(
        !got.contains(&"aws:SourceIp".to_string()),
        "present keys are skipped"
    );
    assert!(
        got.iter()
            .all(|k| catalog::global_condition_key(k).is_some()),
        "support has no keys of its own: {got:?}"
    );

    let (text, list) = complete_marked(&doc(r#""s3:GetObject""#, r#"{"$0"}"#), SNIPPETS);
    let tag = find(&list, "s3:ExistingObjectTag/<key>");
    assert_eq!(tag.detail.as_deref(), Some("String · s3"));
    assert!(tag.snippet);
    assert!(
        apply(&text, tag).contains(r#"{"s3:ExistingObjectTag/${1:key}": "$2"}"#),
        "{}",
        apply(&text, tag)
    );
    let called = find(&list, "aws:CalledVia");
    assert_eq!(called.detail.as_deref(), Some("ArrayOfString · global"));
    assert!(apply(&text, called).contains(r#"{"aws:CalledVia": ["$1"]}"#));
    let doc_text = called.documentation.as_deref().unwrap_or("");
    assert!(doc_text.contains("multivalued"), "{doc_text}");

    let (text, list) = complete_marked(&doc(r#""s3:GetObject""#, r#"{"aws:Sou$0": "x"}"#), PLAIN);
    let ip = find(&list, "aws:SourceIp");
    assert_eq!(
        apply(&text, ip),
        doc(r#""s3:GetObject""#, r#"{"aws:SourceIp": "x"}"#)
    );
    // Half-typed: the key and its value are added.
    let half = "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Condition\": {\"StringEquals\": {\"aws:Sou$0\n";
    let (text, list) = complete_marked(half, PLAIN);
    let ip = find(&list, "aws:SourceIp");
    assert!(
        apply(&text, ip).ends_with("{\"aws:SourceIp\": \n"),
        "{:?}",
        apply(&text, ip)
    );
}

#[test]
fn resource_templates() {
    let doc = |actions: &str, resource: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": {resource}}}]}}"#
        )
    };
    let checks =
        "arn:${Partition}:trustedadvisor:${Region}:${Account}:checks/${CategoryCode}/${CheckId}";
    for actions in [r#""trustedadvisor:RefreshCheck""#, r#""trustedadvisor:*""#] {
        let (text, list) = complete_marked(&doc(actions, r#""$0""#), PLAIN);
        assert_eq!(list.items[0].label, "*");
        let item = find(&list, checks);
        assert_eq!(
            apply(&text, item),
            doc(actions, r#""arn:aws:trustedadvisor:*:*:checks/*""#)
        );
        let (text, list) = complete_marked(&doc(actions, r#""$0""#), SNIPPETS);
        assert_eq!(
            apply(&text, find(&list, checks)),
            doc(
                actions,
                r#""arn:${1:aws}:trustedadvisor:${2:*}:${3:*}:checks/${4:*}/${5:*}""#
            )
        );
    }
    let got = labels(&doc(r#""s3:GetObject""#, r#""$0""#));
    assert!(
        got.contains(&"arn:${Partition}:s3:::${BucketName}/${ObjectName}".to_string()),
        "{got:?}"
    );
    assert!(!got.contains(&checks.to_string()), "{got:?}");
    let (text, list) = complete_marked(&doc(r#""trustedadvisor:RefreshCheck""#, "$0"), PLAIN);
    assert_eq!(
        apply(&text, find(&list, checks)),
        doc(
            r#""trustedadvisor:RefreshCheck""#,
            r#""arn:aws:trustedadvisor:*:*:checks/*""#
        )
    );
}

/// The ARN templates offered in a `Resource` value: (actions, resource value with the cursor,
/// templates that must be offered, templates that must not). Every answer starts with `*`.
#[test]
fn resource_templates_of_the_actions_and_what_is_typed() {
    let doc = |actions: &str, resource: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": {actions}, "Resource": {resource}}}]}}"#
        )
    };
    let bucket = "arn:${Partition}:s3:::${BucketName}";
    let object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    let function = "arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}";
    let vpc = "arn:${Partition}:ec2:${Region}:${Account}:vpc/${VpcId}";
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        // The actions' own resource types, filtered by what is typed.
        (
            r#""s3:GetObject""#,
            r#""$0""#,
            &[object],
            &[bucket, function],
        ),
        (
            r#"["s3:GetObject", "s3:ListBucket"]"#,
            r#""$0""#,
            &[object, bucket],
            &[],
        ),
        (
            r#"["s3:GetObject", "lambda:InvokeFunction"]"#,
            r#""arn:aws:s3:::b$0""#,
            &[object],
            &[function],
        ),
        (
            r#"["s3:GetObject", "lambda:InvokeFunction"]"#,
            r#""arn:aws:lambda:$0""#,
            &[function],
            &[object],
        ),
        (
            r#""s3:GetObject""#,
            r#""arn:aws:s3:::my-bucket/photos/$0""#,
            &[object],
            &[],
        ),
        (r#""s3:GetObject""#, r#""arn:aws:ec2:$0""#, &[], &[object]),
        // The template wanted is beyond the cap of 30 until something is typed.
        (
            r#""ec2:*""#,
            r#""arn:aws:ec2:us-east-1:123456789012:vp$0""#,
            &[vpc],
            &[],
        ),
        // Actions that take only `*` get only `*`.
        (r#""support:*""#, r#""$0""#, &[], &[bucket]),
        (
            r#""s3:ListAllMyBuckets""#,
            r#""$0""#,
            &[],
            &[bucket, object],
        ),
        // No action known: the templates of the services named.
        (
            r#""s3:NoSuchAction""#,
            r#""$0""#,
            &[bucket, object],
            &[function],
        ),
        (
            r#"["*", "lambda:NoSuchAction"]"#,
            r#""arn:aws:lambda:$0""#,
            &[function],
            &[bucket],
        ),
        (r#""*""#, r#""$0""#, &[], &[bucket, function]),
    ];
    for &(actions, resource, offered, not_offered) in cases {
        let got = labels(&doc(actions, resource));
        assert_eq!(
            got.first().map(String::as_str),
            Some("*"),
            "{actions} {resource}"
        );
        for label in offered {
            assert!(
                got.iter().any(|g| g == label),
                "{actions} {resource}: no {label} in {got:?}"
            );
        }
        for label in not_offered {
            assert!(
                !got.iter().any(|g| g == label),
                "{actions} {resource}: {label} in {got:?}"
            );
        }
    }
    // Actions that take only `*`: nothing but `*`.
    assert_eq!(labels(&doc(r#""support:*""#, r#""$0""#)), ["*"]);
    // Without an Action, `*` only.
    let no_action =
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "$0"}]}"#;
    assert_eq!(labels(no_action), ["*"]);
}

#[test]
fn templates_fit_what_is_typed() {
    for (template, typed, fits) in [
        ("arn:aws:s3:::*/*", "", true),
        ("arn:aws:s3:::*/*", "arn:aws:s3:::", true),
        ("arn:aws:s3:::*/*", "arn:aws:s3:::bucket/a/b/c", true),
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket/key", true),
        ("arn:aws:s3:::*", "arn:aws:s3:::bucket:x", false),
        ("arn:aws:s3:::*", "arn:aws:s3:", true),
        ("arn:aws:s3:::*", "arn:aws:s4", false),
        (
            "arn:aws:ec2:*:*:vpc/*",
            "arn:aws:ec2:us-east-1:123456789012:vp",
            true,
        ),
        (
            "arn:aws:ec2:*:*:vpc/*",
            "arn:aws:ec2:us-east-1:123456789012:vo",
            false,
        ),
        ("arn:aws:ec2:*:*:vpc/*", "arn:aws:ec2:*:*:vpc/*", true),
        ("arn:aws:ec2:*:*:vpc/*", "ARN:", false),
        (
            "arn:aws:lambda:*:*:function:*",
            "arn:aws:lambda:eu-west-1:1:function:f:1",
            false,
        ),
    ] {
        assert_eq!(
            template_fits_typed(template, typed),
            fits,
            "{template} {typed}"
        );
    }
}

#[test]
fn key_names_and_arns() {
    assert_eq!(
        key_name_text("aws:ResourceTag/${TagKey}", true),
        ("aws:ResourceTag/${1:TagKey}".to_string(), 1)
    );
    assert_eq!(
        key_name_text("aws:ResourceTag/${TagKey}", false),
        ("aws:ResourceTag/".to_string(), 0)
    );
    assert_eq!(
        key_name_text("s3:ExistingObjectTag/<key>", true),
        ("s3:ExistingObjectTag/${1:key}".to_string(), 1)
    );
    assert_eq!(key_name_text("broken${", true), ("broken${".to_string(), 0));
    let checks =
        "arn:${Partition}:trustedadvisor:${Region}:${Account}:checks/${CategoryCode}/${CheckId}";
    assert_eq!(
        arn_text(checks, false),
        "arn:aws:trustedadvisor:*:*:checks/*"
    );
    assert_eq!(
        arn_text(checks, true),
        "arn:${1:aws}:trustedadvisor:${2:*}:${3:*}:checks/${4:*}/${5:*}"
    );
    assert_eq!(verb("DescribeCases"), Some("Describe"));
    assert_eq!(verb("Describe"), None);
}

/// Completion, hover and code actions at every character boundary of odd documents: no
/// panic, and every edit lands on character boundaries.
#[test]
fn odd_documents_never_panic() {
    let documents = [
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"sup😀:Dé*\", \"日本:*\", \"support:\\u0044escribe*\", \"\"], \"NotAction\": \"s3:Get?bject\", \"Resource\": [\"arn:é\", \"\"], \"Condition\": {\"StringEquals\": {\"aws:Sou😀\": \"x\", \"\": 1}}}]}",
        "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": [\"support:Describe*\", \"trustedadvisor:Desc",
        "{\"Statement\": {\"Action\": \"support:*ForCase\", \"Condition\": {\"Bool\": {\"aws:Sec",
        "{\"Statement\": [{\"Action\": [\"a:b:c\", \":\", \"*:*\", \"?\", \"s3:\u{a0}Get\"]}]}\r\n",
    ];
    for text in documents {
        let analysis = analyze(text, &Options::default());
        let whole = crate::syntax::TextRange::from_usize(0..text.len());
        for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let offset = offset as u32;
            for caps in [PLAIN, SNIPPETS] {
                for item in complete_list(&analysis, offset, caps).items {
                    let r = item.range.as_usize();
                    assert!(
                        r.end <= text.len()
                            && text.is_char_boundary(r.start)
                            && text.is_char_boundary(r.end),
                        "{text:?} at {offset}: {item:?}"
                    );
                }
            }
            let _ = crate::ide::hover::hover(&analysis, offset);
            let cursor = crate::syntax::TextRange::empty(offset);
            for fix in crate::ide::code_actions::code_actions(&analysis, text, cursor) {
                for edit in fix.edits {
                    assert!(text.is_char_boundary(edit.range.start as usize));
                }
            }
        }
        let _ = crate::ide::code_actions::code_actions(&analysis, text, whole);
    }
}
