//! Suspicious answers are not the truth: a source that answers, but with no events where
//! events are expected, or with far fewer than its previous run, is reported as **suspect**
//! (`SourceReport::suspect`). A suspect source counts like a failed one: exit 2, and with
//! `json --out` its previous events are carried over as stale instead of being dropped.
//!
//! The rules (pure functions; the pipeline and the CLI apply them):
//!
//! - **Empty calendar** ([`screen`]): an iCal source answering a valid VCALENDAR without a
//!   single VEVENT. The Rust Community Calendar holds its whole history, and an organizer's
//!   calendar keeps its past events, so an empty one is a broken export, an emptied or
//!   replaced calendar, or a wrong URL. (A calendar whose events all fall outside the window
//!   is normal and not suspect.)
//! - **Page without event data** ([`screen`]): a meetup or JSON-LD page source answering a
//!   page its reader finds no event data in at all (no Apollo cache with the group or events,
//!   no schema.org event: a login wall, an error or consent page served with status 200, a new
//!   markup). The readers only refuse a page for that reason. A meetup group with no upcoming
//!   events is normal: its page still holds the group's data and reads as zero events.
//! - **Collapse against the previous run** ([`against_previous`], `json --out` only): the
//!   previous file listed at least [`COLLAPSE_MIN_PREVIOUS`] events from the source that fall
//!   in the new window, and the source now accounts for fewer than a third of that many:
//!   its events now in the window, plus the previous ones it still reports but left out
//!   (cancelled, postponed, no link…), moved outside the window, or that its keywords filtered.
//!   One or two events disappearing, a small group's only event being cancelled, or a window
//!   moving past a busy week does not fire; a calendar answering a handful of entries instead
//!   of its usual dozens does.

use crate::dedupe::identity::canonical;
use crate::model::Window;
use crate::run::{Outcome, PreviousEvent, PreviousRun, SuspectReason};
use crate::sources::kind::SuspectWhen;
use crate::sources::{Parsed, SourceError};
use std::collections::HashSet;

/// Below this many previous events in the window, a drop is ordinary variation.
pub const COLLAPSE_MIN_PREVIOUS: usize = 4;

/// Looks at a source's answer (`body`, which was fetched with a 2xx status) and what its
/// reader made of it. Returns the result to go on with, and the suspect reason if any. A page
/// source's refusal becomes "suspect, no events" (not a failure of the run); an iCal reader's
/// refusal (not a calendar at all) stays a failure.
pub fn screen(
    when: SuspectWhen,
    body: &[u8],
    result: Result<Parsed, SourceError>,
) -> (Result<Parsed, SourceError>, Option<SuspectReason>) {
    match (when, result) {
        // Events in the window prove there was a VEVENT: the body is scanned only otherwise.
        (SuspectWhen::EmptyCalendar, Ok(parsed))
            if parsed.events.is_empty() && !has_vevent(body) =>
        {
            (Ok(parsed), Some(SuspectReason::EmptyCalendar))
        }
        (SuspectWhen::PageWithoutEventData, Err(e)) => (
            Ok(Parsed::default()),
            Some(SuspectReason::PageWithoutEventData(e.message)),
        ),
        (_, result) => (result, None),
    }
}

/// Whether an iCalendar body holds a `BEGIN:VEVENT` line (content lines unfolded, any case,
/// surrounding blanks ignored). Invalid UTF-8 is read lossily: only ASCII is looked for.
pub fn has_vevent(body: &[u8]) -> bool {
    // One pass over the bytes, no copy of the body: each logical line is matched against
    // "BEGIN:VEVENT" as it goes. Hand-written because the iCal reader's own unfolding lives
    // inside it and allocates the unfolded document; this needs a yes/no on ASCII only.
    const WANTED: &[u8] = b"BEGIN:VEVENT";
    let mut matched = 0usize; // bytes of WANTED matched so far on this line
    let mut ok = true; // the line so far is blanks + a prefix of WANTED (+ blanks)
    let mut i = 0;
    let end_of_line = |matched: usize, ok: bool| ok && matched == WANTED.len();
    while i < body.len() {
        let b = body[i];
        if b == b'\r' || b == b'\n' {
            let next = if b == b'\r' && body.get(i + 1) == Some(&b'\n') {
                i + 2
            } else {
                i + 1
            };
            // Unfolding (RFC 5545 §3.1): a line break then a space or tab continues the line.
            if matches!(body.get(next), Some(b' ' | b'\t')) {
                i = next + 1;
                continue;
            }
            if end_of_line(matched, ok) {
                return true;
            }
            (matched, ok) = (0, true);
            i = next;
            continue;
        }
        if ok {
            if matched < WANTED.len() && b.eq_ignore_ascii_case(&WANTED[matched]) {
                matched += 1;
            } else if !(b == b' ' || b == b'\t') || (matched > 0 && matched < WANTED.len()) {
                ok = false;
            }
        }
        i += 1;
    }
    end_of_line(matched, ok)
}

/// The collapse rule: `previous` events of a source in the window last time, `accounted` now.
pub fn collapsed(previous: usize, accounted: usize) -> bool {
    previous >= COLLAPSE_MIN_PREVIOUS && accounted.saturating_mul(3) < previous
}

/// Sources of this run that collapsed against the `previous` file (see the module
/// documentation): `(index in outcome.reports, reason)`. Sources already failed or suspect
/// are skipped.
pub fn against_previous(
    outcome: &Outcome,
    window: &Window,
    previous: &PreviousRun,
) -> Vec<(usize, SuspectReason)> {
    let mut out = Vec::new();
    for (i, report) in outcome.reports.iter().enumerate() {
        if !report.trusted() {
            continue;
        }
        let label = report.label.as_str();
        let before: Vec<&PreviousEvent> = previous
            .events
            .iter()
            .filter(|e| e.sources.iter().any(|s| s == label))
            .filter(|e| window.overlaps(e.start_date, e.end_date))
            .collect();
        if before.len() < COLLAPSE_MIN_PREVIOUS {
            continue;
        }
        let now = outcome
            .events
            .iter()
            .filter(|e| e.sources.iter().any(|s| s == label))
            .count();
        // Previous events the source still reports, but not in the window's listing.
        let mut known: HashSet<String> = HashSet::new();
        known.extend(
            outcome
                .dropped
                .iter()
                .map(|l| &l.event)
                .chain(outcome.filtered.iter().map(|f| &f.event))
                .filter(|r| r.source == label)
                .filter_map(|r| r.url.as_deref())
                .map(canonical),
        );
        known.extend(
            outcome
                .outside_window
                .iter()
                .filter(|e| e.sources.iter().any(|s| s == label))
                .map(|e| canonical(&e.url)),
        );
        let explained = before
            .iter()
            .filter(|e| known.contains(&canonical(&e.url)))
            .count();
        if collapsed(before.len(), now + explained) {
            out.push((
                i,
                SuspectReason::Collapse {
                    now,
                    explained,
                    previous: before.len(),
                },
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Event, RawEvent, When};
    use crate::run::{LeftOut, SourceReport};
    use chrono::NaiveDate;

    const EMPTY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nX-WR-CALNAME:Rust Community\r\nEND:VCALENDAR\r\n";

    #[test]
    fn an_empty_calendar_is_suspect_and_one_with_events_is_not() {
        let (r, why) = screen(
            SuspectWhen::EmptyCalendar,
            EMPTY.as_bytes(),
            Ok(Parsed::default()),
        );
        assert!(r.is_ok());
        assert!(why.unwrap().to_string().contains("empty VCALENDAR"));
        // Events outside the window: nothing parsed, but the calendar is not empty.
        let body = EMPTY.replace(
            "END:VCALENDAR",
            "BEGIN:VEVENT\r\nUID:1\r\nEND:VEVENT\r\nEND:VCALENDAR",
        );
        assert_eq!(
            screen(
                SuspectWhen::EmptyCalendar,
                body.as_bytes(),
                Ok(Parsed::default())
            )
            .1,
            None
        );
        // Folded, lower case, LF only, indented.
        assert!(has_vevent(
            b"BEGIN:VCALENDAR\nbegin:vev\n ent \r\nEND:VCALENDAR\n"
        ));
        assert!(has_vevent(
            b"BEGIN:VCALENDAR\r\nBEGIN:VEV\r\n\tENT\r\nEND:VCALENDAR\r\n"
        ));
        assert!(!has_vevent(
            b"BEGIN:VCALENDAR\nX-NOTE:BEGIN:VEVENT\nEND:VCALENDAR\n"
        ));
        assert!(!has_vevent(b"\xff\xfe"));
        assert!(has_vevent(b"BEGIN:VEVENT"));
        assert!(has_vevent(b"  BEGIN:VEVENT \r\n"));
        assert!(has_vevent(b"X:1\rBEGIN:VEVENT\rEND:VEVENT\r"));
        for no in [
            &b"BEGIN:VEVENTS\n"[..],
            b"BEGIN:VEVEN\n",
            b"BEGIN :VEVENT\n",
            b"BEGIN:VEVENT x\n",
            b"XBEGIN:VEVENT\n",
            b"BEGIN:VE\nVENT\n",
            b"",
        ] {
            assert!(!has_vevent(no), "{}", String::from_utf8_lossy(no));
        }
        // Not a calendar at all stays a failure.
        let err = SourceError {
            origin: "u".into(),
            message: "not a calendar".into(),
        };
        let (r, why) = screen(SuspectWhen::EmptyCalendar, b"<html>", Err(err.clone()));
        assert_eq!(r, Err(err.clone()));
        assert_eq!(why, None);
        // A page its reader finds no event data in is suspect, with the reader's reason.
        let (r, why) = screen(SuspectWhen::PageWithoutEventData, b"<html>", Err(err));
        assert_eq!(r, Ok(Parsed::default()));
        assert!(why.unwrap().to_string().contains("not a calendar"));
        // A page with zero events that read fine (a group with nothing upcoming) is normal.
        assert_eq!(
            screen(
                SuspectWhen::PageWithoutEventData,
                b"<html>",
                Ok(Parsed::default())
            )
            .1,
            None
        );
    }

    #[test]
    fn the_collapse_rule_ignores_ordinary_variation() {
        assert!(!collapsed(3, 0), "too few to judge");
        assert!(collapsed(4, 1));
        assert!(!collapsed(6, 2), "a third remains");
        assert!(collapsed(30, 9));
        assert!(!collapsed(30, 10));
        assert!(!collapsed(0, 0));
    }

    fn window() -> Window {
        Window {
            from: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 23).unwrap(),
        }
    }

    fn ev(n: usize, source: &str) -> Event {
        Event {
            sources: vec![source.into()],
            ..Event::example(
                &format!("Event {n}"),
                &format!("https://www.meetup.com/g/events/{n}/"),
                "2026-11-26",
            )
        }
    }

    fn report(label: &str) -> SourceReport {
        SourceReport::new(
            crate::config::SourceKind::Ical,
            "https://calendar.example/c.ics",
            label,
        )
    }

    #[test]
    fn a_source_collapsing_against_the_previous_file_is_suspect_unless_explained() {
        let cal = "Rust Community Calendar";
        let first = Outcome {
            events: (0..9)
                .map(|n| ev(n, cal))
                .chain([ev(99, "other")])
                .collect(),
            reports: vec![report(cal), report("other")],
            ..Outcome::default()
        };
        let prev = crate::render::json::previous_run(&crate::render::json::document(
            &first,
            &window(),
            "t",
        ));
        let mut now = Outcome {
            events: vec![ev(0, cal)],
            reports: vec![report(cal), report("other")],
            ..Outcome::default()
        };
        let found = against_previous(&now, &window(), &prev);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, 0);
        let why = found[0].1.to_string();
        assert!(why.contains("1 in the window now"), "{why}");
        assert!(why.contains("9 in the previous file"));
        // "other" lost its only event: too few to judge.
        // Cancellations explain part of the drop: 2 of 9 accounted for, still suspect; 3 of 9
        // (a third) is not.
        let mut raw = RawEvent::new(cal, "Event 1", When::Date(window().from));
        raw.url = Some("https://www.meetup.com/de-DE/g/events/1".into());
        now.dropped.push(LeftOut {
            event: raw,
            date: window().from,
            reason: "cancelled".into(),
            called_off_on_page: None,
        });
        assert_eq!(against_previous(&now, &window(), &prev).len(), 1);
        now.events.push(ev(2, cal));
        assert!(against_previous(&now, &window(), &prev).is_empty());
        // A previous file whose events fall before the new window says nothing.
        let later = Window {
            from: NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(),
            to: NaiveDate::from_ymd_opt(2026, 12, 30).unwrap(),
        };
        now.events.clear();
        now.dropped.clear();
        assert!(against_previous(&now, &later, &prev).is_empty());
        // A failed source is not also suspect.
        now.reports[0].state =
            crate::run::SourceStatus::Failed(crate::run::Failure::Read("HTTP status 500".into()));
        assert!(against_previous(&now, &window(), &prev).is_empty());
    }
}
