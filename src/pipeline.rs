//! The pipeline wired together: fetch every source concurrently, parse, normalize,
//! deduplicate, keep the window.
//!
//! [`collect`] is the only async step (it drives a [`Fetch`]); [`build`] is pure. A source
//! that fails is a [`SourceReport`] with an error, never an abort: the run goes on with the
//! others.
//!
//! Parsing is CPU work: [`collect`] runs every parse (sources and verification pages) on
//! tokio's blocking pool, at most one per core at a time, so that a large body never stalls
//! the timers of requests still in flight, and inside a panic guard ([`guarded`]), so that a
//! bug a strange input triggers in one reader fails that source only ("internal error in the
//! iCal reader: …, please report") and the run goes on.

use crate::config::{Config, Source, SourceKind};
use crate::dedupe;
use crate::dedupe::identity::canonical;
use crate::fetch::FetchError;
use crate::fetch::{Fetch, Response};
use crate::model::{Event, Organizer, RawEvent, Window};
use crate::normalize::{self, Directory, match_key};
use crate::sources::{self, Parsed, SourceError};
use crate::verify::{self, Correction, PageKind};
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::Semaphore;

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
}

impl SourceReport {
    /// Neither failed nor suspect.
    pub fn trusted(&self) -> bool {
        self.error.is_none() && self.suspect.is_none()
    }

    /// A source that answered with nothing to say: unit tests start from it and change only
    /// what they test.
    #[cfg(test)]
    pub(crate) fn example(kind: SourceKind, url: &str, label: &str) -> SourceReport {
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

/// Parses one fetched document according to its source's kind. The body is decoded in the
/// Content-Type's charset (else UTF-8); invalid sequences replaced are a warning.
pub fn parse_source(
    source: &Source,
    response: &Response,
    window: &Window,
) -> Result<Parsed, SourceError> {
    let (text, decode_warning) = match source.kind {
        SourceKind::Ical => ical_text(response),
        _ => {
            let d = response.decoded();
            let warning = d.warning();
            (d.text, warning)
        }
    };
    let label = source.label();
    let mut parsed = match source.kind {
        SourceKind::Ical => sources::ical::parse(&text, &response.url, label, window)?,
        SourceKind::Meetup => sources::meetup::parse_group_page(&text, &response.url, label)?,
        // A luma source's page, read for its own event list (the fallback of its feed).
        SourceKind::Jsonld | SourceKind::Luma => {
            sources::jsonld::parse_page(&text, &response.url, label)?
        }
    };
    if let Some(w) = decode_warning {
        parsed.warnings.insert(0, w);
    }
    match (source.kind, &source.organizer) {
        // The community calendar: each entry's organizer comes from its links.
        (SourceKind::Ical, None) => {}
        // One organizer's feed: that organizer on every event.
        (SourceKind::Ical, Some(page)) => {
            let name = source
                .name
                .clone()
                .or_else(|| sources::ical::calendar_name(&text))
                .unwrap_or_default();
            attribute(&mut parsed.events, &feed_organizer(source, page, name));
        }
        // What sources.toml says about the organizer completes what the page says.
        _ => complete_organizers(source, &mut parsed.events),
    }
    Ok(parsed)
}

/// The organizer of a feed of one organizer: `name` (empty: the directory's, at
/// normalization), its page, and the source's `home`.
fn feed_organizer(source: &Source, page: &str, name: String) -> Organizer {
    Organizer {
        name,
        url: Some(page.to_string()),
        home: source.home.clone(),
    }
}

/// Puts `organizer` on every event (a feed of one organizer says nothing of its own).
fn attribute(events: &mut [RawEvent], organizer: &Organizer) {
    for e in events {
        e.organizer = Some(organizer.clone());
    }
}

/// Completes the organizer a page reported with what `sources.toml` says: its `name` wins, its
/// `home` and URL fill gaps.
fn complete_organizers(source: &Source, events: &mut [RawEvent]) {
    for e in events {
        let org = e.organizer.get_or_insert_with(Default::default);
        if let Some(name) = &source.name {
            org.name = name.clone();
        }
        if org.home.is_none() {
            org.home = source.home.clone();
        }
        if org.url.is_none() {
            org.url = source.organizer_page();
        }
    }
}

/// An iCalendar body as text: unfolded at the byte level before decoding
/// ([`sources::ical::decode`]: a fold may split a multi-byte character), with the number of
/// invalid UTF-8 sequences that were still replaced. A non-UTF-8 charset (rare, RFC 5545
/// allows it) is decoded first; its folds are ASCII and unfold the same afterwards.
fn ical_text(response: &Response) -> (String, Option<String>) {
    match response.charset() {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let d = response.decoded();
            (sources::ical::decode(d.text.as_bytes()), d.warning())
        }
        _ => {
            let text = sources::ical::decode(&response.body);
            // Replacement characters in the text that were not already in the body.
            let replaced = text.matches('\u{FFFD}').count();
            let genuine = response
                .body
                .windows(3)
                .filter(|w| *w == "\u{FFFD}".as_bytes())
                .count();
            let d = crate::fetch::Decoded {
                text: String::new(),
                invalid: replaced.saturating_sub(genuine),
                encoding: "UTF-8",
            };
            (text, d.warning())
        }
    }
}

/// What a panic while parsing one source turns into: its message and where it happened.
/// The panic hook is process-wide, so [`guarded`] installs (once) a hook that, on a thread
/// running a guarded parse, records the location instead of printing the usual "thread
/// panicked at" lines (the report carries the message and the location once, in order, where
/// an editor reads it); every other panic goes to the previous hook as before.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

thread_local! {
    /// Whether this thread is running a [`guarded`] parse.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic on this thread happened.
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `parse`, turning a panic into `Err("internal error in the {reader}: {message} (at
/// file:line), please report")`. A last line of defence: readers are meant never to panic.
pub fn guarded<T>(reader: &str, parse: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    install_panic_hook();
    GUARDED.with(|g| g.set(true));
    PANIC_AT.with(|p| p.borrow_mut().take());
    // The closure's captures are dropped with the unwinding; nothing half-updated survives it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let at = PANIC_AT
            .with(|p| p.borrow_mut().take())
            .map(|at| format!(" (at {at})"))
            .unwrap_or_default();
        Err(format!(
            "internal error in the {reader}: {message}{at}, please report"
        ))
    })
}

/// Runs a [`guarded`] parse on tokio's blocking pool, once a permit of `limit` (one per core)
/// is free: parsing never blocks the async workers that drive the other requests' timers.
async fn parse_off_runtime<T: Send + 'static>(
    limit: &Arc<Semaphore>,
    reader: &'static str,
    parse: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let permit = limit.clone().acquire_owned().await;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        guarded(reader, parse)
    });
    task.await.unwrap_or_else(|e| {
        Err(format!(
            "internal error in the {reader}: {e}, please report"
        ))
    })
}

/// The name of the reader of a kind of source, for internal-error messages.
fn reader_name(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Ical => "iCal reader",
        SourceKind::Meetup => "meetup page reader",
        SourceKind::Jsonld => "JSON-LD page reader",
        SourceKind::Luma => "luma reader",
    }
}

/// How many parses run at once: one per core.
fn parse_slots() -> Arc<Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    Arc::new(Semaphore::new(cores.max(1)))
}

/// Keeps only events that mention one of the source's keywords in the title or the
/// description (case-insensitive). No keywords: keeps everything. Filtered events are
/// counted in the source's warnings so an organizer can be told why theirs is missing.
pub fn keyword_filter(source: &Source, parsed: &mut Parsed) -> Vec<RawEvent> {
    if source.keywords.is_empty() {
        return Vec::new();
    }
    let before = parsed.events.len();
    let (kept, left): (Vec<RawEvent>, Vec<RawEvent>) = std::mem::take(&mut parsed.events)
        .into_iter()
        .partition(|e| mentions_any(source, e));
    parsed.events = kept;
    let dropped = before - parsed.events.len();
    if dropped > 0 {
        parsed.warnings.push(format!(
            "{dropped} events do not mention {} and were left out",
            source.keywords.join(" or ")
        ));
    }
    left
}

/// Whether `text` mentions `keyword` as the start of a word: "rust" matches "Rust",
/// "Rustaceans" and "rust-lang", not "Trust" or "Thrust". A keyword with spaces or
/// punctuation is matched as a plain substring.
pub fn mentions(text: &str, keyword: &str) -> bool {
    let text = text.to_lowercase();
    let keyword = keyword.to_lowercase();
    if !keyword.chars().all(char::is_alphanumeric) {
        return text.contains(&keyword);
    }
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(&keyword))
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
/// [`PageScope`]): a page a page source has read is not fetched again, and a page several
/// feeds (or entries) link is fetched once. The result does not depend on the order in which
/// the work completes: [`verify_calendar`] decides every entry at the end, against every
/// source's pages, exactly as if verification had waited for all sources.
pub async fn collect(config: &Config, fetcher: &dyn Fetch, window: &Window) -> Collection {
    collect_with(config, fetcher, window, &Silent).await
}

/// [`collect`], telling `progress` as it goes (`pages_started` once every source is read,
/// with every page fetched or to fetch; pages done earlier are then told at once).
pub async fn collect_with(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
    progress: &dyn Progress,
) -> Collection {
    use futures::stream::{FuturesUnordered, StreamExt};
    type Job<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send + 'a>>;
    enum Done {
        Source(usize, SourceRead),
        Page(String, Result<RawEvent, String>),
    }

    let slots = parse_slots();
    let slots = &slots;
    let mut work: FuturesUnordered<Job<'_>> = FuturesUnordered::new();
    // How many sources still being read could list the pages of each scope.
    let mut pending: HashMap<PageScope, usize> = HashMap::new();
    let scopes: Vec<Option<PageScope>> = config.sources.iter().map(PageScope::of_source).collect();
    for (i, source) in config.sources.iter().enumerate() {
        if let Some(scope) = &scopes[i] {
            *pending.entry(scope.clone()).or_default() += 1;
        }
        work.push(Box::pin(async move {
            progress.source_started(source.label());
            let read = read_source(source, fetcher, window, slots).await;
            progress.source_done(source.label(), read.report.trusted());
            Done::Source(i, read)
        }));
    }
    let fetch_page = |key: String, url: String, kind: PageKind| -> Job<'_> {
        Box::pin(async move {
            let result = read_event_page(fetcher, &url, kind, slots).await;
            Done::Page(key, result)
        })
    };

    let mut reads: Vec<Option<SourceRead>> = config.sources.iter().map(|_| None).collect();
    let mut left = config.sources.len();
    // Canonical links of the events page sources gave: their pages are not fetched again.
    let mut known: HashSet<String> = HashSet::new();
    // Pages waiting for a source of their scope (each with its match key, URL, kind and
    // canonical link, computed once); pages started (by match key); pages read.
    let mut waiting: HashMap<PageScope, Vec<(String, String, PageKind, String)>> = HashMap::new();
    let mut started: HashSet<String> = HashSet::new();
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
            Done::Source(i, read) => {
                left -= 1;
                let scope = scopes[i].clone();
                if let Some(n) = scope.as_ref().and_then(|s| pending.get_mut(s)) {
                    *n -= 1;
                }
                known.extend(
                    read.pages
                        .iter()
                        .filter_map(|e| e.url.as_deref())
                        .map(canonical),
                );
                // The pages this source's end may release: those of its scope (a group's; every
                // group's on its host), then this feed's own, in the feed's order. Each page is
                // looked at when it arrives and when a source of its scope ends: linear in
                // pages and sources.
                let mut candidates = Vec::new();
                if let Some(scope) = scope {
                    if scope.group.is_some() {
                        candidates.extend(waiting.remove(&scope).into_iter().flatten());
                    } else {
                        let on_host: Vec<PageScope> = waiting
                            .keys()
                            .filter(|s| s.host == scope.host)
                            .cloned()
                            .collect();
                        for s in on_host {
                            candidates.extend(waiting.remove(&s).into_iter().flatten());
                        }
                    }
                }
                for f in &read.feed {
                    if let Some((url, kind)) = entry_page(f, window) {
                        let key = match_key(&url);
                        if !started.contains(&key) {
                            let canon = canonical(&url);
                            candidates.push((key, url, kind, canon));
                        }
                    }
                }
                reads[i] = Some(read);
                for (key, url, kind, canon) in candidates {
                    if started.contains(&key) || known.contains(&canon) {
                        continue;
                    }
                    let scope = PageScope::of_page(&key);
                    if scope.blocked_by(&pending) {
                        waiting
                            .entry(scope)
                            .or_default()
                            .push((key, url, kind, canon));
                    } else {
                        started.insert(key.clone());
                        work.push(fetch_page(key, url, kind));
                    }
                }
                if left == 0 {
                    progress.pages_started(started.len());
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
    let verified = verify_calendar(feed, &known, window, &pages);
    collection.events.extend(verified.events);
    collection.corrections = verified.corrections;
    collection.unverified = verified.unverified;
    collection
}

/// Which sources could list an event page themselves (and so make fetching it needless): a
/// meetup event page's group (`meetup.com/<group>`), else the page's host (a luma calendar
/// lists luma events, a JSON-LD page its own). A page waits only for the sources of its scope
/// still being read, so the pages of groups that are not sources are fetched while the group
/// pages are still coming in. A renamed group (linked by its old name) is not recognised
/// here: its page may be fetched needlessly, never used ([`verify_calendar`] decides with
/// every source's pages).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct PageScope {
    host: String,
    /// The meetup group, for meetup pages and group sources.
    group: Option<String>,
}

impl PageScope {
    /// The scope of a page, from its match key (`meetup.com/<group>/events/<id>`).
    fn of_page(key: &str) -> PageScope {
        let mut parts = key.split('/');
        let host = parts.next().unwrap_or_default().to_string();
        let group = (host == "meetup.com")
            .then(|| parts.next().map(str::to_string))
            .flatten();
        PageScope { host, group }
    }

    /// The pages a source could list: a meetup group's, or a page's host's; none for a feed
    /// (its entries are verified, never taken as pages).
    fn of_source(source: &Source) -> Option<PageScope> {
        let key = match_key(&source.url);
        match source.kind {
            SourceKind::Ical => None,
            SourceKind::Meetup => Some(PageScope::of_page(&key)),
            SourceKind::Luma | SourceKind::Jsonld => Some(PageScope {
                host: key.split('/').next().unwrap_or_default().to_string(),
                group: None,
            }),
        }
    }

    /// Whether a source still being read could list pages of this scope: one of its group, or
    /// any on its host.
    fn blocked_by(&self, pending: &HashMap<PageScope, usize>) -> bool {
        let count = |s: &PageScope| pending.get(s).copied().unwrap_or(0);
        let host = PageScope {
            host: self.host.clone(),
            group: None,
        };
        count(self) > 0 || (self.group.is_some() && count(&host) > 0)
    }
}

/// The event page a feed entry is checked against, if any: entries near the window that link
/// to a meetup or luma event page (the feed's own choice first).
fn entry_page(f: &FeedEntry, window: &Window) -> Option<(String, PageKind)> {
    if !touches(&f.raw, window) {
        return None;
    }
    f.page.clone().or_else(|| verify::page_to_verify(&f.raw))
}

/// Fetches and reads one event page: the one event it describes, or why it cannot be used.
async fn read_event_page(
    fetcher: &dyn Fetch,
    url: &str,
    kind: PageKind,
    slots: &Arc<Semaphore>,
) -> Result<RawEvent, String> {
    match fetcher.fetch(url).await {
        Ok(response) => {
            let owned_url = url.to_string();
            let reader = match kind {
                PageKind::MeetupEvent => "meetup page reader",
                PageKind::LumaEvent => "JSON-LD page reader",
            };
            parse_off_runtime(slots, reader, move || {
                let text = response.text();
                let url = owned_url.as_str();
                let parsed = match kind {
                    PageKind::MeetupEvent => {
                        sources::meetup::parse_event_page(&text, url, "event page")
                    }
                    PageKind::LumaEvent => sources::jsonld::parse_page(&text, url, "event page"),
                };
                match parsed {
                    Ok(p) => one_event(p.events, url),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await
        }
        Err(e) => Err(e.to_string()),
    }
}

/// A feed entry on its way to verification.
#[derive(Debug, Clone)]
struct FeedEntry {
    raw: RawEvent,
    /// Entered on a calendar of many organizers (the community calendar).
    in_calendar: bool,
    /// The organizer of a feed of one organizer: it stays the entry's organizer whatever the
    /// event page says (the page's host is often a person, not the group).
    organizer: Option<Organizer>,
    /// The page to verify against when the feed says which link is the event's page (a luma
    /// feed's link, whatever its slug looks like); else [`verify::page_to_verify`] decides.
    page: Option<(String, PageKind)>,
}

/// What reading one source gave.
struct SourceRead {
    report: SourceReport,
    /// Events whose facts come from a page (a group page, a JSON-LD page, a luma calendar
    /// page read as the fallback of its feed).
    pages: Vec<RawEvent>,
    /// Feed entries, verified against their pages before use.
    feed: Vec<FeedEntry>,
    /// Events the source's `keywords` left out.
    filtered: Vec<RawEvent>,
}

/// A fetch and parse of one URL: the parse (or why it failed) and what the answer said
/// beside it.
struct Fetched {
    parsed: Result<Parsed, String>,
    /// Not taken as the truth ([`crate::suspect::screen`]).
    suspect: Option<String>,
    redirected_to: Option<String>,
}

/// Fetches `url` and parses the answer with `parse` on the blocking pool, screened as a
/// `kind` source would be. `Err` only when the fetch itself failed.
async fn fetch_parse(
    fetcher: &dyn Fetch,
    url: &str,
    slots: &Arc<Semaphore>,
    kind: SourceKind,
    reader: &'static str,
    parse: impl FnOnce(&crate::fetch::Response) -> Result<Parsed, sources::SourceError> + Send + 'static,
) -> Result<Fetched, FetchError> {
    let response = fetcher.fetch(url).await?;
    let redirected_to = response.redirected_to.clone();
    let result = parse_off_runtime(slots, reader, move || {
        let parsed = parse(&response);
        // A suspect answer (an empty calendar, a page without event data) is screened here;
        // a panic in the reader stays a failure.
        let (parsed, suspect) = crate::suspect::screen(kind, &response.body, parsed);
        parsed.map(|p| (p, suspect)).map_err(|e| e.to_string())
    })
    .await;
    Ok(match result {
        Ok((p, suspect)) => Fetched {
            parsed: Ok(p),
            suspect,
            redirected_to,
        },
        Err(e) => Fetched {
            parsed: Err(e),
            suspect: None,
            redirected_to,
        },
    })
}

/// Reads one source, by its kind's ways in: a meetup group's page, else its iCal feed; a luma
/// calendar's feed (found through its page), else the page's own list; a feed; a page.
async fn read_source(
    source: &Source,
    fetcher: &dyn Fetch,
    window: &Window,
    slots: &Arc<Semaphore>,
) -> SourceRead {
    let url = fetch_url(source);
    let report = SourceReport {
        kind: source.kind,
        url: url.clone(),
        label: source.label().to_string(),
        events: 0,
        error: None,
        warnings: Vec::new(),
        suspect: None,
        status: None,
        redirected_to: None,
        latest_event: None,
        fallback: None,
    };
    let mut read = SourceRead {
        report,
        pages: Vec::new(),
        feed: Vec::new(),
        filtered: Vec::new(),
    };
    if source.kind == SourceKind::Luma {
        read_luma(source, fetcher, window, slots, &mut read).await;
    } else {
        let (owned, w) = (source.clone(), *window);
        let got = fetch_parse(
            fetcher,
            &url,
            slots,
            source.kind,
            reader_name(source.kind),
            move |r| parse_source(&owned, r, &w),
        )
        .await;
        match got {
            Ok(f) => {
                read.report.redirected_to = f.redirected_to;
                read.report.suspect = f.suspect;
                match f.parsed {
                    Ok(p) if source.kind == SourceKind::Ical => {
                        let organizer = source
                            .organizer
                            .as_ref()
                            .and_then(|_| p.events.first()?.organizer.clone());
                        read.report.warnings = p.warnings;
                        read.feed = p
                            .events
                            .into_iter()
                            .map(|raw| FeedEntry {
                                raw,
                                in_calendar: source.organizer.is_none(),
                                organizer: organizer.clone(),
                                page: None,
                            })
                            .collect();
                    }
                    Ok(p) => {
                        read.report.warnings = p.warnings;
                        read.pages = p.events;
                        let unreadable = source.kind == SourceKind::Meetup
                            && read.pages.is_empty()
                            && read.report.suspect.is_some();
                        if unreadable {
                            meetup_feed_fallback(source, fetcher, window, slots, &mut read).await;
                        }
                    }
                    Err(e) => read.report.error = Some(e),
                }
            }
            Err(e) => {
                if let FetchError::Status { status, .. } = &e {
                    read.report.status = Some(*status);
                }
                read.report.error = Some(e.to_string());
            }
        }
    }
    finish(source, read)
}

/// The keyword filter, the counts and the latest date of a source read.
fn finish(source: &Source, mut read: SourceRead) -> SourceRead {
    let mut parsed = Parsed {
        events: std::mem::take(&mut read.pages),
        warnings: std::mem::take(&mut read.report.warnings),
    };
    read.filtered = keyword_filter(source, &mut parsed);
    read.pages = parsed.events;
    if !source.keywords.is_empty() {
        let before = read.feed.len();
        read.feed.retain(|f| {
            let keep = mentions_any(source, &f.raw);
            if !keep {
                read.filtered.push(f.raw.clone());
            }
            keep
        });
        let dropped = before - read.feed.len();
        if dropped > 0 {
            parsed.warnings.push(format!(
                "{dropped} feed events do not mention {} and were left out",
                source.keywords.join(" or ")
            ));
        }
    }
    read.report.warnings = parsed.warnings;
    read.report.events = read.pages.len() + read.feed.len();
    read.report.latest_event = read
        .pages
        .iter()
        .chain(read.feed.iter().map(|f| &f.raw))
        .map(|e| instant_date(&e.start))
        .max();
    read
}

/// A meetup group whose page holds no event data (a login wall, a new markup): its iCal feed
/// (`<group>/events/ical/`, at most 10 upcoming events, no LOCATION) carries it, its entries
/// verified against their event pages like calendar entries. The report says the page could
/// not be read; when the feed fails too, the source stays suspect.
async fn meetup_feed_fallback(
    source: &Source,
    fetcher: &dyn Fetch,
    window: &Window,
    slots: &Arc<Semaphore>,
    read: &mut SourceRead,
) {
    let Some(group) = source.organizer_page() else {
        return;
    };
    let feed_url = format!("{group}events/ical/");
    let organizer = feed_organizer(source, &group, source.name.clone().unwrap_or_default());
    let (org, w, label) = (organizer.clone(), *window, source.label().to_string());
    let origin = feed_url.clone();
    let got = fetch_parse(
        fetcher,
        &feed_url,
        slots,
        SourceKind::Ical,
        "iCal reader",
        move |r| {
            let (text, _) = ical_text(r);
            let mut p = sources::ical::parse(&text, &origin, &label, &w)?;
            attribute(&mut p.events, &org);
            Ok(p)
        },
    )
    .await;
    let why = read.report.suspect.clone().unwrap_or_default();
    match got {
        Ok(Fetched {
            parsed: Ok(p),
            suspect: None,
            ..
        }) => {
            let message = format!(
                "the group page could not be read ({why}); read its iCal feed {feed_url} instead: at most 10 upcoming events, places from their event pages"
            );
            read.report.suspect = None;
            read.report.warnings.extend(p.warnings);
            read.report.fallback = Some(message);
            read.feed = p
                .events
                .into_iter()
                .map(|raw| FeedEntry {
                    raw,
                    in_calendar: false,
                    organizer: Some(organizer.clone()),
                    page: None,
                })
                .collect();
        }
        Ok(Fetched {
            parsed: Ok(_),
            suspect: Some(s),
            ..
        }) => {
            read.report.suspect = Some(format!("{why}; its iCal feed {feed_url}: {s}"));
        }
        Ok(Fetched { parsed: Err(e), .. }) => {
            read.report.suspect = Some(format!(
                "{why}; its iCal feed could not be read either: {e}"
            ));
        }
        Err(e) => {
            read.report.suspect = Some(format!(
                "{why}; its iCal feed could not be read either: {e}"
            ));
        }
    }
}

/// A luma calendar: the page gives the `cal-…` id (or the URL does) and the name; the feed
/// gives the events, verified against their pages; the page's own event list is the fallback.
async fn read_luma(
    source: &Source,
    fetcher: &dyn Fetch,
    window: &Window,
    slots: &Arc<Semaphore>,
    read: &mut SourceRead,
) {
    // The page: its calendar id and name, and its own event list (for the fallback).
    let page = match fetcher.fetch(&source.url).await {
        Ok(response) => {
            read.report.redirected_to = response.redirected_to.clone();
            let (owned, w) = (source.clone(), *window);
            parse_off_runtime(slots, "luma reader", move || {
                let text = response.text();
                let calendar = sources::luma::read_page(&text);
                let events = parse_source(&owned, &response, &w).map_err(|e| e.to_string());
                Ok((calendar, events))
            })
            .await
        }
        Err(e) => {
            if let FetchError::Status { status, .. } = &e {
                read.report.status = Some(*status);
            }
            Err(e.to_string())
        }
    };
    let (calendar, page_events) = match page {
        Ok((c, events)) => (c, events),
        Err(e) => (sources::luma::CalendarPage::default(), Err(e)),
    };
    let id = calendar
        .id
        .clone()
        .or_else(|| sources::luma::calendar_id(&source.url));
    let name = source
        .name
        .clone()
        .or(calendar.name.clone())
        .unwrap_or_default();
    let organizer = feed_organizer(source, &source.url, name);

    let feed_result: Result<Parsed, String> = match &id {
        None => Err(format!(
            "{}: no calendar id (cal-…) on the page, so its feed cannot be found",
            source.url
        )),
        Some(id) => {
            let feed_url = sources::luma::feed_url(id);
            let (org, w, label) = (organizer.clone(), *window, source.label().to_string());
            let origin = feed_url.clone();
            match fetch_parse(
                fetcher,
                &feed_url,
                slots,
                SourceKind::Ical,
                "luma reader",
                move |r| {
                    let (text, _) = ical_text(r);
                    let mut p = sources::luma::parse_feed(&text, &origin, &label, &w)?;
                    let mut org = org;
                    if org.name.is_empty() {
                        org.name = sources::ical::calendar_name(&text).unwrap_or_default();
                    }
                    attribute(&mut p.events, &org);
                    Ok(p)
                },
            )
            .await
            {
                Ok(Fetched {
                    parsed: Ok(p),
                    suspect,
                    ..
                }) => {
                    read.report.suspect = suspect;
                    Ok(p)
                }
                Ok(Fetched { parsed: Err(e), .. }) => Err(e),
                Err(e) => Err(e.to_string()),
            }
        }
    };
    match (feed_result, page_events) {
        (Ok(p), _) => {
            read.report.warnings = p.warnings;
            let organizer = p.events.first().and_then(|e| e.organizer.clone());
            read.feed = p
                .events
                .into_iter()
                .map(|raw| {
                    let page = raw.url.clone().map(|u| (u, PageKind::LumaEvent));
                    FeedEntry {
                        raw,
                        in_calendar: false,
                        organizer: organizer.clone(),
                        page,
                    }
                })
                .collect();
        }
        (Err(feed_error), Ok(p)) => {
            let message = format!(
                "the calendar's feed could not be read ({feed_error}); read the events its page lists instead (upcoming ones only)"
            );
            read.report.warnings = p.warnings;
            read.report.fallback = Some(message);
            read.pages = p.events;
        }
        (Err(feed_error), Err(page_error)) => {
            read.report.error = Some(format!(
                "{feed_error}; and its page could not be read: {page_error}"
            ));
        }
    }
}

/// Whether an event mentions one of the source's keywords (title or description).
fn mentions_any(source: &Source, e: &RawEvent) -> bool {
    let text = format!(
        "{} {}",
        e.title,
        e.description
            .as_deref()
            .map(normalize::links::html_to_text)
            .unwrap_or_default()
    );
    source.keywords.iter().any(|k| mentions(&text, k))
}

struct Verified {
    events: Vec<Collected>,
    corrections: Vec<Correction>,
    unverified: Vec<Unverified>,
}

/// Checks each feed entry near the window that links to a meetup or luma event page against
/// that page (`pages`, by match key: read once however many entries link them). Pages already
/// read from a group page (`known`, canonical links) are not used (the deduplication merges
/// them, page first). When several entries of one feed (instances of one series) link to the
/// same page, only the instance nearest the page's date takes the page's facts. Pure: every
/// page was fetched before ([`collect_with`]), so the outcome is the same whatever order the
/// work was done in.
fn verify_calendar(
    feed: Vec<FeedEntry>,
    known: &HashSet<String>,
    window: &Window,
    pages: &HashMap<String, Result<RawEvent, String>>,
) -> Verified {
    // Which page each entry should be checked against.
    let targets: Vec<Option<String>> = feed
        .iter()
        .map(|f| {
            let (url, _) = entry_page(f, window)?;
            if known.contains(&canonical(&url)) {
                return None;
            }
            Some(match_key(&url))
        })
        .collect();

    // For pages linked from several entries of one feed, the entry nearest the page's date.
    let mut nearest: HashMap<(&str, &str), (usize, i64)> = HashMap::new();
    for (i, (f, target)) in feed.iter().zip(&targets).enumerate() {
        let raw = &f.raw;
        let Some(key) = target else { continue };
        let Some(Ok(page)) = pages.get(key) else {
            continue;
        };
        let distance = (instant_date(&raw.start) - instant_date(&page.start))
            .num_days()
            .abs();
        let entry = nearest
            .entry((key.as_str(), raw.source.as_str()))
            .or_insert((i, distance));
        if distance < entry.1 {
            *entry = (i, distance);
        }
    }

    let mut out = Verified {
        events: Vec::new(),
        corrections: Vec::new(),
        unverified: Vec::new(),
    };
    for (i, (f, target)) in feed.iter().zip(&targets).enumerate() {
        let (raw, in_calendar) = (&f.raw, f.in_calendar);
        let Some(key) = target else {
            out.events.push(Collected {
                raw: raw.clone(),
                from_page: false,
                in_calendar,
            });
            continue;
        };
        match pages.get(key) {
            Some(Ok(page))
                if nearest
                    .get(&(key.as_str(), raw.source.as_str()))
                    .map(|n| n.0)
                    == Some(i) =>
            {
                let (mut merged, corrections) = verify::apply(raw, page);
                // A feed of one organizer keeps its organizer; the page may fill its home.
                if let Some(own) = &f.organizer {
                    let page_home = merged.organizer.take().and_then(|o| o.home);
                    let mut own = own.clone();
                    if own.home.is_none() {
                        own.home = page_home;
                    }
                    merged.organizer = Some(own);
                }
                out.corrections.extend(corrections);
                out.events.push(Collected {
                    raw: merged,
                    from_page: true,
                    in_calendar,
                });
            }
            Some(Ok(_)) => {
                out.unverified.push(Unverified {
                    entry: describe(raw),
                    reason: "its page describes another instance of the series; kept the calendar's data and linked the organizer instead".to_string(),
                });
                out.events.push(Collected {
                    raw: unlink_page(raw, key),
                    from_page: false,
                    in_calendar,
                });
            }
            Some(Err(e)) => {
                out.unverified.push(Unverified {
                    entry: describe(raw),
                    reason: format!("{e}; kept the calendar's data"),
                });
                out.events.push(Collected {
                    raw: raw.clone(),
                    from_page: false,
                    in_calendar,
                });
            }
            None => out.events.push(Collected {
                raw: raw.clone(),
                from_page: false,
                in_calendar,
            }),
        }
    }
    out
}

/// The entry without its links to the page `key` (which describes another instance of its
/// series): a reader must not be sent to another date's page, and deduplication must not take
/// it for that instance. A meetup event link gives way to its group's events page.
fn unlink_page(raw: &RawEvent, key: &str) -> RawEvent {
    let mut out = raw.clone();
    let group = key
        .strip_prefix("meetup.com/")
        .and_then(|rest| rest.split('/').next())
        .map(|group| format!("https://www.meetup.com/{group}/events/"));
    let is_page = |u: &String| match_key(u) == key;
    if out.url.as_ref().is_some_and(is_page) {
        out.url = group.clone();
    }
    out.links.retain(|u| !is_page(u));
    if let Some(g) = group {
        out.links.push(g);
    }
    out
}

/// The one event a page describes: the only one, or the one whose link is the page.
fn one_event(events: Vec<RawEvent>, url: &str) -> Result<RawEvent, String> {
    // Compared as event identities: a meetup event is its id, whatever the group's current
    // name or the locale in the link.
    let key = canonical(url);
    let count = events.len();
    let mut matching: Vec<RawEvent> = events
        .iter()
        .filter(|e| e.url.as_deref().is_some_and(|u| canonical(u) == key))
        .cloned()
        .collect();
    if matching.len() == 1 {
        return Ok(matching.remove(0));
    }
    match (count, events.into_iter().next()) {
        // One event that names another page: the link led to a calendar or a listing.
        (1, Some(e)) if e.url.as_deref().is_some_and(|u| canonical(u) != key) => Err(format!(
            "{url}: the page describes another event ({})",
            e.url.as_deref().unwrap_or_default()
        )),
        (1, Some(e)) => Ok(e),
        (0, _) => Err(format!("{url}: the page describes no event")),
        _ => Err(format!("{url}: the page describes {count} events, not one")),
    }
}

/// The date a `When` falls on in its own terms (UTC for instants), for nearness only.
fn instant_date(w: &crate::model::When) -> chrono::NaiveDate {
    use crate::model::When;
    match w {
        When::Date(d) => *d,
        When::Utc(u) => u.date_naive(),
        When::Zoned(n, _) | When::Floating(n) => n.date(),
        When::Offset(o) => o.date_naive(),
    }
}

/// Normalizes, keeps the window and deduplicates. Pure.
pub fn build(collected: &[Collected], config: &Config, window: &Window) -> Outcome {
    let mut directory = Directory::from_config(config);
    for c in collected.iter().filter(|c| c.from_page) {
        if let Some(o) = &c.raw.organizer {
            directory.learn(o);
        }
    }
    // The events an organizer's own source lists are that organizer's, wherever else they
    // are linked from (the community calendar).
    directory.learn_events(
        collected
            .iter()
            .filter(|c| !c.in_calendar)
            .filter_map(|c| Some((c.raw.url.as_deref()?, c.raw.organizer.as_ref()?))),
    );
    // Events their own page says are cancelled or postponed: a feed's entry for the same event
    // (not checked against the page, which a source had already read) goes with them.
    let called_off: HashMap<String, crate::model::Status> = collected
        .iter()
        .filter(|c| c.from_page)
        .filter(|c| {
            matches!(
                c.raw.status,
                crate::model::Status::Cancelled | crate::model::Status::Postponed
            )
        })
        .filter_map(|c| Some((canonical(c.raw.url.as_deref()?), c.raw.status)))
        .collect();
    let mut outcome = Outcome::default();
    let mut events = Vec::new();
    for c in collected {
        let page_says = (!c.from_page)
            .then(|| {
                c.raw
                    .url
                    .iter()
                    .chain(&c.raw.links)
                    .find_map(|u| called_off.get(&canonical(u)))
            })
            .flatten();
        if let Some(status) = page_says {
            if touches(&c.raw, window) {
                outcome.dropped.push(LeftOut {
                    event: c.raw.clone(),
                    reason: format!(
                        "{} on its event page",
                        normalize::Dropped::Cancelled(*status)
                    ),
                });
            }
            continue;
        }
        match normalize::normalize(&c.raw, &directory) {
            Ok(mut n) => {
                n.event.from_page = c.from_page;
                n.event.in_calendar = c.in_calendar;
                if window.overlaps(n.event.start_date, n.event.end_date) {
                    outcome.notes.extend(n.notes);
                    events.push(n.event);
                } else {
                    outcome.outside_window.push(n.event);
                }
            }
            Err(_) if !touches(&c.raw, window) => {}
            Err(why) => outcome.dropped.push(LeftOut {
                event: c.raw.clone(),
                reason: why.to_string(),
            }),
        }
    }
    let deduped = dedupe::dedupe(events);
    outcome.merges = deduped.merges;
    outcome.possible_duplicates = deduped.possible_duplicates;
    outcome.notes.extend(deduped.notes);
    outcome.events = deduped.events;
    outcome
}

/// Roughly whether a raw event is near the window (for not reporting far-away drops).
fn touches(raw: &RawEvent, window: &Window) -> bool {
    let date = instant_date(&raw.start);
    date >= normalize::add_days(window.from, -2) && date <= normalize::add_days(window.to, 2)
}

/// `"Title" on DATE (link, from SOURCE)`, for reports.
pub fn describe(raw: &RawEvent) -> String {
    let link = raw
        .url
        .as_deref()
        .or(raw.links.first().map(String::as_str))
        .unwrap_or("no link");
    format!(
        "{:?} on {} ({}, from {})",
        raw.title,
        instant_date(&raw.start),
        link,
        raw.source
    )
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
mod tests {
    use super::*;

    #[test]
    fn keywords_match_word_starts_only() {
        assert!(mentions("Intro to Rust", "rust"));
        assert!(mentions("Rustaceans unite", "rust"));
        assert!(mentions("#rust-lang night", "rust"));
        assert!(!mentions("Zero Trust security", "rust"));
        assert!(!mentions("Thrust vectoring", "rust"));
        assert!(mentions("Web Assembly & more", "web assembly"));
    }

    #[test]
    fn a_panic_in_a_reader_is_that_reader_s_error() {
        let r: Result<(), String> = guarded("iCal reader", || {
            let s = "aé";
            let _ = &s[..2]; // not a char boundary
            Ok(())
        });
        let e = r.unwrap_err();
        assert!(e.starts_with("internal error in the iCal reader: "), "{e}");
        assert!(e.contains("char boundary"), "{e}");
        assert!(e.contains("(at src/pipeline.rs:"), "{e}");
        assert!(e.ends_with(", please report"), "{e}");
        // Errors and results pass through; the guard is reusable on the same thread.
        assert_eq!(guarded("x", || Ok::<_, String>(3)), Ok(3));
        assert_eq!(guarded::<()>("x", || Err("bad".into())), Err("bad".into()));
        let e = guarded::<()>("meetup page reader", || std::panic::panic_any(7u8)).unwrap_err();
        assert!(e.contains("a panic without a message"), "{e}");
    }

    fn ical_source() -> Source {
        Source {
            kind: SourceKind::Ical,
            url: "https://example.org/cal.ics".into(),
            name: Some("Cal".into()),
            home: None,
            keywords: Vec::new(),
            organizer: None,
            line: 1,
        }
    }

    fn ics_response(body: Vec<u8>, content_type: &str) -> Response {
        Response {
            url: "https://example.org/cal.ics".into(),
            status: 200,
            content_type: Some(content_type.into()),
            body,
            redirected_to: None,
        }
    }

    const ICS_HEAD: &[u8] = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260801T000000Z\r\nDTSTART:20260826T170000Z\r\nDTEND:20260826T180000Z\r\nSUMMARY:";
    const ICS_TAIL: &[u8] = b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

    fn window() -> Window {
        Window {
            from: "2026-08-19".parse().unwrap(),
            to: "2026-09-16".parse().unwrap(),
        }
    }

    #[test]
    fn a_calendar_s_invalid_utf8_is_a_warning_but_a_fold_inside_a_character_is_not() {
        // "Zürich" folded between the two bytes of ü, plus one stray byte, plus a genuine U+FFFD.
        let body = [ICS_HEAD, b"Z\xC3\r\n \xBCrich \xFF \xEF\xBF\xBD", ICS_TAIL].concat();
        let parsed = parse_source(
            &ical_source(),
            &ics_response(body, "text/calendar; charset=UTF-8"),
            &window(),
        )
        .unwrap();
        assert_eq!(parsed.events[0].title, "Zürich \u{FFFD} \u{FFFD}");
        assert_eq!(parsed.warnings[0], "1 invalid UTF-8 sequence replaced");
    }

    #[test]
    fn a_calendar_in_latin1_is_read_as_latin1() {
        let body = [ICS_HEAD, b"Z\xFCrich", ICS_TAIL].concat();
        let parsed = parse_source(
            &ical_source(),
            &ics_response(body, "text/calendar; charset=ISO-8859-1"),
            &window(),
        )
        .unwrap();
        assert_eq!(parsed.events[0].title, "Zürich");
        assert!(parsed.warnings.iter().all(|w| !w.contains("invalid")));
    }

    fn page_event(url: &str) -> RawEvent {
        let mut e = RawEvent::new(
            "page",
            "x",
            crate::model::When::Date(chrono::NaiveDate::MIN),
        );
        e.url = Some(url.into());
        e
    }

    #[test]
    fn a_page_must_describe_the_linked_event() {
        // Renamed group, locale prefix: still the same meetup event.
        let e = one_event(
            vec![page_event(
                "https://www.meetup.com/join-srug/events/314520814/",
            )],
            "https://www.meetup.com/de-DE/seattle-rust-user-group/events/314520814",
        );
        assert!(e.is_ok(), "{e:?}");
        // A calendar page that lists one event is not that event's page.
        let e = one_event(
            vec![page_event("https://luma.com/1bm27cah")],
            "https://luma.com/rustgiro",
        );
        assert!(e.unwrap_err().contains("another event"));
        let e = one_event(
            vec![
                page_event("https://luma.com/a"),
                page_event("https://luma.com/b"),
            ],
            "https://luma.com/c",
        );
        assert!(e.unwrap_err().contains("2 events"));
    }
}
