//! Verification of calendar entries against their event pages, through the real pipeline
//! with an in-memory fetcher: the page's date wins and is reported, a cancelled page removes
//! the event, an unreachable page keeps the calendar's data and is reported, and a series
//! whose instances all link one page lends the page's facts to the nearest instance only.

use crate::common;
use common::{MapFetcher, fixture, window};

use std::collections::HashMap;
use twir_events::config::Config;
use twir_events::pipeline;

const CAL: &str =
    "https://calendar.google.com/calendar/ical/test%40group.calendar.google.com/public/basic.ics";
const MANCHESTER: &str = "https://www.meetup.com/rust-manchester/events/315891530/";

/// A Google-style feed (CRLF, header order, UTC one-offs, a TZID series).
fn calendar(events: &[&str]) -> Vec<u8> {
    let mut lines = vec![
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Rust Community",
        "X-WR-TIMEZONE:UTC",
        "X-WR-CALDESC:",
    ];
    lines.extend_from_slice(events);
    lines.push("END:VCALENDAR");
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text.into_bytes()
}

fn config() -> Config {
    Config::parse(
        &format!("[[source]]\nkind = \"ical\"\nurl = \"{CAL}\"\nname = \"Calendar\"\n"),
        "test.toml",
    )
    .unwrap()
}

fn run(fetcher: &MapFetcher) -> pipeline::Outcome {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(pipeline::run(&config(), fetcher, &window()))
}

const ONE_OFF_WRONG_DATE: &str = "BEGIN:VEVENT\r\nDTSTART:20260826T170000Z\r\nDTEND:20260826T200000Z\r\nDTSTAMP:20260819T090000Z\r\nUID:abcdefghijklmnopqrstuvwxyz@google.com\r\nCREATED:20260801T100000Z\r\nDESCRIPTION:Talks! <a href=\"https://www.google.com/url?q=https://www.meetup.com/rust-manchester/events/315891530/&amp\\;sa=D&amp\\;source=calendar&amp\\;usd=2&amp\\;usg=AOvVaw1\">RSVP</a>\r\nLAST-MODIFIED:20260801T100000Z\r\nLOCATION:Manchester\\, UK\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust Manchester: August talks\r\nTRANSP:OPAQUE\r\nEND:VEVENT";

#[test]
fn page_date_wins_and_is_reported() {
    let fetcher = MapFetcher(HashMap::from([
        (CAL.to_string(), calendar(&[ONE_OFF_WRONG_DATE])),
        (
            MANCHESTER.to_string(),
            fixture("pages/meetup-event-rust-manchester.html"),
        ),
    ]));
    let out = run(&fetcher);
    assert_eq!(out.events.len(), 1, "{:?}", out.events);
    let e = &out.events[0];
    assert_eq!(e.start_date.to_string(), "2026-08-27");
    assert_eq!(e.title, "Rust Manchester August Talks");
    assert_eq!(e.url, MANCHESTER);
    assert!(e.from_page);
    assert!(
        out.corrections.iter().any(|c| c.field == "start"),
        "{:?}",
        out.corrections
    );
}

#[test]
fn unreachable_page_keeps_calendar_data_and_is_reported() {
    let fetcher = MapFetcher(HashMap::from([(
        CAL.to_string(),
        calendar(&[ONE_OFF_WRONG_DATE]),
    )]));
    let out = run(&fetcher);
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].start_date.to_string(), "2026-08-26");
    assert!(!out.events[0].from_page);
    assert_eq!(out.unverified.len(), 1, "{:?}", out.unverified);
    assert!(
        out.unverified[0].reason.contains("404"),
        "{}",
        out.unverified[0]
    );
    assert_eq!(out.failed_sources(), 0, "a page is not a source");
}

#[test]
fn cancelled_page_removes_the_event() {
    let page = String::from_utf8(fixture("pages/meetup-event-rust-manchester.html"))
        .unwrap()
        .replace("\"status\":\"ACTIVE\"", "\"status\":\"CANCELLED\"")
        .replace(
            "https://schema.org/EventScheduled",
            "https://schema.org/EventCancelled",
        );
    let fetcher = MapFetcher(HashMap::from([
        (CAL.to_string(), calendar(&[ONE_OFF_WRONG_DATE])),
        (MANCHESTER.to_string(), page.into_bytes()),
    ]));
    let out = run(&fetcher);
    assert!(out.events.is_empty(), "{:?}", out.events);
    assert!(
        out.dropped.iter().any(|l| l.reason.contains("cancelled")),
        "{:?}",
        out.dropped
    );
}

#[test]
fn series_linking_one_page_verifies_only_the_nearest_instance() {
    let series = "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:20260806T180000\r\nDTEND;TZID=Europe/London:20260806T210000\r\nRRULE:FREQ=WEEKLY;BYDAY=TH\r\nDTSTAMP:20260819T090000Z\r\nUID:zyxwvutsrqponmlkjihgfedcba@google.com\r\nCREATED:20260801T100000Z\r\nDESCRIPTION:Every Thursday: https://www.meetup.com/rust-manchester/events/315891530/\r\nLAST-MODIFIED:20260801T100000Z\r\nLOCATION:Manchester\\, UK\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust Manchester weekly\r\nTRANSP:OPAQUE\r\nEND:VEVENT";
    let fetcher = MapFetcher(HashMap::from([
        (CAL.to_string(), calendar(&[series])),
        (
            MANCHESTER.to_string(),
            fixture("pages/meetup-event-rust-manchester.html"),
        ),
    ]));
    let out = run(&fetcher);
    // Thursdays 08-20, 08-27, 09-03, 09-10 are in the window; 08-27 is the page's own date.
    let dates: Vec<String> = out
        .events
        .iter()
        .map(|e| e.start_date.to_string())
        .collect();
    assert_eq!(
        dates.len(),
        4,
        "no instance may collapse into another: {dates:?}"
    );
    let verified: Vec<_> = out.events.iter().filter(|e| e.from_page).collect();
    assert_eq!(verified.len(), 1);
    assert_eq!(verified[0].start_date.to_string(), "2026-08-27");
    // The other instances link the group, not another date's page.
    for e in out.events.iter().filter(|e| !e.from_page) {
        assert_eq!(e.url, "https://www.meetup.com/rust-manchester/events/");
    }
    // 08-20, 09-03, 09-10 (and 09-17, read for the window's margin) are reported.
    assert!(out.unverified.len() >= 3, "{:?}", out.unverified);
    assert!(
        out.unverified
            .iter()
            .any(|u| u.entry().contains("on 2026-09-03"))
    );
}
