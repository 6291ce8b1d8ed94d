//! Places, regions and time zones against real data: every entry of the published events
//! sections in `../shared/twir-corpus/` (place notation, section = region of the country, a
//! zone for every place), and the LOCATION lines of the real Google Calendar exports in
//! `../shared/data/real-calendars/`. Each test skips (passes with a note) when `../shared` is
//! absent.

use std::collections::BTreeMap;
use std::path::PathBuf;
use twir_events::model::{Attendance, Place, Region};
use twir_events::normalize::location::{
    parse_location, parse_newsletter_location, parse_newsletter_place,
};
use twir_events::normalize::region::region_for_country;
use twir_events::normalize::timezone::zone_for_place;

use crate::common::root;

fn shared(rel: &str) -> Option<PathBuf> {
    let p = root().join("../shared").join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("note: {} absent, skipping", p.display());
        None
    }
}

/// One corpus entry: issue file, section, the raw location field.
struct Entry {
    file: String,
    section: String,
    location: String,
}

/// The location field of an old 2021 one-line entry:
/// `* [September 2, 2021, Zurich, CH - Title - Org](url)` or
/// `* [March 15, 2022 | Washington, DC, US| **Title** | Org](url)`.
fn old_format_location(line: &str) -> Option<String> {
    let inner = line.strip_prefix("* [")?;
    let inner = &inner[..inner.rfind("](")?];
    if inner.contains('|') {
        return inner.split('|').nth(1).map(|s| s.trim().to_string());
    }
    // After `Month D, YYYY, ` up to ` - `.
    let bytes = inner.as_bytes();
    let year_end = (0..bytes.len().saturating_sub(6)).find(|&i| {
        inner[i..].starts_with(", 20")
            && bytes[i + 4..i + 6].iter().all(u8::is_ascii_digit)
            && inner[i + 6..].starts_with(", ")
    })? + 8;
    let rest = &inner[year_end..];
    Some(rest[..rest.find(" - ")?].trim().to_string())
}

fn corpus() -> Option<(Vec<Entry>, usize, usize)> {
    let dir = shared("twir-corpus")?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    let mut entries = Vec::new();
    let (mut old, mut no_location) = (0, 0);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let file = f.file_name().unwrap().to_string_lossy().to_string();
        let mut section = String::new();
        for line in text.lines() {
            if let Some(h) = line.strip_prefix("### ") {
                section = h.trim().trim_end_matches(':').to_string();
                continue;
            }
            let location = if line.starts_with("* 20") {
                let fields: Vec<&str> = line.split('|').collect();
                if fields.len() < 3 {
                    no_location += 1;
                    continue;
                }
                fields[1].trim().to_string()
            } else if line.starts_with("* [") && !line.starts_with("* [**") {
                old += 1;
                match old_format_location(line) {
                    Some(l) => l,
                    None => continue,
                }
            } else {
                continue;
            };
            entries.push(Entry {
                file: file.clone(),
                section: section.clone(),
                location,
            });
        }
    }
    Some((entries, old, no_location))
}

fn section_region(section: &str) -> Option<Region> {
    Region::ALL
        .into_iter()
        .find(|r| r.title() == section)
        .or((section == "Online").then_some(Region::Virtual))
}

#[test]
fn corpus_places_regions_and_zones() {
    let Some((entries, old, no_location)) = corpus() else {
        return;
    };
    let mut fields = 0;
    let mut parts_ok = 0;
    let mut unparsed: BTreeMap<String, usize> = BTreeMap::new();
    let (mut agree, mut checked) = (0usize, 0usize);
    let mut disagree: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let (mut with_country, mut zoned) = (0usize, 0usize);
    let mut no_zone: BTreeMap<String, usize> = BTreeMap::new();
    for e in &entries {
        let Some(section) = section_region(&e.section) else {
            continue;
        };
        fields += 1;
        let parsed = parse_newsletter_location(&e.location);
        parts_ok += parsed.places.len();
        for u in &parsed.unparsed {
            *unparsed.entry(u.clone()).or_default() += 1;
        }
        for p in &parsed.places {
            if p.country.is_some() {
                with_country += 1;
                if zone_for_place(p).is_some() {
                    zoned += 1;
                } else {
                    *no_zone.entry(p.to_string()).or_default() += 1;
                }
            }
        }
        if section == Region::Virtual {
            continue;
        }
        let Some(country) = parsed.places.iter().find_map(|p| p.country.clone()) else {
            continue;
        };
        checked += 1;
        if region_for_country(&country) == Some(section) {
            agree += 1;
        } else {
            disagree
                .entry(format!("{country} under {}", e.section))
                .or_default()
                .push(format!("{} {}", e.file, e.location));
        }
    }
    let unparsed_total: usize = unparsed.values().sum();
    eprintln!(
        "corpus: {fields} entries with a section ({old} old one-line entries read, {no_location} lines without a location field skipped)"
    );
    eprintln!(
        "newsletter places parsed: {parts_ok}, unparsed parts: {unparsed_total} {unparsed:?}"
    );
    eprintln!(
        "region agreement: {agree}/{checked} = {:.2}%",
        100.0 * agree as f64 / checked as f64
    );
    for (k, v) in &disagree {
        eprintln!("  {k}: {} e.g. {:?}", v.len(), &v[..v.len().min(3)]);
    }
    eprintln!(
        "zones: {zoned}/{with_country} places with a country have a zone; missing: {no_zone:?}"
    );
    assert!(fields > 9000, "corpus read too few entries: {fields}");
    assert!(
        unparsed_total * 200 < parts_ok,
        "more than 0.5% of place parts unparsed"
    );
    assert!(
        agree as f64 / checked as f64 > 0.995,
        "region agreement {agree}/{checked}"
    );
    assert!(zoned as f64 / with_country as f64 > 0.995);
}

#[test]
fn corpus_specific_entries() {
    let Some((entries, _, _)) = corpus() else {
        return;
    };
    let find = |file: &str, loc: &str| {
        entries
            .iter()
            .find(|e| e.file == file && e.location == loc)
            .unwrap_or_else(|| panic!("{file}: no entry at {loc}"))
    };
    // Seed issue 480: the Dallas virtual meetup and a Cardiff one.
    let e = find("2023-02-01.md", "Virtual (Cardiff, UK)");
    let p = parse_newsletter_location(&e.location);
    assert_eq!(p.attendance, Attendance::Virtual);
    assert_eq!(
        p.places,
        vec![Place::new(Some("Cardiff"), None, Some("GB"))]
    );
    let e = find("2023-02-01.md", "Virtual (Dallas, TX, US)");
    let p = parse_newsletter_location(&e.location);
    assert_eq!(
        zone_for_place(&p.places[0]),
        Some(chrono_tz::Tz::America__Chicago)
    );
    // Old one-line format (2021).
    let e = find("2021-09-01.md", "Zurich, CH");
    assert_eq!(e.section, "Online");
    assert_eq!(
        parse_newsletter_place(&e.location).and_then(|p| p.country),
        Some("CH".to_string())
    );
    // Regions the editors use: RU and TR in Europe, IL in Asia, MX in North America.
    for (file, loc, region) in [
        ("2023-09-27.md", "Saint Petersburg, RU", Region::Europe),
        ("2025-05-07.md", "Istanbul, TR", Region::Europe),
    ] {
        if let Some(e) = entries.iter().find(|e| e.file == file && e.location == loc) {
            assert_eq!(section_region(&e.section), Some(region), "{file} {loc}");
            let p = parse_newsletter_place(loc).unwrap();
            assert_eq!(
                region_for_country(p.country.as_deref().unwrap()),
                Some(region)
            );
        }
    }
    let mx: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.location.contains(", MX") && e.section != "Virtual" && e.section != "Online")
        .collect();
    assert!(mx.len() > 10);
    assert!(mx.iter().all(|e| e.section == "North America"));
    let il = entries
        .iter()
        .find(|e| e.location.ends_with(", IL") && e.section == "Asia")
        .expect("an Israeli entry in Asia");
    let p = parse_newsletter_place(&il.location).unwrap();
    assert_eq!(p.country.as_deref(), Some("IL"));
}

/// LOCATION values of an iCalendar file: lines unfolded, text unescaped.
fn ics_locations(text: &str) -> Vec<String> {
    let text = text.replace("\r\n", "\n");
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if let Some(rest) = line.strip_prefix([' ', '\t']) {
            if let Some(last) = lines.last_mut() {
                last.push_str(rest);
            }
        } else {
            lines.push(line.to_string());
        }
    }
    lines
        .iter()
        .filter(|l| l.starts_with("LOCATION"))
        .filter_map(|l| l.split_once(':').map(|(_, v)| v))
        .map(|v| {
            v.replace("\\n", "\n")
                .replace("\\N", "\n")
                .replace("\\,", ",")
                .replace("\\;", ";")
                .replace("\\\\", "\\")
                .trim()
                .to_string()
        })
        .collect()
}

#[test]
fn real_calendar_locations() {
    for (file, min_share) in [
        ("data/real-calendars/mafn-community-2016.ics", 0.85),
        ("data/real-calendars/finos-community-2024-11-05.ics", 0.95),
    ] {
        let Some(path) = shared(file) else {
            return;
        };
        let text = std::fs::read_to_string(path).unwrap();
        let locs: Vec<String> = ics_locations(&text)
            .into_iter()
            .filter(|l| !l.is_empty())
            .collect();
        let (mut place, mut online, mut country, mut neither) = (0, 0, 0, Vec::new());
        for l in &locs {
            let p = parse_location(l);
            if p.online {
                online += 1;
            }
            if let Some(pl) = &p.place {
                place += 1;
                if pl.country.is_some() {
                    country += 1;
                }
            }
            if !p.online && p.place.is_none() {
                neither.push(l.clone());
            }
        }
        neither.sort();
        neither.dedup();
        eprintln!(
            "{file}: {} non-empty LOCATION values: {place} with a place ({country} with a country), {online} online, {} neither: {neither:?}",
            locs.len(),
            neither.len()
        );
        let understood = locs.len() - neither.len().min(locs.len());
        assert!(
            understood as f64 / locs.len() as f64 >= min_share,
            "{file}: only {understood}/{} understood",
            locs.len()
        );
    }
}

#[test]
fn real_calendar_samples() {
    // Values taken verbatim (unescaped) from the exports.
    let p = parse_location("1 New York Plaza, 1 FDR Dr, New York, NY 10004, USA");
    assert_eq!(
        p.place,
        Some(Place::new(Some("New York"), Some("NY"), Some("US")))
    );
    assert!(!p.online);
    let p = parse_location(
        "Moss Side Powerhouse Library, 140 Raby St, Manchester M14 4SQ, United Kingdom",
    );
    assert_eq!(
        p.place,
        Some(Place::new(Some("Manchester"), None, Some("GB")))
    );
    let p = parse_location(
        "https://finos.webex.com/finos/j.php?MTID=ma4b1de1b9f691d89e4b2ff380ec9687c",
    );
    assert!(p.online && p.place.is_none());
    let p = parse_location("WebEx (Info Below)");
    assert!(p.online);
    let p = parse_location("https://www.meetup.com/open-source-leeds/events/287544985/");
    assert!(!p.online && p.place.is_none());
    let p = parse_location(
        "Microsoft Ireland, One Microsoft Place, South County Business Park, Carmanhall and Leopardstown, Dublin, D18 P521, Ireland",
    );
    assert_eq!(p.place, Some(Place::new(Some("Dublin"), None, Some("IE"))));
}
