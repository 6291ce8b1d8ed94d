//! The fuzzers' bounded CI pass: every target of `src/fuzzing.rs` (the functions the
//! `fuzz/` targets drive) over its seeds from the repository, the committed regression inputs
//! (`tests/fixtures/fuzz/<target>/`: every crash, timeout or OOM the long pass found), and a
//! deterministic mutation pass over the seeds. The long pass is `tools/fuzz.sh`.
//!
//! `TWIR_FUZZ_MUTATIONS` sets the mutations per target (default 1000).

use crate::common;
use common::{Rng, root};

use std::path::{Path, PathBuf};
use twir_events::fuzzing::{Target, targets};

/// The files below `path` (or `path` itself, a file) whose path contains `part`.
fn files(path: &Path, part: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            if let Ok(rd) = std::fs::read_dir(&p) {
                stack.extend(rd.flatten().map(|e| e.path()));
            }
        } else if p.is_file() && p.to_string_lossy().contains(part) {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The seeds of a target, from the repository only (CI has no ../shared), and its
/// regression inputs.
fn seeds(target: &Target) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = target
        .seeds
        .iter()
        .flat_map(|(dir, part)| files(&root().join(dir), part))
        .collect();
    assert!(
        !out.is_empty(),
        "no seeds for the fuzz target {}: its seeds {:?} name no file (a kind gives its fixtures in `Kind::fuzz_seeds`)",
        target.name,
        target.seeds
    );
    out.extend(regressions(target.name));
    out
}

fn regressions(target: &str) -> Vec<PathBuf> {
    files(&root().join("tests/fixtures/fuzz").join(target), "")
}

const TOKENS: &[&[u8]] = &[
    "é".as_bytes(),
    "🦀".as_bytes(),
    b"\xff",
    b"\xc3",
    b"\r\n ",
    b"\r\n",
    b"BEGIN:VEVENT\r\n",
    b"END:VEVENT\r\n",
    b"RRULE:FREQ=SECONDLY;COUNT=99999999\r\n",
    b"DURATION:P99999999W\r\n",
    b"DTSTART:+2620000101T000000Z\r\n",
    b"{\"__ref\":\"Event:1\"}",
    b"[[[[[[[[[[[[",
    b"<div><div><div>",
    b"</script>",
    b"\"startDate\":\"-99999-01-01\"",
    b"[[source]]\n",
    b"\n* 2026-09-02 | x | [a](b)\n    * [**c**](d)\n",
    b"### Europe\n",
    b"\\",
    b"\x00",
];

fn mutate(seed: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = seed.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(5) {
            0 => b.truncate(at),
            1 => {
                if at < b.len() {
                    b[at] ^= 1 << rng.below(8);
                }
            }
            2 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                b.splice(at..at, t.iter().copied());
            }
            3 => {
                let end = (at + 1 + rng.below(512)).min(b.len());
                if at < end {
                    let copy = b[at..end].to_vec();
                    let to = rng.below(b.len() + 1);
                    b.splice(to..to, copy);
                }
            }
            _ => {
                let end = (at + 1 + rng.below(64)).min(b.len());
                if at < end {
                    b.drain(at..end);
                }
            }
        }
    }
    b
}

fn run(target: &Target, input: &[u8], what: &str, failures: &mut Vec<String>) {
    if let Err(panic) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(input)))
    {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
            .unwrap_or_default();
        failures.push(format!("{}: {what}: {msg}", target.name));
    }
}

#[test]
fn every_target_survives_its_seeds_regressions_and_mutations() {
    let mutations: usize = std::env::var("TWIR_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut failures = Vec::new();
    for target in &targets() {
        let inputs: Vec<(PathBuf, Vec<u8>)> = seeds(target)
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        for (p, b) in &inputs {
            run(target, b, &p.display().to_string(), &mut failures);
        }
        let mut rng = Rng(0x5eed ^ target.name.len() as u64);
        for i in 0..mutations {
            let (p, seed) = &inputs[rng.below(inputs.len())];
            // Large seeds are cut so that the pass stays short in a debug build.
            let seed = &seed[..seed.len().min(16 * 1024)];
            let input = mutate(seed, &mut rng);
            run(
                target,
                &input,
                &format!("mutation {i} of {}", p.display()),
                &mut failures,
            );
        }
        eprintln!(
            "{}: {} seeds and regressions, {mutations} mutations",
            target.name,
            inputs.len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every target (a kind's among them: the registry makes them) has committed regression
/// inputs, which are the long pass's corpus too; and the names are the targets' own (one
/// fuzz binary runs each by its name).
#[test]
fn every_target_has_regression_inputs() {
    let all = targets();
    for t in &all {
        assert!(
            !regressions(t.name).is_empty(),
            "tests/fixtures/fuzz/{0}/ is empty or missing: add at least one input of the {0} \
             fuzz target there (a small fixture; every crash the long pass finds goes there too)",
            t.name
        );
        assert_eq!(
            all.iter().filter(|o| o.name == t.name).count(),
            1,
            "{}",
            t.name
        );
    }
    let dirs = files(&root().join("tests/fixtures/fuzz"), "");
    for d in dirs {
        let name = d
            .parent()
            .and_then(|p| p.file_name())
            .unwrap()
            .to_string_lossy();
        assert!(
            all.iter().any(|t| t.name == name),
            "{}: no fuzz target {name} (src/fuzzing.rs)",
            d.display()
        );
    }
}

/// The manifest target's regression input holds hostile file paths: the replay reader keeps
/// only the one that stays inside the snapshot (`a\\..\\b` is one plain name on Unix) and
/// refuses `../../etc/passwd` and `/abs`.
#[cfg(unix)]
#[test]
fn manifest_paths_leaving_the_snapshot_are_refused() {
    let bytes = std::fs::read(root().join("tests/fixtures/fuzz/manifest/odd-paths.json")).unwrap();
    assert_eq!(twir_events::fetch::replay::check_manifest(&bytes), Ok(1));
    assert!(twir_events::fetch::replay::check_manifest(b"{\"responses\": [").is_err());
}
