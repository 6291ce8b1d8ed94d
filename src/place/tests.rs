use super::*;

/// The parts a free-text location parsed into: (city, state, country, online).
type Parts<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, bool);

/// Each text parses into its expected parts.
fn assert_locations(cases: &[(&str, Parts)]) {
    for (text, want) in cases {
        let p = parse_location(text);
        let place = p.place.unwrap_or_default();
        let got = (
            place.city.as_deref(),
            place.state.as_deref(),
            place.country.as_deref(),
            p.online,
        );
        assert_eq!(got, *want, "{text}");
    }
}

#[test]
fn google_maps_addresses() {
    let cases: [(&str, Parts); 13] = [
        (
            "Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany",
            (Some("Berlin"), None, Some("DE"), false),
        ),
        (
            "1 Hacker Way, Menlo Park, CA 94025, USA",
            (Some("Menlo Park"), Some("CA"), Some("US"), false),
        ),
        (
            "Level 3, 123 Pitt St, Sydney NSW 2000, Australia",
            (Some("Sydney"), Some("NSW"), Some("AU"), false),
        ),
        (
            "Prinsengracht 1, 1015 DK Amsterdam, Netherlands",
            (Some("Amsterdam"), None, Some("NL"), false),
        ),
        (
            "Google, 1-3 Strand, London EC2A 4NE, UK",
            (Some("London"), None, Some("GB"), false),
        ),
        (
            "Microsoft Vancouver, 725 Granville St #700, Vancouver, BC V7Y 1G5, Canada",
            (Some("Vancouver"), Some("BC"), Some("CA"), false),
        ),
        (
            "Japan, 〒150-0002 Tokyo, Shibuya City, Shibuya, 2 Chome−21−1",
            (Some("Tokyo"), None, Some("JP"), false),
        ),
        (
            "日本、〒150-0002 東京都渋谷区渋谷２丁目２１−１",
            (Some("東京"), None, Some("JP"), false),
        ),
        (
            "Av. Paulista, 1578 - Bela Vista, São Paulo - SP, 01310-200, Brazil",
            (Some("São Paulo"), Some("SP"), Some("BR"), false),
        ),
        (
            "Impact Hub Zürich, Sihlquai 131, 8005 Zürich, Schweiz",
            (Some("Zürich"), None, Some("CH"), false),
        ),
        (
            "Via Tortona, 27, 20144 Milano MI, Italia",
            (Some("Milano"), None, Some("IT"), false),
        ),
        (
            "Knowit, Klarabergsgatan 60, 111 21 Stockholm, Sverige",
            (Some("Stockholm"), None, Some("SE"), false),
        ),
        (
            "Capital Factory, 701 Brazos St, Austin, TX 78701, United States",
            (Some("Austin"), Some("TX"), Some("US"), false),
        ),
    ];
    assert_locations(&cases);
}

#[test]
fn short_forms_and_inference() {
    let cases: [(&str, Parts); 11] = [
        (
            "Berlin, Deutschland",
            (Some("Berlin"), None, Some("DE"), false),
        ),
        (
            "Dallas, TX",
            (Some("Dallas"), Some("TX"), Some("US"), false),
        ),
        (
            "Vancouver, BC",
            (Some("Vancouver"), Some("BC"), Some("CA"), false),
        ),
        (
            "Canberra, Australian Capital Territory",
            (Some("Canberra"), Some("ACT"), Some("AU"), false),
        ),
        (
            "Seattle, Washington",
            (Some("Seattle"), Some("WA"), Some("US"), false),
        ),
        (
            "Edinburgh, Scotland",
            (Some("Edinburgh"), None, Some("GB"), false),
        ),
        ("Cardiff, Wales", (Some("Cardiff"), None, Some("GB"), false)),
        ("Kraków, Polska", (Some("Kraków"), None, Some("PL"), false)),
        (
            "İstanbul, Türkiye",
            (Some("İstanbul"), None, Some("TR"), false),
        ),
        ("Brno, Česko", (Some("Brno"), None, Some("CZ"), false)),
        (
            "Dallas, TX, US",
            (Some("Dallas"), Some("TX"), Some("US"), false),
        ),
    ];
    assert_locations(&cases);
}

#[test]
fn online_markers_and_urls() {
    let cases: [(&str, Parts); 15] = [
        ("Online", (None, None, None, true)),
        ("Virtual", (None, None, None, true)),
        ("Zoom", (None, None, None, true)),
        ("Discord", (None, None, None, true)),
        ("Remote", (None, None, None, true)),
        ("", (None, None, None, false)),
        (
            "https://meet.google.com/abc-defg-hij",
            (None, None, None, true),
        ),
        (
            "https://us02web.zoom.us/j/123456789",
            (None, None, None, true),
        ),
        (
            "https://www.youtube.com/@rustberlin",
            (None, None, None, true),
        ),
        (
            "https://www.meetup.com/rust-berlin/events/298457951/",
            (None, None, None, false),
        ),
        ("https://lu.ma/rust-nyc", (None, None, None, false)),
        (
            "Online + Berlin, Germany",
            (Some("Berlin"), None, Some("DE"), true),
        ),
        (
            "Hybrid: Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany",
            (Some("Berlin"), None, Some("DE"), true),
        ),
        (
            "Virtual (Cardiff, UK)",
            (Some("Cardiff"), None, Some("GB"), true),
        ),
        ("TBD", (None, None, None, false)),
    ];
    assert_locations(&cases);
}

#[test]
fn newsletter_places() {
    let cases: [(&str, Option<&str>); 16] = [
        ("Dallas, TX, US", Some("Dallas, TX, US")),
        ("Berlin, DE", Some("Berlin, DE")),
        ("Cardiff, UK", Some("Cardiff, UK")),
        ("London, GB", Some("London, UK")),
        ("New York, NY US", Some("New York, NY, US")),
        ("Minneapolis,  MN,   US", Some("Minneapolis, MN, US")),
        ("Miami, FL", Some("Miami, FL, US")),
        ("Tel Aviv-Yafo, IL", Some("Tel Aviv-Yafo, IL")),
        ("Tel Aviv, Israel", Some("Tel Aviv, IL")),
        ("Brisbane City, QL, AU", Some("Brisbane City, QLD, AU")),
        ("Melbourne, AUS", Some("Melbourne, AU")),
        ("Switzerland, CH", Some("CH")),
        ("Israel", Some("IL")),
        (
            "Bangalore, IN, [Rust India](https://rustindia.org/)",
            Some("Bangalore, IN"),
        ),
        ("Various", None),
        ("PDT Timezone", None),
    ];
    for (text, want) in cases {
        let got = parse_newsletter_place(text).map(|p| p.to_string());
        assert_eq!(got.as_deref(), want, "{text}");
    }
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
