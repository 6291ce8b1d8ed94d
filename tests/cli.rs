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
