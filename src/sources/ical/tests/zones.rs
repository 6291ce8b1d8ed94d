//! Zones: a VTIMEZONE's rules against the IANA zone of its name, Windows names, the bounds.

use super::super::zones::{windows_display_zone, windows_zone};
use super::*;

/// A calendar with one VTIMEZONE (`tz`, its lines) and one event at `start` in it.
fn zoned(tzid: &str, tz: &str, start: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{tz}END:VTIMEZONE\r\n\
         BEGIN:VEVENT\r\nUID:e\r\nSUMMARY:E\r\nDTSTART;TZID=\"{tzid}\":{start}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
}

/// Rules in Outlook's form: standard and daylight onsets, offsets in hours.
fn rules(std_rule: &str, std: i32, dst_rule: &str, dst: i32) -> String {
    let off = |h: i32| format!("{}{:02}00", if h < 0 { '-' } else { '+' }, h.abs());
    format!(
        "BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nRRULE:{std_rule}\r\nEND:STANDARD\r\n\
         BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\nRRULE:{dst_rule}\r\nEND:DAYLIGHT\r\n",
        off(dst),
        off(std),
        off(std),
        off(dst)
    )
}

fn instant(p: &Parsed) -> String {
    match &p.events[0].start {
        When::Zoned(n, tz) => super::super::values::zoned_to_utc(*n, *tz).to_rfc3339(),
        When::Offset(t) => t.to_utc().to_rfc3339(),
        other => format!("{other:?}"),
    }
}

const EU: (&str, &str) = (
    "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
);

#[test]
fn declared_rules_win_over_the_zone_of_the_same_name() {
    // Lisbon is +00/+01; this calendar declares +01/+02 under its name.
    let tz = rules(EU.0, 1, EU.1, 2);
    for (start, utc) in [
        ("20241029T183000", "2024-10-29T17:30:00+00:00"),
        ("20240917T183000", "2024-09-17T16:30:00+00:00"),
    ] {
        let p = run(
            &zoned("Europe/lisbon", &tz, start),
            "2024-09-01",
            "2024-11-30",
        );
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(instant(&p), utc, "{start}");
    }
    // Rules that agree with the zone of the name keep it.
    let p = run(
        &zoned("Europe/Lisbon", &rules(EU.0, 0, EU.1, 1), "20241029T183000"),
        "2024-10-01",
        "2024-11-30",
    );
    assert_eq!(
        p.events[0].start,
        When::Zoned(dt("2024-10-29 18:30"), chrono_tz::Europe::Lisbon)
    );
}

#[test]
fn names_that_are_no_iana_zone_follow_their_rules() {
    // Outlook's display name, southern hemisphere: daylight from October to April.
    let tz = rules(
        "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4",
        10,
        "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10",
        11,
    );
    for (start, utc) in [
        ("20241003T180000", "2024-10-03T08:00:00+00:00"),
        ("20241010T180000", "2024-10-10T07:00:00+00:00"),
    ] {
        let p = run(
            &zoned("Canberra, Melbourne, Sydney", &tz, start),
            "2024-09-20",
            "2024-10-31",
        );
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(instant(&p), utc);
    }
    // The second-Sunday-of-March rule of old Apple exports (BYDAY=SU;BYMONTHDAY=8,…,14).
    let tz = rules(
        "FREQ=YEARLY;BYMONTH=11;BYDAY=SU;BYMONTHDAY=1,2,3,4,5,6,7",
        -5,
        "FREQ=YEARLY;BYMONTH=3;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14",
        -4,
    );
    let p = run(
        &zoned("US-Eastern", &tz, "20240311T090000"),
        "2024-03-01",
        "2024-03-31",
    );
    assert_eq!(instant(&p), "2024-03-11T13:00:00+00:00");
    let p = run(
        &zoned("US-Eastern", &tz, "20240308T090000"),
        "2024-03-01",
        "2024-03-31",
    );
    assert_eq!(instant(&p), "2024-03-08T14:00:00+00:00");
}

#[test]
fn windows_names_without_vtimezone_use_the_cldr_table() {
    assert_eq!(
        windows_zone("New Zealand Standard Time"),
        Some(chrono_tz::Pacific::Auckland)
    );
    assert_eq!(
        windows_zone("w. europe standard time"),
        Some(chrono_tz::Europe::Berlin)
    );
    assert_eq!(windows_zone("Canberra, Melbourne, Sydney"), None);
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:t\r\nDTSTART;TZID=Tokyo Standard Time:20241015T190000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEXDATE;TZID=Tokyo Standard Time:20241022T190000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let p = run(ics, "2024-10-10", "2024-11-10");
    assert_eq!(p.warnings, Vec::<String>::new());
    let tokyo = chrono_tz::Asia::Tokyo;
    assert_eq!(
        p.events.iter().map(|e| e.start.clone()).collect::<Vec<_>>(),
        [
            When::Zoned(dt("2024-10-15 19:00"), tokyo),
            When::Zoned(dt("2024-10-29 19:00"), tokyo)
        ]
    );
}

#[test]
fn declared_rules_no_zone_follows_are_the_zone() {
    // +01/+02 switching in June and December: no IANA zone does that; the declaration is the
    // zone (RFC 5545 §3.6.5), whatever its name.
    let tz = rules(
        "FREQ=YEARLY;BYMONTH=12;BYDAY=1SU",
        1,
        "FREQ=YEARLY;BYMONTH=6;BYDAY=1SU",
        2,
    );
    for tzid in ["Europe/Paris", "Custom zone"] {
        let p = run(
            &zoned(tzid, &tz, "20240710T120000"),
            "2024-07-01",
            "2024-07-31",
        );
        assert_eq!(instant(&p), "2024-07-10T10:00:00+00:00", "{tzid}");
        assert_eq!(p.warnings, Vec::<String>::new());
    }
    // A monthly observance rule is read too (the `rrule` engine): +01 from each month's
    // first Sunday (7 July 2024), +02 from the last Sunday of March.
    let tz = rules("FREQ=MONTHLY;BYDAY=1SU", 1, EU.1, 2);
    let p = run(
        &zoned("Europe/Paris", &tz, "20240710T120000"),
        "2024-07-01",
        "2024-07-31",
    );
    assert_eq!(instant(&p), "2024-07-10T11:00:00+00:00");
    assert_eq!(p.warnings, Vec::<String>::new());
}

#[test]
fn observance_expansion_is_bounded() {
    // A daily observance rule: left out, said (zone onsets are yearly; walking it could cost
    // the `rrule` crate's whole search); the other observance is the zone.
    let tz = rules(EU.0, 1, "FREQ=DAILY;BYHOUR=2", 2);
    let p = run(
        &zoned("Europe/Paris", &tz, "20240710T120000"),
        "2024-07-01",
        "2024-07-31",
    );
    assert_eq!(instant(&p), "2024-07-10T11:00:00+00:00");
    assert!(
        p.warnings[0].contains("finer than monthly"),
        "{:?}",
        p.warnings
    );
    // An observance that cannot be read is left out, said; the others are the zone.
    let tz = format!(
        "{}BEGIN:DAYLIGHT\r\nDTSTART:nonsense\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT\r\n",
        rules(EU.0, 1, EU.1, 2)
    );
    let p = run(
        &zoned("Europe/Paris", &tz, "20240710T120000"),
        "2024-07-01",
        "2024-07-31",
    );
    assert_eq!(instant(&p), "2024-07-10T10:00:00+00:00");
    assert!(p.warnings[0].contains("left out"), "{:?}", p.warnings);
}

#[test]
fn windows_display_names_are_read() {
    for (name, iana) in [
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
        (
            "(UTC-05:00) Eastern Time (US and Canada)",
            "America/New_York",
        ),
        ("(GMT-05:00) eastern time (us & canada)", "America/New_York"),
        (
            "(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna",
            "Europe/Berlin",
        ),
        (
            "(UTC+10:00) Canberra, Melbourne, Sydney",
            "Australia/Sydney",
        ),
    ] {
        assert_eq!(
            windows_display_zone(name).map(chrono_tz::Tz::name),
            Some(iana),
            "{name}"
        );
    }
    for name in [
        "Eastern Time (US & Canada)",
        "(UTC) Nowhere",
        "(",
        ")(",
        "(UTC-05:00",
        // A prefix whose third byte is inside a character (found by tools/fuzz.sh).
        "(UTä) Eastern Time (US & Canada)",
        "(éé)",
    ] {
        assert_eq!(windows_display_zone(name), None, "{name}");
    }
}

#[test]
fn this_and_future_moves_the_rest_of_the_series() {
    let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:s\r\nSUMMARY:Old\r\nDTSTART:20240901T120000Z\r\nDTEND:20240901T140000Z\r\nRRULE:FREQ=DAILY;INTERVAL=2;COUNT=10\r\nEND:VEVENT\r\n\
               BEGIN:VEVENT\r\nUID:s\r\nSUMMARY:New\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20240905T120000Z\r\nDTSTART:20240905T090000Z\r\nDTEND:20240905T160000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let p = run(ics, "2024-09-01", "2024-09-09");
    let got: Vec<(String, When, Option<When>)> = p
        .events
        .iter()
        .map(|e| (e.title.clone(), e.start.clone(), e.end.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "Old".into(),
                utc("2024-09-01 12:00"),
                Some(utc("2024-09-01 14:00"))
            ),
            (
                "Old".into(),
                utc("2024-09-03 12:00"),
                Some(utc("2024-09-03 14:00"))
            ),
            (
                "New".into(),
                utc("2024-09-05 09:00"),
                Some(utc("2024-09-05 16:00"))
            ),
            (
                "New".into(),
                utc("2024-09-07 09:00"),
                Some(utc("2024-09-07 16:00"))
            ),
            (
                "New".into(),
                utc("2024-09-09 09:00"),
                Some(utc("2024-09-09 16:00"))
            ),
            (
                "New".into(),
                utc("2024-09-11 09:00"),
                Some(utc("2024-09-11 16:00"))
            ),
        ]
    );
    // Each instance keeps its own identity (its original start).
    assert_eq!(p.events[3].uid.as_deref(), Some("s@2024-09-07T12:00:00Z"));
}

#[test]
fn a_declared_zone_reads_gaps_and_repeated_hours_as_iana_zones_do() {
    // EU rules under a name no zone has: the spring gap moves an hour on (RFC 5545 §3.3.5),
    // the repeated autumn hour takes its first instant; before the first onset (2016), the
    // first TZOFFSETFROM.
    let tz = "BEGIN:STANDARD\r\nDTSTART:20181028T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n\
              RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n\
              BEGIN:DAYLIGHT\r\nDTSTART:20180325T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n\
              RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n";
    for (start, utc) in [
        ("20240331T023000", "2024-03-31T01:30:00+00:00"),
        ("20241027T023000", "2024-10-27T00:30:00+00:00"),
        ("20241027T033000", "2024-10-27T02:30:00+00:00"),
        ("20160608T190000", "2016-06-08T18:00:00+00:00"),
    ] {
        let year = &start[..4];
        let p = run(
            &zoned("Custom", tz, start),
            &format!("{year}-01-01"),
            &format!("{year}-12-31"),
        );
        assert_eq!(instant(&p), utc, "{start}");
    }
    // The same rules under an IANA name: that zone before 2018 (+02 in June 2016).
    let p = run(
        &zoned("Europe/Berlin", tz, "20160608T190000"),
        "2016-06-01",
        "2016-06-30",
    );
    assert_eq!(instant(&p), "2016-06-08T17:00:00+00:00");
}
