//! One attempt at a URL ([`LiveFetcher::attempt`]: send, check the status, read the body within
//! its bounds) and what a failure means for a retry ([`Retry`], [`backoff`], [`retry_after`]).
//!
//! The backoff is hand-written: the `backoff` crate is unmaintained, and a retry here also
//! depends on the host's other timeouts, its queue and the run deadline (see
//! `LiveFetcher::fetch_with_retries`), which a generic retry crate does not model; the delays
//! themselves are one line.

use std::time::{Duration, SystemTime};

use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use reqwest::{RequestBuilder, StatusCode};
use std::sync::atomic::Ordering;
use tokio::time::{Instant, timeout_at};

use super::super::cache::{Entry, Validators};
use super::super::{FetchError, Response};
use super::{LiveFetcher, MAX_RETRY_AFTER, MB, error_chain};

/// The first backoff delay; doubled on every further retry.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

/// A successful attempt.
pub(super) enum Answer {
    /// A new body, with the validators worth caching it under (if any).
    Fresh(Response, Option<Validators>),
    /// `304 Not Modified`: the cached copy (the caller's `conditional` entry) answers.
    NotModified,
}

/// One failed attempt, and whether (and when) it may be tried again.
pub(super) struct Failure {
    pub(super) error: FetchError,
    pub(super) retry: Retry,
}

impl Failure {
    fn new(error: FetchError, retry: Retry) -> Self {
        Failure { error, retry }
    }
}

pub(super) enum Retry {
    No,
    /// Retry after the default backoff.
    Backoff,
    /// Retry after this long (from `Retry-After`).
    After(Duration),
    /// No answer in time: retry after the default backoff, if the host has no other timeout
    /// and the retry fits before the run deadline.
    Timeout,
    /// A `304` that does not fit the cached copy (it came from another URL after redirects):
    /// ask again at once, without validators.
    Unconditional,
}

/// When an attempt must be over: its own timeout, or the run deadline if that comes first.
#[derive(Clone, Copy)]
struct Ends {
    own: Instant,
    end: Instant,
}

impl LiveFetcher {
    /// One request: sent (conditionally when there is a cached entry), its status checked, its
    /// body read within the size and time bounds.
    pub(super) async fn attempt(
        &self,
        url: &str,
        conditional: Option<&Entry>,
    ) -> Result<Answer, Failure> {
        let own = Instant::now() + self.opts.timeout;
        let ends = Ends {
            own,
            end: own.min(self.deadline),
        };
        let request = with_validators(self.client.get(url), conditional);
        let mut resp = match timeout_at(ends.end, request.send()).await {
            Err(_) => return Err(self.cut(url, ends, None)),
            Ok(r) => r.map_err(|e| self.classify(url, e))?,
        };
        self.stats.answers.fetch_add(1, Ordering::SeqCst);
        let status = resp.status();
        // reqwest follows redirects; the URL it ended at tells a renamed group.
        let redirected_to = Some(resp.url().as_str())
            .filter(|end| *end != url && end.trim_end_matches('/') != url.trim_end_matches('/'))
            .map(str::to_owned);
        if status == StatusCode::NOT_MODIFIED {
            return self.not_modified(url, conditional, redirected_to.as_deref());
        }
        if !status.is_success() {
            return Err(status_failure(url, status, resp.headers()));
        }
        let content_type = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok());
        let validators = Validators::usable(header(ETAG), header(LAST_MODIFIED));
        let body = self.read_body(url, &mut resp, ends).await?;
        let response = Response {
            url: url.to_owned(),
            status: status.as_u16(),
            content_type,
            body,
            redirected_to,
        };
        Ok(Answer::Fresh(response, validators))
    }

    /// An attempt cut by its time limit: at the run deadline, or its own timeout before the
    /// headers (`received` is `None`: worth a retry) or during the body (a trickle: a retry
    /// would trickle too).
    fn cut(&self, url: &str, ends: Ends, received: Option<u64>) -> Failure {
        if ends.end < ends.own {
            return Failure::new(self.deadline_reached(url), Retry::No);
        }
        let seconds = whole_seconds(self.opts.timeout);
        let url = url.to_owned();
        match received {
            Some(bytes) => Failure::new(
                FetchError::TooSlow {
                    url,
                    bytes,
                    seconds,
                },
                Retry::No,
            ),
            None => Failure::new(FetchError::Timeout { url, seconds }, Retry::Timeout),
        }
    }

    /// A `304 Not Modified`: the cached copy when it came from the same place, else a failure
    /// (asked again without validators when the validators were ours).
    fn not_modified(
        &self,
        url: &str,
        conditional: Option<&Entry>,
        redirected_to: Option<&str>,
    ) -> Result<Answer, Failure> {
        let not_modified = || FetchError::NotModified {
            url: url.to_owned(),
        };
        match conditional {
            Some(entry) if entry.redirected_to.as_deref() == redirected_to => {
                self.stats.not_modified.fetch_add(1, Ordering::SeqCst);
                Ok(Answer::NotModified)
            }
            // Redirected elsewhere than the cached copy came from: not its validator.
            Some(_) => Err(Failure::new(not_modified(), Retry::Unconditional)),
            None => Err(Failure::new(not_modified(), Retry::No)),
        }
    }

    /// The body, chunk by chunk, refused once over `max_body` (before reading a byte when its
    /// announced length already is) and cut at the attempt's end or the idle timeout.
    async fn read_body(
        &self,
        url: &str,
        resp: &mut reqwest::Response,
        ends: Ends,
    ) -> Result<Vec<u8>, Failure> {
        let too_large = || {
            Failure::new(
                FetchError::TooLarge {
                    url: url.to_owned(),
                    limit_mb: self.opts.max_body.div_ceil(MB),
                },
                Retry::No,
            )
        };
        if resp
            .content_length()
            .is_some_and(|n| n > self.opts.max_body)
        {
            return Err(too_large());
        }
        let capacity = resp
            .content_length()
            .unwrap_or(64 * 1024)
            .min(self.opts.max_body);
        let mut body: Vec<u8> = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        loop {
            let chunk = match timeout_at(ends.end, resp.chunk()).await {
                Err(_) => return Err(self.cut(url, ends, Some(body.len() as u64))),
                Ok(Ok(Some(chunk))) => chunk,
                Ok(Ok(None)) => return Ok(body),
                Ok(Err(e)) => return Err(self.body_failure(url, body.len(), e)),
            };
            self.stats
                .body_bytes
                .fetch_add(chunk.len() as u64, Ordering::SeqCst);
            if (body.len() + chunk.len()) as u64 > self.opts.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
    }

    /// An error while reading the body, after `bytes` of it.
    fn body_failure(&self, url: &str, bytes: usize, e: reqwest::Error) -> Failure {
        let url = url.to_owned();
        if e.is_timeout() {
            // The idle timeout mid-body: the server stalled after starting to answer.
            return Failure::new(
                FetchError::Stalled {
                    url,
                    bytes: bytes as u64,
                    seconds: whole_seconds(self.opts.idle_timeout),
                },
                Retry::No,
            );
        }
        let message = format!(
            "the answer was cut off after {bytes} bytes: {}",
            error_chain(&e.without_url())
        );
        let error = FetchError::Network {
            url,
            message,
            unreachable: None,
        };
        Failure::new(error, Retry::Backoff)
    }

    /// A request that got no answer: a timeout (reqwest's own: connecting, or the idle timeout
    /// before the headers), a transient network failure, or one not worth retrying.
    pub(super) fn classify(&self, url: &str, e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            let seconds = if e.is_connect() {
                self.opts.connect_timeout
            } else {
                self.opts.idle_timeout
            };
            return Failure::new(
                FetchError::Timeout {
                    url: url.to_owned(),
                    seconds: whole_seconds(seconds),
                },
                Retry::Timeout,
            );
        }
        // Connection refused/reset, DNS failures, a body cut short: worth another try.
        // Redirect loops, bad URLs, undecodable bodies: not.
        let transient = (e.is_connect() || e.is_request() || e.is_body())
            && !e.is_redirect()
            && !e.is_builder()
            && !super::reach::was_refused(&e);
        let unreachable = super::reach::unreachable(&e);
        Failure::new(
            FetchError::Network {
                url: url.to_owned(),
                message: error_chain(&e.without_url()),
                unreachable,
            },
            if transient { Retry::Backoff } else { Retry::No },
        )
    }
}

/// The request, asked conditionally with the cached entry's validators (if any).
fn with_validators(mut request: RequestBuilder, conditional: Option<&Entry>) -> RequestBuilder {
    if let Some(entry) = conditional {
        let v = &entry.validators;
        if let Some(etag) = &v.etag {
            request = request.header(IF_NONE_MATCH, etag.as_str());
        }
        if let Some(date) = &v.last_modified {
            request = request.header(IF_MODIFIED_SINCE, date.as_str());
        }
    }
    request
}

/// A non-2xx answer: 429 and 5xx are retried (after `Retry-After` when it is short enough; a
/// longer one ends the retries), other statuses are not.
fn status_failure(url: &str, status: StatusCode, headers: &HeaderMap) -> Failure {
    let retry = if status.as_u16() == 429 || status.is_server_error() {
        match retry_after(headers) {
            None => Retry::Backoff,
            Some(d) if d <= MAX_RETRY_AFTER => Retry::After(d),
            Some(_) => Retry::No,
        }
    } else {
        Retry::No
    };
    Failure::new(
        FetchError::Status {
            url: url.to_owned(),
            status: status.as_u16(),
        },
        retry,
    )
}

/// A duration in whole seconds, rounded up (for messages: "after 20 s").
pub(super) fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The delay before retry number `attempt + 1`: 0.5 s, 1 s, 2 s, … capped at 8 s.
pub(super) fn backoff(attempt: u32) -> Duration {
    BASE_BACKOFF * 2u32.pow(attempt.min(4))
}

/// `Retry-After`: delay-seconds, or an HTTP date (parsed by `httpdate`) still to come. A date
/// already past, or any other value, is treated as absent (the default backoff applies).
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

/// [`retry_after`] as of `now`.
pub(super) fn retry_after_at(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    date.duration_since(now).ok().filter(|d| !d.is_zero())
}
