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
    // (city, state, country, zone); "" for a part the place does not have.
    let cases = [
        ("El Paso", "TX", "US", Some(America::Denver)),
        ("Austin", "TX", "US", Some(America::Chicago)),
        ("", "BC", "CA", Some(America::Vancouver)),
        ("", "ACT", "AU", Some(Australia::Sydney)),
        ("Perth", "WA", "AU", Some(Australia::Perth)),
        ("Seattle", "WA", "US", Some(America::Los_Angeles)),
        ("Miami", "FL", "", Some(America::New_York)),
        ("Berlin", "", "DE", Some(Europe::Berlin)),
        ("Cardiff", "", "GB", Some(Europe::London)),
        ("Tokyo", "", "JP", Some(Asia::Tokyo)),
        ("", "", "MX", Some(America::Mexico_City)),
        ("Denpasar", "", "ID", Some(Asia::Makassar)),
        ("Chicago", "", "US", Some(America::Chicago)),
        // Not enough to tell.
        ("Springfield", "", "US", None),
        ("", "", "AU", None),
        ("", "", "", None),
    ];
    let part = |s: &'static str| (!s.is_empty()).then_some(s);
    for (city, state, country, want) in cases {
        assert_eq!(
            zone_for_place(&p(part(city), part(state), part(country))),
            want,
            "{city}, {state}, {country}"
        );
    }
}
