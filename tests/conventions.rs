//! Command-line conventions (issue 9), against the binary: the exit-code table, the exact
//! messages of bad input, closed pipes, `-q`, the progress bar (off when stderr is not a
//! terminal, on in a pseudo-terminal), and options only where they apply.

use std::fmt::Write as _;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Run, binary, root};

/// The binary as a process of its own (for the tests that close its pipes), from the root.
fn bin() -> Command {
    let mut c = Command::new(binary());
    c.current_dir(root());
    c
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Run::new(args).output();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const REPLAY: [&str; 2] = ["--replay", "snapshots/2023-02-01"];

#[test]
fn bad_arguments_are_bad_input_with_the_option_and_the_fix() {
    let (code, out, err) = run(&["render", "--from", "2023-02-30"]);
    assert_eq!(code, Some(1));
    assert_eq!(out, "");
    assert_eq!(
        err,
        "error: invalid value '2023-02-30' for '--from <YYYY-MM-DD>': \"2023-02-30\" is not a calendar date: write YYYY-MM-DD, e.g. 2023-02-01\n\nFor more information, try '--help'.\n"
    );
    let (code, _, err) = run(&["render", "--colour", "red"]);
    assert_eq!(code, Some(1));
    assert!(
        err.starts_with("error: unexpected argument '--colour' found\n"),
        "{err}"
    );
    // No command: the usage, on stderr, exit 1.
    let (code, out, err) = run(&[]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert!(
        err.contains("Usage: twir-events [OPTIONS] <COMMAND>"),
        "{err}"
    );
    // Asking for help or the version is not an error.
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, Some(0));
    assert!(out.contains("Commands:"));
    let (code, out, _) = run(&["--version"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with("twir-events "));
}

#[test]
fn a_missing_or_empty_sources_file_is_bad_input_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nope.toml");
    let (code, out, err) = run(&["render", "--sources", missing.to_str().unwrap()]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        format!(
            "error: {}: cannot read the sources file: No such file or directory (os error 2)\n  hint: pass --sources FILE, or run from a folder holding sources.toml\n",
            missing.display()
        ),
        "no `file:0:`"
    );
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "# nothing yet\n").unwrap();
    let (code, _, err) = run(&["render", "--sources", empty.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: {}: no [[source]] entry: there is nothing to fetch\n  hint: add at least the Rust Community Calendar ([[source]] kind = \"ical\" url = \"https://calendar.google.com/calendar/ical/…/public/basic.ics\"); sources.example.toml explains every key\n",
            empty.display()
        )
    );
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let mut child = bin()
        .args(["render"])
        .args(REPLAY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away before the block is written (`| head -0`).
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(0), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_closed_stderr_never_stops_the_run() {
    // `render 2>&1 | head -1`: stderr closed while the report is being written.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("block.md");
    let mut child = bin()
        .args(["render", "--out", out.to_str().unwrap()])
        .args(REPLAY)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    let expected = run(&["render", "--replay", "snapshots/2023-02-01"]);
    assert_eq!(
        status.code(),
        expected.0,
        "the same exit code as with stderr open"
    );
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected.1);
}

#[test]
fn quiet_prints_errors_only_and_no_progress_when_not_a_terminal() {
    let (code, out, err) = run(&["render", "-q", "--replay", "snapshots/2023-02-01"]);
    let normal = run(&["render", "--replay", "snapshots/2023-02-01"]);
    assert_eq!(code, normal.0);
    assert_eq!(out, normal.1, "the same block");
    // Quiet: only failed and suspect sources.
    for line in err.lines() {
        assert!(
            line.starts_with("FAILED ") || line.starts_with("SUSPECT "),
            "{line}"
        );
    }
    // Not a terminal: no progress bar, only whole lines.
    let err = normal.2;
    assert!(!err.contains('\r') && !err.contains('\u{1b}'), "{err:?}");
    assert!(!err.contains("sources 0/"), "{err}");
    assert!(err.lines().any(|l| l.starts_with("review: ")), "{err}");
    // -q and -v together make no sense.
    assert_eq!(run(&["render", "-q", "-v"]).0, Some(1));
}

#[test]
fn the_progress_bar_shows_on_a_terminal() {
    // `script` (util-linux) runs the command in a pseudo-terminal.
    let Ok(status) = Command::new("script").arg("--version").output() else {
        eprintln!("skipped: no `script` to make a pseudo-terminal");
        return;
    };
    if !status.status.success() {
        return;
    }
    let cmd = format!(
        "{} render --replay snapshots/2023-02-01 >/dev/null",
        binary().display()
    );
    let out = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .current_dir(root())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("sources "), "{text:?}");
    assert!(text.contains('\r'), "redrawn in place: {text:?}");
    // Quiet: nothing but errors, even on a terminal.
    let out = Command::new("script")
        .args(["-qec", &format!("{cmd} -q"), "/dev/null"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("sources "),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn snapshot_takes_no_window_or_replay_and_makes_no_folders() {
    for opt in ["--replay", "--from", "--to", "--weeks"] {
        let (code, _, err) = run(&["snapshot", "--out", "/tmp/x", opt, "1"]);
        assert_eq!(code, Some(1), "{opt}");
        assert!(
            err.starts_with(&format!("error: unexpected argument '{opt}' found")),
            "{err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("missing/parent/snap");
    let (code, _, err) = run(&[
        "snapshot",
        "--sources",
        "snapshots/minimal/sources.toml",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        format!(
            "error: --out {}: the folder {} does not exist (create it first, or choose another --out)\n",
            out.display(),
            dir.path().join("missing/parent").display()
        )
    );
    assert!(!Path::new(&dir.path().join("missing")).exists());
}

#[test]
fn a_negative_number_is_refused_as_a_number_not_taken_for_a_flag() {
    for (args, message) in [
        (
            &["render", "--weeks", "-1"][..],
            "invalid value '-1' for '--weeks <N>': --weeks takes a positive number of weeks (1–520), not \"-1\"",
        ),
        (
            &["render", "--weeks", "0"][..],
            "invalid value '0' for '--weeks <N>': --weeks takes a positive number of weeks (1–520), not \"0\"",
        ),
        (
            &["--timeout", "-5", "render"][..],
            "invalid value '-5' for '--timeout <SECS>': --timeout takes a positive number of seconds (1–3600), not \"-5\"",
        ),
        (
            &["json", "--per-host", "-1"][..],
            "invalid value '-1' for '--per-host <N>': --per-host takes a positive number of requests (1–64), not \"-1\"",
        ),
        (
            &["publish", "--out", "site", "--horizon-weeks", "-2"][..],
            "invalid value '-2' for '--horizon-weeks <N>': --horizon-weeks takes a number of weeks from 0 to 52, not \"-2\"",
        ),
        (
            &["health", "--recent", "-3"][..],
            "invalid value '-3' for '--recent <N>': --recent takes a whole number of sections, 0 or more, not \"-3\"",
        ),
    ] {
        let (code, out, err) = run(args);
        assert_eq!((code, out.as_str()), (Some(1), ""), "{args:?}");
        assert_eq!(
            err,
            format!("error: {message}\n\nFor more information, try '--help'.\n"),
            "{args:?}"
        );
    }
}

#[test]
fn an_option_that_would_do_nothing_is_refused_by_name() {
    // `completions` and `man` take none of the options of every command, wherever written.
    for (args, flags) in [
        (&["man", "--timeout", "5"][..], "--timeout does"),
        (&["--timeout", "5", "man"][..], "--timeout does"),
        (
            &["man", "-q", "--sources", "x.toml"][..],
            "--sources and --quiet do",
        ),
    ] {
        let (code, out, err) = run(args);
        assert_eq!((code, out.as_str()), (Some(1), ""), "{args:?}");
        let pronoun = if flags.ends_with("does") {
            "it"
        } else {
            "them"
        };
        assert_eq!(
            err,
            format!(
                "error: {flags} nothing for man: it takes no options but --help; drop {pronoun}\n"
            ),
            "{args:?}"
        );
    }
    let (code, out, err) = run(&["completions", "bash", "--per-host", "2", "-v", "--no-cache"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "error: --verbose, --no-cache and --per-host do nothing for completions: it takes a shell's name only (completions bash); drop them\n"
    );
    // With --replay, nothing is fetched: each option of live fetching is refused, as --cache is.
    for flag in [
        "--max-body-mb",
        "--timeout",
        "--deadline",
        "--cache",
        "--per-host",
    ] {
        for command in ["render", "json", "check"] {
            let mut args = vec![command];
            if command == "check" {
                args.push("rust");
            }
            args.extend(REPLAY);
            args.extend([flag, "2"]);
            let (code, out, err) = run(&args);
            assert_eq!((code, out.as_str()), (Some(1), ""), "{args:?}");
            assert_eq!(
                err,
                format!(
                    "error: {flag} is for live runs; --replay reads a snapshot, never the network or a cache: drop it or --replay\n"
                ),
                "{args:?}"
            );
        }
    }
    let (code, _, err) = run(&[
        "render",
        "--replay",
        "snapshots/2023-02-01",
        "--no-cache",
        "--timeout",
        "9",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: --timeout and --no-cache are for live runs; --replay reads a snapshot, never the network or a cache: drop them or --replay\n"
    );
    // `add` the same, before anything is read or written.
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(&sources, "# my sources\n").unwrap();
    let (code, _, err) = run(&[
        "add",
        "https://www.meetup.com/rust-paris/",
        "--sources",
        sources.to_str().unwrap(),
        "--replay",
        "snapshots/2023-02-01",
        "--deadline",
        "30",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error: --deadline is for live runs; --replay reads a snapshot, never the network or a cache: drop it or --replay\n"
    );
    assert_eq!(std::fs::read_to_string(&sources).unwrap(), "# my sources\n");
}

/// `health --no-fetch` fetches nothing and reads no snapshot: the options of fetching and
/// `--replay` are refused with it, as with `--replay`.
#[test]
fn health_no_fetch_refuses_the_options_of_fetching() {
    let (code, out, err) = run(&[
        "health",
        "--no-fetch",
        "--sources",
        "sources.example.toml",
        "--timeout",
        "9",
        "--replay",
        "snapshots/2023-02-01",
    ]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(
        err,
        "error: --timeout and --replay are for fetching; health --no-fetch fetches nothing and reads no snapshot: drop them or --no-fetch\n"
    );
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        for word in ["render", "snapshot", "update", "check", "replay", "quiet"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
    let (code, man, _) = run(&["man"]);
    assert_eq!(code, Some(0));
    assert!(man.starts_with(".ie \\n(.g .ds Aq"), "roff: {}", &man[..80]);
    for page in [
        ".TH twir-events 1",
        ".TH twir-events-render 1",
        ".TH twir-events-snapshot 1",
    ] {
        assert!(man.contains(page), "{page}");
    }
    // Every option of render is in the manual (roff escapes '-' as '\-').
    for opt in [
        "replay", "today", "from", "weeks", "out", "sources", "quiet",
    ] {
        assert!(man.contains(&format!("\\-\\-{opt}")), "--{opt}");
    }
}

// The editor's review report says exactly what happened, once (issue 27): every line of the
// default report pinned, on the recorded snapshots and on a week built to show each case.

/// The default report of the seed snapshots: what needs a look listed, the rest counted, every
/// count in its number (`1 correction`, not `1 corrections`), a note once per printed event.
#[test]
fn the_report_of_the_seed_snapshot_says_each_thing_once() {
    let (code, _, err) = run(&["render", "--replay", "snapshots/2023-02-01"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, REPORT_2023_02_01);
    // The calendar lists the Charlottesville meetup twice and its group's page once: one
    // event, one note.
    let (code, _, err) = run(&["render", "--replay", "snapshots/2023-01-04"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err, REPORT_2023_01_04);
}

const REPORT_2023_01_04: &str = "\
review: 1 left out
== left out (1)
left out: \"Rust Cologne: January Meetup\" on 2023-01-18 (https://www.meetup.com/rustcologne/events/290458712/, from Rust Community Calendar): cancelled on its event page (the calendar said \"Confirmed\")
== notes (3)
note: \"Part 2: Exploring USB with Rust\": no location and no online hint; listed as virtual
note: \"Boulder Elixir and Rust: Monthly Meetup\": no location and no online hint; listed as virtual
note: \"Rust GameDev Monthly Meetup\": no location and no online hint; listed as virtual
merged: 12 entries listed twice with the same event link, 8 other duplicates, 8 mirrored sessions; --verbose lists them with their evidence
25 sources ok, with 29 warnings (skipped or repaired entries); --verbose lists them
20 events in the window; 0 of 25 sources failed
";

const REPORT_2023_02_01: &str = "\
review: 1 left out
== left out (1)
left out: \"Rust Munich Meetup #12\" on 2023-02-22 (https://www.meetup.com/rust-munich/events/291120384/, from Rust Community Calendar): cancelled on its event page (the calendar said \"Confirmed\")
== notes (4)
note: \"Boulder Elixir and Rust: Monthly Meetup\": no location and no online hint; listed as virtual
note: \"Rust GameDev Monthly Meetup\": no location and no online hint; listed as virtual
note: \"Rust London User Group: Rust Nation Pre-Conference Reception with The Rust Foundation\": its place gives only the country GB; printed its organizer's home London, UK
note: \"Rust London User Group: Post-Conference Rust in Enterprise Brunch Hosted at Red Badger\": its place gives only the country GB; printed its organizer's home London, UK
merged: 29 entries listed twice with the same event link, 11 other duplicates, 15 mirrored sessions; --verbose lists them with their evidence
41 sources ok, with 41 warnings (skipped or repaired entries); --verbose lists them
45 events in the window; 0 of 41 sources failed
";

/// The sources as served in 2026: a cancelled event its group's page and the calendar both
/// list is one `left out:` line naming both sources; a fallback is said once per kind of
/// source with a count (the reasons only with `--verbose`); `1 warning`, `1 failed or
/// suspect source`.
#[test]
fn the_report_of_the_2026_snapshot_says_each_thing_once() {
    let (code, _, err) = run(&["render", "--replay", "snapshots/2026-09-16"]);
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err, REPORT_2026_09_16);
    let (_, _, verbose) = run(&["render", "-v", "--replay", "snapshots/2026-09-16"]);
    assert!(
        verbose.contains(
            "ok     meetup Rust Manchester: 2 events\n       fallback: the group page could not be read (the page answered without any event data"
        ),
        "{verbose}"
    );
    assert!(!verbose.contains("fallback: 1 meetup source"), "{verbose}");
    assert_eq!(verbose.matches("\nleft out: ").count(), 1, "{verbose}");
}

const REPORT_2026_09_16: &str = "\
ok     meetup Seattle Rust User Group: 3 events
       redirected to https://www.meetup.com/seattle-rust-user-group/events/ (a renamed group or calendar? update sources.toml)
FAILED meetup Belgrade Rust Meetup Group: https://www.meetup.com/belgrade-rust-meetup-group/events/: HTTP status 404
fallback: 1 meetup source was read from its iCal feed because its page held no event data (Rust Manchester); --verbose says why
fallback: 1 luma source was read from the events its page lists because its feed could not be read (Rust Melbourne); --verbose says why
review: 1 failed or suspect source, 1 left out
== left out (1)
left out: \"Rust meetup #89\" on 2026-10-13 (https://www.meetup.com/rust-paris/events/316402289/, from Rust Paris, Rust Community Calendar): cancelled
== notes (1)
note: \"Women in Rust: Lunch & Learn: Error handling in Rust\": no location and no online hint; listed as virtual
merged: 8 entries listed twice with the same event link, 5 other duplicates, 0 mirrored sessions; --verbose lists them with their evidence
11 sources ok, with 1 warning (skipped or repaired entries); --verbose lists them
18 events in the window; 1 of 12 sources failed
";

/// A snapshot folder in `dir`: `sources.toml`, and each `(url, content type, body)` recorded
/// (status 200).
fn snapshot_of(dir: &Path, sources: &str, responses: &[(String, &str, String)]) -> String {
    let snap = dir.join("snapshot");
    std::fs::create_dir_all(snap.join("responses")).unwrap();
    std::fs::write(snap.join("sources.toml"), sources).unwrap();
    let mut manifest = Vec::new();
    for (i, (url, content_type, body)) in responses.iter().enumerate() {
        let file = format!("responses/{i}.body");
        std::fs::write(snap.join(&file), body).unwrap();
        manifest.push(format!(
            "{{\"url\": \"{url}\", \"status\": 200, \"content_type\": \"{content_type}\", \"file\": \"{file}\"}}"
        ));
    }
    std::fs::write(
        snap.join("manifest.json"),
        format!(
            "{{\"recorded_at\": \"2026-09-16T09:00:00+00:00\", \"responses\": [{}]}}",
            manifest.join(", ")
        ),
    )
    .unwrap();
    snap.to_str().unwrap().to_string()
}

/// An iCalendar feed of `events` (each the lines of one VEVENT, without BEGIN/END), CRLF.
fn calendar(events: &[&str]) -> String {
    let mut lines = vec!["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"];
    let bodies: Vec<String> = events
        .iter()
        .map(|e| format!("BEGIN:VEVENT\n{}\nEND:VEVENT", e.trim()))
        .collect();
    lines.extend(bodies.iter().map(String::as_str));
    lines.push("END:VCALENDAR");
    lines.join("\n").replace('\n', "\r\n") + "\r\n"
}

/// A week built to show each case the report once said wrong: a title with an invisible
/// character and an emoji (quoted as the newsletter prints it, never `"\u{200b}…"`), a weekly
/// series whose instances share one link (not a possible duplicate), nine meetup groups
/// behind a login page (one line with a count, not nine of 600 characters).
#[test]
fn the_report_of_a_hard_week_says_each_thing_once_as_printed() {
    let dir = tempfile::tempdir().unwrap();
    let feed = "https://calendar.example.org/rust.ics";
    let mut sources =
        format!("[[source]]\nkind = \"ical\"\nurl = \"{feed}\"\nname = \"Calendar\"\n");
    let mut responses = vec![(
        feed.to_string(),
        "text/calendar",
        calendar(&[
            "UID:mumbai-july\nDTSTAMP:20260901T000000Z\nDTSTART:20260923T130000Z\nSUMMARY:\u{200b}Rust Mumbai — July Meetup 🦀\nLOCATION:Mumbai\\, India\nURL:https://www.meetup.com/rust-mumbai/events/311/",
            "UID:mumbai-aug\nDTSTAMP:20260901T000000Z\nDTSTART:20260930T130000Z\nSUMMARY:\u{200b}Rust Mumbai — August Meetup 🦀\nURL:https://rust-mumbai.example.org/august",
            "UID:hack-night\nDTSTAMP:20260901T000000Z\nDTSTART:20260917T170000Z\nRRULE:FREQ=WEEKLY;COUNT=4\nSUMMARY:Rust Hack Night\nLOCATION:Berlin\\, Germany\nURL:https://rust-hack.example.org/weekly",
        ]),
    )];
    let login = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("snapshots/2026-09-16/responses/www.meetup.com/rust-manchester-events.html"),
    )
    .unwrap();
    for i in 1..=9 {
        let group = format!("https://www.meetup.com/rust-group-{i}/");
        let _ = write!(
            sources,
            "\n[[source]]\nkind = \"meetup\"\nurl = \"{group}\"\nname = \"Rust Group {i}\"\n"
        );
        responses.push((format!("{group}events/"), "text/html", login.clone()));
        responses.push((
            format!("{group}events/ical/"),
            "text/calendar",
            calendar(&[&format!(
                "UID:past-{i}\nDTSTAMP:20260901T000000Z\nDTSTART:20260101T180000Z\nSUMMARY:Rust Group {i} meetup\nURL:{group}events/{i}00/"
            )]),
        ));
    }
    let snap = snapshot_of(dir.path(), &sources, &responses);
    let (code, _, err) = run(&[
        "render",
        "--replay",
        &snap,
        "--from",
        "2026-09-16",
        "--to",
        "2026-10-14",
    ]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(err.replace(&snap, "SNAPSHOT"), REPORT_OF_A_HARD_WEEK);
}

const REPORT_OF_A_HARD_WEEK: &str = "\
fallback: 9 meetup sources were read from their iCal feeds because their pages held no event data (Rust Group 1, Rust Group 2, Rust Group 3 and 6 more); --verbose says why
review: 1 unverified calendar entry
== unverified calendar entries (1)
unverified: \"Rust Mumbai — July Meetup 🦀\" on 2026-09-23 (https://www.meetup.com/rust-mumbai/events/311/, from Calendar): https://www.meetup.com/rust-mumbai/events/311/: not in the snapshot SNAPSHOT (record it again with `twir-events snapshot`); kept the calendar's data
== notes (3)
note: \"Rust Mumbai — July Meetup 🦀\": organizer \"Rust Mumbai\" found by its name only (the title's prefix); link its page in the entry, or add an [[organizer]] entry to sources.toml
note: \"Rust Mumbai — August Meetup 🦀\": organizer \"Rust Mumbai\" found by its name only (the title's prefix); link its page in the entry, or add an [[organizer]] entry to sources.toml
note: \"Rust Mumbai — August Meetup 🦀\": no location and no online hint; listed as virtual
10 sources ok; --verbose lists them
6 events in the window; 0 of 10 sources failed
";

/// Every `tests/*.rs` file is a module of the one integration binary (`tests/integration.rs`):
/// with `autotests = false`, a file not listed there would silently not run.
#[test]
fn every_test_file_is_a_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let listed = std::fs::read_to_string(root.join("integration.rs")).unwrap();
    for entry in std::fs::read_dir(&root).unwrap() {
        let path = entry.unwrap().path();
        let Some(stem) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().is_some_and(|e| e == "rs") && stem != "integration" {
            assert!(
                listed.lines().any(|l| l == format!("mod {stem};")),
                "tests/{stem}.rs is not a module of tests/integration.rs"
            );
        }
    }
}

/// The crate root and the binary come from `tests/common` (`common::root()`, `common::Run`,
/// `common::binary()`, which honours `TWIR_EVENTS_BIN`): no test file defines its own root or
/// names the binary's build path.
#[test]
fn test_files_get_the_root_and_the_binary_from_common() {
    // Spelled in two halves, so that this file does not match itself.
    let needles = [
        (concat!("fn ", "root("), "common::root()"),
        (
            concat!("CARGO_BIN_", "EXE_"),
            "common::Run or common::binary()",
        ),
        (concat!("cargo_", "bin("), "common::Run or common::binary()"),
    ];
    let tests = root().join("tests");
    let mut dirs = vec![tests.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path != tests.join("common") {
                    dirs.push(path);
                }
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path.strip_prefix(root()).unwrap().display();
            for (needle, instead) in needles {
                assert!(
                    !text.contains(needle),
                    "{name} has `{needle}`: use {instead} from tests/common instead"
                );
            }
        }
    }
}
