//! Access levels, as the Service Authorization Reference tables classify actions.

use std::fmt;

/// The access level of an action.
///
/// The programmatic AWS data also marks every Tagging and Permissions-management action as
/// Write; the catalogue keeps only the SAR table's (more specific) level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum AccessLevel {
    List,
    Read,
    Write,
    PermissionsManagement,
    Tagging,
}

impl AccessLevel {
    /// The SAR spelling: `List`, `Read`, `Write`, `Permissions management`, `Tagging`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AccessLevel::List => "List",
            AccessLevel::Read => "Read",
            AccessLevel::Write => "Write",
            AccessLevel::PermissionsManagement => "Permissions management",
            AccessLevel::Tagging => "Tagging",
        }
    }

    /// Decodes the image's level code (the position in catalog-format's `LEVELS`).
    pub(super) fn from_code(code: u8) -> AccessLevel {
        match code {
            0 => AccessLevel::List,
            1 => AccessLevel::Read,
            3 => AccessLevel::PermissionsManagement,
            4 => AccessLevel::Tagging,
            _ => AccessLevel::Write,
        }
    }
}

impl fmt::Display for AccessLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_image_s() {
        for (code, name) in catalog_format::LEVELS.iter().enumerate() {
            assert_eq!(AccessLevel::from_code(code as u8).as_str(), *name);
        }
        assert_eq!(
            AccessLevel::PermissionsManagement.to_string(),
            "Permissions management"
        );
    }
}
