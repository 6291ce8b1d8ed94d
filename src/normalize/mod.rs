//! Normalization: from what a source said ([`RawEvent`]) to what the newsletter prints
//! ([`Event`]): local dates, place, attendance, regions and organizer.
//!
//! The rules, in the order they apply:
//! - **Place**: a structured place from the source wins; else the free-text LOCATION is read.
//! - **Organizer**: the source's (pages know their group); else the organizer directory
//!   (`sources.toml`, the published sections' latest forms, pages, the compiled corpus)
//!   matched on the event's links, else on the name the entry gives (the description's first
//!   line, the title's `Name: …` prefix; noted); else one derived from the event link (a
//!   meetup group's urlname, a site's root when `link::organizer_page` says it is the
//!   organizer's own, else no link and a note asking for an `[[organizer]]` entry), named by
//!   the description's first line when that is a name, else by the title.
//! - **Place of only a country**: the organizer's home when it is in that country (noted).
//! - **Virtual form**: an organizer whose virtual events the editors last printed as bare
//!   `Virtual` prints no home for them.
//! - **Attendance**: the source's when stated; else online hints (LOCATION says Online or is a
//!   video-call link, a Google Meet conference, "online"/"virtual" in the title, the event's
//!   link is a call or chat room) combined with whether a physical place is known: both →
//!   hybrid; neither → virtual (noted for review).
//! - **Local date**: a wall-clock time keeps its date; a UTC instant (Google's one-off events)
//!   gets the zone of its place, else its organizer's home, else the calendar's
//!   `X-WR-TIMEZONE`. A 19:00 Dallas meetup stored as 01:00Z prints the Dallas date.
//! - **End**: a timed end is read in the start's zone and kept only after the start (an end
//!   before it is noted and ignored); a date-only end gives the last day only.
//! - **Regions**: virtual → Virtual; in person → the place's continent; hybrid → both.
//!
//! Here: this file `normalize` as its steps (checked links, the source's place, organizer, title
//! and its link, attendance, venue, local dates, regions; a timed event shorter than a day is
//! one day, `spans_days`) and `local_date`, the day the section prints for an entry, which the
//! reports use for entries left out too; `organizer.rs` who runs an entry (each guess a note);
//! `directory.rs` the organizer directory, from `sources.toml`, the published sections, pages
//! and the compiled corpus (`data/organizers.tsv`, the lowest authority), matched by link
//! prefix, else by folded name without edition year (an ambiguous name matches nothing);
//! `region.rs` country → section; `timezone/` place → IANA zone (the rules in its `mod.rs`, the
//! tables in `tables.rs`). Only this module decides local dates and regions.

mod directory;
mod organizer;
use crate::description as links;
pub use crate::place as location;
pub mod region;
pub mod timezone;

use crate::link::Trusted;
use crate::model::{Attendance, Event, Organizer, Place, RawEvent, Region, Status, When};
use chrono::{DateTime, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
pub use directory::{Directory, Known, name_key, parse_tsv_line, without_edition};
use location::{ParsedLocation, parse_location};
#[cfg(test)]
use organizer::organizer_from_url;
use organizer::{find_organizer, name_organizer_and_title};

/// Why an event was left out during normalization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dropped {
    /// The source says it is cancelled or postponed.
    Cancelled(Status),
    /// Nothing to link the title to.
    NoLink,
    /// Neither its place, its organizer nor its calendar says which section it belongs in.
    NoRegion,
    /// It lasts longer than [`MAX_EVENT_DAYS`]: a date typo (a start in 1023) or a season, not
    /// an event to list.
    TooLong { days: i64 },
}

/// The longest an event may last, in days: the published sections' longest is a week-long
/// conference; a longer range is a mistake in the source.
pub const MAX_EVENT_DAYS: i64 = 31;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Dropped::Cancelled(Status::Postponed) => write!(f, "postponed"),
            Dropped::Cancelled(_) => write!(f, "cancelled"),
            Dropped::NoLink => write!(f, "no link to the event (add one to the calendar entry)"),
            Dropped::TooLong { days } => write!(
                f,
                "lasts {days} days (more than {MAX_EVENT_DAYS}): check its dates on its page or calendar"
            ),
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

pub use crate::link::{is_locale, match_key};

/// Links to video calls, maps or calendar entries, never the event's page.
fn is_auxiliary_link(url: &str) -> bool {
    crate::site::elsewhere::is_call_map_or_calendar(&match_key(url))
}

fn contains_word(haystack: &str, words: &[&str]) -> bool {
    let lower = haystack.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| words.contains(&w))
}

/// A place's parts as printable text (`text::clean_field`): a page's `addressLocality` is a
/// stranger's words.
fn clean_place(p: &crate::model::Place) -> crate::model::Place {
    let part = |s: &Option<String>| {
        s.as_deref()
            .map(|s| crate::text::clean_field(s, crate::text::MAX_PLACE))
            .filter(|s| !s.is_empty())
    };
    crate::model::Place {
        city: part(&p.city),
        state: part(&p.state),
        country: part(&p.country),
    }
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

/// Normalizes one raw event, no private address trusted ([`normalize_within`]).
pub fn normalize(raw: &RawEvent, directory: &Directory) -> Result<Normalized, Dropped> {
    normalize_within(raw, directory, &Trusted::default())
}

/// Normalizes one raw event. `Err` says why it is left out. Its links to private addresses
/// go, but to the hosts and ports `trusted` names (the sources file's).
pub fn normalize_within(
    raw: &RawEvent,
    directory: &Directory,
    trusted: &Trusted,
) -> Result<Normalized, Dropped> {
    if matches!(raw.status, Status::Cancelled | Status::Postponed) {
        return Err(Dropped::Cancelled(raw.status));
    }
    let mut notes = Vec::new();
    let title = crate::text::clean(&raw.title, crate::text::MAX_TITLE);
    let links = Links::checked(raw, &title, trusted, &mut notes);
    let parsed = raw
        .location
        .as_deref()
        .map(parse_location)
        .unwrap_or_default();
    let place = source_place(raw, &parsed);
    let found = find_organizer(raw, directory, &links, &title, &mut notes)?;
    let (organizer, title) = name_organizer_and_title(found.organizer, title, trusted, &mut notes);
    let url = title_link(&links, &organizer)?;
    let attendance = attendance(
        raw,
        &parsed,
        place.as_ref(),
        &title,
        &url,
        &organizer,
        &mut notes,
    );
    let place = venue(attendance, place, &organizer, &title, &mut notes);
    let dates = local_dates(raw, place.as_ref(), &organizer, &title, &mut notes)?;
    let regions = regions(raw, attendance, place.as_ref(), &organizer, dates.zone)?;
    let (organizer, place) = virtual_form(attendance, organizer, place, found.virtual_home);
    Ok(Normalized {
        event: Event {
            title,
            url,
            start_date: dates.start_date,
            end_date: dates.end_date,
            start: dates.start,
            end: dates.end,
            attendance,
            place,
            organizer,
            regions,
            mirrors: Vec::new(),
            sources: vec![raw.source.clone()],
            from_page: false,
            in_calendar: false,
            carried: false,
            last_seen: None,
            uid: raw.uid.clone(),
        },
        notes,
    })
}

/// The first local day the section prints for `raw`, or would print were it listed, for the
/// reports that name an entry (left out, unverified, filtered by keywords): normalization's
/// day (that of the entry as if confirmed, for one called off); where normalization leaves it
/// out for another reason, its day in the zone of its place, its organizer's home or its
/// calendar, else in its own terms (UTC for an instant). A UTC instant's date alone would
/// put a Chicago evening on the next day.
pub fn local_date(raw: &RawEvent, directory: &Directory, trusted: &Trusted) -> NaiveDate {
    let confirmed;
    let raw = if matches!(raw.status, Status::Cancelled | Status::Postponed) {
        confirmed = RawEvent {
            status: Status::Confirmed,
            ..raw.clone()
        };
        &confirmed
    } else {
        raw
    };
    if let Ok(n) = normalize_within(raw, directory, trusted) {
        return n.event.start_date;
    }
    let parsed = raw
        .location
        .as_deref()
        .map(parse_location)
        .unwrap_or_default();
    let zone = source_place(raw, &parsed)
        .as_ref()
        .and_then(timezone::zone_for_place)
        .or_else(|| {
            raw.organizer
                .as_ref()
                .and_then(|o| o.home.as_ref())
                .and_then(timezone::zone_for_place)
        })
        .or(raw.default_tz);
    local_time(&raw.start, zone).0.date()
}

/// An entry's links that may leave the tool: its own URL first, then its other links.
struct Links {
    /// The source's own URL for the event, if it passed [`crate::link::check`].
    own: Option<String>,
    /// The own URL and every other link that passed, in that order.
    all: Vec<String>,
}

impl Links {
    /// Only http(s) links with a host go on (`link`); the others are reported and the entry
    /// falls back to its other links, or its organizer's.
    fn checked(raw: &RawEvent, title: &str, trusted: &Trusted, notes: &mut Vec<String>) -> Links {
        let mut safe_link = |u: &str| match crate::link::check_within(u, trusted) {
            Ok(u) => Some(u),
            Err(refused) => {
                notes.push(format!("{}: {refused}", crate::text::quoted(title)));
                None
            }
        };
        let own = raw.url.as_deref().and_then(&mut safe_link);
        let all = own
            .iter()
            .cloned()
            .chain(raw.links.iter().filter_map(|u| safe_link(u)))
            .collect();
        Links { own, all }
    }

    fn iter(&self) -> impl Iterator<Item = &str> {
        self.all.iter().map(String::as_str)
    }

    /// The first link that is not a video call or a map.
    fn first_event_link(&self) -> Option<&str> {
        self.iter().find(|u| !is_auxiliary_link(u))
    }
}

/// The place the source gives. A structured place wins; what it lacks (a luma city without a
/// country) is completed from the free-text location when that names the same city or none.
fn source_place(raw: &RawEvent, parsed: &ParsedLocation) -> Option<Place> {
    match (
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
    .filter(|p| !p.is_empty())
}

/// The title's link: the source's own URL; else an event page (meetup, luma); else a link
/// that is not the organizer's home page; else any link; else the organizer's page.
fn title_link(links: &Links, organizer: &Organizer) -> Result<String, Dropped> {
    let home = organizer.url.as_deref().map(match_key);
    links
        .own
        .as_deref()
        .or_else(|| links.iter().find(|u| crate::verify::page_kind(u).is_some()))
        .or_else(|| {
            links
                .iter()
                .find(|u| !is_auxiliary_link(u) && Some(match_key(u)) != home)
        })
        .or_else(|| links.first_event_link())
        .or(organizer.url.as_deref())
        .map(str::to_string)
        .ok_or(Dropped::NoLink)
}

/// In person, online or both: the source's word, else what its place and its online hints
/// say together.
fn attendance(
    raw: &RawEvent,
    parsed: &ParsedLocation,
    place: Option<&Place>,
    title: &str,
    url: &str,
    organizer: &Organizer,
    notes: &mut Vec<String>,
) -> Attendance {
    // The event's own link being a call or chat room (discord, zoom, …) says online too.
    let online_hint = parsed.online
        || raw.conference.is_some()
        || parse_location(url).online
        || contains_word(title, &["online", "virtual", "remote", "livestream"]);
    let hybrid_hint = contains_word(title, &["hybrid"])
        || raw
            .location
            .as_deref()
            .is_some_and(|l| contains_word(l, &["hybrid"]));
    let has_place = place.is_some_and(|p| p.country.is_some() || p.city.is_some());
    // A meetup group's feed has no LOCATION at all (`formats.md` §5): without a hint either
    // way, its event is at the group's home, as meetup events mostly are (its page, verified
    // in the window, says otherwise when it is online).
    let meetup_feed = raw.organizer.as_ref().is_some_and(|o| {
        o.url
            .as_deref()
            .is_some_and(|u| crate::site::meetup_com::group_of_key(&match_key(u)).is_some())
    }) && raw.location.is_none()
        && raw.place.is_none();
    match raw.attendance {
        Some(a) => a,
        None if has_place && (online_hint || hybrid_hint) => Attendance::Hybrid,
        None if has_place => Attendance::InPerson,
        None if online_hint => Attendance::Virtual,
        None if meetup_feed && organizer.home.is_some() => Attendance::InPerson,
        // No place and no hint either way: calendar entries without a location are, in the
        // seeds and the corpus, online sessions (a physical meetup names its venue).
        None => {
            notes.push(format!(
                "{}: no location and no online hint; listed as virtual",
                crate::text::quoted(title)
            ));
            Attendance::Virtual
        }
    }
}

/// The place printed: the source's, or for an event held somewhere without one, its
/// organizer's home; a place of only a country, the organizer's home when it is in that
/// country (`CH` → `Geneva, CH`, as the editors print it: noted).
fn venue(
    attendance: Attendance,
    place: Option<Place>,
    organizer: &Organizer,
    title: &str,
    notes: &mut Vec<String>,
) -> Option<Place> {
    let held = matches!(attendance, Attendance::InPerson | Attendance::Hybrid);
    match (place, &organizer.home) {
        (None, home) if held => home.clone(),
        (Some(p), Some(home))
            if held && country_only(&p) && home.city.is_some() && same_country(&p, home) =>
        {
            notes.push(format!(
                "{}: its place gives only the country {}; printed its organizer's home {home}",
                crate::text::quoted(title),
                p.country.as_deref().unwrap_or_default()
            ));
            Some(home.clone())
        }
        (p, _) => p,
    }
    .map(|p| clean_place(&p))
}

/// A place of a country and nothing else.
fn country_only(p: &Place) -> bool {
    p.city.is_none() && p.state.is_none() && p.country.is_some()
}

/// Whether two places are in the same country (by code, case aside).
fn same_country(a: &Place, b: &Place) -> bool {
    match (&a.country, &b.country) {
        (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
        _ => false,
    }
}

/// A virtual event of an organizer whose virtual events the editors print as bare `Virtual`
/// (the directory's `virtual_home`): no home nor place printed. After the dates and regions,
/// which the home still gave.
fn virtual_form(
    attendance: Attendance,
    mut organizer: Organizer,
    place: Option<Place>,
    virtual_home: bool,
) -> (Organizer, Option<Place>) {
    if attendance == Attendance::Virtual && !virtual_home {
        organizer.home = None;
        return (organizer, None);
    }
    (organizer, place)
}

/// An event's local dates, start and end, and the zone they were read in.
struct LocalDates {
    start_date: NaiveDate,
    end_date: NaiveDate,
    start: Option<DateTime<FixedOffset>>,
    end: Option<DateTime<FixedOffset>>,
    zone: Option<Tz>,
}

/// The local dates: a UTC instant gets the zone of its place, else its organizer's home, else
/// the calendar's; an event longer than [`MAX_EVENT_DAYS`] is dropped. A timed end is kept
/// (in the start's zone) only after the start: an end before it is noted and ignored, an end
/// equal to it says no more than no end. A timed event's last day is its end's only when it
/// lasts a day or more ([`spans_days`]).
fn local_dates(
    raw: &RawEvent,
    place: Option<&Place>,
    organizer: &Organizer,
    title: &str,
    notes: &mut Vec<String>,
) -> Result<LocalDates, Dropped> {
    let zone = place
        .and_then(timezone::zone_for_place)
        .or_else(|| organizer.home.as_ref().and_then(timezone::zone_for_place))
        .or(raw.default_tz);
    if matches!(raw.start, When::Utc(_)) && zone.is_none() {
        notes.push(format!(
            "{}: time zone unknown; used UTC dates",
            crate::text::quoted(title)
        ));
    }
    let (start_local, offset) = local_time(&raw.start, zone);
    let start_date = start_local.date();
    let start = match (&raw.start, offset) {
        (When::Date(_), _) | (_, None) => None,
        (_, Some(off)) => off.from_local_datetime(&start_local).single(),
    };
    let end = start.and_then(|start| {
        let end = end_in_start_zone(raw, start, zone)?;
        if end < start {
            notes.push(format!(
                "{}: its end ({}) is before its start ({}); end ignored",
                crate::text::quoted(title),
                end.to_rfc3339(),
                start.to_rfc3339()
            ));
        }
        (end > start).then_some(end)
    });
    // An end at midnight belongs to the day before (exclusive end).
    let last_day = |end_local: NaiveDateTime| {
        if end_local > start_local && end_local.time() == chrono::NaiveTime::MIN {
            end_local.date().pred_opt().unwrap_or(end_local.date())
        } else {
            end_local.date()
        }
    };
    let end_date = match (&raw.end, start.zip(end)) {
        (_, Some((start, end))) if !spans_days(start, end) => start_date,
        (_, Some((_, end))) => last_day(end.naive_local()),
        (Some(When::Date(d)), None) => d.pred_opt().unwrap_or(*d),
        // A timed end the start's time refused (before it, or equal) says nothing more.
        (Some(_), None) if start.is_some() => start_date,
        (Some(end), None) => last_day(local_time(end, zone).0),
        (None, None) => start_date,
    }
    .max(start_date);
    let days = (end_date - start_date).num_days() + 1;
    if days > MAX_EVENT_DAYS {
        return Err(Dropped::TooLong { days });
    }
    Ok(LocalDates {
        start_date,
        end_date,
        start,
        end,
        zone,
    })
}

/// How long a timed event lasts before it counts as several days: a day.
pub const MULTI_DAY_HOURS: i64 = 24;

/// Whether a timed event (start and end with their times) spans several days in every output
/// (the section's dates, all-day dates in the feeds, the page, the JSON): only when it lasts
/// [`MULTI_DAY_HOURS`] hours or more, a conference or a hackathon. A shorter one is listed on
/// the day it starts, even when it ends after midnight (a meetup from 23:00 to 02:00 is one
/// evening, a timed event in the feeds, not two all-day ones); its end time is kept.
pub fn spans_days(start: DateTime<FixedOffset>, end: DateTime<FixedOffset>) -> bool {
    end - start >= Duration::hours(MULTI_DAY_HOURS)
}

/// The source's end as an instant in the start's zone: the zone of a zoned start, the zone a
/// UTC start was read in; a start with only an offset keeps the end's own offset. `None` for
/// no end, or a date-only end (the end date covers it).
fn end_in_start_zone(
    raw: &RawEvent,
    start: DateTime<FixedOffset>,
    zone: Option<Tz>,
) -> Option<DateTime<FixedOffset>> {
    let end = raw.end.as_ref()?;
    let at = match end {
        When::Date(_) => return None,
        When::Utc(u) => u.fixed_offset(),
        When::Zoned(n, tz) => tz.from_local_datetime(n).earliest()?.fixed_offset(),
        When::Offset(o) => *o,
        // A floating end with a timed start: the same wall clock as the start.
        When::Floating(n) => start.offset().from_local_datetime(n).single()?,
    };
    let tz = match raw.start {
        When::Zoned(_, tz) => Some(tz),
        When::Utc(_) => zone,
        _ => None,
    };
    Some(match (tz, end) {
        (Some(tz), _) => at.with_timezone(&tz).fixed_offset(),
        (None, When::Utc(_)) => at.with_timezone(start.offset()),
        (None, _) => at,
    })
}

/// The sections: virtual → Virtual; in person → the continent of its place, else of its
/// organizer's home, else of its zone; hybrid → both. In person with no continent drops it.
fn regions(
    raw: &RawEvent,
    attendance: Attendance,
    place: Option<&Place>,
    organizer: &Organizer,
    zone: Option<Tz>,
) -> Result<Vec<Region>, Dropped> {
    let continent_of = |p: Option<&Place>| {
        p.and_then(|p| p.country.as_deref())
            .and_then(region::region_for_country)
    };
    let continent = continent_of(place)
        .or_else(|| continent_of(organizer.home.as_ref()))
        .or_else(|| {
            // The event's own zone (a page's `timezone`) before the calendar's default.
            let own = match &raw.start {
                When::Zoned(_, tz) => Some(*tz),
                _ => None,
            };
            own.or(zone).and_then(region::region_for_zone)
        });
    match (attendance, continent) {
        (Attendance::Virtual, _) | (Attendance::Hybrid, None) => Ok(vec![Region::Virtual]),
        (Attendance::Hybrid, Some(c)) => Ok(vec![Region::Virtual, c]),
        (Attendance::InPerson, Some(c)) => Ok(vec![c]),
        (Attendance::InPerson, None) => Err(Dropped::NoRegion),
    }
}

/// Shifts a date by whole days (saturating at chrono's limits).
pub fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

#[cfg(test)]
mod tests;
