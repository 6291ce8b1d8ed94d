//! What becomes of each draft entry and of each run event: the entries matched to run events
//! (by event link identity whatever the organizer, the dedupe rules, or a shared session),
//! grouped when they are one event, and each given exactly one verdict.

use super::fields::{FieldChange, Merged, merge};
use super::{EntryReport, KeptFailed, describe};
use crate::check::{Scope, failed_source_of, scopes};
use crate::config::Source;
use crate::dedupe::{
    self,
    identity::{canonical, event_key},
};
use crate::model::{Event, Region, Window};
use crate::newsletter::block::DraftEntry;
use crate::newsletter::{EntryFields, read, write};
use crate::pipeline::Outcome;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// What becomes of one draft entry.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Verdict {
    /// Its lines stay as they are (unchanged, kept because its source failed, added by hand).
    Keep,
    /// Its lines go.
    Remove,
    /// Rewritten with the merged fields, in `section`; moved to its sorted place there when
    /// `reposition` (its date or its section changed). Only the lines whose fields changed
    /// are printed anew: the entry line when `entry_line`, the title line when `title_line`.
    Rewrite {
        fields: EntryFields,
        section: Option<Region>,
        reposition: bool,
        entry_line: bool,
        title_line: bool,
    },
}

/// The verdicts, the entries to insert, and the report.
#[derive(Debug, Default)]
pub(super) struct Plan {
    /// Per draft entry.
    pub verdicts: Vec<Option<Verdict>>,
    /// New entries: the run's events the draft did not have (one per section), and the
    /// copies of an entry in a section it is now listed in too.
    pub inserts: Vec<(Region, EntryFields)>,
    pub updated: Vec<EntryReport>,
    pub unchanged: Vec<EntryReport>,
    pub kept_failed: Vec<KeptFailed>,
    pub kept: Vec<String>,
    pub removed: Vec<String>,
    pub added: Vec<String>,
}

/// A draft entry as an event, named by its draft line for reports.
fn draft_event(d: &DraftEntry) -> Event {
    let mut e = read::to_event(&d.entry);
    e.sources = vec![format!("draft line {}", d.entry.line)];
    e
}

/// The event links of an entry: its own and its mirrors' (one session streamed by several
/// groups), as event identities. A link that is its entry's own organizer link names no
/// event by itself, unless `other` (the entry it is compared with) has another organizer
/// link: an editor who linked an event page as its organizer too (`[Rust Lyon](…/events/…)`)
/// still names that event.
fn session_keys(e: &Event, other: &Event) -> Vec<String> {
    std::iter::once((&e.url, e.organizer.url.as_deref()))
        .chain(
            e.mirrors
                .iter()
                .map(|m| (&m.url, m.organizer.url.as_deref())),
        )
        .filter_map(|(url, org)| {
            event_key(url, org).or_else(|| event_key(url, other.organizer.url.as_deref()))
        })
        .collect()
}

/// Whether a run event is a draft entry's: the same event by dedupe's rules, or a link that
/// names one event in common (its own or a mirror's, whoever the organizer: an eventbrite
/// ticket page listed under another organizer link is the same event).
fn is_its(run: &Event, draft: &Event) -> bool {
    let keys = session_keys(run, draft);
    session_keys(draft, run).iter().any(|k| keys.contains(k))
        || same_link_same_days(run, draft)
        || dedupe::same_event(run, draft)
}

/// The same link on overlapping days: a link that names no single event by itself (a
/// conference's home page, `https://oxidizeconf.com/`) still names the one on those days,
/// whatever the two say of its organizer or its length.
fn same_link_same_days(a: &Event, b: &Event) -> bool {
    !a.url.is_empty()
        && canonical(&a.url) == canonical(&b.url)
        && a.start_date <= b.end_date
        && b.start_date <= a.end_date
}

/// The run's events by first day and by event link, so that a draft entry is compared only
/// with those that could be it (dedupe's rules need one of the two).
struct Candidates {
    day: HashMap<NaiveDate, Vec<usize>>,
    link: HashMap<String, Vec<usize>>,
    /// By the canonical form of the title link, whatever it names ([`same_link_same_days`]).
    url: HashMap<String, Vec<usize>>,
}

impl Candidates {
    fn of(run: &[Event]) -> Candidates {
        let mut c = Candidates {
            day: HashMap::new(),
            link: HashMap::new(),
            url: HashMap::new(),
        };
        for (j, e) in run.iter().enumerate() {
            c.day.entry(e.start_date).or_default().push(j);
            c.url.entry(canonical(&e.url)).or_default().push(j);
            for k in links(e) {
                c.link.entry(k).or_default().push(j);
            }
        }
        c
    }

    /// The run event that is the draft entry `h`, the best of several: the same link on the
    /// same day, then the same link, then a shared event link, then dedupe's other rules;
    /// the nearest day among equals. Each run event the pipeline kept apart is another event:
    /// a draft entry stands for one of them, the others stay to be added.
    fn best(&self, run: &[Event], h: &Event) -> Option<usize> {
        let mut js: Vec<usize> = self.day.get(&h.start_date).cloned().unwrap_or_default();
        for k in links(h) {
            js.extend(self.link.get(&k).into_iter().flatten());
        }
        js.extend(self.url.get(&canonical(&h.url)).into_iter().flatten());
        js.sort_unstable();
        js.dedup();
        let url = canonical(&h.url);
        js.into_iter()
            .filter(|&j| is_its(&run[j], h))
            .min_by_key(|&j| {
                let e = &run[j];
                let same_url = canonical(&e.url) == url;
                let rank = match (same_url, e.start_date == h.start_date) {
                    (true, true) => 0,
                    (true, false) => 1,
                    _ if session_keys(e, h)
                        .iter()
                        .any(|k| session_keys(h, e).contains(k)) =>
                    {
                        2
                    }
                    _ => 3,
                };
                (rank, (e.start_date - h.start_date).num_days().abs(), j)
            })
    }
}

/// An entry's links (its own and its mirrors') that name one event whoever the organizer:
/// the keys [`Candidates`] finds it by.
fn links(e: &Event) -> Vec<String> {
    std::iter::once(&e.url)
        .chain(e.mirrors.iter().map(|m| &m.url))
        .filter_map(|u| event_key(u, None))
        .collect()
}

/// A small union-find over the draft's entries.
fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The draft's entries (of `live`) grouped by event: those dedupe merges (the same entry
/// under Virtual and a continent, or an event listed twice) and those matched to a common
/// run event. Groups in draft order, entries in draft order.
fn groups(events: &[Event], live: &[usize], matches: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..events.len()).collect();
    let join = |parent: &mut Vec<usize>, a: usize, b: usize| {
        let (ra, rb) = (root(parent, a), root(parent, b));
        if ra != rb {
            parent[ra.max(rb)] = ra.min(rb);
        }
    };
    let live_events: Vec<Event> = live.iter().map(|&i| events[i].clone()).collect();
    let deduped = dedupe::dedupe(&live_events);
    let mut first_of: Vec<Option<usize>> = vec![None; deduped.events.len()];
    for (k, &into) in deduped.entry_of.iter().enumerate() {
        let i = live[k];
        match first_of.get(into).copied().flatten() {
            Some(j) => join(&mut parent, i, j),
            None => {
                if let Some(slot) = first_of.get_mut(into) {
                    *slot = Some(i);
                }
            }
        }
    }
    let mut by_run: HashMap<usize, usize> = HashMap::new();
    for &i in live {
        for &j in &matches[i] {
            match by_run.get(&j) {
                Some(&k) => join(&mut parent, i, k),
                None => {
                    by_run.insert(j, i);
                }
            }
        }
    }
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for &i in live {
        let r = root(&mut parent, i);
        let s = *slot.entry(r).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[s].push(i);
    }
    out
}

/// The sections a merged entry is listed in: the run's (a hybrid event under Virtual and its
/// continent, an event whose place moved in its new one, a European city listed under North
/// America by mistake under Europe); but an entry the draft lists in a section that names no
/// region (before the first heading, under a heading of the editors' own) stays where it is.
fn targets(own: &[Option<Region>], run: &Event) -> Vec<Option<Region>> {
    if run.regions.is_empty() || own.iter().any(Option::is_none) {
        return own.to_vec();
    }
    run.regions.iter().copied().map(Some).collect()
}

/// The section's name, for reports.
fn section_name(s: Option<Region>) -> &'static str {
    s.map_or("(no section)", Region::title)
}

/// Sorts out the draft's entries against the run. See the module [`super`] for the rules.
pub(super) fn plan(
    entries: &[&DraftEntry],
    outcome: &Outcome,
    window: Window,
    sources: &[Source],
) -> Plan {
    let events: Vec<Event> = entries.iter().map(|d| draft_event(d)).collect();
    let mut p = Plan {
        verdicts: vec![None; entries.len()],
        ..Plan::default()
    };
    let cancelled: BTreeSet<String> = outcome
        .dropped
        .iter()
        .flat_map(|l| l.event.url.iter().chain(l.event.links.iter()))
        .map(|u| canonical(u))
        .collect();
    let mut live = Vec::new();
    for (i, e) in events.iter().enumerate() {
        if cancelled.contains(&canonical(&e.url)) {
            p.removed.push(format!(
                "{}: cancelled or postponed on its page",
                describe(e)
            ));
            p.verdicts[i] = Some(Verdict::Remove);
        } else {
            live.push(i);
        }
    }
    let candidates = Candidates::of(&outcome.events);
    let matches: Vec<Vec<usize>> = events
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if p.verdicts[i].is_some() {
                return Vec::new();
            }
            candidates.best(&outcome.events, h).into_iter().collect()
        })
        .collect();
    let scopes = scopes(outcome, sources);
    let mut taken = vec![false; outcome.events.len()];
    for group in groups(&events, &live, &matches) {
        let ms: BTreeSet<usize> = group
            .iter()
            .flat_map(|&i| matches[i].iter().copied())
            .collect();
        let ctx = Ctx {
            entries,
            events: &events,
            outcome,
            scopes: &scopes,
            window,
        };
        if ctx.decide(&mut p, &group, &ms) {
            for &j in &ms {
                taken[j] = true;
            }
        }
    }
    for (j, e) in outcome.events.iter().enumerate() {
        if taken[j] || e.regions.is_empty() {
            continue;
        }
        for &r in &e.regions {
            p.inserts.push((r, write::fields_of(e)));
        }
        p.added.push(describe(e));
    }
    p
}

/// What a group's decision needs.
struct Ctx<'a> {
    entries: &'a [&'a DraftEntry],
    events: &'a [Event],
    outcome: &'a Outcome,
    scopes: &'a [Scope],
    window: Window,
}

impl Ctx<'_> {
    /// The source that lists an entry and failed or answered suspiciously this run.
    fn failed_source(&self, h: &Event) -> Option<usize> {
        failed_source_of(
            self.outcome,
            self.scopes,
            &h.url,
            h.organizer.url.as_deref(),
            &h.organizer.name,
        )
    }

    /// The entry's own group or page source (not a many-organizer feed), failed or suspect.
    fn own_source_down(&self, h: &Event) -> Option<usize> {
        self.failed_source(h)
            .filter(|&i| self.scopes.iter().any(|s| s.index == i && s.page.is_some()))
    }

    fn kept_failed(&self, i: usize, source: usize) -> KeptFailed {
        let r = &self.outcome.reports[source];
        KeptFailed {
            entry: describe(&self.events[i]),
            source: r.label.clone(),
            suspect: r.failure().is_none(),
        }
    }

    /// One entry per section of the group (the one with the run's event link, else the
    /// first); the others are removed, merged into it. Returns the primaries with their
    /// sections, in draft order.
    fn primaries(&self, p: &mut Plan, group: &[usize], run_url: Option<&str>) -> Vec<usize> {
        let section = |i: usize| self.entries[i].entry.region;
        let mut out: Vec<usize> = Vec::new();
        for &i in group {
            if out.iter().any(|&k| section(k) == section(i)) {
                continue;
            }
            let same: Vec<usize> = group
                .iter()
                .copied()
                .filter(|&k| section(k) == section(i))
                .collect();
            let best = same
                .iter()
                .copied()
                .find(|&k| run_url.is_some_and(|u| canonical(&self.events[k].url) == canonical(u)))
                .unwrap_or(i);
            out.push(best);
            for k in same.into_iter().filter(|&k| k != best) {
                p.removed.push(format!(
                    "{}: merged into {} (line {}), the same event",
                    describe(&self.events[k]),
                    describe(&self.events[best]),
                    self.entries[best].entry.line
                ));
                p.verdicts[k] = Some(Verdict::Remove);
            }
        }
        out.sort_unstable();
        out
    }

    /// Decides a group; returns whether its run events are taken (not to be added).
    fn decide(&self, p: &mut Plan, group: &[usize], ms: &BTreeSet<usize>) -> bool {
        let run = ms.first().map(|&j| &self.outcome.events[j]);
        let primaries = self.primaries(p, group, run.map(|e| e.url.as_str()));
        let Some(run) = run else {
            self.keep_unmatched(p, &primaries);
            return false;
        };
        let unverified = ms.iter().all(|&j| !self.outcome.events[j].from_page);
        let down = primaries
            .iter()
            .find_map(|&i| self.own_source_down(&self.events[i]));
        if let (true, Some(source)) = (unverified, down) {
            // The run has only a feed's unverified copy while the entry's own source is down:
            // what its page said is not undone by the copy (as `pipeline::carry_over`).
            let mut any = false;
            for &i in &primaries {
                if self.outside(p, i) {
                    continue;
                }
                p.kept_failed.push(self.kept_failed(i, source));
                p.verdicts[i] = Some(Verdict::Keep);
                any = true;
            }
            return any;
        }
        self.merge_group(p, &primaries, run);
        true
    }

    /// Removes an entry outside the window (its own dates); says whether it did.
    fn outside(&self, p: &mut Plan, i: usize) -> bool {
        let e = &self.events[i];
        if self.window.overlaps(e.start_date, e.end_date) {
            return false;
        }
        p.removed.push(format!(
            "{}: outside the window {} - {}",
            describe(e),
            self.window.from,
            self.window.to
        ));
        p.verdicts[i] = Some(Verdict::Remove);
        true
    }

    /// Entries no run event is: kept as they were, because their source failed, or as added
    /// by hand; removed when outside the window.
    fn keep_unmatched(&self, p: &mut Plan, primaries: &[usize]) {
        for &i in primaries {
            if self.outside(p, i) {
                continue;
            }
            match self.failed_source(&self.events[i]) {
                Some(source) => p.kept_failed.push(self.kept_failed(i, source)),
                None => p.kept.push(describe(&self.events[i])),
            }
            p.verdicts[i] = Some(Verdict::Keep);
        }
    }

    /// Each primary merged with the run's event, field by field; listed in the draft's
    /// sections unless the source moved its place (then in the run's), moved, removed or
    /// copied to fit.
    fn merge_group(&self, p: &mut Plan, primaries: &[usize], run: &Event) {
        let mut merged: Vec<(usize, Merged)> = primaries
            .iter()
            .map(|&i| (i, merge(&self.entries[i].entry, run)))
            .collect();
        let own: Vec<Option<Region>> = primaries
            .iter()
            .map(|&i| self.entries[i].entry.region)
            .collect();
        let targets = targets(&own, run);
        let mut free: Vec<Option<Region>> = targets
            .iter()
            .copied()
            .filter(|t| !own.contains(t))
            .collect();
        let mut sections: Vec<Option<Option<Region>>> = Vec::new();
        for (k, (i, m)) in merged.iter_mut().enumerate() {
            let here = own[k];
            if targets.contains(&here) {
                sections.push(Some(here));
            } else if !free.is_empty() {
                let to = free.remove(0);
                m.replaced.push(FieldChange {
                    field: "section",
                    before: section_name(here).to_string(),
                    after: section_name(to).to_string(),
                    source: run.sources.join(", "),
                });
                sections.push(Some(to));
            } else {
                p.removed.push(format!(
                    "{}: no longer listed under {}: the source ({}) has it as \"{}\"",
                    describe(&self.events[*i]),
                    section_name(here),
                    run.sources.join(", "),
                    m.fields.location
                ));
                p.verdicts[*i] = Some(Verdict::Remove);
                sections.push(None);
            }
        }
        // Sections it is listed in now and has no entry in yet: a copy of the first entry.
        if let Some(k) = sections.iter().position(Option::is_some) {
            for t in free.into_iter().flatten() {
                p.inserts.push((t, merged[k].1.fields.clone()));
                merged[k].1.replaced.push(FieldChange {
                    field: "section",
                    before: section_name(own[k]).to_string(),
                    after: format!("{} and {}", section_name(own[k]), t.title()),
                    source: run.sources.join(", "),
                });
            }
        }
        for ((i, m), section) in merged.into_iter().zip(sections) {
            let Some(section) = section else {
                continue;
            };
            let report = EntryReport {
                entry: describe(&self.events[i]),
                line: self.entries[i].entry.line,
                replaced: m.replaced,
                kept: m.kept,
            };
            if report.replaced.is_empty() {
                p.verdicts[i] = Some(Verdict::Keep);
                p.unchanged.push(report);
                continue;
            }
            let changed =
                |fields: &[&str]| report.replaced.iter().any(|c| fields.contains(&c.field));
            p.verdicts[i] = Some(Verdict::Rewrite {
                fields: m.fields,
                section,
                reposition: section != self.entries[i].entry.region || changed(&["date"]),
                entry_line: changed(&["date", "location", "organizer", "organizer link"]),
                title_line: changed(&["title", "title link", "mirrors"]),
            });
            p.updated.push(report);
        }
    }
}
