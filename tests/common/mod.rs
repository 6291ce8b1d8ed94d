//! Helpers shared by the integration tests (`crate::common`): the crate root (`root()`), the
//! binary under test (`binary()`) and one run of it with what it must answer (`Run`), an
//! in-memory fetcher and a small deterministic random generator, byte replacement and
//! iCalendar unfolding. `conventions` checks that no other test file has its own root or
//! names the binary's build path.

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
    let dir = root().join("snapshots/minimal/responses/calendar.google.com");
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
    std::fs::read(root().join("tests/fixtures").join(rel)).unwrap()
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

/// The crate root (`CARGO_MANIFEST_DIR`), where `snapshots/`, `tests/fixtures/` and the docs
/// are; the binary runs from here unless a test says otherwise.
pub fn root() -> &'static std::path::Path {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One run of the binary under test, in the spirit of just's `Test`: what it is given, then
/// what it must answer, so that a test reads as what it checks:
///
/// ```text
/// Run::new(["render", "--replay", "snapshots/2023-02-01"])
///     .status(0)
///     .stderr_contains("review: ")
///     .output();
/// ```
///
/// It starts [`binary()`] from [`root()`] (unless `current_dir` says otherwise), with stdin
/// empty (the binary never reads it) and stdout and stderr captured. `output()` runs it, checks
/// every expectation given (a failed one shows the exit status, stdout and stderr), and
/// returns the `Output` for the checks these helpers do not make. A test that needs the
/// process itself (to kill it, close a pipe, or start it beside a server) builds a
/// `std::process::Command` from [`binary()`] instead.
#[must_use = "nothing runs until `output()`"]
pub struct Run {
    command: std::process::Command,
    status: Option<i32>,
    stdout: Option<String>,
    stdout_contains: Vec<String>,
    stderr_contains: Vec<String>,
}

impl Run {
    /// The binary with `args`, from the crate root.
    pub fn new<S: AsRef<std::ffi::OsStr>>(args: impl IntoIterator<Item = S>) -> Self {
        let mut command = std::process::Command::new(binary());
        command.current_dir(root()).args(args);
        Self {
            command,
            status: None,
            stdout: None,
            stdout_contains: Vec::new(),
            stderr_contains: Vec::new(),
        }
    }

    /// One more argument (a path, say).
    pub fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.command.arg(arg);
        self
    }

    /// More arguments.
    pub fn args<S: AsRef<std::ffi::OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.command.args(args);
        self
    }

    /// Runs from `dir` instead of the crate root.
    pub fn current_dir(mut self, dir: impl AsRef<std::path::Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// The run must exit with `code`.
    pub fn status(mut self, code: i32) -> Self {
        self.status = Some(code);
        self
    }

    /// The run must print exactly `expected` on stdout.
    pub fn stdout(mut self, expected: impl Into<String>) -> Self {
        self.stdout = Some(expected.into());
        self
    }

    /// The run's stdout must contain `needle` (may be given several times).
    pub fn stdout_contains(mut self, needle: impl Into<String>) -> Self {
        self.stdout_contains.push(needle.into());
        self
    }

    /// The run's stderr must contain `needle` (may be given several times).
    pub fn stderr_contains(mut self, needle: impl Into<String>) -> Self {
        self.stderr_contains.push(needle.into());
        self
    }

    /// Runs the binary to its end, checks the expectations, and returns what it did (a failed
    /// expectation is reported at the test's line).
    #[track_caller]
    pub fn output(mut self) -> std::process::Output {
        let out = self
            .command
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()));
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = format!(
            "{:?}\n{}\n--- stdout\n{stdout}--- stderr\n{stderr}",
            self.command, out.status
        );
        if let Some(code) = self.status {
            assert_eq!(out.status.code(), Some(code), "exit status of {shown}");
        }
        if let Some(expected) = &self.stdout {
            assert!(
                out.stdout == expected.as_bytes(),
                "stdout is not {expected:?}: {shown}"
            );
        }
        for needle in &self.stdout_contains {
            assert!(
                stdout.contains(needle.as_str()),
                "no {needle:?} on stdout of {shown}"
            );
        }
        for needle in &self.stderr_contains {
            assert!(
                stderr.contains(needle.as_str()),
                "no {needle:?} on stderr of {shown}"
            );
        }
        out
    }
}
