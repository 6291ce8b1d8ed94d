//! What a link is: the one gate every URL from a source passes before it can be printed.
//!
//! Only an absolute `http` or `https` URL with a real host leaves the tool. The string that is
//! printed is the one that was checked (not a re-serialisation), so what a Markdown or HTML
//! reader sees starts with `http://` or `https://` literally: no `javascript:`, `data:`,
//! `vbscript:` or `file:` scheme, no scheme-relative `//host/x`, no entity-encoded scheme
//! (`&#106;avascript:`), no scheme split by tabs or newlines (`java\tscript:`, which URL
//! parsers would join), no `user@host` disguise, no control, bidi or zero-width character.
//!
//! Parsing is the `url` crate's (WHATWG); this module only adds the policy.
//!
//! Where a source's link may point is the second half of the gate ([`check_within`]): not to
//! this machine or its network (loopback, private, link-local and unique-local addresses,
//! `localhost`), unless to a host and port the sources file itself names ([`Trusted`]). The
//! same rule decides what the fetcher may ask for, before a request, after each redirect and
//! on each name's DNS answer (`fetch::live`).

use crate::site::{luma_com, meetup_com, platform};

mod organizer_page;
pub use organizer_page::{NotOrganizerPage, is_event_page, is_own_site, is_year, organizer_page};
use std::fmt;
use std::net::IpAddr;

/// Why a link was refused, for the review report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The link as the source wrote it, made printable (cut, controls shown as `\u{…}`).
    pub link: String,
    pub why: &'static str,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "link {:?} dropped: {}", self.link, self.why)
    }
}

/// The longest link accepted (browsers and Markdown renderers handle far longer, but no real
/// event link is longer than this).
pub const MAX_LINK_LEN: usize = 2048;

/// `raw` as a link the output may carry, or why not. Surrounding blanks are trimmed and HTML
/// entities decoded (feeds write `&amp;`); nothing else is changed.
pub fn check(raw: &str) -> Result<String, Refused> {
    let refuse = |why| {
        Err(Refused {
            link: printable(raw),
            why,
        })
    };
    let decoded = html_escape::decode_html_entities(raw.trim());
    let s = decoded.trim();
    if s.len() > MAX_LINK_LEN {
        return refuse("longer than 2,048 characters");
    }
    if s.chars().any(|c| c.is_control() || is_invisible(c)) {
        return refuse("it holds control or invisible characters");
    }
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return refuse("only http and https links are printed");
    }
    let Ok(url) = url::Url::parse(s) else {
        return refuse("not a valid URL");
    };
    if !matches!(url.scheme(), "http" | "https") {
        return refuse("only http and https links are printed");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return refuse("it hides its host behind a user name (user@host)");
    }
    match url.host() {
        Some(url::Host::Domain(d)) if is_hostname(d) => {}
        Some(url::Host::Ipv4(_) | url::Host::Ipv6(_)) => {}
        _ => return refuse("it has no valid host name"),
    }
    Ok(s.to_string())
}

/// The link if it passes [`check`].
pub fn safe(raw: &str) -> Option<String> {
    check(raw).ok()
}

/// [`check`], and the link does not point to this machine or its network unless `trusted`
/// names its host and port: the gate for every link a source gives (printed or fetched).
pub fn check_within(raw: &str, trusted: &Trusted) -> Result<String, Refused> {
    let link = check(raw)?;
    match url::Url::parse(&link) {
        Ok(u) if is_private(&u) && !trusted.allows(&u) => Err(Refused {
            link: printable(raw),
            why: PRIVATE,
        }),
        _ => Ok(link),
    }
}

/// Why a link to a private address is refused.
pub const PRIVATE: &str = "it points to a private, loopback or link-local address";

/// The hosts and ports a run may reach although they are private: those of the sources file's
/// own URLs (tests serve their sources on 127.0.0.1), each with its port only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trusted {
    origins: Vec<(String, u16)>,
}

impl Trusted {
    /// The hosts and ports of `urls` (those that parse, with a host).
    pub fn of<'a>(urls: impl IntoIterator<Item = &'a str>) -> Trusted {
        let mut origins: Vec<(String, u16)> = urls
            .into_iter()
            .filter_map(|u| origin(&url::Url::parse(u.trim()).ok()?))
            .collect();
        origins.sort();
        origins.dedup();
        Trusted { origins }
    }

    /// Whether `url`'s host and port are trusted.
    pub fn allows(&self, url: &url::Url) -> bool {
        origin(url).is_some_and(|o| self.origins.contains(&o))
    }

    /// Whether a host name is trusted on some port (for its DNS answer, which has no port).
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.origins.iter().any(|(h, _)| *h == host)
    }
}

/// A URL's host (lower case, IPv6 in brackets as the `url` crate writes it) and port.
fn origin(u: &url::Url) -> Option<(String, u16)> {
    let host = u.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    Some((host, u.port_or_known_default()?))
}

/// Whether `url`'s host is this machine or its network: a private IP literal
/// ([`is_private_ip`]), or `localhost` and its subdomains.
pub fn is_private(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => is_private_ip(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => is_private_ip(IpAddr::V6(ip)),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
        None => false,
    }
}

/// Loopback (`127.0.0.0/8`, `::1`), private (`10/8`, `172.16/12`, `192.168/16`), shared
/// (`100.64/10`), link-local (`169.254/16`, `fe80::/10`), unique-local (`fc00::/7`), site-local
/// (`fec0::/10`), "this network" (`0/8`, `::`) and broadcast addresses; an IPv4 address mapped
/// or embedded in IPv6 as its IPv4 address.
pub fn is_private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_private_ip(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || (first & 0xffc0) == 0xfec0
                || v6.to_ipv4().is_some_and(|v4| {
                    // `::a.b.c.d` (IPv4-compatible, deprecated) but not `::` and `::1` above.
                    is_private_ip(IpAddr::V4(v4))
                })
        }
    }
}

/// A host name as DNS has them: dot-separated labels of letters, digits, `-` and `_` (the
/// `url` crate has already turned Unicode names into punycode), at least two labels.
fn is_hostname(d: &str) -> bool {
    let d = d.strip_suffix('.').unwrap_or(d);
    let labels: Vec<&str> = d.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// Characters that change how text is displayed without being seen: bidi controls, zero-width
/// characters, the BOM, soft hyphens and other format characters (Unicode `Cf`) that matter here.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0E}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// A link as it may appear in a report: at most 120 characters, controls escaped.
fn printable(raw: &str) -> String {
    let mut out: String = raw
        .chars()
        .take(120)
        .flat_map(|c| {
            if c.is_control() || is_invisible(c) {
                c.escape_unicode().collect::<Vec<char>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if raw.chars().count() > 120 {
        out.push('…');
    }
    out
}

/// Query parameters that only track where a click came from.
pub fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || n.starts_with("lm_")
        || matches!(
            n.as_str(),
            "fbclid" | "gclid" | "mc_cid" | "mc_eid" | "ref" | "ref_src" | "aff" | "_xtd"
        )
}

/// Unwraps `https://www.google.com/url?q=<target>&sa=…` (Google Calendar wraps description
/// links in it). Anything else is returned as is.
fn unwrap_redirect(u: &url::Url) -> Option<url::Url> {
    let host = u.host_str()?.to_ascii_lowercase();
    if !(platform::is_google_redirect_host(&host) && u.path() == "/url") {
        return None;
    }
    u.query_pairs()
        .find(|(k, _)| k == "q" || k == "url")
        .and_then(|(_, v)| url::Url::parse(v.trim()).ok())
}

pub struct Parts {
    pub host: String,
    /// Path segments, empty ones dropped (lower-cased for case-insensitive hosts).
    pub segments: Vec<String>,
    /// Remaining query parameters, sorted.
    pub query: Vec<(String, String)>,
    pub meetup_event: Option<String>,
}

impl Parts {
    /// A meetup link's group, `meetup.com/<urlname>/…`: its first path segment, unless the
    /// link is meetup's own `/events/…`. `None` on other sites.
    pub fn meetup_group(&self) -> Option<&str> {
        if self.host != meetup_com::HOST {
            return None;
        }
        meetup_com::group(&self.segments)
    }
}

/// A link taken apart for comparing and looking up (the one place that decides which links
/// are "the same"): Google redirect wrappers unwrapped, the host folded (`www.`, `lu.ma` =
/// `luma.com`, `m.meetup.com` = `meetup.com`, eventbrite's country sites), meetup locale segments (`/de-DE/`) dropped, path
/// case folded on case-insensitive sites, tracking parameters dropped, the query sorted.
pub fn parts(url: &str) -> Option<Parts> {
    let mut u = url::Url::parse(url.trim()).ok()?;
    // Redirect wrappers can nest (a wrapped wrapped link); unwrap a few levels.
    for _ in 0..3 {
        match unwrap_redirect(&u) {
            Some(inner) => u = inner,
            None => break,
        }
    }
    let host = u.host_str()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_string();
    let host = platform::fold_host(&host);
    // meetup and luma paths are case-insensitive; elsewhere keep the case of the path.
    let fold_case = platform::folds_path_case(&host);
    let mut segments: Vec<String> = u
        .path_segments()
        .map(|s| {
            s.filter(|p| !p.is_empty())
                .map(|p| {
                    if fold_case {
                        p.to_lowercase()
                    } else {
                        p.to_string()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if host == meetup_com::HOST && segments.first().is_some_and(|s| is_locale(s)) {
        segments.remove(0);
    }
    let meetup_event = if host == meetup_com::HOST {
        meetup_com::event_id_in(&u, &segments)
    } else {
        None
    };
    let mut query: Vec<(String, String)> = u
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .filter(|(k, _)| !(host == meetup_com::HOST && k.eq_ignore_ascii_case("eventid")))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    query.sort();
    Some(Parts {
        host,
        segments,
        query,
        meetup_event,
    })
}

/// A comparable form of a URL for prefix matching: no scheme, no `www.`, `lu.ma` as
/// `luma.com`, meetup locale prefixes (`/de-DE/`) dropped, lower case, no query, no trailing
/// slash.
pub fn match_key(url: &str) -> String {
    let Some(p) = parts(url) else {
        return url.trim().trim_end_matches('/').to_lowercase();
    };
    let mut key = p.host;
    for s in p.segments {
        key.push('/');
        key.push_str(&s.to_lowercase());
    }
    key
}

/// The group a link belongs to, for comparing organizers and sources: `meetup.com/<urlname>`
/// (any host form, locale dropped, case folded), `luma.com/<slug>` (or
/// `luma.com/calendar/cal-…`, `luma.com/user/<name>`; lu.ma is luma.com), else the page as
/// [`match_key`] has it. `None` for a link that names no group (not a URL, meetup's or luma's
/// root). The one rule `health`, `add` and `check` compare organizers' pages by.
pub fn group_of(url: &str) -> Option<String> {
    let p = parts(url)?;
    match p.host.as_str() {
        meetup_com::HOST => {
            let g = p.meetup_group()?;
            Some(format!("{}/{}", meetup_com::HOST, g.to_lowercase()))
        }
        luma_com::HOST => luma_com::group(&p.segments),
        _ => Some(match_key(url)),
    }
}

/// Which kind of page an event link is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `https://www.meetup.com/<urlname>/events/<id>/`
    MeetupEvent,
    /// `https://luma.com/<slug>` or `https://lu.ma/<slug>`
    LumaEvent,
}

/// Whether a URL is an event page we can verify against.
pub fn page_kind(url: &str) -> Option<PageKind> {
    let key = match_key(url);
    let parts: Vec<&str> = key.split('/').collect();
    match parts.as_slice() {
        [meetup_com::HOST, rest @ ..] if meetup_com::is_event_page(rest) => {
            Some(PageKind::MeetupEvent)
        }
        [luma_com::HOST, slug] if luma_com::is_event_slug(slug) => Some(PageKind::LumaEvent),
        _ => None,
    }
}

/// Whether `url` is the bare root of a platform (`https://www.eventbrite.com/`, `https://lu.ma`,
/// an eventbrite country site, `https://calendar.google.com/`): never an organizer's page.
/// The platforms are [`crate::site::platform`]'s; for a root no list knows, whether it is an
/// organizer's own site is [`organizer_page`]'s rule (it needs the organizer's name).
pub fn is_platform_root(url: &str) -> bool {
    parts(url).is_some_and(|p| {
        p.segments.is_empty() && p.query.is_empty() && platform::is_platform_host(&p.host)
    })
}

pub use crate::site::meetup_com::is_locale;

/// `url` without its tracking parameters ([`is_tracking_param`]), working on the text so that
/// nothing else in the URL is re-encoded or normalized: the form a link is printed in.
pub fn without_tracking(s: &str) -> String {
    let (before_fragment, fragment) = match s.find('#') {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let Some(q) = before_fragment.find('?') else {
        return s.to_string();
    };
    let (base, query) = (&before_fragment[..q], &before_fragment[q + 1..]);
    let kept: Vec<&str> = query
        .split('&')
        .filter(|part| !is_tracking_param(part.split('=').next().unwrap_or("")))
        .collect();
    if kept.len() == query.split('&').count() {
        return s.to_string();
    }
    let kept: Vec<&str> = kept.into_iter().filter(|p| !p.is_empty()).collect();
    if kept.is_empty() {
        format!("{base}{fragment}")
    } else {
        format!("{base}?{}{fragment}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_with_a_host_pass_unchanged() {
        for ok in [
            "https://www.meetup.com/rust-berlin/events/291093702/",
            "http://rust-nyc.example.org/",
            "https://www.google.com/calendar/embed?src=apd9vmbc22egenmtu5l6c5jbfc%40group.calendar.google.com",
            "HTTPS://LU.MA/rust-girona",
            "https://luma.com/x?a=1&b=2#frag",
            "http://127.0.0.1:8080/x",
            "https://münchen.example/events/",
        ] {
            assert_eq!(check(ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(
            check("  https://x.example/a?b=1&amp;c=2 ").as_deref(),
            Ok("https://x.example/a?b=1&c=2")
        );
    }

    #[test]
    fn everything_else_is_refused_with_a_reason() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "//evil.example/x",
            "/relative/path",
            "evil.example",
            "mailto:a@b.example",
            "ftp://ftp.example.org/",
            "https://www.meetup.com@evil.example/",
            "https://user:pw@evil.example/",
            "https:/'mobilizon.fr/events/1",
            "https:-/www.google.com/url?q=x",
            "lttps://www.meetup.com/rust-nyc/",
            "https://\u{202E}moc.example/",
            "https://exa\u{200B}mple.org/",
            "https://localhost/",
            "http://",
            "https://",
            "",
        ] {
            let e = check(bad).unwrap_err();
            assert!(!e.why.is_empty(), "{bad:?}");
            assert!(
                !e.link.chars().any(|c| c.is_control() || is_invisible(c)),
                "{e}"
            );
        }
        assert!(check(&format!("https://x.example/{}", "a".repeat(3000))).is_err());
    }

    #[test]
    fn links_to_private_addresses_are_refused_unless_the_sources_file_names_them() {
        let trusted = Trusted::of(["http://127.0.0.1:8080/calendar/basic.ics"]);
        for private in [
            "http://127.0.0.2:8080/",
            "http://127.0.0.1:8081/x",
            "http://127.0.0.1/",
            "http://10.1.2.3/",
            "http://172.16.0.1/",
            "http://192.168.1.1/admin",
            "http://169.254.169.254/latest/meta-data/",
            "http://100.64.0.1/",
            "http://0.0.0.0:8080/",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://[::1]:8080/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:a9fe:a9fe]/",
            "http://[fd00::1]/",
            "http://[fe80::1]/",
            "http://[::]/",
            "http://foo.localhost/",
            "http://LOCALHOST./",
        ] {
            let e = check_within(private, &trusted).unwrap_err();
            assert!(!e.why.is_empty(), "{private}");
        }
        for public in [
            "http://127.0.0.1:8080/rust-day/",
            "http://127.0.0.1:8080",
            "https://www.meetup.com/rust-berlin/events/1/",
            "http://8.8.8.8/",
            "http://[2001:db8::1]/",
            "http://172.32.0.1/",
            "http://100.128.0.1/",
            "https://localhost.example.org/",
        ] {
            assert!(check_within(public, &trusted).is_ok(), "{public}");
        }
        // With nothing trusted, the sources file's host is private too.
        assert!(check_within("http://127.0.0.1:8080/rust-day/", &Trusted::default()).is_err());
        assert!(trusted.allows_host("127.0.0.1"));
        assert!(!trusted.allows_host("localhost"));
    }

    #[test]
    fn a_platform_s_root_is_told_from_its_pages() {
        for root in [
            "https://www.eventbrite.com/",
            "https://www.eventbrite.co.uk",
            "https://eventbrite.de/",
            "https://lu.ma/",
            "https://www.meetup.com/de-DE/",
            "http://ti.to",
        ] {
            assert!(is_platform_root(root), "{root}");
        }
        for page in [
            "https://www.eventbrite.com/o/rust-circle-kampala-65249289033",
            "https://www.eventbrite.com/e/rust-circle-meetup-tickets-628763176587",
            "https://lu.ma/rust-girona",
            "https://www.meetup.com/rust-berlin/",
            "https://rustconf.com/",
            "https://berline.rs/",
            "not a link",
        ] {
            assert!(!is_platform_root(page), "{page}");
        }
    }
}
