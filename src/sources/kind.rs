//! What a kind of source is: the [`Kind`] trait every kind implements next to its reader
//! (`sources/<kind>.rs` or `sources/<kind>/mod.rs`): its name, how it is read (one fetch or
//! several, fallbacks), its reader, which event pages it could list (for verification without
//! a phase barrier), what a suspicious answer of it looks like, which organizer page its URL
//! stands for, which URLs are its own and how much of the web they cover ([`Reach`]), and what
//! a URL or a fetched body someone gives `add` is as a source of it ([`Claim`]).
//!
//! The kinds are registered once, in `sources/mod.rs` (`kinds!`): that one line makes the
//! configuration's [`SourceKind`] variant, puts the kind in [`ALL`] and [`of`], and gives it a
//! fuzz target. Everything else here asks the registry (help text, hints, `add`, `health`).

use super::{Parsed, SourceError, fuzz};
use crate::link::PageKind;
use crate::model::Window;

pub use super::{ALL, SourceKind, of};

impl SourceKind {
    /// Everything the kind knows: its type in the registry.
    pub fn spec(self) -> &'static dyn Kind {
        of(self)
    }
}

/// How much of the web a kind's URLs cover: the kinds are asked what a URL is ([`claim_url`],
/// [`owner_of`]) from the narrowest reach to the widest, so that a kind that takes any page is
/// asked last whatever its place in the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// One site: its host is the kind's whatever the path (meetup.com, luma.com).
    Site,
    /// Feeds, known by their address (`.ics`, a platform's feed endpoint).
    Feed,
    /// Any page of any site: asked last.
    AnyPage,
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

/// What a redirect of a source's page says of where the source now lives (`add`, `health`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The group was renamed: the source as it is now to be listed (its page in plain form,
    /// the group forms it is known under).
    Renamed { url: String, groups: Vec<String> },
    /// No rename (a login or error page, on the site or elsewhere).
    NotARename,
    /// The kind cannot tell: the page's new address is the source's.
    NewAddress,
}

/// Everything one kind of source knows.
pub trait Kind: Sync {
    /// The kind in the configuration.
    fn kind(&self) -> SourceKind;
    /// Its name in `sources.toml` (`kind = "…"`), reports and the JSON file: its module's
    /// name in the registry.
    fn name(&self) -> &'static str {
        self.kind().as_str()
    }
    /// How much of the web its URLs cover (the order kinds are asked what a URL is).
    fn reach(&self) -> Reach;
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
    /// Its fuzz target (`fuzzing::targets`, `tools/fuzz.sh`, the CI pass
    /// `tests/fuzz_smoke.rs`): reads arbitrary bytes as a run does, and may not panic, hang or
    /// allocate without bound. By default: the bytes as text, read by [`Kind::parse`] in one of
    /// [`fuzz::windows`], its events checked by [`fuzz::check`]. A kind with more than one
    /// reader drives each.
    fn fuzz(&self, data: &[u8]) {
        let text = String::from_utf8_lossy(data);
        if let Ok(p) = self.parse(&text, fuzz::URL, "fuzz", &fuzz::window(data)) {
            fuzz::check(&p, self.name());
        }
    }
    /// Its fuzz target's seeds, from the repository: `(folder, part of the path)`, every file
    /// below the folder whose path contains the part (`""`: every file). Its fixtures.
    fn fuzz_seeds(&self) -> &'static [(&'static str, &'static str)];
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
    /// What a redirect of a source's fetched page to `to` says (a group renamed, or nothing).
    fn redirect(&self, to: &str) -> Redirect {
        let _ = to;
        Redirect::NewAddress
    }
    /// Whether `url` is a page or feed of this kind, and the group or calendar it names
    /// (`meetup.com/<urlname>`, `luma.com/<name>`, `luma.com/calendar/cal-…`): for adding
    /// sources from URLs and for `health` and `check`.
    fn owns(&self, url: &str) -> Option<String>;
    /// What this kind says of a checked URL someone gives, before anything is fetched: `None`
    /// when it is not this kind's to say (asked by [`Kind::reach`], narrowest first).
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
    /// The name a fetched document of this kind gives itself (a feed's `X-WR-CALNAME`), for
    /// `add` to write: `None` by default.
    fn named_in(&self, body: &str) -> Option<String> {
        let _ = body;
        None
    }
    /// Whether a source of this kind is a calendar's page that names the calendar's id (and
    /// name), read from the page: the same calendar may be listed under its id or its slug.
    fn calendar_on_page(&self) -> bool {
        self.ways_in() == WaysIn::FeedThroughPage
    }
}

/// The kinds from the narrowest [`Reach`] to the widest (registry order within one reach).
pub fn by_reach() -> impl Iterator<Item = &'static dyn Kind> {
    let mut kinds = ALL.to_vec();
    kinds.sort_by_key(|k| k.reach());
    kinds.into_iter()
}

/// The first kind, narrowest reach first, that says what `url` (checked) is, and what it says.
pub fn claim_url(url: &str) -> Option<(&'static dyn Kind, Claim)> {
    by_reach().find_map(|k| k.claim_url(url).map(|c| (k, c)))
}

/// The first kind, narrowest reach first, that reads the fetched `body` of `url`; else why the
/// last kind that looked does not (`None` when none looked).
pub fn claim_body(url: &str, body: &str) -> Result<(&'static dyn Kind, Claim), Option<String>> {
    let mut why = None;
    for k in by_reach() {
        match k.claim_body(url, body) {
            Ok(c) => return Ok((k, c)),
            Err(Some(w)) => why = Some(w),
            Err(None) => {}
        }
    }
    Err(why)
}

/// The kind that reads any page (the widest [`Reach`]): what a page no other kind claims is
/// read as.
pub fn page_kind() -> &'static dyn Kind {
    by_reach()
        .last()
        .filter(|k| k.reach() == Reach::AnyPage)
        .expect("a kind of Reach::AnyPage is registered")
}

/// The kind whose source is a calendar's page naming its calendar ([`Kind::calendar_on_page`]).
pub fn calendar_page_kind() -> Option<&'static dyn Kind> {
    ALL.iter().copied().find(|k| k.calendar_on_page())
}

/// `path` (`/calendar/cal-abc`, folded) as `u` writes it (a `cal-…` id is case-sensitive).
pub(super) fn original_case_path(u: &url::Url, folded: &str) -> String {
    let typed = u.path().trim_end_matches('/');
    if typed.eq_ignore_ascii_case(folded) {
        typed.to_string()
    } else {
        folded.to_string()
    }
}

/// The kind named `name` (`"luma"`), as `sources.toml` and the JSON file write it.
pub fn named(name: &str) -> Option<&'static dyn Kind> {
    ALL.iter().copied().find(|k| k.name() == name)
}

/// The kinds' names as a list to choose from: `"ical" | "meetup" | "luma" | "jsonld"`.
pub fn names_joined(separator: &str) -> String {
    ALL.iter()
        .map(|k| format!("\"{}\"", k.name()))
        .collect::<Vec<_>>()
        .join(separator)
}

/// The kind whose URL `url` is (narrowest reach first), and the group or calendar it names.
pub fn owner_of(url: &str) -> Option<(&'static dyn Kind, String)> {
    by_reach().find_map(|k| k.owns(url).map(|group| (k, group)))
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
        PageKind::MeetupEvent => super::meetup::Meetup.reader_name(),
        PageKind::LumaEvent => super::jsonld::Jsonld.reader_name(),
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

    /// `sources.toml` reads `kind = "<name>"` through serde (the variant's name in lower case),
    /// everything else through `name()` (the module's): a type named otherwise than its module
    /// would be a kind no sources file can name.
    #[test]
    fn every_kind_is_read_from_sources_toml_under_its_name() {
        for k in ALL {
            let serde = serde_json::to_string(&k.kind()).unwrap();
            assert_eq!(
                serde,
                format!("\"{}\"", k.name()),
                "kinds! registers `{0}::…`, but sources.toml would name it kind = {1}: name the \
                 type as its module, capitalized",
                k.name(),
                serde
            );
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
