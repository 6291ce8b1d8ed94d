//! The field-level merge of a draft's entry with the run's event for it: the editors' form is
//! kept wherever no source contradicts its meaning, and what a source says differently wins.
//!
//! - **dates**: the source's when they differ (the event moved);
//! - **location**: the editors' form (`Virtual` for `Virtual (Dallas, TX, US)`, `Geneva, CH`
//!   for `CH`, `London, UK` for `London, GB`) unless the attendance changed (virtual, in
//!   person, hybrid) or the place did ([`places_agree`]); a virtual event's parentheses are
//!   always the editors' (it takes place nowhere);
//! - **organizers**: the editors' names and links (a group's own site, a luma profile, an
//!   eventbrite organizer page); the source's link only where theirs is not an http(s) link;
//! - **title**: the editors' wording unless the source's is clearly another title
//!   ([`same_wording`]); the editors' link unless it is not an http(s) link or the source's
//!   names another event;
//! - **mirrors**: the editors'.
//!
//! No memory of what the tool wrote last is needed: "keep the editors' form unless a source
//! contradicts its meaning" is decided from the draft and the run alone.

use crate::dedupe::identity::{canonical, event_key};
use crate::dedupe::similar::{
    significant_tokens, title_similarity, title_without_organizer, tokens,
};
use crate::model::{Event, Place};
use crate::newsletter::read::{CorpusEntry, Link};
use crate::newsletter::{EntryFields, date_field, read, write};

/// One field of an entry, replaced by a source's value or kept against it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    /// `date`, `location`, `organizer`, `organizer link`, `title`, `title link`, `mirrors`,
    /// `section`.
    pub field: &'static str,
    /// The draft's value (`(none)` when it had none).
    pub before: String,
    /// The source's value (what the entry has now when replaced).
    pub after: String,
    /// The labels of the sources that said it.
    pub source: String,
}

/// A draft entry merged with its event.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub fields: EntryFields,
    /// The fields a source replaced.
    pub replaced: Vec<FieldChange>,
    /// The fields where the editors' form was kept against a source's different one.
    pub kept: Vec<FieldChange>,
}

const NONE: &str = "(none)";

/// Merges `draft` (an entry as read) with `source` (the run's event for it).
pub fn merge(draft: &CorpusEntry, source: &Event) -> Merged {
    let label = if source.sources.is_empty() {
        "the run".to_string()
    } else {
        source.sources.join(", ")
    };
    let ours = read::entry_fields(draft);
    let theirs = write::fields_of(source);
    let mut m = Merged {
        fields: ours.clone(),
        replaced: Vec::new(),
        kept: Vec::new(),
    };
    let change = |field: &'static str, before: String, after: String| FieldChange {
        field,
        before,
        after,
        source: label.clone(),
    };
    let (d0, d1) = (
        date_field(ours.start_date, ours.end_date),
        date_field(theirs.start_date, theirs.end_date),
    );
    if d0 != d1 {
        m.fields.start_date = theirs.start_date;
        m.fields.end_date = theirs.end_date;
        m.replaced.push(change("date", d0, d1));
    }
    if location_contradicted(draft, source) {
        m.fields.location.clone_from(&theirs.location);
        m.replaced.push(change(
            "location",
            ours.location.clone(),
            theirs.location.clone(),
        ));
    } else if ours.location != theirs.location {
        m.kept.push(change(
            "location",
            ours.location.clone(),
            theirs.location.clone(),
        ));
    }
    merge_organizers(&mut m, &ours, &theirs, &change);
    merge_title(&mut m, &ours, &theirs, source, &change);
    let urls = |ls: &[Link]| {
        ls.iter()
            .map(|l| canonical(&l.url))
            .collect::<std::collections::BTreeSet<_>>()
    };
    if urls(&ours.mirrors) != urls(&theirs.mirrors) {
        m.kept.push(change(
            "mirrors",
            links_text(&ours.mirrors),
            links_text(&theirs.mirrors),
        ));
    }
    m
}

/// Link texts and URLs, for a report: `A <url>, B <url>`, or `(none)`.
fn links_text(ls: &[Link]) -> String {
    if ls.is_empty() {
        return NONE.to_string();
    }
    ls.iter()
        .map(|l| format!("{} <{}>", l.text, l.url))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The editors' organizers, their links where they are http(s) links (a group's own site, a
/// luma profile, an eventbrite organizer page); the source's where the draft has none.
fn merge_organizers(
    m: &mut Merged,
    ours: &EntryFields,
    theirs: &EntryFields,
    change: &impl Fn(&'static str, String, String) -> FieldChange,
) {
    let (Some(mine), Some(source)) = (ours.organizers.first(), theirs.organizers.first()) else {
        if ours.organizers.is_empty() && !theirs.organizers.is_empty() {
            m.fields.organizers.clone_from(&theirs.organizers);
            m.replaced.push(change(
                "organizer",
                NONE.to_string(),
                links_text(&theirs.organizers),
            ));
        }
        return;
    };
    if crate::dedupe::similar::normalize_text(&mine.text)
        != crate::dedupe::similar::normalize_text(&source.text)
    {
        m.kept
            .push(change("organizer", mine.text.clone(), source.text.clone()));
    }
    let my_link = crate::link::safe(&mine.url);
    let source_link = crate::link::safe(&source.url);
    match (my_link, source_link) {
        (None, Some(_)) => {
            if let Some(first) = m.fields.organizers.first_mut() {
                first.url.clone_from(&source.url);
            }
            m.replaced.push(change(
                "organizer link",
                if mine.url.is_empty() {
                    NONE.to_string()
                } else {
                    mine.url.clone()
                },
                source.url.clone(),
            ));
        }
        (Some(_), source_link) if canonical(&mine.url) != canonical(&source.url) => {
            m.kept.push(change(
                "organizer link",
                mine.url.clone(),
                source_link.map_or_else(|| NONE.to_string(), |_| source.url.clone()),
            ));
        }
        _ => {}
    }
}

/// The editors' title wording unless the source's is another title; their link unless it is
/// not an http(s) link or the source's names another event.
fn merge_title(
    m: &mut Merged,
    ours: &EntryFields,
    theirs: &EntryFields,
    source: &Event,
    change: &impl Fn(&'static str, String, String) -> FieldChange,
) {
    let Some(their_title) = &theirs.title else {
        return;
    };
    let Some(my_title) = &ours.title else {
        m.fields.title = Some(their_title.clone());
        m.fields.mirrors.clone_from(&theirs.mirrors);
        m.replaced.push(change(
            "title",
            NONE.to_string(),
            links_text(std::slice::from_ref(their_title)),
        ));
        return;
    };
    let organizers: Vec<&str> = ours
        .organizers
        .iter()
        .chain(&theirs.organizers)
        .map(|o| o.text.as_str())
        .collect();
    let mut title = my_title.clone();
    if same_wording(&my_title.text, &their_title.text, &organizers) {
        if my_title.text != their_title.text {
            m.kept.push(change(
                "title",
                my_title.text.clone(),
                their_title.text.clone(),
            ));
        }
    } else {
        title.text.clone_from(&their_title.text);
        m.replaced.push(change(
            "title",
            my_title.text.clone(),
            their_title.text.clone(),
        ));
    }
    // The draft's link is another event's only when it is none of the session's links (a
    // draft may list a mirrored session under another group's link than the run's).
    let session = std::iter::once(&their_title.url).chain(theirs.mirrors.iter().map(|l| &l.url));
    let mine = canonical(&my_title.url);
    let another_event = !session.clone().any(|u| canonical(u) == mine)
        && event_key(&their_title.url, source.organizer.url.as_deref()).is_some();
    let unusable = crate::link::safe(&my_title.url).is_none();
    if (unusable || another_event) && crate::link::safe(&their_title.url).is_some() {
        title.url.clone_from(&their_title.url);
        m.replaced.push(change(
            "title link",
            if my_title.url.is_empty() {
                NONE.to_string()
            } else {
                my_title.url.clone()
            },
            their_title.url.clone(),
        ));
    } else if canonical(&my_title.url) != canonical(&their_title.url) {
        m.kept.push(change(
            "title link",
            my_title.url.clone(),
            their_title.url.clone(),
        ));
    }
    m.fields.title = Some(title);
}

/// Whether two titles are one wording of the same title: the same words, a strong similarity
/// of their significant words, or one's words all in the other's with at least one of them
/// significant (an emoji or a `Rust Berlin:` prefix dropped). `TBD` and `Async in practice`
/// are two titles; so are `Rust meetup #87` and `Rust meetup #88`.
pub fn same_wording(a: &str, b: &str, organizers: &[&str]) -> bool {
    let strip = |t: &'_ str| -> Vec<String> {
        std::iter::once(t.to_string())
            .chain(
                organizers
                    .iter()
                    .map(|o| title_without_organizer(t, o).to_string()),
            )
            .collect()
    };
    strip(a).iter().any(|x| {
        strip(b).iter().any(|y| {
            let (tx, ty) = (words(x), words(y));
            if (tx == ty && !tx.is_empty()) || title_similarity(x, y) >= 0.5 {
                return true;
            }
            let (small, large, text) = if tx.len() <= ty.len() {
                (&tx, &ty, x)
            } else {
                (&ty, &tx, y)
            };
            !small.is_empty() && small.is_subset(large) && !significant_tokens(text).is_empty()
        })
    })
}

/// A title's words ([`tokens`]), a two-digit year written out (`'23` as `2023`, as in
/// `Rust Nation '23` and `Rust Nation UK 2023`).
fn words(title: &str) -> std::collections::BTreeSet<String> {
    tokens(title)
        .into_iter()
        .map(|w| {
            if w.len() == 2 && w.bytes().all(|b| b.is_ascii_digit()) {
                format!("20{w}")
            } else {
                w
            }
        })
        .collect()
}

/// Whether the source contradicts the draft's location: another attendance (a draft's
/// `Virtual (Dallas, TX, US)` and a bare `Virtual` are the same one), or a draft's place that
/// agrees with none of the source's ([`places_agree`]). A side without a place contradicts
/// nothing.
fn location_contradicted(draft: &CorpusEntry, source: &Event) -> bool {
    if draft.attendance != source.attendance {
        return true;
    }
    // A virtual event takes place nowhere: what the editors put in its parentheses (the
    // organizer's home, `Joint Meetup, Europe + Israel`, nothing) is their choice.
    if draft.attendance == crate::model::Attendance::Virtual {
        return false;
    }
    let theirs = source_places(source);
    match draft.places.first() {
        Some(d) if !theirs.is_empty() => !theirs.iter().any(|s| places_agree(d, s)),
        _ => false,
    }
}

/// The places of a source's location field: the event's shown place, and the homes of its
/// mirrors' organizers (a mirrored session is at each of them, in any order).
fn source_places(source: &Event) -> Vec<&Place> {
    source
        .shown_place()
        .into_iter()
        .chain(
            source
                .mirrors
                .iter()
                .filter_map(|m| m.organizer.home.as_ref()),
        )
        .filter(|p| !p.is_empty())
        .collect()
}

/// Two places agree when their countries do (or one has none) and so do their cities (or one
/// has none: `Geneva, CH` and `CH`); cities agree when one's folded words are all in the
/// other's (`Zürich`/`Zurich`, `Frankfurt`/`Frankfurt am Main`).
pub fn places_agree(a: &Place, b: &Place) -> bool {
    if let (Some(x), Some(y)) = (&a.country, &b.country)
        && x != y
    {
        return false;
    }
    match (&a.city, &b.city) {
        (Some(x), Some(y)) => {
            let (tx, ty) = (tokens(x), tokens(y));
            tx.is_subset(&ty) || ty.is_subset(&tx)
        }
        _ => true,
    }
}
