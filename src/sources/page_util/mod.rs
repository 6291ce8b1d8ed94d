//! Helpers shared by the page parsers ([`meetup`](super::meetup), [`jsonld`](super::jsonld)):
//! finding embedded `<script>` data in an HTML document, reading the date forms pages use,
//! building a [`Place`] from page fields, and cleaning event URLs.
//!
//! Everything here is pure: text in, values out.
//!
//! A page's `<script>` data and title are found by one linear scan of its tags, not through an
//! HTML tree: building one costs time quadratic in the nesting depth, which a hostile page
//! chooses.

use crate::model::{Place, When};
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime};
use serde_json::Value;

/// Deepest element nesting (counted from start and end tags, without a tree) of HTML that a
/// reader hands to html5ever's tree builder, whose scope checks are quadratic in depth
/// (500,000 nested `<div>`s take minutes).
pub const MAX_HTML_DEPTH: usize = 512;
/// Most attributes on one tag of HTML handed to html5ever, whose tokenizer looks for a
/// duplicate attribute by comparing each with every earlier one of its tag (quadratic).
pub const MAX_HTML_ATTRIBUTES: usize = 512;

/// The embedded data of one HTML document: what the page parsers read.
#[derive(Debug, Default, Clone)]
pub struct PageScripts {
    /// The text of `<script id="__NEXT_DATA__">`, if the page has one.
    pub next_data: Option<String>,
    /// The text of every `<script type="application/ld+json">`, in document order.
    pub ld_json: Vec<String>,
    /// The page's `<title>`, whitespace collapsed (for error messages).
    pub title: Option<String>,
    /// How many `<script>` elements the page has (for error messages).
    pub script_count: usize,
}

impl PageScripts {
    /// Reads the embedded scripts of an HTML document. Script bodies are raw text in HTML, so
    /// no entity decoding happens here; JSON escapes such as `\u0026` are left to `serde_json`.
    ///
    /// Read with [`scan_html`], a single linear pass, rather than html5ever: building a tree
    /// costs time quadratic in the nesting depth, and html5ever's tokenizer time quadratic in
    /// the attributes of a tag, both of which a hostile page controls; the readers only need
    /// the text of a few elements, which the tokenizer's rules for raw text give without a
    /// tree.
    pub fn read(html: &str) -> PageScripts {
        let mut out = PageScripts::default();
        scan_html(html, |item| match item {
            HtmlItem::RawText { tag, attrs, text } if tag == "script" => {
                out.script_count += 1;
                let text = || normalize_raw_text(text);
                if attrs.id.as_deref() == Some("__NEXT_DATA__") {
                    if out.next_data.is_none() {
                        out.next_data = Some(text());
                    }
                } else if attrs.kind.as_deref().is_some_and(|t| {
                    t.trim()
                        .to_ascii_lowercase()
                        .starts_with("application/ld+json")
                }) {
                    out.ld_json.push(text());
                }
            }
            HtmlItem::RawText { tag, text, .. } if tag == "title" && out.title.is_none() => {
                let title = decode_text(&normalize_raw_text(text));
                out.title = (!title.is_empty()).then_some(title);
            }
            _ => {}
        });
        out
    }

    /// A one-line account of what the page holds, for "nothing usable found" errors.
    pub fn describe(&self, html_len: usize) -> String {
        let title = match &self.title {
            Some(t) => format!("title \"{}\"", truncate(t, 80)),
            None => "no <title>".to_string(),
        };
        format!(
            "{title}, {} bytes, {} <script> elements, {} JSON-LD blocks, {}",
            html_len,
            self.script_count,
            self.ld_json.len(),
            if self.next_data.is_some() {
                "a __NEXT_DATA__ script"
            } else {
                "no __NEXT_DATA__ script"
            }
        )
    }
}

/// What the HTML input stream does to text before tokenizing: CR LF and CR become LF, NUL
/// becomes U+FFFD.
fn normalize_raw_text(text: &str) -> String {
    if !text.contains(['\r', '\0']) {
        return text.to_string();
    }
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{fffd}")
}

/// The attributes [`scan_html`] keeps of a start tag (the first of each name, as HTML does),
/// entity-decoded, and how many it had.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TagAttrs {
    pub id: Option<String>,
    /// `type`.
    pub kind: Option<String>,
    /// `property`, else `name` (a `<meta>` tag's key: `og:title`).
    pub property: Option<String>,
    /// `content` (a `<meta>` tag's value), entities decoded.
    pub content: Option<String>,
    pub count: usize,
}

/// What [`scan_html`] reports.
#[derive(Debug, Clone, PartialEq)]
pub enum HtmlItem<'a> {
    /// A start tag (name lower-cased); for an element whose content is raw text (`script`,
    /// `style`, `title`, `textarea`, …) a [`HtmlItem::RawText`] instead.
    Start {
        tag: String,
        attrs: TagAttrs,
        self_closing: bool,
    },
    End {
        tag: String,
    },
    /// A raw-text element and its content, up to its end tag (or the end of the document).
    RawText {
        tag: String,
        attrs: TagAttrs,
        text: &'a str,
    },
}

/// Elements whose content the HTML tokenizer reads as raw text, up to their end tag
/// (`noscript` with scripting on, as browsers and html5ever's default do).
const RAW_TEXT: [&str; 9] = [
    "script", "style", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
];

/// Elements that never have content (no end tag).
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "basefont",
];

/// Walks an HTML document's tags in one linear pass, following the HTML tokenizer's rules for
/// what matters here: comments, doctype and bogus comments skipped, quoted attribute values
/// (which may hold `>`), raw-text elements read up to their end tag, `<plaintext>` to the
/// end. Text outside raw-text elements is not reported. (Not a full tokenizer: character
/// references outside attribute values and `<title>`, and the script-data escape states of
/// `<!--` inside a script, are not modelled; pages put JSON, not comments, in scripts.)
pub fn scan_html<'a>(html: &'a str, mut on: impl FnMut(HtmlItem<'a>)) {
    let bytes = html.as_bytes();
    let mut pos = 0;
    while let Some(off) = html[pos..].find('<') {
        let lt = pos + off;
        let rest = &bytes[lt + 1..];
        match rest.first() {
            Some(b'!') if rest.starts_with(b"!--") => {
                // A comment: to "-->" ("<!-->" and "<!--->" are empty comments).
                let body = lt + 4;
                pos = if bytes[body..].starts_with(b">") {
                    body + 1
                } else if bytes[body..].starts_with(b"->") {
                    body + 2
                } else {
                    match html[body..].find("-->") {
                        Some(i) => body + i + 3,
                        None => return,
                    }
                };
            }
            Some(b'!' | b'?') => {
                // Doctype, CDATA outside foreign content, processing instruction: to '>'.
                match html[lt..].find('>') {
                    Some(i) => pos = lt + i + 1,
                    None => return,
                }
            }
            Some(b'/') => match rest.get(1) {
                Some(c) if c.is_ascii_alphabetic() => {
                    let (tag, _, _, next) = read_tag(html, lt + 2);
                    on(HtmlItem::End { tag });
                    match next {
                        Some(n) => pos = n,
                        None => return,
                    }
                }
                Some(b'>') => pos = lt + 3,
                // "</ x>" and the like: a bogus comment, to '>'.
                _ => match html[lt..].find('>') {
                    Some(i) => pos = lt + i + 1,
                    None => return,
                },
            },
            Some(c) if c.is_ascii_alphabetic() => {
                let (tag, attrs, self_closing, next) = read_tag(html, lt + 1);
                let Some(next) = next else {
                    // The document ends inside the tag: the tokenizer drops it.
                    return;
                };
                if tag == "plaintext" {
                    on(HtmlItem::RawText {
                        tag,
                        attrs,
                        text: &html[next..],
                    });
                    return;
                }
                if RAW_TEXT.contains(&tag.as_str()) {
                    let (end, after) = find_end_tag(html, next, &tag);
                    on(HtmlItem::RawText {
                        tag,
                        attrs,
                        text: &html[next..end],
                    });
                    pos = after;
                } else {
                    on(HtmlItem::Start {
                        tag,
                        attrs,
                        self_closing,
                    });
                    pos = next;
                }
            }
            // A '<' that starts no tag is text.
            _ => pos = lt + 1,
        }
        if pos >= html.len() {
            return;
        }
    }
}

/// Reads a tag from its name at `start`: the lower-cased name, the attributes kept, whether
/// it ends with "/>", and the offset after its '>' (`None` when the document ends first).
fn read_tag(html: &str, start: usize) -> (String, TagAttrs, bool, Option<usize>) {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = start;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let tag = html[start..i].to_ascii_lowercase();
    let mut attrs = TagAttrs::default();
    let mut seen_id = false;
    let mut seen_type = false;
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'>') {
                return (tag, attrs, true, Some(i + 2));
            }
            i += 1;
        }
        match bytes.get(i) {
            None => return (tag, attrs, false, None),
            Some(b'>') => return (tag, attrs, false, Some(i + 1)),
            Some(_) => {}
        }
        // An attribute name (a leading '=' belongs to it), then maybe "= value".
        let name_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &html[name_start..i];
        while i < bytes.len() && is_space(bytes[i]) {
            i += 1;
        }
        let mut value = "";
        if bytes.get(i) == Some(&b'=') {
            i += 1;
            while i < bytes.len() && is_space(bytes[i]) {
                i += 1;
            }
            if let Some(&q @ (b'"' | b'\'')) = bytes.get(i) {
                let v = i + 1;
                match html[v..].find(q as char) {
                    Some(len) => {
                        value = &html[v..v + len];
                        i = v + len + 1;
                    }
                    None => return (tag, attrs, false, None),
                }
            } else {
                let v = i;
                while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                    i += 1;
                }
                value = &html[v..i];
            }
        }
        attrs.count += 1;
        if name.eq_ignore_ascii_case("id") && !seen_id {
            seen_id = true;
            attrs.id = Some(html_escape::decode_html_entities(value).into_owned());
        } else if name.eq_ignore_ascii_case("type") && !seen_type {
            seen_type = true;
            attrs.kind = Some(html_escape::decode_html_entities(value).into_owned());
        } else if name.eq_ignore_ascii_case("property")
            || (name.eq_ignore_ascii_case("name") && attrs.property.is_none())
        {
            attrs.property = Some(value.to_ascii_lowercase());
        } else if name.eq_ignore_ascii_case("content") && attrs.content.is_none() {
            attrs.content = Some(html_escape::decode_html_entities(value).into_owned());
        }
    }
}

/// Where the raw text of a `tag` element starting at `from` ends, and the offset after its end
/// tag: the first `</tag` (any case) followed by white space, '/' or '>'; else the end of the
/// document.
fn find_end_tag(html: &str, from: usize, tag: &str) -> (usize, usize) {
    let bytes = html.as_bytes();
    let mut pos = from;
    while let Some(off) = html[pos..].find("</") {
        let at = pos + off;
        let name = at + 2;
        let matches = bytes
            .get(name..name + tag.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(tag.as_bytes()));
        let ends = matches
            && matches!(
                bytes.get(name + tag.len()),
                Some(b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>')
            );
        if ends {
            let after = match html[name..].find('>') {
                Some(i) => name + i + 1,
                None => html.len(),
            };
            return (at, after);
        }
        pos = at + 2;
    }
    (html.len(), html.len())
}

/// Why an HTML fragment should not be handed to html5ever ([`MAX_HTML_DEPTH`],
/// [`MAX_HTML_ATTRIBUTES`]), found by a linear scan; `None` for ordinary markup.
pub fn html_too_complex(html: &str) -> Option<String> {
    if !html.contains('<') {
        return None;
    }
    let (mut depth, mut deepest, mut most_attrs) = (0usize, 0usize, 0usize);
    scan_html(html, |item| match item {
        HtmlItem::Start {
            tag,
            attrs,
            self_closing,
        } => {
            most_attrs = most_attrs.max(attrs.count);
            if !self_closing && !VOID.contains(&tag.as_str()) {
                depth += 1;
                deepest = deepest.max(depth);
            }
        }
        HtmlItem::RawText { attrs, .. } => most_attrs = most_attrs.max(attrs.count),
        HtmlItem::End { .. } => depth = depth.saturating_sub(1),
    });
    if deepest > MAX_HTML_DEPTH {
        Some(format!("HTML nested deeper than {MAX_HTML_DEPTH} levels"))
    } else if most_attrs > MAX_HTML_ATTRIBUTES {
        Some(format!(
            "an HTML tag with more than {MAX_HTML_ATTRIBUTES} attributes"
        ))
    } else {
        None
    }
}

/// Parses a JSON document embedded in a page. Pages written by hand or by templates sometimes
/// put raw line breaks or tabs inside JSON strings, which JSON forbids; when strict parsing
/// fails, a second try replaces those control characters with spaces. Returns the value and
/// whether that repair was needed.
pub fn parse_embedded_json(text: &str) -> Result<(Value, bool), serde_json::Error> {
    match serde_json::from_str::<Value>(text.trim()) {
        Ok(v) => Ok((v, false)),
        Err(first) => {
            let repaired: String = text
                .trim()
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            serde_json::from_str::<Value>(&repaired)
                .map(|v| (v, true))
                .map_err(|_| first)
        }
    }
}

/// Follows a JSON path of object keys.
pub fn at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, k| v.get(*k))
}

/// A non-empty, trimmed string field.
pub fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Reads the date and time forms event pages use:
/// - with an offset, seconds optional: `2026-10-08T18:30:00+02:00`, `2025-01-16T19:00+01:00`,
///   also `+0200` and a space instead of `T` → [`When::Offset`];
/// - a `Z` (UTC) instant → [`When::Utc`] (the page did not say the local zone);
/// - a date alone, `2026-09-08` → [`When::Date`];
/// - a date and time without offset → [`When::Floating`].
///
/// Years outside 1–9999 are not read: chrono also takes "+262000-01-01", a date at the edge of
/// its range where later arithmetic overflows.
pub fn parse_when(s: &str) -> Option<When> {
    let s = s.trim();
    if s.is_empty() || s.len() > 64 {
        return None;
    }
    let when = read_when(s)?;
    let year = match &when {
        When::Date(d) => d.year(),
        When::Utc(t) => t.year(),
        When::Offset(t) => t.year(),
        When::Zoned(n, _) | When::Floating(n) => n.year(),
    };
    (1..=9999).contains(&year).then_some(when)
}

fn read_when(s: &str) -> Option<When> {
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        return Some(When::Date(d));
    }
    let t = s.replacen(' ', "T", 1);
    if let Some(rest) = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')) {
        return parse_naive(rest).map(|n| When::Utc(n.and_utc()));
    }
    if let Some(dt) = parse_offset(&t) {
        return Some(When::Offset(dt));
    }
    parse_naive(&t).map(When::Floating)
}

fn parse_offset(t: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt);
    }
    [
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
    ]
    .iter()
    .find_map(|f| DateTime::parse_from_str(t, f).ok())
}

fn parse_naive(t: &str) -> Option<NaiveDateTime> {
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Builds a [`Place`] from a page's city, state/region and country fields. The country may be a
/// code in any case or a name ([`country_code`]). For GB the "state" pages carry is part of a
/// postcode (meetup) or a nation name, never a usable region: it is dropped.
pub fn make_place(city: Option<&str>, state: Option<&str>, country: Option<&str>) -> Option<Place> {
    let country = country.and_then(country_code);
    // GB venues carry part of a postcode in `state`; US, CA and AU states are printed as
    // codes whatever the page wrote ("Texas", "bc").
    let state = match country.as_deref() {
        Some("GB") => None,
        Some(cc @ ("US" | "CA" | "AU")) => state.map(|s| {
            crate::place::state_code(cc, s).map_or_else(|| s.trim().to_string(), str::to_string)
        }),
        _ => state.map(str::to_string),
    };
    let place = Place::new(city, state.as_deref(), country.as_deref());
    (!place.is_empty()).then_some(place)
}

/// An ISO 3166-1 alpha-2 code for a country written as a code or a name (any language the
/// location module knows).
pub fn country_code(s: &str) -> Option<String> {
    crate::place::country_code(s).map(str::to_string)
}

/// Removes tracking parameters (`utm_*`, luma's `lm_source`/`lm_*`) from a URL and keeps every
/// other parameter (`?aff=…`, `?eventId=…`). Text that is not a URL is returned trimmed.
pub fn clean_url(s: &str) -> String {
    let s = s.trim();
    let Ok(mut url) = url::Url::parse(s) else {
        return s.to_string();
    };
    if url.query().is_none() {
        return s.to_string();
    }
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !(k.starts_with("utm_") || k.starts_with("lm_")))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let before = url.query_pairs().count();
    if kept.len() == before {
        return s.to_string();
    }
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    url.to_string()
}

/// Decodes HTML entities (`&amp;`, `&#39;`, `&quot;`) and trims; titles in JSON-LD are often
/// entity-encoded by the page template.
pub fn decode_text(s: &str) -> String {
    collapse_ws(&html_escape::decode_html_entities(s))
}

pub use crate::site::meetup_com::{event_id as meetup_event_id, urlname as meetup_urlname};

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod place_tests;

#[cfg(test)]
mod tests;
