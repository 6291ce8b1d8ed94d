//! Organizer links and the organizer directory against what the editors published: every
//! organizer link printed in `../shared/twir-corpus/` passes `link::organizer_page` but for a
//! few, listed (the test skips, with a note, when the corpus is absent).

use std::collections::BTreeMap;
use std::path::Path;
use twir_events::link::{NotOrganizerPage, organizer_page};
use twir_events::newsletter::read::parse_section;

/// The most organizer links (distinct) of the corpus the rule may refuse: 30 of 660 on
/// the 261 issues of 2021-09..2026-08, in 100 of 9,933 entries (the list the test prints):
/// event and ticket pages (a meetup event, eventbrite `/e/…`, a luma event, `…/event/<name>`),
/// sign-up forms, a chat invite or page the entry also links as its event, a broken link
/// (`eurorust`), and `rustcc.cn` for "Rust China", which no word of the name names.
const MAX_REFUSED_LINKS: usize = 30;

#[test]
fn the_editors_organizer_links_pass_the_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/twir-corpus");
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
