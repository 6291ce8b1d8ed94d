//! Times the source readers on pathological inputs (issue 7: "bounded work"), one case per
//! run so that a case that runs away can be stopped with `timeout`:
//!
//! `cargo run --release --example readers_bench -- CASE` (no CASE: list the cases).
//!
//! Prints `CASE: <time> ms, <outcome>` on stdout; the outcome is the number of events and
//! warnings (with the first warning), the error, or the panic message.
//!
//! Measured with `/usr/bin/time -f "%es %MkB" timeout 25 target/release/examples/readers_bench
//! CASE` (2 shared cores), before the bounds of issue 7 → after:
//!
//! | case | before | after |
//! | --- | --- | --- |
//! | ical-uid-multibyte | panic | 0.00 s, 1 event |
//! | ical-duration-overflow | panic | 0.00 s, warning |
//! | ical-nested-components-100k | stack overflow: abort | 0.07 s, warning |
//! | ical-long-description-4mb (hourly) | 86.2 s, 2,858 MB | 0.30 s, 95 MB, warning |
//! | ical-weekly-1900-many (200 series) | 1.9–3.0 s | 0.05 s |
//! | ical-description-100k-links | 11.9 s | 0.03 s, warning |
//! | ical-100-sparse-rules (searching minutely) | ≈ 36 s (100 × 0.36 s) | 2.2 s, 94 warnings |
//! | ical-hourly-1990 | 0 events, "more than 50000" | 792 events, 0.01 s |
//! | ical-minutely-far-until, ical-huge-count | 0 events | 2,000 events + warning |
//! | html-nested-divs-500k | > 25 s (killed) | 0.04 s, 16 MB |
//! | html-many-attributes (300k on one tag) | > 25 s (killed) | 0.02 s |
//! | luma-100k-events | > 25 s (killed) | 0.44 s |
//! | jsonld-100k-types | 8.8 s | 0.15 s |
//! | luma-feed-20k-history (issue 8: 11 years of a busy calendar, 7 MB) | — | see BENCHMARKS.md |
//! | apollo-ref-cycle-5000 | 0.07 s | 0.04 s (refs are followed one level only) |

use std::fmt::Write as _;
use std::time::Instant;
use twir_events::model::Window;
use twir_events::sources::{Parsed, SourceError, ical, jsonld, luma, meetup};

type Case = (&'static str, fn() -> Result<Parsed, SourceError>);

fn window() -> Window {
    Window {
        from: "2026-01-07".parse().unwrap(),
        to: "2026-02-04".parse().unwrap(),
    }
}

fn calendar(events: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-TIMEZONE:Europe/Berlin\r\n{events}END:VCALENDAR\r\n"
    )
}

fn vevent(lines: &str) -> String {
    format!("BEGIN:VEVENT\r\nUID:x@example.org\r\nSUMMARY:Case\r\n{lines}END:VEVENT\r\n")
}

fn ics(lines: &str) -> Result<Parsed, SourceError> {
    let text = calendar(&vevent(lines));
    ical::parse(
        &ical::decode(text.as_bytes()),
        "bench.ics",
        "bench",
        &window(),
    )
}

fn next_data_page(next: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><title>t</title></head><body>\
         <script id=\"__NEXT_DATA__\" type=\"application/json\">{next}</script></body></html>"
    )
}

/// An Apollo cache of `n` events whose group and venue refs form a cycle through all of them.
fn apollo_cycle(n: usize) -> String {
    let mut state = String::from(
        r#"{"Group:1":{"__typename":"Group","id":"1","name":"G","urlname":"x","group":{"__ref":"Event:0"}}"#,
    );
    for i in 0..n {
        let next = (i + 1) % n;
        write!(
            state,
            r#","Event:{i}":{{"__typename":"Event","id":"{i}","title":"T{i}","dateTime":"2026-01-{:02}T19:00:00+01:00","group":{{"__ref":"Group:1"}},"venue":{{"__ref":"Event:{next}"}},"series":{{"__ref":"Event:{next}"}}}}"#,
            1 + i % 28
        )
        .unwrap();
    }
    state.push('}');
    next_data_page(&format!(
        r#"{{"props":{{"pageProps":{{"__APOLLO_STATE__":{state}}}}}}}"#
    ))
}

/// `n` pieces of text, each written by `piece` for its index, one after the other.
fn repeated(n: u32, piece: impl Fn(&mut String, u32) -> std::fmt::Result) -> String {
    let mut out = String::new();
    for i in 0..n {
        piece(&mut out, i).expect("writing to a String");
    }
    out
}

/// A calendar of `n` VEVENTs, each written by `event` for its index, read as a feed is.
fn many_events(n: u32, event: impl Fn(&mut String, u32) -> std::fmt::Result) -> String {
    calendar(&repeated(n, event))
}

/// The iCalendar cases.
fn ical_cases() -> Vec<Case> {
    vec![
        ("ical-uid-multibyte", || {
            ics("UID:aé\r\nDTSTART:20260110T180000Z\r\n")
        }),
        ("ical-duration-overflow", || {
            ics("DTSTART:20260110T180000Z\r\nDURATION:P99999999W\r\n")
        }),
        ("ical-minutely-far-until", || {
            ics("DTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY;UNTIL=99991231T000000Z\r\n")
        }),
        ("ical-secondly-1990", || {
            ics("DTSTART:19900101T000000Z\r\nRRULE:FREQ=SECONDLY\r\n")
        }),
        ("ical-hourly-1990", || {
            ics("DTSTART;TZID=Europe/Berlin:19900101T000000\r\nRRULE:FREQ=HOURLY\r\n")
        }),
        ("ical-huge-count", || {
            ics("DTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY;COUNT=2000000000\r\n")
        }),
        ("ical-daily-1990", || {
            ics("DTSTART;TZID=Europe/Berlin:19900101T190000\r\nRRULE:FREQ=DAILY\r\n")
        }),
        ("ical-weekly-1900-many", || {
            let text = many_events(200, |s, i| {
                write!(
                    s,
                    "BEGIN:VEVENT\r\nUID:w{i}@x\r\nSUMMARY:W{i}\r\nDTSTART;TZID=Europe/Berlin:19000101T190000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU\r\nEND:VEVENT\r\n"
                )
            });
            ical::parse(&text, "bench.ics", "bench", &window())
        }),
        ("ical-nested-components-100k", || {
            let n = 100_000;
            ics(&format!(
                "DTSTART:20260110T180000Z\r\n{}{}",
                "BEGIN:VALARM\r\n".repeat(n),
                "END:VALARM\r\n".repeat(n)
            ))
        }),
        ("ical-many-properties-200k", || {
            ics(&format!(
                "DTSTART:20260110T180000Z\r\n{}",
                "X-P;A=1;B=2:v\r\n".repeat(200_000)
            ))
        }),
        ("ical-many-params", || {
            ics(&format!(
                "DTSTART;{}TZID=Europe/Berlin:20260110T180000\r\n",
                "X=1;".repeat(500_000)
            ))
        }),
        ("ical-long-description-4mb", || {
            ics(&format!(
                "DTSTART:20260110T180000Z\r\nRRULE:FREQ=HOURLY\r\nDESCRIPTION:{}\r\n",
                "https://example.org/x ".repeat(200_000)
            ))
        }),
        ("ical-description-100k-links", || {
            let links = repeated(100_000, |s, i| write!(s, "https://example.org/{i} "));
            ics(&format!(
                "DTSTART:20260110T180000Z\r\nDESCRIPTION:{links}\r\n"
            ))
        }),
        ("ical-100-sparse-rules", || {
            // Rules that step minute by minute and find nothing for a long time.
            let text = many_events(100, |s, i| {
                write!(
                    s,
                    "BEGIN:VEVENT\r\nUID:s{i}@x\r\nSUMMARY:S{i}\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY;BYDAY=MO;BYMONTHDAY=31;BYMONTH=1,12;BYSETPOS=1;BYYEARDAY=-366;BYMINUTE=59\r\nEND:VEVENT\r\n"
                )
            });
            ical::parse(&text, "bench.ics", "bench", &window())
        }),
    ]
}

/// The cases of pages (HTML, JSON-LD, meetup's Apollo cache, luma's `__NEXT_DATA__`) and
/// of luma's feed.
fn page_cases() -> Vec<Case> {
    vec![
        ("html-nested-divs-500k", || {
            let n = 500_000;
            let html = format!(
                "<html><body>{}<script type=\"application/ld+json\">{{\"@type\":\"Event\",\"name\":\"Deep\",\"startDate\":\"2026-01-10\"}}</script>{}</body></html>",
                "<div>".repeat(n),
                "</div>".repeat(n)
            );
            jsonld::parse_page(&html, "https://example.org/", "bench")
        }),
        ("html-many-attributes", || {
            let attrs = repeated(300_000, |s, i| write!(s, " a{i}"));
            let html = format!(
                "<html><body><div{attrs}></div><script type=\"application/ld+json\">{{\"@type\":\"Event\",\"name\":\"Attrs\",\"startDate\":\"2026-01-10\"}}</script></body></html>"
            );
            jsonld::parse_page(&html, "https://example.org/", "bench")
        }),
        ("apollo-ref-cycle-5000", || {
            meetup::parse_group_page(
                &apollo_cycle(5_000),
                "https://www.meetup.com/x/events/",
                "bench",
            )
        }),
        ("luma-100k-events", || {
            let items: Vec<String> = (0..100_000)
                .map(|i| {
                    format!(
                        r#"{{"event":{{"name":"E{i}","start_at":"2026-01-10T18:00:00Z","url":"e{i}"}}}}"#
                    )
                })
                .collect();
            let next = format!(
                r#"{{"props":{{"pageProps":{{"initialData":{{"data":{{"events":[{}]}}}}}}}}}}"#,
                items.join(",")
            );
            jsonld::parse_page(&next_data_page(&next), "https://luma.com/x", "bench")
        }),
        ("luma-feed-20k-history", || {
            // A luma calendar's feed holds its whole history (formats.md §5): 20,500 events since 2015,
            // five a day, the last ones in the window.
            let text = many_events(20_500, |s, i| {
                let day = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
                    + chrono::Days::new(u64::from(i) / 5);
                write!(
                    s,
                    "BEGIN:VEVENT\r\nDTSTAMP:20260107T090000Z\r\nSEQUENCE:{i}\r\nUID:evt-{i:015}@events.lu.ma\r\nDTSTART:{d}T170000Z\r\nDTEND:{d}T190000Z\r\nSUMMARY:Meetup {i}\r\nDESCRIPTION:Get up-to-date information at: https://luma.com/e{i:07}\\n\\nHosted by us\r\nLOCATION:https://luma.com/e{i:07}\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\n",
                    d = day.format("%Y%m%d")
                )
            });
            luma::parse_feed(&text, "bench.ics", "bench", &window())
        }),
        ("jsonld-100k-types", || {
            let items: Vec<String> = (0..100_000)
                .map(|i| format!(r#"{{"@type":"Thing{i}"}}"#))
                .collect();
            let html = format!(
                "<html><head><script type=\"application/ld+json\">[{},{{\"@type\":\"Event\",\"name\":\"E\",\"startDate\":\"2026-01-10\"}}]</script></head></html>",
                items.join(",")
            );
            jsonld::parse_page(&html, "https://example.org/", "bench")
        }),
    ]
}

fn main() {
    let mut cases = ical_cases();
    cases.extend(page_cases());
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    if wanted.is_empty() {
        for (name, _) in &cases {
            println!("{name}");
        }
        return;
    }
    std::panic::set_hook(Box::new(|_| {}));
    for (name, run) in cases
        .iter()
        .filter(|(n, _)| wanted.iter().any(|w| w == n || w == "all"))
    {
        let started = Instant::now();
        let outcome = std::panic::catch_unwind(run);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("{name}: {ms:.0} ms, {}", describe(outcome));
    }
}

/// A case's outcome: events and warnings (with the first warning), the error, or the panic.
fn describe(outcome: std::thread::Result<Result<Parsed, SourceError>>) -> String {
    match outcome {
        Ok(Ok(p)) => format!(
            "{} events, {} warnings{}",
            p.events.len(),
            p.warnings.len(),
            p.warnings
                .first()
                .map(|w| format!(" (first: {})", w.chars().take(160).collect::<String>()))
                .unwrap_or_default()
        ),
        Ok(Err(e)) => format!("error: {}", e.message.chars().take(200).collect::<String>()),
        Err(p) => format!(
            "PANIC: {}",
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(ToString::to_string))
                .unwrap_or_default()
        ),
    }
}
