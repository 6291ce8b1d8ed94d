//! A place's IANA time zone, for turning a UTC instant into a local date.
//!
//! The tables (`tables.rs`) are written by hand (the single-zone list is derived from the IANA
//! `zone.tab`):
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

mod tables;

use crate::model::Place;
use chrono_tz::Tz;
use tables::{
    AU_STATE_ZONES, BR_STATE_ZONES, CA_PROVINCE_ZONES, CITY_ZONES, DOMINANT_ZONES, MX_STATE_ZONES,
    SINGLE_ZONE_COUNTRIES, US_STATE_ZONES,
};

/// The IANA zone of a place: by country, by state or province where a country spans zones,
/// and by city only where that is not enough. `None` when the place does not tell.
pub fn zone_for_place(place: &Place) -> Option<Tz> {
    let country = place.country.as_deref().map(country_code);
    let country = country.as_deref();
    let state = place
        .state
        .as_deref()
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty());
    let state = state.as_deref();
    let city = place
        .city
        .as_deref()
        .map(city_key)
        .filter(|c| !c.is_empty());
    if let Some(name) = city.and_then(|city| city_zone(&city, state, country)) {
        return zone(name);
    }
    let by_state = |table: &[(&str, &str)]| {
        state
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

/// The zone name of a city in [`CITY_ZONES`] (`city` as [`city_key`] gives it, `state` and
/// `country` upper-case codes). An entry without a state applies only when the state does not
/// tell (missing, or not a state: `SF`).
fn city_zone(city: &str, state: Option<&str>, country: Option<&str>) -> Option<&'static str> {
    let state_tells = state.is_some_and(|s| {
        US_STATE_ZONES
            .iter()
            .chain(CA_PROVINCE_ZONES)
            .chain(AU_STATE_ZONES)
            .any(|(c, _)| *c == s)
    });
    CITY_ZONES
        .iter()
        .find(|(c, st, cc, _)| {
            *c == city
                && country.is_none_or(|x| x == *cc)
                && if st.is_empty() {
                    !state_tells
                } else {
                    state.is_none_or(|s| s == *st)
                }
        })
        .map(|(_, _, _, z)| *z)
}

/// The zone of a country as a whole: its only zone, or the zone nearly all of its people live
/// in. `None` for US, CA, AU (state needed) and unknown codes.
pub fn country_zone(country: &str) -> Option<Tz> {
    let cc = country_code(country);
    SINGLE_ZONE_COUNTRIES
        .iter()
        .chain(DOMINANT_ZONES)
        .find(|(c, _)| *c == cc)
        .and_then(|(_, z)| zone(z))
}

/// A country code as the tables write it: upper case, `UK` as `GB`.
fn country_code(country: &str) -> String {
    let cc = country.trim().to_ascii_uppercase();
    if cc == "UK" { "GB".to_string() } else { cc }
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

#[cfg(test)]
mod tests;
