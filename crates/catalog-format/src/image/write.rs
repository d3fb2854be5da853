//! Model → image.

use std::collections::{BTreeMap, HashMap};

use super::{HEADER_LEN, MAGIC, REQUIRED, SECTIONS, Str, VERSION, checksum};
use crate::{KEY_TYPES, LEVELS, Model, Result, is_template, lower, split_base_type};

/// A deduplicated string table.
#[derive(Default)]
struct Strings {
    text: String,
    index: HashMap<String, Str>,
}

impl Strings {
    fn add(&mut self, s: &str) -> Result<Str> {
        if let Some(found) = self.index.get(s) {
            return Ok(*found);
        }
        let offset = u32::try_from(self.text.len()).map_err(|_| "string table too large")?;
        let len = u16::try_from(s.len()).map_err(|_| format!("string too long: {s:.40}"))?;
        self.text.push_str(s);
        let found = Str { offset, len };
        self.index.insert(s.to_string(), found);
        Ok(found)
    }

    /// An action's name, stored as the end of `prefix:Name`.
    fn add_action_name(&mut self, prefix: &str, name: &str) -> Result<Str> {
        let full = self.add(&format!("{prefix}:{name}"))?;
        let len = u16::try_from(name.len()).map_err(|_| format!("name too long: {name:.40}"))?;
        Ok(Str {
            offset: full.offset + (prefix.len() + 1) as u32,
            len,
        })
    }
}

/// Interned lists of u16 items; list 0 is the empty list.
struct Lists {
    starts: Vec<u32>,
    items: Vec<u16>,
    index: HashMap<Vec<u16>, u16>,
}

impl Lists {
    fn new() -> Lists {
        Lists {
            starts: vec![0, 0],
            items: Vec::new(),
            index: HashMap::from([(Vec::new(), 0)]),
        }
    }

    fn add(&mut self, list: Vec<u16>) -> Result<u16> {
        if let Some(id) = self.index.get(&list) {
            return Ok(*id);
        }
        let id = u16::try_from(self.starts.len() - 1).map_err(|_| "too many distinct lists")?;
        self.items.extend_from_slice(&list);
        self.starts
            .push(u32::try_from(self.items.len()).map_err(|_| "list pool too large")?);
        self.index.insert(list, id);
        Ok(id)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        put_u32(out, (self.starts.len() - 1) as u32);
        for start in &self.starts {
            put_u32(out, *start);
        }
        for item in &self.items {
            put_u16(out, *item);
        }
    }
}

fn put_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_u32(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: Str) {
    put_u32(out, s.offset);
    put_u16(out, s.len);
}

fn u16_of(n: usize, what: &str) -> Result<u16> {
    u16::try_from(n).map_err(|_| format!("too many {what} for the image's 16-bit rows"))
}

fn level_code(level: &str) -> Result<u8> {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .map(|p| p as u8)
        .ok_or_else(|| format!("unknown access level {level}"))
}

fn value_type_code(ty: &str) -> Result<u8> {
    let (base, multivalued) = split_base_type(ty);
    let code = KEY_TYPES
        .iter()
        .position(|t| *t == base)
        .ok_or_else(|| format!("unknown key type {ty}"))?;
    Ok(code as u8 | if multivalued { 0x10 } else { 0 })
}

/// The image of a model's service tables, read back and verified. The model must be sorted
/// and closed, as [`Model::validate_service_tables`] checks.
pub fn write(m: &Model) -> Result<Vec<u8>> {
    let mut strings = Strings::default();
    let mut sections: Vec<Vec<u8>> = vec![Vec::new(); SECTIONS];

    for entry in m.info.entries() {
        put_str(&mut sections[1], strings.add(&entry.key)?);
        put_str(&mut sections[1], strings.add(&entry.value)?);
    }

    let service_index: HashMap<String, usize> = m
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| (lower(&s.prefix), i))
        .collect();
    let mut counts = vec![(0u32, 0usize, 0usize); m.services.len()];
    let service_of = |prefix: &str| -> Result<usize> {
        service_index
            .get(&lower(prefix))
            .copied()
            .ok_or_else(|| format!("unknown service {prefix}"))
    };

    // Condition keys, and the distinct names (sorted case-insensitively, at their first row).
    let mut key_row: HashMap<(String, String), u16> = HashMap::new();
    let mut distinct: BTreeMap<String, u16> = BTreeMap::new();
    for (row, k) in m.condition_keys.iter().enumerate() {
        let row = u16_of(row, "condition keys")?;
        counts[service_of(&k.prefix)?].1 += 1;
        key_row.insert((lower(&k.prefix), lower(&k.key)), row);
        distinct.entry(lower(&k.key)).or_insert(row);
        put_str(&mut sections[5], strings.add(&k.key)?);
        sections[5].push(value_type_code(&k.ty)?);
    }
    let keys_of = |prefix: &str, keys: &[String]| -> Result<Vec<u16>> {
        keys.iter()
            .map(|k| {
                key_row
                    .get(&(lower(prefix), lower(k)))
                    .copied()
                    .ok_or_else(|| format!("undefined key {k}"))
            })
            .collect()
    };
    let mut key_lists = Lists::new();

    let mut rt_row: HashMap<(String, String), u16> = HashMap::new();
    for (row, r) in m.resource_types.iter().enumerate() {
        let row = u16_of(row, "resource types")?;
        if row >= REQUIRED {
            return Err("too many resource types for the 15-bit list items".into());
        }
        counts[service_of(&r.prefix)?].2 += 1;
        rt_row.insert((lower(&r.prefix), lower(&r.name)), row);
        put_str(&mut sections[4], strings.add(&r.name)?);
        put_str(&mut sections[4], strings.add(&r.arn)?);
        put_u16(
            &mut sections[4],
            key_lists.add(keys_of(&r.prefix, &r.condition_keys)?)?,
        );
    }

    let mut rt_lists = Lists::new();
    for (row, a) in m.actions.iter().enumerate() {
        counts[service_of(&a.prefix)?].0 += 1;
        let mut rts = Vec::new();
        for (rt, required) in &a.resource_types {
            let row = rt_row
                .get(&(lower(&a.prefix), lower(rt)))
                .ok_or_else(|| format!("undefined resource type {rt}"))?;
            rts.push(row | if *required { REQUIRED } else { 0 });
        }
        put_str(
            &mut sections[3],
            strings.add_action_name(&a.prefix, &a.name)?,
        );
        sections[3].push(level_code(&a.level)?);
        put_u16(
            &mut sections[3],
            key_lists.add(keys_of(&a.prefix, &a.condition_keys)?)?,
        );
        put_u16(&mut sections[3], rt_lists.add(rts)?);
        if !a.dependent_actions.is_empty() {
            put_u32(&mut sections[10], row as u32);
            put_u16(
                &mut sections[10],
                u16_of(a.dependent_actions.len(), "dependent actions")?,
            );
            for dependent in &a.dependent_actions {
                put_str(&mut sections[10], strings.add(dependent)?);
            }
        }
    }

    for (s, (actions, keys, rts)) in m.services.iter().zip(counts) {
        put_str(&mut sections[2], strings.add(&s.prefix)?);
        put_str(&mut sections[2], strings.add(&s.name)?);
        put_u32(&mut sections[2], actions);
        put_u16(&mut sections[2], u16_of(keys, "condition keys")?);
        put_u16(&mut sections[2], u16_of(rts, "resource types")?);
    }
    key_lists.encode(&mut sections[6]);
    rt_lists.encode(&mut sections[7]);
    for (name, row) in &distinct {
        put_u16(&mut sections[8], *row);
        if is_template(name) {
            put_u16(&mut sections[9], *row);
        }
    }
    sections[0] = strings.text.into_bytes();

    let mut body = Vec::new();
    for section in &sections {
        let len = u32::try_from(section.len()).map_err(|_| "section too large")?;
        put_u32(&mut body, len);
        body.extend_from_slice(section);
    }
    let mut image = Vec::with_capacity(HEADER_LEN + body.len());
    image.extend_from_slice(&MAGIC);
    put_u32(&mut image, VERSION);
    put_u32(
        &mut image,
        u32::try_from(body.len()).map_err(|_| "image too large")?,
    );
    image.extend_from_slice(&checksum(&body).to_le_bytes());
    image.extend_from_slice(&body);
    // What the checksum binds must be right: no image that fails `verify` is written.
    super::read(&image)
        .and_then(|tables| super::verify(&tables))
        .map_err(|e| format!("the image written does not read back: {e}"))?;
    Ok(image)
}
