//! `publish --out DIR` on the replayed seed snapshot (`snapshots/2023-02-01`): the calendar
//! feeds read back by the `icalendar` crate and by Python's `icalendar` +
//! `recurring-ical-events` agree with the Markdown and the JSON of the same run; UIDs are
//! stable; the page in headless Chromium (DOM, no request, no console message, screenshots);
//! hostile content in every field of the page; the directory written as a whole.
//!
//! The Python and Chromium tests skip with a message when those are not installed (`.ci/run`
//! installs them).

use assert_cmd::Command;
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use twir_events::dedupe::identity::canonical;
use twir_events::model::Region;
use twir_events::newsletter::read::parse_section;
use twir_events::render::ics::section_file;

const WINDOW: (&str, &str) = ("2023-02-01", "2023-03-01");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn snapshot() -> PathBuf {
    root().join("snapshots/2023-02-01")
}

/// `publish` into a new folder below a temporary directory; returns (tempdir, site).
fn publish() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["-q", "publish", "--today", WINDOW.0, "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .assert()
        .success()
        .stdout("");
    (tmp, site)
}

/// The Markdown of the same run.
fn markdown() -> String {
    let out = Command::cargo_bin("twir-events")
        .unwrap()
        .args(["-q", "render", "--today", WINDOW.0, "--replay"])
        .arg(snapshot())
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// One event of a feed as the `icalendar` crate reads it back.
#[derive(Debug, Clone)]
struct Read {
    uid: String,
    summary: String,
    url: String,
    location: String,
    categories: Vec<String>,
    start_date: NaiveDate,
    /// Last day, inclusive.
    end_date: NaiveDate,
    /// The start with its offset, for timed events.
    start: Option<DateTime<FixedOffset>>,
    tzid: Option<String>,
}

fn read_feed(text: &str) -> Vec<Read> {
    assert!(text.contains("\r\n"), "iCalendar lines end with CRLF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line longer than 75 octets: {line:?}");
    }
    let cal: icalendar::Calendar = text.parse().expect("the icalendar crate parses the feed");
    let zones: BTreeSet<String> = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Other(o) if o.component_kind() == "VTIMEZONE" => {
                o.property_value("TZID").map(str::to_string)
            }
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for c in &cal.components {
        let CalendarComponent::Event(e) = c else {
            continue;
        };
        let (start_date, end_date, start, tzid) = match (e.get_start(), e.get_end()) {
            (Some(DatePerhapsTime::Date(s)), Some(DatePerhapsTime::Date(end))) => {
                assert!(end > s, "DTEND is exclusive");
                (s, end.pred_opt().unwrap(), None, None)
            }
            (Some(DatePerhapsTime::DateTime(dt)), None) => {
                let (at, tzid) = match dt {
                    CalendarDateTime::WithTimezone { date_time, tzid } => {
                        assert!(zones.contains(&tzid), "no VTIMEZONE for {tzid}");
                        let tz: chrono_tz::Tz = tzid.parse().unwrap();
                        let at = tz.from_local_datetime(&date_time).earliest().unwrap();
                        (at.fixed_offset(), Some(tzid))
                    }
                    CalendarDateTime::Utc(u) => (u.fixed_offset(), None),
                    other @ CalendarDateTime::Floating(_) => {
                        panic!("a floating time {other:?}")
                    }
                };
                (at.date_naive(), at.date_naive(), Some(at), tzid)
            }
            other => panic!("unexpected DTSTART/DTEND {other:?}"),
        };
        out.push(Read {
            uid: e.get_uid().unwrap().to_string(),
            summary: e.get_summary().unwrap().to_string(),
            url: e.get_url().unwrap_or_default().to_string(),
            location: e.get_location().unwrap_or_default().to_string(),
            categories: e.get_categories().unwrap_or_default(),
            start_date,
            end_date,
            start,
            tzid,
        });
    }
    out
}

/// (dates, canonical link) of each entry of a Markdown section.
type Key = (NaiveDate, NaiveDate, String);

fn markdown_entries(md: &str) -> BTreeMap<Region, Vec<(Key, String, String)>> {
    let mut out: BTreeMap<Region, Vec<(Key, String, String)>> = BTreeMap::new();
    for e in parse_section(md) {
        let title = e.title.expect("an entry has a title link");
        out.entry(e.region.unwrap()).or_default().push((
            (e.start_date, e.end_date, canonical(&title.url)),
            title.text,
            e.location,
        ));
    }
    out
}

/// Markdown escaping (`\[`, `\*`, …) removed, for comparing titles with the feed's.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[test]
fn feeds_read_back_with_the_icalendar_crate_equal_the_markdown_and_the_json() {
    let (_tmp, site) = publish();
    let md = markdown();
    let sections = markdown_entries(&md);
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();
    // The JSON's start of each event, by link.
    let starts: BTreeMap<String, Option<DateTime<FixedOffset>>> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                canonical(e["url"].as_str().unwrap()),
                e["start"].as_str().map(|s| s.parse().unwrap()),
            )
        })
        .collect();
    let (from, to) = (day(WINDOW.0), day(WINDOW.1));
    let mut compared = 0;
    let mut timed = 0;
    let mut zoned = 0;
    for region in Region::ALL {
        let feed = read_feed(&read(&site.join(section_file(region))));
        let in_window: Vec<&Read> = feed
            .iter()
            .filter(|r| r.start_date <= to && r.end_date >= from)
            .collect();
        let mut from_feed: Vec<(Key, String, String)> = in_window
            .iter()
            .map(|r| {
                (
                    (r.start_date, r.end_date, canonical(&r.url)),
                    r.summary.clone(),
                    r.location.clone(),
                )
            })
            .collect();
        let mut from_md: Vec<(Key, String, String)> = sections
            .get(&region)
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|(k, title, location)| (k, unescape(&title), unescape(&location)))
            .collect();
        from_feed.sort();
        from_md.sort();
        pretty_assertions::assert_eq!(from_md, from_feed, "{region:?}");
        for r in &in_window {
            assert!(r.categories.contains(&region.title().to_string()), "{r:?}");
            let json_start = starts
                .get(&canonical(&r.url))
                .unwrap_or_else(|| panic!("{r:?} is not in events.json"));
            if r.start_date == r.end_date {
                assert_eq!(&r.start, json_start, "{r:?}");
            }
            if let (Some(ics), Some(json)) = (r.start, json_start) {
                // The same wall-clock time and offset, not only the same instant.
                assert_eq!(ics.naive_local(), json.naive_local());
                assert_eq!(ics.offset(), json.offset());
                timed += 1;
                zoned += usize::from(r.tzid.is_some());
            }
            compared += 1;
        }
        // Events after the window (the horizon) are in the section's feed too, none before.
        assert!(feed.iter().all(|r| r.end_date >= from), "{region:?}");
    }
    let entries: usize = sections.values().map(Vec::len).sum();
    assert_eq!(compared, entries);
    assert!(entries >= 40, "{entries} entries");
    assert!(timed * 10 >= entries * 8, "{timed} of {entries} timed");
    assert!(zoned * 10 >= timed * 9, "{zoned} of {timed} with a TZID");

    // events.ics: every event once, each UID once, the sections as categories.
    let all = read_feed(&read(&site.join("events.ics")));
    let uids: BTreeSet<&str> = all.iter().map(|r| r.uid.as_str()).collect();
    assert_eq!(uids.len(), all.len(), "UIDs are unique in events.ics");
    let in_window = all
        .iter()
        .filter(|r| r.start_date <= to && r.end_date >= from)
        .count();
    assert_eq!(in_window, json["events"].as_array().unwrap().len());
    let horizon = all.len() - in_window;
    assert!(
        horizon > 0,
        "the default horizon adds the weeks after the window"
    );
    eprintln!(
        "feeds: {entries} Markdown entries compared ({timed} timed, {zoned} with TZID), {horizon} horizon events"
    );
}

#[test]
fn uids_are_identical_across_runs_and_the_horizon_is_configurable() {
    let (_a, one) = publish();
    let (_b, two) = publish();
    for name in ["events.ics", "europe.ics", "virtual.ics"] {
        let uids = |site: &Path| -> Vec<String> {
            read_feed(&read(&site.join(name)))
                .into_iter()
                .map(|r| r.uid)
                .collect()
        };
        let (u1, u2) = (uids(&one), uids(&two));
        assert!(!u1.is_empty());
        assert_eq!(u1, u2, "{name}");
    }
    // --horizon-weeks 0: the window only.
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    Command::cargo_bin("twir-events")
        .unwrap()
        .args([
            "-q",
            "publish",
            "--horizon-weeks",
            "0",
            "--today",
            WINDOW.0,
            "--replay",
        ])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .assert()
        .success();
    let all = read_feed(&read(&site.join("events.ics")));
    assert!(all.iter().all(|r| r.start_date <= day(WINDOW.1)));
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();
    assert_eq!(all.len(), json["events"].as_array().unwrap().len());
    // The same event has the same UID whatever the horizon.
    let first = read_feed(&read(&one.join("events.ics")));
    for r in &all {
        assert!(
            first.iter().any(|f| f.uid == r.uid && f.url == r.url),
            "{r:?}"
        );
    }
}

/// Python's reader, or why it cannot run.
fn python() -> Result<(), String> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import icalendar, recurring_ical_events"])
        .output()
        .map_err(|e| format!("python3 cannot be run ({e})"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "the Python modules are missing (python3 -m pip install icalendar recurring-ical-events): {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

#[test]
fn python_icalendar_and_recurring_ical_events_read_the_same_events() {
    if let Err(why) = python() {
        eprintln!("SKIPPED python_icalendar_and_recurring_ical_events_read_the_same_events: {why}");
        return;
    }
    let (_tmp, site) = publish();
    let script = root().join("tests/fixtures/publish/read_ics.py");
    for name in std::iter::once("events.ics".to_string()).chain(Region::ALL.map(section_file)) {
        let path = site.join(&name);
        let out = std::process::Command::new("python3")
            .arg(&script)
            .arg(&path)
            .args(["2023-01-01", "2023-12-31"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let python: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
        let ours = read_feed(&read(&path));
        assert_eq!(python.len(), ours.len(), "{name}: every event, once");
        for r in &ours {
            let p = python
                .iter()
                .find(|p| p["uid"] == r.uid.as_str())
                .unwrap_or_else(|| panic!("{name}: Python did not read {r:?}"));
            assert_eq!(p["summary"], r.summary.as_str());
            assert_eq!(p["url"], r.url.as_str());
            assert_eq!(p["location"], r.location.as_str());
            let cats: Vec<&str> = p["categories"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(
                cats,
                r.categories.iter().map(String::as_str).collect::<Vec<_>>()
            );
            let start = p["start"].as_str().unwrap();
            if let Some(at) = r.start {
                let py: DateTime<FixedOffset> = start.parse().unwrap();
                assert_eq!(py, at, "{name}: {r:?}");
                assert_eq!(py.offset(), at.offset(), "{name}: {r:?}");
                assert_eq!(p["tzid"].as_str(), r.tzid.as_deref());
            } else {
                assert_eq!(start, r.start_date.to_string());
                let end = p["end"].as_str().unwrap();
                assert_eq!(end, r.end_date.succ_opt().unwrap().to_string());
            }
        }
    }
}

#[test]
fn the_directory_is_replaced_as_a_whole_and_kept_on_failure() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("index.html"), "old").unwrap();
    std::fs::write(site.join("africa.ics"), "old").unwrap();
    // A folder holding files publish did not write is not replaced (it would be deleted).
    std::fs::write(site.join("notes.txt"), "mine").unwrap();
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("notes.txt"));
    assert_eq!(read(&site.join("notes.txt")), "mine");
    std::fs::remove_file(site.join("notes.txt")).unwrap();
    // A file is not a folder.
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(site.join("index.html"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("not a folder"));
    // A failing run (no such snapshot) leaves the old directory as it was.
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["publish", "--replay"])
        .arg(tmp.path().join("no-such-snapshot"))
        .arg("--out")
        .arg(&site)
        .assert()
        .failure();
    assert_eq!(read(&site.join("index.html")), "old");
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["-q", "publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .assert()
        .success();
    let mut names: Vec<String> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = ["events.ics", "events.json", "index.html"]
        .iter()
        .map(ToString::to_string)
        .chain(Region::ALL.map(section_file))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    assert!(read(&site.join("africa.ics")).starts_with("BEGIN:VCALENDAR"));
    assert!(read(&site.join("index.html")).starts_with("<!DOCTYPE html>"));
    // No temporary folder left next to it.
    let siblings: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(siblings.len(), 1, "{siblings:?}");
    // Every source failed: the site is left as it was (exit 2).
    let before = read(&site.join("index.html"));
    let sources = tmp.path().join("gone.toml");
    std::fs::write(
        &sources,
        "[[source]]\nkind = \"ical\"\nurl = \"https://calendar.example.org/gone.ics\"\n",
    )
    .unwrap();
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["publish", "--replay"])
        .arg(snapshot())
        .arg("--sources")
        .arg(&sources)
        .arg("--out")
        .arg(&site)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("left as it was"));
    assert_eq!(read(&site.join("index.html")), before);
    // A missing parent folder is refused before running.
    Command::cargo_bin("twir-events")
        .unwrap()
        .args(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(tmp.path().join("missing/site"))
        .assert()
        .code(1)
        .stderr(predicates::str::contains("does not exist"));
}

// ---------------------------------------------------------------------------------------
// The page in a real browser.

/// Debian's `chromium` (or `$CHROMIUM`), or why the browser tests cannot run.
fn chromium() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("CHROMIUM={} is not a file", p.display()))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err("chromium is not installed (Debian: apt-get install chromium; .ci/run does it)".into())
}

/// What one headless load of a page gave.
struct Loaded {
    dom: String,
    /// Console messages (`INFO:CONSOLE…` lines: console calls, uncaught errors, CSP
    /// violations).
    console: Vec<String>,
    /// Requests the page made (not the browser's own: those have no origin as initiator).
    requests: Vec<String>,
}

/// Runs headless Chromium with `args` on `page`, killed after a minute.
fn chromium_run(browser: &Path, work: &Path, page: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut b).ok();
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut b).ok();
        b
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = out.join().unwrap();
    let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    (out, err)
}

/// Loads `page`, dumps its DOM after scripts ran, and collects console messages and the
/// page's requests (from a `NetLog`).
fn load(browser: &Path, work: &Path, page: &Path) -> Loaded {
    let netlog = work.join(format!(
        "net-{}.json",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let (out, err) = chromium_run(
        browser,
        work,
        page,
        &[
            "--enable-logging=stderr",
            "--v=0",
            &format!("--log-net-log={}", netlog.display()),
            "--dump-dom",
        ],
    );
    let console = err
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let text = read(&netlog);
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("a NetLog");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    let requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job && e["params"]["url"].is_string())
        .filter(|e| e["params"]["initiator"] != "not an origin")
        .map(|e| e["params"]["url"].as_str().unwrap_or_default().to_string())
        .collect();
    Loaded {
        dom: String::from_utf8_lossy(&out).into_owned(),
        console,
        requests,
    }
}

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

#[test]
fn the_page_in_headless_chromium() {
    let browser = match chromium() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIPPED the_page_in_headless_chromium: {why}");
            return;
        }
    };
    let (tmp, site) = publish();
    let md = markdown();
    let entries = parse_section(&md);
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();

    the_checks_can_fail(&browser, tmp.path());

    let page = site.join("index.html");
    let loaded = load(&browser, tmp.path(), &page);
    assert!(
        loaded.console.is_empty(),
        "console messages: {:#?}",
        loaded.console
    );
    assert!(
        loaded.requests.is_empty(),
        "requests left the page: {:#?}",
        loaded.requests
    );
    let doc = scraper::Html::parse_document(&loaded.dom);

    the_sections_are_the_markdown_s(&doc, &entries);

    the_lists_are_the_run_s(&doc, &json);
    // The script ran (under the page's Content-Security-Policy): the search box is shown.
    let search = select(&doc, "#search-box");
    assert_eq!(search.len(), 1);
    assert!(
        search[0].value().attr("hidden").is_none(),
        "the search script did not run"
    );

    without_javascript(&page, &doc, &entries);

    screenshots(&browser, tmp.path(), &page);
}

/// The checks can fail: a page that loads an image and logs to the console is caught.
fn the_checks_can_fail(browser: &Path, work: &Path) {
    let control = work.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let c = load(browser, work, &control);
    assert!(
        c.console.iter().any(|l| l.contains("boom")),
        "{:?}",
        c.console
    );
    assert!(
        c.requests.iter().any(|u| u.contains("127.0.0.1:9")),
        "{:?}",
        c.requests
    );
}

/// The sections of the Markdown, in its order, with as many entries; each entry's title link
/// is the Markdown's.
fn the_sections_are_the_markdown_s(
    doc: &scraper::Html,
    entries: &[twir_events::newsletter::read::CorpusEntry],
) {
    let md_regions: Vec<Region> = {
        let mut r: Vec<Region> = entries.iter().filter_map(|e| e.region).collect();
        r.dedup();
        r
    };
    let sections = select(doc, "main section.region");
    let ids: Vec<&str> = sections.iter().map(|s| s.value().id().unwrap()).collect();
    let expected: Vec<String> = md_regions
        .iter()
        .map(|r| twir_events::render::ics::section_slug(*r))
        .collect();
    assert_eq!(ids, expected);
    for (s, r) in sections.iter().zip(&md_regions) {
        let h2: String = s
            .select(&scraper::Selector::parse("h2").unwrap())
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(h2.starts_with(r.title()), "{h2}");
        let n = s
            .select(&scraper::Selector::parse("li.event").unwrap())
            .count();
        assert_eq!(
            n,
            entries.iter().filter(|e| e.region == Some(*r)).count(),
            "{r:?}"
        );
    }
    assert_eq!(select(doc, "li.event").len(), entries.len());
    // Each entry's title link is the Markdown's.
    let md_links: BTreeSet<String> = entries
        .iter()
        .map(|e| canonical(&e.title.as_ref().unwrap().url))
        .collect();
    let page_links: BTreeSet<String> = select(doc, "li.event .title > a:first-child")
        .iter()
        .map(|a| canonical(a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(md_links, page_links);
    // Where each entry's facts came from.
    assert_eq!(select(doc, "li.event details").len(), entries.len());
}

/// The "not listed" reasons the run has, each list as long as the run's; the sources' health.
fn the_lists_are_the_run_s(doc: &scraper::Html, json: &serde_json::Value) {
    let not_listed = select(doc, "#not-listed");
    assert_eq!(not_listed.len(), 1);
    let reasons = |id: &str| select(doc, &format!("#{id} li[data-reason]")).len();
    let count = |key: &str| json[key].as_array().unwrap().len();
    assert_eq!(reasons("left-out"), count("left_out").min(300));
    assert_eq!(
        reasons("possible-duplicate"),
        count("possible_duplicates").min(300)
    );
    assert_eq!(reasons("unverified"), count("unverified").min(300));
    assert_eq!(reasons("corrections"), count("corrections").min(300));
    assert!(count("left_out") > 0, "the seed run leaves entries out");
    assert!(
        reasons("outside-window") > 0,
        "later events are listed with when they enter"
    );
    let later: String = select(doc, "#outside-window li")
        .first()
        .unwrap()
        .text()
        .collect();
    assert!(
        later.contains("enters the listing of the issue of"),
        "{later}"
    );
    assert!(
        !select(doc, "#not-listed p.todo").is_empty(),
        "what the organizer can do"
    );
    // The sources' health, one row each; when it was generated.
    assert_eq!(select(doc, "#sources tbody tr").len(), count("sources"));
    assert!(!select(doc, "header time[datetime]").is_empty());
}

/// Without JavaScript (the file as written, before any script): every entry and list is
/// there, the search box stays hidden. (Chromium's --dump-dom needs scripts enabled.)
fn without_javascript(
    page: &Path,
    doc: &scraper::Html,
    entries: &[twir_events::newsletter::read::CorpusEntry],
) {
    let no_js = scraper::Html::parse_document(&read(page));
    assert_eq!(select(&no_js, "li.event").len(), entries.len());
    assert_eq!(
        select(&no_js, "#not-listed li[data-reason]").len(),
        select(doc, "#not-listed li[data-reason]").len()
    );
    assert!(
        select(&no_js, "#search-box")[0]
            .value()
            .attr("hidden")
            .is_some()
    );
}

/// Screenshots at phone and desktop widths, kept for a look.
fn screenshots(browser: &Path, work: &Path, page: &Path) {
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("publish-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, size) in [("phone", "390,844"), ("desktop", "1280,900")] {
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        chromium_run(
            browser,
            work,
            page,
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={size}"),
            ],
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(width.to_string(), size.split(',').next().unwrap(), "{name}");
        assert!(
            bytes.len() > 10_000,
            "{name}: {} bytes, an empty page?",
            bytes.len()
        );
        eprintln!("screenshot: {}", png.display());
    }
}

// ---------------------------------------------------------------------------------------
// Hostile content in every field of the page.

/// The payload strings of `tests/hostile.rs` (`TEXTS` and `LINKS`), read from its source so
/// that both tests use one list: each line of those arrays is one Rust string literal.
fn payloads(list: &str) -> Vec<String> {
    let source = read(&root().join("tests/hostile.rs"));
    let start = source
        .find(&format!("const {list}: &[&str] = &["))
        .unwrap_or_else(|| panic!("no {list} in tests/hostile.rs"));
    let body = &source[start..];
    let body = &body[..body.find("\n];").unwrap()];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| l.starts_with('"'))
        .map(|l| unescape_rust(l.trim_end_matches(',')))
        .collect()
}

/// A Rust string literal's value (the escapes `tests/hostile.rs` uses).
fn unescape_rust(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A failed, gone, redirected, suspect source read through a fallback, and a suspect feed,
/// with `text` and `link` in every field.
fn hostile_reports(
    text: &str,
    link: &str,
    date: NaiveDate,
) -> Vec<twir_events::pipeline::SourceReport> {
    use twir_events::config::SourceKind;
    use twir_events::pipeline::SourceReport;
    vec![
        SourceReport {
            kind: SourceKind::Meetup,
            url: link.to_string(),
            label: text.to_string(),
            events: 1,
            error: Some(text.to_string()),
            warnings: vec![text.to_string()],
            suspect: Some(text.to_string()),
            status: Some(404),
            redirected_to: Some(link.to_string()),
            latest_event: Some(date),
            fallback: Some(text.to_string()),
        },
        SourceReport {
            kind: SourceKind::Ical,
            url: link.to_string(),
            label: text.to_string(),
            events: 1,
            error: None,
            warnings: vec![],
            suspect: Some(text.to_string()),
            status: None,
            redirected_to: None,
            latest_event: None,
            fallback: None,
        },
    ]
}

/// An outcome with `text` in every text field and `link` in every link field.
fn hostile_outcome(text: &str, link: &str) -> twir_events::pipeline::Outcome {
    use twir_events::dedupe::{EntryRef, Evidence, Merge, PossibleDuplicate};
    use twir_events::model::{Attendance, Event, Mirror, Organizer, Place, RawEvent, When};
    use twir_events::pipeline::{LeftOut, Outcome, Unverified};
    use twir_events::verify::Correction;
    let date = day("2026-09-02");
    let organizer = Organizer {
        name: text.to_string(),
        url: Some(link.to_string()),
        home: Some(Place::new(Some(text), Some(text), Some("US"))),
    };
    let event = Event {
        title: text.to_string(),
        url: link.to_string(),
        start_date: date,
        end_date: date,
        start: Some("2026-09-02T19:00:00+02:00".parse().unwrap()),
        attendance: Attendance::Hybrid,
        place: Some(Place::new(Some(text), None, Some("DE"))),
        organizer: organizer.clone(),
        regions: vec![Region::Virtual, Region::Europe],
        mirrors: vec![Mirror {
            organizer: organizer.clone(),
            url: link.to_string(),
            label: text.to_string(),
        }],
        sources: vec![text.to_string()],
        from_page: false,
        in_calendar: true,
        uid: Some(text.to_string()),
    };
    let mut later = event.clone();
    later.start_date = day("2026-10-20");
    later.end_date = later.start_date;
    let mut raw = RawEvent::new(text, text, When::Date(date));
    raw.url = Some(link.to_string());
    raw.links = vec![link.to_string()];
    let entry = EntryRef {
        title: text.to_string(),
        url: link.to_string(),
        start_date: date,
        organizer: text.to_string(),
        regions: vec![Region::Europe],
        sources: vec![text.to_string()],
    };
    Outcome {
        events: vec![event],
        reports: hostile_reports(text, link, date),
        dropped: vec![LeftOut {
            event: raw.clone(),
            reason: text.to_string(),
        }],
        notes: vec![text.to_string()],
        merges: vec![Merge {
            kept: entry.clone(),
            absorbed: entry.clone(),
            evidence: Evidence::SameListing {
                url: link.to_string(),
                title_similarity: 1.0,
            },
        }],
        possible_duplicates: vec![PossibleDuplicate {
            a: entry.clone(),
            b: entry,
            reason: text.to_string(),
            title_similarity: 0.5,
            organizer_similarity: 0.5,
        }],
        outside_window: vec![later],
        filtered: vec![raw],
        corrections: vec![Correction {
            event: format!("{text:?} ({link})"),
            field: "start",
            calendar: text.to_string(),
            page: text.to_string(),
        }],
        unverified: vec![Unverified {
            entry: text.to_string(),
            reason: text.to_string(),
        }],
    }
}

/// What is wrong with a page, if anything: a script, style or element that is not ours, an
/// event handler, a link that is not ours or a checked http(s) link from `allowed`.
fn page_problems(html: &str, allowed: &[String], ours: &(String, String)) -> Vec<String> {
    const ELEMENTS: &[&str] = &[
        "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "time", "a", "nav",
        "ul", "li", "label", "br", "input", "span", "main", "section", "h2", "h3", "div",
        "details", "summary", "strong", "table", "thead", "tbody", "tr", "th", "td", "footer",
        "script",
    ];
    let doc = scraper::Html::parse_document(html);
    let mut problems = Vec::new();
    let scripts = select(&doc, "script");
    if scripts.len() != 1 || scripts[0].inner_html() != ours.0 {
        problems.push(format!("{} scripts, or not ours", scripts.len()));
    }
    let styles = select(&doc, "style");
    if styles.len() != 1 || styles[0].inner_html() != ours.1 {
        problems.push(format!("{} styles, or not ours", styles.len()));
    }
    if select(&doc, "meta").len() != 5 || select(&doc, "input").len() != 1 {
        problems.push("a meta or input element that is not ours".into());
    }
    for el in select(&doc, "*") {
        let v = el.value();
        if !ELEMENTS.contains(&v.name()) {
            problems.push(format!("an element <{}>", v.name()));
        }
        for (name, value) in v.attrs() {
            if name.starts_with("on") || matches!(name, "src" | "style" | "srcdoc" | "formaction") {
                problems.push(format!("an attribute {name}={value:?}"));
            }
            if name == "href" {
                #[expect(
                    clippy::case_sensitive_file_extension_comparisons,
                    reason = "the page's own feed links are written in lower case; another case is not ours"
                )]
                let ours = value.starts_with('#')
                    || value == "events.json"
                    || (value.ends_with(".ics") && !value.contains(['/', ':']))
                    || value.starts_with("https://www.google.com/calendar/embed?src=");
                if !ours && !allowed.iter().any(|a| a == value) {
                    problems.push(format!("a link {value:?}"));
                }
            }
        }
    }
    problems
}

#[test]
fn hostile_content_puts_no_script_handler_or_foreign_link_in_the_page() {
    use twir_events::render::html::{Page, page};
    let window = twir_events::model::Window {
        from: day("2026-08-26"),
        to: day("2026-09-23"),
    };
    let render = |o: &twir_events::pipeline::Outcome| {
        page(&Page {
            outcome: o,
            window: &window,
            generated_at: "2026-08-26T09:00:00+00:00",
            feeds_to: day("2026-10-21"),
            horizon: 0,
            later: &o.outside_window,
        })
    };
    // Our own script and style, from a harmless page.
    let clean = render(&hostile_outcome(
        "Rust Hack Night",
        "https://ok.example/events/1/",
    ));
    let doc = scraper::Html::parse_document(&clean);
    let ours = (
        select(&doc, "script")[0].inner_html(),
        select(&doc, "style")[0].inner_html(),
    );
    let normal_link = "https://ok.example/events/1/".to_string();
    let texts = payloads("TEXTS");
    let links = payloads("LINKS");
    assert!(
        texts.len() >= 40 && links.len() >= 20,
        "{} {}",
        texts.len(),
        links.len()
    );
    let long = "A very long title ".repeat(200);
    let mut failures = Vec::new();
    let mut cases = 0;
    for t in texts.iter().chain([&long]) {
        cases += 1;
        let html = render(&hostile_outcome(t, &normal_link));
        let mut problems = page_problems(&html, std::slice::from_ref(&normal_link), &ours);
        // The text is shown as text, whole but for control characters (line breaks and tabs
        // kept).
        let shown: String = t
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        let doc = scraper::Html::parse_document(&html);
        let title: String = select(&doc, "li.event .title strong")[0].text().collect();
        if title != shown {
            problems.push(format!("the title shows as {title:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!("text {t:?}: {}", problems.join("; ")));
        }
    }
    for l in links.iter().chain(texts.iter().take(10)) {
        cases += 1;
        let html = render(&hostile_outcome("Rust Hack Night", l));
        // Only a link that passes the tool's check may be printed, as that check returns it.
        let allowed: Vec<String> = twir_events::link::safe(l).into_iter().collect();
        let problems = page_problems(&html, &allowed, &ours);
        if !problems.is_empty() {
            failures.push(format!("link {l:?}: {}", problems.join("; ")));
        }
    }
    eprintln!("hostile page: {cases} cases, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The checker catches what it is meant to catch.
    let bad = clean.replace(
        "<main>",
        "<main><img src=x onerror=alert(1)><a href=\"javascript:x\">x</a>",
    );
    assert_eq!(
        page_problems(&bad, std::slice::from_ref(&normal_link), &ours).len(),
        4
    );
    let bad = clean.replace("</main>", "<script>alert(1)</script></main>");
    assert!(!page_problems(&bad, &[normal_link], &ours).is_empty());
}

#[test]
fn hostile_content_stays_inside_its_ics_values() {
    use twir_events::render::ics::calendar;
    let generated = "2026-08-26T09:00:00Z".parse().unwrap();
    let normal_link = "https://ok.example/events/1/";
    let long = "A very long title ".repeat(200);
    let mut failures = Vec::new();
    let texts = payloads("TEXTS");
    let links = payloads("LINKS");
    let mut cases: Vec<(String, String)> = texts
        .iter()
        .chain([&long])
        .map(|t| (t.clone(), normal_link.to_string()))
        .collect();
    cases.extend(
        links
            .iter()
            .chain(texts.iter().take(10))
            .map(|l| ("Rust Hack Night".to_string(), l.clone())),
    );
    for (t, l) in &cases {
        let outcome = hostile_outcome(t, l);
        let events: Vec<&twir_events::model::Event> = outcome.events.iter().collect();
        let text = calendar(&events, "Rust events", "test", generated);
        let mut problems = Vec::new();
        if text.contains('\r') && text.split("\r\n").any(|line| line.contains('\r')) {
            problems.push("a bare CR".to_string());
        }
        let read = read_feed(&text);
        if read.len() != 1 {
            problems.push(format!("{} events", read.len()));
        }
        // The value is the text, whole but for control characters (CRLF read back as LF).
        let expected: String = t
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        if let Some(r) = read.first() {
            if r.summary != expected {
                problems.push(format!("SUMMARY read back as {:?}", r.summary));
            }
            let allowed = twir_events::link::safe(l)
                .and_then(|u| url::Url::parse(&u).ok())
                .map(String::from)
                .unwrap_or_default();
            if r.url != allowed {
                problems.push(format!("URL {:?}", r.url));
            }
            if r.categories != ["Virtual", "Europe"] {
                problems.push(format!("CATEGORIES {:?}", r.categories));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{t:?} / {l:?}: {}", problems.join("; ")));
        }
    }
    eprintln!(
        "hostile ics: {} cases, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
