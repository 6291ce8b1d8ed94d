//! The binary as a user runs it: exit codes, stderr messages, stdout carrying only the result.

use std::path::Path;

use crate::common::{self, Run, root};

#[test]
fn bad_sources_file_names_file_line_and_hint() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sources.toml");
    std::fs::write(
        &path,
        "[[source]]\nkind = \"ical\"\nurl = \"https://example.org/a.ics\"\ncolour = \"red\"\n",
    )
    .unwrap();
    Run::new(["render", "--today", "2023-02-01", "--sources"])
        .arg(&path)
        .status(1)
        .stdout("")
        .stderr_contains("sources.toml:4:")
        .stderr_contains("colour")
        .stderr_contains("hint:")
        .output();
}

#[test]
fn missing_sources_file_says_how_to_fix() {
    let dir = tempfile::tempdir().unwrap();
    Run::new(["render", "--today", "2023-02-01"])
        .current_dir(dir.path())
        .status(1)
        .stdout("")
        .stderr_contains("sources.toml")
        .stderr_contains("--sources")
        .output();
}

#[test]
fn reversed_window_is_a_usage_error() {
    Run::new([
        "render",
        "--from",
        "2023-03-01",
        "--to",
        "2023-02-01",
        "--sources",
    ])
    .arg(root().join("sources.example.toml"))
    .status(1)
    .stderr_contains("before it starts")
    .output();
}

#[test]
fn missing_snapshot_directory_is_reported() {
    Run::new(["render", "--replay", "no/such/snapshot"])
        .status(1)
        .stdout("")
        .stderr_contains("no/such/snapshot")
        .output();
}

#[test]
fn readme_documents_every_option_and_command() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for sub in [
        &[][..],
        &["render"][..],
        &["snapshot"][..],
        &["add"][..],
        &["health"][..],
    ] {
        let out = Run::new(sub).arg("--help").output();
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
    Run::new([
        "check",
        "https://www.meetup.com/rust-munich/events/291120384",
    ])
    .args(["--replay", "snapshots/2023-02-01"])
    .status(3)
    .stdout_contains("cancelled")
    .output();
    Run::new(["check", "January Hack Night", "--replay", "snapshots/2023-02-01"])
        .status(3)
        .stdout_contains(
            "on 2023-01-31 <https://www.meetup.com/chicago-rust-meetup/events/291093702/> is outside the window 2023-02-01 - 2023-03-01",
        )
        .output();
    Run::new([
        "check",
        "https://www.meetup.com/Dallas-Rust/",
        "--replay",
        "snapshots/2023-02-01",
    ])
    .status(0)
    .stdout_contains("listed on 2023-02-14 under Virtual")
    .output();
}

/// A copy of the folder `from` at `to`.
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

/// The stdout lines of `check QUERY --replay SNAP` and its exit code.
fn check_lines(query: &str, snap: &Path) -> (Vec<String>, Option<i32>) {
    let out = Run::new(["check", query, "--replay"]).arg(snap).output();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    (lines, out.status.code())
}

#[test]
fn check_finds_an_organizer_s_events_by_its_own_page_in_any_form() {
    let snap = Path::new("snapshots/2026-09-16");
    let girona = [
        "listed on 2026-09-18 under Virtual: 2026-09-18 | Virtual (Girona, ES) | Rust Girona | Sessió setmanal de codificació / Weekly coding session <https://luma.com/k3v9q2xd>",
        "listed on 2026-10-01 under Europe: 2026-10-01 | Girona, ES | Rust Girona | Rust Girona Hack & Learn 10 2026 <https://luma.com/p7wq4m2n>",
    ];
    for q in [
        "Rust Girona",
        "https://luma.com/rust-girona",
        "https://lu.ma/Rust-Girona/",
        "https://luma.com/calendar/cal-GiR8kq2Xw4Lm7Tz",
        "https://api.lu.ma/ics/get?entity=calendar&id=cal-GiR8kq2Xw4Lm7Tz",
    ] {
        assert_eq!(
            check_lines(q, snap),
            (girona.map(String::from).to_vec(), Some(0)),
            "{q}"
        );
    }
    // Rust Berlin's three listed events, then those outside the window, in every form.
    let (berlin, code) = check_lines("https://www.meetup.com/rust-berlin/", snap);
    assert_eq!(code, Some(0));
    assert_eq!(
        berlin
            .iter()
            .filter(|l| l.starts_with("listed on "))
            .count(),
        3
    );
    for q in [
        "https://www.meetup.com/rust-berlin",
        "https://www.meetup.com/de-DE/Rust-Berlin/events/",
        "https://m.meetup.com/rust-berlin",
        "https://www.meetup.com/rust-berlin/?utm_source=share",
        "https://www.meetup.com/rust-berlin/events/ical/",
    ] {
        assert_eq!(check_lines(q, snap), (berlin.clone(), Some(0)), "{q}");
    }
    // A renamed group, asked by the name the sources file still has.
    let (lines, code) = check_lines("https://www.meetup.com/join-srug/", snap);
    assert_eq!(code, Some(0));
    assert!(
        lines[0].starts_with("listed on 2026-09-17 under North America"),
        "{lines:?}"
    );
}

#[test]
fn a_luma_calendar_s_page_that_could_not_be_fetched_is_said_so() {
    // The 2026 snapshot with Rust Girona's calendar page answering 500.
    let dir = tempfile::tempdir().unwrap();
    let snap = dir.path().join("snapshot");
    let from = root().join("snapshots/2026-09-16");
    copy_dir(&from, &snap);
    let manifest = snap.join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let girona = "\"url\": \"https://luma.com/rust-girona\",\n      \"status\": 200";
    assert!(text.contains(girona));
    std::fs::write(
        &manifest,
        text.replace(girona, &girona.replace("200", "500")),
    )
    .unwrap();
    let out = Run::new(["render", "--replay"]).arg(&snap).output();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.lines().any(|l| l
            == "FAILED luma   Rust Girona: the calendar's page could not be fetched: https://luma.com/rust-girona: HTTP status 500 (its feed is found through the page's calendar id, cal-…, so nothing could be read)"),
        "{stderr}"
    );
    assert!(!stderr.contains("no calendar id"), "{stderr}");
}

#[test]
fn update_rewrites_the_block_in_place_and_keeps_hand_added_entries() {
    let root = root();
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
    let run = |verbose: bool| {
        Run::new(["update", "--replay", "snapshots/2023-01-04"])
            .args(verbose.then_some("-v"))
            .arg(&path)
            .status(0)
            .stdout("")
    };
    run(true)
        .stderr_contains("kept (added by hand): 2023-01-20 \"Rust Oslo winter meetup\"")
        .stderr_contains("removed from the draft: 2022-12-28 \"Rust Lunch\"")
        .output();
    let updated = std::fs::read_to_string(&path).unwrap();
    assert!(updated.starts_with("Title: This Week in Rust 476\n\n## Upcoming Events\n\nRusty Events between 2023-01-04 - 2023-02-01"));
    assert!(updated.ends_with("\n## Jobs\n\nPlease see the latest thread.\n"));
    assert!(
        updated.contains("* 2023-01-20 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)")
    );
    assert!(!updated.contains("2022-12-28"));
    // The block holds the events `render` prints (in the editors' forms where no source
    // contradicts them), each once, plus the hand-added entry: the same dates, entry for entry.
    let rendered = Run::new(["render", "--replay", "snapshots/2023-01-04"]).output();
    let rendered = String::from_utf8(rendered.stdout).unwrap();
    let dates = |text: &str| {
        let mut d: Vec<String> = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("* 20"))
            .map(|l| l.chars().take(8).collect())
            .collect();
        d.sort();
        d
    };
    assert_eq!(dates(&updated.replace(hand, "")), dates(&rendered));
    // A second update changes nothing.
    run(false)
        .stderr_contains("kept (added by hand): 2023-01-20")
        .stderr_contains("no changes:")
        .output();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), updated);
}

#[test]
fn json_refresh_is_atomic_cheap_and_never_clobbers_good_data() {
    let root = root();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("events.json");
    let json = |replay: &Path| {
        Run::new(["json", "--out"])
            .arg(&out)
            .arg("--replay")
            .arg(replay)
    };
    json(Path::new("snapshots/minimal"))
        .status(0)
        .stdout("")
        .stderr_contains("wrote")
        .output();
    let first = std::fs::read_to_string(&out).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(doc["version"], 2);
    assert_eq!(doc["events"].as_array().unwrap().len(), 6);
    assert_eq!(doc["sources"][0]["ok"], true);
    assert_eq!(doc["events"][0]["location"], "New York, NY, US");

    // Nothing changed: the file is not rewritten.
    json(Path::new("snapshots/minimal"))
        .status(0)
        .stderr_contains("unchanged")
        .output();
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
        .status(2)
        .stderr_contains("left as it was")
        .output();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), first);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A sources file of one calendar at `url`.
fn one_calendar(dir: &Path, url: &str) -> std::path::PathBuf {
    let path = dir.join("sources.toml");
    std::fs::write(
        &path,
        format!("[[source]]\nkind = \"ical\"\nurl = \"{url}\"\nname = \"Calendar\"\n"),
    )
    .unwrap();
    path
}

#[test]
fn render_with_every_source_failed_writes_and_prints_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sources = one_calendar(
        dir.path(),
        &format!("http://127.0.0.1:{}/cal.ics", common::refused_port()),
    );
    let out = dir.path().join("events.md");
    let good = "Rusty Events between 2023-02-01 - 2023-03-01 🦀\n\n### Virtual\n\n* a good block\n";
    std::fs::write(&out, good).unwrap();
    let render =
        || Run::new(["render", "--today", "2023-02-01", "--no-cache", "--sources"]).arg(&sources);
    render()
        .arg("--out")
        .arg(&out)
        .status(2)
        .stdout("")
        .stderr_contains("FAILED ical   Calendar")
        // Nothing went well: said without pointing to a list of none.
        .stderr_contains("\n0 sources ok\n")
        .stderr_contains(format!(
            "every source failed or is suspect: no section written, {} left as it was",
            out.display()
        ))
        .output();
    assert_eq!(std::fs::read(&out).unwrap(), good.as_bytes());
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // To stdout: nothing, and the reason on stderr (also with -q).
    for quiet in [false, true] {
        render()
            .args(quiet.then_some("-q"))
            .status(2)
            .stdout("")
            .stderr_contains("no section printed")
            .output();
    }
}

/// Every command with an output path refuses one it could not write before any fetch: the
/// only source is a listening socket that would see a connection (and never answer).
#[test]
fn an_output_that_cannot_be_written_is_refused_before_fetching() {
    let dir = tempfile::tempdir().unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let sources = one_calendar(dir.path(), &format!("http://127.0.0.1:{port}/cal.ics"));
    let draft = dir.path().join("draft.md");
    std::fs::write(&draft, "## Upcoming Events\n\nNone.\n").unwrap();
    let a_file = dir.path().join("a-file");
    std::fs::write(&a_file, "keep").unwrap();
    let missing = dir.path().join("no-such-folder");
    // A folder nobody may write: a 0555 one, unless we are root (who writes anyway): then
    // sysfs, read-only even for root; else that case is skipped, said so.
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    let mut perms = std::fs::metadata(&locked).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o555);
    std::fs::set_permissions(&locked, perms).unwrap();
    let unwritable = if std::fs::write(locked.join("probe"), "").is_err() {
        Some(locked.clone())
    } else if std::fs::write("/sys/twir-events-probe", "").is_err() && Path::new("/sys").is_dir() {
        Some(std::path::PathBuf::from("/sys"))
    } else {
        eprintln!("SKIPPED the unwritable-folder case: every folder is writable here");
        None
    };
    let mut cases: Vec<(Vec<std::ffi::OsString>, std::path::PathBuf, &str)> = Vec::new();
    let file_commands: [&[&str]; 3] =
        [&["render"], &["json"], &["update", draft.to_str().unwrap()]];
    for cmd in file_commands {
        let mut bad = vec![
            (missing.join("out.md"), "does not exist"),
            (dir.path().to_path_buf(), "is a folder"),
        ];
        if let Some(u) = &unwritable {
            bad.push((u.join("out.md"), "cannot create a file in the folder"));
        }
        for (path, why) in bad {
            let mut args: Vec<std::ffi::OsString> = cmd.iter().map(Into::into).collect();
            args.push("--out".into());
            args.push(path.clone().into());
            cases.push((args, path, why));
        }
    }
    for cmd in ["publish", "snapshot"] {
        let mut bad = vec![
            (missing.join("site"), "does not exist"),
            (a_file.clone(), "is a file"),
        ];
        if let Some(u) = &unwritable {
            bad.push((u.join("site"), "cannot create a file in the folder"));
        }
        for (path, why) in bad {
            cases.push((
                vec![cmd.into(), "--out".into(), path.clone().into()],
                path,
                why,
            ));
        }
    }
    for (args, path, why) in &cases {
        let started = std::time::Instant::now();
        let out = Run::new(args)
            .args([
                "--today",
                "2023-02-01",
                "--no-cache",
                "--timeout",
                "3",
                "--deadline",
                "4",
            ])
            .arg("--sources")
            .arg(&sources)
            .output();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(
            stderr.contains(&path.display().to_string()),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(why), "{args:?}: {stderr}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{args:?}"
        );
    }
    assert_eq!(std::fs::read_to_string(&a_file).unwrap(), "keep");
    listener.set_nonblocking(true).unwrap();
    assert!(
        listener.accept().is_err(),
        "a command connected to the source before refusing its output"
    );
}

/// What bash completes for `words` (the last one being completed), by running the generated
/// completion function as bash would; `None` when bash is missing.
fn bash_completes(script: &str, words: &[&str]) -> Option<Vec<String>> {
    let function = script
        .lines()
        .find_map(|l| l.trim().strip_prefix("complete -F "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the script registers a function with complete -F")
        .to_string();
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let cword = words.len() - 1;
    let prev = if cword > 0 { words[cword - 1] } else { "" };
    let program = format!(
        "{script}\nCOMP_WORDS=({words})\nCOMP_CWORD={cword}\nCOMP_LINE={line:?}\nCOMP_POINT=${{#COMP_LINE}}\n{function} twir-events '{cur}' '{prev}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words = quoted.join(" "),
        line = words.join(" "),
        cur = words[cword],
    );
    let out = match std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &program])
        .output()
    {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => panic!("bash: {e}"),
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
    )
}

#[test]
fn bash_completes_subcommands_and_their_options() {
    let out = Run::new(["completions", "bash"]).output();
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    let Some(replay) = bash_completes(&script, &["twir-events", "render", "--re"]) else {
        eprintln!("SKIPPED bash completion: bash is not installed");
        return;
    };
    assert_eq!(replay, ["--replay"]);
    let first = bash_completes(&script, &["twir-events", ""]).unwrap();
    for sub in [
        "render", "json", "update", "check", "publish", "snapshot", "man",
    ] {
        assert!(first.iter().any(|w| w == sub), "{sub} not in {first:?}");
    }
    assert_eq!(
        bash_completes(&script, &["twir-events", "upd"]).unwrap(),
        ["update"]
    );
    // Not the options `man` and `completions` refuse; those of every command elsewhere.
    assert_eq!(
        bash_completes(&script, &["twir-events", "man", "--"]).unwrap(),
        ["--help"]
    );
    assert_eq!(
        bash_completes(&script, &["twir-events", "completions", "--"]).unwrap(),
        ["--help"]
    );
    assert_eq!(
        bash_completes(&script, &["twir-events", "render", "--time"]).unwrap(),
        ["--timeout"]
    );
    assert_eq!(
        bash_completes(&script, &["twir-events", "--time"]).unwrap(),
        ["--timeout"]
    );
    // Options after a global one and an argument, and a subcommand's own options only.
    assert_eq!(
        bash_completes(&script, &["twir-events", "-q", "check", "rust", "--prev"]).unwrap(),
        ["--previous"]
    );
    assert_eq!(
        bash_completes(&script, &["twir-events", "publish", "--hor"]).unwrap(),
        ["--horizon-weeks"]
    );
    assert!(
        bash_completes(&script, &["twir-events", "render", "--hor"])
            .unwrap()
            .is_empty()
    );
}

/// The manual's pages, by name (`twir-events`, `twir-events-render`, …), as text: rendered by
/// groff when it is installed (which must not warn), else the roff with its font changes and
/// escapes removed.
fn manual_pages() -> Vec<(String, String)> {
    let out = Run::new(["man"]).output();
    assert_eq!(out.status.code(), Some(0));
    let roff = String::from_utf8(out.stdout).unwrap();
    let preamble = ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n";
    let mut pages = Vec::new();
    for chunk in roff.split("\n.TH ").skip(1) {
        let name = chunk.split_whitespace().next().unwrap().to_string();
        let page = format!("{preamble}.TH {chunk}\n");
        let groff = std::process::Command::new("groff")
            .args([
                "-k",
                "-man",
                "-Tutf8",
                "-ww",
                "-P-cbou",
                "-rLL=300n",
                "-rHY=0",
            ])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn();
        let text = if let Ok(mut child) = groff {
            std::io::Write::write_all(&mut child.stdin.take().unwrap(), page.as_bytes()).unwrap();
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success());
            let warnings = String::from_utf8_lossy(&out.stderr);
            assert!(warnings.trim().is_empty(), "groff on {name}: {warnings}");
            String::from_utf8(out.stdout).unwrap()
        } else {
            eprintln!("groff not installed: reading the roff text");
            page.replace("\\fB", "")
                .replace("\\fR", "")
                .replace("\\fI", "")
                .replace("\\-", "-")
                .replace("\\*(Aq", "'")
        };
        pages.push((name, text.split_whitespace().collect::<Vec<_>>().join(" ")));
    }
    pages
}

#[test]
fn the_manual_lists_every_option_a_command_takes_and_the_exit_statuses() {
    let pages = manual_pages();
    let names: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
    for sub in [
        "render", "json", "update", "check", "health", "publish", "snapshot",
    ] {
        assert!(
            names.contains(&format!("twir-events-{sub}").as_str()),
            "{names:?}"
        );
    }
    for (name, text) in &pages {
        if name == "twir-events" {
            // `twir-events -V` is the one place the version is asked for.
            assert!(text.contains("-V, --version"), "{text}");
            assert!(text.contains("EXIT STATUS"), "{text}");
            for (codes, meaning) in twir_events::error::exit::STATUSES {
                let codes: Vec<String> = codes.iter().map(u8::to_string).collect();
                let meaning = meaning.replace('`', "").replace("\\|", "|");
                let line = format!("{} {}", codes.join(", "), meaning);
                assert!(text.contains(&line), "{name}: no {line:?} in {text}");
            }
            continue;
        }
        assert!(!text.contains("-V, --version"), "{name} lists -V: {text}");
        assert!(!text.contains("EXIT STATUS"), "{name}");
        if name == "twir-events-completions" || name == "twir-events-man" {
            // They take none of the options of every command (and refuse them).
            for none in [
                "OPTIONS OF EVERY COMMAND",
                "--sources",
                "--quiet",
                "--timeout",
            ] {
                assert!(!text.contains(none), "{name} lists {none}: {text}");
            }
            assert!(text.contains("-h, --help"), "{name}: {text}");
            continue;
        }
        for every in [
            "OPTIONS OF EVERY COMMAND",
            "--sources <FILE>",
            "-v, --verbose",
            "-q, --quiet",
            "--deadline <SECS>",
            "--no-cache",
            "-h, --help",
        ] {
            assert!(text.contains(every), "{name} lacks {every}: {text}");
        }
    }
    // What a page lists, the command takes: `-V` on a subcommand is an unknown option.
    Run::new(["render", "-V"]).status(1).output();
}

#[test]
fn the_readme_exit_codes_are_the_ones_the_tool_defines() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let table = readme
        .split("| code | meaning |\n| --- | --- |\n")
        .nth(1)
        .expect("README has the exit codes table");
    let rows: Vec<(String, String)> = table
        .lines()
        .take_while(|l| l.starts_with("| "))
        .map(|l| {
            let l = l.strip_prefix("| ").unwrap().strip_suffix(" |").unwrap();
            let (code, meaning) = l.split_once(" | ").unwrap();
            (code.to_string(), meaning.to_string())
        })
        .collect();
    let defined: Vec<(String, String)> = twir_events::error::exit::STATUSES
        .iter()
        .map(|(codes, meaning)| {
            let codes: Vec<String> = codes.iter().map(u8::to_string).collect();
            (codes.join(", "), (*meaning).to_string())
        })
        .collect();
    pretty_assertions::assert_eq!(rows, defined);
}

#[test]
fn check_refuses_a_query_that_means_nothing() {
    for (query, why) in [
        ("", "the query is empty"),
        ("  \t", "the query is empty"),
        ("a", "too short to mean anything"),
        (" rs ", "too short to mean anything"),
    ] {
        Run::new(["check", query, "--replay", "snapshots/2023-02-01"])
            .status(1)
            .stdout("")
            .stderr_contains(why)
            .stderr_contains("URL, or words of its title")
            .output();
    }
    // Three letters, or a URL however short, are searched for.
    Run::new(["check", "Indy", "--replay", "snapshots/2023-02-01"])
        .status(0)
        .output();
    Run::new(["check", "https://x.io", "--replay", "snapshots/2023-02-01"])
        .status(3)
        .output();
}

/// stderr of the binary run from the project root with `args`.
fn stderr_of(args: &[&str]) -> String {
    let out = Run::new(args).output();
    String::from_utf8(out.stderr).unwrap()
}

/// A screenful: the default report of a run must fit in one.
const SCREEN: usize = 24;

#[test]
fn the_default_report_fits_a_screen_and_verbose_has_the_details() {
    let replay = ["render", "--replay", "snapshots/2023-02-01"];
    let normal = stderr_of(&replay);
    let lines = normal.lines().count();
    assert!(lines <= SCREEN, "{lines} lines:\n{normal}");
    // What needs an editor's eye, listed; what went well, counted.
    for needle in [
        // The page's correction that left it out is said once, by its left-out line.
        "review: 1 left out",
        "left out: \"Rust Munich Meetup #12\" on 2023-02-22 (https://www.meetup.com/rust-munich/events/291120384/, from Rust Community Calendar): cancelled on its event page (the calendar said \"Confirmed\")",
        "note: \"Rust GameDev Monthly Meetup\": no location and no online hint",
        "merged: 29 entries listed twice with the same event link, 11 other duplicates, 15 mirrored sessions; --verbose lists them",
        "41 sources ok, with 41 warnings",
        "45 events in the window; 0 of 41 sources failed",
    ] {
        assert!(normal.contains(needle), "no {needle:?} in:\n{normal}");
    }
    for detail in ["ok     ", "mirrored: ", "merged: 2023-", "warning: "] {
        assert!(!normal.contains(detail), "{detail:?} in:\n{normal}");
    }
    let verbose = stderr_of(&[&replay[..], &["-v"]].concat());
    assert_eq!(verbose.matches("\nok     ").count(), 40, "{verbose}");
    assert_eq!(verbose.matches("\nmirrored: ").count(), 15, "{verbose}");
    assert_eq!(verbose.matches("\nmerged: 2023-").count(), 40, "{verbose}");
    assert!(verbose.lines().count() > 200);
    assert_eq!(stderr_of(&[&replay[..], &["-q"]].concat()), "");

    // A failed source and a redirect are listed by default, fallbacks said once by kind.
    let sources_2026 = stderr_of(&["render", "--replay", "snapshots/2026-09-16"]);
    assert!(sources_2026.lines().count() <= SCREEN, "{sources_2026}");
    for needle in [
        "FAILED meetup Belgrade Rust Meetup Group",
        "ok     meetup Seattle Rust User Group: 3 events\n       redirected to https://www.meetup.com/seattle-rust-user-group/events/",
        "fallback: 1 meetup source was read from its iCal feed because its page held no event data (Rust Manchester); --verbose says why",
        "fallback: 1 luma source was read from the events its page lists because its feed could not be read (Rust Melbourne); --verbose says why",
    ] {
        assert!(
            sources_2026.contains(needle),
            "no {needle:?} in:\n{sources_2026}"
        );
    }
    assert!(
        !sources_2026.contains("ok     luma   Rust Girona"),
        "{sources_2026}"
    );
    let quiet = stderr_of(&["render", "--replay", "snapshots/2026-09-16", "-q"]);
    assert_eq!(
        quiet,
        "FAILED meetup Belgrade Rust Meetup Group: https://www.meetup.com/belgrade-rust-meetup-group/events/: HTTP status 404\n"
    );
}

#[test]
fn update_reports_what_needs_a_look_and_counts_the_rest() {
    let root = root();
    let block =
        std::fs::read_to_string(root.join("tests/fixtures/seeds/480-2023-02-01.md")).unwrap();
    let hand = "* 2023-02-20 | Oslo, NO | [Rust Oslo](https://rust-oslo.example.org/)\n    * [**Rust Oslo winter meetup**](https://rust-oslo.example.org/2023-02)\n";
    let block = block.replacen("### Europe\n\n", &format!("### Europe\n\n{hand}"), 1);
    // A stale date: the source corrects it.
    let block = block.replacen("* 2023-02-02 | Lyon, FR", "* 2023-02-09 | Lyon, FR", 1);
    let draft = format!("## Upcoming Events\n\n{block}\n## Jobs\n");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    let update = |flag: Option<&str>| {
        std::fs::write(&path, &draft).unwrap();
        let p = path.to_str().unwrap();
        let mut args = vec!["update", p, "--replay", "snapshots/2023-02-01"];
        args.extend(flag);
        stderr_of(&args)
    };
    let normal = update(None);
    assert!(normal.lines().count() <= SCREEN, "{normal}");
    for needle in [
        "kept (added by hand): 2023-02-20 \"Rust Oslo winter meetup\"",
        "draft: 46 entries = 1 updated + 44 unchanged + 0 kept because their source failed + 1 kept (added by hand) + 0 removed; 0 events added",
        "wrote ",
    ] {
        assert!(normal.contains(needle), "no {needle:?} in:\n{normal}");
    }
    assert!(!normal.contains("updated: "), "{normal}");
    let verbose = update(Some("-v"));
    assert_eq!(verbose.matches("\nupdated: ").count(), 1, "{verbose}");
    for needle in [
        "\n  date: \"2023-02-09\" → \"2023-02-02\" (source: ",
        // The editors' forms kept against a source's, said when verbose.
        "\n  kept the editors' organizer \"Open Tech School Berlin\" (source ",
    ] {
        assert!(verbose.contains(needle), "no {needle:?} in:\n{verbose}");
    }
    // Quiet: errors only, and no source failed.
    assert_eq!(update(Some("-q")), "");
}

/// A `--help` as its headings and the long flag of each option line, in order.
fn help_layout(args: &[&str]) -> Vec<String> {
    let out = Run::new(args).arg("--help").status(0).output();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| {
            if line.ends_with(':') && !line.starts_with(' ') {
                return Some(line.to_string());
            }
            // `      --out <FILE>  …` or `  -v, --verbose  …`: the first word that is a long flag.
            line.trim_start().starts_with('-').then_some(())?;
            let long = line.split_whitespace().find(|w| w.starts_with("--"))?;
            Some(long.trim_end_matches(',').to_string())
        })
        .collect()
}

#[test]
fn a_commands_help_lists_its_own_options_then_those_of_every_command() {
    assert_eq!(
        help_layout(&["render"]),
        [
            "Options:",
            "--out",
            "--replay",
            "--today",
            "--from",
            "--to",
            "--weeks",
            "--published",
            "--help",
            "Options of every command:",
            "--sources",
            "--verbose",
            "--quiet",
            "--max-body-mb",
            "--timeout",
            "--deadline",
            "--cache",
            "--no-cache",
            "--per-host",
        ]
    );
    // Every command that takes them: the same last block, after the command's own.
    let every = help_layout(&["render"]).split_off(9);
    for sub in [
        "json", "publish", "update", "check", "health", "add", "snapshot",
    ] {
        let layout = help_layout(&[sub]);
        let at = layout
            .iter()
            .position(|l| l == "Options of every command:")
            .unwrap_or_else(|| panic!("{sub}: {layout:?}"));
        assert_eq!(layout[at..], every[..], "{sub}");
        assert!(
            layout[..at].contains(&"--help".to_string()),
            "{sub}: {layout:?}"
        );
    }
}

#[test]
fn the_manuals_synopsis_gives_each_options_value_and_it_names_no_missing_page() {
    let pages = manual_pages();
    let synopsis = |name: &str| -> String {
        let (_, text) = pages.iter().find(|(n, _)| n == name).unwrap();
        let from = text.find("SYNOPSIS ").unwrap() + "SYNOPSIS ".len();
        let to = text.find(" DESCRIPTION").unwrap();
        text[from..to].to_string()
    };
    let render = synopsis("twir-events-render");
    assert!(
        render.starts_with("twir-events render [--out <FILE>] [--replay <DIR>] [--today <YYYY-MM-DD>] [--from <YYYY-MM-DD>] [--to <YYYY-MM-DD>] [--weeks <N>] [--published <DIR>] [-h|--help] [--sources <FILE>] [-v|--verbose]"),
        "{render}"
    );
    assert!(synopsis("twir-events").ends_with("[--per-host <N>] <command>"));
    assert!(
        synopsis("twir-events-publish")
            .starts_with("twir-events publish --out <DIR> [--horizon-weeks <N>]")
    );
    assert!(synopsis("twir-events-update").ends_with("[--per-host <N>] <DRAFT>"));
    assert!(synopsis("twir-events-add").ends_with(" <URL>..."));
    assert_eq!(synopsis("twir-events-man"), "twir-events man [-h|--help]");
    assert_eq!(
        synopsis("twir-events-completions"),
        "twir-events completions [-h|--help] <SHELL>"
    );
    // Every option that takes a value, with it, on every page.
    let mut command = <twir_events::cli::Cli as clap::CommandFactory>::command();
    command.build();
    let commands = std::iter::once(&command).chain(command.get_subcommands());
    for sub in commands.filter(|c| c.get_name() != "help") {
        let name = match sub.get_name() {
            "twir-events" => "twir-events".to_string(),
            other => format!("twir-events-{other}"),
        };
        let text = synopsis(&name);
        let options = sub.get_arguments().filter(|a| !a.is_hide_set());
        for arg in options.filter(|a| a.get_action().takes_values()) {
            if let (Some(long), Some([value, ..])) = (arg.get_long(), arg.get_value_names()) {
                let option = format!("--{long} <{value}>");
                assert!(text.contains(&option), "{name}: no {option} in {text}");
            }
        }
    }
    // No reference to another page: `man` writes one file, there is no twir-events-render(1)
    // to open (a page's own title, `.TH`, is not a reference).
    let roff = String::from_utf8(Run::new(["man"]).status(0).output().stdout).unwrap();
    for line in roff.lines().filter(|l| !l.starts_with(".TH ")) {
        let plain = line.replace("\\-", "-");
        assert!(
            !(plain.contains("twir-events-") && plain.contains("(1)")),
            "a reference to a page that is not generated: {line}"
        );
    }
    let (_, main) = pages.iter().find(|(n, _)| n == "twir-events").unwrap();
    for sub in [
        "render", "json", "publish", "update", "check", "health", "add", "snapshot",
    ] {
        assert!(
            main.contains(&format!("twir-events {sub} ")),
            "{sub}: {main}"
        );
    }
    assert!(main.contains("twir-events command --help"), "{main}");
}
