//! Live HTTP fetching with reqwest (rustls): bounded time, bounded size, bounded concurrency.
//!
//! [`LiveFetcher`] is the only code in the crate that talks to the network. It bounds the number
//! of requests in flight twice: overall (`concurrency`) and per host (`per_host`, keyed by
//! `host:port`, so that meetup.com is never hammered however many groups are configured). A
//! request first waits for its host's permit, then for a global one, so a queue of requests to
//! one busy host never holds global permits that other hosts could use.
//!
//! Every run is bounded (see the README, "Bounded work"):
//! - **size**: a body larger than `max_body` is refused, from its `Content-Length` when it
//!   announces one, else while streaming (the body is read chunk by chunk and dropped at the
//!   cap, so a 50 MB answer costs at most `max_body` of memory). gzip bodies are counted after
//!   decompression, so a small compressed bomb is cut too;
//! - **time per request**: `connect_timeout` to connect, `idle_timeout` without a byte from the
//!   server (a hang, or a trickle that stalls), `timeout` for the whole attempt (a slow trickle);
//! - **time per run**: `run_deadline` from the fetcher's creation; requests still queued then
//!   fail at once ("run deadline reached"), requests in flight are cut at it.
//!
//! Transient failures (connection errors, HTTP 429 and 5xx) are retried `retries` times with
//! exponential backoff (0.5 s, 1 s, 2 s, …); a `Retry-After` header (seconds, or an HTTP date)
//! of at most [`MAX_RETRY_AFTER`] is honoured instead of the backoff, a longer one ends the retries (the
//! server asked us to go away for a while; the run reports the failure). Other 4xx statuses are
//! never retried. Timeouts are retried sparingly, because a retry costs a whole timeout again
//! and hangs on one host queue behind each other: a request that got no answer is retried only
//! when no other request to its host has timed out in this run, no request is waiting for its
//! host, and the retry can finish before the run deadline; a body that arrived too slowly is never retried (it would trickle again).
//! No retry starts when its delay would end past the run deadline. Permits are kept during the
//! backoff: waiting politely is the point.
//!
//! With a cache directory (`LiveOptions::cache`, see [`super::cache`]), a URL with a cached
//! entry is asked for conditionally (`If-None-Match` / `If-Modified-Since`); a `304 Not
//! Modified` is answered with the cached copy as a full `200` [`Response`] (so the pipeline and
//! `snapshot` see no difference), a `200` with a validator replaces the entry and one without
//! removes it. The cache never fails a run: a damaged entry is a note and a full request, a
//! write that fails is a note. [`LiveFetcher::summary`] counts the answers, the 304s and the
//! body bytes received.
//!
//! Here: the fetcher, its permits, the retry loop and the cache. `attempt`: one request and what
//! its failure means for a retry. `options`: the settings and the closing report.

mod attempt;
mod options;
mod reach;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout_at};

use super::cache::{self, Entry, HttpCache, Lookup, Validators};
use super::{Fetch, FetchError, FetchFuture, Response};
use attempt::{Answer, Retry, backoff, whole_seconds};
pub use options::{FetchSummary, LiveOptions, MB, default_user_agent};

/// The longest `Retry-After` the fetcher is willing to wait for before retrying.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// How many redirects are followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// One host's share of the fetcher: its permits and how many of its requests timed out.
#[derive(Debug)]
struct Host {
    permits: Semaphore,
    timeouts: AtomicUsize,
    /// Requests waiting for one of its permits.
    waiting: AtomicUsize,
}

/// Fetches URLs over HTTP(S). Cheap to share by reference across tasks.
#[derive(Debug)]
pub struct LiveFetcher {
    client: reqwest::Client,
    opts: LiveOptions,
    global: Semaphore,
    hosts: Mutex<HashMap<String, Arc<Host>>>,
    /// When every request of this run must be over.
    deadline: Instant,
    cache: Option<HttpCache>,
    stats: Stats,
}

/// What the fetcher counted, for [`LiveFetcher::summary`].
#[derive(Debug, Default)]
struct Stats {
    answers: AtomicUsize,
    not_modified: AtomicUsize,
    body_bytes: AtomicU64,
    stored: AtomicUsize,
    write_failures: AtomicUsize,
    notes: Mutex<Vec<String>>,
    /// Whether this run's prune of old entries has started.
    pruned: AtomicBool,
}

impl Stats {
    fn notes(&self) -> MutexGuard<'_, Vec<String>> {
        // A poisoned lock only means another task panicked while pushing; the list is fine.
        self.notes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl LiveFetcher {
    /// Builds the HTTP client; the run deadline starts now. Fails only if the TLS backend
    /// cannot be initialised.
    pub fn new(opts: LiveOptions) -> Result<LiveFetcher, FetchError> {
        let builder = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.connect_timeout)
            .read_timeout(opts.idle_timeout)
            .gzip(true);
        let trusted = opts.trusted.clone().map(Arc::new);
        let builder = match &trusted {
            Some(trusted) => {
                builder.redirect(reach::redirect_policy(Arc::clone(trusted), MAX_REDIRECTS))
            }
            None => builder.redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS)),
        }
        .dns_resolver(Arc::new(reach::Resolver { trusted }));
        let client = builder.build().map_err(|e| FetchError::Network {
            url: String::new(),
            message: format!("could not build the HTTP client: {}", error_chain(&e)),
            unreachable: None,
        })?;
        let global = Semaphore::new(opts.concurrency.max(1));
        let deadline = Instant::now() + opts.run_deadline;
        let cache = opts
            .cache
            .as_ref()
            .map(|dir| HttpCache::new(dir, opts.max_body));
        Ok(LiveFetcher {
            client,
            opts,
            global,
            hosts: Mutex::new(HashMap::new()),
            deadline,
            cache,
            stats: Stats::default(),
        })
    }

    /// The traffic so far: answers, 304s served from the cache, body bytes, cache notes.
    pub fn summary(&self) -> FetchSummary {
        let s = &self.stats;
        let mut notes = s.notes().clone();
        notes.sort();
        let failures = s.write_failures.load(Ordering::SeqCst);
        if failures > 1 {
            notes.push(format!(
                "cache: {} more entries could not be written",
                failures - 1
            ));
        }
        FetchSummary {
            cache: self.cache.as_ref().map(|c| c.dir().to_path_buf()),
            answers: s.answers.load(Ordering::SeqCst),
            not_modified: s.not_modified.load(Ordering::SeqCst),
            body_bytes: s.body_bytes.load(Ordering::SeqCst),
            stored: s.stored.load(Ordering::SeqCst),
            notes,
        }
    }

    fn note(&self, note: String) {
        self.stats.notes().push(note);
    }

    /// The cached entry of `url`, read on the blocking pool; a damaged one is a note. The
    /// first lookup of a run removes the entries unused for [`cache::MAX_AGE`] first.
    async fn cached(&self, url: &str) -> Option<Entry> {
        let cache = self.cache.clone()?;
        if !self.stats.pruned.swap(true, Ordering::SeqCst) {
            let cache = cache.clone();
            let _ = tokio::task::spawn_blocking(move || {
                cache.prune(cache::MAX_AGE, std::time::SystemTime::now())
            })
            .await;
        }
        let key = url.to_owned();
        match tokio::task::spawn_blocking(move || cache.load(&key)).await {
            Ok(Lookup::Hit(entry)) => Some(entry),
            Ok(Lookup::Miss) => None,
            Ok(Lookup::Damaged(why)) => {
                self.note(format!(
                    "cache: ignored a damaged entry for {url} ({why}); fetched in full"
                ));
                None
            }
            Err(e) => {
                self.note(format!("cache: reading the entry for {url} failed: {e}"));
                None
            }
        }
    }

    /// Keeps a new body (with validators) in the cache, or drops the old entry (without).
    async fn remember(&self, response: &Response, validators: Option<Validators>) {
        let Some(cache) = self.cache.clone() else {
            return;
        };
        let response = response.clone();
        let storing = validators.is_some();
        let written = tokio::task::spawn_blocking(move || match validators {
            Some(v) => cache.store(&response, &v),
            None => cache.remove(&response.url),
        })
        .await
        .map_err(std::io::Error::other)
        .and_then(|r| r);
        match written {
            Ok(()) if storing => {
                self.stats.stored.fetch_add(1, Ordering::SeqCst);
            }
            Ok(()) => {}
            Err(e) => {
                // One note: a read-only or full disk fails every write the same way.
                if self.stats.write_failures.fetch_add(1, Ordering::SeqCst) == 0 {
                    let dir = self.cache.as_ref().map(|c| c.dir().display().to_string());
                    self.note(format!(
                        "cache: cannot write to {} ({e}); the next run downloads again",
                        dir.unwrap_or_default()
                    ));
                }
            }
        }
    }

    fn host(&self, key: &str) -> Arc<Host> {
        // A poisoned lock only means another task panicked while inserting; the map is fine.
        let mut hosts = self.hosts.lock().unwrap_or_else(PoisonError::into_inner);
        hosts
            .entry(key.to_owned())
            .or_insert_with(|| {
                Arc::new(Host {
                    permits: Semaphore::new(self.opts.per_host.max(1)),
                    timeouts: AtomicUsize::new(0),
                    waiting: AtomicUsize::new(0),
                })
            })
            .clone()
    }

    fn deadline_reached(&self, url: &str) -> FetchError {
        FetchError::Deadline {
            url: url.to_owned(),
            seconds: whole_seconds(self.opts.run_deadline),
        }
    }

    async fn fetch_with_retries(&self, url: &str) -> Result<Response, FetchError> {
        let key = host_key(url)?;
        if let Some(trusted) = &self.opts.trusted
            && let Ok(parsed) = url::Url::parse(url)
            && let Some(message) = reach::refusal(&parsed, trusted)
        {
            return Err(FetchError::Network {
                url: url.to_owned(),
                message,
                unreachable: None,
            });
        }
        let host = self.host(&key);
        let deadline = self.deadline;
        host.waiting.fetch_add(1, Ordering::SeqCst);
        let host_permit = timeout_at(deadline, host.permits.acquire()).await;
        host.waiting.fetch_sub(1, Ordering::SeqCst);
        let Ok(host_permit) = host_permit else {
            return Err(self.deadline_reached(url));
        };
        let host_permit = host_permit.expect("the per-host semaphore is never closed");
        let Ok(permit) = timeout_at(deadline, self.global.acquire()).await else {
            return Err(self.deadline_reached(url));
        };
        let permit = permit.expect("the global semaphore is never closed");
        // Read under the permits: at most `concurrency` cached bodies are in memory at once,
        // however many requests are queued.
        let mut cached = self.cached(url).await;

        let mut conditional = cached.as_ref();
        let mut attempt: u32 = 0;
        loop {
            let failure = match self.attempt(url, conditional).await {
                Ok(Answer::NotModified) => {
                    let response = cached
                        .take()
                        .expect("a 304 is an answer only to a conditional request")
                        .into_response(url);
                    drop(permit);
                    drop(host_permit);
                    // Used: kept by the next prune. Failing to mark it costs a download a
                    // month from now, not worth a note.
                    if let Some(cache) = self.cache.clone() {
                        let key = url.to_owned();
                        let _ = tokio::task::spawn_blocking(move || cache.touch(&key)).await;
                    }
                    return Ok(response);
                }
                Ok(Answer::Fresh(response, validators)) => {
                    // The network is done with: let other requests go while the entry is
                    // written.
                    drop(permit);
                    drop(host_permit);
                    self.remember(&response, validators).await;
                    return Ok(response);
                }
                Err(failure) => failure,
            };
            if matches!(failure.retry, Retry::Unconditional) {
                conditional = None;
                continue;
            }
            let timed_out = matches!(failure.retry, Retry::Timeout);
            // Whether an earlier request to this host timed out (counted atomically, so that of
            // several requests timing out together exactly one is the first).
            let earlier_timeouts = if timed_out {
                host.timeouts.fetch_add(1, Ordering::SeqCst)
            } else {
                0
            };
            let delay = match failure.retry {
                Retry::No | Retry::Unconditional => return Err(failure.error),
                _ if attempt >= self.opts.retries => return Err(failure.error),
                Retry::Backoff | Retry::Timeout => backoff(attempt),
                Retry::After(d) => d,
            };
            let now = Instant::now();
            // A timed-out request is tried again only when its whole new attempt fits before
            // the deadline, it is the host's only timeout so far (several timeouts on one host
            // are a hanging host) and no other request waits for the host (a retry would make
            // each of them wait another timeout). Any retry must at least start before the
            // deadline.
            let fits = if timed_out {
                earlier_timeouts == 0
                    && host.waiting.load(Ordering::SeqCst) == 0
                    && now + delay + self.opts.timeout <= deadline
            } else {
                now + delay < deadline
            };
            if !fits {
                return Err(failure.error);
            }
            tokio::time::sleep(delay).await;
            attempt += 1;
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
        unreachable: None,
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
mod tests;
