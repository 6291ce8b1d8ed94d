//! A `check` answer ([`Finding`]) and how it is said.

use super::MAX_LISTED;
use crate::model::Window;
use std::fmt;

/// One answer to a query.
#[derive(Debug, Clone, PartialEq)]
pub enum Finding {
    /// Printed in these sections, as this entry.
    Listed {
        date: String,
        sections: Vec<&'static str>,
        entry: String,
    },
    /// Printed as a mirror of another entry.
    Mirrored { label: String, of: String },
    /// Merged into another entry (which is printed), with the evidence.
    Merged { into: String, evidence: String },
    /// Known but left out of the section, with the reason.
    LeftOut { what: String, reason: String },
    /// Known, but on a date outside the window.
    OutsideWindow { what: String, window: Window },
    /// The source's keywords did not match it.
    Filtered { what: String },
    /// The source that would list it (its group, calendar or page, or its organizer's name
    /// matches the query) was not used this run (failed, or suspect).
    SourceNotUsed {
        label: String,
        url: String,
        suspect: bool,
        why: String,
    },
    /// What the previous `json --out` file (written at `generated_at`) listed for the query;
    /// `entry` is `None` when it listed nothing matching. `stale`: that entry was itself
    /// carried over from an earlier run.
    Previously {
        generated_at: String,
        entry: Option<String>,
        stale: bool,
    },
    /// No source that answered reported anything like it; the `unavailable` sources (label,
    /// why) failed or were suspect this run and may hold it.
    NotFound {
        query: String,
        unavailable: Vec<(String, String)>,
    },
}

impl Finding {
    /// Whether this finding means the event is in the section.
    pub fn is_listed(&self) -> bool {
        matches!(
            self,
            Finding::Listed { .. } | Finding::Mirrored { .. } | Finding::Merged { .. }
        )
    }

    /// Whether this finding means the run cannot tell: a source that may list the event
    /// failed or answered suspiciously.
    pub fn answer_unknown(&self) -> bool {
        match self {
            Finding::SourceNotUsed { .. } => true,
            Finding::NotFound { unavailable, .. } => !unavailable.is_empty(),
            _ => false,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Listed {
                date,
                sections,
                entry,
            } => write!(
                f,
                "listed on {date} under {}: {entry}",
                sections.join(" and ")
            ),
            Finding::Mirrored { label, of } => write!(f, "listed as the {label} of {of}"),
            Finding::Merged { into, evidence } => write!(
                f,
                "listed once, merged with another entry for the same event: {into} ({evidence})"
            ),
            Finding::LeftOut { what, reason } => write!(f, "not listed: {what}: {reason}"),
            Finding::OutsideWindow { what, window } => write!(
                f,
                "not listed: {what} is outside the window {} - {}",
                window.from, window.to
            ),
            Finding::Filtered { what } => write!(
                f,
                "not listed: {what} does not mention the keywords its group is filtered on \
                 (put \"Rust\" in the title or description)"
            ),
            Finding::SourceNotUsed {
                label,
                url,
                suspect,
                why,
            } => write_source_not_used(f, label, url, *suspect, why),
            Finding::Previously {
                generated_at,
                entry,
                stale,
            } => match entry {
                Some(entry) => write!(
                    f,
                    "previously: the run of {generated_at} listed {entry}{}",
                    if *stale {
                        " (carried over then from an earlier run)"
                    } else {
                        ""
                    }
                ),
                None => write!(
                    f,
                    "previously: the run of {generated_at} listed nothing matching either"
                ),
            },
            Finding::NotFound { query, unavailable } if unavailable.is_empty() => write!(
                f,
                "not found: no source lists anything matching {query:?}. Add the event to the \
                 Rust Community Calendar with a link to its page, or ask for its group to be \
                 added to sources.toml"
            ),
            Finding::NotFound { query, unavailable } => write_unknown(f, query, unavailable),
        }
    }
}

/// The answer when the source that would list the event was not used this run.
fn write_source_not_used(
    f: &mut fmt::Formatter<'_>,
    label: &str,
    url: &str,
    suspect: bool,
    why: &str,
) -> fmt::Result {
    if suspect {
        write!(
            f,
            "unknown: its source {label} answered suspiciously this run ({why}), so \
             this run cannot tell whether it is listed. Run the check again later; if \
             it stays so, open <{url}> and check that it still lists the events"
        )
    } else {
        write!(
            f,
            "unknown: its source {label} failed this run ({why}), so this run cannot \
             tell whether it is listed. Run the check again later; if it keeps \
             failing, open <{url}> (a renamed or removed group? then update \
             sources.toml)"
        )
    }
}

/// The answer when nothing matches but some sources (label, why) were not used this run.
fn write_unknown(
    f: &mut fmt::Formatter<'_>,
    query: &str,
    unavailable: &[(String, String)],
) -> fmt::Result {
    let named: Vec<String> = unavailable
        .iter()
        .take(MAX_LISTED)
        .map(|(label, why)| format!("{label} ({why})"))
        .collect();
    write!(
        f,
        "unknown: no source that answered lists anything matching {query:?}, but {} \
         this run and may list it: {}",
        match unavailable.len() {
            1 => "1 source failed or answered suspiciously".to_string(),
            n => format!("{n} sources failed or answered suspiciously"),
        },
        named.join("; ")
    )?;
    if unavailable.len() > MAX_LISTED {
        write!(
            f,
            "; and {} more (--verbose lists every source)",
            unavailable.len() - MAX_LISTED
        )?;
    }
    write!(
        f,
        ". Run the check again later; add the event to the Rust Community Calendar \
         only if it is still not found when every source answers"
    )
}
