//! Atomic writers: one file ([`write_atomically`]) or one folder ([`write_dir_atomically`]),
//! old or new content for any reader, never partial, and no temporary file left behind (see
//! [`super::temps`] for the clean-up on signals and after killed processes).
//!
//! A file's temporary copy is a `tempfile::NamedTempFile`: removed when dropped on any error,
//! renamed into place by `persist`. A folder's is hand-written: `tempfile::TempDir` can only
//! remove itself, not be swapped with the folder it replaces (the old one moved aside and put
//! back on failure), and its creation errors reword the system's message.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::temps::{live_temps, remove_any, remove_stale_dirs, remove_stale_files};

pub(crate) fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
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

/// The folder `path` is in, and its own name (`what` names it in the error when it has none).
fn parent_and_name<'a>(path: &'a Path, what: &str) -> io::Result<(&'a Path, String)> {
    let name = path.file_name().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}: not a {what} name", path.display()),
        )
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok((parent, name.to_string_lossy().into_owned()))
}

/// Fills a fresh sibling directory `DIR.tmp-<pid>` with `fill`, then puts it in place of `dir`
/// (replacing what was there only once the new one is complete). On any error the temporary
/// directory is removed and `dir` is left as it was. Temporary directories of writers that
/// died are cleaned up first (see `remove_stale_dirs`); on SIGINT/SIGTERM this one is
/// removed (see [`super::clean_up_on_signals`]). `fill` must create what it needs below the
/// directory it is given without recreating that directory (`fs::create_dir_all` on a path
/// inside it would bring it back after a signal's clean-up): see [`create_dirs_below`].
pub fn write_dir_atomically<T>(
    dir: &Path,
    fill: impl FnOnce(&Path) -> io::Result<T>,
) -> io::Result<T> {
    // Through a symbolic link, as for a file: the folder swapped is the link's target.
    let target = resolve_links(dir)?;
    let dir = target.as_path();
    let replaced = fs::metadata(dir).ok().filter(fs::Metadata::is_dir);
    let (parent, name) = parent_and_name(dir, "directory")?;
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
    let filled = fill(&tmp).and_then(|v| match &replaced {
        Some(m) => keep_dir_mode_and_owner(&tmp, m).map(|()| v),
        None => Ok(v),
    });
    let value = match filled.inspect(|_| sync_dir(&tmp)) {
        Ok(v) => v,
        Err(e) => {
            let mut live = live_temps();
            let _ = remove_any(&tmp);
            live.retain(|p| p != &tmp);
            return Err(e);
        }
    };
    let had_old = swap_in(dir, &tmp, &old)?;
    sync_dir(parent);
    if had_old {
        // The new snapshot is in place; failing to delete the old one is not worth an error
        // (the next write removes it).
        let _ = remove_any(&old);
        live_temps().retain(|p| p != &old);
    }
    Ok(value)
}

/// Puts the complete folder `tmp` in place of `dir`, moving the previous one (if any) aside to
/// `old` first and back on failure; returns whether there was a previous one. Under the lock: a
/// signal's clean-up sees either the old snapshot in place (and removes the new temporary one)
/// or the new one in place (and removes the old).
fn swap_in(dir: &Path, tmp: &Path, old: &PathBuf) -> io::Result<bool> {
    let mut live = live_temps();
    let had_old = fs::symlink_metadata(dir).is_ok();
    let mut result = Ok(had_old);
    if had_old {
        result = remove_any(old).and_then(|()| fs::rename(dir, old).map(|()| true));
    }
    if result.is_ok()
        && let Err(e) = fs::rename(tmp, dir)
    {
        if had_old {
            let _ = fs::rename(old, dir);
        }
        result = Err(e);
    }
    if result.is_err() {
        let _ = remove_any(tmp);
    }
    live.retain(|p| p != tmp);
    if result.as_ref().is_ok_and(|had_old| *had_old) {
        live.push(old.clone());
    }
    result
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
/// [`super::clean_up_on_signals`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Through a symbolic link: the file the user keeps is the link's target, and the link
    // stays a link.
    let target = resolve_links(path)?;
    let path = target.as_path();
    // The file replaced: its mode and owner go to the new one.
    let replaced = fs::metadata(path).ok().filter(fs::Metadata::is_file);
    let (parent, name) = parent_and_name(path, "file")?;
    remove_stale_files(parent, &name);
    let prefix = format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    // Registered as the clean-up of stale files sees it (`parent/NAME`).
    let tmp = parent.join(&prefix);
    let mut file = {
        let mut live = live_temps();
        // Our exact name (no random part: the clean-up reads the pid back from it), opened as
        // `File::create_new` does, so that its mode and error messages are the system's own
        // (the `Builder`'s own `tempfile_in` would make it 0600 and add the path to errors).
        let file = tempfile::Builder::new()
            .prefix(&prefix)
            .rand_bytes(0)
            .make_in(parent, |tmp| fs::File::create_new(tmp))?;
        live.push(tmp.clone());
        file
    };
    let written = file
        .write_all(bytes)
        .and_then(|()| match &replaced {
            Some(m) => keep_mode_and_owner(file.as_file(), m),
            None => Ok(()),
        })
        .and_then(|()| file.as_file().sync_all());
    let result = {
        let mut live = live_temps();
        // On any error the `NamedTempFile` (or the one `persist` gives back) is dropped here,
        // under the lock, which removes the temporary file.
        let result = match written {
            Ok(()) => file.persist(path).map(drop).map_err(|e| e.error),
            Err(e) => {
                drop(file);
                Err(e)
            }
        };
        live.retain(|p| p != &tmp);
        result
    };
    result?;
    sync_dir(parent);
    Ok(())
}

/// Removes what writers of `path` that died (`kill -9`, a power cut) left beside it: what the
/// next write would remove, for a run that finds nothing to write (an unchanged file is not
/// rewritten, and must not keep a dead run's temporary file). Best effort.
pub fn remove_dead_writers_temps(path: &Path) {
    let Ok(target) = resolve_links(path) else {
        return;
    };
    if let Ok((parent, name)) = parent_and_name(&target, "file") {
        remove_stale_files(parent, &name);
    }
}

/// The path a write to `path` lands on: `path` itself, or, when it is a symbolic link (to a
/// link …), the file it finally names, a relative target read from the link's folder. At
/// most 40 links are followed (as the kernel does); a loop is an error naming the path.
pub fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&at) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&at)?;
                at = match at.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(at),
        }
    }
    Err(io::Error::other(format!(
        "{}: too many levels of symbolic links",
        path.display()
    )))
}

/// Gives `file` (a replacement being written) the permissions of the file it replaces, and
/// on Unix its owner and group where this process may (root may; a user may keep a group
/// they are in; otherwise the new file is theirs, as any editor's save would make it).
fn keep_mode_and_owner(file: &fs::File, replaced: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if std::os::unix::fs::fchown(file, Some(replaced.uid()), Some(replaced.gid())).is_err() {
            let _ = std::os::unix::fs::fchown(file, None, Some(replaced.gid()));
        }
    }
    // After the owner: changing it may clear the set-id bits.
    file.set_permissions(replaced.permissions())
}

/// [`keep_mode_and_owner`] for a folder swapped in place of another.
fn keep_dir_mode_and_owner(dir: &Path, replaced: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if std::os::unix::fs::chown(dir, Some(replaced.uid()), Some(replaced.gid())).is_err() {
            let _ = std::os::unix::fs::chown(dir, None, Some(replaced.gid()));
        }
    }
    fs::set_permissions(dir, replaced.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(p: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(p).unwrap().permissions().mode() & 0o7777
    }

    /// A rewrite keeps the replaced file's mode (a private draft, a group-writable file, an
    /// events file readable by the web server's group); a new file gets the umask's.
    #[cfg(unix)]
    #[test]
    fn a_rewrite_keeps_the_files_mode() {
        use std::os::unix::fs::PermissionsExt;
        let root = tempfile::tempdir().unwrap();
        for m in [0o600, 0o640, 0o664, 0o444] {
            let file = root.path().join(format!("out-{m:o}.md"));
            fs::write(&file, b"old").unwrap();
            fs::set_permissions(&file, fs::Permissions::from_mode(m)).unwrap();
            write_atomically(&file, b"new").unwrap();
            assert_eq!(mode(&file), m, "{}", file.display());
            assert_eq!(fs::read(&file).unwrap(), b"new");
        }
        let dir = root.path().join("site");
        fs::create_dir(&dir).unwrap();
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o750)).unwrap();
        write_dir_atomically(&dir, |tmp| fs::write(tmp.join("index.html"), b"x")).unwrap();
        assert_eq!(mode(&dir), 0o750);
    }

    /// A write to a symbolic link lands on its target, beside it, and the link stays a link
    /// (relative and chained links included); a folder behind a link likewise.
    #[cfg(unix)]
    #[test]
    fn a_write_goes_through_a_symbolic_link() {
        let root = tempfile::tempdir().unwrap();
        let real = root.path().join("drafts");
        let work = root.path().join("work");
        fs::create_dir(&real).unwrap();
        fs::create_dir(&work).unwrap();
        fs::write(real.join("480.md"), b"old").unwrap();
        std::os::unix::fs::symlink("../drafts/480.md", work.join("middle.md")).unwrap();
        std::os::unix::fs::symlink("middle.md", work.join("draft.md")).unwrap();
        write_atomically(&work.join("draft.md"), b"new").unwrap();
        assert_eq!(fs::read(real.join("480.md")).unwrap(), b"new");
        for link in ["draft.md", "middle.md"] {
            assert!(
                fs::symlink_metadata(work.join(link))
                    .unwrap()
                    .file_type()
                    .is_symlink()
            );
        }
        // Nothing left beside the link or the target.
        assert_eq!(fs::read_dir(&work).unwrap().count(), 2);
        assert_eq!(fs::read_dir(&real).unwrap().count(), 1);

        let site = root.path().join("www");
        fs::create_dir(&site).unwrap();
        std::os::unix::fs::symlink(&site, work.join("site")).unwrap();
        write_dir_atomically(&work.join("site"), |tmp| fs::write(tmp.join("a"), b"1")).unwrap();
        assert!(
            fs::symlink_metadata(work.join("site"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(site.join("a")).unwrap(), b"1");

        std::os::unix::fs::symlink("loop", work.join("loop")).unwrap();
        let e = write_atomically(&work.join("loop"), b"x").unwrap_err();
        assert!(e.to_string().contains("too many levels"), "{e}");
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
