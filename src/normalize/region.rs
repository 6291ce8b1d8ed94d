//! Country code to newsletter section, following the editors' usage in the corpus.
//!
//! The table is written by hand: no crate groups countries the way the newsletter does (the
//! UN geoscheme puts Türkiye, Cyprus and the Caucasus in Western Asia, Mexico and the Caribbean
//! in "Latin America"). It started from each country's main zone in the IANA `zone.tab`
//! (`Europe/…`, `Asia/…`, `America/…`) and was then aligned with what the editors do in the
//! published issues (2021-09 … 2026-08):
//!
//! - seen in the corpus: TR and RU under Europe, IL under Asia, MX under North America,
//!   AR BR CO UY under South America, UG ZA under Africa;
//! - not seen in the corpus, decided here: CY, GE, AM, AZ under Europe (EU member / Council of
//!   Europe, like TR); KZ, AE and the rest of the Middle East under Asia; EG under Africa;
//!   Central America and the Caribbean under North America; Atlantic islands by their
//!   continent (IS FO → Europe, CV SH → Africa, BM → North America, FK GS → South America);
//!   Indian Ocean islands to Africa except MV IO (Asia) and CX CC (Oceania); Antarctica: none.

use crate::model::Region;
use chrono_tz::Tz;

/// The continent section for an ISO 3166-1 alpha-2 country code (any case). `GB` also answers
/// to the newsletter's `UK`. `None` for unknown codes and for Antarctica.
pub fn region_for_country(country: &str) -> Option<Region> {
    let code = country.trim().to_ascii_uppercase();
    let region = match code.as_str() {
        "AD" | "AL" | "AM" | "AT" | "AX" | "AZ" | "BA" | "BE" | "BG" | "BV" | "BY" | "CH"
        | "CY" | "CZ" | "DE" | "DK" | "EE" | "ES" | "FI" | "FO" | "FR" | "GB" | "UK" | "GE"
        | "GG" | "GI" | "GR" | "HR" | "HU" | "IE" | "IM" | "IS" | "IT" | "JE" | "LI" | "LT"
        | "LU" | "LV" | "MC" | "MD" | "ME" | "MK" | "MT" | "NL" | "NO" | "PL" | "PT" | "RO"
        | "RS" | "RU" | "SE" | "SI" | "SJ" | "SK" | "SM" | "TR" | "UA" | "VA" | "XK" => {
            Region::Europe
        }
        "AE" | "AF" | "BD" | "BH" | "BN" | "BT" | "CN" | "HK" | "ID" | "IL" | "IN" | "IO"
        | "IQ" | "IR" | "JO" | "JP" | "KG" | "KH" | "KP" | "KR" | "KW" | "KZ" | "LA" | "LB"
        | "LK" | "MM" | "MN" | "MO" | "MV" | "MY" | "NP" | "OM" | "PH" | "PK" | "PS" | "QA"
        | "SA" | "SG" | "SY" | "TH" | "TJ" | "TL" | "TM" | "TW" | "UZ" | "VN" | "YE" => {
            Region::Asia
        }
        "AG" | "AI" | "AW" | "BL" | "BM" | "BQ" | "BS" | "BZ" | "BB" | "CA" | "CR" | "CU"
        | "CW" | "DM" | "DO" | "GD" | "GL" | "GP" | "GT" | "HN" | "HT" | "JM" | "KN" | "KY"
        | "LC" | "MF" | "MQ" | "MS" | "MX" | "NI" | "PA" | "PM" | "PR" | "SV" | "SX" | "TC"
        | "TT" | "US" | "VC" | "VG" | "VI" => Region::NorthAmerica,
        "AO" | "BF" | "BI" | "BJ" | "BW" | "CD" | "CF" | "CG" | "CI" | "CM" | "CV" | "DJ"
        | "DZ" | "EG" | "EH" | "ER" | "ET" | "GA" | "GH" | "GM" | "GN" | "GQ" | "GW" | "KE"
        | "KM" | "LR" | "LS" | "LY" | "MA" | "MG" | "ML" | "MR" | "MU" | "MW" | "MZ" | "NA"
        | "NE" | "NG" | "RE" | "RW" | "SC" | "SD" | "SH" | "SL" | "SN" | "SO" | "SS" | "ST"
        | "SZ" | "TD" | "TF" | "TG" | "TN" | "TZ" | "UG" | "YT" | "ZA" | "ZM" | "ZW" => {
            Region::Africa
        }
        "AR" | "BO" | "BR" | "CL" | "CO" | "EC" | "FK" | "GF" | "GS" | "GY" | "PE" | "PY"
        | "SR" | "UY" | "VE" => Region::SouthAmerica,
        "AS" | "AU" | "CC" | "CK" | "CX" | "FJ" | "FM" | "GU" | "HM" | "KI" | "MH" | "MP"
        | "NC" | "NF" | "NR" | "NU" | "NZ" | "PF" | "PG" | "PN" | "PW" | "SB" | "TK" | "TO"
        | "TV" | "UM" | "VU" | "WF" | "WS" => Region::Oceania,
        _ => return None,
    };
    Some(region)
}

/// Last resort: the section for an IANA zone, from its area (`Europe/…`, `America/…`) and, for
/// `America/…`, from the South American zones. Zones whose area does not tell
/// (`Etc/UTC`, `Antarctica/…`) and the Atlantic/Indian islands not listed give `None`.
pub fn region_for_zone(tz: Tz) -> Option<Region> {
    let name = tz.name();
    let (area, rest) = name.split_once('/').unwrap_or((name, ""));
    let region = match area {
        "Europe" => Region::Europe,
        "Africa" => Region::Africa,
        "Asia" => match rest {
            // Asian zone names for places the editors list under Europe.
            "Nicosia" | "Famagusta" | "Tbilisi" | "Yerevan" | "Baku" | "Istanbul" => Region::Europe,
            _ => Region::Asia,
        },
        "Australia" | "Pacific" => Region::Oceania,
        "America" => {
            let city = rest.rsplit('/').next().unwrap_or(rest);
            if rest.starts_with("Argentina/") || SOUTH_AMERICAN_ZONES.contains(&city) {
                Region::SouthAmerica
            } else {
                Region::NorthAmerica
            }
        }
        // Old-style aliases still accepted by chrono-tz.
        "US" | "Canada" | "Mexico" => Region::NorthAmerica,
        "Brazil" | "Chile" => Region::SouthAmerica,
        "Atlantic" => match rest {
            "Reykjavik" | "Faroe" | "Faeroe" | "Canary" | "Madeira" | "Azores" | "Jan_Mayen" => {
                Region::Europe
            }
            "Cape_Verde" | "St_Helena" => Region::Africa,
            "Bermuda" => Region::NorthAmerica,
            "Stanley" | "South_Georgia" => Region::SouthAmerica,
            _ => return None,
        },
        "Indian" => match rest {
            "Maldives" | "Chagos" => Region::Asia,
            "Christmas" | "Cocos" => Region::Oceania,
            _ => Region::Africa,
        },
        _ => return None,
    };
    Some(region)
}

/// `America/…` zones (last path component) on the South American continent.
const SOUTH_AMERICAN_ZONES: &[&str] = &[
    "Buenos_Aires",
    "Cordoba",
    "Rosario",
    "Mendoza",
    "Catamarca",
    "Jujuy",
    "La_Paz",
    "Sao_Paulo",
    "Noronha",
    "Belem",
    "Fortaleza",
    "Recife",
    "Araguaina",
    "Maceio",
    "Bahia",
    "Campo_Grande",
    "Cuiaba",
    "Santarem",
    "Porto_Velho",
    "Boa_Vista",
    "Manaus",
    "Eirunepe",
    "Rio_Branco",
    "Santiago",
    "Punta_Arenas",
    "Bogota",
    "Guayaquil",
    "Cayenne",
    "Guyana",
    "Lima",
    "Asuncion",
    "Paramaribo",
    "Montevideo",
    "Caracas",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editors_usage() {
        assert_eq!(region_for_country("de"), Some(Region::Europe));
        assert_eq!(region_for_country("TR"), Some(Region::Europe));
        assert_eq!(region_for_country("RU"), Some(Region::Europe));
        assert_eq!(region_for_country("IL"), Some(Region::Asia));
        assert_eq!(region_for_country("MX"), Some(Region::NorthAmerica));
        assert_eq!(region_for_country("CR"), Some(Region::NorthAmerica));
        assert_eq!(region_for_country("UY"), Some(Region::SouthAmerica));
        assert_eq!(region_for_country("UG"), Some(Region::Africa));
        assert_eq!(region_for_country("EG"), Some(Region::Africa));
        assert_eq!(region_for_country("NZ"), Some(Region::Oceania));
        assert_eq!(region_for_country("UK"), Some(Region::Europe));
        assert_eq!(region_for_country("AQ"), None);
        assert_eq!(region_for_country("ZZ"), None);
    }

    #[test]
    fn every_iso_country_has_a_section() {
        // Every alpha-2 code the celes crate knows, except Antarctica.
        let mut missing = Vec::new();
        for c in celes::Country::get_countries() {
            if c.alpha2 != "AQ" && region_for_country(c.alpha2).is_none() {
                missing.push(c.alpha2);
            }
        }
        assert!(missing.is_empty(), "no section for {missing:?}");
    }

    #[test]
    fn zones_fall_back_by_area() {
        use chrono_tz::Tz;
        assert_eq!(
            region_for_zone(Tz::America__Chicago),
            Some(Region::NorthAmerica)
        );
        assert_eq!(
            region_for_zone(Tz::America__Sao_Paulo),
            Some(Region::SouthAmerica)
        );
        assert_eq!(
            region_for_zone(Tz::America__Argentina__Buenos_Aires),
            Some(Region::SouthAmerica)
        );
        assert_eq!(region_for_zone(Tz::Asia__Nicosia), Some(Region::Europe));
        assert_eq!(region_for_zone(Tz::Asia__Tokyo), Some(Region::Asia));
        assert_eq!(
            region_for_zone(Tz::Australia__Sydney),
            Some(Region::Oceania)
        );
        assert_eq!(
            region_for_zone(Tz::Atlantic__Reykjavik),
            Some(Region::Europe)
        );
        assert_eq!(region_for_zone(Tz::UTC), None);
    }
}
