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

fn shared_calendar(name: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/real-calendars")
        .join(name);
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
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/conformance");
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
