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

use crate::model::{Attendance, Place};
use std::str::FromStr;

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
            Some(host) => online |= is_video_host(&host),
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
            let st = state_in(cc, state)
                .map(str::to_string)
                .unwrap_or_else(|| state.to_ascii_uppercase());
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

/// An ISO 3166-1 alpha-2 code (upper case) for a country code or name in English or a common
/// native form. `UK` is `GB`.
pub fn country_code(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_matches(|c: char| c == '.' || c == '-');
    if name.chars().count() == 2 && name.chars().all(|c| c.is_ascii_alphabetic()) {
        let up = name.to_ascii_uppercase();
        if up == "UK" {
            return Some("GB");
        }
        return celes::Country::from_alpha2(&up).ok().map(|c| c.alpha2);
    }
    let key: String = name
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    let key = key
        .strip_prefix("the")
        .filter(|k| k.len() > 3)
        .unwrap_or(&key);
    if key.is_empty() || key.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if let Some((_, cc)) = NATIVE_COUNTRY_NAMES.iter().find(|(n, _)| *n == key) {
        return Some(cc);
    }
    // Three letters: only an upper-case alpha-3 code ("AUS", "DEU") or "usa"; a lower-case
    // three-letter word ("can", "per") is too likely to be something else.
    if key.chars().count() <= 3 {
        let upper = name.chars().all(|c| c.is_ascii_uppercase());
        if !(key == "usa" || (upper && key.len() == 3)) {
            return None;
        }
        return celes::Country::from_alpha3(key).ok().map(|c| c.alpha2);
    }
    celes::Country::from_str(key).ok().map(|c| c.alpha2)
}

/// Native and other common country names celes does not know (keys: lower case, letters and
/// digits only).
const NATIVE_COUNTRY_NAMES: &[(&str, &str)] = &[
    ("deutschland", "DE"),
    ("germania", "DE"),
    ("allemagne", "DE"),
    ("españa", "ES"),
    ("espana", "ES"),
    ("spanien", "ES"),
    ("italia", "IT"),
    ("italien", "IT"),
    ("schweiz", "CH"),
    ("suisse", "CH"),
    ("svizzera", "CH"),
    ("svizra", "CH"),
    ("österreich", "AT"),
    ("osterreich", "AT"),
    ("oesterreich", "AT"),
    ("nederland", "NL"),
    ("niederlande", "NL"),
    ("polska", "PL"),
    ("polen", "PL"),
    ("česko", "CZ"),
    ("cesko", "CZ"),
    ("českárepublika", "CZ"),
    ("czechrepublic", "CZ"),
    ("tschechien", "CZ"),
    ("slovensko", "SK"),
    ("sverige", "SE"),
    ("schweden", "SE"),
    ("norge", "NO"),
    ("noreg", "NO"),
    ("danmark", "DK"),
    ("dänemark", "DK"),
    ("suomi", "FI"),
    ("belgië", "BE"),
    ("belgie", "BE"),
    ("belgique", "BE"),
    ("belgien", "BE"),
    ("türkiye", "TR"),
    ("turkiye", "TR"),
    ("brasil", "BR"),
    ("méxico", "MX"),
    ("mexiko", "MX"),
    ("perú", "PE"),
    ("panamá", "PA"),
    ("日本", "JP"),
    ("nippon", "JP"),
    ("中国", "CN"),
    ("台灣", "TW"),
    ("台湾", "TW"),
    ("香港", "HK"),
    ("대한민국", "KR"),
    ("한국", "KR"),
    ("korea", "KR"),
    ("éire", "IE"),
    ("magyarország", "HU"),
    ("românia", "RO"),
    ("hrvatska", "HR"),
    ("slovenija", "SI"),
    ("srbija", "RS"),
    ("ελλάδα", "GR"),
    ("россия", "RU"),
    ("україна", "UA"),
    ("lietuva", "LT"),
    ("latvija", "LV"),
    ("eesti", "EE"),
    ("ísland", "IS"),
    ("england", "GB"),
    ("scotland", "GB"),
    ("wales", "GB"),
    ("cymru", "GB"),
    ("northernireland", "GB"),
    ("greatbritain", "GB"),
    ("unitedkingdom", "GB"),
    ("unitedstates", "US"),
    ("unitedstatesofamerica", "US"),
    ("usa", "US"),
    ("russia", "RU"),
    ("vietnam", "VN"),
    ("việtnam", "VN"),
    ("uae", "AE"),
    ("emirates", "AE"),
    ("ישראל", "IL"),
    ("भारत", "IN"),
    ("ประเทศไทย", "TH"),
];

/// US states, DC and territories.
const US_STATES: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("PR", "Puerto Rico"),
    ("VI", "U.S. Virgin Islands"),
    ("GU", "Guam"),
    ("AS", "American Samoa"),
    ("MP", "Northern Mariana Islands"),
];

/// Canadian provinces and territories (English and French names).
const CA_PROVINCES: &[(&str, &str)] = &[
    ("BC", "British Columbia"),
    ("BC", "Colombie-Britannique"),
    ("AB", "Alberta"),
    ("SK", "Saskatchewan"),
    ("MB", "Manitoba"),
    ("ON", "Ontario"),
    ("QC", "Quebec"),
    ("QC", "Québec"),
    ("NB", "New Brunswick"),
    ("NB", "Nouveau-Brunswick"),
    ("NS", "Nova Scotia"),
    ("NS", "Nouvelle-Écosse"),
    ("PE", "Prince Edward Island"),
    ("NL", "Newfoundland and Labrador"),
    ("YT", "Yukon"),
    ("NT", "Northwest Territories"),
    ("NU", "Nunavut"),
];

/// Australian states and territories (`QL` and `QLD.` are editors' variants).
const AU_STATES: &[(&str, &str)] = &[
    ("NSW", "New South Wales"),
    ("VIC", "Victoria"),
    ("QLD", "Queensland"),
    ("QLD", "QL"),
    ("SA", "South Australia"),
    ("WA", "Western Australia"),
    ("TAS", "Tasmania"),
    ("ACT", "Australian Capital Territory"),
    ("NT", "Northern Territory"),
];

/// The state or province code the newsletter prints for `text` (a code or a name, any case)
/// in `country` (US, CA or AU; `None` elsewhere): `Texas` → `TX`, `bc` → `BC`, `New South
/// Wales` → `NSW`.
pub fn state_code(country: &str, text: &str) -> Option<&'static str> {
    state_in(country, text)
}

/// The state code for `text` (code or name, any case) in the table of `country`.
fn state_in(country: &str, text: &str) -> Option<&'static str> {
    let table = match country {
        "US" => US_STATES,
        "CA" => CA_PROVINCES,
        "AU" => AU_STATES,
        _ => return None,
    };
    let text = text.trim().trim_end_matches('.');
    table
        .iter()
        .find(|(code, name)| code.eq_ignore_ascii_case(text) || name.eq_ignore_ascii_case(text))
        .map(|(code, _)| *code)
}

/// A state code or name of the US, then Canada, then Australia: (country, state).
/// Codes must be upper case here (`WA` is Washington before Western Australia).
fn state_anywhere(text: &str) -> Option<(&'static str, &'static str)> {
    let text = text.trim();
    if text.chars().count() <= 3 && text.chars().any(|c| c.is_ascii_lowercase()) {
        return None;
    }
    ["US", "CA", "AU"]
        .into_iter()
        .find_map(|cc| state_in(cc, text).map(|st| (cc, st)))
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

/// Hosts of video-call and streaming services.
fn is_video_host(host: &str) -> bool {
    const HOSTS: &[&str] = &[
        "meet.google.com",
        "hangouts.google.com",
        "zoom.us",
        "zoom.com",
        "teams.microsoft.com",
        "teams.live.com",
        "meet.jit.si",
        "jitsi.org",
        "discord.gg",
        "discord.com",
        "youtube.com",
        "youtu.be",
        "twitch.tv",
        "webex.com",
        "gotowebinar.com",
        "whereby.com",
        "gather.town",
        "crowdcast.io",
        "streamyard.com",
        "hopin.com",
        "vimeo.com",
        "bigbluebutton.org",
    ];
    HOSTS
        .iter()
        .any(|h| host == *h || host.ends_with(&format!(".{h}")))
}

/// Removes online markers from a segment: returns what is left and whether a marker was there.
fn strip_online_words(seg: &str) -> (String, bool) {
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
    let digits = t.chars().filter(|c| c.is_ascii_digit()).count();
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
            && t.chars().filter(|c| c.is_ascii_digit()).count() <= 3;
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
        if t.chars().any(|c| c.is_ascii_digit()) && !t.chars().any(|c| c.is_alphabetic()) {
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
fn place_from_segments(mut segs: Vec<String>) -> Option<Place> {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn loc(text: &str) -> (Option<String>, Option<String>, Option<String>, bool) {
        let p = parse_location(text);
        let place = p.place.unwrap_or_default();
        (place.city, place.state, place.country, p.online)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn google_maps_addresses() {
        assert_eq!(
            loc("Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany"),
            (s("Berlin"), None, s("DE"), false)
        );
        assert_eq!(
            loc("1 Hacker Way, Menlo Park, CA 94025, USA"),
            (s("Menlo Park"), s("CA"), s("US"), false)
        );
        assert_eq!(
            loc("Level 3, 123 Pitt St, Sydney NSW 2000, Australia"),
            (s("Sydney"), s("NSW"), s("AU"), false)
        );
        assert_eq!(
            loc("Prinsengracht 1, 1015 DK Amsterdam, Netherlands"),
            (s("Amsterdam"), None, s("NL"), false)
        );
        assert_eq!(
            loc("Google, 1-3 Strand, London EC2A 4NE, UK"),
            (s("London"), None, s("GB"), false)
        );
        assert_eq!(
            loc("Microsoft Vancouver, 725 Granville St #700, Vancouver, BC V7Y 1G5, Canada"),
            (s("Vancouver"), s("BC"), s("CA"), false)
        );
        assert_eq!(
            loc("Japan, 〒150-0002 Tokyo, Shibuya City, Shibuya, 2 Chome−21−1"),
            (s("Tokyo"), None, s("JP"), false)
        );
        assert_eq!(
            loc("日本、〒150-0002 東京都渋谷区渋谷２丁目２１−１"),
            (s("東京"), None, s("JP"), false)
        );
        assert_eq!(
            loc("Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brazil"),
            (s("São Paulo"), s("SP"), s("BR"), false)
        );
        assert_eq!(
            loc("Impact Hub Zürich, Sihlquai 131, 8005 Zürich, Schweiz"),
            (s("Zürich"), None, s("CH"), false)
        );
        assert_eq!(
            loc("Via Tortona, 27, 20144 Milano MI, Italia"),
            (s("Milano"), None, s("IT"), false)
        );
        assert_eq!(
            loc("Knowit, Klarabergsgatan 60, 111 21 Stockholm, Sverige"),
            (s("Stockholm"), None, s("SE"), false)
        );
        assert_eq!(
            loc("Capital Factory, 701 Brazos St, Austin, TX 78701, United States"),
            (s("Austin"), s("TX"), s("US"), false)
        );
    }

    #[test]
    fn short_forms_and_inference() {
        assert_eq!(
            loc("Berlin, Deutschland"),
            (s("Berlin"), None, s("DE"), false)
        );
        assert_eq!(loc("Dallas, TX"), (s("Dallas"), s("TX"), s("US"), false));
        assert_eq!(
            loc("Vancouver, BC"),
            (s("Vancouver"), s("BC"), s("CA"), false)
        );
        assert_eq!(
            loc("Canberra, Australian Capital Territory"),
            (s("Canberra"), s("ACT"), s("AU"), false)
        );
        assert_eq!(
            loc("Seattle, Washington"),
            (s("Seattle"), s("WA"), s("US"), false)
        );
        assert_eq!(
            loc("Edinburgh, Scotland"),
            (s("Edinburgh"), None, s("GB"), false)
        );
        assert_eq!(loc("Cardiff, Wales"), (s("Cardiff"), None, s("GB"), false));
        assert_eq!(loc("Kraków, Polska"), (s("Kraków"), None, s("PL"), false));
        assert_eq!(
            loc("İstanbul, Türkiye"),
            (s("İstanbul"), None, s("TR"), false)
        );
        assert_eq!(loc("Brno, Česko"), (s("Brno"), None, s("CZ"), false));
        assert_eq!(
            loc("Dallas, TX, US"),
            (s("Dallas"), s("TX"), s("US"), false)
        );
    }

    #[test]
    fn online_markers_and_urls() {
        assert_eq!(loc("Online"), (None, None, None, true));
        assert_eq!(loc("Virtual"), (None, None, None, true));
        assert_eq!(loc("Zoom"), (None, None, None, true));
        assert_eq!(loc("Discord"), (None, None, None, true));
        assert_eq!(loc("Remote"), (None, None, None, true));
        assert_eq!(loc(""), (None, None, None, false));
        assert_eq!(
            loc("https://meet.google.com/abc-defg-hij"),
            (None, None, None, true)
        );
        assert_eq!(
            loc("https://us02web.zoom.us/j/123456789"),
            (None, None, None, true)
        );
        assert_eq!(
            loc("https://www.youtube.com/@rustberlin"),
            (None, None, None, true)
        );
        assert_eq!(
            loc("https://www.meetup.com/rust-berlin/events/298457951/"),
            (None, None, None, false)
        );
        assert_eq!(loc("https://lu.ma/rust-nyc"), (None, None, None, false));
        assert_eq!(
            loc("Online + Berlin, Germany"),
            (s("Berlin"), None, s("DE"), true)
        );
        assert_eq!(
            loc("Hybrid: Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany"),
            (s("Berlin"), None, s("DE"), true)
        );
        assert_eq!(
            loc("Virtual (Cardiff, UK)"),
            (s("Cardiff"), None, s("GB"), true)
        );
        assert_eq!(loc("TBD"), (None, None, None, false));
    }

    #[test]
    fn newsletter_places() {
        let p = |t: &str| parse_newsletter_place(t).map(|p| p.to_string());
        assert_eq!(p("Dallas, TX, US").as_deref(), Some("Dallas, TX, US"));
        assert_eq!(p("Berlin, DE").as_deref(), Some("Berlin, DE"));
        assert_eq!(p("Cardiff, UK").as_deref(), Some("Cardiff, UK"));
        assert_eq!(p("London, GB").as_deref(), Some("London, UK"));
        assert_eq!(p("New York, NY US").as_deref(), Some("New York, NY, US"));
        assert_eq!(
            p("Minneapolis,  MN,   US").as_deref(),
            Some("Minneapolis, MN, US")
        );
        assert_eq!(p("Miami, FL").as_deref(), Some("Miami, FL, US"));
        assert_eq!(p("Tel Aviv-Yafo, IL").as_deref(), Some("Tel Aviv-Yafo, IL"));
        assert_eq!(p("Tel Aviv, Israel").as_deref(), Some("Tel Aviv, IL"));
        assert_eq!(
            p("Brisbane City, QL, AU").as_deref(),
            Some("Brisbane City, QLD, AU")
        );
        assert_eq!(p("Melbourne, AUS").as_deref(), Some("Melbourne, AU"));
        assert_eq!(p("Switzerland, CH").as_deref(), Some("CH"));
        assert_eq!(p("Israel").as_deref(), Some("IL"));
        assert_eq!(
            p("Bangalore, IN, [Rust India](https://rustindia.org/)").as_deref(),
            Some("Bangalore, IN")
        );
        assert_eq!(p("Various"), None);
        assert_eq!(p("PDT Timezone"), None);
    }

    #[test]
    fn newsletter_location_fields() {
        let f = parse_newsletter_location("Virtual (Redmond, WA, US; New York, NY, US)");
        assert_eq!(f.attendance, Attendance::Virtual);
        assert_eq!(f.places.len(), 2);
        let f = parse_newsletter_location("Hybrid (Virtual + In-person) Munich, DE");
        assert_eq!(f.attendance, Attendance::Hybrid);
        assert_eq!(f.places[0].to_string(), "Munich, DE");
        let f = parse_newsletter_location("Munich, DE + Virtual");
        assert_eq!(f.attendance, Attendance::Hybrid);
        let f = parse_newsletter_location("Praha, CZ - Virtual + In-person");
        assert_eq!(f.attendance, Attendance::Hybrid);
        assert_eq!(f.places[0].to_string(), "Praha, CZ");
        let f = parse_newsletter_location("Subang Jaya / Kuala Lumpur, Selangor, MY");
        assert_eq!(f.attendance, Attendance::InPerson);
        assert_eq!(f.places.len(), 1);
        let f = parse_newsletter_location("Virtual");
        assert!(f.places.is_empty() && f.unparsed.is_empty());
    }
}
