//! An error-recovering recursive-descent JSON parser.
//!
//! It never fails: whatever the input, it returns the tree it could build and the syntax
//! errors it met. Recovery keeps the structure an editor needs while a policy is typed: an
//! unclosed container ends where the input (or a mismatched bracket) ends, a member may lack
//! its colon or value, and a missing or extra comma costs one error, not the rest of the
//! document.

use super::lexer::{Lexer, Token, TokenKind, is_json_number};
use super::string;
use super::tree::{Array, Member, Object, Str, Value, ValueKind};
use super::{Parse, SyntaxError, TextRange};

/// IAM policies nest a few levels deep; serde_json stops at 128. Deeper containers are
/// skipped as one invalid value, which also keeps recursion (and the stack) bounded.
pub(crate) const MAX_DEPTH: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Container {
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

struct Parser<'t> {
    text: &'t str,
    lexer: Lexer<'t>,
    current: Option<Token>,
    /// End of the last significant token consumed.
    last_end: u32,
    open: Vec<Container>,
    errors: Vec<SyntaxError>,
}

pub fn parse(text: &str) -> Parse {
    let mut parser = Parser {
        text,
        lexer: Lexer::new(text),
        current: None,
        last_end: 0,
        open: Vec::new(),
        errors: Vec::new(),
    };
    parser.advance();
    let root = if parser.current.is_none() {
        parser.error(TextRange::empty(0), "the document is empty");
        None
    } else {
        parser.parse_value()
    };
    if let Some(extra) = parser.current {
        parser.error(
            extra.range,
            "unexpected text after the end of the JSON document",
        );
        while parser.current.is_some() {
            parser.advance();
        }
    }
    Parse {
        root,
        errors: parser.errors,
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
        self.open.contains(&container)
    }

    fn parse_value(&mut self) -> Option<Value> {
        let token = self.current?;
        let value = match token.kind {
            TokenKind::LBrace | TokenKind::LBracket if self.open.len() >= MAX_DEPTH => {
                self.skip_too_deep()
            }
            TokenKind::LBrace => self.parse_object(),
            TokenKind::LBracket => self.parse_array(),
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
                leaf(token.range, ValueKind::Invalid)
            }
            TokenKind::Unknown => {
                self.bump();
                self.error(token.range, "unexpected character");
                leaf(token.range, ValueKind::Invalid)
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
            self.error(range, "unterminated string");
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

    fn parse_object(&mut self) -> Value {
        let open = self.bump();
        self.open.push(Container::Object);
        let mut members: Vec<Member> = Vec::new();
        let mut closed = false;
        let mut expecting_member = true;
        while let Some(token) = self.current {
            match token.kind {
                TokenKind::RBrace => {
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::RBracket if self.inside(Container::Array) => break,
                TokenKind::RBracket => {
                    self.error(token.range, "unexpected ']'");
                    self.bump();
                }
                TokenKind::Comma => {
                    if expecting_member {
                        self.error(token.range, "unexpected ','");
                    }
                    self.bump();
                    expecting_member = true;
                    if self.at(TokenKind::RBrace) {
                        self.error(token.range, "trailing comma before '}'");
                    }
                }
                TokenKind::String { .. } | TokenKind::Word => {
                    if !expecting_member {
                        self.error(token.range, "expected ',' before this member");
                    }
                    let member = self.parse_member();
                    members.push(member);
                    expecting_member = false;
                }
                TokenKind::Colon => {
                    self.error(token.range, "unexpected ':'");
                    self.bump();
                }
                _ => {
                    self.error(token.range, "expected a property name in double quotes");
                    if self.parse_value().is_none() {
                        self.bump();
                    }
                }
            }
        }
        if !closed {
            let at = self.current.map_or(self.eof_range(), |t| t.range);
            self.error(at, "expected '}' to close the object");
        }
        self.open.pop();
        // A vector grows to four slots at its first push: a statement's three members would
        // keep a fourth, a quarter of the tree's largest allocations (docs/PERFORMANCE.md).
        members.shrink_to_fit();
        Value {
            range: TextRange::new(open.range.start, self.container_end(closed, open.range.end)),
            kind: ValueKind::Object(Object { members, closed }),
        }
    }

    fn parse_member(&mut self) -> Member {
        let key_token = self.bump();
        let key = match key_token.kind {
            TokenKind::String { terminated, plain } => {
                self.string_node(key_token.range, StringKind::Quoted { terminated, plain })
            }
            _ => {
                self.error(key_token.range, "property names must be in double quotes");
                self.string_node(key_token.range, StringKind::Unquoted)
            }
        };
        let mut colon = None;
        if self.at(TokenKind::Colon) {
            colon = Some(self.bump().range);
        } else {
            self.error(key.range, "expected ':' after the property name");
            // `"Effect" "Allow"` on one line: take the value anyway; across lines the next
            // string is more likely the next key.
            let value_follows_on_same_line = self.current.is_some_and(|t| {
                starts_value(t.kind)
                    && !self.text[key.range.end as usize..t.range.start as usize].contains('\n')
            });
            if !value_follows_on_same_line {
                return Member {
                    range: key.range,
                    key,
                    colon,
                    value: None,
                };
            }
        }
        let value = self.parse_value();
        if value.is_none() {
            let at = self.current.map_or(self.eof_range(), |t| t.range);
            self.error(at, "expected a value");
        }
        let end = value.as_ref().map_or(self.last_end, |v| v.range.end);
        Member {
            range: TextRange::new(key.range.start, end.max(key.range.end)),
            key,
            colon,
            value,
        }
    }

    fn parse_array(&mut self) -> Value {
        let open = self.bump();
        self.open.push(Container::Array);
        let mut elements = Vec::new();
        let mut closed = false;
        let mut expecting_value = true;
        while let Some(token) = self.current {
            match token.kind {
                TokenKind::RBracket => {
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::RBrace if self.inside(Container::Object) => break,
                TokenKind::RBrace => {
                    self.error(token.range, "unexpected '}'");
                    self.bump();
                }
                TokenKind::Comma => {
                    if expecting_value {
                        self.error(token.range, "unexpected ','");
                    }
                    self.bump();
                    expecting_value = true;
                    if self.at(TokenKind::RBracket) {
                        self.error(token.range, "trailing comma before ']'");
                    }
                }
                TokenKind::Colon => {
                    self.error(token.range, "unexpected ':'");
                    self.bump();
                }
                _ => {
                    if !expecting_value {
                        self.error(token.range, "expected ',' before this element");
                    }
                    match self.parse_value() {
                        Some(value) => elements.push(value),
                        None => {
                            self.bump();
                        }
                    }
                    expecting_value = false;
                }
            }
        }
        if !closed {
            let at = self.current.map_or(self.eof_range(), |t| t.range);
            self.error(at, "expected ']' to close the array");
        }
        self.open.pop();
        elements.shrink_to_fit();
        Value {
            range: TextRange::new(open.range.start, self.container_end(closed, open.range.end)),
            kind: ValueKind::Array(Array { elements, closed }),
        }
    }

    /// Where a container ends: after its closing bracket; when the input ran out first, at
    /// the end of the input (the cursor of someone typing is inside it); when a mismatched
    /// bracket ended it, after the last token it holds.
    fn container_end(&self, closed: bool, open_end: u32) -> u32 {
        if !closed && self.current.is_none() {
            return TextRange::from_usize(0..self.text.len()).end;
        }
        self.last_end.max(open_end)
    }

    /// Skips a container nested deeper than [`MAX_DEPTH`] without recursing.
    fn skip_too_deep(&mut self) -> Value {
        let start = self.bump().range.start;
        let mut depth = 1usize;
        while let Some(token) = self.current {
            match token.kind {
                TokenKind::LBrace | TokenKind::LBracket => depth += 1,
                TokenKind::RBrace | TokenKind::RBracket => depth -= 1,
                _ => {}
            }
            self.bump();
            if depth == 0 {
                break;
            }
        }
        let range = TextRange::new(start, self.last_end);
        self.error(range, "nested more than 128 levels deep");
        leaf(range, ValueKind::Invalid)
    }
}

fn leaf(range: TextRange, kind: ValueKind) -> Value {
    Value { range, kind }
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
