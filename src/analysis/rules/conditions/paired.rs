//! `missing-paired-key`: `aws:VpcSourceIp` without `aws:SourceVpc` (or `aws:SourceVpce`) in
//! the same statement. A private address is the same in every VPC, other accounts' included:
//! the address alone does not say where a request comes from. The one pair AWS documents
//! (IAM Access Analyzer's "Missing paired condition keys").

use crate::analysis::{Code, Finding, Severity};
use crate::catalog::{OperatorFamily, parse_operator};
use crate::policy::{ConditionBlock, Effect, Statement};

const KEY: &str = "aws:VpcSourceIp";
const PAIRED: &[&str] = &["aws:SourceVpc", "aws:SourceVpce"];

pub(super) fn check(statement: &Statement, blocks: &[ConditionBlock]) -> Vec<Finding> {
    let has = |key: &str| {
        blocks.iter().any(|block| {
            parse_operator(&block.operator.value)
                .is_ok_and(|op| op.family() != OperatorFamily::Null)
                && block
                    .entries
                    .iter()
                    .any(|e| e.key.value.eq_ignore_ascii_case(key))
        })
    };
    if PAIRED.iter().any(|key| has(key)) {
        return Vec::new();
    }
    let mut findings = Vec::new();
    for block in blocks {
        let Ok(operator) = parse_operator(&block.operator.value) else {
            continue;
        };
        if operator.family() == OperatorFamily::Null {
            continue;
        }
        // Where the address is what lets a request through (an Allow that matches it, a Deny
        // of the others), a request from another VPC with the same address gets through too.
        let restricts = match statement.effect() {
            Some(Effect::Allow) => !operator.negated(),
            Some(Effect::Deny) => operator.negated(),
            None => continue,
        };
        for entry in &block.entries {
            if !entry.key.terminated || !entry.key.value.eq_ignore_ascii_case(KEY) {
                continue;
            }
            let finding = if restricts {
                Finding::new(
                    Code::MissingPairedKey,
                    entry.key.range,
                    "aws:VpcSourceIp alone lets in requests from any VPC that uses these private addresses, other accounts' included: add aws:SourceVpc (or aws:SourceVpce) to the same condition",
                )
            } else {
                Finding::new(
                    Code::MissingPairedKey,
                    entry.key.range,
                    "aws:VpcSourceIp alone matches these private addresses in every VPC, not only yours: add aws:SourceVpc (or aws:SourceVpce) to the same condition",
                )
                .severity(Severity::Information)
            };
            findings.push(finding);
        }
    }
    findings
}
