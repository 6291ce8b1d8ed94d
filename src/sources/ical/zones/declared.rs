//! A declared VTIMEZONE as a time zone of its own (RFC 5545 §3.6.5): the UTC offset at any
//! instant is that of the latest observance onset (STANDARD/DAYLIGHT: DTSTART, RRULE, RDATE,
//! TZOFFSETFROM/TO) at or before it; before the first onset the declaration says nothing,
//! and the IANA zone of its name (or CLDR/Windows or path match) answers, else the first
//! onset's TZOFFSETFROM. Nothing depends on the queried window.
//!
//! Done here: chrono-tz knows only its compiled-in IANA zones and no crate reads a
//! VTIMEZONE into a zone; an observance's RRULE is walked by the `rrule` crate, as events'
//! rules are (any legal shape: Lotus Notes' `BYHOUR`/`BYMINUTE`, monthly rules …).
//!
//! A declared zone is interned process-wide by its text ([`MAX_DECLARED_ZONES`] of them at
//! most, each at most [`MAX_DECLARED_TEXT`] bytes), so that a value keeps a `Copy` handle to
//! it (`&'static`) and a feed read again reuses its onsets; past the bound a VTIMEZONE is
//! read by its name (a warning).

use super::super::values::{name_is, param, parse_date, parse_naive, prop};
use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use icalendar::parser::Component;
use rrule::{RRule, RRuleSet, Unvalidated};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Most STANDARD/DAYLIGHT observances (and RDATEs of each) of one VTIMEZONE read.
pub const MAX_OBSERVANCES: usize = 64;
/// Most onsets one VTIMEZONE's observances expand to, all together (two a year over the
/// years expanded are about 260).
pub const MAX_ZONE_ONSETS: usize = 4_096;
/// Most distinct declared zones kept by a process (a calendar declares one per zone it uses).
pub const MAX_DECLARED_ZONES: usize = 1_024;
/// Longest VTIMEZONE text kept as a declared zone (real ones are under 2 KiB).
pub const MAX_DECLARED_TEXT: usize = 16 << 10;
/// A yearly observance rule older than this year is expanded from it (an Exchange rule starts in 1601;
/// no civil DST rule is older); before this year the zone of the name answers.
const FIRST_RULE_YEAR: i32 = 1969;
/// … and up to this year; later instants keep the offset of the last onset.
const LAST_RULE_YEAR: i32 = 2100;

/// A VTIMEZONE's onsets, and the zone of its name for the instants before them.
#[derive(Debug, PartialEq)]
pub(crate) struct Declared {
    /// Onsets as UTC seconds, with the offset (seconds east of UTC) from each, in order.
    onsets: Vec<(i64, i32)>,
    /// The first onset's TZOFFSETFROM: the offset before it when no zone has the name.
    before: i32,
    /// The IANA zone of the name (the TZID, X-LIC-LOCATION, a Windows or path name).
    pub(crate) named: Option<Tz>,
}

impl Declared {
    /// The offset (seconds east of UTC) at `at`.
    pub(crate) fn offset_at(&self, at: DateTime<Utc>) -> i32 {
        let t = at.timestamp();
        match self.onsets.partition_point(|(o, _)| *o <= t).checked_sub(1) {
            Some(i) => self.onsets[i].1,
            None => self.named.map_or(self.before, |tz| {
                tz.offset_from_utc_datetime(&at.naive_utc())
                    .fix()
                    .local_minus_utc()
            }),
        }
    }

    /// The instants a wall-clock time names, earliest first (none in a gap, two in the
    /// repeated hour): each offset in force within a day of it that gives itself back.
    pub(crate) fn instants(&self, n: NaiveDateTime) -> Vec<DateTime<Utc>> {
        let as_utc = n.and_utc();
        let mut out = Vec::new();
        for near in [Duration::days(-1), Duration::zero(), Duration::days(1)] {
            let Some(guess) = as_utc.checked_add_signed(near) else {
                continue;
            };
            let offset = self.offset_at(guess);
            let Some(t) = as_utc.checked_sub_signed(Duration::seconds(offset.into())) else {
                continue;
            };
            if self.offset_at(t) == offset && !out.contains(&t) {
                out.push(t);
            }
        }
        out.sort();
        out
    }
}

/// The declared zones kept: (VTIMEZONE text, zone of its name) → zone.
type Kept = HashMap<(String, Option<Tz>), &'static Declared>;

/// The declared zone of a VTIMEZONE (`text` its lines, for interning), `None` when none of
/// its observances can be read (a warning when there were some) or too many zones are kept.
pub(super) fn declared(
    c: &Component<'_>,
    text: &str,
    tzid: &str,
    named: Option<Tz>,
    warnings: &mut Vec<String>,
) -> Option<&'static Declared> {
    static KEPT: OnceLock<Mutex<Kept>> = OnceLock::new();
    let kept = KEPT.get_or_init(Mutex::default);
    let key = (text.to_string(), named);
    if text.len() <= MAX_DECLARED_TEXT
        && let Some(d) = kept.lock().ok()?.get(&key)
    {
        return Some(*d);
    }
    let zone = read(c, tzid, named, warnings)?;
    let Ok(mut kept) = kept.lock() else {
        return None;
    };
    if text.len() > MAX_DECLARED_TEXT || kept.len() >= MAX_DECLARED_ZONES {
        warnings.push(format!(
            "VTIMEZONE TZID={tzid}: too large, or too many declared zones: read by its name"
        ));
        return None;
    }
    let zone: &'static Declared = Box::leak(Box::new(zone));
    kept.insert(key, zone);
    Some(zone)
}

/// The onsets of every readable observance; an unreadable one is left out with a warning.
fn read(
    c: &Component<'_>,
    tzid: &str,
    named: Option<Tz>,
    warnings: &mut Vec<String>,
) -> Option<Declared> {
    let mut onsets = Vec::new();
    let mut first: Option<(NaiveDateTime, i32)> = None;
    let observances = c
        .components
        .iter()
        .filter(|o| name_is(o.name.as_str(), "STANDARD") || name_is(o.name.as_str(), "DAYLIGHT"))
        .take(MAX_OBSERVANCES);
    for o in observances {
        match observance(o, &mut onsets) {
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
        before,
        named,
    })
}

/// Pushes one observance's onsets (UTC seconds, offset after); gives its DTSTART and
/// TZOFFSETFROM.
fn observance(
    o: &Component<'_>,
    onsets: &mut Vec<(i64, i32)>,
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
    let rule = prop(o, "RRULE").map(|p| p.val.as_str());
    let (rule_onsets, shifted) = match rule {
        Some(rule) => rule_onsets(rule, start, from)?,
        None => (Vec::new(), false),
    };
    // A yearly rule from before the years expanded says nothing sure about those years (its
    // DTSTART alone is no onset then): the zone of the name answers before them.
    if !shifted {
        push(start);
    }
    for local in rule_onsets {
        push(local);
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

/// The local onsets an observance's RRULE gives after its DTSTART, within the years expanded,
/// walked by the `rrule` crate on the wall clock (UNTIL, a UTC instant, applied here); and
/// whether a yearly rule was walked from a later year than its DTSTART's.
fn rule_onsets(
    rule: &str,
    start: NaiveDateTime,
    from: i32,
) -> Result<(Vec<NaiveDateTime>, bool), String> {
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
            "FREQ" if !v.trim().eq_ignore_ascii_case("YEARLY") => {
                whole_years = false;
                parts.push(part);
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
    // A yearly rule gives the same dates whichever year it starts in: an old DTSTART is moved
    // to the first year expanded (keeping its month, day and time: the rule's defaults).
    let walk_from = if whole_years && start.year() < FIRST_RULE_YEAR {
        start.with_year(FIRST_RULE_YEAR).unwrap_or(start)
    } else {
        start
    };
    let dtstart = rrule::Tz::UTC.from_utc_datetime(&walk_from);
    let parsed = parsed
        .validate(dtstart)
        .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
    let set = RRuleSet::new(dtstart).rrule(parsed).limit();
    let onsets = (&set)
        .into_iter()
        .take(MAX_ZONE_ONSETS)
        .map(|t| t.naive_local())
        .take_while(|t| t.year() <= LAST_RULE_YEAR && until.is_none_or(|u| *t <= u))
        .filter(|t| *t > start)
        .collect();
    Ok((onsets, walk_from != start))
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
