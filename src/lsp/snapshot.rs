//! One version of an open document as the analysis sees it: its text (a rope, which clones in
//! constant time), the client's version, the options in force, and its analysis once done.
//!
//! Every change of a document (or of the settings) makes a new snapshot and marks the one it
//! replaces as superseded. The publisher and the requests share a snapshot through an `Arc`
//! and take its analysis outside the server's lock: it is computed once, by whichever asks
//! first, while the others wait for it. The publisher's computation gives up when the snapshot
//! is superseded (a newer version's diagnostics are wanted instead); a request's does not (its
//! positions refer to this version's text).
//!
//! A YAML document's diagnostics come from its `IncrementalAnalysis` (its kept tree and
//! per-entry findings, `analysis::incremental`), which the snapshots of one document share:
//! the same findings as the analysis, at the cost of what changed since the last version it
//! saw. Requests still take the whole analysis (the tree the editor features read).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use ropey::Rope;

use super::document::Document;
use super::position::Encoding;
use crate::analysis::incremental::{IncrementalAnalysis, Outcome};
use crate::analysis::{Analysis, Finding, Options, analyze_until};
use crate::host::Host;

/// Documents up to this size are analysed on the async worker that needs the analysis (a few
/// milliseconds at most); larger ones on a blocking thread. Handing the analysis to another
/// thread cost the 203 KB benchmark policy a fifth of its edit-to-diagnostics latency on a busy
/// machine (two more thread wake-ups per edit).
const ANALYSED_INLINE_UP_TO: usize = 1024 * 1024;

pub(crate) struct Snapshot {
    /// Unique over the server's life: tells this snapshot from any other of the same document,
    /// a reopened one included.
    pub(crate) revision: u64,
    pub(crate) version: i32,
    pub(crate) rope: Rope,
    pub(crate) encoding: Encoding,
    options: Arc<Options>,
    superseded: AtomicBool,
    /// The analysis once computed, until the server forgets it to save memory (see
    /// `server::State::keep_analysis`): then it is computed again if asked for.
    analysis: Mutex<Option<Arc<Analysis>>>,
    /// Held while the analysis is computed, so that it is computed once.
    computing: Mutex<()>,
    /// The document's incremental analysis, for a YAML document.
    incremental: Option<Arc<Mutex<IncrementalAnalysis>>>,
    /// The findings once computed by `incremental`.
    findings: Mutex<Option<Arc<Vec<Finding>>>>,
}

/// What diagnostics are made of: the findings of a whole analysis, or of an incremental one.
pub(crate) enum Diagnosed {
    Analysis(Arc<Analysis>),
    Findings(Arc<Vec<Finding>>),
}

impl Diagnosed {
    pub(crate) fn findings(&self) -> &[Finding] {
        match self {
            Diagnosed::Analysis(analysis) => &analysis.findings,
            Diagnosed::Findings(findings) => findings,
        }
    }
}

/// Whether an analysis may give up once its snapshot is superseded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Supersede {
    GiveUp,
    Finish,
}

impl Snapshot {
    fn new(
        revision: u64,
        version: i32,
        rope: Rope,
        encoding: Encoding,
        options: Arc<Options>,
        incremental: Option<Arc<Mutex<IncrementalAnalysis>>>,
    ) -> Self {
        Self {
            revision,
            version,
            rope,
            encoding,
            options,
            superseded: AtomicBool::new(false),
            analysis: Mutex::new(None),
            computing: Mutex::new(()),
            incremental,
            findings: Mutex::new(None),
        }
    }

    /// The document as it is now; a YAML document's diagnostics are computed by
    /// `incremental`.
    pub(crate) fn of(
        revision: u64,
        document: &Document,
        encoding: Encoding,
        options: &Arc<Options>,
        incremental: &Arc<Mutex<IncrementalAnalysis>>,
    ) -> Self {
        let incremental = (options.host == Host::Yaml).then(|| Arc::clone(incremental));
        Self::new(
            revision,
            document.version,
            document.rope.clone(),
            encoding,
            Arc::clone(options),
            incremental,
        )
    }

    /// A newer snapshot of the document (or none: it was closed) replaces this one.
    pub(crate) fn supersede(&self) {
        self.superseded.store(true, Ordering::Relaxed);
    }

    pub(crate) fn is_superseded(&self) -> bool {
        self.superseded.load(Ordering::Relaxed)
    }

    fn done(&self) -> MutexGuard<'_, Option<Arc<Analysis>>> {
        self.analysis.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The analysis if it is computed (and not forgotten).
    fn computed(&self) -> Option<Arc<Analysis>> {
        self.done().clone()
    }

    /// Forgets the analysis (a tree of several times the text's size), returned so that the
    /// caller frees it outside its lock; a request computes it again.
    pub(crate) fn forget_analysis(&self) -> Option<Arc<Analysis>> {
        self.done().take()
    }

    /// Whether the analysis is held.
    #[cfg(test)]
    pub(crate) fn holds_analysis(&self) -> bool {
        self.done().is_some()
    }

    /// The analysis of this version, from an async task: at once when it is done; computed on
    /// this worker for a document of up to [`ANALYSED_INLINE_UP_TO`] bytes, else on a blocking
    /// thread (so that a large document holds up no other request). `None` when
    /// `when_superseded` is `GiveUp` and the snapshot was superseded before the analysis was
    /// done.
    pub(crate) async fn analysis(
        self: &Arc<Self>,
        when_superseded: Supersede,
    ) -> Option<Arc<Analysis>> {
        if let Some(done) = self.computed() {
            return Some(done);
        }
        if self.rope.len_bytes() <= ANALYSED_INLINE_UP_TO {
            return self.analysis_blocking(when_superseded);
        }
        let snapshot = Arc::clone(self);
        tokio::task::spawn_blocking(move || snapshot.analysis_blocking(when_superseded))
            .await
            .ok()
            .flatten()
    }

    /// The findings to publish for this version, as [`Snapshot::analysis`] gives the
    /// analysis: a YAML document's from its incremental analysis, unless the whole analysis
    /// is at hand.
    pub(crate) async fn diagnostics(
        self: &Arc<Self>,
        when_superseded: Supersede,
    ) -> Option<Diagnosed> {
        if self.incremental.is_none() {
            return self
                .analysis(when_superseded)
                .await
                .map(Diagnosed::Analysis);
        }
        if let Some(done) = self.computed_diagnostics() {
            return Some(done);
        }
        if self.rope.len_bytes() <= ANALYSED_INLINE_UP_TO {
            return self.diagnostics_blocking(when_superseded);
        }
        let snapshot = Arc::clone(self);
        tokio::task::spawn_blocking(move || snapshot.diagnostics_blocking(when_superseded))
            .await
            .ok()
            .flatten()
    }

    fn found(&self) -> MutexGuard<'_, Option<Arc<Vec<Finding>>>> {
        self.findings.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn computed_diagnostics(&self) -> Option<Diagnosed> {
        if let Some(done) = self.computed() {
            return Some(Diagnosed::Analysis(done));
        }
        self.found().clone().map(Diagnosed::Findings)
    }

    fn diagnostics_blocking(&self, when_superseded: Supersede) -> Option<Diagnosed> {
        let incremental = self.incremental.as_ref()?;
        if let Some(done) = self.computed_diagnostics() {
            return Some(done);
        }
        let _computing = self
            .computing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = self.computed_diagnostics() {
            return Some(done);
        }
        let give_up = || when_superseded == Supersede::GiveUp && self.is_superseded();
        if give_up() {
            return None;
        }
        let text = self.rope.to_string();
        let mut incremental = incremental.lock().unwrap_or_else(PoisonError::into_inner);
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            incremental.update(text, &self.options, &give_up)
        }));
        tracing::debug!(update = ?incremental.last_update(), "incremental analysis");
        let findings = match outcome {
            Ok(Some(Outcome::Findings(findings))) => findings,
            Ok(Some(Outcome::Analysis(analysis))) => {
                let analysis = Arc::new(analysis);
                *self.done() = Some(Arc::clone(&analysis));
                return Some(Diagnosed::Analysis(analysis));
            }
            Ok(None) => return None,
            Err(_) => {
                tracing::error!(
                    "the analysis panicked; this document gets no diagnostics until it changes"
                );
                incremental.forget();
                Vec::new()
            }
        };
        let findings = Arc::new(findings);
        *self.found() = Some(Arc::clone(&findings));
        Some(Diagnosed::Findings(findings))
    }

    /// The analysis of this version, computed on the calling thread if no other has (or
    /// waiting for the one that is at it).
    fn analysis_blocking(&self, when_superseded: Supersede) -> Option<Arc<Analysis>> {
        if let Some(done) = self.computed() {
            return Some(done);
        }
        let _computing = self
            .computing
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(done) = self.computed() {
            return Some(done);
        }
        let give_up = || when_superseded == Supersede::GiveUp && self.is_superseded();
        if give_up() {
            return None;
        }
        let text = self.rope.to_string();
        // A bug in a rule must cost the user this document's diagnostics, not the server.
        let analysis = match catch_unwind(AssertUnwindSafe(|| {
            analyze_until(&text, &self.options, &give_up)
        })) {
            Ok((analysis, true)) => analysis,
            Ok((_, false)) => return None,
            Err(_) => {
                tracing::error!(
                    "the analysis panicked; this document gets no diagnostics until it changes"
                );
                Analysis::empty(Vec::new())
            }
        };
        let analysis = Arc::new(analysis);
        *self.done() = Some(Arc::clone(&analysis));
        Some(analysis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALOW: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

    fn snapshot(text: &str) -> Snapshot {
        Snapshot::new(
            1,
            1,
            Rope::from_str(text),
            Encoding::Utf16,
            Arc::new(Options::default()),
            None,
        )
    }

    #[test]
    fn the_analysis_is_computed_once_and_shared() {
        let snapshot = snapshot(ALOW);
        let first = snapshot.analysis_blocking(Supersede::GiveUp).unwrap();
        let second = snapshot.analysis_blocking(Supersede::Finish).unwrap();
        assert!(Arc::ptr_eq(&first, &second));
        assert_eq!(first.findings.len(), 1);
    }

    #[test]
    fn a_superseded_snapshot_is_analysed_only_for_requests() {
        let snapshot = snapshot(ALOW);
        snapshot.supersede();
        assert!(snapshot.analysis_blocking(Supersede::GiveUp).is_none());
        // A request on this version still gets its analysis, and then so does everyone.
        let analysis = snapshot.analysis_blocking(Supersede::Finish).unwrap();
        assert_eq!(analysis.findings.len(), 1);
        assert!(snapshot.analysis_blocking(Supersede::GiveUp).is_some());
    }

    #[test]
    fn a_forgotten_analysis_is_computed_again() {
        let snapshot = snapshot(ALOW);
        let first = snapshot.analysis_blocking(Supersede::GiveUp).unwrap();
        assert!(snapshot.holds_analysis());
        assert!(Arc::ptr_eq(&snapshot.forget_analysis().unwrap(), &first));
        assert!(!snapshot.holds_analysis());
        let again = snapshot.analysis_blocking(Supersede::Finish).unwrap();
        assert!(!Arc::ptr_eq(&first, &again));
        assert_eq!(again.findings, first.findings);
    }
}
