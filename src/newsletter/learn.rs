//! What the editors printed for each organizer, learned from published sections: the
//! organizer directory's `published` source (and, through `examples/organizers_from_corpus.rs`,
//! the compiled `data/organizers.tsv`). Pure: the command line reads the files.
//!
//! One organizer per printed link (by `match_key`, a group's `…/events` list being the group),
//! or per name (folded, edition year aside) when printed without a link or with a link that is
//! no organizer's page ([`crate::link::organizer_page`]: an event, ticket or form page). Of
//! each, the **latest** printed form wins (sections in date order, entries in order): the
//! name, the link, the home (the place of its latest `Virtual (…)` entry, else of its latest
//! entry with a city), and how its virtual events are printed (`Virtual (City, CC)` or bare
//! `Virtual`). An organizer printed once is left out: too little evidence.

use super::read::CorpusEntry;
use crate::config::PrintedOrganizer;
use crate::model::{Attendance, Place};
use crate::normalize::{match_key, name_key, without_edition};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The fewest entries an organizer must have been printed in to be learned.
pub const MIN_ENTRIES: usize = 2;

/// What was printed last for one organizer.
#[derive(Default)]
struct Latest {
    name: String,
    url: Option<String>,
    virtual_place: Option<Place>,
    any_place: Option<Place>,
    virtual_home: Option<bool>,
    entries: usize,
}

/// The organizers of `sections` (each with its issue date), as the editors last printed
/// them, keyed as the TSV's first column: the link's `match_key`, or `name:` and the folded
/// name.
pub fn printed_organizers(
    sections: &[(NaiveDate, Vec<CorpusEntry>)],
) -> Vec<(String, PrintedOrganizer)> {
    let mut order: Vec<&(NaiveDate, Vec<CorpusEntry>)> = sections.iter().collect();
    order.sort_by_key(|(d, _)| *d);
    let mut seen: BTreeMap<String, Latest> = BTreeMap::new();
    for entry in order.iter().flat_map(|(_, entries)| entries) {
        let Some(org) = entry.organizers.first() else {
            continue;
        };
        let name = without_edition(org.text.trim());
        // A name that is broken Markdown (`[Rust Luzern]((https://…`) is no name.
        if name.is_empty() || name.contains("](") || name.starts_with('[') {
            continue;
        }
        let url = organizer_link(&org.url, &name, entry);
        let key = match &url {
            Some(u) => group_key(u),
            None => format!("name:{}", name_key(&name)),
        };
        let slot = seen.entry(key).or_default();
        slot.name = name;
        if url.is_some() {
            slot.url = url;
        }
        let place = entry
            .places
            .first()
            .filter(|p| p.city.is_some() && p.country.is_some());
        if entry.attendance == Attendance::Virtual {
            slot.virtual_home = Some(!entry.places.is_empty());
            if let Some(p) = place {
                slot.virtual_place = Some(p.clone());
            }
        }
        if let Some(p) = place {
            slot.any_place = Some(p.clone());
        }
        slot.entries += 1;
    }
    seen.into_iter()
        .filter(|(_, l)| l.entries >= MIN_ENTRIES)
        .map(|(key, l)| {
            (
                key,
                PrintedOrganizer {
                    name: l.name,
                    url: l.url,
                    home: l.virtual_place.or(l.any_place),
                    virtual_home: l.virtual_home,
                    entries: l.entries,
                },
            )
        })
        .collect()
}

/// The printed organizer link when it is an organizer's page (a group's `…/events/` list
/// read as the group), else `None`.
fn organizer_link(url: &str, name: &str, entry: &CorpusEntry) -> Option<String> {
    let url = url.trim();
    if url.is_empty() {
        return None;
    }
    let url = url
        .strip_suffix("events/")
        .or_else(|| url.strip_suffix("/events"))
        .unwrap_or(url);
    let events: Vec<&str> = entry.title.iter().map(|t| t.url.as_str()).collect();
    crate::link::organizer_page(url, name, &events)
        .is_ok()
        .then(|| url.to_string())
}

/// A link's `match_key`, a group's events list being the group.
fn group_key(url: &str) -> String {
    let key = match_key(url);
    key.strip_suffix("/events").unwrap_or(&key).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::newsletter::read::parse_section;

    fn section(date: &str, body: &str) -> (NaiveDate, Vec<CorpusEntry>) {
        (date.parse().unwrap(), parse_section(body))
    }

    #[test]
    fn the_latest_form_wins() {
        let old = "### Virtual\n\
            * 2023-05-02 | Virtual (Montreal, CA) | [Women in Rust](https://www.meetup.com/women-in-rust/)\n    * [**A**](https://www.meetup.com/women-in-rust/events/1/)\n\
            * 2023-05-16 | Virtual (Montreal, CA) | [Women in Rust](https://www.meetup.com/women-in-rust/)\n    * [**B**](https://www.meetup.com/women-in-rust/events/2/)\n";
        let new = "### Virtual\n\
            * 2025-06-10 | Virtual (London, UK) | [Women in Rust](https://www.meetup.com/women-in-rust)\n    * [**C**](https://www.meetup.com/women-in-rust/events/3/)\n";
        // Given newest first: the dates decide.
        let learned = printed_organizers(&[section("2025-06-04", new), section("2023-05-01", old)]);
        let [(key, o)] = learned.as_slice() else {
            panic!("{learned:?}")
        };
        assert_eq!(key, "meetup.com/women-in-rust");
        assert_eq!(o.home.as_ref().unwrap().to_string(), "London, UK");
        assert_eq!(o.virtual_home, Some(true));
        assert_eq!(
            o.url.as_deref(),
            Some("https://www.meetup.com/women-in-rust")
        );
        assert_eq!(o.entries, 3);
    }

    #[test]
    fn event_pages_are_learned_as_names_and_editions_dropped() {
        let body = "### Europe\n\
            * 2026-09-01 | Geneva, CH | [RustConf 2026](https://www.eventbrite.com/e/x-tickets-1)\n    * [**A**](https://www.eventbrite.com/e/x-tickets-1)\n\
            * 2026-09-08 | Geneva, CH | [RustConf 2026](https://www.eventbrite.com/e/x-tickets-2)\n    * [**B**](https://www.eventbrite.com/e/x-tickets-2)\n";
        let learned = printed_organizers(&[section("2026-08-26", body)]);
        let [(key, o)] = learned.as_slice() else {
            panic!("{learned:?}")
        };
        assert_eq!(key, "name:rustconf");
        assert_eq!((o.name.as_str(), o.url.as_deref()), ("RustConf", None));
        assert_eq!(o.virtual_home, None);
    }
}
