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
use crate::normalize::links::{clean_url, extract_links};
use chrono::{
    DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat,
    TimeZone, Utc,
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
pub fn parse(text: &str, origin: &str, label: &str, window: &Window) -> Result<Parsed, SourceError> {
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
        for c in components.iter().filter(|c| name_is(c.name.as_str(), "VTIMEZONE")) {
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
            if depth == 2 {
                if let Some((start, is_event, is_tz)) = block_start.take() {
                    let block = &text[start..offset];
                    if is_event {
                        doc.events.push(block);
                    } else if is_tz {
                        doc.timezones.push(block);
                    }
                }
            }
            if depth == 1 {
                closed = true;
            }
            depth = depth.saturating_sub(1);
        } else if depth == 1 {
            if let Some((name, value)) = line.split_once(':') {
                let name = name.split(';').next().unwrap_or(name);
                doc.properties.push((name, value));
            }
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
            name.eq_ignore_ascii_case(key).then(|| value.trim().to_string())
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
            _ => self
                .instant(ctx)
                .to_rfc3339_opts(SecondsFormat::Secs, true),
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
    let tz = match param(p, "TZID") {
        Some(tzid) => Some(tzids.resolve_or_note(tzid)),
        None => None,
    };
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
            for p in c.properties.iter().filter(|p| name_is(p.name.as_str(), name)) {
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

    fn raw_event(&self, ev: &VEvent, uid: String, start: DateVal, end: Option<DateVal>) -> RawEvent {
        let mut links: Vec<String> = Vec::new();
        let url = ev.url.as_deref().map(clean_url);
        links.extend(url.clone());
        if let Some(d) = &ev.description {
            for l in extract_links(d) {
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
                    (DateVal::Zoned(n, _), _) | (DateVal::Floating(n), _) | (DateVal::Utc(n), None) => {
                        n.date()
                    }
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
                    DateVal::Zoned(_, tz) => DateVal::Zoned(at.with_timezone(&tz).naive_local(), tz),
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
}
