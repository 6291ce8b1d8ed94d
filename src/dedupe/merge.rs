//! Folding a group of duplicates into one entry, and the union-find that groups them.

use super::identity;
use crate::model::{Attendance, Event, Place, Region};
use crate::normalize::region::region_for_country;

/// Union-find root.
pub(super) fn root(parent: &mut [usize], i: usize) -> usize {
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
pub(super) fn merge_group(events: &[Event], members: &[usize]) -> Event {
    let mut order = members.to_vec();
    // The page's facts win; then this run's over those carried over from the previous run;
    // then a specific event link over a shared page; then the organizer name and link, so the
    // result does not depend on the input order.
    order.sort_by_cached_key(|&i| {
        let e = &events[i];
        (
            !e.from_page,
            e.carried,
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
        if out.place.as_ref().is_none_or(Place::is_empty) {
            out.place = others
                .iter()
                .filter_map(|e| e.place.clone())
                .find(|p| !p.is_empty());
        }
        if out.start.is_none()
            && let Some(timed) = others.iter().find(|e| e.start.is_some())
        {
            // The end comes with the start it belongs to.
            out.start = timed.start;
            out.end = timed.end;
        }
        // One conference entered as one day and as its whole run: keep the run (and its end
        // time when it starts at the same time).
        for e in &others {
            if e.start_date == out.start_date && e.end_date > out.end_date {
                out.end_date = e.end_date;
                out.end = e.end.filter(|_| e.start == out.start);
            }
        }
    }
    if out.end.is_none() && out.start.is_some() {
        // A duplicate with the same start and days knows its end.
        out.end = others
            .iter()
            .find(|e| e.start == out.start && e.end_date == out.end_date)
            .and_then(|e| e.end);
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
pub(super) fn groups(parent: &mut [usize]) -> Vec<Vec<usize>> {
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
