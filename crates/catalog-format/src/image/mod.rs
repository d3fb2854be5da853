//! The catalogue image: the large service tables (services, actions, resource types with
//! their ARN templates, condition keys with their types, the interned lists that link them,
//! and one string table) in a compact binary form, written from a [`Model`](crate::Model)
//! by [`write`] and read back, every offset and index checked, by [`read`].
//!
//! Layout (little-endian):
//!
//! ```text
//! magic "IAMCATLG" | format version u32 | body length u32 | checksum u64 of the body
//! body: eleven sections in this order, each a u32 byte length and its content
//!   strings            UTF-8; every name below is a Str = (u32 offset, u16 length) into it
//!   info               (Str key, Str value)*              catalog-info.tsv
//!   services           (Str prefix, Str name, u32 actions, u16 keys, u16 resource types)*
//!                      sorted by prefix; the counts split the next three tables by service
//!   actions            (Str name, u8 level, u16 key list, u16 resource-type list)*
//!                      each name is stored right after `prefix:`, so the full name is a Str too
//!   resource types     (Str name, Str ARN template, u16 key list)*
//!   condition keys     (Str name, u8 type: KEY_TYPES position | 0x10 when multivalued)*
//!   key lists          u32 lists, (lists + 1) u32 starts, u16 condition-key rows
//!   resource-type lists  the same; bit 15 of an item marks a required resource type
//!   key index          u16 rows of the distinct key names, sorted case-insensitively
//!   template keys      u16 rows of the key index whose names have placeholders (`${X}`, `<x>`)
//!   dependent actions  (u32 action, u16 count, Str full name * count)*
//! ```
//!
//! Within a service, actions, resource types and condition keys are sorted
//! case-insensitively by name; list 0 of each list table is the empty list.

mod read;
mod write;

pub use read::{ImageError, read, read_trusted, verify};
pub use write::write;

/// The first bytes of every image.
pub const MAGIC: [u8; 8] = *b"IAMCATLG";

/// The layout version; an image of another version is refused, not misread.
pub const VERSION: u32 = 1;

/// Bytes before the body: magic, version, body length, checksum.
pub const HEADER_LEN: usize = 24;

/// How many sections the body has.
const SECTIONS: usize = 11;

/// Bit 15 of a resource-type list item: the resource type is required.
pub const REQUIRED: u16 = 0x8000;

/// A string of the image's string table: byte offset and length.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Str {
    pub offset: u32,
    pub len: u16,
}

impl Str {
    /// Its text in `strings` ("" for a reference outside it, which [`read`] never returns).
    #[inline]
    pub fn text(self, strings: &str) -> &str {
        let start = self.offset as usize;
        strings.get(start..start + self.len as usize).unwrap_or("")
    }
}

/// One service: ranges of its rows in the action, resource-type and key tables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceRow {
    pub prefix: Str,
    /// Empty when unknown.
    pub name: Str,
    pub actions: (u32, u32),
    pub keys: (u16, u16),
    pub resource_types: (u16, u16),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionRow {
    pub name: Str,
    /// Its service's row.
    pub service: u16,
    /// Position in [`LEVELS`](crate::LEVELS).
    pub level: u8,
    /// A key list id.
    pub keys: u16,
    /// A resource-type list id.
    pub resource_types: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceTypeRow {
    pub name: Str,
    /// Empty when unknown.
    pub arn: Str,
    pub service: u16,
    /// A key list id.
    pub keys: u16,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyRow {
    pub name: Str,
    pub service: u16,
    /// Position in [`KEY_TYPES`](crate::KEY_TYPES) | 0x10 when multivalued.
    pub value_type: u8,
}

/// Interned lists of rows: list `id` is `items[starts[id]..starts[id + 1]]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lists {
    pub starts: Vec<u32>,
    pub items: Vec<u16>,
}

impl Lists {
    /// List `id` (empty for an id [`read`] would have refused).
    #[inline]
    pub fn get(&self, id: u16) -> &[u16] {
        let id = id as usize;
        match (self.starts.get(id), self.starts.get(id + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// The tables of an image: every row and list id in range ([`read`]); every string
/// reference in its table and on character boundaries, every table sorted as the layout says
/// once [`verify`]d.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables<'a> {
    pub strings: &'a str,
    pub info: Vec<(Str, Str)>,
    pub services: Vec<ServiceRow>,
    pub actions: Vec<ActionRow>,
    pub resource_types: Vec<ResourceTypeRow>,
    pub condition_keys: Vec<KeyRow>,
    pub key_lists: Lists,
    pub resource_type_lists: Lists,
    pub key_index: Vec<u16>,
    pub template_keys: Vec<u16>,
    /// By action row, ascending.
    pub dependent_actions: Vec<(u32, Vec<Str>)>,
}

/// A 64-bit checksum of the body, eight bytes at a time: a corrupted image is refused.
fn checksum(bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mix = |hash: u64, word: u64| (hash ^ word).wrapping_mul(PRIME).rotate_left(23);
    let mut chunks = bytes.chunks_exact(8);
    let mut hash = 0xcbf2_9ce4_8422_2325;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = mix(hash, u64::from_le_bytes(word));
    }
    for &byte in chunks.remainder() {
        hash = mix(hash, u64::from(byte));
    }
    mix(hash, bytes.len() as u64)
}

#[cfg(test)]
mod tests;
