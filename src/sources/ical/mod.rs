//! The iCalendar source (RFC 5545): Google Calendar's public feed, meetup and luma feeds.
//!
//! The document is unfolded, cut into its top-level components by a line scan, and each
//! VEVENT is parsed on its own with the `icalendar` crate's parser (so that one malformed
//! event becomes a warning instead of failing the feed). Recurring events are expanded with the
//! `rrule` crate, then EXDATEs, RDATEs and RECURRENCE-ID overrides are applied here. Only
//! occurrences that can touch the window (with two days of margin on each side, compared in
//! UTC) are returned; each keeps the form its source used (UTC, zoned, floating or all-day):
//! deciding the local date is normalization's job.
//!
//! What is done by hand, and why:
//! - Building the recurrence set. `icalendar`'s `get_recurrence` resolves TZID only through
//!   chrono-tz names (no VTIMEZONE `X-LIC-LOCATION` fallback), anchors all-day and floating
//!   values to the machine's local zone (not hermetic), and fails the whole event on an
//!   `UNTIL` that `rrule` rejects (a DATE `UNTIL` with a DATE-TIME `DTSTART`, or an `UNTIL`
//!   before `DTSTART`, which Google writes when splitting a series). So `RRULE` is handed to
//!   `rrule` without its `UNTIL`, which is converted here, and EXDATE/RDATE/DTSTART are applied
//!   here with the same rules as the Python `recurring-ical-events` library.
//! - Cutting the document into components, so that parse errors stay local to one event, and
//!   unfolding at the byte level ([`decode`]): see `document.rs`.
//! - Reading DATE / DATE-TIME and DURATION values: see `values.rs`.
//!
//! The steps of [`parse`], each in its own file:
//! 1. `document.rs` — is it a calendar at all, unfold, cut into VCALENDAR properties,
//!    VTIMEZONE and VEVENT blocks (bounded: nesting depth, a truncated download);
//! 2. `zones/` — TZID → zone: a declared VTIMEZONE is a zone of its own, its offsets read
//!    from its observances (RFC 5545 §3.6.5), the IANA zone of its name before them; else
//!    the name: IANA in any case, a Windows name or display name, `/mozilla.org/…/Europe/Berlin`
//!    paths, the calendar's `X-WR-TIMEZONE`;
//! 3. `event.rs` — each VEVENT read on its own (`values.rs`: dates, durations);
//! 4. `expand.rs` — each UID's series expanded within the window (overrides, EXDATE, RDATE,
//!    the feed's work budget), with `rules.rs` walking each RRULE through the `rrule` crate,
//!    started near the window where that is exact (two RRULEs, as Zimbra writes, are their
//!    union; a rule that cannot be read is left out, its DTSTART kept);
//! 5. the occurrences sorted by start.
//!
//! Decided against the letter of the RFC, with the Python peer: an instance a rule puts in a
//! DST gap (02:30 on the spring-forward night) is kept, an hour later (03:30), where RFC 5545
//! §3.3.10 says such instances "MUST be ignored": a meetup listed an hour late is found, one
//! left out is lost (`tests/fixtures/ical-producers/dst_gap.ics`). A date-time under
//! `VALUE=DATE` is read as its date (the peer reads the time too): §3.3.4 makes the value a
//! date. A TZID on a DATE value is ignored (§3.2.19; the peer reads a zoned midnight).
//!
//! What costs only itself, never the feed: a bad line (no colon, a malformed parameter), an
//! RDATE value, an RRULE part that is no rule part, a rule `rrule` refuses, a date-time under
//! `VALUE=DATE`. `document.rs` reads a plain block's properties by its own line scan
//! (`fast_components`, equal to the crate's parser, which reads the rest). Expansion knows
//! several RRULEs as their union, overrides (of an all-day series by the date they name),
//! `RANGE=THISANDFUTURE`, EXDATE, RDATE and Google's split series. Unit tests in `ical/tests/`.

mod document;
mod event;
mod expand;
mod rules;

#[cfg(test)]
mod tests;
mod values;
mod zones;

pub use document::{calendar_name, decode};

use super::{Parsed, SourceError, fuzz};
use crate::model::{RawEvent, Window};
use super::kind::{Claim, Kind, PageScope, Reach, ReportPage, SourceKind, SuspectWhen};
use crate::site::luma_com;

/// Most bytes of a DESCRIPTION or LOCATION searched for links (real ones are a few KiB; the
/// link finder's cost grows faster than the text: 100,000 links in one description took 12 s).
pub const MAX_LINK_TEXT: usize = 64 << 10;

/// Deepest nesting of components inside a VEVENT or VTIMEZONE (a VEVENT and its VALARM are
/// two levels); a deeper block is skipped with a warning.
pub const MAX_COMPONENT_DEPTH: usize = 8;

/// Occurrences are kept when they overlap the window widened by this many days on each side.
const MARGIN_DAYS: i64 = 2;

// Bounds on the work one feed can cause (issue 7). Each bound, when hit, is a warning in
// `Parsed.warnings`, never a failure of the feed.

/// Most occurrences one rule may generate before and inside the window. Expansion starts
/// near the window for the rule shapes where that is exact (`rules::jump_start`), so this is only
/// reached by rules that must be walked from their real DTSTART (COUNT, BYSETPOS …) for a
/// long time: the series is skipped.
pub const MAX_RULE_OCCURRENCES: usize = 50_000;
/// Most iteration steps (periods of the rule's FREQ × INTERVAL between the start of the
/// expansion and the end of the window or UNTIL) one rule may take: `FREQ=SECONDLY` over a
/// month is 2.7 million steps, most of them empty when BY* parts filter them. A rule that
/// would need more is skipped with a warning, before any is taken.
pub const MAX_RULE_STEPS: u64 = 200_000;
/// Most iteration steps of all the rules of one feed together.
pub const MAX_FEED_STEPS: u64 = 1_000_000;
/// Most occurrences of one series kept in the window (an hourly series over a four-week
/// window has about 700; `FREQ=MINUTELY` has 40,000): the first ones are kept, the rest
/// dropped with a warning.
pub const MAX_SERIES_OCCURRENCES: usize = 2_000;
/// Most RRULEs read of one event (Zimbra writes two; each is a walk of its own): the rest
/// are left out with a warning.
pub const MAX_EVENT_RULES: usize = 8;
/// Most events one feed yields, all series together: the rest are dropped with a warning.
pub const MAX_FEED_OCCURRENCES: usize = 20_000;
/// Most bytes of text (title, description, location, links) the events of one feed may
/// carry together: every occurrence copies its series' text, so a long description on a
/// frequent rule would otherwise cost memory far beyond the size of the feed.
pub const MAX_FEED_TEXT_BYTES: usize = 128 << 20;
/// Longest event (DTEND − DTSTART, or DURATION) read; a longer one is skipped with a warning.
/// Keeps all date arithmetic far from chrono's limits.
pub const MAX_EVENT_DAYS: i64 = 36_525;

/// Parses an iCalendar document and expands it into one [`RawEvent`]
/// per occurrence that may fall in `window` (occurrences are kept with a margin of a couple of
/// days on each side: the local date is only known after normalization).
///
/// `origin` is the URL or file (for messages), `label` the source label put on each event.
pub fn parse(
    text: &str,
    origin: &str,
    label: &str,
    window: &Window,
) -> Result<Parsed, SourceError> {
    parse_with(text, origin, label, *window, true)
}

/// [`parse`], with expansion near the window (`jump`) on or off.
fn parse_with(
    text: &str,
    origin: &str,
    label: &str,
    window: Window,
    jump: bool,
) -> Result<Parsed, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(message) = document::not_a_calendar(text) {
        return Err(SourceError {
            origin: origin.to_string(),
            message,
        });
    }
    let unfolded = document::unfold(text);
    let mut warnings = Vec::new();
    let doc = document::split_document(&unfolded, &mut warnings);
    // The feed's declared zones, for the time of this parse (dropped last).
    let _zones = zones::Scope::new();
    let mut tzids = zones::TzResolver::from_timezones(&doc.timezones, &mut warnings);
    let default_tz = tzids.calendar_zone(&doc.properties);
    let events = event::read_events(&doc.events, &mut tzids, &mut warnings);
    tzids.warn_unknown(&mut warnings);
    let ctx = expand::Ctx::new(label, default_tz, window, jump);
    let mut occurrences = expand::expand_all(&events, &ctx, &mut warnings);
    sort_by_start(&mut occurrences);
    Ok(Parsed {
        events: occurrences,
        warnings,
    })
}

/// Occurrences in order of start (an approximate instant: floating and all-day values read as
/// UTC), then UID and title.
fn sort_by_start(events: &mut [RawEvent]) {
    fn key(e: &RawEvent) -> (chrono::DateTime<chrono::Utc>, &Option<String>, &String) {
        (values::sort_instant(&e.start), &e.uid, &e.title)
    }
    events.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// An iCalendar feed (the Rust Community Calendar, an organizer's feed).
pub struct Ical;

impl Kind for Ical {
    fn kind(&self) -> SourceKind {
        SourceKind::Ical
    }
    fn reach(&self) -> Reach {
        Reach::Feed
    }
    fn reader_name(&self) -> &'static str {
        "iCal reader"
    }
    /// The bytes decoded as a feed is (unfolding at the byte level), then read.
    fn fuzz(&self, data: &[u8]) {
        let text = decode(data);
        if let Ok(p) = parse(&text, "https://fuzz.example/basic.ics", "fuzz", &fuzz::window(data)) {
            fuzz::check(&p, "ical");
        }
    }
    fn fuzz_seeds(&self) -> &'static [(&'static str, &'static str)] {
        &[("snapshots", ".ics")]
    }
    /// The calendar's own name (`X-WR-CALNAME`).
    fn named_in(&self, body: &str) -> Option<String> {
        calendar_name(body)
    }
    fn is_feed(&self) -> bool {
        true
    }
    fn parse(
        &self,
        text: &str,
        url: &str,
        label: &str,
        window: &Window,
    ) -> Result<Parsed, SourceError> {
        parse(text, url, label, window)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::None
    }
    fn organizer_page(&self, _: &str, organizer: Option<&str>) -> Option<String> {
        organizer.map(str::to_string)
    }
    fn suspect_when(&self) -> SuspectWhen {
        SuspectWhen::EmptyCalendar
    }
    fn report_page(&self) -> ReportPage {
        ReportPage::MeetupGroupOfFeed
    }
    fn owns(&self, url: &str) -> Option<String> {
        let u = url::Url::parse(url.trim()).ok()?;
        let ics = u.path().to_ascii_lowercase().ends_with(".ics");
        let group = crate::site::feed_organizer_page(url)
            .and_then(|page| super::meetup::Meetup.owns(&page).or_else(|| super::luma::Luma.owns(&page)));
        group.or_else(|| {
            ics.then(|| crate::link::parts(url).map(|p| p.host))
                .flatten()
        })
    }
    /// A luma calendar's feed (its calendar named in the URL), or a `.ics` URL that is no
    /// platform's home page.
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let u = url::Url::parse(url).ok()?;
        let p = crate::link::parts(url)?;
        let source = || Claim::Source {
            url: url.to_string(),
            groups: self.owns(url).into_iter().collect(),
        };
        if luma_com::is_api_host(&p.host) && crate::site::feed_organizer_page(url).is_some() {
            return Some(source());
        }
        (!crate::link::is_platform_root(url) && u.path().to_ascii_lowercase().ends_with(".ics"))
            .then(source)
    }
    /// A body that is an iCalendar.
    fn claim_body(&self, url: &str, body: &str) -> Result<Claim, Option<String>> {
        let head = body.trim_start_matches('\u{feff}').trim_start();
        if head
            .get(..15)
            .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
        {
            return Ok(Claim::Source {
                url: url.to_string(),
                groups: self.owns(url).into_iter().collect(),
            });
        }
        Err(None)
    }
}
