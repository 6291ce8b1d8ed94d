//! Carry-over: what the last good run verified is not undone by an outage.
//!
//! `json --out` and `publish` refresh a file hour after hour while a few sources fail each
//! time. The previous run's events that a source not trusted this time (failed or suspect)
//! reported, and its verified events whose event page could not be read this time (a calendar
//! entry's page on a host no source covers), re-enter the run *before deduplication*, marked
//! [`Event::carried`], with the authority they had (`from_page`: the file's `verified`):
//!
//! - they are deduplicated with this run's entries by the same rules ([`dedupe::dedupe`]), so
//!   a carried event and the calendar's less precise copy of it are one entry, not two;
//! - among duplicates, page facts win (`dedupe`'s rule): a date, place or event link an event
//!   page gave the last good run wins over the calendar's unverified entry while that page's
//!   source is down; a page read this time wins over the carried copy (its source answered
//!   again, and its new answer stands, a moved date included);
//! - what an event page said last time is cancelled or postponed stays so while the page is
//!   not read again (it cannot be read, or nothing links it this time): a feed's entry linking
//!   it (the calendar's, unverified) stays left out;
//! - a carried event that is no duplicate (nor mirror) of any entry of this run stays only
//!   when every source that reported it failed or is suspect, and none of them listed its
//!   event link again: a source that answered without it (it was cancelled, moved away,
//!   removed), or with it on another day, has the last word. A mirrored session counts
//!   as reported by each of its groups: while the primary's group is down, the carried entry
//!   keeps it primary over the mirrors' live copies (`in_calendar`).
//!
//! Pure: the previous events come in as [`Event`]s (the CLI reads the file,
//! `render::json::previous_events`).
//!
//! What is carried over says so wherever it is shown: `stale` and `last_seen` in the JSON file,
//! "not confirmed this time: last seen …" on the page and in the feeds
//! (`render::carried_note`), the count on its source's row and its stderr line.

use super::{LeftOut, Outcome};
use crate::dedupe::{self, identity};
use crate::model::{Event, Window};
use crate::normalize::match_key;
use std::collections::{HashMap, HashSet};

/// The previous run's file, as a run needs it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Previous {
    /// Its events (`render::json::previous`: `verified` as `from_page`, marked `carried`).
    pub events: Vec<Event>,
    /// What event pages said is cancelled or postponed (`LeftOut::called_off_on_page` set).
    pub called_off: Vec<LeftOut>,
}

/// Brings the `previous` run's events of this run's failed and suspect sources into
/// `outcome` (see the module documentation): its events, merges and possible duplicates are
/// those of deduplicating this run's entries and the carried ones together.
pub fn carry_over(outcome: &mut Outcome, previous: Previous, window: &Window) {
    let removed = keep_called_off(outcome, previous.called_off, *window);
    let untrusted: HashSet<&str> = outcome
        .reports
        .iter()
        .filter(|r| !r.trusted())
        .map(|r| r.label.as_str())
        .collect();
    // Event pages that could not be read: what a previous run verified on them still holds.
    let unreadable: HashSet<&str> = outcome
        .unverified
        .iter()
        .filter_map(|u| u.page.as_deref())
        .collect();
    let page_down = |e: &Event| e.from_page && unreadable.contains(match_key(&e.url).as_str());
    let candidates: Vec<Event> = previous
        .events
        .into_iter()
        .filter(|e| window.overlaps(e.start_date, e.end_date))
        .filter(|e| e.sources.iter().any(|s| untrusted.contains(s.as_str())) || page_down(e))
        .map(|mut e| {
            e.carried = true;
            e
        })
        .collect();
    if candidates.is_empty() && !removed {
        return;
    }
    let live = outcome.undeduplicated.len();
    let mut all = outcome.undeduplicated.clone();
    all.extend(candidates);
    let first = dedupe::dedupe(&all);
    let keep = kept(&all, live, &first.entry_of, &untrusted);
    let deduped = if keep.iter().all(|k| *k) {
        first
    } else {
        let mut i = 0;
        all.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        dedupe::dedupe(&all)
    };
    count_carried(outcome, &all, live, &deduped.entry_of);
    outcome.events = deduped.events;
    outcome.merges = deduped.merges;
    outcome.possible_duplicates = deduped.possible_duplicates;
    for note in deduped.notes {
        if !outcome.notes.contains(&note) {
            outcome.notes.push(note);
        }
    }
    outcome.undeduplicated = all;
}

/// What the last run's event pages called off, and this run did not read again (the page
/// could not be read, or no entry linked it): still called off. A feed's entry linking such a
/// page (unverified) is left out again; the fact stays in `dropped` while it touches the
/// window. Returns whether an entry was left out.
fn keep_called_off(outcome: &mut Outcome, called_off: Vec<LeftOut>, window: Window) -> bool {
    const AS_LAST_READ: &str = " (as its event page said when last read)";
    let page_of = |l: &LeftOut| l.called_off_on_page.as_deref().map(match_key);
    // Pages read this time: what they say now stands.
    let read_now: HashSet<String> = outcome
        .dropped
        .iter()
        .filter_map(page_of)
        .chain(
            outcome
                .undeduplicated
                .iter()
                .filter(|e| e.from_page)
                .map(|e| match_key(&e.url)),
        )
        .collect();
    let still: Vec<LeftOut> = called_off
        .into_iter()
        .filter(|l| page_of(l).is_some_and(|k| !read_now.contains(&k)))
        .filter(|l| super::build::touches(&l.event, window))
        .collect();
    let keys: HashSet<String> = still.iter().filter_map(page_of).collect();
    let before = outcome.undeduplicated.len();
    outcome
        .undeduplicated
        .retain(|e| e.from_page || !keys.contains(&match_key(&e.url)));
    for mut l in still {
        if !l.reason.ends_with(AS_LAST_READ) {
            l.reason.push_str(AS_LAST_READ);
        }
        outcome.dropped.push(l);
    }
    outcome.undeduplicated.len() < before
}

/// Which of `all` (this run's `live` entries, then the carried ones) stay: this run's, and
/// the carried ones merged with one of them (as a duplicate or a mirror: `entry_of`); a
/// carried one alone only when every source of it failed or is suspect, and none of them
/// reported its event link again this time (a suspect source's answer, on another day, is
/// its new answer).
fn kept(all: &[Event], live: usize, entry_of: &[usize], untrusted: &HashSet<&str>) -> Vec<bool> {
    let entries = entry_of.iter().max().map_or(0, |m| m + 1);
    let mut has_live = vec![false; entries];
    for &k in &entry_of[..live] {
        has_live[k] = true;
    }
    let key = |e: &Event| identity::event_key(&e.url, e.organizer.url.as_deref());
    let mut reported: HashMap<String, HashSet<&str>> = HashMap::new();
    for e in &all[..live] {
        if let Some(k) = key(e) {
            reported
                .entry(k)
                .or_default()
                .extend(e.sources.iter().map(String::as_str));
        }
    }
    let alone = |e: &Event| {
        let again = key(e)
            .and_then(|k| reported.get(&k))
            .is_some_and(|by| e.sources.iter().any(|s| by.contains(s.as_str())));
        e.sources.iter().all(|s| untrusted.contains(s.as_str())) && !again
    };
    (0..all.len())
        .map(|i| i < live || has_live[entry_of[i]] || alone(&all[i]))
        .collect()
}

/// Each untrusted source's `carried_over`: the carried events (`all[live..]`) naming it that
/// are listed, alone or merged, where it did not report the event again itself (a suspect
/// source's remaining answers are this run's). `entry_of`: the listed entry of each of `all`.
fn count_carried(outcome: &mut Outcome, all: &[Event], live: usize, entry_of: &[usize]) {
    let entries = entry_of.iter().max().map_or(0, |m| m + 1);
    let mut reported: Vec<HashSet<&str>> = vec![HashSet::new(); entries];
    for (e, &k) in all[..live].iter().zip(entry_of) {
        reported[k].extend(e.sources.iter().map(String::as_str));
    }
    for r in outcome.reports.iter_mut().filter(|r| !r.trusted()) {
        r.carried_over = all[live..]
            .iter()
            .zip(&entry_of[live..])
            .filter(|(e, k)| {
                e.sources.contains(&r.label) && !reported[**k].contains(r.label.as_str())
            })
            .count();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attendance, Organizer, Region};
    use crate::pipeline::SourceReport;

    const CAL: &str = "Rust Community Calendar";
    const GROUP: &str = "OpenTechSchool Berlin";

    fn window() -> Window {
        Window {
            from: "2023-02-01".parse().unwrap(),
            to: "2023-03-01".parse().unwrap(),
        }
    }

    fn report(label: &str, error: Option<&str>) -> SourceReport {
        SourceReport {
            state: crate::run::SourceStatus::of_test(error, None),
            ..SourceReport::new(
                crate::config::SourceKind::Meetup,
                "https://example.org/",
                label,
            )
        }
    }

    /// The group's virtual event as its page gives it (the last good run's), and the
    /// calendar's copy: the group's root as link, no page facts.
    fn page_event(date: &str, sources: &[&str]) -> Event {
        Event {
            attendance: Attendance::Virtual,
            place: None,
            regions: vec![Region::Virtual],
            organizer: Organizer {
                name: GROUP.into(),
                url: Some("https://www.meetup.com/opentechschool-berlin/".into()),
                home: None,
            },
            sources: sources.iter().map(|s| (*s).to_string()).collect(),
            ..Event::example(
                "Rust Hack and Learn",
                "https://www.meetup.com/opentechschool-berlin/events/zdrzpsyfcdbsb/",
                date,
            )
        }
    }

    fn calendar_copy(date: &str, url: &str) -> Event {
        Event {
            url: url.into(),
            from_page: false,
            in_calendar: true,
            ..page_event(date, &[CAL])
        }
    }

    fn outcome(live: Vec<Event>, reports: Vec<SourceReport>) -> Outcome {
        let deduped = dedupe::dedupe(&live);
        Outcome {
            events: deduped.events,
            undeduplicated: live,
            reports,
            ..Outcome::default()
        }
    }

    const ROOT: &str = "https://www.meetup.com/opentechschool-berlin/";

    /// Carry-over of the previous file's `events` (no page called anything off).
    fn carry(o: &mut Outcome, events: Vec<Event>) {
        let called_off = vec![];
        carry_over(o, Previous { events, called_off }, &window());
    }

    #[test]
    fn a_carried_page_event_is_merged_with_the_calendars_copy_and_its_facts_win() {
        let previous = vec![page_event("2023-02-14", &[GROUP, CAL])];
        let mut o = outcome(
            vec![calendar_copy("2023-02-14", ROOT)],
            vec![report(CAL, None), report(GROUP, Some("HTTP status 500"))],
        );
        carry(&mut o, previous);
        assert_eq!(o.events.len(), 1, "{:#?}", o.events);
        let e = &o.events[0];
        assert!(e.url.ends_with("/events/zdrzpsyfcdbsb/"), "{}", e.url);
        assert!(e.carried && e.from_page && e.in_calendar);
        assert_eq!(e.sources, [GROUP, CAL]);
        assert_eq!(o.merges.len(), 1);
        let carried: Vec<usize> = o.reports.iter().map(|r| r.carried_over).collect();
        assert_eq!(carried, [0, 1]);
    }

    #[test]
    fn a_carried_page_date_wins_over_the_calendars_while_the_page_is_down() {
        let url = "https://www.meetup.com/opentechschool-berlin/events/zdrzpsyfcdbsb/";
        let previous = vec![page_event("2023-02-20", &[GROUP, CAL])];
        let mut o = outcome(
            vec![calendar_copy("2023-02-21", url)],
            vec![report(CAL, None), report(GROUP, Some("HTTP status 500"))],
        );
        carry(&mut o, previous);
        assert_eq!(o.events.len(), 1);
        assert_eq!(o.events[0].start_date.to_string(), "2023-02-20");
    }

    #[test]
    fn a_source_that_answers_again_has_the_last_word() {
        // The page answers with a new date; the calendar is down: the new date stands, and
        // the carried copy (another day, same link) does not come back beside it.
        let previous = vec![page_event("2023-02-14", &[GROUP, CAL])];
        let mut o = outcome(
            vec![page_event("2023-02-16", &[GROUP])],
            vec![report(CAL, Some("HTTP status 500")), report(GROUP, None)],
        );
        carry(&mut o, previous.clone());
        assert_eq!(o.events.len(), 1, "{:#?}", o.events);
        assert_eq!(o.events[0].start_date.to_string(), "2023-02-16");
        assert!(!o.events[0].carried);
        // The page answers without it (cancelled): it is not carried over.
        let mut o = outcome(
            vec![],
            vec![report(CAL, Some("HTTP status 500")), report(GROUP, None)],
        );
        carry(&mut o, previous.clone());
        assert!(o.events.is_empty(), "{:#?}", o.events);
        // Same day, live page: one entry, this run's facts (the group renamed itself: the
        // carried copy's organizer would come first by name).
        let mut live = page_event("2023-02-14", &[GROUP]);
        live.title = "Rust Hack and Learn (new room)".into();
        live.organizer.name = "OTS Berlin".into();
        let mut o = outcome(
            vec![live],
            vec![report(CAL, Some("HTTP status 500")), report(GROUP, None)],
        );
        carry(&mut o, previous);
        assert_eq!(o.events.len(), 1);
        assert_eq!(o.events[0].title, "Rust Hack and Learn (new room)");
        assert!(!o.events[0].carried);
        assert_eq!(o.events[0].sources, [GROUP, CAL]);
    }

    #[test]
    fn a_page_that_could_not_be_read_keeps_what_it_said_last_time() {
        // The calendar answers, but the entry's event page does not: the page's date of the
        // last good run wins over the calendar's while the page is down.
        let url = "https://www.meetup.com/rust-munich/events/291120384/";
        let previous = vec![Event {
            url: url.into(),
            sources: vec![CAL.into()],
            in_calendar: true,
            ..page_event("2023-02-22", &[])
        }];
        let unverified = |page: Option<&str>| {
            crate::pipeline::Unverified::of_test(
                "the calendar's entry",
                "2023-02-23",
                "HTTP status 500; kept the calendar's data",
                page,
            )
        };
        let mut o = outcome(
            vec![calendar_copy("2023-02-23", url)],
            vec![report(CAL, None)],
        );
        o.unverified = vec![unverified(Some("meetup.com/rust-munich/events/291120384"))];
        carry(&mut o, previous.clone());
        assert_eq!(o.events.len(), 1);
        assert_eq!(o.events[0].start_date.to_string(), "2023-02-22");
        assert!(o.events[0].carried && o.events[0].from_page);
        assert_eq!(o.reports[0].carried_over, 0, "the calendar did not fail");
        // The page answered (about another instance): nothing to carry.
        let mut o = outcome(
            vec![calendar_copy("2023-02-23", url)],
            vec![report(CAL, None)],
        );
        o.unverified = vec![unverified(None)];
        carry(&mut o, previous);
        assert_eq!(o.events.len(), 1);
        assert_eq!(o.events[0].start_date.to_string(), "2023-02-23");
    }

    #[test]
    fn what_a_page_called_off_stays_off_while_the_page_is_not_read_again() {
        let url = "https://www.meetup.com/rust-munich/events/291120384/";
        let fact = |date: &str| {
            let mut raw = crate::model::RawEvent::new(
                CAL,
                "Rust Munich: Meetup #12",
                crate::model::When::Date(date.parse().unwrap()),
            );
            let page = "https://www.meetup.com/de-DE/rust-munich/events/291120384";
            raw.url = Some(page.into());
            LeftOut {
                event: raw,
                date: date.parse().unwrap(),
                reason: "cancelled".into(),
                called_off_on_page: Some(page.into()),
            }
        };
        let previous = |date: &str| Previous {
            events: vec![],
            called_off: vec![fact(date)],
        };
        // The page cannot be read; the calendar lists the event as if it took place.
        let mut o = outcome(
            vec![calendar_copy("2023-02-22", url)],
            vec![report(CAL, None)],
        );
        o.unverified = vec![crate::pipeline::Unverified::of_test(
            "the calendar's entry",
            "2023-02-22",
            "HTTP status 500; kept the calendar's data",
            Some("meetup.com/rust-munich/events/291120384"),
        )];
        carry_over(&mut o, previous("2023-02-22"), &window());
        assert!(o.events.is_empty(), "{:#?}", o.events);
        assert_eq!(o.dropped.len(), 1);
        assert_eq!(
            o.dropped[0].reason,
            "cancelled (as its event page said when last read)"
        );
        // The next hour, the calendar is down: nothing links the page, the fact stays (once).
        let mut next = outcome(vec![], vec![report(CAL, Some("HTTP status 500"))]);
        let again = Previous {
            events: vec![],
            called_off: o.dropped.clone(),
        };
        carry_over(&mut next, again, &window());
        assert_eq!(next.dropped, o.dropped);
        // The page is read again and says the event takes place: it is listed, the fact gone.
        let live = Event {
            url: url.into(),
            ..page_event("2023-02-22", &[CAL])
        };
        let mut o = outcome(vec![live], vec![report(CAL, None)]);
        carry_over(&mut o, previous("2023-02-22"), &window());
        assert_eq!(o.events.len(), 1);
        assert!(o.dropped.is_empty());
        // Outside the window now: forgotten.
        let mut o = outcome(vec![], vec![report(CAL, None)]);
        carry_over(&mut o, previous("2023-01-10"), &window());
        assert!(o.dropped.is_empty());
    }

    #[test]
    fn a_suspect_source_listing_the_event_on_another_day_has_the_last_word() {
        // The calendar collapsed (suspect) but still lists the event, moved by two weeks; the
        // previous file had it from the calendar alone.
        let url = "https://www.meetup.com/opentechschool-berlin/events/290852327/";
        let previous = vec![calendar_copy("2023-02-14", url)];
        let mut cal = report(CAL, None);
        cal.state = crate::run::SourceStatus::Suspect(crate::run::SuspectReason::Collapse {
            now: 1,
            explained: 0,
            previous: 9,
        });
        let mut o = outcome(vec![calendar_copy("2023-02-28", url)], vec![cal]);
        carry(&mut o, previous);
        let dates: Vec<String> = o.events.iter().map(|e| e.start_date.to_string()).collect();
        assert_eq!(dates, ["2023-02-28"]);
    }

    #[test]
    fn an_event_of_failed_sources_only_is_kept_and_nothing_else_is_touched() {
        let previous = vec![
            page_event("2023-02-14", &[GROUP, CAL]),
            // Outside the window now.
            page_event("2023-01-31", &[GROUP]),
        ];
        let mut o = outcome(
            vec![],
            vec![
                report(CAL, Some("HTTP status 500")),
                report(GROUP, Some("HTTP status 404")),
            ],
        );
        carry(&mut o, previous.clone());
        assert_eq!(o.events.len(), 1);
        assert!(o.events[0].carried);
        let carried: Vec<usize> = o.reports.iter().map(|r| r.carried_over).collect();
        assert_eq!(carried, [1, 1]);
        // Every source answered: the previous file says nothing.
        let live = calendar_copy("2023-02-14", ROOT);
        let mut o = outcome(
            vec![live.clone()],
            vec![report(CAL, None), report(GROUP, None)],
        );
        carry(&mut o, previous);
        assert_eq!(o.events, [live]);
    }
}
