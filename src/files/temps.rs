//! Temporary files and folders: a registry of the ones alive in this process (removed on
//! SIGINT/SIGTERM), and the clean-up of those left by processes that died (kill -9, power loss).
//!
//! Written here because `tempfile` does neither: its `NamedTempFile`/`TempDir` remove their path
//! when dropped, which a signal's `exit` or a `kill -9` never runs, and it has no notion of
//! another process's abandoned files. The names carry the writer's process id so that the next
//! write can tell an abandoned file from a live writer's.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Temporary files and directories this process has created and not yet renamed into place or
/// removed. Creating one, and renaming one into place, happen while holding this lock; the
/// signal handler takes it and never gives it back (it exits), so it never sees a half-done
/// step and no new temporary file appears after its clean-up.
static LIVE_TEMPS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub(super) fn live_temps() -> MutexGuard<'static, Vec<PathBuf>> {
    // A panic while holding the lock leaves the list itself consistent.
    LIVE_TEMPS.lock().unwrap_or_else(PoisonError::into_inner)
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
pub(super) fn remove_stale_files(parent: &Path, name: &str) -> Vec<PathBuf> {
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
pub(super) fn remove_stale_dirs(dir: &Path, parent: &Path, name: &str) -> Vec<PathBuf> {
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

/// Removes a file or a folder (with its content); a missing path is not an error.
pub(super) fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::super::atomic::{create_dirs_below, write_atomically, write_dir_atomically};
    use super::*;

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
}
