//! Normalization: from what a source said ([`RawEvent`]) to what the newsletter prints
//! ([`Event`]): local dates, place, attendance, regions and organizer.
//!
//! The rules, in the order they apply:
//! - **Place**: a structured place from the source wins; else the free-text LOCATION is read.
//! - **Organizer**: the source's (pages know their group); else the organizer directory built
//!   from `sources.toml` (a meetup group, a `[[organizer]]` entry) matched on the event's
//!   links; else one derived from the event link (a meetup group's urlname, a site's root).
//! - **Attendance**: the source's when stated; else online hints (LOCATION says Online or is a
//!   video-call link, a Google Meet conference, "online"/"virtual" in the title, the event's
//!   link is a call or chat room) combined with whether a physical place is known: both →
//!   hybrid; neither → virtual (noted for review).
//! - **Local date**: a wall-clock time keeps its date; a UTC instant (Google's one-off events)
//!   gets the zone of its place, else its organizer's home, else the calendar's
//!   `X-WR-TIMEZONE`. A 19:00 Dallas meetup stored as 01:00Z prints the Dallas date.
//! - **Regions**: virtual → Virtual; in person → the place's continent; hybrid → both.

pub mod links;
pub mod location;
pub mod region;
pub mod timezone;

use crate::config::{Config, SourceKind};
use crate::model::{Attendance, Event, Organizer, RawEvent, Region, Status, When};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use location::parse_location;

/// Why an event was left out during normalization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// The source says it is cancelled or postponed.
    Cancelled(Status),
    /// Nothing to link the title to.
    NoLink,
    /// Neither its place, its organizer nor its calendar says which section it belongs in.
    NoRegion,
}

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dropped::Cancelled(Status::Postponed) => write!(f, "postponed"),
            Dropped::Cancelled(_) => write!(f, "cancelled"),
            Dropped::NoLink => write!(f, "no link to the event (add one to the calendar entry)"),
            Dropped::NoRegion => write!(
                f,
                "no place, organizer home or calendar time zone tells its region (add a LOCATION)"
            ),
        }
    }
}

/// A normalized event and what normalization had to guess.
#[derive(Debug, Clone, PartialEq)]
pub struct Normalized {
    pub event: Event,
    /// Guesses worth an editor's look ("no location: assumed the organizer's home").
    pub notes: Vec<String>,
}

/// What is known about organizers beyond what sources carry: every named source and every
/// `[[organizer]]` entry of `sources.toml`, matched on URL prefixes.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    entries: Vec<(String, Organizer)>,
}

impl Directory {
    pub fn from_config(config: &Config) -> Directory {
        let mut entries = Vec::new();
        for o in &config.organizers {
            let org = Organizer {
                name: o.name.clone(),
                url: Some(o.url.clone()),
                home: o.home.clone(),
            };
            entries.push((match_key(&o.url), org));
        }
        for s in &config.sources {
            let Some(name) = &s.name else { continue };
            if s.kind == SourceKind::Ical {
                continue; // a feed is not an organizer
            }
            let url = organizer_url_of_source(&s.url);
            let org = Organizer {
                name: name.clone(),
                url: Some(url.clone()),
                home: s.home.clone(),
            };
            entries.push((match_key(&url), org));
        }
        // Longest prefix first, so a specific entry beats a site-wide one.
        entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
        Directory { entries }
    }

    /// Learns an organizer a page reported (a meetup group's name and home from its events
    /// page), so calendar entries that only link the group get the same name and home.
    /// What `sources.toml` says stays first: an entry for the same URL is only completed.
    pub fn learn(&mut self, organizer: &Organizer) {
        let Some(url) = organizer.url.as_deref() else {
            return;
        };
        if organizer.name.trim().is_empty() {
            return;
        }
        let key = match_key(url);
        match self.entries.iter_mut().find(|(k, _)| *k == key) {
            Some((_, known)) => {
                if known.home.is_none() {
                    known.home = organizer.home.clone();
                }
            }
            None => {
                self.entries.push((key, organizer.clone()));
                self.entries.sort_by_key(|e| std::cmp::Reverse(e.0.len()));
            }
        }
    }

    /// The organizer whose URL is a prefix of `url`, if any.
    pub fn lookup(&self, url: &str) -> Option<&Organizer> {
        let key = match_key(url);
        self.entries
            .iter()
            .find(|(prefix, _)| {
                key == *prefix
                    || (key.starts_with(prefix.as_str())
                        && key.as_bytes().get(prefix.len()) == Some(&b'/'))
            })
            .map(|(_, o)| o)
    }
}

/// A meetup group's page for a source URL given as the group's events page.
fn organizer_url_of_source(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    match trimmed.strip_suffix("/events") {
        Some(group) => format!("{group}/"),
        None => url.to_string(),
    }
}

/// A comparable form of a URL for prefix matching: no scheme, no `www.`, `lu.ma` as
/// `luma.com`, meetup locale prefixes (`/de-DE/`) dropped, lower case, no query, no trailing
/// slash.
pub fn match_key(url: &str) -> String {
    let Ok(u) = url::Url::parse(url.trim()) else {
        return url.trim().trim_end_matches('/').to_lowercase();
    };
    let host = u.host_str().unwrap_or("").to_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    let host = if host == "lu.ma" { "luma.com" } else { host };
    let mut segments: Vec<String> = u
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_lowercase).collect())
        .unwrap_or_default();
    if host == "meetup.com" && segments.first().is_some_and(|s| is_locale(s)) {
        segments.remove(0);
    }
    let mut key = host.to_string();
    for s in segments {
        key.push('/');
        key.push_str(&s);
    }
    key
}

/// `de-de`, `en-au`, … (already lower-cased).
fn is_locale(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() == 5
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_alphabetic())
}

/// Hosts whose links are video calls or maps, never the event's page.
fn is_auxiliary_link(url: &str) -> bool {
    let key = match_key(url);
    const AUX: [&str; 10] = [
        "meet.google.com",
        "zoom.us",
        "us02web.zoom.us",
        "us06web.zoom.us",
        "teams.microsoft.com",
        "maps.google.com",
        "goo.gl/maps",
        "google.com/maps",
        "maps.app.goo.gl",
        "calendar.google.com",
    ];
    AUX.iter()
        .any(|a| key == *a || key.starts_with(&format!("{a}/")))
        || key.contains(".zoom.us")
}

/// An organizer guessed from an event link when nothing else knows it.
fn organizer_from_url(url: &str, title: &str) -> Organizer {
    if let Ok(u) = url::Url::parse(url) {
        let host = u
            .host_str()
            .unwrap_or("")
            .trim_start_matches("www.")
            .to_lowercase();
        let segments: Vec<&str> = u
            .path_segments()
            .map(|s| s.filter(|p| !p.is_empty()).collect())
            .unwrap_or_default();
        if host == "meetup.com" {
            let segs: Vec<&str> = segments
                .iter()
                .copied()
                .skip_while(|s| is_locale(&s.to_lowercase()))
                .collect();
            if let Some(urlname) = segs.first() {
                return Organizer {
                    name: prettify_urlname(urlname),
                    url: Some(format!("https://www.meetup.com/{urlname}/")),
                    home: None,
                };
            }
        }
        if !host.is_empty() && host != "luma.com" && host != "lu.ma" {
            return Organizer {
                name: title.to_string(),
                url: Some(format!("{}://{}/", u.scheme(), u.host_str().unwrap_or(""))),
                home: None,
            };
        }
    }
    Organizer {
        name: title.to_string(),
        url: Some(url.to_string()),
        home: None,
    }
}

/// `rust-berlin` → `Rust Berlin`.
fn prettify_urlname(urlname: &str) -> String {
    urlname
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn contains_word(haystack: &str, words: &[&str]) -> bool {
    let lower = haystack.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.contains(&w))
}

/// Collapses runs of white space and trims.
pub fn clean_title(title: &str) -> String {
    title.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The local wall-clock time of a `When` (and its offset where known), given the zone to use
/// for UTC instants.
fn local_time(when: &When, zone: Option<Tz>) -> (NaiveDateTime, Option<FixedOffset>) {
    match when {
        When::Date(d) => (d.and_hms_opt(0, 0, 0).unwrap_or_default(), None),
        When::Utc(u) => match zone {
            Some(tz) => {
                let local = u.with_timezone(&tz);
                (local.naive_local(), Some(local.offset().fix()))
            }
            None => (u.naive_utc(), Some(Utc.fix())),
        },
        When::Zoned(n, tz) => {
            let offset = tz.offset_from_local_datetime(n).earliest().map(|o| o.fix());
            (*n, offset)
        }
        When::Offset(dt) => (dt.naive_local(), Some(*dt.offset())),
        When::Floating(n) => (*n, None),
    }
}

/// Normalizes one raw event. `Err` says why it is left out.
pub fn normalize(raw: &RawEvent, directory: &Directory) -> Result<Normalized, Dropped> {
    if matches!(raw.status, Status::Cancelled | Status::Postponed) {
        return Err(Dropped::Cancelled(raw.status));
    }
    let mut notes = Vec::new();
    let title = clean_title(&raw.title);

    // Place and online hints.
    let parsed = raw
        .location
        .as_deref()
        .map(parse_location)
        .unwrap_or_default();
    // A structured place wins; what it lacks (a luma city without a country) is completed
    // from the free-text location when that names the same city or none.
    let place = match (
        raw.place.clone().filter(|p| !p.is_empty()),
        parsed.place.clone(),
    ) {
        (Some(mut p), Some(q)) => {
            let same_city = match (&p.city, &q.city) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => true,
            };
            if p.country.is_none() && same_city {
                p.country = q.country;
                p.state = p.state.or(q.state);
                p.city = p.city.or(q.city);
            }
            Some(p)
        }
        (p, q) => p.or(q),
    }
    .filter(|p| !p.is_empty());

    // The event's link.
    let candidates: Vec<&str> = raw
        .url
        .iter()
        .map(String::as_str)
        .chain(raw.links.iter().map(String::as_str))
        .collect();
    let url = candidates
        .iter()
        .find(|u| !is_auxiliary_link(u))
        .map(|u| u.to_string());

    // Organizer.
    let known = candidates.iter().find_map(|u| directory.lookup(u));
    let mut organizer = match (&raw.organizer, known) {
        (Some(o), k) => {
            let mut o = o.clone();
            if let Some(k) = k {
                if o.home.is_none() {
                    o.home = k.home.clone();
                }
            }
            o
        }
        (None, Some(k)) => k.clone(),
        (None, None) => match &url {
            Some(u) => organizer_from_url(u, &title),
            None => return Err(Dropped::NoLink),
        },
    };
    organizer.name = clean_title(&organizer.name);
    let title = if title.is_empty() {
        notes.push(format!(
            "an entry of {} has no title; used its organizer's name",
            organizer.name
        ));
        organizer.name.clone()
    } else {
        title
    };
    if organizer.name.is_empty() {
        organizer.name = title.clone();
    }
    // The title's link: the source's own URL; else an event page (meetup, luma); else a link
    // that is not the organizer's home page; else any link; else the organizer's page.
    let url = raw
        .url
        .clone()
        .or_else(|| {
            candidates
                .iter()
                .find(|u| crate::verify::page_kind(u).is_some())
                .map(|u| u.to_string())
        })
        .or_else(|| {
            let home = organizer.url.as_deref().map(match_key);
            candidates
                .iter()
                .find(|u| !is_auxiliary_link(u) && Some(match_key(u)) != home)
                .map(|u| u.to_string())
        })
        .or(url);
    let url = match url.or_else(|| organizer.url.clone()) {
        Some(u) => u,
        None => return Err(Dropped::NoLink),
    };

    // Attendance.
    // The event's own link being a call or chat room (discord, zoom, …) says online too.
    let online_hint = parsed.online
        || raw.conference.is_some()
        || parse_location(&url).online
        || contains_word(&title, &["online", "virtual", "remote", "livestream"]);
    let hybrid_hint = contains_word(&title, &["hybrid"])
        || raw
            .location
            .as_deref()
            .is_some_and(|l| contains_word(l, &["hybrid"]));
    let has_place = place
        .as_ref()
        .is_some_and(|p| p.country.is_some() || p.city.is_some());
    let attendance = match raw.attendance {
        Some(a) => a,
        None if has_place && (online_hint || hybrid_hint) => Attendance::Hybrid,
        None if has_place => Attendance::InPerson,
        None if online_hint => Attendance::Virtual,
        // No place and no hint either way: calendar entries without a location are, in the
        // seeds and the corpus, online sessions (a physical meetup names its venue).
        None => {
            notes.push(format!(
                "{title:?}: no location and no online hint; listed as virtual"
            ));
            Attendance::Virtual
        }
    };
    let place = match (attendance, place) {
        (Attendance::InPerson | Attendance::Hybrid, None) => organizer.home.clone(),
        (_, p) => p,
    };

    // Local dates.
    let zone = place
        .as_ref()
        .and_then(timezone::zone_for_place)
        .or_else(|| organizer.home.as_ref().and_then(timezone::zone_for_place))
        .or(raw.default_tz);
    if matches!(raw.start, When::Utc(_)) && zone.is_none() {
        notes.push(format!("{title:?}: time zone unknown; used UTC dates"));
    }
    let (start_local, offset) = local_time(&raw.start, zone);
    let start_date = start_local.date();
    let end_date = match &raw.end {
        Some(When::Date(d)) => d.pred_opt().unwrap_or(*d),
        Some(end) => {
            let (end_local, _) = local_time(end, zone);
            // An end at midnight belongs to the day before (exclusive end).
            if end_local > start_local && end_local.time() == chrono::NaiveTime::MIN {
                end_local.date().pred_opt().unwrap_or(end_local.date())
            } else {
                end_local.date()
            }
        }
        None => start_date,
    }
    .max(start_date);
    let start = match (&raw.start, offset) {
        (When::Date(_), _) | (_, None) => None,
        (_, Some(off)) => off
            .from_local_datetime(&start_local)
            .single()
            .map(|d: DateTime<FixedOffset>| d),
    };

    // Regions.
    let continent = place
        .as_ref()
        .and_then(|p| p.country.as_deref())
        .and_then(region::region_for_country)
        .or_else(|| {
            organizer
                .home
                .as_ref()
                .and_then(|p| p.country.as_deref())
                .and_then(region::region_for_country)
        })
        .or_else(|| {
            // The event's own zone (a page's `timezone`) before the calendar's default.
            let own = match &raw.start {
                When::Zoned(_, tz) => Some(*tz),
                _ => None,
            };
            own.or(zone).and_then(region::region_for_zone)
        });
    let regions = match (attendance, continent) {
        (Attendance::Virtual, _) => vec![Region::Virtual],
        (Attendance::Hybrid, Some(c)) => vec![Region::Virtual, c],
        (Attendance::Hybrid, None) => vec![Region::Virtual],
        (Attendance::InPerson, Some(c)) => vec![c],
        (Attendance::InPerson, None) => return Err(Dropped::NoRegion),
    };

    Ok(Normalized {
        event: Event {
            title,
            url,
            start_date,
            end_date,
            start,
            attendance,
            place,
            organizer,
            regions,
            mirrors: Vec::new(),
            sources: vec![raw.source.clone()],
            from_page: false,
            in_calendar: false,
            uid: raw.uid.clone(),
        },
        notes,
    })
}

/// Shifts a date by whole days (saturating at chrono's limits).
pub fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Place;

    #[test]
    fn match_key_folds_variants() {
        assert_eq!(
            match_key("https://www.meetup.com/de-DE/Rust-Rhein-Main/events/229564640/?eventId=1"),
            "meetup.com/rust-rhein-main/events/229564640"
        );
        assert_eq!(match_key("https://lu.ma/abc"), "luma.com/abc");
    }

    #[test]
    fn directory_matches_on_path_prefix_only() {
        let config = Config::parse(
            "[[organizer]]\nurl = \"https://www.meetup.com/rust-berlin/\"\nname = \"Rust Berlin\"\nhome = \"Berlin, DE\"\n",
            "t.toml",
        )
        .unwrap();
        let d = Directory::from_config(&config);
        assert_eq!(
            d.lookup("https://www.meetup.com/Rust-Berlin/events/1/")
                .map(|o| o.name.as_str()),
            Some("Rust Berlin")
        );
        assert!(
            d.lookup("https://www.meetup.com/rust-berlin-2/events/1/")
                .is_none()
        );
    }

    #[test]
    fn organizer_from_meetup_link() {
        let o = organizer_from_url("https://www.meetup.com/de-DE/rust-zurich/events/1/", "x");
        assert_eq!(o.name, "Rust Zurich");
        assert_eq!(
            o.url.as_deref(),
            Some("https://www.meetup.com/rust-zurich/")
        );
        let o = organizer_from_url("https://rustconf.com/schedule", "RustConf 2026");
        assert_eq!(o.name, "RustConf 2026");
        assert_eq!(o.url.as_deref(), Some("https://rustconf.com/"));
    }

    #[test]
    fn structured_place_is_completed_from_the_address() {
        let d = NaiveDate::from_ymd_opt(2026, 8, 21).unwrap();
        let mut raw = RawEvent::new("luma", "Weekly session", When::Date(d));
        raw.links = vec!["https://luma.com/1bm27cah".into()];
        raw.place = Some(Place::new(Some("Girona"), None, None));
        raw.location = Some("Carrer de la Creu 5, 17002 Girona, Spain".into());
        let n = normalize(&raw, &Directory::default()).unwrap();
        assert_eq!(n.event.place.unwrap().to_string(), "Girona, ES");
        assert_eq!(n.event.regions, vec![Region::Europe]);
    }

    #[test]
    fn region_from_the_event_zone_when_nothing_else_tells() {
        let start = "2026-08-21T18:00:00"
            .parse::<chrono::NaiveDateTime>()
            .unwrap();
        let mut raw = RawEvent::new("page", "Meetup", When::Zoned(start, chrono_tz::Asia::Tokyo));
        raw.links = vec!["https://example.org/meetup".into()];
        raw.attendance = Some(Attendance::InPerson);
        let n = normalize(&raw, &Directory::default()).unwrap();
        assert_eq!(n.event.regions, vec![Region::Asia]);
    }

    #[test]
    fn cancelled_is_dropped() {
        let mut raw = RawEvent::new(
            "t",
            "x",
            When::Date(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()),
        );
        raw.status = Status::Cancelled;
        assert_eq!(
            normalize(&raw, &Directory::default()),
            Err(Dropped::Cancelled(Status::Cancelled))
        );
    }

    #[test]
    fn all_day_end_is_exclusive() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let mut raw = RawEvent::new("t", "RustConf", When::Date(d("2023-02-14")));
        raw.end = Some(When::Date(d("2023-02-17")));
        raw.links = vec!["https://rustconf.com/".into()];
        raw.place = Some(Place::new(Some("Montreal"), Some("QC"), Some("CA")));
        let n = normalize(&raw, &Directory::default());
        // Region needs the region table; only dates are checked here.
        if let Ok(n) = n {
            assert_eq!(n.event.start_date, d("2023-02-14"));
            assert_eq!(n.event.end_date, d("2023-02-16"));
        }
    }
}
