//! The ready workflows in `examples/github-actions/` use only commands and options that exist:
//! every `twir-events …` command line in their `run:` steps is parsed with the tool's own
//! argument definitions (GitHub expressions `${{ … }}` and shell variables stand for values).

use clap::Parser;
use std::path::Path;
use twir_events::cli::Cli;

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

#[test]
fn every_command_the_workflows_run_exists() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/github-actions");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
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
