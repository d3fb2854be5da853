//! Specifications of the suggestions: the entry flagged, its message and fix, the nearest list
//! without a redundant entry, and what the fixes leave.

use expect_test::{Expect, expect};

use super::coverage::{covers, witnesses, witnesses_reference};
use crate::analysis::{Code, Finding, Options, analyze};

fn findings(text: &str) -> Vec<Finding> {
    analyze(text, &Options::default())
        .findings
        .into_iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::RedundantAction
                    | Code::RedundantResource
                    | Code::EmptyObject
                    | Code::EmptySid
            )
        })
        .collect()
}

fn render(text: &str) -> String {
    let mut out = String::new();
    for f in findings(text) {
        let fixes: Vec<&str> = f.fixes.iter().map(|x| x.title.as_str()).collect();
        out.push_str(&format!(
            "{} {} {:?}: {}{}\n",
            f.code.as_str(),
            f.severity.as_str(),
            &text[f.range.as_usize()],
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

fn policy(statement: &str) -> String {
    format!(r#"{{"Version": "2012-10-17", "Statement": [{statement}]}}"#)
}

/// `bad` gets `expected`, `good` nothing, and applying every preferred fix of `bad` at once
/// gives `fixed`, which has no finding left that a fix could remove.
fn spec(bad: &str, expected: Expect, good: &str, fixed: &str) {
    expected.assert_eq(&render(bad));
    assert_eq!(render(good), "", "{good}");
    let edits: Vec<_> = findings(bad)
        .iter()
        .flat_map(|f| f.fixes.iter().filter(|x| x.preferred))
        .flat_map(|x| x.edits.clone())
        .collect();
    let out = crate::analysis::finding::apply_edits(bad, &edits);
    assert_eq!(out, fixed);
    assert!(findings(&out).iter().all(|f| f.fixes.is_empty()), "{out}");
}

#[test]
fn actions_covered_by_another_entry() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Action": ["iam:Get*", "iam:GetCredentialReport", "s3:*", "S3:GetObject", "iam:get*"], "Resource": "*"}"#,
        ),
        expect![[r#"
            redundant-action hint "\"iam:GetCredentialReport\"": "iam:GetCredentialReport" is already covered by "iam:Get*" in this Action: removing it changes nothing [fixes: Remove "iam:GetCredentialReport"]
            redundant-action hint "\"S3:GetObject\"": "S3:GetObject" is already covered by "s3:*" in this Action: removing it changes nothing [fixes: Remove "S3:GetObject"]
            redundant-action hint "\"iam:get*\"": "iam:get*" is listed twice in this Action: removing it changes nothing [fixes: Remove "iam:get*"]
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Action": ["iam:Get*", "iam:*CredentialReport", "s3:GetObject", "s3:GetObjectAcl"], "Resource": "*"}"#,
        ),
        &policy(r#"{"Effect": "Allow", "Action": ["iam:Get*", "s3:*"], "Resource": "*"}"#),
    );
}

#[test]
fn resources_covered_by_another_entry() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": ["arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/jane-admin"]}"#,
        ),
        expect![[r#"
            redundant-resource hint "\"arn:aws:iam::111122223333:role/jane-admin\"": "arn:aws:iam::111122223333:role/jane-admin" is already covered by "arn:aws:iam::111122223333:role/jane*" in this NotResource: removing it changes nothing [fixes: Remove "arn:aws:iam::111122223333:role/jane-admin"]
        "#]],
        // Resources compare with case; variables are left alone.
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "Resource": ["arn:aws:iam::111122223333:role/jane*", "arn:aws:iam::111122223333:role/Jane-admin", "arn:aws:s3:::b/${aws:username}/*", "arn:aws:s3:::b/${aws:username}/x"]}"#,
        ),
        &policy(
            r#"{"Effect": "Allow", "Action": "iam:PassRole", "NotResource": ["arn:aws:iam::111122223333:role/jane*"]}"#,
        ),
    );
}

#[test]
fn empty_objects() {
    spec(
        &policy(
            r#"{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {}, "Bool": {"aws:SecureTransport": "true"}}}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Condition": {}}"#,
        ),
        expect![[r#"
            empty-object warning "{}": Principal is empty: the statement applies to no one; name a principal or "*"
            empty-object hint "{}": StringEquals has no condition keys: it adds nothing, remove it [fixes: Remove the empty StringEquals]
            empty-object hint "{}": Condition is empty: it adds nothing, remove it [fixes: Remove the empty Condition]
        "#]],
        &policy(
            r#"{"Effect": "Allow", "Principal": {"AWS": "111122223333"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}"#,
        ),
        &policy(
            r#"{"Effect": "Allow", "Principal": {}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}, {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#,
        ),
    );
}

#[test]
fn coverage_of_one_pattern_by_another() {
    let yes = [
        ("*", "s3:GetObject"),
        ("s3:Get*", "s3:GetObject*"),
        ("s3:Get*", "s3:GetObject?"),
        ("s3:Get?bject", "s3:GetObject"),
        ("S3:GET*", "s3:getobject"),
        ("a*c*e", "abcde"),
    ];
    for (outer, inner) in yes {
        assert!(covers(outer, inner, false), "{outer} ⊇ {inner}");
    }
    let no = [
        ("iam:Get*", "iam:*CredentialReport"),
        ("s3:Get?bject", "s3:Get*bject"),
        ("s3:GetObject", "s3:GetObject*"),
        ("s3:Get?", "s3:Get"),
        ("a*c", "abcd"),
    ];
    for (outer, inner) in no {
        assert!(!covers(outer, inner, false), "{outer} ⊉ {inner}");
    }
    assert!(!covers("arn:aws:s3:::B*", "arn:aws:s3:::b1", true));
}

#[test]
fn empty_sids() {
    spec(
        &policy(r#"{"Sid": "", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        expect![[r#"
            empty-sid hint "\"\"": the Sid is empty: it names nothing, remove it or give the statement a name [fixes: Remove the empty Sid]
        "#]],
        &policy(r#"{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
        &policy(r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}"#),
    );
}

/// The indexed search for covering entries against its definition (every pair compared).
fn agrees(values: &[Option<&str>]) {
    for case_sensitive in [false, true] {
        // Twice: a list with many wildcards is answered from memory the second time.
        for _ in 0..2 {
            assert_eq!(
                witnesses(values.to_vec(), case_sensitive, None),
                witnesses_reference(values, case_sensitive),
                "case_sensitive: {case_sensitive}, list: {values:?}"
            );
        }
    }
}

/// The same, for an action list whose entries the actions rule resolved: numbered by the
/// catalogue's resolver as the rule numbers them, and without numbers.
fn agrees_by_action(texts: &[&str]) {
    let mut resolver = crate::catalog::current().resolver();
    let numbers: Vec<Option<u32>> = texts
        .iter()
        .map(|text| match resolver.resolve(text) {
            crate::catalog::Resolution::Action { action, .. } => Some(action.number()),
            _ => None,
        })
        .collect();
    let values: Vec<Option<&str>> = texts.iter().map(|t| Some(*t)).collect();
    let reference = witnesses_reference(&values, false);
    assert_eq!(
        witnesses(values.clone(), false, Some(&numbers)),
        reference,
        "list: {texts:?}"
    );
    agrees(&values);
}

#[test]
fn witnesses_by_index_and_by_definition_agree() {
    agrees(&[]);
    agrees(&[
        Some("s3:GetObject"),
        Some("S3:getobject"),
        Some("s3:Get*"),
        Some("*"),
    ]);
    agrees(&[Some("s3:Get*"), Some("s3:Get*"), None, Some("s3:GetObject")]);
    agrees(&[
        Some("a?c"),
        Some("a*"),
        Some("abc"),
        Some("A?C"),
        Some("a*c"),
        Some("ab*"),
    ]);
    agrees(&[Some("é*"), Some("é1"), Some("É1"), Some("?"), Some("é")]);
    // Many wildcards of one prefix (remembered), and the same list in other case.
    let arns: Vec<String> = (0..12)
        .map(|i| format!("arn:aws:apigateway:*::/restapis/*/r{}*", i % 5))
        .chain(["arn:aws:apigateway:*::/restapis/*".to_string()])
        .collect();
    let upper: Vec<String> = arns.iter().map(|a| a.to_uppercase()).collect();
    for list in [&arns, &upper, &arns] {
        agrees(&list.iter().map(|a| Some(a.as_str())).collect::<Vec<_>>());
    }
    agrees_by_action(&[
        "s3:GetObject",
        "S3:getobject",
        "s3:PutObject",
        "s3:GETOBJECT",
    ]);
    agrees(&[
        Some("${aws:username}*"),
        Some("${aws:username}"),
        Some("*"),
        Some("a${b}"),
    ]);
}

proptest::proptest! {
    #[test]
    fn witnesses_of_generated_lists(
        list in proptest::collection::vec(
            proptest::option::weighted(
                0.9,
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "s3", "S3", ":", "*", "?", "Get", "get", "Object", "/", "a", "A", "é", "${",
                    ]),
                    0..5,
                ),
            ),
            0..10,
        ),
    ) {
        let texts: Vec<Option<String>> = list.iter().map(|p| p.as_ref().map(|p| p.concat())).collect();
        let values: Vec<Option<&str>> = texts.iter().map(Option::as_deref).collect();
        agrees(&values);
    }
}

proptest::proptest! {
    /// Lists of catalogue actions in any case, with repeats, some not actions at all (which
    /// take the list off the numbered path).
    #[test]
    fn witnesses_of_generated_action_lists(
        list in proptest::collection::vec(
            (
                proptest::sample::select(vec![
                    "s3:GetObject", "s3:PutObject", "ec2:DescribeInstances", "iam:PassRole",
                    "support:DescribeCases", "s3:Get*", "s3:NoSuchAction", "*",
                ]),
                proptest::collection::vec(proptest::bool::ANY, 24),
            ),
            0..12,
        ),
    ) {
        let texts: Vec<String> = list
            .iter()
            .map(|(text, upper)| {
                text.chars()
                    .zip(upper)
                    .map(|(c, &u)| if u { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() })
                    .collect()
            })
            .collect();
        let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
        agrees_by_action(&texts);
    }
}

/// Every Action, NotAction, Resource and NotResource list of the corpus, alone and with
/// wildcards cut from its own entries (the corpus lists have few), when the corpus is there.
#[test]
fn witnesses_of_the_corpus_lists() {
    let dir = std::env::var_os("IAM_POLICY_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/policies")
        });
    let Ok(entries) = std::fs::read_dir(&dir) else {
        assert!(
            std::env::var_os("IAM_POLICY_CORPUS_REQUIRED").is_none_or(|v| v != "1"),
            "IAM_POLICY_CORPUS_REQUIRED=1 but there is no corpus at {}",
            dir.display()
        );
        eprintln!("no corpus at {}: skipped", dir.display());
        return;
    };
    fn collect(value: &serde_json::Value, out: &mut Vec<Vec<String>>) {
        match value {
            serde_json::Value::Object(members) => {
                for (key, value) in members {
                    match (key.as_str(), value) {
                        ("Action" | "NotAction" | "Resource" | "NotResource", list)
                            if list.is_array() =>
                        {
                            let items = list.as_array().into_iter().flatten();
                            out.push(items.filter_map(|i| Some(i.as_str()?.into())).collect())
                        }
                        _ => collect(value, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|i| collect(i, out)),
            _ => {}
        }
    }
    let mut lists = Vec::new();
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            collect(&value, &mut lists);
        }
    }
    assert!(lists.len() > 100, "{} lists", lists.len());
    for list in &lists {
        // The reference compares every pair: the cut wildcards go into the first 300 entries.
        let mut texts = list[..list.len().min(300)].to_vec();
        for (k, text) in list.iter().take(300).enumerate().step_by(7) {
            let cut = text
                .char_indices()
                .map(|(at, _)| at)
                .nth(k % 13)
                .unwrap_or(0);
            texts.push(format!("{}*", &text[..cut]));
            texts.insert(
                k / 2,
                text.replacen(|c: char| c.is_ascii_lowercase(), "?", 2),
            );
        }
        for texts in [list, &texts] {
            let values: Vec<Option<&str>> = texts.iter().map(|t| Some(t.as_str())).collect();
            agrees(&values);
        }
        let list: Vec<&str> = list.iter().take(300).map(String::as_str).collect();
        agrees_by_action(&list);
    }
}

// ---- redundant statements. ----

mod statements {
    use expect_test::expect;

    use crate::analysis::Code;
    use crate::analysis::rules::spec::{policy, silent, spec};

    const CODES: [Code; 1] = [Code::RedundantStatement];

    #[test]
    fn a_statement_equal_to_an_earlier_one_after_normalising() {
        spec(
            &CODES,
            &policy(
                r#"{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}},
                {"Effect": "Allow", "Action": ["s3:getobject", "S3:ListBucket", "s3:ListBucket"], "Resource": ["arn:aws:s3:::b/*"], "Condition": {"StringEquals": {"AWS:PrincipalTag/team": ["b", "a"]}}, "Sid": "Again"}"#,
            ),
            expect![[r#"
                redundant-statement hint "{\"Effect\": \"Allow\", \"Action\": [\"s3:getobject\", \"S3:ListBucket\", \"s3:ListBucket\"], \"Resource\": [\"arn:aws:s3:::b/*\"], \"Condition\": {\"StringEquals\": {\"AWS:PrincipalTag/team\": [\"b\", \"a\"]}}, \"Sid\": \"Again\"}": statement 2 ("Again") is the same as statement 1 ("Read") but for its Sid: it grants or denies nothing more; remove it, so that an edit to one cannot leave the other behind [fixes: Remove statement 2]
            "#]],
            &policy(
                r#"{"Sid": "Read", "Effect": "Allow", "Action": ["s3:GetObject", "s3:ListBucket"], "Resource": "arn:aws:s3:::b/*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": ["a", "b"]}}},
                {"Effect": "Allow", "Action": ["s3:getobject", "S3:ListBucket"], "Resource": ["arn:aws:s3:::B/*"], "Condition": {"StringEquals": {"AWS:PrincipalTag/team": ["b", "a"]}}, "Sid": "Again"}"#,
            ),
        );
    }

    #[test]
    fn statements_that_differ_in_what_iam_distinguishes() {
        let base =
            r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}"#;
        silent(
            &CODES,
            &[
                policy(&format!(
                    r#"{base}, {{"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
                )),
                policy(&format!(
                    r#"{base}, {{"Effect": "Allow", "NotAction": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}}"#
                )),
                policy(&format!(
                    r#"{base}, {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Condition": {{"Bool": {{"aws:SecureTransport": "true"}}}}}}"#
                )),
                policy(&format!(
                    r#"{base}, {{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*", "Principal": "*"}}"#
                )),
                policy(base),
            ],
        );
    }
}
