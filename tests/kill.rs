//! No temp file left behind, and output files always old or new: the binary killed with
//! SIGKILL at many moments of a `json --out` run, and interrupted with SIGTERM/SIGINT while
//! it writes a large draft.
#![cfg(unix)]

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{binary, root};

/// The binary as a process of its own (these tests kill it), from the crate root.
fn bin() -> Command {
    let mut c = Command::new(binary());
    c.current_dir(root());
    c
}

/// Our temporary files and directories in `dir` (for any target).
fn temps(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
        .collect()
}

/// Two windows, so that successive runs write different files.
const WINDOWS: [[&str; 4]; 2] = [
    ["--from", "2023-02-01", "--to", "2023-03-01"],
    ["--from", "2023-02-08", "--to", "2023-03-08"],
];

fn json_run(out: &Path, window: usize) -> Command {
    let mut c = bin();
    c.args(["json", "--replay", "snapshots/minimal", "--out"])
        .arg(out)
        .args(WINDOWS[window])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// A complete file of one of the two runs: valid JSON, the window and the events of a run
/// that finished.
fn assert_complete(text: &str, complete: &[Value; 2], context: &str) {
    let doc: Value = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{context}: not valid JSON ({e}): {text:?}"));
    let matches = complete
        .iter()
        .any(|c| c["window"] == doc["window"] && c["events"] == doc["events"]);
    assert!(matches, "{context}: neither complete file: {doc}");
}

#[test]
fn json_out_killed_at_any_moment_leaves_old_or_new_and_the_next_run_cleans_up() {
    const KILLS: u32 = 150;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");

    // The complete file of each window, and how long a run takes.
    let mut complete = [Value::Null, Value::Null];
    let mut run_time = Duration::ZERO;
    for (w, slot) in complete.iter_mut().enumerate() {
        let reference = dir.path().join(format!("reference-{w}.json"));
        let started = Instant::now();
        assert!(json_run(&reference, w).status().unwrap().success());
        run_time = run_time.max(started.elapsed());
        *slot = serde_json::from_str(&std::fs::read_to_string(&reference).unwrap()).unwrap();
        std::fs::remove_file(&reference).unwrap();
    }

    // Kill -9 at moments spread over the whole run (0 to 1.3 × a run), 150 times.
    let mut killed_with_temp = 0;
    let mut present = 0;
    for i in 0..KILLS {
        let delay = run_time.mul_f64(f64::from(i % 50) / 50.0 * 1.3);
        let mut child = json_run(&out, (i % 2) as usize).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; fails only if it already exited and was reaped
        child.wait().unwrap();
        if !temps(dir.path()).is_empty() {
            killed_with_temp += 1;
        }
        if let Ok(text) = std::fs::read_to_string(&out) {
            present += 1;
            assert_complete(&text, &complete, &format!("after kill {i}"));
        }
    }
    eprintln!(
        "{KILLS} kills: the file was present and complete after {present}; temporary files left in the folder after {killed_with_temp}"
    );

    // One normal run: a complete file, and no temporary file left, ours or the dead runs'.
    assert!(json_run(&out, 0).status().unwrap().success());
    assert_complete(
        &std::fs::read_to_string(&out).unwrap(),
        &complete,
        "after the final run",
    );
    assert_eq!(temps(dir.path()), Vec::<String>::new());
}

/// A dead run's temporary file is removed by the next run even when that run has nothing to
/// write (the file unchanged): the order in which the kills above land decides whether the
/// final run rewrites the file, and the promise must not depend on it.
#[test]
fn a_dead_runs_temporary_file_goes_even_when_nothing_is_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");
    assert!(json_run(&out, 0).status().unwrap().success());
    // The pid of a process that has exited: a run killed while writing.
    let mut gone = Command::new("true").spawn().unwrap();
    let pid = gone.id();
    gone.wait().unwrap();
    let left = dir.path().join(format!(".events.json.tmp-{pid}-0"));
    std::fs::write(&left, "{\"half\":").unwrap();
    let before = std::fs::read(&out).unwrap();
    let run = json_run(&out, 0).stderr(Stdio::piped()).output().unwrap();
    assert!(run.status.success());
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("unchanged"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), before);
    assert_eq!(temps(dir.path()), Vec::<String>::new());
}

/// Sends `signal` to the child as soon as its temporary file for `target` appears, then waits.
/// `None` when the run finished before a temporary file was seen.
fn interrupt_while_writing(
    cmd: &mut Command,
    dir: &Path,
    target: &str,
    signal: rustix::process::Signal,
) -> Option<std::process::Output> {
    let prefix = format!(".{target}.tmp-");
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = rustix::process::Pid::from_child(&child);
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let writing = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with(&prefix));
        if writing {
            rustix::process::kill_process(pid, signal).unwrap();
            return Some(child.wait_with_output().unwrap());
        }
        if child.try_wait().unwrap().is_some() || Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
    }
}

#[test]
fn sigterm_and_sigint_remove_the_temp_file_at_once_and_leave_the_draft_old_or_new() {
    use rustix::process::Signal;
    let dir = tempfile::tempdir().unwrap();
    let draft = dir.path().join("draft.md");
    // A long draft (28 MB kept byte for byte), so that writing it takes a while.
    let mut old = String::from("Title: This Week in Rust\n\n## Upcoming Events\n\n## Jobs\n\n");
    for i in 0..400_000 {
        writeln!(
            old,
            "Line {i} of a long draft, kept byte for byte by update."
        )
        .unwrap();
    }
    let update = |target: &Path| {
        let mut c = bin();
        c.args(["update", "--replay", "snapshots/minimal"])
            .arg(target);
        c
    };
    // What a finished update writes.
    std::fs::write(&draft, &old).unwrap();
    assert!(update(&draft).output().unwrap().status.success());
    let new = std::fs::read_to_string(&draft).unwrap();
    assert_ne!(new, old);

    let mut interrupted = 0;
    for round in 0..6 {
        let (signal, code, name) = if round % 3 == 2 {
            (Signal::INT, 130, "SIGINT")
        } else {
            (Signal::TERM, 143, "SIGTERM")
        };
        std::fs::write(&draft, &old).unwrap();
        let Some(output) =
            interrupt_while_writing(&mut update(&draft), dir.path(), "draft.md", signal)
        else {
            continue;
        };
        let stderr = String::from_utf8_lossy(&output.stderr);
        // Right after the signal: no temporary file, and the draft old or new, never partial.
        assert_eq!(
            temps(dir.path()),
            Vec::<String>::new(),
            "round {round}: {stderr}"
        );
        let text = std::fs::read_to_string(&draft).unwrap();
        assert!(text == old || text == new, "round {round}: a partial draft");
        match output.status.code() {
            Some(c) if c == code => {
                assert!(
                    stderr.contains(&format!("interrupted by {name}")),
                    "{stderr}"
                );
                interrupted += 1;
            }
            // The rename had just happened: the run finished normally.
            Some(0) => assert_eq!(text, new),
            other => panic!("round {round}: exit {other:?}: {stderr}"),
        }
    }
    eprintln!("{interrupted} of 6 runs interrupted while writing");
    assert!(
        interrupted >= 3,
        "only {interrupted} of 6 runs were interrupted while writing"
    );
}
