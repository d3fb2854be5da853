//! Condition keys: the global `aws:` keys (and cross-service global keys) and the keys each
//! service defines, with their types. Keys with placeholders (`aws:ResourceTag/${TagKey}`,
//! `s3:ExistingObjectTag/<key>`) are templates: a concrete key such as `aws:ResourceTag/Owner`
//! resolves to its template.

use std::fmt;

use catalog_format::image::KeyRow;

use super::Catalog;
use super::ascii;
use super::curated::GLOBAL_KEYS;
use super::services::ServiceRef;

/// The type of a condition key's values (or of an operator's operands).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ValueType {
    String,
    Arn,
    Bool,
    Numeric,
    Date,
    IpAddress,
    Binary,
}

impl ValueType {
    /// The IAM User Guide's name: `String`, `ARN`, `Boolean`, `Numeric`, `Date`, `IPAddress`,
    /// `Binary`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ValueType::String => "String",
            ValueType::Arn => "ARN",
            ValueType::Bool => "Boolean",
            ValueType::Numeric => "Numeric",
            ValueType::Date => "Date",
            ValueType::IpAddress => "IPAddress",
            ValueType::Binary => "Binary",
        }
    }

    /// The programmatic SAR's name, with `ArrayOf` for multivalued keys (`ArrayOfString`).
    pub(crate) fn sar_name(self, multivalued: bool) -> &'static str {
        match (self, multivalued) {
            (ValueType::String, false) => "String",
            (ValueType::String, true) => "ArrayOfString",
            (ValueType::Arn, false) => "ARN",
            (ValueType::Arn, true) => "ArrayOfARN",
            (ValueType::Bool, false) => "Bool",
            (ValueType::Bool, true) => "ArrayOfBool",
            (ValueType::Numeric, false) => "Numeric",
            (ValueType::Numeric, true) => "ArrayOfNumeric",
            (ValueType::Date, false) => "Date",
            (ValueType::Date, true) => "ArrayOfDate",
            (ValueType::IpAddress, false) => "IPAddress",
            (ValueType::IpAddress, true) => "ArrayOfIPAddress",
            (ValueType::Binary, false) => "Binary",
            (ValueType::Binary, true) => "ArrayOfBinary",
        }
    }

    /// Decodes the image's type code (its low nibble: the position in catalog-format's
    /// `KEY_TYPES`).
    pub(super) fn from_code(code: u8) -> ValueType {
        match code & 0x0F {
            1 => ValueType::Arn,
            2 => ValueType::Bool,
            3 => ValueType::Numeric,
            4 => ValueType::Date,
            5 => ValueType::IpAddress,
            6 => ValueType::Binary,
            _ => ValueType::String,
        }
    }
}

impl fmt::Display for ValueType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A global condition key: available in every request context where it applies.
#[derive(Debug)]
pub struct GlobalConditionKey {
    /// Canonical name, e.g. `aws:PrincipalTag/${TagKey}`.
    pub(crate) name: &'static str,
    pub(crate) value_type: ValueType,
    /// Multivalued: use `ForAllValues:`/`ForAnyValue:` with it.
    pub(crate) multivalued: bool,
    /// Other types whose operators also work (`aws:EpochTime` takes numeric operators too).
    pub(crate) also_accepts: &'static [ValueType],
    /// Still accepted but no longer in the IAM global-key table: do not offer in completion.
    pub(crate) legacy: bool,
    /// The IAM guide says wildcards in values of this key have no valid use.
    pub(crate) sensitive: bool,
    /// The name has a placeholder (`${TagKey}`): concrete keys match it.
    pub(crate) template: bool,
    /// One line, in the project's own words.
    pub(crate) description: &'static str,
}

/// A condition key defined by a service (a cheap, copyable handle).
#[derive(Clone, Copy)]
pub struct ConditionKeyRef {
    catalog: &'static Catalog,
    row: u16,
}

impl ConditionKeyRef {
    pub(super) fn new(catalog: &'static Catalog, row: u16) -> ConditionKeyRef {
        ConditionKeyRef { catalog, row }
    }

    fn row(self) -> &'static KeyRow {
        &self.catalog.condition_keys[self.row as usize]
    }

    /// Canonical name, e.g. `s3:prefix` or `s3:ExistingObjectTag/<key>`.
    pub(crate) fn name(self) -> &'static str {
        self.catalog.text(self.row().name)
    }

    /// The service whose SAR page lists the key.
    pub(crate) fn service(self) -> ServiceRef {
        ServiceRef::new(self.catalog, self.row().service as usize)
    }

    pub(crate) fn value_type(self) -> ValueType {
        ValueType::from_code(self.row().value_type)
    }

    /// Whether the key carries several values (SAR `ArrayOf...`).
    pub(crate) fn multivalued(self) -> bool {
        self.row().value_type & 0x10 != 0
    }

    /// The SAR type name, e.g. `ArrayOfString`.
    pub(crate) fn sar_type(self) -> &'static str {
        self.value_type().sar_name(self.multivalued())
    }
}

handle_identity!(ConditionKeyRef, row);

impl fmt::Debug for ConditionKeyRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConditionKeyRef({}: {})", self.name(), self.sar_type())
    }
}

/// A condition key found by [`condition_key`].
#[derive(Clone, Copy, Debug)]
pub enum ConditionKeyMatch {
    Global(&'static GlobalConditionKey),
    Service(ConditionKeyRef),
}

impl ConditionKeyMatch {
    /// The canonical (template) name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ConditionKeyMatch::Global(g) => g.name,
            ConditionKeyMatch::Service(k) => k.name(),
        }
    }

    pub(crate) fn value_type(self) -> ValueType {
        match self {
            ConditionKeyMatch::Global(g) => g.value_type,
            ConditionKeyMatch::Service(k) => k.value_type(),
        }
    }

    pub(crate) fn multivalued(self) -> bool {
        match self {
            ConditionKeyMatch::Global(g) => g.multivalued,
            ConditionKeyMatch::Service(k) => k.multivalued(),
        }
    }
}

/// The end (exclusive) of a placeholder starting at `p[i]`: `${...}` or `<...>`.
fn placeholder_end(p: &[u8], i: usize) -> Option<usize> {
    let close = match (p.get(i), p.get(i + 1)) {
        (Some(b'$'), Some(b'{')) => b'}',
        (Some(b'<'), _) => b'>',
        _ => return None,
    };
    p[i + 1..]
        .iter()
        .position(|&b| b == close)
        .map(|pos| i + 1 + pos + 1)
}

/// Whether the concrete `key` matches `template`, whose placeholders (`${TagKey}`, `<key>`)
/// stand for any non-empty text. Literal parts compare ignoring ASCII case. A template also
/// matches itself.
pub(crate) fn template_matches(template: &str, key: &str) -> bool {
    let (p, t) = (template.as_bytes(), key.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    // After the last placeholder: where the template resumes, where its match ends.
    let mut resume: Option<(usize, usize)> = None;
    loop {
        if let Some(end) = placeholder_end(p, pi) {
            if ti >= t.len() {
                return false;
            }
            ti += 1;
            pi = end;
            resume = Some((pi, ti));
            continue;
        }
        match (p.get(pi), t.get(ti)) {
            (None, None) => return true,
            (Some(a), Some(b)) if a.eq_ignore_ascii_case(b) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match resume {
            Some((rp, rt)) if rt < t.len() => {
                resume = Some((rp, rt + 1));
                pi = rp;
                ti = rt + 1;
            }
            _ => return false,
        }
    }
}

/// Every global condition key, sorted case-insensitively by name.
pub(crate) fn global_condition_keys() -> &'static [GlobalConditionKey] {
    &GLOBAL_KEYS
}

/// The global key `name`, case-insensitively; concrete keys resolve to their template
/// (`aws:ResourceTag/Owner` → `aws:ResourceTag/${TagKey}`). (For tests: the analysis asks
/// [`Catalog::condition_key`].)
#[cfg(test)]
pub(crate) fn global_condition_key(name: &str) -> Option<&'static GlobalConditionKey> {
    if let Some(i) = ascii::find(GLOBAL_KEYS.len(), name, |i| GLOBAL_KEYS[i].name) {
        return Some(&GLOBAL_KEYS[i]);
    }
    GLOBAL_KEYS
        .iter()
        .find(|g| g.template && template_matches(g.name, name))
}

impl Catalog {
    /// The key of the key index whose name is `name`, case-insensitively.
    fn indexed_key(&'static self, name: &str) -> Option<ConditionKeyRef> {
        let row = |i: usize| self.key_index[i];
        let item = |i: usize| ConditionKeyRef::new(self, row(i)).name();
        ascii::find(self.key_index.len(), name, item).map(|i| ConditionKeyRef::new(self, row(i)))
    }

    /// A key some service defines, case-insensitively, with templates resolved. When several
    /// services list the key, the first (by prefix) is returned; use
    /// [`ServiceRef::condition_key`] for a given service.
    pub(crate) fn service_condition_key(&'static self, name: &str) -> Option<ConditionKeyRef> {
        self.indexed_key(name).or_else(|| {
            self.template_keys
                .iter()
                .map(|&row| ConditionKeyRef::new(self, row))
                .find(|k| template_matches(k.name(), name))
        })
    }

    /// Any condition key: global keys first, then service keys; exact names before templates.
    pub(crate) fn condition_key(&'static self, name: &str) -> Option<ConditionKeyMatch> {
        let global_exact = ascii::find(GLOBAL_KEYS.len(), name, |i| GLOBAL_KEYS[i].name);
        if let Some(i) = global_exact {
            return Some(ConditionKeyMatch::Global(&GLOBAL_KEYS[i]));
        }
        if let Some(key) = self.indexed_key(name) {
            return Some(ConditionKeyMatch::Service(key));
        }
        if let Some(g) = GLOBAL_KEYS
            .iter()
            .find(|g| g.template && template_matches(g.name, name))
        {
            return Some(ConditionKeyMatch::Global(g));
        }
        self.service_condition_key(name)
            .map(ConditionKeyMatch::Service)
    }

    /// The distinct service condition key names, sorted case-insensitively (one handle per
    /// name).
    pub(crate) fn all_service_condition_keys(
        &'static self,
    ) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        self.key_index
            .iter()
            .map(move |&row| ConditionKeyRef::new(self, row))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{condition_key, current};

    #[test]
    fn templates() {
        assert!(template_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/Owner"
        ));
        assert!(template_matches(
            "aws:ResourceTag/${TagKey}",
            "AWS:resourcetag/Owner"
        ));
        assert!(template_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/a/b:c"
        ));
        assert!(template_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/${TagKey}"
        ));
        assert!(!template_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTag/"
        ));
        assert!(!template_matches(
            "aws:ResourceTag/${TagKey}",
            "aws:ResourceTags"
        ));
        assert!(template_matches(
            "s3:ExistingObjectTag/<key>",
            "s3:ExistingObjectTag/Project"
        ));
        assert!(template_matches(
            "codebuild:secondaryArtifacts/${artifactIdentifier}.location",
            "codebuild:secondaryArtifacts/out.v2.location"
        ));
        assert!(!template_matches(
            "codebuild:secondaryArtifacts/${artifactIdentifier}.location",
            "codebuild:secondaryArtifacts/.location"
        ));
        assert!(template_matches(
            "agent.${Domain}.buildkite.dev:build_branch",
            "agent.acme.buildkite.dev:build_branch"
        ));
        assert!(!template_matches("plain:key", "plain:keys"));
        assert!(template_matches("plain:key", "PLAIN:KEY"));
        assert!(!template_matches("a${X}", "a"));
        assert!(template_matches("a${X}", "aé"));
        assert!(
            template_matches("broken${", "broken${"),
            "an unclosed placeholder is literal"
        );
        assert!(!template_matches("broken${", "broken$x"));
    }

    #[test]
    fn global_keys() {
        let k = global_condition_key("AWS:SOURCEIP").expect("aws:SourceIp");
        assert_eq!(k.name, "aws:SourceIp");
        assert_eq!(k.value_type, ValueType::IpAddress);
        let tag = global_condition_key("aws:ResourceTag/Owner").expect("template");
        assert_eq!(tag.name, "aws:ResourceTag/${TagKey}");
        assert!(tag.template);
        assert_eq!(
            global_condition_key("aws:RequestTag/cost-center").map(|g| g.name),
            Some("aws:RequestTag/${TagKey}")
        );
        assert_eq!(
            global_condition_key("aws:PrincipalTag/team").map(|g| g.name),
            Some("aws:PrincipalTag/${TagKey}")
        );
        let tag_keys = global_condition_key("aws:TagKeys").expect("aws:TagKeys");
        assert!(tag_keys.multivalued);
        assert_eq!(
            global_condition_key("aws:EpochTime").map(|g| g.also_accepts),
            Some(&[ValueType::Numeric][..])
        );
        assert!(global_condition_key("aws:SourceOwner").is_some_and(|g| g.legacy));
        assert!(global_condition_key("aws:PrincipalOrgID").is_some_and(|g| g.sensitive));
        assert_eq!(
            global_condition_key("aws:MultiFactorAuthPresent").map(|g| g.value_type),
            Some(ValueType::Bool)
        );
        assert!(global_condition_key("aws:NoSuchKey").is_none());
        assert!(global_condition_key("aws:ResourceTag").is_none());
        assert!(
            global_condition_keys()
                .iter()
                .all(|g| !g.description.is_empty())
        );
        let names: Vec<String> = global_condition_keys()
            .iter()
            .map(|g| g.name.to_ascii_lowercase())
            .collect();
        assert!(names.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn service_keys() {
        let k = current()
            .service_condition_key("S3:Prefix")
            .expect("s3:prefix");
        assert_eq!(k.name(), "s3:prefix");
        assert_eq!(k.service().prefix(), "s3");
        assert_eq!(k.value_type(), ValueType::String);
        assert_eq!(
            current()
                .service_condition_key("s3:ExistingObjectTag/Owner")
                .map(|k| k.name()),
            Some("s3:ExistingObjectTag/<key>")
        );
        assert_eq!(
            current()
                .service_condition_key("kms:EncryptionContext:Department")
                .map(|k| k.name()),
            Some("kms:EncryptionContext:${EncryptionContextKey}")
        );
        let multi = current()
            .service_condition_key("kms:EncryptionContextKeys")
            .expect("key");
        assert!(multi.multivalued());
        assert_eq!(multi.sar_type(), "ArrayOfString");
        assert!(current().service_condition_key("s3:NoSuchKey").is_none());
    }

    #[test]
    fn any_key() {
        let m = condition_key("aws:resourcetag/Owner").expect("found");
        assert!(matches!(m, ConditionKeyMatch::Global(_)));
        assert_eq!(m.name(), "aws:ResourceTag/${TagKey}");
        let m = condition_key("s3:prefix").expect("found");
        assert!(matches!(m, ConditionKeyMatch::Service(_)));
        assert_eq!(m.value_type(), ValueType::String);
        assert!(!m.multivalued());
        assert!(condition_key("ec2:SourceInstanceArn").is_some());
        assert!(condition_key("saml:aud").is_some(), "sts federation keys");
        assert!(condition_key("token.actions.githubusercontent.com:actor").is_some());
        assert!(
            condition_key("token.actions.githubusercontent.com/octo-org:actor").is_some(),
            "template"
        );
        assert!(condition_key("s3:prefx").is_none());
        assert!(condition_key("").is_none());
        assert!(current().all_service_condition_keys().len() > 1000);
    }
}
