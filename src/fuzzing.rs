//! The fuzz targets: what the fuzzer (`fuzz/`, driven by `tools/fuzz.sh`) and the bounded CI
//! pass (`tests/fuzz_smoke.rs`) run, listed once in [`targets`]: one per kind of source, made
//! from the registry (its [`Kind::fuzz`] and [`Kind::fuzz_seeds`]), and the other readers of
//! untrusted input (a snapshot's manifest, `sources.toml`, a draft). Each takes arbitrary bytes
//! and runs one reader the way a run does; none may panic, hang or allocate without bound on
//! any input; each checks the few invariants its reader promises.
//!
//! A target's committed regression inputs (and the long pass's extra corpus) are
//! `tests/fixtures/fuzz/<target>/`; the CI pass requires at least one.

use crate::config::Config;
use crate::pipeline::Outcome;
use crate::sources::kind::{ALL, Kind};

/// A fuzz target.
#[derive(Clone, Copy)]
pub struct Target {
    /// Its name: a kind's, or the reader's (`manifest`).
    pub name: &'static str,
    /// Runs it on one input.
    pub run: Run,
    /// Its seeds, from the repository: `(folder, part of the path)`, every file below the
    /// folder whose path contains the part (`""`: every file).
    pub seeds: &'static [(&'static str, &'static str)],
}

/// How a target runs an input.
#[derive(Clone, Copy)]
pub enum Run {
    /// A kind of source's reader ([`Kind::fuzz`]).
    Kind(&'static dyn Kind),
    /// Another reader.
    Reader(fn(&[u8])),
}

impl Target {
    /// Runs the target on one input.
    pub fn run(&self, data: &[u8]) {
        match self.run {
            Run::Kind(k) => k.fuzz(data),
            Run::Reader(f) => f(data),
        }
    }
}

/// Every target: the kinds' (in the registry's order), then the other readers.
pub fn targets() -> Vec<Target> {
    let kinds = ALL.iter().map(|&k| Target {
        name: k.name(),
        run: Run::Kind(k),
        seeds: k.fuzz_seeds(),
    });
    kinds.chain(OTHERS).collect()
}

/// The target named `name`.
pub fn target(name: &str) -> Option<Target> {
    targets().into_iter().find(|t| t.name == name)
}

/// The readers of untrusted input that are no kind of source.
const OTHERS: [Target; 3] = [
    Target {
        name: "manifest",
        run: Run::Reader(manifest),
        seeds: &[("snapshots", "manifest.json")],
    },
    Target {
        name: "sources_toml",
        run: Run::Reader(sources_toml),
        seeds: &[("snapshots", "sources.toml"), ("sources.example.toml", "")],
    },
    Target {
        name: "draft",
        run: Run::Reader(draft),
        seeds: &[("tests/fixtures/seeds", ".md")],
    },
];

/// A snapshot's `manifest.json`.
pub fn manifest(data: &[u8]) {
    let _ = crate::fetch::replay::check_manifest(data);
}

/// `sources.toml`: parsed, or an error that names the file.
pub fn sources_toml(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Err(e) = Config::parse(&text, "fuzz.toml") {
        assert!(e.to_string().contains("fuzz.toml"), "{e}");
    }
}

/// The draft reader: a published section read back, and a draft updated in place (with no
/// events from sources, so the draft's own entries are what is kept or removed).
pub fn draft(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let entries = crate::newsletter::read::parse_section(&text);
    for e in &entries {
        let _ = crate::newsletter::read::to_event(e);
    }
    let [window, ..] = crate::sources::fuzz::windows();
    if let Ok(update) = crate::update::update_draft(&text, &Outcome::default(), &window, &[]) {
        assert!(update.updated.is_empty() && update.added.is_empty());
        assert!(update.adds_up(), "{update:?}");
        let again = crate::update::update_draft(&update.text, &Outcome::default(), &window, &[]);
        assert_eq!(
            again.map(|u| u.text).as_ref(),
            Ok(&update.text),
            "not idempotent"
        );
    }
}
