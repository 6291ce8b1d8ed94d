//! Reading one source by its kind's ways in: a meetup group's page (its iCal feed the
//! fallback), a luma calendar's feed (its page the fallback), a feed, a page.

use super::guard::{parse_off_runtime, reader_name};
use super::pages::PageToFetch;
use super::parse::{
    attribute, feed_organizer, fetch_url, ical_text, keyword_filter, mentions_any, parse_source,
};
use crate::config::Source;
use crate::fetch::{Fetch, FetchError, Response};
use crate::model::{Organizer, RawEvent, Window};
use crate::run::instant_date;
use crate::run::{Failure, SourceReport, SourceStatus, SuspectReason};
use crate::sources::kind::{SuspectWhen, WaysIn};
use crate::sources::{self, Parsed};
use crate::verify::PageKind;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// A feed entry on its way to verification.
#[derive(Debug, Clone)]
pub(super) struct FeedEntry {
    pub(super) raw: RawEvent,
    /// Entered on a calendar of many organizers (the community calendar).
    pub(super) in_calendar: bool,
    /// The organizer of a feed of one organizer: it stays the entry's organizer whatever the
    /// event page says (the page's host is often a person, not the group).
    pub(super) organizer: Option<Organizer>,
    /// The page to verify against when the feed says which link is the event's page (a luma
    /// feed's link, whatever its slug looks like); else [`crate::verify::page_to_verify`] decides.
    pub(super) page: Option<(String, PageKind)>,
    /// The event page it is checked against, worked out once when its source is read
    /// (`Schedule::source_read`); `None` before, and for an entry with no page to check.
    pub(super) target: Option<PageToFetch>,
}

/// What reading one source gave.
pub(super) struct SourceRead {
    pub(super) report: SourceReport,
    /// Events whose facts come from a page (a group page, a JSON-LD page, a luma calendar
    /// page read as the fallback of its feed).
    pub(super) pages: Vec<RawEvent>,
    /// Feed entries, verified against their pages before use.
    pub(super) feed: Vec<FeedEntry>,
    /// Events the source's `keywords` left out.
    pub(super) filtered: Vec<RawEvent>,
}

impl SourceRead {
    /// Nothing read yet from `source` (fetched at `url`).
    fn new(source: &Source, url: &str) -> SourceRead {
        SourceRead {
            report: SourceReport::new(source.kind, url, source.label()),
            pages: Vec::new(),
            feed: Vec::new(),
            filtered: Vec::new(),
        }
    }
}

/// A fetch and parse of one URL: the parse (or why it failed) and what the answer said
/// beside it.
struct Fetched {
    parsed: Result<Parsed, Failure>,
    /// Not taken as the truth ([`crate::suspect::screen`]).
    suspect: Option<SuspectReason>,
    redirected_to: Option<String>,
}

/// Fetches `url` and parses the answer with `parse` on the blocking pool, screened as a
/// `suspect_when` says. `Err` only when the fetch itself failed.
async fn fetch_parse(
    fetcher: &dyn Fetch,
    url: &str,
    slots: &Arc<Semaphore>,
    suspect_when: SuspectWhen,
    reader: &'static str,
    parse: impl FnOnce(&Response) -> Result<Parsed, sources::SourceError> + Send + 'static,
) -> Result<Fetched, FetchError> {
    let response = fetcher.fetch(url).await?;
    let redirected_to = response.redirected_to.clone();
    let result = parse_off_runtime(slots, reader, move || {
        let parsed = parse(&response);
        // A suspect answer (an empty calendar, a page without event data) is screened here;
        // a panic in the reader stays a failure.
        let (parsed, suspect) = crate::suspect::screen(suspect_when, &response.body, parsed);
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
            parsed: Err(Failure::Read(e)),
            suspect: None,
            redirected_to,
        },
    })
}

/// Reads one source, by its kind's ways in: a meetup group's page, else its iCal feed; a luma
/// calendar's feed (found through its page), else the page's own list; a feed; a page.
pub(super) async fn read_source(
    source: &Source,
    fetcher: &dyn Fetch,
    window: Window,
    slots: &Arc<Semaphore>,
) -> SourceRead {
    let url = fetch_url(source);
    let mut read = SourceRead::new(source, &url);
    if source.kind.spec().ways_in() == WaysIn::FeedThroughPage {
        read_luma(source, fetcher, window, slots, &mut read).await;
    } else {
        let owned = source.clone();
        let got = fetch_parse(
            fetcher,
            &url,
            slots,
            source.kind.spec().suspect_when(),
            reader_name(source.kind),
            move |r| parse_source(&owned, r, &window),
        )
        .await;
        match got {
            Ok(fetched) => {
                if take_fetched(source, fetched, &mut read) {
                    meetup_feed_fallback(source, fetcher, window, slots, &mut read).await;
                }
            }
            Err(e) => read.report.state = SourceStatus::Failed(Failure::Fetch(e)),
        }
    }
    finish(source, read)
}

/// Takes what a source's own URL gave into `read`: a feed's entries (to verify) or a page's
/// events. True when a meetup group's page held no event data (its feed is the fallback).
fn take_fetched(source: &Source, fetched: Fetched, read: &mut SourceRead) -> bool {
    read.report.redirected_to = fetched.redirected_to;
    if let Some(why) = fetched.suspect {
        read.report.state = SourceStatus::Suspect(why);
    }
    match fetched.parsed {
        Ok(p) if source.kind.spec().is_feed() => {
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
                    target: None,
                })
                .collect();
            false
        }
        Ok(p) => {
            read.report.warnings = p.warnings;
            read.pages = p.events;
            source.kind.spec().ways_in() == WaysIn::PageElseFeed
                && read.pages.is_empty()
                && read.report.suspect().is_some()
        }
        Err(e) => {
            read.report.state = SourceStatus::Failed(e);
            false
        }
    }
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
                "{dropped} {} not mention {} and {} left out",
                if dropped == 1 {
                    "feed event does"
                } else {
                    "feed events do"
                },
                source.keywords.join(" or "),
                if dropped == 1 { "was" } else { "were" }
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

/// A reader of an iCal feed: text, origin, source label, window.
type FeedReader = fn(&str, &str, &str, &Window) -> Result<Parsed, sources::SourceError>;

/// The parse step of an organizer's own feed (a meetup group's, a luma calendar's): the text
/// read by `reader` (the iCal reader, or luma's conventions), every event `organizer`'s; with
/// `name_from_feed`, an organizer without a name takes the feed's `X-WR-CALNAME`.
fn organizer_feed(
    reader: FeedReader,
    source: &Source,
    feed_url: &str,
    window: Window,
    mut organizer: Organizer,
    name_from_feed: bool,
) -> impl FnOnce(&Response) -> Result<Parsed, sources::SourceError> + Send + 'static {
    let (origin, label) = (feed_url.to_string(), source.label().to_string());
    move |r| {
        let (text, _) = ical_text(r);
        let mut p = reader(&text, &origin, &label, &window)?;
        if name_from_feed && organizer.name.is_empty() {
            organizer.name = sources::ical::calendar_name(&text).unwrap_or_default();
        }
        attribute(&mut p.events, &organizer);
        Ok(p)
    }
}

/// A meetup group whose page holds no event data (a login wall, a new markup): its iCal feed
/// (`<group>/events/ical/`, at most 10 upcoming events, no LOCATION) carries it, its entries
/// verified against their event pages like calendar entries. The report says the page could
/// not be read; when the feed fails too, the source stays suspect.
async fn meetup_feed_fallback(
    source: &Source,
    fetcher: &dyn Fetch,
    window: Window,
    slots: &Arc<Semaphore>,
    read: &mut SourceRead,
) {
    let Some(group) = source.organizer_page() else {
        return;
    };
    let feed_url = format!("{group}events/ical/");
    let organizer = feed_organizer(source, &group, source.name.clone().unwrap_or_default());
    let read_feed = organizer_feed(
        sources::ical::parse,
        source,
        &feed_url,
        window,
        organizer.clone(),
        false,
    );
    let got = fetch_parse(
        fetcher,
        &feed_url,
        slots,
        SuspectWhen::EmptyCalendar,
        "iCal reader",
        read_feed,
    )
    .await;
    // Called only when the page is suspect (`take_fetched`).
    let Some(why) = read.report.suspect().cloned() else {
        return;
    };
    let page = Box::new(why.clone());
    match got {
        Ok(Fetched {
            parsed: Ok(p),
            suspect: None,
            ..
        }) => {
            let message = format!(
                "the group page could not be read ({why}); read its iCal feed {feed_url} instead: at most 10 upcoming events, places from their event pages"
            );
            read.report.state = SourceStatus::Ok;
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
                    target: None,
                })
                .collect();
        }
        Ok(Fetched {
            parsed: Ok(_),
            suspect: Some(s),
            ..
        }) => {
            read.report.state = SourceStatus::Suspect(SuspectReason::FeedSuspect {
                page,
                feed_url,
                feed: Box::new(s),
            });
        }
        Ok(Fetched { parsed: Err(e), .. }) => {
            read.report.state = SourceStatus::Suspect(SuspectReason::FeedFailed {
                page,
                error: Box::new(e),
            });
        }
        Err(e) => {
            read.report.state = SourceStatus::Suspect(SuspectReason::FeedFailed {
                page,
                error: Box::new(Failure::Fetch(e)),
            });
        }
    }
}

/// A luma calendar: the page gives the `cal-…` id (or the URL does) and the name; the feed
/// gives the events, verified against their pages; the page's own event list is the fallback.
async fn read_luma(
    source: &Source,
    fetcher: &dyn Fetch,
    window: Window,
    slots: &Arc<Semaphore>,
    read: &mut SourceRead,
) {
    let (calendar, page_events) = read_luma_page(source, fetcher, window, slots, read).await;
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
    read.report.also_at = (calendar.id.iter())
        .map(|id| format!("https://{}/calendar/{id}", crate::site::luma_com::HOST))
        .chain(
            (calendar.slug.iter())
                .map(|slug| format!("https://{}/{slug}", crate::site::luma_com::HOST)),
        )
        .collect();
    // A page never received says nothing about a calendar id: its fetch error is the failure.
    if id.is_none()
        && let Err(Failure::Fetch(e)) = &page_events
    {
        read.report.state = SourceStatus::Failed(Failure::PageNotFetched(e.clone()));
        return;
    }
    let feed_result: Result<Parsed, Failure> = match &id {
        None => Err(Failure::NoCalendarId {
            url: source.url.clone(),
        }),
        Some(id) => read_luma_feed(source, fetcher, window, slots, id, organizer, read).await,
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
                        target: None,
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
            read.report.state = SourceStatus::Failed(Failure::FeedAndPage {
                feed: Box::new(feed_error),
                page: Box::new(page_error),
            });
        }
    }
}

/// A luma calendar's page: its calendar id and name, and its own event list (for the
/// fallback), or why it could not be read.
async fn read_luma_page(
    source: &Source,
    fetcher: &dyn Fetch,
    window: Window,
    slots: &Arc<Semaphore>,
    read: &mut SourceRead,
) -> (sources::luma::CalendarPage, Result<Parsed, Failure>) {
    let page = match fetcher.fetch(&source.url).await {
        Ok(response) => {
            read.report
                .redirected_to
                .clone_from(&response.redirected_to);
            let owned = source.clone();
            parse_off_runtime(slots, "luma reader", move || {
                let text = response.text();
                let calendar = sources::luma::read_page(&text);
                let events = parse_source(&owned, &response, &window).map_err(|e| e.to_string());
                Ok((calendar, events))
            })
            .await
            .map_err(Failure::Read)
        }
        Err(e) => Err(Failure::Fetch(e)),
    };
    match page {
        Ok((c, events)) => (c, events.map_err(Failure::Read)),
        Err(e) => (sources::luma::CalendarPage::default(), Err(e)),
    }
}

/// A luma calendar's feed (calendar `id`), its events `organizer`'s (named after the feed
/// when the page and the configuration give no name). A suspect feed says so in the report.
async fn read_luma_feed(
    source: &Source,
    fetcher: &dyn Fetch,
    window: Window,
    slots: &Arc<Semaphore>,
    id: &str,
    organizer: Organizer,
    read: &mut SourceRead,
) -> Result<Parsed, Failure> {
    let feed_url = sources::luma::feed_url(id);
    let read_feed = organizer_feed(
        sources::luma::parse_feed,
        source,
        &feed_url,
        window,
        organizer,
        true,
    );
    let got = fetch_parse(
        fetcher,
        &feed_url,
        slots,
        SuspectWhen::EmptyCalendar,
        "luma reader",
        read_feed,
    )
    .await;
    match got {
        Ok(Fetched {
            parsed: Ok(p),
            suspect,
            ..
        }) => {
            if let Some(why) = suspect {
                read.report.state = SourceStatus::Suspect(why);
            }
            Ok(p)
        }
        Ok(Fetched { parsed: Err(e), .. }) => Err(e),
        Err(e) => Err(Failure::Fetch(e)),
    }
}
