//! What a platform is: a site where many organizers have pages and events (a ticketing or
//! event site, a code forge, a video or social site), whose home page is nobody's. The one
//! place the known platforms are written ([`HOSTS`]); what is decided without them (whether a
//! host is an organizer's own site, which paths are event, ticket or form pages) is
//! `link::organizer`'s rule, so that the next such site is refused without a new line here.

use super::{elsewhere, luma_com, meetup_com};

/// The known platforms, by registrable domain (a subdomain is the platform's too:
/// `events.humanitix.com`). Hosts are as [`crate::link::parts`] folds them (`lu.ma` is
/// `luma.com`, eventbrite's country sites are `eventbrite.com`).
pub const HOSTS: &[&str] = &[
    meetup_com::HOST,
    luma_com::HOST,
    EVENTBRITE,
    "hasgeek.com",
    "pretix.eu",
    "ti.to",
    "tito.io",
    "konfhub.com",
    "humanitix.com",
    "tickettailor.com",
    "sessionize.com",
    "gdg.community.dev",
    "connpass.com",
    elsewhere::GITHUB,
    GOOGLE,
    elsewhere::YOUTUBE,
    elsewhere::ZOOM,
    elsewhere::LINKEDIN,
    elsewhere::FACEBOOK,
];

/// eventbrite's host, as [`fold_host`] folds its country sites (`eventbrite.co.uk`,
/// `eventbrite.de`) and subdomains.
pub const EVENTBRITE: &str = "eventbrite.com";

/// Google's host: its redirect wrapper (`google.com/url?q=…`), its calendar, maps and docs.
pub const GOOGLE: &str = "google.com";

/// Whether a (lower-case, `www.`-less) host is eventbrite's: `eventbrite.com` or a subdomain.
pub fn is_eventbrite(host: &str) -> bool {
    host == EVENTBRITE
        || host
            .strip_suffix(EVENTBRITE)
            .is_some_and(|h| h.ends_with('.'))
}

/// The host a link is compared under (lower case, `www.` already dropped): `lu.ma` is
/// `luma.com`, `m.meetup.com` is `meetup.com`, eventbrite's subdomains and country sites are
/// `eventbrite.com`; other hosts as they are.
pub fn fold_host(host: &str) -> String {
    if let Some(luma) = luma_com::fold_host(host) {
        return luma.to_string();
    }
    match host {
        "m.meetup.com" => meetup_com::HOST.to_string(),
        h if h.ends_with(".eventbrite.com") || h.starts_with("eventbrite.") => {
            EVENTBRITE.to_string()
        }
        _ => host.to_string(),
    }
}

/// Whether a folded host's paths are case-insensitive (meetup, luma, eventbrite): their
/// paths are compared lower-cased.
pub fn folds_path_case(host: &str) -> bool {
    matches!(host, meetup_com::HOST | luma_com::HOST | EVENTBRITE)
}

/// Whether a (lower-case) host is Google's search site, whose `/url?q=<target>` wraps the
/// links Google Calendar writes into descriptions: `google.com`, `www.google.com` and the
/// country sites (`google.de`), not its calendar.
pub fn is_google_redirect_host(host: &str) -> bool {
    let bare = host.strip_prefix("www.").unwrap_or(host);
    bare == GOOGLE || bare.starts_with("google.") && !bare.contains("calendar")
}

/// Whether `host` (lower case, no `www.`) is a known platform or one of its subdomains
/// (`calendar.google.com`, `us02web.zoom.us`).
pub fn is_platform_host(host: &str) -> bool {
    HOSTS
        .iter()
        .any(|p| host == *p || host.strip_suffix(p).is_some_and(|h| h.ends_with('.')))
}

/// The labels of `host` that name someone: all but the public suffix (the last label, and a
/// generic second level under a two-letter country code: `org.il`, `co.uk`, `ac.nz`) and
/// `www`. `lambda-brussels.glitch.me` → `lambda-brussels`, `glitch`.
pub fn naming_labels(host: &str) -> Vec<&str> {
    /// Second levels that are a country's public suffix, not a name.
    const GENERIC_SECOND: &[&str] = &["co", "com", "org", "net", "ac", "gov", "edu", "or", "ne"];
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let Some((tld, rest)) = labels.split_last() else {
        return Vec::new();
    };
    let rest = match rest.split_last() {
        Some((second, before))
            if tld.len() == 2 && !before.is_empty() && GENERIC_SECOND.contains(second) =>
        {
            before
        }
        _ => rest,
    };
    rest.iter().copied().filter(|l| *l != "www").collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_and_their_subdomains() {
        for host in [
            "meetup.com",
            "calendar.google.com",
            "us06web.zoom.us",
            "ti.to",
        ] {
            assert!(is_platform_host(host), "{host}");
        }
        for host in ["rustconf.com", "notgithub.com", "berline.rs"] {
            assert!(!is_platform_host(host), "{host}");
        }
    }

    #[test]
    fn hosts_fold_to_their_site() {
        assert_eq!(fold_host("lu.ma"), "luma.com");
        assert_eq!(fold_host("m.meetup.com"), "meetup.com");
        assert_eq!(fold_host("eventbrite.co.uk"), "eventbrite.com");
        assert_eq!(fold_host("rust.eventbrite.com"), "eventbrite.com");
        assert_eq!(fold_host("rustconf.com"), "rustconf.com");
        assert!(folds_path_case("luma.com") && !folds_path_case("rustconf.com"));
        assert!(is_eventbrite("www2.eventbrite.com") && !is_eventbrite("noteventbrite.com"));
    }

    #[test]
    fn google_redirect_hosts() {
        for host in [
            "google.com",
            "www.google.com",
            "google.de",
            "www.google.co.uk",
        ] {
            assert!(is_google_redirect_host(host), "{host}");
        }
        for host in [
            "calendar.google.com",
            "google.calendar.example",
            "notgoogle.com",
        ] {
            assert!(!is_google_redirect_host(host), "{host}");
        }
    }

    #[test]
    fn naming_labels_drop_the_public_suffix() {
        assert_eq!(naming_labels("rust.org.il"), ["rust"]);
        assert_eq!(naming_labels("www.rustnationuk.com"), ["rustnationuk"]);
        assert_eq!(
            naming_labels("resbaz.auckland.ac.nz"),
            ["resbaz", "auckland"]
        );
        assert_eq!(
            naming_labels("lambda-brussels.glitch.me"),
            ["lambda-brussels", "glitch"]
        );
        assert_eq!(naming_labels("co.uk"), ["co"]);
    }
}
