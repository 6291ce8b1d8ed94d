//! What every run command starts from: the snapshot or a live fetcher, the sources file, the
//! day and the window; then the pipeline run over them.

use super::progress::ProgressBar;
use super::{Common, RunArgs, WindowStart, live_options, sources_path, window};
use crate::config::Config;
use crate::error::Error;
use crate::fetch::FetchError;
use crate::fetch::live::{FetchSummary, LiveFetcher, LiveOptions};
use crate::fetch::replay::ReplayFetcher;
use crate::model::Window;
use crate::pipeline::{self, Outcome};
use chrono::NaiveDate;

pub(super) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Internal(format!("cannot start the async runtime: {e}")))
}

/// The live fetcher. Its HTTP client failing to build (the TLS backend) is an internal error:
/// nothing the user wrote causes it.
pub(super) fn live_fetcher(opts: LiveOptions) -> Result<LiveFetcher, Error> {
    LiveFetcher::new(opts).map_err(|e| match e {
        FetchError::Network { message, .. } => Error::Internal(message),
        e => Error::Internal(e.to_string()),
    })
}

/// What a run command starts from: the snapshot (with `--replay`), the sources file, the day
/// and the window. Loaded once; every command that needs the sources gets them from here.
pub(super) struct Setup {
    pub(super) replay: Option<ReplayFetcher>,
    pub(super) config: Config,
    pub(super) today: NaiveDate,
    pub(super) window: Window,
}

pub(super) fn setup(common: &Common, run: &RunArgs, start: WindowStart) -> Result<Setup, Error> {
    // (Checked here: --replay belongs to the run commands, the live options to every one.)
    common.refuse_live_with_replay(run)?;
    let replay = match &run.replay {
        Some(dir) => Some(ReplayFetcher::open(dir).map_err(|e| Error::Snapshot(e.to_string()))?),
        None => None,
    };
    let mut config = Config::load(&sources_path(common, replay.as_ref()))?;
    super::published::learn_printed(common, run, &mut config, replay.as_ref())?;
    let today = run
        .today
        .or_else(|| replay.as_ref().map(|r| r.recorded_at().date_naive()))
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let window = window(today, run.from, run.to, run.weeks, start)?;
    Ok(Setup {
        replay,
        config,
        today,
        window,
    })
}

/// Loads the sources, picks live or replayed fetching and runs the pipeline over the window
/// (starting as `start` says); returns the outcome, the window and the setup it ran with.
pub(super) fn run_pipeline(
    common: &Common,
    run: &RunArgs,
    start: WindowStart,
) -> Result<(Outcome, Window, Setup), Error> {
    let setup = setup(common, run, start)?;
    let Setup {
        replay,
        config,
        window,
        ..
    } = &setup;
    let rt = runtime()?;
    let bar = ProgressBar::start(config.sources.len(), common.verbosity());
    let outcome = if let Some(r) = replay {
        rt.block_on(pipeline::run_with(config, r, window, &bar))
    } else {
        // No private address fetched but the sources file's own hosts and ports.
        let opts = LiveOptions {
            trusted: Some(config.trusted()),
            ..live_options(common)
        };
        let live = live_fetcher(opts)?;
        let mut outcome = rt.block_on(pipeline::run_with(config, &live, window, &bar));
        add_fetch_notes(&mut outcome, &live.summary());
        outcome
    };
    bar.finish();
    let window = *window;
    Ok((outcome, window, setup))
}

/// With the previous `json --out` file: a source that collapsed against it is suspect, not the
/// truth (`suspect::against_previous`).
pub(super) fn mark_collapsed(
    outcome: &mut Outcome,
    window: Window,
    previous: Option<&crate::run::PreviousRun>,
) {
    if let Some(prev) = previous {
        for (i, why) in crate::suspect::against_previous(outcome, &window, prev) {
            outcome.reports[i].state = crate::run::SourceStatus::Suspect(why);
        }
    }
}

/// What a live fetcher tells of its run (retries, slow hosts, the totals), as notes.
pub(super) fn add_fetch_notes(outcome: &mut Outcome, fetched: &FetchSummary) {
    outcome.notes.extend(fetched.notes.iter().cloned());
    outcome.notes.push(fetched.to_string());
}
