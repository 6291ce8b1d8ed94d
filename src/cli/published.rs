//! The published sections on disk: the one reader of `health --corpus DIR`, of the sources
//! file's `published = "DIR"` key and of `--published DIR`. A folder of `YYYY-MM-DD.md`
//! sections (the corpus), or of the newsletter's posts (`YYYY-MM-DD-this-week-in-rust.md`),
//! whose "Upcoming Events" section is read.

use super::{Common, RunArgs, sources_path};
use crate::config::Config;
use crate::error::Error;
use crate::fetch::replay::ReplayFetcher;
use crate::newsletter::read::{CorpusEntry, events_section, parse_section};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The published sections in `dir`, each with its issue date (the file name's leading
/// `YYYY-MM-DD`), oldest first. A file larger than 4 MiB is not one (the largest published
/// section is about 30 KB, a whole post about 100 KB) and is skipped with a warning.
/// `option` names where the folder came from, for the error.
pub(super) fn read_sections(
    dir: &Path,
    option: &str,
) -> Result<Vec<(NaiveDate, Vec<CorpusEntry>)>, Error> {
    const MAX_SECTION: u64 = 4 * 1024 * 1024;
    if !dir.is_dir() {
        return Err(Error::Usage(format!(
            "{option} {}: not a directory of published sections",
            dir.display()
        )));
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("cannot read {option} {}: {e}", dir.display())))?;
    let mut sections = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(date) = path
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| {
                Path::new(n)
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("md"))
            })
            .and_then(|n| n.get(..10))
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        else {
            continue;
        };
        if entry.metadata().map_or(true, |m| m.len() > MAX_SECTION) {
            note!(
                "warning: {} skipped (not a readable section)",
                path.display()
            );
            continue;
        }
        match std::fs::read(&path) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                sections.push((date, parse_section(events_section(&text))));
            }
            Err(e) => note!("warning: {} skipped: {e}", path.display()),
        }
    }
    sections.sort_by_key(|(d, _)| *d);
    Ok(sections)
}

/// The published folder of a run: `--published DIR`, else the sources file's `published`
/// key (relative to the sources file's folder), else none.
fn published_dir(
    common: &Common,
    run: &RunArgs,
    config: &Config,
    replay: Option<&ReplayFetcher>,
) -> Option<(PathBuf, &'static str)> {
    if let Some(dir) = &run.published {
        return Some((dir.clone(), "--published"));
    }
    let key = config.published.as_deref()?;
    let sources = sources_path(common, replay);
    let base = sources.parent().unwrap_or(Path::new(""));
    Some((base.join(key), "published ="))
}

/// Learns the organizers the editors printed in the run's published folder (if any) into
/// `config.printed`, for the organizer directory.
pub(super) fn learn_printed(
    common: &Common,
    run: &RunArgs,
    config: &mut Config,
    replay: Option<&ReplayFetcher>,
) -> Result<(), Error> {
    let Some((dir, option)) = published_dir(common, run, config, replay) else {
        return Ok(());
    };
    let sections = read_sections(&dir, option)?;
    config.printed = crate::newsletter::learn::printed_organizers(&sections)
        .into_iter()
        .map(|(_, o)| o)
        .collect();
    Ok(())
}
