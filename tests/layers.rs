//! The dependency direction written in `ARCHITECTURE.md` ("Layers"), checked: no module of
//! `src/` imports (`use crate::…` or a `crate::…` path, tests and comments aside) a top-level
//! module of a layer above its own. The few back-edges not yet cut are listed in `KNOWN`; the
//! list only shrinks (a listed edge that is gone fails too, so it is struck off).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Back-edges still to cut: (from, to). None are left: no import cycle between top-level
/// modules.
const KNOWN: &[(&str, &str)] = &[];

/// The layers, lowest first, as `ARCHITECTURE.md` writes them: the lines of the fenced block
/// after `<!-- layers -->`, each a layer of space-separated module names.
fn layers() -> HashMap<String, usize> {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .unwrap();
    let block = doc
        .split("<!-- layers -->")
        .nth(1)
        .expect("ARCHITECTURE.md has a <!-- layers --> block");
    let body = block
        .split("```")
        .nth(1)
        .expect("a fenced block after the marker");
    let mut out = HashMap::new();
    for (i, line) in body
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        for m in line.split_whitespace() {
            out.insert(m.to_string(), i);
        }
    }
    out
}

/// Production code of a file, line for line (so a line number is the file's): comment lines
/// blanked, and the items under `#[cfg(test)]` (a `mod tests;` line, or a test module written
/// inline, conventionally the file's last item).
fn code(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let t = lines[i].trim_start();
        if t.starts_with("#[cfg(test)]") {
            let mut j = i + 1;
            while j < lines.len() && lines[j].trim_start().starts_with("#[") {
                j += 1;
            }
            if j < lines.len() && lines[j].trim_end().ends_with(';') {
                out.extend(std::iter::repeat_n("", j + 1 - i));
                i = j + 1;
                continue;
            }
            break;
        }
        out.push(if t.starts_with("//") { "" } else { lines[i] });
        i += 1;
    }
    out.join("\n")
}

fn rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "tests") {
                rs_files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs")
            && path.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(path);
        }
    }
}

/// The top-level modules each top-level module uses.
fn edges() -> BTreeSet<(String, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel.iter().next().unwrap().to_str().unwrap();
        let from = first.strip_suffix(".rs").unwrap_or(first).to_string();
        if from == "lib" || from == "main" {
            continue;
        }
        let text = code(&std::fs::read_to_string(&file).unwrap());
        let mut rest = text.as_str();
        while let Some(i) = rest.find("crate::") {
            rest = &rest[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != from {
                out.insert((from.clone(), name));
            }
        }
        // `use crate::{a, b}` groups.
        let mut rest = text.as_str();
        while let Some(i) = rest.find("crate::{") {
            rest = &rest[i + "crate::{".len()..];
            let group = rest.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != from {
                    out.insert((from.clone(), name));
                }
            }
        }
    }
    out
}

#[test]
fn no_module_uses_one_above_it() {
    let layers = layers();
    let mut back = BTreeSet::new();
    for (from, to) in edges() {
        let (Some(a), Some(b)) = (layers.get(&from), layers.get(&to)) else {
            panic!("{from} or {to} is not in ARCHITECTURE.md's layers");
        };
        if b > a {
            back.insert((from, to));
        }
    }
    let known: BTreeSet<(String, String)> = KNOWN
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect();
    let new: Vec<_> = back.difference(&known).collect();
    let gone: Vec<_> = known.difference(&back).collect();
    assert!(new.is_empty(), "modules using one above them: {new:?}");
    assert!(gone.is_empty(), "cut, strike them off KNOWN: {gone:?}");
}

/// The kinds' type names, as `src/sources/mod.rs` registers them (`ical::Ical,` in `kinds!`).
fn registered_kinds() -> Vec<String> {
    let reg =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sources/mod.rs"))
            .unwrap();
    let block = reg
        .split("\nkinds! {")
        .nth(1)
        .expect("src/sources/mod.rs registers the kinds in `kinds! { … }`");
    let block = block.split("\n}").next().unwrap_or_default();
    block
        .lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//"))
        .filter_map(|l| l.strip_suffix(',')?.split_once("::"))
        .map(|(_, ty)| ty.trim().to_string())
        .collect()
}

/// Code with its string and character literals blanked (`"…"`, `r#"…"#`, `'"'`): what a kind's
/// name in a message says is not code naming the kind.
fn without_literals(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    let mut prev = ' ';
    while let Some(c) = chars.next() {
        if c == '\'' && chars.peek() == Some(&'"') {
            chars.next();
            out.push_str("' ");
            prev = ' ';
            continue;
        }
        let raw = c == 'r'
            && !(prev.is_alphanumeric() || prev == '_')
            && matches!(chars.peek(), Some('"' | '#'));
        if c == '"' || raw {
            let mut hashes = 0;
            if raw {
                while chars.peek() == Some(&'#') {
                    chars.next();
                    hashes += 1;
                }
                if chars.next() != Some('"') {
                    out.push('r');
                    continue;
                }
            }
            'lit: while let Some(d) = chars.next() {
                match d {
                    '\\' if !raw => {
                        chars.next();
                    }
                    '"' => {
                        let mut n = 0;
                        while n < hashes && chars.peek() == Some(&'#') {
                            chars.next();
                            n += 1;
                        }
                        if n == hashes {
                            break 'lit;
                        }
                    }
                    '\n' => out.push('\n'),
                    _ => {}
                }
            }
            out.push_str("\"\"");
            prev = '"';
            continue;
        }
        out.push(c);
        prev = c;
    }
    out
}

/// No production code outside `sources/` (and the configuration, which reads `kind = …`)
/// names a kind: not its `SourceKind` variant, not its type (`kind::Meetup.kind()`), not in
/// a `use`. Code elsewhere asks the registry (`spec()`, a capability of `Kind`, `claim_url`),
/// so a new kind is its reader file and one line in `kinds!`. Tests may name kinds: an example
/// is concrete.
#[test]
fn no_production_code_outside_the_registry_names_a_kind() {
    let kinds = registered_kinds();
    assert!(
        kinds.len() >= 4,
        "the kinds read from src/sources/mod.rs: {kinds:?}"
    );
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("sources") || rel == Path::new("config.rs") {
            continue;
        }
        let text = without_literals(&code(&std::fs::read_to_string(&file).unwrap()));
        for (n, line) in text.lines().enumerate() {
            let words = line.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            for w in words.filter(|w| kinds.iter().any(|k| k == w)) {
                found.push(format!("src/{}: line {}: {w}", rel.display(), n + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "kinds named outside src/sources/ (ask the registry instead: a capability of `Kind` in \
         src/sources/kind.rs, `SourceKind::spec()`, `kind::claim_url`):\n{}",
        found.join("\n")
    );
}

/// Every type that implements `Kind` is registered: a reader file with its `impl Kind for T`
/// and no line in `kinds!` would be a kind no configuration, help text or fuzz pass knows.
#[test]
fn every_kind_is_registered() {
    let kinds = registered_kinds();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rs_files(&root.join("src/sources"), &mut files);
    let mut missing = Vec::new();
    for file in files {
        let text = code(&std::fs::read_to_string(&file).unwrap());
        for line in text.lines() {
            let Some(rest) = line.trim_start().strip_prefix("impl Kind for ") else {
                continue;
            };
            let ty: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !kinds.contains(&ty) {
                let rel = file.strip_prefix(root.join("src/sources")).unwrap();
                let module = rel
                    .iter()
                    .next()
                    .unwrap()
                    .to_string_lossy()
                    .replace(".rs", "");
                missing.push(format!(
                    "src/sources/{} implements Kind for {ty}, but `kinds!` in src/sources/mod.rs does not list it: add the line `{module}::{ty},`",
                    rel.display()
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// The string blanking `no_production_code_outside_the_registry_names_a_kind` relies on.
#[test]
fn literals_are_blanked() {
    assert_eq!(
        without_literals("a(\"Meetup \\\" x\", r#\"Luma \"q\"\"#, '\"', b) Ical"),
        r#"a("", "", ' ', b) Ical"#
    );
    assert_eq!(registered_kinds().first().map(String::as_str), Some("Ical"));
}
