//! The editors' week on real published sections (`../shared/twir-corpus/`): the draft is
//! section N−1 exactly as published (the editors' corrections included), the sources are
//! those of section N ([`replay`]: the Rust Community Calendar carrying N's entries), and
//! `update` must bring the draft at least as close to N as a plain `render` of the same run,
//! with no event twice and no draft line lost. And over every published section, no
//! organizer is linked to a shared platform's bare root, or to the event's own page where the
//! editors printed another.
//!
//! Each test skips (passes with a note) when `../shared` is absent. The figures are printed
//! (`cargo test --test integration editors_week -- --nocapture`).

#[path = "editors_week/replay.rs"]
mod replay;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use twir_events::dedupe::identity::canonical;
use twir_events::newsletter::read::{CorpusEntry, parse_section};
use twir_events::newsletter::write;
use twir_events::pipeline::{self, Outcome};

use crate::common::{MapFetcher, root};

/// The published sections, oldest first, as (issue date, text); `None` when absent.
fn sections() -> Option<Vec<(String, String)>> {
    let dir = root().join("../shared/twir-corpus");
    if !dir.exists() {
        eprintln!("note: {} absent, skipping", dir.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus folder reads")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    Some(
        files
            .iter()
            .map(|f| {
                (
                    f.file_stem().unwrap().to_string_lossy().to_string(),
                    std::fs::read_to_string(f).expect("a corpus file reads"),
                )
            })
            .collect(),
    )
}

fn run(runtime: &tokio::runtime::Runtime, r: &replay::Replay) -> Outcome {
    runtime.block_on(pipeline::run(
        &r.config,
        &MapFetcher(r.bodies.clone()),
        &r.window,
    ))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// An entry as the reader of the newsletter sees it: its two lines' fields, whitespace and a
/// link's trailing slash aside.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Printed {
    dates: (chrono::NaiveDate, chrono::NaiveDate),
    location: String,
    organizers: Vec<(String, String)>,
    title: (String, String),
    mirrors: Vec<(String, String)>,
}

fn url(u: &str) -> String {
    u.trim().trim_end_matches('/').to_string()
}

fn printed(e: &CorpusEntry) -> Printed {
    let link = |l: &twir_events::newsletter::read::Link| (l.text.trim().to_string(), url(&l.url));
    Printed {
        dates: (e.start_date, e.end_date),
        location: e.location.split_whitespace().collect::<Vec<_>>().join(" "),
        organizers: e.organizers.iter().map(link).collect(),
        title: e.title.as_ref().map(link).unwrap_or_default(),
        mirrors: e.mirrors.iter().map(link).collect(),
    }
}

/// How close `block` is to the published `target`: the entries printed exactly as the
/// editors printed them (as a multiset, per section), and field by field for the entries
/// that share an event link.
#[derive(Debug, Default, Clone, Copy)]
struct Closeness {
    target: usize,
    exact: usize,
    /// Entries of the target whose event link is in the block.
    found: usize,
    location: usize,
    organizer: usize,
    title: usize,
    dates: usize,
}

impl Closeness {
    fn add(&mut self, o: Closeness) {
        self.target += o.target;
        self.exact += o.exact;
        self.found += o.found;
        self.location += o.location;
        self.organizer += o.organizer;
        self.title += o.title;
        self.dates += o.dates;
    }

    fn score(&self) -> usize {
        self.exact
    }
}

impl std::fmt::Display for Closeness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[expect(clippy::cast_precision_loss, reason = "a percentage of a few thousand")]
        let pct = |n: usize| 100.0 * n as f64 / self.target.max(1) as f64;
        write!(
            f,
            "{} of {} entries exact ({:.1} %); by event link: found {:.1} %, dates {:.1} %, location {:.1} %, organizer {:.1} %, title {:.1} %",
            self.exact,
            self.target,
            pct(self.exact),
            pct(self.found),
            pct(self.dates),
            pct(self.location),
            pct(self.organizer),
            pct(self.title),
        )
    }
}

fn closeness(block: &str, target: &str) -> Closeness {
    let ours: Vec<(Option<_>, Printed)> = parse_section(block)
        .iter()
        .map(|e| (e.region, printed(e)))
        .collect();
    let theirs: Vec<(Option<_>, Printed)> = parse_section(target)
        .iter()
        .filter(|e| e.title.is_some())
        .map(|e| (e.region, printed(e)))
        .collect();
    let mut pool: HashMap<&(Option<_>, Printed), usize> = HashMap::new();
    for p in &ours {
        *pool.entry(p).or_default() += 1;
    }
    let by_link: HashMap<String, &Printed> = ours
        .iter()
        .map(|(_, p)| (canonical(&p.title.1), p))
        .collect();
    let mut c = Closeness {
        target: theirs.len(),
        ..Closeness::default()
    };
    for t in &theirs {
        if let Some(n) = pool.get_mut(t).filter(|n| **n > 0) {
            *n -= 1;
            c.exact += 1;
        }
        let Some(o) = by_link.get(&canonical(&t.1.title.1)) else {
            continue;
        };
        c.found += 1;
        c.dates += usize::from(o.dates == t.1.dates);
        c.location += usize::from(o.location == t.1.location);
        c.organizer += usize::from(o.organizers == t.1.organizers);
        c.title += usize::from(o.title.0 == t.1.title.0);
        show_difference(o, &t.1);
    }
    c
}

/// With `TWIR_SHOW=location` (or `organizer`, `title`, `dates`), prints each difference of
/// that field: what to look at when a figure moves.
fn show_difference(ours: &Printed, theirs: &Printed) {
    let Ok(field) = std::env::var("TWIR_SHOW") else {
        return;
    };
    let (a, b) = match field.as_str() {
        "location" => (ours.location.clone(), theirs.location.clone()),
        "organizer" => (
            format!("{:?}", ours.organizers),
            format!("{:?}", theirs.organizers),
        ),
        "title" => (ours.title.0.clone(), theirs.title.0.clone()),
        "dates" => (format!("{:?}", ours.dates), format!("{:?}", theirs.dates)),
        _ => return,
    };
    if a != b {
        println!("  {field}: ours {a} | published {b}");
    }
}

/// The lines of a draft's block that are not entries (comments, rough lines, free text),
/// without blank lines, the intro, the headings and the footer the tool rewrites.
fn other_lines(block: &str) -> Vec<String> {
    let entries = parse_section(block);
    // An entry's lines: its first, and the indented lines after it (its title line, a second
    // event's title line, the editors' notes), which go with it.
    let lines: Vec<&str> = block.lines().collect();
    let mut entry_lines: HashSet<usize> = HashSet::new();
    for e in &entries {
        entry_lines.insert(e.line);
        let mut n = e.line + 1;
        // The reader takes an unindented `* [**…**](…)` after an entry line as its title too.
        while lines.get(n - 1).is_some_and(|l| {
            (l.starts_with("  ") && !l.trim().is_empty())
                || (n == e.line + 1
                    && l.trim_start()[..]
                        .get(2..)
                        .is_some_and(|r| r.starts_with("[**")))
        }) {
            entry_lines.insert(n);
            n += 1;
        }
    }
    block
        .lines()
        .enumerate()
        .filter(|(i, l)| {
            let t = l.trim();
            !entry_lines.contains(&(i + 1))
                && !t.is_empty()
                && !t.starts_with(twir_events::newsletter::INTRO)
                && !t.starts_with('#')
                && !twir_events::newsletter::FOOTER.contains(t)
        })
        .map(|(_, l)| l.to_string())
        .collect()
}

/// Event links listed twice in one section of `block`.
fn twice(block: &str) -> Vec<String> {
    let mut seen: HashMap<
        (
            Option<twir_events::model::Region>,
            String,
            chrono::NaiveDate,
        ),
        usize,
    > = HashMap::new();
    for e in parse_section(block) {
        let Some(t) = e.title.as_ref().filter(|t| !t.url.is_empty()) else {
            continue;
        };
        *seen
            .entry((e.region, canonical(&t.url), e.start_date))
            .or_default() += 1;
    }
    let mut out: Vec<String> = seen
        .into_iter()
        .filter(|(_, n)| *n > 1)
        .map(|((r, u, d), n)| format!("{d} {u} ({n} times under {r:?})"))
        .collect();
    out.sort();
    out
}

/// The events block of a whole section file (from the intro on).
fn block_of(text: &str) -> &str {
    text.find(twir_events::newsletter::INTRO)
        .map_or("", |i| &text[i..])
}

#[test]
fn the_editors_week_update_is_at_least_as_close_to_the_next_issue_as_render() {
    let Some(sections) = sections() else { return };
    let runtime = runtime();
    let (mut by_render, mut by_update) = (Closeness::default(), Closeness::default());
    let (mut weeks, mut vevents, mut worse_weeks) = (0, 0, Vec::new());
    let mut problems: Vec<String> = Vec::new();
    for pair in sections.windows(2) {
        let ((_, draft), (date, next)) = (&pair[0], &pair[1]);
        let (Some(r), Some(_)) = (replay::build(next), replay::window_of(draft)) else {
            continue;
        };
        weeks += 1;
        vevents += r.vevents;
        let outcome = run(&runtime, &r);
        let rendered = write::render(&outcome.events, &r.window);
        let u = twir_events::update::update_draft(draft, &outcome, &r.window, &r.config.sources)
            .unwrap_or_else(|e| panic!("{date}: update refused the published draft: {e}"));
        let updated = block_of(&u.text);
        let (a, b) = (closeness(&rendered, next), closeness(updated, next));
        if std::env::var("TWIR_WEEK").is_ok_and(|w| w == *date) {
            println!(
                "=== draft\n{}\n=== updated\n{updated}\n=== rendered\n{rendered}\n=== published\n{}",
                block_of(draft),
                block_of(next)
            );
        }
        if b.score() < a.score() {
            worse_weeks.push(format!(
                "{date}: update {} < render {}",
                b.score(),
                a.score()
            ));
        }
        by_render.add(a);
        by_update.add(b);
        for d in twice(updated) {
            problems.push(format!("{date}: listed twice: {d}"));
        }
        for line in other_lines(block_of(draft)) {
            if !u.text.contains(&line) {
                problems.push(format!("{date}: a line of the draft was lost: {line:?}"));
            }
        }
    }
    println!(
        "editors' week over {weeks} pairs of published sections ({vevents} calendar entries replayed)"
    );
    println!("  render: {by_render}");
    println!("  update: {by_update}");
    println!(
        "  weeks where update is less close than render: {} {:?}",
        worse_weeks.len(),
        worse_weeks.iter().take(5).collect::<Vec<_>>()
    );
    for p in problems.iter().take(30) {
        println!("  {p}");
    }
    assert!(weeks > 200, "only {weeks} weeks replayed");
    assert!(
        problems.is_empty(),
        "{} problems, first: {:?}",
        problems.len(),
        problems.first()
    );
    assert!(
        by_update.score() >= by_render.score(),
        "update {by_update} is less close to the published issues than render {by_render}"
    );
}

/// Platforms: hosts on which the editors printed the events of several organizers and whose
/// bare root they never printed as an organizer's page. A page of such a host names an
/// organizer only by its path, and its root is nobody's page. Learned from the published
/// sections themselves, independently of the tool's own rule (`berline.rs` hosts the events
/// of several names, but the editors link its root as Berlin.rs's page: not a platform).
fn shared_hosts(sections: &[(String, String)]) -> HashSet<String> {
    let mut organizers_by_host: BTreeMap<String, HashSet<String>> = BTreeMap::new();
    let mut printed_roots: HashSet<String> = HashSet::new();
    for (_, text) in sections {
        for e in parse_section(text) {
            for o in &e.organizers {
                if is_bare_root(&o.url) {
                    printed_roots.extend(host(&o.url));
                }
            }
            let (Some(t), Some(o)) = (&e.title, e.organizers.first()) else {
                continue;
            };
            if let Some(host) = host(&t.url) {
                organizers_by_host
                    .entry(host)
                    .or_default()
                    .insert(twir_events::text::fold(&o.text));
            }
        }
    }
    organizers_by_host
        .into_iter()
        .filter(|(h, orgs)| orgs.len() >= 3 && !printed_roots.contains(h))
        .map(|(h, _)| h)
        .collect()
}

fn host(u: &str) -> Option<String> {
    let u = url::Url::parse(u.trim()).ok()?;
    Some(u.host_str()?.trim_start_matches("www.").to_lowercase())
}

fn is_bare_root(u: &str) -> bool {
    url::Url::parse(u.trim())
        .is_ok_and(|u| u.path().trim_matches('/').is_empty() && u.query().is_none_or(str::is_empty))
}

#[test]
fn no_organizer_is_linked_to_a_platform_root_or_the_events_own_page() {
    let Some(sections) = sections() else { return };
    let shared = shared_hosts(&sections);
    // Every page the editors printed as an organizer's.
    let organizer_pages: HashSet<String> = sections
        .iter()
        .flat_map(|(_, text)| parse_section(text))
        .flat_map(|e| e.organizers)
        .map(|o| canonical(&o.url))
        .collect();
    let runtime = runtime();
    let (mut events, mut roots, mut own_page, mut unlinked) = (0, Vec::new(), Vec::new(), 0);
    for (date, text) in &sections {
        let Some(r) = replay::build(text) else {
            continue;
        };
        // What the editors printed as the organizer's link, by event link.
        let printed: HashMap<String, String> = parse_section(text)
            .iter()
            .filter_map(|e| {
                let t = e.title.as_ref()?;
                let o = e.organizers.first()?;
                Some((canonical(&t.url), o.url.clone()))
            })
            .collect();
        for e in run(&runtime, &r).events {
            events += 1;
            let Some(org) = e.organizer.url.as_deref() else {
                unlinked += 1;
                continue;
            };
            if is_bare_root(org) && host(org).is_some_and(|h| shared.contains(&h)) {
                roots.push(format!("{date}: {:?} → {org}", e.title));
            }
            // The editors printed another page for it, one that is an organizer's (a link,
            // not an event page), and never printed this event page as anyone's.
            let editors = printed.get(&canonical(&e.url));
            if canonical(org) == canonical(&e.url)
                && !organizer_pages.contains(&canonical(org))
                && editors.is_some_and(|p| {
                    canonical(p) != canonical(&e.url)
                        && twir_events::link::check(p).is_ok()
                        && twir_events::link::page_kind(p).is_none()
                })
            {
                own_page.push(format!(
                    "{date}: {:?} → its own page {org} (the editors: {})",
                    e.title,
                    editors.map_or("", String::as_str)
                ));
            }
        }
    }
    println!(
        "organizers over {} sections: {events} events, {unlinked} without a link; {} linked to a shared host's root, {} to the event's own page; shared hosts: {}",
        sections.len(),
        roots.len(),
        own_page.len(),
        shared.len()
    );
    let mut by_root: BTreeMap<&str, usize> = BTreeMap::new();
    for l in &roots {
        *by_root
            .entry(l.rsplit(" → ").next().unwrap_or(""))
            .or_default() += 1;
    }
    println!("  roots: {by_root:?}");
    for l in roots.iter().take(10).chain(own_page.iter().take(30)) {
        println!("  {l}");
    }
    assert!(
        roots.is_empty(),
        "{} linked to a platform's root: {:?}",
        roots.len(),
        &roots[..roots.len().min(10)]
    );
    assert!(
        own_page.is_empty(),
        "{} linked to the event's own page: {:?}",
        own_page.len(),
        &own_page[..own_page.len().min(10)]
    );
}
