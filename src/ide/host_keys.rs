//! Key completion in YAML and Terraform: the keys JSON completion offers at the same place
//! (policy and statement elements, condition operators, condition keys), written as the
//! host writes a key (`Action: ` in YAML, `Action = ` in HCL, quoted when the name needs it)
//! and replacing the key being typed as a whole token.

use super::completion::{CompletionItem, Completions, ItemKind};
use super::context::Slot;
use crate::analysis::Analysis;
use crate::host::{DocumentName, Host, document_offered, key_text};
use crate::syntax::{Object, Str, TextRange};

/// The key items of a host document at `offset`, from the JSON items `json` computes for the
/// slot (an object and the key being typed in it).
pub(super) fn complete_key(
    analysis: &Analysis,
    object: &Object,
    key: Option<&Str>,
    offset: u32,
    json: impl FnOnce(&Object, Option<&Str>) -> Completions,
) -> Completions {
    let member = key.and_then(|k| object.members.iter().find(|m| std::ptr::eq(&m.key, k)));
    // YAML writes the separator with the key; HCL's members have no colon in the tree, so a
    // key whose value is there already needs none.
    let needs_separator = match analysis.host {
        Host::Terraform => member.is_none_or(|m| m.value.is_none()),
        _ => member.is_none_or(|m| m.colon.is_none()),
    };
    let range = key.map_or(TextRange::empty(offset), |k| k.range);
    if analysis.host == Host::Terraform && analysis.host_syntax.in_document(offset) {
        return document_key(key, json);
    }
    let mut completions = json(object, key);
    for item in &mut completions.items {
        let name = json_key_name(&item.new_text).unwrap_or_else(|| item.label.clone());
        item.new_text = key_text(analysis.host, &name, needs_separator);
        item.range = range;
        item.snippet = false;
        // The client filters on the text the range covers, written as the host writes it.
        item.filter_text = Some(key_text(analysis.host, &name, false));
    }
    completions
}

/// In a `data "aws_iam_policy_document"`, the policy's keys are HCL strings (a condition's
/// `test` is the operator, its `variable` the condition key): the same names, offered as
/// those strings. Its other keys are attribute names, which JSON's names do not fit: nothing.
fn document_key(
    key: Option<&Str>,
    json: impl FnOnce(&Object, Option<&Str>) -> Completions,
) -> Completions {
    let Some(key) = key.filter(|k| k.quoted) else {
        return Completions::default();
    };
    let empty = Object {
        members: Vec::new(),
        closed: false,
    };
    let mut completions = json(&empty, None);
    for item in &mut completions.items {
        let name = json_key_name(&item.new_text).unwrap_or_else(|| item.label.clone());
        let text = serde_json::to_string(&name)
            .unwrap_or_default()
            .replace("${", "$${");
        item.new_text = text.clone();
        item.range = key.range;
        item.snippet = false;
        item.filter_text = Some(text);
    }
    completions
}

/// The attributes and blocks of the `data "aws_iam_policy_document"` block the name at the
/// cursor is in (`statement`, `effect`, `actions`, `principals`, `condition`, `test`, …),
/// replacing the name; `= ` or ` {}` added when its line has neither yet.
pub(super) fn document_names(name: &DocumentName) -> Completions {
    let items = document_offered(name.block)
        .iter()
        .enumerate()
        .map(|(i, (label, block))| {
            let new_text = match (name.followed, block) {
                (true, _) => label.to_string(),
                (false, false) => format!("{label} = "),
                (false, true) => format!("{label} {{}}"),
            };
            CompletionItem {
                label: label.to_string(),
                kind: ItemKind::Element,
                detail: Some(if *block {
                    "aws_iam_policy_document block".to_string()
                } else {
                    "aws_iam_policy_document argument".to_string()
                }),
                documentation: None,
                range: name.range,
                new_text,
                snippet: false,
                filter_text: None,
                sort_text: Some(format!("{i:02}")),
                deprecated: false,
            }
        })
        .collect::<Vec<_>>();
    items.into()
}

/// A new mapping being typed as a one-word plain scalar opening its line: a list element
/// (`- Eff` under `Statement:`) or a value below its key (`Condition:` then `StringEq`). The
/// keys of an empty object there, replacing the scalar; `None` when it is no such scalar.
pub(super) fn new_mapping_in_list(
    analysis: &Analysis,
    slot: &Slot,
    offset: u32,
    json: impl FnOnce(&Object, Option<&Str>) -> Completions,
) -> Option<Completions> {
    let Slot::Value {
        string: Some(string),
    } = slot
    else {
        return None;
    };
    if analysis.host != Host::Yaml
        || string.quoted
        || string.value.contains([' ', '\n'])
        || !analysis.host_syntax.opens_line(string.range)
    {
        return None;
    }
    let empty = Object {
        members: Vec::new(),
        closed: false,
    };
    let mut completions = complete_key(analysis, &empty, None, offset, json);
    for item in &mut completions.items {
        item.range = string.range;
    }
    Some(completions)
}

/// The name a JSON key item writes (`"Action": …` → `Action`).
fn json_key_name(new_text: &str) -> Option<String> {
    let mut stream = serde_json::Deserializer::from_str(new_text).into_iter::<String>();
    stream.next()?.ok()
}

#[cfg(test)]
mod tests {
    use crate::analysis::{Options, analyze};
    use crate::host::Host;
    use crate::ide::completion::{Capabilities, complete};

    /// `marked` with `$0` at the cursor: the text with item `label` accepted (`None`: not
    /// offered).
    fn accept(host: Host, marked: &str, label: &str) -> Option<String> {
        let offset = marked.find("$0").expect("cursor") as u32;
        let text = marked.replace("$0", "");
        let options = Options {
            host,
            ..Options::default()
        };
        let analysis = analyze(&text, &options);
        let items = complete(&analysis, offset, Capabilities { snippets: true });
        let item = items.iter().find(|i| i.label == label)?;
        let mut out = text.clone();
        out.replace_range(item.range.as_usize(), &item.new_text);
        Some(out)
    }

    const ROLE: &str = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n";

    #[test]
    fn yaml_keys_in_block_and_flow_style() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            // A statement's key typed on its own line, before its colon.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Act$0\n",
                "Action",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: \n",
                ),
            ),
            // Between keys, with statements after.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Res$0\n          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n",
                "Resource",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: \n          - Effect: Deny\n            Action: '*'\n            Resource: '*'\n",
                ),
            ),
            // A present element is not offered again.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Eff$0\n",
                "Effect",
                None,
            ),
            // A key with its colon and value: only the name is replaced.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Acti$0on: s3:GetObject\n",
                "NotAction",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            NotAction: s3:GetObject\n",
                ),
            ),
            // The first key of a new statement.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n          - Eff$0\n",
                "Effect",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n          - Effect: \n",
                ),
            ),
            // Policy keys.
            (
                "        Version: '2012-10-17'\n        Stat$0\n",
                "Statement",
                Some("        Version: '2012-10-17'\n        Statement: \n"),
            ),
            // Flow style.
            (
                "        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Res$0}\n",
                "Resource",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - {Effect: Allow, Resource: }\n",
                ),
            ),
            // Condition operators, and condition keys (quoted when YAML needs it: never for
            // these names).
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n            Condition:\n              StringEq$0\n",
                "StringEquals",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n            Condition:\n              StringEquals: \n",
                ),
            ),
            (
                "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n            Condition:\n              StringEquals:\n                aws:SourceAcc$0\n",
                "aws:SourceAccount",
                Some(
                    "        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n            Condition:\n              StringEquals:\n                aws:SourceAccount: \n",
                ),
            ),
        ];
        for (body, label, expected) in cases {
            let marked = format!("{ROLE}{body}");
            let got = accept(Host::Yaml, &marked, label);
            assert_eq!(
                got.as_deref(),
                expected.map(|e| format!("{ROLE}{e}")).as_deref(),
                "{label} in\n{marked}"
            );
        }
    }

    /// In `data "aws_iam_policy_document"`, a condition's `test` and `variable` strings are
    /// completed as strings; attribute names get the data source's names, not JSON keys.
    #[test]
    fn terraform_document_strings_not_keys() {
        let document = |test: &str, variable: &str, actions: &str| {
            format!(
                "data \"aws_iam_policy_document\" \"d\" {{\n  statement {{\n    {actions} = [\"s3:GetObject\"]\n    resources = [\"*\"]\n    condition {{\n      test     = \"{test}\"\n      variable = \"{variable}\"\n      values   = [\"1\"]\n    }}\n  }}\n}}\n"
            )
        };
        assert_eq!(
            accept(
                Host::Terraform,
                &document("StringEq$0", "aws:SourceAccount", "actions"),
                "StringEquals"
            ),
            Some(document("StringEquals", "aws:SourceAccount", "actions"))
        );
        assert_eq!(
            accept(
                Host::Terraform,
                &document("StringEquals", "aws:SourceAcc$0", "actions"),
                "aws:SourceAccount"
            ),
            Some(document("StringEquals", "aws:SourceAccount", "actions"))
        );
        let marked = document("StringEquals", "aws:SourceAccount", "act$0ions");
        let offset = marked.find("$0").unwrap() as u32;
        let text = marked.replace("$0", "");
        let options = Options {
            host: Host::Terraform,
            ..Options::default()
        };
        let items = complete(
            &analyze(&text, &options),
            offset,
            Capabilities { snippets: true },
        );
        // The data source's names, never the JSON keys they stand for.
        assert!(!items.is_empty());
        assert!(
            items
                .iter()
                .all(|i| i.label.chars().all(|c| c.is_ascii_lowercase() || c == '_')),
            "{items:?}"
        );
    }

    /// The data source's own names: at a bare word being typed in a block (which would
    /// otherwise cost the whole file) and at a name already written.
    #[test]
    fn terraform_document_attributes_and_blocks() {
        let head = "data \"aws_iam_policy_document\" \"d\" {\n  statement {\n    actions = [\"s3:GetObject\"]\n";
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "    reso$0\n  }\n}\n",
                "resources",
                Some("    resources = \n  }\n}\n"),
            ),
            (
                "    cond$0\n  }\n}\n",
                "condition",
                Some("    condition {}\n  }\n}\n"),
            ),
            (
                "    principals {\n      ident$0\n    }\n  }\n}\n",
                "identifiers",
                Some("    principals {\n      identifiers = \n    }\n  }\n}\n"),
            ),
            (
                "    condition {\n      test = \"StringEquals\"\n      vari$0\n    }\n  }\n}\n",
                "variable",
                Some(
                    "    condition {\n      test = \"StringEquals\"\n      variable = \n    }\n  }\n}\n",
                ),
            ),
            (
                "    not_act$0ions = [\"s3:*\"]\n  }\n}\n",
                "not_actions",
                Some("    not_actions = [\"s3:*\"]\n  }\n}\n"),
            ),
            (
                "  }\n  stat$0\n}\n",
                "statement",
                Some("  }\n  statement {}\n}\n"),
            ),
        ];
        for (body, label, expected) in cases {
            let marked = format!("{head}{body}");
            let got = accept(Host::Terraform, &marked, label);
            assert_eq!(
                got.as_deref(),
                expected.map(|e| format!("{head}{e}")).as_deref(),
                "{label} in\n{marked}"
            );
        }
    }

    #[test]
    fn terraform_keys_in_jsonencode() {
        let head = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect = \"Allow\"\n";
        let cases: &[(&str, &str, Option<&str>)] = &[
            (
                "      Act$0\n    }]\n  })\n}\n",
                "Action",
                Some("      Action = \n    }]\n  })\n}\n"),
            ),
            (
                "      Acti$0on = \"s3:GetObject\"\n    }]\n  })\n}\n",
                "NotAction",
                Some("      NotAction = \"s3:GetObject\"\n    }]\n  })\n}\n"),
            ),
            (
                "      Action = \"s3:GetObject\"\n      Resource = \"*\"\n      Condition = {\n        StringEquals = {\n          \"aws:SourceAcc$0\" = \"1\"\n        }\n      }\n    }]\n  })\n}\n",
                "aws:SourceAccount",
                Some(
                    "      Action = \"s3:GetObject\"\n      Resource = \"*\"\n      Condition = {\n        StringEquals = {\n          \"aws:SourceAccount\" = \"1\"\n        }\n      }\n    }]\n  })\n}\n",
                ),
            ),
        ];
        for (body, label, expected) in cases {
            let marked = format!("{head}{body}");
            let got = accept(Host::Terraform, &marked, label);
            assert_eq!(
                got.as_deref(),
                expected.map(|e| format!("{head}{e}")).as_deref(),
                "{label} in\n{marked}"
            );
        }
    }
}
