//! The per-source report and the review report on stderr, as loud as [`Verbosity`] says, and
//! the URLs a snapshot could not record. Failures that share a cause no server answered for
//! (no network: every DNS lookup failing) are said once (`shared`), not once per source.

use super::Common;
use crate::dedupe::Evidence;
use crate::fetch::record::SnapshotSummary;
use crate::pipeline::{Outcome, SourceReport};
use shared::{Failed, Shared, count};

mod shared;
#[cfg(test)]
mod tests;

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
/// what needs an editor's eye, listed (failed and suspect sources, redirects, fallbacks counted
/// per kind of source, corrections made by event pages, calendar entries whose page could not
/// be used, entries left out, possible duplicates, guesses), then what went well as counts (sources ok, merges,
/// mirrors, warnings); verbose lists those too. Quiet: failed and suspect sources only.
/// Failures sharing a cause no server answered for are said once ([`shared_failures`]).
pub(super) fn report(outcome: &Outcome, verbosity: Verbosity) {
    let shared = shared_failures(outcome);
    for line in source_lines(outcome, &shared, verbosity) {
        note!("{line}");
    }
    if verbosity == Verbosity::Quiet {
        return;
    }
    let verbose = verbosity == Verbosity::Verbose;
    review_counts(outcome);
    review_groups(outcome, &shared, verbose);
    merges_and_notes(outcome, verbose);
    summary(outcome, verbose);
}

/// The run's failures that share a cause no server answered for: the failed sources and the
/// event pages not checked, grouped by cause (a group from [`shared::MIN_SHARED`] on); all
/// of them in one group when no source answered at all (no network).
fn shared_failures(outcome: &Outcome) -> Shared {
    let sources = outcome.reports.iter().filter_map(|r| {
        Some(Failed {
            cause: r.failure()?.unreachable(),
            url: &r.url,
            page: false,
        })
    });
    let pages = outcome.unverified.iter().filter_map(|u| {
        Some(Failed {
            cause: u.unreachable,
            url: u.page.as_deref()?,
            page: true,
        })
    });
    let nothing_answered = !outcome.reports.is_empty()
        && outcome
            .reports
            .iter()
            .all(|r| r.failure().is_some_and(|f| f.unreachable().is_some()));
    Shared::of(sources.chain(pages), nothing_answered)
}

/// The sources' part of the report: a line for each shared cause (quiet: those that cost a
/// source, the error; event pages alone are a review matter), then each source's lines
/// ([`source_lines_of`]), but for the failures a shared cause said, which only verbose lists.
fn source_lines(outcome: &Outcome, shared: &Shared, verbosity: Verbosity) -> Vec<String> {
    let verbose = verbosity == Verbosity::Verbose;
    let what = |g: &shared::Group| {
        let mut parts = Vec::new();
        if g.sources > 0 {
            parts.push(format!(
                "{} could not be reached",
                count(g.sources, "source", "sources")
            ));
        }
        if g.pages > 0 {
            parts.push(format!(
                "{} not checked",
                count(g.pages, "event page", "event pages")
            ));
        }
        parts.join(" and ")
    };
    let mut lines: Vec<String> = shared
        .lines(what, verbose)
        .into_iter()
        .zip(&shared.groups)
        .filter(|(_, g)| verbosity > Verbosity::Quiet || g.sources > 0)
        .map(|(line, _)| line)
        .collect();
    for r in &outcome.reports {
        let said = r.failure().is_some_and(|f| shared.covers(f.unreachable()));
        if !said || verbose {
            lines.extend(source_lines_of(r, verbosity));
        }
    }
    if verbosity == Verbosity::Normal {
        lines.extend(fallback_lines(outcome));
    }
    lines
}

/// How many sources a fallback line names before it counts the rest.
const FALLBACKS_NAMED: usize = 3;

/// The sources read through a fallback, said once per kind of source with a count and their
/// names (the first [`FALLBACKS_NAMED`]): `fallback: 9 meetup sources were read from their
/// iCal feeds because their pages held no event data (Rust Manchester, … and 6 more);
/// --verbose says why`. Each one's reason is long and alike (meetup changing its page for
/// every group would make a line per group); verbose lists them under their sources.
fn fallback_lines(outcome: &Outcome) -> Vec<String> {
    use crate::sources::kind::WaysIn;
    let mut by_kind: Vec<(&str, WaysIn, Vec<&str>)> = Vec::new();
    for r in outcome.reports.iter().filter(|r| r.fallback.is_some()) {
        let (kind, ways) = (r.kind.as_str(), r.kind.spec().ways_in());
        match by_kind.iter_mut().find(|(k, _, _)| *k == kind) {
            Some((_, _, labels)) => labels.push(&r.label),
            None => by_kind.push((kind, ways, vec![&r.label])),
        }
    }
    by_kind
        .into_iter()
        .map(|(kind, ways, labels)| {
            let n = labels.len();
            let one = n == 1;
            let how = match ways {
                WaysIn::PageElseFeed if one => {
                    "was read from its iCal feed because its page held no event data"
                }
                WaysIn::PageElseFeed => {
                    "were read from their iCal feeds because their pages held no event data"
                }
                WaysIn::FeedThroughPage if one => {
                    "was read from the events its page lists because its feed could not be read"
                }
                WaysIn::FeedThroughPage => {
                    "were read from the events their pages list because their feeds could not be read"
                }
                WaysIn::One if one => "was read through a fallback",
                WaysIn::One => "were read through a fallback",
            };
            let named: Vec<&str> = labels.iter().take(FALLBACKS_NAMED).copied().collect();
            let more = if n > named.len() {
                format!(" and {} more", n - named.len())
            } else {
                String::new()
            };
            format!(
                "fallback: {} {how} ({}{more}); --verbose says why",
                count(n, &format!("{kind} source"), &format!("{kind} sources")),
                named.join(", ")
            )
        })
        .collect()
}

/// One source's line (`ok`, `FAILED`, `SUSPECT`), then how many of its previous events were
/// kept (carried over), its redirect and (verbose) its fallback and warnings. An `ok` source
/// is listed only when verbose or when it was redirected (the source list needs a look; a
/// fallback is said by [`fallback_lines`]); quiet: failed and suspect sources only, one line
/// each.
fn source_lines_of(r: &SourceReport, verbosity: Verbosity) -> Vec<String> {
    // A fallback is said once for every source of its kind ([`fallback_lines`]) unless
    // verbose.
    let worth_a_look = r.redirected_to.is_some();
    let first = match (r.failure(), r.suspect()) {
        (None, Some(why)) => format!(
            "SUSPECT {:<5} {}: {}; {why}",
            r.kind.as_str(),
            r.label,
            count(r.events, "event", "events")
        ),
        (Some(e), _) => format!("FAILED {:<6} {}: {e}", r.kind.as_str(), r.label),
        (None, None) if verbosity == Verbosity::Quiet => return Vec::new(),
        (None, None) if verbosity == Verbosity::Normal && !worth_a_look => return Vec::new(),
        (None, None) => format!(
            "ok     {:<6} {}: {}{}",
            r.kind.as_str(),
            r.label,
            count(r.events, "event", "events"),
            if r.warnings.is_empty() {
                String::new()
            } else {
                format!(", {}", count(r.warnings.len(), "warning", "warnings"))
            }
        ),
    };
    let mut lines = vec![first];
    if verbosity == Verbosity::Quiet {
        return lines;
    }
    if r.carried_over > 0 {
        lines.push(format!(
            "       {} from the previous file kept, as last seen (stale)",
            count(r.carried_over, "event", "events")
        ));
    }
    if let Some(why) = r
        .fallback
        .as_ref()
        .filter(|_| verbosity == Verbosity::Verbose)
    {
        lines.push(format!("       fallback: {why}"));
    }
    if let Some(to) = &r.redirected_to {
        lines.push(format!(
            "       redirected to {to} (a renamed group or calendar? update sources.toml)"
        ));
    }
    if verbosity == Verbosity::Verbose {
        for w in &r.warnings {
            lines.push(format!("       warning: {w}"));
        }
    }
    lines
}

/// The URLs `snapshot` could not record (no answer: a replay reports them as not in the
/// snapshot), on stderr at every verbosity (they are errors): a line for each cause they
/// share (`no network` when nothing answered at all), then each of the others; verbose lists
/// every URL.
pub(super) fn report_not_recorded(summary: &SnapshotSummary, verbosity: Verbosity) {
    for line in not_recorded_lines(summary, verbosity) {
        note!("{line}");
    }
}

/// The lines of [`report_not_recorded`].
fn not_recorded_lines(summary: &SnapshotSummary, verbosity: Verbosity) -> Vec<String> {
    let verbose = verbosity == Verbosity::Verbose;
    let failed = summary.not_recorded.iter().map(|e| Failed {
        cause: e.unreachable(),
        url: e.url(),
        page: false,
    });
    let nothing_answered = summary.responses == 0 && summary.statuses == 0;
    let shared = Shared::of(failed, nothing_answered);
    let what =
        |g: &shared::Group| format!("{} could not be reached", count(g.sources, "URL", "URLs"));
    let mut lines: Vec<String> = shared
        .lines(what, verbose)
        .into_iter()
        .map(|line| format!("not recorded: {line}"))
        .collect();
    for e in &summary.not_recorded {
        if verbose || !shared.covers(e.unreachable()) {
            lines.push(format!("not recorded: {e}"));
        }
    }
    lines
}

/// `review: 1 failed or suspect source, 2 corrections by event pages, …`.
fn review_counts(outcome: &Outcome) {
    let failed = outcome.failed_sources() + outcome.suspect_sources();
    let review = [
        (
            failed,
            "failed or suspect source",
            "failed or suspect sources",
        ),
        (
            corrections(outcome).len(),
            "correction by event pages",
            "corrections by event pages",
        ),
        (
            outcome.unverified.len(),
            "unverified calendar entry",
            "unverified calendar entries",
        ),
        (left_out(outcome).len(), "left out", "left out"),
        (
            outcome.possible_duplicates.len(),
            "possible duplicate",
            "possible duplicates",
        ),
    ];
    let to_review: Vec<String> = review
        .iter()
        .filter(|(n, _, _)| *n > 0)
        .map(|(n, one, many)| count(*n, one, many))
        .collect();
    if to_review.is_empty() {
        note!("review: nothing to review");
    } else {
        note!("review: {}", to_review.join(", "));
    }
}

/// The status corrections that left their event out (its page says it is cancelled): said
/// once, by its `left out:` line, as `cancelled on its event page (the calendar said …)`.
fn calling_off(outcome: &Outcome) -> Vec<&crate::verify::Correction> {
    use crate::dedupe::identity::canonical;
    let called_off: std::collections::HashSet<String> = outcome
        .dropped
        .iter()
        .filter(|l| l.called_off_on_page.is_some())
        .filter_map(|l| crate::run::link_of(&l.event).map(canonical))
        .collect();
    outcome
        .corrections
        .iter()
        .filter(|c| {
            c.field == "status"
                && c.url
                    .as_deref()
                    .is_some_and(|u| called_off.contains(&canonical(u)))
        })
        .collect()
}

/// The corrections to review: all but those a `left out:` line says ([`calling_off`]).
fn corrections(outcome: &Outcome) -> Vec<&crate::verify::Correction> {
    let said = calling_off(outcome);
    outcome
        .corrections
        .iter()
        .filter(|c| !said.iter().any(|s| std::ptr::eq(*s, *c)))
        .collect()
}

/// A group's heading with its count (`== left out (3)`), when it has any.
fn section(title: &str, n: usize) {
    if n > 0 {
        note!("== {title} ({n})");
    }
}

/// The groups to review, each under its heading: corrections, unverified entries (but those
/// whose page a shared cause kept from being checked, which only verbose lists: the cause was
/// said once above), entries left out, possible duplicates.
fn review_groups(outcome: &Outcome, shared: &Shared, verbose: bool) {
    let corrections = corrections(outcome);
    section("corrections by event pages", corrections.len());
    for c in corrections {
        note!(
            "corrected: {}: {} was {} in the calendar, {} on its page",
            c.event,
            c.field,
            crate::text::quoted(&c.calendar),
            crate::text::quoted(&c.page)
        );
    }
    section("unverified calendar entries", outcome.unverified.len());
    for line in unverified_lines(outcome, shared, verbose) {
        note!("{line}");
    }
    let left_out = left_out(outcome);
    section("left out", left_out.len());
    for left in left_out {
        note!("left out: {left}");
    }
    section("possible duplicates", outcome.possible_duplicates.len());
    for p in &outcome.possible_duplicates {
        // `possible duplicate (kept both): …`: the entry says what it is.
        note!("{p}");
    }
}

/// The entries left out, one line per event (`ENTRY: WHY`): the entries of one event — its
/// group's page and the calendar entry linking it, both called off — are said once, naming
/// every source that listed it. One event: the same link (canonical) on the same local day;
/// an entry without a link is its own. The first entry says the title and why.
fn left_out(outcome: &Outcome) -> Vec<String> {
    use crate::dedupe::identity::canonical;
    let called_off = calling_off(outcome);
    outcome
        .left_out_once()
        .into_iter()
        .map(|said| {
            let link = crate::run::link_of(&said.event).map(canonical);
            let correction = called_off
                .iter()
                .find(|c| c.url.as_deref().map(canonical) == link && link.is_some());
            match correction {
                Some(c) => format!(
                    "{said} on its event page (the calendar said {})",
                    crate::text::quoted(&c.calendar)
                ),
                None => said.to_string(),
            }
        })
        .collect()
}

/// Each unverified entry, `unverified: ENTRY: WHY`; unless verbose, those whose page could not
/// be reached for a shared cause are counted in one line instead.
fn unverified_lines(outcome: &Outcome, shared: &Shared, verbose: bool) -> Vec<String> {
    let said = |u: &&crate::run::Unverified| u.page.is_some() && shared.covers(u.unreachable);
    let mut lines: Vec<String> = outcome
        .unverified
        .iter()
        .filter(|u| verbose || !said(u))
        .map(|u| format!("unverified: {u}"))
        .collect();
    let not_listed = outcome.unverified.iter().filter(said).count();
    if !verbose && not_listed > 0 {
        lines.push(format!(
            "unverified: {} whose event page could not be reached, kept with the calendar's data (the cause is said above); --verbose lists them",
            count(not_listed, "entry", "entries")
        ));
    }
    lines
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
            "merged: {} with the same event link, {}, {}",
            count(self.same_link, "entry listed twice", "entries listed twice"),
            count(self.other, "other duplicate", "other duplicates"),
            count(self.mirrors, "mirrored session", "mirrored sessions")
        )
    }
}

/// The sources that answered well and their warnings (counted unless verbose, which listed
/// them), then the last line: events in the window, sources failed and suspect.
fn summary(outcome: &Outcome, verbose: bool) {
    let warnings: usize = outcome.reports.iter().map(|r| r.warnings.len()).sum();
    if !verbose {
        let ok_n = outcome.reports.iter().filter(|r| r.trusted()).count();
        let ok = count(ok_n, "source", "sources");
        if warnings > 0 {
            note!(
                "{ok} ok, with {} (skipped or repaired entries); --verbose lists them",
                count(warnings, "warning", "warnings")
            );
        } else {
            match ok_n {
                0 => note!("{ok} ok"),
                1 => note!("{ok} ok; --verbose lists it"),
                _ => note!("{ok} ok; --verbose lists them"),
            }
        }
    }
    let suspect = outcome.suspect_sources();
    note!(
        "{} in the window; {} of {} failed{}",
        count(outcome.events.len(), "event", "events"),
        outcome.failed_sources(),
        count(outcome.reports.len(), "source", "sources"),
        if suspect > 0 {
            format!(", {suspect} suspect (not taken as the truth)")
        } else {
            String::new()
        }
    );
}
