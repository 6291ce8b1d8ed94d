//! `twir-events health`: the health of the source list, from one run (live, replayed, or none
//! with `--no-fetch`) and the recently published sections.
//!
//! [`assess`] is pure: it takes the sources file, the run's [`Outcome`] (if any), the published
//! sections and the date, and says
//! - which organizers the community calendar or the recent sections show but no source covers
//!   (with the `[[source]]` lines to add) — an organizer known only through an `[[organizer]]`
//!   entry, or reaching us only through the community calendar, is *not* covered;
//! - which sources failed, are suspect, are gone (404/410), were redirected (a renamed group),
//!   were read through a fallback, or are silent (nothing listed or published for
//!   `silent_weeks`, 26 by default: half a year covers groups that meet quarterly and their
//!   summer break, while a group quiet that long is likely dormant or moved);
//! - which groups are listed twice (also under two URL forms, or as a page and its feed).
//!
//! Organizers are compared by group ([`group_of`]): a meetup group's urlname, a luma
//! calendar's slug (or `calendar/cal-…`, `user/…`), else the page without scheme, `www.`,
//! query or trailing slash; a page below a source's page is that source's.
//!
//! What was read of the published sections is said (`SectionsRead`: from where, how many, which
//! dates); without any, nothing is said about publishing.
//!
//! Here: `uncovered.rs` the organizers no source covers, with the `[[source]]` lines to add, of
//! a kind of the registry (an organizer is covered also by the events an own source read; one
//! organizer under several links is one entry); `per_source.rs` what the run says of each source
//! (failed, gone, redirected and to where, read through a fallback, silent) and the groups listed
//! twice; `table.rs` the report for a terminal.

use crate::config::{Config, Source, SourceKind};
use crate::newsletter::read::CorpusEntry;
use crate::pipeline::{Outcome, SourceReport};
use chrono::{Duration, NaiveDate};
use serde::Serialize;

mod per_source;
mod table;
mod uncovered;

pub use crate::link::group_of;
pub use table::to_table;

use per_source::{duplicates, judge_sources, last_published};
pub(crate) use uncovered::without_events;
use uncovered::{recent_sections, uncovered};

/// The version of the JSON document (`--format json`).
pub const VERSION: u32 = 1;

/// What `assess` is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How many of the newest published sections (on or before today) count as "recent".
    pub recent: usize,
    /// A source with no event listed or published for this many weeks is silent.
    pub silent_weeks: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            recent: 26,
            silent_weeks: 26,
        }
    }
}

/// The whole report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Health {
    pub version: u32,
    pub today: NaiveDate,
    /// Whether the sources were fetched (live or replayed); with `--no-fetch` only the source
    /// list and the published sections were read, and the sections about fetching are empty.
    pub fetched: bool,
    pub sources: usize,
    /// The published sections read: from where, how many, and which count as "recent".
    pub sections: SectionsRead,
    pub silent_weeks: u32,
    pub needs_attention: bool,
    pub uncovered: Vec<Uncovered>,
    pub failed: Vec<Failed>,
    pub suspect: Vec<Suspect>,
    pub gone: Vec<Gone>,
    pub redirected: Vec<Redirected>,
    pub silent: Vec<Silent>,
    pub fallback: Vec<Fallback>,
    pub duplicates: Vec<Duplicate>,
}

/// The published sections the report compares with. Without any (`all` is 0: no corpus found,
/// or none dated on or before today) nothing is said about what was published: a source that
/// listed nothing is not called "never published", and no organizer "published".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionsRead {
    /// The directory they were read from (`--corpus`, or the default found); `None`: none was
    /// read. Set by the caller that read them ([`Health::read_from`]).
    pub dir: Option<String>,
    /// Every section read dated on or before today: what "published" means for `silent`.
    pub all: usize,
    /// The oldest of those.
    pub all_first: Option<NaiveDate>,
    /// The recent ones (`--recent N`, the newest first): what `uncovered` counts.
    pub count: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

impl SectionsRead {
    /// Whether any published section was read: else nothing is said about publishing.
    pub fn any(&self) -> bool {
        self.all > 0
    }
}

/// A source, as the report names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Its line in the sources file.
    pub line: usize,
    pub kind: SourceKind,
    pub url: String,
    pub name: Option<String>,
}

/// How an uncovered organizer reaches the newsletter today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reach {
    /// Only through the community calendar (this run): "on the calendar only".
    CalendarOnly,
    /// On the calendar and in recent sections.
    CalendarAndPublished,
    /// In recent sections only: an editor added it by hand.
    PublishedOnly,
}

impl Reach {
    pub fn describe(self) -> &'static str {
        match self {
            Reach::CalendarOnly | Reach::CalendarAndPublished => "on the calendar only",
            Reach::PublishedOnly => "published, not on the calendar",
        }
    }
}

/// What to add to the sources file for an uncovered organizer: a `[[source]]` of a kind of
/// the registry ([`crate::sources::kind`]), or an `[[organizer]]` entry. Serialized as the
/// kind's name (`"meetup"`, `"luma"`, `"jsonld"`) or `"organizer"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionKind {
    /// A source of this kind (a page source only if the page carries schema.org events: the
    /// lines say so).
    Source(SourceKind),
    /// A chat, video or social link, or a page known to carry no event data: an `[[organizer]]`
    /// entry names the organizer of its calendar entries.
    Organizer,
}

impl SuggestionKind {
    /// The kind's name in `sources.toml`, or `"organizer"`.
    pub fn name(self) -> &'static str {
        match self {
            SuggestionKind::Source(k) => k.as_str(),
            SuggestionKind::Organizer => "organizer",
        }
    }
}

impl Serialize for SuggestionKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// An organizer the calendar or the recent sections show, which no source covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    pub name: String,
    pub link: String,
    /// Where the editors place it (the place printed most often), `City, CC`.
    pub home: Option<String>,
    pub reach: Reach,
    /// Its events on the community calendar in this run.
    pub on_calendar: usize,
    /// In how many of the recent sections it was published.
    pub sections: usize,
    /// The latest day it was seen: a section it was published in, or one of its calendar
    /// events.
    pub last_seen: Option<NaiveDate>,
    /// `sources.toml` knows it only through an `[[organizer]]` entry (name and home for
    /// calendar entries, no events read).
    pub organizer_entry: bool,
    pub suggestion_kind: SuggestionKind,
    /// The lines to add to the sources file.
    pub suggestion: String,
    /// The other links the same organizer (by name) was printed or listed with, none covered
    /// by a source: one organizer, one entry.
    pub also: Vec<String>,
}

impl Uncovered {
    /// Whether the sources file can do something about it.
    pub fn actionable(&self) -> bool {
        !(self.organizer_entry && self.suggestion_kind == SuggestionKind::Organizer)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failed {
    pub source: SourceRef,
    pub error: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suspect {
    pub source: SourceRef,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gone {
    pub source: SourceRef,
    pub status: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Redirected {
    pub source: SourceRef,
    /// Where its URL now leads.
    pub to: String,
    /// The line to write instead of the source's `url = …`.
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Silent {
    pub source: SourceRef,
    /// The later of `last_listed` and `last_published`; `None`: nothing known at all.
    pub since: Option<NaiveDate>,
    /// The latest event the source listed this run (past events included where shown).
    pub last_listed: Option<NaiveDate>,
    /// The latest section (of all those read) the group was published in; `None` also when
    /// no section was read (`sections.all` is 0): then unknown, not "never".
    pub last_published: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fallback {
    pub source: SourceRef,
    pub why: String,
}

/// One group listed more than once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duplicate {
    /// The group they share ([`group_of`]).
    pub group: String,
    pub sources: Vec<SourceRef>,
    /// Why they are one group (the same group, or one redirects to the other).
    pub why: String,
}

impl Health {
    /// The report, saying which directory its published sections were read from.
    pub fn read_from(mut self, dir: &std::path::Path) -> Health {
        self.sections.dir = Some(dir.display().to_string());
        self
    }

    /// Anything an editor should act on: exit 2. An organizer whose only link is a chat or
    /// video room and that already has its `[[organizer]]` entry leaves nothing to do (it is
    /// still listed, as not covered by a source).
    pub fn needs_attention(&self) -> bool {
        !(self.uncovered.iter().all(|u| !u.actionable())
            && self.failed.is_empty()
            && self.suspect.is_empty()
            && self.gone.is_empty()
            && self.redirected.is_empty()
            && self.silent.is_empty()
            && self.fallback.is_empty()
            && self.duplicates.is_empty())
    }
}

/// Whether `group` is `key` or a page below it; a site's root (`rustweek.org`) also covers
/// its subdomains (`2026.rustweek.org`).
fn under(group: &str, key: &str) -> bool {
    if group == key || (group.starts_with(key) && group.as_bytes().get(key.len()) == Some(&b'/')) {
        return true;
    }
    let host = group.split('/').next().unwrap_or(group);
    !key.contains('/')
        && host.len() > key.len()
        && host.ends_with(key)
        && host.as_bytes()[host.len() - key.len() - 1] == b'.'
}

/// The group a source stands for: its organizer page's, or (a many-organizer feed) its URL's.
fn source_group(s: &Source) -> Option<String> {
    match s.organizer_page() {
        Some(page) => group_of(&page),
        None => group_of(&s.url),
    }
}

fn source_ref(s: &Source) -> SourceRef {
    SourceRef {
        line: s.line,
        kind: s.kind,
        url: s.url.clone(),
        name: s.name.clone(),
    }
}

/// The health of the source list. `outcome` is the run (`None` with `--no-fetch`);
/// `sections` the published sections with their issue dates.
pub fn assess(
    config: &Config,
    outcome: Option<&Outcome>,
    sections: &[(NaiveDate, Vec<CorpusEntry>)],
    today: NaiveDate,
    options: Options,
) -> Health {
    let recent = recent_sections(sections, today, options.recent);
    let published_by = || sections.iter().map(|(d, _)| *d).filter(|d| *d <= today);
    let reports = outcome
        .map(|o| paired(config, &o.reports))
        .unwrap_or_default();
    let mut health = Health {
        version: VERSION,
        today,
        fetched: outcome.is_some(),
        sources: config.sources.len(),
        sections: SectionsRead {
            dir: None,
            all: published_by().count(),
            all_first: published_by().min(),
            count: recent.len(),
            first: recent.last().map(|(d, _)| *d),
            last: recent.first().map(|(d, _)| *d),
        },
        silent_weeks: options.silent_weeks,
        needs_attention: false,
        uncovered: uncovered(
            config,
            &reports,
            outcome,
            &recent,
            &recent_sections(sections, today, usize::MAX),
        ),
        failed: Vec::new(),
        suspect: Vec::new(),
        gone: Vec::new(),
        redirected: Vec::new(),
        silent: Vec::new(),
        fallback: Vec::new(),
        duplicates: duplicates(config, &reports),
    };
    let silent_since = today - Duration::weeks(i64::from(options.silent_weeks));
    let published = last_published(sections, today);
    judge_sources(&mut health, &reports, &published, silent_since);
    health.needs_attention = health.needs_attention();
    health
}

/// Each report with the source it is about: reports come in the sources' order.
fn paired<'a>(
    config: &'a Config,
    reports: &'a [SourceReport],
) -> Vec<(&'a Source, &'a SourceReport)> {
    if reports.len() == config.sources.len() {
        return config.sources.iter().zip(reports).collect();
    }
    // Not the run of this file (should not happen): pair what matches by URL.
    reports
        .iter()
        .filter_map(|r| {
            config
                .sources
                .iter()
                .find(|s| crate::pipeline::fetch_url(s) == r.url || s.url == r.url)
                .map(|s| (s, r))
        })
        .collect()
}

#[cfg(test)]
mod tests;
