//! An RRULE walked by the `rrule` crate, within the feed's bounds: started near the window
//! where that gives the same occurrences ([`jump_start`]), refused before any step when it
//! would take too many ([`rule_steps`]).
//!
//! `UNTIL` is taken out of the rule and applied here ([`split_until`], [`until_instant`]):
//! `rrule` rejects a DATE `UNTIL` with a DATE-TIME `DTSTART`, and an `UNTIL` before
//! `DTSTART` (which Google writes when splitting a series), failing the whole event.

use super::event::VEvent;
use super::expand::Starts;
use super::values::{DateVal, parse_date, parse_naive, zoned_to_utc};
use super::{MAX_FEED_STEPS, MAX_RULE_OCCURRENCES, MAX_RULE_STEPS};
use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDateTime, NaiveTime, TimeZone, Utc};
use rrule::{RRule, RRuleSet, Unvalidated};

/// Walks master `m`'s RRULE (`rule`), pushing the starts it yields in `starts`' range.
/// Returns whether DTSTART is an occurrence: not when UNTIL is before it. `steps_left` is
/// what is left of the feed's rule steps ([`MAX_FEED_STEPS`]).
pub(super) fn expand_rule(
    rule: &str,
    m: &VEvent,
    jump: bool,
    steps_left: &mut u64,
    starts: &mut Starts<'_>,
) -> Result<bool, String> {
    let Some(RuleStart {
        rrule,
        dtstart,
        until,
    }) = read_rule(rule, &m.start)?
    else {
        // Google writes this when "this and following" moves a whole series: the old master
        // has no occurrence left, not even DTSTART.
        return Ok(false);
    };
    // Expansion starts at the last whole period of the rule before the window when that
    // gives the same occurrences (see `jump_start`), else at DTSTART.
    let start = jump
        .then(|| expansion_start(&rrule, &m.start, &dtstart, starts.from))
        .flatten()
        .unwrap_or(dtstart);
    if until.is_some_and(|u| u < start.with_timezone(&Utc)) {
        return Ok(true);
    }
    let end = until.filter(|u| *u < starts.to).unwrap_or(starts.to);
    take_steps(rule, &rrule, start.with_timezone(&Utc), end, steps_left)?;
    walk(rule, rrule, start, &m.start, starts)?;
    Ok(true)
}

/// The rule parts of RFC 5545 §3.3.10 (`recur-rule-part`).
const RULE_PARTS: [&str; 14] = [
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
];

/// An RRULE value without what is no rule part (`NAME=VALUE` with a name of
/// [`RULE_PARTS`]), and the parts left out. A value written with the property name again
/// (`RRULE:RRULE:AnythingRandom;FREQ=WEEKLY;BYDAY=MO`) loses the repeated name first. The
/// value is returned as written when nothing is left out (empty parts, `FREQ=DAILY;`, are
/// left out silently), so `rrule` reads it as before; the rule may still be one `rrule`
/// refuses (a bad value of a rule part): then the event keeps its DTSTART
/// (`expand::instances`).
pub(super) fn rule_parts(value: &str) -> (String, Vec<&str>) {
    let mut rest = value.trim();
    while let Some(after) = rest
        .get(..6)
        .filter(|p| p.eq_ignore_ascii_case("RRULE:"))
        .and_then(|_| rest.get(6..))
    {
        rest = after.trim_start();
    }
    let mut kept = Vec::new();
    let mut junk = Vec::new();
    let mut changed = rest.len() != value.trim().len();
    for part in rest.split(';') {
        let name = part.split_once('=').map(|(n, _)| n.trim());
        if name.is_some_and(|n| RULE_PARTS.iter().any(|p| p.eq_ignore_ascii_case(n))) {
            kept.push(part);
        } else {
            if !part.trim().is_empty() {
                junk.push(part);
            }
            changed = true;
        }
    }
    let rule = if changed {
        kept.join(";")
    } else {
        rest.to_string()
    };
    (rule, junk)
}

/// A rule read for walking.
struct RuleStart {
    /// The rule, with UNTIL as an instant (the rule's own UNTIL is not handed to `rrule`).
    rrule: RRule<Unvalidated>,
    /// DTSTART on the rule's clock: the series' zone; UTC for all-day, floating and UTC
    /// series (no DST to apply).
    dtstart: DateTime<rrule::Tz>,
    until: Option<DateTime<Utc>>,
}

/// The rule read for walking ([`RuleStart`]); `None` when UNTIL is before DTSTART.
fn read_rule(rule: &str, start: &DateVal) -> Result<Option<RuleStart>, String> {
    // RFC 5545's RRULE grammar is ASCII, and `rrule` 0.14 slices BYDAY values by bytes
    // (a multi-byte character at the end of `BYDAY=…` panicked; found by fuzzing).
    if !rule.is_ascii() {
        return Err(format!("bad RRULE {rule:?}: not ASCII"));
    }
    let (rule_text, until) = split_until(rule);
    // A declared zone (no IANA zone) is walked on the wall clock, as floating time is.
    let iana = start.iana_zone();
    let rtz: rrule::Tz = iana.map_or(rrule::Tz::UTC, Into::into);
    let dtstart = match (*start, iana) {
        (DateVal::Zoned(n, _), Some(tz)) => zoned_to_utc(n, tz).with_timezone(&rtz),
        (other, _) => rtz.from_utc_datetime(&other.naive()),
    };
    let mut rrule: RRule<Unvalidated> = rule_text
        .parse()
        .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
    let Some(until) = until else {
        return Ok(Some(RuleStart {
            rrule,
            dtstart,
            until: None,
        }));
    };
    let until = until_instant(until, start).ok_or(format!("bad UNTIL in {rule:?}"))?;
    if until < dtstart.with_timezone(&Utc) {
        return Ok(None);
    }
    rrule = rrule.until(until.with_timezone(&rrule::Tz::UTC));
    Ok(Some(RuleStart {
        rrule,
        dtstart,
        until: Some(until),
    }))
}

/// [`jump_start`] on the rule's clock: `None` when there is no exact later start, or when it
/// falls on a wall-clock time that does not exist once in the series' zone.
fn expansion_start(
    rrule: &RRule<Unvalidated>,
    start: &DateVal,
    dtstart: &DateTime<rrule::Tz>,
    from: DateTime<Utc>,
) -> Option<DateTime<rrule::Tz>> {
    let rtz = dtstart.timezone();
    let n = jump_start(rrule, dtstart.naive_local(), from.naive_utc())?;
    match start.iana_zone() {
        Some(tz) => match tz.from_local_datetime(&n) {
            LocalResult::Single(t) => Some(t.with_timezone(&rtz)),
            _ => None,
        },
        None => Some(rtz.from_utc_datetime(&n)),
    }
}

/// Takes the steps walking the rule from `start` to `end` will cost from the feed's budget,
/// or refuses the rule (before any step) when it would take too many.
fn take_steps(
    rule: &str,
    rrule: &RRule<Unvalidated>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    steps_left: &mut u64,
) -> Result<(), String> {
    let steps = rule_steps(rrule, start, end);
    if steps > MAX_RULE_STEPS {
        return Err(format!(
            "RRULE {rule:?} would take {steps} steps to cover the window (more than {MAX_RULE_STEPS})"
        ));
    }
    if steps > *steps_left {
        return Err(format!(
            "RRULE {rule:?} not expanded: the feed's rules together would take more than {MAX_FEED_STEPS} steps"
        ));
    }
    *steps_left -= steps;
    Ok(())
}

/// The rule's occurrences from `start` until the end of `starts`' range, in the form of
/// DTSTART (`form`), pushed into `starts`.
fn walk(
    rule: &str,
    rrule: RRule<Unvalidated>,
    start: DateTime<rrule::Tz>,
    form: &DateVal,
    starts: &mut Starts<'_>,
) -> Result<(), String> {
    let rrule = rrule
        .validate(start)
        .map_err(|e| format!("bad RRULE {rule:?}: {e}"))?;
    let set = RRuleSet::new(start).rrule(rrule).limit();
    for (n, dt) in (&set).into_iter().enumerate() {
        if n >= MAX_RULE_OCCURRENCES {
            return Err(format!(
                "RRULE {rule:?} yields more than {MAX_RULE_OCCURRENCES} occurrences before the window"
            ));
        }
        let at = dt.with_timezone(&Utc);
        if at >= starts.to {
            break;
        }
        let v = match (*form, form.iana_zone()) {
            (DateVal::Zoned(_, zone), Some(tz)) => {
                DateVal::Zoned(at.with_timezone(&tz).naive_local(), zone)
            }
            (other, _) => other.with_naive(dt.naive_local()),
        };
        if !starts.push(v) {
            break;
        }
    }
    Ok(())
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
    const DAY: i64 = 86_400;
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
pub(super) fn jump_start(
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
    let declared = match start {
        DateVal::Zoned(_, zone) if zone.iana().is_none() => Some(*zone),
        _ => None,
    };
    let on_series_clock = |n: NaiveDateTime| match start.iana_zone() {
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
            // A series in a declared zone is walked on its wall clock.
            _ => declared.map_or_else(|| n.and_utc(), |zone| zone.local(n.and_utc()).and_utc()),
        });
    }
    let n = parse_naive(until)?;
    Some(match start {
        DateVal::Date(_) => n.date().and_time(NaiveTime::MIN).and_utc(),
        _ => on_series_clock(n),
    })
}
