//! The states typing produces (issue 16), each with the tree, errors and recovered ranges the
//! parser must give: one error where the text is broken, and the rest of the document read
//! as it was before the edit started.

use expect_test::{Expect, expect};

use super::parser::bracket_balance;
use super::recovery::more_opened_than_closed;
use super::{dump, parse};

fn check(text: &str, expected: Expect) {
    expected.assert_eq(&dump(&parse(text)));
}

#[test]
fn a_string_typed_in_front_of_the_first_element_of_a_one_line_list() {
    // The quotes pair the wrong way: the string being typed ends before the next one's quote.
    check(
        "{\"Action\": [\"support:desc\"ec2:DescribeInstances\", \"ec2:DescribeRegions\"],\n \"Resource\": \"*\"}",
        expect![[r#"
            Object 0..91
              Member "Action" 1..9 1..72
                Array 11..72
                  String unterminated "support:desc" 12..25
                  String "ec2:DescribeInstances" 25..48
                  String "ec2:DescribeRegions" 50..71
              Member "Resource" 75..85 75..90
                String "*" 87..90
            error 12..25: unterminated string
            recovered 12..25
        "#]],
    );
}

#[test]
fn a_key_typed_in_front_of_a_key_on_one_line() {
    check(
        r#"{"Effect": "Allow", "Act"Resource": "*"}"#,
        expect![[r#"
            Object 0..40
              Member "Effect" 1..9 1..18
                String "Allow" 11..18
              Member "Act" 20..24 no-colon 20..24
                (missing value)
              Member "Resource" 24..34 24..39
                String "*" 36..39
            error 20..24: unterminated string
            recovered 20..24
        "#]],
    );
}

#[test]
fn quotes_stay_paired_as_lexed_when_the_rest_of_the_line_is_not_json() {
    // A fragment pasted into a string: re-pairing the quotes would not give JSON either.
    check(
        "[\"appflow:Describe\"Action\": torFields\",\n \"s3:GetObject\"]",
        expect![[r#"
            Array 0..56
              String "appflow:Describe" 1..19
              Invalid 19..25
              String ": torFields" 25..38
              String "s3:GetObject" 41..55
            error 19..25: expected ',' before this element
            recovered 19..25
        "#]],
    );
}

#[test]
fn a_new_statement_opened_in_front_of_the_first_one() {
    let after = "\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": \"s3:GetObject\",\n      \"Resource\": \"*\"\n    }\n  ]\n}";
    // The `{` at the column of the statement after it starts a statement of its own.
    check(
        &format!("{{\n  \"Statement\": [\n    {{{after}"),
        expect![[r#"
            Object 0..121
              Member "Statement" 4..15 4..119
                Array 17..119
                  Object unclosed 23..24
                  Object 29..115
                    Member "Effect" 37..45 37..54
                      String "Allow" 47..54
                    Member "Action" 62..70 62..86
                      String "s3:GetObject" 72..86
                    Member "Resource" 94..104 94..109
                      String "*" 106..109
            error 24..24: expected '}' to close the object
            recovered 23..24
        "#]],
    );
    // Half-typed: one error, at the key being typed.
    check(
        &format!("{{\n  \"Statement\": [\n    {{\"Effect\": \"Deny\", \"Ac{after}"),
        expect![[r#"
            Object 0..142
              Member "Statement" 4..15 4..140
                Array 17..140
                  Object unclosed 23..45
                    Member "Effect" 24..32 24..40
                      String "Deny" 34..40
                    Member "Ac" 42..45 no-colon 42..45
                      (missing value)
                  Object 50..136
                    Member "Effect" 58..66 58..75
                      String "Allow" 68..75
                    Member "Action" 83..91 83..107
                      String "s3:GetObject" 93..107
                    Member "Resource" 115..125 115..130
                      String "*" 127..130
            error 42..45: unterminated string
            recovered 23..45
        "#]],
    );
    // Complete but for the comma after it: one error, the missing comma.
    check(
        &format!(
            "{{\n  \"Statement\": [\n    {{\"Effect\": \"Deny\", \"Action\": \"support:*\", \"Resource\": \"*\"}}{after}"
        ),
        expect![[r#"
            Object 0..178
              Member "Statement" 4..15 4..176
                Array 17..176
                  Object 23..81
                    Member "Effect" 24..32 24..40
                      String "Deny" 34..40
                    Member "Action" 42..50 42..63
                      String "support:*" 52..63
                    Member "Resource" 65..75 65..80
                      String "*" 77..80
                  Object 86..172
                    Member "Effect" 94..102 94..111
                      String "Allow" 104..111
                    Member "Action" 119..127 119..143
                      String "s3:GetObject" 129..143
                    Member "Resource" 151..161 151..166
                      String "*" 163..166
            error 86..87: expected ',' before this element
        "#]],
    );
    // `"Effect":` and the next statement on the next line: the value is missing.
    check(
        &format!("{{\n  \"Statement\": [\n    {{\"Effect\":{after}"),
        expect![[r#"
            Object 0..130
              Member "Statement" 4..15 4..128
                Array 17..128
                  Object unclosed 23..33
                    Member "Effect" 24..32 24..32
                      (missing value)
                  Object 38..124
                    Member "Effect" 46..54 46..63
                      String "Allow" 56..63
                    Member "Action" 71..79 71..95
                      String "s3:GetObject" 81..95
                    Member "Resource" 103..113 103..118
                      String "*" 115..118
            error 33..33: expected a value
            recovered 23..33
        "#]],
    );
}

#[test]
fn a_list_opened_before_existing_text_ends_where_the_next_member_starts() {
    check(
        "{\n  \"Effect\": \"Allow\",\n  \"Action\": [\"s3:GetObject\",\n  \"Resource\": \"*\"\n}",
        expect![[r#"
            Object 0..71
              Member "Effect" 4..12 4..21
                String "Allow" 14..21
              Member "Action" 25..33 25..51
                Array unclosed 35..51
                  String "s3:GetObject" 36..50
              Member "Resource" 54..64 54..69
                String "*" 66..69
            error 51..51: expected ']' to close the array
            recovered 35..51
        "#]],
    );
    // In a document whose brackets balance, a key in a list is only a stray colon.
    check(
        "{\n  \"Action\": [\"s3:GetObject\",\n  \"Resource\": \"*\"]\n}",
        expect![[r#"
            Object 0..51
              Member "Action" 4..12 4..49
                Array 14..49
                  String "s3:GetObject" 15..29
                  String "Resource" 33..43
                  String "*" 45..48
            error 43..44: unexpected ':'
            error 45..48: expected ',' before this element
        "#]],
    );
}

#[test]
fn a_condition_block_typed_without_its_closing_braces() {
    // The `}` at the statement's indentation closes the statement, not the condition.
    check(
        "{\"Statement\": [\n  {\n    \"Effect\": \"Deny\",\n    \"Condition\": {\n      \"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"\n  },\n  {\"Effect\": \"Allow\"}\n]}",
        expect![[r#"
            Object 0..148
              Member "Statement" 1..12 1..147
                Array 14..147
                  Object 18..122
                    Member "Effect" 24..32 24..40
                      String "Deny" 34..40
                    Member "Condition" 46..57 46..118
                      Object unclosed 59..118
                        Member "StringEquals" 67..81 67..118
                          Object unclosed 83..118
                            Member "aws:RequestedRegion" 84..105 84..118
                              String "eu-west-1" 107..118
                  Object 126..145
                    Member "Effect" 127..135 127..144
                      String "Allow" 137..144
            error 118..118: expected '}' to close the object
            recovered 59..118
        "#]],
    );
}

#[test]
fn a_statement_deleted_from_its_end() {
    // Its closing brace gone, the next statement (on the same line once the line break is
    // deleted) is its sibling.
    check(
        r#"[{"Sid": "A", "Resource": "*{"Sid": "B", "Effect": "Allow"}]"#,
        expect![[r#"
            Array 0..60
              Object unclosed 1..28
                Member "Sid" 2..7 2..12
                  String "A" 9..12
                Member "Resource" 14..24 14..28
                  String unterminated "*" 26..28
              Object 28..59
                Member "Sid" 29..34 29..39
                  String "B" 36..39
                Member "Effect" 41..49 41..58
                  String "Allow" 51..58
            error 26..28: unterminated string
            recovered 1..28
        "#]],
    );
    // Its list's end gone too: the object after the list, with a statement's keys, is a
    // sibling of the statement, not an element of the list.
    check(
        "{\"Statement\": [\n  {\"Action\": [\"s3:GetObject\", {\"Effect\": \"Allow\", \"Action\": \"s3:*\"}\n]}",
        expect![[r#"
            Object 0..86
              Member "Statement" 1..12 1..85
                Array 14..85
                  Object unclosed 18..45
                    Member "Action" 19..27 19..45
                      Array unclosed 29..45
                        String "s3:GetObject" 30..44
                  Object 46..83
                    Member "Effect" 47..55 47..64
                      String "Allow" 57..64
                    Member "Action" 66..74 66..82
                      String "s3:*" 76..82
            error 45..45: expected ']' to close the array
            recovered 18..45
        "#]],
    );
}

#[test]
fn a_policy_variable_being_typed_keeps_its_brace() {
    check(
        "{\"Resource\": \"arn:aws:s3:::home/${\n}",
        expect![[r#"
            Object 0..36
              Member "Resource" 1..11 1..34
                String unterminated "arn:aws:s3:::home/${" 13..34
            error 13..34: unterminated string
            recovered 13..34
        "#]],
    );
}

#[test]
fn a_doubled_comma_and_a_missing_one_cost_one_error_each() {
    check(
        "{\"Action\": [\"s3:GetObject\",, \"s3:PutObject\" \"s3:ListBucket\"]}",
        expect![[r#"
            Object 0..61
              Member "Action" 1..9 1..60
                Array 11..60
                  String "s3:GetObject" 12..26
                  String "s3:PutObject" 29..43
                  String "s3:ListBucket" 44..59
            error 27..28: unexpected ','
            error 44..59: expected ',' before this element
        "#]],
    );
}

#[test]
fn a_run_of_list_elements_read_as_keys_is_one_error() {
    // A list closed too early: what follows are elements, not members.
    check(
        "{\"Action\": [\"a:B\"],\n \"c:D\",\n \"e:F\",\n \"g:H\"\n}",
        expect![[r#"
            Object 0..44
              Member "Action" 1..9 1..18
                Array 11..18
                  String "a:B" 12..17
              Member "c:D" 21..26 no-colon 21..26
                (missing value)
              Member "e:F" 29..34 no-colon 29..34
                (missing value)
              Member "g:H" 37..42 no-colon 37..42
                (missing value)
            error 21..26: expected ':' after the property name
            recovered 21..26
            recovered 29..34
            recovered 37..42
        "#]],
    );
}

#[test]
fn misleading_indentation_does_not_change_a_balanced_document() {
    check(
        "{\n  \"a\": {\"b\": {\n}},\n  \"c\": 1\n}",
        expect![[r#"
            Object 0..31
              Member "a" 4..7 4..19
                Object 9..19
                  Member "b" 10..13 10..18
                    Object 15..18
              Member "c" 23..26 23..29
                Number 28..29
        "#]],
    );
}

proptest::proptest! {
    /// The parser counts the brackets as it reads (rewinds included) as a lexer pass over
    /// the whole text does.
    #[test]
    fn the_parser_counts_brackets_like_a_lexer_pass(
        text in "[{}\\[\\]\",: \nab1$]{0,60}"
    ) {
        proptest::prop_assert_eq!(bracket_balance(&text) > 0, more_opened_than_closed(&text));
    }
}

#[test]
fn the_parser_counts_brackets_through_its_rewinds() {
    for text in [
        "{\n  \"Action\": [\"s3:GetObject\",\n  \"Resource\": \"*\"\n}",
        "{\"Action\":\n  \"Resource\": [\"*\"]}",
        "[\"support:desc\"ec2:DescribeInstances\", [[\"x\"]]",
    ] {
        assert_eq!(
            bracket_balance(text) > 0,
            more_opened_than_closed(text),
            "{text}"
        );
    }
}

#[test]
fn a_statement_pasted_without_its_first_line() {
    // A statement's key where a statement must come starts a statement without its `{`,
    // which the fragment's `}` closes: one error, where the `{` is missing, and the
    // statement after it is read as it was.
    check(
        "{\"Statement\": [\n  \"Effect\": \"Allow\",\n  \"Action\": \"s3:*\"\n  },\n  {\"Effect\": \"Deny\"}\n]}",
        expect![[r#"
            Object 0..84
              Member "Statement" 1..12 1..83
                Array 14..83
                  Object 18..59
                    Member "Effect" 18..26 18..35
                      String "Allow" 28..35
                    Member "Action" 39..47 39..55
                      String "s3:*" 49..55
                  Object 63..81
                    Member "Effect" 64..72 64..80
                      String "Deny" 74..80
            error 18..26: expected '{' before this property: a statement starts with '{'
            recovered 18..59
        "#]],
    );
}
