//! The commands that write the section or the data: `render`, `json`, `publish`.

use super::report::{Verbosity, report};
use super::setup::{mark_collapsed, run_pipeline};
use super::writable::{self, Output};
use super::{Common, RunArgs, WindowStart, emit, stdout};
use crate::error::{Error, exit};
use crate::model::Window;
use crate::pipeline::{self, Outcome};
use crate::{newsletter, render};
use std::path::{Path, PathBuf};

/// `render`: the Markdown section, to `out` or stdout. When every source failed or is
/// suspect, nothing is printed or written (an empty section is not the week's events): `out`
/// is left as it was, exit 2.
pub(super) fn render(common: &Common, run: &RunArgs, out: Option<&Path>) -> Result<u8, Error> {
    if let Some(path) = out {
        writable::check("--out", path, Output::File)?;
    }
    let (outcome, window, _) = run_pipeline(common, run, WindowStart::NextIssue)?;
    report(&outcome, common.verbosity());
    if outcome.nothing_trusted() {
        if let Some(path) = out {
            note!(
                "every source failed or is suspect: no section written, {} left as it was",
                path.display()
            );
        } else {
            note!(
                "every source failed or is suspect: no section printed (an empty one would not be the week's events)"
            );
        }
        return Ok(exit::SOURCE_FAILED);
    }
    let text = newsletter::write::render(&outcome.events, &window);
    emit(out, &text)?;
    Ok(outcome.exit_code())
}

/// `json`: the events as JSON, to stdout, or to `out` against the file already there (a
/// source that collapsed is suspect, a failed source's events carried over and deduplicated
/// with this run's; an unchanged file is not rewritten).
pub(super) fn json(common: &Common, run: &RunArgs, out: Option<PathBuf>) -> Result<u8, Error> {
    if let Some(path) = &out {
        writable::check("--out", path, Output::File)?;
    }
    let (mut outcome, window, _) = run_pipeline(common, run, WindowStart::Today)?;
    let now = chrono::Local::now()
        .fixed_offset()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let Some(path) = out else {
        report(&outcome, common.verbosity());
        let doc = render::json::document(&outcome, &window, &now);
        stdout(&render::json::to_text(&doc))?;
        return Ok(outcome.exit_code());
    };
    let previous = match std::fs::read_to_string(&path) {
        Ok(text) => match serde_json::from_str::<render::json::Document>(&text) {
            Ok(doc) => Some(doc),
            Err(e) => {
                note!(
                    "warning: {} is not a twir-events JSON file ({e}); it will be replaced",
                    path.display()
                );
                None
            }
        },
        Err(_) => None,
    };
    if let Some(stop) = review_before_writing(
        &mut outcome,
        window,
        previous.as_ref(),
        common.verbosity(),
        &path,
    ) {
        return Ok(stop);
    }
    let code = outcome.exit_code();
    let doc = render::json::document(&outcome, &window, &now);
    if previous
        .as_ref()
        .is_some_and(|p| render::json::same_content(p, &doc))
    {
        crate::files::remove_dead_writers_temps(&path);
        if common.verbosity() > Verbosity::Quiet {
            note!("unchanged: {} not rewritten", path.display());
        }
        return Ok(code);
    }
    emit(Some(&path), &render::json::to_text(&doc))?;
    let stale = doc.events.iter().filter(|e| e.stale).count();
    if common.verbosity() == Verbosity::Quiet {
        return Ok(code);
    }
    note!(
        "wrote {} ({}{})",
        path.display(),
        crate::text::count(doc.events.len(), "event", "events"),
        if stale > 0 {
            format!(", {stale} carried over from failed or suspect sources")
        } else {
            String::new()
        }
    );
    Ok(code)
}

/// `publish`: the folder of files (the section, the JSON, the calendar feeds), replaced as a
/// whole.
pub(super) fn publish(
    common: &Common,
    run: &RunArgs,
    out: &Path,
    horizon_weeks: u32,
) -> Result<u8, Error> {
    check_publish_folder(out)?;
    let (mut outcome, window, _) = run_pipeline(common, run, WindowStart::Today)?;
    let now = chrono::Local::now().fixed_offset();
    // The previous events.json, as `json --out` uses it: a source that collapsed
    // against it is suspect, and a failed source's events are carried over (in every file).
    let previous = std::fs::read_to_string(out.join("events.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<render::json::Document>(&text).ok());
    if let Some(stop) = review_before_writing(
        &mut outcome,
        window,
        previous.as_ref(),
        common.verbosity(),
        out,
    ) {
        return Ok(stop);
    }
    let code = outcome.exit_code();
    let files = crate::publish::files(&outcome, &window, now, horizon_weeks);
    crate::files::write_dir_atomically(out, |dir| {
        for (name, contents) in &files {
            std::fs::write(dir.join(name), contents)?;
        }
        Ok(())
    })
    .map_err(|e| Error::Write {
        path: out.display().to_string(),
        message: e.to_string(),
    })?;
    if common.verbosity() > Verbosity::Quiet {
        note!(
            "wrote {}: {} ({} in the window, feeds up to {})",
            out.display(),
            crate::text::count(files.len(), "file", "files"),
            crate::text::count(outcome.events.len(), "event", "events"),
            crate::publish::feeds_to(&window, horizon_weeks)
        );
    }
    Ok(code)
}

/// `publish --out DIR`: DIR can be written (`writable::check`), and DIR is new or holds only files `publish`
/// wrote (the directory is replaced as a whole: only one `publish` wrote).
fn check_publish_folder(out: &Path) -> Result<(), Error> {
    writable::check("--out", out, Output::Folder)?;
    if let Ok(entries) = std::fs::read_dir(out) {
        let foreign: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !crate::publish::is_published_file(name))
            .collect();
        if !foreign.is_empty() {
            return Err(Error::Usage(format!(
                "--out {}: the folder holds files publish did not write ({}); it would be replaced as a whole: choose a new or empty folder",
                out.display(),
                foreign.join(", ")
            )));
        }
    }
    Ok(())
}

/// Before `json --out` or `publish` writes `path`: a source that collapsed against the
/// previous file is suspect, not the truth; the previous events of the sources that failed
/// or are suspect are carried over (`pipeline::carry_over`); then the report. When every
/// source failed or is suspect, `path` is left as it was and the exit code to stop with is
/// returned.
fn review_before_writing(
    outcome: &mut Outcome,
    window: Window,
    previous: Option<&render::json::Document>,
    verbosity: Verbosity,
    path: &Path,
) -> Option<u8> {
    mark_collapsed(
        outcome,
        window,
        previous.map(render::json::previous_run).as_ref(),
    );
    if let Some(prev) = previous {
        pipeline::carry_over(outcome, render::json::previous(prev), &window);
    }
    report(outcome, verbosity);
    if outcome.nothing_trusted() {
        note!(
            "every source failed or is suspect: {} left as it was",
            path.display()
        );
        return Some(exit::SOURCE_FAILED);
    }
    None
}
