//! `update` on real published sections: a section taken as the draft (last week's block, as
//! the editors published it), the next section's entries as the run's outcome (each event in
//! the sections it is listed in, deduplicated as the pipeline would). No entry may be lost or
//! printed twice, the counts add up, and a second update changes nothing.
//!
//! Runs on the two sections copied into `tests/fixtures/update/`, and on every consecutive
//! pair of `../shared/twir-corpus` when it is there (skipped when absent).

use std::path::PathBuf;
use twir_events::dedupe::{self, identity::event_key};
use twir_events::model::{Event, Window};
use twir_events::newsletter::read::{parse_section, to_event};
use twir_events::pipeline::Outcome;
use twir_events::update::update_draft;

use crate::common::{Run, root};

/// The window a section's intro line gives: `Rusty Events between FROM - TO 🦀`.
fn window_of(section: &str) -> Option<Window> {
    let line = section
        .lines()
        .find(|l| l.starts_with("Rusty Events between"))?;
    let dates: Vec<chrono::NaiveDate> = line
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    Some(Window {
        from: *dates.first()?,
        to: *dates.get(1)?,
    })
}

/// A published section as a run's events: one event per entry, in its section, hybrid copies
/// and duplicates merged by dedupe, kept when they touch the window.
fn run_of(section: &str, window: Window) -> Vec<Event> {
    let events: Vec<Event> = parse_section(section)
        .iter()
        .map(|e| Event {
            sources: vec!["next week's section".into()],
            ..to_event(e)
        })
        .filter(|e| !e.regions.is_empty())
        .collect();
    dedupe::dedupe(&events)
        .events
        .into_iter()
        .filter(|e| window.overlaps(e.start_date, e.end_date))
        .collect()
}

/// Whether an entry of the updated block stands for a run event: a link that names one event
/// in common on the same day (the update took the run's dates), or dedupe's rules.
fn stands_for(entry: &Event, run: &Event) -> bool {
    let (a, b) = (entry.organizer.url.as_deref(), run.organizer.url.as_deref());
    let key = |url: &str| event_key(url, a).or_else(|| event_key(url, b));
    let links: Vec<String> = std::iter::once(&run.url)
        .chain(run.mirrors.iter().map(|m| &m.url))
        .filter_map(|u| key(u))
        .collect();
    let shared = key(&entry.url).is_some_and(|k| links.contains(&k));
    // dedupe's rules need a shared link or the same first day: checked first, as cheaper.
    (shared && entry.start_date == run.start_date)
        || ((shared || entry.start_date == run.start_date) && dedupe::same_event(entry, run))
}

/// Updates `draft` (a published section) with `next`'s entries; checks the result; returns
/// (entries in the draft, run events, problems).
fn check_pair(name: &str, draft: &str, next: &str) -> Vec<String> {
    let Some(window) = window_of(next) else {
        return Vec::new();
    };
    let run = run_of(next, window);
    let outcome = Outcome {
        events: run.clone(),
        ..Outcome::default()
    };
    let Ok(u) = update_draft(draft, &outcome, &window, &[]) else {
        return vec![format!("{name}: no block found")];
    };
    let mut problems = Vec::new();
    if !u.adds_up() {
        problems.push(format!(
            "{name}: {} entries != {} updated + {} unchanged + {} kept_failed + {} kept + {} removed",
            u.entries,
            u.updated.len(),
            u.unchanged.len(),
            u.kept_failed.len(),
            u.kept.len(),
            u.removed.len()
        ));
    }
    let again = update_draft(&u.text, &outcome, &window, &[]).expect("a block");
    if again.text != u.text {
        if std::env::var("TWIR_DEBUG").is_ok() {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (u.text.lines().collect(), again.text.lines().collect());
            for (x, y) in a.iter().zip(&b).filter(|(x, y)| x != y).take(3) {
                eprintln!("{name}\n  once:  {x}\n  twice: {y}");
            }
        }
        problems.push(format!("{name}: a second update changes the text"));
    }
    let printed: Vec<Event> = parse_section(&u.text).iter().map(to_event).collect();
    for e in &run {
        for region in &e.regions {
            let n = printed
                .iter()
                .filter(|p| p.regions.contains(region) && stands_for(p, e))
                .count();
            if n != 1 {
                problems.push(format!(
                    "{name}: {} \"{}\" <{}> printed {n} times under {}",
                    e.start_date,
                    e.title,
                    e.url,
                    region.title()
                ));
            }
        }
    }
    // Every draft entry kept is still there, once per section it was in.
    for k in &u.kept {
        if !printed.iter().any(|p| k.contains(&format!("<{}>", p.url))) {
            problems.push(format!("{name}: kept entry lost: {k}"));
        }
    }
    problems
}

fn fixture(name: &str) -> String {
    let path = root().join("tests/fixtures/update").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_published_section_updated_with_the_next_weeks_loses_and_doubles_no_entry() {
    let draft = fixture("2026-08-19.md");
    let next = fixture("2026-08-26.md");
    let problems = check_pair("2026-08-19 → 2026-08-26", &draft, &next);
    assert!(problems.is_empty(), "{problems:#?}");
    let window = window_of(&next).unwrap();
    let outcome = Outcome {
        events: run_of(&next, window),
        ..Outcome::default()
    };
    let u = update_draft(&draft, &outcome, &window, &[]).unwrap();
    // The comment line before the block and the block's end stay as published.
    assert!(u.text.starts_with("<!-- This Week in Rust 665 (2026-08-19), events section as published -->\n## Upcoming Events\n\nRusty Events between 2026-08-26 - 2026-09-23 🦀\n\n### Virtual\n* "));
    assert!(u.text.ends_with(twir_events::newsletter::FOOTER));
    assert!(u.removed.iter().any(|r| r.contains("outside the window")));
}

#[test]
fn every_pair_of_published_sections_loses_and_doubles_no_entry() {
    let dir = root().join("../shared/twir-corpus");
    let Ok(read) = std::fs::read_dir(&dir) else {
        eprintln!("note: ../shared/twir-corpus absent; the corpus pairs are skipped");
        return;
    };
    let mut files: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| {
            Some((
                p.file_stem()?.to_string_lossy().into_owned(),
                std::fs::read_to_string(p).ok()?,
            ))
        })
        .collect();
    let mut problems = Vec::new();
    let mut pairs = 0;
    for pair in texts.windows(2) {
        let [(a, draft), (b, next)] = pair else {
            continue;
        };
        pairs += 1;
        problems.extend(check_pair(&format!("{a} → {b}"), draft, next));
    }
    assert!(pairs > 0);
    assert!(
        problems.is_empty(),
        "{} problems in {pairs} pairs:\n{problems:#?}",
        problems.len()
    );
}

/// `-v` lists a removed hybrid entry once, with its copies counted, not once per section.
#[test]
fn a_removed_hybrid_entry_is_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.md");
    std::fs::write(&draft, fixture("2026-08-19.md")).unwrap();
    let out = Run::new(["-v", "update"])
        .arg(&draft)
        .args(["--replay", "snapshots/2026-09-16"])
        .output();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let removed: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("removed from the draft: "))
        .collect();
    assert!(
        removed
            .iter()
            .any(|l| l.contains("\"Dealing with Dependencies\"")
                && l.ends_with("(its 2 copies, one per section)")),
        "{stderr}"
    );
    let mut unique = removed.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), removed.len(), "{stderr}");
}
