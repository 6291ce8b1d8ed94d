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
use crate::{newsletter, render};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::{Args, Parser, Subcommand};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A line on stderr. A closed or failing stderr (`render 2>&1 | head -1`) never stops a run:
/// what could not be said is dropped, the result still goes out.
macro_rules! note {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

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
    /// Report every merge and warning on stderr (by default, merges on the same event link
    /// are counted, not listed)
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print errors only on stderr (failed and suspect sources, fatal errors): no progress,
    /// no review report
    #[arg(short, long, global = true)]
    pub quiet: bool,
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
    /// Live fetching: the HTTP cache directory; a page is downloaded again only when the
    /// server says it changed [default: $XDG_CACHE_HOME/twir-events, else ~/.cache/twir-events]
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Live fetching: no HTTP cache (every page downloaded; nothing read or written)
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Live fetching: requests in flight at once to one host [default: 4]
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64))]
    pub per_host: Option<u64>,
}

/// Where the sources come from and which window: the options of the commands that run the
/// pipeline (not `snapshot`, which always records live for the coming weeks).
#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    /// Replay a recorded snapshot directory instead of fetching live
    #[arg(long, value_name = "DIR")]
    pub replay: Option<PathBuf>,
    /// The day to compute the window from [default: the snapshot's recording date with
    /// --replay, else the system date]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub today: Option<NaiveDate>,
    /// First day of the window [default: the first Wednesday on or after today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day of the window, inclusive [default: from + 7 × weeks days]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Length of the window in weeks, when --to is not given
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=520))]
    pub weeks: u32,
}

/// A date option: `YYYY-MM-DD`, a real calendar day.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a calendar date: write YYYY-MM-DD, e.g. 2023-02-01"))
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
    if let Some(n) = common.per_host {
        opts.set_per_host(n as usize);
    }
    if !common.no_cache {
        let env = std::env::var_os;
        opts.cache = common
            .cache
            .clone()
            .or_else(|| crate::fetch::cache::default_dir(env("XDG_CACHE_HOME"), env("HOME")));
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
        #[command(flatten)]
        run: RunArgs,
    },
    /// Write the events as JSON (for automation): to stdout, or refresh --out FILE safely
    Json {
        /// Refresh FILE atomically: not rewritten when nothing changed, left as it was when
        /// every source failed, a failed source's previous events carried over (stale)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Publish the run as a static site for subscribers and organizers: events.ics and one
    /// feed per section, index.html (the section, what is not listed and why, the sources'
    /// health) and events.json, written as a new directory swapped in atomically
    Publish {
        /// The directory to write (replaced as a whole; its parent folder must exist; kept as
        /// it was when the run fails or every source failed)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Weeks after the window whose known events the calendar feeds carry too
        #[arg(long, value_name = "N", default_value_t = crate::publish::DEFAULT_HORIZON_WEEKS, value_parser = clap::value_parser!(u32).range(0..=52))]
        horizon_weeks: u32,
        #[command(flatten)]
        run: RunArgs,
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
        #[command(flatten)]
        run: RunArgs,
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
        #[command(flatten)]
        run: RunArgs,
    },
    /// The health of the source list: organizers of the calendar or of recent published
    /// sections that no source covers (with the lines to add), sources that failed, are gone
    /// (404/410), were redirected, read through a fallback or are silent, groups listed
    /// twice. Exit 0: healthy; 2: something needs attention; 1: bad input
    Health {
        /// The published sections: a directory of YYYY-MM-DD.md files, one per issue
        /// [default: ../shared/twir-corpus if it exists, else none]
        #[arg(long, value_name = "DIR")]
        corpus: Option<PathBuf>,
        /// How many of the newest sections (on or before today) count as recent
        #[arg(long, value_name = "N", default_value_t = 26)]
        recent: usize,
        /// A source with no event listed or published for this many weeks is silent
        #[arg(long, value_name = "N", default_value_t = 26)]
        silent_weeks: u32,
        /// Read only the sources file and the sections: every source taken as listed, no run
        /// (a quick coverage check)
        #[arg(long)]
        no_fetch: bool,
        /// table (for reading) or json (for automation)
        #[arg(long, value_enum, default_value_t = HealthFormat::Table)]
        format: HealthFormat,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Fetch every source live and record every response (with the event pages of the
    /// coming four weeks) into a snapshot directory, for --replay
    Snapshot {
        /// The snapshot directory to write (replaced atomically when it exists; its parent
        /// folder must exist)
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Record the event pages of the four weeks from this day's window (for tests, or to
        /// record ahead) [default: the system date]
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        today: Option<NaiveDate>,
    },
    /// Print a shell completion script (e.g. `twir-events completions bash >
    /// ~/.local/share/bash-completion/completions/twir-events`)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `twir-events man > twir-events.1 && man
    /// ./twir-events.1`)
    Man,
}

/// The output format of `health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HealthFormat {
    Table,
    Json,
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
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are answers (stdout, exit 0); anything else is bad input
            // (exit 1, the README's table), with clap's message naming the option and the fix.
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // SIGINT/SIGTERM remove our temporary files before exiting (130/143).
    if let Err(e) = crate::fetch::record::clean_up_on_signals() {
        note!(
            "warning: cannot handle SIGINT/SIGTERM ({e}); an interrupted run may leave a temporary file, removed by the next run"
        );
    }
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of stdout went away (`| head`): what it wanted, it has. Quietly done.
        Err(Error::ClosedStdout) => ExitCode::from(exit::OK),
        Err(e) => {
            note!("error: {e}");
            ExitCode::from(exit::USAGE)
        }
    }
}

/// Writes the result to stdout. A closed stdout (`| head`) is [`Error::ClosedStdout`]: the
/// run ends quietly with exit 0; another write error is reported.
fn stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(Error::ClosedStdout),
        Err(e) => Err(Error::Write {
            path: "standard output".into(),
            message: e.to_string(),
        }),
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))
}

/// What a run command starts from: the snapshot (with `--replay`), the sources file, the day
/// and the window. Loaded once; every command that needs the sources gets them from here.
struct Setup {
    replay: Option<ReplayFetcher>,
    config: Config,
    today: NaiveDate,
    window: Window,
}

fn setup(common: &Common, run: &RunArgs) -> Result<Setup, Error> {
    // (Checked here: --replay belongs to the run commands, the cache options to every one.)
    if run.replay.is_some() && (common.cache.is_some() || common.no_cache) {
        return Err(Error::Usage(
            "--cache and --no-cache are for live runs; --replay reads a snapshot and never a cache: drop one".into(),
        ));
    }
    let replay = match &run.replay {
        Some(dir) => Some(ReplayFetcher::open(dir).map_err(|e| Error::Snapshot(e.to_string()))?),
        None => None,
    };
    let config = Config::load(&sources_path(common, replay.as_ref()))?;
    let today = run
        .today
        .or_else(|| replay.as_ref().map(|r| r.recorded_at().date_naive()))
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let window = window(today, run.from, run.to, run.weeks)?;
    Ok(Setup {
        replay,
        config,
        today,
        window,
    })
}

/// Loads the sources, picks live or replayed fetching and runs the pipeline over the window;
/// returns the outcome, the window and the setup it ran with.
fn run_pipeline(common: &Common, run: &RunArgs) -> Result<(Outcome, Window, Setup), Error> {
    let setup = setup(common, run)?;
    let Setup {
        replay,
        config,
        window,
        ..
    } = &setup;
    let rt = runtime()?;
    let bar = ProgressBar::start(config.sources.len(), common.verbosity());
    let outcome = match replay {
        Some(r) => rt.block_on(pipeline::run_with(config, r, window, &bar)),
        None => {
            let live =
                LiveFetcher::new(live_options(common)).map_err(|e| Error::Usage(e.to_string()))?;
            let mut outcome = rt.block_on(pipeline::run_with(config, &live, window, &bar));
            let fetched = live.summary();
            outcome.notes.extend(fetched.notes.iter().cloned());
            outcome.notes.push(fetched.to_string());
            outcome
        }
    };
    bar.finish();
    let window = *window;
    Ok((outcome, window, setup))
}

/// With the previous `json --out` file: a source that collapsed against it is suspect, not the
/// truth (`suspect::against_previous`).
fn mark_collapsed(
    outcome: &mut Outcome,
    window: &Window,
    previous: Option<&render::json::Document>,
) {
    if let Some(prev) = previous {
        for (i, why) in crate::suspect::against_previous(outcome, window, prev) {
            outcome.reports[i].suspect = Some(why);
        }
    }
}

/// The progress bar on stderr: sources read of all, then the event pages checked, with the
/// sources taking long named. Drawn only when stderr is a terminal and not `--quiet`; hidden
/// otherwise (a cron job's log gets only the report).
pub struct ProgressBar {
    inner: Option<std::sync::Arc<BarInner>>,
}

struct BarInner {
    bar: indicatif::ProgressBar,
    /// Sources being read, since when.
    in_flight: std::sync::Mutex<Vec<(String, std::time::Instant)>>,
    stop: std::sync::atomic::AtomicBool,
}

/// A source in flight longer than this is named on the bar.
const SLOW: std::time::Duration = std::time::Duration::from_secs(3);

impl ProgressBar {
    pub fn start(sources: usize, verbosity: Verbosity) -> ProgressBar {
        use std::io::IsTerminal as _;
        if verbosity == Verbosity::Quiet || !std::io::stderr().is_terminal() {
            return ProgressBar { inner: None };
        }
        let bar = indicatif::ProgressBar::new(sources as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {prefix} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_prefix("sources");
        let inner = std::sync::Arc::new(BarInner {
            bar,
            in_flight: Default::default(),
            stop: Default::default(),
        });
        let ticker = inner.clone();
        // Names the slow sources twice a second; ends with the bar.
        std::thread::spawn(move || {
            while !ticker.stop.load(std::sync::atomic::Ordering::Relaxed) {
                ticker.refresh();
                ticker.bar.tick();
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
        });
        ProgressBar { inner: Some(inner) }
    }

    pub fn finish(&self) {
        if let Some(inner) = &self.inner {
            inner.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            inner.bar.finish_and_clear();
        }
    }
}

impl BarInner {
    fn refresh(&self) {
        let Ok(in_flight) = self.in_flight.lock() else {
            return;
        };
        let slow: Vec<&str> = in_flight
            .iter()
            .filter(|(_, since)| since.elapsed() >= SLOW)
            .map(|(label, _)| label.as_str())
            .collect();
        if slow.is_empty() {
            self.bar.set_message("");
        } else {
            let shown: Vec<&str> = slow.iter().take(3).copied().collect();
            let more = slow.len().saturating_sub(shown.len());
            self.bar.set_message(format!(
                "waiting for {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}

impl pipeline::Progress for ProgressBar {
    fn source_started(&self, label: &str) {
        if let Some(inner) = &self.inner
            && let Ok(mut f) = inner.in_flight.lock()
        {
            f.push((
                crate::text::clean_field(label, 40),
                std::time::Instant::now(),
            ));
        }
    }

    fn source_done(&self, label: &str, _ok: bool) {
        if let Some(inner) = &self.inner {
            let label = crate::text::clean_field(label, 40);
            if let Ok(mut f) = inner.in_flight.lock()
                && let Some(i) = f.iter().position(|(l, _)| *l == label)
            {
                f.remove(i);
            }
            inner.bar.inc(1);
            inner.refresh();
        }
    }

    fn pages_started(&self, count: usize) {
        if let Some(inner) = &self.inner {
            inner.bar.set_prefix("event pages");
            inner.bar.set_position(0);
            inner.bar.set_length(count as u64);
        }
    }

    fn page_done(&self) {
        if let Some(inner) = &self.inner {
            inner.bar.inc(1);
        }
    }
}

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let common = cli.common;
    match cli.command {
        Command::Render { out, run } => {
            let (outcome, window, _) = run_pipeline(&common, &run)?;
            report(&outcome, common.verbosity());
            let text = newsletter::write::render(&outcome.events, &window);
            emit(out.as_deref(), &text)?;
            Ok(outcome.exit_code())
        }
        Command::Json { out, run } => {
            let (mut outcome, window, _) = run_pipeline(&common, &run)?;
            let now = chrono::Local::now()
                .fixed_offset()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
            let Some(path) = out else {
                report(&outcome, common.verbosity());
                let doc = render::json::document(&outcome, &window, &now, None);
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
            // A source that collapsed against the previous file is suspect, not the truth.
            mark_collapsed(&mut outcome, &window, previous.as_ref());
            report(&outcome, common.verbosity());
            let code = outcome.exit_code();
            if outcome.nothing_trusted() {
                note!(
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
        Command::Publish {
            out,
            horizon_weeks,
            run,
        } => {
            check_parent(&out)?;
            // The directory is replaced as a whole: only one `publish` wrote.
            if let Ok(entries) = std::fs::read_dir(&out) {
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
            } else if out.exists() {
                return Err(Error::Usage(format!(
                    "--out {}: not a folder (publish writes a folder of files)",
                    out.display()
                )));
            }
            let (mut outcome, window, _) = run_pipeline(&common, &run)?;
            let now = chrono::Local::now().fixed_offset();
            // The previous events.json, as `json --out` uses it: a source that collapsed
            // against it is suspect, and a failed source's events are carried over in the JSON.
            let previous = std::fs::read_to_string(out.join("events.json"))
                .ok()
                .and_then(|text| serde_json::from_str::<render::json::Document>(&text).ok());
            mark_collapsed(&mut outcome, &window, previous.as_ref());
            report(&outcome, common.verbosity());
            let code = outcome.exit_code();
            if outcome.nothing_trusted() {
                note!(
                    "every source failed or is suspect: {} left as it was",
                    out.display()
                );
                return Ok(exit::SOURCE_FAILED);
            }
            let files =
                crate::publish::files(&outcome, &window, now, horizon_weeks, previous.as_ref());
            crate::fetch::record::write_dir_atomically(&out, |dir| {
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
                    "wrote {}: {} files ({} events in the window, feeds up to {})",
                    out.display(),
                    files.len(),
                    outcome.events.len(),
                    crate::publish::feeds_to(&window, horizon_weeks)
                );
            }
            Ok(code)
        }
        Command::Update { draft, out, run } => {
            let text = std::fs::read_to_string(&draft).map_err(|e| {
                Error::Usage(format!("cannot read the draft {}: {e}", draft.display()))
            })?;
            let (outcome, window, setup) = run_pipeline(&common, &run)?;
            report(&outcome, common.verbosity());
            let sources = setup.config.sources;
            let update = crate::update::update_draft(&text, &outcome, &window, &sources)
                .map_err(|e| Error::Usage(format!("{}: {e}", draft.display())))?;
            if update.untouched {
                note!(
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
                note!("updated: {u}");
            }
            for a in &update.added {
                note!("added: {a}");
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
            for r in &update.removed {
                note!("removed from the draft: {r}");
            }
            note!(
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
                note!("no changes: {} not rewritten", target.display());
            } else {
                emit(Some(target), &update.text)?;
                note!("wrote {}", target.display());
            }
            Ok(outcome.exit_code())
        }
        Command::Check {
            query,
            previous,
            run,
        } => {
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
            let (mut outcome, window, setup) = run_pipeline(&common, &run)?;
            // A source that collapsed against the previous file is suspect, as in `json --out`.
            mark_collapsed(&mut outcome, &window, previous.as_ref());
            if common.verbose {
                report(&outcome, Verbosity::Verbose);
            }
            let sources = setup.config.sources;
            let findings =
                crate::check::check(&outcome, &window, &query, &sources, previous.as_ref());
            for f in &findings {
                stdout(&format!("{f}\n"))?;
            }
            Ok(crate::check::exit_code(&findings))
        }
        Command::Health {
            corpus,
            recent,
            silent_weeks,
            no_fetch,
            format,
            run,
        } => health(
            &common,
            &run,
            corpus,
            recent,
            silent_weeks,
            no_fetch,
            format,
        ),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_complete::generate(shell, &mut command, "twir-events", &mut text);
            stdout(&String::from_utf8_lossy(&text))?;
            Ok(exit::OK)
        }
        Command::Man => {
            let command = <Cli as clap::CommandFactory>::command();
            let mut text = Vec::new();
            clap_mangen::Man::new(command)
                .render(&mut text)
                .map_err(|e| Error::Usage(format!("cannot render the manual page: {e}")))?;
            // The subcommands' own options, after the main page.
            for sub in <Cli as clap::CommandFactory>::command().get_subcommands() {
                if sub.get_name() == "help" {
                    continue;
                }
                let name = format!("twir-events-{}", sub.get_name());
                let sub = sub.clone().name(name).version(env!("CARGO_PKG_VERSION"));
                clap_mangen::Man::new(sub)
                    .render(&mut text)
                    .map_err(|e| Error::Usage(format!("cannot render the manual page: {e}")))?;
            }
            stdout(&String::from_utf8_lossy(&text))?;
            Ok(exit::OK)
        }
        Command::Snapshot { out, today } => {
            let sources_path = sources_path(&common, None);
            let config = Config::load(&sources_path)?;
            let sources_text = std::fs::read_to_string(&sources_path).ok();
            let now = chrono::Local::now().fixed_offset();
            // The window a replay of this snapshot uses by default (from its recording date).
            let window = window(today.unwrap_or(now.date_naive()), None, None, 4)?;
            check_parent(&out)?;
            let live =
                LiveFetcher::new(live_options(&common)).map_err(|e| Error::Usage(e.to_string()))?;
            let recorder = Recorder::new(live);
            let rt = runtime()?;
            let bar = ProgressBar::start(config.sources.len(), common.verbosity());
            let mut outcome = rt.block_on(pipeline::run_with(&config, &recorder, &window, &bar));
            bar.finish();
            let fetched = recorder.inner().summary();
            outcome.notes.extend(fetched.notes.iter().cloned());
            outcome.notes.push(fetched.to_string());
            report(&outcome, common.verbosity());
            let summary = recorder
                .write_snapshot(&out, now, sources_text.as_deref())
                .map_err(|e| Error::Write {
                    path: out.display().to_string(),
                    message: e.to_string(),
                })?;
            if common.verbosity() > Verbosity::Quiet {
                note!("{}", snapshot_summary(&summary));
            }
            for e in &summary.not_recorded {
                note!("not recorded: {e}");
            }
            Ok(outcome.exit_code())
        }
    }
}

/// `snapshot --out DIR`: DIR's parent must exist (checked before a live run that would be
/// wasted).
fn check_parent(out: &Path) -> Result<(), Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if parent.is_dir() {
        Ok(())
    } else {
        Err(Error::Usage(format!(
            "--out {}: the folder {} does not exist (create it first, or choose another --out)",
            out.display(),
            parent.display()
        )))
    }
}

/// "snapshot written to DIR: 48 responses (2.3 MB), 2 recorded failures, 1 not recorded".
fn snapshot_summary(s: &crate::fetch::record::SnapshotSummary) -> String {
    let mut parts = vec![format!(
        "{} responses ({:.1} MB)",
        s.responses,
        s.bytes as f64 / 1_000_000.0
    )];
    if s.statuses > 0 {
        parts.push(format!(
            "{} failed answers recorded as such (replayed as the same status)",
            s.statuses
        ));
    }
    if !s.not_recorded.is_empty() {
        parts.push(format!(
            "{} URLs not recorded (timeouts, network errors: listed below; a replay reports them as not in the snapshot)",
            s.not_recorded.len()
        ));
    }
    format!(
        "snapshot written to {}: {}",
        s.dir.display(),
        parts.join(", ")
    )
}

/// `health`: loads the sources, runs them (unless `no_fetch`), reads the published sections
/// and prints the report; exit 2 when something needs attention.
fn health(
    common: &Common,
    run: &RunArgs,
    corpus: Option<PathBuf>,
    recent: usize,
    silent_weeks: u32,
    no_fetch: bool,
    format: HealthFormat,
) -> Result<u8, Error> {
    let corpus = match corpus {
        Some(dir) if !dir.is_dir() => {
            return Err(Error::Usage(format!(
                "--corpus {}: not a directory of published sections",
                dir.display()
            )));
        }
        Some(dir) => Some(dir),
        None => {
            let default = PathBuf::from("../shared/twir-corpus");
            if default.is_dir() {
                Some(default)
            } else {
                note!(
                    "note: no published sections read (../shared/twir-corpus not found; pass --corpus DIR)"
                );
                None
            }
        }
    };
    let sections = match &corpus {
        Some(dir) => read_corpus(dir)?,
        None => Vec::new(),
    };
    let (setup, outcome) = if no_fetch {
        (setup(common, run)?, None)
    } else {
        let (outcome, _window, setup) = run_pipeline(common, run)?;
        report(&outcome, common.verbosity());
        (setup, Some(outcome))
    };
    let (config, today) = (setup.config, setup.today);
    let options = crate::health::Options {
        recent,
        silent_weeks,
    };
    let h = crate::health::assess(&config, outcome.as_ref(), &sections, today, options);
    match format {
        HealthFormat::Table => stdout(&crate::health::to_table(&h))?,
        HealthFormat::Json => stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&h).map_err(|e| Error::Usage(e.to_string()))?
        ))?,
    }
    Ok(if h.needs_attention() {
        exit::SOURCE_FAILED
    } else {
        exit::OK
    })
}

/// The published sections in `dir`: every `YYYY-MM-DD.md` file, with its date. A section
/// larger than 4 MiB is not one (the largest published is about 30 KB) and is skipped.
fn read_corpus(dir: &Path) -> Result<Vec<(NaiveDate, Vec<newsletter::read::CorpusEntry>)>, Error> {
    const MAX_SECTION: u64 = 4 * 1024 * 1024;
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::Usage(format!("cannot read --corpus {}: {e}", dir.display())))?;
    let mut sections = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(date) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".md"))
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
            Ok(bytes) => sections.push((
                date,
                newsletter::read::parse_section(&String::from_utf8_lossy(&bytes)),
            )),
            Err(e) => note!("warning: {} skipped: {e}", path.display()),
        }
    }
    sections.sort_by_key(|(d, _)| *d);
    Ok(sections)
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
        None => stdout(text),
    }
}

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
fn report(outcome: &Outcome, verbosity: Verbosity) {
    let verbose = verbosity == Verbosity::Verbose;
    for r in &outcome.reports {
        match (&r.error, &r.suspect) {
            (None, Some(why)) => note!(
                "SUSPECT {:<5} {}: {} events; {why}",
                r.kind.as_str(),
                r.label,
                r.events
            ),
            (Some(e), _) => note!("FAILED {:<6} {}: {e}", r.kind.as_str(), r.label),
            (None, None) if verbosity == Verbosity::Quiet => continue,
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
            continue;
        }
        if let Some(why) = &r.fallback {
            note!("       fallback: {why}");
        }
        if let Some(to) = &r.redirected_to {
            note!("       redirected to {to} (a renamed group or calendar? update sources.toml)");
        }
        if verbose {
            for w in &r.warnings {
                note!("       warning: {w}");
            }
        }
    }
    if verbosity == Verbosity::Quiet {
        return;
    }
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
    let section = |title: &str, n: usize| {
        if n > 0 {
            note!("== {title} ({n})");
        }
    };
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
