//! Row layouts of the generated tables (`generated.rs`) and the helpers that read them.
//!
//! Strings live in one table, [`generated::STRINGS`]; rows refer to them by [`S`] (byte offset,
//! length), which keeps the tables free of pointers: no relocations, no start-up work. Field
//! names are short because the generated file has tens of thousands of rows.

use super::generated::{KEY_LIST_ITEMS, KEY_LIST_STARTS, RT_LIST_ITEMS, RT_LIST_STARTS, STRINGS};

/// A string of [`STRINGS`]: byte offset and length.
#[derive(Clone, Copy, Debug)]
pub(super) struct S(pub(super) u32, pub(super) u16);

/// One service. Ranges are half-open indexes into the sorted tables.
#[derive(Debug)]
pub(super) struct ServiceRow {
    /// Prefix, as AWS writes it (lower case).
    pub(super) p: S,
    /// Service name; empty when unknown.
    pub(super) n: S,
    /// Its actions: `ACTIONS[a..ae]`, sorted case-insensitively by name.
    pub(super) a: u32,
    pub(super) ae: u32,
    /// Its condition keys: `CONDITION_KEYS[k..ke]`, sorted case-insensitively.
    pub(super) k: u16,
    pub(super) ke: u16,
    /// Its resource types: `RESOURCE_TYPES[r..re]`, sorted case-insensitively.
    pub(super) r: u16,
    pub(super) re: u16,
    /// Index of its first `DETAILS` record (records follow action order), or `u16::MAX`.
    pub(super) d: u16,
}

/// One action.
#[derive(Debug)]
pub(super) struct ActionRow {
    /// Canonical name (without prefix).
    pub(super) n: S,
    /// Its service (`SERVICES` index).
    pub(super) s: u16,
    /// Access level code, see `AccessLevel::from_code`.
    pub(super) l: u8,
    /// Condition keys: a key list id (see [`key_list`]).
    pub(super) k: u16,
    /// Resource types: a resource-type list id (see [`rt_list`]).
    pub(super) r: u16,
}

/// One resource type of one service.
#[derive(Debug)]
pub(super) struct ResourceTypeRow {
    pub(super) n: S,
    /// ARN template; empty when unknown.
    pub(super) arn: S,
    pub(super) s: u16,
    /// Condition keys: a key list id.
    pub(super) k: u16,
}

/// One condition key of one service.
#[derive(Debug)]
pub(super) struct KeyRow {
    pub(super) n: S,
    pub(super) s: u16,
    /// Value type code (low nibble, see `ValueType::from_code`) | 0x10 when multivalued.
    pub(super) t: u8,
}

/// The text of a string reference. Never panics: a bad reference yields "".
pub(super) fn text(s: S) -> &'static str {
    let start = s.0 as usize;
    STRINGS.get(start..start + s.1 as usize).unwrap_or("")
}

/// The text of a string reference together with the `before` bytes that precede it in the
/// table (an action's name is stored as the end of `prefix:Name`).
pub(super) fn text_extended(s: S, before: usize) -> &'static str {
    let end = s.0 as usize + s.1 as usize;
    (s.0 as usize)
        .checked_sub(before)
        .and_then(|start| STRINGS.get(start..end))
        .unwrap_or("")
}

fn list<'a>(starts: &[u32], items: &'a [u16], id: u16) -> &'a [u16] {
    let id = id as usize;
    match (starts.get(id), starts.get(id + 1)) {
        (Some(&a), Some(&b)) => items.get(a as usize..b as usize).unwrap_or(&[]),
        _ => &[],
    }
}

/// A list of `CONDITION_KEYS` rows.
pub(super) fn key_list(id: u16) -> &'static [u16] {
    list(&KEY_LIST_STARTS, &KEY_LIST_ITEMS, id)
}

/// A list of `RESOURCE_TYPES` rows; bit 15 set = required.
pub(super) fn rt_list(id: u16) -> &'static [u16] {
    list(&RT_LIST_STARTS, &RT_LIST_ITEMS, id)
}
