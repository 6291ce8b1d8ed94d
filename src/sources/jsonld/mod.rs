//! Event pages described with schema.org JSON-LD (`<script type="application/ld+json">`):
//! luma (`lu.ma`, `luma.com`), conference sites, hasgeek, Eventbrite event pages, pretix with
//! its plugin. luma pages without a JSON-LD event are read from their Next.js data instead
//! (`__NEXT_DATA__` at `props.pageProps.initialData.data`: one `event`, or a calendar's
//! `events[]` / `featured_items[]`).
//!
//! What a page says is kept as said: an offset time stays [`When::Offset`], a date stays a
//! [`When::Date`] (end made exclusive), a UTC instant from luma becomes wall time in the
//! event's own `timezone`.

use super::page_util::{
    PageScripts, at, clean_url, country_code, decode_text, make_place, meetup_event_id,
    parse_embedded_json, parse_when, str_field,
};
use super::{Parsed, SourceError, fuzz};
use crate::model::{Attendance, Organizer, Place, RawEvent, Status, When};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;
use std::collections::HashSet;
use std::fmt::Write as _;
use super::kind::{Claim, Kind, PageScope, Reach, SourceKind};
use crate::model::Window;

/// Reads every schema.org event of a page: each `application/ld+json` block may hold one
/// object, an array, or an `@graph`; members whose `@type` is an event type become events
/// (nested `subEvent`s do not). When no block holds an event, a luma page's `__NEXT_DATA__` is
/// read. A page with neither is an `Err` saying what the page held.
pub fn parse_page(html: &str, origin: &str, label: &str) -> Result<Parsed, SourceError> {
    let scripts = PageScripts::read(html);
    let mut parsed = Parsed::default();
    let scan = scan_blocks(&scripts.ld_json, origin, label, &mut parsed.warnings);
    if !scan.events.is_empty() {
        parsed.events = scan.events;
        return Ok(parsed);
    }
    if let Some(text) = &scripts.next_data {
        match parse_embedded_json(text) {
            Ok((value, _)) => {
                if let Some(events) = luma_next_data(&value, label, &mut parsed.warnings) {
                    parsed.events = events;
                    return Ok(parsed);
                }
            }
            Err(e) => parsed
                .warnings
                .push(format!("__NEXT_DATA__ is not valid JSON ({e}); ignored")),
        }
    }
    let types = if scan.types.is_empty() {
        String::new()
    } else {
        format!(" (JSON-LD types seen: {})", scan.types.join(", "))
    };
    let mut message = format!(
        "no schema.org event and no luma event data found: {}{types}; the page format may have changed, or this is not an event page",
        scripts.describe(html.len())
    );
    if !parsed.warnings.is_empty() {
        let _ = write!(message, " [{}]", parsed.warnings.join("; "));
    }
    Err(SourceError {
        origin: origin.to_string(),
        message,
    })
}

/// Most distinct `@type`s listed in an error message.
const MAX_TYPES_LISTED: usize = 50;

/// What the JSON-LD blocks of a page held.
#[derive(Debug, Default)]
pub(crate) struct LdScan {
    /// The events, in document order.
    pub events: Vec<RawEvent>,
    /// The `@type`s seen on top-level and `@graph` members (for error messages), the first
    /// [`MAX_TYPES_LISTED`].
    pub types: Vec<String>,
}

/// Reads JSON-LD blocks (their raw text). Broken blocks and unusable events become warnings.
pub(crate) fn scan_blocks(
    blocks: &[String],
    origin: &str,
    label: &str,
    warnings: &mut Vec<String>,
) -> LdScan {
    let mut scan = LdScan::default();
    let mut types_seen: HashSet<String> = HashSet::new();
    for (i, block) in blocks.iter().enumerate() {
        if block.trim().is_empty() {
            continue;
        }
        let value = match parse_embedded_json(block) {
            Ok((v, repaired)) => {
                if repaired {
                    warnings.push(format!(
                        "JSON-LD block {} had raw control characters inside strings; read after replacing them",
                        i + 1
                    ));
                }
                v
            }
            Err(e) => {
                warnings.push(format!(
                    "JSON-LD block {} is not valid JSON ({e}); skipped",
                    i + 1
                ));
                continue;
            }
        };
        let mut members = Vec::new();
        collect_members(&value, &mut members);
        for m in members {
            let types = type_names(m);
            for t in &types {
                if scan.types.len() < MAX_TYPES_LISTED && types_seen.insert(t.clone()) {
                    scan.types.push(t.clone());
                }
            }
            if types.iter().any(|t| is_event_type(t))
                && let Some(ev) = event_from_ld(m, origin, label, warnings)
            {
                scan.events.push(ev);
            }
        }
    }
    scan
}

/// Top-level objects, array members and `@graph` members (recursively through arrays and
/// graphs only).
fn collect_members<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect_members(i, out)),
        Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                collect_members(graph, out);
            }
            if map.contains_key("@type") {
                out.push(v);
            }
        }
        _ => {}
    }
}

/// The `@type` names of an object, without a `schema:` or `https://schema.org/` prefix.
fn type_names(v: &Value) -> Vec<String> {
    let short = |s: &str| {
        s.rsplit(['/', ':', '#'])
            .next()
            .unwrap_or(s)
            .trim()
            .to_string()
    };
    match v.get("@type") {
        Some(Value::String(s)) => vec![short(s)],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).map(short).collect(),
        _ => Vec::new(),
    }
}

/// `Event` and its schema.org subtypes (`EducationEvent`, `SocialEvent`, `BusinessEvent`, …,
/// all ending in "Event"), plus the event types whose name does not say so.
fn is_event_type(t: &str) -> bool {
    t.ends_with("Event") || matches!(t, "Hackathon" | "Festival" | "CourseInstance")
}

/// One schema.org event object to a [`RawEvent`]; `None` (with a warning) when it lacks a name
/// or a readable start.
pub(crate) fn event_from_ld(
    obj: &Value,
    origin: &str,
    label: &str,
    warnings: &mut Vec<String>,
) -> Option<RawEvent> {
    let url = str_field(obj, "url")
        .or_else(|| str_field(obj, "@id").filter(|s| s.starts_with("http")))
        .map(clean_url)
        .or_else(|| origin.starts_with("http").then(|| origin.to_string()));
    let what_text = match &url {
        Some(u) => format!("JSON-LD event {u}"),
        None => "a JSON-LD event".to_string(),
    };
    let what = || what_text.clone();
    let Some(title) = str_field(obj, "name").map(decode_text) else {
        warnings.push(format!("{} has no name; skipped", what()));
        return None;
    };
    let Some(s) = str_field(obj, "startDate") else {
        warnings.push(format!("{} \"{title}\" has no startDate; skipped", what()));
        return None;
    };
    let Some(start) = parse_when(s) else {
        warnings.push(format!(
            "{} \"{title}\": unreadable startDate \"{s}\"; skipped",
            what()
        ));
        return None;
    };
    let end = str_field(obj, "endDate").and_then(|s| {
        let w = parse_when(s);
        if w.is_none() {
            warnings.push(format!(
                "{} \"{title}\": unreadable endDate \"{s}\"; ignored",
                what()
            ));
        }
        w
    });
    let end = match end {
        // schema.org dates are inclusive; RawEvent's date ends are exclusive.
        Some(When::Date(d)) => d.succ_opt().map(When::Date),
        other => other,
    };
    // An end before the start (a typo in the year, found by fuzzing) says nothing reliable
    // about the length: the event is kept with its start only.
    let before_start = match (&start, &end) {
        (When::Date(s), Some(When::Date(e))) => e <= s,
        (When::Offset(s), Some(When::Offset(e))) => e < s,
        _ => false,
    };
    let end = if before_start {
        warnings.push(format!(
            "{} \"{title}\": endDate \"{}\" is before its startDate; ignored",
            what(),
            str_field(obj, "endDate").unwrap_or_default()
        ));
        None
    } else {
        end
    };

    let mut ev = RawEvent::new(label, title.clone(), start);
    ev.end = end;
    ev.uid = url
        .as_deref()
        .map(uid_for_url)
        .or_else(|| str_field(obj, "@id").map(str::to_string));
    ev.url.clone_from(&url);
    ev.links = url.iter().cloned().collect();
    ev.description = str_field(obj, "description").map(str::to_string);

    let loc = read_location(obj.get("location"));
    ev.place = loc.place;
    ev.location = loc.text;
    ev.conference = loc.virtual_url;
    ev.attendance = loc.attendance;
    if let Some(mode) = str_field(obj, "eventAttendanceMode") {
        match attendance_mode(mode) {
            Some(a) => ev.attendance = Some(a),
            None => warnings.push(format!(
                "{} \"{title}\": unknown eventAttendanceMode \"{mode}\"; ignored",
                what()
            )),
        }
    }
    if let Some(status) = str_field(obj, "eventStatus") {
        match last_segment(status) {
            "EventCancelled" => ev.status = Status::Cancelled,
            "EventPostponed" => ev.status = Status::Postponed,
            "EventScheduled" | "EventRescheduled" => ev.status = Status::Confirmed,
            "EventMovedOnline" => {
                ev.status = Status::Confirmed;
                ev.attendance = Some(Attendance::Virtual);
            }
            other => warnings.push(format!(
                "{} \"{title}\": unknown eventStatus \"{other}\"; taken as scheduled",
                what()
            )),
        }
    }
    ev.organizer = read_organizer(obj.get("organizer"));
    Some(ev)
}

/// The uid for an event URL: `meetup:<id>` for meetup, `luma:<slug>` for luma, else the URL.
fn uid_for_url(url: &str) -> String {
    if let Some(id) = meetup_event_id(url) {
        return format!("meetup:{id}");
    }
    if let Ok(u) = url::Url::parse(url) {
        let host = u.host_str().unwrap_or("").trim_start_matches("www.");
        if matches!(host, "lu.ma" | "luma.com") {
            let segs: Vec<&str> = u
                .path_segments()
                .map(|s| s.filter(|s| !s.is_empty()).collect())
                .unwrap_or_default();
            if let [slug] = segs.as_slice() {
                return format!("luma:{slug}");
            }
        }
    }
    url.to_string()
}

fn last_segment(s: &str) -> &str {
    s.trim().rsplit(['/', ':']).next().unwrap_or(s).trim()
}

/// `https://schema.org/OnlineEventAttendanceMode` and its short forms.
fn attendance_mode(s: &str) -> Option<Attendance> {
    match last_segment(s) {
        "OnlineEventAttendanceMode" => Some(Attendance::Virtual),
        "OfflineEventAttendanceMode" => Some(Attendance::InPerson),
        "MixedEventAttendanceMode" => Some(Attendance::Hybrid),
        _ => None,
    }
}

/// What a `location` says.
#[derive(Debug, Default)]
struct Location {
    place: Option<Place>,
    /// Free text: the venue name and address as written.
    text: Option<String>,
    virtual_url: Option<String>,
    /// From the shape alone: a `Place` → in person, a `VirtualLocation` → virtual, both → hybrid.
    attendance: Option<Attendance>,
}

fn read_location(v: Option<&Value>) -> Location {
    let mut loc = Location::default();
    let items: Vec<&Value> = match v {
        Some(Value::Array(a)) => a.iter().collect(),
        Some(v) => vec![v],
        None => return loc,
    };
    let (mut physical, mut virt) = (false, false);
    for item in items {
        match item {
            Value::String(s) if !s.trim().is_empty() && loc.text.is_none() => {
                loc.text = Some(decode_text(s));
            }
            Value::Object(_) => {
                if type_names(item).iter().any(|t| t == "VirtualLocation") {
                    virt = true;
                    if loc.virtual_url.is_none() {
                        loc.virtual_url = str_field(item, "url").map(str::to_string);
                    }
                    continue;
                }
                physical = true;
                let (place, text) = read_place(item);
                if loc.place.is_none() {
                    loc.place = place;
                }
                if loc.text.is_none() {
                    loc.text = text;
                }
            }
            _ => {}
        }
    }
    loc.attendance = match (physical, virt) {
        (true, true) => Some(Attendance::Hybrid),
        (true, false) => Some(Attendance::InPerson),
        (false, true) => Some(Attendance::Virtual),
        (false, false) => None,
    };
    loc
}

/// A schema.org `Place`: its `address` as a `PostalAddress` or a string, and its name.
fn read_place(v: &Value) -> (Option<Place>, Option<String>) {
    let name = str_field(v, "name").map(decode_text);
    let (place, address_text) = match v.get("address") {
        Some(Value::String(s)) => (None, Some(decode_text(s))),
        Some(a @ Value::Object(_)) => {
            let country = match a.get("addressCountry") {
                Some(Value::String(s)) => Some(s.clone()),
                Some(c @ Value::Object(_)) => str_field(c, "name")
                    .or_else(|| str_field(c, "identifier"))
                    .map(str::to_string),
                _ => None,
            };
            let city = str_field(a, "addressLocality").map(decode_text);
            let region = str_field(a, "addressRegion").map(decode_text);
            let place = make_place(city.as_deref(), region.as_deref(), country.as_deref());
            let text: Vec<String> = [
                str_field(a, "streetAddress").map(decode_text),
                match (str_field(a, "postalCode"), &city) {
                    (Some(pc), Some(c)) => Some(format!("{pc} {c}")),
                    (None, Some(c)) => Some(c.clone()),
                    (Some(pc), None) => Some(pc.to_string()),
                    (None, None) => None,
                },
                region.clone(),
                country.clone(),
            ]
            .into_iter()
            .flatten()
            .collect();
            (place, (!text.is_empty()).then(|| text.join(", ")))
        }
        _ => (None, None),
    };
    let text = match (name, address_text) {
        (Some(n), Some(a)) if !a.starts_with(&n) => Some(format!("{n}, {a}")),
        (_, Some(a)) => Some(a),
        (n, None) => n,
    };
    (place, text)
}

/// `organizer`: an `Organization` or `Person` (or a list: the first), or a bare name.
fn read_organizer(v: Option<&Value>) -> Option<Organizer> {
    let v = match v? {
        Value::Array(a) => a.first()?,
        v => v,
    };
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(Organizer {
            name: decode_text(s),
            url: None,
            home: None,
        }),
        Value::Object(_) => Some(Organizer {
            name: str_field(v, "name").map(decode_text)?,
            url: str_field(v, "url").map(clean_url),
            home: None,
        }),
        _ => None,
    }
}

/// luma's Next.js data: `props.pageProps.initialData.data` holding an `event` (event page) or
/// `events[]` / `featured_items[]` / `items[]` (calendar page), each possibly wrapped as
/// `{"event": {...}}`. `None` when the value has none of these (not a luma page).
pub(crate) fn luma_next_data(
    root: &Value,
    label: &str,
    warnings: &mut Vec<String>,
) -> Option<Vec<RawEvent>> {
    let data = at(root, &["props", "pageProps", "initialData", "data"])?;
    let calendar_org = data.get("calendar").and_then(luma_calendar_organizer);
    let mut raw: Vec<&Value> = Vec::new();
    let mut found = false;
    if let Some(ev) = data.get("event").filter(|e| e.is_object()) {
        found = true;
        raw.push(ev);
    }
    for key in ["events", "featured_items", "items"] {
        if let Some(list) = data.get(key).and_then(Value::as_array) {
            found = true;
            raw.extend(list.iter().map(|i| i.get("event").unwrap_or(i)));
        }
    }
    if !found {
        return None;
    }
    let mut out: Vec<RawEvent> = Vec::new();
    let mut uids: HashSet<Option<String>> = HashSet::new();
    for v in raw {
        // An item may also carry its own calendar (`{event, calendar}` wrappers).
        if let Some(mut ev) = luma_event(v, label, warnings) {
            if ev.organizer.is_none() {
                ev.organizer.clone_from(&calendar_org);
            }
            // The same event can be both featured and listed.
            if uids.insert(ev.uid.clone()) {
                out.push(ev);
            }
        }
    }
    Some(out)
}

fn luma_calendar_organizer(cal: &Value) -> Option<Organizer> {
    let name = str_field(cal, "name").map(decode_text)?;
    Some(Organizer {
        name,
        url: str_field(cal, "slug")
            .map(|s| format!("https://luma.com/{s}"))
            .or_else(|| str_field(cal, "url").map(str::to_string)),
        home: None,
    })
}

/// One luma event object (`name`, `start_at`/`end_at` in UTC, `timezone`, `url` slug,
/// `geo_address_info`, `location_type`).
fn luma_event(v: &Value, label: &str, warnings: &mut Vec<String>) -> Option<RawEvent> {
    let id = str_field(v, "api_id")
        .or_else(|| str_field(v, "url"))
        .unwrap_or("?");
    let Some(title) = str_field(v, "name").map(decode_text) else {
        warnings.push(format!("luma event {id} has no name; skipped"));
        return None;
    };
    let tz = str_field(v, "timezone").and_then(|name| {
        let tz = name.parse::<Tz>().ok();
        if tz.is_none() {
            warnings.push(format!(
                "luma event {id} \"{title}\": unknown timezone \"{name}\"; times kept in UTC"
            ));
        }
        tz
    });
    let when = |s: &str| -> Option<When> {
        match parse_when(s)? {
            When::Utc(t) => Some(zoned(t, tz)),
            When::Offset(t) => Some(zoned(t.with_timezone(&Utc), tz)),
            other => Some(other),
        }
    };
    let Some(start) = str_field(v, "start_at").and_then(when) else {
        warnings.push(format!(
            "luma event {id} \"{title}\" has no readable start_at; skipped"
        ));
        return None;
    };
    let mut ev = RawEvent::new(label, title, start);
    ev.end = str_field(v, "end_at").and_then(when);
    let url = str_field(v, "url").map(|slug| {
        if slug.starts_with("http") {
            clean_url(slug)
        } else {
            format!("https://luma.com/{}", slug.trim_matches('/'))
        }
    });
    ev.uid = url
        .as_deref()
        .map(uid_for_url)
        .or_else(|| str_field(v, "api_id").map(|a| format!("luma:{a}")));
    ev.url.clone_from(&url);
    ev.links = url.into_iter().collect();
    ev.description = str_field(v, "description").map(str::to_string);
    ev.attendance = str_field(v, "location_type").and_then(|t| {
        let t = t.to_ascii_lowercase();
        if t == "offline" {
            Some(Attendance::InPerson)
        } else if ["online", "zoom", "meet", "virtual"]
            .iter()
            .any(|k| t.contains(k))
        {
            Some(Attendance::Virtual)
        } else {
            None
        }
    });
    if let Some(geo) = v.get("geo_address_info").filter(|g| g.is_object()) {
        let country = str_field(geo, "country_code").or_else(|| str_field(geo, "country"));
        ev.place = make_place(
            str_field(geo, "city"),
            str_field(geo, "region"),
            country.and_then(country_code).as_deref(),
        );
        ev.location = str_field(geo, "full_address")
            .or_else(|| str_field(geo, "city_state"))
            .or_else(|| str_field(geo, "address"))
            .map(decode_text);
    }
    if ev.place.is_some() && ev.attendance == Some(Attendance::Virtual) {
        // An online event with a city is the calendar's home, not a venue; keep it as text.
        ev.place = None;
    }
    if let Some(cal) = v.get("calendar") {
        ev.organizer = luma_calendar_organizer(cal);
    }
    Some(ev)
}

fn zoned(t: DateTime<Utc>, tz: Option<Tz>) -> When {
    match tz {
        Some(tz) => When::Zoned(t.with_timezone(&tz).naive_local(), tz),
        None => When::Utc(t),
    }
}


/// A page with schema.org Event JSON-LD.
pub struct Jsonld;

impl Kind for Jsonld {
    fn kind(&self) -> SourceKind {
        SourceKind::Jsonld
    }
    fn reach(&self) -> Reach {
        Reach::AnyPage
    }
    fn reader_name(&self) -> &'static str {
        "JSON-LD page reader"
    }
    /// As a luma page is read (the reader's widest use: JSON-LD, then luma's Next.js data).
    fn fuzz(&self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        if let Ok(p) = parse_page(&text, "https://luma.com/fuzz", "fuzz") {
            fuzz::check(&p, "JSON-LD page");
        }
    }
    fn fuzz_seeds(&self) -> &'static [(&'static str, &'static str)] {
        &[("tests/fixtures/pages", "")]
    }
    fn parse(&self, text: &str, url: &str, label: &str, _: &Window) -> Result<Parsed, SourceError> {
        parse_page(text, url, label)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::Host
    }
    /// Any page not another kind's: the last resort, asked last.
    fn owns(&self, url: &str) -> Option<String> {
        let p = crate::link::parts(url)?;
        Some(
            std::iter::once(p.host)
                .chain(p.segments)
                .collect::<Vec<_>>()
                .join("/"),
        )
    }
    /// A page whose schema.org data holds events; else what was found.
    fn claim_body(&self, url: &str, body: &str) -> Result<Claim, Option<String>> {
        match parse_page(body, url, "page") {
            Ok(parsed) if !parsed.events.is_empty() => Ok(Claim::Source {
                url: url.to_string(),
                groups: self.owns(url).into_iter().collect(),
            }),
            Ok(_) => Err(Some("schema.org data but no event in it".to_string())),
            Err(e) => Err(Some(e.message)),
        }
    }
}

#[cfg(test)]
mod tests;
