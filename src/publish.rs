//! `publish --out DIR`: the run as a small static site, for subscribers and organizers. Pure:
//! an [`Outcome`] in, the files' names and contents out; `cli` writes them as one directory
//! swapped in atomically (`files::write_dir_atomically`).
//!
//! - `events.ics` and one feed per section (`virtual.ics`, `europe.ics`, …): the window's
//!   events and those of the horizon after it (see [`horizon_events`]), [`render::ics`].
//! - `index.html`: the section as printed, what is not listed and why, the sources' health
//!   ([`render::html`]).
//! - `events.json`: the `json` command's document.

use crate::dedupe::identity::{canonical, event_key};
use crate::model::{Event, Window};
use crate::pipeline::Outcome;
use crate::render;
use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, Utc};
use std::collections::HashSet;

/// The default horizon: weeks after the window whose known events the feeds carry too.
pub const DEFAULT_HORIZON_WEEKS: u32 = 4;

/// The last day the feeds cover.
pub fn feeds_to(window: &Window, horizon_weeks: u32) -> NaiveDate {
    crate::normalize::add_days(window.to, 7 * i64::from(horizon_weeks))
}

/// The events the run knows after the window, deduplicated among themselves like the
/// window's (they were not), without those the window already lists under the same event
/// link.
pub fn later_events(outcome: &Outcome, window: &Window) -> Vec<Event> {
    let listed: HashSet<String> = outcome
        .events
        .iter()
        .flat_map(|e| {
            std::iter::once(e.url.as_str()).chain(e.mirrors.iter().map(|m| m.url.as_str()))
        })
        .filter(|u| event_key(u, None).is_some())
        .map(canonical)
        .collect();
    let later: Vec<Event> = outcome
        .outside_window
        .iter()
        .filter(|e| e.start_date > window.to)
        .filter(|e| {
            event_key(&e.url, e.organizer.url.as_deref()).is_none()
                || !listed.contains(&canonical(&e.url))
        })
        .cloned()
        .collect();
    crate::dedupe::dedupe(&later).events
}

/// The events of the horizon: [`later_events`] up to `horizon_weeks` weeks after the window.
pub fn horizon_events(later: &[Event], window: &Window, horizon_weeks: u32) -> Vec<Event> {
    let last = feeds_to(window, horizon_weeks);
    later
        .iter()
        .filter(|e| e.start_date <= last)
        .cloned()
        .collect()
}

/// Whether `name` is a file `publish` writes: an existing `--out` directory holding anything
/// else is not replaced (`--out ~/Documents` must not delete a folder of one's own).
pub fn is_published_file(name: &str) -> bool {
    matches!(name, "events.ics" | "events.json" | "index.html")
        || crate::model::Region::ALL
            .iter()
            .any(|r| render::ics::section_file(*r) == name)
}

/// Every file of the published directory: `(file name, contents)`.
pub fn files(
    outcome: &Outcome,
    window: &Window,
    generated_at: DateTime<FixedOffset>,
    horizon_weeks: u32,
) -> Vec<(String, String)> {
    let stamp = generated_at.to_rfc3339_opts(SecondsFormat::Secs, false);
    let later = later_events(outcome, window);
    let horizon = horizon_events(&later, window, horizon_weeks);
    let horizon_len = horizon.len();
    let mut all = outcome.events.clone();
    all.extend(horizon);
    let to = feeds_to(window, horizon_weeks);
    let mut out = render::ics::feeds(&all, window, to, generated_at.with_timezone(&Utc));
    out.push((
        "index.html".to_string(),
        render::html::page(&render::html::Page {
            outcome,
            window,
            generated_at: &stamp,
            feeds_to: to,
            horizon: horizon_len,
            later: &later,
        }),
    ));
    let doc = render::json::document(outcome, window, &stamp);
    out.push(("events.json".to_string(), render::json::to_text(&doc)));
    out
}
