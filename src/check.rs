//! For organizers: "does my event appear, and if not, why?" A pure search of a run's
//! [`Outcome`] for a query — an event or group URL, or words of a title or organizer name —
//! answering with every place the event shows up: listed (and where), merged into another
//! entry, mirrored, left out (cancelled, no link, …), outside the window, filtered out by a
//! source's keywords, or nowhere at all (with what to do about it).

use crate::dedupe::identity::canonical;
use crate::model::{Event, RawEvent, Window};
use crate::pipeline::{Outcome, describe};
use crate::render::markdown::location_field;
use std::fmt;

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
    /// The query names a source whose answer was not used this run (failed, or suspect).
    SourceNotUsed {
        label: String,
        suspect: bool,
        why: String,
    },
    /// No source reported anything like it; `unavailable` sources failed or were suspect this
    /// run (they may hold it).
    NotFound { query: String, unavailable: usize },
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
                suspect,
                why,
            } => write!(
                f,
                "not checked: its source {label} {} this run ({why}); its events from the last good run are kept by json --out",
                if *suspect {
                    "answered suspiciously"
                } else {
                    "failed"
                }
            ),
            Finding::NotFound { query, unavailable } => {
                write!(
                    f,
                    "not found: no source lists anything matching {query:?}. Add the event to the \
                     Rust Community Calendar with a link to its page, or ask for its group to be \
                     added to sources.toml"
                )?;
                if *unavailable > 0 {
                    write!(
                        f,
                        " ({unavailable} sources failed or answered suspiciously this run and may list it: --verbose shows which)"
                    )?;
                }
                Ok(())
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
    let dates = if e.end_date > e.start_date {
        format!("{} - {}", e.start_date, e.end_date)
    } else {
        e.start_date.to_string()
    };
    format!(
        "{dates} | {} | {} | {} <{}>",
        location_field(e),
        e.organizer.name,
        e.title,
        e.url
    )
}

/// Everything the run knows about `query`, most relevant first.
pub fn check(outcome: &Outcome, window: &Window, query: &str) -> Vec<Finding> {
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
    for r in outcome.reports.iter().filter(|r| !r.trusted()) {
        if q.url_matches(&r.url) || q.text_matches(&r.label) {
            out.push(Finding::SourceNotUsed {
                label: r.label.clone(),
                suspect: r.error.is_none(),
                why: r.error.clone().or(r.suspect.clone()).unwrap_or_default(),
            });
        }
    }
    if out.is_empty() {
        out.push(Finding::NotFound {
            query: query.to_string(),
            unavailable: outcome.reports.iter().filter(|r| !r.trusted()).count(),
        });
    }
    out
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
            let f = check(&outcome, &window(), q);
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
        );
        assert!(f[0].to_string().contains("cancelled"), "{}", f[0]);
        let f = check(&outcome, &window(), "summer party");
        assert!(
            f[0].to_string()
                .contains("outside the window 2026-08-19 - 2026-09-16")
        );
        let f = check(&outcome, &window(), "intro to go");
        assert!(f[0].to_string().contains("keywords"));
        let f = check(&outcome, &window(), "RustLab");
        assert!(matches!(f[0], Finding::NotFound { .. }));
        assert!(!f[0].is_listed());
        assert!(!f[0].to_string().contains("may list it"));
    }

    #[test]
    fn says_when_the_source_was_not_used() {
        use crate::config::SourceKind;
        use crate::pipeline::SourceReport;
        let report = |label: &str, error: Option<&str>, suspect: Option<&str>| SourceReport {
            kind: SourceKind::Meetup,
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
        };
        let outcome = Outcome {
            reports: vec![
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
        let f = check(&outcome, &window(), "https://www.meetup.com/Rust-Berlin/");
        assert_eq!(f.len(), 1, "{f:?}");
        assert!(!f[0].is_listed());
        assert!(
            f[0].to_string()
                .contains("rust-berlin answered suspiciously this run (the page answered"),
            "{}",
            f[0]
        );
        let f = check(
            &outcome,
            &window(),
            "https://www.meetup.com/rust-munich/events/1/",
        );
        assert!(matches!(f[0], Finding::NotFound { .. }), "{f:?}");
        assert!(
            f[0].to_string()
                .contains("2 sources failed or answered suspiciously")
        );
        let f = check(&outcome, &window(), "https://www.meetup.com/rust-munich");
        assert!(
            f[0].to_string()
                .contains("rust-munich failed this run (HTTP status 503)")
        );
    }
}
