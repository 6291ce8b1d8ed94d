//! Live HTTP fetching with reqwest (rustls), timeouts, a descriptive User-Agent and bounded
//! concurrency.
//!
//! [`LiveFetcher`] is the only code in the crate that talks to the network. It bounds the number
//! of requests in flight twice: overall (`concurrency`) and per host (`per_host`, keyed by
//! `host:port`, so that meetup.com is never hammered however many groups are configured). A
//! request first waits for its host's permit, then for a global one, so a queue of requests to
//! one busy host never holds global permits that other hosts could use.
//!
//! Transient failures (timeouts, connection errors, HTTP 429 and 5xx) are retried `retries`
//! times with exponential backoff (0.5 s, 1 s, 2 s, …); a `Retry-After: <seconds>` header of at
//! most [`MAX_RETRY_AFTER`] is honoured instead of the backoff, a longer one ends the retries
//! (the server asked us to go away for a while; the run reports the failure). Other 4xx statuses
//! are never retried. Permits are kept during the backoff: waiting politely is the point.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use tokio::sync::Semaphore;

use super::{Fetch, FetchError, FetchFuture, Response};

/// The longest `Retry-After` the fetcher is willing to wait for before retrying.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// The first backoff delay; doubled on every further retry.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

/// How many redirects are followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// Settings for [`LiveFetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOptions {
    /// Total time allowed for one attempt (connect, headers and body).
    pub timeout: Duration,
    /// Requests in flight at once, over all hosts (at least 1).
    pub concurrency: usize,
    /// Requests in flight at once to one `host:port` (at least 1).
    pub per_host: usize,
    pub user_agent: String,
    /// Extra attempts after a transient failure (0 = try once).
    pub retries: u32,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            timeout: Duration::from_secs(30),
            concurrency: 8,
            per_host: 4,
            user_agent: default_user_agent(),
            retries: 1,
        }
    }
}

/// `twir-events/<version> (+https://github.com/rust-lang/this-week-in-rust)`.
pub fn default_user_agent() -> String {
    format!(
        "twir-events/{} (+https://github.com/rust-lang/this-week-in-rust)",
        env!("CARGO_PKG_VERSION")
    )
}

/// Fetches URLs over HTTP(S). Cheap to share by reference across tasks.
#[derive(Debug)]
pub struct LiveFetcher {
    client: reqwest::Client,
    opts: LiveOptions,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<Semaphore>>>,
}

/// One failed attempt, and whether (and when) it may be tried again.
struct Failure {
    error: FetchError,
    retry: Retry,
}

enum Retry {
    No,
    /// Retry after the default backoff.
    Backoff,
    /// Retry after this long (from `Retry-After`).
    After(Duration),
}

impl LiveFetcher {
    /// Builds the HTTP client. Fails only if the TLS backend cannot be initialised.
    pub fn new(opts: LiveOptions) -> Result<LiveFetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .gzip(true)
            .build()
            .map_err(|e| FetchError::Network {
                url: String::new(),
                message: format!("could not build the HTTP client: {}", error_chain(&e)),
            })?;
        let global = Semaphore::new(opts.concurrency.max(1));
        Ok(LiveFetcher {
            client,
            opts,
            global,
            hosts: Mutex::new(HashMap::new()),
        })
    }

    /// The options this fetcher was built with.
    pub fn options(&self) -> &LiveOptions {
        &self.opts
    }

    fn host_semaphore(&self, host: &str) -> Arc<Semaphore> {
        // A poisoned lock only means another task panicked while inserting; the map is fine.
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        hosts
            .entry(host.to_owned())
            .or_insert_with(|| Arc::new(Semaphore::new(self.opts.per_host.max(1))))
            .clone()
    }

    async fn fetch_with_retries(&self, url: &str) -> Result<Response, FetchError> {
        let host = host_key(url)?;
        let host_sem = self.host_semaphore(&host);
        let _host_permit = host_sem
            .acquire()
            .await
            .expect("the per-host semaphore is never closed");
        let _permit = self
            .global
            .acquire()
            .await
            .expect("the global semaphore is never closed");

        let mut attempt: u32 = 0;
        loop {
            let failure = match self.attempt(url).await {
                Ok(response) => return Ok(response),
                Err(failure) => failure,
            };
            let delay = match failure.retry {
                Retry::No => return Err(failure.error),
                _ if attempt >= self.opts.retries => return Err(failure.error),
                Retry::Backoff => backoff(attempt),
                Retry::After(d) => d,
            };
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }

    async fn attempt(&self, url: &str) -> Result<Response, Failure> {
        let resp = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| self.classify(url, e))?;
        let status = resp.status();
        if !status.is_success() {
            let retry = if status.as_u16() == 429 || status.is_server_error() {
                match retry_after(resp.headers()) {
                    None => Retry::Backoff,
                    Some(d) if d <= MAX_RETRY_AFTER => Retry::After(d),
                    Some(_) => Retry::No,
                }
            } else {
                Retry::No
            };
            return Err(Failure {
                error: FetchError::Status {
                    url: url.to_owned(),
                    status: status.as_u16(),
                },
                retry,
            });
        }
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.bytes().await.map_err(|e| self.classify(url, e))?;
        Ok(Response {
            url: url.to_owned(),
            status: status.as_u16(),
            content_type,
            body: body.to_vec(),
        })
    }

    fn classify(&self, url: &str, e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            return Failure {
                error: FetchError::Timeout {
                    url: url.to_owned(),
                    seconds: self.opts.timeout.as_secs_f64().ceil() as u64,
                },
                retry: Retry::Backoff,
            };
        }
        // Connection refused/reset, DNS failures, a body cut short: worth another try.
        // Redirect loops, bad URLs, undecodable bodies: not.
        let transient = (e.is_connect() || e.is_request() || e.is_body())
            && !e.is_redirect()
            && !e.is_builder();
        Failure {
            error: FetchError::Network {
                url: url.to_owned(),
                message: error_chain(&e.without_url()),
            },
            retry: if transient { Retry::Backoff } else { Retry::No },
        }
    }
}

impl Fetch for LiveFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(self.fetch_with_retries(url))
    }
}

/// `host:port` of an http(s) URL: the key of the per-host limit.
fn host_key(url: &str) -> Result<String, FetchError> {
    let bad = |message: String| FetchError::Network {
        url: url.to_owned(),
        message,
    };
    let parsed = url::Url::parse(url).map_err(|e| bad(format!("not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(bad(format!(
            "only http and https URLs can be fetched, not {}:",
            parsed.scheme()
        )));
    }
    let host = parsed
        .host_str()
        .ok_or_else(|| bad("the URL has no host".to_owned()))?
        .to_ascii_lowercase();
    match parsed.port_or_known_default() {
        Some(port) => Ok(format!("{host}:{port}")),
        None => Ok(host),
    }
}

/// The delay before retry number `attempt + 1`: 0.5 s, 1 s, 2 s, … capped at 8 s.
fn backoff(attempt: u32) -> Duration {
    BASE_BACKOFF * 2u32.pow(attempt.min(4))
}

/// `Retry-After` in its delay-seconds form. The HTTP-date form is rare for the hosts fetched
/// here and is treated as absent (the default backoff applies).
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    value.parse::<u64>().ok().map(Duration::from_secs)
}

/// An error and its sources joined with ": ", skipping a source whose text the previous
/// message already contains (some errors repeat their cause in their own message).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !text.is_empty() && !parts.last().is_some_and(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_match_the_documented_values() {
        let o = LiveOptions::default();
        assert_eq!(o.timeout, Duration::from_secs(30));
        assert_eq!((o.concurrency, o.per_host, o.retries), (8, 4, 1));
        assert!(o.user_agent.starts_with("twir-events/"));
        assert!(
            o.user_agent
                .ends_with("(+https://github.com/rust-lang/this-week-in-rust)")
        );
        assert!(o.user_agent.contains(env!("CARGO_PKG_VERSION")));
    }

    #[test]
    fn host_key_includes_the_port_and_ignores_case() {
        assert_eq!(
            host_key("https://www.Meetup.com/rust-berlin/events/").unwrap(),
            "www.meetup.com:443"
        );
        assert_eq!(
            host_key("http://127.0.0.1:8080/x").unwrap(),
            "127.0.0.1:8080"
        );
        assert!(matches!(
            host_key("not a url"),
            Err(FetchError::Network { .. })
        ));
        let err = host_key("ftp://example.com/x").unwrap_err();
        assert!(err.to_string().contains("only http and https"), "{err}");
    }

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut h = HeaderMap::new();
        assert_eq!(retry_after(&h), None);
        h.insert(RETRY_AFTER, " 3 ".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(1), Duration::from_secs(1));
        assert_eq!(backoff(2), Duration::from_secs(2));
        assert_eq!(backoff(10), Duration::from_secs(8));
    }

    #[derive(Debug)]
    struct Chain(&'static str, Option<Box<Chain>>);
    impl std::fmt::Display for Chain {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }
    impl std::error::Error for Chain {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            self.1.as_deref().map(|c| c as _)
        }
    }

    #[test]
    fn error_chain_flattens_and_skips_repeats() {
        let e = Chain(
            "error sending request",
            Some(Box::new(Chain(
                "tcp connect error: Connection refused",
                Some(Box::new(Chain("Connection refused", None))),
            ))),
        );
        assert_eq!(
            error_chain(&e),
            "error sending request: tcp connect error: Connection refused"
        );
    }
}
