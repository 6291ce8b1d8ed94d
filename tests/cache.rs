//! The HTTP cache (`--cache DIR`) end to end: the real binary, twice, against loopback servers
//! (wiremock) that honour conditional requests as real servers do — an `ETag` checked against
//! `If-None-Match`, or a `Last-Modified` checked against `If-Modified-Since`, and a `304 Not
//! Modified` only when the validator matches. The servers log every answer (status and body
//! bytes), so "the second run re-downloads nothing" is asserted from the server's side.
//!
//! The main set is the seed snapshot `snapshots/2023-02-01` (the calendar, 38 meetup group
//! pages, their event pages, two JSON-LD pages: 86 URLs on 4 hosts) behind a loopback server
//! acting as the plain-HTTP proxy of those hosts (their URLs rewritten from https to http).
//! Any https request goes to a refused proxy, so nothing can reach the internet.
//!
//! `cargo test --release --test integration -- --ignored --nocapture cache::measure` prints the bytes and wall
//! time of a first and a second run of that set (the figures in BENCHMARKS.md).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::common;
use common::{binary, is_ics, minimal_calendar_file, refused_port, replace, root, unfold};

const SNAPSHOT: &str = "snapshots/2023-02-01";
const TODAY: &str = "2023-02-01";

// The server that honours conditional requests, and the source sets.
#[path = "cache/world.rs"]
mod world;
use world::*;

// ---------------------------------------------------------------------------------------------
// Running the binary.

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    wall: Duration,
}

/// `render` over the world's sources for the seed's window, with `extra` arguments; the cache
/// default points into the world's directory (never the user's), and https goes nowhere.
async fn render(world: &World, extra: &[&str]) -> Run {
    let mut args: Vec<String> = [
        "render",
        "--sources",
        &world.sources.display().to_string(),
        "--today",
        TODAY,
        "--from",
        world.window[0],
        "--to",
        world.window[1],
    ]
    .map(String::from)
    .to_vec();
    args.extend(extra.iter().map(ToString::to_string));
    let xdg = world.dir.path().join("xdg");
    let home = world.dir.path().join("home");
    let http_proxy = world.proxy.clone();
    tokio::task::spawn_blocking(move || {
        let refused = format!("http://127.0.0.1:{}", refused_port());
        let started = Instant::now();
        let mut cmd = Command::new(binary());
        cmd.args(&args)
            .env("XDG_CACHE_HOME", xdg)
            .env("HOME", home)
            .env_remove("ALL_PROXY")
            .env_remove("all_proxy")
            .env("HTTPS_PROXY", &refused)
            .env("https_proxy", &refused);
        match &http_proxy {
            Some(p) => cmd
                .env("HTTP_PROXY", p)
                .env("http_proxy", p)
                .env_remove("NO_PROXY")
                .env_remove("no_proxy"),
            None => cmd
                .env_remove("HTTP_PROXY")
                .env_remove("http_proxy")
                .env("NO_PROXY", "127.0.0.1")
                .env("no_proxy", "127.0.0.1"),
        };
        let out = cmd.output().unwrap();
        Run {
            code: out.status.code(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            wall: started.elapsed(),
        }
    })
    .await
    .unwrap()
}

fn cache_dir(world: &World) -> String {
    world.dir.path().join("cache").display().to_string()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|d| d.map(|e| e.unwrap().path()).collect())
        .unwrap_or_default()
}

fn statuses(log: &[Served]) -> HashMap<u16, usize> {
    let mut m = HashMap::new();
    for s in log {
        *m.entry(s.status).or_default() += 1;
    }
    m
}

fn body_bytes(log: &[Served]) -> usize {
    log.iter().map(|s| s.body_bytes).sum()
}

/// The first run downloads everything and stores it; the second gets a 304 for every URL,
/// re-downloads no body and prints the same block.
async fn second_run_downloads_nothing(validator: Validator) {
    let world = seed_world(validator).await;
    let cache = cache_dir(&world);
    let first = render(&world, &["--cache", &cache]).await;
    let log1 = world.log();
    assert!(
        first
            .stdout
            .starts_with("Rusty Events between 2023-02-01 - 2023-03-01"),
        "{}\n{}",
        first.stdout,
        first.stderr
    );
    assert!(
        log1.iter().all(|s| s.status == 200 && !s.conditional),
        "{log1:?}"
    );
    // The group pages, the calendar and the pages of the window's calendar entries.
    assert!(log1.len() >= 40, "the set was fetched: {}", log1.len());
    assert!(
        log1.iter()
            .any(|s| s.path.starts_with("http://www.meetup.com/") && !s.path.ends_with("/events/")),
        "event pages verified too: {log1:?}"
    );
    assert_eq!(
        files_in(Path::new(&cache)).len(),
        log1.len(),
        "one entry per URL"
    );
    world.clear_log();

    let second = render(&world, &["--cache", &cache]).await;
    let log2 = world.log();
    assert_eq!(second.code, first.code, "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout, "the same block, byte for byte");
    assert_eq!(log2.len(), log1.len(), "every URL asked again");
    assert_eq!(
        statuses(&log2),
        HashMap::from([(304, log1.len())]),
        "{log2:?}"
    );
    assert_eq!(body_bytes(&log2), 0, "no body re-downloaded");
    assert!(
        second.stderr.contains(&format!(
            "{} not modified (304, answered from the cache)",
            log1.len()
        )),
        "{}",
        second.stderr
    );
    assert!(second.stderr.contains("0 B of bodies"), "{}", second.stderr);
}

// ---------------------------------------------------------------------------------------------
// The tests.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_etags_the_second_run_gets_304s_and_prints_the_same() {
    second_run_downloads_nothing(Validator::ETag).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_last_modified_the_second_run_gets_304s_and_prints_the_same() {
    second_run_downloads_nothing(Validator::LastModified).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_resource_is_downloaded_again_and_used() {
    let world = small_world(Validator::ETag).await;
    let cache = cache_dir(&world);
    let first = render(&world, &["--cache", &cache]).await;
    assert!(
        first.stdout.contains("[**RustConf 2026**]"),
        "{}",
        first.stderr
    );
    // The conference renames itself: a new body, a new ETag.
    let page =
        std::fs::read_to_string(root().join("tests/fixtures/pages/conference-rustconf.html"))
            .unwrap();
    assert!(page.contains("RustConf 2026"));
    world.change(
        "/rustconf/",
        page.replace("RustConf 2026", "RustConf Renamed").as_bytes(),
    );
    world.clear_log();

    let second = render(&world, &["--cache", &cache]).await;
    let log = world.log();
    let fresh: Vec<&Served> = log.iter().filter(|s| s.status == 200).collect();
    assert_eq!(fresh.len(), 1, "{log:?}");
    assert_eq!(fresh[0].path, "/rustconf/");
    assert!(fresh[0].conditional, "asked with the old ETag");
    assert_eq!(statuses(&log).get(&304), Some(&2), "{log:?}");
    assert!(
        second.stdout.contains("[**RustConf Renamed**]"),
        "{}",
        second.stdout
    );

    // The new answer replaced the entry: a third run is all 304s, same block.
    world.clear_log();
    let third = render(&world, &["--cache", &cache]).await;
    assert_eq!(statuses(&world.log()), HashMap::from([(304, 3)]));
    assert_eq!(third.stdout, second.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_cache_entry_is_survived() {
    let world = small_world(Validator::LastModified).await;
    let cache = cache_dir(&world);
    let first = render(&world, &["--cache", &cache]).await;
    let mut files = files_in(Path::new(&cache));
    files.sort();
    assert_eq!(files.len(), 3, "{}", first.stderr);
    // One entry cut short, one replaced by garbage, one left alone.
    let bytes = std::fs::read(&files[0]).unwrap();
    std::fs::write(&files[0], &bytes[..bytes.len() / 2]).unwrap();
    std::fs::write(&files[1], b"\x00\xffnot an entry").unwrap();
    world.clear_log();

    let second = render(&world, &["--cache", &cache]).await;
    assert_eq!(second.code, first.code, "{}", second.stderr);
    assert_eq!(second.stdout, first.stdout);
    let log = world.log();
    assert_eq!(
        statuses(&log),
        HashMap::from([(200, 2), (304, 1)]),
        "{log:?}"
    );
    assert!(
        log.iter()
            .filter(|s| s.status == 200)
            .all(|s| !s.conditional),
        "a damaged entry sends no validator: {log:?}"
    );
    assert_eq!(
        second
            .stderr
            .matches("note: cache: ignored a damaged entry for http://127.0.0.1")
            .count(),
        2,
        "{}",
        second.stderr
    );
    // The fresh answers repaired the cache.
    world.clear_log();
    let third = render(&world, &["--cache", &cache]).await;
    assert_eq!(statuses(&world.log()), HashMap::from([(304, 3)]));
    assert!(!third.stderr.contains("damaged"), "{}", third.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_cache_sends_no_validators_and_writes_nothing() {
    let world = small_world(Validator::ETag).await;
    let cache = cache_dir(&world);
    render(&world, &["--cache", &cache]).await;
    world.clear_log();
    let run = render(&world, &["--no-cache"]).await;
    let log = world.log();
    assert_eq!(statuses(&log), HashMap::from([(200, 3)]), "{}", run.stderr);
    assert!(log.iter().all(|s| !s.conditional), "{log:?}");
    assert!(run.stderr.contains("no cache"), "{}", run.stderr);
    assert!(
        !world.dir.path().join("xdg").exists() && !world.dir.path().join("home").exists(),
        "--no-cache writes no default cache either"
    );
    // --cache and --no-cache together are a usage error; so is --cache with --replay.
    let both = render(&world, &["--no-cache", "--cache", &cache]).await;
    assert_ne!(both.code, Some(0));
    assert!(both.stderr.contains("--no-cache"), "{}", both.stderr);
    let replay = root().join("snapshots/minimal").display().to_string();
    let with_replay = render(&world, &["--replay", &replay, "--cache", &cache]).await;
    assert_ne!(with_replay.code, Some(0));
    assert!(
        with_replay.stderr.contains("--cache"),
        "{}",
        with_replay.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_cache_option_the_default_is_under_xdg_cache_home() {
    let world = small_world(Validator::ETag).await;
    render(&world, &[]).await;
    let default = world.dir.path().join("xdg").join("twir-events");
    assert_eq!(files_in(&default).len(), 3);
    world.clear_log();
    render(&world, &[]).await;
    assert_eq!(statuses(&world.log()), HashMap::from([(304, 3)]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_without_validators_are_not_cached() {
    // wiremock's plain mocks send neither ETag nor Last-Modified.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_string("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"),
        )
        .mount(&server)
        .await;
    let url = format!("{}/cal.ics", server.uri());
    let world = calendar_world(&url, vec![]);
    let cache = cache_dir(&world);
    for _ in 0..2 {
        let run = render(&world, &["--cache", &cache]).await;
        assert!(run.stderr.contains("0 not modified"), "{}", run.stderr);
    }
    assert!(files_in(Path::new(&cache)).is_empty());
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    assert!(
        requests
            .iter()
            .all(|r| r.headers.get("if-none-match").is_none()
                && r.headers.get("if-modified-since").is_none())
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_304_without_a_cached_copy_fails_that_source_naming_the_url() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(304).insert_header("etag", "\"x\""))
        .mount(&server)
        .await;
    let url = format!("{}/cal.ics", server.uri());
    let world = calendar_world(&url, vec![]);
    let run = render(&world, &["--cache", &cache_dir(&world)]).await;
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!(
            "FAILED ical   Calendar: {url}: the server answered 304 Not Modified, but there is no cached copy"
        )),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_304_after_a_new_redirect_is_not_taken_for_the_cached_copy() {
    // /cal.ics redirects to /a.ics, later to /b.ics; both carry the same ETag (a collision
    // across resources): the cached copy of /a.ics must not stand in for /b.ics.
    let (server, site) = start(Validator::ETag, false).await;
    let ics = |name: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n\
             UID:x@t\r\nDTSTAMP:20260801T000000Z\r\nDTSTART:20260820T170000Z\r\n\
             SUMMARY:Rust Meetup {name}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
        .into_bytes()
    };
    for (path, name) in [("/a.ics", "AAA"), ("/b.ics", "BBB")] {
        site.resources.lock().unwrap().insert(
            path.to_owned(),
            Resource {
                content_type: "text/calendar".into(),
                body: Arc::new(ics(name)),
                version: 1,
            },
        );
    }
    let redirect = |to: &'static str| {
        Mock::given(method("GET"))
            .and(wiremock::matchers::path("/cal.ics"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", to))
            .with_priority(1)
    };
    redirect("/a.ics").mount(&server).await;
    let url = format!("{}/cal.ics", server.uri());
    let world = calendar_world(&url, vec![site.clone()]);
    let cache = cache_dir(&world);
    let first = render(&world, &["--cache", &cache]).await;
    assert!(first.stderr.contains("1 stored"), "{}", first.stderr);

    // The redirect moves; the server keeps its catch-all for the calendars.
    server.reset().await;
    redirect("/b.ics").mount(&server).await;
    Mock::given(method("GET"))
        .respond_with(Responder {
            site: site.clone(),
            validator: Validator::ETag,
            proxy: false,
        })
        .mount(&server)
        .await;
    world.clear_log();
    let second = render(&world, &["--cache", &cache, "-v"]).await;
    let log = world.log();
    let answers: Vec<(&str, u16, bool)> = log
        .iter()
        .map(|s| (s.path.as_str(), s.status, s.conditional))
        .collect();
    assert_eq!(
        answers,
        [("/b.ics", 304, true), ("/b.ics", 200, false)],
        "asked again without validators"
    );
    assert!(
        second.stderr.contains("ok     ical   Calendar"),
        "{}",
        second.stderr
    );
    let files = files_in(Path::new(&cache));
    assert_eq!(files.len(), 1);
    let entry = std::fs::read(&files[0]).unwrap();
    assert!(
        String::from_utf8_lossy(&entry).contains("Rust Meetup BBB"),
        "the entry now holds the new target"
    );
}

/// The figures for BENCHMARKS.md: requests, body bytes and wall time (median of 5) of a run
/// without the cache, a first run with an empty cache and a second run with nothing changed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: cargo test --release --test integration -- --ignored --nocapture cache::measure"]
async fn measure() {
    const ROUNDS: usize = 5;
    let world = seed_world(Validator::ETag).await;
    let labels = [
        "--no-cache",
        "first run, empty cache",
        "second run, nothing changed",
    ];
    let mut walls: Vec<Vec<f64>> = vec![Vec::new(); labels.len()];
    let mut logs: Vec<Vec<Served>> = vec![Vec::new(); labels.len()];
    let mut outputs: Vec<String> = Vec::new();
    for round in 0..ROUNDS {
        let cache = world
            .dir
            .path()
            .join(format!("cache-{round}"))
            .display()
            .to_string();
        let runs: [Vec<&str>; 3] = [
            vec!["--no-cache"],
            vec!["--cache", &cache],
            vec!["--cache", &cache],
        ];
        for (i, args) in runs.iter().enumerate() {
            world.clear_log();
            let run = render(&world, args).await;
            walls[i].push(run.wall.as_secs_f64());
            logs[i] = world.log();
            outputs.push(run.stdout);
            if round == 0 {
                eprintln!(
                    "{}: {}",
                    labels[i],
                    run.stderr
                        .lines()
                        .find(|l| l.contains("fetched:"))
                        .unwrap_or("")
                );
            }
        }
    }
    assert!(
        outputs.windows(2).all(|w| w[0] == w[1]),
        "every run printed the same"
    );
    println!("| run | requests | 200 | 304 | body bytes sent | wall (median of {ROUNDS}) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    for (i, label) in labels.iter().enumerate() {
        let s = statuses(&logs[i]);
        walls[i].sort_by(f64::total_cmp);
        println!(
            "| {label} | {} | {} | {} | {} | {:.0} ms |",
            logs[i].len(),
            s.get(&200).unwrap_or(&0),
            s.get(&304).unwrap_or(&0),
            body_bytes(&logs[i]),
            walls[i][ROUNDS / 2] * 1000.0
        );
    }
}

/// A `304` reaches the pipeline and `snapshot` as the full answer: a recorder over a cached
/// fetcher records the body, Content-Type and status of the first download, and a replay of
/// that snapshot gives them back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_snapshot_recorded_from_304s_holds_the_whole_answers() {
    use twir_events::fetch::Fetch;
    use twir_events::fetch::live::{LiveFetcher, LiveOptions};
    use twir_events::fetch::record::Recorder;
    use twir_events::fetch::replay::ReplayFetcher;

    let world = small_world(Validator::LastModified).await;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}/rustconf/", world.servers[0].uri());
    let opts = || LiveOptions {
        cache: Some(dir.path().join("cache")),
        ..LiveOptions::default()
    };
    let first = LiveFetcher::new(opts()).unwrap().fetch(&url).await.unwrap();
    let recorder = Recorder::new(LiveFetcher::new(opts()).unwrap());
    let second = recorder.fetch(&url).await.unwrap();
    assert_eq!(second, first);
    let summary = recorder.inner().summary();
    assert_eq!((summary.not_modified, summary.body_bytes), (1, 0));
    assert_eq!(statuses(&world.log()), HashMap::from([(200, 1), (304, 1)]));

    let snap = dir.path().join("snap");
    let now = chrono::DateTime::parse_from_rfc3339("2026-08-19T09:00:00+00:00").unwrap();
    recorder.write_snapshot(&snap, now, None).unwrap();
    let replayed = ReplayFetcher::open(&snap)
        .unwrap()
        .fetch(&url)
        .await
        .unwrap();
    assert_eq!(
        (replayed.status, &replayed.content_type, &replayed.body),
        (200, &first.content_type, &first.body)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unwritable_cache_is_a_note_not_a_failure() {
    let world = small_world(Validator::ETag).await;
    let plain = render(&world, &["--no-cache"]).await;
    // A file where the directory should be: nothing can be written under it.
    let file = world.dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let run = render(&world, &["--cache", &file.display().to_string()]).await;
    assert_eq!(run.code, plain.code, "{}", run.stderr);
    assert_eq!(run.stdout, plain.stdout);
    assert_eq!(
        run.stderr.matches("note: cache: cannot write to").count(),
        1,
        "one note for every failed write: {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("cache: 2 more entries could not be written"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("damaged"), "{}", run.stderr);
}
