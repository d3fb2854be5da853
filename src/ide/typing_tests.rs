//! Editor features in the half-typed states of issue 16: completion, hover, rewrites and
//! quick fixes answer as they do in the complete document.

use super::code_actions::code_actions;
use super::completion::{Capabilities, complete};
use super::hover::hover;
use crate::analysis::{Code, Options, analyze};
use crate::syntax::TextRange;

/// The issue's first example: `"support:desc` typed in front of the first element of a
/// one-line Action list (the quotes pair the wrong way), with a second statement whose
/// Support action is on a resource other than `*` (a finding with a quick fix).
const TYPING: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["support:desc"ec2:DescribeInstances", "ec2:Describe*"],
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "Action": "support:DescribeCases",
      "Resource": "arn:aws:support::123456789012:case/1"
    }
  ]
}"#;

fn offset_after(needle: &str) -> u32 {
    (TYPING.find(needle).expect(needle) + needle.len()) as u32
}

#[test]
fn completion_offers_the_action_being_typed() {
    let analysis = analyze(TYPING, &Options::default());
    let labels: Vec<String> = complete(
        &analysis,
        offset_after("\"support:desc"),
        Capabilities::default(),
    )
    .into_iter()
    .map(|i| i.label)
    .collect();
    assert!(
        labels.iter().any(|l| l == "support:DescribeCases"),
        "{labels:?}"
    );
    assert!(
        labels.iter().all(|l| l.starts_with("support:")),
        "{labels:?}"
    );
}

#[test]
fn hover_on_the_element_after_the_broken_string() {
    let analysis = analyze(TYPING, &Options::default());
    let info = hover(&analysis, offset_after("\"ec2:Describe")).expect("a hover");
    assert_eq!(
        &TYPING[info.range.as_usize()],
        "\"ec2:DescribeInstances\"",
        "{}",
        info.markdown
    );
    assert!(
        info.markdown.contains("DescribeInstances"),
        "{}",
        info.markdown
    );
}

#[test]
fn the_wildcard_in_the_same_list_still_expands() {
    let analysis = analyze(TYPING, &Options::default());
    let at = offset_after("\"ec2:Desc");
    let fixes = code_actions(&analysis, TYPING, TextRange::new(at, at));
    let at = offset_after("\"ec2:Describe*");
    let after = code_actions(&analysis, TYPING, TextRange::new(at - 2, at - 2));
    assert!(fixes.is_empty(), "no rewrite on a literal action");
    assert!(
        after.iter().any(|f| f.title.contains("Expand")),
        "{:?}",
        after.iter().map(|f| &f.title).collect::<Vec<_>>()
    );
}

#[test]
fn the_other_statement_keeps_its_finding_and_its_quick_fix() {
    let analysis = analyze(TYPING, &Options::default());
    let codes: Vec<&str> = analysis.findings.iter().map(|f| f.code.as_str()).collect();
    // The redundant ec2:DescribeInstances (ec2:Describe* covers it) was there before the typing.
    assert_eq!(
        codes,
        [
            "json-syntax",
            "redundant-action",
            "support-resource-not-star"
        ]
    );
    let finding = &analysis.findings[2];
    assert_eq!(finding.code, Code::SupportResourceNotStar);
    assert!(!finding.fixes.is_empty(), "{finding:?}");
}
