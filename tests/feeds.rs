//! The sources editors used to add by hand, through the real pipeline with an in-memory
//! fetcher: a luma calendar (page → `cal-…` id → ICS with its whole history), the page's own
//! list when the feed fails, an organizer's own iCal feed, and a meetup group whose page holds
//! no data read through its iCal feed. Feeds look as `formats.md` §5 records them.

use crate::common;
use common::{MapFetcher, fixture, root, window};

use std::collections::HashMap;
use twir_events::config::Config;
use twir_events::model::{Attendance, Window};
use twir_events::pipeline;

const CAL: &str =
    "https://calendar.google.com/calendar/ical/test%40group.calendar.google.com/public/basic.ics";
const GIRONA: &str = "https://luma.com/rust-girona";
const GIRONA_FEED: &str = "https://api.lu.ma/ics/get?entity=calendar&id=cal-4x9bRz2TqLmN0aA";

fn run(config: &Config, fetcher: &MapFetcher) -> pipeline::Outcome {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(pipeline::run(config, fetcher, &window()))
}

fn lines(lines: &[String]) -> Vec<u8> {
    let mut text = lines.join("\r\n");
    text.push_str("\r\n");
    text.into_bytes()
}

/// A luma event as the calendar feed writes it (§5): UTC times, the link only in the
/// description, TENTATIVE, DTSTAMP and SEQUENCE that change with every request.
fn luma_vevent(
    id: usize,
    start: &str,
    end: &str,
    title: &str,
    slug: &str,
    location: &str,
    stamp: &str,
) -> Vec<String> {
    vec![
        "BEGIN:VEVENT".into(),
        format!("DTSTAMP:{stamp}"),
        format!("SEQUENCE:{}", &stamp[9..13]),
        format!("UID:evt-{id:015}@events.lu.ma"),
        format!("DTSTART:{start}"),
        format!("DTEND:{end}"),
        format!("SUMMARY:{title}"),
        format!(
            "DESCRIPTION:Get up-to-date information at: https://luma.com/{slug}\\n\\nHosted by Rust Girona"
        ),
        format!("LOCATION:{location}"),
        "STATUS:TENTATIVE".into(),
        "END:VEVENT".into(),
    ]
}

/// The Rust Girona calendar's feed: 150 past events since 2023, then two in the window (one
/// online, whose LOCATION is its luma page; one at the science park).
fn girona_feed(stamp: &str) -> Vec<u8> {
    let mut l: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Luma//Calendar//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Rust Girona",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let first = chrono::NaiveDate::from_ymd_opt(2023, 1, 12).unwrap();
    for n in 0..150 {
        let day = first + chrono::Days::new(7 * n);
        let d = day.format("%Y%m%d");
        l.extend(luma_vevent(
            usize::try_from(n).unwrap(),
            &format!("{d}T170000Z"),
            &format!("{d}T190000Z"),
            &format!("Sessió {n}"),
            &format!("past{n:04}"),
            "https://luma.com/event/evt-x",
            stamp,
        ));
    }
    l.extend(luma_vevent(
        900,
        "20260827T223000Z",
        "20260828T000000Z",
        "Sessió setmanal de codificació / Weekly coding session",
        "1bm27cah",
        "https://luma.com/1bm27cah",
        stamp,
    ));
    l.extend(luma_vevent(
        901,
        "20260910T163000Z",
        "20260910T190000Z",
        "Rust Girona Hack & Learn 09 2026",
        "hl092026",
        "Parc Científic i Tecnològic de la UdG\\, Girona\\, Spain",
        stamp,
    ));
    l.push("END:VCALENDAR".into());
    lines(&l)
}

/// The community calendar, listing the online session too (through Google's link wrapper).
fn community_calendar() -> Vec<u8> {
    lines(&[
        "BEGIN:VCALENDAR".into(),
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN".into(),
        "VERSION:2.0".into(),
        "X-WR-CALNAME:Rust Community".into(),
        "X-WR-TIMEZONE:UTC".into(),
        "BEGIN:VEVENT".into(),
        "DTSTART:20260827T223000Z".into(),
        "DTEND:20260828T000000Z".into(),
        "DTSTAMP:20260819T090000Z".into(),
        "UID:0a1b2c3d4e5f6g7h8i9j0k1l2m@google.com".into(),
        "DESCRIPTION:<a href=\"https://www.google.com/url?q=https://luma.com/1bm27cah&amp\\;sa=D&amp\\;source=calendar\">https://luma.com/1bm27cah</a>".into(),
        "LOCATION:".into(),
        "STATUS:CONFIRMED".into(),
        "SUMMARY:Rust Girona: Weekly coding session".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ])
}

fn girona_config() -> Config {
    Config::parse(
        &format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{CAL}\"\nname = \"Rust Community Calendar\"\n\n\
             [[source]]\nkind = \"luma\"\nurl = \"{GIRONA}\"\nhome = \"Girona, ES\"\n"
        ),
        "test.toml",
    )
    .unwrap()
}

#[test]
fn a_luma_calendar_is_read_through_its_feed_and_its_event_listed_once() {
    let fetcher = MapFetcher(HashMap::from([
        (CAL.to_string(), community_calendar()),
        (GIRONA.to_string(), fixture("pages/luma-calendar.html")),
        (GIRONA_FEED.to_string(), girona_feed("20260819T090000Z")),
    ]));
    let out = run(&girona_config(), &fetcher);
    let luma = out.reports.iter().find(|r| r.url == GIRONA).unwrap();
    assert!(luma.trusted() && luma.fallback.is_none(), "{luma:?}");
    // The history is not carried: only what is near the window.
    assert_eq!(luma.events, 2, "{luma:?}");

    let online: Vec<_> = out
        .events
        .iter()
        .filter(|e| e.url.contains("1bm27cah"))
        .collect();
    assert_eq!(online.len(), 1, "listed once: {:#?}", out.events);
    let e = online[0];
    // The calendar's name, not the title; its home gives the zone: 22:30 UTC is past midnight
    // in Girona.
    assert_eq!(e.organizer.name, "Rust Girona");
    assert_eq!(e.organizer.url.as_deref(), Some(GIRONA));
    assert_eq!(e.start_date.to_string(), "2026-08-28");
    assert_eq!(e.attendance, Attendance::Virtual);
    assert_eq!(e.shown_place().unwrap().to_string(), "Girona, ES");
    // The feed's DTEND (00:00 UTC), in Girona's zone like the start.
    assert_eq!(
        e.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-08-28T02:00:00+02:00")
    );

    let park = out
        .events
        .iter()
        .find(|e| e.url.contains("hl092026"))
        .expect("the in-person event");
    assert_eq!(park.attendance, Attendance::InPerson);
    assert_eq!(park.start_date.to_string(), "2026-09-10");
    assert_eq!(park.start.unwrap().format("%H:%M").to_string(), "18:30");
    assert_eq!(
        park.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-09-10T21:00:00+02:00")
    );
    assert_eq!(out.events.len(), 2, "{:#?}", out.events);
}

#[test]
fn dtstamp_and_sequence_churn_changes_nothing() {
    let run_with = |stamp: &str| {
        let fetcher = MapFetcher(HashMap::from([
            (GIRONA.to_string(), fixture("pages/luma-calendar.html")),
            (GIRONA_FEED.to_string(), girona_feed(stamp)),
        ]));
        run(&girona_config(), &fetcher).events
    };
    let a = run_with("20260819T090000Z");
    let b = run_with("20260819T090112Z");
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn a_luma_calendar_whose_feed_fails_is_read_from_its_page() {
    // No feed recorded: it answers 404.
    let fetcher = MapFetcher(HashMap::from([(
        GIRONA.to_string(),
        fixture("pages/luma-calendar.html"),
    )]));
    let out = run(&girona_config(), &fetcher);
    let luma = out.reports.iter().find(|r| r.url == GIRONA).unwrap();
    assert!(luma.failure().is_none(), "{luma:?}");
    let why = luma.fallback.as_deref().expect("the fallback is reported");
    assert!(why.contains(GIRONA_FEED) && why.contains("404"), "{why}");
    assert!(
        out.events
            .iter()
            .any(|e| e.url.contains("1bm27cah") && e.organizer.name == "Rust Girona"),
        "{:#?}",
        out.events
    );
}

/// Answers `status` for `url`, else as the map does.
struct Failing {
    url: &'static str,
    status: u16,
    map: MapFetcher,
}

impl twir_events::fetch::Fetch for Failing {
    fn fetch<'a>(&'a self, url: &'a str) -> twir_events::fetch::FetchFuture<'a> {
        if url == self.url {
            let status = self.status;
            return Box::pin(async move {
                Err(twir_events::fetch::FetchError::Status {
                    url: url.to_string(),
                    status,
                })
            });
        }
        self.map.fetch(url)
    }
}

#[test]
fn a_luma_calendar_whose_page_cannot_be_fetched_says_so_not_that_it_has_no_id() {
    // The page answers 500 (or 404: nothing recorded): never received, so nothing is said of
    // a calendar id it would hold; the page's error is the failure.
    for status in [500, 404] {
        let fetcher = Failing {
            url: GIRONA,
            status,
            map: MapFetcher(HashMap::new()),
        };
        let out = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(pipeline::run(&girona_config(), &fetcher, &window()));
        let luma = out.reports.iter().find(|r| r.url == GIRONA).unwrap();
        let e = luma.failure().unwrap().to_string();
        assert_eq!(
            e,
            format!(
                "the calendar's page could not be fetched: {GIRONA}: HTTP status {status} (its \
                 feed is found through the page's calendar id, cal-…, so nothing could be read)"
            )
        );
        assert!(!e.contains("no calendar id"), "{e}");
        assert_eq!(luma.http_status(), Some(status));
    }
}

#[test]
fn a_luma_page_received_without_a_calendar_id_says_so() {
    let page = b"<html><head><title>Rust Girona</title></head><body>Not found</body></html>";
    let fetcher = MapFetcher(HashMap::from([(GIRONA.to_string(), page.to_vec())]));
    let out = run(&girona_config(), &fetcher);
    let luma = out.reports.iter().find(|r| r.url == GIRONA).unwrap();
    let e = luma.failure().unwrap().to_string();
    assert!(
        e.starts_with(&format!(
            "{GIRONA}: no calendar id (cal-…) on the page, so its feed cannot be found"
        )),
        "{e}"
    );
    assert!(!e.contains("could not be fetched"), "{e}");
}

#[test]
fn an_organizer_s_own_feed_prints_that_organizer_and_its_home() {
    let feed = "https://rustconf.example/schedule.ics";
    let config = Config::parse(
        &format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{feed}\"\nname = \"RustConf\"\nhome = \"Seattle, WA, US\"\norganizer = \"https://rustconf.com/\"\n"
        ),
        "test.toml",
    )
    .unwrap();
    let body = lines(&[
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//pretalx//rustconf//EN".into(),
        "X-WR-CALNAME:RustConf 2026 schedule".into(),
        "BEGIN:VEVENT".into(),
        "UID:talk-1@rustconf".into(),
        "DTSTAMP:20260801T000000Z".into(),
        "DTSTART:20260909T020000Z".into(),
        "DTEND:20260909T030000Z".into(),
        "SUMMARY:RustConf online watch party".into(),
        "URL:https://rustconf.com/watch-party".into(),
        "LOCATION:Online".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]);
    let out = run(
        &config,
        &MapFetcher(HashMap::from([(feed.to_string(), body)])),
    );
    assert_eq!(out.events.len(), 1, "{:?}", out.reports);
    let e = &out.events[0];
    assert_eq!(
        e.organizer.name, "RustConf",
        "the source's name, not the title"
    );
    assert_eq!(e.organizer.url.as_deref(), Some("https://rustconf.com/"));
    // 02:00 UTC on the 9th is the evening of the 8th in Seattle.
    assert_eq!(e.start_date.to_string(), "2026-09-08");
    assert_eq!(e.attendance, Attendance::Virtual);
    assert_eq!(e.shown_place().unwrap().to_string(), "Seattle, WA, US");
    assert!(
        !e.in_calendar,
        "an organizer's feed is not the community calendar"
    );
}

const MANCHESTER_GROUP: &str = "https://www.meetup.com/rust-manchester/";
const MANCHESTER_FEED: &str = "https://www.meetup.com/rust-manchester/events/ical/";
const MANCHESTER_EVENT: &str = "https://www.meetup.com/rust-manchester/events/315891530/";

/// A meetup group feed as served in 2026 (§5): at most 10 events, no LOCATION.
fn manchester_feed() -> Vec<u8> {
    let event = |id: &str, day: &str, title: &str| -> Vec<String> {
        vec![
            "BEGIN:VEVENT".into(),
            format!("DTSTAMP:20260819T090000Z"),
            format!("DTSTART;TZID=Europe/London:{day}T180000"),
            format!("DTEND;TZID=Europe/London:{day}T210000"),
            format!("STATUS:CONFIRMED"),
            format!("SUMMARY:{title}"),
            format!("DESCRIPTION:Rust Manchester\\n{title}"),
            format!("CLASS:PUBLIC"),
            format!("CREATED:20260701T120000Z"),
            format!("GEO:53.48;-2.24"),
            format!("URL;VALUE=URI:https://www.meetup.com/rust-manchester/events/{id}/"),
            format!("UID:event_{id}@meetup.com"),
            "END:VEVENT".into(),
        ]
    };
    let mut l: Vec<String> = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Meetup//Meetup Calendar 1.0//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-ORIGINAL-URL:https://www.meetup.com/rust-manchester/events/ical/",
        "X-WR-CALNAME:Events - Rust Manchester",
        "BEGIN:VTIMEZONE",
        "TZID:Europe/London",
        "TZURL:http://tzurl.org/zoneinfo-outlook/Europe/London",
        "X-LIC-LOCATION:Europe/London",
        "BEGIN:DAYLIGHT",
        "TZOFFSETFROM:+0000",
        "TZOFFSETTO:+0100",
        "TZNAME:BST",
        "DTSTART:19700329T010000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
        "END:DAYLIGHT",
        "BEGIN:STANDARD",
        "TZOFFSETFROM:+0100",
        "TZOFFSETTO:+0000",
        "TZNAME:GMT",
        "DTSTART:19701025T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
        "END:STANDARD",
        "END:VTIMEZONE",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    l.extend(event(
        "315891530",
        "20260827",
        "Rust Manchester: August talks",
    ));
    l.extend(event(
        "315999999",
        "20261001",
        "Rust Manchester: October talks",
    ));
    l.push("END:VCALENDAR".into());
    lines(&l)
}

#[test]
fn a_meetup_group_page_without_data_is_read_through_its_ical_feed() {
    let config = Config::parse(
        &format!("[[source]]\nkind = \"meetup\"\nurl = \"{MANCHESTER_GROUP}\"\n"),
        "test.toml",
    )
    .unwrap();
    let fetcher = MapFetcher(HashMap::from([
        (
            format!("{MANCHESTER_GROUP}events/"),
            fixture("pages/meetup-login-wall.html"),
        ),
        (MANCHESTER_FEED.to_string(), manchester_feed()),
        (
            MANCHESTER_EVENT.to_string(),
            fixture("pages/meetup-event-rust-manchester.html"),
        ),
    ]));
    let out = run(&config, &fetcher);
    let r = &out.reports[0];
    assert!(r.trusted(), "the feed carried it: {r:?}");
    let why = r
        .fallback
        .as_deref()
        .expect("the unreadable page is reported");
    assert!(
        why.contains("could not be read") && why.contains(MANCHESTER_FEED),
        "{why}"
    );
    assert_eq!(out.events.len(), 1, "{:#?}", out.events);
    let e = &out.events[0];
    assert_eq!(e.url, MANCHESTER_EVENT);
    assert_eq!(e.start_date.to_string(), "2026-08-27");
    // The place comes from the event page; the name from the organizer directory.
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Manchester, UK");
    assert_eq!(e.organizer.name, "Rust Manchester");
    assert!(e.from_page);

    // Without the event page, the feed's entry stands at the group's home.
    let fetcher = MapFetcher(HashMap::from([
        (
            format!("{MANCHESTER_GROUP}events/"),
            fixture("pages/meetup-login-wall.html"),
        ),
        (MANCHESTER_FEED.to_string(), manchester_feed()),
    ]));
    let out = run(&config, &fetcher);
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].attendance, Attendance::InPerson);
    assert_eq!(
        out.events[0].shown_place().unwrap().to_string(),
        "Manchester, UK"
    );
    // The group feed's DTEND;TZID=Europe/London:20260827T210000.
    assert_eq!(
        out.events[0].end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-08-27T21:00:00+01:00")
    );
    assert_eq!(out.unverified.len(), 1, "{:?}", out.unverified);

    // Neither page nor feed: suspect, both reasons given.
    let fetcher = MapFetcher(HashMap::from([(
        format!("{MANCHESTER_GROUP}events/"),
        fixture("pages/meetup-login-wall.html"),
    )]));
    let out = run(&config, &fetcher);
    let s = out.reports[0].suspect().unwrap().to_string();
    assert!(
        s.contains("without any event data") && s.contains("404"),
        "{s}"
    );
}

#[test]
fn a_recorded_feed_fetched_again_a_minute_later_gives_the_same_events() {
    // The same luma calendar recorded twice: every DTSTAMP and SEQUENCE differs.
    let page = "https://luma.com/rust-girona";
    let feed = "https://api.lu.ma/ics/get?entity=calendar&id=cal-GiR8kq2Xw4Lm7Tz";
    let config = Config::parse(
        &format!("[[source]]\nkind = \"luma\"\nurl = \"{page}\"\nname = \"Rust Girona\"\nhome = \"Girona, ES\"\n"),
        "test.toml",
    )
    .unwrap();
    let window = Window {
        from: "2026-09-16".parse().unwrap(),
        to: "2026-10-14".parse().unwrap(),
    };
    let run_with = |recording: &str| {
        let fetcher = MapFetcher(HashMap::from([
            (
                page.to_string(),
                std::fs::read(
                    root().join("snapshots/2026-09-16/responses/luma.com/rust-girona.html"),
                )
                .unwrap(),
            ),
            (feed.to_string(), fixture(&format!("luma/{recording}"))),
        ]));
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(pipeline::run(&config, &fetcher, &window))
    };
    let (a, b) = (
        run_with("rust-girona-0900.ics"),
        run_with("rust-girona-0901.ics"),
    );
    assert_eq!(a.events.len(), 2, "{:?}", a.reports);
    assert_eq!(a.events, b.events);
    let doc = |o: &pipeline::Outcome| {
        twir_events::render::json::document(o, &window, "2026-09-16T09:00:00+00:00")
    };
    assert!(twir_events::render::json::same_content(&doc(&a), &doc(&b)));
}

/// A calendar entry of a group without a meetup page, as Google writes it: the description
/// names the organizer on its first line and links the ticket page through Google's wrapper.
/// The section prints that name, unlinked (no page of its own is known), never the title linked
/// to eventbrite's home page.
#[test]
fn a_ticketed_calendar_entry_prints_the_organizer_its_description_names() {
    let feed = lines(&[
        "BEGIN:VCALENDAR".into(),
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN".into(),
        "VERSION:2.0".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "X-WR-CALNAME:Rust Community".into(),
        "X-WR-TIMEZONE:UTC".into(),
        "X-WR-CALDESC:".into(),
        "BEGIN:VEVENT".into(),
        "DTSTART:20260905T110000Z".into(),
        "DTEND:20260905T130000Z".into(),
        "DTSTAMP:20260819T090000Z".into(),
        "UID:7q2kd9s0v1m3n5b7c9x1z3a5s7@google.com".into(),
        "CREATED:20260801T120000Z".into(),
        "DESCRIPTION:Rust Circle<br><a href=\"https://www.google.com/url?q=https://www.e".into(),
        " ventbrite.com/e/rust-circle-meetup-tickets-998877665544&amp\\;sa=D&amp\\;sourc".into(),
        " e=calendar&amp\\;usd=2&amp\\;usg=AOvVaw3x\" target=\"_blank\">https://www.eventb".into(),
        " rite.com/e/rust-circle-meetup-tickets-998877665544</a>".into(),
        "LAST-MODIFIED:20260801T120000Z".into(),
        "LOCATION:Online".into(),
        "SEQUENCE:0".into(),
        "STATUS:CONFIRMED".into(),
        "SUMMARY:Rust Circle Meetup".into(),
        "TRANSP:OPAQUE".into(),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]);
    let config = Config::parse(
        &format!("[[source]]\nkind = \"ical\"\nurl = \"{CAL}\"\nname = \"Calendar\"\n"),
        "t.toml",
    )
    .unwrap();
    // Not a ticket page the published corpus links (its directory would name that one).
    let fetcher = MapFetcher(HashMap::from([(CAL.to_string(), feed)]));
    let outcome = run(&config, &fetcher);
    let block = twir_events::newsletter::write::render(&outcome.events, &window());
    assert!(
        block.contains(
            "| Rust Circle\n    * [**Rust Circle Meetup**](https://www.eventbrite.com/e/rust-circle-meetup-tickets-998877665544)"
        ),
        "{block}"
    );
    assert!(!block.contains("(https://www.eventbrite.com/)"), "{block}");
}
