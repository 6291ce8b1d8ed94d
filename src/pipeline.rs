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
use crate::fetch::{Fetch, Response};
use crate::model::{Event, RawEvent, Window};
use crate::normalize::{self, Directory, match_key};
use crate::sources::{self, Parsed, SourceError};
use crate::verify::{self, Correction, PageKind};
use futures::future::join_all;
use serde::Serialize;
use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap, HashSet};
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
        SourceKind::Jsonld | SourceKind::Luma => {
            sources::jsonld::parse_page(&text, &response.url, label)?
        }
    };
    if let Some(w) = decode_warning {
        parsed.warnings.insert(0, w);
    }
    // What sources.toml says about the organizer completes what the page says.
    if source.kind != SourceKind::Ical {
        for e in &mut parsed.events {
            let org = e.organizer.get_or_insert_with(Default::default);
            if let Some(name) = &source.name {
                org.name = name.clone();
            }
            if org.home.is_none() {
                org.home = source.home.clone();
            }
            if org.url.is_none() {
                org.url = Some(source.url.clone());
            }
        }
    }
    Ok(parsed)
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
        .partition(|e| {
            let text = format!(
                "{} {}",
                e.title,
                e.description
                    .as_deref()
                    .map(normalize::links::html_to_text)
                    .unwrap_or_default()
            );
            source.keywords.iter().any(|k| mentions(&text, k))
        });
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

/// Fetches and parses every source concurrently (the fetcher bounds the concurrency), then
/// verifies calendar entries against the event pages they link to.
pub async fn collect(config: &Config, fetcher: &dyn Fetch, window: &Window) -> Collection {
    let slots = parse_slots();
    let slots = &slots;
    let jobs = config.sources.iter().map(|source| async move {
        let url = fetch_url(source);
        let mut report = SourceReport {
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
        let result = match fetcher.fetch(&url).await {
            Ok(response) => {
                report.redirected_to = response.redirected_to.clone();
                let (owned, window) = (source.clone(), *window);
                parse_off_runtime(slots, reader_name(source.kind), move || {
                    let parsed = parse_source(&owned, &response, &window);
                    // A suspect answer (an empty calendar, a page without event data) is
                    // screened here; a panic in the reader stays a failure.
                    let (parsed, suspect) =
                        crate::suspect::screen(owned.kind, &response.body, parsed);
                    parsed.map(|p| (p, suspect)).map_err(|e| e.to_string())
                })
                .await
            }
            Err(e) => {
                if let crate::fetch::FetchError::Status { status, .. } = &e {
                    report.status = Some(*status);
                }
                Err(e.to_string())
            }
        };
        match result {
            Ok((mut parsed, suspect)) => {
                report.suspect = suspect;
                let filtered = keyword_filter(source, &mut parsed);
                report.events = parsed.events.len();
                report.latest_event = parsed.events.iter().map(|e| instant_date(&e.start)).max();
                report.warnings = parsed.warnings;
                (source.kind, parsed.events, filtered, report)
            }
            Err(e) => {
                report.error = Some(e);
                (source.kind, Vec::new(), Vec::new(), report)
            }
        }
    });
    let mut collection = Collection::default();
    let mut calendar = Vec::new();
    for (kind, events, filtered, report) in join_all(jobs).await {
        collection.reports.push(report);
        collection.filtered.extend(filtered);
        match kind {
            SourceKind::Ical => calendar.extend(events),
            _ => collection
                .events
                .extend(events.into_iter().map(|raw| Collected {
                    raw,
                    from_page: true,
                    in_calendar: false,
                })),
        }
    }
    let verified = verify_calendar(calendar, &collection.events, fetcher, window, slots).await;
    collection.events.extend(verified.events);
    collection.corrections = verified.corrections;
    collection.unverified = verified.unverified;
    collection
}

struct Verified {
    events: Vec<Collected>,
    corrections: Vec<Correction>,
    unverified: Vec<Unverified>,
}

/// Checks each calendar entry near the window that links to a meetup or luma event page
/// against that page. Pages already read from a group page are not fetched again (the
/// deduplication merges them, page first). When several entries (instances of one series)
/// link to the same page, only the instance nearest the page's date takes the page's facts.
async fn verify_calendar(
    calendar: Vec<RawEvent>,
    known: &[Collected],
    fetcher: &dyn Fetch,
    window: &Window,
    slots: &Arc<Semaphore>,
) -> Verified {
    let known_pages: HashSet<String> = known
        .iter()
        .filter_map(|c| c.raw.url.as_deref())
        .map(canonical)
        .collect();
    // Which page each entry should be checked against.
    let mut wanted: BTreeMap<String, (String, PageKind)> = BTreeMap::new();
    let targets: Vec<Option<String>> = calendar
        .iter()
        .map(|raw| {
            if !touches(raw, window) {
                return None;
            }
            let (url, kind) = verify::page_to_verify(raw)?;
            if known_pages.contains(&canonical(&url)) {
                return None;
            }
            let key = match_key(&url);
            wanted.entry(key.clone()).or_insert((url, kind));
            Some(key)
        })
        .collect();
    let fetches = wanted.iter().map(|(key, (url, kind))| async move {
        let result = match fetcher.fetch(url).await {
            Ok(response) => {
                let (kind, owned_url) = (*kind, url.clone());
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
                        PageKind::LumaEvent => {
                            sources::jsonld::parse_page(&text, url, "event page")
                        }
                    };
                    match parsed {
                        Ok(p) => one_event(p.events, url),
                        Err(e) => Err(e.to_string()),
                    }
                })
                .await
            }
            Err(e) => Err(e.to_string()),
        };
        (key.clone(), result)
    });
    let pages: HashMap<String, Result<RawEvent, String>> =
        join_all(fetches).await.into_iter().collect();

    // For pages linked from several entries, the entry nearest the page's date.
    let mut nearest: HashMap<&str, (usize, i64)> = HashMap::new();
    for (i, (raw, target)) in calendar.iter().zip(&targets).enumerate() {
        let Some(key) = target else { continue };
        let Some(Ok(page)) = pages.get(key) else {
            continue;
        };
        let distance = (instant_date(&raw.start) - instant_date(&page.start))
            .num_days()
            .abs();
        let entry = nearest.entry(key.as_str()).or_insert((i, distance));
        if distance < entry.1 {
            *entry = (i, distance);
        }
    }

    let mut out = Verified {
        events: Vec::new(),
        corrections: Vec::new(),
        unverified: Vec::new(),
    };
    for (i, (raw, target)) in calendar.iter().zip(&targets).enumerate() {
        let Some(key) = target else {
            out.events.push(Collected {
                raw: raw.clone(),
                from_page: false,
                in_calendar: true,
            });
            continue;
        };
        match pages.get(key) {
            Some(Ok(page)) if nearest.get(key.as_str()).map(|n| n.0) == Some(i) => {
                let (merged, corrections) = verify::apply(raw, page);
                out.corrections.extend(corrections);
                out.events.push(Collected {
                    raw: merged,
                    from_page: true,
                    in_calendar: true,
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
                    in_calendar: true,
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
                    in_calendar: true,
                });
            }
            None => out.events.push(Collected {
                raw: raw.clone(),
                from_page: false,
                in_calendar: true,
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
    let mut outcome = Outcome::default();
    let mut events = Vec::new();
    for c in collected {
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
    let collection = collect(config, fetcher, window).await;
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
