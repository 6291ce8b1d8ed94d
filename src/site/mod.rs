//! What each event site's URLs mean, one module per site: the grammar of `meetup.com` and
//! `luma.com` links (hosts and their aliases, locale segments, event ids, groups and
//! calendars), one rule per question; what a platform is ([`platform`]) and the call, chat,
//! video, social, form and code sites ([`elsewhere`]). The one place outside the readers
//! where hosts are written (`tests/layers.rs` checks it). Below every stage: [`crate::link`], the readers in
//! [`crate::sources`], [`crate::verify`], [`crate::dedupe`], [`crate::health`] and
//! [`crate::check`] all ask here. Pure functions of text and parsed URLs.
//!
//! Here: `meetup_com.rs` and `luma_com.rs`, one per site; `platform.rs`, the one list of
//! platforms (sites of many organizers, by registrable domain: `link`, `normalize` and
//! `dedupe` ask it) and the labels of a host that name someone (its public suffix aside); and
//! in this file, the organizer page a feed URL implies. A new site's grammar is a new `<site>_com.rs` here, one
//! rule per question, and the rest of the crate asks it.

pub mod elsewhere;
pub mod luma_com;
pub mod meetup_com;
pub mod platform;

/// The newsletter's repository: the contact in the user agent.
pub const TWIR_REPOSITORY: &str = "https://github.com/rust-lang/this-week-in-rust";

/// The Rust Community Calendar's public page (on Google Calendar), which the newsletter's
/// footer and the HTML page send organizers to. A macro, so that constant text can `concat!`
/// it; [`COMMUNITY_CALENDAR_PAGE`] is the same text.
macro_rules! community_calendar_page {
    () => {
        "https://www.google.com/calendar/embed?src=apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com"
    };
}
pub(crate) use community_calendar_page;

/// The Rust Community Calendar's public page.
pub const COMMUNITY_CALENDAR_PAGE: &str = community_calendar_page!();

/// A URL's host, lower-cased, without `www.`.
pub(crate) fn bare_host(u: &url::Url) -> Option<String> {
    let host = u.host_str()?.to_ascii_lowercase();
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// The organizer page a feed URL implies, when the feed is one organizer's by nature: a meetup
/// group's feed (`…/<group>/events/ical/` → the group page) or a luma calendar's
/// (`api.lu.ma/ics/get?entity=calendar&id=cal-…` → `https://luma.com/calendar/cal-…`).
pub fn feed_organizer_page(feed_url: &str) -> Option<String> {
    let u = url::Url::parse(feed_url).ok()?;
    let host = u
        .host_str()?
        .trim_start_matches("www.")
        .to_ascii_lowercase();
    if host == meetup_com::HOST {
        return meetup_com::feed_group_page(&u);
    }
    luma_com::feed_calendar_page(&u, &host)
}
