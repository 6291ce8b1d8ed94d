//! Updating the events block in place inside a newsletter draft, without losing entries that
//! organizers or editors added by hand.
//!
//! The block runs from the `Rusty Events between …` line to the `[community]: …` footer line
//! (or, without a footer, to the next heading). Its entries are read back
//! ([`render::corpus`](crate::render::corpus)) and deduplicated together with the run's events
//! (the run's come first, so their page facts win):
//! - an entry the run also has is **updated** to the run's facts;
//! - an entry only the draft has is **kept** (added by hand), if it is in the new window;
//! - an entry the run knows was cancelled or postponed is **removed**, and so is one whose
//!   dates fall outside the new window;
//! - the run's other events are **added**.
//!
//! Everything outside the block is left byte for byte. Pure: text in, text and a report out.

use crate::dedupe::{self, identity::canonical};
use crate::model::{Event, Window};
use crate::pipeline::Outcome;
use crate::render::{corpus, markdown};

/// The result of an update.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    /// The whole draft with the new block.
    pub text: String,
    /// Entries only the draft had, kept.
    pub kept: Vec<String>,
    /// Entries of the draft that are gone, with why.
    pub removed: Vec<String>,
    /// Draft entries the run also had (now the run's version).
    pub updated: usize,
    /// The run's events the draft did not have.
    pub added: usize,
}

/// Where the block is: byte range of its lines in `draft`, or where to insert one.
enum Place {
    Block(usize, usize),
    InsertAt(usize),
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect()
}

fn locate(draft: &str) -> Result<Place, String> {
    let starts = line_starts(draft);
    let line = |i: usize| {
        let end = starts.get(i + 1).copied().unwrap_or(draft.len());
        &draft[starts[i]..end]
    };
    let heading = (0..starts.len()).find(|&i| {
        line(i)
            .trim()
            .trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case("Upcoming Events")
            && line(i).trim_start().starts_with('#')
    });
    let from = heading.unwrap_or(0);
    let Some(first) = (from..starts.len()).find(|&i| line(i).starts_with("Rusty Events between"))
    else {
        return match heading {
            // A heading without a block: insert after the heading and one blank line.
            Some(h) => {
                let mut at = h + 1;
                while at < starts.len() && line(at).trim().is_empty() {
                    at += 1;
                }
                Ok(Place::InsertAt(
                    starts.get(at).copied().unwrap_or(draft.len()),
                ))
            }
            None => Err(
                "no \"## Upcoming Events\" heading and no \"Rusty Events between\" line: \
                 add the heading where the section belongs"
                    .to_string(),
            ),
        };
    };
    let is_heading = |i: usize| {
        let t = line(i).trim_start();
        t.starts_with("# ") || t.starts_with("## ")
    };
    let footer = (first..starts.len())
        .take_while(|&i| i == first || !is_heading(i))
        .find(|&i| line(i).starts_with("[community]:"));
    let last = match footer {
        Some(f) => f,
        None => {
            // Up to the next heading, without the blank lines before it.
            let mut end = (first + 1..starts.len())
                .find(|&i| is_heading(i))
                .unwrap_or(starts.len());
            while end > first + 1 && line(end - 1).trim().is_empty() {
                end -= 1;
            }
            end - 1
        }
    };
    let end = starts.get(last + 1).copied().unwrap_or(draft.len());
    Ok(Place::Block(starts[first], end))
}

fn describe(e: &Event) -> String {
    format!("{} \"{}\" <{}>", e.start_date, e.title, e.url)
}

/// Updates `draft` with the run's `outcome` for `window`.
pub fn update_draft(draft: &str, outcome: &Outcome, window: &Window) -> Result<Update, String> {
    let place = locate(draft)?;
    let old_block = match place {
        Place::Block(a, b) => &draft[a..b],
        Place::InsertAt(_) => "",
    };
    let mut removed = Vec::new();
    let cancelled: Vec<String> = outcome
        .dropped
        .iter()
        .flat_map(|l| l.event.url.iter().chain(l.event.links.iter()))
        .map(|u| canonical(u))
        .collect();
    let mut hand: Vec<Event> = Vec::new();
    for entry in corpus::parse_section(old_block) {
        let mut e = corpus::to_event(&entry);
        e.sources = vec![format!("draft line {}", entry.line)];
        if !window.overlaps(e.start_date, e.end_date) {
            removed.push(format!(
                "{}: outside the window {} - {}",
                describe(&e),
                window.from,
                window.to
            ));
        } else if cancelled.contains(&canonical(&e.url)) {
            removed.push(format!(
                "{}: cancelled or postponed on its page",
                describe(&e)
            ));
        } else {
            hand.push(e);
        }
    }
    // One draft entry per event: the same entry listed under Virtual and a continent is one
    // hybrid event, not two.
    let hand = dedupe::dedupe(hand).events;
    // A draft entry the run also has takes the run's version whole (its facts come from the
    // sources; the draft's copy may be stale); the others were added by hand.
    let mut updated = 0;
    let mut kept_events = Vec::new();
    for h in hand {
        if outcome.events.iter().any(|e| dedupe::same_event(e, &h)) {
            updated += 1;
        } else {
            kept_events.push(h);
        }
    }
    let kept: Vec<String> = kept_events.iter().map(describe).collect();
    let added = outcome.events.len().saturating_sub(updated);
    let mut all: Vec<Event> = outcome.events.clone();
    all.extend(kept_events);
    // Folds a hand-added mirror into its session, like any other.
    let merged = dedupe::dedupe(all).events;

    let block = markdown::render(&merged, window);
    let text = match place {
        Place::Block(a, b) => format!("{}{}{}", &draft[..a], block, &draft[b..]),
        Place::InsertAt(at) => format!("{}{}\n{}", &draft[..at], block, &draft[at..]),
    };
    Ok(Update {
        text,
        kept,
        removed,
        updated,
        added,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    fn window() -> Window {
        Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        }
    }

    fn tool_event(date: &str, title: &str, url: &str) -> Event {
        Event {
            sources: vec!["Rust Berlin".into()],
            ..Event::example(title, url, date)
        }
    }

    const DRAFT: &str = "# This Week in Rust 480\n\n## Upcoming Events\n\nRusty Events between 2023-01-25 - 2023-02-22 🦀\n\n### Europe\n\n* 2023-01-26 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Old meetup**](https://www.meetup.com/rust-paris/events/290100223/)\n* 2023-02-02 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Old title**](https://www.meetup.com/rust-berlin/events/291000002/)\n* 2023-02-10 | Lyon, FR | [Rust Lyon](https://mobilizon.fr/@rust_lyon)\n    * [**Hand-added meetup**](https://mobilizon.fr/events/abc)\n\nIf you are running a Rust event please add it to the [calendar] to get\nit mentioned here. Please remember to add a link to the event too.\nEmail the [Rust Community Team][community] for access.\n\n[calendar]: https://www.google.com/calendar/embed?src=apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com\n[community]: mailto:community-team@rust-lang.org\n\n## Jobs\n\nPlease see the latest thread.\n";

    #[test]
    fn updates_keeps_hand_entries_and_leaves_the_rest_alone() {
        let outcome = Outcome {
            events: vec![
                tool_event(
                    "2023-02-02",
                    "New title from the page",
                    "https://www.meetup.com/rust-berlin/events/291000002/",
                ),
                tool_event(
                    "2023-02-16",
                    "Hack and Learn",
                    "https://www.meetup.com/rust-berlin/events/291000003/",
                ),
            ],
            ..Outcome::default()
        };
        let u = update_draft(DRAFT, &outcome, &window()).unwrap();
        assert!(u.text.starts_with("# This Week in Rust 480\n\n## Upcoming Events\n\nRusty Events between 2023-02-01 - 2023-03-01 🦀\n"));
        assert!(u.text.ends_with("[community]: mailto:community-team@rust-lang.org\n\n## Jobs\n\nPlease see the latest thread.\n"), "{}", u.text);
        assert!(u.text.contains("[**New title from the page**]"));
        assert!(!u.text.contains("Old title"));
        assert!(
            u.text
                .contains("[**Hand-added meetup**](https://mobilizon.fr/events/abc)")
        );
        assert!(!u.text.contains("Old meetup"), "outside the new window");
        assert_eq!(
            (u.updated, u.added, u.kept.len(), u.removed.len()),
            (1, 1, 1, 1)
        );
        // Updating again changes nothing.
        let again = update_draft(&u.text, &outcome, &window()).unwrap();
        assert_eq!(again.text, u.text);
    }

    #[test]
    fn inserts_under_the_heading_or_says_what_is_missing() {
        let draft = "## Upcoming Events\n\n## Jobs\n";
        let outcome = Outcome {
            events: vec![tool_event(
                "2023-02-16",
                "Hack and Learn",
                "https://www.meetup.com/rust-berlin/events/291000003/",
            )],
            ..Outcome::default()
        };
        let u = update_draft(draft, &outcome, &window()).unwrap();
        assert!(
            u.text
                .starts_with("## Upcoming Events\n\nRusty Events between 2023-02-01")
        );
        assert!(
            u.text
                .ends_with("[community]: mailto:community-team@rust-lang.org\n\n## Jobs\n"),
            "{}",
            u.text
        );
        assert!(update_draft("# Nothing here\n", &outcome, &window()).is_err());
    }
}
