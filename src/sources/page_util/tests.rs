use super::*;
use chrono::TimeZone;

fn off(s: &str) -> When {
    When::Offset(DateTime::parse_from_rfc3339(s).unwrap())
}

#[test]
fn when_with_offset_with_and_without_seconds() {
    assert_eq!(
        parse_when("2026-10-08T18:30:00+02:00"),
        Some(off("2026-10-08T18:30:00+02:00"))
    );
    assert_eq!(
        parse_when("2025-01-16T19:00+01:00"),
        Some(off("2025-01-16T19:00:00+01:00"))
    );
    assert_eq!(
        parse_when("2025-01-16T19:00:00-0500"),
        Some(off("2025-01-16T19:00:00-05:00"))
    );
    assert_eq!(
        parse_when("2025-01-16 19:00:00+01:00"),
        Some(off("2025-01-16T19:00:00+01:00"))
    );
}

#[test]
fn when_utc_date_and_floating() {
    assert_eq!(
        parse_when("2026-08-21T16:00:00.000Z"),
        Some(When::Utc(
            chrono::Utc.with_ymd_and_hms(2026, 8, 21, 16, 0, 0).unwrap()
        ))
    );
    assert_eq!(
        parse_when("2026-09-08"),
        Some(When::Date(NaiveDate::from_ymd_opt(2026, 9, 8).unwrap()))
    );
    let naive = NaiveDate::from_ymd_opt(2026, 9, 8)
        .unwrap()
        .and_hms_opt(9, 0, 0)
        .unwrap();
    assert_eq!(parse_when("2026-09-08T09:00"), Some(When::Floating(naive)));
    assert_eq!(
        parse_when("2026-09-08T09:00:00"),
        Some(When::Floating(naive))
    );
    assert_eq!(parse_when("next Tuesday"), None);
    assert_eq!(parse_when(""), None);
}

#[test]
fn years_outside_one_to_9999_are_not_read() {
    assert_eq!(parse_when("+262000-01-01"), None);
    assert_eq!(parse_when("+262000-01-01T10:00:00Z"), None);
    assert_eq!(parse_when("-0001-01-01T10:00"), None);
    assert_eq!(parse_when("0000-01-01"), None);
    assert!(parse_when("9999-12-31T23:59:59+14:00").is_some());
    assert_eq!(parse_when(&"2026-01-01".repeat(1000)), None);
}

#[test]
fn markup_too_deep_or_too_wide_for_html5ever_is_recognised() {
    assert_eq!(html_too_complex("plain text, a < b"), None);
    let ok = "<p>Hi <b>there</b><br><img src=x><br/><a href='https://x.org/?a>b'>x</a></p>";
    assert_eq!(html_too_complex(ok), None);
    let deep = "<div>".repeat(MAX_HTML_DEPTH + 1);
    assert!(html_too_complex(&deep).unwrap().contains("nested deeper"));
    // Void elements, self-closing tags and raw text do not nest.
    let flat = format!(
        "{}<script>{}</script>",
        "<br><img/><span/>".repeat(10_000),
        "<div>".repeat(10_000)
    );
    assert_eq!(html_too_complex(&flat), None);
    let closed = "<div></div>".repeat(10_000);
    assert_eq!(html_too_complex(&closed), None);
    let wide = format!("<a{}>", " x".repeat(MAX_HTML_ATTRIBUTES + 1));
    assert!(html_too_complex(&wide).unwrap().contains("attributes"));
    // Cut anywhere, even inside a character or a quoted value, nothing panics.
    let page = "<!DOCTYPE html><!-- é --><div id=\"é\" class='a>b'><script>x</script></dív>";
    for i in (0..page.len()).filter(|i| page.is_char_boundary(*i)) {
        let _ = html_too_complex(&page[..i]);
        let _ = PageScripts::read(&page[..i]);
    }
}

#[test]
fn places_drop_gb_postcode_state_and_upcase_country() {
    let p = make_place(Some("Cardiff"), Some("W4"), Some("gb")).unwrap();
    assert_eq!(p, Place::new(Some("Cardiff"), None, Some("GB")));
    let p = make_place(Some("Dallas"), Some("TX"), Some("us")).unwrap();
    assert_eq!(p.to_string(), "Dallas, TX, US");
    let p = make_place(Some("Girona"), None, Some("Spain")).unwrap();
    assert_eq!(p.country.as_deref(), Some("ES"));
    assert_eq!(make_place(Some(""), Some(" "), Some("")), None);
}

#[test]
fn country_codes_and_names() {
    assert_eq!(country_code("de").as_deref(), Some("DE"));
    assert_eq!(country_code("UK").as_deref(), Some("GB"));
    assert_eq!(country_code("United States").as_deref(), Some("US"));
    assert_eq!(country_code("Atlantis"), None);
}

#[test]
fn urls_lose_tracking_params_only() {
    assert_eq!(
        clean_url("https://lu.ma/ckf2s00f?lm_source=calendar&utm_source=x"),
        "https://lu.ma/ckf2s00f"
    );
    assert_eq!(
        clean_url("https://luma.com/1bm27cah?tk=abc&utm_medium=email"),
        "https://luma.com/1bm27cah?tk=abc"
    );
    let eb = "https://www.eventbrite.fr/e/rust-meetup-in-paris-hosted-by-stockly-tickets-444152621447?aff=ebdssbdestsearch";
    assert_eq!(clean_url(eb), eb);
    assert_eq!(
        clean_url(" https://rustconf.com/ "),
        "https://rustconf.com/"
    );
}

#[test]
fn meetup_ids_and_urlnames() {
    let u = "https://www.meetup.com/de-DE/Rust-Rhein-Main/events/229564640/?eventId=229564640";
    assert_eq!(meetup_event_id(u).as_deref(), Some("229564640"));
    assert_eq!(meetup_urlname(u).as_deref(), Some("Rust-Rhein-Main"));
    let u = "https://www.meetup.com/indyrs/events/wqzhftyjcmbdb/";
    assert_eq!(meetup_event_id(u).as_deref(), Some("wqzhftyjcmbdb"));
    assert_eq!(
        meetup_event_id("https://www.meetup.com/indyrs/events/"),
        None
    );
    assert_eq!(meetup_event_id("https://lu.ma/events/123"), None);
}

#[test]
fn json_with_raw_newlines_is_repaired() {
    let (v, repaired) = parse_embedded_json("{\"a\": \"line\nbreak\"}").unwrap();
    assert!(repaired);
    assert_eq!(v["a"], "line break");
    assert!(parse_embedded_json("{\"a\": }").is_err());
}

#[test]
fn scripts_are_found_and_not_entity_decoded() {
    let html = r#"<!DOCTYPE html><html><head><title> Rust
        Berlin </title><script>var x = 1;</script>
        <script type="application/ld+json">{"name":"A &amp; B \u0026 C"}</script></head>
        <body><script id="__NEXT_DATA__" type="application/json">{"props":{}}</script></body></html>"#;
    let s = PageScripts::read(html);
    assert_eq!(s.title.as_deref(), Some("Rust Berlin"));
    assert_eq!(s.script_count, 3);
    assert_eq!(
        s.ld_json,
        vec![r#"{"name":"A &amp; B \u0026 C"}"#.to_string()]
    );
    assert_eq!(s.next_data.as_deref(), Some(r#"{"props":{}}"#));
}
