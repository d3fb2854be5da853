//! Which parts of a JSON document are IAM policies.
//!
//! A whole document is a policy when its top-level object has `Statement`, or `Version` and
//! nothing that contradicts it. Otherwise policies embedded in a larger document (a
//! CloudFormation template's `PolicyDocument`, an `aws iam get-policy-version` answer, …) are
//! found where they stand. Any other JSON (package.json, tsconfig.json) holds no policy.

use super::cloudformation;
use super::kind::TypeHint;
use super::model::is_intrinsic;
use crate::syntax::{Member, Object, Value, ValueKind};

/// How eagerly to treat a document as a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Selection {
    /// Only documents that look like policies (the editor, folder scans).
    #[default]
    Auto,
    /// A file the user named explicitly: a top-level object is a policy even when it does
    /// not look like one yet.
    Always,
}

/// Keys under which templates and tools embed a policy document.
const EMBEDDING_KEYS: &[&str] = &[
    "PolicyDocument",
    "AssumeRolePolicyDocument",
    "PolicyText",
    "KeyPolicy",
    "ResourcePolicy",
    "Document",
    "Content",
    "Policy",
];

const POLICY_KEYS: &[&str] = &["Version", "Id", "Statement"];

/// A policy found in a document: its value, and the type its host gives it by where it sits
/// (a host format's locator knows; a whole document has none).
#[derive(Debug)]
pub(crate) struct Located<'a> {
    pub(crate) value: &'a Value,
    pub(crate) hint: Option<TypeHint>,
}

/// The policy objects of a document, outermost first, in document order.
pub(crate) fn find_policies(root: &Value, selection: Selection) -> Vec<Located<'_>> {
    let Some(object) = root.as_object() else {
        return Vec::new();
    };
    if looks_like_policy(object) || looks_like_statement(object) {
        return vec![Located {
            value: root,
            hint: None,
        }];
    }
    let mut found = Vec::new();
    collect_embedded(root, None, &mut found);
    if found.is_empty() && selection == Selection::Always {
        found.push(Located {
            value: root,
            hint: None,
        });
    }
    found
}

/// Collects the policies under `value`, inside the CloudFormation resource `resource` if any.
fn collect_embedded<'a>(
    value: &'a Value,
    resource: Option<&'a Object>,
    found: &mut Vec<Located<'a>>,
) {
    match &value.kind {
        ValueKind::Object(object) => {
            let resource = if cloudformation::is_resource(object) {
                Some(object)
            } else {
                resource
            };
            for member in &object.members {
                collect_member(member, resource, found);
            }
        }
        ValueKind::Array(array) => {
            for element in &array.elements {
                collect_embedded(element, resource, found);
            }
        }
        _ => {}
    }
}

/// The policies under one member of an object (inside the CloudFormation resource `resource`
/// if any).
fn collect_member<'a>(
    member: &'a Member,
    resource: Option<&'a Object>,
    found: &mut Vec<Located<'a>>,
) {
    let Some(child) = &member.value else { return };
    let key = &*member.key.value;
    // A list of policies (SAM's `Policies: [{Statement: …}, ManagedName, …]`).
    if let Some(array) = child.as_array() {
        for element in &array.elements {
            match element.as_object() {
                Some(o) if is_listed_policy(o) => found.push(Located {
                    value: element,
                    hint: hint(resource, key),
                }),
                // SAM's API resource policy: statements without a policy around.
                Some(o) if key == "CustomStatements" && looks_like_statement(o) => {
                    found.push(Located {
                        value: element,
                        hint: Some(cloudformation::sam_custom_statements_hint()),
                    });
                }
                _ => collect_embedded(element, resource, found),
            }
        }
        return;
    }
    if let Some(child_object) = child.as_object() {
        let named = EMBEDDING_KEYS.contains(&key);
        if child_object.has_key("Statement") || (named && looks_like_policy(child_object)) {
            found.push(Located {
                value: child,
                hint: hint(resource, key),
            });
            return;
        }
    }
    collect_embedded(child, resource, found);
}

/// The policies under `member`, a member of a document's top-level object (or of its
/// `Resources`) that is neither a policy nor a resource: what [`find_policies`] finds under it
/// (`analysis::incremental` reads a template one top-level entry at a time).
pub(crate) fn find_policies_in_member(member: &Member) -> Vec<Located<'_>> {
    let mut found = Vec::new();
    collect_member(member, None, &mut found);
    found
}

/// An element of a list that is a policy: `Version`, or `Statement` holding statements (a WAF
/// rule's `Statement` is a mapping of rule statements, not a policy's).
fn is_listed_policy(object: &Object) -> bool {
    if object.has_key("Version") && looks_like_policy(object) {
        return true;
    }
    let Some(statement) = object.get("Statement").and_then(|m| m.value.as_ref()) else {
        return false;
    };
    let is_statement = |v: &Value| {
        v.as_object().is_some_and(|o| {
            o.has_key("Effect") || o.has_key("Action") || o.has_key("NotAction") || is_intrinsic(v)
        })
    };
    match &statement.kind {
        ValueKind::Array(a) => a.elements.first().is_some_and(is_statement),
        ValueKind::Object(_) => is_statement(statement),
        _ => false,
    }
}

/// The type a policy gets from where it sits: the property of a CloudFormation resource.
fn hint(resource: Option<&Object>, key: &str) -> Option<TypeHint> {
    match resource {
        Some(resource) => cloudformation::hint(resource, key),
        None => cloudformation::hint_outside_resources(key),
    }
}

/// `Statement`, or `Version` with a date-like value and no key foreign to policies.
pub(crate) fn looks_like_policy(object: &Object) -> bool {
    if object.has_key("Statement") {
        return true;
    }
    let Some(version) = object.get("Version") else {
        return false;
    };
    let version_plausible = match version.value.as_ref().map(|v| &v.kind) {
        None => true,
        Some(ValueKind::String(s)) => !s.terminated || looks_like_date(&s.value),
        Some(_) => false,
    };
    version_plausible
        && object
            .members
            .iter()
            .all(|m| !m.key.terminated || is_policy_key_or_near_miss(&m.key.value))
}

/// A lone statement (documentation snippets, files of statements to merge): `Effect` and
/// `Action` or `NotAction`, and no `Statement`.
pub(crate) fn looks_like_statement(object: &Object) -> bool {
    !object.has_key("Statement")
        && object.has_key("Effect")
        && (object.has_key("Action") || object.has_key("NotAction"))
}

fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

fn is_policy_key_or_near_miss(key: &str) -> bool {
    POLICY_KEYS.iter().any(|known| {
        known.eq_ignore_ascii_case(key) || crate::suggest::edit_distance(known, key) <= 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn policies(text: &str, selection: Selection) -> Vec<String> {
        let parse = parse(text);
        let Some(root) = &parse.root else {
            return Vec::new();
        };
        find_policies(root, selection)
            .into_iter()
            .map(|v| text[v.value.range.as_usize()].to_string())
            .collect()
    }

    #[test]
    fn which_documents_are_policies() {
        let cases: &[(&str, usize)] = &[
            (r#"{"Statement": []}"#, 1),
            (r#"{"Version": "2012-10-17"}"#, 1),
            (r#"{"Version": "2012-10-17", "Statment": []}"#, 1),
            (r#"{"Version": "2012-10-17", "name": "x"}"#, 0),
            (r#"{"Version": "1.0.0"}"#, 0),
            (r#"{"name": "pkg", "version": "1.0.0", "scripts": {}}"#, 0),
            (r#"{"compilerOptions": {"strict": true}}"#, 0),
            (r#"[{"Statement": []}]"#, 0),
            (
                r#"{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}"#,
                1,
            ),
            (r#"{"Effect": "Allow", "Resource": "*"}"#, 0),
            ("not json", 0),
        ];
        for (text, expected) in cases {
            assert_eq!(policies(text, Selection::Auto).len(), *expected, "{text}");
        }
    }

    #[test]
    fn finds_policies_in_a_cloudformation_template() {
        let template = r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {
            "Role": {"Type": "AWS::IAM::Role", "Properties": {
                "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
                "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17"}}]}}}}"#;
        let found = policies(template, Selection::Auto);
        assert_eq!(found.len(), 2);
        assert!(found[0].contains("sts:AssumeRole"));
        assert_eq!(found[1], r#"{"Version": "2012-10-17"}"#);
    }

    #[test]
    fn an_explicit_file_is_a_policy_when_it_is_an_object() {
        assert_eq!(policies(r#"{"Foo": 1}"#, Selection::Always).len(), 1);
        assert_eq!(policies(r#"{"Foo": 1}"#, Selection::Auto).len(), 0);
        assert_eq!(policies("[1]", Selection::Always).len(), 0);
    }
}
