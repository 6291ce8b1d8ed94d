//! The file names of a snapshot's bodies: `responses/<host>/<slug>-<hash>.<ext>`, readable,
//! typed by content type, and unique within the snapshot.

use std::collections::HashSet;
use std::hash::Hasher;

/// `responses/<host>/<slug>-<hash>.<ext>`, unique among `taken`.
pub(super) fn unique_name(
    taken: &mut HashSet<String>,
    url: &str,
    content_type: Option<&str>,
) -> String {
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
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "as the names always were: a URL ending `.ICS` is saved as `.txt`"
)]
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

/// 64-bit FNV-1a (the `fnv` crate): a stable short hash for file names. Not std's hasher, which
/// is not guaranteed stable across Rust releases; not a cryptographic hash, which would be
/// overkill (uniqueness is also enforced by [`unique_name`]). The names are persisted in
/// snapshot manifests, so the values must never change (tested below).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(bytes);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[expect(
        clippy::case_sensitive_file_extension_comparisons,
        reason = "the names are lower-case: the exact suffix is the assertion"
    )]
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
    fn fnv1a_matches_the_hand_written_values_it_replaced() {
        // The hand-written FNV-1a this crate call replaced: names in existing snapshots stay.
        let by_hand = |bytes: &[u8]| {
            bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
                (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
            })
        };
        for url in [
            "",
            "https://www.meetup.com/rust-berlin/events/",
            "https://calendar.google.com/calendar/ical/x%40group.calendar.google.com/public/basic.ics",
            "http://127.0.0.1:4321/?q=\u{e9}",
        ] {
            assert_eq!(fnv1a(url.as_bytes()), by_hand(url.as_bytes()), "{url}");
        }
    }
}
