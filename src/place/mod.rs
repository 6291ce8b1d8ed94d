//! Free-text locations ("Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany",
//! "Online", a URL) to a [`Place`] and an attendance hint, and the newsletter's own place
//! notation (`City, ST, CC`).
//!
//! Country names and codes come from the `celes` crate (ISO 3166-1 names, codes and English
//! aliases). What no crate offers is written here by hand: the native-language country names
//! people type into calendars (Deutschland, España, 日本…), the US/CA/AU state and province
//! tables with their names (needed to infer a country from "Dallas, TX"), and the reading of
//! address layouts (postcodes, street segments, Japanese order), which no maintained Rust
//! address parser handles without a large model (libpostal).
//!
//! Here: this file the readers; `address.rs` an address's segments; `names.rs` country names
//! and the US/CA/AU subdivision tables. Below the stages (it was `normalize/location/`, and is
//! still reachable as `normalize::location`).

mod address;
mod names;
#[cfg(test)]
mod tests;

use crate::model::{Attendance, Place};
use address::{place_from_segments, strip_online_words};
pub use names::{country_code, state_code};
use names::{state_anywhere, state_in};

/// What a free-text location says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedLocation {
    /// The physical place, if the text names one.
    pub place: Option<Place>,
    /// The text says the event is online ("Online", "Virtual", a video-call URL, …).
    pub online: bool,
}

/// Reads a free-text location.
pub fn parse_location(text: &str) -> ParsedLocation {
    let mut online = false;
    // URLs: a video-call host means online; other links (meetup, luma) are not a place.
    let mut words = Vec::new();
    for word in text.split_whitespace() {
        match url_host(word) {
            Some(host) => online |= crate::site::elsewhere::is_online_venue(&host),
            None => words.push(word),
        }
    }
    let text = words.join(" ");
    let mut place = None;
    for group in text.split([';', '|', '\n']) {
        let mut segments = Vec::new();
        for seg in group.split([',', '+', '(', ')', '[', ']', '、', '，']) {
            let (rest, said_online) = strip_online_words(seg);
            online |= said_online;
            if !rest.is_empty() {
                segments.push(rest);
            }
        }
        if place.is_none() {
            place = place_from_segments(segments);
        }
    }
    ParsedLocation { place, online }
}

/// Reads a place written the newsletter's way: `City, ST, CC`, `City, CC`, `City, UK`.
/// Tolerates the editors' variants: `New York, NY US`, `Miami, FL` (country inferred from the
/// state), a country name instead of a code (`Tel Aviv, Israel`), a lone country (`Israel`),
/// stray spaces and a trailing markdown link.
pub fn parse_newsletter_place(text: &str) -> Option<Place> {
    let text = strip_markdown_links(text);
    let mut parts: Vec<String> = text
        .split(',')
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect();
    // `New York, NY US`: state and country in one part.
    if parts.len() == 2
        && let Some((st, cc)) = parts[1].split_once(' ')
        && is_code(st)
        && is_code(cc)
        && country_code(cc).is_some()
    {
        let (st, cc) = (st.to_string(), cc.to_string());
        parts.pop();
        parts.push(st);
        parts.push(cc);
    }
    let city_of = |city: &str, country: &str| {
        // `Switzerland, CH`: the "city" is the country itself.
        (country_code(city) != Some(country)).then(|| city.to_string())
    };
    match parts.as_slice() {
        [one] => country_code(one).map(|cc| Place::new(None, None, Some(cc))),
        [city, last] => {
            if let Some(cc) = country_code(last) {
                let city = city_of(city, cc);
                Some(Place::new(city.as_deref(), None, Some(cc)))
            } else {
                let (cc, st) = state_anywhere(last)?;
                Some(Place::new(Some(city), Some(st), Some(cc)))
            }
        }
        [city, state, last] => {
            let cc = country_code(last)?;
            let st = state_in(cc, state).map_or_else(|| state.to_ascii_uppercase(), str::to_string);
            let city = city_of(city, cc);
            Some(Place::new(city.as_deref(), Some(&st), Some(cc)))
        }
        _ => None,
    }
}

/// A newsletter entry's location field (`Virtual (Dallas, TX, US)`, `Hybrid (Seattle, WA, US)`,
/// `Munich, DE + Virtual`, `Virtual (Redmond, WA, US; New York, NY, US)`), read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsletterLocation {
    pub attendance: Attendance,
    /// Every place that parsed, in order (mirrors give several).
    pub places: Vec<Place>,
    /// Parts that did not parse as a place (`Various`, `Europe`, …).
    pub unparsed: Vec<String>,
}

/// Reads a newsletter entry's whole location field: attendance words, then the place list.
pub fn parse_newsletter_location(field: &str) -> NewsletterLocation {
    let text = strip_markdown_links(field).replace(['(', ')'], " ");
    let lower = text.to_lowercase();
    let virtual_word = lower.contains("virtual") || lower.contains("online");
    let in_person = lower.contains("in-person") || lower.contains("in person");
    let attendance = if lower.contains("hybrid") || (virtual_word && in_person) {
        Attendance::Hybrid
    } else if virtual_word {
        // `Munich, DE + Virtual` and `Virtual + Dallas, TX, US` name a venue too.
        let words: Vec<&str> = lower.split_whitespace().collect();
        let joined = words.contains(&"+");
        if joined {
            Attendance::Hybrid
        } else {
            Attendance::Virtual
        }
    } else {
        Attendance::InPerson
    };
    let tokens: Vec<&str> = text.split_whitespace().collect();
    let is_marker = |t: &&str| {
        let bare = t.trim_matches(|c: char| c == ':' || c == '-' || c == '–');
        // `IN` (India) and other upper-case codes are never markers.
        if bare.len() == 2 && bare.chars().all(|c| c.is_ascii_uppercase()) {
            return false;
        }
        matches!(
            bare.to_lowercase().as_str(),
            "" | "hybrid"
                | "virtual"
                | "online"
                | "in-person"
                | "in"
                | "person"
                | "and"
                | "+"
                | "&"
        )
    };
    let start = tokens
        .iter()
        .position(|t| !is_marker(t))
        .unwrap_or(tokens.len());
    let end = tokens
        .iter()
        .rposition(|t| !is_marker(t))
        .map_or(start, |e| e + 1);
    let core = tokens[start..end.max(start)].join(" ");
    let mut places = Vec::new();
    let mut unparsed = Vec::new();
    for group in core.split(';') {
        let parts: Vec<&str> = group.split(" / ").collect();
        let parts = if parts.len() > 1 && parts.iter().all(|p| p.contains(',')) {
            parts
        } else {
            vec![group]
        };
        for part in parts {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            match parse_newsletter_place(part) {
                Some(p) => places.push(p),
                None => unparsed.push(part.to_string()),
            }
        }
    }
    NewsletterLocation {
        attendance,
        places,
        unparsed,
    }
}

fn is_code(s: &str) -> bool {
    (2..=3).contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic())
}

fn strip_markdown_links(text: &str) -> String {
    let mut out = text.to_string();
    while let Some(start) = out.find('[') {
        let Some(mid) = out[start..].find("](").map(|m| start + m) else {
            break;
        };
        let Some(end) = out[mid..].find(')').map(|e| mid + e) else {
            break;
        };
        out.replace_range(start..=end, "");
    }
    out.trim().trim_end_matches(',').trim().to_string()
}

/// The host of a word that is a URL (`https://…`, `www.…`, `zoom.us/j/…`).
fn url_host(word: &str) -> Option<String> {
    let word = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | ',' | '"'));
    let with_scheme = if word.contains("://") {
        word.to_string()
    } else if word.starts_with("www.") || (word.contains('.') && word.contains('/')) {
        format!("https://{word}")
    } else {
        return None;
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = url.host_str()?.to_ascii_lowercase();
    host.contains('.').then_some(host)
}
