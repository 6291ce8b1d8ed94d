//! Honest answers from `check` and `update` when sources fail (issue 9): the binary replays
//! copies of `snapshots/2023-02-01` whose manifest marks some responses as failed, built in a
//! temporary directory; the draft is the seed section of issue 480. Every answer's line is
//! pinned.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::common::{Run, root};

const CALENDAR: &str = "https://calendar.google.com/calendar/ical/apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com/public/basic.ics";
const TRONDHEIM: &str = "https://www.meetup.com/rust-trondheim/events/";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the seed snapshot in which every response whose URL `fails` answered 500.
fn snapshot_failing(dir: &Path, fails: impl Fn(&str) -> bool) -> PathBuf {
    let snap = dir.join("snapshot");
    copy_dir(&root().join("snapshots/2023-02-01"), &snap);
    let path = snap.join("manifest.json");
    let mut manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let mut failed = 0;
    for r in manifest["responses"].as_array_mut().unwrap() {
        if fails(r["url"].as_str().unwrap()) {
            r["status"] = 500.into();
            failed += 1;
        }
    }
    assert!(failed > 0, "no response failed");
    std::fs::write(&path, serde_json::to_string_pretty(&manifest).unwrap()).unwrap();
    snap
}

const HAND: &str = "* 2023-02-20 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)\n    * [**Rust Oslo winter meetup**](https://rust-oslo.example.org/2023-02)\n";

/// The seed section of issue 480 inside a draft, optionally with a hand-added entry.
fn draft(dir: &Path, hand: bool) -> PathBuf {
    let mut block =
        std::fs::read_to_string(root().join("tests/fixtures/seeds/480-2023-02-01.md")).unwrap();
    if hand {
        block = block.replacen("### Europe\n\n", &format!("### Europe\n\n{HAND}"), 1);
    }
    let path = dir.join("draft.md");
    std::fs::write(
        &path,
        format!(
            "Title: This Week in Rust 480\n\n## Upcoming Events\n\n{block}\n## Jobs\n\nPlease see the latest thread.\n"
        ),
    )
    .unwrap();
    path
}

/// The lines of `update`'s own answer on stderr (the per-source report before it is
/// pinned elsewhere).
fn answer(stderr: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(stderr)
        .lines()
        .filter(|l| {
            [
                "kept",
                "draft:",
                "no changes:",
                "wrote ",
                "every source",
                "added:",
                "removed from",
            ]
            .iter()
            .any(|p| l.starts_with(p))
        })
        .map(String::from)
        .collect()
}

/// Sets the file's modification time to a fixed moment in 2020, and returns it (so that a
/// rewrite, even within the same second, shows).
fn backdate(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_600_000_000);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    old
}

/// `check QUERY --replay SNAP`.
fn check(query: &str, snap: &Path) -> std::process::Output {
    Run::new(["check", query, "--replay"]).arg(snap).output()
}

/// `update DRAFT --replay SNAP`.
fn update(draft: &Path, snap: &Path) -> std::process::Output {
    Run::new(["update"])
        .arg(draft)
        .arg("--replay")
        .arg(snap)
        .output()
}

fn stdout_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

const TRONDHEIM_FAILED: &str = "unknown: its source Rust Trondheim failed this run (https://www.meetup.com/rust-trondheim/events/: HTTP status 500), so this run cannot tell whether it is listed. Run the check again later; if it keeps failing, open <https://www.meetup.com/rust-trondheim/events/> (a renamed or removed group? then update sources.toml)";

#[test]
fn check_names_the_failed_group_instead_of_sending_to_the_calendar() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_failing(dir.path(), |u| u == TRONDHEIM);
    // By the group's name, its page, or one of its events' links.
    for query in [
        "Trondheim",
        "https://www.meetup.com/Rust-Trondheim/",
        "https://www.meetup.com/rust-trondheim/events/290889889/",
    ] {
        let out = check(query, &snap);
        assert_eq!(out.status.code(), Some(2), "{query}");
        assert_eq!(stdout_lines(&out), [TRONDHEIM_FAILED], "{query}");
        assert!(out.stderr.is_empty(), "{query}");
    }
    // Events of the groups that answered are still found (exit 0), and an unknown event
    // names the failed source instead of sending the organizer to the calendar.
    Run::new(["check", "https://www.meetup.com/Dallas-Rust/", "--replay"])
        .arg(&snap)
        .status(0)
        .output();
    let out = check("RustLab", &snap);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout_lines(&out),
        [
            "unknown: no source that answered lists anything matching \"RustLab\", but 1 source failed or answered suspiciously this run and may list it: Rust Trondheim (https://www.meetup.com/rust-trondheim/events/: HTTP status 500). Run the check again later; add the event to the Rust Community Calendar only if it is still not found when every source answers"
        ]
    );
    // With every source answering, the same query is a plain "not found" (exit 3).
    let out = Run::new(["check", "RustLab", "--replay", "snapshots/2023-02-01"]).output();
    assert_eq!(out.status.code(), Some(3));
    assert!(stdout_lines(&out)[0].starts_with("not found: no source lists anything matching \"RustLab\". Add the event to the Rust Community Calendar"));
}

#[test]
fn check_with_previous_says_what_the_last_good_run_listed() {
    let dir = tempfile::tempdir().unwrap();
    // The last good run's file, as `json --out` writes it (its time fixed for the test).
    let good = Run::new(["json", "--replay", "snapshots/2023-02-01"]).output();
    let mut doc: serde_json::Value = serde_json::from_slice(&good.stdout).unwrap();
    doc["generated_at"] = "2023-01-31T09:00:00+00:00".into();
    let previous = dir.path().join("events.json");
    std::fs::write(&previous, serde_json::to_string(&doc).unwrap()).unwrap();
    let snap = snapshot_failing(dir.path(), |u| u == TRONDHEIM);
    let out = Run::new(["check", "bug hunt", "--replay"])
        .arg(&snap)
        .arg("--previous")
        .arg(&previous)
        .output();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout_lines(&out),
        [
            TRONDHEIM_FAILED,
            "previously: the run of 2023-01-31T09:00:00+00:00 listed 2023-02-15 | Trondheim, NO | Rust Trondheim | Rust New Year's Resolution Bug Hunt <https://www.meetup.com/rust-trondheim/events/290889889/>",
        ]
    );
    // A listed event needs no history: the file is not quoted.
    let out = Run::new(["check", "Second Tuesday", "--replay"])
        .arg(&snap)
        .arg("--previous")
        .arg(&previous)
        .output();
    assert_eq!(out.status.code(), Some(0));
    let lines = stdout_lines(&out);
    assert!(
        lines[0].starts_with("listed on 2023-02-14 under Virtual"),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.starts_with("previously")),
        "{lines:?}"
    );
}

#[test]
fn check_previous_must_be_a_json_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("notes.json");
    std::fs::write(&bad, "{\"hello\": 1}").unwrap();
    let out = Run::new(["check", "Trondheim", "--replay", "snapshots/2023-02-01"])
        .arg("--previous")
        .arg(&bad)
        .output();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!(
            "error: --previous {} is not a file written by `json --out` (",
            bad.display()
        )),
        "{stderr}"
    );
    let missing = dir.path().join("missing.json");
    let out = Run::new(["check", "Trondheim", "--replay", "snapshots/2023-02-01"])
        .arg("--previous")
        .arg(&missing)
        .output();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8(out.stderr).unwrap().starts_with(&format!(
        "error: cannot read --previous {}: ",
        missing.display()
    )));
}

#[test]
fn check_when_the_calendar_failed_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_failing(dir.path(), |u| u == CALENDAR);
    let out = check("FOSDEM", &snap);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stdout_lines(&out),
        [format!(
            "unknown: no source that answered lists anything matching \"FOSDEM\", but 1 source failed or answered suspiciously this run and may list it: Rust Community Calendar ({CALENDAR}: HTTP status 500). Run the check again later; add the event to the Rust Community Calendar only if it is still not found when every source answers"
        )]
    );
}

#[test]
fn update_keeps_a_failed_sources_entries_apart_from_hand_added_ones() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_failing(dir.path(), |u| u == TRONDHEIM);
    let path = draft(dir.path(), true);
    let out = update(&path, &snap);
    assert_eq!(out.status.code(), Some(2), "a source failed");
    assert!(out.stdout.is_empty());
    assert_eq!(
        answer(&out.stderr),
        [
            "kept as it was (its source Rust Trondheim failed this run): 2023-02-15 \"Rust New Year's Resolution Bug Hunt\" <https://www.meetup.com/rust-trondheim/events/290889889/>".to_string(),
            "kept (added by hand): 2023-02-20 \"Rust Oslo winter meetup\" <https://rust-oslo.example.org/2023-02>".to_string(),
            "draft: 46 entries = 0 updated + 44 unchanged + 1 kept because its source failed + 1 kept (added by hand) + 0 removed; 0 events added".to_string(),
            format!("no changes: {} not rewritten", path.display()),
        ]
    );
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    * [**Rust New Year's Resolution Bug Hunt**](https://www.meetup.com/rust-trondheim/events/290889889/)\n"));
    assert!(text.contains(HAND));
}

#[test]
fn update_with_the_calendar_failed_reports_nothing_as_added_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_failing(dir.path(), |u| u == CALENDAR);
    let path = draft(dir.path(), false);
    let out = update(&path, &snap);
    assert_eq!(out.status.code(), Some(2));
    let answer = answer(&out.stderr);
    assert_eq!(
        answer[..3],
        [
            "kept as it was (its source Rust Community Calendar failed this run): 2023-02-11 \"Rust GameDev Monthly Meetup\" <https://discord.gg/yNtPTb2>",
            "kept as it was (its source Rust Community Calendar failed this run): 2023-02-04 \"FOSDEM 2023 Conference: Rust devroom\" <https://fosdem.org/2023/schedule/track/rust/>",
            "draft: 45 entries = 0 updated + 43 unchanged + 2 kept because their source failed + 0 kept (added by hand) + 0 removed; 0 events added",
        ]
    );
    assert!(!answer.iter().any(|l| l.contains("added by hand):")));
}

#[test]
fn update_with_every_source_failed_leaves_the_draft_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let snap = snapshot_failing(dir.path(), |_| true);
    let path = draft(dir.path(), true);
    let before = std::fs::read(&path).unwrap();
    let old = backdate(&path);
    let out = update(&path, &snap);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        answer(&out.stderr),
        [format!(
            "every source failed or answered suspiciously: {} left unchanged (46 entries kept as they were)",
            path.display()
        )]
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);
}

#[test]
fn update_twice_says_no_changes_and_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = draft(dir.path(), true);
    // Last week's window and a stale date: the first update changes both.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replacen("2023-02-01 - 2023-03-01", "2023-01-25 - 2023-02-22", 1)
        .replacen("* 2023-02-02 | Lyon, FR", "* 2023-02-09 | Lyon, FR", 1);
    std::fs::write(&path, text).unwrap();
    let run = || {
        Run::new(["update"])
            .arg(&path)
            .args(["--replay", "snapshots/2023-02-01"])
            .output()
    };
    let first = run();
    assert_eq!(first.status.code(), Some(0));
    assert_eq!(
        answer(&first.stderr),
        [
            "kept (added by hand): 2023-02-20 \"Rust Oslo winter meetup\" <https://rust-oslo.example.org/2023-02>".to_string(),
            "draft: 46 entries = 1 updated + 44 unchanged + 0 kept because their source failed + 1 kept (added by hand) + 0 removed; 0 events added".to_string(),
            format!("wrote {}", path.display()),
        ]
    );
    let updated = std::fs::read(&path).unwrap();
    let old = backdate(&path);
    let second = run();
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(
        answer(&second.stderr),
        [
            "kept (added by hand): 2023-02-20 \"Rust Oslo winter meetup\" <https://rust-oslo.example.org/2023-02>".to_string(),
            "draft: 46 entries = 0 updated + 45 unchanged + 0 kept because their source failed + 1 kept (added by hand) + 0 removed; 0 events added".to_string(),
            format!("no changes: {} not rewritten", path.display()),
        ]
    );
    assert_eq!(std::fs::read(&path).unwrap(), updated);
    assert_eq!(std::fs::metadata(&path).unwrap().modified().unwrap(), old);
}
