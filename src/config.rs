//! `sources.toml`: which sources to read, and what we know about organizers.
//!
//! ```toml
//! [[source]]
//! kind = "ical"                       # MANDATORY: "ical", "meetup", "luma" or "jsonld"
//! url = "https://calendar.google.com/calendar/ical/…/public/basic.ics"   # MANDATORY
//! name = "Rust Community Calendar"    # OPTIONAL
//! ```
//!
//! Parsing is strict: unknown keys and bad values are errors that name the file, the line and
//! what to write instead. Validation (URLs, places) is a step of its own after TOML parsing.
//!
//! A `[[source]]` has a kind, a URL, and optionally a name, a `home`, keywords, and for an `ical`
//! feed the `organizer` page that makes the feed one organizer's (implied by a meetup group's or
//! a luma calendar's feed URL). `[[organizer]]` entries say what is known of organizers. A
//! contradiction is refused: a `home` on a feed of many organizers, `organizer` on a page source,
//! a `luma` URL that is not a luma page. A top-level `published = "DIR"` names the published
//! sections to learn organizers from; the command line reads them after loading
//! (`Config::printed`). Every key is documented in `sources.example.toml`, which a test loads.

use crate::model::Place;
use crate::place::parse_newsletter_place;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

pub use crate::sources::kind::SourceKind;

/// One `[[source]]` entry, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub kind: SourceKind,
    pub url: String,
    /// The organizer name to print (also the label in reports).
    pub name: Option<String>,
    /// Where the organizer is based, for its virtual events.
    pub home: Option<Place>,
    /// Keep only events whose title or description contains one of these (case-insensitive).
    pub keywords: Vec<String>,
    /// For an iCal feed that belongs to one organizer (a meetup group's or a luma calendar's
    /// feed, a conference's schedule): the organizer's page, linked on every event, whose
    /// `name` and `home` every event prints. `None` for a many-organizer feed (the community
    /// calendar), whose events are attributed one by one from their links. Set by the
    /// `organizer` key, or implied by a meetup group feed or a luma calendar feed URL. Always
    /// `None` for the other kinds (their organizer is their own page).
    pub organizer: Option<String>,
    /// 1-based line of the entry in the file, for messages.
    pub line: usize,
}

impl Source {
    /// The label used in reports and on the events it yields.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.url)
    }

    /// The source's organizer page, when every event it yields is that organizer's: a meetup
    /// group, a luma calendar, a JSON-LD page, or an iCal feed of one organizer.
    pub fn organizer_page(&self) -> Option<String> {
        self.kind
            .spec()
            .organizer_page(&self.url, self.organizer.as_deref())
    }
}

/// The organizer page an iCal feed URL implies, when the feed is one organizer's by nature: a
/// meetup group's feed (`…/<group>/events/ical/` → the group page) or a luma calendar's
/// (`api.lu.ma/ics/get?entity=calendar&id=cal-…` → `https://luma.com/calendar/cal-…`).
pub fn implied_organizer(feed_url: &str) -> Option<String> {
    crate::site::feed_organizer_page(feed_url)
}

/// One `[[organizer]]` entry: facts about an organizer that sources do not carry (a
/// calendar entry only links to an event; this says whose it is and where they are based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizerInfo {
    /// The organizer's page; events whose link starts with it belong to it.
    pub url: String,
    pub name: String,
    pub home: Option<Place>,
    pub line: usize,
}

/// An organizer as the editors last printed it in the published sections: learned from the
/// folder `published` names (or `--published DIR`) by `newsletter::learn`, or from the
/// compiled directory (`data/organizers.tsv`). Below `[[organizer]]` entries in authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintedOrganizer {
    /// The name printed last, without an edition year.
    pub name: String,
    /// The organizer link printed last; `None` for an organizer printed without one.
    pub url: Option<String>,
    /// Where it is based: the place of its latest `Virtual (…)` entry, else of its latest
    /// entry with a city.
    pub home: Option<Place>,
    /// How its latest virtual entry was printed: `Some(true)` `Virtual (City, CC)`,
    /// `Some(false)` bare `Virtual`; `None`: never virtual.
    pub virtual_home: Option<bool>,
    /// How many entries it was printed in.
    pub entries: usize,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub sources: Vec<Source>,
    pub organizers: Vec<OrganizerInfo>,
    /// The `published` key: the folder of published sections (`YYYY-MM-DD.md` files, or the
    /// newsletter's posts) to learn organizers from, as written (relative to the sources
    /// file's folder; the command line resolves and reads it).
    pub published: Option<String>,
    /// The organizers learned from the published sections, filled by the command line after
    /// loading (never from the file itself).
    pub printed: Vec<PrintedOrganizer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    published: Option<Spanned<String>>,
    #[serde(default)]
    source: Vec<Spanned<RawSource>>,
    #[serde(default)]
    organizer: Vec<Spanned<RawOrganizer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    kind: Spanned<SourceKind>,
    url: Spanned<String>,
    name: Option<String>,
    home: Option<Spanned<String>>,
    #[serde(default)]
    keywords: Vec<String>,
    organizer: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganizer {
    url: Spanned<String>,
    name: String,
    home: Option<Spanned<String>>,
}

/// A problem with the sources file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
    pub hint: String,
}

/// `FILE:LINE: message` (`FILE: message` when the problem is the whole file), then the hint.
impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            0 => write!(f, "{}: {}", self.file, self.message)?,
            line => write!(f, "{}:{line}: {}", self.file, self.message)?,
        }
        write!(f, "\n  hint: {}", self.hint)
    }
}

impl std::error::Error for ConfigError {}

/// The hint after a bad `[[source]]`, the kinds named from the registry.
fn kind_hint() -> String {
    format!(
        "each [[source]] takes kind = {}, url = \"https://…\", and optionally name, home = \"City, ST, CC\", keywords = [\"rust\"], organizer = \"https://…\" (ical only)",
        crate::sources::kind::names_joined(" | ")
    )
}

impl Config {
    /// The hosts and ports the file's own URLs name (sources, their organizer pages, the
    /// `[[organizer]]` entries): the only private addresses a run may print or fetch
    /// ([`crate::link::Trusted`]).
    pub fn trusted(&self) -> crate::link::Trusted {
        crate::link::Trusted::of(
            self.sources
                .iter()
                .flat_map(|s| std::iter::once(&s.url).chain(&s.organizer))
                .chain(self.organizers.iter().map(|o| &o.url))
                .map(String::as_str),
        )
    }

    /// Reads and validates a sources file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read the sources file: {e}"),
            hint: "pass --sources FILE, or run from a folder holding sources.toml".into(),
        })?;
        let config = Config::parse(&text, &path.display().to_string())?;
        if config.sources.is_empty() {
            return Err(ConfigError {
                file: path.display().to_string(),
                line: 0,
                message: "no [[source]] entry: there is nothing to fetch".into(),
                hint: format!(
                    "add at least the Rust Community Calendar ([[source]] kind = \"ical\" url = \"https://calendar.{}/calendar/ical/…/public/basic.ics\"); sources.example.toml explains every key",
                    crate::site::platform::GOOGLE
                ),
            });
        }
        Ok(config)
    }

    /// Parses and validates sources-file text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        // Where each line starts, for a binary search: counting the newlines before each
        // source's offset was quadratic in sources (7.7 % of a 1,000-group replay).
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| starts.partition_point(|&s| s <= offset);
        let err = |offset: usize, message: String, hint: &str| ConfigError {
            file: file.to_string(),
            line: line_of(offset),
            message,
            hint: hint.to_string(),
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let message = e.message().trim().to_string();
            let hint = if message.contains("unknown field") && message.contains("source") {
                "the file holds a published key at the top, and [[source]] and [[organizer]] tables only".to_string()
            } else if message.contains("unknown variant") {
                format!(
                    "kind is one of {}",
                    crate::sources::kind::names_joined(", ")
                )
            } else {
                kind_hint()
            };
            err(offset, message, &hint)
        })?;

        let mut config = Config::default();
        if let Some(p) = raw.published {
            if p.get_ref().trim().is_empty() {
                return Err(err(
                    p.span().start,
                    "published is empty".into(),
                    "write published = \"DIR\", the folder of published sections (YYYY-MM-DD.md files), or remove the key",
                ));
            }
            config.published = Some(p.get_ref().trim().to_string());
        }
        for entry in raw.source {
            let line = line_of(entry.span().start);
            config
                .sources
                .push(check_source(entry.into_inner(), line, &err)?);
        }
        for entry in raw.organizer {
            let line = line_of(entry.span().start);
            config
                .organizers
                .push(check_organizer(entry.get_ref(), line, &err)?);
        }
        Ok(config)
    }
}

/// One `[[source]]` table, checked (`line` is where it starts).
fn check_source(
    s: RawSource,
    line: usize,
    err: &impl Fn(usize, String, &str) -> ConfigError,
) -> Result<Source, ConfigError> {
    let url = check_url(&s.url, err)?;
    let home = s.home.as_ref().map(|h| check_place(h, err)).transpose()?;
    if s.keywords.iter().any(|k| k.trim().is_empty()) {
        return Err(err(
            s.url.span().start,
            "keywords holds an empty string".into(),
            "write keywords = [\"rust\"], with no empty entries",
        ));
    }
    let name = s
        .name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let kind = *s.kind.get_ref();
    let spec = kind.spec();
    let organizer = match (&s.organizer, spec.is_feed()) {
        (Some(o), true) => Some(check_url(o, err)?),
        (Some(o), false) => {
            return Err(err(
                o.span().start,
                format!(
                    "organizer is set on a kind = \"{}\" source, whose organizer is its own page",
                    kind.as_str()
                ),
                "organizer names the organizer of an iCal feed; remove it here (name and home say who and where)",
            ));
        }
        (None, true) => implied_organizer(&url),
        (None, false) => None,
    };
    if spec.is_feed()
        && organizer.is_none()
        && let Some(h) = &s.home
    {
        return Err(err(
            h.span().start,
            "home is set on a feed of many organizers (no organizer key), where it would be wrong for most events".into(),
            "for one organizer's feed add organizer = \"https://…\" (its page); for a community calendar remove home (each event's place or organizer decides)",
        ));
    }
    if let Err((message, hint)) = spec.check_url(&url) {
        return Err(err(s.url.span().start, message, hint));
    }
    Ok(Source {
        kind,
        url,
        name,
        home,
        keywords: s.keywords.iter().map(|k| k.trim().to_lowercase()).collect(),
        organizer,
        line,
    })
}

/// One `[[organizer]]` table, checked (`line` is where it starts).
fn check_organizer(
    o: &RawOrganizer,
    line: usize,
    err: &impl Fn(usize, String, &str) -> ConfigError,
) -> Result<OrganizerInfo, ConfigError> {
    let url = check_url(&o.url, err)?;
    let home = o.home.as_ref().map(|h| check_place(h, err)).transpose()?;
    Ok(OrganizerInfo {
        url,
        name: o.name.trim().to_string(),
        home,
        line,
    })
}

fn check_url(
    url: &Spanned<String>,
    err: &impl Fn(usize, String, &str) -> ConfigError,
) -> Result<String, ConfigError> {
    let text = url.get_ref().trim();
    match url::Url::parse(text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {
            Ok(text.to_string())
        }
        Ok(u) => Err(err(
            url.span().start,
            format!("url {text:?} has scheme {:?}", u.scheme()),
            "sources are fetched over HTTP: write a full https://… URL",
        )),
        Err(e) => Err(err(
            url.span().start,
            format!("url {text:?} is not a URL ({e})"),
            &format!(
                "write a full URL, e.g. url = \"{}\"",
                crate::site::meetup_com::group_page("rust-berlin")
            ),
        )),
    }
}

fn check_place(
    home: &Spanned<String>,
    err: &impl Fn(usize, String, &str) -> ConfigError,
) -> Result<Place, ConfigError> {
    parse_newsletter_place(home.get_ref()).ok_or_else(|| {
        err(
            home.span().start,
            format!("home {:?} is not a place", home.get_ref()),
            "write it as the newsletter prints it: \"Dallas, TX, US\", \"Berlin, DE\" or \"Cardiff, UK\"",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_names_file_line_and_hint() {
        let text =
            "[[source]]\nkind = \"ical\"\nurl = \"https://example.org/a.ics\"\ncolour = \"red\"\n";
        let e = Config::parse(text, "s.toml").unwrap_err();
        assert_eq!(e.file, "s.toml");
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("colour"), "{e}");
    }

    #[test]
    fn bad_kind_is_rejected_with_the_choices() {
        let text = "[[source]]\nkind = \"rss\"\nurl = \"https://example.org/a.ics\"\n";
        let e = Config::parse(text, "s.toml").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.hint.contains("ical"), "{e}");
    }

    #[test]
    fn bad_url_is_rejected_on_its_line() {
        let text = "[[source]]\nkind = \"ical\"\n\nurl = \"calendar.ics\"\n";
        let e = Config::parse(text, "s.toml").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.to_string().contains("s.toml:4:"), "{e}");
    }

    #[test]
    fn missing_url_is_an_error() {
        let e = Config::parse("[[source]]\nkind = \"ical\"\n", "s.toml").unwrap_err();
        assert!(e.message.contains("url"), "{e}");
    }

    #[test]
    fn an_organizer_feed_is_declared_or_implied_and_contradictions_are_refused() {
        let src = |body: &str| Config::parse(&format!("[[source]]\n{body}"), "s.toml");
        // Declared: an iCal feed of one organizer, with its page.
        let c = src("kind = \"ical\"\nurl = \"https://conf.example/schedule.ics\"\nname = \"RustConf\"\nhome = \"Seattle, WA, US\"\norganizer = \"https://rustconf.com/\"\n").unwrap();
        assert_eq!(
            c.sources[0].organizer.as_deref(),
            Some("https://rustconf.com/")
        );
        assert_eq!(
            c.sources[0].organizer_page().as_deref(),
            Some("https://rustconf.com/")
        );
        // Implied by the URL: a meetup group's feed, a luma calendar's feed.
        let c = src("kind = \"ical\"\nurl = \"https://www.meetup.com/de-DE/rust-berlin/events/ical/\"\nhome = \"Berlin, DE\"\n").unwrap();
        assert_eq!(
            c.sources[0].organizer.as_deref(),
            Some("https://www.meetup.com/rust-berlin/")
        );
        let c = src("kind = \"ical\"\nurl = \"https://api.lu.ma/ics/get?entity=calendar&id=cal-bif2oHITU1aVvsr\"\n").unwrap();
        assert_eq!(
            c.sources[0].organizer.as_deref(),
            Some("https://luma.com/calendar/cal-bif2oHITU1aVvsr")
        );
        // The community calendar: many organizers.
        let c = src("kind = \"ical\"\nurl = \"https://calendar.google.com/calendar/ical/x/public/basic.ics\"\n").unwrap();
        assert_eq!(c.sources[0].organizer, None);
        // home on a many-organizer feed is refused, on its line.
        let e = src(
            "kind = \"ical\"\nurl = \"https://calendar.google.com/c.ics\"\nhome = \"Berlin, DE\"\n",
        )
        .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.hint.contains("organizer ="), "{e}");
        // organizer on a page source is refused.
        let e = src("kind = \"meetup\"\nurl = \"https://www.meetup.com/rust-berlin/\"\norganizer = \"https://x.example/\"\n").unwrap_err();
        assert_eq!(e.line, 4, "{e}");
        assert!(e.message.contains("kind = \"meetup\""), "{e}");
        // A luma source takes a luma page.
        let e =
            src("kind = \"luma\"\nurl = \"https://api.lu.ma/ics/get?entity=calendar&id=cal-x\"\n")
                .unwrap_err();
        assert!(e.hint.contains("kind = \"ical\""), "{e}");
        let c =
            src("kind = \"luma\"\nurl = \"https://lu.ma/rust-girona\"\nhome = \"Girona, ES\"\n")
                .unwrap();
        assert_eq!(c.sources[0].kind, SourceKind::Luma);
        assert_eq!(
            c.sources[0].organizer_page().as_deref(),
            Some("https://lu.ma/rust-girona")
        );
    }

    #[test]
    fn entries_keep_their_line() {
        let text = "# c\n[[source]]\nkind = \"ical\"\nurl = \"https://example.org/a.ics\"\n\n[[source]]\nkind = \"ical\"\nurl = \"https://example.org/b.ics\"\nname = \"B\"\n";
        let c = Config::parse(text, "s.toml").unwrap();
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[1].line, 6);
        assert_eq!(c.sources[1].label(), "B");
        assert_eq!(c.sources[0].label(), "https://example.org/a.ics");
    }
}
