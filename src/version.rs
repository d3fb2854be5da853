//! The version string shown by `--version`, in `initialize`, and in hovers.

/// `0.1.0 (catalogue: …)`.
pub fn long() -> String {
    format!("{} ({})", env!("CARGO_PKG_VERSION"), catalog_version())
}

/// The data version of the embedded catalogue.
pub fn catalog_version() -> &'static str {
    "catalogue: not yet embedded"
}
