//! The newsletter's "Upcoming Events" section, both ways: [`write`](mod@write) prints it from events,
//! [`read`] reads a published section or a draft back. What both sides must agree on is
//! defined here, once.
//!
//! # The grammar
//!
//! ```text
//! Rusty Events between 2023-02-01 - 2023-03-01 🦀            ← the intro: INTRO + the window
//!
//! ### Virtual                                                  ← a region heading
//!
//! * 2023-02-01 | Virtual (Redmond, WA, US; New York, NY, US) | [Org A](url) and [Org B](url)
//!     * [**Title**](url-a) | [**New York Mirror**](url-b)
//! ```
//!
//! - **Region headings**: `### ` and a [`Region::title`], one per non-empty region in
//!   [`Region::ALL`] order ([`heading`]); read back case-insensitively, with a trailing `:`
//!   and the older `Online` for Virtual tolerated ([`region_of_heading`]).
//! - **The entry line**: [`ENTRY_BULLET`], then fields joined by [`FIELD_SEPARATOR`]: the
//!   date field, the location field and the organizers (links joined by
//!   [`ORGANIZER_JOINER`]). The location field is [`VIRTUAL`] or [`HYBRID`] with the places in
//!   parentheses, or the place itself, places joined by [`PLACE_SEPARATOR`]
//!   ([`UNKNOWN_LOCATION`] when an in-person event has none).
//! - **The title line**: [`TITLE_BULLET`], the bold title link, and one bold link per mirror,
//!   again joined by [`FIELD_SEPARATOR`].
//! - **The date field**: `2023-02-01`, or `2023-02-01 - 2023-02-03` for several days
//!   ([`date_field`], [`DATE_RANGE_SEPARATOR`]).
//! - **The link form**: `[text](url)`, and `[**text**](url)` for titles and mirrors; a link
//!   that is not one to print (see [`crate::link::safe`]) leaves its text alone: a title
//!   without a link is `**text**`, read back as the title with no link.
//! - **Escaping**: link texts are escaped only where they would break the link or the bold
//!   ([`escape_text`]; editors write `` `nom` `` and `_New_` on purpose) and read back by
//!   dropping a backslash before ASCII punctuation ([`unescape`]); URLs get the characters
//!   that would end a link destination percent-encoded ([`escape_url`]).
//! - **The footer**: [`FOOTER`], the calendar's invitation every issue ends the section with.
//!
//! Here: `write.rs` the block: its sections and order (which the page and the feeds follow too)
//! and the one printer of an entry from its `EntryFields`; `read.rs` published sections and
//! drafts read back, tolerating the editors' variations (for the corpus tests, `update`,
//! `health`); `block.rs` a draft's block as its lines, for `update` to edit in place;
//! `learn.rs` the organizers as the editors last printed them, for the organizer directory.
//! Only this module knows the Markdown format. The round trip (read → write, write → read →
//! write) over the whole corpus is `tests/newsletter_format.rs`.

pub mod block;
pub mod learn;
pub mod read;
pub mod write;

use crate::model::{Region, Window};
use chrono::NaiveDate;
use read::Link;

/// An entry's fields as the newsletter prints them, in plain text (no Markdown escapes): what
/// [`read::entry_fields`] gives for a draft's entry and [`write::fields_of`] for an event, so that
/// `update` compares and merges the two field by field and [`write::write_fields`] prints the
/// result, one printer for both.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryFields {
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The location field (`Virtual (Dallas, TX, US)`, `Berlin, DE`).
    pub location: String,
    /// The organizers of the first line, in order (`url` empty for a plain name).
    pub organizers: Vec<Link>,
    /// The title link; `None`: the entry has no title line (a hand line written without one).
    pub title: Option<Link>,
    /// The further links of the title line (`[**New York Mirror**](…)`).
    pub mirrors: Vec<Link>,
}

/// The start of the section's first line: `Rusty Events between FROM - TO 🦀`.
pub const INTRO: &str = "Rusty Events between";

/// The footer every issue ends the section with.
pub const FOOTER: &str = concat!(
    "If you are running a Rust event please add it to the [calendar] to get
it mentioned here. Please remember to add a link to the event too.
Email the [Rust Community Team][community] for access.

[calendar]: ",
    crate::site::community_calendar_page!(),
    "
[community]: mailto:community-team@rust-lang.org
"
);

/// The start of the footer's last line: where a block in a draft ends.
pub const FOOTER_END: &str = "[community]:";
/// The title of the newsletter's heading the block belongs under (`## Upcoming Events`).
pub const SECTION_TITLE: &str = "Upcoming Events";

/// What a region heading starts with.
pub const HEADING_MARK: &str = "###";
/// The bullet of an entry's first line (date, location, organizers).
pub const ENTRY_BULLET: &str = "* ";
/// The bullet of an entry's second line (title and mirrors), indented under the first.
pub const TITLE_BULLET: &str = "    * ";
/// Between the fields of an entry line, and between the title and mirror links.
pub const FIELD_SEPARATOR: &str = " | ";
/// Between the organizers of one entry.
pub const ORGANIZER_JOINER: &str = " and ";
/// Between the places of one location field (a mirrored session's homes).
pub const PLACE_SEPARATOR: &str = "; ";
/// Between the first and last day of a multi-day date field.
pub const DATE_RANGE_SEPARATOR: &str = " - ";
/// The location field's word for an online event.
pub const VIRTUAL: &str = "Virtual";
/// The location field's word for an event both online and in a place.
pub const HYBRID: &str = "Hybrid";
/// The location field of an in-person event with no known place.
pub const UNKNOWN_LOCATION: &str = "Unknown location";

/// The section's first line, without its line feed.
pub fn intro(window: &Window) -> String {
    format!(
        "{INTRO} {}{DATE_RANGE_SEPARATOR}{} 🦀",
        window.from, window.to
    )
}

/// A region's heading line, without its line feed: `### North America`.
pub fn heading(region: Region) -> String {
    format!("{HEADING_MARK} {}", region.title())
}

/// The section a heading's text (after [`HEADING_MARK`]) names: a [`Region::title`] in any
/// case, with a trailing `:` tolerated, or `Online` for Virtual.
pub fn region_of_heading(h: &str) -> Option<Region> {
    let h = h.trim().trim_end_matches(':').trim().to_lowercase();
    if h == "online" {
        return Some(Region::Virtual);
    }
    Region::ALL
        .into_iter()
        .find(|r| r.title().to_lowercase() == h)
}

/// The newsletter's date field: `2023-02-01`, or `2023-02-01 - 2023-02-03` for several days.
pub fn date_field(start: NaiveDate, end: NaiveDate) -> String {
    if end > start {
        format!("{start}{DATE_RANGE_SEPARATOR}{end}")
    } else {
        start.to_string()
    }
}

/// Escapes what would break a link text or the bold around it: brackets, asterisks,
/// backslashes, underscores at word edges that do not pair up, an unpaired backtick, and `<`
/// that would open an HTML tag. Everything else is left as the organizer wrote it.
///
/// Hand-written: Markdown escaping crates escape every punctuation character, which would
/// turn the editors' `` `nom` `` and `_New_` into literal text (and change the goldens).
pub fn escape_text(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let backticks = chars.iter().filter(|&&c| c == '`').count();
    let underscores_pair = chars.iter().filter(|&&c| c == '_').count() % 2 == 0;
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '[' | ']' | '*' | '\\' => true,
            // `~~` is strikethrough in GitHub's Markdown.
            '~' => prev == Some('~') || next == Some('~'),
            '`' => backticks % 2 == 1,
            '_' => {
                let inside_word = prev.is_some_and(char::is_alphanumeric)
                    && next.is_some_and(char::is_alphanumeric);
                !inside_word && !underscores_pair
            }
            '<' => {
                next.is_some_and(|n| n.is_ascii_alphabetic() || n == '/' || n == '!' || n == '?')
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The inverse of [`escape_text`] (and of any editor's escapes): a backslash before ASCII
/// punctuation is dropped, as `CommonMark` reads it.
pub fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && n.is_ascii_punctuation()
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// Encodes the characters that would end or confuse a Markdown link destination.
///
/// Hand-written: `percent-encoding` encodes every non-ASCII byte, and line breaks are
/// dropped here rather than encoded; the editors' links keep non-ASCII paths as they are.
pub fn escape_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '(' => out.push_str("%28"),
            ')' => out.push_str("%29"),
            '<' => out.push_str("%3C"),
            '"' => out.push_str("%22"),
            '>' => out.push_str("%3E"),
            '[' => out.push_str("%5B"),
            ']' => out.push_str("%5D"),
            '\n' | '\r' | '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_keeps_intended_markup_and_breaks_nothing() {
        assert_eq!(
            escape_text("cargo expand --bin writing_proc_macros"),
            "cargo expand --bin writing_proc_macros"
        );
        assert_eq!(escape_text("An intro to `nom`"), "An intro to `nom`");
        assert_eq!(
            escape_text("_New_ Atlanta Rust Meetup"),
            "_New_ Atlanta Rust Meetup"
        );
        assert_eq!(escape_text("Rust <3 Nix"), "Rust <3 Nix");
        assert_eq!(
            escape_text("[WIP] **hot** take"),
            "\\[WIP\\] \\*\\*hot\\*\\* take"
        );
        assert_eq!(escape_text("a `b"), "a \\`b");
        assert_eq!(escape_text("<script>"), "\\<script>");
        assert_eq!(escape_text("_lead"), "\\_lead");
        assert_eq!(
            escape_url("https://x.org/a (b)"),
            "https://x.org/a%20%28b%29"
        );
    }

    #[test]
    fn the_footer_ends_with_its_end_line() {
        assert!(FOOTER.lines().last().unwrap().starts_with(FOOTER_END));
    }

    #[test]
    fn headings_are_read_as_they_are_written() {
        for region in Region::ALL {
            let h = heading(region);
            let text = h.strip_prefix(HEADING_MARK).unwrap();
            assert_eq!(region_of_heading(text), Some(region), "{h}");
            assert_eq!(
                region_of_heading(&format!(" {}: ", text.to_uppercase())),
                Some(region)
            );
        }
        assert_eq!(region_of_heading(" Online"), Some(Region::Virtual));
        assert_eq!(region_of_heading(" Header"), None);
    }

    #[test]
    fn escaped_text_reads_back_as_written() {
        for s in [
            "[WIP] **hot** take",
            "a `b",
            "<script>",
            "_lead",
            "a\\b",
            "~~x~~",
        ] {
            assert_eq!(unescape(&escape_text(s)), s, "{s}");
        }
    }
}
