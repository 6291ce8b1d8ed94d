//! Recurrence: rules, overrides (RECURRENCE-ID), EXDATE, RDATE, split series, all-day events.

use super::*;
use pretty_assertions::assert_eq;

/// Last Tuesday of the month at 18:00 in Chicago, April deleted (EXDATE), March moved to
/// Wednesday 19:00 by an override that comes before its master in the file.
fn last_tuesday() -> [String; 2] {
    [
        Google {
            times: &[
                "DTSTART;TZID=America/Chicago:20230329T190000",
                "DTEND;TZID=America/Chicago:20230329T210000",
                "RECURRENCE-ID;TZID=America/Chicago:20230328T180000",
            ],
            uid: "0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com",
            summary: "Chicago Rust Meetup",
            description: "Moved to Wednesday this month.",
            location: r"Chicago\, IL",
            sequence: 1,
            ..Google::default()
        }
        .vevent(),
        Google {
            times: &[
                "DTSTART;TZID=America/Chicago:20230131T180000",
                "DTEND;TZID=America/Chicago:20230131T200000",
                "RRULE:FREQ=MONTHLY;BYDAY=-1TU",
                "EXDATE;TZID=America/Chicago:20230425T180000",
            ],
            uid: "0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com",
            summary: "Chicago Rust Meetup",
            location: r"Chicago\, IL",
            ..Google::default()
        }
        .vevent(),
    ]
}

#[test]
fn monthly_last_tuesday_with_exdate_and_early_override() {
    let p = run(&feed(&last_tuesday()), "2023-02-01", "2023-06-30");
    assert_eq!(p.warnings, Vec::<String>::new());
    let uid = "0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com";
    assert_eq!(
        starts(&p),
        vec![
            // 31 January 18:00 CST is 1 February 00:00 UTC: inside the margin.
            (
                format!("{uid}@2023-02-01T00:00:00Z"),
                When::Zoned(dt("2023-01-31 18:00"), CHI)
            ),
            (
                format!("{uid}@2023-03-01T00:00:00Z"),
                When::Zoned(dt("2023-02-28 18:00"), CHI)
            ),
            // The override keeps the identity of the instance it replaces (after the US
            // DST change: 18:00 CDT is 23:00 UTC).
            (
                format!("{uid}@2023-03-28T23:00:00Z"),
                When::Zoned(dt("2023-03-29 19:00"), CHI)
            ),
            (
                format!("{uid}@2023-05-30T23:00:00Z"),
                When::Zoned(dt("2023-05-30 18:00"), CHI)
            ),
            (
                format!("{uid}@2023-06-27T23:00:00Z"),
                When::Zoned(dt("2023-06-27 18:00"), CHI)
            ),
        ]
    );
    let moved = &p.events[2];
    assert_eq!(moved.end, Some(When::Zoned(dt("2023-03-29 21:00"), CHI)));
    assert_eq!(
        moved.description.as_deref(),
        Some("Moved to Wednesday this month.")
    );
    assert_eq!(
        p.events[0].end,
        Some(When::Zoned(dt("2023-01-31 20:00"), CHI))
    );
    assert_eq!(p.events[0].description, None, "empty DESCRIPTION is None");
    // Every other instance ends the series' two hours after its start, in wall-clock time
    // across the DST change (18:00-20:00 CDT in May as in CST in January).
    for (i, e) in p.events.iter().enumerate().filter(|(i, _)| *i != 2) {
        let When::Zoned(start, tz) = e.start else {
            panic!("{e:?}")
        };
        let end = start + chrono::Duration::hours(2);
        assert_eq!(e.end, Some(When::Zoned(end, tz)), "instance {i}");
    }
}

#[test]
fn cancelled_override_and_cancelled_event_are_dropped() {
    let series = Google {
        times: &[
            "DTSTART;TZID=Europe/Berlin:20230110T190000",
            "DTEND;TZID=Europe/Berlin:20230110T210000",
            "RRULE:FREQ=MONTHLY;BYDAY=2TU",
        ],
        uid: "3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com",
        summary: "Rust Berlin Talks",
        location: "Berlin",
        ..Google::default()
    }
    .vevent();
    let cancelled = Google {
        times: &[
            "DTSTART;TZID=Europe/Berlin:20230214T190000",
            "DTEND;TZID=Europe/Berlin:20230214T210000",
            "RECURRENCE-ID;TZID=Europe/Berlin:20230214T190000",
        ],
        uid: "3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com",
        summary: "Rust Berlin Talks",
        location: "Berlin",
        sequence: 1,
        status: "CANCELLED",
        ..Google::default()
    }
    .vevent();
    let cancelled_one_off = Google {
        times: &["DTSTART:20230220T170000Z", "DTEND:20230220T190000Z"],
        uid: "7a2c4e6g8i0k2m4o6q8s0u2w4y@google.com",
        summary: "Cancelled one-off",
        sequence: 2,
        status: "CANCELLED",
        ..Google::default()
    }
    .vevent();
    let p = run(
        &feed(&[series, cancelled, cancelled_one_off]),
        "2023-02-01",
        "2023-03-20",
    );
    assert_eq!(p.warnings, Vec::<String>::new());
    assert_eq!(
        starts(&p),
        vec![(
            "3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com@2023-03-14T18:00:00Z".to_string(),
            When::Zoned(dt("2023-03-14 19:00"), BER)
        )]
    );
}

#[test]
fn weekly_two_days_across_dst_keeps_wall_clock() {
    let ev = Google {
        times: &[
            "DTSTART;TZID=Europe/Berlin:20230314T190000",
            "DTEND;TZID=Europe/Berlin:20230314T200000",
            "RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH",
        ],
        uid: "1b3d5f7h9j1l3n5p7r9t1v3x5z@google.com",
        summary: "Rust Study Group",
        ..Google::default()
    }
    .vevent();
    let p = run(&feed(&[ev]), "2023-03-01", "2023-04-30");
    let got: Vec<(String, String)> = p
        .events
        .iter()
        .map(|e| {
            let When::Zoned(n, tz) = e.start else {
                panic!("zoned start expected: {:?}", e.start)
            };
            assert_eq!(tz, BER);
            let suffix = e
                .uid
                .as_deref()
                .unwrap()
                .rsplit_once('@')
                .unwrap()
                .1
                .to_string();
            (n.format("%m-%d %H:%M").to_string(), suffix)
        })
        .collect();
    let want = [
        ("03-14 19:00", "2023-03-14T18:00:00Z"),
        ("03-16 19:00", "2023-03-16T18:00:00Z"),
        ("03-21 19:00", "2023-03-21T18:00:00Z"),
        ("03-23 19:00", "2023-03-23T18:00:00Z"),
        // Summer time from 26 March: same wall clock, an hour earlier in UTC.
        ("03-28 19:00", "2023-03-28T17:00:00Z"),
        ("03-30 19:00", "2023-03-30T17:00:00Z"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn interval_until_rdate_and_multi_value_exdate() {
    let ev = Google {
        times: &[
            "DTSTART:20230201T170000Z",
            "DTEND:20230201T180000Z",
            "RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20230412T170000Z;INTERVAL=2;BYDAY=WE",
            "EXDATE:20230301T170000Z,20230315T170000Z",
            "RDATE:20230305T120000Z",
        ],
        uid: "9z8y7x6w5v4u3t2s1r0q9p8o7n@google.com",
        summary: "Virtual Rust Office Hours",
        location: "Online",
        ..Google::default()
    }
    .vevent();
    let p = run(&feed(&[ev]), "2023-01-01", "2023-06-30");
    let got: Vec<When> = p.events.iter().map(|e| e.start.clone()).collect();
    assert_eq!(
        got,
        vec![
            utc("2023-02-01 17:00"),
            utc("2023-02-15 17:00"),
            utc("2023-03-05 12:00"),
            utc("2023-03-29 17:00"),
            // UNTIL is inclusive.
            utc("2023-04-12 17:00"),
        ]
    );
    assert_eq!(p.events[2].end, Some(utc("2023-03-05 13:00")));
    assert_eq!(p.events[2].location.as_deref(), Some("Online"));
}

#[test]
fn all_day_multi_day_event_keeps_exclusive_end() {
    let ev = Google {
        times: &["DTSTART;VALUE=DATE:20230214", "DTEND;VALUE=DATE:20230217"],
        uid: "4c6e8g0i2k4m6o8q0s2u4w6y8a@google.com",
        summary: "Rust Nation UK",
        description: "https://rustnationuk.com/",
        location: r"The Brewery\, London\, UK",
        ..Google::default()
    }
    .vevent();
    let ics = feed(&[ev]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].start, When::Date(d("2023-02-14")));
    assert_eq!(p.events[0].end, Some(When::Date(d("2023-02-17"))));
    assert_eq!(
        p.events[0].links,
        vec!["https://rustnationuk.com/".to_string()]
    );
    // Overlap with the widened window: ends (exclusive) 17 Feb, so a window starting 19
    // Feb (margin back to 17 Feb 00:00) does not include it, one starting 18 Feb does.
    assert!(run(&ics, "2023-02-19", "2023-03-01").events.is_empty());
    assert_eq!(run(&ics, "2023-02-18", "2023-03-01").events.len(), 1);
    assert_eq!(run(&ics, "2023-02-01", "2023-02-11").events.len(), 0);
    assert_eq!(run(&ics, "2023-02-01", "2023-02-12").events.len(), 1);
}

#[test]
fn this_and_following_split_series_without_duplicates() {
    // As in the real 2016 export: the old master stops just before the new one starts.
    let old = Google {
        times: &[
            "DTSTART;TZID=Europe/London:20160312T120000",
            "DTEND;TZID=Europe/London:20160312T170000",
            "RRULE:FREQ=WEEKLY;UNTIL=20160514T105959Z;BYDAY=SA",
        ],
        uid: "o4h6rnctnhes5sh4f27kmrruvs@google.com",
        summary: "Powerhouse Library",
        location: "Powerhouse Library",
        ..Google::default()
    }
    .vevent();
    let new = Google {
        times: &[
            "DTSTART;TZID=Europe/London:20160514T120000",
            "DTEND;TZID=Europe/London:20160514T170000",
            "RRULE:FREQ=WEEKLY;BYDAY=SA",
        ],
        uid: "o4h6rnctnhes5sh4f27kmrruvs_R20160514T110000@google.com",
        summary: "Powerhouse Library",
        location: "Powerhouse Library",
        ..Google::default()
    }
    .vevent();
    // A split made at the very first instance: the old master's UNTIL is before its own
    // DTSTART, so it has no occurrence left at all.
    let old_empty = Google {
        times: &[
            "DTSTART;TZID=Europe/London:20160211T190000",
            "DTEND;TZID=Europe/London:20160211T210000",
            "RRULE:FREQ=MONTHLY;UNTIL=20160211T185959Z;BYDAY=2TH",
        ],
        uid: "37orv3fgcb6h2p7bj8gsipcc6o@google.com",
        summary: "Hulme History Group Meet up",
        location: "Z-arts",
        ..Google::default()
    }
    .vevent();
    let new_from_start = Google {
        times: &[
            "DTSTART;TZID=Europe/London:20160211T190000",
            "DTEND;TZID=Europe/London:20160211T210000",
            "RRULE:FREQ=MONTHLY;BYDAY=2TH",
        ],
        uid: "37orv3fgcb6h2p7bj8gsipcc6o_R20160211T190000@google.com",
        summary: "Hulme History Group Meet up",
        location: "Z-arts",
        sequence: 1,
        ..Google::default()
    }
    .vevent();
    let ldn = chrono_tz::Europe::London;
    let p = run(
        &feed(&[&new, &old, &old_empty, &new_from_start]),
        "2016-05-01",
        "2016-05-31",
    );
    let got = starts(&p);
    let old_uid = "o4h6rnctnhes5sh4f27kmrruvs@google.com";
    let new_uid = "o4h6rnctnhes5sh4f27kmrruvs_R20160514T110000@google.com";
    let hulme = "37orv3fgcb6h2p7bj8gsipcc6o_R20160211T190000@google.com";
    assert_eq!(
        got,
        vec![
            (
                format!("{old_uid}@2016-04-30T11:00:00Z"),
                When::Zoned(dt("2016-04-30 12:00"), ldn)
            ),
            (
                format!("{old_uid}@2016-05-07T11:00:00Z"),
                When::Zoned(dt("2016-05-07 12:00"), ldn)
            ),
            (
                format!("{hulme}@2016-05-12T18:00:00Z"),
                When::Zoned(dt("2016-05-12 19:00"), ldn)
            ),
            (
                format!("{new_uid}@2016-05-14T11:00:00Z"),
                When::Zoned(dt("2016-05-14 12:00"), ldn)
            ),
            (
                format!("{new_uid}@2016-05-21T11:00:00Z"),
                When::Zoned(dt("2016-05-21 12:00"), ldn)
            ),
            (
                format!("{new_uid}@2016-05-28T11:00:00Z"),
                When::Zoned(dt("2016-05-28 12:00"), ldn)
            ),
        ]
    );
    let p = run(
        &feed(&[old_empty, new_from_start]),
        "2016-02-01",
        "2016-02-29",
    );
    assert_eq!(p.events.len(), 1, "{:?}", starts(&p));
}

#[test]
fn override_without_master_is_a_one_off() {
    let ev = Google {
        times: &[
            "DTSTART;TZID=America/Chicago:20230216T183000",
            "DTEND;TZID=America/Chicago:20230216T203000",
            "RECURRENCE-ID;TZID=America/Chicago:20230216T180000",
        ],
        uid: "6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com",
        summary: "Orphan instance",
        sequence: 1,
        ..Google::default()
    }
    .vevent();
    let p = run(&feed(&[ev]), "2023-02-01", "2023-03-01");
    assert_eq!(
        starts(&p),
        vec![(
            "6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com@2023-02-17T00:00:00Z".to_string(),
            When::Zoned(dt("2023-02-16 18:30"), CHI)
        )]
    );
}
