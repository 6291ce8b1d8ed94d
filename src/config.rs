//! `sources.toml`: which sources to read, and what we know about organizers.
//!
//! ```toml
//! [[source]]
//! kind = "ical"                       # MANDATORY: "ical", "meetup" or "jsonld"
//! url = "https://calendar.google.com/calendar/ical/…/public/basic.ics"   # MANDATORY
//! name = "Rust Community Calendar"    # OPTIONAL
//! ```
//!
//! Parsing is strict: unknown keys and bad values are errors that name the file, the line and
//! what to write instead. Validation (URLs, places) is a step of its own after TOML parsing.

use crate::model::Place;
use crate::normalize::location::parse_newsletter_place;
use serde::Deserialize;
use std::path::Path;
use toml::Spanned;

/// The kinds of source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    /// An iCalendar feed (the Rust Community Calendar, a meetup or luma feed).
    Ical,
    /// A meetup.com group (`url` is the group's page).
    Meetup,
    /// Any page carrying schema.org `Event` JSON-LD (luma, conference sites, …).
    Jsonld,
}

impl SourceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Ical => "ical",
            SourceKind::Meetup => "meetup",
            SourceKind::Jsonld => "jsonld",
        }
    }
}

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
    /// 1-based line of the entry in the file, for messages.
    pub line: usize,
}

impl Source {
    /// The label used in reports and on the events it yields.
    pub fn label(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.url)
    }
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

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    pub sources: Vec<Source>,
    pub organizers: Vec<OrganizerInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
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
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOrganizer {
    url: Spanned<String>,
    name: String,
    home: Option<Spanned<String>>,
}

/// A problem with the sources file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}\n  hint: {hint}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub message: String,
    pub hint: String,
}

const KIND_HINT: &str = "each [[source]] takes kind = \"ical\" | \"meetup\" | \"jsonld\", url = \"https://…\", and optionally name, home = \"City, ST, CC\", keywords = [\"rust\"]";

impl Config {
    /// Reads and validates a sources file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            file: path.display().to_string(),
            line: 0,
            message: format!("cannot read the sources file: {e}"),
            hint: "pass --sources FILE, or run from a folder holding sources.toml".into(),
        })?;
        Config::parse(&text, &path.display().to_string())
    }

    /// Parses and validates sources-file text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let err = |offset: usize, message: String, hint: &str| ConfigError {
            file: file.to_string(),
            line: line_of(offset),
            message,
            hint: hint.to_string(),
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let message = e.message().trim().to_string();
            let hint = if message.contains("unknown field") && message.contains("source") {
                "the file holds [[source]] and [[organizer]] tables only"
            } else if message.contains("unknown variant") {
                "kind is one of \"ical\", \"meetup\", \"jsonld\""
            } else {
                KIND_HINT
            };
            err(offset, message, hint)
        })?;

        let mut config = Config::default();
        for entry in raw.source {
            let entry_line = line_of(entry.span().start);
            let s = entry.into_inner();
            let url = check_url(&s.url, &err)?;
            let home = match &s.home {
                Some(h) => Some(check_place(h, &err)?),
                None => None,
            };
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
            config.sources.push(Source {
                kind: *s.kind.get_ref(),
                url,
                name,
                home,
                keywords: s.keywords.iter().map(|k| k.trim().to_lowercase()).collect(),
                line: entry_line,
            });
        }
        for entry in raw.organizer {
            let entry_line = line_of(entry.span().start);
            let o = entry.into_inner();
            let url = check_url(&o.url, &err)?;
            let home = match &o.home {
                Some(h) => Some(check_place(h, &err)?),
                None => None,
            };
            config.organizers.push(OrganizerInfo {
                url,
                name: o.name.trim().to_string(),
                home,
                line: entry_line,
            });
        }
        Ok(config)
    }
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
            "write a full URL, e.g. url = \"https://www.meetup.com/rust-berlin/\"",
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
    fn entries_keep_their_line() {
        let text = "# c\n[[source]]\nkind = \"ical\"\nurl = \"https://example.org/a.ics\"\n\n[[source]]\nkind = \"ical\"\nurl = \"https://example.org/b.ics\"\nname = \"B\"\n";
        let c = Config::parse(text, "s.toml").unwrap();
        assert_eq!(c.sources.len(), 2);
        assert_eq!(c.sources[1].line, 6);
        assert_eq!(c.sources[1].label(), "B");
        assert_eq!(c.sources[0].label(), "https://example.org/a.ics");
    }
}
