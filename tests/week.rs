//! `publish` on every day of one week (issue 24): the binary run over the same recorded
//! sources (`snapshots/2023-02-01`) with `--today` each day from Wednesday 2023-02-01 to the
//! next Wednesday, each `events.ics` read back by Python's `icalendar` +
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

use crate::common::binary;

const SNAPSHOT: &str = "snapshots/2023-02-01";
const WEDNESDAY: &str = "2023-02-01";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
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
        let (start, end, first, last) = match text("start").parse::<DateTime<FixedOffset>>() {
            Ok(start) => {
                let end: DateTime<FixedOffset> = text("end").parse().expect("a timed DTEND");
                let last = (end - Duration::seconds(1)).date_naive();
                (Some(start), Some(end), start.date_naive(), last)
            }
            Err(_) => {
                let first: NaiveDate = text("start").parse().expect("a DATE DTSTART");
                let end: NaiveDate = text("end").parse().expect("a DATE DTEND");
                (None, None, first, end.pred_opt().unwrap())
            }
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

/// `publish --replay SNAPSHOT --today day` into `dir/<day>`; its `events.ics` as Python reads it.
fn publish_on(day: NaiveDate, dir: &Path) -> Vec<Read> {
    let site = dir.join(day.to_string());
    let out = Command::new(binary())
        .args(["-q", "publish", "--today", &day.to_string(), "--replay"])
        .arg(root().join(SNAPSHOT))
        .arg("--out")
        .arg(&site)
        .output()
        .unwrap();
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

#[test]
fn publish_on_every_day_of_a_week_keeps_the_events_their_uids_and_their_times() {
    if let Err(why) = crate::publish::python() {
        eprintln!(
            "SKIPPED publish_on_every_day_of_a_week_keeps_the_events_their_uids_and_their_times: {why}"
        );
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let wednesday: NaiveDate = WEDNESDAY.parse().unwrap();
    let days: Vec<NaiveDate> = (0..8).map(|n| wednesday + Duration::days(n)).collect();
    let runs: Vec<(NaiveDate, Vec<Read>)> = days
        .iter()
        .map(|&day| (day, publish_on(day, tmp.path())))
        .collect();
    let first = &runs[0].1;
    assert!(first.len() >= 40, "{} events on {WEDNESDAY}", first.len());

    let mut uid_of: BTreeMap<(String, String), (String, NaiveDate)> = BTreeMap::new();
    let mut event_of: BTreeMap<String, ((String, String), NaiveDate)> = BTreeMap::new();
    let mut counts = Vec::new();
    for (day, feed) in &runs {
        // Nothing that ended before the day; everything of Wednesday's run still ahead.
        for r in feed {
            assert!(r.last >= *day, "{day}: {r:?} ended before the day");
        }
        let ahead: Vec<&Read> = first.iter().filter(|r| r.last >= *day).collect();
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
        // One UID per event, one event per UID, over the week.
        for r in feed {
            let (uid, since) = uid_of
                .entry(r.key())
                .or_insert_with(|| (r.uid.clone(), *day));
            assert_eq!(
                *uid,
                r.uid,
                "{day}: {:?} {:?} had another UID on {since}",
                r.summary,
                r.key()
            );
            let (key, since) = event_of
                .entry(r.uid.clone())
                .or_insert_with(|| (r.key(), *day));
            assert_eq!(
                *key,
                r.key(),
                "{day}: UID {} named {key:?} on {since}, now {:?}",
                r.uid,
                r.summary
            );
        }
        // Timed events stay timed: a feed writes days only for an event without a time
        // (no "Starts" line in its description) or one lasting several days.
        for r in feed.iter().filter(|r| r.start.is_none()) {
            assert!(
                !r.description.contains("Starts ") || r.last > r.first,
                "{day}: {r:?} has a time but is written as one day"
            );
        }
        for r in feed.iter().filter(|r| r.start.is_some()) {
            let (start, end) = (r.start.unwrap(), r.end.unwrap());
            assert!(end > start && end - start < Duration::hours(24), "{r:?}");
        }
        counts.push(format!(
            "{day}: {} events ({} of Wednesday's ahead, {} timed)",
            feed.len(),
            ahead.len(),
            feed.iter().filter(|r| r.start.is_some()).count()
        ));
    }
    // An event timed on one day is timed on every day it is listed.
    let timed_on: BTreeMap<&str, bool> = runs
        .iter()
        .flat_map(|(_, feed)| feed.iter().map(|r| (r.uid.as_str(), r.start.is_some())))
        .collect();
    for (_, feed) in &runs {
        for r in feed {
            assert_eq!(timed_on[r.uid.as_str()], r.start.is_some(), "{r:?}");
        }
    }
    eprintln!(
        "week: {} events over the 8 runs, each with one UID\n{}",
        uid_of.len(),
        counts.join("\n")
    );
}
