//! Unit tests of `update`: the merge, the in-place edit, the counts.

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

#[test]
fn the_editors_forms_survive_and_are_reported_as_kept() {
    let block = "### Virtual\n\
* 2026-09-08 | Virtual | [Dallas Rust User Meetup](https://dallasrust.example.org/)\n    * [**Second Tuesday**](https://www.meetup.com/dallasrust/events/310254774/)\n\
* 2026-09-10 | Virtual | [Rust Girona](https://luma.com/user/rust-girona)\n    * [**Weekly coding session**](https://luma.com/1bm27cah)\n\n\
### Europe\n\
* 2026-09-09 | Geneva, CH | [Rust Geneva](https://github.com/rust-geneva)\n    * [**Rust Geneva #4**](https://www.meetup.com/rust-geneva/events/316000004/)\n\
* 2026-09-15 | London, UK | [Rust London](https://www.eventbrite.co.uk/o/rust-london-123)\n    * [**Rust London Talks**](https://www.eventbrite.co.uk/e/rust-london-talks-555)\n";
    let draft = corpus_draft(block);
    let mut dallas = run_event(
        "2026-09-08",
        "Dallas Rust User Meetup: Second Tuesday",
        "https://www.meetup.com/dallasrust/events/310254774/",
        (
            "Dallas Rust User Meetup",
            "https://www.meetup.com/dallasrust/",
        ),
        None,
    );
    dallas.organizer.home = Some(Place::new(Some("Dallas"), Some("TX"), Some("US")));
    let girona = run_event(
        "2026-09-10",
        "Weekly coding session",
        "https://luma.com/1bm27cah",
        ("Rust Girona", "https://luma.com/rust-girona"),
        None,
    );
    let geneva = run_event(
        "2026-09-09",
        "Rust Geneva #4",
        "https://www.meetup.com/rust-geneva/events/316000004/",
        ("Rust Geneva", "https://www.meetup.com/rust-geneva/"),
        Some(Place::new(None, None, Some("CH"))),
    );
    let london = run_event(
        "2026-09-15",
        "Rust London Talks",
        "https://www.eventbrite.co.uk/e/rust-london-talks-555",
        (
            "Rust London",
            "https://www.eventbrite.co.uk/e/rust-london-talks-555",
        ),
        Some(Place::new(Some("London"), None, Some("GB"))),
    );
    let outcome = run(vec![dallas, girona, geneva, london]);
    let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
    assert_eq!(
        u.text,
        draft.replace("2026-08-26 - 2026-09-23", "2026-09-01 - 2026-09-30")
    );
    assert!(u.updated.is_empty() && u.added.is_empty(), "{u:#?}");
    assert_eq!(u.unchanged.len(), 4);
    let kept: Vec<String> = u
        .unchanged
        .iter()
        .flat_map(|r| &r.kept)
        .map(|c| format!("{}: {} / {}", c.field, c.before, c.after))
        .collect();
    for needle in [
        "location: Virtual / Virtual (Dallas, TX, US)",
        "organizer link: https://dallasrust.example.org/ / https://www.meetup.com/dallasrust/",
        "title: Second Tuesday / Dallas Rust User Meetup: Second Tuesday",
        "organizer link: https://luma.com/user/rust-girona / https://luma.com/rust-girona",
        "location: Geneva, CH / CH",
        "organizer link: https://github.com/rust-geneva / https://www.meetup.com/rust-geneva/",
        "organizer link: https://www.eventbrite.co.uk/o/rust-london-123 / https://www.eventbrite.co.uk/e/rust-london-talks-555",
    ] {
        assert!(
            kept.iter().any(|k| k == needle),
            "{needle} not in {kept:#?}"
        );
    }
    assert!(u.adds_up());
}

#[test]
fn a_moved_date_and_a_changed_city_are_corrected_and_reported() {
    let block = "### Europe\n\
* 2026-09-03 | Berlin, DE | [Rust Berlin](https://rust-berlin.example.org/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/1/)\n\
* 2026-09-10 | Hamburg, DE | [Rust Hamburg](https://www.meetup.com/rust-hamburg/)\n    * [**Rust Hack & Learn**](https://www.meetup.com/rust-hamburg/events/2/)\n\
* 2026-09-12 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Rust meetup #88**](https://www.meetup.com/rust-paris/events/3/)\n    * bring a laptop\n";
    let draft = corpus_draft(block);
    let berlin = run_event(
        "2026-09-17",
        "Hack and Learn",
        "https://www.meetup.com/rust-berlin/events/1/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let hamburg = run_event(
        "2026-09-10",
        "Rust Hack & Learn",
        "https://www.meetup.com/rust-hamburg/events/2/",
        ("Rust Hamburg", "https://www.meetup.com/rust-hamburg/"),
        Some(Place::new(Some("Lübeck"), None, Some("DE"))),
    );
    let paris = run_event(
        "2026-09-12",
        "Async in practice",
        "https://www.meetup.com/rust-paris/events/3/",
        ("Rust Paris", "https://www.meetup.com/rust-paris/"),
        Some(Place::new(Some("Paris"), None, Some("FR"))),
    );
    let outcome = run(vec![berlin, hamburg, paris]);
    let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
    assert_eq!(
        entries_of(&u.text),
        [
            "* 2026-09-10 | Lübeck, DE | [Rust Hamburg](https://www.meetup.com/rust-hamburg/)",
            "* 2026-09-12 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)",
            "* 2026-09-17 | Berlin, DE | [Rust Berlin](https://rust-berlin.example.org/)",
        ],
        "moved to its sorted place, the editors' organizer link kept:\n{}",
        u.text
    );
    assert!(
        u.text.contains(
            "    * [**Async in practice**](https://www.meetup.com/rust-paris/events/3/)\n    * bring a laptop\n"
        ),
        "renamed, the editors' sub-bullet kept:\n{}",
        u.text
    );
    let changes: Vec<String> = u
        .updated
        .iter()
        .flat_map(|r| &r.replaced)
        .map(|c| format!("{}: {} → {} ({})", c.field, c.before, c.after, c.source))
        .collect();
    assert_eq!(
        changes,
        [
            "date: 2026-09-03 → 2026-09-17 (Meetup page)",
            "location: Hamburg, DE → Lübeck, DE (Meetup page)",
            "title: Rust meetup #88 → Async in practice (Meetup page)",
        ]
    );
    assert!(u.adds_up());
    assert_eq!(
        update_draft(&u.text, &outcome, &sept(), &[]).unwrap().text,
        u.text,
        "idempotent"
    );
}

/// The community calendar, answering.
fn calendar_report() -> crate::pipeline::SourceReport {
    let mut r = report(
        "Rust Community Calendar",
        "https://calendar.google.com/calendar/ical/x/public/basic.ics",
        None,
    );
    r.kind = crate::config::SourceKind::from_name("ical").unwrap();
    r
}

#[test]
fn two_draft_entries_for_one_event_become_one_and_the_other_is_reported() {
    let block = "### Virtual\n\
* 2026-09-02 | Virtual (Indianapolis, IN, US) | [Indy Rust](https://www.meetup.com/indyrs/events/)\n    * [**Indy.rs - with Social Distancing**](https://www.meetup.com/indyrs/events/wqzhftyjcmbdb/)\n\
* 2026-09-02 | Virtual (Indianapolis, IN, US) | [Indy Rust](https://www.meetup.com/indyrs)\n    * [**Indy.rs - with Social Distancing**](https://www.meetup.com/indyrs/events/316107210/)\n";
    let draft = corpus_draft(block);
    let mut indy = run_event(
        "2026-09-02",
        "Indy.rs - with Social Distancing",
        "https://www.meetup.com/indyrs/events/316107210/",
        ("Indy Rust", "https://www.meetup.com/indyrs/"),
        None,
    );
    indy.organizer.home = Some(Place::new(Some("Indianapolis"), Some("IN"), Some("US")));
    for outcome in [
        run(vec![indy.clone()]),
        // Its source down, the calendar's copy only: kept as it was, still one entry.
        Outcome {
            events: vec![Event {
                from_page: false,
                ..indy.clone()
            }],
            reports: vec![
                report(
                    "Indy Rust",
                    "https://www.meetup.com/indyrs/events/",
                    Some("HTTP status 500"),
                ),
                calendar_report(),
            ],
            ..Outcome::default()
        },
    ] {
        let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
        assert_eq!(entries_of(&u.text).len(), 1, "{}", u.text);
        assert!(u.text.contains("events/316107210/"), "{}", u.text);
        assert_eq!(u.removed.len(), 1, "{u:#?}");
        assert!(
            u.removed[0].contains("wqzhftyjcmbdb/>: merged into 2026-09-02 \"Indy.rs - with Social Distancing\" <https://www.meetup.com/indyrs/events/316107210/> (line 10)"),
            "{}",
            u.removed[0]
        );
        assert!(u.adds_up());
    }
}

#[test]
fn an_eventbrite_ticket_page_under_another_organizer_is_printed_once() {
    let block = "### Europe\n\
* 2026-09-15 | London, UK | [Rust London User Group](https://www.eventbrite.co.uk/o/rust-london-123)\n    * [**Rust London Talks**](https://www.eventbrite.co.uk/e/rust-london-talks-tickets-555?aff=ebdssbdestsearch)\n";
    let draft = corpus_draft(block);
    let london = run_event(
        "2026-09-15",
        "Talks night: Rust in production",
        "https://www.eventbrite.co.uk/e/rust-london-talks-tickets-555",
        ("Rust Community Calendar", "https://calendar.example.org/"),
        Some(Place::new(Some("London"), None, Some("GB"))),
    );
    let u = update_draft(&draft, &run(vec![london]), &sept(), &[]).unwrap();
    assert_eq!(
        entries_of(&u.text),
        [
            "* 2026-09-15 | London, UK | [Rust London User Group](https://www.eventbrite.co.uk/o/rust-london-123)"
        ],
        "{}",
        u.text
    );
    assert!(u.added.is_empty());
    assert!(u.adds_up());
}

#[test]
fn comments_rough_lines_and_hand_lines_stay_as_written() {
    let block = "<!-- sections below checked by hand -->\n### Europe\n\
* 2026-09-10 | Oslo, NO | Rust Oslo\n\
<!--\n* 2026-09-11 | Bergen, NO | [Not an entry](https://example.org/)\n-->\n\
* 2026-09-13 Bergen meetup (link to follow)\n\
Free text the editors wrote.\n\
* 2026-09-20 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Old**](https://www.meetup.com/rust-berlin/events/9/)\n";
    let draft = corpus_draft(block);
    let berlin = run_event(
        "2026-09-20",
        "Rust Berlin summer party",
        "https://www.meetup.com/rust-berlin/events/9/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let paris = run_event(
        "2026-09-12",
        "Rust meetup #89",
        "https://www.meetup.com/rust-paris/events/10/",
        ("Rust Paris", "https://www.meetup.com/rust-paris/"),
        Some(Place::new(Some("Paris"), None, Some("FR"))),
    );
    let u = update_draft(&draft, &run(vec![berlin, paris]), &sept(), &[]).unwrap();
    let expected = corpus_draft(
        "<!-- sections below checked by hand -->\n### Europe\n\
* 2026-09-10 | Oslo, NO | Rust Oslo\n\
<!--\n* 2026-09-11 | Bergen, NO | [Not an entry](https://example.org/)\n-->\n\
* 2026-09-13 Bergen meetup (link to follow)\n\
Free text the editors wrote.\n\
* 2026-09-12 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Rust meetup #89**](https://www.meetup.com/rust-paris/events/10/)\n\
* 2026-09-20 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Rust Berlin summer party**](https://www.meetup.com/rust-berlin/events/9/)\n",
    )
    .replace("2026-08-26 - 2026-09-23", "2026-09-01 - 2026-09-30");
    assert_eq!(u.text, expected);
    assert_eq!(u.kept, ["2026-09-10 \"Rust Oslo\" <>"]);
    assert_eq!(
        u.as_written,
        [
            (
                13,
                "* 2026-09-13 Bergen meetup (link to follow)".to_string()
            ),
            (14, "Free text the editors wrote.".to_string())
        ]
    );
    assert_eq!(u.entries, 2);
    assert!(u.adds_up());
}

#[test]
fn line_ends_a_bom_and_the_final_newline_are_kept() {
    let block = "### Europe\n\
* 2026-09-03 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/1/)\n";
    let berlin = run_event(
        "2026-09-17",
        "Hack and Learn",
        "https://www.meetup.com/rust-berlin/events/1/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let mut dallas = run_event(
        "2026-09-08",
        "Second Tuesday",
        "https://www.meetup.com/dallasrust/events/310254774/",
        (
            "Dallas Rust User Meetup",
            "https://www.meetup.com/dallasrust/",
        ),
        None,
    );
    dallas.organizer.home = Some(Place::new(Some("Dallas"), Some("TX"), Some("US")));
    let outcome = run(vec![berlin, dallas]);
    let lf = corpus_draft(block);
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let u = update_draft(&crlf, &outcome, &sept(), &[]).unwrap();
    assert!(u.text.starts_with('\u{feff}'));
    assert_eq!(
        u.text.matches('\n').count(),
        u.text.matches("\r\n").count(),
        "{:?}",
        u.text
    );
    assert!(
        u.text
            .contains("### Virtual\r\n* 2026-09-08 | Virtual (Dallas"),
        "{:?}",
        u.text
    );
    let lf_update = update_draft(&lf, &outcome, &sept(), &[]).unwrap();
    assert_eq!(
        u.text,
        format!("\u{feff}{}", lf_update.text.replace('\n', "\r\n"))
    );

    // A draft that ends with the block's last line and no line end keeps none.
    let cut = lf.find("\n\n## Jobs").unwrap();
    let no_final = &lf[..cut];
    assert!(no_final.ends_with("community-team@rust-lang.org"));
    let u = update_draft(no_final, &outcome, &sept(), &[]).unwrap();
    assert!(
        u.text.ends_with("community-team@rust-lang.org"),
        "{:?}",
        u.text
    );
    let u = update_draft(&format!("{no_final}\n"), &outcome, &sept(), &[]).unwrap();
    assert!(u.text.ends_with("community-team@rust-lang.org\n"));
}

#[test]
fn hybrid_copies_are_one_event_updated_in_both_sections_and_emptied_sections_go() {
    let block = "### Virtual\n\
* 2026-09-16 | Hybrid (Vancouver, CA) | [Vancouver Rust](https://www.meetup.com/vancouver-rust)\n    * [**Rust Study/Hack/Hang-out**](https://www.meetup.com/vancouver-rust/events/314233757/)\n\n\
### North America\n\
* 2026-09-16 | Hybrid (Vancouver, CA) | [Vancouver Rust](https://www.meetup.com/vancouver-rust)\n    * [**Rust Study/Hack/Hang-out**](https://www.meetup.com/vancouver-rust/events/314233757/)\n\n\
### Oceania\n\
* 2026-08-27 | Melbourne, AU | [Rust Melbourne](https://www.meetup.com/rust-melbourne)\n    * [**Rust Melbourne September**](https://www.meetup.com/rust-melbourne/events/315039490/)\n";
    let draft = corpus_draft(block);
    let vancouver = Event {
        attendance: Attendance::Hybrid,
        regions: vec![Region::Virtual, Region::NorthAmerica],
        ..run_event(
            "2026-09-18",
            "Rust Study/Hack/Hang-out",
            "https://www.meetup.com/vancouver-rust/events/314233757/",
            ("Vancouver Rust", "https://www.meetup.com/vancouver-rust/"),
            Some(Place::new(Some("Vancouver"), Some("BC"), Some("CA"))),
        )
    };
    let u = update_draft(&draft, &run(vec![vancouver]), &sept(), &[]).unwrap();
    assert_eq!(u.updated.len(), 2, "{u:#?}");
    assert_eq!(
        entries_of(&u.text),
        [
            "* 2026-09-18 | Hybrid (Vancouver, CA) | [Vancouver Rust](https://www.meetup.com/vancouver-rust)",
            "* 2026-09-18 | Hybrid (Vancouver, CA) | [Vancouver Rust](https://www.meetup.com/vancouver-rust)",
        ]
    );
    assert!(!u.text.contains("### Oceania"), "emptied: {}", u.text);
    assert!(u.text.contains("hang-out**](https://www.meetup.com/vancouver-rust/events/314233757/)\n\nIf you are running") || u.text.contains("Hang-out**](https://www.meetup.com/vancouver-rust/events/314233757/)\n\nIf you are running"), "{}", u.text);
    assert_eq!(u.removed.len(), 1);
    assert!(u.adds_up());
}

#[test]
fn a_new_section_follows_the_drafts_heading_style() {
    let berlin = run_event(
        "2026-09-17",
        "Hack and Learn",
        "https://www.meetup.com/rust-berlin/events/1/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let asia = Event {
        regions: vec![Region::Asia],
        ..run_event(
            "2026-09-05",
            "Rust Delhi",
            "https://www.meetup.com/rustdelhi/events/5/",
            ("Rust Delhi", "https://www.meetup.com/rustdelhi/"),
            Some(Place::new(Some("Delhi"), None, Some("IN"))),
        )
    };
    let outcome = run(vec![berlin.clone(), asia]);
    let europe = "* 2026-09-17 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/1/)\n";
    let delhi = "* 2026-09-05 | Delhi, IN | [Rust Delhi](https://www.meetup.com/rustdelhi/)\n    * [**Rust Delhi**](https://www.meetup.com/rustdelhi/events/5/)\n";
    for sep in ["", "\n"] {
        let draft = corpus_draft(&format!("### Europe\n{sep}{europe}"));
        let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
        assert!(
            u.text.contains(&format!(
                "🦀\n\n### Asia\n{sep}{delhi}\n### Europe\n{sep}{europe}\nIf"
            )),
            "{sep:?}: {}",
            u.text
        );
        assert_eq!(
            update_draft(&u.text, &outcome, &sept(), &[]).unwrap().text,
            u.text
        );
    }
}

#[test]
fn same_wording_tells_an_edited_title_from_another_one() {
    use super::merge::same_wording;
    assert!(same_wording(
        "Community Catch Up",
        "👋 Community Catch Up",
        &[]
    ));
    assert!(same_wording(
        "Hack and Learn",
        "Rust Berlin: Hack and Learn",
        &["Rust Berlin"]
    ));
    assert!(same_wording("Rust Nation '23", "Rust Nation UK 2023", &[]));
    assert!(!same_wording("TBD", "Async in practice", &[]));
    assert!(!same_wording("Rust meetup #87", "Rust meetup #88", &[]));
}

#[test]
fn places_agree_by_meaning() {
    use super::merge::places_agree;
    let p = |c: Option<&str>, cc: Option<&str>| Place::new(c, None, cc);
    assert!(places_agree(
        &p(Some("Geneva"), Some("CH")),
        &p(None, Some("CH"))
    ));
    assert!(places_agree(
        &p(Some("Zürich"), Some("CH")),
        &p(Some("Zurich"), Some("CH"))
    ));
    assert!(places_agree(
        &p(Some("London"), Some("GB")),
        &p(Some("London"), None)
    ));
    assert!(!places_agree(
        &p(Some("Hamburg"), Some("DE")),
        &p(Some("Lübeck"), Some("DE"))
    ));
    assert!(!places_agree(
        &p(Some("Cambridge"), Some("GB")),
        &p(Some("Cambridge"), Some("US"))
    ));
}

#[test]
fn draft_text_that_is_not_markdown_does_not_panic() {
    for draft in [
        "## Upcoming Events\n\nRusty Events between\n* 2026-09-99 | x\n### \n<!--",
        "Rusty Events between 🦀\r\n* 2026-09-10 |\r\n    * [**](\r\n[community]:",
        "\u{feff}## Upcoming Events\n",
        "Rusty Events between x\n* 2026-09-10 | Virtual( | [a](b)\n  -\n    * **\n",
    ] {
        let u = update_draft(draft, &Outcome::default(), &sept(), &[]).unwrap();
        assert!(u.adds_up(), "{draft:?}");
    }
}
