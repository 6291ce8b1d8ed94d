//! Helpers shared by the page parsers ([`meetup`](super::meetup), [`jsonld`](super::jsonld)):
//! finding embedded `<script>` data in an HTML document, reading the date forms pages use,
//! building a [`Place`] from page fields, and cleaning event URLs.
//!
//! Everything here is pure: text in, values out.

use crate::model::{Place, When};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};
use scraper::{Html, Selector};
use serde_json::Value;

/// The embedded data of one HTML document: what the page parsers read.
#[derive(Debug, Default, Clone)]
pub struct PageScripts {
    /// The text of `<script id="__NEXT_DATA__">`, if the page has one.
    pub next_data: Option<String>,
    /// The text of every `<script type="application/ld+json">`, in document order.
    pub ld_json: Vec<String>,
    /// The page's `<title>`, whitespace collapsed (for error messages).
    pub title: Option<String>,
    /// How many `<script>` elements the page has (for error messages).
    pub script_count: usize,
}

impl PageScripts {
    /// Reads the embedded scripts of an HTML document. Script bodies are raw text in HTML, so
    /// no entity decoding happens here; JSON escapes such as `\u0026` are left to serde_json.
    pub fn read(html: &str) -> PageScripts {
        let doc = Html::parse_document(html);
        let scripts = Selector::parse("script").expect("static selector");
        let title_sel = Selector::parse("title").expect("static selector");
        let mut out = PageScripts {
            title: doc
                .select(&title_sel)
                .next()
                .map(|t| collapse_ws(&t.text().collect::<String>()))
                .filter(|t| !t.is_empty()),
            ..PageScripts::default()
        };
        for el in doc.select(&scripts) {
            out.script_count += 1;
            let attrs = el.value();
            let text = || el.text().collect::<String>();
            if attrs.id() == Some("__NEXT_DATA__") && out.next_data.is_none() {
                out.next_data = Some(text());
            } else if attrs
                .attr("type")
                .map(|t| {
                    t.trim()
                        .to_ascii_lowercase()
                        .starts_with("application/ld+json")
                })
                .unwrap_or(false)
            {
                out.ld_json.push(text());
            }
        }
        out
    }

    /// A one-line account of what the page holds, for "nothing usable found" errors.
    pub fn describe(&self, html_len: usize) -> String {
        let title = match &self.title {
            Some(t) => format!("title \"{}\"", truncate(t, 80)),
            None => "no <title>".to_string(),
        };
        format!(
            "{title}, {} bytes, {} <script> elements, {} JSON-LD blocks, {}",
            html_len,
            self.script_count,
            self.ld_json.len(),
            if self.next_data.is_some() {
                "a __NEXT_DATA__ script"
            } else {
                "no __NEXT_DATA__ script"
            }
        )
    }
}

/// Parses a JSON document embedded in a page. Pages written by hand or by templates sometimes
/// put raw line breaks or tabs inside JSON strings, which JSON forbids; when strict parsing
/// fails, a second try replaces those control characters with spaces. Returns the value and
/// whether that repair was needed.
pub fn parse_embedded_json(text: &str) -> Result<(Value, bool), serde_json::Error> {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(v) => Ok((v, false)),
        Err(first) => {
            let repaired: String = text
                .trim()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            serde_json::from_str::<Value>(&repaired)
                .map(|v| (v, true))
                .map_err(|_| first)
        }
    }
}

/// Follows a JSON path of object keys.
pub fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// A non-empty, trimmed string field.
pub fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads the date and time forms event pages use:
/// - with an offset, seconds optional: `2026-10-08T18:30:00+02:00`, `2025-01-16T19:00+01:00`,
///   also `+0200` and a space instead of `T` → [`When::Offset`];
/// - a `Z` (UTC) instant → [`When::Utc`] (the page did not say the local zone);
/// - a date alone, `2026-09-08` → [`When::Date`];
/// - a date and time without offset → [`When::Floating`].
pub fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(When::Date(d));
    }
    let t = s.replacen(' ', "T", 1);
    if let Some(rest) = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')) {
        return parse_naive(rest).map(|n| When::Utc(n.and_utc()));
    }
    if let Some(dt) = parse_offset(&t) {
        return Some(When::Offset(dt));
    }
    parse_naive(&t).map(When::Floating)
}

fn parse_offset(t: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt);
    }
    [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(t, f).ok())
}

fn parse_naive(t: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Builds a [`Place`] from a page's city, state/region and country fields. The country may be a
/// code in any case or a name ([`country_code`]). For GB the "state" pages carry is part of a
/// postcode (meetup) or a nation name, never a usable region: it is dropped.
pub fn make_place(city: Option<&str>, state: Option<&str>, country: Option<&str>) -> Option<Place> {
    let country = country.and_then(country_code);
    // GB venues carry part of a postcode in `state`; US, CA and AU states are printed as
    // codes whatever the page wrote ("Texas", "bc").
    let state = match country.as_deref() {
        Some("GB") => None,
        Some(cc @ ("US" | "CA" | "AU")) => state.map(|s| {
            crate::normalize::location::state_code(cc, s)
                .map(str::to_string)
                .unwrap_or_else(|| s.trim().to_string())
        }),
        _ => state.map(str::to_string),
    };
    let place = Place::new(city, state.as_deref(), country.as_deref());
    (!place.is_empty()).then_some(place)
}

#[cfg(test)]
mod place_tests {
    use super::*;

    #[test]
    fn states_become_codes_and_gb_postcodes_go() {
        let p = make_place(Some("Austin"), Some("Texas"), Some("us")).unwrap();
        assert_eq!(p.to_string(), "Austin, TX, US");
        let p = make_place(Some("Vancouver"), Some("bc"), Some("ca")).unwrap();
        assert_eq!(p.to_string(), "Vancouver, BC, CA");
        let p = make_place(Some("Cardiff"), Some("CF11"), Some("gb")).unwrap();
        assert_eq!(p.state, None);
    }
}

/// An ISO 3166-1 alpha-2 code for a country written as a code or a name (any language the
/// location module knows).
pub fn country_code(s: &str) -> Option<String> {
    crate::normalize::location::country_code(s).map(str::to_string)
}

/// Removes tracking parameters (`utm_*`, luma's `lm_source`/`lm_*`) from a URL and keeps every
/// other parameter (`?aff=…`, `?eventId=…`). Text that is not a URL is returned trimmed.
pub fn clean_url(s: &str) -> String {
    let s = s.trim();
    let Ok(mut url) = url::Url::parse(s) else {
        return s.to_string();
    };
    if url.query().is_none() {
        return s.to_string();
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !(k.starts_with("utm_") || k.starts_with("lm_")))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let before = url.query_pairs().count();
    if kept.len() == before {
        return s.to_string();
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.to_string()
}

/// Decodes HTML entities (`&amp;`, `&#39;`, `&quot;`) and trims; titles in JSON-LD are often
/// entity-encoded by the page template.
pub fn decode_text(s: &str) -> String {
    collapse_ws(&html_escape::decode_html_entities(s))
}

/// The meetup event id in a meetup.com event URL (`/<urlname>/events/<id>/`), numeric or the
/// older alphanumeric form.
pub fn meetup_event_id(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if !(host == "meetup.com" || host.ends_with(".meetup.com")) {
        return None;
    }
    let segs: Vec<&str> = parsed.path_segments()?.filter(|s| !s.is_empty()).collect();
    let i = segs.iter().position(|s| *s == "events")?;
    let id = segs.get(i + 1)?;
    (id.chars().all(|c| c.is_ascii_alphanumeric()) && *id != "ical").then(|| id.to_string())
}

/// The group urlname in a meetup.com URL (`/<urlname>/events/…`, also `/de-DE/<urlname>/…`).
pub fn meetup_urlname(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if !(host == "meetup.com" || host.ends_with(".meetup.com")) {
        return None;
    }
    let mut segs = parsed.path_segments()?.filter(|s| !s.is_empty()).peekable();
    let first = segs.next()?;
    // A locale prefix: `de-DE`, `fr-FR`, `ja-JP`.
    let is_locale = first.len() == 5 && first.as_bytes()[2] == b'-';
    let name = if is_locale { segs.next()? } else { first };
    Some(name.to_string())
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
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
}
