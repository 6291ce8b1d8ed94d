//! Domain types shared by every pipeline stage.
//!
//! A source produces [`RawEvent`]s (what the feed or page said, unchanged in meaning);
//! `normalize` turns each into an [`Event`] (local dates, a [`Place`], an [`Attendance`], a
//! [`Region`] list and an [`Organizer`]); `dedupe` merges [`Event`]s; `render` prints them.
//! Nothing here does I/O.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::fmt;

/// The inclusive date range an issue covers ("Rusty Events between FROM - TO").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Window {
    /// True when any day of the inclusive range `start..=end` falls in the window.
    pub fn overlaps(&self, start: NaiveDate, end: NaiveDate) -> bool {
        start <= self.to && end >= self.from
    }
}

/// A point in time as a source expressed it. Keeping the source's form matters: a UTC
/// instant needs a time zone from somewhere else before it has a local date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum When {
    /// An all-day value (`VALUE=DATE`).
    Date(NaiveDate),
    /// An instant whose local zone the source did not say (Google's one-off events).
    Utc(DateTime<Utc>),
    /// A wall-clock time in a known IANA zone (`TZID=…`, or a page's `timezone`).
    Zoned(NaiveDateTime, Tz),
    /// A wall-clock time with its UTC offset (schema.org `startDate`, meetup `dateTime`).
    Offset(DateTime<FixedOffset>),
    /// A wall-clock time with no zone at all (RFC 5545 "floating").
    Floating(NaiveDateTime),
}

/// How people attend an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    InPerson,
    Virtual,
    Hybrid,
}

/// What a source says about whether the event takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    #[default]
    Confirmed,
    Tentative,
    Cancelled,
    Postponed,
}

/// A newsletter section. The order of the variants is the order of the sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Region {
    Virtual,
    Africa,
    Asia,
    Europe,
    NorthAmerica,
    Oceania,
    SouthAmerica,
}

impl Region {
    pub const ALL: [Region; 7] = [
        Region::Virtual,
        Region::Africa,
        Region::Asia,
        Region::Europe,
        Region::NorthAmerica,
        Region::Oceania,
        Region::SouthAmerica,
    ];

    /// The section header text.
    pub fn title(self) -> &'static str {
        match self {
            Region::Virtual => "Virtual",
            Region::Africa => "Africa",
            Region::Asia => "Asia",
            Region::Europe => "Europe",
            Region::NorthAmerica => "North America",
            Region::Oceania => "Oceania",
            Region::SouthAmerica => "South America",
        }
    }
}

/// Where something is: city, state/province code and ISO 3166-1 alpha-2 country code (upper
/// case). Any part may be unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Place {
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
}

impl Place {
    pub fn new(city: Option<&str>, state: Option<&str>, country: Option<&str>) -> Place {
        let clean = |s: Option<&str>| {
            s.map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Place {
            city: clean(city),
            state: clean(state),
            country: clean(country).map(|c| c.to_ascii_uppercase()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.city.is_none() && self.state.is_none() && self.country.is_none()
    }
}

/// The newsletter's form: `City, ST, CC` for US, CA and AU, `City, CC` elsewhere, and `UK`
/// for GB.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let country = self.country.as_deref();
        let mut parts: Vec<&str> = Vec::new();
        if let Some(c) = &self.city {
            parts.push(c);
        }
        if matches!(country, Some("US" | "CA" | "AU"))
            && let Some(s) = &self.state
        {
            parts.push(s);
        }
        match country {
            Some("GB") => parts.push("UK"),
            Some(c) => parts.push(c),
            None => {}
        }
        write!(f, "{}", parts.join(", "))
    }
}

/// Who runs an event, as printed in the entry's first line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Organizer {
    pub name: String,
    /// The organizer's page (a meetup group, a luma calendar, a conference site).
    pub url: Option<String>,
    /// Where the organizer is based: printed for its virtual events, `Virtual (Dallas, TX, US)`.
    pub home: Option<Place>,
}

/// An event as one source reported it, before normalization.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    /// The source's label (its `name`, else its URL), for reports.
    pub source: String,
    /// The source's own identifier (iCal UID plus recurrence instance, meetup event id, …).
    pub uid: Option<String>,
    pub title: String,
    pub start: When,
    /// Exclusive for [`When::Date`] (RFC 5545 DTEND), the end instant otherwise.
    pub end: Option<When>,
    /// Free-text location ("Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany",
    /// "Online", a URL, …).
    pub location: Option<String>,
    /// A structured place, when the source has one (pages); wins over `location`.
    pub place: Option<Place>,
    /// The description, HTML as in Google Calendar or plain text.
    pub description: Option<String>,
    /// The event's own page, when the source says which link that is.
    pub url: Option<String>,
    /// Every link found in the event (description, URL property), cleaned, in order.
    pub links: Vec<String>,
    /// Attendance when the source states it (meetup `eventType`, schema.org attendance mode).
    pub attendance: Option<Attendance>,
    /// A video-call link the source attached (`X-GOOGLE-CONFERENCE`).
    pub conference: Option<String>,
    pub status: Status,
    pub organizer: Option<Organizer>,
    /// The zone to fall back on when nothing else tells (the calendar's `X-WR-TIMEZONE`).
    pub default_tz: Option<Tz>,
}

impl RawEvent {
    /// A minimal event: everything optional left empty.
    pub fn new(source: impl Into<String>, title: impl Into<String>, start: When) -> RawEvent {
        RawEvent {
            source: source.into(),
            uid: None,
            title: title.into(),
            start,
            end: None,
            location: None,
            place: None,
            description: None,
            url: None,
            links: Vec::new(),
            attendance: None,
            conference: None,
            status: Status::Confirmed,
            organizer: None,
            default_tz: None,
        }
    }
}

/// A second link for the same session, streamed by another group (`[**New York Mirror**](…)`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Mirror {
    pub organizer: Organizer,
    pub url: String,
    /// The link text, e.g. `New York Mirror`.
    pub label: String,
}

/// A normalized event, ready to deduplicate and render.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub title: String,
    /// The link printed on the title.
    pub url: String,
    /// First local day.
    pub start_date: NaiveDate,
    /// Last local day, inclusive (equal to `start_date` for a one-day event, and for a timed
    /// event shorter than a day that ends after midnight: `normalize::spans_days`).
    pub end_date: NaiveDate,
    /// Local start with its offset, when the event has a time of day.
    pub start: Option<DateTime<FixedOffset>>,
    /// Local end with its offset (read in the start's zone), when a source gave one after the
    /// start; set only with `start`, and taken from the same source as `start`. `None`: no
    /// source said when it ends (the feeds then assume a length, `render::ics`).
    pub end: Option<DateTime<FixedOffset>>,
    pub attendance: Attendance,
    /// Where it takes place (for virtual events: usually none).
    pub place: Option<Place>,
    pub organizer: Organizer,
    /// The sections it is listed in: `Virtual`, a continent, or both for hybrid events.
    pub regions: Vec<Region>,
    /// Sessions of the same event streamed by other groups.
    pub mirrors: Vec<Mirror>,
    /// Labels of the sources that reported this event.
    pub sources: Vec<String>,
    /// Its date, time, place and status come from the event's own page (a meetup group or
    /// event page, a JSON-LD page), not only from a calendar entry: page facts win in merges.
    pub from_page: bool,
    /// Someone entered it on a calendar feed (the Rust Community Calendar): among mirrored
    /// sessions, the one an editor put on the calendar is the primary.
    pub in_calendar: bool,
    /// Carried over from the previous run's file (`json --out`, `publish`): a source that
    /// reported it failed or is suspect this time. Deduplicated like a live entry; among
    /// duplicates, a live entry's facts win over it at equal authority (`from_page`), and its
    /// page facts win over a live calendar entry's unverified ones.
    pub carried: bool,
    /// When a carried event's facts were last read from its sources (RFC 3339, as the
    /// previous file says: its event's `last_seen`, else the file's `generated_at`), so the
    /// outputs can say it was not confirmed this time. `None` for this run's events.
    pub last_seen: Option<String>,
    /// The source's identifier, for reports.
    pub uid: Option<String>,
}

impl Event {
    /// The place printed in the entry: the venue for in-person and hybrid events, the
    /// organizer's home for virtual ones.
    pub fn shown_place(&self) -> Option<&Place> {
        match self.attendance {
            Attendance::Virtual => self.organizer.home.as_ref().or(self.place.as_ref()),
            _ => self.place.as_ref().or(self.organizer.home.as_ref()),
        }
        .filter(|p| !p.is_empty())
    }
}

#[cfg(test)]
impl Event {
    /// A one-day, in-person Rust Berlin event read from its page: unit tests start from it and
    /// change only what they test.
    pub(crate) fn example(title: &str, url: &str, date: &str) -> Event {
        let date: NaiveDate = date.parse().expect("YYYY-MM-DD");
        Event {
            title: title.into(),
            url: url.into(),
            start_date: date,
            end_date: date,
            start: None,
            end: None,
            attendance: Attendance::InPerson,
            place: Some(Place::new(Some("Berlin"), None, Some("DE"))),
            organizer: Organizer {
                name: "Rust Berlin".into(),
                url: Some("https://www.meetup.com/rust-berlin/".into()),
                home: None,
            },
            regions: vec![Region::Europe],
            mirrors: vec![],
            sources: vec![],
            from_page: true,
            in_calendar: false,
            carried: false,
            last_seen: None,
            uid: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn place_display_follows_newsletter() {
        let p = Place::new(Some("Dallas"), Some("TX"), Some("us"));
        assert_eq!(p.to_string(), "Dallas, TX, US");
        let p = Place::new(Some("Berlin"), Some("BE"), Some("DE"));
        assert_eq!(p.to_string(), "Berlin, DE");
        let p = Place::new(Some("Cardiff"), Some("CF10"), Some("GB"));
        assert_eq!(p.to_string(), "Cardiff, UK");
        let p = Place::new(None, None, Some("DE"));
        assert_eq!(p.to_string(), "DE");
    }

    #[test]
    fn window_overlap_is_inclusive() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let w = Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        };
        assert!(w.overlaps(d("2023-03-01"), d("2023-03-01")));
        assert!(w.overlaps(d("2023-01-30"), d("2023-02-01")));
        assert!(!w.overlaps(d("2023-01-30"), d("2023-01-31")));
        assert!(!w.overlaps(d("2023-03-02"), d("2023-03-03")));
    }
}
