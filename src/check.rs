//! For organizers: "does my event appear, and if not, why?" A pure search of a run's
//! [`Outcome`] for a query — an event or group URL, or words of a title or organizer name —
//! answering with every place the event shows up: listed (and where), merged into another
//! entry, mirrored, left out (cancelled, no link, …), outside the window, filtered out by a
//! source's keywords, or nowhere at all (with what to do about it).
//!
//! A source that failed (or answered suspiciously) this run may list the event: then the
//! answer says so — which source, why, what to do — instead of "add it to the calendar", and,
//! given the previous `json --out` file, what the last good run listed for the query.
//! [`exit_code`] turns the findings into the process status: 0 listed, 3 not listed (the
//! answer says why), 2 not listed while a source that may list it failed (the answer is not
//! known this run).

use crate::config::Source;
use crate::dedupe::identity::{canonical, group_key};
use crate::error::exit;
use crate::model::{Event, RawEvent, Window};
use crate::newsletter::write::location_field;
use crate::pipeline::{Outcome, SourceReport, describe, fetch_url};
use crate::render::json::{Document, EventJson};
use std::fmt;

/// At most this many failed sources are named in one "not found" answer, and at most this
/// many entries of the previous file are quoted (a query like "rust" matches everything).
const MAX_LISTED: usize = 5;

/// One answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Printed in these sections, as this entry.
    Listed {
        date: String,
        sections: Vec<&'static str>,
        entry: String,
    },
    /// Printed as a mirror of another entry.
    Mirrored { label: String, of: String },
    /// Merged into another entry (which is printed), with the evidence.
    Merged { into: String, evidence: String },
    /// Known but left out of the section, with the reason.
    LeftOut { what: String, reason: String },
    /// Known, but on a date outside the window.
    OutsideWindow { what: String, window: Window },
    /// The source's keywords did not match it.
    Filtered { what: String },
    /// The source that would list it (its group, calendar or page, or its organizer's name
    /// matches the query) was not used this run (failed, or suspect).
    SourceNotUsed {
        label: String,
        url: String,
        suspect: bool,
        why: String,
    },
    /// What the previous `json --out` file (written at `generated_at`) listed for the query;
    /// `entry` is `None` when it listed nothing matching. `stale`: that entry was itself
    /// carried over from an earlier run.
    Previously {
        generated_at: String,
        entry: Option<String>,
        stale: bool,
    },
    /// No source that answered reported anything like it; the `unavailable` sources (label,
    /// why) failed or were suspect this run and may hold it.
    NotFound {
        query: String,
        unavailable: Vec<(String, String)>,
    },
}

impl Finding {
    /// Whether this finding means the event is in the section.
    pub fn is_listed(&self) -> bool {
        matches!(
            self,
            Finding::Listed { .. } | Finding::Mirrored { .. } | Finding::Merged { .. }
        )
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Listed {
                date,
                sections,
                entry,
            } => write!(
                f,
                "listed on {date} under {}: {entry}",
                sections.join(" and ")
            ),
            Finding::Mirrored { label, of } => write!(f, "listed as the {label} of {of}"),
            Finding::Merged { into, evidence } => write!(
                f,
                "listed once, merged with another entry for the same event: {into} ({evidence})"
            ),
            Finding::LeftOut { what, reason } => write!(f, "not listed: {what}: {reason}"),
            Finding::OutsideWindow { what, window } => write!(
                f,
                "not listed: {what} is outside the window {} - {}",
                window.from, window.to
            ),
            Finding::Filtered { what } => write!(
                f,
                "not listed: {what} does not mention the keywords its group is filtered on \
                 (put \"Rust\" in the title or description)"
            ),
            Finding::SourceNotUsed {
                label,
                url,
                suspect,
                why,
            } => {
                if *suspect {
                    write!(
                        f,
                        "unknown: its source {label} answered suspiciously this run ({why}), so \
                         this run cannot tell whether it is listed. Run the check again later; if \
                         it stays so, open <{url}> and check that it still lists the events"
                    )
                } else {
                    write!(
                        f,
                        "unknown: its source {label} failed this run ({why}), so this run cannot \
                         tell whether it is listed. Run the check again later; if it keeps \
                         failing, open <{url}> (a renamed or removed group? then update \
                         sources.toml)"
                    )
                }
            }
            Finding::Previously {
                generated_at,
                entry,
                stale,
            } => match entry {
                Some(entry) => write!(
                    f,
                    "previously: the run of {generated_at} listed {entry}{}",
                    if *stale {
                        " (carried over then from an earlier run)"
                    } else {
                        ""
                    }
                ),
                None => write!(
                    f,
                    "previously: the run of {generated_at} listed nothing matching either"
                ),
            },
            Finding::NotFound { query, unavailable } if unavailable.is_empty() => write!(
                f,
                "not found: no source lists anything matching {query:?}. Add the event to the \
                 Rust Community Calendar with a link to its page, or ask for its group to be \
                 added to sources.toml"
            ),
            Finding::NotFound { query, unavailable } => {
                let named: Vec<String> = unavailable
                    .iter()
                    .take(MAX_LISTED)
                    .map(|(label, why)| format!("{label} ({why})"))
                    .collect();
                write!(
                    f,
                    "unknown: no source that answered lists anything matching {query:?}, but {} \
                     this run and may list it: {}",
                    match unavailable.len() {
                        1 => "1 source failed or answered suspiciously".to_string(),
                        n => format!("{n} sources failed or answered suspiciously"),
                    },
                    named.join("; ")
                )?;
                if unavailable.len() > MAX_LISTED {
                    write!(
                        f,
                        "; and {} more (--verbose lists every source)",
                        unavailable.len() - MAX_LISTED
                    )?;
                }
                write!(
                    f,
                    ". Run the check again later; add the event to the Rust Community Calendar \
                     only if it is still not found when every source answers"
                )
            }
        }
    }
}

/// What a query matches.
struct Query {
    text: String,
    url: Option<String>,
}

impl Query {
    fn new(q: &str) -> Query {
        let url = url::Url::parse(q.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(|_| canonical(q.trim()));
        Query {
            text: q.trim().to_lowercase(),
            url,
        }
    }

    fn url_matches(&self, url: &str) -> bool {
        let Some(q) = &self.url else { return false };
        let u = canonical(url);
        u == *q || u.starts_with(&format!("{q}/"))
    }

    fn text_matches(&self, text: &str) -> bool {
        self.url.is_none() && !self.text.is_empty() && text.to_lowercase().contains(&self.text)
    }

    /// Words of the query and a source's label (or organizer name) name the same group:
    /// either contains the other ("Trondheim" and "Rust Trondheim").
    fn names(&self, label: &str) -> bool {
        let label = label.trim().to_lowercase();
        self.url.is_none()
            && !self.text.is_empty()
            && label.chars().count() >= 3
            && (label.contains(&self.text) || self.text.contains(&label))
    }

    fn previous(&self, e: &EventJson) -> bool {
        self.url_matches(&e.url)
            || e.organizer
                .url
                .as_deref()
                .is_some_and(|u| self.url_matches(u))
            || e.mirrors.iter().any(|m| self.url_matches(&m.url))
            || self.text_matches(&e.title)
            || self.text_matches(&e.organizer.name)
    }

    fn event(&self, e: &Event) -> bool {
        self.url_matches(&e.url)
            || e.organizer
                .url
                .as_deref()
                .is_some_and(|u| self.url_matches(u))
            || self.text_matches(&e.title)
            || self.text_matches(&e.organizer.name)
    }

    fn raw(&self, e: &RawEvent) -> bool {
        e.url
            .iter()
            .chain(e.links.iter())
            .any(|u| self.url_matches(u))
            || e.organizer
                .as_ref()
                .and_then(|o| o.url.as_deref())
                .is_some_and(|u| self.url_matches(u))
            || self.text_matches(&e.title)
            || e.organizer
                .as_ref()
                .is_some_and(|o| self.text_matches(&o.name))
    }
}

fn entry_line(e: &Event) -> String {
    let dates = crate::newsletter::date_field(e.start_date, e.end_date);
    format!(
        "{dates} | {} | {} | {} <{}>",
        location_field(e),
        e.organizer.name,
        e.title,
        e.url
    )
}

/// What one source of the run would list, to tell which source an event or a query belongs
/// to when that source failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Index of the source's report in `Outcome::reports`.
    pub index: usize,
    /// The organizer page every event of the source hangs under (a meetup group, a luma
    /// calendar, an organizer's page or feed's organizer); `None` for a many-organizer feed (the
    /// community calendar), which may list anything.
    pub page: Option<String>,
}

/// The scope of every report of `outcome`. `sources` is the run's sources file (the reports
/// are in its order); without it (or for a report it does not explain) the scope is read
/// from the report's URL: a meetup group's page or feed is that group's, a luma calendar or a
/// page is its own, any other feed may list anything.
pub fn scopes(outcome: &Outcome, sources: &[Source]) -> Vec<Scope> {
    outcome
        .reports
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let source = sources
                .get(index)
                .filter(|s| fetch_url(s) == r.url && s.label() == r.label)
                .or_else(|| {
                    sources
                        .iter()
                        .find(|s| fetch_url(s) == r.url && s.label() == r.label)
                });
            let page = match source {
                Some(s) => s.organizer_page(),
                None => page_of_report(r),
            };
            Scope { index, page }
        })
        .collect()
}

fn page_of_report(r: &SourceReport) -> Option<String> {
    use crate::config::SourceKind;
    match r.kind {
        SourceKind::Meetup | SourceKind::Luma | SourceKind::Jsonld => Some(r.url.clone()),
        SourceKind::Ical => group_key(&r.url)
            .filter(|g| g.starts_with("meetup.com/"))
            .map(|g| format!("https://www.{g}/")),
    }
}

/// Whether `url` is `page` or under it: on meetup, the same group (event links carry their
/// group, whatever the locale or case); elsewhere the same host and a path under the page's.
pub fn under(url: &str, page: &str) -> bool {
    let (Some(u), Some(p)) = (crate::link::parts(url), crate::link::parts(page)) else {
        return false;
    };
    if u.host != p.host {
        return false;
    }
    if u.host == "meetup.com" {
        // A group's page, its events list and its feed are all the group's.
        let group =
            |segments: &[String]| segments.first().filter(|s| s.as_str() != "events").cloned();
        return group(&p.segments).is_some() && group(&u.segments) == group(&p.segments);
    }
    // A feed or listing page stands for its site's section: `…/events/`, `…/calendar.ics`.
    let mut page_path = p.segments.as_slice();
    while let Some((last, rest)) = page_path.split_last() {
        let last = last.to_ascii_lowercase();
        if matches!(last.as_str(), "events" | "ical" | "calendar") || last.ends_with(".ics") {
            page_path = rest;
        } else {
            break;
        }
    }
    // The root of a platform where many organizers have pages is nobody's page.
    if page_path.is_empty() && matches!(u.host.as_str(), "luma.com" | "eventbrite.com") {
        return false;
    }
    page_path.len() <= u.segments.len() && page_path.iter().zip(&u.segments).all(|(a, b)| a == b)
}

/// The untrusted source (index into `outcome.reports`) that would list an entry with this
/// event link and organizer: the failed source whose page the links are under, else, when a
/// many-organizer feed failed, that feed (it may list anything). `None` when the entry's
/// source is not known to have failed.
pub fn failed_source_of(
    outcome: &Outcome,
    scopes: &[Scope],
    url: &str,
    organizer_url: Option<&str>,
    organizer_name: &str,
) -> Option<usize> {
    let untrusted = || {
        scopes
            .iter()
            .filter(|s| outcome.reports.get(s.index).is_some_and(|r| !r.trusted()))
    };
    let name = organizer_name.trim().to_lowercase();
    untrusted()
        .find(|s| {
            let r = &outcome.reports[s.index];
            let by_page = s.page.as_deref().is_some_and(|page| {
                under(url, page) || organizer_url.is_some_and(|o| under(o, page))
            });
            by_page
                || canonical(url) == canonical(&r.url)
                || (s.page.is_some() && !name.is_empty() && r.label.to_lowercase() == name)
        })
        .or_else(|| untrusted().find(|s| s.page.is_none()))
        .map(|s| s.index)
}

/// Everything the run knows about `query`, most relevant first. `sources`: the run's sources
/// file (see [`scopes`]; may be empty); `previous`: the previous `json --out` file, quoted
/// when the event is not listed now.
pub fn check(
    outcome: &Outcome,
    window: &Window,
    query: &str,
    sources: &[Source],
    previous: Option<&Document>,
) -> Vec<Finding> {
    let q = Query::new(query);
    let mut out = Vec::new();
    for e in &outcome.events {
        if q.event(e) {
            out.push(Finding::Listed {
                date: e.start_date.to_string(),
                sections: e.regions.iter().map(|r| r.title()).collect(),
                entry: entry_line(e),
            });
        }
        for m in &e.mirrors {
            let mirror_matches = q.url_matches(&m.url)
                || m.organizer.url.as_deref().is_some_and(|u| q.url_matches(u))
                || q.text_matches(&m.organizer.name);
            if mirror_matches && !q.event(e) {
                out.push(Finding::Mirrored {
                    label: m.label.clone(),
                    of: entry_line(e),
                });
            }
        }
    }
    for m in &outcome.merges {
        let a = &m.absorbed;
        let hit = q.url_matches(&a.url) || q.text_matches(&a.title) || q.text_matches(&a.organizer);
        let shown = out
            .iter()
            .any(|f| matches!(f, Finding::Listed { .. } | Finding::Mirrored { .. }));
        if hit && !shown {
            out.push(Finding::Merged {
                into: format!(
                    "{} \"{}\" <{}>",
                    m.kept.start_date, m.kept.title, m.kept.url
                ),
                evidence: m.evidence.to_string(),
            });
        }
    }
    for left in &outcome.dropped {
        if q.raw(&left.event) {
            out.push(Finding::LeftOut {
                what: describe(&left.event),
                reason: left.reason.clone(),
            });
        }
    }
    for e in &outcome.outside_window {
        if q.event(e) {
            out.push(Finding::OutsideWindow {
                what: format!("\"{}\" on {} <{}>", e.title, e.start_date, e.url),
                window: *window,
            });
        }
    }
    for e in &outcome.filtered {
        if q.raw(e) {
            out.push(Finding::Filtered { what: describe(e) });
        }
    }
    let listed = out.iter().any(Finding::is_listed);
    // What the previous file listed for the query, and from which sources.
    let before: Vec<&EventJson> = previous
        .map(|p| p.events.iter().filter(|e| q.previous(e)).collect())
        .unwrap_or_default();
    // The failed or suspect sources that would list it: by their group, calendar or page, by
    // their name, or because the previous file's matching entries came from them.
    let scopes = scopes(outcome, sources);
    for s in &scopes {
        let r = &outcome.reports[s.index];
        if r.trusted() || listed {
            continue;
        }
        let by_page = s.page.as_deref().is_some_and(|page| {
            q.url.is_some() && (under(query.trim(), page) || under(page, query.trim()))
        });
        let by_name = q.url.is_none() && q.names(&r.label);
        let by_previous = before.iter().any(|e| {
            e.sources.contains(&r.label)
                || s.page.as_deref().is_some_and(|page| {
                    under(&e.url, page)
                        || e.organizer.url.as_deref().is_some_and(|o| under(o, page))
                })
        });
        if q.url_matches(&r.url) || by_page || by_name || by_previous {
            out.push(Finding::SourceNotUsed {
                label: r.label.clone(),
                url: r.url.clone(),
                suspect: r.error.is_none(),
                why: r.error.clone().or(r.suspect.clone()).unwrap_or_default(),
            });
        }
    }
    if out.is_empty() {
        // A query that names a source that answered (its group's URL, its name) can only be
        // held by it or by a many-organizer feed: the other groups' failures are no excuse.
        let narrowed = scopes.iter().any(|s| {
            let r = &outcome.reports[s.index];
            r.trusted()
                && s.page.as_deref().is_some_and(|page| {
                    (q.url.is_some() && under(query.trim(), page)) || q.names(&r.label)
                })
        });
        out.push(Finding::NotFound {
            query: query.to_string(),
            unavailable: scopes
                .iter()
                .filter(|s| !narrowed || s.page.is_none())
                .map(|s| &outcome.reports[s.index])
                .filter(|r| !r.trusted())
                .map(|r| {
                    (
                        r.label.clone(),
                        r.error.clone().or(r.suspect.clone()).unwrap_or_default(),
                    )
                })
                .collect(),
        });
    }
    if let Some(p) = previous
        && !listed
    {
        let generated_at = crate::text::clean(&p.generated_at, 40);
        for e in before.iter().take(MAX_LISTED) {
            out.push(Finding::Previously {
                generated_at: generated_at.clone(),
                entry: Some(previous_line(e)),
                stale: e.stale,
            });
        }
        if before.is_empty() && out.iter().any(|f| f.answer_unknown()) {
            out.push(Finding::Previously {
                generated_at,
                entry: None,
                stale: false,
            });
        }
    }
    out
}

/// One entry of a previous file, as `check` prints it. The file may have been edited: its
/// text is cleaned and a link that is not http(s) is not printed.
fn previous_line(e: &EventJson) -> String {
    use crate::text::{MAX_NAME, MAX_PLACE, MAX_TITLE, clean};
    let dates = crate::newsletter::date_field(e.start_date, e.end_date);
    format!(
        "{dates} | {} | {} | {} <{}>",
        clean(&e.location, MAX_PLACE * 3),
        clean(&e.organizer.name, MAX_NAME),
        clean(&e.title, MAX_TITLE),
        crate::link::safe(&e.url).unwrap_or_else(|| "no valid link".to_string())
    )
}

impl Finding {
    /// Whether this finding means the run cannot tell: a source that may list the event
    /// failed or answered suspiciously.
    pub fn answer_unknown(&self) -> bool {
        match self {
            Finding::SourceNotUsed { .. } => true,
            Finding::NotFound { unavailable, .. } => !unavailable.is_empty(),
            _ => false,
        }
    }
}

/// The exit status of `check`: 0 when the event is listed; 2 when it is not and a source that
/// may list it failed or answered suspiciously (unknown this run); 3 when it is not listed
/// (the findings say why).
pub fn exit_code(findings: &[Finding]) -> u8 {
    if findings.iter().any(Finding::is_listed) {
        exit::OK
    } else if findings.iter().any(Finding::answer_unknown) {
        exit::SOURCE_FAILED
    } else {
        exit::NOT_LISTED
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attendance, Region, When};
    use crate::pipeline::LeftOut;
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn event(title: &str, url: &str, date: &str) -> Event {
        Event {
            attendance: Attendance::Virtual,
            place: None,
            regions: vec![Region::Virtual],
            ..Event::example(title, url, date)
        }
    }

    fn window() -> Window {
        Window {
            from: d("2026-08-19"),
            to: d("2026-09-16"),
        }
    }

    #[test]
    fn finds_listed_events_by_url_variant_or_words() {
        let outcome = Outcome {
            events: vec![event(
                "Rust Hack and Learn",
                "https://www.meetup.com/rust-berlin/events/313345334/",
                "2026-08-27",
            )],
            ..Outcome::default()
        };
        for q in [
            "https://www.meetup.com/de-DE/Rust-Berlin/events/313345334",
            "hack and learn",
            "https://www.meetup.com/rust-berlin/",
        ] {
            let f = check(&outcome, &window(), q, &[], None);
            assert!(f[0].is_listed(), "{q}: {f:?}");
            assert!(f[0].to_string().contains("under Virtual"), "{}", f[0]);
        }
    }

    #[test]
    fn says_why_an_event_is_missing() {
        let mut cancelled = RawEvent::new("cal", "Rust Munich #12", When::Date(d("2026-08-26")));
        cancelled.links = vec!["https://www.meetup.com/rust-munich/events/1/".into()];
        let outcome = Outcome {
            dropped: vec![LeftOut {
                event: cancelled,
                reason: "cancelled".into(),
            }],
            outside_window: vec![event(
                "Rust Summer Party",
                "https://www.meetup.com/rust-berlin/events/2/",
                "2026-10-01",
            )],
            filtered: vec![RawEvent::new(
                "Bellingham Codes",
                "Intro to Go",
                When::Date(d("2026-08-30")),
            )],
            ..Outcome::default()
        };
        let f = check(
            &outcome,
            &window(),
            "https://www.meetup.com/rust-munich/events/1/",
            &[],
            None,
        );
        assert!(f[0].to_string().contains("cancelled"), "{}", f[0]);
        assert_eq!(exit_code(&f), exit::NOT_LISTED);
        let f = check(&outcome, &window(), "summer party", &[], None);
        assert!(
            f[0].to_string()
                .contains("outside the window 2026-08-19 - 2026-09-16")
        );
        let f = check(&outcome, &window(), "intro to go", &[], None);
        assert!(f[0].to_string().contains("keywords"));
        let f = check(&outcome, &window(), "RustLab", &[], None);
        assert!(matches!(f[0], Finding::NotFound { .. }));
        assert!(!f[0].is_listed());
        assert!(!f[0].to_string().contains("may list it"));
    }

    fn report(label: &str, error: Option<&str>, suspect: Option<&str>) -> SourceReport {
        SourceReport {
            kind: crate::config::SourceKind::Meetup,
            url: format!("https://www.meetup.com/{label}/events/"),
            label: label.into(),
            events: 0,
            error: error.map(Into::into),
            warnings: vec![],
            suspect: suspect.map(Into::into),
            status: None,
            redirected_to: None,
            latest_event: None,
            fallback: None,
        }
    }

    fn calendar(error: Option<&str>) -> SourceReport {
        SourceReport {
            kind: crate::config::SourceKind::Ical,
            url: "https://calendar.google.com/calendar/ical/x/public/basic.ics".into(),
            label: "Rust Community Calendar".into(),
            ..report("x", error, None)
        }
    }

    #[test]
    fn says_when_the_source_was_not_used() {
        let outcome = Outcome {
            reports: vec![
                calendar(None),
                report(
                    "rust-berlin",
                    None,
                    Some("the page answered without any event data"),
                ),
                report("rust-munich", Some("HTTP status 503"), None),
                report("rust-oslo", None, None),
            ],
            ..Outcome::default()
        };
        let f = check(
            &outcome,
            &window(),
            "https://www.meetup.com/Rust-Berlin/",
            &[],
            None,
        );
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].is_listed());
        assert_eq!(
            f[0].to_string(),
            "unknown: its source rust-berlin answered suspiciously this run (the page answered \
             without any event data), so this run cannot tell whether it is listed. Run the check \
             again later; if it stays so, open <https://www.meetup.com/rust-berlin/events/> and \
             check that it still lists the events"
        );
        assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
        // An event of the failed group, in any form, and the group's name in words.
        for q in [
            "https://www.meetup.com/de-DE/Rust-Munich/events/291120384/",
            "https://www.meetup.com/rust-munich",
            "munich",
            "RUST-MUNICH meetup in february",
        ] {
            let f = check(&outcome, &window(), q, &[], None);
            assert_eq!(f.len(), 1, "{q}: {f:?}");
            assert!(
                f[0].to_string().starts_with(
                    "unknown: its source rust-munich failed this run (HTTP status 503), so this \
                     run cannot tell whether it is listed. Run the check again later; if it keeps \
                     failing, open <https://www.meetup.com/rust-munich/events/>"
                ),
                "{q}: {}",
                f[0]
            );
            assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
        }
        // Nothing narrows it: every failed or suspect source is named, and the calendar is
        // not recommended yet.
        let f = check(&outcome, &window(), "RustLab", &[], None);
        assert_eq!(
            f[0].to_string(),
            "unknown: no source that answered lists anything matching \"RustLab\", but 2 sources \
             failed or answered suspiciously this run and may list it: rust-berlin (the page \
             answered without any event data); rust-munich (HTTP status 503). Run the check again \
             later; add the event to the Rust Community Calendar only if it is still not found \
             when every source answers"
        );
        assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
        // A group that answered does not blame the others' failures.
        for q in [
            "https://www.meetup.com/rust-oslo/events/12345678/",
            "rust-oslo",
        ] {
            let f = check(&outcome, &window(), q, &[], None);
            assert!(!f[0].answer_unknown(), "{f:?}");
            assert!(f[0].to_string().starts_with("not found: "), "{}", f[0]);
            assert_eq!(exit_code(&f), exit::NOT_LISTED);
        }
    }

    #[test]
    fn a_failed_calendar_may_list_anything_and_the_previous_file_tells_what_it_said() {
        let outcome = Outcome {
            reports: vec![
                calendar(Some("HTTP status 500")),
                report("rust-oslo", None, None),
            ],
            ..Outcome::default()
        };
        // The calendar is a many-organizer feed: a query it does not name is not narrowed to
        // it, but it is named among the sources that may list the event.
        let f = check(&outcome, &window(), "Rust Trondheim", &[], None);
        assert!(
            f[0].to_string().contains(
                "but 1 source failed or answered suspiciously this run and may list it: Rust \
                 Community Calendar (HTTP status 500)"
            ),
            "{}",
            f[0]
        );
        let previous = Document {
            version: 2,
            generated_at: "2026-08-18T09:00:00+00:00".into(),
            window: crate::render::json::WindowJson {
                from: d("2026-08-12"),
                to: d("2026-09-09"),
            },
            sources: vec![],
            events: vec![EventJson {
                title: "Rust Trondheim\n* [evil](javascript:alert(1))".into(),
                url: "https://www.meetup.com/rust-trondheim/events/290889889/".into(),
                start_date: d("2026-08-26"),
                end_date: d("2026-08-26"),
                start: None,
                attendance: "in-person".into(),
                location: "Trondheim, NO".into(),
                place: None,
                organizer: crate::render::json::OrganizerJson {
                    name: "Rust Trondheim".into(),
                    url: Some("https://www.meetup.com/rust-trondheim/".into()),
                    home: None,
                },
                sections: vec!["Europe".into()],
                mirrors: vec![],
                sources: vec!["Rust Community Calendar".into()],
                verified: true,
                stale: false,
            }],
            corrections: vec![],
            left_out: vec![],
            possible_duplicates: vec![],
            unverified: vec![],
        };
        let f = check(
            &outcome,
            &window(),
            "https://www.meetup.com/rust-trondheim/events/290889889",
            &[],
            Some(&previous),
        );
        let lines: Vec<String> = f.iter().map(ToString::to_string).collect();
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(
            lines[0].starts_with(
                "unknown: its source Rust Community Calendar failed this run (HTTP status 500)"
            ),
            "{}",
            lines[0]
        );
        assert_eq!(
            lines[1],
            "previously: the run of 2026-08-18T09:00:00+00:00 listed 2026-08-26 | Trondheim, NO | \
             Rust Trondheim | Rust Trondheim * [evil](javascript:alert(1)) \
             <https://www.meetup.com/rust-trondheim/events/290889889/>"
        );
        assert_eq!(exit_code(&f), exit::SOURCE_FAILED);
        // Nothing matching in the previous file either: said, when the answer is unknown.
        let f = check(&outcome, &window(), "RustLab", &[], Some(&previous));
        assert_eq!(
            f.last().unwrap().to_string(),
            "previously: the run of 2026-08-18T09:00:00+00:00 listed nothing matching either"
        );
    }

    #[test]
    fn scopes_come_from_the_sources_file_else_from_the_reports() {
        let outcome = Outcome {
            reports: vec![
                calendar(None),
                report("rust-oslo", None, None),
                SourceReport {
                    url: "https://www.meetup.com/rust-bergen/events/ical/".into(),
                    ..calendar(None)
                },
            ],
            ..Outcome::default()
        };
        let s = scopes(&outcome, &[]);
        assert_eq!(s[0].page, None);
        // The sources file knows what a URL cannot tell: an organizer's own feed.
        let feed = Source {
            kind: crate::config::SourceKind::Ical,
            url: "https://calendar.google.com/calendar/ical/x/public/basic.ics".into(),
            name: Some("Rust Community Calendar".into()),
            home: None,
            keywords: vec![],
            organizer: Some("https://rust-oslo.example.org/".into()),
            line: 1,
        };
        assert_eq!(
            scopes(&outcome, &[feed])[0].page.as_deref(),
            Some("https://rust-oslo.example.org/")
        );
        assert_eq!(
            s[1].page.as_deref(),
            Some("https://www.meetup.com/rust-oslo/events/")
        );
        assert_eq!(
            s[2].page.as_deref(),
            Some("https://www.meetup.com/rust-bergen/")
        );
        assert!(under(
            "https://www.meetup.com/en-AU/Rust-Oslo/events/12345678/",
            "https://www.meetup.com/rust-oslo/events/"
        ));
        assert!(!under(
            "https://www.meetup.com/rust-bergen/events/12345678/",
            "https://www.meetup.com/rust-oslo/"
        ));
        assert!(!under(
            "https://www.meetup.com/events/1/",
            "https://www.meetup.com/"
        ));
        assert!(under("https://lu.ma/rust-nyc", "https://lu.ma/rust-nyc"));
        assert!(!under("https://lu.ma/other", "https://lu.ma/rust-nyc"));
        assert!(under(
            "https://rust.example.org/talks/2026",
            "https://rust.example.org/"
        ));
        assert!(under(
            "https://rust.example.org/talks/2026",
            "https://rust.example.org/events/calendar.ics"
        ));
        assert!(under(
            "https://mobilizon.fr/events/b8577678",
            "https://mobilizon.fr/events/b8577678"
        ));
        assert!(!under(
            "https://mobilizon.fr/events/other",
            "https://mobilizon.fr/events/b8577678"
        ));
        assert!(!under("https://lu.ma/rust-nyc", "https://lu.ma/"));
    }
}
