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
        super::translate_fixes(Host::Yaml, &syntax, text, None, vec![fix])
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
        super::translate_fixes(Host::Terraform, &syntax, text, None, vec![fix])
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

/// Quoted scalars decoded with the offset each decoded byte comes from: the text is the one
/// `single_quoted`/`double_quoted` give, and each byte points at what wrote it.
#[test]
fn quoted_scalars_decode_with_their_source_offsets() {
    use super::scalars::{double_quoted, quoted_with_map, single_quoted};
    let cases: &[(&str, &str, &[u32])] = &[
        ("'ab'", "ab", &[1, 2, 3]),
        ("'it''s'", "it's", &[1, 2, 3, 5, 6]),
        (r#""a\"b""#, "a\"b", &[1, 2, 4, 5]),
        (r#""\u0041b""#, "Ab", &[1, 7, 8]),
        // A line break folds into a space at the break; the next line's indentation is
        // skipped.
        ("'a\n   b'", "a b", &[1, 2, 6, 7]),
        ("\"a \n  b\"", "a b", &[1, 3, 6, 7]),
        // An empty line is a newline; `\` at a line's end joins the lines.
        ("'a\n\n  b'", "a\nb", &[1, 3, 6, 7]),
        ("\"a\\\n  b\"", "ab", &[1, 6, 7]),
        ("'é'", "é", &[1, 1, 3]),
    ];
    for (raw, text, map) in cases {
        let (decoded, offsets) = quoted_with_map(raw, 0);
        assert_eq!(
            (decoded.as_str(), offsets.as_slice()),
            (*text, *map),
            "{raw:?}"
        );
        let simple = if raw.starts_with('"') {
            double_quoted(raw)
        } else {
            single_quoted(raw)
        };
        assert_eq!(decoded, simple, "{raw:?}");
    }
}

proptest::proptest! {
    /// Any quoted scalar text decodes without panic, and its offsets never go back and stay
    /// on character boundaries inside the scalar.
    #[test]
    fn quoted_scalar_offsets_stay_inside(
        inner in "[ -~\\n\\t\u{e9}\u{1F600}]{0,30}",
        double in proptest::bool::ANY,
    ) {
        let quote = if double { '"' } else { '\'' };
        let raw = format!("{quote}{inner}{quote}");
        let (decoded, map) = super::scalars::quoted_with_map(&raw, 10);
        proptest::prop_assert_eq!(map.len(), decoded.len() + 1);
        proptest::prop_assert!(map.windows(2).all(|w| w[0] <= w[1]));
        for offset in &map {
            let local = (*offset - 10) as usize;
            proptest::prop_assert!(local <= raw.len() && raw.is_char_boundary(local));
        }
    }
}

/// JSON fixes inside JSON held by a quoted string (a YAML `'…'` or `"…"`, an HCL `"…"`):
/// written in the string's escapes, or dropped when they cannot be.
#[test]
fn json_edits_inside_quoted_json() {
    use crate::analysis::{Edit, Fix};
    use crate::syntax::TextRange;
    let yaml = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: '{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:x\", \"Resource\": \"a\"}]}'\n  Q:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument: \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:y\\\", \\\"Resource\\\": \\\"b\\\"}]}\"\n";
    let terraform = "resource \"aws_iam_policy\" \"p\" {\n  policy = \"{\\\"Statement\\\": [{\\\"Effect\\\": \\\"Allow\\\", \\\"Action\\\": \\\"s3:z\\\", \\\"Resource\\\": \\\"c\\\"}]}\"\n}\n";
    let translate = |host: Host, text: &str, token: &str, new_text: &str| {
        let parse = super::parse(host, text);
        let syntax = super::HostSyntax::of(&parse);
        let start = text.find(token).unwrap() as u32;
        let fix = Fix::quick(
            "t",
            vec![Edit {
                range: TextRange::new(start, start + token.len() as u32),
                new_text: new_text.to_string(),
            }],
        );
        super::translate_fixes(host, &syntax, text, None, vec![fix])
            .pop()
            .map(|f| f.edits[0].new_text.clone())
    };
    let cases: &[(Host, &str, &str, &str, Option<&str>)] = &[
        (
            Host::Yaml,
            yaml,
            "\"s3:x\"",
            "\"s3:GetObject\"",
            Some("\"s3:GetObject\""),
        ),
        (
            Host::Yaml,
            yaml,
            "\"a\"",
            "[\"a\", \"it's\"]",
            Some("[\"a\", \"it''s\"]"),
        ),
        (Host::Yaml, yaml, "\"a\"", "\"x''y\"", None),
        (
            Host::Yaml,
            yaml,
            "\\\"s3:y\\\"",
            "\"s3:GetObject\"",
            Some("\\\"s3:GetObject\\\""),
        ),
        (
            Host::Yaml,
            yaml,
            "s3:y",
            "s3:GetObject",
            Some("s3:GetObject"),
        ),
        // Text copied from the string as written would be escaped twice.
        (Host::Yaml, yaml, "\\\"b\\\"", "[\\\"b\\\", \"c\"]", None),
        (
            Host::Terraform,
            terraform,
            "\\\"s3:z\\\"",
            "\"s3:${x}\"",
            Some("\\\"s3:$${x}\\\""),
        ),
        (
            Host::Terraform,
            terraform,
            "\\\"c\\\"",
            "[\n  \"c\"]",
            Some("[\\n  \\\"c\\\"]"),
        ),
    ];
    for (host, text, token, new_text, expected) in cases {
        assert_eq!(
            translate(*host, text, token, new_text).as_deref(),
            *expected,
            "{new_text} at {token} ({host:?})"
        );
    }
}
