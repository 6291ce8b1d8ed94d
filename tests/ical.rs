//! Integration tests of the iCalendar source against the real exports in
//! `../shared/data/real-calendars/` (skipped when that folder is absent), and the conformance
//! check of our recurrence expansion against Python's `recurring-ical-events`, whose output for
//! five four-week windows of the FINOS export is recorded in `tests/conformance/`.

use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::PathBuf;
use twir_events::model::{RawEvent, When, Window};
use twir_events::sources::{Parsed, ical};

#[path = "conformance/tsv_line.rs"]
mod tsv_line;
use tsv_line::tsv_line;

use crate::common::root;

fn shared_calendar(name: &str) -> Option<String> {
    let path = root().join("../shared/data/real-calendars").join(name);
    let text = std::fs::read_to_string(&path).ok();
    if text.is_none() {
        eprintln!("note: {} not found, test skipped", path.display());
    }
    text
}

fn window(from: &str, to: &str) -> Window {
    Window {
        from: from.parse::<NaiveDate>().unwrap(),
        to: to.parse::<NaiveDate>().unwrap(),
    }
}

/// A real export read for a window (`from`–`to`), as the tool reads it.
fn read(text: &str, file: &str, label: &str, from: &str, to: &str) -> Parsed {
    ical::parse(text, file, label, &window(from, to)).expect("parses")
}

/// Checks of every event parsed from a real export.
fn check_sane(events: &[RawEvent]) {
    let mut uids = HashSet::new();
    for e in events {
        let uid = e.uid.clone().expect("Google events have UIDs");
        assert!(uids.insert(uid.clone()), "duplicate occurrence {uid}");
        assert!(e.default_tz.is_some(), "X-WR-TIMEZONE read");
        assert!(
            matches!(e.start, When::Utc(_) | When::Zoned(..) | When::Date(_)),
            "Google writes UTC, TZID or DATE: {:?}",
            e.start
        );
        for l in &e.links {
            assert!(!l.contains("google.com/url?"), "redirect left in {l}");
            assert!(!l.contains("utm_"), "tracking left in {l}");
            assert!(!l.contains("&amp;"), "entity left in {l}");
        }
    }
}

#[test]
fn finos_export_parses_with_sane_counts() {
    let Some(text) = shared_calendar("finos-community-2024-11-05.ics") else {
        return;
    };
    // Everything: every VEVENT read, every rule expanded, from 2015 to 2026.
    let all = read(&text, "finos.ics", "FINOS", "2015-01-01", "2026-12-31");
    assert_eq!(all.warnings, Vec::<String>::new());
    check_sane(&all.events);
    // 2,394 VEVENTs: 881 recurring masters (most with UNTIL), 1,313 overrides, ~200 one-offs.
    assert!(
        (2_000..20_000).contains(&all.events.len()),
        "{} occurrences",
        all.events.len()
    );
    assert!(all.events.iter().any(|e| matches!(e.start, When::Utc(_))));
    assert!(
        all.events
            .iter()
            .any(|e| matches!(e.start, When::Zoned(..)))
    );
    // Descriptions with Google redirect links yield their unwrapped targets.
    let wrapped: Vec<&RawEvent> = all
        .events
        .iter()
        .filter(|e| {
            e.description
                .as_deref()
                .is_some_and(|d| d.contains("google.com/url?q="))
        })
        .collect();
    assert!(!wrapped.is_empty());
    assert!(wrapped.iter().all(|e| !e.links.is_empty()));

    let month = read(&text, "finos.ics", "FINOS", "2024-11-06", "2024-12-04");
    check_sane(&month.events);
    assert!(
        (40..200).contains(&month.events.len()),
        "{} occurrences",
        month.events.len()
    );
}

#[test]
fn mafn_export_parses_with_sane_counts() {
    let Some(text) = shared_calendar("mafn-community-2016.ics") else {
        return;
    };
    let p = read(&text, "mafn.ics", "MAFN", "2016-05-01", "2016-05-31");
    assert_eq!(p.warnings, Vec::<String>::new());
    check_sane(&p.events);
    assert!((50..1_000).contains(&p.events.len()), "{}", p.events.len());
    // The "this and following" split series: both halves present, no day twice.
    let powerhouse: Vec<&RawEvent> = p
        .events
        .iter()
        .filter(|e| {
            e.uid
                .as_deref()
                .unwrap()
                .starts_with("o4h6rnctnhes5sh4f27kmrruvs")
        })
        .collect();
    let days: Vec<String> = powerhouse
        .iter()
        .map(|e| match &e.start {
            When::Zoned(n, _) => n.date().to_string(),
            other => panic!("zoned expected: {other:?}"),
        })
        .collect();
    assert_eq!(
        days,
        [
            "2016-04-30",
            "2016-05-07",
            "2016-05-14",
            "2016-05-21",
            "2016-05-28"
        ]
    );
    assert!(p.events.iter().any(|e| matches!(e.start, When::Date(_))));
}

/// Differences from `recurring-ical-events` we accept, as (window file, TSV line, reason):
/// none so far. A line listed here may be missing on either side.
const KNOWN_DIFFERENCES: &[(&str, &str, &str)] = &[];

#[test]
fn finos_expansion_agrees_with_recurring_ical_events() {
    let Some(text) = shared_calendar("finos-community-2024-11-05.ics") else {
        return;
    };
    let dir = root().join("tests/conformance");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/conformance exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "recorded windows: {files:?}");
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        // finos_<FROM>_<TO>.tsv
        let stem = name.trim_start_matches("finos_").trim_end_matches(".tsv");
        let (from, to) = stem.split_once('_').expect("finos_FROM_TO.tsv");
        let expected: HashSet<String> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let parsed = read(&text, "finos.ics", "FINOS", from, to);
        let ours: Vec<String> = parsed.events.iter().map(tsv_line).collect();
        let ours_set: HashSet<String> = ours.iter().cloned().collect();
        assert_eq!(ours.len(), ours_set.len(), "{name}: duplicate lines");
        let allowed = |line: &String| {
            KNOWN_DIFFERENCES
                .iter()
                .any(|(f, l, _)| *f == name && l == line)
        };
        let mut missing: Vec<&String> = expected
            .difference(&ours_set)
            .filter(|l| !allowed(l))
            .collect();
        let mut extra: Vec<&String> = ours_set
            .difference(&expected)
            .filter(|l| !allowed(l))
            .collect();
        missing.sort();
        extra.sort();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name}: missing {missing:#?}\nextra {extra:#?}"
        );
        assert!(!expected.is_empty(), "{name} is empty");
    }
}

/// Differences from Python's icalendar + recurring-ical-events on the producers' calendars
/// (`tests/fixtures/ical-producers/`), as (TSV file, the peer's line, reason): each a case
/// where RFC 5545 sides with this reader.
const PRODUCER_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "apple_icloud_2024-09-01_2024-12-31.tsv",
        "9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0\t2024-10-24T22:00:00Z\tRustFest weekend (all day)",
        "DTSTART;TZID=Europe/Zurich;VALUE=DATE: RFC 5545 §3.2.19, the TZID parameter \"MUST NOT \
         be applied to DATE properties\"; the peer reads a zoned midnight, we the all-day date",
    ),
    (
        "malformed_lines_2011-08-01_2011-08-15.tsv",
        "festival-001@example.org\t2011-08-04T10:00:00Z\tOpening concert",
        "DTSTART;VALUE=DATE:20110804T120000: RFC 5545 §3.3.4, VALUE=DATE is a date; the peer \
         reads the date-time (floating, put in X-WR-TIMEZONE), we the date, with a warning",
    ),
    (
        "malformed_lines_2011-08-01_2011-08-15.tsv",
        "festival-002@example.org\t2011-08-05T18:00:00Z\tNight programme",
        "as festival-001",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-10-22T18:00:00\tRust Toronto study group",
        "TZID=\"(UTC-05:00) Eastern Time (US and Canada)\", a Windows display name without \
         VTIMEZONE: RFC 5545 §3.2.19, the TZID names \"the time zone definition\" of the value, \
         and §3.3.5 keeps floating time for values \"not bound to any time zone\"; the peer \
         reads floating time (and so misses the EXDATE written in Berlin time, \
         2024-11-05T23:00Z), we the zone the name maps to (America/New_York)",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-10-29T18:00:00\tRust Toronto study group",
        "as the first Toronto instance",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-11-05T18:00:00\tRust Toronto study group",
        "as the first Toronto instance",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-11-12T18:00:00\tRust Toronto study group",
        "as the first Toronto instance",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-11-19T18:00:00\tRust Toronto study group",
        "as the first Toronto instance",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000D4E5F6A7B8C9DA01000000000000000010000000D5E6F708192A3B4C5D6E7F8091A2B3C4\t2024-10-30T19:00:00\tRust Paris",
        "as the Toronto instances (Romance Standard Time: Europe/Paris)",
    ),
];

/// Our lines where the peer has the ones [`PRODUCER_DIFFERENCES`] lists.
const PRODUCER_OURS: &[(&str, &str)] = &[
    (
        "apple_icloud_2024-09-01_2024-12-31.tsv",
        "9F8E7D6C-5B4A-3928-1706-F5E4D3C2B1A0\t2024-10-25\tRustFest weekend (all day)",
    ),
    (
        "malformed_lines_2011-08-01_2011-08-15.tsv",
        "festival-001@example.org\t2011-08-04\tOpening concert",
    ),
    (
        "malformed_lines_2011-08-01_2011-08-15.tsv",
        "festival-002@example.org\t2011-08-05\tNight programme",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-10-22T22:00:00Z\tRust Toronto study group",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-10-29T22:00:00Z\tRust Toronto study group",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-11-12T23:00:00Z\tRust Toronto study group",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000C3D4E5F6A7B8DA01000000000000000010000000C4D5E6F708192A3B4C5D6E7F8091A2B3\t2024-11-19T23:00:00Z\tRust Toronto study group",
    ),
    (
        "outlook_display_names_2024-10-20_2024-11-17.tsv",
        "040000008200E00074C5B7101A82E00800000000D4E5F6A7B8C9DA01000000000000000010000000D5E6F708192A3B4C5D6E7F8091A2B3C4\t2024-10-30T18:00:00Z\tRust Paris",
    ),
];

fn producer_calendar(name: &str) -> String {
    let path = root()
        .join("tests/fixtures/ical-producers")
        .join(format!("{name}.ics"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every calendar of `tests/fixtures/ical-producers/` (Outlook/Exchange with Windows zones
/// and VTIMEZONE-only names, a Google export whose VTIMEZONE contradicts the IANA zone of
/// its name, Apple, Nextcloud's THISANDFUTURE, malformed lines, a DST gap; issue 25's Lotus
/// Notes rules and names, Exchange's `Customized Time Zone`, a VTIMEZONE declared from 2018
/// only, Windows display names) agrees with what
/// the peer printed (`tests/conformance/record_producers.sh`), but for the lines listed in
/// [`PRODUCER_DIFFERENCES`], where ours are [`PRODUCER_OURS`].
#[test]
fn producer_calendars_agree_with_recurring_ical_events() {
    let dir = root().join("tests/conformance/producers");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/conformance/producers exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    assert!(files.len() >= 13, "recorded calendars: {files:?}");
    let mut disagree = Vec::new();
    for file in files {
        let name = file.file_name().unwrap().to_string_lossy().to_string();
        // <calendar>_<FROM>_<TO>.tsv
        let stem = name.trim_end_matches(".tsv");
        let (rest, to) = stem.rsplit_once('_').unwrap();
        let (calendar, from) = rest.rsplit_once('_').unwrap();
        let text = producer_calendar(calendar);
        let parsed = read(&text, calendar, "producer", from, to);
        let mut ours: Vec<String> = parsed.events.iter().map(tsv_line).collect();
        ours.sort();
        let mut expected: Vec<String> = std::fs::read_to_string(&file)
            .unwrap()
            .lines()
            .filter(|l| {
                !PRODUCER_DIFFERENCES
                    .iter()
                    .any(|(f, line, _)| *f == name && line == l)
            })
            .map(str::to_string)
            .chain(
                PRODUCER_OURS
                    .iter()
                    .filter(|(f, _)| *f == name)
                    .map(|(_, l)| (*l).to_string()),
            )
            .collect();
        expected.sort();
        assert!(!expected.is_empty(), "{name} is empty");
        if ours != expected {
            disagree.push(format!("{name}:\nours {ours:#?}\nthe peer's {expected:#?}"));
        }
    }
    assert!(disagree.is_empty(), "{}", disagree.join("\n"));
}

/// The peer's `BrokenCalendarProperty` and `'list' object has no attribute 'dt'` (a bad
/// RDATE, two DTSTARTs fail its whole calendar): this reader keeps the event, drops the bad
/// RDATE value (RFC 5545 §3.8.5.2 makes each value a recurrence date of its own) and takes the
/// first DTSTART, each with a warning where something was dropped.
#[test]
fn what_the_peer_rejects_is_read() {
    let text = producer_calendar("peer_rejects");
    let p = read(&text, "peer_rejects", "x", "2011-08-01", "2011-08-15");
    let lines: Vec<String> = p.events.iter().map(tsv_line).collect();
    assert_eq!(
        lines,
        [
            "bad-rdate-1@example.org\t2011-08-01T17:00:00Z\tSeries with a bad RDATE",
            "two-dtstarts@example.org\t2011-08-03T17:00:00Z\tTwo DTSTARTs",
            "bad-rdate-1@example.org\t2011-08-08T17:00:00Z\tSeries with a bad RDATE",
        ]
    );
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("bad RDATE value \"2011-08-09\", left out"));
}

/// Each repair of a malformed line is said (a date-time under VALUE=DATE, a line that is no
/// property), and nothing else is.
#[test]
fn malformed_lines_are_repaired_with_warnings() {
    let text = producer_calendar("malformed_lines");
    let p = read(&text, "malformed", "x", "2011-08-01", "2011-08-15");
    assert_eq!(p.events.len(), 4);
    assert_eq!(p.warnings.len(), 4, "{:#?}", p.warnings);
    assert_eq!(
        p.warnings
            .iter()
            .filter(|w| w.contains("is a date-time under VALUE=DATE"))
            .count(),
        3
    );
    assert!(p.warnings[3].contains("\"SUMMARY=Workshop with a broken line\" is not a property"));
}

/// The uid of each event and the warnings, for a producer calendar read for a window.
fn uids_and_warnings(name: &str, from: &str, to: &str) -> (Vec<String>, Vec<String>) {
    let p = read(&producer_calendar(name), name, "x", from, to);
    let uids = p
        .events
        .iter()
        .map(|e| e.uid.clone().unwrap_or_default())
        .collect();
    (uids, p.warnings)
}

/// Apple iCal and Exchange name the moved instance of an all-day series by a zoned
/// date-time at local midnight: it replaces the instance of the day it names (not the day
/// before in UTC), keeps that instance's identity, and the original day is not listed.
#[test]
fn an_all_day_instance_named_by_a_zoned_midnight_is_moved() {
    let (uids, warnings) = uids_and_warnings("apple_ical_allday_moved", "2003-06-01", "2003-06-30");
    assert_eq!(warnings, Vec::<String>::new());
    let series = "2A8A4A2E-95F6-11D7-8C7E-000393B1E8F6@";
    let days: Vec<&str> = uids.iter().filter_map(|u| u.strip_prefix(series)).collect();
    // 2003-06-10 is the instance moved to the 12th (under its own identity).
    assert_eq!(
        days,
        [
            "2003-06-03",
            "2003-06-10",
            "2003-06-17",
            "2003-06-24",
            "2003-07-01"
        ]
    );
    let (uids, warnings) = uids_and_warnings("exchange_allday_moved", "2024-10-01", "2024-10-29");
    assert_eq!(warnings, Vec::<String>::new());
    assert_eq!(uids.len(), 5, "{uids:?}");
    assert!(uids.iter().any(|u| u.ends_with("@2024-10-15")), "{uids:?}");
}

/// iOS's `X-TITLE=Hauptstraße 1-5\; 4041 Linz` (a backslash escapes nothing in a parameter,
/// so the line does not parse): that line is left out with a warning, its event read.
#[test]
fn a_malformed_parameter_costs_its_line_only() {
    let text = producer_calendar("ios_structured_location");
    let p = read(&text, "ios", "x", "2025-10-01", "2025-10-31");
    assert_eq!(p.events.len(), 2);
    let meetup = &p.events[0];
    assert_eq!(meetup.title, "Rust Linz Meetup");
    assert_eq!(
        meetup.location.as_deref(),
        Some("Hauptstraße 1-5\n4041 Linz, Österreich")
    );
    assert_eq!(meetup.url.as_deref(), Some("https://rust-linz.at/"));
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("Rust Linz Meetup")
            && p.warnings[0].contains("\"X-APPLE-STRUCTURED-LOCATION;VALUE=URI;")
            && p.warnings[0].contains("does not parse as a property, skipped"),
        "{:?}",
        p.warnings
    );
}

/// Zimbra's two RRULEs (Mondays, and the first Sunday of the month) are one recurrence set,
/// their union (RFC 5545 §3.8.5.3), without a warning.
#[test]
fn two_rrules_are_their_union() {
    let (uids, warnings) = uids_and_warnings("zimbra_two_rrules", "2024-10-01", "2024-11-30");
    assert_eq!(warnings, Vec::<String>::new());
    let id = |at: &str| format!("5e3a9c1d-2b4f-4e6a-8c0d-1f2e3d4c5b6a@{at}");
    assert!(uids.contains(&id("2024-11-03T18:00:00Z")), "{uids:?}");
    assert!(uids.contains(&id("2024-11-04T18:00:00Z")), "{uids:?}");
    assert_eq!(uids.len(), 11);
}

/// What is no rule part in an RRULE is left out with a warning; a rule with no part left,
/// or one `rrule` refuses, is left out and the event keeps its DTSTART.
#[test]
fn junk_in_a_rule_costs_the_junk_only() {
    let (uids, warnings) = uids_and_warnings("rrule_junk", "2024-09-01", "2024-09-29");
    assert_eq!(uids.len(), 5, "{uids:?}");
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("\"AnythingRandom\" is not a rule part, ignored"));
    assert!(warnings[1].contains("RRULE \"NOT-A-RULE\" has no rule part, ignored (DTSTART kept)"));
    // A spaced BYDAY (the peer fails the calendar on it) is read, junk beside it or not;
    // a bad FREQ leaves the rule out, not the event.
    let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
        BEGIN:VEVENT\r\nUID:spaced\r\nSUMMARY:Spaced\r\nDTSTART:20240902T160000Z\r\n\
        RRULE:FREQ=WEEKLY;X-JUNK;BYDAY=MO, TU;COUNT=4\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:fortnightly\r\nSUMMARY:Fortnightly\r\nDTSTART:20240903T160000Z\r\n\
        RRULE:FREQ=FORTNIGHTLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let p = read(text, "inline", "x", "2024-09-01", "2024-09-29");
    let lines: Vec<String> = p.events.iter().map(tsv_line).collect();
    assert_eq!(
        lines,
        [
            "spaced\t2024-09-02T16:00:00Z\tSpaced",
            "fortnightly\t2024-09-03T16:00:00Z\tFortnightly",
            "spaced\t2024-09-03T16:00:00Z\tSpaced",
            "spaced\t2024-09-09T16:00:00Z\tSpaced",
            "spaced\t2024-09-10T16:00:00Z\tSpaced",
        ]
    );
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("\"X-JUNK\" is not a rule part"));
    assert!(p.warnings[1].contains("FORTNIGHTLY") && p.warnings[1].contains("DTSTART kept"));
}

/// A declared zone does not depend on the query (issue 25): the instants of the events a
/// narrow window holds are the same read through a window of sixteen years (the Exchange
/// `Customized Time Zone` of US rules since 2007, a window reaching back before 2007; a
/// `Europe/Berlin` VTIMEZONE declared from 2018 only, read in 2016 and 2018), and no warning.
#[test]
fn a_declared_zone_gives_the_same_instants_for_a_narrow_and_a_wide_query() {
    for (calendar, narrow, wide) in [
        (
            "exchange_customized_zone",
            ("2020-06-01", "2020-06-30"),
            ("2005-01-01", "2020-12-31"),
        ),
        (
            "truncated_berlin",
            ("2016-06-01", "2016-06-29"),
            ("2015-01-01", "2019-12-31"),
        ),
        (
            "truncated_berlin",
            ("2018-10-15", "2018-11-12"),
            ("2015-01-01", "2019-12-31"),
        ),
        (
            "lotus_notes_zones",
            ("2024-10-20", "2024-11-17"),
            ("2000-01-01", "2024-12-31"),
        ),
    ] {
        let text = producer_calendar(calendar);
        let small = read(&text, calendar, "x", narrow.0, narrow.1);
        let large = read(&text, calendar, "x", wide.0, wide.1);
        assert_eq!(small.warnings, Vec::<String>::new(), "{calendar}");
        assert_eq!(large.warnings, Vec::<String>::new(), "{calendar}");
        let lines = |p: &Parsed| -> HashSet<String> { p.events.iter().map(tsv_line).collect() };
        let (small, large) = (lines(&small), lines(&large));
        assert!(!small.is_empty(), "{calendar} {narrow:?}");
        assert!(
            small.is_subset(&large),
            "{calendar} {narrow:?}: {:?} not in the wide query's answer",
            small.difference(&large).collect::<Vec<_>>()
        );
    }
}
