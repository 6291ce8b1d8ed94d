//! Nothing a user owns is lost or altered by a write: every command that writes × every
//! situation a user's files are really in, the binary against a loopback server
//! (wiremock) serving real-shaped feeds.
//!
//! The writers: `render --out`, `json --out`, `update DRAFT`, `add` (the sources file),
//! `health --fix` (the sources file, from a replayed fixture), `publish --out DIR`,
//! `snapshot --out DIR`. The situations: the target's mode (600/640/664, folders
//! 700/750/775) kept; a symbolic link to a file or folder in another folder written through;
//! a CRLF draft or sources file kept CRLF; a folder holding a user's file refused before
//! fetching; every source failing leaves the output as it was; a partial run never replaces a
//! fuller recording; a read-only target refused before fetching, naming the path and the fix.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::common::{Run, root};

/// The writers, each by the name a user knows it by.
const WRITERS: [&str; 7] = [
    "render --out",
    "json --out",
    "update",
    "add",
    "health --fix",
    "publish --out",
    "snapshot --out",
];

fn is_folder(writer: &str) -> bool {
    matches!(writer, "publish --out" | "snapshot --out")
}

/// The writers whose target is a text a user keeps and edits (a draft, a sources file).
fn is_users_text(writer: &str) -> bool {
    matches!(writer, "update" | "add" | "health --fix")
}

/// A second organizer's feed: one event in the window, in the shape of a group's own feed.
const SECOND_FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Meetup//Meetup Calendar 1.0//EN\r\n\
X-WR-CALNAME:Rust Lyon\r\nBEGIN:VEVENT\r\nUID:event_1@meetup.com\r\n\
DTSTART;TZID=Europe/Paris:20230216T190000\r\nDTEND;TZID=Europe/Paris:20230216T210000\r\n\
SUMMARY:Rust Lyon meetup\r\nURL;VALUE=URI:https://www.meetup.com/rust-lyon/events/123456/\r\n\
LOCATION:Lyon\\, France\r\nSTATUS:CONFIRMED\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// A feed `add` is given.
const NEW_FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Example//Feed//EN\r\n\
X-WR-CALNAME:Rust Nantes\r\nBEGIN:VEVENT\r\nUID:n1@example.org\r\n\
DTSTART;TZID=Europe/Paris:20230221T190000\r\nSUMMARY:Rust Nantes #3\r\n\
URL:https://rust-nantes.example.org/3\r\nLOCATION:Nantes\\, France\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

async fn serve(server: &MockServer, at: &str, status: u16, body: &[u8]) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(
            ResponseTemplate::new(status)
                .set_body_bytes(body.to_vec())
                .insert_header("content-type", "text/calendar; charset=UTF-8"),
        )
        .mount(server)
        .await;
}

/// The server: the community calendar (the minimal snapshot's recording), a group's feed
/// (failing with 500 when `second_fails`), and a new feed for `add`. Any other path is 404.
async fn server(second_fails: bool) -> MockServer {
    let server = MockServer::start().await;
    mount(&server, second_fails).await;
    server
}

/// Mounts the server's paths (see [`server`]).
async fn mount(server: &MockServer, second_fails: bool) {
    let calendar = std::fs::read(root().join(
        "snapshots/minimal/responses/calendar.google.com/calendar-ical-apd9vmbc22egenmtu5l6c5jbfc-40group-calendar-google-com-public-basic.ics",
    ))
    .unwrap();
    serve(server, "/calendar.ics", 200, &calendar).await;
    if second_fails {
        serve(server, "/lyon.ics", 500, b"").await;
    } else {
        serve(server, "/lyon.ics", 200, SECOND_FEED.as_bytes()).await;
    }
    serve(server, "/nantes.ics", 200, NEW_FEED.as_bytes()).await;
}

/// A sources file naming the server's two feeds (`gone`: paths the server does not have).
fn sources_text(base: &str, gone: bool) -> String {
    let (a, b) = if gone {
        ("/gone-calendar.ics", "/gone-lyon.ics")
    } else {
        ("/calendar.ics", "/lyon.ics")
    };
    format!(
        "# The sources, kept by hand.\n[[source]]\nkind = \"ical\"\nurl = \"{base}{a}\"\nname = \"Rust Community Calendar\"\n\n\
         [[source]]\nkind = \"ical\"\nurl = \"{base}{b}\"\nname = \"Rust Lyon\"\norganizer = \"https://www.meetup.com/rust-lyon/\"\nhome = \"Lyon, FR\"\n"
    )
}

const DRAFT: &str = "# This Week in Rust 480\n\n## Upcoming Events\n\nRusty Events between 2023-01-25 - 2023-02-22 🦀\n\n\
### Europe\n\n* 2023-01-26 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Old meetup**](https://www.meetup.com/rust-paris/events/1/)\n\n\
<!-- checked by hand -->\n\n## Jobs\n\nPlease see the latest thread.\n";

/// One case's folder: the sources file, and where the writer's target is made.
struct Case {
    _dir: tempfile::TempDir,
    dir: PathBuf,
    base: String,
    sources: PathBuf,
}

impl Case {
    fn new(base: &str) -> Case {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().to_path_buf();
        let sources = path.join("sources.toml");
        std::fs::write(&sources, sources_text(base, false)).unwrap();
        Case {
            _dir: dir,
            dir: path,
            base: base.to_string(),
            sources,
        }
    }

    /// The writer's target made in `at` (a file or a folder), as a user would have it.
    fn make_target(&self, writer: &str, at: &Path) {
        match writer {
            "update" => std::fs::write(at, DRAFT).unwrap(),
            "add" => std::fs::write(at, sources_text(&self.base, false)).unwrap(),
            "health --fix" => {
                std::fs::copy(root().join("tests/fixtures/add/health/sources.toml"), at).unwrap();
            }
            "render --out" => std::fs::write(at, "an old block\n").unwrap(),
            _ => {
                // A previous output of the writer itself (json, publish, snapshot), on an
                // earlier day so that this run's differs.
                let out = self.run(writer, at, &["--today", "2023-01-25"]);
                assert!(
                    at.exists(),
                    "{writer}: the first run wrote nothing: {out:?}"
                );
            }
        }
    }

    /// Runs `writer` on `target`; `extra` goes after the command's arguments.
    fn run(&self, writer: &str, target: &Path, extra: &[&str]) -> (i32, String) {
        let t = target.to_string_lossy().into_owned();
        let s = self.sources.to_string_lossy().into_owned();
        let today = ["--today", "2023-02-01"];
        let today: &[&str] = if extra.contains(&"--today") {
            &[]
        } else {
            &today
        };
        let mut args: Vec<String> = Vec::new();
        let mut push = |xs: &[&str]| args.extend(xs.iter().map(|x| (*x).to_string()));
        match writer {
            "render --out" | "json --out" | "publish --out" | "snapshot --out" => {
                let cmd = writer.split(' ').next().unwrap();
                push(&["--sources", &s, cmd, "--out", &t]);
                push(today);
            }
            "update" => {
                push(&["--sources", &s, "update", &t]);
                push(today);
            }
            "add" => push(&["--sources", &t, "add", &format!("{}/nantes.ics", self.base)]),
            "health --fix" => {
                let snapshot = root().join("tests/fixtures/add/health");
                let corpus = root().join("tests/fixtures/health/corpus");
                push(&[
                    "--sources",
                    &t,
                    "health",
                    "--replay",
                    &snapshot.to_string_lossy(),
                    "--corpus",
                    &corpus.to_string_lossy(),
                    "--fix",
                ]);
            }
            other => panic!("no writer {other}"),
        }
        push(extra);
        let out = Run::new(&args).current_dir(&self.dir).output();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    fn target(&self, writer: &str) -> PathBuf {
        match writer {
            "update" => self.dir.join("draft.md"),
            "add" | "health --fix" => self.dir.join("their-sources.toml"),
            w if is_folder(w) => self.dir.join("out-dir"),
            _ => self.dir.join("out.txt"),
        }
    }
}

/// Every file below `p` (or `p` itself) with its bytes: what the user has there.
fn tree(p: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    if p.is_file() {
        out.insert(PathBuf::new(), std::fs::read(p).unwrap());
        return out;
    }
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap().path();
            if e.is_dir() {
                stack.push(e);
            } else {
                out.insert(
                    e.strip_prefix(p).unwrap().to_path_buf(),
                    std::fs::read(&e).unwrap(),
                );
            }
        }
    }
    out
}

#[cfg(unix)]
fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(p: &Path, m: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

/// Runs `check` on every writer, each in a fresh case against a fresh server; collects what
/// failed, so that one report names every writer a rule fails for.
async fn each_writer(
    second_fails: bool,
    check: impl Fn(&str, &Case, &MockServer) -> Result<(), String> + Send + Sync + 'static,
) {
    let check = std::sync::Arc::new(check);
    let mut failures = Vec::new();
    for writer in WRITERS {
        let server = server(second_fails).await;
        let case = Case::new(&server.uri());
        let check = check.clone();
        let result = tokio::task::spawn_blocking(move || {
            let r = check(writer, &case, &server);
            (r, server)
        })
        .await
        .unwrap()
        .0;
        if let Err(e) = result {
            failures.push(format!("{writer}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Requests the server received (called from a blocking thread of the test's runtime).
fn requests(server: &MockServer) -> usize {
    tokio::runtime::Handle::current()
        .block_on(server.received_requests())
        .map_or(0, |r| r.len())
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn every_writer_keeps_the_mode_of_what_it_replaces() {
    each_writer(false, |writer, case, _| {
        let modes: &[u32] = if is_folder(writer) {
            &[0o700, 0o750, 0o775]
        } else {
            &[0o600, 0o640, 0o664]
        };
        for &m in modes {
            let t = case.target(writer);
            case.make_target(writer, &t);
            set_mode(&t, m);
            let before = tree(&t);
            let (code, err) = case.run(writer, &t, &[]);
            if code != 0 && code != 2 {
                return Err(format!("mode {m:o}: exit {code}: {err}"));
            }
            if tree(&t) == before {
                return Err(format!("mode {m:o}: nothing was written: {err}"));
            }
            if mode(&t) != m {
                return Err(format!("mode {m:o} became {:o}", mode(&t)));
            }
            if t.is_dir() {
                std::fs::remove_dir_all(&t).unwrap();
            } else {
                std::fs::remove_file(&t).unwrap();
            }
        }
        Ok(())
    })
    .await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn every_writer_writes_through_a_symbolic_link() {
    each_writer(false, |writer, case, _| {
        let real_dir = case.dir.join("kept-elsewhere");
        let work = case.dir.join("work");
        std::fs::create_dir_all(&real_dir).unwrap();
        std::fs::create_dir_all(&work).unwrap();
        let name = case.target(writer).file_name().unwrap().to_owned();
        let real = real_dir.join(&name);
        case.make_target(writer, &real);
        let before = tree(&real);
        let link = work.join(&name);
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let (code, err) = case.run(writer, &link, &[]);
        if code != 0 && code != 2 {
            return Err(format!("exit {code}: {err}"));
        }
        if !std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
        {
            return Err("the link was replaced by a plain file or folder".into());
        }
        if tree(&real) == before {
            return Err(format!("the link's target was not written: {err}"));
        }
        let beside: Vec<_> = std::fs::read_dir(&work).unwrap().collect();
        if beside.len() != 1 {
            return Err(format!("{} entries beside the link", beside.len()));
        }
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_crlf_draft_or_sources_file_stays_crlf() {
    each_writer(false, |writer, case, _| {
        if !is_users_text(writer) {
            return Ok(());
        }
        let t = case.target(writer);
        case.make_target(writer, &t);
        let crlf = std::fs::read_to_string(&t).unwrap().replace('\n', "\r\n");
        std::fs::write(&t, &crlf).unwrap();
        let (code, err) = case.run(writer, &t, &[]);
        if code != 0 && code != 2 {
            return Err(format!("exit {code}: {err}"));
        }
        let after = std::fs::read_to_string(&t).unwrap();
        if after == crlf {
            return Err(format!("nothing was written: {err}"));
        }
        let (lf, crlf_count) = (after.matches('\n').count(), after.matches("\r\n").count());
        if lf != crlf_count {
            return Err(format!("{} bare LF line ends: {after:?}", lf - crlf_count));
        }
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_folder_holding_a_users_file_is_refused_before_fetching() {
    each_writer(false, |writer, case, server| {
        let t = case.target(writer);
        std::fs::create_dir_all(t.join("notes")).unwrap();
        std::fs::write(t.join("notes/important.md"), "mine").unwrap();
        let before = tree(&t);
        let (code, err) = case.run(writer, &t, &[]);
        if code != 1 {
            return Err(format!("exit {code}, not refused: {err}"));
        }
        if !err.contains(&*t.to_string_lossy()) {
            return Err(format!("the refusal does not name the path: {err}"));
        }
        if tree(&t) != before {
            return Err("the folder changed".into());
        }
        if requests(server) != 0 {
            return Err("refused only after fetching".into());
        }
        Ok(())
    })
    .await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_target_is_refused_before_fetching() {
    each_writer(false, |writer, case, server| {
        let t = case.target(writer);
        case.make_target(writer, &t);
        set_mode(&t, if t.is_dir() { 0o555 } else { 0o444 });
        let before = tree(&t);
        let seen = requests(server);
        let (code, err) = case.run(writer, &t, &[]);
        set_mode(&t, 0o755);
        if code != 1 {
            return Err(format!("exit {code}, not refused: {err}"));
        }
        if !err.contains(&*t.to_string_lossy()) || !err.contains("chmod u+w") {
            return Err(format!(
                "the refusal names neither the path nor the fix: {err}"
            ));
        }
        if tree(&t) != before {
            return Err("the target changed".into());
        }
        if requests(server) != seen {
            return Err("refused only after fetching".into());
        }
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_source_failing_leaves_the_output_as_it_was() {
    each_writer(false, |writer, case, _| {
        if writer == "health --fix" {
            // It adds what a run suggests; a run that reads nothing suggests nothing.
            return Ok(());
        }
        let t = case.target(writer);
        case.make_target(writer, &t);
        let before = tree(&t);
        if writer == "add" {
            // The URL it is given fails.
            let (code, err) = case.run_add(&t, "/gone.ics");
            return check_kept(&t, &before, code, &err);
        }
        std::fs::write(&case.sources, sources_text(&case.base, true)).unwrap();
        let (code, err) = case.run(writer, &t, &[]);
        check_kept(&t, &before, code, &err)
    })
    .await;
}

fn check_kept(
    t: &Path,
    before: &BTreeMap<PathBuf, Vec<u8>>,
    code: i32,
    err: &str,
) -> Result<(), String> {
    if code != 2 {
        return Err(format!("exit {code}: {err}"));
    }
    if tree(t) != *before {
        return Err(format!("the output changed: {err}"));
    }
    Ok(())
}

impl Case {
    fn run_add(&self, sources: &Path, at: &str) -> (i32, String) {
        let out = Run::new(["--sources"])
            .arg(sources)
            .args(["add", &format!("{}{at}", self.base)])
            .current_dir(&self.dir)
            .output();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// A partial run (one source failing): a recording that holds that source is kept, what it
/// would lose named, unless `--replace`.
#[tokio::test(flavor = "multi_thread")]
async fn a_partial_run_never_replaces_a_fuller_recording() {
    let server = server(false).await;
    let case = Case::new(&server.uri());
    let t = case.dir.join("recording");
    let (case, t) = tokio::task::spawn_blocking(move || {
        let (code, err) = case.run("snapshot --out", &t, &[]);
        assert_eq!(code, 0, "{err}");
        (case, t)
    })
    .await
    .unwrap();
    // The group's feed fails from now on.
    server.reset().await;
    mount(&server, true).await;
    let before = tree(&t);
    let (code, err, after, replaced) = tokio::task::spawn_blocking(move || {
        let (code, err) = case.run("snapshot --out", &t, &[]);
        let after = tree(&t);
        let (rcode, rerr) = case.run("snapshot --out", &t, &["--replace"]);
        let replaced = tree(&t);
        (
            code,
            format!("{err}\n--replace: exit {rcode}: {rerr}"),
            after,
            replaced,
        )
    })
    .await
    .unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(after == before, "the fuller recording was replaced: {err}");
    assert!(err.contains("would lose Rust Lyon"), "{err}");
    assert!(err.contains("--replace"), "{err}");
    assert!(replaced != before, "--replace did not replace it: {err}");
}
