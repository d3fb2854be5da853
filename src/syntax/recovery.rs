//! Where a half-typed document's missing brackets belong: the parser's decisions that read
//! the layout of the text (indentation, columns, line starts).
//!
//! Someone typing without auto-closed brackets leaves containers open; someone deleting a
//! statement from its end leaves it without its `}`. A JSON parser would let the open
//! container swallow what follows (the next statement, the enclosing list's end) and report
//! errors down to the end of the document. Policies are laid out, and their layout says
//! where containers end:
//!
//! - a statement starts with `{` at the column of its siblings: a `{` at or left of an
//!   enclosing statement's column, where it cannot be a member, starts the next statement
//!   and ends the one being typed ([`Parser::ends_at_sibling`]);
//! - a closing bracket at the start of a line closes the container whose line has its
//!   indentation ([`Parser::closes_outer`]), not a container opened further right on a
//!   line of its own.
//!
//! Decisions taken where the text is an error anyway (a `{` where a key must come) are
//! always on. Those taken where valid JSON could follow (a `{` after a colon, a closing
//! bracket) are on only in the second parse of a document with more opening brackets than
//! closing ones (counted by the parser as it goes), so that no valid document is read differently.

use super::lexer::{Lexer, Token, TokenKind, can_follow_string, is_word_byte};
use super::parser::{Container, Parser};

/// How far back the layout of a line is looked for: past this, a bracket is taken to be
/// far along a long line (a minified document), whose indentation says nothing.
const LINE_LOOKBACK: usize = 256;

/// How many enclosing containers a closing bracket is matched against.
const MATCH_DEPTH: usize = 32;

/// The elements of a statement, by which a `{` is recognised as one.
const STATEMENT_KEYS: &[&str] = &[
    "Sid",
    "Effect",
    "Principal",
    "NotPrincipal",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
];

/// An open container, as the parser keeps it while reading its contents.
pub(super) struct Open {
    pub(super) container: Container,
    /// The offset of its opening bracket.
    at: u32,
    role: Role,
    /// Its line's layout, computed when a recovery first asks.
    layout: Option<Layout>,
}

#[derive(Clone, Copy)]
struct Layout {
    /// The indentation of the bracket's line, when the line start is near enough.
    indent: Option<u32>,
    /// The bracket's column (`u32::MAX` far along a long line).
    column: u32,
}

impl Open {
    pub(super) fn new(container: Container, at: u32, role: Role) -> Self {
        Self {
            container,
            at,
            role,
            layout: None,
        }
    }
}

/// Where a value stands, as recovery needs to know of a container.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Root,
    /// An element of an array (a statement of `Statement`, say).
    Element,
    /// The value of a member named `Statement`.
    Statement,
    /// The value of another member.
    Member,
    /// A value where none belongs (a container where a key must come), parsed to skip it.
    Misplaced,
}

/// Where a `{` that may start a sibling statement is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BraceAt {
    /// Where it cannot be: where a key or a comma must come.
    Misplaced,
    /// Where a value may come (after a colon, or in a list).
    ValueSlot,
}

/// Whether `key` is the name of a statement's element.
pub(super) fn is_statement_key(key: &str) -> bool {
    STATEMENT_KEYS.contains(&key)
}

impl Parser<'_> {
    /// Whether the container at `depth` is a policy's `Statement` list.
    pub(super) fn is_statement_list(&self, depth: usize) -> bool {
        self.open[depth].container == Container::Array && self.open[depth].role == Role::Statement
    }

    /// Whether `token`, a `{` met in the container at `depth`, starts a sibling of the
    /// innermost enclosing array element (`{"Effect": "Deny", "Ac` typed in front of the
    /// next statement): then the containers up to that element are to stop there (the
    /// parser's `close_to` is set), and the `{` is the array's next element.
    ///
    /// Where a `{` cannot be, that is the best reading of it. Where a value may come, it is
    /// only taken so when the `{` starts a line at or left of the element's column (deeper,
    /// it is a value on a line of its own), or when the element is a statement and the
    /// object's first key is a statement's (`"Action": ["s3:GetObject", {"Effect": …` once
    /// the end of a statement is deleted); never in a `Statement` list, whose elements
    /// objects are.
    pub(super) fn ends_at_sibling(&mut self, token: Token, depth: usize, at: BraceAt) -> bool {
        if at == BraceAt::ValueSlot
            && (!self.layout_recovery || self.open[depth].role == Role::Statement)
        {
            // (Where statements are the elements, a `{` is the next of them.)
            return false;
        }
        let Some(target) = (0..=depth).rev().find(|&d| {
            self.open[d].container == Container::Object && self.open[d].role == Role::Element
        }) else {
            return false;
        };
        let sibling = match at {
            BraceAt::Misplaced => true,
            BraceAt::ValueSlot => {
                self.indentation_before(token.range.start)
                    .is_some_and(|column| column <= self.layout(target).column)
                    || (target > 0
                        && self.open[target - 1].role == Role::Statement
                        && self.first_key_is_a_statement_element(token))
            }
        };
        if sibling {
            self.close_to = Some(target);
        }
        sibling
    }

    /// Whether the object opened by `token` starts with a key a statement has.
    fn first_key_is_a_statement_element(&self, token: Token) -> bool {
        let mut lexer = Lexer::new(self.text);
        lexer.rewind_to(token.range.end);
        lexer.skip_whitespace();
        let Some(key) = lexer.next() else {
            return false;
        };
        let raw = &self.text[key.range.as_usize()];
        matches!(
            key.kind,
            TokenKind::String {
                terminated: true,
                ..
            }
        ) && STATEMENT_KEYS.contains(&&raw[1..raw.len() - 1])
    }

    /// Whether `token`, a closing bracket met in the container at `depth`, closes an
    /// enclosing container instead: it starts its line, left of the innermost container's
    /// line, at the indentation of an enclosing container's line of its kind. Then the
    /// containers inside that one are to stop there (`close_to`), and it closes it.
    pub(super) fn closes_outer(&mut self, token: Token, depth: usize) -> bool {
        if !self.layout_recovery {
            return false;
        }
        let Some(indent) = self.indentation_before(token.range.start) else {
            return false;
        };
        if self
            .layout(depth)
            .indent
            .is_none_or(|inner| inner <= indent)
        {
            return false;
        }
        let kind = match token.kind {
            TokenKind::RBrace => Container::Object,
            _ => Container::Array,
        };
        for d in (depth.saturating_sub(MATCH_DEPTH)..depth).rev() {
            if self.open[d].container == kind && self.layout(d).indent == Some(indent) {
                self.close_to = Some(d + 1);
                return true;
            }
        }
        false
    }

    /// The layout of the line of the container at `depth`.
    fn layout(&mut self, depth: usize) -> Layout {
        if let Some(layout) = self.open[depth].layout {
            return layout;
        }
        let at = self.open[depth].at as usize;
        let bytes = self.text.as_bytes();
        let floor = at.saturating_sub(LINE_LOOKBACK);
        let line_start = match bytes[floor..at]
            .iter()
            .rposition(|b| matches!(b, b'\n' | b'\r'))
        {
            Some(i) => Some(floor + i + 1),
            None if floor == 0 => Some(0),
            None => None,
        };
        let layout = match line_start {
            Some(start) => Layout {
                indent: Some(
                    bytes[start..at]
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\t'))
                        .count() as u32,
                ),
                column: (at - start) as u32,
            },
            None => Layout {
                indent: None,
                column: u32::MAX,
            },
        };
        self.open[depth].layout = Some(layout);
        layout
    }

    /// The indentation before `offset` when only spaces and tabs come between the start of
    /// its line and it.
    fn indentation_before(&self, offset: u32) -> Option<u32> {
        let bytes = &self.text.as_bytes()[..offset as usize];
        let blanks = bytes
            .iter()
            .rev()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count();
        match bytes.len().checked_sub(blanks + 1).map(|i| bytes[i]) {
            None | Some(b'\n' | b'\r') => Some(blanks as u32),
            Some(_) => None,
        }
    }
}

/// Whether `text` has more `{` and `[` than `}` and `]` outside strings and comments: the
/// reference for the count the parser keeps as it goes.
#[cfg(test)]
pub(super) fn more_opened_than_closed(text: &str) -> bool {
    let mut balance = 0i64;
    for token in Lexer::new(text) {
        match token.kind {
            TokenKind::LBrace | TokenKind::LBracket => balance += 1,
            TokenKind::RBrace | TokenKind::RBracket => balance -= 1,
            _ => {}
        }
    }
    balance > 0
}

/// A token of a line, as [`reads_as_json`] classes it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LineToken {
    /// A string where a key must come (after `{`, or `,` in an object).
    Key,
    String,
    Colon,
    Comma,
    OpenObject,
    OpenArray,
    Close,
    Scalar,
}

/// Whether the line from the string at `at` reads as JSON text that was there before
/// someone typed in front of it (or as a member of the enclosing object): that string ends on
/// the line, then (up to a few tokens, or the line's end) come tokens that may follow one
/// another in JSON, keys with their colons. A bare word, a stray character, an unterminated
/// string or two tokens that cannot be neighbours mean it does not.
///
/// `key`: the first string must be a key (followed by a colon).
pub(super) fn reads_as_json(bytes: &[u8], at: usize, key: bool) -> bool {
    const TOKENS: usize = 8;
    const LONG_STRING: usize = 128;
    let mut i = at;
    let mut previous: Option<LineToken> = None;
    // The brackets opened on the line, innermost last (`true`: an object).
    let mut open: Vec<bool> = Vec::new();
    for _ in 0..TOKENS {
        while bytes.get(i).is_some_and(|b| matches!(b, b' ' | b'\t')) {
            i += 1;
        }
        let in_object = open.last().copied();
        let token = match bytes.get(i) {
            None | Some(b'\n' | b'\r') => return previous.is_some(),
            Some(b'"') => {
                // The first string must end on the line; a long one after it is taken as fine
                // (the check stays short).
                let limit = if previous.is_none() {
                    usize::MAX
                } else {
                    LONG_STRING
                };
                match scan_string(&bytes[i..], limit) {
                    StringScan::Ends(len) => i += len,
                    StringScan::TooLong => return true,
                    StringScan::Unterminated => return false,
                }
                if bytes.get(i).is_some_and(|b| !can_follow_string(*b)) {
                    return false;
                }
                let key_slot = match previous {
                    None => key,
                    Some(LineToken::OpenObject) => true,
                    Some(LineToken::Comma) => in_object == Some(true),
                    _ => false,
                };
                if key_slot {
                    LineToken::Key
                } else {
                    LineToken::String
                }
            }
            Some(b':') => LineToken::Colon,
            Some(b',') => LineToken::Comma,
            Some(b'{') => LineToken::OpenObject,
            Some(b'[') => LineToken::OpenArray,
            Some(b'}' | b']') => {
                let object = bytes[i] == b'}';
                if open.pop().is_some_and(|o| o != object) {
                    return false;
                }
                LineToken::Close
            }
            Some(_) => {
                let word = bytes[i..].iter().take_while(|b| is_word_byte(**b)).count();
                let scalar = &bytes[i..i + word];
                let number = scalar
                    .first()
                    .is_some_and(|b| *b == b'-' || b.is_ascii_digit());
                if word == 0 || !(number || matches!(scalar, b"true" | b"false" | b"null")) {
                    return false;
                }
                i += word;
                LineToken::Scalar
            }
        };
        match token {
            LineToken::OpenObject => open.push(true),
            LineToken::OpenArray => open.push(false),
            _ => {}
        }
        if !matches!(
            token,
            LineToken::Key | LineToken::String | LineToken::Scalar
        ) {
            i += 1;
        }
        if !may_follow(previous, token, in_object) {
            return false;
        }
        previous = Some(token);
    }
    true
}

/// Whether `next` may come right after `previous` (`None`: `next` is the first token)
/// inside the container `in_object` says (`None`: one the line did not open).
fn may_follow(previous: Option<LineToken>, next: LineToken, in_object: Option<bool>) -> bool {
    use LineToken::*;
    let value = matches!(next, String | OpenObject | OpenArray | Scalar);
    match previous {
        None => matches!(next, Key | String),
        Some(Key) => next == Colon,
        // Outside what the line opened, a string may be a key (a colon) or a value.
        Some(String) => matches!(next, Comma | Close) || (next == Colon && in_object.is_none()),
        Some(Close | Scalar) => matches!(next, Comma | Close),
        Some(Colon) => value,
        Some(Comma) => value || next == Key,
        Some(OpenObject) => matches!(next, Key | Close),
        Some(OpenArray) => value || next == Close,
    }
}

/// How the string literal at the start of some bytes ends.
enum StringScan {
    /// After this many bytes (its quotes included).
    Ends(usize),
    /// At its line's end (or the input's).
    Unterminated,
    /// Not within the limit looked at.
    TooLong,
}

fn scan_string(bytes: &[u8], limit: usize) -> StringScan {
    let mut i = 1;
    loop {
        if i >= limit {
            return StringScan::TooLong;
        }
        let Some(skip) = super::string::find_special(&bytes[i..]) else {
            return StringScan::Unterminated;
        };
        i += skip;
        match bytes[i] {
            b'"' => return StringScan::Ends(i + 1),
            b'\n' | b'\r' => return StringScan::Unterminated,
            b'\\' if matches!(bytes.get(i + 1), Some(b'\n' | b'\r') | None) => {
                return StringScan::Unterminated;
            }
            b'\\' => i += 2,
            _ => i += 1,
        }
        if i >= bytes.len() {
            return StringScan::Unterminated;
        }
    }
}
