//! Sites that are not event platforms but turn up in events' links and locations: video
//! calls, chat rooms, streaming video, social networks, forms, and code hosts. None carries
//! events to read, and a link to one is a room, a channel or a profile that every session of
//! a group shares. The one place these hosts are written: `place` asks whether a location's
//! link means online, `normalize` which links are never an event's page, `dedupe` which links
//! are no event's identity, `health` and `add` what to say about an organizer's link.

/// What a host is, when it is one of these sites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elsewhere {
    /// A video call or webinar room.
    Call,
    /// A chat server, channel or group.
    Chat,
    /// A streaming or video site.
    Video,
    /// A social network's profile or page.
    Social,
    /// A form (sign-up, call for proposals).
    Form,
    /// A code host: an organization's or a project's repositories.
    Code,
}

impl Elsewhere {
    /// How `health` and `add` name a link to such a site, in their advice.
    pub fn description(self) -> &'static str {
        match self {
            Elsewhere::Code => "a code host's page",
            _ => "a chat, video, social or form link",
        }
    }
}

/// Video-call and webinar services.
const CALLS: &[&str] = &[
    "zoom.us",
    "zoom.com",
    "meet.google.com",
    "hangouts.google.com",
    "teams.microsoft.com",
    "teams.live.com",
    "meet.jit.si",
    "jitsi.org",
    "webex.com",
    "gotowebinar.com",
    "whereby.com",
    "gather.town",
    "crowdcast.io",
    "streamyard.com",
    "hopin.com",
    "bigbluebutton.org",
];

/// Chat services: servers, channels, groups, invitations.
const CHATS: &[&str] = &[
    "discord.gg",
    "discord.com",
    "t.me",
    "telegram.me",
    "matrix.to",
    "slack.com",
    "chat.whatsapp.com",
];

/// Streaming and video sites.
const VIDEOS: &[&str] = &["youtube.com", "youtu.be", "twitch.tv", "vimeo.com"];

/// Social networks.
const SOCIALS: &[&str] = &[LINKEDIN, "twitter.com", "x.com", FACEBOOK, "kommunity.com"];

/// Form services.
const FORMS: &[&str] = &["forms.gle", "docs.google.com"];

/// Code hosts.
const CODE: &[&str] = &[GITHUB, "gitlab.com", "codeberg.org"];

/// Hosts that are also in [`super::platform::HOSTS`] (many organizers' pages, nobody's home).
pub const GITHUB: &str = "github.com";
pub const YOUTUBE: &str = "youtube.com";
pub const ZOOM: &str = "zoom.us";
pub const LINKEDIN: &str = "linkedin.com";
pub const FACEBOOK: &str = "facebook.com";

/// Map links, by the start of their match key (`host/path`): a venue's map, never an event.
const MAPS: &[&str] = &[
    "maps.google.com",
    "goo.gl/maps",
    "google.com/maps",
    "maps.app.goo.gl",
];

/// Google Calendar's host: a calendar entry's link is the entry, not the event's page.
const CALENDAR: &str = "calendar.google.com";

/// Whether `host` is `site` or one of its subdomains (`us02web.zoom.us`).
fn on(host: &str, site: &str) -> bool {
    host == site || host.strip_suffix(site).is_some_and(|h| h.ends_with('.'))
}

/// What a (lower-case, `www.`-less) host is, if it is a call, chat, video, social, form or
/// code site (or one of their subdomains).
pub fn category(host: &str) -> Option<Elsewhere> {
    [
        (CALLS, Elsewhere::Call),
        (CHATS, Elsewhere::Chat),
        (VIDEOS, Elsewhere::Video),
        (SOCIALS, Elsewhere::Social),
        (FORMS, Elsewhere::Form),
        (CODE, Elsewhere::Code),
    ]
    .into_iter()
    .find(|(hosts, _)| hosts.iter().any(|h| on(host, h)))
    .map(|(_, c)| c)
}

/// A call or chat room: one link reused for every session of a group, no event's identity.
pub fn is_room(host: &str) -> bool {
    matches!(category(host), Some(Elsewhere::Call | Elsewhere::Chat))
}

/// A host where an online event takes place: a call, a chat server, a stream. A location
/// that links to one means online.
pub fn is_online_venue(host: &str) -> bool {
    matches!(
        category(host),
        Some(Elsewhere::Call | Elsewhere::Chat | Elsewhere::Video)
    )
}

/// A link (by its match key, `host/path…`) to a call, a map or a calendar entry: something an
/// event's description links to that is never the event's own page.
pub fn is_call_map_or_calendar(key: &str) -> bool {
    let host = key.split('/').next().unwrap_or_default();
    category(host) == Some(Elsewhere::Call)
        || on(host, CALENDAR)
        || MAPS
            .iter()
            .any(|m| key == *m || key.starts_with(&format!("{m}/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_and_their_subdomains_by_category() {
        assert_eq!(category("us06web.zoom.us"), Some(Elsewhere::Call));
        assert_eq!(category("discord.gg"), Some(Elsewhere::Chat));
        assert_eq!(category("rust-lang.slack.com"), Some(Elsewhere::Chat));
        assert_eq!(category("youtu.be"), Some(Elsewhere::Video));
        assert_eq!(category("de.linkedin.com"), Some(Elsewhere::Social));
        assert_eq!(category("docs.google.com"), Some(Elsewhere::Form));
        assert_eq!(category("github.com"), Some(Elsewhere::Code));
        assert_eq!(category("codeberg.org"), Some(Elsewhere::Code));
        for host in ["box.com", "notgithub.com", "meetup.com", "google.com"] {
            assert_eq!(category(host), None, "{host}");
        }
    }

    #[test]
    fn a_code_host_is_not_called_a_chat_link() {
        assert_eq!(
            category("github.com").map(Elsewhere::description),
            Some("a code host's page")
        );
        assert_eq!(
            category("t.me").map(Elsewhere::description),
            Some("a chat, video, social or form link")
        );
    }

    #[test]
    fn calls_maps_and_calendar_entries_are_never_an_event_page() {
        for key in [
            "us02web.zoom.us/j/123",
            "meet.google.com/abc-defg-hij",
            "goo.gl/maps/xyz",
            "google.com/maps/place/x",
            "calendar.google.com/calendar/event",
        ] {
            assert!(is_call_map_or_calendar(key), "{key}");
        }
        for key in [
            "google.com/mapsx",
            "meetup.com/rust-berlin/events/1",
            "youtube.com/live",
        ] {
            assert!(!is_call_map_or_calendar(key), "{key}");
        }
    }
}
