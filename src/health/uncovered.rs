//! Organizers the community calendar or the recent sections show, which no source covers,
//! with the lines to add to the sources file.

use super::{Reach, SuggestionKind, Uncovered, group_of, source_group, under};
use crate::config::{Config, Source};
use crate::link;
use crate::model::Place;
use crate::newsletter::read::CorpusEntry;
use crate::normalize::location::parse_newsletter_place;
use crate::pipeline::{Outcome, SourceReport};
use crate::text;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// The organizers seen (in the recent sections and on the calendar) that no source covers,
/// with the lines to add; the most published and most listed first.
pub(super) fn uncovered(
    config: &Config,
    reports: &[(&Source, &SourceReport)],
    outcome: Option<&Outcome>,
    recent: &[&(NaiveDate, Vec<CorpusEntry>)],
) -> Vec<Uncovered> {
    // The groups the sources cover (and, after a run, those their URLs redirect to).
    let mut covered: Vec<String> = config.sources.iter().filter_map(source_group).collect();
    for (_, r) in reports {
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
    let mut seen: BTreeMap<String, Seen> = BTreeMap::new();
    seen_in_sections(&mut seen, recent);
    if let Some(o) = outcome {
        seen_on_calendar(&mut seen, o);
    }
    let mut uncovered: Vec<Uncovered> = seen
        .into_iter()
        .filter(|(g, _)| !is_covered(g))
        .filter_map(|(g, s)| {
            let organizer_entry = organizer_entries.iter().any(|k| under(&g, k));
            s.into_uncovered(organizer_entry)
        })
        .collect();
    uncovered.sort_by(|a, b| {
        (b.sections, b.on_calendar, b.last_seen)
            .cmp(&(a.sections, a.on_calendar, a.last_seen))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
    });
    uncovered
}

/// Every organizer group the recent sections printed: its name, link, place, sections.
fn seen_in_sections(seen: &mut BTreeMap<String, Seen>, recent: &[&(NaiveDate, Vec<CorpusEntry>)]) {
    for (date, entries) in recent {
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
}

/// Every organizer group of the community calendar's entries in this run.
fn seen_on_calendar(seen: &mut BTreeMap<String, Seen>, o: &Outcome) {
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

/// The `N` newest sections dated on or before `today`, newest first.
pub(super) fn recent_sections(
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
    /// The latest day it was seen (a section, a calendar event).
    latest: Option<NaiveDate>,
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
        self.latest = Some(self.latest.map_or(date, |d| d.max(date)));
    }

    /// The place printed most often (the latest on a tie), when it reads back as a place.
    fn home(&self) -> Option<String> {
        self.places
            .iter()
            .max_by(|a, b| (a.1.0, a.1.1, b.0).cmp(&(b.1.0, b.1.1, a.0)))
            .map(|(p, _)| p.clone())
            .filter(|p| parse_newsletter_place(p).is_some())
    }

    /// The organizer as the report shows it, with the lines to add (`None` without a link).
    fn into_uncovered(self, organizer_entry: bool) -> Option<Uncovered> {
        let home = self.home();
        let (_, link) = self.link?;
        let name = self.name.map_or_else(|| link.clone(), |(_, n)| n);
        let reach = match (self.on_calendar > 0, self.sections > 0) {
            (true, false) => Reach::CalendarOnly,
            (true, true) => Reach::CalendarAndPublished,
            _ => Reach::PublishedOnly,
        };
        let (suggestion_kind, link, suggestion) = suggest(&link, &name, home.as_deref());
        Some(Uncovered {
            organizer_entry,
            name,
            link,
            home,
            reach,
            on_calendar: self.on_calendar,
            sections: self.sections,
            last_seen: self.latest,
            suggestion_kind,
            suggestion,
        })
    }
}

/// A TOML basic string: quoted and escaped, so that no text from a source can end the string
/// or add a line to the file.
pub(super) fn toml_string(s: &str) -> String {
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
