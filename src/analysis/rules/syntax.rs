//! `json-syntax`: the parser's errors.

use crate::analysis::{Code, Finding};
use crate::syntax::Parse;

pub(crate) fn check(parse: &Parse, findings: &mut Vec<Finding>) {
    findings.extend(parse.errors.iter().map(|e| {
        Finding::new(
            Code::JsonSyntax,
            e.range,
            format!("JSON syntax: {}", e.message),
        )
    }));
}
