//! As you type (issue 16): the issue's examples typed one character at a time into a policy.
//! At every keystroke the broken spot costs at most two `json-syntax` findings (one, nearly
//! always), and every other finding away from the line being typed is one the document had
//! before the edit started, at the same place.

use super::{Code, Options, analyze};

/// `(code, start, end)` of every finding but `json-syntax`.
fn semantic(text: &str) -> Vec<(Code, u32, u32)> {
    analyze(text, &Options::default())
        .findings
        .iter()
        .filter(|f| f.code != Code::JsonSyntax)
        .map(|f| (f.code, f.range.start, f.range.end))
        .collect()
}

fn line_of(text: &str, offset: u32) -> usize {
    text[..offset as usize].matches('\n').count()
}

/// Types `typed` at `at` in `original` one character at a time and checks every state.
/// Returns the most `json-syntax` findings seen in one state.
fn type_into(original: &str, at: usize, typed: &str) -> usize {
    let before = semantic(original);
    let mut most = 0;
    for (k, c) in typed.char_indices() {
        let prefix = &typed[..k + c.len_utf8()];
        let text = format!("{}{prefix}{}", &original[..at], &original[at..]);
        let analysis = analyze(&text, &Options::default());
        let syntax = analysis
            .findings
            .iter()
            .filter(|f| f.code == Code::JsonSyntax)
            .count();
        most = most.max(syntax);
        assert!(syntax <= 2, "{syntax} syntax findings in:\n{text}");
        let typed_lines = line_of(&text, at as u32)..=line_of(&text, (at + prefix.len()) as u32);
        let shift = |o: u32| {
            if o as usize >= at {
                o + prefix.len() as u32
            } else {
                o
            }
        };
        for (code, start, end) in semantic(&text) {
            let away = !typed_lines.contains(&line_of(&text, start))
                && !typed_lines.contains(&line_of(&text, end));
            let was_there = before
                .iter()
                .any(|&(c, s, e)| c == code && shift(s) == start && shift(e) == end);
            assert!(
                !away || was_there,
                "new {} at {:?} away from the typed line in:\n{text}",
                code.as_str(),
                &text[start as usize..end as usize]
            );
        }
        // And no finding the document had went away, unless it was on the typed lines.
        let now = semantic(&text);
        for &(code, s, e) in &before {
            let (start, end) = (shift(s), shift(e));
            let away = !typed_lines.contains(&line_of(&text, start));
            assert!(
                !away || now.contains(&(code, start, end)),
                "{} at {:?} went away in:\n{text}",
                code.as_str(),
                &text[start as usize..end as usize]
            );
        }
    }
    most
}

/// A policy with a finding of its own (a Support action on a resource other than `*`), so
/// that a finding lost or moved shows.
const POLICY: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["ec2:DescribeInstances", "ec2:DescribeRegions"],
      "Resource": "*"
    },
    {
      "Effect": "Deny",
      "Action": "support:DescribeCases",
      "Resource": "arn:aws:support::123456789012:case/1"
    }
  ]
}"#;

#[test]
fn the_policy_has_one_finding_of_its_own() {
    assert_eq!(
        semantic(POLICY)
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>(),
        ["support-resource-not-star"]
    );
}

#[test]
fn an_action_typed_in_front_of_the_first_element_of_a_one_line_list() {
    let at = POLICY.find("\"ec2:DescribeInstances\"").unwrap();
    assert_eq!(type_into(POLICY, at, "\"support:DescribeCases\", "), 1);
}

#[test]
fn a_statement_typed_at_the_start_of_the_statement_list() {
    let at = POLICY.find('[').unwrap() + 1;
    let statement = r#"{"Effect": "Deny", "Action": "support:*", "Resource": "*"},"#;
    assert!(type_into(POLICY, at, &format!("\n    {statement}")) <= 2);
    // On the line of the `[`, as a minified document has it.
    let minified = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Effect": "Deny", "Action": "support:*", "Resource": "arn:aws:s3:::b"}]}"#;
    let at = minified.find('[').unwrap() + 1;
    assert!(type_into(minified, at, statement) <= 2);
}

#[test]
fn a_condition_block_typed_after_the_last_element() {
    let at = POLICY.find("\"*\"").unwrap() + 3;
    let block = ",\n      \"Condition\": {\n        \"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}\n      }";
    assert!(type_into(POLICY, at, block) <= 2);
}
