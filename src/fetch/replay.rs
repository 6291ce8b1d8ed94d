//! Replaying a snapshot directory (`manifest.json` plus response files).

use super::{Fetch, FetchError, FetchFuture};
use chrono::{DateTime, FixedOffset};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SnapshotError(pub String);

pub struct ReplayFetcher {
    dir: PathBuf,
}

impl ReplayFetcher {
    pub fn open(dir: &Path) -> Result<ReplayFetcher, SnapshotError> {
        Ok(ReplayFetcher {
            dir: dir.to_path_buf(),
        })
    }
    pub fn recorded_at(&self) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2023-01-01T00:00:00Z").unwrap()
    }
    pub fn sources_file(&self) -> Option<PathBuf> {
        Some(self.dir.join("sources.toml")).filter(|p| p.exists())
    }
}

impl Fetch for ReplayFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            Err(FetchError::NotRecorded {
                url: url.to_string(),
                dir: self.dir.display().to_string(),
            })
        })
    }
}
