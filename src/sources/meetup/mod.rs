//! meetup.com pages: a group's upcoming-events page (`/<urlname>/events/`) and an event page
//! (`/<urlname>/events/<id>/`).
//!
//! Both are Next.js pages. The data is read from what the page embeds, never from the visible
//! markup (which changed in late 2025 and broke scrapers that read it):
//! - `<script id="__NEXT_DATA__">`: on a group page an Apollo cache at
//!   `props.pageProps.__APOLLO_STATE__`, a flat map of `"Event:<id>"`, `"Group:<id>"`,
//!   `"Venue:<id>"` objects linked by `{"__ref": "Venue:123"}`; on an event page the event at
//!   `props.pageProps.event` (venue and group inline or as refs into the same cache);
//! - schema.org JSON-LD `Event` blocks, read with [`super::jsonld`]: the fallback when the
//!   Next.js data is missing, and the filler of its gaps (and of partial cache entries).

use super::jsonld;
use super::page_util::{
    PageScripts, at, make_place, meetup_event_id, meetup_urlname, parse_embedded_json, parse_when,
    str_field,
};
use super::{Parsed, SourceError, fuzz};
use crate::model::{Attendance, Organizer, RawEvent, Status, When};
use chrono_tz::Tz;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;
use super::kind::{Claim, Kind, PageScope, Reach, Redirect, SourceKind, WaysIn};
use crate::model::Window;
use crate::site::meetup_com;

/// Parses a group's upcoming-events page `https://www.meetup.com/<urlname>/events/`.
///
/// Every complete `Event` of the Apollo cache becomes a [`RawEvent`] (uid `meetup:<id>`);
/// entries lacking a title or `dateTime` are partial references: completed from the page's
/// JSON-LD when it has the same event, otherwise skipped with a warning. Events of other
/// groups that the cache may hold (recommendations) are skipped with a warning.
///
/// `Ok` with no events when the page has valid data and no upcoming events; `Err` when it has
/// neither a usable `__NEXT_DATA__` nor a JSON-LD event (a login wall, an error page, a new
/// markup).
pub fn parse_group_page(html: &str, origin: &str, label: &str) -> Result<Parsed, SourceError> {
    let scripts = PageScripts::read(html);
    let mut warnings = Vec::new();
    let ld = jsonld::scan_blocks(&scripts.ld_json, origin, label, &mut warnings);
    let next = read_next_data(&scripts, &mut warnings);
    let state = next.as_ref().and_then(apollo_state).filter(|s| {
        s.values()
            .any(|v| is_type(v, "Event") || is_type(v, "Group"))
    });
    if next.is_some() && state.is_none() {
        warnings.push(
            "__NEXT_DATA__ has no Apollo cache (props.pageProps.__APOLLO_STATE__) with a Group or Event"
                .to_string(),
        );
    }
    if state.is_none() && ld.events.is_empty() {
        return Err(nothing_found(&scripts, html, origin, &warnings));
    }

    let page_group = state.and_then(|s| page_group(s, origin));
    let page_group_id = page_group.and_then(|g| str_field(g, "id"));
    let page_org = page_group.and_then(group_organizer);

    // JSON-LD events by meetup id, for completing and filling gaps.
    let mut ld_by_id: BTreeMap<String, RawEvent> = BTreeMap::new();
    let mut ld_other: Vec<RawEvent> = Vec::new();
    for ev in ld.events {
        match ev.url.as_deref().and_then(meetup_event_id) {
            Some(id) => {
                ld_by_id.entry(id).or_insert(ev);
            }
            None => ld_other.push(ev),
        }
    }

    let mut events = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    if let Some(state) = state {
        for (key, obj) in state.iter().filter(|(_, v)| is_type(v, "Event")) {
            let id = str_field(obj, "id").map_or_else(
                || key.trim_start_matches("Event:").to_string(),
                str::to_string,
            );
            if let Some(gid) = page_group_id {
                let group = obj.get("group").and_then(|g| resolve(Some(state), g));
                if let Some(other) = group.filter(|g| str_field(g, "id").is_some_and(|i| i != gid))
                {
                    warnings.push(format!(
                        "event {id}: belongs to another group ({}); skipped",
                        str_field(other, "urlname")
                            .or_else(|| str_field(other, "name"))
                            .unwrap_or("?")
                    ));
                    continue;
                }
            }
            seen.insert(id.clone());
            match cache_event(obj, &id, Some(state), page_group, label, &mut warnings) {
                Ok(mut ev) => {
                    if let Some(l) = ld_by_id.remove(&id) {
                        fill_gaps(&mut ev, l);
                    }
                    events.push(ev);
                }
                Err(missing) => match ld_by_id.remove(&id) {
                    Some(l) => {
                        warnings.push(format!(
                            "event {id}: Apollo cache entry is a partial reference (no {missing}); read from JSON-LD instead"
                        ));
                        events.push(from_ld(l, &id, page_org.as_ref()));
                    }
                    None => warnings.push(format!(
                        "event {id}: Apollo cache entry is a partial reference (no {missing}) and the page has no JSON-LD for it; skipped"
                    )),
                },
            }
        }
    }
    // JSON-LD events the cache does not hold (or every event, when there is no cache).
    for (id, l) in ld_by_id {
        if !seen.contains(&id) {
            events.push(from_ld(l, &id, page_org.as_ref()));
        }
    }
    for l in ld_other {
        warnings.push(format!(
            "JSON-LD event \"{}\" has no meetup event URL ({}); kept as is",
            l.title,
            l.url.as_deref().unwrap_or("no url")
        ));
        events.push(l);
    }
    if let Some(listed) = page_group.and_then(more_upcoming) {
        warnings.push(format!(
            "the group page lists only its first {listed} upcoming events (hasNextPage): later ones are missing until they move up"
        ));
    }
    events.sort_by_key(|e| (sort_key(&e.start), e.uid.clone()));
    Ok(Parsed { events, warnings })
}

/// How many upcoming events the group's page lists when its upcoming connection says there are
/// more (`pageInfo.hasNextPage`): the page shows at most 30 (`formats.md` §5). The upcoming
/// connection is the `events(…)` key that is not the past tab (`beforeDateTime`, `DESC`).
fn more_upcoming(group: &Value) -> Option<usize> {
    let obj = group.as_object()?;
    obj.iter()
        .filter(|(k, _)| k.starts_with("events") && !k.contains("beforeDateTime"))
        .find_map(|(_, conn)| {
            let more = at(conn, &["pageInfo", "hasNextPage"]).and_then(Value::as_bool)?;
            more.then(|| {
                conn.get("edges")
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            })
        })
}

/// Parses an event page `https://www.meetup.com/<urlname>/events/<id>/`: the event at
/// `__NEXT_DATA__` `props.pageProps.event` (or the cache's `Event:<id>`), its gaps filled from
/// the page's JSON-LD `Event`/`EducationEvent`; the JSON-LD alone when the Next.js data is
/// missing. Exactly one event, or an `Err`.
pub fn parse_event_page(html: &str, origin: &str, label: &str) -> Result<Parsed, SourceError> {
    let scripts = PageScripts::read(html);
    let mut warnings = Vec::new();
    let ld = jsonld::scan_blocks(&scripts.ld_json, origin, label, &mut warnings);
    let next = read_next_data(&scripts, &mut warnings);
    let origin_id = meetup_event_id(origin);

    // The JSON-LD event for this page: the one with the page's id, else the first.
    let mut ld_events = ld.events;
    let ld_pos = origin_id
        .as_deref()
        .and_then(|oid| {
            ld_events
                .iter()
                .position(|e| e.url.as_deref().and_then(meetup_event_id).as_deref() == Some(oid))
        })
        .or((!ld_events.is_empty()).then_some(0));
    if ld_events.len() > 1 {
        warnings.push(format!(
            "the page has {} JSON-LD events; using \"{}\"",
            ld_events.len(),
            ld_events[ld_pos.unwrap_or(0)].title
        ));
    }
    let ld_event = ld_pos.map(|i| ld_events.swap_remove(i));

    let props = next.as_ref().and_then(|n| at(n, &["props", "pageProps"]));
    let state = next.as_ref().and_then(apollo_state);
    let cache_obj = props
        .and_then(|p| p.get("event"))
        .and_then(|e| resolve(state, e))
        .or_else(|| {
            let oid = origin_id.as_deref()?;
            state?.get(&format!("Event:{oid}"))
        });

    let event = match cache_obj {
        Some(obj) => {
            let id = str_field(obj, "id")
                .map(str::to_string)
                .or_else(|| str_field(obj, "eventUrl").and_then(meetup_event_id))
                .or_else(|| origin_id.clone())
                .unwrap_or_else(|| "?".to_string());
            match cache_event(obj, &id, state, None, label, &mut warnings) {
                Ok(mut ev) => {
                    if let Some(l) = ld_event {
                        fill_gaps(&mut ev, l);
                    }
                    Some(ev)
                }
                Err(missing) => {
                    warnings.push(format!(
                        "event {id}: __NEXT_DATA__ event has no {missing}; using JSON-LD"
                    ));
                    ld_event.map(|l| from_ld(l, &id, None))
                }
            }
        }
        None => ld_event.map(|l| {
            let id = l
                .url
                .as_deref()
                .and_then(meetup_event_id)
                .or(origin_id.clone())
                .unwrap_or_else(|| "?".to_string());
            from_ld(l, &id, None)
        }),
    };
    match event {
        Some(ev) => Ok(Parsed {
            events: vec![ev],
            warnings,
        }),
        None => Err(nothing_found(&scripts, html, origin, &warnings)),
    }
}

/// Parses `__NEXT_DATA__` when present; a broken one is a warning.
fn read_next_data(scripts: &PageScripts, warnings: &mut Vec<String>) -> Option<Value> {
    let text = scripts.next_data.as_deref()?;
    match parse_embedded_json(text) {
        Ok((v, _)) => Some(v),
        Err(e) => {
            warnings.push(format!("__NEXT_DATA__ is not valid JSON ({e}); ignored"));
            None
        }
    }
}

fn nothing_found(
    scripts: &PageScripts,
    html: &str,
    origin: &str,
    warnings: &[String],
) -> SourceError {
    let mut message = format!(
        "no meetup event data found (neither a __NEXT_DATA__ Apollo cache nor a JSON-LD event): {}; the page format may have changed, or meetup served a login or error page",
        scripts.describe(html.len())
    );
    if !warnings.is_empty() {
        let _ = write!(message, " [{}]", warnings.join("; "));
    }
    SourceError {
        origin: origin.to_string(),
        message,
    }
}

fn is_type(v: &Value, t: &str) -> bool {
    v.get("__typename").and_then(Value::as_str) == Some(t)
}

/// The Apollo cache: at `props.pageProps.__APOLLO_STATE__` (formats.md), else wherever the
/// page put it (`props.__APOLLO_STATE__`, `apolloState`): found by name, a few levels deep, so
/// a moved key degrades to reading it rather than to an empty page.
fn apollo_state(next: &Value) -> Option<&serde_json::Map<String, Value>> {
    fn find(v: &Value, depth: usize) -> Option<&serde_json::Map<String, Value>> {
        let obj = v.as_object()?;
        for key in ["__APOLLO_STATE__", "apolloState", "__APOLLO_CACHE__"] {
            if let Some(s) = obj.get(key).and_then(Value::as_object) {
                return Some(s);
            }
        }
        if depth == 0 {
            return None;
        }
        obj.values().find_map(|child| find(child, depth - 1))
    }
    if let Some(s) =
        at(next, &["props", "pageProps", "__APOLLO_STATE__"]).and_then(Value::as_object)
    {
        return Some(s);
    }
    find(next, 4)
}

/// Follows `{"__ref": "Venue:1"}` into the cache; an inline object is itself.
fn resolve<'a>(state: Option<&'a Map<String, Value>>, v: &'a Value) -> Option<&'a Value> {
    match v.get("__ref").and_then(Value::as_str) {
        Some(key) => state?.get(key),
        None => v.is_object().then_some(v),
    }
}

/// The group the page is about: the cache's group whose urlname is the page's, else the only
/// group in the cache.
fn page_group<'a>(state: &'a Map<String, Value>, origin: &str) -> Option<&'a Value> {
    let groups: Vec<&Value> = state.values().filter(|v| is_type(v, "Group")).collect();
    let want = meetup_urlname(origin);
    want.and_then(|w| {
        groups
            .iter()
            .find(|g| str_field(g, "urlname").is_some_and(|u| u.eq_ignore_ascii_case(&w)))
            .copied()
    })
    .or(if groups.len() == 1 {
        Some(groups[0])
    } else {
        None
    })
}

/// A meetup group as the organizer: its name, `https://www.meetup.com/<urlname>/`, its home.
fn group_organizer(g: &Value) -> Option<Organizer> {
    let name = str_field(g, "name")?;
    Some(Organizer {
        name: name.to_string(),
        url: str_field(g, "urlname").map(|u| format!("https://www.meetup.com/{u}/")),
        home: make_place(
            str_field(g, "city"),
            str_field(g, "state"),
            str_field(g, "country"),
        ),
    })
}

/// One meetup event object (cache entry or `pageProps.event`). `Err(field)` when it is a
/// partial reference lacking `field`.
fn cache_event(
    obj: &Value,
    id: &str,
    state: Option<&Map<String, Value>>,
    fallback_group: Option<&Value>,
    label: &str,
    warnings: &mut Vec<String>,
) -> Result<RawEvent, &'static str> {
    let title = str_field(obj, "title").ok_or("title")?;
    let date_time = str_field(obj, "dateTime").ok_or("dateTime")?;
    let group = obj
        .get("group")
        .and_then(|g| resolve(state, g))
        .or(fallback_group);
    let tz: Option<Tz> = str_field(obj, "timezone")
        .or_else(|| group.and_then(|g| str_field(g, "timezone")))
        .and_then(|z| z.parse().ok());
    let when = |s: &str| {
        parse_when(s).map(|w| match (w, tz) {
            (When::Floating(n), Some(tz)) => When::Zoned(n, tz),
            (w, _) => w,
        })
    };
    let Some(start) = when(date_time) else {
        warnings.push(format!(
            "event {id} \"{title}\": unreadable dateTime \"{date_time}\"; skipped"
        ));
        return Err("readable dateTime");
    };
    let mut ev = RawEvent::new(label, title, start);
    ev.uid = Some(format!("meetup:{id}"));
    ev.end = str_field(obj, "endTime").and_then(|s| {
        let w = when(s);
        if w.is_none() {
            warnings.push(format!(
                "event {id} \"{title}\": unreadable endTime \"{s}\"; ignored"
            ));
        }
        w
    });
    let urlname = group.and_then(|g| str_field(g, "urlname"));
    ev.url = str_field(obj, "eventUrl")
        .map(str::to_string)
        .or_else(|| urlname.map(|u| format!("https://www.meetup.com/{u}/events/{id}/")));
    ev.links = ev.url.iter().cloned().collect();
    ev.description = str_field(obj, "description").map(str::to_string);

    ev.attendance = match str_field(obj, "eventType") {
        Some(t) => {
            let up = t.to_ascii_uppercase();
            if up.contains("HYBRID") {
                Some(Attendance::Hybrid)
            } else if up == "PHYSICAL" || up == "IN_PERSON" {
                Some(Attendance::InPerson)
            } else if up == "ONLINE" {
                Some(Attendance::Virtual)
            } else {
                warnings.push(format!(
                    "event {id} \"{title}\": unknown eventType \"{t}\"; using isOnline"
                ));
                is_online(obj)
            }
        }
        None => is_online(obj),
    };

    if let Some(venue) = obj.get("venue").and_then(|v| resolve(state, v)) {
        let name = str_field(venue, "name");
        let city = str_field(venue, "city");
        let online_placeholder =
            city.is_none() && name.is_some_and(|n| n.eq_ignore_ascii_case("online event"));
        if !online_placeholder {
            ev.place = make_place(city, str_field(venue, "state"), str_field(venue, "country"));
            let parts: Vec<&str> = [name, str_field(venue, "address"), city]
                .into_iter()
                .flatten()
                .collect();
            ev.location = (!parts.is_empty()).then(|| parts.join(", "));
        }
    }

    if let Some(s) = str_field(obj, "status") {
        ev.status = match s.to_ascii_uppercase().as_str() {
            "CANCELLED" | "CANCELED" => Status::Cancelled,
            "POSTPONED" => Status::Postponed,
            "ACTIVE" | "UPCOMING" | "PUBLISHED" | "PAST" => Status::Confirmed,
            _ => {
                warnings.push(format!(
                    "event {id} \"{title}\": unknown status \"{s}\"; taken as confirmed"
                ));
                Status::Confirmed
            }
        };
    }
    ev.organizer = group.and_then(group_organizer);
    Ok(ev)
}

fn is_online(obj: &Value) -> Option<Attendance> {
    obj.get("isOnline").and_then(Value::as_bool).map(|o| {
        if o {
            Attendance::Virtual
        } else {
            Attendance::InPerson
        }
    })
}

/// Fills what the cache left empty from the same event's JSON-LD.
fn fill_gaps(ev: &mut RawEvent, ld: RawEvent) {
    if ev.end.is_none() {
        ev.end = ld.end;
    }
    if ev.place.is_none() && ev.attendance != Some(Attendance::Virtual) {
        ev.place = ld.place;
    }
    if ev.location.is_none() {
        ev.location = ld.location;
    }
    if ev.attendance.is_none() {
        ev.attendance = ld.attendance;
    }
    if ev.description.is_none() {
        ev.description = ld.description;
    }
    if ev.conference.is_none() {
        ev.conference = ld.conference;
    }
    // The cache's status is often absent; a JSON-LD cancellation must not be lost.
    if ev.status == Status::Confirmed && ld.status != Status::Confirmed {
        ev.status = ld.status;
    }
    if ev.organizer.is_none() {
        ev.organizer = ld.organizer;
    }
}

/// A JSON-LD event of a meetup page, with the meetup uid and (when known) the group as
/// organizer.
fn from_ld(mut ev: RawEvent, id: &str, group: Option<&Organizer>) -> RawEvent {
    ev.uid = Some(format!("meetup:{id}"));
    if let Some(g) = group {
        ev.organizer = Some(g.clone());
    }
    ev
}

/// Orders events by their start instant (naive forms taken as UTC: only for a stable order).
fn sort_key(w: &When) -> i64 {
    match w {
        When::Date(d) => d.and_hms_opt(0, 0, 0).map(|n| n.and_utc().timestamp()),
        When::Utc(t) => Some(t.timestamp()),
        When::Zoned(n, _) | When::Floating(n) => Some(n.and_utc().timestamp()),
        When::Offset(t) => Some(t.timestamp()),
    }
    .unwrap_or(0)
}


/// A meetup.com group.
pub struct Meetup;

impl Kind for Meetup {
    fn kind(&self) -> SourceKind {
        SourceKind::Meetup
    }
    fn reach(&self) -> Reach {
        Reach::Site
    }
    fn reader_name(&self) -> &'static str {
        "meetup page reader"
    }
    /// The group page reader and the event page reader.
    fn fuzz(&self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        if let Ok(p) = parse_group_page(&text, "https://www.meetup.com/fuzz/events/", "fuzz") {
            fuzz::check(&p, "meetup group page");
        }
        let event = "https://www.meetup.com/fuzz/events/315000001/";
        if let Ok(p) = parse_event_page(&text, event, "fuzz") {
            fuzz::check(&p, "meetup event page");
        }
    }
    fn fuzz_seeds(&self) -> &'static [(&'static str, &'static str)] {
        &[("tests/fixtures/pages", "meetup")]
    }
    fn ways_in(&self) -> WaysIn {
        WaysIn::PageElseFeed
    }
    /// A group's upcoming-events page.
    fn fetch_url(&self, url: &str) -> String {
        let base = url.trim_end_matches('/');
        if base.ends_with("/events") {
            format!("{base}/")
        } else {
            format!("{base}/events/")
        }
    }
    fn parse(&self, text: &str, url: &str, label: &str, _: &Window) -> Result<Parsed, SourceError> {
        parse_group_page(text, url, label)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::Group
    }
    /// The group's page, whether `url` is it or its events list.
    fn organizer_page(&self, url: &str, _: Option<&str>) -> Option<String> {
        let trimmed = url.trim_end_matches('/');
        let group = trimmed.strip_suffix("/events").unwrap_or(trimmed);
        Some(format!("{group}/"))
    }
    /// A rename only to another group's events page (where the fetched page, its events
    /// list, is moved to); a login or error page, on meetup.com or elsewhere, is none.
    fn redirect(&self, to: &str) -> Redirect {
        let on_events_page = to.trim_end_matches('/').ends_with("/events");
        match self.claim_url(to) {
            Some(Claim::Source { url, groups }) if on_events_page => {
                Redirect::Renamed { url, groups }
            }
            _ => Redirect::NotARename,
        }
    }
    fn owns(&self, url: &str) -> Option<String> {
        let p = crate::link::parts(url)?;
        if p.host != meetup_com::HOST || meetup_com::event_id(url).is_some() {
            return None;
        }
        let group = p.meetup_group()?;
        Some(format!("{}/{group}", meetup_com::HOST))
    }
    /// Any page of meetup.com naming a group (its page, an event, its feed): the group's page
    /// in its plain form (urlnames are case-insensitive, as `health` suggests them).
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let p = crate::link::parts(url)?;
        if p.host != meetup_com::HOST {
            return None;
        }
        let Some(group) = p.meetup_group() else {
            return Some(Claim::Refused(format!(
                "{url:?} names no meetup group: give the group's page, https://www.meetup.com/<group>/"
            )));
        };
        let name = group.to_lowercase();
        Some(Claim::Source {
            url: format!("https://www.{}/{name}/", meetup_com::HOST),
            groups: vec![format!("{}/{name}", meetup_com::HOST)],
        })
    }
}

#[cfg(test)]
mod tests;
