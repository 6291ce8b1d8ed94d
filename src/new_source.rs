//! `add`: a URL someone gives (a meetup group or event, a luma calendar or event, an iCal
//! feed, a page with schema.org events, an organizer's site) → the `[[source]]` entry that
//! reads it, or the reason why none does. Pure: the command line fetches, runs the pipeline
//! on the candidate for a preview and writes the file; this module asks the kinds of the
//! registry what the URL is and what was fetched is (`claim_url`, `claim_body`), finds the
//! group already listed under another URL, and appends the entry to the sources file's text
//! with `toml_edit` (comments, order and layout kept; the result loaded by the same strict
//! loader before anything is written).
//!
//! In steps: `plan` (the kinds' own `claim_url`; a luma event page leads to the calendar its data
//! names, `luma_page`), else `by_content` (the kinds' `claim_body`: an iCalendar, schema.org
//! events) or a refusal saying what was found and the `[[organizer]]` entry that would help;
//! `listed` (the group already listed, compared by `link::group_of`, a luma slug and its `cal-…`
//! id); `append` (the entry at the end of the file's text, the rest byte for byte).

use crate::config::{Config, ConfigError, Source};
use crate::health::group_of;
use crate::site::luma_com;
use crate::sources::kind::{self, Claim, SourceKind};
use crate::sources::page_util::PageScripts;

/// What a URL tells before anything is fetched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The kind and the source URL are known from the URL alone (a meetup group or event, a
    /// luma calendar, a meetup or luma feed, a `.ics` URL).
    Known(Candidate),
    /// A luma event page: its calendar is named in its data (fetch it, then [`luma_page`]).
    LumaEvent(String),
    /// Anything else: fetch it and look ([`by_content`]).
    Probe(String),
}

/// A source about to be added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub kind: SourceKind,
    /// The entry's `url`: a group's or calendar's page in its plain form, or the feed or page.
    pub url: String,
    /// The name the entry prints, when known.
    pub name: Option<String>,
    /// Where the organizer is based (`home`, a newsletter place), when known (`health --fix`:
    /// where the editors placed it).
    pub home: Option<String>,
    /// Every group form it is known under (`meetup.com/<urlname>`, `luma.com/<slug>`,
    /// `luma.com/calendar/cal-…`), for finding it listed already.
    pub groups: Vec<String>,
    /// A feed's organizer page (`organizer`), when the feed names itself as one organizer's:
    /// its site's home page, which every event then links (the editor checks it in the
    /// preview).
    pub organizer: Option<String>,
}

/// Why a URL is not added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not an absolute http(s) URL.
    NotHttp(String),
    /// The kind whose site the URL is on refuses it, in its own words ([`Claim::Refused`]: a
    /// meetup page that names no group, a luma page that names no calendar).
    RefusedByKind(String),
    /// The group is listed already (another URL of it): the entry's line and URL.
    Listed { line: usize, url: String },
    /// The page reads no events: what was found, and the entry that would help (printed).
    NoEvents {
        found: String,
        entry: Option<String>,
    },
    /// The source could not be read (a fetch error, a failing reader).
    Unreadable(String),
}

impl Refusal {
    /// Whether the refusal is about the source (could not be read: exit 2) rather than the
    /// input (exit 1).
    pub fn is_source_failure(&self) -> bool {
        matches!(self, Refusal::Unreadable(_))
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NotHttp(why) => write!(f, "not an http(s) URL: {why}"),
            Refusal::RefusedByKind(why) => write!(f, "{why}"),
            Refusal::Listed { line, url } => write!(
                f,
                "already listed: the [[source]] at line {line} ({url}) reads the same group"
            ),
            Refusal::NoEvents { found, entry } => {
                write!(f, "no events to read there: {found}")?;
                if let Some(e) = entry {
                    write!(
                        f,
                        "\n  hint: to name the organizer of its calendar entries, add instead:\n{}",
                        indent(e)
                    )?;
                }
                Ok(())
            }
            Refusal::Unreadable(why) => write!(f, "cannot be read: {why}"),
        }
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// What a URL is, before fetching: [`Plan`], or a refusal (not http(s), a platform's root).
pub fn plan(raw: &str) -> Result<Plan, Refusal> {
    let meant = as_meant(raw);
    let raw = meant.as_str();
    // The parser's words ("relative URL without a base") are jargon to an editor: say what
    // is wanted instead.
    let u = url::Url::parse(raw).map_err(|_| {
        Refusal::NotHttp(format!(
            "{raw:?}: give the group's, calendar's or feed's web address (https://…)"
        ))
    })?;
    if !matches!(u.scheme(), "http" | "https") {
        return Err(Refusal::NotHttp(format!(
            "{raw:?} is a {}: URL; give the group's, calendar's or feed's web address",
            u.scheme()
        )));
    }
    let url = crate::link::check(raw).map_err(|e| Refusal::NotHttp(e.to_string()))?;
    if crate::link::parts(&url).is_none() {
        return Err(Refusal::NotHttp(format!("{url:?} names no host")));
    }
    // The kinds say what their URLs are (a site's kinds first, then a feed's address).
    match kind::claim_url(&url) {
        Some((k, Claim::Source { url, groups })) => {
            return Ok(Plan::Known(Candidate::of(k, url, groups)));
        }
        Some((_, Claim::EventPage(page))) => return Ok(Plan::LumaEvent(page)),
        Some((_, Claim::Refused(why))) => return Err(Refusal::RefusedByKind(why)),
        None => {}
    }
    if crate::link::is_platform_root(&url) {
        return Err(Refusal::NoEvents {
            found: format!("{url} is a platform's home page, no organizer's"),
            entry: None,
        });
    }
    Ok(Plan::Probe(url))
}

impl Candidate {
    /// A source of kind `k` as a kind claims it: no name or home yet.
    fn of(k: &dyn kind::Kind, url: String, groups: Vec<String>) -> Candidate {
        Candidate {
            kind: k.kind(),
            url,
            name: None,
            home: None,
            groups,
            organizer: None,
        }
    }
}

/// What a luma page (a calendar's or an event's) says about its calendar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LumaCalendar {
    pub id: Option<String>,
    pub slug: Option<String>,
    pub name: Option<String>,
}

/// A luma page's calendar, as the luma reader reads it ([`crate::sources::luma::read_page`]):
/// a calendar page names it in its data, an event page under its event.
pub fn luma_page(html: &str) -> LumaCalendar {
    let page = crate::sources::luma::read_page(html);
    LumaCalendar {
        id: page.id,
        slug: page.slug,
        name: page.name,
    }
}

impl LumaCalendar {
    /// The calendar as a source: its slug's page, else its `cal-…` page; every form it is
    /// known under.
    pub fn candidate(&self) -> Option<Candidate> {
        let mut groups = Vec::new();
        let mut url = None;
        if let Some(slug) = &self.slug {
            groups.push(format!("{}/{}", luma_com::HOST, slug.to_lowercase()));
            url = Some(format!("https://{}/{slug}", luma_com::HOST));
        }
        if let Some(id) = &self.id {
            groups.push(format!("{}/calendar/{}", luma_com::HOST, id.to_lowercase()));
            url.get_or_insert_with(|| format!("https://{}/calendar/{id}", luma_com::HOST));
        }
        Some(Candidate {
            kind: kind::calendar_page_kind()?.kind(),
            url: url?,
            name: self.name.clone(),
            home: None,
            groups,
            organizer: None,
        })
    }
}

/// What a fetched page or feed is, by its content: an iCal feed, a page with schema.org
/// events, else a refusal saying what was found and which `[[organizer]]` entry would name
/// the organizer of its calendar entries.
pub fn by_content(url: &str, text: &str) -> Result<Candidate, Refusal> {
    let mut found = match kind::claim_body(url, text) {
        Ok((k, Claim::Source { url, groups })) => {
            let mut c = Candidate::of(k, url, groups);
            // A feed that names itself (X-WR-CALNAME) on an organizer's own site is that
            // organizer's: its events print its name and link its site, not each its title.
            if k.is_feed() && crate::config::implied_organizer(&c.url).is_none() {
                let home = feed_site(&c.url);
                if let (Some(name), Some(home)) = (k.named_in(text), home) {
                    c.name = Some(name);
                    c.organizer = Some(home);
                }
            }
            return Ok(c);
        }
        Ok(_) | Err(None) => "no kind reads it".to_string(),
        Err(Some(why)) => why,
    };
    let scripts = PageScripts::read(text);
    let elsewhere = chat_or_ticket_links(text);
    if !elsewhere.is_empty() {
        found = format!(
            "{found}; it links a chat or ticket page: {}",
            elsewhere.join(", ")
        );
    }
    // A platform's page (a ti.to or pretix shop) is titled by its event, not its organizer.
    let on_platform =
        crate::link::parts(url).is_some_and(|p| crate::site::platform::is_platform_host(&p.host));
    let name = scripts
        .title
        .as_deref()
        .filter(|_| !on_platform)
        .map(|t| crate::text::clean_field(t, crate::text::MAX_NAME))
        .filter(|t| !t.is_empty());
    let link = elsewhere.first().map_or(url, String::as_str);
    Err(Refusal::NoEvents {
        found,
        entry: Some(organizer_entry(link, name.as_deref())),
    })
}

/// The home page of the site a feed is on (`https://rust-lyon.example.org/`), when that is no
/// platform's (a calendar service's feed of one group names no organizer page).
fn feed_site(feed_url: &str) -> Option<String> {
    let u = url::Url::parse(feed_url).ok()?;
    let home = format!("{}://{}/", u.scheme(), u.host_str()?);
    let platform = crate::link::is_platform_root(&home)
        || crate::site::feed_organizer_page(feed_url).is_some()
        || crate::link::parts(&home)
            .is_some_and(|p| crate::site::elsewhere::category(&p.host).is_some());
    (!platform && crate::link::check(&home).is_ok()).then_some(home)
}

/// A URL as an editor pastes it, as meant: spaces trimmed, `<…>` unwrapped (as Markdown and
/// mail write a link), `https://` added to a bare host (`www.meetup.com/rust-paris`), and the
/// tracking parameters dropped (`?utm_source=…`: the entry keeps the page's address).
pub fn as_meant(raw: &str) -> String {
    let mut s = raw.trim();
    if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        s = inner.trim();
    }
    let bare_host = !s.contains("://")
        && s.split(['/', '?', '#'])
            .next()
            .is_some_and(|host| host.contains('.') && !host.contains(':') && !host.contains(' '));
    let s = if bare_host {
        format!("https://{s}")
    } else {
        s.to_string()
    };
    crate::link::without_tracking(&s)
}

/// Most links of a page looked at for chat and ticket pages.
const MAX_LINKS: usize = 500;

/// The chat and ticket links of a page (`href="…"`, checked), first five, in order.
fn chat_or_ticket_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in html.split("href=").skip(1).take(MAX_LINKS) {
        let Some(quote) = piece.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let Some(link) = piece[1..].split(quote).next() else {
            continue;
        };
        let Ok(link) = crate::link::check(link) else {
            continue;
        };
        if without_events(&link).is_some() && !out.contains(&link) {
            out.push(link);
        }
        if out.len() == 5 {
            break;
        }
    }
    out
}

/// A link with no events of its own (a chat, a ticket shop): refused before fetching, with
/// the `[[organizer]]` entry that names the organizer of its calendar entries.
pub fn without_events(url: &str) -> Option<Refusal> {
    let host = crate::link::parts(url)?.host;
    let why = if crate::site::platform::is_eventbrite(&host) {
        "eventbrite pages carry no event data for a listing"
    } else {
        crate::health::without_events(&host)?
    };
    Some(Refusal::NoEvents {
        found: format!("{url}: {why}"),
        entry: Some(organizer_entry(url, None)),
    })
}

/// A refusal of a ticket page (an Eventbrite event) whose hint names the organizer its own
/// event data names (schema.org `organizer`: its name and page, Eventbrite's `/o/…`) instead
/// of the ticket page; the refusal as it was when the page names none.
pub fn with_organizer_of(refusal: Refusal, url: &str, html: &str) -> Refusal {
    let Refusal::NoEvents { found, entry } = refusal else {
        return refusal;
    };
    let all = crate::model::Window {
        from: chrono::NaiveDate::MIN,
        to: chrono::NaiveDate::MAX,
    };
    let named = kind::page_kind()
        .parse(html, url, "page", &all)
        .ok()
        .and_then(|p| {
            p.events.into_iter().find_map(|e| {
                let o = e.organizer?;
                let page = crate::link::check(o.url.as_deref()?).ok()?;
                let name = crate::text::clean_field(&o.name, crate::text::MAX_NAME);
                (!name.is_empty()).then(|| (name, crate::link::without_tracking(&page)))
            })
        });
    Refusal::NoEvents {
        found,
        entry: named
            .map(|(name, page)| organizer_entry(&page, Some(&name)))
            .or(entry),
    }
}

fn organizer_entry(url: &str, name: Option<&str>) -> String {
    let name = name.unwrap_or("<the organizer's name>");
    format!(
        "[[organizer]]\nurl = {}\nname = {}",
        toml_string(url),
        toml_string(name)
    )
}

/// The existing source that reads the same group as `c`, if any (the way `health` finds
/// groups listed twice: meetup urlname whatever its case or locale, luma slug or `cal-…` id,
/// else the page).
pub fn listed<'a>(config: &'a Config, c: &Candidate) -> Option<&'a Source> {
    let mine: Vec<String> = c.groups.iter().cloned().chain(group_of(&c.url)).collect();
    config.sources.iter().find(|s| {
        s.url.trim_end_matches('/') == c.url.trim_end_matches('/')
            || source_groups(s).iter().any(|g| mine.contains(g))
    })
}

/// The groups a configured source stands for: its organizer page's and its URL's.
fn source_groups(s: &Source) -> Vec<String> {
    let mut out: Vec<String> = s
        .organizer_page()
        .and_then(|p| group_of(&p))
        .into_iter()
        .collect();
    if !kind::of(s.kind).is_feed() || s.organizer.is_some() {
        out.extend(group_of(&s.url));
    }
    out
}

/// The `[[organizer]]` entry naming the same group, if any (a note, not a refusal).
pub fn organizer_listed<'a>(
    config: &'a Config,
    c: &Candidate,
) -> Option<&'a crate::config::OrganizerInfo> {
    config
        .organizers
        .iter()
        .find(|o| group_of(&o.url).is_some_and(|g| c.groups.contains(&g)))
}

/// A TOML basic string: no text can end it or add a line.
fn toml_string(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

/// The entry's text, as `--dry-run` prints it and the file gets it: a `[[source]]` table
/// written by `toml_edit`.
pub fn entry_text(c: &Candidate) -> String {
    let mut table = toml_edit::Table::new();
    table.insert("kind", toml_edit::value(c.kind.as_str()));
    table.insert("url", toml_edit::value(c.url.as_str()));
    if let Some(name) = &c.name {
        table.insert("name", toml_edit::value(name.as_str()));
    }
    if let Some(home) = &c.home {
        table.insert("home", toml_edit::value(home.as_str()));
    }
    if let Some(organizer) = &c.organizer {
        table.insert("organizer", toml_edit::value(organizer.as_str()));
    }
    let mut array = toml_edit::ArrayOfTables::new();
    array.push(table);
    let mut doc = toml_edit::DocumentMut::new();
    doc.insert("source", toml_edit::Item::ArrayOfTables(array));
    doc.to_string()
}

/// `text` (the sources file, named `file`) with `c` appended as a `[[source]]` table at its
/// end: the rest of the document byte for byte (its comments, order and layout; a document
/// re-serialized by `toml_edit` would move a table appended to an array of tables up to the
/// array's last table, above an `[[organizer]]` or a closing comment). The table is written
/// by `toml_edit` (each string escaped: no text can end it or add a line), and the result is
/// loaded by the same strict loader, which must find it as the last source.
pub fn append(text: &str, file: &str, c: &Candidate) -> Result<(String, Config), ConfigError> {
    let refuse = |message: String| ConfigError {
        file: file.to_string(),
        line: 0,
        message,
        hint: "fix the file (`twir-events health --no-fetch` says where)".into(),
    };
    let before = if text.trim().is_empty() {
        0
    } else {
        Config::parse(text, file)?.sources.len()
    };
    // The file's own line end: a CRLF file stays CRLF throughout.
    let eol = crate::newsletter::block::line_end(text);
    let mut out = text.to_string();
    if !out.is_empty() {
        if !out.ends_with('\n') {
            out.push_str(eol);
        }
        out.push_str(eol);
    }
    out.push_str(&entry_text(c).replace('\n', eol));
    // As TOML: the new document's `source` array holds one table more.
    let doc: toml_edit::DocumentMut = out.parse().map_err(|e: toml_edit::TomlError| {
        refuse(format!("cannot be edited as TOML: {}", e.message()))
    })?;
    let tables = doc
        .get("source")
        .and_then(toml_edit::Item::as_array_of_tables)
        .map_or(0, toml_edit::ArrayOfTables::len);
    let config = Config::parse(&out, file)?;
    let last = config.sources.last();
    if tables != before + 1
        || config.sources.len() != before + 1
        || last.is_none_or(|s| s.url != c.url || s.kind != c.kind)
    {
        return Err(refuse(
            "the new [[source]] would not be the file's last source (a table left open at the end of the file?)".into(),
        ));
    }
    Ok((out, config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(url: &str) -> Candidate {
        match plan(url) {
            Ok(Plan::Known(c)) => c,
            other => panic!("{url}: {other:?}"),
        }
    }

    #[test]
    fn urls_name_their_kind_and_group() {
        let c = known("https://www.meetup.com/de-DE/Rust-Berlin/events/316151073/?eventId=1");
        assert_eq!(
            (c.kind, c.url.as_str()),
            (SourceKind::Meetup, "https://www.meetup.com/rust-berlin/")
        );
        assert_eq!(c.groups, ["meetup.com/rust-berlin"]);
        let c = known("https://lu.ma/rust-girona");
        assert_eq!(
            (c.kind, c.url.as_str()),
            (SourceKind::Luma, "https://luma.com/rust-girona")
        );
        let c = known("https://luma.com/calendar/cal-GiR8kq2Xw4Lm7Tz");
        assert_eq!(c.url, "https://luma.com/calendar/cal-GiR8kq2Xw4Lm7Tz");
        assert_eq!(c.groups, ["luma.com/calendar/cal-gir8kq2xw4lm7tz"]);
        let c = known("https://api.lu.ma/ics/get?entity=calendar&id=cal-GiR8kq2Xw4Lm7Tz");
        assert_eq!(c.kind, SourceKind::Ical);
        assert_eq!(c.groups, ["luma.com/calendar/cal-gir8kq2xw4lm7tz"]);
        assert_eq!(known("https://example.org/rust.ics").kind, SourceKind::Ical);
        assert_eq!(
            plan("https://lu.ma/k3v9q2xd/"),
            Ok(Plan::LumaEvent("https://luma.com/k3v9q2xd".into()))
        );
        assert!(matches!(
            plan("https://rustweek.org/events/"),
            Ok(Plan::Probe(_))
        ));
        for bad in [
            "ftp://example.org/x.ics",
            "javascript:alert(1)",
            "not a url",
        ] {
            assert!(matches!(plan(bad), Err(Refusal::NotHttp(_))), "{bad}");
        }
        // On a kind's site, the kind's own refusal (not "not an http(s) URL").
        let Err(Refusal::RefusedByKind(why)) = plan("https://luma.com/") else {
            panic!("luma's root is refused by its kind");
        };
        assert!(why.contains("names no luma calendar"), "{why}");
    }

    #[test]
    fn a_chat_or_ticket_link_is_refused_with_an_organizer_entry() {
        for url in [
            "https://discord.gg/rust",
            "https://www.eventbrite.com/o/rust-123",
        ] {
            let Some(Refusal::NoEvents { entry: Some(e), .. }) = without_events(url) else {
                panic!("{url}");
            };
            assert!(e.starts_with("[[organizer]]\nurl = "), "{e}");
        }
        assert_eq!(without_events("https://rustweek.org/"), None);
    }

    #[test]
    fn appending_keeps_the_file_and_adds_one_table() {
        let text = "# head\n[[source]]\nkind = \"ical\" # inline\nurl = \"https://example.org/a.ics\"\n\n[[organizer]]\nurl = \"https://example.org/\"\nname = \"X\"\n# tail";
        let c = Candidate {
            kind: SourceKind::Luma,
            url: "https://luma.com/rust-girona".into(),
            name: Some("Rust \"Girona\"\n[[x]]".into()),
            home: Some("Girona, ES".into()),
            groups: vec![],
            organizer: None,
        };
        let (out, config) = append(text, "sources.toml", &c).unwrap();
        assert!(out.starts_with(text), "{out}");
        assert_eq!(config.sources.len(), 2);
        assert_eq!(
            config.sources[1].name.as_deref(),
            Some("Rust \"Girona\"\n[[x]]")
        );
        assert_eq!(config.organizers.len(), 1);
        let (again, _) = append("", "s.toml", &c).unwrap();
        assert_eq!(Config::parse(&again, "s").unwrap().sources.len(), 1);
        // A CRLF file stays CRLF: no bare LF in what is appended.
        let crlf = text.replace('\n', "\r\n");
        let (out, config) = append(&crlf, "sources.toml", &c).unwrap();
        assert!(out.starts_with(&crlf));
        assert_eq!(
            out.matches('\n').count(),
            out.matches("\r\n").count(),
            "{out:?}"
        );
        assert_eq!(config.sources.len(), 2);
    }
}
