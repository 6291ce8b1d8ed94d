//! Recording every response a run fetches, and writing a snapshot directory.

use super::{Fetch, FetchFuture};
use chrono::{DateTime, FixedOffset};
use std::path::Path;

pub struct Recorder<F: Fetch> {
    inner: F,
}

#[derive(Debug, Default)]
pub struct SnapshotSummary {
    pub responses: usize,
}

impl<F: Fetch> Recorder<F> {
    pub fn new(inner: F) -> Self {
        Recorder { inner }
    }
    pub fn write_snapshot(
        &self,
        dir: &Path,
        recorded_at: DateTime<FixedOffset>,
        sources_toml: Option<&str>,
    ) -> std::io::Result<SnapshotSummary> {
        let _ = (dir, recorded_at, sources_toml);
        Ok(SnapshotSummary::default())
    }
}

impl<F: Fetch> Fetch for Recorder<F> {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        self.inner.fetch(url)
    }
}

pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(path, bytes)
}
