//! luma calendars (`kind = "luma"`, `https://luma.com/<slug>` or `lu.ma/<slug>`).
//!
//! As served in 2026 (`formats.md` §5): the calendar page names the calendar and carries its
//! internal id (`cal-…`, e.g. in `app-argument=luma://calendar/cal-…`); the calendar's public
//! feed is `https://api.lu.ma/ics/get?entity=calendar&id=cal-…`. The feed has no URL property
//! (the event link is in DESCRIPTION: `Get up-to-date information at: https://luma.com/<slug>`),
//! LOCATION is often a URL, every event is `STATUS:TENTATIVE` (luma's way of saying nothing:
//! read as scheduled), DTSTAMP and SEQUENCE change on every request (never read), and the feed
//! holds the calendar's whole history (the iCal reader keeps only what is near the window).
//!
//! The page's own event list (`__NEXT_DATA__`, read by [`super::jsonld`]) is the fallback when
//! the feed cannot be had. Pure functions; the pipeline fetches.
//!
//! `read_page` gives a calendar page's `cal-…` id, slug and name, or those of the calendar an
//! event page names; `add` reads luma pages through it too.

use super::page_util::{PageScripts, at, parse_embedded_json, str_field};
use super::{Parsed, SourceError, fuzz, ical};
use crate::model::{Attendance, RawEvent, Status, Window};
pub use crate::site::luma_com::{calendar_id, feed_url, is_calendar_id};
use super::kind::{Claim, Kind, PageScope, Reach, SourceKind, WaysIn};
use crate::site::luma_com;

/// What a calendar page says about its calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarPage {
    /// The internal id (`cal-…`) the feed URL needs.
    pub id: Option<String>,
    /// Its public slug (`luma.com/<slug>`), when the page's data gives a well-formed one.
    pub slug: Option<String>,
    /// The calendar's name (its Next.js data, else `og:title`, else `<title>` without
    /// " · Luma").
    pub name: Option<String>,
}

/// Reads a luma page (a calendar's, or an event's, which names its calendar): the calendar's
/// `cal-…` id, slug and name.
pub fn read_page(html: &str) -> CalendarPage {
    let scripts = PageScripts::read(html);
    let data = scripts
        .next_data
        .as_deref()
        .and_then(|t| parse_embedded_json(t).ok())
        .map(|(v, _)| v);
    // A calendar page names its calendar under `data`, an event page under `data.event`.
    let base = ["props", "pageProps", "initialData", "data"];
    let calendar = data.as_ref().and_then(|v| {
        at(v, &[base.as_slice(), &["calendar"]].concat())
            .or_else(|| at(v, &[base.as_slice(), &["event", "calendar"]].concat()))
    });
    let slug = calendar
        .and_then(|c| str_field(c, "slug"))
        .filter(|s| {
            !s.is_empty()
                && s.len() <= 64
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_string);
    let id = calendar
        .and_then(|c| str_field(c, "api_id"))
        .filter(|id| is_calendar_id(id))
        .map(str::to_string)
        .or_else(|| calendar_id(html));
    let name = calendar
        .and_then(|c| str_field(c, "name"))
        .map(str::to_string)
        .or_else(|| meta_content(html, "og:title"))
        .or_else(|| scripts.title.clone())
        .map(|n| strip_site_suffix(&n))
        .map(|n| crate::text::clean_field(&n, crate::text::MAX_NAME))
        .filter(|n| !n.is_empty());
    CalendarPage { id, slug, name }
}

/// `<meta property="og:title" content="…">` (or `name=`), entity-decoded. A linear scan of
/// the tags; the first match wins.
fn meta_content(html: &str, property: &str) -> Option<String> {
    let mut found: Option<String> = None;
    super::page_util::scan_html(html, |item| {
        if found.is_some() {
            return;
        }
        if let super::page_util::HtmlItem::Start { tag, attrs, .. } = item
            && tag == "meta"
            && attrs.property.as_deref().map(str::trim) == Some(property)
        {
            found = attrs.content;
        }
    });
    found
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}

/// "Rust Girona · Luma" → "Rust Girona".
/// luma's page titles also say "· Events Calendar" before "· Luma".
fn strip_site_suffix(name: &str) -> String {
    let mut name = name.trim();
    'strip: loop {
        for sep in [" · ", " | ", " - "] {
            if let Some((head, tail)) = name.rsplit_once(sep)
                && matches!(
                    tail.trim().to_ascii_lowercase().as_str(),
                    "luma" | "lu.ma" | "events calendar" | "calendar"
                )
            {
                name = head.trim();
                continue 'strip;
            }
        }
        return name.to_string();
    }
}

/// Reads a calendar's ICS feed: the iCal reader (which keeps only the occurrences near the
/// window out of the whole history), then luma's conventions: the event link from the
/// description, TENTATIVE read as scheduled, a URL location read as "no place" (luma puts the
/// event's page there for online events and for hidden addresses; the event page, verified
/// later, tells which).
pub fn parse_feed(
    text: &str,
    origin: &str,
    label: &str,
    window: &Window,
) -> Result<Parsed, SourceError> {
    let mut parsed = ical::parse(text, origin, label, window)?;
    for ev in &mut parsed.events {
        adapt_event(ev);
    }
    Ok(parsed)
}

fn adapt_event(ev: &mut RawEvent) {
    if ev.status == Status::Tentative {
        ev.status = Status::Confirmed;
    }
    if ev.url.is_none() {
        ev.url = ev.links.iter().find(|l| is_event_link(l)).cloned();
    }
    if let Some(loc) = &ev.location {
        let trimmed = loc.trim();
        if trimmed.starts_with("https://") || trimmed.starts_with("http://") {
            let link = trimmed.to_string();
            ev.location = None;
            // A meeting link says online; luma's own page says nothing yet.
            if !is_luma(&link) && ev.attendance.is_none() {
                ev.attendance = Some(Attendance::Virtual);
            }
            if !ev.links.contains(&link) {
                ev.links.push(link);
            }
        }
    }
}

/// A luma page other than a calendar or a profile: an event page (`/<slug>`, `/event/evt-…`).
fn is_event_link(url: &str) -> bool {
    let Some(p) = crate::link::parts(url) else {
        return false;
    };
    if p.host != "luma.com" {
        return false;
    }
    match p.segments.as_slice() {
        [slug] => !slug.starts_with("cal-") && !matches!(slug.as_str(), "home" | "discover"),
        [first, _] => first == "event",
        _ => false,
    }
}

fn is_luma(url: &str) -> bool {
    crate::link::parts(url).is_some_and(|p| p.host == "luma.com")
}


/// A luma calendar.
pub struct Luma;

impl Kind for Luma {
    fn kind(&self) -> SourceKind {
        SourceKind::Luma
    }
    fn reach(&self) -> Reach {
        Reach::Site
    }
    fn reader_name(&self) -> &'static str {
        "luma reader"
    }
    /// The page's id and name, and the feed read with luma's conventions (the same bytes read
    /// both ways: a page and a feed are strangers' text alike).
    fn fuzz(&self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        let page = read_page(&text);
        if let Some(id) = &page.id {
            assert!(id.starts_with("cal-") && id.len() <= 40, "{id:?}");
            assert!(id[4..].chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");
        }
        if let Some(name) = &page.name {
            assert!(!name.contains('\n') && name.chars().count() <= crate::text::MAX_NAME + 1);
        }
        let feed = ical::decode(data);
        if let Ok(p) = parse_feed(&feed, "https://api.lu.ma/ics/get", "fuzz", &fuzz::window(data)) {
            fuzz::check(&p, "luma feed");
            for e in &p.events {
                assert!(e.status != Status::Tentative, "TENTATIVE is scheduled");
            }
        }
    }
    fn fuzz_seeds(&self) -> &'static [(&'static str, &'static str)] {
        &[("tests/fixtures/pages", "luma"), ("tests/fixtures/luma", "")]
    }
    fn ways_in(&self) -> WaysIn {
        WaysIn::FeedThroughPage
    }
    fn check_url(&self, url: &str) -> Result<(), (String, &'static str)> {
        if luma_com::is_page_url(url) {
            return Ok(());
        }
        Err((
            format!("url {url:?} is not a luma calendar page"),
            "kind = \"luma\" takes the calendar's page, url = \"https://luma.com/<slug>\" (or lu.ma/<slug>); for its ICS feed use kind = \"ical\"",
        ))
    }
    /// The calendar page, read for its own event list (the fallback of its feed).
    fn parse(&self, text: &str, url: &str, label: &str, _: &Window) -> Result<Parsed, SourceError> {
        super::jsonld::parse_page(text, url, label)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::Host
    }
    fn owns(&self, url: &str) -> Option<String> {
        let p = crate::link::parts(url)?;
        if p.host != luma_com::HOST
            || p.segments.len() == 1 && luma_com::is_event_slug(&p.segments[0])
        {
            return None;
        }
        luma_com::group(&p.segments)
    }
    /// Any page of luma.com: an event's (its calendar is in its data), a calendar's (as the
    /// URL writes its path: a `cal-…` id is case-sensitive), else refused.
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let u = url::Url::parse(url).ok()?;
        let p = crate::link::parts(url)?;
        if p.host != luma_com::HOST {
            return None;
        }
        if p.segments.len() == 1 && luma_com::is_event_slug(&p.segments[0]) {
            // As the pipeline fetches event pages: luma.com (lu.ma redirects there).
            return Some(Claim::EventPage(format!(
                "https://{}/{}",
                luma_com::HOST,
                u.path().trim_matches('/')
            )));
        }
        if let Some(group) = luma_com::group(&p.segments) {
            let path = super::kind::original_case_path(&u, group.trim_start_matches(luma_com::HOST));
            return Some(Claim::Source {
                url: format!("https://{}{path}", luma_com::HOST),
                groups: vec![group],
            });
        }
        Some(Claim::Refused(format!(
            "{url:?} names no luma calendar: give the calendar's page, https://luma.com/<calendar>"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_calendar_id_is_found_where_luma_puts_it() {
        let page = r#"<html><head><meta name="apple-itunes-app" content="app-id=1546146026, app-argument=luma://calendar/cal-bif2oHITU1aVvsr"><meta property="og:title" content="Rust Girona · Luma"><title>Rust Girona · Luma</title></head></html>"#;
        let c = read_page(page);
        assert_eq!(c.id.as_deref(), Some("cal-bif2oHITU1aVvsr"));
        assert_eq!(c.name.as_deref(), Some("Rust Girona"));
        assert_eq!(
            strip_site_suffix("Rust Girona · Events Calendar · Luma"),
            "Rust Girona"
        );
        // Anywhere in the page, but not inside another word; too short or too long: none.
        assert_eq!(
            calendar_id(r#"{"api_id":"cal-iOloL5ZqswCO5Mm"}"#).as_deref(),
            Some("cal-iOloL5ZqswCO5Mm")
        );
        assert_eq!(calendar_id("local-abcdefghijkl"), None);
        assert_eq!(calendar_id("cal-short"), None);
        assert_eq!(calendar_id(&format!("cal-{}", "a".repeat(60))), None);
        assert_eq!(calendar_id("no id here"), None);
        // The URL form https://luma.com/calendar/cal-… carries it too.
        assert_eq!(
            calendar_id("https://luma.com/calendar/cal-z65k0aMSe7DaqKv").as_deref(),
            Some("cal-z65k0aMSe7DaqKv")
        );
    }

    #[test]
    fn the_next_data_names_the_calendar_first() {
        let page = r#"<title>Something · Luma</title><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"initialData":{"data":{"calendar":{"api_id":"cal-AAAAAAAAAAAAAAA","name":"Rust Melbourne","slug":"rustmelbourne"},"events":[]}}}}}</script>"#;
        let c = read_page(page);
        assert_eq!(c.id.as_deref(), Some("cal-AAAAAAAAAAAAAAA"));
        assert_eq!(c.name.as_deref(), Some("Rust Melbourne"));
    }

    const FEED: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Luma//EN\r\nX-WR-CALNAME:Rust Girona\r\nBEGIN:VEVENT\r\nDTSTAMP:20260916T090000Z\r\nSEQUENCE:5\r\nUID:evt-AbCdEfGhIjKlMnO@events.lu.ma\r\nDTSTART:20260924T170000Z\r\nDTEND:20260924T190000Z\r\nSUMMARY:Rust Girona #12\r\nDESCRIPTION:Get up-to-date information at: https://luma.com/k3x8m2qp\\n\\nTalks.\r\nLOCATION:https://luma.com/k3x8m2qp\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTAMP:20260916T090000Z\r\nUID:evt-old@events.lu.ma\r\nDTSTART:20230105T170000Z\r\nDTEND:20230105T190000Z\r\nSUMMARY:Old one\r\nDESCRIPTION:Get up-to-date information at: https://luma.com/oldoldol\r\nSTATUS:TENTATIVE\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    #[test]
    fn a_feed_event_gets_its_link_from_the_description_and_is_scheduled() {
        let window = Window {
            from: "2026-09-16".parse().unwrap(),
            to: "2026-10-14".parse().unwrap(),
        };
        let p = parse_feed(FEED, "feed", "Rust Girona", &window).unwrap();
        assert_eq!(p.events.len(), 1, "history is left out: {:?}", p.events);
        let e = &p.events[0];
        assert_eq!(e.url.as_deref(), Some("https://luma.com/k3x8m2qp"));
        // The feed's DTEND, as written (UTC).
        assert_eq!(
            e.end,
            Some(crate::model::When::Utc(
                "2026-09-24T19:00:00Z".parse().unwrap()
            ))
        );
        assert_eq!(e.status, Status::Confirmed);
        assert_eq!(e.location, None, "a URL is not a place");
        assert_eq!(e.attendance, None, "luma's own link says nothing yet");
    }
}
