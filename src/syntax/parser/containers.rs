//! Containers: objects and arrays, their members, and where an unclosed one ends.

use super::*;

impl<'t> Parser<'t> {
    pub(super) fn parse_object(&mut self, role: Role) -> Value {
        let open = self.bump().range;
        self.object_from(open, role)
    }

    /// A statement pasted without its `{` (`"Effect": "Allow",` where a statement must
    /// come): the object it is, without its brace, which is reported. Its structure is
    /// guessed: recovered.
    pub(super) fn parse_object_without_brace(&mut self) -> Value {
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

    pub(super) fn parse_array(&mut self, role: Role) -> Value {
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
    pub(super) fn skip_too_deep(&mut self) -> Value {
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
