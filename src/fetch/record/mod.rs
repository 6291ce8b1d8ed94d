//! Recording every response a run fetches, and writing a snapshot directory.
//!
//! [`Recorder`] wraps any [`Fetch`] and remembers each outcome in the order the URLs were first
//! asked for. [`Recorder::write_snapshot`] then writes the layout [`super::replay`] reads:
//! `manifest.json`, one body file per successful response under
//! `responses/<host>/<slug>-<hash>.<ext>`, and `sources.toml` when given. Responses with a
//! non-2xx status are kept in the manifest (without a body) so that a replay fails the same way;
//! network failures and timeouts are not responses and are only listed in the
//! [`SnapshotSummary`].
//!
//! Writing is atomic: everything goes into a sibling `DIR.tmp-<pid>`, which replaces `DIR` only
//! once complete (old renamed away, new renamed in, old removed). A failure leaves the old
//! snapshot as it was and no temporary directory behind. [`crate::files::write_atomically`] does the same for
//! one file (`.NAME.tmp-<pid>-<n>`).
//!
//! No temporary file is left behind: the ones alive are registered, and removed on SIGINT and
//! SIGTERM by [`crate::files::clean_up_on_signals`] (exit 130/143); the ones a killed process (`kill -9`,
//! power loss) left are removed by the next write to the same target, when their process no
//! longer runs (`kill(pid, 0)`). Only names of our exact pattern for that target are touched.
//!
//! Here: the recorder and the snapshot it writes. `file_names`: the body files' names. The file
//! and folder writers, the registry of temporary files, the signal handler and the clean-up
//! after killed writers are [`crate::files`]'s.

mod file_names;

use std::collections::{HashMap, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use chrono::{DateTime, FixedOffset};

use super::replay::{MANIFEST, Manifest, ManifestEntry, SOURCES};
use super::{Fetch, FetchError, FetchFuture, Response};
use crate::files::{create_dirs_below, write_dir_atomically, write_synced};
use file_names::unique_name;

/// What one request ended with.
#[derive(Debug, Clone)]
enum Outcome {
    /// Asked for, not finished (the future was dropped, or is still running).
    Pending,
    Done(Result<Response, FetchError>),
}

/// A fetcher that remembers every outcome of the fetcher it wraps.
#[derive(Debug)]
pub struct Recorder<F: Fetch> {
    inner: F,
    log: Mutex<Vec<(String, Outcome)>>,
}

/// What [`Recorder::write_snapshot`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub dir: PathBuf,
    /// Successful responses written with their body.
    pub responses: usize,
    /// Non-2xx responses recorded as failures (replayed as the same status).
    pub statuses: usize,
    /// Total size of the bodies written.
    pub bytes: u64,
    /// Failures that are not responses (timeouts, network errors), in request order: the
    /// snapshot does not contain these URLs.
    pub not_recorded: Vec<FetchError>,
}

impl<F: Fetch> Recorder<F> {
    pub fn new(inner: F) -> Self {
        Recorder {
            inner,
            log: Mutex::new(Vec::new()),
        }
    }

    /// The wrapped fetcher.
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// Number of requests seen so far (duplicates included).
    pub fn requests(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(String, Outcome)>> {
        // A poisoned lock means a task panicked while pushing; the log itself is consistent.
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One entry per URL, in the order of first request: the first success if there is one,
    /// else the first non-2xx status, else the first other failure. Unfinished requests are
    /// skipped.
    fn outcomes(&self) -> Vec<(String, Result<Response, FetchError>)> {
        let log = self.lock();
        let mut order: Vec<String> = Vec::new();
        let mut best: HashMap<&str, &Result<Response, FetchError>> = HashMap::new();
        for (url, outcome) in log.iter() {
            let Outcome::Done(result) = outcome else {
                continue;
            };
            match best.get(url.as_str()) {
                None => {
                    order.push(url.clone());
                    best.insert(url, result);
                }
                Some(prev) if rank(result) < rank(prev) => {
                    best.insert(url, result);
                }
                Some(_) => {}
            }
        }
        order
            .into_iter()
            .map(|url| {
                let result = best[url.as_str()].clone();
                (url, result)
            })
            .collect()
    }

    /// What each URL asked for ended with, as a snapshot records it: `Ok` for an answer with
    /// a body, else the failure (a status, a network error). Unfinished requests are absent.
    pub fn answered(&self) -> HashMap<String, Result<(), FetchError>> {
        self.outcomes()
            .into_iter()
            .map(|(url, r)| (url, r.map(drop)))
            .collect()
    }

    /// Writes the snapshot to `dir` atomically (see the module documentation), replacing any
    /// snapshot already there.
    pub fn write_snapshot(
        &self,
        dir: &Path,
        recorded_at: DateTime<FixedOffset>,
        sources_toml: Option<&str>,
    ) -> io::Result<SnapshotSummary> {
        let mut summary = SnapshotSummary {
            dir: dir.to_owned(),
            responses: 0,
            statuses: 0,
            bytes: 0,
            not_recorded: Vec::new(),
        };
        let mut entries = Vec::new();
        let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
        let mut taken: HashSet<String> = HashSet::new();
        for (url, result) in self.outcomes() {
            match result {
                Ok(resp) => {
                    let file = unique_name(&mut taken, &url, resp.content_type.as_deref());
                    summary.responses += 1;
                    summary.bytes += resp.body.len() as u64;
                    entries.push(ManifestEntry {
                        url,
                        status: resp.status,
                        content_type: resp.content_type,
                        file: Some(file.clone()),
                        redirected_to: resp.redirected_to,
                    });
                    bodies.push((file, resp.body));
                }
                Err(FetchError::Status { status, .. }) => {
                    summary.statuses += 1;
                    entries.push(ManifestEntry {
                        url,
                        status,
                        content_type: None,
                        file: None,
                        redirected_to: None,
                    });
                }
                Err(e) => summary.not_recorded.push(e),
            }
        }
        let manifest = Manifest {
            recorded_at,
            responses: entries,
        };
        let mut json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        json.push(b'\n');

        write_dir_atomically(dir, |tmp| {
            for (file, body) in &bodies {
                let path = tmp.join(file);
                if let Some(dir) = Path::new(file).parent() {
                    create_dirs_below(tmp, dir)?;
                }
                write_synced(&path, body)?;
            }
            write_synced(&tmp.join(MANIFEST), &json)?;
            if let Some(sources) = sources_toml {
                write_synced(&tmp.join(SOURCES), sources.as_bytes())?;
            }
            Ok(())
        })?;
        Ok(summary)
    }
}

impl<F: Fetch> Fetch for Recorder<F> {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        // Reserve the slot now, so the manifest follows the order of the calls, not of the
        // completions.
        let index = {
            let mut log = self.lock();
            log.push((url.to_owned(), Outcome::Pending));
            log.len() - 1
        };
        Box::pin(async move {
            let result = self.inner.fetch(url).await;
            self.lock()[index].1 = Outcome::Done(result.clone());
            result
        })
    }
}

/// How good an outcome is to keep for its URL: a success, else a status, else another failure.
fn rank(r: &Result<Response, FetchError>) -> u8 {
    match r {
        Ok(_) => 0,
        Err(FetchError::Status { .. }) => 1,
        Err(_) => 2,
    }
}
