//! AWS Support API and Trusted Advisor API operations, and the IAM actions each authorizes.
//!
//! The SAR lists every action an operation "authorizes" without saying whether all or any one
//! of them must be allowed: treat a Deny on any of them as possibly breaking the operation.

/// One API operation.
#[derive(Debug)]
pub struct ApiOperation {
    /// `support` (AWS Support API 2013-04-15) or `trustedadvisor` (Trusted Advisor API
    /// 2022-09-15).
    pub api: &'static str,
    /// Operation name, e.g. `DescribeTrustedAdvisorCheckResult`.
    pub name: &'static str,
    /// Whether the SDK model snapshot had it (public, callable).
    pub in_sdk_snapshot: bool,
    /// Full action names.
    pub authorizes: &'static [&'static str],
}

/// Every operation, sorted by API, then name.
pub fn api_operations() -> &'static [ApiOperation] {
    &super::curated::API_OPERATIONS
}

/// The operations that list `action` (a full `prefix:Name`, case-insensitive).
pub fn operations_authorizing(action: &str) -> impl Iterator<Item = &'static ApiOperation> + '_ {
    api_operations()
        .iter()
        .filter(move |op| op.authorizes.iter().any(|a| a.eq_ignore_ascii_case(action)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse_action;

    #[test]
    fn operations() {
        let ops: Vec<String> = operations_authorizing("trustedadvisor:describecheckitems")
            .map(|o| format!("{}.{}", o.api, o.name))
            .collect();
        assert!(
            ops.contains(&"support.DescribeTrustedAdvisorCheckResult".to_string()),
            "{ops:?}"
        );
        assert!(
            ops.contains(&"trustedadvisor.ListRecommendationResources".to_string()),
            "{ops:?}"
        );
        let upload: Vec<&str> = operations_authorizing("support:UploadAttachment")
            .map(|o| o.name)
            .collect();
        assert_eq!(upload.len(), 3, "{upload:?}");
        for op in api_operations() {
            for a in op.authorizes {
                assert!(parse_action(a).is_some(), "{}.{}: {a}", op.api, op.name);
            }
        }
    }
}
