//! Expands an iCalendar file for a window and prints one occurrence per line as TSV:
//! `UID<TAB>START<TAB>SUMMARY`, START in UTC (`2024-11-05T15:00:00Z`), as a date for all-day
//! events, or as wall-clock time for floating ones; sorted. Timing and warnings go to stderr.
//!
//! `cargo run --release --example expand -- FILE FROM TO` (dates as `YYYY-MM-DD`, inclusive).
//! The output is what `tests/conformance/finos_occurrences.py` prints for the same window.

use chrono::NaiveDate;
use std::time::Instant;
use twir_events::model::Window;
use twir_events::sources::ical;

#[path = "../tests/conformance/tsv_line.rs"]
mod tsv_line;
use tsv_line::tsv_line;

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
