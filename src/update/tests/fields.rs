//! The field-level merge: the editors' forms kept, what a source contradicts replaced, one
//! entry per event.

use super::*;

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

/// A conference's home page names no single event, but the one on those days: the draft's
/// one-day entry under a mistyped organizer link and the run's three-day event are one.
#[test]
fn a_home_page_link_on_overlapping_days_is_one_event() {
    let block = "### Europe\n\
* 2026-09-16 | Berlin, DE | [Oxidize Conference] (https://oxidizeconf.com/)  \n    * [**Oxidize Conference**](https://oxidizeconf.com/)  \n";
    let draft = corpus_draft(block);
    let mut oxidize = run_event(
        "2026-09-15",
        "Oxidize Conference",
        "https://oxidizeconf.com/",
        ("Oxidize", "https://oxidizeconf.com/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    oxidize.end_date = d("2026-09-18");
    // Next year's edition, on other days, is another event.
    let next_year = run_event(
        "2026-09-29",
        "Oxidize Conference",
        "https://oxidizeconf.com/",
        ("Oxidize", "https://oxidizeconf.com/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let u = update_draft(&draft, &run(vec![oxidize, next_year]), &sept(), &[]).unwrap();
    let entries = entries_of(&u.text);
    assert_eq!(entries.len(), 2, "{}", u.text);
    assert!(
        entries[0].starts_with("* 2026-09-15 - 2026-09-18 | Berlin, DE | [Oxidize Conference] (https://oxidizeconf.com/)"),
        "{}",
        u.text
    );
    assert_eq!(u.updated.len(), 1);
    assert_eq!(u.added.len(), 1);
    assert!(u.adds_up());
}

#[test]
fn same_wording_tells_an_edited_title_from_another_one() {
    use crate::update::fields::same_wording;
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
    use crate::update::fields::places_agree;
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
fn an_event_now_in_person_moves_to_its_continent() {
    let block = "### Virtual\n\
* 2026-09-08 | Virtual (Berlin, DE) | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Rust Hack and Learn**](https://www.meetup.com/rust-berlin/events/7/)\n\n\
### Europe\n\
* 2026-09-03 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Rust meetup #88**](https://www.meetup.com/rust-paris/events/3/)\n";
    let draft = corpus_draft(block);
    let berlin = run_event(
        "2026-09-08",
        "Rust Hack and Learn",
        "https://www.meetup.com/rust-berlin/events/7/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let paris = run_event(
        "2026-09-03",
        "Rust meetup #88",
        "https://www.meetup.com/rust-paris/events/3/",
        ("Rust Paris", "https://www.meetup.com/rust-paris/"),
        Some(Place::new(Some("Paris"), None, Some("FR"))),
    );
    let outcome = run(vec![berlin, paris]);
    let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
    assert!(!u.text.contains("### Virtual"), "{}", u.text);
    assert_eq!(
        entries_of(&u.text),
        [
            "* 2026-09-03 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)",
            "* 2026-09-08 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)",
        ]
    );
    let fields: Vec<&str> = u.updated[0].replaced.iter().map(|c| c.field).collect();
    assert_eq!(fields, ["location", "section"]);
    assert_eq!(
        update_draft(&u.text, &outcome, &sept(), &[]).unwrap().text,
        u.text
    );
}

#[test]
fn the_counts_add_up_to_the_drafts_entries() {
    let block = "### Europe\n\
* 2026-08-27 | Paris, FR | [Rust Paris](https://www.meetup.com/rust-paris/)\n    * [**Last week**](https://www.meetup.com/rust-paris/events/1/)\n\
* 2026-09-03 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/2/)\n\
* 2026-09-04 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/2/)\n\
* 2026-09-10 | Hamburg, DE | [Rust Hamburg](https://www.meetup.com/rust-hamburg/)\n    * [**Hack & Learn**](https://www.meetup.com/rust-hamburg/events/3/)\n\
* 2026-09-11 | Trondheim, NO | [Rust Trondheim](https://www.meetup.com/rust-trondheim/)\n    * [**Bug hunt**](https://www.meetup.com/rust-trondheim/events/4/)\n\
* 2026-09-12 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)\n    * [**Winter meetup**](https://rust-oslo.example.org/2026-09)\n";
    let draft = corpus_draft(block);
    let berlin = run_event(
        "2026-09-05",
        "Hack and Learn",
        "https://www.meetup.com/rust-berlin/events/2/",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        Some(Place::new(Some("Berlin"), None, Some("DE"))),
    );
    let hamburg = run_event(
        "2026-09-10",
        "Hack & Learn",
        "https://www.meetup.com/rust-hamburg/events/3/",
        ("Rust Hamburg", "https://www.meetup.com/rust-hamburg/"),
        Some(Place::new(Some("Hamburg"), None, Some("DE"))),
    );
    let outcome = Outcome {
        events: vec![berlin, hamburg],
        reports: vec![
            report(
                "Rust Trondheim",
                "https://www.meetup.com/rust-trondheim/events/",
                Some("HTTP status 500"),
            ),
            calendar_report(),
        ],
        ..Outcome::default()
    };
    let u = update_draft(&draft, &outcome, &sept(), &[]).unwrap();
    assert_eq!(u.entries, 6);
    assert_eq!(
        (
            u.updated.len(),
            u.unchanged.len(),
            u.kept_failed.len(),
            u.kept.len(),
            u.removed.len()
        ),
        (1, 1, 1, 1, 2),
        "{u:#?}"
    );
    assert_eq!(
        u.entries,
        u.updated.len() + u.unchanged.len() + u.kept_failed.len() + u.kept.len() + u.removed.len()
    );
    assert!(u.removed.iter().any(|r| r.contains("outside the window")));
    assert!(u.removed.iter().any(|r| r.contains("merged into")));
    assert_eq!(entries_of(&u.text).len(), 4, "{}", u.text);
}
