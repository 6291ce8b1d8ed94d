//! Reading an address's comma-separated segments: online words, placeholders, postcodes,
//! street segments, a state and its city, and the place they name.

use super::names::{country_code, state_anywhere, state_in};
use crate::model::Place;

/// Removes online markers from a segment: returns what is left and whether a marker was there.
pub(super) fn strip_online_words(seg: &str) -> (String, bool) {
    const ONLINE: &[&str] = &[
        "online",
        "virtual",
        "virtually",
        "zoom",
        "discord",
        "remote",
        "livestream",
        "livestreamed",
        "streaming",
        "stream",
        "webinar",
        "webex",
        "teams",
        "jitsi",
        "twitch",
        "youtube",
        "hybrid",
        "hangouts",
        "meet",
    ];
    const CONNECTORS: &[&str] = &[
        "",
        "and",
        "or",
        "&",
        "in",
        "person",
        "in-person",
        "via",
        "on",
        "google",
        "microsoft",
        "live",
        "event",
        "only",
        "und",
        "-",
        "–",
        "/",
    ];
    let norm = |w: &str| {
        w.trim_matches(|c: char| matches!(c, ':' | '-' | '–' | '/' | '.' | '!' | '"'))
            .to_lowercase()
    };
    let words: Vec<&str> = seg.split_whitespace().collect();
    let online = words.iter().any(|w| ONLINE.contains(&norm(w).as_str()));
    let kept: Vec<&str> = if online {
        words
            .into_iter()
            .filter(|w| {
                let n = norm(w);
                !ONLINE.contains(&n.as_str()) && !CONNECTORS.contains(&n.as_str())
            })
            .collect()
    } else {
        words
    };
    let rest = kept.join(" ");
    let rest = rest
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '-' | '–' | '/' | '.'))
        .to_string();
    (rest, online)
}

/// Words that are not a place on their own.
fn is_placeholder(seg: &str) -> bool {
    matches!(
        seg.to_lowercase().as_str(),
        "tbd"
            | "tba"
            | "to be announced"
            | "to be determined"
            | "various"
            | "global"
            | "worldwide"
            | "everywhere"
            | "europe"
            | "asia"
            | "africa"
            | "north america"
            | "south america"
            | "oceania"
            | "emea"
            | "apac"
            | "internet"
            | "web"
    )
}

/// A postcode-like token: a number of 4+ digits (or ZIP+4, `150-0002`, `01310-100`,
/// `〒150-0002`), a UK or Canadian postcode half (`EC2A`, `4NE`, `V6B`, `1A1`).
fn is_postcode_token(tok: &str) -> bool {
    let t = tok
        .trim_start_matches('〒')
        .trim_matches(|c: char| c == ',' || c == '.');
    if t.is_empty() {
        return false;
    }
    let digits = t.chars().filter(char::is_ascii_digit).count();
    let all_num = t.chars().all(|c| c.is_ascii_digit() || c == '-');
    if all_num {
        return digits >= 4;
    }
    // Alphanumeric postcode halves: letters and digits mixed, short, upper case.
    let alnum = t
        .chars()
        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    alnum && digits > 0 && t.len() <= 4 && t.chars().any(|c| c.is_ascii_uppercase())
}

const STREET_WORDS: &[&str] = &[
    "str",
    "str.",
    "straße",
    "strasse",
    "street",
    "st",
    "st.",
    "avenue",
    "ave",
    "ave.",
    "road",
    "rd",
    "rd.",
    "blvd",
    "boulevard",
    "way",
    "lane",
    "ln",
    "drive",
    "dr",
    "platz",
    "gasse",
    "weg",
    "allee",
    "rue",
    "via",
    "calle",
    "avenida",
    "rua",
    "level",
    "floor",
    "suite",
    "unit",
    "building",
    "floor",
    "pkwy",
    "parkway",
    "plaza",
    "square",
    "sq",
    "chome",
    "丁目",
];

/// A segment that is a street address or a room, not a city.
fn is_street(seg: &str) -> bool {
    let toks: Vec<&str> = seg.split_whitespace().collect();
    // Swedish-style `111 22 Stockholm` is a postcode, not a house number.
    if toks.len() >= 2
        && toks[0].len() == 3
        && toks[1].len() == 2
        && toks[..2]
            .iter()
            .all(|t| t.chars().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    toks.iter().any(|t| {
        let lower = t.to_lowercase();
        let lower = lower.trim_end_matches(',');
        let house_number = t.chars().next().is_some_and(|c| c.is_ascii_digit())
            && !is_postcode_token(t)
            && t.chars().filter(char::is_ascii_digit).count() <= 3;
        house_number
            || STREET_WORDS.contains(&lower)
            || lower.ends_with("straße")
            || lower.ends_with("strasse")
            || lower.ends_with("str.")
            || lower.contains('#')
            || lower.contains("丁目")
    }) || seg.contains('丁')
}

/// A city out of a `postcode city` segment: postcodes and their letter suffixes removed
/// (`1015 DK Amsterdam`, `London EC2A 4NE`, `20121 Milano MI`), Japanese prefecture kept.
fn city_from_segment(seg: &str) -> Option<String> {
    let toks: Vec<&str> = seg.split_whitespace().collect();
    let mut kept: Vec<&str> = Vec::new();
    let mut after_postcode = false;
    for t in toks {
        if is_postcode_token(t) {
            after_postcode = true;
            continue;
        }
        // `1015 DK`: the Dutch postcode's letters.
        if after_postcode
            && kept.is_empty()
            && t.len() == 2
            && t.chars().all(|c| c.is_ascii_uppercase())
        {
            after_postcode = false;
            continue;
        }
        after_postcode = false;
        if t.chars().any(|c| c.is_ascii_digit()) && !t.chars().any(char::is_alphabetic) {
            continue;
        }
        kept.push(t);
    }
    // `Milano MI`: a trailing province code.
    if kept.len() > 1 {
        let last = kept[kept.len() - 1];
        if last.len() == 2 && last.chars().all(|c| c.is_ascii_uppercase()) {
            kept.pop();
        }
    }
    let city = kept.join(" ");
    let city = city.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    // Japanese: `東京都渋谷区…` → `東京`.
    let city = match city.find(['都', '道', '府', '県']) {
        Some(i) if i > 0 && !city.is_ascii() => &city[..i],
        _ => city,
    };
    (!city.is_empty()).then(|| city.to_string())
}

/// A state (and the city before it) in one segment: `CA 94025`, `Sydney NSW 2000`,
/// `BC V6B 1A1`, `TX`, `São Paulo - SP`. Returns (country, state, city words).
fn state_in_segment(
    seg: &str,
    country: Option<&str>,
) -> Option<(&'static str, String, Option<String>)> {
    let seg = seg.trim();
    // `São Paulo - SP`
    let (head, tail) = match seg.rsplit_once(" - ") {
        Some((h, t)) => (Some(h), t),
        None => (None, seg),
    };
    let toks: Vec<&str> = tail.split_whitespace().collect();
    // Position of the state: the last token that is not a postcode.
    let mut end = toks.len();
    while end > 0 && is_postcode_token(toks[end - 1]) {
        end -= 1;
    }
    if end == 0 {
        return None;
    }
    // Try the longest state name ending at `end` first (`New South Wales`), then the code.
    for start in 0..end {
        let cand = toks[start..end].join(" ");
        let hit: Option<(&'static str, String)> = match country {
            Some(cc @ ("US" | "CA" | "AU")) => {
                state_in(cc, &cand).map(|st| (cc_static(cc), st.to_string()))
            }
            Some(cc @ ("BR" | "MX")) if end - start == 1 && is_upper_code(&cand) => {
                Some((cc_static(cc), cand.clone()))
            }
            Some(_) => None,
            None => state_anywhere(&cand).map(|(cc, st)| (cc, st.to_string())),
        };
        if let Some((cc, st)) = hit {
            // Codes must be written in upper case to count ("Sydney NSW", not "in").
            let code_like = end - start == 1 && cand.len() <= 3;
            if code_like && !is_upper_code(&cand) {
                continue;
            }
            let before = toks[..start].join(" ");
            let city = match head {
                Some(h) => Some(h.trim().to_string()),
                None => (!before.is_empty()).then_some(before),
            };
            return Some((cc, st, city));
        }
    }
    None
}

fn is_upper_code(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.chars().all(|c| c.is_ascii_uppercase())
}

fn cc_static(cc: &str) -> &'static str {
    match cc {
        "US" => "US",
        "CA" => "CA",
        "AU" => "AU",
        "BR" => "BR",
        _ => "MX",
    }
}

/// A place from address segments (comma-separated parts, online words removed).
pub(super) fn place_from_segments(mut segs: Vec<String>) -> Option<Place> {
    segs.retain(|s| !is_placeholder(s));
    if segs.is_empty() {
        return None;
    }
    // Country: the last segment, else the first (Japanese order: `日本, 〒150-0002 東京都…`).
    let mut country = None;
    if let Some(cc) = country_code(&segs[segs.len() - 1]) {
        country = Some(cc);
        segs.pop();
    } else if segs.len() > 1
        && let Some(cc) = country_code(&segs[0])
    {
        country = Some(cc);
        segs.remove(0);
        segs.reverse();
    }
    // Trailing postcode-only segments (`…, São Paulo - SP, 01310-100, Brazil`).
    while segs.len() > 1
        && segs[segs.len() - 1]
            .split_whitespace()
            .all(is_postcode_token)
    {
        segs.pop();
    }
    let mut state = None;
    let mut city = None;
    if let Some(last) = segs.last()
        && let Some((cc, st, city_words)) = state_in_segment(last, country)
    {
        country = country.or(Some(cc));
        state = Some(st);
        segs.pop();
        city = city_words;
    }
    if city.is_none() {
        while let Some(seg) = segs.pop() {
            // Japanese addresses run prefecture → street in one segment: `東京都渋谷区渋谷２丁目`.
            let japanese = !seg.is_ascii() && seg.contains(['都', '道', '府', '県']);
            if is_street(&seg) && !japanese {
                break;
            }
            if let Some(c) = city_from_segment(&seg) {
                city = Some(c);
                break;
            }
        }
    }
    // A lone word with no country or state is not enough to call a place unless it is the
    // whole location ("Berlin").
    let city = city.filter(|c| !is_placeholder(c) && country_code(c).is_none());
    let place = Place::new(city.as_deref(), state.as_deref(), country);
    (!place.is_empty()).then_some(place)
}
