//! The entry points the fuzzers drive (`fuzz/fuzz_targets/*.rs`) and the bounded CI pass
//! (`tests/fuzz_smoke.rs`) replays: each takes arbitrary bytes and runs one reader the way a
//! run does. None may panic, hang or allocate without bound on any input; each checks the
//! few invariants its reader promises.

use crate::config::Config;
use crate::model::{When, Window};
use crate::pipeline::Outcome;
use crate::sources::{Parsed, ical, jsonld, luma, meetup};

/// The windows the iCal target expands in: a recent one, one at the start of the corpus,
/// and one at the far edge of what calendars hold.
fn windows() -> [Window; 3] {
    let d = |s: &str| s.parse().expect("a fixed date");
    [
        Window {
            from: d("2026-08-19"),
            to: d("2026-09-16"),
        },
        Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        },
        Window {
            from: d("1999-12-20"),
            to: d("2000-01-17"),
        },
    ]
}

/// What every reader promises about its events: an all-day event ends on or after its start
/// (a page's `endDate` before its `startDate` is dropped with a warning).
fn check_parsed(p: &Parsed, what: &str) {
    for e in &p.events {
        if let (When::Date(s), Some(When::Date(end))) = (&e.start, &e.end) {
            assert!(
                end >= s,
                "{what}: an all-day event ends before it starts: {e:?}"
            );
        }
    }
}

/// The iCal reader: byte-level unfolding and decoding, then parsing and expansion.
pub fn ical(data: &[u8]) {
    let text = ical::decode(data);
    // One of the windows per input (by its length), so that each run costs one expansion.
    let w = windows()[data.len() % 3];
    if let Ok(p) = ical::parse(&text, "https://fuzz.example/basic.ics", "fuzz", &w) {
        check_parsed(&p, "ical");
    }
}

/// The meetup group and event page readers.
pub fn meetup(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let events = crate::site::meetup_com::group_events_page("fuzz");
    if let Ok(p) = meetup::parse_group_page(&text, &events, "fuzz") {
        check_parsed(&p, "meetup group page");
    }
    if let Ok(p) = meetup::parse_event_page(&text, &format!("{events}315000001/"), "fuzz") {
        check_parsed(&p, "meetup event page");
    }
}

/// The schema.org JSON-LD / luma page reader.
pub fn jsonld(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let url = format!("https://{}/fuzz", crate::site::luma_com::HOST);
    if let Ok(p) = jsonld::parse_page(&text, &url, "fuzz") {
        check_parsed(&p, "JSON-LD page");
    }
}

/// The luma calendar reader: the page's id and name, and the feed read with luma's
/// conventions (the same bytes read both ways: a page and a feed are strangers' text alike).
pub fn luma(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let page = luma::read_page(&text);
    if let Some(id) = &page.id {
        assert!(id.starts_with("cal-") && id.len() <= 40, "{id:?}");
        assert!(id[4..].chars().all(|c| c.is_ascii_alphanumeric()), "{id:?}");
    }
    if let Some(name) = &page.name {
        assert!(!name.contains('\n') && name.chars().count() <= crate::text::MAX_NAME + 1);
    }
    let w = windows()[data.len() % 3];
    let feed = ical::decode(data);
    if let Ok(p) = luma::parse_feed(&feed, crate::site::luma_com::FEED_ENDPOINT, "fuzz", &w) {
        check_parsed(&p, "luma feed");
        for e in &p.events {
            assert!(
                e.status != crate::model::Status::Tentative,
                "TENTATIVE is scheduled"
            );
        }
    }
}

/// A snapshot's `manifest.json`.
pub fn manifest(data: &[u8]) {
    let _ = crate::fetch::replay::check_manifest(data);
}

/// `sources.toml`: parsed, or an error that names the file.
pub fn sources_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = Config::parse(&text, "fuzz.toml") {
        assert!(e.to_string().contains("fuzz.toml"), "{e}");
    }
}

/// The draft reader: a published section read back, and a draft updated in place (with no
/// events from sources, so the draft's own entries are what is kept or removed).
pub fn draft(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let entries = crate::newsletter::read::parse_section(&text);
    for e in &entries {
        let _ = crate::newsletter::read::to_event(e);
    }
    let [window, ..] = windows();
    if let Ok(update) = crate::update::update_draft(&text, &Outcome::default(), &window, &[]) {
        assert!(update.updated.is_empty() && update.added.is_empty());
        assert!(update.adds_up(), "{update:?}");
        let again = crate::update::update_draft(&update.text, &Outcome::default(), &window, &[]);
        assert_eq!(
            again.map(|u| u.text).as_ref(),
            Ok(&update.text),
            "not idempotent"
        );
    }
}

/// A target: its name and its entry point.
pub type Target = (&'static str, fn(&[u8]));

/// The targets by name, for the CI pass.
pub const TARGETS: [Target; 7] = [
    ("ical", ical),
    ("meetup", meetup),
    ("jsonld", jsonld),
    ("luma", luma),
    ("manifest", manifest),
    ("sources_toml", sources_toml),
    ("draft", draft),
];
