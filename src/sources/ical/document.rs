//! The document as text: bytes decoded and unfolded, checked to be a calendar at all, cut into
//! its VCALENDAR properties and top-level components (VTIMEZONE, VEVENT) by a line scan.
//!
//! Written by hand, not with `icalendar`'s parser, because:
//! - a fold may split a multi-byte UTF-8 character, so unfolding must happen on bytes, before
//!   decoding ([`decode`]; the crate unfolds `&str`);
//! - the crate parses a whole document or fails it: cut here, one malformed VEVENT is one
//!   warning, and the crate parses each block on its own;
//! - the crate's parser recurses once per nesting level, so a hostile depth overflows the
//!   stack (an abort, not a panic): blocks nested deeper than [`MAX_COMPONENT_DEPTH`] are
//!   skipped before it sees them.

use super::{MAX_COMPONENT_DEPTH, MAX_LINK_TEXT};
use icalendar::parser::{Component, Parameter, ParseString, Property, read_components};
use std::borrow::Cow;

/// The part of a text searched for links: its first [`MAX_LINK_TEXT`] bytes, cut at a
/// character boundary.
pub(super) fn link_text(text: &str) -> &str {
    if text.len() <= MAX_LINK_TEXT {
        return text;
    }
    let mut cut = MAX_LINK_TEXT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Turns a fetched iCalendar body into text for [`parse`](super::parse): unfolds lines at the
/// byte level first (some producers fold at 75 octets *inside* a multi-byte UTF-8 character,
/// which makes the folded bytes invalid UTF-8), then decodes UTF-8, replacing what is still
/// invalid.
pub fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    // Runs between line feeds are copied whole; only at a line feed is a fold looked for.
    let mut start = 0;
    let mut from = 0;
    while let Some(nl) = bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|p| from + p)
    {
        let continues = matches!(bytes.get(nl + 1), Some(b' ' | b'\t'));
        if continues {
            // Drop the line break (with its CR) and the one space or tab after it.
            let cut = if nl > start && bytes[nl - 1] == b'\r' {
                nl - 1
            } else {
                nl
            };
            out.extend_from_slice(&bytes[start..cut]);
            start = nl + 2;
        }
        from = nl + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// The calendar's own name (`X-WR-CALNAME`), from the header lines before its first component
/// (`text` unfolded, as [`decode`] gives it): the organizer's name for a feed of one
/// organizer that `sources.toml` does not name. Only the first 64 KiB are looked at.
pub fn calendar_name(text: &str) -> Option<String> {
    let head = link_text(text);
    for line in head.lines() {
        let line = line.trim_end_matches('\r');
        if let (Some(begin), Some(what)) = (line.get(..6), line.get(6..))
            && begin.eq_ignore_ascii_case("BEGIN:")
            && !what.eq_ignore_ascii_case("VCALENDAR")
        {
            return None;
        }
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let name = key.split(';').next().unwrap_or(key);
        if name.eq_ignore_ascii_case("X-WR-CALNAME") {
            // A chain of replacements kept from the first version, not `icalendar`'s TEXT
            // unescaping: the crate reads an escaped backslash before `n` (`\\n` in the
            // file) and an escaped colon differently, which would change the names printed.
            let value = value
                .replace("\\n", " ")
                .replace("\\N", " ")
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\");
            let value = crate::text::clean_field(&value, crate::text::MAX_NAME);
            return (!value.is_empty()).then_some(value);
        }
    }
    None
}

/// The text with its folded lines joined (RFC 5545 §3.1), by `icalendar`'s `unfold`.
///
/// [`decode`] unfolds a fetched body at the byte level already; the crate's `unfold` (a chain
/// of splits collected into a new string, a fifth of the time on a large feed) runs only on
/// text that still holds a fold: text without `\n ` or `\n\t` unfolds to itself.
pub(super) fn unfold(text: &str) -> Cow<'_, str> {
    if text.contains("\n ") || text.contains("\n\t") {
        Cow::Owned(icalendar::parser::unfold(text))
    } else {
        Cow::Borrowed(text)
    }
}

/// Why `text` (without its byte-order mark) is not a calendar, if it is not: its first line
/// that is not blank must be `BEGIN:VCALENDAR`.
pub(super) fn not_a_calendar(text: &str) -> Option<String> {
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    if first_line.is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        None
    } else {
        Some(describe_non_calendar(text))
    }
}

/// What was received instead of a calendar, for the error message.
fn describe_non_calendar(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "received an empty document, not iCalendar".to_string();
    }
    // The first 512 characters, lower-cased in ASCII only so that byte offsets in `lower`
    // are offsets in `head` too (full Unicode lower-casing changes lengths: "İ" → "i̇").
    let head = match trimmed.char_indices().nth(512) {
        Some((i, _)) => &trimmed[..i],
        None => trimmed,
    };
    let lower = head.to_ascii_lowercase();
    if lower.starts_with('<') {
        let title = lower
            .find("<title>")
            .and_then(|i| {
                let rest = head.get(i + 7..)?;
                rest.find("</").map(|j| rest[..j].trim().to_string())
            })
            .filter(|t| !t.is_empty());
        return match title {
            Some(t) => format!("received an HTML page (\"{t}\"), not iCalendar"),
            None => "received an HTML page, not iCalendar".to_string(),
        };
    }
    let start: String = trimmed.chars().take(60).collect();
    format!(
        "not an iCalendar document ({} bytes, starting {start:?})",
        text.len()
    )
}

/// The parts of a document this source uses, still as unfolded text.
#[derive(Default)]
pub(super) struct Document<'a> {
    /// VCALENDAR properties (name, raw value).
    pub properties: Vec<(&'a str, &'a str)>,
    pub timezones: Vec<&'a str>,
    pub events: Vec<&'a str>,
}

/// Cuts an unfolded document into its VCALENDAR properties and top-level components.
pub(super) fn split_document<'a>(text: &'a str, warnings: &mut Vec<String>) -> Document<'a> {
    let mut doc = Document::default();
    let mut depth = 0usize;
    let mut block_start: Option<(usize, bool, bool)> = None; // (offset, is_event, is_tz)
    let mut offset = 0usize;
    let mut closed = false;
    // The deepest nesting inside the current block (VEVENT = 1, its VALARM = 2).
    let mut block_deepest = 0usize;
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\r', '\n']);
        // Compared as bytes: the line may have a multi-byte character right where a
        // keyword would end ("UID:aé").
        let upper = |s: &str| {
            line.as_bytes()
                .get(..s.len())
                .is_some_and(|b| b.eq_ignore_ascii_case(s.as_bytes()))
        };
        if upper("BEGIN:") {
            depth += 1;
            block_deepest = block_deepest.max(depth.saturating_sub(1));
            if depth == 2 {
                block_deepest = 1;
                let kind = line.get(6..).unwrap_or("").trim();
                block_start = Some((
                    line_start,
                    kind.eq_ignore_ascii_case("VEVENT"),
                    kind.eq_ignore_ascii_case("VTIMEZONE"),
                ));
            }
        } else if upper("END:") {
            if depth == 2
                && let Some((start, is_event, is_tz)) = block_start.take()
            {
                let block = &text[start..offset];
                if block_deepest > MAX_COMPONENT_DEPTH {
                    // The `icalendar` parser recurses once per level: deep enough, that
                    // overflows the stack, which aborts the process (no panic to catch).
                    warnings.push(format!(
                        "{}: components nested deeper than {MAX_COMPONENT_DEPTH} levels, skipped",
                        describe_block(block)
                    ));
                } else if is_event {
                    doc.events.push(block);
                } else if is_tz {
                    doc.timezones.push(block);
                }
            }
            if depth == 1 {
                closed = true;
            }
            depth = depth.saturating_sub(1);
        } else if depth == 1
            && let Some((name, value)) = line.split_once(':')
        {
            let name = name.split(';').next().unwrap_or(name);
            doc.properties.push((name, value));
        }
    }
    if let Some((start, true, _)) = block_start {
        warnings.push(format!(
            "{}: the document ends inside this event (truncated?), skipped",
            describe_block(&text[start..])
        ));
    }
    if !closed {
        warnings.push("the document ends without END:VCALENDAR (truncated download?)".into());
    }
    doc
}

/// "event UID / SUMMARY" for a raw block, found by a line scan (the block may not parse).
pub(super) fn describe_block(block: &str) -> String {
    let find = |key: &str| {
        block.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            let name = name.split(';').next()?;
            name.eq_ignore_ascii_case(key)
                .then(|| value.trim().to_string())
        })
    };
    describe(find("UID").as_deref(), find("SUMMARY").as_deref())
}

pub(super) fn describe(uid: Option<&str>, summary: Option<&str>) -> String {
    format!(
        "event UID {} / SUMMARY {}",
        uid.filter(|u| !u.is_empty()).unwrap_or("(none)"),
        crate::text::quoted(summary.unwrap_or(""))
    )
}

/// A block's components: [`fast_components`] where it reads the block, else the `icalendar`
/// crate's parser.
pub(super) fn components(block: &str) -> Result<Vec<Component<'_>>, String> {
    match fast_components(block) {
        Some(c) => Ok(c),
        None => read_components(block),
    }
}

/// A line scan that gives what `icalendar::parser::read_components` gives for the plain
/// blocks producers write (one `NAME;PARAM=V;PARAM="V":value` a line, uppercase BEGIN/END),
/// and `None` for anything else, which the crate's parser then reads: its nom combinators were
/// 65 % of the instructions of reading the FINOS export (a context and an error value per
/// character class tried, per property). Equal output is checked over real exports
/// (`tests::reading::fast_components_equal_the_crates_parser`).
pub(super) fn fast_components(block: &str) -> Option<Vec<Component<'_>>> {
    // nom takes a value up to the next "\r\n" anywhere after it: with mixed line ends that
    // spans lines. Such blocks go to the crate.
    let crlf = block.contains('\r');
    let mut stack: Vec<Component<'_>> = Vec::new();
    let mut done: Vec<Component<'_>> = Vec::new();
    let mut lines = block.split('\n').peekable();
    while let Some(raw) = lines.next() {
        if raw.is_empty() && lines.peek().is_none() {
            break; // after the last line end
        }
        let line = if crlf { raw.strip_suffix('\r')? } else { raw };
        if line.is_empty() || line.contains('\r') {
            return None;
        }
        if let Some(name) = line.strip_prefix("BEGIN:") {
            if !is_name(name) {
                return None;
            }
            stack.push(Component {
                name: name.into(),
                properties: Vec::new(),
                components: Vec::new(),
            });
        } else if let Some(name) = line.strip_prefix("END:") {
            let c = stack.pop()?;
            if c.name.as_str() != name {
                return None;
            }
            match stack.last_mut() {
                Some(parent) => parent.components.push(c),
                None => done.push(c),
            }
        } else {
            stack.last_mut()?.properties.push(fast_property(line)?);
        }
    }
    (stack.is_empty() && !done.is_empty()).then_some(done)
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// One content line, as the crate's `property` parser reads it (see [`fast_components`]).
fn fast_property(line: &str) -> Option<Property<'_>> {
    let end = line.find([';', ':'])?;
    let name = &line[..end];
    if !is_name(name) || name.eq_ignore_ascii_case("BEGIN") || name.eq_ignore_ascii_case("END") {
        return None;
    }
    let mut rest = &line[end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after.find('=')?;
        let key = &after[..eq];
        if !is_name(key) {
            return None;
        }
        let after = &after[eq + 1..];
        let (val, next) = if let Some(quoted) = after.strip_prefix('"') {
            let close = quoted.find('"')?;
            (&quoted[..close], &quoted[close + 1..])
        } else {
            let stop = after.find([';', ':'])?;
            (&after[..stop], &after[stop..])
        };
        if val.is_empty() || !(next.starts_with(';') || next.starts_with(':')) {
            return None;
        }
        params.push(Parameter {
            key: key.into(),
            val: Some(val.into()),
        });
        rest = next;
    }
    let value = rest.strip_prefix(':')?;
    // Text lists (CATEGORIES, RESOURCES) are left as written, whatever their VALUE.
    let list = name.eq_ignore_ascii_case("CATEGORIES") || name.eq_ignore_ascii_case("RESOURCES");
    let text = !list
        && match params.iter().find(|p| p.key.as_str() == "VALUE") {
            Some(p) => match p.val.as_ref().map(ParseString::as_str) {
                Some("TEXT") => true,
                Some(
                    "BINARY" | "BOOLEAN" | "CAL-ADDRESS" | "DATE" | "DATE-TIME" | "DURATION"
                    | "FLOAT" | "INTEGER" | "PERIOD" | "RECUR" | "TIME" | "URI" | "UTC-OFFSET",
                ) => false,
                _ => is_text_by_name(name),
            },
            None => is_text_by_name(name),
        };
    Some(Property {
        name: name.into(),
        val: if text {
            unescape_text(value)
        } else {
            value.into()
        },
        params,
    })
}

/// TEXT unescaped as the crate's `unescape_text` does (`\\`, `\,`, `\;`, `\:`, `\n`, `\N`;
/// another escape kept as written), copying the runs between backslashes whole instead of
/// one character at a time (the crate's was a quarter of the instructions left).
fn unescape_text(value: &str) -> ParseString<'_> {
    let Some(first) = value.find('\\') else {
        return value.into();
    };
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    let mut at = first;
    loop {
        out.push_str(&rest[..at]);
        let mut after = rest[at + 1..].chars();
        match after.next() {
            Some(c @ ('\\' | ',' | ';' | ':')) => out.push(c),
            Some('n' | 'N') => out.push('\n'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
        rest = after.as_str();
        match rest.find('\\') {
            Some(next) => at = next,
            None => break,
        }
    }
    out.push_str(rest);
    ParseString::from(out)
}

/// The properties the crate unescapes as TEXT by their name (`ValueType::by_name`, not
/// public; CATEGORIES and RESOURCES are text lists it leaves as written).
fn is_text_by_name(name: &str) -> bool {
    !name.bytes().any(|b| b.is_ascii_lowercase())
        && (name.starts_with("X-")
            || matches!(
                name,
                "CALSCALE"
                    | "METHOD"
                    | "PRODID"
                    | "VERSION"
                    | "CLASS"
                    | "COMMENT"
                    | "DESCRIPTION"
                    | "LOCATION"
                    | "STATUS"
                    | "SUMMARY"
                    | "TRANSP"
                    | "TZID"
                    | "TZNAME"
                    | "CONTACT"
                    | "RELATED-TO"
                    | "UID"
                    | "ACTION"
                    | "REQUEST-STATUS"
            ))
}
