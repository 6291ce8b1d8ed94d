//! The shipped sources files load: the commented example and the real sources.toml.

use twir_events::config::{Config, SourceKind};

use crate::common::root;

#[test]
fn example_sources_file_loads() {
    use SourceKind::*;
    let c = Config::load(&root().join("sources.example.toml")).expect("example loads");
    let kinds: Vec<SourceKind> = c.sources.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, vec![Ical, Ical, Meetup, Meetup, Luma, Jsonld]);
    // The community calendar is many organizers' feed; the conference's is one organizer's.
    assert_eq!(c.sources[0].organizer, None);
    assert_eq!(
        c.sources[1].organizer.as_deref(),
        Some("https://rustconf.com/")
    );
    assert_eq!(
        c.sources[2]
            .home
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Dallas, TX, US")
    );
    assert_eq!(c.sources[3].keywords, vec!["rust".to_string()]);
    assert_eq!(c.organizers.len(), 1);
    assert_eq!(c.published, None);
    // Its `published` key, uncommented, loads too; written after a table it is that table's
    // unknown field, refused with the hint.
    let text = std::fs::read_to_string(root().join("sources.example.toml")).unwrap();
    let on = text.replacen("# published = ", "published = ", 1);
    assert_ne!(on, text, "the example documents published");
    let c = Config::parse(&on, "sources.example.toml").expect("with published");
    assert_eq!(c.published.as_deref(), Some("../this-week-in-rust/content"));
    let late = format!("{text}\npublished = \"sections\"\n");
    let e = Config::parse(&late, "s.toml").unwrap_err();
    assert!(e.message.contains("published"), "{e}");
    let e = Config::parse("published = 3\n", "s.toml").unwrap_err();
    assert!(e.line == 1, "{e}");
}

#[test]
fn real_sources_file_lists_calendar_and_every_tracked_group() {
    let c = Config::load(&root().join("sources.toml")).expect("sources.toml loads");
    let ical: Vec<_> = c
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Ical)
        .collect();
    assert_eq!(ical.len(), 1);
    assert!(
        ical[0]
            .url
            .contains("apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com")
    );
    let meetup = c
        .sources
        .iter()
        .filter(|s| s.kind == SourceKind::Meetup)
        .count();
    // + 3 Rust groups the newsletter publishes that the tracked list lacks (found by `health`).
    assert_eq!(meetup, 122 + 26 + 3);
    let with_keywords = c.sources.iter().filter(|s| !s.keywords.is_empty()).count();
    assert_eq!(with_keywords, 26);
    // When the shared data is present, the file matches it exactly.
    let shared = root().join("../shared/data/rust-meetups.json");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        let groups: Vec<String> = serde_json::from_str(&text).unwrap();
        for g in groups {
            let want = g.trim_end_matches("events/").to_string();
            assert!(
                c.sources
                    .iter()
                    .any(|s| s.url == want && s.keywords.is_empty()),
                "{want} missing from sources.toml"
            );
        }
    }
}
