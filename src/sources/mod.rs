//! Sources: turning one fetched document into [`RawEvent`]s. One module per kind of source
//! (a file, or a folder where the reader has several concerns: `ical/`).
//!
//! Parsers are pure: they take text and return events plus warnings. A warning is something
//! skipped or odd in an otherwise usable document; an `Err` means the document as a whole
//! could not be used (and is reported for that source; the run goes on).

pub mod ical;
pub mod jsonld;
pub mod kind;
pub mod luma;
pub mod meetup;
pub mod page_util;

use crate::model::RawEvent;

/// What a source yielded.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub events: Vec<RawEvent>,
    /// Entries skipped or repaired, each naming the entry and what was wrong.
    pub warnings: Vec<String>,
}

/// A document that could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct SourceError {
    /// The URL or file the document came from.
    pub origin: String,
    pub message: String,
}
