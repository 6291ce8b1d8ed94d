//! The events JSON file for automation (the cron job): versioned, serialization-only types,
//! kept apart from the domain types so the file's format changes only on purpose.
//!
//! ```json
//! {
//!   "version": 2,
//!   "generated_at": "2026-11-21T09:00:00+00:00",
//!   "window": {"from": "2026-11-25", "to": "2026-12-23"},
//!   "sources": [{"kind": "meetup", "url": "…", "label": "…", "ok": true, "status": "ok",
//!                "events": 3, "error": null, "suspect": null, "warnings": [],
//!                "carried_over": 0}],
//!   "events": [{"title": "…", "url": "…", "start_date": "2026-11-26", "end_date": "2026-11-26",
//!               "start": "2026-11-26T19:00:00+01:00", "end": "2026-11-26T21:30:00+01:00",
//!               "end_source": "source", "attendance": "in-person",
//!               "location": "Berlin, DE", "place": {"city": "Berlin", "state": null, "country": "DE"},
//!               "organizer": {"name": "…", "url": "…", "home": null}, "sections": ["Europe"],
//!               "mirrors": [], "sources": ["…"], "verified": true, "stale": true,
//!               "last_seen": "2026-11-21T08:00:00+00:00"}],
//!   "corrections": [{"event": "…", "field": "start", "calendar": "…", "page": "…",
//!                    "title": "…", "url": "…", "date": "2026-11-26"}],
//!   "left_out": [{"event": "…", "reason": "cancelled",
//!                 "title": "…", "url": "…", "date": "2026-11-26", "source": "…",
//!                 "called_off": {"page": "…", "title": "…", "date": "…", "source": "…"}}],
//!   "possible_duplicates": ["…"],
//!   "unverified": [{"entry": "…", "reason": "…", "title": "…", "url": "…",
//!                   "date": "2026-11-26", "source": "…", "code": "page-status"}],
//!   "possible_duplicate_pairs": [{"a": {"title": "…", "url": "…", "date": "2026-11-26",
//!                                       "organizer": "…", "sections": ["Europe"],
//!                                       "sources": ["…"]},
//!                                 "b": {…}, "code": "different-event-links", "reason": "…",
//!                                 "title_similarity": 1.0, "organizer_similarity": 1.0,
//!                                 "text": "…"}]
//! }
//! ```
//!
//! A source's `status` is `"ok"`, `"failed"` (no usable answer: `error` says why) or
//! `"suspect"` (it answered, but with no events where events are expected, or far fewer than
//! the previous file: `suspect` says why and what to check; see [`crate::suspect`]). `ok` is
//! true only for `"ok"`: the source's answer was taken as the truth.
//!
//! `stale: true` marks an event whose facts are carried over from the previous file because a
//! source that reported it failed or was suspect this time: a bad run never silently drops
//! good data, nor undoes what the last good run verified. Its `last_seen` says since when:
//! the `generated_at` of the last file that had it from a source that answered (the previous
//! file's, or the `last_seen` it already had there); absent on this run's events, so an hour
//! with nothing new does not change the file. The page and the feeds say it too ("not
//! confirmed this time: last seen …"). A carried event is deduplicated
//! with this run's entries ([`crate::pipeline::carry_over`]): the calendar's copy of it is
//! merged into it (one entry, both sources; the page's date and link kept while the page's
//! source is down), and a source that answers again replaces it. A source's `carried_over`
//! counts the previous file's events naming it that were kept because it failed or was
//! suspect: `stale` ones, and those merged with this run's copies (a carried event's
//! mirrors, for one, when another group's page gave the entry this time).
//!
//! `unverified` lists the calendar entries whose event page could not be used (unreachable,
//! unreadable, describing another instance): they are listed with the calendar's data, or
//! with the page's facts of the previous file when the page did not answer (`stale`).
//!
//! The review lists are sentences for people (`corrections[].event`, `left_out[].event`,
//! `unverified[].entry` and `reason`, `possible_duplicates`) and, beside them, data for
//! programs: an entry's `title`, `url` (its own link, else its first; null without one),
//! `date` (its first local day, the date the section prints: a 19:30 Chicago meetup stored
//! at 00:30 UTC is on the earlier day, in the sentences too) and `source`; an unverified
//! entry's `code` (`page-status`: an HTTP error; `page-no-answer`: a timeout, the deadline, a
//! network error; `page-unreadable`: no event data, too large; `page-not-recorded`: a replay
//! without it; `other-instance`: the page describes another instance of its series); a
//! correction's `date` (the day of the listed entry it corrected, null when not listed);
//! `possible_duplicate_pairs`, one per `possible_duplicates` string in the same order, each
//! entry with its local `date`, `sections` and `sources`, and a `code`
//! (`similar-title-or-organizer`, `different-last-day`, `different-start-times`,
//! `different-places`, `same-link-different-days`, `different-event-links`).
//!
//! A `left_out` entry's `called_off` (since version 2, issue 16) names the event page that
//! said the event is cancelled or postponed: while that page is not read again, later runs
//! keep the event out (the calendar's entry for it is left out, "as its event page said when
//! last read").
//!
//! `end` is the end a source gave (the calendar's DTEND or DURATION, meetup's `endTime`,
//! luma's end, JSON-LD `endDate`), in the start's zone, and `end_source` says where the end
//! comes from: `"source"` (`end`); `"default"` (a timed one-day event whose sources gave no
//! end, `end` null: the calendar feeds end it
//! [`DEFAULT_DURATION_HOURS`](crate::render::ics::DEFAULT_DURATION_HOURS) after its start);
//! `"dates"` (no time of day, or several days without an end time: it ends with `end_date`,
//! `end` null).
//!
//! Versions: 2 added `status`, `suspect` and `unverified`, and made `ok` false for a suspect
//! source although its `error` is null (in version 1, `ok` was false exactly when `error` was
//! set). Files of version 1 are still read as a previous file (the new fields default to
//! empty). `end` and `end_source` were added to version 2 later (backward compatible: an
//! event carried over from a file written before has `end` and `end_source` null), and so
//! were `last_seen` and the review lists' data (`title`, `url`, `date`, `source`, `code`,
//! `possible_duplicate_pairs`, issue 24): additive, every key of before keeps its meaning and
//! type, and a file written before is read with them empty or null (a stale event of it is
//! last seen at its `generated_at`). The sentences' date is the local one since then (it was
//! the UTC date of a UTC start).

use crate::model::{Attendance, Event, Mirror, Place, Region, Window};
use crate::newsletter::write::{location_field, order_key};
use crate::pipeline::Outcome;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The format's version; bumped on any incompatible change.
pub const VERSION: u32 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub version: u32,
    pub generated_at: String,
    pub window: WindowJson,
    pub sources: Vec<SourceJson>,
    pub events: Vec<EventJson>,
    pub corrections: Vec<CorrectionJson>,
    pub left_out: Vec<LeftOutJson>,
    /// Each pair in words (`possible_duplicate_pairs` has them as data).
    pub possible_duplicates: Vec<String>,
    /// Calendar entries whose event page could not be used (since version 2).
    #[serde(default)]
    pub unverified: Vec<UnverifiedJson>,
    /// `possible_duplicates` as data, in the same order (added to version 2 later).
    #[serde(default)]
    pub possible_duplicate_pairs: Vec<PossibleDuplicateJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnverifiedJson {
    /// The calendar entry in words: title, local date, link, source.
    pub entry: String,
    /// Why its page could not be used, in words.
    pub reason: String,
    /// The entry's title (this and the fields below were added to version 2 later: empty or
    /// null in a file written before).
    #[serde(default)]
    pub title: String,
    /// The entry's link (its own, else its first), when it has one.
    #[serde(default)]
    pub url: Option<String>,
    /// Its first local day, as the section prints it.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The source (feed) that listed it.
    #[serde(default)]
    pub source: String,
    /// Why, as a code: `page-status`, `page-no-answer`, `page-unreadable`,
    /// `page-not-recorded`, `other-instance`.
    #[serde(default)]
    pub code: Option<String>,
}

/// Two entries that may be one event, both listed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PossibleDuplicateJson {
    pub a: EntryRefJson,
    pub b: EntryRefJson,
    /// Why, as a code: `similar-title-or-organizer`, `different-last-day`,
    /// `different-start-times`, `different-places`, `same-link-different-days`,
    /// `different-event-links`.
    pub code: String,
    /// Why, in words.
    pub reason: String,
    pub title_similarity: f64,
    pub organizer_similarity: f64,
    /// The pair in words: the matching `possible_duplicates` string.
    pub text: String,
}

/// A listed entry, as a possible duplicate names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryRefJson {
    pub title: String,
    pub url: String,
    /// Its first local day, as the section prints it.
    pub date: NaiveDate,
    pub organizer: String,
    pub sections: Vec<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowJson {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SourceJson {
    pub kind: String,
    pub url: String,
    pub label: String,
    /// Its answer was taken as the truth (`status` is `"ok"`).
    pub ok: bool,
    /// `"ok"`, `"failed"` or `"suspect"` (since version 2).
    #[serde(default)]
    pub status: String,
    pub events: usize,
    /// Why it failed.
    pub error: Option<String>,
    /// Why its answer is suspect, and what to check (since version 2).
    #[serde(default)]
    pub suspect: Option<String>,
    pub warnings: Vec<String>,
    /// Events of the previous file naming this source kept because it failed or is suspect
    /// (alone and `stale`, or merged with this run's copies).
    pub carried_over: usize,
    /// Its own way in could not be read and a second one carried it (a meetup group's iCal
    /// feed, a luma calendar's page list): why. Absent when not (since version 2, issue 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// Where its URL redirected to (a renamed group: update `sources.toml`). Absent when not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirected_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceJson {
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrganizerJson {
    pub name: String,
    pub url: Option<String>,
    pub home: Option<PlaceJson>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MirrorJson {
    pub label: String,
    pub url: String,
    pub organizer: OrganizerJson,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventJson {
    pub title: String,
    pub url: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Local start with offset (RFC 3339), when the event has a time of day.
    pub start: Option<String>,
    /// Local end with offset (RFC 3339), when a source gave one (added to version 2 later).
    #[serde(default)]
    pub end: Option<String>,
    /// `"source"`, `"default"` or `"dates"`: where the end comes from (see the module
    /// documentation); null only in an event carried over from a file written before.
    #[serde(default)]
    pub end_source: Option<String>,
    /// `in-person`, `virtual` or `hybrid`.
    pub attendance: String,
    /// The location field as the newsletter prints it.
    pub location: String,
    pub place: Option<PlaceJson>,
    pub organizer: OrganizerJson,
    /// The newsletter sections it is listed in.
    pub sections: Vec<String>,
    pub mirrors: Vec<MirrorJson>,
    pub sources: Vec<String>,
    /// Its facts come from the event's own page.
    pub verified: bool,
    /// Its facts are carried over from the previous file: a source of it failed or was
    /// suspect this time (merged with this run's less precise copies, if any).
    pub stale: bool,
    /// When a `stale` event's facts were last read from its sources (RFC 3339): the
    /// `generated_at` of the last run whose sources gave it. Absent on this run's events
    /// (added to version 2 later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CorrectionJson {
    /// The calendar entry in words: `"Title" (link)`.
    pub event: String,
    /// `start`, `status` or `attendance`.
    pub field: String,
    pub calendar: String,
    pub page: String,
    /// The calendar entry's title (this and the fields below were added to version 2 later:
    /// empty or null in a file written before).
    #[serde(default)]
    pub title: String,
    /// The calendar entry's link (its own, else its first), when it has one.
    #[serde(default)]
    pub url: Option<String>,
    /// The first local day of the listed entry it corrected (the page's day); null when the
    /// entry is not listed (the page called it off, or it left the window).
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeftOutJson {
    /// The entry in words: title, local date, link, source.
    pub event: String,
    pub reason: String,
    /// The entry's title (this and the fields below were added to version 2 later: empty or
    /// null in a file written before).
    #[serde(default)]
    pub title: String,
    /// The entry's link (its own, else its first), when it has one.
    #[serde(default)]
    pub url: Option<String>,
    /// Its first local day, as the section would print it.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The source that listed it.
    #[serde(default)]
    pub source: String,
    /// When the event's own page said it is cancelled or postponed: that page and the event,
    /// so that a later run keeps it out while the page is not read again. Absent when not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub called_off: Option<CalledOffJson>,
}

/// An event its own page called off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalledOffJson {
    /// The page.
    pub page: String,
    pub title: String,
    /// Its first day, as the source said it.
    pub date: NaiveDate,
    /// The source that listed it.
    pub source: String,
}

fn place(p: &Place) -> PlaceJson {
    PlaceJson {
        city: p.city.clone(),
        state: p.state.clone(),
        country: p.country.clone(),
    }
}

fn organizer(o: &crate::model::Organizer) -> OrganizerJson {
    OrganizerJson {
        name: o.name.clone(),
        url: o.url.clone(),
        home: o.home.as_ref().map(place),
    }
}

/// Where the event's end comes from: `"source"`, `"default"` (the feeds assume one) or
/// `"dates"`.
fn end_source(e: &Event) -> &'static str {
    if e.end.is_some() {
        "source"
    } else if crate::render::ics::assumed_end(e).is_some() {
        "default"
    } else {
        "dates"
    }
}

fn event(e: &Event) -> EventJson {
    EventJson {
        title: e.title.clone(),
        url: e.url.clone(),
        start_date: e.start_date,
        end_date: e.end_date,
        start: e.start.map(|s| s.to_rfc3339()),
        end: e.end.map(|s| s.to_rfc3339()),
        end_source: Some(end_source(e).to_string()),
        attendance: match e.attendance {
            Attendance::InPerson => "in-person",
            Attendance::Virtual => "virtual",
            Attendance::Hybrid => "hybrid",
        }
        .to_string(),
        location: location_field(e),
        place: e.place.as_ref().map(place),
        organizer: organizer(&e.organizer),
        sections: e.regions.iter().map(|r| r.title().to_string()).collect(),
        mirrors: e
            .mirrors
            .iter()
            .map(|m| MirrorJson {
                label: m.label.clone(),
                url: m.url.clone(),
                organizer: organizer(&m.organizer),
            })
            .collect(),
        sources: e.sources.clone(),
        verified: e.from_page,
        stale: e.carried,
        last_seen: e.last_seen.clone().filter(|_| e.carried),
    }
}

/// A previous file as `suspect` and `check` read it ([`crate::run::PreviousRun`]).
pub fn previous_run(doc: &Document) -> crate::run::PreviousRun {
    crate::run::PreviousRun {
        generated_at: doc.generated_at.clone(),
        events: doc
            .events
            .iter()
            .map(|e| crate::run::PreviousEvent {
                title: e.title.clone(),
                url: e.url.clone(),
                start_date: e.start_date,
                end_date: e.end_date,
                location: e.location.clone(),
                organizer_name: e.organizer.name.clone(),
                organizer_url: e.organizer.url.clone(),
                mirror_urls: e.mirrors.iter().map(|m| m.url.clone()).collect(),
                sources: e.sources.clone(),
                stale: e.stale,
            })
            .collect(),
    }
}

/// A previous file as a run needs it ([`crate::pipeline::carry_over`]): its events and the
/// event pages that called theirs off.
pub fn previous(doc: &Document) -> crate::pipeline::Previous {
    crate::pipeline::Previous {
        events: previous_events(doc),
        called_off: doc
            .left_out
            .iter()
            .filter_map(|l| {
                let off = l.called_off.as_ref()?;
                let page = crate::link::check(&off.page).ok()?;
                let mut event = crate::model::RawEvent::new(
                    off.source.clone(),
                    off.title.clone(),
                    crate::model::When::Date(off.date),
                );
                event.url = Some(page.clone());
                Some(crate::pipeline::LeftOut {
                    event,
                    // The local day the file gave, else the one the source said.
                    date: l.date.unwrap_or(off.date),
                    reason: l.reason.clone(),
                    called_off_on_page: Some(page),
                })
            })
            .collect(),
    }
}

/// The events of a previous file, as they re-enter a run ([`crate::pipeline::carry_over`]):
/// `verified` as `from_page`, marked `carried`; on the calendar (`in_calendar`, which
/// decides the primary among mirrored sessions) when an iCal source reported it. An event
/// the file cannot give back (a link `link::check` refuses, an unknown attendance) is left
/// out.
pub fn previous_events(doc: &Document) -> Vec<Event> {
    let feeds: Vec<&str> = doc
        .sources
        .iter()
        .filter(|s| {
            crate::sources::kind::named(&s.kind).is_some_and(crate::sources::kind::Kind::is_feed)
        })
        .map(|s| s.label.as_str())
        .collect();
    doc.events
        .iter()
        .filter_map(|e| from_json(e, &feeds, &doc.generated_at))
        .collect()
}

/// One event of a previous file, `carried`: last seen when the file says (its `last_seen`,
/// else the file's `generated_at`: a live event then, or a file written before the field).
fn from_json(e: &EventJson, feeds: &[&str], generated_at: &str) -> Option<Event> {
    let place =
        |p: &PlaceJson| Place::new(p.city.as_deref(), p.state.as_deref(), p.country.as_deref());
    let organizer = |o: &OrganizerJson| crate::model::Organizer {
        name: o.name.clone(),
        url: o.url.as_deref().and_then(|u| crate::link::check(u).ok()),
        home: o.home.as_ref().map(place),
    };
    let start = match &e.start {
        Some(s) => Some(chrono::DateTime::parse_from_rfc3339(s).ok()?),
        None => None,
    };
    // The source's end as the last good run read it (a file written before `end` existed,
    // or an unreadable one, gives none: the feeds then assume their default again).
    let end = e
        .end
        .as_deref()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok());
    // A file written before the rule gave an evening ending after midnight two days: one.
    let end_date = match start.zip(end) {
        Some((start, end)) if !crate::normalize::spans_days(start, end) => e.start_date,
        _ => e.end_date,
    };
    Some(Event {
        title: e.title.clone(),
        url: crate::link::check(&e.url).ok()?,
        start_date: e.start_date,
        end_date,
        start,
        end,
        attendance: match e.attendance.as_str() {
            "in-person" => Attendance::InPerson,
            "virtual" => Attendance::Virtual,
            "hybrid" => Attendance::Hybrid,
            _ => return None,
        },
        place: e.place.as_ref().map(place),
        organizer: organizer(&e.organizer),
        regions: e
            .sections
            .iter()
            .filter_map(|s| Region::ALL.into_iter().find(|r| r.title() == s))
            .collect(),
        mirrors: e
            .mirrors
            .iter()
            .filter_map(|m| {
                Some(Mirror {
                    label: m.label.clone(),
                    url: crate::link::check(&m.url).ok()?,
                    organizer: organizer(&m.organizer),
                })
            })
            .collect(),
        sources: e.sources.clone(),
        from_page: e.verified,
        in_calendar: e.sources.iter().any(|s| feeds.contains(&s.as_str())),
        carried: true,
        last_seen: Some(
            e.last_seen
                .clone()
                .filter(|_| e.stale)
                .unwrap_or_else(|| generated_at.to_string()),
        ),
        uid: None,
    })
}

/// The document for a run. Events whose facts are carried over from the previous file (see
/// [`crate::pipeline::carry_over`]) are marked `stale`.
pub fn document(outcome: &Outcome, window: &Window, generated_at: &str) -> Document {
    let sources: Vec<SourceJson> = outcome
        .reports
        .iter()
        .map(|r| SourceJson {
            kind: r.kind.as_str().to_string(),
            url: r.url.clone(),
            label: r.label.clone(),
            ok: r.trusted(),
            status: r.status().to_string(),
            events: r.events,
            error: r.failure().map(ToString::to_string),
            suspect: r.suspect().map(ToString::to_string),
            warnings: r.warnings.clone(),
            carried_over: r.carried_over,
            fallback: r.fallback.clone(),
            redirected_to: r.redirected_to.clone(),
        })
        .collect();
    let mut events: Vec<EventJson> = outcome.events.iter().map(event).collect();
    events.sort_by_cached_key(|e| {
        order_key(
            e.start_date,
            &e.location,
            &e.organizer.name,
            &e.title,
            &e.url,
        )
    });
    Document {
        version: VERSION,
        generated_at: generated_at.to_string(),
        window: WindowJson {
            from: window.from,
            to: window.to,
        },
        sources,
        events,
        corrections: outcome
            .corrections
            .iter()
            .map(|c| correction(c, &outcome.events))
            .collect(),
        left_out: outcome.dropped.iter().map(left_out).collect(),
        possible_duplicates: outcome
            .possible_duplicates
            .iter()
            .map(ToString::to_string)
            .collect(),
        unverified: outcome
            .unverified
            .iter()
            .map(|u| UnverifiedJson {
                entry: u.entry(),
                reason: u.reason.clone(),
                title: u.event.title.clone(),
                url: crate::run::link_of(&u.event).map(str::to_string),
                date: Some(u.date),
                source: u.event.source.clone(),
                code: Some(u.code.code().to_string()),
            })
            .collect(),
        possible_duplicate_pairs: outcome
            .possible_duplicates
            .iter()
            .map(|p| PossibleDuplicateJson {
                a: entry_ref(&p.a),
                b: entry_ref(&p.b),
                code: p.code.to_string(),
                reason: p.reason.clone(),
                title_similarity: p.title_similarity,
                organizer_similarity: p.organizer_similarity,
                text: p.to_string(),
            })
            .collect(),
    }
}

/// A correction, with the first day of the listed entry it corrected: the event whose link,
/// or a mirror's, is the calendar entry's (by canonical form).
fn correction(c: &crate::verify::Correction, events: &[Event]) -> CorrectionJson {
    let key = c.url.as_deref().map(crate::dedupe::identity::canonical);
    let date = key.and_then(|key| {
        events
            .iter()
            .find(|e| {
                std::iter::once(&e.url)
                    .chain(e.mirrors.iter().map(|m| &m.url))
                    .any(|u| crate::dedupe::identity::canonical(u) == key)
            })
            .map(|e| e.start_date)
    });
    CorrectionJson {
        event: c.event.clone(),
        field: c.field.to_string(),
        calendar: c.calendar.clone(),
        page: c.page.clone(),
        title: c.title.clone(),
        url: c.url.clone(),
        date,
    }
}

fn left_out(l: &crate::run::LeftOut) -> LeftOutJson {
    LeftOutJson {
        event: crate::pipeline::describe_on(&l.event, l.date),
        reason: l.reason.clone(),
        title: l.event.title.clone(),
        url: crate::run::link_of(&l.event).map(str::to_string),
        date: Some(l.date),
        source: l.event.source.clone(),
        called_off: l.called_off_on_page.as_deref().and_then(|page| {
            Some(CalledOffJson {
                page: crate::link::check(page).ok()?,
                title: l.event.title.clone(),
                date: crate::pipeline::instant_date(&l.event.start),
                source: l.event.source.clone(),
            })
        }),
    }
}

fn entry_ref(r: &crate::dedupe::EntryRef) -> EntryRefJson {
    EntryRefJson {
        title: r.title.clone(),
        url: r.url.clone(),
        date: r.start_date,
        organizer: r.organizer.clone(),
        sections: r.regions.iter().map(|r| r.title().to_string()).collect(),
        sources: r.sources.clone(),
    }
}

/// Whether two documents say the same (everything but `generated_at`): an unchanged run
/// need not rewrite the file.
pub fn same_content(a: &Document, b: &Document) -> bool {
    let mut b = b.clone();
    b.generated_at.clone_from(&a.generated_at);
    *a == b
}

/// The file's text: pretty JSON with a final newline.
pub fn to_text(doc: &Document) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::SourceReport;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn ev(title: &str, url: &str, source: &str) -> Event {
        Event {
            sources: vec![source.into()],
            ..Event::example(title, url, "2026-11-26")
        }
    }

    fn report(label: &str, error: Option<&str>) -> SourceReport {
        SourceReport {
            events: 1,
            state: crate::run::SourceStatus::of_test(error, None),
            ..SourceReport::new(
                crate::config::SourceKind::Meetup,
                &format!("https://www.meetup.com/{label}/events/"),
                label,
            )
        }
    }

    fn window() -> Window {
        Window {
            from: d("2026-11-25"),
            to: d("2026-12-23"),
        }
    }

    /// A run's outcome: `events` read, deduplicated (they are distinct).
    fn outcome(events: Vec<Event>, reports: Vec<SourceReport>) -> Outcome {
        Outcome {
            undeduplicated: events.clone(),
            events,
            reports,
            ..Outcome::default()
        }
    }

    /// `json --out`'s refresh: the previous file's events carried over, then the document.
    fn refresh(mut outcome: Outcome, prev: &Document, at: &str) -> Document {
        crate::pipeline::carry_over(&mut outcome, previous(prev), &window());
        document(&outcome, &window(), at)
    }

    /// The previous file: two sources that worked, one event each.
    fn first_run() -> Document {
        let first = outcome(
            vec![
                ev("A", "https://www.meetup.com/a/events/1/", "a"),
                ev("B", "https://www.meetup.com/b/events/2/", "b"),
            ],
            vec![report("a", None), report("b", None)],
        );
        document(&first, &window(), "t1")
    }

    #[test]
    fn a_failed_source_keeps_its_previous_events_marked_stale() {
        let prev = first_run();
        let second = outcome(
            vec![ev("A", "https://www.meetup.com/a/events/1/", "a")],
            vec![report("a", None), report("b", Some("HTTP status 503"))],
        );
        let doc = refresh(second.clone(), &prev, "t2");
        assert_eq!(doc.events.len(), 2);
        let b = doc.events.iter().find(|e| e.title == "B").unwrap();
        assert!(b.stale);
        assert_eq!(doc.sources[1].carried_over, 1);
        assert_eq!(doc.sources[0].carried_over, 0);
        assert!(!doc.sources[1].ok);
        // Round trip and change detection.
        let back: Document = serde_json::from_str(&to_text(&doc)).unwrap();
        assert_eq!(back, doc);
        assert!(same_content(&doc, &refresh(second.clone(), &prev, "t3")));
        assert!(!same_content(&prev, &doc));
        // The next hour, "b" still down: the stale event is carried again, unchanged.
        assert!(same_content(&doc, &refresh(second, &doc, "t4")));
    }

    #[test]
    fn a_previous_file_gives_its_events_back() {
        let mut hybrid = ev("H", "https://www.meetup.com/a/events/3/", "cal");
        hybrid.attendance = Attendance::Hybrid;
        hybrid.regions = vec![Region::Virtual, Region::Europe];
        hybrid.start = chrono::DateTime::parse_from_rfc3339("2026-11-26T19:00:00+01:00").ok();
        hybrid.from_page = false;
        hybrid.mirrors = vec![Mirror {
            label: "Hamburg Mirror".into(),
            url: "https://www.meetup.com/h/events/4/".into(),
            organizer: hybrid.organizer.clone(),
        }];
        let mut cal = report("cal", None);
        cal.kind = crate::config::SourceKind::Ical;
        let a = ev("A", "https://www.meetup.com/a/events/1/", "a");
        let doc = document(
            &outcome(
                vec![a.clone(), hybrid.clone()],
                vec![report("a", None), cal],
            ),
            &window(),
            "t1",
        );
        let back = previous_events(&doc);
        let carried = |e: Event, in_calendar| Event {
            carried: true,
            in_calendar,
            // Live in that file: last seen when it was written.
            last_seen: Some("t1".into()),
            ..e
        };
        assert_eq!(back, [carried(a, false), carried(hybrid, true)]);
        // A link the tool would not print is not given back.
        let mut bad = doc.clone();
        bad.events[0].url = "javascript:alert(1)".into();
        bad.events[1].attendance = "somewhere".into();
        assert!(previous_events(&bad).is_empty());
    }

    #[test]
    fn a_suspect_source_is_carried_over_and_unverified_entries_are_listed() {
        let prev = first_run();
        assert_eq!(prev.sources[0].status, "ok");
        let mut b = report("b", None);
        b.state = crate::run::SourceStatus::of_test(None, Some("no data"));
        let mut unverified = crate::pipeline::Unverified::of_test(
            "A",
            "2026-11-26",
            "HTTP status 404; kept the calendar's data",
            Some("meetup.com/a/events/1"),
        );
        unverified.event.url = Some("https://www.meetup.com/a/events/1/".into());
        let second = Outcome {
            unverified: vec![unverified],
            ..outcome(
                vec![ev("A", "https://www.meetup.com/a/events/1/", "a")],
                vec![report("a", None), b, report("c", Some("timed out"))],
            )
        };
        let doc = refresh(second, &prev, "t2");
        let statuses: Vec<(&str, bool)> = doc
            .sources
            .iter()
            .map(|s| (s.status.as_str(), s.ok))
            .collect();
        assert_eq!(
            statuses,
            [("ok", true), ("suspect", false), ("failed", false)]
        );
        assert_eq!(doc.sources[1].error, None);
        assert!(doc.sources[1].suspect.is_some());
        assert_eq!(doc.sources[1].carried_over, 1);
        assert!(doc.events.iter().any(|e| e.title == "B" && e.stale));
        assert_eq!(doc.unverified.len(), 1);
        assert!(doc.unverified[0].reason.contains("404"));
        let back: Document = serde_json::from_str(&to_text(&doc)).unwrap();
        assert_eq!(back, doc);
    }

    #[test]
    fn the_end_says_where_it_comes_from_and_is_carried_over() {
        let mut known = ev("Known", "https://www.meetup.com/a/events/1/", "a");
        known.start = Some("2026-11-26T19:00:00+01:00".parse().unwrap());
        known.end = Some("2026-11-26T21:30:00+01:00".parse().unwrap());
        let mut unknown = ev("Unknown", "https://www.meetup.com/b/events/2/", "b");
        unknown.start = Some("2026-11-26T19:00:00+01:00".parse().unwrap());
        let days = ev("Days", "https://www.meetup.com/c/events/3/", "c");
        let first = Outcome {
            events: vec![known, unknown, days],
            reports: vec![report("a", None), report("b", None), report("c", None)],
            ..Outcome::default()
        };
        let doc = document(&first, &window(), "t1");
        let by = |doc: &Document, title: &str| {
            let e = doc.events.iter().find(|e| e.title == title).unwrap();
            (e.end.clone(), e.end_source.clone())
        };
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            by(&doc, "Known"),
            (s("2026-11-26T21:30:00+01:00"), s("source"))
        );
        assert_eq!(by(&doc, "Unknown"), (None, s("default")));
        assert_eq!(by(&doc, "Days"), (None, s("dates")));
        let text = to_text(&doc);
        assert!(text.contains("\"end_source\": \"default\""), "{text}");

        // Source a fails next time: its event is carried over with its end.
        let second = Outcome {
            reports: vec![
                report("a", Some("timed out")),
                report("b", None),
                report("c", None),
            ],
            ..Outcome::default()
        };
        let prev: Document = serde_json::from_str(&text).unwrap();
        let next = refresh(second.clone(), &prev, "t2");
        assert_eq!(
            by(&next, "Known"),
            (s("2026-11-26T21:30:00+01:00"), s("source"))
        );

        // A file written before the fields existed is still read; its events come back without
        // an end.
        let mut old: serde_json::Value = serde_json::from_str(&text).unwrap();
        for e in old["events"].as_array_mut().unwrap() {
            let e = e.as_object_mut().unwrap();
            e.remove("end");
            e.remove("end_source");
        }
        let old: Document = serde_json::from_value(old).unwrap();
        let next = refresh(second, &old, "t2");
        // Carried without an end, it is timed: the feeds assume their default again.
        assert_eq!(by(&next, "Known"), (None, s("default")));
    }
}

#[cfg(test)]
mod data_tests {
    use super::*;
    use crate::model::{RawEvent, When};

    fn window() -> Window {
        Window {
            from: "2026-09-16".parse().unwrap(),
            to: "2026-10-14".parse().unwrap(),
        }
    }

    /// A run with a correction, a possible duplicate and an unverified entry.
    fn outcome() -> Outcome {
        let url = "https://www.meetup.com/chicago-rust/events/1/";
        let listed = Event {
            sources: vec!["cal".into()],
            ..Event::example("Chicago Rust", url, "2026-09-16")
        };
        let twin = Event {
            url: "https://www.meetup.com/chicago-rust/events/2/".into(),
            ..listed.clone()
        };
        // 19:30 in Chicago (CDT) on the 16th.
        let start = chrono::DateTime::parse_from_rfc3339("2026-09-17T00:30:00Z")
            .unwrap()
            .to_utc();
        let mut calendar = RawEvent::new("cal", "Chicago Rust", When::Utc(start));
        calendar.url = Some(url.into());
        let mut page = calendar.clone();
        page.start = When::Utc(start + chrono::Duration::hours(1));
        let (_, corrections) = crate::verify::apply(&calendar, &page);
        let deduped = crate::dedupe::dedupe(&[listed.clone(), twin.clone()]);
        Outcome {
            events: vec![listed, twin],
            corrections,
            possible_duplicates: deduped.possible_duplicates,
            unverified: vec![crate::run::Unverified {
                event: calendar,
                date: "2026-09-16".parse().unwrap(),
                reason: "HTTP status 404; kept the calendar's data".into(),
                code: crate::run::PageProblem::Status,
                page: Some("meetup.com/chicago-rust/events/1".into()),
                unreachable: None,
            }],
            ..Outcome::default()
        }
    }

    #[test]
    fn the_review_lists_are_data_beside_their_sentences() {
        let doc = document(&outcome(), &window(), "t1");
        // Unverified: the sentence with the local date, and its parts.
        let u = &doc.unverified[0];
        assert_eq!(
            u.entry,
            "\"Chicago Rust\" on 2026-09-16 (https://www.meetup.com/chicago-rust/events/1/, from cal)"
        );
        assert_eq!(u.title, "Chicago Rust");
        assert_eq!(
            u.url.as_deref(),
            Some("https://www.meetup.com/chicago-rust/events/1/")
        );
        assert_eq!(u.date, "2026-09-16".parse().ok());
        assert_eq!(u.source, "cal");
        assert_eq!(u.code.as_deref(), Some("page-status"));
        // A correction: its entry's title and link, the day of the entry it corrected.
        let c = &doc.corrections[0];
        assert_eq!(c.field, "start");
        assert_eq!(c.title, "Chicago Rust");
        assert_eq!(
            c.url.as_deref(),
            Some("https://www.meetup.com/chicago-rust/events/1/")
        );
        assert_eq!(c.date, "2026-09-16".parse().ok());
        assert!(
            c.event.starts_with("\"Chicago Rust\" (https://"),
            "{}",
            c.event
        );
        // Possible duplicates: the same pairs, as data, with a code.
        assert_eq!(
            doc.possible_duplicates.len(),
            1,
            "{:?}",
            doc.possible_duplicates
        );
        let p = &doc.possible_duplicate_pairs[0];
        assert_eq!(p.text, doc.possible_duplicates[0]);
        assert_eq!(p.code, "different-event-links");
        assert_eq!(p.a.date, "2026-09-16".parse::<NaiveDate>().unwrap());
        assert_eq!(p.a.sections, ["Europe"]);
        assert_ne!(p.a.url, p.b.url);

        // The keys as a program reads them: the old ones keep their type.
        let v: serde_json::Value = serde_json::from_str(&to_text(&doc)).unwrap();
        assert!(v["possible_duplicates"][0].is_string());
        assert!(v["unverified"][0]["entry"].is_string());
        assert!(
            v["unverified"][0]["reason"]
                .as_str()
                .unwrap()
                .contains("404")
        );
        assert_eq!(v["unverified"][0]["code"], "page-status");
        assert!(v["corrections"][0]["event"].is_string());
        assert_eq!(
            v["possible_duplicate_pairs"][0]["code"],
            "different-event-links"
        );
        let back: Document = serde_json::from_value(v.clone()).unwrap();
        assert_eq!(back, doc);

        // A version 2 file written before the new keys is still read.
        let mut old = v;
        old.as_object_mut()
            .unwrap()
            .remove("possible_duplicate_pairs");
        for key in ["title", "url", "date", "source", "code"] {
            old["unverified"][0].as_object_mut().unwrap().remove(key);
        }
        for key in ["title", "url", "date"] {
            old["corrections"][0].as_object_mut().unwrap().remove(key);
        }
        let old: Document = serde_json::from_value(old).unwrap();
        assert!(old.possible_duplicate_pairs.is_empty());
        assert_eq!(old.unverified[0].date, None);
        assert_eq!(old.corrections[0].title, "");
    }
}
