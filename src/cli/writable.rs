//! Where a command will write, checked before it runs: a live run fetches for up to two
//! minutes, and an output that cannot be written must not be found out after it. A missing
//! folder, a folder that cannot be written, or a file path that is a folder is bad input
//! (exit 1) naming the path and the fix, before any fetch.

use crate::error::Error;
use std::path::Path;

/// What kind of output `path` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Output {
    /// One file, written atomically next to itself (`render`, `json`, `update`).
    File,
    /// A folder, filled as a sibling and swapped in (`publish`, `snapshot`).
    Folder,
}

/// Refuses `path` (given as `option`, e.g. `--out`) when the command could not write it: its
/// folder is missing or not writable, or it names a folder where a file goes (or a file
/// where a folder goes). Creates and removes one empty probe file in the folder, the only
/// check that answers what the atomic writer will meet (permissions, a read-only mount, ACLs).
pub(super) fn check(option: &str, path: &Path, output: Output) -> Result<(), Error> {
    let shown = path.display();
    // What the atomic writer will replace: a symbolic link's target, beside it.
    let target = crate::files::resolve_links(path)
        .map_err(|e| Error::Usage(format!("{option} {shown}: {e}")))?;
    let path = target.as_path();
    let refuse = |why: String| Err(Error::Usage(format!("{option} {shown}: {why}")));
    // The way out: another path, or (for the draft `update` rewrites in place) `--out`.
    let elsewhere = if option.starts_with("--") {
        format!("choose another {option}")
    } else {
        "pass --out FILE to write elsewhere".to_string()
    };
    match output {
        Output::File if path.is_dir() => {
            return refuse(format!(
                "is a folder; name a file (e.g. one inside it), or {elsewhere}"
            ));
        }
        Output::Folder if path.exists() && !path.is_dir() => {
            return refuse(format!("is a file, not a folder: {elsewhere}"));
        }
        _ => {}
    }
    if let Some(why) = read_only(path) {
        return refuse(format!(
            "{why}: it is kept as it is; make it writable (chmod u+w), or {elsewhere}"
        ));
    }
    if path.file_name().is_none() {
        return refuse(format!("names no file or folder: {elsewhere}"));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return refuse(format!(
            "the folder {} does not exist (create it first, or {elsewhere})",
            parent.display()
        ));
    }
    match tempfile::Builder::new()
        .prefix(".twir-events-probe-")
        .tempfile_in(parent)
    {
        Ok(probe) => {
            // Removed now; a failure to remove it is not the run's business.
            let _ = probe.close();
            Ok(())
        }
        Err(e) => refuse(format!(
            "cannot create a file in the folder {} ({}): make it writable, or {elsewhere}",
            parent.display(),
            e.kind()
        )),
    }
}

/// Why `path`, when it exists, must not be replaced: its mode grants no write (a file or
/// folder the user made read-only, which a rename in a writable folder would replace anyway,
/// and root would too), or it cannot be opened for writing.
fn read_only(path: &Path) -> Option<String> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.permissions().readonly() {
        let what = if meta.is_dir() { "folder" } else { "file" };
        return Some(format!("the {what} is read-only"));
    }
    if meta.is_file()
        && let Err(e) = std::fs::OpenOptions::new().append(true).open(path)
    {
        return Some(format!("the file cannot be written ({})", e.kind()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_be_written_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("out.md");
        assert!(check("--out", &file, Output::File).is_ok());
        assert!(check("--out", &dir.path().join("site"), Output::Folder).is_ok());
        // The probe is gone: the folder is as it was.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

        let missing = dir.path().join("no/such/out.md");
        let e = check("--out", &missing, Output::File)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("does not exist (create it first, or choose another --out)"),
            "{e}"
        );
        let draft = check("the draft", &missing, Output::File)
            .unwrap_err()
            .to_string();
        assert!(
            draft.contains("or pass --out FILE to write elsewhere"),
            "{draft}"
        );
        assert!(
            e.starts_with(&format!("--out {}", missing.display())),
            "{e}"
        );

        let e = check("--out", dir.path(), Output::File)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a folder"), "{e}");

        std::fs::write(&file, "x").unwrap();
        let e = check("--out", &file, Output::Folder)
            .unwrap_err()
            .to_string();
        assert!(e.contains("is a file"), "{e}");
        assert!(check("--out", &file, Output::File).is_ok());
    }

    /// A read-only file or folder is the user's word: refused before anything is fetched,
    /// even where the folder would let a rename replace it (and for root).
    #[cfg(unix)]
    #[test]
    fn a_read_only_target_is_refused_and_a_link_is_checked_at_its_target() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("events.json");
        std::fs::write(&file, "{}").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        let e = check("--out", &file, Output::File).unwrap_err().to_string();
        assert!(
            e.contains("the file is read-only: it is kept as it is; make it writable (chmod u+w), or choose another --out"),
            "{e}"
        );
        let site = dir.path().join("site");
        std::fs::create_dir(&site).unwrap();
        std::fs::set_permissions(&site, std::fs::Permissions::from_mode(0o555)).unwrap();
        let e = check("--out", &site, Output::Folder)
            .unwrap_err()
            .to_string();
        assert!(e.contains("the folder is read-only"), "{e}");
        std::fs::set_permissions(&site, std::fs::Permissions::from_mode(0o755)).unwrap();
        // A link into a missing folder is refused as that folder.
        let link = dir.path().join("draft.md");
        std::os::unix::fs::symlink(dir.path().join("gone/480.md"), &link).unwrap();
        let e = check("the draft", &link, Output::File)
            .unwrap_err()
            .to_string();
        assert!(e.contains("gone") && e.contains("does not exist"), "{e}");
    }
}
