//! The command line: arguments, the date window, choosing live or replayed fetching, and
//! where output goes. stdout carries only the result; the per-source report, warnings and
//! progress go to stderr.

use crate::config::Config;
use crate::error::{Error, exit};
use crate::fetch::Fetch;
use crate::fetch::live::{LiveFetcher, LiveOptions};
use crate::fetch::record::{Recorder, write_atomically};
use crate::fetch::replay::ReplayFetcher;
use crate::model::Window;
use crate::pipeline::{self, Outcome};
use crate::render;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::{Args, Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Builds the "Upcoming Events" section of This Week in Rust.
#[derive(Debug, Parser)]
#[command(name = "twir-events", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand.
#[derive(Debug, Args, Clone, Default)]
pub struct Common {
    /// The sources file [default: ./sources.toml, or the snapshot's own with --replay]
    #[arg(long, global = true, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// Replay a recorded snapshot directory instead of fetching live
    #[arg(long, global = true, value_name = "DIR")]
    pub replay: Option<PathBuf>,
    /// The day to compute the window from [default: the snapshot's recording date with
    /// --replay, else the system date]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub today: Option<NaiveDate>,
    /// First day of the window [default: the first Wednesday on or after today]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub from: Option<NaiveDate>,
    /// Last day of the window, inclusive [default: from + 7 × weeks days]
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub to: Option<NaiveDate>,
    /// Length of the window in weeks, when --to is not given
    #[arg(long, global = true, value_name = "N", default_value_t = 4)]
    pub weeks: u32,
    /// Report every merge and warning on stderr (by default, merges on the same event link
    /// are counted, not listed)
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Live fetching: the largest response accepted, in MiB [default: 8]
    #[arg(long, global = true, value_name = "MB", value_parser = clap::value_parser!(u64).range(1..=4096))]
    pub max_body_mb: Option<u64>,
    /// Live fetching: seconds allowed for one request, body included [default: 20]
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: Option<u64>,
    /// Live fetching: seconds allowed for every request of the run; requests not done by then
    /// fail ("run deadline reached") [default: 120]
    #[arg(long, global = true, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86400))]
    pub deadline: Option<u64>,
}

/// The live fetcher's settings: the defaults, with the command line's bounds.
pub fn live_options(common: &Common) -> LiveOptions {
    let mut opts = LiveOptions::default();
    if let Some(mb) = common.max_body_mb {
        opts.max_body = mb * crate::fetch::live::MB;
    }
    if let Some(secs) = common.timeout {
        opts.timeout = std::time::Duration::from_secs(secs);
    }
    if let Some(secs) = common.deadline {
        opts.run_deadline = std::time::Duration::from_secs(secs);
    }
    opts
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the Markdown block (to stdout, or --out FILE)
    Render {
        /// Write to FILE (atomically) instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Write the events as JSON (for automation): to stdout, or refresh --out FILE safely
    Json {
        /// Refresh FILE atomically: not rewritten when nothing changed, left as it was when
        /// every source failed, a failed source's previous events carried over (stale)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Update the events block inside a newsletter draft in place, keeping entries added by
    /// hand and those whose source failed this run; a draft already up to date is not
    /// rewritten, and with every source failed it is left unchanged (exit 2)
    Update {
        /// The draft (Markdown) holding a "## Upcoming Events" section
        draft: PathBuf,
        /// Write the updated draft to FILE instead of replacing DRAFT
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// For organizers: is an event listed, and if not, why? QUERY is an event or group URL,
    /// or words of its title or organizer. Exit status: 0 listed, 3 not listed (the answer
    /// says why), 2 not known: a source that may list it failed or answered suspiciously
    Check {
        /// An event or group URL, or words of the title or organizer name
        query: String,
        /// The events file of the last good run (written by `json --out`): says what it listed
        /// for QUERY when the event is not listed now
        #[arg(long, value_name = "FILE")]
        previous: Option<PathBuf>,
    },
    /// Fetch every source live and record every response into a snapshot directory
    Snapshot {
        /// The snapshot directory to write (replaced atomically when it exists)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

/// The window: `from` (else the first Wednesday on or after `today`) to `to` (else
/// `from + 7 × weeks` days), both inclusive.
pub fn window(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    weeks: u32,
) -> Result<Window, Error> {
    let from = from.unwrap_or_else(|| {
        let ahead =
            (Weekday::Wed.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
        today + Duration::days(i64::from(ahead))
    });
    let to = to.unwrap_or(from + Duration::days(7 * i64::from(weeks)));
    if to < from {
        return Err(Error::Usage(format!(
            "the window ends ({to}) before it starts ({from}): check --from/--to"
        )));
    }
    Ok(Window { from, to })
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // SIGINT/SIGTERM remove our temporary files before exiting (130/143).
    if let Err(e) = crate::fetch::record::clean_up_on_signals() {
        eprintln!(
            "warning: cannot handle SIGINT/SIGTERM ({e}); an interrupted run may leave a temporary file, removed by the next run"
        );
    }
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))
}

/// Loads the sources, picks live or replayed fetching and runs the pipeline over the window.
fn run_pipeline(common: &Common) -> Result<(Outcome, Window), Error> {
    let replay = match &common.replay {
        Some(dir) => Some(ReplayFetcher::open(dir).map_err(|e| Error::Snapshot(e.to_string()))?),
        None => None,
    };
    let sources_path = sources_path(common, replay.as_ref());
    let config = Config::load(&sources_path)?;
    let today = common
        .today
        .or_else(|| replay.as_ref().map(|r| r.recorded_at().date_naive()))
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let window = window(today, common.from, common.to, common.weeks)?;
    let rt = runtime()?;
    let outcome = match &replay {
        Some(r) => rt.block_on(pipeline::run(&config, r, &window)),
        None => {
            let live =
                LiveFetcher::new(live_options(common)).map_err(|e| Error::Usage(e.to_string()))?;
            rt.block_on(pipeline::run(&config, &live, &window))
        }
    };
    Ok((outcome, window))
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let common = cli.common;
    match cli.command {
        Command::Render { out } => {
            let (outcome, window) = run_pipeline(&common)?;
            report(&outcome, common.verbose);
            let text = render::markdown::render(&outcome.events, &window);
            emit(out.as_deref(), &text)?;
            Ok(outcome.exit_code())
        }
        Command::Json { out } => {
            let (mut outcome, window) = run_pipeline(&common)?;
            let now = chrono::Local::now()
                .fixed_offset()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let Some(path) = out else {
                report(&outcome, common.verbose);
                let doc = render::json::document(&outcome, &window, &now, None);
                print!("{}", render::json::to_text(&doc));
                return Ok(outcome.exit_code());
            };
            let previous = match std::fs::read_to_string(&path) {
                Ok(text) => match serde_json::from_str::<render::json::Document>(&text) {
                    Ok(doc) => Some(doc),
                    Err(e) => {
                        eprintln!(
                            "warning: {} is not a twir-events JSON file ({e}); it will be replaced",
                            path.display()
                        );
                        None
                    }
                },
                Err(_) => None,
            };
            // A source that collapsed against the previous file is suspect, not the truth.
            if let Some(prev) = &previous {
                for (i, why) in crate::suspect::against_previous(&outcome, &window, prev) {
                    outcome.reports[i].suspect = Some(why);
                }
            }
            report(&outcome, common.verbose);
            let code = outcome.exit_code();
            if !outcome.reports.is_empty() && outcome.reports.iter().all(|r| !r.trusted()) {
                eprintln!(
                    "every source failed or is suspect: {} left as it was",
                    path.display()
                );
                return Ok(exit::SOURCE_FAILED);
            }
            let doc = render::json::document(&outcome, &window, &now, previous.as_ref());
            if previous
                .as_ref()
                .is_some_and(|p| render::json::same_content(p, &doc))
            {
                eprintln!("unchanged: {} not rewritten", path.display());
                return Ok(code);
            }
            emit(Some(&path), &render::json::to_text(&doc))?;
            let stale = doc.events.iter().filter(|e| e.stale).count();
            eprintln!(
                "wrote {} ({} events{})",
                path.display(),
                doc.events.len(),
                if stale > 0 {
                    format!(", {stale} carried over from failed or suspect sources")
                } else {
                    String::new()
                }
            );
            Ok(code)
        }
        Command::Update { draft, out } => {
            let text = std::fs::read_to_string(&draft).map_err(|e| {
                Error::Usage(format!("cannot read the draft {}: {e}", draft.display()))
            })?;
            let (outcome, window) = run_pipeline(&common)?;
            report(&outcome, common.verbose);
            let sources = run_sources(&common);
            let update = crate::update::update_draft(&text, &outcome, &window, &sources)
                .map_err(|e| Error::Usage(format!("{}: {e}", draft.display())))?;
            if update.untouched {
                eprintln!(
                    "every source failed or answered suspiciously: {} left unchanged ({} entries kept as they were){}",
                    draft.display(),
                    update.entries,
                    match &out {
                        Some(o) => format!("; nothing written to {}", o.display()),
                        None => String::new(),
                    }
                );
                return Ok(exit::SOURCE_FAILED);
            }
            for u in &update.updated {
                eprintln!("updated: {u}");
            }
            for a in &update.added {
                eprintln!("added: {a}");
            }
            for k in &update.kept_failed {
                eprintln!(
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
                eprintln!("kept (added by hand): {k}");
            }
            for r in &update.removed {
                eprintln!("removed from the draft: {r}");
            }
            eprintln!(
                "draft: {} entries updated, {} unchanged, {} added, {} kept because their source failed, {} kept (added by hand), {} removed",
                update.updated.len(),
                update.unchanged,
                update.added.len(),
                update.kept_failed.len(),
                update.kept.len(),
                update.removed.len()
            );
            let target = out.as_deref().unwrap_or(&draft);
            // A draft already up to date is not rewritten (its bytes and mtime stay).
            if std::fs::read_to_string(target).is_ok_and(|t| t == update.text) {
                eprintln!("no changes: {} not rewritten", target.display());
            } else {
                emit(Some(target), &update.text)?;
                eprintln!("wrote {}", target.display());
            }
            Ok(outcome.exit_code())
        }
        Command::Check { query, previous } => {
            let previous = match &previous {
                Some(path) => {
                    let text = std::fs::read_to_string(path).map_err(|e| {
                        Error::Usage(format!("cannot read --previous {}: {e}", path.display()))
                    })?;
                    Some(
                        serde_json::from_str::<render::json::Document>(&text).map_err(|e| {
                            Error::Usage(format!(
                                "--previous {} is not a file written by `json --out` ({e})",
                                path.display()
                            ))
                        })?,
                    )
                }
                None => None,
            };
            let (mut outcome, window) = run_pipeline(&common)?;
            // A source that collapsed against the previous file is suspect, as in `json --out`.
            if let Some(prev) = &previous {
                for (i, why) in crate::suspect::against_previous(&outcome, &window, prev) {
                    outcome.reports[i].suspect = Some(why);
                }
            }
            if common.verbose {
                report(&outcome, true);
            }
            let sources = run_sources(&common);
            let findings =
                crate::check::check(&outcome, &window, &query, &sources, previous.as_ref());
            for f in &findings {
                println!("{f}");
            }
            Ok(crate::check::exit_code(&findings))
        }
        Command::Snapshot { out } => {
            let sources_path = sources_path(&common, None);
            let config = Config::load(&sources_path)?;
            let sources_text = std::fs::read_to_string(&sources_path).ok();
            let now = chrono::Local::now().fixed_offset();
            let today = common.today.unwrap_or(now.date_naive());
            let window = window(today, common.from, common.to, common.weeks)?;
            let live =
                LiveFetcher::new(live_options(&common)).map_err(|e| Error::Usage(e.to_string()))?;
            let recorder = Recorder::new(live);
            let rt = runtime()?;
            let outcome = rt.block_on(pipeline::run(&config, &recorder, &window));
            report(&outcome, common.verbose);
            let summary = recorder
                .write_snapshot(&out, now, sources_text.as_deref())
                .map_err(|e| Error::Write {
                    path: out.display().to_string(),
                    message: e.to_string(),
                })?;
            eprintln!("snapshot: {summary:?} written to {}", out.display());
            Ok(outcome.exit_code())
        }
    }
}

/// The run's sources, for `check` and `update` to tell which source lists an event (the
/// pipeline loaded the same file successfully; should it fail now, the sources are told from
/// their reports alone).
fn run_sources(common: &Common) -> Vec<crate::config::Source> {
    let replay = common
        .replay
        .as_ref()
        .and_then(|dir| ReplayFetcher::open(dir).ok());
    Config::load(&sources_path(common, replay.as_ref()))
        .map(|c| c.sources)
        .unwrap_or_default()
}

fn sources_path(common: &Common, replay: Option<&ReplayFetcher>) -> PathBuf {
    common
        .sources
        .clone()
        .or_else(|| replay.and_then(ReplayFetcher::sources_file))
        .unwrap_or_else(|| PathBuf::from("sources.toml"))
}

fn emit(out: Option<&Path>, text: &str) -> Result<(), Error> {
    match out {
        Some(path) => write_atomically(path, text.as_bytes()).map_err(|e| Error::Write {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// The per-source report and the review report, on stderr: failures, corrections, events
/// left out, possible duplicates and merges (trivial same-link merges counted unless
/// `verbose`), guesses.
fn report(outcome: &Outcome, verbose: bool) {
    for r in &outcome.reports {
        match (&r.error, &r.suspect) {
            (None, Some(why)) => eprintln!(
                "SUSPECT {:<5} {}: {} events; {why}",
                r.kind.as_str(),
                r.label,
                r.events
            ),
            (None, None) => eprintln!(
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
            (Some(e), _) => eprintln!("FAILED {:<6} {}: {e}", r.kind.as_str(), r.label),
        }
        if let Some(why) = &r.fallback {
            eprintln!("       fallback: {why}");
        }
        if let Some(to) = &r.redirected_to {
            eprintln!(
                "       redirected to {to} (a renamed group or calendar? update sources.toml)"
            );
        }
        if verbose {
            for w in &r.warnings {
                eprintln!("       warning: {w}");
            }
        }
    }
    for c in &outcome.corrections {
        eprintln!(
            "corrected: {}: {} was {:?} in the calendar, {:?} on its page",
            c.event, c.field, c.calendar, c.page
        );
    }
    for u in &outcome.unverified {
        eprintln!("unverified: {u}");
    }
    for left in &outcome.dropped {
        eprintln!("left out: {left}");
    }
    for p in &outcome.possible_duplicates {
        eprintln!("possible duplicate: {p}");
    }
    let mut same_link = 0;
    for m in &outcome.merges {
        if !verbose && matches!(m.evidence, crate::dedupe::Evidence::SameLink { .. }) {
            same_link += 1;
        } else {
            eprintln!("{m}");
        }
    }
    if same_link > 0 {
        eprintln!(
            "merged {same_link} entries listed twice with the same event link (--verbose lists them)"
        );
    }
    for n in &outcome.notes {
        eprintln!("note: {n}");
    }
    let warnings: usize = outcome.reports.iter().map(|r| r.warnings.len()).sum();
    if warnings > 0 && !verbose {
        eprintln!("{warnings} source warnings (skipped or repaired entries; --verbose lists them)");
    }
    let suspect = outcome.suspect_sources();
    eprintln!(
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

// Keep the trait in scope for `&ReplayFetcher` → `&dyn Fetch` coercions above.
#[allow(unused)]
fn _assert_fetch(_: &dyn Fetch) {}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn window_defaults_match_the_seeds() {
        // Issue 480 was written on Wednesday 2023-02-01: "between 2023-02-01 - 2023-03-01".
        let w = window(d("2023-02-01"), None, None, 4).unwrap();
        assert_eq!((w.from, w.to), (d("2023-02-01"), d("2023-03-01")));
        // From a Saturday, the next Wednesday.
        let w = window(d("2023-01-28"), None, None, 4).unwrap();
        assert_eq!(w.from, d("2023-02-01"));
        let w = window(d("2023-02-02"), None, None, 2).unwrap();
        assert_eq!((w.from, w.to), (d("2023-02-08"), d("2023-02-22")));
        assert!(
            window(
                d("2023-02-02"),
                Some(d("2023-03-01")),
                Some(d("2023-02-01")),
                4
            )
            .is_err()
        );
    }
}
