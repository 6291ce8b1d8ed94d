//! `twir-events health`, the binary as an editor runs it: on a fixture snapshot holding each
//! problem (tests/fixtures/health/), on the seed snapshots with the published corpus (skipped
//! when ../shared is absent), and the source list alone (`--no-fetch`).

use std::path::PathBuf;
use twir_events::config::{Config, SourceKind};

use crate::common::{Run, root};

/// Runs the binary from the project root; returns (exit code, stdout, stderr).
fn health(args: &[&str]) -> (i32, String, String) {
    let out = Run::new(["health"]).args(args).output();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn json(args: &[&str]) -> (i32, serde_json::Value) {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (code, stdout, stderr) = health(&all);
    let v = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, v)
}

fn corpus() -> Option<PathBuf> {
    let c = root().join("../shared/twir-corpus");
    if c.is_dir() {
        Some(c)
    } else {
        eprintln!("skipped: ../shared/twir-corpus is absent");
        None
    }
}

const FIXTURE: &str = "tests/fixtures/health/snapshot";
const FIXTURE_CORPUS: &str = "tests/fixtures/health/corpus";

fn urls(v: &serde_json::Value, section: &str) -> Vec<String> {
    v[section]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["source"]["url"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_fixture_snapshot_reports_every_problem_in_json() {
    let (code, v) = json(&["--replay", FIXTURE, "--corpus", FIXTURE_CORPUS]);
    assert_eq!(code, 2, "{v:#}");
    assert_eq!(v["version"], 1);
    assert_eq!(v["today"], "2026-09-16");
    assert_eq!(v["fetched"], true);
    assert_eq!(v["needs_attention"], true);
    assert_eq!(v["sources"], 7);
    assert_eq!(v["sections"]["count"], 2);
    // The 404 group.
    assert_eq!(urls(&v, "gone"), ["https://www.meetup.com/rust-gone/"]);
    assert_eq!(v["gone"][0]["status"], 404);
    assert_eq!(v["gone"][0]["source"]["line"], 14);
    // The renamed group: the new URL and the line to write.
    assert_eq!(
        urls(&v, "redirected"),
        ["https://www.meetup.com/rust-oldname/"]
    );
    assert_eq!(
        v["redirected"][0]["to"],
        "https://www.meetup.com/rust-newname/"
    );
    assert_eq!(
        v["redirected"][0]["fix"],
        "url = \"https://www.meetup.com/rust-newname/\""
    );
    // The group listed twice under two URL forms.
    let dups = v["duplicates"].as_array().unwrap();
    assert_eq!(dups.len(), 1, "{dups:#?}");
    assert_eq!(dups[0]["group"], "meetup.com/rust-twice");
    assert_eq!(dups[0]["sources"].as_array().unwrap().len(), 2);
    // The silent group: no event listed, last published in January.
    assert_eq!(urls(&v, "silent"), ["https://www.meetup.com/rust-silent/"]);
    assert_eq!(v["silent"][0]["since"], "2026-01-07");
    assert_eq!(v["silent"][0]["last_listed"], serde_json::Value::Null);
    assert!(v["failed"].as_array().unwrap().is_empty(), "{v:#}");
    assert!(v["suspect"].as_array().unwrap().is_empty(), "{v:#}");
    // The calendar-only organizer, with the lines to add; and those published by hand.
    let uncovered = v["uncovered"].as_array().unwrap();
    let by = |link: &str| {
        uncovered
            .iter()
            .find(|u| u["link"] == link)
            .unwrap_or_else(|| panic!("{link} not reported: {uncovered:#?}"))
    };
    let calonly = by("https://www.meetup.com/rust-calonly/");
    assert_eq!(calonly["reach"], "calendar_only");
    assert_eq!(calonly["on_calendar"], 1);
    assert_eq!(calonly["sections"], 0);
    assert_eq!(calonly["suggestion_kind"], "meetup");
    let lines = Config::parse(calonly["suggestion"].as_str().unwrap(), "suggestion").unwrap();
    assert_eq!(lines.sources[0].kind, SourceKind::Meetup);
    assert_eq!(lines.sources[0].url, "https://www.meetup.com/rust-calonly/");
    let valencia = by("https://luma.com/rust-valencia");
    assert_eq!(valencia["reach"], "published_only");
    assert_eq!(valencia["suggestion_kind"], "luma");
    assert_eq!(valencia["home"], "Valencia, ES");
    let discord = by("https://discord.gg/rust-handadded");
    assert_eq!(discord["organizer_entry"], true);
    // Covered groups are not reported: the healthy one, and the renamed one's new name.
    for covered in ["rust-healthy", "rust-newname", "rust-twice"] {
        assert!(
            uncovered
                .iter()
                .all(|u| !u["link"].as_str().unwrap().contains(covered)),
            "{covered}: {uncovered:#?}"
        );
    }
}

#[test]
fn the_table_has_counts_on_top_and_one_section_per_problem() {
    let (code, stdout, stderr) = health(&["--replay", FIXTURE, "--corpus", FIXTURE_CORPUS]);
    assert_eq!(code, 2, "{stderr}");
    let mut lines = stdout.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("health of 7 sources on 2026-09-16")
    );
    assert_eq!(
        lines.next().unwrap(),
        "uncovered 3 · failed 0 · suspect 0 · gone 1 · redirected 1 · silent 1 · fallback 0 · duplicates 1"
    );
    for title in ["UNCOVERED", "GONE", "REDIRECTED", "SILENT", "DUPLICATES"] {
        assert!(stdout.contains(&format!("\n{title}")), "{title}:\n{stdout}");
    }
    for empty in ["\nFAILED", "\nSUSPECT", "\nFALLBACK"] {
        assert!(!stdout.contains(empty), "{empty} is empty:\n{stdout}");
    }
    assert!(stdout.contains(
        "Rust Calonly <https://www.meetup.com/rust-calonly/> (Ghent, BE) — on the calendar only"
    ));
    // stdout is the report only: the run's per-source lines are not there.
    assert!(!stdout.contains("ok     meetup"), "{stdout}");
}

#[test]
fn the_seed_snapshots_with_the_corpus() {
    let Some(corpus) = corpus() else { return };
    let corpus = corpus.to_str().unwrap();
    for (snap, today) in [
        ("snapshots/2023-01-04", "2023-01-04"),
        ("snapshots/2023-02-01", "2023-02-01"),
    ] {
        let (code, v) = json(&["--replay", snap, "--corpus", corpus]);
        assert_eq!(v["today"], today);
        assert_eq!(v["sections"]["count"], 26, "{snap}");
        assert_eq!(v["sections"]["last"], today, "{snap}");
        // The seeds' sources all answer, and none is listed twice.
        for section in ["failed", "gone", "redirected", "suspect", "duplicates"] {
            assert!(
                v[section].as_array().unwrap().is_empty(),
                "{snap} {section}: {v:#}"
            );
        }
        // The seeds track a few dozen groups; the editors published many more.
        let uncovered = v["uncovered"].as_array().unwrap();
        assert!(uncovered.len() > 20, "{snap}: {}", uncovered.len());
        assert_eq!(code, 2);
        let config = Config::load(&root().join(snap).join("sources.toml")).unwrap();
        for u in uncovered {
            let link = u["link"].as_str().unwrap();
            // Nothing reported as uncovered is a group the snapshot lists.
            let group = twir_events::health::group_of(link).unwrap();
            assert!(
                config
                    .sources
                    .iter()
                    .filter_map(twir_events::config::Source::organizer_page)
                    .all(|p| twir_events::health::group_of(&p).unwrap() != group),
                "{snap}: {link}"
            );
            // Every suggestion is valid sources-file text.
            let s = u["suggestion"].as_str().unwrap();
            Config::parse(s, "suggestion").unwrap_or_else(|e| panic!("{s}\n{e}"));
        }
    }
}

#[test]
fn no_fetch_reads_only_the_source_list_and_the_sections() {
    let Some(corpus) = corpus() else { return };
    let (code, v) = json(&[
        "--no-fetch",
        "--sources",
        "sources.toml",
        "--corpus",
        corpus.to_str().unwrap(),
        "--today",
        "2026-08-26",
    ]);
    assert_eq!(v["fetched"], false);
    assert_eq!(v["sections"]["count"], 26);
    assert!(v["duplicates"].as_array().unwrap().is_empty(), "{v:#}");
    let uncovered = v["uncovered"].as_array().unwrap();
    // The luma calendars the issue names, and the meetup groups the editors publish, are
    // covered by the real list.
    for link in uncovered.iter().map(|u| u["link"].as_str().unwrap()) {
        for covered in [
            "rust-girona",
            "rust-maven",
            "rustmelbourne",
            "rust-sc",
            "rust-melbourne",
            "rust-mx",
        ] {
            assert!(
                !link.ends_with(&format!("/{covered}/")) && !link.ends_with(&format!("/{covered}")),
                "{link}"
            );
        }
    }
    assert!(uncovered.len() < 30, "{}", uncovered.len());
    assert_eq!(code, 2);
}

#[test]
fn a_healthy_list_exits_0_and_bad_input_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        "[[source]]\nkind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\n",
    )
    .unwrap();
    let empty = dir.path().join("corpus");
    std::fs::create_dir(&empty).unwrap();
    let (code, stdout, _) = health(&[
        "--no-fetch",
        "--sources",
        sources.to_str().unwrap(),
        "--corpus",
        empty.to_str().unwrap(),
        "--today",
        "2026-09-16",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("nothing needs attention"), "{stdout}");
    let (code, stdout, stderr) = health(&[
        "--no-fetch",
        "--sources",
        sources.to_str().unwrap(),
        "--corpus",
        "/nonexistent/corpus",
    ]);
    assert_eq!(code, 1);
    assert!(stdout.is_empty());
    assert!(stderr.contains("--corpus"), "{stderr}");
}

/// The sources as served in 2026 (`snapshots/2026-09-16`): the 404 group is gone, the renamed
/// group redirected (with the line to write), the calendar-only organizer uncovered (with the
/// lines to add), the silent group silent, and both fallbacks (a meetup login wall, a luma
/// feed answering 500) reported.
#[test]
fn the_2026_snapshot_reports_its_404_renamed_group_and_calendar_only_organizer() {
    let no_sections = tempfile::tempdir().unwrap();
    let (code, v) = json(&[
        "--replay",
        "snapshots/2026-09-16",
        "--corpus",
        no_sections.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "needs attention");
    assert_eq!(
        urls(&v, "gone"),
        ["https://www.meetup.com/belgrade-rust-meetup-group/"]
    );
    assert_eq!(v["gone"][0]["status"], 404);
    assert_eq!(
        v["redirected"][0]["fix"],
        "url = \"https://www.meetup.com/seattle-rust-user-group/\""
    );
    assert_eq!(urls(&v, "silent"), ["https://www.meetup.com/rust-roma/"]);
    assert_eq!(
        urls(&v, "fallback"),
        [
            "https://www.meetup.com/rust-manchester/",
            "https://luma.com/rustmelbourne"
        ]
    );
    let uncovered = v["uncovered"].as_array().unwrap();
    assert_eq!(uncovered.len(), 1, "{uncovered:?}");
    assert_eq!(uncovered[0]["link"], "https://www.meetup.com/rust-dublin/");
    assert_eq!(uncovered[0]["reach"], "calendar_only");
    let lines = uncovered[0]["suggestion"].as_str().unwrap();
    let added = Config::parse(lines, "suggestion").unwrap();
    assert_eq!(added.sources[0].kind, SourceKind::Meetup);
    assert_eq!(added.sources[0].name.as_deref(), Some("Rust Dublin"));
    assert!(v["duplicates"].as_array().unwrap().is_empty());
}

/// Runs the binary from `cwd` (not the checkout: no `../shared/twir-corpus` beside it).
fn health_in(cwd: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let out = Run::new(["health"]).args(args).current_dir(cwd).output();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Run elsewhere, where the default corpus does not exist: no source is said to be "never
/// published" (an editor could delete a live one on that word), and the report says that no
/// published sections were read. With a corpus, it names it and its dates.
#[test]
fn without_a_corpus_nothing_is_said_about_publishing_and_with_one_it_is_named() {
    let elsewhere = tempfile::tempdir().unwrap();
    for snap in ["2023-01-04", "2023-02-01", "2026-09-16"] {
        let replay = root().join("snapshots").join(snap);
        let (code, stdout, stderr) =
            health_in(elsewhere.path(), &["--replay", replay.to_str().unwrap()]);
        assert_eq!(code, 2, "{snap}: {stderr}");
        assert!(!stdout.contains("never"), "{snap}:\n{stdout}");
        assert!(!stdout.contains("not published"), "{snap}:\n{stdout}");
        assert!(
            !stdout.contains("published, not on the calendar"),
            "{snap}:\n{stdout}"
        );
        assert!(
            stdout.lines().next().unwrap().contains(
                "no published sections read (none found: pass --corpus DIR), so nothing is said about what was published"
            ),
            "{snap}:\n{stdout}"
        );
        assert!(stderr.contains("no published sections read"), "{stderr}");
        let (_, v) = {
            let (code, out, err) = health_in(
                elsewhere.path(),
                &["--replay", replay.to_str().unwrap(), "--format", "json"],
            );
            let v: serde_json::Value =
                serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
            (code, v)
        };
        assert_eq!(v["sections"]["dir"], serde_json::Value::Null);
        assert_eq!(v["sections"]["all"], 0);
    }
    // The seed's sources listing nothing this run are still named, for this run only.
    let replay = root().join("snapshots/2023-02-01");
    let (_, stdout, _) = health_in(elsewhere.path(), &["--replay", replay.to_str().unwrap()]);
    assert!(
        stdout.contains("rust-atx/>: no event listed this run; published sections not read"),
        "{stdout}"
    );
    // With a corpus: from which directory, how many sections, which dates.
    let corpus = root().join(FIXTURE_CORPUS);
    let (_, stdout, _) = health_in(
        elsewhere.path(),
        &[
            "--replay",
            root().join(FIXTURE).to_str().unwrap(),
            "--corpus",
            corpus.to_str().unwrap(),
        ],
    );
    assert!(
        stdout.lines().next().unwrap().ends_with(&format!(
            "2 published sections read from {} (2026-01-07 – 2026-09-09), the last 2 as recent (2026-01-07 – 2026-09-09)",
            corpus.display()
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("rust-silent/: no event listed this run; last published 2026-01-07"),
        "{stdout}"
    );
}

/// Rust Lyon has a source of its own (a `jsonld` event page whose JSON-LD names its Mobilizon
/// profile as organizer): not "on the calendar only". Rust `GameDev`, printed with its site and
/// put on the calendar with its Discord room, is one organizer, reported once.
#[test]
fn an_organizer_with_its_own_source_is_covered_and_one_under_two_links_is_reported_once() {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(
        corpus.path().join("2023-01-25.md"),
        "## Upcoming Events\n\nRusty Events between 2023-01-25 - 2023-02-22 🦀\n\n### Virtual\n\
         * 2023-01-28 | Virtual | [Rust GameDev](https://gamedev.rs/)\n    * [**Rust GameDev Monthly Meetup**](https://gamedev.rs/)\n\n\
         ### Europe\n\
         * 2023-02-02 | Lyon, FR | [Rust Lyon](https://mobilizon.fr/@rust_lyon)\n    * [**Rust Lyon meetup #01**](https://mobilizon.fr/events/b8577678-d072-4d9a-9562-974715f1dfbb)\n",
    )
    .unwrap();
    let (code, v) = json(&[
        "--replay",
        "snapshots/2023-02-01",
        "--corpus",
        corpus.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(v["sections"]["all"], 1);
    let uncovered = v["uncovered"].as_array().unwrap();
    let named = |n: &str| {
        uncovered
            .iter()
            .filter(|u| u["name"].as_str().unwrap().eq_ignore_ascii_case(n))
            .collect::<Vec<_>>()
    };
    assert!(named("Rust Lyon").is_empty(), "{uncovered:#?}");
    let gamedev = named("Rust GameDev");
    assert_eq!(gamedev.len(), 1, "{uncovered:#?}");
    assert_eq!(gamedev[0]["link"], "https://gamedev.rs/");
    assert_eq!(gamedev[0]["also"][0], "https://discord.gg/yNtPTb2");
    assert_eq!(gamedev[0]["reach"], "calendar_and_published");
    // Still uncovered: the calendar-only groups of the seed.
    assert!(!named("Chicago Rust Meetup").is_empty(), "{uncovered:#?}");
}
