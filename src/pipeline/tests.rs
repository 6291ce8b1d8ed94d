use super::pages::one_event;
use super::*;
use crate::config::Source;
use crate::fetch::Response;

#[test]
fn keywords_match_word_starts_only() {
    assert!(mentions("Intro to Rust", "rust"));
    assert!(mentions("Rustaceans unite", "rust"));
    assert!(mentions("#rust-lang night", "rust"));
    assert!(!mentions("Zero Trust security", "rust"));
    assert!(!mentions("Thrust vectoring", "rust"));
    assert!(mentions("Web Assembly & more", "web assembly"));
}

#[test]
fn a_panic_in_a_reader_is_that_reader_s_error() {
    let r: Result<(), String> = guarded("iCal reader", || {
        let s = "aé";
        let _ = &s[..2]; // not a char boundary
        Ok(())
    });
    let e = r.unwrap_err();
    assert!(e.starts_with("internal error in the iCal reader: "), "{e}");
    assert!(e.contains("char boundary"), "{e}");
    assert!(e.contains("(at src/pipeline/tests.rs:"), "{e}");
    assert!(e.ends_with(", please report"), "{e}");
    // Errors and results pass through; the guard is reusable on the same thread.
    assert_eq!(guarded("x", || Ok::<_, String>(3)), Ok(3));
    assert_eq!(guarded::<()>("x", || Err("bad".into())), Err("bad".into()));
    let e = guarded::<()>("meetup page reader", || std::panic::panic_any(7u8)).unwrap_err();
    assert!(e.contains("a panic without a message"), "{e}");
}

fn ical_source() -> Source {
    Source {
        kind: crate::config::SourceKind::Ical,
        url: "https://example.org/cal.ics".into(),
        name: Some("Cal".into()),
        home: None,
        keywords: Vec::new(),
        organizer: None,
        line: 1,
    }
}

fn ics_response(body: Vec<u8>, content_type: &str) -> Response {
    Response {
        url: "https://example.org/cal.ics".into(),
        status: 200,
        content_type: Some(content_type.into()),
        body,
        redirected_to: None,
    }
}

const ICS_HEAD: &[u8] = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260801T000000Z\r\nDTSTART:20260826T170000Z\r\nDTEND:20260826T180000Z\r\nSUMMARY:";
const ICS_TAIL: &[u8] = b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

fn window() -> Window {
    Window {
        from: "2026-08-19".parse().unwrap(),
        to: "2026-09-16".parse().unwrap(),
    }
}

#[test]
fn a_calendar_s_invalid_utf8_is_a_warning_but_a_fold_inside_a_character_is_not() {
    // "Zürich" folded between the two bytes of ü, plus one stray byte, plus a genuine U+FFFD.
    let body = [ICS_HEAD, b"Z\xC3\r\n \xBCrich \xFF \xEF\xBF\xBD", ICS_TAIL].concat();
    let parsed = parse_source(
        &ical_source(),
        &ics_response(body, "text/calendar; charset=UTF-8"),
        &window(),
    )
    .unwrap();
    assert_eq!(parsed.events[0].title, "Zürich \u{FFFD} \u{FFFD}");
    assert_eq!(parsed.warnings[0], "1 invalid UTF-8 sequence replaced");
}

#[test]
fn a_calendar_in_latin1_is_read_as_latin1() {
    let body = [ICS_HEAD, b"Z\xFCrich", ICS_TAIL].concat();
    let parsed = parse_source(
        &ical_source(),
        &ics_response(body, "text/calendar; charset=ISO-8859-1"),
        &window(),
    )
    .unwrap();
    assert_eq!(parsed.events[0].title, "Zürich");
    assert!(parsed.warnings.iter().all(|w| !w.contains("invalid")));
}

fn page_event(url: &str) -> RawEvent {
    let mut e = RawEvent::new(
        "page",
        "x",
        crate::model::When::Date(chrono::NaiveDate::MIN),
    );
    e.url = Some(url.into());
    e
}

#[test]
fn a_page_must_describe_the_linked_event() {
    // Renamed group, locale prefix: still the same meetup event.
    let e = one_event(
        vec![page_event(
            "https://www.meetup.com/join-srug/events/314520814/",
        )],
        "https://www.meetup.com/de-DE/seattle-rust-user-group/events/314520814",
    );
    assert!(e.is_ok(), "{e:?}");
    // A calendar page that lists one event is not that event's page.
    let e = one_event(
        vec![page_event("https://luma.com/1bm27cah")],
        "https://luma.com/rustgiro",
    );
    assert!(e.unwrap_err().contains("another event"));
    let e = one_event(
        vec![
            page_event("https://luma.com/a"),
            page_event("https://luma.com/b"),
        ],
        "https://luma.com/c",
    );
    assert!(e.unwrap_err().contains("2 events"));
}
