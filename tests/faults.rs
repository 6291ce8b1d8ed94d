//! Fault injection: the real binary, with its default settings, against a loopback server that
//! serves the sources of `snapshots/2023-02-01/` (the calendar feed, 38 meetup group pages and
//! their event pages, two JSON-LD pages) on several hosts (one port each), where a third of the
//! sources misbehave: connection refused, a hang, a slow trickle, 500, 429 with `Retry-After`,
//! 404, a body cut off before its `Content-Length`, 50 MB of garbage, invalid UTF-8, a redirect
//! loop, an HTML page without event data, an empty calendar, plus 8 groups that hang on the
//! meetup host (4 requests at a time per host).
//!
//! The test asserts that every healthy source's events are there (the same events as a replay
//! of exactly the healthy answers), that every failure is named with its kind on stderr and in
//! the JSON, that the run ends within [`WALL_BOUND`] and that its peak memory stays under
//! [`RSS_BOUND_MB`] (measured with `wait4`'s `ru_maxrss`, the child's own peak resident set).
//!
//! The server is hand-written on `tokio::net::TcpListener` rather than wiremock: a mock server
//! cannot hang, trickle, cut a body short or stream 50 MB without a length, and each answer
//! here is written in one write with `TCP_NODELAY`, so timings are the client's, not Nagle's.
//!
//! `cargo test --test integration -- --ignored --nocapture faults::measure` runs the same set against the
//! binary named by `TWIR_EVENTS_BIN` (e.g. an older build) and prints its time and memory.
#![cfg(target_os = "linux")]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common;
use crate::server;
#[path = "faults/set.rs"]
mod set;
use common::{binary, refused_port, root};
use set::{Fate, Fault, source_set};

/// The bound the issue sets for this source set with default settings.
const WALL_BOUND: Duration = Duration::from_secs(35);
/// Peak resident memory allowed for one run. What it takes (measured, debug build): about
/// 40 MB; a 50 MB body read whole cost 442 MB before the size cap.
const RSS_BOUND_MB: u64 = 250;
/// The snapshot the source set is built from, and its date.
const SNAPSHOT: &str = "snapshots/2023-02-01";
const TODAY: &str = "2023-02-01";

// ---------------------------------------------------------------------------------------------
// Running the binary.

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    wall: Duration,
    /// The child's own peak resident set, in MiB (`wait4`'s `ru_maxrss`).
    peak_mb: u64,
}

/// Runs the binary with `args`; any https request goes to a refused proxy, so that nothing in
/// the set can reach the internet.
fn run(bin: &Path, args: &[&str]) -> Run {
    let proxy = format!("http://127.0.0.1:{}", refused_port());
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("HTTPS_PROXY", &proxy)
        .env("https_proxy", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        s
    });
    let (status, usage) = wait4(child);
    let wall = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        wall,
        // ru_maxrss is in KiB on Linux.
        peak_mb: u64::try_from(usage.ru_maxrss).unwrap_or(0).div_ceil(1024),
    }
}

/// Reaps the child with `wait4`, which gives its own rusage (std's `wait` does not, nor does
/// rustix's `waitpid`): its exit status and resource usage.
#[expect(
    unsafe_code,
    reason = "wait4 is the only way to a child's own peak memory; neither std nor rustix wrap it"
)]
fn wait4(child: std::process::Child) -> (libc::c_int, libc::rusage) {
    let pid = libc::pid_t::try_from(child.id()).expect("a process id fits pid_t");
    let mut status: libc::c_int = 0;
    // SAFETY: plain syscall on our own child's pid, with valid out-pointers; `rusage` is plain
    // integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    std::mem::forget(child); // already reaped
    (status, usage)
}

async fn run_async(bin: PathBuf, args: Vec<String>) -> Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&bin, &args)
    })
    .await
    .unwrap()
}

fn args(cmd: &str, sources: &Path, replay: Option<&Path>) -> Vec<String> {
    let mut a = vec![
        cmd.to_owned(),
        "--sources".into(),
        sources.display().to_string(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(dir) = replay {
        a.push("--replay".into());
        a.push(dir.display().to_string());
    }
    a
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stderr))
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// A run of the faulty set: exit 2 (sources failed), within the time and memory bounds, no
/// panic.
fn assert_failed_in_bounds(r: &Run) {
    assert_eq!(r.code, Some(2), "sources failed: exit 2\n{}", r.stderr);
    assert!(
        r.wall < WALL_BOUND,
        "took {:?} (bound {WALL_BOUND:?})\n{}",
        r.wall,
        r.stderr
    );
    assert!(
        r.peak_mb < RSS_BOUND_MB,
        "peak RSS {} MiB (bound {RSS_BOUND_MB})",
        r.peak_mb
    );
    assert!(
        !r.stderr.contains("panicked"),
        "no panic noise:\n{}",
        r.stderr
    );
}

/// One misbehaving source came out as it must: its status `s` in the JSON, and its line on
/// the stderr of both `runs`.
fn assert_fault(f: &Fault, s: &Value, runs: [&Run; 2]) {
    match f.fate {
        Fate::Fails => {
            let error = s["error"].as_str().unwrap_or_else(|| {
                panic!("{} should fail: {s}", f.label);
            });
            assert_eq!(s["ok"], false);
            assert_eq!(s["status"], "failed");
            assert!(
                error.to_lowercase().contains(&f.expect.to_lowercase()),
                "{}: {error:?} should say {:?}",
                f.label,
                f.expect
            );
            for r in runs {
                let line = r
                    .stderr
                    .lines()
                    .find(|l| l.starts_with("FAILED") && l.contains(&format!(" {}: ", f.label)))
                    .unwrap_or_else(|| panic!("no FAILED line for {}:\n{}", f.label, r.stderr));
                assert!(line.contains(error), "{line}");
            }
        }
        Fate::Suspect => {
            assert_eq!(s["ok"], false, "{s}");
            assert_eq!(s["status"], "suspect", "{s}");
            let why = s["suspect"].as_str().unwrap_or_default();
            assert!(
                why.contains(f.expect),
                "{}: {why:?} should say {:?}",
                f.label,
                f.expect
            );
            for r in runs {
                assert!(
                    r.stderr
                        .lines()
                        .any(|l| l.starts_with("SUSPECT")
                            && l.contains(&format!(" {}: ", f.label))),
                    "no SUSPECT line for {}:\n{}",
                    f.label,
                    r.stderr
                );
            }
        }
        Fate::Works => {
            assert_eq!(s["ok"], true, "{s}");
            let said = format!("{} events; {}", s["events"], s["warnings"]);
            assert!(said.contains(f.expect), "{}: {said}", f.label);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_of_the_sources_fail_and_the_run_is_still_right_fast_and_small() {
    let set = source_set().await;
    let bin = binary();

    // The faulty set, json and render at once (each bounded on its own).
    let (live_json, live_md) = tokio::join!(
        run_async(bin.clone(), args("json", &set.sources, None)),
        run_async(bin.clone(), args("render", &set.sources, None)),
    );
    // The same sources, replaying only the healthy answers.
    let base_json = run_async(bin.clone(), args("json", &set.sources, Some(&set.baseline))).await;
    let base_md = run_async(bin, args("render", &set.sources, Some(&set.baseline))).await;
    eprintln!(
        "faulty set: json {:.1} s, {} MiB peak; render {:.1} s, {} MiB peak",
        live_json.wall.as_secs_f64(),
        live_json.peak_mb,
        live_md.wall.as_secs_f64(),
        live_md.peak_mb
    );
    eprintln!("{}", live_json.stderr);

    for r in [&live_json, &live_md] {
        assert_failed_in_bounds(r);
    }

    // Every healthy source's events: exactly what the healthy answers alone give.
    let (live, base) = (json(&live_json), json(&base_json));
    assert!(
        base["events"].as_array().unwrap().len() >= 30,
        "the baseline is a real section: {}",
        base_json.stderr
    );
    assert_eq!(
        live["events"], base["events"],
        "the faulty run has every healthy source's events, and only them"
    );
    assert_eq!(
        live_md.stdout, base_md.stdout,
        "the rendered block is the healthy one"
    );
    assert!(
        live_md
            .stdout
            .starts_with("Rusty Events between 2023-02-01")
    );

    // Every source's status in the JSON, every failure named with its kind, once per source
    // on stderr too.
    let sources = live["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 50);
    let by_label = |label: &str| {
        sources
            .iter()
            .find(|s| s["label"] == label)
            .unwrap_or_else(|| panic!("no source {label}"))
    };
    let mut failing = 0;
    let mut suspect = 0;
    for f in &set.faults {
        let s = by_label(f.label);
        match f.fate {
            Fate::Fails => failing += 1,
            Fate::Suspect => suspect += 1,
            Fate::Works => {}
        }
        assert_fault(f, s, [&live_json, &live_md]);
    }
    assert_eq!((failing, suspect), (17, 2));
    assert_eq!(
        sources.iter().filter(|s| s["ok"] == false).count(),
        failing + suspect,
        "no healthy source failed: {}",
        live_json.stderr
    );
    // The page without event data says what it is.
    let saar = by_label("Rust-Saar")["suspect"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !saar.is_empty() && !saar.contains("internal error"),
        "{saar}"
    );
}

/// Prints time and memory for the faulty set and for the 50 MB body alone, for the binary
/// named by `TWIR_EVENTS_BIN` (default: this build). For the before/after figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a test: run with --ignored --nocapture"]
async fn measure() {
    let set = source_set().await;
    let bin = binary();
    let r = run_async(bin.clone(), args("json", &set.sources, None)).await;
    println!(
        "{}: faulty set (json): exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
    // Only the 50 MB source.
    let text = std::fs::read_to_string(&set.sources).unwrap();
    let tlv = text
        .split("[[source]]")
        .find(|s| s.contains("/rust-tlv/"))
        .unwrap();
    let only = set.sources.with_file_name("big.toml");
    std::fs::write(&only, format!("[[source]]{tlv}")).unwrap();
    let r = run_async(bin.clone(), args("json", &only, None)).await;
    println!(
        "{}: 50 MB body alone: exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
    let r = run_async(bin.clone(), args("json", &set.sources, Some(&set.baseline))).await;
    println!(
        "{}: healthy answers replayed: exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
}
