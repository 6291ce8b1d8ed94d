//! The pipeline wired together: fetch every source concurrently, parse, normalize,
//! deduplicate, keep the window.
//!
//! [`collect`] is the only async step (it drives a [`Fetch`]); [`build`] is pure. A source
//! that fails is a [`SourceReport`] with an error, never an abort: the run goes on with the
//! others.

use crate::config::{Config, Source, SourceKind};
use crate::dedupe;
use crate::fetch::{Fetch, Response};
use crate::model::{Event, RawEvent, Window};
use crate::normalize::{self, Directory, Dropped};
use crate::sources::{self, Parsed, SourceError};
use futures::future::join_all;
use serde::Serialize;

/// How one source fared.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceReport {
    pub kind: SourceKind,
    pub url: String,
    pub label: String,
    /// Events it yielded (before the window and deduplication).
    pub events: usize,
    /// `None` when it worked; the reason otherwise.
    pub error: Option<String>,
    /// Entries it skipped or repaired.
    pub warnings: Vec<String>,
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Events in the window, deduplicated.
    pub events: Vec<Event>,
    pub reports: Vec<SourceReport>,
    /// Events left out, with why (cancelled, no link, …), for the review report.
    pub dropped: Vec<(String, String)>,
    /// Guesses and merges worth an editor's look.
    pub notes: Vec<String>,
}

impl Outcome {
    pub fn failed_sources(&self) -> usize {
        self.reports.iter().filter(|r| r.error.is_some()).count()
    }
}

/// The URL fetched for a source: a meetup group's upcoming-events page, else the URL as given.
pub fn fetch_url(source: &Source) -> String {
    match source.kind {
        SourceKind::Meetup => {
            let base = source.url.trim_end_matches('/');
            if base.ends_with("/events") {
                format!("{base}/")
            } else {
                format!("{base}/events/")
            }
        }
        _ => source.url.clone(),
    }
}

/// Parses one fetched document according to its source's kind.
pub fn parse_source(
    source: &Source,
    response: &Response,
    window: &Window,
) -> Result<Parsed, SourceError> {
    let text = response.text();
    let label = source.label();
    match source.kind {
        SourceKind::Ical => sources::ical::parse(&text, &response.url, label, window),
        SourceKind::Meetup | SourceKind::Jsonld => Err(SourceError {
            origin: response.url.clone(),
            message: format!(
                "sources of kind \"{}\" are not supported yet",
                source.kind.as_str()
            ),
        }),
    }
}

/// Keeps only events that mention one of the source's keywords (case-insensitive, in the
/// title or the description). No keywords: keeps everything.
pub fn keyword_filter(source: &Source, parsed: &mut Parsed) {
    if source.keywords.is_empty() {
        return;
    }
    parsed.events.retain(|e| {
        let text = format!(
            "{} {}",
            e.title.to_lowercase(),
            e.description
                .as_deref()
                .map(normalize::links::html_to_text)
                .unwrap_or_default()
                .to_lowercase()
        );
        source.keywords.iter().any(|k| text.contains(k.as_str()))
    });
}

/// Fetches and parses every source concurrently (the fetcher bounds the concurrency).
pub async fn collect(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
) -> (Vec<RawEvent>, Vec<SourceReport>) {
    let jobs = config.sources.iter().map(|source| async move {
        let url = fetch_url(source);
        let mut report = SourceReport {
            kind: source.kind,
            url: url.clone(),
            label: source.label().to_string(),
            events: 0,
            error: None,
            warnings: Vec::new(),
        };
        let result = match fetcher.fetch(&url).await {
            Ok(response) => parse_source(source, &response, window).map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        match result {
            Ok(mut parsed) => {
                keyword_filter(source, &mut parsed);
                report.events = parsed.events.len();
                report.warnings = parsed.warnings;
                (parsed.events, report)
            }
            Err(e) => {
                report.error = Some(e);
                (Vec::new(), report)
            }
        }
    });
    let mut events = Vec::new();
    let mut reports = Vec::new();
    for (evs, report) in join_all(jobs).await {
        events.extend(evs);
        reports.push(report);
    }
    (events, reports)
}

/// Normalizes, keeps the window and deduplicates. Pure.
pub fn build(raw: &[RawEvent], config: &Config, window: &Window) -> Outcome {
    let directory = Directory::from_config(config);
    let mut outcome = Outcome::default();
    let mut events = Vec::new();
    for r in raw {
        match normalize::normalize(r, &directory) {
            Ok(n) => {
                if window.overlaps(n.event.start_date, n.event.end_date) {
                    outcome.notes.extend(n.notes);
                    events.push(n.event);
                }
            }
            Err(Dropped::Cancelled(_)) if !touches(r, window) => {}
            Err(why) => outcome.dropped.push((describe(r), why.to_string())),
        }
    }
    let deduped = dedupe::dedupe(events);
    outcome
        .notes
        .extend(deduped.merges.iter().map(ToString::to_string));
    outcome
        .notes
        .extend(deduped.possible_duplicates.iter().map(ToString::to_string));
    outcome.events = deduped.events;
    outcome
}

/// Roughly whether a raw event is near the window (for not reporting far-away drops).
fn touches(raw: &RawEvent, window: &Window) -> bool {
    use crate::model::When;
    let date = match &raw.start {
        When::Date(d) => *d,
        When::Utc(u) => u.date_naive(),
        When::Zoned(n, _) | When::Floating(n) => n.date(),
        When::Offset(o) => o.date_naive(),
    };
    date >= normalize::add_days(window.from, -2) && date <= normalize::add_days(window.to, 2)
}

fn describe(raw: &RawEvent) -> String {
    let link = raw
        .url
        .as_deref()
        .or(raw.links.first().map(String::as_str))
        .unwrap_or("no link");
    format!("{:?} ({}, from {})", raw.title, link, raw.source)
}

/// The whole run: collect then build.
pub async fn run(config: &Config, fetcher: &dyn Fetch, window: &Window) -> Outcome {
    let (raw, reports) = collect(config, fetcher, window).await;
    let mut outcome = build(&raw, config, window);
    outcome.reports = reports;
    outcome
}
