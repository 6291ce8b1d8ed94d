use super::*;
use chrono::NaiveDate;
use serde_json::json;

fn one(v: &Value) -> (Option<RawEvent>, Vec<String>) {
    let mut w = Vec::new();
    let e = event_from_ld(v, "https://example.org/page", "src", &mut w);
    (e, w)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn date_only_multi_day_end_is_exclusive() {
    let (e, w) = one(&json!({"@type": "Event", "name": "RustConf 2026",
        "startDate": "2026-09-08", "endDate": "2026-09-11"}));
    let e = e.unwrap();
    assert!(w.is_empty());
    assert_eq!(e.start, When::Date(d("2026-09-08")));
    assert_eq!(e.end, Some(When::Date(d("2026-09-12"))));
    // No url: the page itself.
    assert_eq!(e.url.as_deref(), Some("https://example.org/page"));
}

#[test]
fn an_end_before_the_start_is_ignored_with_a_warning() {
    let (e, w) = one(&json!({"@type": "Event", "name": "Rust Nation UK 2023",
        "startDate": "2024-02-16", "endDate": "2023-02-17"}));
    let e = e.unwrap();
    assert_eq!(e.start, When::Date(d("2024-02-16")));
    assert_eq!(e.end, None);
    assert!(
        w.len() == 1 && w[0].contains("before its startDate"),
        "{w:?}"
    );
    let (e, w) = one(&json!({"@type": "Event", "name": "x",
        "startDate": "2026-09-08T18:00:00+02:00", "endDate": "2026-09-08T17:00:00+02:00"}));
    assert_eq!(e.unwrap().end, None);
    assert_eq!(w.len(), 1, "{w:?}");
    // One day (inclusive end = start) and a same-instant end are kept.
    let (e, w) = one(&json!({"@type": "Event", "name": "x",
        "startDate": "2026-09-08", "endDate": "2026-09-08"}));
    assert_eq!(e.unwrap().end, Some(When::Date(d("2026-09-09"))));
    assert!(w.is_empty(), "{w:?}");
}

#[test]
fn naive_time_is_floating_and_offset_time_is_kept() {
    let (e, _) = one(&json!({"@type": "Event", "name": "x", "startDate": "2026-09-08T09:00"}));
    assert!(matches!(e.unwrap().start, When::Floating(_)));
    let (e, _) = one(&json!({"@type": "Event", "name": "x",
        "startDate": "2026-09-08T09:00:00-04:00"}));
    match e.unwrap().start {
        When::Offset(t) => assert_eq!(t.offset().local_minus_utc(), -4 * 3600),
        other => panic!("{other:?}"),
    }
}

#[test]
fn name_entities_are_decoded() {
    let (e, _) = one(
        &json!({"@type": "Event", "name": "Rust &amp; C++ &#8211; Talks",
        "startDate": "2026-09-08"}),
    );
    assert_eq!(e.unwrap().title, "Rust & C++ – Talks");
}

#[test]
fn missing_name_or_start_is_a_warning() {
    let (e, w) = one(&json!({"@type": "Event", "startDate": "2026-09-08"}));
    assert!(e.is_none());
    assert!(w[0].contains("no name"), "{w:?}");
    let (e, w) = one(&json!({"@type": "Event", "name": "A", "startDate": "soon"}));
    assert!(e.is_none());
    assert!(w[0].contains("\"soon\""), "{w:?}");
}

#[test]
fn attendance_mode_wins_over_location_shape() {
    let (e, _) = one(
        &json!({"@type": "Event", "name": "x", "startDate": "2026-09-08",
        "location": {"@type": "Place", "name": "Hall",
            "address": {"@type": "PostalAddress", "addressLocality": "Girona", "addressCountry": "ES"}},
        "eventAttendanceMode": "OnlineEventAttendanceMode"}),
    );
    let e = e.unwrap();
    assert_eq!(e.attendance, Some(Attendance::Virtual));
    assert_eq!(e.place, Some(Place::new(Some("Girona"), None, Some("ES"))));
    for (mode, want) in [
        (
            "https://schema.org/MixedEventAttendanceMode",
            Attendance::Hybrid,
        ),
        (
            "http://schema.org/OfflineEventAttendanceMode",
            Attendance::InPerson,
        ),
        ("schema:OnlineEventAttendanceMode", Attendance::Virtual),
    ] {
        assert_eq!(attendance_mode(mode), Some(want), "{mode}");
    }
}

#[test]
fn location_shapes() {
    let l = read_location(Some(&json!([
        {"@type": "Place", "name": "Palais des congrès",
         "address": {"@type": "PostalAddress", "addressLocality": "Montréal",
                     "addressRegion": "QC", "addressCountry": {"@type": "Country", "name": "Canada"}}},
        {"@type": "VirtualLocation", "url": "https://rustconf.com/online"}
    ])));
    assert_eq!(l.attendance, Some(Attendance::Hybrid));
    assert_eq!(
        l.place,
        Some(Place::new(Some("Montréal"), Some("QC"), Some("CA")))
    );
    assert_eq!(
        l.virtual_url.as_deref(),
        Some("https://rustconf.com/online")
    );
    assert_eq!(
        l.text.as_deref(),
        Some("Palais des congrès, Montréal, QC, Canada")
    );

    let l = read_location(Some(
        &json!({"@type": "VirtualLocation", "url": "https://meet.example"}),
    ));
    assert_eq!(l.attendance, Some(Attendance::Virtual));
    assert_eq!(l.place, None);

    let l = read_location(Some(&json!("Online")));
    assert_eq!(l.attendance, None);
    assert_eq!(l.text.as_deref(), Some("Online"));

    let l = read_location(Some(&json!({"@type": "Place",
        "address": "Schlesische Str. 27, 10997 Berlin, Germany"})));
    assert_eq!(l.place, None);
    assert_eq!(
        l.text.as_deref(),
        Some("Schlesische Str. 27, 10997 Berlin, Germany")
    );
    assert_eq!(l.attendance, Some(Attendance::InPerson));
}

#[test]
fn statuses() {
    let status = |s: &str| {
        let (e, w) = one(
            &json!({"@type": "Event", "name": "x", "startDate": "2026-09-08",
            "eventStatus": s}),
        );
        let e = e.unwrap();
        (e.status, e.attendance, w.len())
    };
    assert_eq!(
        status("https://schema.org/EventCancelled").0,
        Status::Cancelled
    );
    assert_eq!(status("EventPostponed").0, Status::Postponed);
    assert_eq!(
        status("http://schema.org/EventRescheduled").0,
        Status::Confirmed
    );
    assert_eq!(
        status("https://schema.org/EventMovedOnline"),
        (Status::Confirmed, Some(Attendance::Virtual), 0)
    );
    assert_eq!(status("EventWhatever"), (Status::Confirmed, None, 1));
}

#[test]
fn organizer_list_takes_first() {
    let o = read_organizer(Some(&json!([
        {"@type": "Organization", "name": "Rust Girona", "url": "https://luma.com/rust-girona"},
        {"@type": "Person", "name": "Someone"}
    ])))
    .unwrap();
    assert_eq!(o.name, "Rust Girona");
    assert_eq!(o.url.as_deref(), Some("https://luma.com/rust-girona"));
    assert_eq!(read_organizer(Some(&json!({"@type": "Person"}))), None);
}

#[test]
fn types_and_graph_members() {
    let v = json!({"@context": "https://schema.org", "@graph": [
        {"@type": "WebSite", "name": "site"},
        {"@type": ["EducationEvent"], "name": "A", "startDate": "2026-09-08",
         "subEvent": [{"@type": "Event", "name": "nested", "startDate": "2026-09-09"}]},
        {"@type": "schema:Hackathon", "name": "B", "startDate": "2026-09-10"}
    ]});
    let mut w = Vec::new();
    let scan = scan_blocks(&[v.to_string()], "o", "l", &mut w);
    let names: Vec<&str> = scan.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(names, ["A", "B"]);
    assert_eq!(scan.types, ["WebSite", "EducationEvent", "Hackathon"]);
}

#[test]
fn uids() {
    assert_eq!(
        uid_for_url("https://www.meetup.com/rust-berlin/events/313345334/"),
        "meetup:313345334"
    );
    assert_eq!(uid_for_url("https://lu.ma/ckf2s00f"), "luma:ckf2s00f");
    assert_eq!(
        uid_for_url("https://rustconf.com/"),
        "https://rustconf.com/"
    );
}

#[test]
fn luma_utc_start_becomes_zoned_wall_time() {
    let v = json!({"props": {"pageProps": {"initialData": {"data": {"event": {
        "api_id": "evt-1", "name": "Rust Girona - 2025 01",
        "start_at": "2025-01-08T17:30:00.000Z", "end_at": "2025-01-08T19:30:00.000Z",
        "timezone": "Europe/Madrid", "url": "ckf2s00f", "location_type": "offline",
        "geo_address_info": {"mode": "shown", "city": "Girona", "country": "Spain",
                             "full_address": "Carrer de la Creu, 17002 Girona, Spain"}}}}}}});
    let mut w = Vec::new();
    let evs = luma_next_data(&v, "l", &mut w).unwrap();
    let e = &evs[0];
    let tz: Tz = "Europe/Madrid".parse().unwrap();
    let wall = d("2025-01-08").and_hms_opt(18, 30, 0).unwrap();
    assert_eq!(e.start, When::Zoned(wall, tz));
    assert_eq!(e.url.as_deref(), Some("https://luma.com/ckf2s00f"));
    assert_eq!(e.uid.as_deref(), Some("luma:ckf2s00f"));
    assert_eq!(e.attendance, Some(Attendance::InPerson));
    assert_eq!(e.place, Some(Place::new(Some("Girona"), None, Some("ES"))));
    assert!(w.is_empty());
}

#[test]
fn luma_without_timezone_stays_utc_and_bad_zone_warns() {
    let v = json!({"props": {"pageProps": {"initialData": {"data": {"events": [
        {"event": {"name": "A", "start_at": "2025-01-08T17:30:00Z", "url": "aaa"}},
        {"event": {"name": "B", "start_at": "2025-01-08T17:30:00Z", "url": "bbb",
                   "timezone": "Mars/Olympus"}}
    ]}}}}});
    let mut w = Vec::new();
    let evs = luma_next_data(&v, "l", &mut w).unwrap();
    assert!(matches!(evs[0].start, When::Utc(_)));
    assert!(matches!(evs[1].start, When::Utc(_)));
    assert_eq!(w.len(), 1);
    assert!(w[0].contains("Mars/Olympus"));
    assert_eq!(luma_next_data(&json!({"props": {}}), "l", &mut w), None);
}
