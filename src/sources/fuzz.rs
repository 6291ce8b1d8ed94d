//! What every reader promises under fuzzing, and the windows it is fuzzed in: the parts of a
//! kind's fuzz target ([`super::kind::Kind::fuzz`]) shared by all kinds. The targets
//! themselves are listed in `crate::fuzzing`, made from the registry.

use super::Parsed;
use crate::model::{When, Window};

/// The URL a fuzzed document is read as coming from, when its kind does not say.
pub const URL: &str = "https://fuzz.example/page";

/// The windows readers are fuzzed in: a recent one, one at the start of the corpus, and one at
/// the far edge of what calendars hold.
pub fn windows() -> [Window; 3] {
    let d = |s: &str| s.parse().expect("a fixed date");
    [
        Window {
            from: d("2026-08-19"),
            to: d("2026-09-16"),
        },
        Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        },
        Window {
            from: d("1999-12-20"),
            to: d("2000-01-17"),
        },
    ]
}

/// The window an input is read in: one of [`windows`] by its length, so that each run costs
/// one expansion.
pub fn window(data: &[u8]) -> Window {
    windows()[data.len() % 3]
}

/// What every reader promises about its events: an all-day event ends on or after its start
/// (a page's `endDate` before its `startDate` is dropped with a warning).
pub fn check(p: &Parsed, what: &str) {
    for e in &p.events {
        if let (When::Date(s), Some(When::Date(end))) = (&e.start, &e.end) {
            assert!(
                end >= s,
                "{what}: an all-day event ends before it starts: {e:?}"
            );
        }
    }
}
