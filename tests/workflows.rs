//! The ready workflows in `examples/github-actions/` use only commands and options that exist:
//! every `twir-events …` command line in their `run:` steps is parsed with the tool's own
//! argument definitions (GitHub expressions `${{ … }}` and shell variables stand for values).
//! And they install something that exists: each builds from the folder one setting names,
//! `TWIR_EVENTS_DIR` (this project, as placed in the newsletter's repository), and every path
//! they use below it is in this project.

use clap::Parser;
use std::path::Path;
use twir_events::cli::Cli;

use crate::common::root;

/// The `twir-events` command lines of a workflow: from each line starting with `twir-events`
/// (after `run:` or inside a `run: |` block), continuation backslashes joined, up to a shell
/// operator or redirection.
fn command_lines(yaml: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in yaml.lines() {
        let text = line
            .trim()
            .trim_start_matches("- ")
            .trim_start_matches("run:")
            .trim();
        if pending.is_empty() && !text.starts_with("twir-events ") {
            continue;
        }
        pending.push_str(text.trim_end_matches('\\'));
        pending.push(' ');
        if text.ends_with('\\') {
            continue;
        }
        out.push(words(&std::mem::take(&mut pending)));
    }
    out
}

/// Shell words, enough for these files: quotes grouped, stops at `2>`, `>`, `|`, `&&`, `;`.
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (None, ' ') => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    let end = words
        .iter()
        .position(|w| {
            w.starts_with('>')
                || w.starts_with("2>")
                || ["|", "&&", ";", "||"].contains(&w.as_str())
        })
        .unwrap_or(words.len());
    words.truncate(end);
    words
}

/// The workflows of `examples/github-actions/` (not the issue forms beside them).
fn workflows(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .filter(|p| !p.to_string_lossy().ends_with("-issue-form.yml"))
        .collect();
    out.sort();
    out
}

#[test]
fn every_command_the_workflows_run_exists() {
    let dir = root().join("examples/github-actions");
    let mut checked = 0;
    for path in workflows(&dir) {
        let yaml = std::fs::read_to_string(&path).unwrap();
        let commands = command_lines(&yaml);
        assert!(
            !commands.is_empty(),
            "{}: no twir-events command",
            path.display()
        );
        for args in commands {
            if let Err(e) = Cli::try_parse_from(&args) {
                panic!("{}: {args:?} does not parse:\n{e}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "{checked}");
}

#[test]
fn the_checker_catches_a_wrong_option() {
    let yaml = "      - run: twir-events json --out x.json --colour red -q\n";
    let args = &command_lines(yaml)[0];
    assert!(Cli::try_parse_from(args).is_err());
    let yaml = "        run: |\n          twir-events update \"draft/a b.md\" \\\n            --sources s.toml 2> review.txt\n";
    let args = &command_lines(yaml)[0];
    assert_eq!(
        args,
        &[
            "twir-events",
            "update",
            "draft/a b.md",
            "--sources",
            "s.toml"
        ]
    );
    assert!(Cli::try_parse_from(args).is_ok());
}

/// The references of a workflow to the folder it builds twir-events from, `TWIR_EVENTS_DIR`
/// (`"$TWIR_EVENTS_DIR/sources.toml"`, `format('{0}/src/**', env.TWIR_EVENTS_DIR)`): the
/// paths below it, globs cut at their first `*`.
fn paths_below_the_dir(yaml: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, _) in yaml.match_indices("$TWIR_EVENTS_DIR/") {
        let rest = &yaml[i + "$TWIR_EVENTS_DIR/".len()..];
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(rest.len());
        paths.push(rest[..end].to_string());
    }
    for (i, _) in yaml.match_indices("format('{0}/") {
        let rest = &yaml[i + "format('{0}/".len()..];
        let (path, after) = rest.split_once("',").unwrap();
        assert!(
            after.trim_start().starts_with("env.TWIR_EVENTS_DIR)"),
            "{rest}"
        );
        paths.push(path.to_string());
    }
    paths
        .into_iter()
        .map(|p| {
            let p = p.split('*').next().unwrap().trim_end_matches('/');
            p.to_string()
        })
        .collect()
}

/// Why the install step of `yaml` would not find twir-events, taking `project` for the folder
/// `TWIR_EVENTS_DIR` names (this project, as copied into the newsletter's repository). Its
/// value is returned as well.
fn install_problems(yaml: &str, project: &Path) -> (Option<String>, Vec<String>) {
    let mut problems = Vec::new();
    let settings: Vec<&str> = yaml
        .lines()
        .filter_map(|l| l.trim().strip_prefix("TWIR_EVENTS_DIR:"))
        .map(|v| v.trim().trim_matches('"'))
        .collect();
    if settings.len() != 1 {
        problems.push(format!(
            "TWIR_EVENTS_DIR is set {} times, not once",
            settings.len()
        ));
    }
    let installs: Vec<&str> = yaml
        .lines()
        .map(str::trim)
        .filter(|l| l.contains("cargo install"))
        .collect();
    if installs.is_empty() {
        problems.push("no cargo install step".into());
    }
    for line in installs {
        if !line.ends_with("cargo install --locked --path \"$TWIR_EVENTS_DIR\"") {
            problems.push(format!(
                "installs from elsewhere than TWIR_EVENTS_DIR's source: {line}"
            ));
        }
    }
    let manifest: toml::Table =
        toml::from_str(&std::fs::read_to_string(project.join("Cargo.toml")).unwrap()).unwrap();
    let name = manifest["package"]["name"].as_str().unwrap();
    if !project.join("Cargo.lock").is_file() || !project.join("src/main.rs").is_file() {
        problems.push("the project has no Cargo.lock (--locked) or no binary".into());
    }
    // The cached binary is the one `cargo install` makes.
    let cached = format!("path: ~/.cargo/bin/{name}");
    if !yaml.lines().any(|l| l.trim() == cached) {
        problems.push(format!("the binary cache does not keep {name}"));
    }
    for path in paths_below_the_dir(yaml) {
        if !project.join(&path).exists() {
            problems.push(format!(
                "$TWIR_EVENTS_DIR/{path} does not exist in the project"
            ));
        }
    }
    (settings.first().map(|s| (*s).to_string()), problems)
}

#[test]
fn every_workflow_builds_twir_events_from_one_setting_that_names_this_project() {
    let root = root();
    let dir = root.join("examples/github-actions");
    let mut settings = Vec::new();
    for path in workflows(&dir) {
        let yaml = std::fs::read_to_string(&path).unwrap();
        let (setting, problems) = install_problems(&yaml, root);
        assert!(problems.is_empty(), "{}: {problems:#?}", path.display());
        // The sources file and the source folders are read through the setting.
        let below = paths_below_the_dir(&yaml);
        for needed in ["Cargo.lock", "src", "sources.toml"] {
            assert!(
                below.iter().any(|p| p == needed),
                "{}: {below:?}",
                path.display()
            );
        }
        settings.push(setting.unwrap());
    }
    assert_eq!(settings.len(), 4, "{settings:?}");
    settings.dedup();
    assert_eq!(settings, ["tools/twir-events"], "one value in all four");
}

#[test]
fn the_install_checker_catches_an_address_nothing_defines() {
    let root = root();
    let old = "env:\n  TWIR_EVENTS_VERSION: v0.1.0\njobs:\n  x:\n    steps:\n      - with:\n          path: ~/.cargo/bin/twir-events\n      - run: cargo install --locked --git https://github.com/twir-events/twir-events --tag \"$TWIR_EVENTS_VERSION\" twir-events\n";
    let (_, problems) = install_problems(old, root);
    assert_eq!(problems.len(), 2, "{problems:?}");
    let missing = "env:\n  TWIR_EVENTS_DIR: tools/twir-events\n      - with:\n          path: ~/.cargo/bin/twir-events\n      - run: cargo install --locked --path \"$TWIR_EVENTS_DIR\"\n      - run: twir-events json --sources \"$TWIR_EVENTS_DIR/events/sources.toml\"\n";
    let (_, problems) = install_problems(missing, root);
    assert_eq!(
        problems,
        ["$TWIR_EVENTS_DIR/events/sources.toml does not exist in the project"]
    );
}

/// The lines of `yaml` inside a `run:` step (the line itself and its block).
fn run_lines(yaml: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut block: Option<usize> = None;
    for line in yaml.lines() {
        let indent = line.len() - line.trim_start().len();
        if block.is_some_and(|i| indent <= i && !line.trim().is_empty()) {
            block = None;
        }
        let text = line.trim().trim_start_matches("- ");
        if let Some(rest) = text.strip_prefix("run:") {
            out.push(line);
            if rest.trim() == "|" {
                block = Some(indent);
            }
        } else if block.is_some() {
            out.push(line);
        }
    }
    out
}

#[test]
fn the_add_source_form_and_workflow_agree_and_keep_the_url_out_of_the_script() {
    let dir = root().join("examples/github-actions");
    let form = std::fs::read_to_string(dir.join("add-source-issue-form.yml")).unwrap();
    let flow = std::fs::read_to_string(dir.join("add-source.yml")).unwrap();
    // One field, whose label the workflow reads the URL under; the label it filters on.
    assert_eq!(form.matches("- type: input").count(), 1);
    let label = form
        .lines()
        .find_map(|l| l.trim().strip_prefix("label: "))
        .unwrap();
    assert!(flow.contains(&format!("/^### {label}/")), "{label}");
    assert!(form.contains("labels: [\"add-source\"]"));
    assert!(flow.contains("contains(github.event.issue.labels.*.name, 'add-source')"));
    // The text reaches the script only through an environment variable.
    let runs = run_lines(&flow);
    assert!(
        runs.iter().any(|l| l.contains("twir-events add")),
        "{runs:#?}"
    );
    for line in &runs {
        assert!(
            !line.contains("${{"),
            "an expression inside a script: {line}"
        );
    }
    for line in flow
        .lines()
        .filter(|l| l.contains("github.event.issue.body"))
    {
        assert!(line.trim().starts_with("BODY: "), "{line}");
    }
    assert!(!flow.contains("github.event.issue.title"));
    // The URL is given after `--` (an address starting with `-` is no option).
    let add = command_lines(&flow)
        .into_iter()
        .find(|a| a[1] == "add")
        .unwrap();
    let dashes = add.iter().position(|w| w == "--").unwrap();
    assert_eq!(&add[dashes + 1..], ["$url"]);
}

#[test]
fn the_run_checker_sees_an_expression_in_a_script() {
    let yaml = "      - name: x\n        env:\n          BODY: ${{ github.event.issue.body }}\n        run: |\n          echo \"${{ github.event.issue.body }}\"\n      - uses: y\n        with:\n          a: ${{ env.A }}\n";
    let runs = run_lines(yaml);
    assert_eq!(runs.len(), 2, "{runs:?}");
    assert!(runs[1].contains("${{"));
}
