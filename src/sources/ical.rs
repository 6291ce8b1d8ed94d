//! The iCalendar source (RFC 5545): Google Calendar's public feed, meetup and luma feeds.

use super::{Parsed, SourceError};
use crate::model::Window;

/// Parses an iCalendar document and expands it into one [`RawEvent`](crate::model::RawEvent)
/// per occurrence that may fall in `window` (occurrences are kept with a margin of a couple of
/// days on each side: the local date is only known after normalization).
///
/// `origin` is the URL or file (for messages), `label` the source label put on each event.
pub fn parse(
    text: &str,
    origin: &str,
    label: &str,
    window: &Window,
) -> Result<Parsed, SourceError> {
    let _ = (text, label, window);
    Err(SourceError {
        origin: origin.to_string(),
        message: "not implemented".into(),
    })
}
