//! Deduplication: one entry per real-world event, with the evidence for every merge.
//!
//! Three passes over the normalized events:
//! 1. **Identity** ([`identity`]): two entries whose title links name the same single event
//!    (a meetup event id, a luma slug, an eventbrite `/e/` page, any page below a site root)
//!    and that start on the same day are one event. When a page and a calendar entry with the
//!    same link disagree on the day by up to a week, the page wins; otherwise they are kept
//!    and flagged — but for the instances of a series, a link one source lists on several
//!    days (a weekly meetup linking one page), which are not duplicates.
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
//! (`from_page`) — date, time, place, attendance —, this run's before one carried over from
//! the previous run (`carried`), else of the first member; sources and
//! mirrors are unioned; regions are recomputed from attendance and place (virtual → Virtual,
//! in person → the continent, hybrid → both), so a hybrid event listed in Virtual and in a
//! continent stays in both, and a virtual event wrongly listed under a continent leaves it.
//!
//! Here: this file the passes (compare, merge duplicates, fold mirrors, possible duplicates for
//! the review report); `identity.rs` canonical links and which name one event; `similar.rs` the
//! evidence of titles, organizers, places and starts; `decide.rs` an entry's facts and the
//! pairwise rules; `pairs.rs` which pairs are compared at all: entries blocked by event link and
//! by day × title word, group and site, so the work is near-linear and the result equal to
//! comparing every pair (`tests/dedupe.rs` checks it on the whole corpus); `merge.rs` a group of
//! duplicates folded into one entry, and the union-find; `mirrors.rs` mirrored sessions.

mod decide;
pub mod identity;
mod merge;
pub mod mirrors;
mod pairs;
pub mod similar;
#[cfg(test)]
mod tests;

use crate::model::{Event, Region};
use chrono::NaiveDate;
use decide::{Decision, Facts, decide, facts};
use merge::{groups, merge_group, root};
pub use pairs::MAX_BLOCK;
use pairs::Pairs;
use serde::Serialize;
use similar::{organizer_similarity, title_similarity};
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
            "{} {} by {} <{}> [{}]",
            self.start_date,
            crate::text::quoted(&self.title),
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
    /// Why, in words.
    pub reason: String,
    /// Why, as a code for programs: `similar-title-or-organizer` (same day and place),
    /// `different-last-day`, `different-start-times` (same day), `different-places` (same
    /// title and organizer), `same-link-different-days`, `different-event-links` (same group,
    /// day and title).
    pub code: &'static str,
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
    /// For each input entry, the index in `events` of the entry it ended up in (merged as a
    /// duplicate, or folded as a mirror).
    #[serde(skip)]
    pub entry_of: Vec<usize>,
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

/// Whether two entries are one event by the same rules [`dedupe`] merges on (strong
/// evidence only; mirrors and possible duplicates are not "the same").
pub fn same_event(a: &Event, b: &Event) -> bool {
    matches!(decide(a, &facts(a), b, &facts(b)), Decision::Same(_))
}

/// Merges duplicates and folds mirrors. Events that are not merged come out unchanged, in
/// their input order.
pub fn dedupe(events: &[Event]) -> Deduped {
    dedupe_with(events, Pairs::Blocked)
}

/// [`dedupe`] comparing every pair of entries, however many: the reference the blocked
/// comparison is tested against (it must give the same result on every published section).
#[doc(hidden)]
pub fn dedupe_every_pair(events: &[Event]) -> Deduped {
    dedupe_with(events, Pairs::Every)
}

/// The three passes: compare the candidate pairs, merge each group of duplicates, fold the
/// mirrors among the merged entries; then the possible duplicates that stayed apart.
fn dedupe_with(events: &[Event], which: Pairs) -> Deduped {
    let fs: Vec<Facts> = events.iter().map(facts).collect();
    let (pairs, mut notes) = which.for_duplicates(events, &fs);
    let found = compare(events, &fs, pairs);
    let mut duplicates = merge_duplicates(events, found.parent, &found.edges);
    let folded = fold_mirrors(&duplicates.merged, which, &mut notes);
    duplicates.merges.extend(folded.merges);
    let apart = |i: usize, j: usize| {
        let final_of = |i: usize| folded.final_of_merged[duplicates.home_of[i]];
        final_of(i) != final_of(j)
    };
    let entry_of: Vec<usize> = (0..events.len())
        .map(|i| folded.final_of_merged[duplicates.home_of[i]])
        .collect();
    let series = series_links(events, &fs);
    let of_a_series = |i: usize, j: usize, code: &str| {
        code == SAME_LINK_DIFFERENT_DAYS
            && fs[i]
                .keys
                .iter()
                .any(|k| fs[j].keys.contains(k) && series.contains(k.as_str()))
    };
    // Each pair of entries the section prints once, however many of their sources' entries
    // were compared (a calendar entry and a page entry on each side make four pairs).
    let mut said = std::collections::HashSet::new();
    let possible_duplicates = found
        .possible
        .into_iter()
        .filter(|(i, j, _)| apart(*i, *j))
        .filter(|(i, j, (code, _))| !of_a_series(*i, *j, code))
        .filter(|(i, j, _)| {
            let (a, b) = (entry_of[*i], entry_of[*j]);
            said.insert((a.min(b), a.max(b)))
        })
        .map(|(i, j, (code, reason))| possible_duplicate(&events[i], &events[j], code, reason))
        .collect();
    Deduped {
        events: folded.events,
        merges: duplicates.merges,
        possible_duplicates,
        notes,
        entry_of,
    }
}

/// The code of two entries linking one event page on different days.
pub(crate) const SAME_LINK_DIFFERENT_DAYS: &str = "same-link-different-days";

/// The event links that one source lists on several days: a series' (a weekly meetup whose
/// every instance links the same page), whose instances on different days are not duplicates
/// and are not reported as possible ones.
fn series_links<'a>(events: &[Event], fs: &'a [Facts]) -> std::collections::HashSet<&'a str> {
    let mut days: std::collections::HashMap<(&str, &str), NaiveDate> =
        std::collections::HashMap::new();
    let mut series = std::collections::HashSet::new();
    for (e, f) in events.iter().zip(fs) {
        for key in &f.keys {
            for source in &e.sources {
                match days.entry((key.as_str(), source.as_str())) {
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(e.start_date);
                    }
                    std::collections::hash_map::Entry::Occupied(o) => {
                        if *o.get() != e.start_date {
                            series.insert(key.as_str());
                        }
                    }
                }
            }
        }
    }
    series
}

/// What comparing the candidate pairs found.
struct Found {
    /// The union-find of entries judged one event.
    parent: Vec<usize>,
    /// Each merge, `(i, j, why)`, in the order found.
    edges: Vec<(usize, usize, Evidence)>,
    /// Each pair that may be one event, `(i, j, why)`.
    possible: Vec<(usize, usize, (&'static str, String))>,
}

/// Decides every candidate pair, joining the entries judged one event.
fn compare(events: &[Event], fs: &[Facts], pairs: Vec<(usize, usize)>) -> Found {
    let mut parent: Vec<usize> = (0..events.len()).collect();
    let mut edges = Vec::new();
    let mut possible = Vec::new();
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
            Decision::Possible(code, why) => possible.push((i, j, (code, why))),
            Decision::Different => {}
        }
    }
    Found {
        parent,
        edges,
        possible,
    }
}

/// The entries after merging duplicates.
struct Duplicates {
    /// One entry per group of duplicates, in the order of their first members.
    merged: Vec<Event>,
    /// Every merge, named by the kept entry and the absorbed one.
    merges: Vec<Merge>,
    /// Which merged entry each input ended up in.
    home_of: Vec<usize>,
}

/// Merges each group of duplicates into one entry, with a [`Merge`] per edge that joined it.
fn merge_duplicates(
    events: &[Event],
    mut parent: Vec<usize>,
    edges: &[(usize, usize, Evidence)],
) -> Duplicates {
    let dup_groups = groups(&mut parent);
    let mut merges = Vec::new();
    let mut merged: Vec<Event> = Vec::with_capacity(dup_groups.len());
    let mut home_of = vec![0usize; events.len()];
    for (g_index, g) in dup_groups.iter().enumerate() {
        for &i in g {
            home_of[i] = g_index;
        }
    }
    // Each merge edge under the group it joined, in the order the edges were found.
    let mut edges_of: Vec<Vec<&(usize, usize, Evidence)>> = vec![Vec::new(); dup_groups.len()];
    for edge in edges {
        edges_of[home_of[edge.0]].push(edge);
    }
    for (g_index, g) in dup_groups.iter().enumerate() {
        if g.len() == 1 {
            merged.push(events[g[0]].clone());
            continue;
        }
        let event = merge_group(events, g);
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
        merged.push(event);
    }
    Duplicates {
        merged,
        merges,
        home_of,
    }
}

/// The entries after folding mirrors.
struct Folded {
    events: Vec<Event>,
    /// A [`Merge`] for each mirror folded into its primary.
    merges: Vec<Merge>,
    /// Which output entry each merged entry ended up in.
    final_of_merged: Vec<usize>,
}

/// Folds each group of mirrors among the merged entries into its primary.
fn fold_mirrors(merged: &[Event], which: Pairs, notes: &mut Vec<String>) -> Folded {
    let m = merged.len();
    let mfs: Vec<Facts> = merged.iter().map(facts).collect();
    let mut mparent: Vec<usize> = (0..m).collect();
    for (i, j) in which.for_mirrors(merged, &mfs, notes) {
        let (ri, rj) = (root(&mut mparent, i), root(&mut mparent, j));
        if ri != rj && mirrors::are_mirrors(&merged[i], &merged[j], &mfs[i].group, &mfs[j].group) {
            mparent[ri.max(rj)] = ri.min(rj);
        }
    }
    let mirror_groups = groups(&mut mparent);
    let mut final_of_merged = vec![0usize; m];
    let mut events = Vec::with_capacity(mirror_groups.len());
    let mut merges = Vec::new();
    for (k, g) in mirror_groups.iter().enumerate() {
        for &i in g {
            final_of_merged[i] = k;
        }
        if g.len() == 1 {
            events.push(merged[g[0]].clone());
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
        events.push(primary);
    }
    Folded {
        events,
        merges,
        final_of_merged,
    }
}

/// Two entries kept apart that may be one event, with their similarities.
fn possible_duplicate(
    a: &Event,
    b: &Event,
    code: &'static str,
    reason: String,
) -> PossibleDuplicate {
    PossibleDuplicate {
        a: EntryRef::of(a),
        b: EntryRef::of(b),
        reason,
        code,
        title_similarity: title_similarity(&a.title, &b.title),
        organizer_similarity: organizer_similarity(&a.organizer.name, &b.organizer.name),
    }
}
