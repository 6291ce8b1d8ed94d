//! Evidence that two entries without a shared event link are the same event: token-based
//! title and organizer similarity (Jaccard on normalized words) and place compatibility.
//!
//! Words are lower-cased alphanumeric runs with diacritics folded (`text::fold`, by
//! `deunicode`), so `Nürnberg`/`Nurnberg`, `Łódź`/`Lodz` and `RustConf 2026`/`rustconf-2026`
//! compare equal. The similarity is the Jaccard index of the two word sets, written here:
//! `strsim` measures strings (edit distances, Jaro, Sørensen–Dice on character bigrams), not
//! sets of words, and none of its measures gives these values.

use crate::model::{Attendance, Event};
use std::collections::BTreeSet;

/// Lower-case, diacritics folded, every run of non-alphanumerics one space, trimmed.
pub fn normalize_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in crate::text::fold(s).chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
    out
}

/// The set of normalized words.
pub fn tokens(s: &str) -> BTreeSet<String> {
    normalize_text(s)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Words that say nothing about which event it is: every entry is a Rust meetup.
const GENERIC: [&str; 14] = [
    "rust", "rustlang", "meetup", "meetups", "the", "a", "and", "of", "with", "in", "at", "for",
    "user", "group",
];

/// Normalized words minus `GENERIC` ones.
pub fn significant_tokens(s: &str) -> BTreeSet<String> {
    tokens(s)
        .into_iter()
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .collect()
}

/// |A ∩ B| / |A ∪ B| of two word sets; 0 when both are empty.
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let common = a.intersection(b).count();
    let union = a.len() + b.len() - common;
    if union == 0 {
        return 0.0;
    }
    common as f64 / union as f64
}

/// The words a title is compared on, computed once per entry: its significant words, or,
/// when it has only generic ones, all of its words (flagged, so that a generic-only title
/// never matches one with significant words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordSet {
    pub generic_only: bool,
    pub words: BTreeSet<String>,
}

impl WordSet {
    pub fn of(s: &str) -> WordSet {
        let significant = significant_tokens(s);
        if significant.is_empty() {
            WordSet {
                generic_only: true,
                words: tokens(s),
            }
        } else {
            WordSet {
                generic_only: false,
                words: significant,
            }
        }
    }

    /// [`title_similarity`] of the two strings these sets were made from.
    pub fn similarity(&self, other: &WordSet) -> f64 {
        if self.generic_only != other.generic_only {
            return 0.0;
        }
        jaccard(&self.words, &other.words)
    }
}

/// Title similarity on significant words. When both titles have only generic words it
/// compares all words ("Rust Meetup" vs "Rust-Meetup" is 1.0); when only one has, 0.
pub fn title_similarity(a: &str, b: &str) -> f64 {
    WordSet::of(a).similarity(&WordSet::of(b))
}

/// The title without a leading `<organizer name>:` (or " - ", " | "): calendar entries are
/// often titled "Dallas Rust: Second Tuesday" where the group's page says "Second Tuesday".
pub fn title_without_organizer<'a>(title: &'a str, organizer: &str) -> &'a str {
    let org = organizer.trim();
    if org.is_empty() {
        return title;
    }
    let Some(head) = title.get(..org.len()) else {
        return title;
    };
    if !head.eq_ignore_ascii_case(org) {
        return title;
    }
    let rest = title[org.len()..].trim_start();
    for sep in [":", "-", "|", "–", "—"] {
        if let Some(r) = rest.strip_prefix(sep) {
            let r = r.trim();
            if !r.is_empty() {
                return r;
            }
        }
    }
    title
}

/// Organizer-name similarity, same rule as titles.
pub fn organizer_similarity(a: &str, b: &str) -> f64 {
    title_similarity(a, b)
}

/// The city an entry is at (its venue, or for virtual events its organizer's home), folded.
pub fn city(e: &Event) -> Option<String> {
    e.shown_place()
        .and_then(|p| p.city.as_deref())
        .map(normalize_text)
        .filter(|c| !c.is_empty())
}

/// Whether two entries could be at the same place: both online (any homes), or the same
/// city (in person, hybrid, or a virtual event whose organizer lives where the other one
/// takes place is *not* enough: one virtual and one in-person entry never match).
pub fn places_compatible(a: &Event, b: &Event) -> bool {
    use Attendance::{InPerson, Virtual};
    match (a.attendance, b.attendance) {
        (Virtual, Virtual) => match (city(a), city(b)) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        },
        (Virtual, InPerson) | (InPerson, Virtual) => false,
        _ => matches!((city(a), city(b)), (Some(x), Some(y)) if x == y),
    }
}

/// Start instants, when both are known, say the same moment (or are unknown).
pub fn starts_agree(a: &Event, b: &Event) -> bool {
    match (a.start, b.start) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizer_prefix_is_not_part_of_the_title() {
        assert_eq!(
            title_without_organizer("Dallas Rust: Second Tuesday", "Dallas Rust"),
            "Second Tuesday"
        );
        assert_eq!(
            title_without_organizer("Rust Berlin - Hack and Learn", "rust berlin"),
            "Hack and Learn"
        );
        assert_eq!(
            title_without_organizer("Rust Berlin", "Rust Berlin"),
            "Rust Berlin"
        );
        assert_eq!(
            title_without_organizer("Rust Berlinale party", "Rust Berlin"),
            "Rust Berlinale party"
        );
    }

    #[test]
    fn folds_diacritics_beyond_latin_1() {
        assert_eq!(normalize_text("Rust Łódź"), "rust lodz");
        assert_eq!(normalize_text("Brno Čeština"), "brno cestina");
        assert_eq!(normalize_text("Győr"), "gyor");
        assert!((title_similarity("Rust Łódź meetup", "Rust Lodz Meetup") - 1.0).abs() < 1e-9);
        assert!((title_similarity("Brno Čeština", "brno cestina") - 1.0).abs() < 1e-9);
    }

    #[test]
    #[expect(
        clippy::float_cmp,
        reason = "the similarities are exact ratios of small counts"
    )]
    fn normalizes_and_compares_words() {
        assert_eq!(
            normalize_text("  Rust Nürnberg — online #8 "),
            "rust nurnberg online 8"
        );
        assert_eq!(
            title_similarity(
                "Indy.rs - with Social Distancing",
                "Indy.rs — with social distancing"
            ),
            1.0
        );
        assert_eq!(
            title_similarity(
                "RustConf 2026",
                "RustConf 2026, Hosted by the Rust Foundation"
            ),
            0.4
        );
        assert_eq!(title_similarity("Rust Meetup", "rust meetup"), 1.0);
        assert_eq!(
            title_similarity("Second Tuesday", "Fourth Tuesday"),
            1.0 / 3.0
        );
        assert_eq!(jaccard(&BTreeSet::new(), &BTreeSet::new()), 0.0);
    }
}
