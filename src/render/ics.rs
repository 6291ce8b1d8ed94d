//! The events as iCalendar feeds for subscribers (`publish`): `events.ics` and one feed per
//! section, written with the `icalendar` crate (RFC 5545 escaping and line folding are its).
//!
//! - UIDs are stable across runs and follow the event, never its place in a list (see
//!   [`Uids`]): a name-based UUID (v5) of the event's identity, the canonical form of its
//!   link ([`identity::event_key`](crate::dedupe::identity::event_key)) — a calendar client
//!   updates the event when its date or place changes instead of adding a second one. A link
//!   that names no one event (a group page, a site root) is no identity by itself: its start
//!   date is part of the name then; and a link the feeds' events share (a weekly "Hack Night"
//!   whose every instance links one page) names each instance with its local start.
//! - A timed one-day event has `DTSTART;TZID=<zone>` with a `VTIMEZONE` for that zone, the
//!   zone being the one of the printed place or the organizer's home whose offset agrees with
//!   the start; when no known zone agrees, the start is written in UTC (`…Z`), the same
//!   instant. Its `DTEND` is in the same form: the end a source gave (the calendar's DTEND or
//!   DURATION, meetup's `endTime`, luma's end, JSON-LD `endDate`). Where no source gave one,
//!   `DTEND` is [`DEFAULT_DURATION_HOURS`] after the start, and the description says so:
//!   without it an event ends when it starts (RFC 5545), a sliver in calendar apps.
//! - An event without a time of day, or lasting several days, has `VALUE=DATE` start and an
//!   exclusive `DTEND` (the day after its last day), as the Markdown prints dates only.
//! - `LOCATION` is the place as printed, `CATEGORIES` the sections, `DESCRIPTION` names the
//!   organizer, the mirrors and the sources, and where the facts come from: the event's page,
//!   a calendar entry, or, for an event carried over from the previous file, when it was last
//!   seen and that its source gave no usable answer this time
//!   ([`carried_note`](crate::render::carried_note)). No `ORGANIZER` property: its value is a
//!   calendar address (an e-mail), which we do not have, and clients show one as a meeting
//!   invitation to answer.

use crate::dedupe::identity::{canonical, event_key};
use crate::model::{Event, Region, Window};
use crate::newsletter::write::in_order;
use crate::normalize::timezone::zone_for_place;
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, Property};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// The namespace of the UIDs' v5 UUIDs (a v4 UUID drawn once for this tool: it must never
/// change, or every subscriber's events would be duplicated once).
const UID_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1c_27b4_3f2e_4b7e_9a0d_51c8_e2a4_7d13);

/// How often a client should refresh a subscription.
const REFRESH_HOURS: i64 = 12;

/// The length the feeds give a timed one-day event whose sources said no end: about a
/// meetup evening (talks and a chat), the usual length of the seeds' meetups that had one.
pub const DEFAULT_DURATION_HOURS: i64 = 2;

/// The file name of a section's feed: `virtual.ics`, `north-america.ics`.
pub fn section_file(region: Region) -> String {
    format!("{}.ics", section_slug(region))
}

/// `virtual`, `north-america`: a section's name in file names and HTML ids.
pub fn section_slug(region: Region) -> String {
    region.title().to_ascii_lowercase().replace(' ', "-")
}

/// The stable identity an event's UID is made from, when no other event of the feeds has it:
/// the one event its link names, else its link and start date.
pub fn identity(e: &Event) -> String {
    match event_key(&e.url, e.organizer.url.as_deref()) {
        Some(key) => key,
        None => format!("{}|{}", canonical(&e.url), e.start_date),
    }
}

/// The identity of one event among several of the feeds with the same [`identity`]: its
/// local start (the wall-clock time and offset where it has one, else its first day) added.
/// The local start, not the source's UID: a carried-over event (its source down this run) has
/// no source UID, and a verified page's UID replaces the calendar's; a start is the same in
/// every run that lists the event.
fn instance_identity(e: &Event) -> String {
    let start = e.start.map_or_else(
        || e.start_date.to_string(),
        |t| t.format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    );
    format!("{}|{start}", identity(e))
}

/// The UID of a name: `<uuid-v5 of it>@twir-events`.
fn uid_of(name: &str) -> String {
    format!(
        "{}@twir-events",
        uuid::Uuid::new_v5(&UID_NAMESPACE, name.as_bytes())
    )
}

/// The event's UID when no other event of the feeds has its [`identity`]:
/// `<uuid-v5 of its identity>@twir-events`.
pub fn uid(e: &Event) -> String {
    uid_of(&identity(e))
}

/// The UIDs of one publish run, made from every event of its feeds (the window's and the
/// horizon's) so that an event has one UID in every file. An event's UID depends on the event
/// alone, except that an [`identity`] several of them share (a series whose every instance
/// links one page) is no identity: each of those is named by its local start too. So when the
/// first instance of such a series leaves the feeds, the next keeps its UID (a name by
/// position, `-2`, `-3`, would pass each UID to the next date, and a subscribed calendar would
/// move events instead of keeping them). An identity starts being shared only when a second
/// event with the same link appears (a series' second date within the feeds' weeks).
#[derive(Debug, Default)]
pub struct Uids {
    /// The identities more than one event has.
    shared: HashSet<String>,
}

impl Uids {
    /// The UIDs of the feeds of `events`.
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Uids {
        let mut seen = HashSet::new();
        let mut shared = HashSet::new();
        for e in events {
            let id = identity(e);
            if !seen.insert(id.clone()) {
                shared.insert(id);
            }
        }
        Uids { shared }
    }

    /// The UID of `e`, one of the events these UIDs were made from.
    pub fn uid(&self, e: &Event) -> String {
        if self.shared.contains(&identity(e)) {
            uid_of(&instance_identity(e))
        } else {
            uid(e)
        }
    }
}

/// The IANA zone an event's start is written in: the first of the printed place's, the
/// venue's and the organizer's home's zones whose offset at that wall-clock time is the
/// start's own offset. `None` for events without a time or when no zone agrees (UTC then).
pub fn zone_of(e: &Event) -> Option<Tz> {
    let start = e.start?;
    let places = [e.shown_place(), e.place.as_ref(), e.organizer.home.as_ref()];
    places.into_iter().flatten().find_map(|p| {
        let tz = zone_for_place(p)?;
        let offset = tz
            .from_local_datetime(&start.naive_local())
            .earliest()?
            .offset()
            .fix();
        (offset == *start.offset()).then_some(tz)
    })
}

/// Whether the event is written with dates only (no time, or several days).
fn all_day(e: &Event) -> bool {
    e.start.is_none() || e.end_date > e.start_date
}

/// The end the feeds assume for a timed one-day event that no source gave an end: the start
/// plus [`DEFAULT_DURATION_HOURS`]. `None` when a source gave the end, or the event is
/// written as days (its `DTEND` is the day after its last day).
pub fn assumed_end(e: &Event) -> Option<DateTime<FixedOffset>> {
    if all_day(e) || e.end.is_some() {
        return None;
    }
    e.start?
        .checked_add_signed(Duration::hours(DEFAULT_DURATION_HOURS))
}

/// `DTEND` of a timed event in `tz`, the zone of its `DTSTART`; in UTC when the wall-clock
/// time in `tz` would not name that instant (an end in the hour a DST change repeats).
fn zoned_end(end: DateTime<FixedOffset>, tz: Tz) -> CalendarDateTime {
    let local = end.with_timezone(&tz).naive_local();
    if tz.from_local_datetime(&local).earliest() == Some(end.with_timezone(&tz)) {
        CalendarDateTime::from((local, tz))
    } else {
        CalendarDateTime::Utc(end.with_timezone(&Utc))
    }
}

/// One feed: `name` is the calendar's display name, `uids` those of every feed of the run.
/// `events` are printed in the newsletter's order; each appears once (should two events
/// still have one UID — one link, one start: a duplicate deduplication kept apart —, the
/// later ones get `-2`, `-3`, … so that a file never holds two events with one UID).
pub fn calendar(
    events: &[&Event],
    uids: &Uids,
    name: &str,
    description: &str,
    generated_at: DateTime<Utc>,
) -> String {
    let sorted = in_order(events.iter().copied());
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        "-//twir-events//Upcoming Events//EN",
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    cal.name(name);
    cal.description(description);
    cal.ttl(&Duration::hours(REFRESH_HOURS));

    let mut zones: BTreeMap<&'static str, (Tz, i32, i32)> = BTreeMap::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (e, location) in &sorted {
        let mut uid = uids.uid(e);
        let n = seen.entry(uid.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            uid = format!("{uid}-{n}");
        }
        let mut ev = icalendar::Event::new();
        ev.uid(&uid);
        ev.timestamp(generated_at);
        ev.summary(&clean(&e.title));
        if let Some(url) = uri(&e.url) {
            ev.url(&url);
        }
        let end = e.end.or_else(|| assumed_end(e));
        match (all_day(e), e.start, zone_of(e)) {
            (false, Some(start), Some(tz)) => {
                let naive = start.naive_local();
                ev.starts(CalendarDateTime::from((naive, tz)));
                let last = end.map_or(naive, |end| {
                    ev.ends(zoned_end(end, tz));
                    end.with_timezone(&tz).naive_local()
                });
                let span = zones
                    .entry(tz.name())
                    .or_insert((tz, naive.year(), last.year()));
                span.1 = span.1.min(naive.year());
                span.2 = span.2.max(last.year());
            }
            (false, Some(start), None) => {
                ev.starts(CalendarDateTime::Utc(start.with_timezone(&Utc)));
                if let Some(end) = end {
                    ev.ends(CalendarDateTime::Utc(end.with_timezone(&Utc)));
                }
            }
            _ => {
                ev.starts(e.start_date);
                ev.ends(crate::normalize::add_days(e.end_date, 1));
            }
        }
        if !location.is_empty() {
            ev.location(&clean(location));
        }
        ev.categories(e.regions.iter().map(|r| r.title()));
        ev.description(&clean(&description_of(e)));
        ev.append_property(Property::new("TRANSP", "TRANSPARENT"));
        ev.append_property(Property::new("STATUS", "CONFIRMED"));
        cal.push(ev.done());
    }
    let text = cal.to_string();
    if zones.is_empty() {
        return text;
    }
    // The icalendar crate writes no VTIMEZONE (and its generic components get a DTSTAMP and a
    // random UID added on output, which a VTIMEZONE must not have), and no crate builds one
    // from chrono-tz: the blocks are made here from chrono-tz's offsets and spliced in before
    // the first component. Their text is ours (zone names, offsets), nothing from a source.
    let mut blocks = String::new();
    for (tz, from, to) in zones.into_values() {
        blocks.push_str(&vtimezone(tz, from, to));
    }
    match text.find("BEGIN:VEVENT\r\n") {
        Some(at) => format!("{}{}{}", &text[..at], blocks, &text[at..]),
        None => text,
    }
}

/// A TEXT value without the control characters a content line cannot carry (a bare CR would
/// end the line for some readers; a CRLF keeps its LF, which the crate escapes as `\n`):
/// [`crate::text::printable`].
fn clean(s: &str) -> String {
    crate::text::printable(s).into_owned()
}

/// A link as an RFC 3986 URI (a URL property is not escaped): checked, then serialized by
/// the `url` crate (spaces and other characters percent-encoded).
fn uri(raw: &str) -> Option<String> {
    let checked = crate::link::safe(raw)?;
    url::Url::parse(&checked).ok().map(String::from)
}

/// The event's description: who organizes it, the other groups streaming it, its sections
/// and where the listing comes from.
fn description_of(e: &Event) -> String {
    let mut d = String::new();
    let _ = write!(d, "Organized by {}", e.organizer.name);
    if let Some(url) = e.organizer.url.as_deref().and_then(crate::link::safe) {
        let _ = write!(d, " ({url})");
    }
    d.push('\n');
    for m in &e.mirrors {
        let _ = write!(d, "{}: {}", m.label, m.organizer.name);
        if let Some(url) = crate::link::safe(&m.url) {
            let _ = write!(d, " ({url})");
        }
        d.push('\n');
    }
    if let Some(url) = crate::link::safe(&e.url) {
        let _ = writeln!(d, "Event page: {url}");
    }
    if let (true, Some(start)) = (all_day(e), e.start) {
        // Written as days (several of them): the start and end times are said here.
        let _ = writeln!(
            d,
            "Starts {} (UTC{})",
            start.format("%Y-%m-%d %H:%M"),
            start.format("%:z")
        );
        if let Some(end) = e.end {
            let _ = writeln!(
                d,
                "Ends {} (UTC{})",
                end.format("%Y-%m-%d %H:%M"),
                end.format("%:z")
            );
        }
    }
    if assumed_end(e).is_some() {
        let _ = writeln!(
            d,
            "End time not given by its sources: shown as {DEFAULT_DURATION_HOURS} hours"
        );
    }
    let sections: Vec<&str> = e.regions.iter().map(|r| r.title()).collect();
    let _ = writeln!(d, "Sections: {}", sections.join(", "));
    let origin = crate::render::carried_note(e).unwrap_or_else(|| {
        if e.from_page {
            "Date, time and place checked on the event's own page".to_string()
        } else {
            "From a calendar entry (its event page was not read)".to_string()
        }
    });
    let _ = writeln!(d, "{origin} (sources: {})", e.sources.join(", "));
    d.push_str("Listed in the Upcoming Events of This Week in Rust (twir-events).");
    d
}

/// A zone's offset at an instant: total offset in seconds, whether it is daylight time, its
/// abbreviation.
fn offset_at(tz: Tz, t: DateTime<Utc>) -> (i32, bool, String) {
    let o = tz.offset_from_utc_datetime(&t.naive_utc());
    let total = o.fix().local_minus_utc();
    let dst = !o.dst_offset().is_zero();
    let name = o.abbreviation().unwrap_or("").to_string();
    (total, dst, name)
}

/// `+0100`, `-0330`, `+054500` (seconds only when there are some).
fn format_offset(secs: i32) -> String {
    let sign = if secs < 0 { '-' } else { '+' };
    let a = secs.unsigned_abs();
    let (h, m, s) = (a / 3600, a / 60 % 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// A `VTIMEZONE` for `tz` covering the years `from..=to`: the observance in force on the
/// first of January of `from`, then every transition up to the end of `to`, each as its own
/// `STANDARD` or `DAYLIGHT` block with one `DTSTART` (no RRULE: exact for those years, also
/// for zones whose rules changed). Transitions are found by scanning day by day and bisecting
/// to the second; the years are bounded by the window and the horizon (at most a few).
pub fn vtimezone(tz: Tz, from: i32, to: i32) -> String {
    let to = to.clamp(from, from.saturating_add(20));
    let start = NaiveDate::from_ymd_opt(from, 1, 1)
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    let end = NaiveDate::from_ymd_opt(to.saturating_add(1), 1, 1)
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc());
    let (Some(start), Some(end)) = (start, end) else {
        return String::new();
    };
    let mut out = String::new();
    let _ = write!(out, "BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let observance = |out: &mut String,
                      at: DateTime<Utc>,
                      before: &(i32, bool, String),
                      after: &(i32, bool, String)| {
        let kind = if after.1 { "DAYLIGHT" } else { "STANDARD" };
        // DTSTART is the wall-clock time of the change in the offset before it.
        let local = at.naive_utc() + Duration::seconds(i64::from(before.0));
        let _ = write!(
            out,
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            local.format("%Y%m%dT%H%M%S"),
            format_offset(before.0),
            format_offset(after.0)
        );
        if !after.2.is_empty() {
            let _ = write!(out, "TZNAME:{}\r\n", after.2);
        }
        let _ = write!(out, "END:{kind}\r\n");
    };
    // Start at midnight local time on the first of January.
    let start = start - Duration::seconds(i64::from(offset_at(tz, start).0));
    let mut current = offset_at(tz, start);
    observance(&mut out, start, &current, &current);
    let mut t = start;
    while t < end {
        let next = t + Duration::days(1);
        let later = offset_at(tz, next);
        if later != current {
            // Bisect (t, next] to the first second with the new offset.
            let (mut lo, mut hi) = (t, next);
            while hi - lo > Duration::seconds(1) {
                let mid = lo + (hi - lo) / 2;
                if offset_at(tz, mid) == current {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let after = offset_at(tz, hi);
            observance(&mut out, hi, &current, &after);
            current = after;
            // Two changes within one day are caught by the next step's comparison.
            t = hi;
            continue;
        }
        t = next;
    }
    out.push_str("END:VTIMEZONE\r\n");
    out
}

/// The feeds of a publish run: `events.ics` with every event, and one per section (all seven,
/// empty ones too, so a subscription never breaks). `events` are the window's events and the
/// horizon's.
pub fn feeds(
    events: &[Event],
    window: &Window,
    horizon_to: NaiveDate,
    generated_at: DateTime<Utc>,
) -> Vec<(String, String)> {
    let all: Vec<&Event> = events.iter().collect();
    let uids = Uids::of(events);
    let span = format!(
        "Rust community events from {} to {}, verified and deduplicated: the Upcoming Events of This Week in Rust.",
        window.from, horizon_to
    );
    let mut out = vec![(
        "events.ics".to_string(),
        calendar(
            &all,
            &uids,
            "Rust events (This Week in Rust)",
            &span,
            generated_at,
        ),
    )];
    for region in Region::ALL {
        let of: Vec<&Event> = events
            .iter()
            .filter(|e| e.regions.contains(&region))
            .collect();
        out.push((
            section_file(region),
            calendar(
                &of,
                &uids,
                &format!("Rust events: {} (This Week in Rust)", region.title()),
                &span,
                generated_at,
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Place;

    #[test]
    fn vtimezone_has_the_transitions_of_the_year() {
        let text = vtimezone(chrono_tz::Europe::Berlin, 2023, 2023);
        assert!(text.contains("TZID:Europe/Berlin"));
        assert!(text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20230326T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST"), "{text}");
        assert!(text.contains("BEGIN:STANDARD\r\nDTSTART:20231029T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET"), "{text}");
        // A zone without daylight time: the one observance.
        let text = vtimezone(chrono_tz::Asia::Tokyo, 2023, 2023);
        assert_eq!(text.matches("BEGIN:STANDARD").count(), 1);
        assert!(!text.contains("DAYLIGHT"));
        assert_eq!(format_offset(-12600), "-0330");
    }

    #[test]
    fn uid_is_the_event_identity() {
        let a = Event::example(
            "A",
            "https://www.meetup.com/rust-berlin/events/291184911/",
            "2023-02-02",
        );
        let mut b = a.clone();
        b.url = "https://meetup.com/de-DE/rust-berlin/events/291184911?utm_source=x".into();
        b.start_date = "2023-02-03".parse().unwrap();
        assert_eq!(uid(&a), uid(&b));
        // A group page is no identity: the date is part of it.
        let mut c = a.clone();
        c.url = "https://www.meetup.com/rust-berlin/".into();
        let mut d = c.clone();
        d.start_date = "2023-02-09".parse().unwrap();
        assert_ne!(uid(&c), uid(&d));
    }

    #[test]
    fn a_series_sharing_one_link_keeps_its_uids_when_the_first_instance_drops_out() {
        // A weekly "Hack Night" whose every instance links the group's page (a link that
        // passes for one event's: not a site root, not the organizer's link).
        let night = |n: i64| {
            let day = NaiveDate::from_ymd_opt(2026, 9, 15).unwrap() + Duration::days(7 * n);
            let mut e = Event::example(
                "Hack Night",
                "https://hacknight.example.org/rust-hack-night",
                &day.to_string(),
            );
            e.start = Some(
                format!("{day}T19:00:00+02:00")
                    .parse::<DateTime<FixedOffset>>()
                    .unwrap(),
            );
            e
        };
        let at = "2026-09-15T09:00:00Z".parse().unwrap();
        let window = Window {
            from: "2026-09-15".parse().unwrap(),
            to: "2026-11-10".parse().unwrap(),
        };
        // UID of each start, as events.ics writes them.
        let uids_of = |events: &[Event]| -> BTreeMap<String, String> {
            let text = feeds(events, &window, window.to, at)[0]
                .1
                .replace("\r\n ", "");
            let mut out = BTreeMap::new();
            for block in text.split("BEGIN:VEVENT").skip(1) {
                let field = |name: &str| {
                    let at = block.find(&format!("\r\n{name}")).unwrap() + 2;
                    block[at..].split("\r\n").next().unwrap().to_string()
                };
                out.insert(field("DTSTART"), field("UID:"));
            }
            out
        };
        let this_week: Vec<Event> = (0..8).map(night).collect();
        let next_week: Vec<Event> = (1..9).map(night).collect();
        let (a, b) = (uids_of(&this_week), uids_of(&next_week));
        assert_eq!(a.len(), 8);
        assert_eq!(a.values().collect::<HashSet<_>>().len(), 8, "{a:?}");
        // The seven instances of both runs keep their UIDs; none is suffixed by position.
        let common: Vec<&String> = a.keys().filter(|k| b.contains_key(*k)).collect();
        assert_eq!(common.len(), 7);
        for start in common {
            assert_eq!(a[start], b[start], "{start}");
        }
        assert!(
            a.values()
                .chain(b.values())
                .all(|u| u.ends_with("@twir-events"))
        );
        // Made from every event of the run: a section's feed gives an instance the UID
        // events.ics does.
        let uids = Uids::of(&this_week);
        assert_eq!(uids.uid(&this_week[3]), uids.uid(&this_week[3].clone()));
        assert_ne!(uids.uid(&this_week[3]), uid(&this_week[3]));
        // An event alone with its link keeps the link's UID, whatever its date.
        let alone = Uids::of(std::slice::from_ref(&this_week[0]));
        assert_eq!(alone.uid(&this_week[0]), uid(&this_week[0]));
        let mut moved = this_week[0].clone();
        moved.start_date = "2026-09-16".parse().unwrap();
        moved.start = Some("2026-09-16T19:00:00+02:00".parse().unwrap());
        assert_eq!(Uids::of([&moved]).uid(&moved), alone.uid(&this_week[0]));
    }

    #[test]
    fn hybrid_multi_day_and_utc_events() {
        use crate::model::Attendance;
        let at = "2026-08-26T09:00:00Z".parse().unwrap();
        let window = Window {
            from: "2023-02-01".parse().unwrap(),
            to: "2023-03-01".parse().unwrap(),
        };
        // A hybrid event: in two sections' feeds, once in events.ics, one UID everywhere.
        let mut hybrid = Event::example("Hybrid", "https://example.org/e/hybrid", "2023-02-02");
        hybrid.attendance = Attendance::Hybrid;
        hybrid.regions = vec![Region::Virtual, Region::Europe];
        hybrid.start = Some("2023-02-02T18:30:00+01:00".parse().unwrap());
        // A conference over three days with a start time: written as days.
        let mut conf = Event::example(
            "Conf; day one, two",
            "https://example.org/e/conf",
            "2023-02-04",
        );
        conf.end_date = "2023-02-06".parse().unwrap();
        conf.start = Some("2023-02-04T09:00:00+01:00".parse().unwrap());
        // A virtual event whose organizer has no home: UTC.
        let mut online = Event::example("Online", "https://example.org/e/online", "2023-02-03");
        online.attendance = Attendance::Virtual;
        online.place = None;
        online.regions = vec![Region::Virtual];
        online.start = Some("2023-02-03T16:00:00+00:00".parse().unwrap());
        let feeds = feeds(&[hybrid.clone(), conf, online], &window, window.to, at);
        let get = |name: &str| &feeds.iter().find(|(n, _)| n == name).unwrap().1;
        assert_eq!(feeds.len(), 8);
        let all = get("events.ics");
        assert_eq!(all.matches("BEGIN:VEVENT").count(), 3);
        let uid = format!("UID:{}", uid(&hybrid));
        for name in ["events.ics", "virtual.ics", "europe.ics"] {
            assert_eq!(get(name).matches(&uid).count(), 1, "{name}");
        }
        assert!(!get("asia.ics").contains("BEGIN:VEVENT"));
        assert!(get("asia.ics").contains("X-WR-CALNAME:Rust events: Asia"));
        assert!(all.contains("DTSTART;TZID=Europe/Berlin:20230202T183000\r\n"));
        // The last day is the 6th; DTEND is exclusive.
        assert!(all.contains("DTSTART;VALUE=DATE:20230204\r\n"), "{all}");
        assert!(all.contains("DTEND;VALUE=DATE:20230207\r\n"), "{all}");
        assert!(all.contains("SUMMARY:Conf\\; day one\\, two\r\n"), "{all}");
        assert!(all.contains("DTSTART:20230203T160000Z\r\n"));
        assert!(all.contains("CATEGORIES:Virtual,Europe\r\n"));
        assert_eq!(all.matches("BEGIN:VTIMEZONE").count(), 1);
        // Unfolded, the conference's description gives its start time.
        assert!(
            all.replace("\r\n ", "")
                .contains("Starts 2023-02-04 09:00 (UTC+01:00)")
        );
    }

    /// The unfolded text of a feed of `events`.
    fn feed_of(events: &[Event]) -> String {
        let at = "2026-08-26T09:00:00Z".parse().unwrap();
        let refs: Vec<&Event> = events.iter().collect();
        calendar(&refs, &Uids::of(events), "t", "t", at).replace("\r\n ", "")
    }

    #[test]
    fn dtend_is_the_source_s_end_in_the_start_s_form_else_two_hours() {
        let mut known = Event::example("Known", "https://example.org/e/known", "2023-02-02");
        known.start = Some("2023-02-02T19:00:00+01:00".parse().unwrap());
        known.end = Some("2023-02-02T21:30:00+01:00".parse().unwrap());
        let mut unknown = Event::example("Unknown", "https://example.org/e/unknown", "2023-02-03");
        unknown.start = Some("2023-02-03T23:00:00+01:00".parse().unwrap());
        let mut utc = Event::example("Utc", "https://example.org/e/utc", "2023-02-04");
        utc.place = None;
        utc.start = Some("2023-02-04T16:00:00+00:00".parse().unwrap());
        utc.end = Some("2023-02-04T17:15:00+00:00".parse().unwrap());
        let mut days = Event::example("Days", "https://example.org/e/days", "2023-02-05");
        days.end_date = "2023-02-06".parse().unwrap();
        days.start = Some("2023-02-05T09:00:00+01:00".parse().unwrap());
        days.end = Some("2023-02-06T17:00:00+01:00".parse().unwrap());
        let text = feed_of(&[known.clone(), unknown.clone(), utc, days]);
        let block = |title: &str| {
            let at = text.find(&format!("SUMMARY:{title}\r\n")).unwrap();
            let from = text[..at].rfind("BEGIN:VEVENT").unwrap();
            let to = at + text[at..].find("END:VEVENT").unwrap();
            text[from..to].to_string()
        };
        let b = block("Known");
        assert!(
            b.contains("DTSTART;TZID=Europe/Berlin:20230202T190000\r\n"),
            "{b}"
        );
        assert!(
            b.contains("DTEND;TZID=Europe/Berlin:20230202T213000\r\n"),
            "{b}"
        );
        assert!(!b.contains("End time not given"), "{b}");
        // No end from any source: two hours, across midnight, and said so.
        let b = block("Unknown");
        assert!(
            b.contains("DTEND;TZID=Europe/Berlin:20230204T010000\r\n"),
            "{b}"
        );
        assert!(
            b.contains("End time not given by its sources: shown as 2 hours"),
            "{b}"
        );
        assert_eq!(
            assumed_end(&unknown).map(|t| t.to_rfc3339()).as_deref(),
            Some("2023-02-04T01:00:00+01:00")
        );
        assert_eq!(assumed_end(&known), None);
        let b = block("Utc");
        assert!(b.contains("DTSTART:20230204T160000Z\r\n"), "{b}");
        assert!(b.contains("DTEND:20230204T171500Z\r\n"), "{b}");
        // Several days: dates, the times in the description.
        let b = block("Days");
        assert!(b.contains("DTEND;VALUE=DATE:20230207\r\n"), "{b}");
        assert!(b.contains("Ends 2023-02-06 17:00 (UTC+01:00)"), "{b}");
        assert!(!b.contains("End time not given"), "{b}");
        // Every event of the feed has its end.
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 4);
        assert_eq!(text.matches("\r\nDTEND").count(), 4);
    }

    #[test]
    fn an_end_in_another_year_or_in_a_repeated_hour_is_written_exactly() {
        // New Year's Eve in Berlin until 02:00: the VTIMEZONE covers 2024's changes too.
        let mut party = Event::example("Party", "https://example.org/e/party", "2023-12-31");
        party.start = Some("2023-12-31T20:00:00+01:00".parse().unwrap());
        party.end = Some("2024-01-01T02:00:00+01:00".parse().unwrap());
        let text = feed_of(&[party]);
        assert!(
            text.contains("DTEND;TZID=Europe/Berlin:20240101T020000\r\n"),
            "{text}"
        );
        assert!(text.contains("DTSTART:20240331T020000\r\n"), "{text}");
        // An end in the hour the clocks go back, the second time round (+01:00): the wall
        // clock would name the first, so the end is written in UTC.
        let mut late = Event::example("Late", "https://example.org/e/late", "2023-10-29");
        late.start = Some("2023-10-29T00:30:00+02:00".parse().unwrap());
        late.end = Some("2023-10-29T02:30:00+01:00".parse().unwrap());
        let text = feed_of(&[late]);
        assert!(text.contains("DTEND:20231029T013000Z\r\n"), "{text}");
    }

    #[test]
    fn an_evening_ending_after_midnight_is_timed() {
        // 23:00 to 02:00, one day (as `normalize` dates it): timed, not two all-day days.
        let mut late = Event::example("Late", "https://example.org/e/late", "2026-09-19");
        late.start = Some("2026-09-19T23:00:00+02:00".parse().unwrap());
        late.end = Some("2026-09-20T02:00:00+02:00".parse().unwrap());
        let text = feed_of(&[late]);
        assert!(
            text.contains("DTSTART;TZID=Europe/Berlin:20260919T230000\r\n"),
            "{text}"
        );
        assert!(
            text.contains("DTEND;TZID=Europe/Berlin:20260920T020000\r\n"),
            "{text}"
        );
        assert!(!text.contains("VALUE=DATE"), "{text}");
    }

    #[test]
    fn zone_agrees_with_the_offset() {
        let mut e = Event::example("A", "https://example.org/e/1", "2023-07-02");
        e.start = Some("2023-07-02T19:00:00+02:00".parse().unwrap());
        assert_eq!(zone_of(&e), Some(chrono_tz::Europe::Berlin));
        e.start = Some("2023-07-02T19:00:00-05:00".parse().unwrap());
        assert_eq!(zone_of(&e), None);
        e.place = Some(Place::new(Some("Nowhere"), None, None));
        assert_eq!(zone_of(&e), None);
    }
}
