//! Hard to break: every parser gets truncated and corrupted versions of real-looking inputs
//! (the shipped snapshots' calendar feeds, meetup pages and JSON-LD pages) and must answer
//! with events, warnings or an error, never a panic. Deterministic: the cut points and the
//! corruptions come from a fixed-seed generator, not the clock.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use twir_events::model::Window;
use twir_events::sources::{ical, jsonld, meetup};

use crate::common::root;

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// A small deterministic generator (xorshift), so the test is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n.max(1) as u64).expect("below n, a usize")
    }
}

/// Truncations at a few points, and copies with bytes flipped, deleted or duplicated.
fn variants(bytes: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..6 {
        out.push(bytes[..rng.below(bytes.len())].to_vec());
    }
    for _ in 0..6 {
        let mut b = bytes.to_vec();
        for _ in 0..8 {
            if b.is_empty() {
                break;
            }
            let i = rng.below(b.len());
            match rng.below(4) {
                0 => {
                    const NASTY: &[u8] = b"<>\"{}[]:;\\\r\n\x00\xff";
                    b[i] = NASTY[rng.below(NASTY.len())];
                }
                1 => {
                    b.remove(i);
                }
                2 => {
                    let j = (i + rng.below(200)).min(b.len());
                    let chunk = b[i..j].to_vec();
                    b.splice(i..i, chunk);
                }
                _ => b[i] = b[i].wrapping_add(1),
            }
        }
        out.push(b);
    }
    out
}

fn window() -> Window {
    Window {
        from: "2023-01-04".parse().unwrap(),
        to: "2023-03-01".parse().unwrap(),
    }
}

#[test]
fn parsers_never_panic_on_damaged_input() {
    let root = root();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ics, mut html) = (Vec::new(), Vec::new());
    files(&root.join("snapshots"), "ics", &mut ics);
    files(&root.join("snapshots"), "html", &mut html);
    files(&root.join("tests/fixtures/pages"), "html", &mut html);
    assert!(ics.len() >= 3 && html.len() >= 20, "fixtures missing");
    let mut runs = 0;
    for path in &ics {
        let bytes = std::fs::read(path).unwrap();
        for v in variants(&bytes, &mut rng) {
            let text = ical::decode(&v);
            let _ = ical::parse(&text, "test.ics", "test", &window());
            runs += 1;
        }
    }
    for path in html.iter().take(40) {
        let bytes = std::fs::read(path).unwrap();
        for v in variants(&bytes, &mut rng) {
            let text = String::from_utf8_lossy(&v);
            let _ = meetup::parse_group_page(&text, "https://www.meetup.com/x/events/", "x");
            let _ = meetup::parse_event_page(&text, "https://www.meetup.com/x/events/1/", "x");
            let _ = jsonld::parse_page(&text, "https://example.org/", "x");
            runs += 1;
        }
    }
    assert!(runs > 400, "{runs}");
}

#[test]
fn empty_and_foreign_documents_are_errors_not_events() {
    let w = window();
    for text in [
        "",
        "   ",
        "<html><body>502 Bad Gateway</body></html>",
        "{\"a\": 1}",
    ] {
        assert!(ical::parse(text, "x.ics", "x", &w).is_err(), "{text:?}");
        assert!(meetup::parse_group_page(text, "https://www.meetup.com/x/events/", "x").is_err());
        assert!(jsonld::parse_page(text, "https://example.org/", "x").is_err());
    }
}

/// Pathological pages and feeds (issue 7, "bounded work"). The tests assert on outcomes; their
/// runtime shows the bound (before the bounds, each took from seconds to minutes, or
/// exhausted memory: see `examples/readers_bench.rs`).
mod bounded {
    use super::window;
    use std::fmt::Write as _;
    use twir_events::sources::{ical, jsonld, meetup};

    const LD_EVENT: &str = r#"<script type="application/ld+json">{"@type":"Event","name":"Found","startDate":"2026-01-10"}</script>"#;

    #[test]
    fn deeply_nested_page_is_read_in_linear_time() {
        let n = 500_000;
        let html = format!(
            "<html><body>{}{LD_EVENT}{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let p = jsonld::parse_page(&html, "https://example.org/", "x").unwrap();
        assert_eq!(p.events.len(), 1);
        assert_eq!(p.events[0].title, "Found");
        // Unclosed, and with a meetup page's shape.
        let html = format!("{}{LD_EVENT}", "<span><b>".repeat(n));
        let p = meetup::parse_event_page(&html, "https://www.meetup.com/x/events/1/", "x");
        assert_eq!(p.unwrap().events.len(), 1);
    }

    #[test]
    fn a_tag_with_a_million_attributes_is_read_in_linear_time() {
        let mut attrs = String::new();
        for i in 0..1_000_000 {
            write!(attrs, " a{i}").unwrap();
        }
        let html = format!("<div{attrs}></div>{LD_EVENT}");
        let p = jsonld::parse_page(&html, "https://example.org/", "x").unwrap();
        assert_eq!(p.events.len(), 1);
    }

    #[test]
    fn apollo_reference_cycles_are_not_followed() {
        // Every event's venue, series and group refer on to the next event: a cycle through
        // the whole cache. Each event is read once, its refs one level deep.
        let n = 5_000;
        let mut state = String::from(
            r#"{"Group:1":{"__typename":"Group","id":"1","name":"G","urlname":"x","group":{"__ref":"Event:0"}}"#,
        );
        for i in 0..n {
            let next = (i + 1) % n;
            write!(
                state,
                r#","Event:{i}":{{"__typename":"Event","id":"{i}","title":"T{i}","dateTime":"2026-01-10T19:00:00+01:00","group":{{"__ref":"Group:1"}},"venue":{{"__ref":"Event:{next}"}},"series":{{"__ref":"Event:{next}"}}}}"#
            )
            .unwrap();
        }
        state.push('}');
        let html = format!(
            r#"<script id="__NEXT_DATA__" type="application/json">{{"props":{{"pageProps":{{"__APOLLO_STATE__":{state}}}}}}}</script>"#
        );
        let p = meetup::parse_group_page(&html, "https://www.meetup.com/x/events/", "x").unwrap();
        assert_eq!(p.events.len(), n);
        // A venue that is an event is no place.
        assert!(p.events.iter().all(|e| e.place.is_none()));
        let event_page = html.replace(
            r#""pageProps":{"#,
            r#""pageProps":{"event":{"__ref":"Event:7"},"#,
        );
        let p = meetup::parse_event_page(&event_page, "https://www.meetup.com/x/events/7/", "x");
        assert_eq!(p.unwrap().events[0].title, "T7");
    }

    #[test]
    fn many_luma_events_and_json_ld_types_cost_linear_time() {
        let items: Vec<String> = (0..30_000)
            .map(|i| {
                format!(r#"{{"event":{{"name":"E{i}","start_at":"2026-01-10T18:00:00Z","url":"e{}"}}}}"#, i % 20_000)
            })
            .collect();
        let next = format!(
            r#"{{"props":{{"pageProps":{{"initialData":{{"data":{{"events":[{}]}}}}}}}}}}"#,
            items.join(",")
        );
        let html = format!(r#"<script id="__NEXT_DATA__">{next}</script>"#);
        let p = jsonld::parse_page(&html, "https://luma.com/x", "x").unwrap();
        assert_eq!(p.events.len(), 20_000, "the same event listed twice is one");

        let things: Vec<String> = (0..100_000)
            .map(|i| format!(r#"{{"@type":"Thing{i}"}}"#))
            .collect();
        let html = format!(
            r#"<script type="application/ld+json">[{}]</script>"#,
            things.join(",")
        );
        let e = jsonld::parse_page(&html, "https://example.org/", "x").unwrap_err();
        assert!(
            e.message.contains("Thing0, Thing1"),
            "{}",
            &e.message[..200]
        );
        assert!(e.message.len() < 5_000, "{} bytes", e.message.len());
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
        let deep = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
        let html = format!(
            r#"<script type="application/ld+json">{deep}</script><script id="__NEXT_DATA__">{deep}</script>"#
        );
        assert!(jsonld::parse_page(&html, "https://example.org/", "x").is_err());
        assert!(meetup::parse_group_page(&html, "https://www.meetup.com/x/events/", "x").is_err());
        let graph = format!(
            r#"<script type="application/ld+json">{}{{"@type":"Event","name":"N","startDate":"2026-01-10"}}{}</script>"#,
            r#"{"@graph":["#.repeat(60),
            "]}".repeat(60)
        );
        let p = jsonld::parse_page(&graph, "https://example.org/", "x").unwrap();
        assert_eq!(p.events.len(), 1);
    }

    #[test]
    fn calendar_runaways_and_deep_descriptions_are_bounded_and_reported() {
        let deep = format!("{}x{}", "<div>".repeat(100_000), "</div>".repeat(100_000));
        let ics = format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
             BEGIN:VEVENT\r\nUID:deep\r\nSUMMARY:Deep\r\nDTSTART:20230110T180000Z\r\nURL:https://example.org/deep\r\nDESCRIPTION:{deep}\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:minutely\r\nSUMMARY:M\r\nDTSTART:20230101T000000Z\r\nRRULE:FREQ=MINUTELY;UNTIL=99991231T235959Z\r\nEND:VEVENT\r\n\
             BEGIN:VEVENT\r\nUID:old\r\nSUMMARY:Old\r\nDTSTART;TZID=Europe/Berlin:19900102T190000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\nEND:VEVENT\r\n\
             END:VCALENDAR\r\n"
        );
        let p = ical::parse(&ics, "x.ics", "x", &window()).unwrap();
        let deep = p.events.iter().find(|e| e.title == "Deep").unwrap();
        assert_eq!(deep.links, ["https://example.org/deep"]);
        let minutely = p.events.iter().filter(|e| e.title == "M").count();
        assert_eq!(minutely, ical::MAX_SERIES_OCCURRENCES);
        // 2023-01-04 – 2023-03-01, two days of margin: every Tuesday since 1990 in it.
        assert_eq!(p.events.iter().filter(|e| e.title == "Old").count(), 9);
        assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
        assert!(
            p.warnings[0].contains("nested deeper than"),
            "{:?}",
            p.warnings
        );
        assert!(p.warnings[1].contains("only the first"), "{:?}", p.warnings);
    }
}

#[test]
fn odd_rules_and_dates_at_the_edges_do_not_panic() {
    let rules = [
        "FREQ=YEARLY;INTERVAL=65535",
        "FREQ=SECONDLY;INTERVAL=65535;BYSETPOS=-366",
        "FREQ=MONTHLY;BYMONTHDAY=-31,31;BYSETPOS=1,-1",
        "FREQ=YEARLY;BYWEEKNO=53,-53;BYDAY=MO",
        "FREQ=YEARLY;BYYEARDAY=366,-366",
        "FREQ=DAILY;BYHOUR=99",
        "FREQ=WEEKLY;INTERVAL=0",
        "FREQ=DAILY;COUNT=0",
        "FREQ=DAILY;UNTIL=99991231",
        "FREQ=DAILY;UNTIL=00000101T000000Z",
        "FREQ=MINUTELY;BYSECOND=60",
        "FREQ=HOURLY;BYDAY=5MO",
    ];
    let starts = [
        "DTSTART:00000101T000000Z",
        "DTSTART:99991231T235959Z",
        "DTSTART;VALUE=DATE:99991231",
        "DTSTART;TZID=Pacific/Kiritimati:99991231T235959",
        "DTSTART;TZID=Europe/Berlin:20230326T023000",
    ];
    let w = window();
    for rule in rules {
        for start in starts {
            let ics = format!(
                "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:u\r\n{start}\r\nDURATION:P36500D\r\nRRULE:{rule}\r\nEXDATE:99991231T235959Z\r\nRDATE:00000101T000000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            );
            let _ = ical::parse(&ics, "x.ics", "x", &w);
            for (from, to) in [("0000-01-01", "0000-01-02"), ("9999-12-30", "9999-12-31")] {
                let edge = Window {
                    from: from.parse().unwrap(),
                    to: to.parse().unwrap(),
                };
                let _ = ical::parse(&ics, "x.ics", "x", &edge);
            }
        }
    }
}

#[test]
fn deeply_nested_components_are_skipped_not_a_stack_overflow() {
    // The `icalendar` parser recurses once per nested component: 100,000 levels overflowed
    // the stack and aborted the whole process.
    let n = 100_000;
    let ics = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:deep\r\nSUMMARY:Deep\r\nDTSTART:20230110T180000Z\r\n{}{}END:VEVENT\r\n\
         BEGIN:VTIMEZONE\r\nTZID:X\r\n{}{}END:VTIMEZONE\r\n\
         BEGIN:VEVENT\r\nUID:ok\r\nSUMMARY:Ok\r\nDTSTART:20230111T180000Z\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\n\
         END:VCALENDAR\r\n",
        "BEGIN:VALARM\r\n".repeat(n),
        "END:VALARM\r\n".repeat(n),
        "begin:STANDARD\r\n".repeat(n),
        "end:STANDARD\r\n".repeat(n),
    );
    let p = ical::parse(&ics, "x.ics", "x", &window()).unwrap();
    let titles: Vec<&str> = p.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Ok"]);
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(p.warnings.iter().all(|w| w.contains("nested deeper than")));
}

#[test]
fn a_description_with_100k_links_is_searched_in_its_first_part_only() {
    // The link finder's cost grows faster than the text: 12 s for this one event before.
    let links = (0..100_000).fold(String::new(), |mut out, i| {
        write!(out, "https://example.org/{i} ").unwrap();
        out
    });
    let ics = format!(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:links\r\nSUMMARY:Links\r\nDTSTART:20230110T180000Z\r\nDESCRIPTION:{links}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    );
    let p = ical::parse(&ics, "x.ics", "x", &window()).unwrap();
    let e = &p.events[0];
    assert_eq!(e.links[0], "https://example.org/0");
    assert!(
        (2_000..ical::MAX_LINK_TEXT / 20).contains(&e.links.len()),
        "{}",
        e.links.len()
    );
    assert_eq!(
        e.description.as_deref().map(str::len),
        Some(links.trim_end().len())
    );
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    assert!(p.warnings[0].contains("first 64 KiB"), "{:?}", p.warnings);
}
