//! The IAM policy grammar: required and exclusive elements, element names, value types,
//! Sids, versions and condition operators. One module per part of a policy: `keys` (element
//! names, duplicate keys), `document` (`Version`, `Statement`), `statement` (a statement's
//! elements and their values), `condition` (operators and their blocks); `types` reports
//! values of the wrong JSON type for all of them.

mod by_type;
mod condition;
mod document;
mod keys;
mod statement;
mod types;

use std::collections::HashMap;

use super::Sink;
use crate::analysis::{Code, Finding, Severity};
use crate::policy::{Enforcement, Policy, PolicyType};
use crate::syntax::{TextRange, Value};

use keys::{Place, check_keys};

pub(crate) fn check(policy: &Policy, text: &str, sink: &mut Sink) {
    if !policy.fragment {
        check_keys(policy.object, Place::Policy, sink);
        document::check_version(policy, text, sink);
        if let Some(id) = policy.id {
            types::expect_string(id, "Id", sink);
        }
        document::check_statement_element(policy, sink);
    }
    let duplicate_sids = sink.wants(Code::DuplicateSid);
    let mut sids: HashMap<&str, TextRange> = HashMap::new();
    for (index, statement) in policy.statements.iter().enumerate() {
        statement::check_statement(statement, index, &policy.kind, text, sink);
        if duplicate_sids
            && let Some(member) = statement.sid
            && let Some(sid) = member.value.as_ref().and_then(Value::as_str)
            && !sid.value.is_empty()
        {
            match sids.get(&*sid.value) {
                Some(first) => {
                    let enforcement = policy
                        .kind
                        .mildest(|t| Some(PolicyType::duplicate_sid(t)))
                        .unwrap_or(Enforcement::Unverified);
                    let consequence = match enforcement {
                        Enforcement::Rejected => "",
                        _ => {
                            "; the service may not reject it, but tools and people tell statements apart by Sid"
                        }
                    };
                    sink.push(
                        Finding::new(
                            Code::DuplicateSid,
                            sid.range,
                            format!(
                                "Sid \"{}\" is already used by another statement of this policy{consequence}",
                                sid.value
                            ),
                        )
                        .severity(Severity::of(enforcement))
                        .related(*first, "first use of this Sid"),
                    )
                }
                None => {
                    sids.insert(&sid.value, sid.range);
                }
            }
        }
    }
}
