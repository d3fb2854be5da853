//! Fixes that need the host's block layout, re-checked: each snippet has a finding whose fix
//! inserts or removes between tokens; the fix, applied, gives exactly the expected file, a file
//! its parser reads without error, with as many policies, and without the finding.

use crate::analysis::{Options, analyze, finding::apply_edits};
use crate::host::Host;

fn analysis(host: Host, text: &str) -> crate::analysis::Analysis {
    let options = Options {
        host,
        ..Options::default()
    };
    analyze(text, &options)
}

fn parses_cleanly(host: Host, text: &str) -> bool {
    let mut parser = tree_sitter::Parser::new();
    let language = match host {
        Host::Yaml => tree_sitter_yaml::LANGUAGE.into(),
        _ => tree_sitter_hcl::LANGUAGE.into(),
    };
    parser.set_language(&language).unwrap();
    parser
        .parse(text, None)
        .is_some_and(|tree| !tree.root_node().has_error())
}

/// `text` has a `code` finding whose fix titled `title` gives `expected`, which is clean.
fn check(host: Host, text: &str, code: &str, title: &str, expected: &str) {
    let fixed = fixed(host, text, code, title);
    assert_eq!(fixed, expected, "{code} / {title}");
}

/// `text` with the fix titled `title` of its `code` finding applied, checked clean.
fn fixed(host: Host, text: &str, code: &str, title: &str) -> String {
    let before = analysis(host, text);
    let finding = before
        .findings
        .iter()
        .find(|f| f.code.as_str() == code)
        .unwrap_or_else(|| panic!("no {code} in\n{text}\n{:?}", before.findings));
    let fix = finding
        .fixes
        .iter()
        .find(|f| f.title.contains(title))
        .unwrap_or_else(|| {
            panic!(
                "no fix {title:?} for {code} in\n{text}\n{:?}",
                finding.fixes
            )
        });
    let fixed = apply_edits(text, &fix.edits);
    assert!(parses_cleanly(host, &fixed), "not clean:\n{fixed}");
    let after = analysis(host, &fixed);
    assert_eq!(after.policies.len(), before.policies.len(), "{fixed}");
    assert!(
        after.findings.iter().all(|f| f.code.as_str() != code),
        "{code} still there:\n{fixed}\n{:?}",
        after.findings
    );
    fixed
}

const HEAD: &str =
    "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n";
const TF_HEAD: &str = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode(";

#[test]
fn yaml_block_layout_fixes() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "        Statement:\n          - Effect: Allow\n            Action: s3:ListBucket\n            Resource: '*'\n",
            "missing-version",
            "Version",
            "        Version: 2012-10-17\n        Statement:\n          - Effect: Allow\n            Action: s3:ListBucket\n            Resource: '*'\n",
        ),
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Action: s3:ListBucket\n            Resource: '*'\n",
            "missing-effect",
            "Deny",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Deny\n            Action: s3:ListBucket\n            Resource: '*'\n",
        ),
        // resource-type-mismatch: the objects of a bucket, added to a block list…
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource:\n              - arn:aws:s3:::b\n",
            "resource-type-mismatch",
            "Add",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource:\n              - arn:aws:s3:::b\n              - arn:aws:s3:::b/*\n",
        ),
        // …to a flow list…
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: [arn:aws:s3:::b]\n",
            "resource-type-mismatch",
            "Add",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: [arn:aws:s3:::b, arn:aws:s3:::b/*]\n",
        ),
        // …and to a single value, which becomes a list.
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: 'arn:aws:s3:::b'\n",
            "resource-type-mismatch",
            "Add",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [s3:GetObject, s3:ListBucket]\n            Resource: [arn:aws:s3:::b, arn:aws:s3:::b/*]\n",
        ),
        // A redundant element removed from a block list, first or last.
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:GetObject\n              - s3:*\n            Resource: '*'\n",
            "redundant-action",
            "Remove",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:*\n            Resource: '*'\n",
        ),
        (
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:*\n              - s3:GetObject\n            Resource: '*'\n",
            "redundant-action",
            "Remove",
            "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action:\n              - s3:*\n            Resource: '*'\n",
        ),
        // Flow mapping.
        (
            "        Version: '2012-10-17'\n        Statement:\n          - {Action: s3:ListBucket, Resource: '*'}\n",
            "missing-effect",
            "Allow",
            "        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Action: s3:ListBucket, Resource: '*'}\n",
        ),
    ];
    for (body, code, title, expected) in cases {
        check(
            Host::Yaml,
            &format!("{HEAD}{body}"),
            code,
            title,
            &format!("{HEAD}{expected}"),
        );
    }
}

/// A statement appended to a block list: a `- ` line at the statements' dash, its keys at their
/// column.
#[test]
fn yaml_statement_appended_in_block_layout() {
    let text = format!(
        "{HEAD}        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: [support:CreateCase, support:DescribeCases]\n            Resource: '*'\n"
    );
    let fixed = fixed(
        Host::Yaml,
        &text,
        "missing-support-console",
        "Add a statement",
    );
    let added = fixed
        .strip_prefix(text.as_str())
        .unwrap_or_else(|| panic!("{fixed}"));
    assert!(
        added.starts_with(
            "          - Sid: SupportCenterConsole\n            Effect: Allow\n            Action: [support-console:"
        ),
        "{fixed}"
    );
    assert!(
        added.ends_with("]\n            Resource: \"*\"\n"),
        "{fixed}"
    );
    assert!(!added.contains("\n\n"), "{fixed}");
}

#[test]
fn terraform_jsonencode_layout_fixes() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "{\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = \"s3:ListBucket\"\n      Resource = \"*\"\n    }]\n  })\n}\n",
            "missing-version",
            "Version",
            "{\n    \"Version\": \"2012-10-17\",\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = \"s3:ListBucket\"\n      Resource = \"*\"\n    }]\n  })\n}\n",
        ),
        (
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:ListBucket\"]\n      Resource = [\"arn:aws:s3:::b\"]\n    }]\n  })\n}\n",
            "resource-type-mismatch",
            "Add",
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:ListBucket\"]\n      Resource = [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]\n    }]\n  })\n}\n",
        ),
        (
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:ListBucket\"]\n      Resource = \"arn:aws:s3:::b\"\n    }]\n  })\n}\n",
            "resource-type-mismatch",
            "Add",
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:ListBucket\"]\n      Resource = [\"arn:aws:s3:::b\", \"arn:aws:s3:::b/*\"]\n    }]\n  })\n}\n",
        ),
        (
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:GetObject\", \"s3:*\"]\n      Resource = \"*\"\n    }]\n  })\n}\n",
            "redundant-action",
            "Remove",
            "{\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect   = \"Allow\"\n      Action   = [\"s3:*\"]\n      Resource = \"*\"\n    }]\n  })\n}\n",
        ),
    ];
    for (body, code, title, expected) in cases {
        check(
            Host::Terraform,
            &format!("{TF_HEAD}{body}"),
            code,
            title,
            &format!("{TF_HEAD}{expected}"),
        );
    }
}
