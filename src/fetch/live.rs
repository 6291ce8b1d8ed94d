//! Live HTTP fetching with reqwest (rustls), timeouts, a descriptive User-Agent and bounded
//! concurrency.

use super::{Fetch, FetchError, FetchFuture};
use std::time::Duration;

pub struct LiveOptions {
    pub timeout: Duration,
    pub concurrency: usize,
    pub per_host: usize,
    pub user_agent: String,
    pub retries: u32,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            timeout: Duration::from_secs(30),
            concurrency: 8,
            per_host: 4,
            user_agent: String::new(),
            retries: 1,
        }
    }
}

pub struct LiveFetcher;

impl LiveFetcher {
    pub fn new(opts: LiveOptions) -> Result<LiveFetcher, FetchError> {
        let _ = opts;
        Ok(LiveFetcher)
    }
}

impl Fetch for LiveFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            Err(FetchError::Network {
                url: url.to_string(),
                message: "todo".into(),
            })
        })
    }
}
