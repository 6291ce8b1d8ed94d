//! `publish` on every day of one week (issue 24): the binary run over the same recorded
//! sources (`snapshots/2023-02-01`, its calendar with two entries planted: [`PLANTED`]) with
//! `--today` each day from Wednesday 2023-02-01 to the next Wednesday, each `events.ics` read
//! back by Python's `icalendar` +
//! `recurring-ical-events` (`tests/fixtures/publish/read_ics.py`). Subscribers and the hourly
//! job run on any day: every event of the Wednesday run still ahead on a day is in that day's
//! feed (from Thursday on, the current week is not dropped), an event keeps its UID all week
//! and no UID passes to another event, and a timed event stays timed (an evening is not
//! turned into all-day dates). Skips with a message when Python's modules are missing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde_json::Value;

use crate::common::{Run, root};

const SNAPSHOT: &str = "snapshots/2023-02-01";
const WEDNESDAY: &str = "2023-02-01";

/// Three entries added to the snapshot's calendar, what it lacks: a weekly "Hack Night" whose
/// every instance links one page (a UID by position would pass to the next date each week),
/// an evening from 23:00 to 02:00 (timed, one day; not two all-day days), and a conference
/// from Friday 09:00 to Sunday 17:00 (several days; listed on Saturday and Sunday, in
/// progress).
const PLANTED: [&str; 3] = [
    "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20230131T190000\r\n\
     DTEND;TZID=Europe/Berlin:20230131T213000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\n\
     DTSTAMP:20230201T090000Z\r\nUID:7hacknight0series0weekly0x@google.com\r\n\
     DESCRIPTION:<a href=\"https://hacknight.example.org/rust-hack-night\">Every Tuesday</a>\r\n\
     LOCATION:Berlin\\, Germany\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust Hack Night\r\n\
     END:VEVENT\r\n",
    "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20230209T230000\r\n\
     DTEND;TZID=Europe/Berlin:20230210T020000\r\nDTSTAMP:20230201T090000Z\r\n\
     UID:7afterdark0evening0late0x@google.com\r\n\
     DESCRIPTION:<a href=\"https://afterdark.example.org/2023-02\">Talks until late</a>\r\n\
     LOCATION:Berlin\\, Germany\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust After Dark\r\n\
     END:VEVENT\r\n",
    "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20230203T090000\r\n\
     DTEND;TZID=Europe/Berlin:20230205T170000\r\nDTSTAMP:20230201T090000Z\r\n\
     UID:7weekend0conference0three0@google.com\r\n\
     DESCRIPTION:<a href=\"https://rustweekend.example.org/2023/\">Three days</a>\r\n\
     LOCATION:Berlin\\, Germany\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust Weekend Conference\r\n\
     END:VEVENT\r\n",
];

/// A copy of the snapshot in `dir` with [`PLANTED`] in its calendar.
fn planted_snapshot(dir: &Path) -> PathBuf {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let snapshot = dir.join("snapshot");
    copy(&root().join(SNAPSHOT), &snapshot);
    let calendars = snapshot.join("responses/calendar.google.com");
    let feed = std::fs::read_dir(&calendars)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&feed).unwrap();
    let end = text.rfind("END:VCALENDAR").unwrap();
    let planted = format!("{}{}{}", &text[..end], PLANTED.concat(), &text[end..]);
    std::fs::write(&feed, planted).unwrap();
    snapshot
}

/// One event of a day's `events.ics` as Python reads it.
#[derive(Debug, Clone)]
struct Read {
    uid: String,
    summary: String,
    url: String,
    /// `None`: written as days (`VALUE=DATE`).
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    /// The first day, and the last (inclusive): for a timed event the day its end falls on
    /// (an end at midnight ends the day before), for days the day before the exclusive DTEND.
    first: NaiveDate,
    last: NaiveDate,
    description: String,
}

impl Read {
    fn from_python(p: &Value) -> Read {
        let text = |k: &str| p[k].as_str().unwrap_or_default().to_string();
        let (start, end, first, last) =
            if let Ok(start) = text("start").parse::<DateTime<FixedOffset>>() {
                let end: DateTime<FixedOffset> = text("end").parse().expect("a timed DTEND");
                let last = (end - Duration::seconds(1)).date_naive();
                (Some(start), Some(end), start.date_naive(), last)
            } else {
                let first: NaiveDate = text("start").parse().expect("a DATE DTSTART");
                let end: NaiveDate = text("end").parse().expect("a DATE DTEND");
                (None, None, first, end.pred_opt().unwrap())
            };
        Read {
            uid: text("uid"),
            summary: text("summary"),
            url: text("url"),
            start,
            end,
            first,
            last,
            description: text("description"),
        }
    }

    /// What names the event across the runs whatever its UID: its link and start.
    fn key(&self) -> (String, String) {
        let start = self
            .start
            .map_or_else(|| self.first.to_string(), |s| s.to_rfc3339());
        (self.url.clone(), start)
    }
}

/// `publish --replay snapshot --today day` into `dir/<day>`; its `events.ics` as Python
/// reads it.
fn publish_on(snapshot: &Path, day: NaiveDate, dir: &Path) -> Vec<Read> {
    let site = dir.join(day.to_string());
    let out = Run::new(["-q", "publish", "--today", &day.to_string(), "--replay"])
        .arg(snapshot)
        .arg("--out")
        .arg(&site)
        .output();
    assert!(
        out.status.success(),
        "publish --today {day}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let py = Command::new("python3")
        .arg(root().join("tests/fixtures/publish/read_ics.py"))
        .arg(site.join("events.ics"))
        .args(["2022-01-01", "2024-12-31"])
        .output()
        .unwrap();
    assert!(
        py.status.success(),
        "{day}: {}",
        String::from_utf8_lossy(&py.stderr)
    );
    let read: Vec<Value> = serde_json::from_slice(&py.stdout).unwrap();
    read.iter().map(Read::from_python).collect()
}

/// The time of a description's `Starts …` or `Ends …` line (an event written as days says
/// its times there): `Starts 2023-02-04 09:00 (UTC+01:00)`.
fn described(description: &str, what: &str) -> Option<DateTime<FixedOffset>> {
    let line = description
        .lines()
        .find_map(|l| l.strip_prefix(what)?.strip_prefix(' '))?;
    let (at, offset) = line.split_once(" (UTC")?;
    let text = format!(
        "{}:00{}",
        at.replace(' ', "T"),
        offset.trim_end_matches(')')
    );
    text.parse().ok()
}

/// The events of Wednesday's run still ahead on `day` (their last day on or after it) are in
/// its feed with the UIDs they had; nothing in it ended before the day. Returns how many.
fn still_ahead(day: NaiveDate, feed: &[Read], wednesday: &[Read]) -> usize {
    for r in feed {
        assert!(r.last >= day, "{day}: {r:?} ended before the day");
    }
    let ahead: Vec<&Read> = wednesday.iter().filter(|r| r.last >= day).collect();
    for w in &ahead {
        let found = feed.iter().find(|r| r.key() == w.key());
        let found = found.unwrap_or_else(|| {
            panic!(
                "{day}: {:?} ({}, {} to {}) is still ahead but not in the feed",
                w.summary, w.url, w.first, w.last
            )
        });
        assert_eq!(found.uid, w.uid, "{day}: {:?} changed its UID", w.summary);
    }
    ahead.len()
}

/// One UID per event and one event per UID over the week: what each UID named and each
/// event was named, and since which day.
#[derive(Default)]
struct Names {
    uid_of: BTreeMap<(String, String), (String, NaiveDate)>,
    event_of: BTreeMap<String, ((String, String), NaiveDate)>,
}

impl Names {
    fn check(&mut self, day: NaiveDate, feed: &[Read]) {
        for r in feed {
            let (uid, since) = self
                .uid_of
                .entry(r.key())
                .or_insert_with(|| (r.uid.clone(), day));
            assert_eq!(
                *uid,
                r.uid,
                "{day}: {:?} {:?} had another UID on {since}",
                r.summary,
                r.key()
            );
            let (key, since) = self
                .event_of
                .entry(r.uid.clone())
                .or_insert_with(|| (r.key(), day));
            assert_eq!(
                *key,
                r.key(),
                "{day}: UID {} named {key:?} on {since}, now {:?}",
                r.uid,
                r.summary
            );
        }
    }
}

/// Timed events stay timed: a feed writes days only for an event without a time (no
/// "Starts" line in its description) or one lasting several days (its times, in the
/// description, a day or more apart); a timed one lasts less than a day.
fn timed_stay_timed(day: NaiveDate, feed: &[Read]) {
    for r in feed {
        if let (Some(start), Some(end)) = (r.start, r.end) {
            assert!(end > start && end - start < Duration::hours(24), "{r:?}");
            continue;
        }
        let Some(start) = described(&r.description, "Starts") else {
            continue;
        };
        assert!(r.last > r.first, "{day}: {r:?} has a time but is one day");
        if let Some(end) = described(&r.description, "Ends") {
            assert!(
                end - start >= Duration::hours(24),
                "{day}: {r:?} is written as days but lasts less than one"
            );
        }
    }
}

/// The planted entries: each Hack Night with its own UID, the evening timed, the conference
/// as days and listed until its last day (`runs[4]` is Sunday, `runs[5]` Monday).
fn planted_entries(runs: &[(NaiveDate, Vec<Read>)]) {
    let first = &runs[0].1;
    let nights: Vec<&Read> = first
        .iter()
        .filter(|r| r.summary.contains("Rust Hack Night"))
        .collect();
    assert!(nights.len() >= 4, "{nights:?}");
    let night_uids: std::collections::BTreeSet<&str> =
        nights.iter().map(|r| r.uid.as_str()).collect();
    assert_eq!(night_uids.len(), nights.len(), "{nights:?}");
    let evening = first
        .iter()
        .find(|r| r.summary.contains("Rust After Dark"))
        .expect("the evening is listed");
    assert_eq!(
        evening.start.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-02-09T23:00:00+01:00"),
        "{evening:?}"
    );
    let conference = |feed: &[Read]| {
        feed.iter()
            .find(|r| r.summary.contains("Rust Weekend Conference"))
            .map(|r| (r.start.is_some(), r.first.to_string(), r.last.to_string()))
    };
    let days = (false, "2023-02-03".to_string(), "2023-02-05".to_string());
    assert_eq!(conference(first), Some(days.clone()));
    let (sunday, monday) = (&runs[4], &runs[5]);
    assert_eq!(
        conference(&sunday.1),
        Some(days),
        "in progress on {}",
        sunday.0
    );
    assert_eq!(conference(&monday.1), None, "over on {}", monday.0);
}

#[test]
fn publish_on_every_day_of_a_week_keeps_the_events_their_uids_and_their_times() {
    if let Err(why) = crate::publish::python() {
        eprintln!(
            "SKIPPED publish_on_every_day_of_a_week_keeps_the_events_their_uids_and_their_times: {why}"
        );
        return;
    }
    assert!(described("Starts 2023-02-04 09:00 (UTC+01:00)\n", "Starts").is_some());
    let tmp = tempfile::tempdir().unwrap();
    let snapshot = planted_snapshot(tmp.path());
    let wednesday: NaiveDate = WEDNESDAY.parse().unwrap();
    let runs: Vec<(NaiveDate, Vec<Read>)> = (0..8)
        .map(|n| wednesday + Duration::days(n))
        .map(|day| (day, publish_on(&snapshot, day, tmp.path())))
        .collect();
    let first = &runs[0].1;
    assert!(first.len() >= 40, "{} events on {WEDNESDAY}", first.len());
    let mut names = Names::default();
    let mut counts = Vec::new();
    for (day, feed) in &runs {
        let ahead = still_ahead(*day, feed, first);
        names.check(*day, feed);
        timed_stay_timed(*day, feed);
        counts.push(format!(
            "{day}: {} events ({ahead} of Wednesday's ahead, {} timed)",
            feed.len(),
            feed.iter().filter(|r| r.start.is_some()).count()
        ));
    }
    planted_entries(&runs);
    // An event timed on one day is timed on every day it is listed.
    let timed_on: BTreeMap<&str, bool> = runs
        .iter()
        .flat_map(|(_, feed)| feed.iter().map(|r| (r.uid.as_str(), r.start.is_some())))
        .collect();
    for r in runs.iter().flat_map(|(_, feed)| feed) {
        assert_eq!(timed_on[r.uid.as_str()], r.start.is_some(), "{r:?}");
    }
    eprintln!(
        "week: {} events over the 8 runs, each with one UID\n{}",
        names.uid_of.len(),
        counts.join("\n")
    );
}
