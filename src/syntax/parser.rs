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

    fn parse_object(&mut self, role: Role) -> Value {
        let open = self.bump().range;
        self.object_from(open, role)
    }

    /// A statement pasted without its `{` (`"Effect": "Allow",` where a statement must
    /// come): the object it is, without its brace, which is reported. Its structure is
    /// guessed: recovered.
    fn parse_object_without_brace(&mut self) -> Value {
        let key = self.current.map_or(self.eof_range(), |t| t.range);
        self.error(
            key,
            "expected '{' before this property: a statement starts with '{'",
        );
        let value = self.object_from(TextRange::empty(key.start), Role::Element);
        self.recovered.push(value.range);
        value
    }

    /// An object's members, from its opening brace at `open` (empty when it is missing).
    fn object_from(&mut self, open: TextRange, role: Role) -> Value {
        let depth = self.open.len();
        self.open
            .push(Open::new(Container::Object, open.start, role));
        let mut members: Vec<Member> = Vec::new();
        let mut closed = false;
        let mut expect = Expect::Element;
        let mut last_comma: Option<TextRange> = None;
        let mut colonless = false;
        while let Some(token) = self.current {
            if self.stopped(depth) {
                break;
            }
            match token.kind {
                TokenKind::RBrace => {
                    if self.closes_outer(token, depth) {
                        break;
                    }
                    // Reported here, not at the comma: a bracket that closes an enclosing
                    // container leaves this one unclosed, which is the error then.
                    if let Some(comma) = last_comma.filter(|c| c.end == self.last_end) {
                        self.error(comma, "trailing comma before '}'");
                    }
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::RBracket => {
                    if self.closes_outer(token, depth) || self.inside(Container::Array) {
                        break;
                    }
                    self.error(token.range, "unexpected ']'");
                    self.bump();
                }
                TokenKind::Comma => {
                    if expect == Expect::Element {
                        self.error(token.range, "unexpected ','");
                    }
                    self.bump();
                    expect = Expect::Element;
                    last_comma = Some(token.range);
                }
                TokenKind::String { .. } | TokenKind::Word => {
                    if expect == Expect::Comma {
                        self.error(token.range, "expected ',' before this member");
                    }
                    let (member, broken) = self.parse_member(colonless);
                    // Neither its key nor its value is certain.
                    colonless = member.colon.is_none();
                    if colonless {
                        self.recovered.push(member.range);
                    }
                    members.push(member);
                    expect = if broken {
                        Expect::Either
                    } else {
                        Expect::Comma
                    };
                }
                TokenKind::Colon => {
                    self.error(token.range, "unexpected ':'");
                    self.bump();
                }
                TokenKind::LBrace if self.ends_at_sibling(token, depth, BraceAt::Misplaced) => {
                    break;
                }
                _ => {
                    self.error(token.range, "expected a property name in double quotes");
                    if self.parse_value(Role::Misplaced).is_none() {
                        self.bump();
                    }
                }
            }
        }
        self.end_container(depth, closed, "expected '}' to close the object");
        let range = TextRange::new(open.start, self.container_end(closed, open.end));
        if !closed && self.current.is_some() {
            self.recovered.push(range);
        }
        // A vector grows to four slots at its first push: a statement's three members would
        // keep a fourth, a quarter of the tree's largest allocations (docs/PERFORMANCE.md).
        members.shrink_to_fit();
        Value {
            range,
            kind: ValueKind::Object(Object { members, closed }),
        }
    }

    /// A member, and whether it is broken (reported already: no comma is asked for after it).
    ///
    /// `after_colonless`: the previous member had no colon either. A run of those is list
    /// elements read as keys (a list closed too early, a fragment pasted into one): one error
    /// for the run, at its first.
    fn parse_member(&mut self, after_colonless: bool) -> (Member, bool) {
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
        let without_value = |key: Str, colon| Member {
            range: key.range,
            key,
            colon,
            value: None,
        };
        if self.at(TokenKind::Colon) {
            colon = Some(self.bump().range);
        } else {
            if !after_colonless {
                self.error(key.range, "expected ':' after the property name");
            }
            // `"Effect" "Allow"` on one line: take the value anyway; across lines the next
            // string is more likely the next key, and after a key still being typed, it is
            // what was there before.
            let value_follows_on_same_line = key.terminated
                && self.current.is_some_and(|t| {
                    starts_value(t.kind)
                        && !self.text[key.range.end as usize..t.range.start as usize].contains('\n')
                });
            if !value_follows_on_same_line {
                self.broken_end = key.range.end;
                return (without_value(key, colon), true);
            }
        }
        let after_colon = self.last_end;
        if let Some(token) = self.current.filter(|t| t.kind == TokenKind::LBrace)
            && self.ends_at_sibling(token, self.open.len() - 1, BraceAt::ValueSlot)
        {
            // `"Effect":` with the next statement on the next line (or `"Effect"` before it
            // on the same line: the missing colon is reported already).
            if colon.is_some() {
                self.missing_value(after_colon);
            } else {
                self.broken_end = key.range.end;
            }
            return (without_value(key, colon), true);
        }
        let mark = self.current.map(|token| self.mark(token));
        let role = if &*key.value == "Statement" {
            Role::Statement
        } else {
            Role::Member
        };
        let errors_before = self.errors.len();
        let value = self.parse_value(role);
        if let (
            Some(Value {
                range,
                kind: ValueKind::String(_),
            }),
            Some(mark),
        ) = (&value, mark)
            && self.at(TokenKind::Colon)
            && self.text[after_colon as usize..range.start as usize].contains('\n')
        {
            // `"Action":` then, on the next line, `"Resource": …`: the value is not there yet
            // and the string is the next key.
            self.rewind(mark);
            self.missing_value(after_colon);
            return (without_value(key, colon), true);
        }
        let broken = match &value {
            None => {
                match self.current {
                    // `"Action": }`, `"Action": ,`: the value is missing after the colon,
                    // where a container closed here would be reported too.
                    Some(t) if ends_value(t.kind) => self.missing_value(after_colon),
                    Some(t) => self.error(t.range, "expected a value"),
                    None => {
                        let at = self.eof_range();
                        self.error(at, "expected a value");
                    }
                }
                true
            }
            Some(value) => is_broken(value) || self.errors.len() > errors_before,
        };
        let end = value.as_ref().map_or(self.last_end, |v| v.range.end);
        let member = Member {
            range: TextRange::new(key.range.start, end.max(key.range.end)),
            key,
            colon,
            value,
        };
        (member, broken)
    }

    fn parse_array(&mut self, role: Role) -> Value {
        let open = self.bump();
        let depth = self.open.len();
        self.open
            .push(Open::new(Container::Array, open.range.start, role));
        let mut elements: Vec<Value> = Vec::new();
        let mut closed = false;
        let mut expect = Expect::Element;
        let mut last_comma: Option<TextRange> = None;
        // The last element when it is a string right before the current token: followed by
        // a colon, it is the key of the enclosing object's next member.
        let mut last_string: Option<Mark> = None;
        while let Some(token) = self.current {
            if self.stopped(depth) {
                break;
            }
            match token.kind {
                TokenKind::RBracket => {
                    if self.closes_outer(token, depth) {
                        break;
                    }
                    // Reported here, not at the comma: a bracket that closes an enclosing
                    // container leaves this one unclosed, which is the error then.
                    if let Some(comma) = last_comma.filter(|c| c.end == self.last_end) {
                        self.error(comma, "trailing comma before ']'");
                    }
                    self.bump();
                    closed = true;
                    break;
                }
                TokenKind::RBrace => {
                    if self.closes_outer(token, depth) || self.inside(Container::Object) {
                        break;
                    }
                    self.error(token.range, "unexpected '}'");
                    self.bump();
                }
                TokenKind::Comma => {
                    if expect == Expect::Element {
                        self.error(token.range, "unexpected ','");
                    }
                    self.bump();
                    expect = Expect::Element;
                    last_string = None;
                    last_comma = Some(token.range);
                }
                TokenKind::Colon => {
                    // `"Effect": "Allow",` where a statement must come: a statement pasted
                    // without its `{`.
                    if let Some(mark) = last_string.filter(|_| {
                        self.is_statement_list(depth)
                            && elements.last().is_some_and(|e| match &e.kind {
                                ValueKind::String(s) => recovery::is_statement_key(&s.value),
                                _ => false,
                            })
                    }) {
                        elements.pop();
                        self.rewind(mark);
                        let statement = self.parse_object_without_brace();
                        expect = Expect::Either;
                        last_string = None;
                        elements.push(statement);
                        continue;
                    }
                    let in_object =
                        depth > 0 && self.open[depth - 1].container == Container::Object;
                    // `"Action": ["s3:GetObject",` then `"Resource": "*"`: the list was not
                    // closed, and the string is the next member's key. Only in a document
                    // with brackets missing: in any other, the list goes on after the colon.
                    if let Some(mark) = last_string.take().filter(|mark| {
                        in_object
                            && self.layout_recovery
                            && recovery::reads_as_json(
                                self.text.as_bytes(),
                                mark.token.range.start as usize,
                                true,
                            )
                    }) {
                        elements.pop();
                        self.rewind(mark);
                        break;
                    }
                    self.error(token.range, "unexpected ':'");
                    self.bump();
                }
                TokenKind::LBrace
                    if !elements
                        .iter()
                        .any(|e| matches!(e.kind, ValueKind::Object(_)))
                        && self.ends_at_sibling(
                            token,
                            depth,
                            if expect == Expect::Comma {
                                BraceAt::Misplaced
                            } else {
                                BraceAt::ValueSlot
                            },
                        ) =>
                {
                    break;
                }
                _ => {
                    let mark = self.mark(token);
                    if expect == Expect::Comma {
                        self.error(token.range, "expected ',' before this element");
                    }
                    let errors_before = self.errors.len();
                    match self.parse_value(Role::Element) {
                        Some(value) => {
                            // A statement with a key still being typed, say: its spot is
                            // reported, and no comma is asked for after it.
                            expect = if is_broken(&value) || self.errors.len() > errors_before {
                                Expect::Either
                            } else {
                                Expect::Comma
                            };
                            last_string =
                                matches!(value.kind, ValueKind::String(_)).then_some(mark);
                            elements.push(value);
                        }
                        None => {
                            self.bump();
                            expect = Expect::Comma;
                            last_string = None;
                        }
                    }
                }
            }
        }
        self.end_container(depth, closed, "expected ']' to close the array");
        let range = TextRange::new(open.range.start, self.container_end(closed, open.range.end));
        if !closed && self.current.is_some() {
            self.recovered.push(range);
        }
        elements.shrink_to_fit();
        Value {
            range,
            kind: ValueKind::Array(Array { elements, closed }),
        }
    }

    /// Reports an unclosed container and leaves it. Where the input ended, the error is at
    /// the end; where recovery closed it, right after its last token (where the bracket is
    /// missing); unless that token is already reported broken (a string still being typed, a
    /// key without its colon): the same spot.
    fn end_container(&mut self, depth: usize, closed: bool, message: &'static str) {
        if self.close_to == Some(depth) {
            self.close_to = None;
        }
        self.open.pop();
        if closed {
            return;
        }
        if self.broken_end == self.last_end {
            return;
        }
        match self.current {
            None => {
                let at = self.eof_range();
                self.error(at, message);
            }
            Some(_) => self.error(TextRange::empty(self.last_end), message),
        }
    }

    /// Where a container ends: after its closing bracket; when the input ran out first, at
    /// the end of the input (the cursor of someone typing is inside it); when recovery ended
    /// it, after the last token it holds.
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
        self.invalid(range)
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
