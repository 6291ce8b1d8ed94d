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
//! exponential backoff (0.5 s, 1 s, 2 s, …); a `Retry-After: <seconds>` header of at most
//! [`MAX_RETRY_AFTER`] is honoured instead of the backoff, a longer one ends the retries (the
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

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_TYPE, ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RETRY_AFTER,
};
use tokio::sync::Semaphore;
use tokio::time::{Instant, timeout_at};

use super::cache::{self, Entry, HttpCache, Lookup, Validators};
use super::{Fetch, FetchError, FetchFuture, Response};

/// The longest `Retry-After` the fetcher is willing to wait for before retrying.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(10);

/// The first backoff delay; doubled on every further retry.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

/// How many redirects are followed before giving up.
const MAX_REDIRECTS: usize = 10;

/// One mebibyte, the unit of `--max-body-mb`.
pub const MB: u64 = 1024 * 1024;

/// Settings for [`LiveFetcher`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveOptions {
    /// Total time allowed for one attempt (connect, headers and body): cuts a slow trickle.
    pub timeout: Duration,
    /// Time allowed to establish a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// Time allowed without receiving a byte (waiting for the headers, or mid-body): cuts a hang.
    pub idle_timeout: Duration,
    /// Time allowed for every request of the run, from the fetcher's creation.
    pub run_deadline: Duration,
    /// The largest body accepted, in bytes (after gzip decoding).
    pub max_body: u64,
    /// Requests in flight at once, over all hosts (at least 1).
    pub concurrency: usize,
    /// Requests in flight at once to one `host:port` (at least 1).
    pub per_host: usize,
    pub user_agent: String,
    /// Extra attempts after a transient failure (0 = try once).
    pub retries: u32,
    /// The HTTP cache directory (conditional requests); `None`: every body is downloaded.
    pub cache: Option<PathBuf>,
}

impl Default for LiveOptions {
    /// The defaults, and why:
    /// - `max_body` 8 MiB: the largest real feed seen (the FINOS community calendar export) is
    ///   4.2 MB and meetup group pages are 0.2–1 MB, so 8 MiB leaves room to grow while a
    ///   runaway answer costs at most 8 MiB of memory to read.
    /// - `idle_timeout` 10 s: meetup and Google Calendar answer in 1–3 s; 10 s of silence is a
    ///   hang. `connect_timeout` 5 s: a connection takes milliseconds to a few hundred.
    /// - `timeout` 20 s per attempt: a 4 MB feed needs 200 KB/s to arrive in time.
    /// - `run_deadline` 120 s: a healthy weekly run (about 150 pages, about 1 s each, 4 at a
    ///   time per host) takes about a minute; twice that never cuts a healthy run and stops a
    ///   run whose every source hangs in two minutes.
    fn default() -> Self {
        LiveOptions {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(5),
            idle_timeout: Duration::from_secs(10),
            run_deadline: Duration::from_secs(120),
            max_body: 8 * MB,
            concurrency: 8,
            per_host: 4,
            user_agent: default_user_agent(),
            retries: 1,
            cache: None,
        }
    }
}

impl LiveOptions {
    /// Sets the per-host limit, raising the overall one to match when it is lower (the
    /// overall limit only exists so that many hosts cannot add up to a flood).
    pub fn set_per_host(&mut self, n: usize) {
        self.per_host = n.max(1);
        self.concurrency = self.concurrency.max(self.per_host);
    }
}

/// `twir-events/<version> (+https://github.com/rust-lang/this-week-in-rust)`.
pub fn default_user_agent() -> String {
    format!(
        "twir-events/{} (+https://github.com/rust-lang/this-week-in-rust)",
        env!("CARGO_PKG_VERSION")
    )
}

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
    pruned: std::sync::atomic::AtomicBool,
}

/// A run's traffic and cache use, for the closing report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchSummary {
    /// The cache directory, when there is one.
    pub cache: Option<PathBuf>,
    /// HTTP answers received (every status, retries included).
    pub answers: usize,
    /// `304 Not Modified` answers served from the cache.
    pub not_modified: usize,
    /// Body bytes received (after gzip decoding).
    pub body_bytes: u64,
    /// Entries written to the cache.
    pub stored: usize,
    /// What went wrong with the cache (damaged entries, failed writes), sorted.
    pub notes: Vec<String>,
}

impl std::fmt::Display for FetchSummary {
    /// One line: `fetched: 47 answers, 1.2 MB of bodies; cache DIR: 45 not modified (304), 2 stored`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fetched: {} answers, {} of bodies; ",
            self.answers,
            human_bytes(self.body_bytes)
        )?;
        match &self.cache {
            Some(dir) => write!(
                f,
                "cache {}: {} not modified (304, answered from the cache), {} stored",
                dir.display(),
                self.not_modified,
                self.stored
            ),
            None => f.write_str("no cache (--cache DIR keeps pages between runs)"),
        }
    }
}

/// `812 B`, `12.3 KB`, `4.2 MB` (powers of 1000, one decimal).
fn human_bytes(n: u64) -> String {
    match n {
        0..1000 => format!("{n} B"),
        1000..1_000_000 => format!("{:.1} KB", n as f64 / 1e3),
        _ => format!("{:.1} MB", n as f64 / 1e6),
    }
}

/// A successful attempt.
enum Answer {
    /// A new body, with the validators worth caching it under (if any).
    Fresh(Response, Option<Validators>),
    /// `304 Not Modified`: the cached copy.
    NotModified(Response),
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
    /// No answer in time: retry after the default backoff, if the host has no other timeout
    /// and the retry fits before the run deadline.
    Timeout,
    /// A `304` that does not fit the cached copy (it came from another URL after redirects):
    /// ask again at once, without validators.
    Unconditional,
}

impl LiveFetcher {
    /// Builds the HTTP client; the run deadline starts now. Fails only if the TLS backend
    /// cannot be initialised.
    pub fn new(opts: LiveOptions) -> Result<LiveFetcher, FetchError> {
        let client = reqwest::Client::builder()
            .user_agent(opts.user_agent.clone())
            .connect_timeout(opts.connect_timeout)
            .read_timeout(opts.idle_timeout)
            .redirect(reqwest::redirect::Policy::limited(MAX_REDIRECTS))
            .gzip(true)
            .build()
            .map_err(|e| FetchError::Network {
                url: String::new(),
                message: format!("could not build the HTTP client: {}", error_chain(&e)),
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
        let mut notes = s.notes.lock().unwrap_or_else(|p| p.into_inner()).clone();
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
        self.stats
            .notes
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(note);
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

    /// The options this fetcher was built with.
    pub fn options(&self) -> &LiveOptions {
        &self.opts
    }

    fn host(&self, key: &str) -> Arc<Host> {
        // A poisoned lock only means another task panicked while inserting; the map is fine.
        let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
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
            seconds: self.opts.run_deadline.as_secs_f64().ceil() as u64,
        }
    }

    async fn fetch_with_retries(&self, url: &str) -> Result<Response, FetchError> {
        let key = host_key(url)?;
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
        let cached = self.cached(url).await;

        let mut conditional = cached.as_ref();
        let mut attempt: u32 = 0;
        loop {
            let failure = match self.attempt(url, conditional).await {
                Ok(Answer::NotModified(response)) => {
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
                Retry::Backoff => backoff(attempt),
                Retry::After(d) => d,
                Retry::Timeout => backoff(attempt),
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

    async fn attempt(&self, url: &str, conditional: Option<&Entry>) -> Result<Answer, Failure> {
        // The attempt ends at its own timeout or at the run deadline, whichever comes first.
        let own_end = Instant::now() + self.opts.timeout;
        let end = own_end.min(self.deadline);
        let cut = |received: Option<u64>| -> Failure {
            if end < own_end {
                return Failure {
                    error: self.deadline_reached(url),
                    retry: Retry::No,
                };
            }
            let seconds = self.opts.timeout.as_secs_f64().ceil() as u64;
            match received {
                // Headers came, the body did not finish: a trickle. A retry would trickle too.
                Some(bytes) => Failure {
                    error: FetchError::TooSlow {
                        url: url.to_owned(),
                        bytes,
                        seconds,
                    },
                    retry: Retry::No,
                },
                None => Failure {
                    error: FetchError::Timeout {
                        url: url.to_owned(),
                        seconds,
                    },
                    retry: Retry::Timeout,
                },
            }
        };
        let mut request = self.client.get(url);
        if let Some(entry) = conditional {
            let v = &entry.validators;
            if let Some(etag) = &v.etag {
                request = request.header(IF_NONE_MATCH, etag.as_str());
            }
            if let Some(date) = &v.last_modified {
                request = request.header(IF_MODIFIED_SINCE, date.as_str());
            }
        }
        let mut resp = match timeout_at(end, request.send()).await {
            Err(_) => return Err(cut(None)),
            Ok(r) => r.map_err(|e| self.classify(url, e))?,
        };
        self.stats.answers.fetch_add(1, Ordering::SeqCst);
        let status = resp.status();
        // reqwest follows redirects; the URL it ended at tells a renamed group.
        let redirected_to = Some(resp.url().as_str())
            .filter(|end| *end != url && end.trim_end_matches('/') != url.trim_end_matches('/'))
            .map(str::to_owned);
        if status == StatusCode::NOT_MODIFIED {
            let not_modified = || FetchError::NotModified {
                url: url.to_owned(),
            };
            return match conditional {
                Some(entry) if entry.redirected_to == redirected_to => {
                    self.stats.not_modified.fetch_add(1, Ordering::SeqCst);
                    Ok(Answer::NotModified(entry.response(url)))
                }
                // Redirected elsewhere than the cached copy came from: not its validator.
                Some(_) => Err(Failure {
                    error: not_modified(),
                    retry: Retry::Unconditional,
                }),
                None => Err(Failure {
                    error: not_modified(),
                    retry: Retry::No,
                }),
            };
        }
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
        let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok());
        let validators = Validators::usable(header(ETAG), header(LAST_MODIFIED));
        let too_large = || Failure {
            error: FetchError::TooLarge {
                url: url.to_owned(),
                limit_mb: self.opts.max_body.div_ceil(MB),
            },
            retry: Retry::No,
        };
        // Announced too large: refused before reading a byte of it.
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
            let chunk = match timeout_at(end, resp.chunk()).await {
                Err(_) => return Err(cut(Some(body.len() as u64))),
                Ok(Ok(Some(chunk))) => chunk,
                Ok(Ok(None)) => break,
                Ok(Err(e)) if e.is_timeout() => {
                    // The idle timeout mid-body: the server stalled after starting to answer.
                    return Err(Failure {
                        error: FetchError::Stalled {
                            url: url.to_owned(),
                            bytes: body.len() as u64,
                            seconds: self.opts.idle_timeout.as_secs_f64().ceil() as u64,
                        },
                        retry: Retry::No,
                    });
                }
                Ok(Err(e)) => {
                    return Err(Failure {
                        error: FetchError::Network {
                            url: url.to_owned(),
                            message: format!(
                                "the answer was cut off after {} bytes: {}",
                                body.len(),
                                error_chain(&e.without_url())
                            ),
                        },
                        retry: Retry::Backoff,
                    });
                }
            };
            self.stats
                .body_bytes
                .fetch_add(chunk.len() as u64, Ordering::SeqCst);
            if (body.len() + chunk.len()) as u64 > self.opts.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        let response = Response {
            url: url.to_owned(),
            status: status.as_u16(),
            content_type,
            body,
            redirected_to,
        };
        Ok(Answer::Fresh(response, validators))
    }

    fn classify(&self, url: &str, e: reqwest::Error) -> Failure {
        if e.is_timeout() {
            // reqwest's own timeouts: connecting, or the idle timeout before the headers.
            let seconds = if e.is_connect() {
                self.opts.connect_timeout
            } else {
                self.opts.idle_timeout
            };
            return Failure {
                error: FetchError::Timeout {
                    url: url.to_owned(),
                    seconds: seconds.as_secs_f64().ceil() as u64,
                },
                retry: Retry::Timeout,
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
        assert_eq!(o.timeout, Duration::from_secs(20));
        assert_eq!(o.connect_timeout, Duration::from_secs(5));
        assert_eq!(o.idle_timeout, Duration::from_secs(10));
        assert_eq!(o.run_deadline, Duration::from_secs(120));
        assert_eq!(o.max_body, 8 * MB);
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
