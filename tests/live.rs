//! The binary's live path end to end, against a real HTTP server on 127.0.0.1 (wiremock)
//! serving fixture files: `render` fetches the calendar, a meetup group page and a JSON-LD
//! page, reports a failing source and goes on; `snapshot --out DIR` records every response;
//! `render --replay DIR` then prints exactly what the live run printed.

use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common;
use common::{Run, minimal_calendar_file, root};

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(root().join(rel)).unwrap()
}

async fn serve(server: &MockServer, at: &str, body: Vec<u8>, content_type: &str) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(body)
                .insert_header("content-type", content_type),
        )
        .mount(server)
        .await;
}

async fn fixture_server() -> MockServer {
    let server = MockServer::start().await;
    let ics = minimal_calendar_file();
    serve(
        &server,
        "/calendar/basic.ics",
        std::fs::read(ics).unwrap(),
        "text/calendar; charset=UTF-8",
    )
    .await;
    serve(
        &server,
        "/rust-and-c-plus-plus-in-cardiff/events/",
        read("tests/fixtures/pages/meetup-group-cardiff.html"),
        "text/html; charset=utf-8",
    )
    .await;
    serve(
        &server,
        "/rustconf/",
        read("tests/fixtures/pages/conference-rustconf.html"),
        "text/html; charset=utf-8",
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/broken/events/"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&server)
        .await;
    server
}

fn sources(dir: &Path, base: &str) -> PathBuf {
    // The minimal snapshot's organizers, with the sources pointed at the local server.
    let minimal = std::fs::read_to_string(root().join("snapshots/minimal/sources.toml")).unwrap();
    let organizers = &minimal[minimal.find("[[organizer]]").unwrap()..];
    let text = format!(
        "[[source]]\nkind = \"ical\"\nurl = \"{base}/calendar/basic.ics\"\nname = \"Calendar\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"{base}/rust-and-c-plus-plus-in-cardiff/\"\n\n\
         [[source]]\nkind = \"jsonld\"\nurl = \"{base}/rustconf/\"\nname = \"RustConf\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"{base}/broken/\"\nname = \"Broken Group\"\n\n\
         {organizers}"
    );
    let file = dir.join("sources.toml");
    std::fs::write(&file, text).unwrap();
    file
}

async fn run(args: Vec<String>) -> std::process::Output {
    tokio::task::spawn_blocking(move || Run::new(&args).output())
        .await
        .unwrap()
}

fn s(x: &[u8]) -> String {
    String::from_utf8_lossy(x).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn live_render_then_snapshot_then_replay() {
    let server = fixture_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = sources(dir.path(), &server.uri());
    let window = ["--from", "2026-08-19", "--to", "2026-09-16"].map(String::from);

    // Live render.
    let mut args = vec![
        "render".to_string(),
        "-v".into(),
        "--sources".into(),
        file.display().to_string(),
    ];
    args.extend(window.iter().cloned());
    let live = run(args).await;
    let (stdout, stderr) = (s(&live.stdout), s(&live.stderr));
    assert_eq!(live.status.code(), Some(2), "one source fails:\n{stderr}");
    assert!(stderr.contains("FAILED meetup Broken Group"), "{stderr}");
    assert!(stderr.contains("HTTP status 500"), "{stderr}");
    assert!(stderr.contains("ok     ical   Calendar"), "{stderr}");
    assert!(
        stdout.starts_with("Rusty Events between 2026-08-19 - 2026-09-16"),
        "{stdout}"
    );
    assert!(
        stdout.contains("| Virtual (Cardiff, UK) |") || stdout.contains("| Cardiff, UK |"),
        "{stdout}"
    );
    assert!(stdout.contains("[**RustConf 2026**]"), "{stdout}");
    assert!(
        !stdout.contains("FAILED") && !stdout.contains("warning"),
        "stdout is only the block"
    );

    // Record a snapshot of the same run, then replay it.
    let snap = dir.path().join("snap");
    let mut args = vec![
        "snapshot".to_string(),
        "--out".into(),
        snap.display().to_string(),
        "--sources".into(),
        file.display().to_string(),
    ];
    // snapshot takes no window: the event pages of the four weeks from --today's window.
    args.extend(["--today".to_string(), "2026-08-19".to_string()]);
    let recorded = run(args).await;
    assert_eq!(recorded.status.code(), Some(2), "{}", s(&recorded.stderr));
    let manifest = std::fs::read_to_string(snap.join("manifest.json")).unwrap();
    assert!(manifest.contains("/calendar/basic.ics"), "{manifest}");
    assert!(manifest.contains("/rust-and-c-plus-plus-in-cardiff/events/"));
    assert!(
        manifest.contains("\"status\": 500"),
        "the failure is recorded too: {manifest}"
    );
    assert!(snap.join("sources.toml").is_file());
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp-")),
        "no temporary directory left behind"
    );
    drop(server); // from here on, nothing is served: the replay must not need the network

    let mut args = vec![
        "render".to_string(),
        "--replay".into(),
        snap.display().to_string(),
    ];
    args.extend(window.iter().cloned());
    let replayed = run(args).await;
    assert_eq!(replayed.status.code(), Some(2), "{}", s(&replayed.stderr));
    assert_eq!(
        s(&replayed.stdout),
        stdout,
        "replay prints what the live run printed"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn render_out_writes_the_file_and_nothing_on_stdout() {
    let server = fixture_server().await;
    let dir = tempfile::tempdir().unwrap();
    let file = sources(dir.path(), &server.uri());
    let out = dir.path().join("events.md");
    let args: Vec<String> = [
        "render",
        "--sources",
        &file.display().to_string(),
        "--from",
        "2023-02-01",
        "--out",
        &out.display().to_string(),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let o = run(args).await;
    assert_eq!(s(&o.stdout), "");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("[**Rust Nation '23**]"), "{written}");
}

/// A calendar entry as Google writes it, linking `link` from its description.
fn vevent(uid: &str, summary: &str, link: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20260902T190000\r\nDTEND;TZID=Europe/Berlin:20260902T210000\r\nDTSTAMP:20260819T090000Z\r\nUID:{uid}@google.com\r\nDESCRIPTION:Talks.<br><a href=\"{link}\">{link}</a>\r\nLOCATION:Berlin\\, Germany\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:{summary}\r\nEND:VEVENT\r\n"
    )
}

/// Links to this machine or its network from a source are neither printed nor fetched, but
/// for the sources file's own host and port: a calendar entry linking another loopback address
/// loses that link (and, with no other, its place in the section), one linking the sources
/// host is printed; a page source the sources host redirects to another loopback port is not
/// followed there, and its failure says why.
#[tokio::test(flavor = "multi_thread")]
async fn private_addresses_are_neither_printed_nor_fetched() {
    let server = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    serve(
        &elsewhere,
        "/rustconf/",
        read("tests/fixtures/pages/conference-rustconf.html"),
        "text/html; charset=utf-8",
    )
    .await;
    let base = server.uri();
    let private = format!(
        "http://127.0.0.2:{}/private-night/",
        server.address().port()
    );
    let calendar = format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Rust Community\r\nX-WR-TIMEZONE:Europe/Berlin\r\nX-WR-CALDESC:\r\n{}{}{}END:VCALENDAR\r\n",
        vevent("p1", "Private Link Night", &private),
        vevent(
            "p2",
            "Metadata Night",
            "http://169.254.169.254/latest/meta-data/"
        ),
        vevent("p3", "Same Host Day", &format!("{base}/rust-day/")),
    );
    serve(
        &server,
        "/calendar/basic.ics",
        calendar.into_bytes(),
        "text/calendar; charset=UTF-8",
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/moved/"))
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/rustconf/", elsewhere.uri()).as_str(),
        ))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sources.toml");
    std::fs::write(
        &file,
        format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{base}/calendar/basic.ics\"\nname = \"Calendar\"\n\n\
             [[source]]\nkind = \"jsonld\"\nurl = \"{base}/moved/\"\nname = \"Moved Page\"\n"
        ),
    )
    .unwrap();
    let args: Vec<String> = [
        "render",
        "--sources",
        &file.display().to_string(),
        "--from",
        "2026-08-19",
        "--to",
        "2026-09-16",
        "--no-cache",
        "-v",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let o = run(args).await;
    let (stdout, stderr) = (s(&o.stdout), s(&o.stderr));
    assert!(
        stdout.contains(&format!("[**Same Host Day**]({base}/rust-day/)")),
        "{stdout}\n{stderr}"
    );
    for private in [
        "127.0.0.2",
        "169.254.169.254",
        "Private Link Night",
        "Metadata Night",
    ] {
        assert!(!stdout.contains(private), "{private}:\n{stdout}");
    }
    assert!(stderr.contains("FAILED jsonld Moved Page"), "{stderr}");
    assert!(stderr.contains("not fetched"), "{stderr}");
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 0);
}
