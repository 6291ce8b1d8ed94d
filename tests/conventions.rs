//! Command-line conventions (issue 9), against the binary: the exit-code table, the exact
//! messages of bad input, closed pipes, `-q`, the progress bar (off when stderr is not a
//! terminal, on in a pseudo-terminal), and options only where they apply.

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
