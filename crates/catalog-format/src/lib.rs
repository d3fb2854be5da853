//! The IAM catalogue's data, in the three forms it takes:
//!
//! * [`Model`]: every table as plain Rust values;
//! * `data/*.tsv`: the committed, reviewable source of truth ([`tsv`]; each table's columns
//!   are declared once, in [`model`]);
//! * the catalogue image: a compact binary form of the large service tables that the
//!   language server embeds and decodes at start ([`image`]).
//!
//! `build.rs` reads the TSV files, checks them ([`Model::validate`]) and writes the image;
//! `gen-catalog` writes the TSV files from the upstream sources; the catalogue reads the
//! image. See `docs/catalog.md`.

mod close;
pub mod image;
pub mod model;
pub mod tsv;
mod validate;

pub use model::*;

/// What went wrong, in words for a person (file, row, column).
pub type Result<T> = std::result::Result<T, String>;

/// ASCII lower case, the catalogue's sort and comparison key.
pub fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}
