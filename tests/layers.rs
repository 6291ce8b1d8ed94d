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

/// The string literal (`"…"`, `r#"…"#`) starting at `i`, if one does: where its text starts
/// and ends, and the index after it.
fn string_at(s: &[char], i: usize) -> Option<(usize, usize, usize)> {
    let raw = s[i] == 'r'
        && matches!(s.get(i + 1), Some('"' | '#'))
        && (i == 0 || !(s[i - 1].is_alphanumeric() || s[i - 1] == '_'));
    if !raw && s[i] != '"' {
        return None;
    }
    let mut j = i;
    let mut hashes = 0;
    if raw {
        j += 1;
        while s.get(j) == Some(&'#') {
            hashes += 1;
            j += 1;
        }
        if s.get(j) != Some(&'"') {
            return None; // an identifier such as `r#type`
        }
    }
    let body = j + 1;
    j = body;
    while j < s.len() {
        if !raw && s[j] == '\\' {
            j += 2;
            continue;
        }
        if s[j] == '"' && (0..hashes).all(|k| s.get(j + 1 + k) == Some(&'#')) {
            break;
        }
        j += 1;
    }
    let end = j.min(s.len());
    Some((body, end, end + 1 + hashes))
}

/// The string literals of a file's production code, each with the line it starts on: comments,
/// char literals and `#[cfg(test)]` items (a test module, inline or `mod tests;`) skipped.
/// A small lexer: `"…"` with escapes, raw strings `r#"…"#`, `//` and nested `/* */` comments,
/// char literals told from lifetimes.
fn production_literals(text: &str) -> Vec<(usize, String)> {
    let s: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    // Inside a `#[cfg(test)]` item: the brace depth it opened at, once its body started.
    let mut skipping = false;
    let mut depth = 0usize;
    let mut skip_depth: Option<usize> = None;
    let count = |from: usize, to: usize| s[from..to].iter().filter(|c| **c == '\n').count();
    while i < s.len() {
        let c = s[i];
        let next = s.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < s.len() && s[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == '/' && next == Some('*') {
            let (start, mut nest) = (i, 0usize);
            while i < s.len() {
                if s[i] == '/' && s.get(i + 1) == Some(&'*') {
                    nest += 1;
                    i += 2;
                } else if s[i] == '*' && s.get(i + 1) == Some(&'/') {
                    nest -= 1;
                    i += 2;
                    if nest == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            line += count(start, i);
            continue;
        } else if let Some((body, end, after)) = string_at(&s, i) {
            if !skipping {
                out.push((line, s[body..end].iter().collect()));
            }
            line += count(i, end);
            i = after;
            continue;
        } else if c == '\'' {
            // A char literal (`'x'`, `'\n'`, `'"'`), else a lifetime or label.
            if next == Some('\\') {
                i += 3;
                while i < s.len() && s[i] != '\'' {
                    i += 1;
                }
            } else if s.get(i + 2) == Some(&'\'') {
                i += 2;
            }
        } else if c == '\n' {
            line += 1;
        } else if c == '{' {
            depth += 1;
            if skipping && skip_depth.is_none() {
                skip_depth = Some(depth);
            }
        } else if c == '}' {
            if skip_depth == Some(depth) {
                skipping = false;
                skip_depth = None;
            }
            depth = depth.saturating_sub(1);
        } else if c == ';' && skipping && skip_depth.is_none() {
            skipping = false; // `#[cfg(test)] mod tests;`, a test-only `use`
        } else if s[i..].starts_with(&"#[cfg(test)]".chars().collect::<Vec<_>>()[..]) {
            skipping = true;
            i += "#[cfg(test)]".len();
            continue;
        }
        i += 1;
    }
    out
}

/// The hosts `src/site/` knows: every literal of its production code shaped like a host name
/// (`meetup.com`, `api.lu.ma`; `goo.gl/maps` by its host), and the best-known platforms, so
/// that the test holds even if a list in `site/` is emptied.
fn site_hosts() -> BTreeSet<String> {
    let site = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/site");
    let mut files = Vec::new();
    rs_files(&site, &mut files);
    let mut hosts: BTreeSet<String> = [
        "meetup.com",
        "lu.ma",
        "luma.com",
        "eventbrite.com",
        "ti.to",
        "discord.com",
        "discord.gg",
        "youtube.com",
        "zoom.us",
        "github.com",
        "linkedin.com",
        "twitter.com",
        "google.com",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    for file in files {
        for (_, lit) in production_literals(&std::fs::read_to_string(&file).unwrap()) {
            let host = lit.split('/').next().unwrap_or_default();
            let labels: Vec<&str> = host.split('.').collect();
            let shaped = labels.len() >= 2
                && labels.iter().all(|l| {
                    !l.is_empty()
                        && l.chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                })
                && labels
                    .last()
                    .is_some_and(|t| t.len() >= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
            if shaped {
                hosts.insert(host.to_string());
            }
        }
    }
    hosts
}

/// Whether `host` occurs in `text` as a host name: not inside a longer label
/// (`ti.to` is not in `sti.to`, `x.com` not in `box.com`).
fn names_host(text: &str, host: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    lower.match_indices(host).any(|(i, _)| {
        !lower[..i].chars().next_back().is_some_and(word)
            && !lower[i + host.len()..].chars().next().is_some_and(word)
    })
}

/// Issue 26's rule: what a platform is (its host, its aliases, its URLs) is written in
/// `src/site/` once. Production code elsewhere (outside the readers in `src/sources/`; unit
/// tests and comments aside) names no host `site/` knows in a string literal: it asks `site`
/// (`site::platform::is_platform_host`, `site::elsewhere::category`, `site::meetup_com::HOST`).
#[test]
fn no_production_code_outside_site_names_a_platform_host() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let hosts = site_hosts();
    let mut files = Vec::new();
    rs_files(&src, &mut files);
    let mut found = Vec::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        if rel.starts_with("site") || rel.starts_with("sources") {
            continue;
        }
        for (line, lit) in production_literals(&std::fs::read_to_string(&file).unwrap()) {
            for host in hosts.iter().filter(|h| names_host(&lit, h)) {
                found.push(format!("src/{}:{line}: {host:?} in {lit:?}", rel.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "platform hosts named outside src/site/: move each to src/site/ (a constant, a \
         list, a question such as `site::platform::is_platform_host`) and ask it from there:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_literal_scanner_skips_tests_and_comments() {
    let text = "fn a() { let x = \"meetup.com\"; } // \"lu.ma\"\n/* \"ti.to\" */\n\
                fn b<'a>(c: char) -> bool { c == '\"' || c == '\\'' }\n\
                #[cfg(test)]\nmod tests { fn t() { let y = \"zoom.us\"; } }\n\
                fn d() { let z = r#\"x.com\"#; }\n";
    assert_eq!(
        production_literals(text),
        [(1, "meetup.com".to_string()), (6, "x.com".to_string())]
    );
    assert!(names_host("https://www.meetup.com/x/", "meetup.com"));
    assert!(names_host("us02web.zoom.us", "zoom.us"));
    assert!(!names_host("box.com", "x.com"));
    assert!(!names_host("sti.to", "ti.to"));
}

/// ARCHITECTURE.md stays a map (issue 26): under 2,000 words, and every `src/…`, `tests/…`
/// path it names exists (a rename that leaves it behind fails here).
#[test]
fn the_architecture_map_is_short_and_names_real_paths() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let words = doc.split_whitespace().count();
    assert!(
        words < 2000,
        "ARCHITECTURE.md has {words} words: keep it a map (move detail into the modules' docs)"
    );
    let mut missing = Vec::new();
    for quoted in doc.split('`').skip(1).step_by(2) {
        let path = quoted.trim_end_matches('/');
        let named = ["src/", "tests/", "tools/", "fuzz/"]
            .iter()
            .any(|p| path.starts_with(p));
        if named && !path.contains(['<', '…', '*', ' ']) && !root.join(path).exists() {
            missing.push(quoted.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}
