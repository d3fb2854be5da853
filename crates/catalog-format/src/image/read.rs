//! Image → checked tables. Nothing in an image is trusted: [`read`] refuses an image that is
//! truncated, corrupted (its checksum) or whose tables point outside themselves, so that no
//! access to them can fail; [`verify`] checks their content (sort orders, strings, layout).
//! A truncated, corrupted or inconsistent image is an [`ImageError`], never a panic.

use std::fmt;

use super::{
    ActionRow, HEADER_LEN, KeyRow, Lists, MAGIC, REQUIRED, ResourceTypeRow, SECTIONS, ServiceRow,
    Str, Tables, VERSION, checksum,
};
use crate::{KEY_TYPES, LEVELS, is_template};

/// Why an image was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ImageError {
    /// Not an image (no magic), or of another layout version.
    NotAnImage,
    UnsupportedVersion(u32),
    /// Shorter than its header says.
    Truncated,
    /// The body does not match its checksum.
    Corrupted,
    /// Well-formed bytes whose tables are inconsistent: which table, and what is wrong.
    Inconsistent(&'static str, String),
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::NotAnImage => f.write_str("not an IAM catalogue image"),
            ImageError::UnsupportedVersion(v) => {
                write!(f, "catalogue image version {v}, expected {VERSION}")
            }
            ImageError::Truncated => f.write_str("the catalogue image is truncated"),
            ImageError::Corrupted => f.write_str("the catalogue image fails its checksum"),
            ImageError::Inconsistent(table, what) => {
                write!(f, "the catalogue image's {table} are inconsistent: {what}")
            }
        }
    }
}

impl std::error::Error for ImageError {}

type Result<T> = std::result::Result<T, ImageError>;

/// Reads fixed-size little-endian fields off a section.
struct Cursor<'a> {
    bytes: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.bytes.len() {
            return Err(ImageError::Truncated);
        }
        let (head, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        Ok(head)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut array = [0u8; N];
        array.copy_from_slice(self.take(N)?);
        Ok(array)
    }

    fn u16(&mut self) -> Result<u16> {
        self.array().map(u16::from_le_bytes)
    }

    fn u32(&mut self) -> Result<u32> {
        self.array().map(u32::from_le_bytes)
    }

    fn str(&mut self) -> Result<Str> {
        Ok(Str {
            offset: self.u32()?,
            len: self.u16()?,
        })
    }

    fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The section as records of `N` bytes.
    fn rows<const N: usize, T>(&self, row: impl Fn(&[u8; N]) -> T) -> Result<Vec<T>> {
        let chunks = self.bytes.chunks_exact(N);
        if !chunks.remainder().is_empty() {
            return Err(ImageError::Truncated);
        }
        let mut rows = Vec::with_capacity(chunks.len());
        rows.extend(chunks.filter_map(|chunk| chunk.try_into().ok()).map(row));
        Ok(rows)
    }
}

/// The little-endian u16 at `at` of a record.
fn u16_at<const N: usize>(row: &[u8; N], at: usize) -> u16 {
    u16::from_le_bytes([row[at], row[at + 1]])
}

fn u32_at<const N: usize>(row: &[u8; N], at: usize) -> u32 {
    u32::from_le_bytes([row[at], row[at + 1], row[at + 2], row[at + 3]])
}

fn str_at<const N: usize>(row: &[u8; N], at: usize) -> Str {
    Str {
        offset: u32_at(row, at),
        len: u16_at(row, at + 4),
    }
}

fn inconsistent(table: &'static str, what: impl Into<String>) -> ImageError {
    ImageError::Inconsistent(table, what.into())
}

/// The tables of an image, with every offset, index and code in range, and its checksum
/// right. [`verify`] checks the rest.
pub fn read(image: &[u8]) -> Result<Tables<'_>> {
    read_checking(image, true)
}

/// The tables of an image that was verified when it was written and cannot have changed
/// since, such as one compiled into the program: [`read`] without the checksum and the range
/// checks, which would cost most of the decoding of every run.
pub fn read_trusted(image: &[u8]) -> Result<Tables<'_>> {
    read_checking(image, false)
}

fn read_checking(image: &[u8], check: bool) -> Result<Tables<'_>> {
    let (header, body) = image
        .split_at_checked(HEADER_LEN)
        .ok_or(ImageError::NotAnImage)?;
    let mut header = Cursor { bytes: header };
    if header.array::<8>()? != MAGIC {
        return Err(ImageError::NotAnImage);
    }
    let version = header.u32()?;
    if version != VERSION {
        return Err(ImageError::UnsupportedVersion(version));
    }
    let body_len = header.u32()? as usize;
    let sum = u64::from_le_bytes(header.array()?);
    if body.len() < body_len {
        return Err(ImageError::Truncated);
    }
    if body.len() > body_len || (check && checksum(body) != sum) {
        return Err(ImageError::Corrupted);
    }
    let mut body = Cursor { bytes: body };
    let mut sections = Vec::with_capacity(SECTIONS);
    for _ in 0..SECTIONS {
        let len = body.u32()? as usize;
        sections.push(Cursor {
            bytes: body.take(len)?,
        });
    }
    if !body.is_empty() {
        return Err(ImageError::Corrupted);
    }
    let [
        strings,
        info,
        services,
        actions,
        resource_types,
        condition_keys,
        mut key_lists,
        mut resource_type_lists,
        key_index,
        template_keys,
        mut dependent_actions,
    ] = <[Cursor; SECTIONS]>::try_from(sections).map_err(|_| ImageError::Corrupted)?;
    let strings =
        std::str::from_utf8(strings.bytes).map_err(|e| inconsistent("strings", e.to_string()))?;
    let mut tables = Tables {
        strings,
        info: info.rows(|r: &[u8; 12]| (str_at(r, 0), str_at(r, 6)))?,
        services: services.rows(|r: &[u8; 20]| ServiceRow {
            prefix: str_at(r, 0),
            name: str_at(r, 6),
            // Counts, until assign_services turns them into ranges.
            actions: (0, u32_at(r, 12)),
            keys: (0, u16_at(r, 16)),
            resource_types: (0, u16_at(r, 18)),
        })?,
        actions: actions.rows(|r: &[u8; 11]| ActionRow {
            name: str_at(r, 0),
            service: 0,
            level: r[6],
            keys: u16_at(r, 7),
            resource_types: u16_at(r, 9),
        })?,
        resource_types: resource_types.rows(|r: &[u8; 14]| ResourceTypeRow {
            name: str_at(r, 0),
            arn: str_at(r, 6),
            service: 0,
            keys: u16_at(r, 12),
        })?,
        condition_keys: condition_keys.rows(|r: &[u8; 7]| KeyRow {
            name: str_at(r, 0),
            service: 0,
            value_type: r[6],
        })?,
        key_lists: lists(&mut key_lists)?,
        resource_type_lists: lists(&mut resource_type_lists)?,
        key_index: key_index.rows(|r: &[u8; 2]| u16_at(r, 0))?,
        template_keys: template_keys.rows(|r: &[u8; 2]| u16_at(r, 0))?,
        dependent_actions: Vec::new(),
    };
    while !dependent_actions.is_empty() {
        let action = dependent_actions.u32()?;
        let count = dependent_actions.u16()?;
        let names = (0..count)
            .map(|_| dependent_actions.str())
            .collect::<Result<Vec<Str>>>()?;
        tables.dependent_actions.push((action, names));
    }
    assign_services(&mut tables)?;
    if check {
        check_ranges(&tables)?;
    }
    Ok(tables)
}

fn lists(section: &mut Cursor) -> Result<Lists> {
    let count = section.u32()? as usize;
    let starts = Cursor {
        bytes: section.take(count.saturating_add(1).saturating_mul(4))?,
    };
    let starts = starts.rows(|r: &[u8; 4]| u32_at(r, 0))?;
    let items = section.rows(|r: &[u8; 2]| u16_at(r, 0))?;
    let well_formed = starts.first() == Some(&0)
        && starts.windows(2).all(|w| w[0] <= w[1])
        && starts
            .last()
            .is_some_and(|&end| end as usize == items.len());
    if !well_formed {
        return Err(inconsistent("lists", "starts out of order or out of range"));
    }
    Ok(Lists { starts, items })
}

/// Turns each service's counts into ranges, and gives each row its service.
fn assign_services(tables: &mut Tables) -> Result<()> {
    let (mut actions, mut keys, mut rts) = (0usize, 0usize, 0usize);
    for (index, service) in tables.services.iter_mut().enumerate() {
        let index = u16::try_from(index).map_err(|_| inconsistent("services", "too many"))?;
        let ranges = (
            actions..actions + service.actions.1 as usize,
            keys..keys + service.keys.1 as usize,
            rts..rts + service.resource_types.1 as usize,
        );
        let rows = (
            tables.actions.get_mut(ranges.0.clone()),
            tables.condition_keys.get_mut(ranges.1.clone()),
            tables.resource_types.get_mut(ranges.2.clone()),
        );
        let (Some(a), Some(k), Some(r)) = rows else {
            return Err(inconsistent("services", "counts beyond the tables"));
        };
        a.iter_mut().for_each(|row| row.service = index);
        k.iter_mut().for_each(|row| row.service = index);
        r.iter_mut().for_each(|row| row.service = index);
        service.actions = (ranges.0.start as u32, ranges.0.end as u32);
        service.keys = (ranges.1.start as u16, ranges.1.end as u16);
        service.resource_types = (ranges.2.start as u16, ranges.2.end as u16);
        (actions, keys, rts) = (ranges.0.end, ranges.1.end, ranges.2.end);
    }
    let whole = actions == tables.actions.len()
        && keys == tables.condition_keys.len()
        && rts == tables.resource_types.len();
    if !whole || tables.condition_keys.len() > usize::from(u16::MAX) {
        return Err(inconsistent("services", "counts do not cover the tables"));
    }
    Ok(())
}

/// What makes every access to the tables land inside them: each list id names a list, each
/// list item and index row a row, each code a known one.
fn check_ranges(t: &Tables) -> Result<()> {
    let items_within = |lists: &Lists, mask: u16, len: usize| {
        lists
            .items
            .iter()
            .all(|item| ((item & mask) as usize) < len)
    };
    if !items_within(&t.key_lists, u16::MAX, t.condition_keys.len()) {
        return Err(inconsistent("key lists", "a row beyond the keys"));
    }
    let rts = t.resource_types.len();
    if !items_within(&t.resource_type_lists, !REQUIRED, rts) {
        return Err(inconsistent(
            "resource-type lists",
            "a row beyond the table",
        ));
    }
    let (key_lists, rt_lists) = (t.key_lists.len(), t.resource_type_lists.len());
    for action in &t.actions {
        let lists =
            (action.keys as usize) < key_lists && (action.resource_types as usize) < rt_lists;
        if !lists || action.level as usize >= LEVELS.len() {
            return Err(inconsistent("actions", format!("{action:?}")));
        }
    }
    if t.resource_types
        .iter()
        .any(|r| r.keys as usize >= key_lists)
    {
        return Err(inconsistent(
            "resource types",
            "a key list beyond the lists",
        ));
    }
    let known_type = |k: &KeyRow| ((k.value_type & !0x10) as usize) < KEY_TYPES.len();
    if !t.condition_keys.iter().all(known_type) {
        return Err(inconsistent("condition keys", "an unknown type"));
    }
    let keys = t.condition_keys.len();
    if t.key_index
        .iter()
        .chain(&t.template_keys)
        .any(|&row| row as usize >= keys)
    {
        return Err(inconsistent("key index", "a row beyond the keys"));
    }
    let mut last = None;
    for (action, _) in &t.dependent_actions {
        if *action as usize >= t.actions.len() || last.is_some_and(|l| l >= *action) {
            return Err(inconsistent(
                "dependent actions",
                format!("action {action}"),
            ));
        }
        last = Some(*action);
    }
    Ok(())
}

/// Whether `a` sorts strictly before `b`, case-insensitively (equal bytes need no lower
/// casing: neighbouring names share their beginnings).
fn before(a: &[u8], b: &[u8]) -> bool {
    for (&x, &y) in a.iter().zip(b) {
        if x != y {
            let (x, y) = (x.to_ascii_lowercase(), y.to_ascii_lowercase());
            if x != y {
                return x < y;
            }
        }
    }
    a.len() < b.len()
}

/// The tables' content, beyond what [`read`] checks: every string on character boundaries,
/// names sorted as the layout says, each action's name the end of `prefix:Name`, each list
/// naming rows of its own service, template keys with placeholders. [`write`] verifies every
/// image it writes; the checksum [`read`] checks binds an image to what was verified.
///
/// [`write`]: super::write
pub fn verify(t: &Tables) -> Result<()> {
    let strings = t.strings;
    let bytes = strings.as_bytes();
    // In an ASCII table (as catalogues are) every offset is a character boundary.
    let ascii = strings.is_ascii();
    let span = |table: &'static str, s: Str| -> Result<&[u8]> {
        let (start, end) = (s.offset as usize, s.offset as usize + s.len as usize);
        let boundaries =
            ascii || (strings.is_char_boundary(start) && strings.is_char_boundary(end));
        match bytes.get(start..end) {
            Some(span) if boundaries => Ok(span),
            _ => Err(inconsistent(
                table,
                format!("string {s:?} outside the table"),
            )),
        }
    };
    // Names: in the table, not empty, strictly increasing case-insensitively.
    fn names<'s, T>(
        table: &'static str,
        rows: &[T],
        name: impl Fn(&T) -> Str,
        span: impl Fn(&'static str, Str) -> Result<&'s [u8]>,
    ) -> Result<()> {
        let mut previous: &[u8] = &[];
        for (i, row) in rows.iter().enumerate() {
            let name = span(table, name(row))?;
            if name.is_empty() || (i > 0 && !before(previous, name)) {
                let name = String::from_utf8_lossy(name);
                return Err(inconsistent(table, format!("{name:?} out of order")));
            }
            previous = name;
        }
        Ok(())
    }
    for (key, value) in &t.info {
        span("info", *key)?;
        span("info", *value)?;
    }
    names("services", &t.services, |s| s.prefix, span)?;
    for service in &t.services {
        span("services", service.name)?;
        let prefix = span("services", service.prefix)?;
        let actions = t
            .actions
            .get(service.actions.0 as usize..service.actions.1 as usize)
            .unwrap_or_default();
        names("actions", actions, |a| a.name, span)?;
        // Each name is the end of `prefix:Name`.
        for action in actions {
            let end = action.name.offset as usize;
            let full = end
                .checked_sub(prefix.len() + 1)
                .and_then(|start| bytes.get(start..end));
            if full.and_then(|f| f.strip_suffix(b":")) != Some(prefix) {
                return Err(inconsistent(
                    "actions",
                    format!("{action:?} after no prefix"),
                ));
            }
        }
        let keys = service.keys.0 as usize..service.keys.1 as usize;
        let keys = t.condition_keys.get(keys).unwrap_or_default();
        names("condition keys", keys, |k| k.name, span)?;
        let rts = service.resource_types.0 as usize..service.resource_types.1 as usize;
        let rts = t.resource_types.get(rts).unwrap_or_default();
        names("resource types", rts, |r| r.name, span)?;
        for rt in rts {
            span("resource types", rt.arn)?;
        }
    }
    // Lists name rows of their own service only.
    let service_of = |row: u16| &t.services[row as usize];
    let own = |lists: &Lists, id: u16, mask: u16, range: (u16, u16)| {
        lists
            .get(id)
            .iter()
            .all(|item| (range.0..range.1).contains(&(item & mask)))
    };
    for action in &t.actions {
        let service = service_of(action.service);
        if !own(&t.key_lists, action.keys, u16::MAX, service.keys)
            || !own(
                &t.resource_type_lists,
                action.resource_types,
                !REQUIRED,
                service.resource_types,
            )
        {
            return Err(inconsistent(
                "actions",
                format!("{action:?}: lists of another service"),
            ));
        }
    }
    for rt in &t.resource_types {
        if !own(&t.key_lists, rt.keys, u16::MAX, service_of(rt.service).keys) {
            return Err(inconsistent(
                "resource types",
                format!("{rt:?}: keys of another service"),
            ));
        }
    }
    let key = |row: &u16| t.condition_keys[*row as usize].name;
    let index: Vec<Str> = t.key_index.iter().map(key).collect();
    names("key index", &index, |s| *s, span)?;
    for row in &t.template_keys {
        if !is_template(&String::from_utf8_lossy(span("template keys", key(row))?)) {
            return Err(inconsistent("template keys", format!("row {row}")));
        }
    }
    for (_, dependent) in &t.dependent_actions {
        for name in dependent {
            span("dependent actions", *name)?;
        }
    }
    Ok(())
}
