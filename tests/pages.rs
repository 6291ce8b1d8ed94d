//! Page parsers against complete pages: meetup group and event pages (Next.js `__NEXT_DATA__`
//! with an Apollo cache, plus JSON-LD), luma event and calendar pages, a conference site, an
//! Eventbrite event page, a hasgeek page with a broken JSON-LD block, and pages that hold no
//! event data (login wall, new markup, error pages). The fixtures in `tests/fixtures/pages/`
//! are built to look like the real pages described in the project's notes on page formats.
//!
//! The last tests read the real newsletter corpus (`../shared/`) when it is present, to check
//! the URL helpers on every meetup and luma link the editors ever published.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use std::path::{Path, PathBuf};
use twir_events::model::{Attendance, Place, RawEvent, Status, When};
use twir_events::sources::page_util::{meetup_event_id, meetup_urlname};
use twir_events::sources::{Parsed, jsonld, meetup};

use crate::common::root;

fn fixture(name: &str) -> String {
    let path = root().join("tests/fixtures/pages").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn offset(s: &str) -> When {
    When::Offset(DateTime::parse_from_rfc3339(s).unwrap())
}

fn zoned(local: &str, tz: &str) -> When {
    When::Zoned(
        local.parse::<NaiveDateTime>().unwrap(),
        tz.parse::<Tz>().unwrap(),
    )
}

fn by_uid<'a>(p: &'a Parsed, uid: &str) -> &'a RawEvent {
    p.events
        .iter()
        .find(|e| e.uid.as_deref() == Some(uid))
        .unwrap_or_else(|| panic!("no event {uid} in {:#?}", p.events))
}

const BERLIN: &str = "https://www.meetup.com/rust-berlin/events/";

#[test]
fn meetup_group_page_reads_every_kind_of_event() {
    let p = meetup::parse_group_page(
        &fixture("meetup-group-rust-berlin.html"),
        BERLIN,
        "Rust Berlin",
    )
    .unwrap();
    let uids: Vec<&str> = p.events.iter().filter_map(|e| e.uid.as_deref()).collect();
    // Sorted by start; the partial entry 316244390 completed from JSON-LD; 316301577 (an id
    // only) skipped.
    assert_eq!(
        uids,
        [
            "meetup:316151073",
            "meetup:313345334",
            "meetup:315484101",
            "meetup:315691423",
            "meetup:315966137",
            "meetup:316244390",
        ]
    );
    assert_eq!(p.warnings.len(), 2, "{:#?}", p.warnings);
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("316301577") && w.contains("skipped"))
    );
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("316244390") && w.contains("JSON-LD"))
    );

    let berlin = Some(Place::new(Some("Berlin"), None, Some("DE")));
    let party = by_uid(&p, "meetup:316151073");
    assert_eq!(party.title, "Rust Summer Party!");
    assert_eq!(party.source, "Rust Berlin");
    assert_eq!(party.start, offset("2026-08-20T18:30:00+02:00"));
    assert_eq!(party.end, Some(offset("2026-08-20T22:00:00+02:00")));
    assert_eq!(party.attendance, Some(Attendance::InPerson));
    assert_eq!(party.place, berlin);
    assert_eq!(party.status, Status::Confirmed);
    assert_eq!(
        party.url.as_deref(),
        Some("https://www.meetup.com/rust-berlin/events/316151073/")
    );
    assert_eq!(party.links, vec![party.url.clone().unwrap()]);
    // Next.js escapes `&` and `<` in __NEXT_DATA__ as \u0026 and \u003c.
    let desc = party.description.as_deref().unwrap();
    assert!(desc.contains("laptop & good mood <3"), "{desc}");
    let org = party.organizer.as_ref().unwrap();
    assert_eq!(org.name, "Rust Berlin");
    assert_eq!(
        org.url.as_deref(),
        Some("https://www.meetup.com/rust-berlin/")
    );
    assert_eq!(org.home, berlin);

    let online = by_uid(&p, "meetup:313345334");
    assert_eq!(online.attendance, Some(Attendance::Virtual));
    assert_eq!(online.place, None, "the \"Online event\" venue is no place");

    let hybrid = by_uid(&p, "meetup:315484101");
    assert_eq!(hybrid.attendance, Some(Attendance::Hybrid));
    assert_eq!(hybrid.start, offset("2026-09-03T19:00:00+02:00"));
    assert_eq!(hybrid.place, berlin);

    // No eventType: isOnline decides.
    assert_eq!(
        by_uid(&p, "meetup:315691423").attendance,
        Some(Attendance::Virtual)
    );

    let cancelled = by_uid(&p, "meetup:315966137");
    assert_eq!(cancelled.status, Status::Cancelled);
    assert_eq!(cancelled.title, "Rust Berlin on location 🏳️‍🌈 - Edition 016");
    assert_eq!(
        cancelled.location.as_deref(),
        Some("Prenzlauer Berg Co-Working \"Rust & Tea\", Kastanienallee 12, Berlin")
    );

    let completed = by_uid(&p, "meetup:316244390");
    assert_eq!(completed.start, offset("2026-09-24T19:00:00+02:00"));
    assert_eq!(completed.attendance, Some(Attendance::Virtual));
    assert_eq!(completed.organizer.as_ref().unwrap().home, berlin);
}

#[test]
fn meetup_group_page_gb_venue_drops_postcode_state() {
    let origin = "https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/";
    let p =
        meetup::parse_group_page(&fixture("meetup-group-cardiff.html"), origin, "cardiff").unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    assert_eq!(p.events.len(), 2);
    let club = &p.events[0];
    assert_eq!(club.attendance, Some(Attendance::Virtual));
    assert_eq!(club.place, None);
    let home = club.organizer.as_ref().unwrap().home.as_ref().unwrap();
    assert_eq!(home.to_string(), "Cardiff, UK");
    let night = &p.events[1];
    assert_eq!(night.title, "Rust & C++ in person: Embedded Night");
    assert_eq!(night.start, offset("2026-09-09T18:30:00+01:00"));
    assert_eq!(
        night.place,
        Some(Place::new(Some("Cardiff"), None, Some("GB")))
    );
}

#[test]
fn meetup_group_page_without_upcoming_events_is_ok_and_empty() {
    let origin = "https://www.meetup.com/buffalo-rust-meetup/events/";
    let p = meetup::parse_group_page(&fixture("meetup-group-no-events.html"), origin, "b").unwrap();
    assert_eq!(p, Parsed::default());
}

#[test]
fn meetup_pages_without_data_are_errors_that_say_so() {
    for (name, title) in [
        ("meetup-group-app-router.html", "Events | Rust Berlin"),
        ("meetup-login-wall.html", "Login to Meetup | Meetup"),
        ("error-502.html", "502 Bad Gateway"),
    ] {
        let e = meetup::parse_group_page(&fixture(name), BERLIN, "Rust Berlin").unwrap_err();
        assert_eq!(e.origin, BERLIN);
        assert!(e.message.contains("format may have changed"), "{name}: {e}");
        assert!(e.message.contains(title), "{name}: {e}");
        assert!(e.message.contains("no __NEXT_DATA__"), "{name}: {e}");
        let e = meetup::parse_event_page(&fixture(name), BERLIN, "Rust Berlin").unwrap_err();
        assert!(e.message.contains("format may have changed"), "{name}: {e}");
    }
}

const MANCHESTER: &str = "https://www.meetup.com/rust-manchester/events/315891530/";

#[test]
fn meetup_event_page() {
    let p = meetup::parse_event_page(
        &fixture("meetup-event-rust-manchester.html"),
        MANCHESTER,
        "m",
    )
    .unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    assert_eq!(e.title, "Rust Manchester August Talks");
    assert_eq!(e.uid.as_deref(), Some("meetup:315891530"));
    assert_eq!(e.start, offset("2026-08-27T18:00:00+01:00"));
    assert_eq!(e.end, Some(offset("2026-08-27T21:00:00+01:00")));
    assert_eq!(e.attendance, Some(Attendance::InPerson));
    assert_eq!(
        e.place,
        Some(Place::new(Some("Manchester"), None, Some("GB")))
    );
    assert_eq!(e.status, Status::Confirmed);
    assert!(e.description.as_deref().unwrap().contains("Pizza & drinks"));
    let org = e.organizer.as_ref().unwrap();
    assert_eq!(org.name, "Rust Manchester");
    assert_eq!(
        org.url.as_deref(),
        Some("https://www.meetup.com/rust-manchester/")
    );
}

#[test]
fn meetup_event_page_falls_back_to_json_ld() {
    let html = fixture("meetup-event-rust-manchester.html");
    let start = html.find("<script id=\"__NEXT_DATA__\"").unwrap();
    let end = start + html[start..].find("</script>").unwrap() + "</script>".len();
    let html = format!("{}{}", &html[..start], &html[end..]);
    let p = meetup::parse_event_page(&html, MANCHESTER, "m").unwrap();
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    assert_eq!(e.uid.as_deref(), Some("meetup:315891530"));
    assert_eq!(e.start, offset("2026-08-27T18:00:00+01:00"));
    assert_eq!(e.end, Some(offset("2026-08-27T21:00:00+01:00")), "endDate");
    assert_eq!(e.attendance, Some(Attendance::InPerson));
    // The JSON-LD addressRegion "M1" is a postcode part too: dropped for GB.
    assert_eq!(
        e.place,
        Some(Place::new(Some("Manchester"), None, Some("GB")))
    );
    assert_eq!(e.organizer.as_ref().unwrap().name, "Rust Manchester");
    // Parsing the group page parser on the same page finds the same event.
    let g = meetup::parse_group_page(&html, MANCHESTER, "m").unwrap();
    assert_eq!(g.events.len(), 1);
    assert_eq!(g.events[0].uid, e.uid);
}

#[test]
fn luma_event_page_with_json_ld() {
    let p = jsonld::parse_page(
        &fixture("luma-event-jsonld.html"),
        "https://lu.ma/kutyzh9s",
        "girona",
    )
    .unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    assert_eq!(e.title, "Rust Girona Hack & Learn 02 2025");
    assert_eq!(e.url.as_deref(), Some("https://lu.ma/kutyzh9s"));
    assert_eq!(e.uid.as_deref(), Some("luma:kutyzh9s"));
    assert_eq!(e.start, offset("2025-02-05T18:30:00+01:00"));
    assert_eq!(e.end, Some(offset("2025-02-05T20:30:00+01:00")), "endDate");
    assert_eq!(e.attendance, Some(Attendance::InPerson));
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Girona, ES");
    let org = e.organizer.as_ref().unwrap();
    assert_eq!(org.name, "Rust Girona");
    assert_eq!(org.url.as_deref(), Some("https://lu.ma/rust-girona"));
}

#[test]
fn luma_event_page_with_only_next_data() {
    let p = jsonld::parse_page(
        &fixture("luma-event-nextdata.html"),
        "https://luma.com/nwfmsdtf",
        "maven",
    )
    .unwrap();
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    assert_eq!(
        e.title,
        "Workshop: Add tests to an open source Rust project"
    );
    // 15:00 UTC is 18:00 in Jerusalem (IDT, +03:00) on 2026-08-31.
    assert_eq!(e.start, zoned("2026-08-31T18:00:00", "Asia/Jerusalem"));
    assert_eq!(e.end, Some(zoned("2026-08-31T20:00:00", "Asia/Jerusalem")));
    assert_eq!(e.attendance, Some(Attendance::Virtual));
    assert_eq!(e.place, None);
    assert_eq!(e.url.as_deref(), Some("https://luma.com/nwfmsdtf"));
    let org = e.organizer.as_ref().unwrap();
    assert_eq!(org.name, "Rust 🦀 Maven");
    assert_eq!(org.url.as_deref(), Some("https://luma.com/rust-maven"));
}

#[test]
fn luma_calendar_page_lists_each_event_once() {
    let p = jsonld::parse_page(
        &fixture("luma-calendar.html"),
        "https://luma.com/rust-girona",
        "girona",
    )
    .unwrap();
    let urls: Vec<&str> = p.events.iter().filter_map(|e| e.url.as_deref()).collect();
    assert_eq!(
        urls,
        [
            "https://luma.com/1bm27cah",
            "https://luma.com/arkkrcj5",
            "https://luma.com/sqf4ux01",
            "https://luma.com/pypwr0m7"
        ]
    );
    assert_eq!(
        p.events[0].start,
        zoned("2026-08-21T18:00:00", "Europe/Madrid")
    );
    assert_eq!(
        p.events[2].start,
        zoned("2026-09-04T18:00:00", "Europe/Madrid")
    );
    // `end_at` in UTC, read in the event's zone.
    assert_eq!(
        p.events[0].end,
        Some(zoned("2026-08-21T20:00:00", "Europe/Madrid"))
    );
    assert!(
        p.events[..3]
            .iter()
            .all(|e| e.attendance == Some(Attendance::Virtual))
    );
    let meetup = &p.events[3];
    assert_eq!(meetup.attendance, Some(Attendance::InPerson));
    assert_eq!(meetup.place.as_ref().unwrap().to_string(), "Girona, ES");
    assert!(
        p.events
            .iter()
            .all(|e| e.organizer.as_ref().unwrap().url.as_deref()
                == Some("https://luma.com/rust-girona"))
    );
}

#[test]
fn conference_site_date_only_multi_day_event() {
    let p = jsonld::parse_page(
        &fixture("conference-rustconf.html"),
        "https://rustconf.com/",
        "RustConf",
    )
    .unwrap();
    assert!(p.warnings.is_empty(), "{:?}", p.warnings);
    // The subEvent (workshops day) is not a separate event.
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    assert_eq!(e.title, "RustConf 2026");
    assert_eq!(e.start, When::Date(d("2026-09-08")));
    assert_eq!(e.end, Some(When::Date(d("2026-09-12"))), "exclusive end");
    assert_eq!(e.attendance, Some(Attendance::Hybrid));
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Montréal, QC, CA");
    assert_eq!(e.url.as_deref(), Some("https://rustconf.com/"));
    assert_eq!(e.organizer.as_ref().unwrap().name, "Rust Foundation");
}

#[test]
fn eventbrite_page_place_and_virtual_location_is_hybrid() {
    let origin =
        "https://www.eventbrite.fr/e/rust-meetup-in-paris-hosted-by-stockly-tickets-444152621447";
    let p = jsonld::parse_page(&fixture("eventbrite-event.html"), origin, "Stockly").unwrap();
    let [e] = p.events.as_slice() else {
        panic!("{:#?}", p.events)
    };
    assert_eq!(e.title, "Rust Meetup in Paris - hosted by Stockly");
    assert_eq!(
        e.url.as_deref(),
        Some(
            "https://www.eventbrite.fr/e/rust-meetup-in-paris-hosted-by-stockly-tickets-444152621447?aff=ebdssbdestsearch"
        )
    );
    assert_eq!(e.start, offset("2022-11-16T19:00:00+01:00"));
    assert_eq!(e.end, Some(offset("2022-11-16T22:00:00+01:00")), "endDate");
    assert_eq!(e.attendance, Some(Attendance::Hybrid));
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Paris, FR");
    assert_eq!(
        e.conference.as_deref(),
        Some("https://www.youtube.com/@stockly/live")
    );
    let org = e.organizer.as_ref().unwrap();
    assert_eq!(org.name, "Stockly");
    assert_eq!(
        org.url.as_deref(),
        Some("https://www.eventbrite.fr/o/stockly-42274765293")
    );
}

#[test]
fn broken_json_ld_block_is_a_warning_and_the_good_one_is_read() {
    let origin = "https://hasgeek.com/rustbangalore/august-2026-rustacean-meetup/";
    let p = jsonld::parse_page(
        &fixture("hasgeek-broken-jsonld.html"),
        origin,
        "Rust Bangalore",
    )
    .unwrap();
    assert_eq!(p.events.len(), 1);
    let e = &p.events[0];
    assert_eq!(e.title, "August 2026 Rustacean Meetup");
    assert_eq!(e.start, offset("2026-08-22T10:30:00+05:30"));
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Bangalore, IN");
    assert_eq!(
        e.description.as_deref(),
        Some("Talks on embedded Rust and async, followed by open discussions.")
    );
    assert_eq!(p.warnings.len(), 2, "{:#?}", p.warnings);
    assert!(
        p.warnings[0].contains("block 1 is not valid JSON"),
        "{:?}",
        p.warnings
    );
    assert!(p.warnings[1].contains("block 2"), "{:?}", p.warnings);
}

#[test]
fn pages_without_events_are_errors_that_say_what_was_found() {
    let e = jsonld::parse_page(
        &fixture("not-found-404.html"),
        "https://hasgeek.com/x/",
        "x",
    )
    .unwrap_err();
    assert!(e.message.contains("Page not found – Hasgeek"), "{e}");
    assert!(e.message.contains("WebSite"), "{e}");
    assert!(e.message.contains("format may have changed"), "{e}");
    for name in ["error-502.html", "meetup-login-wall.html"] {
        let e = jsonld::parse_page(&fixture(name), "https://lu.ma/x", "x").unwrap_err();
        assert!(e.message.contains("no schema.org event"), "{name}: {e}");
    }
}

#[test]
fn json_ld_parser_reads_meetup_pages_too() {
    let p = jsonld::parse_page(&fixture("meetup-group-rust-berlin.html"), BERLIN, "b").unwrap();
    let uids: Vec<&str> = p.events.iter().filter_map(|e| e.uid.as_deref()).collect();
    assert_eq!(
        uids,
        ["meetup:316151073", "meetup:313345334", "meetup:316244390"]
    );
    assert_eq!(
        p.events[0].place.as_ref().unwrap().to_string(),
        "Berlin, DE"
    );
}

// ---- real data: the published newsletter's links -------------------------------------------

fn shared() -> Option<PathBuf> {
    let dir = root().join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: ../shared is absent; skipping the corpus test");
        None
    }
}

/// Every `](https://…)` link target in a Markdown text.
fn links(text: &str) -> Vec<&str> {
    text.split("](")
        .skip(1)
        .filter_map(|s| s.split(')').next())
        .filter(|s| s.starts_with("http"))
        .collect()
}

#[test]
fn corpus_meetup_event_links_have_ids_and_urlnames() {
    let Some(dir) = shared() else { return };
    let mut events = 0;
    let mut groups = 0;
    let mut odd = Vec::new();
    for entry in std::fs::read_dir(dir.join("twir-corpus")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for link in links(&text) {
            if !link.contains("meetup.com/") {
                continue;
            }
            let urlname = meetup_urlname(link);
            if link.contains("/events/")
                && !link.ends_with("/events/")
                && !link.contains("/events/?")
            {
                events += 1;
                if meetup_event_id(link).is_none() || urlname.is_none() {
                    odd.push(link.to_string());
                }
            } else {
                groups += 1;
                if meetup_event_id(link).is_some() {
                    odd.push(link.to_string());
                }
            }
        }
    }
    eprintln!(
        "{events} meetup event links, {groups} group links, {} odd",
        odd.len()
    );
    assert!(events > 3000, "{events}");
    // A handful of editor typos are tolerated; the format itself must read.
    assert!(odd.len() * 1000 < events, "{odd:#?}");
}

#[test]
fn tracked_groups_have_urlnames() {
    let Some(dir) = shared() else { return };
    for file in ["rust-meetups.json", "maybe-rust-meetups.json"] {
        let text = std::fs::read_to_string(dir.join("data").join(file)).unwrap();
        let urls: Vec<String> = serde_json::from_str(&text).unwrap();
        assert!(!urls.is_empty());
        for u in urls {
            let name = meetup_urlname(&u).unwrap_or_else(|| panic!("{u}"));
            assert!(u.contains(&format!("/{name}/events/")), "{u}");
            assert_eq!(meetup_event_id(&u), None, "{u}");
        }
    }
}

/// What html5ever (through scraper) finds in a page: the reference the linear scan of
/// `PageScripts::read` must agree with on ordinary pages.
fn scripts_by_tree(html: &str) -> (Option<String>, Vec<String>, Option<String>, usize) {
    use scraper::{Html, Selector};
    let doc = Html::parse_document(html);
    let title = doc
        .select(&Selector::parse("title").unwrap())
        .next()
        .map(|t| {
            t.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|t| !t.is_empty());
    let (mut next, mut ld, mut count) = (None, Vec::new(), 0);
    for el in doc.select(&Selector::parse("script").unwrap()) {
        count += 1;
        let text = el.text().collect::<String>();
        if el.value().id() == Some("__NEXT_DATA__") {
            if next.is_none() {
                next = Some(text);
            }
        } else if el.value().attr("type").is_some_and(|t| {
            t.trim()
                .to_ascii_lowercase()
                .starts_with("application/ld+json")
        }) {
            ld.push(text);
        }
    }
    (next, ld, title, count)
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn linear_script_scan_agrees_with_html5ever_on_every_page() {
    use twir_events::sources::page_util::PageScripts;
    let root = root();
    let mut pages = Vec::new();
    html_files(&root.join("snapshots"), &mut pages);
    html_files(&root.join("tests/fixtures/pages"), &mut pages);
    assert!(pages.len() >= 100, "{}", pages.len());
    // And the corners of the tokenizer the scan follows.
    let corners = [
        r#"<title>A &amp; B</title><SCRIPT TYPE="application/ld+json">{"a":"</scrip"}</SCRIPT >"#,
        r#"<!-- <script type="application/ld+json">{"commented":1}</script> --><script type=application/ld+json>{"b":1}</script>"#,
        r#"<div data-x="a > b" id='q'><script id="__NEXT_DATA__" type="application/json">{"c":"<div>"}</script></div>"#,
        r#"<textarea><script type="application/ld+json">{"in":"textarea"}</script></textarea><script type="application/ld+json" type="x">{"d":1}</script>"#,
        r#"<!DOCTYPE html><style>p{}</style><script id="__NEXT_DATA__">{"first":1}</script><script id="__NEXT_DATA__">{"second":1}</script>"#,
        "<script type=\"application/ld+json\">{\"e\":\r\n1}</script><p>a < b</p><script>unclosed",
        r#"<script/><script type="application/ld&#43;json">{"f":1}</script>"#,
        "<title>Unclosed <b>title",
    ];
    let mut texts: Vec<(String, String)> = corners
        .iter()
        .enumerate()
        .map(|(i, c)| (format!("corner {i}"), c.to_string()))
        .collect();
    for p in &pages {
        texts.push((p.display().to_string(), std::fs::read_to_string(p).unwrap()));
    }
    for (name, html) in &texts {
        let s = PageScripts::read(html);
        let (next, ld, title, count) = scripts_by_tree(html);
        assert_eq!(s.next_data, next, "{name}");
        assert_eq!(s.ld_json, ld, "{name}");
        assert_eq!(s.title, title, "{name}");
        assert_eq!(s.script_count, count, "{name}");
    }
}
