//! Expands an iCalendar file for a window and prints one occurrence per line as TSV:
//! `UID<TAB>START<TAB>SUMMARY`, START in UTC (`2024-11-05T15:00:00Z`), as a date for all-day
//! events, or as wall-clock time for floating ones; sorted. Timing and warnings go to stderr.
//!
//! `cargo run --release --example expand -- FILE FROM TO` (dates as `YYYY-MM-DD`, inclusive).
//! The output is what `tests/conformance/finos_occurrences.py` prints for the same window.

use chrono::{NaiveDate, SecondsFormat};
use std::time::Instant;
use twir_events::model::{When, Window};
use twir_events::sources::ical;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, from, to] = args.as_slice() else {
        anyhow::bail!("usage: expand FILE FROM TO");
    };
    // As the tool reads a fetched feed: unfolded at the byte level, then decoded
    // (`pipeline::ical_text`).
    let text = ical::decode(&std::fs::read(file)?);
    let window = Window {
        from: from.parse::<NaiveDate>()?,
        to: to.parse::<NaiveDate>()?,
    };
    let started = Instant::now();
    let parsed = ical::parse(&text, file, "file", &window)?;
    let elapsed = started.elapsed();
    let mut lines: Vec<String> = parsed.events.iter().map(tsv_line).collect();
    lines.sort();
    for line in &lines {
        println!("{line}");
    }
    eprintln!(
        "{} occurrences, {} warnings, parse+expand {:.1} ms",
        lines.len(),
        parsed.warnings.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    for w in &parsed.warnings {
        eprintln!("warning: {w}");
    }
    Ok(())
}

/// One TSV line; the UID without the instance suffix the parser adds to recurrence instances.
pub fn tsv_line(e: &twir_events::model::RawEvent) -> String {
    let uid = e.uid.as_deref().unwrap_or("");
    let base = match uid.rsplit_once('@') {
        Some((base, suffix)) if suffix.starts_with(|c: char| c.is_ascii_digit()) => base,
        _ => uid,
    };
    let start = match &e.start {
        When::Date(d) => d.to_string(),
        When::Utc(dt) => dt.to_rfc3339_opts(SecondsFormat::Secs, true),
        When::Zoned(n, tz) => {
            use chrono::TimeZone;
            tz.from_local_datetime(n)
                .earliest()
                .map(|d| d.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true))
                .unwrap_or_else(|| format!("{n}?"))
        }
        When::Offset(dt) => dt.to_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        When::Floating(n) => n.format("%Y-%m-%dT%H:%M:%S").to_string(),
    };
    let summary = e.title.replace(['\t', '\n', '\r'], " ");
    format!("{base}\t{start}\t{summary}")
}
