//! Helpers shared by the integration tests (`crate::common`): an in-memory fetcher and a small
//! deterministic random generator, byte replacement and iCalendar unfolding.

use std::collections::HashMap;
use twir_events::fetch::{Fetch, FetchError, FetchFuture, Response};

/// Answers from a map of URL → body (200), everything else 404.
pub struct MapFetcher(pub HashMap<String, Vec<u8>>);

impl Fetch for MapFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            match self.0.get(url) {
                Some(body) => Ok(Response {
                    url: url.to_string(),
                    status: 200,
                    content_type: None,
                    body: body.clone(),
                    redirected_to: None,
                }),
                None => Err(FetchError::Status {
                    url: url.to_string(),
                    status: 404,
                }),
            }
        })
    }
}

/// xorshift64*: the same sequence on every machine, so mutation passes are reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).expect("below n, a usize")
    }
}

/// `haystack` with every `from` replaced by `to` (bytes: a body need not be UTF-8).
pub fn replace(haystack: &[u8], from: &str, to: &str) -> Vec<u8> {
    let from = from.as_bytes();
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to.as_bytes());
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Unfolds iCalendar lines (folded URLs could not be rewritten otherwise).
pub fn unfold(ics: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(ics.len());
    let mut i = 0;
    while i < ics.len() {
        if ics[i..].starts_with(b"\r\n ") || ics[i..].starts_with(b"\r\n\t") {
            i += 3;
        } else {
            out.push(ics[i]);
            i += 1;
        }
    }
    out
}

/// The binary under test: `TWIR_EVENTS_BIN` when set (e.g. an older build, for a
/// before/after measurement), else this build's.
pub fn binary() -> std::path::PathBuf {
    std::env::var_os("TWIR_EVENTS_BIN").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_BIN_EXE_twir-events")),
        std::path::PathBuf::from,
    )
}

/// The calendar feed of `snapshots/minimal` (its only file under calendar.google.com).
pub fn minimal_calendar_file() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("snapshots/minimal/responses/calendar.google.com");
    std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
}

/// Whether a recorded URL is an iCalendar feed (its path ends in `.ics`).
pub fn is_ics(url: &str) -> bool {
    std::path::Path::new(url)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ics"))
}

/// A fixture's bytes: `tests/fixtures/REL`.
pub fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{rel}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// The four weeks the page fixtures are read for: 2026-08-19 to 2026-09-16.
pub fn window() -> twir_events::model::Window {
    twir_events::model::Window {
        from: "2026-08-19".parse().unwrap(),
        to: "2026-09-16".parse().unwrap(),
    }
}

/// The section's region headers (`### Virtual`, …), in the order the block prints them.
pub const REGION_HEADERS: &[&str] = &[
    "Virtual",
    "Africa",
    "Asia",
    "Europe",
    "North America",
    "Oceania",
    "South America",
];

/// A port where nothing listens (bound, then released).
pub fn refused_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}
