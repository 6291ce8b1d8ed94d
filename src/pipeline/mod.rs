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
//!
//! Event pages are fetched without a phase barrier: an entry's page is fetched once, as soon as
//! its feed is parsed and no source still being read could list it, and every entry is still
//! decided at the end against every source's pages. Page-sourced events come first, marked
//! `from_page`, so that `verify` and `dedupe` let the page win for date, time, place and status.
//! An organizer's own source (a group page, a luma calendar, an organizer's feed) decides the
//! organizer of its events: verification keeps it whatever the event page says, and the
//! directory learns its event links, so the community calendar's entry for the same event gets
//! the same organizer, home and zone.
//!
//! Here, by step: `ways_in.rs` (each source read by its kind's ways in: a meetup group's page,
//! else the group's iCal feed; a luma calendar's page for its id, then its ICS feed, else the
//! page's own list; a feed; a page; a fallback taken is reported, `SourceReport::fallback`, never
//! silent), `parse.rs` (one fetched document by its kind, the organizer a source's configuration
//! adds, the keyword filter), `pages.rs` (verification: the no-barrier schedule, each kind's page
//! scope, the decision for every entry), `build.rs` (the directory learned from page events, what
//! pages call off dropped, normalize, window, dedupe; each entry of the reports given its first
//! local day through `normalize::local_date`), `carry.rs` (for `json --out` and `publish`: the
//! previous file's events of the sources that failed or are suspect, deduplicated again with the
//! run's), `guard.rs` (the panic guard and the blocking pool).

mod build;
mod carry;
mod guard;
mod pages;
mod parse;
mod ways_in;

pub use crate::run::{
    Filtered, LeftOut, Outcome, PageProblem, SourceReport, Unverified, describe_on, instant_date,
};
pub use build::build;
pub use carry::{Previous, carry_over};
pub use guard::guarded;
pub use parse::{fetch_url, keyword_filter, mentions, parse_source};

use crate::config::Config;
use crate::fetch::Fetch;
use crate::model::{RawEvent, Window};
use crate::run::Failure;
use crate::verify::Correction;
use futures::stream::{FuturesUnordered, StreamExt};
use guard::parse_slots;
use pages::{PageToFetch, Schedule, read_event_page, verify_calendar};
use std::collections::HashMap;
use ways_in::{SourceRead, read_source};

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
    let mut pages: HashMap<String, Result<RawEvent, Failure>> = HashMap::new();
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
    Page(String, Result<RawEvent, Failure>),
}

/// The collection from every source read (in the configuration's order) and every event page
/// read: page-sourced events first, then the feed entries, each decided against its page.
fn assemble(
    reads: Vec<Option<SourceRead>>,
    schedule: &Schedule,
    pages: &HashMap<String, Result<RawEvent, Failure>>,
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
    build(collection, config, window)
}

#[cfg(test)]
mod tests;
