//! The per-source report and the review report on stderr, as loud as [`Verbosity`] says.

use super::Common;
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

/// The per-source report and the review report, on stderr. The review groups what an editor
/// must look at, each group with its count: failed and suspect sources, corrections made by
/// event pages, calendar entries whose page could not be used, entries left out, possible
/// duplicates; then merges (trivial same-link merges counted unless verbose) and guesses.
/// Quiet: failed and suspect sources only.
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
/// warnings. Quiet: failed and suspect sources only, one line each.
fn report_source(r: &SourceReport, verbosity: Verbosity) {
    match (&r.error, &r.suspect) {
        (None, Some(why)) => note!(
            "SUSPECT {:<5} {}: {} events; {why}",
            r.kind.as_str(),
            r.label,
            r.events
        ),
        (Some(e), _) => note!("FAILED {:<6} {}: {e}", r.kind.as_str(), r.label),
        (None, None) if verbosity == Verbosity::Quiet => return,
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

/// The merges (same-link merges only counted unless verbose), then the notes.
fn merges_and_notes(outcome: &Outcome, verbose: bool) {
    let mut same_link = 0;
    let shown: Vec<&crate::dedupe::Merge> = outcome
        .merges
        .iter()
        .filter(|m| {
            let trivial =
                !verbose && matches!(m.evidence, crate::dedupe::Evidence::SameLink { .. });
            same_link += usize::from(trivial);
            !trivial
        })
        .collect();
    section("merged duplicates", shown.len());
    for m in shown {
        note!("{m}");
    }
    if same_link > 0 {
        note!(
            "merged {same_link} entries listed twice with the same event link (--verbose lists them)"
        );
    }
    section("notes", outcome.notes.len());
    for n in &outcome.notes {
        note!("note: {n}");
    }
}

/// The warnings' count (unless verbose, which listed them), then the last line: events in
/// the window, sources failed and suspect.
fn summary(outcome: &Outcome, verbose: bool) {
    let warnings: usize = outcome.reports.iter().map(|r| r.warnings.len()).sum();
    if warnings > 0 && !verbose {
        note!("{warnings} source warnings (skipped or repaired entries; --verbose lists them)");
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
