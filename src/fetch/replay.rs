//! Replaying a snapshot directory (`manifest.json` plus response files).
//!
//! A snapshot is what `twir-events snapshot` recorded (see [`super::record`]):
//!
//! ```text
//! DIR/manifest.json    {"recorded_at": "<RFC 3339>",
//!                       "responses": [{"url": "…", "status": 200,
//!                                      "content_type": "text/calendar; charset=UTF-8",
//!                                      "file": "responses/<host>/<slug>-<hash>.ics"}, …]}
//! DIR/responses/…      one file per successful response, the body byte for byte
//! DIR/sources.toml     (optional) the source list the snapshot was recorded with
//! ```
//!
//! A non-2xx entry replays as the same [`FetchError::Status`]; its `file` may be omitted.
//!
//! The manifest is checked when the snapshot is opened (every listed file must exist inside the
//! directory), so a broken snapshot fails at once with the file to fix; bodies are read when
//! asked for.
//!
//! URL matching: the exact URL first; failing that, a lenient match that ignores the
//! `#fragment` and a trailing `/` at the end of the path (`…/events/?a=1` matches
//! `…/events?a=1`). Nothing else is normalised: scheme, host case, query order and
//! percent-encoding must match as recorded.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{Fetch, FetchError, FetchFuture, Response};

/// The name of the manifest inside a snapshot directory.
pub const MANIFEST: &str = "manifest.json";
/// The name of the optional source list inside a snapshot directory.
pub const SOURCES: &str = "sources.toml";

/// `manifest.json`, as written by the recorder and read by the replayer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub recorded_at: DateTime<FixedOffset>,
    pub responses: Vec<ManifestEntry>,
}

/// One recorded URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub url: String,
    pub status: u16,
    #[serde(default)]
    pub content_type: Option<String>,
    /// Path of the body, relative to the snapshot directory, `/`-separated. Absent for a
    /// recorded failure (non-2xx status).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The URL the server redirected to, when it did (a renamed group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirected_to: Option<String>,
}

/// Why a snapshot directory cannot be replayed. Each message names the file and the fix.
#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("snapshot directory {dir} does not exist (record one with `twir-events snapshot`)")]
    MissingDir { dir: PathBuf },
    #[error("{dir} is not a directory: a snapshot is a directory holding {MANIFEST}")]
    NotADirectory { dir: PathBuf },
    #[error(
        "{file} is missing: {dir} is not a snapshot (record one with `twir-events snapshot`)",
        dir = .file.parent().unwrap_or(Path::new("")).display()
    )]
    MissingManifest { file: PathBuf },
    #[error("{file} could not be read: {source}")]
    ReadManifest {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "{file}:{line}:{column}: invalid manifest: {message} (fix the file or record the snapshot again)"
    )]
    InvalidManifest {
        file: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{manifest}: the entry for {url} points outside the snapshot directory ({file:?}); files must be relative paths without `..`"
    )]
    FileOutsideSnapshot {
        manifest: PathBuf,
        url: String,
        file: String,
    },
    #[error(
        "{manifest}: the entry for {url} lists {file}, which does not exist (restore it or record the snapshot again)"
    )]
    MissingFile {
        manifest: PathBuf,
        url: String,
        file: PathBuf,
    },
    #[error(
        "{manifest}: the entry for {url} has status {status} but no \"file\"; a successful response needs its body"
    )]
    NoFileForSuccess {
        manifest: PathBuf,
        url: String,
        status: u16,
    },
    #[error("{manifest}: {url} is listed twice; keep one entry")]
    DuplicateUrl { manifest: PathBuf, url: String },
}

/// One entry, resolved.
#[derive(Debug, Clone)]
struct Entry {
    status: u16,
    content_type: Option<String>,
    /// Absolute (or dir-relative) path of the body, `None` for a recorded failure.
    path: Option<PathBuf>,
    redirected_to: Option<String>,
}

/// A [`super::Fetch`] that answers from a snapshot directory, never from the network.
#[derive(Debug)]
pub struct ReplayFetcher {
    dir: PathBuf,
    recorded_at: DateTime<FixedOffset>,
    entries: Vec<Entry>,
    exact: HashMap<String, usize>,
    lenient: HashMap<String, usize>,
}

impl ReplayFetcher {
    /// Opens `dir`, reads and checks `dir/manifest.json`.
    pub fn open(dir: &Path) -> Result<ReplayFetcher, SnapshotError> {
        match std::fs::metadata(dir) {
            Err(_) => {
                return Err(SnapshotError::MissingDir {
                    dir: dir.to_owned(),
                });
            }
            Ok(m) if !m.is_dir() => {
                return Err(SnapshotError::NotADirectory {
                    dir: dir.to_owned(),
                });
            }
            Ok(_) => {}
        }
        let manifest_path = dir.join(MANIFEST);
        let text = match std::fs::read(&manifest_path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(SnapshotError::MissingManifest {
                    file: manifest_path,
                });
            }
            Err(source) => {
                return Err(SnapshotError::ReadManifest {
                    file: manifest_path,
                    source,
                });
            }
        };
        let manifest: Manifest =
            serde_json::from_slice(&text).map_err(|e| SnapshotError::InvalidManifest {
                file: manifest_path.clone(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            })?;

        let mut entries = Vec::with_capacity(manifest.responses.len());
        let mut exact = HashMap::new();
        let mut lenient = HashMap::new();
        for m in manifest.responses {
            let path = match &m.file {
                None if (200..300).contains(&m.status) => {
                    return Err(SnapshotError::NoFileForSuccess {
                        manifest: manifest_path,
                        url: m.url,
                        status: m.status,
                    });
                }
                None => None,
                Some(file) => {
                    let rel =
                        safe_relative(file).ok_or_else(|| SnapshotError::FileOutsideSnapshot {
                            manifest: manifest_path.clone(),
                            url: m.url.clone(),
                            file: file.clone(),
                        })?;
                    let path = dir.join(rel);
                    if !path.is_file() {
                        return Err(SnapshotError::MissingFile {
                            manifest: manifest_path,
                            url: m.url,
                            file: path,
                        });
                    }
                    Some(path)
                }
            };
            let index = entries.len();
            if exact.insert(m.url.clone(), index).is_some() {
                return Err(SnapshotError::DuplicateUrl {
                    manifest: manifest_path,
                    url: m.url,
                });
            }
            lenient.entry(lenient_key(&m.url)).or_insert(index);
            entries.push(Entry {
                status: m.status,
                content_type: m.content_type,
                path,
                redirected_to: m.redirected_to,
            });
        }
        Ok(ReplayFetcher {
            dir: dir.to_owned(),
            recorded_at: manifest.recorded_at,
            entries,
            exact,
            lenient,
        })
    }

    /// When the snapshot was recorded: the "now" of a replayed run.
    pub fn recorded_at(&self) -> DateTime<FixedOffset> {
        self.recorded_at
    }

    /// `DIR/sources.toml`, when the snapshot carries its source list.
    pub fn sources_file(&self) -> Option<PathBuf> {
        let path = self.dir.join(SOURCES);
        path.is_file().then_some(path)
    }

    /// The snapshot directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn lookup(&self, url: &str) -> Option<&Entry> {
        self.exact
            .get(url)
            .or_else(|| self.lenient.get(&lenient_key(url)))
            .map(|&i| &self.entries[i])
    }

    async fn replay(&self, url: &str) -> Result<Response, FetchError> {
        let entry = self.lookup(url).ok_or_else(|| FetchError::NotRecorded {
            url: url.to_owned(),
            dir: self.dir.display().to_string(),
        })?;
        if !(200..300).contains(&entry.status) {
            return Err(FetchError::Status {
                url: url.to_owned(),
                status: entry.status,
            });
        }
        // Checked at open: a successful entry always has a path.
        let path = entry
            .path
            .as_ref()
            .ok_or_else(|| FetchError::SnapshotFile {
                url: url.to_owned(),
                file: self.dir.join(MANIFEST).display().to_string(),
                message: "the entry has no file".to_owned(),
            })?;
        let body = tokio::fs::read(path)
            .await
            .map_err(|e| FetchError::SnapshotFile {
                url: url.to_owned(),
                file: path.display().to_string(),
                message: e.to_string(),
            })?;
        Ok(Response {
            url: url.to_owned(),
            status: entry.status,
            content_type: entry.content_type.clone(),
            body,
            redirected_to: entry.redirected_to.clone(),
        })
    }
}

impl Fetch for ReplayFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(self.replay(url))
    }
}

/// `file` as a relative path that stays inside the snapshot: no root, no drive, no `..`.
/// The pure part of reading a `manifest.json` (parse, then each entry's file path and lookup
/// key), without touching the disk: what the fuzzer exercises.
#[doc(hidden)]
pub fn check_manifest(bytes: &[u8]) -> Result<usize, String> {
    let manifest: Manifest = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut ok = 0;
    for m in &manifest.responses {
        let _ = lenient_key(&m.url);
        if m.file.as_deref().and_then(safe_relative).is_some() {
            ok += 1;
        }
    }
    Ok(ok)
}

fn safe_relative(file: &str) -> Option<PathBuf> {
    if file.is_empty() {
        return None;
    }
    let path = Path::new(file);
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::Normal(part) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!out.as_os_str().is_empty()).then_some(out)
}

/// The lenient form of a URL: without `#fragment`, and without a trailing `/` at the end of
/// the path (before any `?query`).
pub(crate) fn lenient_key(url: &str) -> String {
    let url = url.split_once('#').map_or(url, |(before, _)| before);
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url, None),
    };
    let path = path.strip_suffix('/').unwrap_or(path);
    match query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lenient_key_drops_fragment_and_trailing_slash_only() {
        assert_eq!(
            lenient_key("https://www.meetup.com/rust-berlin/events/"),
            "https://www.meetup.com/rust-berlin/events"
        );
        assert_eq!(
            lenient_key("https://www.meetup.com/rust-berlin/events#top"),
            "https://www.meetup.com/rust-berlin/events"
        );
        assert_eq!(
            lenient_key("https://lu.ma/x/?lm_source=a#f"),
            "https://lu.ma/x?lm_source=a"
        );
        // Case and query are significant.
        assert_ne!(lenient_key("https://a/X"), lenient_key("https://a/x"));
        assert_ne!(
            lenient_key("https://a/x?b=1"),
            lenient_key("https://a/x?b=2")
        );
    }

    #[test]
    fn safe_relative_rejects_escapes() {
        assert_eq!(
            safe_relative("responses/a/b.ics"),
            Some(PathBuf::from("responses/a/b.ics"))
        );
        assert_eq!(
            safe_relative("./responses/b.ics"),
            Some(PathBuf::from("responses/b.ics"))
        );
        assert_eq!(safe_relative("../secret"), None);
        assert_eq!(safe_relative("responses/../../x"), None);
        assert_eq!(safe_relative("/etc/passwd"), None);
        assert_eq!(safe_relative(""), None);
        assert_eq!(safe_relative("."), None);
    }

    #[test]
    fn manifest_round_trips_and_omits_missing_file() {
        let m = Manifest {
            recorded_at: DateTime::parse_from_rfc3339("2023-02-01T10:00:00+01:00").unwrap(),
            responses: vec![ManifestEntry {
                url: "https://a/x".into(),
                status: 404,
                content_type: None,
                redirected_to: None,
                file: None,
            }],
        };
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("\"file\""), "{json}");
        assert_eq!(serde_json::from_str::<Manifest>(&json).unwrap(), m);
    }
}
