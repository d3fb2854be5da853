use crate::analysis::{Options, analyze};
use crate::host::Host;
use crate::ide::completion::{Capabilities, complete};

fn yaml(text: &str) -> crate::analysis::Analysis {
    let options = Options {
        host: Host::Yaml,
        ..Options::default()
    };
    analyze(text, &options)
}

const POLICY: &str = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:ListBuck\n            Resource: '*'\n";

#[test]
fn completion_in_a_plain_scalar_being_typed() {
    let analysis = yaml(POLICY);
    let end = (POLICY.find("s3:ListBuck").unwrap() + "s3:ListBuck".len()) as u32;
    let items = complete(&analysis, end, Capabilities { snippets: false });
    let item = items
        .iter()
        .find(|i| i.label.ends_with("ListBucket"))
        .unwrap_or_else(|| panic!("{items:?}"));
    assert!(!item.new_text.contains('"'), "{item:?}");
    assert_eq!(item.range.end, end);
}

/// Fixes written for JSON, made in YAML: `(text, edit range as the marked token, new text)` →
/// the YAML edit, or `None` when the fix is dropped.
#[test]
fn json_edits_written_in_yaml() {
    use crate::analysis::{Edit, Fix};
    use crate::syntax::TextRange;
    let text =
        "A:\n  Resource: arn:aws:s3:::b\n  Other: 'it''s'\n  Third: \"x\"\n  List:\n    - a\n";
    let parse = super::parse(Host::Yaml, text);
    let syntax = super::HostSyntax::of(&parse);
    let at = |token: &str| {
        let start = text.find(token).unwrap() as u32;
        TextRange::new(start, start + token.len() as u32)
    };
    let translate = |range: TextRange, new_text: &str| {
        let fix = Fix::quick(
            "t",
            vec![Edit {
                range,
                new_text: new_text.to_string(),
            }],
        );
        super::translate_fixes(Host::Yaml, &syntax, text, vec![fix])
            .pop()
            .map(|f| f.edits[0].new_text.clone())
    };
    let cases: &[(TextRange, &str, Option<&str>)] = &[
        // A whole plain scalar set to "*": a plain `*` would be an alias.
        (at("arn:aws:s3:::b"), "\"*\"", Some("\"*\"")),
        (
            at("arn:aws:s3:::b"),
            "\"arn:aws:s3:::c\"",
            Some("arn:aws:s3:::c"),
        ),
        // The contents of a plain scalar, replaced by text that stays plain.
        (
            at("arn:aws:s3:::b"),
            "arn:aws:s3:::x",
            Some("arn:aws:s3:::x"),
        ),
        (at("arn:aws:s3:::b"), "a: b", None),
        (at("'it''s'"), "\"x'y\"", Some("'x''y'")),
        (at("\"x\""), "\"*\"", Some("\"*\"")),
        (
            TextRange::new(at("x\"").start, at("x\"").start + 1),
            "y",
            Some("y"),
        ),
        // Between tokens: the block layout is YAML's, the fix is not offered.
        (TextRange::empty(at("- a").end), ", \"b\"", None),
    ];
    for (range, new_text, expected) in cases {
        assert_eq!(
            translate(*range, new_text).as_deref(),
            *expected,
            "{new_text} at {range:?}"
        );
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Whatever the text — cut, damaged, odd Unicode — reading it as YAML and asking at any
    /// offset never panics, and every range lies on character boundaries inside the text.
    #[test]
    fn any_yaml_text_is_read_without_panic(
        cut in 0usize..600,
        noise in "[ -~\\n\\t\u{e9}\u{1F600}]{0,40}",
        at in 0usize..600,
    ) {
        let mut text = POLICY.to_string();
        text.truncate(cut.min(text.len()));
        let at = at.min(text.len());
        text.insert_str(at, &noise);
        let analysis = yaml(&text);
        for finding in &analysis.findings {
            proptest::prop_assert!(text.get(finding.range.as_usize()).is_some());
            for fix in &finding.fixes {
                for edit in &fix.edits {
                    proptest::prop_assert!(text.get(edit.range.as_usize()).is_some());
                }
            }
        }
        for offset in (0..=text.len() as u32).step_by(7) {
            let _ = complete(&analysis, offset, Capabilities { snippets: true });
            let _ = crate::ide::hover::hover(&analysis, offset);
        }
    }
}

const TERRAFORM: &str = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\", var.x]\n    principals {\n      type = \"AWS\"\n      identifiers = [\"*\"]\n    }\n  }\n}\nresource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Effect = \"Allow\", Action = \"s3:${var.a}\", Resource = \"*\" }] })\n}\nresource \"aws_s3_bucket_policy\" \"b\" {\n  policy = <<-EOT\n  {\"Statement\": [{\"Effect\": \"Allow\", \"Resource\": ${jsonencode(var.r)}, \"Action\": \"s3:GetObject\"}]}\n  EOT\n}\n";

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// The same for Terraform: cut or damaged configurations never make the reader panic, and
    /// every range (after the half-typed-quote repair is undone) lies inside the text.
    #[test]
    fn any_terraform_text_is_read_without_panic(
        cut in 0usize..700,
        noise in "[ -~\\n\\t\u{e9}\u{1F600}]{0,40}",
        at in 0usize..700,
    ) {
        let mut text = TERRAFORM.to_string();
        text.truncate(cut.min(text.len()));
        let at = at.min(text.len());
        text.insert_str(at, &noise);
        let options = Options { host: Host::Terraform, ..Options::default() };
        let analysis = analyze(&text, &options);
        for finding in &analysis.findings {
            proptest::prop_assert!(text.get(finding.range.as_usize()).is_some());
            for fix in &finding.fixes {
                for edit in &fix.edits {
                    proptest::prop_assert!(text.get(edit.range.as_usize()).is_some());
                }
            }
        }
        for offset in (0..=text.len() as u32).step_by(7) {
            let _ = complete(&analysis, offset, Capabilities { snippets: true });
            let _ = crate::ide::hover::hover(&analysis, offset);
        }
    }
}

/// Fixes written for JSON, made in HCL: strings keep HCL's escapes (`${` is an interpolation,
/// written `$${` to mean itself), bare keys stay identifiers, heredoc JSON stays JSON.
#[test]
fn json_edits_written_in_terraform() {
    use crate::analysis::{Edit, Fix};
    use crate::syntax::TextRange;
    let text = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [{ Efect = \"Allow\", Action = \"s3:x\", Resource = \"arn\" }] })\n}\nresource \"aws_iam_policy\" \"q\" {\n  policy = <<EOT\n{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:y\", \"Resource\": \"*\"}]}\nEOT\n}\n";
    let parse = super::parse(Host::Terraform, text);
    let syntax = super::HostSyntax::of(&parse);
    let at = |token: &str| {
        let start = text.find(token).unwrap() as u32;
        TextRange::new(start, start + token.len() as u32)
    };
    let translate = |range: TextRange, new_text: &str| {
        let fix = Fix::quick(
            "t",
            vec![Edit {
                range,
                new_text: new_text.to_string(),
            }],
        );
        super::translate_fixes(Host::Terraform, &syntax, text, vec![fix])
            .pop()
            .map(|f| f.edits[0].new_text.clone())
    };
    let inside = |token: &str| {
        let r = at(token);
        TextRange::new(r.start + 1, r.end - 1)
    };
    let cases: &[(TextRange, &str, Option<&str>)] = &[
        (at("\"arn\""), "\"*\"", Some("\"*\"")),
        (
            at("\"arn\""),
            "\"arn:${aws:username}\"",
            Some("\"arn:$${aws:username}\""),
        ),
        (inside("\"s3:x\""), "s3:GetObject", Some("s3:GetObject")),
        (inside("\"s3:x\""), "s3:${x}", None),
        (at("Efect"), "Effect", Some("Effect")),
        (at("Efect"), "\"Effect\"", Some("Effect")),
        // In the heredoc: JSON, as written, unless it would interpolate.
        (inside("\"s3:y\""), "s3:GetObject", Some("s3:GetObject")),
        (inside("\"s3:y\""), "${x}", None),
        // Outside any token: not offered.
        (TextRange::empty(at("\"arn\"").end), ", \"b\"", None),
    ];
    for (range, new_text, expected) in cases {
        assert_eq!(
            translate(*range, new_text).as_deref(),
            *expected,
            "{new_text} at {range:?}"
        );
    }
}

/// A statement whose first key starts with a character of several bytes: its findings cover
/// that whole character (the rules' one-byte anchor is a brace in JSON).
#[test]
fn anchors_cover_whole_characters() {
    let text = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - éffect: Allow\n";
    let analysis = yaml(text);
    assert!(!analysis.findings.is_empty());
    for finding in &analysis.findings {
        assert!(text.get(finding.range.as_usize()).is_some(), "{finding:?}");
    }
}
