//! Which links are an organizer's own page, by rule rather than by a list of today's sites.
//!
//! An organizer's page is where the organizer is (a meetup group, a luma calendar, an
//! eventbrite organizer page, a GitHub organization, its own site), never a site's home page
//! that hosts many organizers, nor an event's or ticket's page, nor a sign-up form:
//! - a bare root (`https://host/`) is the organizer's only when the host is plausibly its own
//!   site: a label of the host (its public suffix aside) and the organizer's name, folded,
//!   share a word, a prefix or an abbreviation (`rustnationuk.com` for "Rust Nation UK",
//!   `berline.rs` for "Rust Berlin", `cph.rs` for "Copenhagen Rust Group"), and the host is no
//!   known platform ([`crate::site::platform`]); `forms.gle/`, `discord.gg/`, `reddit.com/`,
//!   `partiful.com/` and the next such site are nobody's;
//! - an event page is no organizer's ([`is_event_page`]: a meetup or luma event, a path with
//!   an event or ticket segment followed by the event's own, `…/e/…`, `…/events/<id>`), nor a
//!   form (`forms` / `viewform` in the path or the host);
//! - a link equal to the event's own link (by [`super::match_key`]) is the event's page, not
//!   its organizer's, unless it is the organizer's own site's root (a conference's one-page
//!   site, as the editors print `[RustConf](https://rustconf.com/)` for its event there).
//!
//! What the directory or the sources file names as an organizer's page is taken as it is:
//! this rule decides only links guessed from an event link, and what is learned from the
//! published sections.

use super::{match_key, page_kind, parts};
use crate::site::{luma_com, platform};
use std::fmt;

/// Why a link is not an organizer's page (for the review report's notes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotOrganizerPage {
    /// The home page of a site that is not the organizer's own (a platform's, a chat's, a
    /// form service's).
    SiteRoot,
    /// An event's or ticket's page.
    EventPage,
    /// A sign-up form.
    Form,
    /// The event's own link.
    EventLink,
    /// Not a link at all.
    Unreadable,
}

impl fmt::Display for NotOrganizerPage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NotOrganizerPage::SiteRoot => "the home page of a site that is not the organizer's own",
            NotOrganizerPage::EventPage => "an event's or ticket's page",
            NotOrganizerPage::Form => "a sign-up form",
            NotOrganizerPage::EventLink => "the event's own link",
            NotOrganizerPage::Unreadable => "not a link",
        })
    }
}

/// Words of organizer names that say nothing about which organizer: a host sharing only
/// these is not the organizer's own site.
const GENERIC_WORDS: &[&str] = &[
    "rust",
    "rustlang",
    "rustaceans",
    "meetup",
    "meetups",
    "group",
    "user",
    "users",
    "community",
    "club",
    "the",
    "and",
    "for",
    "with",
    "of",
    "in",
    "on",
    "at",
    "de",
    "la",
    "le",
    "les",
    "del",
    "und",
    "der",
    "die",
    "das",
    "conf",
    "conference",
    "event",
    "events",
    "online",
    "virtual",
];

/// Whether `link` is `name`'s page, given the event's own links; `Err` says why not.
pub fn organizer_page(
    link: &str,
    name: &str,
    event_links: &[&str],
) -> Result<(), NotOrganizerPage> {
    let Some(p) = parts(link) else {
        return Err(NotOrganizerPage::Unreadable);
    };
    if p.segments.is_empty() && p.query.is_empty() {
        return if !platform::is_platform_host(&p.host) && is_own_site(&p.host, name) {
            Ok(())
        } else {
            Err(NotOrganizerPage::SiteRoot)
        };
    }
    if is_form(&p.host, &p.segments) {
        return Err(NotOrganizerPage::Form);
    }
    if is_event_page(link) {
        return Err(NotOrganizerPage::EventPage);
    }
    let key = match_key(link);
    if !names_a_group(&p) && event_links.iter().any(|e| match_key(e) == key) {
        return Err(NotOrganizerPage::EventLink);
    }
    Ok(())
}

/// Whether `link` is one event's page: a meetup or luma event ([`page_kind`]), or a path
/// where an event or ticket segment (`e`, `event`, `events`, `tickets`) is followed by the
/// event's own segment (`eventbrite.com/e/…`, `mobilizon.fr/events/<uuid>`); a list of
/// events (`…/events/`, `…/events/past`, a wiki's `…/events/start`) is not.
pub fn is_event_page(link: &str) -> bool {
    if page_kind(link).is_some() {
        return true;
    }
    let Some(p) = parts(link) else { return false };
    p.segments.windows(2).any(|w| {
        matches!(
            w[0].to_ascii_lowercase().as_str(),
            "e" | "event" | "events" | "ticket" | "tickets"
        ) && !matches!(
            w[1].to_ascii_lowercase().as_str(),
            "ical" | "past" | "calendar" | "upcoming" | "start" | "index" | "list"
        )
    })
}

/// A page that names a group or an organizer by the site's grammar: a meetup group (or its
/// events list), a luma calendar, a path under an organizer segment (`eventbrite.com/o/…`,
/// `…/calendar/…`, `…/groups/…`). Such a page is the organizer's even when an entry also links
/// it as its event (no event page known).
fn names_a_group(p: &super::Parts) -> bool {
    let first = p.segments.first().map(|s| s.to_ascii_lowercase());
    let meetup_group = p.meetup_group().is_some()
        && (p.segments.len() == 1 || (p.segments.len() == 2 && p.segments[1] == "events"));
    let luma_calendar = p.host == luma_com::HOST
        && p.segments.len() == 1
        && !luma_com::is_event_slug(&p.segments[0]);
    let under_organizer = p.segments.len() >= 2
        && first.as_deref().is_some_and(|f| {
            matches!(
                f,
                "o" | "org"
                    | "organizer"
                    | "organizers"
                    | "organization"
                    | "calendar"
                    | "group"
                    | "groups"
            )
        });
    meetup_group || luma_calendar || under_organizer
}

/// A sign-up form: `forms` / `form` / `viewform` in the path, or a host labelled `forms`
/// (`forms.gle`, `docs.google.com/forms/…`).
fn is_form(host: &str, segments: &[String]) -> bool {
    platform::naming_labels(host).contains(&"forms")
        || segments.iter().any(|s| {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "forms" | "form" | "viewform"
            )
        })
}

/// Whether `host` is plausibly the site of the organizer called `name`: one of its naming
/// labels ([`platform::naming_labels`]), folded to letters and digits, is the name's words
/// run together or a run of them (`uarust` for "UA Rust", `rust` for "Rust Tokyo" on
/// `rust.tokyo`), holds a distinctive word of the name or its first four letters
/// (`berline` for "Rust Berlin", `arewegameyet` for "Rust Gamedev"), or abbreviates it
/// (`lpc` for "Linux Plumbers Conference", `cph` for "Copenhagen Rust Group"), or is made of
/// its words (`rust-meetup` for "Rust Iran Meetup").
pub fn is_own_site(host: &str, name: &str) -> bool {
    // Host labels are ASCII: the name is spelled in ASCII too (`Perú` → `peru`), by
    // `deunicode` (as `text::fold` does for Latin letters; `text` is a layer above).
    let words: Vec<String> = deunicode::deunicode(name)
        .to_ascii_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !is_year(w))
        .map(str::to_string)
        .collect();
    let joined: String = words.concat();
    if joined.is_empty() {
        return false;
    }
    let distinctive: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| w.chars().count() >= 3 && !GENERIC_WORDS.contains(w))
        .collect();
    platform::naming_labels(&host.to_ascii_lowercase())
        .into_iter()
        .any(|l| {
            let label: String = l.chars().filter(char::is_ascii_alphanumeric).collect();
            label_names(&label, &joined, &distinctive) || of_name_words(l, &words)
        })
}

/// One host label against a name's words run together and its distinctive words.
fn label_names(label: &str, joined: &str, distinctive: &[&str]) -> bool {
    let n = label.len();
    if n < 2 {
        return false;
    }
    let runs_together = label == joined
        || (n >= 4 && joined.contains(label))
        || (joined.len() >= 4 && label.contains(joined));
    let holds_word = distinctive.iter().any(|w| {
        let head: String = w.chars().take(4).collect();
        head.len() >= 3 && label.contains(&head)
    });
    runs_together || holds_word || (n <= 4 && abbreviates(label, joined))
}

/// A label of two or more hyphenated words, each a word of the name (`rust-meetup.ir` for
/// "Rust Iran Meetup").
fn of_name_words(label: &str, words: &[String]) -> bool {
    let parts: Vec<&str> = label.split('-').filter(|w| !w.is_empty()).collect();
    parts.len() >= 2 && parts.iter().all(|p| words.iter().any(|w| w == p))
}

/// `label` (3–4 letters) is an abbreviation of `joined`: its letters in order, the first
/// the name's first.
fn abbreviates(label: &str, joined: &str) -> bool {
    if label.len() < 3 || label.chars().next() != joined.chars().next() {
        return false;
    }
    let mut rest = joined.chars();
    label.chars().all(|c| rest.any(|j| j == c))
}

/// A four-digit year of 19xx or 20xx (an edition: `RustConf 2026`).
pub fn is_year(word: &str) -> bool {
    word.len() == 4
        && (word.starts_with("19") || word.starts_with("20"))
        && word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_and_service_roots_are_nobody_s() {
        for root in [
            "https://forms.gle/",
            "https://discord.gg/",
            "https://www.reddit.com/",
            "https://docs.google.com/",
            "https://partiful.com/",
            "https://www.eventbrite.co.uk/",
            "https://lu.ma/",
        ] {
            assert_eq!(
                organizer_page(root, "Rust Foo", &[]),
                Err(NotOrganizerPage::SiteRoot),
                "{root}"
            );
        }
        // The next such site, which no list knows.
        assert_eq!(
            organizer_page("https://events.newplatform.example/", "Rust Foo", &[]),
            Err(NotOrganizerPage::SiteRoot)
        );
    }

    #[test]
    fn an_organizer_s_own_site_is_its_page() {
        for (root, name) in [
            ("https://www.rustnationuk.com/", "Rust Nation UK"),
            ("https://rustweek.org/", "RustWeek"),
            ("https://berline.rs/", "Rust Berlin"),
            ("https://cph.rs/", "Copenhagen Rust Group"),
            ("https://lpc.events/", "Linux Plumbers Conference"),
            ("https://rust.tokyo/", "Rust Tokyo"),
            ("https://rust.org.il/", "Rust in Israel"),
            ("https://lambda-brussels.glitch.me/", "Lambda Brussels"),
            ("https://arewegameyet.rs/", "Rust Gamedev"),
            ("https://rustconf.com/", "RustConf 2026"),
        ] {
            assert_eq!(organizer_page(root, name, &[root]), Ok(()), "{root} {name}");
        }
        assert!(!is_own_site("rustconf.com", "Rust Foo"));
        assert!(!is_own_site("discord.gg", "Rust Malaysia Meetup"));
    }

    #[test]
    fn event_ticket_and_form_pages_are_not_organizer_pages() {
        let event = "https://www.eventbrite.com/e/rust-circle-meetup-tickets-628763176587";
        assert_eq!(
            organizer_page(event, "Rust Circle", &[]),
            Err(NotOrganizerPage::EventPage)
        );
        assert_eq!(
            organizer_page("https://lu.ma/ab12cd34", "Rust Foo", &[]),
            Err(NotOrganizerPage::EventPage)
        );
        assert_eq!(
            organizer_page(
                "https://docs.google.com/forms/d/e/1FAIpQLSf/viewform",
                "Rust Foo",
                &[]
            ),
            Err(NotOrganizerPage::Form)
        );
        let own = "https://hackerstolz.de/en";
        assert_eq!(
            organizer_page(own, "Hackerstolz", &[own]),
            Err(NotOrganizerPage::EventLink)
        );
        for page in [
            "https://www.eventbrite.com/o/rust-circle-kampala-65249289033",
            "https://www.meetup.com/women-in-rust/events/",
            "https://lu.ma/rust-girona",
            "https://luma.com/calendar/cal-abcdefghijklmno",
            "https://github.com/rust-dresden",
            "https://discord.gg/Uz88bnZA3B",
        ] {
            assert_eq!(organizer_page(page, "Rust Foo", &[]), Ok(()), "{page}");
        }
    }
}
