//! `add URL…` (and `health --fix`): each URL's kind worked out, fetched once through the
//! pipeline for a preview (what it reads in the window), checked against the sources already
//! listed, and appended to the sources file as a `[[source]]` table (`--dry-run`: printed).

use super::setup::{live_fetcher, runtime};
use super::writable::{self, Output};
use super::{Common, RunArgs, WindowStart, live_options, window};
use crate::config::Config;
use crate::error::{Error, exit};
use crate::fetch::live::LiveOptions;
use crate::fetch::replay::ReplayFetcher;
use crate::fetch::{Fetch, FetchError, FetchFuture, Response};
use crate::files::write_atomically;
use crate::model::Window;
use crate::new_source::{self as add, Candidate, Plan, Refusal};
use crate::sources::kind::Redirect;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What happened to the URLs of one `add` (or `health --fix`).
#[derive(Debug, Default)]
pub(super) struct Added {
    pub(super) added: Vec<String>,
    pub(super) refused: Vec<(String, Refusal)>,
}

impl Added {
    /// 0 all added; 1 a URL refused for itself (not http(s), listed, no events); else 2 a
    /// source that could not be read.
    pub(super) fn exit_code(&self) -> u8 {
        if self.refused.iter().any(|(_, r)| !r.is_source_failure()) {
            exit::USAGE
        } else if self.refused.is_empty() {
            exit::OK
        } else {
            exit::SOURCE_FAILED
        }
    }
}

/// A URL to add, with what is known of it already (`health --fix`: the name and home the
/// editors printed), which wins over what its page says.
#[derive(Debug, Clone, Default)]
pub(super) struct Request {
    pub(super) url: String,
    pub(super) name: Option<String>,
    pub(super) home: Option<String>,
}

/// The sources file `add` edits: `--sources`, else `./sources.toml` (never a snapshot's own).
fn target(common: &Common) -> PathBuf {
    common
        .sources
        .clone()
        .unwrap_or_else(|| PathBuf::from("sources.toml"))
}

/// What `add --dry-run` says of a URL it would add.
const DRY: &str = "ok: its entry is printed on stdout (--dry-run: nothing written)";

/// A line of the review on stderr, unless `--quiet` (which prints errors only: refusals).
macro_rules! say {
    ($quiet:expr, $($arg:tt)*) => {
        if !$quiet {
            note!($($arg)*);
        }
    };
}

pub(super) fn add(
    common: &Common,
    run: &RunArgs,
    urls: &[String],
    dry_run: bool,
) -> Result<u8, Error> {
    let path = target(common);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && dry_run => String::new(),
        Err(e) => {
            return Err(Error::Usage(format!(
                "cannot read {}: {e} (create it, or pass --sources FILE)",
                path.display()
            )));
        }
    };
    let requests: Vec<Request> = urls
        .iter()
        .map(|url| Request {
            url: url.clone(),
            ..Request::default()
        })
        .collect();
    let added = add_urls(common, run, &path, text, &requests, dry_run)?;
    Ok(added.exit_code())
}

/// Adds `urls` to the sources file at `path` (its text `text`), each checked; writes the file
/// once (unless `dry_run`: the entries go to stdout). Reports on stderr.
pub(super) fn add_urls(
    common: &Common,
    run: &RunArgs,
    path: &Path,
    mut text: String,
    requests: &[Request],
    dry_run: bool,
) -> Result<Added, Error> {
    common.refuse_live_with_replay(run)?;
    if !dry_run {
        writable::check("--sources", path, Output::File)?;
    }
    let file = path.display().to_string();
    let mut config = if text.trim().is_empty() {
        Config::default()
    } else {
        Config::parse(&text, &file)?
    };
    let replay = match &run.replay {
        Some(dir) => Some(ReplayFetcher::open(dir).map_err(|e| Error::Snapshot(e.to_string()))?),
        None => None,
    };
    let today = run
        .today
        .or_else(|| replay.as_ref().map(|r| r.recorded_at().date_naive()))
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let window = window(today, run.from, run.to, run.weeks, WindowStart::NextIssue)?;
    let live = match &replay {
        Some(_) => None,
        None => Some(live_fetcher(LiveOptions {
            trusted: Some(config.trusted()),
            ..live_options(common)
        })?),
    };
    let inner: &dyn Fetch = match (&replay, &live) {
        (Some(r), _) => r,
        (None, Some(l)) => l,
        (None, None) => unreachable!("a fetcher is made above"),
    };
    let once = Once {
        inner,
        seen: std::sync::Mutex::default(),
    };
    let fetcher: &dyn Fetch = &once;
    let rt = runtime()?;
    let quiet = common.quiet;
    let mut out = Added::default();
    let mut entries = String::new();
    for request in requests {
        let url = &request.url;
        let found = rt
            .block_on(try_one(&config, fetcher, &window, url, quiet))
            .map(|c| with_hints(c, request));
        match found.and_then(|c| {
            add::append(&text, &file, &c)
                .map(|(t, cfg)| (c, t, cfg))
                .map_err(|e| Refusal::Unreadable(format!("the entry does not load: {e}")))
        }) {
            Ok((c, new_text, new_config)) => {
                if let Some(o) = add::organizer_listed(&config, &c) {
                    say!(
                        quiet,
                        "  note: the [[organizer]] at line {} ({}) names the same group",
                        o.line,
                        o.url
                    );
                }
                let done = if dry_run { DRY } else { "added" };
                say!(quiet, "add: {url}: {done}");
                entries.push_str(&add::entry_text(&c));
                entries.push('\n');
                text = new_text;
                config = new_config;
                out.added.push(c.url);
            }
            Err(why) => {
                note!("add: {url}: refused: {why}");
                out.refused.push((url.clone(), why));
            }
        }
    }
    if dry_run {
        super::stdout(&entries)?;
    } else if !out.added.is_empty() {
        write_atomically(path, text.as_bytes()).map_err(|e| Error::Write {
            path: file.clone(),
            message: e.to_string(),
        })?;
        say!(
            quiet,
            "{file}: {} added",
            crate::text::count(out.added.len(), "source", "sources")
        );
    }
    Ok(out)
}

/// The editors' name and home over what the page says (a home only when it reads as a
/// newsletter place, as the loader requires).
fn with_hints(mut c: Candidate, request: &Request) -> Candidate {
    if let Some(name) = &request.name {
        c.name = Some(name.clone());
    }
    c.home = request
        .home
        .clone()
        .filter(|h| crate::place::parse_newsletter_place(h).is_some())
        .or(c.home);
    c
}

/// Each URL fetched once per `add`: the page read for its kind is the page the preview reads.
struct Once<'a> {
    inner: &'a dyn Fetch,
    seen: std::sync::Mutex<HashMap<String, Result<Response, FetchError>>>,
}

impl Fetch for Once<'_> {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            let known = self
                .seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get(url)
                .cloned();
            if let Some(answer) = known {
                return answer;
            }
            let answer = self.inner.fetch(url).await;
            self.seen
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(url.to_string(), answer.clone());
            answer
        })
    }
}

/// One URL: its plan, what the pages it names say, the group not listed already, and a
/// preview run of the entry.
async fn try_one(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
    url: &str,
    quiet: bool,
) -> Result<Candidate, Refusal> {
    let mut c = match add::plan(url)? {
        Plan::Known(c) => c,
        Plan::LumaEvent(page) => {
            let html = fetch_text(fetcher, &page).await?;
            add::luma_page(&html)
                .candidate()
                .ok_or_else(|| Refusal::NoEvents {
                    found: format!("{page} names no luma calendar in its data"),
                    entry: None,
                })?
        }
        Plan::Probe(page) => {
            if let Some(r) = add::without_events(&page) {
                // A ticket page names its organizer in its data: the hint gives its page.
                let ticket = crate::link::parts(&page)
                    .is_some_and(|p| crate::site::platform::is_eventbrite(&p.host));
                if ticket && let Ok(html) = fetch_text(fetcher, &page).await {
                    return Err(add::with_organizer_of(r, &page, &html));
                }
                return Err(r);
            }
            let body = fetch_text(fetcher, &page).await?;
            add::by_content(&page, &body)?
        }
    };
    let listed = |c: &Candidate| {
        add::listed(config, c).map(|s| Refusal::Listed {
            line: s.line,
            url: s.url.clone(),
        })
    };
    if let Some(r) = listed(&c) {
        return Err(r);
    }
    if c.kind.spec().calendar_on_page() {
        // The calendar page: its `cal-…` id (a calendar listed under it is the same) and name.
        let html = fetch_text(fetcher, &c.url).await?;
        let page = add::luma_page(&html);
        if let Some(more) = page.candidate() {
            for g in more.groups {
                if !c.groups.contains(&g) {
                    c.groups.push(g);
                }
            }
        }
        c.name = c.name.or(page.name);
        if let Some(r) = listed(&c) {
            return Err(r);
        }
    }
    if let Some(r) = listed_luma_calendar(config, fetcher, &c).await {
        return Err(r);
    }
    let (mut c, moved) = preview(config, fetcher, window, c, quiet).await?;
    // A renamed group (its old name redirects; the kind tells a rename from a login or error
    // page): listed under its new name, refused; else the entry takes the new name.
    let renamed = moved.as_deref().map(|to| c.kind.spec().redirect(to));
    if let Some(Redirect::Renamed { url, groups }) = renamed {
        let renamed = Candidate {
            url,
            groups,
            ..c.clone()
        };
        if let Some(r) = listed(&renamed) {
            return Err(r);
        }
        if renamed.url != c.url {
            say!(
                quiet,
                "  renamed: its page is now {}; the entry takes the new name",
                renamed.url
            );
            c = renamed;
        }
    }
    Ok(c)
}

/// A calendar known by its `cal-…` id (a feed, a calendar page without its slug) may be
/// listed under its slug: the listed luma calendars' pages name their ids (one fetch each;
/// a page that cannot be read is passed over).
async fn listed_luma_calendar(
    config: &Config,
    fetcher: &dyn Fetch,
    c: &Candidate,
) -> Option<Refusal> {
    let ids: Vec<&String> = c
        .groups
        .iter()
        .filter(|g| crate::site::luma_com::is_calendar_key(g))
        .collect();
    if ids.is_empty() {
        return None;
    }
    for s in &config.sources {
        if !s.kind.spec().calendar_on_page() {
            continue;
        }
        let Ok(html) = fetch_text(fetcher, &s.url).await else {
            continue;
        };
        let theirs = add::luma_page(&html).candidate();
        if theirs.is_some_and(|t| t.groups.iter().any(|g| ids.contains(&g))) {
            return Some(Refusal::Listed {
                line: s.line,
                url: s.url.clone(),
            });
        }
    }
    None
}

async fn fetch_text(fetcher: &dyn Fetch, url: &str) -> Result<String, Refusal> {
    fetcher
        .fetch(url)
        .await
        .map(|r| r.text())
        .map_err(|e| Refusal::Unreadable(e.to_string()))
}

/// Runs the pipeline on the entry alone; says what it read (stderr) and names it from its
/// events when the page did not. Returns the entry and where its page redirected, if it did.
async fn preview(
    config: &Config,
    fetcher: &dyn Fetch,
    window: &Window,
    mut c: Candidate,
    quiet: bool,
) -> Result<(Candidate, Option<String>), Refusal> {
    let alone = Config::parse(&add::entry_text(&c), "the new entry")
        .map_err(|e| Refusal::Unreadable(format!("the entry does not load: {e}")))?;
    let alone = Config {
        sources: alone.sources,
        organizers: config.organizers.clone(),
        printed: config.printed.clone(),
        ..Config::default()
    };
    let outcome =
        crate::pipeline::run_with(&alone, fetcher, window, &crate::pipeline::Silent).await;
    let Some(report) = outcome.reports.first() else {
        return Err(Refusal::Unreadable("no report from the run".into()));
    };
    if let Some(e) = report.failure() {
        return Err(Refusal::Unreadable(e.to_string()));
    }
    if let Some(why) = report.suspect() {
        return Err(Refusal::NoEvents {
            found: why.to_string(),
            entry: None,
        });
    }
    if c.name.is_none() && !c.kind.spec().is_feed() {
        let mut names = outcome.events.iter().map(|e| e.organizer.name.as_str());
        if let Some(first) = names.next()
            && names.all(|n| n == first)
            && !first.is_empty()
        {
            c.name = Some(first.to_string());
        }
    }
    say!(
        quiet,
        "add: {} → kind = \"{}\", {}{}",
        report.url,
        c.kind.as_str(),
        c.url,
        c.name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    );
    if let (Some(o), Some(name)) = (&c.organizer, &c.name) {
        say!(
            quiet,
            "  organizer: {name}, {o} (the feed's own name and its site: every event prints them)"
        );
    }
    if let Some(f) = &report.fallback {
        say!(quiet, "  read through its fallback: {f}");
    }
    say!(
        quiet,
        "  {} from {} to {}",
        crate::text::count(outcome.events.len(), "event", "events"),
        window.from,
        window.to
    );
    for e in outcome.events.iter().take(10) {
        let place = e
            .place
            .as_ref()
            .map_or_else(|| format!("{:?}", e.attendance), ToString::to_string);
        let regions: Vec<String> = e.regions.iter().map(|r| format!("{r:?}")).collect();
        say!(
            quiet,
            "    {} {} — {} [{}] {}",
            e.start_date,
            e.title,
            place,
            regions.join(", "),
            e.url
        );
    }
    for w in &report.warnings {
        say!(quiet, "  warning: {w}");
    }
    Ok((c, report.redirected_to.clone()))
}

/// `health --fix`: the sources `health` suggests (not the `[[organizer]]` entries, which read
/// nothing), added through `add`, each checked the same way; what was added and what was
/// refused on stderr.
pub(super) fn fix(
    common: &Common,
    run: &RunArgs,
    path: &Path,
    health: &crate::health::Health,
) -> Result<Added, Error> {
    let requests: Vec<Request> = health
        .uncovered
        .iter()
        .filter(|u| u.suggestion_kind != crate::health::SuggestionKind::Organizer)
        .map(|u| Request {
            url: u.link.clone(),
            name: Some(u.name.clone()),
            home: u.home.clone(),
        })
        .collect();
    if requests.is_empty() {
        note!("health --fix: no source to add");
        return Ok(Added::default());
    }
    let text = std::fs::read_to_string(path).map_err(|e| Error::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let added = add_urls(common, run, path, text, &requests, false)?;
    note!(
        "health --fix: {} added, {} refused",
        added.added.len(),
        added.refused.len()
    );
    for url in &added.added {
        note!("  added: {url}");
    }
    for (url, why) in &added.refused {
        note!(
            "  refused: {url}: {}",
            why.to_string().lines().next().unwrap_or("")
        );
    }
    Ok(added)
}
