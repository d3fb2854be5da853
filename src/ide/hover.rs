//! Hover: what the element, value or operator under the cursor means.

use super::context::{Mode, Slot, context_at};
use crate::analysis::Analysis;
use crate::catalog::{IF_EXISTS_DESCRIPTION, parse_operator};
use crate::policy::elements::{policy_element, statement_element};
use crate::support::explain::{explain, markdown};
use crate::syntax::TextRange;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HoverInfo {
    /// Markdown.
    pub markdown: String,
    /// The token the hover is about.
    pub range: TextRange,
}

pub fn hover(analysis: &Analysis, offset: u32) -> Option<HoverInfo> {
    let root = analysis.parse.root.as_ref()?;
    let policy = analysis
        .policies
        .iter()
        .find(|r| r.start <= offset && offset <= r.end)?;
    let context = context_at(root, offset, Mode::Touching);
    let depth = context
        .path
        .iter()
        .take_while(|m| m.range.start < policy.start)
        .count();
    let names = &context.names()[depth..];
    match (&context.slot, names) {
        (Slot::Key { key: Some(key), .. }, []) => {
            let element = policy_element(&key.value)?;
            let mut hover = element_hover(element.name, element.summary, key.range);
            if element.name == "Statement"
                && let Some(policy) = analysis
                    .policies()
                    .into_iter()
                    .find(|p| p.value.range == *policy)
            {
                hover.markdown.push_str(&format!(
                    "\n\n**Support Center** — what this policy alone does to each workflow:\n\n{}",
                    markdown(&explain(&policy))
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
