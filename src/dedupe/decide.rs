//! The pairwise decision: whether two entries are one event, may be, or are not, and the
//! per-entry facts it reads.

use super::similar::{self, places_compatible, starts_agree};
use super::{Evidence, identity, mirrors};
use crate::model::{Attendance, Event};

/// What the pairwise comparison concluded.
pub(super) enum Decision {
    Same(Evidence),
    /// Maybe: the code ([`PossibleDuplicate::code`](super::PossibleDuplicate::code)) and why.
    Possible(&'static str, String),
    Different,
}

/// Precomputed per-event facts: everything a comparison needs that depends on one entry
/// only, computed once per entry rather than once per pair.
pub(super) struct Facts {
    pub(super) key: Option<String>,
    /// `key` and the keys of the entry's extra links by the same organizer (an `RSVP` link).
    pub(super) keys: Vec<String>,
    pub(super) group: String,
    pub(super) host: String,
    pub(super) site: Option<String>,
    /// The title link, canonical.
    pub(super) url: String,
    /// The whole title, normalized.
    pub(super) title_text: String,
    /// The words of the title without a leading organizer name.
    pub(super) title_words: similar::WordSet,
    /// The words of the organizer's name.
    pub(super) organizer_words: similar::WordSet,
}

/// The facts of one entry.
pub(super) fn facts(e: &Event) -> Facts {
    let key = identity::event_key(&e.url, e.organizer.url.as_deref());
    let host = identity::host(&e.url).unwrap_or_else(|| identity::canonical(&e.url));
    let from_url =
        identity::group_key(&e.url).filter(|g| crate::site::meetup_com::group_of_key(g).is_some());
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
    // On a platform (`site::platform`), a title link and an organizer link share no site.
    let site = (!crate::site::platform::is_platform_host(&host)).then(|| host.clone());
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

/// Whether `a` and `b` are one event, may be, or are not: the rules in the order of the
/// module's documentation, the first that applies deciding.
pub(super) fn decide(a: &Event, fa: &Facts, b: &Event, fb: &Facts) -> Decision {
    let ts = fa.title_words.similarity(&fb.title_words);
    let os = fa.organizer_words.similarity(&fb.organizer_words);
    if let Some(key) = fa.keys.iter().find(|k| fb.keys.contains(k)) {
        return same_link(a, b, key);
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
    let weak = |code: &'static str, why: &str| {
        if related {
            Decision::Possible(code, why.to_string())
        } else {
            Decision::Different
        }
    };
    if a.end_date != b.end_date {
        return weak("different-last-day", "same first day, different last day");
    }
    if !starts_agree(a, b) {
        return weak("different-start-times", "same day, different start times");
    }
    if !places_compatible(a, b) {
        return if ts >= 0.8 && os >= 0.5 {
            Decision::Possible(
                "different-places",
                "same title and organizer, different places".into(),
            )
        } else {
            Decision::Different
        };
    }
    let same_listing_kind = a.attendance == b.attendance && a.regions == b.regions;
    if same_listing_kind && let Some(decision) = same_group_same_title(a, fa, b, fb, ts) {
        return decision;
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
        if let Some(site) = shared_site(a, fa, b, fb) {
            let multi_day = a.end_date > a.start_date;
            if multi_day || ts >= 0.5 {
                return Decision::Same(Evidence::SameSiteSameDates {
                    site,
                    title_similarity: ts,
                });
            }
        }
        if ts >= 0.8 && os >= 0.8 {
            return Decision::Same(Evidence::SameTitleAndOrganizer {
                title_similarity: ts,
                organizer_similarity: os,
            });
        }
    }
    weak(
        "similar-title-or-organizer",
        "same day and place, similar title or organizer",
    )
}

/// Two entries sharing an event link: one event on the same day, or when a page moved it by
/// up to a week (the page's date wins); else a possible duplicate.
fn same_link(a: &Event, b: &Event, key: &str) -> Decision {
    if a.start_date == b.start_date {
        return Decision::Same(Evidence::SameLink {
            key: key.to_string(),
        });
    }
    let days = (a.start_date - b.start_date).num_days().abs();
    if a.from_page != b.from_page && days <= 7 {
        let (page, other) = if a.from_page { (a, b) } else { (b, a) };
        return Decision::Same(Evidence::SameLinkPageDate {
            key: key.to_string(),
            page_date: page.start_date,
            other_date: other.start_date,
        });
    }
    Decision::Possible(
        "same-link-different-days",
        format!("same event link {key} on different days"),
    )
}

/// Two event pages of one group with one title on one day (listed alike): one event when they
/// are a meetup series and occurrence id or start at the same time, else a possible
/// duplicate; `None` when the rule does not apply.
fn same_group_same_title(
    a: &Event,
    fa: &Facts,
    b: &Event,
    fb: &Facts,
    ts: f64,
) -> Option<Decision> {
    if fa.group != fb.group || fa.key.is_none() || fb.key.is_none() {
        return None;
    }
    if fa.title_text != fb.title_text {
        return None;
    }
    let timed_pages = a.from_page && b.from_page && a.start.is_some() && a.start == b.start;
    if series_and_occurrence(fa, fb) || timed_pages {
        return Some(Decision::Same(Evidence::SameGroupSameTitle {
            group: fa.group.clone(),
            title_similarity: ts,
        }));
    }
    Some(Decision::Possible(
        "different-event-links",
        "same group, day and title, different event links (two sessions, or one listed twice?)"
            .into(),
    ))
}

/// The site both entries link to (not a platform), or the host of both organizers' links when
/// they are one group.
fn shared_site(a: &Event, fa: &Facts, b: &Event, fb: &Facts) -> Option<String> {
    match (&fa.site, &fb.site) {
        (Some(x), Some(y)) if x == y => Some(x.clone()),
        _ => None,
    }
    .or_else(|| {
        let org_host = |e: &Event| e.organizer.url.as_deref().and_then(identity::host);
        match (org_host(a), org_host(b)) {
            (Some(x), Some(y)) if x == y && fa.group == fb.group => Some(x),
            _ => None,
        }
    })
}

/// A meetup recurring-series id (letters, e.g. `wqzhftyjcmbdb`) and a numeric occurrence id:
/// meetup shows one occurrence under both, and editors copy either.
fn series_and_occurrence(fa: &Facts, fb: &Facts) -> bool {
    let id = |f: &Facts| {
        f.key
            .as_deref()
            .and_then(|k| crate::site::meetup_com::event_id_of_key(k))
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
