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

use crate::config::{Config, Source, SourceKind};
use crate::link;
use crate::model::Place;
use crate::newsletter::read::CorpusEntry;
use crate::normalize::location::parse_newsletter_place;
use crate::normalize::match_key;
use crate::pipeline::{Outcome, SourceReport};
use crate::text;
use chrono::{Duration, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

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
    /// The published sections read as "recent".
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionsRead {
    pub count: usize,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
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
            Reach::CalendarOnly => "on the calendar only",
            Reach::CalendarAndPublished => "on the calendar only",
            Reach::PublishedOnly => "published, not on the calendar",
        }
    }
}

/// What to add to the sources file for an uncovered organizer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Meetup,
    Luma,
    /// Only if the page carries schema.org events (the lines say so).
    Jsonld,
    /// A chat, video or social link, or a page known to carry no event data: an `[[organizer]]`
    /// entry names the organizer of its calendar entries.
    Organizer,
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
    /// The latest section (of all those read) the group was published in.
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

/// The group a link belongs to, for comparing organizers and sources: `meetup.com/<urlname>`
/// (locale dropped, case folded), `luma.com/<slug>` (or `luma.com/calendar/cal-…`,
/// `luma.com/user/<name>`; lu.ma is luma.com), else the page as [`match_key`] has it. `None`
/// for a link that names no group (not a URL, a platform's root).
pub fn group_of(url: &str) -> Option<String> {
    let p = link::parts(url)?;
    match p.host.as_str() {
        "meetup.com" => {
            let g = p.segments.first().filter(|s| *s != "events")?;
            Some(format!("meetup.com/{}", g.to_lowercase()))
        }
        "luma.com" => {
            let first = p.segments.first()?;
            if matches!(first.as_str(), "calendar" | "user") {
                let second = p.segments.get(1)?;
                Some(format!("luma.com/{first}/{}", second.to_lowercase()))
            } else {
                Some(format!("luma.com/{}", first.to_lowercase()))
            }
        }
        _ => Some(match_key(url)),
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

/// The `N` newest sections dated on or before `today`, newest first.
fn recent_sections(
    sections: &[(NaiveDate, Vec<CorpusEntry>)],
    today: NaiveDate,
    n: usize,
) -> Vec<&(NaiveDate, Vec<CorpusEntry>)> {
    let mut recent: Vec<_> = sections.iter().filter(|(d, _)| *d <= today).collect();
    recent.sort_by_key(|s| std::cmp::Reverse(s.0));
    recent.truncate(n);
    recent
}

/// What is gathered about one organizer group before deciding.
#[derive(Default)]
struct Seen {
    /// The name and link printed most recently (sections), else the calendar's.
    name: Option<(NaiveDate, String)>,
    link: Option<(NaiveDate, String)>,
    places: HashMap<String, (usize, NaiveDate)>,
    on_calendar: usize,
    sections: usize,
    last_seen: Option<NaiveDate>,
}

impl Seen {
    fn note_name(&mut self, date: NaiveDate, name: &str, link: &str) {
        let name = text::clean(name, text::MAX_NAME);
        if !name.is_empty() && self.name.as_ref().is_none_or(|(d, _)| date > *d) {
            self.name = Some((date, name));
        }
        if self.link.as_ref().is_none_or(|(d, _)| date > *d) {
            self.link = Some((date, link.to_string()));
        }
    }

    fn note_place(&mut self, date: NaiveDate, place: &Place) {
        if place.is_empty() {
            return;
        }
        let e = self.places.entry(place.to_string()).or_insert((0, date));
        e.0 += 1;
        e.1 = e.1.max(date);
    }

    fn seen_on(&mut self, date: NaiveDate) {
        self.last_seen = Some(self.last_seen.map_or(date, |d| d.max(date)));
    }

    /// The place printed most often (the latest on a tie), when it reads back as a place.
    fn home(&self) -> Option<String> {
        self.places
            .iter()
            .max_by(|a, b| (a.1.0, a.1.1, b.0).cmp(&(b.1.0, b.1.1, a.0)))
            .map(|(p, _)| p.clone())
            .filter(|p| parse_newsletter_place(p).is_some())
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
    let silent_since = today - Duration::weeks(i64::from(options.silent_weeks));

    // The groups the sources cover (and, after a run, those their URLs redirect to).
    let mut covered: Vec<String> = config.sources.iter().filter_map(source_group).collect();
    let reports = outcome
        .map(|o| paired(config, &o.reports))
        .unwrap_or_default();
    for (_, r) in &reports {
        if let Some(t) = r.redirected_to.as_deref().and_then(group_of) {
            covered.push(t);
        }
    }
    let is_covered = |g: &str| covered.iter().any(|k| under(g, k));
    let organizer_entries: Vec<String> = config
        .organizers
        .iter()
        .filter_map(|o| group_of(&o.url))
        .collect();

    // Every organizer group seen, in the recent sections and on the calendar.
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    for (date, entries) in &recent {
        let mut in_this: Vec<String> = Vec::new();
        for e in entries {
            for o in &e.organizers {
                let Some(link) = link::safe(&o.url) else {
                    continue;
                };
                let Some(g) = group_of(&link) else { continue };
                let s = seen.entry(g.clone()).or_default();
                s.note_name(*date, &o.text, &link);
                if let Some(p) = e.places.first() {
                    s.note_place(*date, p);
                }
                s.seen_on(*date);
                if !in_this.contains(&g) {
                    in_this.push(g.clone());
                    s.sections += 1;
                }
            }
        }
    }
    if let Some(o) = outcome {
        for e in o.events.iter().chain(&o.outside_window) {
            if !e.in_calendar {
                continue;
            }
            let Some(link) = e.organizer.url.as_deref().and_then(link::safe) else {
                continue;
            };
            let Some(g) = group_of(&link) else { continue };
            let s = seen.entry(g).or_default();
            // A section's name wins over the calendar's: it is what the editors print.
            s.note_name(NaiveDate::MIN, &e.organizer.name, &link);
            if let Some(p) = e.organizer.home.as_ref().or(e.shown_place()) {
                s.note_place(NaiveDate::MIN, p);
            }
            s.on_calendar += 1;
            s.seen_on(e.start_date);
        }
    }
    let mut uncovered: Vec<Uncovered> = seen
        .into_iter()
        .filter(|(g, _)| !is_covered(g))
        .filter_map(|(g, s)| {
            let (_, link) = s.link.clone()?;
            let name = s
                .name
                .clone()
                .map(|(_, n)| n)
                .unwrap_or_else(|| link.clone());
            let home = s.home();
            let reach = match (s.on_calendar > 0, s.sections > 0) {
                (true, false) => Reach::CalendarOnly,
                (true, true) => Reach::CalendarAndPublished,
                _ => Reach::PublishedOnly,
            };
            let (suggestion_kind, link, suggestion) = suggest(&link, &name, home.as_deref());
            Some(Uncovered {
                organizer_entry: organizer_entries.iter().any(|k| under(&g, k)),
                name,
                link,
                home,
                reach,
                on_calendar: s.on_calendar,
                sections: s.sections,
                last_seen: s.last_seen,
                suggestion_kind,
                suggestion,
            })
        })
        .collect();
    uncovered.sort_by(|a, b| {
        (b.sections, b.on_calendar, b.last_seen)
            .cmp(&(a.sections, a.on_calendar, a.last_seen))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });

    // The latest section (of all read) each group was published in, for `silent`.
    let mut last_published: HashMap<String, NaiveDate> = HashMap::new();
    for (date, entries) in sections.iter().filter(|(d, _)| *d <= today) {
        for o in entries.iter().flat_map(|e| &e.organizers) {
            if let Some(g) = group_of(&o.url) {
                let d = last_published.entry(g).or_insert(*date);
                *d = (*d).max(*date);
            }
        }
    }

    let mut health = Health {
        version: VERSION,
        today,
        fetched: outcome.is_some(),
        sources: config.sources.len(),
        sections: SectionsRead {
            count: recent.len(),
            first: recent.last().map(|(d, _)| *d),
            last: recent.first().map(|(d, _)| *d),
        },
        silent_weeks: options.silent_weeks,
        needs_attention: false,
        uncovered,
        failed: Vec::new(),
        suspect: Vec::new(),
        gone: Vec::new(),
        redirected: Vec::new(),
        silent: Vec::new(),
        fallback: Vec::new(),
        duplicates: duplicates(config, &reports),
    };

    for (s, r) in &reports {
        let source = source_ref(s);
        if let Some(error) = &r.error {
            match r.status {
                Some(status @ (404 | 410)) => health.gone.push(Gone { source, status }),
                _ => health.failed.push(Failed {
                    source,
                    error: text::clean(error, 500),
                }),
            }
            continue;
        }
        if let Some(to) = renamed_to(s, r) {
            let fix = format!("url = {}", toml_string(&to));
            health.redirected.push(Redirected {
                source: source.clone(),
                to,
                fix,
            });
        }
        if let Some(why) = &r.fallback {
            health.fallback.push(Fallback {
                source: source.clone(),
                why: text::clean(why, 500),
            });
        }
        if let Some(reason) = &r.suspect {
            health.suspect.push(Suspect {
                source,
                reason: text::clean(reason, 500),
            });
            continue;
        }
        let published = source_group(s).and_then(|g| {
            last_published
                .iter()
                .filter(|(k, _)| under(k, &g))
                .map(|(_, d)| *d)
                .max()
        });
        let since = r.latest_event.max(published);
        if since.is_none_or(|d| d < silent_since) {
            health.silent.push(Silent {
                source,
                since,
                last_listed: r.latest_event,
                last_published: published,
            });
        }
    }
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

/// Where a source's group now lives, when its URL redirected to another group (a renamed
/// meetup group, a moved calendar): the URL to write in the sources file. A redirect within
/// the same group (a locale, a trailing slash, a login wall on the same site) is none.
fn renamed_to(s: &Source, r: &SourceReport) -> Option<String> {
    let to = link::safe(r.redirected_to.as_deref()?)?;
    let new_group = group_of(&to)?;
    let old = source_group(s).or_else(|| group_of(&r.url))?;
    if new_group == old || under(&new_group, &old) {
        return None;
    }
    let p = link::parts(&to)?;
    if s.kind == SourceKind::Meetup {
        if p.host != "meetup.com" {
            return None; // a login or error page elsewhere is not a rename
        }
        return Some(format!("https://www.{new_group}/"));
    }
    Some(link::without_tracking(&to))
}

/// Sources that stand for the same group: the same group under two URL forms, a page and
/// its feed, or one whose URL redirects to another's.
fn duplicates(config: &Config, reports: &[(&Source, &SourceReport)]) -> Vec<Duplicate> {
    let mut groups: BTreeMap<String, Vec<&Source>> = BTreeMap::new();
    for s in &config.sources {
        if let Some(g) = source_group(s) {
            groups.entry(g).or_default().push(s);
        }
    }
    let mut out: Vec<Duplicate> = groups
        .iter()
        .filter(|(_, ss)| ss.len() > 1)
        .map(|(g, ss)| Duplicate {
            group: g.clone(),
            sources: ss.iter().map(|s| source_ref(s)).collect(),
            why: "the same group".into(),
        })
        .collect();
    for (s, r) in reports {
        let Some(to) = renamed_to(s, r).and_then(|t| group_of(&t)) else {
            continue;
        };
        let Some(others) = groups.get(&to) else {
            continue;
        };
        let mut sources = vec![source_ref(s)];
        sources.extend(others.iter().map(|o| source_ref(o)));
        out.push(Duplicate {
            group: to,
            sources,
            why: format!("line {} redirects to a group listed too", s.line),
        });
    }
    out.sort_by_key(|d| d.sources.first().map(|s| s.line));
    out
}

/// A TOML basic string: quoted and escaped, so that no text from a source can end the string
/// or add a line to the file.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Hosts of chat, video, social and form links: no events to read there.
fn is_chat_or_video(host: &str) -> bool {
    const HOSTS: [&str; 21] = [
        "discord.gg",
        "discord.com",
        "t.me",
        "telegram.me",
        "zoom.us",
        "meet.google.com",
        "teams.microsoft.com",
        "meet.jit.si",
        "youtube.com",
        "youtu.be",
        "twitch.tv",
        "matrix.to",
        "slack.com",
        "chat.whatsapp.com",
        "linkedin.com",
        "twitter.com",
        "x.com",
        "facebook.com",
        "kommunity.com",
        "github.com",
        "forms.gle",
    ];
    HOSTS.contains(&host)
        || host == "docs.google.com"
        || host.ends_with(".zoom.us")
        || host.ends_with(".slack.com")
        || host.ends_with(".linkedin.com")
}

/// The lines to add for an organizer printed as `name` with `link`, based in `home`.
/// Returns the kind, the organizer's page (a meetup group's or luma calendar's page in its
/// plain form) and the lines.
fn suggest(link: &str, name: &str, home: Option<&str>) -> (SuggestionKind, String, String) {
    let host = link::parts(link).map(|p| p.host).unwrap_or_default();
    let group = group_of(link).unwrap_or_default();
    let mut lines: Vec<String> = Vec::new();
    let (kind, url) = if host == "meetup.com" {
        (SuggestionKind::Meetup, format!("https://www.{group}/"))
    } else if host == "luma.com" {
        (SuggestionKind::Luma, format!("https://{group}"))
    } else if is_chat_or_video(&host) || host == "eventbrite.com" {
        lines.push(if host == "eventbrite.com" {
            "# eventbrite organizer pages carry no event data: this names the organizer of its calendar entries".to_string()
        } else {
            "# a chat, video, social or form link: no events to read; this names the organizer of its calendar entries".to_string()
        });
        (SuggestionKind::Organizer, link::without_tracking(link))
    } else {
        lines.push(
            "# only if the page carries schema.org Event JSON-LD (check it); else an [[organizer]] entry"
                .to_string(),
        );
        (SuggestionKind::Jsonld, link::without_tracking(link))
    };
    let kind_name = match kind {
        SuggestionKind::Meetup => Some("meetup"),
        SuggestionKind::Luma => Some("luma"),
        SuggestionKind::Jsonld => Some("jsonld"),
        SuggestionKind::Organizer => None,
    };
    match kind_name {
        Some(k) => {
            lines.push("[[source]]".into());
            lines.push(format!("kind = \"{k}\""));
        }
        None => lines.push("[[organizer]]".into()),
    }
    lines.push(format!("url = {}", toml_string(&url)));
    lines.push(format!("name = {}", toml_string(name)));
    if let Some(h) = home {
        lines.push(format!("home = {}", toml_string(h)));
    }
    (kind, url, lines.join("\n"))
}

/// The report for a terminal: the counts on top, then one section per kind of problem (empty
/// ones left out).
pub fn to_table(h: &Health) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let sections = match (h.sections.count, h.sections.first, h.sections.last) {
        (0, _, _) => "no published sections".to_string(),
        (n, Some(a), Some(b)) => format!("the last {n} published sections ({a} – {b})"),
        (n, _, _) => format!("{n} published sections"),
    };
    let _ = writeln!(
        out,
        "health of {} sources on {}, {}{}",
        h.sources,
        h.today,
        sections,
        if h.fetched {
            ""
        } else {
            " (no fetch: sources taken as listed)"
        }
    );
    let counts = [
        ("uncovered", h.uncovered.len()),
        ("failed", h.failed.len()),
        ("suspect", h.suspect.len()),
        ("gone", h.gone.len()),
        ("redirected", h.redirected.len()),
        ("silent", h.silent.len()),
        ("fallback", h.fallback.len()),
        ("duplicates", h.duplicates.len()),
    ];
    let _ = writeln!(
        out,
        "{}",
        counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    );
    if !h.needs_attention {
        let _ = writeln!(out, "\nnothing needs attention");
        return out;
    }
    let label = |s: &SourceRef| match &s.name {
        Some(n) => format!(
            "line {:<4} {:<6} {} <{}>",
            s.line,
            s.kind.as_str(),
            n,
            s.url
        ),
        None => format!("line {:<4} {:<6} {}", s.line, s.kind.as_str(), s.url),
    };
    if !h.uncovered.is_empty() {
        let _ = writeln!(
            out,
            "\nUNCOVERED: organizers no source covers ({})",
            h.uncovered.len()
        );
        for u in &h.uncovered {
            let mut seen = Vec::new();
            if u.on_calendar > 0 {
                seen.push(format!(
                    "{} event{} on the calendar",
                    u.on_calendar,
                    if u.on_calendar == 1 { "" } else { "s" }
                ));
            }
            if u.sections > 0 {
                seen.push(format!(
                    "in {} of {} sections",
                    u.sections, h.sections.count
                ));
            }
            if let Some(d) = u.last_seen {
                seen.push(format!("last {d}"));
            }
            let reach = match u.reach {
                Reach::PublishedOnly if !h.fetched => "published",
                r => r.describe(),
            };
            let _ = writeln!(
                out,
                "  {} <{}>{} — {}; {}{}",
                u.name,
                u.link,
                u.home
                    .as_deref()
                    .map(|h| format!(" ({h})"))
                    .unwrap_or_default(),
                reach,
                seen.join(", "),
                if u.organizer_entry {
                    "; only an [[organizer]] entry"
                } else {
                    ""
                }
            );
            if !u.actionable() {
                let _ = writeln!(
                    out,
                    "      (nothing to add: no events to read at this link)"
                );
                continue;
            }
            for line in u.suggestion.lines() {
                let _ = writeln!(out, "      {line}");
            }
        }
    }
    let mut section = |title: &str, rows: Vec<String>| {
        if rows.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{title} ({})", rows.len());
        for r in rows {
            let _ = writeln!(out, "  {r}");
        }
    };
    section(
        "GONE: the group or calendar answered 404/410",
        h.gone
            .iter()
            .map(|g| format!("{}: {}", label(&g.source), g.status))
            .collect(),
    );
    section(
        "REDIRECTED: renamed or moved (change the url)",
        h.redirected
            .iter()
            .map(|r| format!("{}\n      → {}\n      {}", label(&r.source), r.to, r.fix))
            .collect(),
    );
    section(
        "FAILED",
        h.failed
            .iter()
            .map(|f| format!("{}: {}", label(&f.source), f.error))
            .collect(),
    );
    section(
        "SUSPECT: answered, but not taken as the truth",
        h.suspect
            .iter()
            .map(|s| format!("{}: {}", label(&s.source), s.reason))
            .collect(),
    );
    section(
        &format!(
            "SILENT: nothing listed or published for {} weeks",
            h.silent_weeks
        ),
        h.silent
            .iter()
            .map(|s| {
                let since = match s.since {
                    Some(d) => format!("since {d}"),
                    None => "no event listed, never published".to_string(),
                };
                format!("{}: {since}", label(&s.source))
            })
            .collect(),
    );
    section(
        "FALLBACK: read through a second way in",
        h.fallback
            .iter()
            .map(|f| format!("{}: {}", label(&f.source), f.why))
            .collect(),
    );
    section(
        "DUPLICATES: the same group listed twice",
        h.duplicates
            .iter()
            .map(|d| {
                let mut s = format!("{} ({})", d.group, d.why);
                for r in &d.sources {
                    s.push_str(&format!("\n      {}", label(r)));
                }
                s
            })
            .collect(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Attendance, Event, Organizer, Region};
    use crate::newsletter::read::parse_section;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn config(text: &str) -> Config {
        Config::parse(text, "s.toml").unwrap()
    }

    const CAL: &str = "[[source]]\nkind = \"ical\"\nurl = \"https://calendar.google.com/c/basic.ics\"\nname = \"Rust Community Calendar\"\n\n";

    fn report(s: &Source) -> SourceReport {
        SourceReport {
            kind: s.kind,
            url: crate::pipeline::fetch_url(s),
            label: s.label().to_string(),
            events: 1,
            error: None,
            warnings: Vec::new(),
            suspect: None,
            status: None,
            redirected_to: None,
            latest_event: Some(d("2026-09-20")),
            fallback: None,
        }
    }

    fn calendar_event(org_name: &str, org_url: &str, date: &str) -> Event {
        Event {
            title: "Meetup".into(),
            url: format!("{org_url}events/123456789/"),
            start_date: d(date),
            end_date: d(date),
            start: None,
            attendance: Attendance::InPerson,
            place: Some(Place::new(Some("Ghent"), None, Some("BE"))),
            organizer: Organizer {
                name: org_name.into(),
                url: Some(org_url.into()),
                home: None,
            },
            regions: vec![Region::Europe],
            mirrors: Vec::new(),
            sources: vec!["Rust Community Calendar".into()],
            from_page: false,
            in_calendar: true,
            uid: None,
        }
    }

    #[test]
    fn groups_compare_across_url_forms() {
        let g = |u: &str| group_of(u).unwrap();
        assert_eq!(
            g("https://www.meetup.com/de-DE/Rust-Berlin/events/"),
            "meetup.com/rust-berlin"
        );
        assert_eq!(
            g("https://meetup.com/rust-berlin"),
            "meetup.com/rust-berlin"
        );
        assert_eq!(
            g("https://www.meetup.com/rust-berlin/events/313345334/"),
            "meetup.com/rust-berlin"
        );
        assert_eq!(
            g("https://lu.ma/Rust-Girona?utm_source=x"),
            "luma.com/rust-girona"
        );
        assert_eq!(
            g("https://luma.com/calendar/cal-bif2oHITU1aVvsr"),
            "luma.com/calendar/cal-bif2ohitu1avvsr"
        );
        assert_eq!(g("https://hasgeek.com/rustpune/"), "hasgeek.com/rustpune");
        assert_eq!(group_of("https://www.meetup.com/"), None);
        assert_eq!(group_of("not a url"), None);
        assert!(under("2026.rustweek.org", "rustweek.org"));
        assert!(under("hasgeek.com/rustpune/2026", "hasgeek.com/rustpune"));
        assert!(!under("hasgeek.com/rustpunes", "hasgeek.com/rustpune"));
        assert!(!under("notrustweek.org", "rustweek.org"));
    }

    #[test]
    fn uncovered_organizers_come_with_the_lines_to_add() {
        let c = config(&format!(
            "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\n\n[[source]]\nkind = \"luma\"\nurl = \"https://lu.ma/rust-girona\"\n\n[[organizer]]\nurl = \"https://gamedev.rs/\"\nname = \"Rust GameDev\"\n"
        ));
        let section = parse_section(
            "### Europe\n\
             * 2026-09-02 | Berlin, DE | [Rust Berlin](https://www.meetup.com/de-DE/Rust-Berlin/)\n    * [**x**](https://www.meetup.com/rust-berlin/events/1234567/)\n\
             * 2026-09-03 | Girona, ES | [Rust Girona](https://luma.com/rust-girona)\n    * [**x**](https://luma.com/abcdefgh)\n\
             * 2026-09-03 | Paris, FR | [Rust \"Paris\"\\nhome = x](https://www.meetup.com/Rust-Paris/events/)\n    * [**x**](https://www.meetup.com/rust-paris/events/7654321/)\n\
             * 2026-09-04 | Valencia, ES | [Rust Valencia](https://lu.ma/rust-valencia)\n    * [**x**](https://lu.ma/abcdefgh)\n\
             * 2026-09-05 | Virtual | [Rust GameDev](https://gamedev.rs/)\n    * [**x**](https://gamedev.rs/)\n\
             * 2026-09-06 | Virtual | [Rust Chat](https://discord.gg/abc)\n    * [**x**](https://discord.gg/abc)\n\
             * 2026-09-06 | Virtual | [Bad](javascript:alert(1))\n    * [**x**](https://x.example/e/1)\n",
        );
        let sections = vec![(d("2026-09-02"), section)];
        let h = assess(&c, None, &sections, d("2026-09-16"), Options::default());
        let names: Vec<&str> = h.uncovered.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names.len(), 4, "{names:?}");
        let by = |n: &str| h.uncovered.iter().find(|u| u.name.starts_with(n)).unwrap();
        let paris = by("Rust \"Paris\"");
        assert_eq!(paris.suggestion_kind, SuggestionKind::Meetup);
        assert_eq!(paris.link, "https://www.meetup.com/rust-paris/");
        assert_eq!(paris.reach, Reach::PublishedOnly);
        assert_eq!(paris.sections, 1);
        // The name is escaped: the lines parse back as one source with that name.
        let back = Config::parse(&paris.suggestion, "suggestion").unwrap();
        assert_eq!(
            back.sources[0].name.as_deref(),
            Some("Rust \"Paris\"\\nhome = x")
        );
        assert_eq!(
            back.sources[0].home.as_ref().unwrap().to_string(),
            "Paris, FR"
        );
        let valencia = by("Rust Valencia");
        assert_eq!(valencia.suggestion_kind, SuggestionKind::Luma);
        let back = Config::parse(&valencia.suggestion, "suggestion").unwrap();
        assert_eq!(back.sources[0].kind, SourceKind::Luma);
        assert_eq!(back.sources[0].url, "https://luma.com/rust-valencia");
        // Known only through an [[organizer]] entry: not covered, and said so.
        let gamedev = by("Rust GameDev");
        assert!(gamedev.organizer_entry);
        assert_eq!(gamedev.suggestion_kind, SuggestionKind::Jsonld);
        assert!(
            gamedev
                .suggestion
                .starts_with("# only if the page carries schema.org")
        );
        let chat = by("Rust Chat");
        assert_eq!(chat.suggestion_kind, SuggestionKind::Organizer);
        assert!(
            Config::parse(&chat.suggestion, "s")
                .unwrap()
                .organizers
                .len()
                == 1
        );
        assert!(h.needs_attention());
        // Nothing fetched: the fetching sections are empty.
        assert!(!h.fetched && h.failed.is_empty() && h.silent.is_empty());
    }

    #[test]
    fn only_the_recent_sections_on_or_before_today_count() {
        let c = config(CAL);
        let entry = |org: &str| {
            parse_section(&format!(
                "### Europe\n* 2026-01-01 | Oslo, NO | [{org}](https://www.meetup.com/{org}/)\n    * [**x**](https://www.meetup.com/{org}/events/1234567/)\n"
            ))
        };
        let sections = vec![
            (d("2026-01-07"), entry("old")),
            (d("2026-09-09"), entry("recent")),
            (d("2026-09-30"), entry("future")),
        ];
        let opts = Options {
            recent: 1,
            silent_weeks: 26,
        };
        let h = assess(&c, None, &sections, d("2026-09-16"), opts);
        let names: Vec<&str> = h.uncovered.iter().map(|u| u.name.as_str()).collect();
        assert_eq!(names, ["recent"]);
        assert_eq!(h.sections.count, 1);
        assert_eq!(h.sections.last, Some(d("2026-09-09")));
    }

    #[test]
    fn a_run_reports_gone_redirected_failed_silent_fallback_and_duplicates() {
        let c = config(&format!(
            "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-gone/\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-old/\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-new/\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-quiet/\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-down/\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-twice/\"\n\n\
             [[source]]\nkind = \"ical\"\nurl = \"https://www.meetup.com/Rust-Twice/events/ical/\"\n\n\
             [[source]]\nkind = \"luma\"\nurl = \"https://luma.com/rust-fb\"\n"
        ));
        let mut reports: Vec<SourceReport> = c.sources.iter().map(report).collect();
        reports[1].error = Some("HTTP 404".into());
        reports[1].status = Some(404);
        reports[2].redirected_to = Some("https://www.meetup.com/rust-new/events/".into());
        reports[4].latest_event = Some(d("2025-12-01"));
        reports[5].error = Some("timed out\u{1b}[31m".into());
        reports[8].fallback = Some("the ICS feed answered 500; read the calendar page".into());
        let mut outcome = Outcome {
            reports,
            ..Default::default()
        };
        // A calendar-only organizer, and a covered one.
        outcome.events.push(calendar_event(
            "Rust Ghent",
            "https://www.meetup.com/rust-ghent/",
            "2026-09-24",
        ));
        outcome.events.push(calendar_event(
            "Rust New",
            "https://www.meetup.com/rust-new/",
            "2026-09-25",
        ));
        let published = parse_section(
            "### Europe\n* 2026-03-01 | Oslo, NO | [Quiet](https://www.meetup.com/rust-quiet/)\n    * [**x**](https://www.meetup.com/rust-quiet/events/1234567/)\n",
        );
        let sections = vec![(d("2026-03-04"), published)];
        let h = assess(
            &c,
            Some(&outcome),
            &sections,
            d("2026-09-16"),
            Options::default(),
        );
        assert_eq!(h.gone.len(), 1);
        assert_eq!(
            (h.gone[0].source.line, h.gone[0].status),
            (c.sources[1].line, 404)
        );
        assert_eq!(h.redirected.len(), 1);
        assert_eq!(
            h.redirected[0].fix,
            "url = \"https://www.meetup.com/rust-new/\""
        );
        assert_eq!(h.failed.len(), 1);
        assert!(
            !h.failed[0].error.contains('\u{1b}'),
            "{:?}",
            h.failed[0].error
        );
        // Silent: last listed 2025-12-01, last published 2026-03-04: since 2026-03-04.
        assert_eq!(h.silent.len(), 1);
        assert_eq!(h.silent[0].since, Some(d("2026-03-04")));
        assert_eq!(h.silent[0].last_listed, Some(d("2025-12-01")));
        let quiet_weeks = Options {
            recent: 26,
            silent_weeks: 52,
        };
        assert!(
            assess(&c, Some(&outcome), &sections, d("2026-09-16"), quiet_weeks)
                .silent
                .is_empty()
        );
        assert_eq!(h.fallback.len(), 1);
        // rust-twice as a group page and as its feed; rust-old redirects to rust-new.
        assert_eq!(h.duplicates.len(), 2, "{:?}", h.duplicates);
        assert!(
            h.duplicates
                .iter()
                .any(|d| d.group == "meetup.com/rust-twice" && d.sources.len() == 2)
        );
        assert!(
            h.duplicates
                .iter()
                .any(|d| d.group == "meetup.com/rust-new" && d.why.contains("redirects"))
        );
        assert_eq!(h.uncovered.len(), 1);
        assert_eq!(h.uncovered[0].name, "Rust Ghent");
        assert_eq!(h.uncovered[0].reach, Reach::CalendarOnly);
        assert_eq!(h.uncovered[0].home.as_deref(), Some("Ghent, BE"));
        let table = to_table(&h);
        for title in [
            "UNCOVERED",
            "GONE",
            "REDIRECTED",
            "FAILED",
            "SILENT",
            "FALLBACK",
            "DUPLICATES",
        ] {
            assert!(table.contains(title), "{title} missing:\n{table}");
        }
        assert!(
            !table.contains("SUSPECT:"),
            "empty sections are left out:\n{table}"
        );
        assert!(table.contains("on the calendar only"));
    }

    #[test]
    fn a_redirect_within_the_group_is_no_rename_and_a_healthy_list_needs_nothing() {
        let c = config(&format!(
            "{CAL}[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\n"
        ));
        let mut reports: Vec<SourceReport> = c.sources.iter().map(report).collect();
        reports[1].redirected_to = Some("https://www.meetup.com/de-DE/Rust-Berlin/events/".into());
        let outcome = Outcome {
            reports: reports.clone(),
            ..Default::default()
        };
        let h = assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default());
        assert!(!h.needs_attention(), "{h:?}");
        assert!(to_table(&h).contains("nothing needs attention"));
        // A redirect to a login page elsewhere is no rename either.
        reports[1].redirected_to = Some("https://secure.meetup.example/login".into());
        let outcome = Outcome {
            reports,
            ..Default::default()
        };
        assert!(
            assess(&c, Some(&outcome), &[], d("2026-09-16"), Options::default())
                .redirected
                .is_empty()
        );
    }
}
