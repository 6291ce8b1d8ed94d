//! Mirrored sessions: one session streamed by several groups, listed once with the other
//! groups' links as `[**<City> Mirror**](…)`.
//!
//! Two entries are mirrors when both are virtual, their normalized titles are equal, they
//! start at the same instant (or, when a time is unknown, on the same day) and they come
//! from different groups. A same-day match without times only counts for a title of three or
//! more significant words: "Monthly Meetup" by two unrelated groups is no mirror.
//!
//! **Primary rule** (deterministic, independent of input order): the entry that is on the
//! calendar (`in_calendar`) first — an editor entered it, the others are the groups' own
//! copies —, then one without a page of its own, then the organizer name (case-insensitive), then the canonical URL. The other
//! entries become [`Mirror`]s, sorted by organizer name.

use super::identity::canonical;
use super::similar::{normalize_text, significant_tokens, starts_agree};
use crate::model::{Attendance, Event, Mirror};

/// Whether `a` and `b` are the same session streamed by two groups (`group_a`/`group_b` are
/// their group keys).
pub fn are_mirrors(a: &Event, b: &Event, group_a: &str, group_b: &str) -> bool {
    if a.attendance != Attendance::Virtual || b.attendance != Attendance::Virtual {
        return false;
    }
    if group_a == group_b || a.organizer.name.eq_ignore_ascii_case(&b.organizer.name) {
        return false;
    }
    if a.start_date != b.start_date || !starts_agree(a, b) {
        return false;
    }
    let (ta, tb) = (normalize_text(&a.title), normalize_text(&b.title));
    if ta.is_empty() || ta != tb {
        return false;
    }
    let timed = a.start.is_some() && b.start.is_some();
    timed || significant_tokens(&a.title).len() >= 3
}

/// The sort key of the primary rule.
pub fn primary_order(e: &Event) -> (bool, bool, String, String) {
    (
        !e.in_calendar,
        e.from_page,
        e.organizer.name.to_lowercase(),
        canonical(&e.url),
    )
}

/// The link text for a mirror: `<City> Mirror` from the organizer's home, else
/// `<Organizer> Mirror`.
pub fn label(e: &Event) -> String {
    match e.organizer.home.as_ref().and_then(|h| h.city.as_deref()) {
        Some(city) if !city.trim().is_empty() => format!("{} Mirror", city.trim()),
        _ => format!("{} Mirror", e.organizer.name.trim()),
    }
}

/// Folds `members` (at least one) into one entry: the primary keeps its fields, the others
/// (and their own mirrors) become its mirrors. Returns the entry and, per folded member, the
/// label it got.
pub fn fold(mut members: Vec<Event>) -> (Event, Vec<(Event, String)>) {
    members.sort_by_key(primary_order);
    let mut primary = members.remove(0);
    let mut folded = Vec::new();
    let mut mirrors: Vec<Mirror> = std::mem::take(&mut primary.mirrors);
    for m in members {
        let lbl = label(&m);
        mirrors.push(Mirror {
            organizer: m.organizer.clone(),
            url: m.url.clone(),
            label: lbl.clone(),
        });
        mirrors.extend(m.mirrors.iter().cloned());
        for s in &m.sources {
            if !primary.sources.contains(s) {
                primary.sources.push(s.clone());
            }
        }
        folded.push((m, lbl));
    }
    let own = canonical(&primary.url);
    let mut seen = vec![own];
    mirrors.sort_by_key(|m| m.organizer.name.to_lowercase());
    mirrors.retain(|m| {
        let k = canonical(&m.url);
        if seen.contains(&k) {
            false
        } else {
            seen.push(k);
            true
        }
    });
    primary.mirrors = mirrors;
    (primary, folded)
}
