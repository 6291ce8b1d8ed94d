use super::rules::jump_start;
use super::values::parse_duration;
use super::*;
use crate::model::{Status, When};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

/// The byte-level unfolding, as first written (one byte at a time): the reference the
/// faster `decode` must agree with.
fn decode_reference(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let fold = match &bytes[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            i += fold;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn decode_unfolds_as_the_byte_by_byte_reference() {
    const ALPHABET: &[u8] = b"\r\n \ta:\xC3\xBC";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for case in 0..20_000 {
        let len = case % 40;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ALPHABET[(state % ALPHABET.len() as u64) as usize]
            })
            .collect();
        assert_eq!(decode(&bytes), decode_reference(&bytes), "{bytes:?}");
    }
}
use pretty_assertions::assert_eq;

/// Google's header, in Google's order, then one VTIMEZONE per zone used (not the
/// X-WR-TIMEZONE one first).
const HEADER: &str = "BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Rust Community
X-WR-TIMEZONE:America/Chicago
X-WR-CALDESC:
BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:America/Chicago
X-LIC-LOCATION:America/Chicago
BEGIN:DAYLIGHT
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
TZNAME:CDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
TZNAME:CST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
";

/// A Google feed with these VEVENTs: lines folded at 75 octets (never inside a UTF-8
/// sequence, as Google does), CRLF line ends.
fn feed(events: &[&str]) -> String {
    let mut doc = HEADER.to_string();
    for e in events {
        doc.push_str(e.trim_start_matches('\n'));
        if !doc.ends_with('\n') {
            doc.push('\n');
        }
    }
    doc.push_str("END:VCALENDAR\n");
    let mut out = String::new();
    for line in doc.lines() {
        let mut rest = line;
        let mut limit = 75;
        while rest.len() > limit {
            let mut cut = limit;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            limit = 74;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn dt(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn utc(s: &str) -> When {
    When::Utc(dt(s).and_utc())
}

fn run(ics: &str, from: &str, to: &str) -> Parsed {
    let window = Window {
        from: d(from),
        to: d(to),
    };
    parse(ics, "test.ics", "Rust Calendar", &window).expect("parses")
}

#[test]
fn a_link_written_as_the_location_is_a_link() {
    let ics = feed(&["BEGIN:VEVENT
DTSTART:20230214T180000Z
DTEND:20230214T200000Z
DTSTAMP:20230201T090000Z
UID:aaaabbbbccccddddeeeeffffgg@google.com
CREATED:20230101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230101T100000Z
LOCATION:https://www.meetup.com/rust-berlin/events/291234567/
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Berlin meetup
TRANSP:OPAQUE
END:VEVENT"]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(
        p.events[0].links,
        vec!["https://www.meetup.com/rust-berlin/events/291234567/".to_string()]
    );
}

fn starts(p: &Parsed) -> Vec<(String, When)> {
    p.events
        .iter()
        .map(|e| (e.uid.clone().unwrap_or_default(), e.start.clone()))
        .collect()
}

const CHI: Tz = chrono_tz::America::Chicago;
const BER: Tz = chrono_tz::Europe::Berlin;

const ONE_OFF: &str = r#"
BEGIN:VEVENT
DTSTART:20230201T010000Z
DTEND:20230201T030000Z
DTSTAMP:20230104T120000Z
UID:5u3vlpb0ikn1ttkd0h8ojq4h0c@google.com
CREATED:20221215T171500Z
DESCRIPTION:<b>Rust Dallas</b> social\, talks & more!<br>RSVP: <a href="https://www.google.com/url?q=https://www.meetup.com/dallasrust/events/290000001/&amp\;sa=D&amp\;source=calendar&amp\;usd=2&amp\;usg=AOvVaw3dQm2" target="_blank" id="ow864" __is_owner="true">https://www.meetup.com/dallasrust/events/290000001/</a><br>Slides: https://example.org/slides?utm_source=cal\; bring a laptop\\tablet\nThanks
LAST-MODIFIED:20230102T090000Z
LOCATION:Improving\, 5445 Legacy Dr\, Plano\, TX 75024\, USA
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY: Rust Dallas: Monthly Social 🦀 — Zürich-style fondue and a very long title that folds 
TRANSP:OPAQUE
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:This is an event reminder
TRIGGER:-P0DT0H30M0S
END:VALARM
END:VEVENT
"#;

#[test]
fn one_off_in_utc_keeps_utc_and_reads_every_field() {
    let ics = feed(&[ONE_OFF]);
    assert!(ics.contains("\r\n "), "the fixture is folded");
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(p.warnings, Vec::<String>::new());
    assert_eq!(p.events.len(), 1);
    let e = &p.events[0];
    // 19:00 in Chicago on 31 January: the parser keeps the UTC instant, normalization
    // finds the local date.
    assert_eq!(e.start, utc("2023-02-01 01:00"));
    assert_eq!(e.end, Some(utc("2023-02-01 03:00")));
    assert_eq!(
        e.uid.as_deref(),
        Some("5u3vlpb0ikn1ttkd0h8ojq4h0c@google.com")
    );
    assert_eq!(e.source, "Rust Calendar");
    assert_eq!(
        e.title,
        "Rust Dallas: Monthly Social 🦀 — Zürich-style fondue and a very long title that folds"
    );
    assert_eq!(
        e.location.as_deref(),
        Some("Improving, 5445 Legacy Dr, Plano, TX 75024, USA")
    );
    let desc = e.description.as_deref().unwrap();
    assert!(desc.contains("social, talks & more!"), "{desc}");
    assert!(
        desc.contains("&amp;sa=D"),
        "HTML kept, iCal escapes removed: {desc}"
    );
    assert!(desc.ends_with("bring a laptop\\tablet\nThanks"), "{desc}");
    assert_eq!(
        e.links,
        vec![
            "https://www.meetup.com/dallasrust/events/290000001/".to_string(),
            "https://example.org/slides".to_string()
        ]
    );
    assert_eq!(e.url, None);
    assert_eq!(
        e.conference.as_deref(),
        Some("https://meet.google.com/abc-defg-hij")
    );
    assert_eq!(e.status, Status::Confirmed);
    assert_eq!(e.default_tz, Some(CHI));
    assert_eq!(e.organizer, None);
}

#[test]
fn lf_line_ends_read_the_same() {
    let crlf = feed(&[ONE_OFF]);
    let lf = crlf.replace("\r\n", "\n");
    assert_eq!(
        run(&crlf, "2023-02-01", "2023-03-01"),
        run(&lf, "2023-02-01", "2023-03-01")
    );
}

/// Last Tuesday of the month at 18:00 in Chicago, April deleted (EXDATE), March moved to
/// Wednesday 19:00 by an override that comes before its master in the file.
const LAST_TUESDAY: [&str; 2] = [
    r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230329T190000
DTEND;TZID=America/Chicago:20230329T210000
DTSTAMP:20230104T120000Z
UID:0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com
RECURRENCE-ID;TZID=America/Chicago:20230328T180000
CREATED:20221101T100000Z
DESCRIPTION:Moved to Wednesday this month.
LAST-MODIFIED:20230301T100000Z
LOCATION:Chicago\, IL
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Chicago Rust Meetup
TRANSP:OPAQUE
END:VEVENT
"#,
    r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230131T180000
DTEND;TZID=America/Chicago:20230131T200000
RRULE:FREQ=MONTHLY;BYDAY=-1TU
EXDATE;TZID=America/Chicago:20230425T180000
DTSTAMP:20230104T120000Z
UID:0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230301T100000Z
LOCATION:Chicago\, IL
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Chicago Rust Meetup
TRANSP:OPAQUE
END:VEVENT
"#,
];

#[test]
fn monthly_last_tuesday_with_exdate_and_early_override() {
    let p = run(&feed(&LAST_TUESDAY), "2023-02-01", "2023-06-30");
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
}

#[test]
fn cancelled_override_and_cancelled_event_are_dropped() {
    let series = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230110T190000
DTEND;TZID=Europe/Berlin:20230110T210000
RRULE:FREQ=MONTHLY;BYDAY=2TU
DTSTAMP:20230104T120000Z
UID:3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Berlin
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Berlin Talks
TRANSP:OPAQUE
END:VEVENT
"#;
    let cancelled = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230214T190000
DTEND;TZID=Europe/Berlin:20230214T210000
DTSTAMP:20230104T120000Z
UID:3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20230214T190000
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Berlin
SEQUENCE:1
STATUS:CANCELLED
SUMMARY:Rust Berlin Talks
TRANSP:OPAQUE
END:VEVENT
"#;
    let cancelled_one_off = r#"
BEGIN:VEVENT
DTSTART:20230220T170000Z
DTEND:20230220T190000Z
DTSTAMP:20230104T120000Z
UID:7a2c4e6g8i0k2m4o6q8s0u2w4y@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:2
STATUS:CANCELLED
SUMMARY:Cancelled one-off
TRANSP:OPAQUE
END:VEVENT
"#;
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
    let ev = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230314T190000
DTEND;TZID=Europe/Berlin:20230314T200000
RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH
DTSTAMP:20230104T120000Z
UID:1b3d5f7h9j1l3n5p7r9t1v3x5z@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Study Group
TRANSP:OPAQUE
END:VEVENT
"#;
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
    let ev = r#"
BEGIN:VEVENT
DTSTART:20230201T170000Z
DTEND:20230201T180000Z
RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20230412T170000Z;INTERVAL=2;BYDAY=WE
EXDATE:20230301T170000Z,20230315T170000Z
RDATE:20230305T120000Z
DTSTAMP:20230104T120000Z
UID:9z8y7x6w5v4u3t2s1r0q9p8o7n@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Online
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Virtual Rust Office Hours
TRANSP:OPAQUE
END:VEVENT
"#;
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
    let ev = r#"
BEGIN:VEVENT
DTSTART;VALUE=DATE:20230214
DTEND;VALUE=DATE:20230217
DTSTAMP:20230104T120000Z
UID:4c6e8g0i2k4m6o8q0s2u4w6y8a@google.com
CREATED:20221101T100000Z
DESCRIPTION:https://rustnationuk.com/
LAST-MODIFIED:20230201T100000Z
LOCATION:The Brewery\, London\, UK
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Nation UK
TRANSP:TRANSPARENT
END:VEVENT
"#;
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
    let old = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160312T120000
DTEND;TZID=Europe/London:20160312T170000
RRULE:FREQ=WEEKLY;UNTIL=20160514T105959Z;BYDAY=SA
DTSTAMP:20160428T143024Z
UID:o4h6rnctnhes5sh4f27kmrruvs@google.com
CREATED:20160307T115940Z
DESCRIPTION:
LAST-MODIFIED:20160422T105928Z
LOCATION:Powerhouse Library
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Powerhouse Library
TRANSP:OPAQUE
END:VEVENT
"#;
    let new = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160514T120000
DTEND;TZID=Europe/London:20160514T170000
RRULE:FREQ=WEEKLY;BYDAY=SA
DTSTAMP:20160428T143024Z
UID:o4h6rnctnhes5sh4f27kmrruvs_R20160514T110000@google.com
CREATED:20160307T115940Z
DESCRIPTION:
LAST-MODIFIED:20160422T105928Z
LOCATION:Powerhouse Library
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Powerhouse Library
TRANSP:OPAQUE
END:VEVENT
"#;
    // A split made at the very first instance: the old master's UNTIL is before its own
    // DTSTART, so it has no occurrence left at all.
    let old_empty = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160211T190000
DTEND;TZID=Europe/London:20160211T210000
RRULE:FREQ=MONTHLY;UNTIL=20160211T185959Z;BYDAY=2TH
DTSTAMP:20160428T143024Z
UID:37orv3fgcb6h2p7bj8gsipcc6o@google.com
CREATED:20160205T155242Z
DESCRIPTION:
LAST-MODIFIED:20160307T123234Z
LOCATION:Z-arts
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Hulme History Group Meet up
TRANSP:OPAQUE
END:VEVENT
"#;
    let new_from_start = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160211T190000
DTEND;TZID=Europe/London:20160211T210000
RRULE:FREQ=MONTHLY;BYDAY=2TH
DTSTAMP:20160428T143024Z
UID:37orv3fgcb6h2p7bj8gsipcc6o_R20160211T190000@google.com
CREATED:20160205T155242Z
DESCRIPTION:
LAST-MODIFIED:20160307T123234Z
LOCATION:Z-arts
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Hulme History Group Meet up
TRANSP:OPAQUE
END:VEVENT
"#;
    let ldn = chrono_tz::Europe::London;
    let p = run(
        &feed(&[new, old, old_empty, new_from_start]),
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
    let ev = r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230216T183000
DTEND;TZID=America/Chicago:20230216T203000
DTSTAMP:20230104T120000Z
UID:6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com
RECURRENCE-ID;TZID=America/Chicago:20230216T180000
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Orphan instance
TRANSP:OPAQUE
END:VEVENT
"#;
    let p = run(&feed(&[ev]), "2023-02-01", "2023-03-01");
    assert_eq!(
        starts(&p),
        vec![(
            "6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com@2023-02-17T00:00:00Z".to_string(),
            When::Zoned(dt("2023-02-16 18:30"), CHI)
        )]
    );
}

#[test]
fn duration_missing_end_floating_and_meetup_style_feed() {
    let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Meetup//RemoteApi//EN\nBEGIN:VEVENT\nDTSTART;TZID=Europe/Prague:20210906T183000\nDURATION:PT2H30M\nUID:event_280440185@meetup.com\nSUMMARY:Rust Prague\\, September\nURL:https://www.meetup.com/rust-prague/events/280440185/?utm_medium=ical\nGEO:50.08;14.43\nLOCATION:Paralelní Polis (Dělnická 43\\, Praha)\nSTATUS:TENTATIVE\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20210907T180000\nSUMMARY:Floating, no end\nUID:floating-1\nDESCRIPTION:See www.example.org/x\nEND:VEVENT\nEND:VCALENDAR\n";
    let p = run(ics, "2021-09-06", "2021-09-12");
    assert_eq!(p.warnings, Vec::<String>::new());
    assert_eq!(p.events.len(), 2);
    let prg = chrono_tz::Europe::Prague;
    let m = &p.events[0];
    assert_eq!(m.title, "Rust Prague, September");
    assert_eq!(m.start, When::Zoned(dt("2021-09-06 18:30"), prg));
    assert_eq!(m.end, Some(When::Zoned(dt("2021-09-06 21:00"), prg)));
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.meetup.com/rust-prague/events/280440185/")
    );
    assert_eq!(m.links, vec![m.url.clone().unwrap()]);
    assert_eq!(m.status, Status::Tentative);
    assert_eq!(
        m.location.as_deref(),
        Some("Paralelní Polis (Dělnická 43, Praha)")
    );
    assert_eq!(m.default_tz, None);
    let f = &p.events[1];
    assert_eq!(f.start, When::Floating(dt("2021-09-07 18:00")));
    assert_eq!(f.end, None);
    assert_eq!(f.links, vec!["https://www.example.org/x".to_string()]);
}

#[test]
fn odd_tzids_resolve_through_vtimezone_or_warn() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nX-LIC-LOCATION:Europe/Berlin\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=\"W. Europe Standard Time\":20230301T190000\r\nUID:a\r\nSUMMARY:Windows zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20230302T190000\r\nUID:b\r\nSUMMARY:Path zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus_Mons:20230303T190000\r\nUID:c\r\nSUMMARY:Unknown zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let p = run(ics, "2023-03-01", "2023-03-05");
    assert_eq!(
        starts(&p),
        vec![
            ("a".to_string(), When::Zoned(dt("2023-03-01 19:00"), BER)),
            ("b".to_string(), When::Zoned(dt("2023-03-02 19:00"), BER)),
            ("c".to_string(), When::Floating(dt("2023-03-03 19:00"))),
        ]
    );
    assert_eq!(p.warnings.len(), 1);
    assert!(
        p.warnings[0].contains("Mars/Olympus_Mons"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn bad_events_become_warnings_and_runaway_rules_stop() {
    let bad_date = r#"
BEGIN:VEVENT
DTSTART:2023-02-10
DTSTAMP:20230104T120000Z
UID:badbadbadbadbadbadbadbadba@google.com
SUMMARY:Broken date
END:VEVENT
"#;
    let bad_rule = r#"
BEGIN:VEVENT
DTSTART:20230210T180000Z
RRULE:FREQ=FORTNIGHTLY
DTSTAMP:20230104T120000Z
UID:rulerulerulerulerulerulexx@google.com
SUMMARY:Broken rule
END:VEVENT
"#;
    let runaway = r#"
BEGIN:VEVENT
DTSTART:20000101T000000Z
RRULE:FREQ=SECONDLY
DTSTAMP:20230104T120000Z
UID:runawayrunawayrunawayrunaw@google.com
SUMMARY:Every second
END:VEVENT
"#;
    let never = r#"
BEGIN:VEVENT
DTSTART:20230210T180000Z
RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30
DTSTAMP:20230104T120000Z
UID:nevernevernevernevernevern@google.com
SUMMARY:Thirtieth of February
END:VEVENT
"#;
    let started = std::time::Instant::now();
    let p = run(
        &feed(&[bad_date, ONE_OFF, bad_rule, runaway, never]),
        "2023-02-01",
        "2023-03-01",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    // Only the good event and DTSTART of the impossible rule (RFC 5545: DTSTART is the
    // first occurrence).
    assert_eq!(p.events.len(), 2, "{:?}", starts(&p));
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
    assert_eq!(p.events.len(), 1, "{:?}", starts(&p));
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("Odd rule") && p.warnings[0].contains("not ASCII"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn non_calendar_documents_are_errors() {
    let window = Window {
        from: d("2023-02-01"),
        to: d("2023-03-01"),
    };
    let err = parse("", "https://calendar.example/basic.ics", "x", &window).unwrap_err();
    assert_eq!(err.origin, "https://calendar.example/basic.ics");
    assert!(err.message.contains("empty"), "{}", err.message);
    let html = "<!DOCTYPE html><html><head><title>Error 404 (Not Found)!!1</title></head><body></body></html>";
    let err = parse(html, "u", "x", &window).unwrap_err();
    assert!(
        err.message.contains("HTML") && err.message.contains("404"),
        "{}",
        err.message
    );
    let err = parse("{\"error\":\"nope\"}", "u", "x", &window).unwrap_err();
    assert!(err.message.contains("not an iCalendar"), "{}", err.message);
    assert_eq!(err.to_string(), format!("u: {}", err.message));
    // A truncated download still yields what is complete, with a warning.
    let full = feed(&[ONE_OFF]);
    let cut = &full[..full.find("END:VCALENDAR").unwrap()];
    let p = parse(cut, "u", "x", &window).unwrap();
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

#[test]
fn decode_unfolds_inside_utf8_sequences() {
    // "Zürich 🦀" folded after the first byte of "ü" and in the middle of the crab.
    let mut bytes =
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20230210T180000Z\r\nUID:u\r\nSUMMARY:Z"
            .to_vec();
    let summary = "ürich 🦀".as_bytes();
    bytes.push(summary[0]);
    bytes.extend_from_slice(b"\r\n ");
    bytes.extend_from_slice(&summary[1..9]);
    bytes.extend_from_slice(b"\n\t");
    bytes.extend_from_slice(&summary[9..]);
    bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    assert!(std::str::from_utf8(&bytes).is_err());
    let text = decode(&bytes);
    let p = run(&text, "2023-02-01", "2023-03-01");
    assert_eq!(p.events[0].title, "Zürich 🦀");
    assert_eq!(decode(b"\xEF\xBB\xBFA\xFFB"), "A\u{fffd}B");
}

/// A bare calendar (UTC clock, no X-WR-TIMEZONE) with these VEVENT bodies.
fn bare(events: &[String]) -> String {
    let mut doc = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
    for e in events {
        doc.push_str("BEGIN:VEVENT\r\n");
        doc.push_str(e);
        doc.push_str("END:VEVENT\r\n");
    }
    doc.push_str("END:VCALENDAR\r\n");
    doc
}

#[test]
fn multi_byte_characters_where_keywords_end_do_not_panic() {
    // "UID:aé": byte 6 is inside "é"; "ENDé" and "BEGIé…" likewise for "END:" / "BEGIN:".
    let ics = bare(&[
        "UID:aé\r\nDTSTART:20230210T180000Z\r\nSUMMARY:é\r\nENDé\r\nBEGIé:x\r\n".to_string(),
    ]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(
        starts(&p),
        vec![("aé".to_string(), utc("2023-02-10 18:00"))]
    );
    // Unicode lower-casing changes byte lengths ("İ" → "i̇"): the error message must not
    // slice at offsets of the lower-cased text.
    let window = Window {
        from: d("2023-02-01"),
        to: d("2023-03-01"),
    };
    let html = format!("<{}<title>Busy</title>", "İ".repeat(20));
    let err = parse(&html, "u", "x", &window).unwrap_err();
    assert!(err.message.contains("Busy"), "{}", err.message);
}

#[test]
fn out_of_range_durations_and_dates_are_warnings_not_panics() {
    let ev = |uid: &str, lines: &str| {
        format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20230210T180000Z\r\n{lines}")
    };
    let ics = bare(&[
        ev("weeks", "DURATION:P99999999W\r\n"),
        ev("overflow", "DURATION:P99999999999999999W\r\n"),
        ev("sum", "DURATION:P10675199DT10675199D\r\n"),
        ev("far-end", "DTEND:99991231T000000Z\r\n"),
        "UID:signed-year\r\nSUMMARY:s\r\nDTSTART:+2620000101T000000Z\r\n".to_string(),
        "UID:repeat\r\nSUMMARY:r\r\nDTSTART:99991230T000000Z\r\nDURATION:P3D\r\nRRULE:FREQ=DAILY\r\n"
            .to_string(),
        ev("ok", "DURATION:PT2H\r\n"),
    ]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    let uids: Vec<String> = starts(&p).into_iter().map(|(u, _)| u).collect();
    assert_eq!(uids, ["ok"]);
    for uid in ["weeks", "overflow", "sum", "far-end", "signed-year"] {
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains(&format!("UID {uid} "))),
            "{uid}: {:?}",
            p.warnings
        );
    }
    // The end of time, as a window: no overflow either.
    let window = Window {
        from: NaiveDate::MAX,
        to: NaiveDate::MAX,
    };
    assert!(parse(&ics, "u", "x", &window).is_ok());
    let window = Window {
        from: NaiveDate::MIN,
        to: NaiveDate::MIN,
    };
    assert!(parse(&ics, "u", "x", &window).is_ok());
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
        )
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

#[test]
fn durations() {
    assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
    assert_eq!(parse_duration("P1W"), Some(Duration::days(7)));
    assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
    assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
    assert_eq!(parse_duration("P"), None);
    assert_eq!(parse_duration("PT5"), None);
    assert_eq!(parse_duration("1H"), None);
    assert_eq!(parse_duration("P99999999999999999W"), None);
    assert_eq!(parse_duration("P10675199DT10675199D"), None);
    assert_eq!(parse_duration("+P1D"), Some(Duration::days(1)));
}
