use super::pairs::candidates;
use super::*;
use crate::model::Attendance;

/// `n` entries by `n` groups, all at one instant (a hostile or broken feed), titled by `title`.
fn crowd(n: usize, title: impl Fn(usize) -> String) -> Vec<Event> {
    (0..n)
        .map(|i| {
            let mut e = Event::example(
                &title(i),
                &format!("https://www.meetup.com/group-{i}/events/{}/", 1000 + i),
                "2026-12-02",
            );
            e.organizer.name = format!("Group {i}");
            e.organizer.url = Some(format!("https://www.meetup.com/group-{i}/"));
            e
        })
        .collect()
}

#[test]
fn comparisons_grow_with_entries_not_their_square() {
    // 2,000 entries on one day sharing the word "night": compared in blocks, not pairwise.
    let events = crowd(2000, |i| format!("Hack night {i}"));
    let fs: Vec<Facts> = events.iter().map(facts).collect();
    let (pairs, notes) = candidates(&events, &fs);
    assert!(pairs.len() < 2000 * 4, "{} pairs", pairs.len());
    assert!(
        notes
            .iter()
            .any(|n| n.contains("2000 entries on 2026-12-02 share the word \"hack\"")),
        "{notes:?}"
    );
    let out = dedupe(&events);
    assert_eq!(out.events.len(), 2000);
}

#[test]
fn copies_of_one_entry_still_merge_in_an_oversized_block() {
    let mut events = crowd(1, |_| "Rust Berlin Hack and Learn".into());
    let copy = events[0].clone();
    events.extend(std::iter::repeat_n(copy, 1999));
    let out = dedupe(&events);
    assert_eq!(out.events.len(), 1);
    assert!(!out.notes.is_empty());
}

#[test]
fn small_inputs_compare_as_every_pair() {
    let mut events = crowd(30, |i| format!("Session {}", i % 3));
    for (i, e) in events.iter_mut().enumerate() {
        e.attendance = Attendance::Virtual;
        e.regions = vec![Region::Virtual];
        e.start = (i % 2 == 0).then(|| "2026-12-02T18:00:00Z".parse().unwrap());
    }
    let blocked = dedupe(&events);
    assert!(blocked.notes.is_empty());
    assert!(!blocked.merges.is_empty(), "mirrors expected");
    assert_eq!(blocked, dedupe_every_pair(&events));
}
