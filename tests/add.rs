//! `twir-events add URL…` and `health --fix`, the binary as an editor runs them, on fixture
//! snapshots shaped like the real pages (tests/fixtures/add/: meetup group pages, a meetup
//! login wall read through its feed, luma calendar and event pages, a JSON-LD page, an iCal
//! feed without `.ics`, an organizer site without events, a 404).

use std::path::{Path, PathBuf};
use twir_events::config::{Config, SourceKind};

use crate::common::{Run, root};

const SNAPSHOT: &str = "tests/fixtures/add";
const HEALTH_SNAPSHOT: &str = "tests/fixtures/add/health";
const HEALTH_CORPUS: &str = "tests/fixtures/health/corpus";

/// A copy of `from` (a sources file) in a fresh folder; returns the folder (kept alive) and
/// the copy's path.
fn copy_of(from: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sources.toml");
    std::fs::copy(root().join(from), &path).unwrap();
    (dir, path)
}

/// Runs the binary from the project root; returns (exit code, stdout, stderr).
fn run(sources: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Run::new(["--sources"]).arg(sources).args(args).output();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn add(sources: &Path, urls: &[&str]) -> (i32, String, String) {
    let mut args = vec!["add", "--replay", SNAPSHOT];
    args.extend(urls);
    run(sources, &args)
}

/// The file's text after a run that added one entry: the old text, then the entry alone.
fn added_entry(before: &str, after: &str) -> String {
    assert!(
        after.starts_with(before),
        "the file changed above the new entry:\n{after}"
    );
    after[before.len()..].to_string()
}

#[test]
fn each_url_shape_ends_in_its_entry() {
    let cases: &[(&str, SourceKind, &str, Option<&str>)] = &[
        // A meetup event page, under a locale and in another case: its group.
        (
            "https://www.meetup.com/en-AU/Women-in-Rust/events/316350812/?eventId=316350812",
            SourceKind::Meetup,
            "https://www.meetup.com/women-in-rust/",
            Some("Women in Rust"),
        ),
        // A meetup group behind a login wall: read through its feed, still a meetup source.
        (
            "https://www.meetup.com/rust-manchester",
            SourceKind::Meetup,
            "https://www.meetup.com/rust-manchester/",
            Some("Rust Manchester"),
        ),
        // A luma event page: the calendar its data names.
        (
            "https://lu.ma/k3v9q2xd",
            SourceKind::Luma,
            "https://luma.com/rust-girona",
            Some("Rust Girona"),
        ),
        // A luma calendar under lu.ma.
        (
            "https://lu.ma/rust-girona",
            SourceKind::Luma,
            "https://luma.com/rust-girona",
            Some("Rust Girona"),
        ),
        // A page with schema.org events.
        (
            "https://www.rustnationuk.com/",
            SourceKind::Jsonld,
            "https://www.rustnationuk.com/",
            Some("Rust Nation UK"),
        ),
        // An iCal feed known by its content, not its name; it names itself (X-WR-CALNAME).
        (
            "https://rust-lyon.example.org/calendar",
            SourceKind::Ical,
            "https://rust-lyon.example.org/calendar",
            Some("Rust Lyon"),
        ),
    ];
    for (url, kind, entry_url, name) in cases {
        let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
        let before = std::fs::read_to_string(&path).unwrap();
        let (code, stdout, stderr) = add(&path, &[url]);
        assert_eq!(code, 0, "{url}: {stderr}");
        assert_eq!(
            stdout, "",
            "{url}: stdout carries nothing without --dry-run"
        );
        assert!(
            (stderr.contains(" events from 2026-09-16 to 2026-10-14")
                || stderr.contains(" 1 event from 2026-09-16 to 2026-10-14"))
                && !stderr.contains("(s)"),
            "{stderr}"
        );
        let after = std::fs::read_to_string(&path).unwrap();
        let entry = added_entry(&before, &after);
        let only = Config::parse(&entry, "entry").unwrap();
        assert_eq!(only.sources.len(), 1, "{entry}");
        let s = &only.sources[0];
        assert_eq!((s.kind, s.url.as_str()), (*kind, *entry_url), "{url}");
        assert_eq!(s.name.as_deref(), *name, "{url}");
        // The whole file still loads, one source more.
        let all = Config::load(&path).unwrap();
        assert_eq!(all.sources.len(), 3);
        assert_eq!(all.organizers.len(), 1);
    }
}

/// URLs as editors paste them: without a scheme, in `<…>`, with a tracking query; each taken
/// as meant, the entry written in its plain form.
#[test]
fn pasted_url_forms_are_taken_as_meant() {
    let cases = [
        (
            "www.meetup.com/rust-manchester",
            "https://www.meetup.com/rust-manchester/",
        ),
        (
            " <https://www.meetup.com/women-in-rust/> ",
            "https://www.meetup.com/women-in-rust/",
        ),
        (
            "https://www.rustnationuk.com/?utm_source=newsletter&utm_medium=email",
            "https://www.rustnationuk.com/",
        ),
        (
            "rust-lyon.example.org/calendar",
            "https://rust-lyon.example.org/calendar",
        ),
        (
            "https://m.meetup.com/Rust-Manchester/",
            "https://www.meetup.com/rust-manchester/",
        ),
    ];
    for (pasted, url) in cases {
        let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
        let (code, stdout, stderr) = add(&path, &["--dry-run", pasted]);
        assert_eq!(code, 0, "{pasted}: {stderr}");
        let only = Config::parse(&stdout, "entry").unwrap();
        assert_eq!(only.sources[0].url, url, "{pasted}");
        assert!(!stderr.contains("relative URL"), "{stderr}");
    }
    // What is no address at all is refused in an editor's words, not the URL parser's.
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let (code, _, stderr) = add(&path, &["rust paris"]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "add: rust paris: refused: not an http(s) URL: \"rust paris\": give the group's, calendar's or feed's web address (https://…)\n"
    );
}

/// `--dry-run` says nothing was written; `-q` prints errors only (a refusal), as the README
/// says; a feed that names itself is written with its name and organizer page, shown first.
#[test]
fn dry_run_and_quiet_say_what_happened() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read(&path).unwrap();
    let url = "https://rust-lyon.example.org/calendar";
    let (code, stdout, stderr) = add(&path, &["--dry-run", url]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert!(
        stderr.ends_with(&format!(
            "add: {url}: ok: its entry is printed on stdout (--dry-run: nothing written)\n"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(": added"), "{stderr}");
    assert!(
        stderr.contains(
            "\n  organizer: Rust Lyon, https://rust-lyon.example.org/ (the feed's own name and its site: every event prints them)\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        stdout,
        "[[source]]\nkind = \"ical\"\nurl = \"https://rust-lyon.example.org/calendar\"\nname = \"Rust Lyon\"\norganizer = \"https://rust-lyon.example.org/\"\n\n"
    );

    let (code, stdout, stderr) = add(&path, &["-q", url, "ftp://example.org/x.ics"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "add: ftp://example.org/x.ics: refused: not an http(s) URL: \"ftp://example.org/x.ics\" is a ftp: URL; give the group's, calendar's or feed's web address\n"
    );
    let after = Config::load(&path).unwrap();
    assert_eq!(after.sources.last().map(|s| s.url.as_str()), Some(url));
}

#[test]
fn what_it_read_goes_to_stderr_with_places_and_regions() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let (code, _, stderr) = add(&path, &["https://luma.com/k3v9q2xd"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("kind = \"luma\", https://luma.com/rust-girona (Rust Girona)"));
    assert!(
        stderr.contains("2026-10-01 Rust Girona Hack & Learn 10 2026 — Girona, ES [Europe]"),
        "{stderr}"
    );
    assert!(stderr.contains("read through its fallback"), "{stderr}");
}

#[test]
fn dry_run_prints_the_entry_and_leaves_the_file() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read(&path).unwrap();
    let (code, stdout, stderr) = run(
        &path,
        &[
            "add",
            "--replay",
            SNAPSHOT,
            "--dry-run",
            "https://www.meetup.com/women-in-rust/",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/women-in-rust/\"\nname = \"Women in Rust\"\n\n"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn comments_and_layout_are_kept_and_only_the_entries_are_added() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let (code, _, stderr) = add(
        &path,
        &[
            "https://www.meetup.com/women-in-rust/",
            "https://rust-lyon.example.org/calendar",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        added_entry(&before, &after),
        "\n[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/women-in-rust/\"\nname = \"Women in Rust\"\n\
         \n[[source]]\nkind = \"ical\"\nurl = \"https://rust-lyon.example.org/calendar\"\nname = \"Rust Lyon\"\norganizer = \"https://rust-lyon.example.org/\"\n"
    );
    // The comments, the aligned keys and the [[organizer]] between the sources are there.
    for kept in [
        "# a locale prefix, as editors paste it",
        "kind    = \"luma\"",
        "# Rust Melbourne moved to luma",
        "# the end\n",
    ] {
        assert!(after.contains(kept), "{kept}");
    }
}

#[test]
fn a_group_listed_under_another_url_is_refused() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read(&path).unwrap();
    for (url, line) in [
        // Listed as /de-DE/Rust-Berlin/: another locale and case, an event page.
        ("https://www.meetup.com/rust-berlin/events/316151073/", 4),
        ("https://www.meetup.com/fr-FR/RUST-BERLIN", 4),
        // Listed as luma.com/rustmelbourne: its cal- id, as a feed and as a calendar page.
        (
            "https://api.lu.ma/ics/get?entity=calendar&id=cal-Mb3rUsT9qL2xV8k",
            10,
        ),
        ("https://lu.ma/rustmelbourne/", 10),
    ] {
        let (code, stdout, stderr) = add(&path, &[url]);
        assert_eq!(code, 1, "{url}: {stderr}");
        assert_eq!(stdout, "");
        assert!(
            stderr.contains(&format!("already listed: the [[source]] at line {line} (")),
            "{url}: {stderr}"
        );
    }
    assert_eq!(std::fs::read(&path).unwrap(), before, "nothing written");
}

#[test]
fn adding_the_same_group_twice_is_refused() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    // Twice in one command: the second is the first's group (a luma event of the calendar).
    let (code, _, stderr) = add(
        &path,
        &["https://lu.ma/rust-girona", "https://luma.com/k3v9q2xd"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("https://lu.ma/rust-girona: added"),
        "{stderr}"
    );
    assert!(
        stderr.contains("https://luma.com/k3v9q2xd: refused: already listed"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    // And again in a second command.
    let (code, _, stderr) = add(&path, &["https://luma.com/rust-girona"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("refused: already listed"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
    assert_eq!(after.matches("rust-girona").count(), 1, "{after}");
}

#[test]
fn a_page_without_events_is_refused_with_what_was_found_and_the_entry_that_helps() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let (code, stdout, stderr) = add(&path, &["https://rust-tlv.example.org/"]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("no events to read there"), "{stderr}");
    assert!(stderr.contains("title \"Rust TLV\""), "{stderr}");
    assert!(
        stderr.contains("it links a chat or ticket page: https://discord.gg/rust-tlv, https://www.eventbrite.com/o/rust-tlv-12345"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "[[organizer]]\n    url = \"https://discord.gg/rust-tlv\"\n    name = \"Rust TLV\""
        ),
        "{stderr}"
    );
    // A chat or ticket link itself: refused before any fetch (not in the snapshot).
    for url in [
        "https://discord.gg/rust",
        "https://www.eventbrite.com/o/rust-9",
    ] {
        let (code, _, stderr) = add(&path, &[url]);
        assert_eq!(code, 1, "{url}: {stderr}");
        assert!(
            stderr.contains("add instead:\n    [[organizer]]"),
            "{stderr}"
        );
    }
}

#[test]
fn urls_that_are_not_http_are_refused_and_a_failing_source_is_exit_2() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read(&path).unwrap();
    for url in [
        "ftp://example.org/rust.ics",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "rust-berlin",
    ] {
        let (code, _, stderr) = add(&path, &[url]);
        assert_eq!(code, 1, "{url}: {stderr}");
        assert!(stderr.contains("not an http(s) URL"), "{url}: {stderr}");
    }
    let (code, _, stderr) = add(&path, &["https://www.meetup.com/gone-rust/"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("cannot be read") && stderr.contains("404"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

/// A URL on a kind's site that the kind refuses (luma's root names no calendar) is refused in
/// the kind's own words, not as "not an http(s) URL"; nothing is fetched or written.
#[test]
fn a_kinds_refusal_reaches_the_user_in_its_own_words() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let before = std::fs::read(&path).unwrap();
    let (code, stdout, stderr) = add(&path, &["https://luma.com/"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_eq!(
        stderr,
        "add: https://luma.com/: refused: \"https://luma.com/\" names no luma calendar: give the calendar's page, https://luma.com/<calendar>\n"
    );
    let (code, _, stderr) = add(&path, &["https://www.meetup.com/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        !stderr.contains("not an http(s) URL") && stderr.contains("names no meetup group"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_sources_file_is_checked_before_fetching() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere").join("sources.toml");
    let (code, _, stderr) = add(&missing, &["https://www.meetup.com/women-in-rust/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(!stderr.contains(" from 2026-"), "fetched first: {stderr}");
    // A broken sources file is bad input, named with its line.
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[[source]]\nkind = \"meetup\"\n").unwrap();
    let (code, _, stderr) = add(&broken, &["https://www.meetup.com/women-in-rust/"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("broken.toml:1"), "{stderr}");
}

fn uncovered(sources: &Path) -> Vec<(String, String)> {
    let (_, stdout, stderr) = run(
        sources,
        &[
            "health",
            "--replay",
            HEALTH_SNAPSHOT,
            "--corpus",
            HEALTH_CORPUS,
            "--format",
            "json",
        ],
    );
    let v: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    v["uncovered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["suggestion_kind"].as_str().unwrap().to_string(),
                u["link"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn health_fix_adds_what_health_suggests_and_then_health_no_longer_suggests_it() {
    let (_dir, path) = copy_of("tests/fixtures/add/health/sources.toml");
    let before = std::fs::read_to_string(&path).unwrap();
    let suggested = uncovered(&path);
    assert_eq!(
        suggested,
        [
            (
                "organizer".into(),
                "https://discord.gg/rust-handadded".into()
            ),
            ("luma".into(), "https://luma.com/rust-valencia".into()),
            (
                "meetup".into(),
                "https://www.meetup.com/rust-calonly/".into()
            ),
        ]
    );
    let (_, _, stderr) = run(
        &path,
        &[
            "health",
            "--replay",
            HEALTH_SNAPSHOT,
            "--corpus",
            HEALTH_CORPUS,
            "--fix",
        ],
    );
    assert!(
        stderr.contains("health --fix: 2 added, 0 refused"),
        "{stderr}"
    );
    let after = std::fs::read_to_string(&path).unwrap();
    let entries = Config::parse(&added_entry(&before, &after), "added").unwrap();
    let added: Vec<_> = entries
        .sources
        .iter()
        .map(|s| {
            (
                s.kind,
                s.url.as_str(),
                s.name.as_deref(),
                s.home.as_ref().map(ToString::to_string),
            )
        })
        .collect();
    // With the name and home the editors printed (health's suggestion).
    assert_eq!(
        added,
        [
            (
                SourceKind::Luma,
                "https://luma.com/rust-valencia",
                Some("Rust Valencia"),
                Some("Valencia, ES".to_string())
            ),
            (
                SourceKind::Meetup,
                "https://www.meetup.com/rust-calonly/",
                Some("Rust Calonly"),
                Some("Ghent, BE".to_string())
            ),
        ]
    );
    // The next health suggests only the [[organizer]] entry, which reads nothing.
    assert_eq!(
        uncovered(&path),
        [(
            "organizer".into(),
            "https://discord.gg/rust-handadded".into()
        )]
    );
    // And a second --fix adds nothing.
    let (_, _, stderr) = run(
        &path,
        &[
            "health",
            "--replay",
            HEALTH_SNAPSHOT,
            "--corpus",
            HEALTH_CORPUS,
            "--fix",
        ],
    );
    assert!(
        stderr.contains("health --fix: no source to add"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), after);
}

/// Live, against a loopback server: the page read for its kind is the page the preview reads,
/// fetched once (the server refuses a second request).
#[tokio::test(flavor = "multi_thread")]
async fn live_each_page_is_fetched_once() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rustconf/"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_bytes(
                    std::fs::read(root().join("tests/fixtures/pages/conference-rustconf.html"))
                        .unwrap(),
                )
                .insert_header("content-type", "text/html; charset=utf-8"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sources.toml");
    // A source on the server's host and port: the loopback address is the sources file's own.
    let base = server.uri();
    std::fs::write(
        &file,
        format!("[[source]]\nkind = \"ical\"\nurl = \"{base}/feed.ics\"\n"),
    )
    .unwrap();
    let (code, _, stderr) = run(
        &file,
        &[
            "--no-cache",
            "add",
            "--today",
            "2026-09-02",
            &format!("{base}/rustconf/"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("kind = \"jsonld\""), "{stderr}");
    assert!(stderr.contains("RustConf 2026 — Montréal"), "{stderr}");
    server.verify().await;
}

#[test]
fn a_renamed_group_is_added_under_its_new_name_or_refused_when_listed_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sources.toml");
    std::fs::write(&file, "# empty yet\n").unwrap();
    // The old name redirects to the new one: the entry takes the new name.
    let (code, stdout, stderr) = run(
        &file,
        &[
            "add",
            "--replay",
            SNAPSHOT,
            "--dry-run",
            "https://www.meetup.com/join-srug/",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("renamed: its page is now https://www.meetup.com/seattle-rust-user-group/"),
        "{stderr}"
    );
    assert!(
        stdout.contains("url = \"https://www.meetup.com/seattle-rust-user-group/\""),
        "{stdout}"
    );
    // Listed under the new name: the old one is the same group.
    std::fs::write(
        &file,
        "[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/Seattle-Rust-User-Group/\"\n",
    )
    .unwrap();
    let (code, _, stderr) = add(
        &file,
        &["https://www.meetup.com/join-srug/events/316371190/"],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("already listed: the [[source]] at line 1 (https://www.meetup.com/Seattle-Rust-User-Group/)"),
        "{stderr}"
    );
}

#[test]
fn health_fix_on_a_snapshot_edits_only_a_sources_file_named() {
    // Without --sources, the run would read the snapshot's own sources.toml: --fix refuses
    // before anything is read, and the recording stays as it was.
    let own = root().join(HEALTH_SNAPSHOT).join("sources.toml");
    let before = std::fs::read(&own).unwrap();
    let out = Run::new(["health", "--replay", HEALTH_SNAPSHOT, "--fix"]).output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("pass --sources FILE"), "{stderr}");
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read(&own).unwrap(), before);
}

/// A refusal's hint names the organizer as the page's own data does: an Eventbrite ticket page
/// (`/e/…`) gives its organizer's page (`/o/…`) and name; a ti.to shop's title is its event's,
/// not its organizer's name.
#[test]
fn refusal_hints_name_the_organizers_page_not_the_ticket_page() {
    let (_dir, path) = copy_of("tests/fixtures/add/sources.toml");
    let ticket =
        "https://www.eventbrite.fr/e/rust-meetup-in-paris-hosted-by-stockly-tickets-444152621447";
    let (code, _, stderr) = add(&path, &[&format!("{ticket}?aff=ebdssbdestsearch")]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr,
        format!(
            "add: {ticket}?aff=ebdssbdestsearch: refused: no events to read there: {ticket}: eventbrite pages carry no event data for a listing\n  \
             hint: to name the organizer of its calendar entries, add instead:\n    \
             [[organizer]]\n    url = \"https://www.eventbrite.fr/o/stockly-42274765293\"\n    name = \"Stockly\"\n"
        )
    );
    let (code, _, stderr) = add(&path, &["https://ti.to/rustconf-x/2026"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.ends_with(
            "  hint: to name the organizer of its calendar entries, add instead:\n    \
             [[organizer]]\n    url = \"https://discord.gg/rustconfx\"\n    name = \"<the organizer's name>\"\n"
        ),
        "{stderr}"
    );
    assert!(
        !stderr.contains("name = \"RustConf-X 2026 · Tito\""),
        "{stderr}"
    );
}
