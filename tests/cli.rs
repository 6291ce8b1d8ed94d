//! The binary as a user runs it: exit codes, stderr messages, stdout carrying only the result.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn bin() -> Command {
    Command::cargo_bin("twir-events").unwrap()
}

#[test]
fn bad_sources_file_names_file_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sources.toml");
    std::fs::write(
        &path,
        "[[source]]\nkind = \"ical\"\nurl = \"https://example.org/a.ics\"\ncolour = \"red\"\n",
    )
    .unwrap();
    bin()
        .args(["render", "--today", "2023-02-01", "--sources"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("sources.toml:4:"))
        .stderr(predicate::str::contains("colour"))
        .stderr(predicate::str::contains("hint:"));
}

#[test]
fn missing_sources_file_says_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    bin()
        .current_dir(dir.path())
        .args(["render", "--today", "2023-02-01"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("sources.toml"))
        .stderr(predicate::str::contains("--sources"));
}

#[test]
fn reversed_window_is_a_usage_error() {
    bin()
        .args([
            "render",
            "--from",
            "2023-03-01",
            "--to",
            "2023-02-01",
            "--sources",
        ])
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("sources.example.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("before it starts"));
}

#[test]
fn missing_snapshot_directory_is_reported() {
    bin()
        .args(["render", "--replay", "no/such/snapshot"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("no/such/snapshot"));
}

#[test]
fn readme_documents_every_option_and_command() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    for sub in [&[][..], &["render"][..], &["snapshot"][..]] {
        let out = bin().args(sub).arg("--help").output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        for word in help.split_whitespace() {
            let flag = word.trim_end_matches(',');
            if flag.starts_with("--") && flag != "--help" && flag != "--version" {
                let flag = flag.split('<').next().unwrap();
                assert!(readme.contains(flag), "README does not mention {flag}");
            }
        }
    }
}

#[test]
fn check_says_why_an_event_is_missing() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    bin()
        .current_dir(root)
        .args([
            "check",
            "https://www.meetup.com/rust-munich/events/291120384",
        ])
        .args(["--replay", "snapshots/2023-02-01"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("cancelled"));
    bin()
        .current_dir(root)
        .args(["check", "January Hack Night", "--replay", "snapshots/2023-02-01"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains(
            "on 2023-01-31 <https://www.meetup.com/chicago-rust-meetup/events/291093702/> is outside the window 2023-02-01 - 2023-03-01",
        ));
    bin()
        .current_dir(root)
        .args([
            "check",
            "https://www.meetup.com/Dallas-Rust/",
            "--replay",
            "snapshots/2023-02-01",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "listed on 2023-02-14 under Virtual",
        ));
}

#[test]
fn update_rewrites_the_block_in_place_and_keeps_hand_added_entries() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let block =
        std::fs::read_to_string(root.join("tests/fixtures/seeds/476-2023-01-04.md")).unwrap();
    let hand = "* 2023-01-20 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)\n    * [**Rust Oslo winter meetup**](https://rust-oslo.example.org/2023-01)\n";
    let block = block.replacen("### Europe\n\n", &format!("### Europe\n\n{hand}"), 1);
    let draft = format!(
        "Title: This Week in Rust 476\n\n## Upcoming Events\n\n{block}\n## Jobs\n\nPlease see the latest thread.\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, &draft).unwrap();
    let run = || {
        bin()
            .current_dir(root)
            .args(["update", "--replay", "snapshots/2023-01-04"])
            .arg(&path)
            .assert()
            .code(0)
            .stdout("")
    };
    run()
        .stderr(predicate::str::contains(
            "kept (added by hand): 2023-01-20 \"Rust Oslo winter meetup\"",
        ))
        .stderr(predicate::str::contains(
            "removed from the draft: 2022-12-28 \"Rust Lunch\"",
        ));
    let updated = std::fs::read_to_string(&path).unwrap();
    assert!(updated.starts_with("Title: This Week in Rust 476\n\n## Upcoming Events\n\nRusty Events between 2023-01-04 - 2023-02-01"));
    assert!(updated.ends_with("\n## Jobs\n\nPlease see the latest thread.\n"));
    assert!(
        updated.contains("* 2023-01-20 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)")
    );
    assert!(!updated.contains("2022-12-28"));
    // The block is what `render` prints, plus the hand-added entry.
    let rendered = bin()
        .current_dir(root)
        .args(["render", "--replay", "snapshots/2023-01-04"])
        .output()
        .unwrap();
    let rendered = String::from_utf8(rendered.stdout).unwrap();
    assert_eq!(
        updated.replace(hand, ""),
        format!(
            "Title: This Week in Rust 476\n\n## Upcoming Events\n\n{rendered}\n## Jobs\n\nPlease see the latest thread.\n"
        )
    );
    // A second update changes nothing.
    run();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), updated);
}

#[test]
fn json_refresh_is_atomic_cheap_and_never_clobbers_good_data() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");
    let json = |replay: &Path| {
        let mut c = bin();
        c.current_dir(root)
            .arg("json")
            .arg("--out")
            .arg(&out)
            .arg("--replay")
            .arg(replay);
        c
    };
    json(Path::new("snapshots/minimal"))
        .assert()
        .code(0)
        .stdout("")
        .stderr(predicate::str::contains("wrote"));
    let first = std::fs::read_to_string(&out).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["events"].as_array().unwrap().len(), 6);
    assert_eq!(doc["sources"][0]["ok"], true);
    assert_eq!(doc["events"][0]["location"], "New York, NY, US");

    // Nothing changed: the file is not rewritten.
    json(Path::new("snapshots/minimal"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("unchanged"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);

    // Every source failing (an empty snapshot) leaves the good file as it was.
    let empty = dir.path().join("empty-snapshot");
    std::fs::create_dir(&empty).unwrap();
    std::fs::write(
        empty.join("manifest.json"),
        "{\"recorded_at\": \"2023-02-01T09:00:00+00:00\", \"responses\": []}",
    )
    .unwrap();
    std::fs::copy(
        root.join("snapshots/minimal/sources.toml"),
        empty.join("sources.toml"),
    )
    .unwrap();
    json(&empty)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("left as it was"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
