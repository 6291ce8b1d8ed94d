//! The result of a run, below the stages that make it and above those it is made of: what
//! each source gave ([`SourceReport`]), what a run produced ([`Outcome`]), and the previous
//! run's file as its consumers read it ([`PreviousRun`]). `pipeline` fills them in; `suspect`,
//! `check`, `update`, `health`, `render` and the command line read them.
//!
//! A source's status is failure as data: ok; failed (a `Failure`: a fetch error with its HTTP
//! status, a reader's refusal, a luma page received without its calendar id, a luma page never
//! received — its fetch error, not "no calendar id" —, a luma feed and page both down); or
//! suspect (a `SuspectReason`: an empty calendar, a page without event data, a collapse against
//! the previous file, a meetup page whose feed fallback failed too). It is put into words by
//! `Display` only at the edges: the report, the JSON file's strings, the page, `check`, `health`.
//!
//! What a run did not print (`LeftOut`, `Unverified` with a `PageProblem` code, `Filtered`)
//! carries each entry's first local day, given by `pipeline::build` through
//! `normalize::local_date`: no report says a UTC start's date.
//!
//! `PreviousRun` (what `suspect` and `check` read of the previous `json --out` file) is made by
//! `render::json::previous_run`; `pipeline::carry_over` takes its own `pipeline::Previous`, made
//! by `render::json::previous`: no consumer depends on the JSON file's types.

use crate::config::SourceKind;
use crate::dedupe;
use crate::fetch::{FetchError, Unreachable};
use crate::model::{Event, RawEvent};
use crate::verify::Correction;
use chrono::NaiveDate;
use serde::Serialize;

/// The date a `When` falls on in its own terms (UTC for instants), for nearness only.
pub fn instant_date(w: &crate::model::When) -> chrono::NaiveDate {
    use crate::model::When;
    match w {
        When::Date(d) => *d,
        When::Utc(u) => u.date_naive(),
        When::Zoned(n, _) | When::Floating(n) => n.date(),
        When::Offset(o) => o.date_naive(),
    }
}

/// `"Title" on DATE (link, from SOURCE)`, for reports: `date` is the entry's first local day
/// (`normalize::local_date`), the date the section prints for it.
pub fn describe_on(raw: &RawEvent, date: NaiveDate) -> String {
    format!(
        "{} on {} ({}, from {})",
        crate::text::quoted(&raw.title),
        date,
        link_of(raw).unwrap_or("no link"),
        raw.source
    )
}

/// The link a report gives for an entry: its own, else its first other link.
pub fn link_of(raw: &RawEvent) -> Option<&str> {
    raw.url.as_deref().or(raw.links.first().map(String::as_str))
}

/// How one source fared.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceReport {
    pub kind: SourceKind,
    pub url: String,
    pub label: String,
    /// Events it yielded (before the window and deduplication).
    pub events: usize,
    /// Used, failed (and why), or answered but not taken as the truth (and why).
    pub state: SourceStatus,
    /// Entries it skipped or repaired.
    pub warnings: Vec<String>,
    /// Where the source's URL redirected to (a renamed meetup group), for `health`.
    pub redirected_to: Option<String>,
    /// The other addresses of the source's own page its answer gave (a luma calendar's
    /// `luma.com/calendar/cal-…` and `luma.com/<slug>`, as its page names them), for `check`:
    /// an organizer may ask with any of them.
    pub also_at: Vec<String>,
    /// The latest start date among everything the source listed (past events included, where
    /// the source shows them), for `health`: a group that lists nothing recent may be dead.
    pub latest_event: Option<chrono::NaiveDate>,
    /// The source's own way in could not be read and a second one carried it (a meetup group
    /// page without data, read through the group's iCal feed; a luma calendar whose feed
    /// failed, read from its page): why, for the report and `health`.
    pub fallback: Option<String>,
    /// Events of the previous run's file that name this source, kept in the listing because
    /// it failed or is suspect (`pipeline::carry_over`): alone, or merged with this run's copies.
    pub carried_over: usize,
}

impl SourceReport {
    /// Neither failed nor suspect.
    pub fn trusted(&self) -> bool {
        self.state == SourceStatus::Ok
    }

    /// `failed` (an error), `suspect` (an answer not taken as the truth) or `ok`: the word the
    /// JSON file, the page and the reports use.
    pub fn status(&self) -> &'static str {
        match self.state {
            SourceStatus::Ok => "ok",
            SourceStatus::Failed(_) => "failed",
            SourceStatus::Suspect(_) => "suspect",
        }
    }

    /// Why it failed, when it did.
    pub fn failure(&self) -> Option<&Failure> {
        match &self.state {
            SourceStatus::Failed(f) => Some(f),
            _ => None,
        }
    }

    /// Why it is suspect, when it is.
    pub fn suspect(&self) -> Option<&SuspectReason> {
        match &self.state {
            SourceStatus::Suspect(s) => Some(s),
            _ => None,
        }
    }

    /// The HTTP status of a failed fetch of the source's own URL (404 and 410: the group or
    /// calendar is gone), for `health`.
    pub fn http_status(&self) -> Option<u16> {
        self.failure().and_then(Failure::http_status)
    }

    /// Why the source was not used: its error, else why it is suspect; `None` when it was.
    pub fn why_not_used(&self) -> Option<String> {
        match &self.state {
            SourceStatus::Ok => None,
            SourceStatus::Failed(f) => Some(f.to_string()),
            SourceStatus::Suspect(s) => Some(s.to_string()),
        }
    }

    /// A source read at `url` with nothing to say yet (no events, no error, no warning): the
    /// reading fills it in, and unit tests start from it and change only what they test.
    pub fn new(kind: SourceKind, url: &str, label: &str) -> SourceReport {
        SourceReport {
            kind,
            url: url.into(),
            label: label.into(),
            events: 0,
            state: SourceStatus::Ok,
            warnings: vec![],
            redirected_to: None,
            also_at: Vec::new(),
            latest_event: None,
            fallback: None,
            carried_over: 0,
        }
    }
}

/// A calendar entry whose event page could not be used: kept with the calendar's data.
#[derive(Debug, Clone, PartialEq)]
pub struct Unverified {
    /// The entry, as the feed gave it.
    pub event: RawEvent,
    /// Its first local day, the date the section prints for it (`normalize::local_date`, by
    /// `pipeline::build`; until then, the day of its start in its own terms).
    pub date: NaiveDate,
    /// Why its page could not be used.
    pub reason: String,
    /// The same, as a code for programs.
    pub code: PageProblem,
    /// The page (`normalize::match_key`) when it could not be read at all (no answer, an
    /// error, no event data): what the last good run read from it is carried over
    /// (`pipeline::carry_over`). `None` when the page answered, about another instance.
    pub page: Option<String>,
    /// Why no server answered for the page, when that is why
    /// ([`FetchError::unreachable`]): the report says a cause many pages share once.
    pub unreachable: Option<Unreachable>,
}

impl Unverified {
    /// `"Title" on DATE (link, from SOURCE)`, with the local date.
    pub fn entry(&self) -> String {
        describe_on(&self.event, self.date)
    }
}

impl std::fmt::Display for Unverified {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.entry(), self.reason)
    }
}

/// Why a calendar entry's event page could not be used, as the JSON file's `code` says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageProblem {
    /// The page answered with an HTTP error status (`page-status`).
    Status,
    /// No answer: a timeout, the run's deadline, a network error, no server reached
    /// (`page-no-answer`).
    NoAnswer,
    /// It answered, but not with anything usable: no event data, a body too large
    /// (`page-unreadable`).
    Unreadable,
    /// A replayed run's snapshot does not hold it (`page-not-recorded`).
    NotRecorded,
    /// It describes another instance of the entry's series (`other-instance`).
    OtherInstance,
}

impl PageProblem {
    /// The code: `page-status`, `page-no-answer`, `page-unreadable`, `page-not-recorded`,
    /// `other-instance`.
    pub fn code(self) -> &'static str {
        match self {
            PageProblem::Status => "page-status",
            PageProblem::NoAnswer => "page-no-answer",
            PageProblem::Unreadable => "page-unreadable",
            PageProblem::NotRecorded => "page-not-recorded",
            PageProblem::OtherInstance => "other-instance",
        }
    }

    /// Why a page read failed, as a code.
    pub fn of(failure: &Failure) -> PageProblem {
        match failure {
            Failure::Fetch(e) | Failure::PageNotFetched(e) => match e {
                FetchError::Status { .. } => PageProblem::Status,
                FetchError::TooLarge { .. } | FetchError::NotModified { .. } => {
                    PageProblem::Unreadable
                }
                FetchError::NotRecorded { .. } | FetchError::SnapshotFile { .. } => {
                    PageProblem::NotRecorded
                }
                FetchError::Timeout { .. }
                | FetchError::TooSlow { .. }
                | FetchError::Stalled { .. }
                | FetchError::Deadline { .. }
                | FetchError::Network { .. } => PageProblem::NoAnswer,
            },
            Failure::FeedAndPage { page, .. } => PageProblem::of(page),
            Failure::Read(_) | Failure::NoCalendarId { .. } => PageProblem::Unreadable,
        }
    }
}

/// An event normalization left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LeftOut {
    pub event: RawEvent,
    /// Its first local day, the date the section would print for it
    /// (`normalize::local_date`).
    pub date: NaiveDate,
    pub reason: String,
    /// The event's own page, when that page said it is cancelled or postponed (a verified
    /// fact: `pipeline::carry_over` keeps it while the page cannot be read).
    pub called_off_on_page: Option<String>,
}

impl std::fmt::Display for LeftOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {}",
            describe_on(&self.event, self.date),
            self.reason
        )
    }
}

/// An entry a source's `keywords` left out (`pipeline::keyword_filter`).
#[derive(Debug, Clone, PartialEq)]
pub struct Filtered {
    pub event: RawEvent,
    /// Its first local day, the date the section would print for it
    /// (`normalize::local_date`).
    pub date: NaiveDate,
}

impl std::fmt::Display for Filtered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe_on(&self.event, self.date))
    }
}

/// Everything a run produced.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// Events in the window, deduplicated.
    pub events: Vec<Event>,
    /// The same events before deduplication: `pipeline::carry_over` deduplicates them again together
    /// with the previous run's events of the sources that failed.
    pub undeduplicated: Vec<Event>,
    pub reports: Vec<SourceReport>,
    /// Events left out, with why (cancelled, no link, …), for the review report.
    pub dropped: Vec<LeftOut>,
    /// Guesses worth an editor's look.
    pub notes: Vec<String>,
    /// Duplicates merged, with the evidence.
    pub merges: Vec<dedupe::Merge>,
    /// Pairs that may be one event but were kept apart (weak evidence).
    pub possible_duplicates: Vec<dedupe::PossibleDuplicate>,
    /// Events the sources know that fall outside the window (for `check`).
    pub outside_window: Vec<Event>,
    /// Events a source's `keywords` left out (for `check` and the page).
    pub filtered: Vec<Filtered>,
    /// Calendar facts an event page overrode.
    pub corrections: Vec<Correction>,
    /// Calendar entries whose page could not be used.
    pub unverified: Vec<Unverified>,
}

/// Events left out, each once: the same event (its link and day) left out from two sources
/// (its group's page and the calendar) is one entry naming both sources, as the review
/// report, the page and `check` say it.
pub fn left_out_once<'a>(left_out: impl IntoIterator<Item = &'a LeftOut>) -> Vec<LeftOut> {
    use crate::dedupe::identity::canonical;
    let mut index: std::collections::HashMap<(String, NaiveDate), usize> =
        std::collections::HashMap::new();
    let mut events: Vec<(&LeftOut, Vec<&str>)> = Vec::new();
    for l in left_out {
        let key = link_of(&l.event).map(|u| (canonical(u), l.date));
        if let Some(&i) = key.as_ref().and_then(|k| index.get(k)) {
            let sources = &mut events[i].1;
            if !sources.contains(&l.event.source.as_str()) {
                sources.push(&l.event.source);
            }
            continue;
        }
        if let Some(k) = key {
            index.insert(k, events.len());
        }
        events.push((l, vec![l.event.source.as_str()]));
    }
    events
        .into_iter()
        .map(|(l, sources)| {
            let mut once = l.clone();
            once.event.source = sources.join(", ");
            once
        })
        .collect()
}

impl Outcome {
    /// The events left out, each once ([`left_out_once`]).
    pub fn left_out_once(&self) -> Vec<LeftOut> {
        left_out_once(&self.dropped)
    }

    pub fn failed_sources(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| r.failure().is_some())
            .count()
    }

    /// Sources that answered, but suspiciously (see [`crate::suspect`]).
    pub fn suspect_sources(&self) -> usize {
        self.reports
            .iter()
            .filter(|r| r.suspect().is_some())
            .count()
    }

    /// Whether every source failed or is suspect (and there was at least one): nothing this run
    /// says can replace what an earlier run wrote.
    pub fn nothing_trusted(&self) -> bool {
        !self.reports.is_empty() && self.reports.iter().all(|r| !r.trusted())
    }

    /// The process exit code for a run that produced its output: a failed or suspect source
    /// is exit 2.
    pub fn exit_code(&self) -> u8 {
        if self.reports.iter().any(|r| !r.trusted()) {
            crate::error::exit::SOURCE_FAILED
        } else {
            crate::error::exit::OK
        }
    }
}

/// The previous run's file (`json --out`, `publish`'s `events.json`, `check --previous`), as
/// far as judging this run and answering `check` need it: when it was written and which
/// events it listed. Read from the file by `render::json::previous_run`; `suspect` and
/// `check` depend only on this. The file's text is a stranger's: it is cleaned where printed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PreviousRun {
    /// When the file was written, as it says.
    pub generated_at: String,
    pub events: Vec<PreviousEvent>,
}

/// One event of the previous run's file.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousEvent {
    pub title: String,
    /// The event's link.
    pub url: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// Its place as the newsletter prints it.
    pub location: String,
    pub organizer_name: String,
    pub organizer_url: Option<String>,
    /// The links of the sessions mirroring it.
    pub mirror_urls: Vec<String>,
    /// The labels of the sources that listed it.
    pub sources: Vec<String>,
    /// Carried over from an earlier file because its source failed.
    pub stale: bool,
}

/// How a source fared, as data: the words are said at the edges (the reports, the JSON file,
/// the page, `check`, `health`) by `Display`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum SourceStatus {
    /// Read and used (through a fallback or not: `SourceReport::fallback`).
    #[default]
    Ok,
    /// Not read: its events are not this run's (exit 2; the previous ones carried over).
    Failed(Failure),
    /// It answered, but not with the truth ([`crate::suspect`]): counted like a failure.
    Suspect(SuspectReason),
}

/// Why a source could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// Its own URL could not be had: an HTTP status, a timeout, a body too large, not in the
    /// snapshot, … ([`FetchError`]).
    Fetch(FetchError),
    /// Its reader refused the answer, or a second way in failed too: the message.
    Read(String),
    /// A luma calendar page that was received and holds no calendar id (`cal-…`), so its
    /// feed cannot be found.
    NoCalendarId { url: String },
    /// A luma calendar whose page could not be fetched (its error): the page is where its
    /// calendar id, hence its feed, would be read. Not [`Failure::NoCalendarId`]: the page was
    /// never received, so nothing is known of what it holds.
    PageNotFetched(FetchError),
    /// A luma calendar whose feed and page could both not be read.
    FeedAndPage {
        feed: Box<Failure>,
        page: Box<Failure>,
    },
}

impl Failure {
    /// The HTTP status the source's own URL answered, when that is why.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Failure::Fetch(FetchError::Status { status, .. })
            | Failure::PageNotFetched(FetchError::Status { status, .. }) => Some(*status),
            Failure::FeedAndPage { page, .. } => page.http_status(),
            _ => None,
        }
    }
}

impl Failure {
    /// Why no server answered, when that is why the source failed
    /// ([`FetchError::unreachable`]): a cause the report says once for every source that
    /// shares it. A luma calendar whose page could not be reached (its feed unknown), or whose
    /// page and feed both could not be reached for the same cause, shares the page's.
    pub fn unreachable(&self) -> Option<Unreachable> {
        match self {
            Failure::Fetch(e) | Failure::PageNotFetched(e) => e.unreachable(),
            Failure::FeedAndPage { feed, page } => {
                let cause = page.unreachable()?;
                (feed.unreachable() == Some(cause)).then_some(cause)
            }
            Failure::Read(_) | Failure::NoCalendarId { .. } => None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Fetch(e) => write!(f, "{e}"),
            Failure::Read(message) => f.write_str(message),
            Failure::NoCalendarId { url } => write!(
                f,
                "{url}: no calendar id (cal-…) on the page, so its feed cannot be found"
            ),
            Failure::PageNotFetched(e) => write!(
                f,
                "the calendar's page could not be fetched: {e} (its feed is found through \
                 the page's calendar id, cal-…, so nothing could be read)"
            ),
            Failure::FeedAndPage { feed, page } => {
                write!(f, "{feed}; and its page could not be read: {page}")
            }
        }
    }
}

/// Why an answer is not taken as the truth ([`crate::suspect`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SuspectReason {
    /// A valid VCALENDAR without a single VEVENT.
    EmptyCalendar,
    /// A page its reader finds no event data in: the reader's message.
    PageWithoutEventData(String),
    /// Far fewer events than the previous run's file: `now` in the window, `explained` left
    /// out or moved, `previous` in the previous file.
    Collapse {
        now: usize,
        explained: usize,
        previous: usize,
    },
    /// A meetup group page without data (`page`), whose iCal feed `feed_url` is suspect too.
    FeedSuspect {
        page: Box<SuspectReason>,
        feed_url: String,
        feed: Box<SuspectReason>,
    },
    /// A meetup group page without data (`page`), whose iCal feed could not be read either.
    FeedFailed {
        page: Box<SuspectReason>,
        error: Box<Failure>,
    },
}

impl std::fmt::Display for SuspectReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SuspectReason::EmptyCalendar => f.write_str(
                "the calendar answered with no events at all (a valid but empty VCALENDAR): \
                 a calendar keeps its past events, so this is likely a broken or replaced \
                 export; check the feed URL in a browser and the calendar's sharing settings",
            ),
            SuspectReason::PageWithoutEventData(message) => write!(
                f,
                "the page answered without any event data: {message}; open it in a browser to check \
                 it still lists events (a login, consent or error page, or a new page format)"
            ),
            SuspectReason::Collapse {
                now,
                explained,
                previous,
            } => write!(
                f,
                "far fewer events than the previous run: {now} in the window now{}, {previous} in the previous file; check the source in a browser (a partial answer, a filter, a moved calendar)",
                if *explained > 0 {
                    format!(" (and {explained} left out or moved)")
                } else {
                    String::new()
                },
            ),
            SuspectReason::FeedSuspect {
                page,
                feed_url,
                feed,
            } => write!(f, "{page}; its iCal feed {feed_url}: {feed}"),
            SuspectReason::FeedFailed { page, error } => {
                write!(f, "{page}; its iCal feed could not be read either: {error}")
            }
        }
    }
}

#[cfg(test)]
impl Unverified {
    /// For unit tests: the calendar entry `title` on `date` (a day) from `cal`, its page
    /// `page` (a match key) not read for `reason` (an HTTP error), or, without one, answering
    /// about another instance.
    pub(crate) fn of_test(title: &str, date: &str, reason: &str, page: Option<&str>) -> Unverified {
        let date: NaiveDate = date.parse().expect("YYYY-MM-DD");
        Unverified {
            event: RawEvent::new("cal", title, crate::model::When::Date(date)),
            date,
            reason: reason.into(),
            code: if page.is_some() {
                PageProblem::Status
            } else {
                PageProblem::OtherInstance
            },
            page: page.map(Into::into),
            unreachable: None,
        }
    }
}

#[cfg(test)]
impl SourceStatus {
    /// For unit tests: failed with `error` (a reader's message), else suspect with `suspect`
    /// (a page without event data), else ok.
    pub(crate) fn of_test(error: Option<&str>, suspect: Option<&str>) -> SourceStatus {
        match (error, suspect) {
            (Some(e), _) => SourceStatus::Failed(Failure::Read(e.to_string())),
            (None, Some(s)) => SourceStatus::Suspect(SuspectReason::PageWithoutEventData(s.into())),
            (None, None) => SourceStatus::Ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_luma_failure_says_what_failed() {
        let page = "https://luma.com/rust-x";
        let not_fetched = Failure::PageNotFetched(FetchError::Status {
            url: page.into(),
            status: 500,
        });
        assert_eq!(
            not_fetched.to_string(),
            "the calendar's page could not be fetched: https://luma.com/rust-x: HTTP status 500 \
             (its feed is found through the page's calendar id, cal-…, so nothing could be read)"
        );
        assert_eq!(not_fetched.http_status(), Some(500));
        let no_id = Failure::NoCalendarId { url: page.into() };
        assert_eq!(
            no_id.to_string(),
            "https://luma.com/rust-x: no calendar id (cal-…) on the page, so its feed cannot be found"
        );
        assert_eq!(no_id.http_status(), None);
    }
}
