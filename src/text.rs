//! The one sanitizer for every text a source wrote that the output prints (titles, organizer
//! names, places, mirror labels): what it does not say in words is removed before rendering.
//!
//! Control, bidi-override and zero-width characters are removed, every run of blanks and line
//! breaks becomes one space (a newline in a title must never start a Markdown line: `* fake
//! entry`, `### Header`), `|` (the entry line's field separator) becomes `/` in one-line fields,
//! and a very long string is cut at a word with an ellipsis. Markdown and HTML are neutralised
//! where they are printed (`newsletter::escape_text`), since only the renderer knows its
//! syntax; the text here stays what the organizer wrote, for the JSON too.

use crate::link::is_invisible;

/// The longest title printed, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest organizer name printed.
pub const MAX_NAME: usize = 100;
/// The longest city, state or country printed.
pub const MAX_PLACE: usize = 80;

/// `s` without the control characters an output cannot carry, but line breaks and tabs (a
/// bare CR, a NUL); borrowed when there is none. The page and the calendar feeds guard
/// everything they print with it (`clean` already removed them from sources' text).
pub fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    let kept = |c: &char| !c.is_control() || matches!(c, '\n' | '\t');
    if s.chars().all(|c| kept(&c)) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.chars().filter(kept).collect())
    }
}

/// `s` without invisible characters, on one line, at most `max` characters.
pub fn clean(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max * 4));
    let mut blank = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() {
            blank = true;
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if blank && !out.is_empty() {
            out.push(' ');
        }
        blank = false;
        out.push(c);
    }
    cut(out, max)
}

/// [`clean`], and `|` written as `/`: for fields of the entry line, which `|` separates.
pub fn clean_field(s: &str, max: usize) -> String {
    clean(&s.replace('|', "/"), max)
}

/// `s` in lower case with the diacritics of Latin letters removed (`Łódź` → `lodz`, `Győr` →
/// `gyor`, `Straße` → `strasse`): the one folding for comparing names and titles.
///
/// Only Latin letters are folded (`deunicode` transliterates every script, but two titles in
/// Cyrillic or kanji compare as written: read as Latin, distinct kanji with one Chinese reading
/// would compare equal); everything else is only lower-cased.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match deunicode::deunicode_char(c).filter(|_| is_accented_latin(c)) {
            Some(ascii) => out.extend(ascii.chars().flat_map(char::to_lowercase)),
            None => out.push(c),
        }
    }
    out
}

/// A letter of the Latin-1 Supplement, Latin Extended-A/B or Latin Extended Additional blocks
/// (the Latin letters with diacritics, and `ß`, `æ`, `ø`).
fn is_accented_latin(c: char) -> bool {
    matches!(c, '\u{C0}'..='\u{24F}' | '\u{1E00}'..='\u{1EFF}') && c.is_alphabetic()
}

/// At most `max` characters: cut at the last space in the final fifth when there is one, and
/// an ellipsis added.
fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let keep: String = s.chars().take(max.saturating_sub(1)).collect();
    let floor = keep.len() * 4 / 5;
    let keep = match keep.rfind(' ') {
        Some(i) if i >= floor => keep[..i].to_string(),
        _ => keep,
    };
    format!("{}…", keep.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_no_invisibles() {
        assert_eq!(
            clean("Rust\n* fake entry\r\n### Header", 200),
            "Rust * fake entry ### Header"
        );
        assert_eq!(
            clean("  a\u{202E}b\u{200B}c\u{0007}d\u{FEFF} ", 200),
            "abc d"
        );
        assert_eq!(clean("Zürich 🦀", 200), "Zürich 🦀");
        assert_eq!(clean_field("Berlin | * x", 80), "Berlin / * x");
    }

    #[test]
    fn latin_diacritics_fold() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("Brno Čeština"), "brno cestina");
        assert_eq!(fold("Győr"), "gyor");
        assert_eq!(fold("Nürnberg São Paulo"), "nurnberg sao paulo");
        assert_eq!(fold("Straße"), "strasse");
        // Other scripts and signs are only lower-cased.
        assert_eq!(fold("Москва 東京 2×3 🦀"), "москва 東京 2×3 🦀");
    }

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        let long = "word ".repeat(100);
        let c = clean(&long, 50);
        assert!(c.chars().count() <= 50, "{c}");
        assert!(c.ends_with("word…"), "{c}");
        let c = clean(&"x".repeat(500), 20);
        assert_eq!(c.chars().count(), 20);
        assert!(c.ends_with('…'));
        assert_eq!(clean("short", 20), "short");
    }
}
