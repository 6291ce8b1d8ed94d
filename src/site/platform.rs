//! What a platform is: a site where many organizers have pages and events (a ticketing or
//! event site, a code forge, a video or social site), whose home page is nobody's. The one
//! place the known platforms are written ([`HOSTS`]); what is decided without them (whether a
//! host is an organizer's own site, which paths are event, ticket or form pages) is
//! `link::organizer`'s rule, so that the next such site is refused without a new line here.

/// The known platforms, by registrable domain (a subdomain is the platform's too:
/// `events.humanitix.com`). Hosts are as [`crate::link::parts`] folds them (`lu.ma` is
/// `luma.com`, eventbrite's country sites are `eventbrite.com`).
pub const HOSTS: &[&str] = &[
    super::meetup_com::HOST,
    super::luma_com::HOST,
    "eventbrite.com",
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
    "github.com",
    "google.com",
    "youtube.com",
    "zoom.us",
    "linkedin.com",
    "facebook.com",
];

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
