//! Organizers the community calendar or the recent sections show, which no source covers,
//! with the lines to add to the sources file.

use super::{Reach, SuggestionKind, Uncovered, group_of, source_group, under};
use crate::config::{Config, Source};
use crate::link;
use crate::model::Place;
use crate::newsletter::read::CorpusEntry;
use crate::pipeline::{Outcome, SourceReport};
use crate::place::parse_newsletter_place;
use crate::site::elsewhere::{self, Elsewhere};
use crate::site::platform;
use crate::sources::kind;
use crate::text;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The organizers seen (in the recent sections and on the calendar) that no source covers,
/// with the lines to add; the most published and most listed first. One organizer printed
/// under several links (its site in the sections, its chat room on the calendar) is one
/// entry, with the other links in `also`.
pub(super) fn uncovered(
    config: &Config,
    reports: &[(&Source, &SourceReport)],
    outcome: Option<&Outcome>,
    recent: &[&(NaiveDate, Vec<CorpusEntry>)],
    all: &[&(NaiveDate, Vec<CorpusEntry>)],
) -> Vec<Uncovered> {
    // The groups the sources cover (and, after a run, those their URLs redirect to, and the
    // organizers of the events they read).
    let mut covered: Vec<String> = config.sources.iter().filter_map(source_group).collect();
    for (_, r) in reports {
        if let Some(t) = r.redirected_to.as_deref().and_then(group_of) {
            covered.push(t);
        }
    }
    if let Some(o) = outcome {
        covered.extend(read_by_own_sources(reports, o));
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
    places_in_sections(&mut seen, all);
    let not_covered = seen.into_iter().filter(|(g, _)| !is_covered(g));
    let mut uncovered: Vec<Uncovered> = one_per_organizer(not_covered)
        .into_iter()
        .filter_map(|(groups, s)| {
            let organizer_entry = groups
                .iter()
                .any(|g| organizer_entries.iter().any(|k| under(g, k)));
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

/// The organizer groups of the events that a source of their own (a group or calendar page, a
/// JSON-LD page, one organizer's feed: not the community calendar) read this run: that source
/// covers them, whatever link the calendar or the page gives the organizer (a `jsonld` source
/// at an event page whose organizer is `mobilizon.fr/@group`).
fn read_by_own_sources(reports: &[(&Source, &SourceReport)], o: &Outcome) -> Vec<String> {
    let own: HashSet<&str> = reports
        .iter()
        .filter(|(s, _)| s.organizer_page().is_some())
        .map(|(s, _)| s.label())
        .collect();
    o.events
        .iter()
        .chain(&o.outside_window)
        .filter(|e| e.sources.iter().any(|l| own.contains(l.as_str())))
        .filter_map(|e| e.organizer.url.as_deref().and_then(group_of))
        .collect()
}

/// The groups seen, gathered by organizer: the groups printed under one name (folded: case,
/// diacritics) whose homes do not disagree are one organizer. The group most worth a source
/// (a page that can carry events before a chat room, then the most published and listed)
/// gives the link; the others are `also`. Returns each organizer's groups and what was seen.
fn one_per_organizer(groups: impl Iterator<Item = (String, Seen)>) -> Vec<(Vec<String>, Seen)> {
    let mut by_name: BTreeMap<String, Vec<(String, Seen)>> = BTreeMap::new();
    for (g, s) in groups {
        let key = s
            .name
            .as_ref()
            .map_or_else(|| format!("\u{0}{g}"), |(_, n)| text::fold(n));
        by_name.entry(key).or_default().push((g, s));
    }
    let mut out = Vec::new();
    for (_, mut same_name) in by_name {
        same_name.sort_by_key(|(_, s)| std::cmp::Reverse(s.rank()));
        while !same_name.is_empty() {
            let (g, mut first) = same_name.remove(0);
            let home = first.home();
            let mut groups = vec![g];
            let mut rest = Vec::new();
            for (g, s) in same_name {
                let agrees = match (&home, s.home()) {
                    (Some(a), Some(b)) => *a == b,
                    _ => true,
                };
                if agrees {
                    groups.push(g);
                    first.absorb(s);
                } else {
                    rest.push((g, s));
                }
            }
            same_name = rest;
            out.push((groups, first));
        }
    }
    out
}

/// Every organizer group the recent sections printed: its name, link, place, sections.
fn seen_in_sections(seen: &mut BTreeMap<String, Seen>, recent: &[&(NaiveDate, Vec<CorpusEntry>)]) {
    for (date, entries) in recent {
        for e in entries {
            for o in &e.organizers {
                let Some(link) = link::safe(&o.url) else {
                    continue;
                };
                let Some(g) = group_of(&link) else { continue };
                let s = seen.entry(g.clone()).or_default();
                s.note_name(*date, &o.text, &link);
                if let Some(p) = e.places.first() {
                    s.note_place(*date, e.start_date, p);
                }
                s.seen_on(*date);
                s.sections.insert(*date);
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
            s.note_place(NaiveDate::MIN, e.start_date, p);
        }
        s.on_calendar += 1;
        s.seen_on(e.start_date);
    }
}

/// Where the groups seen were printed in every section read (not only the recent ones): a
/// group's home is where it has met over the years, when the recent sections name only its
/// country (`Switzerland, CH`) or one event elsewhere.
fn places_in_sections(seen: &mut BTreeMap<String, Seen>, all: &[&(NaiveDate, Vec<CorpusEntry>)]) {
    for (_, entries) in all {
        for e in entries {
            let Some(p) = e.places.first() else { continue };
            for o in &e.organizers {
                let group = link::safe(&o.url).as_deref().and_then(group_of);
                if let Some(s) = group.and_then(|g| seen.get_mut(&g)) {
                    s.history
                        .entry(p.to_string())
                        .or_default()
                        .insert(e.start_date);
                }
            }
        }
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
    /// Each place printed for it: the days of the events printed there (an event printed in
    /// four weekly sections is one event), and the latest day it was seen.
    places: HashMap<String, (BTreeSet<NaiveDate>, NaiveDate)>,
    /// Each place printed for it in every section read: the days of its events there.
    history: HashMap<String, BTreeSet<NaiveDate>>,
    on_calendar: usize,
    /// The recent sections it was published in (their dates).
    sections: BTreeSet<NaiveDate>,
    /// The latest day it was seen (a section, a calendar event).
    latest: Option<NaiveDate>,
    /// Other links of the same organizer (other groups gathered under its name).
    also: Vec<String>,
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

    /// `place` printed on `date` (a section's, or the calendar's `MIN`) for an event of
    /// `event_day`.
    fn note_place(&mut self, date: NaiveDate, event_day: NaiveDate, place: &Place) {
        if place.is_empty() {
            return;
        }
        let e = self
            .places
            .entry(place.to_string())
            .or_insert((BTreeSet::new(), date));
        e.0.insert(event_day);
        e.1 = e.1.max(date);
    }

    /// How much this group is worth a source, among the links of one organizer: a page that
    /// can carry events before a chat, video or form link; then the most published, the most
    /// listed, the latest seen.
    fn rank(&self) -> (bool, usize, usize, Option<NaiveDate>) {
        let readable = self.link.as_ref().is_some_and(|(_, l)| {
            let host = link::parts(l).map(|p| p.host).unwrap_or_default();
            without_events(&host).is_none() && host != platform::EVENTBRITE
        });
        (readable, self.sections.len(), self.on_calendar, self.latest)
    }

    /// Another group of the same organizer: its sightings added, its link kept in `also`.
    fn absorb(&mut self, other: Seen) {
        if let Some((_, l)) = other.link {
            self.also.push(l);
        }
        self.also.extend(other.also);
        for (p, days) in other.history {
            self.history.entry(p).or_default().extend(days);
        }
        for (p, (days, d)) in other.places {
            let e = self.places.entry(p).or_insert((BTreeSet::new(), d));
            e.0.extend(days);
            e.1 = e.1.max(d);
        }
        self.on_calendar += other.on_calendar;
        self.sections.extend(other.sections);
        self.latest = self.latest.max(other.latest);
    }

    fn seen_on(&mut self, date: NaiveDate) {
        self.latest = Some(self.latest.map_or(date, |d| d.max(date)));
    }

    /// Where the group is based, as the newsletter prints it: a place whose city its name
    /// says (`Rust Munich`: `Munich, DE`) first, then a place with a city over a bare country
    /// (`Switzerland, CH`), then the place of the most recent events (an event printed in four
    /// sections counts once: one conference elsewhere is not the group's home), then of the
    /// most events in every section read, the latest on a tie; only a place that reads back as
    /// one. The older sections only break what the recent ones leave open: a city the recent
    /// ones do not print, never a misprint of years ago over this year's place.
    fn home(&self) -> Option<String> {
        let name = text::fold(self.name.as_ref().map_or("", |(_, n)| n.as_str()));
        let rank = |p: &str| {
            let place = parse_newsletter_place(p);
            let city = place
                .as_ref()
                .and_then(|pl| pl.city.as_deref())
                .map(text::fold);
            let named = city
                .as_deref()
                .is_some_and(|c| !c.is_empty() && name.split(' ').any(|w| w == c));
            let (recent, latest) = self
                .places
                .get(p)
                .map_or((0, NaiveDate::MIN), |(days, latest)| (days.len(), *latest));
            let all = self.history.get(p).map_or(0, BTreeSet::len);
            (place.is_some(), named, city.is_some(), recent, all, latest)
        };
        self.places
            .keys()
            .chain(self.history.keys())
            .map(|p| (rank(p), p))
            .max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)))
            .filter(|(r, _)| r.0)
            .map(|(_, p)| p.clone())
    }

    /// The organizer as the report shows it, with the lines to add (`None` without a link).
    fn into_uncovered(self, organizer_entry: bool) -> Option<Uncovered> {
        let home = self.home();
        let (_, link) = self.link?;
        let name = self.name.map_or_else(|| link.clone(), |(_, n)| n);
        let reach = match (self.on_calendar > 0, !self.sections.is_empty()) {
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
            sections: self.sections.len(),
            last_seen: self.latest,
            suggestion_kind,
            suggestion,
            also: self.also,
        })
    }
}

/// A TOML basic string: quoted and escaped, so that no text from a source can end the string
/// or add a line to the file.
pub(super) fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// Hosts of call, chat, video, social, form and code links: no events to read there (also
/// `add`'s), and the words to say so.
pub(crate) fn without_events(host: &str) -> Option<&'static str> {
    elsewhere::category(host).map(Elsewhere::description)
}

/// The lines to add for an organizer printed as `name` with `link`, based in `home`.
/// Returns the kind, the organizer's page (a meetup group's or luma calendar's page in its
/// plain form) and the lines.
fn suggest(link: &str, name: &str, home: Option<&str>) -> (SuggestionKind, String, String) {
    let host = link::parts(link).map(|p| p.host).unwrap_or_default();
    let mut lines: Vec<String> = Vec::new();
    // As `add` (and `health --fix`) will take the URL: the kind that claims it, else a page.
    let claimed = match kind::claim_url(link) {
        Some((k, kind::Claim::Source { url, .. })) => Some((k, url)),
        _ => None,
    };
    let (kind, url) = if let Some((k, url)) = claimed {
        (SuggestionKind::Source(k.kind()), url)
    } else if host == platform::EVENTBRITE {
        lines.push("# eventbrite organizer pages carry no event data: this names the organizer of its calendar entries".to_string());
        (SuggestionKind::Organizer, link::without_tracking(link))
    } else if let Some(what) = without_events(&host) {
        lines.push(format!(
            "# {what}: no events to read; this names the organizer of its calendar entries"
        ));
        (SuggestionKind::Organizer, link::without_tracking(link))
    } else {
        lines.push(
            "# only if the page carries schema.org Event JSON-LD (check it); else an [[organizer]] entry"
                .to_string(),
        );
        (
            SuggestionKind::Source(kind::page_kind().kind()),
            link::without_tracking(link),
        )
    };
    let kind_name = match kind {
        SuggestionKind::Source(k) => Some(k.as_str()),
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A GitHub organisation is a code host's page, not "a chat, video, social or form link".
    #[test]
    fn a_code_host_and_a_chat_are_named_each_as_what_it_is() {
        let (kind, url, lines) = suggest("https://github.com/rust-lang", "Rust", None);
        assert_eq!(kind.name(), "organizer");
        assert_eq!(url, "https://github.com/rust-lang");
        assert_eq!(
            lines,
            "# a code host's page: no events to read; this names the organizer of its calendar entries\n\
             [[organizer]]\nurl = \"https://github.com/rust-lang\"\nname = \"Rust\""
        );
        let (_, _, lines) = suggest("https://discord.gg/abc", "Rust Chat", None);
        assert_eq!(
            lines.lines().next(),
            Some(
                "# a chat, video, social or form link: no events to read; this names the organizer of its calendar entries"
            )
        );
    }
}
