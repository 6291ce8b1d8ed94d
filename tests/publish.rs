//! `publish --out DIR` on the replayed seed snapshot (`snapshots/2023-02-01`): the calendar
//! feeds read back by the `icalendar` crate and by Python's `icalendar` +
//! `recurring-ical-events` agree with the Markdown and the JSON of the same run; UIDs are
//! stable; the page in headless Chromium (DOM, no request, no console message, screenshots);
//! hostile content in every field of the page; the directory written as a whole.
//!
//! The Python and Chromium tests skip with a message when those are not installed (`.ci/run`
//! installs them).

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use icalendar::{CalendarComponent, CalendarDateTime, Component, DatePerhapsTime, EventLike};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use twir_events::dedupe::identity::canonical;
use twir_events::model::Region;
use twir_events::newsletter::read::parse_section;
use twir_events::render::ics::section_file;

use crate::common::{Run, root};

#[path = "publish/browser.rs"]
mod browser;
#[path = "publish/hostile.rs"]
mod hostile;

const WINDOW: (&str, &str) = ("2023-02-01", "2023-03-01");

fn snapshot() -> PathBuf {
    root().join("snapshots/2023-02-01")
}

/// `publish` into a new folder below a temporary directory; returns (tempdir, site).
fn publish() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    Run::new(["-q", "publish", "--today", WINDOW.0, "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .status(0)
        .stdout("")
        .output();
    (tmp, site)
}

/// The Markdown of the same run.
fn markdown() -> String {
    let out = Run::new(["-q", "render", "--today", WINDOW.0, "--replay"])
        .arg(snapshot())
        .output();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The elements of a parsed page that `css` selects (the page tests of both modules).
fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
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
    /// The end (DTEND) with its offset, for timed events.
    end: Option<DateTime<FixedOffset>>,
    tzid: Option<String>,
}

/// A timed DTSTART or DTEND read back: the instant with the zone's offset, and its TZID.
fn timed(
    dt: CalendarDateTime,
    zones: &BTreeSet<String>,
) -> (DateTime<FixedOffset>, Option<String>) {
    match dt {
        CalendarDateTime::WithTimezone { date_time, tzid } => {
            assert!(zones.contains(&tzid), "no VTIMEZONE for {tzid}");
            let tz: chrono_tz::Tz = tzid.parse().unwrap();
            let at = tz.from_local_datetime(&date_time).earliest().unwrap();
            (at.fixed_offset(), Some(tzid))
        }
        CalendarDateTime::Utc(u) => (u.fixed_offset(), None),
        other @ CalendarDateTime::Floating(_) => panic!("a floating time {other:?}"),
    }
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
        let (start_date, end_date, start, end, tzid) = match (e.get_start(), e.get_end()) {
            (Some(DatePerhapsTime::Date(s)), Some(DatePerhapsTime::Date(end))) => {
                assert!(end > s, "DTEND is exclusive");
                (s, end.pred_opt().unwrap(), None, None, None)
            }
            (Some(DatePerhapsTime::DateTime(dt)), end) => {
                let (at, tzid) = timed(dt, &zones);
                let end = end.map(|end| {
                    let DatePerhapsTime::DateTime(end) = end else {
                        panic!("a DATE DTEND with a DATE-TIME DTSTART: {end:?}")
                    };
                    let (end, end_tzid) = timed(end, &zones);
                    assert!(end > at, "DTEND {end} after DTSTART {at}");
                    assert_eq!(end_tzid, tzid, "DTEND in the DTSTART's zone");
                    end
                });
                (at.date_naive(), at.date_naive(), Some(at), end, tzid)
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
            end,
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

/// An event's times in events.json.
#[derive(Debug)]
struct Times {
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    end_source: String,
}

/// The times of each event of events.json, by canonical link.
fn json_times(json: &serde_json::Value) -> BTreeMap<String, Times> {
    let time = |v: &serde_json::Value| v.as_str().map(|s| s.parse().unwrap());
    json["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let times = Times {
                start: time(&e["start"]),
                end: time(&e["end"]),
                end_source: e["end_source"].as_str().unwrap().to_string(),
            };
            (canonical(e["url"].as_str().unwrap()), times)
        })
        .collect()
}

/// A timed event's DTEND read back is the end events.json gives (`"source"`), or the
/// documented default length after its start (`"default"`); an event written as days says
/// `"dates"`. True when the end is the source's.
fn end_agrees(r: &Read, json: &Times) -> bool {
    let Some(start) = r.start else {
        // Written as days: a source's end time (several days) falls on the last day, or at
        // midnight after it.
        match (json.end, json.end_source.as_str()) {
            (None, "dates") => {}
            (Some(end), "source") => {
                let day = end.naive_local().date();
                assert!(
                    day == r.end_date || day == r.end_date.succ_opt().unwrap(),
                    "{r:?}"
                );
            }
            other => panic!("{r:?}: end {other:?} in events.json"),
        }
        return false;
    };
    let end = r.end.unwrap_or_else(|| panic!("no DTEND: {r:?}"));
    match (json.end, json.end_source.as_str()) {
        (Some(source), "source") => {
            assert_eq!(end, source, "{r:?}");
            assert_eq!(end.naive_local(), source.naive_local(), "{r:?}");
            true
        }
        (None, "default") => {
            let hours = twir_events::render::ics::DEFAULT_DURATION_HOURS;
            assert_eq!(end - start, chrono::Duration::hours(hours), "{r:?}");
            false
        }
        other => panic!("{r:?}: end {other:?} in events.json"),
    }
}

#[test]
fn feeds_read_back_with_the_icalendar_crate_equal_the_markdown_and_the_json() {
    let (_tmp, site) = publish();
    let md = markdown();
    let sections = markdown_entries(&md);
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();
    let times = json_times(&json);
    let mut ends_from_source = 0;
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
            let json = times
                .get(&canonical(&r.url))
                .unwrap_or_else(|| panic!("{r:?} is not in events.json"));
            if r.start_date == r.end_date {
                assert_eq!(r.start, json.start, "{r:?}");
            }
            if let (Some(ics), Some(start)) = (r.start, json.start) {
                // The same wall-clock time and offset, not only the same instant.
                assert_eq!(ics.naive_local(), start.naive_local());
                assert_eq!(ics.offset(), start.offset());
                timed += 1;
                zoned += usize::from(r.tzid.is_some());
            }
            ends_from_source += usize::from(end_agrees(r, json));
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
    // Every source of the seed gives an end (calendar DTEND, meetup endTime, JSON-LD endDate).
    assert_eq!(
        ends_from_source, timed,
        "timed events with their source's end"
    );

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
    // Every timed event of the feed, the horizon's too, has an end after its start.
    assert!(all.iter().all(|r| r.start.is_none() || r.end.is_some()));
    assert!(
        horizon > 0,
        "the default horizon adds the weeks after the window"
    );
    eprintln!(
        "feeds: {entries} Markdown entries compared ({timed} timed, {zoned} with TZID, {ends_from_source} with their source's end), {horizon} horizon events"
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
    Run::new([
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
    .status(0)
    .output();
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

/// Python's reader, or why it cannot run (`week` asks it too).
pub(crate) fn python() -> Result<(), String> {
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
            // Every VEVENT as written has its end: a DTEND (or a DURATION).
            let written = &p["written"];
            assert!(
                written["dtend"].is_string() || written["duration"].is_string(),
                "{name}: no DTEND or DURATION in {r:?}"
            );
            if let Some(at) = r.start {
                let py: DateTime<FixedOffset> = start.parse().unwrap();
                assert_eq!(py, at, "{name}: {r:?}");
                assert_eq!(py.offset(), at.offset(), "{name}: {r:?}");
                assert_eq!(p["tzid"].as_str(), r.tzid.as_deref());
                let py_end: DateTime<FixedOffset> = p["end"].as_str().unwrap().parse().unwrap();
                let ours = r.end.unwrap();
                assert_eq!(py_end, ours, "{name}: {r:?}");
                assert_eq!(py_end.offset(), ours.offset(), "{name}: {r:?}");
                assert_eq!(p["end_tzid"].as_str(), r.tzid.as_deref(), "{name}: {r:?}");
            } else {
                assert_eq!(start, r.start_date.to_string());
                let end = p["end"].as_str().unwrap();
                assert_eq!(end, r.end_date.succ_opt().unwrap().to_string());
            }
        }
    }
}

/// Ends read back by Python's `icalendar`, checked by hand against the snapshot's files.
#[test]
fn python_reads_back_the_sources_ends() {
    if let Err(why) = python() {
        eprintln!("SKIPPED python_reads_back_the_sources_ends: {why}");
        return;
    }
    let (_tmp, site) = publish();
    let out = std::process::Command::new("python3")
        .arg(root().join("tests/fixtures/publish/read_ics.py"))
        .arg(site.join("events.ics"))
        .args(["2023-01-01", "2023-12-31"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let python: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    // (event link, start, end as written in the feed: the file's DTEND decoded by Python)
    let cases = [
        // Meetup's `endTime` on the group page and the event page ("2023-02-09T21:30-05:00");
        // the calendar's entry agrees.
        (
            "https://www.meetup.com/rust-nyc/events/291239545/",
            "2023-02-09T19:00:00-05:00",
            "2023-02-09T21:30:00-05:00",
        ),
        // JSON-LD `endDate` of a mobilizon page ("2023-02-02T21:00:00+01:00").
        (
            "https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb",
            "2023-02-02T18:30:00+01:00",
            "2023-02-02T21:00:00+01:00",
        ),
        // The calendar's monthly series (2nd Saturday, DTSTART;TZID=Europe/London:
        // 20220910T160000, DTEND 180000), its February instance: start + the series' length.
        (
            "https://gamedev.rs/",
            "2023-02-11T16:00:00+00:00",
            "2023-02-11T18:00:00+00:00",
        ),
        // A meetup end at midnight ("endTime":"2023-02-08T00:00+08:00"): a one-day event.
        (
            "https://www.meetup.com/wasm-rust-meetup/events/290609896/",
            "2023-02-07T23:00:00+08:00",
            "2023-02-08T00:00:00+08:00",
        ),
        // JSON-LD dates ("startDate": "2023-02-16", "endDate": "2023-02-17", inclusive): the
        // feed's DTEND is the day after.
        ("https://www.rustnationuk.com/", "2023-02-16", "2023-02-18"),
        // The calendar's all-day entry (DTSTART;VALUE=DATE:20230204, DTEND 20230205).
        (
            "https://fosdem.org/2023/schedule/track/rust/",
            "2023-02-04",
            "2023-02-05",
        ),
    ];
    for (url, start, end) in cases {
        let p = python
            .iter()
            .find(|p| p["url"] == url)
            .unwrap_or_else(|| panic!("{url} not in events.ics"));
        assert_eq!(p["start"], start, "{url}");
        assert_eq!(p["written"]["dtend"], end, "{url}");
        assert_eq!(p["end"], end, "{url}");
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
    Run::new(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .status(1)
        .stderr_contains("notes.txt")
        .output();
    assert_eq!(read(&site.join("notes.txt")), "mine");
    std::fs::remove_file(site.join("notes.txt")).unwrap();
    // A file is not a folder.
    Run::new(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(site.join("index.html"))
        .status(1)
        .stderr_contains("not a folder")
        .output();
    // A failing run (no such snapshot) leaves the old directory as it was.
    let failed = Run::new(["publish", "--replay"])
        .arg(tmp.path().join("no-such-snapshot"))
        .arg("--out")
        .arg(&site)
        .output();
    assert!(!failed.status.success());
    assert_eq!(read(&site.join("index.html")), "old");
    Run::new(["-q", "publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(&site)
        .status(0)
        .output();
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
    Run::new(["publish", "--replay"])
        .arg(snapshot())
        .arg("--sources")
        .arg(&sources)
        .arg("--out")
        .arg(&site)
        .status(2)
        .stderr_contains("left as it was")
        .output();
    assert_eq!(read(&site.join("index.html")), before);
    // A missing parent folder is refused before running.
    Run::new(["publish", "--replay"])
        .arg(snapshot())
        .arg("--out")
        .arg(tmp.path().join("missing/site"))
        .status(1)
        .stderr_contains("does not exist")
        .output();
}

/// The page on a phone (without a browser): long "not listed" lists are collapsed with their
/// count (55 merged entries), short ones open; a left-out or filtered event's link is a link;
/// each warning is shown (under its source's count) and explained; the sources read as
/// expected are collapsed under a line that counts them.
#[test]
fn the_page_collapses_long_lists_links_left_out_events_and_shows_warnings() {
    let (_tmp, site) = publish();
    let doc = scraper::Html::parse_document(&read(&site.join("index.html")));
    let merged = select(&doc, "#not-listed details#merged");
    assert_eq!(merged.len(), 1);
    assert!(merged[0].value().attr("open").is_none());
    let summary: String = select(&doc, "details#merged > summary")[0].text().collect();
    assert_eq!(summary, "Merged into another entry (55)");
    assert_eq!(select(&doc, "#merged li[data-reason]").len(), 55);
    // Each merge shows what tells its two entries apart (issue 27): their links and sources,
    // never the same text on both sides ("X by Rust Lyon into X by Rust Lyon").
    let merges: Vec<String> = select(&doc, "#merged li[data-reason]")
        .iter()
        .map(|li| li.text().collect())
        .collect();
    for m in &merges {
        let (absorbed, kept) = m.split_once("into ").expect("X into Y");
        let kept = kept.rsplit_once(": ").expect("Y: why").0;
        assert_ne!(absorbed, kept, "{m}");
    }
    assert!(
        merges.contains(&"2023-02-02 “Rust Lyon meetup #01” by Rust Lyon \
            (https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb, from Rust Community Calendar)\
            into 2023-02-02 “Rust Lyon meetup #01” by Rust Lyon \
            (https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb, from Rust Lyon, Rust Community Calendar): \
            same event link mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb, same day"
            .to_string()),
        "{merges:#?}"
    );
    assert!(
        select(&doc, "details#left-out")[0]
            .value()
            .attr("open")
            .is_some()
    );
    for (id, url) in [
        (
            "left-out",
            "https://www.meetup.com/rust-munich/events/291120384/",
        ),
        (
            "filtered",
            "https://www.meetup.com/java-user-group-hessen-jugh/events/290346512/",
        ),
    ] {
        let a = select(&doc, &format!("#{id} li a[href=\"{url}\"]"));
        assert_eq!(a.len(), 1, "{id}");
        assert_eq!(a[0].text().collect::<String>(), url);
    }
    // Every link of the part is an http(s) one.
    for a in select(&doc, "#not-listed a[href]") {
        let href = a.value().attr("href").unwrap();
        assert!(
            href.starts_with("https://") || href.starts_with("http://"),
            "{href}"
        );
    }
    // Warnings: what they are, per source, and what a warning means.
    let warnings = select(&doc, "#sources details.warnings");
    assert!(!warnings.is_empty());
    let first: String = warnings[0].text().collect();
    assert!(
        first.starts_with("1 warning")
            && first.contains("Apollo cache entry is a partial reference"),
        "{first}"
    );
    let sources: String = select(&doc, "#sources")[0].text().collect();
    assert!(
        sources.contains("A warning is an entry the source's reader skipped or repaired"),
        "{sources}"
    );
    let fine: String = select(&doc, "#sources details.fine > summary")[0]
        .text()
        .collect();
    assert!(fine.starts_with("41 sources read as expected, "), "{fine}");
    assert!(
        select(&doc, "#sources details.fine")[0]
            .value()
            .attr("open")
            .is_none()
    );
}

/// A group down the next time (its URL not in the snapshot): its event is listed as its page
/// gave it last time, and says so: when it was last seen and that its source did not answer,
/// on the page and in the feeds; its source's row counts the events carried over; events.json
/// has `last_seen`.
#[test]
fn a_carried_over_event_says_when_it_was_last_seen() {
    let (tmp, site) = publish();
    let first: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();
    let sources = tmp.path().join("down.toml");
    std::fs::write(
        &sources,
        read(&snapshot().join("sources.toml")).replace(
            "https://www.meetup.com/rust-trondheim/",
            "https://www.meetup.com/rust-trondheim-not-recorded/",
        ),
    )
    .unwrap();
    Run::new(["-q", "publish", "--today", WINDOW.0, "--replay"])
        .arg(snapshot())
        .arg("--sources")
        .arg(&sources)
        .arg("--out")
        .arg(&site)
        .status(2)
        .output();
    let doc: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();
    let carried: Vec<&serde_json::Value> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["url"]
                .as_str()
                .unwrap()
                .contains("/rust-trondheim/events/")
        })
        .collect();
    assert_eq!(carried.len(), 1, "{carried:#?}");
    let carried = carried[0];
    assert_eq!(carried["stale"], true);
    assert_eq!(carried["start_date"], "2023-02-15");
    assert_eq!(carried["last_seen"], first["generated_at"]);
    let at = DateTime::parse_from_rfc3339(first["generated_at"].as_str().unwrap()).unwrap();
    let when = at.to_utc().format("%Y-%m-%d %H:%M UTC").to_string();

    // The page: the entry says it, and the source's row counts it.
    let doc = scraper::Html::parse_document(&read(&site.join("index.html")));
    let entry: String = select(&doc, "li.event")
        .into_iter()
        .map(|li| li.text().collect::<String>())
        .find(|t| t.contains("Rust Trondheim"))
        .unwrap();
    assert!(
        entry.contains(&format!("(not confirmed this time: last seen {when})")),
        "{entry}"
    );
    assert!(
        entry.contains("its source gave no usable answer"),
        "{entry}"
    );
    assert!(
        !entry.contains("checked on the event's own page"),
        "{entry}"
    );
    let row: String = select(&doc, "#sources tr")
        .into_iter()
        .map(|tr| tr.text().collect::<String>())
        .find(|t| t.starts_with("Rust Trondheim"))
        .unwrap();
    assert!(
        row.contains("1 event carried over from the previous run"),
        "{row}"
    );

    // The feed: its description.
    let ics = read(&site.join("events.ics")).replace("\r\n ", "");
    let vevent = ics
        .split("BEGIN:VEVENT")
        .find(|v| v.contains("/rust-trondheim/events/"))
        .unwrap();
    assert!(vevent.contains(&format!("last seen {when}")), "{vevent}");
    assert!(vevent.contains("no usable answer"), "{vevent}");
    assert!(
        !vevent.contains("checked on the event's own page"),
        "{vevent}"
    );
}

/// One event left out from two sources (its group's page and the calendar) is one item on the
/// page naming both, as the review report says it (issue 27).
#[test]
fn an_event_left_out_by_two_sources_is_one_item_on_the_page() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    Run::new(["-q", "publish", "--replay", "snapshots/2026-09-16", "--out"])
        .arg(&site)
        .status(2)
        .stdout("")
        .output();
    let doc = scraper::Html::parse_document(&read(&site.join("index.html")));
    let items: Vec<String> = select(&doc, "#left-out li[data-reason]")
        .iter()
        .map(|li| li.text().collect())
        .collect();
    assert_eq!(
        items,
        [
            "“Rust meetup #89” on 2026-10-13 (https://www.meetup.com/rust-paris/events/316402289/, \
          from Rust Paris, Rust Community Calendar): cancelled"
        ]
    );
}
