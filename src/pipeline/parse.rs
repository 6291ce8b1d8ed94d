//! Reading one fetched document by its source's kind: the text (decoded, unfolded), the
//! reader, the organizer a source's configuration adds, and the keyword filter.

use crate::config::Source;
use crate::fetch::Response;
use crate::model::{Organizer, RawEvent, Window};
use crate::sources::{self, Parsed, SourceError};

/// The URL fetched for a source: a meetup group's upcoming-events page, else the URL as given.
pub fn fetch_url(source: &Source) -> String {
    source.kind.spec().fetch_url(&source.url)
}

/// Parses one fetched document according to its source's kind. The body is decoded in the
/// Content-Type's charset (else UTF-8); invalid sequences replaced are a warning.
pub fn parse_source(
    source: &Source,
    response: &Response,
    window: &Window,
) -> Result<Parsed, SourceError> {
    let kind = source.kind.spec();
    let (text, decode_warning) = if kind.is_feed() {
        ical_text(response)
    } else {
        let d = response.decoded();
        let warning = d.warning();
        (d.text, warning)
    };
    let label = source.label();
    let mut parsed = kind.parse(&text, &response.url, label, window)?;
    if let Some(w) = decode_warning {
        parsed.warnings.insert(0, w);
    }
    match (kind.is_feed(), &source.organizer) {
        // The community calendar: each entry's organizer comes from its links.
        (true, None) => {}
        // One organizer's feed: that organizer on every event.
        (true, Some(page)) => {
            let name = source
                .name
                .clone()
                .or_else(|| sources::ical::calendar_name(&text))
                .unwrap_or_default();
            attribute(&mut parsed.events, &feed_organizer(source, page, name));
        }
        // What sources.toml says about the organizer completes what the page says.
        _ => complete_organizers(source, &mut parsed.events),
    }
    Ok(parsed)
}

/// The organizer of a feed of one organizer: `name` (empty: the directory's, at
/// normalization), its page, and the source's `home`.
pub(super) fn feed_organizer(source: &Source, page: &str, name: String) -> Organizer {
    Organizer {
        name,
        url: Some(page.to_string()),
        home: source.home.clone(),
    }
}

/// Puts `organizer` on every event (a feed of one organizer says nothing of its own).
pub(super) fn attribute(events: &mut [RawEvent], organizer: &Organizer) {
    for e in events {
        e.organizer = Some(organizer.clone());
    }
}

/// Completes the organizer a page reported with what `sources.toml` says: its `name` wins, its
/// `home` and URL fill gaps.
fn complete_organizers(source: &Source, events: &mut [RawEvent]) {
    for e in events {
        let org = e.organizer.get_or_insert_with(Default::default);
        if let Some(name) = &source.name {
            org.name.clone_from(name);
        }
        if org.home.is_none() {
            org.home.clone_from(&source.home);
        }
        if org.url.is_none() {
            org.url = source.organizer_page();
        }
    }
}

/// An iCalendar body as text: unfolded at the byte level before decoding
/// ([`sources::ical::decode`]: a fold may split a multi-byte character), with the number of
/// invalid UTF-8 sequences that were still replaced. A non-UTF-8 charset (rare, RFC 5545
/// allows it) is decoded first; its folds are ASCII and unfold the same afterwards.
pub(super) fn ical_text(response: &Response) -> (String, Option<String>) {
    match response.charset() {
        Some(enc) if enc != encoding_rs::UTF_8 => {
            let d = response.decoded();
            (sources::ical::decode(d.text.as_bytes()), d.warning())
        }
        _ => {
            let text = sources::ical::decode(&response.body);
            // Replacement characters in the text that were not already in the body.
            let replaced = text.matches('\u{FFFD}').count();
            let genuine = response
                .body
                .windows(3)
                .filter(|w| *w == "\u{FFFD}".as_bytes())
                .count();
            let d = crate::fetch::Decoded {
                text: String::new(),
                invalid: replaced.saturating_sub(genuine),
                encoding: "UTF-8",
            };
            (text, d.warning())
        }
    }
}

/// Keeps only events that mention one of the source's keywords in the title or the
/// description (case-insensitive). No keywords: keeps everything. Filtered events are
/// counted in the source's warnings so an organizer can be told why theirs is missing.
pub fn keyword_filter(source: &Source, parsed: &mut Parsed) -> Vec<RawEvent> {
    if source.keywords.is_empty() {
        return Vec::new();
    }
    let before = parsed.events.len();
    let (kept, left): (Vec<RawEvent>, Vec<RawEvent>) = std::mem::take(&mut parsed.events)
        .into_iter()
        .partition(|e| mentions_any(source, e));
    parsed.events = kept;
    let dropped = before - parsed.events.len();
    if dropped > 0 {
        parsed.warnings.push(format!(
            "{dropped} {} not mention {} and {} left out",
            if dropped == 1 {
                "event does"
            } else {
                "events do"
            },
            source.keywords.join(" or "),
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    left
}

/// Whether `text` mentions `keyword` as the start of a word: "rust" matches "Rust",
/// "Rustaceans" and "rust-lang", not "Trust" or "Thrust". A keyword with spaces or
/// punctuation is matched as a plain substring.
pub fn mentions(text: &str, keyword: &str) -> bool {
    let text = text.to_lowercase();
    let keyword = keyword.to_lowercase();
    if !keyword.chars().all(char::is_alphanumeric) {
        return text.contains(&keyword);
    }
    text.split(|c: char| !c.is_alphanumeric())
        .any(|word| word.starts_with(&keyword))
}

/// Whether an event mentions one of the source's keywords (title or description).
pub(super) fn mentions_any(source: &Source, e: &RawEvent) -> bool {
    let text = format!(
        "{} {}",
        e.title,
        e.description
            .as_deref()
            .map(crate::description::html_to_text)
            .unwrap_or_default()
    );
    source.keywords.iter().any(|k| mentions(&text, k))
}
