//! The binary with no network: sources on names that never resolve (`.invalid`, RFC 2606: no
//! DNS answers them, with or without internet) and on loopback ports where nothing listens.
//! The report says the shared cause once (`no network: N sources could not be reached`), with
//! `-q` too (it is the error), instead of a line per source; `-v` lists each source as well.
//! A failure a server answered (a 404) keeps its own line.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{self, Run, refused_port};

/// How many sources each offline sources file has.
const SOURCES: usize = 6;

/// A sources file of `urls`, each an iCal feed.
fn sources(dir: &Path, urls: &[String]) -> PathBuf {
    let mut text = String::new();
    for (i, url) in urls.iter().enumerate() {
        let _ = write!(
            text,
            "[[source]]\nkind = \"ical\"\nurl = \"{url}\"\nname = \"Feed {i}\"\n\n"
        );
    }
    let file = dir.join("sources.toml");
    std::fs::write(&file, text).unwrap();
    file
}

/// Feeds on names no DNS resolves, each on its own host.
fn unresolvable() -> Vec<String> {
    (0..SOURCES)
        .map(|i| format!("http://feed-{i}.no-such-host.invalid/calendar.ics"))
        .collect()
}

/// Runs the binary (no cache, a fixed day) with `args`; returns its exit code and stderr lines.
fn run(args: &[&str], sources: &Path) -> (Option<i32>, Vec<String>) {
    let out = Run::new(args)
        .args(["--no-cache", "--today", "2026-08-19", "--sources"])
        .arg(sources)
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    (
        out.status.code(),
        stderr.lines().map(str::to_owned).collect(),
    )
}

fn count(lines: &[String], prefix: &str) -> usize {
    lines.iter().filter(|l| l.starts_with(prefix)).count()
}

#[test]
fn offline_the_cause_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = sources(dir.path(), &unresolvable());
    let line = format!("no network: {SOURCES} sources could not be reached (DNS lookup failed;");

    for command in ["render", "json"] {
        let (code, lines) = run(&[command, "-q"], &file);
        assert_eq!(code, Some(2), "{lines:#?}");
        assert_eq!(count(&lines, &line), 1, "{command}: {lines:#?}");
        assert_eq!(count(&lines, "FAILED"), 0, "{command}: {lines:#?}");
        // The one line, and render's own: nothing printed.
        assert!(lines.len() <= 2, "{command}: {lines:#?}");

        let (_, lines) = run(&[command, "-v"], &file);
        assert_eq!(count(&lines, &line), 1, "{command}: {lines:#?}");
        assert_eq!(count(&lines, "FAILED"), SOURCES, "{command}: {lines:#?}");
        assert!(
            lines
                .iter()
                .filter(|l| l.starts_with("FAILED"))
                .all(|l| l.contains(".invalid/calendar.ics: ")),
            "{lines:#?}"
        );
    }
}

#[test]
fn an_offline_snapshot_says_the_cause_once_for_the_sources_and_the_urls() {
    let dir = tempfile::tempdir().unwrap();
    let file = sources(dir.path(), &unresolvable());
    let snap = dir.path().join("snap");
    let out = snap.display().to_string();
    let (code, lines) = run(&["snapshot", "-q", "--out", &out], &file);
    assert_eq!(code, Some(2), "{lines:#?}");
    assert_eq!(
        lines,
        [
            format!(
                "no network: {SOURCES} sources could not be reached (DNS lookup failed; hosts feed-0.no-such-host.invalid, feed-1.no-such-host.invalid, feed-2.no-such-host.invalid and 3 more); --verbose lists them"
            ),
            // Nothing recorded: nothing written (a recording is never traded for less).
            format!(
                "every source failed or answered suspiciously: nothing recorded, {out} not written"
            ),
        ]
    );
    assert!(!snap.exists());
    let (_, lines) = run(&["snapshot", "-v", "--out", &out], &file);
    assert_eq!(count(&lines, "FAILED"), SOURCES, "{lines:#?}");
    assert_eq!(
        count(
            &lines,
            "every source failed or answered suspiciously: nothing recorded"
        ),
        1,
        "{lines:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_everywhere_but_one_host_is_said_once_and_a_404_keeps_its_line() {
    // One server answers: a calendar, and a 404. Every other source is on a port of this
    // machine where nothing listens, each its own server.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/calendar.ics"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(std::fs::read(common::minimal_calendar_file()).unwrap())
                .insert_header("content-type", "text/calendar"),
        )
        .mount(&server)
        .await;
    let mut urls = vec![
        format!("{}/calendar.ics", server.uri()),
        format!("{}/gone.ics", server.uri()),
    ];
    let ports: Vec<u16> = (0..SOURCES).map(|_| refused_port()).collect();
    urls.extend(
        ports
            .iter()
            .map(|p| format!("http://127.0.0.1:{p}/calendar.ics")),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = sources(dir.path(), &urls);
    let (code, lines) = tokio::task::spawn_blocking(move || run(&["render", "-q"], &file))
        .await
        .unwrap();
    assert_eq!(code, Some(2), "{lines:#?}");
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(
        lines[0].starts_with(&format!(
            "connection refused: {SOURCES} sources could not be reached (hosts 127.0.0.1:"
        )),
        "{lines:#?}"
    );
    assert!(
        lines[1].starts_with("FAILED ical   Feed 1: ") && lines[1].ends_with("HTTP status 404"),
        "{lines:#?}"
    );
}
