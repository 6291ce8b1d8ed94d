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

use super::{Parsed, SourceError};
use crate::model::{RawEvent, Status, When, Window};
use crate::normalize::links::{clean_url, extract_links, is_web_link};
use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone,
    Utc,
};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property, read_components, unfold};
use rrule::{RRule, RRuleSet, Unvalidated};
use std::collections::{HashMap, HashSet};

/// Occurrences are kept when they overlap the window widened by this many days on each side.
const MARGIN_DAYS: i64 = 2;
/// Most occurrences of one rule looked at before giving up on it (a daily rule running for
/// two centuries, a `FREQ=MINUTELY` typo …).
const MAX_OCCURRENCES: usize = 50_000;

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
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first_line = text.lines().map(str::trim).find(|l| !l.is_empty());
    if !first_line.is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err(SourceError {
            origin: origin.to_string(),
            message: describe_non_calendar(text),
        });
    }

    let unfolded = unfold(text);
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

    let lo = (window.from - Duration::days(MARGIN_DAYS))
        .and_time(NaiveTime::MIN)
        .and_utc();
    let hi = (window.to + Duration::days(MARGIN_DAYS + 1))
        .and_time(NaiveTime::MIN)
        .and_utc();
    let ctx = Ctx {
        label,
        default_tz,
        lo,
        hi,
    };
    let mut out = expand_all(&events, &ctx, &mut warnings);
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
    match String::from_utf8(out) {
        Ok(s) => s,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }
}

/// What was received instead of a calendar, for the error message.
fn describe_non_calendar(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "received an empty document, not iCalendar".to_string();
    }
    let lower: String = trimmed.chars().take(512).collect::<String>().to_lowercase();
    if lower.starts_with('<') {
        let title = lower
            .find("<title>")
            .and_then(|i| {
                let rest = &trimmed[i + 7..];
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
    for raw in text.split_inclusive('\n') {
        let line_start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\r', '\n']);
        let upper = |s: &str| line.len() >= s.len() && line[..s.len()].eq_ignore_ascii_case(s);
        if upper("BEGIN:") {
            depth += 1;
            if depth == 2 {
                let kind = line[6..].trim();
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
                if is_event {
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

/// A chrono-tz zone for a name: exact, then case-insensitive.
fn lookup_tz(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
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
    unknown: Vec<String>,
}

impl TzResolver {
    fn resolve(&self, tzid: &str) -> Option<Tz> {
        let tzid = tzid.trim().trim_matches('"');
        lookup_tz(tzid)
            .or_else(|| self.aliases.get(tzid).copied())
            // "/mozilla.org/20050126_1/Europe/Berlin", "/freeassociation.sourceforge.net/Tzfile/…"
            .or_else(|| {
                tzid.match_indices('/')
                    .find_map(|(i, _)| lookup_tz(&tzid[i + 1..]))
            })
    }

    fn resolve_or_note(&mut self, tzid: &str) -> Option<Tz> {
        let tz = self.resolve(tzid);
        if tz.is_none() && !self.unknown.iter().any(|u| u == tzid) {
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
        LocalResult::None => tz
            .from_local_datetime(&(n + Duration::hours(1)))
            .earliest()
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

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

fn parse_naive(s: &str) -> Option<NaiveDateTime> {
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
                let n: i64 = number.parse().ok()?;
                number.clear();
                any = true;
                total += match (unit, in_time) {
                    ('W', false) => Duration::weeks(n),
                    ('D', false) => Duration::days(n),
                    ('H', true) => Duration::hours(n),
                    ('M', true) => Duration::minutes(n),
                    ('S', true) => Duration::seconds(n),
                    _ => return None,
                };
            }
        }
    }
    (any && number.is_empty()).then_some(total * sign)
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
        })
    }

    fn name(&self) -> String {
        describe(Some(&self.uid), Some(&self.summary))
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
            return Some(start.with_naive(start.naive() + length));
        }
        self.duration
            .map(|d| start.with_naive(start.naive() + d.max(Duration::zero())))
    }
}

/// The window and what each event gets from the calendar.
struct Ctx<'a> {
    label: &'a str,
    default_tz: Option<Tz>,
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
}

impl Ctx<'_> {
    /// `[start, end]` overlaps `[lo, hi)`; zero-length occurrences count when they start in it.
    fn touches(&self, start: &DateVal, end: Option<&DateVal>) -> bool {
        let s = start.instant(None);
        let e = match (start, end) {
            (_, Some(e)) => e.instant(None),
            (DateVal::Date(_), None) => s + Duration::days(1),
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
        let mut links: Vec<String> = Vec::new();
        let url = ev.url.as_deref().map(clean_url).filter(|u| is_web_link(u));
        links.extend(url.clone());
        // Description links, then any link written in LOCATION (entries whose only link is
        // a meetup URL pasted as the location).
        for text in [&ev.description, &ev.location].into_iter().flatten() {
            for l in extract_links(text) {
                if !links.contains(&l) {
                    links.push(l);
                }
            }
        }
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

fn expand_all(events: &[VEvent], ctx: &Ctx<'_>, warnings: &mut Vec<String>) -> Vec<RawEvent> {
    // Group by UID, keeping file order of first appearance. Events without UID stand alone.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<&VEvent>> = HashMap::new();
    for (i, ev) in events.iter().enumerate() {
        let key = if ev.uid.is_empty() {
            format!("\u{0}{i}")
        } else {
            ev.uid.clone()
        };
        groups
            .entry(key.clone())
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(ev);
    }
    let mut out = Vec::new();
    for key in order {
        expand_group(&groups[&key], ctx, warnings, &mut out);
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
    let mut overrides: HashMap<Key, &VEvent> = HashMap::new();
    for ev in group.iter().filter(|e| e.recurrence_id.is_some()) {
        let rid = ev.recurrence_id.expect("filtered on recurrence_id");
        let key = rid.instant(series_tz).timestamp();
        let best = match overrides.get(&key) {
            Some(prev) => newer(prev, ev),
            None => ev,
        };
        overrides.insert(key, best);
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
        match instances(m, ctx) {
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
        let ev = overrides[key];
        // An override of an excluded instance stays excluded (as recurring-ical-events does).
        if ev.status == Status::Cancelled || excluded.contains(key) {
            continue;
        }
        let end = ev.end_for(&ev.start);
        if ctx.touches(&ev.start, end.as_ref()) {
            let rid = ev.recurrence_id.expect("overrides have a recurrence id");
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
/// overrides), in the master's form, and whether the event recurs at all.
fn instances(m: &VEvent, ctx: &Ctx<'_>) -> Result<(Vec<DateVal>, bool), String> {
    if m.rrule.is_none() && m.rdates.is_empty() {
        return Ok((vec![m.start], false));
    }
    // Occurrences are looked for from a little before the window: as far back as the longest
    // event could reach into it.
    let length = m
        .end_for(&m.start)
        .map(|e| e.instant(None) - m.start.instant(None))
        .unwrap_or_else(Duration::zero)
        .max(Duration::days(1));
    let from = ctx.lo - length - Duration::days(1);
    let to = ctx.hi + Duration::days(1);
    let in_range = |v: &DateVal| {
        let at = v.instant(None);
        at >= from && at < to
    };

    let mut starts: Vec<DateVal> = Vec::new();
    let mut seen: HashSet<NaiveDateTime> = HashSet::new();
    let mut push = |v: DateVal, starts: &mut Vec<DateVal>| {
        if in_range(&v) && seen.insert(v.naive()) {
            starts.push(v);
        }
    };

    let mut include_dtstart = true;
    if let Some(rule) = &m.rrule {
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
        let mut ended_before_start = false;
        if let Some(until) = until {
            let until = until_instant(until, &m.start).ok_or(format!("bad UNTIL in {rule:?}"))?;
            if until < dtstart.with_timezone(&Utc) {
                // Google writes this when "this and following" moves a whole series: the old
                // master has no occurrence left, not even DTSTART.
                ended_before_start = true;
            } else {
                rrule = rrule.until(until.with_timezone(&rrule::Tz::UTC));
            }
        }
        if ended_before_start {
            include_dtstart = false;
        } else {
            let rrule = rrule
                .validate(dtstart)
                .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
            let set = RRuleSet::new(dtstart).rrule(rrule).limit();
            for (n, dt) in (&set).into_iter().enumerate() {
                if n >= MAX_OCCURRENCES {
                    return Err(format!(
                        "RRULE {rule:?} yields more than {MAX_OCCURRENCES} occurrences before the window"
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
                push(v, &mut starts);
            }
        }
    }
    // RFC 5545 §3.8.5.3: DTSTART is the first occurrence even when the rule does not match it.
    if include_dtstart {
        push(m.start, &mut starts);
    }
    for r in &m.rdates {
        push(r.to_form_of(&m.start), &mut starts);
    }
    starts.sort_by_key(|v| v.instant(None));
    Ok((starts, true))
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

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
        assert_eq!(parse_duration("P1W"), Some(Duration::days(7)));
        assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
        assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
        assert_eq!(parse_duration("P"), None);
        assert_eq!(parse_duration("PT5"), None);
        assert_eq!(parse_duration("1H"), None);
    }
}
