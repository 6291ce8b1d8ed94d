//! Which source covers what: the group, calendar or page each source lists events under,
//! to tell which failed source may hold an event or a query (for `check` and `update`).

use crate::config::Source;
use crate::dedupe::identity::{canonical, group_key};
use crate::pipeline::{Outcome, SourceReport, fetch_url};
use crate::site::{luma_com, meetup_com, platform};
use crate::sources::kind::ReportPage;

/// What one source of the run would list, to tell which source an event or a query belongs
/// to when that source failed.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// Index of the source's report in `Outcome::reports`.
    pub index: usize,
    /// The organizer page every event of the source hangs under (a meetup group, a luma
    /// calendar, an organizer's page or feed's organizer); `None` for a many-organizer feed (the
    /// community calendar), which may list anything.
    pub page: Option<String>,
}

/// The scope of every report of `outcome`. `sources` is the run's sources file (the reports
/// are in its order); without it (or for a report it does not explain) the scope is read
/// from the report's URL: a meetup group's page or feed is that group's, a luma calendar or a
/// page is its own, any other feed may list anything.
pub fn scopes(outcome: &Outcome, sources: &[Source]) -> Vec<Scope> {
    outcome
        .reports
        .iter()
        .enumerate()
        .map(|(index, r)| {
            let page = match source_of(index, r, sources) {
                Some(s) => s.organizer_page(),
                None => page_of_report(r),
            };
            Scope { index, page }
        })
        .collect()
}

/// The source of the sources file that report `index` of a run is about (the reports are in
/// the file's order; a report that does not fit its place is looked for by URL and label).
pub(super) fn source_of<'a>(
    index: usize,
    r: &SourceReport,
    sources: &'a [Source],
) -> Option<&'a Source> {
    let fits = |s: &&Source| fetch_url(s) == r.url && s.label() == r.label;
    sources
        .get(index)
        .filter(fits)
        .or_else(|| sources.iter().find(fits))
}

fn page_of_report(r: &SourceReport) -> Option<String> {
    match r.kind.spec().report_page() {
        ReportPage::OwnUrl => Some(r.url.clone()),
        ReportPage::MeetupGroupOfFeed => group_key(&r.url)
            .as_deref()
            .and_then(meetup_com::group_of_key)
            .map(meetup_com::group_page),
    }
}

/// Whether `url` is `page` or under it: on meetup, the same group (event links carry their
/// group, whatever the locale or case); elsewhere the same host and a path under the page's.
pub fn under(url: &str, page: &str) -> bool {
    let (Some(u), Some(p)) = (crate::link::parts(url), crate::link::parts(page)) else {
        return false;
    };
    if u.host != p.host {
        return false;
    }
    if u.host == meetup_com::HOST {
        // A group's page, its events list and its feed are all the group's.
        return p.meetup_group().is_some() && u.meetup_group() == p.meetup_group();
    }
    // A feed or listing page stands for its site's section: `…/events/`, `…/calendar.ics`.
    let mut page_path = p.segments.as_slice();
    while let Some((last, rest)) = page_path.split_last() {
        let last = last.to_ascii_lowercase();
        let ics = last.rsplit_once('.').is_some_and(|(_, ext)| ext == "ics");
        if matches!(last.as_str(), "events" | "ical" | "calendar") || ics {
            page_path = rest;
        } else {
            break;
        }
    }
    // The root of a platform where many organizers have pages is nobody's page.
    if page_path.is_empty() && matches!(u.host.as_str(), luma_com::HOST | platform::EVENTBRITE) {
        return false;
    }
    page_path.len() <= u.segments.len() && page_path.iter().zip(&u.segments).all(|(a, b)| a == b)
}

/// The untrusted source (index into `outcome.reports`) that would list an entry with this
/// event link and organizer: the failed source whose page the links are under, else, when a
/// many-organizer feed failed, that feed (it may list anything). `None` when the entry's
/// source is not known to have failed.
pub fn failed_source_of(
    outcome: &Outcome,
    scopes: &[Scope],
    url: &str,
    organizer_url: Option<&str>,
    organizer_name: &str,
) -> Option<usize> {
    let untrusted = || {
        scopes
            .iter()
            .filter(|s| outcome.reports.get(s.index).is_some_and(|r| !r.trusted()))
    };
    let name = organizer_name.trim().to_lowercase();
    untrusted()
        .find(|s| {
            let r = &outcome.reports[s.index];
            let by_page = s.page.as_deref().is_some_and(|page| {
                under(url, page) || organizer_url.is_some_and(|o| under(o, page))
            });
            by_page
                || canonical(url) == canonical(&r.url)
                || (s.page.is_some() && !name.is_empty() && r.label.to_lowercase() == name)
        })
        .or_else(|| untrusted().find(|s| s.page.is_none()))
        .map(|s| s.index)
}
