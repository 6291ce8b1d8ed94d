//! What one run says of each source: failed, gone, redirected, read through a fallback,
//! suspect, silent; and groups listed twice.

use super::uncovered::toml_string;
use super::{
    Duplicate, Failed, Fallback, Gone, Health, Redirected, Silent, Suspect, group_of, source_group,
    source_ref, under,
};
use crate::config::{Config, Source};
use crate::link;
use crate::newsletter::read::CorpusEntry;
use crate::pipeline::SourceReport;
use crate::sources::kind::Redirect;
use crate::text;
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// What the run says of each source, into `health`: failed or gone; else redirected, read
/// through a fallback, suspect; else silent when nothing was listed or published (the latest
/// section each group was published in: `last_published`) since `silent_since`.
pub(super) fn judge_sources(
    health: &mut Health,
    reports: &[(&Source, &SourceReport)],
    last_published: &HashMap<String, NaiveDate>,
    silent_since: NaiveDate,
) {
    for (s, r) in reports {
        let source = source_ref(s);
        if let Some(error) = r.failure() {
            match r.http_status() {
                Some(status @ (404 | 410)) => health.gone.push(Gone { source, status }),
                _ => health.failed.push(Failed {
                    source,
                    error: text::clean(&error.to_string(), 500),
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
        if let Some(reason) = r.suspect() {
            health.suspect.push(Suspect {
                source,
                reason: text::clean(&reason.to_string(), 500),
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
}

/// The latest section (of all read, on or before `today`) each group was published in, for
/// `silent`.
pub(super) fn last_published(
    sections: &[(NaiveDate, Vec<CorpusEntry>)],
    today: NaiveDate,
) -> HashMap<String, NaiveDate> {
    let mut last_published: HashMap<String, NaiveDate> = HashMap::new();
    for (date, entries) in sections.iter().filter(|(d, _)| *d <= today) {
        for o in entries.iter().flat_map(|e| &e.organizers) {
            if let Some(g) = group_of(&o.url) {
                let d = last_published.entry(g).or_insert(*date);
                *d = (*d).max(*date);
            }
        }
    }
    last_published
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
    match s.kind.spec().redirect(&to) {
        Redirect::Renamed { url, .. } => Some(url),
        Redirect::NotARename => None,
        Redirect::NewAddress => Some(link::without_tracking(&to)),
    }
}

/// Sources that stand for the same group: the same group under two URL forms, a page and
/// its feed, or one whose URL redirects to another's.
pub(super) fn duplicates(config: &Config, reports: &[(&Source, &SourceReport)]) -> Vec<Duplicate> {
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
