//! Verification: a calendar entry that links to a meetup or luma event page is checked
//! against that page, the editors' manual rule made automatic: "if the date on the meetup page
//! differs from the calendar, the page wins; cancelled events are removed".
//!
//! [`page_to_verify`] says which page (if any) an entry links to; [`apply`] is the pure merge
//! of the page's facts into the entry, returning the corrections for the review report.
//! Fetching the pages is the pipeline's job.

use crate::link::Trusted;
pub use crate::link::{PageKind, page_kind};
use crate::model::{RawEvent, Status, When};
use serde::Serialize;

/// One fact the page changed, for the review report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Correction {
    /// The calendar entry (title and link), in words: `"Title" (link)`.
    pub event: String,
    /// The calendar entry's title.
    pub title: String,
    /// The calendar entry's link (its own, else its first), when it has one.
    pub url: Option<String>,
    pub field: &'static str,
    pub calendar: String,
    pub page: String,
}

/// The event page an entry should be verified against: its first meetup or luma event link
/// that may be fetched (not to a private address, but for the hosts `trusted` names).
pub fn page_to_verify(raw: &RawEvent, trusted: &Trusted) -> Option<(String, PageKind)> {
    raw.url
        .iter()
        .chain(raw.links.iter())
        .filter(|u| may_fetch(u, trusted))
        .find_map(|u| page_kind(u).map(|k| (u.clone(), k)))
}

/// Whether an event page a source links may be fetched: a link the output could carry, not to
/// this machine or its network unless the sources file names its host and port.
pub fn may_fetch(url: &str, trusted: &Trusted) -> bool {
    crate::link::check_within(url, trusted).is_ok()
}

fn when_text(w: &When) -> String {
    match w {
        When::Date(d) => d.to_string(),
        When::Utc(u) => u.format("%Y-%m-%d %H:%M UTC").to_string(),
        When::Zoned(n, tz) => format!("{} {}", n.format("%Y-%m-%d %H:%M"), tz.name()),
        When::Offset(o) => o.format("%Y-%m-%d %H:%M %:z").to_string(),
        When::Floating(n) => n.format("%Y-%m-%d %H:%M").to_string(),
    }
}

/// The calendar's start as a correction says it beside the page's: a UTC instant in the
/// page's zone (or offset) first, then in UTC, so that an American evening stored on the next
/// day in UTC does not read as a moved date.
fn when_beside(calendar: &When, page: &When) -> String {
    match (calendar, page) {
        (When::Utc(u), When::Zoned(_, tz)) => format!(
            "{} {} ({})",
            u.with_timezone(tz).format("%Y-%m-%d %H:%M"),
            tz.name(),
            when_text(calendar)
        ),
        (When::Utc(u), When::Offset(o)) => format!(
            "{} ({})",
            u.with_timezone(o.offset()).format("%Y-%m-%d %H:%M %:z"),
            when_text(calendar)
        ),
        _ => when_text(calendar),
    }
}

/// The instant of a `When`, where it has one, to compare calendar and page.
fn instant(w: &When) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::TimeZone;
    match w {
        When::Utc(u) => Some(*u),
        When::Zoned(n, tz) => tz.from_local_datetime(n).earliest().map(|d| d.to_utc()),
        When::Offset(o) => Some(o.to_utc()),
        When::Date(_) | When::Floating(_) => None,
    }
}

/// Merges the page's facts into the calendar entry: date and time, place, attendance, status,
/// title, link and organizer come from the page when it has them. Returns the corrected entry
/// and what changed.
pub fn apply(calendar: &RawEvent, page: &RawEvent) -> (RawEvent, Vec<Correction>) {
    let mut out = calendar.clone();
    let mut corrections = Vec::new();
    let link = calendar
        .url
        .as_deref()
        .or(calendar.links.first().map(String::as_str));
    let who = format!(
        "{} ({})",
        crate::text::quoted(&calendar.title),
        link.unwrap_or("")
    );
    let mut note = |field: &'static str, before: String, after: String| {
        corrections.push(Correction {
            event: who.clone(),
            title: calendar.title.clone(),
            url: link.map(str::to_string),
            field,
            calendar: before,
            page: after,
        });
    };

    let same_time = match (instant(&calendar.start), instant(&page.start)) {
        (Some(a), Some(b)) => a == b,
        _ => calendar.start == page.start,
    };
    if !same_time {
        note(
            "start",
            when_beside(&calendar.start, &page.start),
            when_text(&page.start),
        );
    }
    out.start = page.start.clone();
    // The end travels with its start: the page's, or the calendar's when the page has none
    // and starts when the calendar does (an end kept with a moved start would be wrong).
    if page.end.is_some() || !same_time {
        out.end.clone_from(&page.end);
    }
    if page.status != calendar.status && page.status != Status::Confirmed {
        note(
            "status",
            format!("{:?}", calendar.status),
            format!("{:?}", page.status),
        );
    }
    out.status = page.status;
    if let Some(a) = page.attendance {
        // The calendar's own word (`InPerson`), not `Some(InPerson)`.
        if let Some(c) = calendar.attendance.filter(|c| *c != a) {
            note("attendance", format!("{c:?}"), format!("{a:?}"));
        }
        out.attendance = Some(a);
    }
    if let Some(p) = page.place.clone().filter(|p| !p.is_empty()) {
        out.place = Some(p);
    }
    if page.location.is_some() {
        out.location.clone_from(&page.location);
    }
    if !page.title.trim().is_empty() {
        out.title.clone_from(&page.title);
    }
    if let Some(u) = &page.url {
        out.url = Some(u.clone());
    }
    if page.organizer.is_some() {
        out.organizer.clone_from(&page.organizer);
    }
    if page.uid.is_some() {
        out.uid.clone_from(&page.uid);
    }
    (out, corrections)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, NaiveDate, TimeZone, Utc};

    #[test]
    fn a_corrected_utc_start_is_said_in_the_page_s_zone_too() {
        // The calendar: 00:30 UTC on the 17th (19:30 CDT); the page: 20:30 in Chicago on the 16th.
        let utc = Utc.with_ymd_and_hms(2026, 9, 17, 0, 30, 0).unwrap();
        let calendar = RawEvent::new("cal", "Chicago Rust", When::Utc(utc));
        let local = NaiveDate::from_ymd_opt(2026, 9, 16)
            .unwrap()
            .and_hms_opt(20, 30, 0)
            .unwrap();
        let mut page = calendar.clone();
        page.start = When::Zoned(local, chrono_tz::America::Chicago);
        let (_, corrections) = apply(&calendar, &page);
        assert_eq!(corrections[0].field, "start");
        assert_eq!(
            corrections[0].calendar,
            "2026-09-16 19:30 America/Chicago (2026-09-17 00:30 UTC)"
        );
        assert_eq!(corrections[0].page, "2026-09-16 20:30 America/Chicago");
        assert_eq!(corrections[0].title, "Chicago Rust");
        assert_eq!(corrections[0].url, None);
    }

    #[test]
    fn recognises_event_pages() {
        assert_eq!(
            page_kind("https://www.meetup.com/de-DE/rust-zurich/events/290915075/"),
            Some(PageKind::MeetupEvent)
        );
        assert_eq!(
            page_kind("https://www.meetup.com/indyrs/events/qwtdjsyfcdbcb/"),
            Some(PageKind::MeetupEvent)
        );
        assert_eq!(page_kind("https://www.meetup.com/indyrs/events/"), None);
        assert_eq!(
            page_kind("https://luma.com/1bm27cah"),
            Some(PageKind::LumaEvent)
        );
        assert_eq!(
            page_kind("https://lu.ma/arkkrcj5?lm_source=x"),
            Some(PageKind::LumaEvent)
        );
        assert_eq!(page_kind("https://luma.com/rust-girona"), None);
        assert_eq!(
            page_kind("https://luma.com/calendar/cal-bif2oHITU1aVvsr"),
            None
        );
    }

    #[test]
    fn page_date_wins_and_is_reported() {
        let cal_start = Utc.with_ymd_and_hms(2023, 2, 15, 1, 0, 0).unwrap();
        let mut cal = RawEvent::new("cal", "Meetup", When::Utc(cal_start));
        cal.links = vec!["https://www.meetup.com/dallasrust/events/1/".into()];
        let page_start = DateTime::parse_from_rfc3339("2023-02-21T19:00:00-06:00").unwrap();
        let page = RawEvent::new("page", "Meetup", When::Offset(page_start));
        let (out, corr) = apply(&cal, &page);
        assert_eq!(out.start, When::Offset(page_start));
        assert_eq!(corr.len(), 1);
        assert_eq!(corr[0].field, "start");
        // Same instant written differently is not a correction.
        let page2 = RawEvent::new(
            "page",
            "Meetup",
            When::Offset(DateTime::parse_from_rfc3339("2023-02-14T19:00:00-06:00").unwrap()),
        );
        let (_, corr) = apply(&cal, &page2);
        assert!(corr.is_empty(), "{corr:?}");
        let _ = NaiveDate::MIN;
    }

    #[test]
    fn the_end_travels_with_the_start_it_belongs_to() {
        let at = |s: &str| When::Offset(DateTime::parse_from_rfc3339(s).unwrap());
        let mut cal = RawEvent::new("cal", "Meetup", at("2023-02-14T19:00:00-06:00"));
        cal.end = Some(at("2023-02-14T21:00:00-06:00"));
        // The page has its own end: it wins.
        let mut page = RawEvent::new("page", "Meetup", at("2023-02-14T19:00:00-06:00"));
        page.end = Some(at("2023-02-14T20:30:00-06:00"));
        assert_eq!(apply(&cal, &page).0.end, page.end);
        // The page starts when the calendar does and says no end: the calendar's stays.
        page.end = None;
        assert_eq!(apply(&cal, &page).0.end, cal.end);
        // The page moved the start and says no end: the calendar's end is not this start's.
        let moved = RawEvent::new("page", "Meetup", at("2023-02-21T19:00:00-06:00"));
        let (out, corr) = apply(&cal, &moved);
        assert_eq!(corr[0].field, "start");
        assert_eq!(out.end, None);
    }

    #[test]
    fn cancelled_on_the_page_is_reported() {
        let d = NaiveDate::from_ymd_opt(2023, 2, 1).unwrap();
        let cal = RawEvent::new("cal", "x", When::Date(d));
        let mut page = RawEvent::new("page", "x", When::Date(d));
        page.status = Status::Cancelled;
        let (out, corr) = apply(&cal, &page);
        assert_eq!(out.status, Status::Cancelled);
        assert_eq!(corr[0].field, "status");
    }
}
