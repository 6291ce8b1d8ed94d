//! The per-source report and the review report on stderr, as loud as [`Verbosity`] says.

use super::Common;
use crate::dedupe::Evidence;
use crate::pipeline::{Outcome, SourceReport};

/// How much goes to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// Errors only: failed and suspect sources, fatal errors.
    Quiet,
    /// The per-source lines, the review report (with counts), the summary.
    Normal,
    /// Also every warning and every merge.
    Verbose,
}

impl Common {
    pub fn verbosity(&self) -> Verbosity {
        if self.quiet {
            Verbosity::Quiet
        } else if self.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        }
    }
}

/// The per-source report and the review report, on stderr, sized to be read: by default
/// what needs an editor's eye, listed (failed and suspect sources, fallbacks and redirects,
/// corrections made by event pages, calendar entries whose page could not be used, entries
/// left out, possible duplicates, guesses), then what went well as counts (sources ok, merges,
/// mirrors, warnings); verbose lists those too. Quiet: failed and suspect sources only.
pub(super) fn report(outcome: &Outcome, verbosity: Verbosity) {
    for r in &outcome.reports {
        report_source(r, verbosity);
    }
    if verbosity == Verbosity::Quiet {
        return;
    }
    let verbose = verbosity == Verbosity::Verbose;
    review_counts(outcome);
    review_groups(outcome);
    merges_and_notes(outcome, verbose);
    summary(outcome, verbose);
}

/// One source's line (`ok`, `FAILED`, `SUSPECT`), then its fallback, redirect and (verbose)
/// warnings. An `ok` source is listed only when verbose or when it was read through a
/// fallback or redirected (the source list needs a look); quiet: failed and suspect sources
/// only, one line each.
fn report_source(r: &SourceReport, verbosity: Verbosity) {
    let worth_a_look = r.fallback.is_some() || r.redirected_to.is_some();
    match (r.failure(), r.suspect()) {
        (None, Some(why)) => note!(
            "SUSPECT {:<5} {}: {} events; {why}",
            r.kind.as_str(),
            r.label,
            r.events
        ),
        (Some(e), _) => note!("FAILED {:<6} {}: {e}", r.kind.as_str(), r.label),
        (None, None) if verbosity == Verbosity::Quiet => return,
        (None, None) if verbosity == Verbosity::Normal && !worth_a_look => return,
        (None, None) => note!(
            "ok     {:<6} {}: {} events{}",
            r.kind.as_str(),
            r.label,
            r.events,
            if r.warnings.is_empty() {
                String::new()
            } else {
                format!(", {} warnings", r.warnings.len())
            }
        ),
    }
    if verbosity == Verbosity::Quiet {
        return;
    }
    if let Some(why) = &r.fallback {
        note!("       fallback: {why}");
    }
    if let Some(to) = &r.redirected_to {
        note!("       redirected to {to} (a renamed group or calendar? update sources.toml)");
    }
    if verbosity == Verbosity::Verbose {
        for w in &r.warnings {
            note!("       warning: {w}");
        }
    }
}

/// `review: 1 failed or suspect sources, 2 corrections by event pages, …`.
fn review_counts(outcome: &Outcome) {
    let failed = outcome.failed_sources() + outcome.suspect_sources();
    let review = [
        ("failed or suspect sources", failed),
        ("corrections by event pages", outcome.corrections.len()),
        ("unverified calendar entries", outcome.unverified.len()),
        ("left out", outcome.dropped.len()),
        ("possible duplicates", outcome.possible_duplicates.len()),
    ];
    let to_review: Vec<String> = review
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("{n} {what}"))
        .collect();
    if to_review.is_empty() {
        note!("review: nothing to review");
    } else {
        note!("review: {}", to_review.join(", "));
    }
}

/// A group's heading with its count (`== left out (3)`), when it has any.
fn section(title: &str, n: usize) {
    if n > 0 {
        note!("== {title} ({n})");
    }
}

/// The groups to review, each under its heading: corrections, unverified entries, entries
/// left out, possible duplicates.
fn review_groups(outcome: &Outcome) {
    section("corrections by event pages", outcome.corrections.len());
    for c in &outcome.corrections {
        note!(
            "corrected: {}: {} was {:?} in the calendar, {:?} on its page",
            c.event,
            c.field,
            c.calendar,
            c.page
        );
    }
    section("unverified calendar entries", outcome.unverified.len());
    for u in &outcome.unverified {
        note!("unverified: {u}");
    }
    section("left out", outcome.dropped.len());
    for left in &outcome.dropped {
        note!("left out: {left}");
    }
    section("possible duplicates", outcome.possible_duplicates.len());
    for p in &outcome.possible_duplicates {
        note!("possible duplicate: {p}");
    }
}

/// The notes (guesses an editor should check, what the fetcher says), then the merges and
/// mirrors: listed when verbose, else counted on one line.
fn merges_and_notes(outcome: &Outcome, verbose: bool) {
    section("notes", outcome.notes.len());
    for n in &outcome.notes {
        note!("note: {n}");
    }
    if verbose {
        section("merged duplicates and mirrors", outcome.merges.len());
        for m in &outcome.merges {
            note!("{m}");
        }
        return;
    }
    let counts = MergeCounts::of(outcome);
    if counts.total() > 0 {
        note!("{counts}; --verbose lists them with their evidence");
    }
}

/// How many entries were merged away, by kind of evidence.
#[derive(Debug, Default, PartialEq, Eq)]
struct MergeCounts {
    /// Listed twice with the same event link (the calendar and the group page).
    same_link: usize,
    /// Duplicates found on other evidence (dates, place, titles, organizers).
    other: usize,
    /// Sessions streamed by several groups, folded into one entry with mirror links.
    mirrors: usize,
}

impl MergeCounts {
    fn of(outcome: &Outcome) -> MergeCounts {
        let mut counts = MergeCounts::default();
        for m in &outcome.merges {
            match m.evidence {
                Evidence::SameLink { .. } | Evidence::SameLinkPageDate { .. } => {
                    counts.same_link += 1;
                }
                Evidence::Mirror { .. } => counts.mirrors += 1,
                _ => counts.other += 1,
            }
        }
        counts
    }

    fn total(&self) -> usize {
        self.same_link + self.other + self.mirrors
    }
}

impl std::fmt::Display for MergeCounts {
    /// `merged: 29 entries listed twice with the same event link, 11 other duplicates, 15
    /// mirrored sessions`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "merged: {} entries listed twice with the same event link, {} other duplicates, {} mirrored sessions",
            self.same_link, self.other, self.mirrors
        )
    }
}

/// The sources that answered well and their warnings (counted unless verbose, which listed
/// them), then the last line: events in the window, sources failed and suspect.
fn summary(outcome: &Outcome, verbose: bool) {
    let warnings: usize = outcome.reports.iter().map(|r| r.warnings.len()).sum();
    if !verbose {
        let ok = outcome.reports.iter().filter(|r| r.trusted()).count();
        if warnings > 0 {
            note!(
                "{ok} sources ok, with {warnings} warnings (skipped or repaired entries); --verbose lists them"
            );
        } else {
            note!("{ok} sources ok; --verbose lists them");
        }
    }
    let suspect = outcome.suspect_sources();
    note!(
        "{} events in the window; {} of {} sources failed{}",
        outcome.events.len(),
        outcome.failed_sources(),
        outcome.reports.len(),
        if suspect > 0 {
            format!(", {suspect} suspect (not taken as the truth)")
        } else {
            String::new()
        }
    );
}
