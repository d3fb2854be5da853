//! The version string shown by `--version`, in `initialize`, and in hovers.

/// `0.1.0 (catalogue: iam-data … ; support/trustedadvisor SAR …)`.
pub(crate) fn long() -> String {
    format!(
        "{} (catalogue: {})",
        env!("CARGO_PKG_VERSION"),
        catalog_version()
    )
}

/// The data version of the embedded catalogue.
pub(crate) fn catalog_version() -> &'static str {
    crate::catalog::data_version()
}
