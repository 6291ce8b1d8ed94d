//! Deduplication: one entry per real-world event, with the evidence for every merge.
//!
//! Three passes over the normalized events:
//! 1. **Identity** ([`identity`]): two entries whose title links name the same single event
//!    (a meetup event id, a luma slug, an eventbrite `/e/` page, any page below a site root)
//!    and that start on the same day are one event. When a page and a calendar entry with the
//!    same link disagree on the day by up to a week, the page wins; otherwise they are kept
//!    and flagged.
//! 2. **Evidence** ([`similar`]): entries without a shared event link, on the same dates, at
//!    the same city (or both online), starting at the same time when both times are known,
//!    merge only on strong evidence:
//!    - the same meetup group (or organizer page) and the same title (similarity ≥ 0.8) — an
//!      event re-published under a new id;
//!    - the same organizer name (similarity ≥ 0.8) on two different platforms (meetup and
//!      luma): a group announces its meetup twice;
//!    - a link to the same site without a specific event page (a conference homepage) and
//!      either the same multi-day range or a similar title (≥ 0.5).
//!
//!    Weaker evidence (similar title or organizer) is reported as a
//!    [`PossibleDuplicate`] and both entries are kept: a wrong merge loses an event.
//! 3. **Mirrors** ([`mirrors`]): one session streamed by several groups becomes one entry.
//!
//! A merged entry takes the facts of the member that came from the event's own page
//! (`from_page`) — date, time, place, attendance —, else of the first member; sources and
//! mirrors are unioned; regions are recomputed from attendance and place (virtual → Virtual,
//! in person → the continent, hybrid → both), so a hybrid event listed in Virtual and in a
//! continent stays in both, and a virtual event wrongly listed under a continent leaves it.

pub mod identity;
pub mod mirrors;
pub mod similar;

use crate::model::{Attendance, Event, Region};
use crate::normalize::region::region_for_country;
use chrono::NaiveDate;
use serde::Serialize;
use similar::{organizer_similarity, places_compatible, starts_agree, title_similarity};
use std::fmt;

/// An entry as the review report names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntryRef {
    pub title: String,
    pub url: String,
    pub start_date: NaiveDate,
    pub organizer: String,
    pub regions: Vec<Region>,
    pub sources: Vec<String>,
}

/// The most sources an [`EntryRef`] names; the rest are counted. Every merge names the kept
/// entry, so a feed repeating one event thousands of times would otherwise cost the square of
/// its size in the report.
pub const MAX_SOURCES_NAMED: usize = 10;

impl EntryRef {
    fn of(e: &Event) -> EntryRef {
        let mut sources: Vec<String> = e.sources.iter().take(MAX_SOURCES_NAMED).cloned().collect();
        if e.sources.len() > MAX_SOURCES_NAMED {
            sources.push(format!("{} more", e.sources.len() - MAX_SOURCES_NAMED));
        }
        EntryRef {
            title: e.title.clone(),
            url: e.url.clone(),
            start_date: e.start_date,
            organizer: e.organizer.name.clone(),
            regions: e.regions.clone(),
            sources,
        }
    }
}

impl fmt::Display for EntryRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let regions: Vec<&str> = self.regions.iter().map(|r| r.title()).collect();
        write!(
            f,
            "{} {:?} by {} <{}> [{}]",
            self.start_date,
            self.title,
            self.organizer,
            self.url,
            regions.join(", ")
        )?;
        if !self.sources.is_empty() {
            write!(f, " from {}", self.sources.join(", "))?;
        }
        Ok(())
    }
}

/// Why two entries were judged to be one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Evidence {
    /// Both link the same single event, on the same day.
    SameLink { key: String },
    /// Both link the same single event; the page's day won over the calendar's.
    SameLinkPageDate {
        key: String,
        page_date: NaiveDate,
        other_date: NaiveDate,
    },
    /// The same link (a shared page such as a conference homepage), dates, title and
    /// organizer: one listing entered twice, or one event listed in two sections.
    SameListing { url: String, title_similarity: f64 },
    /// Same dates, place, title and organizer; one of them links no event page (a group
    /// page): one event listed with two links.
    SameTitleAndOrganizer {
        title_similarity: f64,
        organizer_similarity: f64,
    },
    /// Same group, same day, (nearly) the same title, different event ids.
    SameGroupSameTitle {
        group: String,
        title_similarity: f64,
    },
    /// Same organizer on two platforms, same day and place.
    SameOrganizerTwoPlatforms {
        organizer_similarity: f64,
        platforms: (String, String),
    },
    /// Links to the same site (no event page), same dates and place.
    SameSiteSameDates { site: String, title_similarity: f64 },
    /// The same session streamed by another group.
    Mirror { label: String },
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Evidence::SameLink { key } => write!(f, "same event link {key}, same day"),
            Evidence::SameLinkPageDate {
                key,
                page_date,
                other_date,
            } => write!(
                f,
                "same event link {key}; the event page says {page_date}, the other entry {other_date}: the page wins"
            ),
            Evidence::SameListing {
                url,
                title_similarity,
            } => write!(
                f,
                "same link {url}, same dates and organizer, title similarity {title_similarity:.2}"
            ),
            Evidence::SameTitleAndOrganizer {
                title_similarity,
                organizer_similarity,
            } => write!(
                f,
                "same dates and place, title similarity {title_similarity:.2}, organizer similarity {organizer_similarity:.2}, one links no event page"
            ),
            Evidence::SameGroupSameTitle {
                group,
                title_similarity,
            } => write!(
                f,
                "same group {group}, same day, title similarity {title_similarity:.2}, different event ids"
            ),
            Evidence::SameOrganizerTwoPlatforms {
                organizer_similarity,
                platforms,
            } => write!(
                f,
                "same organizer (similarity {organizer_similarity:.2}) on {} and {}, same day and place",
                platforms.0, platforms.1
            ),
            Evidence::SameSiteSameDates {
                site,
                title_similarity,
            } => write!(
                f,
                "both link the site {site} (no event page), same dates and place, title similarity {title_similarity:.2}"
            ),
            Evidence::Mirror { label } => {
                write!(f, "same session streamed by another group ({label})")
            }
        }
    }
}

/// One entry folded into another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Merge {
    pub kept: EntryRef,
    pub absorbed: EntryRef,
    pub evidence: Evidence,
}

impl fmt::Display for Merge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = if matches!(self.evidence, Evidence::Mirror { .. }) {
            "mirrored"
        } else {
            "merged"
        };
        write!(
            f,
            "{verb}: {}\n    into {}\n    because {}",
            self.absorbed, self.kept, self.evidence
        )
    }
}

/// Two entries that may be one event, kept both, for an editor to decide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PossibleDuplicate {
    pub a: EntryRef,
    pub b: EntryRef,
    pub reason: String,
    pub title_similarity: f64,
    pub organizer_similarity: f64,
}

impl fmt::Display for PossibleDuplicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "possible duplicate (kept both): {}\n    and {}\n    because {} (title similarity {:.2}, organizer similarity {:.2})",
            self.a, self.b, self.reason, self.title_similarity, self.organizer_similarity
        )
    }
}

/// What deduplication produced.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Deduped {
    pub events: Vec<Event>,
    pub merges: Vec<Merge>,
    pub possible_duplicates: Vec<PossibleDuplicate>,
    /// Limits hit while comparing (a feed with hundreds of entries sharing a word on one
    /// day), for the review report.
    pub notes: Vec<String>,
}

/// The review report: every merge and every possible duplicate, one block each.
impl fmt::Display for Deduped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for m in &self.merges {
            writeln!(f, "{m}")?;
        }
        for p in &self.possible_duplicates {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

/// What the pairwise comparison concluded.
enum Decision {
    Same(Evidence),
    Possible(String),
    Different,
}

/// Precomputed per-event facts: everything a comparison needs that depends on one entry
/// only, computed once per entry rather than once per pair.
struct Facts {
    key: Option<String>,
    /// `key` and the keys of the entry's extra links by the same organizer (an `RSVP` link).
    keys: Vec<String>,
    group: String,
    host: String,
    site: Option<String>,
    /// The title link, canonical.
    url: String,
    /// The whole title, normalized.
    title_text: String,
    /// The words of the title without a leading organizer name.
    title_words: similar::WordSet,
    /// The words of the organizer's name.
    organizer_words: similar::WordSet,
}

fn facts(e: &Event) -> Facts {
    let key = identity::event_key(&e.url, e.organizer.url.as_deref());
    let host = identity::host(&e.url).unwrap_or_else(|| identity::canonical(&e.url));
    let from_url = identity::group_key(&e.url).filter(|g| g.starts_with("meetup.com/"));
    let group = from_url
        .or_else(|| {
            e.organizer.url.as_deref().map(|u| {
                identity::canonical(u)
                    .trim_end_matches("/events")
                    .to_string()
            })
        })
        .unwrap_or_else(|| format!("organizer:{}", similar::normalize_text(&e.organizer.name)));
    // A site (not a platform) both the title link and the organizer link live on.
    const PLATFORMS: [&str; 8] = [
        "meetup.com",
        "luma.com",
        "eventbrite.com",
        "hasgeek.com",
        "pretix.eu",
        "ti.to",
        "github.com",
        "google.com",
    ];
    let site = (!PLATFORMS.contains(&host.as_str())).then(|| host.clone());
    let mut keys: Vec<String> = key.iter().cloned().collect();
    for m in &e.mirrors {
        if m.organizer.name == e.organizer.name {
            keys.extend(identity::event_key(&m.url, e.organizer.url.as_deref()));
        }
    }
    Facts {
        key,
        keys,
        group,
        host,
        site,
        url: identity::canonical(&e.url),
        title_text: similar::normalize_text(&e.title),
        title_words: similar::WordSet::of(similar::title_without_organizer(
            &e.title,
            &e.organizer.name,
        )),
        organizer_words: similar::WordSet::of(&e.organizer.name),
    }
}

fn decide(a: &Event, fa: &Facts, b: &Event, fb: &Facts) -> Decision {
    let ts = fa.title_words.similarity(&fb.title_words);
    let os = fa.organizer_words.similarity(&fb.organizer_words);
    let shared_key = fa.keys.iter().find(|k| fb.keys.contains(k));
    if let Some(ka) = shared_key {
        {
            if a.start_date == b.start_date {
                return Decision::Same(Evidence::SameLink { key: ka.clone() });
            }
            let days = (a.start_date - b.start_date).num_days().abs();
            if a.from_page != b.from_page && days <= 7 {
                let (page, other) = if a.from_page { (a, b) } else { (b, a) };
                return Decision::Same(Evidence::SameLinkPageDate {
                    key: ka.clone(),
                    page_date: page.start_date,
                    other_date: other.start_date,
                });
            }
            return Decision::Possible(format!("same event link {ka} on different days"));
        }
    }
    if a.start_date != b.start_date {
        return Decision::Different;
    }
    if fa.url == fb.url && ts >= 0.8 && (os >= 0.8 || fa.group == fb.group) {
        return Decision::Same(Evidence::SameListing {
            url: fa.url.clone(),
            title_similarity: ts,
        });
    }
    if mirrors::are_mirrors(a, b, &fa.group, &fb.group) {
        return Decision::Different; // folded by the mirror pass
    }
    let related = ts >= 0.5 || (os >= 0.8 && ts > 0.0);
    let weak = |why: &str| {
        if related {
            Decision::Possible(why.to_string())
        } else {
            Decision::Different
        }
    };
    if a.end_date != b.end_date {
        return weak("same first day, different last day");
    }
    if !starts_agree(a, b) {
        return weak("same day, different start times");
    }
    if !places_compatible(a, b) {
        return if ts >= 0.8 && os >= 0.5 {
            Decision::Possible("same title and organizer, different places".into())
        } else {
            Decision::Different
        };
    }
    let same_listing_kind = a.attendance == b.attendance && a.regions == b.regions;
    if fa.group == fb.group && same_listing_kind && fa.key.is_some() && fb.key.is_some() {
        let same_title = fa.title_text == fb.title_text;
        let timed_pages = a.from_page && b.from_page && a.start.is_some() && a.start == b.start;
        if same_title && (series_and_occurrence(fa, fb) || timed_pages) {
            return Decision::Same(Evidence::SameGroupSameTitle {
                group: fa.group.clone(),
                title_similarity: ts,
            });
        }
        if same_title {
            return Decision::Possible(
                "same group, day and title, different event links (two sessions, or one listed twice?)"
                    .into(),
            );
        }
    }
    if fa.host != fb.host
        && os >= 0.8
        && ts >= 0.25
        && same_listing_kind
        && a.attendance != Attendance::Virtual
        && organizer_matches_link(a)
        && organizer_matches_link(b)
    {
        return Decision::Same(Evidence::SameOrganizerTwoPlatforms {
            organizer_similarity: os,
            platforms: (fa.host.clone(), fb.host.clone()),
        });
    }
    if fa.key.is_none() || fb.key.is_none() {
        let shared_site = match (&fa.site, &fb.site) {
            (Some(x), Some(y)) if x == y => Some(x.clone()),
            _ => None,
        }
        .or_else(|| {
            let org_host = |e: &Event| e.organizer.url.as_deref().and_then(identity::host);
            match (org_host(a), org_host(b)) {
                (Some(x), Some(y)) if x == y && fa.group == fb.group => Some(x),
                _ => None,
            }
        });
        if let Some(site) = shared_site {
            let multi_day = a.end_date > a.start_date;
            if multi_day || ts >= 0.5 {
                return Decision::Same(Evidence::SameSiteSameDates {
                    site,
                    title_similarity: ts,
                });
            }
        }
    }
    if (fa.key.is_none() || fb.key.is_none()) && ts >= 0.8 && os >= 0.8 {
        return Decision::Same(Evidence::SameTitleAndOrganizer {
            title_similarity: ts,
            organizer_similarity: os,
        });
    }
    weak("same day and place, similar title or organizer")
}

/// A meetup recurring-series id (letters, e.g. `wqzhftyjcmbdb`) and a numeric occurrence id:
/// meetup shows one occurrence under both, and editors copy either.
fn series_and_occurrence(fa: &Facts, fb: &Facts) -> bool {
    let id = |f: &Facts| {
        f.key
            .as_deref()
            .and_then(|k| k.strip_prefix("meetup.com/events/"))
            .map(|id| id.chars().all(|c| c.is_ascii_digit()))
    };
    matches!((id(fa), id(fb)), (Some(x), Some(y)) if x != y)
}

/// The organizer link and the event link agree (same meetup group, or same site): the
/// organizer attribution can be trusted as evidence.
fn organizer_matches_link(e: &Event) -> bool {
    let Some(org) = e.organizer.url.as_deref() else {
        return false;
    };
    let (eg, og) = (identity::group_key(&e.url), identity::group_key(org));
    eg.is_some() && eg == og
}

/// Union-find root.
fn root(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut j = i;
    while parent[j] != r {
        let next = parent[j];
        parent[j] = r;
        j = next;
    }
    r
}

/// The sections an event belongs in, recomputed after a merge: virtual → Virtual, in person
/// → the continent of its place, hybrid → both. Where the place's continent is unknown, the
/// members' own continents are kept.
fn recompute_regions(e: &Event, listed: &[Region]) -> Vec<Region> {
    let continent = e
        .place
        .as_ref()
        .and_then(|p| p.country.as_deref())
        .and_then(region_for_country);
    let listed_continents: Vec<Region> = listed
        .iter()
        .copied()
        .filter(|r| *r != Region::Virtual)
        .collect();
    let continents = match continent {
        Some(c) => vec![c],
        None => listed_continents,
    };
    let mut out = match e.attendance {
        Attendance::Virtual => vec![Region::Virtual],
        Attendance::InPerson if continents.is_empty() => listed.to_vec(),
        Attendance::InPerson => continents,
        Attendance::Hybrid => {
            let mut v = vec![Region::Virtual];
            v.extend(continents);
            v
        }
    };
    out.sort();
    out.dedup();
    out
}

/// Folds duplicates (indices into `events`, first = primary) into one event.
fn merge_group(events: &[Event], members: &[usize]) -> Event {
    let mut order = members.to_vec();
    // The page's facts win; then a specific event link over a shared page; then the
    // organizer name and link, so the result does not depend on the input order.
    order.sort_by_cached_key(|&i| {
        let e = &events[i];
        (
            !e.from_page,
            identity::event_key(&e.url, e.organizer.url.as_deref()).is_none(),
            e.organizer.name.to_lowercase(),
            identity::canonical(&e.url),
            i,
        )
    });
    let mut out = events[order[0]].clone();
    let others: Vec<&Event> = order[1..].iter().map(|&i| &events[i]).collect();
    if !out.from_page {
        // No page: combine what the entries say.
        let attendances: Vec<Attendance> = std::iter::once(out.attendance)
            .chain(others.iter().map(|e| e.attendance))
            .collect();
        let has = |a: Attendance| attendances.contains(&a);
        if has(Attendance::Hybrid) || (has(Attendance::Virtual) && has(Attendance::InPerson)) {
            out.attendance = Attendance::Hybrid;
        }
        if out.place.as_ref().is_none_or(|p| p.is_empty()) {
            out.place = others
                .iter()
                .filter_map(|e| e.place.clone())
                .find(|p| !p.is_empty());
        }
        if out.start.is_none() {
            out.start = others.iter().find_map(|e| e.start);
        }
        // One conference entered as one day and as its whole run: keep the run.
        for e in &others {
            if e.start_date == out.start_date && e.end_date > out.end_date {
                out.end_date = e.end_date;
            }
        }
    }
    if out.organizer.home.is_none() {
        out.organizer.home = others.iter().find_map(|e| e.organizer.home.clone());
    }
    if out.organizer.url.is_none() {
        out.organizer.url = others.iter().find_map(|e| e.organizer.url.clone());
    }
    if out.uid.is_none() {
        out.uid = others.iter().find_map(|e| e.uid.clone());
    }
    let mut listed = out.regions.clone();
    let mut seen_sources: std::collections::HashSet<String> = out.sources.iter().cloned().collect();
    let mut seen_mirrors: std::collections::HashSet<String> = out
        .mirrors
        .iter()
        .map(|m| identity::canonical(&m.url))
        .collect();
    for e in &others {
        out.in_calendar |= e.in_calendar;
        listed.extend(e.regions.iter().copied());
        for s in &e.sources {
            if seen_sources.insert(s.clone()) {
                out.sources.push(s.clone());
            }
        }
        for m in &e.mirrors {
            if seen_mirrors.insert(identity::canonical(&m.url)) {
                out.mirrors.push(m.clone());
            }
        }
    }
    listed.sort();
    listed.dedup();
    out.regions = recompute_regions(&out, &listed);
    out
}

/// Groups `n` items by the union-find `parent`, groups ordered by their first member.
fn groups(parent: &mut [usize]) -> Vec<Vec<usize>> {
    let n = parent.len();
    let mut by_root: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = root(parent, i);
        by_root[r].push(i);
    }
    let mut out: Vec<Vec<usize>> = by_root.into_iter().filter(|g| !g.is_empty()).collect();
    out.sort_by_key(|g| g[0]);
    out
}

/// Merges duplicates and folds mirrors. Events that are not merged come out unchanged, in
/// their input order.
/// Whether two entries are one event by the same rules [`dedupe`] merges on (strong
/// evidence only; mirrors and possible duplicates are not "the same").
pub fn same_event(a: &Event, b: &Event) -> bool {
    matches!(decide(a, &facts(a), b, &facts(b)), Decision::Same(_))
}

pub fn dedupe(events: Vec<Event>) -> Deduped {
    dedupe_with(events, Pairs::Blocked)
}

/// [`dedupe`] comparing every pair of entries, however many: the reference the blocked
/// comparison is tested against (it must give the same result on every published section).
#[doc(hidden)]
pub fn dedupe_every_pair(events: Vec<Event>) -> Deduped {
    dedupe_with(events, Pairs::Every)
}

/// Which pairs of entries are compared.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pairs {
    /// Only pairs that share something [`decide`] could call evidence (see [`candidates`]).
    Blocked,
    /// Every pair (quadratic; for tests).
    Every,
}

/// The most entries one blocking key may gather (entries sharing a word on one day, or one
/// event link). Beyond it the key is too common to be evidence — only a hostile or broken feed
/// has 200 entries on one day sharing a word — and it is not used to pair them (a note says so):
/// without this bound, 2,000 entries at one instant cost 2 million comparisons.
pub const MAX_BLOCK: usize = 200;

/// The pairs `(i, j)`, `i < j`, ascending, that [`decide`] can find anything but
/// [`Decision::Different`] for — and, for keys shared by more than [`MAX_BLOCK`] entries, not
/// those (named in the returned notes).
///
/// `decide` says more than "different" only when the two entries share an event link (any
/// days apart), or start on the same day and share a title word (every rule needs a title
/// similarity above 0), the same group (same title, no words), or the same site (a multi-day
/// conference homepage). So entries are blocked by event link, and by day × title word,
/// day × group and day × site; only entries in one block are compared. Time and memory grow
/// with the entries and the block sizes, not with the square of the entries.
fn candidates(events: &[Event], fs: &[Facts]) -> (Vec<(usize, usize)>, Vec<String>) {
    use std::collections::HashMap;
    let mut blocks: HashMap<(Option<NaiveDate>, String), Vec<usize>> = HashMap::new();
    for (i, (e, f)) in events.iter().zip(fs).enumerate() {
        let mut add = |date: Option<NaiveDate>, key: String| {
            let block = blocks.entry((date, key)).or_default();
            if block.last() != Some(&i) {
                block.push(i);
            }
        };
        for k in &f.keys {
            add(None, format!("link {k}"));
        }
        let day = Some(e.start_date);
        let kind = if f.title_words.generic_only {
            "generic word"
        } else {
            "word"
        };
        for w in &f.title_words.words {
            add(day, format!("{kind} {w:?}"));
        }
        add(day, format!("group {}", f.group));
        if let Some(site) = &f.site {
            add(day, format!("site {site}"));
        }
    }
    let mut pairs = Vec::new();
    let mut notes = Vec::new();
    let mut blocks: Vec<_> = blocks.into_iter().collect();
    blocks.sort();
    for ((date, key), mut members) in blocks {
        if members.len() > MAX_BLOCK {
            let day = date.map(|d| format!(" on {d}")).unwrap_or_default();
            notes.push(format!(
                "{} entries{day} share the {key}: too many to compare every pair (at most {MAX_BLOCK}); only look-alikes were compared, duplicates among them may remain",
                members.len()
            ));
        }
        block_pairs(&mut members, fs, &mut pairs);
    }
    pairs.sort_unstable();
    pairs.dedup();
    (pairs, notes)
}

/// The pairs of one block: every pair, or for a block over [`MAX_BLOCK`], sorted neighbours.
fn block_pairs(members: &mut [usize], fs: &[Facts], pairs: &mut Vec<(usize, usize)>) {
    if members.len() > MAX_BLOCK {
        neighbours(members, fs, pairs);
        return;
    }
    for (x, &i) in members.iter().enumerate() {
        for &j in &members[x + 1..] {
            pairs.push((i, j));
        }
    }
}

/// An oversized block, compared in linear time: members sorted by title and link, each
/// paired with the next, so that copies of one entry (a feed repeating an event) still merge.
fn neighbours(members: &mut [usize], fs: &[Facts], pairs: &mut Vec<(usize, usize)>) {
    members.sort_by(|&a, &b| {
        (&fs[a].title_text, &fs[a].url, a).cmp(&(&fs[b].title_text, &fs[b].url, b))
    });
    for w in members.windows(2) {
        pairs.push((w[0].min(w[1]), w[0].max(w[1])));
    }
}

fn dedupe_with(events: Vec<Event>, which: Pairs) -> Deduped {
    let n = events.len();
    let fs: Vec<Facts> = events.iter().map(facts).collect();
    let (pairs, mut notes) = match which {
        Pairs::Blocked => candidates(&events, &fs),
        Pairs::Every => (
            (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect(),
            Vec::new(),
        ),
    };
    let mut parent: Vec<usize> = (0..n).collect();
    let mut edges: Vec<(usize, usize, Evidence)> = Vec::new();
    let mut possible: Vec<(usize, usize, String)> = Vec::new();
    // In ascending order, as a loop over every pair would meet them: the merges and the
    // report come out the same whichever pairs are compared.
    for (i, j) in pairs {
        if root(&mut parent, i) == root(&mut parent, j) {
            // Already one event: neither a merge nor a possible duplicate to report.
            continue;
        }
        match decide(&events[i], &fs[i], &events[j], &fs[j]) {
            Decision::Same(ev) => {
                let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                if ri != rj {
                    parent[ri.max(rj)] = ri.min(rj);
                    edges.push((i, j, ev));
                }
            }
            Decision::Possible(why) => possible.push((i, j, why)),
            Decision::Different => {}
        }
    }
    let dup_groups = groups(&mut parent);
    let mut merges = Vec::new();
    let mut merged: Vec<Event> = Vec::with_capacity(dup_groups.len());
    // Which merged event each input ended up in.
    let mut home_of = vec![0usize; n];
    for (g_index, g) in dup_groups.iter().enumerate() {
        for &i in g {
            home_of[i] = g_index;
        }
    }
    // Each merge edge under the group it joined, in the order the edges were found.
    let mut edges_of: Vec<Vec<&(usize, usize, Evidence)>> = vec![Vec::new(); dup_groups.len()];
    for edge in &edges {
        edges_of[home_of[edge.0]].push(edge);
    }
    for (g_index, g) in dup_groups.iter().enumerate() {
        let event = if g.len() == 1 {
            events[g[0]].clone()
        } else {
            merge_group(&events, g)
        };
        if g.len() > 1 {
            let kept = EntryRef::of(&event);
            for (a, b, ev) in edges_of[g_index].iter().copied() {
                // Name the entry of the pair that is not the kept one (by its link).
                let absorbed = if events[*b].url == event.url && events[*a].url != event.url {
                    *a
                } else {
                    *b
                };
                merges.push(Merge {
                    kept: kept.clone(),
                    absorbed: EntryRef::of(&events[absorbed]),
                    evidence: ev.clone(),
                });
            }
        }
        merged.push(event);
    }

    // Mirrors, over the merged events.
    let m = merged.len();
    let mfs: Vec<Facts> = merged.iter().map(facts).collect();
    let mut mparent: Vec<usize> = (0..m).collect();
    let mirror_pairs: Vec<(usize, usize)> = match which {
        Pairs::Blocked => mirror_candidates(&merged, &mfs, &mut notes),
        Pairs::Every => (0..m)
            .flat_map(|i| (i + 1..m).map(move |j| (i, j)))
            .collect(),
    };
    for (i, j) in mirror_pairs {
        let (ri, rj) = (root(&mut mparent, i), root(&mut mparent, j));
        if ri != rj && mirrors::are_mirrors(&merged[i], &merged[j], &mfs[i].group, &mfs[j].group) {
            mparent[ri.max(rj)] = ri.min(rj);
        }
    }
    let mirror_groups = groups(&mut mparent);
    let mut final_of_merged = vec![0usize; m];
    let mut out = Vec::with_capacity(mirror_groups.len());
    for (k, g) in mirror_groups.iter().enumerate() {
        for &i in g {
            final_of_merged[i] = k;
        }
        if g.len() == 1 {
            out.push(merged[g[0]].clone());
            continue;
        }
        let members: Vec<Event> = g.iter().map(|&i| merged[i].clone()).collect();
        let (primary, folded) = mirrors::fold(members);
        let kept = EntryRef::of(&primary);
        for (e, label) in folded {
            merges.push(Merge {
                kept: kept.clone(),
                absorbed: EntryRef::of(&e),
                evidence: Evidence::Mirror { label },
            });
        }
        out.push(primary);
    }

    let possible_duplicates = possible
        .into_iter()
        .filter(|(i, j, _)| final_of_merged[home_of[*i]] != final_of_merged[home_of[*j]])
        .map(|(i, j, reason)| PossibleDuplicate {
            a: EntryRef::of(&events[i]),
            b: EntryRef::of(&events[j]),
            reason,
            title_similarity: title_similarity(&events[i].title, &events[j].title),
            organizer_similarity: organizer_similarity(
                &events[i].organizer.name,
                &events[j].organizer.name,
            ),
        })
        .collect();
    Deduped {
        events: out,
        merges,
        possible_duplicates,
        notes,
    }
}

/// The pairs the mirror pass compares: virtual entries on one day with one normalized title
/// ([`mirrors::are_mirrors`] needs both), blocks bounded by [`MAX_BLOCK`] as in [`candidates`].
fn mirror_candidates(
    events: &[Event],
    fs: &[Facts],
    notes: &mut Vec<String>,
) -> Vec<(usize, usize)> {
    use std::collections::BTreeMap;
    let mut blocks: BTreeMap<(NaiveDate, &str), Vec<usize>> = BTreeMap::new();
    for (i, (e, f)) in events.iter().zip(fs).enumerate() {
        if e.attendance == Attendance::Virtual && !f.title_text.is_empty() {
            blocks
                .entry((e.start_date, &f.title_text))
                .or_default()
                .push(i);
        }
    }
    let mut pairs = Vec::new();
    for ((date, title), mut members) in blocks {
        if members.len() > MAX_BLOCK {
            notes.push(format!(
                "{} online entries on {date} are titled {title:?}: too many to compare every pair as mirrors (at most {MAX_BLOCK}); only neighbours were",
                members.len()
            ));
        }
        block_pairs(&mut members, fs, &mut pairs);
    }
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` entries by `n` groups, all at one instant (a hostile or broken feed), titled by `title`.
    fn crowd(n: usize, title: impl Fn(usize) -> String) -> Vec<Event> {
        (0..n)
            .map(|i| {
                let mut e = Event::example(
                    &title(i),
                    &format!("https://www.meetup.com/group-{i}/events/{}/", 1000 + i),
                    "2026-12-02",
                );
                e.organizer.name = format!("Group {i}");
                e.organizer.url = Some(format!("https://www.meetup.com/group-{i}/"));
                e
            })
            .collect()
    }

    #[test]
    fn comparisons_grow_with_entries_not_their_square() {
        // 2,000 entries on one day sharing the word "night": compared in blocks, not pairwise.
        let events = crowd(2000, |i| format!("Hack night {i}"));
        let fs: Vec<Facts> = events.iter().map(facts).collect();
        let (pairs, notes) = candidates(&events, &fs);
        assert!(pairs.len() < 2000 * 4, "{} pairs", pairs.len());
        assert!(
            notes
                .iter()
                .any(|n| n.contains("2000 entries on 2026-12-02 share the word \"hack\"")),
            "{notes:?}"
        );
        let out = dedupe(events);
        assert_eq!(out.events.len(), 2000);
    }

    #[test]
    fn copies_of_one_entry_still_merge_in_an_oversized_block() {
        let mut events = crowd(1, |_| "Rust Berlin Hack and Learn".into());
        let copy = events[0].clone();
        events.extend(std::iter::repeat_n(copy, 1999));
        let out = dedupe(events);
        assert_eq!(out.events.len(), 1);
        assert!(!out.notes.is_empty());
    }

    #[test]
    fn small_inputs_compare_as_every_pair() {
        let mut events = crowd(30, |i| format!("Session {}", i % 3));
        for (i, e) in events.iter_mut().enumerate() {
            e.attendance = Attendance::Virtual;
            e.regions = vec![Region::Virtual];
            e.start = (i % 2 == 0).then(|| "2026-12-02T18:00:00Z".parse().unwrap());
        }
        let blocked = dedupe(events.clone());
        assert!(blocked.notes.is_empty());
        assert!(!blocked.merges.is_empty(), "mirrors expected");
        assert_eq!(blocked, dedupe_every_pair(events));
    }
}
