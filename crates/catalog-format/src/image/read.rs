//! Image → checked tables. Nothing in an image is trusted: a truncated, corrupted or
//! inconsistent image is an [`ImageError`], never a panic or a table that misleads a lookup.

use std::cmp::Ordering;
use std::fmt;

use super::{
    ActionRow, HEADER_LEN, KeyRow, Lists, MAGIC, REQUIRED, ResourceTypeRow, SECTIONS, ServiceRow,
    Str, Tables, VERSION, checksum, cmp_ci,
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

    fn u8(&mut self) -> Result<u8> {
        Ok(self.array::<1>()?[0])
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

    /// Records of `size` bytes until the end of the section.
    fn records<T>(
        &mut self,
        size: usize,
        mut record: impl FnMut(&mut Self) -> Result<T>,
    ) -> Result<Vec<T>> {
        if !self.bytes.len().is_multiple_of(size) {
            return Err(ImageError::Truncated);
        }
        let mut out = Vec::with_capacity(self.bytes.len() / size);
        while !self.is_empty() {
            out.push(record(self)?);
        }
        Ok(out)
    }
}

fn inconsistent(table: &'static str, what: impl Into<String>) -> ImageError {
    ImageError::Inconsistent(table, what.into())
}

/// The checked tables of an image.
pub fn read(image: &[u8]) -> Result<Tables<'_>> {
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
    if body.len() > body_len || checksum(body) != sum {
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
        mut info,
        mut services,
        mut actions,
        mut resource_types,
        mut condition_keys,
        mut key_lists,
        mut resource_type_lists,
        mut key_index,
        mut template_keys,
        mut dependent_actions,
    ] = <[Cursor; SECTIONS]>::try_from(sections).map_err(|_| ImageError::Corrupted)?;
    let strings =
        std::str::from_utf8(strings.bytes).map_err(|e| inconsistent("strings", e.to_string()))?;
    let mut tables = Tables {
        strings,
        info: info.records(12, |c| Ok((c.str()?, c.str()?)))?,
        services: services
            .records(20, |c| {
                let (prefix, name) = (c.str()?, c.str()?);
                let counts = (c.u32()?, c.u16()?, c.u16()?);
                Ok((prefix, name, counts))
            })?
            .into_iter()
            .map(|(prefix, name, (a, k, r))| ServiceRow {
                prefix,
                name,
                actions: (0, a),
                keys: (0, k),
                resource_types: (0, r),
            })
            .collect(),
        actions: actions.records(11, |c| {
            Ok(ActionRow {
                name: c.str()?,
                service: 0,
                level: c.u8()?,
                keys: c.u16()?,
                resource_types: c.u16()?,
            })
        })?,
        resource_types: resource_types.records(14, |c| {
            Ok(ResourceTypeRow {
                name: c.str()?,
                arn: c.str()?,
                service: 0,
                keys: c.u16()?,
            })
        })?,
        condition_keys: condition_keys.records(7, |c| {
            Ok(KeyRow {
                name: c.str()?,
                service: 0,
                value_type: c.u8()?,
            })
        })?,
        key_lists: lists(&mut key_lists)?,
        resource_type_lists: lists(&mut resource_type_lists)?,
        key_index: key_index.records(2, Cursor::u16)?,
        template_keys: template_keys.records(2, Cursor::u16)?,
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
    check(&tables)?;
    Ok(tables)
}

fn lists(section: &mut Cursor) -> Result<Lists> {
    let count = section.u32()? as usize;
    let starts = (0..=count)
        .map(|_| section.u32())
        .collect::<Result<Vec<u32>>>()?;
    let items = section.records(2, Cursor::u16)?;
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

/// Every invariant the catalogue's lookups rely on.
fn check(t: &Tables) -> Result<()> {
    let text = |table: &'static str, s: Str| -> Result<&str> {
        let start = s.offset as usize;
        t.strings
            .get(start..start + s.len as usize)
            .ok_or_else(|| inconsistent(table, format!("string {s:?} outside the table")))
    };
    // Strictly increasing, case-insensitively.
    let sorted = |table: &'static str, names: &[&str]| -> Result<()> {
        match names
            .windows(2)
            .find(|w| cmp_ci(w[0], w[1]) != Ordering::Less)
        {
            Some(w) => Err(inconsistent(table, format!("{} before {}", w[0], w[1]))),
            None => Ok(()),
        }
    };
    for (key, value) in &t.info {
        text("info", *key)?;
        text("info", *value)?;
    }
    let mut prefixes = Vec::with_capacity(t.services.len());
    for s in &t.services {
        prefixes.push(text("services", s.prefix)?);
        text("services", s.name)?;
    }
    sorted("services", &prefixes)?;
    if prefixes.iter().any(|p| p.is_empty()) {
        return Err(inconsistent("services", "an empty prefix"));
    }
    let service_of = |row: u16| &t.services[row as usize];
    let mut names = Vec::new();
    for (service, prefix) in t.services.iter().zip(&prefixes) {
        let rows = t
            .actions
            .get(service.actions.0 as usize..service.actions.1 as usize);
        names.clear();
        for action in rows.unwrap_or_default() {
            let name = text("actions", action.name)?;
            // The name is the end of `prefix:Name`.
            let start = (action.name.offset as usize).checked_sub(prefix.len() + 1);
            let before = start.and_then(|start| t.strings.get(start..action.name.offset as usize));
            if before.and_then(|b| b.strip_suffix(':')) != Some(*prefix) || name.is_empty() {
                return Err(inconsistent("actions", format!("{prefix}:{name}")));
            }
            names.push(name);
        }
        sorted("actions", &names)?;
        names.clear();
        let keys = service.keys.0 as usize..service.keys.1 as usize;
        for key in t.condition_keys.get(keys).unwrap_or_default() {
            names.push(text("condition keys", key.name)?);
        }
        sorted("condition keys", &names)?;
        names.clear();
        let rts = service.resource_types.0 as usize..service.resource_types.1 as usize;
        for rt in t.resource_types.get(rts).unwrap_or_default() {
            names.push(text("resource types", rt.name)?);
            text("resource types", rt.arn)?;
        }
        sorted("resource types", &names)?;
    }
    // Lists name rows of their own service only.
    let keys_of = |id: u16, service: u16| -> Result<()> {
        let range = service_of(service).keys;
        if id as usize >= t.key_lists.len()
            || !t
                .key_lists
                .get(id)
                .iter()
                .all(|k| (range.0..range.1).contains(k))
        {
            return Err(inconsistent("key lists", format!("list {id}")));
        }
        Ok(())
    };
    for action in &t.actions {
        keys_of(action.keys, action.service)?;
        let range = service_of(action.service).resource_types;
        let id = action.resource_types;
        let own = t
            .resource_type_lists
            .get(id)
            .iter()
            .all(|r| (range.0..range.1).contains(&(r & !REQUIRED)));
        if id as usize >= t.resource_type_lists.len() || !own {
            return Err(inconsistent("resource-type lists", format!("list {id}")));
        }
        if action.level as usize >= LEVELS.len() {
            return Err(inconsistent("actions", format!("level {}", action.level)));
        }
    }
    for rt in &t.resource_types {
        keys_of(rt.keys, rt.service)?;
    }
    for key in &t.condition_keys {
        if (key.value_type & !0x10) as usize >= KEY_TYPES.len() {
            return Err(inconsistent("condition keys", "an unknown type"));
        }
    }
    let key_name = |row: u16| {
        t.condition_keys
            .get(row as usize)
            .map(|k| k.name.text(t.strings))
            .ok_or_else(|| inconsistent("key index", format!("row {row}")))
    };
    let index: Vec<&str> = t
        .key_index
        .iter()
        .map(|&row| key_name(row))
        .collect::<Result<_>>()?;
    sorted("key index", &index)?;
    for &row in &t.template_keys {
        if !is_template(key_name(row)?) {
            return Err(inconsistent("template keys", format!("row {row}")));
        }
    }
    let mut last = None;
    for (action, dependent) in &t.dependent_actions {
        if *action as usize >= t.actions.len() || last.is_some_and(|l| l >= *action) {
            return Err(inconsistent(
                "dependent actions",
                format!("action {action}"),
            ));
        }
        last = Some(*action);
        for name in dependent {
            text("dependent actions", *name)?;
        }
    }
    Ok(())
}
