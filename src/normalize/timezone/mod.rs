//! A place's IANA time zone, for turning a UTC instant into a local date.
//!
//! The tables are written by hand (the single-zone list is derived from the IANA `zone.tab`):
//! chrono-tz carries no country → zone table, and the crates that map a position to a zone
//! (`tzf-rs`) need coordinates, which a calendar LOCATION or a newsletter place does not have.
//! Rules, in order:
//!
//! 1. a small city table, only for cities whose zone their state does not give (El Paso TX,
//!    the Florida panhandle, eastern Tennessee, north-west Indiana…) and for big US/CA/AU
//!    cities written without a state;
//! 2. by state or province for countries spanning zones (US with DC and territories, CA, AU,
//!    BR, MX);
//! 3. by country: the one zone of single-zone countries, and for multi-zone countries whose
//!    population lives overwhelmingly in one zone (BR, MX, RU, ID, AR, CN, ES, PT, CL, …) that
//!    zone. US, CA and AU without a state or a known city give `None`: guessing there would
//!    shift evening events by a day.

use crate::model::Place;
use chrono_tz::Tz;

/// The IANA zone of a place: by country, by state or province where a country spans zones,
/// and by city only where that is not enough. `None` when the place does not tell.
pub fn zone_for_place(place: &Place) -> Option<Tz> {
    let country = place
        .country
        .as_deref()
        .map(|c| c.trim().to_ascii_uppercase())
        .map(|c| if c == "UK" { "GB".to_string() } else { c });
    let state = place
        .state
        .as_deref()
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty());
    let city = place
        .city
        .as_deref()
        .map(city_key)
        .filter(|c| !c.is_empty());
    let country = country.as_deref();

    if let Some(city) = &city {
        let hit = CITY_ZONES.iter().find(|(c, st, cc, _)| {
            c == city
                && country.is_none_or(|x| x == *cc)
                && if st.is_empty() {
                    // Only when the state does not tell (missing, or not a state: `SF`).
                    state.as_deref().is_none_or(|s| {
                        !US_STATE_ZONES
                            .iter()
                            .chain(CA_PROVINCE_ZONES)
                            .chain(AU_STATE_ZONES)
                            .any(|(c, _)| *c == s)
                    })
                } else {
                    state.as_deref().is_none_or(|s| s == *st)
                }
        });
        if let Some((_, _, _, z)) = hit {
            return zone(z);
        }
    }
    let by_state = |table: &[(&str, &str)]| {
        state
            .as_deref()
            .and_then(|s| table.iter().find(|(code, _)| *code == s))
            .and_then(|(_, z)| zone(z))
    };
    match country {
        Some("US") => by_state(US_STATE_ZONES),
        Some("CA") => by_state(CA_PROVINCE_ZONES),
        Some("AU") => by_state(AU_STATE_ZONES),
        Some("BR") => by_state(BR_STATE_ZONES).or_else(|| zone("America/Sao_Paulo")),
        Some("MX") => by_state(MX_STATE_ZONES).or_else(|| zone("America/Mexico_City")),
        Some(cc) => country_zone(cc),
        // No country: a US state, a Canadian province or an Australian state still tells.
        None => by_state(US_STATE_ZONES)
            .or_else(|| by_state(CA_PROVINCE_ZONES))
            .or_else(|| by_state(AU_STATE_ZONES)),
    }
}

/// The zone of a country as a whole: its only zone, or the zone nearly all of its people live
/// in. `None` for US, CA, AU (state needed) and unknown codes.
pub fn country_zone(country: &str) -> Option<Tz> {
    let cc = country.trim().to_ascii_uppercase();
    let cc = if cc == "UK" { "GB".to_string() } else { cc };
    SINGLE_ZONE_COUNTRIES
        .iter()
        .chain(DOMINANT_ZONES)
        .find(|(c, _)| *c == cc)
        .and_then(|(_, z)| zone(z))
}

fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Lower-case city name without accents' common ASCII variants mattering (`St.` → `saint`).
fn city_key(city: &str) -> String {
    let lower = city.trim().to_lowercase();
    let lower = lower
        .strip_prefix("st. ")
        .map_or(lower.clone(), |r| format!("saint {r}"));
    lower.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Cities whose state does not give their zone, or that are often written without a state:
/// (city key, state code or "" for any, country).
const CITY_ZONES: &[(&str, &str, &str, &str)] = &[
    // US states split between zones.
    ("el paso", "TX", "US", "America/Denver"),
    ("pensacola", "FL", "US", "America/Chicago"),
    ("panama city", "FL", "US", "America/Chicago"),
    ("knoxville", "TN", "US", "America/New_York"),
    ("chattanooga", "TN", "US", "America/New_York"),
    ("gary", "IN", "US", "America/Chicago"),
    ("evansville", "IN", "US", "America/Chicago"),
    ("boise", "ID", "US", "America/Boise"),
    ("coeur d'alene", "ID", "US", "America/Los_Angeles"),
    ("louisville", "KY", "US", "America/Kentucky/Louisville"),
    ("bowling green", "KY", "US", "America/Chicago"),
    ("rapid city", "SD", "US", "America/Denver"),
    ("ontario", "OR", "US", "America/Boise"),
    ("iron mountain", "MI", "US", "America/Menominee"),
    ("broken hill", "NSW", "AU", "Australia/Broken_Hill"),
    ("lloydminster", "SK", "CA", "America/Edmonton"),
    // Big cities, often written without a state.
    ("new york", "", "US", "America/New_York"),
    ("new york city", "", "US", "America/New_York"),
    ("brooklyn", "", "US", "America/New_York"),
    ("boston", "", "US", "America/New_York"),
    ("washington", "", "US", "America/New_York"),
    ("atlanta", "", "US", "America/New_York"),
    ("miami", "", "US", "America/New_York"),
    ("chicago", "", "US", "America/Chicago"),
    ("dallas", "", "US", "America/Chicago"),
    ("austin", "", "US", "America/Chicago"),
    ("houston", "", "US", "America/Chicago"),
    ("minneapolis", "", "US", "America/Chicago"),
    ("denver", "", "US", "America/Denver"),
    ("boulder", "", "US", "America/Denver"),
    ("salt lake city", "", "US", "America/Denver"),
    ("phoenix", "", "US", "America/Phoenix"),
    ("seattle", "", "US", "America/Los_Angeles"),
    ("san francisco", "", "US", "America/Los_Angeles"),
    ("los angeles", "", "US", "America/Los_Angeles"),
    ("san diego", "", "US", "America/Los_Angeles"),
    ("mountain view", "", "US", "America/Los_Angeles"),
    ("toronto", "", "CA", "America/Toronto"),
    ("montreal", "", "CA", "America/Toronto"),
    ("montréal", "", "CA", "America/Toronto"),
    ("ottawa", "", "CA", "America/Toronto"),
    ("vancouver", "", "CA", "America/Vancouver"),
    ("calgary", "", "CA", "America/Edmonton"),
    ("edmonton", "", "CA", "America/Edmonton"),
    ("sydney", "", "AU", "Australia/Sydney"),
    ("melbourne", "", "AU", "Australia/Melbourne"),
    ("canberra", "", "AU", "Australia/Sydney"),
    ("brisbane", "", "AU", "Australia/Brisbane"),
    ("brisbane city", "", "AU", "Australia/Brisbane"),
    ("perth", "", "AU", "Australia/Perth"),
    ("adelaide", "", "AU", "Australia/Adelaide"),
    ("hobart", "", "AU", "Australia/Hobart"),
    ("darwin", "", "AU", "Australia/Darwin"),
    // Countries with several zones and no state in the place.
    ("novosibirsk", "", "RU", "Asia/Novosibirsk"),
    ("yekaterinburg", "", "RU", "Asia/Yekaterinburg"),
    ("kaliningrad", "", "RU", "Europe/Kaliningrad"),
    ("vladivostok", "", "RU", "Asia/Vladivostok"),
    ("denpasar", "", "ID", "Asia/Makassar"),
    ("bali", "", "ID", "Asia/Makassar"),
    ("makassar", "", "ID", "Asia/Makassar"),
    ("las palmas de gran canaria", "", "ES", "Atlantic/Canary"),
    ("santa cruz de tenerife", "", "ES", "Atlantic/Canary"),
];

/// US states, DC and inhabited territories: the zone of most of the state's people.
const US_STATE_ZONES: &[(&str, &str)] = &[
    ("AL", "America/Chicago"),
    ("AK", "America/Anchorage"),
    ("AZ", "America/Phoenix"),
    ("AR", "America/Chicago"),
    ("CA", "America/Los_Angeles"),
    ("CO", "America/Denver"),
    ("CT", "America/New_York"),
    ("DE", "America/New_York"),
    ("DC", "America/New_York"),
    ("FL", "America/New_York"),
    ("GA", "America/New_York"),
    ("HI", "Pacific/Honolulu"),
    ("ID", "America/Boise"),
    ("IL", "America/Chicago"),
    ("IN", "America/Indiana/Indianapolis"),
    ("IA", "America/Chicago"),
    ("KS", "America/Chicago"),
    ("KY", "America/New_York"),
    ("LA", "America/Chicago"),
    ("ME", "America/New_York"),
    ("MD", "America/New_York"),
    ("MA", "America/New_York"),
    ("MI", "America/Detroit"),
    ("MN", "America/Chicago"),
    ("MS", "America/Chicago"),
    ("MO", "America/Chicago"),
    ("MT", "America/Denver"),
    ("NE", "America/Chicago"),
    ("NV", "America/Los_Angeles"),
    ("NH", "America/New_York"),
    ("NJ", "America/New_York"),
    ("NM", "America/Denver"),
    ("NY", "America/New_York"),
    ("NC", "America/New_York"),
    ("ND", "America/Chicago"),
    ("OH", "America/New_York"),
    ("OK", "America/Chicago"),
    ("OR", "America/Los_Angeles"),
    ("PA", "America/New_York"),
    ("RI", "America/New_York"),
    ("SC", "America/New_York"),
    ("SD", "America/Chicago"),
    ("TN", "America/Chicago"),
    ("TX", "America/Chicago"),
    ("UT", "America/Denver"),
    ("VT", "America/New_York"),
    ("VA", "America/New_York"),
    ("WA", "America/Los_Angeles"),
    ("WV", "America/New_York"),
    ("WI", "America/Chicago"),
    ("WY", "America/Denver"),
    ("PR", "America/Puerto_Rico"),
    ("VI", "America/St_Thomas"),
    ("GU", "Pacific/Guam"),
    ("AS", "Pacific/Pago_Pago"),
    ("MP", "Pacific/Saipan"),
];

const CA_PROVINCE_ZONES: &[(&str, &str)] = &[
    ("BC", "America/Vancouver"),
    ("AB", "America/Edmonton"),
    ("SK", "America/Regina"),
    ("MB", "America/Winnipeg"),
    ("ON", "America/Toronto"),
    ("QC", "America/Toronto"),
    ("NB", "America/Moncton"),
    ("NS", "America/Halifax"),
    ("PE", "America/Halifax"),
    ("NL", "America/St_Johns"),
    ("YT", "America/Whitehorse"),
    ("NT", "America/Yellowknife"),
    ("NU", "America/Iqaluit"),
];

const AU_STATE_ZONES: &[(&str, &str)] = &[
    ("NSW", "Australia/Sydney"),
    ("ACT", "Australia/Sydney"),
    ("VIC", "Australia/Melbourne"),
    ("QLD", "Australia/Brisbane"),
    ("SA", "Australia/Adelaide"),
    ("WA", "Australia/Perth"),
    ("TAS", "Australia/Hobart"),
    ("NT", "Australia/Darwin"),
];

/// Brazilian states (two-letter UF codes) outside Brasília time.
const BR_STATE_ZONES: &[(&str, &str)] = &[
    ("AC", "America/Rio_Branco"),
    ("AM", "America/Manaus"),
    ("RR", "America/Boa_Vista"),
    ("RO", "America/Porto_Velho"),
    ("MT", "America/Cuiaba"),
    ("MS", "America/Campo_Grande"),
    ("PA", "America/Belem"),
    ("AP", "America/Belem"),
    ("TO", "America/Araguaina"),
    ("MA", "America/Fortaleza"),
    ("PI", "America/Fortaleza"),
    ("CE", "America/Fortaleza"),
    ("RN", "America/Fortaleza"),
    ("PB", "America/Fortaleza"),
    ("PE", "America/Recife"),
    ("AL", "America/Maceio"),
    ("SE", "America/Maceio"),
    ("BA", "America/Bahia"),
];

/// Mexican states (common abbreviations) outside central time.
const MX_STATE_ZONES: &[(&str, &str)] = &[
    ("BC", "America/Tijuana"),
    ("BCN", "America/Tijuana"),
    ("BCS", "America/Mazatlan"),
    ("SON", "America/Hermosillo"),
    ("SIN", "America/Mazatlan"),
    ("NAY", "America/Mazatlan"),
    ("CHH", "America/Chihuahua"),
    ("CHIH", "America/Chihuahua"),
    ("ROO", "America/Cancun"),
    ("QR", "America/Cancun"),
    ("Q. ROO", "America/Cancun"),
];

/// Multi-zone countries where nearly everyone lives in one zone (or all zones now share an
/// offset): that zone.
const DOMINANT_ZONES: &[(&str, &str)] = &[
    ("AR", "America/Argentina/Buenos_Aires"),
    ("BR", "America/Sao_Paulo"),
    ("CD", "Africa/Kinshasa"),
    ("CL", "America/Santiago"),
    ("CN", "Asia/Shanghai"),
    ("CY", "Asia/Nicosia"),
    ("DE", "Europe/Berlin"),
    ("EC", "America/Guayaquil"),
    ("ES", "Europe/Madrid"),
    ("GL", "America/Nuuk"),
    ("ID", "Asia/Jakarta"),
    ("KZ", "Asia/Almaty"),
    ("MN", "Asia/Ulaanbaatar"),
    ("MX", "America/Mexico_City"),
    ("MY", "Asia/Kuala_Lumpur"),
    ("NZ", "Pacific/Auckland"),
    ("PS", "Asia/Hebron"),
    ("PT", "Europe/Lisbon"),
    ("RU", "Europe/Moscow"),
    ("UA", "Europe/Kyiv"),
    ("UZ", "Asia/Tashkent"),
];

/// Countries with a single zone in the IANA `zone.tab`.
const SINGLE_ZONE_COUNTRIES: &[(&str, &str)] = &[
    ("AD", "Europe/Andorra"),
    ("AE", "Asia/Dubai"),
    ("AF", "Asia/Kabul"),
    ("AG", "America/Antigua"),
    ("AI", "America/Anguilla"),
    ("AL", "Europe/Tirane"),
    ("AM", "Asia/Yerevan"),
    ("AO", "Africa/Luanda"),
    ("AS", "Pacific/Pago_Pago"),
    ("AT", "Europe/Vienna"),
    ("AW", "America/Aruba"),
    ("AX", "Europe/Mariehamn"),
    ("AZ", "Asia/Baku"),
    ("BA", "Europe/Sarajevo"),
    ("BB", "America/Barbados"),
    ("BD", "Asia/Dhaka"),
    ("BE", "Europe/Brussels"),
    ("BF", "Africa/Ouagadougou"),
    ("BG", "Europe/Sofia"),
    ("BH", "Asia/Bahrain"),
    ("BI", "Africa/Bujumbura"),
    ("BJ", "Africa/Porto-Novo"),
    ("BL", "America/St_Barthelemy"),
    ("BM", "Atlantic/Bermuda"),
    ("BN", "Asia/Brunei"),
    ("BO", "America/La_Paz"),
    ("BQ", "America/Kralendijk"),
    ("BS", "America/Nassau"),
    ("BT", "Asia/Thimphu"),
    ("BW", "Africa/Gaborone"),
    ("BY", "Europe/Minsk"),
    ("BZ", "America/Belize"),
    ("CC", "Indian/Cocos"),
    ("CF", "Africa/Bangui"),
    ("CG", "Africa/Brazzaville"),
    ("CH", "Europe/Zurich"),
    ("CI", "Africa/Abidjan"),
    ("CK", "Pacific/Rarotonga"),
    ("CM", "Africa/Douala"),
    ("CO", "America/Bogota"),
    ("CR", "America/Costa_Rica"),
    ("CU", "America/Havana"),
    ("CV", "Atlantic/Cape_Verde"),
    ("CW", "America/Curacao"),
    ("CX", "Indian/Christmas"),
    ("CZ", "Europe/Prague"),
    ("DJ", "Africa/Djibouti"),
    ("DK", "Europe/Copenhagen"),
    ("DM", "America/Dominica"),
    ("DO", "America/Santo_Domingo"),
    ("DZ", "Africa/Algiers"),
    ("EE", "Europe/Tallinn"),
    ("EG", "Africa/Cairo"),
    ("EH", "Africa/El_Aaiun"),
    ("ER", "Africa/Asmara"),
    ("ET", "Africa/Addis_Ababa"),
    ("FI", "Europe/Helsinki"),
    ("FJ", "Pacific/Fiji"),
    ("FK", "Atlantic/Stanley"),
    ("FO", "Atlantic/Faroe"),
    ("FR", "Europe/Paris"),
    ("GA", "Africa/Libreville"),
    ("GB", "Europe/London"),
    ("GD", "America/Grenada"),
    ("GE", "Asia/Tbilisi"),
    ("GF", "America/Cayenne"),
    ("GG", "Europe/Guernsey"),
    ("GH", "Africa/Accra"),
    ("GI", "Europe/Gibraltar"),
    ("GM", "Africa/Banjul"),
    ("GN", "Africa/Conakry"),
    ("GP", "America/Guadeloupe"),
    ("GQ", "Africa/Malabo"),
    ("GR", "Europe/Athens"),
    ("GS", "Atlantic/South_Georgia"),
    ("GT", "America/Guatemala"),
    ("GU", "Pacific/Guam"),
    ("GW", "Africa/Bissau"),
    ("GY", "America/Guyana"),
    ("HK", "Asia/Hong_Kong"),
    ("HN", "America/Tegucigalpa"),
    ("HR", "Europe/Zagreb"),
    ("HT", "America/Port-au-Prince"),
    ("HU", "Europe/Budapest"),
    ("IE", "Europe/Dublin"),
    ("IL", "Asia/Jerusalem"),
    ("IM", "Europe/Isle_of_Man"),
    ("IN", "Asia/Kolkata"),
    ("IO", "Indian/Chagos"),
    ("IQ", "Asia/Baghdad"),
    ("IR", "Asia/Tehran"),
    ("IS", "Atlantic/Reykjavik"),
    ("IT", "Europe/Rome"),
    ("JE", "Europe/Jersey"),
    ("JM", "America/Jamaica"),
    ("JO", "Asia/Amman"),
    ("JP", "Asia/Tokyo"),
    ("KE", "Africa/Nairobi"),
    ("KG", "Asia/Bishkek"),
    ("KH", "Asia/Phnom_Penh"),
    ("KM", "Indian/Comoro"),
    ("KN", "America/St_Kitts"),
    ("KP", "Asia/Pyongyang"),
    ("KR", "Asia/Seoul"),
    ("KW", "Asia/Kuwait"),
    ("KY", "America/Cayman"),
    ("LA", "Asia/Vientiane"),
    ("LB", "Asia/Beirut"),
    ("LC", "America/St_Lucia"),
    ("LI", "Europe/Vaduz"),
    ("LK", "Asia/Colombo"),
    ("LR", "Africa/Monrovia"),
    ("LS", "Africa/Maseru"),
    ("LT", "Europe/Vilnius"),
    ("LU", "Europe/Luxembourg"),
    ("LV", "Europe/Riga"),
    ("LY", "Africa/Tripoli"),
    ("MA", "Africa/Casablanca"),
    ("MC", "Europe/Monaco"),
    ("MD", "Europe/Chisinau"),
    ("ME", "Europe/Podgorica"),
    ("MF", "America/Marigot"),
    ("MG", "Indian/Antananarivo"),
    ("MK", "Europe/Skopje"),
    ("ML", "Africa/Bamako"),
    ("MM", "Asia/Yangon"),
    ("MO", "Asia/Macau"),
    ("MP", "Pacific/Saipan"),
    ("MQ", "America/Martinique"),
    ("MR", "Africa/Nouakchott"),
    ("MS", "America/Montserrat"),
    ("MT", "Europe/Malta"),
    ("MU", "Indian/Mauritius"),
    ("MV", "Indian/Maldives"),
    ("MW", "Africa/Blantyre"),
    ("MZ", "Africa/Maputo"),
    ("NA", "Africa/Windhoek"),
    ("NC", "Pacific/Noumea"),
    ("NE", "Africa/Niamey"),
    ("NF", "Pacific/Norfolk"),
    ("NG", "Africa/Lagos"),
    ("NI", "America/Managua"),
    ("NL", "Europe/Amsterdam"),
    ("NO", "Europe/Oslo"),
    ("NP", "Asia/Kathmandu"),
    ("NR", "Pacific/Nauru"),
    ("NU", "Pacific/Niue"),
    ("OM", "Asia/Muscat"),
    ("PA", "America/Panama"),
    ("PE", "America/Lima"),
    ("PH", "Asia/Manila"),
    ("PK", "Asia/Karachi"),
    ("PL", "Europe/Warsaw"),
    ("PM", "America/Miquelon"),
    ("PN", "Pacific/Pitcairn"),
    ("PR", "America/Puerto_Rico"),
    ("PW", "Pacific/Palau"),
    ("PY", "America/Asuncion"),
    ("QA", "Asia/Qatar"),
    ("RE", "Indian/Reunion"),
    ("RO", "Europe/Bucharest"),
    ("RS", "Europe/Belgrade"),
    ("RW", "Africa/Kigali"),
    ("SA", "Asia/Riyadh"),
    ("SB", "Pacific/Guadalcanal"),
    ("SC", "Indian/Mahe"),
    ("SD", "Africa/Khartoum"),
    ("SE", "Europe/Stockholm"),
    ("SG", "Asia/Singapore"),
    ("SH", "Atlantic/St_Helena"),
    ("SI", "Europe/Ljubljana"),
    ("SJ", "Arctic/Longyearbyen"),
    ("SK", "Europe/Bratislava"),
    ("SL", "Africa/Freetown"),
    ("SM", "Europe/San_Marino"),
    ("SN", "Africa/Dakar"),
    ("SO", "Africa/Mogadishu"),
    ("SR", "America/Paramaribo"),
    ("SS", "Africa/Juba"),
    ("ST", "Africa/Sao_Tome"),
    ("SV", "America/El_Salvador"),
    ("SX", "America/Lower_Princes"),
    ("SY", "Asia/Damascus"),
    ("SZ", "Africa/Mbabane"),
    ("TC", "America/Grand_Turk"),
    ("TD", "Africa/Ndjamena"),
    ("TF", "Indian/Kerguelen"),
    ("TG", "Africa/Lome"),
    ("TH", "Asia/Bangkok"),
    ("TJ", "Asia/Dushanbe"),
    ("TK", "Pacific/Fakaofo"),
    ("TL", "Asia/Dili"),
    ("TM", "Asia/Ashgabat"),
    ("TN", "Africa/Tunis"),
    ("TO", "Pacific/Tongatapu"),
    ("TR", "Europe/Istanbul"),
    ("TT", "America/Port_of_Spain"),
    ("TV", "Pacific/Funafuti"),
    ("TW", "Asia/Taipei"),
    ("TZ", "Africa/Dar_es_Salaam"),
    ("UG", "Africa/Kampala"),
    ("UY", "America/Montevideo"),
    ("VA", "Europe/Vatican"),
    ("VC", "America/St_Vincent"),
    ("VE", "America/Caracas"),
    ("VG", "America/Tortola"),
    ("VI", "America/St_Thomas"),
    ("VN", "Asia/Ho_Chi_Minh"),
    ("VU", "Pacific/Efate"),
    ("WF", "Pacific/Wallis"),
    ("WS", "Pacific/Apia"),
    ("YE", "Asia/Aden"),
    ("YT", "Indian/Mayotte"),
    ("ZA", "Africa/Johannesburg"),
    ("ZM", "Africa/Lusaka"),
    ("ZW", "Africa/Harare"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Utc};

    fn p(city: Option<&str>, state: Option<&str>, country: Option<&str>) -> Place {
        Place::new(city, state, country)
    }

    #[test]
    fn every_table_entry_is_a_known_zone() {
        let tables: [&[(&str, &str)]; 7] = [
            US_STATE_ZONES,
            CA_PROVINCE_ZONES,
            AU_STATE_ZONES,
            BR_STATE_ZONES,
            MX_STATE_ZONES,
            DOMINANT_ZONES,
            SINGLE_ZONE_COUNTRIES,
        ];
        for (key, name) in tables.iter().flat_map(|t| t.iter()) {
            assert!(zone(name).is_some(), "{key}: unknown zone {name}");
        }
        for (city, _, _, name) in CITY_ZONES {
            assert!(zone(name).is_some(), "{city}: unknown zone {name}");
        }
    }

    #[test]
    fn dallas_evening_meetup_is_on_the_previous_local_day() {
        let tz = zone_for_place(&p(Some("Dallas"), Some("TX"), Some("US"))).unwrap();
        assert_eq!(tz, Tz::America__Chicago);
        let utc: DateTime<Utc> = "2023-02-01T01:00:00Z".parse().unwrap();
        assert_eq!(
            utc.with_timezone(&tz).date_naive().to_string(),
            "2023-01-31"
        );
    }

    #[test]
    fn by_state_city_and_country() {
        let z = |c, s, cc| zone_for_place(&p(c, s, cc));
        assert_eq!(
            z(Some("El Paso"), Some("TX"), Some("US")),
            Some(Tz::America__Denver)
        );
        assert_eq!(
            z(Some("Austin"), Some("TX"), Some("US")),
            Some(Tz::America__Chicago)
        );
        assert_eq!(
            z(None, Some("BC"), Some("CA")),
            Some(Tz::America__Vancouver)
        );
        assert_eq!(
            z(None, Some("ACT"), Some("AU")),
            Some(Tz::Australia__Sydney)
        );
        assert_eq!(
            z(Some("Perth"), Some("WA"), Some("AU")),
            Some(Tz::Australia__Perth)
        );
        assert_eq!(
            z(Some("Seattle"), Some("WA"), Some("US")),
            Some(Tz::America__Los_Angeles)
        );
        assert_eq!(
            z(Some("Miami"), Some("FL"), None),
            Some(Tz::America__New_York)
        );
        assert_eq!(
            z(Some("Berlin"), None, Some("DE")),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(
            z(Some("Cardiff"), None, Some("GB")),
            Some(Tz::Europe__London)
        );
        assert_eq!(z(Some("Tokyo"), None, Some("JP")), Some(Tz::Asia__Tokyo));
        assert_eq!(z(None, None, Some("MX")), Some(Tz::America__Mexico_City));
        assert_eq!(
            z(Some("Denpasar"), None, Some("ID")),
            Some(Tz::Asia__Makassar)
        );
        assert_eq!(
            z(Some("Chicago"), None, Some("US")),
            Some(Tz::America__Chicago)
        );
        // Not enough to tell.
        assert_eq!(z(Some("Springfield"), None, Some("US")), None);
        assert_eq!(z(None, None, Some("AU")), None);
        assert_eq!(z(None, None, None), None);
    }
}
