//! Bounded work: bad and runaway rules, the feed's budget, many unknown zones, and expansion
//! started near the window (the same occurrences as from DTSTART).

use super::super::rules::jump_start;
use super::*;
use pretty_assertions::assert_eq;

/// A VEVENT with only these lines, a DTSTAMP, its UID and its SUMMARY.
fn minimal(lines: &[&str], uid: &str, summary: &str) -> String {
    format!(
        "BEGIN:VEVENT\n{}\nDTSTAMP:20230104T120000Z\nUID:{uid}\nSUMMARY:{summary}\nEND:VEVENT\n",
        lines.join("\n")
    )
}

#[test]
fn bad_events_become_warnings_and_runaway_rules_stop() {
    let bad_date = minimal(
        &["DTSTART:2023-02-10"],
        "badbadbadbadbadbadbadbadba@google.com",
        "Broken date",
    );
    let bad_rule = minimal(
        &["DTSTART:20230210T180000Z", "RRULE:FREQ=FORTNIGHTLY"],
        "rulerulerulerulerulerulexx@google.com",
        "Broken rule",
    );
    let runaway = minimal(
        &["DTSTART:20000101T000000Z", "RRULE:FREQ=SECONDLY"],
        "runawayrunawayrunawayrunaw@google.com",
        "Every second",
    );
    let never = minimal(
        &[
            "DTSTART:20230210T180000Z",
            "RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
        ],
        "nevernevernevernevernevern@google.com",
        "Thirtieth of February",
    );
    let started = std::time::Instant::now();
    let p = run(
        &feed(&[bad_date.as_str(), ONE_OFF, &bad_rule, &runaway, &never]),
        "2023-02-01",
        "2023-03-01",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // The good event, and DTSTART of the impossible rule (RFC 5545: DTSTART is the first
    // occurrence) and of the broken rule (a rule that cannot be read costs its own
    // occurrences only); the runaway's DTSTART is long before the window.
    assert_eq!(p.events.len(), 3, "{:?}", starts(&p));
    assert_eq!(p.warnings.len(), 3, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("badbadbadbadbadbadbadbadba@google.com"));
    assert!(p.warnings[0].contains("Broken date"));
    assert!(p.warnings[1].contains("Broken rule"));
    assert!(p.warnings[2].contains("Every second"));
}

#[test]
fn a_non_ascii_rule_is_a_warning_not_a_panic() {
    // Found by the fuzzer: `rrule` sliced the last two bytes of a BYDAY value.
    let rule = "\nBEGIN:VEVENT\nDTSTART:20230210T180000Z\nRRULE:FREQ=WEEKLY;BYDAY=T\u{e9}\nDTSTAMP:20230104T120000Z\nUID:multibyte-rule@google.com\nSUMMARY:Odd rule\nEND:VEVENT\n";
    let p = run(&feed(&[ONE_OFF, rule]), "2023-02-01", "2023-03-01");
    // The one-off, and the odd rule's DTSTART: the rule is left out, not the event.
    assert_eq!(p.events.len(), 2, "{:?}", starts(&p));
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("Odd rule") && p.warnings[0].contains("not ASCII"),
        "{:?}",
        p.warnings
    );
}

/// The shapes of rules whose expansion starts near the window, in every form of DTSTART,
/// with windows across DST changes, month ends and leap days: the same occurrences as
/// when expanding from DTSTART.
#[test]
fn starting_expansion_near_the_window_changes_nothing() {
    let rules = [
        "FREQ=DAILY",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=DAILY;INTERVAL=5;BYDAY=MO,WE,FR",
        "FREQ=WEEKLY",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
        "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA",
        "FREQ=MONTHLY",
        "FREQ=MONTHLY;BYDAY=-1TU",
        "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=-1,15",
        "FREQ=MONTHLY;BYDAY=1MO;BYMONTH=1,6,11",
        "FREQ=YEARLY",
        "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU",
        "FREQ=HOURLY;INTERVAL=7",
        "FREQ=HOURLY;INTERVAL=5;BYDAY=MO",
        "FREQ=MINUTELY;INTERVAL=1439",
        "FREQ=DAILY;UNTIL=20230220T000000Z",
        "FREQ=WEEKLY;UNTIL=20221231T000000Z",
        // Not jumped (COUNT, BYSETPOS): must stay right as well.
        "FREQ=WEEKLY;COUNT=400;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    ];
    let starts_at = [
        "DTSTART;TZID=Europe/Berlin:20150131T023000",
        "DTSTART;TZID=America/Chicago:20160229T190000",
        "DTSTART:20150531T220000Z",
        "DTSTART:20160229T120000",
        "DTSTART;VALUE=DATE:20150331",
    ];
    let windows = [
        ("2023-02-01", "2023-03-01"),
        ("2023-03-20", "2023-04-10"),
        ("2023-10-20", "2023-11-10"),
        ("2024-02-25", "2024-03-31"),
    ];
    let mut compared = 0;
    for rule in rules {
        for dtstart in starts_at {
            let body =
                format!("UID:s\r\nSUMMARY:S\r\n{dtstart}\r\nDURATION:PT1H\r\nRRULE:{rule}\r\n");
            let ics = bare(&[body]);
            for (from, to) in windows {
                let window = Window {
                    from: d(from),
                    to: d(to),
                };
                let jumped = parse_with(&ics, "u", "x", window, true).unwrap();
                let walked = parse_with(&ics, "u", "x", window, false).unwrap();
                assert_eq!(jumped.warnings, Vec::<String>::new(), "{rule} {dtstart}");
                assert_eq!(jumped, walked, "{rule} / {dtstart} / {from}");
                compared += jumped.events.len();
            }
        }
    }
    assert!(compared > 2_000, "{compared}");
    // And the expansion did start near the window.
    let jump = |rule: &str, start: &str| {
        jump_start(&rule.parse().unwrap(), dt(start), dt("2023-02-01 00:00"))
    };
    let moved = jump("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2015-01-31 02:30").unwrap();
    assert!(
        moved > dt("2023-01-15 00:00") && moved <= dt("2023-01-31 00:00"),
        "{moved}"
    );
    assert_eq!(moved.time(), dt("2015-01-31 02:30").time());
    let moved = jump("FREQ=MONTHLY;BYMONTHDAY=31", "2015-01-31 19:00").unwrap();
    assert_eq!(moved, dt("2022-12-31 19:00"));
    let moved = jump("FREQ=YEARLY", "2016-02-29 19:00").unwrap();
    assert_eq!(moved, dt("2020-02-29 19:00"));
    assert_eq!(jump("FREQ=WEEKLY;COUNT=400", "2015-01-31 02:30"), None);
    assert_eq!(
        jump("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", "2015-01-31 02:30"),
        None
    );
}

#[test]
fn the_age_of_a_series_does_not_matter() {
    // Hourly since 1990: 315,000 occurrences before the window when walked from DTSTART
    // (more than MAX_RULE_OCCURRENCES); started near the window, just the window's.
    let ics = bare(&[
        "UID:h\r\nSUMMARY:H\r\nDTSTART;TZID=Europe/Berlin:19900101T000000\r\nRRULE:FREQ=HOURLY\r\n"
            .to_string(),
        "UID:d\r\nSUMMARY:D\r\nDTSTART;TZID=Europe/Berlin:19000105T190000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR\r\n"
            .to_string(),
    ]);
    let p = run(&ics, "2026-01-07", "2026-02-04");
    assert_eq!(p.warnings, Vec::<String>::new());
    let hourly = p.events.iter().filter(|e| e.title == "H").count();
    // 29 days of the window and two of margin on each side, read in UTC (± an hour).
    assert!((32 * 24..=34 * 24).contains(&hourly), "{hourly}");
    let weekly: Vec<String> = p
        .events
        .iter()
        .filter(|e| e.title == "D")
        .map(|e| match &e.start {
            When::Zoned(n, _) => n.format("%a %d").to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(weekly.first().map(String::as_str), Some("Mon 05"));
    assert_eq!(weekly.len(), 10, "{weekly:?}");
}

#[test]
fn runaway_rules_are_capped_or_refused_with_warnings() {
    let rule = |uid: &str, dtstart: &str, rule: &str| {
        format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:{dtstart}\r\nRRULE:{rule}\r\n")
    };
    let ics = bare(&[
        rule(
            "minutely",
            "20260101T000000Z",
            "FREQ=MINUTELY;UNTIL=99991231T000000Z",
        ),
        rule(
            "count",
            "20260101T000000Z",
            "FREQ=MINUTELY;COUNT=2000000000",
        ),
        rule("secondly", "19900101T000000Z", "FREQ=SECONDLY"),
        rule(
            "sparse-seconds",
            "20260101T000000Z",
            "FREQ=SECONDLY;BYHOUR=3;BYMINUTE=0;BYSECOND=0",
        ),
        rule("weekly", "20260101T190000Z", "FREQ=WEEKLY"),
    ]);
    let p = run(&ics, "2026-01-07", "2026-02-04");
    let count = |uid: &str| {
        p.events
            .iter()
            .filter(|e| {
                e.uid
                    .as_deref()
                    .is_some_and(|u| u.starts_with(&format!("{uid}@")))
            })
            .count()
    };
    assert_eq!(count("minutely"), MAX_SERIES_OCCURRENCES);
    assert_eq!(count("count"), MAX_SERIES_OCCURRENCES);
    assert_eq!(count("secondly"), 0);
    assert_eq!(count("sparse-seconds"), 0);
    assert_eq!(count("weekly"), 5);
    let warned = |uid: &str, what: &str| {
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains(&format!("UID {uid} ")) && w.contains(what)),
            "{uid}: {:?}",
            p.warnings
        );
    };
    warned("minutely", "only the first 2000 kept");
    warned("count", "only the first 2000 kept");
    warned("secondly", "steps");
    warned("sparse-seconds", "steps");
    assert_eq!(p.warnings.len(), 4, "{:?}", p.warnings);
}

#[test]
fn a_feed_of_runaway_rules_is_bounded_as_a_whole() {
    let many: Vec<String> = (0..12)
        .map(|i| {
            format!("UID:m{i}\r\nSUMMARY:M\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY\r\n")
        })
        .collect();
    let p = run(&bare(&many), "2026-01-07", "2026-02-04");
    assert_eq!(p.events.len(), MAX_FEED_OCCURRENCES);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("the rest (from event UID m10 ")),
        "{:?}",
        p.warnings
    );
    // Long texts: a bound on bytes, not only on events.
    let text = "x".repeat(1 << 20);
    let ics = bare(&[format!(
        "UID:big\r\nSUMMARY:B\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=HOURLY\r\nDESCRIPTION:{text}\r\n"
    )]);
    let p = run(&ics, "2026-01-07", "2026-02-04");
    assert_eq!(
        p.events.len(),
        MAX_FEED_TEXT_BYTES / (2 * (1 << 20) + 256 + 2 * 4)
    );
    assert!(
        p.warnings.iter().any(|w| w.contains("MiB of text")),
        "{:?}",
        p.warnings
    );
    // Rule steps, all rules together: 12 rules of about 187,000 steps each (ten years of
    // hours, and the iterator's search for an hour that is not there).
    let stepping: Vec<String> = (0..12)
        .map(|i| {
            format!("UID:s{i}\r\nSUMMARY:S\r\nDTSTART:20160301T000000Z\r\nRRULE:FREQ=HOURLY;COUNT=3;BYHOUR=1\r\n")
        })
        .collect();
    let p = run(&bare(&stepping), "2026-01-07", "2026-02-04");
    let refused = p
        .warnings
        .iter()
        .filter(|w| w.contains("the feed's rules together"))
        .count();
    assert_eq!(refused, 12 - 5, "{:?}", p.warnings);
    assert_eq!(p.warnings.len(), refused, "{:?}", p.warnings);
}

#[test]
fn many_and_long_unknown_tzids_are_cheap() {
    let mut events: Vec<String> = (0..5_000)
        .map(|i| format!("UID:{i}\r\nSUMMARY:z\r\nDTSTART;TZID=Zone/{i}:20230210T180000\r\n"))
        .collect();
    let slashes = "/".repeat(200_000);
    for i in 0..50 {
        events.push(format!(
            "UID:s{i}\r\nSUMMARY:s\r\nDTSTART;TZID={slashes}Europe/Berlin:20230210T180000\r\n"
        ));
    }
    let p = run(&bare(&events), "2023-02-01", "2023-03-01");
    assert_eq!(p.events.len(), 5_050);
    assert_eq!(p.warnings.len(), 5_000);
    let zoned = p
        .events
        .iter()
        .filter(|e| e.start == When::Zoned(dt("2023-02-10 18:00"), BER))
        .count();
    assert_eq!(zoned, 50);
}
