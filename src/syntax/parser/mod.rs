//! An error-recovering recursive-descent JSON parser.
//!
//! It never fails: whatever the input, it returns the tree it could build and the syntax
//! errors it met. Recovery keeps the structure an editor needs while a policy is typed, and
//! costs one error per broken spot: an unclosed container ends where the input ends, where a
//! bracket or a line's indentation says an enclosing container ends, or where a sibling of
//! an enclosing statement starts (`recovery` holds those decisions); a member may lack its
//! colon or value; a missing or extra comma costs one error, and none is asked for after
//! something already reported broken. What the parser had to guess at (an unterminated
//! string, a container it closed itself, a bare word) is recorded in [`Parse::recovered`],
//! so that the analysis draws no conclusion from it.

mod containers;

use super::lexer::{Lexer, Token, TokenKind, is_json_number};
use super::recovery::{self, BraceAt, Open, Role};
use super::string;
use super::tree::{Array, Member, Object, Str, Value, ValueKind};
use super::{Parse, SyntaxError, TextRange};

/// IAM policies nest a few levels deep; serde_json stops at 128. Deeper containers are
/// skipped as one invalid value, which also keeps recursion (and the stack) bounded.
pub(crate) const MAX_DEPTH: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Container {
    Object,
    Array,
}

/// What [`Parser::string_node`] builds a string from.
#[derive(Clone, Copy)]
enum StringKind {
    /// A string token (see [`TokenKind::String`]).
    Quoted { terminated: bool, plain: bool },
    /// A bare word used as a property name.
    Unquoted,
}

/// What a container's loop expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// An element (or member): a comma here is an error.
    Element,
    /// A comma: an element here is an error.
    Comma,
    /// After something already reported broken (an unterminated string, a container closed
    /// by recovery): a comma or the next element, neither an error.
    Either,
}

/// The parser's state before a token it may have to give back (see [`Parser::rewind`]).
#[derive(Clone, Copy)]
struct Mark {
    token: Token,
    errors: usize,
    recovered: usize,
    last_end: u32,
    broken_end: u32,
    brackets: i64,
}

pub(super) struct Parser<'t> {
    pub(super) text: &'t str,
    lexer: Lexer<'t>,
    current: Option<Token>,
    /// End of the last significant token consumed.
    pub(super) last_end: u32,
    pub(super) open: Vec<Open>,
    errors: Vec<SyntaxError>,
    recovered: Vec<TextRange>,
    /// Set when a token ends containers other than the innermost: the containers at this
    /// depth and deeper stop where they are.
    pub(super) close_to: Option<usize>,
    /// Whether the recoveries that read the layout are on (see [`parse`]): a closing bracket
    /// at the indentation of an enclosing container's line ends the containers inside it,
    /// and a `{` where a value may come starts a sibling of an enclosing statement when it
    /// is at that statement's column.
    pub(super) layout_recovery: bool,
    /// The end of the last thing reported broken (an unterminated string, a key without its
    /// colon, a member without its value): a container closed by recovery right after it is
    /// part of the same broken spot (someone typing), not a second error.
    broken_end: u32,
    /// Opening brackets minus closing ones, of the tokens lexed so far (outside strings
    /// and comments).
    brackets: i64,
}

pub fn parse(text: &str) -> Parse {
    let (parse, brackets) = Parser::new(text, false).run();
    // A document with more opening brackets than closing ones is being typed (or was cut):
    // parsed again, its layout says where the missing brackets belong.
    if parse.errors.is_empty() || brackets <= 0 {
        return parse;
    }
    Parser::new(text, true).run().0
}

/// Opening brackets minus closing ones in `text`, as the parser counts them.
#[cfg(test)]
pub(super) fn bracket_balance(text: &str) -> i64 {
    Parser::new(text, false).run().1
}

impl<'t> Parser<'t> {
    fn new(text: &'t str, layout_recovery: bool) -> Self {
        Parser {
            text,
            lexer: Lexer::new(text),
            current: None,
            last_end: 0,
            open: Vec::new(),
            errors: Vec::new(),
            recovered: Vec::new(),
            close_to: None,
            layout_recovery,
            broken_end: u32::MAX,
            brackets: 0,
        }
    }

    /// The parse, and how many more opening brackets than closing ones the text has.
    fn run(mut self) -> (Parse, i64) {
        self.advance();
        let root = if self.current.is_none() {
            self.error(TextRange::empty(0), "the document is empty");
            None
        } else {
            self.parse_value(Role::Root)
        };
        if let Some(extra) = self.current {
            self.error(
                extra.range,
                "unexpected text after the end of the JSON document",
            );
            while self.current.is_some() {
                self.advance();
            }
        }
        let recovered = outermost(self.recovered);
        let parse = Parse {
            root,
            errors: self.errors,
            recovered,
        };
        (parse, self.brackets)
    }
}

impl<'t> Parser<'t> {
    fn error(&mut self, range: TextRange, message: &'static str) {
        // A truncated document leaves several containers open at the same spot: one error
        // there says it all.
        if self.errors.last().is_some_and(|e| e.range == range) {
            return;
        }
        self.errors.push(SyntaxError { range, message });
    }

    fn eof_range(&self) -> TextRange {
        TextRange::from_usize(self.text.len()..self.text.len())
    }

    /// Moves to the next significant token, reporting the comments it passes.
    fn advance(&mut self) {
        if let Some(token) = self.current {
            self.last_end = token.range.end;
        }
        loop {
            // Whitespace never reaches the parser: skipping it here spares a token per run.
            self.lexer.skip_whitespace();
            let Some(token) = self.lexer.next() else {
                self.current = None;
                return;
            };
            match token.kind {
                TokenKind::Whitespace => {}
                TokenKind::LineComment | TokenKind::BlockComment { terminated: true } => {
                    self.errors.push(SyntaxError {
                        range: token.range,
                        message: "comments are not allowed in JSON (IAM rejects them)",
                    });
                }
                TokenKind::BlockComment { terminated: false } => {
                    self.errors.push(SyntaxError {
                        range: token.range,
                        message: "unterminated comment (and comments are not allowed in JSON)",
                    });
                }
                _ => {
                    self.brackets += bracket_delta(token.kind);
                    self.current = Some(token);
                    return;
                }
            }
        }
    }

    fn bump(&mut self) -> Token {
        let token = self.current.unwrap_or(Token {
            kind: TokenKind::Unknown,
            range: self.eof_range(),
        });
        self.advance();
        token
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.current.is_some_and(|t| t.kind == kind)
    }

    fn inside(&self, container: Container) -> bool {
        self.open.iter().any(|o| o.container == container)
    }

    /// The state before the current token, to [`rewind`](Parser::rewind) to.
    fn mark(&self, token: Token) -> Mark {
        Mark {
            token,
            errors: self.errors.len(),
            recovered: self.recovered.len(),
            last_end: self.last_end,
            broken_end: self.broken_end,
            // (Before its token, which is lexed again.)
            brackets: self.brackets - bracket_delta(token.kind),
        }
    }

    /// Gives back everything parsed since `mark`: its token is the current one again.
    fn rewind(&mut self, mark: Mark) {
        self.errors.truncate(mark.errors);
        self.recovered.truncate(mark.recovered);
        self.broken_end = mark.broken_end;
        self.brackets = mark.brackets;
        self.lexer.rewind_to(mark.token.range.start);
        self.current = None;
        self.advance();
        self.last_end = mark.last_end;
    }

    /// Whether the loop of the container at `depth` must stop: a token ended it and the
    /// containers inside it (see [`Parser::close_to`]).
    fn stopped(&self, depth: usize) -> bool {
        self.close_to.is_some_and(|d| d <= depth)
    }

    /// `role`: where the value stands (what recovery needs to know of a container).
    fn parse_value(&mut self, role: Role) -> Option<Value> {
        let token = self.current?;
        let value = match token.kind {
            TokenKind::LBrace | TokenKind::LBracket if self.open.len() >= MAX_DEPTH => {
                self.skip_too_deep()
            }
            TokenKind::LBrace => self.parse_object(role),
            TokenKind::LBracket => self.parse_array(role),
            TokenKind::String { terminated, plain } => {
                self.bump();
                let s = self.string_node(token.range, StringKind::Quoted { terminated, plain });
                // Returned from here: most values are strings, and the shared exit below cost
                // them a second copy of the value.
                return Some(Value {
                    range: token.range,
                    kind: ValueKind::String(s),
                });
            }
            TokenKind::Number => {
                self.bump();
                if !is_json_number(&self.text[token.range.as_usize()]) {
                    self.error(token.range, "invalid number");
                }
                leaf(token.range, ValueKind::Number)
            }
            TokenKind::True | TokenKind::False => {
                self.bump();
                leaf(token.range, ValueKind::Bool(token.kind == TokenKind::True))
            }
            TokenKind::Null => {
                self.bump();
                leaf(token.range, ValueKind::Null)
            }
            TokenKind::Word => {
                self.bump();
                self.error(
                    token.range,
                    "expected a value; strings must be in double quotes",
                );
                self.invalid(token.range)
            }
            TokenKind::Unknown => {
                self.bump();
                self.error(token.range, "unexpected character");
                self.invalid(token.range)
            }
            TokenKind::RBrace
            | TokenKind::RBracket
            | TokenKind::Colon
            | TokenKind::Comma
            | TokenKind::Whitespace
            | TokenKind::LineComment
            | TokenKind::BlockComment { .. } => return None,
        };
        Some(value)
    }

    fn invalid(&mut self, range: TextRange) -> Value {
        self.recovered.push(range);
        leaf(range, ValueKind::Invalid)
    }

    // Inlined: it runs for every string, and the copy of the Str it returns cost as much as
    // building it.
    #[inline(always)]
    fn string_node(&mut self, range: TextRange, kind: StringKind) -> Str {
        let raw = &self.text[range.as_usize()];
        let (terminated, plain) = match kind {
            StringKind::Quoted { terminated, plain } => (terminated, plain),
            StringKind::Unquoted => {
                return Str {
                    range,
                    value: raw.into(),
                    terminated: true,
                    quoted: false,
                };
            }
        };
        if !terminated {
            self.unterminated(range);
        }
        // Nearly every string in a policy is plain: its value is its text, copied as is.
        let value = if plain {
            string::contents(raw, terminated).into()
        } else {
            self.decode_string(range, terminated)
        };
        Str {
            range,
            value,
            terminated,
            quoted: true,
        }
    }

    /// A member's value is missing after its colon (which ends at `after_colon`).
    fn missing_value(&mut self, after_colon: u32) {
        self.error(TextRange::empty(after_colon), "expected a value");
        self.broken_end = after_colon;
    }

    #[inline(never)]
    fn unterminated(&mut self, range: TextRange) {
        self.error(range, "unterminated string");
        self.recovered.push(range);
        self.broken_end = range.end;
    }

    /// The value of a string with escapes or control characters, reporting its problems.
    /// Out of line: rare, and it keeps [`Parser::string_node`] small enough to inline.
    #[inline(never)]
    fn decode_string(&mut self, range: TextRange, terminated: bool) -> Box<str> {
        let (value, problems) = string::decode(&self.text[range.as_usize()], terminated);
        for problem in problems {
            let start = range.start as usize + problem.offset;
            let end = (start + problem.len).min(range.end as usize);
            self.error(TextRange::from_usize(start..end), problem.message);
        }
        value
    }
}

/// The ranges of `ranges` that no other contains, sorted. Recovered ranges nest (a string
/// in a container) or are apart, so those left are disjoint.
fn outermost(mut ranges: Vec<TextRange>) -> Vec<TextRange> {
    ranges.sort_unstable_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    ranges.dedup_by(|inner, outer| outer.contains_range(*inner));
    ranges
}

/// Already reported, and not finished: no comma is asked for after it.
fn is_broken(value: &Value) -> bool {
    match &value.kind {
        ValueKind::String(s) => !s.terminated,
        ValueKind::Object(o) => !o.closed,
        ValueKind::Array(a) => !a.closed,
        ValueKind::Invalid => true,
        ValueKind::Number | ValueKind::Bool(_) | ValueKind::Null => false,
    }
}

fn leaf(range: TextRange, kind: ValueKind) -> Value {
    Value { range, kind }
}

fn bracket_delta(kind: TokenKind) -> i64 {
    match kind {
        TokenKind::LBrace | TokenKind::LBracket => 1,
        TokenKind::RBrace | TokenKind::RBracket => -1,
        _ => 0,
    }
}

/// Whether a token ends a value's slot: a missing value is reported before it.
fn ends_value(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::RBrace | TokenKind::RBracket | TokenKind::Comma
    )
}

fn starts_value(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::LBrace
            | TokenKind::LBracket
            | TokenKind::String { .. }
            | TokenKind::Number
            | TokenKind::True
            | TokenKind::False
            | TokenKind::Null
    )
}
