//! meetup.com links: `https://www.meetup.com/[<locale>/]<urlname>/events/<id>/`, the group's
//! page `/<urlname>/`, its feed `/<urlname>/events/ical/`, and `?eventId=<id>` on links meetup
//! writes into e-mails and listings.
//!
//! `event_id` is the one rule for "the meetup event id of this URL" (`?eventId=`, else the
//! segment after `/events/` when it is 1–20 letters and digits and not a listing such as `past`,
//! `ical`, `calendar`); `link` (and through it `dedupe`), the readers and `check` ask it.

/// The site's host, as [`crate::link::parts`] folds it.
pub const HOST: &str = "meetup.com";

/// A group's page: `https://www.meetup.com/<urlname>/`.
pub fn group_page(urlname: &str) -> String {
    format!("https://www.{HOST}/{urlname}/")
}

/// A group's events list: `https://www.meetup.com/<urlname>/events/`.
pub fn group_events_page(urlname: &str) -> String {
    format!("https://www.{HOST}/{urlname}/events/")
}

/// The key a group is compared under (`meetup.com/<urlname>`, as `dedupe` and `check` key
/// groups).
pub fn group_key(urlname: &str) -> String {
    format!("{HOST}/{urlname}")
}

/// The urlname in a group key (`meetup.com/<urlname>`), when the key is a meetup group's.
pub fn group_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(HOST)?.strip_prefix('/')
}

/// The key an event is compared under, whatever its group or locale:
/// `meetup.com/events/<id>`.
pub fn event_key(id: &str) -> String {
    format!("{HOST}/events/{id}")
}

/// The event id in an event key (`meetup.com/events/<id>`).
pub fn event_id_of_key(key: &str) -> Option<&str> {
    key.strip_prefix(HOST)?.strip_prefix("/events/")
}

/// Whether a (lower-case) host is meetup's: `meetup.com` or one of its subdomains (its
/// mobile site `m.meetup.com` is the site itself: [`crate::link::parts`] folds it).
pub fn is_host(host: &str) -> bool {
    host == HOST || host.strip_suffix(HOST).is_some_and(|h| h.ends_with('.'))
}

/// A locale path segment: `de-de`, `en-au`, … (already lower-cased), dropped before the group.
pub fn is_locale(segment: &str) -> bool {
    let b = segment.as_bytes();
    b.len() == 5
        && b[2] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 2 || c.is_ascii_alphabetic())
}

/// Segments after `/events/` that name a listing of the group, not one event.
const LISTINGS: [&str; 4] = ["past", "ical", "calendar", "rss"];

/// Whether a path segment is an event id: numeric, or (older recurring events) lower-case
/// letters such as `qwtdjsyfcdbcb`; up to 20 letters and digits, and not a listing
/// (`/events/past/`, `/events/calendar/`, `/events/ical/`, `/events/rss/`).
pub fn is_event_id(id: &str) -> bool {
    (1..=20).contains(&id.len())
        && id.chars().all(|c| c.is_ascii_alphanumeric())
        && !LISTINGS.iter().any(|l| id.eq_ignore_ascii_case(l))
}

/// The meetup event id of a URL (lower-cased): `?eventId=<id>` when the link carries one,
/// else the segment after `/events/` when it is an id ([`is_event_id`]). `None` for other
/// sites and for a group's pages and listings (`/events/past/` is not an event). The one rule:
/// the readers, [`crate::link::parts`] (identity and lookups) and verification use it.
pub fn event_id(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !is_host(&super::bare_host(&u)?) {
        return None;
    }
    event_id_in(&u, &segments(&u))
}

/// [`event_id`] of a parsed meetup URL whose path `segments` are already lower-cased, locale
/// dropped.
pub fn event_id_in(u: &url::Url, segments: &[String]) -> Option<String> {
    if let Some((_, id)) = u
        .query_pairs()
        .find(|(k, _)| k.eq_ignore_ascii_case("eventid"))
    {
        let id = id.trim().to_ascii_lowercase();
        if !id.is_empty() {
            return Some(id);
        }
    }
    let pos = segments.iter().position(|s| s == "events")?;
    let id = segments.get(pos + 1)?;
    is_event_id(id).then(|| id.to_ascii_lowercase())
}

/// Whether folded path `segments` are one event's page: `<urlname>/events/<id>/…`.
pub fn is_event_page(segments: &[&str]) -> bool {
    matches!(segments, [_group, "events", id, ..] if is_event_id(id))
}

/// The group of folded path `segments` (lower-cased, locale dropped): the first segment,
/// unless the link is meetup's own `/events/…`.
pub fn group(segments: &[String]) -> Option<&str> {
    segments
        .first()
        .map(String::as_str)
        .filter(|s| *s != "events")
}

/// The group urlname in a meetup URL, as written (`/<urlname>/…`, also `/de-DE/<urlname>/…`).
pub fn urlname(url: &str) -> Option<String> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !is_host(&super::bare_host(&u)?) {
        return None;
    }
    let mut segs = u.path_segments()?.filter(|s| !s.is_empty());
    let first = segs.next()?;
    let name = if is_locale(&first.to_ascii_lowercase()) {
        segs.next()?
    } else {
        first
    };
    Some(name.to_string())
}

/// The group page a group's iCal feed (`/<urlname>/events/ical/`) belongs to.
pub fn feed_group_page(u: &url::Url) -> Option<String> {
    let segments: Vec<&str> = u.path_segments()?.filter(|s| !s.is_empty()).collect();
    let rest: Vec<&str> = segments
        .iter()
        .copied()
        .skip_while(|s| is_locale(&s.to_ascii_lowercase()))
        .collect();
    match rest.as_slice() {
        [group, events, ical, ..]
            if events.eq_ignore_ascii_case("events") && ical.eq_ignore_ascii_case("ical") =>
        {
            Some(group_page(group))
        }
        _ => None,
    }
}

/// Path segments of a meetup URL: non-empty, lower-cased, locale dropped.
fn segments(u: &url::Url) -> Vec<String> {
    let mut segments: Vec<String> = u
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_lowercase).collect())
        .unwrap_or_default();
    if segments.first().is_some_and(|s| is_locale(s)) {
        segments.remove(0);
    }
    segments
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_id_one_rule() {
        let id = |u: &str| event_id(u);
        assert_eq!(
            id("https://www.meetup.com/de-DE/Rust-Rhein-Main/events/229564640/").as_deref(),
            Some("229564640")
        );
        assert_eq!(
            id("https://www.meetup.com/indyrs/events/qwtdjsyfcdbcb/").as_deref(),
            Some("qwtdjsyfcdbcb")
        );
        assert_eq!(
            id("https://www.meetup.com/join-srug/events/?eventId=314520814").as_deref(),
            Some("314520814")
        );
        for listing in [
            "events/",
            "events/past/",
            "events/ical/",
            "events/calendar/",
        ] {
            assert_eq!(
                id(&format!("https://www.meetup.com/indyrs/{listing}")),
                None
            );
        }
        assert_eq!(id("https://lu.ma/events/123456789"), None);
        assert_eq!(
            id("https://www.meetup.com/indyrs/events/123456789012345678901"),
            None
        );
    }

    #[test]
    fn urlname_and_feed() {
        assert_eq!(
            urlname("https://www.meetup.com/de-DE/Rust-Rhein-Main/events/1/").as_deref(),
            Some("Rust-Rhein-Main")
        );
        let feed = url::Url::parse("https://www.meetup.com/fr-FR/rust-paris/events/ical/").unwrap();
        assert_eq!(
            feed_group_page(&feed).as_deref(),
            Some("https://www.meetup.com/rust-paris/")
        );
    }
}
