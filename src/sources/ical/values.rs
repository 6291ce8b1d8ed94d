//! Property values: finding a property or parameter of a parsed component, DATE / DATE-TIME
//! values in the form their source wrote them ([`DateVal`]), and DURATION.
//!
//! Dates and durations are read by hand, not by `icalendar`'s value types: its dates go
//! through chrono's `%Y`, which takes a signed year of any length ("+262000…", at the edge of
//! chrono's range, where the date arithmetic of expansion overflows), and its durations go
//! through `iso8601` into an unsigned `std::time::Duration`, so `-PT15M` is lost. Ours check
//! digits and every step for overflow (`P99999999999W`).

use super::zones::{TzResolver, Zone};
use crate::model::When;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, Utc};
use chrono_tz::Tz;
use icalendar::parser::{Component, Property};

pub(super) fn name_is(name: &str, wanted: &str) -> bool {
    name.eq_ignore_ascii_case(wanted)
}

pub(super) fn prop<'c, 'a>(c: &'c Component<'a>, name: &str) -> Option<&'c Property<'a>> {
    c.properties.iter().find(|p| name_is(p.name.as_str(), name))
}

pub(super) fn param<'p>(p: &'p Property<'_>, key: &str) -> Option<&'p str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

/// A DATE or DATE-TIME value in the form its source wrote it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum DateVal {
    Date(NaiveDate),
    Utc(NaiveDateTime),
    Zoned(NaiveDateTime, Zone),
    Floating(NaiveDateTime),
}

impl DateVal {
    pub(super) fn naive(&self) -> NaiveDateTime {
        match *self {
            DateVal::Date(d) => d.and_time(NaiveTime::MIN),
            DateVal::Utc(n) | DateVal::Zoned(n, _) | DateVal::Floating(n) => n,
        }
    }

    /// The instant, reading floating and all-day values in `ctx` (the series' zone), else UTC.
    pub(super) fn instant(&self, ctx: Option<Zone>) -> DateTime<Utc> {
        match *self {
            DateVal::Utc(n) => n.and_utc(),
            DateVal::Zoned(n, tz) => tz.to_utc(n),
            DateVal::Floating(_) | DateVal::Date(_) => match ctx {
                Some(tz) => tz.to_utc(self.naive()),
                None => self.naive().and_utc(),
            },
        }
    }

    /// The IANA zone of a zoned value: the clock its rule is walked on (a declared zone's
    /// rule is walked on the wall clock).
    pub(super) fn iana_zone(&self) -> Option<Tz> {
        match self {
            DateVal::Zoned(_, zone) => zone.iana(),
            _ => None,
        }
    }

    /// The same wall-clock arithmetic in the same form.
    pub(super) fn with_naive(&self, n: NaiveDateTime) -> DateVal {
        match *self {
            DateVal::Date(_) => DateVal::Date(n.date()),
            DateVal::Utc(_) => DateVal::Utc(n),
            DateVal::Zoned(_, tz) => DateVal::Zoned(n, tz),
            DateVal::Floating(_) => DateVal::Floating(n),
        }
    }

    /// This value expressed in the form (and zone) of `like` (an RDATE joining its series).
    pub(super) fn to_form_of(self, like: &DateVal) -> DateVal {
        match *like {
            DateVal::Date(_) => DateVal::Date(self.naive().date()),
            DateVal::Floating(_) => DateVal::Floating(self.naive()),
            DateVal::Utc(_) => DateVal::Utc(self.instant(None).naive_utc()),
            DateVal::Zoned(_, tz) => DateVal::Zoned(tz.local(self.instant(Some(tz))), tz),
        }
    }

    pub(super) fn to_when(self) -> When {
        match self {
            DateVal::Date(d) => When::Date(d),
            DateVal::Utc(n) => When::Utc(n.and_utc()),
            DateVal::Zoned(n, tz) => tz.when(n),
            DateVal::Floating(n) => When::Floating(n),
        }
    }

    /// The instance suffix of a recurrence instance's uid: UTC RFC 3339 for instants, the
    /// date for all-day values, the wall-clock time for floating ones.
    pub(super) fn instance_id(&self, ctx: Option<Zone>) -> String {
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
pub(super) fn zoned_to_utc(n: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    Zone::Iana(tz).to_utc(n)
}

/// Sorting key for output: an approximate instant (floating and dates read as UTC).
pub(super) fn sort_instant(w: &When) -> DateTime<Utc> {
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
pub(super) fn parse_date(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// `YYYYMMDDTHHMMSS`, digits only (see [`parse_date`]).
pub(super) fn parse_naive(s: &str) -> Option<NaiveDateTime> {
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
///
/// A date-time under `VALUE=DATE` (`DTSTART;VALUE=DATE:20110804T120000`, a festival feed's
/// every event) is read as its date, with a note, as Python's icalendar does. With `strict`
/// off (RDATE, EXDATE), a bad value is left out with a note instead of failing the property.
pub(super) fn date_values(
    p: &Property<'_>,
    tzids: &mut TzResolver,
    strict: bool,
    notes: &mut Vec<String>,
) -> Result<Vec<DateVal>, String> {
    let value_type = param(p, "VALUE").map(str::to_ascii_uppercase);
    let tz = param(p, "TZID").map(|tzid| tzids.resolve_or_note(tzid));
    let mut out = Vec::new();
    for raw in p.val.as_str().split(',') {
        let raw = raw.trim();
        let raw = raw.split('/').next().unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        let name = p.name.as_str();
        let bad = || format!("bad {name} value {raw:?}");
        let v = if value_type.as_deref() == Some("DATE") || raw.len() == 8 {
            match (parse_date(raw), raw.get(..8).and_then(parse_date)) {
                (Some(d), _) => Some(DateVal::Date(d)),
                (None, Some(d))
                    if raw
                        .as_bytes()
                        .get(8)
                        .is_some_and(|b| b.eq_ignore_ascii_case(&b'T')) =>
                {
                    notes.push(format!(
                        "{name} {raw:?} is a date-time under VALUE=DATE: read as the date {d}"
                    ));
                    Some(DateVal::Date(d))
                }
                _ => None,
            }
        } else if let Some(utc) = raw.strip_suffix(['Z', 'z']) {
            parse_naive(utc).map(DateVal::Utc)
        } else {
            parse_naive(raw).map(|n| match tz {
                Some(Some(tz)) => DateVal::Zoned(n, tz),
                _ => DateVal::Floating(n),
            })
        };
        match v {
            Some(v) => out.push(v),
            None if strict => return Err(bad()),
            None => notes.push(format!("{}, left out", bad())),
        }
    }
    Ok(out)
}

/// An RFC 5545 DURATION (`P1D`, `PT1H30M`, `-PT15M`, `P1W`), applied as wall-clock time.
pub(super) fn parse_duration(s: &str) -> Option<Duration> {
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
