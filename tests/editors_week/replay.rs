//! A replay of one published section: the sources an editor's week would have had, built from
//! the section itself, as the Rust Community Calendar would carry its entries.
//!
//! Every entry of the section becomes one VEVENT of a Google-Calendar-shaped public feed
//! (`../shared/formats.md` §1): the header in Google's order, one-off events in UTC at
//! 18:30 local time of the entry's place (or the organizer's home for a virtual one, as the
//! editors printed it), several-day events as `VALUE=DATE` with an exclusive end, SUMMARY the
//! title, LOCATION the place as free text (`Online` for virtual events), DESCRIPTION raw HTML
//! whose first line is the organizer's name as the editors printed it and whose link is the
//! event's page, CRLF lines folded at 75 octets. An entry listed under two sections (a
//! hybrid event) is one VEVENT. Nothing else is served: the replay is calendar-only, the
//! hardest case for organizers (no group page says who runs the event), and the event pages
//! cannot be read (verification reports them unverified).
//!
//! Pure: section text in, the sources file and the bodies by URL out.

use std::collections::HashMap;
use std::fmt::Write;
use twir_events::config::Config;
use twir_events::model::{Attendance, Window};
use twir_events::newsletter::read::{CorpusEntry, parse_section};
use twir_events::normalize::timezone::{country_zone, zone_for_place};

/// The calendar's feed URL, as every issue links it.
pub const CALENDAR: &str = "https://calendar.google.com/calendar/ical/apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com/public/basic.ics";

/// A section's replay: its window, its sources file and what its sources serve.
pub struct Replay {
    pub window: Window,
    pub config: Config,
    pub bodies: HashMap<String, Vec<u8>>,
    /// VEVENTs written (entries listed in two sections count once).
    pub vevents: usize,
}

/// The window a section's intro names (`Rusty Events between A - B`), if it has one.
pub fn window_of(section: &str) -> Option<Window> {
    let line = section
        .lines()
        .find(|l| l.starts_with(twir_events::newsletter::INTRO))?;
    let dates: Vec<chrono::NaiveDate> = line
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|w| w.trim_matches('-').parse().ok())
        .collect();
    match dates.as_slice() {
        [from, to, ..] if from <= to => Some(Window {
            from: *from,
            to: *to,
        }),
        _ => None,
    }
}

/// The replay of `section`, or `None` when it has no window (the 2021 one-line format).
pub fn build(section: &str) -> Option<Replay> {
    let window = window_of(section)?;
    let entries = parse_section(section);
    let mut seen: Vec<(String, chrono::NaiveDate)> = Vec::new();
    let mut ics = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Rust Community",
        "X-WR-TIMEZONE:UTC",
        "X-WR-CALDESC:",
    ] {
        push_line(&mut ics, line);
    }
    let mut vevents = 0;
    for (i, e) in entries.iter().enumerate() {
        let Some(title) = &e.title else { continue };
        let key = (title.url.clone(), e.start_date);
        if title.url.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        vevent(&mut ics, i, e);
        vevents += 1;
    }
    push_line(&mut ics, "END:VCALENDAR");
    let config = Config::parse(
        &format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{CALENDAR}\"\nname = \"Rust Community Calendar\"\n"
        ),
        "replay sources.toml",
    )
    .expect("the replay's sources file loads");
    Some(Replay {
        window,
        config,
        bodies: HashMap::from([(CALENDAR.to_string(), ics.into_bytes())]),
        vevents,
    })
}

/// One entry's VEVENT, in Google's line order.
fn vevent(ics: &mut String, index: usize, e: &CorpusEntry) {
    let title = e
        .title
        .as_ref()
        .expect("entries without a title are skipped");
    push_line(ics, "BEGIN:VEVENT");
    for line in dates(e) {
        push_line(ics, &line);
    }
    push_line(ics, "DTSTAMP:20260101T000000Z");
    push_line(
        ics,
        &format!("UID:{:026x}@google.com", uid_hash(&title.url, index)),
    );
    let organizer = e.organizers.first().map_or("", |o| o.text.as_str());
    let mut description = String::new();
    if !organizer.is_empty() {
        description.push_str(&html_escape(organizer));
        description.push_str("<br>");
    }
    let _ = write!(
        description,
        "<a href=\"{0}\" target=\"_blank\">{0}</a>",
        html_escape(&title.url)
    );
    push_line(ics, &format!("DESCRIPTION:{}", text_escape(&description)));
    push_line(ics, &format!("LOCATION:{}", text_escape(&location(e))));
    push_line(ics, "SEQUENCE:0");
    push_line(ics, "STATUS:CONFIRMED");
    push_line(ics, &format!("SUMMARY:{}", text_escape(&title.text)));
    push_line(ics, "TRANSP:OPAQUE");
    push_line(ics, "END:VEVENT");
}

/// DTSTART/DTEND: several days as dates (end exclusive); one day at 18:30–20:30 local, in
/// UTC as Google writes one-off events, or as a date when no zone is known.
fn dates(e: &CorpusEntry) -> Vec<String> {
    let day = |d: chrono::NaiveDate| d.format("%Y%m%d").to_string();
    let zone = e
        .places
        .first()
        .and_then(|p| zone_for_place(p).or_else(|| p.country.as_deref().and_then(country_zone)));
    match zone {
        Some(tz) if e.start_date == e.end_date => {
            use chrono::TimeZone;
            let local = e.start_date.and_hms_opt(18, 30, 0).expect("a valid time");
            let Some(start) = tz.from_local_datetime(&local).earliest() else {
                return all_day(e, &day);
            };
            let utc = start.with_timezone(&chrono::Utc);
            let end = utc + chrono::Duration::hours(2);
            vec![
                format!("DTSTART:{}", utc.format("%Y%m%dT%H%M%SZ")),
                format!("DTEND:{}", end.format("%Y%m%dT%H%M%SZ")),
            ]
        }
        _ => all_day(e, &day),
    }
}

fn all_day(e: &CorpusEntry, day: &dyn Fn(chrono::NaiveDate) -> String) -> Vec<String> {
    vec![
        format!("DTSTART;VALUE=DATE:{}", day(e.start_date)),
        format!(
            "DTEND;VALUE=DATE:{}",
            day(e.end_date + chrono::Duration::days(1))
        ),
    ]
}

/// The LOCATION: the place as the editors printed it, `Online` for a virtual event, and a
/// hybrid event's place with "(hybrid)" as organizers write it.
fn location(e: &CorpusEntry) -> String {
    let place = e
        .places
        .first()
        .map(ToString::to_string)
        .unwrap_or_default();
    match e.attendance {
        Attendance::Virtual => "Online".to_string(),
        Attendance::Hybrid if place.is_empty() => "Online".to_string(),
        Attendance::Hybrid => format!("{place} (hybrid: in person and online)"),
        Attendance::InPerson => place,
    }
}

/// RFC 5545 TEXT escaping.
fn text_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A CRLF content line folded at 75 octets, never inside a character.
fn push_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// FNV-1a of the event link and the entry's position: a stable, distinct UID.
fn uid_hash(url: &str, index: usize) -> u128 {
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in url.bytes().chain(index.to_le_bytes()) {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
    }
    h & ((1u128 << 104) - 1)
}
