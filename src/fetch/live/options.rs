//! The fetcher's settings ([`LiveOptions`], with the defaults and why) and its closing report
//! ([`FetchSummary`]).

use std::path::PathBuf;
use std::time::Duration;

/// One mebibyte, the unit of `--max-body-mb`.
pub const MB: u64 = 1024 * 1024;

/// Settings for [`LiveFetcher`](super::LiveFetcher).
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
    /// `Some`: private addresses (loopback, private, link-local, unique-local; `localhost`)
    /// are not fetched, not even through a redirect or a DNS answer, but for these hosts and
    /// ports (the sources file's: [`crate::config::Config::trusted`]). The command line always
    /// sets it; `None` (the default, for tests of the fetcher's other bounds against loopback
    /// servers) reaches any address.
    pub trusted: Option<crate::link::Trusted>,
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
            trusted: None,
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
        "twir-events/{} (+{})",
        env!("CARGO_PKG_VERSION"),
        crate::site::TWIR_REPOSITORY
    )
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
            "fetched: {}, {} of bodies; ",
            crate::text::count(self.answers, "answer", "answers"),
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
