use super::*;
use crate::config::Source;
use crate::model::{Attendance, Region, When};
use crate::pipeline::{LeftOut, SourceReport};
use crate::render::json::EventJson;
use chrono::NaiveDate;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn event(title: &str, url: &str, date: &str) -> Event {
    Event {
        attendance: Attendance::Virtual,
        place: None,
        regions: vec![Region::Virtual],
        ..Event::example(title, url, date)
    }
}

fn window() -> Window {
    Window {
        from: d("2026-08-19"),
        to: d("2026-09-16"),
    }
}

#[test]
fn finds_listed_events_by_url_variant_or_words() {
    let outcome = Outcome {
        events: vec![event(
            "Rust Hack and Learn",
            "https://www.meetup.com/rust-berlin/events/313345334/",
            "2026-08-27",
        )],
        ..Outcome::default()
    };
    for q in [
        "https://www.meetup.com/de-DE/Rust-Berlin/events/313345334",
        "hack and learn",
        "https://www.meetup.com/rust-berlin/",
    ] {
        let f = check(&outcome, &window(), q, &Config::default(), None);
        assert!(f[0].is_listed(), "{q}: {f:?}");
        assert!(f[0].to_string().contains("under Virtual"), "{}", f[0]);
    }
}

#[test]
fn says_why_an_event_is_missing() {
    let mut cancelled = RawEvent::new("cal", "Rust Munich #12", When::Date(d("2026-08-26")));
    cancelled.links = vec!["https://www.meetup.com/rust-munich/events/1/".into()];
    let outcome = Outcome {
        dropped: vec![LeftOut {
            event: cancelled,
            date: d("2026-08-26"),
            reason: "cancelled".into(),
            called_off_on_page: None,
        }],
        outside_window: vec![event(
            "Rust Summer Party",
            "https://www.meetup.com/rust-berlin/events/2/",
            "2026-10-01",
        )],
        filtered: vec![crate::run::Filtered {
            event: RawEvent::new(
                "Bellingham Codes",
                "Intro to Go",
                When::Date(d("2026-08-30")),
            ),
            date: d("2026-08-30"),
        }],
        ..Outcome::default()
    };
    let f = check(
        &outcome,
        &window(),
        "https://www.meetup.com/rust-munich/events/1/",
        &Config::default(),
        None,
    );
    assert!(f[0].to_string().contains("cancelled"), "{}", f[0]);
    assert_eq!(exit_code(&f), exit::NOT_LISTED);
    let f = check(
        &outcome,
        &window(),
        "summer party",
        &Config::default(),
        None,
    );
    assert!(
        f[0].to_string()
            .contains("outside the window 2026-08-19 - 2026-09-16")
    );
    let f = check(&outcome, &window(), "intro to go", &Config::default(), None);
    assert!(f[0].to_string().contains("keywords"));
    let f = check(&outcome, &window(), "RustLab", &Config::default(), None);
    assert!(matches!(f[0], Finding::NotFound { .. }));
    assert!(!f[0].is_listed());
    assert!(!f[0].to_string().contains("may list it"));
}

fn report(label: &str, error: Option<&str>, suspect: Option<&str>) -> SourceReport {
    SourceReport {
        state: crate::run::SourceStatus::of_test(error, suspect),
        ..SourceReport::new(
            crate::config::SourceKind::Meetup,
            &format!("https://www.meetup.com/{label}/events/"),
            label,
        )
    }
}

fn calendar(error: Option<&str>) -> SourceReport {
    SourceReport {
        kind: crate::config::SourceKind::Ical,
        url: "https://calendar.google.com/calendar/ical/x/public/basic.ics".into(),
        label: "Rust Community Calendar".into(),
        ..report("x", error, None)
    }
}

#[test]
fn says_when_the_source_was_not_used() {
    let outcome = Outcome {
        reports: vec![
            calendar(None),
            report("rust-berlin", None, Some("no Apollo cache")),
            report("rust-munich", Some("HTTP status 503"), None),
            report("rust-oslo", None, None),
        ],
        ..Outcome::default()
    };
    let f = check(
        &outcome,
        &window(),
        "https://www.meetup.com/Rust-Berlin/",
        &Config::default(),
        None,
    );
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(!f[0].is_listed());
    assert_eq!(
        f[0].to_string(),
        "unknown: its source rust-berlin answered suspiciously this run (the page answered \
         without any event data: no Apollo cache; open it in a browser to check it still lists \
         events (a login, consent or error page, or a new page format)), so this run cannot tell whether it is listed. Run the check \
         again later; if it stays so, open <https://www.meetup.com/rust-berlin/events/> and \
         check that it still lists the events"
    );
    assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
    // An event of the failed group, in any form, and the group's name in words.
    for q in [
        "https://www.meetup.com/de-DE/Rust-Munich/events/291120384/",
        "https://www.meetup.com/rust-munich",
        "munich",
        "RUST-MUNICH meetup in february",
    ] {
        let f = check(&outcome, &window(), q, &Config::default(), None);
        assert_eq!(f.len(), 1, "{q}: {f:?}");
        assert!(
            f[0].to_string().starts_with(
                "unknown: its source rust-munich failed this run (HTTP status 503), so this \
                 run cannot tell whether it is listed. Run the check again later; if it keeps \
                 failing, open <https://www.meetup.com/rust-munich/events/>"
            ),
            "{q}: {}",
            f[0]
        );
        assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
    }
    // Nothing narrows it: every failed or suspect source is named, and the calendar is
    // not recommended yet.
    let f = check(&outcome, &window(), "RustLab", &Config::default(), None);
    assert_eq!(
        f[0].to_string(),
        "unknown: no source that answered lists anything matching \"RustLab\", but 2 sources \
         failed or answered suspiciously this run and may list it: rust-berlin (the page \
         answered without any event data: no Apollo cache; open it in a browser to check it \
         still lists events (a login, consent or error page, or a new page format)); rust-munich (HTTP status 503). Run the check again \
         later; add the event to the Rust Community Calendar only if it is still not found \
         when every source answers"
    );
    assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
    // A group that answered does not blame the others' failures.
    for q in [
        "https://www.meetup.com/rust-oslo/events/12345678/",
        "rust-oslo",
    ] {
        let f = check(&outcome, &window(), q, &Config::default(), None);
        assert!(!f[0].answer_unknown(), "{f:?}");
        assert!(f[0].to_string().starts_with("not found: "), "{}", f[0]);
        assert_eq!(exit_code(&f), exit::NOT_LISTED);
    }
}

#[test]
fn a_failed_calendar_may_list_anything_and_the_previous_file_tells_what_it_said() {
    let outcome = Outcome {
        reports: vec![
            calendar(Some("HTTP status 500")),
            report("rust-oslo", None, None),
        ],
        ..Outcome::default()
    };
    // The calendar is a many-organizer feed: a query it does not name is not narrowed to
    // it, but it is named among the sources that may list the event.
    let f = check(
        &outcome,
        &window(),
        "Rust Trondheim",
        &Config::default(),
        None,
    );
    assert!(
        f[0].to_string().contains(
            "but 1 source failed or answered suspiciously this run and may list it: Rust \
             Community Calendar (HTTP status 500)"
        ),
        "{}",
        f[0]
    );
    let previous = crate::render::json::previous_run(&crate::render::json::Document {
        version: 2,
        generated_at: "2026-08-18T09:00:00+00:00".into(),
        window: crate::render::json::WindowJson {
            from: d("2026-08-12"),
            to: d("2026-09-09"),
        },
        sources: vec![],
        events: vec![EventJson {
            title: "Rust Trondheim\n* [evil](javascript:alert(1))".into(),
            url: "https://www.meetup.com/rust-trondheim/events/290889889/".into(),
            start_date: d("2026-08-26"),
            end_date: d("2026-08-26"),
            start: None,
            end: None,
            end_source: Some("dates".into()),
            attendance: "in-person".into(),
            location: "Trondheim, NO".into(),
            place: None,
            organizer: crate::render::json::OrganizerJson {
                name: "Rust Trondheim".into(),
                url: Some("https://www.meetup.com/rust-trondheim/".into()),
                home: None,
            },
            sections: vec!["Europe".into()],
            mirrors: vec![],
            sources: vec!["Rust Community Calendar".into()],
            verified: true,
            stale: false,
            last_seen: None,
        }],
        corrections: vec![],
        left_out: vec![],
        possible_duplicates: vec![],
        unverified: vec![],
        possible_duplicate_pairs: vec![],
    });
    let f = check(
        &outcome,
        &window(),
        "https://www.meetup.com/rust-trondheim/events/290889889",
        &Config::default(),
        Some(&previous),
    );
    let lines: Vec<String> = f.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines[0].starts_with(
            "unknown: its source Rust Community Calendar failed this run (HTTP status 500)"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1],
        "previously: the run of 2026-08-18T09:00:00+00:00 listed 2026-08-26 | Trondheim, NO | \
         Rust Trondheim | Rust Trondheim * [evil](javascript:alert(1)) \
         <https://www.meetup.com/rust-trondheim/events/290889889/>"
    );
    assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
    // Nothing matching in the previous file either: said, when the answer is unknown.
    let f = check(
        &outcome,
        &window(),
        "RustLab",
        &Config::default(),
        Some(&previous),
    );
    assert_eq!(
        f.last().unwrap().to_string(),
        "previously: the run of 2026-08-18T09:00:00+00:00 listed nothing matching either"
    );
}

#[test]
fn scopes_come_from_the_sources_file_else_from_the_reports() {
    let outcome = Outcome {
        reports: vec![
            calendar(None),
            report("rust-oslo", None, None),
            SourceReport {
                url: "https://www.meetup.com/rust-bergen/events/ical/".into(),
                ..calendar(None)
            },
        ],
        ..Outcome::default()
    };
    let s = scopes(&outcome, &[]);
    assert_eq!(s[0].page, None);
    // The sources file knows what a URL cannot tell: an organizer's own feed.
    let feed = Source {
        kind: crate::config::SourceKind::Ical,
        url: "https://calendar.google.com/calendar/ical/x/public/basic.ics".into(),
        name: Some("Rust Community Calendar".into()),
        home: None,
        keywords: vec![],
        organizer: Some("https://rust-oslo.example.org/".into()),
        line: 1,
    };
    assert_eq!(
        scopes(&outcome, &[feed])[0].page.as_deref(),
        Some("https://rust-oslo.example.org/")
    );
    assert_eq!(
        s[1].page.as_deref(),
        Some("https://www.meetup.com/rust-oslo/events/")
    );
    assert_eq!(
        s[2].page.as_deref(),
        Some("https://www.meetup.com/rust-bergen/")
    );
    assert!(under(
        "https://www.meetup.com/en-AU/Rust-Oslo/events/12345678/",
        "https://www.meetup.com/rust-oslo/events/"
    ));
    assert!(!under(
        "https://www.meetup.com/rust-bergen/events/12345678/",
        "https://www.meetup.com/rust-oslo/"
    ));
    assert!(!under(
        "https://www.meetup.com/events/1/",
        "https://www.meetup.com/"
    ));
    assert!(under("https://lu.ma/rust-nyc", "https://lu.ma/rust-nyc"));
    assert!(!under("https://lu.ma/other", "https://lu.ma/rust-nyc"));
    assert!(under(
        "https://rust.example.org/talks/2026",
        "https://rust.example.org/"
    ));
    assert!(under(
        "https://rust.example.org/talks/2026",
        "https://rust.example.org/events/calendar.ics"
    ));
    assert!(under(
        "https://mobilizon.fr/events/b8577678",
        "https://mobilizon.fr/events/b8577678"
    ));
    assert!(!under(
        "https://mobilizon.fr/events/other",
        "https://mobilizon.fr/events/b8577678"
    ));
    assert!(!under("https://lu.ma/rust-nyc", "https://lu.ma/"));
}

#[test]
fn a_query_must_mean_something() {
    for bad in [
        "", "   ", "\t\n", "a", " a ", "rs", "--", "!!!", "C#", "東", "é",
    ] {
        let e = validate_query(bad).unwrap_err();
        assert!(e.contains("URL, or words"), "{bad:?}: {e}");
    }
    assert!(validate_query("a").unwrap_err().contains("too short"));
    assert!(validate_query(" ").unwrap_err().contains("empty"));
    for good in [
        "Rust",
        "gig",
        "C++ Rust",
        "https://lu.ma/x",
        "http://a.io",
        "RustLab",
        "東京",
        "서울",
    ] {
        assert_eq!(validate_query(good), Ok(()), "{good:?}");
    }
}

/// A sources file with an `[[organizer]]` entry for an organizer's own site, one for a luma
/// profile, a luma calendar and a meetup group, and the community calendar.
fn organizers_config() -> Config {
    Config::parse(
        r#"
[[source]]
kind = "ical"
url = "https://calendar.google.com/calendar/ical/x/public/basic.ics"
name = "Rust Community Calendar"

[[source]]
kind = "luma"
url = "https://luma.com/rust-girona"
name = "Rust Girona"
home = "Girona, ES"

[[source]]
kind = "meetup"
url = "https://www.meetup.com/rust-berlin/"
name = "Rust Berlin"

[[source]]
kind = "meetup"
url = "https://www.meetup.com/rust-oslo/"
name = "Rust Oslo"

[[organizer]]
url = "https://flowercomputer.com/"
name = "Flower"

[[organizer]]
url = "https://luma.com/user/usr-Aa12bC34"
name = "Rust Aarhus"
"#,
        "test.toml",
    )
    .unwrap()
}

/// The run of [`organizers_config`]: every source answered, but Rust Oslo failed (a group
/// that answered is no excuse for another's failure); the luma calendar's page gave its id.
fn organizers_outcome(config: &Config) -> Outcome {
    let reports = config
        .sources
        .iter()
        .map(|s| {
            let mut r = SourceReport::new(s.kind, &crate::pipeline::fetch_url(s), s.label());
            if s.label() == "Rust Oslo" {
                r.state = crate::run::SourceStatus::of_test(Some("HTTP status 503"), None);
            }
            if s.label() == "Rust Girona" {
                r.also_at = vec!["https://luma.com/calendar/cal-GiR8kq2Xw4Lm7Tz".into()];
            }
            r
        })
        .collect();
    let by = |title: &str, url: &str, name: &str, link: &str, sources: &[&str]| Event {
        organizer: crate::model::Organizer {
            name: name.into(),
            url: Some(link.into()),
            home: None,
        },
        sources: sources.iter().map(|s| (*s).to_string()).collect(),
        ..event(title, url, "2026-09-01")
    };
    Outcome {
        reports,
        events: vec![
            // Linked to the directory's page for Flower.
            by(
                "Flower Rust night",
                "https://flowercomputer.com/events/rust-night",
                "Flower",
                "https://flowercomputer.com/",
                &["Rust Community Calendar"],
            ),
            // Verified against its luma page, which names Flower's luma calendar: the same
            // organizer by name.
            by(
                "Flower hack day",
                "https://luma.com/fl0wer01",
                "Flower",
                "https://luma.com/flower-computer",
                &["Rust Community Calendar"],
            ),
            by(
                "Rust Girona Hack & Learn",
                "https://luma.com/p7wq4m2n",
                "Rust Girona",
                "https://luma.com/rust-girona",
                &["Rust Girona"],
            ),
            by(
                "Rust Hack and Learn",
                "https://www.meetup.com/rust-berlin/events/316290417/",
                "Rust Berlin",
                "https://www.meetup.com/rust-berlin/",
                &["Rust Berlin", "Rust Community Calendar"],
            ),
            by(
                "Rust Aarhus talks",
                "https://luma.com/aarhus01",
                "Rust Aarhus",
                "https://lu.ma/user/usr-Aa12bC34",
                &["Rust Community Calendar"],
            ),
            // Someone else's, on the same sites: never listed for the forms above.
            by(
                "Rust Bergen meetup",
                "https://www.meetup.com/rust-bergen/events/316290999/",
                "Rust Bergen",
                "https://www.meetup.com/rust-bergen/",
                &["Rust Community Calendar"],
            ),
            by(
                "Rust Barcelona",
                "https://luma.com/bcn00001",
                "Rust Barcelona",
                "https://luma.com/rust-barcelona",
                &["Rust Community Calendar"],
            ),
        ],
        ..Outcome::default()
    }
}

#[test]
fn an_organizer_s_own_page_in_any_form_finds_its_events() {
    let config = organizers_config();
    let outcome = organizers_outcome(&config);
    let flower = ["Flower Rust night", "Flower hack day"];
    let girona = ["Rust Girona Hack & Learn"];
    let berlin = ["Rust Hack and Learn"];
    let aarhus = ["Rust Aarhus talks"];
    let forms: &[(&str, &[&str])] = &[
        // An organizer's own site, named in an [[organizer]] entry.
        ("https://flowercomputer.com/", &flower),
        ("https://flowercomputer.com", &flower),
        ("http://www.flowercomputer.com/", &flower),
        ("https://FlowerComputer.com/?utm_source=newsletter", &flower),
        // A luma calendar: its vanity slug on either host, its id, its feed.
        ("https://luma.com/rust-girona", &girona),
        ("https://lu.ma/rust-girona", &girona),
        ("https://www.lu.ma/Rust-Girona/", &girona),
        ("https://luma.com/rust-girona?k=c", &girona),
        ("https://luma.com/calendar/cal-GiR8kq2Xw4Lm7Tz", &girona),
        ("https://lu.ma/calendar/cal-GiR8kq2Xw4Lm7Tz/", &girona),
        (
            "https://api.lu.ma/ics/get?entity=calendar&id=cal-GiR8kq2Xw4Lm7Tz",
            &girona,
        ),
        // A luma profile.
        ("https://luma.com/user/usr-Aa12bC34", &aarhus),
        ("https://lu.ma/user/USR-aa12bc34/", &aarhus),
        // A meetup group in every form.
        ("https://www.meetup.com/rust-berlin/", &berlin),
        ("https://www.meetup.com/rust-berlin", &berlin),
        ("https://meetup.com/Rust-Berlin/", &berlin),
        ("https://www.meetup.com/de-DE/rust-berlin/", &berlin),
        ("https://www.meetup.com/de-DE/Rust-Berlin/events/", &berlin),
        ("https://www.meetup.com/rust-berlin/events/", &berlin),
        ("https://www.meetup.com/rust-berlin/events/past/", &berlin),
        ("https://www.meetup.com/rust-berlin/events/ical/", &berlin),
        ("https://m.meetup.com/rust-berlin/", &berlin),
        ("https://m.meetup.com/Rust-Berlin", &berlin),
        (
            "https://www.meetup.com/rust-berlin/?utm_source=share&x=1",
            &berlin,
        ),
    ];
    for (q, titles) in forms {
        let f = check(&outcome, &window(), q, &config, None);
        let listed: Vec<&str> = outcome
            .events
            .iter()
            .filter(|e| {
                f.iter().any(|f| {
                    matches!(f, Finding::Listed { entry, .. } if entry.ends_with(&format!("<{}>", e.url)))
                })
            })
            .map(|e| e.title.as_str())
            .collect();
        assert_eq!(listed, *titles, "{q}: {f:#?}");
        assert_eq!(f.len(), titles.len(), "{q}: {f:#?}");
        assert_eq!(exit_code(&f), exit::OK, "{q}");
    }
}

#[test]
fn event_links_and_words_keep_their_answers_beside_organizer_pages() {
    let config = organizers_config();
    let outcome = organizers_outcome(&config);
    // One event's link lists that event, not its group's others.
    let f = check(
        &outcome,
        &window(),
        "https://www.meetup.com/de-DE/Rust-Bergen/events/316290999",
        &config,
        None,
    );
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].to_string().contains("Rust Bergen meetup"), "{}", f[0]);
    // An organizer's page with nothing listed, while another group failed: not listed
    // (exit 3), the other group's failure is no excuse.
    let quiet = Outcome {
        events: vec![],
        ..outcome.clone()
    };
    for q in [
        "https://lu.ma/calendar/cal-GiR8kq2Xw4Lm7Tz",
        "https://m.meetup.com/Rust-Berlin/",
    ] {
        let f = check(&quiet, &window(), q, &config, None);
        assert_eq!(exit_code(&f), exit::NOT_LISTED, "{q}: {f:#?}");
    }
    // The failed group's page in another form: unknown (exit 2), its failure said.
    let f = check(
        &quiet,
        &window(),
        "https://m.meetup.com/de-DE/Rust-Oslo/events/",
        &config,
        None,
    );
    assert_eq!(exit_code(&f), exit::SOURCE_FAILED, "{f:#?}");
    assert!(
        f[0].to_string()
            .starts_with("unknown: its source Rust Oslo failed"),
        "{}",
        f[0]
    );
    // Words still find by title and organizer name.
    let f = check(&outcome, &window(), "Flower", &config, None);
    assert_eq!(f.iter().filter(|f| f.is_listed()).count(), 2, "{f:#?}");
}
