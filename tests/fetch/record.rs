//! `Recorder` writing a snapshot of live answers, `ReplayFetcher` reading it back, and the
//! snapshot's error messages.

use super::*;

fn recorded_at() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2023-02-01T09:30:00+01:00").unwrap()
}

const SOURCES_TOML: &str = "[[source]]\nkind = \"ical\"\nurl = \"https://calendar.google.com/calendar/ical/x/public/basic.ics\"\n";

struct Recorded {
    _server: MockServer,
    ics_url: String,
    html_url: String,
    missing_url: String,
    refused_url: String,
    root: tempfile::TempDir,
    dir: PathBuf,
}

/// Records four URLs (an .ics, an HTML page, a 404, a refused connection) through
/// `Recorder<LiveFetcher>` and writes the snapshot.
async fn record() -> (Recorded, twir_events::fetch::record::SnapshotSummary) {
    let server = MockServer::start().await;
    serve(
        &server,
        "/calendar/ical/public/basic.ics",
        ok(ics(), ICS_TYPE),
    )
    .await;
    serve(
        &server,
        "/rust-berlin/events/298457951/",
        ok(html(), HTML_TYPE),
    )
    .await;
    serve(&server, "/old-group/events/", ResponseTemplate::new(404)).await;
    let ics_url = format!("{}/calendar/ical/public/basic.ics", server.uri());
    let html_url = format!("{}/rust-berlin/events/298457951/", server.uri());
    let missing_url = format!("{}/old-group/events/", server.uri());
    let refused_url = format!(
        "http://127.0.0.1:{}/feed.ics",
        super::common::refused_port()
    );

    let recorder = Recorder::new(fetcher(LiveOptions {
        retries: 0,
        ..opts()
    }));
    // Concurrently, and the ics asked for twice: the manifest keeps call order, deduplicated.
    let urls = [&ics_url, &html_url, &missing_url, &refused_url, &ics_url];
    let results = futures::future::join_all(urls.iter().map(|u| recorder.fetch(u))).await;
    assert!(results[0].is_ok() && results[1].is_ok() && results[4].is_ok());
    assert_eq!(recorder.requests(), 5);

    let root = tempfile::tempdir().unwrap();
    // Only the folder asked for is made: its parent must exist.
    std::fs::create_dir(root.path().join("snapshots")).unwrap();
    let dir = root.path().join("snapshots").join("2023-02-01");
    let summary = recorder
        .write_snapshot(&dir, recorded_at(), Some(SOURCES_TOML))
        .unwrap();
    (
        Recorded {
            _server: server,
            ics_url,
            html_url,
            missing_url,
            refused_url,
            root,
            dir,
        },
        summary,
    )
}

#[tokio::test]
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "the snapshot's names are lower-case by construction: the exact suffix is the assertion"
)]
async fn a_recorded_snapshot_replays_the_same_bytes_and_statuses() {
    let (rec, summary) = record().await;
    assert_eq!(summary.dir, rec.dir);
    assert_eq!((summary.responses, summary.statuses), (2, 1));
    assert_eq!(summary.bytes, (ics().len() + html().len()) as u64);
    assert_eq!(summary.not_recorded.len(), 1);
    assert!(
        matches!(&summary.not_recorded[0], FetchError::Network { url, .. } if *url == rec.refused_url)
    );

    // The manifest: call order, one entry per URL, files named by host and typed.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(rec.dir.join("manifest.json")).unwrap()).unwrap();
    let entries = manifest["responses"].as_array().unwrap();
    let urls: Vec<&str> = entries.iter().map(|e| e["url"].as_str().unwrap()).collect();
    assert_eq!(urls, [&rec.ics_url, &rec.html_url, &rec.missing_url]);
    let ics_file = entries[0]["file"].as_str().unwrap();
    let port = rec
        .ics_url
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    assert!(
        ics_file.starts_with(&format!(
            "responses/127.0.0.1_{port}/calendar-ical-public-basic-ics-"
        )),
        "{ics_file}"
    );
    assert!(ics_file.ends_with(".ics"), "{ics_file}");
    assert!(entries[1]["file"].as_str().unwrap().ends_with(".html"));
    assert_eq!(entries[2]["status"], 404);
    assert!(entries[2].get("file").is_none());

    let replay = ReplayFetcher::open(&rec.dir).unwrap();
    assert_eq!(replay.recorded_at(), recorded_at());
    let sources = replay.sources_file().expect("sources.toml recorded");
    assert_eq!(std::fs::read_to_string(sources).unwrap(), SOURCES_TOML);

    let r = replay.fetch(&rec.ics_url).await.unwrap();
    assert_eq!((r.status, r.content_type.as_deref()), (200, Some(ICS_TYPE)));
    assert_eq!(r.body, ics(), "byte-identical replay");
    assert_eq!(r.url, rec.ics_url);
    let r = replay.fetch(&rec.html_url).await.unwrap();
    assert_eq!(
        (r.status, r.content_type.as_deref()),
        (200, Some(HTML_TYPE))
    );
    assert_eq!(r.body, html());

    assert_eq!(
        replay.fetch(&rec.missing_url).await.unwrap_err(),
        FetchError::Status {
            url: rec.missing_url.clone(),
            status: 404
        },
        "a recorded failure replays as the same failure"
    );
    for url in [
        rec.refused_url.clone(),
        format!("{}/never-asked", rec.ics_url),
    ] {
        let err = replay.fetch(&url).await.unwrap_err();
        assert!(
            matches!(&err, FetchError::NotRecorded { url: u, .. } if *u == url),
            "{err:?}"
        );
        assert!(err.to_string().contains("twir-events snapshot"), "{err}");
    }

    // Lenient matching: trailing slash and fragment.
    let without_slash = rec.html_url.trim_end_matches('/').to_owned();
    assert_eq!(replay.fetch(&without_slash).await.unwrap().body, html());
    let with_fragment = format!("{}#venue", rec.html_url);
    let r = replay.fetch(&with_fragment).await.unwrap();
    assert_eq!(
        (r.url.as_str(), r.body.len()),
        (with_fragment.as_str(), html().len())
    );
}

#[tokio::test]
async fn writing_again_replaces_the_snapshot_and_leaves_no_temporary_directory() {
    let (rec, _) = record().await;
    let stale = rec.dir.join("stale.txt");
    std::fs::write(&stale, "from an older recording").unwrap();

    let server = MockServer::start().await;
    serve(
        &server,
        "/new.ics",
        ok(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".to_vec(), ICS_TYPE),
    )
    .await;
    let recorder = Recorder::new(fetcher(opts()));
    let new_url = format!("{}/new.ics", server.uri());
    recorder.fetch(&new_url).await.unwrap();
    let summary = recorder
        .write_snapshot(&rec.dir, recorded_at(), None)
        .unwrap();
    assert_eq!(summary.responses, 1);

    assert!(!stale.exists(), "the old snapshot is gone, not merged");
    let replay = ReplayFetcher::open(&rec.dir).unwrap();
    assert_eq!(replay.sources_file(), None);
    assert!(replay.fetch(&new_url).await.is_ok());
    assert!(matches!(
        replay.fetch(&rec.ics_url).await,
        Err(FetchError::NotRecorded { .. })
    ));
    let siblings: Vec<String> = std::fs::read_dir(rec.dir.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(siblings, ["2023-02-01"]);
}

#[tokio::test]
async fn broken_snapshots_fail_at_open_with_the_file_and_the_fix() {
    let (rec, _) = record().await;
    let manifest = rec.dir.join("manifest.json");
    let good = std::fs::read_to_string(&manifest).unwrap();

    // Missing directory.
    let nowhere = rec.root.path().join("no-such-snapshot");
    let err = ReplayFetcher::open(&nowhere).unwrap_err();
    assert!(matches!(err, SnapshotError::MissingDir { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-snapshot"), "{err}");

    // Corrupted manifest: names the file, line and column.
    std::fs::write(&manifest, &good[..good.len() / 2]).unwrap();
    let err = ReplayFetcher::open(&rec.dir).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, SnapshotError::InvalidManifest { line, .. } if line > 1),
        "{err:?}"
    );
    assert!(msg.contains(&manifest.display().to_string()), "{msg}");

    // A field of the wrong type.
    std::fs::write(
        &manifest,
        good.replace("\"status\": 404", "\"status\": \"404\""),
    )
    .unwrap();
    let err = ReplayFetcher::open(&rec.dir).unwrap_err();
    assert!(
        matches!(err, SnapshotError::InvalidManifest { .. }),
        "{err:?}"
    );

    // A file escaping the directory.
    let entries: serde_json::Value = serde_json::from_str(&good).unwrap();
    let ics_file = entries["responses"][0]["file"].as_str().unwrap().to_owned();
    for escape in ["../../../etc/passwd", "/etc/passwd"] {
        std::fs::write(&manifest, good.replace(&ics_file, escape)).unwrap();
        let err = ReplayFetcher::open(&rec.dir).unwrap_err();
        assert!(
            matches!(err, SnapshotError::FileOutsideSnapshot { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(escape), "{err}");
    }

    // A listed file that does not exist: named, and caught at open.
    std::fs::write(&manifest, &good).unwrap();
    let body = rec.dir.join(&ics_file);
    std::fs::rename(&body, rec.root.path().join("moved")).unwrap();
    let err = ReplayFetcher::open(&rec.dir).unwrap_err();
    assert!(matches!(err, SnapshotError::MissingFile { .. }), "{err:?}");
    assert!(err.to_string().contains(&ics_file), "{err}");
    std::fs::rename(rec.root.path().join("moved"), &body).unwrap();

    // A body removed after opening: a per-URL SnapshotFile error, not a panic.
    let replay = ReplayFetcher::open(&rec.dir).unwrap();
    std::fs::remove_file(&body).unwrap();
    let err = replay.fetch(&rec.ics_url).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::SnapshotFile { file, .. } if file.contains(&ics_file)),
        "{err:?}"
    );

    // No manifest at all.
    std::fs::remove_file(&manifest).unwrap();
    let err = ReplayFetcher::open(&rec.dir).unwrap_err();
    assert!(
        matches!(err, SnapshotError::MissingManifest { .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("manifest.json"), "{err}");
}

#[tokio::test]
async fn a_hand_written_manifest_with_a_duplicate_url_is_rejected() {
    let root = tempfile::tempdir().unwrap();
    std::fs::write(
        root.path().join("manifest.json"),
        r#"{"recorded_at": "2023-02-01T09:30:00+01:00", "responses": [
            {"url": "https://a.example/x", "status": 404, "content_type": null},
            {"url": "https://a.example/x", "status": 410, "content_type": null}]}"#,
    )
    .unwrap();
    let err = ReplayFetcher::open(root.path()).unwrap_err();
    assert!(matches!(err, SnapshotError::DuplicateUrl { .. }), "{err:?}");
}
