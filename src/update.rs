//! Updating the events block in place inside a newsletter draft, without losing entries that
//! organizers or editors added by hand.
//!
//! The block runs from the `Rusty Events between …` line to the `[community]: …` footer line
//! (or, without a footer, to the next heading). Its entries are read back
//! ([`newsletter::read`]) and deduplicated together with the run's events
//! (the run's come first, so their page facts win):
//! - an entry the run also has takes the run's facts: **updated** when its text changes,
//!   **unchanged** otherwise; except when the run has it only from a feed, unverified, while
//!   the entry's own group or page source failed: then it is **kept as it was** (what the
//!   page said is not undone by the calendar's copy during an outage);
//! - an entry the run does not have, whose source failed or answered suspiciously this run, is
//!   **kept as it was**, with that source named (its group's or calendar's failed source by
//!   its links, or the community calendar, which may list anything, when it failed): it is
//!   not known whether the source still lists it;
//! - an entry no source knows is **kept** (added by hand), if it is in the new window;
//! - an entry the run knows was cancelled or postponed is **removed**, and so is one whose
//!   dates fall outside the new window;
//! - the run's other events are **added**.
//!
//! When every source failed or answered suspiciously, the draft is left as it was
//! ([`Update::untouched`]): the run knows nothing. Everything outside the block is left byte
//! for byte. Pure: text in, text and a report out.

use crate::check::{failed_source_of, scopes};
use crate::config::Source;
use crate::dedupe::{
    self,
    identity::{canonical, event_key},
};
use crate::model::{Event, Window};
use crate::newsletter::{self, read, write};
use crate::pipeline::Outcome;

/// The result of an update.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    /// The whole draft with the new block (the draft itself when [`Update::untouched`]).
    pub text: String,
    /// Every source failed or answered suspiciously: the draft is left as it was.
    pub untouched: bool,
    /// Entries in the draft's block.
    pub entries: usize,
    /// Draft entries the run also had whose text changed (now the run's version).
    pub updated: Vec<String>,
    /// Draft entries the run also had, already printed as the run prints them.
    pub unchanged: usize,
    /// Entries the run did not have because their source failed or was suspect: kept as they
    /// were.
    pub kept_failed: Vec<KeptFailed>,
    /// Entries no source knows (added by hand), kept.
    pub kept: Vec<String>,
    /// Entries of the draft that are gone, with why.
    pub removed: Vec<String>,
    /// The run's events the draft did not have.
    pub added: Vec<String>,
}

/// A draft entry kept as it was because the source that lists it could not be used this run.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFailed {
    pub entry: String,
    /// The source's label.
    pub source: String,
    /// It answered suspiciously (else it failed).
    pub suspect: bool,
}

impl Update {
    /// Whether the new text differs from the draft.
    pub fn changed(&self, draft: &str) -> bool {
        self.text != draft
    }
}

/// The event links of an entry: its own and its mirrors' (one session streamed by several
/// groups), as event identities.
fn session_keys(e: &Event) -> Vec<String> {
    std::iter::once((&e.url, e.organizer.url.as_deref()))
        .chain(
            e.mirrors
                .iter()
                .map(|m| (&m.url, m.organizer.url.as_deref())),
        )
        .filter_map(|(url, org)| event_key(url, org))
        .collect()
}

/// Two entries for one session whose primary differs (the run's sources chose another
/// group's link as the entry's and the draft's as a mirror): the same event.
fn shares_a_session(a: &Event, b: &Event) -> bool {
    let keys = session_keys(a);
    session_keys(b).iter().any(|k| keys.contains(k))
}

/// An entry's lines as the newsletter prints them (the same in every section it is in;
/// nothing for an entry in none). Printed by [`write::write_entry`], the one way to print an
/// entry.
fn entry_text(e: &Event) -> String {
    let mut out = String::new();
    if !e.regions.is_empty() {
        write::write_entry(&mut out, e, &write::location_field(e));
    }
    out
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
            .eq_ignore_ascii_case(newsletter::SECTION_TITLE)
            && line(i).trim_start().starts_with('#')
    });
    let from = heading.unwrap_or(0);
    let Some(first) = (from..starts.len()).find(|&i| line(i).starts_with(newsletter::INTRO)) else {
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
        .find(|&i| line(i).starts_with(newsletter::FOOTER_END));
    // Without a footer: up to the next heading, without the blank lines before it.
    let last = footer.unwrap_or_else(|| {
        let mut end = (first + 1..starts.len())
            .find(|&i| is_heading(i))
            .unwrap_or(starts.len());
        while end > first + 1 && line(end - 1).trim().is_empty() {
            end -= 1;
        }
        end - 1
    });
    let end = starts.get(last + 1).copied().unwrap_or(draft.len());
    Ok(Place::Block(starts[first], end))
}

fn describe(e: &Event) -> String {
    format!("{} \"{}\" <{}>", e.start_date, e.title, e.url)
}

/// Updates `draft` with the run's `outcome` for `window`. `sources`: the run's sources file,
/// to tell which source lists an entry (may be empty: see [`crate::check::scopes`]).
pub fn update_draft(
    draft: &str,
    outcome: &Outcome,
    window: &Window,
    sources: &[Source],
) -> Result<Update, String> {
    let place = locate(draft)?;
    let old_block = match place {
        Place::Block(a, b) => &draft[a..b],
        Place::InsertAt(_) => "",
    };
    let entries = read::parse_section(old_block);
    if !outcome.reports.is_empty() && outcome.reports.iter().all(|r| !r.trusted()) {
        return Ok(Update {
            text: draft.to_string(),
            untouched: true,
            entries: entries.len(),
            ..Update::default()
        });
    }
    let count = entries.len();
    let (hand, removed) = still_listed(entries, outcome, *window);
    // One draft entry per event: the same entry listed under Virtual and a continent is one
    // hybrid event, not two.
    let hand = dedupe::dedupe(&hand).events;
    let sorted = sort_out(hand, outcome, sources, old_block);
    let added: Vec<String> = outcome
        .events
        .iter()
        .zip(&sorted.matched)
        .filter(|(_, m)| !**m)
        .map(|(e, _)| describe(e))
        .collect();
    let mut all: Vec<Event> = outcome
        .events
        .iter()
        .zip(&sorted.superseded)
        .filter(|(_, s)| !**s)
        .map(|(e, _)| e.clone())
        .collect();
    all.extend(sorted.kept_events);
    // Folds a hand-added mirror into its session, like any other.
    let merged = dedupe::dedupe(&all).events;

    let block = write::render(&merged, window);
    let text = match place {
        Place::Block(a, b) => format!("{}{}{}", &draft[..a], block, &draft[b..]),
        Place::InsertAt(at) => format!("{}{}\n{}", &draft[..at], block, &draft[at..]),
    };
    Ok(Update {
        text,
        untouched: false,
        entries: count,
        updated: sorted.updated,
        unchanged: sorted.unchanged,
        kept_failed: sorted.kept_failed,
        kept: sorted.kept,
        removed,
        added,
    })
}

/// The draft's entries as events, without those that are gone (outside the window, or
/// cancelled or postponed on their page), which are described with why.
fn still_listed(
    entries: Vec<read::CorpusEntry>,
    outcome: &Outcome,
    window: Window,
) -> (Vec<Event>, Vec<String>) {
    let cancelled: Vec<String> = outcome
        .dropped
        .iter()
        .flat_map(|l| l.event.url.iter().chain(l.event.links.iter()))
        .map(|u| canonical(u))
        .collect();
    let mut removed = Vec::new();
    let mut hand: Vec<Event> = Vec::new();
    for entry in entries {
        let mut e = read::to_event(&entry);
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
    (hand, removed)
}

/// The draft's entries, sorted out against the run.
struct SortedOut {
    /// Per run event: a draft entry is that event.
    matched: Vec<bool>,
    /// Per run event: a draft entry kept as it was stands for it (the run had only a feed's
    /// unverified copy while the entry's own source was down).
    superseded: Vec<bool>,
    updated: Vec<String>,
    unchanged: usize,
    kept_failed: Vec<KeptFailed>,
    kept: Vec<String>,
    /// The draft entries kept as they were (a failed source's, or added by hand).
    kept_events: Vec<Event>,
}

/// A draft entry the run also has takes the run's version whole (its facts come from the
/// sources; the draft's copy may be stale), unless the run has only a feed's unverified copy
/// of it while the entry's own group or page source is down: then, as for `json --out`
/// (`pipeline::carry_over`), the draft's entry is kept as it was (the calendar's date or its
/// link to a group's root would undo what the page said). Of the others, those whose source
/// failed are kept as they were, and the rest were added by hand.
fn sort_out(hand: Vec<Event>, outcome: &Outcome, sources: &[Source], old_block: &str) -> SortedOut {
    let scopes = scopes(outcome, sources);
    let mut out = SortedOut {
        matched: vec![false; outcome.events.len()],
        superseded: vec![false; outcome.events.len()],
        updated: Vec::new(),
        unchanged: 0,
        kept_failed: Vec::new(),
        kept: Vec::new(),
        kept_events: Vec::new(),
    };
    for h in hand {
        let ours = outcome
            .events
            .iter()
            .enumerate()
            .filter(|(_, e)| dedupe::same_event(e, &h) || shares_a_session(e, &h))
            .map(|(i, _)| i)
            .collect::<Vec<_>>();
        let own_source_down = || {
            failed_source_of(
                outcome,
                &scopes,
                &h.url,
                h.organizer.url.as_deref(),
                &h.organizer.name,
            )
            .filter(|&i| scopes.iter().any(|s| s.index == i && s.page.is_some()))
        };
        let unverified = ours.iter().all(|&i| !outcome.events[i].from_page);
        if let (Some(_), true, Some(i)) = (ours.first(), unverified, own_source_down()) {
            for &i in &ours {
                out.matched[i] = true;
                out.superseded[i] = true;
            }
            let r = &outcome.reports[i];
            out.kept_failed.push(KeptFailed {
                entry: describe(&h),
                source: r.label.clone(),
                suspect: r.failure().is_none(),
            });
            out.kept_events.push(h);
            continue;
        }
        if let Some(&first) = ours.first() {
            for &i in &ours {
                out.matched[i] = true;
            }
            if old_block.contains(&entry_text(&outcome.events[first])) {
                out.unchanged += 1;
            } else {
                out.updated.push(describe(&outcome.events[first]));
            }
            continue;
        }
        match failed_source_of(
            outcome,
            &scopes,
            &h.url,
            h.organizer.url.as_deref(),
            &h.organizer.name,
        ) {
            Some(i) => {
                let r = &outcome.reports[i];
                out.kept_failed.push(KeptFailed {
                    entry: describe(&h),
                    source: r.label.clone(),
                    suspect: r.failure().is_none(),
                });
            }
            None => out.kept.push(describe(&h)),
        }
        out.kept_events.push(h);
    }
    out
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
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
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
            (
                u.updated.len(),
                u.added.len(),
                u.kept.len(),
                u.removed.len()
            ),
            (1, 1, 1, 1)
        );
        assert_eq!(u.unchanged, 0);
        assert!(u.changed(DRAFT));
        // Updating again changes nothing, and says so.
        let again = update_draft(&u.text, &outcome, &window(), &[]).unwrap();
        assert_eq!(again.text, u.text);
        assert!(!again.changed(&u.text));
        assert_eq!(
            (again.updated.len(), again.unchanged, again.added.len()),
            (0, 2, 0)
        );
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
        let u = update_draft(draft, &outcome, &window(), &[]).unwrap();
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
        assert!(update_draft("# Nothing here\n", &outcome, &window(), &[]).is_err());
    }

    fn report(label: &str, url: &str, error: Option<&str>) -> crate::pipeline::SourceReport {
        crate::pipeline::SourceReport {
            state: crate::run::SourceStatus::of_test(error, None),
            ..crate::pipeline::SourceReport::new(
                crate::config::SourceKind::from_name("meetup").unwrap(),
                url,
                label,
            )
        }
    }

    #[test]
    fn tells_a_failed_sources_entries_from_hand_added_ones() {
        let outcome = Outcome {
            events: vec![tool_event(
                "2023-02-16",
                "Hack and Learn",
                "https://www.meetup.com/rust-paris/events/291000003/",
            )],
            reports: vec![
                report(
                    "Rust Berlin",
                    "https://www.meetup.com/rust-berlin/events/",
                    Some("HTTP status 500"),
                ),
                report(
                    "Rust Paris",
                    "https://www.meetup.com/rust-paris/events/",
                    None,
                ),
            ],
            ..Outcome::default()
        };
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
        assert_eq!(
            u.kept_failed,
            [KeptFailed {
                entry: "2023-02-02 \"Old title\" <https://www.meetup.com/rust-berlin/events/291000002/>"
                    .into(),
                source: "Rust Berlin".into(),
                suspect: false,
            }]
        );
        assert_eq!(
            u.kept,
            ["2023-02-10 \"Hand-added meetup\" <https://mobilizon.fr/events/abc>"]
        );
        assert!(u.text.contains("[**Old title**]"), "kept as it was");
        assert_eq!((u.updated.len(), u.added.len()), (0, 1));

        // A many-organizer feed that failed may list any entry: none is "added by hand".
        let mut calendar = report(
            "Rust Community Calendar",
            "https://calendar.google.com/calendar/ical/x/public/basic.ics",
            Some("HTTP status 503"),
        );
        calendar.kind = crate::config::SourceKind::from_name("ical").unwrap();
        let outcome = Outcome {
            reports: vec![calendar, outcome.reports[1].clone()],
            ..outcome
        };
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
        assert!(u.kept.is_empty(), "{:?}", u.kept);
        assert_eq!(u.kept_failed.len(), 2);
        assert!(
            u.kept_failed
                .iter()
                .all(|k| k.source == "Rust Community Calendar")
        );

        // Every source failed: the draft is left as it was.
        let outcome = Outcome {
            reports: vec![report(
                "Rust Berlin",
                "https://www.meetup.com/rust-berlin/events/",
                Some("timed out"),
            )],
            ..Outcome::default()
        };
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
        assert!(u.untouched);
        assert_eq!(u.text, DRAFT);
        assert_eq!(u.entries, 3);
        assert!(u.kept.is_empty() && u.updated.is_empty());
    }

    /// What a page said is not undone by the calendar's unverified copy while the page's
    /// source is down (as in `json --out`'s carry-over).
    #[test]
    fn a_calendar_copy_does_not_replace_an_entry_while_its_group_is_down() {
        // The group is down and the calendar has the event on another day, unverified: the
        // draft's entry (its page's date) is kept until the group answers again.
        let calendar_copy = Event {
            from_page: false,
            in_calendar: true,
            sources: vec!["Rust Community Calendar".into()],
            ..tool_event(
                "2023-02-03",
                "Rust Berlin: Old title",
                "https://www.meetup.com/rust-berlin/events/291000002/",
            )
        };
        let mut reports = vec![
            report(
                "Rust Berlin",
                "https://www.meetup.com/rust-berlin/events/",
                Some("HTTP status 500"),
            ),
            report(
                "Rust Community Calendar",
                "https://calendar.google.com/calendar/ical/x/public/basic.ics",
                None,
            ),
        ];
        reports[1].kind = crate::config::SourceKind::from_name("ical").unwrap();
        let mut outcome = Outcome {
            events: vec![calendar_copy],
            reports,
            ..Outcome::default()
        };
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
        assert!(
            u.text.contains("* 2023-02-02 | Berlin, DE | [Rust Berlin]"),
            "{}",
            u.text
        );
        assert!(!u.text.contains("2023-02-03"), "{}", u.text);
        assert_eq!(u.kept_failed.len(), 1);
        assert_eq!(u.kept_failed[0].source, "Rust Berlin");
        assert!(u.updated.is_empty() && u.added.is_empty());
        // The group answers again (its page agrees with the calendar now): the run's version.
        outcome.reports[0].state = crate::run::SourceStatus::Ok;
        outcome.events[0].from_page = true;
        let u = update_draft(DRAFT, &outcome, &window(), &[]).unwrap();
        assert!(u.text.contains("* 2023-02-03 | Berlin, DE"), "{}", u.text);
        assert!(u.kept_failed.is_empty());
        assert_eq!(u.updated.len(), 1);
    }
}
