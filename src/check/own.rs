//! The organizer a URL query names, when it is an organizer's own page: a meetup group in any
//! form (`m.meetup.com`, `/de-DE/`, `/events/`, its feed, any case, a query string), a luma
//! calendar by its slug (`luma.com/<slug>`, `lu.ma/<slug>`) or its id
//! (`luma.com/calendar/cal-…`), a profile, an organizer's own site. Organizers ask `check`
//! with the address they know themselves by, which is often not the one their events print:
//! a luma calendar's events link its slug while the organizer pastes its `cal-…` page, the
//! directory links a conference's site while its events hang under a luma calendar of the
//! same name, a renamed meetup group's events hang under the new name.
//!
//! So the query's page is widened to every page the run knows for that organizer: the
//! `[[organizer]]` entries and the organizer directory (`normalize::Directory`: the sources
//! file, the published sections, the compiled corpus) whose page the query is (or is above),
//! and, to a fixed point, the sources whose page is one of those (their URL, their organizer
//! page, the page their feed implies, where they redirected, the other addresses their answer
//! gave: [`crate::run::SourceReport::also_at`]). Pages are compared as
//! [`crate::link::group_of`] has them.

use super::scope::source_of;
use crate::config::Config;
use crate::link::{group_of, is_platform_root};
use crate::normalize::{Directory, name_key};
use crate::pipeline::Outcome;

/// One organizer's pages, sources and names, as a URL query names it.
#[derive(Debug, Clone, Default, PartialEq)]
pub(super) struct Own {
    /// Its pages, as [`group_of`] has them (the query's and the page its feed implies first).
    groups: Vec<String>,
    /// The labels of its own sources: every event they list is its.
    labels: Vec<String>,
    /// Its names as the directory and the sources file give them ([`name_key`]).
    names: Vec<String>,
}

/// What one source or directory entry knows of an organizer.
struct Candidate {
    groups: Vec<String>,
    label: Option<String>,
    name: Option<String>,
}

impl Own {
    /// The organizer whose own page `url` is, with every page, source and name the run and
    /// `config` know for it; `None` when `url` names one event (a meetup event link: the
    /// existing answers for event links stand) or no page (meetup's or luma's root, a
    /// platform's home page).
    pub(super) fn of(url: &str, outcome: &Outcome, config: &Config) -> Option<Own> {
        if crate::site::meetup_com::event_id(url).is_some() || is_platform_root(url) {
            return None;
        }
        // A feed stands for the page it implies (a meetup group's, a luma calendar's).
        let groups = std::iter::once(group_of(url)?)
            .chain(crate::site::feed_organizer_page(url).and_then(|p| group_of(&p)))
            .collect();
        let mut own = Own {
            groups,
            ..Own::default()
        };
        let mut candidates = source_candidates(outcome, config);
        // The directory's organizers: one whose page the query is (or is above) is the one
        // asked about (not one whose page is above the query: a conference site's talk page
        // names one talk).
        candidates.extend(Directory::from_config(config).organizers().filter_map(|k| {
            Some(Candidate {
                groups: vec![group_of(k.organizer.url.as_deref()?)?],
                label: None,
                name: Some(k.organizer.name.clone()),
            })
        }));
        // To a fixed point: a source found through an alias brings its own pages.
        loop {
            let (taken, rest): (Vec<Candidate>, Vec<Candidate>) = candidates
                .into_iter()
                .partition(|c| c.groups.iter().any(|g| own.has_group(g)));
            if taken.is_empty() {
                break;
            }
            for c in taken {
                own.take(c);
            }
            candidates = rest;
        }
        Some(own)
    }

    fn take(&mut self, c: Candidate) {
        for g in c.groups {
            if !self.groups.contains(&g) {
                self.groups.push(g);
            }
        }
        self.labels.extend(c.label);
        self.names
            .extend(c.name.map(|n| name_key(&n)).filter(|n| !n.is_empty()));
    }

    /// Whether the page `group` is one of the organizer's (or below one).
    fn has_group(&self, group: &str) -> bool {
        self.groups.iter().any(|g| covers(g, group))
    }

    /// Whether an entry with this organizer (link, name) from these sources is the
    /// organizer's: its organizer link is one of its pages, its organizer's name one of its
    /// names, or one of its own sources listed it.
    pub(super) fn entry<'a>(
        &self,
        organizer_url: Option<&str>,
        organizer_name: &str,
        sources: impl IntoIterator<Item = &'a String>,
    ) -> bool {
        organizer_url
            .and_then(group_of)
            .is_some_and(|g| self.has_group(&g))
            || self.names.contains(&name_key(organizer_name))
            || sources.into_iter().any(|s| self.labels.contains(s))
    }

    /// Whether the source labelled `label` is one of the organizer's own.
    pub(super) fn has_source(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }
}

/// Every source of one organizer, with the pages it goes by and its name.
fn source_candidates(outcome: &Outcome, config: &Config) -> Vec<Candidate> {
    outcome
        .reports
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            let source = source_of(index, r, &config.sources)?;
            let page = source.organizer_page()?;
            let groups = [Some(source.url.clone()), Some(page)]
                .into_iter()
                .flatten()
                .chain(crate::config::implied_organizer(&source.url))
                .chain(r.redirected_to.clone())
                .chain(r.also_at.iter().cloned())
                .filter(|u| !is_platform_root(u))
                .filter_map(|u| group_of(&u))
                .collect();
            Some(Candidate {
                groups,
                label: Some(r.label.clone()),
                name: source.name.clone(),
            })
        })
        .collect()
}

/// Whether the page `group` is `page` or below it (both as [`group_of`] has them).
fn covers(page: &str, group: &str) -> bool {
    group == page || (group.starts_with(page) && group.as_bytes().get(page.len()) == Some(&b'/'))
}
