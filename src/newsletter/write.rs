//! The newsletter's "Upcoming Events" Markdown block, exactly as the seeds print it:
//!
//! ```text
//! Rusty Events between 2023-02-01 - 2023-03-01 🦀
//!
//! ### Virtual
//!
//! * 2023-02-01 | Virtual (Cardiff, UK) | [Rust and C++ Cardiff](https://www.meetup.com/rust-and-c-plus-plus-in-cardiff)
//!     * [**New Year Virtual Social + Share**](https://www.meetup.com/rust-and-c-plus-plus-in-cardiff/events/291184911/)
//! ```
//!
//! then one `### Region` block per non-empty region in [`Region::ALL`] order, and the calendar
//! footer. Entries are sorted by date, then location, then organizer. Titles and names are
//! escaped only where they would break the link or the bold (editors write `` `nom` `` and
//! `_New_` on purpose); URLs get the characters that would end a link destination encoded.

use super::read::Link;
use super::{
    ENTRY_BULLET, EntryFields, FIELD_SEPARATOR, FOOTER, HYBRID, ORGANIZER_JOINER, PLACE_SEPARATOR,
    TITLE_BULLET, UNKNOWN_LOCATION, VIRTUAL, date_field, escape_text, escape_url, heading, intro,
};
use crate::model::{Attendance, Event, Region, Window};
use std::fmt::Write;

/// Renders the block for `events` (already normalized, deduplicated and filtered to the
/// window).
pub fn render(events: &[Event], window: &Window) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}\n", intro(window));
    for (region, entries) in by_region(events) {
        let _ = writeln!(out, "{}\n", heading(region));
        for (event, location) in entries {
            write_entry(&mut out, event, &location);
        }
        out.push('\n');
    }
    out.push_str(FOOTER);
    out
}

/// The non-empty sections in [`Region::ALL`] order, each with its events (and their
/// [`location_field`]) [`in_order`].
pub fn by_region(events: &[Event]) -> Vec<(Region, Vec<(&Event, String)>)> {
    Region::ALL
        .into_iter()
        .map(|region| {
            (
                region,
                in_order(events.iter().filter(|e| e.regions.contains(&region))),
            )
        })
        .filter(|(_, entries)| !entries.is_empty())
        .collect()
}

/// `events` with their [`location_field`], in the newsletter's order ([`order_key`]).
pub fn in_order<'a>(events: impl IntoIterator<Item = &'a Event>) -> Vec<(&'a Event, String)> {
    let mut entries: Vec<(&Event, String)> =
        events.into_iter().map(|e| (e, location_field(e))).collect();
    entries.sort_by_cached_key(|(e, location)| {
        order_key(e.start_date, location, &e.organizer.name, &e.title, &e.url)
    });
    entries
}

/// The newsletter's order: date, then location, then organizer (case-insensitive), then
/// title and link so that ties are deterministic.
pub fn order_key(
    date: chrono::NaiveDate,
    location: &str,
    organizer: &str,
    title: &str,
    url: &str,
) -> (chrono::NaiveDate, String, String, String, String) {
    (
        date,
        location.to_lowercase(),
        organizer.to_lowercase(),
        title.to_string(),
        url.to_string(),
    )
}

/// An entry's two lines (as in every section it is listed in), `location` being its
/// [`location_field`].
pub fn write_entry(out: &mut String, e: &Event, location: &str) {
    write_fields(
        out,
        &EntryFields {
            location: location.to_string(),
            ..fields_of(e)
        },
    );
}

/// An event's fields as [`write_entry`] prints them: its [`location_field`], its organizer and
/// its mirrors' (each printed link once), its title link and its mirrors' links.
pub fn fields_of(e: &Event) -> EntryFields {
    let mut organizers: Vec<Link> = Vec::new();
    let mut printed: Vec<String> = Vec::new();
    let owners = std::iter::once(&e.organizer).chain(e.mirrors.iter().map(|m| &m.organizer));
    for o in owners {
        let link = organizer_link(&o.name, o.url.as_deref());
        if !printed.contains(&link) {
            printed.push(link);
            organizers.push(Link {
                text: o.name.clone(),
                url: o.url.clone().unwrap_or_default(),
            });
        }
    }
    EntryFields {
        start_date: e.start_date,
        end_date: e.end_date,
        location: location_field(e),
        organizers,
        title: Some(Link {
            text: e.title.clone(),
            url: e.url.clone(),
        }),
        mirrors: e
            .mirrors
            .iter()
            .map(|m| Link {
                text: m.label.clone(),
                url: m.url.clone(),
            })
            .collect(),
    }
}

/// An entry's lines from its fields: the entry line, then the title line when it has a title
/// (a hand line written without one stays without). The one printer of entries.
pub fn write_fields(out: &mut String, f: &EntryFields) {
    let dates = date_field(f.start_date, f.end_date);
    let organizers: Vec<String> = f
        .organizers
        .iter()
        .map(|o| organizer_link(&o.text, Some(o.url.as_str()).filter(|u| !u.is_empty())))
        .collect();
    let location = escape_text(&f.location);
    if organizers.is_empty() {
        let _ = writeln!(out, "{ENTRY_BULLET}{dates}{FIELD_SEPARATOR}{location}");
    } else {
        let _ = writeln!(
            out,
            "{ENTRY_BULLET}{dates}{FIELD_SEPARATOR}{location}{FIELD_SEPARATOR}{}",
            organizers.join(ORGANIZER_JOINER)
        );
    }
    let Some(title) = &f.title else {
        return;
    };
    let mut line = format!("{TITLE_BULLET}{}", bold_link(&title.text, &title.url));
    for m in &f.mirrors {
        let _ = write!(line, "{FIELD_SEPARATOR}{}", bold_link(&m.text, &m.url));
    }
    let _ = writeln!(out, "{line}");
}

fn organizer_link(name: &str, url: Option<&str>) -> String {
    // Links were checked in `normalize`; checked again here because an entry can also come
    // from a draft (`update`). A link that fails is not printed, its text is.
    match url.and_then(crate::link::safe) {
        Some(u) => format!("[{}]({})", escape_text(name), escape_url(&u)),
        None => escape_text(name),
    }
}

/// `[**text**](url)`, or `**text**` when the link is not one to print.
fn bold_link(text: &str, url: &str) -> String {
    match crate::link::safe(url) {
        Some(u) => format!("[**{}**]({})", escape_text(text), escape_url(&u)),
        None => format!("**{}**", escape_text(text)),
    }
}

/// `Virtual (Dallas, TX, US)`, `Hybrid (Vancouver, BC, CA)`, `Berlin, DE`, or `Virtual`; with
/// mirrors, every organizer's home: `Virtual (Redmond, WA, US; New York, NY, US)`.
pub fn location_field(e: &Event) -> String {
    let mut places: Vec<String> = Vec::new();
    if let Some(p) = e.shown_place() {
        places.push(p.to_string());
    }
    for m in &e.mirrors {
        if let Some(home) = m.organizer.home.as_ref().filter(|p| !p.is_empty()) {
            let s = home.to_string();
            if !places.contains(&s) {
                places.push(s);
            }
        }
    }
    let joined = places.join(PLACE_SEPARATOR);
    match e.attendance {
        Attendance::Virtual if joined.is_empty() => VIRTUAL.to_string(),
        Attendance::Virtual => format!("{VIRTUAL} ({joined})"),
        Attendance::Hybrid if joined.is_empty() => HYBRID.to_string(),
        Attendance::Hybrid => format!("{HYBRID} ({joined})"),
        Attendance::InPerson if joined.is_empty() => UNKNOWN_LOCATION.to_string(),
        Attendance::InPerson => joined,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mirror, Organizer, Place};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn event(
        date: &str,
        title: &str,
        org: &str,
        home: Option<Place>,
        attendance: Attendance,
    ) -> Event {
        Event {
            title: title.into(),
            url: format!("https://www.meetup.com/x/events/{}/", title.len()),
            start_date: d(date),
            end_date: d(date),
            start: None,
            end: None,
            attendance,
            place: None,
            organizer: Organizer {
                name: org.into(),
                url: Some("https://www.meetup.com/x/".into()),
                home,
            },
            regions: vec![Region::Virtual],
            mirrors: vec![],
            sources: vec![],
            from_page: false,
            in_calendar: false,
            carried: false,
            last_seen: None,
            uid: None,
        }
    }

    #[test]
    fn renders_the_seed_shape() {
        let w = Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        };
        let cardiff = Place::new(Some("Cardiff"), None, Some("GB"));
        let e = event(
            "2023-02-01",
            "New Year Virtual Social + Share",
            "Rust and C++ Cardiff",
            Some(cardiff),
            Attendance::Virtual,
        );
        let out = render(&[e], &w);
        let expected = "Rusty Events between 2023-02-01 - 2023-03-01 🦀\n\n### Virtual\n\n* 2023-02-01 | Virtual (Cardiff, UK) | [Rust and C++ Cardiff](https://www.meetup.com/x/)\n    * [**New Year Virtual Social + Share**](https://www.meetup.com/x/events/31/)\n\n";
        assert_eq!(&out[..expected.len()], expected);
        assert!(out.ends_with(FOOTER));
    }

    #[test]
    fn mirrors_join_homes_and_links() {
        let mut e = event(
            "2023-02-01",
            "Primeros pasos",
            "Microsoft Reactor Redmond",
            Some(Place::new(Some("Redmond"), Some("WA"), Some("US"))),
            Attendance::Virtual,
        );
        e.mirrors.push(Mirror {
            organizer: Organizer {
                name: "Microsoft Reactor New York".into(),
                url: Some("https://www.meetup.com/microsoft-reactor-new-york/".into()),
                home: Some(Place::new(Some("New York"), Some("NY"), Some("US"))),
            },
            url: "https://www.meetup.com/microsoft-reactor-new-york/events/290224570/".into(),
            label: "New York Mirror".into(),
        });
        let mut out = String::new();
        write_entry(&mut out, &e, &location_field(&e));
        assert_eq!(
            out,
            "* 2023-02-01 | Virtual (Redmond, WA, US; New York, NY, US) | [Microsoft Reactor Redmond](https://www.meetup.com/x/) and [Microsoft Reactor New York](https://www.meetup.com/microsoft-reactor-new-york/)\n    * [**Primeros pasos**](https://www.meetup.com/x/events/14/) | [**New York Mirror**](https://www.meetup.com/microsoft-reactor-new-york/events/290224570/)\n"
        );
    }

    #[test]
    fn multi_day_and_sorting() {
        let w = Window {
            from: d("2026-09-01"),
            to: d("2026-09-30"),
        };
        let mut conf = event(
            "2026-09-08",
            "RustConf 2026",
            "RustConf 2026",
            None,
            Attendance::Virtual,
        );
        conf.end_date = d("2026-09-11");
        let b = event(
            "2026-09-08",
            "B",
            "Berlin",
            Some(Place::new(Some("Berlin"), None, Some("DE"))),
            Attendance::Virtual,
        );
        let a = event("2026-09-02", "A", "Zed", None, Attendance::Virtual);
        let out = render(&[conf, b, a], &w);
        let lines: Vec<&str> = out.lines().filter(|l| l.starts_with("* ")).collect();
        assert_eq!(
            lines[0],
            "* 2026-09-02 | Virtual | [Zed](https://www.meetup.com/x/)"
        );
        assert!(lines[1].starts_with("* 2026-09-08 - 2026-09-11 | Virtual | [RustConf 2026]"));
        assert!(lines[2].starts_with("* 2026-09-08 | Virtual (Berlin, DE)"));
    }
}
