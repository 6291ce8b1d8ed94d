//! Times deduplication on the inputs the trust and speed issues name: 2,000 calendar entries
//! at one instant (by 2,000 groups, distinct titles sharing words), 2,000 copies of one entry,
//! and each year of the published corpus as one input (when `../shared/twir-corpus` is here).
//!
//! `cargo run --release --example bench_dedupe` (best of 3 per input, milliseconds).

use std::fmt::Write as _;
use std::time::Instant;
use twir_events::dedupe;
use twir_events::model::Event;
use twir_events::newsletter::read::{parse_section, to_event};

fn best_of_3(events: &[Event]) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut kept = 0;
    for _ in 0..3 {
        let input = events.to_vec();
        let t = Instant::now();
        let out = dedupe::dedupe(&input);
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
        kept = out.events.len();
    }
    (best, kept)
}

fn crowd(n: usize, copies: bool) -> Vec<Event> {
    let mut md = String::from("### Virtual\n");
    for i in 0..n {
        let (title, group) = if copies {
            ("Rust Hack and Learn".to_string(), 0)
        } else {
            (
                format!("Rust Hack Night: talk number {i} on async traits"),
                i,
            )
        };
        let id = if copies { 1 } else { 1000 + i };
        let _ = write!(
            md,
            "* 2026-12-02 | Virtual (Berlin, DE) | [Group {group}](https://www.meetup.com/group-{group}/)\n    * [**{title}**](https://www.meetup.com/group-{group}/events/{id}/)\n"
        );
    }
    parse_section(&md).iter().map(to_event).collect()
}

fn main() {
    let mut inputs: Vec<(String, Vec<Event>)> = vec![
        ("2,000 entries at one instant".into(), crowd(2000, false)),
        ("2,000 copies of one entry".into(), crowd(2000, true)),
    ];
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/twir-corpus");
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = rd.map(|e| e.unwrap().path()).collect();
        files.sort();
        let mut years: std::collections::BTreeMap<String, Vec<Event>> =
            std::collections::BTreeMap::default();
        let mut all = Vec::new();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let events: Vec<Event> = parse_section(&text).iter().map(to_event).collect();
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            years
                .entry(name[..4].to_string())
                .or_default()
                .extend(events.iter().cloned());
            all.extend(events);
        }
        for (y, e) in years {
            inputs.push((format!("corpus {y} as one input"), e));
        }
        inputs.push(("whole corpus as one input".into(), all));
    }
    println!("| input | entries | kept | ms |");
    println!("| --- | --- | --- | --- |");
    for (name, events) in &inputs {
        let (ms, kept) = best_of_3(events);
        println!("| {name} | {} | {kept} | {ms:.1} |", events.len());
    }
}
