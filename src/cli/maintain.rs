//! The commands that look after the tool and its sources: `health`, `snapshot`,
//! `completions` and `man`.

use super::progress::ProgressBar;
use super::report::{Verbosity, report};
use super::setup::{add_fetch_notes, live_fetcher, run_pipeline, runtime, setup};
use super::writable::{self, Output};
use super::{
    Cli, Common, HealthFormat, RunArgs, WindowStart, live_options, sources_path, stdout, window,
};
use crate::config::Config;
use crate::error::{Error, exit};
use crate::fetch::live::LiveOptions;
use crate::fetch::record::Recorder;
use crate::pipeline;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// `health`'s own options.
pub(super) struct HealthArgs {
    pub(super) corpus: Option<PathBuf>,
    pub(super) recent: usize,
    pub(super) silent_weeks: u32,
    pub(super) no_fetch: bool,
    pub(super) format: HealthFormat,
    /// Add the suggested sources (`add`'s path).
    pub(super) fix: bool,
}

/// `health`: loads the sources, runs them (unless `no_fetch`), reads the published sections
/// and prints the report; exit 2 when something needs attention.
pub(super) fn health(common: &Common, run: &RunArgs, args: HealthArgs) -> Result<u8, Error> {
    let HealthArgs {
        corpus,
        recent,
        silent_weeks,
        no_fetch,
        format,
        fix,
    } = args;
    if no_fetch {
        common.refuse_fetching_with_no_fetch(run)?;
    }
    if fix {
        // A snapshot's own sources file is a recording: `--fix` edits only a file named.
        if run.replay.is_some() && common.sources.is_none() {
            return Err(Error::Usage(
                "health --fix with --replay: pass --sources FILE, the sources file to add to (the snapshot's own is a recording, not edited)".into(),
            ));
        }
        // Checked before the run, as every output is.
        writable::check("--sources", &sources_path(common, None), Output::File)?;
    }
    let corpus = corpus.or_else(|| {
        let default = PathBuf::from("../shared/twir-corpus");
        if default.is_dir() {
            Some(default)
        } else {
            note!(
                "note: no published sections read (../shared/twir-corpus not found; pass --corpus DIR)"
            );
            None
        }
    });
    let sections = match &corpus {
        Some(dir) => super::published::read_sections(dir, "--corpus")?,
        None => Vec::new(),
    };
    let (setup, outcome) = if no_fetch {
        (setup(common, run, WindowStart::NextIssue)?, None)
    } else {
        let (outcome, _window, setup) = run_pipeline(common, run, WindowStart::NextIssue)?;
        report(&outcome, common.verbosity());
        (setup, Some(outcome))
    };
    let (config, today) = (setup.config, setup.today);
    let options = crate::health::Options {
        recent,
        silent_weeks,
    };
    let mut h = crate::health::assess(&config, outcome.as_ref(), &sections, today, options);
    if let Some(dir) = &corpus {
        h = h.read_from(dir);
    }
    match format {
        HealthFormat::Table => stdout(&crate::health::to_table(&h))?,
        HealthFormat::Json => stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&h)
                .map_err(|e| Error::Internal(format!("cannot serialize the report: {e}")))?
        ))?,
    }
    if fix {
        super::add::fix(
            common,
            run,
            &sources_path(common, setup.replay.as_ref()),
            &h,
        )?;
    }
    Ok(if h.needs_attention() {
        exit::SOURCE_FAILED
    } else {
        exit::OK
    })
}

/// `snapshot --out DIR`: a live run recorded into DIR (every answer, and the sources file) for
/// later replays.
pub(super) fn snapshot(
    common: &Common,
    out: &Path,
    today: Option<NaiveDate>,
    replace: bool,
) -> Result<u8, Error> {
    let sources_path = sources_path(common, None);
    let config = Config::load(&sources_path)?;
    let sources_text = std::fs::read_to_string(&sources_path).ok();
    let now = chrono::Local::now().fixed_offset();
    // The windows a replay of this snapshot uses by default (from its recording date): from
    // that day (`json`, `publish`) to the next issue's end (`render`), the pages of both.
    let window = window(
        today.unwrap_or(now.date_naive()),
        None,
        None,
        4,
        WindowStart::Today,
    )?;
    check_snapshot_folder(out)?;
    let previous = previous_recording(out);
    let opts = LiveOptions {
        trusted: Some(config.trusted()),
        ..live_options(common)
    };
    let live = live_fetcher(opts)?;
    let recorder = Recorder::new(live);
    let rt = runtime()?;
    let bar = ProgressBar::start(config.sources.len(), common.verbosity());
    let mut outcome = rt.block_on(pipeline::run_with(&config, &recorder, &window, &bar));
    bar.finish();
    add_fetch_notes(&mut outcome, &recorder.inner().summary());
    report(&outcome, common.verbosity());
    if let Some(code) = keep_previous(
        out,
        &outcome,
        previous.as_ref(),
        &recorder,
        &config,
        replace,
    ) {
        return Ok(code);
    }
    let summary = recorder
        .write_snapshot(out, now, sources_text.as_deref())
        .map_err(|e| Error::Write {
            path: out.display().to_string(),
            message: e.to_string(),
        })?;
    if common.verbosity() > Verbosity::Quiet {
        note!("{}", snapshot_summary(&summary));
    }
    super::report::report_not_recorded(&summary, common.verbosity());
    Ok(outcome.exit_code())
}

/// What a snapshot folder holds: the only names `snapshot --out` writes.
const SNAPSHOT_FILES: [&str; 3] = [
    crate::fetch::replay::MANIFEST,
    crate::fetch::replay::SOURCES,
    "responses",
];

/// `snapshot --out DIR`: DIR can be written, and is new or holds only what a snapshot holds
/// (it is replaced as a whole: a user's file in it would be lost), checked before fetching.
fn check_snapshot_folder(out: &Path) -> Result<(), Error> {
    writable::check("--out", out, Output::Folder)?;
    let dir = crate::files::resolve_links(out).unwrap_or_else(|_| out.to_path_buf());
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut foreign: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !SNAPSHOT_FILES.contains(&name.as_str()))
            .collect();
        foreign.sort();
        if !foreign.is_empty() {
            return Err(Error::Usage(format!(
                "--out {}: the folder holds files snapshot did not write ({}); it would be replaced as a whole: move them out, or choose a new or empty folder",
                out.display(),
                foreign.join(", ")
            )));
        }
    }
    Ok(())
}

/// The recording already in `out`, if it holds one.
fn previous_recording(out: &Path) -> Option<crate::fetch::replay::Manifest> {
    let dir = crate::files::resolve_links(out).ok()?;
    let text = std::fs::read(dir.join(crate::fetch::replay::MANIFEST)).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Whether the recording in `out` stays as it was, and the exit code then: a recording cannot
/// be fetched again. When every source failed or answered suspiciously, nothing is written
/// (the previous recording, if any, kept); when this run could not record a source the
/// previous recording holds with its body, the previous one is kept and what would be lost
/// is named, unless `replace`.
fn keep_previous<F: crate::fetch::Fetch>(
    out: &Path,
    outcome: &crate::run::Outcome,
    previous: Option<&crate::fetch::replay::Manifest>,
    recorder: &Recorder<F>,
    config: &Config,
    replace: bool,
) -> Option<u8> {
    let held = |p: &crate::fetch::replay::Manifest| {
        format!(
            "{} recorded {}",
            crate::text::count(
                p.responses.iter().filter(|r| r.file.is_some()).count(),
                "response",
                "responses"
            ),
            p.recorded_at.format("%Y-%m-%d %H:%M")
        )
    };
    if outcome.nothing_trusted() {
        if let Some(p) = previous {
            note!(
                "every source failed or answered suspiciously: {} left as it was ({})",
                out.display(),
                held(p)
            );
        } else {
            note!(
                "every source failed or answered suspiciously: nothing recorded, {} not written",
                out.display()
            );
        }
        return Some(crate::error::exit::SOURCE_FAILED);
    }
    let previous = previous.filter(|_| !replace)?;
    let answered = recorder.answered();
    let lost: Vec<String> = config
        .sources
        .iter()
        .filter(|s| {
            previous
                .responses
                .iter()
                .any(|r| r.url == s.url && r.file.is_some())
        })
        .filter_map(|s| match answered.get(&s.url) {
            Some(Ok(())) => None,
            Some(Err(e)) => Some(format!("{}: {e}", s.label())),
            None => Some(format!("{}: not asked for this run", s.label())),
        })
        .collect();
    if lost.is_empty() {
        return None;
    }
    note!(
        "{} kept as it was ({}): this run could not record {} of the sources it holds; pass --replace to replace it anyway",
        out.display(),
        held(previous),
        lost.len()
    );
    for l in &lost {
        note!("  would lose {l}");
    }
    Some(crate::error::exit::SOURCE_FAILED)
}

/// "snapshot written to DIR: 48 responses (2.3 MB), 2 recorded failures, 1 not recorded".
fn snapshot_summary(s: &crate::fetch::record::SnapshotSummary) -> String {
    let mut parts = vec![format!(
        "{} ({:.1} MB)",
        crate::text::count(s.responses, "response", "responses"),
        s.bytes as f64 / 1_000_000.0
    )];
    if s.statuses > 0 {
        parts.push(format!(
            "{} recorded as such (replayed as the same status)",
            crate::text::count(s.statuses, "failed answer", "failed answers")
        ));
    }
    if !s.not_recorded.is_empty() {
        parts.push(format!(
            "{} not recorded (timeouts, network errors: said below; a replay reports {} as not in the snapshot)",
            crate::text::count(s.not_recorded.len(), "URL", "URLs"),
            if s.not_recorded.len() == 1 { "it" } else { "them" }
        ));
    }
    format!(
        "snapshot written to {}: {}",
        s.dir.display(),
        parts.join(", ")
    )
}

/// `completions SHELL`: the shell's completion script on stdout.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<u8, Error> {
    stdout(&completion_script(shell))?;
    Ok(exit::OK)
}

/// The completion script for `shell`. Bash's is generated for the name `twir_events` and
/// then bound to `twir-events`: for a hyphenated name, `clap_complete` 4.6 names the states of
/// the subcommands one way where it finds the subcommand (`twir__events__subcmd__render`) and
/// another where it completes its options (`twir__subcmd__events__subcmd__render`), so only
/// the first word ever completed.
fn completion_script(shell: clap_complete::Shell) -> String {
    const NAME: &str = "twir-events";
    let mut command = completion_command();
    let mut text = Vec::new();
    if shell != clap_complete::Shell::Bash {
        clap_complete::generate(shell, &mut command, NAME, &mut text);
        return String::from_utf8_lossy(&text).into_owned();
    }
    let unhyphenated = NAME.replace('-', "_");
    clap_complete::generate(shell, &mut command, &unhyphenated, &mut text);
    String::from_utf8_lossy(&text)
        .lines()
        .map(|line| match line.trim_start().strip_prefix("complete ") {
            // `complete -F _twir_events … twir_events`: the command it completes.
            Some(rest) if rest.ends_with(&format!(" {unhyphenated}")) => {
                format!("{}{NAME}\n", &line[..line.len() - unhyphenated.len()])
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

/// The command line as the completions offer it: the options of every command on each
/// command that takes them, and not on `completions` and `man`, which refuse them. (Not
/// `Cli`'s own definition: there they are on those two as well, hidden, to be refused by name,
/// and the generators of `clap_complete` but fish's offer hidden options too.)
fn completion_command() -> clap::Command {
    use clap::{Args as _, Subcommand as _};
    let cli = <Cli as clap::CommandFactory>::command();
    let common = Common::augment_args(clap::Command::new("common"));
    let common: Vec<clap::Arg> = common
        .get_arguments()
        .map(|arg| arg.clone().global(false))
        .collect();
    let bare = super::Command::augment_subcommands(clap::Command::new("bare"));
    let subcommands = bare.get_subcommands().map(|sub| match sub.get_name() {
        "completions" | "man" => sub.clone(),
        _ => sub.clone().args(common.iter().cloned()),
    });
    clap::Command::new(cli.get_name().to_owned())
        .about(cli.get_about().cloned().unwrap_or_default())
        .version(env!("CARGO_PKG_VERSION"))
        .args(common.iter().cloned())
        .subcommands(subcommands)
}

/// `man`: the manual page (the main page, then each subcommand's) on stdout.
pub(super) fn man() -> Result<u8, Error> {
    stdout(&manual()?)?;
    Ok(exit::OK)
}

/// The manual page: the main page with its EXIT STATUS section (from
/// [`exit::STATUSES`]) and its commands named by their command line, then one page per
/// subcommand with its own options and those every command takes (`--sources`, `-q`, `-v`,
/// …), each SYNOPSIS with the options' values. Subcommands have no `-V`.
fn manual() -> Result<String, Error> {
    let render = |command: clap::Command| {
        let mut text = Vec::new();
        clap_mangen::Man::new(command)
            .render(&mut text)
            .map_err(|e| Error::Internal(format!("cannot render the manual page: {e}")))?;
        Ok::<_, Error>(String::from_utf8_lossy(&text).into_owned())
    };
    let mut command = <Cli as clap::CommandFactory>::command();
    // Building propagates the global options into every subcommand, which a bare
    // `get_subcommands` on the definition does not have yet.
    command.build();
    let mut page = with_synopsis(&render(command.clone())?, &command);
    page = commands_by_their_command_line(&page);
    let at = page.find(".SH VERSION").unwrap_or(page.len());
    page.insert_str(at, &exit_status_section());
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        // Already built (without `-V`): the version only titles the page.
        let name = format!("twir-events-{}", sub.get_name());
        let titled = sub
            .clone()
            .name(name)
            .version(env!("CARGO_PKG_VERSION"))
            .disable_version_flag(true);
        page.push_str(&with_synopsis(&render(titled)?, sub));
    }
    Ok(page)
}

/// `page` with its SYNOPSIS line replaced by [`synopsis`]'s: `clap_mangen` 0.3 gives the
/// options without their values (`[--from]`).
fn with_synopsis(page: &str, command: &clap::Command) -> String {
    const HEADING: &str = ".SH SYNOPSIS\n";
    let Some(start) = page.find(HEADING).map(|at| at + HEADING.len()) else {
        return page.to_owned();
    };
    let end = page[start..].find('\n').map_or(page.len(), |at| start + at);
    format!("{}{}{}", &page[..start], synopsis(command), &page[end..])
}

/// The SYNOPSIS of a built command in roff: its command line, each option with its value
/// (`[--from <YYYY-MM-DD>]`), the command's own before those of every command (as `--help`
/// lists them), then its arguments.
fn synopsis(command: &clap::Command) -> String {
    let name = command.get_bin_name().unwrap_or(command.get_name());
    let mut words = vec![format!("\\fB{}\\fR", roff_escape(name))];
    let (mut options, arguments): (Vec<&clap::Arg>, Vec<&clap::Arg>) = command
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .partition(|arg| !arg.is_positional());
    options.sort_by_key(|arg| arg.get_help_heading().is_some());
    for arg in options {
        let mut word = match (arg.get_short(), arg.get_long()) {
            (Some(short), Some(long)) => {
                format!("\\fB\\-{short}\\fR|\\fB\\-\\-{}\\fR", roff_escape(long))
            }
            (Some(short), None) => format!("\\fB\\-{short}\\fR"),
            (None, Some(long)) => format!("\\fB\\-\\-{}\\fR", roff_escape(long)),
            (None, None) => continue,
        };
        if arg.get_action().takes_values() {
            word = format!("{word} \\fI<{}>\\fR", roff_escape(&value_names(arg)));
        }
        words.push(optional(word, arg.is_required_set()));
    }
    for arg in arguments {
        let mut word = format!("\\fI<{}>\\fR", roff_escape(&value_names(arg)));
        if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
            word.push_str("...");
        }
        words.push(optional(word, arg.is_required_set()));
    }
    if command.has_subcommands() {
        words.push("\\fI<command>\\fR".to_owned());
    }
    words.join(" ")
}

/// What an option or argument takes, as `--help` names it (`YYYY-MM-DD`, `DRAFT`).
fn value_names(arg: &clap::Arg) -> String {
    match arg.get_value_names() {
        Some(names) => names
            .iter()
            .map(clap::builder::Str::as_str)
            .collect::<Vec<_>>()
            .join(" "),
        None => arg.get_id().as_str().to_uppercase(),
    }
}

/// `word`, in brackets when it may be left out.
fn optional(word: String, required: bool) -> String {
    if required { word } else { format!("[{word}]") }
}

/// The main page's SUBCOMMANDS by their command line (`twir-events render`), not as pages of
/// their own (`twir-events-render(1)`): `man` writes one file, no page of that name exists.
/// Each command's page follows the main one in that file.
fn commands_by_their_command_line(page: &str) -> String {
    const HEADING: &str = ".SH SUBCOMMANDS\n";
    let Some(start) = page.find(HEADING) else {
        return page.to_owned();
    };
    let end = page[start..]
        .find("\n.SH ")
        .map_or(page.len(), |at| start + at + 1);
    let mut section: String = page[start..end]
        .lines()
        .map(|line| {
            match line
                .strip_prefix("twir\\-events\\-")
                .and_then(|rest| rest.strip_suffix("(1)"))
            {
                Some(sub) => format!("\\fBtwir\\-events {sub}\\fR\n"),
                None => format!("{line}\n"),
            }
        })
        .collect();
    section.push_str(
        ".PP\nEach command's options: its page, after this one, or \\fBtwir\\-events\\fR \\fIcommand\\fR \\fB\\-\\-help\\fR.\n",
    );
    format!("{}{section}{}", &page[..start], &page[end..])
}

/// The EXIT STATUS section in roff, from [`exit::STATUSES`] (written in Markdown).
fn exit_status_section() -> String {
    use std::fmt::Write as _;
    let mut roff = String::from(".SH \"EXIT STATUS\"\n");
    for (codes, meaning) in exit::STATUSES {
        let codes: Vec<String> = codes.iter().map(u8::to_string).collect();
        let text = meaning.replace('`', "").replace("\\|", "|");
        let _ = writeln!(
            roff,
            ".TP\n\\fB{}\\fR\n{}",
            codes.join(", "),
            roff_escape(&text)
        );
    }
    roff
}

/// Text for roff: backslashes and hyphens escaped, no line starting as a request.
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with(['.', '\'']) {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
