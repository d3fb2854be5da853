//! Actions: names, access levels, condition keys, resource types, and the detailed records of
//! the `support`, `trustedadvisor` and `support-console` actions.

use std::fmt;
use std::ops::Range;

use catalog_format::image::{ActionRow, REQUIRED, Str};

use super::Catalog;
use super::access_level::AccessLevel;
use super::ascii;
use super::condition_keys::ConditionKeyRef;
use super::curated::DETAILS;
use super::resource_types::ResourceTypeRef;
use super::services::ServiceRef;

/// An action of a catalogue (a cheap, copyable handle). Ordered by service prefix, then
/// case-insensitively by name.
#[derive(Clone, Copy)]
pub struct ActionRef {
    catalog: &'static Catalog,
    index: u32,
}

/// The detailed record of a `support`, `trustedadvisor` or `support-console` action.
#[derive(Debug)]
pub(crate) struct ActionDetail {
    /// One line, in the project's own words.
    pub(crate) description: &'static str,
    /// No public API operation authorizes it: only the console (or AWS internally) uses it.
    pub(crate) console_only: bool,
    /// The SAR calls it an internally managed function.
    pub(crate) internally_managed: bool,
    /// The API operations that authorize it, as `<api>.<Operation>` (`support` = the AWS
    /// Support API, `trustedadvisor` = the Trusted Advisor API).
    pub(crate) api_operations: &'static [&'static str],
    /// The actions table of the service's Service Authorization Reference page.
    pub(crate) reference_url: &'static str,
    /// The API reference page of the same-named operation, if it has one.
    pub(crate) api_reference_url: Option<&'static str>,
    /// Remarks from the curated data (AWS wording is not copied).
    pub(crate) notes: &'static [&'static str],
}

/// A resource type an action can be scoped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ActionResourceType {
    pub(crate) resource_type: ResourceTypeRef,
    /// The SAR marks it required (`*`).
    pub(crate) required: bool,
}

impl ActionRef {
    pub(super) fn new(catalog: &'static Catalog, index: usize) -> ActionRef {
        ActionRef {
            catalog,
            index: index as u32,
        }
    }

    pub(super) fn index(self) -> usize {
        self.index as usize
    }

    /// The catalogue it belongs to.
    pub(super) fn catalog(self) -> &'static Catalog {
        self.catalog
    }

    /// The action's number in its catalogue: two handles of one catalogue are the same action
    /// exactly when their numbers are equal.
    pub(crate) fn number(self) -> u32 {
        self.index
    }

    fn row(self) -> &'static ActionRow {
        &self.catalog.actions[self.index()]
    }

    /// The action's service.
    pub(crate) fn service(self) -> ServiceRef {
        ServiceRef::new(self.catalog, self.row().service as usize)
    }

    /// The service prefix (e.g. `support`).
    pub fn prefix(self) -> &'static str {
        self.service().prefix()
    }

    /// The canonical name, as AWS writes it (e.g. `DescribeSupportLevel`).
    pub fn name(self) -> &'static str {
        self.catalog.text(self.row().name)
    }

    /// `prefix:Name`: the image stores each name as the end of its full name, so this is a
    /// slice of it (the analysis writes thousands of them into one fix).
    pub(crate) fn full_name(self) -> &'static str {
        let name = self.row().name;
        let before = self.prefix().len() + 1;
        self.catalog.text(Str {
            offset: name.offset.saturating_sub(before as u32),
            len: name.len.saturating_add(before as u16),
        })
    }

    pub(crate) fn access_level(self) -> AccessLevel {
        AccessLevel::from_code(self.row().level)
    }

    /// The condition keys the action supports (action-level and per-resource-type keys,
    /// including `aws:` keys the SAR lists for it), sorted case-insensitively. Global keys
    /// that apply to every action are not repeated here.
    pub(crate) fn condition_keys(self) -> impl ExactSizeIterator<Item = ConditionKeyRef> + use<> {
        let catalog = self.catalog;
        catalog
            .key_lists
            .get(self.row().keys)
            .iter()
            .map(move |&row| ConditionKeyRef::new(catalog, row))
    }

    /// The resource types the action can be scoped to. None means `"Resource": "*"`.
    pub(crate) fn resource_types(
        self,
    ) -> impl ExactSizeIterator<Item = ActionResourceType> + use<> {
        let catalog = self.catalog;
        catalog
            .resource_type_lists
            .get(self.row().resource_types)
            .iter()
            .map(move |&item| ActionResourceType {
                resource_type: ResourceTypeRef::new(catalog, item & !REQUIRED),
                required: item & REQUIRED != 0,
            })
    }

    /// Actions the SAR says must also be allowed (full names).
    pub(crate) fn dependent_actions(self) -> &'static [&'static str] {
        let dependent = &self.catalog.dependent_actions;
        dependent
            .binary_search_by_key(&self.index, |(i, _)| *i)
            .map_or(&[], |found| &dependent[found].1)
    }

    /// The detailed record, for `support`, `trustedadvisor` and `support-console` actions.
    pub(crate) fn detail(self) -> Option<&'static ActionDetail> {
        // Prefixes are lower case on both sides; names sort case-insensitively.
        let (prefix, name) = (self.prefix(), self.name());
        DETAILS
            .binary_search_by(|(p, n, _)| p.cmp(&prefix).then_with(|| ascii::cmp_ci(n, name)))
            .ok()
            .map(|found| &DETAILS[found].2)
    }
}

handle_identity!(ActionRef, index);

impl fmt::Display for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.full_name())
    }
}

impl fmt::Debug for ActionRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionRef({self})")
    }
}

/// An iterator over a contiguous run of actions.
#[derive(Clone, Debug)]
pub struct Actions {
    catalog: &'static Catalog,
    range: Range<u32>,
}

impl Actions {
    pub(super) fn new(catalog: &'static Catalog, range: Range<u32>) -> Actions {
        Actions { catalog, range }
    }

    pub(super) fn range(&self) -> Range<u32> {
        self.range.clone()
    }
}

impl Iterator for Actions {
    type Item = ActionRef;

    fn next(&mut self) -> Option<ActionRef> {
        let catalog = self.catalog;
        self.range
            .next()
            .map(|i| ActionRef::new(catalog, i as usize))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
}

impl DoubleEndedIterator for Actions {
    fn next_back(&mut self) -> Option<ActionRef> {
        let catalog = self.catalog;
        self.range
            .next_back()
            .map(|i| ActionRef::new(catalog, i as usize))
    }
}

impl ExactSizeIterator for Actions {}

impl Catalog {
    /// Every action of every service, sorted by prefix, then name.
    pub(crate) fn all_actions(&'static self) -> Actions {
        Actions::new(self, 0..self.actions.len() as u32)
    }

    /// How many actions the catalogue has.
    pub(crate) fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// The action `prefix:name`, both compared case-insensitively.
    pub fn action(&'static self, prefix: &str, name: &str) -> Option<ActionRef> {
        self.service(prefix)?.action(name)
    }

    /// The action named by a full `prefix:Name` string, case-insensitively. Wildcards are not
    /// expanded (see [`Catalog::matching_actions`]).
    pub(crate) fn parse_action(&'static self, full_name: &str) -> Option<ActionRef> {
        let (prefix, name) = full_name.split_once(':')?;
        self.action(prefix, name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{action, all_actions, parse_action, service, services};

    #[test]
    fn every_full_name_is_prefix_colon_name() {
        for service in services() {
            for action in service.actions() {
                let expected = format!("{}:{}", service.prefix(), action.name());
                assert_eq!(action.full_name(), expected);
            }
        }
    }

    #[test]
    fn looks_up_case_insensitively() {
        let a = action("Support", "describesupportlevel").expect("found");
        assert_eq!(a.prefix(), "support");
        assert_eq!(a.name(), "DescribeSupportLevel");
        assert_eq!(a.to_string(), "support:DescribeSupportLevel");
        assert_eq!(a.full_name(), "support:DescribeSupportLevel");
        assert_eq!(a.access_level(), AccessLevel::Read);
        assert_eq!(parse_action("SUPPORT:DESCRIBESUPPORTLEVEL"), Some(a));
        assert_eq!(
            parse_action("s3:getobject")
                .map(|a| a.to_string())
                .as_deref(),
            Some("s3:GetObject")
        );
        assert!(parse_action("support").is_none());
        assert!(parse_action("support:").is_none());
        assert!(parse_action(":DescribeCases").is_none());
        assert!(parse_action("support:Describe*").is_none());
        assert!(action("support", "DescribeSupportLevle").is_none());
    }

    #[test]
    fn every_action_finds_itself() {
        for a in all_actions() {
            assert_eq!(action(a.prefix(), a.name()), Some(a), "{a}");
        }
    }

    #[test]
    fn access_levels_follow_the_sar_tables() {
        let level = |s: &str| parse_action(s).map(|a| a.access_level());
        assert_eq!(
            level("support:DownloadAttachment"),
            Some(AccessLevel::Read),
            "2026-09-01 fix"
        );
        assert_eq!(
            level("iam:CreatePolicy"),
            Some(AccessLevel::PermissionsManagement)
        );
        assert_eq!(level("s3:PutObjectTagging"), Some(AccessLevel::Tagging));
        assert_eq!(level("trustedadvisor:ListChecks"), Some(AccessLevel::List));
        assert_eq!(level("support:CreateCase"), Some(AccessLevel::Write));
    }

    #[test]
    fn details_of_the_support_namespaces() {
        let d = parse_action("support:DescribeSupportLevel")
            .and_then(|a| a.detail())
            .expect("detail");
        assert!(d.console_only);
        assert!(!d.internally_managed);
        assert!(!d.description.is_empty());
        assert_eq!(
            d.reference_url,
            "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssupport.html#awssupport-actions-as-permissions"
        );
        let d = parse_action("support:DescribeCaseAttributes")
            .and_then(|a| a.detail())
            .expect("detail");
        assert!(d.console_only && d.internally_managed);
        let d = parse_action("support:CreateCase")
            .and_then(|a| a.detail())
            .expect("detail");
        assert!(!d.console_only);
        assert_eq!(d.api_operations, ["support.CreateCase"]);
        assert_eq!(
            d.api_reference_url,
            Some("https://docs.aws.amazon.com/awssupport/latest/APIReference/API_CreateCase.html")
        );
        let d = parse_action("trustedadvisor:ListChecks")
            .and_then(|a| a.detail())
            .expect("detail");
        assert_eq!(
            d.api_reference_url,
            Some(
                "https://docs.aws.amazon.com/trustedadvisor/latest/APIReference/API_ListChecks.html"
            )
        );
        let d = parse_action("support-console:GetBanner")
            .and_then(|a| a.detail())
            .expect("detail");
        assert!(d.console_only);
        assert!(
            d.reference_url
                .ends_with("list_awssupportconsole.html#awssupportconsole-actions-as-permissions")
        );
        for prefix in ["support", "trustedadvisor", "support-console"] {
            let service = service(prefix).expect(prefix);
            for a in service.actions() {
                let d = a.detail().expect("every action has a record");
                assert!(!d.description.is_empty(), "{a}");
                assert!(
                    d.reference_url
                        .starts_with("https://docs.aws.amazon.com/service-authorization/")
                );
            }
        }
        assert!(
            parse_action("s3:GetObject")
                .and_then(|a| a.detail())
                .is_none()
        );
    }

    #[test]
    fn resource_types_and_condition_keys() {
        let refresh = parse_action("trustedadvisor:RefreshCheck").expect("found");
        let rts: Vec<(&str, bool)> = refresh
            .resource_types()
            .map(|r| (r.resource_type.name(), r.required))
            .collect();
        assert_eq!(rts, [("checks", true)]);
        let case = parse_action("support:CreateCase").expect("found");
        assert_eq!(case.resource_types().len(), 0);
        assert_eq!(case.condition_keys().len(), 0);

        let get = parse_action("s3:GetObject").expect("found");
        let rts: Vec<&str> = get
            .resource_types()
            .map(|r| r.resource_type.name())
            .collect();
        assert!(rts.contains(&"object"), "{rts:?}");
        let keys: Vec<&str> = get.condition_keys().map(|k| k.name()).collect();
        assert!(keys.contains(&"s3:ExistingObjectTag/<key>"), "{keys:?}");
        assert!(keys.contains(&"s3:authType"), "{keys:?}");
        assert!(!keys.contains(&"s3:prefix"), "{keys:?}");
        let list = parse_action("s3:ListBucket").expect("found");
        assert!(list.condition_keys().any(|k| k.name() == "s3:prefix"));

        let tag = parse_action("ec2:CreateTags").expect("found");
        assert!(
            tag.condition_keys()
                .any(|k| k.name() == "aws:RequestTag/${TagKey}")
        );
        assert!(tag.condition_keys().all(|k| k.service().prefix() == "ec2"));
        assert_eq!(tag.dependent_actions(), &[] as &[&str]);
    }
}
