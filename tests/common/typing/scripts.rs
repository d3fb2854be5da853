//! The edits a replay types: where in a policy each kind of edit goes and what it types, and
//! the keystrokes that type it, with or without auto-closed pairs.

use iam_policy_lsp::syntax::{self, Member, Object, Value, ValueKind};

/// What kind of edit a script types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EditKind {
    /// `,` then a new line with `"support:DescribeCases"` after the last element of a
    /// multi-line `Action` list.
    ActionNewLine,
    /// `"support:DescribeCases", ` typed in front of the first element of an `Action` list.
    ActionBeforeElement,
    /// A one-line statement typed at the start of the `Statement` array.
    StatementFirst,
    /// A statement of several lines typed at the start of a multi-line `Statement` array.
    StatementLines,
    /// A `Condition` block typed after a statement's last element.
    Condition,
    /// A statement deleted with backspace, from its end to its start.
    DeleteStatement,
}

impl EditKind {
    pub const ALL: [EditKind; 6] = [
        EditKind::ActionNewLine,
        EditKind::ActionBeforeElement,
        EditKind::StatementFirst,
        EditKind::StatementLines,
        EditKind::Condition,
        EditKind::DeleteStatement,
    ];

    pub fn label(self) -> &'static str {
        match self {
            EditKind::ActionNewLine => "new action on its own line",
            EditKind::ActionBeforeElement => "new action before an element",
            EditKind::StatementFirst => "new one-line statement first",
            EditKind::StatementLines => "new multi-line statement first",
            EditKind::Condition => "new condition block",
            EditKind::DeleteStatement => "statement deleted (backspace)",
        }
    }
}

/// The action the action edits type, and the one the statement edits type.
const NEW_ACTION: &str = "support:DescribeCases";
const STATEMENT_ACTION: &str = "support:*";

/// The byte ranges of what is typed that are the contents of an action string, with the
/// action.
type ActionSpans = Vec<(usize, usize, &'static str)>;

/// One edit to replay on a document.
#[derive(Clone, Debug)]
pub struct Script {
    pub kind: EditKind,
    pub auto_close: bool,
    /// Where the edit starts in the original text (for a deletion: the end of what is deleted).
    pub(super) at: usize,
    /// What is typed (`\n` followed by the new line's indentation is one Enter keystroke).
    typed: String,
    /// The byte ranges of `typed` that are the contents of an action string, with the action.
    actions: ActionSpans,
    /// For a deletion: how many bytes are deleted, one character per keystroke.
    pub(super) deleted: usize,
}

/// The edits that apply to `text` (a valid policy, or a document with one embedded), in both
/// modes for typed edits.
pub fn scripts(text: &str) -> Vec<Script> {
    let parse = syntax::parse(text);
    let Some(policy) = parse.root.as_ref().and_then(find_policy) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let statements = member_value(policy, "Statement").and_then(|v| match &v.kind {
        ValueKind::Array(a) => Some((v, a)),
        _ => None,
    });
    let Some((array_value, array)) = statements else {
        return found;
    };
    let objects: Vec<(&Value, &Object)> = array
        .elements
        .iter()
        .filter_map(|v| v.as_object_pub().map(|o| (v, o)))
        .collect();
    if objects.is_empty() {
        return found;
    }
    // (kind, where, what is typed, its action strings)
    let mut typed_edits: Vec<(EditKind, usize, String, ActionSpans)> = Vec::new();

    // Action lists: the first statement with an array of strings under `Action`.
    let action_list = objects.iter().find_map(|(_, o)| {
        let value = member_value_of(o, "Action")?;
        match &value.kind {
            ValueKind::Array(a)
                if !a.elements.is_empty()
                    && a.elements
                        .iter()
                        .all(|e| matches!(e.kind, ValueKind::String(_))) =>
            {
                Some((value, a))
            }
            _ => None,
        }
    });
    if let Some((list, elements)) = action_list {
        let first = &elements.elements[0];
        let last = elements.elements.last().unwrap();
        if contains_newline(text, list.range.start as usize, first.range.start as usize) {
            let indent = indentation_at(text, last.range.start as usize);
            let typed = format!(",\n{indent}\"{NEW_ACTION}\"");
            let start = typed.len() - 1 - NEW_ACTION.len();
            typed_edits.push((
                EditKind::ActionNewLine,
                last.range.end as usize,
                typed,
                vec![(start, start + NEW_ACTION.len(), NEW_ACTION)],
            ));
        }
        let typed = format!("\"{NEW_ACTION}\", ");
        typed_edits.push((
            EditKind::ActionBeforeElement,
            first.range.start as usize,
            typed,
            vec![(1, 1 + NEW_ACTION.len(), NEW_ACTION)],
        ));
    }

    // A new statement at the start of the array.
    let (first_value, first_object) = objects[0];
    let open = array_value.range.start as usize + 1;
    let multi_line = contains_newline(text, open, first_value.range.start as usize);
    let statement = format!(
        "{{\"Effect\": \"Deny\", \"Action\": \"{STATEMENT_ACTION}\", \"Resource\": \"*\"}},"
    );
    let action_at = statement.find(STATEMENT_ACTION).unwrap();
    if multi_line {
        let indent = indentation_at(text, first_value.range.start as usize);
        let typed = format!("\n{indent}{statement}");
        let offset = 1 + indent.len();
        typed_edits.push((
            EditKind::StatementFirst,
            open,
            typed,
            vec![(
                offset + action_at,
                offset + action_at + STATEMENT_ACTION.len(),
                STATEMENT_ACTION,
            )],
        ));
        let inner = format!("{indent}{}", member_indent_unit(text, first_object));
        let typed = format!(
            "\n{indent}{{\n{inner}\"Effect\": \"Deny\",\n{inner}\"Action\": \"{STATEMENT_ACTION}\",\n{inner}\"Resource\": \"*\"\n{indent}}},"
        );
        let action_at = typed.find(STATEMENT_ACTION).unwrap();
        typed_edits.push((
            EditKind::StatementLines,
            open,
            typed,
            vec![(
                action_at,
                action_at + STATEMENT_ACTION.len(),
                STATEMENT_ACTION,
            )],
        ));
    } else {
        let typed = format!("{statement} ");
        typed_edits.push((
            EditKind::StatementFirst,
            open,
            typed,
            vec![(
                action_at,
                action_at + STATEMENT_ACTION.len(),
                STATEMENT_ACTION,
            )],
        ));
    }

    // A condition block after the last element of the first statement that has none.
    if let Some((value, object)) = objects
        .iter()
        .find(|(_, o)| !o.members.is_empty() && member_value_of(o, "Condition").is_none())
    {
        let last = object.members.last().unwrap();
        let first = &object.members[0];
        let block = "\"StringEquals\": {\"aws:RequestedRegion\": \"eu-west-1\"}";
        let typed =
            if contains_newline(text, value.range.start as usize, first.range.start as usize) {
                let indent = indentation_at(text, first.range.start as usize);
                let unit = member_indent_unit(text, object);
                format!(",\n{indent}\"Condition\": {{\n{indent}{unit}{block}\n{indent}}}")
            } else {
                format!(", \"Condition\": {{{block}}}")
            };
        typed_edits.push((
            EditKind::Condition,
            last.range.end as usize,
            typed,
            Vec::new(),
        ));
    }

    for (kind, at, typed, actions) in typed_edits {
        for auto_close in [false, true] {
            found.push(Script {
                kind,
                auto_close,
                at,
                typed: typed.clone(),
                actions: actions.clone(),
                deleted: 0,
            });
        }
    }

    // Delete the smallest statement (up to the next one, or from the previous one's end).
    let (index, (value, _)) = objects
        .iter()
        .enumerate()
        .min_by_key(|(_, (v, _))| v.range.end - v.range.start)
        .unwrap();
    if value.range.end - value.range.start <= 2_000 {
        let (start, end) = match objects.get(index + 1) {
            Some((next, _)) => (value.range.start, next.range.start),
            None if index > 0 => (objects[index - 1].0.range.end, value.range.end),
            None => (value.range.start, value.range.end),
        };
        found.push(Script {
            kind: EditKind::DeleteStatement,
            auto_close: false,
            at: end as usize,
            typed: String::new(),
            actions: Vec::new(),
            deleted: (end - start) as usize,
        });
    }
    found
}

trait AsObject {
    fn as_object_pub(&self) -> Option<&Object>;
}

impl AsObject for Value {
    fn as_object_pub(&self) -> Option<&Object> {
        match &self.kind {
            ValueKind::Object(o) => Some(o),
            _ => None,
        }
    }
}

/// The first object (depth first) with a `Statement` member.
fn find_policy(value: &Value) -> Option<&Object> {
    match &value.kind {
        ValueKind::Object(o) => {
            if member_value_of(o, "Statement").is_some() {
                return Some(o);
            }
            o.members
                .iter()
                .filter_map(|m| m.value.as_ref())
                .find_map(find_policy)
        }
        ValueKind::Array(a) => a.elements.iter().find_map(find_policy),
        _ => None,
    }
}

fn member_value<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    member_value_of(object, key)
}

fn member_value_of<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    object
        .members
        .iter()
        .find(|m: &&Member| &*m.key.value == key)
        .and_then(|m| m.value.as_ref())
}

fn contains_newline(text: &str, from: usize, to: usize) -> bool {
    text[from..to].contains('\n')
}

/// The whitespace between the start of the line holding `offset` and `offset`.
fn indentation_at(text: &str, offset: usize) -> String {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..offset]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

/// How much deeper a statement's members are indented than its brace (2 spaces when it is
/// on one line).
fn member_indent_unit(text: &str, object: &Object) -> String {
    let Some(first) = object.members.first() else {
        return "  ".into();
    };
    let member = indentation_at(text, first.range.start as usize);
    let line_start = text[..first.range.start as usize]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    if line_start + member.len() != first.range.start as usize {
        return "  ".into();
    }
    // The brace's line is the line before the first member's (in a pretty-printed statement).
    let before = &text[..line_start.saturating_sub(1)];
    let brace_line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let brace: String = before[brace_line_start..]
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    member
        .strip_prefix(&brace)
        .filter(|unit| !unit.is_empty())
        .unwrap_or("  ")
        .to_string()
}

/// One keystroke state of a script: the change that made it and where things are.
#[derive(Clone, Debug)]
pub struct Step {
    /// Replaces this byte range of the previous text.
    pub range: (usize, usize),
    pub insert: String,
    /// The cursor after the keystroke.
    pub cursor: usize,
    /// The action whose string the cursor is in, if any.
    pub in_action: Option<&'static str>,
}

const AUTO_CLOSE_BEFORE: &[u8] = b";:.,=}])> \n\t\r";

/// The keystroke states of `script` on `text`, each with its change.
pub fn steps(text: &str, script: &Script) -> Vec<Step> {
    if script.deleted > 0 {
        let mut steps = Vec::new();
        let mut end = script.at;
        let start = script.at - script.deleted;
        while end > start {
            let width = text[..end].chars().next_back().map_or(1, char::len_utf8);
            steps.push(Step {
                range: (end - width, end),
                insert: String::new(),
                cursor: end - width,
                in_action: None,
            });
            end -= width;
        }
        return steps;
    }
    let typed = &script.typed;
    let in_string = string_states(typed);
    let mut steps = Vec::new();
    // The text auto-inserted after the cursor and not yet stepped over.
    let mut pending = String::new();
    let mut k = 0;
    while k < typed.len() {
        let rest = &typed[k..];
        let key_len = if let Some(line) = rest.strip_prefix('\n') {
            1 + line
                .bytes()
                .take_while(|b| *b == b' ' || *b == b'\t')
                .count()
        } else {
            rest.chars().next().unwrap().len_utf8()
        };
        let key = &rest[..key_len];
        let cursor = script.at + k;
        let after_cursor = if script.auto_close {
            pending
                .bytes()
                .next()
                .or_else(|| text.as_bytes().get(script.at).copied())
        } else {
            text.as_bytes().get(script.at).copied()
        };
        if script.auto_close && pending.starts_with(key) {
            // Steps over what the editor inserted: no change.
            pending.drain(..key_len);
            k += key_len;
            continue;
        }
        let mut insert = key.to_string();
        if script.auto_close {
            let closes_before = after_cursor.is_none_or(|b| AUTO_CLOSE_BEFORE.contains(&b));
            let closer = match key {
                "{" if !in_string[k] => Some("}"),
                "[" if !in_string[k] => Some("]"),
                "\"" if !in_string[k] => Some("\""),
                _ => None,
            };
            if let Some(closer) = closer.filter(|_| closes_before) {
                insert.push_str(closer);
                pending.insert_str(0, closer);
            } else if key.starts_with('\n') {
                // Enter between a bracket and its auto-inserted closer puts the closer on a
                // line of its own, at the bracket's line's indentation.
                let before = typed[..k].trim_end_matches([' ', '\t']);
                let opener = before.chars().next_back();
                let closer_pending = match opener {
                    Some('{') => pending.starts_with('}'),
                    Some('[') => pending.starts_with(']'),
                    _ => false,
                };
                if closer_pending {
                    let line = format!(
                        "\n{}",
                        indentation_at(&format!("{}{}", &text[..script.at], &typed[..k]), cursor)
                    );
                    insert.push_str(&line);
                    pending.insert_str(0, &line);
                }
            }
        }
        k += key_len;
        let in_action = script
            .actions
            .iter()
            .find(|(start, end, _)| *start <= k && k <= *end)
            .map(|(_, _, action)| *action);
        steps.push(Step {
            range: (cursor, cursor),
            insert,
            cursor: script.at + k,
            in_action,
        });
    }
    steps
}

/// For each byte of `typed`, whether it comes inside a string literal (a quote that opens a
/// string is outside, one that closes it inside).
fn string_states(typed: &str) -> Vec<bool> {
    let mut states = Vec::with_capacity(typed.len() + 1);
    let mut inside = false;
    let mut escaped = false;
    for b in typed.bytes() {
        states.push(inside);
        if inside {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                inside = false;
            }
        } else if b == b'"' {
            inside = true;
        }
    }
    states.push(inside);
    states
}
