//! Unit tests of `update`: what becomes of each entry (here: failed sources, hand entries,
//! the window), the field-level merge (`fields.rs`), the block edited in place (`edit.rs`);
//! and the helpers they share.

mod edit;
mod fields;

use super::*;
use crate::model::{Attendance, Organizer, Place, Region};

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
    assert!(u.unchanged.is_empty());
    assert!(u.changed(DRAFT));
    // Updating again changes nothing, and says so.
    let again = update_draft(&u.text, &outcome, &window(), &[]).unwrap();
    assert_eq!(again.text, u.text);
    assert!(!again.changed(&u.text));
    assert_eq!(
        (
            again.updated.len(),
            again.unchanged.len(),
            again.added.len()
        ),
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
    // A heading that ends the draft, without a line end: the block goes below it.
    let u = update_draft("## Upcoming Events", &outcome, &window(), &[]).unwrap();
    assert!(
        u.text
            .starts_with("## Upcoming Events\n\nRusty Events between 2023-02-01"),
        "{}",
        u.text
    );
}

fn report(label: &str, url: &str, error: Option<&str>) -> crate::pipeline::SourceReport {
    crate::pipeline::SourceReport {
        state: crate::run::SourceStatus::of_test(error, None),
        ..crate::pipeline::SourceReport::new(crate::config::SourceKind::Meetup, url, label)
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
            entry:
                "2023-02-02 \"Old title\" <https://www.meetup.com/rust-berlin/events/291000002/>"
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
    calendar.kind = crate::config::SourceKind::Ical;
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
    reports[1].kind = crate::config::SourceKind::Ical;
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

// The merge that respects the editors (issue 22).

fn sept() -> Window {
    Window {
        from: d("2026-09-01"),
        to: d("2026-09-30"),
    }
}

/// A draft in the published corpus's style (no blank line after a heading), `block` between
/// the intro and the footer.
fn corpus_draft(block: &str) -> String {
    format!(
        "# This Week in Rust 670\n\n## Upcoming Events\n\nRusty Events between 2026-08-26 - 2026-09-23 🦀\n\n{block}\n{}\n## Jobs\n",
        newsletter::FOOTER
    )
}

/// A run event: virtual when `place` is `None`.
fn run_event(date: &str, title: &str, url: &str, org: (&str, &str), place: Option<Place>) -> Event {
    let virtual_home = place.is_none();
    Event {
        sources: vec!["Meetup page".into()],
        attendance: if virtual_home {
            Attendance::Virtual
        } else {
            Attendance::InPerson
        },
        regions: if virtual_home {
            vec![Region::Virtual]
        } else {
            vec![Region::Europe]
        },
        organizer: Organizer {
            name: org.0.into(),
            url: Some(org.1.into()),
            home: None,
        },
        place,
        ..Event::example(title, url, date)
    }
}

fn entries_of(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| l.starts_with("* 2"))
        .map(str::to_string)
        .collect()
}

fn run(events: Vec<Event>) -> Outcome {
    Outcome {
        events,
        ..Outcome::default()
    }
}

/// The community calendar, answering.
fn calendar_report() -> crate::pipeline::SourceReport {
    let mut r = report(
        "Rust Community Calendar",
        "https://calendar.google.com/calendar/ical/x/public/basic.ics",
        None,
    );
    r.kind = crate::config::SourceKind::Ical;
    r
}
