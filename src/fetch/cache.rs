//! The HTTP cache of live runs: one file per URL, so that a refresh asks the servers "has this
//! changed?" (`If-None-Match` / `If-Modified-Since`) instead of downloading every page again.
//!
//! An entry holds what a [`Response`] needs (body, Content-Type, the URL redirected to) and the
//! validators the server gave (`ETag`, `Last-Modified`). Only answers that carry a validator
//! are stored: the cache never guesses freshness, it only lets the server say "304 Not
//! Modified", so every run still asks every server and nothing stale is served on the cache's
//! own authority.
//!
//! The file format, written here because it is three lines of logic (a version line, one JSON
//! line of metadata, the body bytes) and keeps the body byte for byte without an encoding:
//!
//! ```text
//! twir-events-cache 1\n
//! {"url":…,"content_type":…,"etag":…,"last_modified":…,"redirected_to":…,"body_len":…,"body_sha256":…}\n
//! <body_len bytes>
//! ```
//!
//! File names are the SHA-256 of the URL (hex), so any URL maps to a safe, fixed-length name;
//! the URL inside the entry is compared too. Entries are written atomically
//! ([`write_atomically`]), so a reader sees a whole entry or none; an entry that does not
//! parse, whose body does not match its length or checksum, or that is larger than the size
//! cap is *damaged*: ignored (the URL is fetched in full, and the answer replaces it), never a
//! failure. Everything here is blocking file I/O: [`super::live`] calls it on the blocking
//! pool.
//!
//! The directory stays bounded: every body is at most the size cap, an entry used by a `304`
//! has its modification time refreshed ([`HttpCache::touch`]), and entries nobody used for
//! [`MAX_AGE`] (event pages of past events, groups removed from sources.toml) are removed at
//! the start of a run ([`HttpCache::prune`]). Only files named like entries are ever removed,
//! so `--cache` pointed at a folder holding other files deletes none of them.

use std::ffi::OsString;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Response;
use crate::files::write_atomically;

/// The first line of every entry; a different version is a damaged entry (and is replaced).
const MAGIC: &[u8] = b"twir-events-cache 1\n";

/// The largest metadata line accepted. Validators and Content-Types longer than
/// [`MAX_VALIDATOR`] are never stored, so a real header line is far below this.
const MAX_HEADER: u64 = 16 * 1024;

/// The longest `ETag`, `Last-Modified` or Content-Type stored; an answer with a longer one is
/// not cached (real validators are tens of bytes).
pub const MAX_VALIDATOR: usize = 1024;

/// How long an entry no run has used is kept: a month, so that a weekly run always finds the
/// last one's entries, while past events' pages do not pile up.
pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// The directory used when `--cache` is not given: `$XDG_CACHE_HOME/twir-events`, else
/// `$HOME/.cache/twir-events`; `None` when neither is set. A relative `XDG_CACHE_HOME` is
/// ignored, as the XDG Base Directory specification says.
pub fn default_dir(xdg_cache_home: Option<OsString>, home: Option<OsString>) -> Option<PathBuf> {
    let absolute = |v: Option<OsString>| {
        v.filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    absolute(xdg_cache_home)
        .map(|d| d.join("twir-events"))
        .or_else(|| absolute(home).map(|h| h.join(".cache").join("twir-events")))
}

/// The validators of an answer: what the next request sends back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// Validators worth storing: at least one, each short and printable (they are sent back
    /// as header values).
    pub fn usable(etag: Option<&str>, last_modified: Option<&str>) -> Option<Validators> {
        let ok = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|v| !v.is_empty() && v.len() <= MAX_VALIDATOR && is_header_text(v))
                .map(str::to_owned)
        };
        let v = Validators {
            etag: ok(etag),
            last_modified: ok(last_modified),
        };
        (v.etag.is_some() || v.last_modified.is_some()).then_some(v)
    }
}

/// Visible ASCII and spaces: what can be sent back as a header value unchanged.
fn is_header_text(v: &str) -> bool {
    v.bytes()
        .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
}

/// A cached answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub validators: Validators,
    pub content_type: Option<String>,
    /// The URL the answer came from, when the server redirected.
    pub redirected_to: Option<String>,
    pub body: Vec<u8>,
}

impl Entry {
    /// The response the entry stands for, as a fresh `200` for `url` would have been.
    pub fn into_response(self, url: &str) -> Response {
        Response {
            url: url.to_owned(),
            status: 200,
            content_type: self.content_type,
            body: self.body,
            redirected_to: self.redirected_to,
        }
    }
}

/// What [`HttpCache::load`] found.
#[derive(Debug)]
pub enum Lookup {
    /// No entry for the URL.
    Miss,
    Hit(Entry),
    /// An entry that cannot be used, and why (for a note on stderr).
    Damaged(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Meta {
    url: String,
    content_type: Option<String>,
    etag: Option<String>,
    last_modified: Option<String>,
    redirected_to: Option<String>,
    body_len: u64,
    body_sha256: String,
}

/// A cache directory. Created on the first store, so a run whose answers carry no validators
/// leaves no trace.
#[derive(Debug, Clone)]
pub struct HttpCache {
    dir: PathBuf,
    max_body: u64,
}

impl HttpCache {
    /// A cache in `dir` holding bodies of at most `max_body` bytes (the fetcher's size cap).
    pub fn new(dir: impl Into<PathBuf>, max_body: u64) -> HttpCache {
        HttpCache {
            dir: dir.into(),
            max_body,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The entry file of `url`: its SHA-256 in hex.
    pub fn path_for(&self, url: &str) -> PathBuf {
        self.dir.join(hex(&sha256(url.as_bytes())))
    }

    /// The entry for `url`, if there is a usable one.
    pub fn load(&self, url: &str) -> Lookup {
        let path = self.path_for(url);
        let file = match fs::File::open(&path) {
            Ok(f) => f,
            // No entry (or no directory: the write will say so, once).
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
                ) =>
            {
                return Lookup::Miss;
            }
            Err(e) => return Lookup::Damaged(format!("{}: {e}", path.display())),
        };
        // Never read more than an entry can hold: a file grown by accident (or by someone
        // else) costs at most the cap.
        let limit = MAGIC.len() as u64 + MAX_HEADER + self.max_body;
        let mut bytes = Vec::new();
        if let Err(e) = file.take(limit + 1).read_to_end(&mut bytes) {
            return Lookup::Damaged(format!("{}: {e}", path.display()));
        }
        if bytes.len() as u64 > limit {
            return Lookup::Damaged(format!(
                "{}: larger than the size cap (--max-body-mb)",
                path.display()
            ));
        }
        match parse(&bytes, url, self.max_body) {
            Ok(entry) => Lookup::Hit(entry),
            Err(why) => Lookup::Damaged(format!("{}: {why}", path.display())),
        }
    }

    /// Stores `response` (a `200` for `url`) with its validators, replacing any entry. A body
    /// over the size cap is not stored (and its old entry removed).
    pub fn store(&self, response: &Response, validators: &Validators) -> io::Result<()> {
        // Not kept whole: not kept at all (a cached copy must answer as the server did).
        let odd_type = response
            .content_type
            .as_ref()
            .is_some_and(|c| c.len() > MAX_VALIDATOR);
        if response.body.len() as u64 > self.max_body || odd_type {
            return self.remove(&response.url);
        }
        let meta = Meta {
            url: response.url.clone(),
            content_type: response.content_type.clone(),
            etag: validators.etag.clone(),
            last_modified: validators.last_modified.clone(),
            redirected_to: response.redirected_to.clone(),
            body_len: response.body.len() as u64,
            body_sha256: hex(&sha256(&response.body)),
        };
        let json = serde_json::to_vec(&meta).map_err(io::Error::other)?;
        if json.len() as u64 > MAX_HEADER {
            // Only a huge redirect URL could do this: not worth caching.
            return self.remove(&response.url);
        }
        let mut bytes = Vec::with_capacity(MAGIC.len() + json.len() + 1 + response.body.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&json);
        bytes.push(b'\n');
        bytes.extend_from_slice(&response.body);
        fs::create_dir_all(&self.dir)?;
        write_atomically(&self.path_for(&response.url), &bytes)
    }

    /// Marks the entry of `url` as used now (its modification time), so that
    /// [`HttpCache::prune`] keeps it.
    pub fn touch(&self, url: &str) -> io::Result<()> {
        fs::File::options()
            .write(true)
            .open(self.path_for(url))?
            .set_modified(std::time::SystemTime::now())
    }

    /// Removes the entries not used since `now - max_age`; returns how many. Files not named
    /// like an entry are left alone.
    pub fn prune(&self, max_age: std::time::Duration, now: std::time::SystemTime) -> usize {
        let Ok(dir) = fs::read_dir(&self.dir) else {
            return 0;
        };
        let mut removed = 0;
        for entry in dir.flatten() {
            let name = entry.file_name();
            let ours = name.to_str().is_some_and(|n| {
                n.len() == 64 && n.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
            });
            let old = entry
                .metadata()
                .ok()
                .filter(fs::Metadata::is_file)
                .and_then(|m| m.modified().ok())
                .and_then(|t| now.duration_since(t).ok())
                .is_some_and(|age| age > max_age);
            if ours && old && fs::remove_file(entry.path()).is_ok() {
                removed += 1;
            }
        }
        removed
    }

    /// Removes the entry of `url`, if any (an answer without validators replaced it).
    pub fn remove(&self, url: &str) -> io::Result<()> {
        match fs::remove_file(self.path_for(url)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }
}

/// Reads an entry's bytes; `Err` says what is wrong with it.
fn parse(bytes: &[u8], url: &str, max_body: u64) -> Result<Entry, String> {
    let rest = bytes
        .strip_prefix(MAGIC)
        .ok_or("not a twir-events cache entry (or another version)")?;
    let newline = rest
        .iter()
        .take(usize::try_from(MAX_HEADER).unwrap_or(usize::MAX))
        .position(|&b| b == b'\n')
        .ok_or("no metadata line")?;
    let meta: Meta = serde_json::from_slice(&rest[..newline])
        .map_err(|e| format!("unreadable metadata: {e}"))?;
    let body = &rest[newline + 1..];
    if meta.url != url {
        return Err(format!("holds {}, not {url}", meta.url));
    }
    if meta.body_len > max_body {
        return Err("larger than the size cap (--max-body-mb)".to_owned());
    }
    if body.len() as u64 != meta.body_len {
        return Err(format!(
            "truncated or padded body ({} bytes, {} expected)",
            body.len(),
            meta.body_len
        ));
    }
    if hex(&sha256(body)) != meta.body_sha256 {
        return Err("the body does not match its checksum".to_owned());
    }
    let validators = Validators::usable(meta.etag.as_deref(), meta.last_modified.as_deref())
        .ok_or("no usable validator")?;
    Ok(Entry {
        validators,
        content_type: meta.content_type,
        redirected_to: meta.redirected_to,
        body: body.to_vec(),
    })
}

fn sha256(bytes: &[u8]) -> ring::digest::Digest {
    ring::digest::digest(&ring::digest::SHA256, bytes)
}

fn hex(d: &ring::digest::Digest) -> String {
    use std::fmt::Write;
    d.as_ref().iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(url: &str, body: &[u8]) -> Response {
        Response {
            url: url.to_owned(),
            status: 200,
            content_type: Some("text/calendar; charset=UTF-8".into()),
            body: body.to_vec(),
            redirected_to: Some("https://example.org/new".into()),
        }
    }

    fn etag(e: &str) -> Validators {
        Validators::usable(Some(e), None).unwrap()
    }

    #[test]
    fn the_default_dir_follows_xdg_then_home() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            default_dir(os("/x/cache"), os("/home/u")),
            Some(PathBuf::from("/x/cache/twir-events"))
        );
        assert_eq!(
            default_dir(None, os("/home/u")),
            Some(PathBuf::from("/home/u/.cache/twir-events"))
        );
        // Empty or relative XDG_CACHE_HOME is ignored.
        for xdg in ["", "rel/cache"] {
            assert_eq!(
                default_dir(os(xdg), os("/home/u")),
                Some(PathBuf::from("/home/u/.cache/twir-events"))
            );
        }
        assert_eq!(default_dir(None, None), None);
        assert_eq!(default_dir(os(""), os("")), None);
    }

    #[test]
    fn validators_must_exist_and_be_sendable() {
        assert_eq!(Validators::usable(None, None), None);
        assert_eq!(Validators::usable(Some("  "), None), None);
        assert_eq!(Validators::usable(Some("\"a\u{e9}\""), None), None);
        assert_eq!(Validators::usable(Some(&"x".repeat(2000)), None), None);
        let v = Validators::usable(Some(" W/\"1\" "), Some("Wed, 01 Feb 2023 10:00:00 GMT"));
        assert_eq!(v.as_ref().unwrap().etag.as_deref(), Some("W/\"1\""));
        assert!(v.unwrap().last_modified.is_some());
    }

    #[test]
    fn an_entry_round_trips_and_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HttpCache::new(dir.path().join("c"), 1024);
        let url = "https://example.org/feed.ics";
        assert!(matches!(cache.load(url), Lookup::Miss));
        cache
            .store(&response(url, b"BEGIN:VCALENDAR\n\0\xff"), &etag("\"1\""))
            .unwrap();
        let Lookup::Hit(e) = cache.load(url) else {
            panic!("no hit")
        };
        assert_eq!(e.body, b"BEGIN:VCALENDAR\n\0\xff");
        assert_eq!(e.validators.etag.as_deref(), Some("\"1\""));
        assert_eq!(
            e.into_response(url),
            response(url, b"BEGIN:VCALENDAR\n\0\xff")
        );
        cache.store(&response(url, b"v2"), &etag("\"2\"")).unwrap();
        let Lookup::Hit(e) = cache.load(url) else {
            panic!("no hit")
        };
        assert_eq!(
            (e.body.as_slice(), e.validators.etag.as_deref()),
            (&b"v2"[..], Some("\"2\""))
        );
        // Another URL is another file.
        assert!(matches!(
            cache.load("https://example.org/other"),
            Lookup::Miss
        ));
        // One file per URL, no temporary file left.
        assert_eq!(fs::read_dir(cache.dir()).unwrap().count(), 1);
        cache.remove(url).unwrap();
        assert!(matches!(cache.load(url), Lookup::Miss));
        cache.remove(url).unwrap();
    }

    #[test]
    fn damaged_entries_are_reported_not_used() {
        let dir = tempfile::tempdir().unwrap();
        let cache = HttpCache::new(dir.path(), 1024);
        let url = "https://example.org/feed.ics";
        cache
            .store(&response(url, b"0123456789"), &etag("\"1\""))
            .unwrap();
        let good = fs::read(cache.path_for(url)).unwrap();
        let mut flipped = good.clone();
        *flipped.last_mut().unwrap() ^= 1;
        let other_url = String::from_utf8_lossy(&good).replace(url, "https://evil.example/");
        let damaged: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"garbage".to_vec(),
            good[..good.len() - 3].to_vec(),
            [good.as_slice(), b"x"].concat(),
            flipped,
            other_url.into_bytes(),
            b"twir-events-cache 1\n{\"url\":1}\nbody".to_vec(),
            [MAGIC, &vec![b'{'; 20_000]].concat(),
        ];
        for bytes in damaged {
            fs::write(cache.path_for(url), &bytes).unwrap();
            match cache.load(url) {
                Lookup::Damaged(why) => {
                    assert!(why.contains(dir.path().to_str().unwrap()), "{why}");
                }
                other => panic!("{other:?} for {:?}", String::from_utf8_lossy(&bytes)),
            }
        }
        // A file far larger than the cap is not read whole.
        fs::write(cache.path_for(url), vec![b'x'; 100_000]).unwrap();
        assert!(matches!(cache.load(url), Lookup::Damaged(w) if w.contains("size cap")));
    }

    #[test]
    fn unused_entries_are_pruned_and_nothing_else() {
        use std::time::{Duration, SystemTime};
        let dir = tempfile::tempdir().unwrap();
        let cache = HttpCache::new(dir.path(), 1024);
        let (used, unused) = ("https://example.org/used", "https://example.org/unused");
        cache.store(&response(used, b"a"), &etag("\"1\"")).unwrap();
        cache
            .store(&response(unused, b"b"), &etag("\"1\""))
            .unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let later = SystemTime::now() + MAX_AGE + Duration::from_secs(3600);
        // Used (touched) a whole MAX_AGE after the other.
        let touched = fs::File::options()
            .write(true)
            .open(cache.path_for(used))
            .unwrap();
        touched
            .set_modified(later - Duration::from_secs(60))
            .unwrap();
        assert_eq!(cache.prune(MAX_AGE, later), 1);
        assert!(matches!(cache.load(used), Lookup::Hit(_)));
        assert!(matches!(cache.load(unused), Lookup::Miss));
        assert!(dir.path().join("notes.txt").exists(), "not ours: kept");
        // touch() refreshes the time a prune looks at.
        let before = fs::metadata(cache.path_for(used))
            .unwrap()
            .modified()
            .unwrap();
        cache.touch(used).unwrap();
        let after = fs::metadata(cache.path_for(used))
            .unwrap()
            .modified()
            .unwrap();
        assert!(
            after < before,
            "touch sets now, before the faked future time"
        );
        assert_eq!(cache.prune(MAX_AGE, SystemTime::now()), 0);
        assert!(cache.touch(unused).is_err(), "no entry to touch");
        // A missing directory prunes nothing.
        assert_eq!(
            HttpCache::new(dir.path().join("none"), 1).prune(MAX_AGE, later),
            0
        );
    }

    #[test]
    fn bodies_over_the_cap_are_never_held() {
        let dir = tempfile::tempdir().unwrap();
        let url = "https://example.org/big";
        HttpCache::new(dir.path(), 1024)
            .store(&response(url, &[b'a'; 100]), &etag("\"1\""))
            .unwrap();
        // A Content-Type too long to keep: nothing kept.
        let odd_url = "https://example.org/odd";
        let mut odd = response(odd_url, b"x");
        odd.content_type = Some("t".repeat(MAX_VALIDATOR + 1));
        HttpCache::new(dir.path(), 1024)
            .store(&odd, &etag("\"0\""))
            .unwrap();
        assert!(matches!(
            HttpCache::new(dir.path(), 1024).load(odd_url),
            Lookup::Miss
        ));
        // A smaller cap later (--max-body-mb lowered): the entry is not used.
        let small = HttpCache::new(dir.path(), 10);
        assert!(matches!(small.load(url), Lookup::Damaged(w) if w.contains("size cap")));
        // And a body over the cap replaces nothing with itself: the entry goes.
        small
            .store(&response(url, &[b'a'; 100]), &etag("\"2\""))
            .unwrap();
        assert!(matches!(small.load(url), Lookup::Miss));
    }
}
