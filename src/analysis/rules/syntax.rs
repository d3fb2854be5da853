//! `json-syntax`: the parser's errors.

use super::Sink;
use crate::analysis::{Code, Finding};
use crate::syntax::Parse;

pub(crate) fn check(parse: &Parse, sink: &mut Sink) {
    for error in &parse.errors {
        sink.push(Finding::new(
            Code::JsonSyntax,
            error.range,
            format!("JSON syntax: {}", error.message),
        ));
    }
}
