//! Who runs an entry: the source's organizer, the directory's (by link, then by name), or
//! one made from the event link, linked only to a page [`crate::link::organizer_page`] takes;
//! every guess is a note for the review report.

use super::{Directory, Dropped, Links, clean_place, directory, is_locale, links};
use crate::link::Trusted;
use crate::model::{Organizer, RawEvent};
use crate::site::{luma_com, meetup_com};

/// The organizer found for an entry, and whether its virtual events print its home.
pub(super) struct Found {
    pub(super) organizer: Organizer,
    pub(super) virtual_home: bool,
}

impl Found {
    fn of(known: &directory::Known) -> Found {
        Found {
            organizer: known.organizer.clone(),
            virtual_home: known.prints_virtual_home(),
        }
    }
}

/// The organizer: the source's (completed from the directory), else the directory's for one
/// of the entry's links, else the directory's for the name the entry gives (its
/// description's first line, its title's `Organizer: …` prefix: noted), else one made from its
/// event link (its link only when [`crate::link::organizer_page`] takes it: noted otherwise);
/// no link at all drops the entry.
pub(super) fn find_organizer(
    raw: &RawEvent,
    directory: &Directory,
    links: &Links,
    title: &str,
    notes: &mut Vec<String>,
) -> Result<Found, Dropped> {
    let by_link = directory.lookup_any(links.iter());
    if let Some(o) = &raw.organizer {
        return Ok(own_organizer(o, directory, by_link));
    }
    if let Some(known) = by_link {
        return Ok(Found::of(known));
    }
    let Some(event_link) = links.first_event_link() else {
        return Err(Dropped::NoLink);
    };
    let named = raw.description.as_deref().and_then(links::leading_name);
    if let Some((known, said)) = by_name(directory, named.as_deref(), title) {
        notes.push(format!(
            "{}: organizer {} found by its name only ({said}); link its page in the entry, or add an [[organizer]] entry to sources.toml", crate::text::quoted(title),
            crate::text::quoted(&known.organizer.name)
        ));
        return Ok(Found::of(known));
    }
    let name = named.as_deref().unwrap_or(title);
    Ok(Found {
        organizer: guessed_organizer(event_link, name, links, title, notes),
        virtual_home: true,
    })
}

/// A source's own organizer, completed from the directory: a feed of one organizer that did
/// not say its name (a meetup group's iCal feed) gets the name the directory knows for its
/// page, else one made from the page's link; its home, and how its virtual events print (its
/// home when `sources.toml` writes it, else as the directory says).
fn own_organizer(
    o: &Organizer,
    directory: &Directory,
    by_link: Option<&directory::Known>,
) -> Found {
    let mut o = o.clone();
    let known = o
        .url
        .as_deref()
        .and_then(|u| directory.known(u))
        .or(by_link);
    if o.name.trim().is_empty() {
        match (known, &o.url) {
            (Some(known), _) => o.name.clone_from(&known.organizer.name),
            (None, Some(u)) => o.name = organizer_from_url(u, "").name,
            (None, None) => {}
        }
    }
    if o.home.is_none() {
        o.home = known.and_then(|known| known.organizer.home.clone());
    }
    // A home the sources file writes is printed; else as the editors last printed it.
    let stated = o.url.as_deref().is_some_and(|u| directory.home_stated(u));
    Found {
        virtual_home: stated || known.is_none_or(directory::Known::prints_virtual_home),
        organizer: o,
    }
}

/// The directory's organizer for the name an entry gives: its description's first line, else
/// its title's prefix (`Rust Dresden: …`, `Rust Dresden - …`); with which it was.
fn by_name<'d>(
    directory: &'d Directory,
    leading: Option<&str>,
    title: &str,
) -> Option<(&'d directory::Known, &'static str)> {
    leading
        .and_then(|n| directory.lookup_name(n))
        .map(|k| (k, "the description's first line"))
        .or_else(|| {
            title_prefix(title)
                .and_then(|n| directory.lookup_name(n))
                .map(|k| (k, "the title's prefix"))
        })
}

/// The organizer a title starts with: the text before `: `, ` - `, ` – ` or ` | `.
fn title_prefix(title: &str) -> Option<&str> {
    [": ", " - ", " – ", " — ", " | "]
        .iter()
        .filter_map(|sep| title.find(sep))
        .min()
        .map(|i| title[..i].trim())
        .filter(|p| !p.is_empty())
}

/// An organizer made from an event link, named `name`; its link only when it is the
/// organizer's page by [`crate::link::organizer_page`] (a meetup group, the organizer's own
/// site), else printed without a link and noted, so the editor adds an `[[organizer]]` entry
/// once.
fn guessed_organizer(
    event_link: &str,
    name: &str,
    links: &Links,
    title: &str,
    notes: &mut Vec<String>,
) -> Organizer {
    let mut o = organizer_from_url(event_link, name);
    let events: Vec<&str> = links.iter().collect();
    let refused = match o.url.as_deref() {
        Some(u) => crate::link::organizer_page(u, &o.name, &events)
            .err()
            .map(|why| format!("{u} is {why}")),
        None => Some(format!("{event_link} names none")),
    };
    if let Some(why) = refused {
        o.url = None;
        notes.push(format!(
            "{}: organizer {} printed without a link: no page of its is known ({why}); add an [[organizer]] entry (url, name, home) to sources.toml", crate::text::quoted(title),
            crate::text::quoted(&o.name)
        ));
    }
    o
}

/// The organizer's fields made printable (name cleaned, link checked, home cleaned), and the
/// title: an entry without one takes its organizer's name, an organizer without a name the
/// title.
pub(super) fn name_organizer_and_title(
    mut organizer: Organizer,
    title: String,
    trusted: &Trusted,
    notes: &mut Vec<String>,
) -> (Organizer, String) {
    organizer.name = crate::text::clean_field(&organizer.name, crate::text::MAX_NAME);
    if let Some(u) = organizer.url.take() {
        match crate::link::check_within(&u, trusted) {
            Ok(u) if crate::link::is_platform_root(&u) => notes.push(format!(
                "{}: the organizer's link {u:?} dropped: a platform's home page is no organizer's page", crate::text::quoted(&title)
            )),
            Ok(u) => organizer.url = Some(u),
            Err(refused) => notes.push(format!("{}: the organizer's {refused}", crate::text::quoted(&title))),
        }
    }
    organizer.home = organizer.home.map(|p| clean_place(&p));
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
        organizer.name.clone_from(&title);
    }
    (organizer, title)
}

/// An organizer guessed from an event link when nothing else knows it: a meetup group's
/// page, else the site's root (a luma event: its page), whose link
/// [`crate::link::organizer_page`] then judges.
pub(super) fn organizer_from_url(url: &str, title: &str) -> Organizer {
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
        if host == meetup_com::HOST {
            let segs: Vec<&str> = segments
                .iter()
                .copied()
                .skip_while(|s| is_locale(&s.to_lowercase()))
                .collect();
            if let Some(urlname) = segs.first() {
                return Organizer {
                    name: prettify_urlname(urlname),
                    url: Some(meetup_com::group_page(urlname)),
                    home: None,
                };
            }
        }
        if !host.is_empty() && luma_com::fold_host(&host).is_none() {
            // A site's root, its organizer's page if `link::organizer_page` says so.
            let root = format!("{}://{}/", u.scheme(), u.host_str().unwrap_or(""));
            return Organizer {
                name: title.to_string(),
                url: Some(root),
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
