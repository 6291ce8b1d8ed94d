//! Issue 10, the shape of the work (not its time: timings are in `BENCHMARKS.md`): event
//! pages are fetched while other sources are still being read (no phase barrier), yet a page a
//! page source reads is not fetched again and a page two feeds link is fetched once; and
//! `--per-host` reaches the live fetcher.

use crate::common;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use clap::Parser;
use tokio::sync::Notify;
use twir_events::config::Config;
use twir_events::fetch::{Fetch, FetchFuture};
use twir_events::pipeline;

use common::{MapFetcher, window};

const CAL: &str =
    "https://calendar.google.com/calendar/ical/test%40group.calendar.google.com/public/basic.ics";
const MANCHESTER: &str = "https://www.meetup.com/rust-manchester/events/315891530/";
const BERLIN: &str = "https://www.meetup.com/rust-berlin/";
const BERLIN_PAGE: &str = "https://www.meetup.com/rust-berlin/events/";

const ENTRY: &str = "BEGIN:VEVENT\r\nDTSTART:20260826T170000Z\r\nDTEND:20260826T200000Z\r\nDTSTAMP:20260819T090000Z\r\nUID:abcdefghijklmnopqrstuvwxyz@google.com\r\nDESCRIPTION:Talks! https://www.meetup.com/rust-manchester/events/315891530/\r\nLOCATION:Manchester\\, UK\r\nSTATUS:CONFIRMED\r\nSUMMARY:Rust Manchester: August talks\r\nEND:VEVENT";

fn calendar(name: &str) -> Vec<u8> {
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nX-WR-CALNAME:{name}\r\nX-WR-TIMEZONE:UTC\r\n{ENTRY}\r\nEND:VCALENDAR\r\n"
    )
    .into_bytes()
}

/// A page fixture (`tests/fixtures/pages/NAME`).
fn fixture(name: &str) -> Vec<u8> {
    common::fixture(&format!("pages/{name}"))
}

/// A [`MapFetcher`] that counts requests per URL, and can hold one URL's answer back until
/// another URL has been requested (`gate`: held URL → URL it waits for), or for a while.
struct Staged {
    map: MapFetcher,
    asked: Mutex<Vec<String>>,
    asked_changed: Notify,
    gate: Option<(String, String)>,
    slow: Option<(String, Duration)>,
}

impl Staged {
    fn new(map: HashMap<String, Vec<u8>>) -> Staged {
        Staged {
            map: MapFetcher(map),
            asked: Mutex::new(Vec::new()),
            asked_changed: Notify::new(),
            gate: None,
            slow: None,
        }
    }

    fn count(&self, url: &str) -> usize {
        self.asked
            .lock()
            .unwrap()
            .iter()
            .filter(|u| *u == url)
            .count()
    }
}

impl Fetch for Staged {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            self.asked.lock().unwrap().push(url.to_string());
            self.asked_changed.notify_waiters();
            if let Some((held, until)) = &self.gate
                && held == url
            {
                loop {
                    let notified = self.asked_changed.notified();
                    if self.count(until) > 0 {
                        break;
                    }
                    notified.await;
                }
            }
            if let Some((slow, by)) = &self.slow
                && slow == url
            {
                tokio::time::sleep(*by).await;
            }
            self.map.fetch(url).await
        })
    }
}

fn run(config: &Config, fetcher: &Staged) -> pipeline::Outcome {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(
                Duration::from_secs(20),
                pipeline::run(config, fetcher, &window()),
            )
            .await
            .expect("the run waited for something that never came (a phase barrier?)")
        })
}

fn config(extra: &str) -> Config {
    Config::parse(
        &format!("[[source]]\nkind = \"ical\"\nurl = \"{CAL}\"\nname = \"Calendar\"\n{extra}"),
        "test.toml",
    )
    .unwrap()
}

#[test]
fn an_event_page_is_fetched_while_another_group_s_page_is_still_coming() {
    // The Berlin group page answers only once the calendar's Manchester page has been asked
    // for: with verification waiting for every source, this run could never finish.
    let mut fetcher = Staged::new(HashMap::from([
        (CAL.to_string(), calendar("Rust Community")),
        (
            MANCHESTER.to_string(),
            fixture("meetup-event-rust-manchester.html"),
        ),
        (
            BERLIN_PAGE.to_string(),
            fixture("meetup-group-rust-berlin.html"),
        ),
    ]));
    fetcher.gate = Some((BERLIN_PAGE.to_string(), MANCHESTER.to_string()));
    let out = run(
        &config(&format!(
            "[[source]]\nkind = \"meetup\"\nurl = \"{BERLIN}\"\n"
        )),
        &fetcher,
    );
    assert_eq!(out.failed_sources(), 0, "{:?}", out.reports);
    let manchester: Vec<_> = out.events.iter().filter(|e| e.url == MANCHESTER).collect();
    assert_eq!(manchester.len(), 1, "{:?}", out.events);
    assert!(manchester[0].from_page, "verified against its page");
    assert_eq!(manchester[0].start_date.to_string(), "2026-08-27");
    assert!(out.events.iter().any(|e| e.url.contains("rust-berlin")));
}

#[test]
fn a_page_a_slower_page_source_reads_is_not_fetched_again() {
    // The event page is itself a source, slower than the calendar: verification waits for it
    // (same host) instead of fetching the page a second time.
    let mut fetcher = Staged::new(HashMap::from([
        (CAL.to_string(), calendar("Rust Community")),
        (
            MANCHESTER.to_string(),
            fixture("meetup-event-rust-manchester.html"),
        ),
    ]));
    fetcher.slow = Some((MANCHESTER.to_string(), Duration::from_millis(200)));
    let out = run(
        &config(&format!(
            "[[source]]\nkind = \"jsonld\"\nurl = \"{MANCHESTER}\"\nname = \"Rust Manchester\"\n"
        )),
        &fetcher,
    );
    assert_eq!(fetcher.count(MANCHESTER), 1, "{:?}", fetcher.asked);
    assert_eq!(out.failed_sources(), 0, "{:?}", out.reports);
    assert!(out.unverified.is_empty(), "{:?}", out.unverified);
    let manchester: Vec<_> = out.events.iter().filter(|e| e.url == MANCHESTER).collect();
    assert_eq!(manchester.len(), 1, "{:?}", out.events);
    assert_eq!(manchester[0].start_date.to_string(), "2026-08-27");
}

#[test]
fn a_page_two_feeds_link_is_fetched_once() {
    let own = "https://example.org/manchester.ics";
    let fetcher = Staged::new(HashMap::from([
        (CAL.to_string(), calendar("Rust Community")),
        (own.to_string(), calendar("Rust Manchester")),
        (
            MANCHESTER.to_string(),
            fixture("meetup-event-rust-manchester.html"),
        ),
    ]));
    let out = run(
        &config(&format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{own}\"\norganizer = \"https://www.meetup.com/rust-manchester/\"\n"
        )),
        &fetcher,
    );
    assert_eq!(fetcher.count(MANCHESTER), 1, "{:?}", fetcher.asked);
    assert!(out.unverified.is_empty(), "{:?}", out.unverified);
    // Both entries took the page's date and were merged into one.
    assert_eq!(out.events.len(), 1, "{:?}", out.events);
    assert_eq!(out.events[0].start_date.to_string(), "2026-08-27");
}

#[test]
fn the_order_work_completes_in_does_not_change_the_outcome() {
    // The calendar slow, then the organizer's feed slow: the same events, corrections and
    // unverified entries either way (page sources first, then organizers' feeds, then the
    // community calendar, whatever finished first).
    let own = "https://example.org/manchester.ics";
    let outcome = |slow: &str| {
        let mut fetcher = Staged::new(HashMap::from([
            (CAL.to_string(), calendar("Rust Community")),
            (own.to_string(), calendar("Rust Manchester")),
            (
                MANCHESTER.to_string(),
                fixture("meetup-event-rust-manchester.html"),
            ),
            (
                BERLIN_PAGE.to_string(),
                fixture("meetup-group-rust-berlin.html"),
            ),
        ]));
        fetcher.slow = Some((slow.to_string(), Duration::from_millis(150)));
        let out = run(
            &config(&format!(
                "[[source]]\nkind = \"ical\"\nurl = \"{own}\"\norganizer = \"https://www.meetup.com/rust-manchester/\"\n[[source]]\nkind = \"meetup\"\nurl = \"{BERLIN}\"\n"
            )),
            &fetcher,
        );
        format!(
            "{:?}\n{:?}\n{:?}\n{:?}",
            out.events, out.corrections, out.unverified, out.merges
        )
    };
    let a = outcome(CAL);
    assert_eq!(a, outcome(own));
    assert_eq!(a, outcome(BERLIN_PAGE));
}

#[test]
fn per_host_reaches_the_live_fetcher() {
    let opts = |args: &[&str]| {
        let cli = twir_events::cli::Cli::try_parse_from(args).unwrap();
        twir_events::cli::live_options(&cli.common)
    };
    let default = opts(&["twir-events", "render"]);
    assert_eq!((default.per_host, default.concurrency), (4, 8));
    let two = opts(&["twir-events", "--per-host", "2", "render"]);
    assert_eq!((two.per_host, two.concurrency), (2, 8));
    // A per-host limit above the overall one raises it, or the option would do nothing.
    let many = opts(&["twir-events", "render", "--per-host", "16"]);
    assert_eq!((many.per_host, many.concurrency), (16, 16));
    for bad in ["0", "65", "x"] {
        assert!(
            twir_events::cli::Cli::try_parse_from(["twir-events", "--per-host", bad, "render"])
                .is_err(),
            "{bad}"
        );
    }
}
