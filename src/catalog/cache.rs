//! The catalogue cache: a catalogue image that `iam-policy-lsp catalog update` fetched from
//! AWS's service reference (or a mirror) and wrote in the user's cache folder, so the data is
//! never older than the last update, whatever the binary's age.
//!
//! The folder is `$IAM_POLICY_LSP_CACHE_DIR` when set, else the platform's cache folder
//! (`$XDG_CACHE_HOME/iam-policy-lsp` or `~/.cache/iam-policy-lsp` on Linux,
//! `~/Library/Caches/iam-policy-lsp` on macOS, `%LOCALAPPDATA%\iam-policy-lsp` on Windows).
//! `IAM_POLICY_LSP_NO_CACHE=1` ignores it (the tests and the equivalence harness run so).
//! The file name carries the image layout version, so binaries of another layout keep
//! their own file. Reading the cache opens one file; nothing here touches the network.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use catalog_format::image;

use super::{Catalog, curated, embedded, install};

/// Overrides the cache folder.
pub const CACHE_DIR_VAR: &str = "IAM_POLICY_LSP_CACHE_DIR";
/// Set (to anything but `0` or empty) to ignore the cache.
pub const NO_CACHE_VAR: &str = "IAM_POLICY_LSP_NO_CACHE";

/// The cache folder, or `None` when the cache is off or the platform has no cache folder.
pub fn cache_dir() -> Option<PathBuf> {
    if std::env::var_os(NO_CACHE_VAR).is_some_and(|v| !v.is_empty() && v != "0") {
        return None;
    }
    match std::env::var_os(CACHE_DIR_VAR) {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => dirs::cache_dir().map(|dir| dir.join("iam-policy-lsp")),
    }
}

/// The cached image's file in `dir`.
pub fn cache_file(dir: &Path) -> PathBuf {
    dir.join(format!("catalog.v{}.image", image::VERSION))
}

/// What became of the cache when the program chose its catalogue.
#[derive(Clone, Debug)]
pub enum CacheState {
    /// `IAM_POLICY_LSP_NO_CACHE`, or no cache folder on this platform.
    Off,
    /// No cached catalogue at this path.
    Absent(PathBuf),
    /// In use: newer than (or as new as) the embedded one.
    InUse(PathBuf),
    /// Older than the embedded catalogue (a binary newer than the last update): not used.
    Older { path: PathBuf, date: String },
    /// Unreadable or not a valid image: not used.
    Broken { path: PathBuf, problem: String },
}

impl CacheState {
    /// A warning for the user, when the cache could not be used as it should.
    pub fn warning(&self) -> Option<String> {
        match self {
            CacheState::Broken { path, problem } => Some(format!(
                "the cached catalogue {} cannot be used ({problem}); using the embedded one. Run `iam-policy-lsp catalog update` to replace it.",
                path.display()
            )),
            _ => None,
        }
    }
}

static CHOICE: OnceLock<CacheState> = OnceLock::new();

/// Chooses the catalogue of this process, once: the cached one when it is there, valid, and
/// at least as new as the embedded one (it is then [`install`]ed), else the embedded one.
pub fn select() -> &'static CacheState {
    CHOICE.get_or_init(|| {
        let Some(dir) = cache_dir() else {
            return CacheState::Off;
        };
        let path = cache_file(&dir);
        match load(&path) {
            Ok(None) => CacheState::Absent(path),
            Ok(Some(catalog)) => {
                let date = catalog.date().to_string();
                if date.as_str() >= curated::DATA_DATE {
                    install(catalog);
                    CacheState::InUse(path)
                } else {
                    CacheState::Older { path, date }
                }
            }
            Err(problem) => CacheState::Broken { path, problem },
        }
    })
}

/// What [`select`] chose, if it ran.
pub fn selected() -> Option<&'static CacheState> {
    CHOICE.get()
}

/// The catalogue cached at `path`; `None` when there is no such file.
pub fn load(path: &Path) -> Result<Option<Catalog>, String> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read it: {e}")),
    };
    // The catalogue borrows its strings for the rest of the process, as the embedded one.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    Catalog::from_image(bytes)
        .map(Some)
        .map_err(|e| format!("not a valid catalogue image: {e}"))
}

/// Replaces the cached image with `bytes` without ever leaving a partial file: written to a
/// temporary file of the same folder, flushed to disk, then renamed over the old one.
pub fn store(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

impl Catalog {
    /// The date of the catalogue's data, `YYYY-MM-DD`: when it was fetched, for a cached
    /// catalogue; the date of its iam-data package, for the embedded one.
    pub fn date(&self) -> &'static str {
        self.info("data_date")
            .or_else(|| self.info("iam_data_updated"))
            .unwrap_or("")
    }

    /// A line of the image's `info` table (`source`, `fetched_at`, `data_date`, …).
    pub fn info(&self, key: &str) -> Option<&'static str> {
        self.info
            .iter()
            .find(|(k, _)| k.text(self.strings) == key)
            .map(|(_, v)| v.text(self.strings))
            .filter(|v| !v.is_empty())
    }

    /// Whether this is the catalogue compiled into the binary.
    pub fn is_embedded(&'static self) -> bool {
        std::ptr::eq(self, embedded())
    }
}

/// How much a catalogue holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub services: usize,
    pub actions: usize,
    pub resource_types: usize,
    pub condition_keys: usize,
}

impl Catalog {
    /// Its numbers of services, actions, resource types and service condition keys.
    pub fn counts(&self) -> Counts {
        Counts {
            services: self.services.len(),
            actions: self.actions.len(),
            resource_types: self.resource_types.len(),
            condition_keys: self.condition_keys.len(),
        }
    }
}
