//! The one sanitizer for every text a source wrote that the output prints (titles, organizer
//! names, places, mirror labels): what it does not say in words is removed before rendering.
//!
//! Control, bidi-override, zero-width and other format characters are removed, but for the
//! ones that build emoji (a zero-width joiner between two emoji, `🏳️‍🌈`, `👩‍💻`; the tag
//! characters of a subdivision flag after `🏴`; a variation selector after an emoji), every run
//! of blanks and line breaks becomes one space (a newline in a title must never start a Markdown line: `* fake
//! entry`, `### Header`), `|` (the entry line's field separator) becomes `/` in one-line fields,
//! and a very long string is cut at a word with an ellipsis. Markdown and HTML are neutralised
//! where they are printed (`newsletter::escape_text`), since only the renderer knows its
//! syntax; the text here stays what the organizer wrote, for the JSON too.
//!
//! Also here: `printable`, the control-character guard of the page and the calendar feeds, and
//! `fold`, the one folding for comparing names (lower case, Latin diacritics removed by
//! `deunicode`: ł, č, ő, ü).

use crate::link::is_invisible;
use unicode_properties::{GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory};

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

/// `s` without invisible characters (emoji sequences kept whole), on one line, at most `max`
/// characters.
pub fn clean(s: &str, max: usize) -> String {
    let out = visible(s, s.len().min(max * 4));
    if out.chars().count() <= max {
        return out;
    }
    // The cut can end inside an emoji sequence: a joiner or tags left without their end go.
    visible(&cut(out, max), max * 4)
}

/// `s` on one line without the characters that can disguise text: controls, bidi controls,
/// zero-width and other format characters (Unicode `Cf`), variation selectors and tag
/// characters. Kept where they build an emoji: a zero-width joiner between two emoji
/// (`🏳️‍🌈`, `👩‍💻`, `🧑‍🤝‍🧑`), a tag sequence closing a `🏴` (a subdivision flag, `🏴󠁧󠁢󠁳󠁣󠁴󠁿`), VS15
/// or VS16 right after an emoji (`🎙️`). Nothing kept can hide text: a joiner has an emoji on
/// both sides, and a flag's tags are at most [`MAX_FLAG_TAGS`] lower-case letters or digits.
fn visible(s: &str, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut blank = false;
    // The last character pushed ends an emoji (a ZWJ may follow), and is an emoji itself
    // (a variation selector may follow).
    let (mut joinable, mut after_emoji) = (false, false);
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        rest = &rest[c.len_utf8()..];
        if c.is_whitespace() || c.is_control() {
            blank = true;
            continue;
        }
        let adjacent = !blank;
        if is_hidden(c) {
            let keep = match c {
                ZWJ => adjacent && joinable && rest.chars().next().is_some_and(is_pictograph),
                VS15 | VS16 => adjacent && after_emoji,
                _ => false,
            };
            if keep {
                out.push(c);
                joinable = c != ZWJ;
                after_emoji = false;
            }
            continue;
        }
        if blank && !out.is_empty() {
            out.push(' ');
        }
        blank = false;
        out.push(c);
        after_emoji = c.is_emoji_char();
        joinable = is_pictograph(c);
        if c == BLACK_FLAG
            && let Some(len) = flag_tags(rest)
        {
            out.push_str(&rest[..len]);
            rest = &rest[len..];
            after_emoji = false;
        }
    }
    out
}

const ZWJ: char = '\u{200D}';
const VS15: char = '\u{FE0E}';
const VS16: char = '\u{FE0F}';
/// The base of a flag's tag sequence (`🏴` + `gbsct` in tags + CANCEL TAG = 🏴󠁧󠁢󠁳󠁣󠁴󠁿).
const BLACK_FLAG: char = '\u{1F3F4}';
const CANCEL_TAG: char = '\u{E007F}';
/// The longest tag specification kept after a flag: a region code and a subdivision of up to
/// four (`gbsct`, `usca`) fit; a longer run of tags is text hidden in a flag.
pub const MAX_FLAG_TAGS: usize = 7;

/// The length in bytes of the tag sequence `rest` starts with (tag letters or digits, then
/// CANCEL TAG), if it is one a flag may carry.
fn flag_tags(rest: &str) -> Option<usize> {
    let is_spec = |c: char| matches!(c, '\u{E0030}'..='\u{E0039}' | '\u{E0061}'..='\u{E007A}');
    let mut len = 0;
    for (n, c) in rest.chars().enumerate() {
        if c == CANCEL_TAG && n > 0 {
            return Some(len + c.len_utf8());
        }
        if !is_spec(c) || n >= MAX_FLAG_TAGS {
            return None;
        }
        len += c.len_utf8();
    }
    None
}

/// A pictographic emoji: `Emoji=Yes` (UTS #51), and not ASCII (digits, `#` and `*` have the
/// property for keycaps; a joiner between them would only hide itself).
fn is_pictograph(c: char) -> bool {
    !c.is_ascii() && c.is_emoji_char()
}

/// A character that is not seen but changes how text reads: the link gate's invisible ones
/// ([`is_invisible`]: bidi controls, zero-width characters, fillers), every other format
/// character (`Cf`, the tag characters among them) and every variation selector.
fn is_hidden(c: char) -> bool {
    is_invisible(c)
        || c.general_category() == GeneralCategory::Format
        || matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{180B}'..='\u{180D}' | '\u{180F}')
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

/// A title (or any text a source wrote) as the review report and every other sentence for
/// people quote it: `"…"` around what the newsletter prints ([`clean`]: invisible characters
/// removed, emoji kept whole, one line, at most [`MAX_TITLE`] characters), never Rust's
/// escapes (`"\u{200b}Rust Mumbai"`).
pub fn quoted(title: &str) -> String {
    format!("\"{}\"", clean(title, MAX_TITLE))
}

/// `n` and the noun in the number it takes: `1 event`, `0 events`, `2 entries`. Every count
/// in report and stderr text goes through it (no `1 events`, no `source(s)`).
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
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
    fn a_quoted_title_is_the_printed_one_and_a_count_takes_its_number() {
        assert_eq!(
            quoted("\u{200b}Rust Mumbai \u{2014} July Meetup \u{1f980}"),
            "\"Rust Mumbai \u{2014} July Meetup \u{1f980}\""
        );
        assert_eq!(quoted("Rust \"Nation\"\n UK"), "\"Rust \"Nation\" UK\"");
        assert_eq!(count(1, "event", "events"), "1 event");
        assert_eq!(count(0, "event", "events"), "0 events");
        assert_eq!(count(2, "entry", "entries"), "2 entries");
    }

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
    fn emoji_sequences_are_kept_whole() {
        for whole in [
            "Rust Berlin on location 🏳️\u{200D}🌈 - Edition 003",
            "👩\u{200D}💻 Women in Rust",
            "🧑\u{200D}🤝\u{200D}🧑 pair programming",
            "👩🏽\u{200D}💻 and 🏳️\u{200D}⚧️",
            "Rust Edinburgh 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
            "#1 DedoTalk 🎙️ : Rust pour un développeur Python",
            "Crab 🦀 X 🕳️🐇",
            "keycap 1️⃣ and text ☎︎",
            "🇺🇦 Rust Kyiv",
        ] {
            assert_eq!(clean(whole, 200), whole, "{whole:?}");
            assert_eq!(clean_field(whole, 100), whole, "{whole:?}");
        }
    }

    #[test]
    fn format_characters_outside_emoji_go() {
        for (dirty, expected) in [
            // Joiners between letters, at an end, beside a blank, around one emoji only.
            ("Ru\u{200D}st", "Rust"),
            ("Ru\u{200C}st", "Rust"),
            ("🦀\u{200D}Rust", "🦀Rust"),
            ("Rust\u{200D}🦀", "Rust🦀"),
            ("🦀\u{200D}", "🦀"),
            ("\u{200D}🦀", "🦀"),
            ("🦀\u{200D} 🦀", "🦀 🦀"),
            ("🦀 \u{200D}🦀", "🦀 🦀"),
            ("1\u{200D}2", "12"),
            // Tags without their flag, too many of them, without an end, or not letters.
            ("Rust\u{E0069}\u{E0067}\u{E006E}", "Rust"),
            ("🏴\u{E0067}\u{E0062}\u{E0073}", "🏴"),
            (
                "🏴\u{E0069}\u{E0067}\u{E006E}\u{E006F}\u{E0072}\u{E0065}\u{E0020}\u{E0061}\u{E007F}",
                "🏴",
            ),
            ("🏴\u{E0041}\u{E007F}", "🏴"),
            ("🏴\u{E007F}", "🏴"),
            ("🏳️\u{E0067}\u{E0062}\u{E007F}", "🏳️"),
            // Variation selectors not after an emoji, twice, or of the supplement.
            ("a\u{FE0F}b", "ab"),
            ("🎙\u{FE0F}\u{FE0F}", "🎙\u{FE0F}"),
            ("a\u{FE00}b\u{E0100}c", "abc"),
            // Bidi controls and other format characters, also inside an emoji sequence.
            ("🏳️\u{202E}\u{200D}🌈", "🏳️\u{200D}🌈"),
            ("x\u{2066}y\u{2069}z\u{061C}w\u{0600}v", "xyzwv"),
        ] {
            assert_eq!(clean(dirty, 200), expected, "{dirty:?}");
        }
    }

    #[test]
    fn a_cut_leaves_no_half_sequence() {
        // Cut after 20 characters: the 17 x, the flag, its VS16 and the joiner.
        let title = format!("{}🏳️\u{200D}🌈yyyy", "x".repeat(17));
        let c = clean(&title, 21);
        assert_eq!(c, format!("{}🏳️…", "x".repeat(17)));
        // Cut inside the flag's tags: they go, the black flag stays.
        let flag = format!(
            "{}🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}yyyy",
            "x".repeat(17)
        );
        assert_eq!(clean(&flag, 21), format!("{}🏴…", "x".repeat(17)));
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
