use super::*;
use crate::config::Config;

/// The directory of a `sources.toml` text.
fn directory_of(toml: &str) -> Directory {
    Directory::from_config(&Config::parse(toml, "t.toml").unwrap())
}

#[test]
fn match_key_folds_variants() {
    assert_eq!(
        match_key("https://www.meetup.com/de-DE/Rust-Rhein-Main/events/229564640/?eventId=1"),
        "meetup.com/rust-rhein-main/events/229564640"
    );
    assert_eq!(match_key("https://lu.ma/abc"), "luma.com/abc");
}

#[test]
fn directory_matches_on_path_prefix_only() {
    let d = directory_of(
        "[[organizer]]\nurl = \"https://www.meetup.com/rust-berlin/\"\nname = \"Rust Berlin\"\nhome = \"Berlin, DE\"\n",
    );
    assert_eq!(
        d.lookup("https://www.meetup.com/Rust-Berlin/events/1/")
            .map(|o| o.name.as_str()),
        Some("Rust Berlin")
    );
    assert!(
        d.lookup("https://www.meetup.com/rust-berlin-2/events/1/")
            .is_none()
    );
}

/// An edition's or a project's subdomain belongs to the site's owner; a platform's
/// subdomains are other people's.
#[test]
fn directory_matches_a_site_s_subdomains_but_not_a_platform_s() {
    let d = directory_of(
        "[[organizer]]\nurl = \"https://rustnl.org/\"\nname = \"RustNL\"\nhome = \"Delft, NL\"\n\n[[organizer]]\nurl = \"https://zoom.us/\"\nname = \"Zoom\"\n",
    );
    let name = |u: &str| d.lookup(u).map(|o| o.name.clone());
    assert_eq!(name("https://2023.rustnl.org/").as_deref(), Some("RustNL"));
    assert_eq!(
        name("https://www.2024.rustnl.org/schedule/").as_deref(),
        Some("RustNL")
    );
    assert_eq!(name("https://us02web.zoom.us/j/123"), None);
    assert_eq!(name("https://notrustnl.org/"), None);
    assert_eq!(name("https://rustnl.org.evil.example/"), None);
}

#[test]
fn organizer_from_meetup_link() {
    let o = organizer_from_url("https://www.meetup.com/de-DE/rust-zurich/events/1/", "x");
    assert_eq!(o.name, "Rust Zurich");
    assert_eq!(
        o.url.as_deref(),
        Some("https://www.meetup.com/rust-zurich/")
    );
    let o = organizer_from_url("https://rustconf.com/schedule", "RustConf 2026");
    assert_eq!(o.name, "RustConf 2026");
    assert_eq!(o.url.as_deref(), Some("https://rustconf.com/"));
}

/// A calendar entry linking only `link`, titled `title`, its description `description`.
fn calendar_entry(title: &str, link: &str, description: Option<&str>) -> RawEvent {
    let d = NaiveDate::from_ymd_opt(2027, 9, 5).unwrap();
    let mut raw = RawEvent::new("calendar", title, When::Date(d));
    raw.url = Some(link.into());
    raw.description = description.map(Into::into);
    raw.location = Some("Online".into());
    raw
}

#[test]
fn a_guessed_organizer_is_linked_only_to_its_own_page() {
    // The organizer's own site: its root.
    let raw = calendar_entry(
        "Rust Nation UK 2027",
        "https://www.rustnationuk.com/tickets",
        None,
    );
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        n.event.organizer.url.as_deref(),
        Some("https://www.rustnationuk.com/")
    );
    // A luma event page, a ticket page, a form, a site of many: no link, and a note.
    for link in [
        "https://lu.ma/ab12cd34",
        "https://www.eventbrite.com/e/rust-foo-tickets-1",
        "https://forms.gle/zWXcMDAnnibiL4ni9",
        "https://events.newplatform.example/rust-foo-meetup",
        "https://partiful.com/e/abc",
    ] {
        let raw = calendar_entry("Rust Foo meetup", link, Some("Rust Foo<br>Come along"));
        let n = normalize(&raw, &Directory::default()).unwrap();
        assert_eq!(n.event.organizer.name, "Rust Foo", "{link}");
        assert_eq!(n.event.organizer.url, None, "{link}");
        assert!(
            n.notes
                .iter()
                .any(|m| m.contains("[[organizer]]") && m.contains("Rust Foo")),
            "{link}: {:?}",
            n.notes
        );
    }
}

#[test]
fn the_directory_matches_a_name_the_entry_gives() {
    let d = Directory::from_config(&Config::default());
    // The description's first line names Rust Dresden; the entry links a form.
    let raw = calendar_entry(
        "Rust Meetup #12",
        "https://forms.gle/abcdefgh",
        Some("Rust Dresden<br>Talks and pizza"),
    );
    let n = normalize(&raw, &d).unwrap();
    assert_eq!(n.event.organizer.name, "Rust Dresden");
    assert_eq!(
        n.event.organizer.url.as_deref(),
        Some("https://github.com/rust-dresden")
    );
    assert_eq!(
        n.event.organizer.home.as_ref().unwrap().to_string(),
        "Dresden, DE"
    );
    assert!(
        n.notes.iter().any(|m| m.contains("by its name only")),
        "{:?}",
        n.notes
    );
    // The title's prefix, folded.
    let raw = calendar_entry("rust dresden: Meetup #13", "https://lu.ma/ab12cd34", None);
    let n = normalize(&raw, &d).unwrap();
    assert_eq!(
        n.event.organizer.url.as_deref(),
        Some("https://github.com/rust-dresden")
    );
    // The sources file outranks the published sections, which outrank the compiled ones.
    let mut config = Config::parse(
        "[[organizer]]\nurl = \"https://rust-dresden.example/\"\nname = \"Rust Dresden\"\n",
        "t.toml",
    )
    .unwrap();
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(
        n.event.organizer.url.as_deref(),
        Some("https://rust-dresden.example/")
    );
    config.organizers.clear();
    config.printed = vec![printed(
        "Rust Dresden",
        "https://luma.com/rust-dresden",
        "Dresden, DE",
        None,
    )];
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(
        n.event.organizer.url.as_deref(),
        Some("https://luma.com/rust-dresden")
    );
}

/// An organizer as the published sections printed it.
fn printed(
    name: &str,
    url: &str,
    home: &str,
    virtual_home: Option<bool>,
) -> crate::config::PrintedOrganizer {
    crate::config::PrintedOrganizer {
        name: name.into(),
        url: Some(url.into()),
        home: location::parse_newsletter_place(home),
        virtual_home,
        entries: 2,
    }
}

#[test]
fn an_ambiguous_name_matches_nothing() {
    let config = Config {
        printed: vec![
            printed(
                "Rust Foo",
                "https://www.meetup.com/rust-foo/",
                "Lyon, FR",
                None,
            ),
            printed(
                "Rust Foo",
                "https://www.meetup.com/rust-foo-2/",
                "Lille, FR",
                None,
            ),
        ],
        ..Config::default()
    };
    let raw = calendar_entry("Rust Foo: talks", "https://lu.ma/ab12cd34", None);
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.organizer.url, None);
}

#[test]
fn an_organizer_s_name_carries_no_edition_year() {
    assert_eq!(directory::without_edition("RustConf 2026"), "RustConf");
    assert_eq!(
        directory::without_edition("2024 Rust Summit"),
        "Rust Summit"
    );
    assert_eq!(directory::without_edition("RustWeek"), "RustWeek");
    assert_eq!(directory::without_edition("2026"), "2026");
    let config = Config {
        printed: vec![printed(
            "RustConf 2026",
            "https://rustconf.com/",
            "Seattle, WA, US",
            None,
        )],
        ..Config::default()
    };
    let mut raw = calendar_entry("RustConf 2027", "https://rustconf.com/2027", None);
    raw.location = Some("Seattle, WA, USA".into());
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.organizer.name, "RustConf");
}

#[test]
fn a_country_only_place_is_the_organizer_s_home_in_that_country() {
    let config = Config::parse(
        "[[organizer]]\nurl = \"https://www.posttenebraslab.ch/\"\nname = \"Rust Geneva\"\nhome = \"Geneva, CH\"\n",
        "t.toml",
    )
    .unwrap();
    let mut raw = calendar_entry("Rust Meetup", "https://www.posttenebraslab.ch/wiki/x", None);
    raw.location = Some("Switzerland".into());
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.place.as_ref().unwrap().to_string(), "Geneva, CH");
    assert!(
        n.notes.iter().any(|m| m.contains("only the country")),
        "{:?}",
        n.notes
    );
    // Another country: left as it is.
    raw.location = Some("France".into());
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.place.as_ref().unwrap().to_string(), "FR");
}

#[test]
fn a_home_the_sources_file_writes_is_printed_for_virtual_events() {
    let mut config = Config::parse(
        "[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-foo/\"\nhome = \"Lyon, FR\"\n",
        "t.toml",
    )
    .unwrap();
    config.printed = vec![printed(
        "Rust Foo",
        "https://www.meetup.com/rust-foo/",
        "Paris, FR",
        Some(false),
    )];
    let mut raw = calendar_entry(
        "Catch up",
        "https://www.meetup.com/rust-foo/events/1/",
        None,
    );
    raw.organizer = Some(Organizer {
        name: "Rust Foo".into(),
        url: Some("https://www.meetup.com/rust-foo/".into()),
        home: location::parse_newsletter_place("Lyon, FR"),
    });
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(
        n.event.shown_place().map(ToString::to_string).as_deref(),
        Some("Lyon, FR")
    );
    // Without the home in the sources file, the editors' bare `Virtual`.
    config.sources[0].home = None;
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.shown_place(), None);
}

#[test]
fn virtual_events_print_the_home_as_the_editors_last_did() {
    let raw = calendar_entry(
        "Catch up",
        "https://www.meetup.com/rust-foo/events/1/",
        None,
    );
    for (virtual_home, shown) in [
        (Some(true), Some("Lyon, FR")),
        (Some(false), None),
        (None, Some("Lyon, FR")),
    ] {
        let config = Config {
            printed: vec![printed(
                "Rust Foo",
                "https://www.meetup.com/rust-foo/",
                "Lyon, FR",
                virtual_home,
            )],
            ..Config::default()
        };
        let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
        assert_eq!(n.event.attendance, Attendance::Virtual);
        assert_eq!(
            n.event.shown_place().map(ToString::to_string).as_deref(),
            shown,
            "{virtual_home:?}"
        );
        // The home still gave the date's zone and the organizer its link.
        assert_eq!(
            n.event.organizer.url.as_deref(),
            Some("https://www.meetup.com/rust-foo/")
        );
    }
}

/// A calendar entry of a group without a meetup page: the description names the organizer on
/// its first line, then links a ticket page.
fn ticketed_entry(description: &str) -> RawEvent {
    let d = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();
    let mut raw = RawEvent::new("calendar", "Rust Circle Meetup [Virtual]", When::Date(d));
    raw.description = Some(description.into());
    raw.links = links::extract_links(description);
    raw.location = Some("Online".into());
    raw
}

#[test]
fn the_description_names_the_organizer_of_a_ticketed_entry() {
    let raw = ticketed_entry(
        "Rust Circle<br><a href=\"https://www.google.com/url?q=https://www.eventbrite.com/e/rust-circle-meetup-tickets-999000111222&amp;sa=D&amp;source=calendar\">Tickets</a>",
    );
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.organizer.name, "Rust Circle");
    assert_eq!(
        n.event.organizer.url, None,
        "not https://www.eventbrite.com/"
    );
    assert_eq!(
        n.event.url,
        "https://www.eventbrite.com/e/rust-circle-meetup-tickets-999000111222"
    );
    // Its own page, where the sources file knows it.
    let d = directory_of(
        "[[organizer]]\nurl = \"https://www.eventbrite.com/e/rust-circle-meetup-tickets-999000111222\"\nname = \"Rust Circle Kampala\"\nhome = \"Kampala, UG\"\n",
    );
    let n = normalize(&raw, &d).unwrap();
    assert_eq!(n.event.organizer.name, "Rust Circle Kampala");
    // A sentence on the first line is no name: the title stays the organizer's name.
    let raw = ticketed_entry(
        "Join us online.<br><a href=\"https://www.eventbrite.com/e/x-tickets-1\">Tickets</a>",
    );
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.organizer.name, "Rust Circle Meetup [Virtual]");
    assert_eq!(n.event.organizer.url, None);
}

#[test]
fn a_platform_s_root_is_never_an_organizer_link() {
    let d = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();
    let mut raw = RawEvent::new("page", "Rust Day", When::Date(d));
    raw.url = Some("https://www.eventbrite.com/e/rust-day-tickets-1".into());
    raw.location = Some("Online".into());
    raw.organizer = Some(Organizer {
        name: "Rust Day e.V.".into(),
        url: Some("https://www.eventbrite.com/".into()),
        home: None,
    });
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.organizer.name, "Rust Day e.V.");
    assert_eq!(n.event.organizer.url, None);
    assert!(
        n.notes.iter().any(|m| m.contains("platform")),
        "{:?}",
        n.notes
    );
}

#[test]
fn structured_place_is_completed_from_the_address() {
    let d = NaiveDate::from_ymd_opt(2026, 8, 21).unwrap();
    let mut raw = RawEvent::new("luma", "Weekly session", When::Date(d));
    raw.links = vec!["https://luma.com/1bm27cah".into()];
    raw.place = Some(Place::new(Some("Girona"), None, None));
    raw.location = Some("Carrer de la Creu 5, 17002 Girona, Spain".into());
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.place.unwrap().to_string(), "Girona, ES");
    assert_eq!(n.event.regions, vec![Region::Europe]);
}

#[test]
fn region_from_the_event_zone_when_nothing_else_tells() {
    let start = "2026-08-21T18:00:00"
        .parse::<chrono::NaiveDateTime>()
        .unwrap();
    let mut raw = RawEvent::new("page", "Meetup", When::Zoned(start, chrono_tz::Asia::Tokyo));
    raw.links = vec!["https://example.org/meetup".into()];
    raw.attendance = Some(Attendance::InPerson);
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.regions, vec![Region::Asia]);
}

#[test]
fn corpus_directory_names_a_group_only_the_calendar_links() {
    // A one-off "Online" meetup at 19:00 in Dallas, stored in UTC, linking only the group:
    // nothing was fetched, sources.toml does not name the group.
    let start = chrono::Utc.with_ymd_and_hms(2026, 9, 9, 0, 0, 0).unwrap();
    let mut raw = RawEvent::new("cal", "Second Tuesday", When::Utc(start));
    raw.location = Some("Online".into());
    raw.links = vec!["https://www.meetup.com/dallasrust/".into()];
    let config = Config::default();
    let n = normalize(&raw, &Directory::from_config(&config)).unwrap();
    assert_eq!(n.event.organizer.name, "Dallas Rust User Meetup");
    assert_eq!(
        n.event
            .organizer
            .home
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Dallas, TX, US")
    );
    assert_eq!(
        n.event.start_date.to_string(),
        "2026-09-08",
        "the Dallas date"
    );
}

#[test]
fn sources_toml_outranks_the_corpus_directory() {
    let d = directory_of(
        "[[organizer]]\nurl = \"https://www.meetup.com/dallasrust/\"\nname = \"Dallas Rust\"\n",
    );
    let o = d
        .lookup("https://www.meetup.com/dallasrust/events/1/")
        .unwrap();
    assert_eq!(o.name, "Dallas Rust");
    // The corpus still completes the home the config left out.
    assert_eq!(
        o.home.as_ref().map(ToString::to_string).as_deref(),
        Some("Dallas, TX, US")
    );
}

#[test]
fn cancelled_is_dropped() {
    let mut raw = RawEvent::new(
        "t",
        "x",
        When::Date(NaiveDate::from_ymd_opt(2023, 1, 1).unwrap()),
    );
    raw.status = Status::Cancelled;
    assert_eq!(
        normalize(&raw, &Directory::default()),
        Err(Dropped::Cancelled(Status::Cancelled))
    );
}

#[test]
fn all_day_end_is_exclusive() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let mut raw = RawEvent::new("t", "RustConf", When::Date(d("2023-02-14")));
    raw.end = Some(When::Date(d("2023-02-17")));
    raw.links = vec!["https://rustconf.com/".into()];
    raw.place = Some(Place::new(Some("Montreal"), Some("QC"), Some("CA")));
    let n = normalize(&raw, &Directory::default());
    // Region needs the region table; only dates are checked here.
    if let Ok(n) = n {
        assert_eq!(n.event.start_date, d("2023-02-14"));
        assert_eq!(n.event.end_date, d("2023-02-16"));
    }
}

#[test]
fn a_range_of_more_than_a_month_is_a_mistake_not_an_event() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    let mut raw = RawEvent::new("t", "Rust Week", When::Date(d("2023-02-14")));
    raw.links = vec!["https://rustweek.example.org/".into()];
    raw.place = Some(Place::new(Some("Utrecht"), None, Some("NL")));
    raw.end = Some(When::Date(d("2023-03-17")));
    assert!(normalize(&raw, &Directory::default()).is_ok());
    raw.start = When::Date(d("1023-02-14"));
    let e = normalize(&raw, &Directory::default()).unwrap_err();
    assert_eq!(e, Dropped::TooLong { days: 365_274 });
    assert!(e.to_string().contains("check its dates"), "{e}");
}

#[test]
fn the_end_is_kept_in_the_start_zone_and_only_after_the_start() {
    let utc = |s: &str| When::Utc(s.parse().unwrap());
    let rfc = |t: Option<DateTime<FixedOffset>>| t.map(|t| t.to_rfc3339());
    // Google's one-off event in UTC at a Dallas place: 19:00-21:00 CST, one day.
    let mut raw = RawEvent::new("cal", "Second Tuesday", utc("2023-02-15T01:00:00Z"));
    raw.end = Some(utc("2023-02-15T03:00:00Z"));
    raw.place = Some(Place::new(Some("Dallas"), Some("TX"), Some("US")));
    raw.links = vec!["https://www.meetup.com/dallasrust/events/1/".into()];
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        rfc(n.event.start).as_deref(),
        Some("2023-02-14T19:00:00-06:00")
    );
    assert_eq!(
        rfc(n.event.end).as_deref(),
        Some("2023-02-14T21:00:00-06:00")
    );
    assert_eq!(
        (n.event.start_date, n.event.end_date),
        (d("2023-02-14"), d("2023-02-14"))
    );
    assert!(n.notes.is_empty(), "{:?}", n.notes);

    // An end at midnight: the same day (exclusive end).
    raw.end = Some(utc("2023-02-15T06:00:00Z"));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        rfc(n.event.end).as_deref(),
        Some("2023-02-15T00:00:00-06:00")
    );
    assert_eq!(n.event.end_date, d("2023-02-14"));

    // An end before the start: noted and ignored; the event stays, one day.
    raw.end = Some(utc("2023-02-14T03:00:00Z"));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end, None);
    assert_eq!(n.event.end_date, d("2023-02-14"));
    assert!(
        n.notes.iter().any(|m| m.contains("before its start")),
        "{:?}",
        n.notes
    );
    // An end equal to the start says no more than no end, and is no mistake.
    raw.end = Some(raw.start.clone());
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end, None);
    assert!(n.notes.is_empty(), "{:?}", n.notes);
    // A date-only end on a timed start: no end time; its days from the date.
    raw.end = Some(When::Date(d("2023-02-16")));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end, None);
    assert_eq!(n.event.end_date, d("2023-02-15"));
}

#[test]
fn a_zoned_end_keeps_its_zone_s_offset_and_an_all_day_event_has_no_end_time() {
    let berlin = chrono_tz::Europe::Berlin;
    let wall = |s: &str| s.parse::<NaiveDateTime>().unwrap();
    // The night the clocks go forward: 00:30 CET to 04:00 CEST.
    let mut raw = RawEvent::new(
        "cal",
        "Night hack",
        When::Zoned(wall("2023-03-26T00:30:00"), berlin),
    );
    raw.end = Some(When::Zoned(wall("2023-03-26T04:00:00"), berlin));
    raw.links = vec!["https://example.org/night".into()];
    raw.attendance = Some(Attendance::InPerson);
    raw.place = Some(Place::new(Some("Berlin"), None, Some("DE")));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        n.event.start.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-03-26T00:30:00+01:00")
    );
    assert_eq!(
        n.event.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-03-26T04:00:00+02:00")
    );
    // A page's end with its own offset (schema.org), a floating end read at the start's.
    raw.start = When::Offset("2023-03-27T18:00:00+02:00".parse().unwrap());
    raw.end = Some(When::Floating(wall("2023-03-27T20:00:00")));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        n.event.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2023-03-27T20:00:00+02:00")
    );
    // All day: dates only.
    raw.start = When::Date(d("2023-03-27"));
    raw.end = Some(When::Date(d("2023-03-29")));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!((n.event.start, n.event.end), (None, None));
    assert_eq!(n.event.end_date, d("2023-03-28"));
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn links_to_private_addresses_go_but_the_sources_file_s() {
    let d = NaiveDate::from_ymd_opt(2026, 9, 5).unwrap();
    let mut raw = RawEvent::new("calendar", "Rust Night", When::Date(d));
    raw.links = vec![
        "http://127.0.0.2:8080/rust-night/".into(),
        "http://127.0.0.1:8080/rust-night/".into(),
    ];
    raw.location = Some("Berlin, Germany".into());
    raw.organizer = Some(Organizer {
        name: "Rust Night".into(),
        url: Some("http://10.0.0.1/".into()),
        home: None,
    });
    // Nothing trusted: no link left, so no entry.
    assert_eq!(
        normalize(&raw, &Directory::default()).unwrap_err(),
        Dropped::NoLink
    );
    // The sources file's host and port: its link is printed, the others are not.
    let trusted = crate::link::Trusted::of(["http://127.0.0.1:8080/calendar.ics"]);
    let n = normalize_within(&raw, &Directory::default(), &trusted).unwrap();
    assert_eq!(n.event.url, "http://127.0.0.1:8080/rust-night/");
    assert_eq!(n.event.organizer.url, None);
    let private_notes = n
        .notes
        .iter()
        .filter(|m| m.contains(crate::link::PRIVATE))
        .count();
    assert_eq!(private_notes, 2, "{:?}", n.notes);
}

#[test]
fn an_entry_the_reports_name_gets_the_local_date_the_section_prints() {
    // 19:30 in Chicago (CDT) on the 16th is 00:30 UTC on the 17th.
    let start = chrono::Utc.with_ymd_and_hms(2026, 9, 17, 0, 30, 0).unwrap();
    let mut raw = RawEvent::new("cal", "Chicago Rust Meetup", When::Utc(start));
    raw.location = Some("Chicago, IL, USA".into());
    raw.url = Some("https://www.meetup.com/chicago-rust-meetup/events/1/".into());
    let directory = Directory::default();
    let trusted = Trusted::default();
    let listed = normalize(&raw, &directory).unwrap().event.start_date;
    assert_eq!(listed.to_string(), "2026-09-16");
    assert_eq!(local_date(&raw, &directory, &trusted), listed);
    // Cancelled: the day it would have been listed on.
    raw.status = Status::Cancelled;
    assert_eq!(local_date(&raw, &directory, &trusted), listed);
    // Left out for another reason (no link): its place's zone still gives the day.
    raw.status = Status::Confirmed;
    raw.url = None;
    assert!(normalize(&raw, &directory).is_err());
    assert_eq!(local_date(&raw, &directory, &trusted), listed);
    // Nothing tells a zone but the calendar's.
    raw.location = None;
    assert_eq!(
        local_date(&raw, &directory, &trusted).to_string(),
        "2026-09-17"
    );
    raw.default_tz = Some(chrono_tz::America::Chicago);
    assert_eq!(local_date(&raw, &directory, &trusted), listed);
}

#[test]
fn an_evening_ending_after_midnight_stays_one_timed_day() {
    let berlin = chrono_tz::Europe::Berlin;
    let wall = |s: &str| s.parse::<NaiveDateTime>().unwrap();
    let mut raw = RawEvent::new(
        "cal",
        "Late Rust",
        When::Zoned(wall("2026-09-19T23:00:00"), berlin),
    );
    raw.end = Some(When::Zoned(wall("2026-09-20T02:00:00"), berlin));
    raw.links = vec!["https://example.org/late-rust".into()];
    raw.attendance = Some(Attendance::InPerson);
    raw.place = Some(Place::new(Some("Berlin"), None, Some("DE")));
    let n = normalize(&raw, &Directory::default()).unwrap();
    // One day, the end time kept: the feeds write it timed, the section prints one date.
    assert_eq!(
        (n.event.start_date, n.event.end_date),
        (d("2026-09-19"), d("2026-09-19"))
    );
    assert_eq!(
        n.event.end.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-09-20T02:00:00+02:00")
    );
    let window = crate::model::Window {
        from: d("2026-09-16"),
        to: d("2026-10-14"),
    };
    let md = crate::newsletter::write::render(std::slice::from_ref(&n.event), &window);
    assert!(md.contains("2026-09-19 |"), "{md}");
    assert!(!md.contains("2026-09-20"), "{md}");
    // A day or more is several days: a 24-hour hackathon, a conference from 09:00 to 17:00
    // the next day (its last day the end's).
    raw.end = Some(When::Zoned(wall("2026-09-20T23:00:00"), berlin));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end_date, d("2026-09-20"));
    raw.start = When::Zoned(wall("2026-09-19T09:00:00"), berlin);
    raw.end = Some(When::Zoned(wall("2026-09-20T17:00:00"), berlin));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end_date, d("2026-09-20"));
    // Just under a day (09:00 to 08:59 the next morning): one day.
    raw.end = Some(When::Zoned(wall("2026-09-20T08:59:00"), berlin));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(n.event.end_date, d("2026-09-19"));
    // A UTC entry read in the place's zone, as Google exports one: the same rule.
    raw.start = When::Utc("2026-09-19T21:00:00Z".parse().unwrap());
    raw.end = Some(When::Utc("2026-09-20T00:00:00Z".parse().unwrap()));
    let n = normalize(&raw, &Directory::default()).unwrap();
    assert_eq!(
        (n.event.start_date, n.event.end_date),
        (d("2026-09-19"), d("2026-09-19"))
    );
}
