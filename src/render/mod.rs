//! The other output formats, one file each: the JSON file, the iCalendar feeds and the web
//! page. The newsletter's Markdown is [`crate::newsletter`]'s.
//!
//! Here: `json.rs` the versioned JSON file (serialization-only types; the previous file read back
//! for the run that follows it: as events to carry over, as `run::PreviousRun`, as
//! `pipeline::Previous`; change detection; the review lists as sentences and, beside them, as
//! data with codes); `ics.rs` the calendar feeds and `html/` the page, both under `publish`;
//! this file `carried_note`, what both say of a carried event (when it was last seen, that its
//! source gave no usable answer) instead of where this run read it.
//!
//! A renderer only maps events: merging is the pipeline's. Links arrive checked and text
//! cleaned; each renderer escapes for its own format.

pub mod html;
pub mod ics;
pub mod json;

use crate::model::Event;

/// When a carried event ([`Event::carried`]) was last seen, for people: `2026-11-21 09:00
/// UTC` from the previous file's RFC 3339 time, its text as the file gives it when it is not
/// one (a stranger's text: cleaned where printed), "in an earlier run" when the file said
/// nothing. `None` for this run's events.
pub fn last_seen(e: &Event) -> Option<String> {
    if !e.carried {
        return None;
    }
    Some(match e.last_seen.as_deref() {
        Some(t) => chrono::DateTime::parse_from_rfc3339(t).map_or_else(
            |_| t.to_string(),
            |at| at.to_utc().format("%Y-%m-%d %H:%M UTC").to_string(),
        ),
        None => "in an earlier run".to_string(),
    })
}

/// What the page and the feeds say of a carried event instead of where this run read it: when
/// it was last seen, that its source gave no usable answer this time, and what the facts are
/// (its event page's then, or its calendar entry's). `None` for this run's events.
pub fn carried_note(e: &Event) -> Option<String> {
    let when = last_seen(e)?;
    Some(format!(
        "Not confirmed this time: its source gave no usable answer, so it is listed as last seen {when}{}",
        if e.from_page {
            ", with the date, time and place its event page gave then"
        } else {
            ", from its calendar entry (its event page was not read)"
        }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Outcome, SourceReport};

    /// Rust Berlin's event carried over from a file written at 09:00 UTC, its group down.
    fn carried() -> Event {
        Event {
            carried: true,
            last_seen: Some("2026-11-21T10:00:00+01:00".into()),
            sources: vec!["Rust Berlin".into()],
            ..Event::example(
                "Rust Berlin Meetup",
                "https://www.meetup.com/rust-berlin/events/1/",
                "2026-11-26",
            )
        }
    }

    #[test]
    fn a_carried_event_says_when_it_was_last_seen_and_that_its_source_did_not_answer() {
        let e = carried();
        assert_eq!(last_seen(&e).as_deref(), Some("2026-11-21 09:00 UTC"));
        let note = carried_note(&e).unwrap();
        assert!(note.contains("last seen 2026-11-21 09:00 UTC"), "{note}");
        assert!(note.contains("its source gave no usable answer"), "{note}");
        assert!(note.contains("its event page gave then"), "{note}");
        // Without a time in the file: said, not invented; a live event has no note.
        let unknown = Event {
            last_seen: None,
            from_page: false,
            ..carried()
        };
        let note = carried_note(&unknown).unwrap();
        assert!(note.contains("last seen in an earlier run"), "{note}");
        assert!(note.contains("from its calendar entry"), "{note}");
        let live = Event {
            carried: false,
            ..carried()
        };
        assert_eq!(carried_note(&live), None);

        // The feeds' description: last seen, not "checked on the event's own page".
        let ics = ics::calendar(&[&e], &ics::Uids::of([&e]), "x", "y", chrono::Utc::now());
        let unfolded = ics.replace("\r\n ", "");
        assert!(
            unfolded.contains("last seen 2026-11-21 09:00 UTC"),
            "{unfolded}"
        );
        assert!(unfolded.contains("no usable answer"), "{unfolded}");
        assert!(
            !unfolded.contains("checked on the event's own page"),
            "{unfolded}"
        );
        let fresh = ics::calendar(
            &[&live],
            &ics::Uids::of([&live]),
            "x",
            "y",
            chrono::Utc::now(),
        )
        .replace("\r\n ", "");
        assert!(fresh.contains("checked on the event's own page"), "{fresh}");
        assert!(!fresh.contains("last seen"), "{fresh}");
    }

    #[test]
    fn the_page_says_a_carried_event_is_not_confirmed_and_its_source_row_counts_them() {
        let mut report = SourceReport::new(
            crate::config::SourceKind::Meetup,
            "https://www.meetup.com/rust-berlin/",
            "Rust Berlin",
        );
        report.state = crate::run::SourceStatus::of_test(Some("HTTP status 503"), None);
        report.carried_over = 1;
        let outcome = Outcome {
            events: vec![carried()],
            reports: vec![report],
            ..Outcome::default()
        };
        let window = crate::model::Window {
            from: "2026-11-25".parse().unwrap(),
            to: "2026-12-23".parse().unwrap(),
        };
        let page = html::page(&html::Page {
            outcome: &outcome,
            window: &window,
            generated_at: "2026-11-21T10:00:00+00:00",
            feeds_to: window.to,
            horizon: 0,
            later: &[],
        });
        let entry = &page[page.find("<li class=\"event\">").unwrap()..];
        let entry = &entry[..entry.find("</li>\n").unwrap()];
        assert!(
            entry.contains("(not confirmed this time: last seen 2026-11-21 09:00 UTC)"),
            "{entry}"
        );
        assert!(
            entry.contains("its source gave no usable answer"),
            "{entry}"
        );
        assert!(
            !entry.contains("checked on the event's own page"),
            "{entry}"
        );
        assert!(page.contains("1 not confirmed this time, listed as last seen"));
        // The source's row: 0 events of its own this time, 1 carried over.
        let row = &page[page
            .find("<tr><td><a href=\"https://www.meetup.com/rust-berlin/\"")
            .unwrap()..];
        let row = &row[..row.find("</tr>").unwrap()];
        assert!(row.contains(">0</td>"), "{row}");
        assert!(
            row.contains("1 event carried over from the previous run (listed as last seen)"),
            "{row}"
        );
        // And the list of failed sources.
        let failed = &page[page.find("id=\"source-failed\"").unwrap()..];
        assert!(failed.contains("— 1 event carried over"), "{failed}");
    }
}
