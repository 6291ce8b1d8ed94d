//! The fuzzers' bounded CI pass: every target of `src/fuzzing.rs` (the functions the
//! `fuzz/` targets drive) over its seeds from the repository, the committed regression inputs
//! (`tests/fixtures/fuzz/<target>/`: every crash, timeout or OOM the long pass found), and a
//! deterministic mutation pass over the seeds. The long pass is `tools/fuzz.sh`.
//!
//! `TWIR_FUZZ_MUTATIONS` sets the mutations per target (default 1000).

use crate::common;
use common::{Rng, root};

use std::path::{Path, PathBuf};
use twir_events::fuzzing::TARGETS;

fn files(pattern_dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![pattern_dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if keep(&p) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The seeds of a target, from the repository only (CI has no ../shared).
fn seeds(target: &str) -> Vec<PathBuf> {
    let r = root();
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x == e);
    let mut out = match target {
        "ical" => files(&r.join("snapshots"), |p| ext(p, "ics")),
        "meetup" => files(&r.join("tests/fixtures/pages"), |p| {
            p.to_string_lossy().contains("meetup")
        }),
        "jsonld" => files(&r.join("tests/fixtures/pages"), |p| {
            !p.to_string_lossy().contains("meetup")
        }),
        "luma" => {
            let mut v = files(&r.join("tests/fixtures/pages"), |p| {
                p.to_string_lossy().contains("luma")
            });
            v.extend(files(&r.join("tests/fixtures/luma"), |_| true));
            v
        }
        "manifest" => files(&r.join("snapshots"), |p| p.ends_with("manifest.json")),
        "sources_toml" => {
            let mut v = files(&r.join("snapshots"), |p| p.ends_with("sources.toml"));
            v.push(r.join("sources.example.toml"));
            v
        }
        "draft" => files(&r.join("tests/fixtures/seeds"), |p| ext(p, "md")),
        _ => unreachable!(),
    };
    assert!(!out.is_empty(), "no seeds for {target}");
    out.extend(regressions(target));
    out
}

fn regressions(target: &str) -> Vec<PathBuf> {
    files(&root().join("tests/fixtures/fuzz").join(target), |_| true)
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

fn run(target: &str, f: fn(&[u8]), input: &[u8], what: &str, failures: &mut Vec<String>) {
    if let Err(panic) = std::panic::catch_unwind(|| f(input)) {
        let msg = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
            .unwrap_or_default();
        failures.push(format!("{target}: {what}: {msg}"));
    }
}

#[test]
fn every_target_survives_its_seeds_regressions_and_mutations() {
    let mutations: usize = std::env::var("TWIR_FUZZ_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let mut failures = Vec::new();
    for (target, f) in TARGETS {
        let inputs: Vec<(PathBuf, Vec<u8>)> = seeds(target)
            .into_iter()
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        for (p, b) in &inputs {
            run(target, f, b, &p.display().to_string(), &mut failures);
        }
        let mut rng = Rng(0x5eed ^ target.len() as u64);
        for i in 0..mutations {
            let (p, seed) = &inputs[rng.below(inputs.len())];
            // Large seeds are cut so that the pass stays short in a debug build.
            let seed = &seed[..seed.len().min(16 * 1024)];
            let input = mutate(seed, &mut rng);
            run(
                target,
                f,
                &input,
                &format!("mutation {i} of {}", p.display()),
                &mut failures,
            );
        }
        eprintln!(
            "{target}: {} seeds and regressions, {mutations} mutations",
            inputs.len()
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Every target has committed regression inputs, and they are the long pass's corpus too.
#[test]
fn every_target_has_regression_inputs() {
    for (target, _) in TARGETS {
        assert!(
            !regressions(target).is_empty(),
            "tests/fixtures/fuzz/{target}/ is empty"
        );
        assert!(
            root()
                .join("fuzz/fuzz_targets")
                .join(format!("{target}.rs"))
                .is_file(),
            "no fuzz target {target}"
        );
    }
}

/// Every kind of source in the registry has a fuzz target of its name.
#[test]
fn every_kind_has_a_fuzz_target() {
    for kind in twir_events::sources::kind::ALL {
        assert!(
            TARGETS.iter().any(|(name, _)| *name == kind.name()),
            "no fuzz target for kind {}: add it to fuzzing::TARGETS",
            kind.name()
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
