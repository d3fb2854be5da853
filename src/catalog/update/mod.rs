//! `iam-policy-lsp catalog update`: AWS's programmatic Service Authorization Reference (or a
//! mirror of it), read whole, checked, and written as the cached catalogue image.
//!
//! Nothing is written unless every file was read and understood: a network error, an HTTP
//! error, a truncated or malformed file or a service file missing from the source leaves the
//! previous cache as it was, and the error names what failed. The image is written to a
//! temporary file and renamed over the old one, so an interrupted update never leaves a
//! partial cache. This is the only code of the program that touches the network.

mod convert;
mod source;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use catalog_format::{GlobalKey, Info, InfoEntry, Model, Service, image};

pub use source::DEFAULT_SOURCE;
use source::{FetchError, Source};

use super::{Catalog, cache, embedded, global_condition_keys};

/// What an update did.
pub struct Updated {
    /// The new catalogue (not installed; it lives as long as the process).
    pub catalog: &'static Catalog,
    /// Where it was written.
    pub path: PathBuf,
    /// The source it was read from (after following a `v1/` folder).
    pub source: String,
    pub services: usize,
    pub actions: usize,
    /// Services and actions the embedded catalogue does not have.
    pub new_services: usize,
    pub new_actions: usize,
    /// Services and actions of the embedded catalogue this one lacks.
    pub gone_services: usize,
    pub gone_actions: usize,
    /// The image's size in bytes.
    pub bytes: usize,
    pub elapsed: Duration,
}

/// Reads the reference from `source` (AWS's address when `None`), and writes it as the
/// cached catalogue `path`. `progress(done, total)` is called as service files are read.
pub fn update(
    source: Option<&str>,
    path: &Path,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Updated, String> {
    let started = Instant::now();
    let given = source.is_some();
    let source = Source::parse(source.unwrap_or(DEFAULT_SOURCE));
    let (source, list) = match source.fetch("service-list.json") {
        Ok(list) => (source, list),
        // A mirror of AWS's whole address has the files one folder down.
        Err(FetchError::Missing(first)) if given => {
            let child = source.child("v1");
            match child.fetch("service-list.json") {
                Ok(list) => (child, list),
                Err(FetchError::Missing(_)) => return Err(first),
                Err(e) => return Err(e.message()),
            }
        }
        Err(e) => return Err(e.message()),
    };
    let services = convert::service_list(&list)
        .map_err(|e| format!("{}: {e}", source.locate("service-list.json")))?;
    let rows = fetch_services(&source, &services, progress)?;
    let model = model(&services, rows, &source)?;
    let bytes =
        image::write(&model).map_err(|e| format!("the catalogue cannot be written: {e}"))?;
    let leaked: &'static [u8] = Box::leak(bytes.clone().into_boxed_slice());
    let catalog = Catalog::from_image(leaked)
        .map_err(|e| format!("the catalogue written does not read back: {e}"))?;
    cache::store(path, &bytes).map_err(|e| format!("writing {}: {e}", path.display()))?;
    let catalog: &'static Catalog = Box::leak(Box::new(catalog));
    let (new_services, new_actions) = count_missing(catalog, embedded());
    let (gone_services, gone_actions) = count_missing(embedded(), catalog);
    Ok(Updated {
        path: path.to_path_buf(),
        source: source.describe(),
        services: catalog.service_count(),
        actions: catalog.action_count(),
        new_services,
        new_actions,
        gone_services,
        gone_actions,
        bytes: bytes.len(),
        elapsed: started.elapsed(),
        catalog,
    })
}

/// Every service file, read and converted by a few threads (the network waits, the JSON
/// takes a core); the first failure stops them all.
fn fetch_services(
    source: &Source,
    services: &[String],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<convert::ServiceRows>, String> {
    let workers = match source {
        Source::Url { .. } => 6,
        Source::Folder(_) => 2,
    };
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let results: Mutex<Vec<(usize, convert::ServiceRows)>> = Mutex::new(Vec::new());
    let total = services.len();
    std::thread::scope(|scope| {
        for _ in 0..workers.min(total) {
            scope.spawn(|| {
                while !failed.load(Ordering::Relaxed) {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(prefix) = services.get(i) else { break };
                    let relative = format!("{prefix}/{prefix}.json");
                    let converted = source
                        .fetch(&relative)
                        .map_err(FetchError::message)
                        .and_then(|bytes| {
                            convert::service_rows(prefix, &bytes)
                                .map_err(|e| format!("{}: {e}", source.locate(&relative)))
                        });
                    match converted {
                        Ok(rows) => {
                            lock(&results).push((i, rows));
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(e) => {
                            failed.store(true, Ordering::Relaxed);
                            lock(&failure).get_or_insert(e);
                        }
                    }
                }
            });
        }
        // Progress from this thread, while the workers run.
        let mut shown = usize::MAX;
        loop {
            let finished = done.load(Ordering::Relaxed);
            if finished != shown {
                progress(finished, total);
                shown = finished;
            }
            if finished == total || failed.load(Ordering::Relaxed) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    if let Some(problem) = lock(&failure).take() {
        return Err(problem);
    }
    let mut results = std::mem::take(&mut *lock(&results));
    results.sort_by_key(|(i, _)| *i);
    Ok(results.into_iter().map(|(_, rows)| rows).collect())
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The catalogue's model: the fetched tables, the embedded catalogue's service names and
/// required resource types (the programmatic reference has neither), closed and checked.
fn model(
    services: &[String],
    rows: Vec<convert::ServiceRows>,
    source: &Source,
) -> Result<Model, String> {
    let embedded = embedded();
    let mut m = Model {
        services: services
            .iter()
            .map(|prefix| Service {
                prefix: prefix.clone(),
                name: embedded
                    .service(prefix)
                    .and_then(|s| s.name())
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect(),
        global_keys: global_keys(),
        ..Model::default()
    };
    for service in rows {
        for mut action in service.actions {
            if let Some(known) = embedded.action(&action.prefix, &action.name) {
                for (name, required) in &mut action.resource_types {
                    *required = known
                        .resource_types()
                        .any(|r| r.required && r.resource_type.name().eq_ignore_ascii_case(name));
                }
            }
            m.actions.push(action);
        }
        m.resource_types.extend(service.resource_types);
        m.condition_keys.extend(service.condition_keys);
    }
    if m.actions.is_empty() {
        return Err(format!("{}: no service has any action", source.describe()));
    }
    m.close_service_tables();
    m.validate_service_tables()
        .map_err(|e| format!("{}: {e}", source.describe()))?;
    let (date, timestamp) = utc_now();
    let described = source.describe();
    m.info = Info {
        data_version: format!("AWS service reference fetched {date} from {described}"),
        extra: vec![
            entry("source", &described),
            entry("fetched_at", &timestamp),
            entry("data_date", &date),
        ],
        ..Info::default()
    };
    Ok(m)
}

fn entry(key: &str, value: &str) -> InfoEntry {
    InfoEntry {
        key: key.to_string(),
        value: value.to_string(),
    }
}

/// The global keys' types, which the stub definitions of keys actions name take.
fn global_keys() -> Vec<GlobalKey> {
    global_condition_keys()
        .iter()
        .map(|g| GlobalKey {
            key: g.name.to_string(),
            ty: g.value_type.sar_name(false).to_string(),
            multivalued: g.multivalued,
            also_accepts: Vec::new(),
            category: String::new(),
            legacy: g.legacy,
            sensitive: g.sensitive,
            description: String::new(),
        })
        .collect()
}

/// How many services, and actions of services both have, `a` has and `b` lacks.
fn count_missing(a: &'static Catalog, b: &'static Catalog) -> (usize, usize) {
    let mut services = 0;
    let mut actions = 0;
    for service in a.services() {
        match b.service(service.prefix()) {
            None => services += 1,
            Some(other) => {
                actions += service
                    .actions()
                    .filter(|action| other.action(action.name()).is_none())
                    .count()
            }
        }
    }
    (services, actions)
}

/// Today's date (`YYYY-MM-DD`) and the time (`YYYY-MM-DDTHH:MM:SSZ`), in UTC.
fn utc_now() -> (String, String) {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    let date = format!("{year:04}-{month:02}-{day:02}");
    let time = format!(
        "{date}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    (date, time)
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_454), (2026, 1, 1));
        assert_eq!(civil_from_days(20_792), (2026, 12, 5));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
    }
}
