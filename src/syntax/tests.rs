//! Parser specifications: broken inputs an editor sends while a policy is typed, with the
//! tree and errors each must produce; and properties over arbitrary input.

use expect_test::{Expect, expect};
use proptest::prelude::*;

use super::lexer::Lexer;
use super::{Value, ValueKind, dump, parse};

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&dump(&parse(text)));
}

#[test]
fn valid_policy() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:Get*"], "Resource": "*"}]}"#,
        expect![[r#"
            Object 0..101
              Member "Version" 1..10 1..24
                String "2012-10-17" 12..24
              Member "Statement" 26..37 26..100
                Array 39..100
                  Object 40..99
                    Member "Effect" 41..49 41..58
                      String "Allow" 51..58
                    Member "Action" 60..68 60..81
                      Array 70..81
                        String "s3:Get*" 71..80
                    Member "Resource" 83..93 83..98
                      String "*" 95..98
        "#]],
    );
}

#[test]
fn truncated_document_keeps_the_statement() {
    check(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "#,
        expect![[r#"
            Object unclosed 0..70
              Member "Version" 1..10 1..24
                String "2012-10-17" 12..24
              Member "Statement" 26..37 26..70
                Array unclosed 39..70
                  Object unclosed 40..70
                    Member "Effect" 41..49 41..58
                      String "Allow" 51..58
                    Member "Action" 60..68 60..69
                      (missing value)
            error 70..70: expected a value
        "#]],
    );
}

#[test]
fn missing_comma_between_members() {
    check(
        "{\"Effect\": \"Allow\"\n \"Action\": \"*\"}",
        expect![[r#"
            Object 0..34
              Member "Effect" 1..9 1..18
                String "Allow" 11..18
              Member "Action" 20..28 20..33
                String "*" 30..33
            error 20..28: expected ',' before this member
        "#]],
    );
}

#[test]
fn trailing_commas() {
    check(
        r#"{"Action": ["a", "b",], }"#,
        expect![[r#"
            Object 0..25
              Member "Action" 1..9 1..22
                Array 11..22
                  String "a" 12..15
                  String "b" 17..20
            error 20..21: trailing comma before ']'
            error 22..23: trailing comma before '}'
        "#]],
    );
}

#[test]
fn key_being_typed_ends_at_line_end() {
    check(
        "{\"Statement\": [{\"Effect\": \"Allow\",\n  \"Res\n}]}",
        expect![[r#"
            Object 0..45
              Member "Statement" 1..12 1..44
                Array 14..44
                  Object 15..43
                    Member "Effect" 16..24 16..33
                      String "Allow" 26..33
                    Member "Res" 37..41 no-colon 37..41
                      (missing value)
            error 37..41: unterminated string
            recovered 37..41
        "#]],
    );
}

#[test]
fn member_without_value() {
    check(
        r#"{"Resource": }"#,
        expect![[r#"
            Object 0..14
              Member "Resource" 1..11 1..12
                (missing value)
            error 12..12: expected a value
        "#]],
    );
}

#[test]
fn unterminated_value_string_in_an_array() {
    check(
        "{\"Action\": [\"support:Desc\n]}",
        expect![[r#"
            Object 0..28
              Member "Action" 1..9 1..27
                Array 11..27
                  String unterminated "support:Desc" 12..25
            error 12..25: unterminated string
            recovered 12..25
        "#]],
    );
}

#[test]
fn comments_are_errors_but_parsing_goes_on() {
    check(
        "{\n  // allow reads\n  \"Effect\": /* why */ \"Allow\"\n}",
        expect![[r#"
            Object 0..50
              Member "Effect" 21..29 21..48
                String "Allow" 41..48
            error 4..18: comments are not allowed in JSON (IAM rejects them)
            error 31..40: comments are not allowed in JSON (IAM rejects them)
        "#]],
    );
}

#[test]
fn duplicate_keys_are_kept() {
    check(
        r#"{"Effect": "Allow", "Effect": "Deny"}"#,
        expect![[r#"
            Object 0..37
              Member "Effect" 1..9 1..18
                String "Allow" 11..18
              Member "Effect" 20..28 20..36
                String "Deny" 30..36
        "#]],
    );
}

#[test]
fn unquoted_words() {
    check(
        r#"{Effect: Allow}"#,
        expect![[r#"
            Object 0..15
              Member "Effect" 1..7 1..14
                Invalid 9..14
            error 1..7: property names must be in double quotes
            error 9..14: expected a value; strings must be in double quotes
            recovered 9..14
        "#]],
    );
}

#[test]
fn mismatched_brackets_close_the_right_container() {
    check(
        r#"{"Statement": [{"Effect": "Allow"]}"#,
        expect![[r#"
            Object 0..35
              Member "Statement" 1..12 1..34
                Array 14..34
                  Object unclosed 15..33
                    Member "Effect" 16..24 16..33
                      String "Allow" 26..33
            error 33..33: expected '}' to close the object
            recovered 15..33
        "#]],
    );
}

#[test]
fn empty_and_garbage_documents() {
    check(
        "",
        expect![[r#"
            (no value)
            error 0..0: the document is empty
        "#]],
    );
    check(
        "not json",
        expect![[r#"
            Invalid 0..3
            error 0..3: expected a value; strings must be in double quotes
            error 4..8: unexpected text after the end of the JSON document
            recovered 0..3
        "#]],
    );
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let text = "[".repeat(100_000);
    let parse = parse(&text);
    assert!(
        parse
            .errors
            .iter()
            .any(|e| e.message.contains("128 levels"))
    );
    let text = format!("{}{}", "[".repeat(200), "]".repeat(200));
    assert!(parse_ok_is_false(&text));
}

fn parse_ok_is_false(text: &str) -> bool {
    !parse(text).errors.is_empty()
}

/// Lowers a tree to serde_json's model, so valid documents can be compared with serde_json.
fn to_serde(value: &Value, text: &str) -> serde_json::Value {
    match &value.kind {
        ValueKind::Object(o) => {
            let mut map = serde_json::Map::new();
            for m in &o.members {
                let v = m
                    .value
                    .as_ref()
                    .map_or(serde_json::Value::Null, |v| to_serde(v, text));
                map.insert(m.key.value.to_string(), v);
            }
            serde_json::Value::Object(map)
        }
        ValueKind::Array(a) => {
            serde_json::Value::Array(a.elements.iter().map(|v| to_serde(v, text)).collect())
        }
        ValueKind::String(s) => serde_json::Value::String(s.value.to_string()),
        ValueKind::Number => serde_json::from_str(&text[value.range.as_usize()]).unwrap(),
        ValueKind::Bool(b) => serde_json::Value::Bool(*b),
        ValueKind::Null | ValueKind::Invalid => serde_json::Value::Null,
    }
}

fn assert_well_formed(text: &str) {
    let tokens: String = Lexer::new(text)
        .map(|t| &text[t.range.as_usize()])
        .collect();
    assert_eq!(tokens, text, "the lexer must be lossless");
    let parse = parse(text);
    let in_bounds = |r: super::TextRange| {
        r.start <= r.end
            && (r.end as usize) <= text.len()
            && text.is_char_boundary(r.start as usize)
            && text.is_char_boundary(r.end as usize)
    };
    for e in &parse.errors {
        assert!(
            in_bounds(e.range),
            "error range {:?} out of bounds",
            e.range
        );
    }
    fn walk(v: &Value, ok: &dyn Fn(super::TextRange) -> bool) {
        assert!(ok(v.range), "node range {:?}", v.range);
        match &v.kind {
            ValueKind::Object(o) => {
                for m in &o.members {
                    assert!(ok(m.range) && ok(m.key.range), "member {:?}", m.range);
                    assert!(m.range.contains_range(m.key.range));
                    if let Some(v) = &m.value {
                        assert!(m.range.contains_range(v.range));
                        walk(v, ok);
                    }
                }
            }
            ValueKind::Array(a) => a.elements.iter().for_each(|e| {
                assert!(v.range.contains_range(e.range));
                walk(e, ok)
            }),
            _ => {}
        }
    }
    if let Some(root) = &parse.root {
        walk(root, &in_bounds);
    }
    if let Ok(expected) = serde_json::from_str::<serde_json::Value>(text) {
        assert!(
            parse.errors.is_empty(),
            "valid JSON got errors: {:?}",
            parse.errors
        );
        let root = parse.root.as_ref().expect("valid JSON has a root");
        assert_eq!(to_serde(root, text), expected);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        (-1e6f64..1e6).prop_map(|n| serde_json::json!(n)),
        any::<String>().prop_map(serde_json::Value::String),
        "[a-zA-Z:*?]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec(("[A-Za-z]{0,8}", inner), 0..6)
                .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn valid_json_parses_like_serde_json(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty {
            serde_json::to_string_pretty(&value).unwrap()
        } else {
            serde_json::to_string(&value).unwrap()
        };
        assert_well_formed(&text);
    }

    #[test]
    fn arbitrary_text_never_breaks_the_parser(text in "[{}\\[\\]:,\"\\\\a-z0-9 \n\r\t/*.😀é-]{0,80}") {
        assert_well_formed(&text);
    }

    #[test]
    fn arbitrary_unicode_never_breaks_the_parser(text in any::<String>()) {
        assert_well_formed(&text);
    }

    #[test]
    fn every_prefix_of_a_policy_parses(cut in 0usize..200) {
        let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "A1", "Effect": "Deny", "Action": ["support:Describe*", "s3:*"], "Resource": "*", "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}}]}"#;
        let mut cut = cut.min(policy.len());
        while !policy.is_char_boundary(cut) { cut -= 1; }
        assert_well_formed(&policy[..cut]);
    }
}
