//! The iCalendar reader's unit tests, by concern: `reading` (the document, values, zones),
//! `series` (recurrence: overrides, exclusions, split series, all-day), `bounds` (runaway
//! rules, the feed's budget, hostile input, expansion started near the window), `zones`
//! (VTIMEZONE rules, Windows names). Here: the
//! fixtures they share.

mod bounds;
mod reading;
mod series;
mod zones;

use super::*;
use crate::model::When;
use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;

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
fn feed(events: &[impl AsRef<str>]) -> String {
    let mut doc = HEADER.to_string();
    for e in events {
        doc.push_str(e.as_ref().trim_start_matches('\n'));
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

/// One VEVENT as Google Calendar exports it: the lines a test is about (`times`: DTSTART,
/// DTEND, RRULE, EXDATE, RDATE, RECURRENCE-ID), then Google's other properties in Google's
/// order, with Google's stamps (DTSTAMP, CREATED, LAST-MODIFIED, TRANSP), which the reader
/// does not use.
#[derive(Clone, Copy)]
struct Google<'a> {
    times: &'a [&'a str],
    uid: &'a str,
    summary: &'a str,
    description: &'a str,
    location: &'a str,
    sequence: u32,
    status: &'a str,
}

impl Default for Google<'_> {
    fn default() -> Self {
        Google {
            times: &[],
            uid: "",
            summary: "",
            description: "",
            location: "",
            sequence: 0,
            status: "CONFIRMED",
        }
    }
}

impl Google<'_> {
    fn vevent(self) -> String {
        let Google {
            times,
            uid,
            summary,
            description,
            location,
            sequence,
            status,
        } = self;
        format!(
            "BEGIN:VEVENT\n{}\nDTSTAMP:20230104T120000Z\nUID:{uid}\nCREATED:20221101T100000Z\n\
             DESCRIPTION:{description}\nLAST-MODIFIED:20230201T100000Z\nLOCATION:{location}\n\
             SEQUENCE:{sequence}\nSTATUS:{status}\nSUMMARY:{summary}\nTRANSP:OPAQUE\nEND:VEVENT\n",
            times.join("\n")
        )
    }
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
