//! Hard to break: every parser gets truncated and corrupted versions of real-looking inputs
//! (the shipped snapshots' calendar feeds, meetup pages and JSON-LD pages) and must answer
//! with events, warnings or an error, never a panic. Deterministic: the cut points and the
//! corruptions come from a fixed-seed generator, not the clock.

use std::path::{Path, PathBuf};
use twir_events::model::Window;
use twir_events::sources::{ical, jsonld, meetup};

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// A small deterministic generator (xorshift), so the test is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Truncations at a few points, and copies with bytes flipped, deleted or duplicated.
fn variants(bytes: &[u8], rng: &mut Rng) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for _ in 0..6 {
        out.push(bytes[..rng.below(bytes.len())].to_vec());
    }
    for _ in 0..6 {
        let mut b = bytes.to_vec();
        for _ in 0..8 {
            if b.is_empty() {
                break;
            }
            let i = rng.below(b.len());
            match rng.below(4) {
                0 => {
                    const NASTY: &[u8] = b"<>\"{}[]:;\\\r\n\x00\xff";
                    b[i] = NASTY[rng.below(NASTY.len())];
                }
                1 => {
                    b.remove(i);
                }
                2 => {
                    let j = (i + rng.below(200)).min(b.len());
                    let chunk = b[i..j].to_vec();
                    b.splice(i..i, chunk);
                }
                _ => b[i] = b[i].wrapping_add(1),
            }
        }
        out.push(b);
    }
    out
}

fn window() -> Window {
    Window {
        from: "2023-01-04".parse().unwrap(),
        to: "2023-03-01".parse().unwrap(),
    }
}

#[test]
fn parsers_never_panic_on_damaged_input() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ics, mut html) = (Vec::new(), Vec::new());
    files(&root.join("snapshots"), "ics", &mut ics);
    files(&root.join("snapshots"), "html", &mut html);
    files(&root.join("tests/fixtures/pages"), "html", &mut html);
    assert!(ics.len() >= 3 && html.len() >= 20, "fixtures missing");
    let mut runs = 0;
    for path in &ics {
        let bytes = std::fs::read(path).unwrap();
        for v in variants(&bytes, &mut rng) {
            let text = ical::decode(&v);
            let _ = ical::parse(&text, "test.ics", "test", &window());
            runs += 1;
        }
    }
    for path in html.iter().take(40) {
        let bytes = std::fs::read(path).unwrap();
        for v in variants(&bytes, &mut rng) {
            let text = String::from_utf8_lossy(&v);
            let _ = meetup::parse_group_page(&text, "https://www.meetup.com/x/events/", "x");
            let _ = meetup::parse_event_page(&text, "https://www.meetup.com/x/events/1/", "x");
            let _ = jsonld::parse_page(&text, "https://example.org/", "x");
            runs += 1;
        }
    }
    assert!(runs > 400, "{runs}");
}

#[test]
fn empty_and_foreign_documents_are_errors_not_events() {
    let w = window();
    for text in [
        "",
        "   ",
        "<html><body>502 Bad Gateway</body></html>",
        "{\"a\": 1}",
    ] {
        assert!(ical::parse(text, "x.ics", "x", &w).is_err(), "{text:?}");
        assert!(meetup::parse_group_page(text, "https://www.meetup.com/x/events/", "x").is_err());
        assert!(jsonld::parse_page(text, "https://example.org/", "x").is_err());
    }
}
