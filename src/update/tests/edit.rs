//! The block edited in place: what is not an entry kept where it is, line ends, sections.

use super::*;

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

/// A field the merge replaced is printed anew; the others keep the editors' text: their
/// `, ` between organizers, their spacing. A virtual event's parentheses are the editors'
/// whatever home the source gives (the event takes place nowhere).
#[test]
fn only_the_fields_that_changed_are_printed_anew() {
    let block = "### Virtual\n\
* 2025-05-15 | Virtual (Joint Meetup, Europe + Israel) | [Rust Berlin](https://www.meetup.com/rust-berlin/events/), [Rust Paris](https://www.meetup.com/de-DE/rust-paris/)\n    * [**🦀 Celebrating 10 years of Rust 1.0 🦀**](https://www.meetup.com/rust-berlin/events/307293317)\n\
### Europe\n\
* 2026-09-10 | Oslo , NO | [Rust Oslo](https://www.meetup.com/rust-oslo/) + [Oslo.rs](https://oslo.rs/)\n    * [**Meetup**](https://www.meetup.com/rust-oslo/events/5/)\n";
    let draft = corpus_draft(block);
    let mut berlin = run_event(
        "2026-09-17",
        "🦀 Celebrating 10 years of Rust 1.0 🦀",
        "https://www.meetup.com/rust-berlin/events/307293317",
        ("Rust Berlin", "https://www.meetup.com/rust-berlin/"),
        None,
    );
    berlin.organizer.home = Some(Place::new(Some("Berlin"), None, Some("DE")));
    // Moved by a day: the date is new, the location and the organizers as written.
    let oslo = run_event(
        "2026-09-11",
        "Meetup",
        "https://www.meetup.com/rust-oslo/events/5/",
        ("Rust Oslo", "https://www.meetup.com/rust-oslo/"),
        Some(Place::new(Some("Oslo"), None, Some("NO"))),
    );
    let u = update_draft(&draft, &run(vec![berlin, oslo]), &sept(), &[]).unwrap();
    assert!(
        u.text.contains("* 2026-09-17 | Virtual (Joint Meetup, Europe + Israel) | [Rust Berlin](https://www.meetup.com/rust-berlin/events/), [Rust Paris](https://www.meetup.com/de-DE/rust-paris/)\n"),
        "{}",
        u.text
    );
    assert!(
        u.text.contains("* 2026-09-11 | Oslo , NO | [Rust Oslo](https://www.meetup.com/rust-oslo/) + [Oslo.rs](https://oslo.rs/)\n"),
        "{}",
        u.text
    );
    assert!(u.adds_up());
}
