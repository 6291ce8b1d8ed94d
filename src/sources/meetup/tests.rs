use super::*;
use crate::model::Place;
use serde_json::json;

fn page(next: &Value, ld: &[&str]) -> String {
    let ld = ld.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "<script type=\"application/ld+json\">{b}</script>");
        out
    });
    format!(
        "<!DOCTYPE html><html><head><title>t</title>{ld}</head><body><div id=\"__next\"></div>\
         <script id=\"__NEXT_DATA__\" type=\"application/json\">{next}</script></body></html>"
    )
}

fn group_state(events: Value) -> Value {
    let mut state = json!({
        "Group:1": {"__typename": "Group", "id": "1", "name": "Rust and C++ Cardiff",
            "urlname": "rust-and-c-plus-plus-in-cardiff", "city": "Cardiff", "state": "Q5",
            "country": "gb", "timezone": "Europe/London"},
        "Venue:9": {"__typename": "Venue", "id": "9", "name": "Tramshed Tech",
            "address": "Pendyris St", "city": "Cardiff", "state": "CF11", "country": "gb"},
        "Venue:online": {"__typename": "Venue", "id": "26906060", "name": "Online event",
            "address": "", "city": "", "state": "", "country": ""}
    });
    let Value::Object(events) = events else {
        panic!("the events are an object: {events}");
    };
    for (k, v) in events {
        state[k.as_str()] = v;
    }
    json!({"props": {"pageProps": {"__APOLLO_STATE__": state}}, "page": "/[urlname]/events"})
}

const ORIGIN: &str = "https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/";

fn ev(id: &str, extra: Value) -> Value {
    let mut e = json!({"__typename": "Event", "id": id, "title": format!("Talk {id}"),
        "dateTime": "2026-08-26T19:00:00+01:00",
        "eventUrl": format!("https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/{id}/"),
        "group": {"__ref": "Group:1"}});
    let Value::Object(extra) = extra else {
        panic!("the extra fields are an object: {extra}");
    };
    for (k, v) in extra {
        e[k.as_str()] = v;
    }
    e
}

fn parse(events: Value) -> Parsed {
    parse_group_page(&page(&group_state(events), &[]), ORIGIN, "cardiff").unwrap()
}

#[test]
fn apollo_cache_found_where_the_page_moved_it() {
    let mut next = group_state(json!({
        "Event:1": ev("1", json!({"eventType": "PHYSICAL"})),
    }));
    let state = next["props"]["pageProps"]["__APOLLO_STATE__"].take();
    next["props"]["pageProps"] = json!({});
    next["props"]["__APOLLO_STATE__"] = state;
    let p = parse_group_page(&page(&next, &[]), ORIGIN, "cardiff").unwrap();
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].title, "Talk 1");
}

#[test]
fn event_types_map_to_attendance() {
    use Attendance::*;
    let p = parse(json!({
        "Event:1": ev("1", json!({"eventType": "PHYSICAL", "dateTime": "2026-08-01T19:00+01:00"})),
        "Event:2": ev("2", json!({"eventType": "ONLINE", "dateTime": "2026-08-02T19:00+01:00"})),
        "Event:3": ev("3", json!({"eventType": "HYBRID_EVENT", "dateTime": "2026-08-03T19:00+01:00"})),
        "Event:4": ev("4", json!({"isOnline": true, "dateTime": "2026-08-04T19:00+01:00"})),
        "Event:5": ev("5", json!({"dateTime": "2026-08-05T19:00+01:00"})),
    }));
    let got: Vec<Option<Attendance>> = p.events.iter().map(|e| e.attendance).collect();
    assert_eq!(
        got,
        [
            Some(InPerson),
            Some(Virtual),
            Some(Hybrid),
            Some(Virtual),
            None
        ]
    );
}

#[test]
fn gb_venue_state_is_dropped_and_online_venue_is_no_place() {
    let p = parse(json!({
        "Event:1": ev("1", json!({"eventType": "PHYSICAL", "venue": {"__ref": "Venue:9"}})),
        "Event:2": ev("2", json!({"eventType": "ONLINE", "venue": {"__ref": "Venue:online"},
            "dateTime": "2026-08-27T19:00:00+01:00"})),
    }));
    assert_eq!(
        p.events[0].place,
        Some(Place::new(Some("Cardiff"), None, Some("GB")))
    );
    assert_eq!(
        p.events[0].location.as_deref(),
        Some("Tramshed Tech, Pendyris St, Cardiff")
    );
    assert_eq!(p.events[1].place, None);
    assert_eq!(p.events[1].location, None);
    let org = p.events[1].organizer.as_ref().unwrap();
    assert_eq!(
        org.url.as_deref(),
        Some("https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/")
    );
    assert_eq!(
        org.home,
        Some(Place::new(Some("Cardiff"), None, Some("GB")))
    );
}

#[test]
fn statuses_and_unknown_status_warns() {
    let p = parse(json!({
        "Event:1": ev("1", json!({"status": "cancelled", "dateTime": "2026-08-01T19:00+01:00"})),
        "Event:2": ev("2", json!({"status": "ACTIVE", "dateTime": "2026-08-02T19:00+01:00"})),
        "Event:3": ev("3", json!({"status": "WEIRD", "dateTime": "2026-08-03T19:00+01:00"})),
    }));
    let got: Vec<Status> = p.events.iter().map(|e| e.status).collect();
    assert_eq!(
        got,
        [Status::Cancelled, Status::Confirmed, Status::Confirmed]
    );
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("WEIRD") && p.warnings[0].contains("event 3"));
}

#[test]
fn partial_reference_is_skipped_with_warning() {
    let p = parse(json!({
        "Event:1": ev("1", json!({})),
        "Event:777": {"__typename": "Event", "id": "777", "title": "Partial"},
    }));
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.warnings.len(), 1);
    assert!(p.warnings[0].contains("777"), "{:?}", p.warnings);
    assert!(p.warnings[0].contains("dateTime"), "{:?}", p.warnings);
}

#[test]
fn partial_reference_is_completed_from_json_ld() {
    let ld = r#"[{"@context":"https://schema.org","@type":"Event","name":"From LD",
        "url":"https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/777/",
        "startDate":"2026-09-02T19:00:00+01:00","eventAttendanceMode":"https://schema.org/OnlineEventAttendanceMode",
        "location":{"@type":"VirtualLocation","url":"https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/777/"}}]"#;
    let next = group_state(json!({"Event:777": {"__typename": "Event", "id": "777"}}));
    let p = parse_group_page(&page(&next, &[ld]), ORIGIN, "cardiff").unwrap();
    assert_eq!(p.events.len(), 1);
    let e = &p.events[0];
    assert_eq!(e.title, "From LD");
    assert_eq!(e.uid.as_deref(), Some("meetup:777"));
    assert_eq!(e.attendance, Some(Attendance::Virtual));
    assert_eq!(e.organizer.as_ref().unwrap().name, "Rust and C++ Cardiff");
}

#[test]
fn naive_date_time_uses_timezone() {
    let p = parse(json!({"Event:1": ev("1", json!({"dateTime": "2026-08-26T19:00:00"}))}));
    assert_eq!(
        p.events[0].start,
        When::Zoned(
            "2026-08-26T19:00:00".parse().unwrap(),
            "Europe/London".parse().unwrap()
        )
    );
}

#[test]
fn other_groups_events_are_skipped() {
    let p = parse(json!({
        "Group:2": {"__typename": "Group", "id": "2", "name": "Other", "urlname": "other"},
        "Event:1": ev("1", json!({})),
        "Event:2": ev("2", json!({"group": {"__ref": "Group:2"}})),
    }));
    assert_eq!(p.events.len(), 1);
    assert!(p.warnings[0].contains("another group (other)"));
}

#[test]
fn valid_data_without_events_is_ok_and_empty() {
    let p = parse(json!({}));
    assert!(p.events.is_empty());
    assert!(p.warnings.is_empty());
}

#[test]
fn next_data_without_apollo_and_no_ld_is_an_error() {
    let html = page(&json!({"props": {"pageProps": {}}}), &[]);
    let e = parse_group_page(&html, ORIGIN, "x").unwrap_err();
    assert!(e.message.contains("format may have changed"), "{e}");
    assert!(e.message.contains("__APOLLO_STATE__"), "{e}");
}

#[test]
fn event_page_reads_cache_entry_by_id_and_inline_group() {
    let next = json!({"props": {"pageProps": {
        "event": {"__ref": "Event:315750593"},
        "__APOLLO_STATE__": {"Event:315750593": {"__typename": "Event", "id": "315750593",
            "title": "Rust's extended standard library", "dateTime": "2026-09-08T18:00:00+02:00",
            "eventUrl": "https://www.meetup.com/johannesburg-rust-meetup/events/315750593/",
            "isOnline": false,
            "venue": {"name": "Workshop17", "city": "Johannesburg", "state": "GT", "country": "za"},
            "group": {"name": "Johannesburg Rust Meetup", "urlname": "johannesburg-rust-meetup",
                      "city": "Johannesburg", "country": "za"}}}}}});
    let origin = "https://www.meetup.com/johannesburg-rust-meetup/events/315750593/";
    let p = parse_event_page(&page(&next, &[]), origin, "jhb").unwrap();
    let e = &p.events[0];
    assert_eq!(e.uid.as_deref(), Some("meetup:315750593"));
    assert_eq!(e.attendance, Some(Attendance::InPerson));
    assert_eq!(e.place.as_ref().unwrap().to_string(), "Johannesburg, ZA");
    let org = e.organizer.as_ref().unwrap();
    assert_eq!(
        org.url.as_deref(),
        Some("https://www.meetup.com/johannesburg-rust-meetup/")
    );
}

#[test]
fn broken_next_data_falls_back_to_json_ld_with_warning() {
    let ld = r#"{"@context":"https://schema.org","@type":"EducationEvent","name":"Rust Delhi X SciPy India Meetup",
        "url":"https://www.meetup.com/rustdelhi/events/315185336/","startDate":"2026-08-22T11:00+05:30",
        "location":{"@type":"Place","name":"IIT Delhi","address":{"@type":"PostalAddress","addressLocality":"New Delhi","addressRegion":"DL","addressCountry":"in"}}}"#;
    let html = page(&json!("placeholder"), &[ld]).replace("\"placeholder\"", "{\"props\": ");
    let origin = "https://www.meetup.com/rustdelhi/events/315185336/";
    let p = parse_event_page(&html, origin, "delhi").unwrap();
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.events[0].uid.as_deref(), Some("meetup:315185336"));
    assert_eq!(
        p.events[0].place.as_ref().unwrap().to_string(),
        "New Delhi, IN"
    );
    assert!(
        p.warnings[0].contains("__NEXT_DATA__ is not valid JSON"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn a_group_with_more_upcoming_events_than_its_page_shows_says_so() {
    let mut state = group_state(json!({"Event:1": ev("1", json!({"eventType": "PHYSICAL"}))}));
    let group = &mut state["props"]["pageProps"]["__APOLLO_STATE__"]["Group:1"];
    group[r#"events({"filter":{"beforeDateTime":"2026-08-20T00:00:00Z"},"first":10,"sort":"DESC"})"#] =
        json!({"totalCount": 40, "pageInfo": {"hasNextPage": true}, "edges": []});
    let upcoming = r#"events({"filter":{"afterDateTime":"2026-08-20T00:00:00Z","status":["ACTIVE","PAST","CANCELLED"]},"first":30,"sort":"ASC"})"#;
    group[upcoming] = json!({"totalCount": 1, "pageInfo": {"hasNextPage": false},
        "edges": [{"node": {"__ref": "Event:1"}}]});
    let quiet = parse_group_page(&page(&state, &[]), ORIGIN, "cardiff").unwrap();
    assert!(
        quiet.warnings.iter().all(|w| !w.contains("hasNextPage")),
        "the past tab's hasNextPage says nothing: {:?}",
        quiet.warnings
    );
    let group = &mut state["props"]["pageProps"]["__APOLLO_STATE__"]["Group:1"];
    group[upcoming]["pageInfo"]["hasNextPage"] = json!(true);
    let p = parse_group_page(&page(&state, &[]), ORIGIN, "cardiff").unwrap();
    assert!(
        p.warnings
            .iter()
            .any(|w| w.contains("only its first 1 upcoming events (hasNextPage)")),
        "{:?}",
        p.warnings
    );
}

#[test]
fn end_time_is_read_like_date_time_and_a_bad_one_warns() {
    let p = parse(json!({
        // No seconds, as meetup writes it too.
        "Event:1": ev("1", json!({"eventType": "PHYSICAL", "endTime": "2026-08-26T21:30+01:00"})),
        // Without an offset: the group's zone.
        "Event:2": ev("2", json!({"eventType": "PHYSICAL", "dateTime": "2026-08-27T19:00",
            "endTime": "2026-08-27T21:00"})),
        "Event:3": ev("3", json!({"eventType": "PHYSICAL", "endTime": "soon"})),
    }));
    let end = |uid: &str| {
        p.events
            .iter()
            .find(|e| e.uid.as_deref() == Some(uid))
            .unwrap()
            .end
            .clone()
    };
    assert_eq!(
        end("meetup:1"),
        Some(When::Offset(
            chrono::DateTime::parse_from_rfc3339("2026-08-26T21:30:00+01:00").unwrap()
        ))
    );
    assert_eq!(
        end("meetup:2"),
        Some(When::Zoned(
            "2026-08-27T21:00:00".parse().unwrap(),
            chrono_tz::Europe::London
        ))
    );
    assert_eq!(end("meetup:3"), None);
    assert!(
        p.warnings.iter().any(|w| w.contains("unreadable endTime")),
        "{:?}",
        p.warnings
    );
}
