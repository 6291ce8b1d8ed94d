//! One VEVENT read into a [`VEvent`]: its text, its dates in the form they were written, its
//! recurrence properties (expanded later, in `expand.rs`), and its links (found once, at its
//! first occurrence taken).

use super::document::components;
use super::document::{describe, describe_block, link_text};
use super::rules::rule_parts;
use super::values::{DateVal, date_values, name_is, param, parse_duration, prop};
use super::zones::{TzResolver, Zone};
use super::{MAX_EVENT_DAYS, MAX_EVENT_RULES, MAX_LINK_TEXT};
use crate::description::{clean_url, extract_links, is_web_link};
use crate::model::Status;
use crate::sources::page_util::html_too_complex;
use chrono::Duration;
use icalendar::parser::{Component, read_components};
use std::cell::{Cell, OnceCell};
use std::collections::HashSet;

/// Every VEVENT of the document, each block parsed on its own by the `icalendar` crate: a
/// block that does not parse, or an event that cannot be used, is a warning naming it.
pub(super) fn read_events(
    blocks: &[&str],
    tzids: &mut TzResolver,
    warnings: &mut Vec<String>,
) -> Vec<VEvent> {
    let mut events = Vec::new();
    for (index, block) in blocks.iter().enumerate() {
        let mut repaired = None;
        let components = if let Ok(c) = components(block) {
            c
        } else {
            // A line that is not a property (no colon: `SUMMARY=…`), or whose parameters do
            // not parse (iOS's `X-TITLE=Hauptstraße 1-5\; 4041 Linz`: a backslash escapes
            // nothing in a parameter, RFC 5545 §3.2), fails the crate's parse of the whole
            // block; skipped alone, with a warning, the event is read (as Python's icalendar
            // does): a bad line costs that line.
            let (kept, dropped) = without_bad_lines(block);
            match read_components(repaired.insert(kept)) {
                Ok(c) if !dropped.is_empty() => {
                    for (line, why) in dropped {
                        warnings.push(format!(
                            "{}: line {line:?} {why}, skipped",
                            describe_block(block)
                        ));
                    }
                    c
                }
                _ => {
                    warnings.push(format!(
                        "{}: not valid iCalendar, skipped",
                        describe_block(block)
                    ));
                    continue;
                }
            }
        };
        for c in components {
            let mut notes = Vec::new();
            match VEvent::from_component(&c, index, tzids, &mut notes) {
                // Its description's markup is judged when an occurrence is taken
                // (`Budget::take_event`): most events of a feed are far from the window.
                Ok(mut ev) => {
                    if let Some(why) = ev.drop_backward_end() {
                        notes.push(why.to_string());
                    }
                    events.push(ev);
                }
                Err(e) => notes.push(e),
            }
            for note in notes {
                warnings.push(format!("{}: {note}", describe_block(block)));
            }
        }
    }
    events
}

/// The block without its lines that are no property (no colon), or that the crate does not
/// read as one on their own (a malformed parameter), and those lines (the first few, cut to
/// 80 characters, each with what is wrong with it). BEGIN and END lines are kept.
fn without_bad_lines(block: &str) -> (String, Vec<(String, &'static str)>) {
    let mut kept = String::with_capacity(block.len());
    let mut dropped = Vec::new();
    for line in block.split_inclusive('\n') {
        let text = line.trim_end_matches(['\r', '\n']);
        if text.trim().is_empty() || is_begin_or_end(text) || is_property(text) {
            kept.push_str(line);
        } else if dropped.len() < 8 {
            let why = if text.contains(':') {
                "does not parse as a property"
            } else {
                "is not a property"
            };
            dropped.push((line.trim().chars().take(80).collect(), why));
        }
    }
    (kept, dropped)
}

fn is_begin_or_end(line: &str) -> bool {
    ["BEGIN:", "END:"].iter().any(|k| {
        line.as_bytes()
            .get(..k.len())
            .is_some_and(|b| b.eq_ignore_ascii_case(k.as_bytes()))
    })
}

/// Whether the crate reads this one line as a property (in a component of its own).
fn is_property(line: &str) -> bool {
    line.contains(':')
        && read_components(&format!("BEGIN:VEVENT\r\n{line}\r\nEND:VEVENT\r\n")).is_ok()
}

/// The RRULEs of an event (at most [`MAX_EVENT_RULES`]), each without the parts that are no
/// rule parts, and without those that have no rule part left; each repair is a note.
fn read_rules(c: &Component<'_>, notes: &mut Vec<String>) -> Vec<String> {
    let mut rules = Vec::new();
    for p in c
        .properties
        .iter()
        .filter(|p| name_is(p.name.as_str(), "RRULE"))
    {
        let written = p.val.as_str().trim();
        if written.is_empty() {
            continue;
        }
        if rules.len() == MAX_EVENT_RULES {
            notes.push(format!(
                "more than {MAX_EVENT_RULES} RRULEs: RRULE {written:?} and those after it left out"
            ));
            break;
        }
        let (rule, junk) = rule_parts(written);
        if rule.is_empty() {
            notes.push(format!(
                "RRULE {written:?} has no rule part, ignored (DTSTART kept)"
            ));
            continue;
        }
        for part in junk {
            notes.push(format!(
                "RRULE {written:?}: {part:?} is not a rule part, ignored"
            ));
        }
        rules.push(rule);
    }
    rules
}

/// One VEVENT, read.
#[derive(Debug, Clone)]
pub(super) struct VEvent {
    /// Position in the file (ties between equal SEQUENCEs go to the later one).
    pub(super) index: usize,
    pub(super) uid: String,
    pub(super) summary: String,
    pub(super) description: Option<String>,
    pub(super) location: Option<String>,
    pub(super) url: Option<String>,
    pub(super) conference: Option<String>,
    pub(super) status: Status,
    pub(super) start: DateVal,
    pub(super) end: Option<DateVal>,
    pub(super) duration: Option<Duration>,
    /// The RRULEs, their parts that are no rule parts left out (`rules::rule_parts`). Two
    /// or more (Zimbra writes them) are a union: RFC 5545 §3.6.1 says RRULE "SHOULD NOT
    /// occur more than once", and §3.8.5.3 makes the recurrence set what DTSTART, the RRULEs
    /// and RDATEs give together (RFC 2445 allowed several rules outright).
    pub(super) rrules: Vec<String>,
    pub(super) rdates: Vec<DateVal>,
    pub(super) exdates: Vec<DateVal>,
    pub(super) recurrence_id: Option<DateVal>,
    /// `RECURRENCE-ID;RANGE=THISANDFUTURE`: the instances after this one are moved as it was
    /// (RFC 5545 §3.8.4.4), and take its text and length.
    pub(super) this_and_future: bool,
    pub(super) sequence: i64,
    /// URL and links, found once for all the occurrences ([`VEvent::links`]).
    links: OnceCell<(Option<String>, Vec<String>)>,
    /// Whether [`VEvent::markup_problem`] was looked at (once, at its first occurrence taken).
    pub(super) markup_checked: Cell<bool>,
}

impl VEvent {
    fn from_component(
        c: &Component<'_>,
        index: usize,
        tzids: &mut TzResolver,
        notes: &mut Vec<String>,
    ) -> Result<VEvent, String> {
        let text = |name: &str| {
            prop(c, name)
                .map(|p| p.val.as_str().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        let one_date = |name: &str,
                        tzids: &mut TzResolver,
                        notes: &mut Vec<String>|
         -> Result<Option<DateVal>, String> {
            match prop(c, name) {
                Some(p) => Ok(date_values(p, tzids, true, notes)?.into_iter().next()),
                None => Ok(None),
            }
        };
        // RDATE and EXDATE: a bad value is left out (a note), the event kept.
        let all_dates = |name: &str,
                         tzids: &mut TzResolver,
                         notes: &mut Vec<String>|
         -> Result<Vec<DateVal>, String> {
            let mut out = Vec::new();
            for p in c
                .properties
                .iter()
                .filter(|p| name_is(p.name.as_str(), name))
            {
                out.extend(date_values(p, tzids, false, notes)?);
            }
            Ok(out)
        };
        let start = one_date("DTSTART", tzids, notes)?.ok_or("no DTSTART, skipped")?;
        let end = one_date("DTEND", tzids, notes)?;
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
            rrules: read_rules(c, notes),
            rdates: all_dates("RDATE", tzids, notes)?,
            exdates: all_dates("EXDATE", tzids, notes)?,
            recurrence_id: one_date("RECURRENCE-ID", tzids, notes)?,
            this_and_future: prop(c, "RECURRENCE-ID")
                .and_then(|p| param(p, "RANGE"))
                .is_some_and(|r| r.eq_ignore_ascii_case("THISANDFUTURE")),
            sequence: text("SEQUENCE").and_then(|s| s.parse().ok()).unwrap_or(0),
            links: OnceCell::new(),
            markup_checked: Cell::new(false),
        })
    }

    pub(super) fn name(&self) -> String {
        describe(Some(&self.uid), Some(&self.summary))
    }

    /// Why the links of this event's description or location are not read, if they are not.
    pub(super) fn markup_problem(&self) -> Option<String> {
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
    pub(super) fn links(&self) -> &(Option<String>, Vec<String>) {
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
    pub(super) fn text_bytes(&self) -> usize {
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
    pub(super) fn ctx_tz(&self) -> Option<Zone> {
        match self.start {
            DateVal::Zoned(_, tz) => Some(tz),
            _ => None,
        }
    }

    /// A DTEND before DTSTART, or a negative DURATION, says nothing reliable about the
    /// length: dropped (the event keeps its start), and why.
    fn drop_backward_end(&mut self) -> Option<&'static str> {
        let ctx = self.ctx_tz();
        if self
            .end
            .is_some_and(|end| end.instant(ctx) < self.start.instant(ctx))
        {
            self.end = None;
            return Some("DTEND is before DTSTART; end ignored");
        }
        if self.duration.is_some_and(|d| d < Duration::zero()) {
            self.duration = None;
            return Some("negative DURATION; ignored");
        }
        None
    }

    /// The end of an occurrence starting at `start` (in this event's form), from DTEND or
    /// DURATION, as wall-clock arithmetic (an event at 19:00–21:00 stays so across DST).
    pub(super) fn end_for(&self, start: &DateVal) -> Option<DateVal> {
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
