//! The iCalendar source (RFC 5545): Google Calendar's public feed, meetup and luma feeds.
//!
//! The document is unfolded, cut into its top-level components by a line scan, and each
//! VEVENT is parsed on its own with the `icalendar` crate's parser (so that one malformed
//! event becomes a warning instead of failing the feed). Recurring events are expanded with the
//! `rrule` crate, then EXDATEs, RDATEs and RECURRENCE-ID overrides are applied here. Only
//! occurrences that can touch the window (with two days of margin on each side, compared in
//! UTC) are returned; each keeps the form its source used (UTC, zoned, floating or all-day):
//! deciding the local date is normalization's job.
//!
//! What is done by hand, and why:
//! - Building the recurrence set. `icalendar`'s `get_recurrence` resolves TZID only through
//!   chrono-tz names (no VTIMEZONE `X-LIC-LOCATION` fallback), anchors all-day and floating
//!   values to the machine's local zone (not hermetic), and fails the whole event on an
//!   `UNTIL` that `rrule` rejects (a DATE `UNTIL` with a DATE-TIME `DTSTART`, or an `UNTIL`
//!   before `DTSTART`, which Google writes when splitting a series). So `RRULE` is handed to
//!   `rrule` without its `UNTIL`, which is converted here, and EXDATE/RDATE/DTSTART are applied
//!   here with the same rules as the Python `recurring-ical-events` library.
//! - Cutting the document into components, so that parse errors stay local to one event.

use super::page_util::html_too_complex;
use super::{Parsed, SourceError};
use crate::model::{RawEvent, Status, When, Window};
use crate::normalize::links::{clean_url, extract_links, is_web_link};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat,
    TimeZone, Utc,
};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_components, unfold};
use rrule::{RRule, RRuleSet, Unvalidated};
use std::collections::{HashMap, HashSet};

/// Most bytes of a DESCRIPTION or LOCATION searched for links (real ones are a few KiB; the
/// link finder's cost grows faster than the text: 100,000 links in one description took 12 s).
pub const MAX_LINK_TEXT: usize = 64 << 10;

/// The part of a text searched for links: its first [`MAX_LINK_TEXT`] bytes, cut at a
/// character boundary.
fn link_text(text: &str) -> &str {
    if text.len() <= MAX_LINK_TEXT {
        return text;
    }
    let mut cut = MAX_LINK_TEXT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    &text[..cut]
}

/// Deepest nesting of components inside a VEVENT or VTIMEZONE (a VEVENT and its VALARM are
/// two levels); a deeper block is skipped with a warning.
pub const MAX_COMPONENT_DEPTH: usize = 8;

/// Occurrences are kept when they overlap the window widened by this many days on each side.
const MARGIN_DAYS: i64 = 2;

// Bounds on the work one feed can cause (issue 7). Each bound, when hit, is a warning in
// `Parsed.warnings`, never a failure of the feed.

/// Most occurrences one rule may generate before and inside the window. Expansion starts
/// near the window for the rule shapes where that is exact ([`jump_start`]), so this is only
/// reached by rules that must be walked from their real DTSTART (COUNT, BYSETPOS …) for a
/// long time: the series is skipped.
pub const MAX_RULE_OCCURRENCES: usize = 50_000;
/// Most iteration steps (periods of the rule's FREQ × INTERVAL between the start of the
/// expansion and the end of the window or UNTIL) one rule may take: `FREQ=SECONDLY` over a
/// month is 2.7 million steps, most of them empty when BY* parts filter them. A rule that
/// would need more is skipped with a warning, before any is taken.
pub const MAX_RULE_STEPS: u64 = 200_000;
/// Most iteration steps of all the rules of one feed together.
pub const MAX_FEED_STEPS: u64 = 1_000_000;
/// Most occurrences of one series kept in the window (an hourly series over a four-week
/// window has about 700; `FREQ=MINUTELY` has 40,000): the first ones are kept, the rest
/// dropped with a warning.
pub const MAX_SERIES_OCCURRENCES: usize = 2_000;
/// Most events one feed yields, all series together: the rest are dropped with a warning.
pub const MAX_FEED_OCCURRENCES: usize = 20_000;
/// Most bytes of text (title, description, location, links) the events of one feed may
/// carry together: every occurrence copies its series' text, so a long description on a
/// frequent rule would otherwise cost memory far beyond the size of the feed.
pub const MAX_FEED_TEXT_BYTES: usize = 128 << 20;
/// Longest event (DTEND − DTSTART, or DURATION) read; a longer one is skipped with a warning.
/// Keeps all date arithmetic far from chrono's limits.
pub const MAX_EVENT_DAYS: i64 = 36_525;

/// Parses an iCalendar document and expands it into one [`RawEvent`](crate::model::RawEvent)
/// per occurrence that may fall in `window` (occurrences are kept with a margin of a couple of
/// days on each side: the local date is only known after normalization).
///
/// `origin` is the URL or file (for messages), `label` the source label put on each event.
pub fn parse(
    text: &str,
    origin: &str,
    label: &str,
    window: &Window,
) -> Result<Parsed, SourceError> {
    parse_with(text, origin, label, window, true)
}

/// [`parse`], with expansion near the window (`jump`) on or off.
fn parse_with(
    text: &str,
    origin: &str,
    label: &str,
    window: &Window,
    jump: bool,
) -> Result<Parsed, SourceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    if !first_line.is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err(SourceError {
            origin: origin.to_string(),
            message: describe_non_calendar(text),
        });
    }

    // `decode` unfolds a fetched body at the byte level already; the crate's `unfold` (a chain
    // of splits collected into a new string, a fifth of the time on a large feed) runs only on
    // text that still holds a fold. Text without "\n " or "\n\t" unfolds to itself.
    let unfolded: std::borrow::Cow<'_, str> = if text.contains("\n ") || text.contains("\n\t") {
        std::borrow::Cow::Owned(unfold(text))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut warnings = Vec::new();
    let doc = split_document(&unfolded, &mut warnings);

    // Time zones: TZID → zone, through the VTIMEZONE's X-LIC-LOCATION when the TZID itself is
    // not an IANA name (Outlook's "W. Europe Standard Time", "/mozilla.org/…/Europe/Berlin").
    let mut tzids = TzResolver::default();
    for block in &doc.timezones {
        let Ok(components) = read_components(block) else {
            continue;
        };
        for c in components
            .iter()
            .filter(|c| name_is(c.name.as_str(), "VTIMEZONE"))
        {
            let tzid = prop(c, "TZID").map(|p| p.val.as_str().trim().to_string());
            let location = prop(c, "X-LIC-LOCATION").and_then(|p| lookup_tz(p.val.as_str()));
            if let (Some(tzid), Some(tz)) = (tzid, location) {
                tzids.aliases.insert(tzid, tz);
            }
        }
    }
    let default_tz = doc
        .properties
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("X-WR-TIMEZONE"))
        .and_then(|(_, v)| tzids.resolve(v.trim()));

    let mut events: Vec<VEvent> = Vec::new();
    for (index, block) in doc.events.iter().enumerate() {
        match read_components(block) {
            Ok(components) => {
                for c in components {
                    match VEvent::from_component(&c, index, &mut tzids) {
                        // Its description's markup is judged when an occurrence is taken
                        // (`Budget::take_event`): most events of a feed are far from the window.
                        Ok(ev) => events.push(ev),
                        Err(e) => warnings.push(format!("{}: {e}", describe_block(block))),
                    }
                }
            }
            Err(_) => warnings.push(format!(
                "{}: not valid iCalendar, skipped",
                describe_block(block)
            )),
        }
    }
    for tzid in &tzids.unknown {
        warnings.push(format!(
            "unknown time zone TZID={tzid}: its times were read as floating (no zone)"
        ));
    }

    let margin = chrono::Days::new(MARGIN_DAYS.unsigned_abs());
    let lo = (window.from.checked_sub_days(margin).unwrap_or(window.from))
        .and_time(NaiveTime::MIN)
        .and_utc();
    let hi = (window
        .to
        .checked_add_days(chrono::Days::new(MARGIN_DAYS.unsigned_abs() + 1)))
    .unwrap_or(window.to)
    .and_time(NaiveTime::MIN)
    .and_utc();
    let ctx = Ctx {
        label,
        default_tz,
        lo,
        hi,
        jump,
    };
    let mut budget = Budget::default();
    let mut out = expand_all(&events, &ctx, &mut budget, &mut warnings);
    out.sort_by(|a, b| {
        (sort_instant(&a.start), &a.uid, &a.title).cmp(&(sort_instant(&b.start), &b.uid, &b.title))
    });
    Ok(Parsed {
        events: out,
        warnings,
    })
}

/// Turns a fetched iCalendar body into text for [`parse`]: unfolds lines at the byte level
/// first (some producers fold at 75 octets *inside* a multi-byte UTF-8 character, which makes
/// the folded bytes invalid UTF-8), then decodes UTF-8, replacing what is still invalid.
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
struct Document<'a> {
    /// VCALENDAR properties (name, raw value).
    properties: Vec<(&'a str, &'a str)>,
    timezones: Vec<&'a str>,
    events: Vec<&'a str>,
}

/// Cuts an unfolded document into its VCALENDAR properties and top-level components.
fn split_document<'a>(text: &'a str, warnings: &mut Vec<String>) -> Document<'a> {
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
fn describe_block(block: &str) -> String {
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

fn describe(uid: Option<&str>, summary: Option<&str>) -> String {
    format!(
        "event UID {} / SUMMARY {:?}",
        uid.filter(|u| !u.is_empty()).unwrap_or("(none)"),
        summary.unwrap_or("")
    )
}

fn name_is(name: &str, wanted: &str) -> bool {
    name.eq_ignore_ascii_case(wanted)
}

fn prop<'c, 'a>(c: &'c Component<'a>, name: &str) -> Option<&'c Property<'a>> {
    c.properties.iter().find(|p| name_is(p.name.as_str(), name))
}

fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// The longest IANA zone name is 32 bytes ("America/Argentina/ComodRivadavia").
const MAX_TZ_NAME: usize = 64;

/// A chrono-tz zone for a name: exact, then case-insensitive.
fn lookup_tz(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if name.len() > MAX_TZ_NAME {
        return None;
    }
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
            .copied()
    })
}

/// TZID → zone, remembering what could not be resolved.
#[derive(Default)]
struct TzResolver {
    aliases: HashMap<String, Tz>,
    /// Every TZID looked up so far (a feed names the same few thousands of times).
    cache: HashMap<String, Option<Tz>>,
    /// The unresolved TZIDs, in order of first use.
    unknown: Vec<String>,
}

impl TzResolver {
    fn resolve(&self, tzid: &str) -> Option<Tz> {
        let tzid = tzid.trim().trim_matches('"');
        lookup_tz(tzid)
            .or_else(|| self.aliases.get(tzid).copied())
            // "/mozilla.org/20050126_1/Europe/Berlin", "/freeassociation.sourceforge.net/Tzfile/…":
            // the zone name is what follows one of the last three slashes (IANA names have at
            // most two), so a TZID made of slashes costs no more than three lookups.
            .or_else(|| {
                tzid.rmatch_indices('/')
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .find_map(|(i, _)| lookup_tz(&tzid[i + 1..]))
            })
    }

    fn resolve_or_note(&mut self, tzid: &str) -> Option<Tz> {
        if let Some(tz) = self.cache.get(tzid) {
            return *tz;
        }
        let tz = self.resolve(tzid);
        self.cache.insert(tzid.to_string(), tz);
        if tz.is_none() {
            self.unknown.push(tzid.to_string());
        }
        tz
    }
}

/// A DATE or DATE-TIME value in the form its source wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum DateVal {
    Date(NaiveDate),
    Utc(NaiveDateTime),
    Zoned(NaiveDateTime, Tz),
    Floating(NaiveDateTime),
}

impl DateVal {
    fn naive(&self) -> NaiveDateTime {
        match *self {
            DateVal::Date(d) => d.and_time(NaiveTime::MIN),
            DateVal::Utc(n) | DateVal::Zoned(n, _) | DateVal::Floating(n) => n,
        }
    }

    /// The instant, reading floating and all-day values in `ctx` (the series' zone), else UTC.
    fn instant(&self, ctx: Option<Tz>) -> DateTime<Utc> {
        match *self {
            DateVal::Utc(n) => n.and_utc(),
            DateVal::Zoned(n, tz) => zoned_to_utc(n, tz),
            DateVal::Floating(_) | DateVal::Date(_) => match ctx {
                Some(tz) => zoned_to_utc(self.naive(), tz),
                None => self.naive().and_utc(),
            },
        }
    }

    /// The same wall-clock arithmetic in the same form.
    fn with_naive(&self, n: NaiveDateTime) -> DateVal {
        match *self {
            DateVal::Date(_) => DateVal::Date(n.date()),
            DateVal::Utc(_) => DateVal::Utc(n),
            DateVal::Zoned(_, tz) => DateVal::Zoned(n, tz),
            DateVal::Floating(_) => DateVal::Floating(n),
        }
    }

    /// This value expressed in the form (and zone) of `like` (an RDATE joining its series).
    fn to_form_of(self, like: &DateVal) -> DateVal {
        match *like {
            DateVal::Date(_) => DateVal::Date(self.naive().date()),
            DateVal::Floating(_) => DateVal::Floating(self.naive()),
            DateVal::Utc(_) => DateVal::Utc(self.instant(None).naive_utc()),
            DateVal::Zoned(_, tz) => {
                DateVal::Zoned(self.instant(Some(tz)).with_timezone(&tz).naive_local(), tz)
            }
        }
    }

    fn to_when(self) -> When {
        match self {
            DateVal::Date(d) => When::Date(d),
            DateVal::Utc(n) => When::Utc(n.and_utc()),
            DateVal::Zoned(n, tz) => When::Zoned(n, tz),
            DateVal::Floating(n) => When::Floating(n),
        }
    }

    /// The instance suffix of a recurrence instance's uid: UTC RFC 3339 for instants, the
    /// date for all-day values, the wall-clock time for floating ones.
    fn instance_id(&self, ctx: Option<Tz>) -> String {
        match self {
            DateVal::Date(d) => d.format("%Y-%m-%d").to_string(),
            DateVal::Floating(n) if ctx.is_none() => n.format("%Y-%m-%dT%H:%M:%S").to_string(),
            _ => self.instant(ctx).to_rfc3339_opts(SecondsFormat::Secs, true),
        }
    }
}

/// The UTC instant of a wall-clock time in `tz`. Ambiguous times (the repeated hour in autumn)
/// take the first; times in the spring gap are moved forward by an hour (RFC 5545 §3.3.5: use
/// the offset from before the gap).
fn zoned_to_utc(n: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&n) {
        LocalResult::Single(dt) | LocalResult::Ambiguous(dt, _) => dt.with_timezone(&Utc),
        LocalResult::None => n
            .checked_add_signed(Duration::hours(1))
            .and_then(|later| tz.from_local_datetime(&later).earliest())
            .map(|dt| dt.with_timezone(&Utc))
            .unwrap_or_else(|| n.and_utc()),
    }
}

/// Sorting key for output: an approximate instant (floating and dates read as UTC).
fn sort_instant(w: &When) -> DateTime<Utc> {
    match w {
        When::Date(d) => d.and_time(NaiveTime::MIN).and_utc(),
        When::Utc(dt) => *dt,
        When::Zoned(n, tz) => zoned_to_utc(*n, *tz),
        When::Offset(dt) => dt.with_timezone(&Utc),
        When::Floating(n) => n.and_utc(),
    }
}

/// `YYYYMMDD`, digits only: chrono's `%Y` also takes a signed year of any length
/// ("+262000…"), whose dates sit at the edge of chrono's range, where arithmetic overflows.
fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// `YYYYMMDDTHHMMSS`, digits only (see [`parse_date`]).
fn parse_naive(s: &str) -> Option<NaiveDateTime> {
    let b = s.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    if b.len() != 15 || !b[8].eq_ignore_ascii_case(&b'T') || !digits(0..8) || !digits(9..15) {
        return None;
    }
    NaiveDateTime::parse_from_str(s, "%Y%m%dT%H%M%S").ok()
}

/// The values of a DATE / DATE-TIME property (several for EXDATE and RDATE). PERIOD values
/// (`start/end`) keep their start.
fn date_values(p: &Property<'_>, tzids: &mut TzResolver) -> Result<Vec<DateVal>, String> {
    let value_type = param(p, "VALUE").map(str::to_ascii_uppercase);
    let tz = param(p, "TZID").map(|tzid| tzids.resolve_or_note(tzid));
    let mut out = Vec::new();
    for raw in p.val.as_str().split(',') {
        let raw = raw.trim();
        let raw = raw.split('/').next().unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        let bad = || format!("bad {} value {raw:?}", p.name.as_str());
        let v = if value_type.as_deref() == Some("DATE") || raw.len() == 8 {
            DateVal::Date(parse_date(raw).ok_or_else(bad)?)
        } else if let Some(utc) = raw.strip_suffix(['Z', 'z']) {
            DateVal::Utc(parse_naive(utc).ok_or_else(bad)?)
        } else {
            let n = parse_naive(raw).ok_or_else(bad)?;
            match tz {
                Some(Some(tz)) => DateVal::Zoned(n, tz),
                _ => DateVal::Floating(n),
            }
        };
        out.push(v);
    }
    Ok(out)
}

/// An RFC 5545 DURATION (`P1D`, `PT1H30M`, `-PT15M`, `P1W`), applied as wall-clock time.
fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let (sign, s) = match s.as_bytes().first()? {
        b'-' => (-1, &s[1..]),
        b'+' => (1, &s[1..]),
        _ => (1, s),
    };
    let s = s.strip_prefix(['P', 'p'])?;
    let mut total = Duration::zero();
    let mut number = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in s.chars() {
        match c.to_ascii_uppercase() {
            'T' => in_time = true,
            d if d.is_ascii_digit() => number.push(d),
            unit => {
                // Every step checked: `P99999999999W` is out of any range.
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                let part = match (unit, in_time) {
                    ('W', false) => Duration::try_weeks(n),
                    ('D', false) => Duration::try_days(n),
                    ('H', true) => Duration::try_hours(n),
                    ('M', true) => Duration::try_minutes(n),
                    ('S', true) => Duration::try_seconds(n),
                    _ => return None,
                }?;
                total = total.checked_add(&part)?;
            }
        }
    }
    (any && number.is_empty()).then(|| total.checked_mul(sign))?
}

/// One VEVENT, read.
#[derive(Debug, Clone)]
struct VEvent {
    /// Position in the file (ties between equal SEQUENCEs go to the later one).
    index: usize,
    uid: String,
    summary: String,
    description: Option<String>,
    location: Option<String>,
    url: Option<String>,
    conference: Option<String>,
    status: Status,
    start: DateVal,
    end: Option<DateVal>,
    duration: Option<Duration>,
    rrule: Option<String>,
    rdates: Vec<DateVal>,
    exdates: Vec<DateVal>,
    recurrence_id: Option<DateVal>,
    sequence: i64,
    /// URL and links, found once for all the occurrences ([`VEvent::links`]).
    links: std::cell::OnceCell<(Option<String>, Vec<String>)>,
    /// Whether [`VEvent::markup_problem`] was looked at (once, at its first occurrence taken).
    markup_checked: std::cell::Cell<bool>,
}

impl VEvent {
    fn from_component(
        c: &Component<'_>,
        index: usize,
        tzids: &mut TzResolver,
    ) -> Result<VEvent, String> {
        let text = |name: &str| {
            prop(c, name)
                .map(|p| p.val.as_str().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let one_date = |name: &str, tzids: &mut TzResolver| -> Result<Option<DateVal>, String> {
            match prop(c, name) {
                Some(p) => Ok(date_values(p, tzids)?.into_iter().next()),
                None => Ok(None),
            }
        };
        let all_dates = |name: &str, tzids: &mut TzResolver| -> Result<Vec<DateVal>, String> {
            let mut out = Vec::new();
            for p in c
                .properties
                .iter()
                .filter(|p| name_is(p.name.as_str(), name))
            {
                out.extend(date_values(p, tzids)?);
            }
            Ok(out)
        };
        let start = one_date("DTSTART", tzids)?.ok_or("no DTSTART, skipped")?;
        let end = one_date("DTEND", tzids)?;
        let duration = match text("DURATION") {
            Some(d) => Some(parse_duration(&d).ok_or(format!("bad DURATION {d:?}"))?),
            None => None,
        };
        let status = match text("STATUS").map(|s| s.to_ascii_uppercase()).as_deref() {
            Some("CANCELLED") => Status::Cancelled,
            Some("TENTATIVE") => Status::Tentative,
            _ => Status::Confirmed,
        };
        let max = Duration::days(MAX_EVENT_DAYS);
        if duration.is_some_and(|d| d.abs() > max) {
            return Err(format!(
                "DURATION {:?} is longer than {MAX_EVENT_DAYS} days, skipped",
                text("DURATION").unwrap_or_default()
            ));
        }
        if let Some(end) = end {
            let ctx = match start {
                DateVal::Zoned(_, tz) => Some(tz),
                _ => None,
            };
            if (end.instant(ctx) - start.instant(ctx)).abs() > max {
                return Err(format!(
                    "DTEND is more than {MAX_EVENT_DAYS} days from DTSTART, skipped"
                ));
            }
        }
        Ok(VEvent {
            index,
            uid: text("UID").unwrap_or_default(),
            summary: text("SUMMARY").unwrap_or_default(),
            description: text("DESCRIPTION"),
            location: text("LOCATION"),
            url: text("URL"),
            conference: text("X-GOOGLE-CONFERENCE"),
            status,
            start,
            end,
            duration,
            rrule: text("RRULE"),
            rdates: all_dates("RDATE", tzids)?,
            exdates: all_dates("EXDATE", tzids)?,
            recurrence_id: one_date("RECURRENCE-ID", tzids)?,
            sequence: text("SEQUENCE").and_then(|s| s.parse().ok()).unwrap_or(0),
            links: std::cell::OnceCell::new(),
            markup_checked: std::cell::Cell::new(false),
        })
    }

    fn name(&self) -> String {
        describe(Some(&self.uid), Some(&self.summary))
    }

    /// Why the links of this event's description or location are not read, if they are not.
    fn markup_problem(&self) -> Option<String> {
        [
            ("DESCRIPTION", &self.description),
            ("LOCATION", &self.location),
        ]
        .into_iter()
        .find_map(|(name, text)| {
            let text = text.as_deref()?;
            if let Some(why) = html_too_complex(link_text(text)) {
                return Some(format!("{name} has {why}: its links were not read"));
            }
            (text.len() > MAX_LINK_TEXT).then(|| {
                format!(
                    "{name} is longer than {} KiB: links were looked for in its first {} KiB only",
                    MAX_LINK_TEXT >> 10,
                    MAX_LINK_TEXT >> 10
                )
            })
        })
    }

    /// The URL (when it is a web link) and every link: the URL, description links, then any
    /// link written in LOCATION (entries whose only link is a meetup URL pasted as the
    /// location). Computed on first use and kept: a series' occurrences share them.
    fn links(&self) -> &(Option<String>, Vec<String>) {
        self.links.get_or_init(|| {
            let url = self
                .url
                .as_deref()
                .map(clean_url)
                .filter(|u| is_web_link(u));
            let mut links: Vec<String> = url.iter().cloned().collect();
            let mut seen: HashSet<String> = links.iter().cloned().collect();
            for text in [&self.description, &self.location].into_iter().flatten() {
                let text = link_text(text);
                // Markup html5ever would take quadratic time on ([`VEvent::markup_problem`]).
                if html_too_complex(text).is_some() {
                    continue;
                }
                for l in extract_links(text) {
                    if seen.insert(l.clone()) {
                        links.push(l);
                    }
                }
            }
            (url, links)
        })
    }

    /// About how many bytes of text each event made from this one carries (its texts, and the
    /// links found in them, which are at most as long again).
    fn text_bytes(&self) -> usize {
        let texts = [
            &self.description,
            &self.location,
            &self.url,
            &self.conference,
        ]
        .into_iter()
        .flatten()
        .map(String::len)
        .sum::<usize>();
        2 * (texts + self.uid.len() + self.summary.len()) + 256
    }

    /// The zone floating and all-day values of this series are read in.
    fn ctx_tz(&self) -> Option<Tz> {
        match self.start {
            DateVal::Zoned(_, tz) => Some(tz),
            _ => None,
        }
    }

    /// The end of an occurrence starting at `start` (in this event's form), from DTEND or
    /// DURATION, as wall-clock arithmetic (an event at 19:00–21:00 stays so across DST).
    fn end_for(&self, start: &DateVal) -> Option<DateVal> {
        if let Some(end) = self.end {
            let same_form = matches!(
                (self.start, end),
                (DateVal::Date(_), DateVal::Date(_))
                    | (DateVal::Utc(_), DateVal::Utc(_))
                    | (DateVal::Floating(_), DateVal::Floating(_))
            ) || matches!((self.start, end), (DateVal::Zoned(_, a), DateVal::Zoned(_, b)) if a == b);
            let length = if same_form {
                end.naive() - self.start.naive()
            } else {
                let ctx = self.ctx_tz();
                end.instant(ctx) - self.start.instant(ctx)
            };
            let length = length.max(Duration::zero());
            return start
                .naive()
                .checked_add_signed(length)
                .map(|n| start.with_naive(n));
        }
        self.duration.and_then(|d| {
            start
                .naive()
                .checked_add_signed(d.max(Duration::zero()))
                .map(|n| start.with_naive(n))
        })
    }
}

/// The window and what each event gets from the calendar.
struct Ctx<'a> {
    label: &'a str,
    default_tz: Option<Tz>,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    /// Start expanding rules near the window ([`jump_start`]); off only in the tests that
    /// check that doing so changes nothing.
    jump: bool,
}

impl Ctx<'_> {
    /// `[start, end]` overlaps `[lo, hi)`; zero-length occurrences count when they start in it.
    fn touches(&self, start: &DateVal, end: Option<&DateVal>) -> bool {
        let s = start.instant(None);
        let e = match (start, end) {
            (_, Some(e)) => e.instant(None),
            (DateVal::Date(_), None) => s.checked_add_signed(Duration::days(1)).unwrap_or(s),
            (_, None) => s,
        };
        s < self.hi && (e > self.lo || s >= self.lo)
    }

    fn raw_event(
        &self,
        ev: &VEvent,
        uid: String,
        start: DateVal,
        end: Option<DateVal>,
    ) -> RawEvent {
        let (url, links) = ev.links().clone();
        let mut raw = RawEvent::new(self.label, ev.summary.trim(), start.to_when());
        raw.uid = (!uid.is_empty()).then_some(uid);
        raw.end = end.map(DateVal::to_when);
        raw.location = ev.location.clone();
        raw.description = ev.description.clone();
        raw.url = url;
        raw.links = links;
        raw.conference = ev.conference.clone();
        raw.status = ev.status;
        raw.default_tz = self.default_tz;
        raw
    }
}

/// Recurrence identity of an occurrence: its original start as an instant (seconds), read in
/// the series' zone.
type Key = i64;

/// What is left of one feed's work bounds ([`MAX_FEED_STEPS`], [`MAX_FEED_OCCURRENCES`],
/// [`MAX_FEED_TEXT_BYTES`]).
struct Budget {
    steps: u64,
    occurrences: usize,
    text_bytes: usize,
    /// The feed-wide occurrence or text bound was hit (warned once).
    full: bool,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            steps: MAX_FEED_STEPS,
            occurrences: MAX_FEED_OCCURRENCES,
            text_bytes: MAX_FEED_TEXT_BYTES,
            full: false,
        }
    }
}

impl Budget {
    /// Takes one event of `ev`'s size; false (with one warning for the feed) when the feed's
    /// occurrence or text bound is reached.
    fn take_event(&mut self, ev: &VEvent, warnings: &mut Vec<String>) -> bool {
        if self.full {
            return false;
        }
        let size = ev.text_bytes();
        if self.occurrences == 0 || size > self.text_bytes {
            self.full = true;
            warnings.push(format!(
                "the feed yields more than {} events or {} MiB of text in the window; \
                 the rest (from {}) were left out",
                MAX_FEED_OCCURRENCES,
                MAX_FEED_TEXT_BYTES >> 20,
                ev.name()
            ));
            return false;
        }
        self.occurrences -= 1;
        self.text_bytes -= size;
        if !ev.markup_checked.replace(true)
            && let Some(why) = ev.markup_problem()
        {
            warnings.push(format!("{}: {why}", ev.name()));
        }
        true
    }
}

fn expand_all(
    events: &[VEvent],
    ctx: &Ctx<'_>,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
) -> Vec<RawEvent> {
    // Group by UID, keeping file order of first appearance. Events without UID stand alone.
    let mut order: Vec<Vec<&VEvent>> = Vec::new();
    let mut by_uid: HashMap<&str, usize> = HashMap::new();
    for ev in events {
        if ev.uid.is_empty() {
            order.push(vec![ev]);
            continue;
        }
        match by_uid.get(ev.uid.as_str()) {
            Some(&i) => order[i].push(ev),
            None => {
                by_uid.insert(&ev.uid, order.len());
                order.push(vec![ev]);
            }
        }
    }
    let mut out = Vec::new();
    for group in &order {
        expand_group(group, ctx, budget, warnings, &mut out);
    }
    out
}

/// Later wins among equal SEQUENCE (RFC 5545 §3.8.7.4; a re-export lists the newest last).
fn newer<'e>(a: &'e VEvent, b: &'e VEvent) -> &'e VEvent {
    if (b.sequence, b.index) >= (a.sequence, a.index) {
        b
    } else {
        a
    }
}

/// One UID: its master (if any) and the overrides (RECURRENCE-ID) of single instances.
fn expand_group(
    group: &[&VEvent],
    ctx: &Ctx<'_>,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
    out: &mut Vec<RawEvent>,
) {
    let master = group
        .iter()
        .filter(|e| e.recurrence_id.is_none())
        .copied()
        .reduce(newer);
    let series_tz = master.and_then(VEvent::ctx_tz);
    // Overrides by the instant of the instance they replace.
    let mut overrides: HashMap<Key, (&VEvent, DateVal)> = HashMap::new();
    for ev in group.iter().copied() {
        let Some(rid) = ev.recurrence_id else {
            continue;
        };
        let key = rid.instant(series_tz).timestamp();
        let best = match overrides.get(&key) {
            Some((prev, _)) => newer(prev, ev),
            None => ev,
        };
        overrides.insert(key, (best, rid));
    }

    let mut excluded: HashSet<Key> = HashSet::new();
    let mut excluded_days: HashSet<NaiveDate> = HashSet::new();
    if let Some(m) = master {
        for x in &m.exdates {
            excluded.insert(x.instant(series_tz).timestamp());
            if let DateVal::Date(d) = x {
                excluded_days.insert(*d);
            }
        }
        match instances(m, ctx, budget, warnings) {
            Ok((starts, recurring)) => {
                let local_day = |v: &DateVal| match (v, series_tz) {
                    (DateVal::Zoned(n, _), _)
                    | (DateVal::Floating(n), _)
                    | (DateVal::Utc(n), None) => n.date(),
                    (DateVal::Utc(n), Some(tz)) => n.and_utc().with_timezone(&tz).date_naive(),
                    (DateVal::Date(d), _) => *d,
                };
                for start in starts {
                    let key = start.instant(series_tz).timestamp();
                    if excluded.contains(&key)
                        || excluded_days.contains(&local_day(&start))
                        || overrides.contains_key(&key)
                        || m.status == Status::Cancelled
                    {
                        continue;
                    }
                    let end = m.end_for(&start);
                    if ctx.touches(&start, end.as_ref()) {
                        if !budget.take_event(m, warnings) {
                            return;
                        }
                        let uid = if recurring && !m.uid.is_empty() {
                            format!("{}@{}", m.uid, start.instance_id(series_tz))
                        } else {
                            m.uid.clone()
                        };
                        out.push(ctx.raw_event(m, uid, start, end));
                    }
                }
            }
            Err(e) => warnings.push(format!("{}: {e}, skipped", m.name())),
        }
    }

    let mut keys: Vec<&Key> = overrides.keys().collect();
    keys.sort();
    for key in keys {
        let (ev, rid) = overrides[key];
        // An override of an excluded instance stays excluded (as recurring-ical-events does).
        if ev.status == Status::Cancelled || excluded.contains(key) {
            continue;
        }
        let end = ev.end_for(&ev.start);
        if ctx.touches(&ev.start, end.as_ref()) {
            if !budget.take_event(ev, warnings) {
                return;
            }
            let uid = if ev.uid.is_empty() {
                String::new()
            } else {
                format!("{}@{}", ev.uid, rid.instance_id(series_tz))
            };
            out.push(ctx.raw_event(ev, uid, ev.start, end));
        }
    }
}

/// Start of every occurrence of a master that may touch the window (before EXDATEs and
/// overrides), in the master's form, and whether the event recurs at all. At most
/// [`MAX_SERIES_OCCURRENCES`] (the first ones; a warning says so).
fn instances(
    m: &VEvent,
    ctx: &Ctx<'_>,
    budget: &mut Budget,
    warnings: &mut Vec<String>,
) -> Result<(Vec<DateVal>, bool), String> {
    if m.rrule.is_none() && m.rdates.is_empty() {
        return Ok((vec![m.start], false));
    }
    // Occurrences are looked for from a little before the window: as far back as the longest
    // event could reach into it (at most MAX_EVENT_DAYS, checked when the event was read).
    let length = m
        .end_for(&m.start)
        .map(|e| e.instant(None) - m.start.instant(None))
        .unwrap_or_else(Duration::zero)
        .max(Duration::days(1));
    let from = ctx
        .lo
        .checked_sub_signed(length + Duration::days(1))
        .unwrap_or(ctx.lo);
    let to = ctx
        .hi
        .checked_add_signed(Duration::days(1))
        .unwrap_or(ctx.hi);
    let in_range = |v: &DateVal| {
        let at = v.instant(None);
        at >= from && at < to
    };

    let mut starts: Vec<DateVal> = Vec::new();
    let mut seen: HashSet<NaiveDateTime> = HashSet::new();
    let mut touching = 0usize;
    let mut capped = false;
    // Keeps an occurrence in range; false once MAX_SERIES_OCCURRENCES of them touch the window.
    let mut push = |v: DateVal, starts: &mut Vec<DateVal>| {
        if touching >= MAX_SERIES_OCCURRENCES {
            capped = true;
            return false;
        }
        if in_range(&v) && seen.insert(v.naive()) {
            if ctx.touches(&v, m.end_for(&v).as_ref()) {
                touching += 1;
            }
            starts.push(v);
        }
        true
    };

    let mut include_dtstart = true;
    if let Some(rule) = &m.rrule {
        // RFC 5545's RRULE grammar is ASCII, and `rrule` 0.14 slices BYDAY values by bytes
        // (a multi-byte character at the end of `BYDAY=…` panicked; found by fuzzing).
        if !rule.is_ascii() {
            return Err(format!("bad RRULE {rule:?}: not ASCII"));
        }
        let (rule_text, until) = split_until(rule);
        let rtz: rrule::Tz = match m.start {
            DateVal::Zoned(_, tz) => tz.into(),
            _ => rrule::Tz::UTC,
        };
        // All-day, floating and UTC series are expanded on a UTC clock: no DST to apply.
        let dtstart = match m.start {
            DateVal::Zoned(n, tz) => zoned_to_utc(n, tz).with_timezone(&rtz),
            other => rtz.from_utc_datetime(&other.naive()),
        };
        let mut rrule: RRule<Unvalidated> = rule_text
            .parse()
            .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
        let mut until_at = None;
        if let Some(until) = until {
            let until = until_instant(until, &m.start).ok_or(format!("bad UNTIL in {rule:?}"))?;
            if until < dtstart.with_timezone(&Utc) {
                // Google writes this when "this and following" moves a whole series: the old
                // master has no occurrence left, not even DTSTART.
                include_dtstart = false;
            } else {
                until_at = Some(until);
                rrule = rrule.until(until.with_timezone(&rrule::Tz::UTC));
            }
        }
        // Expansion starts at the last whole period of the rule before the window when that
        // gives the same occurrences (see `jump_start`), else at DTSTART.
        let start_naive = dtstart.naive_local();
        let expansion_start = ctx
            .jump
            .then(|| jump_start(&rrule, start_naive, from.naive_utc()))
            .flatten()
            .and_then(|n| match m.start {
                DateVal::Zoned(_, tz) => match tz.from_local_datetime(&n) {
                    LocalResult::Single(t) => Some(t.with_timezone(&rtz)),
                    _ => None,
                },
                _ => Some(rtz.from_utc_datetime(&n)),
            })
            .unwrap_or(dtstart);
        let end_at = match until_at {
            Some(u) if u < to => u,
            _ => to,
        };
        let rule_ends_before = until_at.is_some_and(|u| u < expansion_start.with_timezone(&Utc));
        if include_dtstart && !rule_ends_before {
            let steps = rule_steps(&rrule, expansion_start.with_timezone(&Utc), end_at);
            if steps > MAX_RULE_STEPS {
                return Err(format!(
                    "RRULE {rule:?} would take {steps} steps to cover the window (more than {MAX_RULE_STEPS})"
                ));
            }
            if steps > budget.steps {
                return Err(format!(
                    "RRULE {rule:?} not expanded: the feed's rules together would take more than {MAX_FEED_STEPS} steps"
                ));
            }
            budget.steps -= steps;
            let rrule = rrule
                .validate(expansion_start)
                .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
            let set = RRuleSet::new(expansion_start).rrule(rrule).limit();
            for (n, dt) in (&set).into_iter().enumerate() {
                if n >= MAX_RULE_OCCURRENCES {
                    return Err(format!(
                        "RRULE {rule:?} yields more than {MAX_RULE_OCCURRENCES} occurrences before the window"
                    ));
                }
                let at = dt.with_timezone(&Utc);
                if at >= to {
                    break;
                }
                let v = match m.start {
                    DateVal::Zoned(_, tz) => {
                        DateVal::Zoned(at.with_timezone(&tz).naive_local(), tz)
                    }
                    other => other.with_naive(dt.naive_local()),
                };
                if !push(v, &mut starts) {
                    break;
                }
            }
        }
    }
    // RFC 5545 §3.8.5.3: DTSTART is the first occurrence even when the rule does not match it.
    if include_dtstart {
        push(m.start, &mut starts);
    }
    for r in &m.rdates {
        if !push(r.to_form_of(&m.start), &mut starts) {
            break;
        }
    }
    if capped {
        warnings.push(format!(
            "{}: more than {MAX_SERIES_OCCURRENCES} occurrences in the window, only the first {MAX_SERIES_OCCURRENCES} kept",
            m.name()
        ));
    }
    starts.sort_by_key(|v| v.instant(None));
    Ok((starts, true))
}

/// The repeat of a rule's pattern: a fixed length of wall-clock time, or whole months.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Period {
    Seconds(i64),
    Months(u32),
}

/// The shortest span of wall-clock time after which a rule without COUNT repeats exactly
/// (the same occurrences, shifted), for the shapes Google and others write: SECONDLY to
/// WEEKLY with INTERVAL and BYDAY/BYHOUR/BYMINUTE/BYSECOND (repeating every INTERVAL × FREQ,
/// and every whole week when BYDAY is there), MONTHLY with BYDAY/BYMONTHDAY/BYMONTH (every
/// INTERVAL months) and YEARLY (every INTERVAL years). `None` where the pattern depends on
/// something else (BYSETPOS, BYWEEKNO, BYYEARDAY, a month filter on a sub-monthly rule) or
/// on the count of earlier occurrences (COUNT).
fn repeat_period(r: &RRule<Unvalidated>) -> Option<Period> {
    use rrule::Frequency as F;
    if r.get_count().is_some()
        || !r.get_by_set_pos().is_empty()
        || !r.get_by_year_day().is_empty()
        || !r.get_by_week_no().is_empty()
    {
        return None;
    }
    let interval = i64::from(r.get_interval());
    let interval_u = u32::from(r.get_interval());
    if interval == 0 {
        return None;
    }
    const DAY: i64 = 86_400;
    let month_filter = !r.get_by_month().is_empty() || !r.get_by_month_day().is_empty();
    let base = if r.get_by_weekday().is_empty() {
        DAY
    } else {
        7 * DAY
    };
    let step = match r.get_freq() {
        F::Yearly => return Some(Period::Months(12 * interval_u)),
        F::Monthly => return Some(Period::Months(interval_u)),
        _ if month_filter => return None,
        F::Weekly => return Some(Period::Seconds(interval * 7 * DAY)),
        F::Daily => interval * DAY,
        F::Hourly => interval * 3_600,
        F::Minutely => interval * 60,
        F::Secondly => interval,
    };
    Some(Period::Seconds(lcm(step, base)))
}

fn lcm(a: i64, b: i64) -> i64 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    a / gcd(a, b) * b
}

/// Where to start expanding a rule whose DTSTART (wall clock `start`) is long before `from`:
/// `start` moved forward by whole [`repeat_period`]s to at most a day before `from` (a day:
/// more than any UTC offset), so that the cost of expansion does not grow with the age of the
/// series. Only rules without COUNT qualify (a COUNT is counted from the real DTSTART); the
/// caller adds DTSTART itself. `None` when no move is needed or none is exact (the moved
/// start must be the same day of the month, and a wall-clock time that exists once in the
/// series' zone: the caller checks the latter).
fn jump_start(
    r: &RRule<Unvalidated>,
    start: NaiveDateTime,
    from: NaiveDateTime,
) -> Option<NaiveDateTime> {
    let period = repeat_period(r)?;
    let limit = from.checked_sub_signed(Duration::days(1))?;
    if limit <= start {
        return None;
    }
    // A few earlier periods are tried when the first lands on a day the month lacks (31 May →
    // 31 June), or in a DST gap (checked by the caller, which then starts at DTSTART).
    let candidates: Vec<NaiveDateTime> = match period {
        Period::Seconds(p) => {
            let k = (limit - start).num_seconds() / p;
            (0..3)
                .filter_map(|back| {
                    let n = k - back;
                    (n > 0).then(|| {
                        start.checked_add_signed(Duration::try_seconds(n.checked_mul(p)?)?)
                    })?
                })
                .collect()
        }
        Period::Months(p) => {
            let months = |d: NaiveDateTime| i64::from(d.year()) * 12 + i64::from(d.month0());
            // One month less than the difference: the day of the month may be later in
            // `start`'s month than in `limit`'s.
            let k = (months(limit) - months(start) - 1) / i64::from(p);
            (0..12)
                .filter_map(|back| {
                    let n = u32::try_from(k - back).ok().filter(|n| *n > 0)?;
                    let moved = start.checked_add_months(chrono::Months::new(n.checked_mul(p)?))?;
                    (moved.day() == start.day()).then_some(moved)
                })
                .collect()
        }
    };
    candidates.into_iter().find(|c| *c <= limit && *c > start)
}

/// How long the `rrule` crate's iterator searches without finding an occurrence before it
/// gives up (its `MAX_ITER_LOOP`, in steps).
const RRULE_EMPTY_SEARCH: u64 = 100_000;

/// How many periods of its FREQ × INTERVAL a rule steps through from `start` to `end` (the
/// rrule iterator's work: one step per period, whether or not it yields an occurrence). With
/// COUNT and no BY* part every step yields one, so COUNT bounds it too. A rule whose BY* parts
/// can leave periods empty ([`may_search_long`]) may also search [`RRULE_EMPTY_SEARCH`] steps
/// past the last occurrence it finds: that is counted too.
fn rule_steps(r: &RRule<Unvalidated>, start: DateTime<Utc>, end: DateTime<Utc>) -> u64 {
    rule_span_steps(r, start, end).saturating_add(if may_search_long(r) {
        RRULE_EMPTY_SEARCH
    } else {
        0
    })
}

/// Whether a rule's BY* parts can leave long runs of its periods without an occurrence (and
/// its iterator searching through them): a day-level filter on a sub-daily or daily rule
/// (`FREQ=MINUTELY;BYMONTH=2`), an hour filter on a minutely one, a month filter, BYSETPOS,
/// BYYEARDAY, BYWEEKNO, or a day of the month that some months lack. Not the shapes calendars
/// write (`WEEKLY;BYDAY=MO,WE`, `MONTHLY;BYDAY=-1TU`, `MONTHLY;BYMONTHDAY=15`), and not
/// YEARLY rules, whose search ends at year 9999 after a few thousand steps.
fn may_search_long(r: &RRule<Unvalidated>) -> bool {
    use rrule::Frequency as F;
    let freq = r.get_freq();
    if freq == F::Yearly {
        return false;
    }
    let rare_month_day = r.get_by_month_day().iter().any(|d| d.unsigned_abs() > 28);
    let rare_weekday = r
        .get_by_weekday()
        .iter()
        .any(|d| matches!(d, rrule::NWeekday::Nth(n, _) if n.unsigned_abs() > 4));
    let general = !r.get_by_month().is_empty()
        || !r.get_by_set_pos().is_empty()
        || !r.get_by_year_day().is_empty()
        || !r.get_by_week_no().is_empty()
        || rare_month_day
        || rare_weekday;
    let day_filter = !r.get_by_month_day().is_empty() || !r.get_by_weekday().is_empty();
    general
        || match freq {
            F::Secondly => {
                day_filter
                    || !r.get_by_hour().is_empty()
                    || !r.get_by_minute().is_empty()
                    || !r.get_by_second().is_empty()
            }
            F::Minutely => {
                day_filter || !r.get_by_hour().is_empty() || !r.get_by_minute().is_empty()
            }
            F::Hourly => day_filter || !r.get_by_hour().is_empty(),
            F::Daily => day_filter,
            F::Weekly | F::Monthly | F::Yearly => false,
        }
}

fn rule_span_steps(r: &RRule<Unvalidated>, start: DateTime<Utc>, end: DateTime<Utc>) -> u64 {
    use rrule::Frequency as F;
    let unit: i64 = match r.get_freq() {
        F::Secondly => 1,
        F::Minutely => 60,
        F::Hourly => 3_600,
        F::Daily => 86_400,
        F::Weekly => 7 * 86_400,
        F::Monthly => 28 * 86_400,
        F::Yearly => 365 * 86_400,
    };
    let step = unit * i64::from(r.get_interval().max(1));
    let span = (end - start).num_seconds().max(0);
    let steps = u64::try_from(span / step + 1).unwrap_or(u64::MAX);
    let no_filters = r.get_by_month().is_empty()
        && r.get_by_month_day().is_empty()
        && r.get_by_weekday().is_empty()
        && r.get_by_hour().is_empty()
        && r.get_by_minute().is_empty()
        && r.get_by_second().is_empty()
        && r.get_by_set_pos().is_empty()
        && r.get_by_year_day().is_empty()
        && r.get_by_week_no().is_empty();
    match r.get_count() {
        Some(count) if no_filters => steps.min(u64::from(count)),
        _ => steps,
    }
}

/// The RRULE without its UNTIL part, and the UNTIL value.
fn split_until(rule: &str) -> (String, Option<&str>) {
    let mut until = None;
    let mut parts = Vec::new();
    for part in rule.split(';').filter(|p| !p.trim().is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("UNTIL") => until = Some(v.trim()),
            _ => parts.push(part),
        }
    }
    (parts.join(";"), until)
}

/// UNTIL as an instant on the series' clock (UTC for zoned series, the UTC stand-in clock for
/// all-day and floating ones). A DATE UNTIL on a DATE-TIME series (invalid, but written by
/// some producers) includes the whole of that local day.
fn until_instant(until: &str, start: &DateVal) -> Option<DateTime<Utc>> {
    let tz = match start {
        DateVal::Zoned(_, tz) => Some(*tz),
        _ => None,
    };
    let on_series_clock = |n: NaiveDateTime| match tz {
        Some(tz) => zoned_to_utc(n, tz),
        None => n.and_utc(),
    };
    if until.len() == 8 {
        let d = parse_date(until)?;
        return Some(match start {
            DateVal::Date(_) => d.and_time(NaiveTime::MIN).and_utc(),
            _ => on_series_clock(d.and_hms_opt(23, 59, 59)?),
        });
    }
    if let Some(utc) = until.strip_suffix(['Z', 'z']) {
        let n = parse_naive(utc)?;
        return Some(match start {
            // All-day and floating series compare the wall-clock value.
            DateVal::Date(_) => n.date().and_time(NaiveTime::MIN).and_utc(),
            _ => n.and_utc(),
        });
    }
    let n = parse_naive(until)?;
    Some(match start {
        DateVal::Date(_) => n.date().and_time(NaiveTime::MIN).and_utc(),
        _ => on_series_clock(n),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-level unfolding, as first written (one byte at a time): the reference the
    /// faster `decode` must agree with.
    fn decode_reference(bytes: &[u8]) -> String {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let fold = match &bytes[i..] {
                [b'\r', b'\n', b' ' | b'\t', ..] => 3,
                [b'\n', b' ' | b'\t', ..] => 2,
                _ => 0,
            };
            if fold > 0 {
                i += fold;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn decode_unfolds_as_the_byte_by_byte_reference() {
        const ALPHABET: &[u8] = b"\r\n \ta:\xC3\xBC";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        for case in 0..20_000 {
            let len = case % 40;
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    ALPHABET[(state % ALPHABET.len() as u64) as usize]
                })
                .collect();
            assert_eq!(decode(&bytes), decode_reference(&bytes), "{bytes:?}");
        }
    }
    use pretty_assertions::assert_eq;

    /// Google's header, in Google's order, then one VTIMEZONE per zone used (not the
    /// X-WR-TIMEZONE one first).
    const HEADER: &str = "BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:Rust Community
X-WR-TIMEZONE:America/Chicago
X-WR-CALDESC:
BEGIN:VTIMEZONE
TZID:Europe/Berlin
X-LIC-LOCATION:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE
BEGIN:VTIMEZONE
TZID:America/Chicago
X-LIC-LOCATION:America/Chicago
BEGIN:DAYLIGHT
TZOFFSETFROM:-0600
TZOFFSETTO:-0500
TZNAME:CDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0500
TZOFFSETTO:-0600
TZNAME:CST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
";

    /// A Google feed with these VEVENTs: lines folded at 75 octets (never inside a UTF-8
    /// sequence, as Google does), CRLF line ends.
    fn feed(events: &[&str]) -> String {
        let mut doc = HEADER.to_string();
        for e in events {
            doc.push_str(e.trim_start_matches('\n'));
            if !doc.ends_with('\n') {
                doc.push('\n');
            }
        }
        doc.push_str("END:VCALENDAR\n");
        let mut out = String::new();
        for line in doc.lines() {
            let mut rest = line;
            let mut limit = 75;
            while rest.len() > limit {
                let mut cut = limit;
                while !rest.is_char_boundary(cut) {
                    cut -= 1;
                }
                out.push_str(&rest[..cut]);
                out.push_str("\r\n ");
                rest = &rest[cut..];
                limit = 74;
            }
            out.push_str(rest);
            out.push_str("\r\n");
        }
        out
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(s: &str) -> When {
        When::Utc(dt(s).and_utc())
    }

    fn run(ics: &str, from: &str, to: &str) -> Parsed {
        let window = Window {
            from: d(from),
            to: d(to),
        };
        parse(ics, "test.ics", "Rust Calendar", &window).expect("parses")
    }

    #[test]
    fn a_link_written_as_the_location_is_a_link() {
        let ics = feed(&["BEGIN:VEVENT
DTSTART:20230214T180000Z
DTEND:20230214T200000Z
DTSTAMP:20230201T090000Z
UID:aaaabbbbccccddddeeeeffffgg@google.com
CREATED:20230101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230101T100000Z
LOCATION:https://www.meetup.com/rust-berlin/events/291234567/
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Berlin meetup
TRANSP:OPAQUE
END:VEVENT"]);
        let p = run(&ics, "2023-02-01", "2023-03-01");
        assert_eq!(
            p.events[0].links,
            vec!["https://www.meetup.com/rust-berlin/events/291234567/".to_string()]
        );
    }

    fn starts(p: &Parsed) -> Vec<(String, When)> {
        p.events
            .iter()
            .map(|e| (e.uid.clone().unwrap_or_default(), e.start.clone()))
            .collect()
    }

    const CHI: Tz = chrono_tz::America::Chicago;
    const BER: Tz = chrono_tz::Europe::Berlin;

    const ONE_OFF: &str = r#"
BEGIN:VEVENT
DTSTART:20230201T010000Z
DTEND:20230201T030000Z
DTSTAMP:20230104T120000Z
UID:5u3vlpb0ikn1ttkd0h8ojq4h0c@google.com
CREATED:20221215T171500Z
DESCRIPTION:<b>Rust Dallas</b> social\, talks & more!<br>RSVP: <a href="https://www.google.com/url?q=https://www.meetup.com/dallasrust/events/290000001/&amp\;sa=D&amp\;source=calendar&amp\;usd=2&amp\;usg=AOvVaw3dQm2" target="_blank" id="ow864" __is_owner="true">https://www.meetup.com/dallasrust/events/290000001/</a><br>Slides: https://example.org/slides?utm_source=cal\; bring a laptop\\tablet\nThanks
LAST-MODIFIED:20230102T090000Z
LOCATION:Improving\, 5445 Legacy Dr\, Plano\, TX 75024\, USA
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY: Rust Dallas: Monthly Social 🦀 — Zürich-style fondue and a very long title that folds 
TRANSP:OPAQUE
X-GOOGLE-CONFERENCE:https://meet.google.com/abc-defg-hij
BEGIN:VALARM
ACTION:DISPLAY
DESCRIPTION:This is an event reminder
TRIGGER:-P0DT0H30M0S
END:VALARM
END:VEVENT
"#;

    #[test]
    fn one_off_in_utc_keeps_utc_and_reads_every_field() {
        let ics = feed(&[ONE_OFF]);
        assert!(ics.contains("\r\n "), "the fixture is folded");
        let p = run(&ics, "2023-02-01", "2023-03-01");
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(p.events.len(), 1);
        let e = &p.events[0];
        // 19:00 in Chicago on 31 January: the parser keeps the UTC instant, normalization
        // finds the local date.
        assert_eq!(e.start, utc("2023-02-01 01:00"));
        assert_eq!(e.end, Some(utc("2023-02-01 03:00")));
        assert_eq!(
            e.uid.as_deref(),
            Some("5u3vlpb0ikn1ttkd0h8ojq4h0c@google.com")
        );
        assert_eq!(e.source, "Rust Calendar");
        assert_eq!(
            e.title,
            "Rust Dallas: Monthly Social 🦀 — Zürich-style fondue and a very long title that folds"
        );
        assert_eq!(
            e.location.as_deref(),
            Some("Improving, 5445 Legacy Dr, Plano, TX 75024, USA")
        );
        let desc = e.description.as_deref().unwrap();
        assert!(desc.contains("social, talks & more!"), "{desc}");
        assert!(
            desc.contains("&amp;sa=D"),
            "HTML kept, iCal escapes removed: {desc}"
        );
        assert!(desc.ends_with("bring a laptop\\tablet\nThanks"), "{desc}");
        assert_eq!(
            e.links,
            vec![
                "https://www.meetup.com/dallasrust/events/290000001/".to_string(),
                "https://example.org/slides".to_string()
            ]
        );
        assert_eq!(e.url, None);
        assert_eq!(
            e.conference.as_deref(),
            Some("https://meet.google.com/abc-defg-hij")
        );
        assert_eq!(e.status, Status::Confirmed);
        assert_eq!(e.default_tz, Some(CHI));
        assert_eq!(e.organizer, None);
    }

    #[test]
    fn lf_line_ends_read_the_same() {
        let crlf = feed(&[ONE_OFF]);
        let lf = crlf.replace("\r\n", "\n");
        assert_eq!(
            run(&crlf, "2023-02-01", "2023-03-01"),
            run(&lf, "2023-02-01", "2023-03-01")
        );
    }

    /// Last Tuesday of the month at 18:00 in Chicago, April deleted (EXDATE), March moved to
    /// Wednesday 19:00 by an override that comes before its master in the file.
    const LAST_TUESDAY: [&str; 2] = [
        r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230329T190000
DTEND;TZID=America/Chicago:20230329T210000
DTSTAMP:20230104T120000Z
UID:0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com
RECURRENCE-ID;TZID=America/Chicago:20230328T180000
CREATED:20221101T100000Z
DESCRIPTION:Moved to Wednesday this month.
LAST-MODIFIED:20230301T100000Z
LOCATION:Chicago\, IL
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Chicago Rust Meetup
TRANSP:OPAQUE
END:VEVENT
"#,
        r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230131T180000
DTEND;TZID=America/Chicago:20230131T200000
RRULE:FREQ=MONTHLY;BYDAY=-1TU
EXDATE;TZID=America/Chicago:20230425T180000
DTSTAMP:20230104T120000Z
UID:0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230301T100000Z
LOCATION:Chicago\, IL
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Chicago Rust Meetup
TRANSP:OPAQUE
END:VEVENT
"#,
    ];

    #[test]
    fn monthly_last_tuesday_with_exdate_and_early_override() {
        let p = run(&feed(&LAST_TUESDAY), "2023-02-01", "2023-06-30");
        assert_eq!(p.warnings, Vec::<String>::new());
        let uid = "0h7iu3vd2n5l1qv8o8a4q1ke8s@google.com";
        assert_eq!(
            starts(&p),
            vec![
                // 31 January 18:00 CST is 1 February 00:00 UTC: inside the margin.
                (
                    format!("{uid}@2023-02-01T00:00:00Z"),
                    When::Zoned(dt("2023-01-31 18:00"), CHI)
                ),
                (
                    format!("{uid}@2023-03-01T00:00:00Z"),
                    When::Zoned(dt("2023-02-28 18:00"), CHI)
                ),
                // The override keeps the identity of the instance it replaces (after the US
                // DST change: 18:00 CDT is 23:00 UTC).
                (
                    format!("{uid}@2023-03-28T23:00:00Z"),
                    When::Zoned(dt("2023-03-29 19:00"), CHI)
                ),
                (
                    format!("{uid}@2023-05-30T23:00:00Z"),
                    When::Zoned(dt("2023-05-30 18:00"), CHI)
                ),
                (
                    format!("{uid}@2023-06-27T23:00:00Z"),
                    When::Zoned(dt("2023-06-27 18:00"), CHI)
                ),
            ]
        );
        let moved = &p.events[2];
        assert_eq!(moved.end, Some(When::Zoned(dt("2023-03-29 21:00"), CHI)));
        assert_eq!(
            moved.description.as_deref(),
            Some("Moved to Wednesday this month.")
        );
        assert_eq!(
            p.events[0].end,
            Some(When::Zoned(dt("2023-01-31 20:00"), CHI))
        );
        assert_eq!(p.events[0].description, None, "empty DESCRIPTION is None");
    }

    #[test]
    fn cancelled_override_and_cancelled_event_are_dropped() {
        let series = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230110T190000
DTEND;TZID=Europe/Berlin:20230110T210000
RRULE:FREQ=MONTHLY;BYDAY=2TU
DTSTAMP:20230104T120000Z
UID:3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Berlin
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Berlin Talks
TRANSP:OPAQUE
END:VEVENT
"#;
        let cancelled = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230214T190000
DTEND;TZID=Europe/Berlin:20230214T210000
DTSTAMP:20230104T120000Z
UID:3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com
RECURRENCE-ID;TZID=Europe/Berlin:20230214T190000
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Berlin
SEQUENCE:1
STATUS:CANCELLED
SUMMARY:Rust Berlin Talks
TRANSP:OPAQUE
END:VEVENT
"#;
        let cancelled_one_off = r#"
BEGIN:VEVENT
DTSTART:20230220T170000Z
DTEND:20230220T190000Z
DTSTAMP:20230104T120000Z
UID:7a2c4e6g8i0k2m4o6q8s0u2w4y@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:2
STATUS:CANCELLED
SUMMARY:Cancelled one-off
TRANSP:OPAQUE
END:VEVENT
"#;
        let p = run(
            &feed(&[series, cancelled, cancelled_one_off]),
            "2023-02-01",
            "2023-03-20",
        );
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(
            starts(&p),
            vec![(
                "3k9d0c7qj5m2h1b4r6t8v0x2z4@google.com@2023-03-14T18:00:00Z".to_string(),
                When::Zoned(dt("2023-03-14 19:00"), BER)
            )]
        );
    }

    #[test]
    fn weekly_two_days_across_dst_keeps_wall_clock() {
        let ev = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20230314T190000
DTEND;TZID=Europe/Berlin:20230314T200000
RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=TU,TH
DTSTAMP:20230104T120000Z
UID:1b3d5f7h9j1l3n5p7r9t1v3x5z@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Study Group
TRANSP:OPAQUE
END:VEVENT
"#;
        let p = run(&feed(&[ev]), "2023-03-01", "2023-04-30");
        let got: Vec<(String, String)> = p
            .events
            .iter()
            .map(|e| {
                let When::Zoned(n, tz) = e.start else {
                    panic!("zoned start expected: {:?}", e.start)
                };
                assert_eq!(tz, BER);
                let suffix = e
                    .uid
                    .as_deref()
                    .unwrap()
                    .rsplit_once('@')
                    .unwrap()
                    .1
                    .to_string();
                (n.format("%m-%d %H:%M").to_string(), suffix)
            })
            .collect();
        let want = [
            ("03-14 19:00", "2023-03-14T18:00:00Z"),
            ("03-16 19:00", "2023-03-16T18:00:00Z"),
            ("03-21 19:00", "2023-03-21T18:00:00Z"),
            ("03-23 19:00", "2023-03-23T18:00:00Z"),
            // Summer time from 26 March: same wall clock, an hour earlier in UTC.
            ("03-28 19:00", "2023-03-28T17:00:00Z"),
            ("03-30 19:00", "2023-03-30T17:00:00Z"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn interval_until_rdate_and_multi_value_exdate() {
        let ev = r#"
BEGIN:VEVENT
DTSTART:20230201T170000Z
DTEND:20230201T180000Z
RRULE:FREQ=WEEKLY;WKST=SU;UNTIL=20230412T170000Z;INTERVAL=2;BYDAY=WE
EXDATE:20230301T170000Z,20230315T170000Z
RDATE:20230305T120000Z
DTSTAMP:20230104T120000Z
UID:9z8y7x6w5v4u3t2s1r0q9p8o7n@google.com
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:Online
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Virtual Rust Office Hours
TRANSP:OPAQUE
END:VEVENT
"#;
        let p = run(&feed(&[ev]), "2023-01-01", "2023-06-30");
        let got: Vec<When> = p.events.iter().map(|e| e.start.clone()).collect();
        assert_eq!(
            got,
            vec![
                utc("2023-02-01 17:00"),
                utc("2023-02-15 17:00"),
                utc("2023-03-05 12:00"),
                utc("2023-03-29 17:00"),
                // UNTIL is inclusive.
                utc("2023-04-12 17:00"),
            ]
        );
        assert_eq!(p.events[2].end, Some(utc("2023-03-05 13:00")));
        assert_eq!(p.events[2].location.as_deref(), Some("Online"));
    }

    #[test]
    fn all_day_multi_day_event_keeps_exclusive_end() {
        let ev = r#"
BEGIN:VEVENT
DTSTART;VALUE=DATE:20230214
DTEND;VALUE=DATE:20230217
DTSTAMP:20230104T120000Z
UID:4c6e8g0i2k4m6o8q0s2u4w6y8a@google.com
CREATED:20221101T100000Z
DESCRIPTION:https://rustnationuk.com/
LAST-MODIFIED:20230201T100000Z
LOCATION:The Brewery\, London\, UK
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Rust Nation UK
TRANSP:TRANSPARENT
END:VEVENT
"#;
        let ics = feed(&[ev]);
        let p = run(&ics, "2023-02-01", "2023-03-01");
        assert_eq!(p.events.len(), 1);
        assert_eq!(p.events[0].start, When::Date(d("2023-02-14")));
        assert_eq!(p.events[0].end, Some(When::Date(d("2023-02-17"))));
        assert_eq!(
            p.events[0].links,
            vec!["https://rustnationuk.com/".to_string()]
        );
        // Overlap with the widened window: ends (exclusive) 17 Feb, so a window starting 19
        // Feb (margin back to 17 Feb 00:00) does not include it, one starting 18 Feb does.
        assert!(run(&ics, "2023-02-19", "2023-03-01").events.is_empty());
        assert_eq!(run(&ics, "2023-02-18", "2023-03-01").events.len(), 1);
        assert_eq!(run(&ics, "2023-02-01", "2023-02-11").events.len(), 0);
        assert_eq!(run(&ics, "2023-02-01", "2023-02-12").events.len(), 1);
    }

    #[test]
    fn this_and_following_split_series_without_duplicates() {
        // As in the real 2016 export: the old master stops just before the new one starts.
        let old = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160312T120000
DTEND;TZID=Europe/London:20160312T170000
RRULE:FREQ=WEEKLY;UNTIL=20160514T105959Z;BYDAY=SA
DTSTAMP:20160428T143024Z
UID:o4h6rnctnhes5sh4f27kmrruvs@google.com
CREATED:20160307T115940Z
DESCRIPTION:
LAST-MODIFIED:20160422T105928Z
LOCATION:Powerhouse Library
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Powerhouse Library
TRANSP:OPAQUE
END:VEVENT
"#;
        let new = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160514T120000
DTEND;TZID=Europe/London:20160514T170000
RRULE:FREQ=WEEKLY;BYDAY=SA
DTSTAMP:20160428T143024Z
UID:o4h6rnctnhes5sh4f27kmrruvs_R20160514T110000@google.com
CREATED:20160307T115940Z
DESCRIPTION:
LAST-MODIFIED:20160422T105928Z
LOCATION:Powerhouse Library
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Powerhouse Library
TRANSP:OPAQUE
END:VEVENT
"#;
        // A split made at the very first instance: the old master's UNTIL is before its own
        // DTSTART, so it has no occurrence left at all.
        let old_empty = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160211T190000
DTEND;TZID=Europe/London:20160211T210000
RRULE:FREQ=MONTHLY;UNTIL=20160211T185959Z;BYDAY=2TH
DTSTAMP:20160428T143024Z
UID:37orv3fgcb6h2p7bj8gsipcc6o@google.com
CREATED:20160205T155242Z
DESCRIPTION:
LAST-MODIFIED:20160307T123234Z
LOCATION:Z-arts
SEQUENCE:0
STATUS:CONFIRMED
SUMMARY:Hulme History Group Meet up
TRANSP:OPAQUE
END:VEVENT
"#;
        let new_from_start = r#"
BEGIN:VEVENT
DTSTART;TZID=Europe/London:20160211T190000
DTEND;TZID=Europe/London:20160211T210000
RRULE:FREQ=MONTHLY;BYDAY=2TH
DTSTAMP:20160428T143024Z
UID:37orv3fgcb6h2p7bj8gsipcc6o_R20160211T190000@google.com
CREATED:20160205T155242Z
DESCRIPTION:
LAST-MODIFIED:20160307T123234Z
LOCATION:Z-arts
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Hulme History Group Meet up
TRANSP:OPAQUE
END:VEVENT
"#;
        let ldn = chrono_tz::Europe::London;
        let p = run(
            &feed(&[new, old, old_empty, new_from_start]),
            "2016-05-01",
            "2016-05-31",
        );
        let got = starts(&p);
        let old_uid = "o4h6rnctnhes5sh4f27kmrruvs@google.com";
        let new_uid = "o4h6rnctnhes5sh4f27kmrruvs_R20160514T110000@google.com";
        let hulme = "37orv3fgcb6h2p7bj8gsipcc6o_R20160211T190000@google.com";
        assert_eq!(
            got,
            vec![
                (
                    format!("{old_uid}@2016-04-30T11:00:00Z"),
                    When::Zoned(dt("2016-04-30 12:00"), ldn)
                ),
                (
                    format!("{old_uid}@2016-05-07T11:00:00Z"),
                    When::Zoned(dt("2016-05-07 12:00"), ldn)
                ),
                (
                    format!("{hulme}@2016-05-12T18:00:00Z"),
                    When::Zoned(dt("2016-05-12 19:00"), ldn)
                ),
                (
                    format!("{new_uid}@2016-05-14T11:00:00Z"),
                    When::Zoned(dt("2016-05-14 12:00"), ldn)
                ),
                (
                    format!("{new_uid}@2016-05-21T11:00:00Z"),
                    When::Zoned(dt("2016-05-21 12:00"), ldn)
                ),
                (
                    format!("{new_uid}@2016-05-28T11:00:00Z"),
                    When::Zoned(dt("2016-05-28 12:00"), ldn)
                ),
            ]
        );
        let p = run(
            &feed(&[old_empty, new_from_start]),
            "2016-02-01",
            "2016-02-29",
        );
        assert_eq!(p.events.len(), 1, "{:?}", starts(&p));
    }

    #[test]
    fn override_without_master_is_a_one_off() {
        let ev = r#"
BEGIN:VEVENT
DTSTART;TZID=America/Chicago:20230216T183000
DTEND;TZID=America/Chicago:20230216T203000
DTSTAMP:20230104T120000Z
UID:6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com
RECURRENCE-ID;TZID=America/Chicago:20230216T180000
CREATED:20221101T100000Z
DESCRIPTION:
LAST-MODIFIED:20230201T100000Z
LOCATION:
SEQUENCE:1
STATUS:CONFIRMED
SUMMARY:Orphan instance
TRANSP:OPAQUE
END:VEVENT
"#;
        let p = run(&feed(&[ev]), "2023-02-01", "2023-03-01");
        assert_eq!(
            starts(&p),
            vec![(
                "6m8o0q2s4u6w8y0a2c4e6g8i0k@google.com@2023-02-17T00:00:00Z".to_string(),
                When::Zoned(dt("2023-02-16 18:30"), CHI)
            )]
        );
    }

    #[test]
    fn duration_missing_end_floating_and_meetup_style_feed() {
        let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Meetup//RemoteApi//EN\nBEGIN:VEVENT\nDTSTART;TZID=Europe/Prague:20210906T183000\nDURATION:PT2H30M\nUID:event_280440185@meetup.com\nSUMMARY:Rust Prague\\, September\nURL:https://www.meetup.com/rust-prague/events/280440185/?utm_medium=ical\nGEO:50.08;14.43\nLOCATION:Paralelní Polis (Dělnická 43\\, Praha)\nSTATUS:TENTATIVE\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20210907T180000\nSUMMARY:Floating, no end\nUID:floating-1\nDESCRIPTION:See www.example.org/x\nEND:VEVENT\nEND:VCALENDAR\n";
        let p = run(ics, "2021-09-06", "2021-09-12");
        assert_eq!(p.warnings, Vec::<String>::new());
        assert_eq!(p.events.len(), 2);
        let prg = chrono_tz::Europe::Prague;
        let m = &p.events[0];
        assert_eq!(m.title, "Rust Prague, September");
        assert_eq!(m.start, When::Zoned(dt("2021-09-06 18:30"), prg));
        assert_eq!(m.end, Some(When::Zoned(dt("2021-09-06 21:00"), prg)));
        assert_eq!(
            m.url.as_deref(),
            Some("https://www.meetup.com/rust-prague/events/280440185/")
        );
        assert_eq!(m.links, vec![m.url.clone().unwrap()]);
        assert_eq!(m.status, Status::Tentative);
        assert_eq!(
            m.location.as_deref(),
            Some("Paralelní Polis (Dělnická 43, Praha)")
        );
        assert_eq!(m.default_tz, None);
        let f = &p.events[1];
        assert_eq!(f.start, When::Floating(dt("2021-09-07 18:00")));
        assert_eq!(f.end, None);
        assert_eq!(f.links, vec!["https://www.example.org/x".to_string()]);
    }

    #[test]
    fn odd_tzids_resolve_through_vtimezone_or_warn() {
        let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nX-LIC-LOCATION:Europe/Berlin\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=\"W. Europe Standard Time\":20230301T190000\r\nUID:a\r\nSUMMARY:Windows zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20230302T190000\r\nUID:b\r\nSUMMARY:Path zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus_Mons:20230303T190000\r\nUID:c\r\nSUMMARY:Unknown zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let p = run(ics, "2023-03-01", "2023-03-05");
        assert_eq!(
            starts(&p),
            vec![
                ("a".to_string(), When::Zoned(dt("2023-03-01 19:00"), BER)),
                ("b".to_string(), When::Zoned(dt("2023-03-02 19:00"), BER)),
                ("c".to_string(), When::Floating(dt("2023-03-03 19:00"))),
            ]
        );
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].contains("Mars/Olympus_Mons"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn bad_events_become_warnings_and_runaway_rules_stop() {
        let bad_date = r#"
BEGIN:VEVENT
DTSTART:2023-02-10
DTSTAMP:20230104T120000Z
UID:badbadbadbadbadbadbadbadba@google.com
SUMMARY:Broken date
END:VEVENT
"#;
        let bad_rule = r#"
BEGIN:VEVENT
DTSTART:20230210T180000Z
RRULE:FREQ=FORTNIGHTLY
DTSTAMP:20230104T120000Z
UID:rulerulerulerulerulerulexx@google.com
SUMMARY:Broken rule
END:VEVENT
"#;
        let runaway = r#"
BEGIN:VEVENT
DTSTART:20000101T000000Z
RRULE:FREQ=SECONDLY
DTSTAMP:20230104T120000Z
UID:runawayrunawayrunawayrunaw@google.com
SUMMARY:Every second
END:VEVENT
"#;
        let never = r#"
BEGIN:VEVENT
DTSTART:20230210T180000Z
RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30
DTSTAMP:20230104T120000Z
UID:nevernevernevernevernevern@google.com
SUMMARY:Thirtieth of February
END:VEVENT
"#;
        let started = std::time::Instant::now();
        let p = run(
            &feed(&[bad_date, ONE_OFF, bad_rule, runaway, never]),
            "2023-02-01",
            "2023-03-01",
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(20));
        // Only the good event and DTSTART of the impossible rule (RFC 5545: DTSTART is the
        // first occurrence).
        assert_eq!(p.events.len(), 2, "{:?}", starts(&p));
        assert_eq!(p.warnings.len(), 3, "{:?}", p.warnings);
        assert!(p.warnings[0].contains("badbadbadbadbadbadbadbadba@google.com"));
        assert!(p.warnings[0].contains("Broken date"));
        assert!(p.warnings[1].contains("Broken rule"));
        assert!(p.warnings[2].contains("Every second"));
    }

    #[test]
    fn a_non_ascii_rule_is_a_warning_not_a_panic() {
        // Found by the fuzzer: `rrule` sliced the last two bytes of a BYDAY value.
        let rule = "\nBEGIN:VEVENT\nDTSTART:20230210T180000Z\nRRULE:FREQ=WEEKLY;BYDAY=T\u{e9}\nDTSTAMP:20230104T120000Z\nUID:multibyte-rule@google.com\nSUMMARY:Odd rule\nEND:VEVENT\n";
        let p = run(&feed(&[ONE_OFF, rule]), "2023-02-01", "2023-03-01");
        assert_eq!(p.events.len(), 1, "{:?}", starts(&p));
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
        assert!(
            p.warnings[0].contains("Odd rule") && p.warnings[0].contains("not ASCII"),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn non_calendar_documents_are_errors() {
        let window = Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        };
        let err = parse("", "https://calendar.example/basic.ics", "x", &window).unwrap_err();
        assert_eq!(err.origin, "https://calendar.example/basic.ics");
        assert!(err.message.contains("empty"), "{}", err.message);
        let html = "<!DOCTYPE html><html><head><title>Error 404 (Not Found)!!1</title></head><body></body></html>";
        let err = parse(html, "u", "x", &window).unwrap_err();
        assert!(
            err.message.contains("HTML") && err.message.contains("404"),
            "{}",
            err.message
        );
        let err = parse("{\"error\":\"nope\"}", "u", "x", &window).unwrap_err();
        assert!(err.message.contains("not an iCalendar"), "{}", err.message);
        assert_eq!(err.to_string(), format!("u: {}", err.message));
        // A truncated download still yields what is complete, with a warning.
        let full = feed(&[ONE_OFF]);
        let cut = &full[..full.find("END:VCALENDAR").unwrap()];
        let p = parse(cut, "u", "x", &window).unwrap();
        assert_eq!(p.events.len(), 1);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    }

    #[test]
    fn decode_unfolds_inside_utf8_sequences() {
        // "Zürich 🦀" folded after the first byte of "ü" and in the middle of the crab.
        let mut bytes =
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20230210T180000Z\r\nUID:u\r\nSUMMARY:Z"
                .to_vec();
        let summary = "ürich 🦀".as_bytes();
        bytes.push(summary[0]);
        bytes.extend_from_slice(b"\r\n ");
        bytes.extend_from_slice(&summary[1..9]);
        bytes.extend_from_slice(b"\n\t");
        bytes.extend_from_slice(&summary[9..]);
        bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let text = decode(&bytes);
        let p = run(&text, "2023-02-01", "2023-03-01");
        assert_eq!(p.events[0].title, "Zürich 🦀");
        assert_eq!(decode(b"\xEF\xBB\xBFA\xFFB"), "A\u{fffd}B");
    }

    /// A bare calendar (UTC clock, no X-WR-TIMEZONE) with these VEVENT bodies.
    fn bare(events: &[String]) -> String {
        let mut doc = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n");
        for e in events {
            doc.push_str("BEGIN:VEVENT\r\n");
            doc.push_str(e);
            doc.push_str("END:VEVENT\r\n");
        }
        doc.push_str("END:VCALENDAR\r\n");
        doc
    }

    #[test]
    fn multi_byte_characters_where_keywords_end_do_not_panic() {
        // "UID:aé": byte 6 is inside "é"; "ENDé" and "BEGIé…" likewise for "END:" / "BEGIN:".
        let ics = bare(&[
            "UID:aé\r\nDTSTART:20230210T180000Z\r\nSUMMARY:é\r\nENDé\r\nBEGIé:x\r\n".to_string(),
        ]);
        let p = run(&ics, "2023-02-01", "2023-03-01");
        assert_eq!(
            starts(&p),
            vec![("aé".to_string(), utc("2023-02-10 18:00"))]
        );
        // Unicode lower-casing changes byte lengths ("İ" → "i̇"): the error message must not
        // slice at offsets of the lower-cased text.
        let window = Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        };
        let html = format!("<{}<title>Busy</title>", "İ".repeat(20));
        let err = parse(&html, "u", "x", &window).unwrap_err();
        assert!(err.message.contains("Busy"), "{}", err.message);
    }

    #[test]
    fn out_of_range_durations_and_dates_are_warnings_not_panics() {
        let ev = |uid: &str, lines: &str| {
            format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20230210T180000Z\r\n{lines}")
        };
        let ics = bare(&[
            ev("weeks", "DURATION:P99999999W\r\n"),
            ev("overflow", "DURATION:P99999999999999999W\r\n"),
            ev("sum", "DURATION:P10675199DT10675199D\r\n"),
            ev("far-end", "DTEND:99991231T000000Z\r\n"),
            "UID:signed-year\r\nSUMMARY:s\r\nDTSTART:+2620000101T000000Z\r\n".to_string(),
            "UID:repeat\r\nSUMMARY:r\r\nDTSTART:99991230T000000Z\r\nDURATION:P3D\r\nRRULE:FREQ=DAILY\r\n"
                .to_string(),
            ev("ok", "DURATION:PT2H\r\n"),
        ]);
        let p = run(&ics, "2023-02-01", "2023-03-01");
        let uids: Vec<String> = starts(&p).into_iter().map(|(u, _)| u).collect();
        assert_eq!(uids, ["ok"]);
        for uid in ["weeks", "overflow", "sum", "far-end", "signed-year"] {
            assert!(
                p.warnings
                    .iter()
                    .any(|w| w.contains(&format!("UID {uid} "))),
                "{uid}: {:?}",
                p.warnings
            );
        }
        // The end of time, as a window: no overflow either.
        let window = Window {
            from: NaiveDate::MAX,
            to: NaiveDate::MAX,
        };
        assert!(parse(&ics, "u", "x", &window).is_ok());
        let window = Window {
            from: NaiveDate::MIN,
            to: NaiveDate::MIN,
        };
        assert!(parse(&ics, "u", "x", &window).is_ok());
    }

    /// The shapes of rules whose expansion starts near the window, in every form of DTSTART,
    /// with windows across DST changes, month ends and leap days: the same occurrences as
    /// when expanding from DTSTART.
    #[test]
    fn starting_expansion_near_the_window_changes_nothing() {
        let rules = [
            "FREQ=DAILY",
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=DAILY;INTERVAL=5;BYDAY=MO,WE,FR",
            "FREQ=WEEKLY",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
            "FREQ=WEEKLY;INTERVAL=3;WKST=SU;BYDAY=SU,SA",
            "FREQ=MONTHLY",
            "FREQ=MONTHLY;BYDAY=-1TU",
            "FREQ=MONTHLY;INTERVAL=2;BYDAY=2WE",
            "FREQ=MONTHLY;BYMONTHDAY=31",
            "FREQ=MONTHLY;INTERVAL=5;BYMONTHDAY=-1,15",
            "FREQ=MONTHLY;BYDAY=1MO;BYMONTH=1,6,11",
            "FREQ=YEARLY",
            "FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYDAY=-1SU",
            "FREQ=HOURLY;INTERVAL=7",
            "FREQ=HOURLY;INTERVAL=5;BYDAY=MO",
            "FREQ=MINUTELY;INTERVAL=1439",
            "FREQ=DAILY;UNTIL=20230220T000000Z",
            "FREQ=WEEKLY;UNTIL=20221231T000000Z",
            // Not jumped (COUNT, BYSETPOS): must stay right as well.
            "FREQ=WEEKLY;COUNT=400;BYDAY=MO,TH",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
        ];
        let starts_at = [
            "DTSTART;TZID=Europe/Berlin:20150131T023000",
            "DTSTART;TZID=America/Chicago:20160229T190000",
            "DTSTART:20150531T220000Z",
            "DTSTART:20160229T120000",
            "DTSTART;VALUE=DATE:20150331",
        ];
        let windows = [
            ("2023-02-01", "2023-03-01"),
            ("2023-03-20", "2023-04-10"),
            ("2023-10-20", "2023-11-10"),
            ("2024-02-25", "2024-03-31"),
        ];
        let mut compared = 0;
        for rule in rules {
            for dtstart in starts_at {
                let body =
                    format!("UID:s\r\nSUMMARY:S\r\n{dtstart}\r\nDURATION:PT1H\r\nRRULE:{rule}\r\n");
                let ics = bare(&[body]);
                for (from, to) in windows {
                    let window = Window {
                        from: d(from),
                        to: d(to),
                    };
                    let jumped = parse_with(&ics, "u", "x", &window, true).unwrap();
                    let walked = parse_with(&ics, "u", "x", &window, false).unwrap();
                    assert_eq!(jumped.warnings, Vec::<String>::new(), "{rule} {dtstart}");
                    assert_eq!(jumped, walked, "{rule} / {dtstart} / {from}");
                    compared += jumped.events.len();
                }
            }
        }
        assert!(compared > 2_000, "{compared}");
        // And the expansion did start near the window.
        let jump = |rule: &str, start: &str| {
            jump_start(&rule.parse().unwrap(), dt(start), dt("2023-02-01 00:00"))
        };
        let moved = jump("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "2015-01-31 02:30").unwrap();
        assert!(
            moved > dt("2023-01-15 00:00") && moved <= dt("2023-01-31 00:00"),
            "{moved}"
        );
        assert_eq!(moved.time(), dt("2015-01-31 02:30").time());
        let moved = jump("FREQ=MONTHLY;BYMONTHDAY=31", "2015-01-31 19:00").unwrap();
        assert_eq!(moved, dt("2022-12-31 19:00"));
        let moved = jump("FREQ=YEARLY", "2016-02-29 19:00").unwrap();
        assert_eq!(moved, dt("2020-02-29 19:00"));
        assert_eq!(jump("FREQ=WEEKLY;COUNT=400", "2015-01-31 02:30"), None);
        assert_eq!(
            jump("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO", "2015-01-31 02:30"),
            None
        );
    }

    #[test]
    fn the_age_of_a_series_does_not_matter() {
        // Hourly since 1990: 315,000 occurrences before the window when walked from DTSTART
        // (more than MAX_RULE_OCCURRENCES); started near the window, just the window's.
        let ics = bare(&[
            "UID:h\r\nSUMMARY:H\r\nDTSTART;TZID=Europe/Berlin:19900101T000000\r\nRRULE:FREQ=HOURLY\r\n"
                .to_string(),
            "UID:d\r\nSUMMARY:D\r\nDTSTART;TZID=Europe/Berlin:19000105T190000\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,FR\r\n"
                .to_string(),
        ]);
        let p = run(&ics, "2026-01-07", "2026-02-04");
        assert_eq!(p.warnings, Vec::<String>::new());
        let hourly = p.events.iter().filter(|e| e.title == "H").count();
        // 29 days of the window and two of margin on each side, read in UTC (± an hour).
        assert!((32 * 24..=34 * 24).contains(&hourly), "{hourly}");
        let weekly: Vec<String> = p
            .events
            .iter()
            .filter(|e| e.title == "D")
            .map(|e| match &e.start {
                When::Zoned(n, _) => n.format("%a %d").to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(weekly.first().map(String::as_str), Some("Mon 05"));
        assert_eq!(weekly.len(), 10, "{weekly:?}");
    }

    #[test]
    fn runaway_rules_are_capped_or_refused_with_warnings() {
        let rule = |uid: &str, dtstart: &str, rule: &str| {
            format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:{dtstart}\r\nRRULE:{rule}\r\n")
        };
        let ics = bare(&[
            rule(
                "minutely",
                "20260101T000000Z",
                "FREQ=MINUTELY;UNTIL=99991231T000000Z",
            ),
            rule(
                "count",
                "20260101T000000Z",
                "FREQ=MINUTELY;COUNT=2000000000",
            ),
            rule("secondly", "19900101T000000Z", "FREQ=SECONDLY"),
            rule(
                "sparse-seconds",
                "20260101T000000Z",
                "FREQ=SECONDLY;BYHOUR=3;BYMINUTE=0;BYSECOND=0",
            ),
            rule("weekly", "20260101T190000Z", "FREQ=WEEKLY"),
        ]);
        let p = run(&ics, "2026-01-07", "2026-02-04");
        let count = |uid: &str| {
            p.events
                .iter()
                .filter(|e| {
                    e.uid
                        .as_deref()
                        .is_some_and(|u| u.starts_with(&format!("{uid}@")))
                })
                .count()
        };
        assert_eq!(count("minutely"), MAX_SERIES_OCCURRENCES);
        assert_eq!(count("count"), MAX_SERIES_OCCURRENCES);
        assert_eq!(count("secondly"), 0);
        assert_eq!(count("sparse-seconds"), 0);
        assert_eq!(count("weekly"), 5);
        let warned = |uid: &str, what: &str| {
            assert!(
                p.warnings
                    .iter()
                    .any(|w| w.contains(&format!("UID {uid} ")) && w.contains(what)),
                "{uid}: {:?}",
                p.warnings
            )
        };
        warned("minutely", "only the first 2000 kept");
        warned("count", "only the first 2000 kept");
        warned("secondly", "steps");
        warned("sparse-seconds", "steps");
        assert_eq!(p.warnings.len(), 4, "{:?}", p.warnings);
    }

    #[test]
    fn a_feed_of_runaway_rules_is_bounded_as_a_whole() {
        let many: Vec<String> = (0..12)
            .map(|i| {
                format!(
                    "UID:m{i}\r\nSUMMARY:M\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY\r\n"
                )
            })
            .collect();
        let p = run(&bare(&many), "2026-01-07", "2026-02-04");
        assert_eq!(p.events.len(), MAX_FEED_OCCURRENCES);
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains("the rest (from event UID m10 ")),
            "{:?}",
            p.warnings
        );
        // Long texts: a bound on bytes, not only on events.
        let text = "x".repeat(1 << 20);
        let ics = bare(&[format!(
            "UID:big\r\nSUMMARY:B\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=HOURLY\r\nDESCRIPTION:{text}\r\n"
        )]);
        let p = run(&ics, "2026-01-07", "2026-02-04");
        assert_eq!(
            p.events.len(),
            MAX_FEED_TEXT_BYTES / (2 * (1 << 20) + 256 + 2 * 4)
        );
        assert!(
            p.warnings.iter().any(|w| w.contains("MiB of text")),
            "{:?}",
            p.warnings
        );
        // Rule steps, all rules together: 12 rules of about 187,000 steps each (ten years of
        // hours, and the iterator's search for an hour that is not there).
        let stepping: Vec<String> = (0..12)
            .map(|i| {
                format!("UID:s{i}\r\nSUMMARY:S\r\nDTSTART:20160301T000000Z\r\nRRULE:FREQ=HOURLY;COUNT=3;BYHOUR=1\r\n")
            })
            .collect();
        let p = run(&bare(&stepping), "2026-01-07", "2026-02-04");
        let refused = p
            .warnings
            .iter()
            .filter(|w| w.contains("the feed's rules together"))
            .count();
        assert_eq!(refused, 12 - 5, "{:?}", p.warnings);
        assert_eq!(p.warnings.len(), refused, "{:?}", p.warnings);
    }

    #[test]
    fn many_and_long_unknown_tzids_are_cheap() {
        let mut events: Vec<String> = (0..5_000)
            .map(|i| format!("UID:{i}\r\nSUMMARY:z\r\nDTSTART;TZID=Zone/{i}:20230210T180000\r\n"))
            .collect();
        let slashes = "/".repeat(200_000);
        for i in 0..50 {
            events.push(format!(
                "UID:s{i}\r\nSUMMARY:s\r\nDTSTART;TZID={slashes}Europe/Berlin:20230210T180000\r\n"
            ));
        }
        let p = run(&bare(&events), "2023-02-01", "2023-03-01");
        assert_eq!(p.events.len(), 5_050);
        assert_eq!(p.warnings.len(), 5_000);
        let zoned = p
            .events
            .iter()
            .filter(|e| e.start == When::Zoned(dt("2023-02-10 18:00"), BER))
            .count();
        assert_eq!(zoned, 50);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1W"), Some(Duration::days(7)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("1H"), None);
        assert_eq!(parse_duration("P99999999999999999W"), None);
        assert_eq!(parse_duration("P10675199DT10675199D"), None);
        assert_eq!(parse_duration("+P1D"), Some(Duration::days(1)));
    }
}
