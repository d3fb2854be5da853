//! Where the service reference is read from: AWS's address, a mirror URL, or a mirror folder
//! with the same layout (`service-list.json`, then `<service>/<service>.json` beside it).

use std::path::PathBuf;
use std::time::Duration;

/// AWS's programmatic Service Authorization Reference.
pub const DEFAULT_SOURCE: &str = "https://servicereference.us-east-1.amazonaws.com/v1/";

/// The largest file accepted (AWS's largest service file, ec2, is about 2 MB).
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// A folder or a base URL, ending with `/`, that holds `service-list.json`.
#[derive(Clone, Debug)]
pub(crate) enum Source {
    Folder(PathBuf),
    Url { base: String, agent: ureq::Agent },
}

/// Why a file could not be read.
#[derive(Debug)]
pub(crate) enum FetchError {
    /// The file is not there (404, 403, no such file): the layout may be one level down.
    Missing(String),
    Other(String),
}

impl FetchError {
    pub(crate) fn message(self) -> String {
        match self {
            FetchError::Missing(m) | FetchError::Other(m) => m,
        }
    }
}

impl Source {
    /// The source a `--source` value names: `http://` and `https://` are URLs, `file://`
    /// and anything else a folder.
    pub(crate) fn parse(text: &str) -> Source {
        if text.starts_with("http://") || text.starts_with("https://") {
            let base = if text.ends_with('/') {
                text.to_string()
            } else {
                format!("{text}/")
            };
            return Source::Url {
                base,
                agent: agent(),
            };
        }
        Source::Folder(PathBuf::from(text.strip_prefix("file://").unwrap_or(text)))
    }

    /// How the source is named in messages and in the cache's record.
    pub(crate) fn describe(&self) -> String {
        match self {
            Source::Folder(dir) => dir.display().to_string(),
            Source::Url { base, .. } => base.clone(),
        }
    }

    /// The same source one folder down (`v1/`, as AWS's own layout has it).
    pub(crate) fn child(&self, folder: &str) -> Source {
        match self {
            Source::Folder(dir) => Source::Folder(dir.join(folder)),
            Source::Url { base, agent } => Source::Url {
                base: format!("{base}{folder}/"),
                agent: agent.clone(),
            },
        }
    }

    /// Where `relative` is, for messages.
    pub(crate) fn locate(&self, relative: &str) -> String {
        match self {
            Source::Folder(dir) => dir.join(relative).display().to_string(),
            Source::Url { base, .. } => format!("{base}{relative}"),
        }
    }

    /// The bytes of the file at `relative` (a path of ASCII names joined by `/`).
    pub(crate) fn fetch(&self, relative: &str) -> Result<Vec<u8>, FetchError> {
        let location = self.locate(relative);
        match self {
            Source::Folder(dir) => {
                let path = dir.join(relative);
                match std::fs::metadata(&path) {
                    Ok(meta) if meta.len() > MAX_FILE => {
                        return Err(FetchError::Other(format!(
                            "{location}: larger than {MAX_FILE} bytes"
                        )));
                    }
                    Ok(_) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        return Err(FetchError::Missing(format!("{location}: no such file")));
                    }
                    Err(e) => return Err(FetchError::Other(format!("{location}: {e}"))),
                }
                std::fs::read(&path).map_err(|e| FetchError::Other(format!("{location}: {e}")))
            }
            Source::Url { agent, .. } => {
                let mut response = agent
                    .get(&location)
                    .call()
                    .map_err(|e| FetchError::Other(format!("GET {location}: {e}")))?;
                let status = response.status().as_u16();
                if status == 404 || status == 403 {
                    return Err(FetchError::Missing(format!(
                        "GET {location}: HTTP {status}"
                    )));
                }
                if status != 200 {
                    return Err(FetchError::Other(format!("GET {location}: HTTP {status}")));
                }
                response
                    .body_mut()
                    .with_config()
                    .limit(MAX_FILE)
                    .read_to_vec()
                    .map_err(|e| {
                        FetchError::Other(format!("GET {location}: reading the body: {e}"))
                    })
            }
        }
    }
}

/// The HTTP client: the platform's trust store (so a mirror behind a company's own
/// certificate authority works), the proxy of `HTTPS_PROXY`/`ALL_PROXY`/`NO_PROXY`, bounded
/// waits, and status codes handled here.
fn agent() -> ureq::Agent {
    use ureq::tls::{RootCerts, TlsConfig};
    ureq::Agent::config_builder()
        .tls_config(
            TlsConfig::builder()
                .root_certs(RootCerts::PlatformVerifier)
                .build(),
        )
        .http_status_as_error(false)
        .timeout_connect(Some(Duration::from_secs(15)))
        .timeout_global(Some(Duration::from_secs(120)))
        .user_agent(concat!("iam-policy-lsp/", env!("CARGO_PKG_VERSION")))
        .build()
        .new_agent()
}
