//! The hand-written inputs of `data/curated/`.

use std::collections::BTreeMap;
use std::path::Path;

use catalog_format::Result;
use catalog_format::tsv::parse_rows;

use super::read_text;

pub(crate) fn read_curated(root: &Path, name: &str, header: &[&str]) -> Result<Vec<Vec<String>>> {
    let path = root.join("data/curated").join(name);
    parse_rows(name, &read_text(&path)?, header)
}

pub(crate) fn curated_map(
    root: &Path,
    name: &str,
    header: &[&str],
) -> Result<BTreeMap<String, String>> {
    Ok(read_curated(root, name, header)?
        .into_iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect())
}
