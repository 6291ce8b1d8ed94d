//! A draft's events block read as its lines, for `update` to edit in place rather than print
//! anew: the intro line, region headings, entries (an entry's first line `* DATE | …` and its
//! indented continuation lines: the title line and any further sub-bullets an editor wrote),
//! and everything else — blank lines, HTML comments (a multi-line one whole), the footer,
//! and rough lines that are not entries (`* 2026-09-13 Bergen meetup (link to follow)`, free
//! text) — which `update` keeps as written.
//!
//! Each line keeps its own line end (`\r\n`, `\n`, or none for a last line without one), so
//! that what is not edited comes back byte for byte.

use super::read::{self, CorpusEntry};
use super::{FOOTER, FOOTER_END, HEADING_MARK, INTRO, region_of_heading};
use crate::model::Region;

/// One line of the block: its text without the line end, and the line end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    pub text: &'a str,
    /// `\r\n`, `\n`, or empty for a last line without one.
    pub end: &'a str,
}

/// `text` cut into lines, each with its line end; no empty line after a final line end.
pub fn lines(text: &str) -> Vec<Line<'_>> {
    text.split_inclusive('\n')
        .map(|l| {
            let (body, end) = if let Some(b) = l.strip_suffix("\r\n") {
                (b, "\r\n")
            } else if let Some(b) = l.strip_suffix('\n') {
                (b, "\n")
            } else {
                (l, "")
            };
            Line { text: body, end }
        })
        .collect()
}

/// The line end a text uses: `\r\n` when most of its line ends are, else `\n`.
pub fn line_end(text: &str) -> &'static str {
    let all = text.matches('\n').count();
    let crlf = text.matches("\r\n").count();
    if crlf * 2 > all { "\r\n" } else { "\n" }
}

/// What a line that is not part of an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `Rusty Events between …`, the block's first line.
    Intro,
    /// `### Europe`; `None` for a heading that names no section.
    Heading(Option<Region>),
    Blank,
    /// A line of an HTML comment (`<!-- … -->`, possibly over several lines).
    Comment,
    /// A line of the calendar's invitation that ends the block.
    Footer,
    /// Anything else: a line that does not read as an entry, free text, a stray sub-bullet.
    Rough,
}

/// An entry of the block and where its lines are.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftEntry {
    /// Index of its first line in the block's lines.
    pub first: usize,
    /// One past the index of its last line (title line and further sub-bullets included).
    pub end: usize,
    /// Index of its title line, if it has one.
    pub title_line: Option<usize>,
    /// The entry as read (`line` is its line number in the draft, `region` its section's).
    pub entry: CorpusEntry,
}

/// A piece of the block: a line that is not an entry, or an entry's lines.
#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Line { index: usize, kind: Kind },
    Entry(DraftEntry),
}

/// The block's pieces in order. `first_line` is the draft's line number of the block's first
/// line (entries' `line` are draft line numbers).
pub fn pieces(lines: &[Line], first_line: usize) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut region = None;
    let mut in_comment = false;
    let mut i = 0;
    while i < lines.len() {
        let text = lines[i].text;
        let trimmed = text.trim();
        let kind = if in_comment || trimmed.starts_with("<!--") {
            in_comment = !closes_comment(text, in_comment);
            Kind::Comment
        } else if i == 0 && text.starts_with(INTRO) {
            Kind::Intro
        } else if trimmed.is_empty() {
            Kind::Blank
        } else if let Some(h) = text.trim_start().strip_prefix(HEADING_MARK) {
            region = region_of_heading(h);
            Kind::Heading(region)
        } else if is_footer(trimmed) {
            Kind::Footer
        } else if let Some(entry) = entry_at(lines, i, region, first_line) {
            i = entry.end;
            out.push(Piece::Entry(entry));
            continue;
        } else {
            Kind::Rough
        };
        out.push(Piece::Line { index: i, kind });
        i += 1;
    }
    out
}

/// Whether a comment line ends the comment: its `-->` comes after the `<!--` that opens it
/// (or anywhere, inside a comment already open).
fn closes_comment(text: &str, open: bool) -> bool {
    let from = if open {
        0
    } else {
        text.find("<!--").map_or(0, |i| i + 4)
    };
    text.get(from..).is_some_and(|rest| rest.contains("-->"))
}

/// A line of [`FOOTER`], or one of its link definitions.
fn is_footer(trimmed: &str) -> bool {
    trimmed.starts_with("[calendar]:")
        || trimmed.starts_with(FOOTER_END)
        || FOOTER
            .lines()
            .any(|l| !l.trim().is_empty() && l.trim() == trimmed)
}

/// The entry whose first line is `lines[i]`, with its continuation lines: the lines after it
/// that are indented (or a `* [**Title**](…)` bullet, as the reader takes them); the first
/// of them that reads as a title line is its title line.
fn entry_at(
    lines: &[Line],
    i: usize,
    region: Option<Region>,
    first_line: usize,
) -> Option<DraftEntry> {
    let (indent, content) = read::bullet(lines[i].text)?;
    if indent >= 2 || !read::is_entry_content(content) {
        return None;
    }
    let mut end = i + 1;
    while let Some(l) = lines.get(end) {
        let t = l.text.trim_start();
        let indent = l.text.len() - t.len();
        let continues = !t.is_empty()
            && !t.starts_with("<!--")
            && !t.starts_with(HEADING_MARK)
            && (indent >= 2 || read::bullet(l.text).is_some_and(|(_, c)| c.starts_with("[**")));
        if !continues {
            break;
        }
        end += 1;
    }
    let title_line = (i + 1..end).find(|&j| {
        read::bullet(lines[j].text).is_some_and(|(_, c)| read::title_links(c).is_some())
    });
    let mut text = format!("{}\n", lines[i].text);
    if let Some(t) = title_line {
        text.push_str(lines[t].text);
        text.push('\n');
    }
    let mut entry = read::parse_section(&text).into_iter().next()?;
    entry.region = region;
    entry.line = first_line + i;
    Some(DraftEntry {
        first: i,
        end,
        title_line,
        entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_block_into_its_pieces() {
        let text = "Rusty Events between 2026-09-01 - 2026-09-30 🦀\r\n\r\n### Europe\r\n<!-- a\r\n* 2026-09-08 | Paris, FR | [P](https://p.example/)\r\n-->\r\n* 2026-09-08 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\r\n    * a note first\r\n    * [**Hack**](https://www.meetup.com/rust-berlin/events/1/)\r\n* 2026-09-13 Bergen meetup (link to follow)\r\n\r\nIf you are running a Rust event please add it to the [calendar] to get\r\n[community]: mailto:community-team@rust-lang.org";
        let ls = lines(text);
        assert_eq!(ls.len(), 13);
        assert_eq!(ls[12].end, "");
        assert_eq!(line_end(text), "\r\n");
        let ps = pieces(&ls, 10);
        let kinds: Vec<String> = ps
            .iter()
            .map(|p| match p {
                Piece::Line { kind, .. } => format!("{kind:?}"),
                Piece::Entry(e) => format!("Entry({}..{}, {:?})", e.first, e.end, e.title_line),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "Intro",
                "Blank",
                "Heading(Some(Europe))",
                "Comment",
                "Comment",
                "Comment",
                "Entry(6..9, Some(8))",
                "Rough",
                "Blank",
                "Footer",
                "Footer"
            ]
        );
        let Piece::Entry(e) = &ps[6] else {
            panic!("an entry")
        };
        assert_eq!(e.entry.line, 16);
        assert_eq!(e.entry.region, Some(Region::Europe));
        assert_eq!(e.entry.title.as_ref().unwrap().text, "Hack");
    }
}
