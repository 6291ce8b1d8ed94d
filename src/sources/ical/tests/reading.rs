//! The document (decoding, unfolding, what is not a calendar), property values, time zones.

use super::super::values::parse_duration;
use super::*;
use crate::model::Status;
use chrono::Duration;
use chrono_tz::Tz;
use pretty_assertions::assert_eq;

/// The byte-level unfolding, as first written (one byte at a time): the reference the
/// faster `decode` must agree with.
fn decode_reference(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let fold = match &bytes[i..] {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        };
        if fold > 0 {
            i += fold;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn decode_unfolds_as_the_byte_by_byte_reference() {
    const ALPHABET: &[u8] = b"\r\n \ta:\xC3\xBC";
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for case in 0..20_000 {
        let len = case % 40;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ALPHABET[usize::try_from(state % ALPHABET.len() as u64).unwrap()]
            })
            .collect();
        assert_eq!(decode(&bytes), decode_reference(&bytes), "{bytes:?}");
    }
}

#[test]
fn a_link_written_as_the_location_is_a_link() {
    let ics = feed(&[Google {
        times: &["DTSTART:20230214T180000Z", "DTEND:20230214T200000Z"],
        uid: "aaaabbbbccccddddeeeeffffgg@google.com",
        summary: "Rust Berlin meetup",
        location: "https://www.meetup.com/rust-berlin/events/291234567/",
        ..Google::default()
    }
    .vevent()]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(
        p.events[0].links,
        vec!["https://www.meetup.com/rust-berlin/events/291234567/".to_string()]
    );
}

#[test]
fn one_off_in_utc_keeps_utc_and_reads_every_field() {
    let ics = feed(&[ONE_OFF]);
    assert!(ics.contains("\r\n "), "the fixture is folded");
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(p.warnings, Vec::<String>::new());
    assert_eq!(p.events.len(), 1);
    let e = &p.events[0];
    // 19:00 in Chicago on 31 January: the parser keeps the UTC instant, normalization
    // finds the local date.
    assert_eq!(e.start, utc("2023-02-01 01:00"));
    assert_eq!(e.end, Some(utc("2023-02-01 03:00")));
    assert_eq!(
        e.uid.as_deref(),
        Some("5u3vlpb0ikn1ttkd0h8ojq4h0c@google.com")
    );
    assert_eq!(e.source, "Rust Calendar");
    assert_eq!(
        e.title,
        "Rust Dallas: Monthly Social 🦀 — Zürich-style fondue and a very long title that folds"
    );
    assert_eq!(
        e.location.as_deref(),
        Some("Improving, 5445 Legacy Dr, Plano, TX 75024, USA")
    );
    let desc = e.description.as_deref().unwrap();
    assert!(desc.contains("social, talks & more!"), "{desc}");
    assert!(
        desc.contains("&amp;sa=D"),
        "HTML kept, iCal escapes removed: {desc}"
    );
    assert!(desc.ends_with("bring a laptop\\tablet\nThanks"), "{desc}");
    assert_eq!(
        e.links,
        vec![
            "https://www.meetup.com/dallasrust/events/290000001/".to_string(),
            "https://example.org/slides".to_string()
        ]
    );
    assert_eq!(e.url, None);
    assert_eq!(
        e.conference.as_deref(),
        Some("https://meet.google.com/abc-defg-hij")
    );
    assert_eq!(e.status, Status::Confirmed);
    assert_eq!(e.default_tz, Some(CHI));
    assert_eq!(e.organizer, None);
}

#[test]
fn lf_line_ends_read_the_same() {
    let crlf = feed(&[ONE_OFF]);
    let lf = crlf.replace("\r\n", "\n");
    assert_eq!(
        run(&crlf, "2023-02-01", "2023-03-01"),
        run(&lf, "2023-02-01", "2023-03-01")
    );
}

#[test]
fn duration_missing_end_floating_and_meetup_style_feed() {
    let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Meetup//RemoteApi//EN\nBEGIN:VEVENT\nDTSTART;TZID=Europe/Prague:20210906T183000\nDURATION:PT2H30M\nUID:event_280440185@meetup.com\nSUMMARY:Rust Prague\\, September\nURL:https://www.meetup.com/rust-prague/events/280440185/?utm_medium=ical\nGEO:50.08;14.43\nLOCATION:Paralelní Polis (Dělnická 43\\, Praha)\nSTATUS:TENTATIVE\nEND:VEVENT\nBEGIN:VEVENT\nDTSTART:20210907T180000\nSUMMARY:Floating, no end\nUID:floating-1\nDESCRIPTION:See www.example.org/x\nEND:VEVENT\nEND:VCALENDAR\n";
    let p = run(ics, "2021-09-06", "2021-09-12");
    assert_eq!(p.warnings, Vec::<String>::new());
    assert_eq!(p.events.len(), 2);
    let prg = chrono_tz::Europe::Prague;
    let m = &p.events[0];
    assert_eq!(m.title, "Rust Prague, September");
    assert_eq!(m.start, When::Zoned(dt("2021-09-06 18:30"), prg));
    assert_eq!(m.end, Some(When::Zoned(dt("2021-09-06 21:00"), prg)));
    assert_eq!(
        m.url.as_deref(),
        Some("https://www.meetup.com/rust-prague/events/280440185/")
    );
    assert_eq!(m.links, vec![m.url.clone().unwrap()]);
    assert_eq!(m.status, Status::Tentative);
    assert_eq!(
        m.location.as_deref(),
        Some("Paralelní Polis (Dělnická 43, Praha)")
    );
    assert_eq!(m.default_tz, None);
    let f = &p.events[1];
    assert_eq!(f.start, When::Floating(dt("2021-09-07 18:00")));
    assert_eq!(f.end, None);
    assert_eq!(f.links, vec!["https://www.example.org/x".to_string()]);
}

#[test]
fn odd_tzids_resolve_through_vtimezone_or_warn() {
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nX-LIC-LOCATION:Europe/Berlin\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=\"W. Europe Standard Time\":20230301T190000\r\nUID:a\r\nSUMMARY:Windows zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=/mozilla.org/20050126_1/Europe/Berlin:20230302T190000\r\nUID:b\r\nSUMMARY:Path zone\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus_Mons:20230303T190000\r\nUID:c\r\nSUMMARY:Unknown zone\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    let p = run(ics, "2023-03-01", "2023-03-05");
    assert_eq!(
        starts(&p),
        vec![
            ("a".to_string(), When::Zoned(dt("2023-03-01 19:00"), BER)),
            ("b".to_string(), When::Zoned(dt("2023-03-02 19:00"), BER)),
            ("c".to_string(), When::Floating(dt("2023-03-03 19:00"))),
        ]
    );
    assert_eq!(p.warnings.len(), 1);
    assert!(
        p.warnings[0].contains("Mars/Olympus_Mons"),
        "{:?}",
        p.warnings
    );
}

#[test]
fn non_calendar_documents_are_errors() {
    let window = Window {
        from: d("2023-02-01"),
        to: d("2023-03-01"),
    };
    let err = parse("", "https://calendar.example/basic.ics", "x", &window).unwrap_err();
    assert_eq!(err.origin, "https://calendar.example/basic.ics");
    assert!(err.message.contains("empty"), "{}", err.message);
    let html = "<!DOCTYPE html><html><head><title>Error 404 (Not Found)!!1</title></head><body></body></html>";
    let err = parse(html, "u", "x", &window).unwrap_err();
    assert!(
        err.message.contains("HTML") && err.message.contains("404"),
        "{}",
        err.message
    );
    let err = parse("{\"error\":\"nope\"}", "u", "x", &window).unwrap_err();
    assert!(err.message.contains("not an iCalendar"), "{}", err.message);
    assert_eq!(err.to_string(), format!("u: {}", err.message));
    // A truncated download still yields what is complete, with a warning.
    let full = feed(&[ONE_OFF]);
    let cut = &full[..full.find("END:VCALENDAR").unwrap()];
    let p = parse(cut, "u", "x", &window).unwrap();
    assert_eq!(p.events.len(), 1);
    assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
}

#[test]
fn decode_unfolds_inside_utf8_sequences() {
    // "Zürich 🦀" folded after the first byte of "ü" and in the middle of the crab.
    let mut bytes =
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20230210T180000Z\r\nUID:u\r\nSUMMARY:Z"
            .to_vec();
    let summary = "ürich 🦀".as_bytes();
    bytes.push(summary[0]);
    bytes.extend_from_slice(b"\r\n ");
    bytes.extend_from_slice(&summary[1..9]);
    bytes.extend_from_slice(b"\n\t");
    bytes.extend_from_slice(&summary[9..]);
    bytes.extend_from_slice(b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
    assert!(std::str::from_utf8(&bytes).is_err());
    let text = decode(&bytes);
    let p = run(&text, "2023-02-01", "2023-03-01");
    assert_eq!(p.events[0].title, "Zürich 🦀");
    assert_eq!(decode(b"\xEF\xBB\xBFA\xFFB"), "A\u{fffd}B");
}

#[test]
fn multi_byte_characters_where_keywords_end_do_not_panic() {
    // "UID:aé": byte 6 is inside "é"; "ENDé" and "BEGIé…" likewise for "END:" / "BEGIN:".
    let ics = bare(&[
        "UID:aé\r\nDTSTART:20230210T180000Z\r\nSUMMARY:é\r\nENDé\r\nBEGIé:x\r\n".to_string(),
    ]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    assert_eq!(
        starts(&p),
        vec![("aé".to_string(), utc("2023-02-10 18:00"))]
    );
    // Unicode lower-casing changes byte lengths ("İ" → "i̇"): the error message must not
    // slice at offsets of the lower-cased text.
    let window = Window {
        from: d("2023-02-01"),
        to: d("2023-03-01"),
    };
    let html = format!("<{}<title>Busy</title>", "İ".repeat(20));
    let err = parse(&html, "u", "x", &window).unwrap_err();
    assert!(err.message.contains("Busy"), "{}", err.message);
}

#[test]
fn out_of_range_durations_and_dates_are_warnings_not_panics() {
    let ev = |uid: &str, lines: &str| {
        format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20230210T180000Z\r\n{lines}")
    };
    let ics = bare(&[
        ev("weeks", "DURATION:P99999999W\r\n"),
        ev("overflow", "DURATION:P99999999999999999W\r\n"),
        ev("sum", "DURATION:P10675199DT10675199D\r\n"),
        ev("far-end", "DTEND:99991231T000000Z\r\n"),
        "UID:signed-year\r\nSUMMARY:s\r\nDTSTART:+2620000101T000000Z\r\n".to_string(),
        "UID:repeat\r\nSUMMARY:r\r\nDTSTART:99991230T000000Z\r\nDURATION:P3D\r\nRRULE:FREQ=DAILY\r\n"
            .to_string(),
        ev("ok", "DURATION:PT2H\r\n"),
    ]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    let uids: Vec<String> = starts(&p).into_iter().map(|(u, _)| u).collect();
    assert_eq!(uids, ["ok"]);
    for uid in ["weeks", "overflow", "sum", "far-end", "signed-year"] {
        assert!(
            p.warnings
                .iter()
                .any(|w| w.contains(&format!("UID {uid} "))),
            "{uid}: {:?}",
            p.warnings
        );
    }
    // The end of time, as a window: no overflow either.
    let window = Window {
        from: NaiveDate::MAX,
        to: NaiveDate::MAX,
    };
    assert!(parse(&ics, "u", "x", &window).is_ok());
    let window = Window {
        from: NaiveDate::MIN,
        to: NaiveDate::MIN,
    };
    assert!(parse(&ics, "u", "x", &window).is_ok());
}

#[test]
fn an_end_before_the_start_is_dropped_with_a_warning() {
    let ev = |uid: &str, lines: &str| {
        format!("UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20230210T180000Z\r\n{lines}")
    };
    let ics = bare(&[
        ev("backward", "DTEND:20230210T170000Z\r\n"),
        ev("negative", "DURATION:-PT1H\r\n"),
        ev("zero", "DTEND:20230210T180000Z\r\n"),
        ev("ok", "DTEND:20230210T200000Z\r\n"),
    ]);
    let p = run(&ics, "2023-02-01", "2023-03-01");
    let end = |uid: &str| {
        p.events
            .iter()
            .find(|e| e.uid.as_deref().is_some_and(|u| u.starts_with(uid)))
            .unwrap_or_else(|| panic!("{uid} is kept: {:?}", p.events))
            .end
            .clone()
    };
    assert_eq!(end("backward"), None);
    assert_eq!(end("negative"), None);
    assert_eq!(end("zero"), Some(utc("2023-02-10 18:00")));
    assert_eq!(end("ok"), Some(utc("2023-02-10 20:00")));
    assert_eq!(p.warnings.len(), 2, "{:?}", p.warnings);
    assert!(
        p.warnings[0].contains("UID backward") && p.warnings[0].contains("DTEND is before DTSTART")
    );
    assert!(p.warnings[1].contains("UID negative") && p.warnings[1].contains("negative DURATION"));
}

#[test]
fn durations() {
    assert_eq!(parse_duration("PT1H30M"), Some(Duration::minutes(90)));
    assert_eq!(parse_duration("P1W"), Some(Duration::days(7)));
    assert_eq!(parse_duration("P1DT2H"), Some(Duration::hours(26)));
    assert_eq!(parse_duration("-PT15M"), Some(Duration::minutes(-15)));
    assert_eq!(parse_duration("P"), None);
    assert_eq!(parse_duration("PT5"), None);
    assert_eq!(parse_duration("1H"), None);
    assert_eq!(parse_duration("P99999999999999999W"), None);
    assert_eq!(parse_duration("P10675199DT10675199D"), None);
    assert_eq!(parse_duration("+P1D"), Some(Duration::days(1)));
}

/// The zone lookup as first written: an exact parse, then a scan of every zone name compared
/// ASCII case-insensitively. The reference the crate's case-insensitive lookup must agree with.
fn lookup_tz_reference(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if name.len() > 64 {
        return None;
    }
    name.parse::<Tz>().ok().or_else(|| {
        chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| tz.name().eq_ignore_ascii_case(name))
            .copied()
    })
}

#[test]
fn zone_names_resolve_in_any_case_as_the_reference_does() {
    let swapped = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_uppercase() {
                    c.to_ascii_lowercase()
                } else {
                    c.to_ascii_uppercase()
                }
            })
            .collect()
    };
    let mut names: Vec<String> = Vec::new();
    for tz in chrono_tz::TZ_VARIANTS {
        let n = tz.name();
        names.extend([
            n.to_string(),
            n.to_ascii_lowercase(),
            n.to_ascii_uppercase(),
            swapped(n),
            format!(" \"{}\" ", n.to_ascii_lowercase()),
        ]);
    }
    for odd in [
        "",
        "\"\"",
        "Mars/Olympus_Mons",
        "W. Europe Standard Time",
        "Europe/Berlín",
        "EUROPE/BERLİN",
        "Europe/Berlin/",
        "/Europe/Berlin",
        "Europe//Berlin",
        "Europe_Berlin",
        "utc",
        "Z",
        "gmt+0",
        "etc/gmt-14",
        "EST5EDT",
        "est5edt",
    ] {
        names.push(odd.to_string());
    }
    names.push("europe/berlin".repeat(5));
    let mut found = 0;
    for name in &names {
        let ours = super::super::zones::lookup_tz(name);
        assert_eq!(ours, lookup_tz_reference(name), "{name:?}");
        found += usize::from(ours.is_some());
    }
    assert!(found >= 5 * chrono_tz::TZ_VARIANTS.len(), "{found}");
}

/// Every block the line scan reads, it reads as the `icalendar` crate's parser does; the
/// others (mixed line ends, blank lines, odd names or parameters) are left to the crate.
fn check_fast_components(text: &str) -> (usize, usize) {
    let unfolded = document::unfold(text);
    let mut warnings = Vec::new();
    let doc = document::split_document(&unfolded, &mut warnings);
    let mut read = 0;
    let blocks: Vec<&str> = doc.events.iter().chain(&doc.timezones).copied().collect();
    for block in &blocks {
        if let Some(fast) = document::fast_components(block) {
            read += 1;
            let slow = icalendar::parser::read_components(block).expect("the crate reads it");
            assert_eq!(fast, slow, "{block}");
        }
    }
    (read, blocks.len())
}

#[test]
fn fast_components_equal_the_crates_parser() {
    let tricky = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\\,b\r\nSUMMARY;LANGUAGE=de:Rust\\, Berlin\\; \\\\n \\N \\: \\x\r\nDESCRIPTION;ALTREP=\"cid:x;y\":a\\nb\r\nX-APPLE-STRUCTURED-LOCATION;VALUE=URI;X-TITLE=\"A, B\":geo:1,2\r\nX-ANY:a\\,b\r\nx-lower:a\\,b\r\nCATEGORIES:a\\,b,c\r\nURL;VALUE=URI:https://x.example/?a=1\\,2\r\nCOMMENT;VALUE=TEXT:a\\;b\r\nRESOURCES;VALUE=TEXT:a\\,b\r\nDTSTART;TZID=\"W. Europe Standard Time\":20230301T190000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU\r\nCOMMENT:tail\\\r\nX-E:é\\é\\\\\\;\\\r\nBEGIN:VALARM\r\nTRIGGER:-PT15M\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:lf-only\nSUMMARY:x\\,y\nEND:VEVENT\nEND:VCALENDAR\r\n";
    let (read, all) = check_fast_components(tricky);
    // The second event begins with CRLF and goes on with LF: left to the crate.
    assert_eq!((read, all), (1, 2));
    // Left to the crate: mixed line ends, a blank line, a parameter without value, a
    // line without colon.
    for block in [
        "BEGIN:VEVENT\r\nUID:a\nSUMMARY:b\r\nEND:VEVENT\r\n",
        "BEGIN:VEVENT\n\nUID:a\nEND:VEVENT\n",
        "BEGIN:VEVENT\nDTSTART;X-FLAG:20230301T190000\nEND:VEVENT\n",
        "BEGIN:VEVENT\nSUMMARY=x\nEND:VEVENT\n",
        "BEGIN:VEVENT\nUID:a\nEND:VTODO\n",
    ] {
        assert!(document::fast_components(block).is_none(), "{block}");
    }
    for name in ["finos-community-2024-11-05.ics", "mafn-community-2016.ics"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/data/real-calendars")
            .join(name);
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("note: {} not found, skipped", path.display());
            continue;
        };
        let (read, all) = check_fast_components(&text);
        assert!(
            read * 100 >= all * 99,
            "{name}: {read} of {all} read by the line scan"
        );
    }
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ical-producers");
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "ics") {
            check_fast_components(&std::fs::read_to_string(&path).expect("read"));
        }
    }
}
