//! Hover: what the element, value or operator under the cursor means.

use super::context::{Mode, Slot, context_at};
use super::docs;
use crate::analysis::Analysis;
use crate::catalog::{self, IF_EXISTS_DESCRIPTION, parse_operator};
use crate::policy::PolicyKind;
use crate::policy::action::{ActionSyntax, parse_action_syntax};
use crate::policy::elements::{policy_element, statement_element};
use crate::support::explain::{Lists, explain, markdown};
use crate::syntax::{Str, TextRange};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverInfo {
    /// Markdown.
    pub markdown: String,
    /// The token the hover is about.
    pub range: TextRange,
}

pub fn hover(analysis: &Analysis, offset: u32) -> Option<HoverInfo> {
    let root = analysis.parse.root.as_ref()?;
    let (index, policy) = analysis
        .policies
        .iter()
        .enumerate()
        .find(|(_, r)| r.start <= offset && offset <= r.end)?;
    let kind = analysis.kinds.get(index)?;
    // The policy's braces: which type it was checked as.
    // (A YAML policy has no braces: its first character is a key's.)
    if analysis.host == crate::host::Host::Json
        && (offset == policy.start || offset + 1 == policy.end)
    {
        let brace = TextRange::new(offset, offset + 1);
        return Some(HoverInfo {
            markdown: type_markdown(kind),
            range: brace,
        });
    }
    let context = context_at(root, offset, Mode::Touching);
    let depth = context
        .path
        .iter()
        .take_while(|m| {
            m.value
                .as_ref()
                .is_some_and(|v| v.range.contains_range(*policy))
        })
        .count();
    let names = &context.names()[depth..];
    match (&context.slot, names) {
        (Slot::Key { key: Some(key), .. }, []) => {
            let element = policy_element(&key.value)?;
            let mut hover = element_hover(element.name, element.summary, key.range);
            if element.name == "Statement" {
                hover
                    .markdown
                    .push_str(&format!("\n\n{}", type_markdown(kind)));
            }
            if element.name == "Statement"
                && let Some(policy) = analysis
                    .policies()
                    .into_iter()
                    .find(|p| p.value.range == *policy)
            {
                hover.markdown.push_str(&format!(
                    "\n\n**Support Center** — what this policy alone does to each workflow:\n\n{}",
                    markdown(&explain(&policy, None, Lists::Short), Lists::Short)
                ));
            }
            Some(hover)
        }
        (Slot::Key { key: Some(key), .. }, ["Statement"]) => {
            let element = statement_element(&key.value)?;
            Some(element_hover(element.name, element.summary, key.range))
        }
        (Slot::Key { key: Some(key), .. }, ["Statement", "Condition"]) => {
            let operator = parse_operator(&key.value).ok()?;
            let mut text = format!(
                "**{operator}** — condition operator\n\n{}",
                operator.base.description
            );
            if operator.if_exists {
                text.push_str(&format!("\n\n{IF_EXISTS_DESCRIPTION}"));
            }
            if let Some(qualifier) = operator.qualifier {
                text.push_str(&format!(
                    "\n\n`{}` {}",
                    qualifier.as_str(),
                    qualifier.description()
                ));
            }
            Some(HoverInfo {
                markdown: text,
                range: key.range,
            })
        }
        (
            Slot::Value {
                string: Some(s), ..
            },
            ["Statement", "Action" | "NotAction"],
        ) => action_hover(s),
        (Slot::Key { key: Some(key), .. }, ["Statement", "Condition", _]) => {
            let found = catalog::condition_key(&key.value)?;
            Some(HoverInfo {
                markdown: docs::condition_key_markdown(found),
                range: key.range,
            })
        }
        (
            Slot::Value {
                string: Some(s), ..
            },
            ["Statement", "Effect"],
        ) => {
            let text = match &*s.value {
                "Allow" => {
                    "**Allow** — the statement grants its actions, unless an explicit Deny (here, in another policy, an SCP or a permissions boundary) removes them."
                }
                "Deny" => {
                    "**Deny** — an explicit deny: it overrides every Allow in every policy that applies."
                }
                _ => return None,
            };
            Some(HoverInfo {
                markdown: text.to_string(),
                range: s.range,
            })
        }
        _ => None,
    }
}

/// An action: its documentation; a wildcard: what it matches; a removed action: where it went.
fn action_hover(s: &Str) -> Option<HoverInfo> {
    let text = s.as_str();
    let markdown = match parse_action_syntax(text) {
        ActionSyntax::All => docs::wildcard_markdown(text),
        ActionSyntax::Action { service, name, .. } => {
            if catalog::has_wildcard(text) {
                docs::wildcard_markdown(text)
            } else if let Some(action) = catalog::action(service, name) {
                docs::action_markdown(action)
            } else if let Some(removed) = catalog::removed_action(service, name) {
                docs::removed_markdown(removed)
            } else if catalog::service(service).is_none()
                && let Some(retired) = catalog::removed_service(service)
            {
                docs::removed_service_markdown(retired)
            } else if let Some(undocumented) = catalog::undocumented_action(service, name) {
                docs::undocumented_markdown(undocumented)
            } else {
                format!(
                    "**{text}** is not in the catalogue: no current AWS action has this name.\n\n{}",
                    docs::data_line()
                )
            }
        }
        ActionSyntax::Invalid(_) | ActionSyntax::Template => return None,
    };
    Some(HoverInfo {
        markdown,
        range: s.range,
    })
}

/// Which type the policy was checked as, and why.
fn type_markdown(kind: &PolicyKind) -> String {
    format!("**Policy type** — {}", kind.explanation())
}

fn element_hover(name: &str, summary: &str, range: TextRange) -> HoverInfo {
    HoverInfo {
        markdown: format!("**{name}** — policy element\n\n{summary}"),
        range,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Options, analyze};

    fn hover_marked(marked: &str) -> Option<(String, String)> {
        let offset = marked.find("$0").unwrap() as u32;
        let text = marked.replace("$0", "");
        let analysis = analyze(&text, &Options::default());
        hover(&analysis, offset).map(|h| (text[h.range.as_usize()].to_string(), h.markdown))
    }

    #[test]
    fn hovers() {
        let (token, text) = hover_marked(r#"{"Statement": [{"Eff$0ect": "Deny"}]}"#).unwrap();
        assert_eq!(token, "\"Effect\"");
        assert!(text.starts_with("**Effect** — policy element"), "{text}");
        let (token, text) = hover_marked(r#"{"Statement": [{"Effect": "De$0ny"}]}"#).unwrap();
        assert_eq!(token, "\"Deny\"");
        assert!(text.contains("overrides every Allow"));
        let (_, text) = hover_marked(
            r#"{"Statement": [{"Condition": {"ForAnyValue:StringLike$0IfExists": {}}}]}"#,
        )
        .unwrap();
        assert!(
            text.contains("IfExists:") && text.contains("`ForAnyValue:`"),
            "{text}"
        );
        assert!(hover_marked(r#"{"Statement": [{"Bogus$0": 1}]}"#).is_none());
        assert!(hover_marked(r#"{"name$0": 1}"#).is_none());
        let (token, text) = hover_marked(
            r#"{"Version": "2012-10-17", "State$0ment": [{"Effect": "Deny", "Action": "support:ResolveCase", "Resource": "*"}]}"#,
        )
        .unwrap();
        assert_eq!(token, "\"Statement\"");
        assert!(
            text.contains("| Resolve a case | **denied** | by statement 1; denies ResolveCase |"),
            "{text}"
        );
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;
    use crate::analysis::{Options, analyze};

    fn hover_marked(marked: &str) -> Option<(String, String)> {
        let offset = marked.find("$0").expect("cursor") as u32;
        let text = marked.replace("$0", "");
        let analysis = analyze(&text, &Options::default());
        hover(&analysis, offset).map(|h| (text[h.range.as_usize()].to_string(), h.markdown))
    }

    fn action_doc(value: &str) -> String {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "NotAction": {value}, "Resource": "*"}}]}}"#
        )
    }

    #[test]
    fn actions_wildcards_removed_and_keys() {
        let version = catalog::data_version();
        // (document with $0, hovered token, what the hover must say)
        let cases: &[(String, &str, &[&str])] = &[
            (
                action_doc(r#"["support:DescribeSup$0portLevel"]"#),
                "\"support:DescribeSupportLevel\"",
                &[
                    "**support:DescribeSupportLevel** — Read",
                    "Console only: yes",
                    "list_awssupport.html",
                    version,
                ],
            ),
            (
                action_doc(r#"$0"support:describesupportlevel""#),
                "\"support:describesupportlevel\"",
                &["**support:DescribeSupportLevel**"],
            ),
            (
                action_doc(r#""support:Describe*$0""#),
                "\"support:Describe*\"",
                &[
                    "**`support:Describe*`** matches 17 actions\n",
                    "**support** (17): `DescribeAttachment`",
                    "`DescribeTrustedAdvisorCheckSummaries`\n",
                    version,
                ],
            ),
            (
                action_doc(r#""*:Describe$0Support*""#),
                "\"*:DescribeSupport*\"",
                &[
                    "matches 3 actions of 2 services\n",
                    "**support** (2): `DescribeSupportedLanguages`, `DescribeSupportLevel`",
                ],
            ),
            (
                action_doc(r#""ec2:Describe$0*""#),
                "\"ec2:Describe*\"",
                &[", … and "],
            ),
            (
                action_doc(r#""trustedadvisor:CreateEng$0agement""#),
                "\"trustedadvisor:CreateEngagement\"",
                &["removed (2026-04-28; was Write)", "`partnercentral:CreateEngagement`"],
            ),
            (
                action_doc(r#""support:DescribeSupportLevle$0""#),
                "\"support:DescribeSupportLevle\"",
                &["is not in the catalogue"],
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:Tag$0Keys": ["a"], "s3:prefix": "p"}}}]}"#.to_string(),
                "\"aws:TagKeys\"",
                &["**aws:TagKeys** — condition key", "Type: String (multivalued", version],
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": {"s3:pre$0fix": "p", "aws:ResourceTag/Owner": "o"}}}]}"#.to_string(),
                "\"s3:prefix\"",
                &["**s3:prefix** — condition key", "Type: String", "Amazon S3"],
            ),
            (
                r#"{"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {"StringLike": {"aws:ResourceTag/Ow$0ner": "o"}}}]}"#.to_string(),
                "\"aws:ResourceTag/Owner\"",
                &["**aws:ResourceTag/${TagKey}**", "Type: String"],
            ),
        ];
        for (marked, token, needles) in cases {
            let (got_token, text) =
                hover_marked(marked).unwrap_or_else(|| panic!("no hover: {marked}"));
            assert_eq!(&got_token, token, "{marked}");
            for needle in *needles {
                assert!(text.contains(needle), "{marked}: no {needle:?} in\n{text}");
            }
        }
        let (_, text) = hover_marked(&action_doc(r#""support:Describe*$0""#)).expect("hover");
        assert_eq!(
            text.matches("`Describe").count(),
            17,
            "exactly what it matches"
        );
        let (_, text) = hover_marked(&action_doc(r#""*$0""#)).expect("hover");
        assert!(
            text.contains(&format!("matches {} actions", catalog::action_count())),
            "{text}"
        );
        assert!(hover_marked(&action_doc(r#""s3:Get Object$0""#)).is_none());
        assert!(
            hover_marked(
                r#"{"Statement": [{"Condition": {"StringLike": {"nosuch:ke$0y": "o"}}}]}"#
            )
            .is_none()
        );
    }
}
