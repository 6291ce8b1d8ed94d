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
    use chrono_tz::{America, Asia, Australia, Europe};
    // (city, state, country) → zone
    type Case = (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
        Option<Tz>,
    );
    let cases: &[Case] = &[
        (
            Some("El Paso"),
            Some("TX"),
            Some("US"),
            Some(America::Denver),
        ),
        (
            Some("Austin"),
            Some("TX"),
            Some("US"),
            Some(America::Chicago),
        ),
        (None, Some("BC"), Some("CA"), Some(America::Vancouver)),
        (None, Some("ACT"), Some("AU"), Some(Australia::Sydney)),
        (
            Some("Perth"),
            Some("WA"),
            Some("AU"),
            Some(Australia::Perth),
        ),
        (
            Some("Seattle"),
            Some("WA"),
            Some("US"),
            Some(America::Los_Angeles),
        ),
        (Some("Miami"), Some("FL"), None, Some(America::New_York)),
        (Some("Berlin"), None, Some("DE"), Some(Europe::Berlin)),
        (Some("Cardiff"), None, Some("GB"), Some(Europe::London)),
        (Some("Tokyo"), None, Some("JP"), Some(Asia::Tokyo)),
        (None, None, Some("MX"), Some(America::Mexico_City)),
        (Some("Denpasar"), None, Some("ID"), Some(Asia::Makassar)),
        (Some("Chicago"), None, Some("US"), Some(America::Chicago)),
        // Not enough to tell.
        (Some("Springfield"), None, Some("US"), None),
        (None, None, Some("AU"), None),
        (None, None, None, None),
    ];
    for &(city, state, country, want) in cases {
        assert_eq!(
            zone_for_place(&p(city, state, country)),
            want,
            "{city:?}, {state:?}, {country:?}"
        );
    }
}
