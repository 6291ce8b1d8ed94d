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

#[test]
fn a_merged_entry_keeps_the_end_of_the_start_it_took() {
    let at = |s: &str| -> chrono::DateTime<chrono::FixedOffset> { s.parse().unwrap() };
    let link = "https://www.meetup.com/rust-berlin/events/291184911/";
    let mut page = Event::example("Hack and Learn", link, "2023-02-02");
    page.start = Some(at("2023-02-02T19:00:00+01:00"));
    page.end = Some(at("2023-02-02T21:30:00+01:00"));
    page.sources = vec!["Rust Berlin".into()];
    let mut cal = page.clone();
    cal.from_page = false;
    cal.in_calendar = true;
    cal.end = Some(at("2023-02-02T22:00:00+01:00"));
    cal.sources = vec!["Rust Community Calendar".into()];
    // The page wins, with its end, whatever the order.
    for events in [
        vec![cal.clone(), page.clone()],
        vec![page.clone(), cal.clone()],
    ] {
        let out = dedupe(&events);
        assert_eq!(out.events.len(), 1);
        assert_eq!(out.events[0].end, page.end);
    }
    // The page says no end: the calendar's, for the same start, is taken.
    let mut no_end = page.clone();
    no_end.end = None;
    let out = dedupe(&[cal.clone(), no_end.clone()]);
    assert_eq!(out.events[0].end, cal.end);
    // The calendar's end belongs to another start (18:00): not taken.
    cal.start = Some(at("2023-02-02T18:00:00+01:00"));
    let out = dedupe(&[cal, no_end]);
    assert_eq!(out.events.len(), 1);
    assert_eq!(out.events[0].start, page.start);
    assert_eq!(out.events[0].end, None);
    // Two calendar entries, one without a time: the start and end come together.
    let mut timed = page.clone();
    timed.from_page = false;
    let mut untimed = timed.clone();
    untimed.start = None;
    untimed.end = None;
    untimed.organizer.name = "A".into();
    let out = dedupe(&[untimed, timed]);
    assert_eq!(out.events.len(), 1);
    assert_eq!(
        (out.events[0].start, out.events[0].end),
        (page.start, page.end)
    );
}

/// `e` from the source `source`, read from a feed (not its page).
fn from_feed(mut e: Event, source: &str) -> Event {
    e.sources = vec![source.into()];
    e.from_page = false;
    e
}

#[test]
fn instances_of_one_series_sharing_a_link_are_not_possible_duplicates() {
    // A weekly hack night whose every calendar instance links the same page.
    let link = "https://rust-hack.example.org/weekly";
    let weekly: Vec<Event> = ["2026-09-02", "2026-09-09", "2026-09-16", "2026-09-23"]
        .iter()
        .map(|d| from_feed(Event::example("Hack night", link, d), "Calendar"))
        .collect();
    let out = dedupe(&weekly);
    assert_eq!(out.events.len(), 4, "every instance is kept");
    assert!(out.possible_duplicates.is_empty(), "{out}");
    // One listing each by two sources, the same link a fortnight apart: one of them has the
    // date wrong, which is worth a look.
    let two = vec![
        from_feed(Event::example("Hack night", link, "2026-09-02"), "Calendar"),
        from_feed(
            Event::example("Hack night", link, "2026-09-16"),
            "Rust Berlin",
        ),
    ];
    let out = dedupe(&two);
    assert_eq!(out.events.len(), 2);
    assert_eq!(
        out.possible_duplicates
            .iter()
            .map(|p| p.code)
            .collect::<Vec<_>>(),
        [SAME_LINK_DIFFERENT_DAYS]
    );
}

#[test]
fn a_pair_of_printed_entries_is_one_possible_duplicate_however_many_sources_list_them() {
    let at = |e: &mut Event, hour: u32| {
        let day = e.start_date.and_hms_opt(hour, 0, 0).unwrap();
        let offset = chrono::FixedOffset::east_opt(3600).unwrap();
        e.start = Some(day.and_local_timezone(offset).unwrap());
    };
    let event_page = "https://www.meetup.com/rust-berlin/events/311/";
    // The group's page and the calendar list the 18:00 session (one event: the same link)...
    let mut page = Event::example("Rust Study Hack", event_page, "2026-09-02");
    page.sources = vec!["Rust Berlin".into()];
    at(&mut page, 18);
    let mut calendar = from_feed(page.clone(), "Calendar");
    calendar.title = "Rust Berlin: Rust Study Hack".into();
    // ... and the calendar lists it again at 19:00, linking the group's page.
    let mut again = from_feed(calendar.clone(), "Calendar");
    again.url = "https://www.meetup.com/rust-berlin/".into();
    at(&mut again, 19);
    let out = dedupe(&[page, calendar, again]);
    assert_eq!(out.events.len(), 2, "{out}");
    assert_eq!(out.possible_duplicates.len(), 1, "{out}");
}
