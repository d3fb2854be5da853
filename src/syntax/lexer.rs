//! A lossless JSON lexer: every byte of the input belongs to exactly one token.
//!
//! It never fails. Text JSON does not allow (comments, bare words, stray characters,
//! unterminated strings) becomes tokens of their own kinds, which the parser reports.

use super::TextRange;

// A tag byte of its own (instead of one hidden in the string's flags) makes every test of a
// token's kind a single comparison.
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Colon,
    Comma,
    /// A string literal. `terminated` is false when it runs to the end of its line or of the input.
    /// `plain` is true when it holds no backslash and no control character: its value is then
    /// its text between the quotes, and the parser copies it without decoding (the lexer has
    /// already looked at every byte).
    String {
        terminated: bool,
        plain: bool,
    },
    Number,
    True,
    False,
    Null,
    /// A run of letters, digits and `_$.-+` that is not a keyword, e.g. `Allow` without quotes.
    Word,
    Whitespace,
    /// `// …` up to the end of the line.
    LineComment,
    /// `/* … */`; `terminated` is false when the input ends first.
    BlockComment {
        terminated: bool,
    },
    /// Any other character (one whole UTF-8 scalar value).
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub(crate) kind: TokenKind,
    pub range: TextRange,
}

pub struct Lexer<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
}

impl<'t> Lexer<'t> {
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
        }
    }

    /// Lexing goes on from `pos` (a token boundary the parser saw before).
    pub(crate) fn rewind_to(&mut self, pos: u32) {
        self.pos = pos as usize;
    }

    fn peek_byte(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn eat_while(&mut self, predicate: impl Fn(u8) -> bool) {
        while let Some(b) = self.peek_byte(0) {
            if !predicate(b) {
                break;
            }
            self.pos += 1;
        }
    }

    /// Moves past whitespace. Pretty-printed policies indent every line with a run of
    /// spaces (a quarter of a large policy's bytes), so runs of spaces go 8 at a time.
    pub(crate) fn skip_whitespace(&mut self) {
        const SPACES: u64 = u64::from_le_bytes([b' '; 8]);
        loop {
            match self.peek_byte(0) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                _ => return,
            }
            while let Some(word) = self.bytes.get(self.pos..).and_then(<[u8]>::first_chunk) {
                // The number of spaces the next 8 bytes start with (their first byte first).
                let spaces = ((u64::from_le_bytes(*word) ^ SPACES).trailing_zeros() / 8) as usize;
                self.pos += spaces;
                if spaces < 8 {
                    break;
                }
            }
        }
    }

    #[inline]
    fn lex_string(&mut self) -> TokenKind {
        let start = self.pos;
        self.pos += 1; // opening quote
        let mut plain = true;
        loop {
            let rest = self.bytes.get(self.pos..).unwrap_or_default();
            let Some(skip) = super::string::find_special(rest) else {
                return self.unterminated(start, self.bytes.len(), plain, false);
            };
            self.pos += skip;
            match self.peek_byte(0) {
                Some(b'"') => {
                    self.pos += 1;
                    if self.peek_byte(0).is_some_and(|b| !can_follow_string(b)) {
                        return self.quote_opens_next_string(start, plain);
                    }
                    return TokenKind::String {
                        terminated: true,
                        plain,
                    };
                }
                // A half-typed string ends at its line's end, so the next lines keep their structure.
                Some(b'\n' | b'\r') | None => {
                    return self.unterminated(start, self.pos, plain, false);
                }
                Some(b'\\') => {
                    plain = false;
                    self.pos += 1;
                    match self.peek_byte(0) {
                        None | Some(b'\n') | Some(b'\r') => {}
                        Some(_) => self.advance_one_char(),
                    }
                }
                // Another control character: part of the string (the parser reports it).
                Some(_) => {
                    plain = false;
                    self.pos += 1;
                }
            }
        }
    }

    /// A string's closing quote is followed by a character that cannot follow a string
    /// (`"support:desc"ec2:DescribeInstances", …`): someone is typing a string in front of
    /// another one on the same line, and the quotes pair the wrong way. When the rest of the
    /// line from that quote reads as JSON, the quote is taken as its opening one, and the string
    /// being typed ends before it, unterminated (and before the blanks that the quote
    /// followed: they belong to the text that was there). Otherwise the string stays as it
    /// was lexed. Never on valid JSON, where a string is always followed by whitespace,
    /// punctuation or the end.
    #[inline(never)]
    fn quote_opens_next_string(&mut self, start: usize, plain: bool) -> TokenKind {
        let quote = self.pos - 1;
        if !super::recovery::reads_as_json(self.bytes, quote, false) {
            return TokenKind::String {
                terminated: true,
                plain,
            };
        }
        self.unterminated(start, quote, plain, true)
    }

    /// An unterminated string from `start` to `end`, where lexing goes on. It ends before a
    /// `{` or `[` it ends with (after blanks): in a string being typed or deleted in front of
    /// a statement or a list, that bracket is the text that was there, and stays structure
    /// (but `${` starts a policy variable). `trim_blanks`: it also ends before trailing
    /// blanks.
    #[inline(never)]
    fn unterminated(
        &mut self,
        start: usize,
        end: usize,
        plain: bool,
        trim_blanks: bool,
    ) -> TokenKind {
        let content = start + 1;
        let blank = |b: u8| matches!(b, b' ' | b'\t');
        let mut trimmed = end;
        while trimmed > content && blank(self.bytes[trimmed - 1]) {
            trimmed -= 1;
        }
        let bracket = trimmed > content
            && matches!(self.bytes[trimmed - 1], b'{' | b'[')
            && !(self.bytes[trimmed - 1] == b'{'
                && trimmed >= content + 2
                && self.bytes[trimmed - 2] == b'$');
        if bracket {
            trimmed -= 1;
            while trimmed > content && blank(self.bytes[trimmed - 1]) {
                trimmed -= 1;
            }
        }
        self.pos = if bracket || trim_blanks { trimmed } else { end };
        // What was cut off may have held the only special byte (a tab, say).
        let plain = plain
            || (self.pos < end
                && super::string::find_special(&self.bytes[content..self.pos]).is_none());
        TokenKind::String {
            terminated: false,
            plain,
        }
    }

    /// Advances over one UTF-8 scalar value (the text is valid UTF-8, so boundaries are exact).
    #[inline(never)]
    fn advance_one_char(&mut self) {
        let width = self.text[self.pos..]
            .chars()
            .next()
            .map_or(1, char::len_utf8);
        self.pos += width;
    }

    #[inline(never)]
    fn lex_word(&mut self) -> TokenKind {
        let start = self.pos;
        self.eat_while(is_word_byte);
        match &self.text[start..self.pos] {
            "true" => TokenKind::True,
            "false" => TokenKind::False,
            "null" => TokenKind::Null,
            _ => TokenKind::Word,
        }
    }

    /// An unquoted template placeholder such as `${ORG_ID}` (from tools that fill policies
    /// in): one bad word, so the braces inside do not derail the structure around it.
    #[inline(never)]
    fn lex_placeholder(&mut self) -> TokenKind {
        self.pos += 2;
        while let Some(b) = self.peek_byte(0) {
            match b {
                b'}' => {
                    self.pos += 1;
                    break;
                }
                b'\n' | b'\r' | b'"' | b'{' => break,
                _ => self.advance_one_char(),
            }
        }
        self.eat_while(is_word_byte);
        TokenKind::Word
    }

    #[inline(never)]
    fn lex_slash(&mut self) -> TokenKind {
        match self.peek_byte(1) {
            Some(b'/') => {
                self.eat_while(|b| b != b'\n' && b != b'\r');
                TokenKind::LineComment
            }
            Some(b'*') => {
                self.pos += 2;
                while let Some(b) = self.peek_byte(0) {
                    if b == b'*' && self.peek_byte(1) == Some(b'/') {
                        self.pos += 2;
                        return TokenKind::BlockComment { terminated: true };
                    }
                    self.pos += 1;
                }
                TokenKind::BlockComment { terminated: false }
            }
            _ => {
                self.pos += 1;
                TokenKind::Unknown
            }
        }
    }
}

/// What may come right after a string in JSON, valid or being typed: whitespace,
/// punctuation, another string (a missing comma), a comment.
pub(super) fn can_follow_string(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b',' | b':' | b']' | b'}' | b'[' | b'{' | b'"' | b'/'
    )
}

pub(super) fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'.' | b'-' | b'+')
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    // Inlined into the parser's loop (one call per token saved); the rare kinds of token are
    // lexed out of line to keep it small.
    #[inline]
    fn next(&mut self) -> Option<Token> {
        let start = self.pos;
        let first = self.peek_byte(0)?;
        let kind = match first {
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                self.pos += 1;
                match first {
                    b'{' => TokenKind::LBrace,
                    b'}' => TokenKind::RBrace,
                    b'[' => TokenKind::LBracket,
                    b']' => TokenKind::RBracket,
                    b':' => TokenKind::Colon,
                    _ => TokenKind::Comma,
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                self.skip_whitespace();
                TokenKind::Whitespace
            }
            b'"' => self.lex_string(),
            b'-' | b'0'..=b'9' => {
                self.eat_while(is_word_byte);
                TokenKind::Number
            }
            b'/' => self.lex_slash(),
            b'$' if self.peek_byte(1) == Some(b'{') => self.lex_placeholder(),
            _ if is_word_byte(first) => self.lex_word(),
            _ => {
                self.advance_one_char();
                TokenKind::Unknown
            }
        };
        Some(Token {
            kind,
            range: TextRange::from_usize(start..self.pos),
        })
    }
}

/// True when `text` is a number as JSON's grammar defines it.
pub(crate) fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => {
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
        _ => return false,
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if !b.get(i).is_some_and(u8::is_ascii_digit) {
            return false;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        Lexer::new(text)
            .map(|t| (t.kind, &text[t.range.as_usize()]))
            .collect()
    }

    #[test]
    fn lexes_every_kind() {
        use TokenKind::*;
        assert_eq!(
            kinds(r#"{"a": [1, -2.5e3, true, false, null]}"#),
            vec![
                (LBrace, "{"),
                (
                    String {
                        terminated: true,
                        plain: true
                    },
                    "\"a\""
                ),
                (Colon, ":"),
                (Whitespace, " "),
                (LBracket, "["),
                (Number, "1"),
                (Comma, ","),
                (Whitespace, " "),
                (Number, "-2.5e3"),
                (Comma, ","),
                (Whitespace, " "),
                (True, "true"),
                (Comma, ","),
                (Whitespace, " "),
                (False, "false"),
                (Comma, ","),
                (Whitespace, " "),
                (Null, "null"),
                (RBracket, "]"),
                (RBrace, "}"),
            ]
        );
    }

    #[test]
    fn unterminated_string_stops_at_line_end() {
        use TokenKind::*;
        assert_eq!(
            kinds("\"Res\n}"),
            vec![
                (
                    String {
                        terminated: false,
                        plain: true
                    },
                    "\"Res"
                ),
                (Whitespace, "\n"),
                (RBrace, "}"),
            ]
        );
    }

    /// The string tokens of `text`: their text, and whether they are terminated.
    fn strings(text: &str) -> Vec<(&str, bool)> {
        Lexer::new(text)
            .filter_map(|t| match t.kind {
                TokenKind::String { terminated, .. } => {
                    Some((&text[t.range.as_usize()], terminated))
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn strings_in_the_states_typing_produces() {
        let cases: &[(&str, &[(&str, bool)])] = &[
            // Typed in front of another string: the quotes pair the wrong way, and the rest
            // of the line reads as JSON from the next string's quote.
            (
                r#"["support:desc"ec2:DescribeInstances", "b"]"#,
                &[
                    ("\"support:desc", false),
                    ("\"ec2:DescribeInstances\"", true),
                    ("\"b\"", true),
                ],
            ),
            // The blanks before that quote belong to the text that was there.
            (
                r#"["s3:Get  "s3:PutObject"]"#,
                &[("\"s3:Get", false), ("\"s3:PutObject\"", true)],
            ),
            // Not when the rest of the line does not read as JSON: lexed as written.
            (r#"["a"b": c"]"#, &[("\"a\"", true), ("\": c\"", true)]),
            // At the end of a line, before a bracket that was there (but not a `${`).
            ("[\"s3:Get {\n", &[("\"s3:Get", false)]),
            ("\"arn:${\n", &[("\"arn:${", false)]),
        ];
        for (text, expected) in cases {
            assert_eq!(&strings(text), expected, "{text}");
        }
    }

    proptest::proptest! {
        /// On valid JSON, every string is terminated and runs from its quote to the next
        /// unescaped one: the typing recoveries never change a valid document.
        #[test]
        fn strings_of_valid_json_run_quote_to_quote(
            values in proptest::collection::vec("[a-z:*\"\\\\ é{}\\[\\],]{0,12}", 0..6)
        ) {
            let text = serde_json::to_string(&values).unwrap();
            let mut reference = Vec::new();
            let bytes = text.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    let start = i;
                    i += 1;
                    while bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    reference.push((&text[start..=i], true));
                }
                i += 1;
            }
            proptest::prop_assert_eq!(strings(&text), reference);
        }
    }

    #[test]
    fn escaped_quote_does_not_end_a_string() {
        assert_eq!(
            kinds(r#""a\"b""#),
            vec![(
                TokenKind::String {
                    terminated: true,
                    plain: false
                },
                r#""a\"b""#
            )]
        );
    }

    #[test]
    fn comments_words_and_stray_characters() {
        use TokenKind::*;
        assert_eq!(
            kinds("// c\n/* d */Allow 😀/"),
            vec![
                (LineComment, "// c"),
                (Whitespace, "\n"),
                (BlockComment { terminated: true }, "/* d */"),
                (Word, "Allow"),
                (Whitespace, " "),
                (Unknown, "😀"),
                (Unknown, "/"),
            ]
        );
        assert_eq!(
            kinds("[${ORG_ID}, ${A:B}x]"),
            vec![
                (LBracket, "["),
                (Word, "${ORG_ID}"),
                (Comma, ","),
                (Whitespace, " "),
                (Word, "${A:B}x"),
                (RBracket, "]"),
            ]
        );
    }

    /// The parser copies a `plain` string without decoding it: pin the flag to what decoding
    /// would find (no special byte between the quotes, so the value is the text itself).
    fn check_plain_flags(text: &str) {
        for token in Lexer::new(text) {
            if let TokenKind::String { terminated, plain } = token.kind {
                let raw = &text[token.range.as_usize()];
                let contents = crate::syntax::string::contents(raw, terminated);
                let special = crate::syntax::string::find_special(contents.as_bytes());
                assert_eq!(plain, special.is_none(), "{raw:?}");
                if plain {
                    let (value, problems) = crate::syntax::string::decode(raw, terminated);
                    assert_eq!((&*value, problems.len()), (contents, 0), "{raw:?}");
                }
            }
        }
    }

    #[test]
    fn plain_strings_are_exactly_those_without_escapes_or_control_characters() {
        for text in [
            r#""a""#,
            r#""""#,
            "\"",
            r#""a\"b""#,
            r#""a\\""#,
            "\"a\\",
            "\"a\\\n",
            "\"tab\there\"",
            "\"nul\u{0}\"",
            "\"line\nbreak\"",
            "\"cr\r",
            "\"é😀\"",
            "[\"x\", \"y\\u00e9\", \"z]",
        ] {
            check_plain_flags(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn plain_flag_agrees_with_decoding(text in "[\"\\\\a-z \n\r\t\u{0}\u{1f}é😀u0-9]{0,40}") {
            check_plain_flags(&text);
        }
    }

    /// [`Lexer::skip_whitespace`] against a byte loop, from every position.
    fn check_skip_whitespace(text: &str) {
        let bytes = text.as_bytes();
        for start in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let mut lexer = Lexer::new(text);
            lexer.pos = start;
            lexer.skip_whitespace();
            let naive = bytes[start..]
                .iter()
                .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
                .map_or(text.len(), |n| start + n);
            assert_eq!(lexer.pos, naive, "{text:?} from {start}");
        }
    }

    #[test]
    fn skips_whitespace_like_a_byte_loop() {
        for text in [
            "",
            " ",
            "\n",
            "\n          \"a\"",
            "\n                  x",
            "        ",
            "         ",
            "       \t",
            "\r\n    \r\n        \t  }",
            ": \"Allow\"",
            "        é",
            "  \u{0}  ",
        ] {
            check_skip_whitespace(text);
        }
    }

    proptest::proptest! {
        #[test]
        fn skip_whitespace_agrees_with_a_byte_loop(text in "[ \t\n\ra\u{0}\u{b}\u{c}é]{0,40}") {
            check_skip_whitespace(&text);
        }
    }

    #[test]
    fn json_number_grammar() {
        for ok in ["0", "-0", "12", "1.5", "1e9", "1E+9", "-1.25e-3"] {
            assert!(is_json_number(ok), "{ok}");
        }
        for bad in [
            "", "-", "01", "1.", ".5", "1e", "+1", "1-2", "0x10", "1.2.3",
        ] {
            assert!(!is_json_number(bad), "{bad}");
        }
    }
}
