//! Golden tests: `render --replay snapshots/<name>` must print exactly `tests/golden/<name>.md`,
//! and for the two seed snapshots, every entry of the published seed block must be in the
//! output except the differences listed (and explained) in
//! `tests/fixtures/seeds/<seed>.differences`, which the README also lists.
//!
//! Run with `UPDATE_GOLDEN=1` to rewrite the golden files after a reviewed change.

use std::collections::BTreeSet;
use std::path::Path;

use crate::common::{Run, root};

/// Runs `render --replay snapshots/<name>`; returns stdout and stderr.
fn render(name: &str) -> (String, String) {
    let out = Run::new(["render", "--replay"])
        .arg(Path::new("snapshots").join(name))
        .output();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "render {name} failed:\n{stderr}"
    );
    (stdout, stderr)
}

fn golden(name: &str, actual: &str) {
    let path = root().join("tests/golden").join(format!("{name}.md"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    pretty_assertions::assert_eq!(expected, actual, "golden {name} differs");
}

/// The two-line entries of a block, each joined into one line, white space normalized.
fn entries(block: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in block.lines() {
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("* [**") {
            if let Some(last) = out.last_mut() {
                last.push_str(" // [**");
                last.push_str(rest.trim_end());
            }
        } else if let Some(rest) = t.strip_prefix("* ") {
            out.push(rest.trim_end().to_string());
        }
    }
    out
}

fn seed_agreement(seed: &str, snapshot: &str) {
    let (stdout, _) = render(snapshot);
    let seed_block = std::fs::read_to_string(
        root()
            .join("tests/fixtures/seeds")
            .join(format!("{seed}.md")),
    )
    .unwrap();
    let ours: BTreeSet<String> = entries(&stdout).into_iter().collect();
    let theirs: BTreeSet<String> = entries(&seed_block).into_iter().collect();
    let missing: BTreeSet<&String> = theirs.difference(&ours).collect();
    let extra: BTreeSet<&String> = ours.difference(&theirs).collect();
    let listed = std::fs::read_to_string(
        root()
            .join("tests/fixtures/seeds")
            .join(format!("{seed}.differences")),
    )
    .unwrap_or_default();
    let listed_missing: BTreeSet<&str> = listed
        .lines()
        .filter_map(|l| l.strip_prefix("- "))
        .collect();
    let listed_extra: BTreeSet<&str> = listed
        .lines()
        .filter_map(|l| l.strip_prefix("+ "))
        .collect();
    let missing: BTreeSet<&str> = missing.iter().map(|s| s.as_str()).collect();
    let extra: BTreeSet<&str> = extra.iter().map(|s| s.as_str()).collect();
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        eprintln!(
            "{seed}: {} of {} seed entries reproduced",
            theirs.len() - missing.len(),
            theirs.len()
        );
        for m in &missing {
            eprintln!("- {m}");
        }
        for e in &extra {
            eprintln!("+ {e}");
        }
        return;
    }
    pretty_assertions::assert_eq!(
        listed_missing,
        missing,
        "seed entries not reproduced (lines '- ') differ from {seed}.differences"
    );
    pretty_assertions::assert_eq!(
        listed_extra,
        extra,
        "output entries not in the seed (lines '+ ') differ from {seed}.differences"
    );
}

#[test]
fn minimal_snapshot_golden() {
    let (stdout, _) = render("minimal");
    golden("minimal", &stdout);
}

#[test]
fn seed_480_golden() {
    let (stdout, _) = render("2023-02-01");
    golden("2023-02-01", &stdout);
}

#[test]
fn seed_476_golden() {
    let (stdout, _) = render("2023-01-04");
    golden("2023-01-04", &stdout);
}

#[test]
fn seed_480_entries_reproduced() {
    seed_agreement("480-2023-02-01", "2023-02-01");
}

#[test]
fn seed_476_entries_reproduced() {
    seed_agreement("476-2023-01-04", "2023-01-04");
}

#[test]
fn stdout_is_only_the_block() {
    let (stdout, stderr) = render("minimal");
    assert!(stdout.starts_with("Rusty Events between "), "{stdout}");
    assert!(stdout.ends_with("[community]: mailto:community-team@rust-lang.org\n"));
    assert!(stderr.contains("events in the window"), "{stderr}");
}

/// The sources as served in 2026 (`snapshots/2026-09-16`, built to `formats.md` §5): luma
/// calendars (one read through its feed, one whose feed fails, read from its page), a meetup
/// group behind a login wall read through its iCal feed, a group showing only 30 of its
/// upcoming events, a 404 group, a renamed group, a calendar-only organizer, a cancelled event
/// the calendar still lists. The block must be exactly the one derived by hand in the
/// snapshot's `EXPECTED.md` (not a golden the tool wrote).
#[test]
fn sources_of_2026_print_what_was_derived_by_hand() {
    let out = Run::new(["render", "-v", "--replay", "snapshots/2026-09-16"])
        .args(["--from", "2026-09-16", "--to", "2026-10-14"])
        .output();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "the 404 group fails:\n{stderr}");
    let expected =
        std::fs::read_to_string(root().join("snapshots/2026-09-16/EXPECTED.md")).unwrap();
    let block = expected
        .split("```\n")
        .find(|part| part.starts_with("Rusty Events between"))
        .expect("EXPECTED.md holds the block");
    let printed = stdout
        .split("\n\nIf you are running")
        .next()
        .unwrap_or_default();
    pretty_assertions::assert_eq!(block.trim(), printed.trim());
    // What the report must say about each case.
    for needle in [
        "FAILED meetup Belgrade Rust Meetup Group: https://www.meetup.com/belgrade-rust-meetup-group/events/: HTTP status 404",
        "redirected to https://www.meetup.com/seattle-rust-user-group/events/",
        "fallback: the group page could not be read",
        "read its iCal feed https://www.meetup.com/rust-manchester/events/ical/ instead",
        "fallback: the calendar's feed could not be read (https://api.lu.ma/ics/get?entity=calendar&id=cal-Mb3rUsT9qL2xV8k: HTTP status 500)",
        "warning: the group page lists only its first 30 upcoming events (hasNextPage)",
        // One line for the cancelled event its group's page and the calendar list.
        "left out: \"Rust meetup #89\" on 2026-10-13 (https://www.meetup.com/rust-paris/events/316402289/, from Rust Paris, Rust Community Calendar): cancelled\n",
        "ok     luma   Rust Girona: 2 events",
    ] {
        assert!(stderr.contains(needle), "missing {needle:?} in:\n{stderr}");
    }
}
