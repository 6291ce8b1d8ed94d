//! The commands that work on a draft or answer a question: `update` and `check`.

use super::report::{Verbosity, report};
use super::setup::{mark_collapsed, run_pipeline};
use super::writable::{self, Output};
use super::{Common, RunArgs, WindowStart, emit, stdout};
use crate::error::{Error, exit};
use crate::render;
use crate::text::count;
use std::path::Path;

/// `update DRAFT`: the draft's section brought up to date (to `out`, else the draft itself),
/// what changed told on stderr. A draft already up to date is not rewritten.
pub(super) fn update(
    common: &Common,
    run: &RunArgs,
    draft: &Path,
    out: Option<&Path>,
) -> Result<u8, Error> {
    let text = std::fs::read_to_string(draft)
        .map_err(|e| Error::Usage(format!("cannot read the draft {}: {e}", draft.display())))?;
    match out {
        Some(path) => writable::check("--out", path, Output::File)?,
        None => writable::check("the draft", draft, Output::File)?,
    }
    let (outcome, window, setup) = run_pipeline(common, run, WindowStart::NextIssue)?;
    report(&outcome, common.verbosity());
    let sources = setup.config.sources;
    let update = crate::update::update_draft(&text, &outcome, &window, &sources)
        .map_err(|e| Error::Usage(format!("{}: {e}", draft.display())))?;
    if update.untouched {
        note!(
            "every source failed or answered suspiciously: {} left unchanged ({} kept as {} were){}",
            draft.display(),
            count(update.entries, "entry", "entries"),
            if update.entries == 1 { "it" } else { "they" },
            match out {
                Some(o) => format!("; nothing written to {}", o.display()),
                None => String::new(),
            }
        );
        return Ok(exit::SOURCE_FAILED);
    }
    tell_changes(&update, common.verbosity());
    let target = out.unwrap_or(draft);
    let loud = common.verbosity() > Verbosity::Quiet;
    // A draft already up to date is not rewritten (its bytes and mtime stay).
    if std::fs::read_to_string(target).is_ok_and(|t| t == update.text) {
        crate::files::remove_dead_writers_temps(target);
        if loud {
            note!("no changes: {} not rewritten", target.display());
        }
    } else {
        emit(Some(target), &update.text)?;
        if loud {
            note!("wrote {}", target.display());
        }
    }
    Ok(outcome.exit_code())
}

/// What `update` changed, as loud as `verbosity` says: the entries an editor should look at
/// (kept because their source failed, kept as added by hand) listed, then the counts, which
/// add up to the draft's entries. Verbose: also every entry updated with each field replaced
/// (before → after, and the source), the fields where the editors' form was kept against a
/// source's, the entries added and removed with why, and the lines kept as written. Quiet:
/// nothing (the failed sources were said).
fn tell_changes(update: &crate::update::Update, verbosity: Verbosity) {
    if verbosity == Verbosity::Quiet {
        return;
    }
    if verbosity == Verbosity::Verbose {
        tell_entries(update);
    }
    for k in &update.kept_failed {
        note!(
            "kept as it was (its source {} {} this run): {}",
            k.source,
            if k.suspect {
                "answered suspiciously"
            } else {
                "failed"
            },
            k.entry
        );
    }
    for k in &update.kept {
        note!("kept (added by hand): {k}");
    }
    note!("{}", summary(update));
}

/// The verbose part of [`tell_changes`]: each entry updated, added, removed, and each entry
/// left unchanged where the editors' form was kept against a source's; the lines kept as
/// written.
fn tell_entries(update: &crate::update::Update) {
    for u in &update.updated {
        note!("updated: {} (line {})", u.entry, u.line);
        for c in &u.replaced {
            note!(
                "  {}: \"{}\" → \"{}\" (source: {})",
                c.field,
                c.before,
                c.after,
                c.source
            );
        }
        tell_kept_fields(u);
    }
    for u in update.unchanged.iter().filter(|u| !u.kept.is_empty()) {
        note!("unchanged: {} (line {})", u.entry, u.line);
        tell_kept_fields(u);
    }
    for a in &update.added {
        note!("added: {a}");
    }
    // A hybrid entry is listed under Virtual and its continent: one line, its copies counted.
    let mut removed: Vec<(&String, usize)> = Vec::new();
    for r in &update.removed {
        match removed.iter_mut().find(|(seen, _)| *seen == r) {
            Some((_, n)) => *n += 1,
            None => removed.push((r, 1)),
        }
    }
    for (r, n) in removed {
        if n > 1 {
            note!("removed from the draft: {r} (its {n} copies, one per section)");
        } else {
            note!("removed from the draft: {r}");
        }
    }
    for (line, text) in &update.as_written {
        note!("kept as written: line {line}: {text}");
    }
}

/// The fields where the editors' form was kept against a source's.
fn tell_kept_fields(u: &crate::update::EntryReport) {
    for c in &u.kept {
        note!(
            "  kept the editors' {} \"{}\" (source {}: \"{}\")",
            c.field,
            c.before,
            c.source,
            c.after
        );
    }
}

/// The counts line: `draft: 46 entries = 16 updated + 28 unchanged + 1 kept because its
/// source failed + 1 kept (added by hand) + 0 removed; 0 events added`.
fn summary(update: &crate::update::Update) -> String {
    let failed = update.kept_failed.len();
    format!(
        "draft: {} = {} updated + {} unchanged + {} kept because {} source failed + {} kept (added by hand) + {} removed; {} added",
        count(update.entries, "entry", "entries"),
        update.updated.len(),
        update.unchanged.len(),
        failed,
        if failed == 1 { "its" } else { "their" },
        update.kept.len(),
        update.removed.len(),
        count(update.added.len(), "event", "events"),
    )
}

/// `check QUERY`: what the run says about the events and sources the query names, on stdout
/// (against the file of `--previous`, as `json --out` would judge it).
pub(super) fn check(
    common: &Common,
    run: &RunArgs,
    query: &str,
    previous: Option<&Path>,
) -> Result<u8, Error> {
    crate::check::validate_query(query).map_err(Error::Usage)?;
    let previous = match previous {
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Error::Usage(format!("cannot read --previous {}: {e}", path.display()))
            })?;
            let doc = serde_json::from_str::<render::json::Document>(&text).map_err(|e| {
                Error::Usage(format!(
                    "--previous {} is not a file written by `json --out` ({e})",
                    path.display()
                ))
            })?;
            Some(render::json::previous_run(&doc))
        }
        None => None,
    };
    let (mut outcome, window, setup) = run_pipeline(common, run, WindowStart::NextIssue)?;
    // A source that collapsed against the previous file is suspect, as in `json --out`.
    mark_collapsed(&mut outcome, window, previous.as_ref());
    if common.verbose {
        report(&outcome, Verbosity::Verbose);
    }
    let findings = crate::check::check(&outcome, &window, query, &setup.config, previous.as_ref());
    for f in &findings {
        stdout(&format!("{f}\n"))?;
    }
    Ok(crate::check::exit_code(&findings))
}
