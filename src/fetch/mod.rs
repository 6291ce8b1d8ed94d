//! Getting bytes for a URL: the only door to the network.
//!
//! Everything above this module sees one interface, [`Fetch`], with two implementations:
//! [`live::LiveFetcher`] (reqwest over HTTPS) and [`replay::ReplayFetcher`] (a recorded
//! snapshot directory). [`record::Recorder`] wraps any fetcher and remembers every response so
//! that `twir-events snapshot` can write them out. [`cache::HttpCache`] lets a live run ask
//! "changed?" instead of downloading every page again. A failed fetch is a value
//! ([`FetchError`]), reported per source; it never aborts a run.
//!
//! Here: the `Fetch` trait and a body's decoding (the Content-Type's charset, else UTF-8, invalid
//! chunks counted); `live/` the fetcher (`mod.rs`: permits, the run deadline, the retry loop;
//! `attempt.rs`: one request in named steps and what its failure means for a retry;
//! `options.rs`: the settings and the closing summary; `reach.rs`: no private address fetched
//! but the sources file's, checked on the URL, each redirect and each DNS answer, and why a
//! request reached no server); `cache.rs` the HTTP cache of live runs; `replay.rs` a snapshot
//! directory read back; `record/` the recorder that writes one.

pub mod cache;
pub mod live;
pub mod record;
pub mod replay;

use std::future::Future;
use std::pin::Pin;

/// One HTTP response, as recorded or received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The URL that was asked for (not the one redirected to).
    pub url: String,
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    /// Where the server sent us when it redirected (a renamed meetup group's new page);
    /// `None` when the answer came from the URL asked for.
    pub redirected_to: Option<String>,
}

impl Response {
    /// The body as text, decoded as [`decode`] does (the Content-Type charset, else UTF-8).
    pub fn text(&self) -> String {
        self.decoded().text
    }

    /// The body as text, with what decoding had to replace.
    pub fn decoded(&self) -> Decoded {
        decode(&self.body, self.content_type.as_deref())
    }

    /// The encoding the Content-Type's `charset` names, if it names one `encoding_rs` knows.
    pub fn charset(&self) -> Option<&'static encoding_rs::Encoding> {
        charset(self.content_type.as_deref())
    }
}

/// A body decoded to text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// How many invalid byte sequences were replaced with U+FFFD.
    pub invalid: usize,
    /// The encoding used (`UTF-8` unless the Content-Type named another one).
    pub encoding: &'static str,
}

impl Decoded {
    /// The warning for the source's report, when something had to be replaced.
    pub fn warning(&self) -> Option<String> {
        (self.invalid > 0).then(|| {
            format!(
                "{} invalid {} sequence{} replaced",
                self.invalid,
                self.encoding,
                if self.invalid == 1 { "" } else { "s" }
            )
        })
    }
}

/// The encoding named by a Content-Type's `charset` parameter (WHATWG labels: `latin1` and
/// `ISO-8859-1` read as windows-1252, as browsers do).
pub fn charset(content_type: Option<&str>) -> Option<&'static encoding_rs::Encoding> {
    let ct = content_type?;
    ct.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        if !name.trim().eq_ignore_ascii_case("charset") {
            return None;
        }
        encoding_rs::Encoding::for_label(value.trim().trim_matches('"').as_bytes())
    })
}

/// Decodes a body: in the Content-Type's charset when it names a known one other than UTF-8,
/// else as UTF-8 (a leading UTF-8 byte-order mark is dropped). Invalid sequences become U+FFFD
/// and are counted, so that a source's report can say so.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    match charset(content_type) {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            // A byte-order mark wins over the header, as in browsers.
            let (text, used, had_errors) = enc.decode(bytes);
            let invalid = if had_errors {
                text.matches('\u{FFFD}').count()
            } else {
                0
            };
            Decoded {
                text: text.into_owned(),
                invalid,
                encoding: used.name(),
            }
        }
        _ => {
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            // `from_utf8_lossy` puts one U+FFFD per invalid chunk; count those chunks.
            let invalid = bytes
                .utf8_chunks()
                .filter(|c| !c.invalid().is_empty())
                .count();
            Decoded {
                text: String::from_utf8_lossy(bytes).into_owned(),
                invalid,
                encoding: "UTF-8",
            }
        }
    }
}

/// Why a URL could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("{url}: HTTP status {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: timed out after {seconds} s without an answer")]
    Timeout { url: String, seconds: u64 },
    #[error(
        "{url}: timed out after {seconds} s: the answer arrived too slowly ({bytes} bytes received; raise --timeout)"
    )]
    TooSlow {
        url: String,
        bytes: u64,
        seconds: u64,
    },
    #[error(
        "{url}: timed out: the server stopped sending after {bytes} bytes (nothing for {seconds} s)"
    )]
    Stalled {
        url: String,
        bytes: u64,
        seconds: u64,
    },
    #[error("{url}: response larger than {limit_mb} MB (raise --max-body-mb)")]
    TooLarge { url: String, limit_mb: u64 },
    #[error("{url}: run deadline reached ({seconds} s after the start; raise --deadline)")]
    Deadline { url: String, seconds: u64 },
    /// No answer, for a reason other than time: `unreachable` says which when the request
    /// never reached a server (no DNS, refused, TLS), `None` for others (a body cut off, a
    /// redirect loop, a private address refused, a bad URL).
    #[error("{url}: {message}")]
    Network {
        url: String,
        message: String,
        unreachable: Option<Unreachable>,
    },
    #[error(
        "{url}: the server answered 304 Not Modified, but there is no cached copy to use (a request without validators must get the whole page)"
    )]
    NotModified { url: String },
    #[error("{url}: not in the snapshot {dir} (record it again with `twir-events snapshot`)")]
    NotRecorded { url: String, dir: String },
    #[error("{url}: the snapshot file {file} could not be read: {message}")]
    SnapshotFile {
        url: String,
        file: String,
        message: String,
    },
}

impl FetchError {
    /// The URL that could not be had.
    pub fn url(&self) -> &str {
        match self {
            FetchError::Status { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::TooSlow { url, .. }
            | FetchError::Stalled { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::Deadline { url, .. }
            | FetchError::Network { url, .. }
            | FetchError::NotModified { url }
            | FetchError::NotRecorded { url, .. }
            | FetchError::SnapshotFile { url, .. } => url,
        }
    }

    /// Why no server answered, when that is why: a cause many requests of one run can share
    /// (no network, a firewall, an intercepting proxy), which the report says once for all of
    /// them. `None` when a server answered (a status, a body too large or too slow) or the
    /// failure is this URL's own (a bad URL, a private address, not in the snapshot).
    pub fn unreachable(&self) -> Option<Unreachable> {
        match self {
            FetchError::Network { unreachable, .. } => *unreachable,
            FetchError::Timeout { .. } => Some(Unreachable::TimedOut),
            FetchError::Deadline { .. } => Some(Unreachable::Deadline),
            _ => None,
        }
    }
}

/// Why a request reached no server: causes that, when many requests share them, are the
/// network's rather than each host's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unreachable {
    /// The host name could not be resolved (no network, no DNS server).
    Dns,
    /// The connection was refused (nothing listens, or a firewall says no).
    Refused,
    /// The TLS handshake failed (an intercepting proxy, a bad certificate).
    Tls,
    /// No answer before the connect or idle timeout.
    TimedOut,
    /// The run deadline came before the request was done.
    Deadline,
}

impl std::fmt::Display for Unreachable {
    /// The cause in a few words: `DNS lookup failed`, `connection refused`, …
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Unreachable::Dns => "DNS lookup failed",
            Unreachable::Refused => "connection refused",
            Unreachable::Tls => "TLS handshake failed",
            Unreachable::TimedOut => "no answer in time",
            Unreachable::Deadline => "run deadline reached",
        })
    }
}

pub type FetchFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, FetchError>> + Send + 'a>>;

/// Something that turns a URL into a [`Response`]. Implementations are cheap to share
/// (`&dyn Fetch` across tasks) and bound their own concurrency.
pub trait Fetch: Send + Sync {
    /// Fetch `url`. A non-2xx status is an `Err(FetchError::Status)`.
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_content_type_charset_is_honoured() {
        // ISO-8859-1 reads as windows-1252, as in browsers: 0xE9 is é, 0x80 is €.
        let d = decode(b"caf\xE9 \x80", Some("text/html; charset=ISO-8859-1"));
        assert_eq!((d.text.as_str(), d.invalid), ("café €", 0));
        assert_eq!(d.encoding, "windows-1252");
        let d = decode(b"caf\xE9", Some("text/html;Charset=\"windows-1252\""));
        assert_eq!(d.text, "café");
        assert_eq!(d.warning(), None);
        // No charset, an unknown one, or UTF-8: UTF-8.
        for ct in [None, Some("text/html"), Some("text/html; charset=klingon")] {
            assert_eq!(decode("café".as_bytes(), ct).text, "café");
        }
    }

    #[test]
    fn invalid_utf8_is_counted_and_a_bom_dropped() {
        let d = decode(b"\xEF\xBB\xBFa\xFFb\xC3", Some("text/html; charset=utf-8"));
        assert_eq!(d.text, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(d.invalid, 2);
        assert_eq!(
            d.warning().as_deref(),
            Some("2 invalid UTF-8 sequences replaced")
        );
        // A genuine U+FFFD is not an invalid sequence.
        assert_eq!(decode("a\u{FFFD}".as_bytes(), None).invalid, 0);
        let one = decode(b"\xFF", None);
        assert_eq!(
            one.warning().as_deref(),
            Some("1 invalid UTF-8 sequence replaced")
        );
    }

    #[test]
    fn text_decodes_with_the_response_charset() {
        let r = Response {
            url: "https://example.org/".into(),
            status: 200,
            content_type: Some("text/html; charset=iso-8859-1".into()),
            body: b"Z\xFCrich".to_vec(),
            redirected_to: None,
        };
        assert_eq!(r.text(), "Zürich");
        assert_eq!(r.charset(), Some(encoding_rs::WINDOWS_1252));
    }
}
