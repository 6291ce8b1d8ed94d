//! What each kind of source is, in one place: its name, how it is read (one fetch or several,
//! fallbacks), which reader parses it, which event pages it could list (for verification
//! without a phase barrier), what a suspicious answer of it looks like, which organizer page
//! its URL stands for, which URLs are its own, and what a URL or a fetched body someone gives
//! `add` is as a source of it ([`Claim`]). One unit type per kind implements [`Kind`];
//! [`ALL`] lists them once and [`of`] maps the configuration's [`SourceKind`] to its type
//! (the compiler checks it is total). Help text, hints and the fuzz targets' names derive from
//! the list (as ripgrep's flags are listed once and its man page and completions derived).
//!
//! A new kind: its reader in `sources/<kind>.rs` with a `Kind` type, a `SourceKind` variant,
//! one line in [`of`] and in [`ALL`], fixtures.

use super::{Parsed, SourceError};
use crate::link::PageKind;
use crate::model::Window;
use crate::site::{luma_com, meetup_com};

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An iCalendar feed (the Rust Community Calendar, a meetup or luma feed).
    Ical,
    /// A meetup.com group (`url` is the group's page).
    Meetup,
    /// Any page carrying schema.org `Event` JSON-LD (conference sites, hasgeek, …).
    Jsonld,
    /// A luma calendar (`url` is the calendar page, `https://luma.com/<slug>`): its ICS feed,
    /// found through the `cal-…` id on the page; the page's own event list when the feed fails.
    Luma,
}

impl SourceKind {
    /// Its name (`kind = "luma"`).
    pub fn as_str(self) -> &'static str {
        self.spec().name()
    }

    /// The kind named `name` (`"luma"`), as `sources.toml` and the JSON file write it: how
    /// code outside `sources/` (and its unit tests) names a kind without naming a variant.
    pub fn from_name(name: &str) -> Option<SourceKind> {
        named(name).map(Kind::kind)
    }

    /// Everything the kind knows: its type in the registry.
    pub fn spec(self) -> &'static dyn Kind {
        of(self)
    }
}

/// How a source of a kind is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaysIn {
    /// One fetch of the source's URL, read by the kind's reader.
    One,
    /// The page; when it holds no event data (a login wall), the group's iCal feed (meetup).
    PageElseFeed,
    /// The page for the calendar's id, then the calendar's feed; the page's own list when the
    /// feed cannot be had (luma).
    FeedThroughPage,
}

/// Which event pages a source of a kind could list itself (so fetching them is needless while
/// it is still being read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageScope {
    /// None: a feed's entries are verified, never taken as pages.
    None,
    /// Those of its group (`meetup.com/<group>`).
    Group,
    /// Any on its host.
    Host,
}

/// What a suspicious answer of a kind looks like (reported `SUSPECT`, see `suspect::screen`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuspectWhen {
    /// No events at all and no VEVENT in the body: a calendar keeps its past events.
    EmptyCalendar,
    /// The reader refused the page (no event data): suspect, no events, not a failure.
    PageWithoutEventData,
}

/// Which organizer page a report stands for when the sources file does not say (`check`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportPage {
    /// The report's own URL (a group page, a calendar, a page).
    OwnUrl,
    /// A meetup group's, when the URL is a meetup group's feed; else none (a feed of many).
    MeetupGroupOfFeed,
}

/// What a kind says of a URL someone gives (`add`): the source that reads it, or why none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// A source of the kind: the entry's `url` (a group's or calendar's page in its plain
    /// form, or the feed or page) and every group form it is known under.
    Source { url: String, groups: Vec<String> },
    /// An event page of the kind's site: its calendar is named in its data (fetch this URL).
    EventPage(String),
    /// A URL of the kind's site that names no source of it: why, and what to give instead.
    Refused(String),
}

/// Everything one kind of source knows.
pub trait Kind: Sync {
    /// The kind in the configuration.
    fn kind(&self) -> SourceKind;
    /// Its name in `sources.toml` (`kind = "…"`), reports and the JSON file.
    fn name(&self) -> &'static str;
    /// Its reader's name, for internal-error messages.
    fn reader_name(&self) -> &'static str;
    /// A feed: its entries are verified against their event pages and carry no organizer but
    /// the one the configuration gives; it is not an organizer itself.
    fn is_feed(&self) -> bool {
        false
    }
    /// What its `url` must be, beyond a web link: `Err((message, hint))` for the sources
    /// file's error.
    fn check_url(&self, url: &str) -> Result<(), (String, &'static str)> {
        let _ = url;
        Ok(())
    }
    /// How its sources are read.
    fn ways_in(&self) -> WaysIn {
        WaysIn::One
    }
    /// The URL fetched for a source of this kind.
    fn fetch_url(&self, url: &str) -> String {
        url.to_string()
    }
    /// Reads one fetched document of this kind.
    fn parse(
        &self,
        text: &str,
        url: &str,
        label: &str,
        window: &Window,
    ) -> Result<Parsed, SourceError>;
    /// Which event pages its sources could list.
    fn page_scope(&self) -> PageScope;
    /// What a suspicious answer looks like.
    fn suspect_when(&self) -> SuspectWhen {
        SuspectWhen::PageWithoutEventData
    }
    /// The organizer page a source of this kind stands for, when every event it yields is
    /// that organizer's (`organizer`: the sources file's `organizer` key, for a feed).
    fn organizer_page(&self, url: &str, organizer: Option<&str>) -> Option<String> {
        let _ = organizer;
        Some(url.to_string())
    }
    /// Which organizer page a report of this kind stands for.
    fn report_page(&self) -> ReportPage {
        ReportPage::OwnUrl
    }
    /// The site a group of this kind lives on, when a redirect of its page elsewhere is no
    /// rename (a login or error page) and a rename is written as the group's page (`health`).
    fn group_site(&self) -> Option<&'static str> {
        None
    }
    /// Whether `url` is a page or feed of this kind, and the group or calendar it names
    /// (`meetup.com/<urlname>`, `luma.com/<name>`, `luma.com/calendar/cal-…`): for adding
    /// sources from URLs and for `health` and `check`.
    fn owns(&self, url: &str) -> Option<String>;
    /// What this kind says of a checked URL someone gives, before anything is fetched: `None`
    /// when it is not this kind's to say (asked in [`CLAIM_ORDER`]).
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let _ = url;
        None
    }
    /// Whether this kind reads the fetched `body` of `url`: `Ok` the source, `Err` why not
    /// (`None` when the kind does not read fetched bodies of unknown URLs).
    fn claim_body(&self, url: &str, body: &str) -> Result<Claim, Option<String>> {
        let _ = (url, body);
        Err(None)
    }
    /// Whether a source of this kind is a calendar's page that names the calendar's id (and
    /// name), read from the page: the same calendar may be listed under its id or its slug.
    fn calendar_on_page(&self) -> bool {
        self.ways_in() == WaysIn::FeedThroughPage
    }
}

/// An iCalendar feed.
pub struct Ical;
/// A meetup.com group.
pub struct Meetup;
/// A page with schema.org Event JSON-LD.
pub struct Jsonld;
/// A luma calendar.
pub struct Luma;

/// Every kind, once, in the order help text names them.
pub const ALL: [&dyn Kind; 4] = [&Ical, &Meetup, &Luma, &Jsonld];

/// The order the kinds are asked what a URL is ([`claim_url`]): the kinds of a site first
/// (their host is theirs whatever the path), then a feed by its address, a page last.
pub const CLAIM_ORDER: [&dyn Kind; 4] = [&Meetup, &Luma, &Ical, &Jsonld];

/// The first kind, in [`CLAIM_ORDER`], that says what `url` (checked) is, and what it says.
pub fn claim_url(url: &str) -> Option<(&'static dyn Kind, Claim)> {
    CLAIM_ORDER
        .into_iter()
        .find_map(|k| k.claim_url(url).map(|c| (k, c)))
}

/// The first kind, in [`ALL`]'s order, that reads the fetched `body` of `url`; else why the
/// last kind that looked does not (`None` when none looked).
pub fn claim_body(url: &str, body: &str) -> Result<(&'static dyn Kind, Claim), Option<String>> {
    let mut why = None;
    for k in ALL {
        match k.claim_body(url, body) {
            Ok(c) => return Ok((k, c)),
            Err(Some(w)) => why = Some(w),
            Err(None) => {}
        }
    }
    Err(why)
}

/// The kind whose source is a calendar's page naming its calendar ([`Kind::calendar_on_page`]).
pub fn calendar_page_kind() -> Option<&'static dyn Kind> {
    ALL.into_iter().find(|k| k.calendar_on_page())
}

/// `path` (`/calendar/cal-abc`, folded) as `u` writes it (a `cal-…` id is case-sensitive).
fn original_case_path(u: &url::Url, folded: &str) -> String {
    let typed = u.path().trim_end_matches('/');
    if typed.eq_ignore_ascii_case(folded) {
        typed.to_string()
    } else {
        folded.to_string()
    }
}

/// The type of a configured kind.
pub fn of(kind: SourceKind) -> &'static dyn Kind {
    match kind {
        SourceKind::Ical => &Ical,
        SourceKind::Meetup => &Meetup,
        SourceKind::Jsonld => &Jsonld,
        SourceKind::Luma => &Luma,
    }
}

/// The kind named `name` (`"luma"`), as `sources.toml` and the JSON file write it.
pub fn named(name: &str) -> Option<&'static dyn Kind> {
    ALL.into_iter().find(|k| k.name() == name)
}

/// The kinds' names as a list to choose from: `"ical" | "meetup" | "luma" | "jsonld"`.
pub fn names_joined(separator: &str) -> String {
    ALL.iter()
        .map(|k| format!("\"{}\"", k.name()))
        .collect::<Vec<_>>()
        .join(separator)
}

/// The kind whose URL `url` is, and the group or calendar it names.
pub fn owner_of(url: &str) -> Option<(&'static dyn Kind, String)> {
    ALL.into_iter()
        .find_map(|k| k.owns(url).map(|group| (k, group)))
}

/// The reader of a verifiable event page and its name.
pub fn read_event_page(kind: PageKind, text: &str, url: &str) -> Result<Parsed, SourceError> {
    match kind {
        PageKind::MeetupEvent => super::meetup::parse_event_page(text, url, "event page"),
        PageKind::LumaEvent => super::jsonld::parse_page(text, url, "event page"),
    }
}

/// The name of the reader of an event page of `kind`.
pub fn event_page_reader(kind: PageKind) -> &'static str {
    match kind {
        PageKind::MeetupEvent => Meetup.reader_name(),
        PageKind::LumaEvent => Jsonld.reader_name(),
    }
}

impl Kind for Ical {
    fn kind(&self) -> SourceKind {
        SourceKind::Ical
    }
    fn name(&self) -> &'static str {
        "ical"
    }
    fn reader_name(&self) -> &'static str {
        "iCal reader"
    }
    fn is_feed(&self) -> bool {
        true
    }
    fn parse(
        &self,
        text: &str,
        url: &str,
        label: &str,
        window: &Window,
    ) -> Result<Parsed, SourceError> {
        super::ical::parse(text, url, label, window)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::None
    }
    fn organizer_page(&self, _: &str, organizer: Option<&str>) -> Option<String> {
        organizer.map(str::to_string)
    }
    fn suspect_when(&self) -> SuspectWhen {
        SuspectWhen::EmptyCalendar
    }
    fn report_page(&self) -> ReportPage {
        ReportPage::MeetupGroupOfFeed
    }
    fn owns(&self, url: &str) -> Option<String> {
        let u = url::Url::parse(url.trim()).ok()?;
        let ics = u.path().to_ascii_lowercase().ends_with(".ics");
        let group = crate::site::feed_organizer_page(url)
            .and_then(|page| Meetup.owns(&page).or_else(|| Luma.owns(&page)));
        group.or_else(|| {
            ics.then(|| crate::link::parts(url).map(|p| p.host))
                .flatten()
        })
    }
    /// A luma calendar's feed (its calendar named in the URL), or a `.ics` URL that is no
    /// platform's home page.
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let u = url::Url::parse(url).ok()?;
        let p = crate::link::parts(url)?;
        let source = || Claim::Source {
            url: url.to_string(),
            groups: self.owns(url).into_iter().collect(),
        };
        if luma_com::is_api_host(&p.host) && crate::site::feed_organizer_page(url).is_some() {
            return Some(source());
        }
        (!crate::link::is_platform_root(url) && u.path().to_ascii_lowercase().ends_with(".ics"))
            .then(source)
    }
    /// A body that is an iCalendar.
    fn claim_body(&self, url: &str, body: &str) -> Result<Claim, Option<String>> {
        let head = body.trim_start_matches('\u{feff}').trim_start();
        if head
            .get(..15)
            .is_some_and(|h| h.eq_ignore_ascii_case("BEGIN:VCALENDAR"))
        {
            return Ok(Claim::Source {
                url: url.to_string(),
                groups: self.owns(url).into_iter().collect(),
            });
        }
        Err(None)
    }
}

impl Kind for Meetup {
    fn kind(&self) -> SourceKind {
        SourceKind::Meetup
    }
    fn name(&self) -> &'static str {
        "meetup"
    }
    fn reader_name(&self) -> &'static str {
        "meetup page reader"
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
        super::meetup::parse_group_page(text, url, label)
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
    fn group_site(&self) -> Option<&'static str> {
        Some(meetup_com::HOST)
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

impl Kind for Jsonld {
    fn kind(&self) -> SourceKind {
        SourceKind::Jsonld
    }
    fn name(&self) -> &'static str {
        "jsonld"
    }
    fn reader_name(&self) -> &'static str {
        "JSON-LD page reader"
    }
    fn parse(&self, text: &str, url: &str, label: &str, _: &Window) -> Result<Parsed, SourceError> {
        super::jsonld::parse_page(text, url, label)
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
        match super::jsonld::parse_page(body, url, "page") {
            Ok(parsed) if !parsed.events.is_empty() => Ok(Claim::Source {
                url: url.to_string(),
                groups: self.owns(url).into_iter().collect(),
            }),
            Ok(_) => Err(Some("schema.org data but no event in it".to_string())),
            Err(e) => Err(Some(e.message)),
        }
    }
}

impl Kind for Luma {
    fn kind(&self) -> SourceKind {
        SourceKind::Luma
    }
    fn name(&self) -> &'static str {
        "luma"
    }
    fn reader_name(&self) -> &'static str {
        "luma reader"
    }
    fn ways_in(&self) -> WaysIn {
        WaysIn::FeedThroughPage
    }
    fn check_url(&self, url: &str) -> Result<(), (String, &'static str)> {
        if luma_com::is_page_url(url) {
            return Ok(());
        }
        Err((
            format!("url {url:?} is not a luma calendar page"),
            "kind = \"luma\" takes the calendar's page, url = \"https://luma.com/<slug>\" (or lu.ma/<slug>); for its ICS feed use kind = \"ical\"",
        ))
    }
    /// The calendar page, read for its own event list (the fallback of its feed).
    fn parse(&self, text: &str, url: &str, label: &str, _: &Window) -> Result<Parsed, SourceError> {
        super::jsonld::parse_page(text, url, label)
    }
    fn page_scope(&self) -> PageScope {
        PageScope::Host
    }
    fn owns(&self, url: &str) -> Option<String> {
        let p = crate::link::parts(url)?;
        if p.host != luma_com::HOST
            || p.segments.len() == 1 && luma_com::is_event_slug(&p.segments[0])
        {
            return None;
        }
        luma_com::group(&p.segments)
    }
    /// Any page of luma.com: an event's (its calendar is in its data), a calendar's (as the
    /// URL writes its path: a `cal-…` id is case-sensitive), else refused.
    fn claim_url(&self, url: &str) -> Option<Claim> {
        let u = url::Url::parse(url).ok()?;
        let p = crate::link::parts(url)?;
        if p.host != luma_com::HOST {
            return None;
        }
        if p.segments.len() == 1 && luma_com::is_event_slug(&p.segments[0]) {
            // As the pipeline fetches event pages: luma.com (lu.ma redirects there).
            return Some(Claim::EventPage(format!(
                "https://{}/{}",
                luma_com::HOST,
                u.path().trim_matches('/')
            )));
        }
        if let Some(group) = luma_com::group(&p.segments) {
            let path = original_case_path(&u, group.trim_start_matches(luma_com::HOST));
            return Some(Claim::Source {
                url: format!("https://{}{path}", luma_com::HOST),
                groups: vec![group],
            });
        }
        Some(Claim::Refused(format!(
            "{url:?} names no luma calendar: give the calendar's page, https://luma.com/<calendar>"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_configured_kind_is_listed_once_under_its_name() {
        for k in ALL {
            assert_eq!(of(k.kind()).name(), k.name());
            assert_eq!(named(k.name()).map(Kind::kind), Some(k.kind()));
            assert_eq!(k.kind().as_str(), k.name());
        }
    }

    #[test]
    fn each_kind_knows_its_urls() {
        let owner = |u: &str| owner_of(u).map(|(k, g)| (k.name(), g));
        assert_eq!(
            owner("https://www.meetup.com/de-DE/Rust-Berlin/"),
            Some(("meetup", "meetup.com/rust-berlin".to_string()))
        );
        assert_eq!(
            owner("https://lu.ma/rust-girona"),
            Some(("luma", "luma.com/rust-girona".to_string()))
        );
        assert_eq!(
            owner("https://api.lu.ma/ics/get?entity=calendar&id=cal-bif2oHITU1aVvsr"),
            Some(("ical", "luma.com/calendar/cal-bif2ohitu1avvsr".to_string()))
        );
        assert_eq!(
            owner("https://rustweek.org/events/"),
            Some(("jsonld", "rustweek.org/events".to_string()))
        );
    }

    #[test]
    fn kinds_claim_their_urls_and_bodies_in_order() {
        let by = |u: &str| claim_url(u).map(|(k, c)| (k.name(), c));
        assert!(matches!(
            by("https://www.meetup.com/Rust-Berlin/events/ical/x.ics"),
            Some(("meetup", Claim::Source { .. }))
        ));
        assert!(matches!(
            by("https://luma.com/"),
            Some(("luma", Claim::Refused(_)))
        ));
        assert!(matches!(
            by("https://luma.com/k3v9q2xd"),
            Some(("luma", Claim::EventPage(_)))
        ));
        assert!(by("https://rustweek.org/events/").is_none());
        let body = |b: &str| claim_body("https://example.org/a", b).map(|(k, _)| k.name());
        assert_eq!(body("\u{feff} begin:vcalendar\r\n"), Ok("ical"));
        assert!(matches!(body("<html></html>"), Err(Some(_))));
        assert_eq!(calendar_page_kind().map(Kind::name), Some("luma"));
    }
}
