//! Organizer links and the organizer directory against what the editors published: every
//! organizer link printed in `../shared/twir-corpus/` passes `link::organizer_page` but for a
//! few, listed (the test skips, with a note, when the corpus is absent); the latest form the
//! editors printed wins, from a published folder (`tests/fixtures/published/`: two sections
//! and a whole post), through the library and the binary.

use chrono::{NaiveDate, TimeZone};
use std::collections::BTreeMap;
use twir_events::config::Config;
use twir_events::link::{NotOrganizerPage, organizer_page};
use twir_events::model::{RawEvent, When};
use twir_events::newsletter::learn::printed_organizers;
use twir_events::newsletter::read::{events_section, parse_section};
use twir_events::newsletter::write::location_field;
use twir_events::normalize::{Directory, normalize};

use crate::common::{Run, root};

/// The most organizer links (distinct) of the corpus the rule may refuse: 30 of 660 on
/// the 261 issues of 2021-09..2026-08, in 100 of 9,933 entries (the list the test prints):
/// event and ticket pages (a meetup event, eventbrite `/e/…`, a luma event, `…/event/<name>`),
/// sign-up forms, a chat invite or page the entry also links as its event, a broken link
/// (`eurorust`), and `rustcc.cn` for "Rust China", which no word of the name names.
const MAX_REFUSED_LINKS: usize = 30;

#[test]
fn the_editors_organizer_links_pass_the_rule() {
    let dir = root().join("../shared/twir-corpus");
    let Ok(files) = std::fs::read_dir(&dir) else {
        eprintln!("note: {} absent, skipping", dir.display());
        return;
    };
    let mut files: Vec<_> = files.flatten().map(|e| e.path()).collect();
    files.sort();
    let (mut checked, mut refused_entries) = (0, 0);
    let mut distinct = std::collections::BTreeSet::new();
    let mut refused: BTreeMap<String, (String, NotOrganizerPage, usize)> = BTreeMap::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        for entry in parse_section(&text) {
            let Some(org) = entry.organizers.first() else {
                continue;
            };
            let url = org.url.as_str();
            if url.is_empty() {
                continue;
            }
            let events: Vec<&str> = entry.title.iter().map(|t| t.url.as_str()).collect();
            checked += 1;
            distinct.insert(url.to_string());
            if let Err(why) = organizer_page(url, &org.text, &events) {
                refused_entries += 1;
                let slot = refused
                    .entry(url.to_string())
                    .or_insert_with(|| (org.text.clone(), why, 0));
                slot.2 += 1;
            }
        }
    }
    for (url, (name, why, n)) in &refused {
        eprintln!("refused: {name} <{url}>: {why} ({n} entries)");
    }
    eprintln!(
        "{checked} organizer links checked ({} distinct); {} distinct links in {refused_entries} entries refused",
        distinct.len(),
        refused.len()
    );
    assert!(checked > 5000, "{checked}");
    assert!(
        refused.len() <= MAX_REFUSED_LINKS,
        "{} links refused (at most {MAX_REFUSED_LINKS})",
        refused.len()
    );
}

/// The fixture's published sections, as the command line reads a `--published` folder: each
/// file's issue date and its "Upcoming Events" section.
fn fixture_sections(
    dir: &str,
) -> Vec<(NaiveDate, Vec<twir_events::newsletter::read::CorpusEntry>)> {
    let dir = root().join(dir);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let date = NaiveDate::parse_from_str(&name[..10], "%Y-%m-%d").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        out.push((date, parse_section(events_section(&text))));
    }
    out
}

/// A calendar entry (a Google Calendar one-off event) linking `link`.
fn calendar_entry(
    title: &str,
    link: &str,
    location: Option<&str>,
    description: Option<&str>,
) -> RawEvent {
    let start = chrono::Utc.with_ymd_and_hms(2027, 3, 9, 18, 0, 0).unwrap();
    let mut raw = RawEvent::new("Rust Community Calendar", title, When::Utc(start));
    raw.url = Some(link.into());
    raw.location = location.map(Into::into);
    raw.description = description.map(Into::into);
    raw
}

#[test]
fn the_editors_latest_form_wins() {
    let config = Config {
        printed: printed_organizers(&fixture_sections("tests/fixtures/published"))
            .into_iter()
            .map(|(_, o)| o)
            .collect(),
        ..Config::default()
    };
    let directory = Directory::from_config(&config);
    let shown = |raw: &RawEvent| {
        let e = normalize(raw, &directory).unwrap().event;
        (
            location_field(&e),
            e.organizer.name.clone(),
            e.organizer.url.clone().unwrap_or_default(),
        )
    };
    // Montreal in 2023, London since 2025: London, and the link printed last.
    let raw = calendar_entry(
        "Community Catch Up",
        "https://www.meetup.com/women-in-rust/events/309000001/",
        Some("Online"),
        None,
    );
    assert_eq!(
        shown(&raw),
        (
            "Virtual (London, UK)".to_string(),
            "Women in Rust".to_string(),
            "https://www.meetup.com/women-in-rust".to_string()
        )
    );
    // `Virtual (Lisbon, PT)` in 2023, bare `Virtual` since: bare.
    let raw = calendar_entry(
        "Async office hours",
        "https://www.meetup.com/rust-lisbon/events/309000002/",
        Some("Online"),
        None,
    );
    assert_eq!(shown(&raw).0, "Virtual");
    // Known by name: the description's first line; a place of only its country is its home.
    let raw = calendar_entry(
        "Meetup #12",
        "https://forms.gle/Zx8cVb7nM6aS5dF4g",
        Some("Germany"),
        Some("Rust Dresden<br>Talks and pizza, sign up below."),
    );
    let n = normalize(&raw, &directory).unwrap();
    assert_eq!(
        (location_field(&n.event), n.event.organizer.url.as_deref()),
        (
            "Dresden, DE".to_string(),
            Some("https://github.com/rust-dresden")
        )
    );
    for note in ["by its name only", "only the country"] {
        assert!(n.notes.iter().any(|m| m.contains(note)), "{:?}", n.notes);
    }
}

#[test]
fn the_published_folder_is_read_from_the_option_or_the_sources_file() {
    let root = root();
    let minimal = root.join("snapshots/minimal");
    let golden = std::fs::read_to_string(root.join("tests/golden/minimal.md")).unwrap();
    let out = Run::new(["render", "--replay"])
        .arg(&minimal)
        .arg("--published")
        .arg(root.join("tests/fixtures/published"))
        .output();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), golden);
    Run::new(["render", "--published", "no/such/folder", "--replay"])
        .arg(&minimal)
        .status(1)
        .stderr_contains("--published no/such/folder")
        .output();
    // The key, relative to the sources file's folder.
    let dir = tempfile::tempdir().unwrap();
    let sources = std::fs::read_to_string(minimal.join("sources.toml")).unwrap();
    std::fs::create_dir(dir.path().join("sections")).unwrap();
    std::fs::copy(
        root.join("tests/fixtures/published/2025-06-04.md"),
        dir.path().join("sections/2025-06-04.md"),
    )
    .unwrap();
    let file = dir.path().join("sources.toml");
    std::fs::write(&file, format!("published = \"sections\"\n\n{sources}")).unwrap();
    Run::new(["render", "--sources"])
        .arg(&file)
        .arg("--replay")
        .arg(&minimal)
        .status(0)
        .stdout(golden)
        .output();
    std::fs::write(&file, format!("published = \"gone\"\n\n{sources}")).unwrap();
    Run::new(["render", "--sources"])
        .arg(&file)
        .arg("--replay")
        .arg(&minimal)
        .status(1)
        .stderr_contains("published =")
        .output();
}

/// An organizer checking a cancelled event its group's page and the calendar both list is told
/// once, naming both sources, as the review report and the page say it (issue 27).
#[test]
fn check_says_an_event_left_out_by_two_sources_once() {
    let out = crate::common::Run::new([
        "check",
        "--replay",
        "snapshots/2026-09-16",
        "https://www.meetup.com/rust-paris/events/316402289/",
    ])
    .status(3)
    .output();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "not listed: \"Rust meetup #89\" on 2026-10-13 (https://www.meetup.com/rust-paris/events/316402289/, \
         from Rust Paris, Rust Community Calendar): cancelled\n"
    );
}
