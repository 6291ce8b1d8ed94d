//! The pure half of a run: normalize, keep the window, drop what pages call off, deduplicate.

use super::{Collected, Collection, LeftOut, Outcome, Unverified};
use crate::config::Config;
use crate::dedupe;
use crate::dedupe::identity::canonical;
use crate::model::{RawEvent, Status, Window};
use crate::normalize::{self, Directory};
use crate::run::Filtered;
use crate::run::instant_date;
use std::collections::HashMap;

/// Normalizes, keeps the window and deduplicates; every entry the reports name (left out,
/// unverified, filtered by keywords) gets the first local day the section prints for it
/// (`normalize::local_date`). Pure.
pub fn build(collection: Collection, config: &Config, window: &Window) -> Outcome {
    let collected = &collection.events;
    let directory = directory(collected, config);
    let trusted = config.trusted();
    let local = |raw: &RawEvent| normalize::local_date(raw, &directory, &trusted);
    let called_off = called_off(collected);
    let mut outcome = Outcome::default();
    let mut events = Vec::new();
    // Each kept entry's title (as its notes quote it) and notes, said once per printed event.
    let mut notes_of: Vec<(String, Vec<String>)> = Vec::new();
    for c in collected {
        let page_says = (!c.from_page && !called_off.is_empty())
            .then(|| {
                c.raw
                    .url
                    .iter()
                    .chain(&c.raw.links)
                    .find_map(|u| Some((u, called_off.get(&canonical(u))?)))
            })
            .flatten();
        if let Some((page, status)) = page_says {
            if touches(&c.raw, *window) {
                outcome.dropped.push(LeftOut {
                    event: c.raw.clone(),
                    date: local(&c.raw),
                    reason: format!(
                        "{} on its event page",
                        normalize::Dropped::Cancelled(*status)
                    ),
                    called_off_on_page: Some(page.clone()),
                });
            }
            continue;
        }
        match normalize::normalize_within(&c.raw, &directory, &trusted) {
            Ok(mut n) => {
                n.event.from_page = c.from_page;
                n.event.in_calendar = c.in_calendar;
                if window.overlaps(n.event.start_date, n.event.end_date) {
                    notes_of.push((crate::text::quoted(&c.raw.title), n.notes));
                    events.push(n.event);
                } else {
                    outcome.outside_window.push(n.event);
                }
            }
            Err(_) if !touches(&c.raw, *window) => {}
            Err(why) => outcome.dropped.push(LeftOut {
                called_off_on_page: c
                    .raw
                    .url
                    .clone()
                    .filter(|_| c.from_page && matches!(why, normalize::Dropped::Cancelled(_))),
                event: c.raw.clone(),
                date: local(&c.raw),
                reason: why.to_string(),
            }),
        }
    }
    let deduped = dedupe::dedupe(&events);
    outcome.notes = notes_once(notes_of, &deduped.entry_of);
    outcome.merges = deduped.merges;
    outcome.possible_duplicates = deduped.possible_duplicates;
    outcome.notes.extend(deduped.notes);
    outcome.events = deduped.events;
    outcome.undeduplicated = events;
    outcome.reports = collection.reports;
    outcome.corrections = collection.corrections;
    outcome.unverified = collection
        .unverified
        .into_iter()
        .map(|u| Unverified {
            date: local(&u.event),
            ..u
        })
        .collect();
    outcome.filtered = collection
        .filtered
        .into_iter()
        .map(|event| Filtered {
            date: local(&event),
            event,
        })
        .collect();
    outcome
}

/// The notes of the kept entries, each said once per printed event: the entries of one event
/// (the calendar's and its group page's) often earn the same note ("no location and no online
/// hint"), which names the first of them. `notes_of[i]` is entry `i`'s quoted title and its
/// notes (`"TITLE": WHAT`), `entry_of[i]` the printed event it ended up in.
fn notes_once(notes_of: Vec<(String, Vec<String>)>, entry_of: &[usize]) -> Vec<String> {
    let mut said = std::collections::HashSet::new();
    let mut notes = Vec::new();
    for ((title, of_entry), event) in notes_of.into_iter().zip(entry_of) {
        for note in of_entry {
            let what = note
                .strip_prefix(title.as_str())
                .and_then(|rest| rest.strip_prefix(": "))
                .unwrap_or(&note)
                .to_string();
            if said.insert((*event, what)) {
                notes.push(note);
            }
        }
    }
    notes
}

/// The organizer directory: the sources file's, completed by the organizers event pages name
/// and by the events each organizer's own source lists.
fn directory(collected: &[Collected], config: &Config) -> Directory {
    let mut directory = Directory::from_config(config);
    for c in collected.iter().filter(|c| c.from_page) {
        if let Some(o) = &c.raw.organizer {
            directory.learn(o);
        }
    }
    // The events an organizer's own source lists are that organizer's, wherever else they
    // are linked from (the community calendar).
    directory.learn_events(
        collected
            .iter()
            .filter(|c| !c.in_calendar)
            .filter_map(|c| Some((c.raw.url.as_deref()?, c.raw.organizer.as_ref()?))),
    );
    directory
}

/// Events their own page says are cancelled or postponed (by canonical link): a feed's entry
/// for the same event (not checked against the page, which a source had already read) goes
/// with them.
fn called_off(collected: &[Collected]) -> HashMap<String, Status> {
    collected
        .iter()
        .filter(|c| c.from_page)
        .filter(|c| matches!(c.raw.status, Status::Cancelled | Status::Postponed))
        .filter_map(|c| Some((canonical(c.raw.url.as_deref()?), c.raw.status)))
        .collect()
}

/// Roughly whether a raw event is near the window (for not reporting far-away drops).
pub(crate) fn touches(raw: &RawEvent, window: Window) -> bool {
    let date = instant_date(&raw.start);
    date >= normalize::add_days(window.from, -2) && date <= normalize::add_days(window.to, 2)
}

#[cfg(test)]
mod tests {
    use super::notes_once;

    #[test]
    fn a_note_is_said_once_per_printed_event() {
        let virtual_ =
            |title: &str| format!("\"{title}\": no location and no online hint; listed as virtual");
        let notes_of = vec![
            ("\"Part 2\"".to_string(), vec![virtual_("Part 2")]),
            (
                "\"Meetup: Part 2\"".to_string(),
                vec![virtual_("Meetup: Part 2")],
            ),
            ("\"Part 2\"".to_string(), vec![virtual_("Part 2")]),
        ];
        // The first two entries are one event; the third, its namesake a week later, another.
        assert_eq!(
            notes_once(notes_of, &[0, 0, 1]),
            [virtual_("Part 2"), virtual_("Part 2")]
        );
    }
}
