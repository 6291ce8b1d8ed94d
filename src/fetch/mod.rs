//! Getting bytes for a URL: the only door to the network.
//!
//! Everything above this module sees one interface, [`Fetch`], with two implementations:
//! [`live::LiveFetcher`] (reqwest over HTTPS) and [`replay::ReplayFetcher`] (a recorded
//! snapshot directory). [`record::Recorder`] wraps any fetcher and remembers every response so
//! that `twir-events snapshot` can write them out. A failed fetch is a value
//! ([`FetchError`]), reported per source; it never aborts a run.

pub mod live;
pub mod record;
pub mod replay;

use std::future::Future;
use std::pin::Pin;

/// One HTTP response, as recorded or received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The URL that was asked for (not the one redirected to).
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

impl Response {
    /// The body as text (lossy UTF-8: feeds and pages here are UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Why a URL could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: timed out after {seconds} s")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: {message}")]
    Network { url: String, message: String },
    #[error("{url}: not in the snapshot {dir} (record it again with `twir-events snapshot`)")]
    NotRecorded { url: String, dir: String },
    #[error("{url}: the snapshot file {file} could not be read: {message}")]
    SnapshotFile {
        url: String,
        file: String,
        message: String,
    },
}

pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, FetchError>> + Send + 'a>>;

/// Something that turns a URL into a [`Response`]. Implementations are cheap to share
/// (`&dyn Fetch` across tasks) and bound their own concurrency.
pub trait Fetch: Send + Sync {
    /// Fetch `url`. A non-2xx status is an `Err(FetchError::Status)`.
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a>;
}
