//! Event identity by URL: a canonical form of a link, and the key that says "this URL names
//! exactly one event".
//!
//! [`canonical`] removes what never changes which page a link points at: the scheme, `www.`,
//! host case, Google's `google.com/url?q=` redirect wrapper, tracking parameters (`utm_*`,
//! `lm_*`, `fbclid`, …), fragments and trailing slashes; `lu.ma` becomes `luma.com`, and a
//! meetup event link becomes `meetup.com/events/<id>` (the id alone identifies a meetup event:
//! locale prefixes like `/de-DE/`, the group's urlname — groups get renamed — and `?eventId=`
//! forms all collapse to it).
//!
//! [`event_key`] is `Some` only for links that name one event (a meetup event, a luma event, an
//! eventbrite `/e/…` page, any other page below a site's root). A site root or a meetup group
//! page is shared by many entries (a conference homepage linked for each of its days, a group
//! linked for each of its meetups), so it is no identity: those need date and
//! organizer/title evidence (see `similar`).

use crate::link::parts;
use crate::site::{elsewhere, meetup_com, platform};

/// The canonical form of a link, for comparing. Not a URL to print: it has no scheme.
///
/// ```
/// use twir_events::dedupe::identity::canonical;
/// assert_eq!(
///     canonical("https://www.meetup.com/de-DE/Seattle-Rust-User-Group/events/314520814/"),
///     canonical("https://meetup.com/join-srug/events/314520814"),
/// );
/// assert_eq!(canonical("https://lu.ma/abc123?utm_source=x"), "luma.com/abc123");
/// ```
pub fn canonical(url: &str) -> String {
    let Some(p) = parts(url) else {
        return url.trim().trim_end_matches('/').to_lowercase();
    };
    if let Some(id) = &p.meetup_event {
        return meetup_com::event_key(id);
    }
    let mut key = p.host.clone();
    for s in &p.segments {
        key.push('/');
        key.push_str(s);
    }
    if !p.query.is_empty() {
        let q: Vec<String> = p.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        key.push('?');
        key.push_str(&q.join("&"));
    }
    key
}

/// The identity of the one event a link names, or `None` for links shared by many entries
/// (site roots, meetup group pages, luma calendars named like the organizer's page, listing
/// pages). `organizer_url` is the entry's organizer link: a title link equal to it is no
/// identity either.
pub fn event_key(url: &str, organizer_url: Option<&str>) -> Option<String> {
    let p = parts(url)?;
    if let Some(id) = &p.meetup_event {
        return Some(meetup_com::event_key(id));
    }
    if p.host == meetup_com::HOST {
        return None; // a group page, a group's event list
    }
    if p.segments.is_empty() && p.query.is_empty() {
        return None; // a site root
    }
    // Video-call and chat hosts: a call link is shared by every session of a group.
    if elsewhere::is_room(&p.host) {
        return None; // a call or chat room, reused for every session
    }
    let key = canonical(url);
    if let Some(org) = organizer_url
        && canonical(org) == key
    {
        return None;
    }
    let last = p.segments.last().map(|s| s.to_ascii_lowercase());
    if p.query.is_empty()
        && matches!(
            last.as_deref(),
            Some("events" | "event" | "calendar" | "schedule" | "meetups" | "agenda" | "program")
        )
        && p.segments.len() <= 2
    {
        return None; // a listing page
    }
    if p.host == platform::EVENTBRITE && p.segments.first().is_some_and(|s| s != "e") {
        return None; // an organizer page (`/o/…`)
    }
    Some(key)
}

/// The group a link belongs to: a meetup group's urlname (`meetup.com/<group>`), else the
/// site's host. Used to tell "the same group" when two event ids differ.
pub fn group_key(url: &str) -> Option<String> {
    let p = parts(url)?;
    if p.host == meetup_com::HOST {
        return Some(meetup_com::group_key(p.meetup_group()?));
    }
    Some(p.host)
}

/// The host of a link (`www.` dropped, `lu.ma` as `luma.com`): the platform it is on.
pub fn host(url: &str) -> Option<String> {
    parts(url).map(|p| p.host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meetup_events_are_their_id() {
        let k = "meetup.com/events/314520814";
        for u in [
            "https://www.meetup.com/seattle-rust-user-group/events/314520814/",
            "https://www.meetup.com/join-srug/events/314520814",
            "http://meetup.com/de-DE/Join-SRUG/events/314520814/?utm_source=x#top",
            "https://www.meetup.com/join-srug/events/?eventId=314520814",
            "https://www.google.com/url?q=https://www.meetup.com/join-srug/events/314520814/&sa=D&source=calendar",
        ] {
            assert_eq!(canonical(u), k, "{u}");
            assert_eq!(event_key(u, None).as_deref(), Some(k), "{u}");
        }
        assert_eq!(
            canonical("https://www.meetup.com/indyrs/events/wqzhftyjcmbdb/"),
            "meetup.com/events/wqzhftyjcmbdb"
        );
    }

    #[test]
    fn luma_hosts_and_params() {
        assert_eq!(
            canonical("https://lu.ma/d0rndgyv?lm_source=cal&utm_medium=x"),
            "luma.com/d0rndgyv"
        );
        assert_eq!(canonical("https://luma.com/D0RNDGYV/"), "luma.com/d0rndgyv");
        assert_eq!(
            event_key(
                "https://lu.ma/rust-girona",
                Some("https://luma.com/rust-girona")
            ),
            None
        );
        assert_eq!(
            event_key(
                "https://luma.com/1bm27cah",
                Some("https://luma.com/rust-girona")
            )
            .as_deref(),
            Some("luma.com/1bm27cah")
        );
    }

    #[test]
    fn shared_pages_are_no_identity() {
        assert_eq!(event_key("https://rustconf.com/", None), None);
        assert_eq!(
            event_key("https://www.meetup.com/indyrs/events/", None),
            None
        );
        assert_eq!(event_key("https://www.meetup.com/rust-berlin/", None), None);
        assert_eq!(event_key("https://rustconf.com/schedule/", None), None);
        assert_eq!(
            event_key(
                "https://www.eventbrite.com/o/rust-circle-kampala-65249289033/",
                None
            ),
            None
        );
        assert_eq!(
            event_key(
                "https://www.eventbrite.co.uk/e/rust-circle-meetup-tickets-628763176587?aff=x",
                None
            )
            .as_deref(),
            Some("eventbrite.com/e/rust-circle-meetup-tickets-628763176587")
        );
        assert_eq!(
            event_key(
                "https://berline.rs/2024/12/05/rust-hack-and-learn.html",
                None
            )
            .as_deref(),
            Some("berline.rs/2024/12/05/rust-hack-and-learn.html")
        );
    }

    #[test]
    fn other_paths_keep_case_and_drop_fragments() {
        assert_eq!(
            canonical("HTTPS://WWW.Example.org/Talks/A/#x"),
            "example.org/Talks/A"
        );
        assert_eq!(
            group_key("https://www.meetup.com/de-DE/IndyRS/events/316107210/").as_deref(),
            Some("meetup.com/indyrs")
        );
    }
}
