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

/// Production code of a file: comment lines dropped, and everything from `#[cfg(test)]` on.
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
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

/// Every `.rs` file under `dir`, tests included.
fn all_rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            all_rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Issue 18's rule: no file of `src/` outside `sources/` names a `SourceKind` variant but the
/// registry and the config (unit tests and comments included, as `grep` reads them): code
/// elsewhere asks the kinds (`spec()`, a capability) or names one by `SourceKind::from_name`.
#[test]
fn no_file_outside_the_registry_names_a_kind_variant() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    all_rs_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("sources") || rel == Path::new("config.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (n, line) in text.lines().enumerate() {
            let mut rest = line;
            while let Some(i) = rest.find("SourceKind::") {
                rest = &rest[i + "SourceKind::".len()..];
                if rest.starts_with(|c: char| c.is_ascii_uppercase() || c == '*' || c == '{') {
                    found.push(format!("src/{}:{}: {}", rel.display(), n + 1, line.trim()));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "kind variants named outside the registry and the config:\n{}",
        found.join("\n")
    );
}
