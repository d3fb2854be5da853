//! The rules' helpers against their definitions.

use super::deny::contains_ignoring_case;
use super::resource::names_support;
use crate::support::universe::TRUSTED_ADVISOR;
use crate::syntax::Str;
use crate::syntax::TextRange;

#[test]
fn contains_ignoring_case_is_a_case_insensitive_substring_test() {
    for (text, expected) in [
        ("trustedadvisor:*", true),
        ("TrustedAdvisor:Describe*", true),
        ("support:DescribeTrustedAdvisorChecks", true),
        ("*:*TRUSTEDADVISOR*", true),
        ("trustedadviso", false),
        ("support:*", false),
        ("", false),
        ("é:trustedadvisoré", true),
    ] {
        assert_eq!(
            contains_ignoring_case(text, TRUSTED_ADVISOR),
            text.to_ascii_lowercase().contains("trustedadvisor"),
            "{text}"
        );
        assert_eq!(
            contains_ignoring_case(text, TRUSTED_ADVISOR),
            expected,
            "{text}"
        );
    }
}

#[test]
fn names_support_reads_the_service_part_only() {
    let token = |value: &str| Str {
        range: TextRange::new(0, 0),
        value: value.into(),
        terminated: true,
        quoted: true,
    };
    for (value, expected) in [
        ("support:DescribeCases", true),
        ("SUPPORT:*", true),
        ("Support-Console:GetCase", true),
        ("support", true),
        ("support:", true),
        ("supportplans:*", false),
        ("supportapp:*", false),
        ("suppor:x", false),
        ("support-consolex:y", false),
        ("*", false),
        ("", false),
        ("é:support", false),
    ] {
        assert_eq!(names_support(&token(value)), expected, "{value}");
    }
}
