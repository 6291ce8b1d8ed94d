//! Suspicious answers are not the truth, and the JSON says what could not be checked: the
//! binary against small replay snapshots built in a temporary directory.
//!
//! Two calendar sources: "Calendar" (the minimal snapshot's feed, 6 events in the window) and
//! "Lisbon Calendar" (one event of its own, linking a meetup event page the snapshot does not
//! hold: that entry stays unverified).

use serde_json::Value;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::common::{self, root};

const CAL_URL: &str = "https://calendar.example.org/rust/basic.ics";
const LISBON_URL: &str = "https://calendar.example.org/lisbon/basic.ics";

fn minimal_ics() -> String {
    let dir = root().join("snapshots/minimal/responses/calendar.google.com");
    let file = std::fs::read_dir(dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    std::fs::read_to_string(file).unwrap()
}

/// The minimal feed keeping only its first `keep` VEVENTs.
fn first_events(keep: usize) -> String {
    let ics = minimal_ics();
    let start = ics.find("BEGIN:VEVENT").unwrap();
    let mut out = ics[..start].to_string();
    for block in ics[start..]
        .split_inclusive("END:VEVENT\r\n")
        .filter(|b| b.contains("BEGIN:VEVENT"))
        .take(keep)
    {
        out.push_str(block);
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// A valid VCALENDAR with no VEVENT at all.
const EMPTY_ICS: &str = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nX-WR-CALNAME:Rust Community\r\nX-WR-TIMEZONE:America/Los_Angeles\r\nEND:VCALENDAR\r\n";

const LISBON_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nDTSTART:20230215T183000Z\r\nDTEND:20230215T203000Z\r\nDTSTAMP:20230201T090000Z\r\nUID:lisbon-1@test\r\nSUMMARY:Rust Lisbon: February Meetup\r\nLOCATION:Lisbon\\, Portugal\r\nDESCRIPTION:https://www.meetup.com/rust-lisbon/events/290000001/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

/// Writes a replay snapshot: the two calendar sources with the given bodies.
fn snapshot(dir: &Path, calendar: &str) -> PathBuf {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir.join("responses")).unwrap();
    std::fs::write(dir.join("responses/cal.ics"), calendar).unwrap();
    std::fs::write(dir.join("responses/lisbon.ics"), LISBON_ICS).unwrap();
    let manifest = serde_json::json!({
        "recorded_at": "2023-02-01T09:00:00+00:00",
        "responses": [
            {"url": CAL_URL, "status": 200, "content_type": "text/calendar; charset=UTF-8",
             "file": "responses/cal.ics"},
            {"url": LISBON_URL, "status": 200, "content_type": "text/calendar; charset=UTF-8",
             "file": "responses/lisbon.ics"},
        ]
    });
    std::fs::write(dir.join("manifest.json"), manifest.to_string()).unwrap();
    let minimal = std::fs::read_to_string(root().join("snapshots/minimal/sources.toml")).unwrap();
    let organizers = &minimal[minimal.find("[[organizer]]").unwrap()..];
    std::fs::write(
        dir.join("sources.toml"),
        format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{CAL_URL}\"\nname = \"Calendar\"\n\n\
             [[source]]\nkind = \"ical\"\nurl = \"{LISBON_URL}\"\nname = \"Lisbon Calendar\"\n\n\
             {organizers}"
        ),
    )
    .unwrap();
    dir.to_path_buf()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn json(snap: &Path, out: Option<&Path>) -> Run {
    let mut cmd = common::Run::new(["json", "--replay"]).arg(snap);
    if let Some(out) = out {
        cmd = cmd.arg("--out").arg(out);
    }
    let o = cmd.output();
    Run {
        code: o.status.code(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn source<'a>(doc: &'a Value, label: &str) -> &'a Value {
    doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["label"] == label)
        .unwrap_or_else(|| panic!("no source {label} in {doc}"))
}

fn events_from<'a>(doc: &'a Value, label: &str) -> Vec<&'a Value> {
    doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sources"].as_array().unwrap().iter().any(|s| s == label))
        .collect()
}

/// Healthy run, then `calendar` answered instead: the file after the second run.
fn second_run(calendar: &str) -> (Run, Value, Value) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");
    let snap = dir.path().join("snap");
    snapshot(&snap, &minimal_ics());
    let first = json(&snap, Some(&out));
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let before = read_json(&out);
    assert_eq!(events_from(&before, "Calendar").len(), 6, "{before}");
    snapshot(&snap, calendar);
    let run = json(&snap, Some(&out));
    let after = read_json(&out);
    (run, before, after)
}

#[test]
fn an_empty_calendar_is_suspect_and_its_previous_events_are_carried_over() {
    let (run, before, after) = second_run(EMPTY_ICS);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "SUSPECT ical  Calendar: 0 events; the calendar answered with no events at all"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("check the feed URL"), "{}", run.stderr);
    assert!(run.stderr.contains("1 suspect"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let cal = source(&after, "Calendar");
    assert_eq!(cal["status"], "suspect");
    assert_eq!(cal["ok"], false);
    assert!(cal["suspect"].as_str().unwrap().contains("empty VCALENDAR"));
    assert_eq!(cal["error"], Value::Null);
    assert_eq!(cal["carried_over"], 6);
    // The previous events are all there, marked stale; the healthy source's is fresh.
    let carried = events_from(&after, "Calendar");
    assert_eq!(carried.len(), 6);
    assert!(carried.iter().all(|e| e["stale"] == true));
    let titles = |d: &Value| -> Vec<String> {
        d["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(titles(&after), titles(&before));
    let lisbon = events_from(&after, "Lisbon Calendar");
    assert_eq!(lisbon.len(), 1);
    assert_eq!(lisbon[0]["stale"], false);
    assert_eq!(source(&after, "Lisbon Calendar")["status"], "ok");
    // When they were last seen: the previous file's time; this run's events say nothing.
    assert!(
        carried
            .iter()
            .all(|e| e["last_seen"] == before["generated_at"]),
        "{after}"
    );
    assert!(lisbon[0].get("last_seen").is_none(), "{}", lisbon[0]);
}

#[test]
fn an_empty_calendar_is_suspect_without_a_previous_file_too() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(&dir.path().join("snap"), EMPTY_ICS);
    let run = json(&snap, None);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("SUSPECT ical  Calendar"),
        "{}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["version"], 2);
    assert_eq!(source(&doc, "Calendar")["status"], "suspect");
    assert_eq!(source(&doc, "Lisbon Calendar")["status"], "ok");
    // render says so too, and still prints the healthy source's events.
    let out = common::Run::new(["render", "--replay"]).arg(&snap).output();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SUSPECT ical  Calendar"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Rust Lisbon: February Meetup"));
}

#[test]
fn a_calendar_collapsing_against_the_previous_file_is_suspect() {
    // One entry of six left: suspect, the five others carried over.
    let (run, _, after) = second_run(&first_events(1));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "SUSPECT ical  Calendar: 1 event; far fewer events than the previous run: 1 in the window now, 6 in the previous file"
        ),
        "{}",
        run.stderr
    );
    let cal = source(&after, "Calendar");
    assert_eq!(cal["status"], "suspect");
    assert_eq!(cal["carried_over"], 5);
    let events = events_from(&after, "Calendar");
    assert_eq!(events.len(), 6);
    assert_eq!(events.iter().filter(|e| e["stale"] == true).count(), 5);
}

#[test]
fn ordinary_variation_against_the_previous_file_is_not_suspect() {
    // The minimal feed's 8 VEVENTs give its 6 events; keeping 6 or 5 of them gives 5 or 4:
    // the kind of change a calendar sees every week.
    for keep in [6, 5] {
        let (run, _, after) = second_run(&first_events(keep));
        assert_eq!(run.code, Some(0), "keep {keep}: {}", run.stderr);
        assert!(!run.stderr.contains("SUSPECT"), "{}", run.stderr);
        let cal = source(&after, "Calendar");
        assert_eq!(cal["status"], "ok");
        assert_eq!(cal["carried_over"], 0);
        assert!(
            events_from(&after, "Calendar")
                .iter()
                .all(|e| e["stale"] == false)
        );
    }
}

#[test]
fn unverified_pages_are_in_the_json_with_the_entry_and_why() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(&dir.path().join("snap"), &minimal_ics());
    let run = json(&snap, None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("unverified: \"Rust Lisbon: February Meetup\""),
        "{}",
        run.stderr
    );
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let unverified = doc["unverified"].as_array().unwrap();
    assert_eq!(unverified.len(), 1, "{doc}");
    let entry = unverified[0]["entry"].as_str().unwrap();
    assert!(
        entry.starts_with("\"Rust Lisbon: February Meetup\" on 2023-02-15"),
        "{entry}"
    );
    assert!(entry.contains("from Lisbon Calendar"), "{entry}");
    let reason = unverified[0]["reason"].as_str().unwrap();
    assert!(reason.contains("290000001"), "{reason}");
    assert!(reason.contains("kept the calendar's data"), "{reason}");
    // The entry itself is listed, with the calendar's data.
    let lisbon = events_from(&doc, "Lisbon Calendar");
    assert_eq!(lisbon.len(), 1);
    assert_eq!(lisbon[0]["verified"], false);
    // The same as data, beside the sentences (added to version 2: the old keys unchanged).
    let u = &unverified[0];
    assert_eq!(u["title"], "Rust Lisbon: February Meetup");
    assert_eq!(
        u["url"],
        "https://www.meetup.com/rust-lisbon/events/290000001/"
    );
    assert_eq!(u["date"], "2023-02-15");
    assert_eq!(u["source"], "Lisbon Calendar");
    assert_eq!(u["code"], "page-not-recorded", "{u}");
}

/// 18:30 in Chicago on the 15th, stored as 00:30 UTC on the 16th, linking a meetup page the
/// snapshot does not hold.
const CHICAGO_ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nDTSTART:20230216T003000Z\r\nDTEND:20230216T023000Z\r\nDTSTAMP:20230201T090000Z\r\nUID:chicago-1@test\r\nSUMMARY:Chicago Rust Meetup\r\nLOCATION:Chicago\\, IL\\, USA\r\nDESCRIPTION:https://www.meetup.com/chicago-rust-meetup/events/290000002/\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[test]
fn an_unverified_entry_is_said_on_the_local_date_the_section_prints() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot(&dir.path().join("snap"), &minimal_ics());
    std::fs::write(snap.join("responses/lisbon.ics"), CHICAGO_ICS).unwrap();
    let run = json(&snap, None);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    let listed = events_from(&doc, "Lisbon Calendar");
    assert_eq!(listed.len(), 1, "{doc}");
    assert_eq!(listed[0]["start_date"], "2023-02-15");
    assert!(
        run.stderr
            .contains("unverified: \"Chicago Rust Meetup\" on 2023-02-15 ("),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("2023-02-16"), "{}", run.stderr);
    let u = &doc["unverified"][0];
    assert_eq!(u["date"], "2023-02-15");
    assert!(
        u["entry"]
            .as_str()
            .unwrap()
            .starts_with("\"Chicago Rust Meetup\" on 2023-02-15 ("),
        "{u}"
    );
}

#[test]
fn a_version_1_file_is_read_as_the_previous_file() {
    // A file written before version 2 (no status, suspect or unverified): still read, so a
    // failing source's events are carried over across the upgrade.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");
    let snap = snapshot(&dir.path().join("snap"), &minimal_ics());
    assert_eq!(json(&snap, Some(&out)).code, Some(0));
    let mut doc = read_json(&out);
    doc["version"] = 1.into();
    doc.as_object_mut().unwrap().remove("unverified");
    for s in doc["sources"].as_array_mut().unwrap() {
        let s = s.as_object_mut().unwrap();
        s.remove("status");
        s.remove("suspect");
    }
    std::fs::write(&out, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
    snapshot(&dir.path().join("snap"), EMPTY_ICS);
    let run = json(&snap, Some(&out));
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        !run.stderr.contains("not a twir-events JSON file"),
        "{}",
        run.stderr
    );
    let after = read_json(&out);
    assert_eq!(after["version"], 2);
    assert_eq!(source(&after, "Calendar")["carried_over"], 6);
}

#[test]
fn a_page_without_event_data_is_suspect_and_a_group_without_upcoming_events_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snap");
    std::fs::create_dir_all(snap.join("responses")).unwrap();
    let pages = root().join("tests/fixtures/pages");
    let groups = [
        ("buffalo-rust-meetup", "meetup-group-no-events.html"),
        ("rust-login-wall", "meetup-login-wall.html"),
    ];
    let mut responses = Vec::new();
    let mut sources = String::new();
    for (group, fixture) in groups {
        std::fs::copy(pages.join(fixture), snap.join("responses").join(fixture)).unwrap();
        responses.push(serde_json::json!({
            "url": format!("https://www.meetup.com/{group}/events/"), "status": 200,
            "content_type": "text/html; charset=utf-8", "file": format!("responses/{fixture}"),
        }));
        write!(
            sources,
            "[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/{group}/\"\nname = \"{group}\"\n\n"
        )
        .unwrap();
    }
    let manifest =
        serde_json::json!({"recorded_at": "2023-02-01T09:00:00+00:00", "responses": responses});
    std::fs::write(snap.join("manifest.json"), manifest.to_string()).unwrap();
    std::fs::write(snap.join("sources.toml"), sources).unwrap();

    let run = json(&snap, None);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    // An ok source is counted, not listed (`-v` lists it): only the suspect one is named.
    assert!(
        !run.stderr.contains("buffalo-rust-meetup"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "SUSPECT meetup rust-login-wall: 0 events; the page answered without any event data"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Login to Meetup"), "{}", run.stderr);
    let doc: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(source(&doc, "buffalo-rust-meetup")["status"], "ok");
    assert_eq!(source(&doc, "rust-login-wall")["status"], "suspect");
    assert_eq!(source(&doc, "rust-login-wall")["error"], Value::Null);
}
