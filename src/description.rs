//! Description HTML → text and cleaned links, below the stages (the iCal reader and the
//! keyword filter both use it): extracting links from Google Calendar's HTML descriptions and
//! cleaning them.
//!
//! Google Calendar stores a description as raw HTML (`<a href="…" target="_blank">`, `<br>`,
//! entities), often with links wrapped in `https://www.google.com/url?q=…&sa=D&source=calendar…`
//! redirects; people also paste bare URLs as plain text. [`extract_links`] finds them all,
//! [`clean_url`] unwraps redirects and drops tracking parameters, [`html_to_text`] gives the
//! plain text for keyword filters and attendance hints.

use scraper::{Html, Node};
use url::Url;

/// Every link in a description (HTML or plain text), in order of appearance, each passed
/// through [`clean_url`], without duplicates. Only `http` and `https` links are kept.
pub fn extract_links(html: &str) -> Vec<String> {
    let fragment = Html::parse_fragment(html);
    let mut raw: Vec<String> = Vec::new();
    for node in fragment.tree.root().descendants() {
        match node.value() {
            Node::Element(el) if el.name() == "a" => {
                if let Some(href) = el.attr("href") {
                    raw.push(href.to_string());
                }
            }
            Node::Text(text) => {
                // The text of a link is usually the link itself, sometimes shortened with an
                // ellipsis: the href is what counts.
                let inside_link = node.ancestors().any(|a| {
                    a.value()
                        .as_element()
                        .is_some_and(|e| e.name() == "a" && e.attr("href").is_some())
                });
                if !inside_link {
                    raw.extend(bare_urls(text));
                }
            }
            _ => {}
        }
    }
    // A set beside the list: `out.contains` made a description with many links quadratic.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for link in raw {
        let cleaned = clean_url(&link);
        if is_web_link(&cleaned) && seen.insert(cleaned.clone()) {
            out.push(cleaned);
        }
    }
    out
}

/// True for a link the output may carry ([`crate::link::check`]: http(s), a real host, no
/// user info — `http://events@gitnation.org/` is an e-mail address turned into a link).
pub fn is_web_link(url: &str) -> bool {
    crate::link::check(url).is_ok()
}

/// Bare `http(s)://` URLs and `www.` addresses in plain text.
///
/// Hand-written rather than a crate: the rule is small (a URL runs to the next whitespace or
/// markup character, minus trailing sentence punctuation and unbalanced closing brackets) and
/// the HTML parser has already split text from markup.
fn bare_urls(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &text[i..];
        let lower_prefix = |p: &str| {
            rest.get(..p.len())
                .is_some_and(|s| s.eq_ignore_ascii_case(p))
        };
        let at_word_start = i == 0 || !text[..i].chars().next_back().is_some_and(is_word_char);
        let scheme = if lower_prefix("https://") || lower_prefix("http://") {
            Some("")
        } else if at_word_start && lower_prefix("www.") {
            Some("https://")
        } else {
            None
        };
        let Some(prefix) = scheme else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`'))
            .unwrap_or(rest.len());
        let candidate = trim_url_end(&rest[..len]);
        // Something after the scheme (`https://` alone is not a link).
        if candidate.len() > "https://".len() - prefix.len() + 3 {
            found.push(format!("{prefix}{candidate}"));
        }
        i += len.max(1);
    }
    found
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '/' | '.' | '@' | '-' | '_')
}

/// Drops sentence punctuation after a URL, and a closing bracket that has no opening one in
/// the URL (`(see https://x.org/a)`), keeping `https://en.wikipedia.org/wiki/Rust_(language)`.
fn trim_url_end(mut s: &str) -> &str {
    loop {
        let Some(last) = s.chars().next_back() else {
            return s;
        };
        let unbalanced = |open: char, close: char| {
            last == close && s.matches(open).count() < s.matches(close).count()
        };
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '*')
            || unbalanced('(', ')')
            || unbalanced('[', ']')
        {
            s = &s[..s.len() - last.len_utf8()];
        } else {
            return s;
        }
    }
}

/// Cleans one link: decodes HTML entities (also Google's iCalendar-escaped `&amp\;`), unwraps
/// `https://www.google.com/url?q=<target>&…` redirects (recursively) and drops tracking query
/// parameters. Everything else is kept exactly as written: no case changes, no trailing slash
/// added or removed, other parameters and the fragment untouched.
pub fn clean_url(url: &str) -> String {
    clean_url_depth(url, 0)
}

fn clean_url_depth(url: &str, depth: usize) -> String {
    let unescaped = url.replace("\\;", ";").replace("\\,", ",");
    let decoded = html_escape::decode_html_entities(&unescaped);
    let mut decoded = decoded.trim().to_string();
    // A whole URL percent-encoded (`https%3A%2F%2F…`), as found in real URL properties.
    let lower = decoded.get(..9).unwrap_or("").to_ascii_lowercase();
    if lower.starts_with("https%3a") || lower.starts_with("http%3a") {
        decoded = percent_encoding::percent_decode_str(&decoded)
            .decode_utf8_lossy()
            .into_owned();
    }
    let decoded = decoded.as_str();
    if depth < 5
        && let Some(target) = google_redirect_target(decoded)
    {
        return clean_url_depth(&target, depth + 1);
    }
    crate::link::without_tracking(decoded)
}

/// The `q` (or `url`) target of a Google redirect link, percent-decoded.
fn google_redirect_target(s: &str) -> Option<String> {
    let parsed = Url::parse(s).ok()?;
    let host = parsed.host_str()?.to_ascii_lowercase();
    if !crate::site::platform::is_google_redirect_host(&host) || parsed.path() != "/url" {
        return None;
    }
    let pairs: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    ["q", "url"].iter().find_map(|key| {
        pairs
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.clone())
    })
}

/// The longest organizer name read from a description's first line, in characters.
const MAX_LEADING_NAME: usize = 60;

/// The organizer's name a description starts with, on a line of its own: `Rust Circle<br><a
/// href="…">…</a>`, as calendar entries of groups without a meetup page are often written. A
/// first line that reads as a sentence is no name: it ends in punctuation (`Hack night.`), holds
/// a colon or a link (`RSVP: https://…`), has more than six words, or starts in lower case.
pub fn leading_name(html: &str) -> Option<String> {
    let text = html_to_text(html);
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    lines.next()?; // a name alone is the whole description: nothing says it is a name
    let name = crate::text::clean_field(first, MAX_LEADING_NAME + 1);
    let lower = name.to_ascii_lowercase();
    let sentence = name.ends_with(['.', '!', '?', ',', ';', '…'])
        || name.contains(':')
        || lower.contains("http")
        || lower.contains("www.");
    let starts_as_name = name
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit());
    let short = name.chars().count() <= MAX_LEADING_NAME && name.split(' ').count() <= 6;
    (!sentence && starts_as_name && short).then_some(name)
}

/// The description as plain text: tags removed, `<br>` and the ends of block elements as line
/// breaks, entities decoded (a non-breaking space becomes a space), runs of blank lines
/// collapsed and lines trimmed at the end.
pub fn html_to_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::new();
    walk_text(fragment.tree.root(), &mut out);
    let mut lines: Vec<&str> = Vec::new();
    for line in out.split('\n').map(str::trim_end) {
        if line.trim().is_empty() && lines.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        lines.push(line);
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines.join("\n")
}

fn walk_text(node: ego_tree::NodeRef<'_, Node>, out: &mut String) {
    for child in node.children() {
        match child.value() {
            Node::Text(t) => out.push_str(&t.replace('\u{a0}', " ")),
            Node::Element(el) => {
                let name = el.name();
                if name == "br" {
                    out.push('\n');
                    continue;
                }
                if matches!(name, "script" | "style") {
                    continue;
                }
                let block = matches!(
                    name,
                    "p" | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "tr"
                        | "table"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "blockquote"
                        | "pre"
                        | "hr"
                );
                if block && !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                if name == "li" {
                    out.push_str("- ");
                }
                walk_text(child, out);
                if block && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            _ => walk_text(child, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    /// A description as Google Calendar stores it, after iCalendar unescaping.
    const GOOGLE_DESC: &str = "<b>Rust Berlin</b> monthly talks!<br><br>RSVP: <a href=\"https://www.google.com/url?q=https://www.meetup.com/rust-berlin/events/298457951/&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=AOvVaw2yqLcbRzC9JuA5uVmIUVPp\" target=\"_blank\" id=\"ow864\" __is_owner=\"true\">https://www.meetup.com/rust-berlin/events/298457951/</a><br>Stream:&nbsp;https://www.youtube.com/watch?v=abc123&amp;utm_source=cal.<br><ul><li>Doors 18:30</li><li>Talks 19:00</li></ul>";

    #[test]
    fn extracts_anchor_and_bare_links_in_order() {
        assert_eq!(
            extract_links(GOOGLE_DESC),
            vec![
                "https://www.meetup.com/rust-berlin/events/298457951/".to_string(),
                "https://www.youtube.com/watch?v=abc123".to_string(),
            ]
        );
    }

    #[test]
    fn deduplicates_after_cleaning() {
        let html = "https://lu.ma/abc?utm_source=x and <a href=\"https://lu.ma/abc\">again</a> https://lu.ma/abc";
        assert_eq!(extract_links(html), vec!["https://lu.ma/abc".to_string()]);
    }

    #[test]
    fn plain_text_descriptions_and_www() {
        let text = "Join us (details at https://rust-lang.org/community).\nAlso see www.meetup.com/Rust-Rhein-Main, or mail me@example.org";
        assert_eq!(
            extract_links(text),
            vec![
                "https://rust-lang.org/community".to_string(),
                "https://www.meetup.com/Rust-Rhein-Main".to_string(),
            ]
        );
        assert_eq!(
            extract_links("https://en.wikipedia.org/wiki/Rust_(programming_language)!"),
            vec!["https://en.wikipedia.org/wiki/Rust_(programming_language)".to_string()]
        );
    }

    #[test]
    fn skips_non_web_links() {
        let html = "<a href=\"mailto:a@b.org\">mail</a> <a href=\"tel:+123\">call</a> <a href=\"http://mailto:ccocks@scottlogic.com/\">x</a> http://events@gitnation.org/";
        assert!(extract_links(html).is_empty());
        assert!(extract_links("").is_empty());
    }

    #[test]
    fn unwraps_google_redirects() {
        let wrapped = "https://www.google.com/url?q=https://www.meetup.com/rust-berlin/events/298457951/&amp;sa=D&amp;source=calendar&amp;usd=2&amp;usg=AOvVaw2yqLcbRzC9JuA5uVmIUVPp";
        assert_eq!(
            clean_url(wrapped),
            "https://www.meetup.com/rust-berlin/events/298457951/"
        );
        // ust variant, percent-encoded target with its own query.
        let ust = "https://www.google.com/url?q=https%3A%2F%2Flu.ma%2Frust-nyc%3Ftk%3DAbC%26utm_source%3Dnewsletter&sa=D&source=calendar&ust=1706812345678000&usg=AOvVaw0";
        assert_eq!(clean_url(ust), "https://lu.ma/rust-nyc?tk=AbC");
        // Wrapped twice.
        let twice = format!(
            "https://www.google.com/url?q={}&sa=D",
            percent_encoding::utf8_percent_encode(wrapped, percent_encoding::NON_ALPHANUMERIC)
        );
        assert_eq!(
            clean_url(&twice),
            "https://www.meetup.com/rust-berlin/events/298457951/"
        );
        // iCalendar-escaped semicolons left in by a producer.
        assert_eq!(
            clean_url("https://www.google.com/url?q=https://example.org/Path/&amp\\;sa=D"),
            "https://example.org/Path/"
        );
    }

    #[test]
    fn drops_only_tracking_parameters() {
        assert_eq!(
            clean_url(
                "https://www.meetup.com/Rust-Rhein-Main/events/229564640/?eventId=229564640&utm_medium=email&utm_campaign=x#top"
            ),
            "https://www.meetup.com/Rust-Rhein-Main/events/229564640/?eventId=229564640#top"
        );
        assert_eq!(
            clean_url("https://example.org/a?utm_source=x&utm_medium=y"),
            "https://example.org/a"
        );
        // No trailing slash added, case kept, other parameters untouched.
        assert_eq!(clean_url("https://Example.org"), "https://Example.org");
        // One rule with the event identity (`link::is_tracking_param`): luma's `lm_*` too.
        assert_eq!(
            clean_url("https://lu.ma/Evt?lm_source=cal&x=a%20b&fbclid=1"),
            "https://lu.ma/Evt?x=a%20b"
        );
        // Not a redirect: a google.com page that merely has a q parameter.
        assert_eq!(
            clean_url("https://www.google.com/search?q=rust"),
            "https://www.google.com/search?q=rust"
        );
        assert_eq!(clean_url("not a url &amp; more"), "not a url & more");
        assert_eq!(
            clean_url("https%3A%2F%2Ffinos.webex.com%2Ffinos%2Fj.php%3FMTID%3Dm6bb4"),
            "https://finos.webex.com/finos/j.php?MTID=m6bb4"
        );
    }

    #[test]
    fn a_name_on_the_first_line_is_the_organizer_s() {
        for (html, name) in [
            (
                "Rust Circle<br><a href=\"https://www.eventbrite.com/e/rust-circle-meetup-tickets-628763176587\">Tickets</a>",
                Some("Rust Circle"),
            ),
            (
                "<b>Rust Nürnberg</b><br><br>Talks and pizza.<br>https://rust-nuremberg.example/",
                Some("Rust Nürnberg"),
            ),
            (
                "Rust Circle\nhttps://www.eventbrite.com/e/x-1",
                Some("Rust Circle"),
            ),
            // Sentences, links, a lone line, lower case: no name.
            (
                "Hack night.<br><br><a href=\"https://x.example/\">x</a>",
                None,
            ),
            (
                "RSVP: <a href=\"https://x.example/\">x</a><br>Doors 18:30",
                None,
            ),
            (
                "San Francisco Rust Study Group. <a href=\"https://x.example/\">x</a>",
                None,
            ),
            (
                "<a href=\"https://x.example/\">https://x.example/</a><br>Talks",
                None,
            ),
            ("Rust Circle", None),
            ("join us online<br>https://x.example/", None),
            (
                "Monthly get-together of Rustaceans in and around Buffalo<br>x",
                None,
            ),
            ("", None),
        ] {
            assert_eq!(leading_name(html).as_deref(), name, "{html:?}");
        }
    }

    #[test]
    fn text_from_html() {
        assert_eq!(
            html_to_text(GOOGLE_DESC),
            "Rust Berlin monthly talks!\n\nRSVP: https://www.meetup.com/rust-berlin/events/298457951/\nStream: https://www.youtube.com/watch?v=abc123&utm_source=cal.\n- Doors 18:30\n- Talks 19:00"
        );
        assert_eq!(html_to_text("Line one\nLine two"), "Line one\nLine two");
        assert_eq!(html_to_text("a &lt; b &amp;&amp; c"), "a < b && c");
        assert_eq!(html_to_text(""), "");
    }
}
