//! Recording every response a run fetches, and writing a snapshot directory.
//!
//! [`Recorder`] wraps any [`Fetch`] and remembers each outcome in the order the URLs were first
//! asked for. [`Recorder::write_snapshot`] then writes the layout [`super::replay`] reads:
//! `manifest.json`, one body file per successful response under
//! `responses/<host>/<slug>-<hash>.<ext>`, and `sources.toml` when given. Responses with a
//! non-2xx status are kept in the manifest (without a body) so that a replay fails the same way;
//! network failures and timeouts are not responses and are only listed in the
//! [`SnapshotSummary`].
//!
//! Writing is atomic: everything goes into a sibling `DIR.tmp-<pid>`, which replaces `DIR` only
//! once complete (old renamed away, new renamed in, old removed). A failure leaves the old
//! snapshot as it was and no temporary directory behind. [`write_atomically`] does the same for
//! one file (`.NAME.tmp-<pid>-<n>`).
//!
//! No temporary file is left behind: the ones alive are registered, and removed on SIGINT and
//! SIGTERM by [`clean_up_on_signals`] (exit 130/143); the ones a killed process (`kill -9`,
//! power loss) left are removed by the next write to the same target, when their process no
//! longer runs (`kill(pid, 0)`). Only names of our exact pattern for that target are touched.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, FixedOffset};

use super::replay::{MANIFEST, Manifest, ManifestEntry, SOURCES};
use super::{Fetch, FetchError, FetchFuture, Response};

/// What one request ended with.
#[derive(Debug, Clone)]
enum Outcome {
    /// Asked for, not finished (the future was dropped, or is still running).
    Pending,
    Done(Result<Response, FetchError>),
}

/// A fetcher that remembers every outcome of the fetcher it wraps.
#[derive(Debug)]
pub struct Recorder<F: Fetch> {
    inner: F,
    log: Mutex<Vec<(String, Outcome)>>,
}

/// What [`Recorder::write_snapshot`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotSummary {
    pub dir: PathBuf,
    /// Successful responses written with their body.
    pub responses: usize,
    /// Non-2xx responses recorded as failures (replayed as the same status).
    pub statuses: usize,
    /// Total size of the bodies written.
    pub bytes: u64,
    /// Failures that are not responses (timeouts, network errors), in request order: the
    /// snapshot does not contain these URLs.
    pub not_recorded: Vec<FetchError>,
}

impl<F: Fetch> Recorder<F> {
    pub fn new(inner: F) -> Self {
        Recorder {
            inner,
            log: Mutex::new(Vec::new()),
        }
    }

    /// The wrapped fetcher.
    pub fn inner(&self) -> &F {
        &self.inner
    }

    /// Number of requests seen so far (duplicates included).
    pub fn requests(&self) -> usize {
        self.lock().len()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<(String, Outcome)>> {
        // A poisoned lock means a task panicked while pushing; the log itself is consistent.
        self.log.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// One entry per URL, in the order of first request: the first success if there is one,
    /// else the first non-2xx status, else the first other failure. Unfinished requests are
    /// skipped.
    fn outcomes(&self) -> Vec<(String, Result<Response, FetchError>)> {
        let log = self.lock();
        let mut order: Vec<String> = Vec::new();
        let mut best: HashMap<&str, &Result<Response, FetchError>> = HashMap::new();
        fn rank(r: &Result<Response, FetchError>) -> u8 {
            match r {
                Ok(_) => 0,
                Err(FetchError::Status { .. }) => 1,
                Err(_) => 2,
            }
        }
        for (url, outcome) in log.iter() {
            let Outcome::Done(result) = outcome else {
                continue;
            };
            match best.get(url.as_str()) {
                None => {
                    order.push(url.clone());
                    best.insert(url, result);
                }
                Some(prev) if rank(result) < rank(prev) => {
                    best.insert(url, result);
                }
                Some(_) => {}
            }
        }
        order
            .into_iter()
            .map(|url| {
                let result = best[url.as_str()].clone();
                (url, result)
            })
            .collect()
    }

    /// Writes the snapshot to `dir` atomically (see the module documentation), replacing any
    /// snapshot already there.
    pub fn write_snapshot(
        &self,
        dir: &Path,
        recorded_at: DateTime<FixedOffset>,
        sources_toml: Option<&str>,
    ) -> io::Result<SnapshotSummary> {
        let mut summary = SnapshotSummary {
            dir: dir.to_owned(),
            responses: 0,
            statuses: 0,
            bytes: 0,
            not_recorded: Vec::new(),
        };
        let mut entries = Vec::new();
        let mut bodies: Vec<(String, Vec<u8>)> = Vec::new();
        let mut taken: HashSet<String> = HashSet::new();
        for (url, result) in self.outcomes() {
            match result {
                Ok(resp) => {
                    let file = unique_name(&mut taken, &url, resp.content_type.as_deref());
                    summary.responses += 1;
                    summary.bytes += resp.body.len() as u64;
                    entries.push(ManifestEntry {
                        url,
                        status: resp.status,
                        content_type: resp.content_type,
                        file: Some(file.clone()),
                        redirected_to: resp.redirected_to,
                    });
                    bodies.push((file, resp.body));
                }
                Err(FetchError::Status { status, .. }) => {
                    summary.statuses += 1;
                    entries.push(ManifestEntry {
                        url,
                        status,
                        content_type: None,
                        file: None,
                        redirected_to: None,
                    });
                }
                Err(e) => summary.not_recorded.push(e),
            }
        }
        let manifest = Manifest {
            recorded_at,
            responses: entries,
        };
        let mut json = serde_json::to_vec_pretty(&manifest).map_err(io::Error::other)?;
        json.push(b'\n');

        write_dir_atomically(dir, |tmp| {
            for (file, body) in &bodies {
                let path = tmp.join(file);
                if let Some(dir) = Path::new(file).parent() {
                    create_dirs_below(tmp, dir)?;
                }
                write_synced(&path, body)?;
            }
            write_synced(&tmp.join(MANIFEST), &json)?;
            if let Some(sources) = sources_toml {
                write_synced(&tmp.join(SOURCES), sources.as_bytes())?;
            }
            Ok(())
        })?;
        Ok(summary)
    }
}

impl<F: Fetch> Fetch for Recorder<F> {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        // Reserve the slot now, so the manifest follows the order of the calls, not of the
        // completions.
        let index = {
            let mut log = self.lock();
            log.push((url.to_owned(), Outcome::Pending));
            log.len() - 1
        };
        Box::pin(async move {
            let result = self.inner.fetch(url).await;
            self.lock()[index].1 = Outcome::Done(result.clone());
            result
        })
    }
}

/// `responses/<host>/<slug>-<hash>.<ext>`, unique among `taken`.
fn unique_name(taken: &mut HashSet<String>, url: &str, content_type: Option<&str>) -> String {
    let (host, slug) = host_and_slug(url);
    let ext = extension(content_type, url);
    let hash = format!("{:016x}", fnv1a(url.as_bytes()));
    let base = format!("responses/{host}/{slug}-{}", &hash[..8]);
    let mut name = format!("{base}.{ext}");
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{base}-{n}.{ext}");
        n += 1;
    }
    name
}

/// A file-system-safe host directory and a readable slug of the path and query.
fn host_and_slug(url: &str) -> (String, String) {
    let (host, rest) = match url::Url::parse(url) {
        Ok(u) => {
            let mut host = u.host_str().unwrap_or("no-host").to_ascii_lowercase();
            if let Some(port) = u.port() {
                host = format!("{host}_{port}");
            }
            let mut rest = u.path().to_owned();
            if let Some(q) = u.query() {
                rest.push('-');
                rest.push_str(q);
            }
            (host, rest)
        }
        Err(_) => ("no-host".to_owned(), url.to_owned()),
    };
    (
        sanitize(&host, true, 80, "no-host"),
        sanitize(&rest, false, 60, "index"),
    )
}

/// Lower-case ASCII letters, digits, `.` and `_` (when `keep_dots`: hosts) and single `-`, at most `max` bytes.
fn sanitize(s: &str, keep_dots: bool, max: usize, empty: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = c.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() || (keep_dots && (c == '.' || c == '_')) {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= max {
            break;
        }
    }
    let out = out.trim_matches(['-', '.']);
    if out.is_empty() {
        empty.to_owned()
    } else {
        out.to_owned()
    }
}

/// The file extension for a content type (`ics`, `html`, `json`, else `txt`); without a
/// content type, the URL's own `.ics`/`.json` suffix.
fn extension(content_type: Option<&str>, url: &str) -> &'static str {
    let mime = content_type
        .and_then(|c| c.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    match mime.as_str() {
        "text/calendar" | "application/ics" => "ics",
        "text/html" | "application/xhtml+xml" => "html",
        m if m == "application/json" || m.ends_with("+json") => "json",
        "" => {
            let path = url.split(['?', '#']).next().unwrap_or("");
            if path.ends_with(".ics") {
                "ics"
            } else if path.ends_with(".json") {
                "json"
            } else {
                "txt"
            }
        }
        _ => "txt",
    }
}

/// 64-bit FNV-1a: a stable short hash for file names. Written here because std's hasher is
/// not guaranteed stable across Rust releases and a cryptographic hash crate would be overkill
/// (uniqueness is also enforced by [`unique_name`]).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Best-effort fsync of a directory, so that renames inside it survive a crash (Unix only;
/// elsewhere a no-op).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

// ---------------------------------------------------------------------------------------------
// Temporary files: a registry of the ones alive in this process (removed on SIGINT/SIGTERM),
// and the clean-up of those left by processes that died (kill -9, power loss).
// ---------------------------------------------------------------------------------------------

/// Temporary files and directories this process has created and not yet renamed into place or
/// removed. Creating one, and renaming one into place, happen while holding this lock; the
/// signal handler takes it and never gives it back (it exits), so it never sees a half-done
/// step and no new temporary file appears after its clean-up.
static LIVE_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn live_temps() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list itself consistent.
    LIVE_TEMPS.lock().unwrap_or_else(|p| p.into_inner())
}

/// Removes every registered temporary path (a few attempts each: a writer may still be adding
/// files to a directory). Returns how many existed.
fn remove_registered(live: &mut Vec<PathBuf>) -> usize {
    let mut removed = 0;
    for path in live.drain(..) {
        if fs::symlink_metadata(&path).is_err() {
            continue;
        }
        removed += 1;
        for _ in 0..5 {
            if remove_any(&path).is_ok() {
                break;
            }
        }
    }
    removed
}

/// Installs handlers for SIGINT and SIGTERM: remove this process's temporary files, say so on
/// stderr, and exit with 128 + the signal (130, 143). Output files stay old or new, never
/// partial: a rename in progress finishes before the clean-up starts. For the binary only (a
/// library user keeps its own signal handling).
#[cfg(unix)]
pub fn clean_up_on_signals() -> io::Result<()> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGINT, SIGTERM])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                let mut live = live_temps();
                let removed = remove_registered(&mut live);
                let name = if signal == SIGINT {
                    "SIGINT"
                } else {
                    "SIGTERM"
                };
                // A closed stderr must not stop the clean-up's exit.
                let _ = writeln!(
                    io::stderr(),
                    "interrupted by {name}: removed {removed} temporary files"
                );
                // Exits with the lock held: no writer creates or renames anything after this.
                std::process::exit(128 + signal);
            }
        })?;
    Ok(())
}

/// Without Unix signals there is nothing to install (stale files are still never partial).
#[cfg(not(unix))]
pub fn clean_up_on_signals() -> io::Result<()> {
    Ok(())
}

/// Whether process `pid` may still be running. Unknowable off Unix: assumed alive, so that a
/// live writer's file is never removed.
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Some(pid) = i32::try_from(pid)
            .ok()
            .and_then(rustix::process::Pid::from_raw)
        else {
            return false;
        };
        // kill(pid, 0): ESRCH means no such process; EPERM means it exists (another user's).
        !matches!(
            rustix::process::test_kill_process(pid),
            Err(rustix::io::Errno::SRCH)
        )
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// The writer's process id in `rest` = `<pid>` (directories) or `<pid>-<n>` (files), all
/// ASCII digits; `None` for any other name.
fn temp_pid(rest: &str, with_counter: bool) -> Option<u32> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let pid = if with_counter {
        let (pid, n) = rest.split_once('-')?;
        digits(n).then_some(pid)?
    } else {
        rest
    };
    if digits(pid) { pid.parse().ok() } else { None }
}

/// Whether a temporary path named for `pid` was left behind: its process is gone, or it is
/// this process's id but not a file this process holds (a dead process had the same id).
fn abandoned(pid: u32, path: &Path, live: &[PathBuf]) -> bool {
    if pid == std::process::id() {
        !live.iter().any(|p| p == path)
    } else {
        !alive(pid)
    }
}

/// Removes `.NAME.tmp-<pid>-<n>` files in `parent` left by processes that no longer run. Only
/// that exact pattern for this target is touched. Best effort: failures are ignored (the write
/// itself decides the outcome).
fn remove_stale_files(parent: &Path, name: &str) -> Vec<PathBuf> {
    let prefix = format!(".{name}.tmp-");
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return removed;
    };
    let live = live_temps();
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let Some(pid) = temp_pid(rest, true) else {
            continue;
        };
        let path = entry.path();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && abandoned(pid, &path, &live) && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Cleans up after snapshot writers that died: `NAME.tmp-<pid>` directories are removed;
/// a `NAME.old-<pid>` directory (the previous snapshot, moved aside just before the new one
/// was to be renamed in) is put back when `NAME` itself is missing, else removed.
fn remove_stale_dirs(dir: &Path, parent: &Path, name: &str) -> Vec<PathBuf> {
    let mut removed = Vec::new();
    let Ok(entries) = fs::read_dir(parent) else {
        return removed;
    };
    let live = live_temps();
    let (tmp_prefix, old_prefix) = (format!("{name}.tmp-"), format!("{name}.old-"));
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let (rest, old) = if let Some(rest) = file_name.strip_prefix(&tmp_prefix) {
            (rest, false)
        } else if let Some(rest) = file_name.strip_prefix(&old_prefix) {
            (rest, true)
        } else {
            continue;
        };
        let Some(pid) = temp_pid(rest, false) else {
            continue;
        };
        let path = entry.path();
        if !entry.file_type().is_ok_and(|t| t.is_dir()) || !abandoned(pid, &path, &live) {
            continue;
        }
        if old && fs::symlink_metadata(dir).is_err() && fs::rename(&path, dir).is_ok() {
            continue;
        }
        if remove_any(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// Fills a fresh sibling directory `DIR.tmp-<pid>` with `fill`, then puts it in place of `dir`
/// (replacing what was there only once the new one is complete). On any error the temporary
/// directory is removed and `dir` is left as it was. Temporary directories of writers that
/// died are cleaned up first (see [`remove_stale_dirs`]); on SIGINT/SIGTERM this one is
/// removed (see [`clean_up_on_signals`]). `fill` must create what it needs below the
/// directory it is given without recreating that directory (`fs::create_dir_all` on a path
/// inside it would bring it back after a signal's clean-up): see [`create_dirs_below`].
pub fn write_dir_atomically<T>(
    dir: &Path,
    fill: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    let name = dir.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a directory name", dir.display()),
        )
    })?;
    let name = name.to_string_lossy();
    let parent = parent_of(dir);
    // Only the folder asked for is made: a mistyped parent is an error, not a new tree.
    if !parent.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "the folder {} does not exist (create it first, or choose another --out)",
                parent.display()
            ),
        ));
    }
    remove_stale_dirs(dir, parent, &name);
    let pid = std::process::id();
    let tmp = parent.join(format!("{name}.tmp-{pid}"));
    let old = parent.join(format!("{name}.old-{pid}"));

    {
        let mut live = live_temps();
        remove_any(&tmp)?;
        fs::create_dir(&tmp)?;
        live.push(tmp.clone());
    }
    let unregister = |path: &Path| live_temps().retain(|p| p != path);
    let filled = fill(&tmp).inspect(|_| sync_dir(&tmp));
    let value = match filled {
        Ok(v) => v,
        Err(e) => {
            let mut live = live_temps();
            let _ = remove_any(&tmp);
            live.retain(|p| p != &tmp);
            return Err(e);
        }
    };

    // The swap, under the lock: a signal's clean-up sees either the old snapshot in place (and
    // removes the new temporary one) or the new one in place (and removes the old).
    let swapped = {
        let mut live = live_temps();
        let had_old = fs::symlink_metadata(dir).is_ok();
        let mut result = Ok(had_old);
        if had_old {
            result = remove_any(&old).and_then(|()| fs::rename(dir, &old).map(|()| true));
        }
        if result.is_ok()
            && let Err(e) = fs::rename(&tmp, dir)
        {
            if had_old {
                let _ = fs::rename(&old, dir);
            }
            result = Err(e);
        }
        if result.is_err() {
            let _ = remove_any(&tmp);
        }
        live.retain(|p| p != &tmp);
        if result.as_ref().is_ok_and(|had_old| *had_old) {
            live.push(old.clone());
        }
        result
    };
    let had_old = swapped?;
    sync_dir(parent);
    if had_old {
        // The new snapshot is in place; failing to delete the old one is not worth an error
        // (the next write removes it).
        let _ = remove_any(&old);
        unregister(&old);
    }
    Ok(value)
}

/// Creates `base/rel` and its missing parents below `base`, one level at a time, failing when
/// `base` itself is gone (unlike `fs::create_dir_all`, which would recreate it).
pub fn create_dirs_below(base: &Path, rel: &Path) -> io::Result<()> {
    let mut path = base.to_path_buf();
    for part in rel.components() {
        path.push(part);
        match fs::create_dir(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && path.is_dir() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically: a temporary file `.NAME.tmp-<pid>-<n>` in the same
/// directory, fsync, rename. Readers see the old content or the new, never a partial file; on
/// error `path` is untouched and the temporary file removed. Temporary files of this target
/// left by processes that died are removed first; on SIGINT/SIGTERM this one is removed (see
/// [`clean_up_on_signals`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a file name", path.display()),
        )
    })?;
    let name = name.to_string_lossy();
    let parent = parent_of(path);
    remove_stale_files(parent, &name);
    let tmp = parent.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let file = {
        let mut live = live_temps();
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        live.push(tmp.clone());
        file
    };
    let written = (|| {
        let mut file = file;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    let result = {
        let mut live = live_temps();
        let result = written.and_then(|()| fs::rename(&tmp, path));
        if result.is_err() {
            let _ = fs::remove_file(&tmp);
        }
        live.retain(|p| p != &tmp);
        result
    };
    result?;
    sync_dir(parent);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_readable_and_typed_by_content_type() {
        let mut taken = HashSet::new();
        let n = unique_name(
            &mut taken,
            "https://calendar.google.com/calendar/ical/apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com/public/basic.ics",
            Some("text/calendar; charset=UTF-8"),
        );
        assert!(
            n.starts_with("responses/calendar.google.com/calendar-ical-apd9vmbc22egenmtu5l6c5jbfc-40group-calendar"),
            "{n}"
        );
        assert!(n.ends_with(".ics"), "{n}");
        let n = unique_name(
            &mut taken,
            "https://www.meetup.com/rust-berlin/events/",
            Some("text/html; charset=utf-8"),
        );
        assert!(
            n.starts_with("responses/www.meetup.com/rust-berlin-events-"),
            "{n}"
        );
        assert!(n.ends_with(".html"));
        let n = unique_name(&mut taken, "http://127.0.0.1:4321/", None);
        assert!(n.starts_with("responses/127.0.0.1_4321/index-"), "{n}");
        assert!(n.ends_with(".txt"));
    }

    #[test]
    fn names_differ_for_urls_with_the_same_slug_and_stay_unique() {
        let mut taken = HashSet::new();
        let a = unique_name(&mut taken, "https://a.example/x?y", None);
        let b = unique_name(&mut taken, "https://a.example/x/y", None);
        assert_ne!(a, b);
        let again = unique_name(&mut taken, "https://a.example/x?y", None);
        assert_ne!(a, again, "a repeated name gets a suffix");
    }

    #[test]
    fn extensions() {
        assert_eq!(extension(Some("application/ld+json"), "x"), "json");
        assert_eq!(extension(Some("APPLICATION/JSON"), "x"), "json");
        assert_eq!(extension(Some("text/plain"), "https://a/b.ics"), "txt");
        assert_eq!(extension(None, "https://a/b.ics?x=1"), "ics");
        assert_eq!(extension(Some("application/xhtml+xml"), "x"), "html");
    }

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn failed_fill_leaves_old_directory_and_no_temp() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("snap");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("keep.txt"), b"old").unwrap();
        let err = write_dir_atomically(&dir, |tmp| {
            fs::write(tmp.join("half.txt"), b"partial")?;
            Err::<(), _>(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
        assert_eq!(fs::read(dir.join("keep.txt")).unwrap(), b"old");
        assert!(!dir.join("half.txt").exists());
        let names: Vec<_> = fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, ["snap"]);
    }

    #[test]
    fn successful_fill_replaces_old_directory() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("snap");
        fs::create_dir(&dir).unwrap();
        fs::write(dir.join("stale.txt"), b"old").unwrap();
        write_dir_atomically(&dir, |tmp| fs::write(tmp.join("new.txt"), b"new")).unwrap();
        assert!(!dir.join("stale.txt").exists());
        assert_eq!(fs::read(dir.join("new.txt")).unwrap(), b"new");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// A process id that is not running: a child that has exited and been waited for.
    fn dead_pid() -> u32 {
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        child.wait().unwrap();
        assert!(!alive(pid));
        pid
    }

    #[test]
    fn temp_names_are_parsed_strictly() {
        assert_eq!(temp_pid("123-4", true), Some(123));
        assert_eq!(temp_pid("123", false), Some(123));
        for bad in ["123", "-4", "123-", "12a-4", "123-4x", "123-4-5", ""] {
            assert_eq!(temp_pid(bad, true), None, "{bad}");
        }
        assert_eq!(temp_pid("12-3", false), None);
        assert!(alive(std::process::id()));
    }

    #[cfg(unix)]
    #[test]
    fn stale_temp_files_of_dead_processes_are_removed_at_the_next_write() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("events.json");
        let dead = dead_pid();
        let me = std::process::id();
        // Left by a dead writer: removed.
        fs::write(root.path().join(format!(".events.json.tmp-{dead}-0")), b"{").unwrap();
        fs::write(root.path().join(format!(".events.json.tmp-{dead}-17")), b"").unwrap();
        // This process's id, but not a file this process holds (an earlier process with the
        // same id): removed.
        fs::write(
            root.path().join(format!(".events.json.tmp-{me}-999999")),
            b"",
        )
        .unwrap();
        // A live writer's (pid 1 always runs), another target's, and other names: kept.
        let kept = [
            ".events.json.tmp-1-0".to_string(),
            format!(".other.json.tmp-{dead}-0"),
            format!(".events.json.tmp-{dead}-0.bak"),
            format!("events.json.tmp-{dead}-0"),
            format!(".events.json.tmp-{dead}"),
        ];
        for k in &kept {
            fs::write(root.path().join(k), b"keep").unwrap();
        }
        write_atomically(&file, b"new").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"new");
        let mut expected: Vec<String> = kept.to_vec();
        expected.push("events.json".into());
        expected.sort();
        assert_eq!(names_in(root.path()), expected);
        assert!(live_temps().iter().all(|p| !p.starts_with(root.path())));
    }

    #[cfg(unix)]
    #[test]
    fn stale_snapshot_directories_are_removed_and_a_moved_aside_snapshot_restored() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("snap");
        let dead = dead_pid();
        // Killed between moving the old snapshot aside and renaming the new one in.
        let old = root.path().join(format!("snap.old-{dead}"));
        fs::create_dir(&old).unwrap();
        fs::write(old.join("keep.txt"), b"previous").unwrap();
        let tmp = root.path().join(format!("snap.tmp-{dead}"));
        fs::create_dir_all(tmp.join("responses")).unwrap();
        let live_tmp = root.path().join("snap.tmp-1");
        fs::create_dir(&live_tmp).unwrap();
        // The new write fails: the restored snapshot is still there, the dead one's temp gone.
        let err = write_dir_atomically(&dir, |_| Err::<(), _>(io::Error::other("no")));
        assert!(err.is_err());
        assert_eq!(fs::read(dir.join("keep.txt")).unwrap(), b"previous");
        assert_eq!(names_in(root.path()), ["snap", "snap.tmp-1"]);
        // A successful write replaces it and leaves nothing of its own.
        write_dir_atomically(&dir, |tmp| {
            create_dirs_below(tmp, Path::new("responses/host"))?;
            fs::write(tmp.join("responses/host/a.txt"), b"new")
        })
        .unwrap();
        assert_eq!(fs::read(dir.join("responses/host/a.txt")).unwrap(), b"new");
        assert_eq!(names_in(root.path()), ["snap", "snap.tmp-1"]);
        assert!(live_temps().iter().all(|p| !p.starts_with(root.path())));
    }

    #[test]
    fn create_dirs_below_never_recreates_its_base() {
        let root = tempfile::tempdir().unwrap();
        let base = root.path().join("gone");
        assert!(create_dirs_below(&base, Path::new("a/b")).is_err());
        assert!(!base.exists());
        fs::create_dir(&base).unwrap();
        create_dirs_below(&base, Path::new("a/b")).unwrap();
        create_dirs_below(&base, Path::new("a/b")).unwrap();
        assert!(base.join("a/b").is_dir());
    }

    #[test]
    fn write_atomically_replaces_content_and_leaves_no_temp() {
        let root = tempfile::tempdir().unwrap();
        let file = root.path().join("out.md");
        write_atomically(&file, b"first").unwrap();
        write_atomically(&file, b"second").unwrap();
        assert_eq!(fs::read(&file).unwrap(), b"second");
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
        // Writing into a missing directory fails and creates nothing.
        let missing = root.path().join("nope").join("out.md");
        assert!(write_atomically(&missing, b"x").is_err());
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
