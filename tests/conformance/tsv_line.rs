//! The line `examples/expand.rs` prints and `tests/ical.rs` compares with what
//! `tests/conformance/finos_occurrences.py` (Python's `recurring-ical-events`) printed:
//! `UID<TAB>START<TAB>SUMMARY`, START in UTC (`2024-11-05T15:00:00Z`), as a date for all-day
//! events, or as wall-clock time for floating ones. Included by both with `#[path]`: one
//! definition of the format on our side of the comparison.

use chrono::{SecondsFormat, TimeZone};
use twir_events::model::{RawEvent, When};

/// One TSV line; the UID without the instance suffix the parser adds to recurrence instances.
/// A zoned start that does not exist (in a DST gap) is written with a `?`, which no line of
/// the Python peer has.
pub fn tsv_line(e: &RawEvent) -> String {
    let uid = e.uid.as_deref().unwrap_or("");
    let base = match uid.rsplit_once('@') {
        Some((base, suffix)) if suffix.starts_with(|c: char| c.is_ascii_digit()) => base,
        _ => uid,
    };
    let start = match &e.start {
        When::Date(d) => d.to_string(),
        When::Utc(dt) => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
        When::Zoned(n, tz) => tz.from_local_datetime(n).earliest().map_or_else(
            || format!("{n}?"),
            |d| d.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        ),
        When::Offset(dt) => dt.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        When::Floating(n) => n.format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    let summary = e.title.replace(['\t', '\n', '\r'], " ");
    format!("{base}\t{start}\t{summary}")
}
