//! Verification against event pages: which page a feed entry is checked against, when it
//! may be fetched (no phase barrier), and the decision for every entry once all are read.

use super::build::touches;
use super::guard::parse_off_runtime;
use super::ways_in::{FeedEntry, SourceRead};
use super::{Collected, PageProblem, Unverified};
use crate::config::Source;
use crate::dedupe::identity::canonical;
use crate::fetch::Fetch;
use crate::link::Trusted;
use crate::model::{RawEvent, Window};
use crate::normalize::match_key;
use crate::run::{Failure, instant_date};
use crate::sources::kind;
use crate::verify::{self, Correction, PageKind};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use tokio::sync::Semaphore;

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
        let group = (host == crate::site::meetup_com::HOST)
            .then(|| parts.next().map(str::to_string))
            .flatten();
        PageScope { host, group }
    }

    /// The pages a source could list: a meetup group's, or a page's host's; none for a feed
    /// (its entries are verified, never taken as pages).
    fn of_source(source: &Source) -> Option<PageScope> {
        let key = match_key(&source.url);
        match source.kind.spec().page_scope() {
            kind::PageScope::None => None,
            kind::PageScope::Group => Some(PageScope::of_page(&key)),
            kind::PageScope::Host => Some(PageScope {
                group: None,
                ..PageScope::of_page(&key)
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

/// An event page to fetch: its match key, URL, kind and canonical link (computed once).
#[derive(Debug, Clone)]
pub(super) struct PageToFetch {
    pub(super) key: String,
    pub(super) url: String,
    pub(super) kind: PageKind,
    canon: String,
}

/// When each event page may be fetched, as the sources end: a page waits while a source of
/// its [`PageScope`] is still being read, and is fetched at most once.
pub(super) struct Schedule {
    /// The scope of each source (by its index in the configuration).
    scopes: Vec<Option<PageScope>>,
    /// How many sources still being read could list the pages of each scope.
    pending: HashMap<PageScope, usize>,
    /// Canonical links of the events page sources gave: their pages are not fetched again.
    pub(super) known: HashSet<String>,
    /// Pages waiting for a source of their scope.
    waiting: HashMap<PageScope, Vec<PageToFetch>>,
    /// Pages started (by match key).
    started: HashSet<String>,
    /// The private hosts and ports a page may be fetched from (the sources file's).
    trusted: Trusted,
}

impl Schedule {
    /// Every source still to be read.
    pub(super) fn new(sources: &[Source], trusted: Trusted) -> Schedule {
        let scopes: Vec<Option<PageScope>> = sources.iter().map(PageScope::of_source).collect();
        let mut pending: HashMap<PageScope, usize> = HashMap::new();
        for scope in scopes.iter().flatten() {
            *pending.entry(scope.clone()).or_default() += 1;
        }
        Schedule {
            scopes,
            pending,
            known: HashSet::new(),
            waiting: HashMap::new(),
            started: HashSet::new(),
            trusted,
        }
    }

    /// How many pages were started.
    pub(super) fn started(&self) -> usize {
        self.started.len()
    }

    /// Source `i` has been read (`read`): the pages that may be fetched now, each once.
    pub(super) fn source_read(
        &mut self,
        i: usize,
        read: &mut SourceRead,
        window: Window,
    ) -> Vec<PageToFetch> {
        let scope = self.scopes[i].clone();
        if let Some(n) = scope.as_ref().and_then(|s| self.pending.get_mut(s)) {
            *n -= 1;
        }
        self.known.extend(
            read.pages
                .iter()
                .filter_map(|e| e.url.as_deref())
                .map(canonical),
        );
        let mut candidates = self.released(scope.as_ref());
        for f in &mut read.feed {
            f.target = entry_page(f, window, &self.trusted).map(|(url, kind)| PageToFetch {
                key: match_key(&url),
                canon: canonical(&url),
                url,
                kind,
            });
            if let Some(page) = f.target.as_ref().filter(|p| !self.started.contains(&p.key)) {
                candidates.push(page.clone());
            }
        }
        let mut start = Vec::new();
        for page in candidates {
            if self.started.contains(&page.key) || self.known.contains(&page.canon) {
                continue;
            }
            let scope = PageScope::of_page(&page.key);
            if scope.blocked_by(&self.pending) {
                self.waiting.entry(scope).or_default().push(page);
            } else {
                self.started.insert(page.key.clone());
                start.push(page);
            }
        }
        start
    }

    /// The pages a source's end may release: those of its scope (a group's; every group's on
    /// its host); the caller adds the feed's own, in the feed's order. Each page is looked at
    /// when it arrives and when a source of its scope ends: linear in pages and sources.
    fn released(&mut self, scope: Option<&PageScope>) -> Vec<PageToFetch> {
        let mut candidates = Vec::new();
        if let Some(scope) = scope {
            if scope.group.is_some() {
                candidates.extend(self.waiting.remove(scope).into_iter().flatten());
            } else {
                let on_host: Vec<PageScope> = self
                    .waiting
                    .keys()
                    .filter(|s| s.host == scope.host)
                    .cloned()
                    .collect();
                for s in on_host {
                    candidates.extend(self.waiting.remove(&s).into_iter().flatten());
                }
            }
        }
        candidates
    }
}

/// The event page a feed entry is checked against, if any: entries near the window that link
/// to a meetup or luma event page (the feed's own choice first).
fn entry_page(f: &FeedEntry, window: Window, trusted: &Trusted) -> Option<(String, PageKind)> {
    if !touches(&f.raw, window) {
        return None;
    }
    match &f.page {
        Some((url, _)) if !verify::may_fetch(url, trusted) => None,
        Some(page) => Some(page.clone()),
        None => verify::page_to_verify(&f.raw, trusted),
    }
}

/// Fetches and reads one event page: the one event it describes, or why it cannot be used
/// (the fetch's error, kept typed for the report, or the reader's message).
pub(super) async fn read_event_page(
    fetcher: &dyn Fetch,
    url: &str,
    page_kind: PageKind,
    slots: &Arc<Semaphore>,
) -> Result<RawEvent, Failure> {
    match fetcher.fetch(url).await {
        Ok(response) => {
            let owned_url = url.to_string();
            let reader = kind::event_page_reader(page_kind);
            parse_off_runtime(slots, reader, move || {
                let text = response.text();
                let url = owned_url.as_str();
                let parsed = kind::read_event_page(page_kind, &text, url);
                match parsed {
                    Ok(p) => one_event(p.events, url),
                    Err(e) => Err(e.to_string()),
                }
            })
            .await
            .map_err(Failure::Read)
        }
        Err(e) => Err(Failure::Fetch(e)),
    }
}

/// What verification decided: the entries to keep, the facts pages corrected, the entries
/// kept unverified.
pub(super) struct Verified {
    pub(super) events: Vec<Collected>,
    pub(super) corrections: Vec<Correction>,
    pub(super) unverified: Vec<Unverified>,
}

/// Checks each feed entry near the window that links to a meetup or luma event page against
/// that page (`pages`, by match key: read once however many entries link them). Pages already
/// read from a group page (`known`, canonical links) are not used (the deduplication merges
/// them, page first). When several entries of one feed (instances of one series) link to the
/// same page, only the instance nearest the page's date takes the page's facts. Pure: every
/// page was fetched before ([`collect_with`](super::collect_with)), so the outcome is the same whatever order the
/// work was done in.
pub(super) fn verify_calendar(
    feed: &[FeedEntry],
    known: &HashSet<String>,
    pages: &HashMap<String, Result<RawEvent, Failure>>,
) -> Verified {
    // Which page each entry should be checked against (worked out when its source was read),
    // unless a page source already gave that event.
    let targets: Vec<Option<String>> = feed
        .iter()
        .map(|f| {
            let page = f.target.as_ref()?;
            (!known.contains(&page.canon)).then(|| page.key.clone())
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
                    event: raw.clone(),
                    date: instant_date(&raw.start),
                    reason: "its page describes another instance of the series; kept the calendar's data and linked the organizer instead".to_string(),
                    code: PageProblem::OtherInstance,
                    page: None,
                    unreachable: None,
                });
                out.events.push(Collected {
                    raw: unlink_page(raw, key),
                    from_page: false,
                    in_calendar,
                });
            }
            Some(Err(e)) => {
                out.unverified.push(Unverified {
                    event: raw.clone(),
                    date: instant_date(&raw.start),
                    reason: format!("{e}; kept the calendar's data"),
                    code: PageProblem::of(e),
                    page: Some(key.clone()),
                    unreachable: e.unreachable(),
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
    let group = PageScope::of_page(key)
        .group
        .map(|group| crate::site::meetup_com::group_events_page(&group));
    let is_page = |u: &String| match_key(u) == key;
    if out.url.as_ref().is_some_and(is_page) {
        out.url.clone_from(&group);
    }
    out.links.retain(|u| !is_page(u));
    if let Some(g) = group {
        out.links.push(g);
    }
    out
}

/// The one event a page describes: the only one, or the one whose link is the page.
pub(super) fn one_event(events: Vec<RawEvent>, url: &str) -> Result<RawEvent, String> {
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
