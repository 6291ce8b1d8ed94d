//! Country names and codes (ISO 3166-1, through `celes`, and the native names people type),
//! and the US/CA/AU subdivision tables the newsletter prints codes from.

use std::str::FromStr;

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

// The subdivision tables are kept by hand rather than taken from an ISO 3166-2 crate:
// `rust_iso3166` (0.2, the one that has subdivisions) compiles in every country's ~5,000
// subdivisions to serve these three tables of ~80 rows, and lacks what the newsletter reads
// here (the French province names people write, the editors' `QL` for Queensland); `celes`
// (used above for countries) has no subdivisions.

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
pub(super) fn state_in(country: &str, text: &str) -> Option<&'static str> {
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
pub(super) fn state_anywhere(text: &str) -> Option<(&'static str, &'static str)> {
    let text = text.trim();
    if text.chars().count() <= 3 && text.chars().any(|c| c.is_ascii_lowercase()) {
        return None;
    }
    ["US", "CA", "AU"]
        .into_iter()
        .find_map(|cc| state_in(cc, text).map(|st| (cc, st)))
}
