//! The command line: arguments, the date window, choosing live or replayed fetching, and
//! where output goes. stdout carries only the result; the per-source report, warnings and
//! progress go to stderr.
//!
//! Only this module touches the clock, stdout and the user's files (through `crate::files`).
//! A parse error is exit 1 and `--help` exit 0; a closed stdout (`| head`) ends the run quietly;
//! a line on stderr never fails a run. An option that would do nothing is refused by name (exit
//! 1): those of every command for `completions` and `man`, those of live fetching with
//! `--replay`. Completions and the man page are made from the same clap
//! definitions, and the exit statuses from `error::exit::STATUSES`.
//!
//! Here: this file the clap definitions, the window (`WindowStart`: from the next issue's
//! Wednesday for `render`, `update`, `check`, `health`, `add`; from today for `json`, `publish`
//! and what `snapshot` records, so the current week stays in the feeds; both end on the next
//! issue's last day), `main` and the dispatch; `setup.rs` what every run starts from and the
//! pipeline run over it; `published.rs` the one reader of published sections on disk;
//! `report/` the per-source and review reports on stderr (`shared.rs`: failures sharing a cause
//! no server answered for, said once); `progress.rs` the bar on a terminal; `writable.rs` an
//! output path checked before any fetch; and one file per command group: `outputs.rs` (`render`,
//! `json`, `publish`), `draft.rs` (`update`, `check`), `maintain.rs` (`health`, `snapshot`,
//! `completions`, `man`), `add.rs` (`add`, `health --fix`).
//!
//! A new command: a variant of `Command` (its doc comment is its help) and its arm in the
//! dispatch, the handler in its group's file flattening `RunArgs` and calling the pipeline
//! through `setup.rs`, its output paths checked by `writable.rs`, the pure work in a module of
//! its own placed in `ARCHITECTURE.md`'s layers, and its options in the README (`tests/cli.rs`).

use crate::error::{Error, exit};
use crate::fetch::live::LiveOptions;
use crate::fetch::replay::ReplayFetcher;
use crate::files::write_atomically;
use crate::model::Window;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use clap::{Args, Parser, Subcommand};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// A line on stderr. A closed or failing stderr (`render 2>&1 | head -1`) never stops a run:
/// what could not be said is dropped, the result still goes out.
macro_rules! note {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

mod add;
mod draft;
mod maintain;
mod outputs;
mod progress;
mod published;
mod report;
mod setup;
mod writable;

pub use progress::ProgressBar;
pub use report::Verbosity;

/// Builds the "Upcoming Events" section of This Week in Rust.
#[derive(Debug, Parser)]
#[command(name = "twir-events", version, about, long_about = None)]
#[command(mut_subcommands(without_common))]
pub struct Cli {
    #[command(flatten)]
    pub common: Common,
    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand, listed after each command's own (`--help`, `man`).
#[derive(Debug, Args, Clone, Default)]
#[command(next_help_heading = EVERY_COMMAND)]
pub struct Common {
    /// The sources file [default: ./sources.toml, or the snapshot's own with --replay]
    #[arg(long, global = true, value_name = "FILE")]
    pub sources: Option<PathBuf>,
    /// List on stderr what the report counts by default: every source, merge, mirror and
    /// warning, each failure a shared cause sums up, and update's entries with every field
    /// replaced or kept
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,
    /// Print errors only on stderr (failed and suspect sources, fatal errors): no progress,
    /// no review report
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Live fetching: the largest response accepted, in MiB [default: 8]
    #[arg(long, global = true, value_name = "MB", allow_negative_numbers = true, value_parser = count::<u64>("MiB", 1, Some(4096)))]
    pub max_body_mb: Option<u64>,
    /// Live fetching: seconds allowed for one request, body included [default: 20]
    #[arg(long, global = true, value_name = "SECS", allow_negative_numbers = true, value_parser = count::<u64>("seconds", 1, Some(3600)))]
    pub timeout: Option<u64>,
    /// Live fetching: seconds allowed for every request of the run; requests not done by then
    /// fail ("run deadline reached") [default: 120]
    #[arg(long, global = true, value_name = "SECS", allow_negative_numbers = true, value_parser = count::<u64>("seconds", 1, Some(86400)))]
    pub deadline: Option<u64>,
    /// Live fetching: the HTTP cache directory; a page is downloaded again only when the
    /// server says it changed [default: $XDG_CACHE_HOME/twir-events, else ~/.cache/twir-events]
    #[arg(long, global = true, value_name = "DIR", conflicts_with = "no_cache")]
    pub cache: Option<PathBuf>,
    /// Live fetching: no HTTP cache (every page downloaded; nothing read or written)
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Live fetching: requests in flight at once to one host [default: 4]
    #[arg(long, global = true, value_name = "N", allow_negative_numbers = true, value_parser = count::<u64>("requests", 1, Some(64)))]
    pub per_host: Option<u64>,
}

/// `completions` and `man` with the options of every command hidden: they use none of them.
/// Still parsed (the global ones would be, anywhere on the line), so that [`run`] can refuse
/// them by name, but not offered by `--help`, the completions or the manual.
fn without_common(command: clap::Command) -> clap::Command {
    if !matches!(command.get_name(), "completions" | "man") {
        return command;
    }
    let common = Common::augment_args(clap::Command::new("common"));
    common
        .get_arguments()
        .fold(command, |command, arg| command.arg(arg.clone().hide(true)))
}

impl Common {
    /// The options given, by their long flag, in the order of their definition.
    pub fn given(&self) -> Vec<&'static str> {
        // Destructured: a new option does not compile until it is listed here.
        let Common {
            sources,
            verbose,
            quiet,
            max_body_mb,
            timeout,
            deadline,
            cache,
            no_cache,
            per_host,
        } = self;
        [
            ("--sources", sources.is_some()),
            ("--verbose", *verbose),
            ("--quiet", *quiet),
            ("--max-body-mb", max_body_mb.is_some()),
            ("--timeout", timeout.is_some()),
            ("--deadline", deadline.is_some()),
            ("--cache", cache.is_some()),
            ("--no-cache", *no_cache),
            ("--per-host", per_host.is_some()),
        ]
        .into_iter()
        .filter_map(|(flag, given)| given.then_some(flag))
        .collect()
    }

    /// Refuses the options of every command given to `command` (`completions`, `man`), which
    /// uses none of them: each would silently do nothing. `takes` says what it does take.
    fn refuse_all(&self, command: &str, takes: &str) -> Result<(), Error> {
        refuse(&self.given(), ("does", "do"), |them| {
            format!("nothing for {command}: it takes {takes}; drop {them}")
        })
    }

    /// Refuses the options of live fetching with `--replay`, which reads a snapshot and
    /// fetches nothing: each would silently do nothing (`setup.rs`, `add.rs`).
    fn refuse_live_with_replay(&self, run: &RunArgs) -> Result<(), Error> {
        if run.replay.is_none() {
            return Ok(());
        }
        refuse(&self.live_given(), ("is", "are"), |them| {
            format!(
                "for live runs; --replay reads a snapshot, never the network or a cache: drop {them} or --replay"
            )
        })
    }

    /// Refuses the options of fetching with `health --no-fetch`, which fetches nothing (nor
    /// reads a snapshot): each would silently do nothing.
    fn refuse_fetching_with_no_fetch(&self, run: &RunArgs) -> Result<(), Error> {
        let mut fetching = self.live_given();
        if run.replay.is_some() {
            fetching.push("--replay");
        }
        refuse(&fetching, ("is", "are"), |them| {
            format!(
                "for fetching; health --no-fetch fetches nothing and reads no snapshot: drop {them} or --no-fetch"
            )
        })
    }

    /// The options of live fetching given ([`LIVE_ONLY`]).
    fn live_given(&self) -> Vec<&'static str> {
        self.given()
            .into_iter()
            .filter(|flag| LIVE_ONLY.contains(flag))
            .collect()
    }
}

/// Refuses `flags` (none: nothing to refuse) as `FLAGS VERB WHY`, the verb (singular, plural)
/// and `why`'s pronoun (`it`, `them`) agreeing with their number.
fn refuse(
    flags: &[&str],
    (one, many): (&str, &str),
    why: impl FnOnce(&str) -> String,
) -> Result<(), Error> {
    let (verb, them) = match flags {
        [] => return Ok(()),
        [_] => (one, "it"),
        _ => (many, "them"),
    };
    Err(Error::Usage(format!(
        "{} {verb} {}",
        and_list(flags),
        why(them)
    )))
}

/// The options of every command that only live fetching uses (their help says "Live
/// fetching:"; a test checks it).
const LIVE_ONLY: [&str; 6] = [
    "--max-body-mb",
    "--timeout",
    "--deadline",
    "--cache",
    "--no-cache",
    "--per-host",
];

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The heading of [`Common`]'s options in `--help` and the manual.
pub const EVERY_COMMAND: &str = "Options of every command";

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
    /// First day of the window [default: the first Wednesday on or after today, the next
    /// issue's; for json and publish, today: an event in progress is listed until it ends]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last day of the window, inclusive [default: from + 7 × weeks days; for json and
    /// publish without --from, the next issue's last day]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Length of the window in weeks, when --to is not given
    #[arg(long, value_name = "N", default_value_t = 4, allow_negative_numbers = true, value_parser = count::<u32>("weeks", 1, Some(520)))]
    pub weeks: u32,
    /// The published sections to learn organizers from (a directory of YYYY-MM-DD.md
    /// sections or of the newsletter's posts): the name, link, home and virtual form the
    /// editors printed last for each [default: the sources file's published key, else the
    /// directory compiled in]
    #[arg(long, value_name = "DIR")]
    pub published: Option<PathBuf>,
}

/// A date option: `YYYY-MM-DD`, a real calendar day.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{text:?} is not a calendar date: write YYYY-MM-DD, e.g. 2023-02-01"))
}

/// A whole-number option of `unit`s from `min` to `max` (else as many as `T` holds), refused
/// naming the option, the unit and the range: `--weeks takes a positive number of weeks
/// (1–520), not "-1"`. Its option allows negative numbers, so that `-1` comes here instead of
/// being taken for an unknown flag ("unexpected argument '-1'"); a test checks every number
/// option does.
fn count<T>(unit: &'static str, min: u64, max: Option<u64>) -> Count<T> {
    Count {
        unit,
        min,
        max,
        of: std::marker::PhantomData,
    }
}

/// The value parser [`count`] makes.
#[derive(Debug)]
struct Count<T> {
    unit: &'static str,
    min: u64,
    max: Option<u64>,
    of: std::marker::PhantomData<fn() -> T>,
}

impl<T> Clone for Count<T> {
    fn clone(&self) -> Self {
        count(self.unit, self.min, self.max)
    }
}

impl<T> Count<T> {
    fn check(&self, flag: &str, text: &str) -> Result<T, String>
    where
        T: TryFrom<u64>,
    {
        let (unit, min) = (self.unit, self.min);
        let number = text.trim().parse::<u64>().ok();
        number
            .filter(|n| *n >= min && self.max.is_none_or(|max| *n <= max))
            .and_then(|n| T::try_from(n).ok())
            .ok_or_else(|| match self.max {
                Some(max) if min == 1 => {
                    format!("{flag} takes a positive number of {unit} (1–{max}), not {text:?}")
                }
                Some(max) => {
                    format!("{flag} takes a number of {unit} from {min} to {max}, not {text:?}")
                }
                None if number.is_some_and(|n| n >= min) => {
                    format!("{flag} takes a whole number of {unit}, not {text:?}: too large")
                }
                None => {
                    format!("{flag} takes a whole number of {unit}, {min} or more, not {text:?}")
                }
            })
    }
}

impl<T: TryFrom<u64> + Clone + Send + Sync + 'static> clap::builder::TypedValueParser for Count<T> {
    type Value = T;

    fn parse_ref(
        &self,
        command: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<T, clap::Error> {
        let flag = arg
            .and_then(clap::Arg::get_long)
            .map_or_else(|| "the option".to_owned(), |long| format!("--{long}"));
        let this = self.clone();
        // A closure is a value parser whose error clap words as its others ("invalid value").
        let check = move |text: &str| this.check(&flag, text);
        check.parse_ref(command, arg, value)
    }
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
        // At most 64 (the parser's range): it fits any usize.
        opts.set_per_host(usize::try_from(n).unwrap_or(usize::MAX));
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
        #[arg(long, value_name = "N", default_value_t = crate::publish::DEFAULT_HORIZON_WEEKS, allow_negative_numbers = true, value_parser = count::<u32>("weeks", 0, Some(52)))]
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
        #[arg(long, value_name = "N", default_value_t = 26, allow_negative_numbers = true, value_parser = count::<usize>("sections", 0, None))]
        recent: usize,
        /// A source with no event listed or published for this many weeks is silent
        #[arg(long, value_name = "N", default_value_t = 26, allow_negative_numbers = true, value_parser = count::<u32>("weeks", 0, None))]
        silent_weeks: u32,
        /// Read only the sources file and the sections: every source taken as listed, no run
        /// (a quick coverage check)
        #[arg(long)]
        no_fetch: bool,
        /// table (for reading) or json (for automation)
        #[arg(long, value_enum, default_value_t = HealthFormat::Table)]
        format: HealthFormat,
        /// Add the sources it suggests to the sources file, each checked as `add` checks it
        /// (what was added and what was refused, on stderr)
        #[arg(long)]
        fix: bool,
        #[command(flatten)]
        run: RunArgs,
    },
    /// Add sources from URLs (a meetup group or event, a luma calendar or event, an iCal
    /// feed, a page with schema.org events): each URL's kind worked out, read once (what it
    /// reads in the window, on stderr) and appended to the sources file as a `[[source]]`
    /// entry, comments and layout kept. Refused with the reason: a group already listed,
    /// a page without events, a URL that is not http(s). Exit 0: all added; 1: a URL
    /// refused; 2: a source could not be read
    Add {
        /// The URLs to add
        #[arg(required = true, value_name = "URL")]
        urls: Vec<String>,
        /// Print the entries (stdout) instead of writing the sources file
        #[arg(long)]
        dry_run: bool,
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
        /// Replace the recording in DIR even when this run could not record some of the
        /// sources it holds (by default it is kept, and what would be lost is named)
        #[arg(long)]
        replace: bool,
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

/// Where a command's default window starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowStart {
    /// The newsletter's issue: the first Wednesday on or after today (`render`, `update`,
    /// `check`, `health`, `add`), the week the next issue covers.
    NextIssue,
    /// Today (`json`, `publish`, and what `snapshot` records): subscribers and the hourly job
    /// run on any day of the week, and the days before the next Wednesday are still ahead of
    /// them. An event in progress (started before today, ending today or later) overlaps it.
    Today,
}

/// The window, both ends inclusive: `from`, else the default start (`start`: the first
/// Wednesday on or after `today`, or `today` itself), to `to`, else `from + 7 × weeks` days
/// with `--from`, else the newsletter's end (the first Wednesday on or after `today`, plus
/// `7 × weeks` days) whatever the start: a window from today ends where the next issue's
/// does, so it holds every event the issue will list and those of the days before it.
pub fn window(
    today: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    weeks: u32,
    start: WindowStart,
) -> Result<Window, Error> {
    let ahead =
        (Weekday::Wed.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let issue = today + Duration::days(i64::from(ahead));
    let length = Duration::days(7 * i64::from(weeks));
    let to = to.unwrap_or(from.unwrap_or(issue) + length);
    let from = from.unwrap_or(match start {
        WindowStart::NextIssue => issue,
        WindowStart::Today => today,
    });
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
    if let Err(e) = crate::files::clean_up_on_signals() {
        note!(
            "warning: cannot handle SIGINT/SIGTERM ({e}); an interrupted run may leave a temporary file, removed by the next run"
        );
    }
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        // The reader of stdout went away (`| head`): what it wanted, it has. Quietly done.
        Err(Error::ClosedStdout) => ExitCode::from(exit::OK),
        Err(e @ Error::Internal(_)) => {
            note!("{e}");
            note!(
                "  this is not your input's fault: please report it, with the command line and this message"
            );
            ExitCode::from(e.exit_code())
        }
        Err(e) => {
            note!("error: {e}");
            ExitCode::from(e.exit_code())
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

/// Runs a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let common = cli.common;
    match cli.command {
        Command::Render { out, run } => outputs::render(&common, &run, out.as_deref()),
        Command::Json { out, run } => outputs::json(&common, &run, out),
        Command::Publish {
            out,
            horizon_weeks,
            run,
        } => outputs::publish(&common, &run, &out, horizon_weeks),
        Command::Update { draft, out, run } => draft::update(&common, &run, &draft, out.as_deref()),
        Command::Check {
            query,
            previous,
            run,
        } => draft::check(&common, &run, &query, previous.as_deref()),
        Command::Health {
            corpus,
            recent,
            silent_weeks,
            no_fetch,
            format,
            fix,
            run,
        } => maintain::health(
            &common,
            &run,
            maintain::HealthArgs {
                corpus,
                recent,
                silent_weeks,
                no_fetch,
                format,
                fix,
            },
        ),
        Command::Add { urls, dry_run, run } => add::add(&common, &run, &urls, dry_run),
        Command::Completions { shell } => {
            common.refuse_all("completions", "a shell's name only (completions bash)")?;
            maintain::completions(shell)
        }
        Command::Man => {
            common.refuse_all("man", "no options but --help")?;
            maintain::man()
        }
        Command::Snapshot {
            out,
            today,
            replace,
        } => maintain::snapshot(&common, &out, today, replace),
    }
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

#[cfg(test)]
mod tests;
