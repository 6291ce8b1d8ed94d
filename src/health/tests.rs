use super::*;
use crate::model::Place;
use crate::model::{Attendance, Event, Organizer, Region};
use crate::newsletter::read::parse_section;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn config(text: &str) -> Config {
    Config::parse(text, "s.toml").unwrap()
}

const CAL: &str = "[[source]]\nkind = \"ical\"\nurl = \"https://calendar.google.com/c/basic.ics\"\nname = \"Rust Community Calendar\"\n\n";

fn report(s: &Source) -> SourceReport {
    SourceReport {
        kind: s.kind,
        url: crate::pipeline::fetch_url(s),
        label: s.label().to_string(),
        events: 1,
        state: crate::run::SourceStatus::Ok,
        warnings: Vec::new(),
        redirected_to: None,
        also_at: vec![],
        latest_event: Some(d("2026-09-20")),
        fallback: None,
        carried_over: 0,
    }
}

fn calendar_event(org_name: &str, org_url: &str, date: &str) -> Event {
    Event {
        title: "Meetup".into(),
        url: format!("{org_url}events/123456789/"),
        start_date: d(date),
        end_date: d(date),
        start: None,
        end: None,
        attendance: Attendance::InPerson,
        place: Some(Place::new(Some("Ghent"), None, Some("BE"))),
        organizer: Organizer {
            name: org_name.into(),
            url: Some(org_url.into()),
            home: None,
        },
        regions: vec![Region::Europe],
        mirrors: Vec::new(),
        sources: vec!["Rust Community Calendar".into()],
        from_page: false,
        in_calendar: true,
        carried: false,
        last_seen: None,
        uid: None,
    }
}

#[test]
fn groups_compare_across_url_forms() {
    let g = |u: &str| group_of(u).unwrap();
    assert_eq!(
        g("https://www.meetup.com/de-DE/Rust-Berlin/events/"),
        "meetup.com/rust-berlin"
    );
    assert_eq!(
        g("https://meetup.com/rust-berlin"),
        "meetup.com/rust-berlin"
    );
    assert_eq!(
        g("https://www.meetup.com/rust-berlin/events/313345334/"),
        "meetup.com/rust-berlin"
    );
    assert_eq!(
        g("https://lu.ma/Rust-Girona?utm_source=x"),
        "luma.com/rust-girona"
    );
    assert_eq!(
        g("https://luma.com/calendar/cal-bif2oHITU1aVvsr"),
        "luma.com/calendar/cal-bif2ohitu1avvsr"
    );
    assert_eq!(g("https://hasgeek.com/rustpune/"), "hasgeek.com/rustpune");
    assert_eq!(group_of("https://www.meetup.com/"), None);
    assert_eq!(group_of("not a url"), None);
    assert!(under("2026.rustweek.org", "rustweek.org"));
    assert!(under("hasgeek.com/rustpune/2026", "hasgeek.com/rustpune"));
    assert!(!under("hasgeek.com/rustpunes", "hasgeek.com/rustpune"));
    assert!(!under("notrustweek.org", "rustweek.org"));
}

#[test]
fn uncovered_organizers_come_with_the_lines_to_add() {
    let c = config(&format!(
        "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\n\n[[source]]\nkind = \"luma\"\nurl = \"https://lu.ma/rust-girona\"\n\n[[organizer]]\nurl = \"https://gamedev.rs/\"\nname = \"Rust GameDev\"\n"
    ));
    let section = parse_section(
        "### Europe\n\
         * 2026-09-02 | Berlin, DE | [Rust Berlin](https://www.meetup.com/de-DE/Rust-Berlin/)\n    * [**x**](https://www.meetup.com/rust-berlin/events/1234567/)\n\
         * 2026-09-03 | Girona, ES | [Rust Girona](https://luma.com/rust-girona)\n    * [**x**](https://luma.com/abcdefgh)\n\
         * 2026-09-03 | Paris, FR | [Rust \"Paris\"\\nhome = x](https://www.meetup.com/Rust-Paris/events/)\n    * [**x**](https://www.meetup.com/rust-paris/events/7654321/)\n\
         * 2026-09-04 | Valencia, ES | [Rust Valencia](https://lu.ma/rust-valencia)\n    * [**x**](https://lu.ma/abcdefgh)\n\
         * 2026-09-05 | Virtual | [Rust GameDev](https://gamedev.rs/)\n    * [**x**](https://gamedev.rs/)\n\
         * 2026-09-06 | Virtual | [Rust Chat](https://discord.gg/abc)\n    * [**x**](https://discord.gg/abc)\n\
         * 2026-09-06 | Virtual | [Bad](javascript:alert(1))\n    * [**x**](https://x.example/e/1)\n",
    );
    let sections = vec![(d("2026-09-02"), section)];
    let h = assess(&c, None, &sections, d("2026-09-16"), Options::default());
    let names: Vec<&str> = h.uncovered.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    let by = |n: &str| h.uncovered.iter().find(|u| u.name.starts_with(n)).unwrap();
    let paris = by("Rust \"Paris\"");
    assert_eq!(paris.suggestion_kind.name(), "meetup");
    assert_eq!(paris.link, "https://www.meetup.com/rust-paris/");
    assert_eq!(paris.reach, Reach::PublishedOnly);
    assert_eq!(paris.sections, 1);
    // The name is escaped: the lines parse back as one source with that name.
    let back = Config::parse(&paris.suggestion, "suggestion").unwrap();
    assert_eq!(
        back.sources[0].name.as_deref(),
        Some("Rust \"Paris\"\\nhome = x")
    );
    assert_eq!(
        back.sources[0].home.as_ref().unwrap().to_string(),
        "Paris, FR"
    );
    let valencia = by("Rust Valencia");
    assert_eq!(valencia.suggestion_kind.name(), "luma");
    let back = Config::parse(&valencia.suggestion, "suggestion").unwrap();
    assert_eq!(back.sources[0].kind.as_str(), "luma");
    assert_eq!(back.sources[0].url, "https://luma.com/rust-valencia");
    // Known only through an [[organizer]] entry: not covered, and said so.
    let gamedev = by("Rust GameDev");
    assert!(gamedev.organizer_entry);
    assert_eq!(gamedev.suggestion_kind.name(), "jsonld");
    assert!(
        gamedev
            .suggestion
            .starts_with("# only if the page carries schema.org")
    );
    let chat = by("Rust Chat");
    assert_eq!(chat.suggestion_kind.name(), "organizer");
    assert!(
        Config::parse(&chat.suggestion, "s")
            .unwrap()
            .organizers
            .len()
            == 1
    );
    assert!(h.needs_attention());
    // Nothing fetched: the fetching sections are empty.
    assert!(!h.fetched && h.failed.is_empty() && h.silent.is_empty());
}

#[test]
fn only_the_recent_sections_on_or_before_today_count() {
    let c = config(CAL);
    let entry = |org: &str| {
        parse_section(&format!(
            "### Europe\n* 2026-01-01 | Oslo, NO | [{org}](https://www.meetup.com/{org}/)\n    * [**x**](https://www.meetup.com/{org}/events/1234567/)\n"
        ))
    };
    let sections = vec![
        (d("2026-01-07"), entry("old")),
        (d("2026-09-09"), entry("recent")),
        (d("2026-09-30"), entry("future")),
    ];
    let opts = Options {
        recent: 1,
        silent_weeks: 26,
    };
    let h = assess(&c, None, &sections, d("2026-09-16"), opts);
    let names: Vec<&str> = h.uncovered.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["recent"]);
    assert_eq!(h.sections.count, 1);
    assert_eq!(h.sections.last, Some(d("2026-09-09")));
}

/// A run with one source of each trouble (gone, redirected, failed, silent, fallback, listed
/// twice), a calendar-only organizer, and one published section.
fn a_troubled_run() -> (Config, Outcome, Vec<(NaiveDate, Vec<CorpusEntry>)>) {
    let c = config(&format!(
        "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-gone/\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-old/\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-new/\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-quiet/\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-down/\"\n\n\
         [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-twice/\"\n\n\
         [[source]]\nkind = \"ical\"\nurl = \"https://www.meetup.com/Rust-Twice/events/ical/\"\n\n\
         [[source]]\nkind = \"luma\"\nurl = \"https://luma.com/rust-fb\"\n"
    ));
    let mut reports: Vec<SourceReport> = c.sources.iter().map(report).collect();
    reports[1].state = crate::run::SourceStatus::Failed(crate::run::Failure::Fetch(
        crate::fetch::FetchError::Status {
            url: reports[1].url.clone(),
            status: 404,
        },
    ));
    reports[2].redirected_to = Some("https://www.meetup.com/rust-new/events/".into());
    reports[4].latest_event = Some(d("2025-12-01"));
    reports[5].state = crate::run::SourceStatus::of_test(Some("timed out\u{1b}[31m"), None);
    reports[8].fallback = Some("the ICS feed answered 500; read the calendar page".into());
    let mut outcome = Outcome {
        reports,
        ..Default::default()
    };
    // A calendar-only organizer, and a covered one.
    outcome.events.push(calendar_event(
        "Rust Ghent",
        "https://www.meetup.com/rust-ghent/",
        "2026-09-24",
    ));
    outcome.events.push(calendar_event(
        "Rust New",
        "https://www.meetup.com/rust-new/",
        "2026-09-25",
    ));
    let published = parse_section(
        "### Europe\n* 2026-03-01 | Oslo, NO | [Quiet](https://www.meetup.com/rust-quiet/)\n    * [**x**](https://www.meetup.com/rust-quiet/events/1234567/)\n",
    );
    let sections = vec![(d("2026-03-04"), published)];
    (c, outcome, sections)
}

#[test]
fn a_run_reports_gone_redirected_failed_silent_fallback_and_duplicates() {
    let (c, outcome, sections) = a_troubled_run();
    let h = assess(
        &c,
        Some(&outcome),
        &sections,
        d("2026-09-16"),
        Options::default(),
    );
    assert_eq!(h.gone.len(), 1);
    assert_eq!(
        (h.gone[0].source.line, h.gone[0].status),
        (c.sources[1].line, 404)
    );
    assert_eq!(h.redirected.len(), 1);
    assert_eq!(
        h.redirected[0].fix,
        "url = \"https://www.meetup.com/rust-new/\""
    );
    assert_eq!(h.failed.len(), 1);
    assert!(
        !h.failed[0].error.contains('\u{1b}'),
        "{:?}",
        h.failed[0].error
    );
    // Silent: last listed 2025-12-01, last published 2026-03-04: since 2026-03-04.
    assert_eq!(h.silent.len(), 1);
    assert_eq!(h.silent[0].since, Some(d("2026-03-04")));
    assert_eq!(h.silent[0].last_listed, Some(d("2025-12-01")));
    let quiet_weeks = Options {
        recent: 26,
        silent_weeks: 52,
    };
    assert!(
        assess(&c, Some(&outcome), &sections, d("2026-09-16"), quiet_weeks)
            .silent
            .is_empty()
    );
    assert_eq!(h.fallback.len(), 1);
    // rust-twice as a group page and as its feed; rust-old redirects to rust-new.
    assert_eq!(h.duplicates.len(), 2, "{:?}", h.duplicates);
    assert!(
        h.duplicates
            .iter()
            .any(|d| d.group == "meetup.com/rust-twice" && d.sources.len() == 2)
    );
    assert!(
        h.duplicates
            .iter()
            .any(|d| d.group == "meetup.com/rust-new" && d.why.contains("redirects"))
    );
    assert_eq!(h.uncovered.len(), 1);
    assert_eq!(h.uncovered[0].name, "Rust Ghent");
    assert_eq!(h.uncovered[0].reach, Reach::CalendarOnly);
    assert_eq!(h.uncovered[0].home.as_deref(), Some("Ghent, BE"));
    let table = to_table(&h);
    for title in [
        "UNCOVERED",
        "GONE",
        "REDIRECTED",
        "FAILED",
        "SILENT",
        "FALLBACK",
        "DUPLICATES",
    ] {
        assert!(table.contains(title), "{title} missing:\n{table}");
    }
    assert!(
        !table.contains("SUSPECT:"),
        "empty sections are left out:\n{table}"
    );
    assert!(table.contains("on the calendar only"));
}

#[test]
fn a_redirect_within_the_group_is_no_rename_and_a_healthy_list_needs_nothing() {
    let c = config(&format!(
        "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\n"
    ));
    let mut reports: Vec<SourceReport> = c.sources.iter().map(report).collect();
    reports[1].redirected_to = Some("https://www.meetup.com/de-DE/Rust-Berlin/events/".into());
    let outcome = Outcome {
        reports: reports.clone(),
        ..Default::default()
    };
    let h = assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default());
    assert!(!h.needs_attention(), "{h:?}");
    assert!(to_table(&h).contains("nothing needs attention"));
    // A redirect to a login page elsewhere is no rename either.
    reports[1].redirected_to = Some("https://secure.meetup.example/login".into());
    let outcome = Outcome {
        reports,
        ..Default::default()
    };
    assert!(
        assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default())
            .redirected
            .is_empty()
    );
}

#[test]
fn one_organizer_under_two_links_is_one_entry_and_a_homonym_elsewhere_is_not() {
    let c = config(&format!(
        "{CAL}[[organizer]]\nurl = \"https://discord.gg/gamedev\"\nname = \"Rust GameDev\"\n"
    ));
    let section = parse_section(
        "### Virtual\n\
         * 2026-09-05 | Virtual | [Rust GameDev](https://gamedev.rs/)\n    * [**x**](https://gamedev.rs/)\n\
         * 2026-09-06 | Virtual | [Rust GAMEDEV](https://discord.gg/gamedev)\n    * [**x**](https://gamedev.rs/2)\n\
         ### Europe\n\
         * 2026-09-07 | Oslo, NO | [Rust Meetup](https://www.meetup.com/rust-oslo/)\n    * [**x**](https://www.meetup.com/rust-oslo/events/1234567/)\n\
         * 2026-09-08 | Lima, PE | [Rust Meetup](https://www.meetup.com/rust-lima/)\n    * [**x**](https://www.meetup.com/rust-lima/events/1234567/)\n",
    );
    let sections = vec![(d("2026-09-09"), section)];
    let h = assess(&c, None, &sections, d("2026-09-16"), Options::default());
    let gamedev: Vec<&Uncovered> = h
        .uncovered
        .iter()
        .filter(|u| u.name.to_lowercase() == "rust gamedev")
        .collect();
    assert_eq!(gamedev.len(), 1, "{:#?}", h.uncovered);
    // The page that can carry events gives the link; the chat room is the other one.
    assert_eq!(gamedev[0].link, "https://gamedev.rs/");
    assert_eq!(gamedev[0].also, ["https://discord.gg/gamedev"]);
    assert!(gamedev[0].organizer_entry);
    assert_eq!(gamedev[0].sections, 1, "one section, counted once");
    assert!(to_table(&h).contains("also <https://discord.gg/gamedev>"));
    // Two groups of one name in two countries stay two.
    assert_eq!(
        h.uncovered
            .iter()
            .filter(|u| u.name == "Rust Meetup")
            .count(),
        2
    );
}

#[test]
fn an_organizer_whose_events_its_own_source_reads_is_covered() {
    // A jsonld source at an event page whose JSON-LD names the organizer's profile: the
    // calendar's entry merged with the page's event carries both sources.
    let c = config(&format!(
        "{CAL}[[source]]\nkind = \"jsonld\"\nurl = \"https://mobilizon.fr/events/b857\"\nname = \"Rust Lyon\"\n"
    ));
    let mut outcome = Outcome {
        reports: c.sources.iter().map(report).collect(),
        ..Default::default()
    };
    let mut lyon = calendar_event(
        "Rust Lyon",
        "https://mobilizon.fr/@rust_lyon/",
        "2026-09-24",
    );
    lyon.sources = vec!["Rust Lyon".into(), "Rust Community Calendar".into()];
    outcome.events.push(lyon);
    // The same, read from the calendar only, is not covered.
    let mut other = calendar_event(
        "Rust Dijon",
        "https://mobilizon.fr/@rust_dijon/",
        "2026-09-25",
    );
    other.sources = vec!["Rust Community Calendar".into()];
    outcome.events.push(other);
    let h = assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default());
    let names: Vec<&str> = h.uncovered.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Rust Dijon"]);
}

#[test]
fn without_published_sections_nothing_is_claimed_about_publishing() {
    let (c, mut outcome, sections) = a_troubled_run();
    outcome.reports[4].latest_event = None;
    let h = assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default());
    assert_eq!((h.sections.all, h.sections.dir.as_deref()), (0, None));
    let table = to_table(&h);
    assert!(!table.contains("never"), "{table}");
    assert!(!table.contains("not published"), "{table}");
    assert!(table.contains("no published sections read"), "{table}");
    assert!(
        table.contains("rust-quiet/: no event listed this run; published sections not read"),
        "{table}"
    );
    // With them: from where, how many, which dates; and what was not published there.
    let h = assess(
        &c,
        Some(&outcome),
        &sections,
        d("2026-09-16"),
        Options::default(),
    )
    .read_from(std::path::Path::new("corpus/dir"));
    let table = to_table(&h);
    assert!(
        table.contains("1 published section read from corpus/dir (2026-03-04), the last 1 as recent (2026-03-04)"),
        "{table}"
    );
    assert!(
        table.contains("rust-quiet/: no event listed this run; last published 2026-03-04"),
        "{table}"
    );
    outcome.reports[4].latest_event = None;
    let unpublished = vec![(d("2026-03-04"), Vec::new()), (d("2026-03-11"), Vec::new())];
    let h = assess(
        &c,
        Some(&outcome),
        &unpublished,
        d("2026-09-16"),
        Options::default(),
    )
    .read_from(std::path::Path::new("corpus/dir"));
    assert!(
        to_table(&h).contains(
            "rust-quiet/: no event listed this run; not published in the 2 sections read (2026-03-04 – 2026-03-11)"
        ),
        "{}",
        to_table(&h)
    );
}

/// An uncovered organizer with nothing to add (its [[organizer]] entry names it, its link is a
/// chat room) is counted and named: "uncovered 1" is never left unexplained.
#[test]
fn nothing_to_do_still_names_what_it_counted() {
    let c = config(&format!(
        "{CAL}[[organizer]]\nurl = \"https://discord.gg/gamedev\"\nname = \"Rust GameDev\"\n"
    ));
    let section = parse_section(
        "### Virtual\n\
         * 2026-09-06 | Virtual | [Rust GameDev](https://discord.gg/gamedev)\n    * [**x**](https://gamedev.rs/2)\n",
    );
    let sections = vec![(d("2026-09-09"), section)];
    let h = assess(&c, None, &sections, d("2026-09-16"), Options::default());
    assert!(!h.needs_attention(), "{h:#?}");
    let table = to_table(&h);
    assert!(table.contains("\nuncovered 1 · failed 0"), "{table}");
    assert!(
        table.contains(
            "\nnothing needs attention\n\nnot covered by a source, and nothing to add: 1 organizer named by its [[organizer]] entry, whose link has no events to read\n  Rust GameDev <https://discord.gg/gamedev>"
        ),
        "{table}"
    );
}

/// A group's home is where it meets, not one event's place printed in four sections (Rust
/// Munich's one Augsburg event), and a city over a bare country (`Switzerland, CH`).
#[test]
fn a_home_is_the_groups_city_not_one_events_place() {
    let c = config(CAL);
    let entry = |date: &str, place: &str, name: &str, link: &str, event: &str| {
        format!("* {date} | {place} | [{name}]({link})\n    * [**x**]({event})\n")
    };
    let munich = "https://www.meetup.com/rust-munich/";
    let geneva = "https://www.posttenebraslab.ch/wiki/events/start";
    let mut sections = Vec::new();
    for (i, issue) in ["2026-07-01", "2026-07-08", "2026-07-15", "2026-07-22"]
        .iter()
        .enumerate()
    {
        let mut text = String::from("### Europe\n");
        // One Augsburg event, printed in all four sections.
        text += &entry(
            "2026-07-29",
            "Augsburg, DE",
            "Rust Munich",
            munich,
            "https://www.meetup.com/rust-munich/events/1/",
        );
        if i == 3 {
            text += &entry(
                "2026-08-12",
                "Munich, DE",
                "Rust Munich",
                munich,
                "https://www.meetup.com/rust-munich/events/2/",
            );
        }
        // The Geneva group, printed by country three times, once by its city.
        let place = if i == 0 {
            "Geneva, CH"
        } else {
            "Switzerland, CH"
        };
        let day = format!("2026-07-{:02}", 2 + 7 * i);
        text += &entry(
            &day,
            place,
            "PostTenebrasLab",
            geneva,
            &format!("{geneva}#{i}"),
        );
        sections.push((d(issue), parse_section(&text)));
    }
    let h = assess(&c, None, &sections, d("2026-07-23"), Options::default());
    let home = |name: &str| {
        h.uncovered
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| u.home.clone())
    };
    assert_eq!(
        home("Rust Munich").as_deref(),
        Some("Munich, DE"),
        "{:#?}",
        h.uncovered
    );
    assert_eq!(
        home("PostTenebrasLab").as_deref(),
        Some("Geneva, CH"),
        "{:#?}",
        h.uncovered
    );
    // The recent sections (the last two) print only the country: the city comes from the
    // older ones; the Augsburg event, recent, still does not make Munich's home.
    let options = Options {
        recent: 2,
        ..Options::default()
    };
    let h = assess(&c, None, &sections, d("2026-07-23"), options);
    let home = |name: &str| {
        h.uncovered
            .iter()
            .find(|u| u.name == name)
            .and_then(|u| u.home.clone())
    };
    assert_eq!(
        home("PostTenebrasLab").as_deref(),
        Some("Geneva, CH"),
        "{:#?}",
        h.uncovered
    );
    assert_eq!(
        home("Rust Munich").as_deref(),
        Some("Munich, DE"),
        "{:#?}",
        h.uncovered
    );
}
