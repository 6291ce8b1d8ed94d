//! Expansion: each UID's events (a master and the overrides of single instances) become the
//! occurrences that can touch the window, within the feed's work budget. The master's
//! occurrences come from DTSTART, its RRULE (`rules.rs`) and RDATEs, less its EXDATEs and the
//! instances its overrides replace, with the same rules as the Python `recurring-ical-events`
//! library.

use super::event::VEvent;
use super::rules;
use super::values::DateVal;
use super::zones::Zone;
use super::{
    MARGIN_DAYS, MAX_FEED_OCCURRENCES, MAX_FEED_STEPS, MAX_FEED_TEXT_BYTES, MAX_SERIES_OCCURRENCES,
};
use crate::model::{RawEvent, Status, Window};
use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use chrono_tz::Tz;
use std::collections::{HashMap, HashSet};

/// The window and what each event gets from the calendar.
pub(super) struct Ctx<'a> {
    label: &'a str,
    default_tz: Option<Tz>,
    /// The window widened by [`MARGIN_DAYS`] on each side, as UTC instants (`hi` exclusive).
    lo: DateTime<Utc>,
    hi: DateTime<Utc>,
    /// Start expanding rules near the window (`rules::jump_start`); off only in the tests
    /// that check that doing so changes nothing.
    pub(super) jump: bool,
}

impl<'a> Ctx<'a> {
    pub(super) fn new(
        label: &'a str,
        default_tz: Option<Tz>,
        window: Window,
        jump: bool,
    ) -> Ctx<'a> {
        let margin = Days::new(MARGIN_DAYS.unsigned_abs());
        let lo = (window.from.checked_sub_days(margin).unwrap_or(window.from))
            .and_time(NaiveTime::MIN)
            .and_utc();
        let hi = (window
            .to
            .checked_add_days(Days::new(MARGIN_DAYS.unsigned_abs() + 1)))
        .unwrap_or(window.to)
        .and_time(NaiveTime::MIN)
        .and_utc();
        Ctx {
            label,
            default_tz,
            lo,
            hi,
            jump,
        }
    }

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
        raw.location.clone_from(&ev.location);
        raw.description.clone_from(&ev.description);
        raw.url = url;
        raw.links = links;
        raw.conference.clone_from(&ev.conference);
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

/// Every occurrence of the feed's events that can touch the window, one UID after the other
/// in order of first appearance, within the feed's budget.
pub(super) fn expand_all(
    events: &[VEvent],
    ctx: &Ctx<'_>,
    warnings: &mut Vec<String>,
) -> Vec<RawEvent> {
    let mut budget = Budget::default();
    let mut out = Vec::new();
    for group in &by_uid(events) {
        expand_group(group, ctx, &mut budget, warnings, &mut out);
    }
    out
}

/// The events grouped by UID, in file order of first appearance. Events without UID stand
/// alone.
fn by_uid(events: &[VEvent]) -> Vec<Vec<&VEvent>> {
    let mut order: Vec<Vec<&VEvent>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for ev in events {
        if ev.uid.is_empty() {
            order.push(vec![ev]);
        } else if let Some(&i) = index.get(ev.uid.as_str()) {
            order[i].push(ev);
        } else {
            index.insert(&ev.uid, order.len());
            order.push(vec![ev]);
        }
    }
    order
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
    let series = Series::of(group);
    if let Some(m) = series.master
        && !series.take_master(m, ctx, budget, warnings, out)
    {
        return;
    }
    series.take_overrides(ctx, budget, warnings, out);
}

/// One UID's events sorted out.
struct Series<'e> {
    /// The newest event without RECURRENCE-ID.
    master: Option<&'e VEvent>,
    /// The zone of the master's DTSTART: floating and all-day values of the series are read
    /// in it.
    tz: Option<Zone>,
    /// The newest override of each instance, by the instant of the instance it replaces.
    overrides: HashMap<Key, (&'e VEvent, DateVal)>,
    /// The overrides with `RANGE=THISANDFUTURE`, in order of the instance they replace.
    future: Vec<(Key, &'e VEvent, DateVal)>,
    /// The master's EXDATEs, as instants, and those written as dates as whole days.
    excluded: HashSet<Key>,
    excluded_days: HashSet<NaiveDate>,
}

impl<'e> Series<'e> {
    fn of(group: &[&'e VEvent]) -> Series<'e> {
        let master = group
            .iter()
            .filter(|e| e.recurrence_id.is_none())
            .copied()
            .reduce(newer);
        let tz = master.and_then(VEvent::ctx_tz);
        let all_day = master.is_some_and(|m| matches!(m.start, DateVal::Date(_)));
        let mut overrides: HashMap<Key, (&VEvent, DateVal)> = HashMap::new();
        for ev in group.iter().copied() {
            let Some(rid) = ev.recurrence_id else {
                continue;
            };
            let rid = if all_day { named_day(rid) } else { rid };
            let key = rid.instant(tz).timestamp();
            let best = match overrides.get(&key) {
                Some((prev, _)) => newer(prev, ev),
                None => ev,
            };
            overrides.insert(key, (best, rid));
        }
        let mut future: Vec<(Key, &VEvent, DateVal)> = overrides
            .iter()
            .filter(|(_, (ev, _))| ev.this_and_future)
            .map(|(k, (ev, rid))| (*k, *ev, *rid))
            .collect();
        future.sort_by_key(|(k, _, _)| *k);
        let mut excluded = HashSet::new();
        let mut excluded_days = HashSet::new();
        for x in master.iter().flat_map(|m| &m.exdates) {
            excluded.insert(x.instant(tz).timestamp());
            if let DateVal::Date(d) = x {
                excluded_days.insert(*d);
            }
        }
        Series {
            master,
            tz,
            overrides,
            future,
            excluded,
            excluded_days,
        }
    }

    /// The master's occurrences that touch the window and are neither excluded nor replaced
    /// by an override; false when the feed's budget ran out.
    fn take_master(
        &self,
        m: &VEvent,
        ctx: &Ctx<'_>,
        budget: &mut Budget,
        warnings: &mut Vec<String>,
        out: &mut Vec<RawEvent>,
    ) -> bool {
        let (starts, recurring) = instances(m, ctx, &mut budget.steps, warnings);
        for start in starts {
            let key = start.instant(self.tz).timestamp();
            if self.excluded.contains(&key)
                || self.excluded_days.contains(&self.local_day(&start))
                || self.overrides.contains_key(&key)
                || m.status == Status::Cancelled
            {
                continue;
            }
            let (ev, moved) = self.moved(m, key, start);
            let end = ev.end_for(&moved);
            if ctx.touches(&moved, end.as_ref()) {
                if !budget.take_event(ev, warnings) {
                    return false;
                }
                let uid = if recurring {
                    instance_uid(&m.uid, &start, self.tz)
                } else {
                    m.uid.clone()
                };
                out.push(ctx.raw_event(ev, uid, moved, end));
            }
        }
        true
    }

    /// The overrides that touch the window, in order of the instance they replace. An override
    /// of an excluded instance stays excluded (as recurring-ical-events does).
    fn take_overrides(
        &self,
        ctx: &Ctx<'_>,
        budget: &mut Budget,
        warnings: &mut Vec<String>,
        out: &mut Vec<RawEvent>,
    ) {
        let mut keys: Vec<&Key> = self.overrides.keys().collect();
        keys.sort();
        for key in keys {
            let (ev, rid) = self.overrides[key];
            if ev.status == Status::Cancelled || self.excluded.contains(key) {
                continue;
            }
            let end = ev.end_for(&ev.start);
            if ctx.touches(&ev.start, end.as_ref()) {
                if !budget.take_event(ev, warnings) {
                    return;
                }
                let uid = instance_uid(&ev.uid, &rid, self.tz);
                out.push(ctx.raw_event(ev, uid, ev.start, end));
            }
        }
    }

    /// An instance of the master as the latest `RANGE=THISANDFUTURE` override before it has
    /// it (RFC 5545 §3.8.4.4: "all subsequent instances are also rescheduled by the same time
    /// difference", and take its length and text, as recurring-ical-events does): the event
    /// it takes its text from, and its start. The difference is wall-clock time when the
    /// override and its RECURRENCE-ID are in one zone (an aware Python datetime's), else
    /// the difference of the instants.
    fn moved(&self, m: &'e VEvent, key: Key, start: DateVal) -> (&'e VEvent, DateVal) {
        let Some((_, ev, rid)) = self.future.iter().rev().find(|(k, _, _)| *k < key) else {
            return (m, start);
        };
        let same_zone = match (ev.start, *rid) {
            (DateVal::Zoned(_, a), DateVal::Zoned(_, b)) => a == b,
            (a, b) => std::mem::discriminant(&a) == std::mem::discriminant(&b),
        };
        let shift = if same_zone {
            ev.start.naive() - rid.naive()
        } else {
            ev.start.instant(self.tz) - rid.instant(self.tz)
        };
        match start.naive().checked_add_signed(shift) {
            Some(n) => (ev, start.with_naive(n)),
            None => (m, start),
        }
    }

    /// The day an occurrence falls on in the series' zone (for all-day EXDATEs).
    fn local_day(&self, v: &DateVal) -> NaiveDate {
        match (v, self.tz) {
            (DateVal::Zoned(n, _) | DateVal::Floating(n), _) | (DateVal::Utc(n), None) => n.date(),
            (DateVal::Utc(n), Some(tz)) => tz.local(n.and_utc()).date(),
            (DateVal::Date(d), _) => *d,
        }
    }
}

/// The instance of an all-day series a RECURRENCE-ID names: the local date it is written in.
/// Apple iCal and Exchange name an instance of an all-day series by a date-time at local
/// midnight (`RECURRENCE-ID;TZID=Asia/Hong_Kong:20030610T000000`), whose instant is the day
/// before in UTC: matched by instant, the moved instance would never replace the date
/// instance, and the original day would be listed beside the moved one. RFC 5545 §3.8.4.4
/// makes RECURRENCE-ID's value type that of DTSTART; the peer matches by the date as well.
fn named_day(rid: DateVal) -> DateVal {
    DateVal::Date(rid.naive().date())
}

/// The uid of one instance of a series: `UID@` and the instance's original start; none for an
/// event without UID.
fn instance_uid(uid: &str, at: &DateVal, series_tz: Option<Zone>) -> String {
    if uid.is_empty() {
        String::new()
    } else {
        format!("{uid}@{}", at.instance_id(series_tz))
    }
}

/// Start of every occurrence of a master that may touch the window (before EXDATEs and
/// overrides), in the master's form, and whether the event recurs at all. At most
/// [`MAX_SERIES_OCCURRENCES`] (the first ones; a warning says so). `steps_left`: what is left
/// of the feed's budget of rule steps. A rule that is bad, or would cost more than the
/// bounds allow, is left out with a warning: the other rules, DTSTART and RDATEs stand.
fn instances(
    m: &VEvent,
    ctx: &Ctx<'_>,
    steps_left: &mut u64,
    warnings: &mut Vec<String>,
) -> (Vec<DateVal>, bool) {
    if m.rrules.is_empty() && m.rdates.is_empty() {
        return (vec![m.start], false);
    }
    let mut starts = Starts::new(m, ctx);
    // Several RRULEs are one recurrence set, their union (RFC 5545 §3.8.5.3).
    let mut include_dtstart = m.rrules.is_empty();
    for rule in &m.rrules {
        let mark = starts.mark();
        match rules::expand_rule(rule, m, ctx.jump, steps_left, &mut starts) {
            Ok(with_dtstart) => include_dtstart |= with_dtstart,
            Err(e) => {
                // A rule that cannot be read or walked costs its own occurrences only.
                starts.roll_back(mark);
                include_dtstart = true;
                warnings.push(format!(
                    "{}: {e}; the rule is left out, DTSTART kept",
                    m.name()
                ));
            }
        }
    }
    // RFC 5545 §3.8.5.3: DTSTART is the first occurrence even when the rule does not match it.
    if include_dtstart {
        starts.push(m.start);
    }
    for r in &m.rdates {
        if !starts.push(r.to_form_of(&m.start)) {
            break;
        }
    }
    if starts.capped {
        warnings.push(format!(
            "{}: more than {MAX_SERIES_OCCURRENCES} occurrences in the window, only the first {MAX_SERIES_OCCURRENCES} kept",
            m.name()
        ));
    }
    let mut starts = starts.found;
    starts.sort_by_key(|v| v.instant(None));
    (starts, true)
}

/// The starts of one series' occurrences, collected in the range where they can touch the
/// window, each once, until [`MAX_SERIES_OCCURRENCES`] of them touch it.
pub(super) struct Starts<'a> {
    m: &'a VEvent,
    ctx: &'a Ctx<'a>,
    /// Occurrences are looked for from a little before the window: as far back as the
    /// longest event could reach into it (at most `MAX_EVENT_DAYS`, checked when the event was
    /// read), to a day after it.
    pub(super) from: DateTime<Utc>,
    pub(super) to: DateTime<Utc>,
    found: Vec<DateVal>,
    seen: HashSet<NaiveDateTime>,
    touching: usize,
    capped: bool,
}

impl<'a> Starts<'a> {
    fn new(m: &'a VEvent, ctx: &'a Ctx<'a>) -> Starts<'a> {
        let length = m
            .end_for(&m.start)
            .map_or_else(Duration::zero, |e| e.instant(None) - m.start.instant(None))
            .max(Duration::days(1));
        let from = ctx
            .lo
            .checked_sub_signed(length + Duration::days(1))
            .unwrap_or(ctx.lo);
        let to = ctx
            .hi
            .checked_add_signed(Duration::days(1))
            .unwrap_or(ctx.hi);
        Starts {
            m,
            ctx,
            from,
            to,
            found: Vec::new(),
            seen: HashSet::new(),
            touching: 0,
            capped: false,
        }
    }

    /// Where the occurrences found so far end, for [`Starts::roll_back`].
    fn mark(&self) -> (usize, usize, bool) {
        (self.found.len(), self.touching, self.capped)
    }

    /// Forgets the occurrences found since `mark` (those of a rule that failed part way).
    fn roll_back(&mut self, (found, touching, capped): (usize, usize, bool)) {
        for v in self.found.drain(found..) {
            self.seen.remove(&v.naive());
        }
        self.touching = touching;
        self.capped = capped;
    }

    /// Keeps an occurrence in range; false once [`MAX_SERIES_OCCURRENCES`] of them touch the
    /// window.
    pub(super) fn push(&mut self, v: DateVal) -> bool {
        if self.touching >= MAX_SERIES_OCCURRENCES {
            self.capped = true;
            return false;
        }
        let at = v.instant(None);
        if at >= self.from && at < self.to && self.seen.insert(v.naive()) {
            if self.ctx.touches(&v, self.m.end_for(&v).as_ref()) {
                self.touching += 1;
            }
            self.found.push(v);
        }
        true
    }
}
