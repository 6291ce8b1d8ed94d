//! The pipeline wired together: fetch every source concurrently, parse, normalize,
//! deduplicate, keep the window.
//!
//! [`collect_with`] is the only async step (it drives a [`Fetch`]); [`build()`] is pure. A source
//! that fails is a [`SourceReport`] with an error, never an abort: the run goes on with the
//! others.
//!
//! Parsing is CPU work: [`collect_with`] runs every parse (sources and verification pages) on
//! tokio's blocking pool, at most one per core at a time, so that a large body never stalls
//! the timers of requests still in flight, and inside a panic guard ([`guarded`]), so that a
//! bug a strange input triggers in one reader fails that source only ("internal error in the
//! iCal reader: …, please report") and the run goes on.

mod build;
mod carry;
mod guard;
mod pages;
mod parse;
mod read;

pub use build::{build, describe, instant_date};
pub use carry::{Previous, carry_over};
pub use guard::guarded;
pub use parse::{fetch_url, keyword_filter, mentions, parse_source};

use crate::config::{Config, SourceKind};
use crate::dedupe;
use crate::fetch::Fetch;
use crate::model::{Event, RawEvent, Window};
use crate::verify::Correction;
use futures::stream::{FuturesUnordered, StreamExt};
use guard::parse_slots;
use pages::{PageToFetch, Schedule, read_event_page, verify_calendar};
use read::{SourceRead, read_source};
use serde::Serialize;
use std::collections::HashMap;

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
    /// `Some(reason)` when it answered, but with no events where events are expected or far
    /// fewer than its previous run ([`crate::suspect`]): not taken as the truth (exit 2; its
    /// previous events are carried over like a failed source's).
    pub suspect: Option<String>,
    /// The HTTP status of a failed fetch of the source's own URL (404 and 410: the group or
    /// calendar is gone), for `health`.
    pub status: Option<u16>,
    /// Where the source's URL redirected to (a renamed meetup group), for `health`.
    pub redirected_to: Option<String>,
    /// The latest start date among everything the source listed (past events included, where
    /// the source shows them), for `health`: a group that lists nothing recent may be dead.
    pub latest_event: Option<chrono::NaiveDate>,
    /// The source's own way in could not be read and a second one carried it (a meetup group
    /// page without data, read through the group's iCal feed; a luma calendar whose feed
    /// failed, read from its page): why, for the report and `health`.
    pub fallback: Option<String>,
    /// Events of the previous run's file that name this source, kept in the listing because
    /// it failed or is suspect ([`carry_over`]): alone, or merged with this run's copies.
    pub carried_over: usize,
}

impl SourceReport {
    /// Neither failed nor suspect.
    pub fn trusted(&self) -> bool {
        self.error.is_none() && self.suspect.is_none()
    }

    /// `failed` (an error), `suspect` (an answer not taken as the truth) or `ok`: the word the
    /// JSON file, the page and the reports use.
    pub fn status(&self) -> &'static str {
        match (&self.error, &self.suspect) {
            (Some(_), _) => "failed",
            (None, Some(_)) => "suspect",
            (None, None) => "ok",
        }
    }

    /// Why the source was not used: its error, else why it is suspect; `None` when it was.
    pub fn why_not_used(&self) -> Option<&str> {
        self.error.as_deref().or(self.suspect.as_deref())
    }

    /// A source read at `url` with nothing to say yet (no events, no error, no warning): the
    /// reading fills it in, and unit tests start from it and change only what they test.
    pub fn new(kind: SourceKind, url: &str, label: &str) -> SourceReport {
        SourceReport {
            kind,
            url: url.into(),
            label: label.into(),
            events: 0,
            error: None,
            warnings: vec![],
            suspect: None,
            status: None,
            redirected_to: None,
            latest_event: None,
            fallback: None,
            carried_over: 0,
        }
    }
}

/// A calendar entry whose event page could not be used: kept with the calendar's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unverified {
    /// The entry ([`describe`]).
    pub entry: String,
    /// Why its page could not be used.
    pub reason: String,
    /// The page (`normalize::match_key`) when it could not be read at all (no answer, an
    /// error, no event data): what the last good run read from it is carried over
    /// ([`carry_over`]). `None` when the page answered, about another instance.
    pub page: Option<String>,
}

impl std::fmt::Display for Unverified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.entry, self.reason)
    }
}

/// An event normalization left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub event: RawEvent,
    pub reason: String,
    /// The event's own page, when that page said it is cancelled or postponed (a verified
    /// fact: [`carry_over`] keeps it while the page cannot be read).
    pub called_off_on_page: Option<String>,
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", describe(&self.event), self.reason)
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Events in the window, deduplicated.
    pub events: Vec<Event>,
    /// The same events before deduplication: [`carry_over`] deduplicates them again together
    /// with the previous run's events of the sources that failed.
    pub undeduplicated: Vec<Event>,
    pub reports: Vec<SourceReport>,
    /// Events left out, with why (cancelled, no link, …), for the review report.
    pub dropped: Vec<LeftOut>,
    /// Guesses worth an editor's look.
    pub notes: Vec<String>,
    /// Duplicates merged, with the evidence.
    pub merges: Vec<dedupe::Merge>,
    /// Pairs that may be one event but were kept apart (weak evidence).
    pub possible_duplicates: Vec<dedupe::PossibleDuplicate>,
    /// Events the sources know that fall outside the window (for `check`).
    pub outside_window: Vec<Event>,
    /// Events a source's `keywords` left out (for `check`).
    pub filtered: Vec<RawEvent>,
    /// Calendar facts an event page overrode.
    pub corrections: Vec<Correction>,
    /// Calendar entries whose page could not be used.
    pub unverified: Vec<Unverified>,
}

impl Outcome {
    pub fn failed_sources(&self) -> usize {
        self.reports.iter().filter(|r| r.error.is_some()).count()
    }

    /// Sources that answered, but suspiciously (see [`crate::suspect`]).
    pub fn suspect_sources(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| r.error.is_none() && r.suspect.is_some())
            .count()
    }

    /// Whether every source failed or is suspect (and there was at least one): nothing this run
    /// says can replace what an earlier run wrote.
    pub fn nothing_trusted(&self) -> bool {
        !self.reports.is_empty() && self.reports.iter().all(|r| !r.trusted())
    }

    /// The process exit code for a run that produced its output: a failed or suspect source
    /// is exit 2.
    pub fn exit_code(&self) -> u8 {
        if self.reports.iter().any(|r| !r.trusted()) {
            crate::error::exit::SOURCE_FAILED
        } else {
            crate::error::exit::OK
        }
    }
}

/// A raw event and where its facts come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Collected {
    pub raw: RawEvent,
    /// Its facts come from the event's own page (a page source, or a verified calendar entry).
    pub from_page: bool,
    /// It was entered on a calendar feed (verified or not).
    pub in_calendar: bool,
}

/// What fetching and parsing produced, before normalization.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    /// Page-sourced events first, then calendar entries: the order is the authority order
    /// deduplication relies on.
    pub events: Vec<Collected>,
    pub reports: Vec<SourceReport>,
    /// Calendar facts an event page overrode.
    pub corrections: Vec<Correction>,
    /// Calendar entries whose page could not be used (unreachable, unreadable, ambiguous):
    /// kept with the calendar's data.
    pub unverified: Vec<Unverified>,
    /// Events a source's `keywords` left out.
    pub filtered: Vec<RawEvent>,
}

/// What a run tells while it goes: the command line draws its progress bar from it. Every
/// method has a default that does nothing.
pub trait Progress: Send + Sync {
    /// Reading a source started (its label).
    fn source_started(&self, _label: &str) {}
    /// Reading a source ended; `ok` unless it failed or is suspect.
    fn source_done(&self, _label: &str, _ok: bool) {}
    /// `count` event pages are being fetched to verify feed entries.
    fn pages_started(&self, _count: usize) {}
    /// One of them is done.
    fn page_done(&self) {}
}

/// No progress to tell.
pub struct Silent;
impl Progress for Silent {}

/// Fetches and parses every source concurrently (the fetcher bounds the concurrency), and
/// verifies feed entries (the community calendar's, and those of organizers' own feeds)
/// against the event pages they link to.
///
/// There is no phase barrier between the two: an entry's event page is fetched as soon as its
/// feed is parsed and no source still being read could list that page itself (see
/// `PageScope`): a page a page source has read is not fetched again, and a page several
/// feeds (or entries) link is fetched once. The result does not depend on the order in which
/// the work completes: `verify_calendar` decides every entry at the end, against every
/// source's pages, exactly as if verification had waited for all sources.
///
/// `progress` is told as it goes (`pages_started` once every source is read, with every page
/// fetched or to fetch; pages done earlier are then told at once).
///
/// The steps: start reading every source; as each ends, start the event pages it releases
/// (`Schedule::source_read`); once all work is done, `assemble` the collection.
pub async fn collect_with(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
    progress: &dyn Progress,
) -> Collection {
    let slots = parse_slots();
    let slots = &slots;
    let mut work: FuturesUnordered<Job<'_>> = FuturesUnordered::new();
    let mut schedule = Schedule::new(&config.sources, config.trusted());
    for (i, source) in config.sources.iter().enumerate() {
        work.push(Box::pin(async move {
            progress.source_started(source.label());
            let read = read_source(source, fetcher, *window, slots).await;
            progress.source_done(source.label(), read.report.trusted());
            Done::Source(i, read)
        }));
    }
    let fetch_page = |page: PageToFetch| -> Job<'_> {
        Box::pin(async move {
            let result = read_event_page(fetcher, &page.url, page.kind, slots).await;
            Done::Page(page.key, result)
        })
    };

    let mut reads: Vec<Option<SourceRead>> = config.sources.iter().map(|_| None).collect();
    let mut left = config.sources.len();
    let mut pages: HashMap<String, Result<RawEvent, String>> = HashMap::new();
    let mut announced = false;
    while let Some(done) = work.next().await {
        match done {
            Done::Page(key, result) => {
                pages.insert(key, result);
                if announced {
                    progress.page_done();
                }
            }
            Done::Source(i, mut read) => {
                left -= 1;
                let released = schedule.source_read(i, &mut read, *window);
                reads[i] = Some(read);
                for page in released {
                    work.push(fetch_page(page));
                }
                if left == 0 {
                    progress.pages_started(schedule.started());
                    for _ in 0..pages.len() {
                        progress.page_done();
                    }
                    announced = true;
                }
            }
        }
    }
    if !announced {
        progress.pages_started(0);
    }
    assemble(reads, &schedule, &pages)
}

/// One piece of [`collect_with`]'s work, reading a source or an event page.
type Job<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send + 'a>>;

/// What a [`Job`] gave.
enum Done {
    Source(usize, SourceRead),
    Page(String, Result<RawEvent, String>),
}

/// The collection from every source read (in the configuration's order) and every event page
/// read: page-sourced events first, then the feed entries, each decided against its page.
fn assemble(
    reads: Vec<Option<SourceRead>>,
    schedule: &Schedule,
    pages: &HashMap<String, Result<RawEvent, String>>,
) -> Collection {
    let mut collection = Collection::default();
    let mut feed = Vec::new();
    for read in reads.into_iter().flatten() {
        collection.reports.push(read.report);
        collection.filtered.extend(read.filtered);
        collection
            .events
            .extend(read.pages.into_iter().map(|raw| Collected {
                raw,
                from_page: true,
                in_calendar: false,
            }));
        feed.extend(read.feed);
    }
    // An organizer's own feed speaks with more authority than the community calendar.
    feed.sort_by_key(|f| f.in_calendar);
    let verified = verify_calendar(&feed, &schedule.known, pages);
    collection.events.extend(verified.events);
    collection.corrections = verified.corrections;
    collection.unverified = verified.unverified;
    collection
}

/// The whole run: collect then build.
pub async fn run(config: &Config, fetcher: &dyn Fetch, window: &Window) -> Outcome {
    run_with(config, fetcher, window, &Silent).await
}

/// [`run`], telling `progress` as it goes.
pub async fn run_with(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
    progress: &dyn Progress,
) -> Outcome {
    let collection = collect_with(config, fetcher, window, progress).await;
    let mut outcome = build(&collection.events, config, window);
    outcome.reports = collection.reports;
    outcome.corrections = collection.corrections;
    outcome.unverified = collection.unverified;
    outcome.filtered = collection.filtered;
    outcome
}

#[cfg(test)]
mod tests;
