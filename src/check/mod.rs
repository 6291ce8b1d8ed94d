//! For organizers: "does my event appear, and if not, why?" A pure search of a run's
//! [`Outcome`] for a query — an event or group URL, or words of a title or organizer name —
//! answering with every place the event shows up: listed (and where), merged into another
//! entry, mirrored, left out (cancelled, no link, …), outside the window, filtered out by a
//! source's keywords, or nowhere at all (with what to do about it).
//!
//! A source that failed (or answered suspiciously) this run may list the event: then the
//! answer says so — which source, why, what to do — instead of "add it to the calendar", and,
//! given the previous `json --out` file, what the last good run listed for the query.
//! [`exit_code`] turns the findings into the process status: 0 listed, 3 not listed (the
//! answer says why), 2 not listed while a source that may list it failed (the answer is not
//! known this run).
//!
//! Here: this file the search in named steps (shown, merged, not shown, sources not used, not
//! found, previously) and `validate_query`, which refuses an empty query, or words of fewer
//! than 3 letters or digits, before the run; `own.rs` the organizer a URL query is the own page
//! of, widened to a fixed point through the organizer directory and the organizer's sources;
//! `finding.rs` the answers and how they are said; `scope.rs` which group, calendar or page each
//! source covers (`failed_source_of`, also used by `update`).

mod finding;
mod own;
mod scope;
#[cfg(test)]
mod tests;

pub use finding::Finding;
pub use scope::{Scope, failed_source_of, scopes, under};

use crate::config::Config;
use crate::dedupe::identity::canonical;
use crate::error::exit;
use crate::model::{Event, RawEvent, Window};
use crate::newsletter::write::location_field;
use crate::pipeline::{Outcome, describe_on};
use crate::run::{PreviousEvent, PreviousRun};
use own::Own;

/// At most this many failed sources are named in one "not found" answer, and at most this
/// many entries of the previous file are quoted (a query like "rust" matches everything).
const MAX_LISTED: usize = 5;

/// What a query matches.
struct Query {
    /// The query as given.
    given: String,
    /// Trimmed.
    raw: String,
    /// Trimmed and lower case.
    text: String,
    /// Canonical, when the query is an http(s) URL.
    url: Option<String>,
    /// The organizer the URL is the own page of, with its other pages, its sources and names
    /// (`None` for words and for one event's link).
    own: Option<Own>,
}

impl Query {
    fn new(q: &str) -> Query {
        let raw = q.trim();
        let url = url::Url::parse(raw)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(|_| canonical(raw));
        Query {
            given: q.to_string(),
            raw: raw.to_string(),
            text: raw.to_lowercase(),
            url,
            own: None,
        }
    }

    /// The query, and when it is an organizer's own page, that organizer as the run and the
    /// sources file know it ([`Own`]).
    fn resolved(q: &str, outcome: &Outcome, config: &Config) -> Query {
        let mut query = Query::new(q);
        if query.url.is_some() {
            query.own = Own::of(&query.raw, outcome, config);
        }
        query
    }

    /// Whether an entry with this organizer, from these sources, is the asked organizer's.
    fn own_entry<'a>(
        &self,
        organizer_url: Option<&str>,
        organizer_name: &str,
        sources: impl IntoIterator<Item = &'a String>,
    ) -> bool {
        self.own
            .as_ref()
            .is_some_and(|o| o.entry(organizer_url, organizer_name, sources))
    }

    /// Whether the source labelled `label` is the asked organizer's own.
    fn own_source(&self, label: &str) -> bool {
        self.own.as_ref().is_some_and(|o| o.has_source(label))
    }

    fn url_matches(&self, url: &str) -> bool {
        let Some(q) = &self.url else { return false };
        let u = canonical(url);
        u == *q || u.starts_with(&format!("{q}/"))
    }

    fn text_matches(&self, text: &str) -> bool {
        self.url.is_none() && !self.text.is_empty() && text.to_lowercase().contains(&self.text)
    }

    /// Words of the query and a source's label (or organizer name) name the same group:
    /// either contains the other ("Trondheim" and "Rust Trondheim").
    fn names(&self, label: &str) -> bool {
        let label = label.trim().to_lowercase();
        self.url.is_none()
            && !self.text.is_empty()
            && label.chars().count() >= 3
            && (label.contains(&self.text) || self.text.contains(&label))
    }

    /// An entry matches by its link, its organizer's link, its title or its organizer's name,
    /// or, for an organizer's page, as that organizer's ([`Own::entry`]).
    fn entry(
        &self,
        url: &str,
        organizer_url: Option<&str>,
        title: &str,
        organizer: &str,
        sources: &[String],
    ) -> bool {
        self.url_matches(url)
            || organizer_url.is_some_and(|u| self.url_matches(u))
            || self.text_matches(title)
            || self.text_matches(organizer)
            || self.own_entry(organizer_url, organizer, sources)
    }

    /// An entry of the previous file: as an event, or by a mirror's link.
    fn previous(&self, e: &PreviousEvent) -> bool {
        self.entry(
            &e.url,
            e.organizer_url.as_deref(),
            &e.title,
            &e.organizer_name,
            &e.sources,
        ) || e.mirror_urls.iter().any(|m| self.url_matches(m))
    }

    fn event(&self, e: &Event) -> bool {
        self.entry(
            &e.url,
            e.organizer.url.as_deref(),
            &e.title,
            &e.organizer.name,
            &e.sources,
        )
    }

    fn raw(&self, e: &RawEvent) -> bool {
        e.url
            .iter()
            .chain(e.links.iter())
            .any(|u| self.url_matches(u))
            || e.organizer
                .as_ref()
                .and_then(|o| o.url.as_deref())
                .is_some_and(|u| self.url_matches(u))
            || self.text_matches(&e.title)
            || e.organizer
                .as_ref()
                .is_some_and(|o| self.text_matches(&o.name))
            || self.own_entry(
                e.organizer.as_ref().and_then(|o| o.url.as_deref()),
                e.organizer.as_ref().map_or("", |o| o.name.as_str()),
                [&e.source],
            )
    }
}

fn entry_line(e: &Event) -> String {
    let dates = crate::newsletter::date_field(e.start_date, e.end_date);
    format!(
        "{dates} | {} | {} | {} <{}>",
        location_field(e),
        e.organizer.name,
        e.title,
        e.url
    )
}

/// The fewest letters or digits a query of words needs to mean something: "a" or "rs" is in
/// most titles (`check a` matched 59 entries of one run).
pub const MIN_QUERY_CHARS: usize = 3;

/// What one character of a query counts towards [`MIN_QUERY_CHARS`]: a letter or digit 1, a
/// CJK ideograph, kana or hangul syllable 2 (one such character is a syllable or a word: 東京
/// and 서울 are names), anything else 0. Hand-written: the blocks are few and fixed, and no
/// crate in the tree has Unicode scripts.
fn query_weight(c: char) -> usize {
    match u32::from(c) {
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF => {
            2
        }
        _ if c.is_alphanumeric() => 1,
        _ => 0,
    }
}

/// Whether `query` can be searched for: not empty or blank, and a URL or words with at least
/// [`MIN_QUERY_CHARS`] letters or digits. `Err` says why not and what to give instead (bad
/// input, checked before the run).
pub fn validate_query(query: &str) -> Result<(), String> {
    const GIVE: &str =
        "give an event or group URL, or words of its title or organizer (e.g. \"Rust Trondheim\")";
    let q = Query::new(query);
    if q.raw.is_empty() {
        return Err(format!("the query is empty: {GIVE}"));
    }
    let letters: usize = q.raw.chars().map(query_weight).sum();
    if q.url.is_none() && letters < MIN_QUERY_CHARS {
        return Err(format!(
            "the query {:?} is too short to mean anything ({letters} letters or digits, at least {MIN_QUERY_CHARS} needed): {GIVE}",
            q.raw
        ));
    }
    Ok(())
}

/// Everything the run knows about `query`, most relevant first. `config`: the run's sources
/// file (its sources tell [`scopes`], its sources and `[[organizer]]` entries which
/// organizer's page a URL is; may be empty); `previous`: the previous `json --out` file, quoted
/// when the event is not listed now.
pub fn check(
    outcome: &Outcome,
    window: &Window,
    query: &str,
    config: &Config,
    previous: Option<&PreviousRun>,
) -> Vec<Finding> {
    let q = Query::resolved(query, outcome, config);
    let mut out = shown(&q, outcome);
    if out.is_empty() {
        out.extend(merged(&q, outcome));
    }
    out.extend(not_shown(&q, outcome, *window));
    let listed = out.iter().any(Finding::is_listed);
    // What the previous file listed for the query, and from which sources.
    let before: Vec<&PreviousEvent> = previous
        .map(|p| p.events.iter().filter(|e| q.previous(e)).collect())
        .unwrap_or_default();
    let scopes = scopes(outcome, &config.sources);
    if !listed {
        out.extend(sources_not_used(&q, outcome, &scopes, &before));
    }
    if out.is_empty() {
        out.push(not_found(&q, outcome, &scopes));
    }
    if let Some(p) = previous
        && !listed
    {
        let unknown = out.iter().any(Finding::answer_unknown);
        out.extend(previously(p, &before, unknown));
    }
    out
}

/// The entries printed for the query: listed, or as a mirror of another entry.
fn shown(q: &Query, outcome: &Outcome) -> Vec<Finding> {
    let mut out = Vec::new();
    for e in &outcome.events {
        if q.event(e) {
            out.push(Finding::Listed {
                date: e.start_date.to_string(),
                sections: e.regions.iter().map(|r| r.title()).collect(),
                entry: entry_line(e),
            });
        }
        for m in &e.mirrors {
            let mirror_matches = q.url_matches(&m.url)
                || m.organizer.url.as_deref().is_some_and(|u| q.url_matches(u))
                || q.text_matches(&m.organizer.name)
                || q.own_entry(m.organizer.url.as_deref(), &m.organizer.name, []);
            if mirror_matches && !q.event(e) {
                out.push(Finding::Mirrored {
                    label: m.label.clone(),
                    of: entry_line(e),
                });
            }
        }
    }
    out
}

/// The query's events merged into another entry (asked when none is shown itself).
fn merged(q: &Query, outcome: &Outcome) -> Vec<Finding> {
    outcome
        .merges
        .iter()
        .filter(|m| {
            let a = &m.absorbed;
            q.url_matches(&a.url)
                || q.text_matches(&a.title)
                || q.text_matches(&a.organizer)
                || q.own_entry(None, &a.organizer, &a.sources)
        })
        .map(|m| Finding::Merged {
            into: format!(
                "{} \"{}\" <{}>",
                m.kept.start_date, m.kept.title, m.kept.url
            ),
            evidence: m.evidence.to_string(),
        })
        .collect()
}

/// The query's events the run knows but does not print: left out, outside the window,
/// filtered by keywords.
fn not_shown(q: &Query, outcome: &Outcome, window: Window) -> Vec<Finding> {
    // Matched on each source's entry (its own source name), then said once per event.
    let matching = outcome.dropped.iter().filter(|left| q.raw(&left.event));
    let left_out = crate::run::left_out_once(matching)
        .into_iter()
        .map(|left| Finding::LeftOut {
            what: describe_on(&left.event, left.date),
            reason: left.reason,
        });
    let outside = outcome
        .outside_window
        .iter()
        .filter(|e| q.event(e))
        .map(|e| Finding::OutsideWindow {
            what: format!("\"{}\" on {} <{}>", e.title, e.start_date, e.url),
            window,
        });
    let filtered = outcome
        .filtered
        .iter()
        .filter(|f| q.raw(&f.event))
        .map(|f| Finding::Filtered {
            what: f.to_string(),
        });
    left_out.chain(outside).chain(filtered).collect()
}

/// The failed or suspect sources that would list the query: by their group, calendar or
/// page, by their name, or because the previous file's matching entries (`before`) came
/// from them.
fn sources_not_used(
    q: &Query,
    outcome: &Outcome,
    scopes: &[Scope],
    before: &[&PreviousEvent],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in scopes {
        let r = &outcome.reports[s.index];
        if r.trusted() {
            continue;
        }
        let by_page = s
            .page
            .as_deref()
            .is_some_and(|page| q.url.is_some() && (under(&q.raw, page) || under(page, &q.raw)));
        let by_name = q.url.is_none() && q.names(&r.label);
        let by_previous = before.iter().any(|e| {
            e.sources.contains(&r.label)
                || s.page.as_deref().is_some_and(|page| {
                    under(&e.url, page)
                        || e.organizer_url.as_deref().is_some_and(|o| under(o, page))
                })
        });
        if q.url_matches(&r.url) || by_page || by_name || by_previous || q.own_source(&r.label) {
            out.push(Finding::SourceNotUsed {
                label: r.label.clone(),
                url: r.url.clone(),
                suspect: r.failure().is_none(),
                why: r.why_not_used().unwrap_or_default(),
            });
        }
    }
    out
}

/// Nothing matches: which sources that were not used may hold it.
fn not_found(q: &Query, outcome: &Outcome, scopes: &[Scope]) -> Finding {
    // A query that names a source that answered (its group's URL, its name) can only be
    // held by it or by a many-organizer feed: the other groups' failures are no excuse.
    let narrowed = scopes.iter().any(|s| {
        let r = &outcome.reports[s.index];
        r.trusted()
            && (q.own_source(&r.label)
                || s.page.as_deref().is_some_and(|page| {
                    (q.url.is_some() && under(&q.raw, page)) || q.names(&r.label)
                }))
    });
    Finding::NotFound {
        query: q.given.clone(),
        unavailable: scopes
            .iter()
            .filter(|s| !narrowed || s.page.is_none())
            .map(|s| &outcome.reports[s.index])
            .filter(|r| !r.trusted())
            .map(|r| (r.label.clone(), r.why_not_used().unwrap_or_default()))
            .collect(),
    }
}

/// What the previous file listed for the query (`before`), or, when the answer is unknown
/// this run, that it listed nothing either.
fn previously(p: &PreviousRun, before: &[&PreviousEvent], unknown: bool) -> Vec<Finding> {
    let generated_at = crate::text::clean(&p.generated_at, 40);
    let mut out: Vec<Finding> = before
        .iter()
        .take(MAX_LISTED)
        .map(|e| Finding::Previously {
            generated_at: generated_at.clone(),
            entry: Some(previous_line(e)),
            stale: e.stale,
        })
        .collect();
    if before.is_empty() && unknown {
        out.push(Finding::Previously {
            generated_at,
            entry: None,
            stale: false,
        });
    }
    out
}

/// One entry of a previous file, as `check` prints it. The file may have been edited: its
/// text is cleaned and a link that is not http(s) is not printed.
fn previous_line(e: &PreviousEvent) -> String {
    use crate::text::{MAX_NAME, MAX_PLACE, MAX_TITLE, clean};
    let dates = crate::newsletter::date_field(e.start_date, e.end_date);
    format!(
        "{dates} | {} | {} | {} <{}>",
        clean(&e.location, MAX_PLACE * 3),
        clean(&e.organizer_name, MAX_NAME),
        clean(&e.title, MAX_TITLE),
        crate::link::safe(&e.url).unwrap_or_else(|| "no valid link".to_string())
    )
}

/// The exit status of `check`: 0 when the event is listed; 2 when it is not and a source that
/// may list it failed or answered suspiciously (unknown this run); 3 when it is not listed
/// (the findings say why).
pub fn exit_code(findings: &[Finding]) -> u8 {
    if findings.iter().any(Finding::is_listed) {
        exit::OK
    } else if findings.iter().any(Finding::answer_unknown) {
        exit::SOURCE_FAILED
    } else {
        exit::NOT_LISTED
    }
}
