//! A declared VTIMEZONE as a time zone of its own (RFC 5545 §3.6.5): the UTC offset at any
//! instant is that of the latest observance onset (STANDARD/DAYLIGHT: DTSTART, RRULE, RDATE,
//! TZOFFSETFROM/TO) at or before it; before the first onset the declaration says nothing,
//! and the IANA zone of its name (or CLDR/Windows or path match) answers, else the first
//! onset's TZOFFSETFROM. Nothing depends on the queried window.
//!
//! Done here: chrono-tz knows only its compiled-in IANA zones and no crate reads a
//! VTIMEZONE into a zone; an observance's RRULE is walked by the `rrule` crate, as events'
//! rules are (any shape of FREQ=YEARLY or MONTHLY: Lotus Notes' `BYHOUR`/`BYMINUTE`, UNTIL,
//! BYSETPOS …; a finer FREQ, which no zone needs and whose walk could be long, is left out
//! with a warning). Yearly and monthly rules without COUNT or INTERVAL give the same dates
//! whichever year they are walked from, so they are walked a year at a time, for the years
//! instants are asked about (the years needed, whatever the window); others from their DTSTART,
//! bounded.
//!
//! The declared zones of the feed being read live in a table of the reading thread, set up
//! by [`Scope`] for the time of one `parse`, so that a value keeps a `Copy` handle to its
//! zone ([`ZoneId`]) and nothing outlives the feed; the model gets the instants and offsets
//! (`Zone::when`), never the handle.

use super::super::values::{name_is, param, parse_date, parse_naive, prop};
use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc,
};
use chrono_tz::Tz;
use fnv::FnvHashMap;
use icalendar::parser::Component;
use rrule::{RRule, RRuleSet, Unvalidated};
use std::cell::{Cell, RefCell};

/// Most STANDARD/DAYLIGHT observances (and RDATEs of each) of one VTIMEZONE read.
pub const MAX_OBSERVANCES: usize = 64;
/// Most onsets one VTIMEZONE's explicit observances (DTSTART, RDATE, and rules that are not
/// yearly, walked from their DTSTART) give, all together.
pub const MAX_ZONE_ONSETS: usize = 4_096;
/// Most observance RRULEs read for one feed (a calendar's zones have two each).
pub const MAX_FEED_ZONE_RULES: usize = 128;
/// Most years whose onsets one declared zone remembers (a feed asks about a few dozen).
const MAX_CACHED_YEARS: usize = 4_096;
/// The mean Gregorian year in seconds: instants are grouped by spans of it, each within a
/// day of a calendar year.
const YEAR_SECONDS: i64 = 31_556_952;
/// Rules that are not yearly are walked up to this year; later instants keep the offset of
/// their last onset.
const LAST_RULE_YEAR: i32 = 2100;

/// A yearly or monthly observance rule (no COUNT, INTERVAL, BYSETPOS, BYWEEKNO or
/// BYYEARDAY): the same dates whichever year it is walked from, so each year's onsets are
/// walked when an instant of that year is asked about.
#[derive(Debug)]
struct Yearly {
    rule: RRule<Unvalidated>,
    /// DTSTART, local (in `from`).
    start: NaiveDateTime,
    from: i32,
    to: i32,
    /// UNTIL on the observance's wall clock.
    until: Option<NaiveDateTime>,
}

impl Yearly {
    /// The onsets (their local year, UTC seconds) of the years `lo..=hi`, walked from the
    /// year before (same month, day and time as DTSTART: the rule's defaults), after DTSTART
    /// and up to UNTIL.
    fn onsets_between(&self, lo: i32, hi: i32) -> Vec<(i32, i64)> {
        let lo = lo.max(self.start.year());
        let hi = self.until.map_or(hi, |u| hi.min(u.year()));
        if lo > hi {
            return Vec::new();
        }
        let walk_from = if self.start.year() < lo - 1 {
            self.start
                .with_year(lo - 1)
                .or_else(|| self.start.with_day(28)?.with_year(lo - 1))
        } else {
            Some(self.start)
        };
        let Some(walk_from) = walk_from else {
            return Vec::new();
        };
        let dtstart = rrule::Tz::UTC.from_utc_datetime(&walk_from);
        let Ok(rule) = self.rule.clone().validate(dtstart) else {
            return Vec::new();
        };
        let set = RRuleSet::new(dtstart).rrule(rule).limit();
        (&set)
            .into_iter()
            .take(usize::try_from(hi - lo + 2).unwrap_or(0).saturating_mul(32))
            .map(|t| t.naive_local())
            .take_while(|t| t.year() <= hi && self.until.is_none_or(|u| *t <= u))
            .filter(|t| t.year() >= lo && *t > self.start)
            .filter_map(|t| {
                let utc = t.checked_sub_signed(Duration::seconds(self.from.into()))?;
                Some((t.year(), utc.and_utc().timestamp()))
            })
            .collect()
    }
}

/// A VTIMEZONE's onsets, and the zone of its name for the instants before them.
#[derive(Debug)]
pub(crate) struct Declared {
    /// Explicit onsets as UTC seconds, with the offset (seconds east of UTC) from each, in
    /// order: DTSTARTs, RDATEs, the onsets of rules that are not yearly.
    onsets: Vec<(i64, i32)>,
    /// Yearly rules, walked a year at a time.
    yearly: Vec<Yearly>,
    /// For each span of [`YEAR_SECONDS`] asked about so far (numbered from 1970): the yearly
    /// rules' onsets that can be the latest before an instant of it, with the offset from
    /// each, in order.
    years: RefCell<FnvHashMap<i64, Vec<(i64, i32)>>>,
    /// The onsets (UTC seconds) of (yearly rule, year) walked so far.
    rule_years: RefCell<FnvHashMap<(usize, i32), Vec<i64>>>,
    /// The last wall-clock time read, and its instants.
    last: Cell<Option<(NaiveDateTime, LocalResult<DateTime<Utc>>)>>,
    /// The first onset's TZOFFSETFROM: the offset before it when no zone has the name.
    before: i32,
    /// The IANA zone of the name (the TZID, X-LIC-LOCATION, a Windows or path name).
    pub(crate) named: Option<Tz>,
}

impl Declared {
    /// The yearly rules' onsets an instant of `year` (within a day: spans of
    /// [`YEAR_SECONDS`] stand for years) can follow: for each rule those of the year after, the
    /// year and the two before, or of its UNTIL's year and the three before.
    fn rule_onsets(&self, year: i32) -> Vec<(i64, i32)> {
        let mut out = Vec::new();
        for (i, rule) in self.yearly.iter().enumerate() {
            let top = rule.until.map_or(year + 1, |u| u.year().min(year + 1));
            for y in (top - 3..=top).rev() {
                out.extend(self.rule_year(i, y, top).into_iter().map(|o| (o, rule.to)));
            }
        }
        out.sort_unstable();
        out
    }

    /// The onsets of yearly rule `i` in `year`; when not walked yet, the years from three
    /// before `top` to `top` are walked at once (one walk of the `rrule` crate per span asked).
    fn rule_year(&self, i: usize, year: i32, top: i32) -> Vec<i64> {
        if let Some(onsets) = self.rule_years.borrow().get(&(i, year)) {
            return onsets.clone();
        }
        let walked = self.yearly[i].onsets_between(top - 3, top);
        let mut cache = self.rule_years.borrow_mut();
        for y in top - 3..=top {
            if cache.len() < MAX_CACHED_YEARS {
                let of_y = walked.iter().filter(|(wy, _)| *wy == y).map(|(_, o)| *o);
                cache.insert((i, y), of_y.collect());
            }
        }
        walked
            .into_iter()
            .filter(|(y, _)| *y == year)
            .map(|(_, o)| o)
            .collect()
    }

    /// The offset (seconds east of UTC) at `at`: that of the latest onset at or before it.
    pub(crate) fn offset_at(&self, at: DateTime<Utc>) -> i32 {
        let t = at.timestamp();
        let latest_in = |onsets: &[(i64, i32)]| {
            onsets
                .partition_point(|(o, _)| *o <= t)
                .checked_sub(1)
                .map(|i| onsets[i])
        };
        let mut latest = latest_in(&self.onsets);
        if !self.yearly.is_empty() {
            let span = t.div_euclid(YEAR_SECONDS);
            let cached = self.years.borrow().get(&span).map(|o| latest_in(o));
            let found = cached.unwrap_or_else(|| {
                let year = i32::try_from(span).map_or(i32::MAX, |s| s.saturating_add(1970));
                let onsets = self.rule_onsets(year);
                let found = latest_in(&onsets);
                let mut years = self.years.borrow_mut();
                if years.len() < MAX_CACHED_YEARS {
                    years.insert(span, onsets);
                }
                found
            });
            if let Some((o, offset)) = found
                && latest.is_none_or(|(l, _)| o >= l)
            {
                latest = Some((o, offset));
            }
        }
        match latest {
            Some((_, offset)) => offset,
            None => self.named.map_or(self.before, |tz| {
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
            }),
        }
    }

    /// The instants a wall-clock time names (none in a gap, two in the repeated hour): each
    /// offset in force a day before or after it that gives itself back. The last answer is
    /// kept: a value's instant is asked for several times.
    pub(crate) fn instants(&self, n: NaiveDateTime) -> LocalResult<DateTime<Utc>> {
        if let Some((m, answer)) = self.last.get()
            && m == n
        {
            return answer;
        }
        let as_utc = n.and_utc();
        let day = Duration::days(1);
        let offsets = [
            as_utc.checked_sub_signed(day),
            as_utc.checked_add_signed(day),
        ]
        .map(|guess| guess.map(|g| self.offset_at(g)));
        let valid = |offset: Option<i32>| {
            let offset = offset?;
            let t = as_utc.checked_sub_signed(Duration::seconds(offset.into()))?;
            (self.offset_at(t) == offset).then_some(t)
        };
        let first = valid(offsets[0]);
        let second = if offsets[1] == offsets[0] {
            None
        } else {
            valid(offsets[1])
        };
        let answer = match (first, second) {
            (Some(a), Some(b)) if a != b => LocalResult::Ambiguous(a.min(b), a.max(b)),
            (Some(a), _) | (None, Some(a)) => LocalResult::Single(a),
            (None, None) => LocalResult::None,
        };
        self.last.set(Some((n, answer)));
        answer
    }
}

thread_local! {
    /// The declared zones of the feed this thread reads (see [`Scope`]).
    static ZONES: RefCell<Vec<Declared>> = const { RefCell::new(Vec::new()) };
}

/// A declared zone of the feed being read: its place in the reading thread's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ZoneId(usize);

/// The reading thread's table of declared zones for the time of one `parse`: emptied when
/// made, and given back as it was when dropped (a `parse` inside a `parse` keeps its own).
pub(crate) struct Scope {
    outer: Vec<Declared>,
}

impl Scope {
    pub(crate) fn new() -> Scope {
        Scope {
            outer: ZONES.with(|z| std::mem::take(&mut *z.borrow_mut())),
        }
    }
}

impl Drop for Scope {
    fn drop(&mut self) {
        let outer = std::mem::take(&mut self.outer);
        ZONES.with(|z| *z.borrow_mut() = outer);
    }
}

/// `f` of a declared zone of the feed being read (`None` outside its `parse`).
pub(crate) fn with<R>(id: ZoneId, f: impl FnOnce(&Declared) -> R) -> Option<R> {
    ZONES.with(|z| z.borrow().get(id.0).map(f))
}

/// The declared zone of a VTIMEZONE, put in the reading thread's table; `None` when none of
/// its observances can be read (a warning when there were some).
pub(super) fn declared(
    c: &Component<'_>,
    tzid: &str,
    named: Option<Tz>,
    rules_left: &mut usize,
    warnings: &mut Vec<String>,
) -> Option<ZoneId> {
    let zone = read(c, tzid, named, rules_left, warnings)?;
    Some(ZONES.with(|z| {
        let mut z = z.borrow_mut();
        z.push(zone);
        ZoneId(z.len() - 1)
    }))
}

/// The onsets of every readable observance; an unreadable one is left out with a warning.
fn read(
    c: &Component<'_>,
    tzid: &str,
    named: Option<Tz>,
    rules_left: &mut usize,
    warnings: &mut Vec<String>,
) -> Option<Declared> {
    let mut onsets = Vec::new();
    let mut yearly = Vec::new();
    let mut first: Option<(NaiveDateTime, i32)> = None;
    let observances = c
        .components
        .iter()
        .filter(|o| name_is(o.name.as_str(), "STANDARD") || name_is(o.name.as_str(), "DAYLIGHT"))
        .take(MAX_OBSERVANCES);
    for o in observances {
        match observance(o, &mut onsets, &mut yearly, rules_left) {
            Ok((start, from)) => {
                if first.is_none_or(|(s, _)| start < s) {
                    first = Some((start, from));
                }
            }
            Err(why) => warnings.push(format!("VTIMEZONE TZID={tzid}: {why}; left out")),
        }
    }
    let (_, before) = first?;
    onsets.sort_unstable();
    onsets.dedup_by_key(|(t, _)| *t);
    Some(Declared {
        onsets,
        yearly,
        years: RefCell::default(),
        rule_years: RefCell::default(),
        last: Cell::default(),
        before,
        named,
    })
}

/// Pushes one observance's onsets (UTC seconds, offset after); gives its DTSTART and
/// TZOFFSETFROM.
fn observance(
    o: &Component<'_>,
    onsets: &mut Vec<(i64, i32)>,
    yearly: &mut Vec<Yearly>,
    rules_left: &mut usize,
) -> Result<(NaiveDateTime, i32), String> {
    let dtstart = prop(o, "DTSTART").ok_or("an observance without DTSTART")?;
    let raw = dtstart.val.as_str().trim();
    // A DATE start (`DTSTART;VALUE=DATE:20170101`, seen in the wild): its midnight.
    let start = parse_naive(raw)
        .or_else(|| Some(parse_date(raw)?.and_time(NaiveTime::MIN)))
        .ok_or_else(|| format!("bad observance DTSTART {raw:?}"))?;
    let offset = |name: &str| {
        prop(o, name)
            .and_then(|p| parse_offset(p.val.as_str()))
            .ok_or_else(|| format!("an observance without a readable {name}"))
    };
    let (from, to) = (offset("TZOFFSETFROM")?, offset("TZOFFSETTO")?);
    let mut push = |local: NaiveDateTime| {
        if onsets.len() < MAX_ZONE_ONSETS {
            onsets.push((
                (local - Duration::seconds(from.into()))
                    .and_utc()
                    .timestamp(),
                to,
            ));
        }
    };
    push(start);
    if let Some(rule) = prop(o, "RRULE").map(|p| p.val.as_str()) {
        *rules_left = rules_left.checked_sub(1).ok_or(format!(
            "more than {MAX_FEED_ZONE_RULES} observance rules in the feed"
        ))?;
        match read_rule(rule, start, from)? {
            Rule::Yearly(rule, until) => yearly.push(Yearly {
                rule: *rule,
                start,
                from,
                to,
                until,
            }),
            Rule::Walked(locals) => locals.into_iter().for_each(&mut push),
        }
    }
    for p in o
        .properties
        .iter()
        .filter(|p| name_is(p.name.as_str(), "RDATE"))
    {
        if param(p, "VALUE").is_some_and(|v| !v.eq_ignore_ascii_case("DATE-TIME")) {
            continue;
        }
        for v in p.val.as_str().split(',').take(MAX_OBSERVANCES) {
            let v = v.trim();
            match v.strip_suffix(['Z', 'z']).and_then(parse_naive) {
                // A UTC RDATE is already an onset.
                Some(utc) => push(utc + Duration::seconds(from.into())),
                None => push(parse_naive(v).ok_or_else(|| format!("bad RDATE {v:?}"))?),
            }
        }
    }
    Ok((start, from))
}

/// An observance's RRULE read.
enum Rule {
    /// A yearly or monthly rule, with its UNTIL on the wall clock: walked a year at a time.
    Yearly(Box<RRule<Unvalidated>>, Option<NaiveDateTime>),
    /// Another rule's local onsets after DTSTART, walked from it by the `rrule` crate on the
    /// wall clock up to [`LAST_RULE_YEAR`] (UNTIL, a UTC instant, applied here).
    Walked(Vec<NaiveDateTime>),
}

/// An observance's RRULE, checked by the `rrule` crate (any shape of FREQ=YEARLY or MONTHLY).
fn read_rule(rule: &str, start: NaiveDateTime, from: i32) -> Result<Rule, String> {
    if !rule.is_ascii() {
        return Err(format!("bad RRULE {rule:?}: not ASCII"));
    }
    let mut until = None;
    let mut parts = Vec::new();
    let mut whole_years = true;
    for part in rule.trim().split(';') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k.trim().to_ascii_uppercase().as_str() {
            "UNTIL" => {
                until = Some(until_local(v.trim(), from).ok_or(format!("bad UNTIL in {rule:?}"))?);
            }
            // Zone onsets come once or twice a year: a finer rule would cost up to the
            // `rrule` crate's search limit (100,000 periods) for nothing a zone does.
            "FREQ"
                if !["YEARLY", "MONTHLY"]
                    .iter()
                    .any(|f| v.trim().eq_ignore_ascii_case(f)) =>
            {
                return Err(format!(
                    "an observance RRULE {rule:?} finer than monthly (zone onsets are yearly)"
                ));
            }
            "INTERVAL" if v.trim() == "1" => parts.push(part),
            "COUNT" | "INTERVAL" | "BYSETPOS" | "BYWEEKNO" | "BYYEARDAY" => {
                whole_years = false;
                parts.push(part);
            }
            _ => parts.push(part),
        }
    }
    let parsed: RRule<Unvalidated> = parts
        .join(";")
        .parse()
        .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
    let dtstart = rrule::Tz::UTC.from_utc_datetime(&start);
    let checked = parsed
        .clone()
        .validate(dtstart)
        .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
    let set = RRuleSet::new(dtstart).rrule(checked).limit();
    // A rule that matches once repeats within 400 years (the calendar's cycle), so walking
    // any year of it is short; one that never matches would search to the year 9999 for every
    // year asked: it has no onsets.
    if whole_years {
        if (&set).into_iter().next().is_none() {
            return Ok(Rule::Walked(Vec::new()));
        }
        return Ok(Rule::Yearly(Box::new(parsed), until));
    }
    Ok(Rule::Walked(
        (&set)
            .into_iter()
            .take(MAX_ZONE_ONSETS)
            .map(|t| t.naive_local())
            .take_while(|t| t.year() <= LAST_RULE_YEAR && until.is_none_or(|u| *t <= u))
            .filter(|t| *t > start)
            .collect(),
    ))
}

/// An observance's UNTIL (UTC, or a local time or date from careless producers) on the
/// observance's wall clock (the offset before its onsets).
fn until_local(v: &str, from: i32) -> Option<NaiveDateTime> {
    Some(match v.strip_suffix(['Z', 'z']) {
        Some(utc) => parse_naive(utc)? + Duration::seconds(from.into()),
        None => parse_naive(v).or_else(|| parse_date(v)?.and_hms_opt(23, 59, 59))?,
    })
}

/// `+0530`, `-0500`, `+053000` → seconds east of UTC.
fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let (sign, digits) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| digits[r].parse::<i32>().ok();
    let secs = n(0..2)? * 3600 + n(2..4)? * 60 + if digits.len() == 6 { n(4..6)? } else { 0 };
    (secs < 24 * 3600).then_some(sign * secs)
}
