//! The whole pipeline (readers, verification, normalization, deduplication, rendering) on the
//! recorded seed snapshot mutated many ways: no input may panic any stage, and the rendered
//! block keeps the newsletter's structure (headers, entries, only http(s) links).
//!
//! CI runs a bounded pass (`TWIR_MUTATIONS`, default 120 mutations); the long pass is
//! `TWIR_MUTATIONS=5000 cargo test --release --test integration -- --nocapture mutations::`.

use crate::common;
use common::{MapFetcher, REGION_HEADERS, Rng, root};

use std::collections::HashMap;
use std::time::{Duration, Instant};
use twir_events::config::Config;
use twir_events::model::Window;
use twir_events::newsletter::write as markdown;
use twir_events::pipeline;

/// Tokens that have broken readers, or would break the output, when planted in a source.
const PLANTS: &[&str] = &[
    "é",
    "🦀",
    "\u{202E}",
    "\u{200B}",
    "\r\n ",
    "\r\n",
    "\n* fake entry\n",
    "\n### Header\n",
    "<script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "\\",
    "\"",
    "}",
    "{\"__ref\":\"Event:1\"}",
    "DURATION:P99999999W\r\n",
    "RRULE:FREQ=MINUTELY;UNTIL=20991231T000000Z\r\n",
    "RRULE:FREQ=DAILY;COUNT=4000000000\r\n",
    "DTSTART:99991231T235959Z\r\n",
    "DTSTART;TZID=Nowhere/City:20230215T190000\r\n",
    "EXDATE:00000000T000000Z\r\n",
    "RECURRENCE-ID:20230215T190000Z\r\n",
    "BEGIN:VEVENT\r\n",
    "END:VEVENT\r\n",
    "END:VCALENDAR\r\n",
    "<div><div><div>",
    "</script>",
    "\u{0}",
    "9999-99-99T99:99:99+99:99",
    "-0001-01-01T00:00:00Z",
];

fn mutate(body: &[u8], rng: &mut Rng) -> Vec<u8> {
    let mut b = body.to_vec();
    let at = |rng: &mut Rng, len: usize| rng.below(len + 1);
    match rng.below(7) {
        0 => {
            // Truncate.
            let cut = at(rng, b.len());
            b.truncate(cut);
        }
        1 => {
            // Flip a few bytes.
            for _ in 0..=rng.below(8) {
                if !b.is_empty() {
                    let i = rng.below(b.len());
                    b[i] ^= 1 << rng.below(8);
                }
            }
        }
        2 | 3 => {
            // Plant a token, sometimes at a line start.
            let token = PLANTS[rng.below(PLANTS.len())].as_bytes();
            let mut i = at(rng, b.len());
            if rng.below(2) == 0
                && let Some(nl) = b[..i].iter().rposition(|&c| c == b'\n')
            {
                i = nl + 1;
            }
            b.splice(i..i, token.iter().copied());
        }
        4 => {
            // Duplicate a region (repeated events, repeated JSON).
            if !b.is_empty() {
                let start = rng.below(b.len());
                let end = (start + 1 + rng.below(4096)).min(b.len());
                let copy = b[start..end].to_vec();
                let i = at(rng, b.len());
                b.splice(i..i, copy);
            }
        }
        5 => {
            // Change a digit (dates, ids, counts).
            let digits: Vec<usize> = (0..b.len()).filter(|&i| b[i].is_ascii_digit()).collect();
            for _ in 0..=rng.below(4) {
                if !digits.is_empty() {
                    let i = digits[rng.below(digits.len())];
                    b[i] = b'0' + u8::try_from(rng.below(10)).unwrap();
                }
            }
        }
        _ => {
            // Delete a region.
            if !b.is_empty() {
                let start = rng.below(b.len());
                let end = (start + 1 + rng.below(256)).min(b.len());
                b.drain(start..end);
            }
        }
    }
    b
}

fn snapshot() -> (Config, HashMap<String, Vec<u8>>) {
    let dir = root().join("snapshots/2023-02-01");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut bodies = HashMap::new();
    for r in manifest["responses"].as_array().unwrap() {
        if r["status"].as_u64() != Some(200) {
            continue;
        }
        let body = std::fs::read(dir.join(r["file"].as_str().unwrap())).unwrap();
        bodies.insert(r["url"].as_str().unwrap().to_string(), body);
    }
    let config = Config::load(&dir.join("sources.toml")).unwrap();
    (config, bodies)
}

/// What the rendered block may contain, line by line: the window line, section headers,
/// entries and their title lines, blank lines, the footer of the unmutated run; every link
/// http(s).
fn check_structure(block: &str, footer: &[String]) -> Result<(), String> {
    for line in block.lines() {
        let ok = line.is_empty()
            || footer.iter().any(|f| f == line)
            || line.starts_with("Rusty Events between ")
            || (line.starts_with("### ") && REGION_HEADERS.contains(&&line[4..]))
            || (line.starts_with("* ") && line[2..].starts_with(|c: char| c.is_ascii_digit()))
            || line.starts_with("    * [**");
        if !ok {
            return Err(format!("unexpected line {line:?}"));
        }
        for (i, _) in line.match_indices("](") {
            let target = &line[i + 2..];
            if !(target.starts_with("https://") || target.starts_with("http://")) {
                return Err(format!("a link that is not http(s): {line:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn mutated_snapshot_never_panics_and_keeps_the_format() {
    let n: usize = std::env::var("TWIR_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    let (config, bodies) = snapshot();
    let window = Window {
        from: "2023-02-01".parse().unwrap(),
        to: "2023-03-01".parse().unwrap(),
    };
    let urls: Vec<String> = {
        let mut u: Vec<String> = bodies.keys().cloned().collect();
        u.sort();
        u
    };
    let calendar = urls
        .iter()
        .find(|u| u.contains("calendar.google.com"))
        .unwrap()
        .clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let baseline = markdown::render(
        &runtime
            .block_on(pipeline::run(&config, &MapFetcher(bodies.clone()), &window))
            .events,
        &window,
    );
    let footer: Vec<String> = baseline
        .lines()
        .skip_while(|l| !l.starts_with("If you are running a Rust event"))
        .map(str::to_string)
        .collect();
    assert!(footer.len() >= 3, "{baseline}");
    check_structure(&baseline, &footer).unwrap();
    let mut rng = Rng(0x7477_6972_2d65_7674);
    let mut failures = Vec::new();
    let mut slowest = (Duration::ZERO, 0);
    for case in 0..n {
        // Half the mutations hit the calendar, the richest and most fragile input.
        let target = if rng.below(2) == 0 {
            calendar.clone()
        } else {
            urls[rng.below(urls.len())].clone()
        };
        let mut mutated = bodies.clone();
        let body = mutated.get_mut(&target).unwrap();
        for _ in 0..=rng.below(3) {
            *body = mutate(body, &mut rng);
        }
        let fetcher = MapFetcher(mutated);
        let started = Instant::now();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let outcome = runtime.block_on(pipeline::run(&config, &fetcher, &window));
            // A reader's panic is caught by the pipeline and reported as an internal error:
            // that is a bug too.
            let internal: Vec<String> = outcome
                .reports
                .iter()
                .filter_map(|r| r.failure().map(ToString::to_string))
                .filter(|e| e.contains("internal error"))
                .collect();
            (markdown::render(&outcome.events, &window), internal)
        }));
        let took = started.elapsed();
        if took > slowest.0 {
            slowest = (took, case);
        }
        match result {
            Err(panic) => {
                let msg = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(ToString::to_string))
                    .unwrap_or_default();
                failures.push(format!("case {case} ({target}): panic: {msg}"));
            }
            Ok((block, internal)) => {
                if !internal.is_empty() {
                    failures.push(format!("case {case} ({target}): {}", internal.join("; ")));
                }
                if let Err(e) = check_structure(&block, &footer) {
                    failures.push(format!("case {case} ({target}): {e}"));
                }
            }
        }
    }
    eprintln!(
        "{n} mutations of snapshots/2023-02-01: {} failures; slowest run {:.2} s (case {})",
        failures.len(),
        slowest.0.as_secs_f64(),
        slowest.1
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
